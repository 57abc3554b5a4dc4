"""From a corpus to tables: per-article analysis (in parallel) and corpus-level tables.

:func:`analyze_article` runs every extractor on one article; :func:`analyze_corpus` loads a
corpus, analyses its articles over ``jobs`` processes (or a Dask cluster), computes the
corpus-level tables and writes them all as CSV with :func:`write_tables`: rows sorted, floats
rounded, each file written atomically, so that two runs give byte-identical files.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, islice
from pathlib import Path

import pandas as pd

from presslab.corpus import LAYOUT_PARTS, Article, LoadError, load_corpus
from presslab.errors import RunError
from presslab.schemas import ARTICLE_TABLES, FLOAT_DIGITS, SCHEMAS, SORT_KEYS, column_index
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
    columns = SCHEMAS[table]
    # Most extractors already return their schema's columns: reindexing costs ~100 µs a table,
    # nine tables an article, for nothing then.
    if list(df.columns) == columns:
        return df
    return df.reindex(columns=columns)


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


def _sentence_rows(article: Article, doc: Doc) -> list[tuple]:
    return [
        (article.article_id, s.sentence_id, s.start, s.end, s.paragraph, s.part, len(s.tokens))
        for s in doc.sentences
    ]


def sentences_table(article: Article, doc: Doc) -> pd.DataFrame:
    """The ``sentences`` table of one article."""
    return pd.DataFrame(_sentence_rows(article, doc), columns=column_index("sentences"))


@dataclass
class ArticleResult:
    """What the analysis of one article produced: its tables, and any extractor failures."""

    article_id: str
    row: dict
    tables: Tables
    failures: list[tuple[str, str]] = field(default_factory=list)


#: How quotes are found (``presslab analyze --quotes``): by the rules alone, or with the
#: learned attribution tagger deciding what is attributed (``quotes.extract_quotes``).
QUOTE_METHODS = ("rules", "learned")


def _is_learned(quotes_method: str) -> bool:
    if quotes_method not in QUOTE_METHODS:
        raise ValueError(f"unknown quotes method {quotes_method!r} (rules or learned)")
    return quotes_method == "learned"


def _stages(
    quotes_method: str = "rules",
) -> list[tuple[str, str, Callable[[Article, Doc, Tables], pd.DataFrame]]]:
    """The extractors in pipeline order: (stage, table, function(article, doc, tables)).

    Later stages read earlier tables: quotes need the mentions (speakers), figures the quotes
    (who claims a number), tone and agency the mentions (which actor a sentence is about).
    """
    from presslab import actors, figures, framing, quotes

    learned = _is_learned(quotes_method)
    return [
        ("actors", "mentions", lambda a, d, t: actors.extract_mentions(a, d)),
        (
            "quotes",
            "quotes",
            lambda a, d, t: quotes.extract_quotes(a, d, t["mentions"], learned=learned),
        ),
        ("figures", "figures", lambda a, d, t: figures.extract_figures(a, d, t["quotes"])),
        ("framing", "frames", lambda a, d, t: framing.extract_frames(a, d)),
        ("framing", "tone", lambda a, d, t: framing.extract_tone(a, d, t["mentions"], t["quotes"])),
        ("framing", "labels", lambda a, d, t: framing.extract_labels(a, d, t["mentions"])),
        ("framing", "evaluative", lambda a, d, t: framing.extract_evaluative(a, d)),
        ("framing", "agency", lambda a, d, t: framing.extract_agency(a, d, t["mentions"])),
    ]


def _extract(
    article: Article, timings: dict[str, float] | None, quotes_method: str = "rules"
) -> tuple[Doc, Tables, list[tuple[str, str]]]:
    """Segment an article and run every extractor on it (all tables but ``sentences``).

    An extractor that fails on this article costs only its own table for this article: the
    failure is returned (and lands in ``errors.csv``), the other tables are still produced.
    """
    clock = time.perf_counter()
    doc = segment(article)
    if timings is not None:
        timings["tokenise"] = timings.get("tokenise", 0.0) + time.perf_counter() - clock
    tables: Tables = {}
    failures: list[tuple[str, str]] = []
    for stage, table, run in _stages(quotes_method):
        clock = time.perf_counter()
        try:
            tables[table] = _conform(run(article, doc, tables), table)
        except Exception as exc:
            failures.append((stage, f"{type(exc).__name__}: {exc}"))
            tables[table] = empty(table)
        if timings is not None:
            timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - clock
    return doc, tables, failures


def analyze_article(
    article: Article, timings: dict[str, float] | None = None, *, quotes: str = "rules"
) -> ArticleResult:
    """Run every extractor on one article (``quotes``: one of :data:`QUOTE_METHODS`).

    An extractor that fails on this article costs only its own table for this article: the
    failure is reported (and lands in ``errors.csv``), the other tables are still produced.
    """
    doc, extracted, failures = _extract(article, timings, quotes)
    tables: Tables = {"sentences": sentences_table(article, doc), **extracted}
    return ArticleResult(article.article_id, article_row(article, doc), tables, failures)


# --------------------------------------------------------------------------- corpus


#: A run of consecutive one-article frames of one table, concatenated, with the number of rows
#: each article gave.
Run = tuple[pd.DataFrame, list[int]]


@dataclass
class ChunkResult:
    """What the analysis of a run of consecutive corpus items produced: the ``articles`` rows,
    each per-article table as :data:`Run` s of one-article frames, and the errors (files that
    could not be loaded, failed analyses and extractors) in corpus order.

    One result a chunk rather than one an article: between processes, a few frames of many rows
    cost a fraction of many one-article frames (pickling, and above all unpickling, in the one
    process that gathers everything).
    """

    rows: list[dict] = field(default_factory=list)
    tables: dict[str, list[Run]] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)


def _runs(frames: list[pd.DataFrame]) -> list[Run]:
    """Consecutive frames merged where their column types are the same.

    Only frames of identical types are concatenated ahead of time: stacking them changes no
    value or type, so the final concatenation gives what concatenating the one-article frames
    would, whereas pandas resolves mixed types (int64 beside float64 beside all-None object)
    differently depending on how the frames are grouped.
    """
    runs: list[Run] = []
    group: list[pd.DataFrame] = []
    kind: tuple = ()
    for df in frames:
        # The manager's dtypes are ``df.dtypes`` without building a Series (~20 µs a frame,
        # nine frames an article).
        this = (tuple(df.columns), tuple(df._mgr.get_dtypes()))
        if group and this != kind:
            runs.append(_stack(group))
            group = []
        group.append(df)
        kind = this
    if group:
        runs.append(_stack(group))
    return runs


def _stack(group: list[pd.DataFrame]) -> Run:
    sizes = [len(df) for df in group]
    return (group[0] if len(group) == 1 else pd.concat(group, ignore_index=True)), sizes


def analyze_chunk(items: list[Article | LoadError], quotes: str = "rules") -> ChunkResult:
    """Analyse consecutive corpus items (a :class:`LoadError` passes through as an error).

    NumPy's BLAS runs one thread meanwhile: the matrix products of the attribution tagger are
    small, and with ``--jobs`` processes each starting a thread a core, the threads waited on
    one another (500 BBC articles with ``--quotes learned --jobs 2``: 43-55 s, 19 s with one
    thread each).
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="blas"):
        return _analyze_chunk(items, quotes)


