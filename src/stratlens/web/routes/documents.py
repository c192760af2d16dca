"""A document: its metadata, the themes it covers, and every passage (evidence links land here)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from stratlens.frameworks import LGA_ID
from stratlens.web.analysis import document_analysis
from stratlens.web.render import Ctx, HTTPProblem, Page, respond
from stratlens.web.routes.common import LANGUAGES, evidence_cells, yes_no
from stratlens.web.tables import Column, Table

router = APIRouter()


def build_document(ctx: Ctx, document_id: int, framework: str | None = None) -> Page:
    _ = ctx._
    d = ctx.data.document(document_id)
    if d is None:
        raise HTTPProblem(404, _("Page not found"), _("There is no document with that number."))
    fw = ctx.framework(framework, LGA_ID)
    council = ctx.data.council(d["council_id"])
    page = Page("document.html", d["title"] or _("Untitled"))
    cov = next((c for c in ctx.data.coverage(fw.id) if c.document["id"] == document_id), None)
    labels: dict[int, list[str]] = {}
    ct = page.add(Table("coverage", _("Coverage of %(framework)s themes") % {"framework": ctx.fw_name(fw)}, [
        Column("theme", _("Theme"), link=True), Column("passages", _("Passages"), numeric=True),
        Column("covered", _("Covered")), Column("evidence", _("Best evidence"))]))
    if cov:
        for theme_id, tc in cov.themes.items():
            ev = tc.evidence[0] if tc.evidence else None
            ct.rows.append({"theme_id": theme_id, "theme": ctx.theme_name(fw, theme_id), "passages": tc.passages,
                            "covered": tc.covered, **evidence_cells(ctx, d["id"], ev, d.get("language")),
                            "_display": {"covered": yes_no(ctx, tc.covered)},
                            "_links": {"theme": ctx.url(f"/themes/{fw.id}/{theme_id}")}})
            for e in tc.evidence:
                labels.setdefault(e.passage_id, []).append(ctx.theme_name(fw, theme_id))
    pt = page.add(Table("passages", _("Passages"), [
        Column("seq", _("Number"), numeric=True), Column("page", _("Page"), numeric=True),
        Column("heading", _("Heading")), Column("text", _("Text"))]))
    for p in ctx.data.passages(document_id):
        pt.rows.append({"passage_id": p["id"], "seq": p["seq"], "page": p["page"], "heading": p["heading"],
                        "text": p["text"], "lang": p["lang"], "_themes": labels.get(p["id"], [])})
    analysis = document_analysis(ctx, page, d)
    lang_name = ctx._(LANGUAGES[d["language"]]) if d.get("language") in LANGUAGES else _("Not known")
    page.context.update(doc=d, council=council, council_label=ctx.council_name(council, d["council"]),
                        framework=fw, language_name=lang_name, analysis=analysis)
    page.data.update(document={k: d[k] for k in ("id", "council_id", "title", "year", "format", "pages",
                                                 "language", "source_url", "passages")}, framework=fw.id)
    return page


@router.get("/documents/{document_id}", include_in_schema=False)
def document(request: Request, document_id: int, framework: str | None = None) -> Response:
    ctx = Ctx(request)
    return respond(ctx, lambda: build_document(ctx, document_id, framework))
