"""Plain-English check of a strategy: long sentences, passive voice, jargon, and the passages
that most need rewriting.

Measured over running text only (headings, list items and table rows excluded), with sentences
split after . ! ? and ; (a semicolon usually joins two sentences that could stand apart):
- long sentences: more than LONG_WORDS (25) words, the limit plain-English guides recommend;
- passive voice: a form of 'be' followed (within one adverb) by a past participle ('will be
  explored', 'is recognised'), and the impersonal openers that hide who acts ('it is proposed
  that', 'it should be noted', 'consideration will be given'); Welsh: 'yn cael ei/eu + verb';
- jargon: the terms of data/plain_english.yaml, each with plainer alternatives.
A document needs work (`needs_work`) when its mean sentence is longer than MAX_MEAN_WORDS, or more
than MAX_LONG_SHARE of its sentences are long, or it uses more than MAX_JARGON_PER_1000 jargon
terms per thousand words. The passages to rewrite are ranked by long sentences, passives and
jargon, each with the reasons.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from stratlens.analyse.text import DocText, doc_text
from stratlens.store import Store

DATA = Path(__file__).parent / "data" / "plain_english.yaml"
LONG_WORDS = 25
MAX_MEAN_WORDS = 25.0
MAX_LONG_SHARE = 0.5
MAX_JARGON_PER_1000 = 8.0
TOP_PASSAGES = 5

_BE = r"(?:am|is|are|was|were|be|been|being)"
_IRREGULAR = ("made done given taken seen known shown held kept built paid set put run sent spent found brought bought "
              "taught told led left met read said sold won understood written begun chosen drawn driven grown thrown "
              "broken spoken hidden undertaken overseen withdrawn").split()
_NOT_PARTICIPLES = {"interested", "concerned", "committed", "determined", "excited", "pleased", "tired", "supposed",
                    "need", "speed", "feed", "seed", "indeed", "hundred", "used", "based", "aged", "red", "bed",
                    "prepared", "able", "devoted", "dedicated", "proud"}
PASSIVE = re.compile(rf"\b{_BE}\s+(?:\w+ly\s+|not\s+|also\s+|then\s+|now\s+|further\s+)?(?P<pp>\w+ed|{'|'.join(_IRREGULAR)})\b",
                     re.IGNORECASE)
PASSIVE_CY = re.compile(r"\b(?:yn|wedi) cael (?:ei|eu|ein|eich) \w+", re.IGNORECASE)
IMPERSONAL = re.compile(r"\bit is (?:widely )?(?:recognised|envisaged|anticipated|proposed|considered|expected|intended|"
                        r"acknowledged|understood|believed|felt|hoped)\b|\bit should be noted\b|\bconsideration will be "
                        r"given\b|\bit has (?:long )?been (?:acknowledged|recognised)\b", re.IGNORECASE)
_SPLIT = re.compile(r"(?<=[.!?;])\s+")


@dataclass(frozen=True)
class JargonTerm:
    term: str
    pattern: re.Pattern[str]
    alternatives: tuple[str, ...]
    why: str


@lru_cache(maxsize=1)
def jargon_terms() -> tuple[JargonTerm, ...]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    out = []
    for t in raw["terms"]:
        rx = t.get("pattern") or r"\b" + re.escape(t["term"]) + r"(?:s|es|d|ed)?\b"
        out.append(JargonTerm(t["term"], re.compile(rx, re.IGNORECASE), tuple(t.get("alternatives") or ()),
                              t.get("why", "")))
    return tuple(out)


def find_jargon(text: str) -> list[tuple[JargonTerm, str]]:
    """(term, the words as written) for every jargon use in text."""
    return [(t, m.group(0)) for t in jargon_terms() for m in t.pattern.finditer(text)]


def find_passives(text: str, lang: str = "en") -> list[str]:
    if lang == "cy":
        return [m.group(0) for m in PASSIVE_CY.finditer(text)]
    return [m.group(0) for m in PASSIVE.finditer(text) if m.group("pp").lower() not in _NOT_PARTICIPLES]


def running_sentences(doc: DocText) -> list[tuple[str, Any]]:
    """(sentence, unit) for running text: no list items, table rows or lead-ins."""
    out = []
    for s in doc.sentences:
        if s.kind != "sentence" or s.unit.is_table or s.text.endswith(":"):
            continue
        for part in _SPLIT.split(s.text):
            if len(part.split()) >= 3:
                out.append((part, s.unit))
    return out


@dataclass
class RewriteCandidate:
    passage_id: int
    page: int | None
    heading: str | None
    text: str
    score: float
    long_sentences: int
    passives: list[str]
    jargon: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class PlainReport:
    document: dict[str, Any]
    language: str
    words: int
    sentences: int
    mean_words: float
    max_words: int
    long_sentences: int
    long_share: float
    passive_sentences: int
    passive_share: float
    impersonal: list[str]
    jargon: dict[str, int]
    jargon_per_1000: float
    needs_work: bool
    reasons: list[str]
    rewrite: list[RewriteCandidate] = field(default_factory=list)
    alternatives: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["document"] = {k: self.document.get(k) for k in ("id", "council_id", "council", "title", "year")}
        return d


def check_text(doc: DocText) -> PlainReport:
    lang = doc.lang
    sents = running_sentences(doc)
    lengths = [len(s.split()) for s, _ in sents]
    n = len(lengths)
    mean = sum(lengths) / n if n else 0.0
    long_n = sum(1 for x in lengths if x > LONG_WORDS)
    passive_n = sum(1 for s, _ in sents if find_passives(s, lang))
    all_text = " ".join(u.text for u in doc.units)
    impersonal = [m.group(0) for m in IMPERSONAL.finditer(all_text)]
    jargon: dict[str, int] = {}
    alternatives: dict[str, list[str]] = {}
    if lang == "en":
        for term, _ in find_jargon(all_text):
            jargon[term.term] = jargon.get(term.term, 0) + 1
            alternatives[term.term] = list(term.alternatives)
    words = doc.words
    per_1000 = 1000 * sum(jargon.values()) / words if words else 0.0
    reasons = []
    if mean > MAX_MEAN_WORDS:
        reasons.append(f"average sentence of {mean:.1f} words (aim for {MAX_MEAN_WORDS:.0f} or fewer)")
    if n and long_n / n > MAX_LONG_SHARE:
        reasons.append(f"{long_n} of {n} sentences are longer than {LONG_WORDS} words")
    if per_1000 > MAX_JARGON_PER_1000:
        reasons.append(f"{sum(jargon.values())} jargon terms ({per_1000:.1f} per 1,000 words)")
    return PlainReport(doc.document, lang, words, n, round(mean, 1), max(lengths, default=0), long_n,
                       round(long_n / n, 3) if n else 0.0, passive_n, round(passive_n / n, 3) if n else 0.0,
                       impersonal, dict(sorted(jargon.items(), key=lambda kv: -kv[1])), round(per_1000, 2),
                       bool(reasons), reasons, _rewrite(doc, sents), alternatives)


def _rewrite(doc: DocText, sents: list[tuple[str, Any]]) -> list[RewriteCandidate]:
    by_unit: dict[int, list[str]] = {}
    units = {}
    for s, u in sents:
        by_unit.setdefault(u.passage_id, []).append(s)
        units[u.passage_id] = u
    out = []
    for pid, ss in by_unit.items():
        u = units[pid]
        long_n = sum(1 for s in ss if len(s.split()) > LONG_WORDS)
        passives = [p for s in ss for p in find_passives(s, doc.lang)]
        jargon = [{"term": t.term, "as_written": w, "alternatives": list(t.alternatives)}
                  for t, w in (find_jargon(u.text) if doc.lang == "en" else [])]
        words = max(1, len(u.text.split()))
        score = (2 * long_n + len(passives) + 1.5 * len(jargon) + 2 * len(IMPERSONAL.findall(u.text))) * 100 / words
        if score > 0:
            out.append(RewriteCandidate(pid, u.page, u.heading, u.text, round(score, 2), long_n, passives, jargon))
    out.sort(key=lambda c: -c.score)
    return out[:TOP_PASSAGES]


def plain_check(store: Store, document_id: int) -> PlainReport:
    return check_text(doc_text(store, document_id))