def _analyze_chunk(items: list[Article | LoadError], quotes: str) -> ChunkResult:
    result = ChunkResult()
    sentences: list[list[tuple]] = []
    frames: dict[str, list[pd.DataFrame]] = {t: [] for t in ARTICLE_TABLES if t != "sentences"}
    for item in items:
        if isinstance(item, LoadError):
            result.errors.append(item)
            continue
        try:
            doc, tables, failures = _extract(item, None, quotes)
            row = article_row(item, doc)
            rows = _sentence_rows(item, doc)
        except Exception as exc:
            reason = f"analysis failed: {type(exc).__name__}: {exc}"
            result.errors.append(LoadError(item.path or item.article_id, reason))
            continue
        result.rows.append(row)
        if rows:
            sentences.append(rows)
        for table, df in tables.items():
            if len(df):
                frames[table].append(df)
        where = item.path or item.article_id
        result.errors += [
            LoadError(where, f"{stage} extractor failed: {reason}") for stage, reason in failures
        ]
    if sentences:
        # One frame from every row at once: the types (ints and strings only) are those of one
        # frame an article, without building one.
        df = pd.DataFrame(chain.from_iterable(sentences), columns=column_index("sentences"))
        result.tables["sentences"] = [(df, [len(rows) for rows in sentences])]
    for table, dfs in frames.items():
        if dfs:
            result.tables[table] = _runs(dfs)
    return result


