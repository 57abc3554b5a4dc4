"""Comparing articles and outlets: frames, actors, quotes, labels and figures side by side.

Every function takes the run's tables and returns a tidy DataFrame with one row per
(outlet, item). An article's outlet is its ``outlet`` metadata, else its byline, else
``(unknown)`` (see :func:`article_outlets`); with more outlets than ``top_outlets`` the smallest
are pooled as ``(other outlets)`` so that plots stay legible on hundreds of articles.

:func:`scope` says whether there is anything to compare: one article has nothing to compare
with, one outlet allows comparing articles but not outlets.
"""

from __future__ import annotations

import pandas as pd

Tables = dict[str, pd.DataFrame]

UNKNOWN = "(unknown)"
OTHER = "(other outlets)"
#: outlets shown by name; the rest are pooled as :data:`OTHER`
TOP_OUTLETS = 12


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


def article_outlets(tables: Tables, top_outlets: int = TOP_OUTLETS) -> pd.DataFrame:
    """Each article's outlet (``article_id, outlet``), the smallest pooled beyond
    ``top_outlets``."""
    articles = tables["articles"]
    if len(articles) == 0:
        return _empty(["article_id", "outlet"])
    outlet = articles["outlet"].fillna(articles["byline"]).fillna(UNKNOWN).astype(str)
    outlet = outlet.str.strip().replace("", UNKNOWN)
    counts = outlet.value_counts()
    ranked = sorted(counts.index, key=lambda o: (-counts[o], o))
    keep = set(ranked[:top_outlets])
    outlet = outlet.where(outlet.isin(keep), OTHER)
    return pd.DataFrame(
        {"article_id": articles["article_id"].astype(str).to_numpy(), "outlet": outlet.to_numpy()}
    )


def scope(tables: Tables) -> pd.DataFrame:
    """One row: articles, outlets, whether articles and outlets can be compared, and a message
    saying so in words."""
    outlets = article_outlets(tables, top_outlets=10**9)
    n_articles, n_outlets = len(outlets), int(outlets["outlet"].nunique())
    if n_articles == 0:
        message = "The corpus has no article: nothing to compare."
    elif n_articles == 1:
        message = (
            "The corpus has one article: there is nothing to compare it with. Add "
            "articles (from other outlets, or other days) to compare coverage."
        )
    elif n_outlets == 1:
        message = (
            f"{n_articles} articles, all from one outlet: articles can be compared, outlets cannot."
        )
    else:
        message = f"{n_articles} articles from {n_outlets} outlets (or bylines)."
    return pd.DataFrame(
        [
            {
                "articles": n_articles,
                "outlets": n_outlets,
                "compare_articles": n_articles >= 2,
                "compare_outlets": n_outlets >= 2,
                "message": message,
            }
        ]
    )


def _with_outlet(df: pd.DataFrame, outlets: pd.DataFrame) -> pd.DataFrame:
    df = df.assign(article_id=df["article_id"].astype(str))
    return df.merge(outlets, on="article_id", how="left").fillna({"outlet": UNKNOWN})


def _articles_per_outlet(outlets: pd.DataFrame) -> pd.Series:
    return outlets.groupby("outlet")["article_id"].nunique()


def frame_profiles(tables: Tables, top_outlets: int = TOP_OUTLETS) -> pd.DataFrame:
    """Per outlet and frame: articles, articles where the frame is present, their share and the
    mean frame score (from ``article_frames``)."""
    columns = ["outlet", "frame", "articles", "articles_with_frame", "share_present", "mean_score"]
    scored = tables.get("article_frames")
    if scored is None or len(scored) == 0:
        return _empty(columns)
    outlets = article_outlets(tables, top_outlets)
    df = _with_outlet(scored, outlets)
    present = df["present"].astype(str).str.lower().isin(["true", "1"])
    df = df.assign(present=present, score=pd.to_numeric(df["score"], errors="coerce"))
    out = (
        df.groupby(["outlet", "frame"])
        .agg(
            articles=("article_id", "nunique"),
            articles_with_frame=("present", "sum"),
            mean_score=("score", "mean"),
        )
        .reset_index()
    )
    out["share_present"] = out["articles_with_frame"] / out["articles"]
    out = out.astype({"articles_with_frame": int})
    return out[columns].sort_values(["outlet", "frame"]).reset_index(drop=True)


def _story_mentions(tables: Tables) -> pd.DataFrame:
    mentions = tables.get("mentions")
    if mentions is None or len(mentions) == 0:
        return pd.DataFrame(columns=["article_id", "actor_id", "sentence_id", "kind"])
    mentions = mentions[mentions["kind"].astype(str) != "credit"]
    return mentions[mentions["actor_id"].notna()]


def _names(tables: Tables) -> dict[str, str]:
    actors = tables.get("actors")
    if actors is None or len(actors) == 0:
        return {}
    return {
        str(a): str(n)
        for a, n in zip(actors["actor_id"], actors["name"], strict=True)
        if pd.notna(n)
    }


