"""The analyses on the document and council pages: type, audit, commitments, ladder, plain
English; gaps, similar councils and editions. Server-rendered tables with captions, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from stratlens.model import DocumentMeta
from stratlens.pipeline import ingest_paths
from stratlens.store import Store
from stratlens.web import create_app
from web_corpus import EVIL, keyword_labels, make_settings

DOC_TABLES = ["type-evidence", "type-scores", "audit", "commitments", "ladder", "jargon", "rewrite"]


def _doc_id(client, council: str) -> int:  # noqa: ANN001
    data = client.get(f"/api/councils/{council}").json()
    return next(t for t in data["tables"] if t["id"] == "strategies")["rows"][0]["document_id"]


def test_document_page_shows_the_analyses(client) -> None:
    did = _doc_id(client, "cardiff")
    html = client.get(f"/documents/{did}").text
    for heading in ["Strategy type", "Quality audit", "Dated commitments", "Practice ladder", "Plain English"]:
        assert f">{heading}</h2>" in html
    assert "(2016 taxonomy); confidence:" in html
    assert 'id="caption-audit"' in html and "Good digital strategy checklist:" in html
    assert 'id="caption-ladder"' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    data = client.get(f"/api/documents/{did}").json()
    tables = {t["id"]: t for t in data["tables"]}
    assert set(DOC_TABLES) <= set(tables)
    audit = tables["audit"]["rows"]
    assert len(audit) == 16
    assert {r["result"] for r in audit} <= {"met", "partly-met", "not-met", "not-assessable"}
    assert len(tables["ladder"]["rows"]) == 12
    assert all(1 <= r["stage"] + 1 <= 4 for r in tables["ladder"]["rows"])


def test_audit_table_quotes_link_to_passages_and_download(client) -> None:
    did = _doc_id(client, "cardiff")
    html = client.get(f"/documents/{did}").text
    audit = html.split('id="table-audit"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="col"' in audit and '<th scope="row"' in audit
    for link in re.findall(r'href="(/documents/\d+#passage-(\d+))"', audit):
        assert f'id="passage-{link[1]}"' in html
    csv = client.get(f"/documents/{did}?format=csv&table=audit").text
    assert csv.splitlines()[0].startswith("criterion,result,why,evidence,counter")
    assert len(csv.splitlines()) >= 17


def test_welsh_document_page_is_translated(client) -> None:
    did = _doc_id(client, "gwynedd")
    r = client.get(f"/cy/documents/{did}")
    assert r.status_code == 200  # strict i18n: an untranslated string would fail the page
    assert "Archwiliad ansawdd" in r.text and "Ysgol ymarfer" in r.text
    assert "Quality audit" not in r.text
    r = client.get(f"/cy/documents/{_doc_id(client, 'cardiff')}")
    assert r.status_code == 200
    assert 'lang="en"' in r.text  # English-only explanations are marked


def test_council_page_shows_gaps_and_similar(client) -> None:
    html = client.get("/councils/cardiff").text
    assert ">Gaps</h2>" in html and ">Similar councils</h2>" in html
    data = client.get("/api/councils/cardiff").json()
    tables = {t["id"]: t for t in data["tables"]}
    assert "similar" in tables
    assert {r["council_id"] for r in tables["similar"]["rows"]} <= {"gwynedd", "newport"}
    assert "editions" not in tables  # one strategy only
    assert client.get("/cy/councils/cardiff").status_code == 200


def test_council_with_two_editions(own_store: Path, password_hash: str, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    earlier = tmp_path / "cardiff-digital-2019.md"
    earlier.write_text(
        "# Cardiff Digital Strategy 2019\n\n## Our plan\n\nBy March 2020 we will launch a customer account "
        "for residents. By December 2020 we will publish open data on council spending. By March 2021 the "
        "Head of Digital will move 20 services online. " + EVIL + "\n", encoding="utf-8")
    with Store(own_store) as store:
        report = ingest_paths(store, [earlier], given=DocumentMeta(council="Cardiff", nation="Wales", year=2019,
                                                                   title="Cardiff Digital Strategy 2019"),
                              classify=False)
        assert not report.failed
        keyword_labels(store)
    app = create_app(make_settings(own_store, password_hash))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        html = c.get("/councils/cardiff").text
        assert ">Editions compared</h2>" in html
        assert 'id="caption-editions"' in html
        assert EVIL not in html
        data = c.get("/api/councils/cardiff").json()
        fates = next(t for t in data["tables"] if t["id"] == "editions")["rows"]
        assert fates and {r["fate"] for r in fates} <= {"kept", "completed", "dropped"}
        cy = c.get("/cy/councils/cardiff")
        assert cy.status_code == 200 and "Cymharu rhifynnau" in cy.text
