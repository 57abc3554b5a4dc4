"""Scoring figures: number ranges, numbers, percentages, quantities and what is measured.

Datasets (all under ``eval_dir``; none is news, so the parser is scored directly except for
MeasEval, which goes through ``presslab analyze`` like a user's corpus):

- ``recognizers-text/Number/NumberRangeModel.json`` (Microsoft Recognizers-Text specs): a case
  is right when the set of intervals found equals the gold set, ends (open/closed) and values
  alike. presslab's intervals are the rows with a bound or range qualifier (more_than,
  at_least, less_than, at_most, range, exactly). Recognizers writes a range of two stated
  numbers ("between 20 and 30", "1000 - 5000") half-open, ``[20,30)``, where presslab reads it
  closed, ``[20, 30]`` (in news "10 to 15 people" includes 15). ``cases_right`` maps that one
  convention before comparing; ``cases_right_strict`` does not.
- ``NumberModel.json`` and ``PercentModel.json``: the values found against the gold values
  (multiset match, relative tolerance 1e-6): precision, recall, F1 and cases right (all
  values of a case found, nothing else).
- ``quantulum3/quantities.json`` (+ ``quantities.ambiguity.json``): values, as above, with
  ranges collapsed to their midpoint (quantulum's convention).
- Shares written as fractions or ratios ("two thirds of", "one in five", "1/40 of") are stored
  by presslab as percent (66.67); on the Number and quantulum3 sets, whose gold records the
  fraction as stated (0.667), such a row (percent, with no "%" or percent word in its surface)
  is compared as stated, divided by 100 (:func:`stated_scale`). The same quantity in another
  unit, not a looser match: "99%" is still compared as 99, and the Percent set (gold in
  percent) is compared in percent.
- MeasEval train and trial (scientific paragraphs): written as ``.jsonl`` and analysed by
  :func:`presslab.tables.analyze_corpus`; a gold Quantity is found when a figure (or age) row
  overlaps it (``presslab-all-numbers``: any row but ordinals); its measured entity is
  right when the row's ``counted`` span overlaps the gold
  MeasuredEntity (or, for ``entity_or_property``, the MeasuredProperty).

quantulum3 (an eval extra) runs on the same cases: its quantities become intervals
``[v - u, v + u]`` when it reports an uncertainty, else values; it has no hedges and no notion
of what a number counts, so on MeasEval it is scored on finding the quantities only, and its
measured-entity score is that of returning none.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import re
import warnings
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from presslab.evaluation import Skip
from presslab.numbers import FIGURE_TYPES, Number, parse_numbers

RANGE_QUALIFIERS = ("more_than", "at_least", "less_than", "at_most", "range", "exactly")


# --------------------------------------------------------------------------- helpers


def _read_json(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _num(x: float) -> str:
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.10g}"


def recognizers_interval(n: Number, convention: bool) -> str:
    """A presslab interval in Recognizers' notation (``"[20,30)"``, ``"(,700]"``)."""
    low = "" if n.low is None else _num(n.low)
    high = "" if n.high is None else _num(n.high)
    lc = n.low is not None and n.low_closed
    hc = n.high is not None and n.high_closed
    if convention and n.joined:
        hc = False  # Recognizers' half-open two-number ranges
    return f"{'[' if lc else '('}{low},{high}{']' if hc else ')'}"


def _norm_gold_interval(value: str) -> str:
    left, right = value[0], value[-1]
    lo, _, hi = value[1:-1].partition(",")
    fmt = lambda s: _num(float(s)) if s.strip() else ""  # noqa: E731
    return f"{left}{fmt(lo)},{fmt(hi)}{right}"


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _match_values(pred: list[float], gold: list[float]) -> int:
    left = list(pred)
    hits = 0
    for g in gold:
        for x, p in enumerate(left):
            if _close(p, g):
                hits += 1
                del left[x]
                break
    return hits


def _prf(
    rows: list[dict],
    task: str,
    dataset: str,
    system: str,
    tp: int,
    n_pred: int,
    n_gold: int,
    right: int,
    n_cases: int,
) -> None:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    for metric, value, n in (
        ("precision", p, n_pred),
        ("recall", r, n_gold),
        ("f1", f, n_gold),
        ("cases_right", right / n_cases if n_cases else 0.0, n_cases),
    ):
        rows.append(
            {
                "task": task,
                "dataset": dataset,
                "system": system,
                "metric": metric,
                "value": value,
                "n": n,
            }
        )


