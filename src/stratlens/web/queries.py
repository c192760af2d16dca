"""Read access to the store for the web app: one connection per worker thread, cached coverage.

FastAPI runs plain `def` endpoints in a thread pool and sqlite3 connections must not be shared
between threads mid-query, so each thread gets its own read-only connection. Coverage of a
framework is the expensive part of most pages; it is computed once per state of the store
(documents and classifier runs) and shared by every request until an upload changes it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from stratlens.analyse.coverage import DocumentCoverage, document_coverage
from stratlens.councils import Council
from stratlens.frameworks import Framework, list_frameworks, load_framework
from stratlens.store import Store

NATIONAL_FRAMEWORK = "welsh-gov-vs-councils"


class Data:
    """The app's window on the store."""

    def __init__(self, db_path) -> None:  # noqa: ANN001 - str | Path
        self.db_path = db_path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cache: dict[tuple, Any] = {}
        self._cache_key: tuple | None = None
        self.write_lock = threading.Lock()

    # -- connections -----------------------------------------------------------------------
    @property
    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.db_path, readonly=True)
        return store

    def writer(self) -> Store:
        """A read-write store for one upload; callers hold `write_lock` and close it."""
        return Store(self.db_path)

    # -- cache -------------------------------------------------------------------------------
    def _state(self) -> tuple:
        row = self.store.conn.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT max(id) FROM documents),"
            " (SELECT count(*) FROM classifier_runs), (SELECT max(classified_at) FROM classifier_runs),"
            " (SELECT count(*) FROM councils)"
        ).fetchone()
        return tuple(row)

    def cached(self, key: tuple, compute) -> Any:  # noqa: ANN001 - zero-argument callable
        """`compute()` once per state of the store."""
        state = self._state()
        with self._lock:
            if state != self._cache_key:
                self._cache.clear()
                self._cache_key = state
            if key in self._cache:
                return self._cache[key]
        value = compute()
        with self._lock:
            if self._cache_key == state:
                self._cache[key] = value
        return value

    def invalidate(self) -> None:
        with self._lock:
            self._cache.clear()
            self._cache_key = None

    # -- reads ---------------------------------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        return self.cached(("documents",), self.store.documents)

    def document(self, doc_id: int) -> dict[str, Any] | None:
        return next((d for d in self.documents() if d["id"] == doc_id), None)

    def councils(self) -> list[Council]:
        return self.cached(("councils",), self.store.councils)

    def council(self, council_id: str) -> Council | None:
        return next((c for c in self.councils() if c.id == council_id), None)

    def coverage(self, framework_id: str) -> list[DocumentCoverage]:
        fw = load_framework(framework_id)
        return self.cached(("coverage", framework_id), lambda: document_coverage(self.store, fw))

    def passages(self, doc_id: int) -> list[dict[str, Any]]:
        return self.store.passages(doc_id)

    def passage_count(self) -> int:
        return sum(d["passages"] for d in self.documents())


@dataclass(frozen=True)
class FrameworkChoice:
    id: str
    name_en: str
    name_cy: str | None


def classifiable_frameworks() -> list[Framework]:
    """Frameworks whose themes passages are labelled with (the ones with coverage to show)."""
    return [f for f in list_frameworks() if f.classifiable]
