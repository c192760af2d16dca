"""The analyst review loop: show labelled passages, accept or correct them.

Passages are offered least-certain first (smallest gap between the two best scores), because a
correction there teaches the classifier most. Decisions are stored in the `reviews` table with
a copy of the text, so they survive re-ingesting and become training data for `stratlens train`
and evaluation data for `stratlens evaluate --reviews`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stratlens.store import Store


def main_theme(scores: dict[str, float], assigned: Iterable[str]) -> str | None:
    """The classifier's main theme for a passage, as a review records it on acceptance: the
    highest-scored of the themes it assigned, or its highest-scored theme if it assigned none.
    Training reads a review's first label as the passage's primary label."""
    pool = [t for t in assigned if t in scores] or list(scores)
    return max(pool, key=lambda t: scores[t]) if pool else None


@dataclass
class Candidate:
    passage_id: int
    text: str
    heading: str | None
    page: int | None
    council: str
    title: str
    ranked: list[tuple[str, float]]
    assigned: list[str]

    @property
    def margin(self) -> float:
        if len(self.ranked) < 2:
            return 1.0
        return self.ranked[0][1] - self.ranked[1][1]


def candidates(store: Store, framework_id: str, limit: int = 20, document_id: int | None = None) -> list[Candidate]:
    """Unreviewed passages with their labels, least certain first."""
    reviewed = {r["passage_id"] for r in store.reviews(framework_id)}
    docs = {d["id"]: d for d in store.documents()}
    by_passage: dict[int, Candidate] = {}
    for row in store.labels(framework_id, assigned_only=False):
        pid = row["passage_id"]
        if pid in reviewed or (document_id is not None and row["document_id"] != document_id):
            continue
        if len(row["text"]) < 60:
            continue
        cand = by_passage.get(pid)
        if cand is None:
            d = docs[row["document_id"]]
            cand = by_passage[pid] = Candidate(pid, row["text"], row["heading"], row["page"], d["council"],
                                               d["title"] or "", [], [])
        cand.ranked.append((row["theme_id"], row["score"]))
        if row["assigned"]:
            cand.assigned.append(row["theme_id"])
    out = list(by_passage.values())
    for c in out:
        c.ranked.sort(key=lambda x: -x[1])
    out.sort(key=lambda c: (c.margin, c.passage_id))
    return out[:limit]


def record(store: Store, framework_id: str, cand: Candidate, labels: list[str] | None,
           reviewer: str | None = None) -> str:
    """Store a decision: `labels=None` accepts the classifier's labels (its top theme first)."""
    if labels is None:
        main = main_theme(dict(cand.ranked), cand.assigned)
        chosen = ([main] if main else []) + [t for t in cand.assigned if t != main]
        decision = "accepted"
    else:
        chosen = labels
        decision = "corrected"
    store.add_review(cand.passage_id, cand.text, framework_id, chosen, decision, reviewer)
    return decision
