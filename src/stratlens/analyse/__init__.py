"""Analyses over the store: coverage per document and across the corpus."""
