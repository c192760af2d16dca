"""Commitment extraction: exact cases written here, and the Wyvernshire answer key (15 dated
commitments with owner and measure)."""

from __future__ import annotations

import pytest

from stratlens.analyse.commitments import extract, is_concrete
from stratlens.analyse.text import content_tokens, doc_text, normalise_space
from stratlens.analyse.text import sentences, units


def one(text: str, heading: str = "Priority 1", **kw):
    us = units([{"id": 1, "seq": 0, "text": text, "page": 3, "heading": f"Strategy > {heading}", "lang": "en"}])
    from stratlens.analyse.text import DocText

    return extract(DocText({"id": 1, "title": "Strategy"}, us, sentences(us)), **kw)


def test_opening_date_with_owner_and_measure() -> None:
    [c] = one("By March 2026 we will rebuild the 20 most-used online forms. Owner: Head of Digital Services. "
              "Measure: share of forms completed online, from 38% in 2024/25 to 65% by March 2028.")
    assert c.date == "2026-03" and c.kind == "deadline" and c.precision == "month"
    assert c.text == "By March 2026 we will rebuild the 20 most-used online forms."
    assert (c.owner, c.owner_source) == ("Head of Digital Services", "label")
    assert c.measure == "share of forms completed online"
    assert (c.baseline, c.target) == ("38% in 2024/25", "65% by March 2028")


def test_date_after_promise_and_owner_named_in_sentence() -> None:
    [c] = one("The Head of ICT will lead the work, and we will switch on multi-factor authentication for every "
              "account by the end of 2025.")
    assert c.date == "2025-12" and c.owner == "Head of ICT" and c.owner_source == "sentence"


def test_owner_from_the_passage() -> None:
    [c] = one("The Digital Programme Board oversees delivery. We will publish an algorithm register by June 2026.")
    assert c.owner == "Digital Programme Board" and c.owner_source == "passage"


def test_target_and_baseline_from_the_sentence() -> None:
    [c] = one("We will raise the number of residents trained from 500 to 800 a year by March 2026.")
    assert (c.baseline, c.target) == ("500", "800")
    [c] = one("By June 2026 we will reduce avoidable calls by 30%.")
    assert c.target == "30%"


def test_list_items_under_a_lead_in() -> None:
    cs = one("We will: launch a bilingual online account by the end of 2020; move 30 transactions online by 2022; "
             "train 500 residents a year in digital skills; introduce webchat by 2020.")
    assert [(c.date, c.form) for c in cs] == [("2020-12", "item"), ("2022-12", "item"), ("2020-12", "item")]
    undated = one("We will: launch a bilingual online account by the end of 2020; train 500 residents a year in "
                  "digital skills; explore new ideas.", include_undated=True)
    assert [c.kind for c in undated] == ["deadline", "undated"]  # 'explore' is not concrete


def test_imperative_items_and_table_rows() -> None:
    [c] = one("Connect 60 council buildings to full fibre by March 2023 through our public sector network.",
              heading="What we will do")
    assert c.date == "2023-03" and c.kind == "deadline"
    rows = one("Year | What we will do. 2022/23 | Launch the customer account; rebuild the five most-used forms. "
               "2023/24 | Create the single customer record", heading="Action plan")
    assert [(c.text, c.date) for c in rows] == [("Launch the customer account", "2023-03"),
                                                ("rebuild the five most-used forms", "2023-03"),
                                                ("Create the single customer record", "2024-03")]
    assert all(c.form == "row" and c.kind == "dated" for c in rows)


def test_welsh_commitment() -> None:
    [c] = one("Erbyn Mawrth 2026 byddwn yn penodi Swyddog Cysylltedd Digidol.")
    assert c.date == "2026-03" and c.kind == "deadline" and c.owner == "Swyddog Cysylltedd Digidol"


@pytest.mark.parametrize("text", [
    "By 2021 every office-based member of staff had a laptop.",                       # the past
    "We will not start a rebuild of adult social care case management until 2027/28.",  # a deferral
    "It sets out what residents and staff will notice by March 2028.",                # not the council acting
    "We signed the Local Digital Declaration in 2018.",
    "By 2026 Aldchester will be a connected city where:",                               # a lead-in
])
def test_not_commitments(text: str) -> None:
    assert one(text) == []


def test_dated_but_not_deadline() -> None:
    [c] = one("We will refresh the strategy in full in July 2026.")
    assert c.kind == "dated" and c.date == "2026-07"


@pytest.mark.parametrize("text, concrete", [
    ("We will rebuild our housing repairs service.", True),
    ("We will embrace new ways of delivering services.", False),
    ("We will explore new technologies and consider how they might help.", False),
    ("We will make sure that nobody is left behind.", False),
    ("We will continue to offer other ways of contacting us.", False),
    ("We will webcast every Cabinet meeting.", True),
    ("Every new digital project will be assessed against the Service Standard.", True),
    ("Every decision we make will be guided by what is best for residents.", False),
])
def test_concreteness(text: str, concrete: bool) -> None:
    assert is_concrete(text) is concrete


# -- the answer key ------------------------------------------------------------------------------
def _match(items, snippet: str):
    want = content_tokens(snippet)
    return max(items, key=lambda c: len(want & content_tokens(c.text)) / len(want))


def test_wyvernshire_commitments_match_the_key(corpus, key) -> None:
    doc = doc_text(corpus.store, corpus.doc("wyvernshire-2025"))
    found = extract(doc)
    deadlines = [c for c in found if c.kind == "deadline"]
    expected = key["commitments"]["items"]
    assert len(deadlines) == key["commitments"]["count"] == len(expected)
    for item in expected:
        c = _match(deadlines, item["snippet"])
        assert normalise_space(c.text)[:60] == item["snippet"][:60], item["id"]
        assert c.date == item["date"], item["id"]
        assert c.owner == item["owner"], item["id"]
        assert c.measure and c.measure.startswith(item["measure"][:25]), item["id"]
        assert c.page is not None


def test_wyvernshire_other_dated_statements_are_not_deadlines(corpus, key) -> None:
    doc = doc_text(corpus.store, corpus.doc("wyvernshire-2025"))
    dated = [c for c in extract(doc) if c.kind == "dated"]
    texts = " ".join(c.text for c in dated)
    assert "refresh the strategy in full in July 2026" in texts
    assert "separate Data Strategy in 2026" in texts
    assert not any("adult social care" in c.text for c in extract(doc))  # 'will not start ... until'


@pytest.mark.parametrize("key_id", ["erwen-2023", "hollowbrook-2024", "ravensclough-2023", "strathmorven-2023"])
def test_documents_without_dated_actions(corpus, key_id: str) -> None:
    assert extract(doc_text(corpus.store, corpus.doc(key_id))) == []


def test_brynhafod_2019_numbered_commitments(corpus, key) -> None:
    found = extract(doc_text(corpus.store, corpus.doc("brynhafod-2019")), include_undated=True)
    for item in key["editions"]["commitments_2019"]:
        c = _match(found, item["snippet"])
        assert len(content_tokens(item["snippet"]) - content_tokens(c.text)) <= 1, item["id"]
