"""Dates in strategy text, normalised to YYYY-MM, in English and Welsh.

A commitment's date is the month by which (or from which) it is due. The rules, in order:
- a month and year ("March 2026", "Mawrth 2026", "end of March 2026") is that month;
- a financial year ("2025/26", "2025-26", "2025/2026") ends in March of its second year;
- a quarter of a financial year ("Q3 2025/26") ends in June, September, December or March;
  a quarter of a calendar year ("Q3 2025") ends in March, June, September or December;
- a season ("spring 2025") is its last month: spring May, summer August, autumn November,
  winter February of the next year;
- a bare year ("by 2022", "by the end of 2020", "erbyn 2025") is December of that year.
A span of years that are not one financial year ("2023-2028", "2024 to 2027") is a period:
it is reported (the strategy's overall period) but is never a commitment's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS_EN = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), start=1)}
MONTHS_EN.update({k[:3]: v for k, v in list(MONTHS_EN.items())})
MONTHS_EN["sept"] = 9
# Welsh months with their soft and nasal mutations (after 'ym', 'yn', 'o', 'i').
MONTHS_CY = {
    "ionawr": 1, "chwefror": 2, "mawrth": 3, "fawrth": 3, "ebrill": 4, "mai": 5, "fai": 5,
    "mehefin": 6, "fehefin": 6, "gorffennaf": 7, "orffennaf": 7, "ngorffennaf": 7, "awst": 8,
    "medi": 9, "fedi": 9, "hydref": 10, "tachwedd": 11, "dachwedd": 11, "nhachwedd": 11,
    "rhagfyr": 12, "ragfyr": 12,
}
SEASONS = {"spring": (5, 0), "summer": (8, 0), "autumn": (11, 0), "winter": (2, 1),
           "gwanwyn": (5, 0), "haf": (8, 0), "hydref": (11, 0), "gaeaf": (2, 1)}
QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "cyntaf": 1, "ail": 2,
                 "trydydd": 3, "pedwerydd": 4}

_Y = r"(?:19|20)\d\d"
_MONTH_ALT = "|".join(sorted({*MONTHS_EN, *MONTHS_CY}, key=len, reverse=True))
_SEASON_ALT = "|".join(SEASONS)
# Connectives that introduce a date. Welsh: erbyn (by), cyn (before), yn ystod (during), o (from).
_CONNECTIVE = (r"(?P<conn>by the end of|by the start of|by the beginning of|by|before|no later than|until|"
               r"during|from|starting in|starting|in|within|throughout|erbyn diwedd|erbyn|cyn diwedd|cyn|"
               r"yn ystod|o|ym|yng|yn)")

DATE_RE = re.compile(
    r"(?:\b" + _CONNECTIVE + r"\s+(?:the\s+)?(?:end\s+of\s+|start\s+of\s+|diwedd\s+|mis\s+)?)?"
    r"(?P<body>"
    r"(?:Q(?P<q>[1-4])|Ch(?P<qcy>[1-4])|(?P<qword>first|second|third|fourth|final)\s+quarter\s+of)\s*"
    r"(?P<qy>" + _Y + r")(?:\s*[/-]\s*(?P<qy2>\d\d(?:\d\d)?))?"
    r"|(?P<month>" + _MONTH_ALT + r")\s+(?P<my>" + _Y + r")"
    r"|(?P<season>" + _SEASON_ALT + r")\s+(?P<sy>" + _Y + r")"
    r"|(?P<y1>" + _Y + r")(?:\s*(?P<sep>/|-|–|to|i)\s*(?P<y2>(?:19|20)?\d\d))?"
    r")\b(?![/-]\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A date found in text: where it is, what it says, and its normalised month."""

    start: int
    end: int
    text: str
    connective: str | None
    value: str | None       # YYYY-MM, or None for a period
    precision: str          # month | quarter | financial-year | season | year | period
    period: tuple[int, int] | None = None

    @property
    def is_deadline(self) -> bool:
        return (self.connective or "").lower() in DEADLINE_CONNECTIVES


DEADLINE_CONNECTIVES = {"by", "by the end of", "by the start of", "by the beginning of", "before", "no later than",
                        "erbyn", "erbyn diwedd", "cyn", "cyn diwedd"}


def _second_year(y1: int, raw: str) -> int:
    y2 = int(raw)
    if y2 < 100:
        y2 += (y1 // 100) * 100
    return y2


def find_dates(text: str) -> list[DateMention]:
    """Every date mention in `text`, left to right."""
    out = []
    for m in DATE_RE.finditer(text):
        conn = m.group("conn")
        conn = " ".join(conn.lower().split()) if conn else None
        g = m.group
        if g("month"):
            name = g("month").lower()
            month = MONTHS_EN.get(name) or MONTHS_CY.get(name)
            # 'may' and 'mai' are also ordinary words: only with a year right after (already required)
            out.append(DateMention(m.start(), m.end(), m.group(0), conn, f"{int(g('my')):04d}-{month:02d}", "month"))
        elif g("season"):
            month, bump = SEASONS[g("season").lower()]
            out.append(DateMention(m.start(), m.end(), m.group(0), conn, f"{int(g('sy')) + bump:04d}-{month:02d}",
                                   "season"))
        elif g("qy"):
            q = int(g("q") or g("qcy") or QUARTER_WORDS[g("qword").lower()])
            y = int(g("qy"))
            if g("qy2") and _second_year(y, g("qy2")) == y + 1:
                # quarters of a financial year April-March
                month, year = ((6, y), (9, y), (12, y), (3, y + 1))[q - 1]
            else:
                month, year = q * 3, y
            out.append(DateMention(m.start(), m.end(), m.group(0), conn, f"{year:04d}-{month:02d}", "quarter"))
        else:
            y1 = int(g("y1"))
            if g("y2"):
                y2 = _second_year(y1, g("y2"))
                if y2 == y1 + 1 and g("sep") in ("/", "-", "–"):
                    out.append(DateMention(m.start(), m.end(), m.group(0), conn, f"{y2:04d}-03", "financial-year"))
                elif y2 > y1:
                    out.append(DateMention(m.start(), m.end(), m.group(0), conn, None, "period", (y1, y2)))
                continue
            out.append(DateMention(m.start(), m.end(), m.group(0), conn, f"{y1:04d}-12", "year"))
    return out


def strategy_period(title: str | None, text: str) -> tuple[int, int] | None:
    """The strategy's overall period (e.g. 2023-2028), from the title or else the opening text."""
    for source in (title or "", text[:3000]):
        for d in find_dates(source):
            if d.precision == "period" and d.period and d.period[1] - d.period[0] <= 12:
                return d.period
    return None