#: Consecutive corpus items analysed as one task: a task of ~0.5 s keeps the cost of sending it
#: and its result small beside the analysis, and the workers balanced to within one task. The
#: chunks are cut by corpus position whatever the engine or number of jobs, so the tables'
#: concatenation, hence every byte written, does not depend on them.
CHUNK = 16
#: Chunks in flight per worker: enough to keep every worker busy, few enough that memory does
#: not grow with the corpus.
IN_FLIGHT_PER_JOB = 4


def _chunks(items: Iterable[Article | LoadError]) -> Iterator[list[Article | LoadError]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def warm_up(quotes: str = "rules") -> None:
    """Load every extractor's models and codebooks once, in this process (with ``quotes``
    "learned", the attribution tagger too).

    Before forking workers, so that they share the loaded models (copy-on-write) instead of
    each loading them again.
    """
    from presslab.corpus import article_from_text
    from presslab.gender import first_names

    first_names()  # (the warm-up text may not need them)
    analyze_article(
        article_from_text(
            "Minister says 1,200 homes at risk\n\n"
            "“We will act,” Environment Minister Jane Cole said on Monday, as about 300 people "
            "were moved from the flooded town.\n",
            "warm-up",
        ),
        quotes=quotes,
    )


#: The garbage collector's youngest-generation threshold while analysing (Python's default is
#: 700). The extractors allocate (and free) pandas objects by the million; at the default, the
#: collector runs hundreds of times a corpus chunk and took ~7% of the analysis.
GC_THRESHOLD = 50_000


@contextmanager
def _analysis_gc() -> Iterator[None]:
    """Tune the garbage collector for the analysis, in this process and the ones it forks.

    The objects alive now (the models and codebooks loaded by :func:`warm_up`) are frozen: the
    collector no longer walks them, and forked workers no longer copy the pages it would write
    to (``gc.freeze``, as the Python documentation advises before forking).
    """
    threshold = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _map_local(
    chunks: Iterator[list[Article | LoadError]], jobs: int, quotes: str
) -> Iterator[ChunkResult]:
    analyze = partial(analyze_chunk, quotes=quotes)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if second is None:
        # A corpus of one chunk gains nothing from worker processes (starting them costs more
        # than the analysis), nor from tuning.
        yield analyze(first)
        return
    import multiprocessing as mp

    method = "fork" if jobs > 1 and "fork" in mp.get_all_start_methods() else "spawn"
    if jobs <= 1 or method == "fork":
        warm_up(quotes)
    chunks = chain([first, second], chunks)
    with _analysis_gc():
        if jobs <= 1:
            yield from map(analyze, chunks)
            return
        with mp.get_context(method).Pool(jobs) as pool:
            # One task a chunk, results taken in corpus order; the next chunks are queued while
            # one is consumed, so the workers never wait on this process.
            pending: deque = deque()
            for chunk in chunks:
                pending.append(pool.apply_async(analyze, (chunk,)))
                if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()


def _lost_chunk(chunk: list[Article | LoadError], reason: str) -> ChunkResult:
    """The result standing for a chunk the cluster could not run: an error for each item."""
    errors = [
        item if isinstance(item, LoadError) else LoadError(item.path or item.article_id, reason)
        for item in chunk
    ]
    return ChunkResult(errors=errors)


def _map_dask(
    chunks: Iterator[list[Article | LoadError]], scheduler: str | None, jobs: int, quotes: str
) -> Iterator[ChunkResult]:
    from presslab.engine_dask import map_articles

    yield from map_articles(
        partial(analyze_chunk, quotes=quotes),
        chunks,
        scheduler=scheduler,
        jobs=jobs,
        batch_size=max(1, DASK_BATCH // CHUNK),
        failed=_lost_chunk,
    )


#: Articles per Dask task (whole chunks): scheduling costs about a millisecond a task.
DASK_BATCH = 32


def _results(
    source: str | Path,
    jobs: int,
    engine: str,
    scheduler: str | None,
    progress: bool,
    quotes: str = "rules",
) -> Iterator[ChunkResult]:
    _is_learned(quotes)  # (an unknown method fails here, before any worker starts)
    chunks = _chunks(load_corpus(source))
    if engine == "dask":
        results = _map_dask(chunks, scheduler, jobs, quotes)
    elif engine == "local":
        results = _map_local(chunks, jobs, quotes)
    else:
        raise ValueError(f"unknown engine {engine!r} (local or dask)")
    if progress:
        results = _progress(results)
    return results


def _progress(results: Iterator[ChunkResult]) -> Iterator[ChunkResult]:
    from tqdm import tqdm

    with tqdm(desc="analysing", unit="article", file=sys.stderr, disable=None) as bar:
        for result in results:
            bar.update(len(result.rows) + len(result.errors))
            yield result


class _Gathered:
    """The per-article tables of a corpus as they arrive, merged in corpus order.

    A table's frames are merged every :data:`MERGE_EVERY` one-article frames (many small frames
    cost far more memory than one frame of their rows). With ``spill`` (a folder), each merged
    frame goes to disk at once, so that a corpus of any size is held in memory only a table at a
    time, when it is written. Either way the concatenation is the same, so the tables do not
    depend on the engine, the number of jobs or spilling.
    """

    def __init__(self, spill: Path | None = None) -> None:
        self.spill = spill
        self.rows: list[dict] = []
        self.errors: list[dict] = []
        self.parts: dict[str, list[pd.DataFrame | Path]] = {t: [] for t in ARTICLE_TABLES}
        self.recent: dict[str, list[pd.DataFrame]] = {t: [] for t in ARTICLE_TABLES}
        self.count: dict[str, int] = {t: 0 for t in ARTICLE_TABLES}

    def error(self, error: LoadError, report: Callable[[LoadError], None] | None) -> None:
        self.errors.append({"file": error.file, "reason": error.reason})
        if report:
            report(error)

    def add(self, result: ChunkResult, report: Callable[[LoadError], None] | None) -> None:
        self.rows += result.rows
        for error in result.errors:
            self.error(error, report)
        for table, runs in result.tables.items():
            for df, sizes in runs:
                self._push(table, df, sizes)

    def _push(self, table: str, df: pd.DataFrame, sizes: list[int]) -> None:
        # Merged every MERGE_EVERY one-article frames of the table exactly, a run split where
        # needed: the grouping of the concatenation, hence its types, are those of merging the
        # one-article frames themselves.
        while sizes:
            room = MERGE_EVERY - self.count[table]
            if len(sizes) <= room:
                self.recent[table].append(df)
                self.count[table] += len(sizes)
                sizes = []
            else:
                n_rows = sum(sizes[:room])
                self.recent[table].append(df.iloc[:n_rows])
                self.count[table] += room
                df, sizes = df.iloc[n_rows:], sizes[room:]
            if self.count[table] >= MERGE_EVERY:
                self._merge(table)

    def _merge(self, table: str) -> None:
        if not self.recent[table]:
            return
        recent = self.recent[table]
        merged = pd.concat(recent, ignore_index=True)
        self.recent[table] = []
        self.count[table] = 0
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


#: One-article frames merged into one frame every this many (see ``_Gathered``).
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
    quotes: str = "rules",
) -> Tables:
    """Analyse a corpus and write its tables as CSV into ``out_dir`` (the API of
    ``presslab analyze``). Returns the tables as written. ``quotes`` is one of
    :data:`QUOTE_METHODS`."""
    out_dir = Path(out_dir)
    try:  # fail before hours of analysis, not after
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunError(f"{out_dir}: cannot create the output folder ({exc.strerror})") from None
    # The per-article tables wait on disk (in a hidden folder of out_dir, removed at the end)
    # and are written one at a time in each process: memory does not grow with the corpus
    # beyond one table a process.
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".presslab-") as spill:
        gathered = _Gathered(Path(spill))
        for result in _results(source, jobs, engine, scheduler, progress, quotes):
            gathered.add(result, report_error)
        gathered.finish()
        articles = gathered.table("articles")
        failures = _write_all(gathered, articles, out_dir, jobs)
        for name, reason in failures:
            gathered.error(LoadError(str(source), f"{name} table failed: {reason}"), report_error)
        errors = pd.DataFrame(gathered.errors, columns=SCHEMAS["errors"])
        write_csv(tidy(errors, "errors"), out_dir / "errors.csv")
    return TablesOnDisk(out_dir)


