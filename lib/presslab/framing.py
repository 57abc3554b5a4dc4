"""Frames with the words that carry them; naming choices (labels); evaluative words.

Frames come from a codebook researchers edit (``codebook/frames.yaml``): every cue found is a
row of the ``frames`` table, so each frame assigned to an article can be traced to its
sentences. :func:`score_article_frames` turns cue weights into an article score per frame and
a ``present`` decision with thresholds calibrated on annotated news
(``scripts/calibrate_frames.py`` writes ``codebook/frame_thresholds.json``).

The decision rule: ``score`` is the frame's cue weight (cues in headline, dek, captions and
body; credits, bylines and boilerplate are not coverage; a repeated cue counts with the square
root of its count) divided by the square root of the body length in hundreds of words
(``n_words`` of the ``articles`` table, at least :data:`MIN_WORDS`), and a frame is
``present`` when ``score >= threshold`` for that frame and at least ``min_sentences`` distinct
sentences carry its cues.

Tone (VADER) and agency live in :mod:`presslab.tone` and :mod:`presslab.agency`; this module
re-exports :func:`extract_tone` and :func:`extract_agency` for the pipeline.

>>> from presslab.corpus import article_from_text
>>> from presslab.text import segment
>>> art = article_from_text("Costs soar\\n\\nThe plan will cost taxpayers $2bn, critics said.")
>>> rows = extract_frames(art, segment(art))
>>> sorted(set(zip(rows.frame, rows.cue)))[:3]
[('conflict', 'critic'), ('economic', 'cost'), ('economic', 're:^[$£€]')]
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from presslab.corpus import Article
from presslab.schemas import SCHEMAS, column_index
from presslab.text import Doc, Sentence, token_spans
from presslab.yamldata import parse_yaml

#: layout parts whose words count as coverage (credits, bylines, boilerplate do not)
COUNTED_PARTS = frozenset({"headline", "dek", "caption", "body"})
#: the five generic news frames (Semetko & Valkenburg 2000)
GENERIC_FRAMES = ("conflict", "human_interest", "economic", "morality", "responsibility")

# Irregular forms the suffix rules below cannot undo; enough for news verbs and plurals.
_IRREGULAR = {
    "shot": "shoot",
    "struck": "strike",
    "stricken": "strike",
    "fought": "fight",
    "hit": "hit",
    "lost": "lose",
    "led": "lead",
    "brought": "bring",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "began": "begin",
    "begun": "begin",
    "spoke": "speak",
    "spoken": "speak",
    "met": "meet",
    "drew": "draw",
    "drawn": "draw",
    "went": "go",
    "gone": "go",
    "made": "make",
    "saw": "see",
    "seen": "see",
    "shown": "show",
    "threw": "throw",
    "thrown": "throw",
    "flew": "fly",
    "flown": "fly",
    "stood": "stand",
    "held": "hold",
    "sought": "seek",
    "caught": "catch",
    "fell": "fall",
    "fallen": "fall",
    "felt": "feel",
    "left": "leave",
    "paid": "pay",
    "sent": "send",
    "spent": "spend",
    "built": "build",
    "cut": "cut",
    "put": "put",
    "hurt": "hurt",
    "grew": "grow",
    "grown": "grow",
    "rose": "rise",
    "risen": "rise",
    "told": "tell",
    "said": "say",
    "thought": "think",
    "kept": "keep",
    "won": "win",
    "beat": "beat",
    "beaten": "beat",
    "slain": "slay",
    "slew": "slay",
    "bore": "bear",
    "borne": "bear",
    "broke": "break",
    "broken": "break",
    "chose": "choose",
    "chosen": "choose",
    "overran": "overrun",
    "children": "child",
    "men": "man",
    "women": "woman",
    "people": "person",
    "lives": "life",
    "wives": "wife",
    "knives": "knife",
    "feet": "foot",
    "mice": "mouse",
    "was": "be",
    "were": "be",
    "is": "be",
    "are": "be",
    "been": "be",
    "am": "be",
    "has": "have",
    "had": "have",
    "did": "do",
    "does": "do",
    "done": "do",
    "ran": "run",
    "wrote": "write",
    "written": "write",
    "knew": "know",
    "known": "know",
    "drove": "drive",
    "driven": "drive",
    "rode": "ride",
    "shook": "shake",
    "shaken": "shake",
    "woke": "wake",
    "sank": "sink",
    "sunk": "sink",
    "bled": "bleed",
    "fled": "flee",
    "dealt": "deal",
    "meant": "mean",
    "heard": "hear",
    "found": "find",
    "bought": "buy",
    "taught": "teach",
    "understood": "understand",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    "overtook": "overtake",
    "undertook": "undertake",
}
_VOWELS = set("aeiou")
#: how many distinct words the per-word lookups below remember (bounds memory on big corpora)
_CACHE_SIZE = 200_000
# Words that merely look inflected: "according" is not a form of "accord".
_NOT_INFLECTED = frozenset(
    {
        "according",
        "during",
        "morning",
        "evening",
        "nothing",
        "something",
        "anything",
        "everything",
        "thing",
        "king",
        "ring",
        "string",
        "spring",
        "wing",
        "sing",
        "bring",
        "news",
        "series",
        "species",
        "always",
        "sometimes",
        "perhaps",
        "less",
        "unless",
        "thus",
        "this",
        "his",
        "its",
        "us",
        "yes",
        "bus",
        "gas",
        "alias",
        "bias",
        "analysis",
        "crisis",
        "basis",
        "was",
        "has",
        "is",
        "does",
        "united",
        "need",
        "seed",
        "feed",
        "speed",
        "bed",
        "red",
        "shed",
        "hundred",
        "indeed",
        "sacred",
        "naked",
        "wicked",
        "ceiling",
        "weeds",
    }
)


@cache
def base_forms(word: str) -> frozenset[str]:
    """Candidate dictionary forms of a word: itself, lower-cased, and its suffixes undone.

    Over-generation is harmless here because the candidates are only looked up in cue lists.

    >>> sorted(base_forms("Attacked"))
    ['attack', 'attacke', 'attacked']
    >>> "stop" in base_forms("stopping") and "child" in base_forms("children")
    True
    """
    w = word.lower().replace("’", "'")
    out = {w}
    if w in _IRREGULAR:
        out.add(_IRREGULAR[w])
    if w in _NOT_INFLECTED:
        return frozenset(out)
    n = len(w)
    if n > 4 and w.endswith("ies"):
        out.add(w[:-3] + "y")
    if n > 3 and w.endswith("es"):
        out.add(w[:-2])
    if n > 3 and w.endswith("s") and not w.endswith("ss"):
        out.add(w[:-1])
    if n > 4 and w.endswith("ied"):
        out.add(w[:-3] + "y")
    if n > 3 and w.endswith("ed"):
        stem = w[:-2]
        out.update((stem, w[:-1]))
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
            out.add(stem[:-1])
    if n > 4 and w.endswith("ing"):
        stem = w[:-3]
        out.update((stem, stem + "e"))
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
            out.add(stem[:-1])
    return frozenset(out)


# ---------------------------------------------------------------------------------------------
# The codebook


@dataclass(frozen=True)
class Pattern:
    """One cue pattern: a sequence of word tests (lemma, stem* or re:)."""

    text: str
    parts: tuple[tuple[str, object], ...]  # ("word", "attack") | ("prefix", "econ") | ("re", rx)

    def match_at(self, forms: Sequence[frozenset[str]], words: Sequence[str], i: int) -> bool:
        """Whether the pattern matches the tokens starting at index ``i``."""
        if i + len(self.parts) > len(words):
            return False
        for k, (kind, value) in enumerate(self.parts):
            if kind == "word":
                if value not in forms[i + k]:
                    return False
            elif kind == "prefix":
                if not words[i + k].lower().startswith(value):  # type: ignore[arg-type]
                    return False
            elif not value.search(words[i + k]):  # type: ignore[union-attr]
                return False
        return True

    def first_matches(self, word: str) -> bool:
        """Whether the pattern's first word test passes on ``word``."""
        kind, value = self.parts[0]
        if kind == "word":
            return value in base_forms(word)
        if kind == "prefix":
            return word.lower().startswith(value)  # type: ignore[arg-type]
        return bool(value.search(word))  # type: ignore[union-attr]

    def found_in(self, forms: Sequence[frozenset[str]], words: Sequence[str]) -> bool:
        """Whether the pattern matches anywhere in a sentence."""
        return any(self.match_at(forms, words, i) for i in range(len(words)))


