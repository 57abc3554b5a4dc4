"""The Dask engine: the per-article analysis on a dask.distributed cluster.

``presslab analyze CORPUS --out DIR --engine dask [--scheduler ADDRESS]`` sends the articles to
a cluster in batches; without an address it starts a local cluster of ``--jobs`` worker
processes. Results come back in corpus order, so the tables are byte-identical to the local
engine's. The corpus is streamed: only a bounded number of batches are in flight at once, so
memory does not grow with the corpus (the tables are gathered, and written, by the client).

On a real cluster::

    # on one machine (the scheduler; port 8786)
    dask scheduler
    # on every worker machine: same Python, same presslab and library versions (make setup)
    dask worker tcp://SCHEDULER:8786 --nworkers 4 --nthreads 1
    # where the corpus is (the client): loads the articles, sends them, writes the tables
    presslab analyze CORPUS --out DIR --engine dask --scheduler tcp://SCHEDULER:8786

The client reads the corpus and sends the article texts with the tasks, and receives the
tables back, so workers need no access to the corpus or the output folder (no shared storage).
Use one thread per worker process: the analysis is pure Python and holds the GIL. The
notebooks and reports (``presslab run``) always run locally, on the tables.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from presslab.corpus import Article, LoadError
from presslab.errors import RunError

T = TypeVar("T")

#: Articles per task: large enough that scheduling costs (about a millisecond a task) vanish
#: beside the analysis (several milliseconds an article), small enough to balance the workers.
BATCH_SIZE = 32
#: Batches in flight per worker: keeps every worker busy while bounding memory.
IN_FLIGHT_PER_WORKER = 3


def _run_batch(func: Callable[[Any], T], batch: list[Any]) -> list[T]:
    """Run ``func`` on every item of a batch (on a worker)."""
    return [func(item) for item in batch]


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _failed(item: Any, reason: str) -> LoadError:
    """The error that stands for an item whose batch the cluster could not run."""
    if isinstance(item, LoadError):
        return item
    if isinstance(item, Article):
        return LoadError(item.path or item.article_id, reason)
    return LoadError(str(item), reason)


def map_articles(
    func: Callable[[Any], T],
    items: Iterable[Any],
    *,
    scheduler: str | None = None,
    jobs: int = 1,
    batch_size: int = BATCH_SIZE,
    failed: Callable[[Any, str], Any] | None = None,
) -> Iterator[T | LoadError]:
    """``func`` applied to every item on a Dask cluster, yielded in the items' order.

    ``scheduler`` is the address of a running scheduler (``tcp://host:8786``); without it a
    local cluster of ``jobs`` single-threaded worker processes runs for the duration of the
    call. A batch the cluster cannot run (a worker killed, say) yields, for each item,
    ``failed(item, reason)`` (default: a :class:`LoadError` naming the reason), and the rest
    goes on.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask is a dependency
        raise RunError(f"the Dask engine needs dask.distributed ({exc})") from None

    cluster = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise RunError(
                    f"cannot reach the Dask scheduler at {scheduler} ({exc}); "
                    "is `dask scheduler` running there?"
                ) from None
        else:
            cluster = LocalCluster(
                n_workers=max(1, jobs),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                # (a worker's heartbeat racing the scheduler's shutdown logs an error with a
                # traceback, seen in a clean-clone CI run; a task's own failure reaches the
                # run as its future's exception, reported per article, so nothing is lost)
                silence_logs=logging.CRITICAL,
            )
            client = Client(cluster)
        with client:
            n_workers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
            yield from _stream(
                client, func, items, batch_size, n_workers * IN_FLIGHT_PER_WORKER, failed or _failed
            )
    finally:
        if cluster is not None:
            cluster.close()


def _stream(
    client: Any,
    func: Callable[[Any], T],
    items: Iterable[Any],
    batch_size: int,
    limit: int,
    failed: Callable[[Any, str], Any],
) -> Iterator[T | LoadError]:
    # Submit ahead up to ``limit`` batches, then take results in submission order: order is
    # what makes the tables identical to the local engine's.
    pending: deque[tuple[Any, list[Any]]] = deque()
    batches = _batches(items, batch_size)
    for batch in batches:
        # pure=False: two identical batches (say, a replicated corpus) are still two tasks.
        pending.append((client.submit(_run_batch, func, batch, pure=False), batch))
        if len(pending) >= limit:
            yield from _take(*pending.popleft(), failed)
    while pending:
        yield from _take(*pending.popleft(), failed)


def _take(future: Any, batch: list[Any], failed: Callable[[Any, str], Any]) -> list[Any]:
    try:
        return future.result()
    except Exception as exc:  # a lost batch is reported per article
        reason = f"Dask task failed: {type(exc).__name__}: {exc}"
        return [failed(item, reason) for item in batch]
    finally:
        future.release()
