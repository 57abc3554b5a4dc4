"""Source balance: who is quoted, how often, at what length, and who is only mentioned.

Pure functions over the ``quotes``, ``mentions`` and ``actors`` tables (see
:mod:`presslab.schemas`); each returns a tidy DataFrame, sorted, ready to plot and to save as
CSV beside its plot. Speakers without an actor (no speaker found) are grouped as
``"unattributed"``; unnamed sources (``speaker_actor_id == "anonymous"``) as ``"anonymous"``.
Groups of the ``actors`` table a speaker lacks (no actors table yet, or an actor it does not
list) are ``"unknown"``.

>>> import pandas as pd
>>> q = pd.DataFrame({"article_id": ["a", "a", "a"], "kind": ["direct", "indirect", "direct"],
...                   "text": ["We will win", "talks failed", "No comment"],
...                   "speaker": ["Yoav Gallant", "officials", None],
...                   "speaker_actor_id": ["yoav-gallant", "anonymous", None]})
>>> who_is_quoted(q)[["speaker_actor_id", "n_quotes", "n_words"]].values.tolist()
[['yoav-gallant', 1, 3], ['anonymous', 1, 2], ['unattributed', 1, 2]]
"""

from __future__ import annotations

import re

import pandas as pd

ANONYMOUS = "anonymous"
UNATTRIBUTED = "unattributed"
UNKNOWN = "unknown"
_WORD = re.compile(r"[^\W_]+(?:[.'’-]+[^\W_]+)*")

WHO_COLUMNS = [
    "speaker_actor_id",
    "speaker",
    "type",
    "side",
    "affiliation",
    "n_quotes",
    "n_direct",
    "n_partial",
    "n_indirect",
    "n_words",
    "mean_words",
    "n_articles",
    "share_quotes",
    "share_words",
]
BALANCE_COLUMNS = ["group", "n_quotes", "n_words", "n_speakers", "share_quotes", "share_words"]
MENTIONED_COLUMNS = [
    "actor_id",
    "name",
    "type",
    "side",
    "n_mentions",
    "n_articles_mentioned",
    "n_quotes",
    "n_articles_quoted",
    "quoted",
]
ANONYMOUS_COLUMNS = ["article_id", "start", "end", "kind", "description", "cue", "text"]


def n_words(text: object) -> int:
    """Words in a quote ("U.S.-made" and "don’t" count once).

    >>> n_words("“We don’t leave U.S.-made arms,” he said")
    7
    """
    return len(_WORD.findall(str(text))) if isinstance(text, str) else 0


def _speaker_ids(quotes: pd.DataFrame) -> pd.Series:
    ids = quotes["speaker_actor_id"].astype("object")
    return ids.where(ids.notna() & (ids.astype(str) != ""), UNATTRIBUTED).astype(str)


def _actor_info(actors: pd.DataFrame | None) -> pd.DataFrame:
    cols = ["actor_id", "name", "type", "side", "affiliation"]
    if actors is None or not len(actors):
        return pd.DataFrame(columns=cols)
    out = actors.reindex(columns=cols).copy()
    out["actor_id"] = out["actor_id"].astype(str)
    return out.drop_duplicates("actor_id")


def _with_groups(quotes: pd.DataFrame, actors: pd.DataFrame | None) -> pd.DataFrame:
    q = quotes.copy()
    q["speaker_actor_id"] = _speaker_ids(q)
    q["n_words"] = q["text"].map(n_words).astype(int)
    info = _actor_info(actors).drop(columns=["name"])
    q = q.merge(info, how="left", left_on="speaker_actor_id", right_on="actor_id")
    for col in ("type", "side", "affiliation"):
        special = q["speaker_actor_id"].isin([ANONYMOUS, UNATTRIBUTED])
        q[col] = q[col].astype("object").where(q[col].notna() & (q[col].astype(str) != ""), UNKNOWN)
        q.loc[special, col] = q.loc[special, "speaker_actor_id"]
    return q


