"""Read access to the store for the web app: one connection per worker thread, cached coverage.

FastAPI runs plain `def` endpoints in a thread pool and sqlite3 connections must not be shared
between threads mid-query, so each thread gets its own read-only connection. Coverage of a
framework is the expensive part of most pages; it is computed once per state of the store
(documents and classifier runs) and shared by every request until an upload changes it.
Self-assessment answers are part of that state too, but a changed answer only drops the rendered
pages: coverage and the analyses do not depend on it, so they are kept (see CORE_KINDS).
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any

from stratlens.analyse.coverage import DocumentCoverage, document_coverage
from stratlens.councils import Council
from stratlens.frameworks import Framework, list_frameworks, load_framework
from stratlens.store import Store

if TYPE_CHECKING:  # the analyses load numpy and the encoders: imported when first used
    from stratlens.analyse.ladder import Ladder

NATIONAL_FRAMEWORK = "welsh-gov-vs-councils"
#: Cache entries computed from documents, labels and councils only: still valid when nothing but
#: self-assessment answers changed.
CORE_KINDS = frozenset({"documents", "councils", "coverage", "analysis", "passage-langs"})
#: How many leading values of `Data._state()` describe documents, labels and councils.
CORE_STATE = 5


class Data:
    """The app's window on the store."""

    def __init__(self, db_path) -> None:  # noqa: ANN001 - str | Path
        self.db_path = db_path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cache: dict[tuple, Any] = {}
        self._cache_key: tuple | None = None
        self._counts: dict[str, int] = {}
        self._inflight: dict[tuple, threading.Lock] = {}
        self._generation = 0
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
            " (SELECT count(*) FROM councils),"
            " (SELECT count(*) FROM self_assessments), (SELECT max(updated_at) FROM self_assessments)"
        ).fetchone()
        # Two edits within one second leave count and time unchanged: the generation, bumped by
        # `answers_changed` after every write in this process, tells them apart.
        return (*tuple(row), self._generation)

    def answers_changed(self) -> None:
        """Called after self-assessment answers were written: rendered pages are out of date."""
        with self._lock:
            self._generation += 1

    def cached(self, key: tuple, compute, limit: int | None = None) -> Any:  # noqa: ANN001 - callable
        """`compute()` once per state of the store, even when many requests ask at once (the
        others wait for the first). With `limit`, entries of the same kind (the key's first item)
        beyond it are not kept, so arbitrary URLs cannot grow the cache without bound."""
        state = self._state()
        with self._lock:
            if state != self._cache_key:
                same_core = self._cache_key is not None and state[:CORE_STATE] == self._cache_key[:CORE_STATE]
                self._cache = {k: v for k, v in self._cache.items() if k[0] in CORE_KINDS} if same_core else {}
                self._counts = {}
                self._inflight = {}
                self._cache_key = state
            if key in self._cache:
                return self._cache[key]
            full = limit is not None and self._counts.get(key[0], 0) >= limit
            gate = self._inflight.get(key)
            owner = gate is None and not full
            if owner:
                gate = self._inflight[key] = threading.Lock()
                gate.acquire()
                if limit is not None:  # reserve the place now, so concurrent misses cannot overfill
                    self._counts[key[0]] = self._counts.get(key[0], 0) + 1
        if full:  # computed outside the lock: compute() may itself ask the cache
            return compute()
        if not owner:
            with gate:  # wait for the request computing it, then read its result
                pass
            with self._lock:
                if key in self._cache:
                    return self._cache[key]
            return compute()
        stored = False
        try:
            value = compute()
            with self._lock:
                if self._cache_key == state and key not in self._cache:
                    self._cache[key] = value
                    stored = True
            return value
        finally:
            if limit is not None and not stored:
                with self._lock:
                    if self._cache_key == state:
                        self._counts[key[0]] = self._counts.get(key[0], 1) - 1
            with self._lock:
                if self._inflight.get(key) is gate:
                    del self._inflight[key]
            gate.release()

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

    def analysis(self) -> dict[str, Any]:
        """Every analysis (audit, type, ladder, plain English, gaps, similar councils, editions)
        for every document, computed once per state of the store like coverage."""
        from stratlens.analyse.corpus import analyse_corpus

        return self.cached(("analysis",), lambda: analyse_corpus(self.store))

    def ladder(self, document_id: int) -> Ladder | None:
        """The document's practice ladder as the analyses computed it (None when not analysed)."""
        from stratlens.analyse.ladder import Ladder

        entry = self.analysis()["documents"].get(document_id)
        return Ladder.from_dict(entry["ladder"]) if entry else None

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Keyword search ranked by FTS5's bm25, like Store.search but without SQLite's snippet():
        the page makes its own highlighted snippet, and snippet() over every match of a common
        word ('digital' is in most passages) costs more than the search itself."""
        terms = [t.replace('"', "") for t in re.findall(r"[\w'’-]+", query) if t.strip("-'’")]
        if not terms:
            return []
        match = " ".join(f'"{t}"' for t in terms[:20])
        rows = self.store.conn.execute(
            """SELECT p.id, p.document_id, p.seq, p.page, p.heading, p.lang, p.text, d.title, d.year,
                      d.council_id, c.short AS council
               FROM (SELECT rowid, rank FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rank LIMIT ?) AS hit
               JOIN passages p ON p.id = hit.rowid JOIN documents d ON d.id = p.document_id
               JOIN councils c ON c.id = d.council_id ORDER BY hit.rank""",
            (match, limit),
        ).fetchall()
        return [dict(r) for r in rows]

    def passage_langs(self) -> dict[int, str]:
        """Language of every passage, so a quote in the other language gets its own `lang`."""
        return self.cached(("passage-langs",), lambda: {
            r[0]: r[1] for r in self.store.conn.execute("SELECT id, lang FROM passages") if r[1]})

    def passages(self, doc_id: int) -> list[dict[str, Any]]:
        return self.store.passages(doc_id)

    def passage_count(self) -> int:
        return sum(d["passages"] for d in self.documents())


def classifiable_frameworks() -> list[Framework]:
    """Frameworks whose themes passages are labelled with (the ones with coverage to show)."""
    return [f for f in list_frameworks() if f.classifiable]
