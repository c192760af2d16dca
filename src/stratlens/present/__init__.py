"""Presentation: static HTML report and open-data exports (CSV, JSON)."""
