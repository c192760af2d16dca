"""Checks that keep pdfminer away from PDFs built to exhaust it.

pdfminer.six inflates every stream it needs in one go and lays out every character of a page
as an object, so a small hostile file can cost gigabytes (a compressed stream of zeros) or hours
(a page holding millions of characters), and a reference cycle (`5 0 obj 6 0 R`, `6 0 obj
5 0 R`) makes its reference resolver loop for ever. Each check here is cheap next to the
parse it prevents, and each error names the setting that allows more.
"""

from __future__ import annotations

import re
import sys
import zlib
from collections.abc import Iterable

from stratlens.config import Limits
from stratlens.errors import IngestError

_STREAM = re.compile(rb"stream\r?\n")
_IMAGE = re.compile(rb"/Subtype\s*/Image")
_CHUNK = 1 << 16
#: Links followed from one reference before it is taken for a cycle.
MAX_REFERENCE_CHAIN = 64


def check_streams(data: bytes, path: str, limits: Limits) -> None:
    """Refuse a PDF whose compressed streams expand past the decompressed-size limit.

    Streams are inflated incrementally and only counted, never kept. Images are skipped:
    pdfminer does not decode them, and scanned documents legitimately hold hundreds of MB.
    """
    total = 0
    view = memoryview(data)
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - 2048):m.start()]
        head = head[head.rfind(b"obj"):] if b"obj" in head else head
        if _IMAGE.search(head):
            continue
        inflater = zlib.decompressobj()
        pos = m.end()
        while pos < len(data) and not inflater.eof:
            try:
                total += len(inflater.decompress(view[pos:pos + _CHUNK]))
            except zlib.error:
                break  # not Flate data, or corrupt: pdfminer reports what it cannot read
            pos += _CHUNK
            if total > limits.max_decompressed_bytes:
                mb = limits.max_decompressed_bytes // (1024 * 1024)
                raise IngestError(path, f"PDF streams expand to over {mb} MB (limit "
                                        "STRATLENS_MAX_DECOMPRESSED_MB): possible decompression bomb")


_STRING = re.compile(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>", re.S)


def page_chars(contents: Iterable[bytes]) -> int:
    """Characters a page's content streams can show: the length of their string operands (a
    hex string's digits count half). An estimate that is cheap and never far below the truth."""
    n = 0
    for data in contents:
        for m in _STRING.finditer(data):
            s = m.group()
            n += len(s) - 2 if s[:1] == b"(" else (len(s) - 2) // 2
    return n


def check_page(contents: Iterable[bytes], page_no: int, path: str, limits: Limits) -> None:
    chars = page_chars(contents)
    if chars > limits.max_page_chars:
        raise IngestError(path, f"page {page_no} holds about {chars:,} characters, over the "
                                f"{limits.max_page_chars:,} limit (STRATLENS_MAX_PAGE_CHARS)")


class ReferenceCycle(Exception):
    """An indirect reference that leads back to itself."""


def _bounded_resolve1(x, default=None):  # type: ignore[no-untyped-def]
    from pdfminer.pdftypes import PDFObjRef

    for _ in range(MAX_REFERENCE_CHAIN):
        if not isinstance(x, PDFObjRef):
            return x
        x = x.resolve(default=default)
    if isinstance(x, PDFObjRef):
        raise ReferenceCycle(f"reference chain longer than {MAX_REFERENCE_CHAIN} (a cycle)")
    return x


def install_reference_guard() -> None:
    """Swap pdfminer's `resolve1` (imported by name into several of its modules) for a version
    that gives up on a cycle instead of looping for ever. Idempotent."""
    import pdfminer.pdftypes  # noqa: F401 - load the modules that hold a reference to resolve1
    import pdfminer.pdfdocument  # noqa: F401
    import pdfminer.pdfinterp  # noqa: F401
    import pdfminer.pdfpage  # noqa: F401
    import pdfminer.pdfparser  # noqa: F401
    import pdfminer.pdffont  # noqa: F401

    original = pdfminer.pdftypes.resolve1
    if original is _bounded_resolve1:
        return
    for name, module in list(sys.modules.items()):
        if name.startswith("pdfminer") and getattr(module, "resolve1", None) is original:
            module.resolve1 = _bounded_resolve1
