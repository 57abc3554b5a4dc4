"""``presslab run``: analyse once, execute the notebooks with papermill, render HTML, index.

Notebooks run through papermill's Python API from this one process (its CLI costs seconds of
imports per call), several at a time; each gets the run's tables folder, the corpus and its
plots folder as string parameters, and per-article notebooks (those declaring ``article_id``)
also the article id. A notebook that fails is recorded in the index and the manifest, and the
rest go on.

What a run costs beyond the notebooks' own work is kept small:

* kernels are forked from a zygote (:class:`_Zygote`) that has imported ipykernel, pandas,
  matplotlib and presslab once, instead of each starting Python and importing them again;
* the analysis runs in a forked process (:func:`_analyze_aside`) while this one starts the
  zygote and the first notebooks' kernels, which wait for the tables before their first cell;
* more kernels start than notebooks run (``--jobs`` at once, :class:`_Slots`): the next
  notebook's kernel is up when a slot frees, and the notebooks with the most plots go first;
* kernels talk over IPC sockets; the executed notebook is written once, not after every cell;
  one exporter, its templates compiled while the analysis runs, renders the HTML in a
  background thread while other notebooks still run.
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from presslab import __version__, paths
from presslab.errors import RunError
from presslab.notebook import code_hash, corpus_hash

#: Per-article reports rendered when neither ``articles`` nor ``sample`` is given and the corpus
#: is larger than this (a report per article of a 20,000-article corpus helps nobody).
DEFAULT_ARTICLE_REPORTS = 20
#: Every notebook must declare these parameters; per-article notebooks also ``article_id``.
COMMON_PARAMETERS = ("tables", "corpus", "plots")
PACKAGES = (
    "presslab",
    "nltk",
    "pandas",
    "numpy",
    "matplotlib",
    "papermill",
    "nbconvert",
    "jupytext",
    "networkx",
    "pycountry",
    "nameparser",
    "vadersentiment",
    "krippendorff",
    "charset-normalizer",
    "pyyaml",
    "dask",
    "distributed",
)


@dataclass
class NotebookJob:
    """One notebook execution: which notebook, for which article, with what outcome."""

    notebook: str
    parameters: dict[str, str]
    output: str
    report: str
    article_id: str | None = None
    status: str = "pending"
    error: str = ""
    seconds: float = 0.0
    plots: list[str] = field(default_factory=list)


def list_notebooks(folder: Path = paths.NOTEBOOKS) -> list[Path]:
    """The project's notebooks, in name order."""
    return sorted(folder.glob("[0-9]*.ipynb"))


def _papermill():
    """papermill, imported without the optional ``rfc3987_syntax`` package.

    Through nbformat, papermill imports jsonschema, whose format checkers import
    ``rfc3987_syntax`` when it is installed; that builds 38 lark grammars at import, most of a
    second of CPU before any notebook can start, for an ``iri`` format that no notebook schema
    uses (nbformat validates with no format checker). Hidden for that one import, it is treated
    as absent (jsonschema expects an ImportError); anything importing it later gets it.
    """
    if "papermill" not in sys.modules and "jsonschema" not in sys.modules:
        hidden = "rfc3987_syntax" not in sys.modules
        if hidden:
            sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
        try:
            import papermill
        finally:
            if hidden and sys.modules.get("rfc3987_syntax", 0) is None:
                del sys.modules["rfc3987_syntax"]
    import papermill

    return papermill


def notebook_parameters(path: Path) -> set[str]:
    """The names declared in a notebook's ``parameters`` cell: those it assigns at top level,
    as papermill's Python translator finds them, read without importing papermill (a third of
    a second, which a run then spends while its analysis runs)."""
    import ast

    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        source = cell.get("source", "")
        try:
            body = ast.parse(source if isinstance(source, str) else "".join(source)).body
        except SyntaxError as exc:
            raise RunError(
                f"{Path(path).name}: the parameters cell is not valid Python: {exc}"
            ) from None
        names = set()
        for node in body:
            targets = [node.target] if isinstance(node, ast.AnnAssign) else []
            targets += node.targets if isinstance(node, ast.Assign) else []
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        return names
    return set()


