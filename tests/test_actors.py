"""Actors: cases kept as data, the seed article exactly, codebook, pronouns, canonical actors."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import load_cases
from presslab.actors import (
    _find_phrases,
    _title_tail,
    actor_names,
    canonical_actors,
    extract_mentions,
    load_codebook,
    resolve_pronoun,
    slug,
)
from presslab.corpus import article_from_text
from presslab.schemas import SCHEMAS
from presslab.tables import analyze_article
from presslab.text import segment

CASES = load_cases("actors.yaml")["cases"]


def _mentions(text: str) -> tuple[str, pd.DataFrame]:
    article = article_from_text(text, "case")
    return article.text, extract_mentions(article, segment(article))


def _check_offsets(text: str, df: pd.DataFrame) -> None:
    for row in df.itertuples():
        assert text[row.start : row.end] == row.surface


def _nth(df: pd.DataFrame, text: str, surface: str, n: int) -> pd.DataFrame:
    """Rows whose span is the n-th occurrence of ``surface`` in the text."""
    pos = -1
    for _ in range(n):
        pos = text.index(surface, pos + 1)
    return df[(df["start"] == pos) & (df["end"] == pos + len(surface))]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_mention_cases(case):
    if case.get("xfail"):
        pytest.xfail(case["xfail"])
    text, df = _mentions(case["text"])
    assert list(df.columns) == SCHEMAS["mentions"]
    _check_offsets(text, df)
    for want in case.get("mentions", []):
        rows = _nth(df, text, want["surface"], want.get("occurrence", 1))
        assert len(rows), f"{want['surface']!r} not found in {df[['surface', 'kind']].values}"
        row = rows.iloc[0]
        for key in ("actor_id", "type", "kind", "role", "affiliation"):
            if key in want:
                assert row[key] == want[key], (key, want, row.to_dict())
    for surface in case.get("absent", []):
        assert surface not in set(df["surface"]), df[["surface", "kind"]].values


def test_seed_people_places_and_credits(seed_article, seed_doc):
    df = extract_mentions(seed_article, seed_doc)
    _check_offsets(seed_article.text, df)
    story = df[df["kind"] != "credit"]
    people = set(story.loc[story["type"] == "person", "name"])
    assert people == {"Yoav Gallant", "Jack Lew", "Daniel Hagari", "Benny Gantz"}
    places = set(story.loc[story["type"] == "place", "name"])
    assert {"Israel", "Iran", "United States", "United Kingdom", "Jordan", "France"} <= places
    credits = set(df.loc[df["kind"] == "credit", "surface"])
    assert {"Ariel Hermoni", "JNS Staff Report"} <= credits
    assert "Leave a Reply" not in set(df["surface"])
    assert "Arrow" not in set(df["surface"])


def test_seed_labels_and_metonyms(seed_article, seed_doc):
    df = extract_mentions(seed_article, seed_doc)
    by_surface = {(r.surface, r.kind): r.actor_id for r in df.itertuples()}
    assert by_surface[("the Islamic Republic", "label")] == "iran"
    assert by_surface[("the Jewish state", "label")] == "israel"
    assert by_surface[("Jerusalem", "metonym")] == "israel"
    assert by_surface[("The defense minister", "title")] == "yoav-gallant"
    assert by_surface[("he", "pronoun")] == "yoav-gallant"


def test_seed_actors_roles_and_affiliations(seed_article, seed_doc):
    actors = canonical_actors(extract_mentions(seed_article, seed_doc)).set_index("actor_id")
    assert list(actors.reset_index().columns) == SCHEMAS["actors"]
    expected = {
        "yoav-gallant": ("Defense Minister", "Israel"),
        "jack-lew": ("Ambassador to Israel", "United States"),
        "daniel-hagari": ("IDF Spokesperson", "Israel"),
        "benny-gantz": ("War Cabinet member", "Israel"),
    }
    for actor_id, (role, affiliation) in expected.items():
        assert (actors.loc[actor_id, "role"], actors.loc[actor_id, "affiliation"]) == (
            role,
            affiliation,
        )
    assert "ariel-hermoni" not in actors.index  # a credit, never an actor
    gallant = actors.loc["yoav-gallant"]
    assert gallant["in_headline"] == 1 and gallant["in_first_paragraph"] == 1
    assert gallant["n_mentions"] >= 8
    assert actors.loc["israel", "side"] == "Israel"


def test_seed_caption_title_is_a_role_not_an_organisation(seed_article, seed_doc):
    # "U.S. Ambassador to Israel, Jack Lew" in the photo caption: the model reads "U.S.
    # Ambassador" as one organisation; it is a place and the role of the name after it.
    df = extract_mentions(seed_article, seed_doc)
    assert "u-s-ambassador" not in set(df["actor_id"])
    caption = df[df["part"] == "caption"].set_index("surface")
    assert caption.loc["U.S.", "actor_id"] == "united-states"
    assert (caption.loc["Jack Lew", "role"], caption.loc["Jack Lew", "affiliation"]) == (
        "Ambassador to Israel",
        "United States",
    )


@pytest.mark.parametrize(
    "name, title_at",
    [
        ("U.S. Ambassador", 1),
        ("Israeli Defense Minister", 1),
        ("French President", 1),
        ("European Court of Justice", None),  # ends in a title word, names a court
        ("Ohio State", None),  # a university
        ("Senate Majority Leader", None),  # no place before the title
        ("Israel Defense Forces", None),  # no title at the end
    ],
)
def test_place_and_title_names_are_roles(name, title_at):
    assert _title_tail(name.split(), 0, len(name.split()), load_codebook()) == title_at


def test_british_honorifics_link_to_the_full_name():
    # "Mr Ebbers" (no full stop) is the Bernie Ebbers named before, never an actor "mr-ebbers"
    # nor an organisation
    text = (
        "Ebbers trial opens\n\nFormer WorldCom boss Bernie Ebbers denied the charges. Mr Ebbers "
        "said he had not known. Prosecutors say Mr Ebbers knew everything."
    )
    _, df = _mentions(text)
    ebbers = df[df["surface"].str.contains("Ebbers")]
    assert set(ebbers["actor_id"]) == {"bernie-ebbers"}
    assert set(ebbers["type"]) == {"person"}
    assert (ebbers["surface"] == "Mr Ebbers").sum() == 2


def test_pronouns_and_honorifics_skip_people_of_the_other_gender():
    text = (
        "White House dinner\n\nBarack Obama greeted the guests before Michelle Obama spoke. "
        "Mr. Obama said the evening was a success, and she thanked the staff."
    )
    _, df = _mentions(text)
    by_surface = {r.surface: r.actor_id for r in df.itertuples()}
    assert by_surface["Obama"] == "barack-obama"  # "Mr. Obama", not the last Obama named
    assert by_surface["she"] == "michelle-obama"  # two people before it, one a woman


def test_pronouns_never_take_a_person_of_the_other_gender():
    _, df = _mentions("Arrival\n\nDonald Trump arrived late. She was not pleased.")
    assert "She" not in set(df["surface"])  # the only person before it is a man
    # a surname on the title list ("Duke") links to the full name; only words before a name
    # say its gender, never the name's own ("Patty Duke" is no duke)
    _, df = _mentions("Hearing\n\nActress Patty Duke met Tom Hanks. “I loved it,” Duke said.")
    assert df.loc[df["surface"] == "Duke", "actor_id"].tolist() == ["patty-duke"]


def test_resolve_pronoun_with_nobody_in_reach_and_a_bad_gender():
    text = (
        "One\n\nJane Doe spoke. Rain fell. Rain fell. Rain fell. Rain fell. In Paris she said so."
    )
    article = article_from_text(text, "r")
    mentions = analyze_article(article).tables["mentions"]
    # the pronoun's sentence names a place; the only person is five sentences back
    assert resolve_pronoun(mentions, text.index("she"), "f") is None
    with pytest.raises(ValueError):
        resolve_pronoun(mentions, text.index("she"), "female")


def test_canonical_actors_link_across_articles():
    a = article_from_text("Talks\n\nForeign Minister Anna Lindqvist met envoys in Oslo.", "a1")
    b = article_from_text("More talks\n\nAnna Lindqvist said the talks would go on.", "a2")
    frames = [extract_mentions(x, segment(x)) for x in (a, b)]
    actors = canonical_actors(pd.concat(frames, ignore_index=True)).set_index("actor_id")
    assert actors.loc["anna-lindqvist", "n_articles"] == 2
    assert actors.loc["anna-lindqvist", "role"] == "Foreign Minister"


def test_empty_inputs_give_empty_tables():
    article = article_from_text("", "empty")
    df = extract_mentions(article, segment(article))
    assert list(df.columns) == SCHEMAS["mentions"] and df.empty
    assert list(canonical_actors(df).columns) == SCHEMAS["actors"]
    assert actor_names(df) == {}


def test_resolve_pronoun_needs_a_single_candidate():
    text = "Talks\n\nMinister Jane Doe spoke first. She left early. Later John Roe and Doe met."
    article = article_from_text(text, "p")
    df = extract_mentions(article, segment(article))
    she = text.index("She")
    assert resolve_pronoun(df, she) == ("jane-doe", "Jane Doe")
    assert resolve_pronoun(df, len(text) - 1) is None  # two people in the window


def test_actor_names_and_slug():
    assert slug("Benny Gantz") == "benny-gantz"
    df = pd.DataFrame({"actor_id": ["x", "x"], "name": ["Xavier Y", "Xavier Y"]})
    assert actor_names(df) == {"x": "Xavier Y"}


def test_codebook_is_consistent():
    cb = load_codebook()
    ids = [slug(e.name) for e in cb.entries]
    assert len(ids) == len(set(ids)), "two codebook entries share an actor id"
    for e in cb.entries:
        assert e.type in {"person", "organisation", "place", "group"}, e
        if e.affiliation:
            assert slug(e.affiliation) in cb.by_id, f"{e.name}: unknown affiliation"


def test_find_phrases_takes_the_longest_name_and_respects_case():
    cb = load_codebook()
    text = "Troops of the Israel Defense Forces and Iran 's army met near Iron Dome sites"
    toks = text.split(" ")
    found = [(a, b, e.name) for a, b, e in _find_phrases(toks, cb.by_name, cb.max_len, True)]
    assert (3, 6, "Israel Defense Forces") in found  # one match, not "Israel" alone
    assert (7, 8, "Iran") in found
    assert _find_phrases(["the", "us", "said"], cb.by_name, cb.max_len, True) == []
    blocked = _find_phrases(toks, cb.by_non_actor, cb.max_len, False)
    assert [(a, b) for a, b, _ in blocked] == [(12, 14)]
