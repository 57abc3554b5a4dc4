"""Who does what to whom (presslab.agency)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import MENTION_COLUMNS, load_cases
from presslab import agency
from presslab.corpus import article_from_text
from presslab.schemas import SCHEMAS
from presslab.text import segment

CASES = load_cases("framing_agency.yaml")


def _rows(text: str) -> pd.DataFrame:
    art = article_from_text(text, "case")
    return agency.extract_agency(art, segment(art))


@pytest.fixture(params=["tagger", "rules"])
def tagger_kind(request, monkeypatch):
    """Run a test with the trained tagger (when installed) and with the rule-based fallback."""
    if request.param == "rules":
        monkeypatch.setattr(agency, "_tagger_available", lambda: False)
    elif not agency._tagger_available():
        pytest.skip("the trained part-of-speech model is not installed")
    return request.param


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_clauses(case, tagger_kind):
    rows = _rows(case["text"])
    got = [
        {
            "verb": r.verb,
            "voice": r.voice,
            "agent": None if pd.isna(r.agent) else r.agent,
            "patient": None if pd.isna(r.patient) else r.patient,
        }
        for r in rows.itertuples()
    ]
    for expected in case["rows"]:
        assert expected in got, got
    for verb in case.get("no_verbs", []):
        assert verb not in {g["verb"] for g in got}, got


def test_nouns_are_not_verbs():
    rows = _rows("The missile strikes and the drone attack drew condemnation.")
    assert rows.empty, rows


def test_seed_agency(seed_article, seed_doc):
    rows = agency.extract_agency(seed_article, seed_doc)
    assert list(rows.columns) == SCHEMAS["agency"]
    text = seed_article.text
    for r in rows.itertuples():
        assert text[r.verb_start : r.verb_end] == r.verb
        for role in ("agent", "patient"):
            start, end, surface = (
                getattr(r, f"{role}_start"),
                getattr(r, f"{role}_end"),
                getattr(r, role),
            )
            if not pd.isna(surface):
                assert text[int(start) : int(end)] == surface
    agents = {
        (r.verb_lemma, " ".join(r.agent.split())) for r in rows.itertuples() if not pd.isna(r.agent)
    }
    # Iran fires and launches; the allies down and intercept.
    assert ("fire", "Iran") in agents
    assert ("launch", "Iran") in agents
    assert ("down", "The United States, United Kingdom and Jordan") in agents
    assert ("intercept", "Jerusalem and its allies") in agents


def test_actor_ids_from_mentions(seed_article, seed_doc):
    text = seed_article.text
    iran = text.index("Iran launched")
    mentions = pd.DataFrame(
        [("x", iran, iran + 4, "Iran", "iran", "state", "name", 11)], columns=MENTION_COLUMNS
    )
    rows = agency.extract_agency(seed_article, seed_doc, mentions)
    launched = rows[(rows["verb_lemma"] == "launch") & (rows["agent"] == "Iran")]
    assert launched["agent_actor_id"].tolist() == ["iran"]


def test_fallback_tagger_finds_phrases():
    words = ["some", "99%", "of", "the", "threats"]
    assert agency.noun_phrases(words, agency.heuristic_tags(words)) == [(0, 5)]


def test_actor_ids_of_a_coordinated_agent_follow_the_text(seed_article, seed_doc):
    text = seed_article.text
    listed = "United States, United Kingdom and Jordan"
    span = text.index(listed) - len("The ")  # "The" and a no-break space
    found = [
        (text.index(name, span), name, actor)
        for name, actor in (
            ("Jordan", "jordan"),
            ("United States", "usa"),
            ("United Kingdom", "uk"),
        )
    ]
    # Mention rows out of text order, one a credit (not counted), one with no actor.
    rows = [("x", s, s + len(n), n, a, "state", "name", 0) for s, n, a in found]
    rows.append(("x", span, span + 3, "The", "credit-actor", "person", "credit", 0))
    rows.append(("x", span + 4, span + 10, "United", None, "state", "name", 0))
    end = span + len("The ") + len(listed)
    mentions = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    table = agency.extract_agency(seed_article, seed_doc, mentions)
    downed = table[table["verb_lemma"] == "down"]
    assert downed["agent_actor_id"].tolist() == ["usa;uk;jordan"]
    assert downed["agent"].tolist() == [text[span:end]]
    assert agency._actor_ids(mentions, span, end) == "usa;uk;jordan"


def test_actor_ids_when_two_mentions_start_together(seed_article):
    text = seed_article.text
    start = text.index("United Kingdom")
    mentions = pd.DataFrame(
        [
            ("x", start, start + 14, "United Kingdom", "uk", "state", "name", 0),
            ("x", start, start + 6, "United", "united", "organisation", "name", 0),
        ],
        columns=MENTION_COLUMNS,
    )
    expected = agency._actor_ids_pandas(mentions, start, start + 14)
    assert set(expected.split(";")) == {"uk", "united"}
    assert agency._actor_ids(mentions, start, start + 14) == expected


def test_sentences_without_event_verbs_are_not_tagged(monkeypatch):
    def refuse(words):
        raise AssertionError(f"tagged {words}")

    monkeypatch.setattr(agency, "pos_tags", refuse)
    assert agency.clauses(["The", "committee", "met", "on", "Tuesday", "."]) == []