def compile_pattern(text: str) -> Pattern:
    """Compile a cue as written in the codebook (see the header of ``frames.yaml``)."""
    text = str(text).strip()
    if text.startswith("re:"):
        return Pattern(text, (("re", re.compile(text[3:])),))
    parts: list[tuple[str, object]] = []
    for s, e in token_spans(text):
        piece = text[s:e].lower().replace("’", "'")
        if piece == "*":
            continue
        if e < len(text) and text[e] == "*":
            parts.append(("prefix", piece))
        else:
            parts.append(("word", piece))
    # "stem*" tokenises as "stem" + "*": fold the star into the previous word.
    folded: list[tuple[str, object]] = []
    for kind, value in parts:
        if kind == "prefix" and folded and folded[-1] == ("word", value):
            folded[-1] = ("prefix", value)
        else:
            folded.append((kind, value))
    return Pattern(text, tuple(folded))


@dataclass(frozen=True)
class Cue:
    """A frame cue with its weight and optional sentence conditions."""

    frame: str
    pattern: Pattern
    weight: float
    context: tuple[Pattern, ...] = ()
    unless: tuple[Pattern, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """Frames, their definitions and cues, as loaded from YAML."""

    frames: dict[str, dict]
    cues: tuple[Cue, ...]
    by_first: dict[str, tuple[Cue, ...]] = field(default_factory=dict)
    other: tuple[Cue, ...] = ()  # cues starting with a prefix or regex: tested everywhere
    #: word as written -> the cues whose first word test it passes (filled as words are seen)
    first_cache: dict[str, tuple[Cue, ...]] = field(default_factory=dict, compare=False, repr=False)

    def starting_with(self, word: str) -> tuple[Cue, ...]:
        """The cues whose first word test ``word`` passes (the rest of each is not tested).

        Depends on the word alone, so it is worked out once per distinct word: testing the
        prefix and regex cues at every token was most of the cost of :func:`extract_frames`.
        """
        hit = self.first_cache.get(word)
        if hit is None:
            found: list[Cue] = []
            for form in base_forms(word):
                found.extend(self.by_first.get(form, ()))
            found.extend(c for c in self.other if c.pattern.first_matches(word))
            hit = tuple(found)
            if len(self.first_cache) < _CACHE_SIZE:
                self.first_cache[word] = hit
        return hit


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]  # type: ignore[union-attr]


