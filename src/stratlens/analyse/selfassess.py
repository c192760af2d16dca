"""Self-assessment against the LGA practice ladder: every action done, in progress or not started.

Pre-fill (from the council's latest strategy, via analyse/ladder.py): an action the strategy
evidences in the past tense ("we have", "we launched", "already") is done; one it evidences as
a promise or in the present tense is in progress; one it does not evidence is not started. The
council then edits any answer; its answers are kept apart (source 'council') and a later pre-fill
never overwrites them. Maturity per outcome is the ladder stage reached by the actions marked
done (the ladder's own cumulative rule; also shown counting the actions in progress) and a score: (done + half of in progress) / 9.
Peers are compared on those scores, outcome by outcome.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from statistics import median
from typing import Any

from stratlens.analyse.gaps import latest_per_council, peers_of
from stratlens.analyse.ladder import Ladder, ladder, stage_reached
from stratlens.analyse.text import latest_document
from stratlens.errors import StratlensError
from stratlens.frameworks import LGA_ID, load_framework
from stratlens.store import Store

STATUSES = ("done", "in-progress", "not-started")
#: How a caller supplies a council's pre-fill (council id -> answers); the default reads the
#: strategy again, the web app passes ladders it already computed.
Prefill = Callable[[str], list["Answer"]]
CSV_FIELDS = ["council_id", "outcome_id", "action_id", "stage", "action", "status", "source", "document_id",
              "evidence", "page", "note", "updated_at", "updated_by"]


@dataclass
class Answer:
    council_id: str
    outcome_id: str
    action_id: str
    stage: int
    action: str
    status: str
    source: str                 # evidence | council
    document_id: int | None
    evidence: str | None
    page: int | None
    note: str | None
    updated_at: str
    updated_by: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Maturity:
    outcome_id: str
    name: str
    stage: int
    stage_with_in_progress: int
    done: int
    in_progress: int
    not_started: int
    score: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _actions() -> dict[str, tuple[str, int, str]]:
    """action id -> (outcome id, stage, text)."""
    lga = load_framework(LGA_ID)
    return {a.id: (t.id, p.stage, a.text.strip()) for t in lga.themes for p in t.practices for a in p.actions}


def prefill_from(lad: Ladder, council_id: str) -> list[Answer]:
    now = _now()
    out = []
    for o in lad.outcomes:
        for a in o.actions:
            if not a.evidenced:
                status = "not-started"
            elif a.tense == "past":
                status = "done"
            else:
                status = "in-progress"
            out.append(Answer(council_id, o.outcome, a.action, a.stage, a.text, status, "evidence",
                              lad.document["id"], a.quote, a.page, None, now, None))
    return out


def prefill(store: Store, council: str) -> list[Answer]:
    """Answers read from the council's latest strategy (not saved)."""
    doc = latest_document(store, council)
    return prefill_from(ladder(store, doc["id"], with_peers=False), doc["council_id"])


def answers(store: Store, council: str, *, save: bool = True, prefill_of: Prefill | None = None) -> list[Answer]:
    """The council's answers: its own where it gave them, the pre-fill elsewhere. With `save`, the
    pre-fill is stored (refreshing earlier pre-filled answers, never the council's own).
    `prefill_of` replaces reading the strategy again (same answers, computed elsewhere)."""
    filled = prefill_of(council) if prefill_of else prefill(store, council)
    council_id = filled[0].council_id if filled else council
    stored = {a.action_id: a for a in _stored(store, council_id)}
    merged = [stored[a.action_id] if a.action_id in stored and stored[a.action_id].source == "council" else a
              for a in filled]
    if save:
        with store.transaction() as conn:
            for a in merged:
                if a.source == "evidence":
                    _upsert(conn, a)
    return merged


def _stored(store: Store, council_id: str) -> list[Answer]:
    actions = _actions()
    rows = store.conn.execute("SELECT * FROM self_assessments WHERE council_id = ? ORDER BY action_id",
                              (council_id,)).fetchall()
    return [Answer(r["council_id"], r["outcome_id"], r["action_id"], r["stage"], actions.get(r["action_id"], ("", 0, ""))[2],
                   r["status"], r["source"], r["document_id"], r["evidence"], r["page"], r["note"], r["updated_at"],
                   r["updated_by"]) for r in rows]


def _upsert(conn, a: Answer) -> None:
    conn.execute(
        "INSERT INTO self_assessments (council_id, action_id, outcome_id, stage, status, source, document_id, evidence,"
        " page, note, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(council_id, action_id) DO UPDATE SET status=excluded.status, source=excluded.source,"
        " document_id=excluded.document_id, evidence=excluded.evidence, page=excluded.page, note=excluded.note,"
        " updated_at=excluded.updated_at, updated_by=excluded.updated_by",
        (a.council_id, a.action_id, a.outcome_id, a.stage, a.status, a.source, a.document_id, a.evidence, a.page,
         a.note, a.updated_at, a.updated_by))


def set_answer(store: Store, council: str, action_id: str, status: str, *, note: str | None = None,
               by: str | None = None) -> Answer:
    """Record the council's own answer for one action."""
    return set_answers(store, council, [(action_id, status)], note=note, by=by)[0]


