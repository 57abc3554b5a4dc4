"""Source balance on the seed: every quoted voice Israeli, Iran mentioned but never quoted."""

from __future__ import annotations

import pandas as pd
import pytest
from presslab import sources
from presslab.quotes import extract_quotes
from presslab.schemas import SCHEMAS

#: The seed's actors as the actors table describes them (side and type are its columns).
ACTORS = pd.DataFrame(
    [
        ["yoav-gallant", "Yoav Gallant", "person", "defense minister", "Israel", "israel"],
        ["daniel-hagari", "Daniel Hagari", "person", "spokesperson", "IDF", "israel"],
        ["benny-gantz", "Benny Gantz", "person", "minister", "Israel", "israel"],
        ["iran", "Iran", "state", None, None, "iran"],
        ["jack-lew", "Jack Lew", "person", "ambassador", "United States", "united-states"],
    ],
    columns=["actor_id", "name", "type", "role", "affiliation", "side"],
)


@pytest.fixture(scope="module")
def seed_quotes(seed_article, seed_doc):
    return extract_quotes(seed_article, seed_doc)


def _mentions(text: str, article_id: str, names: dict[str, str]) -> pd.DataFrame:
    rows = []
    for surface, actor_id in names.items():
        start = text.find(surface)
        while start >= 0:
            rows.append(
                {
                    "article_id": article_id,
                    "start": start,
                    "end": start + len(surface),
                    "surface": surface,
                    "actor_id": actor_id,
                    "type": "person",
                    "kind": "name",
                }
            )
            start = text.find(surface, start + 1)
    return pd.DataFrame(rows).reindex(columns=SCHEMAS["mentions"])


def test_who_is_quoted_on_the_seed(seed_quotes):
    who = sources.who_is_quoted(seed_quotes, ACTORS)
    assert who["speaker_actor_id"].tolist() == ["yoav-gallant", "daniel-hagari", "benny-gantz"]
    assert who["n_quotes"].tolist() == [7, 2, 1]
    gallant = who.iloc[0]
    assert (gallant["n_direct"], gallant["n_partial"], gallant["n_indirect"]) == (4, 2, 1)
    assert gallant["n_words"] > who.iloc[1]["n_words"] > 0
    assert who["share_quotes"].sum() == pytest.approx(1.0)
    assert set(who["side"]) == {"israel"}


def test_every_quoted_voice_is_israeli(seed_quotes):
    balance = sources.source_balance(seed_quotes, ACTORS, by="side")
    assert balance["group"].tolist() == ["israel"]
    assert balance["share_quotes"].tolist() == [1.0]
    assert balance["n_speakers"].tolist() == [3]
    per_article = sources.source_balance(seed_quotes, ACTORS, by="side", per_article=True)
    assert per_article["article_id"].tolist() == ["000_979139c0287720a2"]


def test_iran_is_mentioned_but_never_quoted(seed_article, seed_quotes):
    mentions = _mentions(
        seed_article.text,
        seed_article.article_id,
        {"Iran": "iran", "Gallant": "yoav-gallant", "Jack Lew": "jack-lew"},
    )
    table = sources.quoted_vs_mentioned(mentions, seed_quotes, ACTORS).set_index("actor_id")
    assert table.loc["iran", "n_mentions"] == 6
    assert not table.loc["iran", "quoted"]
    assert not table.loc["jack-lew", "quoted"]
    assert table.loc["yoav-gallant", "quoted"] and table.loc["yoav-gallant", "n_quotes"] == 7


def test_anonymous_sources_and_unattributed():
    quotes = pd.DataFrame(
        {
            "article_id": ["a", "a", "b"],
            "start": [10, 50, 5],
            "end": [30, 70, 20],
            "text": ["the deal was close", "talks failed badly", "No comment at all"],
            "kind": ["indirect", "indirect", "direct"],
            "speaker": ["a senior official familiar with the talks", "Yoav Gallant", None],
            "speaker_actor_id": ["anonymous", "yoav-gallant", None],
            "cue": ["said", "said", None],
        }
    )
    anon = sources.anonymous_sources(quotes)
    assert anon["description"].tolist() == ["a senior official familiar with the talks"]
    who = sources.who_is_quoted(quotes, ACTORS).set_index("speaker_actor_id")
    # the anonymous row gathers all unnamed sources: it is labelled as such, not by one of them
    assert who.loc["anonymous", "speaker"] == "anonymous"
    assert who.loc["yoav-gallant", "speaker"] == "Yoav Gallant"
    balance = sources.source_balance(quotes, ACTORS, by="side")
    assert dict(zip(balance["group"], balance["n_quotes"], strict=True)) == {
        "anonymous": 1,
        "israel": 1,
        "unattributed": 1,
    }
    by_type = sources.source_balance(quotes, None, by="type")
    assert set(by_type["group"]) == {"anonymous", "unattributed", "unknown"}


def test_empty_tables():
    empty = pd.DataFrame(columns=SCHEMAS["quotes"])
    assert list(sources.who_is_quoted(empty).columns) == sources.WHO_COLUMNS
    assert sources.source_balance(empty).empty
    assert sources.anonymous_sources(empty).empty
    assert sources.quoted_vs_mentioned(pd.DataFrame(columns=SCHEMAS["mentions"]), empty).empty
    with pytest.raises(ValueError, match="by must be"):
        sources.source_balance(empty, by="colour")


def test_seed_balance_through_the_pipeline(seed_tables):
    """The tables `presslab analyze seeds/` writes: every quoted voice Israeli, Iran none."""
    quotes, mentions, actors = seed_tables["quotes"], seed_tables["mentions"], seed_tables["actors"]
    balance = sources.source_balance(quotes, actors, by="side")
    assert balance["group"].tolist() == ["Israel"]
    assert balance["n_quotes"].tolist() == [10]
    voices = sources.quoted_vs_mentioned(mentions, quotes, actors).set_index("actor_id")
    assert voices.loc["iran", "n_mentions"] >= 5 and voices.loc["iran", "n_quotes"] == 0
    assert set(voices.index[voices["quoted"]]) == {"yoav-gallant", "daniel-hagari", "benny-gantz"}
