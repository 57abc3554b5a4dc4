"""Figures on the seed article and on news-style cases: intervals, counted phrases, claims,
the offsets contract, the lemmatiser and the cross-article comparison."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import load_cases
from presslab.corpus import article_from_text
from presslab.figures import (
    compare_figures,
    extract_figures,
    figure_list,
    figures_by_claimant,
    hedges_by_claimant,
    intervals_meet,
    lemma,
    top_claimants,
)
from presslab.numbers import FIGURE_TYPES
from presslab.schemas import SCHEMAS
from presslab.text import segment


def quote_rows(article, doc, rows) -> pd.DataFrame:
    """Hand-made quote rows: [first words, last words, kind, speaker] or [text, kind, speaker]."""
    out = []
    for row in rows:
        if len(row) == 4:
            first, last, kind, speaker = row
            start = article.text.index(first)
            end = article.text.index(last, start) + len(last)
        else:
            quoted, kind, speaker = row
            start = article.text.index(quoted)
            end = start + len(quoted)
        out.append(
            {
                "article_id": article.article_id,
                "start": start,
                "end": end,
                "text": article.text[start:end],
                "kind": kind,
                "speaker": speaker,
                "sentence_id": doc.sentence_at(start).sentence_id,
            }
        )
    return pd.DataFrame(out).reindex(columns=SCHEMAS["quotes"])


@pytest.fixture(scope="module", params=[True, False], ids=["tagger", "heuristics"])
def seed_figures(request, seed_article, seed_doc):
    """The seed's figures with the part-of-speech tagger and with the heuristics alone."""
    cases = load_cases("figures_seed.yaml")
    quotes = quote_rows(seed_article, seed_doc, cases["quotes"])
    return extract_figures(seed_article, seed_doc, quotes, use_tagger=request.param)


def test_seed_has_exactly_six_figures(seed_figures):
    figures = seed_figures[seed_figures["value_type"].isin(FIGURE_TYPES)]
    got = figures[
        ["surface", "interval", "qualifier", "unit", "counted", "claimed_by", "claim_kind"]
    ].values.tolist()
    assert got == load_cases("figures_seed.yaml")["figures"]


def test_seed_non_figures_are_kept_apart(seed_figures):
    others = seed_figures[~seed_figures["value_type"].isin(FIGURE_TYPES)]
    got = others[["surface", "value_type"]].values.tolist()
    assert got == load_cases("figures_seed.yaml")["non_figures"]
    assert not others["claimed_by"].astype(bool).any()


def test_seed_offsets_contract(seed_article, seed_figures):
    text = seed_article.text
    assert list(seed_figures.columns) == SCHEMAS["figures"]
    for row in seed_figures.itertuples():
        assert text[row.start : row.end] == row.surface
        if row.counted:
            assert text[row.counted_start : row.counted_end] == row.counted


def test_seed_exact_only_for_plain_numbers(seed_figures):
    exact = seed_figures[seed_figures["exact"]]["surface"].tolist()
    assert "170" in exact and "some 99%" not in exact and "over 300" not in exact


@pytest.mark.parametrize(
    "case", load_cases("figures_claims.yaml"), ids=lambda c: c["text"].splitlines()[0]
)
@pytest.mark.parametrize("use_tagger", [True, False], ids=["tagger", "heuristics"])
def test_claims_and_counted(case, use_tagger):
    if case.get("tagger_only") and not use_tagger:
        pytest.skip("the counted phrase of this case needs the part-of-speech tagger")
    meta = {"outlet": case.get("outlet") or None, "byline": case.get("byline")}
    article = article_from_text(case["text"], article_id="case", meta=meta)
    doc = segment(article)
    figures = extract_figures(
        article, doc, quote_rows(article, doc, case["quotes"]), use_tagger=use_tagger
    )
    figures = figures[figures["value_type"].isin(FIGURE_TYPES)]
    got = figures[["surface", "counted", "claimed_by", "claim_kind"]].values.tolist()
    for row, want in zip(got, case["expect"], strict=True):
        if want[3] == "quoted_or_attributed":
            assert row[:3] == want[:3] and row[3] in ("quoted", "attributed")
        else:
            assert row == want


def test_no_figures_gives_the_empty_schema():
    article = article_from_text("Quiet day\n\nNothing happened on Monday.")
    figures = extract_figures(article, segment(article), None)
    assert figures.empty and list(figures.columns) == SCHEMAS["figures"]