#: The per-article tables in the order their writing is handed out to processes: the longest
#: first, so that none is left alone at the end (the corpus-level tables come first).
WRITE_ORDER = ["mentions", "tone", "frames", "sentences", "labels", "figures", "quotes"]


def _finish_table(
    parts: list[pd.DataFrame | Path],
    table: str,
    articles: pd.DataFrame,
    out_dir: Path,
    *,
    write: bool = True,
    corpus_table: str | None = None,
) -> list[tuple[str, str]]:
    """Write one per-article table (from its merged parts) and/or the corpus-level table
    computed from it; returns the corpus-level failures as ``(table, reason)``."""
    frames = [pd.read_pickle(p) if isinstance(p, Path) else p for p in parts]
    df = pd.concat(frames, ignore_index=True) if frames else empty(table)
    del frames
    if write:
        write_csv(tidy(df, table), out_dir / f"{table}.csv")
    failures: list[tuple[str, str]] = []
    if corpus_table is not None:
        computed = corpus_tables({table: df, "articles": articles}, failures, only=corpus_table)
        write_csv(tidy(computed[corpus_table], corpus_table), out_dir / f"{corpus_table}.csv")
    return failures


#: Up to this many words in the corpus, the tables are finished in ``jobs`` processes at once.
PARALLEL_FINISH_MAX_WORDS = 4_000_000


