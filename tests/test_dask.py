"""The Dask engine: on a LocalCluster of two workers, the tables are byte-identical to the local
engine's, in corpus order, with bad files reported the same way."""

from __future__ import annotations

import json

import pytest
from conftest import SEED_FILE, load_cases

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of two single-threaded worker processes (as a user's cluster would be)."""
    import logging

    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as local:
        yield local


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Enough articles for several batches on each worker, a .jsonl and bad files."""
    folder = tmp_path_factory.mktemp("dask-corpus")
    articles = load_cases("reliability.yaml")["articles"]
    articles["seed"] = SEED_FILE.read_text(encoding="utf-8")
    for copy in range(12):
        for name, text in articles.items():
            (folder / f"{name}-{copy:02d}.txt").write_text(text, encoding="utf-8")
    lines = [
        json.dumps({"id": f"wire-{n}", "text": text, "outlet": "Wire"})
        for n, text in enumerate(articles.values())
    ]
    lines.insert(1, "{not json")
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def test_dask_tables_are_byte_identical_to_local(cluster, corpus, tmp_path):
    from presslab.tables import analyze_corpus

    local, dask = tmp_path / "local", tmp_path / "dask"
    analyze_corpus(corpus, local, jobs=1)
    analyze_corpus(corpus, dask, engine="dask", scheduler=cluster.scheduler_address)
    local_files, dask_files = _files(local), _files(dask)
    assert sorted(local_files) == sorted(dask_files)
    assert [n for n in local_files if local_files[n] != dask_files[n]] == []
    articles = (local / "articles.csv").read_text(encoding="utf-8").splitlines()
    assert len(articles) == 1 + 12 * 4 + 4
    errors = (dask / "errors.csv").read_text(encoding="utf-8")
    assert "wire.jsonl:2" in errors and "empty.txt" in errors


def test_map_articles_keeps_order_across_batches(cluster):
    from operator import attrgetter

    from presslab.corpus import article_from_text
    from presslab.engine_dask import map_articles

    items = [
        article_from_text(f"Headline {n}\n\nThe mayor said {n} people came.", f"a{n:02d}")
        for n in range(11)
    ]
    # attrgetter pickles by reference, so the workers need nothing from this test module.
    ids = map_articles(
        attrgetter("article_id"), items, scheduler=cluster.scheduler_address, batch_size=3
    )
    assert list(ids) == [f"a{n:02d}" for n in range(11)]


def test_local_cluster_started_by_the_engine(corpus, tmp_path):
    """Without --scheduler, `--engine dask` starts (and stops) its own cluster of --jobs workers."""
    import subprocess
    import sys

    out = tmp_path / "out"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "presslab",
            "analyze",
            str(corpus),
            "--out",
            str(out),
            "--engine",
            "dask",
            "--jobs",
            "2",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1  # the two bad inputs
    assert "Traceback" not in result.stderr
    assert "52 articles analysed, 2 errors" in result.stderr
