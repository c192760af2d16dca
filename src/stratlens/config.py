"""Settings and limits, from environment variables with sensible defaults.

Limits are settings rather than constants so that an analyst with an unusual corpus can
raise them, and so that the error raised when one is hit can say which setting applies.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    """Upper bounds that protect the process from hostile or broken input."""

    max_file_bytes: int = field(default_factory=lambda: _env_int("STRATLENS_MAX_FILE_MB", 50) * 1024 * 1024)
    max_pages: int = field(default_factory=lambda: _env_int("STRATLENS_MAX_PAGES", 1000))
    max_decompressed_bytes: int = field(
        default_factory=lambda: _env_int("STRATLENS_MAX_DECOMPRESSED_MB", 200) * 1024 * 1024
    )
    max_text_chars: int = field(default_factory=lambda: _env_int("STRATLENS_MAX_TEXT_CHARS", 5_000_000))
    #: Longer stretches of text are cut at sentence ends (or words) into passages of at most this.
    max_passage_chars: int = field(default_factory=lambda: max(200, _env_int("STRATLENS_MAX_PASSAGE_CHARS", 1200)))
    #: Characters of text on one PDF page, estimated from its content stream before layout
    #: analysis (which is slow on a page of millions of characters).
    max_page_chars: int = field(default_factory=lambda: _env_int("STRATLENS_MAX_PAGE_CHARS", 200_000))
    #: Wall-clock seconds to read one file: a backstop for inputs that make a parser loop or
    #: crawl in ways no other limit foresees (0 turns it off).
    max_read_seconds: int = field(default_factory=lambda: _env_int("STRATLENS_MAX_READ_SECONDS", 300))


DEFAULT_DB = "stratlens.db"


def db_path(explicit: str | Path | None = None) -> Path:
    """The store's path: the --db flag, else $STRATLENS_DB, else ./stratlens.db."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("STRATLENS_DB")
    return Path(env) if env else Path(DEFAULT_DB)
