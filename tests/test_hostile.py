"""Hostile input through the real command line: every bad file costs one clear line in
errors.csv (and on stderr) naming it and the reason, every good article of the same run is
analysed, no traceback reaches the user, and no file is left half-written.

The files are generated here (nothing binary is committed); the good articles are news-style
text written for the tests (tests/cases/reliability.yaml) and the seed article.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT, SEED_FILE, load_cases
from spans import span_problems

CURLY = (
    "Minister rejects “final offer” from farmers’ union\n\n"
    "The agriculture minister on Thursday rejected what the farmers’ union called its "
    "“final offer” on import tariffs, saying it would cost consumers “far too much”.\n\n"
    "“We will not sign a deal that raises food prices,” she told reporters in Brussels — "
    "adding that talks would resume next week.\n"
)
HTML = (
    "<!DOCTYPE html><html><head><title>Bridge closed after barge strike</title>"
    "<style>p {color: red}</style><script>var tracking = 1;</script></head><body>"
    "<nav>Home | World | Business</nav><h1>Bridge closed after barge strike</h1>"
    "<p>The Hale Street bridge was closed on Sunday after a barge struck one of its piers, "
    "police said.</p><p>&ldquo;It is not safe for traffic until engineers have inspected it,"
    "&rdquo; said Inspector Ruth Alder. About 20,000 vehicles use the bridge each day.</p>"
    "</body></html>\n"
)
UNBALANCED = (
    "Mayor defends housing plan\n\n"
    "“We are building 2,000 homes in three years, said Mayor Lena Fischer on Monday, "
    "brushing aside critics who called the plan unrealistic.\n\n"
    "Her deputy said the first 500 would be ready by spring.” Others were less sure. "
    '"The money is not there, one councillor said.\n\n'
    "'We'll see, said a resident.\n"
)
NON_ASCII_NAME = "Überfall auf Kyjiw – café notes"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One `presslab analyze` over a folder of hostile and good files."""
    corpus = tmp_path_factory.mktemp("hostile") / "corpus"
    corpus.mkdir()
    good = dict(load_cases("reliability.yaml")["articles"])
    for name, text in good.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    (corpus / "seed.txt").write_bytes(SEED_FILE.read_bytes())
    # Bad: nothing to analyse, or not text.
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.txt").write_bytes(b" \n\t\n  \r\n")
    (corpus / "binary.txt").write_bytes(random.Random(8).randbytes(64 * 1024))
    # 10 MB of plausible text in one "article": refused as too long, with the reason.
    paragraph = good["council_budget"].split("\n\n", 1)[1]
    (corpus / "huge.txt").write_text(
        "Everything at once\n\n" + paragraph * (10_000_000 // len(paragraph) + 1), "utf-8"
    )
    # Good but awkward: encodings, markup, line endings, quotation marks, layout, names.
    (corpus / "cp1252.txt").write_bytes(CURLY.encode("cp1252"))
    (corpus / "utf16.txt").write_bytes(good["strike_talks"].encode("utf-16"))
    (corpus / "page.txt").write_text(HTML, encoding="utf-8")
    (corpus / "crlf.txt").write_bytes(good["quake_relief"].replace("\n", "\r\n").encode())
    (corpus / "unbalanced.txt").write_text(UNBALANCED, encoding="utf-8")
    (corpus / "headline_only.txt").write_text("Markets close higher on rate hopes\n", "utf-8")
    (corpus / f"{NON_ASCII_NAME}.txt").write_text(good["strike_talks"], encoding="utf-8")
    # A .jsonl with a good line, a line that is not JSON, one without text, one not an object.
    lines = [
        json.dumps({"id": "wire-1", "text": good["quake_relief"], "outlet": "Wire"}),
        '{"id": "wire-2", "text": "unterminated',
        json.dumps({"id": "wire-3", "headline": "No text here"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "wire-5", "text": CURLY, "date": "March 6, 2025"}),
    ]
    (corpus / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # A .csv without the text column.
    with (corpus / "table.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "body"])
        writer.writerow(["row-1", good["council_budget"]])
    out = corpus.parent / "out"
    result = subprocess.run(
        [sys.executable, "-m", "presslab", "analyze", str(corpus), "--out", str(out), "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return corpus, out, result


#: bad input -> words its line in errors.csv must contain
BAD = {
    "empty.txt": "empty",
    "blank.txt": "empty",
    "binary.txt": "binary",
    "huge.txt": "too long",
    "wire.jsonl:2": "not JSON",
    "wire.jsonl:3": "text",
    "wire.jsonl:4": "not a JSON object",
    "table.csv": "lacks column(s) text",
}
GOOD = [
    "council_budget",
    "strike_talks",
    "quake_relief",
    "seed",
    "cp1252",
    "utf16",
    "page",
    "crlf",
    "unbalanced",
    "headline_only",
    NON_ASCII_NAME,
    "wire-1",
    "wire-5",
]


def _errors(out):
    return pd.read_csv(out / "errors.csv", dtype=str, keep_default_na=False)


def _articles(out):
    return pd.read_csv(out / "articles.csv", dtype=str, keep_default_na=False).set_index(
        "article_id"
    )


def test_exit_code_and_no_traceback(run):
    _, _, result = run
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{len(GOOD)} articles analysed, {len(BAD)} errors" in result.stderr


def test_each_bad_input_is_one_clear_line(run):
    corpus, out, result = run
    errors = _errors(out)
    assert len(errors) == len(BAD), errors.to_string()
    for where, words in BAD.items():
        rows = errors[errors.file == f"{corpus.as_posix()}/{where}"]
        assert len(rows) == 1, where
        assert words in rows.reason.iloc[0], (where, rows.reason.iloc[0])
        # The same line on stderr, naming the file.
        assert f"error: {corpus.as_posix()}/{where}: " in result.stderr


def test_every_good_article_is_analysed(run):
    _, out, _ = run
    articles = _articles(out)
    assert sorted(articles.index) == sorted(GOOD)
    assert (articles.loc[GOOD, "n_sentences"].astype(int) > 0).all()


def test_encodings_markup_and_line_endings_are_decoded(run):
    _, out, _ = run
    articles = _articles(out)
    cp1252 = articles.loc["cp1252"]
    assert cp1252.encoding in {"cp1252", "windows-1252"}
    assert cp1252.headline == "Minister rejects “final offer” from farmers’ union"
    assert int(cp1252.n_chars) == len(CURLY)
    assert articles.loc["utf16", "encoding"] == "utf-16"
    assert articles.loc["utf16", "headline"] == articles.loc["strike_talks", "headline"]
    page = articles.loc["page"]
    assert page.encoding.endswith("+html") and page.headline == "Bridge closed after barge strike"
    crlf, plain = articles.loc["crlf"], articles.loc["quake_relief"]
    assert crlf.n_chars == plain.n_chars and crlf.sha256 == plain.sha256
    assert articles.loc[NON_ASCII_NAME, "sha256"] == articles.loc["strike_talks", "sha256"]
    headline_only = articles.loc["headline_only"]
    assert headline_only.headline == "Markets close higher on rate hopes"
    assert headline_only.n_words == "0"
    assert articles.loc["wire-5", "date"] == "2025-03-06"


def test_every_row_of_every_table_slices_back(run):
    from presslab.corpus import Article, load_corpus
    from presslab.tables import read_tables

    corpus, out, _ = run
    texts = {a.article_id: a.text for a in load_corpus(corpus) if isinstance(a, Article)}
    tables = read_tables(out)
    assert span_problems(tables, texts) == []
    sentences = tables["sentences"]
    page = sentences[sentences.article_id == "page"]
    assert all("<" not in texts["page"][s:e] for s, e in zip(page.start, page.end, strict=True))


def test_nothing_is_half_written(run):
    from presslab.schemas import SCHEMAS

    _, out, _ = run
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in SCHEMAS)
    for table, columns in SCHEMAS.items():
        header = (out / f"{table}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        assert header == ",".join(columns)


def test_a_failed_write_leaves_the_previous_file(tmp_path, monkeypatch):
    from presslab.tables import write_csv

    path = tmp_path / "mentions.csv"
    write_csv(pd.DataFrame({"surface": ["Gallant"]}), path)
    before = path.read_bytes()

    def broken(self, handle, **kwargs):
        handle.write("surface\nhalf a ro")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError):
        write_csv(pd.DataFrame({"surface": ["Lew"]}), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["mentions.csv"]


def test_unwritable_output_is_a_clear_error(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "presslab",
            "analyze",
            str(SEED_FILE),
            "--out",
            str(blocker),
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert str(blocker) in result.stderr
