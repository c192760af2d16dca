"""The JSON API: the same data as the pages, described by /openapi.json.

Each endpoint returns what its page shows: a title, plain fields, and the page's tables as
`{id, caption, columns, rows}`. `lang=cy` gives Welsh names and captions.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from starlette.responses import Response

from stratlens.web.render import Ctx, respond_json
from stratlens.web.routes.compare import build_compare, build_matrix
from stratlens.web.routes.councils import build_council, build_councils
from stratlens.web.routes.documents import build_document
from stratlens.web.routes.gaps import build_gaps
from stratlens.web.routes.overview import build_overview
from stratlens.web.routes.search import build_search
from stratlens.web.routes.selfassess import build_selfassess
from stratlens.web.routes.themes import build_theme, build_themes
from stratlens.web.queries import classifiable_frameworks

router = APIRouter(prefix="/api", tags=["data"])
Lang = Query("en", pattern="^(en|cy)$", description="Language of names and captions: en or cy.")


class TableOut(BaseModel):
    id: str
    caption: str
    columns: list[str]
    rows: list[dict[str, Any]]


class PageOut(BaseModel):
    """A page's data: its title, fields particular to the page, and its tables."""

    model_config = {"extra": "allow"}
    title: str
    tables: list[TableOut]


class FrameworkOut(BaseModel):
    id: str
    kind: str
    name: dict[str, str | None]
    themes: list[dict[str, Any]]


@router.get("/frameworks", response_model=list[FrameworkOut], summary="Frameworks with coverage")
def frameworks() -> list[dict[str, Any]]:
    """Every framework whose themes passages are classified against, with English and Welsh names."""
    return [{"id": f.id, "kind": f.kind, "name": {"en": f.name.en, "cy": f.name.cy},
             "themes": [{"id": t.id, "name": {"en": t.label("en"), "cy": t.label("cy")}} for t in f.themes]}
            for f in classifiable_frameworks()]


@router.get("/overview", response_model=PageOut, summary="Corpus coverage of a framework")
def overview(request: Request, framework: str | None = None, nation: str | None = None,
             council_type: str | None = None, year: str | None = None, lang: str = Lang) -> Response:
    """Share of strategies covering each theme, the strategies counted, and missing councils."""
    ctx = Ctx(request)
    return respond_json(ctx, lambda: build_overview(ctx, framework, nation, council_type, year))


@router.get("/councils", response_model=PageOut, summary="The register of councils")
def councils(request: Request, lang: str = Lang) -> Response:
    ctx = Ctx(request)
    return respond_json(ctx, lambda: build_councils(ctx))


@router.get("/councils/{council_id}", response_model=PageOut, summary="One council")
def council(request: Request, council_id: str, framework: str | None = None, lang: str = Lang) -> Response:
    """Its strategies, their coverage per theme with evidence, and the council against the national themes."""
    ctx = Ctx(request)
    return respond_json(ctx, lambda: build_council(ctx, council_id, framework))


@router.get("/councils/{council_id}/self-assessment", response_model=PageOut,
            summary="A council's self-assessment against the LGA practice ladder")
def selfassess(request: Request, council_id: str, lang: str = Lang) -> Response:
    """Every ladder action done / in-progress / not-started (pre-filled from the latest strategy or set
    by an analyst), maturity per outcome, and the comparison with peers: `answers`, `maturity` and
    `peers` as `stratlens selfassess --export json --peers` gives them, plus the page's tables."""
    ctx = Ctx(request)
    return respond_json(ctx, lambda: build_selfassess(ctx, council_id))


@router.get("/gaps", response_model=PageOut, summary="Themes most strategies miss")
def gaps(request: Request, framework: str | None = None, nation: str | None = None,
         council_type: str | None = None, year: str | None = None, lang: str = Lang) -> Response:
    """Per theme, the councils whose latest strategy misses it (or covers it thinly), notable practice
    and the councils covering it most; the overview's filters."""
    ctx = Ctx(request)
    return respond_json(ctx, lambda: build_gaps(ctx, framework, nation, council_type, year))


@router.get("/themes", response_model=PageOut, summary="Every theme with its share of strategies")
def themes(request: Request, lang: str = Lang) -> Response:
    ctx = Ctx(request)
    return respond_json(ctx, lambda: build_themes(ctx))


@router.get("/themes/{framework_id}/{theme_id}", response_model=PageOut, summary="One theme")
def theme(request: Request, framework_id: str, theme_id: str, lang: str = Lang) -> Response:
    """Strategies that cover the theme, the strongest evidence, and strategies that do not."""
    ctx = Ctx(request)
    return respond_json(ctx, lambda: build_theme(ctx, framework_id, theme_id))


@router.get("/documents/{document_id}", response_model=PageOut, summary="One document with its passages")
def document(request: Request, document_id: int, framework: str | None = None, lang: str = Lang) -> Response:
    ctx = Ctx(request)
    return respond_json(ctx, lambda: build_document(ctx, document_id, framework))


@router.get("/compare", response_model=PageOut, summary="Two strategies side by side")
def compare(request: Request, a: int | None = None, b: int | None = None, framework: str | None = None,
            lang: str = Lang) -> Response:
    ctx = Ctx(request)
    return respond_json(ctx, lambda: build_compare(ctx, str(a or ""), str(b or ""), framework))


@router.get("/compare/national", response_model=PageOut, summary="Councils x national themes")
def matrix(request: Request, lang: str = Lang) -> Response:
    """Each Welsh council against the themes of the national strategy (welsh-gov-vs-councils)."""
    ctx = Ctx(request)
    return respond_json(ctx, lambda: build_matrix(ctx))


@router.get("/search", response_model=PageOut, summary="Search passages")
def search(request: Request, q: str = Query(..., max_length=200),
           mode: Literal["keyword", "semantic"] = "keyword", lang: str = Lang) -> Response:
    """Keyword search (SQLite FTS5) or semantic search (sentence-encoder cosine similarity)."""
    ctx = Ctx(request)
    return respond_json(ctx, lambda: build_search(ctx, q, mode))