@pytest.mark.parametrize(
    ("word", "want"),
    [
        ("drones", "drone"),
        ("missiles", "missile"),
        ("casualties", "casualty"),
        ("people", "person"),
        ("buses", "bus"),
        ("news", "news"),
        ("threats", "threat"),
        ("heroes", "hero"),
        ("troops", "troop"),
        ("crises", "crisis"),
        ("Hamas", "hamas"),
    ],
)
def test_lemma(word, want):
    assert lemma(word) == want


def _articles(*rows):
    return pd.DataFrame(rows, columns=["article_id", "date", "outlet"])


def _figs(text: str, article_id: str) -> pd.DataFrame:
    article = article_from_text(text, article_id=article_id)
    return extract_figures(article, segment(article), None)


def _compared(*cases: tuple[str, str, str, str]) -> pd.DataFrame:
    """compare_figures over articles given as (article_id, text, date, outlet)."""
    figures = pd.concat([_figs(text, aid) for aid, text, _, _ in cases], ignore_index=True)
    return compare_figures(figures, _articles(*[(aid, d, o) for aid, _, d, o in cases]))


def test_compare_flags_disagreeing_articles():
    table = _compared(
        ("a", "Attack\n\nIran launched 170 drones at Israel.", "2024-04-14", "X"),
        ("b", "Attack\n\nIran fired some 185 drones overnight.", "2024-04-15", "Y"),
        ("c", "Attack\n\nMore than 150 drones were launched.", "2024-04-16", "Z"),
        ("d", "Attack\n\nIran launched 40 drones in May.", "2024-06-01", "X"),
    )
    assert list(table.columns) == SCHEMAS["figure_comparison"]
    assert set(table["counted_lemma"]) == {"drone"}
    # d is in another window with no second article: not compared
    assert sorted(table["article_id"]) == ["a", "b", "c"]
    flags = dict(zip(table["article_id"], table["disagrees"], strict=True))
    # 170 vs "some 185" (within 10%) agree; "more than 150" agrees with both
    assert flags == {"a": False, "b": False, "c": False}


def test_compare_disagreement_is_incompatibility():
    table = _compared(
        ("a", "Attack\n\nIran launched 170 drones at Israel.", "2024-04-14", "X"),
        ("b", "Attack\n\nIran fired 300 drones overnight.", "2024-04-15", "Y"),
        ("c", "Attack\n\nMore than 150 drones were launched.", "2024-04-15", "Z"),
    )
    flags = dict(zip(table["article_id"], table["disagrees"], strict=True))
    assert flags == {"a": True, "b": True, "c": False}


def test_compare_groups_by_head_noun_lemma():
    """ "ballistic missiles" and "missiles" are one thing (lemma missile) and are compared;
    "cruise missiles" is compared with the bare "missiles" but not with "ballistic missiles"."""
    table = _compared(
        ("a", "Strikes\n\nIran fired over 100 ballistic missiles at Israel.", "2024-04-14", "X"),
        ("b", "Strikes\n\nIran fired 110 missiles overnight, officials said.", "2024-04-14", "Y"),
        ("c", "Strikes\n\nIran also launched 30 cruise missiles.", "2024-04-15", "Z"),
    )
    assert set(table["counted_lemma"]) == {"missile"}
    assert dict(zip(table["article_id"], table["counted"], strict=True)) == {
        "a": "ballistic missiles",
        "b": "missiles",
        "c": "cruise missiles",
    }
    flags = dict(zip(table["article_id"], table["disagrees"], strict=True))
    # a (100, inf) and b [110] agree; 30 cruise missiles disagrees with 110 missiles only
    assert flags == {"a": False, "b": True, "c": True}


def test_intervals_meet_respects_open_ends():
    def row(low, high, interval, qualifier=""):
        return pd.Series({"low": low, "high": high, "interval": interval, "qualifier": qualifier})

    assert not intervals_meet(
        row(100, math.nan, "(100, inf)", "more_than"), row(100, 100, "[100, 100]")
    )
    assert intervals_meet(row(100, math.nan, "[100, inf)", "at_least"), row(100, 100, "[100, 100]"))
    assert intervals_meet(row(185, 185, "[185, 185]", "approximate"), row(170, 170, "[170, 170]"))


def test_compare_empty():
    assert compare_figures(pd.DataFrame(columns=SCHEMAS["figures"]), _articles()).empty


def test_summaries_on_the_seed(seed_figures):
    by_claimant = figures_by_claimant(seed_figures)
    assert by_claimant[["claimed_by", "claim_kind", "n_figures"]].values.tolist() == [
        ["Yoav Gallant", "quoted", 3],
        ["Daniel Hagari", "attributed", 2],
        ["JNS Staff Report", "narrator", 1],
    ]
    hedges = hedges_by_claimant(seed_figures).set_index("claimed_by")
    assert hedges.loc["Yoav Gallant", ["vague", "bound", "exact"]].tolist() == [2, 1, 0]
    assert hedges.loc["Daniel Hagari", ["hedged", "exact"]].tolist() == [1, 1]
    assert len(figure_list(seed_figures)) == 6


