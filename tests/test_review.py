"""The review loop: decisions are stored and become evaluation and training data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from stratlens.pipeline import ingest_paths
from stratlens.store import Store

DOC = """# Glanfa Council digital strategy 2025

## Connectivity
We will work with network operators to bring gigabit broadband to the twelve villages that still
rely on copper lines, and we will map mobile not-spots along the A470 corridor by March 2026.

## Cyber security
Every member of staff will complete phishing awareness training each year, and we will rehearse our
ransomware recovery plan with the emergency planning team twice a year.

## Helping people get online
Residents without a device at home can borrow a tablet with free data from any library, and our
digital champions run drop-in sessions every week for people who have never used the internet.
"""


def test_review_records_decisions(tmp_path: Path) -> None:
    doc = tmp_path / "glanfa.md"
    doc.write_text(DOC, encoding="utf-8")
    db = tmp_path / "r.db"
    with Store(db) as store:
        ingest_paths(store, [doc])
    proc = subprocess.run([sys.executable, "-m", "stratlens", "review", "--limit", "3", "--reviewer", "test",
                           "--db", str(db)], input="a\n10,1\nq\n", capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    with Store(db) as store:
        reviews = store.reviews("lga-digitalisation-outcomes")
    assert [r["decision"] for r in reviews] == ["accepted", "corrected"]
    assert reviews[1]["labels"] == ["security-and-resilience", "connectivity"]
    assert all(r["reviewer"] == "test" and r["text"] for r in reviews)

    proc = subprocess.run([sys.executable, "-m", "stratlens", "evaluate", "-f", "lga-digitalisation-outcomes",
                           "--reviews", "--db", str(db), "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["passages"] == 2


def test_the_classifier_main_theme_is_its_best_assigned_one() -> None:
    """What an accepted review stores first (CLI and web alike): training reads it as primary."""
    from stratlens.classify.review import main_theme

    scores = {"data": 0.7, "ethics-and-sustainability": 0.9, "services": 0.2}
    assert main_theme(scores, ["data", "services"]) == "data"  # the top theme was not assigned
    assert main_theme(scores, []) == "ethics-and-sustainability"  # none assigned: the top theme
    assert main_theme({}, []) is None
