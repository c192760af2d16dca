"""Plain text and Markdown.

Text is decoded as UTF-8 first, then Windows-1252, then Latin-1, because council documents
exported from old Word installations are still often cp1252; binary data posing as text is
rejected rather than turned into mojibake passages.
"""

from __future__ import annotations

import re

from stratlens.errors import IngestError
from stratlens.model import Block, ReadResult

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_PROVENANCE = re.compile(r"\A((?:[a-z_]+:.*\n){1,12})---\s*\n")
_MD_HEADING = re.compile(r"^(#{1,6})\s*(.+?)\s*#*\s*$")
_SECTION_MARK = re.compile(r"^===\s*(.+?)\s*===$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+\u2022]|\d+[.)])\s+(.*)$")
_RULE = re.compile(r"^\s*(?:={3,}|-{3,}|_{3,}|\*{3,}|~{3,})\s*$")


def decode_bytes(data: bytes, path: str) -> str:
    """Decode text, trying UTF-8 then cp1252 then Latin-1; refuse binary data."""
    if not data.strip():
        raise IngestError(path, "empty file (no text)")
    if b"\x00" in data[:8192]:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                return data.decode("utf-16")
            except UnicodeDecodeError:
                pass
        raise IngestError(path, "undecodable: binary data (NUL bytes) in a text file")
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("latin-1")
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(10, len(text[:20000]) // 50):
        raise IngestError(path, "undecodable: too many control characters for a text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Jekyll-style front matter or a provenance header of `key: value` lines ending in ---."""
    meta: dict[str, str] = {}
    m = _FRONT_MATTER.match(text) or _PROVENANCE.match(text)
    if not m:
        return meta, text
    for line in m.group(1).splitlines():
        if ":" in line:
            k, _, v = line.partition(":")
            meta[k.strip().lower()] = v.strip().strip('"')
    return meta, text[m.end():]


def _looks_like_heading(line: str, next_blank: bool) -> bool:
    s = line.strip()
    if not s or len(s) > 90 or not next_blank:
        return False
    if s[-1] in ".,;:!?\"'”’)" or len(s.split()) > 12:
        return False
    if re.match(r"^\d+(\.\d+)*\.?\s+\S", s):
        return True
    return s[0].isupper() or s.isupper()


def blocks_from_lines(text: str, markdown: bool) -> list[Block]:
    """Paragraphs separated by blank lines; headings from Markdown marks or plain-text shape."""
    blocks: list[Block] = []
    lines = text.split("\n")
    para: list[str] = []

    def flush() -> None:
        if para:
            joined = " ".join(p.strip() for p in para).strip()
            if joined:
                blocks.append(Block(joined, "paragraph"))
            para.clear()

    for i, raw in enumerate(lines):
        line = raw.rstrip()
        nxt_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        if not line.strip():
            flush()
            continue
        if _RULE.match(line):
            # A line of '=' or '-' under a single line of text underlines a heading (Markdown's
            # setext style, common in plain text too); anywhere else it is a separator.
            if len(para) == 1 and line.strip()[0] in "=-":
                blocks.append(Block(para[0].strip(), "heading", level=1 if line.strip()[0] == "=" else 2))
                para.clear()
            else:
                flush()
            continue
        sec = _SECTION_MARK.match(line.strip())
        if sec:
            flush()
            blocks.append(Block(sec.group(1), "heading", level=1))
            continue
        h = _MD_HEADING.match(line) if markdown or line.startswith("#") else None
        if h:
            flush()
            title = re.sub(r"^\d+\s*", "", h.group(2)) if h.group(2)[:2].isdigit() else h.group(2)
            blocks.append(Block(title.strip() or h.group(2), "heading", level=len(h.group(1))))
            continue
        li = _LIST_ITEM.match(line)
        if li:
            flush()
            blocks.append(Block(li.group(1).strip(), "list-item"))
            continue
        if markdown and line.startswith("|"):
            flush()
            cells = [c.strip() for c in line.strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                continue
            blocks.append(Block(" | ".join(c for c in cells if c), "table-row"))
            continue
        if not para and not markdown and _looks_like_heading(line, nxt_blank):
            prev_blank = i == 0 or not lines[i - 1].strip()
            if prev_blank:
                blocks.append(Block(line.strip(), "heading", level=2))
                continue
        para.append(re.sub(r"[*_`]{1,2}([^*_`]+)[*_`]{1,2}", r"\1", line) if markdown else line)
    flush()
    for b in blocks:  # columns aligned with spaces or tabs are not part of the text
        b.text = re.sub(r"\s+", " ", b.text).strip()
    return blocks


def read_text(data: bytes, path: str, markdown: bool = False) -> ReadResult:
    text = decode_bytes(data, path)
    meta, body = split_front_matter(text)
    blocks = blocks_from_lines(body, markdown=markdown)
    if not any(b.text.strip() for b in blocks):
        raise IngestError(path, "empty file (no text)")
    title = meta.get("title")
    if not title:
        first_heading = next((b.text for b in blocks if b.kind == "heading" and b.level <= 1), None)
        title = first_heading or next((b.text for b in blocks if b.kind == "heading"), None)
    return ReadResult(blocks=blocks, format="markdown" if markdown else "text", title=title, metadata=meta)
