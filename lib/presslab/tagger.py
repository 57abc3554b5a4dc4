"""A small, fast sequence tagger (structured averaged perceptron) for names and parts of speech.

presslab cannot download NLTK's or spaCy's models, so it trains its own with
``scripts/train_tagger.py`` and ships them as gzipped JSON in ``presslab/models/``: the feature
weights, the label set, the gazetteer the features use, the checksum of the training data and
the dev score. No training sentence is stored.

The model is a first-order linear chain (Collins 2002): per-token features (word, lower case,
shape, affixes, a +-2 window, gazetteer matches, the sentence's case mode, and document-level
case evidence) scored by one weight matrix, label transitions scored by another, decoded with
Viterbi under the constraints of the label scheme (BILOU for names). Features of a word type are
cached, so tagging runs at well over 50k tokens per second on one core.

>>> pos_tag(["The", "minister", "said", "it", "was", "a", "threat", "."])
['DT', 'NN', 'VBD', 'PRP', 'VBD', 'DT', 'NN', '.']
>>> entities([["Defense", "Minister", "Yoav", "Gallant", "visited", "Israel", "."]])
[(0, 2, 4, 'PER'), (0, 5, 6, 'LOC')]
"""

from __future__ import annotations

import gzip
import json
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

MODELS = Path(__file__).parent / "models"
FORMAT_VERSION = 1
NEG = -1e9  # forbidden transitions

Tokens = Sequence[str]
#: an entity as (sentence index, first token, end token exclusive, type)
Entity = tuple[int, int, int, str]

_SHAPE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "XXXXXXXXXXXXXXXXXXXXXXXXXXxxxxxxxxxxxxxxxxxxxxxxxxxxdddddddddd",
)


def _full_shape(word: str) -> str:
    shape = word.translate(_SHAPE)
    if not shape.isascii():
        shape = "".join(c if c.isascii() else ("X" if c.isupper() else "x") for c in shape)
    return shape


def word_shape(word: str) -> str:
    """Shape of a word, capped at 6 characters.

    >>> word_shape("Gallant"), word_shape("U.S."), word_shape("F-35"), word_shape("1996-08-22")
    ('Xxxxxx', 'X.X.', 'X-dd', 'dddd-d')
    """
    return _full_shape(word[:6])


def short_shape(word: str) -> str:
    """Shape with runs collapsed.

    >>> short_shape("Gallant"), short_shape("U.S."), short_shape("1,000")
    ('Xx', 'X.X.', 'd,d')
    """
    out: list[str] = []
    for c in _full_shape(word[:16]):
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def sentence_mode(tokens: Tokens) -> str:
    """``upper`` (all-caps headline), ``title`` (title case) or ``normal``.

    >>> sentence_mode("Israel Thanks U.S. , UK for Helping Repel Iranian Attack".split())
    'title'
    """
    words = [t for t in tokens if t[:1].isalpha()]
    long_words = [t for t in words if len(t) > 3]
    if len(words) >= 2 and all(t.isupper() or len(t) == 1 for t in words):
        return "upper" if sum(len(t) > 1 for t in words) >= 2 else "normal"
    if len(long_words) >= 3 and sum(t[0].isupper() for t in long_words) >= 0.8 * len(long_words):
        return "title"
    return "normal"


# --------------------------------------------------------------------------- gazetteer