@contextlib.contextmanager
def _quiet():
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def _quantulum():
    try:
        with _quiet():
            from quantulum3 import parser
    except ImportError as exc:  # pragma: no cover - the eval extra is missing
        raise Skip("quantulum3 is not installed (pip install '.[eval]')") from exc
    return parser


def _q_parse(parser, text: str) -> list:
    with _quiet():
        try:
            return parser.parse(text)
        except Exception:  # quantulum3 raises on some inputs; count as nothing found
            return []


def _q_interval(q) -> str | None:
    if q.uncertainty:
        return f"[{_num(q.value - q.uncertainty)},{_num(q.value + q.uncertainty)}]"
    return None


# --------------------------------------------------------------------------- recognizers


def score_ranges(cases: list[dict]) -> list[dict]:
    """NumberRangeModel: cases whose set of intervals is right."""
    parser = _quantulum()
    right = {"conv": 0, "strict": 0, "q_ranges": 0, "q_all": 0}
    for case in cases:
        gold = sorted(_norm_gold_interval(r["Resolution"]["value"]) for r in case["Results"])
        nums = [n for n in parse_numbers(case["Input"]) if n.qualifier in RANGE_QUALIFIERS]
        right["conv"] += sorted(recognizers_interval(n, True) for n in nums) == gold
        right["strict"] += sorted(recognizers_interval(n, False) for n in nums) == gold
        qs = _q_parse(parser, case["Input"])
        q_ranges = sorted(i for i in (_q_interval(q) for q in qs) if i)
        q_all = sorted(_q_interval(q) or f"[{_num(q.value)},{_num(q.value)}]" for q in qs)
        # quantulum writes ranges closed: accept its [a,b] for a gold [a,b) as well
        gold_closed = sorted(
            g[:-1] + "]" if g.endswith(")") and not g.endswith(",)") else g for g in gold
        )
        right["q_ranges"] += q_ranges in (gold, gold_closed)
        right["q_all"] += q_all in (gold, gold_closed)
    n = len(cases)
    rows = []
    for system, metric, key in (
        ("presslab", "cases_right", "conv"),
        ("presslab", "cases_right_strict", "strict"),
        ("quantulum3", "cases_right", "q_ranges"),
        ("quantulum3", "cases_right_all_values", "q_all"),
    ):
        rows.append(
            {
                "task": "figures",
                "dataset": "recognizers-numberrange",
                "system": system,
                "metric": metric,
                "value": right[key] / n if n else 0.0,
                "n": n,
            }
        )
    return rows


_PERCENT_WRITTEN = re.compile(r"%|per\s*cent|pct|percentage", re.IGNORECASE)


def stated_scale(n: Number) -> float:
    """The factor from presslab's value to the value as the text states it.

    presslab normalises a share written as a fraction or ratio ("two thirds of", "one in
    five", "1/40 of") to percent (66.67, 20, 2.5) so that shares compare across articles; the
    text states the fraction (0.667, 0.2, 0.025), which is what the gold records. The same
    quantity, so it is compared as stated: percent rows without "%" or a percent word in
    their surface are divided by 100. A "99%" or "20 per cent" row is compared as 99 / 20.
    """
    if n.value_type == "percent" and not _PERCENT_WRITTEN.search(n.surface):
        return 0.01
    return 1.0


def _presslab_values(text: str, percent_only: bool = False, midpoint: bool = False) -> list[float]:
    out: list[float] = []
    for n in parse_numbers(text):
        if percent_only and n.value_type != "percent":
            continue
        if n.value_type in ("date", "time", "ordinal"):
            continue  # no value to compare (Recognizers and quantulum3 leave ordinals out)
        # the percent set's gold is in percent; the others record a share as stated
        scale = 1.0 if percent_only else stated_scale(n)
        if n.low is not None and n.high is not None and n.low != n.high:
            pair = [(n.low + n.high) / 2] if midpoint else [n.low, n.high]
            out.extend(v * scale for v in pair)
        elif n.value is not None:
            out.append(n.value * scale)
    return out


#: counting units quantulum3 keeps as units ("a dozen" is 1 dozen): both systems' values and
#: the gold are compared in plain numbers, so "a dozen" is 12 whoever reads it
COUNT_UNITS = {"dozen": 12.0, "baker's dozen": 13.0, "gross": 144.0}


