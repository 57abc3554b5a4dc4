"""From a corpus to tables: per-article analysis (in parallel) and corpus-level tables.

:func:`analyze_article` runs every extractor on one article; :func:`analyze_corpus` loads a
corpus, analyses its articles over ``jobs`` processes (or a Dask cluster), computes the
corpus-level tables and writes them all as CSV with :func:`write_tables`: rows sorted, floats
rounded, each file written atomically, so that two runs give byte-identical files.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from presslab.corpus import LAYOUT_PARTS, Article, LoadError, load_corpus
from presslab.errors import RunError
from presslab.schemas import ARTICLE_TABLES, FLOAT_DIGITS, SCHEMAS, SORT_KEYS
from presslab.text import Doc, segment

Tables = dict[str, pd.DataFrame]


_EMPTY: dict[str, pd.DataFrame] = {}


def empty(table: str) -> pd.DataFrame:
    """An empty table with its schema's columns."""
    # Building a DataFrame costs ~100 µs, copying one ~5 µs; most articles leave several
    # tables empty, so this is worth it at corpus scale.
    if table not in _EMPTY:
        _EMPTY[table] = pd.DataFrame(columns=SCHEMAS[table])
    return _EMPTY[table].copy()


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
    n_words = (
        sum(
            1
            for s in doc.sentences
            if s.part == "body"
            for a, b in s.tokens
            if text[a:b][0].isalnum()
        )
        if body
        else 0
    )
    row = {
        "article_id": article.article_id,
        "path": article.path,
        "sha256": article.sha256,
        "encoding": article.encoding,
        "headline": article.headline,
        "byline": article.byline,
        "date": article.date,
        "outlet": article.outlet,
        "url": article.url,
        "n_words": n_words,
        "n_sentences": len(doc.sentences),
        "n_chars": len(text),
    }
    for part in LAYOUT_PARTS:
        span = article.layout.get(part)
        row[f"{part}_start"], row[f"{part}_end"] = span if span else (None, None)
    return row


def sentences_table(article: Article, doc: Doc) -> pd.DataFrame:
    """The ``sentences`` table of one article."""
    return pd.DataFrame(
        [
            (article.article_id, s.sentence_id, s.start, s.end, s.paragraph, s.part, len(s.tokens))
            for s in doc.sentences
        ],
        columns=SCHEMAS["sentences"],
    )


@dataclass
class ArticleResult:
    """What the analysis of one article produced: its tables, and any extractor failures."""

    article_id: str
    row: dict
    tables: Tables
    failures: list[tuple[str, str]] = field(default_factory=list)


def _stages() -> list[tuple[str, str, Callable[[Article, Doc, Tables], pd.DataFrame]]]:
    """The extractors in pipeline order: (stage, table, function(article, doc, tables)).

    Later stages read earlier tables: quotes need the mentions (speakers), figures the quotes
    (who claims a number), tone and agency the mentions (which actor a sentence is about).
    """
    from presslab import actors, figures, framing, quotes

    return [
        ("actors", "mentions", lambda a, d, t: actors.extract_mentions(a, d)),
        ("quotes", "quotes", lambda a, d, t: quotes.extract_quotes(a, d, t["mentions"])),
        ("figures", "figures", lambda a, d, t: figures.extract_figures(a, d, t["quotes"])),
        ("framing", "frames", lambda a, d, t: framing.extract_frames(a, d)),
        ("framing", "tone", lambda a, d, t: framing.extract_tone(a, d, t["mentions"], t["quotes"])),
        ("framing", "labels", lambda a, d, t: framing.extract_labels(a, d, t["mentions"])),
        ("framing", "evaluative", lambda a, d, t: framing.extract_evaluative(a, d)),
        ("framing", "agency", lambda a, d, t: framing.extract_agency(a, d, t["mentions"])),
    ]


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
        return LoadError(
            item.path or item.article_id, f"analysis failed: {type(exc).__name__}: {exc}"
        )


#: Articles sent to a worker process at once, and articles in flight per worker: enough to
#: keep every worker busy, few enough that memory does not grow with the corpus (Pool.imap
#: would read the whole corpus into its task queue ahead of the workers).
CHUNK = 8
WINDOW_PER_JOB = 64


def warm_up() -> None:
    """Load every extractor's models and codebooks once, in this process.

    Before forking workers, so that they share the loaded models (copy-on-write) instead of
    each loading them again.
    """
    from presslab.corpus import article_from_text

    analyze_article(
        article_from_text(
            "Minister says 1,200 homes at risk\n\n"
            "“We will act,” Environment Minister Jane Cole said on Monday, as about 300 people "
            "were moved from the flooded town.\n",
            "warm-up",
        )
    )


