"""``presslab run``: analyse once, execute the notebooks with papermill, render HTML, index.

Notebooks run through papermill's Python API from this one process (its CLI costs seconds of
imports per call), several at a time; each gets the run's tables folder, the corpus and its
plots folder as string parameters, and per-article notebooks (those declaring ``article_id``)
also the article id. A notebook that fails is recorded in the index and the manifest, and the
rest go on.

What a run costs beyond the kernels themselves is kept small: when the analysis runs in this
process (a corpus of a few files), the kernels of the first notebooks start while it runs and
wait for the tables before their first cell; each kernel imports pandas and matplotlib as it
starts; kernels talk over IPC sockets; the executed notebook is written once, not after every
cell; one exporter renders the HTML in a background thread while other notebooks still run.
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from presslab import __version__, paths
from presslab.errors import RunError
from presslab.notebook import code_hash, corpus_hash
from presslab.tables import CHUNK, analyze_corpus

#: Per-article reports rendered when neither ``articles`` nor ``sample`` is given and the corpus
#: is larger than this (a report per article of a 20,000-article corpus helps nobody).
DEFAULT_ARTICLE_REPORTS = 20
#: Every notebook must declare these parameters; per-article notebooks also ``article_id``.
COMMON_PARAMETERS = ("tables", "corpus", "plots")
PACKAGES = (
    "presslab",
    "nltk",
    "pandas",
    "numpy",
    "matplotlib",
    "papermill",
    "nbconvert",
    "jupytext",
    "networkx",
    "pycountry",
    "nameparser",
    "vadersentiment",
    "krippendorff",
    "charset-normalizer",
    "pyyaml",
    "dask",
    "distributed",
)


@dataclass
class NotebookJob:
    """One notebook execution: which notebook, for which article, with what outcome."""

    notebook: str
    parameters: dict[str, str]
    output: str
    report: str
    article_id: str | None = None
    status: str = "pending"
    error: str = ""
    seconds: float = 0.0
    plots: list[str] = field(default_factory=list)


def list_notebooks(folder: Path = paths.NOTEBOOKS) -> list[Path]:
    """The project's notebooks, in name order."""
    return sorted(folder.glob("[0-9]*.ipynb"))


def _papermill():
    """papermill, imported without the optional ``rfc3987_syntax`` package.

    Through nbformat, papermill imports jsonschema, whose format checkers import
    ``rfc3987_syntax`` when it is installed; that builds 38 lark grammars at import, most of a
    second of CPU before any notebook can start, for an ``iri`` format that no notebook schema
    uses (nbformat validates with no format checker). Hidden for that one import, it is treated
    as absent (jsonschema expects an ImportError); anything importing it later gets it.
    """
    if "papermill" not in sys.modules and "jsonschema" not in sys.modules:
        hidden = "rfc3987_syntax" not in sys.modules
        if hidden:
            sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
        try:
            import papermill
        finally:
            if hidden and sys.modules.get("rfc3987_syntax", 0) is None:
                del sys.modules["rfc3987_syntax"]
    import papermill

    return papermill


def notebook_parameters(path: Path) -> set[str]:
    """The names declared in a notebook's ``parameters`` cell."""
    return set(_papermill().inspect_notebook(str(path)))


def safe_name(text: str) -> str:
    """A file-name-safe form of an article id (readable, stable, unique enough with a hash)."""
    import hashlib

    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:60] or "article"
    if slug != text:
        slug += "-" + hashlib.sha1(text.encode()).hexdigest()[:8]
    return slug


def choose_articles(
    ids: list[str], articles: list[str] | None, sample: int | None, seed: int = 0
) -> list[str]:
    """Which articles get a per-article report: those named, a seeded sample, or all of a small
    corpus (at most :data:`DEFAULT_ARTICLE_REPORTS`, a seeded sample beyond)."""
    if articles:
        unknown = sorted(set(articles) - set(ids))
        if unknown:
            raise RunError(f"--articles names ids not in the corpus: {', '.join(unknown[:5])}")
        return [a for a in ids if a in set(articles)]
    limit = sample if sample is not None else DEFAULT_ARTICLE_REPORTS
    if len(ids) <= limit:
        return list(ids)
    return sorted(random.Random(seed).sample(sorted(ids), limit))


def _git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return commit + ("+dirty" if commit and dirty else "")


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = ""
    return out


