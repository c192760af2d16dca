"""Ingest into the store: content hashing, editions, metadata, choosing the store, transactions."""

from __future__ import annotations

import json
import sqlite3

import pytest

from stratlens.model import DocumentMeta
from stratlens.pipeline import ingest_paths
from stratlens.store import SCHEMA_VERSION, Store


@pytest.fixture
def md_doc(tmp_path, english):
    """write a small Markdown strategy: md_doc(name, title=..., body=..., folder=...)"""

    def write(name: str, title: str = "Digital Strategy", body: str | None = None, folder=None):
        path = (folder or tmp_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {title}\n\n## Priorities\n\n{body or english[0]}\n\n{english[1]}\n", encoding="utf-8")
        return path

    return write


# -- the store itself --------------------------------------------------------------------------------
def test_new_store_has_current_schema_and_council_register(store):
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    welsh = store.councils("Wales")
    assert len([c for c in welsh if not c.is_national]) == 22
    assert store.documents() == []


def test_reopening_keeps_data_and_does_not_migrate_twice(db_file, md_doc):
    with Store(db_file) as s:
        ingest_paths(s, [md_doc("a.md")], classify=False)
    with Store(db_file) as s:
        assert len(s.documents()) == 1
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    with Store(db_file, readonly=True) as s:
        assert len(s.documents()) == 1


def test_store_is_plain_sqlite_with_fts(store, md_doc):
    ingest_paths(store, [md_doc("a.md")], classify=False)
    conn = sqlite3.connect(store.path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"councils", "documents", "passages", "labels", "passages_fts"} <= names
    conn.close()
    hits = store.search("residents")
    assert hits and all("residents" in h["text"].lower() for h in hits)
    assert isinstance(store.search('") OR passages_fts MATCH ("x* NEAR'), list)  # any input is safe


def test_transaction_rolls_back_everything(store, counts):
    before = counts(store)
    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            council = store.resolve_council("Nowhere Town Council", "England")
            store.insert_document(conn, sha256="x" * 64, council_id=council.id, title="t", year=2020,
                                  nation="England", source="s", source_url=None, format="text", pages=None,
                                  language="en", bytes=1)
            raise RuntimeError("boom")
    assert counts(store) == before


# -- content hash ------------------------------------------------------------------------------------
def test_same_file_twice_is_one_document(store, md_doc, counts):
    path = md_doc("strategy.md")
    first = ingest_paths(store, [path], classify=False)
    assert [o.status for o in first.outcomes] == ["added"]
    after_first = counts(store)
    again = ingest_paths(store, [path, path], classify=False)
    assert [o.status for o in again.outcomes] == ["duplicate", "duplicate"]
    assert again.outcomes[0].document_id == first.outcomes[0].document_id
    assert not again.failed
    assert counts(store) == after_first


def test_renamed_copy_is_the_same_document(store, md_doc, tmp_path):
    original = md_doc("strategy.md")
    copy = tmp_path / "elsewhere" / "Copy of strategy FINAL.md"
    copy.parent.mkdir()
    copy.write_bytes(original.read_bytes())
    report = ingest_paths(store, [original, copy], classify=False)
    assert [o.status for o in report.outcomes] == ["added", "duplicate"]
    assert "same content as document" in report.outcomes[1].message
    assert len(store.documents()) == 1
    assert store.documents()[0]["source"] == str(original)


def test_one_byte_difference_is_a_new_document(store, md_doc, tmp_path):
    a = md_doc("a.md")
    b = tmp_path / "b.md"
    b.write_bytes(a.read_bytes() + b"\n")
    report = ingest_paths(store, [a, b], classify=False)
    assert [o.status for o in report.outcomes] == ["added", "added"]
    shas = {d["sha256"] for d in store.documents()}
    assert len(shas) == 2 and all(len(s) == 64 for s in shas)


def test_new_edition_is_a_new_document_of_the_same_council(store, md_doc, english):
    old = md_doc("cardiff-2019.md", "Cardiff Digital Strategy 2019-2022", english[2])
    new = md_doc("cardiff-2024.md", "Cardiff Digital Strategy 2024-2027", english[3])
    ingest_paths(store, [old], given=DocumentMeta(council="Cardiff Council"), classify=False)
    ingest_paths(store, [new], given=DocumentMeta(council="Cyngor Caerdydd"), classify=False)
    docs = store.documents()
    assert len(docs) == 2
    assert {d["council_id"] for d in docs} == {"cardiff"}
    assert sorted(d["year"] for d in docs) == [2019, 2024]
    assert all(d["nation"] == "Wales" for d in docs)  # from the register


# -- metadata ----------------------------------------------------------------------------------------
def test_metadata_from_flags(store, md_doc):
    meta = DocumentMeta(council="Gwynedd", nation="Wales", year=2023, title="Gwynedd Digital Plan",
                        source_url="https://example.gov.uk/plan.pdf")
    ingest_paths(store, [md_doc("x.md", "Some other heading 2001")], given=meta, classify=False)
    (d,) = store.documents()
    assert (d["council_id"], d["nation"], d["year"], d["title"], d["source_url"]) == (
        "gwynedd", "Wales", 2023, "Gwynedd Digital Plan", "https://example.gov.uk/plan.pdf")


def test_metadata_from_manifest_csv(store, md_doc, tmp_path):
    folder = tmp_path / "batch"
    md_doc("one.md", folder=folder)
    md_doc("two.md", "Another strategy", "Different text about digital inclusion for every resident.",
           folder=folder)
    manifest = tmp_path / "manifest-elsewhere.csv"
    manifest.write_text(
        "file,council,nation,year,title,source_url\n"
        "batch/one.md,Swansea,Wales,2021,Swansea Digital Strategy,https://swansea.example/one\n"
        "batch/two.md,New Forest District Council,England,2022,New Forest Digital,\n",
        encoding="utf-8")
    report = ingest_paths(store, [folder], manifest=manifest, classify=False)
    assert not report.failed
    docs = {d["title"]: d for d in store.documents()}
    assert docs["Swansea Digital Strategy"]["council_id"] == "swansea"
    assert docs["Swansea Digital Strategy"]["source_url"] == "https://swansea.example/one"
    assert docs["Swansea Digital Strategy"]["year"] == 2021
    forest = docs["New Forest Digital"]
    assert forest["council"] == "New Forest" and forest["council_nation"] == "England" and forest["year"] == 2022
    assert forest["source_url"] is None


def test_manifest_in_folder_is_found_and_flags_win(store, md_doc, tmp_path):
    folder = tmp_path / "batch"
    md_doc("one.md", folder=folder)
    (folder / "manifest.csv").write_text("file,council,year,title\none.md,Conwy,2020,From manifest\n",
                                         encoding="utf-8")
    report = ingest_paths(store, [folder], given=DocumentMeta(year=2021), classify=False)
    assert [o.path for o in report.outcomes] == [str(folder / "one.md")]  # manifest.csv is not a document
    (d,) = store.documents()
    assert (d["council_id"], d["title"], d["year"]) == ("conwy", "From manifest", 2021)


def test_bad_manifest_is_one_clear_error(store, md_doc, tmp_path, cli_main):
    folder = tmp_path / "batch"
    md_doc("one.md", folder=folder)
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,year\none.md,twenty\n", encoding="utf-8")
    code, out, err = cli_main("ingest", "--no-classify", "--db", store.path, "--manifest", manifest, folder)
    assert code == 1
    assert err.strip().count("\n") == 0 and "m.csv:2" in err and "not a number" in err
    assert "Traceback" not in out + err
    assert store.documents() == []


def test_metadata_inferred_when_absent(store, tmp_path, english):
    path = tmp_path / "no-metadata-at-all.md"
    path.write_text(f"# Digital Denbighshire 2022-2025\n\nDenbighshire County Council will change. {english[0]}\n",
                    encoding="utf-8")
    report = ingest_paths(store, [path], classify=False)
    assert not report.failed
    (d,) = store.documents()
    assert d["title"] == "Digital Denbighshire 2022-2025"  # title from the text
    assert d["year"] == 2022
    assert d["council_id"] == "denbighshire"
    assert d["language"] == "en" and d["format"] == "markdown"
    size = store.conn.execute("SELECT bytes FROM documents WHERE id = ?", (d["id"],)).fetchone()[0]
    assert size == path.stat().st_size


def test_document_without_any_clue_is_still_ingested(store, tmp_path, english):
    path = tmp_path / "notes_from_meeting.txt"
    path.write_text(english[0].lower() + "\n", encoding="utf-8")
    report = ingest_paths(store, [path], classify=False)
    assert not report.failed
    (d,) = store.documents()
    assert d["title"] == "notes from meeting"  # from the file name when the text has no heading
    assert d["council"] == "Unknown council" and d["passages"] == 1


# -- choosing the store ------------------------------------------------------------------------------
def test_db_flag_and_env_variable(tmp_path, md_doc, run_cli, counts):
    doc = md_doc("strategy.md")
    env_db = tmp_path / "from-env.db"
    flag_db = tmp_path / "sub" / "from-flag.db"
    r = run_cli("ingest", "--no-classify", doc, env={"STRATLENS_DB": str(env_db)})
    assert r.returncode == 0, r.stderr
    assert counts(env_db)["documents"] == 1
    assert not (tmp_path / "stratlens.db").exists()
    # --db wins over STRATLENS_DB
    r = run_cli("ingest", "--no-classify", "--db", flag_db, doc, env={"STRATLENS_DB": str(env_db)})
    assert r.returncode == 0, r.stderr
    assert counts(flag_db)["documents"] == 1
    assert "added" in r.stdout and "1 added, 0 skipped, 0 failed" in r.stdout
    # neither: ./stratlens.db in the working directory
    r = run_cli("ingest", "--no-classify", doc, env={"STRATLENS_DB": ""})
    assert r.returncode == 0, r.stderr
    assert counts(tmp_path / "stratlens.db")["documents"] == 1
    # the same file again is skipped, not an error
    r = run_cli("ingest", "--no-classify", "--db", flag_db, doc)
    assert r.returncode == 0 and "skipped" in r.stdout and "0 added, 1 skipped, 0 failed" in r.stdout
    # documents --json reads the store chosen the same ways
    r = run_cli("documents", "--json", env={"STRATLENS_DB": str(env_db)})
    docs = json.loads(r.stdout)
    assert len(docs) == 1
    assert {"id", "council", "title", "year", "source", "passages"} <= set(docs[0])
    assert docs[0]["source"] == str(doc) and docs[0]["passages"] >= 1


def test_cli_flags_set_metadata(tmp_path, md_doc, cli_main):
    db = tmp_path / "s.db"
    code, out, err = cli_main("ingest", "--no-classify", "--db", db, "--council", "Powys", "--nation", "Wales",
                              "--year", "2024", "--title", "Powys Digital", "--source-url", "https://p.example/",
                              md_doc("x.md"))
    assert code == 0, err
    with Store(db, readonly=True) as s:
        (d,) = s.documents()
    assert (d["council_id"], d["year"], d["title"], d["source_url"]) == ("powys", 2024, "Powys Digital",
                                                                         "https://p.example/")


# -- a failure while storing -------------------------------------------------------------------------
def _explode_after_first_passage(monkeypatch):
    original = Store.insert_passages

    def insert_then_fail(self, conn, document_id, passages):
        original(self, conn, document_id, list(passages)[:1])  # a partial write happens first
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Store, "insert_passages", insert_then_fail)


