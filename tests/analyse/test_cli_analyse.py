"""The analysis commands, in process, on the example corpus (--json) and on bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path


def test_commands_print_json(corpus, cli_main) -> None:
    db = str(corpus.store.path)
    wy, b24 = corpus.doc("wyvernshire-2025"), corpus.doc("brynhafod-2024")
    code, out, err = cli_main("audit", str(wy), "--json", "--db", db)
    assert code == 0, err
    data = json.loads(out)
    assert data["counts"]["met"] == 16 and len(data["commitments"]) >= 15
    code, out, _ = cli_main("type", str(b24), "--json", "--db", db)
    assert json.loads(out)["types"] == ["gds-user-centric"]
    code, out, _ = cli_main("gaps", "--council", "Brynhafod", "--json", "--db", db)
    assert json.loads(out)["national"] is not None
    code, out, _ = cli_main("gaps", "--json", "--db", db)
    assert len(json.loads(out)["themes"]) == 12
    code, out, _ = cli_main("ladder", str(wy), "--json", "--db", db)
    assert len(json.loads(out)["outcomes"]) == 12
    code, out, _ = cli_main("similar", "wyvernshire", "--json", "--db", db)
    assert json.loads(out)["matches"]
    code, out, _ = cli_main("plain", str(corpus.doc("strathmorven-2023")), "--json", "--db", db)
    assert json.loads(out)["needs_work"] is True
    code, out, _ = cli_main("editions", "brynhafod", "--json", "--db", db)
    assert json.loads(out)["counts"]["kept"] >= 3
    code, out, _ = cli_main("audit", str(wy), "--db", db)          # the table form too
    assert code == 0 and "Named champions" in out


def test_selfassess_set_and_export(corpus_copy: Path, cli_main) -> None:
    db = corpus_copy
    code, out, err = cli_main("selfassess", "ashcombe-vale", "--set", "value.1.1=done", "--export", "csv", "--db", db)
    assert code == 0, err
    rows = {r["action_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["value.1.1"]["status"] == "done" and rows["value.1.1"]["source"] == "council"
    code, out, _ = cli_main("selfassess", "ashcombe-vale", "--export", "json", "--db", db)
    assert len(json.loads(out)["maturity"]) == 12
    code, _, err = cli_main("selfassess", "ashcombe-vale", "--set", "value.1.1=perhaps", "--db", db)
    assert code == 1 and "status" in err


def test_user_errors_are_one_line(corpus, cli_main, tmp_path: Path) -> None:
    db = str(corpus.store.path)
    for args in (["audit", "999"], ["similar", "Nowhere"], ["editions", "wyvernshire"]):
        code, out, err = cli_main(*args, "--db", db)
        assert code == 1 and len(err.strip().splitlines()) == 1, args
    code, _, err = cli_main("audit", "1", "--db", str(tmp_path / "missing.db"))
    assert code == 1 and "no such database" in err
