"""Turning a page's data into HTML, CSV or JSON, and the per-request context pages are built with.

A route builds a `Page` (its tables and whatever else its template needs) once; `respond` then
sends it as HTML, or as one table's CSV (`?format=csv&table=ID`), or as JSON (`?format=json`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from stratlens.councils import Council
from stratlens.frameworks import Framework, load_framework
from stratlens.web import i18n
from stratlens.web.queries import Data
from stratlens.web.security import csrf_token, current_analyst
from stratlens.web.settings import WebSettings
from stratlens.web.tables import Table

TEMPLATES = Path(__file__).parent / "templates"


class HTTPProblem(Exception):
    """An error page with a status, a translated title and a message (escaped like all text)."""

    def __init__(self, status: int, title: str, message: str = "") -> None:
        super().__init__(message or title)
        self.status, self.title, self.message = status, title, message


@dataclass
class Page:
    template: str
    title: str
    tables: dict[str, Table] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)
    #: Extra plain data for the JSON form of the page.
    data: dict[str, Any] = field(default_factory=dict)
    status: int = 200

    def add(self, table: Table) -> Table:
        self.tables[table.id] = table
        return table

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, **self.data, "tables": [t.as_json() for t in self.tables.values()]}


class Renderer:
    """One Jinja environment per language, each with its own gettext installed."""

    def __init__(self, strict_i18n: bool = False) -> None:
        self.envs: dict[str, Environment] = {}
        for lang in i18n.LANGS:
            env = Environment(
                loader=ChoiceLoader([
                    FileSystemLoader(TEMPLATES),
                    PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
                ]),
                autoescape=True,  # every template, whatever its name: document text is never markup
                extensions=["jinja2.ext.i18n"],
                trim_blocks=True,
                lstrip_blocks=True,
            )
            t = i18n.translator(lang, strict_i18n)
            env.install_gettext_callables(t.gettext, t.ngettext, newstyle=True)  # type: ignore[attr-defined]
            self.envs[lang] = env

    def render(self, page_lang: str, template: str, **context: Any) -> str:
        return self.envs[page_lang].get_template(template).render(**context)


class Ctx:
    """What a page builder needs about the request: language, URLs, data and the analyst."""

    def __init__(self, request: Request) -> None:
        self.request = request
        app = request.app
        self.settings: WebSettings = app.state.settings
        self.data: Data = app.state.data
        self.renderer: Renderer = app.state.renderer
        prefixed = request.scope.get("stratlens.lang_prefix")
        asked = request.query_params.get("lang")
        self.lang = prefixed or (asked if asked in i18n.LANGS else i18n.DEFAULT_LANG)
        self.translator = i18n.translator(self.lang, self.settings.strict_i18n)
        self._ = self.translator.gettext

    # -- URLs ---------------------------------------------------------------------------------
    def url(self, path: str, **query: Any) -> str:
        """An app path in this request's language, with the non-empty query values."""
        q = {k: v for k, v in query.items() if v not in (None, "")}
        out = i18n.localise_path(path, self.lang)
        return out + ("?" + urlencode(q, doseq=True) if q else "")

    def current(self, **changes: Any) -> str:
        """This page's URL with some query values changed (None removes one)."""
        q = {k: v for k, v in self.request.query_params.multi_items() if k != "lang"}
        for k, v in changes.items():
            if v is None:
                q.pop(k, None)
            else:
                q[k] = v
        return self.url(self.request.url.path, **q)

    def csv_url(self, table_id: str) -> str:
        return self.current(format="csv", table=table_id)

    def switch_url(self) -> tuple[str, str]:
        """(URL, language) of this page in the other language."""
        other = "cy" if self.lang == "en" else "en"
        q = {k: v for k, v in self.request.query_params.multi_items() if k != "lang"}
        path = i18n.localise_path(self.request.url.path, other)
        return path + ("?" + urlencode(q, doseq=True) if q else ""), other

    # -- names ----------------------------------------------------------------------------------
    def fw_name(self, fw: Framework) -> str:
        return fw.name.get(self.lang)

    def theme_name(self, fw: Framework, theme_id: str) -> str:
        return fw.theme(theme_id).label(self.lang)

    def council_name(self, c: Council | None, fallback: str = "") -> str:
        return c.name(self.lang) if c else fallback

    def framework(self, framework_id: str | None, default: str) -> Framework:
        from stratlens.errors import FrameworkError

        try:
            fw = load_framework(framework_id or default)
        except FrameworkError:
            raise HTTPProblem(404, self._("Page not found"), self._("There is no framework with that name.")) from None
        if not fw.classifiable:
            raise HTTPProblem(404, self._("Page not found"), self._("There is no framework with that name."))
        return fw

    @property
    def analyst(self) -> str | None:
        return current_analyst(self.request)

    def csrf(self) -> str:
        return csrf_token(self.request)


#: Rendered responses kept per state of the store, at most this many of each kind; search answers
#: (whose URLs vary without bound) have a smaller share.
PAGE_CACHE_ENTRIES = 2000
SEARCH_CACHE_ENTRIES = 500


def respond(ctx: Ctx, build: Callable[[], Page], fmt: str | None = None) -> Response:
    """HTML by default; `format=csv&table=ID` or `format=json` for the same data.

    Anonymous readers all see the same page for the same URL and store, so the rendered body is
    cached until the store changes (an upload or a new classification); analysts are never served
    from the cache.
    """
    request = ctx.request
    if request.method != "GET" or ctx.analyst:
        return _respond(ctx, build(), fmt)
    search = "search" in request.url.path
    key = ("search" if search else "page", fmt, ctx.lang, request.url.path,
           tuple(sorted(request.query_params.multi_items())))
    body, status, media, headers = ctx.data.cached(key, lambda: _freeze(_respond(ctx, build(), fmt)),
                                                  limit=SEARCH_CACHE_ENTRIES if search else PAGE_CACHE_ENTRIES)
    return Response(body, status_code=status, media_type=media, headers=headers)


def _freeze(response: Response) -> tuple[bytes, int, str | None, dict[str, str]]:
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-type")}
    return bytes(response.body), response.status_code, response.headers.get("content-type"), headers


def respond_json(ctx: Ctx, build: Callable[[], Page]) -> Response:
    """The JSON API's answer: a page's data, cached like the page itself."""
    return respond(ctx, build, fmt="json")


def _respond(ctx: Ctx, page: Page, fmt: str | None = None) -> Response:
    fmt = fmt or ctx.request.query_params.get("format")
    if fmt == "csv":
        table_id = ctx.request.query_params.get("table") or next(iter(page.tables), "")
        table = page.tables.get(table_id)
        if table is None:
            raise HTTPProblem(404, ctx._("Page not found"), ctx._("This page has no table with that name."))
        name = f"stratlens-{table.id}.csv"
        return Response(table.to_csv(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    if fmt == "json":
        return JSONResponse(json.loads(json.dumps(page.as_json(), default=str)))
    return html(ctx, page.template, page.title, status=page.status, tables=page.tables, **page.context)


def html(ctx: Ctx, template: str, title: str, status: int = 200, **context: Any) -> HTMLResponse:
    switch, other = ctx.switch_url()
    body = ctx.renderer.render(ctx.lang, template, ctx=ctx, lang=ctx.lang, page_title=title,
                               switch_url=switch, switch_lang=other, switch_name=i18n.LANG_NAMES[other],
                               **context)
    return HTMLResponse(body, status_code=status, headers={"Content-Language": ctx.lang})
