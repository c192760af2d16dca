"""Keyword and semantic search, and highlighting that never trusts the passage text."""

from __future__ import annotations

import pytest

from stratlens.web.highlight import highlight, snippet, terms_of


def test_highlight_marks_whole_words_case_and_accent_blind() -> None:
    pieces = highlight("Digital inclusion; DIGITAL skills; digitally", terms_of("digital"))
    assert [p for p, hit in pieces if hit] == ["Digital", "DIGITAL"]
    assert [p for p, hit in highlight("Cynhwysiant digidol i’r Gymraeg", terms_of("cymraeg"), prefix=True)
            if hit] == []
    assert [p for p, hit in highlight("gwasanaethau ar-lein yn Gymraeg", terms_of("gymraeg")) if hit] == ["Gymraeg"]
    assert [p for p, hit in highlight("Café culture", terms_of("cafe")) if hit] == ["Café"]


def test_snippet_is_a_window_around_the_first_match() -> None:
    text = ("word " * 200) + "target " + ("word " * 200)
    pieces = snippet(text, ["target"], width=120)
    joined = "".join(p for p, _ in pieces)
    assert "target" in joined and len(joined) < 140 and joined.startswith("… ") and joined.endswith(" …")


def test_keyword_search_page(client) -> None:
    html = client.get("/search?q=devices").text
    assert '<mark class="sl-mark">devices</mark>' in html
    assert "/documents/1#passage-" in html
    assert "passages found" in html or "passage found" in html


def test_keyword_search_with_hostile_query(client) -> None:
    for q in ['"', "AND OR NOT", "*", "<script>", "a" * 500, "NEAR(", "'; DROP TABLE passages; --"]:
        r = client.get("/search", params={"q": q})
        assert r.status_code == 200, q
        assert "<script>" not in r.text


def test_welsh_keyword_search(client) -> None:
    html = client.get("/cy/search?q=cynhwysiant").text
    assert '<mark class="sl-mark">Cynhwysiant</mark>' in html or '<mark class="sl-mark">cynhwysiant</mark>' in html


@pytest.mark.slow
def test_semantic_search_finds_meaning_not_words(client) -> None:
    data = client.get("/api/search", params={"q": "protecting computers from hackers", "mode": "semantic"}).json()
    rows = data["tables"][0]["rows"]
    assert rows and "cyber security" in rows[0]["text"]
    html = client.get("/search", params={"q": "protecting computers from hackers", "mode": "semantic"}).text
    assert "cyber security" in html
