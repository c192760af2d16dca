"""Pick a reader by file type, enforce size limits, and walk folders."""

from __future__ import annotations

import hashlib
import os
import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from stratlens.config import Limits
from stratlens.errors import IngestError
from stratlens.model import ReadResult

SUPPORTED_SUFFIXES = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
}
#: Files in an input folder that describe the corpus rather than belong to it.
SKIP_NAMES = {"manifest.csv", "readme.md", "source.md", "license", "license.txt"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def display_name(path: str | Path) -> str:
    """The path as one printable line: undecodable bytes and control characters in a file name
    must not break the one-line error, the terminal or the UTF-8 store."""
    raw = str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in raw)


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and every file under named folders (hidden ones skipped)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or name.lower() in SKIP_NAMES:
                        continue
                    yield Path(root) / name
        else:
            yield path


def read_bytes(path: Path, limits: Limits) -> bytes:
    """Read a file after checking it exists, is a regular file and is within the size limit."""
    name = display_name(path)
    if path.is_symlink() and not path.exists():
        raise IngestError(name, "broken or looping symbolic link")
    if not path.exists():
        raise IngestError(name, "no such file")
    if not path.is_file():
        raise IngestError(name, "not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(name, "empty file (0 bytes)")
    if size > limits.max_file_bytes:
        raise IngestError(
            name,
            f"file is {size / 1048576:.1f} MB, over the {limits.max_file_bytes // 1048576} MB limit "
            "(STRATLENS_MAX_FILE_MB)",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(name, f"cannot read file ({exc.strerror or exc})") from None


class _ReadTimeout(BaseException):
    """Raised by the timer; a BaseException so that readers' `except Exception` cannot hide it."""


@contextmanager
def time_limit(seconds: int, name: str) -> Iterator[None]:
    """Interrupt the block after `seconds` (SIGALRM; only in the main thread, where signals are
    delivered: elsewhere the block runs unguarded)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _ReadTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _ReadTimeout:
        raise IngestError(name, f"reading took longer than {seconds} s (limit STRATLENS_MAX_READ_SECONDS)") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_file(path: str | Path, limits: Limits | None = None) -> tuple[ReadResult, bytes]:
    """Read one file into blocks; returns the result and the raw bytes (for hashing)."""
    limits = limits or Limits()
    path = Path(path)
    fmt = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        kinds = ", ".join(sorted({s for s in SUPPORTED_SUFFIXES}))
        raise IngestError(display_name(path), f"unsupported file type {path.suffix or '(none)'!r}; supported: {kinds}")
    data = read_bytes(path, limits)
    name = display_name(path)
    with time_limit(limits.max_read_seconds, name):
        result = _read(fmt, data, name, limits)
    chars = sum(len(b.text) for b in result.blocks)
    if chars > limits.max_text_chars:
        raise IngestError(name, f"{chars:,} characters of text, over the {limits.max_text_chars:,} limit "
                                "(STRATLENS_MAX_TEXT_CHARS)")
    return result, data


def _read(fmt: str, data: bytes, name: str, limits: Limits) -> ReadResult:
    """The reader for `fmt`, imported on first use (so text-only runs never load pdfminer)."""
    if fmt == "pdf":
        from stratlens.ingest.pdf import read_pdf

        result = read_pdf(data, name, limits)
    elif fmt == "docx":
        from stratlens.ingest.docx import read_docx

        result = read_docx(data, name, limits)
    elif fmt == "html":
        from stratlens.ingest.html import read_html

        result = read_html(data, name)
    else:
        from stratlens.ingest.text import read_text

        result = read_text(data, name, markdown=fmt == "markdown")
    return result
