"""From a corpus to tables: per-article analysis (in parallel) and corpus-level tables.

:func:`analyze_article` runs every extractor on one article; :func:`analyze_corpus` loads a
corpus, analyses its articles over ``jobs`` processes (or a Dask cluster), computes the
corpus-level tables and writes them all as CSV with :func:`write_tables`: rows sorted, floats
rounded, each file written atomically, so that two runs give byte-identical files.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from presslab.corpus import Article, LoadError, load_corpus
from presslab.errors import RunError
from presslab.schemas import ARTICLE_TABLES, FLOAT_DIGITS, SCHEMAS, SORT_KEYS
from presslab.text import Doc, segment

Tables = dict[str, pd.DataFrame]


def empty(table: str) -> pd.DataFrame:
    """An empty table with its schema's columns."""
    return pd.DataFrame(columns=SCHEMAS[table])


def _conform(df: pd.DataFrame | None, table: str) -> pd.DataFrame:
    """Put a table's columns in schema order (missing ones empty, extra ones dropped)."""
    if df is None or len(df) == 0:
        return empty(table)
    return df.reindex(columns=SCHEMAS[table])


# --------------------------------------------------------------------------- per article


def article_row(article: Article, doc: Doc) -> dict:
    """The ``articles`` table row of one article."""
    text = article.text
    body = article.layout.get("body")
    n_words = sum(
        1 for s in doc.sentences if s.part == "body" for a, b in s.tokens if text[a:b][0].isalnum()
    ) if body else 0
    row = {
        "article_id": article.article_id, "path": article.path, "sha256": article.sha256,
        "encoding": article.encoding, "headline": article.headline, "byline": article.byline,
        "date": article.date, "outlet": article.outlet, "url": article.url, "n_words": n_words,
        "n_sentences": len(doc.sentences), "n_chars": len(text),
    }
    for part in ("headline", "caption", "credit", "dek", "byline", "dateline", "body",
                 "boilerplate"):
        span = article.layout.get(part)
        row[f"{part}_start"], row[f"{part}_end"] = span if span else (None, None)
    return row


def sentences_table(article: Article, doc: Doc) -> pd.DataFrame:
    """The ``sentences`` table of one article."""
    return pd.DataFrame(
        [(article.article_id, s.sentence_id, s.start, s.end, s.paragraph, s.part, len(s.tokens))
         for s in doc.sentences],
        columns=SCHEMAS["sentences"],
    )


@dataclass
class ArticleResult:
    """What the analysis of one article produced: its tables, and any extractor failures."""

    article_id: str
    row: dict
    tables: Tables
    failures: list[tuple[str, str]] = field(default_factory=list)


def _extractor(module: str, name: str) -> Callable | None:
    """An extractor function, or None while its module does not provide it yet."""
    import importlib

    try:
        return getattr(importlib.import_module(f"presslab.{module}"), name, None)
    except ModuleNotFoundError as exc:
        if exc.name != f"presslab.{module}":
            raise
        return None


def _stages() -> list[tuple[str, str, Callable[[Article, Doc, Tables], pd.DataFrame]]]:
    """The extractors in pipeline order: (stage, table, function(article, doc, tables))."""
    spec = [
        ("actors", "mentions", "actors", "extract_mentions", lambda f, a, d, t: f(a, d)),
        ("quotes", "quotes", "quotes", "extract_quotes",
         lambda f, a, d, t: f(a, d, t["mentions"])),
        ("figures", "figures", "figures", "extract_figures",
         lambda f, a, d, t: f(a, d, t["quotes"])),
        ("framing", "frames", "framing", "extract_frames", lambda f, a, d, t: f(a, d)),
        ("framing", "tone", "framing", "extract_tone",
         lambda f, a, d, t: f(a, d, t["mentions"], t["quotes"])),
        ("framing", "labels", "framing", "extract_labels",
         lambda f, a, d, t: f(a, d, t["mentions"])),
        ("framing", "evaluative", "framing", "extract_evaluative", lambda f, a, d, t: f(a, d)),
        ("framing", "agency", "framing", "extract_agency",
         lambda f, a, d, t: f(a, d, t["mentions"])),
    ]
    stages = []
    for stage, table, module, name, call in spec:
        function = _extractor(module, name)
        if function is None:
            stages.append((stage, table, lambda a, d, t, _table=table: empty(_table)))
        else:
            stages.append((stage, table, lambda a, d, t, _f=function, _c=call: _c(_f, a, d, t)))
    return stages