def _write_all(
    gathered: _Gathered, articles: pd.DataFrame, out_dir: Path, jobs: int
) -> list[tuple[str, str]]:
    """Write ``articles.csv``, every per-article table and every corpus-level table.

    With several jobs (and fork), the tables are written, and the corpus-level tables computed,
    in ``jobs`` processes at once: one at a time they take seconds of a single core at the end
    of a run. Each process holds one table at a time; corpora larger than
    :data:`PARALLEL_FINISH_MAX_WORDS` are finished one table at a time, to bound memory.
    Returns the corpus-level failures.
    """
    import multiprocessing as mp

    # In the order of their source tables, so that failures are reported in the same order
    # whatever the number of jobs.
    sources = {
        src: table
        for src in ARTICLE_TABLES
        for table, (_, _, source) in CORPUS_SPEC.items()
        if source == src
    }
    # Side by side, two tables are in memory at once (each with its sorted copy): past a few
    # million words that would cost more memory than the seconds it saves (the benchmark's
    # 22,260 articles went from 0.7 to 1.2 GiB), so large corpora are finished one table at
    # a time.
    n_words = int(pd.to_numeric(articles["n_words"], errors="coerce").fillna(0).sum())
    parallel = jobs > 1 and "fork" in mp.get_all_start_methods()
    if not parallel or n_words > PARALLEL_FINISH_MAX_WORDS:
        write_csv(tidy(articles, "articles"), out_dir / "articles.csv")
        failures: list[tuple[str, str]] = []
        for table in ARTICLE_TABLES:
            failures += _finish_table(
                gathered.parts[table], table, articles, out_dir, corpus_table=sources.get(table)
            )
        return failures
    order = WRITE_ORDER + [t for t in ARTICLE_TABLES if t not in WRITE_ORDER]
    with mp.get_context("fork").Pool(jobs) as pool:
        corpus = [
            pool.apply_async(
                _finish_table,
                (gathered.parts[src], src, articles, out_dir),
                {"write": False, "corpus_table": table},
            )
            for src, table in sources.items()
        ]
        written = [
            pool.apply_async(_finish_table, (gathered.parts[t], t, articles, out_dir))
            for t in order
        ]
        write_csv(tidy(articles, "articles"), out_dir / "articles.csv")
        for task in written:
            task.get()
        return [failure for task in corpus for failure in task.get()]


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
