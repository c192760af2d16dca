"""Two editions of a council's strategy compared: themes gained and lost, commitments kept,
completed, dropped and new.

Themes use the coverage rule (analyse/coverage.py) on the LGA outcomes (and, for Welsh councils,
the national themes): gained = covered by the later edition only, lost = by the earlier only.

Commitments are the concrete promises of each edition (analyse/commitments.py, dated or not).
An earlier commitment is compared with every sentence of the later edition by

    similarity = 0.5 * cosine(MiniLM embeddings) + 0.5 * (share of its content words in the sentence)

- kept: a later sentence marked as carried forward ("Carried forward from ...", "carried forward
  into this strategy", on it or on the sentence after it) matches with similarity >= KEEP_MARKED;
  or the best match (>= MATCH) is itself a promise;
- completed: the best match (>= MATCH) reports it done in the past tense;
- dropped: the best match reports it stopped ('closed', 'stopped', 'not carried forward'), or
  nothing in the later edition matches (>= MATCH): dropped silently.
A later commitment is new when no earlier commitment matches it (>= MATCH). A promise stated twice
in one edition (in its theme and again in a summary list, similarity >= REPEAT) counts once.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from stratlens.analyse.audit import audit_text
from stratlens.analyse.commitments import Commitment, extract
from stratlens.analyse.embeddings import embed
from stratlens.analyse.gaps import NATIONAL_ID, _nation
from stratlens.analyse.profile import coverage_by_document, reliable
from stratlens.analyse.strategy_type import classify_type, lga_profile
from stratlens.analyse.text import DocText, content_tokens, council_documents, doc_text
from stratlens.errors import StratlensError
from stratlens.frameworks import LGA_ID
from stratlens.store import Store

MATCH = 0.5
REPEAT = 0.55
KEEP_MARKED = 0.4
CARRIED = re.compile(r"\bcarried (?:forward|over)\b|\bwedi(?:'i|'u)? (?:gario|cario) ymlaen\b", re.IGNORECASE)
STOPPED = re.compile(r"\b(?:closed|stopped|ended|abandoned|dropped|withdrew|withdrawn|cancelled|not carried forward|"
                     r"did not go ahead|no longer)\b", re.IGNORECASE)
PAST_DONE = re.compile(r"\b(?:we (?:launched|moved|trained|saved|delivered|completed|introduced|opened|built|gave|"
                       r"provided|achieved|published|appointed|set up|rolled out)|had|has been|have been|was|were|"
                       r"now has|is now|are now|already)\b", re.IGNORECASE)
FUTURE = re.compile(r"\b(?:will|shall|byddwn|bydd)\b", re.IGNORECASE)


@dataclass
class CommitmentFate:
    text: str
    date: str | None
    status: str                        # kept | completed | dropped
    how: str                           # why this status
    later_text: str | None = None
    later_date: str | None = None
    similarity: float = 0.0
    page: int | None = None
    later_page: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ThemeChange:
    framework: str
    gained: list[str]
    lost: list[str]
    kept: list[str]
    reliable: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Editions:
    council_id: str
    earlier: dict[str, Any]
    later: dict[str, Any]
    themes: list[ThemeChange]
    type_change: dict[str, Any]
    criteria_changed: dict[str, dict[str, str]]
    earlier_commitments: list[CommitmentFate]
    new_commitments: list[Commitment] = field(default_factory=list)

    def fates(self, status: str) -> list[CommitmentFate]:
        return [c for c in self.earlier_commitments if c.status == status]

    def as_dict(self) -> dict[str, Any]:
        doc = lambda d: {k: d.get(k) for k in ("id", "title", "year")}  # noqa: E731
        return {"council_id": self.council_id, "earlier": doc(self.earlier), "later": doc(self.later),
                "themes": [t.as_dict() for t in self.themes], "type_change": self.type_change,
                "criteria_changed": self.criteria_changed,
                "counts": {s: len(self.fates(s)) for s in ("kept", "completed", "dropped")} | {"new": len(self.new_commitments)},
                "earlier_commitments": [c.as_dict() for c in self.earlier_commitments],
                "new_commitments": [c.as_dict() for c in self.new_commitments]}


def _theme_change(store: Store, framework_id: str, a: int, b: int) -> ThemeChange:
    cov = coverage_by_document(store, framework_id)
    ca, cb = cov[a], cov[b]
    ids = list(ca.themes)
    was = {t for t in ids if ca.themes[t].covered}
    now = {t for t in ids if cb.themes[t].covered}
    return ThemeChange(framework_id, sorted(now - was), sorted(was - now), sorted(was & now),
                       reliable(ca) and reliable(cb))


def similarity_matrix(a: list[str], b: list[str]) -> np.ndarray:
    """0.5 * cosine + 0.5 * share of each a-text's content words found in each b-text."""
    if not a or not b:
        return np.zeros((len(a), len(b)))
    cos = embed(a) @ embed(b).T
    ta = [content_tokens(x) for x in a]
    tb = [content_tokens(x) for x in b]
    overlap = np.array([[len(x & y) / max(1, len(x)) for y in tb] for x in ta])
    return 0.5 * cos + 0.5 * overlap


