"""Shared fixtures: the seed article, its analysis, and case files kept as data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from presslab.schemas import SCHEMAS

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).parent / "cases"
SEEDS = ROOT / "seeds"
SEED_FILE = SEEDS / "000_979139c0287720a2.txt"
#: ../shared/eval, for the few tests that exercise scripts on it (skipped when absent)
EVAL_DIR = ROOT.parent / "shared" / "eval"

#: the mention columns the framing, tone and agency extractors read (the table may have more)
MENTION_COLUMNS = SCHEMAS["mentions"][:8]


def load_cases(name: str):
    """A YAML case file from tests/cases/."""
    return yaml.safe_load((CASES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_article():
    from presslab.corpus import load_article

    return load_article(SEED_FILE, "000_979139c0287720a2")


@pytest.fixture(scope="session")
def seed_doc(seed_article):
    from presslab.text import segment

    return segment(seed_article)


@pytest.fixture(scope="session")
def seed_tables(tmp_path_factory):
    """The tables `presslab analyze seeds/` writes, read back from CSV."""
    from presslab.tables import analyze_corpus, read_tables

    out = tmp_path_factory.mktemp("seed-tables")
    analyze_corpus(SEEDS, out)
    return read_tables(out)
