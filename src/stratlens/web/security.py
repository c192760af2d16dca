"""Passwords, analyst accounts, CSRF tokens and the HTTP headers every response carries.

Reading is public; changing the store (uploads) needs an analyst. Passwords are stored only as
scrypt hashes with a per-password salt; sessions are cookies signed by Starlette's
SessionMiddleware (itsdangerous), so the server keeps no session state.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from starlette.requests import Request

# scrypt cost: 2**14 x 8 x 1 takes ~50 ms and 16 MiB here; slow for guessing, fine for a login.
_N, _R, _P = 2**14, 8, 1
_DUMMY_HASH: str | None = None

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


# -- passwords ---------------------------------------------------------------------------
def hash_password(password: str) -> str:
    """`scrypt$N$r$p$salt$hash`, base64; the parameters travel with the hash so they can grow."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return f"scrypt${_N}${_R}${_P}${b64(salt)}${b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    """Constant-time check; a malformed hash never matches."""
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(expected), maxmem=128 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


class Analysts:
    """The accounts that may upload: one from the environment plus those in a JSON file."""

    def __init__(self, env_user: str | None, env_hash: str | None, path: Path | None) -> None:
        self.env_user = env_user
        self.env_hash = env_hash
        self.path = path

    def _accounts(self) -> dict[str, str]:
        accounts: dict[str, str] = {}
        if self.path and self.path.exists():
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                accounts.update({str(k): str(v) for k, v in raw.items()})
            except (OSError, ValueError, AttributeError):
                pass  # an unreadable file grants nobody access
        if self.env_user and self.env_hash:
            accounts[self.env_user] = self.env_hash
        return accounts

    def check(self, username: str, password: str) -> bool:
        """True for a known user with the right password; as slow for an unknown user."""
        global _DUMMY_HASH
        stored = self._accounts().get(username)
        if stored is None:
            _DUMMY_HASH = _DUMMY_HASH or hash_password(secrets.token_hex(8))
            verify_password(password, _DUMMY_HASH)
            return False
        return verify_password(password, stored)

    def add(self, username: str, password: str) -> None:
        """Add or replace an account in the file, readable by its owner only."""
        if not self.path:
            raise ValueError("no analysts file configured")
        accounts = {}
        if self.path.exists():
            accounts = json.loads(self.path.read_text(encoding="utf-8"))
        accounts[username] = hash_password(password)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(accounts, fh, indent=2)
        os.replace(tmp, self.path)

    @property
    def configured(self) -> bool:
        return bool(self._accounts())


class LoginThrottle:
    """Slows password guessing: after `limit` failures for a name in `window` s, refuse for `window` s."""

    def __init__(self, limit: int = 5, window: float = 300.0) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._failures.get(key, []) if now - t < self.window]
            self._failures[key] = recent
            return len(recent) >= self.limit

    def failed(self, key: str) -> None:
        with self._lock:
            self._failures.setdefault(key, []).append(time.monotonic())

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


# -- sessions and CSRF ---------------------------------------------------------------------
def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (the session cookie carries it)."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_ok(request: Request, submitted: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and submitted and hmac.compare_digest(str(expected), str(submitted)))


def current_analyst(request: Request) -> str | None:
    return request.session.get("analyst")


# -- ASGI middleware ---------------------------------------------------------------------
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class SecurityHeaders:
    """Adds the CSP and the usual hardening headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """Refuses request bodies over `limit` bytes with 413 before they are parsed or spooled.

    A declared Content-Length is checked up front; a chunked body is counted as it arrives.
    """

    def __init__(self, app: ASGIApp, limit: int, on_too_large: ASGIApp) -> None:
        self.app, self.limit, self.on_too_large = app, limit, on_too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._drain(receive)
            await self.on_too_large(scope, receive, send)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self.on_too_large(scope, receive, send)

    @staticmethod
    async def _drain(receive: Receive) -> None:
        """Read (and drop) what the client already sent, bounded, so it can read our answer."""
        budget = 1024 * 1024
        while budget > 0:
            message = await receive()
            if message["type"] != "http.request":
                return
            budget -= len(message.get("body", b""))
            if not message.get("more_body"):
                return
