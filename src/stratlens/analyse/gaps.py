"""Gaps: themes a council covers weakly against its peers and against its national strategy,
and the themes most strategies in the corpus miss.

Each council is represented by its latest document. Peers are the other councils of the same
nation and type; when fewer than MIN_PEERS have a document, the same nation; then the whole
corpus. A theme is a gap against peers when the council does not cover it (the coverage rule of
analyse/coverage.py) while at least half its peers do; it is thin when the council covers it
with less than half the peers' median share of passages (shown, but weaker evidence: shares
move with a document's length and with every label). Against the national strategy (Wales only: the themes of
welsh-gov-vs-councils), a gap is a national theme the document does not cover. Documents whose
labels are unreliable (analyse/profile.py) are neither judged nor used as peers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from statistics import median
from typing import Any

from stratlens.analyse.coverage import DocumentCoverage
from stratlens.analyse.profile import coverage_by_document, reliable
from stratlens.analyse.text import council_documents
from stratlens.frameworks import LGA_ID, load_framework
from stratlens.store import Store

NATIONAL_ID = "welsh-gov-vs-councils"
MIN_PEERS = 2
WEAK_FRACTION = 0.5
#: Councils named as covering a theme best, for each corpus gap.
STRONGEST = 3


@dataclass
class ThemeGap:
    theme: str
    name: str
    name_cy: str | None
    share: float
    covered: bool
    peer_median_share: float
    peers_covering: int
    peers: int
    gap: bool
    thin: bool
    why: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class NationalGap:
    theme: str
    name: str
    name_cy: str | None
    covered: bool
    passages: int
    national_position: str
    councils_named: list[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CouncilGaps:
    council_id: str
    document: dict[str, Any]
    reliable: bool
    peer_group: str                      # 'nation and type' | 'nation' | 'corpus'
    peer_councils: list[str]
    themes: list[ThemeGap] = field(default_factory=list)
    national: list[NationalGap] | None = None
    national_note: str = ""

    @property
    def weak(self) -> list[ThemeGap]:
        return [t for t in self.themes if t.gap]

    @property
    def thin(self) -> list[ThemeGap]:
        return [t for t in self.themes if t.thin]

    @property
    def national_gaps(self) -> list[NationalGap]:
        return [n for n in (self.national or []) if not n.covered]

    def as_dict(self) -> dict[str, Any]:
        return {"council_id": self.council_id,
                "document": {k: self.document.get(k) for k in ("id", "council", "title", "year", "nation", "council_type")},
                "reliable": self.reliable, "peer_group": self.peer_group, "peer_councils": self.peer_councils,
                "weak_themes": [t.theme for t in self.weak],
                "thin_themes": [t.theme for t in self.thin], "themes": [t.as_dict() for t in self.themes],
                "national_gaps": [n.theme for n in self.national_gaps],
                "national": [n.as_dict() for n in self.national] if self.national is not None else None,
                "national_note": self.national_note}


def latest_per_council(store: Store, keep: Callable[[dict[str, Any]], bool] | None = None) -> dict[str, dict[str, Any]]:
    """Each council's latest document (of those `keep` accepts, when given: a filtered view)."""
    out: dict[str, dict[str, Any]] = {}
    for d in store.documents():
        if d.get("is_national") or (keep is not None and not keep(d)):
            continue
        cur = out.get(d["council_id"])
        if cur is None or (d["year"] or 0, d["id"]) > (cur["year"] or 0, cur["id"]):
            out[d["council_id"]] = d
    return out


def _nation(d: dict[str, Any]) -> str:
    return (d.get("council_nation") or d.get("nation") or "").lower()