def safe_name(text: str) -> str:
    """A file-name-safe form of an article id (readable, stable, unique enough with a hash)."""
    import hashlib

    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:60] or "article"
    if slug != text:
        slug += "-" + hashlib.sha1(text.encode()).hexdigest()[:8]
    return slug


def choose_articles(
    ids: list[str], articles: list[str] | None, sample: int | None, seed: int = 0
) -> list[str]:
    """Which articles get a per-article report: those named, a seeded sample, or all of a small
    corpus (at most :data:`DEFAULT_ARTICLE_REPORTS`, a seeded sample beyond)."""
    if articles:
        unknown = sorted(set(articles) - set(ids))
        if unknown:
            raise RunError(f"--articles names ids not in the corpus: {', '.join(unknown[:5])}")
        return [a for a in ids if a in set(articles)]
    limit = sample if sample is not None else DEFAULT_ARTICLE_REPORTS
    if len(ids) <= limit:
        return list(ids)
    return sorted(random.Random(seed).sample(sorted(ids), limit))


def _git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return commit + ("+dirty" if commit and dirty else "")


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = ""
    return out


class _Gate:
    """Holds the notebooks back until the tables they read are written.

    Kernels may start while the analysis runs (their start-up overlaps it); the first cell of a
    notebook waits here. When the analysis fails, every waiting notebook stops before running
    anything, and papermill shuts its kernel down.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._failed = False

    def open(self) -> None:
        self._event.set()

    def fail(self) -> None:
        """Stop the notebooks still waiting (nothing, once the gate is open)."""
        if not self._event.is_set():
            self._failed = True
            self._event.set()

    def wait(self) -> None:
        self._event.wait()
        if self._failed:
            raise RunError("the analysis failed: no notebook is run")


class _Slots:
    """At most ``n`` notebooks execute at once, the lowest-ranked waiting one first.

    More kernels start than run: a notebook's kernel starts while others execute, and the
    notebook waits here before its first cell, so that a core never sits idle while a kernel
    starts up; the rank (the order the run chose, longest notebooks first) decides which of the
    ready notebooks goes next.
    """

    def __init__(self, n: int) -> None:
        self._cond = threading.Condition()
        self._free = max(1, n)
        self._waiting: list[int] = []

    def acquire(self, rank: int) -> None:
        import heapq

        with self._cond:
            heapq.heappush(self._waiting, rank)
            self._cond.wait_for(lambda: self._free > 0 and self._waiting[0] == rank)
            heapq.heappop(self._waiting)
            self._free -= 1
            self._cond.notify_all()

    def release(self) -> None:
        with self._cond:
            self._free += 1
            self._cond.notify_all()


class _Exporter:
    """Renders executed notebooks to HTML in one background thread, with one exporter: its
    templates are compiled once, and rendering overlaps the kernels still running."""

    def __init__(self, tick=None) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="presslab-html")
        self._exporter = None
        self._tick = tick
        self._futures: list = []
        self.done = 0

    def submit(self, job: NotebookJob, started: float) -> None:
        self._futures.append(self._pool.submit(self._render, job, started))

    def warm_up(self) -> None:
        """Import nbconvert and compile its templates now, while the analysis runs, rather
        than when the first notebook is done (half a second then)."""
        self._futures.append(self._pool.submit(self._warm_up))

    def _warm_up(self) -> None:
        import contextlib

        import nbformat

        # Any real failure shows on the first real notebook.
        with contextlib.suppress(Exception):
            self._html_exporter().from_notebook_node(nbformat.v4.new_notebook())

    def _html_exporter(self):
        if self._exporter is None:
            from nbconvert import HTMLExporter

            self._exporter = HTMLExporter(
                exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
            )
        return self._exporter

    def _render(self, job: NotebookJob, started: float) -> None:
        try:
            if Path(job.output).exists():
                body, _ = self._html_exporter().from_filename(job.output)
                Path(job.report).write_text(body, encoding="utf-8")
        except Exception as exc:
            job.status = "failed"
            job.error = job.error or f"rendering HTML failed: {_short_error(exc)}"
        plots = Path(job.parameters["plots"])
        job.plots = sorted(p.name for p in plots.glob("*.png")) if plots.exists() else []
        job.seconds = round(time.perf_counter() - started, 2)
        self.done += 1
        if self._tick is not None:
            self._tick()

    def close(self) -> None:
        for future in self._futures:
            future.result()
        self._pool.shutdown()


def _kernel_config(sockets: Path, number: int):
    """Kernel settings for one notebook: IPC sockets in a private folder instead of TCP ports
    on localhost (nothing leaves the machine, and the kernel has no reason to warn that it is
    "running over TCP without encryption"). Where IPC sockets cannot be used (not a POSIX
    system, or a temporary folder whose path is too long for a socket name), TCP as before."""
    from traitlets.config import Config

    # A Unix socket's path holds at most 107 bytes; jupyter_client appends "-<port number>".
    if os.name != "posix" or len(str(sockets)) > 80:
        return Config()
    return Config({"KernelManager": {"transport": "ipc", "ip": str(sockets / f"k{number}")}})


#: The kernel zygote (see :class:`_Zygote`), run as ``python [flags] -c``: it imports what every
#: kernel imports (ipykernel, IPython, pandas, matplotlib's pyplot) once, then forks a kernel for
#: each request read from stdin (one JSON line: argv, env, cwd) and answers with its pid. The
#: child starts its own session (as ``jupyter_client`` does for a kernel), tells the zygote so
#: (its pid is then its process group), takes the request's folder and environment, and runs
#: ``ipykernel``'s entry point as ``python -m ipykernel_launcher`` would. Nothing here starts a
#: thread or opens a socket before the fork: those are the kernel's own, made in the child.
_ZYGOTE = r"""
import json, os, signal, sys
if sys.path and sys.path[0] == "":
    del sys.path[0]
