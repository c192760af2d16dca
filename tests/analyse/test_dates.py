"""Dates in English and Welsh, normalised to YYYY-MM (rules in analyse/dates.py)."""

from __future__ import annotations

import pytest

from stratlens.analyse.dates import find_dates, strategy_period


@pytest.mark.parametrize("text, connective, value, precision", [
    ("By March 2026 we will", "by", "2026-03", "month"),
    ("by the end of 2020", "by the end of", "2020-12", "year"),
    ("by 2022", "by", "2022-12", "year"),
    ("in 2025/26", "in", "2026-03", "financial-year"),
    ("during 2024-25", "during", "2025-03", "financial-year"),
    ("by 2025/2026", "by", "2026-03", "financial-year"),
    ("in Q3 2025", "in", "2025-09", "quarter"),
    ("in Q3 2025/26", "in", "2025-12", "quarter"),
    ("by Q4 2025/26", "by", "2026-03", "quarter"),
    ("in the third quarter of 2025", "in", "2025-09", "quarter"),
    ("from April 2025", "from", "2025-04", "month"),
    ("by spring 2025", "by", "2025-05", "season"),
    ("by winter 2025", "by", "2026-02", "season"),
    ("erbyn Mawrth 2026", "erbyn", "2026-03", "month"),
    ("erbyn diwedd 2025", "erbyn diwedd", "2025-12", "year"),
    ("ym Mehefin 2025", "ym", "2025-06", "month"),
    ("erbyn 2025/26", "erbyn", "2026-03", "financial-year"),
])
def test_date_normalised(text: str, connective: str, value: str, precision: str) -> None:
    [d] = find_dates(text)
    assert (d.connective, d.value, d.precision) == (connective, value, precision)


def test_deadline_connectives() -> None:
    assert find_dates("by March 2026")[0].is_deadline
    assert find_dates("erbyn Mawrth 2026")[0].is_deadline
    assert not find_dates("in July 2026")[0].is_deadline
    assert not find_dates("from April 2025")[0].is_deadline


@pytest.mark.parametrize("text", ["2,140 responses", "12 posts", "up from 68%", "in the first year", "£1.5 million"])
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_periods_are_not_dates() -> None:
    [d] = find_dates("our strategy 2023-2028")
    assert d.value is None and d.precision == "period" and d.period == (2023, 2028)
    [d] = find_dates("Digital Hollowbrook 2024 to 2027")
    assert d.period == (2024, 2027)
    assert strategy_period("Erwen Ddigidol: Strategaeth Ddigidol 2023-2028", "") == (2023, 2028)
    assert strategy_period("Our Digital Vision", "Published October 2023.") is None