def test_top_claimants_add_up_over_articles(seed_figures):
    # the same claimant in two articles is one row of the corpus ranking
    second = seed_figures.assign(article_id="copy")
    both = pd.concat([seed_figures, second], ignore_index=True)
    top = top_claimants(both, 2)
    assert top.values.tolist() == [
        ["Yoav Gallant", "quoted", 6, 2],
        ["Daniel Hagari", "attributed", 4, 2],
    ]
    assert len(top_claimants(both, None)) == 3  # every claimant
    assert top_claimants(both.iloc[:0]).empty


def test_seed_through_the_pipeline(seed_tables):
    """The same six figures from `presslab analyze seeds/`, claims from the quotes extractor."""
    figures = seed_tables["figures"]
    columns = ["surface", "interval", "qualifier", "unit", "counted", "claimed_by", "claim_kind"]
    figures = figures.loc[figures["value_type"].isin(FIGURE_TYPES), columns]
    got = figures.astype(object).fillna("").values.tolist()
    assert got == load_cases("figures_seed.yaml")["figures"]


def test_recognizers_notation_and_range_convention():
    from presslab.evaluation.figures import recognizers_interval
    from presslab.numbers import parse_numbers

    joined, bounds, upper = parse_numbers("between 20 and 30, above 10 and below 15, up to 700")
    assert recognizers_interval(joined, convention=False) == "[20,30]"
    assert recognizers_interval(joined, convention=True) == "[20,30)"  # Recognizers' ranges
    assert recognizers_interval(bounds, convention=True) == "(10,15)"
    assert recognizers_interval(upper, convention=True) == "(,700]"


def test_shares_are_scored_as_stated():
    """A share written as a fraction is stored in percent and compared as the text states it;
    a written percentage is compared in percent."""
    from presslab.evaluation.figures import _presslab_values, stated_scale
    from presslab.numbers import parse_numbers

    text = "Two thirds of voters and one in five adults agreed, up 20 per cent, or 99%."
    scales = [(n.surface, stated_scale(n)) for n in parse_numbers(text)]
    assert scales == [
        ("Two thirds", 0.01),
        ("one in five", 0.01),
        ("20 per cent", 1.0),
        ("99%", 1.0),
    ]
    values = _presslab_values(text)
    assert [round(v, 4) for v in values] == [0.6667, 0.2, 20, 99]
    assert [round(v, 4) for v in _presslab_values(text, percent_only=True)] == [66.6667, 20, 20, 99]


def test_counting_units_are_compared_as_plain_numbers():
    """quantulum3 reads "a dozen eggs" as 1 dozen, presslab as 12: the scorer compares both
    (and the gold) in plain numbers, so the same reading scores the same for either system."""
    from presslab.evaluation.figures import score_values

    rows = score_values([("She bought a dozen eggs.", [12.0])], "dozen-case")
    f1 = {r["system"]: r["value"] for r in rows if r["metric"] == "f1"}
    assert f1 == {"presslab": 1.0, "quantulum3": 1.0}


def test_compare_on_tables_read_back_from_csv(tmp_path):
    """The corpus step must also run on tables a user reads back with read_tables, where an
    empty qualifier or unit is pd.NA (whose truth value raises) rather than "" or None."""
    import json

    from presslab.tables import analyze_corpus, read_tables

    stories = [
        ("a", "2024-04-14", "Iran launched 170 drones at Israel, officials said."),
        ("b", "2024-04-15", "Iran fired 300 drones overnight, the army said."),
        ("c", "2024-04-15", "More than 150 drones were launched, according to the army."),
    ]
    source = tmp_path / "stories.jsonl"
    source.write_text(
        "".join(
            json.dumps({"id": i, "date": d, "headline": "Attack", "text": f"Attack\n\n{t}"}) + "\n"
            for i, d, t in stories
        ),
        encoding="utf-8",
    )
    analyze_corpus(source, tmp_path / "out")
    tables = read_tables(tmp_path / "out")
    assert tables["figures"]["qualifier"].isna().any()  # the case that used to raise
    table = compare_figures(tables["figures"], tables["articles"])
    flags = dict(zip(table["article_id"], table["disagrees"], strict=True))
    assert flags == {"a": True, "b": True, "c": False}
