"""Marking matched terms in a passage without ever building HTML from its text.

The result is a list of (text, matched) pieces; the template wraps matched pieces in <mark>
and autoescapes every piece, so a passage containing markup stays text.
"""

from __future__ import annotations

import re
import unicodedata

STOPWORDS = {"the", "and", "for", "with", "our", "are", "this", "that", "from", "will", "a", "an", "of", "to", "in",
             "y", "yr", "a'r", "ac", "i", "o", "ar", "yn", "mae", "ein", "gyda", "ei"}
Pieces = list[tuple[str, bool]]


def _fold(text: str) -> str:
    """Lower case without accents, one character per character so positions still match."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)[:1] or ch
        low = base.lower()
        out.append(low if len(low) == 1 else base)
    return "".join(out)


def terms_of(query: str) -> list[str]:
    words = re.findall(r"[\w'’-]+", query)
    return [w for w in dict.fromkeys(_fold(w).strip("-'’") for w in words) if w and w not in STOPWORDS]


def _pattern(terms: list[str], prefix: bool) -> re.Pattern[str] | None:
    if not terms:
        return None
    alts = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    tail = r"\w*" if prefix else ""
    return re.compile(r"(?<!\w)(?:" + alts + ")" + tail + r"(?!\w)")


def highlight(text: str, terms: list[str], *, prefix: bool = False) -> Pieces:
    """`text` split into pieces, those matching a term (whole word, or word start) marked."""
    pat = _pattern(terms, prefix)
    if pat is None:
        return [(text, False)]
    out: Pieces = []
    pos = 0
    for m in pat.finditer(_fold(text)):
        if m.start() > pos:
            out.append((text[pos:m.start()], False))
        out.append((text[m.start():m.end()], True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def snippet(text: str, terms: list[str], *, width: int = 320, prefix: bool = False) -> Pieces:
    """A window of about `width` characters around the first match, highlighted."""
    pat = _pattern(terms, prefix)
    if len(text) <= width:
        return highlight(text, terms, prefix=prefix)
    m = pat.search(_fold(text)) if pat else None
    start = max(0, (m.start() if m else 0) - width // 3)
    end = min(len(text), start + width)
    # Cut on spaces so no word is split.
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    pieces = highlight(text[start:end], terms, prefix=prefix)
    if start > 0:
        pieces.insert(0, ("… ", False))
    if end < len(text):
        pieces.append((" …", False))
    return pieces
