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
from functools import cache, lru_cache
from itertools import chain, pairwise, repeat
from pathlib import Path

import numpy as np

MODELS = Path(__file__).parent / "models"
FORMAT_VERSION = 1
NEG = -1e9  # forbidden transitions
_MODES = ("normal", "title", "upper")  # what sentence_mode returns
#: Feature prefixes of the per-word records (Tagger._low_record, Tagger._shape_record), in
#: the order the records hold their ids.
_LOW_PREFIXES = ("l-1=", "l-2=", "l+1=", "l+2=")
_SHAPE_PREFIXES = (
    "t=",
    "t-1=",
    "t+1=",
    "t-2=",
    "t+2=",
    *(f"m={mode}|" for mode in _MODES),
    "nm=N|",
    "nm=T|",
    "i0|",
)

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

    def match(self, tokens: Tokens, lows: Sequence[str] | None = None) -> list[str | None]:
        """Per token, ``category-B`` / ``category-I`` of the longest capitalised phrase match
        (``lows``: the tokens in lower case, when the caller has them)."""
        if lows is None:
            lows = [t.lower() for t in tokens]
        n = len(tokens)
        out: list[str | None] = [None] * n
        max_len = self._max_len
        # The positions where a phrase may start (a known first word, not in lower case),
        # found in one pass; a token elsewhere only ever moved the scan on by one.
        starts = [
            i
            for i, (low, t) in enumerate(zip(lows, tokens, strict=True))
            if low in max_len and not t[:1].islower()
        ]
        free = 0  # the first token not inside a match
        for i in starts:
            if i < free:
                continue
            for k in range(min(max_len[lows[i]], n - i), 0, -1):
                cat = self._phrase.get(tuple(lows[i : i + k]))
                if cat:
                    out[i] = cat + "-B"
                    for j in range(i + 1, i + k):
                        out[j] = cat + "-I"
                    free = i + k
                    break
        return out

    def to_json(self) -> dict:
        return {"phrases": self.phrases, "words": self.words}


# --------------------------------------------------------------------------- features


def _lower_words(sentences: Iterable[Tokens], min_count: int = 2) -> frozenset[str]:
    """Words seen more often in lower case than capitalised mid-sentence, in normal text."""
    lower: Counter[str] = Counter()
    cap: Counter[str] = Counter()
    for tokens in sentences:
        if sentence_mode(tokens) != "normal":
            continue
        for i, t in enumerate(tokens):
            if not t[:1].isalpha():
                continue
            if t[0].islower():
                lower[t] += 1
            elif i > 0:
                cap[t.lower()] += 1
    return frozenset(w for w, c in lower.items() if c >= min_count and c > cap[w])


#: tokens after which a capitalised word is not evidence of a name (it may open a quote)
_OPENERS = frozenset({'"', "“", "‘", "'", ":", "(", "-", "—"})


