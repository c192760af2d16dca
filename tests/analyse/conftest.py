"""Fixtures for the analysis tests: the example corpus ingested once per session with the real
classifier, its answer key, and small documents written in the tests.

The answer key (tests/data/examples_expected.yaml) is true by construction; documents are found
in the store by file name, so the key's ids ('wyvernshire-2025') map to store ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from stratlens.analyse.text import DocText, sentences, units
from stratlens.lang import detect_language
from stratlens.store import Store

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "src" / "stratlens" / "examples" / "corpus"
KEY = yaml.safe_load((ROOT / "tests" / "data" / "examples_expected.yaml").read_text(encoding="utf-8"))


@dataclass
class Corpus:
    store: Store
    ids: dict[str, int]            # answer-key id -> document id
    key: dict[str, Any]            # answer-key id -> its entry

    def doc(self, key_id: str) -> int:
        return self.ids[key_id]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    from stratlens.pipeline import ingest_paths

    db = tmp_path_factory.mktemp("corpus") / "stratlens.db"
    store = Store(db)
    report = ingest_paths(store, [CORPUS])
    assert not report.failed, [o.message for o in report.failed]
    by_file = {Path(d["source"]).name: d["id"] for d in store.documents()}
    ids = {k["id"]: by_file[k["file"]] for k in KEY["documents"]}
    try:
        yield Corpus(store, ids, {k["id"]: k for k in KEY["documents"]})
    finally:
        store.close()


@pytest.fixture
def corpus_copy(corpus: Corpus, tmp_path: Path) -> Path:
    """A copy of the corpus store to write to (SQLite's backup API: the store runs in WAL mode, so
    copying the file alone could miss recent writes)."""
    import sqlite3

    target = tmp_path / "copy.db"
    dst = sqlite3.connect(target)
    corpus.store.conn.backup(dst)
    dst.close()
    return target


@pytest.fixture(scope="session")
def key() -> dict[str, Any]:
    return KEY


@pytest.fixture(scope="session")
def analysis(corpus: Corpus) -> dict[str, Any]:
    """Every analysis of every document, computed once (what the report shows)."""
    from stratlens.analyse.corpus import analyse_corpus

    return analyse_corpus(corpus.store)


@pytest.fixture(scope="session")
def make_doc():
    """make_doc([(heading, paragraph), ...], title=..., language=...) -> DocText."""
    return _make_doc


def _make_doc(sections: list[tuple[str, str]], *, title: str = "Digital strategy 2024-2027", doc_id: int = 1,
              language: str | None = None) -> DocText:
    """A document written in a test: (heading, paragraph) pairs become units and sentences."""
    passages = []
    for i, (heading, text) in enumerate(sections):
        passages.append({"id": i + 1, "seq": i, "text": text, "page": None, "heading": f"{title} > {heading}",
                         "lang": detect_language(text)})
    us = units(passages)
    lang = language or (passages[0]["lang"] if passages else "en")
    document = {"id": doc_id, "council_id": "testshire", "council": "Testshire", "title": title, "year": 2024,
                "nation": "England", "language": lang}
    return DocText(document, us, sentences(us))