class _Gate:
    """Holds the notebooks back until the tables they read are written.

    Kernels may start while the analysis runs (their start-up overlaps it); the first cell of a
    notebook waits here. When the analysis fails, every waiting notebook stops before running
    anything, and papermill shuts its kernel down.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._failed = False

    def open(self) -> None:
        self._event.set()

    def fail(self) -> None:
        """Stop the notebooks still waiting (nothing, once the gate is open)."""
        if not self._event.is_set():
            self._failed = True
            self._event.set()

    def wait(self) -> None:
        self._event.wait()
        if self._failed:
            raise RunError("the analysis failed: no notebook is run")


class _Exporter:
    """Renders executed notebooks to HTML in one background thread, with one exporter: its
    templates are compiled once, and rendering overlaps the kernels still running."""

    def __init__(self, tick=None) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="presslab-html")
        self._exporter = None
        self._tick = tick
        self._futures: list = []
        self.done = 0

    def submit(self, job: NotebookJob, started: float) -> None:
        self._futures.append(self._pool.submit(self._render, job, started))

    def _render(self, job: NotebookJob, started: float) -> None:
        try:
            if Path(job.output).exists():
                if self._exporter is None:
                    from nbconvert import HTMLExporter

                    self._exporter = HTMLExporter(
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
                    )
                body, _ = self._exporter.from_filename(job.output)
                Path(job.report).write_text(body, encoding="utf-8")
        except Exception as exc:
            job.status = "failed"
            job.error = job.error or f"rendering HTML failed: {_short_error(exc)}"
        plots = Path(job.parameters["plots"])
        job.plots = sorted(p.name for p in plots.glob("*.png")) if plots.exists() else []
        job.seconds = round(time.perf_counter() - started, 2)
        self.done += 1
        if self._tick is not None:
            self._tick()

    def close(self) -> None:
        for future in self._futures:
            future.result()
        self._pool.shutdown()


def _kernel_config(sockets: Path, number: int):
    """Kernel settings for one notebook: IPC sockets in a private folder instead of TCP ports
    on localhost (nothing leaves the machine, and the kernel has no reason to warn that it is
    "running over TCP without encryption"). Where IPC sockets cannot be used (not a POSIX
    system, or a temporary folder whose path is too long for a socket name), TCP as before."""
    from traitlets.config import Config

    # A Unix socket's path holds at most 107 bytes; jupyter_client appends "-<port number>".
    if os.name != "posix" or len(str(sockets)) > 80:
        return Config()
    return Config({"KernelManager": {"transport": "ipc", "ip": str(sockets / f"k{number}")}})


#: Run in each kernel as it starts, before the notebook: the imports every notebook makes
#: anyway, so that a kernel started early (while the analysis runs) has them done. A statement
#: with no value, leaving no name behind: the notebook's namespace is as if it had not run.
KERNEL_WARM_UP = "import pandas, matplotlib.pyplot; del pandas, matplotlib"


def _execute(
    job: NotebookJob, cwd: Path, gate: _Gate, exporter: _Exporter, sockets: Path, number: int
) -> NotebookJob:
    papermill = _papermill()
    started = time.perf_counter()
    waited = [0.0]

    def hold(**_cell) -> None:
        # Before each code cell (the first one waits while the analysis runs).
        clock = time.perf_counter()
        gate.wait()
        waited[0] += time.perf_counter() - clock

    try:
        papermill.execute_notebook(
            job.notebook,
            job.output,
            parameters=job.parameters,
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            # The executed notebook is written once at the end (and on failure), not after
            # every cell: those saves serialise the whole notebook, plots included, each time.
            request_save_on_cell_execute=False,
            # The kernel's working folder, set for its process alone: papermill's own ``cwd``
            # changes this process's folder, which threads running side by side would race on.
            resources={"metadata": {"path": str(cwd)}},
            config=_kernel_config(sockets, number),
            extra_arguments=[f"--IPKernelApp.exec_lines={KERNEL_WARM_UP}"],
            on_cell_execute=hold,
            # Once the last cell's outputs are in, nothing in the kernel is needed: it is
            # stopped at once instead of asked to shut down and waited for (a fraction of a
            # second per notebook, in which its worker would start nothing).
            shutdown_kernel="immediate",
        )
        job.status = "ok"
    except Exception as exc:
        job.status = "failed"
        job.error = _short_error(exc)
    exporter.submit(job, started + waited[0])
    return job


def _analysis_forks(corpus: Path, jobs: int, engine: str) -> bool:
    """Whether the analysis may run in worker processes (so that no thread may run beside it):
    with more than one job, unless the corpus is a few ``.txt`` files, which
    :func:`presslab.tables.analyze_corpus` analyses in this process."""
    if engine != "local":
        return True
    if jobs <= 1:
        return False
    from presslab.corpus import iter_sources

    try:
        files = [path for path, _ in iter_sources(corpus)]
    except Exception:
        return True
    return len(files) > CHUNK or any(path.suffix.lower() != ".txt" for path in files)


def _short_error(exc: BaseException) -> str:
    text = str(exc)
    # papermill's PapermillExecutionError carries the cell's exception name and value.
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        text = f"{ename}: {evalue}"
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return text.strip().splitlines()[-1][:500] if text.strip() else type(exc).__name__


def run(
    corpus: str | Path,
    out: str | Path,
    *,
    jobs: int = 2,
    notebooks: list[str] | None = None,
    articles: list[str] | None = None,
    sample: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool = True,
    report_error=None,
) -> dict:
    """Analyse ``corpus`` into ``out/tables``, execute the notebooks, render ``out/reports``,
    write ``out/index.html`` and ``out/manifest.json``. Returns the manifest."""
    corpus = Path(corpus).resolve()
    out = Path(out).resolve()
    if out.exists():
        raise RunError(
            f"{out}: this run folder exists already; a run never overwrites another "
            "(choose a new --out)"
        )
    if not corpus.exists():
        raise RunError(f"{corpus}: no such corpus file or folder")
    available = {p.stem: p for p in list_notebooks()}
    chosen = notebooks or list(available)
    unknown = [n for n in chosen if n not in available]
    if unknown:
        raise RunError(f"unknown notebook(s) {', '.join(unknown)}; known: {', '.join(available)}")
    declared = {name: notebook_parameters(available[name]) for name in chosen}
    for name, params in declared.items():
        missing = [p for p in COMMON_PARAMETERS if p not in params]
        if missing:
            raise RunError(
                f"notebooks/{name}.ipynb declares no parameter(s) {missing} in its parameters cell"
            )

    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    timings: dict[str, float] = {}
    tables_dir, executed, reports = out / "tables", out / "notebooks", out / "reports"
    for folder in (tables_dir, executed, reports):
        folder.mkdir(parents=True)
    base = {"tables": str(tables_dir), "corpus": str(corpus)}

    def make_job(name: str, article_id: str | None) -> NotebookJob:
        stem = name if article_id is None else f"{name}--{safe_name(article_id)}"
        params = {**base, "plots": str(reports / stem)}
        if article_id is not None:
            params["article_id"] = str(article_id)
        return NotebookJob(
            notebook=str(available[name]),
            parameters=params,
            output=str(executed / f"{stem}.ipynb"),
            report=str(reports / f"{stem}.html"),
            article_id=article_id,
        )

    gate = _Gate()
    bar = None
    exporter = _Exporter(tick=lambda: bar.update(1) if bar is not None else None)
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="presslab-nb")
    sockets = Path(tempfile.mkdtemp(prefix="presslab-kernels-"))
    counter = itertools.count()

    def submit(job: NotebookJob):
        return pool.submit(_execute, job, paths.NOTEBOOKS, gate, exporter, sockets, next(counter))

    early: dict[str, NotebookJob] = {}
    futures = []
    try:
        if not _analysis_forks(corpus, jobs, engine):
            # The notebooks that are not per article start now: their kernels start up while
            # the analysis runs, and wait (gate) before their first cell. Only when the analysis
            # runs in this process: forking worker processes while threads talk to kernels is
            # not safe.
            for name in chosen:
                if "article_id" not in declared[name]:
                    early[name] = make_job(name, None)
                    futures.append(submit(early[name]))
        clock = time.perf_counter()
        tables = analyze_corpus(
            corpus,
            tables_dir,
            jobs=jobs,
            engine=engine,
            scheduler=scheduler,
            progress=progress,
            report_error=report_error,
        )
        timings["analyze"] = round(time.perf_counter() - clock, 2)

        ids = [str(a) for a in tables["articles"]["article_id"]]
        per_article = choose_articles(ids, articles, sample)
        jobs_list: list[NotebookJob] = []
        for name in chosen:
            if name in early:
                jobs_list.append(early[name])
                continue
            targets = per_article if "article_id" in declared[name] else [None]
            for article_id in targets:
                job = make_job(name, article_id)
                jobs_list.append(job)
                futures.append(submit(job))
        if progress:
            from tqdm import tqdm

            bar = tqdm(
                total=len(jobs_list),
                initial=exporter.done,
                desc="notebooks",
                unit="nb",
                file=sys.stderr,
                disable=None,
            )
        clock = time.perf_counter()
        gate.open()
        for future in futures:
            future.result()
    finally:
        # After an error before the gate opened (the analysis failed, or --articles names an
        # unknown id), the kernels started early stop before running anything.
        gate.fail()
        pool.shutdown(cancel_futures=True)
        exporter.close()
        if bar is not None:
            bar.close()
        shutil.rmtree(sockets, ignore_errors=True)
    timings["notebooks"] = round(time.perf_counter() - clock, 2)

    errors = tables["errors"]
    failed_files = set(errors["file"].astype(str))
    status = {}
    for row in tables["articles"].itertuples():
        problems = errors[errors["file"] == row.path]["reason"].tolist()
        status[str(row.article_id)] = "ok" if not problems else "; ".join(problems)
    manifest = {
        "presslab": __version__,
        "started": started_at,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "parameters": {
            "corpus": str(corpus),
            "out": str(out),
            "jobs": jobs,
            "notebooks": chosen,
            "articles": per_article,
            "articles_requested": articles or [],
            "sample": sample,
            "article_selection": (
                "named" if articles else "sample" if len(per_article) < len(ids) else "all"
            ),
            "engine": engine,
            "scheduler": scheduler,
        },
        "corpus_sha256": corpus_hash(corpus),
        # git commit alone misses an uncommitted codebook or code edit; this hash does not.
        "code_sha256": code_hash(),
        "n_articles": len(ids),
        "articles": status,
        "load_errors": errors.to_dict(orient="records"),
        "notebooks": [asdict(j) for j in jobs_list],
        "versions": _versions(),
        "git_commit": _git_commit(),
        "timings": timings,
        "ok": not failed_files and all(j.status == "ok" for j in jobs_list),
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    from presslab.report import render_index

    (out / "index.html").write_text(render_index(manifest, tables), encoding="utf-8")
    return manifest