def actor_prominence(
    tables: Tables, top_actors: int = 15, top_outlets: int = TOP_OUTLETS
) -> pd.DataFrame:
    """Per outlet and actor (the ``top_actors`` most mentioned in the corpus): mentions, their
    share of the outlet's actor mentions, articles naming the actor, and articles naming the
    actor in the headline."""
    columns = [
        "outlet",
        "actor_id",
        "name",
        "mentions",
        "share_of_mentions",
        "articles",
        "in_headline",
    ]
    mentions = _story_mentions(tables)
    if len(mentions) == 0:
        return _empty(columns)
    outlets = article_outlets(tables, top_outlets)
    df = _with_outlet(mentions, outlets)
    df = df.assign(actor_id=df["actor_id"].astype(str))
    sentences = tables.get("sentences")
    if "part" in df and df["part"].notna().any():
        pass  # the mentions table says where each mention is
    elif sentences is not None and len(sentences) and "sentence_id" in df:
        df = df.drop(columns=["part"], errors="ignore")
        parts = sentences.assign(article_id=sentences["article_id"].astype(str))[
            ["article_id", "sentence_id", "part"]
        ]
        df = df.merge(parts, on=["article_id", "sentence_id"], how="left")
    else:
        df = df.assign(part="")
    totals = df.groupby("outlet").size()
    top = df["actor_id"].value_counts()
    chosen = sorted(top.index, key=lambda a: (-top[a], a))[:top_actors]
    df = df[df["actor_id"].isin(chosen)]
    headline = df[df["part"] == "headline"].groupby(["outlet", "actor_id"])["article_id"].nunique()
    out = (
        df.groupby(["outlet", "actor_id"])
        .agg(mentions=("article_id", "size"), articles=("article_id", "nunique"))
        .reset_index()
    )
    out["share_of_mentions"] = [
        m / totals[o] for o, m in zip(out["outlet"], out["mentions"], strict=True)
    ]
    out["in_headline"] = [
        int(headline.get((o, a), 0)) for o, a in zip(out["outlet"], out["actor_id"], strict=True)
    ]
    names = _names(tables)
    out["name"] = [names.get(a, a) for a in out["actor_id"]]
    return (
        out[columns]
        .sort_values(["outlet", "mentions", "actor_id"], ascending=[True, False, True])
        .reset_index(drop=True)
    )


def quote_share(
    tables: Tables, top_speakers: int = 15, top_outlets: int = TOP_OUTLETS
) -> pd.DataFrame:
    """Per outlet and speaker (the ``top_speakers`` most quoted in the corpus): quotes by kind
    and the speaker's share of the outlet's quotes. Quotes without an identified speaker count
    as ``(unattributed)``."""
    columns = [
        "outlet",
        "speaker_id",
        "speaker",
        "quotes",
        "direct",
        "partial",
        "indirect",
        "share_of_quotes",
    ]
    quotes = tables.get("quotes")
    if quotes is None or len(quotes) == 0:
        return _empty(columns)
    outlets = article_outlets(tables, top_outlets)
    df = _with_outlet(quotes, outlets)
    names = _names(tables)
    speaker_id = df["speaker_actor_id"].astype("string").fillna("(unattributed)")
    shown = [
        names.get(str(i)) or (str(s) if pd.notna(s) else str(i))
        for i, s in zip(speaker_id, df["speaker"], strict=True)
    ]
    df = df.assign(speaker_id=speaker_id.astype(str), speaker=shown)
    totals = df.groupby("outlet").size()
    top = df["speaker_id"].value_counts()
    chosen = sorted(top.index, key=lambda a: (-top[a], a))[:top_speakers]
    df = df[df["speaker_id"].isin(chosen)]
    out = (
        df.groupby(["outlet", "speaker_id"])
        .agg(
            speaker=("speaker", "first"),
            quotes=("article_id", "size"),
            direct=("kind", lambda k: int((k == "direct").sum())),
            partial=("kind", lambda k: int((k == "partial").sum())),
            indirect=("kind", lambda k: int((k == "indirect").sum())),
        )
        .reset_index()
    )
    out["share_of_quotes"] = [
        q / totals[o] for o, q in zip(out["outlet"], out["quotes"], strict=True)
    ]
    return (
        out[columns]
        .sort_values(["outlet", "quotes", "speaker_id"], ascending=[True, False, True])
        .reset_index(drop=True)
    )


