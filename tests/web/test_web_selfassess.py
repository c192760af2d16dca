"""The self-assessment page: content from the test corpus, editing as an analyst (persisted, shown,
exported), refusals (anonymous, no CSRF token, invalid status), and escaping of evidence."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from stratlens.analyse import selfassess as sa
from stratlens.store import Store
from web_corpus import ANALYST, EVIL, PASSWORD

PAGE = "/councils/cardiff/self-assessment"


def login(c) -> None:  # noqa: ANN001
    r = c.post("/login", data={"username": ANALYST, "password": PASSWORD, "csrf_token": token(c, "/login"),
                               "next": PAGE}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == PAGE


def token(c, path: str = PAGE) -> str:  # noqa: ANN001
    return re.search(r'name="csrf_token" value="([^"]+)"', c.get(path).text).group(1)


def stored(db: Path, council: str = "cardiff") -> dict[str, sa.Answer]:
    with Store(db) as store:
        return {a.action_id: a for a in sa.answers(store, council, save=False)}


def csv_rows(c, table: str = "answers") -> dict[str, dict[str, str]]:  # noqa: ANN001
    r = c.get(f"{PAGE}?format=csv&table={table}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    return {row["action_id"]: row for row in csv.DictReader(io.StringIO(r.text))}


def test_page_shows_prefill_with_evidence_maturity_and_peers(client) -> None:
    data = client.get(PAGE + "?format=json").json()
    answers = {a["action_id"]: a for a in data["answers"]}
    assert len(answers) == 108 and len(data["maturity"]) == 12
    inclusion = answers["inclusion.2.1"]
    assert (inclusion["status"], inclusion["source"]) == ("in-progress", "evidence")
    assert "digital inclusion programme" in inclusion["evidence"]
    assert answers["connectivity.1.1"]["status"] == "not-started"
    assert data["peers"]["councils"] == ["Gwynedd", "Newport"] and data["peers"]["group"] == "nation"
    assert len(data["peers"]["outcomes"]) == 12
    tables = {t["id"]: t for t in data["tables"]}
    assert {"maturity", "peers", "answers", "actions-inclusion"} <= set(tables)
    row = next(r for r in tables["actions-inclusion"]["rows"] if r["action_id"] == "inclusion.2.1")
    assert row["passage_id"] and row["peers"] == 2

    html = client.get(PAGE).text
    assert "Self-assessment: Cardiff" in html
    assert "Our digital inclusion programme gives free devices" in html
    assert re.search(r'href="/documents/1#passage-\d+"', html)  # the quote links to its passage
    assert 'id="outcome-inclusion"' in html and 'id="table-maturity"' in html and 'id="table-peers"' in html
    assert "<select" not in html and "Sign in to change the answers" in html  # read-only for the public
    assert "/login?next=%2Fcouncils%2Fcardiff%2Fself-assessment" in html


def test_welsh_page_and_links_from_the_council_page(client) -> None:
    cy = client.get("/cy" + PAGE)
    assert cy.status_code == 200 and "Hunanasesiad" in cy.text and "Ar y gweill" in cy.text
    assert '<span lang="en">Make sure staff grasp' in cy.text  # ladder actions exist in English only
    assert f'href="{PAGE}"' in client.get("/councils/cardiff").text
    assert 'href="/cy/councils/cardiff/self-assessment"' in client.get("/cy/councils/cardiff").text


def test_unknown_council_is_404_and_a_council_without_strategy_says_so(client) -> None:
    assert client.get("/councils/atlantis/self-assessment").status_code == 404
    r = client.get("/councils/blaenau-gwent/self-assessment")
    assert r.status_code == 200 and "nothing to pre-fill" in r.text


def test_analyst_edit_persists_and_shows_everywhere(writable_client, own_store: Path) -> None:
    c = writable_client
    before = c.get(PAGE).text  # the anonymous page is cached now: the edit must replace it
    assert "Not started" in before
    login(c)
    form = c.get(PAGE).text
    assert 'name="status-connectivity-1-1"' in form and "Save answers" in form
    r = c.post(PAGE, data={"csrf_token": token(c), "status-connectivity-1-1": "done",
                           "status-inclusion-2-1": "in-progress",  # unchanged: not saved as the council's
                           "note": "Board paper, May"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == PAGE + "?saved=1"
    page = c.get(r.headers["location"]).text
    assert "govuk-notification-banner--success" in page and "Answers saved: 1." in page
    assert re.search(r'id="status-connectivity-1-1"[^>]*>\s*<option value="done" selected', page)
    assert "Set by ana on" in page and "Board paper, May" in page

    saved = stored(own_store)
    assert (saved["connectivity.1.1"].status, saved["connectivity.1.1"].source) == ("done", "council")
    assert saved["connectivity.1.1"].updated_by == "ana" and saved["connectivity.1.1"].note == "Board paper, May"
    assert saved["inclusion.2.1"].source == "evidence"
    row = csv_rows(c)["connectivity.1.1"]
    assert (row["status"], row["source"], row["updated_by"]) == ("done", "council", "ana")
    assert csv_rows(c, "actions-connectivity")["connectivity.1.1"]["status"] == "done"
    data = c.get(PAGE + "?format=json").json()
    assert next(a for a in data["answers"] if a["action_id"] == "connectivity.1.1")["status"] == "done"
    connectivity = next(m for m in data["maturity"] if m["outcome_id"] == "connectivity")
    assert connectivity["done"] == 1 and connectivity["stage"] == 1

    c.cookies.clear()  # the public sees the change at once, read-only
    public = c.get(PAGE).text
    assert "Set by ana on" in public and "<select" not in public
    assert c.get("/api/councils/cardiff/self-assessment").json()["answers"][0]["action_id"]

    login(c)  # saving nothing changed says so
    r = c.post(PAGE, data={"csrf_token": token(c), "status-connectivity-1-1": "done"}, follow_redirects=False)
    assert r.headers["location"].endswith("saved=0")
    assert "nothing was saved" in c.get(r.headers["location"]).text


def test_edits_made_in_the_same_second_both_show(writable_client) -> None:
    c = writable_client
    login(c)
    for status in ("done", "in-progress"):
        c.post(PAGE, data={"csrf_token": token(c), "status-value-1-1": status})
        c.cookies.clear()
        assert csv_rows(c, "actions-value")["value.1.1"]["status"] == status
        login(c)


def test_anonymous_post_is_refused(writable_client, own_store: Path) -> None:
    r = writable_client.post(PAGE, data={"status-connectivity-1-1": "done"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    assert stored(own_store)["connectivity.1.1"].status == "not-started"


def test_post_without_csrf_token_is_refused(writable_client, own_store: Path) -> None:
    login(writable_client)
    r = writable_client.post(PAGE, data={"status-connectivity-1-1": "done"}, follow_redirects=False)
    assert r.status_code == 400 and "Your form has expired" in r.text
    r = writable_client.post(PAGE, data={"status-connectivity-1-1": "done", "csrf_token": "forged"},
                             follow_redirects=False)
    assert r.status_code == 400
    assert stored(own_store)["connectivity.1.1"].status == "not-started"


def test_invalid_status_shows_the_error_summary_and_saves_nothing(writable_client, own_store: Path) -> None:
    c = writable_client
    login(c)
    r = c.post(PAGE, data={"csrf_token": token(c), "status-connectivity-1-1": "done",
                           "status-data-1-1": "finished", "note": "x" * 501}, follow_redirects=False)
    assert r.status_code == 400
    assert "govuk-error-summary" in r.text and "<title>Error:" in r.text
    assert '<a href="#status-data-1-1">' in r.text and '<a href="#note">' in r.text
    assert 'id="status-data-1-1-error"' in r.text and "govuk-select--error" in r.text
    assert re.search(r'id="status-connectivity-1-1"[^>]*>\s*<option value="done" selected', r.text)  # kept
    assert stored(own_store)["connectivity.1.1"].status == "not-started"
    cy = c.post("/cy" + PAGE, data={"csrf_token": token(c), "status-data-1-1": "finished"})
    assert cy.status_code == 400 and "Mae problem" in cy.text


def test_evidence_is_escaped(client, writable_client, own_store: Path) -> None:
    html = client.get("/councils/newport/self-assessment").text  # the quote carries the script
    assert "<script" not in html.lower() and "&lt;script&gt;" in html
    with Store(own_store) as store:  # a stored answer whose evidence is no longer the ladder's
        sa.set_answers(store, "cardiff", [("value.1.1", "done")], by="ana")
        with store.transaction() as conn:
            conn.execute("UPDATE self_assessments SET evidence = ? WHERE action_id = 'value.1.1'", (EVIL,))
    page = writable_client.get(PAGE).text
    assert "<script" not in page.lower() and "&lt;script&gt;alert" in page


def test_page_prefill_is_the_cli_prefill(client, built_store: Path) -> None:
    """The page pre-fills from the analyses' cached ladders; the CLI reads the strategy again."""
    page = {a["action_id"]: (a["status"], a["evidence"]) for a in client.get(PAGE + "?format=json").json()["answers"]}
    assert page == {k: (a.status, a.evidence) for k, a in stored(built_store).items()}


def test_analyst_returns_answers_to_the_prefill(writable_client, own_store: Path) -> None:
    c = writable_client
    login(c)
    assert "Return all answers to the pre-fill" not in c.get(PAGE).text  # nothing of its own yet
    c.post(PAGE, data={"csrf_token": token(c), "status-connectivity-1-1": "done", "status-value-1-1": "done"})
    form = c.get(PAGE).text
    assert "has given 2 answers itself" in form
    r = c.post(PAGE + "/reset", data={}, follow_redirects=False)
    assert r.status_code == 400  # no CSRF token
    r = c.post(PAGE + "/reset", data={"csrf_token": token(c)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == PAGE + "?reset=2"
    assert "Answers returned to the pre-fill: 2." in c.get(r.headers["location"]).text
    saved = stored(own_store)
    assert (saved["connectivity.1.1"].status, saved["connectivity.1.1"].source) == ("not-started", "evidence")
    c.cookies.clear()
    r = c.post(PAGE + "/reset", data={}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")  # anonymous
