"""Corpus overview: per framework, the share of strategies covering each theme, with filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from stratlens.analyse.coverage import RULE_CY, RULE_EN, corpus_coverage
from stratlens.frameworks import LGA_ID
from stratlens.web.queries import classifiable_frameworks
from stratlens.web.render import Ctx, Page, respond
from stratlens.web.routes.common import nation_label, parse_int, percent, type_label
from stratlens.web.tables import Column, Table

router = APIRouter()


def doc_nation(d: dict) -> str | None:
    return d.get("council_nation") or d.get("nation")


def view_filter(nation: str | None, council_type: str | None, year: str | None) -> Callable[[dict], bool]:
    """The documents a view keeps: the overview's filters, shared with the gaps page."""
    year_n = parse_int(year)

    def keep(d: dict) -> bool:
        return ((not nation or doc_nation(d) == nation) and (not council_type or d.get("council_type") == council_type)
                and (year_n is None or d.get("year") == year_n))

    return keep


def filter_options(ctx: Ctx, docs: list[dict]) -> dict[str, Any]:
    """Choices for the framework, nation, type and year selects, from the documents in the store."""
    nations = sorted({n for d in docs if (n := doc_nation(d))} | {"Wales"})
    types = sorted({t for d in docs if (t := d.get("council_type"))})
    years = sorted({d["year"] for d in docs if d.get("year")}, reverse=True)
    return {"framework_options": [(f.id, ctx.fw_name(f)) for f in classifiable_frameworks()],
            "nation_options": [(n, nation_label(ctx, n)) for n in nations],
            "type_options": [(t, type_label(ctx, t)) for t in types],
            "year_options": [(str(y), str(y)) for y in years]}


def build_overview(ctx: Ctx, framework: str | None = None, nation: str | None = None,
                   council_type: str | None = None, year: str | None = None) -> Page:
    _ = ctx._
    fw = ctx.framework(framework, LGA_ID)
    docs = ctx.data.documents()
    keep = view_filter(nation, council_type, year)
    coverage = [c for c in ctx.data.coverage(fw.id) if keep(c.document)]
    corpus = corpus_coverage(coverage, fw)
    page = Page("overview.html", _("Digital strategy coverage"))
    fw_name = ctx.fw_name(fw)

    cov = page.add(Table("coverage", _("Share of strategies covering each theme of %(framework)s") % {"framework": fw_name}, [
        Column("theme", _("Theme"), link=True), Column("documents_covering", _("Strategies covering"), numeric=True),
        Column("documents", _("Strategies"), numeric=True), Column("share", _("Share"), numeric=True)],
        empty=_("No strategies match these filters.")))
    chart = []
    for c in corpus:
        url = ctx.url(f"/themes/{fw.id}/{c.theme}")
        name = ctx.theme_name(fw, c.theme)
        cov.rows.append({"theme_id": c.theme, "theme": name, "documents_covering": c.documents_covering,
                         "documents": c.documents, "share": round(c.share, 4),
                         "_display": {"share": percent(c.share)}, "_links": {"theme": url}})
        chart.append({"label": name, "share": c.share, "percent": percent(c.share), "url": url})
    if not coverage:
        cov.rows.clear()
        chart = []

    councils = {c.id: c for c in ctx.data.councils()}
    dt = page.add(Table("documents", _("Strategies in this view"), [
        Column("council", _("Council"), link=True), Column("title", _("Title"), link=True),
        Column("year", _("Year"), numeric=True), Column("passages", _("Passages"), numeric=True),
        Column("themes_covered", _("Themes covered"), numeric=True)], empty=_("No strategies match these filters.")))
    for c in coverage:
        d = c.document
        dt.rows.append({"document_id": d["id"], "council_id": d["council_id"],
                        "council": ctx.council_name(councils.get(d["council_id"]), d["council"]),
                        "title": d["title"], "year": d["year"], "passages": d["passages"],
                        "themes_covered": len(c.covered),
                        "_links": {"council": ctx.url(f"/councils/{d['council_id']}"),
                                   "title": ctx.url(f"/documents/{d['id']}")}})

    missing_nation = nation or "Wales"
    have = {c.document["council_id"] for c in coverage}
    mt = page.add(Table("missing", _("Councils in %(nation)s with no strategy in this view") % {
        "nation": nation_label(ctx, missing_nation)}, [
        Column("council", _("Council")), Column("type", _("Type"))],
        empty=_("Every council in the register has a strategy in this view.")))
    for c in councils.values():
        if c.nation == missing_nation and not c.is_national and c.id not in have:
            if council_type and c.type != council_type:
                continue
            mt.rows.append({"council_id": c.id, "council": ctx.council_name(c), "type": c.type,
                            "_display": {"type": type_label(ctx, c.type)}})

    page.context.update(
        framework=fw, framework_name=fw_name, chart=chart, rule=RULE_CY if ctx.lang == "cy" else RULE_EN,
        filters={"framework": fw.id, "nation": nation or "", "council_type": council_type or "", "year": year or ""},
        **filter_options(ctx, docs),
        summary={"documents": len(coverage), "councils": len({c.document["council_id"] for c in coverage}),
                 "passages": sum(c.total_passages for c in coverage)},
    )
    page.data.update(framework=fw.id, filters=page.context["filters"], summary=page.context["summary"],
                     rule=page.context["rule"])
    return page


@router.get("/", include_in_schema=False)
def overview(request: Request, framework: str | None = None, nation: str | None = None,
             council_type: str | None = None, year: str | None = None) -> Response:
    ctx = Ctx(request)
    return respond(ctx, lambda: build_overview(ctx, framework, nation, council_type, year))
