"""Every page type in both languages, the filters, evidence links, CSV and the JSON API."""

from __future__ import annotations

import csv
import io
import re

import pytest

PAGES = [
    "/", "/?nation=Wales&year=2023", "/councils", "/councils/cardiff", "/councils/gwynedd", "/themes",
    "/themes/lga-digitalisation-outcomes/inclusion", "/themes/welsh-gov-vs-councils/collaboration",
    "/compare", "/compare?a=1&b=2&framework=welsh-gov-vs-councils", "/compare/national", "/documents/1",
    "/documents/2", "/search", "/search?q=digital+inclusion", "/search?q=cynhwysiant", "/login", "/api",
    "/councils/cardiff/self-assessment", "/councils/gwynedd/self-assessment", "/gaps",
    "/gaps?framework=blackwell-2016&nation=Wales&year=2024",
]


def welsh(path: str) -> str:
    return "/cy" + path if path != "/" else "/cy/"


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_in_english_and_welsh(client, path: str) -> None:
    en = client.get(path)
    assert en.status_code == 200, path
    assert '<html lang="en"' in en.text
    assert 'hreflang="cy"' in en.text
    cy = client.get(welsh(path))  # strict: an untranslated string would raise and give a 500
    assert cy.status_code == 200, path
    assert '<html lang="cy"' in cy.text
    assert "Neidio i’r prif gynnwys" in cy.text
    assert cy.headers["content-language"] == "cy"


def test_lang_query_is_the_same_as_the_prefix(client) -> None:
    assert '<html lang="cy"' in client.get("/councils?lang=cy").text


def test_welsh_names_of_frameworks_and_themes(client) -> None:
    from stratlens.frameworks import load_framework

    fw = load_framework("lga-digitalisation-outcomes")
    page = client.get("/cy/").text
    assert fw.name.cy and _escaped(fw.name.cy) in page
    assert _escaped(fw.theme("inclusion").label("cy")) in page
    nat = load_framework("welsh-gov-vs-councils")
    matrix = client.get("/cy/compare/national").text
    assert all(_escaped(t.label("cy")) in matrix for t in nat.themes)


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_overview_filters_and_missing_councils(client) -> None:
    page = client.get("/?nation=Wales&year=2023&format=json").json()
    docs = {t["id"]: t for t in page["tables"]}
    assert [r["council_id"] for r in docs["documents"]["rows"]] == ["cardiff"]
    missing = {r["council_id"] for r in docs["missing"]["rows"]}
    assert "cardiff" not in missing and "gwynedd" in missing and "blaenau-gwent" in missing
    everything = client.get("/?format=json").json()
    missing_all = {r["council_id"] for t in everything["tables"] if t["id"] == "missing" for r in t["rows"]}
    assert {"cardiff", "gwynedd", "newport"}.isdisjoint(missing_all)
    assert len(missing_all) == 22 - 3


def test_overview_shows_chart_and_table(client) -> None:
    html = client.get("/").text
    assert html.count('class="sl-chart__fill"') == 12  # one bar per LGA outcome
    assert 'id="table-coverage"' in html


def test_council_evidence_links_to_the_passage(client) -> None:
    html = client.get("/councils/cardiff").text
    links = re.findall(r'href="(/documents/(\d+)#passage-(\d+))"', html)
    assert links
    _, doc, passage = links[0]
    assert f'id="passage-{passage}"' in client.get(f"/documents/{doc}").text


def test_council_against_national_themes(client) -> None:
    data = client.get("/api/councils/cardiff").json()
    national = next(t for t in data["tables"] if t["id"] == "national")
    named = {r["theme_id"]: r["named"] for r in national["rows"]}
    assert named["digital-inclusion"] is True  # the comparison names Cardiff for digital inclusion
    assert named["digital-services"] is False


def test_theme_page_lists_covering_and_not_covering(client) -> None:
    data = client.get("/api/themes/lga-digitalisation-outcomes/security-and-resilience").json()
    tables = {t["id"]: t for t in data["tables"]}
    covering = {r["council_id"] for r in tables["covering"]["rows"]}
    assert covering == {"cardiff"}
    assert {r["council_id"] for r in tables["not-covering"]["rows"]} == {"gwynedd", "newport"}
    assert tables["evidence"]["rows"]


