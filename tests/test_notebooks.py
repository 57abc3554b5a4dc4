"""Every notebook: paired, stripped, parameterised, and executed on seeds/ by `presslab run`."""

from __future__ import annotations

import json
from pathlib import Path

import jupytext
import nbformat
import pytest
from conftest import ROOT, SEEDS
from presslab.run import COMMON_PARAMETERS, list_notebooks, notebook_parameters, run

NOTEBOOKS = list_notebooks(ROOT / "notebooks")
NAMES = [p.stem for p in NOTEBOOKS]


def test_the_design_cards_notebooks_exist():
    for name in (
        "00_corpus",
        "01_actors",
        "02_figures",
        "03_framing",
        "10_article",
        "20_compare",
        "30_validation",
    ):
        assert name in NAMES


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_committed_without_outputs_and_paired(path: Path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, path.name
    paired = path.with_suffix(".py")
    assert paired.exists(), f"{path.name} has no py:percent pair"
    from_py = jupytext.read(paired)
    assert [c.source for c in from_py.cells] == [c.source for c in nb.cells], (
        f"{path.name} and {paired.name} differ: run `jupytext --sync {paired}`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_parameters_cell(path: Path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    params = notebook_parameters(path)
    assert set(COMMON_PARAMETERS) <= params
    for line in cells[0].source.splitlines():
        if line.strip() and not line.startswith("#"):
            assert ":" in line.split("=")[0] and "#" in line, f"untyped or uncommented: {line}"


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "r"
    manifest = run(SEEDS, out, jobs=2, progress=False)
    return out, manifest


@pytest.mark.slow
def test_every_notebook_runs_on_the_seed(seed_run):
    _out, manifest = seed_run
    failed = {j["notebook"]: j["error"] for j in manifest["notebooks"] if j["status"] != "ok"}
    assert not failed
    ran = {Path(j["notebook"]).stem for j in manifest["notebooks"]}
    assert ran == set(NAMES)
    for job in manifest["notebooks"]:
        html = Path(job["report"]).read_text(encoding="utf-8")
        assert "notebook.load_tables" not in html, "code is not hidden"
        folder = Path(job["parameters"]["plots"])
        for png in folder.glob("*.png"):
            assert png.with_suffix(".csv").exists(), f"{png.name} has no CSV beside it"
            assert png.stem in job["plots"] or png.name in job["plots"]


@pytest.mark.slow
def test_run_writes_index_manifest_and_tables(seed_run):
    out, manifest = seed_run
    index = (out / "index.html").read_text(encoding="utf-8")
    for job in manifest["notebooks"]:
        assert f"reports/{Path(job['report']).name}" in index
    saved = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert saved["ok"] is True
    assert saved["articles"] == {"000_979139c0287720a2": "ok"}
    assert len(saved["corpus_sha256"]) == 64
    assert saved["versions"]["papermill"] and saved["versions"]["nltk"]
    assert (out / "tables" / "articles.csv").exists()


@pytest.mark.slow
def test_00_corpus_plots_and_data(seed_run):
    out, _ = seed_run
    folder = out / "reports" / "00_corpus"
    by_date = (folder / "articles_by_date.csv").read_text().splitlines()
    assert by_date == ["date,n_articles", "2024-04-14,1"]
    html = (out / "reports" / "00_corpus.html").read_text(encoding="utf-8")
    assert html.count("data:image/png") >= 4, "inline plots missing from the report"


@pytest.mark.slow
def test_inline_plots_are_the_saved_pngs(seed_run):
    # Each plot is drawn once: the notebook shows the very PNG it saved beside its CSV.
    import base64
    import re

    out, _ = seed_run
    html = (out / "reports" / "01_actors.html").read_text(encoding="utf-8")
    shown = {
        base64.b64decode(data)
        for data in re.findall(r'<img[^>]+src="data:image/png;base64,([^"]+)"', html)
    }
    saved = {p.read_bytes() for p in (out / "reports" / "01_actors").glob("*.png")}
    assert len(saved) == 8
    assert saved <= shown


def test_save_plot_outside_a_notebook_keeps_the_figure(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd
    from presslab import notebook

    data = pd.DataFrame({"outlet": ["BBC", "Reuters"], "n_articles": [3, 1]})
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.bar(data["outlet"], data["n_articles"])
    png = notebook.save_plot(fig, data, "by_outlet", tmp_path)
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    # 4 x 2 inches at the saved resolution, cropped to the drawing by bbox_inches="tight".
    width = int.from_bytes(png.read_bytes()[16:20], "big")
    assert 0.8 * 4 * notebook.PLOT_DPI < width <= 4 * notebook.PLOT_DPI
    assert (tmp_path / "by_outlet.csv").read_text().splitlines() == [
        "outlet,n_articles",
        "BBC,3",
        "Reuters,1",
    ]
    # No inline backend here: the figure is left to the caller (plt.show or plt.close).
    assert plt.fignum_exists(fig.number)
    plt.close(fig)


@pytest.mark.slow
def test_kernels_start_quietly(tmp_path, capfd):
    out = tmp_path / "quiet"
    manifest = run(SEEDS, out, jobs=2, notebooks=["00_corpus"], progress=False)
    assert manifest["ok"] is True
    err = capfd.readouterr().err
    # Kernels talk over IPC sockets: no kernel warns that it runs over TCP without encryption.
    assert "without encryption" not in err
    # Their sockets live in a private temporary folder, never in the notebooks' folder.
    assert not list((ROOT / "notebooks").glob("kernel-*")), "IPC socket files left behind"


@pytest.mark.slow
def test_a_failed_analysis_runs_no_notebook(tmp_path, monkeypatch):
    # The first notebooks' kernels start while the analysis runs; when it fails they must stop
    # before running a cell, and the run reports the analysis error itself.
    import presslab.run as run_module

    def broken(*args, **kwargs):
        raise RuntimeError("the analysis broke")

    monkeypatch.setattr(run_module, "analyze_corpus", broken)
    out = tmp_path / "failed"
    with pytest.raises(RuntimeError, match="the analysis broke"):
        run(SEEDS, out, jobs=2, notebooks=["00_corpus", "01_actors"], progress=False)
    assert list((out / "notebooks").iterdir()) == []
    assert list((out / "reports").iterdir()) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_parameters_are_read_as_papermill_reads_them(path: Path):
    # `presslab run` reads the parameters cell itself (no papermill import before its
    # analysis starts); it must find the names papermill will inject.
    import papermill

    assert notebook_parameters(path) == set(papermill.inspect_notebook(str(path)))


def test_the_most_plotted_notebooks_go_first():
    import threading

    from presslab.run import _plot_count, _Slots

    assert _plot_count(ROOT / "notebooks" / "01_actors.ipynb") == 8
    assert _plot_count(ROOT / "notebooks" / "10_article.ipynb") == 1
    # One slot; the notebooks ranked 2, 0 and 1 are ready while it is taken: they then run
    # in rank order, whatever order they arrived in.
    slots, order, waiting = _Slots(1), [], []
    slots.acquire(99)

    def notebook(rank: int) -> None:
        slots.acquire(rank)
        order.append(rank)
        slots.release()

    for rank in (2, 0, 1):
        waiting.append(threading.Thread(target=notebook, args=(rank,), daemon=True))
        waiting[-1].start()
        for _ in range(500):  # until it waits (5 s at most)
            if len(slots._waiting) == len(waiting):
                break
            threading.Event().wait(0.01)
    slots.release()
    for thread in waiting:
        thread.join(5)
    assert order == [0, 1, 2]


@pytest.mark.slow
def test_kernels_are_forked_fresh_and_apart(tmp_path):
    # Each kernel is a fork of the zygote: its own process and session, in the folder asked
    # for, with the zygote's imports done but nothing in its namespace.
    import os

    import papermill
    from presslab.run import _kernel_manager_class, _Zygote

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import json, os, sys\n"
            "import matplotlib\n"
            "ipython = {'In', 'Out', 'exit', 'quit', 'get_ipython', 'open'}\n"
            "names = sorted(n for n in dir() if not n.startswith('_') and n not in ipython"
            " | {'ipython', 'json', 'os', 'sys', 'matplotlib'})\n"
            "print(json.dumps({'pid': os.getpid(), 'ppid': os.getppid(), 'sid': os.getsid(0),"
            " 'cwd': os.getcwd(), 'names': names, 'preloaded': 'pandas' in sys.modules,"
            " 'backend': matplotlib.get_backend()}))"
        )
    ]
    source = tmp_path / "probe.ipynb"
    nbformat.write(nb, source)
    zygote = _Zygote()
    try:
        manager = _kernel_manager_class(zygote)
        seen = []
        for number in range(2):
            out = tmp_path / f"out{number}.ipynb"
            papermill.execute_notebook(
                str(source),
                str(out),
                kernel_name="python3",
                progress_bar=False,
                resources={"metadata": {"path": str(tmp_path)}},
                kernel_manager_class=manager,
            )
            text = nbformat.read(out, as_version=4).cells[0].outputs[0]["text"]
            seen.append(json.loads(text))
        zygote_pid = zygote._proc.pid
    finally:
        zygote.close()
    assert seen[0]["pid"] != seen[1]["pid"]
    for kernel in seen:
        assert kernel["ppid"] == zygote_pid
        assert kernel["sid"] == kernel["pid"]
        assert kernel["cwd"] == str(tmp_path)
        assert kernel["names"] == []
        assert kernel["preloaded"] is True
        assert kernel["backend"] == "module://matplotlib_inline.backend_inline"
        with pytest.raises(ProcessLookupError):  # stopped with its notebook
            os.kill(kernel["pid"], 0)
