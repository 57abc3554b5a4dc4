"""The validation loop: sampling, coding sheets, reading them back, precision/recall, alpha."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import SEED_FILE
from presslab import validation
from presslab.schemas import SCHEMAS

AID = "000_979139c0287720a2"


@pytest.fixture(scope="module")
def example():
    return validation.read_sheets(validation.example_sheets())


def _table(name: str, rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows).reindex(columns=SCHEMAS[name])


def test_the_shipped_example_is_hand_coded_on_the_seed(example):
    text = SEED_FILE.read_text(encoding="utf-8")
    assert set(example["coder"]) == {"coder_a", "coder_b"}
    assert validation.invalid_codes(example).empty
    assert example.groupby("coder").size().to_dict() == {"coder_a": 33, "coder_b": 33}
    sheet = pd.read_csv(
        validation.example_sheets()[0], dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    for row in sheet.itertuples():
        start, end = int(row.start), int(row.end)
        if row.task == "figure":
            assert row.item == text[start:end]
            assert f"[[{row.item}]]" in row.context
        else:
            assert row.context == text[start:end]
        assert row.item_id == validation.item_id(row.task, row.article_id, start, end)


def test_agreement_between_the_example_coders(example):
    empty_machine = pd.DataFrame(
        columns=["item_id", "task", "article_id", "coder", "code", "speaker"]
    )
    alpha = validation.agreement(example, empty_machine).set_index(["task", "between"])
    # Three of twelve frame codes differ (a real ambiguity: alliance or defence), the quote
    # kinds and the speakers agree throughout once "Gallant" is read as "Yoav Gallant".
    assert alpha.loc[("frame", "coders"), "alpha"] == pytest.approx(0.6457, abs=1e-3)
    assert alpha.loc[("quote", "coders"), "alpha"] == 1.0
    assert alpha.loc[("speaker", "coders"), "alpha"] == 1.0
    assert alpha.loc[("figure", "coders"), "alpha"] == pytest.approx(0.8659, abs=1e-3)


def test_krippendorff_alpha_by_hand():
    # Two coders, four items: a a b b / a a b a. Coincidences o_aa=4, o_bb=2, o_ab=o_ba=1;
    # n_a=5, n_b=3, n=8: alpha = 1 - (n-1)(o_ab+o_ba)/(2 n_a n_b) = 1 - 7*2/30 = 0.5333.
    matrix = pd.DataFrame([["a", "a", "b", "b"], ["a", "a", "b", "a"]])
    assert validation.krippendorff_alpha(matrix) == pytest.approx(8 / 15)
    assert math.isnan(validation.krippendorff_alpha(pd.DataFrame([["a", "a"], ["a", "a"]])))
    assert math.isnan(validation.krippendorff_alpha(pd.DataFrame([["a", "b"]])))


def test_machine_answers_from_tables():
    frames = _table(
        "frames",
        [
            {
                "article_id": "a",
                "sentence_id": 0,
                "frame": "conflict",
                "start": 2,
                "end": 8,
                "weight": 0.5,
            },
            {
                "article_id": "a",
                "sentence_id": 0,
                "frame": "economic",
                "start": 10,
                "end": 14,
                "weight": 1.5,
            },
            {
                "article_id": "a",
                "sentence_id": 1,
                "frame": "conflict",
                "start": 40,
                "end": 45,
                "weight": 0.5,
            },
        ],
    )
    assert validation.sentence_frame(frames, 0, 30) == "economic"
    assert validation.sentence_frame(frames, 30, 60) == "none"  # 0.5 < min_weight
    assert validation.sentence_frame(frames, 30, 60, min_weight=0.5) == "conflict"
    quotes = _table(
        "quotes",
        [
            {"article_id": "a", "start": 5, "end": 20, "kind": "indirect", "speaker": "the mayor"},
            {
                "article_id": "a",
                "start": 22,
                "end": 28,
                "kind": "partial",
                "speaker": "Ann Lee",
                "speaker_actor_id": "ann-lee",
            },
        ],
    )
    assert validation.sentence_quote(quotes, 0, 30) == ("partial", "ann-lee")
    assert validation.sentence_quote(quotes, 0, 21) == ("indirect", "the mayor")
    assert validation.sentence_quote(quotes, 30, 40) == ("none", "")
    figures = _table(
        "figures",
        [
            {"article_id": "a", "start": 3, "end": 11, "value_type": "count", "qualifier": ""},
            {
                "article_id": "a",
                "start": 20,
                "end": 28,
                "value_type": "count",
                "qualifier": "more_than",
            },
            {"article_id": "a", "start": 30, "end": 34, "value_type": "year", "qualifier": ""},
        ],
    )
    assert validation.figure_qualifier(figures, 5, 8) == "none"
    assert validation.figure_qualifier(figures, 20, 28) == "more_than"
    assert validation.figure_qualifier(figures, 30, 34) == "not_a_figure"


def _coded(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """(coder, item, code, speaker) -> a coded table; items are quote/frame spans of 'a'."""
    out = []
    for coder, item, code, speaker in rows:
        task, span = item.split("@")
        start, end = map(int, span.split("-"))
        out.append(
            {
                "item_id": validation.item_id(task, "a", start, end),
                "task": task,
                "article_id": "a",
                "start": start,
                "end": end,
                "context": item,
                "coder": coder,
                "code": code,
                "speaker": speaker,
                "note": "",
            }
        )
    return pd.DataFrame(out)


def test_precision_recall_per_category():
    coded = _coded(
        [
            ("ann", "frame@0-10", "conflict", ""),
            ("ann", "frame@10-20", "conflict", ""),
            ("ann", "frame@20-30", "economic", ""),
            ("ann", "frame@30-40", "none", ""),
        ]
    )
    machine = coded.assign(coder="machine", code=["conflict", "economic", "economic", "conflict"])
    pr = validation.precision_recall(coded, machine).set_index("category")
    assert pr.loc["conflict", ["machine_n", "coder_n", "both"]].tolist() == [2, 2, 1]
    assert pr.loc["conflict", "precision"] == 0.5 and pr.loc["conflict", "recall"] == 0.5
    assert pr.loc["economic", "precision"] == 0.5 and pr.loc["economic", "recall"] == 1.0
    assert pr.loc["economic", "f1"] == pytest.approx(2 / 3)
    assert pr.loc["(all)", "precision"] == 0.5
    assert "none" not in pr.index


def test_speakers_named_differently_are_the_same_answer():
    assert validation.same_speaker("Gallant", "yoav-gallant")
    assert validation.same_speaker("Yoav Gallant", "Gallant’s")
    assert not validation.same_speaker("Gantz", "Gallant")
    assert not validation.same_speaker("", "Gallant")
    coded = _coded(
        [
            ("ann", "quote@0-10", "direct", "Gallant"),
            ("bob", "quote@0-10", "direct", "Yoav Gallant"),
            ("ann", "quote@10-20", "indirect", "Benny Gantz"),
            ("bob", "quote@10-20", "indirect", "Hagari"),
        ]
    )
    machine = coded[coded["coder"] == "ann"].assign(
        coder="machine", speaker=["yoav-gallant", "benny-gantz"]
    )
    speakers = validation.speaker_answers(coded, machine)
    wide = speakers.pivot(index="item_id", columns="coder", values="code")
    first, second = wide.index
    assert wide.loc[first].nunique() == 1  # all three name Gallant
    assert wide.loc[second, "ann"] == wide.loc[second, "machine"] != wide.loc[second, "bob"]


def test_disagreements_list_the_sentence_and_every_answer():
    coded = _coded(
        [
            ("ann", "frame@0-10", "conflict", ""),
            ("bob", "frame@0-10", "economic", ""),
            ("ann", "frame@10-20", "conflict", ""),
            ("bob", "frame@10-20", "conflict", ""),
        ]
    )
    machine = coded[coded["coder"] == "ann"].assign(coder="machine")
    out = validation.disagreements(coded, machine)
    assert out[["text", "machine", "ann", "bob"]].values.tolist() == [
        ["frame@0-10", "conflict", "conflict", "economic"]
    ]


def test_sample_is_stratified_and_seeded(seed_tables):
    a = validation.sample_items(seed_tables, per_stratum=2, seed=1)
    b = validation.sample_items(seed_tables, per_stratum=2, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert a["item_id"].is_unique
    assert (a.groupby(["task", "stratum"]).size() <= 2).all()
    # Every stratum the machine produced is represented.
    frames = validation.sample_items(seed_tables, tasks=("frame",), per_stratum=100)
    assert set(a[a["task"] == "frame"]["stratum"]) == set(frames["stratum"])
    assert len(frames) == int(seed_tables["sentences"]["part"].isin(validation.PARTS).sum())


def test_sheet_round_trip(tmp_path, seed_tables, seed_article):
    items = validation.sample_items(seed_tables, tasks=("frame", "quote"), per_stratum=2)
    sheet = validation.coding_sheet(items, {seed_article.article_id: seed_article})
    assert list(sheet.columns) == validation.SHEET_COLUMNS
    assert "stratum" not in sheet.columns  # coders code blind
    assert (sheet[["code", "speaker", "note"]] == "").all().all()
    path = validation.write_sheet(sheet, tmp_path / "sheets" / "maria.csv")
    assert validation.read_sheets([path]).empty  # nothing coded yet
    filled = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    filled.loc[0, "code"] = "  Alliance Diplomacy "
    filled.loc[1, "code"] = "none"
    filled.to_csv(path, index=False, encoding="utf-8-sig")
    coded = validation.read_sheets([path])
    assert coded["coder"].tolist() == ["maria", "maria"]
    assert coded["code"].tolist() == ["alliance_diplomacy", "none"]
    assert coded["context"].iloc[0] == sheet["context"].iloc[0]
    assert validation.sheet_paths(str(tmp_path / "sheets")) == [path]


def test_read_sheets_refuses_a_file_that_is_no_sheet(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a coding sheet"):
        validation.read_sheets([path])


def test_scoring_skips_items_of_other_corpora(example):
    tables = {"articles": pd.DataFrame({"article_id": ["elsewhere"]})}
    machine = validation.machine_codes(example, tables)
    assert machine.empty
    cover = validation.coverage(example, machine)
    assert cover["left_out"].tolist() == cover["coded_items"].tolist() == [12, 12, 9]
    assert validation.precision_recall(validation.scored(example, machine), machine).empty
