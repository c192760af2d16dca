"""Connection handling, migrations and queries."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from stratlens.councils import Council, builtin_register, match_council, slugify
from stratlens.errors import StratlensError

MIGRATIONS = Path(__file__).parent / "migrations"
SCHEMA_VERSION = len(list(MIGRATIONS.glob("*.sql")))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """A stratlens database. Use as a context manager or call `close()`."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        try:
            self._open(readonly)
        except sqlite3.DatabaseError as e:
            # A file that is not SQLite, a device, a read-only place: say which file and why.
            if getattr(self, "conn", None) is not None:
                self.conn.close()
            raise StratlensError(f"{self.path}: cannot be opened as a stratlens database ({e})") from e

    def _open(self, readonly: bool) -> None:
        if readonly:
            if not self.path.exists():
                raise StratlensError(f"{self.path}: no such database; run 'stratlens ingest' first")
            self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        else:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.migrate()

    # -- lifecycle -----------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: commits on success, rolls back on any exception."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def migrate(self) -> None:
        """Apply migrations newer than the file's `user_version`, each in its own transaction."""
        current = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if current > SCHEMA_VERSION:
            raise StratlensError(
                f"{self.path}: schema version {current} is newer than this stratlens ({SCHEMA_VERSION}); upgrade stratlens"
            )
        for script in sorted(MIGRATIONS.glob("*.sql")):
            version = int(script.name.split("_", 1)[0])
            if version <= current:
                continue
            self.conn.isolation_level = None
            self.conn.execute("BEGIN")
            try:
                for statement in _statements(script.read_text(encoding="utf-8")):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {version}")
                if version == 1:
                    self._seed_councils()
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:  # else the real error would be hidden by ROLLBACK's own
                    self.conn.execute("ROLLBACK")
                raise
        self.conn.isolation_level = None

    def _seed_councils(self) -> None:
        for c in builtin_register():
            self._insert_council(c)

    # -- councils ------------------------------------------------------------------------
    def _insert_council(self, c: Council) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO councils (id, gss, name_en, name_cy, short, type, nation, is_national)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (c.id, c.gss, c.name_en, c.name_cy, c.short, c.type, c.nation, int(c.is_national)),
        )

    def councils(self, nation: str | None = None) -> list[Council]:
        sql = "SELECT * FROM councils"
        args: tuple[Any, ...] = ()
        if nation:
            sql += " WHERE lower(nation) = lower(?)"
            args = (nation,)
        rows = self.conn.execute(sql + " ORDER BY is_national, short", args).fetchall()
        return [
            Council(id=r["id"], name_en=r["name_en"], short=r["short"], nation=r["nation"], type=r["type"],
                    gss=r["gss"], name_cy=r["name_cy"], is_national=bool(r["is_national"]))
            for r in rows
        ]

    def resolve_council(self, name: str | None, nation: str | None = None, council_type: str | None = None,
                        *, create: bool = True) -> Council:
        """The register entry for `name`, adding a new council when the name is not known."""
        known = self.councils()
        if name:
            found = match_council(name, known)
            if found:
                return found
        if not create:
            raise StratlensError(f"unknown council {name!r}")
        label = (name or "Unknown council").strip()
        short = short_name(label)
        council = Council(id=slugify(short), name_en=label, short=short, nation=nation, type=council_type)
        self._insert_council(council)
        return council

    def add_council(self, council: Council) -> None:
        with self.transaction():
            self._insert_council(council)

    # -- documents -----------------------------------------------------------------------
    def document_by_hash(self, sha: str) -> sqlite3.Row | None:
        return self.conn.execute("SELECT * FROM documents WHERE sha256 = ?", (sha,)).fetchone()

    def insert_document(self, conn: sqlite3.Connection, **fields: Any) -> int:
        fields.setdefault("ingested_at", _now())
        cols = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        cur = conn.execute(f"INSERT INTO documents ({cols}) VALUES ({marks})", tuple(fields.values()))
        return int(cur.lastrowid)

    def insert_passages(self, conn: sqlite3.Connection, document_id: int, passages: Iterable[Any]) -> list[int]:
        ids = []
        for p in passages:
            cur = conn.execute(
                "INSERT INTO passages (document_id, seq, text, page, heading, lang) VALUES (?,?,?,?,?,?)",
                (document_id, p.seq, p.text, p.page, p.heading, p.lang),
            )
            ids.append(int(cur.lastrowid))
        return ids

    def replace_labels(self, conn: sqlite3.Connection, document_id: int, framework_id: str, model: str,
                       rows: Iterable[tuple[int, str, float, bool, list[str]]]) -> None:
        conn.execute(
            "DELETE FROM labels WHERE framework_id = ? AND passage_id IN (SELECT id FROM passages WHERE document_id = ?)",
            (framework_id, document_id),
        )
        conn.executemany(
            "INSERT INTO labels (passage_id, framework_id, theme_id, score, assigned, matched_terms) VALUES (?,?,?,?,?,?)",
            [(pid, framework_id, theme, round(score, 4), int(assigned), json.dumps(terms) if terms else None)
             for pid, theme, score, assigned, terms in rows],
        )
        conn.execute(
            "INSERT OR REPLACE INTO classifier_runs (document_id, framework_id, model, classified_at) VALUES (?,?,?,?)",
            (document_id, framework_id, model, _now()),
        )

    def documents(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            """SELECT d.id, d.council_id, c.short AS council, c.name_en AS council_name, c.nation AS council_nation,
                      c.type AS council_type, c.is_national, d.title, d.year, d.nation, d.source, d.source_url,
                      d.format, d.pages, d.language, d.sha256, d.ingested_at,
                      (SELECT count(*) FROM passages p WHERE p.document_id = d.id) AS passages
               FROM documents d JOIN councils c ON c.id = d.council_id
               ORDER BY c.short, d.year, d.id"""
        ).fetchall()
        return [dict(r) for r in rows]

    def document(self, document_id: int) -> dict[str, Any] | None:
        for d in self.documents():
            if d["id"] == document_id:
                return d
        return None

    def passages(self, document_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM passages"
        args: tuple[Any, ...] = ()
        if document_id is not None:
            sql += " WHERE document_id = ?"
            args = (document_id,)
        return [dict(r) for r in self.conn.execute(sql + " ORDER BY document_id, seq", args)]

    def unclassified(self, framework_id: str) -> list[int]:
        rows = self.conn.execute(
            "SELECT id FROM documents WHERE id NOT IN (SELECT document_id FROM classifier_runs WHERE framework_id = ?)",
            (framework_id,),
        )
        return [r[0] for r in rows]

    def labels(self, framework_id: str, *, assigned_only: bool = True) -> list[dict[str, Any]]:
        sql = """SELECT l.passage_id, l.theme_id, l.score, l.assigned, l.matched_terms,
                        p.document_id, p.seq, p.text, p.page, p.heading, p.lang
                 FROM labels l JOIN passages p ON p.id = l.passage_id
                 WHERE l.framework_id = ?"""
        if assigned_only:
            sql += " AND l.assigned = 1"
        return [dict(r) for r in self.conn.execute(sql + " ORDER BY p.document_id, p.seq", (framework_id,))]

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search; the query is treated as words, not FTS syntax, so any input is safe."""
        terms = [t for t in _fts_terms(query)]
        if not terms:
            return []
        match = " ".join(f'"{t}"' for t in terms)
        rows = self.conn.execute(
            """SELECT p.id, p.document_id, p.seq, p.page, p.heading, p.lang, p.text,
                      snippet(passages_fts, 0, '[', ']', ' … ', 24) AS snippet, bm25(passages_fts) AS rank,
                      d.title, c.short AS council, d.year
               FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid
               JOIN documents d ON d.id = p.document_id JOIN councils c ON c.id = d.council_id
               WHERE passages_fts MATCH ? ORDER BY rank LIMIT ?""",
            (match, limit),
        ).fetchall()
        return [dict(r) for r in rows]

    # -- reviews -------------------------------------------------------------------------
    def add_review(self, passage_id: int | None, text: str, framework_id: str, labels: list[str],
                   decision: str, reviewer: str | None = None) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO reviews (passage_id, text, framework_id, labels, decision, reviewer, reviewed_at)"
                " VALUES (?,?,?,?,?,?,?)",
                (passage_id, text, framework_id, json.dumps(labels), decision, reviewer, _now()),
            )

    def reviews(self, framework_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT * FROM reviews WHERE framework_id = ? ORDER BY id", (framework_id,))
        out = []
        for r in rows:
            d = dict(r)
            d["labels"] = json.loads(d["labels"])
            out.append(d)
        return out


_SUFFIXES = (" Metropolitan Borough Council", " County Borough Council", " City and District Council",
             " County Council", " Borough Council", " District Council", " City Council", " Council")
_PREFIXES = ("London Borough of ", "Royal Borough of ", "City and County of ", "City of ", "Cyngor Sir ",
             "Cyngor Bwrdeistref Sirol ", "Cyngor Dinas ", "Cyngor ")


def short_name(name: str) -> str:
    """'Ravensclough Metropolitan Borough Council' -> 'Ravensclough'; 'London Borough of X' -> 'X'."""
    short = name.strip()
    for suffix in _SUFFIXES:
        if short.endswith(suffix) and len(short) > len(suffix):
            short = short[: -len(suffix)]
            break
    for prefix in _PREFIXES:
        if short.startswith(prefix) and len(short) > len(prefix):
            short = short[len(prefix):]
            break
    return short


def _statements(sql: str) -> list[str]:
    """Split a migration script on ';' at the end of a statement (triggers kept whole)."""
    out, buf, depth = [], [], 0
    for line in sql.splitlines():
        stripped = line.strip()
        if stripped.startswith("--") or not stripped:
            continue
        buf.append(line)
        upper = stripped.upper()
        if upper.startswith("CREATE TRIGGER"):
            depth = 1
        if depth and upper.startswith("END;"):
            depth = 0
            out.append("\n".join(buf))
            buf = []
        elif not depth and stripped.endswith(";"):
            out.append("\n".join(buf))
            buf = []
    if buf:
        out.append("\n".join(buf))
    return out


def _fts_terms(query: str) -> list[str]:
    import re

    return [t.replace('"', "") for t in re.findall(r"[\w'’-]+", query) if t.strip("-'’")]
