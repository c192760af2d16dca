"""Hostile files: every crafted bad file gets its one clear error line (or is read safely), and
the good files ingested in the same folder, in the same run, are all stored as if alone.

The set comes from scripts/make_hostile.py; the big files are made here, in tmp_path.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from stratlens.config import Limits
from stratlens.ingest import read_file
from stratlens.ingest.dispatch import display_name
from stratlens.pipeline import ingest_paths
from stratlens.segment import segment
from stratlens.store import Store

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "src" / "stratlens" / "examples" / "corpus"
GOOD = ["brynhafod-digital-strategy-2024.pdf", "ashcombe-vale-customer-digital-strategy-2022.docx",
        "hollowbrook-digital-strategy-2024.html", "ravensclough-digital-vision-2023.txt"]


def _maker() -> Any:
    spec = importlib.util.spec_from_file_location("make_hostile", REPO / "scripts" / "make_hostile.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("hostile") / "in"
    expected = _maker().make(folder)
    for name in GOOD:  # the good files sit among the bad ones, in the order a folder walk meets them
        shutil.copy(EXAMPLES / name, folder / name)
    alone = {name: len(segment(read_file(EXAMPLES / name)[0].blocks)) for name in GOOD}
    db = folder.parent / "store.db"
    with Store(db) as store:
        report = ingest_paths(store, [folder], classify=False)
    return {"folder": folder, "expected": expected, "alone": alone, "report": report, "db": db}


def test_at_least_fifty_bad_files(hostile: dict[str, Any]) -> None:
    expected = hostile["expected"]
    assert len(expected) >= 50
    assert sum(1 for status, _ in expected.values() if status == "failed") >= 45


def test_every_outcome(hostile: dict[str, Any]) -> None:
    by_name = {Path(o.path).name: o for o in hostile["report"].outcomes}
    expected = {display_name(k): v for k, v in hostile["expected"].items()}
    assert set(by_name) == set(expected) | set(GOOD)
    wrong = []
    for name, (status, pattern) in expected.items():
        o = by_name[name]
        if o.status != status or not re.search(pattern, o.message):
            wrong.append(f"{name!r}: expected {status} /{pattern}/, got {o.status}: {o.message}")
        if status == "failed":
            assert "\n" not in o.message and name in o.message
            assert "unexpected error" not in o.message
    assert not wrong, "\n".join(wrong)


def test_good_files_are_not_lost(hostile: dict[str, Any]) -> None:
    by_name = {Path(o.path).name: o for o in hostile["report"].outcomes}
    for name, passages in hostile["alone"].items():
        assert by_name[name].status == "added"
        assert by_name[name].passages == passages


def test_store_is_clean(hostile: dict[str, Any]) -> None:
    conn = sqlite3.connect(hostile["db"])
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        added = sum(1 for o in hostile["report"].outcomes if o.status == "added")
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == added
        longest = conn.execute("SELECT max(length(text)) FROM passages").fetchone()[0]
        assert longest <= Limits().max_passage_chars
        for marker in ("SECRET", "root:x:0", "app.alert", "\x00"):
            hits = conn.execute("SELECT count(*) FROM passages WHERE instr(text, ?) > 0", (marker,)).fetchone()[0]
            assert hits == 0, marker
        assert conn.execute("SELECT count(*) FROM documents WHERE source LIKE '%caf_-latin1-name.txt'").fetchone()[0] == 1
    finally:
        conn.close()


def test_cli_prints_one_line_per_bad_file(hostile: dict[str, Any]) -> None:
    db = hostile["folder"].parent / "cli.db"
    run = subprocess.run([sys.executable, "-m", "stratlens", "ingest", str(hostile["folder"]), "--no-classify",
                          "--db", str(db)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 1
    lines = run.stderr.splitlines()
    failed = [n for n, (status, _) in hostile["expected"].items() if status == "failed"]
    assert len(lines) == len(failed), run.stderr[-3000:]
    assert all(line.startswith("failed: ") for line in lines), run.stderr[-3000:]
    for name in failed:
        assert sum(display_name(name) in line for line in lines) >= 1, name
    assert "Traceback" not in run.stderr
    added = sum(1 for status, _ in hostile["expected"].values() if status == "added") + len(GOOD)
    assert f"{added} added" in run.stdout


def test_committed_small_set_is_what_the_script_makes(tmp_path: Path) -> None:
    committed = REPO / "tests" / "data" / "hostile"
    made = tmp_path / "hostile"
    _maker().make(made, small=True)
    names = sorted(p.name for p in made.iterdir())
    assert names == sorted(p.name for p in committed.iterdir())
    for name in names:
        assert (made / name).read_bytes() == (committed / name).read_bytes(), name
