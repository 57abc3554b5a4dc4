"""``python -m presslab.evaluation``: run every task's scorer and print one table."""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from presslab.evaluation import TASKS, Skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m presslab.evaluation",
        description="Score presslab's extractors on gold data.",
    )
    parser.add_argument(
        "--eval-dir", default="../shared/eval", help="folder of gold data (default: ../shared/eval)"
    )
    parser.add_argument("--tasks", nargs="*", default=TASKS, help=f"subset of {TASKS}")
    parser.add_argument("--out", default="", help="also write the table to this CSV")
    args = parser.parse_args(argv)
    eval_dir = Path(args.eval_dir)
    rows: list[dict] = []
    skipped: list[tuple[str, str]] = []
    for task in args.tasks:
        try:
            module = importlib.import_module(f"presslab.evaluation.{task}")
        except ModuleNotFoundError:
            skipped.append((task, "no scorer for this task yet"))
            continue
        started = time.perf_counter()
        try:
            with tempfile.TemporaryDirectory(prefix=f"presslab-eval-{task}-") as work:
                task_rows = module.evaluate(eval_dir, Path(work))
        except Skip as exc:
            skipped.append((task, str(exc)))
            continue
        except Exception as exc:
            skipped.append((task, f"FAILED: {type(exc).__name__}: {exc}"))
            continue
        print(f"[{task}: {time.perf_counter() - started:.1f} s]", file=sys.stderr)
        rows.extend(task_rows)
    table = pd.DataFrame(rows, columns=["task", "dataset", "system", "metric", "value", "n"])
    if len(table):
        table["value"] = table["value"].astype(float).round(3)
        with pd.option_context("display.max_rows", None, "display.width", 200):
            print(table.to_string(index=False))
    if args.out:
        table.to_csv(args.out, index=False)
    for task, reason in skipped:
        print(f"skipped {task}: {reason}")
    return 1 if any(r.startswith("FAILED") for _, r in skipped) else 0


if __name__ == "__main__":
    sys.exit(main())
