"""Tone with VADER from the vadersentiment lexicon (presslab.tone)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import MENTION_COLUMNS
from presslab import tone
from presslab.schemas import SCHEMAS


def test_lexicon_goes_into_a_folder_presslab_controls(tmp_path, monkeypatch):
    import nltk

    monkeypatch.setenv("PRESSLAB_NLTK_DATA", str(tmp_path))
    path = tone.install_lexicon()
    assert path == tmp_path / "sentiment" / "vader_lexicon.txt"
    assert path.stat().st_size > 100_000
    assert str(tmp_path) in nltk.data.path
    nltk.data.path.remove(str(tmp_path))


@pytest.mark.parametrize(
    ("sentence", "sign"),
    [
        ("The minister praised the brave and successful rescue of the hostages.", 1),
        ("The brutal attack killed three children and wounded dozens.", -1),
        ("The committee will meet on Tuesday.", 0),
    ],
)
def test_polarity(sentence, sign):
    compound = tone.polarity(sentence)["compound"]
    if sign == 0:
        assert compound == 0
    else:
        assert compound * sign > 0.3


def test_seed_tone_levels(seed_article, seed_doc):
    text = seed_article.text
    iran = [i for i in range(len(text)) if text.startswith("Iran", i)]
    mentions = pd.DataFrame(
        [("x", i, i + 4, "Iran", "iran", "state", "name", None) for i in iran]
        + [("x", 178, 184, "Photo", "ariel-hermoni", "person", "credit", None)],
        columns=MENTION_COLUMNS,
    )
    q = text.index("We have an opportunity")
    q_end = text.index("serious threat", q) + len("serious threat")
    quotes = pd.DataFrame([{"start": q, "end": q_end, "speaker_actor_id": "yoav-gallant"}])
    rows = tone.extract_tone(seed_article, seed_doc, mentions, quotes)
    assert list(rows.columns) == SCHEMAS["tone"]
    levels = rows.groupby("level").size().to_dict()
    counted = [s for s in seed_doc.sentences if s.part in tone.COUNTED_PARTS]
    assert levels == {"sentence": len(counted), "article": 1, "actor": 1, "quote": 1}
    sentences = rows[rows["level"] == "sentence"]
    article = rows[rows["level"] == "article"].iloc[0]
    assert article["compound"] == pytest.approx(sentences["compound"].mean())
    actor = rows[rows["level"] == "actor"].iloc[0]
    assert actor["target"] == "iran" and actor["n_sentences"] == len(
        {seed_doc.sentence_at(i).sentence_id for i in iran}
    )
    quote = rows[rows["level"] == "quote"].iloc[0]
    assert quote["target"] == "yoav-gallant" and quote["compound"] < 0  # "serious threat"


# Sentences written for these tests, each exercising a rule of VADER's that presslab's faster
# polarity() must apply exactly as NLTK does: punctuation glued to words, "but", "kind of",
# boosters, negation, capitals, "least", idioms, repeated words, emphasis marks.
_VADER_EDGE_CASES = [
    "The deal is good, but the unions say it is a bad, unfair one.",
    "Officials were 'deeply concerned', not reassured, by the (very weak) response.",
    'It was kind of a success, sort of - the minister said the talks went "fine".',
    "The attack was HORRIBLE, residents said; others called it a tragedy!!",
    "Is this really the best they can do?? Critics are not happy at all...",
    "At least 12 people died; the least affected town was barely damaged.",
    "Never so bad, never this good: the market rallied, rallied and rallied again.",
    "The plan was the kiss of death for the coalition, the bomb said nothing.",
    "Prices rose 3.5% in May, the fastest rise since 2008 -- a 'worrying' sign.",
    "“We will not accept this,” she said, calling the decision ‘cruel’ and wrong.",
    "Results were mixed (good news for exporters), and #great for banks; [bad] for savers.",
    "No deal.",
    "",
]


@pytest.mark.parametrize("text", _VADER_EDGE_CASES)
def test_polarity_is_nltks(text):
    assert tone.polarity(text) == tone.analyzer().polarity_scores(text)


def test_polarity_is_nltks_on_every_seed_sentence(seed_article, seed_doc):
    texts = [seed_doc.text(s) for s in seed_doc.sentences]
    text = seed_article.text
    texts += [text[i : i + 120] for i in range(0, len(text), 37)]  # spans cut mid-word
    for t in texts:
        assert tone.polarity(t) == tone.analyzer().polarity_scores(t), t
