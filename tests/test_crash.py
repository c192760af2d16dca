"""SIGKILL in the middle of `stratlens ingest` leaves a consistent store; the rerun completes it.

Each document is written in one transaction (WAL journal), so a kill can only lose the
document in flight, and running the same command again adds exactly the missing documents.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stratlens.ingest import read_file
from stratlens.pipeline import classifiable_frameworks
from stratlens.segment import segment

DOCS = 24
SENTENCES = [
    "We will redesign online services for {who} and test every change with them before it goes live.",
    "Data about {what} will be published openly so that partners can build on it.",
    "Staff will learn digital skills through a programme that starts in {year}.",
    "We will share platforms for {what} with neighbouring councils where that saves money.",
    "Residents who cannot get online will keep telephone and face-to-face help with {what}.",
    "Cyber security training for {who} will be refreshed every year from {year}.",
]


def _corpus(folder: Path) -> dict[str, int]:
    """DOCS text files of 15 paragraphs each; returns expected passages per file."""
    rng = random.Random(3)
    folder.mkdir()
    expected = {}
    for d in range(DOCS):
        paras = []
        for p in range(15):
            words = dict(who=rng.choice(["tenants", "carers", "staff", "businesses"]),
                         what=rng.choice(["waste", "housing", "parking", "care"]), year=2024 + (d + p) % 6)
            paras.append(" ".join(s.format(**words) for s in rng.sample(SENTENCES, 3)) + f" (ref {d}.{p})")
        path = folder / f"strategy-{d:02d}.txt"
        path.write_text(f"Council digital strategy part {d}\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
        expected[str(path)] = len(segment(read_file(path)[0].blocks))
    return expected


def _documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # not created yet, or busy
        return 0


def _check_consistent(db: Path, expected: dict[str, int], themes: int, frameworks: int) -> int:
    """Every invariant a half-written document would break; returns the number of documents."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check')")  # raises if out of sync
        q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
        assert q("SELECT count(*) FROM passages WHERE document_id NOT IN (SELECT id FROM documents)") == [(0,)]
        assert q("SELECT count(*) FROM labels WHERE passage_id NOT IN (SELECT id FROM passages)") == [(0,)]
        assert q("SELECT count(*) FROM classifier_runs WHERE document_id NOT IN (SELECT id FROM documents)") == [(0,)]
        assert q("SELECT count(*) FROM passages_fts") == q("SELECT count(*) FROM passages")
        docs = q("SELECT d.id, d.source, (SELECT count(*) FROM passages p WHERE p.document_id = d.id),"
                 " (SELECT count(*) FROM classifier_runs r WHERE r.document_id = d.id),"
                 " (SELECT count(*) FROM labels l JOIN passages p ON p.id = l.passage_id WHERE p.document_id = d.id)"
                 " FROM documents d")
        for _, source, passages, runs, labels in docs:  # no half documents
            assert passages == expected[source], source
            assert runs == frameworks, source
            assert labels == passages * themes, source
        sources = [d[1] for d in docs]
        assert len(sources) == len(set(sources))
        return len(docs)
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_mid_ingest_then_rerun(tmp_path: Path) -> None:
    from stratlens.classify import get_classifier

    expected = _corpus(tmp_path / "corpus")
    frameworks = classifiable_frameworks()
    themes = sum(len(get_classifier(f).theme_ids) for f in frameworks)
    db = tmp_path / "store.db"
    cmd = [sys.executable, "-m", "stratlens", "ingest", str(tmp_path / "corpus"), "--db", str(db)]
    env = {k: v for k, v in os.environ.items() if k != "STRATLENS_DEBUG"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 240
        while _documents(db) < 3:
            assert proc.poll() is None, "ingest ended before it could be killed"
            assert time.monotonic() < deadline, "ingest committed no documents in time"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    done = _check_consistent(db, expected, themes, len(frameworks))
    assert 3 <= done < DOCS, f"{done} documents: the kill was not mid-run"

    rerun = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"{DOCS - done} added, {done} skipped, 0 failed" in rerun.stdout
    assert _check_consistent(db, expected, themes, len(frameworks)) == DOCS
