"""The tables: schemas, the offsets contract for every row, byte-identical reruns."""

from __future__ import annotations

import filecmp

import pandas as pd
import pytest
from conftest import SEEDS
from presslab.corpus import load_corpus
from presslab.schemas import SCHEMAS
from presslab.tables import analyze_corpus, read_tables
from spans import SPANS, span_problems


def test_every_table_is_written_with_its_header(tmp_path):
    analyze_corpus(SEEDS, tmp_path)
    for table, columns in SCHEMAS.items():
        header = (tmp_path / f"{table}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header == ",".join(columns), table


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