if not os.environ.get("MPLBACKEND"):
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
import importlib, importlib.util
# What a kernel imports as it initialises (its debugger support, pdb) as well as to start.
import ipykernel.debugger, ipykernel.ipkernel, ipykernel.kernelapp, ipykernel.zmqshell, pdb
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception:  # the kernel that needs it will say why
        pass
launcher = importlib.util.find_spec("ipykernel_launcher").origin
# What is imported stays: out of the garbage collector's sight, it is not scanned (and its
# pages not copied) in every kernel.
import gc
gc.freeze()

def kernel(request, ready):
    os.setsid()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.write(ready, b"1")
    os.close(ready)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)  # the zygote's stdout answers the run: the kernel's goes to stderr
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # ipykernel read JPY_PARENT_PID as it was imported (here, in the zygote): given again, so
    # that the kernel watches its parent and stops with it.
    parent = str(os.getppid())
    os.environ["JPY_PARENT_PID"] = parent
    # A fork shares the zygote's random state: NumPy's is drawn anew, as in a new process
    # (Python's random module does so itself after a fork).
    import numpy.random
    numpy.random.seed()
    sys.argv = [launcher, *request["argv"], "--IPKernelApp.parent_handle=" + parent]
    from ipykernel.kernelapp import launch_new_instance
    launch_new_instance()

# Kernels are not waited for (their manager watches them); Ctrl-C in the terminal is for the
# run, which stops the zygote (or, gone, closes its stdin).
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
for line in sys.stdin.buffer:
    request = json.loads(line)
    ready_r, ready_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(ready_r)
            kernel(request, ready_w)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            import traceback
            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(ready_w)
    os.read(ready_r, 1)
    os.close(ready_r)
    sys.stdout.write(f"{pid}\n")
    sys.stdout.flush()
