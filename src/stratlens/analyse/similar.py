"""Similar councils, to find partners for shared work.

Two measures, each a cosine between the councils' latest documents:
- theme profile: the vectors of coverage shares over the 12 LGA outcomes (what the strategies
  spend their words on);
- text: the mean MiniLM embedding of all the document's sentences (how they say it, and about
  what places and services); MiniLM for every document, so that all vectors share one space.
The combined score is their mean; when either document's labels are unreliable (see
analyse/profile.py) the profile is not used and the text score stands alone. Each match lists
the outcomes both cover and those the other covers and this council does not (what it could
learn from the partner).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from stratlens.analyse.embeddings import cosine, mean_vector
from stratlens.analyse.gaps import latest_per_council
from stratlens.analyse.profile import coverage_by_document, reliable
from stratlens.analyse.text import doc_text, latest_document
from stratlens.frameworks import LGA_ID, load_framework
from stratlens.store import Store


@dataclass
class Match:
    council_id: str
    council: str
    document_id: int
    title: str | None
    year: int | None
    nation: str | None
    profile: float | None
    text: float
    score: float
    both_cover: list[str] = field(default_factory=list)
    they_cover: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Similar:
    council_id: str
    document: dict[str, Any]
    profile_used: bool
    matches: list[Match]

    def as_dict(self) -> dict[str, Any]:
        return {"council_id": self.council_id,
                "document": {k: self.document.get(k) for k in ("id", "council", "title", "year")},
                "profile_used": self.profile_used, "matches": [m.as_dict() for m in self.matches]}


def _text_vector(store: Store, document_id: int) -> np.ndarray:
    return mean_vector([s.text for s in doc_text(store, document_id).sentences])


class _Vectors:
    """Profile and text vectors of the latest document of each council, computed once."""

    def __init__(self, store: Store) -> None:
        self.lga = load_framework(LGA_ID)
        self.cov = coverage_by_document(store, LGA_ID)
        self.latest = latest_per_council(store)
        self.text: dict[int, np.ndarray] = {}
        for d in self.latest.values():
            self.text[d["id"]] = _text_vector(store, d["id"])

    def profile(self, doc_id: int) -> np.ndarray | None:
        dc = self.cov[doc_id]
        if not reliable(dc):
            return None
        return np.array([dc.themes[t].share for t in self.lga.theme_ids], dtype=np.float32)

    def covered(self, doc_id: int) -> set[str]:
        dc = self.cov[doc_id]
        return {t for t in self.lga.theme_ids if dc.themes[t].covered} if reliable(dc) else set()


def similar_councils(store: Store, council: str, *, limit: int = 5, vectors: _Vectors | None = None) -> Similar:
    v = vectors or _Vectors(store)
    doc = latest_document(store, council)
    me_prof = v.profile(doc["id"])
    me_text = v.text.get(doc["id"])
    if me_text is None:
        me_text = _text_vector(store, doc["id"])
    mine = v.covered(doc["id"])
    out = []
    for other in v.latest.values():
        if other["council_id"] == doc["council_id"]:
            continue
        prof = v.profile(other["id"])
        p = cosine(me_prof, prof) if me_prof is not None and prof is not None else None
        t = cosine(me_text, v.text[other["id"]])
        score = (p + t) / 2 if p is not None else t
        theirs = v.covered(other["id"])
        out.append(Match(other["council_id"], other["council"], other["id"], other["title"], other["year"],
                         other.get("council_nation") or other.get("nation"), None if p is None else round(p, 4),
                         round(t, 4), round(score, 4), sorted(mine & theirs), sorted(theirs - mine)))
    out.sort(key=lambda m: -m.score)
    return Similar(doc["council_id"], doc, me_prof is not None, out[:limit])
