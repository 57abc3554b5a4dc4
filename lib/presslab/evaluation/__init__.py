"""Scoring presslab's extractors on public gold data (``make eval``).

Each task has a module here exposing ``evaluate(eval_dir: Path, work_dir: Path) -> list[dict]``
with rows ``{"task", "dataset", "system", "metric", "value", "n"}``; peer tools appear as other
``system`` values. A module raises :class:`Skip` when its data (or a peer tool) is absent.
"""

from __future__ import annotations


class Skip(Exception):
    """This evaluation cannot run here; the message says why."""


#: task modules, run in this order
TASKS = ["ner", "quotes", "figures", "frames"]
