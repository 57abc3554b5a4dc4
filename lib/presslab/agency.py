"""Agency: who does what to whom, for event verbs (``codebook/agency.yaml``).

For each event verb (launch, fire, strike, intercept, down, kill…) used as a verb, one row of
the ``agency`` table: the verb, its voice, the agent and the patient (each with its span and,
when an actor mention lies inside, the actor id; coordinated actors are joined by ``;``).

Clauses handled:

* active: "Iran launched 170 drones" (agent Iran, patient 170 drones);
* passive with or without an agent: "the drones were intercepted (by Jordan)";
* reduced passive (a participle after its noun): "missiles fired from Iran" (Iran, the source,
  is the agent), "projectiles launched towards Israel" (no agent);
* relative clauses: "the 170 drones that Iran launched" (agent Iran, patient the drones),
  "Iran, which launched 170 drones" (agent Iran);
* coordinated subjects: "The United States, United Kingdom and Jordan downed many …".

Parts of speech come from :func:`presslab.tagger.pos_tag` (trained by the project) when its
model is installed, otherwise from a small rule-based tagger (closed-class words, suffixes and
capitals) that is enough to find noun phrases around event verbs.

>>> from presslab.corpus import article_from_text
>>> from presslab.text import segment
>>> text = "Strikes\\n\\nThe drones that Iran launched were intercepted by Jordan."
>>> art = article_from_text(text)
>>> rows = extract_agency(art, segment(art))
>>> rows[["verb", "voice", "agent", "patient"]].values.tolist()
[['launched', 'active', 'Iran', 'The drones'], ['intercepted', 'passive', 'Jordan', 'The drones']]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from presslab.corpus import Article
from presslab.framing import COUNTED_PARTS, as_table, base_forms
from presslab.text import Doc
from presslab.yamldata import parse_yaml

# --------------------------------------------------------------------------- verbs


@dataclass(frozen=True)
class VerbLexicon:
    """Event verb lemmas, their particles and irregular participles."""

    lemmas: frozenset[str]
    particles: dict[str, frozenset[str]]
    participles: dict[str, str]  # irregular past form -> lemma
    #: word as written -> its event-verb lemma or None (filled as words are seen)
    lemma_cache: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)


@cache
def load_verbs(path: str | Path | None = None) -> VerbLexicon:
    """The event verbs (``codebook/agency.yaml`` by default)."""
    path = (
        Path(path)
        if path
        else Path(str(resources.files("presslab").joinpath("codebook/agency.yaml")))
    )
    data = parse_yaml(Path(path).read_text(encoding="utf-8"))
    lemmas, particles, participles = set(), {}, {}
    for lemma, spec in (data.get("verbs") or {}).items():
        spec = spec or {}
        lemma = str(lemma).lower()
        lemmas.add(lemma)
        particles[lemma] = frozenset(str(p).lower() for p in spec.get("particle") or [])
        for form in spec.get("participles") or []:
            participles[str(form).lower()] = lemma
    return VerbLexicon(frozenset(lemmas), particles, participles)


# --------------------------------------------------------------------------- parts of speech

_DT = {
    "the",
    "a",
    "an",
    "this",
    "these",
    "those",
    "some",
    "any",
    "no",
    "every",
    "each",
    "all",
    "both",
    "many",
    "several",
    "most",
    "few",
    "much",
    "another",
    "other",
    "such",
    "none",
}
_IN = {
    "of",
    "in",
    "on",
    "at",
    "by",
    "from",
    "with",
    "for",
    "over",
    "under",
    "into",
    "onto",
    "towards",
    "toward",
    "against",
    "about",
    "after",
    "before",
    "during",
    "across",
    "through",
    "near",
    "between",
    "among",
    "since",
    "until",
    "via",
    "upon",
    "amid",
    "despite",
    "without",
    "within",
    "per",
    "including",
    "as",
    "than",
    "like",
    "around",
    "because",
    "while",
    "if",
    "whether",
    "although",
    "though",
    "when",
    "where",
}
_CC = {"and", "or", "but", "nor"}
_PRP = {"i", "you", "he", "she", "it", "we", "they", "me", "him", "us", "them"}
_PRPS = {"my", "your", "his", "its", "our", "their", "her"}
_WDT = {"which", "who", "whom", "whose", "that"}
_MD = {"will", "would", "can", "could", "may", "might", "must", "shall", "should"}
_BE = {
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "am",
    "'s",
    "’s",
    "get",
    "got",
    "gets",
    "gotten",
    "getting",
}
_RB = {
    "not",
    "also",
    "already",
    "still",
    "then",
    "reportedly",
    "allegedly",
    "successfully",
    "n't",
    "never",
    "just",
    "later",
    "earlier",
    "again",
    "once",
    "together",
}
_NUMBER_WORDS = {
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "dozen",
    "dozens",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
}
_APPROX = {
    "over",
    "about",
    "around",
    "nearly",
    "almost",
    "some",
    "roughly",
    "approximately",
    "more",
    "less",
    "fewer",
    "than",
    "up",
    "to",
    "at",
    "least",
    "most",
    "just",
}
_SAY = {
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "noted",
    "stated",
    "announced",
    "reported",
    "claimed",
    "warned",
    "insisted",
    "confirmed",
    "denied",
    "according",
}
_NUMBER = re.compile(r"^[$£€¥₪]?\d")


def heuristic_tags(words: Sequence[str]) -> list[str]:
    """Penn-style tags from word lists, suffixes and capitals (the tagger's fallback)."""
    tags = []
    for i, word in enumerate(words):
        low = word.lower()
        if not any(c.isalnum() for c in word):
            tags.append("POS" if low in ("'s", "’s") else word if len(word) == 1 else ":")
        elif low in ("'s", "’s"):
            tags.append("POS")
        elif _NUMBER.match(word) or low in _NUMBER_WORDS:
            tags.append("CD")
        elif low in _DT:
            tags.append("DT")
        elif low in _WDT and (low != "that" or (i and tags[-1].startswith("NN"))):
            tags.append("WDT")
        elif low in _IN or low == "that":
            tags.append("IN")
        elif low == "to":
            tags.append("TO")
        elif low in _CC:
            tags.append("CC")
        elif low in _PRP:
            tags.append("PRP")
        elif low in _PRPS:
            tags.append("PRP$")
        elif low in _MD:
            tags.append("MD")
        elif low in ("down", "up", "out", "off", "back", "away"):
            tags.append("RP")
        elif low in _SAY:
            tags.append("VBD")
        elif low in _BE or low in ("has", "have", "had", "did", "does", "do"):
            tags.append("VB")
        elif low in _RB or (low.endswith("ly") and len(low) > 4):
            tags.append("RB")
        elif word[0].isupper() and (i > 0 or low not in _DT):
            tags.append("NNP")
        elif low.endswith("ed") or low in load_verbs().participles:
            tags.append("VBN")
        elif low.endswith("ing") and len(low) > 5:
            tags.append("VBG")
        elif low.endswith("s") and not low.endswith("ss"):
            tags.append("NNS")
        else:
            tags.append("NN")
    return tags


@cache
def _tagger_available() -> bool:
    try:
        from presslab.tagger import pos_tag

        pos_tag(["Test"])
    except Exception:  # no model yet, or one of another format: the rules still work
        return False
    return True


def pos_tags(words: Sequence[str]) -> list[str]:
    """Penn tags from the project's trained tagger, or :func:`heuristic_tags` without it."""
    if _tagger_available():
        from presslab.tagger import pos_tag

        return list(pos_tag(list(words)))
    return heuristic_tags(words)


# --------------------------------------------------------------------------- noun phrases

_NP_TAGS = {"DT", "PDT", "CD", "JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "PRP$", "POS"}
_HEAD_TAGS = {"NN", "NNS", "NNP", "NNPS", "CD", "PRP"}


def _wordlike(word: str) -> bool:
    return any(c.isalnum() for c in word) or word in ("'s", "’s", "%")


def noun_phrases(words: Sequence[str], tags: Sequence[str]) -> list[tuple[int, int]]:
    """Noun phrase token ranges ``(first, end)``, with "X of Y" and approximators joined."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(words)
    while i < n:
        if tags[i] == "PRP":
            spans.append((i, i + 1))
            i += 1
            continue
        j = i
        while j < n and (
            (tags[j] in _NP_TAGS and _wordlike(words[j]))
            or (
                words[j].lower() in _APPROX
                and j + 1 < n
                and (tags[j + 1] == "CD" or words[j + 1].lower() in _APPROX)
            )
            or (words[j] == "%" and j > i)
        ):
            j += 1
        # "many of the drones": a quantifier heads the phrase that "of" attaches to
        quantifier = j < n and words[j].lower() == "of" and words[i].lower() in _DT
        if quantifier and j == i:
            j = i + 1  # the tagger may call "most" or "many" an adjective or adverb
        if j > i and (quantifier or any(t in _HEAD_TAGS for t in tags[i:j])):
            spans.append((i, j))
            i = j
        else:
            i = max(j, i + 1)
    # "some 99% of the threats", "the State of Israel": one phrase
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and merged[-1][1] + 1 == span[0] and words[merged[-1][1]].lower() == "of":
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


def _coordinated(words: Sequence[str], phrases: list[tuple[int, int]], k: int) -> tuple[int, int]:
    """Extend phrase ``k`` leftwards over "A, B and C" when it ends such a list."""
    start, end = phrases[k]
    m = k
    while m > 0:
        prev = phrases[m - 1]
        between = [w.lower() for w in words[prev[1] : phrases[m][0]]]
        # The link next to the head must be a conjunction ("B and C"); links further left may
        # be commas ("A, B and C"). "In Wiltshire, police" is not a list.
        if between in _CONJ_LINKS or (m < k and between == [","]):
            m -= 1
            start = prev[0]
        else:
            break
    return start, end


# --------------------------------------------------------------------------- clauses

_CONJ_LINKS = (["and"], ["or"], [",", "and"], [",", "or"])
_TEMPORAL = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "yesterday",
    "today",
    "tonight",
    "morning",
    "afternoon",
    "evening",
    "night",
    "week",
    "month",
    "year",
    "weekend",
    "last",
    "this",
    "next",
    "early",
    "late",
    "the",
    "on",
    "of",
}
_SKIP_BACK = {"RB", "MD", "TO"}
_AUX = _BE | _RB | {"has", "have", "had", "did", "does", "do", "having"}
_SOURCE = {"from"}
_DIRECTION = {"at", "towards", "toward", "against", "on", "into", "over", "in", "across"}


def _verb_lemma(word: str, verbs: VerbLexicon) -> str | None:
    # Looked up for every word of every sentence: remember the answer per distinct word.
    cache = verbs.lemma_cache
    if word in cache:
        return cache[word]
    lemma = _find_verb_lemma(word, verbs)
    if len(cache) < 200_000:
        cache[word] = lemma
    return lemma


def _find_verb_lemma(word: str, verbs: VerbLexicon) -> str | None:
    low = word.lower()
    if low in verbs.participles:
        return verbs.participles[low]
    for form in base_forms(low):
        if form in verbs.lemmas:
            return form
    return None


def _is_participle(word: str, verbs: VerbLexicon) -> bool:
    low = word.lower()
    return low.endswith("ed") or low in verbs.participles


@dataclass
class Clause:
    """One event verb with its arguments, as token ranges of a sentence."""

    verb: tuple[int, int]
    lemma: str
    voice: str
    agent: tuple[int, int] | None
    patient: tuple[int, int] | None


def clauses(
    words: Sequence[str], tags: Sequence[str] | None = None, verbs: VerbLexicon | None = None
) -> list[Clause]:
    """The event-verb clauses of one tokenised sentence."""
    verbs = verbs or load_verbs()
    # The lemma cache read here first: a call per word cost more than the lookup.
    cache = verbs.lemma_cache
    lemmas = [cache[word] if word in cache else _verb_lemma(word, verbs) for word in words]
    if not any(
        lemma and not (lemma == "down" and word.lower() == "down")
        for lemma, word in zip(lemmas, words, strict=True)
    ):
        # Most sentences have no event verb (the bare word "down" is never one, see below):
        # skip tagging them, the costliest step here.
        return []
    tags = list(tags) if tags is not None else pos_tags(words)
    phrases = noun_phrases(words, tags)
    starts = {s: k for k, (s, _) in enumerate(phrases)}
    ends = {e: k for k, (_, e) in enumerate(phrases)}
    inside = {i for s, e in phrases for i in range(s, e)}
    out: list[Clause] = []
    n = len(words)
    for i, word in enumerate(words):
        lemma = lemmas[i]
        if lemma is None:
            continue
        tag = tags[i]
        low = word.lower()
        prev = words[i - 1].lower() if i else ""
        verbal = tag.startswith("VB") or (
            prev in _MD or prev == "to" or prev in ("did", "not") or tags[i - 1] in ("PRP",)
            if i
            else False
        )
        if lemma == "down" and low == "down":
            continue  # "step down", "down from": the verb is found as downed/downing
        # "missile strikes", "the attack": a noun inside a phrase, unless a subject
        # directly precedes a finite form ("Iran attacks Israel").
        if (
            not verbal
            and i in inside
            and (not (i in ends or tags[i - 1] == "WDT") or tag not in ("NNS", "VBZ"))
        ):
            continue
        verb_end = i + 1
        if verb_end < n and words[verb_end].lower() in verbs.particles.get(lemma, ()):
            verb_end += 1
        # Voice: a form of "be"/"get" before a participle, or a participle straight after its
        # noun and followed by a preposition (a reduced relative clause).
        j = i - 1
        while j >= 0 and (tags[j] == "RB" or words[j].lower() in _RB):
            j -= 1
        aux_passive = j >= 0 and words[j].lower() in _BE and _is_participle(word, verbs)
        after = words[verb_end].lower() if verb_end < n else ""
        reduced = (
            not aux_passive
            and _is_participle(word, verbs)
            and i in ends
            and (after in _SOURCE or after in _DIRECTION or after == "by")
        )
        voice = "passive" if aux_passive or reduced else "active"
        # The phrase before the verb (its subject, or the noun a reduced clause modifies).
        k = i - 1
        while k >= 0 and (tags[k] in _SKIP_BACK or words[k].lower() in _AUX):
            k -= 1
        left = None
        relative_object = None
        if prev == "to":
            k = -1  # an infinitive: its subject is not the phrase before "to"
        if k >= 0 and (tags[k] == "WDT" or words[k].lower() in ("which", "who")):
            # "Iran, which launched …": the antecedent before the relative pronoun
            a = k - 1
            while a >= 0 and words[a] in (",",):
                a -= 1
            if a + 1 in ends:
                left = _coordinated(words, phrases, ends[a + 1])
        elif k >= 0 and k in ends and tags[k].startswith("VB") and k + 1 not in ends:
            # "the drones that Iran launched were intercepted": the main clause's subject is
            # the noun the relative clause before the verb modifies
            r = phrases[ends[k]][0] - 1
            if r >= 1 and words[r].lower() in ("that", "which", "whom") and r in ends:
                left = _coordinated(words, phrases, ends[r])
        elif k + 1 in ends:
            # "Labour on Thursday launched": look past a time expression to the subject
            p = phrases[ends[k + 1]]
            if (
                p[0] >= 2
                and words[p[0] - 1].lower() in ("on", "in", "at", "during", "by", "late", "early")
                and all(w.lower() in _TEMPORAL or w[:1].isdigit() for w in words[p[0] : p[1]])
                and p[0] - 1 in ends
            ):
                k = p[0] - 2
            left = _coordinated(words, phrases, ends[k + 1])
            # "the drones that Iran launched": a subject after a relative pronoun
            r = left[0] - 1
            if r >= 1 and words[r].lower() in ("that", "which", "whom") and r in ends:
                relative_object = _coordinated(words, phrases, ends[r])
        right = None
        m = verb_end
        while m < n and tags[m] == "RB":
            m += 1
        if m in starts:
            right = _coordinated_right(words, phrases, starts[m])
        if voice == "passive":
            agent = None
            for key in ("by",) + (tuple(_SOURCE) if reduced else ()):
                for q in range(verb_end, min(n, verb_end + 4)):
                    if words[q].lower() == key and q + 1 in starts:
                        agent = _coordinated_right(words, phrases, starts[q + 1])
                        break
                if agent:
                    break
            patient = left if relative_object is None else relative_object
            out.append(Clause((i, verb_end), lemma, voice, agent, patient))
        else:
            patient = right if right is not None else relative_object
            out.append(Clause((i, verb_end), lemma, voice, left, patient))
    return out


def _coordinated_right(
    words: Sequence[str], phrases: list[tuple[int, int]], k: int
) -> tuple[int, int]:
    """Extend phrase ``k`` rightwards over "A, B and C"."""
    start, end = phrases[k]
    m = k
    while m + 1 < len(phrases):
        nxt = phrases[m + 1]
        between = [w.lower() for w in words[phrases[m][1] : nxt[0]]]
        if between == [","]:
            m += 1  # maybe a list: only kept when a conjunction closes it
        elif between in _CONJ_LINKS:
            m += 1
            end = nxt[1]
        else:
            break
    return start, end


# --------------------------------------------------------------------------- the table


def _actor_ids(mentions: pd.DataFrame | None, start: int, end: int) -> str | None:
    """Actor ids of the mentions inside a span, in order, joined by ';'."""
    if mentions is None or len(mentions) == 0:
        return None
    return _ids_inside(_linked_mentions(mentions), mentions, start, end)


def _linked_mentions(mentions: pd.DataFrame) -> list[tuple[int, int, str]]:
    """``(start, end, actor id)`` of the mentions linked to an actor (credits excluded)."""
    return [
        (int(s), int(e), str(actor_id))
        # (as lists: iterating a list is cheaper than iterating a Series)
        for s, e, actor_id, kind in zip(
            mentions["start"].tolist(),
            mentions["end"].tolist(),
            mentions["actor_id"].tolist(),
            mentions["kind"].tolist(),
            strict=True,
        )
        if not pd.isna(actor_id) and kind != "credit" and not pd.isna(s) and not pd.isna(e)
    ]


def _ids_inside(
    linked: list[tuple[int, int, str]], mentions: pd.DataFrame, start: int, end: int
) -> str | None:
    inside = sorted((m for m in linked if m[0] >= start and m[1] <= end), key=lambda m: m[0])
    first: dict[int, str] = {}
    for m in inside:
        if first.setdefault(m[0], m[2]) != m[2]:
            # Two actors' mentions start at the same offset: keep pandas' own (unstable)
            # sort, so that the order of their ids stays what it always was.
            return _actor_ids_pandas(mentions, start, end)
    ids: list[str] = []
    for m in inside:
        if m[2] not in ids:
            ids.append(m[2])
    return ";".join(ids) if ids else None


def _actor_ids_pandas(mentions: pd.DataFrame, start: int, end: int) -> str | None:
    inside = mentions[
        (mentions["start"] >= start)
        & (mentions["end"] <= end)
        & mentions["actor_id"].notna()
        & (mentions["kind"] != "credit")
    ]
    ids: list[str] = []
    for actor_id in inside.sort_values("start")["actor_id"]:
        if str(actor_id) not in ids:
            ids.append(str(actor_id))
    return ";".join(ids) if ids else None


def extract_agency(
    article: Article, doc: Doc, mentions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The ``agency`` table of one article (see the module docstring)."""
    text = article.text
    has_mentions = mentions is not None and len(mentions) > 0
    linked: list[tuple[int, int, str]] | None = None  # read from the mentions when first needed
    rows = []
    for sentence in doc.sentences:
        if sentence.part not in COUNTED_PARTS:
            continue
        words = [text[s:e] for s, e in sentence.tokens]
        for clause in clauses(words):
            spans = sentence.tokens
            v0, v1 = spans[clause.verb[0]][0], spans[clause.verb[1] - 1][1]
            row = [
                article.article_id,
                sentence.sentence_id,
                text[v0:v1],
                clause.lemma,
                v0,
                v1,
                clause.voice,
            ]
            for arg in (clause.agent, clause.patient):
                if arg is None:
                    row += [None, None, None, None]
                else:
                    a0, a1 = spans[arg[0]][0], spans[arg[1] - 1][1]
                    ids = None
                    if has_mentions:
                        if linked is None:
                            linked = _linked_mentions(mentions)
                        ids = _ids_inside(linked, mentions, a0, a1)
                    row += [text[a0:a1], ids, a0, a1]
            rows.append(row)
    return as_table(rows, "agency")
