"""Small helpers that keep notebooks thin: get the tables, save each plot with its data.

A notebook run by ``presslab run`` receives the folder of tables the run wrote. Opened by hand
in JupyterLab it gets none, and :func:`load_tables` analyses the corpus itself, caching the
tables under ``outputs/.cache/<key>`` where the key hashes the corpus files and presslab's
code, so a second opening is instant and a code change recomputes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from presslab import paths

if TYPE_CHECKING:
    import pandas as pd

# The rest of presslab (and pandas) is imported where it is used: ``presslab run`` imports this
# module for its hashes, and every notebook's kernel imports it first thing.

#: The resolution of the saved PNG files (the inline backend shows figures at ``figure.dpi``).
PLOT_DPI = 110
_INLINE_BACKENDS = {"module://matplotlib_inline.backend_inline", "inline"}


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
    from presslab.corpus import iter_sources

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


def load_tables(tables: str = "", corpus: str = "") -> Mapping[str, pd.DataFrame]:
    """The analysis tables: read from ``tables`` when given, else computed from ``corpus``.

    ``corpus`` defaults to the project's ``seeds/``. Each table is read from its CSV file when
    the notebook first uses it, so a notebook reads only the tables it shows.
    """
    from presslab.tables import TablesOnDisk, analyze_corpus

    if tables:
        folder = resolve(tables)
        if not (folder / "articles.csv").exists():
            raise FileNotFoundError(
                f"{folder}: no articles.csv here; give a folder written by "
                "`presslab analyze`, or leave `tables` empty"
            )
        return TablesOnDisk(folder)
    source = resolve(corpus) if corpus else paths.SEEDS
    key = hashlib.sha256((corpus_hash(source) + code_hash()).encode()).hexdigest()[:16]
    folder = paths.CACHE / key
    if not (folder / "articles.csv").exists():
        analyze_corpus(source, folder, jobs=1)
    return TablesOnDisk(folder)


def plots_dir(plots: str, notebook: str) -> Path:
    """The folder a notebook saves its plots in (created): ``plots`` or a default under
    ``outputs/lab/<notebook>``."""
    folder = resolve(plots) if plots else paths.OUTPUTS / "lab" / notebook
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_plot(fig, data: pd.DataFrame, name: str, folder: Path) -> Path:
    """Save a plot as ``<name>.png`` with the table it shows as ``<name>.csv`` beside it.

    In a notebook using the inline backend the saved PNG is also what the notebook shows, and
    the figure is closed (``plt.show()`` after it shows nothing more): the figure is drawn once,
    not once for the file and again for the notebook.
    """
    import io

    png = folder / f"{name}.png"
    buffer = io.BytesIO()
    fig.savefig(
        buffer, format="png", dpi=PLOT_DPI, bbox_inches="tight", metadata={"Software": None}
    )
    png.write_bytes(buffer.getvalue())
    data.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    if _inline():
        _show_png(buffer.getvalue(), fig)
    return png


def _inline() -> bool:
    """Whether plots are shown by the inline backend of an IPython kernel."""
    import matplotlib

    if matplotlib.get_backend() not in _INLINE_BACKENDS:
        return False
    from IPython import get_ipython

    return get_ipython() is not None


def _show_png(data: bytes, fig) -> None:
    """Show a saved PNG in the notebook at the size the inline backend would show the figure
    (``figure.dpi``; the file has :data:`PLOT_DPI`), and close the figure."""
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    width = int.from_bytes(data[16:20], "big")  # the PNG's IHDR chunk: width, then height
    display(Image(data=data, format="png", width=round(width * fig.dpi / PLOT_DPI)))
    plt.close(fig)
