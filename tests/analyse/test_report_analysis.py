"""The analysis sections of the static report: present in English and Welsh, accessible, escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from stratlens.present.report import build, render_html, strings


@pytest.fixture(scope="module")
def pages(corpus, analysis) -> dict[str, str]:
    data = build(corpus.store)
    return {lang: render_html(data, lang, analysis) for lang in ("en", "cy")}


def test_sections_per_document(corpus, pages) -> None:
    html = pages["en"]
    for key_id in corpus.key:
        did = corpus.doc(key_id)
        for section in ("type", "audit", "commitments", "gaps", "ladder", "plain"):
            assert f'id="{section}-{did}"' in html, (key_id, section)
    b24 = corpus.doc("brynhafod-2024")
    assert f'id="editions-{b24}"' in html and f'id="editions-{corpus.doc("brynhafod-2019")}"' not in html
    assert 'id="corpus-gaps"' in html and "analysis.json" in html


def test_welsh_report(pages) -> None:
    cy, s = pages["cy"], strings()["cy"]
    assert '<html lang="cy">' in cy
    for key in ("audit_heading", "ladder_heading", "editions_heading", "status_met", "plain_heading"):
        assert s[key].replace("'", "&#39;") in cy, key
    assert s["english_only_note"].replace("'", "&#39;") in cy
    assert 'lang="en"' in cy  # English-only explanations are marked


def test_tables_are_accessible(pages) -> None:
    html = pages["en"]
    tables = re.findall(r"<table>(.*?)</table>", html, flags=re.S)
    assert len(tables) > 9 * 4
    for t in tables:
        assert "<caption>" in t and 'scope="col"' in t
    # status is said in words, never by colour alone
    assert "Partly met" in html and "Not met" in html


def test_analysis_json_written_with_the_report(corpus, tmp_path: Path) -> None:
    """write_report adds analysis.json; checked on a one-document store to keep it quick."""
    from stratlens.pipeline import ingest_paths
    from stratlens.present.report import write_report
    from stratlens.store import Store

    doc = tmp_path / "evil.md"
    doc.write_text("# Digital strategy of Evilton Council 2024\n\nBy March 2026 we will bring full fibre to every "
                   "school <script>alert('x')</script>. Owner: Head of <b>ICT</b>.\n", encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        ingest_paths(store, [doc])
        index = write_report(store, tmp_path / "r")
    html = index.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<b>ICT" not in html
    data = json.loads((tmp_path / "r" / "analysis.json").read_text(encoding="utf-8"))
    [entry] = data["documents"].values()
    assert entry["audit"]["commitments"][0]["date"] == "2026-03"
