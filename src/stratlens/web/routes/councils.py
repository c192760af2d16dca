"""Council pages: the register, and one council's strategies with evidence per theme."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from stratlens.frameworks import LGA_ID, load_framework
from stratlens.web.queries import NATIONAL_FRAMEWORK, classifiable_frameworks
from stratlens.web.analysis import council_analysis
from stratlens.web.render import Ctx, HTTPProblem, Page, respond
from stratlens.web.routes.common import evidence_cells, nation_label, type_label, yes_no
from stratlens.web.tables import Column, Table

router = APIRouter()


def named_in_comparison(council_short: str, theme) -> bool:  # noqa: ANN001 - frameworks.Theme
    """Whether the published comparison (the analysts' hand-drawn table) names the council."""
    names = getattr(theme, "model_extra", None) or {}
    return council_short.lower() in {str(n).lower() for n in names.get("councils", []) or []}


def build_councils(ctx: Ctx) -> Page:
    _ = ctx._
    page = Page("councils.html", _("Councils"))
    docs = ctx.data.documents()
    counts: dict[str, int] = {}
    for d in docs:
        counts[d["council_id"]] = counts.get(d["council_id"], 0) + 1
    t = page.add(Table("councils", _("Councils and national bodies"), [
        Column("council", _("Council"), link=True), Column("nation", _("Nation")), Column("type", _("Type")),
        Column("strategies", _("Strategies"), numeric=True)]))
    for c in sorted(ctx.data.councils(), key=lambda c: (c.is_national, ctx.council_name(c))):
        t.rows.append({"council_id": c.id, "council": ctx.council_name(c), "nation": c.nation, "type": c.type,
                       "gss": c.gss, "strategies": counts.get(c.id, 0),
                       "_display": {"nation": nation_label(ctx, c.nation), "type": type_label(ctx, c.type)},
                       "_links": {"council": ctx.url(f"/councils/{c.id}")}})
    return page


def build_council(ctx: Ctx, council_id: str, framework: str | None = None) -> Page:
    _ = ctx._
    council = ctx.data.council(council_id)
    if council is None:
        raise HTTPProblem(404, _("Page not found"), _("There is no council with that name in the register."))
    fw = ctx.framework(framework, LGA_ID)
    name = ctx.council_name(council)
    page = Page("council.html", name)
    coverage = [c for c in ctx.data.coverage(fw.id) if c.document["council_id"] == council.id]

    st = page.add(Table("strategies", _("Strategies of %(council)s") % {"council": name}, [
        Column("title", _("Title"), link=True), Column("year", _("Year"), numeric=True),
        Column("format", _("Format")), Column("pages", _("Pages"), numeric=True),
        Column("passages", _("Passages"), numeric=True)], empty=_("No strategy of this council is in the store.")))
    sections = []
    for c in coverage:
        d = c.document
        st.rows.append({"document_id": d["id"], "title": d["title"], "year": d["year"], "format": d["format"],
                        "pages": d["pages"], "passages": d["passages"],
                        "_links": {"title": ctx.url(f"/documents/{d['id']}")}})
        tt = page.add(Table(f"coverage-{d['id']}", _("Coverage of %(framework)s themes in %(title)s") % {
            "framework": ctx.fw_name(fw), "title": d["title"] or _("Untitled")}, [
            Column("theme", _("Theme"), link=True), Column("passages", _("Passages"), numeric=True),
            Column("covered", _("Covered")), Column("evidence", _("Best evidence"))]))
        for theme_id, tc in c.themes.items():
            ev = tc.evidence[0] if tc.evidence else None
            tt.rows.append({"theme_id": theme_id, "theme": ctx.theme_name(fw, theme_id), "passages": tc.passages,
                            "covered": tc.covered, "max_score": round(tc.max_score, 4),
                            **evidence_cells(ctx, d["id"], ev, d.get("language")),
                            "_display": {"covered": yes_no(ctx, tc.covered)},
                            "_links": {"theme": ctx.url(f"/themes/{fw.id}/{theme_id}")}})
        sections.append({"document": d, "table": tt})

    nat = load_framework(NATIONAL_FRAMEWORK)
    national = [c for c in ctx.data.coverage(nat.id) if c.document["council_id"] == council.id]
    nt = page.add(Table("national", _("%(council)s against the national themes") % {"council": name}, [
        Column("theme", _("National theme"), link=True), Column("covered", _("Covered in its strategies")),
        Column("named", _("Named in the published comparison")), Column("evidence", _("Best evidence"))]))
    for theme in nat.themes:
        covering = [c for c in national if c.themes[theme.id].covered]
        best = None
        for c in national:
            for ev in c.themes[theme.id].evidence[:1]:
                if best is None or ev.score > best[1].score:
                    best = (c.document, ev)
        named = named_in_comparison(council.short, theme)
        nt.rows.append({"theme_id": theme.id, "theme": theme.label(ctx.lang), "covered": bool(covering),
                        "named": named,
                        **(evidence_cells(ctx, best[0]["id"], best[1], best[0].get("language")) if best
                           else evidence_cells(ctx, 0, None, None)),
                        "_display": {"covered": yes_no(ctx, bool(covering)), "named": yes_no(ctx, named)},
                        "_links": {"theme": ctx.url(f"/themes/{nat.id}/{theme.id}")}})

    analysis = council_analysis(ctx, page, council.id, [c.document for c in coverage])
    page.context.update(council=council, council_label=name, analysis=analysis, framework=fw, sections=sections,
                        nation=nation_label(ctx, council.nation), type=type_label(ctx, council.type),
                        national_framework=ctx.fw_name(nat),
                        framework_options=[(f.id, ctx.fw_name(f)) for f in classifiable_frameworks()])
    page.data.update(council={"id": council.id, "name": name, "nation": council.nation, "type": council.type,
                              "gss": council.gss}, framework=fw.id)
    return page


@router.get("/councils", include_in_schema=False)
def councils(request: Request) -> Response:
    ctx = Ctx(request)
    return respond(ctx, lambda: build_councils(ctx))


@router.get("/councils/{council_id}", include_in_schema=False)
def council(request: Request, council_id: str, framework: str | None = None) -> Response:
    ctx = Ctx(request)
    return respond(ctx, lambda: build_council(ctx, council_id, framework))
