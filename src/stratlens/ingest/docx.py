"""Word documents via python-docx, guarded against zip bombs.

A DOCX is a zip archive: we check the declared uncompressed size of its parts before
python-docx inflates them, because a small hostile file can expand to gigabytes.
"""

from __future__ import annotations

import io
import re
import zipfile

from stratlens.config import Limits
from stratlens.errors import IngestError
from stratlens.model import Block, ReadResult


def _check_zip(data: bytes, path: str, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            names = {i.filename for i in infos}
            if any(i.flag_bits & 0x1 for i in infos):
                raise IngestError(path, "encrypted DOCX: it needs a password to open")
    except zipfile.BadZipFile:
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise IngestError(path, "encrypted or old binary Word file (.doc): save it as .docx") from None
        raise IngestError(path, "corrupt DOCX (not a zip archive)") from None
    if total > limits.max_decompressed_bytes:
        mb = limits.max_decompressed_bytes // (1024 * 1024)
        raise IngestError(path, f"DOCX expands to {total // (1024 * 1024)} MB, over the {mb} MB limit "
                                "(STRATLENS_MAX_DECOMPRESSED_MB): possible zip bomb")
    if "word/document.xml" not in names:
        raise IngestError(path, "corrupt DOCX (no word/document.xml)")


def _heading_level(style_name: str) -> int:
    name = style_name.lower()
    if name == "title":
        return 1
    m = re.match(r"(heading|pennawd)\s*(\d)", name)
    return int(m.group(2)) if m else 0


def read_docx(data: bytes, path: str, limits: Limits | None = None) -> ReadResult:
    limits = limits or Limits()
    _check_zip(data, path, limits)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(path, f"corrupt DOCX ({type(exc).__name__})") from None

    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = re.sub(r"\s+", " ", item.text).strip()
            if not text:
                continue
            style = item.style.name if item.style is not None else ""
            level = _heading_level(style)
            if level:
                blocks.append(Block(text, "heading", level=level))
            elif "list" in style.lower() or item._p.pPr is not None and item._p.pPr.numPr is not None:
                blocks.append(Block(text, "list-item"))
            else:
                blocks.append(Block(text, "paragraph"))
        elif isinstance(item, Table):
            for row in item.rows:
                cells: list[str] = []
                for cell in row.cells:
                    t = re.sub(r"\s+", " ", cell.text).strip()
                    if t and (not cells or cells[-1] != t):
                        cells.append(t)
                if cells:
                    blocks.append(Block(" | ".join(cells), "table-row"))
    if not blocks:
        raise IngestError(path, "empty document (no text)")
    props_title = (document.core_properties.title or "").strip() or None
    title = props_title or next((b.text for b in blocks if b.kind == "heading"), None)
    return ReadResult(blocks=blocks, format="docx", title=title)
