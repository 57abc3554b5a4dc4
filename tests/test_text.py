"""The tokeniser: sentence and token cases kept as data, spans that index the text."""

from __future__ import annotations

import pytest
from conftest import load_cases
from presslab.text import paragraph_spans, sentence_spans, token_spans

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
