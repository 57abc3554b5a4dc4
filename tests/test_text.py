"""The tokeniser: sentence and token cases kept as data, spans that index the text."""

from __future__ import annotations

import pytest
from conftest import load_cases
from presslab.text import (
    _paragraph_sentences,
    _punkt,
    abbreviations,
    paragraph_spans,
    sentence_spans,
    token_spans,
)

SENTENCES = load_cases("sentences.yaml")
TOKENS = load_cases("tokens.yaml")


@pytest.mark.parametrize(
    "case", SENTENCES["real"] + SENTENCES["invented"], ids=lambda c: c["text"][:40]
)
def test_sentence_cases(case):
    text = case["text"]
    assert [text[s:e] for s, e in sentence_spans(text)] == case["sentences"]


@pytest.mark.parametrize("case", TOKENS["real"] + TOKENS["invented"], ids=lambda c: c["text"][:40])
def test_token_cases(case):
    text = case["text"]
    assert [text[s:e] for s, e in token_spans(text)] == case["tokens"]


def test_seed_sentences(seed_doc):
    texts = [seed_doc.text(s) for s in seed_doc.sentences]
    assert len(texts) == 17
    assert texts[0] == "Gallant: Attack creates opportunity for anti-Iran alliance"
    assert texts[13] == "This could be a very serious threat,” said Gallant."
    assert texts[-1] == "Leave a Reply"
    parts = [s.part for s in seed_doc.sentences]
    assert parts[:6] == ["headline", "caption", "credit", "dek", "byline", "dateline"]
    assert set(parts[6:16]) == {"body"}


def test_every_token_is_inside_its_sentence(seed_doc):
    text = seed_doc.article.text
    for sentence in seed_doc.sentences:
        for start, end in sentence.tokens:
            assert sentence.start <= start < end <= sentence.end
            assert text[start:end].strip() == text[start:end]


def test_hard_wrapped_paragraphs_are_joined():
    text = "The minister said the\nplan would go ahead.\nA new paragraph."
    assert [text[s:e] for s, e in paragraph_spans(text)] == [
        "The minister said the\nplan would go ahead.",
        "A new paragraph.",
    ]


def test_sentence_at(seed_doc):
    offset = seed_doc.article.text.index("Hagari")
    assert "Hagari" in seed_doc.text(seed_doc.sentence_at(offset))
    assert seed_doc.sentence_at(len(seed_doc.article.text) + 5) is None


@pytest.mark.parametrize(
    "paragraph",
    [
        "Ministers meet in Brussels",
        "The talks ended without a deal.",
        "Is this the end?",
        "Shares fell 3.5% on Monday.",
        "“Why now?” she asked. Nobody answered!",
        "Gen. Smith left at 5 p.m. on Friday. He did not return",
        "The U.S. envoy arrived... and left",
        "Prices rose (by 2%). Wages did not.",
    ],
)
def test_paragraph_sentences_are_punkts(paragraph):
    # A paragraph without a possible break skips Punkt: the spans must be Punkt's all the same.
    assert _paragraph_sentences(paragraph) == list(_punkt().span_tokenize(paragraph))


@pytest.mark.parametrize("case", [str.lower, str.title, str.upper], ids=lambda f: f.__name__)
def test_every_abbreviation_is_one_token(case):
    for abbreviation in abbreviations():
        if "." in abbreviation or len(abbreviation) < 2:
            continue
        text = f"He met {case(abbreviation)}. Smith"
        assert token_spans(text)[2] == (7, 8 + len(abbreviation)), abbreviation
