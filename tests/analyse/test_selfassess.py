"""Self-assessment: the migration, pre-fill from evidence, the council's own answers, maturity,
export and peers."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from stratlens.analyse import selfassess as sa
from stratlens.analyse.ladder import ActionEvidence, Ladder, OutcomeLadder
from stratlens.errors import StratlensError
from stratlens.store import Store
from stratlens.store.db import SCHEMA_VERSION


def test_migration_adds_the_table(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db"):
        pass
    conn = sqlite3.connect(tmp_path / "s.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 3
    cols = {r[1] for r in conn.execute("PRAGMA table_info(self_assessments)")}
    assert {"council_id", "action_id", "outcome_id", "stage", "status", "source", "evidence", "note"} <= cols
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO self_assessments (council_id, action_id, outcome_id, stage, status, source, updated_at)"
                     " VALUES ('x', 'data.1.1', 'data', 1, 'maybe', 'council', 'now')")


def test_prefill_statuses_follow_the_evidence() -> None:
    rows = [ActionEvidence("data.1.1", 1, "Meet the Data Protection Act", True, 0.7, "We have appointed a DPO.",
                           tense="past"),
            ActionEvidence("data.1.2", 1, "Know the DPO", True, 0.6, "We will appoint a DPO.", tense="future"),
            ActionEvidence("data.1.3", 1, "Adopt a data ethics framework", False, 0.2)]
    lad = Ladder({"id": 1}, [OutcomeLadder("data", "Data", None, 1, rows)])
    answers = sa.prefill_from(lad, "testshire")
    assert [a.status for a in answers] == ["done", "in-progress", "not-started"]
    assert all(a.source == "evidence" for a in answers)
    [m] = [m for m in sa.maturity(answers) if m.outcome_id == "data"]
    assert (m.done, m.in_progress, m.stage, m.stage_with_in_progress) == (1, 1, 1, 1)
    assert m.score == pytest.approx((1 + 0.5) / 3, abs=1e-4)


def test_council_answers_are_kept_and_exported(corpus_copy: Path) -> None:
    with Store(corpus_copy) as store:
        before = sa.answers(store, "wyvernshire")
        assert len(before) == 108 and {a.status for a in before} <= set(sa.STATUSES)
        sa.set_answers(store, "wyvernshire", [sa.parse_assignment("connectivity.1.1=done"),
                                              sa.parse_assignment("data.3.3=in progress")], note="board paper", by="tester")
        after = {a.action_id: a for a in sa.answers(store, "wyvernshire")}   # a new pre-fill keeps them
        assert (after["connectivity.1.1"].status, after["connectivity.1.1"].source) == ("done", "council")
        assert after["data.3.3"].status == "in-progress" and after["data.3.3"].note == "board paper"
        rows = list(csv.DictReader(io.StringIO(sa.to_csv(list(after.values())))))
        assert len(rows) == 108 and set(sa.CSV_FIELDS) == set(rows[0])
        data = json.loads(sa.to_json(list(after.values())))
        assert len(data["answers"]) == 108 and len(data["maturity"]) == 12
        with pytest.raises(StratlensError):
            sa.set_answers(store, "wyvernshire", [("data.9.9", "done")])
        with pytest.raises(StratlensError):
            sa.set_answers(store, "wyvernshire", [("data.1.1", "maybe")])
        group, peers, comparison = sa.compare_with_peers(store, "wyvernshire")
        assert group == "nation" and "Aldchester" in peers and len(comparison) == 12
        assert all(0 <= c.score <= 1 and c.peers == len(peers) for c in comparison)


def test_ladder_round_trips_through_as_dict() -> None:
    rows = [ActionEvidence("data.1.1", 1, "Meet the Data Protection Act", True, 0.7, "We have a DPO.", 12, 3,
                           "Data", "past"),
            ActionEvidence("data.1.2", 1, "Know the DPO", False, 0.2)]
    lad = Ladder({"id": 4, "council_id": "x", "council": "X", "title": "T", "year": 2024},
                 [OutcomeLadder("data", "Data", "Data", 1, rows, [rows[1]], [{"council": "Y"}])])
    back = Ladder.from_dict(lad.as_dict())
    assert back.as_dict() == lad.as_dict()

    def timeless(answers: list[sa.Answer]) -> list[dict]:
        return [{**a.as_dict(), "updated_at": None} for a in answers]

    assert timeless(sa.prefill_from(back, "x")) == timeless(sa.prefill_from(lad, "x"))


def test_peers_done_counts_each_peer_once() -> None:
    def answer(action: str, status: str) -> sa.Answer:
        return sa.Answer("p", "data", action, 1, "", status, "evidence", None, None, None, None, "", None)

    peers = {"A": [answer("data.1.1", "done"), answer("data.1.2", "in-progress")],
             "B": [answer("data.1.1", "done"), answer("data.1.2", "done")], "C": [answer("data.1.1", "not-started")]}
    assert sa.peers_done(peers) == {"data.1.1": 2, "data.1.2": 1}


def test_reset_returns_answers_to_the_prefill(corpus_copy: Path) -> None:
    with Store(corpus_copy) as store:
        prefill = {a.action_id: a.status for a in sa.answers(store, "wyvernshire", save=False)}
        changed = [("connectivity.1.1", "done"), ("data.3.3", "done"), ("value.1.1", "not-started")]
        sa.set_answers(store, "wyvernshire", changed)
        assert sa.reset_answers(store, "wyvernshire", ["data.3.3"]) == 1
        now = {a.action_id: a for a in sa.answers(store, "wyvernshire")}
        assert (now["data.3.3"].status, now["data.3.3"].source) == (prefill["data.3.3"], "evidence")
        assert now["connectivity.1.1"].source == "council"
        assert sa.reset_answers(store, "wyvernshire") == 2   # all the rest
        assert {a.action_id: a.status for a in sa.answers(store, "wyvernshire")} == prefill
        assert sa.reset_answers(store, "wyvernshire") == 0
        with pytest.raises(StratlensError):
            sa.reset_answers(store, "wyvernshire", ["data.9.9"])
