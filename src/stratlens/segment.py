"""Turn a reader's blocks into passages that keep their page and heading path.

A passage should be one idea with enough context to classify: a sentence fragment or a lone
list item is too little, a two-page block too much. So short blocks under the same heading are
merged, a lead-in line ending in ':' is kept with its list, and long blocks are cut at sentence
ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from stratlens.lang import detect_language
from stratlens.model import Block, Passage

MIN_CHARS = 160
TARGET_CHARS = 700
MAX_CHARS = 1200
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[A-Z0-9\"“‘(])")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _split_long(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Cut text at sentence ends into chunks of at most `limit` chars (a single long sentence
    is cut at a word boundary so no passage exceeds the limit)."""
    if len(text) <= limit:
        return [text]
    target = min(TARGET_CHARS, limit)
    chunks: list[str] = []
    current = ""
    for sentence in split_sentences(text):
        pos = 0  # walk a long sentence by offset: slicing off the rest each time is quadratic
        while len(sentence) - pos > limit:
            cut = sentence.rfind(" ", pos, pos + limit)
            cut = cut if cut > pos + limit // 2 else pos + limit
            if current:
                chunks.append(current)
                current = ""
            piece = sentence[pos:cut].strip()
            if piece:
                chunks.append(piece)
            pos = cut
            while pos < len(sentence) and sentence[pos] == " ":
                pos += 1
        sentence = sentence[pos:].strip()
        if not sentence:
            continue
        if current and len(current) + 1 + len(sentence) > target:
            chunks.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        chunks.append(current)
    return chunks


def segment(blocks: Iterable[Block], max_chars: int = MAX_CHARS) -> list[Passage]:
    """Group blocks into passages under their heading path; none longer than `max_chars`
    (the setting STRATLENS_MAX_PASSAGE_CHARS)."""
    passages: list[Passage] = []
    headings: list[tuple[int, str]] = []
    buf: list[str] = []
    buf_page: int | None = None
    offset = 0

    def path() -> list[str]:
        return [h for _, h in headings]

    def emit(force: bool = False) -> None:
        nonlocal buf, buf_page, offset
        if not buf:
            return
        text = " ".join(buf).strip()
        if not force and len(text) < MIN_CHARS and not text.endswith(":"):
            # keep accumulating: too short to stand alone
            pass
        for chunk in _split_long(text, max_chars):
            passages.append(
                Passage(seq=len(passages), text=chunk, page=buf_page, heading_path=path(),
                        lang=detect_language(chunk), char_start=offset, char_end=offset + len(chunk))
            )
            offset += len(chunk) + 1
        buf, buf_page = [], None

    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        if block.kind == "heading":
            emit(force=True)
            level = max(block.level, 1)
            while headings and headings[-1][0] >= level:
                headings.pop()
            headings.append((level, text))
            continue
        current = " ".join(buf)
        joins_list = current.endswith(":") or (block.kind in ("list-item", "table-row") and buf)
        if buf and not joins_list and len(current) >= MIN_CHARS:
            emit(force=True)
        elif buf and len(current) + len(text) > TARGET_CHARS and len(current) >= MIN_CHARS:
            emit(force=True)
        if not buf:
            buf_page = block.page
        if block.kind == "list-item":
            text = text if text[-1:] in ".;:!?" else text + ";"
        elif buf and buf[-1][-1:] not in ".;:!?)\"”’" and not text[:1].islower():
            # Two blocks run together (e.g. a subtitle then a paragraph): keep them apart.
            # A block starting in lower case continues the sentence before it.
            buf[-1] += "."
        buf.append(text)
    emit(force=True)
    # Tidy list separators: a passage ending in ';' reads better ending in '.'.
    for p in passages:
        if p.text.endswith(";"):
            p.text = p.text[:-1] + "."
    return passages
