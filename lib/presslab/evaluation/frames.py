"""Scoring frames on gold data: narrative-frames-climate (articles), FrAC and GVFC (sentences).

* ``narrative-frames-climate`` (Frermann et al. 2023): full climate-news texts with binary
  Conflict, Economic, Human-interest, Moral and Resolution labels. Resolution maps to
  ``responsibility``, Moral to ``morality``. The articles are split in two by a hash of their
  ID (:func:`split_of`): ``calibration`` is where ``scripts/calibrate_frames.py`` sets the
  thresholds, ``heldout`` is where the reported figures come from (``all`` is shown too).
  The documents go through the same path as a user's corpus: written as ``.jsonl`` into the
  work folder, analysed by :func:`presslab.tables.analyze_corpus`, scored from the CSV
  ``article_frames`` table it writes.
* FrAC (Guida et al. 2025): one Media-Frames label per sentence. Mapped: 1 Economic →
  ``economic``, 3 Morality → ``morality``, 5 Legality → ``legality_legitimacy``,
  8 Security and defense → ``security_defence``. A sentence has a frame when its cues weigh at
  least :data:`SENTENCE_MIN_WEIGHT` (one ordinary cue).
* GVFC (Liu et al. 2019): gun-violence headlines with up to two themes; theme 9 (economic
  consequences) maps to ``economic``. Only headlines coded relevant are scored.

Precision, recall and F1 are one-vs-rest per frame; macro F1 averages the five generic frames.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from presslab.evaluation import Skip

CLIMATE_DIR = "narrative-frames-climate/data"
#: gold column -> presslab frame
CLIMATE_FRAMES = {
    "CO": "conflict",
    "HI": "human_interest",
    "EC": "economic",
    "MO": "morality",
    "RE": "responsibility",
}
#: FrAC (Media Frames Corpus) code -> presslab frame
FRAC_FRAMES = {1: "economic", 3: "morality", 5: "legality_legitimacy", 8: "security_defence"}
#: GVFC theme code -> presslab frame
GVFC_FRAMES = {9: "economic"}
SENTENCE_MIN_WEIGHT = 1.0


def split_of(article_id: object) -> str:
    """``calibration`` or ``heldout``: a stable half of the articles, by a hash of the ID."""
    digest = hashlib.sha256(str(article_id).encode("utf-8")).hexdigest()
    return "calibration" if int(digest, 16) % 2 == 0 else "heldout"


def load_climate(eval_dir: Path) -> pd.DataFrame:
    """The climate articles: ``article_id, text, split`` and one boolean column per frame."""
    path = Path(eval_dir) / CLIMATE_DIR / "articles_metadata.tsv"
    if not path.exists():
        raise Skip(f"{path} not found")
    raw = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    out = pd.DataFrame({"article_id": "nfc-" + raw["ID"].str.strip(), "text": raw["text"]})
    for column, frame in CLIMATE_FRAMES.items():
        # One cell reads "False)" (see the eval README): anything not starting True is False.
        out[frame] = raw[column].str.strip().str.startswith("True")
    out["split"] = out["article_id"].map(split_of)
    return out


def prf(gold: pd.Series, pred: pd.Series) -> tuple[float, float, float]:
    """Precision, recall and F1 of boolean predictions (0 where undefined)."""
    gold, pred = gold.astype(bool), pred.astype(bool)
    tp = int((gold & pred).sum())
    fp = int((~gold & pred).sum())
    fn = int((gold & ~pred).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return p, r, f


def score_climate(gold: pd.DataFrame, article_frames: pd.DataFrame) -> list[dict]:
    """Per-frame P/R/F1 and macro F1 of an ``article_frames`` table, per split and overall."""
    present = article_frames.pivot_table(
        index="article_id", columns="frame", values="present", aggfunc="max"
    ).astype(bool)
    rows = []
    for split in ("heldout", "calibration", "all"):
        sub = gold if split == "all" else gold[gold["split"] == split]
        f1s = []
        for frame in CLIMATE_FRAMES.values():
            pred = (
                present[frame].reindex(sub["article_id"]).fillna(False).to_numpy()
                if frame in present
                else pd.Series(False, index=sub.index).to_numpy()
            )
            p, r, f = prf(sub[frame].reset_index(drop=True), pd.Series(pred))
            f1s.append(f)
            for metric, value in (("precision", p), ("recall", r), ("f1", f)):
                rows.append(
                    _row(f"narrative-frames-climate/{split}", metric + f":{frame}", value, len(sub))
                )
        rows.append(
            _row(f"narrative-frames-climate/{split}", "macro_f1", sum(f1s) / len(f1s), len(sub))
        )
        all_present = [
            prf(sub[f], pd.Series(True, index=sub.index))[2] for f in CLIMATE_FRAMES.values()
        ]
        rows.append(
            {
                **_row(
                    f"narrative-frames-climate/{split}",
                    "macro_f1",
                    sum(all_present) / len(all_present),
                    len(sub),
                ),
                "system": "all-present baseline",
            }
        )
    return rows


def _row(dataset: str, metric: str, value: float, n: int, system: str = "presslab") -> dict:
    return {
        "task": "frames",
        "dataset": dataset,
        "system": system,
        "metric": metric,
        "value": float(value),
        "n": int(n),
    }


def sentence_frames(sentences: list[str]) -> list[dict[str, float]]:
    """Cue weight per frame for each stand-alone sentence (headline or quote)."""
    from presslab.corpus import article_from_text
    from presslab.framing import extract_frames
    from presslab.text import segment

    out = []
    for i, sentence in enumerate(sentences):
        # One line, so the whole sentence is one part; every part counts for frames.
        art = article_from_text(" ".join(str(sentence).split()), f"s{i}")
        frames = extract_frames(art, segment(art))
        out.append(frames.groupby("frame")["weight"].sum().to_dict() if len(frames) else {})
    return out


def _score_sentences(
    dataset: str, weights: list[dict[str, float]], gold: dict[str, list[bool]]
) -> list[dict]:
    rows = []
    for frame, labels in gold.items():
        pred = pd.Series([w.get(frame, 0.0) >= SENTENCE_MIN_WEIGHT for w in weights])
        p, r, f = prf(pd.Series(labels), pred)
        for metric, value in (("precision", p), ("recall", r), ("f1", f)):
            rows.append(_row(dataset, f"{metric}:{frame}", value, len(labels)))
        rows.append(_row(dataset, f"n_gold:{frame}", sum(labels), len(labels)))
    return rows


def evaluate_frac(eval_dir: Path) -> list[dict]:
    """FrAC sentences, for the frames that map (see the module docstring)."""
    path = Path(eval_dir) / "frac" / "gold_standard_single_label_all.csv"
    if not path.exists():
        return []
    data = pd.read_csv(path)
    labels = pd.to_numeric(data["label"], errors="coerce")
    weights = sentence_frames(data["sentence"].astype(str).tolist())
    gold = {frame: (labels == code).tolist() for code, frame in FRAC_FRAMES.items()}
    return _score_sentences("frac", weights, gold)


def evaluate_gvfc(eval_dir: Path) -> list[dict]:
    """GVFC headlines coded relevant, for the themes that map."""
    path = Path(eval_dir) / "gvfc" / "GVFC_headlines_and_annotations.csv"
    if not path.exists():
        return []
    data = pd.read_csv(path)
    data = data[pd.to_numeric(data["Q1 Relevant"], errors="coerce") == 1]
    themes = data[["Q3 Theme1", "Q3 Theme2"]].apply(pd.to_numeric, errors="coerce")
    weights = sentence_frames(data["news_title"].astype(str).tolist())
    gold = {
        frame: ((themes["Q3 Theme1"] == code) | (themes["Q3 Theme2"] == code)).tolist()
        for code, frame in GVFC_FRAMES.items()
    }
    return _score_sentences("gvfc", weights, gold)


def write_climate_corpus(gold: pd.DataFrame, work_dir: Path) -> Path:
    """The climate articles as a ``.jsonl`` corpus (one article a line: id, text)."""
    path = Path(work_dir) / "climate" / "articles.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for article_id, text in zip(gold["article_id"], gold["text"], strict=True):
            handle.write(json.dumps({"id": article_id, "text": text}) + "\n")
    return path


def evaluate(eval_dir: Path, work_dir: Path) -> list[dict]:
    """All frame scores (see the module docstring)."""
    from presslab.tables import analyze_corpus, read_tables

    gold = load_climate(eval_dir)
    source = write_climate_corpus(gold, work_dir)
    out_dir = Path(work_dir) / "climate" / "tables"
    analyze_corpus(source, out_dir, jobs=2)
    article_frames = read_tables(out_dir)["article_frames"]
    rows = score_climate(gold, article_frames)
    rows += evaluate_frac(eval_dir)
    rows += evaluate_gvfc(eval_dir)
    return rows
