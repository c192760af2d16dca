"""Commitments: what a strategy says the council will do, with date, owner and measure.

A sentence, list item or table row is a commitment when the council is the one acting and
the action lies ahead:
- it opens with a date and promises something, or promises something of everything of a kind
  ("Every new project will be assessed ...") ("By March 2026 we will ...", "By September 2026
  every member of staff will have ...", "Erbyn Mawrth 2026 byddwn yn ..."); or
- the council speaks in the future ("we will", "the council will", "byddwn yn") and a date
  follows the promise ("we will launch ... by the end of 2020"); or
- it is an item of a list led in by such a promise ("We will: launch ...; move ..."), an
  imperative list item ("Connect 60 council buildings ... by March 2023") or a table row with
  a date cell ("2022/23 | Launch the customer account; ...").
Promises not to act ("will not start ... until 2027/28") and reports of the past ("By 2021
every member of staff had a laptop") are not commitments. A commitment is a *deadline* when
its date is introduced by 'by', 'before' or 'erbyn', and *dated* otherwise ('in July 2026',
'from April 2025'). Undated promises are returned only when asked for (editions compare them)
and only when concrete (see `is_concrete`).

Owner: the text after 'Owner:' in the commitment's item, else a role named in the sentence,
else the first role named in its passage. Measure: the text after 'Measure:', split into the
measure, its baseline and its target on 'from X to Y'; else the quantities in the sentence.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from stratlens.analyse.dates import DateMention, find_dates
from stratlens.analyse.roles import find_roles
from stratlens.analyse.text import DocText, Sentence

FUTURE_WE = re.compile(
    r"\b(?:we will|we'll|we shall|we are going to|we aim to|we plan to|we intend to|we commit to|we expect to|"
    r"the council will|(?:[A-Z][a-z]+ )+Council will|byddwn(?: ni)?(?: yn)?|bydd y cyngor|fe fyddwn)\b",
    re.IGNORECASE)
FUTURE_ANY = re.compile(r"\b(?:will|shall|byddwn|bydd|byddant|fydd)\b", re.IGNORECASE)
# "Every new project will be assessed ...", "All staff will have ...": a promise about everything of a kind.
EVERY_WILL = re.compile(r"^(?:every|all|each)\b[^.;]{0,120}?\bwill\b", re.IGNORECASE)
NEGATIVE = re.compile(r"\b(?:will not|won't|shall not|not until|ni fyddwn|na fyddwn|ni fydd)\b|\buntil\b",
                      re.IGNORECASE)
PAST = re.compile(r"\b(?:had|was|were|did|has been|have been|we launched|we moved|we trained|we saved|"
                  r"we closed|we signed|we completed|we delivered|roedd|bu|wedi)\b", re.IGNORECASE)
LABEL = re.compile(r"(?:^|[.;]\s*|\s)(?P<label>Owner|Lead officer|Responsible|Measure|Target|Baseline|Perchennog|"
                   r"Mesur|Targed)\s*:\s*", re.IGNORECASE)

# Verbs that open an imperative list item or table cell, and concrete verbs after 'we will'.
ACTION_VERBS = frozenset("""
achieve add adopt agree appoint assess automate bring build buy carry close commission complete connect
create cut decommission deliver deploy design digitise donate double employ enable establish expand extend
fit fund give grow halve help hold implement increase install introduce issue launch lend link make map
match migrate move offer open pilot procure provide publish raise rebuild recruit redesign reduce
refurbish register rehouse release remove replace retire review rewrite roll run save set share start
switch test train transfer turn upgrade webcast
penodi lansio mapio darparu benthyg cynnig sefydlu cyhoeddi symud hyfforddi asesu gosod agor creu
cyflwyno helpu dylunio dilyn cynnal rhannu prynu adeiladu lleihau cynyddu arbed
""".split())
VAGUE_VERBS = frozenset("""
explore consider embrace seek look strive aim aspire continue support encourage be become try learn
think choose ensure promote champion work endeavour keep always never enable leverage maximise harness
foster value focus believe want hope parhau archwilio ystyried ceisio cefnogi annog gweithio sicrhau bod
""".split())
_QUANT = re.compile(
    r"£\s?\d[\d,.]*(?:\s?(?:million|m|bn|billion|k))?|\b\d[\d,.]*\s?(?:%|per cent)"
    r"|\b\d{1,3}(?:,\d{3})+\b|\b(?!(?:19|20)\d\d\b)\d+(?:\.\d+)?\b(?!\s*[/-]\s*\d)")


_TARGET = re.compile(r"\b(?:to|by|under|over|at least)\s+(£?\s?\d[\d,.]*\s?(?:%|per cent|million|m\\b|minutes|hours|days|"
                     r"weeks|seconds)?)")


@dataclass
class Commitment:
    text: str
    date: str | None              # YYYY-MM
    date_text: str | None
    precision: str | None         # month | quarter | financial-year | season | year
    kind: str                     # deadline | dated | undated
    owner: str | None
    owner_source: str | None      # label | sentence | passage
    measure: str | None
    baseline: str | None
    target: str | None
    passage_id: int
    page: int | None
    heading: str | None
    sentence_index: int
    form: str = "sentence"        # sentence | item | row
    roles: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _first_word(text: str) -> str:
    m = re.match(r"\W*([A-Za-zÀ-ÿŵŷ'’-]+)", text)
    return m.group(1).lower() if m else ""


def _verb_after_future(text: str) -> str:
    m = FUTURE_WE.search(text)
    if not m:
        return ""
    rest = text[m.end():]
    rest = re.sub(r"^\s*(?:also|then|now|first|further|yn|ni yn|hefyd yn)\s+", " ", rest, flags=re.I)
    if re.match(r"\s*make sure\b", rest, re.I):
        return "ensure"
    return _first_word(rest)


def is_imperative(text: str) -> bool:
    """An action verb opening the text, not followed by a verb of its own ('Help will be ...')."""
    first = _first_word(text)
    if first not in ACTION_VERBS:
        return False
    second = re.match(r"\W*[\w'’-]+\s+([\w'’-]+)", text)
    return not (second and second.group(1).lower() in {"will", "is", "are", "was", "can", "has", "of"})


_IRREGULAR = {"held": "hold", "built": "build", "given": "give", "made": "make", "sent": "send", "run": "run",
              "set": "set", "shown": "show", "taken": "take", "kept": "keep", "paid": "pay", "bought": "buy"}


def _stem(participle: str) -> str:
    """'assessed' -> 'assess', 'published' -> 'publish', 'held' -> 'hold' (enough to look up a verb)."""
    if participle in _IRREGULAR:
        return _IRREGULAR[participle]
    for cut in ("ed", "d"):
        if participle.endswith(cut) and participle[: -len(cut)] in ACTION_VERBS:
            return participle[: -len(cut)]
    if participle.endswith("ied"):
        return participle[:-3] + "y"
    return participle


def is_concrete(text: str) -> bool:
    """A promise someone could later mark done: a concrete verb, or a number or a named thing
    as its object, and not a vague verb (explore, consider, embrace, ...)."""
    every = EVERY_WILL.search(text)
    if every and not FUTURE_WE.search(text):
        # a promise about every item of a kind is checkable unless its verb is vague
        after = re.match(r"\s*(?:(be|have)\s+)?(?:\w+ly\s+)?([\w'’-]+)", text[every.end():])
        if not after:
            return False
        aux, word = after.group(1), after.group(2).lower()
        if aux == "have":
            return word not in {"to", "been"} or _stem(word) in ACTION_VERBS
        if aux == "be":
            return _stem(word) in ACTION_VERBS or word in {"available", "accessible", "offered", "published"}
        return word in ACTION_VERBS
    verb = _verb_after_future(text) or _first_word(text)
    if verb in VAGUE_VERBS:
        return False
    if verb in ACTION_VERBS:
        return True
    body = text[FUTURE_WE.search(text).end():] if FUTURE_WE.search(text) else text
    has_number = bool(_QUANT.search(body)) or bool(find_dates(body))
    has_name = bool(re.search(r"\s[A-Z][a-z]+(?:\s[A-Z][a-z]+)+", body))
    return has_number or has_name


def _split_labels(text: str) -> tuple[str, dict[str, str]]:
    """'Do X. Owner: Y. Measure: Z' -> ('Do X', {'owner': 'Y', 'measure': 'Z'})."""
    parts = list(LABEL.finditer(text))
    if not parts:
        return text, {}
    head = text[: parts[0].start()].strip(" ;.")
    labels: dict[str, str] = {}
    for i, m in enumerate(parts):
        end = parts[i + 1].start() if i + 1 < len(parts) else len(text)
        key = m.group("label").lower()
        key = {"lead officer": "owner", "responsible": "owner", "perchennog": "owner", "mesur": "measure",
               "targed": "target"}.get(key, key)
        labels.setdefault(key, text[m.end():end].strip(" ;."))
    return head, labels


def _measure_parts(measure: str) -> tuple[str, str | None, str | None]:
    m = re.search(r",?\s*\bfrom\s+(?P<base>.+?)\s+to\s+(?P<target>.+)$", measure)
    if m:
        return measure[: m.start()].strip(" ,"), m.group("base").strip(), m.group("target").strip()
    m = re.search(r",?\s*\b(?:from|currently)\s+(?P<base>.+)$", measure)
    if m:
        return measure[: m.start()].strip(" ,"), m.group("base").strip(), None
    return measure, None, None


def _quantities(text: str) -> list[str]:
    return [q.group(0).strip() for q in _QUANT.finditer(text)]


def _commitment_date(s: Sentence, text: str) -> tuple[DateMention | None, bool]:
    """The date that belongs to the promise, and whether the text is a commitment at all."""
    dates = [d for d in find_dates(text) if d.value]
    opening = next((d for d in dates if d.start <= 3 and d.connective), None)
    if opening and FUTURE_ANY.search(text[opening.end:]):
        return opening, True
    fut = FUTURE_WE.search(text) or EVERY_WILL.search(text)
    if fut:
        after = [d for d in dates if d.start >= fut.end() and d.connective]
        return (after[0] if after else None), True
    lead = s.lead_in or ""
    if s.kind == "item" and (FUTURE_WE.search(lead) or FUTURE_WE.search(lead + " x")) or is_imperative(text):
        with_conn = [d for d in dates if d.connective]
        return (with_conn[0] if with_conn else None), True
    return None, False


def _row_commitments(s: Sentence) -> list[tuple[str, DateMention]]:
    """'2022/23 | Launch X; rebuild Y' -> [('Launch X', date), ('rebuild Y', date)]."""
    cells = [c.strip() for c in s.text.split("|")]
    dated = []
    for i, cell in enumerate(cells):
        ds = [d for d in find_dates(cell) if d.value]
        # a When/Year cell: the date and at most a label such as 'Now (2024/25)'
        rest = re.sub(r"\(|\)|\b(?:now|next|later|year|by|in)\b", "", cell.replace(ds[0].text, "") if ds else cell,
                      flags=re.IGNORECASE)
        if len(ds) == 1 and not rest.strip(" .,:"):
            dated.append((i, ds[0]))
    if not dated:
        return []
    i_date, date = dated[0]
    out = []
    for i, cell in enumerate(cells):
        if i == i_date or len(cell.split()) < 2:
            continue
        for part in cell.split(";"):
            part = part.strip(" .")
            if part and (is_imperative(part) or i == 0):
                out.append((part, date))
        break  # the first text cell holds the action
    return out


def extract(doc: DocText, *, include_undated: bool = False) -> list[Commitment]:
    """Commitments of a document in reading order."""
    out: list[Commitment] = []
    sents = doc.sentences
    for k, s in enumerate(sents):
        if s.text.rstrip().endswith(":"):
            continue  # a lead-in; its items are judged one by one
        if s.kind == "row":
            for text, date in _row_commitments(s):
                out.append(_make(s, text, date, {}, "row"))
            continue
        head, labels = _split_labels(s.text)
        if NEGATIVE.search(head):
            continue
        date, promised = _commitment_date(s, head)
        if not promised:
            continue
        fut = FUTURE_WE.search(head) or FUTURE_ANY.search(head)
        if not fut and PAST.search(head) and s.kind != "item":
            continue
        if date is None and not include_undated:
            continue
        if date is None and not is_concrete(head):
            continue
        # Labels in the sentences that follow, up to the next promise ("Owner: ...", "Measure: ...").
        for nxt in sents[k + 1:k + 4]:
            rest, more = _split_labels(nxt.text)
            if rest and not more:
                break
            if rest and (FUTURE_WE.search(rest) or find_dates(rest)):
                break
            for key, value in more.items():
                labels.setdefault(key, value)
        out.append(_make(s, head, date, labels, s.kind))
    return _dedupe(out)


def _make(s: Sentence, text: str, date: DateMention | None, labels: dict[str, str], form: str) -> Commitment:
    roles = find_roles(text)
    if labels.get("owner"):
        owner, source = labels["owner"], "label"
    elif roles:
        owner, source = roles[0], "sentence"
    else:
        in_passage = find_roles(s.unit.text)
        owner, source = (in_passage[0], "passage") if in_passage else (None, None)
    baseline = target = None
    if labels.get("measure"):
        measure, baseline, target = _measure_parts(labels["measure"])
    else:
        qs = _quantities(text)
        measure = "; ".join(qs) if qs else None
        m = re.search(r"\bfrom\s+(£?\d[\d,.]*\s?%?)\s+to\s+(£?\d[\d,.]*\s?%?)", text)
        if m:
            baseline, target = m.group(1).strip(), m.group(2).strip()
    if target is None:
        m = _TARGET.search(text)
        target = m.group(1).strip() if m and not find_dates(m.group(0)) else None
    target = labels.get("target") or target
    baseline = labels.get("baseline") or baseline
    if date is None:
        kind = "undated"
    else:
        kind = "deadline" if date.is_deadline else "dated"
    return Commitment(
        text=text.strip(" ;"), date=date.value if date else None, date_text=date.text.strip() if date else None,
        precision=date.precision if date else None, kind=kind, owner=owner, owner_source=source,
        measure=measure, baseline=baseline, target=target, passage_id=s.unit.passage_id, page=s.page,
        heading=s.heading, sentence_index=s.index, form=form, roles=roles,
    )


def _dedupe(items: list[Commitment]) -> list[Commitment]:
    seen: set[str] = set()
    out = []
    for c in items:
        key = " ".join(c.text.lower().split())
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out
