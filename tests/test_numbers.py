"""The number parser on real-style news sentences, edge cases and text with no figures."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from presslab.numbers import FIGURE_TYPES, _tokens, parse_numbers, tokens_between

CASES = yaml.safe_load(
    (Path(__file__).parent / "cases" / "figures_numbers.yaml").read_text(encoding="utf-8")
)
ALL = [(group, case) for group, cases in CASES.items() for case in cases]


@pytest.mark.parametrize(("group", "case"), ALL, ids=[f"{g}-{c['text'][:40]}" for g, c in ALL])
def test_parse_numbers(group: str, case: dict) -> None:
    got = [
        [n.surface, n.value_type, n.interval, n.qualifier, n.unit]
        for n in parse_numbers(case["text"])
    ]
    assert got == case["expect"]


@pytest.mark.parametrize(("group", "case"), ALL, ids=[f"{g}-{c['text'][:40]}" for g, c in ALL])
def test_spans_are_offsets(group: str, case: dict) -> None:
    text = "Prefix. " + case["text"]
    for n in parse_numbers(text, 8):
        assert text[n.start : n.end] == n.surface
        assert n.start >= 8


def test_hedge_never_invents_bounds() -> None:
    (n,) = parse_numbers("Officials counted roughly 4,000 tents.")
    assert (n.low, n.high, n.qualifier, n.exact) == (4000, 4000, "approximate", False)
    (n,) = parse_numbers("Officials counted 4,000 tents.")
    assert n.exact


def test_non_figures_are_apart() -> None:
    nums = parse_numbers("On April 14, 2024, an Arrow 3 battery fired; in 2019 it was new.")
    assert [n.value_type for n in nums] == ["date", "name", "year"]
    assert not any(n.value_type in FIGURE_TYPES for n in nums)


@pytest.mark.xfail(strict=True, reason="'over' as a preposition of time reads as a hedge")
def test_over_as_time_preposition() -> None:
    (n,) = parse_numbers("She plans to earn $2000 over 3 years.")[1:]
    assert n.qualifier == ""


_PIECES = [
    "over",
    "some",
    "between",
    "and",
    "to",
    "or",
    "more",
    "than",
    "a",
    "one",
    "two",
    "hundred",
    "hundreds",
    "of",
    "thousand",
    "half",
    "third",
    "million",
    "$",
    "£",
    "%",
    "-",
    "–",
    "/",
    ".",
    ",",
    ":",
    "+",
    "<",
    ">",
    "=",
    "1",
    "3",
    "14",
    "99",
    "170",
    "2024",
    "1,000",
    "3.5",
    "bn",
    "m",
    "km",
    "kg",
    "percent",
    "years",
    "old",
    "April",
    "Arrow",
    "F",
    "drones",
    "in",
    "five",
    "st",
    "s",
    "GMT",
    "a.m.",
    "aged",
    "per",
    "up",
    "at",
    "least",
    "’s",
    "“",
    "”",
    "\n",
    # unit powers, uncertainties, glued symbols and spaced thousands
    "^",
    "±",
    "−",
    "x",
    "C",
    "K",
    "J",
    "Rp",
    "1.4",
    "40 000",
    "1 234 567",
    "squared",
    "thick",
]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(["", " ", "  "])), max_size=14))
def test_any_text_keeps_the_offsets_contract(pieces: list[tuple[str, str]]) -> None:
    text = "".join(p + sep for p, sep in pieces)
    previous_end = 0
    for n in parse_numbers(text):
        assert text[n.start : n.end] == n.surface
        assert n.start >= previous_end  # in order, never overlapping
        previous_end = n.end
        if n.low is not None and n.high is not None:
            assert n.low <= n.high


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(["", " ", "  "])), max_size=14))
def test_tokens_between_is_a_fresh_scan(pieces: list[tuple[str, str]]) -> None:
    # tokens cut from a sentence's tokens (figures) are those of a fresh scan of the range
    text = "Lead: " + "".join(p + sep for p, sep in pieces) + " tail"
    start, end = 6, len(text) - 5
    for p in range(start, end + 1):
        assert tokens_between(text, p, end, start, end) == _tokens(text, p, end)
        assert tokens_between(text, start, p, start, end) == _tokens(text, start, p)
