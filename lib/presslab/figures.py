"""Figures: every number an article reports, as an interval with its hedge, what it counts and
who claims it; and, across articles, where they give different figures for the same thing.

:func:`extract_figures` reads each sentence with the number parser (:mod:`presslab.numbers`),
finds the noun phrase a figure counts ("over 100 ballistic missiles" -> "ballistic missiles",
"99% of the threats" -> "threats", "a 10-year prison sentence" -> "prison sentence", "the Dead
Sea (430 metres below sea level)" -> "Dead Sea"; for a measure or percent with no phrase beside
it, the subject of its clause when the tagger runs) and the claimant from the quotes table (a
figure inside a quote, or in a sentence with an attributed statement, is the speaker's;
otherwise the narrator's: the outlet, else the byline). Dates, times, years, ordinals, ages
and names ("Arrow 3", "F-35") are kept as rows of their own value type and are not figures.

:func:`compare_figures` groups figures by the lemma of the head noun of what they count
("ballistic missiles" and "missiles" -> missile) and by a window of article dates, and flags a
figure that is incompatible with another article's figure for the same thing (same head, and
modifiers that do not conflict: "missiles" is compared with "ballistic missiles", "cruise
missiles" is not).

>>> from presslab.corpus import article_from_text
>>> from presslab.text import segment
>>> a = article_from_text("Strikes\\n\\nThe army said it shot down over 100 ballistic missiles.")
>>> f = extract_figures(a, segment(a), None)
>>> f[["surface", "interval", "qualifier", "counted"]].values.tolist()
[['over 100', '(100, inf)', 'more_than', 'ballistic missiles']]
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date as _date
from functools import cache

import numpy as np
import pandas as pd

from presslab.corpus import Article
from presslab.numbers import (
    FIGURE_TYPES,
    Number,
    Tok,
    _plural,
    _words,
    parse_numbers,
    tokens_between,
)
from presslab.schemas import SCHEMAS, column_index
from presslab.text import Doc

#: a narrator claim names the outlet, else the byline, else this
NARRATOR = "narrator"
#: quote kinds that make a figure "quoted" (the others make it "attributed")
QUOTED_KINDS = ("direct", "partial")
#: verbs after which the subject names what a figure measures ("the toll rose to 300")
_LINK_VERBS = (
    "is",
    "was",
    "are",
    "were",
    "rose",
    "fell",
    "reached",
    "hit",
    "stood",
    "totalled",
    "totaled",
    "climbed",
    "jumped",
    "dropped",
    "increased",
    "decreased",
    "grew",
    "declined",
    "surged",
    "soared",
    "topped",
    "exceeded",
    "passed",
    "amounted",
    "equalled",
    "equaled",
    "averaged",
    "has",
    "had",
    "of",
    "be",
    "been",
    "rise",
    "rises",
    "fall",
    "falls",
    "reach",
    "reaches",
    "stands",
    "remained",
    "remains",
    "ranged",
    "ranging",
    "ranges",
)
#: auxiliaries before a linking verb ("the rate will be 5%", "the toll has been 300")
_AUXILIARIES = frozenset(
    [
        *("will", "would", "could", "should", "may", "might", "must", "can", "shall"),
        *("has", "have", "had", "is", "was", "are", "were", "been", "be", "not", "also"),
    ]
)
#: words before "to be" that keep the subject's figure ("growth is forecast to be 2%")
_RAISING = frozenset(["forecast", "set", "likely", "due", "thought", "said", "bound", "unlikely"])
#: adverbs between a linking verb and its figure ("the toll is now 1,200", "was only 30%")
_LINK_ADVERBS = frozenset(["now", "currently", "still", "already", "just", "only", "then"])
#: prepositions after the noun a figure measures: "temperatures in Tehran hit 40C", "the
#: death toll from the quake is 1,200", "growth for this year will be 2%"
_HEAD_PREPOSITIONS = frozenset([*_words("place_prepositions"), "from", "among", "for"])
#: endings of adverbs that end a counted phrase without a tagger ("family" is not one)
_ADVERB_ENDINGS = ("ally", "ously", "ively", "edly", "ently", "antly", "ately", "ingly")
#: how much an approximate figure may differ before two articles disagree (relative)
APPROX_TOLERANCE = 0.10


# --------------------------------------------------------------------------- lemmas


def lemma(word: str) -> str:
    """The singular of an English noun, lower-cased (a small rule-based lemmatiser).

    Irregular plurals and nouns that end in "s" in the singular come from the codebook; the
    rules: -ies -> -y, -ves -> -f (codebook list), -(s|x|z|ch|sh|o)es -> drop "es", -s -> drop.

    >>> [lemma(w) for w in ["drones", "Missiles", "casualties", "people", "buses", "news"]]
    ['drone', 'missile', 'casualty', 'person', 'bus', 'news']
    """
    w = word.lower().strip("'’")
    irregular = _words("irregular_plurals")
    if w in irregular:
        return str(irregular[w])
    if w in _words("singular_s") or len(w) <= 3 or not w.endswith("s"):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "zes", "ches", "shes", "oes", "uses")):
        return w[:-2]
    if w.endswith(("ss", "us", "is")):
        return w
    return w[:-1]


# --------------------------------------------------------------------------- counted


@cache
def _pos_tagger() -> Callable[[list[str]], list[str]] | None:
    """presslab.tagger.pos_tag when its model loads, else None (heuristics only)."""
    try:
        from presslab import tagger

        tagger.load_model("pos")
        tagger.pos_tag(["The", "army", "fired", "300", "missiles", "."])
    except Exception:  # any failure of the optional tagger leaves the heuristics in charge
        return None
    return tagger.pos_tag


def _np_words(toks: list[Tok], k: int) -> list[list[Tok]]:
    """Words from token k on, hyphenated compounds joined ("anti-ballistic")."""
    words: list[list[Tok]] = []
    while k < len(toks):
        t = toks[k]
        if t.kind == "word":
            if (words and t.glued and words[-1][-1].text in ("-", "–")) or (
                words and t.glued and words[-1][-1].kind == "word" and t.low in ("s",)
            ):
                words[-1].append(t)
            else:
                words.append([t])
        elif (
            t.text in ("-", "–")
            and t.glued
            and words
            and k + 1 < len(toks)
            and toks[k + 1].glued
            and toks[k + 1].kind == "word"
        ):
            words[-1].append(t)
        else:
            break
        k += 1
    return words


def counted_span(
    text: str,
    number: Number,
    sent_start: int,
    sent_end: int,
    tags: dict[int, str] | None = None,
) -> tuple[int, int] | None:
    """The span of the noun phrase a figure counts or measures, or None.

    Right of the figure first ("170 drones", "99% of the threats", "hundreds of kilograms of
    explosives"): skip "of"/determiners, then take words up to the head noun (for a count, the
    first plural noun), stopping at function words, numbers and verbs. Failing that, left of
    the figure: "a population of 3 million", "the death toll rose to 1,200".
    """
    toks = tokens_between(text, number.end, sent_end, sent_start, sent_end)
    stop = _words("np_stopwords")
    skip = _words("np_skip")
    k = 0
    while k < len(toks) and toks[k].low in skip and toks[k].kind == "word":
        if toks[k].low in ("of",) and k > 0 and toks[k - 1].low != "of" and k > 1:
            break
        k += 1
    if (
        number.value_type in ("money",)
        and k == 0
        and k < len(toks)
        and toks[k].low in ("in", "for", "worth")
        # "$1.5bn in aid", not "17.58 euros in Paris"
        and not (k + 1 < len(toks) and toks[k + 1].text[:1].isupper())
        # a price a share stands at ("shares were up 6% at 458.5p in morning trade") is not
        # an amount of what follows "in"
        and not (
            toks[k].low == "in"
            and number.start > sent_start
            and text[sent_start : number.start].rstrip().lower().endswith(" at")
        )
    ):
        k += 1
        while k < len(toks) and toks[k].low in skip:
            k += 1
    if number.value_type == "measure" and k == 0 and not _measure_modifies(number, toks, tags):
        # "30 km from the border", "30 km long": a measure counts nothing to its right unless
        # "of" follows or it modifies the noun after it ("a 90 kW pilot plant")
        words: list[list[Tok]] = []
    else:
        words = _np_words(toks, k)
    chosen: list[list[Tok]] = []
    plural_needed = number.value_type == "count" and (
        number.low is None or number.low > 1 or number.high is None or number.high > 1
    )
    # part-of-speech tags of the sentence's tokens by start offset, where the tagger ran
    # (``words`` first: with no words the list is never read, and a lazy ``tags`` stays
    # untagged)
    tag_list = [tags.get(w[0].start) for w in words] if words and tags else None
    adverb_open = False  # the phrase opens with an adverb ("heavily armed men")
    for x, w in enumerate(words[:6]):
        low = "".join(t.low for t in w)
        if low in stop or any(t.low in _words("units") or t.low in _words("tens") for t in w):
            break
        tag = tag_list[x] if tag_list is not None else None
        if (
            not chosen
            and x + 1 < min(len(words), 6)
            and _adverb_opens(
                low,
                tag,
                "".join(t.low for t in words[x + 1]),
                tag_list[x + 1] if tag_list is not None else None,
            )
        ):
            chosen.append(w)  # "three heavily armed men", "two newly built schools"
            adverb_open = True
            continue
        if tag is not None:
            # a verb, preposition or other function word ends the phrase; a participle may
            # open it ("armed drones")
            if (
                tag.startswith(("VB", "IN", "CC", "DT", "PRP", "W", "MD", "RB", "TO", "CD"))
                and (chosen or not tag.startswith("VB"))
                and not (tag in ("VBN", "VBG") and (not chosen or (adverb_open and x == 1)))
            ):
                break
        elif (
            # a verb form after the head ("missiles fired", "GDP presented"); before a
            # count's plural head it is a modifier ("freed British detainees")
            chosen
            and not (adverb_open and x == 1)
            and low.endswith(("ed", "ing"))
            and (not plural_needed or _plural("".join(t.low for t in chosen[-1])))
        ) or low.endswith(_ADVERB_ENDINGS):
            break
        chosen.append(w)
        if plural_needed and (_plural(low) or (tag in ("NNS", "NNPS") and len(low) > 2)):
            break  # a count's head is its first plural noun ("ballistic missiles fired")
        if not plural_needed and tag_list is None and x >= 2:
            break
    if plural_needed and not any(
        _plural("".join(t.low for t in w))
        or (tags is not None and tags.get(w[0].start) in ("NNS", "NNPS"))
        for w in chosen
    ):
        # a count above one counts a plural noun; without one the words after it are
        # something else ("a 2-0 lead", "300 shown on TV")
        chosen = []
    if chosen:
        return chosen[0][0].start, chosen[-1][-1].end
    return _counted_left(text, number, sent_start, tags, sent_end)


def _adverb_opens(low: str, tag: str | None, nxt: str, nxt_tag: str | None) -> bool:
    """Does the "-ly" adverb ``low`` modify the participle or adjective after it, opening a
    noun phrase ("heavily armed men", "newly built schools")? With the tagger, an RB before a
    JJ or VBN; without it, before an "-ed" word."""
    if not low.endswith("ly"):
        return False
    if tag is not None:
        return tag == "RB" and nxt_tag in ("JJ", "VBN")
    return nxt.endswith("ed")


def _measure_modifies(number: Number, toks: list[Tok], tags: dict[int, str] | None) -> bool:
    """Does a measure modify the noun right after it ("a 10-year sentence", "a 90 kW pilot
    plant", "75 g glucose solution")? Not before a preposition, adverb or verb, nor before the
    codebook's words that say where or how long ("30 km south", "5 m long", "two days later")."""
    if not toks or toks[0].kind != "word" or toks[0].glued:
        return False
    t = toks[0]
    if t.low in _words("measure_not_before") or t.low in _words("np_stopwords"):
        return False
    if t.low in _words("months") or t.low in _words("weekdays"):
        return False
    if tags:
        tag = tags.get(t.start)
        return tag is not None and tag.startswith(("NN", "JJ")) and tag != "NNP"
    # without the tagger only a hyphenated measure is surely a modifier ("a 10-year sentence")
    return "-" in number.surface and not t.text[:1].isupper()


def _counted_left(
    text: str,
    number: Number,
    sent_start: int,
    tags: dict[int, str] | None = None,
    sent_end: int | None = None,
) -> tuple[int, int] | None:
    """What a figure measures, left of it: "a population of 3 million", "the toll rose to 9";
    for a measure or percent, failing that, the subject of its clause."""
    # the sentence's end lets the tokens be cut from the sentence's (same list, fewer scans)
    end = number.end if sent_end is None else sent_end
    toks = tokens_between(text, sent_start, number.start, sent_start, end)
    return _counted_adjacent_left(toks, number, tags) or _clause_subject(toks, number, tags)


def _clause_subject(
    toks: list[Tok], number: Number, tags: dict[int, str] | None
) -> tuple[int, int] | None:
    """The first common noun phrase of the clause before its first finite verb, for a
    measure or percent with no phrase beside it: "The epoxy was cured at 120 C for 2 hours"
    -> "epoxy", "Unemployment in Spain stands at 20%" -> "Unemployment". Needs the tagger
    (a count's subject is who counts, not what: "The army said it shot down 99")."""
    if number.value_type not in ("measure", "percent") or not tags:
        return None
    if number.unit in _words("duration_units"):
        return None  # "Young people waited four years": a duration is of an event, not them
    stop = _words("np_stopwords")
    start = 0
    for x in range(len(toks) - 1, -1, -1):
        if toks[x].text in (";", ":", "(", ")"):
            start = x + 1
            break

    def tag(x: int) -> str:
        return tags.get(toks[x].start, "") if toks[x].kind == "word" else ""

    finite = [x for x in range(start, len(toks)) if tag(x) in ("VBD", "VBZ", "VBP", "MD")]
    if not finite:
        return None
    # the verb nearest the figure and its own subject: in "The company said profits rose
    # 5%" that is "profits", not "company"
    verb = finite[-1]
    while len(finite) > 1 and finite[-2] == verb - 1:
        finite.pop()  # "has been", "will be": one verb group
        verb = finite[-1]
    if len(finite) > 1:
        start = finite[-2] + 1
        # "output grew 15.7% in the year, and inflation slowed to 4.3%": the clause opens
        # after the last coordinator before its verb
        for x in range(verb - 1, start - 1, -1):
            if toks[x].low in ("and", "but", "while", "whereas", "although"):
                start = x + 1
                break
    after = verb + 1
    # the rest of the verb group: "could rise to 4%", "will be 5%", "has been cut by 3%"
    while after < len(toks) and (
        tag(after) in ("RB", "VBN")
        or (tag(after) == "VB" and tag(after - 1) == "MD")
        or toks[after].low in ("be", "been", "being")
    ):
        after += 1
    if any(
        tag(x) in ("VB", "VBG") or (tag(x) == "TO" and x + 1 < len(toks) and tag(x + 1) == "VB")
        for x in range(after, len(toks))
    ):
        return None  # "proposed cutting spending by 3.5%": the figure is in another clause
    if any(tag(x) in ("VB", "VBG", "TO") for x in range(verb + 1, len(toks))) and any(
        tag(x).startswith("NN") for x in range(after, len(toks))
    ):
        # past a verb group ("could cut", "rose to") only with no noun between: in "could cut
        # poverty levels to 36%" the figure is of the object
        return None
    for x in range(start, verb):
        if tag(x) in ("NN", "NNS") and toks[x].low not in stop:
            a = x
            while (
                a - 1 >= start and tag(a - 1) in ("JJ", "NN", "NNS") and toks[a - 1].low not in stop
            ):
                a -= 1
            b = x
            while b + 1 < verb and tag(b + 1) in ("NN", "NNS") and toks[b + 1].low not in stop:
                b += 1
            return toks[a].start, toks[b].end
        if tag(x).startswith(("VB", "PRP", "WP")):
            return None  # a clause before the subject, or a pronoun subject
    return None


def _is_figure_word(w: str) -> bool:
    """A unit, currency or scale word: the tail of a figure, never what one counts."""
    return (
        w in _words("measure_units")
        or w in _words("currency_words")
        or w in _words("scale_abbreviations")
        or w in _words("scales")
        or w in _words("percent_words")
    )


def _counted_adjacent_left(
    toks: list[Tok], number: Number, tags: dict[int, str] | None
) -> tuple[int, int] | None:
    stop = _words("np_stopwords")
    k = len(toks) - 1
    while k >= 0 and (
        toks[k].low in ("to", "at", "by", "about", "around", "nearly", "some")
        or toks[k].low in _LINK_ADVERBS
    ):
        k -= 1
    if k < 0:
        return None
    # after a verb ("the toll from the quake is 1,200") the measured noun may stand before a
    # prepositional phrase; after "of" ("a change from the loss of $3m") it is the noun itself
    verb_link = toks[k].low in _LINK_VERBS and toks[k].low != "of"
    if toks[k].low in _LINK_VERBS or toks[k].text == "=":
        k -= 1
        # "the rate will be 5%", "the toll has now been 300", "growth is expected to be 2%":
        # the rest of the verb group
        while k >= 0 and (
            toks[k].low in _AUXILIARIES
            or toks[k].low in _LINK_ADVERBS
            or (
                toks[k].low == "to"
                and k >= 1
                and toks[k + 1].low == "be"
                and (toks[k - 1].low.endswith(("ed", "en")) or toks[k - 1].low in _RAISING)
            )
        ):
            k -= 2 if toks[k].low == "to" else 1
    elif (
        toks[k].text == "("
        and number.value_type in ("measure", "percent")
        and k >= 1
        and toks[k - 1].kind == "word"
        and not _is_figure_word(toks[k - 1].low)
        and not (k >= 2 and toks[k - 2].kind == "num")
    ):
        k -= 1  # "titanium (135 ppm)", "the Dead Sea (430 m below sea level)", not "5 km (3 miles)"
    elif not (
        # a measure right after what it measures: "mean age 54.8 years", "depth 30 m"
        number.value_type in ("measure", "percent")
        and toks[k].kind == "word"
        and toks[k].low not in stop
        and not toks[k].low.endswith(("ed", "ing"))
        and toks[k].low not in _words("change_verbs")
        and toks[k].end == number.start - 1
        and (not tags or tags.get(toks[k].start, "NN").startswith("NN"))
    ):
        return None
    if k >= 0 and toks[k].low in ("has", "had", "have", "was", "is", "stood", "be"):
        k -= 1
    end = k

    def part_of_np(x: int) -> bool:
        t = toks[x]
        if t.kind != "word" or t.low in stop or end - x >= 3:
            return False
        if t.low == "s" and x > 0 and toks[x - 1].text in ("'", "’"):
            return False  # the possessive "'s" of "GE's shares"
        tag = tags.get(t.start) if tags else None
        if tag == "VBG" and (x == 0 or toks[x - 1].low in ("the", "its", "their", "a")):
            return True  # a gerund heading the clause: "Spending on roads will rise"
        return not (tag is not None and tag.startswith("VB"))  # "reported revenues"

    while k >= 0 and part_of_np(k):
        k -= 1
    if k == end:
        return None
    p = k
    if verb_link:
        if p >= 2 and toks[p].low in ("and", "or") and part_of_np(p - 1):
            p -= 2  # "spending on health and education will rise"
        while p >= 1 and toks[p].low in ("the", "a", "an", "its", "their", "this", "that"):
            p -= 1  # "the death toll from the quake is 1,200"
    prepositions = _HEAD_PREPOSITIONS if verb_link else _words("place_prepositions")
    if p >= 1 and toks[p].low in prepositions:
        # "temperatures in Tehran hit 40C": what is measured is before the place
        found = k, end
        end = p - 1  # part_of_np counts words back from this end
        k = end
        while k >= 0 and part_of_np(k):
            k -= 1
        if k == end:
            k, end = found
    return toks[k + 1].start, toks[end].end


# --------------------------------------------------------------------------- claims


def _claim_finder(
    article: Article, doc: Doc, quotes: pd.DataFrame | None
) -> Callable[[int, int], tuple[str, str]]:
    narrator = article.outlet or article.byline or NARRATOR
    rows: list[tuple[int, int, str, str, int | None]] = []
    if quotes is not None and len(quotes):
        q = quotes
        if "article_id" in q.columns:
            aid = article.article_id
            # In the pipeline the table is the article's own: when every id is this article's
            # (plain strings, equal), the mask would keep every row, so skip building it.
            if not (type(aid) is str and all(type(x) is str and x == aid for x in q["article_id"])):
                q = q[q["article_id"] == aid]
        # Plain columns, not itertuples: building a row object per quote costs more than
        # the work done with it.
        missing = [None] * len(q)

        def column(name: str) -> list:
            return q[name].tolist() if name in q.columns else missing

        for start, end, kind, speaker, sid, sent in zip(
            q["start"].tolist(),
            q["end"].tolist(),
            q["kind"].tolist(),
            column("speaker"),
            column("speaker_actor_id"),
            column("sentence_id"),
            strict=True,
        ):
            if not isinstance(speaker, str) or not speaker.strip():
                speaker = sid if isinstance(sid, str) and sid else "unknown"
            sent = (
                None
                if sent is None or (isinstance(sent, float) and math.isnan(sent))
                else int(sent)
            )
            rows.append((int(start), int(end), str(kind), speaker, sent))

    def find(start: int, end: int) -> tuple[str, str]:
        inside = [r for r in rows if r[0] <= start and end <= r[1]]
        if inside:
            r = min(inside, key=lambda r: r[1] - r[0])  # the innermost quote
            return r[3], "quoted" if r[2] in QUOTED_KINDS else "attributed"
        sentence = doc.sentence_at(start)
        if sentence is not None:
            same = [
                r
                for r in rows
                if r[4] == sentence.sentence_id or (r[0] < sentence.end and sentence.start < r[1])
            ]
            # only an attributed (indirect) statement lends its speaker to the rest of its
            # sentence; words outside a direct quote are the narrator's
            same = [r for r in same if r[3] != "unknown" and r[2] not in QUOTED_KINDS]
            if same:
                # the nearest statement before the figure, else the first one in the sentence
                before = [r for r in same if r[0] <= start]
                r = max(before, key=lambda r: r[0]) if before else same[0]
                return r[3], "attributed"
        return narrator, "narrator"

    return find


# --------------------------------------------------------------------------- extraction


def _row(article: Article, n: Number, sentence_id: int) -> dict:
    return {
        "article_id": article.article_id,
        "start": n.start,
        "end": n.end,
        "surface": n.surface,
        "value_type": n.value_type,
        "low": n.low if n.low is not None else math.nan,
        "high": n.high if n.high is not None else math.nan,
        "interval": n.interval,
        "exact": n.exact and n.value_type in FIGURE_TYPES,
        "qualifier": n.qualifier,
        "unit": n.unit,
        "counted": "",
        "counted_start": None,
        "counted_end": None,
        "counted_lemma": "",
        "claimed_by": "",
        "claim_kind": "",
        "sentence_id": sentence_id,
    }


class _LazyTags:
    """A sentence's tags (:func:`_sentence_tags`, ``{}`` without them), computed at the first
    look. Tagging costs more than the rest of this stage, and many figures are settled
    without a tag ("up 5%." at a sentence's end): their sentences are never tagged here. The
    tags, when read, are the same dict, so every result is the same."""

    __slots__ = ("_compute", "_tags")

    def __init__(self, compute: Callable[[], dict[int, str] | None]) -> None:
        self._compute = compute
        self._tags: dict[int, str] | None = None

    def _dict(self) -> dict[int, str]:
        if self._tags is None:
            self._tags = self._compute() or {}
        return self._tags

    def get(self, key: int, default: str | None = None) -> str | None:
        return self._dict().get(key, default)

    def __bool__(self) -> bool:
        return bool(self._dict())

    def __len__(self) -> int:
        return len(self._dict())


def _sentence_tags(doc: Doc, sentence, tagger) -> dict[int, str] | None:
    """Penn tags of a sentence's tokens keyed by start offset, or None without a tagger."""
    if tagger is None:
        return None
    try:
        tags = tagger(doc.token_texts(sentence))
    except Exception:  # the optional tagger failing on a sentence leaves the heuristics
        return None
    return {start: tag for (start, _), tag in zip(sentence.tokens, tags, strict=False)}


def extract_figures(
    article: Article, doc: Doc, quotes: pd.DataFrame | None, *, use_tagger: bool = True
) -> pd.DataFrame:
    """One row per number in the article (schema ``figures``); figures carry what they count
    and who claims them, non-figures (dates, years, names...) only their span and type.

    The counted phrase uses :func:`presslab.tagger.pos_tag` when its model loads (and
    ``use_tagger``), else word-shape heuristics."""
    text = article.text
    claim = _claim_finder(article, doc, quotes)
    tagger = _pos_tagger() if use_tagger else None
    rows = []
    for sentence in doc.sentences:
        tags: _LazyTags | None = None
        for n in parse_numbers(text, sentence.start, sentence.end):
            row = _row(article, n, sentence.sentence_id)
            if n.value_type in FIGURE_TYPES:
                if tags is None:
                    tags = _LazyTags(lambda s=sentence: _sentence_tags(doc, s, tagger))
                span = counted_span(text, n, sentence.start, sentence.end, tags)
                if span is not None:
                    row["counted_start"], row["counted_end"] = span
                    row["counted"] = text[span[0] : span[1]]
                    row["counted_lemma"] = lemma(_head(row["counted"]))
                row["claimed_by"], row["claim_kind"] = claim(n.start, n.end)
            rows.append(row)
    if not rows:
        return pd.DataFrame(columns=SCHEMAS["figures"])
    # The rows' keys are the schema's columns, in order (see _row). Built from columns, not
    # from the row dicts, and the spans straight as Int64 arrays rather than cast after: the
    # same frame (dtypes and values), a third cheaper.
    data = {column: [r[column] for r in rows] for column in SCHEMAS["figures"]}
    for column in ("counted_start", "counted_end"):
        data[column] = pd.array(data[column], dtype="Int64")
    return pd.DataFrame(data, columns=column_index("figures"))


def counted_key(phrase: str) -> str:
    """A counted phrase normalised for comparison: lower case, head lemmatised.

    >>> counted_key("Ballistic Missiles"), counted_key("ballistic missile")
    ('ballistic missile', 'ballistic missile')
    """
    words = phrase.lower().split()
    return " ".join([*words[:-1], lemma(words[-1])]) if words else ""


def _head(phrase: str) -> str:
    """The head word of a counted phrase: its last word ("ballistic missiles" -> "missiles")."""
    words = [w for w in phrase.replace("-", " ").split() if w]
    return words[-1] if words else ""


# --------------------------------------------------------------------------- across articles


def _text(value: object) -> str:
    # A cell of a table read back from CSV is pd.NA when empty, whose truth value raises.
    return value if isinstance(value, str) else ""


def _bounds(row: pd.Series) -> tuple[float, float, bool, bool]:
    low = float(row["low"]) if pd.notna(row["low"]) else -math.inf
    high = float(row["high"]) if pd.notna(row["high"]) else math.inf
    iv = _text(row.get("interval"))
    lc = iv.startswith("[")
    hc = iv.endswith("]")
    if _text(row.get("qualifier")) == "approximate" and math.isfinite(low) and low == high:
        d = abs(low) * APPROX_TOLERANCE
        low, high, lc, hc = low - d, high + d, True, True
    return low, high, lc, hc


def _bounds_arrays(g: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_bounds` of every row at once (same arithmetic, so the same floats)."""
    low = pd.to_numeric(g["low"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    high = pd.to_numeric(g["high"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    low = np.where(np.isnan(low), -math.inf, low)
    high = np.where(np.isnan(high), math.inf, high)
    n = len(g)
    iv = g["interval"].map(_text) if "interval" in g.columns else pd.Series([""] * n)
    lc = iv.str.startswith("[").to_numpy(dtype=bool)
    hc = iv.str.endswith("]").to_numpy(dtype=bool)
    qual = g["qualifier"].map(_text) if "qualifier" in g.columns else pd.Series([""] * n)
    approx = (qual.to_numpy() == "approximate") & np.isfinite(low) & (low == high)
    d = np.abs(low) * APPROX_TOLERANCE
    low = np.where(approx, low - d, low)
    high = np.where(approx, high + d, high)
    return low, high, lc | approx, hc | approx


def modifiers(phrase: str) -> frozenset[str]:
    """The words of a counted phrase before its head, lower-cased, hyphens split.

    >>> sorted(modifiers("Iranian ballistic missiles")), sorted(modifiers("missiles"))
    (['ballistic', 'iranian'], [])
    """
    words = [w for w in phrase.lower().replace("-", " ").split() if w]
    return frozenset(words[:-1])


def _compatible(mods: pd.Series) -> np.ndarray:
    """Pairs of counted phrases (same head) that name the same thing: one's modifiers are a
    subset of the other's ("missiles" and "ballistic missiles"), so "cruise missiles" and
    "ballistic missiles" are not compared."""
    sets = list(mods)
    unique = list(dict.fromkeys(sets))
    index = {m: x for x, m in enumerate(unique)}
    table = np.array([[a <= b or b <= a for b in unique] for a in unique], dtype=bool)
    ids = np.array([index[m] for m in sets], dtype=int)
    return table[ids[:, None], ids[None, :]]


def _disagreements(g: pd.DataFrame) -> list[bool]:
    """For each row: does another article's figure of the same type and unit, counting the
    same head noun with compatible modifiers, share no value with it?
    (:func:`intervals_meet` over all pairs, as matrices)"""
    lo, hi, lc, hc = _bounds_arrays(g)
    aid = g["article_id"].to_numpy(dtype=object)
    vt = g["value_type"].to_numpy(dtype=object)
    unit_cells = g["unit"].fillna("").to_numpy(dtype=object)
    unit_of_row = g["unit"].map(_text).to_numpy(dtype=object)
    pair = (
        (aid[:, None] != aid[None, :])
        & (vt[:, None] == vt[None, :])
        & (unit_of_row[:, None] == unit_cells[None, :])
        & _compatible(g["_mods"])
    )
    a_lo, b_lo, a_lc, b_lc = lo[:, None], lo[None, :], lc[:, None], lc[None, :]
    a_hi, b_hi, a_hc, b_hc = hi[:, None], hi[None, :], hc[:, None], hc[None, :]
    top = np.maximum(a_lo, b_lo)
    top_closed = np.where(a_lo > b_lo, a_lc, np.where(b_lo > a_lo, b_lc, a_lc & b_lc))
    bottom = np.minimum(a_hi, b_hi)
    bottom_closed = np.where(a_hi < b_hi, a_hc, np.where(b_hi < a_hi, b_hc, a_hc & b_hc))
    meet = (top < bottom) | ((top == bottom) & top_closed & bottom_closed)
    return [bool(x) for x in (pair & ~meet).any(axis=1)]


def intervals_meet(a: pd.Series, b: pd.Series) -> bool:
    """Do two figures' intervals share a value? (approximate ones widened by 10%)"""
    alo, ahi, alc, ahc = _bounds(a)
    blo, bhi, blc, bhc = _bounds(b)
    lo, lo_closed = (alo, alc) if alo > blo else (blo, blc) if blo > alo else (alo, alc and blc)
    hi, hi_closed = (ahi, ahc) if ahi < bhi else (bhi, bhc) if bhi < ahi else (ahi, ahc and bhc)
    return lo < hi or (lo == hi and lo_closed and hi_closed)


def _windows(dates: pd.Series, days: int) -> pd.Series:
    """Label each date with its window: a window opens at the first date not covered."""
    parsed = pd.to_datetime(dates, errors="coerce")
    labels = pd.Series("undated", index=dates.index, dtype=object)
    order = parsed.dropna().sort_values(kind="mergesort")
    start = last = None
    members: list = []
    groups: list[tuple[list, _date, _date]] = []
    for idx, d in order.items():
        if start is None or (d - start).days >= days:
            if members:
                groups.append((members, start, last))
            start, members = d, []
        members.append(idx)
        last = d
    if members:
        groups.append((members, start, last))
    for members, first, last in groups:
        labels.loc[members] = f"{first:%Y-%m-%d}/{last:%Y-%m-%d}"
    return labels


def compare_figures(
    figures: pd.DataFrame, articles: pd.DataFrame, *, window_days: int = 7
) -> pd.DataFrame:
    """Figures for the same thing (lemma of the counted head) in articles of one date window,
    side by side (schema ``figure_comparison``); ``disagrees`` flags a figure whose interval
    shares no value with another article's figure of the same value type and unit, counting
    the same head noun with compatible modifiers (:func:`_compatible`)."""
    columns = SCHEMAS["figure_comparison"]
    if figures is None or not len(figures):
        return pd.DataFrame(columns=columns)
    f = figures[figures["value_type"].isin(FIGURE_TYPES)].copy()
    f = f[f["counted"].fillna("").astype(str).str.len() > 0]
    if not len(f):
        return pd.DataFrame(columns=columns)
    if "counted_lemma" not in f.columns or f["counted_lemma"].isna().any():
        f["counted_lemma"] = f["counted"].astype(str).map(lambda c: lemma(_head(c)))
    meta = (
        articles[["article_id", "date", "outlet"]]
        if articles is not None and len(articles)
        else pd.DataFrame(columns=["article_id", "date", "outlet"])
    )
    # Most head nouns occur in one article only and can never be compared: dropping them
    # first spares the group loop below most of its groups (the output is the same).
    f = f[f.groupby("counted_lemma")["article_id"].transform("nunique") >= 2]
    if not len(f):
        return pd.DataFrame(columns=columns)
    f = f.merge(meta.drop_duplicates("article_id"), on="article_id", how="left")
    # figures of one head noun ("drone") sit side by side and are compared, "missiles" with
    # "ballistic missiles" alike, but not "cruise missiles" with "ballistic missiles"
    f["_mods"] = f["counted"].astype(str).map(modifiers)
    out = []
    for _lemma, group in f.groupby("counted_lemma", sort=True):
        group = group.copy()
        group["window"] = _windows(group["date"], window_days)
        for _window, g in group.groupby("window", sort=True):
            if g["article_id"].nunique() < 2:
                continue
            g = g.copy()
            flags = _disagreements(g)
            g["disagrees"] = flags
            out.append(g)
    if not out:
        return pd.DataFrame(columns=columns)
    return pd.concat(out, ignore_index=True).reindex(columns=columns)


# --------------------------------------------------------------------------- summaries


#: the comparison's columns a reader needs side by side
COMPARISON_VIEW = [
    "counted_lemma",
    "window",
    "article_id",
    "surface",
    "interval",
    "qualifier",
    "unit",
    "claimed_by",
    "outlet",
    "disagrees",
]
#: how each qualifier reads in summaries: a plain figure, a hedge, a bound or a vague quantity
HEDGE_CLASS = {
    "": "exact",
    "exactly": "exact",
    "approximate": "hedged",
    "vague": "vague",
    "more_than": "bound",
    "at_least": "bound",
    "less_than": "bound",
    "at_most": "bound",
    "range": "range",
}


def figure_list(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures only (no dates, names...), one row each with what they count and who says it."""
    f = figures[figures["value_type"].isin(FIGURE_TYPES)]
    return f[
        [
            "article_id",
            "surface",
            "value_type",
            "interval",
            "qualifier",
            "unit",
            "counted",
            "claimed_by",
            "claim_kind",
        ]
    ].reset_index(drop=True)


def figures_by_claimant(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures per article and claimant: ``article_id, claimed_by, claim_kind, n_figures``."""
    f = figures[figures["value_type"].isin(FIGURE_TYPES)]
    if not len(f):
        return pd.DataFrame(columns=["article_id", "claimed_by", "claim_kind", "n_figures"])
    return (
        f.groupby(["article_id", "claimed_by", "claim_kind"], sort=True)
        .size()
        .rename("n_figures")
        .reset_index()
        .sort_values(
            ["article_id", "n_figures", "claimed_by"],
            ascending=[True, False, True],
            kind="mergesort",
        )
        .reset_index(drop=True)
    )


def top_claimants(figures: pd.DataFrame, n: int | None = 25) -> pd.DataFrame:
    """The ``n`` claimants with most figures across the corpus (all when ``n`` is None):
    ``claimed_by, claim_kind, n_figures, n_articles`` (most figures first; ties by name)."""
    columns = ["claimed_by", "claim_kind", "n_figures", "n_articles"]
    f = figures[figures["value_type"].isin(FIGURE_TYPES)]
    if not len(f):
        return pd.DataFrame(columns=columns)
    grouped = f.groupby(["claimed_by", "claim_kind"], sort=True)
    table = pd.DataFrame(
        {"n_figures": grouped.size(), "n_articles": grouped["article_id"].nunique()}
    ).reset_index()
    table = table.sort_values(
        ["n_figures", "claimed_by", "claim_kind"], ascending=[False, True, True], kind="mergesort"
    )
    return (table if n is None else table.head(n)).reset_index(drop=True)[columns]


def hedges_by_claimant(figures: pd.DataFrame) -> pd.DataFrame:
    """How each claimant states figures: one row per claimant, one column per
    :data:`HEDGE_CLASS` value (exact, hedged, bound, range, vague), counts of figures."""
    classes = ["exact", "hedged", "bound", "range", "vague"]
    f = figures[figures["value_type"].isin(FIGURE_TYPES)]
    if not len(f):
        return pd.DataFrame(columns=["claimed_by", *classes, "n_figures"])
    hedge = f["qualifier"].fillna("").map(HEDGE_CLASS).fillna("exact")
    table = pd.crosstab(f["claimed_by"], hedge).reindex(columns=classes, fill_value=0)
    table["n_figures"] = table.sum(axis=1)
    table = table.reset_index().rename_axis(columns=None)
    return table.sort_values(
        ["n_figures", "claimed_by"], ascending=[False, True], kind="mergesort"
    ).reset_index(drop=True)