@dataclass
class Gazetteer:
    """Word and phrase lists (lower case) the features consult: countries, cities, first names..."""

    phrases: dict[str, list[str]] = field(default_factory=dict)  # category -> phrases
    words: dict[str, list[str]] = field(default_factory=dict)  # category -> single words

    def __post_init__(self) -> None:
        self._phrase: dict[tuple[str, ...], str] = {}
        self._max_len: dict[str, int] = {}
        for cat, items in self.phrases.items():
            for p in items:
                key = tuple(p.lower().split())
                if key and key not in self._phrase:
                    self._phrase[key] = cat
                    self._max_len[key[0]] = max(self._max_len.get(key[0], 0), len(key))
        self._word: dict[str, list[str]] = {}
        for cat, items in self.words.items():
            for w in items:
                self._word.setdefault(w.lower(), []).append(cat)

    def word_categories(self, lower: str) -> list[str]:
        return self._word.get(lower, [])

    def match(self, tokens: Tokens) -> list[str | None]:
        """Per token, ``category-B`` / ``category-I`` of the longest capitalised phrase match."""
        lows = [t.lower() for t in tokens]
        out: list[str | None] = [None] * len(tokens)
        i = 0
        n = len(tokens)
        while i < n:
            m = self._max_len.get(lows[i], 0)
            if m and not tokens[i][:1].islower():
                for k in range(min(m, n - i), 0, -1):
                    cat = self._phrase.get(tuple(lows[i : i + k]))
                    if cat:
                        out[i] = cat + "-B"
                        for j in range(i + 1, i + k):
                            out[j] = cat + "-I"
                        i += k
                        break
                else:
                    i += 1
            else:
                i += 1
        return out

    def to_json(self) -> dict:
        return {"phrases": self.phrases, "words": self.words}


# --------------------------------------------------------------------------- features


def _doc_case(doc: Sequence[Tokens], modes: list[str]) -> tuple[set[str], set[str]]:
    """Lower-case forms seen in lower case, and seen capitalised mid-sentence, in normal text."""
    seen_lower: set[str] = set()
    seen_cap: set[str] = set()
    for tokens, mode in zip(doc, modes, strict=True):
        if mode != "normal":
            continue
        for i, t in enumerate(tokens):
            if not t[:1].isalpha():
                continue
            if t[0].islower():
                seen_lower.add(t.lower())
            elif i > 0 and tokens[i - 1] not in {'"', "“", "‘", "'", ":", "(", "-", "—"}:
                seen_cap.add(t.lower())
    return seen_lower, seen_cap


