"""The command line as a user meets it: help, analyze, bad input, exit codes."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, SEED_FILE


def presslab(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "presslab", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_help_explains_both_commands():
    result = presslab("--help")
    assert result.returncode == 0
    assert "presslab analyze CORPUS --out DIR" in result.stdout
    assert "presslab run CORPUS --out DIR" in result.stdout
    for sub in ("analyze", "run"):
        text = presslab(sub, "--help").stdout
        assert "--jobs" in text and "--out" in text
    assert "--notebooks" in presslab("run", "--help").stdout


def test_bad_files_do_not_stop_the_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(SEED_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "empty.txt").write_text("")
    (corpus / "blank.txt").write_text("  \n\n ")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    out = tmp_path / "out"
    result = presslab("analyze", str(corpus), "--out", str(out), "--quiet")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for name in ("empty.txt", "blank.txt", "binary.txt"):
        assert name in result.stderr
    errors = (out / "errors.csv").read_text().splitlines()
    assert len(errors) == 4  # header + one line per bad file
    articles = (out / "articles.csv").read_text().splitlines()
    assert len(articles) == 2 and articles[1].startswith("good,")


def test_missing_corpus_is_a_clear_error(tmp_path):
    result = presslab("analyze", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert result.returncode != 0
    assert "nope" in result.stderr and "Traceback" not in result.stderr


def test_run_refuses_an_existing_folder(tmp_path):
    result = presslab("run", "seeds", "--out", str(tmp_path), "--quiet")
    assert result.returncode == 2
    assert "exists already" in result.stderr and "Traceback" not in result.stderr


def test_quotes_learned_is_a_choice_of_analyze(tmp_path):
    """`--quotes learned` runs the learned attribution tagger in the workers: on the seed it
    finds the same statements with the same speakers, and cues Hagari's first clause by
    "noting", the cue its attribution groups it with, where the rules name "revealed"."""
    import pandas as pd

    tables = {}
    for method in ("rules", "learned"):
        out = tmp_path / method
        result = presslab(
            "analyze", str(SEED_FILE), "--out", str(out), "--quiet", "--quotes", method
        )
        assert result.returncode == 0, result.stderr
        tables[method] = pd.read_csv(out / "quotes.csv")
    rules, learned = tables["rules"], tables["learned"]
    columns = ["start", "end", "kind", "speaker_actor_id"]
    assert learned[columns].values.tolist() == rules[columns].values.tolist()
    hagari = ("speaker_actor_id", "daniel-hagari")
    assert rules.loc[rules[hagari[0]] == hagari[1], "cue"].tolist() == ["revealed", "noting"]
    assert learned.loc[learned[hagari[0]] == hagari[1], "cue"].tolist() == ["noting", "noting"]
    bad = presslab("analyze", str(SEED_FILE), "--out", str(tmp_path / "x"), "--quotes", "neural")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
