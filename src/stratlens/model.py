"""Domain types shared by the pipeline stages.

They are plain dataclasses: each stage takes the previous stage's output and returns its own,
so a stage can be tested, swapped or run on another engine without the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list-item", "table-row"]


@dataclass
class Block:
    """A unit of text as a reader found it, before segmentation."""

    text: str
    kind: BlockKind = "paragraph"
    page: int | None = None
    level: int = 0  # heading level (1 = top); 0 for body text


@dataclass
class ReadResult:
    """What a reader returns for one file."""

    blocks: list[Block]
    format: str
    pages: int | None = None
    title: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class Passage:
    """A classifiable stretch of text that remembers where it came from."""

    seq: int
    text: str
    page: int | None
    heading_path: list[str]
    lang: str
    char_start: int = 0
    char_end: int = 0

    @property
    def heading(self) -> str:
        return " > ".join(self.heading_path)


@dataclass
class DocumentMeta:
    """Metadata given by flags or a manifest; missing values are inferred where possible."""

    council: str | None = None
    nation: str | None = None
    year: int | None = None
    title: str | None = None
    source_url: str | None = None
    council_type: str | None = None
    language: str | None = None