def parse_codebook(data: dict) -> Codebook:
    """Build a :class:`Codebook` from the parsed YAML mapping."""
    frames = data.get("frames") or {}
    cues: list[Cue] = []
    for frame, spec in frames.items():
        for cue_text, value in (spec.get("cues") or {}).items():
            opts = value if isinstance(value, dict) else {"weight": value}
            cues.append(
                Cue(
                    frame=str(frame),
                    pattern=compile_pattern(str(cue_text)),
                    weight=float(opts.get("weight", 1.0)),
                    context=tuple(compile_pattern(c) for c in _as_list(opts.get("context"))),
                    unless=tuple(compile_pattern(c) for c in _as_list(opts.get("unless"))),
                )
            )
    by_first: dict[str, list[Cue]] = {}
    other: list[Cue] = []
    for cue in cues:
        kind, value = cue.pattern.parts[0]
        if kind == "word":
            by_first.setdefault(str(value), []).append(cue)
        else:
            other.append(cue)
    return Codebook(
        frames={str(k): v for k, v in frames.items()},
        cues=tuple(cues),
        by_first={k: tuple(v) for k, v in by_first.items()},
        other=tuple(other),
    )


def codebook_path() -> Path:
    """The shipped frame codebook."""
    return Path(str(resources.files("presslab").joinpath("codebook/frames.yaml")))


