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
