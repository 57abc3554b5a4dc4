"""Scoring quotes on PolNeAR (Newell, Margolin & Ruths, LREC 2018), dev split.

PolNeAR annotates attributions in US political news as BRAT standoff spans: Source, Cue and
Content (a content may be discontinuous, e.g. a quote split around its attribution). It is
broad: besides quotes and reported speech it marks beliefs, intentions, polls that "show",
endorsements and more (about 24 attributions an article), so recall here measures far more
than quotation.

The articles go through the same path as a user's corpus: written as ``.jsonl`` (id, text)
into the work folder, analysed by :func:`presslab.tables.analyze_corpus`, and scored from the
``quotes.csv`` it writes; the loader keeps the text byte for byte (checked: a mismatch raises).

Matching: presslab rows sharing a cue and speaker (the parts of a split quote, or several
partial quotes in one clause) form one predicted attribution, whose content is its rows'
clauses (``clause_start``/``clause_end``: a partial quote's reported clause, as PolNeAR marks
contents; ``content_f1_quoted_words`` scores the quoted words instead). A prediction matches a
gold Content when their overlap is at least half of the shorter (one to one: pairs whose cues
also overlap first, then by size of overlap).
Speaker accuracy is over matched pairs whose gold has a Source: right when the predicted
speaker span overlaps it. Because a content can overlap a gold attribution that presslab found
through another cue (PolNeAR marks many attributions presslab does not, e.g. "sued",
"known as", nested attributions inside a reported clause), ``speaker_accuracy_same_cue``
restricts it to the pairs whose cue spans overlap too.
Articles annotated by several annotators are scored against the first annotation (by file
name). ``python -m presslab.evaluation.quotes --split train`` scores the train split, where
the rules are studied (dev is only measured).

Two systems are reported: ``presslab`` (``presslab analyze``'s default, the rules of
:mod:`presslab.quotes`) and ``presslab-learned`` (``--quotes learned``: the learned
attribution tagger of :mod:`presslab.attribution` decides what is attributed, the rules name
speakers; trained on PolNeAR's train split, so its train-split scores are not a measure).
No peer tool runs here: textacy's quotation finder and the Gender Gap Tracker's both need a
spaCy dependency parse, and no spaCy English model is available offline.
The Gender Gap Tracker's published figures (quote F1 0.837, speaker accuracy 0.865, on 98
Canadian articles with its own annotation) are the reference the README compares with.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from presslab.evaluation import Skip

POLNEAR_DIR = "polnear/data"
Spans = list[tuple[int, int]]


@dataclass(frozen=True)
class GoldAttribution:
    """One PolNeAR attribution: its content, source and cue spans (each possibly empty)."""

    content: Spans
    source: Spans
    cue: Spans


def read_ann(path: Path) -> list[GoldAttribution]:
    """The attributions of one BRAT ``.ann`` file."""
    spans: dict[str, Spans] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if parts[0].startswith("T") and " " in parts[1]:
            _label, _, offsets = parts[1].partition(" ")
            try:
                spans[parts[0]] = [tuple(map(int, s.split())) for s in offsets.split(";")]
            except ValueError:
                continue
        elif parts[0].startswith("E"):
            events.append(dict(x.split(":", 1) for x in parts[1].split() if ":" in x))
    out = []
    for roles in events:

        def get(role: str, _roles: dict[str, str] = roles) -> Spans:
            return list(spans.get(_roles.get(role, ""), []))

        if get("Content"):
            out.append(GoldAttribution(get("Content") + get("Content2"), get("Source"), get("Cue")))
    return out


def load_polnear(eval_dir: Path, split: str = "dev") -> dict[str, tuple[str, list]]:
    """``{article_id: (text, [GoldAttribution])}`` for one split (first annotator each)."""
    base = Path(eval_dir) / POLNEAR_DIR / split
    if not (base / "text").is_dir():
        raise Skip(f"{base / 'text'} not found")
    out: dict[str, tuple[str, list]] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        article_id = ann.stem.rsplit("_", 1)[0]
        if article_id in out:
            continue
        text_path = base / "text" / f"{article_id}.txt"
        if text_path.exists():
            out[article_id] = (text_path.read_text(encoding="utf-8"), read_ann(ann))
    return out


#: ``--holdout``: every fifth train article (in the loader's order) is kept out of training, so
#: settings are chosen on train without touching dev
HOLDOUT_EVERY = 5


def is_held_out(position: int) -> bool:
    """Whether the train article at ``position`` (file-name order) is in the held-out fifth."""
    return position % HOLDOUT_EVERY == HOLDOUT_EVERY - 1


def held_out(gold: dict[str, tuple[str, list]]) -> dict[str, tuple[str, list]]:
    """The held-out fifth of a split loaded by :func:`load_polnear` (in its order)."""
    return {k: v for i, (k, v) in enumerate(gold.items()) if is_held_out(i)}


def write_corpus(gold: dict[str, tuple[str, list]], path: Path) -> Path:
    """The articles as a ``.jsonl`` corpus (one line each: id, text)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for article_id, (text, _) in gold.items():
            handle.write(json.dumps({"id": article_id, "text": text}) + "\n")
    return path


