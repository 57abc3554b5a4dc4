"""Where things are. No side effects at import: nothing is created, logged or printed here."""

from __future__ import annotations

from pathlib import Path

#: The repository (when presslab is installed editable from a clone; otherwise the cwd).
ROOT = Path(__file__).resolve().parents[2]
if not (ROOT / "pyproject.toml").exists():  # installed as a plain package
    ROOT = Path.cwd()
SEEDS = ROOT / "seeds"
NOTEBOOKS = ROOT / "notebooks"
OUTPUTS = ROOT / "outputs"
#: Tables computed by notebooks opened by hand, keyed by the corpus's content hash.
CACHE = OUTPUTS / ".cache"
