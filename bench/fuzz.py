"""Fuzz the readers: mutated real documents must give a ReadResult or one IngestError, never
another exception, a hang or a crash.

    python bench/fuzz.py [--examples 2000] [--format pdf]

Seeds are the bundled example documents; hypothesis flips, deletes, inserts and truncates
bytes (for DOCX also inside word/document.xml, re-zipped, to get past the zip layer). A
failure prints the shrunk input's size and the exception, and saves it under fuzz-failures/.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from stratlens.config import Limits  # noqa: E402
from stratlens.errors import IngestError  # noqa: E402
from stratlens.ingest import read_file  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "src" / "stratlens" / "examples" / "corpus"
SEEDS = {"pdf": "erwen-strategaeth-ddigidol-2023.pdf", "docx": "ashcombe-vale-customer-digital-strategy-2022.docx",
         "html": "aldchester-smart-city-strategy-2021.html", "txt": "ravensclough-digital-vision-2023.txt",
         "md": "strathmorven-digital-strategy-2023.md"}
#: Small limits so that a mutation that inflates something is cut short quickly.
LIMITS = Limits(max_file_bytes=4 << 20, max_pages=50, max_decompressed_bytes=32 << 20, max_text_chars=400_000,
                max_page_chars=100_000, max_read_seconds=30)


def mutations(size: int) -> st.SearchStrategy:
    pos = st.integers(min_value=0, max_value=max(0, size - 1))
    op = st.one_of(
        st.tuples(st.just("flip"), pos, st.integers(0, 255)),
        st.tuples(st.just("delete"), pos, st.integers(1, 64)),
        st.tuples(st.just("insert"), pos, st.binary(min_size=1, max_size=64)),
        st.tuples(st.just("truncate"), pos, st.just(0)),
        st.tuples(st.just("repeat"), pos, st.integers(2, 50)),
    )
    return st.lists(op, min_size=1, max_size=8)


def mutate(data: bytes, ops: list[tuple]) -> bytes:
    b = bytearray(data)
    for kind, at, arg in ops:
        at = min(at, max(0, len(b) - 1))
        if kind == "flip" and b:
            b[at] = arg
        elif kind == "delete":
            del b[at:at + arg]
        elif kind == "insert":
            b[at:at] = arg
        elif kind == "truncate":
            del b[at:]
        elif kind == "repeat":
            b[at:at] = bytes(b[at:at + 16]) * arg
    return bytes(b)


def mutate_docx_xml(data: bytes, ops: list[tuple]) -> bytes:
    """Mutate word/document.xml inside the archive and zip it again."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/document.xml":
                body = mutate(body, ops)
            zf.writestr(info.filename, body)
    return out.getvalue()


def check(data: bytes, suffix: str, folder: Path) -> None:
    """The property: a ReadResult or an IngestError with a one-line message naming the file."""
    path = folder / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        result, _ = read_file(path, LIMITS)
        assert result.blocks is not None
    except IngestError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)


def run(fmt: str, examples: int, folder: Path, xml: bool = False) -> None:
    seed = (CORPUS / SEEDS[fmt]).read_bytes()
    if xml:
        seed_xml = zipfile.ZipFile(io.BytesIO(seed)).read("word/document.xml")
        strategy = mutations(len(seed_xml))
    else:
        strategy = mutations(len(seed))

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def prop(ops: list[tuple]) -> None:
        data = mutate_docx_xml(seed, ops) if xml else mutate(seed, ops)
        try:
            check(data, "." + fmt, folder)
        except Exception:
            saved = Path("fuzz-failures")
            saved.mkdir(exist_ok=True)
            (saved / f"{fmt}-{len(data)}.{fmt}").write_bytes(data)
            raise

    prop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=2000)
    ap.add_argument("--format", choices=[*SEEDS, "docx-xml"], action="append")
    args = ap.parse_args()
    formats = args.format or [*SEEDS, "docx-xml"]
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            start = time.perf_counter()
            run(fmt.replace("-xml", ""), args.examples, Path(tmp), xml=fmt == "docx-xml")
            print(f"{fmt}: {args.examples} mutated inputs, no failure ({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