def score_values(
    cases: Iterable[tuple[str, list[float]]],
    dataset: str,
    percent: bool = False,
    midpoint: bool = False,
) -> list[dict]:
    """Values found against gold values, presslab beside quantulum3."""
    parser = _quantulum()
    rows: list[dict] = []
    counts = {s: [0, 0, 0, 0] for s in ("presslab", "quantulum3")}  # tp, pred, gold, right
    n_cases = 0
    for text, gold in cases:
        n_cases += 1
        pred = {
            "presslab": _presslab_values(text, percent, midpoint),
            "quantulum3": [
                q.value * COUNT_UNITS.get(q.unit.name, 1.0)
                for q in _q_parse(parser, text)
                if not percent or q.unit.name in ("percentage", "percent")
            ],
        }
        for system, values in pred.items():
            tp = _match_values(values, gold)
            c = counts[system]
            c[0] += tp
            c[1] += len(values)
            c[2] += len(gold)
            c[3] += tp == len(gold) == len(values)
    for system, (tp, n_pred, n_gold, right) in counts.items():
        _prf(rows, "figures", dataset, system, tp, n_pred, n_gold, right, n_cases)
    return rows


def _gold_values(case: dict, percent: bool) -> list[float]:
    out = []
    for r in case["Results"]:
        v = r["Resolution"].get("value")
        if v in (None, "null"):
            continue
        try:
            out.append(float(str(v).rstrip("%")))
        except ValueError:
            continue
    return out


# --------------------------------------------------------------------------- MeasEval


def load_measeval(eval_dir: Path) -> dict[str, tuple[str, list[dict]]]:
    """MeasEval paragraphs (train and trial): id -> (text, annotation sets)."""
    root = eval_dir / "measeval" / "data"
    docs: dict[str, tuple[str, list[dict]]] = {}
    for split in ("train", "trial"):
        for tsv in sorted((root / split / "tsv").glob("*.tsv")):
            txt = root / split / "txt" / (tsv.stem + ".txt")
            if not txt.exists():
                txt = root / split / "text" / (tsv.stem + ".txt")
            if not txt.exists():
                continue
            text = txt.read_text(encoding="utf-8")
            sets: dict[str, dict] = {}
            with tsv.open(encoding="utf-8") as handle:
                for r in csv.DictReader(handle, delimiter="\t"):
                    s = sets.setdefault(r["annotSet"], {})
                    s.setdefault(r["annotType"], (int(r["startOffset"]), int(r["endOffset"])))
            docs[f"{split}-{tsv.stem}"] = (text, [s for s in sets.values() if "Quantity" in s])
    return docs


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _row(dataset: str, system: str, metric: str, value: float, n: int) -> dict:
    return {
        "task": "figures",
        "dataset": dataset,
        "system": system,
        "metric": metric,
        "value": value,
        "n": n,
    }


def score_measeval(docs: dict[str, tuple[str, list[dict]]], figures, dataset: str) -> list[dict]:
    """Quantities found and measured entities overlapped, presslab (from its figures table)
    beside quantulum3 (quantities only).

    ``quantity_*`` scores presslab's figures and ages; ``number_*`` every row but ordinals
    (MeasEval also marks years and dates as quantities, but not a citation's year or a figure
    number, which presslab reads as years and names); quantulum3 returns every number."""
    parser = _quantulum()
    systems = ("presslab", "presslab-all-numbers", "quantulum3")
    found = dict.fromkeys(systems, 0)
    pred_n = dict.fromkeys(systems, 0)
    pred_hit = dict.fromkeys(systems, 0)
    entity_right = entity_or_prop = with_entity = with_prop = 0
    n_quant = 0
    by_doc = {k: g for k, g in figures.groupby("article_id")} if len(figures) else {}
    quantity_types = (*FIGURE_TYPES, "age")
    for doc_id, (text, sets) in docs.items():
        rows = by_doc.get(doc_id)
        spans: list[tuple[tuple[int, int], tuple[int, int] | None, str]] = []
        if rows is not None:
            spans = [
                (
                    (int(r.start), int(r.end)),
                    (int(r.counted_start), int(r.counted_end))
                    if pd.notna(r.counted_start) and pd.notna(r.counted_end)
                    else None,
                    str(r.value_type),
                )
                for r in rows.itertuples(index=False)
            ]
        q_spans = [tuple(q.span) for q in _q_parse(parser, text)]
        gold_q = [s["Quantity"] for s in sets]
        preds = {
            "presslab": [s for s, _, t in spans if t in quantity_types],
            "presslab-all-numbers": [s for s, _, t in spans if t != "ordinal"],
            "quantulum3": q_spans,
        }
        for system, pred in preds.items():
            pred_n[system] += len(pred)
            pred_hit[system] += sum(any(_overlaps(p, g) for g in gold_q) for p in pred)
            found[system] += sum(any(_overlaps(p, g) for p in pred) for g in gold_q)
        for s in sets:
            n_quant += 1
            q = s["Quantity"]
            ent, prop = s.get("MeasuredEntity"), s.get("MeasuredProperty")
            counted = [c for span, c, _ in spans if c is not None and _overlaps(span, q)]
            if ent:
                with_entity += 1
                entity_right += any(_overlaps(c, ent) for c in counted)
            if ent or prop:
                with_prop += 1
                entity_or_prop += any(
                    any(_overlaps(c, g) for g in (ent, prop) if g) for c in counted
                )
    rows: list[dict] = []
    for system in systems:
        rows.append(
            _row(
                dataset,
                system,
                "quantity_recall",
                found[system] / n_quant if n_quant else 0.0,
                n_quant,
            )
        )
        rows.append(
            _row(
                dataset,
                system,
                "quantity_precision",
                pred_hit[system] / pred_n[system] if pred_n[system] else 0.0,
                pred_n[system],
            )
        )
    rows.append(
        _row(
            dataset,
            "presslab",
            "entity_overlap",
            entity_right / with_entity if with_entity else 0.0,
            with_entity,
        )
    )
    rows.append(
        _row(
            dataset,
            "presslab",
            "entity_or_property_overlap",
            entity_or_prop / with_prop if with_prop else 0.0,
            with_prop,
        )
    )
    # quantulum3 has no notion of what a number measures: it returns none
    rows.append(_row(dataset, "quantulum3", "entity_overlap", 0.0, with_entity))
    return rows


