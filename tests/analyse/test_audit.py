"""Quality audit: exact cases on documents written here, and every criterion the answer key
asserts for the nine example strategies."""

from __future__ import annotations

import pytest

from stratlens.analyse.audit import STATUSES, audit_document, audit_text

CRITERIA = 16


def status(doc, criterion: str) -> str:
    return audit_text(doc, min_words=1).status(criterion)


def test_every_criterion_gets_a_status_and_evidence_or_its_absence(make_doc) -> None:
    doc = make_doc([("Who is responsible", "The Cabinet Member for Digital is the lead member. We will report "
                     "progress to Cabinet every six months. By March 2026 we will publish a data strategy.")])
    result = audit_text(doc, min_words=1)
    assert len(result.criteria) == CRITERIA
    for c in result.criteria:
        assert c.status in STATUSES and c.reason
        if c.status == "met":
            assert c.evidence and all(q.quote and q.heading for q in c.evidence)


@pytest.mark.parametrize("criterion, text, expected", [
    ("review-and-reporting", "We will report progress to Cabinet every year.", "met"),
    ("review-and-reporting", "The strategy will be refreshed periodically.", "partly-met"),
    ("review-and-reporting", "Missed bin reports and reporting potholes will move online.", "not-met"),
    ("named-ownership", "The Digital Board, chaired by the Chief Executive, oversees delivery.", "met"),
    ("named-ownership", "The council will fund a digital lead and a web content officer.", "not-met"),
    ("resources-identified", "We have set aside £350,000 from the Transformation Reserve.", "met"),
    ("resources-identified", "This strategy will be delivered within existing resources.", "partly-met"),
    ("resources-identified", "We will save £1.5 million by moving contacts online.", "not-met"),
    ("corporate-financial-integration", "The savings, £420,000 a year, are included in the Medium Term Financial Strategy.", "met"),
    ("corporate-financial-integration", "This strategy supports the Corporate Plan 2023-2028.", "not-met"),
    ("maps-to-local-plans", "This strategy supports the Corporate Plan 2023-2028 and our Workforce Strategy.", "met"),
    ("maps-to-local-plans", "We follow the Digital Strategy for Wales.", "not-met"),
    ("shared-approach", "We follow the Digital Strategy for Wales and the Digital Service Standards for Wales.", "met"),
    ("shared-approach", "We will work with Welsh Government on broadband.", "partly-met"),
    ("behaviour-based-understanding", "We know that older residents prefer to phone, while young people expect apps.", "not-met"),
    ("behaviour-based-understanding", "We found four common patterns of behaviour that cut across age.", "met"),
    ("user-needs-grounded", "We ran a resident survey that received 2,140 responses.", "met"),
    ("user-needs-grounded", "We know that residents want to do more online.", "not-met"),
    ("user-research-based", "Our user researchers carried out 52 interviews and usability testing.", "met"),
    ("user-research-based", "Byddwn yn: cynnal ymchwil defnyddwyr cyn newid gwasanaeth; lansio Fy Nghyfrif.", "partly-met"),
    ("success-metrics", "We will track: the number of calls; the share of transactions online.", "partly-met"),
    ("success-metrics", "We will know that this strategy has worked when residents tell us so.", "not-met"),
    ("implementation-plan", "A detailed delivery plan will be developed in due course.", "not-met"),
    ("outcome-focused", "Our vision is for Testshire to be a truly digital council.", "not-met"),
    ("outcome-focused", "It is not a plan to buy technology: every project starts from an outcome for people.", "met"),
    ("specific-objectives", "We will embrace digital. We will explore new technologies and consider how they help.", "not-met"),
    ("specific-objectives", "We will launch an account. We will rebuild 20 forms. We will webcast every Cabinet meeting.", "met"),
    ("learns-from-others", "Our website runs on LocalGov Drupal, shared with other councils.", "met"),
    ("learns-from-others", "We will learn from our mistakes.", "not-met"),
    ("prioritised-roadmap", "Year one focuses on foundations; later years build on them.", "met"),
])
def test_written_cases(make_doc, criterion: str, text: str, expected: str) -> None:
    assert status(make_doc([("Section", text)]), criterion) == expected


def test_timelines_from_dates_or_period_only(make_doc) -> None:
    dated = make_doc([("Plan", "By March 2026 we will launch an account. By June 2026 we will rebuild 20 forms.")])
    assert status(dated, "delivery-timelines") == "met"
    period = make_doc([("Plan", "We will launch an account and rebuild our forms.")], title="Digital Testshire 2024-2027")
    assert status(period, "delivery-timelines") == "partly-met"
    none = make_doc([("Plan", "We will launch an account and rebuild our forms.")], title="Our digital vision")
    assert status(none, "delivery-timelines") == "not-met"


def test_too_short_is_not_assessable(make_doc) -> None:
    result = audit_text(make_doc([("Intro", "We will be digital.")]))
    assert {c.status for c in result.criteria} == {"not-assessable"}


# -- the answer key ------------------------------------------------------------------------------
KEYED = ["wyvernshire-2025", "brynhafod-2019", "brynhafod-2024", "erwen-2023", "ashcombe-vale-2022",
         "aldchester-2021", "hollowbrook-2024", "strathmorven-2023", "ravensclough-2023"]


@pytest.mark.parametrize("key_id", KEYED)
def test_criteria_agree_with_the_key(corpus, key_id: str) -> None:
    result = audit_document(corpus.store, corpus.doc(key_id))
    expected = corpus.key[key_id]["criteria"]
    got = {c: result.status(c) for c in expected}
    assert got == expected


def test_strongest_and_weakest(corpus) -> None:
    strong = audit_document(corpus.store, corpus.doc("wyvernshire-2025"))
    weak = audit_document(corpus.store, corpus.doc("ravensclough-2023"))
    assert strong.counts["met"] == CRITERIA
    assert weak.counts["not-met"] == CRITERIA
    assert len(strong.commitments) >= 15 and "Digital Programme Board" in strong.owners


def test_welsh_document_is_audited_and_its_saturated_labels_flagged(corpus) -> None:
    result = audit_document(corpus.store, corpus.doc("erwen-2023"))
    assert result.language == "cy" and result.counts["not-assessable"] == 0
    named = next(c for c in result.criteria if c.criterion == "named-ownership")
    assert any("Aelod Cabinet" in q.quote or "Bwrdd" in q.quote for q in named.evidence)
