"""Theme pages: which councils cover a theme, the strongest evidence, and who does not."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from stratlens.web.queries import classifiable_frameworks
from stratlens.web.render import Ctx, HTTPProblem, Page, respond
from stratlens.web.routes.common import evidence_cells, percent
from stratlens.web.tables import Column, Table

router = APIRouter()
STRONGEST = 5


def build_themes(ctx: Ctx) -> Page:
    _ = ctx._
    page = Page("themes.html", _("Frameworks and themes"))
    groups = []
    for fw in classifiable_frameworks():
        t = page.add(Table(f"themes-{fw.id}", ctx.fw_name(fw), [
            Column("theme", _("Theme"), link=True), Column("share", _("Share of strategies covering"), numeric=True)]))
        cov = ctx.data.coverage(fw.id)
        for theme in fw.themes:
            n = sum(1 for c in cov if c.themes[theme.id].covered)
            share = n / len(cov) if cov else 0.0
            t.rows.append({"framework_id": fw.id, "theme_id": theme.id, "theme": theme.label(ctx.lang),
                           "share": round(share, 4), "_display": {"share": percent(share)},
                           "_links": {"theme": ctx.url(f"/themes/{fw.id}/{theme.id}")}})
        groups.append({"framework": fw, "table": t})
    page.context["groups"] = groups
    return page


def build_theme(ctx: Ctx, framework_id: str, theme_id: str) -> Page:
    _ = ctx._
    fw = ctx.framework(framework_id, framework_id)
    if theme_id not in fw.theme_ids:
        raise HTTPProblem(404, _("Page not found"), _("This framework has no theme with that name."))
    theme = fw.theme(theme_id)
    name = theme.label(ctx.lang)
    page = Page("theme.html", name)
    councils = {c.id: c for c in ctx.data.councils()}
    coverage = ctx.data.coverage(fw.id)

    cov_t = page.add(Table("covering", _("Strategies that cover this theme"), [
        Column("council", _("Council"), link=True), Column("title", _("Strategy"), link=True),
        Column("passages", _("Passages"), numeric=True), Column("evidence", _("Best evidence"))],
        empty=_("No strategy in the store covers this theme.")))
    not_t = page.add(Table("not-covering", _("Strategies that do not cover this theme"), [
        Column("council", _("Council"), link=True), Column("title", _("Strategy"), link=True),
        Column("passages", _("Passages on this theme"), numeric=True)],
        empty=_("Every strategy in the store covers this theme.")))
    strongest = []
    for c in coverage:
        d = c.document
        tc = c.themes[theme_id]
        base = {"document_id": d["id"], "council_id": d["council_id"],
                "council": ctx.council_name(councils.get(d["council_id"]), d["council"]), "title": d["title"],
                "year": d["year"], "passages": tc.passages,
                "_links": {"council": ctx.url(f"/councils/{d['council_id']}"),
                           "title": ctx.url(f"/documents/{d['id']}")}}
        if tc.covered:
            ev = tc.evidence[0] if tc.evidence else None
            cov_t.rows.append({**base, **evidence_cells(ctx, d["id"], ev, d.get("language"))})
        else:
            not_t.rows.append(base)
        for ev in tc.evidence:
            strongest.append((ev.score, base, ev, d.get("language")))
    strongest.sort(key=lambda x: -x[0])
    ev_t = page.add(Table("evidence", _("Strongest evidence"), [
        Column("council", _("Council"), link=True), Column("title", _("Strategy"), link=True),
        Column("score", _("Score"), numeric=True), Column("evidence", _("Passage"))],
        empty=_("No passage in the store is labelled with this theme.")))
    for score, base, ev, lang in strongest[:STRONGEST]:
        ev_t.rows.append({**base, "score": round(score, 2), **evidence_cells(ctx, base["document_id"], ev, lang)})

    have = {c.document["council_id"] for c in coverage}
    absent = [ctx.council_name(c) for c in councils.values()
              if c.nation == "Wales" and not c.is_national and c.id not in have]
    page.context.update(framework=fw, framework_name=ctx.fw_name(fw), theme=theme, theme_name=name,
                        definition=theme.definition, absent=absent)
    page.data.update(framework=fw.id, theme={"id": theme.id, "name": name, "definition": theme.definition})
    return page


@router.get("/themes", include_in_schema=False)
def themes(request: Request) -> Response:
    ctx = Ctx(request)
    return respond(ctx, lambda: build_themes(ctx))


@router.get("/themes/{framework_id}/{theme_id}", include_in_schema=False)
def theme(request: Request, framework_id: str, theme_id: str) -> Response:
    ctx = Ctx(request)
    return respond(ctx, lambda: build_theme(ctx, framework_id, theme_id))
