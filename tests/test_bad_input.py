"""Bad input: one clear line naming the file and the cause, the batch goes on, the store is untouched.

Every kind of bad file is put in a folder between good files and ingested twice: through
`ingest_paths` and through the command line. Each time: the bad file fails with a one-line
message naming it and the cause, the good files beside it are stored, no traceback is shown,
the exit code is non-zero, and ingesting the bad file on its own changes no row of the store.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from stratlens.pipeline import ingest_paths

GOOD_TEXT = ("We will redesign our online services with residents and publish our data openly, so that "
             "partners can build on it and residents can hold the council to account.")


@dataclass
class Bad:
    name: str  # file name; sorted between the good files a-good.md and z-good.docx
    cause: str  # a phrase the message must contain (case-insensitive)
    build: Callable[[Path, dict], None]  # writes the file at the given path
    env: dict[str, str] = field(default_factory=dict)


def _rand(n: int, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(n)


def _good_pdf(path: Path, f: dict, pages: int = 2) -> None:
    f["make_pdf"]([[("h1", f"Chapter {i + 1} of the plan"), ("p", GOOD_TEXT)] for i in range(pages)],
                  path.name, folder=path.parent, page_numbers=True)


def _truncated_pdf(path: Path, f: dict) -> None:
    _good_pdf(path, f)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _encrypted(method: str) -> Callable[[Path, dict], None]:
    def build(path: Path, f: dict) -> None:
        f["make_pdf"]([[("h1", "Secret plan"), ("p", GOOD_TEXT)]], path.name, folder=path.parent,
                      password="letmein", encryption=method)
    return build


def _image_only_pdf(path: Path, f: dict) -> None:
    f["make_pdf"]([[("shape", "")], [("shape", ""), ("shape", "")]], path.name, folder=path.parent)


def _scan_with_page_numbers(path: Path, f: dict) -> None:
    # a scanned document whose only text is the printed footer
    f["make_pdf"]([[("shape", "")] for _ in range(3)], path.name, folder=path.parent, page_numbers=True)


def _docx_parts(path: Path, f: dict) -> dict[str, bytes]:
    tmp = f["make_docx"]([("h1", "Plan"), ("p", GOOD_TEXT)], "src-" + path.name, folder=path.parent.parent)
    with zipfile.ZipFile(tmp) as z:
        return {n: z.read(n) for n in z.namelist()}


def _write_zip(path: Path, parts: dict[str, bytes]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    path.write_bytes(buf.getvalue())


def _zip_bomb_docx(path: Path, f: dict) -> None:
    parts = _docx_parts(path, f)
    parts["word/media/padding.bin"] = b"\0" * (12 * 1024 * 1024)  # 12 MB that deflates to ~12 KB
    _write_zip(path, parts)
    assert path.stat().st_size < 200_000


def _truncated_docx(path: Path, f: dict) -> None:
    _write_zip(path, _docx_parts(path, f))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])


def _docx_without_document(path: Path, f: dict) -> None:
    parts = _docx_parts(path, f)
    del parts["word/document.xml"]
    _write_zip(path, parts)


def _docx_with_broken_xml(path: Path, f: dict) -> None:
    parts = _docx_parts(path, f)
    parts["word/document.xml"] = parts["word/document.xml"][:300] + b"<<<not xml"
    _write_zip(path, parts)


def _empty_docx(path: Path, f: dict) -> None:
    f["make_docx"]([], path.name, folder=path.parent)


def _deep_html(path: Path, f: dict) -> None:
    depth = 3000
    path.write_text("<html><body><main><h2>Deep</h2><p>Visible opening paragraph of the page.</p>"
                    + "<div>" * depth + "text at the bottom" + "</div>" * depth
                    + "<p>Text after the deep part that would be lost.</p></main></body></html>", encoding="utf-8")


def _html_only_chrome(path: Path, f: dict) -> None:
    path.write_text("<html><head><script>var a = 'tracking code';</script></head><body>"
                    "<nav><a href='/'>Home</a></nav><div class='cookie-banner'>We use cookies</div>"
                    "<script>document.write('hello')</script><footer>Copyright</footer></body></html>",
                    encoding="utf-8")


BAD = [
    Bad("m-truncated.pdf", "corrupt PDF", _truncated_pdf),
    Bad("m-random-bytes.pdf", "not a PDF", lambda p, f: p.write_bytes(_rand(5000, 1))),
    Bad("m-garbage-after-header.pdf", "corrupt PDF", lambda p, f: p.write_bytes(b"%PDF-1.7\n" + _rand(5000, 2))),
    Bad("m-encrypted-rc4.pdf", "encrypted PDF", _encrypted("rc4")),
    Bad("m-encrypted-aes256.pdf", "encrypted PDF", _encrypted("aes256")),
    Bad("m-image-only.pdf", "image-only", _image_only_pdf),
    Bad("m-scan-with-page-numbers.pdf", "image-only", _scan_with_page_numbers),
    Bad("m-too-many-pages.pdf", "more than 3 pages", lambda p, f: _good_pdf(p, f, pages=4),
        {"STRATLENS_MAX_PAGES": "3"}),
    Bad("m-empty.txt", "empty file", lambda p, f: p.write_bytes(b"")),
    Bad("m-empty.pdf", "empty file", lambda p, f: p.write_bytes(b"")),
    Bad("m-blank.md", "empty file", lambda p, f: p.write_bytes(b" \n\n\t \r\n")),
    Bad("m-empty.docx", "empty document", _empty_docx),
    Bad("m-oversized.txt", "over the 1 MB limit", lambda p, f: p.write_bytes((GOOD_TEXT + "\n").encode() * 9000),
        {"STRATLENS_MAX_FILE_MB": "1"}),
    Bad("m-too-much-text.md", "over the 5,000 limit", lambda p, f: p.write_text(GOOD_TEXT * 60),
        {"STRATLENS_MAX_TEXT_CHARS": "5000"}),
    Bad("m-spreadsheet.xlsx", "unsupported file type '.xlsx'", lambda p, f: p.write_bytes(b"PK\x03\x04" + _rand(500))),
    Bad("m-no-extension", "unsupported file type '(none)'", lambda p, f: p.write_text(GOOD_TEXT)),
    Bad("m-binary.txt", "undecodable", lambda p, f: p.write_bytes(b"\x00\x01\x02\xff" * 2000)),
    Bad("m-control-chars.md", "undecodable", lambda p, f: p.write_bytes(bytes(range(1, 9)) * 500)),
    Bad("m-zip-bomb.docx", "zip bomb", _zip_bomb_docx, {"STRATLENS_MAX_DECOMPRESSED_MB": "2"}),
    Bad("m-truncated.docx", "corrupt DOCX", _truncated_docx),
    Bad("m-random-bytes.docx", "corrupt DOCX", lambda p, f: p.write_bytes(_rand(4000, 3))),
    Bad("m-no-document-part.docx", "corrupt DOCX", _docx_without_document),
    Bad("m-broken-xml.docx", "corrupt DOCX", _docx_with_broken_xml),
    Bad("m-old-word.docx", ".doc", lambda p, f: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _rand(3000))),
    Bad("m-deep-nesting.html", "nested too deeply", _deep_html),
    Bad("m-only-chrome.html", "no text", _html_only_chrome),
    Bad("m-binary.html", "undecodable", lambda p, f: p.write_bytes(b"<html>\x00\x00\x01" * 100)),
]


@pytest.fixture
def factories(make_pdf, make_docx) -> dict:
    return {"make_pdf": make_pdf, "make_docx": make_docx}


def make_batch(folder: Path, factories: dict, bad: list[Bad]) -> tuple[list[Path], list[Path]]:
    """Good files a-good.md and z-good.docx around the bad ones; returns (good, bad) paths."""
    folder.mkdir(parents=True, exist_ok=True)
    md = folder / "a-good.md"
    md.write_text(f"# Good strategy\n\n{GOOD_TEXT}\n", encoding="utf-8")
    docx = factories["make_docx"]([("h1", "Another good strategy"), ("p", GOOD_TEXT + " In Welsh too.")],
                                  "z-good.docx", folder=folder)
    bad_paths = []
    for b in bad:
        path = folder / b.name
        b.build(path, factories)
        bad_paths.append(path)
    return [md, docx], bad_paths


def seed_store(store, tmp_path: Path) -> None:
    """Put a document with labels in the store, so 'unchanged' is checked on every table."""
    seed = tmp_path / "seed" / "seed.md"
    seed.parent.mkdir(parents=True, exist_ok=True)
    seed.write_text(f"# Seed\n\n{GOOD_TEXT} Seed.\n", encoding="utf-8")
    report = ingest_paths(store, [seed], classify=False)
    doc_id = report.outcomes[0].document_id
    rows = [(p["id"], "data", 0.9, True, ["data"]) for p in store.passages(doc_id)]
    with store.transaction() as conn:
        store.replace_labels(conn, doc_id, "lga-digitalisation-outcomes", "test", rows)


def assert_one_line(message: str, path: Path, cause: str) -> None:
    assert "\n" not in message.strip(), message
    assert str(path) in message, message
    assert cause.lower() in message.lower(), message
    assert "Traceback" not in message


@pytest.mark.parametrize("bad", BAD, ids=[b.name for b in BAD])
def test_bad_file_through_ingest_paths(bad, store, tmp_path, factories, monkeypatch, counts):
    for k, v in bad.env.items():
        monkeypatch.setenv(k, v)
    seed_store(store, tmp_path)
    before = counts(store)
    assert before["labels"] > 0
    good, (bad_path,) = make_batch(tmp_path / "in", factories, [bad])

    report = ingest_paths(store, [tmp_path / "in"], classify=False)

    assert [o.path for o in report.outcomes] == [str(good[0]), str(bad_path), str(good[1])]
    assert [o.status for o in report.outcomes] == ["added", "failed", "added"], [o.message for o in report.outcomes]
    assert_one_line(report.failed[0].message, bad_path, bad.cause)
    after = counts(store)
    assert after["documents"] == before["documents"] + 2
    assert after["passages"] == before["passages"] + sum(o.passages for o in report.added)
    assert after["passages_fts"] == after["passages"]
    assert after["labels"] == before["labels"]
    assert not any(d["source"] == str(bad_path) for d in store.documents())

    # on its own, the bad file changes nothing at all
    alone = ingest_paths(store, [bad_path], classify=False)
    assert [o.status for o in alone.outcomes] == ["failed"]
    assert counts(store) == after


@pytest.mark.parametrize("bad", BAD, ids=[b.name for b in BAD])
def test_bad_file_through_cli(bad, tmp_path, factories, monkeypatch, cli_main, counts):
    for k, v in bad.env.items():
        monkeypatch.setenv(k, v)
    db = tmp_path / "cli.db"
    good, (bad_path,) = make_batch(tmp_path / "in", factories, [bad])

    code, out, err = cli_main("ingest", "--no-classify", "--db", db, tmp_path / "in")

    assert code == 1
    assert "Traceback" not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert_one_line(lines[0], bad_path, bad.cause)
    for g in good:
        assert f"added {g}" in out
    assert "2 added, 0 skipped, 1 failed" in out
    stored = counts(db)
    assert stored["documents"] == 2

    code, out, err = cli_main("ingest", "--no-classify", "--db", db, bad_path)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in out + err
    assert counts(db) == stored


def test_every_bad_kind_in_one_batch_through_a_real_process(tmp_path, factories, run_cli, counts):
    """One `python -m stratlens ingest` over all of them: a line each, the good files stored."""
    env = {}
    for b in BAD:
        env.update(b.env)
    good, bad_paths = make_batch(tmp_path / "in", factories, BAD)
    db = tmp_path / "batch.db"

    r = run_cli("ingest", "--no-classify", "--db", db, tmp_path / "in", env=env)

    assert r.returncode == 1
    assert "Traceback" not in r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == len(BAD), r.stderr
    for b, path in zip(BAD, bad_paths):
        mine = [line for line in lines if f"{path}:" in line]
        assert len(mine) == 1, (b.name, lines)
        assert_one_line(mine[0], path, b.cause)
    assert f"2 added, 0 skipped, {len(BAD)} failed" in r.stdout
    assert counts(db)["documents"] == 2


# -- more ways to fail -------------------------------------------------------------------------------
def test_missing_path_and_folder_of_only_bad_files(tmp_path, cli_main, counts):
    db = tmp_path / "s.db"
    missing = tmp_path / "not-there.pdf"
    code, out, err = cli_main("ingest", "--no-classify", "--db", db, missing)
    assert code == 1 and "Traceback" not in out + err
    assert err.strip() == f"failed: {missing}: no such file"
    only_bad = tmp_path / "bad"
    only_bad.mkdir()
    (only_bad / "a.txt").write_bytes(b"")
    (only_bad / "b.xlsx").write_bytes(b"x")
    code, out, err = cli_main("ingest", "--no-classify", "--db", db, only_bad)
    assert code == 1 and len(err.strip().splitlines()) == 2
    assert counts(db)["documents"] == 0


def test_file_names_with_brackets_are_printed_as_they_are(tmp_path, cli_main):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "strategy [draft].txt").write_bytes(b"")
    (folder / "[bold]plan.xlsx").write_bytes(b"x")
    code, out, err = cli_main("ingest", "--no-classify", "--db", tmp_path / "s.db", folder)
    assert code == 1
    assert f"{folder}/[bold]plan.xlsx: unsupported" in err
    assert f"{folder}/strategy [draft].txt: empty file" in err


def test_zip_bomb_is_refused_before_inflating(tmp_path, factories, monkeypatch):
    import docx

    from stratlens.config import Limits
    from stratlens.errors import IngestError
    from stratlens.ingest.docx import read_docx

    path = tmp_path / "in" / "bomb.docx"
    path.parent.mkdir()
    _zip_bomb_docx(path, factories)

    def never(*a, **k):
        raise AssertionError("python-docx was asked to open the bomb")

    monkeypatch.setattr(docx, "Document", never)
    with pytest.raises(IngestError, match="zip bomb"):
        read_docx(path.read_bytes(), str(path), Limits(max_decompressed_bytes=2 * 1024 * 1024))
    # under the default limit (200 MB) the same 12 MB file is an ordinary document
    monkeypatch.undo()
    result = read_docx(path.read_bytes(), str(path), Limits())
    assert any("Plan" == b.text for b in result.blocks)


def test_unexpected_reader_error_is_one_line(tmp_path, store, monkeypatch, cli_main, counts):
    """A bug in a reader fails that file only, as one line, with no traceback."""
    import stratlens.ingest.text as text_reader

    def buggy(data, path, markdown=False):
        raise ValueError("line one\nline two")

    monkeypatch.setattr(text_reader, "read_text", buggy)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text("# A\n\nText.\n")
    (folder / "b.html").write_text(f"<html><body><h1>B</h1><p>{GOOD_TEXT}</p></body></html>")
    report = ingest_paths(store, [folder], classify=False)
    assert [o.status for o in report.outcomes] == ["failed", "added"]
    assert_one_line(report.failed[0].message, folder / "a.md", "unexpected error (ValueError: line one line two")
    code, out, err = cli_main("ingest", "--no-classify", "--db", tmp_path / "c.db", folder)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in out + err


# -- awkward but good input --------------------------------------------------------------------------
SCRIPTED_PAGE = """<!DOCTYPE html><html><head>
<script>window.dataLayer = [{'secret': 'SCRIPT-ONE'}];</script>
<script type="application/ld+json">{"name": "SCRIPT-JSON"}</script>
<style>body { font-family: 'STYLE-TEXT'; }</style>
<noscript>Please enable JavaScript NOSCRIPT-TEXT</noscript></head>
<body onload="alert('ONLOAD-TEXT')">
<main><h1>Digital Hollowbrook</h1>
<h2>Our promise</h2><p onclick="track('CLICK-TEXT')">%s</p>
<script>document.write('<p>SCRIPT-TWO</p>')</script>
<template><p>TEMPLATE-TEXT</p></template>
<h2>Next steps</h2><div><div><div><div><p>Nested but shallow: we will report progress every year.</p></div></div></div></div>
%s
</main></body></html>"""


def test_html_with_scripts_is_read_without_them(tmp_path, store, cli_main):
    nested = "<div>" * 200 + "<p>Two hundred levels down is still read.</p>" + "</div>" * 200
    page = tmp_path / "in" / "scripted.html"
    page.parent.mkdir()
    page.write_text(SCRIPTED_PAGE % (GOOD_TEXT, nested), encoding="utf-8")
    report = ingest_paths(store, [page], classify=False)
    assert [o.status for o in report.outcomes] == ["added"], report.outcomes[0].message
    text = " ".join(p["text"] for p in store.passages())
    for secret in ("SCRIPT-ONE", "SCRIPT-JSON", "STYLE-TEXT", "NOSCRIPT-TEXT", "ONLOAD", "CLICK-TEXT",
                   "SCRIPT-TWO", "TEMPLATE-TEXT", "alert", "document.write"):
        assert secret not in text, secret
    assert "we will report progress every year" in text
    assert "Two hundred levels down is still read." in text
    code, out, err = cli_main("ingest", "--no-classify", "--db", tmp_path / "c.db", page)
    assert code == 0 and err == "" and "1 added" in out


def test_pdf_encrypted_with_owner_password_only_is_read(make_pdf, tmp_path, store):
    """Permissions-only encryption opens without a password: it is not a failure."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner-only")
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, GOOD_TEXT)
    path = tmp_path / "owner-only.pdf"
    pdf.output(str(path))
    report = ingest_paths(store, [path], classify=False)
    assert [o.status for o in report.outcomes] == ["added"], report.outcomes[0].message
    assert "publish our data openly" in store.passages()[0]["text"]


