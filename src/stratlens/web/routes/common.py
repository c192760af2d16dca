"""Labels and small helpers shared by the page builders."""

from __future__ import annotations

from typing import Any

from stratlens.analyse.coverage import Evidence
from stratlens.web.i18n import N_
from stratlens.web.render import Ctx

NATIONS = {
    "Wales": N_("Wales"),
    "England": N_("England"),
    "Scotland": N_("Scotland"),
    "Northern Ireland": N_("Northern Ireland"),
    "United Kingdom": N_("United Kingdom"),
}
COUNCIL_TYPES = {
    "county": N_("County council"),
    "county-borough": N_("County borough council"),
    "city-and-county": N_("City and county council"),
    "district": N_("District council"),
    "unitary": N_("Unitary authority"),
    "metropolitan": N_("Metropolitan borough council"),
    "london-borough": N_("London borough council"),
    "city": N_("City council"),
    "national-body": N_("National body"),
}
LANGUAGES = {"en": N_("English"), "cy": N_("Welsh")}


def nation_label(ctx: Ctx, nation: str | None) -> str:
    if not nation:
        return ctx._("Not known")
    return ctx._(NATIONS[nation]) if nation in NATIONS else nation


def type_label(ctx: Ctx, council_type: str | None) -> str:
    if not council_type:
        return ctx._("Not known")
    return ctx._(COUNCIL_TYPES[council_type]) if council_type in COUNCIL_TYPES else council_type


def yes_no(ctx: Ctx, value: bool) -> str:
    return ctx._("Yes") if value else ctx._("No")


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def where(ctx: Ctx, page: int | None, heading: str | None) -> str:
    """'page 4, Our ambitions' - where a quote sits in its document."""
    parts = []
    if page:
        parts.append(ctx._("page %(n)s") % {"n": page})
    if heading:
        parts.append(heading)
    return ", ".join(parts)


def passage_url(ctx: Ctx, document_id: int, passage_id: int) -> str:
    return ctx.url(f"/documents/{document_id}") + f"#passage-{passage_id}"


def evidence_cells(ctx: Ctx, document_id: int, ev: Evidence | None, lang: str | None) -> dict[str, Any]:
    """Row fields for a quote: its text, where it is, and a link to the passage."""
    if ev is None:
        return {"evidence": None, "evidence_where": None, "passage_id": None}
    lang = ctx.data.passage_langs().get(ev.passage_id, lang)
    return {"evidence": ev.text, "evidence_where": where(ctx, ev.page, ev.heading), "passage_id": ev.passage_id,
            "_quote": {"text": ev.text, "lang": lang, "where": where(ctx, ev.page, ev.heading),
                       "url": passage_url(ctx, document_id, ev.passage_id), "score": ev.score}}


def parse_int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None