"""


#: What the zygote imports for its kernels: what every notebook imports (pandas and pyplot, as
#: :data:`KERNEL_WARM_UP`) and the presslab modules the notebooks use. Not
#: ``matplotlib_inline``: it hooks itself into the IPython shell it finds as it is imported,
#: and only the kernel has one.
ZYGOTE_IMPORTS = (
    "pandas",
    "matplotlib.pyplot",
    "IPython.display",
    "networkx",
    "presslab.notebook",
    "presslab.overview",
    "presslab.actors",
    "presslab.figures",
    "presslab.framing",
    "presslab.annotate",
    "presslab.sources",
    "presslab.compare",
    "presslab.validation",
)


class _ForkedKernel:
    """A kernel forked by the zygote, seen through the part of :class:`subprocess.Popen` that
    ``jupyter_client`` uses. It is not this process's child: it is watched and signalled
    through a pidfd (so a recycled pid is never signalled), and its exit status is unknown
    (0 once it has exited)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._fd = os.pidfd_open(pid)
        except ProcessLookupError:  # gone already (a kernel that failed as it started)
            self.returncode = 0

    def _exited(self, timeout: float | None) -> bool:
        import select

        if self.returncode is None and select.select([self._fd], [], [], timeout)[0]:
            self.returncode = 0
            os.close(self._fd)
        return self.returncode is not None

    def poll(self) -> int | None:
        self._exited(0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if not self._exited(timeout):
            raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
        return 0

    def send_signal(self, signum: int) -> None:
        if not self._exited(0):
            import signal

            signal.pidfd_send_signal(self._fd, signum)

    def kill(self) -> None:
        import signal

        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        import signal

        self.send_signal(signal.SIGTERM)


class _Zygote:
    """Starts kernels by forking a process that has their imports done.

    A kernel started as ``python -m ipykernel_launcher`` spends about 0.4 s of CPU starting
    Python, IPython and ipykernel, and every presslab notebook then imports pandas and
    matplotlib (another 0.4 s); on a small corpus that is most of a run. The zygote pays this
    once and each kernel is a fork of it: a process of its own, in its own session, with a
    fresh namespace, started from the kernel spec's own Python and flags. Where a kernel
    cannot be forked (no ``os.fork`` or pidfd, a kernel spec that is not ``ipykernel``, the
    zygote gone), it is started as usual.
    """

    def __init__(self, kernel_name: str = "python3") -> None:
        self._lock = threading.Lock()
        self._proc = None
        self._prefix: list[str] = []
        if not (hasattr(os, "fork") and hasattr(os, "pidfd_open")):
            return
        try:
            from jupyter_client.kernelspec import KernelSpecManager

            argv = KernelSpecManager().get_kernel_spec(kernel_name).argv
            at = argv.index("-m")
            if argv[at + 1] != "ipykernel_launcher":
                return
            self._prefix = [*argv[:at], "-m", "ipykernel_launcher"]
            self._proc = subprocess.Popen(
                [*argv[:at], "-c", _ZYGOTE, *ZYGOTE_IMPORTS],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        except Exception:
            self._proc = None

    def fork(self, cmd: list[str], env: dict[str, str], cwd: str) -> _ForkedKernel | None:
        """A kernel for this command line, or None when it must be started as usual."""
        if self._proc is None or cmd[: len(self._prefix)] != self._prefix:
            return None
        request = {"argv": cmd[len(self._prefix) :], "env": env, "cwd": str(cwd)}
        with self._lock:
            try:
                self._proc.stdin.write(json.dumps(request).encode() + b"\n")
                self._proc.stdin.flush()
                return _ForkedKernel(int(self._proc.stdout.readline()))
            except (OSError, ValueError):
                self.close()
                return None

    def close(self) -> None:
        if self._proc is not None:
            proc, self._proc = self._proc, None
            # It holds nothing worth a clean exit (its kernels are stopped one by one, and
            # each watches it as its parent): stopped at once, not waited for to unload pandas.
            proc.kill()
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                stream.close()


def _kernel_manager_class(zygote: _Zygote):
    """A kernel manager class that asks ``zygote`` for its kernel."""
    from jupyter_client import AsyncKernelManager

    class ZygoteKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
            cwd = kw.get("cwd") or os.getcwd()
            process = zygote.fork(kernel_cmd, kw.get("env") or dict(os.environ), cwd)
            if process is None:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            provisioner = self.provisioner
            provisioner.process = process
            provisioner.pid = provisioner.pgid = process.pid
            provisioner.cwd = cwd
            self._reconcile_connection_info(provisioner.connection_info)

    return ZygoteKernelManager


#: Run in each kernel as it starts, before the notebook: the imports every notebook makes
#: anyway, so that a kernel started early (while the analysis runs) has them done. A statement
#: with no value, leaving no name behind: the notebook's namespace is as if it had not run.
KERNEL_WARM_UP = "import pandas, matplotlib.pyplot; del pandas, matplotlib"


def _execute(
    job: NotebookJob,
    cwd: Path,
    gate: _Gate,
    exporter: _Exporter,
    sockets: Path,
    number: int,
    manager: type | None = None,
    slots: _Slots | None = None,
) -> NotebookJob:
    papermill = _papermill()
    started = time.perf_counter()
    waited = [0.0]
    running = [False]  # holds a slot
    began = [False]  # its first cell has run
    # The code cells the kernel will run: the notebook's own and the one papermill adds with
    # the parameters. After the last, the next notebook may start: this one's kernel is only
    # stopped and its notebook written.
    remaining = [_code_cells(job.notebook) + (1 if job.parameters else 0)]

    def release() -> None:
        if running[0] and slots is not None:
            running[0] = False
            slots.release()

    def executed(**_cell) -> None:
        remaining[0] -= 1
        if remaining[0] <= 0:
            release()

    def hold(**_cell) -> None:
        # Before each code cell: the first one waits while the analysis runs, then for its
        # turn to execute (its kernel is up by then).
        if began[0]:
            return
        clock = time.perf_counter()
        gate.wait()
        if slots is not None:
            slots.acquire(number)
        began[0] = running[0] = True
        waited[0] += time.perf_counter() - clock

    try:
        papermill.execute_notebook(
            job.notebook,
            job.output,
            parameters=job.parameters,
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            # The executed notebook is written once at the end (and on failure), not after
            # every cell: those saves serialise the whole notebook, plots included, each time.
            request_save_on_cell_execute=False,
            # The kernel's working folder, set for its process alone: papermill's own ``cwd``
            # changes this process's folder, which threads running side by side would race on.
            resources={"metadata": {"path": str(cwd)}},
            config=_kernel_config(sockets, number),
            extra_arguments=[f"--IPKernelApp.exec_lines={KERNEL_WARM_UP}"],
            on_cell_execute=hold,
            on_cell_executed=executed,
            # Once the last cell's outputs are in, nothing in the kernel is needed: it is
            # stopped at once instead of asked to shut down and waited for (a fraction of a
            # second per notebook, in which its worker would start nothing).
            shutdown_kernel="immediate",
            **({"kernel_manager_class": manager} if manager is not None else {}),
        )
        job.status = "ok"
    except Exception as exc:
        job.status = "failed"
        job.error = _short_error(exc)
    finally:
        release()
    exporter.submit(job, started + waited[0])
    return job


def analyze_corpus(corpus: str | Path, out: str | Path, **options):
    """:func:`presslab.tables.analyze_corpus`, imported when called: pandas and the analysis
    modules take a third of a second to import, which ``presslab run`` spends in the process
    that analyses (see :func:`_analyze_aside`) while this one starts the kernels' zygote."""
    from presslab.tables import analyze_corpus as analyze

    return analyze(corpus, out, **options)


def _analyze_aside(corpus: Path, tables_dir: Path, **options):
    """Start :func:`analyze_corpus` in a forked process; returns a function that waits for it
    and returns its tables (or raises its error), or None when this process cannot fork
    safely (no ``os.fork``, or threads already running here).

    A run's own process spends the analysis talking to kernels and rendering HTML; both hold
    its interpreter lock, so an analysis run beside them in a thread waits for it, and they
    wait for the analysis. Forked before any thread starts, the analysis has a core to itself.
    """
    import pickle

    if not hasattr(os, "fork") or threading.active_count() > 1:
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the analysis
        try:
            os.close(read_end)
            try:
                analyze_corpus(corpus, tables_dir, **options)
                outcome = None
            except BaseException as exc:
                outcome = exc
            try:
                data = pickle.dumps(outcome)
            except Exception:
                data = pickle.dumps(RunError(f"the analysis failed: {_short_error(outcome)}"))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(0)
    os.close(write_end)

    def tables():
        from presslab.tables import TablesOnDisk

        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if not data:
            raise RunError(f"the analysis stopped before its end (wait status {status})")
        try:
            outcome = pickle.loads(data)
        except Exception as exc:  # an exception that cannot be rebuilt here
            raise RunError(f"the analysis failed ({_short_error(exc)})") from None
        if outcome is not None:
            raise outcome
        return TablesOnDisk(tables_dir)

    return tables


def _code_cells(path: str | Path) -> int:
    """How many code cells of a notebook run (those with code in them)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return sum(
        1
        for cell in nb.get("cells", [])
        if cell.get("cell_type") == "code" and "".join(cell.get("source", "")).strip()
    )


def _plot_count(path: Path) -> int:
    """How many plots a notebook saves: most of what a notebook costs, so notebooks with more
    start first and the short ones fill in at the end."""
    return path.read_text(encoding="utf-8").count("save_plot(")


def _analysis_forks(corpus: Path, jobs: int, engine: str) -> bool:
    """Whether the analysis may run in worker processes (so that no thread may run beside it):
    with more than one job, unless the corpus is a few ``.txt`` files, which
    :func:`presslab.tables.analyze_corpus` analyses in this process."""
    if engine != "local":
        return True
    if jobs <= 1:
        return False
    from presslab.corpus import iter_sources

    try:
        files = [path for path, _ in iter_sources(corpus)]
    except Exception:
        return True
    from presslab.tables import CHUNK

    return len(files) > CHUNK or any(path.suffix.lower() != ".txt" for path in files)


def _short_error(exc: BaseException) -> str:
    text = str(exc)
    # papermill's PapermillExecutionError carries the cell's exception name and value.
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        text = f"{ename}: {evalue}"
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return text.strip().splitlines()[-1][:500] if text.strip() else type(exc).__name__


def run(
    corpus: str | Path,
    out: str | Path,
    *,
    jobs: int = 2,
    notebooks: list[str] | None = None,
    articles: list[str] | None = None,
    sample: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool = True,
    report_error=None,
    quotes: str = "rules",
) -> dict:
    """Analyse ``corpus`` into ``out/tables``, execute the notebooks, render ``out/reports``,
    write ``out/index.html`` and ``out/manifest.json``. Returns the manifest. ``quotes``: how
    quotes are found (:data:`presslab.tables.QUOTE_METHODS`)."""
    corpus = Path(corpus).resolve()
    out = Path(out).resolve()
    if out.exists():
        raise RunError(
            f"{out}: this run folder exists already; a run never overwrites another "
            "(choose a new --out)"
        )
    if not corpus.exists():
        raise RunError(f"{corpus}: no such corpus file or folder")
    available = {p.stem: p for p in list_notebooks()}
    chosen = notebooks or list(available)
    unknown = [n for n in chosen if n not in available]
    if unknown:
        raise RunError(f"unknown notebook(s) {', '.join(unknown)}; known: {', '.join(available)}")
    # The kernels' zygote starts first: its imports run beside everything up to the notebooks.
    zygote = _Zygote()
    try:
        declared = {name: notebook_parameters(available[name]) for name in chosen}
        for name, params in declared.items():
            missing = [p for p in COMMON_PARAMETERS if p not in params]
            if missing:
                raise RunError(
                    f"notebooks/{name}.ipynb declares no parameter(s) {missing} in its "
                    "parameters cell"
                )
        tables_dir, executed, reports = out / "tables", out / "notebooks", out / "reports"
        for folder in (tables_dir, executed, reports):
            folder.mkdir(parents=True)
    except BaseException:
        zygote.close()
        raise
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    timings: dict[str, float] = {}
    base = {"tables": str(tables_dir), "corpus": str(corpus)}

    def make_job(name: str, article_id: str | None) -> NotebookJob:
        stem = name if article_id is None else f"{name}--{safe_name(article_id)}"
        params = {**base, "plots": str(reports / stem)}
        if article_id is not None:
            params["article_id"] = str(article_id)
        return NotebookJob(
            notebook=str(available[name]),
            parameters=params,
            output=str(executed / f"{stem}.ipynb"),
            report=str(reports / f"{stem}.html"),
            article_id=article_id,
        )

    gate = _Gate()
    bar = None
    exporter = _Exporter(tick=lambda: bar.update(1) if bar is not None else None)
    # Twice as many threads as notebooks executing at once: each thread's kernel starts up
    # while the notebooks before it execute (see _Slots).
    pool = ThreadPoolExecutor(max_workers=2 * max(1, jobs), thread_name_prefix="presslab-nb")
    slots = _Slots(jobs)
    sockets = Path(tempfile.mkdtemp(prefix="presslab-kernels-"))
    counter = itertools.count()

    def submit(job: NotebookJob):
        return pool.submit(
            _execute, job, paths.NOTEBOOKS, gate, exporter, sockets, next(counter), manager, slots
        )

    early: dict[str, NotebookJob] = {}
    futures = []
    options = {
        "jobs": jobs,
        "engine": engine,
        "scheduler": scheduler,
        "progress": progress,
        "report_error": report_error,
        "quotes": quotes,
    }
    aside = None
    manager = None
    try:
        if engine == "local":
            # First, before any thread starts here.
            aside = _analyze_aside(corpus, tables_dir, **options)
        manager = _kernel_manager_class(zygote)
        if aside is not None or not _analysis_forks(corpus, jobs, engine):
            # The notebooks that are not per article start now: their kernels start up while
            # the analysis runs, and wait (gate) before their first cell. Not when the analysis
            # runs here and forks worker processes: no thread may run in a process that forks.
            for name in sorted(chosen, key=lambda n: -_plot_count(available[n])):
                if "article_id" not in declared[name]:
                    early[name] = make_job(name, None)
                    futures.append(submit(early[name]))
            exporter.warm_up()
        clock = time.perf_counter()
        tables = aside() if aside is not None else analyze_corpus(corpus, tables_dir, **options)
        timings["analyze"] = round(time.perf_counter() - clock, 2)

        ids = [str(a) for a in tables["articles"]["article_id"]]
        per_article = choose_articles(ids, articles, sample)
        jobs_list: list[NotebookJob] = []
        for name in chosen:
            if name in early:
                jobs_list.append(early[name])
                continue
            targets = per_article if "article_id" in declared[name] else [None]
            for article_id in targets:
                job = make_job(name, article_id)
                jobs_list.append(job)
                futures.append(submit(job))
        if progress:
            from tqdm import tqdm

            bar = tqdm(
                total=len(jobs_list),
                initial=exporter.done,
                desc="notebooks",
                unit="nb",
                file=sys.stderr,
                disable=None,
            )
        clock = time.perf_counter()
        gate.open()
        for future in futures:
            future.result()
    finally:
        # After an error before the gate opened (the analysis failed, or --articles names an
        # unknown id), the kernels started early stop before running anything.
        gate.fail()
        pool.shutdown(cancel_futures=True)
        exporter.close()
        if bar is not None:
            bar.close()
        zygote.close()
        shutil.rmtree(sockets, ignore_errors=True)
    timings["notebooks"] = round(time.perf_counter() - clock, 2)

    errors = tables["errors"]
    failed_files = set(errors["file"].astype(str))
    status = {}
    for row in tables["articles"].itertuples():
        problems = errors[errors["file"] == row.path]["reason"].tolist()
        status[str(row.article_id)] = "ok" if not problems else "; ".join(problems)
    manifest = {
        "presslab": __version__,
        "started": started_at,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "parameters": {
            "corpus": str(corpus),
            "out": str(out),
            "jobs": jobs,
            "notebooks": chosen,
            "articles": per_article,
            "articles_requested": articles or [],
            "sample": sample,
            "article_selection": (
                "named" if articles else "sample" if len(per_article) < len(ids) else "all"
            ),
            "engine": engine,
            "scheduler": scheduler,
            "quotes": quotes,
        },
        "corpus_sha256": corpus_hash(corpus),
        # git commit alone misses an uncommitted codebook or code edit; this hash does not.
        "code_sha256": code_hash(),
        "n_articles": len(ids),
        "articles": status,
        "load_errors": errors.to_dict(orient="records"),
        "notebooks": [asdict(j) for j in jobs_list],
        "versions": _versions(),
        "git_commit": _git_commit(),
        "timings": timings,
        "ok": not failed_files and all(j.status == "ok" for j in jobs_list),
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    from presslab.report import render_index

    (out / "index.html").write_text(render_index(manifest, tables), encoding="utf-8")
    return manifest
