"""Make a folder of crafted bad files, and what stratlens must do with each.

    python scripts/make_hostile.py OUT [--small]

Every file is made from code and a fixed seed, so the set is the same on every run. `--small`
leaves out the files that are big (decompression bombs, files over the size limits, pages of
millions of characters) or that git or some file systems cannot hold (symbolic links, a FIFO,
names with a newline or undecodable bytes): the committed tests/data/hostile/ is that small set;
the test makes the full set in a temporary folder.

`expected(OUT)` maps each file name to (status, pattern): status is `failed` (one error line
whose text matches the pattern), `added` (readable: it must be stored safely) or `duplicate`.
"""

from __future__ import annotations

import io
import json
import os
import random
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

Expect = tuple[str, str]
SENTENCE = ("The council will redesign its online services with residents, publish open data and train staff "
            "in digital skills. ")


# -- PDF ---------------------------------------------------------------------------------------
def pdf(objects: list[bytes], *, root: int = 1, trailer: bytes = b"", xref: bool = True) -> bytes:
    """A PDF from numbered object bodies (object n is objects[n-1]) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer, start)
    return bytes(out)


def stream(data: bytes, *, flate: bool = False, length: bytes | None = None) -> bytes:
    if flate:
        data = zlib.compress(data, 9)
    head = b"<< /Length " + (length or str(len(data)).encode()) + (b" /Filter /FlateDecode" if flate else b"") + b" >>"
    return head + b"\nstream\n" + data + b"\nendstream"


def text_ops(lines: list[str]) -> bytes:
    ops = [b"BT /F1 11 Tf 72 760 Td 14 TL"]
    for line in lines:
        esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(b"(" + esc.encode("latin-1", "replace") + b") '")
    ops.append(b"ET")
    return b"\n".join(ops)


def text_pdf(lines: list[str] | None = None, *, extra_catalog: bytes = b"", content: bytes | None = None,
             flate: bool = False) -> bytes:
    lines = lines or ["Digital strategy", SENTENCE.strip(), "We will measure progress every quarter."]
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        stream(content if content is not None else text_ops(lines), flate=flate),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def many_pages_pdf(pages: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    content = 4 + pages
    for _ in range(pages):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R"
                    b" /Resources << /Font << /F1 3 0 R >> >> >>" % content)
    objs.append(stream(text_ops(["A page of the strategy with a sentence of text on it."])))
    return pdf(objs)


def pdf_files(big: bool) -> dict[str, tuple[bytes, Expect]]:
    rng = random.Random(11)
    good = text_pdf()
    js = b"/OpenAction << /S /JavaScript /JS (app.alert\\('hi'\\); while\\(true\\){}) >> /AA << >> "
    pages_self = pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])
    pages_cycle = pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                       b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"])
    prev_loop = good.replace(b"/Root 1 0 R ", b"/Root 1 0 R /Prev %d " % good.rindex(b"xref"))
    ref_loop = pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        stream(b"BT ET", length=b"5 0 R"), b"6 0 R", b"5 0 R"])
    deep_array = text_pdf(extra_catalog=b"/Deep " + b"[" * 50_000 + b"]" * 50_000 + b" ")
    files: dict[str, tuple[bytes, Expect]] = {
        "pdf-truncated.pdf": (good[: len(good) // 2], ("failed", r"corrupt PDF|no text layer|no pages")),
        "pdf-pages-kid-is-itself.pdf": (pages_self, ("failed", r"corrupt PDF")),
        "pdf-pages-cycle.pdf": (pages_cycle, ("failed", r"corrupt PDF")),
        "pdf-xref-prev-loop.pdf": (prev_loop, ("failed", r"corrupt PDF")),
        "pdf-length-reference-loop.pdf": (ref_loop, ("failed", r"corrupt PDF|no text layer")),
        "pdf-count-a-billion.pdf": (good.replace(b"/Count 1", b"/Count 999999999"), ("added", "")),
        "pdf-nul-bytes.pdf": (b"%PDF-1.4\n" + b"\x00" * 4096, ("failed", r"corrupt PDF")),
        "pdf-random-bytes.pdf": (bytes(rng.getrandbits(8) for _ in range(4096)), ("failed", r"not a PDF")),
        "pdf-header-only.pdf": (b"%PDF-1.7\n%%EOF\n", ("failed", r"corrupt PDF")),
        "pdf-javascript.pdf": (text_pdf(extra_catalog=js), ("added", "")),
        "pdf-broken-xref.pdf": (good.replace(b"0000000000 65535 f", b"garbage garbage xx"), ("added", "")),
        "pdf-huge-length.pdf": (good.replace(b"/Length ", b"/Length 99999999999", 1), ("added", "")),
        "pdf-deeply-nested-array.pdf": (deep_array, ("added", "")),
        "pdf-image-only.pdf": (text_pdf(content=b"0 0 1 rg 72 72 400 400 re f"), ("failed", r"no text layer")),
        "pdf-encrypted-dictionary.pdf": (good.replace(b"/Root 1 0 R ", b"/Root 1 0 R /Encrypt << /Filter /Standard"
                                                                       b" /V 9 /R 9 /O (x) /U (y) /P -4 >> "),
                                         ("failed", r"encrypted PDF|corrupt PDF")),
        "pdf-flate-garbage.pdf": (text_pdf(content=b"not really compressed").replace(
            b"/Length", b"/Filter /FlateDecode /Length"), ("failed", r"corrupt PDF|no text layer")),
    }
    if big:
        bomb = text_pdf(content=b"BT /F1 11 Tf 72 760 Td (x) Tj ET " + b" " * 300_000_000, flate=True)
        files["pdf-flate-bomb.pdf"] = (bomb, ("failed", r"STRATLENS_MAX_DECOMPRESSED_MB"))
        long_line = ("digital " * 400_000).strip()
        files["pdf-page-of-millions-of-chars.pdf"] = (
            text_pdf(content=text_ops([long_line]), flate=True), ("failed", r"STRATLENS_MAX_PAGE_CHARS"))
        files["pdf-1001-pages.pdf"] = (many_pages_pdf(1001), ("failed", r"more than 1000 pages.*STRATLENS_MAX_PAGES"))
    return files


# -- DOCX --------------------------------------------------------------------------------------
CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                 b'2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                 b'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                 b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                 b'officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def document_xml(paragraphs: list[str], *, prolog: bytes = b"") -> bytes:
    body = b"".join(b"<w:p><w:r><w:t>" + p.encode("utf-8") + b"</w:t></w:r></w:p>" for p in paragraphs)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + prolog + b"<w:document " + W + b"><w:body>" + body + \
        b"</w:body></w:document>"


def docx(parts: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in parts.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data, compress_type=compression)
    return buf.getvalue()


def good_docx(paragraphs: list[str] | None = None, **extra: bytes) -> bytes:
    paragraphs = paragraphs or ["Digital strategy", SENTENCE * 3]
    return docx({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
                 "word/document.xml": document_xml(paragraphs), **extra})


def lying_sizes(data: bytes, member: str, fake: int) -> bytes:
    """Rewrite a member's uncompressed size in the local and central headers to `fake`."""
    out = bytearray(data)
    name = member.encode()
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = 0
        while (pos := out.find(sig, pos)) != -1:
            name_at = 30 if sig == b"PK\x03\x04" else 46
            if out[pos + name_at: pos + name_at + len(name)] == name:
                out[pos + size_at: pos + size_at + 4] = fake.to_bytes(4, "little")
            pos += 4
    return bytes(out)


