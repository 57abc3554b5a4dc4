"""Calibrate the frame decision thresholds and write ``codebook/frame_thresholds.json``.

Data: narrative-frames-climate (Frermann et al. 2023; ``../shared/eval`` by default), the
``calibration`` half of its articles (a hash of each article ID, see
``presslab.evaluation.frames.split_of``). The ``heldout`` half is not used here; ``make eval``
reports on it.

For each generic frame the threshold is the score that maximises F1 on the calibration half
(placed halfway to the next lower score, so that it does not sit on one article's value); the
minimum number of cue sentences (1 or 2) is the one with the better macro F1. The issue frames
for armed-conflict coverage have no article-level gold data: they get the median of the
generic thresholds, and the file says so (``"calibrated": false``).

Usage: ``.venv/bin/python scripts/calibrate_frames.py [--eval-dir ../shared/eval]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import pandas as pd
from presslab.corpus import article_from_text
from presslab.evaluation import Skip
from presslab.evaluation.frames import CLIMATE_FRAMES, load_climate, prf
from presslab.framing import (
    extract_frames,
    load_codebook,
    score_article_frames,
    thresholds_path,
)
from presslab.tables import article_row
from presslab.text import segment


def scores_for(gold: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scores (no threshold) and cue-sentence counts per article and frame."""
    frames, rows = [], []
    for article_id, text in zip(gold["article_id"], gold["text"], strict=True):
        art = article_from_text(text, article_id)
        doc = segment(art)
        frames.append(extract_frames(art, doc))
        rows.append(article_row(art, doc))
    frames_df = pd.concat(frames, ignore_index=True)
    scored = score_article_frames(
        frames_df, pd.DataFrame(rows), thresholds={"frames": {}, "default": 0.0, "min_sentences": 0}
    )
    n_sent = frames_df.groupby(["article_id", "frame"])["sentence_id"].nunique()
    scored["n_sentences"] = [
        int(n_sent.get((a, f), 0))
        for a, f in zip(scored["article_id"], scored["frame"], strict=True)
    ]
    return scored, frames_df


def best_threshold(scores: pd.Series, gold: pd.Series) -> tuple[float, float]:
    """The F1-maximising threshold (halfway below the chosen score) and its F1."""
    values = sorted(set(scores.tolist()))
    best = (-1.0, 0.0)
    for i, value in enumerate(values):
        if value <= 0:
            continue
        f1 = prf(gold, scores >= value)[2]
        lower = values[i - 1] if i else 0.0
        if f1 > best[0]:
            best = (f1, (value + lower) / 2)
    return best[1], best[0]


def calibrate(eval_dir: Path) -> dict:
    """The thresholds file's content, calibrated on the calibration half."""
    gold = load_climate(eval_dir)
    cal = gold[gold["split"] == "calibration"].reset_index(drop=True)
    scored, _ = scores_for(cal)
    best: dict | None = None
    for min_sentences in (1, 2):
        thresholds, f1s = {}, {}
        for frame in CLIMATE_FRAMES.values():
            sub = (
                scored[scored["frame"] == frame].set_index("article_id").reindex(cal["article_id"])
            )
            s = sub["score"].where(sub["n_sentences"] >= min_sentences, 0.0).reset_index(drop=True)
            thresholds[frame], f1s[frame] = best_threshold(s, cal[frame])
        macro = sum(f1s.values()) / len(f1s)
        if best is None or macro > best["macro_f1"]:
            best = {
                "min_sentences": min_sentences,
                "frames": thresholds,
                "f1": f1s,
                "macro_f1": macro,
            }
    assert best is not None
    generic = [best["frames"][f] for f in CLIMATE_FRAMES.values()]
    default = statistics.median(generic)
    issue = {f: default for f in load_codebook().frames if f not in best["frames"]}
    return {
        "about": (
            "Decision rule for article_frames: present when score >= frames[frame] and "
            "cues in >= min_sentences sentences. Written by scripts/calibrate_frames.py."
        ),
        "data": "narrative-frames-climate (Frermann et al. 2023), calibration half by ID hash",
        "n_articles": len(cal),
        "min_sentences": best["min_sentences"],
        "frames": {f: round(t, 4) for f, t in {**best["frames"], **issue}.items()},
        "calibrated": {f: f in best["frames"] for f in {**best["frames"], **issue}},
        "calibration_f1": {f: round(v, 4) for f, v in best["f1"].items()},
        "default": round(default, 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", default="../shared/eval", type=Path)
    parser.add_argument("--out", default=str(thresholds_path()), type=Path)
    args = parser.parse_args(argv)
    try:
        result = calibrate(args.eval_dir)
    except Skip as exc:
        print(f"cannot calibrate: {exc}", file=sys.stderr)
        return 1
    args.out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(
        json.dumps({k: result[k] for k in ("min_sentences", "frames", "calibration_f1")}, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
