"""Owners: roles and bodies named in strategy text (English and Welsh).

A named owner is what makes a commitment accountable and what the `named-ownership`
criterion asks for. Only named roles count: a capitalised title ("Head of Digital Services",
"Cabinet Member for Resources and Digital", "Data Lead"), the lower-case "senior responsible
owner", or a named board or committee ("Digital Programme Board"). "The council", "IT" or a
lower-case "a digital lead" do not.
"""

from __future__ import annotations

import re

_CAP = r"[A-Z][\w'’&-]*"
_TAIL = rf"(?:\s+(?:and|&|of|for|the)\s+{_CAP}|\s+{_CAP}|,\s+{_CAP}(?=[^.]*\band\b))*"

ROLE_EN = re.compile(
    r"\b(?:"
    rf"(?:Cabinet|Lead|Executive) Member (?:for|of) {_CAP}{_TAIL}"
    r"|[Ll]ead [Mm]ember|Portfolio Holder(?: for " + _CAP + _TAIL + r")?"
    r"|[Ss]enior [Rr]esponsible [Oo]wner|SRO"
    rf"|(?:(?:Assistant|Deputy|Corporate|Executive|Strategic|Service) )?Director (?:of|for) {_CAP}{_TAIL}"
    rf"|Head of {_CAP}{_TAIL}"
    rf"|Chief(?: {_CAP}| and)+ Officer|Chief Executive|Leader of the Council|Data Protection Officer"
    rf"|(?:{_CAP} ){{1,4}}(?:Officer|Lead|Coordinator|Co-ordinator|Manager|Champion)"
    r")",
)
BODY_EN = re.compile(
    rf"\b(?:{_CAP} ){{1,5}}(?:Board|Committee|Panel|Steering Group|Programme Group|Working Group)\b"
)
ROLE_CY = re.compile(
    r"\b(?:Aelod Cabinet dros [A-Z][\w'’-]*(?:\s+(?:a|ac|dros)\s+[A-Z][\w'’-]*|\s+[A-Z][\w'’-]*)*"
    r"|Prif Weithredwr|Prif Swyddog(?: [A-Z][\w'’-]*)+|Pennaeth [A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*"
    r"|(?:Cyf|Gyf)arwyddwr [A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*"
    r"|(?:Swyddog|Arweinydd|Hyrwyddwr) [A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*|[Uu]wch [Bb]erchennog [Cc]yfrifol)"
)
BODY_CY = re.compile(r"\b(?:Bwrdd|Pwyllgor|Panel|Grŵp) [A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*")

# Words that start a capitalised run but are not part of a role ("The", "Our", a sentence start).
_LEADING = re.compile(r"^(?:The|Our|A|An|This|Each|Every|Its|Their|Y|Yr|Ein)\s+")
_NOT_ROLES = re.compile(r"^(?:Local Digital|Digital Service|Service Standard|Once for Wales)", re.IGNORECASE)


def find_roles(text: str) -> list[str]:
    """Roles and bodies named in `text`, in order of appearance, without duplicates."""
    hits: list[tuple[int, str]] = []
    for rx in (ROLE_EN, BODY_EN, ROLE_CY, BODY_CY):
        for m in rx.finditer(text):
            name = _LEADING.sub("", m.group(0).strip(" ,"))
            name = re.sub(r",$", "", name).strip()
            if len(name) < 3 or _NOT_ROLES.match(name):
                continue
            hits.append((m.start(), name))
    hits.sort()
    out: list[str] = []
    for _, name in hits:
        if not any(name in o or o in name for o in out):
            out.append(name)
        elif any(o in name and o != name for o in out):
            out = [o for o in out if o not in name] + [name]
    return out


def find_bodies(text: str) -> list[str]:
    out = []
    for rx in (BODY_EN, BODY_CY):
        out += [_LEADING.sub("", m.group(0)).strip() for m in rx.finditer(text)]
    return list(dict.fromkeys(out))
