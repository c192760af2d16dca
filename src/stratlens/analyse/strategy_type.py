"""Strategy type from the 2016 taxonomy (blackwell-2016 `types`), mixed types allowed.

A type's score has two parts:
- signals (weight 0.7): each of the type's `signals` in blackwell-2016.yaml is written here as
  patterns (English and Welsh). A signal counts fully when two or more sentences show it and
  half when one does; the type's signal score is the mean over its signals. The inclusion type's
  last signal ("little or nothing on the local economy, open data or smart places") is scored
  as one minus the smart-city signal score.
- profile (weight 0.3): the share of the document's labelled passages (LGA outcomes, plus the
  2016 themes mapped through their `maps_to_lga`) that fall in the type's `maps_to_lga`
  outcomes. Left out (weight 0) when the document's labels are unreliable.
The highest score is the type. A second type is reported as well (mixed) when its score is
at least MIXED_RATIO of the first and its own signal score is at least MIXED_MIN_SIGNAL.
Confidence is high when the winner's signal score is 0.5 or more and leads by 0.15 or more,
medium when its signal score is 0.3 or more, low otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from stratlens.analyse.profile import coverage_by_document, reliable
from stratlens.analyse.text import DocText, Quote, doc_text, quote_of
from stratlens.frameworks import LGA_ID, load_framework
from stratlens.store import Store

TAXONOMY_ID = "blackwell-2016"
SIGNAL_WEIGHT = 0.7
MIXED_RATIO = 0.85
MIXED_MIN_SIGNAL = 0.4
INCLUSION_UNDER_GDS = 0.6
I = re.IGNORECASE

# One entry per signal of each type, in the order of blackwell-2016.yaml (a test checks the count).
TYPE_PATTERNS: dict[str, list[str | None]] = {
    "digital-inclusion-focus": [
        r"\bchannel shift\b|\bmov(?:e|ing) (?:simple |more )?(?:contacts?|transactions|services|customer interactions)\b[^.]{0,40}\bonline\b"
        r"|\bonline to be the first choice\b|\bself-service\b|\bchannelled towards\b|\bsymud (?:y )?gwasanaethau\b[^.]{0,30}\bar-lein",
        r"\b(?:take-up|uptake)\b|\b(?:share|percentage|proportion|number) of (?:contacts|transactions|requests|customer contacts)\b"
        r"|\btransactions completed online\b|\bcanran y ceisiadau\b",
        r"\bdigital (?:by default|first)\b|\bcustomer (?:service|experience|account|portal)\b|\bcontact centre\b",
        r"\bassisted digital\b|\bdigital (?:skills|help|helpers?|champions)\b|\b(?:basic|free) (?:computer|digital)\b"
        r"|\bget(?:ting)? (?:everyone )?online\b|\bhyrwyddwyr digidol\b|\bsgiliau\b|\bmynd ar-lein\b",
        r"\bconfiden(?:ce|t)\b|\b(?:staff|workforce)\b[^.]{0,50}\b(?:skills|training)\b|\bhyder\b|\bhyfforddi\w*\b",
        r"\bdigital(?:ly)? exclu\w+|\bdigital divide\b|\bafford\w*\b|\bcost of (?:devices|data)\b|\bdisabilit\w+\b"
        r"|\bisolation\b|\ballgáu\b|\bfforddio\b|\banabledd\b|\bnot everyone\b",
        None,  # little or nothing on the local economy, open data or smart places: 1 - smart-city signals
    ],
    "smart-city-focus": [
        r"\bsmart (?:city|cities|place|region|town|county|street lights|meters|charging|technology)\b|\bfuture city\b|\bdinas glyfar\b",
        r"\bInternet of Things\b|\bIoT\b|\bsensors?\b|\bLoRaWAN\b|\bbig data\b|\breal-time data\b|\bsynwyryddion\b|\bRhyngrwyd Pethau\b",
        r"\bopen data\b|\bopen datasets?\b|\bdata platform\b|\bdata portal\b|\bdata agored\b",
        r"\b(?:data|analytics|insight)\b[^.]{0,60}\b(?:plan|manage|monitor)\w*\b[^.]{0,40}\b(?:traffic|roads?|infrastructure|city|streets?|"
        r"gritting|public realm|energy|assets)\b|\bcity dashboard\b",
        r"\bstart-ups?\b|\bscale-ups?\b|\bincubator\b|\btech(?:nology)? (?:sector|cluster|ecosystem)\b|\binnovation (?:district|hub)\b"
        r"|\binward investment\b|\bbusnesau newydd\b",
        r"\buniversit(?:y|ies)\b|\bCatapult\b|\bconsorti(?:um|a)\b|\bprifysgol\b",
        r"\bdigital economy\b|\b(?:tech|digital) talent\b|\bbootcamps?\b|\blocal (?:economy|employers|firms)\b|\beconomi ddigidol\b",
    ],
    "gds-user-centric": [
        r"\bGovernment Digital Service\b|\bGDS\b|\bService Standards?\b|\bLocal Digital Declaration\b|\bSafonau Gwasanaethau Digidol\b|\bGOV\.UK\b",
        r"\buser needs?\b|\buser-centred\b|\buser research\w*\b|\bdesigned (?:with|around) (?:residents|users)\b|\banghenion defnyddwyr\b"
        r"|\bymchwil defnyddwyr\b",
        r"\bdesign principles\b|\bour principles are\b|\bdo the hard work to make it simple\b|\bwork in the open\b|\bmake things open\b"
        r"|\bmultidisciplinary teams\b",
        r"\bchoose to do so because\b|\bprefer (?:to use )?them\b|\bgood enough that\b|\bservices people choose\b",
        r"\bgovernment as a platform\b|\bend to end\b|\bwhole journey\b|\bdiscovery\b|\balpha\b|\bredesign\w* (?:of )?(?:services|our services)\b",
        r"\boptions appraisal\b|\bdelivery models?\b",
    ],
}


@dataclass
class TypeScore:
    type: str
    name: str
    name_cy: str | None
    score: float
    signal_score: float
    profile_score: float
    signals: list[dict[str, Any]] = field(default_factory=list)   # per signal: text, hits, quotes

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["signals"] = [{**s, "quotes": [q.as_dict() for q in s["quotes"]]} for s in self.signals]
        return d


@dataclass
class StrategyType:
    document: dict[str, Any]
    types: list[str]             # the assigned type(s), strongest first
    mixed: bool
    confidence: str              # high | medium | low
    scores: list[TypeScore]
    profile_used: bool

    def as_dict(self) -> dict[str, Any]:
        return {"document": {k: self.document.get(k) for k in ("id", "council_id", "council", "title", "year")},
                "types": self.types, "mixed": self.mixed, "confidence": self.confidence,
                "profile_used": self.profile_used, "scores": [s.as_dict() for s in self.scores]}


def _signal_hits(doc: DocText, pattern: str) -> list[Quote]:
    rx = re.compile(pattern, I)
    return [quote_of(s, "") for s in doc.sentences if rx.search(s.text)]


def classify_type(doc: DocText, profile: dict[str, float] | None) -> StrategyType:
    """Type(s) of a document from its text and (optionally) its LGA outcome profile (shares summing to 1)."""
    taxonomy = load_framework(TAXONOMY_ID)
    partial: dict[str, tuple[float, list[dict[str, Any]]]] = {}
    for t in taxonomy.types:
        patterns = TYPE_PATTERNS[t.id]
        rows = []
        for text, pattern in zip(t.signals, patterns):
            quotes = _signal_hits(doc, pattern) if pattern else []
            rows.append({"signal": text, "hits": len(quotes), "strength": min(1.0, len(quotes) / 2) if pattern else None,
                         "derived": pattern is None, "quotes": quotes[:2]})
        partial[t.id] = (0.0, rows)
    smart_rows = partial["smart-city-focus"][1]
    smart = sum(r["strength"] for r in smart_rows) / len(smart_rows)
    scores = []
    for t in taxonomy.types:
        rows = partial[t.id][1]
        for r in rows:
            if r["strength"] is None:
                r["strength"] = round(1.0 - smart, 3)
        sig = sum(r["strength"] for r in rows) / len(rows)
        prof = sum(profile.get(o, 0.0) for o in t.maps_to_lga) if profile else 0.0
        total = SIGNAL_WEIGHT * sig + (1 - SIGNAL_WEIGHT) * prof if profile else sig
        scores.append(TypeScore(t.id, t.name.en, t.name.cy, round(total, 4), round(sig, 4), round(prof, 4), rows))
    by_id = {s.type: s for s in scores}
    gds = by_id["gds-user-centric"]
    if _qualifies_gds(gds):
        # GDS-style is a way of doing service and inclusion work: a strategy that adopts it reads its
        # inclusion content as part of designing for every user, not as a second type.
        inc = by_id["digital-inclusion-focus"]
        inc.score = round(inc.score * INCLUSION_UNDER_GDS, 4)
    scores.sort(key=lambda s: -s.score)
    top, second = scores[0], scores[1]
    mixed = second.score >= MIXED_RATIO * top.score and second.signal_score >= MIXED_MIN_SIGNAL
    types = [top.type, second.type] if mixed else [top.type]
    shown = _shown(top)
    if mixed:
        confidence = "high" if min(shown, _shown(second)) >= 0.5 else "medium"
    elif shown >= 0.5 and top.score - second.score >= 0.1:
        confidence = "high"
    elif shown >= 0.25:
        confidence = "medium"
    else:
        confidence = "low"
    return StrategyType(doc.document, types, mixed, confidence, scores, profile is not None)


def _qualifies_gds(gds: TypeScore) -> bool:
    """Blackwell's definition: cites GDS or a service standard and uses its user-need vocabulary."""
    return gds.signals[0]["hits"] >= 1 and gds.signals[1]["hits"] >= 1 and gds.signal_score >= MIXED_MIN_SIGNAL


