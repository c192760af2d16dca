"""Strategy type (2016 taxonomy): written cases and the answer key's types for all nine examples."""

from __future__ import annotations

import pytest

from stratlens.analyse.strategy_type import TYPE_PATTERNS, classify_type, strategy_type
from stratlens.frameworks import load_framework

SMART = ("Our ambition is to become a leading smart city. We will install sensors and a LoRaWAN network for the "
         "Internet of Things, publish open data on a city data platform, open an innovation district with incubator "
         "space for start-ups, and work with the university and the Connected Places Catapult. Real-time data will "
         "help us manage traffic and energy in the city. Sensors on our streets and open datasets will support "
         "local firms, and a tech talent programme will grow the digital economy.")
GDS = ("We follow the Government Digital Service Service Standard and signed the Local Digital Declaration. "
       "Start with user needs: our user researchers test every service. Our design principles: do the hard work "
       "to make it simple; work in the open. Each service goes through discovery, alpha and beta and is designed "
       "end to end, so that residents choose to do so because it is easier. User research shapes every redesign.")


def test_one_pattern_per_signal() -> None:
    taxonomy = load_framework("blackwell-2016")
    for t in taxonomy.types:
        assert len(TYPE_PATTERNS[t.id]) == len(t.signals), t.id


def test_written_smart_city(make_doc) -> None:
    result = classify_type(make_doc([("Vision", SMART)]), None)
    assert result.types == ["smart-city-focus"] and not result.mixed


def test_written_gds(make_doc) -> None:
    result = classify_type(make_doc([("Principles", GDS)]), None)
    assert result.types == ["gds-user-centric"]
    top = result.scores[0]
    assert any(s["quotes"] for s in top.signals)  # the evidence is quoted


def test_mixed_when_two_types_carry_equal_weight(make_doc) -> None:
    inclusion = ("Digital exclusion has many causes: cost, disability and confidence. We will offer basic digital "
                 "skills courses and digital champions in libraries so that everyone can get online, move simple "
                 "transactions online through a customer account, and track the share of transactions completed "
                 "online. Not everyone can afford a device, so we will lend tablets. Staff skills training will build "
                 "confidence. Assisted digital help stays at the contact centre.")
    place = "Our smart place programme runs on a city data platform."
    result = classify_type(make_doc([("Smart", SMART), ("Place", place), ("Included", inclusion)]), None)
    assert set(result.types) == {"smart-city-focus", "digital-inclusion-focus"} and result.mixed


@pytest.mark.parametrize("key_id", ["wyvernshire-2025", "brynhafod-2019", "brynhafod-2024", "erwen-2023",
                                    "ashcombe-vale-2022", "aldchester-2021", "hollowbrook-2024", "strathmorven-2023",
                                    "ravensclough-2023"])
def test_types_agree_with_the_key(corpus, key_id: str) -> None:
    result = strategy_type(corpus.store, corpus.doc(key_id))
    want = corpus.key[key_id]["blackwell"]
    assert sorted(result.types) == sorted(want["types"]) and result.mixed == want["mixed"]


def test_confidence_agreement_is_recorded(corpus) -> None:
    """Measured 6/9 (docs/analysis.md); held as a floor."""
    agree = sum(strategy_type(corpus.store, corpus.doc(k)).confidence == v["blackwell"]["confidence"]
                for k, v in corpus.key.items())
    assert agree >= 6
