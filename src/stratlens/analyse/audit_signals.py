"""Textual signals for the quality audit, one set per good-digital-strategy criterion.

Each criterion's `evidence` and `counter_evidence` in good-digital-strategy.yaml are prose for
a human coder; these are the same signals written as regular expressions, English and Welsh.
`met` patterns are the concrete signal the assessment rule asks for, `partly` the stated
intention without it, `counter` the counter-evidence. A pattern is (label, regex); the label is
shown beside the quote so a reader can see why a sentence counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

I = re.IGNORECASE


@dataclass
class SignalSet:
    met: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    partly: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    counter: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)


def _p(pairs: list[tuple[str, str]], flags: int = I) -> list[tuple[str, re.Pattern[str]]]:
    return [(label, re.compile(rx, flags)) for label, rx in pairs]


MONEY = re.compile(r"£\s?\d[\d,.]*(?:\s?(?:million|m\b|bn|billion|k\b))?|\bGBP\s?\d", I)
FUNDING = re.compile(
    r"\b(?:capital|revenue|funded|funding|fund\b|set aside|allocat\w+|budget of|will cost|cost of|investment of|"
    r"invest(?:ing)? £|grant of|cyfalaf|refeniw|cyllid|cyllideb)\b|\bfrom the [A-Z]\w+ (?:Fund|Reserve)\b", I)
SAVING = re.compile(r"\b(?:sav(?:e|es|ed|ing|ings)|arbed\w*|arbedion)\b", I)
POSTS = re.compile(
    r"\b(?:fund|pay for|recruit|create|employ|appoint)\w*\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve)\s+(?:new\s+|permanent\s+|additional\s+)?(?:posts|roles|staff|officers)\b", I)
ACCOUNTABLE = re.compile(
    r"\b(?:accountable|responsible|owner|oversees?|oversight|overseeing|chair(?:ed|s)?|leads?|champions?|"
    r"lead member|governance|goruchwylio|cadeiryddiaeth|arwain|atebol|cyfrifol|llywodraethu)\b", I)
PLAN_NAME = re.compile(
    r"\b(?:[A-Z][\w'’-]+ ){0,4}(?:Council|Corporate|City|County|Borough|Local|Business|Workforce|People|"
    r"Climate(?: Emergency)?(?: Action)?|Data|Economic|Economy|Customer(?: Access)?|Housing|Transformation|"
    r"Well-?being|Medium[- ]Term Financial|Local Outcomes Improvement|Community|Regeneration|Growth|Asset|Equality|"
    r"Welsh Language(?: Promotion)?|Health and Wellbeing|Connectivity|Skills|Inclusion) "
    r"(?:Plan|Strategy|Framework|Deal)\b(?: \d{4}(?:\s*(?:-|–|to)\s*\d{2,4})?)?"
    r"|\bCynllun (?:Corfforaethol|Llesiant|Gweithredu Hinsawdd|Ariannol Tymor Canolig|Datblygu Lleol|Gweithlu)"
    r"(?: \d{4}(?:-\d{2,4})?)?|\bStrategaeth (?:y Gweithlu|Economaidd|Ddata|Hinsawdd)\b|\bwell-being objectives\b|"
    r"\bamcanion llesiant\b")

SIGNALS: dict[str, SignalSet] = {
    "outcome-focused": SignalSet(
        met=_p([
            ("technology not the aim", r"\bnot (?:a plan|about buying|a strategy) (?:to buy |for )?(?:new )?technology\b"),
            ("digital as a means", r"\b(?:technology|digital) is (?:not an end|a means|an enabler|a tool|one of the (?:ways|tools))\b"),
            ("starts from outcomes or people", r"\bstarts? (?:from|with) (?:an outcome|the outcomes?|the people|people|what residents|evidence of what)"),
            ("outcomes for people", r"\boutcomes? for (?:people|residents|communities)\b|\boutcomes to be true\b"),
            ("outcomes framework", r"\b(?:outcomes framework|benefits map|theory of change|benefits realisation)\b"),
            ("changes for people", r"\bso that (?:residents|people|customers|tenants|everyone|nobody|no one|families|users)\b"),
            ("newidiadau i bobl", r"\bfel (?:bod|nad oes rhaid i|y gall) (?:trigolion|drigolion|pobl|pawb|neb)\b"),
        ]),
        counter=_p([
            ("digital as the aim", r"\b(?:become|becoming|be|to be) (?:a |an |one of the [\w'’ ]{0,30}?)?(?:truly |fully |leading )?"
                                   r"(?:digital|smart) (?:council|cities|city|region|organisation|authority)\b"),
            ("technology as the aim", r"\b(?:implement|roll out|move to) (?:Microsoft|Office) 365\b|\bmove (?:everything )?to the cloud\b"),
            ("digidol fel nod", r"\b(?:bod|dod) yn gyngor digidol\b"),
        ]),
    ),
    "user-needs-grounded": SignalSet(
        met=_p([
            ("survey with responses", r"\b(?:survey|consultation|questionnaire)\b[^.]{0,80}\b(?:\d[\d,]*\s+(?:responses|replies)|received|answered)\b"),
            ("people took part", r"\b\d[\d,+]*\s+(?:residents|people|customers|staff|members of staff|councillors)\b[^.]{0,60}\b(?:answered|responded|took part|attended)\b"),
            ("engagement held", r"\b(?:we|our user researchers)\s+(?:ran|held|carried out|asked|heard from|consulted|surveyed|spoke to|talked to)\b[^.]{0,120}\b(?:residents|staff|councillors|customers|people|members|workshops?|sessions|survey)\b"),
            ("what people told us", r"\b(?:residents|customers|staff|people|councillors|you)\s+(?:also\s+)?told us\b|\bwhat (?:we heard|you told us|our customers told us|residents told us)\b"),
            ("ymgysylltu", r"\b(?:arolwg|ymgynghoriad|gweithdai|gweithdy)\b[^.]{0,80}\b(?:\d|ymatebion|atebodd|cymerodd ran)|\bdywedodd (?:trigolion|preswylwyr|staff|pobl) wrthym\b|\bclywsom\b|\bgofynasom\b"),
        ]),
        partly=_p([
            ("engagement promised", r"\bwe will (?:consult|engage|ask residents|run a survey|hold workshops)\b|\bbyddwn yn ymgynghori\b"),
            ("stakeholders informed it", r"\binformed by (?:a wide range of )?(?:stakeholders|residents|staff)\b"),
        ]),
        counter=_p([
            ("need asserted without source", r"\bwe know that (?:most |many )?(?:residents|people|customers|older|young)\b|\bgwyddom fod\b"),
            ("written with suppliers only", r"\b(?:developed|written|shaped) (?:this strategy )?(?:with|by) (?:our )?(?:technology partners|suppliers|IT)\b"),
        ]),
    ),
    "prioritised-roadmap": SignalSet(
        met=_p([
            ("roadmap", r"\broadmap\b|\bmap ffordd\b"),
            ("now, next, later", r"\bnow,? next,? (?:and )?later\b"),
            ("phases", r"\bphase (?:one|1|two|2)\b|\bphased\b|\bin phases\b"),
            ("first year", r"\byear (?:one|1)\b|\b(?:the )?first year\b|\bin the first (?:six|twelve|6|12) months\b|\bblwyddyn gyntaf\b"),
            ("what comes first", r"\bstart(?:ing)? with (?:the )?(?:services|those|the most)\b|\bcomes? first\b|\byn gyntaf\b"),
            ("what is deferred", r"\b(?:will not|won't) (?:start|begin)\b[^.]*\buntil\b|\bdeferred\b"),
            ("short, medium, long term", r"\bshort[- ]term\b[^.]*\b(?:medium|long)[- ]term\b|\btymor byr\b"),
        ]),
        partly=_p([("stated priority order", r"\b(?:top|first|highest) priority\b")]),
    ),
    "success-metrics": SignalSet(
        met=_p([
            ("from baseline to target", r"\bfrom\s+(?!(?:19|20)\d\d\b)£?\d[\d,.]*\s?%?\s+(?:in \d{4}/\d\d\s+)?to\s+(?!(?:19|20)\d\d\b)£?\d"),
            ("target figure", r"\btarget (?:of|is)\s+£?\d|\b(?:increase|raise|reduce|cut|grow|improve|lower)\w*\b[^.]{0,60}\b(?:to|by)\s+\d[\d,.]*\s?(?:%|per cent)"),
        ]),
        partly=_p([
            ("measures named", r"\bwe will (?:track|measure|monitor)\b|\bbyddwn yn mesur\b"),
            ("indicators", r"\b(?:KPIs?|key performance indicators?|performance indicators|measures of success|success measures|dangosyddion)\b"),
        ]),
        counter=_p([("success described only in words", r"\bwe will know (?:that )?(?:this strategy|we) (?:has|have) (?:worked|succeeded)\b")]),
    ),
    "maps-to-local-plans": SignalSet(
        partly=_p([("other plans, unnamed", r"\b(?:our|the council's) other (?:plans|strategies)\b|\bcorporate priorities\b")]),
    ),
    "learns-from-others": SignalSet(
        met=_p([
            ("other councils", r"\bother (?:\w+ )?(?:councils|local authorities|authorities|UK cities|cities|boroughs)\b|\b(?:cynghorau|chynghorau|gynghorau) eraill\b"),
            ("councils that have done it", r"\bcouncils that (?:have|had) (?:already )?\w+"),
            ("shared product", r"\bLocalGov Drupal\b"),
            ("peer review", r"\bpeer review\b|\badolygiad cymheiriaid\b"),
            ("benchmarking", r"\bbenchmark\w*\b|\bnearest[- ]neighbour\b|\bLG Inform\b|\bmeincnodi\b"),
            ("learned from others", r"\blearn(?:ed|t|ing)? (?:a great deal |a lot )?from (?:councils|others|other)\b|\bstudied\b[^.]*\b(?:other|programmes of)\b|\bdysgu (?:gan|oddi wrth) (?:eraill|gynghorau)\b"),
            ("reuse from elsewhere", r"\breuse what (?:works|others)\b|\bborrowed\b[^.]*\bfrom\b|\bcase stud(?:y|ies)\b"),
        ]),
        partly=_p([("best practice", r"\bbest practice\b|\bshared learning\b|\barfer gorau\b")]),
    ),
    "review-and-reporting": SignalSet(
        met=_p([
            ("progress reported to a body", r"\breport(?:ing)? (?:on )?(?:our )?progress\b[^.]{0,40}\bto (?:the )?(?:Cabinet|Council|Executive|[A-Z][\w ]*(?:Committee|Board))"),
            ("progress report", r"\b(?:annual |public )?progress report\b|\badroddiad cynnydd\b"),
            ("public dashboard", r"\bdashboard will be public\b|\bpublic (?:performance )?dashboard\b|\bpublish (?:an |our )?(?:annual )?(?:progress|performance) (?:report|dashboard)\b"),
            ("review interval", r"\breview(?:ed)? (?:the|this) strategy\b[^.]{0,40}\b(?:every|each|annually|once a year|yearly)\b|\b(?:annual|yearly) review of (?:the|this) strategy\b|\badolygu'r strategaeth\b[^.]*\bbob blwyddyn\b"),
            ("dated review", r"\b(?:next (?:full )?review|refresh the strategy)\b[^.]{0,30}\b(?:January|February|March|April|May|June|July|August|September|October|November|December|\d{4})"),
        ]),
        partly=_p([
            ("review without interval", r"\b(?:refreshed|reviewed|kept under review|revisited|updated) (?:periodically|regularly|from time to time|as (?:needed|required))\b|\bliving document\b"),
            ("monitoring", r"\bmonitor(?:ed|ing)? (?:progress|delivery)\b|\bwill be (?:reviewed|refreshed|monitored)\b"),
        ]),
    ),
    "implementation-plan": SignalSet(
        met=_p([
            ("business case per project", r"\b(?:each|every) project (?:has|will have) (?:an? )?(?:[\w-]+ )*business case\b"),
            ("legacy systems plan", r"\b(?:decommission|retire|replace|replacing|rationalise)\w*\b[^.]{0,60}\b(?:legacy|older|old) (?:applications|systems)\b|\b(?:legacy|older) (?:applications|systems)\b[^.]{0,40}\b(?:retired|decommissioned|replaced)\b"),
        ]),
        counter=_p([
            ("plan only promised", r"\b(?:delivery|action|implementation) plan will be (?:developed|produced|prepared|written)\b|\bwe will (?:develop|produce|prepare|write) (?:a |an )?(?:detailed )?(?:delivery|action|implementation) plan\b"),
            ("not a plan", r"\bnot a detailed plan\b"),
            ("cynllun i ddod", r"\bbyddwn yn llunio cynllun gweithredu\b|\bcynllun gweithredu manwl ar wahân\b"),
        ]),
    ),
    "resources-identified": SignalSet(
        partly=_p([
            ("within existing resources", r"\bwithin (?:existing|current) (?:resources|budgets?|resource envelopes|funding)\b|\bo fewn (?:yr )?(?:adnoddau|cyllidebau) presennol\b"),
            ("funding to be sought", r"\b(?:bid for|seek|apply for) (?:external |grant )?funding\b|\bfunding opportunities\b|\binvest[- ]to[- ]save\b"),
        ]),
    ),
    "named-ownership": SignalSet(
        partly=_p([("a board, unnamed", r"\bthe (?:digital )?(?:board|steering group)\b")], flags=0),
    ),
    "corporate-financial-integration": SignalSet(
        met=_p([
            ("in the financial plan", r"\b(?:Medium[- ]Term Financial (?:Strategy|Plan)|MTFS|MTFP|financial strategy|budget strategy|Cynllun Ariannol Tymor Canolig|Strategaeth Ariannol Tymor Canolig)\b"),
            ("in the corporate plan", r"\b(?:one of the|part of the)\b[^.]{0,40}\b(?:programmes|priorities) (?:in|of) the\b[^.]{0,40}\b(?:Council|Corporate|Business) Plan\b|\bfunded in the council's capital programme\b"),
        ]),
        partly=_p([("budget pressure", r"\bbalance (?:its|our|the) budget\b")]),
    ),
    "shared-approach": SignalSet(
        met=_p([
            ("national digital strategy", r"\bDigital Strategy for Wales\b|\b(?:national|UK|Scotland's|Scottish) digital strategy\b|\bStrategaeth Ddigidol i Gymru\b"),
            ("shared standards", r"\bLocal Digital Declaration\b|\bService Standards?\b|\bGovernment Digital Service\b|\bSafonau Gwasanaethau Digidol\b|\bScottish Approach to Service Design\b|\bGOV\.UK Design System\b", ),
            ("national and regional bodies", r"\bOnce for Wales\b|\bCDPS\b|\bCentre for Digital Public Services\b|\bWLGA\b|\bDigital Office for Scottish Local Government\b|\bLondon Office of Technology and Innovation\b|\bLOTI\b|\bUnwaith i Gymru\b|\bCLlLC\b|\bCanolfan Gwasanaethau Digidol Cyhoeddus\b"),
            ("joint work", r"\bjoint(?:ly)? (?:procure\w*|buy|commission\w*)\b|\bbuy jointly\b|\bjoint procurement\b|\bshared (?:platforms?|services?|products?|procurement frameworks)\b|\bneighbouring (?:councils|boroughs|authorities)\b|\bcollaborative procurement\b|\bcaffael ar y cyd\b|\b(?:cyngor|gyngor|chyngor|gynghorau) cyfagos\b"),
        ]),
        partly=_p([("national government named", r"\b(?:Welsh|Scottish|UK) Government\b|\bLlywodraeth Cymru\b|\bnational (?:programme|scheme)s?\b")]),
    ),
    "user-research-based": SignalSet(
        met=_p([
            ("user researchers", r"\buser researchers?\b"),
            ("usability testing", r"\busability test(?:ing|s)?\b|\bprofi defnyddioldeb\b"),
            ("interviews", r"\b(?:\d+|one-to-one)[\w -]{0,20} interviews\b|\bcyfweliadau\b"),
            ("research findings", r"\b(?:our |the )?research (?:showed|shows|found|told us)\b|\bjourney mapping\b|\bweb analytics\b"),
            ("discovery", r"\bdiscovery\b"),
            ("ymchwil defnyddwyr", r"\bymchwil defnyddwyr\b"),
        ]),
        partly=_p([("research mentioned", r"\buser research\b|\bresearch with (?:residents|users)\b")]),
    ),
    "behaviour-based-understanding": SignalSet(
        met=_p([
            ("behaviour patterns", r"\b(?:patterns? of behaviour|common behaviours|behaviour patterns|(?:three|four|five) (?:common )?(?:patterns|behaviours|groups))\b"),
            ("not by age", r"\b(?:cut across|appear in every) age\b|\bnot (?:at )?(?:assumptions about )?age\b|\brather than (?:for )?age groups\b|\bnot age or background\b"),
            ("designed for behaviours", r"\bdesign\w*\b[^.]{0,40}\bfor these (?:behaviours|patterns)\b|\bpersonas?\b|\bymddygiad\b|\bpatrymau ymddygiad\b"),
            ("how people really behave", r"\bhow (?:residents|people|customers) (?:actually )?(?:contact|use|behave)\b|\bhow people behave\b"),
        ]),
        partly=_p([("channel figures", r"\b\d+% of contacts (?:came|were|arrived)\b|\bchannel data\b")]),
        counter=_p([
            ("needs inferred from age", r"\bolder (?:residents|people) (?:prefer|want|expect)\b|\byoung(?:er)? people (?:expect|want|prefer)\b|\bpobl hŷn yn ffafrio\b|\bpobl ifanc yn disgwyl\b"),
        ]),
    ),
}

PLAN_HEADING = re.compile(r"\b(?:action plan|delivery plan|implementation plan|roadmap|now,? next,? later|workstreams?|"
                          r"programme of work|cynllun gweithredu|cynllun cyflawni)\b", I)
MEASURE_HEADING = re.compile(r"\b(?:measur\w*|targets?|success|KPIs?|indicators?|mesur\w*|targed\w*|llwyddiant)\b", I)
BASELINE_WORDS = re.compile(r"\b(?:baseline|target|targed|llinell sylfaen)\b", I)
FUTURE = re.compile(r"\b(?:will|shall|byddwn|bydd)\b", I)
