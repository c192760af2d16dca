"""The register of councils and national bodies, and matching free-text names to it.

Coverage across a nation only means something against the full list of its councils, so the
22 Welsh principal councils ship as data; any other UK council is added on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Council:
    id: str
    name_en: str
    short: str
    nation: str | None = None
    type: str | None = None
    gss: str | None = None
    name_cy: str | None = None
    is_national: bool = False

    def name(self, lang: str = "en") -> str:
        return self.name_cy if lang == "cy" and self.name_cy else self.name_en


def slugify(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and")).strip("-")
    return s or "unknown"


_SUFFIXES = re.compile(
    r"\b(city and county of|county borough council|county council|borough council|district council|"
    r"city council|metropolitan borough council|london borough of|royal borough of|council|cyngor|"
    r"bwrdeistref sirol|sir|dinas a sir|the)\b",
    re.I,
)


def _key(name: str) -> str:
    return slugify(_SUFFIXES.sub(" ", name))


@lru_cache(maxsize=1)
def builtin_register() -> tuple[Council, ...]:
    raw = yaml.safe_load((Path(__file__).parent / "data" / "councils.yaml").read_text(encoding="utf-8"))
    out = [Council(**c) for c in raw["councils"]]
    out += [Council(**c, is_national=True) for c in raw["national_bodies"]]
    return tuple(out)


def match_council(name: str, known: list[Council]) -> Council | None:
    """Find a council by id, GSS code, full or short name in English or Welsh."""
    wanted = name.strip()
    if not wanted:
        return None
    key = _key(wanted)
    for c in known:
        if wanted.lower() in (c.id, (c.gss or "").lower()):
            return c
        names = [c.name_en, c.short] + ([c.name_cy] if c.name_cy else [])
        if any(_key(n) == key for n in names):
            return c
    return None


_NAME_IN_TEXT = re.compile(
    r"((?:[A-Z][\w'’]+(?:\s+(?:of|and|upon|on|the|y|ar)\s+|\s+|-)){0,4}?[A-Z][\w'’]+\s+"
    r"(?:County Borough|Metropolitan Borough|County|City|Borough|District)?\s*Council)"
)
_CYNGOR = re.compile(r"(Cyngor(?:\s+(?:Sir|Bwrdeistref Sirol|Dinas))?(?:\s+[A-Z][\w'’-]+){1,3})")


def guess_council_name(text: str) -> str | None:
    """A council named near the start of a document ('Cardiff Council', 'Cyngor Gwynedd')."""
    head = text[:3000]
    for pattern in (_NAME_IN_TEXT, _CYNGOR):
        for m in pattern.finditer(head):
            name = re.sub(r"\s+", " ", m.group(1)).strip()
            if len(name.split()) >= 2 and not name.lower().startswith(("the council", "our council", "this council")):
                return name
    return None