def _length(spans: Spans) -> int:
    return sum(e - s for s, e in spans)


def _overlap(a: Spans, b: Spans) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _merged(spans: Spans) -> Spans:
    """The spans as disjoint ones (two partial quotes of one clause share the clause)."""
    out: Spans = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def predictions(
    quotes: pd.DataFrame, words: bool = False
) -> dict[str, list[tuple[Spans, Spans, str, Spans]]]:
    """Predicted attributions per article: (content spans, speaker spans, kind, cue spans).

    The content is each row's clause (``clause_start``, ``clause_end``: for a partial quote the
    reported clause around the quoted words, as PolNeAR marks contents), or with ``words`` the
    row's own span (the quoted words).
    """
    out: dict[str, list[tuple[Spans, Spans, str, Spans]]] = {}
    if not len(quotes):
        return out
    start, end = ("start", "end") if words else ("clause_start", "clause_end")
    groups: dict[tuple, list] = {}
    for r in quotes.itertuples(index=False):
        aid = str(r.article_id)
        if pd.notna(r.cue_start):
            key = (aid, int(r.cue_start), r.speaker_start if pd.notna(r.speaker_start) else -1)
        else:
            key = (aid, "row", int(r.start))
        g = groups.setdefault(key, [aid, [], [], r.kind, []])
        g[1].append((int(getattr(r, start)), int(getattr(r, end))))
        if pd.notna(r.speaker_start) and not g[2]:
            g[2].append((int(r.speaker_start), int(r.speaker_end)))
        if pd.notna(r.cue_start) and not g[4]:
            g[4].append((int(r.cue_start), int(r.cue_end)))
    for aid, content, speaker, kind, cue in groups.values():
        out.setdefault(aid, []).append((_merged(content), speaker, kind, cue))
    return out


