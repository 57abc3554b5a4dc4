"""Validating the machine against hand coding: coding sheets out, coded sheets in, agreement.

The loop:

1. :func:`sample_items` draws a stratified, seeded random sample of units from the tables —
   sentences for ``frame`` (which frame does it mainly use?) and ``quote`` (does it quote
   someone, how, and whom?), reported numbers for ``figure`` (with which qualifier?) — with
   the machine's answer as the stratum, so that rare answers are sampled too.
2. :func:`coding_sheet` adds the text and the question and leaves the coder's columns
   (``code``, ``speaker``, ``note``) blank; :func:`write_sheet` saves it as CSV for a
   spreadsheet. The machine's answers are not on the sheet: coders code blind.
3. Each coder fills in a copy; :func:`read_sheets` reads one or more coded sheets back.
4. :func:`machine_codes` answers the same items from the current tables (so a sheet coded once
   keeps scoring new versions of the extractors), :func:`precision_recall` scores the machine
   against each coder per category, :func:`agreement` gives Krippendorff's alpha (nominal; the
   ``krippendorff`` package) between coders and between coders and machine, and
   :func:`disagreements` lists the items where anyone differs, with their sentence.

An item is identified by its task, article and character span (``item_id``), never by a row
number, so sheets survive re-running the analysis.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from presslab.corpus import Article
from presslab.numbers import FIGURE_TYPES

Tables = dict[str, pd.DataFrame]

TASKS = ("frame", "quote", "figure")
#: the answer for "no frame" / "no quote" / "a plain number"
NONE = "none"
#: a figure coders do not consider a reported number (a date, a name, a misread)
NOT_A_FIGURE = "not_a_figure"
QUOTE_KINDS = ("direct", "partial", "indirect")
FIGURE_QUALIFIERS = (
    "approximate",
    "more_than",
    "at_least",
    "less_than",
    "at_most",
    "exactly",
    "range",
    "vague",
)
#: layout parts whose sentences are coded for frames and quotes
PARTS = ("headline", "dek", "body")
SHEET_COLUMNS = [
    "item_id",
    "task",
    "article_id",
    "start",
    "end",
    "context",
    "item",
    "question",
    "choices",
    "code",
    "speaker",
    "note",
]
#: columns of the coded items that :func:`read_sheets` returns, one row per coder and item
CODED_COLUMNS = [
    "item_id",
    "task",
    "article_id",
    "start",
    "end",
    "context",
    "coder",
    "code",
    "speaker",
    "note",
]
QUESTIONS = {
    "frame": "Which frame does this sentence mainly use? One of the choices; 'none' if no "
    "frame is clearly there.",
    "quote": "Does this sentence report what someone said? 'direct' (quotation marks around a "
    "whole statement), 'partial' (quotation marks around a phrase), 'indirect' (said "
    "that... without quotation marks) or 'none'. If it does, write the speaker's name "
    "in `speaker`.",
    "figure": "How does the article qualify the number in [[ ]]? 'none' for a plain number, "
    "else one of the choices; 'not_a_figure' if it is not a reported quantity (a "
    "date, a name, a model number).",
}


def frame_names() -> list[str]:
    """The frames of the project's codebook, in codebook order."""
    from presslab.framing import load_codebook

    return list(load_codebook().frames)


def choices(task: str) -> list[str]:
    """The answers a coder may give for ``task``."""
    if task == "frame":
        return [*frame_names(), NONE]
    if task == "quote":
        return [*QUOTE_KINDS, NONE]
    if task == "figure":
        return [NONE, *FIGURE_QUALIFIERS, NOT_A_FIGURE]
    raise ValueError(f"unknown task {task!r}; tasks are {', '.join(TASKS)}")


def item_id(task: str, article_id: str, start: int, end: int) -> str:
    """The stable id of an item: task, article and span.

    >>> item_id("figure", "000_979139c0287720a2", 1751, 1759)
    'figure:000_979139c0287720a2:1751-1759'
    """
    return f"{task}:{article_id}:{int(start)}-{int(end)}"


# --------------------------------------------------------------------------- machine answers


