"""Search: keyword (SQLite FTS5) and semantic (the classifier's encoder), terms highlighted."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from stratlens.web.highlight import highlight, snippet, terms_of
from stratlens.web.render import Ctx, Page, respond
from stratlens.web.routes.common import where
from stratlens.web.tables import Column, Table

router = APIRouter()
MODES = ("keyword", "semantic")
LIMIT = 20
MAX_QUERY = 200


def build_search(ctx: Ctx, q: str | None = None, mode: str | None = None) -> Page:
    _ = ctx._
    query = (q or "").strip()[:MAX_QUERY]
    mode = mode if mode in MODES else "keyword"
    page = Page("search.html", _("Search results for ‘%(query)s’") % {"query": query} if query else _("Search"))
    results = []
    if query:
        if mode == "semantic":
            rows = ctx.request.app.state.semantic.search(ctx.data.store, query, LIMIT)
        else:
            rows = ctx.data.search(query, LIMIT)
        terms = terms_of(query)
        docs = {d["id"]: d for d in ctx.data.documents()}
        councils = {c.id: c for c in ctx.data.councils()}
        t = page.add(Table("results", _("Passages matching ‘%(query)s’") % {"query": query}, [
            Column("council", _("Council")), Column("title", _("Strategy")), Column("year", _("Year"), numeric=True),
            Column("page", _("Page"), numeric=True), Column("heading", _("Heading")), Column("text", _("Passage"))]))
        for r in rows:
            d = docs.get(r["document_id"], {})
            council = ctx.council_name(councils.get(d.get("council_id", "")), r["council"])
            url = ctx.url(f"/documents/{r['document_id']}") + f"#passage-{r['id']}"
            t.rows.append({"passage_id": r["id"], "document_id": r["document_id"], "council": council,
                           "title": r["title"], "year": r["year"], "page": r["page"], "heading": r["heading"],
                           "text": r["text"], "score": r.get("score")})
            results.append({"council": council, "title": r["title"] or _("Untitled"), "year": r["year"],
                            "where": highlight(where(ctx, r["page"], r["heading"]), terms, prefix=(mode == "semantic")), "url": url, "lang": r["lang"],
                            "pieces": snippet(r["text"], terms, prefix=(mode == "semantic"))})
    page.context.update(query=query, mode=mode, results=results)
    page.data.update(query=query, mode=mode)
    return page


@router.get("/search", include_in_schema=False)
def search(request: Request, q: str | None = None, mode: str | None = None) -> Response:
    ctx = Ctx(request)
    return respond(ctx, lambda: build_search(ctx, q, mode))
