"""Shared fixtures: small real documents made in tmp_path, a temporary store, the CLI.

Factories build genuine files (fpdf2 for PDF, python-docx for DOCX) so the readers are tested
on what they will meet, not on mocks. Keep fixtures here generic; put test-specific builders in
the test module that needs them.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from stratlens.store import Store

REPO = Path(__file__).resolve().parents[1]
FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"]
TABLES = ("documents", "passages", "labels", "classifier_runs", "councils", "passages_fts")


# -- shared corpus (real documents, read in place, never copied into the repository) ---------------
def shared_dir() -> Path | None:
    """The `shared` folder: $STRATLENS_SHARED, else the folder `shared` beside the repository."""
    env = os.environ.get("STRATLENS_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared")
    return next((c for c in candidates if c.is_dir()), None)


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """`shared/corpus/`, or the test is skipped."""
    base = shared_dir()
    if base is None or not (base / "corpus").is_dir():
        pytest.skip("shared corpus not found: set STRATLENS_SHARED or put `shared/` beside the repository")
    return base / "corpus"


@pytest.fixture(scope="session")
def shared_corpus_if_any() -> Path | None:
    """`shared/corpus/` when it is there, else None (for tests that also run without it)."""
    base = shared_dir()
    return base / "corpus" if base is not None and (base / "corpus").is_dir() else None


# -- the store --------------------------------------------------------------------------------------
@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "store" / "stratlens.db"


@pytest.fixture
def store(db_file: Path) -> Iterator[Store]:
    """A fresh store on a temporary SQLite file."""
    s = Store(db_file)
    try:
        yield s
    finally:
        s.close()


def table_counts(db: Store | str | Path) -> dict[str, int]:
    """Row counts of the tables a document writes to, read through a separate connection."""
    path = db.path if isinstance(db, Store) else Path(db)
    if not path.exists():
        return {t: 0 for t in TABLES}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


@pytest.fixture
def counts() -> Callable[[Store | str | Path], dict[str, int]]:
    """`counts(store_or_path)` -> {table: rows}, to show a failure left the store as it was."""
    return table_counts


# -- document factories ------------------------------------------------------------------------------
def find_font(name: str = "DejaVuSans.ttf") -> Path | None:
    for d in FONT_DIRS:
        if d.is_dir():
            hit = next(iter(sorted(d.rglob(name))), None)
            if hit:
                return hit
    return None


@pytest.fixture(scope="session")
def unicode_font() -> Path:
    """A TTF with Welsh letters (ŵ, ŷ); skip if none is installed (apt-get install fonts-dejavu-core)."""
    font = find_font("DejaVuSans.ttf")
    if font is None:
        pytest.skip("no DejaVuSans.ttf: apt-get install fonts-dejavu-core")
    return font


PdfItem = tuple[str, str]  # (style, text); style: title | h1 | h2 | p | li | shape
PDF_STYLES = {"title": ("B", 22), "h1": ("B", 18), "h2": ("B", 14), "p": ("", 11), "li": ("", 11)}


@pytest.fixture
def make_pdf(tmp_path: Path) -> Callable[..., Path]:
    """Write a small PDF and return its path.

    make_pdf([[("h1", "Intro"), ("p", "...")], [...]], name="doc.pdf", header="Running header",
             page_numbers=True, password=None, encryption="rc4"|"aes256", font=Path|None)

    Each page is a list of (style, text). Style "shape" draws a filled box (no text).
    `header` is printed in small type at the top of every page, `page_numbers` adds
    "Page N of M" at the foot, `password` sets a user password (needed to open the file).
    """
    from fpdf import FPDF

    def factory(pages: Sequence[Sequence[PdfItem]], name: str = "doc.pdf", *, header: str | None = None,
                page_numbers: bool = False, password: str | None = None, encryption: str = "rc4",
                font: Path | None = None, folder: Path | None = None) -> Path:
        total = len(pages)

        class Doc(FPDF):
            def header(self) -> None:  # noqa: D401 - fpdf2 hook
                if header:
                    self.set_font(family, "", 8)
                    self.cell(0, 5, header, new_x="LMARGIN", new_y="NEXT")
                    self.ln(4)

            def footer(self) -> None:
                if page_numbers:
                    self.set_y(-15)
                    self.set_font(family, "", 8)
                    self.cell(0, 5, f"Page {self.page_no()} of {total}", align="C")

        pdf = Doc()
        family = "helvetica"
        if font is not None:
            pdf.add_font("uni", "", str(font))
            bold = font.with_name(font.stem + "-Bold" + font.suffix)
            pdf.add_font("uni", "B", str(bold if bold.exists() else font))
            family = "uni"
        if password is not None:
            from fpdf.enums import EncryptionMethod

            method = {"rc4": EncryptionMethod.RC4, "aes128": EncryptionMethod.AES_128,
                      "aes256": EncryptionMethod.AES_256}[encryption]
            pdf.set_encryption(owner_password="owner-" + password, user_password=password,
                               encryption_method=method)
        for items in pages:
            pdf.add_page()
            for style, text in items:
                if style == "shape":
                    pdf.set_fill_color(90, 120, 200)
                    pdf.rect(pdf.l_margin, pdf.get_y(), 120, 40, style="F")
                    pdf.set_y(pdf.get_y() + 45)
                    continue
                emphasis, size = PDF_STYLES[style]
                pdf.set_font(family, emphasis, size)
                if style == "li":
                    text = "- " + text
                if style in ("title", "h1", "h2"):
                    pdf.ln(2)
                pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(3 if style == "p" else 1)
        out = (folder or tmp_path) / name
        out.parent.mkdir(parents=True, exist_ok=True)
        pdf.output(str(out))
        return out

    return factory


DocxItem = tuple[str, object]  # (kind, text or rows)


@pytest.fixture
def make_docx(tmp_path: Path) -> Callable[..., Path]:
    """Write a small DOCX and return its path.

    make_docx([("title", "..."), ("h1", "..."), ("p", "..."), ("bullet", "..."), ("number", "..."),
               ("table", [["a", "b"], ["c", "d"]])], name="doc.docx", core_title=None)
    """
    import docx

    def factory(items: Sequence[DocxItem], name: str = "doc.docx", *, core_title: str | None = None,
                folder: Path | None = None) -> Path:
        document = docx.Document()
        if core_title is not None:
            document.core_properties.title = core_title
        for kind, value in items:
            if kind == "title":
                document.add_heading(str(value), level=0)
            elif kind in ("h1", "h2", "h3"):
                document.add_heading(str(value), level=int(kind[1]))
            elif kind == "p":
                document.add_paragraph(str(value))
            elif kind == "bullet":
                document.add_paragraph(str(value), style="List Bullet")
            elif kind == "number":
                document.add_paragraph(str(value), style="List Number")
            elif kind == "table":
                rows = value  # type: ignore[assignment]
                table = document.add_table(rows=len(rows), cols=len(rows[0]))
                for r, row in enumerate(rows):
                    for c, cell in enumerate(row):
                        table.cell(r, c).text = cell
            else:
                raise ValueError(f"unknown docx item kind {kind!r}")
        out = (folder or tmp_path) / name
        out.parent.mkdir(parents=True, exist_ok=True)
        document.save(str(out))
        return out

    return factory


# -- the command line --------------------------------------------------------------------------------
@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess]:
    """Run `python -m stratlens ARGS` in a subprocess (cwd tmp_path), with os.environ plus `env`."""

    def run(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
        full_env = dict(os.environ)
        full_env.pop("STRATLENS_DEBUG", None)
        full_env.update(env or {})
        return subprocess.run([sys.executable, "-m", "stratlens", *map(str, args)], capture_output=True,
                              text=True, env=full_env, cwd=cwd or tmp_path, timeout=timeout)

    return run


@pytest.fixture
def cli_main(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Call stratlens.cli.main(argv) in this process; returns (exit code, stdout, stderr)."""
    from stratlens.cli import main

    def run(*args: str | Path) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return code, out, err

    return run


# -- text samples ------------------------------------------------------------------------------------
ENGLISH_PARAGRAPHS = [
    "We will redesign our most used online services with the residents who rely on them, testing every "
    "change with real users before it goes live.",
    "Our data will be published openly by default, so that partners and communities can build on it and "
    "hold the council to account for its decisions.",
    "Staff across the council will be supported to build digital skills, with a learning programme that "
    "starts in the first year of this strategy.",
    "We will work with neighbouring councils to share platforms where that saves money and improves the "
    "experience of people who use our services.",
]
WELSH_PARAGRAPH = (
    "Byddwn yn gweithio gyda thrigolion i ailgynllunio ein gwasanaethau digidol, ac rydym am sicrhau bod "
    "pob gwasanaeth ar gael yn Gymraeg ac yn Saesneg. Mae'r cyngor wedi ymrwymo i gefnogi cymunedau lleol "
    "drwy'r strategaeth hon."
)


@pytest.fixture
def english() -> list[str]:
    return list(ENGLISH_PARAGRAPHS)


@pytest.fixture
def welsh() -> str:
    return WELSH_PARAGRAPH
