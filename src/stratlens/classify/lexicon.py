"""Keyword matching with Welsh initial mutations.

Welsh changes the first letter of a word after certain words ("cyngor" becomes "gyngor",
"nghyngor", "chyngor"), so a Welsh keyword list in radical form misses most real uses unless
the mutated forms are generated too.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from stratlens.frameworks import Framework

_SOFT = {"p": "b", "t": "d", "c": "g", "b": "f", "d": "dd", "g": "", "m": "f", "ll": "l", "rh": "r"}
_NASAL = {"p": "mh", "t": "nh", "c": "ngh", "b": "m", "d": "n", "g": "ng"}
_ASPIRATE = {"p": "ph", "t": "th", "c": "ch"}


def welsh_mutations(word: str) -> set[str]:
    """The radical form and its soft, nasal and aspirate mutations (first word only)."""
    w = word.lower()
    forms = {w}
    for table in (_SOFT, _NASAL, _ASPIRATE):
        for radical in sorted(table, key=len, reverse=True):
            if w.startswith(radical):
                forms.add(table[radical] + w[len(radical):])
                break
    # Vowel-initial words take an h after some possessives ('ei hardal').
    if w[:1] in "aeiouwyâêîôûŵŷ":
        forms.add("h" + w)
    return {f for f in forms if len(f) >= 2}


def _pattern(term: str) -> str:
    escaped = re.escape(term.lower()).replace(r"\ ", r"[\s\-]+").replace(r"\-", r"[\s\-]?")
    return rf"(?<![\w]){escaped}(?:s|es|ed|ing)?(?![\w])"


def _anchor(words: list[str]) -> str:
    """The longest literal piece every match of a term must contain (lower case), or ''."""
    pieces = [p for w in words for p in re.split(r"[\s\-]+", w.lower()) if p]
    return max(pieces, key=len, default="")


class Lexicon:
    """Compiled keyword patterns of one framework.

    Each pattern carries an anchor, a piece of text any match must contain; a passage that
    lacks it skips the regular expression. Most keywords are absent from most passages, so this
    makes matching several times faster with the same results.
    """

    def __init__(self, framework: Framework) -> None:
        self.theme_ids = framework.theme_ids
        self.patterns: list[list[tuple[str, re.Pattern[str], str]]] = []
        for theme in framework.themes:
            pats: list[tuple[str, re.Pattern[str], str]] = []
            for term in theme.keywords.en:
                pats.append((term, re.compile(_pattern(term), re.I), _anchor([term])))
            for term in theme.keywords.cy:
                first, _, rest = term.partition(" ")
                alts = "|".join(re.escape(f) for f in sorted(welsh_mutations(first), key=len, reverse=True))
                tail = (r"[\s\-]+" + re.escape(rest).replace(r"\ ", r"[\s\-]+")) if rest else ""
                # A mutation changes at most the first two letters, so the rest of the first
                # word is in every form.
                anchor = _anchor([first.lower()[2:], rest])
                pats.append((term, re.compile(rf"(?<![\w])(?:{alts}){tail}(?![\w])", re.I), anchor))
            self.patterns.append(pats)

    def matches(self, text: str) -> list[list[str]]:
        """For each theme, the keywords found in `text` (each once)."""
        lower = text.lower()
        return [[term for term, pat, anchor in pats if (not anchor or anchor in lower) and pat.search(text)]
                for pats in self.patterns]

    def features(self, texts: list[str]) -> tuple[np.ndarray, list[list[list[str]]]]:
        """A (n, themes) matrix of saturating keyword scores, and the matched terms."""
        hits = [self.matches(t) for t in texts]
        feats = np.array([[1.0 - 0.5 ** len(m) for m in row] for row in hits], dtype=np.float32)
        return feats.reshape(len(texts), len(self.theme_ids)), hits


@lru_cache(maxsize=32)
def lexicon_for(framework_id: str) -> Lexicon:
    from stratlens.frameworks import load_framework

    return Lexicon(load_framework(framework_id))