def docx_files(big: bool) -> dict[str, tuple[bytes, Expect]]:
    good = good_docx()
    laughs = (b"<!DOCTYPE w:document [<!ENTITY a \"lol lol lol lol lol lol lol lol lol lol\">"
              + b"".join(b"<!ENTITY %s \"%s\">" % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(9))
              + b"]>")
    xxe = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    deep = document_xml(["x"]).replace(b"<w:body>", b"<w:body>" + b"<w:sdt>" * 20_000).replace(
        b"</w:body>", b"</w:sdt>" * 20_000 + b"</w:body>")
    encrypted = bytearray(good)
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = 0
        while (pos := encrypted.find(sig, pos)) != -1:
            encrypted[pos + flag_at] |= 1
            pos += 4
    files: dict[str, tuple[bytes, Expect]] = {
        "docx-billion-laughs.docx": (docx({
            "[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
            "word/document.xml": document_xml([SENTENCE, "&i;"], prolog=laughs).replace(b"&amp;i;", b"&i;")}),
            ("failed", r"corrupt DOCX|empty document")),
        "docx-external-entity.docx": (docx({
            "[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
            "word/document.xml": document_xml([SENTENCE, "&x;"], prolog=xxe).replace(b"&amp;x;", b"&x;")}),
            ("added", "")),  # read without resolving the entity: /etc/passwd must not appear
        "docx-deeply-nested-xml.docx": (docx({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
                                               "word/document.xml": deep}), ("failed", r"corrupt DOCX")),
        "docx-not-a-zip.docx": (SENTENCE.encode() * 5, ("failed", r"corrupt DOCX \(not a zip archive\)")),
        "docx-truncated.docx": (good[: len(good) // 2], ("failed", r"corrupt DOCX")),
        "docx-old-binary-word.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048,
                                      ("failed", r"old binary Word file")),
        "docx-no-document-part.docx": (docx({"[Content_Types].xml": CONTENT_TYPES}),
                                       ("failed", r"no word/document.xml")),
        "docx-broken-xml.docx": (docx({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
                                       "word/document.xml": b"<w:document " + W + b"><w:body><w:p>"}),
                                 ("failed", r"corrupt DOCX")),
        "docx-encrypted-flag.docx": (bytes(encrypted), ("failed", r"encrypted DOCX")),
        "docx-nested-zip.docx": (good_docx(**{"word/embeddings/inner.zip": good}), ("added", "")),
        "docx-path-traversal-names.docx": (good_docx(**{"../../../../tmp/evil.xml": b"<x/>"}), ("added", "")),
        "docx-lying-sizes.docx": (lying_sizes(good_docx([SENTENCE * 200]), "word/document.xml", 100),
                                  ("failed", r"corrupt DOCX")),
        "docx-empty-body.docx": (good_docx([""]), ("failed", r"empty document")),
    }
    if big:
        bomb = docx({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
                     "word/document.xml": document_xml(["x"]) + b" " * 250_000_000})
        files["docx-zip-bomb.docx"] = (bomb, ("failed", r"over the 200 MB limit \(STRATLENS_MAX_DECOMPRESSED_MB\): possible zip bomb"))
        files["docx-thousands-of-parts.docx"] = (
            good_docx(**{f"customXml/item{i}.xml": b"<x/>" for i in range(5000)}), ("added", ""))
        files["docx-paragraph-of-2m-chars.docx"] = (good_docx([("digital services " * 120_000).strip()]),
                                                    ("added", ""))
    return files


# -- HTML --------------------------------------------------------------------------------------
def page(body: str, head: str = "") -> bytes:
    return f"<!doctype html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


def html_files(big: bool) -> dict[str, tuple[bytes, Expect]]:
    rng = random.Random(12)
    script = "<script>document.write('SECRET_SCRIPT_TEXT'); while(true){}</script>"
    laden = page(script * 200 + "<style>body{x:y} SECRET_STYLE</style>" + "<main><h1>Strategy</h1>"
                 + f"<p onclick=\"alert('SECRET')\" onmouseover='x()'>{SENTENCE * 3}</p>"
                 + "<iframe srcdoc='<p>SECRET_IFRAME</p>'></iframe><object data='x.swf'>SECRET_OBJECT</object>"
                 + "<noscript>SECRET_NOSCRIPT</noscript><svg><script>SECRET_SVG</script></svg></main>")
    laughs = (b"<!DOCTYPE html [<!ENTITY a 'lol lol lol lol'>" + b"".join(
        b"<!ENTITY %s '%s'>" % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(9))
        + b"]><html><body><p>" + SENTENCE.encode() * 2 + b"&j;</p></body></html>")
    files: dict[str, tuple[bytes, Expect]] = {
        "html-script-laden.html": (laden, ("added", "")),
        "html-nul-bytes.html": (page(SENTENCE) + b"\x00" * 64 + page(SENTENCE), ("failed", r"binary data")),
        "html-invalid-utf8.html": (page(SENTENCE).replace(b"residents", b"r\xe9sidents \xff\xfe\x92"),
                                   ("added", "")),
        "html-utf16-bom.html": (b"\xff\xfe" + page(SENTENCE).decode().encode("utf-16-le"), ("added", "")),
        "html-billion-laughs.html": (laughs, ("added", "")),
        "html-only-boilerplate.html": (page("<nav>Home | About</nav><footer>Cookies</footer>"),
                                       ("failed", r"no text found")),
        "html-unclosed-tags.html": (page("<b><i><u><span>" * 40 + SENTENCE * 2), ("added", "")),
        "html-unclosed-past-255-levels.html": (page("<b><i><u><span>" * 100 + SENTENCE * 2),
                                               ("failed", r"nested too deeply")),
        "html-random-bytes.html": (bytes(rng.getrandbits(8) for _ in range(4096)),
                                   ("failed", r"binary data|control characters|no text found")),
        "html-empty-body.html": (page(""), ("failed", r"no text found")),
    }
    if big:
        files["html-deeply-nested.html"] = (page("<div>" * 100_000 + SENTENCE + "</div>" * 100_000),
                                            ("failed", r"nested too deeply"))
        files["html-wide.html"] = (page("<main>" + "<span>w</span>" * 50_000 + f"<p>{SENTENCE}</p></main>"),
                                   ("added", ""))
        files["html-comment-bomb.html"] = (page(f"<!-- {'x' * 3_000_000} --><p>{SENTENCE * 2}</p>"), ("added", ""))
        files["html-paragraph-of-3m-chars.html"] = (page("<p>" + "digital " * 375_000 + "</p>"), ("added", ""))
        files["html-over-text-limit.html"] = (page("<p>" + "strategy " * 700_000 + "</p>"),
                                              ("failed", r"over the 5,000,000 limit.*STRATLENS_MAX_TEXT_CHARS"))
    return files


# -- text and Markdown -------------------------------------------------------------------------
def text_files(big: bool) -> dict[str, tuple[bytes, Expect]]:
    ctrl = "".join(chr(c) for c in range(1, 9)) * 200
    files: dict[str, tuple[bytes, Expect]] = {
        "text-invalid-utf8.txt": (SENTENCE.encode() + b"\xff\xfe\xc3\x28 strat\x92gy " + SENTENCE.encode(),
                                  ("added", "")),
        "text-nul-bytes.txt": (SENTENCE.encode() + b"\x00\x00" + SENTENCE.encode(), ("failed", r"binary data")),
        "text-utf16-bom.txt": (b"\xff\xfe" + (SENTENCE * 3).encode("utf-16-le"), ("added", "")),
        "text-control-characters.txt": (ctrl.encode() + SENTENCE.encode(), ("failed", r"control characters")),
        "text-empty.txt": (b"", ("failed", r"empty file \(0 bytes\)")),
        "text-whitespace-only.txt": (b" \n\t\n  \r\n", ("failed", r"empty file")),
        "text-bidi-and-zero-width.txt": (("\u202e\u200b\u200d" + SENTENCE + "\ufeff\u2066") .encode("utf-8") * 3,
                                         ("added", "")),
        "md-headings-only.md": (b"".join(b"###### heading %d\n" % i for i in range(5000)),
                                ("failed", r"no passages of text found")),
        "md-front-matter-only.md": (b"---\ntitle: x\n---\n", ("failed", r"empty file")),
        "md-nested-lists.md": ("".join("  " * (i % 200) + f"- item {i} {SENTENCE}\n" for i in range(400)).encode(),
                               ("added", "")),
        "unsupported.exe": (b"MZ\x90\x00" + b"\x00" * 64, ("failed", r"unsupported file type '\.exe'")),
        "no-extension": (SENTENCE.encode(), ("failed", r"unsupported file type '\(none\)'")),
        "strategy.docx.exe": (SENTENCE.encode(), ("failed", r"unsupported file type")),
    }
    if big:
        files["text-one-line-3m-chars.txt"] = (("digital " * 375_000).encode(), ("added", ""))
        files["text-no-spaces-2m-chars.txt"] = (b"x" * 2_000_000, ("added", ""))
        files["text-over-text-limit.txt"] = (("strategy " * 700_000).encode(),
                                             ("failed", r"STRATLENS_MAX_TEXT_CHARS"))
    return files


# -- names and links ---------------------------------------------------------------------------
def named_files(big: bool) -> dict[str, tuple[bytes, Expect]]:
    """Readable files with odd names; each has its own content so none is a duplicate."""
    names = ["naïve ŵ strategaeth ddigidol 😀.txt", "name with  spaces.md", "-leading-dash.txt", "--help.txt",
             "[draft] strategy [red]x[red].txt", "x" * 240 + ".txt", "ﺍﻟﻌﺮﺑﻴﺔ rtl.txt"]
    files = {n: (f"{SENTENCE} File {i}: {n}.".encode(), ("added", "")) for i, n in enumerate(names)}
    if big:
        files["line\nbreak.txt"] = (SENTENCE.encode() + b" newline name", ("added", ""))
    return files


def special_files(folder: Path) -> dict[str, Expect]:
    """Links, a FIFO and undecodable names: made on disk directly (only in the full set)."""
    out: dict[str, Expect] = {}
    good = folder / "good-target.txt"
    good.write_bytes(SENTENCE.encode() + b" symlink target")
    out[good.name] = ("added", "")
    (folder / "zz-link-to-good.txt").symlink_to(good.name)
    out["zz-link-to-good.txt"] = ("duplicate", r"same content as document")
    (folder / "link-broken.txt").symlink_to("does-not-exist.txt")
    out["link-broken.txt"] = ("failed", r"broken or looping symbolic link")
    (folder / "link-loop-a.txt").symlink_to("link-loop-b.txt")
    (folder / "link-loop-b.txt").symlink_to("link-loop-a.txt")
    out["link-loop-a.txt"] = out["link-loop-b.txt"] = ("failed", r"broken or looping symbolic link")
    (folder / "link-to-dev-zero.txt").symlink_to("/dev/zero")
    out["link-to-dev-zero.txt"] = ("failed", r"not a regular file")
    os.mkfifo(folder / "fifo.txt")
    out["fifo.txt"] = ("failed", r"not a regular file")
    raw = os.fsencode(folder) + b"/caf\xe9-latin1-name.txt"
    with open(raw, "wb") as fh:
        fh.write(SENTENCE.encode() + b" latin-1 name")
    out[os.fsdecode(b"caf\xe9-latin1-name.txt")] = ("added", "")
    (folder / "zz-copy-of-good.txt").write_bytes(good.read_bytes())
    out["zz-copy-of-good.txt"] = ("duplicate", r"same content as document")
    return out


def sparse_too_big(folder: Path) -> dict[str, Expect]:
    path = folder / "text-over-size-limit.txt"
    with path.open("wb") as fh:
        fh.truncate(60 * 1024 * 1024)  # sparse: 60 MB on paper, nothing on disk
    return {path.name: ("failed", r"over the 50 MB limit \(STRATLENS_MAX_FILE_MB\)")}


MAKERS: list[Callable[[bool], dict[str, tuple[bytes, Expect]]]] = [pdf_files, docx_files, html_files, text_files,
                                                                     named_files]


def make(folder: str | Path, *, small: bool = False) -> dict[str, Expect]:
    """Write the set into `folder`; returns {file name: (status, pattern)}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Expect] = {}
    for maker in MAKERS:
        for name, (data, expect) in maker(not small).items():
            (folder / name).write_bytes(data)
            expected[name] = expect
    if not small:
        expected.update(special_files(folder))
        expected.update(sparse_too_big(folder))
    for status, _ in expected.values():
        assert status in ("added", "failed", "duplicate")
    return expected


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if len(sys.argv) > 1 else 2)
    got = make(sys.argv[1], small="--small" in sys.argv[2:])
    if "--expected" in sys.argv[2:]:  # the answer key beside the folder, not in it (it would be ingested)
        key = Path(sys.argv[1]).with_name(Path(sys.argv[1]).name + "-expected.json")
        key.write_text(json.dumps(got, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(got)} files in {sys.argv[1]}")
