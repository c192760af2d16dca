"""Analyst sign-in and sign-out. Reading is public; only uploads need an analyst."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from stratlens.web.render import Ctx, HTTPProblem, html

router = APIRouter()


def safe_next(target: str | None, ctx: Ctx) -> str:
    """Only local paths: a sign-in link cannot send someone to another site."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc \
            and "\\" not in target:
        return target
    return ctx.url("/")


def require_csrf(ctx: Ctx, token: str | None) -> None:
    from stratlens.web.security import csrf_ok

    if not csrf_ok(ctx.request, token):
        raise HTTPProblem(400, ctx._("Your form has expired"),
                          ctx._("The form was out of date or was not sent from this site. Go back, reload the page and try again."))


def _login_page(ctx: Ctx, next_url: str, error: str | None = None, username: str = "", status: int = 200) -> Response:
    return html(ctx, "login.html", ctx._("Sign in"), status=status, next_url=next_url, error=error,
                username=username, configured=ctx.request.app.state.analysts.configured)


@router.get("/login", include_in_schema=False)
def login_form(request: Request, next: str | None = None) -> Response:  # noqa: A002 - the query name
    ctx = Ctx(request)
    return _login_page(ctx, safe_next(next, ctx))


@router.post("/login", include_in_schema=False)
def login(request: Request, username: str = Form(""), password: str = Form(""), csrf_token: str = Form(""),
          next: str = Form("")) -> Response:  # noqa: A002
    ctx = Ctx(request)
    require_csrf(ctx, csrf_token)
    target = safe_next(next, ctx)
    throttle = request.app.state.throttle
    key = username.strip().lower()[:100]
    if throttle.blocked(key):
        return _login_page(ctx, target, ctx._("Too many failed attempts. Wait 5 minutes and try again."),
                           username, status=429)
    if not username or not password or not request.app.state.analysts.check(username.strip(), password):
        throttle.failed(key)
        return _login_page(ctx, target, ctx._("Enter a correct username and password."), username, status=401)
    throttle.succeeded(key)
    request.session.clear()  # a fresh session (and CSRF token) on sign-in
    request.session["analyst"] = username.strip()
    return RedirectResponse(target, status_code=303)


@router.get("/logout", include_in_schema=False)
def logout_form(request: Request) -> Response:
    ctx = Ctx(request)
    return html(ctx, "logout.html", ctx._("Sign out"))


@router.post("/logout", include_in_schema=False)
def logout(request: Request, csrf_token: str = Form("")) -> Response:
    ctx = Ctx(request)
    require_csrf(ctx, csrf_token)
    request.session.clear()
    return RedirectResponse(ctx.url("/"), status_code=303)