@cache
def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load a frame codebook (the shipped one by default)."""
    path = Path(path) if path else codebook_path()
    return parse_codebook(parse_yaml(path.read_text(encoding="utf-8")))


def thresholds_path() -> Path:
    """Where the calibrated thresholds live (next to the codebook)."""
    return codebook_path().with_name("frame_thresholds.json")


def load_thresholds(path: str | Path | None = None) -> dict:
    """The calibrated decision rule: ``{"frames": {frame: threshold}, "min_sentences": n}``."""
    path = Path(path) if path else thresholds_path()
    if not path.exists():
        return {"frames": {}, "min_sentences": 1, "default": 1.0}
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Frames


def _sentence_cues(codebook: Codebook, words: Sequence[str]) -> list[tuple[int, int, Cue]]:
    """Cue matches in one sentence as (first token, end token, cue), longest match first."""
    forms = [base_forms(w) for w in words]
    found: list[tuple[int, int, Cue]] = []
    # The codebook's cache read here first: a call per word cost more than the lookup.
    first_cache = codebook.first_cache
    for i, word in enumerate(words):
        candidates = first_cache.get(word)
        if candidates is None:
            candidates = codebook.starting_with(word)
        # Each cue is a candidate at most once per token, and the order of candidates does
        # not matter: matches are sorted on a key that is unique per (token, cue) below.
        for cue in candidates:
            n_parts = len(cue.pattern.parts)
            if n_parts == 1 or cue.pattern.match_at(forms, words, i):
                found.append((i, i + n_parts, cue))
    found = [
        m
        for m in found
        if (not m[2].context or any(p.found_in(forms, words) for p in m[2].context))
        and not any(p.found_in(forms, words) for p in m[2].unless)
    ]
    # Longest match wins: a cue inside a longer cue (of any frame) is dropped; equally long
    # overlapping cues of different frames both count (a word can carry two frames).
    # Ties are broken by frame, then the heavier cue, then the cue's text, so that the same
    # input always gives the same rows (candidates come from sets, whose order varies by run).
    found.sort(key=lambda m: (-(m[1] - m[0]), m[0], m[2].frame, -m[2].weight, m[2].pattern.text))
    kept: list[tuple[int, int, Cue]] = []
    for m in found:
        if any(k[0] <= m[0] and m[1] <= k[1] and (k[1] - k[0]) > (m[1] - m[0]) for k in kept):
            continue
        if any(k[0] == m[0] and k[1] == m[1] and k[2].frame == m[2].frame for k in kept):
            continue  # one cue per frame per span
        kept.append(m)
    return sorted(kept, key=lambda m: (m[0], m[1], m[2].frame))


def as_table(rows: list, name: str) -> pd.DataFrame:
    """Rows as the named table; an empty table is copied from a template (about 20 times
    cheaper than building one, and most articles leave some tables empty)."""
    from presslab.tables import empty

    if not rows:
        return empty(name)
    return pd.DataFrame(rows, columns=column_index(name))


def counted_sentences(doc: Doc) -> list[Sentence]:
    """The sentences whose words count as coverage (see :data:`COUNTED_PARTS`)."""
    return [s for s in doc.sentences if s.part in COUNTED_PARTS]


def extract_frames(article: Article, doc: Doc, codebook: Codebook | None = None) -> pd.DataFrame:
    """One row per frame cue found (schema ``frames``), in headline, dek, captions and body."""
    codebook = codebook or load_codebook()
    text = article.text
    rows = []
    for sentence in counted_sentences(doc):
        words = [text[s:e] for s, e in sentence.tokens]
        for i, j, cue in _sentence_cues(codebook, words):
            start, end = sentence.tokens[i][0], sentence.tokens[j - 1][1]
            rows.append(
                (
                    article.article_id,
                    sentence.sentence_id,
                    cue.frame,
                    cue.pattern.text,
                    start,
                    end,
                    cue.weight,
                )
            )
    return as_table(rows, "frames")


#: the floor of the length used to normalise scores (a headline-only item has no body words)
MIN_WORDS = 50


def _n_words(articles: Iterable) -> dict[str, int]:
    """Body words per article (``n_words`` of the ``articles`` table), from either source."""
    if isinstance(articles, pd.DataFrame):
        return {
            str(a): int(n) if pd.notna(n) else 0
            for a, n in zip(articles["article_id"], articles["n_words"], strict=True)
        }
    from presslab.tables import article_row
    from presslab.text import segment

    return {art.article_id: int(article_row(art, segment(art))["n_words"]) for art in articles}


def cue_weight(frames: pd.DataFrame) -> dict[tuple[str, str], float]:
    """Cue weight per (article, frame): each cue's weight times the square root of how often it
    occurs, summed over the frame's cues.

    A frame shows in a range of cues more than in one word repeated: a cue found four times
    counts twice.
    """
    if frames is None or len(frames) == 0:
        return {}
    per_cue = frames.groupby(["article_id", "frame", "cue"])["weight"].agg(["first", "size"])
    per_cue["w"] = per_cue["first"] * per_cue["size"] ** 0.5
    summed = per_cue.groupby(level=["article_id", "frame"])["w"].sum()
    return {(str(a), str(f)): float(v) for (a, f), v in summed.items()}


def score_article_frames(
    frames: pd.DataFrame,
    articles: Iterable,
    thresholds: dict | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """One row per article and frame (schema ``article_frames``) with the calibrated decision.

    ``articles`` is a sequence of :class:`Article` or the ``articles`` table. ``score`` is the
    frame's :func:`cue_weight` divided by the square root of the article's body words in
    hundreds (at least :data:`MIN_WORDS` words); ``present`` needs
    ``score >= threshold[frame]`` and cues in at least ``min_sentences`` sentences.
    """
    codebook = codebook or load_codebook()
    rule = thresholds if thresholds is not None else load_thresholds()
    lengths = _n_words(articles)
    names = list(codebook.frames)
    weight = cue_weight(frames)
    n_sent = frames.groupby(["article_id", "frame"])["sentence_id"].nunique() if len(frames) else {}
    min_sentences = int(rule.get("min_sentences", 1))
    rows = []
    for article_id in sorted(lengths):
        n = max(lengths[article_id], MIN_WORDS)
        for frame in names:
            w = float(weight.get((article_id, frame), 0.0))
            k = int(n_sent.get((article_id, frame), 0)) if len(frames) else 0
            score = round(w / math.sqrt(n / 100.0), 4)
            threshold = float(rule.get("frames", {}).get(frame, rule.get("default", 1.0)))
            present = bool(score >= threshold and k >= min_sentences and w > 0)
            rows.append((article_id, frame, score, present))
    return pd.DataFrame(rows, columns=SCHEMAS["article_frames"])


def frame_evidence(frames: pd.DataFrame, doc: Doc, frame: str) -> pd.DataFrame:
    """The sentences carrying one frame in one article, strongest first, with their cues."""
    sub = frames[frames["frame"] == frame]
    if sub.empty:
        return pd.DataFrame(columns=["sentence_id", "start", "end", "text", "weight", "cues"])
    grouped = sub.groupby("sentence_id").agg(
        weight=("weight", "sum"), cues=("cue", lambda c: ", ".join(sorted(set(c))))
    )
    rows = []
    for sentence_id, row in grouped.iterrows():
        s = doc.sentences[int(sentence_id)]
        rows.append(
            (int(sentence_id), s.start, s.end, doc.text(s), float(row["weight"]), row["cues"])
        )
    out = pd.DataFrame(rows, columns=["sentence_id", "start", "end", "text", "weight", "cues"])
    return out.sort_values(["weight", "sentence_id"], ascending=[False, True], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Naming choices (labels)

#: mention kinds that are naming choices (pronouns and credits are not)
LABEL_KINDS = frozenset({"label", "metonym", "name", "title"})


def extract_labels(article: Article, doc: Doc, mentions: pd.DataFrame | None) -> pd.DataFrame:
    """The words used to name each actor (schema ``labels``), from the actor mentions.

    Every mention of kind label, metonym, name or title that is linked to an actor is a row;
    ``label`` is the words as written (``article.text[start:end]``).
    """
    if mentions is None or len(mentions) == 0:
        return as_table([], "labels")
    # Plain columns rather than a filtered DataFrame: pandas costs more than the work here.
    rows = [
        (
            article.article_id,
            str(actor_id),
            article.text[int(start) : int(end)],
            str(kind),
            int(start),
            int(end),
        )
        # (as lists: iterating a list is cheaper than iterating a Series)
        for actor_id, kind, start, end in zip(
            mentions["actor_id"].tolist(),
            mentions["kind"].tolist(),
            mentions["start"].tolist(),
            mentions["end"].tolist(),
            strict=True,
        )
        if kind in LABEL_KINDS and not pd.isna(actor_id)
    ]
    return as_table(rows, "labels")


def normalise_label(label: str) -> str:
    """A label as counted across articles: spaces collapsed, a leading "the" dropped.

    >>> normalise_label("the  Islamic Republic"), normalise_label("The regime's")
    ('Islamic Republic', "regime's")
    """
    words = label.replace("’", "'").split()
    if words and words[0].lower() == "the":
        words = words[1:]
    return " ".join(words)


def _text_or_empty(value: object) -> str:
    """A cell as text, with missing values (None, NaN, pd.NA) as ""."""
    return "" if value is None or pd.isna(value) else str(value)  # type: ignore[arg-type]


def label_counts(labels: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """How often each actor is called each label: ``actor_id, label, kind, outlet, n,
    n_articles`` (outlet from the ``articles`` table when given, else empty)."""
    columns = ["actor_id", "label", "kind", "outlet", "n", "n_articles"]
    if labels is None or len(labels) == 0:
        return pd.DataFrame(columns=columns)
    df = labels.assign(label=labels["label"].astype(str).map(normalise_label))
    outlets = {}
    if articles is not None and len(articles) and "outlet" in articles:
        outlets = dict(zip(articles["article_id"].astype(str), articles["outlet"], strict=True))
    df["outlet"] = [_text_or_empty(outlets.get(a)) for a in df["article_id"].astype(str)]
    out = (
        df.groupby(["actor_id", "label", "kind", "outlet"], dropna=False)
        .agg(n=("start", "size"), n_articles=("article_id", "nunique"))
        .reset_index()
    )
    return out.sort_values(
        ["actor_id", "n", "label"], ascending=[True, False, True], ignore_index=True
    )[columns]


# ---------------------------------------------------------------------------------------------
# Evaluative words


@dataclass(frozen=True)
class _Lexicon:
    words: dict[str, str]  # lower-case form -> category
    phrases: tuple[tuple[tuple[str, ...], str], ...]
    prefixes: tuple[tuple[str, str], ...]
    #: the phrases by first word, in lexicon order (the first phrase that matches wins)
    phrases_by_first: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = field(
        default_factory=dict
    )
    #: lower-case word -> its single-word category or None (filled as words are seen)
    word_cache: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def word_category(self, word: str) -> str | None:
        """The category of a lower-case word on its own: listed, else its first prefix."""
        if word in self.word_cache:
            return self.word_cache[word]
        category = self.words.get(word)
        if category is None:
            category = next((c for stem, c in self.prefixes if word.startswith(stem)), None)
        if len(self.word_cache) < _CACHE_SIZE:
            self.word_cache[word] = category
        return category


@cache
def load_evaluative(path: str | Path | None = None) -> _Lexicon:
    """The evaluative lexicon (``codebook/evaluative.yaml`` by default)."""
    path = Path(path) if path else codebook_path().with_name("evaluative.yaml")
    data = parse_yaml(Path(path).read_text(encoding="utf-8"))
    words: dict[str, str] = {}
    phrases: list[tuple[tuple[str, ...], str]] = []
    prefixes: list[tuple[str, str]] = []
    for category, spec in (data.get("categories") or {}).items():
        for item in spec.get("words") or []:
            item = str(item).lower().strip()
            if item.endswith("*"):
                prefixes.append((item[:-1], str(category)))
            elif " " in item:
                phrases.append((tuple(item.split()), str(category)))
            else:
                words.setdefault(item, str(category))
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, category in phrases:
        by_first.setdefault(phrase[0], []).append((phrase, category))
    return _Lexicon(
        words, tuple(phrases), tuple(prefixes), {k: tuple(v) for k, v in by_first.items()}
    )


def extract_evaluative(article: Article, doc: Doc) -> pd.DataFrame:
    """Intensifiers and evaluative words by sentence (schema ``evaluative``).

    ``word`` is the matched text as written; ``category`` one of the lexicon's categories
    (intensifier, magnitude, severity, negative_judgement, positive_judgement, certainty,
    hedge). A phrase in the lexicon is preferred to its single words.
    """
    lexicon = load_evaluative()
    # The lexicon's tables read here first: a call per word cost more than the lookup.
    phrases_by_first, word_cache = lexicon.phrases_by_first, lexicon.word_cache
    text = article.text
    rows = []
    for sentence in counted_sentences(doc):
        words = [text[s:e].lower().replace("’", "'") for s, e in sentence.tokens]
        i = 0
        while i < len(words):
            hit: tuple[int, str] | None = None
            word = words[i]
            for phrase, category in phrases_by_first.get(word, ()):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    hit = (len(phrase), category)
                    break
            if hit is None:
                category = word_cache[word] if word in word_cache else lexicon.word_category(word)
                if category is not None:
                    hit = (1, category)
            if hit is None:
                i += 1
                continue
            start, end = sentence.tokens[i][0], sentence.tokens[i + hit[0] - 1][1]
            rows.append(
                (article.article_id, sentence.sentence_id, text[start:end], hit[1], start, end)
            )
            i += hit[0]
    return as_table(rows, "evaluative")


# ---------------------------------------------------------------------------------------------
# Tone and agency live in their own modules; the pipeline finds them here.


def extract_tone(
    article: Article,
    doc: Doc,
    mentions: pd.DataFrame | None = None,
    quotes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Tone per sentence, article, actor and quote: see :func:`presslab.tone.extract_tone`."""
    from presslab.tone import extract_tone as _extract_tone

    return _extract_tone(article, doc, mentions, quotes)


