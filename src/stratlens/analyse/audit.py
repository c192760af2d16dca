"""Quality audit of a strategy against the good-digital-strategy checklist.

Each of the 16 criteria is marked met, partly-met, not-met or not-assessable following the
checklist's own rule: 'met' needs the concrete signal in the document itself, 'partly-met' the
stated intention without it, 'not-met' neither (or a counter-signal that dominates). The
signals are regular expressions (audit_signals.py) plus what the commitment extractor finds
(dates, owners, measures). Every mark comes with the sentences that earned it, or says what
was looked for and not found.

The classifier's labels for good-digital-strategy are shown beside each criterion (how many
passages it assigned) and used to order the evidence, but they do not decide the mark: a
passage classifier says what a passage is about, not whether a criterion is met, and on the
example corpus "met when the classifier covers it" agrees with the answer key on 69 of 120
marks against 120 for the rules (docs/analysis.md). Where the classifier sees a criterion on
several passages and the rules find nothing, the criterion is flagged for review.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from stratlens.analyse import commitments as cm
from stratlens.analyse.audit_signals import (BASELINE_WORDS, FUNDING, MEASURE_HEADING, MONEY, PLAN_HEADING,
                                             PLAN_NAME, POSTS, ACCOUNTABLE, SAVING, SIGNALS, FUTURE)
from stratlens.analyse.coverage import covers
from stratlens.analyse.dates import strategy_period
from stratlens.analyse.roles import find_roles
from stratlens.analyse.text import DocText, Quote, Sentence, doc_text, quote_of
from stratlens.frameworks import load_framework
from stratlens.store import Store

CHECKLIST_ID = "good-digital-strategy"
STATUSES = ("met", "partly-met", "not-met", "not-assessable")
MIN_WORDS = 150
MAX_QUOTES = 4
#: A document's checklist labels are ignored when this share of its passages carry this share of
#: the criteria: the labels then say nothing about any one criterion.
SATURATED = 0.75


@dataclass
class CriterionResult:
    criterion: str
    name: str
    name_cy: str | None
    status: str
    reason: str
    evidence: list[Quote] = field(default_factory=list)
    counter_evidence: list[Quote] = field(default_factory=list)
    classifier_passages: int = 0
    classifier_covers: bool = False
    review: bool = False

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["evidence"] = [q.as_dict() for q in self.evidence]
        d["counter_evidence"] = [q.as_dict() for q in self.counter_evidence]
        return d


@dataclass
class Audit:
    document: dict[str, Any]
    language: str
    words: int
    period: tuple[int, int] | None
    criteria: list[CriterionResult]
    commitments: list[cm.Commitment]
    owners: list[str]
    classifier_reliable: bool

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(1 for c in self.criteria if c.status == s) for s in STATUSES}

    def status(self, criterion: str) -> str:
        return next(c.status for c in self.criteria if c.criterion == criterion)

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": {k: self.document.get(k) for k in ("id", "council_id", "council", "title", "year", "nation")},
            "language": self.language, "words": self.words,
            "period": list(self.period) if self.period else None,
            "counts": self.counts, "classifier_reliable": self.classifier_reliable,
            "criteria": [c.as_dict() for c in self.criteria],
            "commitments": [c.as_dict() for c in self.commitments],
            "owners": self.owners,
        }


# -- context shared by the criterion rules ------------------------------------------------------------
@dataclass
class _Ctx:
    doc: DocText
    commitments: list[cm.Commitment]        # dated only
    promises: list[cm.Commitment]           # dated and concrete undated
    label_scores: dict[int, float]          # passage id -> score, for the criterion being judged

    def find(self, patterns: list[tuple[str, re.Pattern[str]]], *, where: Callable[[Sentence], bool] | None = None
             ) -> list[tuple[Sentence, str]]:
        out = []
        for s in self.doc.sentences:
            if where and not where(s):
                continue
            for label, rx in patterns:
                if rx.search(s.text):
                    out.append((s, label))
                    break
        return out

    def quotes(self, hits: list[tuple[Sentence, str]]) -> list[Quote]:
        """Best first: the sentences whose passage the classifier scored highest for the criterion."""
        ranked = sorted(hits, key=lambda h: (-self.label_scores.get(h[0].unit.passage_id, 0.0), h[0].index))
        seen, out = set(), []
        for s, label in ranked:
            if s.index in seen:
                continue
            seen.add(s.index)
            out.append(quote_of(s, label))
            if len(out) == MAX_QUOTES:
                break
        return sorted(out, key=lambda q: (q.page or 0, q.passage_id))


Rule = Callable[[_Ctx], tuple[str, str, list[tuple[Sentence, str]], list[tuple[Sentence, str]]]]


def _signals(ctx: _Ctx, cid: str) -> tuple[list, list, list]:
    sig = SIGNALS.get(cid)
    if sig is None:
        return [], [], []
    return ctx.find(sig.met), ctx.find(sig.partly), ctx.find(sig.counter)


def _generic(cid: str, met_reason: str, partly_reason: str, none_reason: str) -> Rule:
    def rule(ctx: _Ctx):
        met, partly, counter = _signals(ctx, cid)
        if met and len(counter) <= len(met):
            return "met", met_reason, met, counter
        if counter:
            return "not-met", none_reason + " A counter-signal is present.", [], counter
        if partly:
            return "partly-met", partly_reason, partly, counter
        return "not-met", none_reason, [], counter
    return rule


def _outcome_focused(ctx: _Ctx):
    met, _, counter = _signals(ctx, "outcome-focused")
    strong = [h for h in met if h[1] != "changes for people" and h[1] != "newidiadau i bobl"]
    people = [h for h in met if h not in strong]
    if counter and len(counter) >= len(strong) and len(people) < 3 * max(1, len(counter)):
        return "not-met", "Digital or technology is presented as the aim.", [], counter
    if strong or len(people) >= 3:
        return "met", "Technology is presented as a way of reaching outcomes for people.", strong + people, counter
    if people:
        return "partly-met", "Some objectives are phrased as changes for people, without an outcome framing.", people, counter
    return "not-met", "No objective is phrased as an outcome for people.", [], counter


def _specific_objectives(ctx: _Ctx):
    concrete = [(_sent(ctx, c), "concrete commitment") for c in ctx.promises]
    vague = ctx.find([("vague promise", re.compile(
        r"\b(?:we will|the council will|will)\s+(?:also\s+|seek to\s+|continue to\s+)?(?:explore|consider|embrace|"
        r"seek|look for ways|strive|leverage|be explored|be considered)\b|\bconsideration will be given\b", re.I))])
    if len(concrete) >= 3:
        return "met", f"{len(concrete)} concrete commitments that could be marked done or not done.", concrete, vague
    if concrete:
        return "partly-met", f"Only {len(concrete)} concrete commitment(s); the rest is aspiration.", concrete, vague
    return "not-met", "No commitment concrete enough to check later" + (" (only explore, consider, embrace)." if vague else "."), [], vague


def _section(s: Sentence) -> str:
    """The heading path below the document title (the title alone says nothing about a section)."""
    parts = (s.heading or "").split(" > ")
    return " > ".join(parts[1:]) if len(parts) > 1 else ""


def _sent(ctx: _Ctx, c: cm.Commitment) -> Sentence:
    return ctx.doc.sentences[c.sentence_index]


def _roadmap(ctx: _Ctx):
    met, partly, _ = _signals(ctx, "prioritised-roadmap")
    met += [(s, "plan heading") for s in ctx.doc.sentences if PLAN_HEADING.search(_section(s))][:2]
    years = {c.date for c in ctx.commitments if c.form == "row"}
    if len(years) >= 2:
        rows = [(_sent(ctx, c), "work grouped by year") for c in ctx.commitments if c.form == "row"]
        met += rows[:2]
    if met:
        return "met", "The work is put in order (phases, years or a roadmap).", met, []
    if partly:
        return "partly-met", "A priority is named but the work is not sequenced.", partly, []
    return "not-met", "A flat list of ambitions with no order, phases or roadmap.", [], []


def _metrics(ctx: _Ctx):
    met, partly, counter = _signals(ctx, "success-metrics")
    labelled = [c for c in ctx.promises if c.measure and (c.target or c.baseline)]
    sections: dict[str, str] = {}
    for u in ctx.doc.units:
        sections[u.heading or ""] = sections.get(u.heading or "", "") + " " + u.text
    table = [s for s in ctx.doc.sentences
             if MEASURE_HEADING.search(_section(s)) and BASELINE_WORDS.search(sections[s.heading or ""])
             and len(cm._quantities(sections[s.heading or ""])) >= 3]
    evidence = [(_sent(ctx, c), "measure with baseline or target") for c in labelled] + \
               [(s, "measures table with baseline or target") for s in table[:2]]
    if len(labelled) >= 2 or table or len(met) >= 3:
        return "met", "Measures with numeric targets (and baselines) are stated.", evidence + met, counter
    if partly or met or labelled:
        return "partly-met", "Measures are named but without baselines and targets.", partly + met + evidence, counter
    reason = "Success is described only in words." if counter else "No measure of success is stated."
    return "not-met", reason, [], counter


def _local_plans(ctx: _Ctx):
    named = []
    for s in ctx.doc.sentences:
        names = [m.group(0) for m in PLAN_NAME.finditer(s.text) if "Digital" not in m.group(0)
                 and "Ddigidol" not in m.group(0)]
        if names:
            promised = FUTURE.search(s.text) and re.search(r"\b(?:publish|develop|write|produce)\b", s.text)
            named.append((s, "named plan: " + ", ".join(dict.fromkeys(names)) + (" (promised)" if promised else "")))
    current = [h for h in named if not h[1].endswith("(promised)")]
    if current:
        return "met", "Other local plans are named and linked.", current, []
    _, partly, _ = _signals(ctx, "maps-to-local-plans")
    if named or partly:
        return "partly-met", "Other plans are mentioned but not named, or only promised.", named + partly, []
    return "not-met", "No other council or place plan is named.", [], []


def _resources(ctx: _Ctx):
    money = [(s, "sum of money allocated") for s in ctx.doc.sentences
             if MONEY.search(s.text) and FUNDING.search(s.text)
             and not (SAVING.search(s.text) and not re.search(r"\b(?:capital|revenue|funded|set aside|will cost)\b", s.text, re.I))]
    posts = [(s, "posts funded") for s in ctx.doc.sentences if POSTS.search(s.text)]
    _, partly, _ = _signals(ctx, "resources-identified")
    if money or posts:
        return "met", "Money or posts for the strategy are identified.", money + posts, []
    if partly:
        return "partly-met", "Resources are mentioned without figures (e.g. 'within existing resources').", partly, []
    return "not-met", "No cost, funding source or posts are mentioned.", [], []


def _ownership(ctx: _Ctx):
    named = []
    for s in ctx.doc.sentences:
        roles = find_roles(s.text)
        if roles and ACCOUNTABLE.search(s.text):
            named.append((s, "named owner: " + ", ".join(roles)))
    owners = [(_sent(ctx, c), f"owner: {c.owner}") for c in ctx.promises if c.owner_source == "label"]
    if named or owners:
        return "met", "Named roles or boards own the strategy or its commitments.", named + owners, []
    mentioned = [(s, "role named: " + ", ".join(find_roles(s.text))) for s in ctx.doc.sentences if find_roles(s.text)]
    _, partly, _ = _signals(ctx, "named-ownership")
    if mentioned or partly:
        return "partly-met", "A role or board is mentioned but not given ownership.", mentioned + partly, []
    return "not-met", "No owner or governance body is named (only 'the council').", [], []


def _corporate_finance(ctx: _Ctx):
    met, partly, _ = _signals(ctx, "corporate-financial-integration")
    met = [h for h in met if h[1] != "in the financial plan" or re.search(
        r"\b(?:sav\w*|counts? on|includ\w*|built into|reflected|target|arbed\w*)\b", h[0].text, re.I)]
    savings = [(s, "savings target") for s in ctx.doc.sentences if MONEY.search(s.text) and SAVING.search(s.text)]
    if met:
        return "met", "Digital sits in the corporate plan or the medium-term financial plan counts on it.", met, []
    if savings or partly:
        return "partly-met", "Savings are expected but not tied to the financial plan.", savings + partly, []
    return "not-met", "Digital is not tied to the corporate plan or the financial strategy.", [], []


def _timelines(ctx: _Ctx):
    dated = [(_sent(ctx, c), f"{c.date_text} -> {c.date}") for c in ctx.commitments]
    if len(dated) >= 2:
        return "met", f"{len(dated)} actions carry dates.", dated, []
    period = strategy_period(ctx.doc.document.get("title"), " ".join(u.text for u in ctx.doc.units[:3]))
    if dated or period:
        why = "Only one action carries a date." if dated else \
            f"Only the strategy period ({period[0]}-{period[1]}) is given; no action carries a date."
        return "partly-met", why, dated, []
    return "not-met", "No dates at all for the actions.", [], []


def _research(ctx: _Ctx):
    met, partly, _ = _signals(ctx, "user-research-based")
    done = [h for h in met if not FUTURE.search(h[0].text) and h[0].kind != "item" or h[1] == "user researchers"]
    if done:
        return "met", "User research is reported or staffed.", done, []
    if met or partly:
        return "partly-met", "User research is promised, with no method, findings or staff.", met + partly, []
    return "not-met", "No user research is reported or planned.", [], []


RULES: dict[str, Rule] = {
    "outcome-focused": _outcome_focused,
    "user-needs-grounded": _generic("user-needs-grounded", "Engagement with residents, staff or councillors is described.",
                                    "Engagement is promised but not described.", "No engagement is described."),
    "specific-objectives": _specific_objectives,
    "prioritised-roadmap": _roadmap,
    "success-metrics": _metrics,
    "maps-to-local-plans": _local_plans,
    "learns-from-others": _generic("learns-from-others", "Other councils' work is cited, reused or benchmarked.",
                                   "Best practice is mentioned without a source.", "No external reference of any kind."),
    "review-and-reporting": _generic("review-and-reporting", "A review cycle or progress reporting is stated.",
                                     "Review is mentioned without an interval or a body.", "No review or reporting is mentioned."),
    "implementation-plan": None,  # set below (needs the commitments count)
    "resources-identified": _resources,
    "named-ownership": _ownership,
    "corporate-financial-integration": _corporate_finance,
    "delivery-timelines": _timelines,
    "shared-approach": _generic("shared-approach", "National strategy, shared standards or joint work are named.",
                                "National government is named without a shared approach.",
                                "A purely local plan with no national or regional reference."),
    "user-research-based": _research,
    "behaviour-based-understanding": _generic("behaviour-based-understanding",
                                              "Residents are described by behaviour, not demographic assumption.",
                                              "Channel figures are given without behaviour-based groups.",
                                              "Residents are not described by behaviour."),
}


def _implementation(ctx: _Ctx):
    met, _, counter = _signals(ctx, "implementation-plan")
    plan = [(s, "plan section") for s in ctx.doc.sentences if PLAN_HEADING.search(_section(s))][:2]
    met = plan + met
    if met:
        return "met", "A delivery plan with projects is set out.", met, counter
    if counter:
        return "not-met", "A delivery plan is only promised for later.", [], counter
    if len(ctx.promises) >= 5:
        return "partly-met", "Concrete actions are listed but not organised into a delivery plan.", \
            [(_sent(ctx, c), "action") for c in ctx.promises[:3]], []
    return "not-met", "No projects or delivery plan.", [], []


RULES["implementation-plan"] = _implementation


def audit_document(store: Store, document_id: int) -> Audit:
    """Audit one stored document."""
    return audit_text(doc_text(store, document_id), store.labels(CHECKLIST_ID, assigned_only=False))


def audit_text(doc: DocText, labels: list[dict[str, Any]] | None = None, *, min_words: int = MIN_WORDS) -> Audit:
    """Audit a document given as text units (labels: rows of store.labels for the checklist).
    Below `min_words` words a document is too short to judge (every criterion not-assessable)."""
    framework = load_framework(CHECKLIST_ID)
    dated = cm.extract(doc)
    promises = cm.extract(doc, include_undated=True)
    owners = list(dict.fromkeys(r for s in doc.sentences for r in find_roles(s.text)))
    pids = {pid for u in doc.units for pid in u.passage_ids}
    rows = [r for r in (labels or []) if r["passage_id"] in pids]
    reliable = _labels_reliable(rows, len(pids), len(framework.themes))
    assessable = doc.lang in ("en", "cy") and doc.words >= min_words
    out = []
    for theme in framework.themes:
        crow = [r for r in rows if r["theme_id"] == theme.id]
        scores = {r["passage_id"]: r["score"] for r in crow}
        assigned = [r for r in crow if r["assigned"]]
        n_assigned = len(assigned)
        clf_covers = covers(n_assigned, max((r["score"] for r in assigned), default=0.0))
        name = theme.label("en")
        if not assessable:
            why = (f"Too little text ({doc.words} words) to judge." if doc.words < min_words
                   else f"No rules for language {doc.lang!r}.")
            out.append(CriterionResult(theme.id, name, theme.name.cy if theme.name else None, "not-assessable", why,
                                       classifier_passages=n_assigned, classifier_covers=clf_covers))
            continue
        ctx = _Ctx(doc, dated, promises, scores)
        status, reason, ev, counter = RULES[theme.id](ctx)
        # the classifier sees the criterion on several passages where the rules found nothing
        review = reliable and status == "not-met" and clf_covers and n_assigned >= 3
        out.append(CriterionResult(theme.id, name, theme.name.cy if theme.name else None, status, reason,
                                   ctx.quotes(ev), ctx.quotes(counter), n_assigned, clf_covers, review))
    period = strategy_period(doc.document.get("title"), " ".join(u.text for u in doc.units[:3]))
    return Audit(doc.document, doc.lang, doc.words, period, out, dated, owners, reliable)


def _labels_reliable(rows: list[dict[str, Any]], passages: int, themes: int) -> bool:
    """False when (nearly) every passage carries (nearly) every criterion, or there are no labels."""
    if not rows or not passages:
        return False
    per_passage: dict[int, int] = {}
    for r in rows:
        if r["assigned"]:
            per_passage[r["passage_id"]] = per_passage.get(r["passage_id"], 0) + 1
    crowded = sum(1 for n in per_passage.values() if n >= SATURATED * themes)
    return crowded < SATURATED * passages


def audit_corpus(store: Store) -> list[Audit]:
    labels = store.labels(CHECKLIST_ID, assigned_only=False)
    return [audit_text(doc_text(store, d["id"]), labels) for d in store.documents()]
