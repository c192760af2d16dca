"""The bundled example corpus: fictional council digital strategies for demos and tests.

``corpus/`` holds nine documents (PDF, DOCX, HTML, Markdown, plain text; one in Welsh; one
council in two editions) and ``manifest.csv`` describing them. ``sources/`` holds the text from
which ``scripts/make_examples.py`` builds the PDF and DOCX files. The answer key that tests use
is ``tests/data/examples_expected.yaml`` in the repository. Every council named here is
invented; see README.md in this folder.
"""

from __future__ import annotations

from pathlib import Path

EXAMPLES_DIR = Path(__file__).resolve().parent
CORPUS_DIR = EXAMPLES_DIR / "corpus"
MANIFEST = CORPUS_DIR / "manifest.csv"

__all__ = ["CORPUS_DIR", "EXAMPLES_DIR", "MANIFEST"]