def _doc_case(doc: Sequence[Tokens], modes: list[str]) -> tuple[set[str], set[str]]:
    """Lower-case forms seen in lower case, and seen capitalised mid-sentence, in normal text."""
    seen_lower: set[str] = set()
    seen_cap: set[str] = set()
    for tokens, mode in zip(doc, modes, strict=True):
        if mode != "normal" or not tokens:
            continue
        # The first token is never "capitalised mid-sentence": it pairs with an opener.
        for prev, t in zip(('"', *tokens), tokens, strict=False):
            if not t[:1].isalpha():
                continue
            if t[0].islower():
                seen_lower.add(t.lower())
            elif prev not in _OPENERS:
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
        #: words written in lower case in running text (from the training data): used to
        #: read title-case headlines ("Biden Warns Iran" -> "Biden warns Iran")
        self.lower_words: frozenset[str] = frozenset()
        self._reset_caches()
        self.weights2: np.ndarray | None = None  # the stacked second stage, if trained
        self.trans2 = self.trans
        self.start2 = self.start
        self._doc_tokens: Sequence[Tokens] = []

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
        return [
            [self._word_feats(w) + f for w, f in zip(tokens, sent, strict=True)]
            for tokens, sent in zip(doc, self._context_features(doc), strict=True)
        ]

    def _context_features(self, doc: Sequence[Tokens]) -> list[list[list[str]]]:
        """The features of each token that depend on more than the word itself."""
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
            # Tables of results ("Montreal 3 Chicago 2") name teams, not places.
            numeric = "N" if sum(t[:1].isdigit() for t in tokens) * 3 >= max(n, 1) else "T"
            sent = []
            for i, w in enumerate(tokens):
                k = i + 2
                s0 = pad_s[k]
                f = [
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
                    "nm=" + numeric + "|" + s0,
                ]
                if i == 0:
                    f.append("i0|" + s0)
                g = pad_g[i + 1]
                if g:
                    f.append("G=" + g)
                    f.append("nG=" + numeric + g)
                if pad_g[i]:
                    f.append("G-1=" + pad_g[i])
                if pad_g[i + 2]:
                    f.append("G+1=" + pad_g[i + 2])
                if i:
                    f.append("w-1=" + tokens[i - 1])
                    f.extend("g-1=" + c for c in self.gazetteer.word_categories(lows[i - 1]))
                if i + 1 < n:
                    f.append("w+1=" + tokens[i + 1])
                    f.append("x3+1=" + lows[i + 1][-3:])
                    f.extend("g+1=" + c for c in self.gazetteer.word_categories(lows[i + 1]))
                if w[:1].isupper():
                    lw = lows[i]
                    d = ("L" if lw in seen_lower else "") + ("C" if lw in seen_cap else "")
                    f.append("d=" + mode + d + ("0" if i == 0 else ""))
                sent.append(f)
            out.append(sent)
        return out

    def _ids(
        self, feats: list[list[str]], words: Sequence[str] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Feature ids of a sentence's tokens (flat) and where each token's ids start.

        An unknown feature maps to the last row of the weight matrices, which is all zeros, so
        no token's slice is empty and scoring is one ``reduceat``. With ``words``, each word's
        own features come from a cache of ids.
        """
        get = self.features.get
        miss = len(self.features)
        flat: list[int] = []
        offsets: list[int] = []
        if words is None:
            for f in feats:
                offsets.append(len(flat))
                flat += map(get, f, repeat(miss))
        else:
            cache = self._id_cache
            for w, f in zip(words, feats, strict=True):
                offsets.append(len(flat))
                wid = cache.get(w)
                if wid is None:
                    wid = list(map(get, self._word_feats(w), repeat(miss)))
                    if len(cache) < 200_000:
                        cache[w] = wid
                flat += wid
                flat += map(get, f, repeat(miss))
        return np.asarray(flat, dtype=np.int64), np.asarray(offsets, dtype=np.int64)

    def _reset_caches(self) -> None:
        """Forget every cached feature id (they change with the feature index)."""
        self._id_cache = {}
        self._word_rec: dict[str, tuple] = {}
        self._low_rec: dict[str, tuple] = {}
        self._shape_rec: dict[str, tuple] = {}
        self._pair_map: dict[tuple[str, str], tuple[int, int]] | None = None
        self._triple_ids: dict[tuple[str, str, str], int] = {}
        self._label_ids: tuple[dict[str, int], ...] | None = None
        self._d_ids: dict[str, list[int]] = {}

    def _word_record(self, w: str) -> tuple:
        """What a word brings to ``_doc_ids``: its own feature ids, its lower case and short
        shape, the ids it gives the token after it (``w-1=``, ``g-1=``) and the one before it
        (``w+1=``, ``x3+1=``, ``g+1=``), its lower-case and shape records, whether it is
        capitalised and starts with a digit, and its case class (for the document's case
        evidence). All depend on the word alone, so one look-up per token fetches them."""
        rec = self._word_rec.get(w)
        if rec is None:
            get = self.features.get
            miss = len(self.features)
            # Tuples, not lists: the garbage collector stops tracking tuples of ints, and a
            # process holds these for tens of thousands of words.
            wid = tuple(self._id_cache.get(w) or map(get, self._word_feats(w), repeat(miss)))
            low = w.lower()
            shape = short_shape(w)
            cats = self.gazetteer.word_categories(low)
            left = (get("w-1=" + w, miss), *(get("g-1=" + c, miss) for c in cats))
            right = (
                get("w+1=" + w, miss),
                get("x3+1=" + low[-3:], miss),
                *(get("g+1=" + c, miss) for c in cats),
            )
            rec = (
                wid,
                low,
                shape,
                left,
                right,
                self._low_record(low),
                self._shape_record(shape),
                w[:1].isupper(),
                w[:1].isdigit(),
                # for _doc_case: 0 not a word, 1 in lower case, 2 otherwise
                0 if not w[:1].isalpha() else 1 if w[0].islower() else 2,
            )
            if len(self._word_rec) < 200_000:
                self._word_rec[w] = rec
        return rec

    def _record(self, cache: dict, key: str, prefixes: tuple[str, ...]) -> tuple:
        """Ids of the features ``prefix + key`` for each prefix (the unknown row when the
        model lacks one), remembered per key in ``cache`` up to 200,000 keys."""
        rec = cache.get(key)
        if rec is None:
            get = self.features.get
            miss = len(self.features)
            rec = tuple([get(prefix + key, miss) for prefix in prefixes])
            if len(cache) < 200_000:
                cache[key] = rec
        return rec

    def _low_record(self, low: str) -> tuple:
        """Ids of the features a lower-case word (or a padding symbol) gives the tokens
        around it: ``l-1=``, ``l-2=``, ``l+1=``, ``l+2=``."""
        return self._record(self._low_rec, low, _LOW_PREFIXES)

    def _pairs(self) -> dict[tuple[str, str], tuple[int, int]]:
        """Ids of ``ll=`` and ``lr=`` for every pair of neighbouring lower-case words the model
        knows (either id may be the unknown row); an unlisted pair has neither.

        Most pairs of a text are new, so looking them up by building the feature strings cost
        more than all the other features; this index is built once from the feature names.
        A name ``ll=a|b|c`` is the string of the pairs ("a", "b|c") and ("a|b", "c") alike, so
        it is listed under every split.
        """
        if self._pair_map is None:
            miss = len(self.features)
            found: dict[tuple[str, str], list[int]] = {}
            for name, i in self.features.items():
                if name.startswith("ll="):
                    col = 0
                elif name.startswith("lr="):
                    col = 1
                else:
                    continue
                key = name[3:]
                cut = key.find("|")
                while cut >= 0:
                    found.setdefault((key[:cut], key[cut + 1 :]), [miss, miss])[col] = i
                    cut = key.find("|", cut + 1)
            self._pair_map = {k: (v[0], v[1]) for k, v in found.items()}
        return self._pair_map

    def _triple_id(self, shapes: tuple[str, str, str]) -> int:
        """Id of ``ttt=`` for the short shapes of three neighbouring tokens."""
        i = self.features.get("ttt=" + "|".join(shapes), len(self.features))
        if len(self._triple_ids) < 200_000:
            self._triple_ids[shapes] = i
        return i

    def _shape_record(self, shape: str) -> tuple:
        """Ids of the shape features: ``t=``, ``t-1=``, ``t+1=``, ``t-2=``, ``t+2=``, then
        ``m=`` for each sentence mode (_MODES), ``nm=`` for N and T, and ``i0|``."""
        return self._record(self._shape_rec, shape, _SHAPE_PREFIXES)

    def _d_table(self, mode: str) -> list[int]:
        """Ids of ``d=<mode><L?><C?><0?>`` indexed by 4*L + 2*C + first (the document-case
        feature of a capitalised token), so a token needs no string of its own."""
        table = self._d_ids.get(mode)
        if table is None:
            get = self.features.get
            miss = len(self.features)
            table = [
                get("d=" + mode + lo + ca + first, miss)
                for lo in ("", "L")
                for ca in ("", "C")
                for first in ("", "0")
            ]
            self._d_ids[mode] = table
        return table

    def _doc_ids(
        self, doc: Sequence[Tokens], modes: list[str] | None = None
    ) -> tuple[list[int], list[int]]:
        """Feature ids of every token of a document (flat) and where each token's ids start:
        per sentence the same ids, in the same order, as ``_ids`` of ``doc_features``, without
        building the feature strings. ``modes``: the sentences' ``sentence_mode``, if known.

        The order matters: scores are float32 sums, so a different order could round
        differently. The features of a token that come from one word (as a token, a lower-case
        neighbour or a shape) are looked up once per word type and cached.
        """
        get = self.features.get
        miss = len(self.features)
        if modes is None:
            modes = [sentence_mode(s) for s in doc]
        word_rec = self._word_rec
        doc_recs = [[word_rec.get(w) or self._word_record(w) for w in tokens] for tokens in doc]
        # _doc_case, from the records' case classes and lower cases.
        seen_lower: set[str] = set()
        seen_cap: set[str] = set()
        for tokens, recs, mode in zip(doc, doc_recs, modes, strict=True):
            if mode != "normal":
                continue
            for prev, rec in zip(('"', *tokens), recs, strict=False):
                kind = rec[9]
                if kind == 1:
                    seen_lower.add(rec[1])
                elif kind and prev not in _OPENERS:
                    seen_cap.add(rec[1])
        pair_get = self._pairs().get
        no_pair = (miss, miss)
        triple_ids = self._triple_ids
        pad_start = self._low_record("<s>")
        pad_end = self._low_record("</s>")
        spad_start = self._shape_record("<s>")
        spad_end = self._shape_record("</s>")
        flat: list[int] = []
        offsets: list[int] = []
        for tokens, recs, mode in zip(doc, doc_recs, modes, strict=True):
            n = len(tokens)
            if not n:
                continue
            wids, lows, shapes, lefts, rights, lrecs, srecs, ups, digits, _ = zip(
                *recs, strict=True
            )
            lrec = [pad_start, pad_start, *lrecs, pad_end, pad_end]
            srec = [spad_start, spad_start, *srecs, spad_end, spad_end]
            pad_l = ["<s>", "<s>", *lows, "</s>", "</s>"]
            pad_s = ["<s>", "<s>", *shapes, "</s>", "</s>"]
            gaz = self.gazetteer.match(tokens, lows)
            any_gaz = any(gaz)
            pad_g = [None, *gaz, None]
            numeric = sum(digits) * 3 >= max(n, 1)
            mi = 5 + _MODES.index(mode)
            num = "N" if numeric else "T"
            # Each feature as a column over the padded positions, so that a token's fixed
            # features are one tuple from ``zip`` (token i sits at padded position i + 2).
            l_m1, l_m2, l_p1, l_p2 = zip(*lrec, strict=True)
            t0, t_m1, t_p1, t_m2, t_p2, *m_cols, n_n, n_t, i0 = zip(*srec, strict=True)
            # (ll=, lr=) ids of each pair of neighbours: token i's "ll" pair is token i-1's "lr"
            pairs = [pair_get(x, no_pair) for x in pairwise(pad_l[1:])]
            fixed = zip(
                l_m1[1:],
                l_m2,
                l_p1[3:],
                l_p2[4:],
                t0[2:],
                t_m1[1:],
                t_p1[3:],
                t_m2,
                t_p2[4:],
                [x[0] for x in pairs],
                [x[1] for x in pairs[1:]],
                [
                    triple_ids.get(x) or self._triple_id(x)
                    for x in zip(pad_s[1:], pad_s[2:], pad_s[3:], strict=False)
                ],
                m_cols[mi - 5][2:],
                (n_n if numeric else n_t)[2:],
                strict=False,  # the columns run past the last token
            )
            # What each token gets from the token before it and the one after it.
            before = [(), *lefts[:-1]]
            after = [*rights[1:], ()]
            d_ids = self._d_table(mode)
            for i, (wid, fix, left, right, up) in enumerate(
                zip(wids, fixed, before, after, ups, strict=False)
            ):
                offsets.append(len(flat))
                flat += wid
                flat += fix
                if i == 0:
                    flat.append(i0[2])
                if any_gaz:
                    g = pad_g[i + 1]
                    if g:
                        flat.append(get("G=" + g, miss))
                        flat.append(get("nG=" + num + g, miss))
                    if pad_g[i]:
                        flat.append(get("G-1=" + pad_g[i], miss))
                    if pad_g[i + 2]:
                        flat.append(get("G+1=" + pad_g[i + 2], miss))
                flat += left
                flat += right
                if up:
                    low = lows[i]
                    flat.append(d_ids[(low in seen_lower) * 4 + (low in seen_cap) * 2 + (i == 0)])
        return flat, offsets

    def _agg_context(
        self, doc_labels: list[list[str]]
    ) -> tuple[list[list[str]], dict[str, Counter[str]], dict[str, str]]:
        """Per sentence the type of each token's entity ("O" outside), per capitalised word the
        types it got in the document, and the words that open or close a longer entity."""
        types: dict[str, Counter[str]] = {}
        per_sent = []
        spans = [spans_from_bilou(labels) for labels in doc_labels]
        for labels, sent_spans in zip(doc_labels, spans, strict=True):
            ts = ["O"] * len(labels)
            for s, e, t in sent_spans:
                for i in range(s, e):
                    ts[i] = t
            per_sent.append(ts)
        for tokens, ts in zip(self._doc_tokens, per_sent, strict=True):
            for w, t in zip(tokens, ts, strict=True):
                if w[:1].isupper():
                    # (not setdefault: it would build a Counter for every capitalised token)
                    low = w.lower()
                    c = types.get(low)
                    if c is None:
                        c = types[low] = Counter()
                    c[t] += 1
        # Words that open or close a longer entity elsewhere ("Pirelli SpA", "Jack Lew").
        inside: dict[str, str] = {}
        for tokens, sent_spans in zip(self._doc_tokens, spans, strict=True):
            for s, e, t in sent_spans:
                if e - s > 1:
                    inside.setdefault(tokens[s].lower(), f"B{t}")
                    inside.setdefault(tokens[e - 1].lower(), f"L{t}")
        return per_sent, types, inside

    @staticmethod
    def _agg_word(c: Counter[str], t: str, part_of: str | None) -> list[str]:
        """The document-level second-stage features of a capitalised word of type ``t``."""
        f = []
        rest = c.copy()
        rest[t] -= 1
        rest = +rest
        if rest:
            top, k = rest.most_common(1)[0]
            share = k / sum(rest.values())
            f.append(f"A={top}|{t}")
            f.append(f"A={top}|{'all' if share == 1 else 'most'}")
        if part_of:
            f.append(f"E={part_of}|{t}")
        return f

    def _agg_features(self, doc_labels: list[list[str]]) -> list[list[list[str]]]:
        """Second-stage features: the first stage's label of a token and its neighbours, and
        the majority type the first stage gave the same word elsewhere in the document (names
        recur: "tyre maker Pirelli" types a later, bare "Pirelli")."""
        per_sent, types, inside = self._agg_context(doc_labels)
        out = []
        for tokens, labels, ts in zip(self._doc_tokens, doc_labels, per_sent, strict=True):
            n = len(tokens)
            sent = []
            for i, w in enumerate(tokens):
                f = [
                    "S=" + labels[i],
                    "S-1=" + (labels[i - 1] if i else "<s>"),
                    "S+1=" + (labels[i + 1] if i + 1 < n else "</s>"),
                ]
                c = types.get(w.lower()) if w[:1].isupper() else None
                if c:
                    f += self._agg_word(c, ts[i], inside.get(w.lower()))
                sent.append(f)
            out.append(sent)
        return out

    def _agg_doc_ids(self, doc_labels: list[list[str]]) -> tuple[list[int], list[int]]:
        """Ids of the ``_agg_features`` of a document, flat, and where each token's start."""
        get = self.features.get
        miss = len(self.features)
        if self._label_ids is None:
            names = [*self.labels, "<s>", "</s>"]
            self._label_ids = tuple(
                {lab: get(prefix + lab, miss) for lab in names} for prefix in ("S=", "S-1=", "S+1=")
            )
        cur, prev, nxt = self._label_ids
        per_sent, types, inside = self._agg_context(doc_labels)
        words: dict[tuple[str, str], list[int]] = {}
        flat: list[int] = []
        offsets: list[int] = []
        cur_get, prev_get, nxt_get = cur.__getitem__, prev.__getitem__, nxt.__getitem__
        for tokens, labels, ts in zip(self._doc_tokens, doc_labels, per_sent, strict=True):
            pad = ["<s>", *labels, "</s>"]
            # Each token's (S=, S-1=, S+1=) ids as one tuple from ``zip``.
            own = zip(map(cur_get, labels), map(prev_get, pad), map(nxt_get, pad[2:]), strict=False)
            for i, (w, ids3) in enumerate(zip(tokens, own, strict=True)):
                offsets.append(len(flat))
                flat += ids3
                if w[:1].isupper():
                    low = w.lower()
                    c = types.get(low)
                    if c:
                        key = (low, ts[i])
                        ids = words.get(key)
                        if ids is None:
                            feats = self._agg_word(c, ts[i], inside.get(low))
                            ids = words[key] = [get(x, miss) for x in feats]
                        flat += ids
        return flat, offsets

    # ---------------------------------------------------------------- decoding

    def _scores(self, weights: np.ndarray, flat: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        if len(flat) == 0:
            return np.zeros((len(offsets), len(self.labels)))
        # Every token has at least its bias feature, so no slice is empty.
        return np.add.reduceat(weights[flat], offsets, axis=0)

    def _viterbi(
        self, scores: list[np.ndarray], trans: np.ndarray, start: np.ndarray
    ) -> list[list[int]]:
        """Best label paths of several sentences at once (padded, one step per position)."""
        lens = [len(sc) for sc in scores]
        return self._viterbi_flat(np.concatenate(scores), lens, trans, start)

    def _viterbi_flat(
        self, em_flat: np.ndarray, lens: list[int], trans: np.ndarray, start: np.ndarray
    ) -> list[list[int]]:
        """Best label paths of sentences of ``lens`` tokens (none empty) whose scores are
        stacked in ``em_flat``.

        The sentences are decoded together, longest first, so that each step only touches
        those still running; the arithmetic per sentence is that of a one-sentence Viterbi.
        """
        n_lab = len(self.labels)
        b = len(lens)
        if b == 1:
            return [self._viterbi_one(em_flat, lens[0], trans, start)]
        order = sorted(range(b), key=lambda k: -lens[k])
        firsts = np.cumsum([0, *lens[:-1]]).tolist()
        t_max = lens[order[0]]
        em = np.zeros((t_max, b, n_lab))  # position first: a step reads one contiguous block
        for r, k in enumerate(order):
            em[: lens[k], r] = em_flat[firsts[k] : firsts[k] + lens[k]]
        # active[i]: how many sentences have a token at position i (a prefix of ``order``)
        active = []
        j = b
        for i in range(t_max):
            while lens[order[j - 1]] <= i:
                j -= 1
            active.append(j)
        # Transposed (to label, from label), so that the best predecessor is found along the
        # contiguous last axis; the candidates are the same sums as ``score[:, :, None] + t``.
        t_in = np.ascontiguousarray((trans + self._mask_trans).T)
        score = start + self._mask_start + em[0]
        rows = score[:, None, :]  # a view: follows the updates of ``score``
        # Where each (sentence, label) row of the candidates starts in the flattened array.
        row_starts = np.arange(0, b * n_lab * n_lab, n_lab)
        back = [np.zeros(0)]  # back[i][r, j]: best label before j at position i of sentence r
        for i in range(1, t_max):
            a = active[i]
            cand = rows[:a] + t_in
            arg = cand.argmax(2)
            back.append(arg)
            # The best candidate's value is the maximum (picked directly: cheaper than a max
            # over short rows).
            top = cand.take(row_starts[: a * n_lab] + arg.ravel()).reshape(a, n_lab)
            np.add(top, em[i, :a], out=score[:a])
        last = (score + self._mask_end).argmax(1).tolist()
        items = [bk.item for bk in back]
        paths: list[list[int]] = [[] for _ in range(b)]
        for r, k in enumerate(order):
            path = [last[r]]
            for i in range(lens[k] - 1, 0, -1):
                path.append(items[i](r, path[-1]))
            paths[k] = path[::-1]
        return paths

    def _viterbi_one(
        self, em: np.ndarray, n: int, trans: np.ndarray, start: np.ndarray
    ) -> list[int]:
        """:meth:`_viterbi_flat` of one sentence: the same sums, without the batching (the
        part-of-speech tagger is asked for one sentence at a time; ~20% faster)."""
        n_lab = len(self.labels)
        t_in = np.ascontiguousarray((trans + self._mask_trans).T)
        score = start + self._mask_start + em[0]
        row_starts = np.arange(0, n_lab * n_lab, n_lab)
        back = []
        for i in range(1, n):
            cand = t_in + score
            arg = cand.argmax(1)
            back.append(arg)
            score = cand.take(row_starts + arg)
            score += em[i]
        k = int((score + self._mask_end).argmax())
        path = [k]
        for arg in reversed(back):
            k = int(arg[k])
            path.append(k)
        return path[::-1]

    def _flat_scores(self, weights: np.ndarray, ids: np.ndarray, offsets: list[int]) -> np.ndarray:
        """Scores of every token of a document from its feature ids (``_doc_ids``): one
        ``reduceat`` per document gives each token the same float32 sum as one per sentence."""
        if not len(ids):
            return np.zeros((len(offsets), len(self.labels)), dtype=weights.dtype)
        return np.add.reduceat(weights.take(ids, axis=0), offsets, axis=0)

    def _decode_flat(
        self, scores: np.ndarray, lens: list[int], trans: np.ndarray, start: np.ndarray
    ) -> list[list[str]]:
        keep = [k for k, n in enumerate(lens) if n]
        out: list[list[str]] = [[] for _ in lens]
        if keep:
            paths = self._viterbi_flat(scores, [lens[k] for k in keep], trans, start)
            labels = self.labels
            for k, path in zip(keep, paths, strict=True):
                out[k] = [labels[j] for j in path]
        return out

    def _decode(self, scores: list[np.ndarray], trans, start) -> list[list[str]]:
        keep = [k for k, sc in enumerate(scores) if len(sc)]
        out: list[list[str]] = [[] for _ in scores]
        if keep:
            paths = self._viterbi([scores[k] for k in keep], trans, start)
            for k, path in zip(keep, paths, strict=True):
                out[k] = [self.labels[j] for j in path]
        return out

    def truecase(self, doc: Sequence[Tokens]) -> list[list[str]]:
        """The document with its title-case sentences in running-text case.

        A word of a title-case sentence goes to lower case when it is usually written so and
        the document never writes it capitalised mid-sentence: news sites' headlines then look
        like the sentences the model learnt from. Offsets are unaffected (same lengths).

        >>> t = Tagger(["O"]); t.lower_words = frozenset({"warns", "against", "attacking"})
        >>> t.truecase([["Biden", "Warns", "Iran", "Against", "Attacking", "Israel"]])
        [['Biden', 'warns', 'Iran', 'against', 'attacking', 'Israel']]
        """
        modes = [sentence_mode(s) for s in doc]
        if "title" not in modes or not self.lower_words:
            return [list(s) for s in doc]
        _, seen_cap = _doc_case(doc, modes)
        out = []
        for tokens, mode in zip(doc, modes, strict=True):
            if mode == "title":
                # Words of a place name stay as written ("New York").
                gaz = self.gazetteer.match(tokens)
                tokens = [
                    t.lower()
                    if t[:1].isupper()
                    and not t[1:2].isupper()
                    and g is None
                    and self._usually_lower(t.lower())
                    and t.lower() not in seen_cap
                    else t
                    for t, g in zip(tokens, gaz, strict=True)
                ]
            out.append(list(tokens))
        return out

    def _usually_lower(self, low: str) -> bool:
        """Whether a word, or another regular inflection of it ("warns" from "warned"), is
        usually written in lower case."""
        words = self.lower_words
        if low in words:
            return True
        stems = {low}
        for suffix, repl in (
            ("s", ""),
            ("es", ""),
            ("ing", ""),
            ("ing", "e"),
            ("ed", ""),
            ("ed", "e"),
            ("ies", "y"),
        ):
            if low.endswith(suffix) and len(low) > len(suffix) + 2:
                stems.add(low[: -len(suffix)] + repl)
        endings = ("", "s", "es", "ed", "d", "ing")
        return any(stem + e in words for stem in stems for e in endings if stem + e != low)

    def tag_doc(self, doc: Sequence[Tokens]) -> list[list[str]]:
        """Labels for every token of every sentence of one document."""
        modes = [sentence_mode(s) for s in doc]
        known: list[str] | None = modes
        if "title" in modes and self.lower_words:
            doc = self.truecase(doc)
            known = None  # truecasing may change the modes
        lens = [len(t) for t in doc]
        flat, offsets = self._doc_ids(doc, known)
        ids = np.fromiter(flat, dtype=np.intp, count=len(flat))
        scores = self._flat_scores(self.weights, ids, offsets)
        labels = self._decode_flat(scores, lens, self.trans, self.start)
        if self.weights2 is None:
            return labels
        self._doc_tokens = doc
        agg_flat, agg_offsets = self._agg_doc_ids(labels)
        agg = np.fromiter(agg_flat, dtype=np.intp, count=len(agg_flat))
        # Scores are sums over features, so the second stage adds its extra features' scores.
        scores = self._flat_scores(self.weights2, ids, offsets) + self._flat_scores(
            self.weights2, agg, agg_offsets
        )
        return self._decode_flat(scores, lens, self.trans2, self.start2)

    def tag(self, tokens: Tokens) -> list[str]:
        """Labels for one sentence."""
        return self.tag_doc([tokens])[0]

    # ---------------------------------------------------------------- training

    def _fit(self, data, n_feats: int, epochs: int, seed: int, log=None):
        """Structured averaged perceptron over ``(flat ids, offsets, gold)`` sentences."""
        n_lab = len(self.labels)
        w = np.zeros((n_feats + 1, n_lab))  # the last row stands for unknown features
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
                pred = np.asarray(self._viterbi([self._scores(w, flat, offsets)], tr, st)[0])
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
                log(f"  epoch {epoch + 1}: {errors} token errors")
        avg = w - u / c
        avg[-1] = 0
        return avg, tr - tu / c, st - su / c

    def train(
        self,
        docs: Sequence[Sequence[tuple[Tokens, Sequence[str]]]],
        epochs: int = 10,
        min_count: int = 1,
        seed: int = 0,
        stacked: bool = False,
        folds: int = 4,
        log=None,
    ) -> None:
        """Train on documents of ``(tokens, labels)`` sentences.

        With ``stacked``, a second stage is trained on top of the first's predictions; those
        predictions come from ``folds``-fold jackknifing, so the second stage learns from
        first-stage errors as they occur on unseen text.
        """
        docs = [d for d in docs if d]
        self._reset_caches()  # ids change with the feature index
        self.lower_words = _lower_words(t for d in docs for t, _ in d)
        docs = [
            list(zip(self.truecase([t for t, _ in d]), [y for _, y in d], strict=True))
            for d in docs
        ]
        feats = [self.doc_features([t for t, _ in d]) for d in docs]
        golds = [[np.asarray([self.index[x] for x in y]) for _, y in d] for d in docs]

        def index_of(feat_docs) -> dict[str, int]:
            counts: Counter[str] = Counter()
            for fd in feat_docs:
                for sent in fd:
                    for tok in sent:
                        counts.update(tok)
            return {
                k: i for i, k in enumerate(sorted(k for k, c in counts.items() if c >= min_count))
            }

        def data_of(doc_ids: list[int], feat_docs) -> list:
            return [
                (*self._ids(f), g)
                for k in doc_ids
                for f, g in zip(feat_docs[k], golds[k], strict=True)
                if len(g)
            ]

        everything = list(range(len(docs)))
        self.features = index_of(feats)
        self.weights2 = None
        if log:
            log(f"stage 1: {len(self.features)} features")
        w1, t1, s1 = self._fit(data_of(everything, feats), len(self.features), epochs, seed, log)
        if not stacked:
            self.weights, self.trans, self.start = w1, t1, s1
            self._reset_caches()
            return
        first: list[list[list[str]]] = [[] for _ in docs]
        for fold in range(folds):
            held = everything[fold::folds]
            rest = [k for k in everything if k % folds != fold]
            self.features = index_of([feats[k] for k in rest])
            w, t, s = self._fit(data_of(rest, feats), len(self.features), epochs, seed)
            for k in held:
                scores = [self._scores(w, *self._ids(f)) for f in feats[k]]
                first[k] = self._decode(scores, t, s)
            if log:
                log(f"fold {fold + 1}/{folds} done")
        feats2 = []
        for k, d in enumerate(docs):
            self._doc_tokens = [t for t, _ in d]
            agg = self._agg_features(first[k])
            feats2.append(
                [
                    [a + b for a, b in zip(f, g, strict=True)]
                    for f, g in zip(feats[k], agg, strict=True)
                ]
            )
        old = index_of(feats)
        self.features = index_of(feats2)
        # Stage one's weights are re-indexed into the joint feature index.
        w1_full = np.zeros((len(self.features) + 1, len(self.labels)))
        for name, i in old.items():
            j = self.features.get(name)
            if j is not None:
                w1_full[j] = w1[i]
        if log:
            log(f"stage 2: {len(self.features)} features")
        w2, t2, s2 = self._fit(data_of(everything, feats2), len(self.features), epochs, seed, log)
        self.weights, self.trans, self.start = w1_full, t1, s1
        self.weights2, self.trans2, self.start2 = w2, t2, s2
        self._reset_caches()

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
        return {
            "f1": round(2 * prec * rec / max(prec + rec, 1e-9), 4),
            "precision": round(prec, 4),
            "recall": round(rec, 4),
        }

    # ---------------------------------------------------------------- persistence

    def save(self, path: Path | str, prune: float = 0.0) -> None:
        """Write the model as gzipped JSON, dropping weights smaller than ``prune``."""
        names = sorted(self.features, key=self.features.get)
        mats = [self.weights] if self.weights2 is None else [self.weights, self.weights2]
        stages = []
        for mat in mats:
            weights: dict[str, dict[str, float]] = {}
            for name, row in zip(names, mat[: len(names)], strict=True):
                keep = {str(j): round(float(v), 3) for j, v in enumerate(row) if abs(v) >= prune}
                keep = {j: v for j, v in keep.items() if v != 0}
                if keep:
                    weights[name] = keep
            stages.append(weights)
        trans = [self.trans] if self.weights2 is None else [self.trans, self.trans2]
        start = [self.start] if self.weights2 is None else [self.start, self.start2]
        payload = {
            "format": FORMAT_VERSION,
            "meta": self.meta,
            "labels": self.labels,
            "scheme": self.scheme,
            "gazetteer": self.gazetteer.to_json(),
            "lower_words": sorted(self.lower_words),
            "stages": [
                {
                    "weights": w,
                    "transitions": np.round(t, 3).tolist(),
                    "start": np.round(s, 3).tolist(),
                }
                for w, t, s in zip(stages, trans, start, strict=True)
            ],
        }
        data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        # mtime=0: the same model gives a byte-identical file.
        with (
            open(path, "wb") as fh,
            gzip.GzipFile(filename="", fileobj=fh, mode="wb", mtime=0) as gz,
        ):
            gz.write(data.encode("utf-8"))

    @classmethod
    def load(cls, path: Path | str) -> Tagger:
        """Read a model written by :meth:`save`."""
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            payload = json.load(fh)
        if payload.get("format") != FORMAT_VERSION:
            raise ValueError(
                f"{path}: model format {payload.get('format')}, expected "
                f"{FORMAT_VERSION}; retrain with scripts/train_tagger.py"
            )
        tagger = cls(
            payload["labels"], payload["scheme"], Gazetteer(**payload["gazetteer"]), payload["meta"]
        )
        tagger.lower_words = frozenset(payload.get("lower_words", ()))
        # Ids only pick rows of the weight matrices, so any numbering of the features gives
        # the same scores; first seen is cheapest (no sort).
        names = dict.fromkeys(chain.from_iterable(st["weights"] for st in payload["stages"]))
        features = dict(zip(names, range(len(names)), strict=True))
        tagger.features = features
        columns = {str(j): j for j in range(len(tagger.labels))}
        mats = []
        for st in payload["stages"]:
            w = np.zeros((len(features) + 1, len(tagger.labels)), dtype=np.float32)
            table = st["weights"]
            rows = [features[name] for name in table]
            sizes = [len(row) for row in table.values()]
            cols = [columns[j] for row in table.values() for j in row]
            vals = [v for row in table.values() for v in row.values()]
            w[np.repeat(np.asarray(rows, dtype=np.intp), sizes), cols] = vals
            mats.append((w, np.asarray(st["transitions"]), np.asarray(st["start"])))
        tagger.weights, tagger.trans, tagger.start = mats[0]
        if len(mats) > 1:
            tagger.weights2, tagger.trans2, tagger.start2 = mats[1]
        return tagger


# --------------------------------------------------------------------------- label schemes

SCORED = ("PER", "ORG", "LOC")


def spans_from_bilou(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity spans ``(start, end, type)`` from BILOU labels (lenient with stray I/L).

    >>> spans_from_bilou(["B-PER", "L-PER", "O", "U-LOC"])
    [(0, 2, 'PER'), (3, 4, 'LOC')]
    """
    if labels.count("O") == len(labels):
        return []
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
    # The NumPy twin beside the JSON loads in a tenth of the time (falls back when stale).
    from presslab.modelio import load_tagger

    return load_tagger(path)


def pos_tag(tokens: list[str]) -> list[str]:
    """Penn Treebank part-of-speech tags for one sentence's tokens."""
    if not tokens:
        return []
    # A copy, so a caller that edits its tags cannot change the memo.
    return list(_pos_tag_memo(tuple(tokens)))


@lru_cache(maxsize=4096)
def _pos_tag_memo(tokens: tuple[str, ...]) -> tuple[str, ...]:
    # One sentence is tagged by several stages (actors for each place mention, agency,
    # figures); tags depend on the tokens alone, so the later calls reuse the first.
    return tuple(load_model("pos").tag(list(tokens)))


def entities(doc: Sequence[Tokens]) -> list[Entity]:
    """Named entities (PER, ORG, LOC, MISC) of a document given as sentences of tokens."""
    out: list[Entity] = []
    for k, labels in enumerate(load_model("ner").tag_doc(doc)):
        out.extend((k, s, e, t) for s, e, t in spans_from_bilou(labels))
    return out