def analyze_article(article: Article, timings: dict[str, float] | None = None) -> ArticleResult:
    """Run every extractor on one article.

    An extractor that fails on this article costs only its own table for this article: the
    failure is reported (and lands in ``errors.csv``), the other tables are still produced.
    """
    import time

    clock = time.perf_counter()
    doc = segment(article)
    if timings is not None:
        timings["tokenise"] = timings.get("tokenise", 0.0) + time.perf_counter() - clock
    tables: Tables = {"sentences": sentences_table(article, doc)}
    failures: list[tuple[str, str]] = []
    for stage, table, run in _stages():
        clock = time.perf_counter()
        try:
            tables[table] = _conform(run(article, doc, tables), table)
        except Exception as exc:
            failures.append((stage, f"{type(exc).__name__}: {exc}"))
            tables[table] = empty(table)
        if timings is not None:
            timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - clock
    return ArticleResult(article.article_id, article_row(article, doc), tables, failures)


# --------------------------------------------------------------------------- corpus


def _analyze_item(item: Article | LoadError) -> ArticleResult | LoadError:
    if isinstance(item, LoadError):
        return item
    try:
        return analyze_article(item)
    except Exception as exc:
        return LoadError(item.path or item.article_id, f"analysis failed: {type(exc).__name__}: "
                                                       f"{exc}")


def _map_local(items: Iterable[Article | LoadError], jobs: int) -> Iterator:
    if jobs <= 1:
        yield from map(_analyze_item, items)
        return
    import multiprocessing as mp

    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    with mp.get_context(method).Pool(jobs) as pool:
        yield from pool.imap(_analyze_item, items, chunksize=8)


def _map_dask(items: Iterable[Article | LoadError], scheduler: str | None, jobs: int
              ) -> Iterator:
    from presslab.engine_dask import map_articles

    yield from map_articles(_analyze_item, items, scheduler=scheduler, jobs=jobs)


def collect(
    source: str | Path,
    *,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool = False,
    report_error: Callable[[LoadError], None] | None = None,
) -> Tables:
    """Analyse a corpus and return every table (nothing is written)."""
    items = load_corpus(source)
    if engine == "dask":
        results = _map_dask(items, scheduler, jobs)
    elif engine == "local":
        results = _map_local(items, jobs)
    else:
        raise ValueError(f"unknown engine {engine!r} (local or dask)")
    if progress:
        from tqdm import tqdm

        results = tqdm(results, desc="analysing", unit="article", file=sys.stderr,
                       disable=None)
    rows: list[dict] = []
    errors: list[dict] = []
    parts: dict[str, list[pd.DataFrame]] = {t: [] for t in ARTICLE_TABLES}
    for result in results:
        if isinstance(result, LoadError):
            errors.append({"file": result.file, "reason": result.reason})
            if report_error:
                report_error(result)
            continue
        rows.append(result.row)
        for table in ARTICLE_TABLES:
            df = result.tables.get(table)
            if df is not None and len(df):
                parts[table].append(df)
        for stage, reason in result.failures:
            error = LoadError(result.row["path"] or result.article_id,
                              f"{stage} extractor failed: {reason}")
            errors.append({"file": error.file, "reason": error.reason})
            if report_error:
                report_error(error)
    tables: Tables = {
        table: (pd.concat(frames, ignore_index=True) if frames else empty(table))
        for table, frames in parts.items()
    }
    tables["articles"] = pd.DataFrame(rows, columns=SCHEMAS["articles"])
    tables["errors"] = pd.DataFrame(errors, columns=SCHEMAS["errors"])
    tables.update(corpus_tables(tables))
    return tables


