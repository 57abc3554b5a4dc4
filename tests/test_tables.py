"""The tables: schemas, the offsets contract for every row, byte-identical reruns."""

from __future__ import annotations

import filecmp

import pandas as pd
import pytest
from conftest import SEEDS
from presslab.corpus import load_corpus
from presslab.schemas import SCHEMAS
from presslab.tables import analyze_corpus, column_index, read_tables
from spans import SPANS, span_problems


def test_every_table_is_written_with_its_header(tmp_path):
    analyze_corpus(SEEDS, tmp_path)
    for table, columns in SCHEMAS.items():
        header = (tmp_path / f"{table}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header == ",".join(columns), table


def test_column_indexes_are_the_schemas():
    for table, names in SCHEMAS.items():
        assert column_index(table).tolist() == names
        assert column_index(table) is column_index(table)  # built once


@pytest.mark.parametrize("span", SPANS, ids=[f"{t}.{s}" for t, s, _, _ in SPANS])
def test_every_row_slices_back_to_its_surface(seed_tables, span):
    texts = {a.article_id: a.text for a in load_corpus(SEEDS)}
    assert span_problems(seed_tables, texts, [span]) == []


def test_sentences_cover_the_seed(seed_tables):
    sentences = seed_tables["sentences"]
    assert len(sentences) == 17
    assert sentences["part"].tolist()[:6] == [
        "headline",
        "caption",
        "credit",
        "dek",
        "byline",
        "dateline",
    ]


def test_articles_row_for_the_seed(seed_tables):
    row = seed_tables["articles"].iloc[0]
    assert row["article_id"] == "000_979139c0287720a2"
    assert row["date"] == "2024-04-14"
    assert row["byline"] == "JNS Staff Report"
    assert row["headline_start"] == 0 and row["headline_end"] == 58
    assert 300 <= row["n_words"] <= 330


def test_two_runs_are_byte_identical(tmp_path):
    analyze_corpus(SEEDS, tmp_path / "a", jobs=1)
    analyze_corpus(SEEDS, tmp_path / "b", jobs=2)
    names = sorted(p.name for p in (tmp_path / "a").glob("*.csv"))
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)
    assert not mismatch and not errors and len(match) == len(SCHEMAS)


def test_ids_stay_strings(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "0042", "text": "Rates held\\n\\nThe bank held rates at 5%."}\n')
    analyze_corpus(corpus, tmp_path / "out")
    tables = read_tables(tmp_path / "out")
    assert tables["articles"]["article_id"].tolist() == ["0042"]
    assert pd.api.types.is_string_dtype(tables["sentences"]["article_id"])


def _agency_like(n: int) -> pd.DataFrame:
    """One article's frame whose offsets come as int64, float64 (a gap) or all-None object,
    as the agency extractor's do from article to article; none of the first 19 is object."""
    if n % 20 == 19:
        starts = pd.Series([None, None], dtype=object)
    elif n % 2:
        starts = pd.Series([949.0 + n, float("nan")], dtype="float64")
    else:
        starts = pd.Series([979 + n, 12], dtype="int64")
    return pd.DataFrame({"article_id": [f"a{n:03d}"] * 2, "patient_start": starts})


@pytest.mark.parametrize("n_articles", [20, 300])
def test_chunked_results_concatenate_like_one_frame_an_article(n_articles):
    # Mixed types resolve differently depending on grouping: int64 beside float64 alone gives
    # 979.0, beside an object column too keeps 979. Gathering chunk results must give what
    # gathering the one-article frames does (also across the merge every MERGE_EVERY frames).
    from presslab.tables import CHUNK, ChunkResult, _Gathered, _runs

    frames = [_agency_like(n) for n in range(n_articles)]
    flat, chunked = _Gathered(), _Gathered()
    for df in frames:
        flat._push("agency", df, [len(df)])
    for start in range(0, n_articles, CHUNK):
        chunked.add(ChunkResult(tables={"agency": _runs(frames[start : start + CHUNK])}), None)
    flat.finish()
    chunked.finish()
    expected, got = flat.table("agency"), chunked.table("agency")
    assert got["patient_start"].dtype == expected["patient_start"].dtype == object
    # as written to CSV: 979, not 979.0
    assert got.astype(str).values.tolist() == expected.astype(str).values.tolist()
    assert str(got["patient_start"][0]) == "979"
