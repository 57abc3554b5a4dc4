"""Reruns give the same numbers: byte-identical tables from two `presslab analyze` runs (in
separate processes with different hash seeds, so nothing may depend on set or dict order
across processes), from --jobs 1 and --jobs 2, and from two `presslab run`; the manifest holds
what repeating a run needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT, SEED_FILE, SEEDS, load_cases


def presslab(*args: str, hash_seed: str = "0") -> subprocess.CompletedProcess:
    # Each run is its own interpreter; PYTHONHASHSEED differs between runs so that an output
    # that depends on the iteration order of a set of strings shows up as a difference.
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.run(
        [sys.executable, "-m", "presslab", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("repro-corpus")
    articles = load_cases("reliability.yaml")["articles"]
    articles["seed"] = SEED_FILE.read_text(encoding="utf-8")
    # Enough copies that --jobs 2 really splits the corpus between processes.
    for copy in range(6):
        for name, text in articles.items():
            (folder / f"{name}-{copy}.txt").write_text(text, encoding="utf-8")
    (folder / "notes.jsonl").write_text(
        json.dumps({"id": "wire-1", "text": articles["strike_talks"], "date": "2025-03-04"})
        + "\n{broken\n",
        encoding="utf-8",
    )
    return folder


def _tables(folder):
    files = {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}
    assert "articles.csv" in files and "errors.csv" in files
    return files


def _differing(a: dict, b: dict) -> list[str]:
    assert sorted(a) == sorted(b)
    return [name for name in a if a[name] != b[name]]


def test_two_analyze_runs_are_byte_identical(corpus, tmp_path):
    first = presslab("analyze", str(corpus), "--out", str(tmp_path / "a"), "--quiet", hash_seed="1")
    second = presslab(
        "analyze", str(corpus), "--out", str(tmp_path / "b"), "--quiet", hash_seed="2"
    )
    assert first.returncode == second.returncode == 1  # the broken .jsonl line
    assert _differing(_tables(tmp_path / "a"), _tables(tmp_path / "b")) == []
    # The same errors, in the same order (the last line names the output folder).
    assert first.stderr.splitlines()[:-1] == second.stderr.splitlines()[:-1]


def test_jobs_1_and_jobs_2_are_byte_identical(corpus, tmp_path):
    one = presslab(
        "analyze",
        str(corpus),
        "--out",
        str(tmp_path / "j1"),
        "--quiet",
        "--jobs",
        "1",
        hash_seed="3",
    )
    two = presslab(
        "analyze",
        str(corpus),
        "--out",
        str(tmp_path / "j2"),
        "--quiet",
        "--jobs",
        "2",
        hash_seed="4",
    )
    assert one.returncode == two.returncode == 1
    tables = _tables(tmp_path / "j1")
    assert _differing(tables, _tables(tmp_path / "j2")) == []
    assert len(tables["articles.csv"].splitlines()) == 1 + 6 * 4 + 1


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Two `presslab run` on seeds/ (the corpus notebook only: tables do not depend on which
    notebooks run, and the notebooks' own reproducibility is not what this file checks)."""
    base = tmp_path_factory.mktemp("repro-runs")
    runs = []
    for n, seed in enumerate(("5", "6")):
        out = base / f"run{n}"
        result = presslab(
            "run",
            str(SEEDS),
            "--out",
            str(out),
            "--notebooks",
            "00_corpus",
            "--quiet",
            hash_seed=seed,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
        runs.append(out)
    return runs


@pytest.mark.slow
def test_two_report_runs_give_identical_tables(two_runs):
    first, second = (_tables(run / "tables") for run in two_runs)
    assert _differing(first, second) == []


@pytest.mark.slow
def test_manifest_records_what_repeating_needs(two_runs):
    from presslab.notebook import corpus_hash

    manifests = [
        json.loads((run / "manifest.json").read_text(encoding="utf-8")) for run in two_runs
    ]
    first = manifests[0]
    # The input, byte for byte.
    assert first["corpus_sha256"] == corpus_hash(SEEDS)
    # The parameters that a repeat passes again.
    for key in ("corpus", "jobs", "notebooks", "articles", "sample", "engine", "quotes"):
        assert key in first["parameters"]
    assert first["parameters"]["notebooks"] == ["00_corpus"]
    assert first["parameters"]["quotes"] == "rules"
    # The code and the environment: presslab's commit and the versions of what it runs on.
    assert "git_commit" in first
    versions = first["versions"]
    for package in ("python", "presslab", "nltk", "pandas", "numpy", "papermill"):
        assert versions.get(package), package
    assert first["articles"] == {"000_979139c0287720a2": "ok"}
    # Everything but times and the output folder is the same in both runs.
    volatile = {"started", "finished", "timings", "notebooks", "parameters"}
    stable = [{k: v for k, v in m.items() if k not in volatile} for m in manifests]
    assert stable[0] == stable[1]
    params = [{k: v for k, v in m["parameters"].items() if k != "out"} for m in manifests]
    assert params[0] == params[1]


@pytest.mark.slow
def test_manifest_records_the_code_hash(two_runs):
    from presslab.notebook import code_hash

    manifest = json.loads((two_runs[0] / "manifest.json").read_text(encoding="utf-8"))
    assert code_hash() in json.dumps(manifest)
