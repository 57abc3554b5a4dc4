"""The tables presslab writes: one schema each, the single place their columns are named.

Every table that points into an article carries ``article_id, start, end`` and a surface column
(``surface`` or ``text``); ``Article.text[start:end]`` equals that surface for every row (the
offsets contract, checked by ``tests/test_offsets.py``).

Rows are sorted by :data:`SORT_KEYS` and floats rounded to :data:`FLOAT_DIGITS` before writing,
so two runs on the same input give byte-identical files.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

FLOAT_DIGITS = 4

#: table name -> ordered columns
SCHEMAS: dict[str, list[str]] = {
    "articles": [
        "article_id",
        "path",
        "sha256",
        "encoding",
        "headline",
        "byline",
        "date",
        "outlet",
        "url",
        "n_words",
        "n_sentences",
        "n_chars",
        "headline_start",
        "headline_end",
        "caption_start",
        "caption_end",
        "credit_start",
        "credit_end",
        "dek_start",
        "dek_end",
        "byline_start",
        "byline_end",
        "dateline_start",
        "dateline_end",
        "body_start",
        "body_end",
        "boilerplate_start",
        "boilerplate_end",
    ],
    "sentences": ["article_id", "sentence_id", "start", "end", "paragraph", "part", "n_tokens"],
    "errors": ["file", "reason"],
    # actors issue
    "mentions": [
        "article_id",
        "start",
        "end",
        "surface",
        "actor_id",
        "type",
        "kind",
        "sentence_id",
        "name",
        "role",
        "affiliation",
        "part",
        "in_lead",
    ],
    "actors": [
        "actor_id",
        "name",
        "type",
        "role",
        "affiliation",
        "side",
        "n_mentions",
        "n_articles",
        "in_headline",
        "in_first_paragraph",
        "first_start",
    ],
    # quotes issue
    "quotes": [
        "article_id",
        "start",
        "end",
        "text",
        "kind",
        "speaker",
        "speaker_actor_id",
        "speaker_start",
        "speaker_end",
        "cue",
        "cue_start",
        "cue_end",
        "clause_start",
        "clause_end",
        "sentence_id",
    ],
    # figures issue
    "figures": [
        "article_id",
        "start",
        "end",
        "surface",
        "value_type",
        "low",
        "high",
        "interval",
        "exact",
        "qualifier",
        "unit",
        "counted",
        "counted_start",
        "counted_end",
        "counted_lemma",
        "claimed_by",
        "claim_kind",
        "sentence_id",
    ],
    "figure_comparison": [
        "counted_lemma",
        "window",
        "article_id",
        "start",
        "end",
        "surface",
        "value_type",
        "low",
        "high",
        "interval",
        "qualifier",
        "unit",
        "counted",
        "claimed_by",
        "claim_kind",
        "date",
        "outlet",
        "disagrees",
    ],
    # framing issue
    "frames": ["article_id", "sentence_id", "frame", "cue", "start", "end", "weight"],
    "article_frames": ["article_id", "frame", "score", "present"],
    "tone": [
        "article_id",
        "level",
        "target",
        "start",
        "end",
        "compound",
        "pos",
        "neu",
        "neg",
        "n_sentences",
    ],
    "labels": ["article_id", "actor_id", "label", "kind", "start", "end"],
    "evaluative": ["article_id", "sentence_id", "word", "category", "start", "end"],
    "agency": [
        "article_id",
        "sentence_id",
        "verb",
        "verb_lemma",
        "verb_start",
        "verb_end",
        "voice",
        "agent",
        "agent_actor_id",
        "agent_start",
        "agent_end",
        "patient",
        "patient_actor_id",
        "patient_start",
        "patient_end",
    ],
}

#: table name -> sort key columns (stable, total order for byte-identical output)
SORT_KEYS: dict[str, list[str]] = {
    "articles": ["article_id"],
    "sentences": ["article_id", "sentence_id"],
    "errors": ["file", "reason"],
    "mentions": ["article_id", "start", "end", "kind"],
    "actors": ["actor_id"],
    "quotes": ["article_id", "start", "end", "kind"],
    "figures": ["article_id", "start", "end"],
    "figure_comparison": ["counted_lemma", "window", "article_id", "start"],
    "frames": ["article_id", "start", "end", "frame"],
    "article_frames": ["article_id", "frame"],
    "tone": ["article_id", "level", "target", "start"],
    "labels": ["article_id", "actor_id", "start"],
    "evaluative": ["article_id", "start", "end"],
    "agency": ["article_id", "verb_start", "agent_start", "patient_start"],
}

#: tables produced per article (concatenated across the corpus)
ARTICLE_TABLES = [
    "sentences",
    "mentions",
    "quotes",
    "figures",
    "frames",
    "tone",
    "labels",
    "evaluative",
    "agency",
]
#: tables computed once across the corpus from the per-article ones
CORPUS_TABLES = ["articles", "actors", "article_frames", "figure_comparison", "errors"]


@cache
def column_index(table: str) -> pd.Index:
    """A table's columns as an index, built once.

    ``pd.DataFrame(rows, columns=index)`` gives the frame that the list of names gives,
    without building the index again: ~0.5 ms an article over its frames, and frames that
    share one columns index concatenate faster.
    """
    return pd.Index(SCHEMAS[table])
