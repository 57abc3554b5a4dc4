"""Numbers in English text as intervals: value, hedge, unit and kind, with character spans.

A pure parser with no knowledge of articles: :func:`parse_numbers` reads a string and returns
one :class:`Number` per number expression, the hedge included ("over 100", "some 99%",
"between 10 and 20 km", "hundreds of kilograms"). The words it reads with (number words,
qualifier cues, vague quantities, units, name heads) are data in ``codebook/figures.yaml``.

Intervals: ``low``/``high`` are ``None`` where the interval is open-ended, and ``low_closed`` /
``high_closed`` say whether a stated end is included. An approximate or exact figure keeps
``low == high`` = the stated value; the hedge lives in ``qualifier``, never in invented bounds.
A stated uncertainty is stated bounds: "52% ± 3%" is the range [49, 55].

Units keep their power and per-units ("30,000 m2" square metre, "9.8 m/s2" metre per square
second, "11 km s−1" kilometre per second); a mixed-case symbol glued to a decimal that the
codebook lacks ("1.4Rp") is kept as written, and the power of a symbol it lacks ("fb−1") is no
number. A unit written once after a list belongs to each member ("4.5, 6 and 13 kg"); an
article before a unit noun states one unit ("a gallon of beer"), unless it makes a rate ("$50
a barrel") or names the unit of a price in the same sentence (see ``article_units``).

>>> [(n.surface, n.interval, n.qualifier) for n in parse_numbers("over 300 projectiles")]
[('over 300', '(300, inf)', 'more_than')]
>>> n = parse_numbers("hundreds of kilograms of explosives")[0]
>>> n.surface, n.interval, n.qualifier, n.unit, n.value_type
('hundreds of kilograms', '[200, inf)', 'vague', 'kilogram', 'measure')
>>> [(n.surface, n.value_type) for n in parse_numbers("an Arrow 3 battery, April 14, 2024")]
[('Arrow 3', 'name'), ('April 14, 2024', 'date')]
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from typing import Any, NamedTuple

from presslab.yamldata import parse_yaml

#: value types that are figures (counted in reports); the others are kept apart.
FIGURE_TYPES = ("count", "percent", "money", "measure")
NON_FIGURE_TYPES = ("date", "time", "year", "ordinal", "age", "name")
QUALIFIERS = (
    "",
    "more_than",
    "at_least",
    "less_than",
    "at_most",
    "approximate",
    "exactly",
    "range",
    "vague",
)
#: words before "one" that make it a pronoun ("no one", "the one", "which one")
_ONE_PRONOUN_BEFORE = frozenset(
    ["no", "the", "this", "that", "any", "every", "each", "which", "someone", "anyone"]
)
_LOWER = {"more_than": (False,), "at_least": (True,)}
_UPPER = {"less_than": (False,), "at_most": (True,)}


@cache
def codebook() -> dict[str, Any]:
    """The figures codebook (``codebook/figures.yaml``), loaded once."""
    text = resources.files("presslab").joinpath("codebook/figures.yaml").read_text("utf-8")
    return parse_yaml(text)


# --------------------------------------------------------------------------- tokens

_TOKEN_RE = re.compile(
    r"""
    (?P<url>(?:https?://|www\.)\S+|\S+@\S+\.\w+)            # never read numbers inside these
    | (?P<num>(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)   # 1,000 1,674,200.5
        | (?<![\d.,])\d{1,2}(?:,\d\d)+,\d{3}(?:\.\d+)?(?![\d,]\d)  # 1,00,000 12,34,567 (lakh)
        | (?<!\d)\d{1,3}(?:[\u202f\u00a0]\d{3})+(?:\.\d+)?(?!\d) # 1 234 (thin/nbsp)
        | (?<!\d)\d{1,3}(?:\ \d{3}){2,}(?!\d)                    # 1 234 567 (plain spaces)
        | (?<![\w.,])[1-9]\d{0,2}\ 000(?![\d.,]?\d|\ \d)           # 40 000 (a round thousand)
        | \d+(?:\.\d+)?[eE][-+]?\d+(?![\w])                     # 1e10 -12e-1
        | \d*\.\d+ | \d+)
    | (?P<word>(?i:[ap]\.m\.?)|[^\W\d_]+)
    | (?P<sym>\S)
    """,
    re.VERBOSE,
)


class Tok(NamedTuple):
    """A token of the number parser: text, span, kind (num, word, sym) and glue.

    A named tuple rather than a frozen dataclass: the parser makes one for every token of
    every sentence, and a tuple is built several times faster.
    """

    text: str
    start: int
    end: int
    kind: str
    glued: bool  # no whitespace between this token and the previous one
    low: str  # lower-cased text

    @property
    def value(self) -> float:
        return float(re.sub(r"[,\s\u202f\u00a0]", "", self.text))


_new_tuple = tuple.__new__


def _tokens(text: str, start: int, end: int) -> list[Tok]:
    out: list[Tok] = []
    append = out.append
    prev_end = -1
    # tuple.__new__ skips the named tuple's Python-level __new__, and one span() call
    # replaces two start() and end() calls: this loop runs for every token of every sentence.
    for m in _TOKEN_RE.finditer(text, start, end):
        s, e = m.span()
        g = m.group()
        append(_new_tuple(Tok, (g, s, e, m.lastgroup or "sym", s == prev_end, g.lower())))
        prev_end = e
    return out


@lru_cache(maxsize=2)
def _sentence_tokens(text: str, start: int, end: int) -> list[Tok]:
    """:func:`_tokens` of a sentence, kept for :func:`tokens_between`: the figures stage
    reads the tokens around each figure of the sentence the parser has just read. Callers
    must not modify the list."""
    return _tokens(text, start, end)


def tokens_between(text: str, start: int, end: int, sent_start: int, sent_end: int) -> list[Tok]:
    """``_tokens(text, start, end)`` for a range that starts or ends a sentence
    ``text[sent_start:sent_end]``, cut from the sentence's tokens when that is provably the
    same list, else tokenised afresh.

    Why it is the same: every non-space character starts a token (``sym``), and no
    alternative of ``_TOKEN_RE`` starts at a space, so the gaps between the sentence's tokens
    are spaces. A scan from ``start`` (with the same end) is then the sentence's scan from
    its first token at or after ``start`` when no sentence token straddles ``start`` (look-
    behinds see before ``pos``), except that its first token is never glued. A scan that ends
    at ``end`` is the sentence's scan up to ``end`` when no attempt before ``end`` reads
    ``end``: with a space at ``end - 1`` not after a digit, nothing gets past that space (only
    the digit-group parts and look-aheads of ``num`` read a space, and only after a digit).
    """
    if end == sent_end and sent_start <= start <= end:
        toks = _sentence_tokens(text, sent_start, sent_end)
        k = bisect_left(toks, start, key=_tok_start)
        if k > 0 and toks[k - 1].end > start:
            return _tokens(text, start, end)  # a token straddles start
        out = toks[k:]
        if out and out[0].glued:
            out[0] = out[0]._replace(glued=False)
        return out
    if (
        start == sent_start
        and sent_start < end - 1
        and end <= sent_end
        and text[end - 1].isspace()
        and not text[end - 2].isdigit()
    ):
        toks = _sentence_tokens(text, sent_start, sent_end)
        return toks[: bisect_left(toks, end, key=_tok_start)]
    return _tokens(text, start, end)


def _tok_start(t: Tok) -> int:
    return t.start


@cache
def _cue_table(section: str) -> list[tuple[tuple[str, ...], str]]:
    """A codebook mapping of cue phrases, as token tuples, longest first."""
    data = codebook()[section]
    items = data.items() if isinstance(data, dict) else ((k, k) for k in data)
    out = []
    for phrase, value in items:
        toks = tuple(t.low for t in _tokens(str(phrase), 0, len(str(phrase))))
        out.append((toks, value))
    out.sort(key=lambda kv: -len(kv[0]))
    return out


@cache
def _cue_index(section: str) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """The cues of :func:`_cue_table` by first token, each list still longest first.

    ``_Reader.match`` runs at every token for several sections; looking only at the cues
    that can start with this token gives the same first hit without scanning the table.
    """
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    empty = [kv for kv in _cue_table(section) if not kv[0]]
    for kv in _cue_table(section):
        if kv[0]:
            index.setdefault(kv[0][0], []).append(kv)
    # an empty cue (never expected) would match anywhere, after every longer one
    for key in index:
        index[key].extend(empty)
    index[""] = empty
    return index


@cache
def _words(section: str) -> dict[str, Any]:
    data = codebook()[section]
    if isinstance(data, dict):
        return {str(k).lower(): v for k, v in data.items()}
    return {str(k).lower(): True for k in data}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Number:
    """One number expression: span, kind, interval, hedge and unit."""

    start: int
    end: int
    surface: str
    value_type: str
    low: float | None
    high: float | None
    low_closed: bool = True
    high_closed: bool = True
    qualifier: str = ""
    unit: str = ""
    #: the stated value (the first number of a range)
    value: float | None = None
    #: a range of two stated numbers ("10 to 15", "between 10 and 20"), not of two bounds
    joined: bool = False

    @property
    def exact(self) -> bool:
        """True only for a plain (or explicitly exact) stated number."""
        return self.qualifier in ("", "exactly") and self.low is not None and self.low == self.high

    @property
    def is_figure(self) -> bool:
        return self.value_type in FIGURE_TYPES

    @property
    def interval(self) -> str:
        """Interval notation: ``"(100, inf)"``, ``"[99, 99]"``, ``"(-inf, 700]"``, or ``""``."""
        if self.low is None and self.high is None:
            return ""
        left = ("[" if self.low_closed else "(") + (
            _fmt(self.low) if self.low is not None else "-inf"
        )
        right = (_fmt(self.high) if self.high is not None else "inf") + (
            "]" if self.high_closed else ")"
        )
        if self.low is None:
            left = "(-inf"
        if self.high is None:
            right = "inf)"
        return f"{left}, {right}"


def _fmt(x: float) -> str:
    if float(x).is_integer() and abs(x) < 1e16:
        return str(int(x))
    return f"{x:.6g}" if abs(x) < 1e-4 or abs(x) >= 1e16 else f"{round(x, 6):g}"


def _interval(qualifier: str, v: float) -> tuple[float | None, float | None, bool, bool]:
    if qualifier == "more_than":
        return v, None, False, False
    if qualifier == "at_least":
        return v, None, True, False
    if qualifier == "less_than":
        return None, v, False, False
    if qualifier == "at_most":
        return None, v, False, True
    return v, v, True, True


# --------------------------------------------------------------------------- the parser


@cache
def _tables() -> tuple[
    dict[str, float], dict[str, float], dict[str, float], dict[str, float], frozenset[str]
]:
    """The parser's converted codebook tables: scales, scale abbreviations, vulgar
    fractions, vague bases (as floats) and the words of the prefix qualifiers."""
    cb = codebook()
    return (
        {k: float(v) for k, v in _words("scales").items()},
        {k: float(v) for k, v in _words("scale_abbreviations").items()},
        {str(k): float(v) for k, v in cb["vulgar_fractions"].items()},
        {k: float(v) for k, v in _words("vague_bases").items()},
        frozenset(w for toks, _ in _cue_table("prefix_qualifiers") for w in toks),
    )


@dataclass
class _Val:
    value: float
    i: int  # first token
    j: int  # one past the last token
    words: bool = False  # written (at least partly) in words
    vague: bool = False
    single_one: bool = False  # just the word "one"
    ratio: bool = False


class _Parser:
    def __init__(self, text: str, start: int, end: int, titlecase: bool | None) -> None:
        self.text = text
        self.toks = list(_sentence_tokens(text, start, end))
        self.n = len(self.toks)
        self.units = _words("units")
        self.teens = _words("teens")
        self.tens = _words("tens")
        # the codebook's tables, converted once (the parser only reads them)
        self.scales, self.abbrev, self.vulgar, self.vague_bases, self.cue_words = _tables()
        self.fractions = _words("fractions")
        self.ordinals = _words("ordinals")
        self.months = _words("months")
        self.weekdays = _words("weekdays")
        self.year_preps = _words("year_prepositions")
        self.time_words = _words("time_words")
        self.age_prefixes = _words("age_prefixes")
        self.name_heads = _words("name_heads")
        self.ambiguous_units = _words("ambiguous_unit_words")
        self.doc_symbols = _decimal_symbols(text)
        if titlecase is None:
            words = [t.text for t in self.toks if t.kind == "word" and len(t.text) > 3]
            titlecase = len(words) >= 3 and all(w[0].isupper() for w in words)
        self.titlecase = titlecase

    # -- token helpers
    def tok(self, k: int) -> Tok | None:
        return self.toks[k] if 0 <= k < self.n else None

    def low(self, k: int) -> str:
        t = self.tok(k)
        return t.low if t else ""

    def match(self, k: int, table: str) -> tuple[str | None, int]:
        """Longest cue of a codebook section starting at token k -> (value, next index)."""
        index = _cue_index(table)
        cues = index.get(self.toks[k].low, index[""]) if k < self.n else index[""]
        for toks, value in cues:
            m = len(toks)
            # symbols and glued pieces of one cue ("km/h", "US$") must be glued
            if (
                k + m <= self.n
                and all(self.toks[k + x].low == toks[x] for x in range(m))
                and all(
                    self.toks[k + x].glued
                    or self.toks[k + x].kind == "word"
                    or self.toks[k + x - 1].kind == "word"
                    for x in range(1, m)
                )
            ):
                return value, k + m
        return None, k

    # -- values
    def is_num_word(self, w: str) -> bool:
        return w in self.units or w in self.teens or w in self.tens

    def word_value(self, k: int) -> _Val | None:
        """A number written in words (possibly mixed with digits) starting at token k."""
        total = 0.0
        group = 0.0
        last = ""  # unit, teen, ten, num, hundred, scale, and, a, frac, point
        last_scale = math.inf
        and_base: float | None = None
        and_scale = 1.0
        and_undo: tuple[float, float, int] | None = None
        frac_parts: tuple[float, float] | None = None
        end = k
        words = False
        # the value read up to the last hundred or scale word, and whether the open group
        # has its hundred: "two hundred and three hundred", "2 million and 3 million" are two
        # numbers (the second "hundred"/"million" cannot extend the first), not 20,300 or 5m
        committed: tuple[float, float, int] | None = None
        group_hundred = False
        and_since_scale = False
        j = k
        while j < self.n:
            t = self.toks[j]
            w = t.low
            if w == "&" and last != "":
                w = "and"  # "two hundred & forty"
            nxt = self.low(j + 1)
            if (
                w == ","
                and last == "scale"
                and words
                and last_scale >= 1000
                and and_base is None
                and (nxt in self.units or nxt in self.teens or nxt in self.tens)
            ):
                # "three million, two hundred and forty": a smaller group after the comma
                rest = self.word_value(j + 1)
                if rest is not None and rest.words and 100 <= rest.value < last_scale:
                    group += rest.value
                    end = rest.j
                break
            if (
                t.kind == "num" and last in ("", "hundred", "scale", "and") and "." not in t.text
            ) or (t.kind == "num" and last == ""):
                v = t.value
                after = self.tok(j + 1)
                glued_letters = after is not None and after.glued and after.kind == "word"
                if last == "":
                    group = v
                elif (
                    v < min(last_scale, 1000)
                    and (last != "hundred" or v < 100)
                    and not glued_letters  # "2.8 million 3D televisions": two numbers
                ):
                    group += v
                else:
                    break
                last = "num"
                end = j + 1
            elif w in self.units or w in self.teens:
                u = float(self.units.get(w, self.teens.get(w, 0)))
                if last in ("", "hundred", "scale", "and") or (
                    last == "ten" and w in self.units and u > 0
                ):
                    if last == "and" and and_base is not None and nxt not in self.fractions:
                        # "one and two" is two numbers, not a sum
                        break
                    group += u
                    last = "teen" if w in self.teens else "unit"
                    words = True
                    end = j + 1
                else:
                    break
            elif w in self.tens:
                if last in ("", "hundred", "scale", "and"):
                    group += float(self.tens[w])
                    last = "ten"
                    words = True
                    end = j + 1
                else:
                    break
            elif (
                w in ("a", "an")
                and last in ("", "and", "frac")
                and (nxt in self.scales or nxt in self.fractions or nxt == "half")
            ):
                if last == "frac":
                    j += 1
                    continue
                group = 1.0
                last = "a"
                words = True
            elif w in ("hundred", "hundreds") and last in ("unit", "teen", "ten", "num", "a", ""):
                if w == "hundreds" and last in ("", "a"):
                    break
                if group_hundred and committed is not None:
                    total, group, end = committed
                    break
                group = (group or 1.0) * 100
                group_hundred = True
                last = "hundred"
                words = True
                end = j + 1
                committed = (total, group, end)
            elif w in ("dozen", "dozens", "dzs", "dozs") and last in (
                "unit",
                "teen",
                "ten",
                "num",
                "a",
                "hundred",
                "frac",
            ):
                if last == "frac":
                    total, group = total * 12, 0.0
                else:
                    group = (group or 1.0) * 12
                last = "scale"
                last_scale = 12
                words = True
                end = j + 1
            elif (
                w in self.scales
                and w not in ("hundred", "dozen")
                and last in ("unit", "teen", "ten", "num", "a", "hundred", "frac", "")
            ) or (
                # a scale of a scale: "three lakh crore", "Rs 2 thousand crore", "a thousand
                # million" (the first scale counts units of the second)
                w in self.scales
                and last == "scale"
                and last_scale >= 1000
                and self.scales[w] > last_scale
                and group == 0
            ):
                scale = self.scales[w]
                if last == "" and j == k:
                    break  # "thousand" alone is not a number ("hundred thousand" is)
                if (
                    last not in ("frac", "scale")
                    and committed is not None
                    and last_scale < math.inf
                    and (scale == last_scale or (scale > last_scale and and_since_scale))
                ):
                    # "2 million and 3 million", "two thousand and three billion": a second
                    # number, not a sum
                    total, group, end = committed
                    break
                if last == "scale":
                    total, group = total * scale, 0.0
                elif last == "frac" and frac_parts is not None and scale < frac_parts[0]:
                    total, group = frac_parts[0] + frac_parts[1] * scale, 0.0
                elif last == "frac":
                    total, group = total * scale, 0.0
                elif scale > last_scale:  # "three lakh crore": multiply what came before
                    total = (total + (group or 1.0)) * scale
                    group = 0.0
                else:
                    total += (group or 1.0) * scale
                    group = 0.0
                last_scale = scale
                last = "scale"
                words = True
                end = j + 1
                committed = (total, group, end)
                group_hundred = and_since_scale = False
            elif w == "and" and last in ("hundred", "scale", "unit", "teen", "ten", "num", "frac"):
                if not (
                    self.is_num_word(nxt)
                    or nxt in ("a", "an", "one")
                    or (self.tok(j + 1) and self.toks[j + 1].kind == "num")
                ):
                    break
                if (
                    last in ("hundred", "scale")
                    and (
                        self.is_num_word(nxt)
                        or (self.tok(j + 1) and self.toks[j + 1].kind == "num")
                    )
                    and not self._fraction_ahead(j + 1)
                ):
                    last = "and"
                    and_since_scale = True
                else:
                    and_undo = (total, group, end)
                    and_base = total + group
                    # "3 million and a half" is 3.5 million
                    and_scale = last_scale if last == "scale" else 1.0
                    total, group = 0.0, 0.0
                    last = "and"
                    last_scale = math.inf
            elif (
                (
                    w in self.fractions
                    and last in ("unit", "teen", "ten", "a", "num", "hundred", "scale")
                )
                or (w == "half" and last in ("",))
                or (
                    # "quarter million", "quarter of a million": no article before it
                    w == "quarter"
                    and last == ""
                    and (
                        nxt in self.scales
                        or (
                            nxt == "of"
                            and self.low(j + 2) in ("a", "an")
                            and self.low(j + 3) in self.scales
                        )
                    )
                )
            ):
                if w in self.ordinals and last == "a" and nxt not in ("of", "", ".", ",", ";"):
                    break  # "a third term" is an ordinal, "a third of voters" a fraction
                if (
                    w != "half"
                    and w.endswith(("th", "d", "h"))
                    and not w.endswith("s")
                    and (last not in ("a", "unit", "ten", "teen", "num"))
                ):
                    break
                denom = float(self.fractions[w])
                num = (total + group) if last != "" else 1.0
                if (
                    last == ""
                    and w == "half"
                    and self.low(j - 1) in _words("half_noun_before")
                    and nxt not in ("a", "an")
                    and nxt not in self.scales
                ):
                    break  # "the first half of 2024" ("the first half a million" is a number)
                if (
                    last == ""
                    and w == "half"
                    and nxt not in ("a", "an", "of")
                    and nxt not in self.scales
                    and nxt not in _words("half_determiners")
                ):
                    break
                frac = num / denom * (and_scale if and_base is not None else 1.0)
                base = and_base or 0.0
                # "one billion and a half million": a scale after it scales the fraction only
                frac_parts = (base, num / denom) if and_base is not None else None
                total, group = base + frac, 0.0
                and_base, and_undo = None, None
                last = "frac"
                words = True
                end = j + 1
                if (
                    self.low(j + 1) == "of"
                    and self.low(j + 2) in ("a", "an")
                    and self.low(j + 3) in self.scales
                ):
                    # "three quarters of a million": a fraction of the scale, not a share
                    total *= self.scales[self.low(j + 3)]
                    last_scale = self.scales[self.low(j + 3)]
                    last, end, j = "scale", j + 4, j + 3
            elif (
                w == "point"
                and last in ("unit", "teen", "ten", "hundred", "scale", "num")
                and (self.is_num_word(nxt))
            ):
                digits = ""
                jj = j + 1
                while jj < self.n and self.low(jj) in self.units:
                    digits += str(self.units[self.low(jj)])
                    jj += 1
                if not digits and self.low(jj) in self.tens:
                    v = self.tens[self.low(jj)]
                    jj += 1
                    if self.low(jj) == "-" and self.low(jj + 1) in self.units:
                        jj += 1
                    if self.low(jj) in self.units:
                        v += self.units[self.low(jj)]
                        jj += 1
                    digits = str(v)
                elif not digits and self.low(jj) in self.teens:
                    digits = str(self.teens[self.low(jj)])
                    jj += 1
                group += float("0." + digits)
                end = jj
                j = jj
                last = "point"
                continue
            elif (w in ("-", "–") and last == "ten" and self.low(j + 1) in self.units) or (
                w == "-" and last in ("unit", "teen", "ten") and self.low(j + 1) in self.fractions
            ):
                pass
            else:
                break
            j += 1
        if last == "and" and and_undo is not None:
            total, group, end = and_undo
        if end <= k:
            return None
        value = total + group
        # "one" alone is a pronoun as often as a number; the caller decides
        single_one = end == k + 1 and self.toks[k].low == "one"
        return _Val(value, k, end, words=words, single_one=single_one)

    def _fraction_ahead(self, k: int) -> bool:
        j = k
        while j < self.n and j < k + 5:
            w = self.low(j)
            if (w in self.fractions and w.endswith("s")) or w in ("half", "quarter"):
                return True
            if not (self.is_num_word(w) or w in ("-", "a", "an")):
                return False
            j += 1
        return False

    def digit_value(self, k: int) -> _Val | None:
        """Digits, with fractions, glued scales and following scale words."""
        t = self.toks[k]
        if t.kind != "num":
            if t.text in self.vulgar:
                return _Val(self.vulgar[t.text], k, k + 1)
            return None
        v = t.value
        j = k + 1
        nt = self.tok(j)
        # scientific notation: 1.3x10^6, 2.48×10−5
        sci = self._scientific(j)
        if sci is not None:
            factor, end, bare = sci
            if bare:  # "1.1^23"
                try:
                    return _Val(float(v**factor), k, end)
                except (OverflowError, ZeroDivisionError):
                    return None
            return _Val(v * factor, k, end)
        # fraction 3/4 (a date 5/17/2018 is caught before)
        if (
            nt
            and nt.text == "/"
            and nt.glued
            and self.tok(j + 1)
            and self.toks[j + 1].kind == "num"
            and self.toks[j + 1].glued
            and self.toks[j + 1].value
        ):
            return _Val(v / self.toks[j + 1].value, k, j + 2)
        # vulgar fraction glued: 2½
        if nt and nt.glued and nt.text in self.vulgar:
            return _Val(v + self.vulgar[nt.text], k, j + 1)
        # mixed 2 1/2
        if nt and nt.kind == "num" and not nt.glued and "." not in t.text:
            n2, n3 = self.tok(j + 1), self.tok(j + 2)
            if (
                n2
                and n3
                and n2.text == "/"
                and n2.glued
                and n3.kind == "num"
                and n3.glued
                and 0 < nt.value < n3.value
            ):
                return _Val(v + nt.value / n3.value, k, j + 3)
        # glued or spaced scale abbreviations: 10k 1.5bn 10 bln
        if (
            nt is not None
            and nt.text == "K"
            and nt.glued
            and len(t.text.partition(".")[2]) >= 2
            and not self._currency_before(k)
        ):
            return _Val(v, k, j)  # "573.15K": kelvin (a thousand is "$1.5K", "2.5k")
        if (
            nt
            and nt.kind == "word"
            and nt.low in self.abbrev
            and (nt.glued or (len(nt.low) > 1 and nt.low not in ("mm", "mil")))
        ):
            if nt.low in self.scales:
                # "4 thousand 3 hundred and 21": the words go on past the scale
                wv = self.word_value(k)
                if wv is not None and wv.j > j + 1:
                    return _Val(wv.value, k, wv.j)
            elif nt.text in ("M", "MM", "B", "bn", "BN", "Bn"):
                pass  # capital M/B are millions and billions, never metres or bytes
            elif nt.low == "m" or (nt.low == "mm" and nt.glued):
                after = self.tok(j + 1)
                money_before = self._currency_before(k)
                # "1m people", "1m barrels": millions; "100m from", "5m.", "6m long" metres
                # in a sentence about money a bare "550m" is millions ("1bn euros now and
                # another 550m to follow"), unless metres are spelled out ("300m-long")
                money_near = not (
                    after is not None
                    and (
                        after.low in _words("metre_cues")
                        or (after.glued and after.text in ("-", "–"))
                    )
                ) and self._money_in_sentence(j)
                if (
                    not money_before
                    and not money_near
                    and not (
                        after
                        and after.kind == "word"
                        and not after.glued
                        and after.low not in _words("np_stopwords")
                        and after.low not in _words("metre_cues")
                        # a thousand millions or more is written "bn": "the 5,000m world record",
                        # "his 1500m victory" are metres, "1,200m barrels" millions
                        and (
                            v < 1000 or _plural(after.low) or after.low in _words("currency_words")
                        )
                    )
                ):
                    return _Val(v, k, j)  # metres, left for the unit reader
            elif nt.low in ("b", "t") and not self._currency_before(k):
                return _Val(v, k, j)
            return _Val(v * self.abbrev[nt.low], k, j + 1)
        # words after digits: "2 million", "322 hundred", "3 dozens", "4 thousand 3 hundred"
        if nt and nt.kind == "word" and (nt.low in self.scales or nt.low in ("hundreds", "dozens")):
            wv = self.word_value(k)
            if wv and wv.j > j:
                return _Val(wv.value, k, wv.j)
        return _Val(v, k, j)

    def _scientific(self, j: int) -> tuple[float, int, bool] | None:
        """(factor, next index, bare) for "x10^6", "×10−5", "x 10^-4", "x2^10" at token j;
        for a bare power ("1.1^23") the factor is the exponent and ``bare`` is True."""
        x, base = self.tok(j), self.tok(j + 1)
        if x is None:
            return None
        if x.text == "^" and x.glued:
            base_value, k = None, j + 1  # "1.1^23": the value itself is the base
        elif (
            base is not None
            and x.low in ("x", "×", "*")
            and base.kind == "num"
            and base.text.isdigit()
            and (base.text == "10" or self.low(j + 2) == "^")
        ):
            base_value, k = float(base.text), j + 2
            if self.low(k) == "^":
                k += 1
        else:
            return None
        sign = 1.0
        if self.low(k) in ("-", "−", "+"):
            sign = -1.0 if self.low(k) != "+" else 1.0
            k += 1
        e = self.tok(k)
        if e is None or e.kind != "num" or not e.text.isdigit() or not e.glued:
            return None
        exponent = sign * float(e.text)
        if abs(exponent) > 300:
            return None
        if base_value is None:
            return exponent, k + 1, True
        return base_value**exponent, k + 1, False

    def _currency_before(self, k: int) -> bool:
        p = self.tok(k - 1)
        return bool(
            (p and p.text in ("$", "£", "€", "¥", "₪", "₹"))
            or (p and p.text.upper() in ("USD", "EUR", "GBP", "NIS"))
        )

    def vague_value(self, k: int) -> _Val | None:
        """Plural scales ("hundreds of", "tens of thousands") and "several hundred"."""
        w = self.low(k)
        j = k
        if w in ("several", "few", "many", "couple") or (
            w == "a" and self.low(k + 1) in ("few", "couple")
        ):
            j = k + 1
            if self.low(j) in ("few", "couple"):
                j += 1
            if self.low(j) == "of":
                j += 1
            sw = self.low(j)
            if sw in self.scales:
                prod = self.scales[sw]
                j += 1
                while self.low(j) in self.scales and self.scales[self.low(j)] > prod:
                    prod *= self.scales[self.low(j)]
                    j += 1
                return _Val(2 * prod, k, j, words=True, vague=True)
            if w == "many" and sw in self.vague_bases and sw not in ("tens", "scores"):
                k = j  # "many thousands" reads as "thousands"
                w = sw
            else:
                return None
        if w not in self.vague_bases:
            return None
        if w in ("tens", "scores") and self.low(k + 1) != "of":
            return None
        prod = self.vague_bases[w]
        j = k + 1
        while (
            self.low(j) == "of"
            and self.low(j + 1) in self.vague_bases
            and self.vague_bases[self.low(j + 1)] > 20
        ):
            prod *= self.vague_bases[self.low(j + 1)]
            j += 2
        return _Val(2 * prod, k, j, words=True, vague=True)

    def value_at(self, k: int) -> _Val | None:
        """Any value at token k, with its sign."""
        t = self.tok(k)
        if t is None:
            return None
        sign = 1.0
        start = k
        if t.low in ("minus", "negative") or (t.text in ("-", "−", "+") and self._sign_position(k)):
            nt = self.tok(k + 1)
            if nt is None or not (nt.kind == "num" or self.is_num_word(nt.low)):
                return None
            if t.text in ("-", "−", "+") and not nt.glued and k > 0:
                return None
            sign = -1.0 if t.text != "+" else 1.0
            k += 1
            t = self.toks[k]
        val = self.digit_value(k) if t.kind == "num" or t.text in self.vulgar else None
        if val is None:
            val = self.vague_value(k)
        if val is None and (
            self.is_num_word(t.low) or t.low in ("a", "an", "half", "quarter", "hundred")
        ):
            val = self.word_value(k)
            if val is not None and t.low in ("a", "an") and val.j == k + 1:
                val = None
        if val is None:
            return None
        if val.j < self.n and val.words is False and t.kind == "num":
            # digits followed by word scales handled in digit_value; nothing more
            pass
        val.value *= sign
        if sign < 0:
            val.single_one = False  # "minus one" is a number
        val.i = start
        return val

    def _sign_position(self, k: int) -> bool:
        p = self.tok(k - 1)
        if p is None:
            return True
        # "F-35", "10-15": a hyphen glued to a word or number is not a sign
        return not (self.toks[k].glued and p.kind in ("word", "num"))

    # -- units
    def unit_after(self, j: int, val: _Val) -> tuple[str, str, int]:
        """(value_type, unit, next index) for what follows a value at token j."""
        t = self.tok(j)
        if t is None:
            return "", "", j
        # percent
        if (t.text == "%" and t.glued) or (t.text == "%" and self.tok(j - 1).kind == "num"):
            return "percent", "percent", j + 1
        pw, jj = self.match(j, "percent_words")
        if pw:
            return "percent", pw, jj
        # a currency glued to the digits: "873p" (a letter or digit glued after it makes a
        # code, "0.2p0", "12pm" is a time)
        gc = codebook()["glued_currency_words"].get(t.text)
        if gc and t.glued and self.toks[j - 1].kind == "num" and not self._named(j - 1):
            after = self.tok(j + 1)
            if not (
                after is not None and after.glued and after.kind in ("word", "num")
            ) and not self._video_near(j):
                return "money", gc, j + 1
        # currency words: "3 million dollars", "5 billion US dollars"
        k = j
        if self.low(k) in ("us", "u.s", "american", "australian", "canadian", "hong"):
            k += 1
            if self.low(k) == ".":
                k += 1
        cw, jj = self.match(k, "currency_words")
        if cw and not self._capitalised_word(k):
            return "money", cw, jj
        # measure units: glued, spaced, hyphenated ("16-meter"), or "of" ("hundreds of kilograms")
        k = j
        if t.text in ("-", "–") and t.glued and self.tok(j + 1) and self.toks[j + 1].glued:
            k = j + 1
        via_of = False
        if t.low == "of" and (val.vague or val.words or val.value >= 100):
            k = j + 1
            via_of = True
        mu, jj = self.match(k, "measure_units")
        first = self.tok(k)
        if mu and first is not None and k > 0:
            gap = self.text[self.toks[k - 1].end : first.start]
            if "\n" in gap or (len(first.text) == 1 and first.text.isupper() and len(gap) > 1):
                mu = None  # "8,200\n\nC...": a unit never starts the next paragraph
        if mu is None and first is not None and not via_of:
            # "4e14 s-1", "0.2 s−1": a unit that stands alone only with an inverse power
            po, jp = self.match(k, "per_only_units")
            if po:
                name, jp2 = self._power(po, jp)
                if jp2 > jp and name.startswith("per "):
                    name, jp2 = self._per_chain(name, jp2)
                    return "measure", name, jp2
                after = self.tok(jp)
                if (
                    first.text in ("s", "h")
                    and not first.glued
                    and self.toks[k - 1].kind == "num"
                    and (
                        after is None
                        or after.text in ".,;:)"
                        or after.low in _words("symbol_unit_followers")
                    )
                ):
                    return "measure", po, jp  # "processed for 240 s at 30 mA", "for 24 h in"
        if (
            mu
            and first is not None
            and len(first.text) == 1
            and first.text.isupper()
            and first.low not in _words("capital_letter_units")
        ):
            mu = None  # single letters keep their case: "5 g" is grams, "5G" a name
        if mu and first.low in _words("units_only_in_capitals") and not first.text.isupper():
            mu = None  # "40C" is Celsius, "5c" cents
        if mu and jj == k + 1 and first.low in _exact_case_units():
            mu = codebook()["exact_case_units"].get(first.text)  # "30 mA", not mega-annum
        if (
            mu
            and self._capitalised_word(k)
            and first.low not in ("celsius", "fahrenheit")
            and first.text not in codebook()["title_case_units"]
        ):
            mu = None  # "50 Cent", "Route 66 Miles": a name, not a unit
        if mu:
            glued = first.glued and not via_of
            # ambiguous words ("in", "m", "a") only glued or unmistakably written ("3 L")
            after = self.tok(jj)
            if (
                self.low(k) in self.ambiguous_units
                and jj == k + 1
                and not glued
                and not (first.text.isupper() and len(first.text) == 1 and first.text not in "AI")
                and not (
                    self.low(k) in _words("unit_before_punctuation")
                    and (
                        after is None
                        or after.low == "of"
                        or after.text in ".,;:)("
                        or self.match(jj, "uncertainty_markers")[0]
                    )
                )
                # "30,000 m2", "4 km^2": a unit with its power
                and self._power(mu, jj)[1] == jj
                # "9.8 m/s2", "1 g cm−3": a unit over a unit
                and not (
                    after is not None
                    and (after.glued or after.kind == "word")
                    and self._per_chain(mu, jj)[1] > jj
                )
                # "8 MB", but "8 mb" could be anything
                and not (first.text.isupper() and first.low in _words("units_in_capitals"))
                # "2 1/2 in thick": "in" before a dimension is inches ("in long queues" is not)
                and not self._dimension_after(jj, val)
                # "from 120 m to 380 m": the same word after both ends of a range is a unit
                and not self._unit_repeated(k, jj)
                # "a 75 g dose": between an article and a noun
                and not self._unit_before_noun(k, jj, val)
                # "380 m above sea level", "a 10 m long wall": metres, as when glued ("6m long")
                and not (self.low(k) == "m" and self.low(jj) in _words("metre_cues"))
                # "a 17.7 m-thick layer", "a 5 m-high wall": a unit hyphenated to a dimension
                and not (
                    after is not None
                    and after.text in ("-", "–")
                    and after.glued
                    and self.low(jj + 1) in _words("dimension_words")
                )
            ):
                return "", "", j
            if via_of and first.low in (
                "second",
                "minute",
                "hour",
                "day",
                "week",
                "month",
                "year",
                "m",
                "g",
                "t",
            ):
                return "", "", j
            # "21st-century" is an ordinal; "two-year-old" an age (handled by the caller)
            unit, jj = self._power(mu, jj)
            # per-unit: "$15.4/hour", "30 km per hour", "9.8 m/s2", "11 km s−1"
            unit, jj = self._per_chain(unit, jj)
            return "measure", unit, jj
        return "", "", j

    def _unit_before_noun(self, k: int, jj: int, val: _Val) -> bool:
        """Is the unit word at k (ending at jj) between an article before the number and a
        lower-case noun ("a 75 g glucose solution", "the 24 m section")?"""
        if self.low(k) not in _words("unit_before_noun") or self.low(val.i - 1) not in (
            "a",
            "an",
            "the",
        ):
            return False
        t = self.tok(jj)
        return (
            t is not None
            and t.kind == "word"
            and not t.glued
            and t.text.islower()
            and t.low not in _words("np_stopwords")
            and t.low not in _words("measure_not_before")
        )

    def _unit_repeated(self, k: int, jj: int) -> bool:
        """Is the one-token unit word at k repeated after the number a range joiner at jj leads
        to ("120 m to 380 m", "5 in - 7 in")?"""
        if self.low(jj) not in ("to", "-", "–", "and", "through"):
            return False
        v2 = self.value_at(jj + 1)
        return v2 is not None and v2.j < self.n and self.toks[v2.j].text == self.toks[k].text

    def _power(self, unit: str, jj: int) -> tuple[str, int]:
        """A unit with its power, if one follows at token jj (the unit ends at jj - 1): "km^2"
        and "km2" (square kilometre), "km cubed", "s-1" / "s^-1" (per second)."""
        names = codebook()["unit_powers"]
        t = self.tok(jj)
        if t is None:
            return unit, jj
        power, end = "", jj
        if t.text == "^" and t.glued:
            x = jj + 1
            sign = ""
            if self.low(x) in ("-", "−") and self.toks[x].glued:
                sign, x = "-", x + 1
            e = self.tok(x)
            if e is not None and e.kind == "num" and e.glued:
                power, end = sign + e.text, x + 1
        elif t.text in ("-", "−") and t.glued and self.low(jj + 1) in ("1", "2", "3"):
            if self.toks[jj + 1].glued:
                power, end = "-" + self.low(jj + 1), jj + 2
        elif (
            t.kind == "num"
            and t.glued
            and t.text in ("2", "3")
            and len(self.toks[jj - 1].text) <= 3
            and self.toks[jj - 1].kind == "word"
        ):
            power, end = t.text, jj + 1
        elif t.kind == "word" and not t.glued and t.low in names:
            power, end = t.low, jj + 1
        nt = self.tok(end)
        if (
            not power
            or str(power) not in names
            or (nt is not None and nt.glued and nt.kind != "sym")
        ):
            return unit, jj
        if unit.startswith(("square ", "cubic ", "per ")) or " per " in unit:
            return unit, jj
        return f"{names[str(power)]} {unit}", end

    def _per_chain(self, unit: str, jj: int) -> tuple[str, int]:
        """ "km per hour", "km/s2", "J/m^2 per year", "km s−1": up to two per-units."""
        for _ in range(2):
            if self.low(jj) in ("per", "/") and self.tok(jj + 1):
                pu, j3 = self.match(jj + 1, "measure_units")
                if not pu:
                    pu, j3 = self.match(jj + 1, "per_only_units")
                if not pu:
                    break
                pu, j3 = self._power(pu, j3)
                unit, jj = f"{unit} per {pu.removeprefix('per ')}", j3
                continue
            # a spaced unit with an inverse power: "11 km s−1"
            pu, j3 = self.match(jj, "per_only_units")
            if not pu:
                pu, j3 = self.match(jj, "measure_units")
            t = self.tok(jj)
            if not pu or t is None or t.glued or t.kind != "word" or len(t.text) > 3:
                break
            pu2, j4 = self._power(pu, j3)
            if j4 == j3 or not pu2.startswith("per "):
                break
            unit, jj = f"{unit} {pu2}", j4
        return unit, jj

    # -- qualifiers
    def prefix_at(self, k: int) -> tuple[str, int]:
        t = self.tok(k)
        if t is None:
            return "", k
        if t.kind == "sym":
            q, j = self.match(k, "symbol_qualifiers")
            if q:
                p = self.tok(k - 1)
                if p is not None and self.toks[k].glued and p.text in "=<>!":
                    return "", k
                return q, j
            return "", k
        q, j = self.match(k, "prefix_qualifiers")
        return (q, j) if q else ("", k)

    def suffix_at(self, j: int) -> tuple[str, int]:
        q, jj = self.match(j, "suffix_qualifiers")
        if q:
            nt = self.tok(jj)
            # "200 or greater than 190": the cue belongs to 190
            if nt is not None and (nt.low == "than" or nt.kind == "num"):
                return "", j
            return q, jj
        t = self.tok(j)
        if t is not None and t.text == "+" and t.glued:
            return "at_least", j + 1
        if t is not None and t.text in ("-", "–") and t.glued and self.low(j + 1) == "plus":
            return "at_least", j + 2
        return "", j


def _title(t: Tok) -> bool:
    return t.kind == "word" and t.text[:1].isupper()


class _Reader(_Parser):
    """Walks the tokens and emits :class:`Number` objects."""

    def emit(
        self,
        i: int,
        j: int,
        value_type: str,
        low: float | None,
        high: float | None,
        qualifier: str = "",
        unit: str = "",
        low_closed: bool = True,
        high_closed: bool = True,
        value: float | None = None,
    ) -> Number:
        s, e = self.toks[i].start, self.toks[j - 1].end
        return Number(
            s,
            e,
            self.text[s:e],
            value_type,
            low,
            high,
            low_closed,
            high_closed,
            qualifier,
            unit,
            value if value is not None else low,
        )

    def sentence_initial(self, k: int) -> bool:
        for x in range(k - 1, -1, -1):
            t = self.toks[x]
            if t.kind == "word" or t.kind == "num":
                return False
            if t.text in ".!?":
                return True
        return True

    # -- non-figures first
    def _month(self, k: int) -> int | None:
        """Index after a capitalised month name at token k ("Jan." keeps its period)."""
        t = self.tok(k)
        if t is None or t.kind != "word" or not t.text[0].isupper():
            return None
        name = t.low
        if name not in self.months:
            return None
        if (
            len(name) <= 4
            and name != "june"
            and name != "july"
            and self.low(k + 1) == "."
            and self.toks[k + 1].glued
            and name != "may"
        ):
            return k + 2
        return k + 1

    def _day(self, k: int) -> int | None:
        """Index after a day of the month at token k: "14", "14th", "4-6" (a span of days)."""
        t = self.tok(k)
        if t is None or t.kind != "num" or len(t.text) > 2 or not 1 <= t.value <= 31:
            return None
        j = k + 1
        if self.low(j) in ("st", "nd", "rd", "th") and self.toks[j].glued:
            j += 1
        d2 = self.tok(j + 1)
        if (
            self.low(j) in ("-", "–")
            and d2 is not None
            and d2.kind == "num"
            and len(d2.text) <= 2
            and t.value < d2.value <= 31
        ):
            j += 2
        return j

    def _year_after(self, j: int) -> int:
        """Index after an optional ", 2024" or " 2024" at token j."""
        t, t2 = self.tok(j), self.tok(j + 1)
        if (
            t is not None
            and t.text == ","
            and t2 is not None
            and t2.kind == "num"
            and re.fullmatch(r"\d{4}", t2.text)
        ):
            return j + 2
        if t is not None and t.kind == "num" and re.fullmatch(r"\d{4}", t.text):
            return j + 1
        return j

    def date_at(self, k: int) -> Number | None:
        """A calendar date at token k: "April 14, 2024", "14 April", "4-6 March", "May 2024"."""
        m = self._month(k)
        if m is not None:
            d = self._day(m)
            if d is not None:
                return self.emit(k, self._year_after(d), "date", None, None)
            y = self.tok(m)
            if y is not None and y.kind == "num" and re.fullmatch(r"\d{4}", y.text):
                return self.emit(k, m + 1, "date", None, None)
            return None
        d = self._day(k)
        if d is None:
            return None
        j = d + 1 if self.low(d) == "of" else d
        m = self._month(j)
        if m is None:
            return None
        return self.emit(k, self._year_after(m), "date", None, None)

    def chain_at(self, k: int) -> Number | None:
        """Digits joined by glued separators: dates, times, identifiers, year ranges."""
        t = self.toks[k]
        start = k
        if (
            t.text == "+"
            and self.tok(k + 1)
            and self.toks[k + 1].kind == "num"
            and self.toks[k + 1].glued
        ):
            k += 1
        parts = [self.toks[k]]
        seps: list[str] = []
        j = k + 1
        while (
            j + 1 < self.n
            and self.toks[j].glued
            and self.toks[j].text in "-/.:"
            and self.toks[j + 1].glued
            and self.toks[j + 1].kind == "num"
            and self.toks[j].text
        ):
            seps.append(self.toks[j].text)
            parts.append(self.toks[j + 1])
            j += 2
        if len(parts) == 1:
            return None
        if start != k and len(parts) < 3:
            return None
        texts = [p.text for p in parts]
        if len(parts) == 2 and seps[0] == "/" and parts[1].value == 0:
            return self.emit(start, j, "name", None, None)  # "1/0" is no value
        if len(parts) == 2 and seps[0] == "/" and "/".join(texts) in _words("named_fractions"):
            return self.emit(start, j, "name", None, None)  # "9/11", "24/7"
        if (
            len(parts) == 3
            and seps[0] == seps[1]
            and seps[0] in "/-."
            and all(x.isdigit() for x in texts)  # not "1,000" or "40 000"
        ):
            a, b, c = (int(x) for x in texts)
            if seps[0] == "-" and len(texts[0]) == 4 and 1 <= b <= 12 and 1 <= c <= 31:
                return self.emit(start, j, "date", None, None)
            if len(texts[2]) in (2, 4) and 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12):
                return self.emit(start, j, "date", None, None)
        colon_pair = len(parts) == 2 and seps[0] == ":" and all(x.isdigit() for x in texts)
        if colon_pair and (
            self.low(start - 1) in _words("score_words") or self.low(j) in _words("score_words")
        ):
            return self.emit(start, j, "name", parts[0].value, parts[0].value)  # "a 3:2 win"
        ratio = colon_pair and (
            self.low(j) in _words("ratio_words") or self.low(start - 1) in _words("ratio_words")
        )
        if (
            not ratio
            and len(parts) in (2, 3)
            and all(sep == ":" for sep in seps)
            and all(len(x) == 2 and x.isdigit() and int(x) < 60 for x in texts[1:])
            and texts[0].isdigit()
            and int(texts[0]) <= 24
            # with seconds, a clock reads "01:25:40" or "1:25:40 UT"; "2:17:18" is a race time
            and (len(parts) == 2 or len(texts[0]) == 2 or self.low(j) in self.time_words)
        ):
            # "14:30", "01:25:40 UT"
            jj = j
            if self.low(jj) in self.time_words:
                jj += 1
            return self.emit(start, jj, "time", None, None)
        if colon_pair and not ratio and len(texts[1]) == 2 and int(texts[1]) < 60:
            return self.emit(start, j, "time", None, None)  # a race time: "a time of 31:41"
        if (
            len(parts) == 2
            and seps[0] == "-"
            and len(texts[0]) == 4
            and texts[1].startswith("0")
            and len(texts[1]) == 2
        ):
            return self.emit(start, j, "date", None, None)  # 1995-01
        if (
            len(parts) == 2
            and seps[0] in "-/"
            and len(texts[0]) == 4
            and 1500 <= int(float(texts[0])) <= 2199
            and (
                len(texts[1]) == 2 or (len(texts[1]) == 4 and 1500 <= int(float(texts[1])) <= 2199)
            )
        ):
            return self.emit(
                start, j, "year", float(texts[0]), None if len(texts[1]) == 2 else float(texts[1])
            )
        if len(parts) >= 3 or seps[0] == "." or (start != k):
            return self.emit(start, j, "name", parts[0].value, parts[0].value)
        if (
            seps[0] in "-–"
            and all(re.fullmatch(r"\d{1,3}", x) for x in texts)
            and int(texts[1]) <= int(texts[0])
        ):
            return self.emit(start, j, "name", parts[0].value, parts[0].value)  # a score: 6-4
        if colon_pair:
            # a ratio no clock or race time reads ("a 3:1 majority", "a 1:3 molar ratio", not
            # "a time of 31:41"): one figure, the first term over the second, not two counts
            if not parts[1].value:
                return self.emit(start, j, "name", parts[0].value, parts[0].value)
            v = parts[0].value / parts[1].value
            return self.emit(start, j, "measure", v, v, "", "ratio", value=v)
        return None

    def _video_near(self, j: int) -> bool:
        """Whether a video word stands within four words of token ``j`` in its clause ("1080p
        video", "streamed in 720p"; not "to 120.5p, and the 1080p video")."""
        video = _words("glued_currency_not_before")
        for step in (1, -1):
            x = j + step
            while 0 <= x < self.n and abs(x - j) <= 4 and self.low(x) not in (",", ";", ".", ":"):
                if self.low(x) in video:
                    return True
                x += step
        return False

    def name_before(self, k: int) -> bool:
        """Is the number at token k part of a name ("Arrow 3", "F-35", "Resolution 1701")?"""
        t = self.toks[k]
        p = self.tok(k - 1)
        if p is None:
            return False
        if t.glued and p.kind == "word" and p.low not in self.abbrev and p.text not in "$£€¥₪₹":
            return True  # MH17, G7
        if (
            t.glued
            and p.text in ("-", "–")
            and self.tok(k - 2)
            and self.toks[k - 2].kind == "word"
            and p.glued
            and not self.is_num_word(self.low(k - 2))
            # "$779m-798m", "5km-10km": a range of scaled numbers or measures, not a name
            and not (
                self.toks[k - 2].glued
                and self.tok(k - 3)
                and self.toks[k - 3].kind == "num"
                and (self.low(k - 2) in self.abbrev or self.low(k - 2) in _words("measure_units"))
            )
        ):
            return True  # F-35, Covid-19, SCP-173
        if p.text == "#" and t.glued:
            return True
        if p.low == "." and self.low(k - 2) in ("no", "nr", "nrs", "nos") and not t.glued:
            return True  # "No. 10"
        if p.kind != "word" or t.glued:
            return False
        if p.low in self.name_heads or p.low.rstrip(".") in self.name_heads:
            return not (p.low in ("no", "number") and not p.text[0].isupper())
        nt = self.tok(k + 1)
        counts_plural = (
            nt is not None and nt.kind == "word" and not nt.glued and _plural(nt.low)
        )  # "Enceladus 14 times", "Iran 300 drones": a count after a name
        if (
            _title(p)
            and not counts_plural
            and not self.titlecase
            and not self.sentence_initial(k - 1)
            and p.low not in self.cue_words
            and p.low.rstrip(".") not in self.months
            and p.low not in self.weekdays
            and p.low not in self.units
            and p.low not in _words("currency_words")
            and p.text not in codebook()["currency_prefixes"]
            and p.low not in self.year_preps
            and p.low not in ("between", "from", "and", "to")
            and not p.text.isupper()
        ):
            return True
        # an all-capitals code before the number: "SCP 06F6", "MACS 1149"
        return (
            p.text.isupper()
            and len(p.text) >= 2
            and p.text not in codebook()["currency_prefixes"]
            and not self.titlecase
        )

    def _capitalised_word(self, k: int) -> bool:
        """A Title-case word inside sentence-case text (so a name: "50 Cent")."""
        t = self.tok(k)
        return (
            t is not None
            and t.kind == "word"
            and len(t.text) > 1
            and t.text[0].isupper()
            and t.text[1:].islower()
            and not self.titlecase
            and not self.sentence_initial(k)
        )

    def _name_head(self, k: int) -> bool:
        t = self.tok(k)
        return t is not None and (t.low in self.name_heads or t.low.rstrip(".") in self.name_heads)

    def _name_start(self, k: int) -> int:
        """First token of the name a number belongs to ("Arrow 3", "F-35", "No. 10")."""
        p = self.tok(k - 1)
        if p is None:
            return k
        if p.text in ("-", "–", "#") and self.toks[k].glued:
            return (
                k - 2 if self.tok(k - 2) and self.toks[k - 2].kind == "word" and p.glued else k - 1
            )
        if p.text == "." and self.tok(k - 2) and self.toks[k - 2].kind == "word":
            return k - 2
        return k - 1 if p.kind == "word" else k

    def age_apposition(self, k: int, j: int, val: _Val) -> bool:
        """ "John Smith, 45, said": a small number between commas after a capitalised name."""
        p, pp, nt = self.tok(k - 1), self.tok(k - 2), self.tok(j)
        return bool(
            p
            and p.text == ","
            and pp
            and _title(pp)
            and nt
            and nt.text == ","
            and val.j == k + 1
            and self.toks[k].kind == "num"
            and 1 <= val.value < 120
            and val.value.is_integer()
            and pp.low.rstrip(".") not in self.months
            and pp.low not in self.weekdays
        )

    def year_like(self, val: _Val, k: int, j: int) -> bool:
        t = self.toks[k]
        if t.kind != "num" or val.j != k + 1 or not re.fullmatch(r"\d{4}", t.text):
            return False
        if not 1500 <= t.value <= 2199:
            return False
        nt = self.tok(j)
        if nt and nt.kind == "word" and not nt.glued and _plural(nt.low):
            p = self.tok(k - 1)
            return bool(p and p.low in self.year_preps and p.low not in ("of", "to", "and"))
        return True

    def figure_at(self, i: int) -> Number | None:
        k = i
        # "between A and B", "from A to B"
        opener = self.low(k) in ("between", "from")
        if opener:
            k += 1
        qualifier, k = self.prefix_at(k) if not opener else ("", k)
        percent_prefix = False
        pw, kk = self.match(k, "percent_words")
        if pw and self.low(kk) == "of":
            percent_prefix, k = True, kk + 1
        cur, kk = self.match(k, "currency_prefixes")
        currency = ""
        if cur and (kk < self.n and (self.toks[kk].kind == "num" or self.toks[kk].text == "-")):
            written = self.text[self.toks[k].start : self.toks[kk - 1].end]
            if self.toks[k].kind == "word" and written not in codebook()["currency_prefixes"]:
                cur = None  # case matters for codes ("NIS", not "nis")
            if cur:
                currency, k = cur, kk
                if self.low(k) == "." and self.toks[k].glued:  # "Rs. 500"
                    k += 1
        if self.date_at(k) is not None:
            return None  # "from 4-6 March": a date, read by date_at
        val = self.value_at(k)
        if val is None:
            return None
        vstart = k
        j = val.j
        if qualifier and self.low(j) == ":" and self.toks[j].glued and self.chain_at(k):
            return None  # "~01:25 GMT": a clock time, read from its digits
        # the word "one" alone: a number only before a content word ("one soldier")
        if val.single_one and not qualifier and not currency:
            nt, p = self.tok(j), self.tok(vstart - 1)
            pronoun = (
                nt is None
                or nt.kind != "word"
                or nt.low in _words("np_stopwords")
                or nt.low in ("another", "day", "time", "way", "thing", "hand")
                or (p is not None and p.low in _ONE_PRONOUN_BEFORE)
            )
            # "one-day treatment": a hyphenated unit makes it a measure
            hyphen_unit = (
                nt is not None
                and nt.text in ("-", "–")
                and nt.glued
                and self.tok(j + 1) is not None
                and self.toks[j + 1].glued
                and self.low(j + 1) in _words("measure_units")
            )
            # the ratio "one in five" is still read below
            if pronoun and not hyphen_unit and not (nt is not None and nt.low in ("in", "out")):
                return None
        if val.words and val.value == 0 and self.toks[vstart].low in ("nil",):
            return None
        # ordinals: 21st, 3rd
        nt = self.tok(j)
        if (
            nt
            and nt.glued
            and nt.low in ("st", "nd", "rd", "th")
            and self.toks[vstart].kind == "num"
        ):
            if val.j > vstart + 1 and 0 < val.value < 1:
                # "1/100th of the material": a fraction written with an ordinal suffix
                val = _Val(val.value, val.i, j + 1, words=val.words)
                j += 1
            else:
                return self.emit(
                    i if not qualifier else vstart, j + 1, "ordinal", val.value, val.value
                )
        # a stated uncertainty: "9.83e-3 +/- 1e-5 km/s2", "2,000.45±0.01 pounds"
        unc: _Val | None = None
        marker, jm = self.match(j, "uncertainty_markers")
        if marker and not val.vague:
            unc = self.value_at(jm)
            if unc is not None and unc.value > 0 and not unc.vague:
                j = unc.j
            else:
                unc = None
        # range: A to B, A-B, A through B, A or B, between A and B
        unit_type, unit, j = self.unit_after(j, val) if not currency else ("money", currency, j)
        if (
            unit_type == "measure"
            and j == val.j + 1
            and self.toks[val.j].glued
            and len(self.toks[val.j].text) == 1
            and self._named(vstart)
        ):
            # "δ13C", "Fig. 3C", "Table 2J": a label, not 13 degrees or 2 joules
            unit_type, unit, j = "", "", val.j
        if currency:
            # "$350 per kg"
            if self.low(j) in ("per", "/", "a", "an"):
                pu, j3 = self.match(j + 1, "measure_units")
                if (pu and self.low(j) in ("per", "/")) or (
                    pu and self.low(j + 1) in ("day", "year", "month", "week", "hour")
                ):
                    unit, j = f"{unit} per {pu}", j3
            cw, jj = self.match(j, "currency_words")  # "$5 million dollars" rarely; "$" + "USD"
            if cw == currency:
                j = jj
        if unc is None and unit_type in ("percent", "measure"):
            # "52% ± 3%", "2.5 m ± 0.1 m": the uncertainty after the unit, in the same unit
            marker, jm = self.match(j, "uncertainty_markers")
            u = self.value_at(jm) if marker and not val.vague else None
            if u is not None and u.value > 0 and not u.vague:
                # the same unit again ("42.5 m ± 0.5 m") is part of it
                written = [t.low for t in self.toks[val.j : j]]
                again = [t.low for t in self.toks[u.j : u.j + len(written)]]
                unc, j = u, (u.j + len(written) if again == written else u.j)
        high_val: _Val | None = None
        jn = j
        if (
            self.tok(jn)
            and self.toks[jn].text in ("-", "–")
            and self.toks[jn].glued
            and self.low(jn + 1) == "to"
        ):
            jn += 1  # "8- to 16-meter"
        joiner = self.low(jn)
        joiners = (
            ("and",)
            if opener and self.low(i) == "between"
            else (
                ("to", "-", "–", "—", "through", "thru")
                if opener
                else ("to", "-", "–", "—", "through", "thru", "or")
            )
        )
        # "rose from 3% to 5%", "fell 4% to $36bn": a change, two figures, not a range
        change = self.low(i - 1) in _words("change_verbs") or (
            self.low(i - 1) == "from" and self.low(i - 2) in _words("change_verbs")
        )
        if change and joiner in ("to", "-", "–", "—"):
            joiner = ""
        if opener and change:
            return None
        if (
            unc is None
            and not self._glued_to_word(vstart)
            and joiner in joiners
            and not (
                joiner in ("-", "–") and self.toks[jn].glued is False and not self._spaced_dash(jn)
            )
        ):
            k2 = jn + 1
            cur2, kk2 = self.match(k2, "currency_prefixes")
            if cur2 and cur2 == currency:
                k2 = kk2
            v2 = self.value_at(k2)
            if (
                v2 is not None
                and (joiner != "or" or self._or_range(val, v2))
                # "from -18 °C to -34 °C" runs downwards
                and (v2.value > val.value or (val.value < 0 and v2.value < val.value))
                and not self.name_before(k2)
            ):
                u2type, u2, j2 = self.unit_after(v2.j, v2)
                if unit_type == "measure" and not u2type and j > val.j:
                    # "120 m to 380 m above": the first end's unit, written again
                    written = [t.text for t in self.toks[val.j : j]]
                    if [t.text for t in self.toks[v2.j : v2.j + len(written)]] == written:
                        u2type, u2, j2 = unit_type, unit, v2.j + len(written)
                if currency:
                    u2type, u2 = "money", unit
                    if self.low(j2) in ("per", "/"):
                        pu, j3 = self.match(j2 + 1, "measure_units")
                        if pu:
                            j2 = j3
                # "10 to 15%" shares the unit; "4% to 36bn" is not a range
                if not unit_type or u2 == unit:
                    high_val = v2
                    val = self._shared_scale(val, v2)
                    if not unit_type:
                        unit_type, unit = u2type, u2
                    j = j2
        if opener and high_val is None:
            if qualifier:
                return None
            return None
        # suffix qualifiers
        suffix, js = self.suffix_at(j)
        inclusive = False
        if qualifier in ("more_than", "less_than"):
            for toks, _ in _cue_table("inclusive_suffixes"):
                if tuple(self.low(j + x) for x in range(len(toks))) == toks:
                    inclusive, js = True, j + len(toks)
                    break
        # kinds
        value_type = unit_type or "count"
        if val.ratio:
            value_type = "percent"
        t0 = self.toks[vstart]
        # ages: "54-year-old", "54 years old", "aged 54"
        if unit in ("year", "month", "week", "day") and self.low(j) in ("old",):
            value_type, j = "age", j + 1
        elif unit in ("year", "month") and self.low(j) == "-" and self.low(j + 1) == "old":
            value_type, j = "age", j + 2
        elif self.low(vstart - 1) in self.age_prefixes and not qualifier and not currency:
            value_type = "age"
        elif (
            not qualifier
            and not currency
            and not unit_type
            and high_val is None
            and self.age_apposition(vstart, j, val)
        ):
            value_type, unit = "age", "year"
        # time of day: an hour ("7 a.m.") or hour.minutes ("2.30pm"), not "2.123 pm"
        if (
            not unit_type
            and self.low(j) in self.time_words
            and not currency
            and self._clock_like(self.toks[vstart].text)
        ):
            return self.emit(vstart if not qualifier else i, j + 1, "time", None, None, qualifier)
        # ratio "one in five", "3 out of 4"
        if high_val is None and not unit_type and self.low(j) in ("in", "out"):
            r = self._ratio(val, j)
            if r is not None:
                pct, j = r
                low, high, lc, hc = _interval(qualifier or "", pct)
                q = qualifier if qualifier not in ("",) else ""
                return self.emit(
                    i,
                    j,
                    "percent",
                    low,
                    high,
                    q if q != "vague" else "",
                    "percent",
                    lc,
                    hc,
                    value=pct,
                )
        # digits with letters glued after them that are no unit: "3D", "5G", "4x4"
        nt = self.tok(val.j)
        if (
            not unit_type
            and not currency
            and high_val is None
            and t0.kind == "num"
            and nt is not None
            and nt.glued
            and nt.kind == "word"
            and nt.low not in ("s", "st", "nd", "rd", "th")
        ):
            if self._glued_symbol(t0, nt):
                low, high, lc, hc = _interval(qualifier, val.value)
                return self.emit(
                    i, val.j + 1, "measure", low, high, qualifier, nt.text, lc, hc, value=val.value
                )
            return self.emit(vstart, val.j + 1, "name", val.value, val.value)
        # a share: "two-thirds of voters", "a quarter of the budget" -> percent
        if (
            high_val is None
            and not unit_type
            and not currency
            and (
                self.low(j) == "of"
                or (self.low(vstart) == "half" and self.low(j) in _words("half_determiners"))
            )
            and 0 < val.value < 1
            and any(
                self.low(x) in self.fractions
                or self.low(x) == "/"
                or self.toks[x].text in self.vulgar
                for x in range(vstart, val.j)
            )
        ):
            pct = round(val.value * 100, 4)
            low, high, lc, hc = _interval(qualifier, pct)
            return self.emit(
                i, val.j, "percent", low, high, qualifier, "percent", lc, hc, value=pct
            )
        # names and years
        if (
            not qualifier
            and not currency
            and not unit_type
            and high_val is None
            and t0.kind == "num"
            and val.j == vstart + 1
            and not (self.year_like(val, vstart, j) and not self._name_head(vstart - 1))
            and self.name_before(vstart)
        ):
            return self.emit(self._name_start(vstart), val.j, "name", val.value, val.value)
        if (
            not qualifier
            and not currency
            and not unit_type
            and high_val is None
            and self.year_like(val, vstart, j)
        ):
            if self.low(j) == "s" and self.toks[j].glued:
                j += 1
            return self.emit(vstart, j, "year", val.value, val.value)
        if unit_type == "" and self.low(j) == "s" and self.tok(j) and self.toks[j].glued:
            return self.emit(vstart, j + 1, "year", val.value, val.value)  # the 1990s
        # "2003 to 2008", "1997 or 2001": years, not a range of counts
        if (
            high_val is not None
            and not unit_type
            and not currency
            and self.year_like(val, vstart, val.j)
            and self.year_like(high_val, high_val.i, high_val.j)
        ):
            return self.emit(i, j, "year", val.value, high_val.value)
        # intervals
        if high_val is not None:
            low, high = sorted((val.value, high_val.value))
            q = "range"
            lc = hc = True
        elif unc is not None and qualifier in ("", "approximate"):
            # the uncertainty states both ends
            low, high = val.value - unc.value, val.value + unc.value
            q = "range"
            lc = hc = True
        elif val.vague:
            q = "vague"
            low, high, lc, hc = val.value, None, True, False
        else:
            q = qualifier
            if suffix:
                if (
                    q in ("", "exactly", "approximate")
                    or (q in _LOWER and suffix in ("at_least",))
                    or (q in _UPPER and suffix in ("at_most",))
                ):
                    q = suffix
                j = js
            elif inclusive:
                q = "at_least" if q == "more_than" else "at_most"
                j = js
            low, high, lc, hc = _interval(q, val.value)
        start_tok = i
        if percent_prefix:
            value_type, unit = "percent", "percent"
            j = max(j, val.j)
        # the surface runs from the first cue to the last unit or suffix token
        j = max(j, val.j)
        number = self.emit(start_tok, j, value_type, low, high, q, unit, lc, hc, value=val.value)
        return replace(number, joined=True) if high_val is not None else number

    @staticmethod
    def _clock_like(text: str) -> bool:
        hour, _, minutes = text.partition(".")
        if not hour.isdigit():
            return True  # a number word: "seven pm"
        if len(hour) == 4 and not minutes:
            hour, minutes = hour[:2], hour[2:]  # "1830 GMT"
        return int(hour) <= 24 and (not minutes or (len(minutes) == 2 and int(minutes) < 60))

    def _dimension_after(self, jj: int, val: _Val) -> bool:
        """A dimension word at token jj that ends its phrase ("6 in long.", "2 in thick and")."""
        t, nt = self.tok(jj), self.tok(jj + 1)
        return (
            t is not None
            and not val.vague
            and t.low in _words("dimension_words")
            and (nt is None or nt.kind != "word" or nt.low in ("and", "by", "x", "or"))
        )

    def _glued_to_word(self, k: int) -> bool:
        """Digits glued to the word before them ("I7", "δ13", "MH17")."""
        p = self.tok(k - 1)
        return self.toks[k].glued and p is not None and p.kind == "word"

    def _named(self, k: int) -> bool:
        """Is the number at token k a label: glued to a word, or after a name head ("Fig. 3")?"""
        if self._glued_to_word(k):
            return True
        p = self.tok(k - 1)
        if p is not None and p.text == ".":
            p = self.tok(k - 2)
        if p is None or p.kind != "word" or p.low.rstrip(".") not in self.name_heads:
            return False
        return not (p.low in ("no", "number") and not p.text[0].isupper())  # "number 100m"

    def _glued_symbol(self, t0: Tok, nt: Tok) -> bool:
        """Is a letter symbol glued to digits a unit the codebook lacks ("1.4Rp", "0.9mH",
        "88kR"), rather than a name ("3D", "5G", "4x4")? Mixed-case symbols of two or more
        letters after a decimal (and, in a text that writes one so, after whole numbers too:
        "5Rp" where "1.4Rp" appears), or a prefix letter before a capital ("kR", "mA")."""
        letters = nt.text
        if len(letters) < 2 or letters.isupper() or letters.islower() or not letters.isalpha():
            return False
        if "." in t0.text or letters in self.doc_symbols:
            return True
        return letters[0] in codebook()["unit_prefix_letters"] and letters[1].isupper()

    def _spaced_dash(self, jn: int) -> bool:
        # "1000 - 5000" with spaces on both sides is a range too
        return self.toks[jn].text in ("-", "–", "—")

    def _or_range(self, a: _Val, b: _Val) -> bool:
        # "two or three days", "10 or 12": small consecutive-ish alternatives
        return b.value > a.value and b.value <= max(2 * a.value, a.value + 10) and not b.vague

    def _ratio(self, val: _Val, j: int) -> tuple[float, int] | None:
        k = j + 1
        if self.low(j) == "out":
            if self.low(k) != "of":
                return None
            k += 1
            if self.low(k) == "every":
                k += 1
        den = self.value_at(k)
        if den is None or den.value <= val.value or den.value == 0:
            return None
        nt = self.tok(den.j)
        in_words = val.words and den.words  # "one in three" is a ratio wherever it stands
        if (
            self.low(j) == "in"
            and not in_words
            and not (
                nt is not None
                and nt.kind == "word"
                and (_plural(nt.low) or nt.low == "of" or nt.text[:1].isupper())
            )
        ):
            return None
        return val.value / den.value * 100, den.j

    def _shared_scale(self, val: _Val, high: _Val) -> _Val:
        """The low end of a range with the high end's scale when only the high end states
        one: "between 2 and 3 million", "$10-25m" run from 2 and 10 million, not from 2 and
        10. Not when the low end has its own scale ("$779m-798m") or would exceed the high
        end bare ("between 500 and 3 million" starts at 500)."""
        last, own = self.low(high.j - 1), self.low(val.j - 1)
        factor = self.scales.get(last) or self.abbrev.get(last)
        if (
            not factor
            or high.vague
            or val.vague
            or own in self.scales
            or own in self.abbrev
            or val.value <= 0
            or self.toks[high.j - 1].kind != "word"
        ):
            return val
        bare = high.value / factor
        if not val.value < bare:
            return val
        return replace(val, value=val.value * factor)

    def compound_ordinal(self, k: int) -> Number | None:
        """A tens word and a unit ordinal: "twenty-first century", "the forty-fifth president",
        "his twenty first birthday" are ordinals (21, 45), not twenty and a fraction. A
        singular ordinal only: "thirty fifths" is a fraction. "second" needs the hyphen and no
        article before ("a thirty-second advert" is a duration)."""
        j = k + 1
        hyphen = self.low(j) in ("-", "–") and self.toks[j].glued
        if hyphen:
            if not (self.tok(j + 1) and self.toks[j + 1].glued):
                return None
            j += 1
        w = self.low(j)
        unit = self.ordinals.get(w)
        if unit is None or not 1 <= float(unit) <= 9:
            return None
        if w == "second" and (not hyphen or self.low(k - 1) in ("a", "an", "per", "each")):
            return None
        nt = self.tok(j + 1)
        if nt is not None and nt.glued and nt.text in ("-", "–") and not hyphen:
            return None  # "twenty first-time buyers": twenty of them
        v = float(self.tens[self.toks[k].low]) + float(unit)
        return self.emit(k, j + 1, "ordinal", v, v)

    def ordinal_word(self, k: int) -> Number | None:
        t = self.toks[k]
        if t.low not in self.ordinals:
            return None
        p = self.tok(k - 1)
        if (
            t.low == "second"
            and p is not None
            and (
                p.kind == "num"
                or p.low in ("a", "per", "one", "split", "every", "each")
                or self.is_num_word(p.low)
            )
        ):
            return None
        # "a fifth of", "one third" are fractions (read by word_value)
        if (
            p is not None
            and (p.low in ("a", "one") or self.is_num_word(p.low))
            and (t.low in self.fractions)
            and self.low(k + 1) in ("of", "", ".", ",")
        ):
            return None
        v = float(self.ordinals[t.low])
        return self.emit(k, k + 1, "ordinal", v, v)

    def _unit_exponent(self, k: int) -> bool:
        """Is the number at token k the power of a unit symbol ("fb−1", "ha−1", "s-1"), not a
        number? A minus sign (U+2212) glued between letters and a digit is one; a hyphen only
        after a known unit symbol ("F-16", "Covid-19" are names)."""
        t, p, w = self.toks[k], self.tok(k - 1), self.tok(k - 2)
        if (
            p is None
            or w is None
            or not t.glued
            or not p.glued
            or w.kind != "word"
            or p.text not in ("−", "-")
            or t.text not in ("1", "2", "3", "4")
        ):
            return False
        nt = self.tok(k + 1)
        if nt is not None and nt.glued and nt.kind != "sym":
            return False
        if p.text == "−":
            return True
        return (
            w.text.islower()
            and len(w.text) <= 3
            and (w.low in _words("measure_units") or w.low in _words("per_only_units"))
        )

    def _money_in_sentence(self, skip: int) -> bool:
        """Does the text read states money anywhere but at token ``skip``?"""
        symbols = codebook()["currency_prefixes"]
        words = _words("currency_words")
        return any(
            x != skip and (t.text in symbols or (t.kind == "word" and t.low in words))
            for x, t in enumerate(self.toks)
        )

    def article_unit(self, k: int, out: list[Number]) -> Number | None:
        """ "a gallon of beer", "an acre", "a penny": one unit (see ``article_units``)."""
        nt = self.tok(k + 1)
        if nt is None or nt.kind != "word" or nt.low not in _words("article_units"):
            return None
        if _title(nt) and not self.titlecase and not self.sentence_initial(k + 1):
            return None  # "a Penny Lane", "an Acre Lane": a name
        unit_type, unit, j = "measure", "", k + 1
        mu, jj = self.match(k + 1, "measure_units")
        if mu:
            unit, j = mu, jj
        else:
            cw, jj = self.match(k + 1, "currency_words")
            if not cw:
                return None
            unit_type, unit, j = "money", cw, jj
        if not _words("article_units").get(" ".join(t.low for t in self.toks[k + 1 : j])):
            return None
        after = self.tok(j)
        if after is not None and after.kind == "word":
            if after.low != "of" and after.low not in _words("np_stopwords"):
                return None  # "a barrel bomb", "a penny stock": a modifier
        elif after is not None and (
            after.kind == "num" or (after.text in ("-", "–") and after.glued)
        ):
            return None  # "a euro-enthusiast", "a mile-long queue": part of a compound
        p = self.tok(k - 1)
        if p is not None and (
            p.kind == "num"
            or p.low in _words("article_rate_words")
            or (out and out[-1].end >= p.end)
            or p.text in ("%", "/")
        ):
            return None  # "$50 a barrel", "60 miles an hour", "twice a day": a rate
        if self._money_in_sentence(k + 1):
            return None  # "A barrel of oil closed at $48": the unit of a price
        return self.emit(k, j, unit_type, 1.0, 1.0, "", unit, value=1.0)

    def read(self) -> list[Number]:
        out: list[Number] = []
        k = 0
        while k < self.n:
            t = self.toks[k]
            if t.kind == "url":
                k += 1
                continue
            if t.kind == "num" and self._unit_exponent(k):
                k += 1
                continue
            found = None
            # a word that can start no figure (most words) is only tried as an ordinal
            # (a symbol: only those that start a cue, a sign or a fraction, see _sym_starters)
            starter = (
                t.low in _starters() if t.kind == "word" else t.kind != "sym" or _sym_starter(t)
            )
            if (t.kind == "num" or t.text == "+") or (t.kind == "word" and t.low in self.months):
                found = self.date_at(k) or (
                    self.chain_at(k) if t.kind == "num" or t.text == "+" else None
                )
            if found is None and t.kind == "word" and t.low in self.tens:
                found = self.compound_ordinal(k)
            if found is None and starter:
                found = self.figure_at(k)
                # a name may start before the number ("Arrow 3"), never inside the last one
                if found is not None and (
                    found.start > t.start
                    or (out and found.start < out[-1].end)
                    or (found.start < t.start and found.value_type != "name")
                ):
                    found = None
            # (ordinal_word reads only ordinals: test that here, without a call per word)
            if found is None and t.kind == "word" and t.low in self.ordinals:
                found = self.ordinal_word(k)
            if found is None and t.low in ("a", "an"):
                found = self.article_unit(k, out)
            if (
                found is not None
                and out
                and out[-1].value_type == "name"
                and self.text[out[-1].end : found.start] == "+"
                and found.surface[:1].isdigit()
            ):
                # "MACS J1149.5+6663": digits joined to a name by "+" are more of the name
                name = out.pop()
                found = replace(name, end=found.end, surface=self.text[name.start : found.end])
            if found is not None:
                out.append(found)
                # continue after the figure
                while k < self.n and self.toks[k].start < found.end:
                    k += 1
                continue
            k += 1
        return _merge_bounds(self.text, _share_units(self.text, out))


_DECIMAL_SYMBOL_RE = re.compile(r"\d\.\d+([^\W\d_]{2,4})\b")


@lru_cache(maxsize=4)
def _decimal_symbols(text: str) -> frozenset[str]:
    """Letter symbols a text glues to decimals ("1.4Rp"): units there, after whole numbers too.
    Cached per text, since an article is parsed one sentence at a time."""
    return frozenset(m.group(1) for m in _DECIMAL_SYMBOL_RE.finditer(text))


@cache
def _exact_case_units() -> frozenset[str]:
    """Lower-cased symbols of ``exact_case_units``: read only as written there."""
    return frozenset(str(k).lower() for k in codebook()["exact_case_units"])


@cache
def _starters() -> frozenset[str]:
    """Words a figure can start with: number words, vague quantities, the first words of
    qualifier, percent and currency cues, range openers and signs. :meth:`_Reader.read`
    tries no other word (a date starts with a month name or digits)."""
    words = {"a", "an", "half", "quarter", "hundred", "hundreds", "minus", "negative", "several"}
    words.add("few")
    words |= {"many", "couple", *codebook()["range_openers"]}
    for section in ("units", "teens", "tens", "scales", "vague_bases"):
        words |= set(_words(section))
    for section in ("prefix_qualifiers", "percent_words", "currency_prefixes"):
        words |= {key for key in _cue_index(section) if key}
    words |= {str(k).lower() for k in codebook()["vulgar_fractions"]}
    return frozenset(words)


@cache
def _sym_starters() -> frozenset[str] | None:
    """Symbols at which :meth:`_Reader.figure_at` can find a figure (None: any symbol).

    At a symbol, ``figure_at`` moves on only past a cue that starts with it (symbol
    qualifiers; prefix qualifiers, percent words and currency prefixes, matched by the same
    index) and otherwise reads a value there, which from a symbol is only a sign or a vulgar
    fraction (``value_at``); every other path returns None. The set also holds the word
    lists ``value_at`` consults, so it is a superset of what can start a figure."""
    words = {"-", "−", "+", "minus", "negative", "a", "an", "half", "hundred"}
    words |= {"several", "few", "many", "couple"}
    for section in ("units", "teens", "tens", "vague_bases"):
        words |= set(_words(section))
    words |= {str(k) for k in codebook()["vulgar_fractions"]}
    for section in ("symbol_qualifiers", "prefix_qualifiers", "percent_words", "currency_prefixes"):
        index = _cue_index(section)
        if index[""]:
            return None  # an empty cue matches at any token
        words |= set(index)
    return frozenset(words)


def _sym_starter(t: Tok) -> bool:
    """Can a figure start at the symbol token ``t``? (see :func:`_sym_starters`)"""
    starters = _sym_starters()
    return starters is None or t.low in starters or t.text in starters


def _plural(w: str) -> bool:
    """Does a lower-cased word look like a plural noun (for the count heuristics)?"""
    irregular = _words("irregular_plurals")
    if w in irregular:
        return True
    if w in _words("singular_s"):
        return False
    return len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s"))


_AND_RE = re.compile(r"\s*,?\s*and\s*$")
#: between the members of a list of numbers: "1000 and 2000 ppm", "4.5, 6 and 13 kg"
_LIST_RE = re.compile(r"\s*(,|\s(and|or)|,\s*(and|or))\s*$")


def _share_units(text: str, nums: list[Number]) -> list[Number]:
    """Give the bare numbers of a list the measure unit written once after its last member:
    "1000 and 2000 ppm", "4.5, 6 and 13 kg". A comma alone joins only within a list that ends
    in "and"/"or" ("Arsenal scored 2, 40 km away" is no list). Percent is left alone: a share
    written without "%" is a fraction or ratio ("one in five"), which "10 and 20%" is not."""
    out = list(nums)
    x = len(out) - 1
    while x > 0:
        last = out[x]
        if last.value_type != "measure" or not last.unit or not last.surface[:1].isalnum():
            x -= 1
            continue
        members = [x]
        y = x - 1
        closed = False  # seen the "and"/"or" before the last member
        while y >= 0:
            a, gap = out[y], text[out[y].end : out[members[-1]].start]
            m = _LIST_RE.fullmatch(gap)
            if (
                m is None
                or a.value_type != "count"
                or a.unit
                or a.qualifier not in ("", "approximate")
                or not (closed or m.group(2) or m.group(3))
            ):
                break
            closed = True
            members.append(y)
            y -= 1
        for z in members[1:]:
            out[z] = replace(out[z], value_type=last.value_type, unit=last.unit)
        x = y if len(members) > 1 else x - 1
    return out


def _merge_bounds(text: str, nums: list[Number]) -> list[Number]:
    """Join "more than 10 and less than 40" (and "at most 100 and at least 20") into one range."""
    out: list[Number] = []
    for n in nums:
        if out:
            a = out[-1]
            between = text[a.end : n.start]
            if _AND_RE.fullmatch(between) and a.qualifier != "range" and a.unit == n.unit:
                lo, hi = (a, n) if a.qualifier in _LOWER else (n, a)
                if (
                    lo.qualifier in _LOWER
                    and hi.qualifier in _UPPER
                    and lo.low is not None
                    and hi.high is not None
                    and lo.low < hi.high
                ):
                    out[-1] = Number(
                        a.start,
                        n.end,
                        text[a.start : n.end],
                        a.value_type,
                        lo.low,
                        hi.high,
                        lo.qualifier == "at_least",
                        hi.qualifier == "at_most",
                        "range",
                        a.unit,
                        a.value,
                    )
                    continue
        out.append(n)
    return out


def parse_numbers(
    text: str, start: int = 0, end: int | None = None, *, titlecase: bool | None = None
) -> list[Number]:
    """Every number expression in ``text[start:end]``, spans as offsets into ``text``.

    ``titlecase`` says whether the text is a title-case headline (capitalised words before a
    number are then not read as names); by default it is guessed from the words.

    >>> for n in parse_numbers("It cost $1.5bn, up to 30 km and between 10 and 20 percent."):
    ...     print(n.surface, n.interval, n.qualifier, n.unit, sep=" | ")
    $1.5bn | [1500000000, 1500000000] |  | USD
    up to 30 km | (-inf, 30] | at_most | kilometre
    between 10 and 20 percent | [10, 20] | range | percent
    """
    end = len(text) if end is None else end
    return _Reader(text, start, end, titlecase).read()


def with_span(number: Number, start: int, end: int, text: str) -> Number:
    """A copy of ``number`` with another span into ``text``."""
    return replace(number, start=start, end=end, surface=text[start:end])