def set_answers(store: Store, council: str, changes: list[tuple[str, str]], *, note: str | None = None,
                by: str | None = None, prefill_of: Prefill | None = None) -> list[Answer]:
    """Record the council's own answers (action id, status); all or none are saved."""
    actions = _actions()
    for action_id, status in changes:
        if status not in STATUSES:
            raise StratlensError(f"status {status!r}: use one of {', '.join(STATUSES)}")
        if action_id not in actions:
            raise StratlensError(f"unknown ladder action {action_id!r} (ids look like 'data.2.3')")
    current = {a.action_id: a for a in answers(store, council, prefill_of=prefill_of)}
    out = []
    for action_id, status in changes:
        base = current[action_id]
        outcome, stage, text = actions[action_id]
        out.append(Answer(base.council_id, outcome, action_id, stage, text, status, "council", base.document_id,
                          base.evidence, base.page, note if note is not None else base.note, _now(), by))
    with store.transaction() as conn:
        for a in out:
            _upsert(conn, a)
    return out


def reset_answers(store: Store, council: str, action_ids: list[str] | None = None) -> int:
    """Drop the council's own answers (all, or those of `action_ids`) so that the pre-fill from its
    strategy applies again; returns how many were dropped. Pre-filled rows are left alone."""
    actions = _actions()
    for action_id in action_ids or []:
        if action_id not in actions:
            raise StratlensError(f"unknown ladder action {action_id!r} (ids look like 'data.2.3')")
    council_id = latest_document(store, council)["council_id"]
    sql = "DELETE FROM self_assessments WHERE council_id = ? AND source = 'council'"
    params: list[Any] = [council_id]
    if action_ids:
        sql += f" AND action_id IN ({','.join('?' * len(action_ids))})"
        params += list(action_ids)
    with store.transaction() as conn:
        return conn.execute(sql, params).rowcount


def parse_assignment(text: str) -> tuple[str, str]:
    """'data.2.3=done' -> ('data.2.3', 'done')."""
    action, sep, status = text.partition("=")
    if not sep:
        raise StratlensError(f"--set {text!r}: expected ACTION=STATUS, e.g. data.2.3=done")
    return action.strip(), status.strip().lower().replace("_", "-").replace(" ", "-")


def maturity(rows: list[Answer]) -> list[Maturity]:
    lga = load_framework(LGA_ID)
    out = []
    for t in lga.themes:
        mine = [r for r in rows if r.outcome_id == t.id]
        done = [r for r in mine if r.status == "done"]
        prog = [r for r in mine if r.status == "in-progress"]
        by_stage = {k: sum(1 for r in done if r.stage == k) for k in (1, 2, 3)}
        planned = {k: sum(1 for r in done + prog if r.stage == k) for k in (1, 2, 3)}
        total = max(1, len(mine))
        out.append(Maturity(t.id, t.label("en"), stage_reached(by_stage), stage_reached(planned), len(done), len(prog),
                            len(mine) - len(done) - len(prog), round((len(done) + 0.5 * len(prog)) / total, 4)))
    return out


def to_csv(rows: list[Answer]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow(r.as_dict())
    return buf.getvalue()


def to_json(rows: list[Answer]) -> str:
    return json.dumps({"answers": [r.as_dict() for r in rows],
                       "maturity": [m.as_dict() for m in maturity(rows)]}, indent=2, ensure_ascii=False)


@dataclass
class PeerComparison:
    outcome_id: str
    name: str
    score: float
    stage: int
    peer_median_score: float
    peer_best: str | None
    peer_best_score: float
    peers: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def peer_answers(store: Store, council: str, prefill_of: Prefill | None = None) -> tuple[str, dict[str, list[Answer]]]:
    """(peer group, peer council name -> its answers). Peers are chosen as for gaps (gaps.peers_of);
    they answer through their stored self-assessments where they have one, else their pre-fill."""
    doc = latest_document(store, council)
    latest = list(latest_per_council(store).values())
    group, peers = peers_of(doc, latest)
    return group, {p["council"]: answers(store, p["council_id"], save=False, prefill_of=prefill_of) for p in peers}


def peers_done(peers: dict[str, list[Answer]]) -> dict[str, int]:
    """Per action, how many of the peers have it done: what the council can learn from whom."""
    out: dict[str, int] = {}
    for rows in peers.values():
        for a in rows:
            out[a.action_id] = out.get(a.action_id, 0) + int(a.status == "done")
    return out


def compare_with_peers(store: Store, council: str, prefill_of: Prefill | None = None,
                       peers: tuple[str, dict[str, list[Answer]]] | None = None
                       ) -> tuple[str, list[str], list[PeerComparison]]:
    """(peer group, peer councils, per-outcome comparison); `peers` is `peer_answers()` when the
    caller already has it."""
    own = maturity(answers(store, council, save=False, prefill_of=prefill_of))
    group, theirs = peers or peer_answers(store, council, prefill_of)
    peer_mat = {name: maturity(rows) for name, rows in theirs.items()}
    out = []
    for m in own:
        scores = {name: next(x for x in mats if x.outcome_id == m.outcome_id).score for name, mats in peer_mat.items()}
        best = max(scores, key=lambda k: scores[k]) if scores else None
        out.append(PeerComparison(m.outcome_id, m.name, m.score, m.stage,
                                  round(median(scores.values()), 4) if scores else 0.0, best,
                                  scores[best] if best else 0.0, len(scores)))
    return group, sorted(peer_mat), out
