"""The index page of a run, and the cross-article/outlet comparison tables."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest
from presslab import compare, report
from presslab.schemas import SCHEMAS


def _table(name: str, rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows).reindex(columns=SCHEMAS[name])


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "a":
            self.links.append(dict(attrs)["href"])


def _manifest() -> dict:
    def job(name, status="ok", article=None, error=""):
        stem = name if article is None else f"{name}--{article}"
        return {
            "notebook": f"/x/notebooks/{name}.ipynb",
            "output": f"/r/notebooks/{stem}.ipynb",
            "report": f"/r/reports/{stem}.html",
            "article_id": article,
            "status": status,
            "error": error,
            "seconds": 1.5,
            "parameters": {"tables": "/r/tables", "corpus": "/c", "plots": f"/r/reports/{stem}"},
            "plots": ["length_words.png"] if article is None else [],
        }

    return {
        "presslab": "0.1.0",
        "started": "2026-01-02T03:04:05+00:00",
        "finished": "2026-01-02T03:05:00+00:00",
        "parameters": {
            "corpus": "/c",
            "out": "/r",
            "jobs": 2,
            "notebooks": ["00_corpus"],
            "articles": ["a1", "a2"],
            "sample": None,
            "engine": "local",
            "scheduler": None,
        },
        "corpus_sha256": "ab" * 32,
        "n_articles": 3,
        "articles": {"a1": "ok", "a2": "ok", "a3": "ok"},
        "load_errors": [
            {"file": "/c/bad.txt", "reason": "file is not text (binary data)"},
            {"file": "/c/a2.txt", "reason": "quotes extractor failed: KeyError: 'x'"},
        ],
        "notebooks": [
            job("00_corpus"),
            job("20_compare", "failed", error="ValueError: <b>no</b> outlets"),
            job("10_article", article="a1"),
            job("10_article", article="a2"),
        ],
        "versions": {"python": "3.11.7", "pandas": "3.1.1"},
        "git_commit": "abc123+dirty",
        "timings": {"analyze": 1.2, "notebooks": 3.4},
        "ok": False,
    }


def _tables() -> dict[str, pd.DataFrame]:
    articles = _table(
        "articles",
        [
            {
                "article_id": "a1",
                "headline": "Iran fires drones",
                "outlet": "Reuters",
                "date": "2024-04-14",
                "n_words": 300,
                "byline": "Staff",
            },
            {
                "article_id": "a2",
                "headline": "<script>alert(1)</script> says <img src=x>",
                "outlet": None,
                "byline": "Jane Roe",
                "date": "2024-04-15",
                "n_words": 200,
            },
            {
                "article_id": "a3",
                "headline": "Israel weighs response",
                "outlet": "Reuters",
                "date": "2024-04-15",
                "n_words": 250,
            },
        ],
    )
    return {
        "articles": articles,
        "sentences": _table("sentences", [{"article_id": "a1"}] * 7),
        "errors": _table("errors", [{"file": "f", "reason": "r"}] * 2),
    }


def test_index_links_every_report_and_explains_failures():
    html = report.render_index(_manifest(), _tables())
    parser = Links()
    parser.feed(html)
    for stem in ("00_corpus", "20_compare", "10_article--a1", "10_article--a2"):
        assert f"reports/{stem}.html" in parser.links
    assert "reports/00_corpus/length_words.png" in parser.links
    assert "reports/00_corpus/length_words.csv" in parser.links
    assert "2 of 3 articles" in html  # a sample of the articles has a report
    assert "file is not text (binary data)" in html
    assert "notebooks/20_compare.ipynb shows the cell that failed" in html
    assert "extractor" in html and "KeyError" in html
    assert "ValueError: &lt;b&gt;no&lt;/b&gt; outlets" in html
    assert "abc123+dirty" in html and "2026-01-02T03:04:05" in html and "0.1.0" in html
    assert "Something failed" in html


def test_index_escapes_what_articles_bring():
    html = report.render_index(_manifest(), _tables())
    parser = Links()
    parser.feed(html)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_corpus_numbers():
    numbers = report.corpus_numbers(_tables()).set_index("what")["n"]
    assert numbers["articles"] == 3
    assert numbers["words in article bodies"] == 750
    assert numbers["sentences"] == 7
    assert numbers["outlets"] == 1
    assert numbers["quotes"] == 0  # no quotes table in this run


def test_failures_table():
    problems = report.failures(_manifest())
    assert problems["what"].tolist() == ["input", "extractor", "report"]
    assert problems["where"].tolist()[-1] == "reports/20_compare.html"


# --------------------------------------------------------------------------- comparison


@pytest.fixture
def three_articles() -> dict[str, pd.DataFrame]:
    tables = _tables()
    tables["article_frames"] = _table(
        "article_frames",
        [
            {"article_id": a, "frame": f, "score": s, "present": p}
            for a, f, s, p in [
                ("a1", "conflict", 2.0, True),
                ("a1", "economic", 0.0, False),
                ("a2", "conflict", 0.5, False),
                ("a2", "economic", 3.0, True),
                ("a3", "conflict", 1.0, True),
                ("a3", "economic", 1.0, False),
            ]
        ],
    )
    tables["mentions"] = _table(
        "mentions",
        [
            {"article_id": a, "actor_id": x, "kind": k, "sentence_id": s}
            for a, x, k, s in [
                ("a1", "iran", "name", 0),
                ("a1", "iran", "name", 1),
                ("a1", "israel", "name", 1),
                ("a3", "israel", "name", 0),
                ("a3", "reuters-staff", "credit", 2),
                ("a2", "iran", "name", 0),
            ]
        ],
    )
    tables["sentences"] = _table(
        "sentences",
        [
            {"article_id": a, "sentence_id": s, "part": p}
            for a, s, p in [
                ("a1", 0, "headline"),
                ("a1", 1, "body"),
                ("a2", 0, "headline"),
                ("a3", 0, "headline"),
                ("a3", 2, "body"),
            ]
        ],
    )
    tables["actors"] = _table(
        "actors", [{"actor_id": "iran", "name": "Iran"}, {"actor_id": "israel", "name": "Israel"}]
    )
    tables["quotes"] = _table(
        "quotes",
        [
            {"article_id": a, "kind": k, "speaker": s, "speaker_actor_id": i}
            for a, k, s, i in [
                ("a1", "direct", "Gallant", "yoav-gallant"),
                ("a1", "indirect", "officials", None),
                ("a3", "direct", "Gallant", "yoav-gallant"),
                ("a2", "partial", "Gantz", "benny-gantz"),
            ]
        ],
    )
    tables["labels"] = _table(
        "labels",
        [
            {"article_id": a, "actor_id": x, "label": lab, "kind": "epithet"}
            for a, x, lab in [
                ("a1", "iran", "the Islamic Republic"),
                ("a3", "iran", "Iran's regime"),
                ("a3", "iran", "the Islamic Republic"),
                ("a2", "iran", "Tehran"),
            ]
        ],
    )
    tables["figure_comparison"] = _table(
        "figure_comparison",
        [
            {
                "counted_lemma": c,
                "window": "2024-04-14",
                "article_id": a,
                "surface": s,
                "low": lo,
                "high": hi,
                "interval": iv,
                "date": d,
                "disagrees": dis,
            }
            for c, a, s, lo, hi, iv, d, dis in [
                ("drone", "a1", "170", 170, 170, "[170, 170]", "2024-04-14", True),
                ("drone", "a2", "200", 200, 200, "[200, 200]", "2024-04-15", True),
                ("missile", "a1", "30", 30, 30, "[30, 30]", "2024-04-14", False),
                ("missile", "a3", "about 30", 30, 30, "[30, 30]", "2024-04-15", False),
            ]
        ],
    )
    return tables


def test_scope_says_when_there_is_nothing_to_compare(three_articles):
    one = {"articles": three_articles["articles"].iloc[:1]}
    assert "nothing to compare" in compare.scope(one)["message"].item()
    row = compare.scope(three_articles).iloc[0]
    assert (row["articles"], row["outlets"], row["compare_outlets"]) == (3, 2, True)


def test_outlet_falls_back_to_byline_and_pools_small_outlets(three_articles):
    outlets = compare.article_outlets(three_articles).set_index("article_id")["outlet"]
    assert outlets.to_dict() == {"a1": "Reuters", "a2": "Jane Roe", "a3": "Reuters"}
    pooled = compare.article_outlets(three_articles, top_outlets=1)
    assert pooled["outlet"].tolist() == ["Reuters", compare.OTHER, "Reuters"]


def test_frame_profiles(three_articles):
    frames = compare.frame_profiles(three_articles).set_index(["outlet", "frame"])
    assert frames.loc[("Reuters", "conflict"), "share_present"] == 1.0
    assert frames.loc[("Reuters", "economic"), "mean_score"] == 0.5
    assert frames.loc[("Jane Roe", "economic"), "articles_with_frame"] == 1


def test_actor_prominence_and_quote_share(three_articles):
    actors = compare.actor_prominence(three_articles).set_index(["outlet", "actor_id"])
    assert actors.loc[("Reuters", "iran"), "share_of_mentions"] == 0.5  # credits left out
    assert actors.loc[("Reuters", "israel"), "in_headline"] == 1
    assert actors.loc[("Reuters", "iran"), "in_headline"] == 1
    assert "reuters-staff" not in actors.index.get_level_values(1)
    quotes = compare.quote_share(three_articles).set_index(["outlet", "speaker_id"])
    assert quotes.loc[("Reuters", "yoav-gallant"), "share_of_quotes"] == pytest.approx(2 / 3)
    assert quotes.loc[("Reuters", "(unattributed)"), "indirect"] == 1


def test_labels_by_outlet(three_articles):
    labels = compare.labels_by_outlet(three_articles)
    reuters = labels[labels["outlet"] == "Reuters"]
    assert reuters[["label", "n"]].values.tolist() == [
        ["the islamic republic", 2],
        ["iran's regime", 1],
    ]


def test_figure_disagreements(three_articles):
    detail = compare.figure_disagreements(three_articles)
    assert detail["surface"].tolist() == ["170", "200"]
    assert detail["outlet"].tolist() == ["Reuters", "Jane Roe"]
    summary = compare.figure_disagreement_summary(three_articles)
    assert summary[["counted_lemma", "articles", "lowest", "highest"]].values.tolist() == [
        ["drone", 2, 170, 200]
    ]


def test_comparison_of_empty_tables():
    tables = {"articles": _table("articles", [])}
    for function in (
        compare.frame_profiles,
        compare.actor_prominence,
        compare.quote_share,
        compare.labels_by_outlet,
        compare.figure_disagreements,
        compare.figure_disagreement_summary,
    ):
        assert function(tables).empty
    assert "no article" in compare.scope(tables)["message"].item()


def test_matrix_puts_the_most_prominent_first(three_articles):
    prominence = compare.actor_prominence(three_articles)
    matrix = compare.pivot(prominence, "name", "outlet", "share_of_mentions")
    assert matrix.index.tolist() == ["Iran", "Israel"]  # 1.5 of shares against 0.5
    assert matrix.columns.tolist() == ["Jane Roe", "Reuters"]
    assert matrix.loc["Israel", "Jane Roe"] == 0
