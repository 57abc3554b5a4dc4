"""Small helpers that keep notebooks thin: get the tables, save each plot with its data.

A notebook run by ``presslab run`` receives the folder of tables the run wrote. Opened by hand
in JupyterLab it gets none, and :func:`load_tables` analyses the corpus itself, caching the
tables under ``outputs/.cache/<key>`` where the key hashes the corpus files and presslab's
code, so a second opening is instant and a code change recomputes.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import pandas as pd

from presslab import paths
from presslab.corpus import iter_sources
from presslab.tables import Tables, analyze_corpus, read_tables


@cache
def code_hash() -> str:
    """A hash of presslab's code and data files (part of every cache key)."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in {".py", ".yaml", ".json", ".gz"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def corpus_hash(corpus: str | Path) -> str:
    """The sha256 of a corpus: its files' names and bytes, in a stable order."""
    digest = hashlib.sha256()
    root = Path(corpus)
    for path, _ in iter_sources(root):
        rel = path.relative_to(root).as_posix() if root.is_dir() else path.name
        digest.update(rel.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def resolve(path: str | Path) -> Path:
    """A path as given, or relative to the repository when it does not exist from here."""
    candidate = Path(path)
    if candidate.exists() or candidate.is_absolute():
        return candidate
    for base in (paths.NOTEBOOKS, paths.ROOT):
        if (base / candidate).exists():
            return base / candidate
    return candidate


def load_tables(tables: str = "", corpus: str = "") -> Tables:
    """The analysis tables: read from ``tables`` when given, else computed from ``corpus``.

    ``corpus`` defaults to the project's ``seeds/``.
    """
    if tables:
        folder = resolve(tables)
        if not (folder / "articles.csv").exists():
            raise FileNotFoundError(
                f"{folder}: no articles.csv here; give a folder written by "
                "`presslab analyze`, or leave `tables` empty"
            )
        return read_tables(folder)
    source = resolve(corpus) if corpus else paths.SEEDS
    key = hashlib.sha256((corpus_hash(source) + code_hash()).encode()).hexdigest()[:16]
    folder = paths.CACHE / key
    if not (folder / "articles.csv").exists():
        analyze_corpus(source, folder, jobs=1)
    return read_tables(folder)


def plots_dir(plots: str, notebook: str) -> Path:
    """The folder a notebook saves its plots in (created): ``plots`` or a default under
    ``outputs/lab/<notebook>``."""
    folder = resolve(plots) if plots else paths.OUTPUTS / "lab" / notebook
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_plot(fig, data: pd.DataFrame, name: str, folder: Path) -> Path:
    """Save a plot as ``<name>.png`` with the table it shows as ``<name>.csv`` beside it."""
    png = folder / f"{name}.png"
    fig.savefig(png, dpi=110, bbox_inches="tight", metadata={"Software": None})
    data.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return png