def _map_local(items: Iterable[Article | LoadError], jobs: int) -> Iterator:
    if jobs <= 1:
        yield from map(_analyze_item, items)
        return
    import multiprocessing as mp
    from collections import deque
    from itertools import chain, islice

    iterator = iter(items)
    window = jobs * WINDOW_PER_JOB
    first = list(islice(iterator, window))
    if len(first) <= CHUNK:
        # A corpus smaller than one chunk gains nothing from worker processes: starting them
        # (and loading the models in each) costs more than the analysis.
        yield from map(_analyze_item, first)
        return
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    if method == "fork":
        warm_up()
    iterator = chain(first, iterator)
    with mp.get_context(method).Pool(jobs) as pool:
        # Two windows in flight: the workers go on with the next while this one is consumed.
        pending: deque = deque()
        while True:
            batch = list(islice(iterator, window))
            if batch:
                pending.append(pool.map_async(_analyze_item, batch, chunksize=CHUNK))
            if not pending:
                return
            if len(pending) == 2 or not batch:
                yield from pending.popleft().get()


def _map_dask(items: Iterable[Article | LoadError], scheduler: str | None, jobs: int) -> Iterator:
    from presslab.engine_dask import map_articles

    yield from map_articles(_analyze_item, items, scheduler=scheduler, jobs=jobs)


def _results(
    source: str | Path, jobs: int, engine: str, scheduler: str | None, progress: bool
) -> Iterator[ArticleResult | LoadError]:
    items = load_corpus(source)
    if engine == "dask":
        results = _map_dask(items, scheduler, jobs)
    elif engine == "local":
        results = _map_local(items, jobs)
    else:
        raise ValueError(f"unknown engine {engine!r} (local or dask)")
    if progress:
        from tqdm import tqdm

        results = tqdm(results, desc="analysing", unit="article", file=sys.stderr, disable=None)
    return results


class _Gathered:
    """The per-article tables of a corpus as they arrive, merged in corpus order.

    One-article frames are merged every :data:`MERGE_EVERY` articles (thousands of small
    frames cost far more memory than one frame of their rows). With ``spill`` (a folder), each
    merged frame goes to disk at once, so that a corpus of any size is held in memory only a
    table at a time, when it is written. Either way the concatenation is the same, so the
    tables do not depend on the engine, the number of jobs or spilling.
    """

    def __init__(self, spill: Path | None = None) -> None:
        self.spill = spill
        self.rows: list[dict] = []
        self.errors: list[dict] = []
        self.parts: dict[str, list[pd.DataFrame | Path]] = {t: [] for t in ARTICLE_TABLES}
        self.recent: dict[str, list[pd.DataFrame]] = {t: [] for t in ARTICLE_TABLES}

    def error(self, error: LoadError, report: Callable[[LoadError], None] | None) -> None:
        self.errors.append({"file": error.file, "reason": error.reason})
        if report:
            report(error)

    def add(
        self, result: ArticleResult | LoadError, report: Callable[[LoadError], None] | None
    ) -> None:
        if isinstance(result, LoadError):
            self.error(result, report)
            return
        self.rows.append(result.row)
        for table in ARTICLE_TABLES:
            df = result.tables.get(table)
            if df is not None and len(df):
                self.recent[table].append(df)
                if len(self.recent[table]) >= MERGE_EVERY:
                    self._merge(table)
        for stage, reason in result.failures:
            where = result.row["path"] or result.article_id
            self.error(LoadError(where, f"{stage} extractor failed: {reason}"), report)

    def _merge(self, table: str) -> None:
        if not self.recent[table]:
            return
        merged = pd.concat(self.recent[table], ignore_index=True)
        self.recent[table] = []
        if self.spill is None:
            self.parts[table].append(merged)
            return
        path = self.spill / f"{table}-{len(self.parts[table]):06d}.pkl"
        merged.to_pickle(path)
        self.parts[table].append(path)

    def finish(self) -> None:
        for table in ARTICLE_TABLES:
            self._merge(table)

    def table(self, table: str) -> pd.DataFrame:
        """One per-article table, whole (read back from disk when spilled)."""
        if table == "articles":
            return pd.DataFrame(self.rows, columns=SCHEMAS["articles"])
        frames = [pd.read_pickle(p) if isinstance(p, Path) else p for p in self.parts[table]]
        return pd.concat(frames, ignore_index=True) if frames else empty(table)


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
    gathered = _Gathered()
    for result in _results(source, jobs, engine, scheduler, progress):
        gathered.add(result, report_error)
    gathered.finish()
    tables: Tables = {table: gathered.table(table) for table in ARTICLE_TABLES}
    tables["articles"] = gathered.table("articles")
    failures: list[tuple[str, str]] = []
    tables.update(corpus_tables(tables, failures))
    for table, reason in failures:
        gathered.error(LoadError(str(source), f"{table} table failed: {reason}"), report_error)
    tables["errors"] = pd.DataFrame(gathered.errors, columns=SCHEMAS["errors"])
    return tables


