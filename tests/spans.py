"""The offsets contract as a check that the reliability suites share: every span of every row of
every table lies in its article's text, and slices back to its surface where the table has one.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

#: (table, start column, end column, column that must equal the slice, or None)
SPANS = [
    ("sentences", "start", "end", None),
    ("mentions", "start", "end", "surface"),
    ("quotes", "start", "end", "text"),
    ("quotes", "speaker_start", "speaker_end", None),  # speaker: the name, not the surface
    ("quotes", "cue_start", "cue_end", "cue"),
    ("quotes", "clause_start", "clause_end", None),
    ("figures", "start", "end", "surface"),
    ("figures", "counted_start", "counted_end", "counted"),
    ("frames", "start", "end", None),
    ("tone", "start", "end", None),
    ("labels", "start", "end", "label"),
    ("evaluative", "start", "end", "word"),
    ("agency", "verb_start", "verb_end", "verb"),
    ("agency", "agent_start", "agent_end", "agent"),
    ("agency", "patient_start", "patient_end", "patient"),
    ("figure_comparison", "start", "end", "surface"),
]


def span_problems(
    tables: Mapping[str, pd.DataFrame],
    texts: Mapping[str, str],
    spans: list[tuple[str, str, str, str | None]] = SPANS,
) -> list[str]:
    """Every row whose span leaves its text or does not slice back to its surface."""
    problems = []
    for table, start, end, surface in spans:
        df = tables.get(table)
        if df is None or start not in df.columns or len(df) == 0:
            continue
        for row in df.dropna(subset=[start, end]).to_dict("records"):
            text = texts.get(str(row["article_id"]))
            if text is None:
                problems.append(f"{table}: unknown article {row['article_id']!r}")
                continue
            s, e = int(row[start]), int(row[end])
            if not 0 <= s <= e <= len(text):
                problems.append(f"{table}.{start}: ({s}, {e}) outside 0..{len(text)}")
            elif surface is not None and text[s:e] != _value(row[surface]):
                problems.append(f"{table}.{surface}: {text[s:e]!r} != {row[surface]!r}")
    return problems


def _value(value: object) -> object:
    # A surface read back from CSV is NaN where the written string was empty.
    return "" if isinstance(value, float) and value != value else value