def corpus_tables(tables: Tables) -> Tables:
    """The corpus-level tables, computed from the concatenated per-article ones."""
    articles = tables["articles"]
    spec = {
        "actors": ("actors", "canonical_actors", "mentions"),
        "article_frames": ("framing", "score_article_frames", "frames"),
        "figure_comparison": ("figures", "compare_figures", "figures"),
    }
    out: Tables = {}
    for table, (module, name, source) in spec.items():
        function = _extractor(module, name)
        out[table] = empty(table) if function is None else _conform(
            function(tables[source], articles), table)
    return out


# --------------------------------------------------------------------------- writing


def tidy(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """A table in its canonical form: schema columns, sorted rows, rounded floats."""
    df = _conform(df, table).copy()
    for column in df.columns:
        if pd.api.types.is_float_dtype(df[column]):
            values = df[column].round(FLOAT_DIGITS)
            # Offsets and counts stored as floats (because of gaps) go back to integers.
            if column.endswith(("start", "end")) or column.startswith("n_"):
                df[column] = values.astype("Int64")
            else:
                df[column] = values
    keys = [k for k in SORT_KEYS.get(table, []) if k in df.columns]
    if keys and len(df):
        df = df.sort_values(keys, kind="mergesort", na_position="first").reset_index(drop=True)
    return df


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write a CSV atomically: a reader never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            df.to_csv(handle, index=False, lineterminator="\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_tables(tables: Tables, out_dir: str | Path) -> list[Path]:
    """Write every table of :data:`SCHEMAS` to ``out_dir/<table>.csv`` in canonical form."""
    out_dir = Path(out_dir)
    written = []
    for table in SCHEMAS:
        path = out_dir / f"{table}.csv"
        write_csv(tidy(tables.get(table), table), path)
        written.append(path)
    return written


#: Columns read back as strings whatever they hold: ids, and text taken from articles (a
#: surface "2024" or "1,000" stays the string the article has, not a number).
TEXT_COLUMNS = frozenset({
    "article_id", "actor_id", "speaker_actor_id", "agent_actor_id", "patient_actor_id", "file",
    "reason", "date", "path", "window", "sha256", "encoding", "headline", "byline", "outlet",
    "url", "surface", "text", "speaker", "cue", "counted", "counted_lemma", "label", "word",
    "verb", "verb_lemma", "agent", "patient", "name", "role", "affiliation", "claimed_by",
    "qualifier", "unit", "target",
})


def read_tables(tables_dir: str | Path) -> Tables:
    """Read the tables written by :func:`write_tables` (article ids stay strings)."""
    tables_dir = Path(tables_dir)
    out: Tables = {}
    for table, columns in SCHEMAS.items():
        path = tables_dir / f"{table}.csv"
        if not path.exists():
            out[table] = empty(table)
            continue
        dtypes = {c: "string" for c in columns if c in TEXT_COLUMNS}
        # Only an empty cell is missing: "NA", "None" or "null" are words an article can
        # contain (pandas would read them as missing by default).
        out[table] = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
    return out


def analyze_corpus(
    source: str | Path,
    out_dir: str | Path,
    *,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool = False,
    report_error: Callable[[LoadError], None] | None = None,
) -> Tables:
    """Analyse a corpus and write its tables as CSV into ``out_dir`` (the API of
    ``presslab analyze``). Returns the tables as written."""
    out_dir = Path(out_dir)
    try:  # fail before hours of analysis, not after
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunError(f"{out_dir}: cannot create the output folder ({exc.strerror})") from None
    tables = collect(source, jobs=jobs, engine=engine, scheduler=scheduler, progress=progress,
                     report_error=report_error)
    write_tables(tables, out_dir)
    return {t: tidy(tables.get(t), t) for t in SCHEMAS}
