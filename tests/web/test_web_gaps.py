"""The corpus gaps page: themes most strategies miss, with the overview's filters."""

from __future__ import annotations

import csv
import io


def gaps(client, query: str = "") -> dict[str, dict]:  # noqa: ANN001
    data = client.get("/api/gaps" + query).json()
    return {r["theme_id"]: r for r in data["tables"][0]["rows"]} | {"_page": data}


def test_themes_missed_by_every_council_come_first(client) -> None:
    rows = gaps(client)
    page = rows.pop("_page")
    assert page["documents"] == 3 and page["framework"] == "lga-digitalisation-outcomes"
    democracy = rows["democracy-and-participation"]
    assert (democracy["missing"], democracy["documents"], democracy["share"]) == (3, 3, 1.0)
    assert democracy["council_ids_missing"] == ["cardiff", "gwynedd", "newport"]
    assert democracy["notable_practice"]  # the LGA's examples for the outcome
    inclusion = rows["inclusion"]
    assert inclusion["missing"] == 0 and set(inclusion["covering_best"]) == {"Cardiff", "Gwynedd", "Newport"}
    security = rows["security-and-resilience"]
    assert security["councils_missing"] == ["Gwynedd", "Newport"] and security["covering_best"] == ["Cardiff"]
    ordered = list(rows.values())
    assert all(a["share"] >= b["share"] for a, b in zip(ordered, ordered[1:]))


def test_filters_and_other_frameworks(client) -> None:
    rows = gaps(client, "?nation=Wales&year=2023")
    assert rows.pop("_page")["documents"] == 1
    assert rows["security-and-resilience"]["missing"] == 0  # only Cardiff is in this view
    blackwell = gaps(client, "?framework=blackwell-2016")
    assert blackwell.pop("_page")["framework"] == "blackwell-2016"
    assert all(r["thin"] is None for r in blackwell.values())  # thin coverage is judged for LGA outcomes only
    assert any(r["notable_practice"] for r in blackwell.values())  # through maps_to_lga
    html = client.get("/gaps?framework=good-digital-strategy").text
    assert "Covered thinly" not in html and 'id="table-gaps"' in html
    assert client.get("/gaps?framework=nope").status_code == 404


def test_page_chart_table_csv_and_links(client) -> None:
    html = client.get("/gaps").text
    assert html.count('class="sl-chart__fill"') == 12 and 'id="table-gaps"' in html
    assert 'href="/themes/lga-digitalisation-outcomes/democracy-and-participation"' in html
    r = client.get("/gaps?format=csv&table=gaps")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 12 and {"theme_id", "missing", "share", "councils_missing", "notable_practice"} <= set(rows[0])
    assert 'href="/gaps"' in client.get("/").text  # the navigation and the overview link to it
    assert 'href="/gaps?framework=lga-digitalisation-outcomes&amp;nation=Wales"' in client.get("/?nation=Wales").text
    cy = client.get("/cy/gaps")
    assert cy.status_code == 200 and "Themâu y mae’r rhan fwyaf o strategaethau yn eu colli" in cy.text
