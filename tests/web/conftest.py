"""Fixtures: a small store built once per session, an app over it, and a real uvicorn server.

The store is built without the model (keyword labels stand in), so the web tests take seconds.
Tests that change the store (uploads) get their own copy.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from stratlens.web import create_app
from stratlens.web.security import hash_password
from web_corpus import PASSWORD, build_store, make_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store")
    db = root / "web.db"
    build_store(db, root / "corpus")
    return db


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture(scope="session")
def app(built_store: Path, password_hash: str):  # noqa: ANN201
    return create_app(make_settings(built_store, password_hash))


@pytest.fixture()
def client(app):  # noqa: ANN001, ANN201
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture()
def own_store(built_store: Path, tmp_path: Path) -> Path:
    """A private copy of the test store, for tests that write to it."""
    db = tmp_path / "own.db"
    with __import__("sqlite3").connect(built_store) as src, __import__("sqlite3").connect(db) as dst:
        src.backup(dst)
    return db


@pytest.fixture()
def writable_client(own_store: Path, password_hash: str):  # noqa: ANN001, ANN201
    from fastapi.testclient import TestClient

    app = create_app(make_settings(own_store, password_hash))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        c.app_state = app.state  # type: ignore[attr-defined]
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(app) -> Iterator[str]:  # noqa: ANN001
    """A real uvicorn server on 127.0.0.1 and a free port, stopped at the end of the session."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201
    """Debian's Chromium driven by Playwright. Skipped only when it is absent outside CI."""
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but /usr/bin/chromium is missing: run scripts/install-browser.sh")
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium); run scripts/install-browser.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    pg = context.new_page()
    yield pg
    context.close()
