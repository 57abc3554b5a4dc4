"""Corpus overview tables for notebook ``00_corpus``: sizes, dates, outlets, layout parts."""

from __future__ import annotations

import pandas as pd

from presslab.tables import Tables


def corpus_summary(tables: Tables) -> pd.DataFrame:
    """One row of corpus numbers: articles, words, sentences, dated articles, outlets, errors."""
    articles = tables["articles"]
    return pd.DataFrame(
        [
            {
                "articles": len(articles),
                "words": int(articles["n_words"].fillna(0).sum()),
                "sentences": int(articles["n_sentences"].fillna(0).sum()),
                "with_date": int(articles["date"].notna().sum()),
                "first_date": articles["date"].dropna().min()
                if articles["date"].notna().any()
                else "",
                "last_date": articles["date"].dropna().max()
                if articles["date"].notna().any()
                else "",
                "outlets": int(articles["outlet"].nunique()),
                "files_failed": len(tables["errors"]),
            }
        ]
    )


def article_list(tables: Tables) -> pd.DataFrame:
    """The articles with their metadata and length, by id."""
    columns = [
        "article_id",
        "headline",
        "byline",
        "date",
        "outlet",
        "n_words",
        "n_sentences",
        "encoding",
    ]
    return tables["articles"][columns].sort_values("article_id").reset_index(drop=True)


def lengths(tables: Tables) -> pd.DataFrame:
    """Words and sentences per article."""
    return (
        tables["articles"][["article_id", "n_words", "n_sentences"]]
        .sort_values("article_id")
        .reset_index(drop=True)
    )


def articles_by_date(tables: Tables) -> pd.DataFrame:
    """Articles per date (articles without a date are left out)."""
    dates = tables["articles"]["date"].dropna().astype(str)
    counts = dates.value_counts().sort_index()
    return pd.DataFrame({"date": counts.index, "n_articles": counts.to_numpy()})


def articles_by_outlet(tables: Tables) -> pd.DataFrame:
    """Articles per outlet; the byline stands in where no outlet is recorded."""
    articles = tables["articles"]
    source = articles["outlet"].fillna(articles["byline"]).fillna("(unknown)").astype(str)
    counts = source.value_counts()
    out = pd.DataFrame({"outlet": counts.index, "n_articles": counts.to_numpy()})
    return out.sort_values(["n_articles", "outlet"], ascending=[False, True]).reset_index(drop=True)


def sentences_by_part(tables: Tables) -> pd.DataFrame:
    """Sentences per layout part across the corpus, in reading order."""
    order = ["headline", "caption", "credit", "dek", "byline", "dateline", "body", "boilerplate"]
    counts = tables["sentences"]["part"].value_counts()
    return pd.DataFrame(
        {
            "part": [p for p in order if p in counts],
            "n_sentences": [int(counts[p]) for p in order if p in counts],
        }
    )