def match(gold: list[GoldAttribution], pred: list[tuple]) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs overlapping by half the shorter.

    Pairs whose cues overlap too (the prediction's fourth item, when given) are taken first,
    then the larger overlaps: a prediction is aligned with the attribution it found.
    """
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            content = p[0]
            ov = _overlap(g.content, content)
            if ov and ov * 2 >= min(_length(g.content), _length(content)):
                same_cue = len(p) > 3 and _overlap(g.cue, p[3]) > 0
                candidates.append((same_cue, ov, gi, pi))
    candidates.sort(key=lambda c: (not c[0], -c[1], c[2], c[3]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, _, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def _is_direct(text: str, g: GoldAttribution) -> bool:
    s = g.content[0][0]
    return text[s : s + 1] in ("“", '"') or text[s : s + 2] == "''"


def score(
    gold: dict[str, tuple[str, list]],
    quotes: pd.DataFrame,
    dataset: str,
    system: str = "presslab",
) -> list[dict]:
    """Content precision/recall/F1 and speaker accuracy (overall and for direct quotes)."""
    pred = predictions(quotes)
    tp = n_gold = n_pred = 0
    sp_right = sp_n = 0
    same_right = same_n = 0  # pairs whose cues agree: the same attribution found
    d_tp = d_gold = 0
    d_pred = d_pred_tp = 0
    d_sp_right = d_sp_n = 0
    for article_id, (text, golds) in gold.items():
        preds = pred.get(article_id, [])
        pairs = match(golds, preds)
        tp += len(pairs)
        n_gold += len(golds)
        n_pred += len(preds)
        direct_gold = {gi for gi, g in enumerate(golds) if _is_direct(text, g)}
        d_gold += len(direct_gold)
        direct_pred = {pi for pi, p in enumerate(preds) if p[2] == "direct"}
        d_pred += len(direct_pred)
        for gi, pi in pairs:
            g = golds[gi]
            d_tp += gi in direct_gold
            d_pred_tp += pi in direct_pred
            if g.source:
                right = _overlap(g.source, preds[pi][1]) > 0
                sp_n += 1
                sp_right += right
                if _overlap(g.cue, preds[pi][3]) > 0:
                    same_n += 1
                    same_right += right
                if gi in direct_gold:
                    d_sp_n += 1
                    d_sp_right += right
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    words = predictions(quotes, words=True)
    w_tp = sum(len(match(golds, words.get(aid, []))) for aid, (_, golds) in gold.items())
    w_f = 2 * w_tp / (n_gold + n_pred) if n_gold + n_pred else 0.0
    dp = d_pred_tp / d_pred if d_pred else 0.0
    dr = d_tp / d_gold if d_gold else 0.0
    df_ = 2 * dp * dr / (dp + dr) if dp + dr else 0.0
    base = {"task": "quotes", "dataset": dataset, "system": system}
    return [
        {**base, "metric": "content_precision", "value": round(p, 4), "n": n_pred},
        {**base, "metric": "content_recall", "value": round(r, 4), "n": n_gold},
        {**base, "metric": "content_f1", "value": round(f, 4), "n": n_gold},
        # (the same, each partial quote counted as its quoted words instead of its clause)
        {**base, "metric": "content_f1_quoted_words", "value": round(w_f, 4), "n": n_gold},
        {
            **base,
            "metric": "speaker_accuracy",
            "value": round(sp_right / sp_n, 4) if sp_n else 0.0,
            "n": sp_n,
        },
        {
            **base,
            "metric": "speaker_accuracy_same_cue",
            "value": round(same_right / same_n, 4) if same_n else 0.0,
            "n": same_n,
        },
        {**base, "metric": "direct_precision", "value": round(dp, 4), "n": d_pred},
        {**base, "metric": "direct_recall", "value": round(dr, 4), "n": d_gold},
        {**base, "metric": "direct_f1", "value": round(df_, 4), "n": d_gold},
        {
            **base,
            "metric": "direct_speaker_accuracy",
            "value": round(d_sp_right / d_sp_n, 4) if d_sp_n else 0.0,
            "n": d_sp_n,
        },
    ]


def evaluate(
    eval_dir: Path, work_dir: Path, split: str = "dev", *, holdout: bool = False
) -> list[dict]:
    """Quote scores on PolNeAR ``split`` through ``presslab analyze`` (see module docstring),
    for each way of finding quotes (``--quotes rules``, ``--quotes learned``).

    ``holdout`` scores the held-out fifth of train (:func:`held_out`) only; the learned rows
    then need a model trained without it (``$PRESSLAB_ATTRIBUTION_MODEL``, written by
    ``scripts/train_attribution.py --holdout``), which is checked.
    """
    from presslab.tables import analyze_corpus, read_tables

    gold = load_polnear(eval_dir, split)
    if holdout:
        if split != "train":
            raise ValueError("--holdout is a part of the train split")
        from presslab.attribution import load_model

        if not load_model().header.get("training", {}).get("settings", {}).get("holdout"):
            raise ValueError(
                "--holdout: the attribution model was trained on the held-out articles; "
                "set PRESSLAB_ATTRIBUTION_MODEL to one written with --holdout"
            )
        gold = held_out(gold)
        split = "train-holdout"
    source = write_corpus(gold, Path(work_dir) / "polnear" / f"{split}.jsonl")
    rows: list[dict] = []
    for method, system in (("rules", "presslab"), ("learned", "presslab-learned")):
        out_dir = Path(work_dir) / "polnear" / f"{split}-{method}-tables"
        analyze_corpus(source, out_dir, jobs=2, quotes=method)
        tables = read_tables(out_dir)
        errors = tables.get("errors")
        if errors is not None and len(errors):
            # (a stage that failed on an article leaves its rows out: the scores would be low
            # for a reason that is no extractor's judgement)
            raise RuntimeError(
                f"PolNeAR {split}, --quotes {method}: {len(errors)} article(s) failed: "
                + "; ".join(f"{f}: {r}" for f, r in errors.head(3).itertuples(index=False))
            )
        articles = tables["articles"]
        for article_id, (text, _) in gold.items():
            row = articles[articles["article_id"] == article_id]
            if not len(row) or int(row["n_chars"].iloc[0]) != len(text):
                raise RuntimeError(
                    f"PolNeAR {article_id}: the loader changed the text; offsets "
                    "would not match the gold"
                )
        rows += score(gold, tables["quotes"], f"polnear-{split}", system)
    return rows


def main(argv: list[str] | None = None) -> int:
    """``python -m presslab.evaluation.quotes --split train``: the quotes scores on one split.

    The train split is for diagnosis (rules are studied there); ``make eval`` reports dev.
    """
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m presslab.evaluation.quotes")
    parser.add_argument("--eval-dir", default="../shared/eval", help="folder of gold data")
    parser.add_argument("--split", default="dev", choices=["dev", "train"], help="PolNeAR split")
    parser.add_argument(
        "--holdout",
        action="store_true",
        help="score the held-out fifth of train (with a model trained --holdout)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="presslab-eval-quotes-") as work:
        try:
            rows = evaluate(Path(args.eval_dir), Path(work), args.split, holdout=args.holdout)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    table = pd.DataFrame(rows)
    print(table.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