def test_failure_while_storing_leaves_no_partial_document(store, md_doc, monkeypatch, counts):
    ingest_paths(store, [md_doc("existing.md")], classify=False)
    before = counts(store)
    _explode_after_first_passage(monkeypatch)
    doc = md_doc("new.md", "New strategy", "Text about Ceredigion.")
    report = ingest_paths(store, [doc], given=DocumentMeta(council="Brand New Borough Council"), classify=False)
    assert [o.status for o in report.outcomes] == ["failed"]
    msg = report.outcomes[0].message
    assert str(doc) in msg and "disk I/O error" in msg and "\n" not in msg
    assert counts(store) == before  # no document, passage, FTS row, nor the new council
    assert store.conn.execute("SELECT count(*) FROM councils WHERE id = 'brand-new'").fetchone()[0] == 0
    monkeypatch.undo()
    # the same file goes in cleanly afterwards: the failed attempt left no hash behind
    again = ingest_paths(store, [doc], classify=False)
    assert [o.status for o in again.outcomes] == ["added"]


def test_failure_while_storing_does_not_stop_the_batch(store, md_doc, monkeypatch, tmp_path):
    folder = tmp_path / "batch"
    for name in ("a.md", "b.md", "c.md"):
        md_doc(name, f"Strategy {name}", f"Body of {name} about digital services for residents.", folder=folder)
    original = Store.insert_passages

    def fail_for_b(self, conn, document_id, passages):
        ids = original(self, conn, document_id, passages)
        if conn.execute("SELECT source FROM documents WHERE id = ?", (document_id,)).fetchone()[0].endswith("b.md"):
            raise RuntimeError("simulated crash")
        return ids

    monkeypatch.setattr(Store, "insert_passages", fail_for_b)
    report = ingest_paths(store, [folder], classify=False)
    assert [o.status for o in report.outcomes] == ["added", "failed", "added"]
    assert sorted(d["source"].rsplit("/", 1)[1] for d in store.documents()) == ["a.md", "c.md"]
    assert len(store.passages()) == sum(o.passages for o in report.added)


