"""Escaping, headers, CSRF, the analyst login, and uploads that cannot escape their folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from web_corpus import ANALYST, EVIL, PASSWORD, make_settings

PAGES = ["/", "/councils/newport", "/documents/3", "/search?q=alert", "/themes/lga-digitalisation-outcomes/data",
         "/compare?a=3&b=1", "/cy/documents/3", "/councils/newport/self-assessment",
         "/cy/councils/newport/self-assessment"]


@pytest.mark.parametrize("path", PAGES)
def test_document_text_is_escaped(client, path: str) -> None:
    html = client.get(path).text
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html


def test_search_highlight_is_escaped(client) -> None:
    html = client.get("/search?q=script+alert").text
    assert "<mark class=\"sl-mark\">script</mark>" in html
    assert "<script" not in html


@pytest.mark.parametrize("path", ["/", "/councils/cardiff", "/search?q=x", "/login", "/no-such-page", "/api/overview"])
def test_security_headers(client, path: str) -> None:
    h = client.get(path).headers
    csp = h["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "same-origin"


def test_no_inline_script_or_style(client) -> None:
    for path in ["/", "/councils/cardiff", "/compare/national", "/search?q=data", "/login",
                 "/councils/cardiff/self-assessment", "/gaps"]:
        html = client.get(path).text
        assert "<script" not in html and " style=" not in html and "javascript:" not in html


def login(c, user: str = ANALYST, password: str = PASSWORD, next_url: str = "/upload"):  # noqa: ANN001, ANN201
    page = c.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return c.post("/login", data={"username": user, "password": password, "csrf_token": token, "next": next_url},
                  follow_redirects=False)


def csrf(c, path: str = "/upload") -> str:  # noqa: ANN001
    return re.search(r'name="csrf_token" value="([^"]+)"', c.get(path).text).group(1)


def test_upload_needs_an_analyst(writable_client) -> None:
    r = writable_client.get("/upload", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    r = writable_client.post("/upload", files={"file": ("a.txt", b"hello")}, data={"council": "X"},
                             follow_redirects=False)
    assert r.status_code == 303 and "/login" in r.headers["location"]


def test_login_needs_csrf_and_the_right_password(writable_client) -> None:
    r = writable_client.post("/login", data={"username": ANALYST, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 400 and "Your form has expired" in r.text
    assert login(writable_client, password="wrong").status_code == 401
    assert login(writable_client, user="nobody").status_code == 401
    r = login(writable_client)
    assert r.status_code == 303 and r.headers["location"] == "/upload"
    assert writable_client.get("/upload").status_code == 200


def test_login_refuses_redirects_off_site(writable_client) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        assert login(writable_client, next_url=target).headers["location"] == "/"
        writable_client.cookies.clear()


def test_login_is_throttled(writable_client) -> None:
    for _ in range(5):
        assert login(writable_client, password="nope").status_code == 401
    assert login(writable_client).status_code == 429


def test_session_cookie_is_signed_and_httponly(writable_client) -> None:
    r = login(writable_client)
    cookie = r.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    value = cookie.split("=", 1)[1].split(";")[0]
    writable_client.cookies.clear()
    writable_client.cookies.set("stratlens_session", value)
    assert writable_client.get("/upload", follow_redirects=False).status_code == 200
    writable_client.cookies.clear()
    tampered = value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB")
    writable_client.cookies.set("stratlens_session", tampered)
    assert writable_client.get("/upload", follow_redirects=False).status_code == 303


def count_documents(c) -> int:  # noqa: ANN001
    return len(c.get("/api/overview").json()["tables"][1]["rows"])


def uploads(c) -> list[Path]:  # noqa: ANN001
    folder = c.app_state.settings.upload_dir
    return sorted(folder.glob("*")) if folder.exists() else []


STRATEGY = ("# Torfaen Digital Strategy 2025\n\nTorfaen County Borough Council will close the digital divide, "
            "lend devices and teach digital skills in every library, so that digital inclusion reaches everyone.\n\n"
            "## Cyber security\n\nWe will protect residents' data with cyber security training and tested plans.\n")


def test_upload_ingests_and_shows_the_document(writable_client) -> None:
    c = writable_client
    login(c)
    before = count_documents(c)
    r = c.post("/upload", files={"file": ("../../../etc/torfaen strategy.md", STRATEGY.encode())},
               data={"council": "Torfaen", "nation": "Wales", "year": "2025", "csrf_token": csrf(c)},
               follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    assert re.match(r"^/documents/\d+\?uploaded=added$", r.headers["location"])
    page = c.get(r.headers["location"]).text
    assert "The strategy was uploaded and analysed." in page and "close the digital divide" in page
    assert count_documents(c) == before + 1
    saved = uploads(c)
    assert len(saved) == 1 and re.fullmatch(r"[0-9a-f]{32}\.md", saved[0].name)
    assert saved[0].parent == c.app_state.settings.upload_dir
    doc = c.get(r.headers["location"].split("?")[0] + "?format=json").json()["document"]
    assert doc["title"] == "torfaen strategy" and doc["council_id"] == "torfaen" and doc["year"] == 2025
    again = c.post("/upload", files={"file": ("copy.md", STRATEGY.encode())},
                   data={"council": "Torfaen", "csrf_token": csrf(c)}, follow_redirects=False)
    assert again.headers["location"].endswith("uploaded=duplicate")
    assert count_documents(c) == before + 1 and len(uploads(c)) == 1


def test_upload_without_csrf_is_refused(writable_client) -> None:
    login(writable_client)
    r = writable_client.post("/upload", files={"file": ("a.md", STRATEGY.encode())}, data={"council": "Torfaen"})
    assert r.status_code == 400 and "Your form has expired" in r.text
    assert not uploads(writable_client)


@pytest.mark.parametrize("name,content,message", [
    ("strategy.exe", b"MZ\x90\x00", "The file must be a PDF, DOCX, HTML, Markdown or text file"),
    ("strategy.pdf", b"this is not a pdf at all", "does not match its type"),
    ("strategy.docx", b"not a zip", "does not match its type"),
    ("strategy.txt", b"\x00\x01\x02binary", "does not match its type"),
    ("broken.pdf", b"%PDF-1.4\nnot really a pdf\n%%EOF", "The file could not be read"),
    ("empty.md", b"   \n\n", "The file could not be read"),
])
def test_bad_files_get_an_error_page_and_nothing_is_stored(writable_client, name: str, content: bytes,
                                                          message: str) -> None:
    c = writable_client
    login(c)
    before = count_documents(c)
    r = c.post("/upload", files={"file": (name, content)}, data={"council": "Torfaen", "csrf_token": csrf(c)})
    assert r.status_code == 400
    assert message in r.text
    assert str(c.app_state.settings.upload_dir) not in r.text  # no server paths in messages
    assert count_documents(c) == before
    assert not uploads(c)


def test_upload_form_errors_are_listed(writable_client) -> None:
    c = writable_client
    login(c)
    r = c.post("/upload", data={"council": "", "year": "twenty", "csrf_token": csrf(c)})
    assert r.status_code == 400
    assert "There is a problem" in r.text and "<title>Error:" in r.text
    assert 'href="#file"' in r.text and 'href="#council"' in r.text and 'href="#year"' in r.text


def test_too_big_upload_is_refused(writable_client) -> None:
    c = writable_client
    login(c)
    big = b"word " * (c.app_state.settings.max_upload_bytes // 4)
    r = c.post("/upload", files={"file": ("big.txt", big)}, data={"council": "Torfaen", "csrf_token": csrf(c)})
    assert r.status_code == 413 and "The file is too big" in r.text
    assert not uploads(c)


def test_file_just_over_the_limit_after_parsing_is_refused() -> None:
    import asyncio
    import io
    import tempfile

    from starlette.datastructures import UploadFile

    from stratlens.web.routes.upload import save_upload

    folder = Path(tempfile.mkdtemp())
    up = UploadFile(io.BytesIO(b"x" * 2048), filename="../x.txt")
    outcome: list[BaseException] = []

    def run() -> None:  # its own thread: Playwright may own this thread's event loop
        try:
            asyncio.run(save_upload(up, folder, ".txt", 1024))
        except BaseException as exc:  # noqa: BLE001
            outcome.append(exc)

    import threading

    t = threading.Thread(target=run)
    t.start()
    t.join(10)
    assert outcome and isinstance(outcome[0], OverflowError)
    assert not list(folder.iterdir())


def test_password_hashes() -> None:
    from stratlens.web.security import hash_password, verify_password

    h = hash_password("s3cret-enough")
    assert h.startswith("scrypt$") and "s3cret" not in h
    assert verify_password("s3cret-enough", h)
    assert not verify_password("wrong", h)
    assert not verify_password("s3cret-enough", "garbage")
    assert hash_password("same") != hash_password("same")  # salted


def test_analyst_add_command(tmp_path: Path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from stratlens.cli import app
    from stratlens.web.security import Analysts

    monkeypatch.setenv("STRATLENS_NEW_PASSWORD", "a long enough password")
    db = tmp_path / "s.db"
    result = CliRunner().invoke(app, ["analyst", "add", "bea", "--db", str(db)])
    assert result.exit_code == 0, result.output
    f = tmp_path / "analysts.json"
    assert f.exists() and (f.stat().st_mode & 0o777) == 0o600
    assert "a long enough password" not in f.read_text()
    assert Analysts(None, None, f).check("bea", "a long enough password")


def test_label_review_needs_an_analyst_and_saves_a_review(writable_client) -> None:
    import sqlite3

    c = writable_client
    doc = c.get("/documents/1?format=json").json()
    pid = next(t for t in doc["tables"] if t["id"] == "passages")["rows"][0]["passage_id"]
    r = c.get(f"/passages/{pid}/review", follow_redirects=False)
    assert r.status_code == 303 and "/login" in r.headers["location"]
    assert c.post(f"/passages/{pid}/review", data={"themes": ["inclusion"]}, follow_redirects=False).status_code == 303
    login(c)
    assert "Review the labels" in c.get("/documents/1").text
    form = c.get(f"/passages/{pid}/review?framework=lga-digitalisation-outcomes")
    assert form.status_code == 200 and 'name="themes"' in form.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    assert c.post(f"/passages/{pid}/review", data={"framework": "lga-digitalisation-outcomes",
                                                   "themes": ["inclusion"]}).status_code == 400  # no CSRF
    # The form offers the main theme too, preset to the classifier's first-ranked theme.
    assert 'name="main"' in form.text and re.search(r'name="main" type="radio" value="[^"]+" checked', form.text)
    r = c.post(f"/passages/{pid}/review", data={"framework": "lga-digitalisation-outcomes", "csrf_token": token,
                                                "themes": ["inclusion", "services", "not-a-theme"],
                                                "main": "services"},
               follow_redirects=False)
    assert r.status_code == 303 and "reviewed=" in r.headers["location"]
    with sqlite3.connect(c.app_state.settings.db) as conn:
        rows = conn.execute("SELECT passage_id, labels, decision, reviewer FROM reviews").fetchall()
    # The main theme first: training reads the first label as the passage's primary.
    assert rows == [(pid, '["services", "inclusion"]', rows[0][2], ANALYST)]
    # The classifier's assigned themes and main theme, to know which decision this was.
    with sqlite3.connect(c.app_state.settings.db) as conn:
        got = conn.execute("SELECT theme_id, score FROM labels WHERE passage_id = ? AND assigned = 1"
                           " AND framework_id = 'lga-digitalisation-outcomes' ORDER BY score DESC", (pid,)).fetchall()
    same = {t for t, _ in got} == {"inclusion", "services"} and got[0][0] == "services"
    assert rows[0][2] == ("accepted" if same else "corrected")
    assert "Your review was saved" in c.get(r.headers["location"]).text


def test_reviewed_labels_put_the_main_theme_first() -> None:
    from stratlens.web.routes.review import review_labels

    scores = {"data": 0.2, "services": 0.9, "inclusion": 0.6}
    assert review_labels(["data", "inclusion"], "data", scores) == ["data", "inclusion"]
    # Without a main theme, the classifier's order among the chosen ones.
    assert review_labels(["data", "inclusion", "services"], "", scores) == ["services", "inclusion", "data"]
    # A main theme left unticked is a leftover radio choice (radios cannot be cleared): ignored.
    assert review_labels(["inclusion", "data"], "services", scores) == ["inclusion", "data"]
    assert review_labels([], "services", scores) == []


@pytest.mark.slow
def test_upload_is_classified_when_the_model_is_on(own_store: Path, password_hash: str) -> None:
    """With classification on (the default), an upload is labelled before it is shown."""
    import sqlite3

    from fastapi.testclient import TestClient

    from stratlens.web import create_app

    app = create_app(make_settings(own_store, password_hash, classify_uploads=True))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        login(c)
        r = c.post("/upload", files={"file": ("torfaen.md", STRATEGY.encode())},
                   data={"council": "Torfaen", "nation": "Wales", "csrf_token": csrf(c)}, follow_redirects=False)
        assert r.status_code == 303, r.text[:300]
        doc_id = int(re.search(r"/documents/(\d+)", r.headers["location"]).group(1))
    with sqlite3.connect(own_store) as conn:
        runs = conn.execute("SELECT count(*) FROM classifier_runs WHERE document_id = ?", (doc_id,)).fetchone()[0]
        labels = conn.execute("SELECT count(*) FROM labels l JOIN passages p ON p.id = l.passage_id"
                              " WHERE p.document_id = ?", (doc_id,)).fetchone()[0]
    assert runs >= 5 and labels > 0