def test_compare_two_strategies_side_by_side(client) -> None:
    data = client.get("/api/compare?a=1&b=3").json()
    rows = data["tables"][0]["rows"]
    assert len(rows) == 12
    assert {"a_covered", "b_covered", "a_evidence", "b_evidence"} <= set(rows[0])


def test_matrix_councils_by_national_themes(client) -> None:
    data = client.get("/api/compare/national").json()
    rows = {r["council_id"]: r for r in data["tables"][0]["rows"]}
    assert len(rows) >= 22
    assert rows["cardiff"]["digital-inclusion"] == "covered"
    assert rows["blaenau-gwent"]["digital-inclusion"] == "no-strategy"


def test_unknown_things_are_404_pages(client) -> None:
    for path in ("/councils/atlantis", "/documents/999", "/themes/lga-digitalisation-outcomes/nope",
                 "/themes/nope/nope", "/no-such-page"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "Page not found" in r.text
    assert "Heb ddod o hyd i’r dudalen" in client.get("/cy/councils/atlantis").text
    assert client.get("/api/councils/atlantis").json()["error"] == "Page not found"


def csv_links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*format=csv[^"]*)"', html)]


@pytest.mark.parametrize("path", PAGES)
def test_every_table_downloads_as_csv(client, path: str) -> None:
    html = client.get(path).text
    tables = re.findall(r'<table class="govuk-table[^"]*" id="table-([\w-]+)"', html)
    links = csv_links(html)
    for table in tables:
        assert any(f"table={table}" in link for link in links), f"{path}: no CSV link for {table}"
    for link in links:
        r = client.get(link)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), link
        header = next(csv.reader(io.StringIO(r.text)))
        assert header and all(header), link


def test_csv_cells_cannot_run_as_formulas() -> None:
    from stratlens.web.tables import Column, Table

    t = Table("t", "t", [Column("a", "A")], [{"a": "=HYPERLINK(\"http://x\")"}, {"a": "+1"}, {"a": "ok"}])
    rows = list(csv.reader(io.StringIO(t.to_csv())))
    assert rows[1][0].startswith("'=") and rows[2][0] == "'+1" and rows[3][0] == "ok"


def test_json_api_and_openapi(client) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for p in ("/api/overview", "/api/councils/{council_id}", "/api/themes/{framework_id}/{theme_id}",
              "/api/compare", "/api/compare/national", "/api/search", "/api/documents/{document_id}",
              "/api/frameworks", "/api/councils/{council_id}/self-assessment", "/api/gaps"):
        assert p in paths
    assert not any(p.startswith("/upload") or p.startswith("/login") for p in paths)
    fws = client.get("/api/frameworks").json()
    assert {"lga-digitalisation-outcomes", "welsh-gov-vs-councils"} <= {f["id"] for f in fws}
    ov = client.get("/api/overview?lang=cy").json()
    assert ov["title"] == "Ymdriniaeth strategaethau digidol"
    assert client.get("/api/search?q=devices").json()["tables"][0]["rows"]
    assert client.get("/api/search").status_code == 422


def test_page_json_matches_page_tables(client) -> None:
    data = client.get("/councils/cardiff?format=json").json()
    assert data["council"]["id"] == "cardiff"
    assert {t["id"] for t in data["tables"]} >= {"strategies", "national"}


def test_cache_is_bounded_and_does_not_deadlock(tmp_path) -> None:
    """Past its limit the cache computes without keeping; nested look-ups must not block."""
    import threading

    from stratlens.store import Store
    from stratlens.web.queries import Data

    db = tmp_path / "c.db"
    Store(db).close()
    data = Data(db)
    results = []

    def nested(i: int) -> int:
        return data.cached(("inner", i), lambda: i, limit=2) + 1

    def work(i: int) -> None:
        results.append(data.cached(("outer", i), lambda: nested(i), limit=2))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=5)
    assert not any(t.is_alive() for t in threads)
    assert sorted(results) == [i + 1 for i in range(8)]
    assert data._counts["outer"] == 2


def test_quotes_in_the_other_language_are_marked(client) -> None:
    html = client.get("/councils/gwynedd").text  # a Welsh strategy on an English page
    assert re.search(r'<span class="sl-quote" lang="cy">', html)
    welsh_page = client.get("/cy/councils/cardiff").text  # an English strategy on a Welsh page
    assert re.search(r'<span class="sl-quote" lang="en">', welsh_page)
    assert not re.search(r'<span class="sl-quote" lang="cy">', client.get("/cy/councils/gwynedd").text)
