"""Write environment.yml from pyproject.toml, so conda users get the same pins.

Run after changing a dependency: ``.venv/bin/python scripts/sync_environment.py``.
tests/test_project.py checks the two stay in step.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: extras only a model's retraining needs (PyTorch: gigabytes a conda user rarely wants)
TRAINING_ONLY = {"train"}


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    for name, extra in project["optional-dependencies"].items():
        if name not in TRAINING_ONLY:
            specs.extend(extra)
    lines = [
        "# Conda environment for presslab, generated from pyproject.toml by",
        "# scripts/sync_environment.py (tests/test_project.py checks they agree).",
        "# The packages come from PyPI through conda's pip, at the same exact versions as",
        "# `make setup` installs: a run repeats byte for byte only with the same libraries.",
        "# Use: conda env create -f environment.yml && conda activate presslab",
        "name: presslab",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        "  - python=3.11",
        "  - pip",
        "  - make",
        "  - pip:",
        "      - -e .",
        *[f"      - {s}" for s in sorted(specs, key=str.lower)],
    ]
    (ROOT / "environment.yml").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
