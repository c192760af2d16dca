"""The local engine: one process, one file at a time, straight into the store.

It is `stratlens.pipeline.ingest_paths`; this module names it as an engine so that callers can
pick an engine by name without knowing where each one lives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from stratlens.config import Limits
from stratlens.model import DocumentMeta
from stratlens.pipeline import FileOutcome, IngestReport, ingest_paths
from stratlens.store import Store


def run(store: Store, paths: Iterable[str | Path], *, given: DocumentMeta | None = None,
        manifest: Path | None = None, classify: bool = True, limits: Limits | None = None,
        on_file: Callable[[FileOutcome], None] | None = None) -> IngestReport:
    """Ingest `paths` into `store`, streaming documents; see `pipeline.ingest_paths`."""
    return ingest_paths(store, paths, given=given, manifest=manifest, classify=classify, limits=limits,
                        on_file=on_file)