def test_windows_1252_and_latin1_text_are_read_not_rejected(tmp_path, store, cli_main):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cp1252.txt").write_bytes(("Our council’s “digital first” plan – £2m. " + GOOD_TEXT).encode("cp1252"))
    (folder / "latin1.txt").write_bytes(("Stratégie numérique à Wrexham: ¡ça marche! \x81 " + GOOD_TEXT)
                                        .encode("latin-1"))
    (folder / "bom.md").write_bytes(("# Strategaeth\n\n" + GOOD_TEXT + " Bom.").encode("utf-8-sig"))
    report = ingest_paths(store, [folder], classify=False)
    assert [o.status for o in report.outcomes] == ["added"] * 3, [o.message for o in report.outcomes]
    text = " ".join(p["text"] for p in store.passages())
    assert "council’s “digital first” plan – £2m" in text
    assert "Stratégie numérique à Wrexham: ¡ça marche!" in text
    titles = {d["title"] for d in store.documents()}
    assert "Strategaeth" in titles  # no BOM in front of the heading
    code, out, err = cli_main("ingest", "--no-classify", "--db", tmp_path / "c.db", folder)
    assert code == 0 and err == "" and "3 added, 0 skipped, 0 failed" in out


def test_damaged_but_readable_pdf_prints_nothing_on_stderr(make_pdf, run_cli, tmp_path, counts, english):
    """pdfminer's warnings about a damaged file must not reach the user beside our own lines."""
    path = make_pdf([[("h1", "Part one"), ("p", english[0]), ("p", english[1])],
                     [("h1", "Part two"), ("p", english[2]), ("p", english[3])]], "damaged.pdf")
    data = path.read_bytes()
    assert b"/MediaBox" in data
    path.write_bytes(data.replace(b"/MediaBox", b"/MediaBux"))  # pdfminer warns and assumes US Letter
    r = run_cli("ingest", "--no-classify", "--db", tmp_path / "d.db", path)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert counts(tmp_path / "d.db")["documents"] == 1


@pytest.mark.parametrize("content", [b"not a database\n", b"SQLite format 3\x00" + b"\xff" * 200])
def test_store_that_is_not_a_database(tmp_path, cli_main, content):
    """--db pointing at some other file: one line naming it, non-zero exit, the file untouched."""
    db = tmp_path / "notes.db"
    db.write_bytes(content)
    for args in (("documents",), ("ingest", "--no-classify", str(tmp_path))):
        code, out, err = cli_main(*args, "--db", db)
        assert code == 1 and "Traceback" not in out + err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and str(db) in lines[0] and "cannot be opened as a stratlens database" in lines[0]
        assert db.read_bytes() == content
