"""The LGA practice ladder: for each outcome, the stage a strategy evidences and what comes next.

Each of the 12 LGA outcomes has three stages of three actions (lga-digitalisation-outcomes
`practices`). An action is evidenced when some sentence of the strategy (a passage for Welsh
text, embedded with the multilingual encoder) matches it:

    score = cosine(sentence, action) + KEYWORD_WEIGHT * (share of the action's content words in
            the sentence)

with score >= THRESHOLD (a higher one for the multilingual encoder), the sentence matches this
action nearly as well as any action of any outcome (within MARGIN: the coding rule that a
passage belongs to the outcome naming its main subject), and the sentence's passage is about the
outcome: the classifier assigned the outcome to it, or it contains one of the outcome's keywords.
Stages are cumulative: a strategy is at stage k when rung k has an action evidenced and rungs
1..k together have at least STAGE_MIN * k (one in three), so evidence for a higher rung also counts; stage 0 means not yet on the ladder. Aspirations ("we want", "our vision is") and
promises with only a vague verb ("we will explore") are not evidence. The next actions are the unevidenced actions of
the stages up to and including the next one. With each outcome come councils to learn from: the
LGA's notable-practice examples for that outcome (same nation first) and the most similar
councils in the corpus that stand higher on that rung.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from stratlens.analyse.embeddings import embed, embed_fixed, encoder_for
from stratlens.analyse.text import DocText, content_tokens, doc_text
from stratlens.frameworks import LGA_ID, load_framework
from stratlens.store import Store

NOTABLE_ID = "lga-notable-practice"
THRESHOLD = 0.55
#: The multilingual encoder places unrelated texts closer together than MiniLM does.
THRESHOLDS = {"minilm-base": THRESHOLD, "e5": 0.83}
MARGIN = 0.03
KEYWORD_WEIGHT = 0.25
STAGE_MIN = 1
#: Aspirations are not evidence that a practice is in place or planned.
ASPIRATION = re.compile(r"^(?:we want|we hope|we believe|we aspire|our (?:vision|ambition|aim) is|we are proud|"
                        r"by embracing)\b|\btruly digital\b|\bnever stand still\b|\b(?:will|to) be (?:explored|considered)\b|"
                        r"\bconsideration will be given\b", re.IGNORECASE)
MAX_EXAMPLES = 3


@dataclass
class ActionEvidence:
    action: str
    stage: int
    text: str
    evidenced: bool
    score: float
    quote: str | None = None
    passage_id: int | None = None
    page: int | None = None
    heading: str | None = None
    tense: str | None = None        # past | future | present: how the strategy speaks of it

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class OutcomeLadder:
    outcome: str
    name: str
    name_cy: str | None
    stage: int
    actions: list[ActionEvidence]
    next_actions: list[ActionEvidence] = field(default_factory=list)
    notable_practice: list[dict[str, Any]] = field(default_factory=list)
    learn_from: list[dict[str, Any]] = field(default_factory=list)

    @property
    def evidenced(self) -> int:
        return sum(1 for a in self.actions if a.evidenced)

    def as_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "name": self.name, "name_cy": self.name_cy, "stage": self.stage,
                "evidenced": self.evidenced, "actions": [a.as_dict() for a in self.actions],
                "next_actions": [a.action for a in self.next_actions],
                "notable_practice": self.notable_practice, "learn_from": self.learn_from}


@dataclass
class Ladder:
    document: dict[str, Any]
    outcomes: list[OutcomeLadder]

    def outcome(self, outcome_id: str) -> OutcomeLadder:
        return next(o for o in self.outcomes if o.outcome == outcome_id)

    def as_dict(self) -> dict[str, Any]:
        return {"document": {k: self.document.get(k) for k in ("id", "council_id", "council", "title", "year")},
                "outcomes": [o.as_dict() for o in self.outcomes]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ladder:
        """The ladder back from `as_dict()`, so a ladder computed once (analyse/corpus.py, kept by
        the web app per state of the store) can pre-fill a self-assessment without embedding the
        strategy again. Next actions are matched back by id."""
        outcomes = []
        for o in data["outcomes"]:
            actions = [ActionEvidence(**a) for a in o["actions"]]
            nxt = set(o.get("next_actions") or [])
            outcomes.append(OutcomeLadder(o["outcome"], o["name"], o.get("name_cy"), o["stage"], actions,
                                          [a for a in actions if a.action in nxt],
                                          list(o.get("notable_practice") or []), list(o.get("learn_from") or [])))
        return cls(dict(data["document"]), outcomes)


_PAST = re.compile(r"\b(?:we have|we've|has been|have been|already|is in place|are in place|we (?:launched|signed|moved|"
                   r"introduced|appointed|set up|published|adopted|rebuilt|built|completed|achieved|created|trained)|"
                   r"rydym wedi|mae .{0,20} wedi)\b", re.IGNORECASE)
_FUTURE = re.compile(r"\b(?:will|shall|we aim|we plan|byddwn|bydd)\b", re.IGNORECASE)


def tense_of(text: str) -> str:
    if _PAST.search(text):
        return "past"
    if _FUTURE.search(text):
        return "future"
    return "present"


def stage_reached(evidenced_by_stage: dict[int, int]) -> int:
    """Highest stage k with an action evidenced on rung k itself and at least STAGE_MIN * k
    actions evidenced on rungs 1..k together (stages are cumulative: a rung reached implies the
    ones below, and evidence on higher rungs counts towards them)."""
    stage, total = 0, 0
    for k in (1, 2, 3):
        total += evidenced_by_stage.get(k, 0)
        if evidenced_by_stage.get(k, 0) and total >= STAGE_MIN * k:
            stage = k
    return stage


def _keywords(theme) -> list[str]:
    return [k.lower() for k in (theme.keywords.en + theme.keywords.cy) if len(k) > 2]


def document_ladder(doc: DocText, assigned: dict[int, set[str]] | None = None) -> Ladder:
    """The ladder of one document; `assigned` maps passage id -> LGA outcomes the classifier gave
    it (pass None when the document's labels are unreliable: keywords alone then decide what a
    passage is about)."""
    lga = load_framework(LGA_ID)
    welsh = doc.lang == "cy"
    if welsh:  # passages, multilingual encoder
        items = [(u.text, u.passage_id, u.page, u.heading, u.text) for u in doc.units]
    else:
        items = [(s.text, s.unit.passage_id, s.page, s.heading, s.unit.text) for s in doc.sentences
                 if len(s.text.split()) >= 4 and not _aspiration(s.text)]
    encoder = encoder_for(doc.lang)
    threshold = THRESHOLDS.get(encoder, THRESHOLD)
    actions = [(theme, p, a) for theme in lga.themes for p in sorted(theme.practices, key=lambda p: p.stage)
               for a in p.actions]
    outcomes: list[OutcomeLadder] = []
    if not items:
        for theme in lga.themes:
            rows = [ActionEvidence(a.id, p.stage, a.text.strip(), False, 0.0) for t, p, a in actions if t.id == theme.id]
            outcomes.append(OutcomeLadder(theme.id, theme.label("en"), theme.name.cy if theme.name else None, 0, rows,
                                          [r for r in rows if r.stage == 1]))
        return Ladder(doc.document, outcomes)
    A = embed_fixed([a.text for _, _, a in actions], encoder)
    S = embed([t for t, *_ in items], encoder)
    tokens = [content_tokens(t) for t, *_ in items]
    atoks = [content_tokens(a.text) for _, _, a in actions]
    overlap = np.array([[len(at & tk) / max(1, len(at)) for at in atoks] for tk in tokens])
    score = S @ A.T + KEYWORD_WEIGHT * overlap
    # A sentence evidences only the actions it matches (nearly) best, across every outcome: the
    # coding rule that a passage belongs to the outcome naming its main subject (staff skills are
    # organisational capability, not the local economy's skills).
    best_any = score.max(axis=1, keepdims=True)
    score = np.where(score >= best_any - MARGIN, score, -1.0)
    contexts = list(dict.fromkeys(ctx for *_, ctx in items))
    for theme in lga.themes:
        rx = _keyword_regex(theme.id)
        has_kw = {ctx: bool(rx.search(ctx.lower())) for ctx in contexts}
        if assigned is not None:
            about = np.array([theme.id in assigned.get(pid, set()) or has_kw[ctx]
                              for _, pid, _, _, ctx in items], dtype=bool)
        else:
            about = np.array([has_kw[ctx] for *_, ctx in items], dtype=bool)
        rows = []
        for j, (t, p, a) in enumerate(actions):
            if t.id != theme.id:
                continue
            col = np.where(about, score[:, j], -1.0)
            best = int(np.argmax(col))
            best_score = float(col[best])
            if best_score >= threshold:
                text, pid, page, heading, _ = items[best]
                rows.append(ActionEvidence(a.id, p.stage, a.text.strip(), True, round(best_score, 4), text[:400], pid,
                                           page, heading, tense_of(text)))
            else:
                rows.append(ActionEvidence(a.id, p.stage, a.text.strip(), False, round(max(best_score, 0.0), 4)))
        by_stage = {k: sum(1 for r in rows if r.stage == k and r.evidenced) for k in (1, 2, 3)}
        stage = stage_reached(by_stage)
        nxt = [r for r in rows if not r.evidenced and r.stage <= min(3, stage + 1)]
        outcomes.append(OutcomeLadder(theme.id, theme.label("en"), theme.name.cy if theme.name else None, stage, rows, nxt))
    return Ladder(doc.document, outcomes)


def _aspiration(text: str) -> bool:
    """An aspiration, or a promise with only a vague verb ('we will embrace', 'we will explore')."""
    if ASPIRATION.search(text):
        return True
    from stratlens.analyse.commitments import FUTURE_WE, is_concrete

    return bool(FUTURE_WE.search(text)) and not is_concrete(text)


@lru_cache(maxsize=64)
def _keyword_regex(theme_id: str) -> re.Pattern[str]:
    """One pattern for all of an outcome's English and Welsh keywords, as whole words."""
    theme = load_framework(LGA_ID).theme(theme_id)
    kws = sorted(_keywords(theme), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in kws) + r")(?!\w)")


