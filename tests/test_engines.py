"""The Ray engine gives the same store as the local engine, through Parquet that DuckDB can read.

One local Ray instance (2 CPUs, no dashboard) runs the bundled example corpus plus one broken
file; the local engine runs the same folder; the two stores are compared row by row.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from stratlens.pipeline import ingest_paths
from stratlens.store import Store

ray = pytest.importorskip("ray", reason="the ray engine needs the 'scale' extra")
pytest.importorskip("pyarrow")

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "stratlens" / "examples" / "corpus"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for f in EXAMPLES.iterdir():
        shutil.copy(f, folder / f.name)
    (folder / "broken-strategy.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF")
    return folder


@pytest.fixture(scope="module")
def stores(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from stratlens.engines import ray_engine
    from stratlens.engines.parquet import load_parquet

    base = tmp_path_factory.mktemp("engines")
    with Store(base / "local.db") as store:
        local_report = ingest_paths(store, [corpus])
    ray.init(num_cpus=2, include_dashboard=False)
    try:
        run = ray_engine.run([corpus], base / "parquet")
    finally:
        ray.shutdown()
    with Store(base / "ray.db") as store:
        ray_report = load_parquet(store, base / "parquet")
    return {"local": base / "local.db", "ray": base / "ray.db", "parquet": base / "parquet", "run": run,
            "local_report": local_report, "ray_report": ray_report}


def _rows(db: Path, sql: str) -> list[tuple]:
    with Store(db, readonly=True) as store:
        return [tuple(r) for r in store.conn.execute(sql)]


def test_same_outcomes_per_file(stores: dict[str, Any]) -> None:
    local = [(o.path, o.status, o.message, o.document_id, o.passages) for o in stores["local_report"].outcomes]
    ray_ = [(o.path, o.status, o.message, o.document_id, o.passages) for o in stores["ray_report"].outcomes]
    assert local == ray_
    assert [o.status for o in stores["local_report"].outcomes].count("added") == 9
    failed = stores["local_report"].failed
    assert len(failed) == 1 and "broken-strategy.pdf" in failed[0].message
    run = stores["run"]
    assert (run.files, run.ready, run.failed) == (10, 9, 1)


def test_same_documents_and_passages(stores: dict[str, Any]) -> None:
    docs = ("SELECT id, sha256, council_id, title, year, nation, source, source_url, format, pages, language, bytes"
            " FROM documents ORDER BY id")
    assert _rows(stores["local"], docs) == _rows(stores["ray"], docs)
    passages = "SELECT id, document_id, seq, text, page, heading, lang FROM passages ORDER BY id"
    local = _rows(stores["local"], passages)
    assert len(local) > 200
    assert local == _rows(stores["ray"], passages)
    councils = "SELECT id, name_en, short, nation FROM councils ORDER BY id"
    assert _rows(stores["local"], councils) == _rows(stores["ray"], councils)


def test_same_labels(stores: dict[str, Any]) -> None:
    assigned = ("SELECT passage_id, framework_id, theme_id FROM labels WHERE assigned = 1"
                " ORDER BY passage_id, framework_id, theme_id")
    local = _rows(stores["local"], assigned)
    assert len(local) > 500
    assert local == _rows(stores["ray"], assigned)
    scores = "SELECT passage_id, framework_id, theme_id, score, matched_terms FROM labels ORDER BY 1, 2, 3"
    a, b = _rows(stores["local"], scores), _rows(stores["ray"], scores)
    assert [r[:3] for r in a] == [r[:3] for r in b]
    assert max(abs(x[3] - y[3]) for x, y in zip(a, b)) < 1e-3  # the encoders batch differently
    assert [r[4] for r in a] == [r[4] for r in b]
    runs = "SELECT document_id, framework_id, model FROM classifier_runs ORDER BY 1, 2"
    assert _rows(stores["local"], runs) == _rows(stores["ray"], runs)


def test_parquet_is_queryable(stores: dict[str, Any]) -> None:
    folder: Path = stores["parquet"]
    expected = _rows(stores["ray"], "SELECT count(*) FROM labels WHERE assigned = 1")[0][0]
    try:
        import duckdb
    except ImportError:
        import pyarrow.compute as pc
        import pyarrow.dataset as pads

        t = pads.dataset(str(folder / "labels"), format="parquet").to_table(columns=["assigned"])
        got = pc.sum(t.column("assigned").cast("int64")).as_py()
    else:
        got = duckdb.sql(f"SELECT count(*) FROM '{folder}/labels/*.parquet' WHERE assigned").fetchall()[0][0]
        failed = duckdb.sql(f"SELECT message FROM '{folder}/documents/*.parquet' WHERE status = 'failed'")
        assert "broken-strategy.pdf" in failed.fetchall()[0][0]
    assert got == expected


def test_loading_again_adds_nothing(stores: dict[str, Any], tmp_path: Path) -> None:
    from stratlens.engines.parquet import load_parquet

    db = tmp_path / "again.db"
    shutil.copy(stores["ray"], db)
    with Store(db) as store:
        report = load_parquet(store, stores["parquet"])
    assert [o.status for o in report.outcomes].count("duplicate") == 9
    assert _rows(db, "SELECT count(*) FROM documents") == _rows(stores["ray"], "SELECT count(*) FROM documents")


def test_load_parquet_cli_rejects_other_folders(cli_main, tmp_path: Path) -> None:
    code, _, err = cli_main("load-parquet", tmp_path, "--db", tmp_path / "x.db")
    assert code == 1 and "not a stratlens Parquet folder" in err


def test_ray_cli_writes_parquet_and_loads_it(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("ravensclough-digital-vision-2023.txt", "strathmorven-digital-strategy-2023.md"):
        shutil.copy(EXAMPLES / name, folder / name)
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / "run"
    res = run_cli("ingest", folder, "--engine", "ray", "--no-classify", "--out-parquet", out, "--db", tmp_path / "r.db",
                  timeout=300)
    assert res.returncode == 1, res.stderr[-2000:]  # one file failed
    assert "2 added, 0 skipped, 1 failed" in res.stdout
    assert [line for line in res.stderr.splitlines() if line.startswith("failed:")] == [
        f"failed: {folder / 'empty.txt'}: empty file (0 bytes)"]
    assert (out / "run.json").is_file() and list((out / "passages").glob("*.parquet"))
    again = run_cli("load-parquet", out, "--db", tmp_path / "r.db")
    assert "0 added, 2 skipped, 1 failed" in again.stdout