class _Spans:
    """One article's rows of a table as arrays, for fast "which rows overlap this span"
    (a corpus-wide sample asks this for thousands of units)."""

    def __init__(self, columns: dict[str, np.ndarray]) -> None:
        self.columns = columns
        self.start = columns["start"].astype(float)
        self.end = columns["end"].astype(float)

    def column(self, name: str) -> np.ndarray:
        """A column as an array; all missing when the table has no such column."""
        if name not in self.columns:
            self.columns[name] = np.full(len(self.start), None, dtype=object)
        return self.columns[name]

    def overlapping(self, start: int, end: int) -> np.ndarray:
        return np.flatnonzero((self.start < end) & (self.end > start))


def _arrays(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    df = df[df["start"].notna() & df["end"].notna()].reset_index(drop=True)
    return df, {c: df[c].to_numpy(dtype=object) for c in df.columns}


def _spans(tables: Tables, name: str) -> dict[str, _Spans]:
    df = tables.get(name)
    if df is None or len(df) == 0:
        return {}
    df, arrays = _arrays(df)
    groups = df.groupby(df["article_id"].astype(str)).indices
    return {str(k): _Spans({c: a[idx] for c, a in arrays.items()}) for k, idx in groups.items()}


def _as_spans(df: pd.DataFrame | _Spans | None) -> _Spans | None:
    if df is None or isinstance(df, _Spans):
        return df
    if len(df) == 0:
        return None
    return _Spans(_arrays(df)[1])


def sentence_frame(
    frames: pd.DataFrame | None,
    start: int,
    end: int,
    min_weight: float = 1.0,
    order: Sequence[str] | None = None,
) -> str:
    """The machine's frame of a span: the frame with the largest summed cue weight among the
    cues inside it, if that weight reaches ``min_weight``; else ``none``. Ties go to the frame
    listed first in the codebook."""
    spans = _as_spans(frames)
    if spans is None:
        return NONE
    hit = spans.overlapping(start, end)
    if len(hit) == 0:
        return NONE
    rank = {f: i for i, f in enumerate(order or frame_names())}
    weights: dict[str, float] = {}
    for frame, weight in zip(spans.column("frame")[hit], spans.column("weight")[hit], strict=True):
        weights[str(frame)] = weights.get(str(frame), 0.0) + float(weight)
    best = min(weights, key=lambda f: (-round(weights[f], 9), rank.get(f, len(rank)), f))
    return best if weights[best] >= min_weight else NONE


def sentence_quote(quotes: pd.DataFrame | None, start: int, end: int) -> tuple[str, str]:
    """The machine's quote answer for a sentence: the kind of the quote in it (direct before
    partial before indirect when several) and that quote's speaker ("" when none)."""
    spans = _as_spans(quotes)
    if spans is None:
        return NONE, ""
    hit = spans.overlapping(start, end)
    if len(hit) == 0:
        return NONE, ""
    rank = {k: i for i, k in enumerate(QUOTE_KINDS)}
    kinds, starts = spans.column("kind"), spans.start
    best = min(hit, key=lambda k: (rank.get(kinds[k], 9), starts[k]))
    speaker = spans.column("speaker_actor_id")[best]
    if speaker is None or pd.isna(speaker) or not str(speaker):
        speaker = spans.column("speaker")[best]
    speaker = "" if speaker is None or pd.isna(speaker) else str(speaker)
    return str(kinds[best]), speaker


def figure_qualifier(figures: pd.DataFrame | None, start: int, end: int) -> str:
    """The machine's answer for a number: the qualifier of the reported figure overlapping the
    span (``none`` for a plain number), or ``not_a_figure`` when it found none there."""
    spans = _as_spans(figures)
    if spans is None:
        return NOT_A_FIGURE
    types = spans.column("value_type")
    hit = [k for k in spans.overlapping(start, end) if types[k] in FIGURE_TYPES]
    if not hit:
        return NOT_A_FIGURE
    qualifier = spans.column("qualifier")[hit[0]]
    return str(qualifier) if isinstance(qualifier, str) and qualifier else NONE


def machine_codes(items: pd.DataFrame, tables: Tables, *, min_weight: float = 1.0) -> pd.DataFrame:
    """The machine's answer (``code``, ``speaker``) to each item, from the current tables.

    Items of articles the tables do not have get no row.
    """
    known = set(tables["articles"]["article_id"].astype(str))
    frames, quotes = _spans(tables, "frames"), _spans(tables, "quotes")
    figures = _spans(tables, "figures")
    order = frame_names()
    rows = []
    for item in items.drop_duplicates("item_id").itertuples():
        article = str(item.article_id)
        if article not in known:
            continue
        start, end, speaker = int(item.start), int(item.end), ""
        if item.task == "frame":
            code = sentence_frame(frames.get(article), start, end, min_weight, order)
        elif item.task == "quote":
            code, speaker = sentence_quote(quotes.get(article), start, end)
        elif item.task == "figure":
            code = figure_qualifier(figures.get(article), start, end)
        else:
            continue
        rows.append(
            {
                "item_id": item.item_id,
                "task": item.task,
                "article_id": article,
                "coder": "machine",
                "code": code,
                "speaker": speaker,
            }
        )
    return pd.DataFrame(rows, columns=["item_id", "task", "article_id", "coder", "code", "speaker"])


# --------------------------------------------------------------------------- sampling


def _units(tables: Tables, parts: Sequence[str]) -> pd.DataFrame:
    sentences = tables["sentences"]
    sentences = sentences[sentences["part"].isin(parts)]
    return sentences[["article_id", "sentence_id", "start", "end"]].assign(
        article_id=sentences["article_id"].astype(str)
    )


def sample_items(
    tables: Tables,
    *,
    tasks: Iterable[str] = TASKS,
    per_stratum: int = 5,
    seed: int = 0,
    min_weight: float = 1.0,
    parts: Sequence[str] = PARTS,
) -> pd.DataFrame:
    """A stratified random sample of items to code: up to ``per_stratum`` items per task and
    machine answer, drawn with ``random.Random(seed)`` (the same tables and seed give the same
    sample).

    Columns: ``item_id, task, article_id, start, end, stratum`` (the machine's answer, used
    only for sampling; it does not go on the coding sheet).
    """
    rng = random.Random(seed)
    units = _units(tables, parts)
    candidates: list[pd.DataFrame] = []
    for task in tasks:
        if task in ("frame", "quote"):
            found = units[["article_id", "start", "end"]]
        elif task == "figure":
            figures = tables.get("figures")
            if figures is None or len(figures) == 0:
                continue
            found = figures.loc[
                figures["value_type"].isin(FIGURE_TYPES), ["article_id", "start", "end"]
            ]
        else:
            raise ValueError(f"unknown task {task!r}; tasks are {', '.join(TASKS)}")
        found = found.dropna().astype({"article_id": str, "start": int, "end": int})
        candidates.append(found.assign(task=task))
    rows: list[dict] = []
    if candidates:
        df = pd.concat(candidates, ignore_index=True)
        df["item_id"] = [
            item_id(t, a, s, e)
            for t, a, s, e in zip(df["task"], df["article_id"], df["start"], df["end"], strict=True)
        ]
        df = df.drop_duplicates("item_id")
        answers = machine_codes(df, tables, min_weight=min_weight).set_index("item_id")["code"]
        df["stratum"] = df["item_id"].map(answers).fillna(NONE)
        for task in [t for t in tasks if t in set(df["task"])]:
            sub = df[df["task"] == task]
            for stratum in sorted(sub["stratum"].unique()):
                pool = sorted(sub.loc[sub["stratum"] == stratum, "item_id"])
                chosen = set(rng.sample(pool, min(per_stratum, len(pool))))
                rows.extend(sub[sub["item_id"].isin(chosen)].to_dict("records"))
    out = pd.DataFrame(rows, columns=["item_id", "task", "article_id", "start", "end", "stratum"])
    # Shuffled within each task (seeded), so that coders do not meet the strata in blocks.
    order = {t: i for i, t in enumerate(TASKS)}
    out = out.sort_values("item_id").reset_index(drop=True)
    out["_shuffle"] = [rng.random() for _ in range(len(out))]
    out["_task"] = out["task"].map(order)
    return (
        out.sort_values(["_task", "_shuffle"])
        .drop(columns=["_task", "_shuffle"])
        .reset_index(drop=True)
    )


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The line-bounded stretch around a span, trimmed to its sentence where we can tell."""
    from presslab.text import sentence_spans

    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    for a, b in sentence_spans(text, line_start, line_end):
        if a <= start and end <= b:
            return a, b
    return line_start, line_end


def coding_sheet(items: pd.DataFrame, articles: dict[str, Article]) -> pd.DataFrame:
    """The coding sheet of ``items``: text, question, allowed answers and blank coder columns
    (``code``, ``speaker``, ``note``). Columns :data:`SHEET_COLUMNS`."""
    rows = []
    for item in items.itertuples():
        text = articles[str(item.article_id)].text
        start, end = int(item.start), int(item.end)
        if item.task == "figure":
            a, b = _sentence_around(text, start, end)
            context = f"{text[a:start]}[[{text[start:end]}]]{text[end:b]}"
            unit = text[start:end]
        else:
            context, unit = text[start:end], ""
        rows.append(
            {
                "item_id": item.item_id,
                "task": item.task,
                "article_id": str(item.article_id),
                "start": start,
                "end": end,
                "context": context,
                "item": unit,
                "question": QUESTIONS[item.task],
                "choices": " | ".join(choices(item.task)),
                "code": "",
                "speaker": "",
                "note": "",
            }
        )
    return pd.DataFrame(rows, columns=SHEET_COLUMNS)


def write_sheet(sheet: pd.DataFrame, path: str | Path) -> Path:
    """Save a coding sheet as CSV (UTF-8 with a byte-order mark, so spreadsheets show accents
    and curly quotes right)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return path


# --------------------------------------------------------------------------- reading back


def _normalise(code: object) -> str:
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return ""
    return re.sub(r"[\s\-]+", "_", str(code).strip().lower())


def read_sheets(paths: Iterable[str | Path]) -> pd.DataFrame:
    """Read coded sheets: one row per item and coder (``item_id, task, article_id, start,
    end, context, coder, code, speaker, note``). The coder is the sheet's ``coder`` column
    when filled, else the file name without ``.csv``. Items left blank are dropped."""
    frames = []
    for path in paths:
        path = Path(path)
        sheet = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        missing = [
            c
            for c in ("item_id", "task", "article_id", "start", "end", "code")
            if c not in sheet.columns
        ]
        if missing:
            raise ValueError(
                f"{path}: not a coding sheet (lacks {', '.join(missing)}); export "
                "one with presslab.validation.write_sheet"
            )
        coder = sheet["coder"] if "coder" in sheet else pd.Series([""] * len(sheet))
        sheet = sheet.assign(coder=coder.where(coder.str.strip() != "", path.stem).str.strip())
        for column in ("speaker", "note", "context"):
            if column not in sheet:
                sheet[column] = ""
        frames.append(sheet)
    if not frames:
        return pd.DataFrame(columns=CODED_COLUMNS)
    coded = pd.concat(frames, ignore_index=True)
    coded["code"] = coded["code"].map(_normalise)
    coded = coded[coded["code"] != ""]
    coded = coded.astype({"start": int, "end": int})
    return coded[CODED_COLUMNS].reset_index(drop=True)


def invalid_codes(coded: pd.DataFrame) -> pd.DataFrame:
    """The coded rows whose answer is not one of the task's choices (to fix before scoring)."""
    allowed = {t: set(choices(t)) for t in TASKS}
    bad = [
        not (t in allowed and c in allowed[t])
        for t, c in zip(coded["task"], coded["code"], strict=True)
    ]
    return coded[bad].reset_index(drop=True)


# --------------------------------------------------------------------------- scoring


def _tokens(name: str) -> set[str]:
    return {
        t for t in re.split(r"[^a-z0-9]+", name.lower().replace("’", "'").replace("'s", "")) if t
    }


def same_speaker(a: str, b: str) -> bool:
    """Two ways of naming a speaker name the same one: equal, or one's words are all among the
    other's ("Gallant" and "yoav-gallant").

    >>> same_speaker("Gallant", "yoav-gallant"), same_speaker("Benny Gantz", "Gallant")
    (True, False)
    """
    ta, tb = _tokens(a), _tokens(b)
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def _long(coded: pd.DataFrame, machine: pd.DataFrame) -> pd.DataFrame:
    """Coders' and machine's answers, one row per item and coder, for the coded items only."""
    humans = coded[["item_id", "task", "article_id", "coder", "code", "speaker"]]
    machine = machine[machine["item_id"].isin(set(humans["item_id"]))]
    both = pd.concat([humans, machine], ignore_index=True)
    both["speaker"] = both["speaker"].fillna("").astype(str)
    return both


def speaker_answers(coded: pd.DataFrame, machine: pd.DataFrame) -> pd.DataFrame:
    """The ``speaker`` task: for quote items that someone (coder or machine) says quote
    somebody, each one's speaker, unified per item so that "Gallant" and "Yoav Gallant" count
    as the same answer (no speaker: ``none``)."""
    both = _long(coded, machine)
    both = both[both["task"] == "quote"]
    quoted = set(both.loc[both["code"] != NONE, "item_id"])
    rows = []
    for item, group in both[both["item_id"].isin(quoted)].groupby("item_id", sort=True):
        canon: list[str] = []
        # The machine first, so that coders' names map onto its actor id where they agree;
        # then longer names first, so that a surname joins its full name.
        ordered = sorted(group.itertuples(), key=lambda r: (r.coder != "machine", -len(r.speaker)))
        for row in ordered:
            name = row.speaker.strip() if row.code != NONE else ""
            if not name:
                value = NONE
            else:
                value = next((c for c in canon if same_speaker(c, name)), name)
                if value == name:
                    canon.append(name)
            rows.append(
                {
                    "item_id": item,
                    "task": "speaker",
                    "article_id": row.article_id,
                    "coder": row.coder,
                    "code": _normalise(value),
                    "speaker": "",
                }
            )
    return pd.DataFrame(rows, columns=["item_id", "task", "article_id", "coder", "code", "speaker"])


def answers(coded: pd.DataFrame, machine: pd.DataFrame) -> pd.DataFrame:
    """Every answer, one row per item and coder (the machine as coder ``machine``), with the
    derived ``speaker`` task added."""
    both = _long(coded, machine)
    return pd.concat([both, speaker_answers(coded, machine)], ignore_index=True)


def precision_recall(coded: pd.DataFrame, machine: pd.DataFrame) -> pd.DataFrame:
    """The machine against each coder, per task and category.

    For a category c: precision = items both call c / items the machine calls c; recall =
    items both call c / items the coder calls c (over the items that coder coded). Category
    ``(all)`` gives accuracy: the share of items where the machine gives the coder's answer.
    The absence answers (``none``, ``not_a_figure``) get no precision/recall row of their own.
    """
    columns = [
        "task",
        "category",
        "coder",
        "items",
        "machine_n",
        "coder_n",
        "both",
        "precision",
        "recall",
        "f1",
    ]
    long = answers(coded, machine)
    if len(long) == 0:
        return pd.DataFrame(columns=columns)
    wide = long.pivot_table(
        index=["task", "item_id"], columns="coder", values="code", aggfunc="first"
    )
    if "machine" not in wide:
        return pd.DataFrame(columns=columns)
    rows = []
    coders = sorted(c for c in wide.columns if c != "machine")
    for task in [t for t in (*TASKS, "speaker") if t in wide.index.get_level_values(0)]:
        sub = wide.loc[task]
        for coder in coders:
            pair = sub[["machine", coder]].dropna()
            if len(pair) == 0:
                continue
            agree = int((pair["machine"] == pair[coder]).sum())
            rows.append(
                {
                    "task": task,
                    "category": "(all)",
                    "coder": coder,
                    "items": len(pair),
                    "machine_n": len(pair),
                    "coder_n": len(pair),
                    "both": agree,
                    "precision": agree / len(pair),
                    "recall": agree / len(pair),
                    "f1": agree / len(pair),
                }
            )
            if task == "speaker":
                continue
            categories = sorted((set(pair["machine"]) | set(pair[coder])) - {NONE, NOT_A_FIGURE})
            for category in categories:
                m, h = pair["machine"] == category, pair[coder] == category
                both = int((m & h).sum())
                p = both / int(m.sum()) if m.sum() else float("nan")
                r = both / int(h.sum()) if h.sum() else float("nan")
                f1 = 2 * p * r / (p + r) if p == p and r == r and p + r else float("nan")
                rows.append(
                    {
                        "task": task,
                        "category": category,
                        "coder": coder,
                        "items": len(pair),
                        "machine_n": int(m.sum()),
                        "coder_n": int(h.sum()),
                        "both": both,
                        "precision": p,
                        "recall": r,
                        "f1": f1,
                    }
                )
    return pd.DataFrame(rows, columns=columns)


def krippendorff_alpha(matrix: pd.DataFrame) -> float:
    """Krippendorff's alpha (nominal) of a coders × items table of answers (missing: NaN).

    NaN when it is undefined: fewer than two coders or pairable items, or a single answer
    throughout (no variation to agree on).
    """
    import krippendorff

    values = sorted({v for v in matrix.to_numpy().ravel() if isinstance(v, str)})
    if len(matrix) < 2 or len(values) < 2:
        return float("nan")
    codes = {v: i for i, v in enumerate(values)}
    data = np.array(
        [[codes[v] if isinstance(v, str) else np.nan for v in row] for row in matrix.to_numpy()],
        dtype=float,
    )
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    if pairable.sum() < 1:
        return float("nan")
    try:
        return float(
            krippendorff.alpha(reliability_data=data[:, pairable], level_of_measurement="nominal")
        )
    except (ValueError, ZeroDivisionError):
        return float("nan")


def agreement(coded: pd.DataFrame, machine: pd.DataFrame) -> pd.DataFrame:
    """Krippendorff's alpha per task: between the coders, between coders and machine, and
    each coder against the machine. Columns ``task, between, alpha, items, coders``."""
    long = answers(coded, machine)
    rows = []
    for task in [t for t in (*TASKS, "speaker") if len(long) and t in set(long["task"])]:
        wide = long[long["task"] == task].pivot_table(
            index="coder", columns="item_id", values="code", aggfunc="first"
        )
        humans = [c for c in wide.index if c != "machine"]
        groups = []
        if len(humans) >= 2:
            groups.append(("coders", humans))
        if "machine" in wide.index and humans:
            if len(humans) >= 2:
                groups.append(("coders and machine", [*humans, "machine"]))
            groups.extend((f"{h} and machine", [h, "machine"]) for h in humans)
        for name, who in groups:
            sub = wide.loc[who].dropna(axis=1, thresh=2)
            rows.append(
                {
                    "task": task,
                    "between": name,
                    "alpha": krippendorff_alpha(sub),
                    "items": sub.shape[1],
                    "coders": len(who),
                }
            )
    return pd.DataFrame(rows, columns=["task", "between", "alpha", "items", "coders"])


def disagreements(coded: pd.DataFrame, machine: pd.DataFrame) -> pd.DataFrame:
    """The items where the coders and the machine do not all give the same answer, with the
    text coded (the sentence; for figures the number in [[ ]]) and every answer side by side."""
    long = answers(coded, machine)
    if len(long) == 0:
        return pd.DataFrame(columns=["task", "item_id", "text", "machine", "notes"])
    wide = long.pivot_table(
        index=["task", "item_id"], columns="coder", values="code", aggfunc="first"
    ).reset_index()
    who = [c for c in wide.columns if c not in ("task", "item_id")]
    who = ["machine", *sorted(c for c in who if c != "machine")] if "machine" in who else who
    differs = wide[who].apply(lambda r: r.dropna().nunique() > 1, axis=1)
    wide = wide[differs]
    context = coded.drop_duplicates("item_id").set_index("item_id")["context"]
    notes = (
        coded[coded["note"].fillna("").astype(str).str.strip() != ""]
        .groupby("item_id")["note"]
        .agg(lambda s: " | ".join(s))
    )
    base = wide["item_id"]
    out = pd.DataFrame(
        {"task": wide["task"], "item_id": base, "text": [context.get(i, "") for i in base]}
    )
    for column in who:
        out[column] = wide[column].fillna("")
    out["notes"] = [notes.get(i, "") for i in base]
    order = {t: i for i, t in enumerate((*TASKS, "speaker"))}
    return (
        out.assign(_t=out["task"].map(order))
        .sort_values(["_t", "item_id"])
        .drop(columns="_t")
        .reset_index(drop=True)
    )


# --------------------------------------------------------------------------- sheets and plots


def example_sheets() -> list[Path]:
    """The coded sheets shipped for the seed article (two coders)."""
    folder = Path(__file__).parent / "data" / "validation"
    return sorted(folder.glob("*.csv"))


def sheet_paths(sheets: str) -> list[Path]:
    """The coded sheets named in ``sheets``: comma-separated CSV files or folders (every CSV
    in them); empty: :func:`example_sheets`."""
    if not sheets.strip():
        return example_sheets()
    from presslab.notebook import resolve

    out: list[Path] = []
    for part in (p.strip() for p in sheets.split(",") if p.strip()):
        path = resolve(part)
        if path.is_dir():
            out.extend(sorted(path.glob("*.csv")))
        elif path.is_file():
            out.append(path)
        else:
            raise FileNotFoundError(f"{part}: no such coded sheet or folder")
    return out


def coverage(coded: pd.DataFrame, machine: pd.DataFrame) -> pd.DataFrame:
    """Per task: items coded, coders, and items the machine could answer (those of articles in
    these tables), with a message when some are left out."""
    rows = []
    answered = set(machine["item_id"])
    for task in [t for t in TASKS if t in set(coded["task"])]:
        sub = coded[coded["task"] == task]
        items = set(sub["item_id"])
        rows.append(
            {
                "task": task,
                "coded_items": len(items),
                "coders": sub["coder"].nunique(),
                "scored_items": len(items & answered),
                "left_out": len(items - answered),
            }
        )
    return pd.DataFrame(rows, columns=["task", "coded_items", "coders", "scored_items", "left_out"])


def scored(coded: pd.DataFrame, machine: pd.DataFrame) -> pd.DataFrame:
    """The coded rows the machine could answer (items of articles in its tables)."""
    return coded[coded["item_id"].isin(set(machine["item_id"]))].reset_index(drop=True)


def plot_precision_recall(pr: pd.DataFrame, ax) -> None:
    """Precision and recall per task and category, averaged over coders, as horizontal bars."""
    ax.set(
        title="The machine against the human coders (mean over coders)",
        xlabel="share (precision: of the machine's answers; recall: of the coders')",
        ylabel="task: category",
    )
    data = pr[pr["category"] != "(all)"] if len(pr) else pr
    if len(data) == 0:
        ax.text(
            0.5, 0.5, "no coded item to score", ha="center", va="center", transform=ax.transAxes
        )
        return
    mean = data.groupby(["task", "category"], sort=False)[["precision", "recall"]].mean()
    # One pair of bars per category: the figure grows with them (readable at any count).
    ax.figure.set_size_inches(8, 1.5 + 0.45 * len(mean))
    labels = [f"{t}: {c}" for t, c in mean.index]
    y = np.arange(len(mean))
    ax.barh(y - 0.2, mean["precision"].fillna(0), height=0.4, color="#3b6ea8", label="precision")
    ax.barh(y + 0.2, mean["recall"].fillna(0), height=0.4, color="#d4a000", label="recall")
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.legend(fontsize=8, loc="lower right")


def plot_agreement(alpha: pd.DataFrame, ax) -> None:
    """Krippendorff's alpha per task and pair of coders, as grouped bars (0.667 and 0.8, the
    usual thresholds for tentative and firm conclusions, are drawn)."""
    ax.set(
        title="Agreement (Krippendorff's alpha, nominal)",
        xlabel="task",
        ylabel="alpha (1 = perfect, 0 = chance)",
    )
    if len(alpha) == 0:
        ax.text(
            0.5,
            0.5,
            "fewer than two coders: no agreement to measure",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        return
    tasks = list(dict.fromkeys(alpha["task"]))
    groups = list(dict.fromkeys(alpha["between"]))
    width = 0.8 / len(groups)
    for k, group in enumerate(groups):
        sub = alpha[alpha["between"] == group].set_index("task")
        values = [float(sub["alpha"].get(t, np.nan)) for t in tasks]
        ax.bar(
            np.arange(len(tasks)) + k * width - 0.4 + width / 2,
            [0 if v != v else v for v in values],
            width=width,
            label=group,
        )
    for level in (0.667, 0.8):
        ax.axhline(level, color="#999", linestyle="--", linewidth=0.8)
    ax.set_xticks(range(len(tasks)), tasks)
    ax.set_ylim(min(-0.2, float(alpha["alpha"].min(skipna=True) or 0) - 0.05), 1.05)
    ax.legend(
        fontsize=7, title="between", title_fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1)
    )
