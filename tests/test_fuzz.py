"""A small, bounded run of the reader fuzzer (bench/fuzz.py runs it for longer)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("hypothesis")

REPO = Path(__file__).resolve().parents[1]


def _fuzz():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("stratlens_fuzz", REPO / "bench" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("fmt", ["pdf", "docx", "docx-xml", "html", "txt", "md"])
def test_mutated_documents_read_or_fail_cleanly(fmt: str, tmp_path: Path) -> None:
    examples = 15 if fmt == "pdf" else 40  # pdfminer is the slow one
    _fuzz().run(fmt.replace("-xml", ""), examples, tmp_path, xml=fmt == "docx-xml")