def notable_practice(outcome: str, nation: str | None) -> list[dict[str, Any]]:
    """The LGA's notable-practice examples for an outcome, councils of the same nation first."""
    np_fw = load_framework(NOTABLE_ID)
    rows = [e for e in np_fw.examples if e.outcome == outcome]
    nation = (nation or "").lower()
    rows.sort(key=lambda e: (str(e.annex_b.get("nation", "")).lower() != nation, e.id))
    return [{"id": e.id, "council": e.council, "summary": e.summary, "category": e.category or e.suggested_category,
             "nation": e.annex_b.get("nation")} for e in rows[:MAX_EXAMPLES]]


def _assigned(store: Store, document_id: int) -> dict[int, set[str]] | None:
    from stratlens.analyse.profile import coverage_by_document, reliable

    if not reliable(coverage_by_document(store, LGA_ID)[document_id]):
        return None
    out: dict[int, set[str]] = {}
    for r in store.labels(LGA_ID, assigned_only=True):
        if r["document_id"] == document_id:
            out.setdefault(r["passage_id"], set()).add(r["theme_id"])
    return out


def ladder(store: Store, document_id: int, *, with_peers: bool = True) -> Ladder:
    """The document's ladder with notable practice and, when asked, corpus councils to learn from."""
    doc = doc_text(store, document_id)
    lad = document_ladder(doc, _assigned(store, document_id))
    nation = doc.document.get("council_nation") or doc.document.get("nation")
    for o in lad.outcomes:
        o.notable_practice = notable_practice(o.outcome, nation)
    if with_peers:
        _add_learn_from(store, lad)
    return lad


def _add_learn_from(store: Store, lad: Ladder) -> None:
    from stratlens.analyse.gaps import latest_per_council
    from stratlens.analyse.similar import similar_councils

    sim = similar_councils(store, lad.document["council_id"], limit=50)
    others = {m.council_id: m for m in sim.matches}
    latest = latest_per_council(store)
    ladders = {cid: document_ladder(doc_text(store, d["id"]), _assigned(store, d["id"]))
               for cid, d in latest.items() if cid in others}
    for o in lad.outcomes:
        better = [(others[cid], lad2.outcome(o.outcome)) for cid, lad2 in ladders.items()
                  if lad2.outcome(o.outcome).stage > o.stage]
        better.sort(key=lambda x: (-x[0].score, -x[1].stage))
        o.learn_from = [{"council_id": m.council_id, "council": m.council, "document_id": m.document_id,
                         "stage": ol.stage, "similarity": m.score} for m, ol in better[:MAX_EXAMPLES]]