def _shown(t: TypeScore) -> float:
    """Share of the type's own (positive) signals that two or more sentences show."""
    own = [r for r in t.signals if not r["derived"]]
    return sum(1 for r in own if r["hits"] >= 2) / len(own) if own else 0.0


def lga_profile(store: Store, document_id: int) -> dict[str, float] | None:
    """The document's labelled passages over the LGA outcomes (LGA labels plus 2016 themes mapped
    to their first outcome), as shares summing to 1; None when its labels are unreliable."""
    lga = coverage_by_document(store, LGA_ID).get(document_id)
    if lga is None or not reliable(lga):
        return None
    counts = {o: float(c.passages) for o, c in lga.themes.items()}
    bw = coverage_by_document(store, TAXONOMY_ID).get(document_id)
    if bw is not None and reliable(bw):
        taxonomy = load_framework(TAXONOMY_ID)
        for theme in taxonomy.themes:
            if theme.maps_to_lga:
                counts[theme.maps_to_lga[0]] = counts.get(theme.maps_to_lga[0], 0.0) + bw.themes[theme.id].passages
    total = sum(counts.values())
    return {o: v / total for o, v in counts.items()} if total else None


def strategy_type(store: Store, document_id: int) -> StrategyType:
    return classify_type(doc_text(store, document_id), lga_profile(store, document_id))
