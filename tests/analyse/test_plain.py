"""Plain English: written sentences, and the corpus (Strathmorven written with the faults)."""

from __future__ import annotations

from stratlens.analyse.plain import LONG_WORDS, check_text, find_jargon, find_passives, jargon_terms, plain_check


def test_jargon_with_alternatives() -> None:
    found = {t.term: w for t, w in find_jargon("Going forward we will leverage synergies and deliver outcomes, "
                                                "utilising a holistic, best-in-class ecosystem in due course.")}
    assert {"going forward", "leverage", "synergies", "deliver (an abstract thing)", "utilise", "holistic",
            "best-in-class", "ecosystem", "in due course"} <= set(found)
    assert all(t.alternatives for t in jargon_terms())
    assert find_jargon("We will deliver food parcels and rebuild the forms.") == []


def test_passive_voice() -> None:
    assert find_passives("The strategy will be refreshed periodically.")
    assert find_passives("It is recognised that change is needed.")
    assert find_passives("Data was shared by the council.")
    assert not find_passives("We will refresh the strategy every year.")
    assert not find_passives("We are committed to this and we are interested in it.")
    assert find_passives("Mae'r gwasanaeth yn cael ei ddarparu ar-lein.", "cy")


def test_long_sentences_and_rewrite_candidates(make_doc) -> None:
    long = " ".join(["word"] * (LONG_WORDS + 5)) + "."
    doc = make_doc([("A", f"{long} It is proposed that synergies will be leveraged going forward."),
                    ("B", "We will fix the forms. We will answer calls faster.")])
    r = check_text(doc)
    assert r.long_sentences == 1 and r.impersonal == ["It is proposed"]
    assert r.rewrite and r.rewrite[0].heading.endswith("A")
    assert {j["term"] for j in r.rewrite[0].jargon} >= {"synergies", "leverage", "going forward"}


def test_corpus_plain_english(corpus) -> None:
    key = corpus.key
    reports = {k: plain_check(corpus.store, corpus.doc(k)) for k in key}
    strath = reports["strathmorven-2023"]
    for k, r in reports.items():
        assert r.needs_work == key[k]["plain_english"]["faults"], k
    others = [r.mean_words for k, r in reports.items() if k != "strathmorven-2023"]
    assert strath.mean_words > 2 * max(others)                       # the key: more than twice any other
    expected = key["strathmorven-2023"]["plain_english"]
    lengths = expected["sentence_length"]
    assert abs(strath.mean_words - lengths["mean"]) / lengths["mean"] < 0.1
    assert abs(strath.max_words - lengths["max"]) <= 3
    used = [t for t in jargon_terms() if t.term in strath.jargon]
    for term in expected["jargon"]:
        assert any(t.pattern.search(term) for t in used), term
    for opener in expected["passive_openers"]:
        assert any(opener.lower() == i.lower() for i in strath.impersonal), opener
    assert strath.rewrite and strath.rewrite[0].jargon
