"""Passages: heading path and page kept, fragments merged, long blocks split, language per passage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stratlens.ingest import iter_input_files, read_file
from stratlens.lang import detect_language
from stratlens.model import Block
from stratlens.segment import MAX_CHARS, MIN_CHARS, TARGET_CHARS, segment, split_sentences


def H(text: str, level: int = 1, page: int | None = None) -> Block:
    return Block(text, "heading", page=page, level=level)


def P(text: str, page: int | None = None) -> Block:
    return Block(text, "paragraph", page=page)


def LI(text: str, page: int | None = None) -> Block:
    return Block(text, "list-item", page=page)


def sentences(n: int, start: int = 0) -> str:
    return " ".join(f"Sentence number {i} says that the council will improve its online services for all residents."
                    for i in range(start, start + n))


def test_heading_path_follows_levels():
    blocks = [H("Strategy", 1), H("Priorities", 2), H("Data", 3), P(sentences(2)),
              H("Skills", 3), P(sentences(2, 10)), H("Governance", 2), P(sentences(2, 20)),
              H("Annex", 1), P(sentences(2, 30))]
    passages = segment(blocks)
    assert [p.heading_path for p in passages] == [
        ["Strategy", "Priorities", "Data"],
        ["Strategy", "Priorities", "Skills"],
        ["Strategy", "Governance"],
        ["Annex"],
    ]
    assert passages[0].heading == "Strategy > Priorities > Data"


def test_skipped_heading_level_and_text_before_first_heading():
    passages = segment([P(sentences(2)), H("Top", 1), H("Deep", 4), P(sentences(2, 5)), H("Next", 2),
                        P(sentences(2, 9))])
    assert [p.heading_path for p in passages] == [[], ["Top", "Deep"], ["Top", "Next"]]


def test_page_of_first_block_is_kept():
    passages = segment([H("Intro", 1, page=1), P(sentences(3), page=1), H("Plan", 1, page=2),
                        P("Short start of a section.", page=2), P("It carries on over the page.", page=3)])
    assert [p.page for p in passages] == [1, 2]
    assert passages[1].text == "Short start of a section. It carries on over the page."


def test_fragments_are_merged_until_min_chars():
    frags = ["We will act.", "On data.", "On skills.", "On platforms.", "On partnerships with others.",
             "And on culture across the council.", "With residents.", "Every year.", "From now."]
    passages = segment([H("Aims", 1)] + [P(f) for f in frags])
    assert len(passages) == 1
    assert passages[0].text == " ".join(frags)


def test_fragments_without_full_stop_are_kept_apart_or_joined():
    # a subtitle run into the next block gets a full stop; a lower-case continuation does not
    passages = segment([P("Our vision"), P("We will be a digital council."), P("and a fair one, for all.")])
    assert passages[0].text == "Our vision. We will be a digital council. and a fair one, for all."
    passages = segment([P("Over the next three years we will invest in"), P("full fibre for every school.")])
    assert passages[0].text == "Over the next three years we will invest in full fibre for every school."


def test_fragments_do_not_merge_across_headings():
    passages = segment([H("One", 1), P("Short."), H("Two", 1), P("Also short.")])
    assert [(p.heading_path, p.text) for p in passages] == [(["One"], "Short."), (["Two"], "Also short.")]


def test_list_stays_with_its_lead_in():
    items = ["a customer account for council tax, benefits and housing repairs",
             "an open data portal with monthly releases of service performance data",
             "a digital skills programme for every front-line member of staff"]
    blocks = [H("Actions", 1), P("In the first year we will deliver:")] + [LI(i) for i in items] + [P(sentences(3))]
    passages = segment(blocks)
    assert passages[0].text == "In the first year we will deliver: " + "; ".join(items) + "."
    assert passages[1].text.startswith("Sentence number 0")


def test_short_list_and_short_paragraph_are_merged():
    passages = segment([H("Actions", 1), P("We will deliver:"), LI("a customer account"), LI("an open data portal"),
                        P("Both by 2025.")])
    assert [p.text for p in passages] == ["We will deliver: a customer account; an open data portal; Both by 2025."]


def test_long_paragraphs_start_new_passages():
    passages = segment([H("Text", 1)] + [P(sentences(4, i * 4)) for i in range(5)])
    assert len(passages) == 5
    assert all(MIN_CHARS <= len(p.text) <= MAX_CHARS for p in passages)


def test_over_long_block_is_split_at_sentence_ends():
    text = sentences(80)
    assert len(text) > 5 * MAX_CHARS
    passages = segment([H("Long", 1, page=7), P(text, page=7)])
    assert len(passages) >= 5
    assert all(len(p.text) <= MAX_CHARS for p in passages)
    assert all(len(p.text) <= TARGET_CHARS + 120 for p in passages)
    assert all(p.text.endswith("residents.") and p.text.startswith("Sentence number") for p in passages)
    assert " ".join(p.text for p in passages) == text  # nothing lost, nothing reordered
    assert all(p.page == 7 and p.heading_path == ["Long"] for p in passages)
    assert [p.seq for p in passages] == list(range(len(passages)))


@pytest.mark.parametrize("text", [
    "word " * 900,  # one sentence, no full stops
    "x" * 5000,  # one 'word' with no space at all
    ("A table row | with cells | and numbers 2024 | " * 60),
])
def test_no_passage_over_max_chars_even_without_sentences(text):
    passages = segment([P(text)])
    assert passages
    assert all(0 < len(p.text) <= MAX_CHARS for p in passages)
    assert "".join(p.text.replace(" ", "") for p in passages) == text.replace(" ", "").rstrip(";")


def test_long_list_is_split():
    items = [LI(f"action {i}: improve an online service used by residents every week") for i in range(60)]
    passages = segment([H("Action plan", 1), P("We will:")] + items)
    assert len(passages) > 1
    assert all(len(p.text) <= MAX_CHARS for p in passages)
    assert all(p.heading_path == ["Action plan"] for p in passages)


def test_char_offsets_increase():
    passages = segment([H("A", 1), P(sentences(30)), H("B", 1), P(sentences(3))])
    starts = [p.char_start for p in passages]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(p.char_end - p.char_start == len(p.text) for p in passages)


def test_empty_and_blank_blocks_give_no_passages():
    assert segment([]) == []
    assert segment([P("   "), H("Only a heading", 1)]) == []


def test_split_sentences():
    assert split_sentences("One thing. Two things! Three? “Four” is quoted. 5 is a number.") == [
        "One thing.", "Two things!", "Three?", "“Four” is quoted.", "5 is a number."]
    # no split after abbreviations followed by lower case, or inside numbers
    assert split_sentences("It costs £2.5m, e.g. for staff. Done.") == ["It costs £2.5m, e.g. for staff.", "Done."]


# -- language per passage ----------------------------------------------------------------------------
def test_welsh_paragraph_gets_cy(welsh, english):
    passages = segment([H("Strategaeth", 1), P(welsh), H("Strategy", 1), P(english[0] + " " + english[1])])
    assert [p.lang for p in passages] == ["cy", "en"]


@pytest.mark.parametrize("text, lang", [
    ("Mae'r cyngor yn gweithio gyda'r gymuned i wella gwasanaethau digidol.", "cy"),
    ("Byddwn ni'n cyhoeddi data agored bob blwyddyn ar gyfer ein trigolion.", "cy"),
    ("Rydym wedi ymrwymo i ddatblygu sgiliau digidol y gweithlu.", "cy"),
    ("We will publish open data every year for our residents.", "en"),
    ("The council is working with the community to improve digital services.", "en"),
    ("Data trumps intuition", "und"),  # 'data' is English as well as Welsh: it decides nothing
    ("12345 — 2024/25", "und"),
    ("", "und"),
])
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_data_alone_is_not_welsh():
    assert detect_language("“Data trumps intuition”") != "cy"
    assert detect_language("Data, data, data.") == "und"


def test_mixed_language_document_detected_per_passage(welsh, english):
    blocks = []
    for i in range(3):
        blocks += [H(f"Adran {i}", 1), P(welsh), H(f"Section {i}", 1), P(english[i] + " " + english[i + 1])]
    passages = segment(blocks)
    assert [p.lang for p in passages] == ["cy", "en"] * 3


# -- on every document we can find -------------------------------------------------------------------
def test_passage_invariants_on_real_documents(shared_corpus_if_any):
    """The bundled examples, and the shared corpus when it is there."""
    import stratlens

    roots = [Path(stratlens.__file__).parent / "examples" / "corpus"]
    if shared_corpus_if_any is not None:
        roots.append(shared_corpus_if_any)
    files = [f for f in iter_input_files(roots) if f.is_file()]
    assert files
    for f in files:
        result, _ = read_file(f)
        passages = segment(result.blocks)
        assert passages, f
        assert [p.seq for p in passages] == list(range(len(passages)))
        for p in passages:
            assert p.text.strip() == p.text and p.text, f
            assert len(p.text) <= MAX_CHARS, (f, len(p.text))
            assert p.lang in ("en", "cy", "und")
            assert not re.search(r"\s{2,}", p.text), (f, p.text[:80])
            assert all(h.strip() for h in p.heading_path)