def extract_agency(
    article: Article, doc: Doc, mentions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Who does what to whom: see :func:`presslab.agency.extract_agency`."""
    from presslab.agency import extract_agency as _extract_agency

    return _extract_agency(article, doc, mentions)


# ---------------------------------------------------------------------------------------------
# Corpus views for notebooks (tables in, tables out)


def frame_matrix(article_frames: pd.DataFrame, value: str = "score") -> pd.DataFrame:
    """Articles (rows) by frames (columns, codebook order) of ``score`` or ``present``."""
    names = list(load_codebook().frames)
    if article_frames is None or len(article_frames) == 0:
        return pd.DataFrame(columns=names)
    wide = article_frames.pivot_table(
        index="article_id", columns="frame", values=value, aggfunc="max"
    )
    return wide.reindex(columns=[n for n in names if n in wide.columns]).sort_index()


def evidence_table(
    frames: pd.DataFrame,
    article_frames: pd.DataFrame,
    sentences: pd.DataFrame,
    texts: dict[str, str],
    per_frame: int = 3,
) -> pd.DataFrame:
    """For each frame present in an article, its strongest sentences with their cues.

    ``texts`` maps article ids to ``Article.text`` (sentences are cut from it by offset).
    Columns: ``article_id, frame, sentence_id, start, end, weight, cues, text``.
    """
    columns = ["article_id", "frame", "sentence_id", "start", "end", "weight", "cues", "text"]
    if frames is None or len(frames) == 0 or article_frames is None or len(article_frames) == 0:
        return pd.DataFrame(columns=columns)
    present = article_frames[article_frames["present"].astype(bool)][["article_id", "frame"]]
    sub = frames.merge(present, on=["article_id", "frame"])
    if sub.empty:
        return pd.DataFrame(columns=columns)
    grouped = (
        sub.groupby(["article_id", "frame", "sentence_id"])
        .agg(weight=("weight", "sum"), cues=("cue", lambda c: ", ".join(sorted(set(c)))))
        .reset_index()
    )
    spans = sentences[["article_id", "sentence_id", "start", "end"]]
    grouped = grouped.merge(spans, on=["article_id", "sentence_id"], how="left")
    grouped = grouped.sort_values(
        ["article_id", "frame", "weight", "sentence_id"], ascending=[True, True, False, True]
    )
    top = grouped.groupby(["article_id", "frame"]).head(per_frame).copy()
    top["text"] = [
        texts.get(str(a), "")[int(s) : int(e)] if pd.notna(s) else ""
        for a, s, e in zip(top["article_id"], top["start"], top["end"], strict=True)
    ]
    return top[columns].reset_index(drop=True)


def tone_by_actor(tone: pd.DataFrame, actors: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tone toward each actor across the corpus: the mean compound of the sentences that
    mention it (weighted by sentences), with ``n_articles`` and ``n_sentences``; the actor's
    name when the ``actors`` table is given. Most mentioned first."""
    columns = ["actor_id", "name", "compound", "n_sentences", "n_articles"]
    if tone is None or len(tone) == 0:
        return pd.DataFrame(columns=columns)
    rows = tone[tone["level"] == "actor"].copy()
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows["weighted"] = rows["compound"] * rows["n_sentences"]
    out = (
        rows.groupby("target")
        .agg(
            weighted=("weighted", "sum"),
            n_sentences=("n_sentences", "sum"),
            n_articles=("article_id", "nunique"),
        )
        .reset_index()
        .rename(columns={"target": "actor_id"})
    )
    out["compound"] = (out["weighted"] / out["n_sentences"]).round(4)
    names = {}
    if actors is not None and len(actors) and "name" in actors:
        names = dict(zip(actors["actor_id"].astype(str), actors["name"], strict=True))
    out["name"] = [names.get(str(a), str(a)) for a in out["actor_id"]]
    out = out.sort_values(["n_sentences", "actor_id"], ascending=[False, True])
    return out[columns].reset_index(drop=True)