def run_measeval(eval_dir: Path, work_dir: Path) -> list[dict]:
    """MeasEval through ``presslab analyze`` (the user's path) and its figures.csv."""
    from presslab.tables import analyze_corpus, read_tables

    docs = load_measeval(eval_dir)
    if not docs:
        raise Skip(f"no MeasEval data under {eval_dir / 'measeval'}")
    source = Path(work_dir) / "measeval" / "measeval.jsonl"
    source.parent.mkdir(parents=True, exist_ok=True)
    with source.open("w", encoding="utf-8") as handle:
        for doc_id, (text, _) in docs.items():
            handle.write(json.dumps({"id": doc_id, "text": text}) + "\n")
    out_dir = Path(work_dir) / "measeval" / "tables"
    analyze_corpus(source, out_dir, jobs=2)
    tables = read_tables(out_dir)
    articles = tables["articles"]
    lengths = dict(zip(articles["article_id"], articles["n_chars"], strict=False))
    kept = {k: v for k, v in docs.items() if lengths.get(k) == len(v[0])}
    if len(kept) < len(docs):
        raise RuntimeError(
            f"MeasEval: the loader changed {len(docs) - len(kept)} texts; "
            "offsets would not match the gold"
        )
    return score_measeval(kept, tables["figures"], "measeval-train+trial")


# --------------------------------------------------------------------------- entry point


def evaluate(eval_dir: Path, work_dir: Path) -> list[dict]:
    """Every figures score (see the module docstring)."""
    eval_dir = Path(eval_dir)
    rec = eval_dir / "recognizers-text" / "Number"
    qdir = eval_dir / "quantulum3"
    if not rec.exists() and not qdir.exists() and not (eval_dir / "measeval").exists():
        raise Skip(f"no figures gold data under {eval_dir}")
    rows: list[dict] = []
    if (rec / "NumberRangeModel.json").exists():
        rows += score_ranges(_read_json(rec / "NumberRangeModel.json"))
    if (rec / "NumberModel.json").exists():
        cases = [(c["Input"], _gold_values(c, False)) for c in _read_json(rec / "NumberModel.json")]
        rows += score_values(cases, "recognizers-number")
    if (rec / "PercentModel.json").exists():
        cases = [(c["Input"], _gold_values(c, True)) for c in _read_json(rec / "PercentModel.json")]
        rows += score_values(cases, "recognizers-percent", percent=True)
    for name, dataset in (
        ("quantities.json", "quantulum3-quantities"),
        ("quantities.ambiguity.json", "quantulum3-ambiguity"),
    ):
        if (qdir / name).exists():
            cases = [
                (
                    c["req"],
                    [float(r["value"]) * COUNT_UNITS.get(r.get("unit"), 1.0) for r in c["res"]],
                )
                for c in _read_json(qdir / name)
            ]
            rows += score_values(cases, dataset, midpoint=True)
    if (eval_dir / "measeval").exists():
        rows += run_measeval(eval_dir, Path(work_dir))
    return rows