def merge_repeats(items: list[Commitment]) -> list[Commitment]:
    """One entry per promise: a strategy often states a commitment in its theme and again in a
    summary list. Of two commitments with similarity >= REPEAT, the dated (else the first) stays."""
    if len(items) < 2:
        return items
    sim = similarity_matrix([c.text for c in items], [c.text for c in items])
    sim = np.minimum(sim, sim.T)
    drop: set[int] = set()
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if i in drop or j in drop or sim[i, j] < REPEAT:
                continue
            keep_j = items[j].date is not None and items[i].date is None
            drop.add(i if keep_j else j)
    return [c for k, c in enumerate(items) if k not in drop]


def compare_commitments(earlier: DocText, later: DocText) -> tuple[list[CommitmentFate], list[Commitment]]:
    old = merge_repeats(extract(earlier, include_undated=True))
    new = merge_repeats(extract(later, include_undated=True))
    sents = later.sentences
    texts = [s.text for s in sents]
    carried = [bool(CARRIED.search(s.text)) or (i + 1 < len(sents) and bool(CARRIED.search(sents[i + 1].text))
                                                 and not FUTURE.search(sents[i + 1].text))
               for i, s in enumerate(sents)]
    sim = similarity_matrix([c.text for c in old], texts)
    fates = []
    for i, c in enumerate(old):
        row = sim[i] if len(texts) else np.zeros(0)
        marked = [j for j in range(len(texts)) if carried[j]]
        best_marked = max(marked, key=lambda j: row[j]) if marked else None
        best = int(np.argmax(row)) if len(row) else None
        if best_marked is not None and row[best_marked] >= KEEP_MARKED and (best is None or row[best_marked] >= row[best] - 0.15):
            j, status, how = best_marked, "kept", "carried forward in the later edition"
        elif best is not None and row[best] >= MATCH:
            j = best
            text = texts[j]
            if STOPPED.search(text):
                status, how = "dropped", "the later edition says it was stopped"
            elif FUTURE.search(text) and not PAST_DONE.search(text.split(",")[0]):
                status, how = "kept", "promised again in the later edition"
            elif PAST_DONE.search(text):
                status, how = "completed", "reported done in the later edition"
            else:
                status, how = "kept", "still described in the later edition"
        else:
            fates.append(CommitmentFate(c.text, c.date, "dropped", "not mentioned in the later edition",
                                        similarity=round(float(row.max()) if len(row) else 0.0, 4), page=c.page))
            continue
        s = sents[j]
        later_date = next((n.date for n in new if n.sentence_index == s.index), None)
        fates.append(CommitmentFate(c.text, c.date, status, how, s.text, later_date, round(float(row[j]), 4), c.page,
                                    s.page))
    back = similarity_matrix([n.text for n in new], [c.text for c in old])
    fresh = [n for k, n in enumerate(new) if not len(old) or float(back[k].max()) < MATCH]
    return fates, fresh


def compare_editions(store: Store, council: str, earlier_id: int | None = None, later_id: int | None = None,
                     *, audits: dict[int, Any] | None = None, types: dict[int, Any] | None = None) -> Editions:
    """Compare a council's two latest editions (or the two documents given). `audits` and
    `types` (document id -> audit_text / classify_type result) let a caller that already has
    them, such as analyse_corpus, skip computing them again."""
    docs = council_documents(store, council)
    if earlier_id and later_id:
        pair = [d for d in docs if d["id"] in (earlier_id, later_id)]
        pair.sort(key=lambda d: (d["year"] or 0, d["id"]))
    else:
        pair = docs[-2:]
    if len(pair) < 2:
        raise StratlensError(f"council {council!r} has only one document in this store; editions need two")
    a, b = pair
    ta, tb = doc_text(store, a["id"]), doc_text(store, b["id"])
    themes = [_theme_change(store, LGA_ID, a["id"], b["id"])]
    if _nation(b) == "wales":
        themes.append(_theme_change(store, NATIONAL_ID, a["id"], b["id"]))
    types = types or {}
    audits = audits or {}
    type_a = types.get(a["id"]) or classify_type(ta, lga_profile(store, a["id"]))
    type_b = types.get(b["id"]) or classify_type(tb, lga_profile(store, b["id"]))
    if a["id"] in audits and b["id"] in audits:
        audit_a, audit_b = audits[a["id"]], audits[b["id"]]
    else:
        labels = store.labels("good-digital-strategy", assigned_only=False)
        audit_a, audit_b = audit_text(ta, labels), audit_text(tb, labels)
    changed = {c.criterion: {"from": c.status, "to": audit_b.status(c.criterion)} for c in audit_a.criteria
               if c.status != audit_b.status(c.criterion)}
    fates, fresh = compare_commitments(ta, tb)
    return Editions(b["council_id"], a, b, themes, {"from": type_a.types, "to": type_b.types}, changed, fates, fresh)
