"""``presslab run``: analyse once, execute the notebooks with papermill, render HTML, index.

Notebooks run through papermill's Python API from this one process (its CLI costs seconds of
imports per call), several at a time; each gets the run's tables folder, the corpus and its
plots folder as string parameters, and per-article notebooks (those declaring ``article_id``)
also the article id. A notebook that fails is recorded in the index and the manifest, and the
rest go on.
"""

from __future__ import annotations

import json
import platform
import random
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from presslab import __version__, paths
from presslab.errors import RunError
from presslab.notebook import code_hash, corpus_hash
from presslab.tables import analyze_corpus

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


def notebook_parameters(path: Path) -> set[str]:
    """The names declared in a notebook's ``parameters`` cell."""
    import papermill

    return set(papermill.inspect_notebook(str(path)))


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


def _execute(job: NotebookJob, cwd: Path) -> NotebookJob:
    import papermill
    from nbconvert import HTMLExporter

    started = time.perf_counter()
    try:
        papermill.execute_notebook(
            job.notebook,
            job.output,
            parameters=job.parameters,
            kernel_name="python3",
            progress_bar=False,
            cwd=str(cwd),
            log_output=False,
        )
        job.status = "ok"
    except Exception as exc:
        job.status = "failed"
        job.error = _short_error(exc)
    try:
        if Path(job.output).exists():
            exporter = HTMLExporter(
                exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
            )
            body, _ = exporter.from_filename(job.output)
            Path(job.report).write_text(body, encoding="utf-8")
    except Exception as exc:
        job.status = "failed"
        job.error = job.error or f"rendering HTML failed: {_short_error(exc)}"
    plots = Path(job.parameters["plots"])
    job.plots = sorted(p.name for p in plots.glob("*.png")) if plots.exists() else []
    job.seconds = round(time.perf_counter() - started, 2)
    return job


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
    base = {"tables": str(tables_dir), "corpus": str(corpus)}
    jobs_list: list[NotebookJob] = []
    for name in chosen:
        path = available[name]
        targets = per_article if "article_id" in declared[name] else [None]
        for article_id in targets:
            stem = name if article_id is None else f"{name}--{safe_name(article_id)}"
            params = {**base, "plots": str(reports / stem)}
            if article_id is not None:
                params["article_id"] = str(article_id)
            jobs_list.append(
                NotebookJob(
                    notebook=str(path),
                    parameters=params,
                    output=str(executed / f"{stem}.ipynb"),
                    report=str(reports / f"{stem}.html"),
                    article_id=article_id,
                )
            )

    clock = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(_execute, job, paths.NOTEBOOKS) for job in jobs_list]
        done = as_completed(futures)
        if progress:
            from tqdm import tqdm

            done = tqdm(
                done, total=len(futures), desc="notebooks", unit="nb", file=sys.stderr, disable=None
            )
        for _ in done:
            pass
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