#: One-article frames merged into one frame every this many articles (see ``collect``).
MERGE_EVERY = 256


#: corpus-level table -> (module, function, the per-article table it is computed from)
CORPUS_SPEC = {
    "actors": ("actors", "canonical_actors", "mentions"),
    "article_frames": ("framing", "score_article_frames", "frames"),
    "figure_comparison": ("figures", "compare_figures", "figures"),
}


def corpus_tables(
    tables: Tables, failures: list[tuple[str, str]] | None = None, only: str | None = None
) -> Tables:
    """The corpus-level tables, computed from the concatenated per-article ones.

    A corpus-level function that fails leaves its table empty; with ``failures`` given, the
    failure is recorded there as ``(table, reason)`` instead of raised.
    """
    articles = tables["articles"]
    out: Tables = {}
    for table, (module, name, source) in CORPUS_SPEC.items():
        if only is not None and table != only:
            continue
        function = getattr(importlib.import_module(f"presslab.{module}"), name)
        try:
            out[table] = _conform(function(tables[source], articles), table)
        except Exception as exc:
            if failures is None:
                raise
            failures.append((table, f"{type(exc).__name__}: {exc}"))
            out[table] = empty(table)
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
TEXT_COLUMNS = frozenset(
    {
        "article_id",
        "actor_id",
        "speaker_actor_id",
        "agent_actor_id",
        "patient_actor_id",
        "file",
        "reason",
        "date",
        "path",
        "window",
        "sha256",
        "encoding",
        "headline",
        "byline",
        "outlet",
        "url",
        "surface",
        "text",
        "speaker",
        "cue",
        "counted",
        "counted_lemma",
        "label",
        "word",
        "verb",
        "verb_lemma",
        "agent",
        "patient",
        "name",
        "role",
        "affiliation",
        "claimed_by",
        "qualifier",
        "unit",
        "target",
    }
)


def read_tables(tables_dir: str | Path) -> Tables:
    """Read the tables written by :func:`write_tables` (article ids stay strings)."""
    return {table: read_table(tables_dir, table) for table in SCHEMAS}


def read_table(tables_dir: str | Path, table: str) -> pd.DataFrame:
    """Read one table written by :func:`write_tables` (empty when its file is absent)."""
    columns = SCHEMAS[table]
    path = Path(tables_dir) / f"{table}.csv"
    if not path.exists():
        return empty(table)
    dtypes = {c: "string" for c in columns if c in TEXT_COLUMNS}
    # Only an empty cell is missing: "NA", "None" or "null" are words an article can contain
    # (pandas would read them as missing by default).
    return pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])


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
    # The per-article tables wait on disk (in a hidden folder of out_dir, removed at the end)
    # and are written one at a time: memory does not grow with the corpus beyond one table.
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".presslab-") as spill:
        gathered = _Gathered(Path(spill))
        for result in _results(source, jobs, engine, scheduler, progress):
            gathered.add(result, report_error)
        gathered.finish()
        articles = gathered.table("articles")
        write_csv(tidy(articles, "articles"), out_dir / "articles.csv")
        sources = {src: table for table, (_, _, src) in CORPUS_SPEC.items()}
        for table in ARTICLE_TABLES:
            df = gathered.table(table)
            write_csv(tidy(df, table), out_dir / f"{table}.csv")
            if table in sources:
                corpus_table = sources[table]
                failures: list[tuple[str, str]] = []
                computed = corpus_tables(
                    {table: df, "articles": articles}, failures, only=corpus_table
                )
                write_csv(
                    tidy(computed[corpus_table], corpus_table), out_dir / f"{corpus_table}.csv"
                )
                for name, reason in failures:
                    gathered.error(
                        LoadError(str(source), f"{name} table failed: {reason}"), report_error
                    )
            del df
        errors = pd.DataFrame(gathered.errors, columns=SCHEMAS["errors"])
        write_csv(tidy(errors, "errors"), out_dir / "errors.csv")
    return TablesOnDisk(out_dir)


class TablesOnDisk(Mapping):
    """The tables of a folder written by :func:`write_tables`, each read on first access."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._read: Tables = {}

    def __getitem__(self, table: str) -> pd.DataFrame:
        if table not in SCHEMAS:
            raise KeyError(table)
        if table not in self._read:
            self._read[table] = read_table(self.folder, table)
        return self._read[table]

    def __iter__(self) -> Iterator[str]:
        return iter(SCHEMAS)

    def __len__(self) -> int:
        return len(SCHEMAS)