def peers_of(doc: dict[str, Any], candidates: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    others = [c for c in candidates if c["council_id"] != doc["council_id"]]
    same_nation = [c for c in others if _nation(c) == _nation(doc)]
    same_type = [c for c in same_nation if (c.get("council_type") or "") == (doc.get("council_type") or "")]
    if len(same_type) >= MIN_PEERS:
        return "nation and type", same_type
    if len(same_nation) >= MIN_PEERS:
        return "nation", same_nation
    return "corpus", others


def council_gaps(store: Store, council: str, document_id: int | None = None) -> CouncilGaps:
    """Gaps of a council's latest document (or of `document_id`)."""
    docs = council_documents(store, council)
    doc = next((d for d in docs if d["id"] == document_id), None) if document_id else docs[-1]
    if doc is None:
        raise ValueError(f"document {document_id} does not belong to council {council}")
    lga = load_framework(LGA_ID)
    cov = coverage_by_document(store, LGA_ID)
    own = cov[doc["id"]]
    latest = latest_per_council(store)
    candidates = [d for d in latest.values() if reliable(cov[d["id"]])]
    group, peers = peers_of(doc, candidates)
    result = CouncilGaps(doc["council_id"], doc, reliable(own), group, sorted(p["council"] for p in peers))
    if result.reliable:
        result.themes = _theme_gaps(own, [cov[p["id"]] for p in peers], lga)
    result.national, result.national_note = _national(store, doc)
    return result


def _theme_gaps(own: DocumentCoverage, peers: list[DocumentCoverage], lga) -> list[ThemeGap]:
    out = []
    for theme in lga.themes:
        mine = own.themes[theme.id]
        peer_shares = [p.themes[theme.id].share for p in peers]
        med = median(peer_shares) if peer_shares else 0.0
        covering = sum(1 for p in peers if p.themes[theme.id].covered)
        most_cover = bool(peers) and covering * 2 >= len(peers) and covering > 0
        gap = thin = False
        why = ""
        if not mine.covered and most_cover:
            gap, why = True, f"not covered; {covering} of {len(peers)} peers cover it"
        elif mine.covered and most_cover and med > 0 and mine.share < WEAK_FRACTION * med:
            thin, why = True, f"covered thinly: {mine.share:.0%} of passages against a peer median of {med:.0%}"
        out.append(ThemeGap(theme.id, theme.label("en"), theme.name.cy if theme.name else None, round(mine.share, 4),
                            mine.covered, round(med, 4), covering, len(peers), gap, thin, why))
    return sorted(out, key=lambda t: (not t.gap, not t.thin, -(t.peer_median_share - t.share)))


def _national(store: Store, doc: dict[str, Any]) -> tuple[list[NationalGap] | None, str]:
    if _nation(doc) != "wales":
        return None, f"No national strategy framework for {doc.get('council_nation') or doc.get('nation') or 'this nation'} in the data; only the Welsh one (welsh-gov-vs-councils)."
    fw = load_framework(NATIONAL_ID)
    dc = coverage_by_document(store, NATIONAL_ID)[doc["id"]]
    if not reliable(dc):
        return None, "This document's labels for the national themes are unreliable (nearly every passage carries every theme)."
    out = []
    for theme in fw.themes:
        c = dc.themes[theme.id]
        extra = theme.model_extra or {}
        out.append(NationalGap(theme.id, theme.label("en"), theme.name.cy if theme.name else None, c.covered, c.passages,
                               str(extra.get("national_position") or ""), list(extra.get("councils") or [])))
    return out, "Themes of the Welsh Government's Digital Strategy for Wales (welsh-gov-vs-councils)."


@dataclass
class CorpusGap:
    theme: str
    name: str
    name_cy: str | None
    missing: int
    documents: int
    share_missing: float
    councils_missing: list[str]
    council_ids_missing: list[str] = field(default_factory=list)
    #: Councils whose latest strategy covers the theme with the largest share of its passages:
    #: corpus examples to learn from (council_id, council, document_id, share).
    covering_best: list[dict[str, Any]] = field(default_factory=list)
    #: Of the councils missing it, how many have no passage at all labelled with the theme (the
    #: rest mention it too thinly to count as covering it).
    silent: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CorpusGaps:
    themes: list[CorpusGap]
    documents: int
    excluded: list[str]          # councils whose labels are unreliable
    framework: str = LGA_ID
    #: The latest document of each council judged (id per council id), for callers that join.
    latest: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"framework": self.framework, "documents": self.documents, "excluded": self.excluded,
                "themes": [t.as_dict() for t in self.themes]}


def corpus_gaps(store: Store, framework_id: str = LGA_ID, *, keep: Callable[[dict[str, Any]], bool] | None = None,
                coverage: dict[int, DocumentCoverage] | None = None) -> CorpusGaps:
    """The themes (LGA outcomes by default) most councils' latest strategies do not cover, most
    missed first. `keep` limits the documents considered (the web app's nation / type / year
    filters); `coverage` is the framework's coverage by document id when the caller has it."""
    fw = load_framework(framework_id)
    cov = coverage if coverage is not None else coverage_by_document(store, framework_id)
    latest = {cid: d for cid, d in latest_per_council(store, keep).items() if d["id"] in cov}
    used = [d for d in latest.values() if reliable(cov[d["id"]])]
    excluded = sorted(d["council"] for d in latest.values() if not reliable(cov[d["id"]]))
    out = []
    for theme in fw.themes:
        missed = sorted((d for d in used if not cov[d["id"]].themes[theme.id].covered), key=lambda d: d["council"])
        covering = sorted((d for d in used if cov[d["id"]].themes[theme.id].covered),
                          key=lambda d: (-cov[d["id"]].themes[theme.id].share, d["council"]))
        best = [{"council_id": d["council_id"], "council": d["council"], "document_id": d["id"],
                 "share": round(cov[d["id"]].themes[theme.id].share, 4)} for d in covering[:STRONGEST]]
        n = len(used)
        silent = sum(1 for d in missed if cov[d["id"]].themes[theme.id].passages == 0)
        out.append(CorpusGap(theme.id, theme.label("en"), theme.name.cy if theme.name else None, len(missed), n,
                             round(len(missed) / n, 4) if n else 0.0, [d["council"] for d in missed],
                             [d["council_id"] for d in missed], best, silent))
    # Equally missed themes: the one more councils say nothing at all about comes first.
    return CorpusGaps(sorted(out, key=lambda g: (-g.missing, -g.silent, g.theme)), len(used), excluded, fw.id,
                      {cid: d["id"] for cid, d in latest.items()})