class Tagger:
    """A trained (or empty) tagger: labels, feature weights, transitions and its gazetteer."""

    def __init__(
        self,
        labels: list[str],
        scheme: str = "plain",
        gazetteer: Gazetteer | None = None,
        meta: dict | None = None,
    ) -> None:
        self.labels = list(labels)
        self.index = {lab: i for i, lab in enumerate(self.labels)}
        self.scheme = scheme
        self.gazetteer = gazetteer or Gazetteer()
        self.meta = dict(meta or {})
        self.features: dict[str, int] = {}
        n = len(self.labels)
        self.weights = np.zeros((0, n))
        self.trans = np.zeros((n, n))
        self.start = np.zeros(n)
        self._mask_trans, self._mask_start, self._mask_end = self._masks()
        self._cache: dict[str, list[str]] = {}

    # ---------------------------------------------------------------- constraints

    def _masks(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = len(self.labels)
        trans = np.zeros((n, n))
        start = np.zeros(n)
        end = np.zeros(n)
        if self.scheme != "bilou":
            return trans, start, end
        for j, lab in enumerate(self.labels):
            pre, _, typ = lab.partition("-")
            if pre in {"I", "L"}:
                start[j] = NEG
            if pre in {"B", "I"}:
                end[j] = NEG
            for i, prev in enumerate(self.labels):
                ppre, _, ptyp = prev.partition("-")
                open_prev = ppre in {"B", "I"}
                if open_prev != (pre in {"I", "L"}) or (open_prev and ptyp != typ):
                    trans[i, j] = NEG
        return trans, start, end

    # ---------------------------------------------------------------- features

    def _word_feats(self, w: str) -> list[str]:
        cached = self._cache.get(w)
        if cached is not None:
            return cached
        lw = w.lower()
        feats = [
            "b",
            "w=" + w,
            "l=" + lw,
            "s=" + word_shape(w),
            "p1=" + lw[:1],
            "p2=" + lw[:2],
            "p3=" + lw[:3],
            "p4=" + lw[:4],
            "x1=" + lw[-1:],
            "x2=" + lw[-2:],
            "x3=" + lw[-3:],
            "x4=" + lw[-4:],
            "n=" + str(min(len(w), 8)),
        ]
        if "-" in w:
            feats.append("hy")
        for cat in self.gazetteer.word_categories(lw):
            feats.append("g=" + cat)
        if len(self._cache) < 200_000:
            self._cache[w] = feats
        return feats

    def doc_features(self, doc: Sequence[Tokens]) -> list[list[list[str]]]:
        """Feature strings of every token of every sentence of one document."""
        modes = [sentence_mode(s) for s in doc]
        seen_lower, seen_cap = _doc_case(doc, modes)
        out = []
        for tokens, mode in zip(doc, modes, strict=True):
            n = len(tokens)
            lows = [t.lower() for t in tokens]
            shapes = [short_shape(t) for t in tokens]
            gaz = self.gazetteer.match(tokens)
            pad_l = ["<s>", "<s>", *lows, "</s>", "</s>"]
            pad_s = ["<s>", "<s>", *shapes, "</s>", "</s>"]
            pad_g = [None, *gaz, None]
            sent = []
            for i, w in enumerate(tokens):
                k = i + 2
                s0 = pad_s[k]
                f = list(self._word_feats(w))
                f += (
                    "l-1=" + pad_l[k - 1],
                    "l-2=" + pad_l[k - 2],
                    "l+1=" + pad_l[k + 1],
                    "l+2=" + pad_l[k + 2],
                    "t=" + s0,
                    "t-1=" + pad_s[k - 1],
                    "t+1=" + pad_s[k + 1],
                    "t-2=" + pad_s[k - 2],
                    "t+2=" + pad_s[k + 2],
                    "ll=" + pad_l[k - 1] + "|" + lows[i],
                    "lr=" + lows[i] + "|" + pad_l[k + 1],
                    "ttt=" + pad_s[k - 1] + "|" + s0 + "|" + pad_s[k + 1],
                    "m=" + mode + "|" + s0,
                )
                if i == 0:
                    f.append("i0|" + s0)
                g = pad_g[i + 1]
                if g:
                    f.append("G=" + g)
                if pad_g[i]:
                    f.append("G-1=" + pad_g[i])
                if pad_g[i + 2]:
                    f.append("G+1=" + pad_g[i + 2])
                if w[:1].isupper():
                    lw = lows[i]
                    d = ("L" if lw in seen_lower else "") + ("C" if lw in seen_cap else "")
                    f.append("d=" + mode + d + ("0" if i == 0 else ""))
                sent.append(f)
            out.append(sent)
        return out

    def _ids(self, feats: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        get = self.features.get
        flat: list[int] = []
        offsets: list[int] = []
        for f in feats:
            offsets.append(len(flat))
            flat.extend(i for i in map(get, f) if i is not None)
        return np.asarray(flat, dtype=np.int64), np.asarray(offsets, dtype=np.int64)

    # ---------------------------------------------------------------- decoding

    def _scores(self, weights: np.ndarray, flat: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        if len(flat) == 0:
            return np.zeros((len(offsets), len(self.labels)))
        # Every token has the bias feature, so no token's slice of ``flat`` is empty.
        return np.add.reduceat(weights[flat], offsets, axis=0)

    def _viterbi(self, scores: np.ndarray, trans: np.ndarray, start: np.ndarray) -> list[int]:
        n, _ = scores.shape
        score = start + self._mask_start + scores[0]
        t = trans + self._mask_trans
        back = np.empty((n, scores.shape[1]), dtype=np.int64)
        for i in range(1, n):
            cand = score[:, None] + t
            back[i] = best = cand.argmax(0)
            score = cand[best, np.arange(len(best))] + scores[i]
        score = score + self._mask_end
        path = [int(score.argmax())]
        for i in range(n - 1, 0, -1):
            path.append(int(back[i, path[-1]]))
        return path[::-1]

    def tag_doc(self, doc: Sequence[Tokens]) -> list[list[str]]:
        """Labels for every token of every sentence of one document."""
        out = []
        for tokens, feats in zip(doc, self.doc_features(doc), strict=True):
            if not tokens:
                out.append([])
                continue
            flat, offsets = self._ids(feats)
            path = self._viterbi(self._scores(self.weights, flat, offsets), self.trans,
                                 self.start)
            out.append([self.labels[j] for j in path])
        return out

    def tag(self, tokens: Tokens) -> list[str]:
        """Labels for one sentence."""
        return self.tag_doc([tokens])[0]

    # ---------------------------------------------------------------- training

    def train(
        self,
        docs: Sequence[Sequence[tuple[Tokens, Sequence[str]]]],
        epochs: int = 10,
        min_count: int = 1,
        seed: int = 0,
        dev: Sequence[Sequence[tuple[Tokens, Sequence[str]]]] | None = None,
        log=None,
    ) -> None:
        """Train on documents of ``(tokens, labels)`` sentences (structured averaged perceptron)."""
        counts: Counter[str] = Counter()
        items: list[tuple[list[list[str]], list[int]]] = []
        for doc in docs:
            feats = self.doc_features([t for t, _ in doc])
            for (_, labels), f in zip(doc, feats, strict=True):
                if f:
                    items.append((f, [self.index[lab] for lab in labels]))
                    for tok in f:
                        counts.update(tok)
        names = sorted(k for k, c in counts.items() if c >= min_count)
        self.features = {k: i for i, k in enumerate(names)}
        del counts
        data = [(*self._ids(f), np.asarray(y)) for f, y in items]
        del items
        n_lab = len(self.labels)
        w = np.zeros((len(names), n_lab))
        u = np.zeros_like(w)  # Daume's trick: average = w - u / c
        tr = np.zeros((n_lab, n_lab))
        tu = np.zeros_like(tr)
        st = np.zeros(n_lab)
        su = np.zeros_like(st)
        c = 1.0
        rng = random.Random(seed)
        order = list(range(len(data)))
        for epoch in range(epochs):
            rng.shuffle(order)
            errors = 0
            for k in order:
                flat, offsets, gold = data[k]
                pred = np.asarray(self._viterbi(self._scores(w, flat, offsets), tr, st))
                wrong = np.nonzero(pred != gold)[0]
                if len(wrong):
                    errors += len(wrong)
                    ends = np.append(offsets[1:], len(flat))
                    for i in wrong:
                        ids = flat[offsets[i] : ends[i]]
                        w[ids, gold[i]] += 1
                        w[ids, pred[i]] -= 1
                        u[ids, gold[i]] += c
                        u[ids, pred[i]] -= c
                    for seq, sign in ((gold, 1), (pred, -1)):
                        st[seq[0]] += sign
                        su[seq[0]] += sign * c
                        np.add.at(tr, (seq[:-1], seq[1:]), sign)
                        np.add.at(tu, (seq[:-1], seq[1:]), sign * c)
                c += 1
            if log:
                self.weights, self.trans, self.start = w - u / c, tr - tu / c, st - su / c
                msg = f"epoch {epoch + 1}: {errors} token errors"
                if dev is not None:
                    msg += f", dev {self.evaluate(dev)}"
                log(msg)
        self.weights, self.trans, self.start = w - u / c, tr - tu / c, st - su / c

    def evaluate(self, docs: Sequence[Sequence[tuple[Tokens, Sequence[str]]]]) -> dict:
        """Token accuracy (plain scheme) or exact-span F1 for PER/ORG/LOC (BILOU scheme)."""
        tp = fp = fn = right = total = 0
        for doc in docs:
            pred = self.tag_doc([t for t, _ in doc])
            for (_, gold), p in zip(doc, pred, strict=True):
                right += sum(a == b for a, b in zip(gold, p, strict=True))
                total += len(gold)
                g = {e for e in spans_from_bilou(gold) if e[2] in SCORED}
                q = {e for e in spans_from_bilou(p) if e[2] in SCORED}
                tp += len(g & q)
                fp += len(q - g)
                fn += len(g - q)
        if self.scheme != "bilou":
            return {"accuracy": round(right / max(total, 1), 4)}
        prec = tp / max(tp + fp, 1)
        rec = tp / max(tp + fn, 1)
        return {"f1": round(2 * prec * rec / max(prec + rec, 1e-9), 4),
                "precision": round(prec, 4), "recall": round(rec, 4)}

    # ---------------------------------------------------------------- persistence

    def save(self, path: Path | str, prune: float = 0.0) -> None:
        """Write the model as gzipped JSON, dropping weights smaller than ``prune``."""
        weights: dict[str, dict[str, float]] = {}
        names = sorted(self.features, key=self.features.get)
        for name, row in zip(names, self.weights, strict=True):
            keep = {str(j): round(float(v), 3) for j, v in enumerate(row) if abs(v) >= prune}
            keep = {j: v for j, v in keep.items() if v != 0}
            if keep:
                weights[name] = keep
        payload = {
            "format": FORMAT_VERSION,
            "meta": self.meta,
            "labels": self.labels,
            "scheme": self.scheme,
            "gazetteer": self.gazetteer.to_json(),
            "transitions": np.round(self.trans, 3).tolist(),
            "start": np.round(self.start, 3).tolist(),
            "weights": weights,
        }
        data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        # mtime=0: the same model gives a byte-identical file.
        with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
            gz.write(data.encode("utf-8"))

    @classmethod
    def load(cls, path: Path | str) -> Tagger:
        """Read a model written by :meth:`save`."""
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            payload = json.load(fh)
        if payload.get("format") != FORMAT_VERSION:
            raise ValueError(f"{path}: model format {payload.get('format')}, expected "
                             f"{FORMAT_VERSION}; retrain with scripts/train_tagger.py")
        tagger = cls(payload["labels"], payload["scheme"], Gazetteer(**payload["gazetteer"]),
                     payload["meta"])
        names = list(payload["weights"])
        tagger.features = {k: i for i, k in enumerate(names)}
        w = np.zeros((len(names), len(tagger.labels)), dtype=np.float32)
        for i, name in enumerate(names):
            for j, v in payload["weights"][name].items():
                w[i, int(j)] = v
        tagger.weights = w
        tagger.trans = np.asarray(payload["transitions"])
        tagger.start = np.asarray(payload["start"])
        return tagger


# --------------------------------------------------------------------------- label schemes

SCORED = ("PER", "ORG", "LOC")


def spans_from_bilou(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity spans ``(start, end, type)`` from BILOU labels (lenient with stray I/L).

    >>> spans_from_bilou(["B-PER", "L-PER", "O", "U-LOC"])
    [(0, 2, 'PER'), (3, 4, 'LOC')]
    """
    out = []
    start = None
    typ = None
    for i, lab in enumerate(labels):
        pre, _, t = lab.partition("-")
        if pre in {"B", "U"} or pre == "O" or (pre in {"I", "L"} and t != typ):
            if start is not None:
                out.append((start, i, typ))
                start = None
            if pre in {"B", "U", "I", "L"}:
                start, typ = i, t
        if pre in {"U", "L"} and start is not None:
            out.append((start, i + 1, typ))
            start = None
    if start is not None:
        out.append((start, len(labels), typ))
    return out


def bilou_from_spans(n: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BILOU labels for ``n`` tokens from entity spans ``(start, end, type)``."""
    labels = ["O"] * n
    for s, e, t in spans:
        if e - s == 1:
            labels[s] = "U-" + t
        else:
            labels[s] = "B-" + t
            for i in range(s + 1, e - 1):
                labels[i] = "I-" + t
            labels[e - 1] = "L-" + t
    return labels


def bilou_labels(types: Iterable[str]) -> list[str]:
    """The label set of the BILOU scheme over ``types``."""
    return ["O"] + [f"{p}-{t}" for t in types for p in "BILU"]


# --------------------------------------------------------------------------- shipped models


@cache
def load_model(name: str) -> Tagger:
    """A shipped model by name (``ner`` or ``pos``), loaded once per process."""
    path = MODELS / f"{name}.json.gz"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `python scripts/train_tagger.py`")
    return Tagger.load(path)


def pos_tag(tokens: list[str]) -> list[str]:
    """Penn Treebank part-of-speech tags for one sentence's tokens."""
    if not tokens:
        return []
    return load_model("pos").tag(tokens)


def entities(doc: Sequence[Tokens]) -> list[Entity]:
    """Named entities (PER, ORG, LOC, MISC) of a document given as sentences of tokens."""
    out: list[Entity] = []
    for k, labels in enumerate(load_model("ner").tag_doc(doc)):
        out.extend((k, s, e, t) for s, e, t in spans_from_bilou(labels))
    return out
