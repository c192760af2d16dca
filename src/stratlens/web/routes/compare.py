"""Compare: two strategies side by side, and councils against the national themes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from stratlens.frameworks import LGA_ID, load_framework
from stratlens.web.queries import NATIONAL_FRAMEWORK, classifiable_frameworks
from stratlens.web.render import Ctx, Page, respond
from stratlens.web.routes.common import evidence_cells, parse_int, yes_no
from stratlens.web.routes.councils import named_in_comparison
from stratlens.web.tables import Column, Table

router = APIRouter()


def _doc_label(ctx: Ctx, d: dict, councils: dict) -> str:
    council = ctx.council_name(councils.get(d["council_id"]), d["council"])
    year = f" ({d['year']})" if d.get("year") else ""
    return f"{council}: {d['title'] or ctx._('Untitled')}{year}"


def build_compare(ctx: Ctx, a: str | None = None, b: str | None = None, framework: str | None = None) -> Page:
    _ = ctx._
    fw = ctx.framework(framework, LGA_ID)
    docs = ctx.data.documents()
    councils = {c.id: c for c in ctx.data.councils()}
    by_id = {d["id"]: d for d in docs}
    a_id, b_id = parse_int(a), parse_int(b)
    if a_id not in by_id and docs:
        a_id = docs[0]["id"]
    if b_id not in by_id and len(docs) > 1:
        b_id = next(d["id"] for d in docs if d["id"] != a_id)
    page = Page("compare.html", _("Compare two strategies"))
    coverage = {c.document["id"]: c for c in ctx.data.coverage(fw.id)}
    ca, cb = coverage.get(a_id), coverage.get(b_id)
    if ca and cb:
        la, lb = _doc_label(ctx, ca.document, councils), _doc_label(ctx, cb.document, councils)
        t = page.add(Table("compare", _("%(framework)s: two strategies side by side") % {"framework": ctx.fw_name(fw)}, [
            Column("theme", _("Theme"), link=True),
            Column("a_covered", _("Covered by A")), Column("a_evidence", _("Evidence in A")),
            Column("b_covered", _("Covered by B")), Column("b_evidence", _("Evidence in B"))]))
        for theme_id in fw.theme_ids:
            ta, tb = ca.themes[theme_id], cb.themes[theme_id]
            ea = evidence_cells(ctx, a_id, ta.evidence[0] if ta.evidence else None, ca.document.get("language"))
            eb = evidence_cells(ctx, b_id, tb.evidence[0] if tb.evidence else None, cb.document.get("language"))
            t.rows.append({"theme_id": theme_id, "theme": ctx.theme_name(fw, theme_id),
                           "a_covered": ta.covered, "a_passages": ta.passages, "a_evidence": ea["evidence"],
                           "b_covered": tb.covered, "b_passages": tb.passages, "b_evidence": eb["evidence"],
                           "_quotes": {"a_evidence": ea.get("_quote"), "b_evidence": eb.get("_quote")},
                           "_display": {"a_covered": yes_no(ctx, ta.covered), "b_covered": yes_no(ctx, tb.covered)},
                           "_links": {"theme": ctx.url(f"/themes/{fw.id}/{theme_id}")}})
        page.context.update(label_a=la, label_b=lb)
    page.context.update(
        framework=fw, framework_options=[(f.id, ctx.fw_name(f)) for f in classifiable_frameworks()],
        doc_options=[(str(d["id"]), _doc_label(ctx, d, councils)) for d in docs],
        selected={"a": str(a_id or ""), "b": str(b_id or ""), "framework": fw.id})
    page.data.update(framework=fw.id, a=a_id, b=b_id)
    return page


def build_matrix(ctx: Ctx) -> Page:
    _ = ctx._
    fw = load_framework(NATIONAL_FRAMEWORK)
    councils = {c.id: c for c in ctx.data.councils()}
    coverage = ctx.data.coverage(fw.id)
    by_council: dict[str, list] = {}
    for c in coverage:
        by_council.setdefault(c.document["council_id"], []).append(c)
    page = Page("matrix.html", _("Councils against the national themes"))
    cols = [Column("council", _("Council"), link=True)]
    cols += [Column(t.id, t.label(ctx.lang)) for t in fw.themes]
    t = page.add(Table("matrix", _("Welsh councils against the themes of the national digital strategy"), cols,
                       empty=_("No council strategy is in the store.")))
    welsh = [c for c in councils.values() if c.nation == "Wales" and not c.is_national]
    # Councils of unknown nation with a strategy may be Welsh: shown after the register's.
    others = [councils[cid] for cid in by_council if cid in councils and councils[cid] not in welsh
              and not councils[cid].is_national and not councils[cid].nation]
    for council in sorted(welsh, key=ctx.council_name) + sorted(others, key=ctx.council_name):
        docs = by_council.get(council.id, [])
        row = {"council_id": council.id, "council": ctx.council_name(council), "_display": {}, "_cells": {},
               "_links": {"council": ctx.url(f"/councils/{council.id}")}, "strategies": len(docs)}
        for theme in fw.themes:
            covered = any(c.themes[theme.id].covered for c in docs)
            named = named_in_comparison(council.short, theme)
            state = "covered" if covered else ("no-strategy" if not docs else "not-covered")
            row[theme.id] = state
            text = {"covered": _("Covered"), "not-covered": _("Not covered"), "no-strategy": _("No strategy")}[state]
            row["_cells"][theme.id] = {"state": state, "text": text, "named": named}
            row["_display"][theme.id] = text + (" " + _("(named)") if named else "")
            row[f"{theme.id}_named"] = named
        t.rows.append(row)
    page.context.update(framework=fw, framework_name=ctx.fw_name(fw), themes=fw.themes)
    page.data.update(framework=fw.id)
    return page


@router.get("/compare", include_in_schema=False)
def compare(request: Request, a: str | None = None, b: str | None = None, framework: str | None = None) -> Response:
    ctx = Ctx(request)
    return respond(ctx, lambda: build_compare(ctx, a, b, framework))


@router.get("/compare/national", include_in_schema=False)
def matrix(request: Request) -> Response:
    ctx = Ctx(request)
    return respond(ctx, lambda: build_matrix(ctx))
