"""The app factory: settings in, a FastAPI app out.

Middleware, outermost first: the /cy language prefix, security headers, the request body limit,
then signed-cookie sessions. Errors become pages in the reader's language (or JSON under /api).
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import JSONResponse, Response
from starlette.staticfiles import StaticFiles

from stratlens.store import Store
from stratlens.web.i18n import LangPrefix
from stratlens.web.queries import Data
from stratlens.web.render import Ctx, HTTPProblem, Renderer, html
from stratlens.web.routes import (api, auth, compare, councils, documents, gaps, overview, review, search, selfassess,
                                  themes, upload)
from stratlens.web.security import Analysts, BodySizeLimit, LoginThrottle, SecurityHeaders
from stratlens.web.semantic import SemanticIndex
from stratlens.web.settings import WebSettings

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("stratlens.web")


def create_app(settings: WebSettings) -> FastAPI:
    """A ready app over `settings.db` (created and migrated if it does not exist yet)."""
    with Store(settings.db):  # create or migrate once, so the per-thread readers can open it read-only
        pass
    app = FastAPI(title="stratlens", version="0.1.0", docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  description="Coverage of council digital strategies against published frameworks, with evidence.")
    app.state.settings = settings
    app.state.data = Data(settings.db)
    app.state.renderer = Renderer(strict_i18n=settings.strict_i18n)
    app.state.semantic = SemanticIndex()
    app.state.analysts = Analysts(settings.analyst_user, settings.analyst_password_hash, settings.analysts_file)
    app.state.throttle = LoginThrottle()

    for module in (overview, councils, selfassess, gaps, themes, compare, documents, search, upload, review, auth, api):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/api", include_in_schema=False)
    def api_index(request: Request) -> Response:
        ctx = Ctx(request)
        spec = app.openapi()
        endpoints = [{"path": path, "summary": op.get("summary", ""), "description": op.get("description", "")}
                     for path, ops in spec["paths"].items() for method, op in ops.items() if method == "get"]
        return html(ctx, "api.html", ctx._("Data and API"), endpoints=endpoints)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    _install_error_pages(app)
    # Added innermost first: sessions run inside the body limit, inside the headers, inside the prefix.
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="stratlens_session",
                       max_age=8 * 3600, same_site="lax", https_only=settings.secure_cookies)
    app.add_middleware(BodySizeLimit, limit=settings.max_upload_bytes + 64 * 1024, on_too_large=_too_large(app))
    app.add_middleware(SecurityHeaders)
    app.add_middleware(LangPrefix)
    return app


def _problem_response(request: Request, status: int, title: str, message: str) -> Response:
    if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
        return JSONResponse({"error": title, "detail": message}, status_code=status)
    return html(Ctx(request), "error.html", title, status=status, message=message, status_code=status)


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(HTTPProblem)
    async def problem(request: Request, exc: HTTPProblem) -> Response:
        return _problem_response(request, exc.status, exc.title, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        ctx = Ctx(request)
        if exc.status_code == 404:
            return _problem_response(request, 404, ctx._("Page not found"),
                                     ctx._("If you typed the web address, check it is correct."))
        if exc.status_code == 405:
            return _problem_response(request, 405, ctx._("This page cannot do that"),
                                     ctx._("Go back and use the page’s own links and buttons."))
        return _problem_response(request, exc.status_code, ctx._("Sorry, there is a problem with the service"), "")

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        ctx = Ctx(request)
        if request.url.path.startswith("/api"):
            return JSONResponse({"error": "invalid request", "detail": exc.errors()}, status_code=422)
        return _problem_response(request, 400, ctx._("There is a problem with the address"),
                                 ctx._("A value in the web address is not valid. Go back and try again."))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        ctx = Ctx(request)
        return _problem_response(request, 500, ctx._("Sorry, there is a problem with the service"),
                                 ctx._("Try again later."))


def _too_large(app: FastAPI):  # noqa: ANN202 - ASGI app
    async def respond(scope, receive, send) -> None:  # noqa: ANN001
        request = Request(scope, receive)
        request.scope["app"] = app
        ctx_title, message = "The file is too big", ""
        try:
            ctx = Ctx(request)
            ctx_title = ctx._("The file is too big")
            message = ctx._("The file must be smaller than %(mb)s MB.") % {
                "mb": app.state.settings.max_upload_bytes // 2**20}
            response = html(ctx, "error.html", ctx_title, status=413, message=message, status_code=413)
        except Exception:  # never fail while refusing
            response = Response(ctx_title, status_code=413)
        response.headers["Connection"] = "close"
        await response(scope, receive, send)

    return respond