def who_is_quoted(quotes: pd.DataFrame, actors: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per speaker: quotes by kind, quoted words, articles, shares of the corpus."""
    if not len(quotes):
        return pd.DataFrame(columns=WHO_COLUMNS)
    q = _with_groups(quotes, actors)
    kinds = pd.crosstab(q["speaker_actor_id"], q["kind"]).reindex(
        columns=["direct", "partial", "indirect"], fill_value=0
    )
    grouped = q.groupby("speaker_actor_id")
    out = pd.DataFrame(
        {
            "speaker": grouped["speaker"].agg(
                lambda s: s.dropna().mode().iloc[0] if s.notna().any() else ""
            ),
            "type": grouped["type"].first(),
            "side": grouped["side"].first(),
            "affiliation": grouped["affiliation"].first(),
            "n_quotes": grouped.size(),
            "n_direct": kinds["direct"],
            "n_partial": kinds["partial"],
            "n_indirect": kinds["indirect"],
            "n_words": grouped["n_words"].sum(),
            "n_articles": grouped["article_id"].nunique(),
        }
    ).reset_index()
    # The anonymous row gathers every unnamed source: labelled by its most frequent
    # description ("analysts"), it would read as one speaker quoted that often.
    for special in (UNATTRIBUTED, ANONYMOUS):
        out.loc[out["speaker_actor_id"] == special, "speaker"] = special
    out["mean_words"] = (out["n_words"] / out["n_quotes"]).round(2)
    out["share_quotes"] = (out["n_quotes"] / out["n_quotes"].sum()).round(4)
    total_words = out["n_words"].sum()
    out["share_words"] = (out["n_words"] / total_words).round(4) if total_words else 0.0
    out = out.sort_values(
        ["n_quotes", "n_words", "speaker_actor_id"], ascending=[False, False, True], kind="stable"
    )
    return out[WHO_COLUMNS].reset_index(drop=True)


def source_balance(
    quotes: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    by: str = "side",
    per_article: bool = False,
) -> pd.DataFrame:
    """Share of quotes and quoted words by ``side``, ``affiliation`` or ``type`` of speaker
    (``kind`` too: direct/partial/indirect); per article when ``per_article``."""
    if by not in ("side", "affiliation", "type", "kind"):
        raise ValueError(f"by must be side, affiliation, type or kind, not {by!r}")
    keys = ["article_id", "group"] if per_article else ["group"]
    if not len(quotes):
        return pd.DataFrame(columns=(["article_id"] if per_article else []) + BALANCE_COLUMNS)
    q = _with_groups(quotes, actors)
    q["group"] = q[by].astype(str)
    out = (
        q.groupby(keys)
        .agg(
            n_quotes=("kind", "size"),
            n_words=("n_words", "sum"),
            n_speakers=("speaker_actor_id", "nunique"),
        )
        .reset_index()
    )
    if per_article:
        totals = out.groupby("article_id")[["n_quotes", "n_words"]].transform("sum")
        all_quotes, all_words = totals["n_quotes"], totals["n_words"].replace(0, pd.NA)
    else:
        all_quotes, all_words = out["n_quotes"].sum(), out["n_words"].sum() or pd.NA
    out["share_quotes"] = (out["n_quotes"] / all_quotes).round(4)
    out["share_words"] = (out["n_words"] / all_words).astype(float).fillna(0.0).round(4)
    out = out.sort_values(
        [*keys[:-1], "n_quotes", "group"],
        ascending=[True] * (len(keys) - 1) + [False, True],
        kind="stable",
    )
    return out[(["article_id"] if per_article else []) + BALANCE_COLUMNS].reset_index(drop=True)


def quoted_vs_mentioned(
    mentions: pd.DataFrame, quotes: pd.DataFrame, actors: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per actor: how often mentioned, how often quoted; ``quoted`` False for the voiceless
    (credits are not counted as mentions of the story)."""
    m = mentions[mentions["kind"] != "credit"] if len(mentions) else mentions
    if not len(m):
        return pd.DataFrame(columns=MENTIONED_COLUMNS)
    m = m.assign(actor_id=m["actor_id"].astype(str))
    mentioned = m.groupby("actor_id").agg(
        n_mentions=("start", "size"), n_articles_mentioned=("article_id", "nunique")
    )
    q = quotes.assign(speaker_actor_id=_speaker_ids(quotes)) if len(quotes) else None
    if q is not None:
        said = q.groupby("speaker_actor_id").agg(
            n_quotes=("kind", "size"), n_articles_quoted=("article_id", "nunique")
        )
    else:
        said = pd.DataFrame(columns=["n_quotes", "n_articles_quoted"])
    out = mentioned.join(said, how="left").fillna(0).astype(int).reset_index()
    info = _actor_info(actors)
    out = out.merge(info, how="left", on="actor_id")
    names = m.groupby("actor_id")["surface"].agg(lambda s: max(s.astype(str), key=len))
    out["name"] = out["name"].where(out["name"].notna(), out["actor_id"].map(names))
    for col in ("type", "side"):
        out[col] = out[col].where(out[col].notna(), UNKNOWN)
    out["quoted"] = out["n_quotes"] > 0
    out = out.sort_values(["n_mentions", "actor_id"], ascending=[False, True], kind="stable")
    return out[MENTIONED_COLUMNS].reset_index(drop=True)


def anonymous_sources(quotes: pd.DataFrame) -> pd.DataFrame:
    """Every quote from an unnamed source, with the words that describe it."""
    if not len(quotes):
        return pd.DataFrame(columns=ANONYMOUS_COLUMNS)
    q = quotes[_speaker_ids(quotes) == ANONYMOUS]
    out = q.assign(description=q["speaker"])
    out = out.sort_values(["article_id", "start"], kind="stable")
    return out[ANONYMOUS_COLUMNS].reset_index(drop=True)
