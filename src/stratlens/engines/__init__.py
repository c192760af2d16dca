"""Engines run the ingest -> segment -> classify pipeline over many files.

`local` (the default) streams files one at a time through one process and writes straight into
the SQLite store. `ray` spreads the same stages over a Ray cluster and writes Parquet, which
`stratlens load-parquet` (or `ingest --engine ray` itself) loads into the store. Both use the
stage functions of `stratlens.pipeline`, so they give the same documents, passages and labels.
"""

from __future__ import annotations

ENGINES = ("local", "ray")

__all__ = ["ENGINES"]