def labels_by_outlet(tables: Tables, top_outlets: int = TOP_OUTLETS) -> pd.DataFrame:
    """Per outlet, actor and label: how often the outlet calls the actor that (from the
    ``labels`` table), with the share of the outlet's labels for that actor."""
    columns = ["outlet", "actor_id", "name", "label", "kind", "n", "share_for_actor"]
    labels = tables.get("labels")
    if labels is None or len(labels) == 0:
        return _empty(columns)
    outlets = article_outlets(tables, top_outlets)
    df = _with_outlet(labels, outlets)
    df = df.assign(
        actor_id=df["actor_id"].astype("string").fillna("(no actor)").astype(str),
        label=df["label"].astype(str).str.lower(),
        kind=df["kind"].astype("string").fillna("").astype(str),
    )
    out = df.groupby(["outlet", "actor_id", "label", "kind"]).size().rename("n").reset_index()
    per_actor = out.groupby(["outlet", "actor_id"])["n"].transform("sum")
    out["share_for_actor"] = out["n"] / per_actor
    names = _names(tables)
    out["name"] = [names.get(a, a) for a in out["actor_id"]]
    return (
        out[columns]
        .sort_values(["outlet", "actor_id", "n", "label"], ascending=[True, True, False, True])
        .reset_index(drop=True)
    )


def figure_disagreements(tables: Tables) -> pd.DataFrame:
    """The figures that disagree across articles (from ``figure_comparison``): for each thing
    counted and time window where at least one figure disagrees, every article's figure."""
    columns = [
        "counted_lemma",
        "window",
        "article_id",
        "outlet",
        "date",
        "surface",
        "interval",
        "qualifier",
        "claimed_by",
        "disagrees",
    ]
    comparison = tables.get("figure_comparison")
    if comparison is None or len(comparison) == 0:
        return _empty(columns)
    df = comparison.copy()
    df["disagrees"] = df["disagrees"].astype(str).str.lower().isin(["true", "1"])
    groups = df.groupby(["counted_lemma", "window"], dropna=False)["disagrees"].transform("any")
    df = df[groups]
    if len(df) == 0:
        return _empty(columns)
    outlets = article_outlets(tables, top_outlets=10**9)
    df = df.drop(columns=["outlet"]).pipe(_with_outlet, outlets)
    if "interval" not in df:
        df["interval"] = [f"[{lo}, {hi}]" for lo, hi in zip(df["low"], df["high"], strict=True)]
    return (
        df[columns]
        .sort_values(["counted_lemma", "window", "date", "article_id"], na_position="first")
        .reset_index(drop=True)
    )


def figure_disagreement_summary(tables: Tables) -> pd.DataFrame:
    """One row per thing counted and window with disagreeing figures: articles, outlets, the
    lowest and highest value reported."""
    columns = ["counted_lemma", "window", "articles", "outlets", "lowest", "highest", "figures"]
    detail = figure_disagreements(tables)
    if len(detail) == 0:
        return _empty(columns)
    comparison = tables["figure_comparison"]
    values = comparison[["counted_lemma", "window", "article_id", "low", "high"]].assign(
        article_id=comparison["article_id"].astype(str)
    )
    detail = detail.merge(
        values.drop_duplicates(["counted_lemma", "window", "article_id"]),
        on=["counted_lemma", "window", "article_id"],
        how="left",
    )
    out = (
        detail.groupby(["counted_lemma", "window"], dropna=False)
        .agg(
            articles=("article_id", "nunique"),
            outlets=("outlet", "nunique"),
            lowest=("low", "min"),
            highest=("high", "max"),
            figures=("surface", lambda s: "; ".join(sorted(set(map(str, s)))[:8])),
        )
        .reset_index()
    )
    return (
        out[columns]
        .sort_values(["articles", "counted_lemma"], ascending=[False, True])
        .reset_index(drop=True)
    )


def pivot(df: pd.DataFrame, index: str, columns: str, values: str) -> pd.DataFrame:
    """A long table as a matrix (``index`` rows × ``columns``), missing cells 0; rows with the
    largest total first (the most prominent actor on top), columns in name order."""
    if len(df) == 0:
        return pd.DataFrame()
    matrix = df.pivot_table(
        index=index, columns=columns, values=values, aggfunc="sum", fill_value=0
    )
    order = sorted(matrix.index, key=lambda i: (-float(matrix.loc[i].sum()), str(i)))
    return matrix.loc[order, sorted(matrix.columns, key=str)]


def plot_matrix(
    matrix: pd.DataFrame,
    ax,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    colorbar: str,
    empty: str = "nothing to compare",
    percent: bool = True,
) -> None:
    """A titled, labelled heat map of a :func:`pivot` matrix on ``ax`` (values annotated)."""
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    if matrix.empty:
        ax.text(0.5, 0.5, empty, ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
        return
    image = ax.imshow(matrix.to_numpy(dtype=float), aspect="auto", cmap="Blues", vmin=0)
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns], rotation=45, ha="right")
    ax.set_yticks(range(matrix.shape[0]), [str(i) for i in matrix.index])
    if matrix.size <= 400:
        top = float(matrix.to_numpy(dtype=float).max()) or 1.0
        for (i, j), v in pd.DataFrame(matrix.to_numpy(dtype=float)).stack().items():
            text = f"{v:.0%}" if percent else f"{v:g}"
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=7,
                color="white" if v > top * 0.6 else "black",
            )
    ax.figure.colorbar(image, ax=ax, label=colorbar, shrink=0.8)
