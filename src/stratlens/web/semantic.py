"""Semantic search: passages ranked by cosine similarity to the query under the package's MiniLM.

Passage embeddings are computed on the first semantic query and then only for passages added
since, and kept in memory (384 floats a passage: 10k passages take 15 MB). The encoder is the
untuned MiniLM (`minilm-base`), as for the other similarity analyses: the classifier's tuned copy
groups passages by theme, which ranks a query's theme above its meaning.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

ENCODER = "minilm-base"


class SemanticIndex:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = np.zeros(0, dtype=np.int64)
        self._vectors = np.zeros((0, 384), dtype=np.float32)
        self._max_id = 0

    @staticmethod
    def _encode(texts: list[str]) -> np.ndarray:
        from stratlens.classify.scorer import shared_encoder

        return np.asarray(shared_encoder(ENCODER).encode(texts), dtype=np.float32)

    def _refresh(self, store) -> None:  # noqa: ANN001 - Store
        rows = store.conn.execute("SELECT id, text FROM passages WHERE id > ? ORDER BY id", (self._max_id,)).fetchall()
        live = {r[0] for r in store.conn.execute("SELECT id FROM passages")}
        if rows:
            vecs = self._encode([r["text"] for r in rows])
            self._ids = np.concatenate([self._ids, np.array([r["id"] for r in rows], dtype=np.int64)])
            self._vectors = np.vstack([self._vectors, vecs.reshape(len(rows), -1)])
            self._max_id = int(rows[-1]["id"])
        if len(live) != len(self._ids):  # passages were deleted: drop their vectors
            keep = np.isin(self._ids, np.array(sorted(live), dtype=np.int64))
            self._ids, self._vectors = self._ids[keep], self._vectors[keep]

    def search(self, store, query: str, limit: int = 20) -> list[dict[str, Any]]:  # noqa: ANN001
        """Passages nearest the query, best first, with their document's council and title."""
        with self._lock:
            self._refresh(store)
            if not len(self._ids) or not query.strip():
                return []
            q = self._encode([query])[0]
            scores = self._vectors @ q
            order = np.argsort(-scores)[:limit]
            hits = [(int(self._ids[i]), float(scores[i])) for i in order]
        out = []
        for pid, score in hits:
            row = store.conn.execute(
                """SELECT p.id, p.document_id, p.seq, p.page, p.heading, p.lang, p.text, d.title, d.year,
                          d.council_id, c.short AS council
                   FROM passages p JOIN documents d ON d.id = p.document_id JOIN councils c ON c.id = d.council_id
                   WHERE p.id = ?""", (pid,)).fetchone()
            if row:
                out.append({**dict(row), "score": round(score, 4)})
        return out