def test_failure_while_storing_through_cli(tmp_path, md_doc, monkeypatch, cli_main, counts):
    db = tmp_path / "cli.db"
    folder = tmp_path / "batch"
    good = md_doc("a-good.md", "Good", folder=folder)
    md_doc("b-crash.md", "Crash", "Text that will never be stored in the council store.", folder=folder)
    original = Store.insert_passages

    def fail_for_crash(self, conn, document_id, passages):
        ids = original(self, conn, document_id, passages)
        if conn.execute("SELECT source FROM documents WHERE id = ?", (document_id,)).fetchone()[0].endswith("crash.md"):
            raise sqlite3.DatabaseError("database disk image is malformed")
        return ids

    monkeypatch.setattr(Store, "insert_passages", fail_for_crash)
    code, out, err = cli_main("ingest", "--no-classify", "--db", db, folder)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "b-crash.md" in lines[0] and "malformed" in lines[0]
    assert "Traceback" not in out + err
    assert f"added {good}" in out
    assert counts(db)["documents"] == 1


# -- classification for real (loads the encoder once) ------------------------------------------------
@pytest.mark.slow
def test_classified_ingest_and_failed_label_write(store, md_doc, monkeypatch, counts, english):
    # one framework keeps this test to the encoder load; the pipeline is the same for all of them
    monkeypatch.setattr("stratlens.pipeline.classifiable_frameworks", lambda: ["lga-digitalisation-outcomes"])
    first = ingest_paths(store, [md_doc("a.md")], classify=True)
    assert [o.status for o in first.outcomes] == ["added"], first.outcomes[0].message
    after_first = counts(store)
    assert after_first["labels"] == 12 * after_first["passages"]  # every passage against all 12 themes
    assert after_first["classifier_runs"] == 1
    lga = store.labels("lga-digitalisation-outcomes", assigned_only=False)
    assert lga and all(0.0 <= r["score"] <= 1.0 for r in lga)

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(Store, "replace_labels", broken)
    second = ingest_paths(store, [md_doc("b.md", "Other", english[3])], classify=True)
    assert [o.status for o in second.outcomes] == ["failed"]
    assert "database is locked" in second.outcomes[0].message
    assert counts(store) == after_first
