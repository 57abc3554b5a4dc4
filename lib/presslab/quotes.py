"""Quotes: who is quoted, saying what, attributed by which words.

One row per attributed statement (table ``quotes``, see :data:`presslab.schemas.SCHEMAS`):

- ``direct``: words inside quotation marks, straight or curly, double or single; a quote split
  around its attribution gives one row per part, sharing speaker and cue; a quote running over
  several paragraphs (no closing mark, next paragraph opens with one) is one row.
- ``partial``: a quoted phrase inside reported speech ('noted that it brought about “complete
  containment”'): the row covers the quoted words, and ``clause_start``/``clause_end`` the
  reported clause they are part of ("it brought about “complete containment”"; for other rows
  the row's own span).
- ``indirect``: the reported clause after (or before) a cue from ``codebook/cues.yaml``;
  for a speech act with a plain object (``speech_act`` cues: "endorsed Cruz", "criticized the
  budget", "declined to comment") the object, without a trailing time or place phrase; for a
  headline "Rubio: Trump can't be trusted" the words after the colon; for a finding "in a new
  CNN poll" the clause around it (the poll is the source); for a nominal cue ("her criticism
  of", "voiced support for") its object; for a hedge ("seemed to", "is expected to") the
  subject and predicate, with no speaker unless a named subject "seemed to" say it ("Rubio
  seemed to urge …"); for an opening "Asked (by X) about Y," the question; for a
  noun or adjective of stance with its that-clause ("his argument that …", "are confident
  that …") the clause; for a passive ("the plan was criticized by farm groups") its subject,
  held by the agent after "by"; for a cue whose object is a relative pronoun ("a charge that
  she denied", "which Sanders supports") the pronoun; for an aside ("…, as she noted,") the
  clause before it. A plain "say" inside another reported clause reports its own clause too
  ("officials said the governor had said …").

The speaker is found from the text next to the cue (the noun phrase before or after it, a
pronoun, a relative "who", a title like "the defense minister", "it" or "the company" (the
organisation named last), an anonymous "officials"; for a
nominal cue the possessor or the subject of the verb that governs it, "X made the argument
that"; for "led some allies to worry" the object of the verb of causing; for a participle or an
-ing form the subject of its clause), then named through the actor mentions that overlap it
when there are any. ``speaker_start/end`` is
the span in the text that names or points to the speaker; ``speaker`` the actor's name;
``speaker_actor_id`` the actor's slug, ``"anonymous"`` for unnamed sources.

Everything is rules over tokens, without a parser (the project's part-of-speech tagger,
:mod:`presslab.tagger`, is asked about a few words only: which word before a nominal cue is its
verb, where a subject ends), in three passes: (1) a closed quotation
followed by its attribution ("“…,” said Gallant", "“…,” the defense minister said"); (2) every
other cue with its reported clause, after it ("said (that) …", "vowed to …", "according to X,
…") or before it ("…, officials said"), where a clause made of one quotation is direct and
quotations inside a clause are partial; (2b) headline "Source: claim" and (2c) "in a poll"
attributions; (3) the quotations left: after a colon, the next part of a split quote, a
paragraph continuing the speaker before, a quotation followed by its subject and any past tense
('“…,” the senator fumed'), or unattributed. The words are in
``codebook/cues.yaml``; how well it does is measured on PolNeAR by
:mod:`presslab.evaluation.quotes` (``make eval``).

``extract_quotes(..., learned=True)`` lets a learned tagger (:mod:`presslab.attribution`)
decide what is attributed and how far each content runs; the rules' rows it confirms give the
speaker, the rows it does not confirm are dropped, and each content is split into direct,
partial and indirect rows as the rules split theirs. It scores higher on PolNeAR and is not yet
the default (see DESIGN.md).

>>> from presslab.corpus import article_from_text
>>> from presslab.text import segment
>>> art = article_from_text("Talks\\n\\n“We stay,” said Gallant. Officials said talks failed.")
>>> df = extract_quotes(art, segment(art))
>>> for row in df[["text", "kind", "speaker", "speaker_actor_id", "cue"]].values.tolist():
...     print(row)
['We stay', 'direct', 'Gallant', 'gallant', 'said']
['talks failed', 'indirect', 'officials', 'anonymous', 'said']
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from presslab.actors import HONORIFICS, PERSON_HONORIFICS
from presslab.attribution import Attribution, Tokens, bio_labels, load_model
from presslab.corpus import Article
from presslab.gender import PRONOUN_GENDER, compatible, evidence_words, person_gender
from presslab.schemas import SCHEMAS, column_index
from presslab.text import Doc
from presslab.yamldata import parse_yaml

#: layout parts whose sentences are searched for quotes (credits, bylines, datelines and
#: boilerplate never carry a statement)
QUOTE_PARTS = frozenset({"headline", "dek", "caption", "body"})

_DOUBLE_OPEN = {"“", "``", "„"}
_DOUBLE_CLOSE = {"”"}
_DOUBLE_AMBIG = {'"', "''"}
#: (three apostrophes close a single quote inside a double one: ''…'Hey,''')
_MARK_RE = re.compile(r"``|'(?='')|''|[“”„\"‘’']")
_WORD_RE = re.compile(r"[^\W_]", re.UNICODE)
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "his",
        "her",
        "its",
        "their",
        "our",
        "my",
        "your",
        "this",
        "these",
        "those",
        "that",
        "some",
        "any",
        "no",
        "every",
        "each",
        "another",
        "other",
        "both",
        "several",
        "many",
        "few",
    ]
)
_NOUN_BLOCKERS = _DETERMINERS | {"new", "such", "whose", "’s", "'s", "of"}
_PASSIVE_AUX = frozenset(
    ["was", "were", "been", "be", "being", "is", "are", "get", "gets", "got", "am"]
)
_BASE_OK = frozenset(
    [
        "they",
        "we",
        "i",
        "you",
        "who",
        "will",
        "would",
        "could",
        "should",
        "might",
        "may",
        "must",
        "can",
        "did",
        "do",
        "does",
        "not",
        "n't",
        "to",
        "never",
        "also",
        "often",
    ]
)
#: after a comma, words that end a reported clause (a relative or adverbial clause follows)
_CLAUSE_BREAK = frozenset(
    [
        "which",
        "who",
        "whom",
        "whose",
        "while",
        "although",
        "though",
        "despite",
        "but",
        "as",
        "after",
        "before",
        "when",
        "because",
        "since",
        "whereas",
        "even",
        "unlike",
    ]
)
#: words that cannot open a reported clause (a passive agent, a time or place phrase)
_NOT_A_CLAUSE = frozenset(
    [
        "by",
        "for",
        "after",
        "before",
        "on",
        "in",
        "at",
        "with",
        "up",
        "over",
        "during",
        "since",
        "until",
        "from",
        "into",
        "through",
        "around",
        "as",
    ]
)
#: cue forms that are mostly nouns: cues only before "that", a colon or a quotation
_CUES_NOUNS = frozenset(
    [
        "states",
        "notes",
        "comments",
        "posts",
        "answers",
        "charges",
        "attacks",
        "questions",
        "remarks",
        "challenges",
        "reports",
        "thanks",
        "supports",
        "requests",
        "labels",
        "favors",
        "plans",
        "views",
    ]
)
_SUBORDINATORS = frozenset(
    [
        "while",
        "although",
        "though",
        "as",
        "when",
        "if",
        "after",
        "before",
        "because",
        "since",
        "whereas",
    ]
)
_TERMINAL = frozenset({".", "!", "?"})
_DASHES = frozenset({"—", "―", "–", "--"})
#: cue classes that make no attribution without a speaker (a plain "said …" may: its clause
#: is still reported speech when the rules cannot name who spoke)
_NEED_AGENT = frozenset(["cognition", "evidence", "quote_only", "speech_act"])
_PRONOUN_SUBJECTS = frozenset(["he", "she", "it", "who", "that"])
#: cue lemmas whose base form is a verb after any subject (never or hardly ever a noun)
_VERB_ONLY_BASE = frozenset(["say", "argue", "insist", "contend", "believe", "think", "agree"])
#: subjects of a poll finding before a base-form cue ("19 percent support", "4 in 10 want",
#: "most in Miami want", "Both want")
_QUANTITY_SUBJECTS = frozenset(
    [
        "percent",
        "%",
        "both",
        "most",
        "many",
        "some",
        "few",
        "all",
        "others",
        "people",
        "polled",
        "surveyed",
        "majority",
        "minority",
        "half",
        "third",
        "plurality",
        "fewer",
        "more",
    ]
)
#: verbs whose first object is the person addressed, not what was said ("told reporters that")
_OBJECT_VERBS = frozenset(
    [
        "tell",
        "assure",
        "reassure",
        "inform",
        "remind",
        "warn",
        "ask",
        "urge",
        "advise",
        "promise",
        "caution",
    ]
)


# ---------------------------------------------------------------------------------------------
# Cue data


@dataclass(frozen=True)
class Cues:
    """The cue lexicon, compiled from ``codebook/cues.yaml``."""

    #: first token -> [(token tuple, class, lemma)], longest first
    index: dict[str, list[tuple[tuple[str, ...], str, str]]]
    between: frozenset[str]
    days: frozenset[str]
    openers: frozenset[str]
    inside_np: frozenset[str]
    pronouns: dict[str, str]
    anon_heads: frozenset[str]
    anon_qualifiers: tuple[tuple[str, ...], ...]
    titles: frozenset[str]
    org_heads: frozenset[str]
    forms: frozenset[str] = field(default_factory=frozenset)
    headline_labels: frozenset[str] = field(default_factory=frozenset)
    poll_heads: frozenset[str] = field(default_factory=frozenset)
    object_control: frozenset[str] = field(default_factory=frozenset)
    org_descriptions: frozenset[str] = field(default_factory=frozenset)
    nested_cues: frozenset[str] = field(default_factory=frozenset)
    physical_acts: frozenset[str] = field(default_factory=frozenset)
    armed_forces: frozenset[str] = field(default_factory=frozenset)
    places: frozenset[str] = field(default_factory=frozenset)
    statement_nouns: frozenset[str] = field(default_factory=frozenset)


def _inflect(lemma: str) -> list[str]:
    """Regular -s, -ed, -ing forms of an English verb ("note" -> notes, noted, noting)."""
    if lemma.endswith("e"):
        return [lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return [lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        return [lemma + "es", lemma + "ed", lemma + "ing"]
    return [lemma + "s", lemma + "ed", lemma + "ing"]


def _words(s: str) -> tuple[str, ...]:
    return tuple(s.lower().split())


@cache
def load_cues(path: str | None = None) -> Cues:
    """Read and compile the cue lexicon (``codebook/cues.yaml`` unless ``path`` is given)."""
    if path is None:
        raw = resources.files("presslab").joinpath("codebook/cues.yaml").read_text("utf-8")
    else:
        raw = Path(path).read_text(encoding="utf-8")
    data = parse_yaml(raw)
    entries: dict[tuple[str, ...], tuple[str, str]] = {}
    irregular = {k: [str(f) for f in v] for k, v in (data.get("forms") or {}).items()}
    # Later classes do not override earlier ones: speech wins over quote_only for "write".
    for cls, lemmas in data["verbs"].items():
        for lemma in lemmas:
            lemma = str(lemma)
            forms = [lemma, *(irregular.get(lemma) or _inflect(lemma))]
            for form in forms:
                entries.setdefault(_words(form), (cls, lemma))
    for cls, phrases in (data.get("phrases") or {}).items():
        for phrase in phrases:
            entries.setdefault(_words(phrase), (cls, str(phrase)))
    for form in data.get("not_cues") or []:
        entries.pop(_words(str(form)), None)
    index: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for words, (cls, lemma) in entries.items():
        index.setdefault(words[0], []).append((words, cls, lemma))
    for options in index.values():
        options.sort(key=lambda o: -len(o[0]))
    pronouns = {}
    for kind, words in data["pronouns"].items():
        for w in words:
            pronouns[str(w).lower()] = kind
    anon = data["anonymous"]
    return Cues(
        index=index,
        between=frozenset(str(w).lower() for w in data["between_subject_and_cue"]),
        days=frozenset(str(w).lower() for w in data["days"]),
        openers=frozenset(str(w).lower() for w in data["clause_openers"]),
        inside_np=frozenset(str(w).lower() for w in data["inside_noun_phrase"]),
        pronouns=pronouns,
        anon_heads=frozenset(str(w).lower() for w in anon["heads"]),
        anon_qualifiers=tuple(_words(q) for q in anon["qualifiers"]),
        titles=frozenset(str(w).lower() for w in data["titles"]),
        org_heads=frozenset(str(w).lower() for w in data["organisation_heads"]),
        forms=frozenset(words[0] for words in entries if len(words) == 1),
        poll_heads=frozenset(str(w).lower() for w in data.get("poll_heads") or []),
        object_control=frozenset(str(w).lower() for w in data.get("object_control") or []),
        org_descriptions=frozenset(
            str(w).lower() for w in data.get("organisation_descriptions") or []
        ),
        nested_cues=frozenset(" ".join(_words(str(w))) for w in data.get("nested_cues") or []),
        headline_labels=frozenset(
            " ".join(_words(str(w))) for w in data.get("headline_labels") or []
        ),
        physical_acts=frozenset(str(w).lower() for w in data.get("physical_acts") or []),
        armed_forces=frozenset(str(w).lower() for w in data.get("armed_forces") or []),
        places=frozenset(str(w).lower() for w in data.get("places") or []),
        statement_nouns=frozenset(str(w).lower() for w in data.get("statement_nouns") or []),
    )


# ---------------------------------------------------------------------------------------------
# Quotation marks


@dataclass(frozen=True)
class QuoteSpan:
    """A quoted stretch: ``start:end`` are the quoted words (inside the marks).

    ``open`` is the offset of the opening mark; ``close`` the end of the closing mark, or
    ``None`` when the quote was never closed (it then ends at the end of its paragraph).
    """

    start: int
    end: int
    open: int
    close: int | None
    single: bool = False


def _is_word_char(ch: str) -> bool:
    # Asked for the first character of most tokens: remember the answer per character.
    known = _WORD_CHAR.get(ch)
    if known is None:
        known = bool(ch) and bool(_WORD_RE.match(ch))
        if len(_WORD_CHAR) < 100_000:
            _WORD_CHAR[ch] = known
    return known


#: character -> whether it is a letter or digit (see _is_word_char)
_WORD_CHAR: dict[str, bool] = {}


def _classify_mark(text: str, s: int, e: int) -> str:
    """'open', 'close', 'ambig', 'sopen', 'sclose' or 'apos' for the mark at text[s:e]."""
    mark = text[s:e]
    before = text[s - 1] if s > 0 else " "
    after = text[e] if e < len(text) else " "
    if mark == "“" and not before.isspace() and (after.isspace() or e == len(text)):
        return "ambig"  # a typo for ”: '“Apparently not,“ he said' (closes an open quote)
    if mark in _DOUBLE_OPEN:
        return "open"
    if mark in _DOUBLE_CLOSE:
        return "close"
    if mark in _DOUBLE_AMBIG:
        if before.isspace() or before in "([{—–-/" or s == 0:
            return "open" if not after.isspace() else "ambig"
        if after.isspace() or after in ".,;:!?)]}—–-" or e == len(text):
            return "close"
        return "ambig"
    # single marks: apostrophes first ("Saturday’s", "don't", "’90s", "rock ’n’ roll")
    if _is_word_char(before) and _is_word_char(after):
        return "apos"
    if after.isdigit():
        return "apos"
    if mark == "‘":
        return "sopen"
    if mark == "’" and (before.isspace() or s == 0):
        return "apos"  # elision: ’n’, ’em (a curly right mark never opens a quote)
    if before.isspace() or before in "([{—–-" or s == 0:
        return "sopen" if _is_word_char(after) else "apos"
    return "sclose"


def find_quote_spans(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[QuoteSpan]:
    """Quoted stretches of ``text``, paired paragraph by paragraph.

    Handles curly and straight marks, single quotes (not apostrophes), quotes that run over
    several paragraphs, and odd numbers of marks (an unclosed quote ends with its paragraph).

    >>> t = "He said “we won,” and ‘Saturday’s vote’ was “fair"
    >>> [t[q.start:q.end] for q in find_quote_spans(t)]
    ['we won,', 'Saturday’s vote', 'fair']
    """
    if paragraphs is None:
        from presslab.text import paragraph_spans

        paragraphs = paragraph_spans(text)
    spans: list[QuoteSpan] = []
    # The opening mark (start, end) of a quote continuing from the previous paragraph.
    carry: tuple[int, int] | None = None
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        marks = [
            (m.start(), m.end(), _classify_mark(text, m.start(), m.end()))
            for m in _MARK_RE.finditer(text, p_start, p_end)
        ]
        marks = [m for m in marks if m[2] != "apos"]
        d_open: int | None = None
        d_open_end = 0
        s_open: int | None = None
        s_open_end = 0
        if carry is not None:
            if marks and marks[0][0] == p_start and marks[0][2] in ("open", "ambig"):
                # The continuation mark of a multi-paragraph quote opens nothing new.
                d_open, d_open_end = carry
                marks = marks[1:]
            else:
                prev_end = paragraphs[p_index - 1][1]
                spans.append(_make(text, carry[0], carry[1], prev_end, None))
            carry = None
        for s, e, kind in marks:
            if kind == "ambig":
                kind = "close" if d_open is not None else "open"
            if kind == "open":
                if d_open is not None:
                    # Two openings in a row: the first was never closed; end it here.
                    spans.append(_make(text, d_open, d_open_end, s, None))
                d_open, d_open_end = s, e
                s_open = None
            elif kind == "close":
                if d_open is not None:
                    spans.append(_make(text, d_open, d_open_end, s, e))
                    d_open = None
                # A stray closing mark is ignored.
            elif d_open is None:
                if kind == "sopen" and s_open is None:
                    s_open, s_open_end = s, e
                elif kind == "sclose" and s_open is not None:
                    spans.append(_make(text, s_open, s_open_end, s, e, single=True))
                    s_open = None
        if d_open is not None:
            nxt = paragraphs[p_index + 1][0] if p_index + 1 < len(paragraphs) else None
            first = text[d_open_end : d_open_end + 1]
            # News style: a quote running on opens each paragraph with a mark and closes only
            # the last; a quoted phrase mid-sentence ("was “reckless …") does not run on.
            if (
                nxt is not None
                and (first.isupper() or first.isdigit())
                and (text[nxt : nxt + 1] in ("“", '"') or text[nxt : nxt + 2] in ("``", "''"))
            ):
                carry = (d_open, d_open_end)
            else:
                spans.append(_make(text, d_open, d_open_end, p_end, None))
    if carry is not None:
        spans.append(_make(text, carry[0], carry[1], paragraphs[-1][1], None))
    spans = [q for q in spans if q.end > q.start]
    spans.sort(key=lambda q: q.start)
    return spans


def _make(
    text: str, o: int, o_end: int, c: int, c_end: int | None, single: bool = False
) -> QuoteSpan:
    start, end = o_end, c
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return QuoteSpan(start=start, end=end, open=o, close=c_end, single=single)


# ---------------------------------------------------------------------------------------------
# Tokens of the whole article, with what the rules need to know about each


@dataclass
class _Toks:
    spans: list[tuple[int, int]]
    raw: list[str]
    low: list[str]
    sent: list[int]  # sentence index of each token
    para: list[int]
    sent_bounds: list[tuple[int, int]]  # sentence index -> (first token, last token + 1)
    in_quote: list[int]  # quote index or -1 (tokens inside the marks and the marks themselves)
    cue_tokens: set[int] = field(default_factory=set)  # tokens of the cues found
    noun_starts: set[int] = field(default_factory=set)  # first tokens of nominal cues
    speech_starts: set[int] = field(default_factory=set)  # first tokens of speech verbs
    text: str = ""  # the article's text
    tags: dict[int, str] = field(default_factory=dict)  # token -> POS tag (the few tagged)

    def first_at(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        lo, hi = 0, len(self.spans)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.spans[mid][0] < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo


def _tokens(doc: Doc, quotes: list[QuoteSpan]) -> _Toks:
    text = doc.article.text
    spans, sent, para, bounds = [], [], [], []
    for si, s in enumerate(doc.sentences):
        first = len(spans)
        for t in s.tokens:
            spans.append(t)
            sent.append(si)
            para.append(s.paragraph)
        bounds.append((first, len(spans)))
    raw = [text[a:b] for a, b in spans]
    low = [r.lower() for r in raw]
    in_quote = [-1] * len(spans)
    toks = _Toks(spans, raw, low, sent, para, bounds, in_quote, text=text)
    for qi, q in enumerate(quotes):
        end = q.close if q.close is not None else q.end
        i = toks.first_at(q.open)
        while i < len(spans) and spans[i][1] <= end:
            in_quote[i] = qi
            i += 1
    return toks


def _is_word(tok: str) -> bool:
    return bool(tok) and _is_word_char(tok[0])


def _is_cap(tok: str) -> bool:
    return bool(tok) and (tok[0].isupper() or tok[0].isdigit())


# ---------------------------------------------------------------------------------------------
# Noun phrases without a parser


def _sentence_first(tk: _Toks, j: int) -> bool:
    """Whether token ``j`` opens its sentence (after any quotation mark)."""
    lo = tk.sent_bounds[tk.sent[j]][0]
    return all(not _is_word(tk.raw[k]) for k in range(lo, j))


def _backward_np(tk: _Toks, end: int, floor: int, cues: Cues) -> tuple[int, int] | None:
    """The noun phrase ending just before token ``end`` (exclusive), not before ``floor``."""
    j = end - 1
    collected: list[int] = []
    while j >= floor:
        low, raw = tk.low[j], tk.raw[j]
        if tk.in_quote[j] >= 0:
            break
        if low in cues.pronouns:
            if not collected:
                return (j, j + 1)
            if low == "her":
                collected.append(j)  # "her friend said": a possessive
            break
        if not _is_word(raw):
            if low in cues.inside_np and collected:
                collected.append(j)
                j -= 1
                continue
            if (
                raw == "."
                and collected
                and j - 1 >= floor
                and len(tk.raw[j - 1]) == 1
                and tk.raw[j - 1].isupper()
            ):
                collected.append(j)  # a middle initial: "George W. Bush"
                j -= 1
                continue
            break
        if (
            low == "and"
            and collected
            and j - 1 >= floor
            and _is_cap(tk.raw[j - 1])
            and (_is_cap(tk.raw[collected[-1]]))
        ):
            # "David Albright and Serena Kelleher-Vergantini wrote": two names, one source.
            collected.append(j)
            j -= 1
            continue
        if low in cues.inside_np and collected and j - 1 >= floor and _is_word(tk.raw[j - 1]):
            collected.append(j)
            j -= 1
            continue
        if (
            low in ("in", "to", "at", "from")
            and collected
            and j - 1 >= floor
            and (not _is_cap(tk.raw[j - 1]) or _sentence_first(tk, j - 1))
            and tk.low[j - 1].endswith("s")
            and not tk.low[j - 1].endswith("ss")
            and tk.low[j - 1] not in cues.openers
            and tk.low[j - 1] not in cues.forms
            and tk.in_quote[j - 1] < 0
        ):
            # "voters in the state say", "aides to Clinton said": a plural head and its
            # prepositional phrase make one source
            collected.append(j)
            j -= 1
            continue
        if (
            low in cues.openers and not (_is_cap(raw) and collected and not _sentence_first(tk, j))
        ) or j in tk.cue_tokens:
            # A capitalised opener inside a sentence is a name ("“…,” From said"); a cue word
            # ends the phrase, a noun that looks like one does not ("Cruz’s thinking").
            break
        if len(collected) >= 12:
            break
        collected.append(j)
        j -= 1
    while collected and (
        tk.low[collected[-1]] in cues.inside_np or not _is_word(tk.raw[collected[-1]])
    ):
        collected.pop()
    if not collected:
        return None
    lo, hi = collected[-1], collected[0] + 1
    # A capitalised sentence opener that is not a name ("Yesterday Trump said") is rare
    # enough; an adverb in -ly at the start is dropped.
    while lo < hi - 1 and tk.low[lo].endswith("ly") and not _is_cap(tk.raw[lo]):
        lo += 1
    return (lo, hi)


def _forward_np(tk: _Toks, start: int, limit: int, cues: Cues) -> tuple[int, int] | None:
    """The noun phrase starting at token ``start`` (before ``limit``)."""
    j = start
    if j < limit and tk.low[j] in cues.pronouns:
        return (j, j + 1)
    while j < limit:
        low, raw = tk.low[j], tk.raw[j]
        if tk.in_quote[j] >= 0:
            break
        if not _is_word(raw):
            if low in cues.inside_np and j > start and j + 1 < limit and _is_word(tk.raw[j + 1]):
                j += 1
                continue
            break
        if low in cues.inside_np and j > start and j + 1 < limit and _is_word(tk.raw[j + 1]):
            j += 1
            continue
        if (low in cues.openers and low not in _DETERMINERS) or low in cues.pronouns:
            break
        if (low in cues.forms or low in cues.days) and not _is_cap(raw):
            break
        if low in cues.days:
            break
        if j - start >= 12:
            break
        if (
            j > start
            and not _is_cap(raw)
            and _is_cap(tk.raw[j - 1])
            and tk.low[j - 1] not in _DETERMINERS
            and (not _cap_ahead(tk, j + 1, limit) or low.endswith(("ly", "ed")))
        ):
            # "Mr. Obama decried …": a lower-case word after a name ends the phrase, unless
            # a name follows ("Clinton campaign chairman John Podesta").
            break
        j += 1
    while j > start and (tk.low[j - 1] in cues.inside_np or not _is_word(tk.raw[j - 1])):
        j -= 1
    return (start, j) if j > start else None


def _cap_ahead(tk: _Toks, k: int, limit: int) -> bool:
    """Whether a capitalised word comes within the next three plain words."""
    for m in range(k, min(k + 3, limit)):
        if not _is_word(tk.raw[m]) or tk.in_quote[m] >= 0:
            return False
        if _is_cap(tk.raw[m]):
            return True
    return False


def _skip_between(tk: _Toks, i: int, floor: int, cues: Cues) -> int:
    """Move left over adverbs, auxiliaries and time phrases between a subject and its cue
    ("Trump also said", "Beck last week said", "Trump at the time said", "two weeks ago said")."""
    while i - 1 >= floor:
        low = tk.low[i - 1]
        if (
            low in cues.between
            or low.endswith(("n’t", "n't"))
            or (low in ("’s", "'s") and i - 2 >= floor and tk.low[i - 2] in cues.pronouns)
            or low in cues.days
            or (low == "on" and i < len(tk.low) and tk.low[i] in cues.days)
            or (low.endswith("ly") and not _is_cap(tk.raw[i - 1]) and len(low) > 3)
        ):
            i -= 1
        elif i - 3 >= floor and tuple(tk.low[i - 3 : i]) in (
            ("at", "the", "time"),
            ("in", "the", "past"),
        ):
            i -= 3
        elif low == "ago" and i - 3 >= floor:
            i -= 3  # "two weeks ago"
        else:
            break
    return i


# ---------------------------------------------------------------------------------------------
# Cue matching


@dataclass
class _Cue:
    i: int  # first token
    j: int  # last token + 1
    cls: str
    lemma: str
    passive: int = -1  # the auxiliary of a passive participle ("was criticized"), or -1


def _lexicon_at(tk: _Toks, i: int, cues: Cues, *, same_sentence: bool) -> _Cue | None:
    """The first phrase of the cue lexicon that starts at token ``i`` (within its sentence
    when ``same_sentence``), or None."""
    n = len(tk.low)
    for words, cls, lemma in cues.index.get(tk.low[i], ()):
        k = len(words)
        if tuple(tk.low[i : i + k]) == words and (
            not same_sentence or tk.sent[min(i + k - 1, n - 1)] == tk.sent[i]
        ):
            return _Cue(i, i + k, cls, lemma)
    return None


def _find_cues(tk: _Toks, cues: Cues) -> list[_Cue]:
    found: list[_Cue] = []
    i = 0
    n = len(tk.low)
    while i < n:
        hit = _lexicon_at(tk, i, cues, same_sentence=True) if tk.in_quote[i] < 0 else None
        aux = _passive_aux(tk, hit) if hit else -1
        if hit and aux >= 0:
            if hit.cls in _PASSIVE_CLASSES and hit.lemma not in _OBJECT_VERBS:
                found.append(_Cue(hit.i, hit.j, hit.cls, hit.lemma, aux))
            i = hit.j
        elif hit and _plausible_verb(tk, hit):
            found.append(hit)
            i = hit.j
        else:
            i += 1
    return found


#: cue classes whose passive reports its subject ("the plan was widely criticized")
#: (not cognition: "the vote is expected next week", "a rally is planned" report nothing)
_PASSIVE_CLASSES = frozenset(["speech", "writing", "stance", "speech_act"])
#: participles that do not end in -ed
_PARTICIPLES = frozenset(["said", "told", "written", "thought", "known", "seen", "felt", "sought"])


def _passive_aux(tk: _Toks, cue: _Cue) -> int:
    """The auxiliary before a one-word participle cue ("was criticized", "is widely seen",
    "has been named"), or -1 when the cue is no passive."""
    low = tk.low[cue.i]
    if cue.j - cue.i != 1 or not (low.endswith("ed") or low in _PARTICIPLES):
        return -1
    s_lo = tk.sent_bounds[tk.sent[cue.i]][0]
    k = cue.i - 1
    while k > s_lo and tk.low[k].endswith("ly") and not _is_cap(tk.raw[k]):
        k -= 1
    return k if k >= s_lo and tk.low[k] in _PASSIVE_AUX else -1


def _as_verb(tk: _Toks, c: _Cue, cues: Cues) -> _Cue:
    """A nominal cue whose first word is a speech verb, as that verb: '“…,” Trump said of
    Cruz' attributes the quotation, whatever "said of" does elsewhere."""
    if c.cls in ("noun", "hedge") and c.j - c.i > 1:
        for words, cls, lemma in cues.index.get(tk.low[c.i], ()):
            if len(words) == 1 and cls in ("speech", "writing", "stance", "quote_only"):
                return _Cue(c.i, c.i + 1, cls, lemma)
    return c


def _title_case_sentence(tk: _Toks, i: int) -> bool:
    """Whether the sentence holding token ``i`` is written in title case (a headline)."""
    lo, hi = tk.sent_bounds[tk.sent[i]]
    words = [tk.raw[k] for k in range(lo, hi) if _is_word(tk.raw[k]) and tk.raw[k][0].isalpha()]
    long_words = [w for w in words if len(w) > 3]
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.8 * len(long_words)


def _plausible_verb(tk: _Toks, cue: _Cue) -> bool:
    """Reject noun uses ("the report", "his comments of") and passives ("was told")."""
    if cue.cls == "according_to" or (
        cue.j - cue.i > 1 and (cue.cls != "quote_only" or tk.low[cue.j - 1] == "it")
    ):
        return True  # ("As Foner put it: “…”": a past tense like the base form)
    i = cue.i
    first_of_sentence = tk.sent_bounds[tk.sent[i]][0] == i
    prev = tk.low[i - 1] if i > 0 and not first_of_sentence else ""
    nxt = tk.low[cue.j] if cue.j < len(tk.low) else ""
    if prev in _NOUN_BLOCKERS and not (
        prev in ("’s", "'s") and i >= 2 and tk.low[i - 2] in ("he", "she", "it", "who", "that")
    ):
        return False  # (but "he’s said": has)
    if not first_of_sentence and tk.raw[i][:1].isupper() and not _title_case_sentence(tk, i):
        return False  # "the United States", a title, a name (but "Rubio Says …" in a headline)
    if (
        tk.low[i] in _CUES_NOUNS
        and nxt not in ("that", ":")
        and not (cue.j < len(tk.low) and tk.in_quote[cue.j] >= 0)
        and not (
            prev in _PRONOUN_SUBJECTS
            or prev in (",", ")")
            or tk.raw[i - 1][:1].isupper()
            or prev in ("also", "still", "now", "never", "often", "strongly", "only")
        )
    ):
        # "Rust Belt states have …", "nine states, Ohio …", "terrorist attacks" (but "the
        # report states that …", "Trump attacks Cruz", "he questions the deal")
        return False
    if cue.cls == "evidence" and nxt.endswith(("self", "selves")):
        return False  # "the bank found itself at the center of …": no finding
    if prev[:1].isdigit() and tk.low[i].endswith("ed"):
        return False  # "271 pledged delegates": an adjective
    maybe_noun = tk.low[i] in (cue.lemma, cue.lemma + "s", cue.lemma + "es")
    if (nxt == "of" and maybe_noun and cue.lemma not in _VERB_ONLY_BASE) or (
        nxt in ("by", "from") and tk.low[i].endswith("s")
    ):
        return False  # "comments by", "reports from": nouns
    if prev in _PASSIVE_AUX and tk.low[i].endswith(("ed", "told", "said", "found", "shown")):
        return False
    if i > 1 and tk.in_quote[i - 1] >= 0 and not first_of_sentence and tk.low[i - 2] in ",?!":
        return True  # '“…,” read one', '“…?” asks Cruz': a cue right after a quotation
    if cue.lemma == tk.low[i] and not tk.low[i].endswith(("s", "ed", "ing")):
        # A base form ("say", "state") is a verb after a plural or pronoun subject, an
        # auxiliary or an adverb ("officials say", "they believe", "did not say").
        k = i - 1
        while k >= 0 and tk.low[k].endswith("ly") and not tk.raw[k][:1].isupper():
            k -= 1
        before = tk.low[k] if k >= 0 and not first_of_sentence else ""
        if cue.lemma in _VERB_ONLY_BASE and k >= 0 and not first_of_sentence:
            # "say" is hardly a noun but after a determiner ("have a say"): any subject
            # ("Aides to Clinton say", "Six in 10 say", "Just over a quarter, 26 percent, say")
            raw_before = tk.raw[k]
            return (
                before not in _NOUN_BLOCKERS
                and before != "to"
                and (_is_word(raw_before) or raw_before in (",", ")"))
            )
        return (
            before in _BASE_OK
            or before in _QUANTITY_SUBJECTS
            or before[:1].isdigit()
            or before.endswith(("n’t", "n't"))
            or (
                before.endswith("s")
                and not before.endswith("ss")
                and before != "’s"
                and before != "'s"
            )
        )
    return True


# ---------------------------------------------------------------------------------------------
# Attribution


@dataclass
class _Row:
    start: int
    end: int
    kind: str
    speaker_span: tuple[int, int] | None  # character offsets
    cue_span: tuple[int, int] | None
    quote: int = -1
    speaker_kind: str = ""  # name, pronoun, relative, anonymous, inherited
    #: a partial quote's reported clause (the quoted words and the words around them)
    clause: tuple[int, int] | None = None


def _char_span(tk: _Toks, rng: tuple[int, int] | None) -> tuple[int, int] | None:
    if rng is None:
        return None
    return (tk.spans[rng[0]][0], tk.spans[rng[1] - 1][1])


def _sentence_end_token(tk: _Toks, i: int) -> int:
    return tk.sent_bounds[tk.sent[i]][1]


def _sentence_start_token(tk: _Toks, i: int) -> int:
    return tk.sent_bounds[tk.sent[i]][0]


def _speaker_before(tk: _Toks, cue: _Cue, floor: int, cues: Cues) -> tuple[int, int] | None:
    """The subject before a cue: "Gallant said", "the ministry also said", "X, 45, said"."""
    i = _skip_between(tk, cue.i, floor, cues)
    if i - 1 >= floor and (tk.low[i - 1] in _DASHES or tk.low[i - 1] == "-"):
        # "Jason Sims — a teacher from Mount Pleasant — says", "Sanders - who … - has
        # vowed": the name before the aside (a lone hyphen is a dash in some styles)
        k = next(
            (m for m in range(i - 2, max(floor, i - 40) - 1, -1) if tk.low[m] == tk.low[i - 1]),
            None,
        )
        if k is not None and k > floor:
            np = _backward_np(tk, k, floor, cues)
            last = tk.low[np[1] - 1] if np else ""
            if np and (
                _is_cap(tk.raw[np[0]])
                or tk.low[np[0]] in _DETERMINERS
                or (last.endswith("s") and not last.endswith("ss"))
            ):
                return np
    if i - 1 >= floor and tk.low[i - 1] == ")":
        # "Rep. Earl Blumenauer (D-Ore.) said": step over the parenthesis.
        k = i - 1
        while k > floor and tk.low[k] != "(" and i - k < 12:
            k -= 1
        if tk.low[k] == "(":
            i = k
    if i - 1 >= floor and tk.low[i - 1] == ",":
        # Appositives ("Cecelia Purner, 67, a retiree in Allentown, Pa., said"): the leftmost
        # name that opens a comma-separated segment and is followed by a comma.
        commas = [k for k in range(max(floor, i - 40), i - 1) if tk.low[k] == ","]
        # ("But Murshed Zaheed, …, said": past an opening conjunction)
        for start in [_sentence_lead(tk, floor, i, cues), *[k + 1 for k in commas]]:
            if start >= i - 1 or tk.low[start] in cues.openers or tk.low[start] == "of":
                continue
            np = _forward_np(tk, start, i, cues)
            if np and np[1] + 1 < i and _is_cap(tk.raw[np[0]]):
                end = np[1]
                if tk.low[end] == "." and len(tk.raw[end - 1]) == 1:
                    # "Christopher M. Shelton, …": a middle initial inside the name
                    rest = _forward_np(tk, end + 1, i, cues)
                    if rest and rest[0] == end + 1 and _is_cap(tk.raw[rest[0]]):
                        np = (np[0], rest[1])
                        end = rest[1]
                if tk.low[end] == "(":
                    # "Sen. Rob Portman (R-Ohio), another incumbent, said": the party label
                    close = next((m for m in range(end, min(end + 8, i)) if tk.low[m] == ")"), None)
                    if close is not None and close + 1 < i and tk.low[close + 1] == ",":
                        return np
            if (
                np
                and np[1] - np[0] == 1
                and (tk.low[np[0]].endswith("ly") or tk.low[np[0]] in cues.between)
            ):
                continue  # "Similarly, William J. Bennett, …, said", "Still, Devine, …, said"
            if np and _is_cap(tk.raw[np[0]]) and np[1] < i and tk.low[np[1]] == ",":
                return np
        k = i - 2
        while k >= floor and tk.low[k] != "," and i - k < 30:
            k -= 1
        if k >= floor and tk.low[k] == ",":
            np = _backward_np(tk, k, floor, cues)
            if np and _is_cap(tk.raw[np[0]]):
                return np
        return None
    np = _backward_np(tk, i, floor, cues)
    return _extend_anonymous(tk, np, floor, cues) if np else None


def _extend_anonymous(tk: _Toks, np: tuple[int, int], floor: int, cues: Cues) -> tuple[int, int]:
    """Grow "the talks" to "a senior official familiar with the talks" (a qualifier of an
    anonymous source stops the plain noun-phrase search)."""
    for q in cues.anon_qualifiers:
        k = np[0] - len(q)
        if k > floor and tuple(tk.low[k : np[0]]) == q:
            head = _backward_np(tk, k, floor, cues)
            if head and tk.low[head[1] - 1] in cues.anon_heads:
                return (head[0], np[1])
    return np


def _is_terminal(tk: _Toks, i: int, end: int) -> bool:
    """Whether nothing but punctuation and adverbials remain from token ``i`` to ``end``."""
    return all(not _is_word(tk.raw[k]) for k in range(i, end))


def _skip_adverbials(tk: _Toks, k: int, end: int, cues: Cues) -> int:
    """Skip "on Sunday", "in a statement", "Tuesday" between a cue and its clause."""
    for _ in range(4):
        if k < end and tk.low[k] in cues.days:
            k += 1
            continue
        if k < end and tk.low[k] in ("—", "–", "--"):
            # "said — on Twitter, as it happens — that …": a dashed aside
            close = next(
                (m for m in range(k + 1, min(k + 16, end)) if tk.low[m] == tk.low[k]), None
            )
            if close is not None and close + 1 < end:
                k = close + 1
                continue
            break
        if k + 1 < end and tk.low[k] in ("for", "over"):
            # "has said for weeks he is …", "said over the weekend that …"
            m = k + 1
            while m < end and m - k < 5 and tk.low[m] in _DURATIONS:
                m += 1
            if m > k + 1 and tk.low[m - 1] in _TIME_NOUNS:
                k = m
                continue
            break
        if k < end and tk.low[k] in ("on", "in", "at", "during", "via", "late", "early"):
            if k + 1 < end and tk.low[k + 1] in cues.days:
                k += 2
                continue
            np = _forward_np(tk, k + 1, end, cues)
            if np is None:
                break
            k = _skip_title(tk, np[1], end)
            continue
        break
    return k


#: nouns that end a duration after a cue ("said for weeks", "over the weekend")
_TIME_NOUNS = frozenset(
    ["days", "weeks", "months", "years", "decades", "hours", "weekend", "time", "while"]
)
#: the words of such a duration ("for the past two years", "for some time")
_DURATIONS = _TIME_NOUNS | frozenset(
    ["the", "a", "some", "several", "many", "long", "past", "last", "two", "three", "few"]
)


def _skip_title(tk: _Toks, k: int, end: int) -> int:
    """Step over "’s “Morning Joe”" after a noun phrase: a programme's title, not what
    was said ("on MSNBC’s “Morning Joe”", "told ABC’s “Good Morning America” that")."""
    if k + 1 < end and tk.low[k] in ("’s", "'s") and tk.in_quote[k + 1] >= 0:
        qi = tk.in_quote[k + 1]
        k += 1
        while k < end and tk.in_quote[k] == qi:
            k += 1
    return k


def _content_end(tk: _Toks, k: int, end: int, cues: Cues, cue_starts: set[int]) -> int:
    """Where a forward reported clause ends: the sentence end, a semicolon, or the next
    attribution (", adding that", ", he said")."""
    j = k
    while j < end:
        low = tk.low[j]
        if low == ";":
            return j
        if low in ("and", "but", "—", "–", "--") and j + 1 in cue_starts and j > k:
            # "said X and added Y", "criticized X — saying Y": the second cue starts its
            # own attribution
            return j
        if low == "," and j + 1 < end and tk.in_quote[j] < 0:
            nxt = j + 1
            close = _relative_aside_end(tk, k, j, end, cue_starts)
            if close is not None:
                # "said the governor, who has pledged to …, would lose": the aside describes
                # the clause's subject, and the clause goes on after it
                j = close + 1
                continue
            if (
                nxt in cue_starts
                or tk.low[nxt] in _CLAUSE_BREAK
                or (tk.low[nxt].endswith("ing") and not _is_cap(tk.raw[nxt]))
            ):
                return j
            # ", he said" / ", the ministry added": a subject then a cue within 6 tokens
            for m in range(nxt + 1, min(nxt + 7, end)):
                if m in cue_starts and _is_terminal(tk, m + 1, min(end, m + 2)):
                    return j
                if (
                    m in cue_starts
                    and m + 1 < end
                    and tk.low[m + 1] == "that"
                    and (
                        _is_cap(tk.raw[nxt])
                        or tk.low[nxt] in cues.pronouns
                        or tk.low[nxt] in _DETERMINERS
                    )
                ):
                    return j  # "…, Devine suggested that …": a new attribution
                if (
                    m in tk.speech_starts
                    and tk.low[nxt] in ("he", "she", "they", "we", "i")
                    and all(tk.low[x] in _PERFECT for x in range(nxt + 1, m))
                ):
                    return j  # "announced his bid, he’s said the same thing …": a new clause
                if tk.low[m] in (",", ";"):
                    break
        j += 1
    return end


def _relative_aside_end(tk: _Toks, k: int, j: int, end: int, cue_starts: set[int]) -> int | None:
    """The comma closing a relative aside opened at the comma ``j`` right after the subject
    of a reported clause starting at ``k`` ("the governor, who has pledged to …, would"),
    when the clause goes on with a verb after it; else None."""
    if j - k > 6 or tk.low[j + 1] not in ("who", "which", "whose", "whom"):
        return None
    for m in range(j + 2, end - 1):
        low = tk.low[m]
        if low in (";", ":") or low in _TERMINAL or tk.in_quote[m] >= 0:
            return None
        if low == ",":
            after = tk.low[m + 1]
            ok = (
                tk.raw[m + 1][:1].islower()
                and after.isalpha()
                and after not in _CLAUSE_BREAK
                and after not in _DETERMINERS
                and after not in ("and", "or", "but", "nor", "so", "then", "who", "which")
                and m + 1 not in cue_starts
            )
            return m if ok else None
    return None


#: what may stand between a pronoun and its cue in a new clause ("…, he’s said", "she has
#: also said"): no modal ("if elected, he would say" is still the reported clause)
_PERFECT = frozenset(["has", "had", "have", "’s", "'s", "’ve", "'ve", "also", "then", "later"])


def _trim(tk: _Toks, a: int, b: int) -> tuple[int, int]:
    """Drop punctuation at the edges of a token range (keeping quotation marks)."""
    while a < b and not _is_word(tk.raw[a]) and tk.in_quote[a] < 0:
        a += 1
    while b > a and not _is_word(tk.raw[b - 1]) and tk.in_quote[b - 1] < 0:
        b -= 1
    return a, b


def _n_words(tk: _Toks, a: int, b: int) -> int:
    return sum(1 for k in range(a, b) if _is_word(tk.raw[k]))


def _statement_cues_dropped(found: list[_Cue], tk: _Toks) -> list[_Cue]:
    """Without an "in a statement" whose sentence has its own speech verb after it ("In a
    statement on Saturday, the DNC said …"): the verb attributes, the phrase says how."""
    speech_at = {c.i for c in found if c.cls in ("speech", "writing") and c.j - c.i == 1}
    kept = []
    for c in found:
        if tk.low[c.i] == "in" and c.lemma == "in a statement":
            s_hi = tk.sent_bounds[tk.sent[c.i]][1]
            if any(k in speech_at for k in range(c.j, s_hi)):
                continue
        kept.append(c)
    return kept


@dataclass
class _Prepared:
    """What both the rules and the learned tagger read of an article: its quotations, its
    tokens and the cues the rules keep (in text order)."""

    quotes: list[QuoteSpan]
    tk: _Toks
    found: list[_Cue]
    #: whether each token lies in a part of the article quotes may come from (QUOTE_PARTS)
    allowed: list[bool]


def _prepare(article: Article, doc: Doc, cues: Cues) -> _Prepared:
    quotes = find_quote_spans(article.text, list(doc.paragraphs))
    tk = _tokens(doc, quotes)
    allowed = [doc.sentences[tk.sent[i]].part in QUOTE_PARTS for i in range(len(tk.spans))]
    found = _statement_cues_dropped([c for c in _find_cues(tk, cues) if allowed[c.i]], tk)
    return _Prepared(quotes, tk, found, allowed)


def _attribute(article: Article, doc: Doc, cues: Cues, prepared: _Prepared) -> list[_Row]:
    text = article.text
    quotes, tk, found, allowed = prepared.quotes, prepared.tk, prepared.found, prepared.allowed
    cue_starts = {c.i for c in found}
    found_starts = [c.i for c in found]
    # (a noun with its that-clause, "the notion that …", may be the object of a speech act,
    # "rejected the notion that …", which then reports it whole)
    tk.noun_starts = {c.i for c in found if c.cls == "noun" and tk.low[c.j - 1] != "that"}
    tk.cue_tokens = {k for c in found for k in range(c.i, c.j)}
    tk.speech_starts = {c.i for c in found if c.cls in ("speech", "writing") and c.passive < 0}
    used: set[int] = set()
    rows: list[_Row] = []
    quote_done: set[int] = set()

    # The last attribution of each sentence: a later ", adding …" takes its speaker.
    last_in_sentence: dict[int, _Row] = {}

    # 1. A quote followed by its attribution: "“…,” said Gallant." / "“…,” he concluded."
    for qi, q in enumerate(quotes):
        if q.close is None:
            continue
        i = tk.first_at(q.close)
        if i >= len(tk.spans) or tk.para[i] != tk.para[max(0, i - 1)]:
            continue
        if text[q.close : tk.spans[i][0]].count("\n"):
            continue
        lim = i
        while (
            lim < len(tk.spans)
            and lim - i < 45
            and tk.para[lim] == tk.para[i]
            and not (tk.low[lim] in _TERMINAL and _sentence_end_token(tk, lim) == lim + 1)
            and (tk.in_quote[lim] < 0 or _short_quote(tk, quotes, tk.in_quote[lim]))
        ):
            # (a full stop inside "George W. Bush" does not end the sentence; a short
            # quotation inside the attribution, 'Bill Eastland, wearing “Ted Cruz” pins, said',
            # does not end it either)
            lim += 1
        head = i + 1 if i < lim and tk.low[i] in (",", "—", "–", "-") else i
        o = tk.first_at(q.open)
        # (a quote after a word or a possessive, "on Fox News channel’s “Sunday Morning
        # Futures,”", is inside its sentence; one after a comma or colon stands alone)
        embedded = (
            o > 0
            and tk.sent[o - 1] == tk.sent[o]
            and tk.low[o - 1] not in (",", ":", ";", "—", "–", "-", "--", "(", "[")
            and (_is_word(tk.raw[o - 1]) or tk.low[o - 1] in ("’s", "'s", "’", "'"))
        )
        # (only the cues from ``head`` to ``lim``: found is in text order)
        window = found[
            bisect.bisect_left(found_starts, head) : bisect.bisect_left(found_starts, lim)
        ]
        for c in (_as_verb(tk, c, cues) for c in window):
            if c.i < head or c.i >= lim or c.i in used or c.cls in ("evidence", "noun", "hedge"):
                continue
            if _in_relative_aside(tk, head, c.i):
                continue  # '“…,” Warren, who has not endorsed anyone, told reporters'
            speaker = None
            if c.i == head and c.cls != "according_to" and tk.low[c.i].endswith("ing"):
                break  # '“Golden Week,” saying that …': the participle reports its own clause
            if (c.cls == "according_to" and c.i == head) or c.i == head:
                speaker = _forward_np(tk, c.j, lim, cues)
            else:
                if embedded and not _is_terminal(tk, _skip_adverbials(tk, c.j, lim, cues), lim):
                    # 'To a question on the “privatization of jobs,” Sanders said private
                    # contractors …': a quoted phrase inside a sentence whose cue reports
                    # a clause of its own is not what was said.
                    after = _skip_adverbials(tk, c.j, lim, cues)
                    if tk.low[after] not in (",", "—", "(") and not _aside_follows(tk, after, lim):
                        break
                np = _speaker_before(tk, c, head, cues)
                gap = range(head, np[0]) if np else range(0)
                if (
                    np
                    and all(tk.low[k] == "," or not _is_cap(tk.raw[k]) for k in gap)
                    and len(gap) <= 4
                    and (not gap or tk.low[head] in _DETERMINERS)
                ):
                    # "“…,” the bespectacled, 71-year-old diplomat said"
                    speaker = (head, np[1]) if gap else np
                elif (_is_cap(tk.raw[head]) or tk.low[head] in _DETERMINERS) and (
                    tk.low[_skip_between(tk, c.i, head, cues) - 1] == ","
                ):
                    # "“…,” Cecelia Purner, 67, a retiree in Allentown, Pa., said": the
                    # phrase right after the quote is the speaker, whatever follows it.
                    speaker = _forward_np(tk, head, c.i, cues)
            if speaker is None and c.cls != "according_to":
                # '“…?” a Democratic staffer in the room wondered': everything between the
                # quote and its cue, when short and plain, names the speaker.
                stop = _skip_between(tk, c.i, head, cues)
                span = range(head, stop)
                if (
                    0 < len(span) <= 10
                    and all(tk.in_quote[k] < 0 and tk.low[k] not in (",", ";", "(") for k in span)
                    and (tk.low[head] in _DETERMINERS or _is_cap(tk.raw[head]))
                    and not any(tk.low[k] in ("that", "which", "who", "and") for k in span)
                ):
                    speaker = (head, stop)
            if speaker is None:
                break
            rows.append(
                _Row(
                    q.start,
                    q.end,
                    "direct",
                    _char_span(tk, speaker),
                    _char_span(tk, (c.i, c.j)),
                    qi,
                )
            )
            quote_done.add(qi)
            used.add(c.i)
            last_in_sentence[tk.sent[c.i]] = rows[-1]
            # An "according to a readout" after the attribution belongs to it.
            for c2 in found:
                if head <= c2.i < lim and c2.cls == "according_to":
                    used.add(c2.i)
            break

    # 2. Cues with their reported clause (indirect, partial, and direct after the cue).
    for c in found:
        if c.i in used:
            continue
        si = tk.sent[c.i]
        s_lo, s_hi = tk.sent_bounds[si]
        nested = _nested_in(tk, rows, c.i)
        if c.passive >= 0:
            if not nested:
                _passive(tk, quotes, rows, quote_done, c, s_lo, s_hi, cues)
            continue
        gap = _relative_gap(tk, c, s_lo, s_hi, cues)
        if gap is not None:
            # "a charge that Mrs. Clinton has denied" (inside a reported clause or not): the
            # relative pronoun is what is reported
            if _emit(tk, quotes, rows, quote_done, gap[0], _char_span(tk, gap[1]), c, ""):
                used.add(c.i)
            continue
        if nested and not _may_nest(tk, c, cues):
            # A cue inside another reported clause is not a new attribution, but for a plain
            # "say" with its own subject ("officials said the governor had said …").
            continue
        if any(
            r.speaker_span and r.speaker_span[0] <= tk.spans[c.i][0] < r.speaker_span[1]
            for r in rows
        ):
            continue  # nor one inside a source ("according to state corporate records")
        speaker: tuple[int, int] | None = None
        content: tuple[int, int] | None = None
        speaker_kind = ""
        lead = _sentence_lead(tk, s_lo, c.i, cues)
        if tk.low[c.i] == "in" and c.j < s_hi and tk.low[c.j] == ",":
            continue  # "In a statement, the DNC said …": the verb attributes the clause
        if tk.low[c.i] == "asked" and (
            c.i == lead or (c.i == lead + 1 and tk.low[lead] in ("when", "after", "once", "if"))
        ):
            # "Asked about the tariffs, the senator said …", "When asked whether he would
            # run, Hale said …": the question runs to the comma; who asked is not said.
            comma = next((m for m in range(c.j, s_hi) if tk.low[m] == ","), None)
            asker = None
            start = c.j
            if comma is not None and tk.low[c.j] == "by":
                # "Asked by Stephanopoulos whether …": the one who asked is named
                asker = _forward_np(tk, c.j + 1, comma, cues)
                start = asker[1] if asker else start
            if comma is not None and _emit(
                tk, quotes, rows, quote_done, (start, comma), _char_span(tk, asker), c, ""
            ):
                used.add(c.i)
            continue
        if c.cls in ("noun", "hedge"):
            handled = _noun_or_hedge(tk, c, s_lo, s_hi, cues, cue_starts)
            if handled is None:
                continue
            content, speaker_chars = handled
            if _emit(tk, quotes, rows, quote_done, content, speaker_chars, c, ""):
                used.add(c.i)
            continue
        if c.cls == "according_to":
            speaker = _forward_np(tk, c.j, s_hi, cues) or _source_phrase(tk, c.j, s_hi)
            if speaker is None:
                continue
            lead = _sentence_lead(tk, s_lo, c.i, cues)
            k = speaker[1]
            while k < s_hi and tk.low[k] != "," and k - speaker[1] < 12:
                k += 1
            after = None
            if (
                k + 1 < s_hi
                and tk.low[k] == ","
                and (
                    tk.low[k + 1] not in _CLAUSE_BREAK
                    or (lead == c.i and tk.low[k + 1] not in ("which", "who", "whom", "whose"))
                )
                and not (tk.low[k + 1].endswith("ing") and not _is_cap(tk.raw[k + 1]))
            ):
                # (", including one from Monmouth" is part of the source, not the clause)
                after = (k + 1, _content_end(tk, k + 1, s_hi, cues, cue_starts))
            subordinate = tk.low[lead] in _SUBORDINATORS
            if (
                lead == c.i
                or (after and subordinate and _n_words(tk, *after) >= 4)
                or (after and _n_words(tk, lead, c.i) < 4)
            ):
                # "According to X, C." / "While …, according to X, C." / "Now, according
                # to X, C."
                content = after
            else:  # "C, according to X." (inside brackets: from the opening bracket)
                opening = [m for m in range(s_lo, c.i) if tk.low[m] == "("]
                content = (opening[-1] + 1 if opening else s_lo, c.i)
        else:
            prev = tk.low[c.i - 1] if c.i > s_lo else ""
            gerund = tk.low[c.i].endswith("ing") and c.cls != "according_to"
            lead = _sentence_lead(tk, s_lo, c.i, cues)
            if gerund and (
                c.i == lead
                or (c.i == lead + 1 and tk.low[lead] in ("after", "before", "while", "by"))
            ):
                # "Noting that X, Schlafly added …" / "After saying X, the man …": the
                # clause runs to the comma, the subject after it is the speaker.
                content = _forward_content(tk, c, s_hi, cues, cue_starts)
                if content is None:
                    continue
                comma = next((m for m in range(content[0], s_hi) if tk.low[m] == ","), None)
                if comma is None:
                    continue
                content = (content[0], comma)
                subject = _forward_np(tk, comma + 1, s_hi, cues)
                if subject is None:
                    continue
                content = _speech_act_content(tk, c, content, cues)
                if content is None:
                    continue
                if _emit(tk, quotes, rows, quote_done, content, _char_span(tk, subject), c, ""):
                    used.add(c.i)
                continue
            if gerund and prev in ("by", "after", "while", "before") and c.i - 1 > s_lo:
                # "Sanders has soared in the polls by saying that …": the clause's subject
                subject = _clause_subject(tk, s_lo, c.i - 1, cues)
                content = _forward_content(tk, c, s_hi, cues, cue_starts)
                if subject is None or content is None:
                    continue
                content = _speech_act_content(tk, c, content, cues)
                if content is None:
                    continue
                if _emit(tk, quotes, rows, quote_done, content, _char_span(tk, subject), c, ""):
                    used.add(c.i)
                    last_in_sentence[si] = rows[-1]
                continue
            participial = tk.low[c.i].endswith("ing") and (
                prev in (",", "—", "–", "--")
                or (prev in ("”", '"', "''") and c.i - 2 >= s_lo and tk.low[c.i - 2] == ",")
            )  # (“the ‘Golden Week,’ saying …”: the comma inside the marks)
            if participial:
                # ", saying that …": the speaker of the clause before, else the sentence subject.
                row = last_in_sentence.get(si)
                content = _forward_content(tk, c, s_hi, cues, cue_starts)
                if row is not None and row.speaker_span is not None:
                    speaker_chars = row.speaker_span
                    speaker_kind = "inherited"
                else:
                    # (the nearest clause with a verb: "On Sunday, Mr. Trump echoed …, saying",
                    # not the opening "On Sunday" or a dateline "WASHINGTON —")
                    subject = (
                        _finite_subject(tk, s_lo, c.i, cues)
                        or _clause_subject(tk, s_lo, c.i, cues)
                        or _forward_np(tk, _sentence_lead(tk, s_lo, c.i, cues), c.i, cues)
                    )
                    speaker_chars = _char_span(tk, subject)
                if content is None or speaker_chars is None:
                    continue
                content = _speech_act_content(tk, c, content, cues)
                if content is None:
                    continue
                _emit(tk, quotes, rows, quote_done, content, speaker_chars, c, speaker_kind)
                used.add(c.i)
                last_in_sentence[si] = rows[-1]
                continue
            # "Sen. Roy Blunt (R-Mo.), facing …, noted that …" is not inverted, nor is a
            # speech act after an appositive ("Fr. Frank Pavone, director of …, criticized
            # the platform"): only plain speech verbs invert ("…, said Gallant").
            inverted = (
                (prev in (",", "”", '"', "''") or c.i == s_lo)
                and not (c.j < s_hi and tk.low[c.j] == "that")
                and c.cls in ("speech", "writing", "quote_only")
                # ("…, Devine told The Huffington Post": who is told is no speaker)
                and (c.lemma not in _OBJECT_VERBS or c.lemma == "ask")
            )
            fwd_np = _forward_np(tk, c.j, s_hi, cues) if inverted else None
            if (
                inverted
                and fwd_np
                and c.cls not in ("cognition", "evidence")
                and _is_terminal_or_comma(tk, fwd_np[1], s_hi)
            ):
                # ", said Gallant." : the clause is before the cue.
                speaker = fwd_np
                content = _backward_content(tk, s_lo, c.i)
                k = fwd_np[1]
                if (content is None or _n_words(tk, *content) < 2) and (
                    k + 1 < s_hi and tk.low[k] in (",", ":")
                ):
                    # "Said Comey, “…”" / "But, said Solovey, “…”": the clause follows.
                    content = (k + 1, _content_end(tk, k + 1, s_hi, cues, cue_starts))
            else:
                speaker = _object_control(tk, c, s_lo, cues) or _speaker_before(tk, c, s_lo, cues)
                if gerund and speaker is not None and _no_subject(tk, speaker, cues):
                    # "Trump has avoided directly criticizing …", "a lawsuit was filed in
                    # 2012 challenging …": the words before the -ing form are a verb or a
                    # time, not its subject; the clause's subject holds it
                    speaker = _finite_subject(tk, s_lo, c.i, cues) or speaker
                aside = _as_aside(tk, speaker, s_lo)
                if aside is not None and c.cls in ("speech", "writing", "stance"):
                    # "X grew up here, as she said at the outset -": the clause before "as"
                    if _emit(tk, quotes, rows, quote_done, aside, _char_span(tk, speaker), c, ""):
                        used.add(c.i)
                        last_in_sentence[si] = rows[-1]
                    continue
                before = _skip_between(tk, c.i, s_lo, cues) - 1
                inherit = last_in_sentence.get(si)
                if (
                    speaker is None
                    and before >= s_lo
                    and tk.low[before] in ("and", "but")
                    and inherit is not None
                    and inherit.speaker_span is not None
                    and c.cls not in ("cognition", "evidence", "quote_only")
                ):
                    # "Podesta said A and said B", "endorsed X, but warned that B": the
                    # second cue shares the first's speaker.
                    content = _forward_content(tk, c, s_hi, cues, cue_starts)
                    if content is None:
                        continue
                    content = _speech_act_content(tk, c, content, cues)
                    if content is None:
                        continue
                    if _emit(
                        tk, quotes, rows, quote_done, content, inherit.speaker_span, c, "inherited"
                    ):
                        used.add(c.i)
                        last_in_sentence[si] = rows[-1]
                    continue
                if speaker is None and before >= s_lo and tk.low[before] == "and":
                    # "Silverman was joined on stage and joked, “…”": the clause's subject.
                    speaker = _finite_subject(tk, s_lo, before, cues) or _clause_subject(
                        tk, s_lo, c.i, cues
                    )
                if speaker is None and not _purpose_clause(tk, c.i, s_lo, cues):
                    # "Trump continued to question whether …", "Mr. Rubio moved to emphasize
                    # …": the subject of the clause the cue's verb phrase belongs to.
                    speaker = _any_subject(tk, s_lo, c.i, cues)
                if (
                    speaker is None
                    and c.i - 1 > s_lo
                    and tk.low[c.i - 1] == "to"
                    and not _purpose_clause(tk, c.i, s_lo, cues)
                ):
                    # "The administration struggled to explain …": the clause's subject
                    speaker = _finite_subject(tk, s_lo, c.i - 1, cues)
                if speaker is None and c.cls in _NEED_AGENT:
                    # (a stance or act needs its agent: "played a role in defending …" is none)
                    continue
                if speaker is not None and tk.low[speaker[0]] == "who" and speaker[0] - 1 >= s_lo:
                    speaker_kind = "relative"
                after = _skip_adverbials(tk, c.j, s_hi, cues)
                if after + 1 < s_hi and tk.low[after] == "to" and c.cls != "cognition":
                    # "C, Dean proclaimed to a cheering crowd.": the audience, then nothing
                    audience = _forward_np(tk, after + 1, s_hi, cues)
                    if audience is not None and (
                        _is_cap(tk.raw[audience[0]]) or tk.low[audience[0]] in _DETERMINERS
                    ):
                        past = _skip_adverbials(tk, audience[1], s_hi, cues)
                        if _is_terminal(tk, past, s_hi):
                            after = past
                if (
                    c.lemma in _OBJECT_VERBS
                    and not _is_terminal(tk, after, s_hi)
                    and not _title_case_sentence(tk, c.i)
                ):
                    # "C, Carter told a Senate panel Wednesday.": the addressee, then nothing
                    addressee = _forward_np(tk, c.j, s_hi, cues)
                    if addressee is not None:
                        past = _skip_adverbials(tk, addressee[1], s_hi, cues)
                        if _is_terminal(tk, past, s_hi):
                            after = past
                # ("…, analysts say; in 2012, …": a semicolon ends the attribution's clause)
                semi = next((m for m in range(c.j, s_hi) if tk.low[m] == ";"), s_hi)
                if _is_terminal(tk, after, semi) or (
                    _aside_follows(tk, after, s_hi) and c.cls not in ("cognition", "evidence")
                ):
                    # "C, the minister said (on Sunday).", "C, new reports show."
                    k = speaker[0] if speaker is not None else c.i
                    if k - 1 >= s_lo and tk.low[k - 1] == ",":
                        content = _backward_content(tk, s_lo, k - 1)
                else:
                    content = _forward_content(tk, c, s_hi, cues, cue_starts)
                    if c.cls == "quote_only" and (content is None or tk.in_quote[content[0]] < 0):
                        continue  # "She continued, “…”" only
        if content is None or (nested and speaker is None):
            continue
        if (
            c.lemma in ("call", "dub", "label", "name")
            and speaker is not None
            and tk.low[speaker[0]] in ("a", "an", "one")
            and not _is_cap(tk.raw[c.i - 1])
            and _is_cap(tk.raw[content[0]])
        ):
            continue  # "a program called Sandy Hook Promise": a name, not a statement
        content = _speech_act_content(tk, c, content, cues)
        if content is None:
            continue
        if _emit(tk, quotes, rows, quote_done, content, _char_span(tk, speaker), c, speaker_kind):
            used.add(c.i)
            last_in_sentence[si] = rows[-1]

    # 2b. Headlines "Source: what they said" ("Rubio: Trump can't be trusted").
    # The layout parser may take a headline for body: then the opening line standing alone.
    # A paragraph opened by "NAME:" in the body is a transcript turn ("BOULDUAN: Why not?").
    for si, sentence in enumerate(doc.sentences):
        if sentence.part not in QUOTE_PARTS:
            continue
        alone = (si == 0 or doc.sentences[si - 1].paragraph != sentence.paragraph) and (
            si + 1 == len(doc.sentences) or doc.sentences[si + 1].paragraph != sentence.paragraph
        )
        first = all(s.part not in QUOTE_PARTS for s in doc.sentences[:si])
        if sentence.part == "headline" or (first and alone):
            _headline_colon(text, tk, si, quotes, rows, quote_done, cues)
        elif si == 0 or doc.sentences[si - 1].paragraph != sentence.paragraph:
            _transcript_turn(tk, si, quotes, rows, quote_done, cues)

    # 2c. Findings reported "in a poll": "Clinton led by 8 points in a CNN poll released
    # Monday" (the poll is the source of the clause).
    for k in range(len(tk.low)):
        if tk.low[k] == "in" and allowed[k] and tk.in_quote[k] < 0:
            _in_poll(tk, k, quotes, rows, quote_done, cues, cue_starts)

    # 3. Quotes after a colon ("Trump was blunt: “…”"), split quotes, and unattributed ones.
    rows.sort(key=lambda r: r.start)
    for qi, q in enumerate(quotes):
        if qi in quote_done or not allowed[min(tk.first_at(q.start), len(tk.spans) - 1)]:
            continue
        i = tk.first_at(q.start)
        words = sum(1 for k in range(i, tk.first_at(q.end)) if _is_word(tk.raw[k]))
        before = text[: q.open].rstrip()
        if before.endswith(":"):
            colon = len(before) - 1
            ci = tk.first_at(colon)
            if ci < len(tk.spans) and tk.spans[ci][0] == colon:
                s_lo = _sentence_start_token(tk, ci)
                lead = _sentence_lead(tk, s_lo, ci, cues)
                np = _name_after_dash(tk, lead, ci) or _forward_np(tk, lead, ci, cues)
                if np:
                    rows.append(
                        _Row(q.start, q.end, "direct", _char_span(tk, np), (colon, colon + 1), qi)
                    )
                    quote_done.add(qi)
                    continue
        # The previous row of the same paragraph (split quote) or of the paragraph before.
        prev = [r for r in rows if r.end <= q.open]
        if prev and words >= 3:
            p = max(prev, key=lambda r: r.end)
            pi = max(0, tk.first_at(p.end) - 1)  # the paragraph where it ends
            gap_paras = tk.para[min(i, len(tk.para) - 1)] - tk.para[min(pi, len(tk.para) - 1)]
            # The same paragraph goes on quoting the speaker of its last attribution; a
            # paragraph that is all quote continues the previous paragraph's speaker.
            kind = None
            if gap_paras == 0 and p.speaker_span is not None:
                kind = p.speaker_kind
            elif gap_paras == 1 and p.speaker_span and _paragraph_is_quote(text, doc, q, tk, i):
                kind = "inherited"
            if kind is not None:
                rows.append(
                    _Row(
                        q.start, q.end, "direct", p.speaker_span, p.cue_span, qi, speaker_kind=kind
                    )
                )
                quote_done.add(qi)
                continue
        after = _verb_after_quote(tk, q, cues)
        if after is not None:
            # '“…,” the nominee riffed': any past tense after a quotation and its subject
            speaker, verb = after
            rows.append(
                _Row(q.start, q.end, "direct", _char_span(tk, speaker), _char_span(tk, verb), qi)
            )
            quote_done.add(qi)
            continue
        if _title_case(text[q.start : q.end]):
            continue  # a title ("How the Grinch Stole Christmas"), not a statement
        s_lo = _sentence_start_token(tk, i)
        lead = _sentence_lead(tk, s_lo, i, cues)
        subject = _forward_np(tk, lead, i, cues) if lead < i - 1 and words >= 3 else None
        if (
            subject
            and subject[1] < i
            and _is_cap(tk.raw[subject[0]])
            and (_looks_like_verb(tk, subject[1], cues))
        ):
            # "Huckabee called the program “worse than amnesty”": the subject and its verb.
            rows.append(
                _Row(
                    q.start,
                    q.end,
                    "partial",
                    _char_span(tk, subject),
                    _char_span(tk, (subject[1], subject[1] + 1)),
                    qi,
                )
            )
            quote_done.add(qi)
        elif words >= 5:
            # "Clinton touted her record. “We need …”": a quote opening a sentence goes on
            # from the sentence before it in its paragraph, whose subject is the speaker.
            speaker = None
            if lead == i or (lead == i - 1 and tk.in_quote[lead] >= 0):
                prev_lo = s_lo - 1
                if (
                    prev_lo >= 0
                    and tk.in_quote[prev_lo] < 0
                    and (
                        tk.para[prev_lo] == tk.para[i]
                        or (
                            tk.para[prev_lo] == tk.para[i] - 1
                            and _paragraph_is_quote(text, doc, q, tk, i)
                            and tk.low[prev_lo] in (".", ":")
                        )
                    )
                ):
                    # (or a paragraph that is all quote after one ending "Howard continued
                    # his scathing remarks.")
                    p_lo = _sentence_start_token(tk, prev_lo)
                    speaker = _clause_subject(tk, p_lo, prev_lo, cues)
            rows.append(_Row(q.start, q.end, "direct", _char_span(tk, speaker), None, qi))
            quote_done.add(qi)
    rows.sort(key=lambda r: (r.start, r.end))
    return rows


def _short_quote(tk: _Toks, quotes: list[QuoteSpan], qi: int) -> bool:
    """Whether quotation ``qi`` is a closed name or phrase of at most four words with no
    sentence end ("“Ted Cruz”"), which may sit inside an attribution."""
    q = quotes[qi]
    if q.close is None:
        return False
    words = tk.text[q.start : q.end].split()
    return len(words) <= 4 and not tk.text[q.start : q.end].rstrip().endswith((".", "?", "!", ","))


def _verb_after_quote(
    tk: _Toks, q: QuoteSpan, cues: Cues
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(speaker, verb) of '“…,” the nominee riffed' / '“…?” Kasich joked': a quotation that
    ends on a comma, question or exclamation mark, then a short subject and a past tense
    (a verb the cue list does not hold); None otherwise."""
    if q.close is None or tk.text[q.end - 1 : q.end] not in (",", "?", "!"):
        return None
    i = tk.first_at(q.close)
    if i >= len(tk.spans) or tk.para[i] != tk.para[tk.first_at(q.start)]:
        return None
    if not (_is_cap(tk.raw[i]) or tk.low[i] in _DETERMINERS or tk.low[i] in cues.pronouns):
        return None
    for m in range(i + 1, min(i + 8, len(tk.spans))):
        low = tk.low[m]
        if tk.sent[m] != tk.sent[i] or low in cues.openers or low in cues.between:
            return None
        if not _is_word(tk.raw[m]) and low not in ("-", "’s", "'s", "."):
            return None
        if low.endswith("ed") and len(low) > 4 and not _is_cap(tk.raw[m]):
            return (i, m), (m, m + 1)
    return None


def _in_poll(
    tk: _Toks,
    k: int,
    quotes: list[QuoteSpan],
    rows: list[_Row],
    quote_done: set[int],
    cues: Cues,
    cue_starts: set[int],
) -> None:
    """ "in a new CNN poll (released Monday)": the poll reports the rest of the clause."""
    s_lo, s_hi = tk.sent_bounds[tk.sent[k]]
    head = None
    for m in range(k + 1, min(k + 8, s_hi)):
        if (not _is_word(tk.raw[m]) and tk.low[m] not in ("-", "/", "’s", "'s")) or (
            tk.low[m] in cues.openers or tk.low[m].endswith("ing")
        ):
            break
        if tk.low[m] in cues.poll_heads:
            head = m
            break
    if head is None:
        return
    src_end = head + 1
    while src_end < s_hi and tk.low[src_end] in cues.poll_heads:
        src_end += 1
    lead = _sentence_lead(tk, s_lo, k, cues)
    if k == lead:
        c = src_end
        while c < s_hi and tk.low[c] != "," and c - src_end < 8:
            c += 1
        if c + 1 >= s_hi or tk.low[c] != ",":
            return
        content = (c + 1, _content_end(tk, c + 1, s_hi, cues, cue_starts))
    else:
        end = k
        if tk.low[k - 1] == ",":
            end = k - 1
        content = (lead, end)
    a, b = tk.spans[content[0]][0], tk.spans[max(content[0], content[1] - 1)][1]
    if any(r.start < b and r.end > a for r in rows):
        return  # already reported by someone ("Trump said he leads in every poll")
    speaker = (tk.spans[k + 1][0], tk.spans[src_end - 1][1])
    _emit(tk, quotes, rows, quote_done, content, speaker, _Cue(k, k + 1, "according_to", "in"), "")


def _source_phrase(tk: _Toks, start: int, end: int) -> tuple[int, int] | None:
    """The words up to the next comma or the sentence end ("according to state corporate
    records"), when the noun-phrase rules stop at once (a word that is also a cue)."""
    j = start
    while (
        j < end
        and j - start < 12
        and tk.low[j] not in (",", ";", ".", "(")
        and (tk.in_quote[j] < 0)
    ):
        j += 1
    return (start, j) if j > start and _is_word(tk.raw[start]) else None


def _headline_colon(
    text: str,
    tk: _Toks,
    si: int,
    quotes: list[QuoteSpan],
    rows: list[_Row],
    quote_done: set[int],
    cues: Cues,
) -> None:
    """A headline "Name: statement": the short capitalised name before the colon is the
    source of the words after it, unless it is a label ("The Latest:", "BREAKING:")."""
    s_lo, s_hi = tk.sent_bounds[si]
    colon = next((k for k in range(s_lo, s_hi) if tk.low[k] == ":"), None)
    if colon is None or colon == s_lo or colon + 1 >= s_hi:
        return
    left = [k for k in range(s_lo, colon) if tk.in_quote[k] < 0]
    words = [tk.raw[k] for k in left if _is_word(tk.raw[k])]
    if not words or len(words) > 4 or len(left) != colon - s_lo:
        return
    phrase = " ".join(w.lower() for w in words)
    if phrase in cues.headline_labels or any(
        w.lower() in cues.openers or w.lower() in _DETERMINERS for w in words
    ):
        return
    if not all(_is_cap(w) for w in words) or any(len(w) > 3 and w.isupper() for w in words):
        return  # "Bill is back:", "EXCLUSIVE:": not a source
    k = colon + 1
    if tk.in_quote[k] >= 0:
        return  # a quotation after the colon is attributed by pass 3
    content = (k, s_hi)
    speaker = _char_span(tk, (s_lo, colon))
    if _restated(text, speaker, tk.spans[k][0], tk.spans[s_hi - 1][1], rows):
        return
    cue = _Cue(colon, colon + 1, "headline", ":")
    _emit(tk, quotes, rows, quote_done, content, speaker, cue, "")


def _transcript_turn(
    tk: _Toks,
    si: int,
    quotes: list[QuoteSpan],
    rows: list[_Row],
    quote_done: set[int],
    cues: Cues,
) -> None:
    """A transcript turn "KATE BOULDUAN: Why not debate?" or "Q: …": a paragraph opened by a
    speaker's name in capitals (or Q and A) and a colon; the turn runs to the paragraph end."""
    s_lo, s_hi = tk.sent_bounds[si]
    colon = next((k for k in range(s_lo, min(s_hi, s_lo + 5)) if tk.low[k] == ":"), None)
    if colon is None or colon == s_lo or colon + 1 >= s_hi or tk.in_quote[colon + 1] >= 0:
        return
    words = [tk.raw[k] for k in range(s_lo, colon)]
    if not all(_is_word(w) and w.isupper() and w.isalpha() for w in words):
        return
    if " ".join(w.lower() for w in words) in cues.headline_labels:
        return  # "UPDATE:", "EXCLUSIVE:"
    end = s_hi
    while end < len(tk.low) and tk.para[end] == tk.para[s_lo]:
        end += 1
    speaker = _char_span(tk, (s_lo, colon))
    _emit(
        tk,
        quotes,
        rows,
        quote_done,
        (colon + 1, end),
        speaker,
        _Cue(colon, colon + 1, "headline", ":"),
        "",
    )


def _content_words(s: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[^\W\d_]{4,}", s.lower())}


def _restated(text: str, speaker: tuple[int, int], start: int, end: int, rows: list[_Row]) -> bool:
    """Whether a headline claim repeats one the story attributes to the same speaker
    ("Gallant: Attack creates opportunity …" over "Gallant said the attack creates an
    opportunity …"): the story's statement is counted, not the headline's summary of it."""
    name = text[speaker[0] : speaker[1]].split()[-1].lower()
    words = _content_words(text[start:end])
    for r in rows:
        if r.speaker_span is None or r.start < end:
            continue
        said_by = text[r.speaker_span[0] : r.speaker_span[1]].lower()
        if name in said_by.split() and len(words & _content_words(text[r.start : r.end])) >= 2:
            return True
    return False


def _emit(
    tk: _Toks,
    quotes: list[QuoteSpan],
    rows: list[_Row],
    quote_done: set[int],
    content: tuple[int, int],
    speaker: tuple[int, int] | None,
    c: _Cue,
    speaker_kind: str,
) -> bool:
    """Add the rows of one attribution (indirect, partial or direct); False if too short."""
    a, b = _trim(tk, *content)
    if a >= b:
        return False
    if _n_words(tk, a, b) < 2 and not _one_word_ok(tk, a, b, c):
        return False
    start, end = tk.spans[a][0], tk.spans[b - 1][1]
    for kind, qs, qe, qi in _classify_content(tk, quotes, start, end, a, b):
        rows.append(
            _Row(
                qs,
                qe,
                kind,
                speaker,
                _char_span(tk, (c.i, c.j)),
                qi,
                speaker_kind=speaker_kind,
                clause=_clause_of(kind, start, end, qs, qe),
            )
        )
        if qi >= 0:
            quote_done.add(qi)
    return True


def _one_word_ok(tk: _Toks, a: int, b: int, c: _Cue) -> bool:
    """Whether a one-word content is what was reported: the object of a speech act or nominal
    cue ("endorsed Clinton", "supported him", "thanked volunteers"), a relative pronoun or a
    passive subject ("a charge that she denied", "he was criticized"), or the first sentence of
    a longer quotation ('said, “Sure. I get that.”')."""
    low = tk.low[a]
    if b - a == 1 and (low in _RELATIVES or c.cls == "passive"):
        return True
    if tk.in_quote[a] >= 0 and _n_words(tk, a, b) == 1:
        return True
    if c.cls not in ("speech_act", "noun"):
        return False
    cues = load_cues()
    return (
        _is_cap(tk.raw[a])
        or low in ("him", "her", "them", "us", "me", "it", "this")
        or (
            b - a == 1
            and low not in cues.openers
            and low not in _DETERMINERS
            and low not in cues.pronouns
        )
    )


def _paragraph_is_quote(text: str, doc: Doc, q: QuoteSpan, tk: _Toks, i: int) -> bool:
    """Whether a quote makes up its whole paragraph (a quote continued from the one before)."""
    p_start, p_end = doc.paragraphs[tk.para[min(i, len(tk.para) - 1)]]
    return q.open <= p_start + 1 and (q.close or q.end) >= p_end - 2


def _title_case(quoted: str) -> bool:
    """Whether quoted words look like a title: most words capitalised, short function words
    aside ("Meet the Press", "Game of Thrones"), no full stop inside."""
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", quoted)]
    if not words or re.search(r"[.!?]\s+[A-Z]", quoted):
        return False
    main = [w for w in words if w.lower() not in _TITLE_SMALL_WORDS] or words
    caps = sum(1 for w in main if w[0].isupper())
    return len(words) >= 2 and caps / len(main) >= 0.7


#: words a title leaves in lower case
_TITLE_SMALL_WORDS = frozenset(
    ["a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with"]
)


def _looks_like_verb(tk: _Toks, i: int, cues: Cues) -> bool:
    """Whether token ``i`` may be the verb after a subject (a lower-case word, not a
    function word): no parser, so only the obvious non-verbs are excluded."""
    low = tk.low[i]
    return (
        _is_word(tk.raw[i])
        and not _is_cap(tk.raw[i])
        and low not in cues.openers
        and low not in _DETERMINERS
        and tk.in_quote[i] < 0
        and not low.endswith("ly")
    )


def _chars(tk: _Toks, rng: tuple[int, int]) -> tuple[int, int]:
    a, b = _trim(tk, *rng)
    if a >= b:
        a, b = rng
    return tk.spans[a][0], tk.spans[b - 1][1]


def _name_after_dash(tk: _Toks, lead: int, colon: int) -> tuple[int, int] | None:
    """The name between a dash and the colon before a quotation: a roundup's "HIGHER TURNOUT
    DOESN'T RAISE EXPECTATIONS - Michael P. McDonald: “…”" quotes the name, not the line's
    first words."""
    dash = next(
        (k for k in range(colon - 1, lead, -1) if tk.low[k] in _DASHES or tk.low[k] == "-"), None
    )
    if dash is None or colon - dash - 1 not in range(1, 7):
        return None
    words = [tk.raw[k] for k in range(dash + 1, colon)]
    if not words[0][0].isupper() or not all(
        w[0].isupper() or w in ("and", "of", "&") for w in words
    ):
        return None
    return (dash + 1, colon)


def _sentence_lead(tk: _Toks, s_lo: int, limit: int, cues: Cues) -> int:
    """Skip a sentence's opening conjunction or quote mark ("But according to …")."""
    k = s_lo
    while k < limit and (
        tk.low[k] in ("but", "and", "yet", "so", "still") or not _is_word(tk.raw[k])
    ):
        k += 1
    return k


def _clause_subject(tk: _Toks, s_lo: int, limit: int, cues: Cues) -> tuple[int, int] | None:
    """The subject of the clause a cue belongs to: the first noun phrase, at the sentence start
    or after a comma, that is a name or pronoun followed by a lower-case word."""
    starts = [_sentence_lead(tk, s_lo, limit, cues)]
    starts += [k + 1 for k in range(s_lo, limit) if tk.low[k] in (",", "—", "–", "--")]
    for k in starts:
        np = _forward_np(tk, k, limit, cues)
        if (
            np
            and np[1] < limit
            and (_is_cap(tk.raw[np[0]]) or tk.low[np[0]] in cues.pronouns or tk.low[np[0]] == "the")
            and _looks_like_verb(tk, np[1], cues)
            and tk.low[np[0]] not in cues.days
            and not tk.low[np[0]].endswith("ing")
            and not _time_phrase(tk, np, cues)
        ):
            return np
    return None


def _time_phrase(tk: _Toks, np: tuple[int, int], cues: Cues) -> bool:
    """Whether a phrase names a time ("Hours later,", "A day earlier,", "Last week"), not a
    subject: it ends on a time noun or is followed by "later", "earlier" or "ago"."""
    last = tk.low[np[1] - 1]
    nxt = tk.low[np[1]] if np[1] < len(tk.low) else ""
    return (
        last in cues.days
        or last in _TIME_NOUNS
        or last.rstrip("s") in ("hour", "minute", "day", "week", "month", "year", "decade")
        or nxt in ("later", "earlier", "ago")
    )


#: particles and prepositions that may follow a verb before its object ("stepped up his
#: attacks", "toned down her criticism")
_PARTICLES = frozenset(["up", "down", "out", "off", "on", "in", "over", "about", "of", "for"])

#: determiners that name who holds a stance ("his criticism of", "their support for")
_POSSESSIVES = frozenset(["his", "her", "their", "its", "our", "my", "your"])


def _subject_object_end(tk: _Toks, c: _Cue, s_lo: int, content: tuple[int, int]) -> int:
    """Where a nominal cue's object ends when the cue is part of its sentence's subject
    ("Trump's attack on Clinton | drew criticism"): at the sentence's first finite verb, which
    is the sentence's, not the object's; the end given otherwise."""
    if tk.low[c.j - 1] == "that":
        return content[1]  # ("his argument that the law was …": a clause, with its own verb)
    lead = _sentence_lead(tk, s_lo, c.i, load_cues())
    # (a learned content may run on into the next sentence: only the cue's is looked at)
    end = min(content[1], _sentence_end_token(tk, c.i))
    if end - content[0] < 2 or tk.sent[lead] != tk.sent[c.i] or not _tags(tk, lead, end):
        return content[1]
    if any(
        tk.tags[m].startswith(("VB", "MD")) and tk.low[m] not in ("’s", "'s")
        for m in range(lead, c.i)
    ):
        return content[1]  # (a verb before the cue: "Carson made a bizarre attack on …")
    verb = next(
        (
            m
            for m in range(content[0] + 1, end)
            if tk.tags[m] in ("VBD", "VBZ", "VBP", "MD") and tk.in_quote[m] < 0
        ),
        None,
    )
    return verb if verb is not None else content[1]


def _noun_or_hedge(
    tk: _Toks, c: _Cue, s_lo: int, s_hi: int, cues: Cues, cue_starts: set[int]
) -> tuple[tuple[int, int], tuple[int, int] | None] | None:
    """(content, speaker characters) of a nominal cue or a hedge, or None.

    A ``noun`` cue ("criticism of", "support for", "questions about") reports its object,
    held by the possessor before it ("Trump's criticism of", "his support for") or by the
    subject of the verb that governs it ("Trump voiced support for", "Carson had made a
    bizarre attack on"). A ``hedge`` ("seemed to", "is
    expected to") reports its subject and what follows: "The closures appear to have brought
    some stability" is one row, from the subject on, with no speaker (the writer's own
    judgement or an unnamed expectation), but a named subject of "seem" or "appear" holds it
    ("Rubio seemed to urge …").
    """
    if c.cls == "hedge":
        # ("Mr. Trump's voters also appeared to …": past the adverbs before the hedge)
        subject = _backward_np(tk, _skip_between(tk, c.i, s_lo, cues), s_lo, cues)
        if subject is None or c.j >= s_hi or tk.in_quote[c.j] >= 0:
            return None
        end = _content_end(tk, c.j, s_hi, cues, cue_starts)
        if _n_words(tk, c.j, end) < 1 or any(m in cue_starts for m in range(end, s_hi)):
            return None  # "…, officials said": the statement has a source after all
        first = subject[0]
        if tk.low[first] in _DETERMINERS and first + 1 < subject[1]:
            first += 1  # ("the Republican seemed to …")
        if (
            c.lemma.startswith(("seem", "appear"))
            and _tags(tk, first, first + 1)
            and (tk.low[first] in cues.pronouns or tk.tags[first].startswith("NNP"))
        ):
            # "Rubio seemed to urge …", "She appeared to imply …": a named subject is the one
            # who seems to say or hold it (a thing, "Turnout seemed to favour", holds nothing)
            return (subject[0], end), _char_span(tk, subject)
        return (subject[0], end), None
    k = c.j
    if k >= s_hi or (not _is_word(tk.raw[k]) and tk.in_quote[k] < 0):
        return None
    # ("voted against the plan, and tenants voiced …": the object ends at the new clause)
    content = _object_only(tk, (k, _content_end(tk, k, s_hi, cues, cue_starts)), cues)
    content = (content[0], _subject_object_end(tk, c, s_lo, content))
    before = c.i - 1
    # "his populist attacks on", "Trump's early support for": the possessor, past adjectives
    while (
        before > s_lo
        and c.i - before <= 3
        and _is_word(tk.raw[before])
        and not _is_cap(tk.raw[before])
        and tk.low[before] not in _POSSESSIVES
        and tk.low[before] not in _DETERMINERS
        and tk.low[before] not in cues.openers
        and tk.low[before] not in cues.forms
    ):
        before -= 1
    speaker: tuple[int, int] | None = None
    verb = None
    if before >= s_lo and tk.low[before] in _POSSESSIVES:
        speaker = (before, before + 1)
        v = before - 1
        while v > s_lo and (tk.low[v] in _PARTICLES or tk.low[v].endswith("ly")):
            v -= 1
        low = tk.low[v] if v >= s_lo else ""
        if (
            tk.raw[v].islower()
            and low not in cues.openers
            and low not in _PARTICLES
            and (low.endswith(("ed", "s", "ing")) or low in cues.forms)
        ):
            # "Trump ratcheted up his attacks on", "she escalated her attacks on": the
            # subject of the verb whose object the possessive opens holds the stance
            subject = _speaker_before(tk, _Cue(v, v + 1, "speech", ""), s_lo, cues)
            if subject is not None and (
                _is_cap(tk.raw[subject[0]]) or tk.low[subject[0]] in cues.pronouns
            ):
                speaker = subject
    elif before > s_lo and tk.low[before] in ("’s", "'s"):
        speaker = _backward_np(tk, before, s_lo, cues)
    else:
        verb = _governing_verb(tk, c, s_lo)
    if verb is not None:
        # "Carson had made a bizarre attack on", "activists who raised concerns about",
        # "he lashed out at", "were confident that": the subject of the verb that governs
        # the noun (or of the cue itself when it is a verb or a predicate adjective)
        speaker = _speaker_before(tk, _Cue(verb, verb + 1, "speech", ""), s_lo, cues)
        if speaker is not None and tk.low[speaker[0]] in cues.days:
            speaker = None
    if speaker is None and not (
        before >= s_lo and (tk.low[before] in _POSSESSIVES or tk.low[before] in ("’s", "'s"))
    ):
        # The subject of the clause ("Clinton also made a reference to"), else the phrase
        # before the cue or before the verb (and article) that governs the noun ("super PACs
        # sided with", "Le Pen, …, voiced support for").
        speaker = _clause_subject(tk, s_lo, c.i, cues)
        for k in range(c.i, max(s_lo, c.i - 3), -1) if speaker is None else ():
            np = _speaker_before(tk, _Cue(k, k + 1, "speech", ""), s_lo, cues)
            if np is None or tk.low[np[1] - 1] in _DETERMINERS:
                continue
            first, last = tk.low[np[0]], tk.low[np[1] - 1]
            if (
                _is_cap(tk.raw[np[0]])
                or first in cues.pronouns
                or first in _DETERMINERS
                or (last.endswith("s") and not last.endswith("ss"))
            ):
                speaker = np
                break
        speaker = speaker or _any_subject(tk, s_lo, c.i, cues)
    return content, _char_span(tk, speaker)


#: tags that may stand inside a noun phrase between its verb and its head noun
_NP_TAGS = ("DT", "JJ", "RB", "CD", "NN", "PDT", "VBG", "VBN")


@cache
def _tagger() -> Callable[[list[str]], list[str]] | None:
    """:func:`presslab.tagger.pos_tag` when its model loads, else None (word rules alone)."""
    try:
        from presslab.tagger import pos_tag

        pos_tag(["He", "said", "so", "."])
    except Exception:  # (the optional model missing)
        return None
    return pos_tag


def _tags(tk: _Toks, lo: int, hi: int) -> bool:
    """Tag tokens ``lo:hi`` (clipped to the sentence of token ``hi - 1``) into ``tk.tags``;
    False without a tagger.

    Only the few places the rules ask about are tagged, a window at a time: the model costs
    about 8 µs a token, more than the rest of the quote rules on most sentences."""
    tagger = _tagger()
    if tagger is None:
        return False
    s_lo, s_hi = tk.sent_bounds[tk.sent[hi - 1]]
    lo, hi = max(lo, s_lo), min(hi, s_hi)
    if any(k not in tk.tags for k in range(lo, hi)):
        # (a little context either side: the tag of a word depends on its neighbours)
        a, b = max(s_lo, lo - 1), min(s_hi, hi + 1)
        for k, tag in zip(range(a, b), tagger(tk.raw[a:b]), strict=True):
            tk.tags.setdefault(k, tag)
    return True


def _governing_verb(tk: _Toks, c: _Cue, s_lo: int) -> int | None:
    """The verb a nominal cue depends on: the cue's own first word when it is a verb or an
    adjective after a copula ("lashed out at", "are confident that"), else the verb before
    its noun phrase ("made a bizarre attack on", "raised concerns about"); None when the
    noun phrase follows a preposition or opens the clause."""
    k = _skip_between(tk, c.i, s_lo, load_cues()) - 1  # (load_cues is cached)
    if k >= s_lo and (_is_cap(tk.raw[k]) or tk.low[k] in _PRONOUN_SUBJECTS | {"they", "we"}):
        return c.i  # "Cruz voted for", "he lashed out at": the cue is the verb (no tagging)
    first = tk.low[c.i]
    if first.endswith("ed") or first in ("sought", "seen", "known", "thought", "said", "wrote"):
        return c.i  # "sought to", "voted for", "known as": the cue opens with a verb
    if not _tags(tk, c.i - 6, c.i + 1):
        return None
    tags = tk.tags
    first = tags[c.i]
    if first.startswith("VB") and first != "VBG":
        return c.i
    k = c.i - 1
    while k >= s_lo and c.i - k <= 6:
        tag = tags[k]
        if tag.startswith("VB") or tag == "MD":
            if tag in ("VBG", "VBN") and k > s_lo and tags[k - 1].startswith(("DT", "JJ")):
                k -= 1  # "a growing concern about": a participle inside the noun phrase
                continue
            return k if tag != "VBG" or tk.low[k - 1] in ("is", "are", "was", "were") else None
        if tag.startswith(_NP_TAGS) or (tk.low[k] in (",", "-", "and") and k != c.i - 1):
            if tag.startswith("NNP") or tk.in_quote[k] >= 0:
                return None  # a name before the noun is its holder, left to the rules below
            k -= 1
            continue
        return None
    return None


#: relative pronouns that may stand for the object of a cue ("the plan, which Sanders supports")
_RELATIVES = frozenset(["which", "that", "whom", "what"])
#: words after a cue that show it has no object of its own (its object is a relative pronoun)
_NO_OBJECT_AFTER = frozenset([".", ",", ";", ")", "—", "–", "--", "?", "!"])


def _in_relative_aside(tk: _Toks, head: int, i: int) -> bool:
    """Whether token ``i`` is inside a relative clause set off by commas after ``head``
    ("Warren, who has not endorsed a candidate, told …")."""
    for k in range(i - 1, head, -1):
        if tk.low[k] == ",":
            return False
        if tk.low[k] in ("who", "which") and tk.low[k - 1] == ",":
            return True
    return False


def _as_aside(tk: _Toks, speaker: tuple[int, int] | None, s_lo: int) -> tuple[int, int] | None:
    """The clause an aside "…, as she said, …" comments on: from the clause start (the sentence
    start or the last dash, colon or semicolon) to the comma before "as"; None otherwise."""
    if speaker is None or speaker[0] - 2 < s_lo or tk.low[speaker[0] - 1] != "as":
        return None
    comma = speaker[0] - 2
    if tk.low[comma] not in (",", "—", "–", "--"):
        return None
    start = comma
    while start > s_lo and tk.low[start - 1] not in ("—", "–", "--", ";", ":"):
        start -= 1
    return (start, comma) if _n_words(tk, start, comma) >= 3 else None


def _may_nest(tk: _Toks, c: _Cue, cues: Cues) -> bool:
    """Whether a cue inside another reported clause still reports a clause of its own there
    (``nested_cues``: "said", "think")."""
    return " ".join(tk.low[c.i : c.j]) in cues.nested_cues


def _nested_in(tk: _Toks, rows: list[_Row], i: int) -> bool:
    """Whether token ``i`` is inside the reported clause of a row (not a direct quote)."""
    return any(r.kind != "direct" and r.start <= tk.spans[i][0] < r.end for r in rows)


def _passive(
    tk: _Toks,
    quotes: list[QuoteSpan],
    rows: list[_Row],
    quote_done: set[int],
    c: _Cue,
    s_lo: int,
    s_hi: int,
    cues: Cues,
) -> None:
    """A passive cue reports its subject ("The proposal was widely criticized by Democrats",
    "Smith, who was nominated in May"); the agent after "by", when there is one, holds it."""
    end = _skip_between(tk, c.passive, s_lo, cues)
    subject = _backward_np(tk, end, s_lo, cues)
    if subject is None:
        return
    speaker = None
    # ("was supported Friday by Sen. Feinstein", "is viewed more positively by Republicans")
    for m in range(c.j, min(c.j + 10, s_hi - 1)):
        if tk.low[m] in (",", ";", ".", "that", "—") or tk.in_quote[m] >= 0:
            break
        if tk.low[m] == "by":
            speaker = _forward_np(tk, m + 1, s_hi, cues)
            break
    _emit(
        tk,
        quotes,
        rows,
        quote_done,
        subject,
        _char_span(tk, speaker),
        _Cue(c.i, c.j, "passive", c.lemma, c.passive),
        "",
    )


def _relative_gap(
    tk: _Toks, c: _Cue, s_lo: int, s_hi: int, cues: Cues
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(content, speaker) of a cue whose object is a relative pronoun before its subject: "a
    charge that Mrs. Clinton has always denied", "the plan, which Sanders also supports", "what
    Clinton is promising" (the pronoun is the content, the subject the source), else None."""
    if c.cls in ("noun", "hedge", "according_to", "quote_only") or c.j - c.i > 1:
        return None
    k = c.j
    while k < s_hi and tk.low[k].endswith("ly") and not _is_cap(tk.raw[k]):
        k += 1
    if k < s_hi and (
        tk.low[k] not in _NO_OBJECT_AFTER
        or (k + 1 < s_hi and (tk.in_quote[k + 1] >= 0 or k + 1 in tk.cue_tokens))
    ):
        return None  # ("in which he declares, “…”": the quotation is the object)
    subject = _speaker_before(tk, c, s_lo, cues)
    if subject is None or subject[1] - subject[0] > 6:
        return None
    rel = subject[0] - 1
    if rel < s_lo or tk.low[rel] not in _RELATIVES or tk.in_quote[rel] >= 0:
        return None
    if tk.low[rel] == "that" and (rel == s_lo or not _is_word(tk.raw[rel - 1])):
        return None
    if tk.low[subject[0]] in _RELATIVES or tk.low[subject[0]] == "who":
        return None
    return (rel, rel + 1), subject


def _purpose_clause(tk: _Toks, i: int, s_lo: int, cues: Cues) -> bool:
    """Whether the cue at ``i`` is an infinitive of purpose after an adverbial ("will meet on
    Tuesday to discuss the budget"), not a verb chain ("continued to question")."""
    if i - 2 < s_lo or tk.low[i - 1] != "to":
        return False
    prev = tk.raw[i - 2]
    return tk.low[i - 2] in cues.days or not _is_word(prev) or _is_cap(prev)


def _any_subject(tk: _Toks, s_lo: int, limit: int, cues: Cues) -> tuple[int, int] | None:
    """The noun phrase opening the clause of a cue in a verb chain ("a clutch of independent
    groups scrambled to … deny", "Advisers to Mr. Rubio are quick to point out"), when it
    is no name or pronoun: the nearest clause start (sentence start or after a comma)
    whose first phrase is followed by a verb."""
    starts = [k + 1 for k in range(s_lo, limit) if tk.low[k] in (",", "—", "–", "--")]
    starts = [*reversed(starts), _sentence_lead(tk, s_lo, limit, cues)]
    for k in starts:
        if k >= limit or (tk.low[k] in cues.openers and tk.low[k] not in _DETERMINERS):
            continue
        np = _forward_np(tk, k, limit, cues)
        if (
            np
            and np[1] < limit
            and (_looks_like_verb(tk, np[1], cues) or tk.low[np[1]] in cues.between)
            and tk.low[np[0]] not in cues.days
            and not tk.low[np[0]].endswith("ing")
            and not _time_phrase(tk, np, cues)
        ):
            return np
    return None


def _object_control(tk: _Toks, c: _Cue, s_lo: int, cues: Cues) -> tuple[int, int] | None:
    """The object of "led some allies to worry", "allows him to call for": a verb of
    causing (``object_control`` in the cue data), its object, "to" and the cue; else None."""
    if c.i - 2 < s_lo or tk.low[c.i - 1] != "to":
        return None
    np = _backward_np(tk, c.i - 1, s_lo, cues) or (c.i - 2, c.i - 1)
    # (the phrase found backwards may run over the verb: "has led some allies")
    verb = next(
        (k for k in range(np[1] - 2, np[0] - 2, -1) if tk.low[k] in cues.object_control), -1
    )
    if verb < s_lo or not _is_word(tk.raw[verb + 1]):
        return None
    return (verb + 1, np[1])


def _no_subject(tk: _Toks, np: tuple[int, int], cues: Cues) -> bool:
    """Whether a phrase found before a cue ends on a verb or a number ("has avoided", "in
    2012"): a past form or a cue word in lower case, or digits."""
    word = tk.raw[np[1] - 1]
    return word[:1].isdigit() or (
        word.islower() and (word.endswith("ed") or word in cues.forms or word in _PARTICIPLES)
    )


def _finite_subject(tk: _Toks, s_lo: int, limit: int, cues: Cues) -> tuple[int, int] | None:
    """The subject of the finite clause before ``limit``: at the nearest clause start (after a
    comma or dash, else the sentence start), a name, pronoun or determiner phrase followed by
    an auxiliary or a verb ("Trump has avoided …", "the president would have …")."""
    starts = [k + 1 for k in range(s_lo, limit) if tk.low[k] in (",", "—", "–", "--", ";")]
    tagged = None
    for k in [*reversed(starts), s_lo]:
        k = _sentence_lead(tk, k, limit, cues)  # (past "but", "and")
        if k >= limit:
            continue
        np = _forward_np(tk, k, limit, cues)
        if (
            np is not None
            and np[1] < limit
            and (_is_cap(tk.raw[np[0]]) or tk.low[np[0]] in cues.pronouns)
            and tk.low[np[1]] in _PASSIVE_AUX | {"has", "have", "had", "will", "would"}
        ):
            return np  # "Trump has …", "she was …": plain enough without the tagger
        if tagged is None:
            tagged = _tags(tk, s_lo, limit)
        if np is not None and tagged:
            # ("the senator returned to …": a lower-case phrase runs on into its verb)
            cut = next(
                (x for x in range(np[0] + 1, np[1]) if tk.tags[x].startswith(("VB", "MD"))), None
            )
            if cut is not None:
                np = (np[0], cut)
        if np is None or np[1] >= limit:
            continue
        first = tk.low[np[0]]
        if not (_is_cap(tk.raw[np[0]]) or first in cues.pronouns or first in _DETERMINERS):
            continue
        if first in cues.days or (first.endswith("ing") and not _is_cap(tk.raw[np[0]])):
            continue
        if _time_phrase(tk, np, cues):
            continue
        m = np[1]
        if tk.low[m] == "(":
            # "Sen. Bernie Sanders (I-Vt.) defended …": past the party label
            m = next((x + 1 for x in range(m, min(m + 8, limit)) if tk.low[x] == ")"), limit)
        while m < limit and (tk.low[m] in cues.between or tk.low[m].endswith("ly")):
            m += 1
        if m >= limit:
            continue
        if tagged:
            # (the tagger tells "the current GOP front-runner," from "Trump went")
            if tk.tags[m].startswith(("VB", "MD")) or (
                m > np[1] and tk.tags[np[1]].startswith(("VB", "MD"))
            ):
                return np
        elif (m > np[1] and tk.low[np[1]] in _PASSIVE_AUX | cues.between) or _looks_like_verb(
            tk, m, cues
        ):
            return np
    return None


def _reports(tk: _Toks, content: tuple[int, int]) -> bool:
    """Whether a clause after a cue reports speech: opened by "that" or holding a quotation."""
    a, b = content
    return (a > 0 and tk.low[a - 1] == "that") or any(tk.in_quote[k] >= 0 for k in range(a, b))


def _reports_or_object(tk: _Toks, c: _Cue, content: tuple[int, int]) -> bool:
    """Whether a speech act's clause is what was said: a that-clause or quotation, or the
    object right after the cue ("endorsed Cruz", "accused him of lying", "declined to
    comment") -- PolNeAR-style attributions count the object of praise or blame too.
    An object that is itself a nominal cue ("voiced support for", "renewed her criticism
    of") is left to that cue, which reports its own object."""
    if any(k in tk.noun_starts for k in range(content[0], content[0] + 3)):
        return False
    return _reports(tk, content) or content[0] <= c.j + 1


def _speech_act_content(
    tk: _Toks, c: _Cue, content: tuple[int, int], cues: Cues
) -> tuple[int, int] | None:
    """The content a cue reports: a speech act's only when :func:`_reports_or_object` accepts
    it, and then without a trailing time or place (:func:`_object_only`); None to skip it."""
    if c.cls != "speech_act":
        return content
    if not _reports_or_object(tk, c, content):
        return None
    return _object_only(tk, content, cues)


def _object_only(tk: _Toks, content: tuple[int, int], cues: Cues) -> tuple[int, int]:
    """A plain object without the time or place phrase after it ("praised the governor's
    record | at a rally on Friday"); a that-clause or quotation is kept whole."""
    a, b = content
    if _reports(tk, content):
        return content
    for k in range(a + 1, b):
        low = tk.low[k]
        if (
            low == ","
            and k + 1 < b
            and (tk.low[k + 1] in ("and", "but") or tk.low[k + 1] in _CLAUSE_BREAK)
            and tk.in_quote[k] < 0
        ):
            return (a, k)  # "praised the clinic, and nurses sided with her": a new clause
        if (
            low in cues.days
            or low in ("at", "during", "while", "when", "after", "before", "amid")
            or (low == "on" and k + 1 < b and tk.low[k + 1] in cues.days)
        ) and tk.in_quote[k] < 0:
            return (a, k)
    return content


def _aside_follows(tk: _Toks, i: int, end: int) -> bool:
    """ ", touring the battery" / ", according to …" / ", who …": no clause follows the cue."""
    if i + 1 >= end or tk.low[i] != ",":
        return False
    nxt = tk.low[i + 1]
    return nxt.endswith("ing") or nxt in (
        "according",
        "who",
        "as",
        "while",
        "after",
        "before",
        "when",
        "in",
        "on",
        "at",
        "during",
        "citing",
    )


def _is_terminal_or_comma(tk: _Toks, i: int, end: int) -> bool:
    return (
        i >= end
        or tk.low[i] in (",", ".", "!", "?", ";", ":", "—", "(")
        or (tk.low[i] in ("in", "on", "at", "during", "who", "according", "adding", "noting"))
    )


def _backward_content(tk: _Toks, s_lo: int, end: int) -> tuple[int, int] | None:
    a = s_lo
    b = end
    while b > a and not _is_word(tk.raw[b - 1]) and tk.in_quote[b - 1] < 0:
        b -= 1
    return (a, b) if b > a else None


def _quoted_title_at(tk: _Toks, m: int) -> bool:
    """Whether token ``m`` lies in a quotation that is a title of a few words."""
    qi = tk.in_quote[m]
    lo, hi = m, m
    while lo > 0 and tk.in_quote[lo - 1] == qi:
        lo -= 1
    while hi < len(tk.low) and tk.in_quote[hi] == qi:
        hi += 1
    return hi - lo <= 8 and _title_case(tk.text[tk.spans[lo][0] : tk.spans[hi - 1][1]])


def _forward_content(
    tk: _Toks, c: _Cue, s_hi: int, cues: Cues, cue_starts: set[int]
) -> tuple[int, int] | None:
    k = c.j
    lemma = c.lemma
    if (
        k < s_hi
        and lemma in _OBJECT_VERBS
        and tk.low[k] not in ("that", ",", ":")
        and (tk.in_quote[k] < 0)
    ):
        np = _forward_np(tk, k, s_hi, cues)
        # (an "addressee" that runs to the sentence end is the object; in a headline
        # "Sanders Promises Action On Immigration" capitals tell no names)
        if np is not None and (
            _is_terminal(tk, np[1], s_hi)
            or (lemma not in ("tell", "ask") and _title_case_sentence(tk, c.i))
        ):
            np = None
        if np is not None and not (
            np[1] - np[0] == 1
            and tk.low[np[0]] in cues.pronouns
            and lemma not in ("tell", "ask", "assure", "inform", "remind")
        ):
            k = _skip_title(tk, np[1], s_hi)
    k = _skip_adverbials(tk, k, s_hi, cues)
    # "said on Sunday in an interview with CNN that …": jump to a nearby "that".
    for m in range(k, min(k + 10, s_hi)):
        if m in tk.cue_tokens:
            break  # "describes himself as X and has said that …": that clause is not ours
        if tk.low[m] in cues.pronouns:
            break  # "says he introduced legislation to accomplish that": a clause began
        if tk.low[m] == "that" and tk.in_quote[m] < 0:
            if all(tk.low[x] not in (",", ";") or x == k for x in range(k, m)) and (
                _n_words(tk, m + 1, s_hi) >= 2
            ):
                k = m + 1
            break
        if tk.in_quote[m] >= 0 and _quoted_title_at(tk, m):
            continue  # ("said on “Face the Nation” that …": a programme's name)
        if tk.in_quote[m] >= 0 or tk.low[m] in (",", ";", ":"):
            break
    while k < s_hi and (
        tk.low[k] in (",", ":", "that")
        or (tk.low[k].endswith("ly") and not _is_cap(tk.raw[k]) and len(tk.low[k]) > 3)
    ):
        k += 1  # "said flatly that", "said matter-of-factly"
    if k < s_hi and tk.low[k] in _NOT_A_CLAUSE and tk.low[k - 1] != "that":
        # 'said in an op-ed before a Senate hearing, “…”': the quotation after the aside
        for m in range(k + 1, min(k + 20, s_hi - 1)):
            if tk.in_quote[m] >= 0:
                break
            if tk.low[m] in (",", ":") and tk.in_quote[m + 1] >= 0:
                k = m + 1
                break
    if k >= s_hi or (tk.low[k] in _NOT_A_CLAUSE and tk.low[k - 1] != "that"):
        # "reported by BuzzFeed", "commented for this column": no reported clause (but
        # "says that after the attacks, …" is one)
        return None
    end = _content_end(tk, k, s_hi, cues, cue_starts)
    return (k, end) if end > k else None


def _clause_of(kind: str, start: int, end: int, qs: int, qe: int) -> tuple[int, int] | None:
    """A partial quote's clause: the reported clause that holds it, and the quotation when it
    runs on past the clause (None for other rows: their clause is their own span)."""
    return (min(start, qs), max(end, qe)) if kind == "partial" else None


def _classify_content(
    tk: _Toks, quotes: list[QuoteSpan], start: int, end: int, a: int, b: int
) -> list[tuple[str, int, int, int]]:
    """Turn a reported clause into rows: direct (all quoted), partial quotes, or indirect."""
    inside = sorted({tk.in_quote[k] for k in range(a, b) if tk.in_quote[k] >= 0})
    if inside and _n_words(tk, a, b) > 6:
        # A title inside a reported clause ("said on CNN’s “New Day” that …") is no quotation
        # of the speaker: the clause is reported in the writer's words.
        text = tk.text
        inside = [qi for qi in inside if not _title_case(text[quotes[qi].start : quotes[qi].end])]
    if not inside:
        return [("indirect", start, end, -1)]
    # Whole clause quoted: "Trump said: “We will win.”" (the quote may run past the sentence).
    first = quotes[inside[0]]
    outside_words = sum(
        1 for k in range(a, b) if tk.in_quote[k] < 0 and _is_word(tk.raw[k]) and tk.low[k] != "that"
    )
    if len(inside) == 1 and outside_words == 0 and first.open <= start + 6:
        return [("direct", first.start, first.end, inside[0])]
    return [("partial", quotes[qi].start, quotes[qi].end, qi) for qi in inside]


# ---------------------------------------------------------------------------------------------
# Speakers: from a span in the text to an actor


def slug(name: str) -> str:
    """A deterministic actor id from a name ("Yoav Gallant" -> "yoav-gallant").

    >>> slug("Daniel Hagari")
    'daniel-hagari'
    """
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


#: a capitalised word of a name: "Gallant", "O’Brien", "Mrs.", "W.", "U.S." (not "TEXT." or
#: "Trump." ending a sentence); words are joined by spaces only, never across lines
_NAME_WORD = r"(?:[A-Z][a-z]{0,3}\.|(?:[A-Z]\.)+|[A-Z][\w’'-]*)"
_NAME_RE = re.compile(r"\b(?:" + _NAME_WORD + r" +){1,5}[A-Z][\w’'-]+")
#: the name ending right before a relative "who" (", who" or " who")
_BEFORE_WHO_RE = re.compile(r"((?:" + _NAME_WORD + r" +){0,4}[A-Z][\w’'-]+) *,?$")
_POSSESSIVE = re.compile(r"(?:['’]s?)$")
#: what follows a role in :meth:`_Resolver.by_title`: "the defense minister Yoav Gallant"
_TITLED_NAME_RE = re.compile(r" +((?:" + _NAME_WORD + r" +){0,3}[A-Z][\w’'-]+)")


#: one to four name words before a name, in :meth:`_Resolver.full_name`
_NAME_RUN_RE = re.compile(r"(?:" + _NAME_WORD + r" +){1,4}")
_CAPITAL_RE = re.compile(r"[A-Z]")


@lru_cache(maxsize=4096)
def _at_name_re(name: str) -> re.Pattern[str]:
    """Where ``name`` starts, followed by a word boundary (every start, even overlapping)."""
    return re.compile(r"(?=" + re.escape(name) + r"\b)")


def _name_runs(text: str, name: str) -> list[str]:
    """The texts of ``re.finditer(r"((?:" + _NAME_WORD + r" +){1,4})" + re.escape(name) +
    r"\b", text)``, without compiling that pattern for each name (~0.15 ms a compile).

    A name word ends at the first space after it, so from a start the one to four words end at
    fixed places and the pattern matches at the last of them followed by the name. The leftmost
    start is found at the first place of the name with any start before it (a start before a
    later place of the name, and before this one, would also reach this one: the name is
    preceded by spaces, so it begins a word); a start lies at most four space-separated chunks
    before the name. After a hit, the search goes on from its end, as ``finditer`` does.
    """
    places = [m.start() for m in _at_name_re(name).finditer(text)]
    runs: list[str] = []
    pos = 0
    for k, at in enumerate(places):
        if at <= pos or text[at - 1] != " ":
            continue
        lo = at
        for _ in range(4):
            while lo > 0 and text[lo - 1] == " ":
                lo -= 1
            lo = text.rfind(" ", 0, lo) + 1
        start = next(
            (
                c.start()
                for c in _CAPITAL_RE.finditer(text, max(lo, pos), at)
                if _NAME_RUN_RE.fullmatch(text, c.start(), at)
            ),
            None,
        )
        if start is None:
            continue
        # From that start the pattern takes the most words it can: the last place of the name
        # the longest run of words reaches.
        reach = _NAME_RUN_RE.match(text, start).end()  # type: ignore[union-attr]
        end = max(e for e in places[k:] if e <= reach and _NAME_RUN_RE.fullmatch(text, start, e))
        pos = end + len(name)
        runs.append(text[start:pos])
    return runs


@lru_cache(maxsize=4096)
def _phrase_re(phrase: str) -> re.Pattern[str]:
    """A role phrase, any case (kept across articles: "the company" recurs)."""
    return re.compile(r"(?i:" + phrase + r")")


def _clean_name(surface: str) -> str:
    words = surface.split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    out = " ".join(words)
    return _POSSESSIVE.sub("", out).strip(" ,")


#: the honorifics a name follows ("Mr. King", "Miss Smith")
_NAME_OPENERS = HONORIFICS | PERSON_HONORIFICS


def _strip_titles(name: str, cues: Cues) -> str:
    """A person's name without the role before it ("Israeli Defense Minister Yoav Gallant" ->
    "Yoav Gallant"); organisations ("the Defense Ministry") are kept whole."""
    words = name.split()
    if not words or words[-1].lower().strip(".,") in cues.org_heads:
        return name
    honorific = max(
        (k for k, w in enumerate(words[:-1]) if w.lower() in _NAME_OPENERS),
        default=-1,
    )
    if honorific >= 0 and all(w[:1].isupper() for w in words[honorific + 1 :]):
        # "Mr. King", "Ms. Grace Lee": what follows the honorific is the name, even a word that
        # is a title elsewhere ("King", "Major")
        return " ".join(words[honorific + 1 :])
    titles = cues.titles
    last_title = max(
        (
            k
            for k, w in enumerate(words)
            if w.lower() in titles or w.lower().rstrip(".") + "." in titles
        ),
        default=-1,
    )
    rest = words[last_title + 1 :]
    if rest and all(w[:1].isupper() for w in rest):
        return " ".join(rest)
    return name


@dataclass
class _Resolver:
    article: Article
    mentions: pd.DataFrame
    cues: Cues
    names: dict[str, str] = field(default_factory=dict)  # actor_id -> best name

    def __post_init__(self) -> None:
        self._words: dict[str, list[str]] | None = None  # actor_id -> words around it
        self._genders: dict[str, str | None] = {}
        self._starts: list[int] = []
        self._longest = 0
        self._by_start = False
        self._title_hits: dict[str, list[tuple[int, str]]] = {}  # phrase -> (start, name)
        self._full_names: dict[str, str] = {}  # surname -> full name
        m = self.mentions
        # Plain tuples for the lookups below: they run once per cue, and filtering a
        # DataFrame each time cost more than all the rest of quote extraction.
        self._spans: list[tuple[int, int, str, str, str, str]] = []
        if m is not None and len(m):
            # Each column taken out once, as a list (what iterating the column gives): a
            # column lookup builds a Series, and iterating one is slower than a list.
            kinds, actor_ids, surfaces = (
                m["kind"].tolist(),
                m["actor_id"].tolist(),
                m["surface"].tolist(),
            )
            self._spans = [
                (int(a), int(b), str(k), str(t), str(i), str(sf))
                for a, b, k, t, i, sf in zip(
                    m["start"].tolist(),
                    m["end"].tolist(),
                    kinds,
                    m["type"].tolist(),
                    actor_ids,
                    surfaces,
                    strict=True,
                )
                if str(k) != "credit"
            ]
            self._starts = [span[0] for span in self._spans]
            self._longest = max((span[1] - span[0] for span in self._spans), default=0)
            self._by_start = all(a <= b for a, b in itertools.pairwise(self._starts))
            # The actors module names each mention's actor; else the longest name used.
            # (Plain lists again: a pandas groupby here cost a third of the stage.)
            given_names = m["name"].tolist() if "name" in m else [None] * len(m)
            groups: dict[object, list[tuple[object, str, str]]] = {}
            for aid, name, k, sf in zip(actor_ids, given_names, kinds, surfaces, strict=True):
                if not pd.isna(aid):
                    groups.setdefault(aid, []).append((name, k, sf))
            for aid in sorted(groups, key=str):
                rows = groups[aid]
                given = next((name for name, _, _ in rows if not pd.isna(name)), None)
                if given is not None:
                    self.names[str(aid)] = str(given)
                    continue
                pool = [str(sf) for _, k, sf in rows if k == "name"] or [
                    str(sf) for _, _, sf in rows
                ]
                self.names[str(aid)] = _clean_name(max(pool, key=len))

    def mention_at(self, s: int, e: int) -> tuple[str, str, str] | None:
        """(actor_id, name, type) of the mention overlapping s:e most, or None."""
        # The head of "Israel Defense Forces Spokesperson Rear Adm. Daniel Hagari" is the
        # person at its end: prefer people, then the mention that ends last, then the longest
        # (on a full tie, the later row).
        best, best_key = None, None
        candidates = self._spans
        if self._by_start:
            # (only mentions starting before ``e`` and at most the longest mention's length
            # before ``s`` can overlap it: the same candidates in the same order)
            lo = bisect.bisect_left(self._starts, s - self._longest)
            candidates = self._spans[lo : bisect.bisect_left(self._starts, e)]
        for span in candidates:
            start, end, _, kind_type, _, _ = span
            if start < e and end > s:
                key = (kind_type == "person", end, end - start)
                if best_key is None or key >= best_key:
                    best, best_key = span, key
        if best is None:
            return None
        aid, surface = best[4], best[5]
        return aid, self.names.get(aid, _clean_name(surface)), best[3]

    def _mention_words(self) -> dict[str, list[str]]:
        """Per actor, the words of its mentions that may state its gender
        (:func:`presslab.gender.evidence_words`). (Built on the first gendered pronoun: most
        articles never ask.)"""
        if self._words is None:
            self._words = {}
            m, text = self.mentions, self.article.text
            if m is not None and len(m):
                roles = m["role"].tolist() if "role" in m else [None] * len(m)
                for aid, a, b, k, role in zip(
                    m["actor_id"].tolist(),
                    m["start"].tolist(),
                    m["end"].tolist(),
                    m["kind"].tolist(),
                    roles,
                    strict=True,
                ):
                    if k != "credit" and not pd.isna(aid):
                        before = text[max(0, int(a) - 20) : int(a)].split()[-1:]
                        words = evidence_words(
                            before[0] if before else None,
                            text[int(a) : int(b)].split(),
                            role if isinstance(role, str) else None,
                        )
                        self._words.setdefault(str(aid), []).extend(words)
        return self._words

    @property
    def has_people(self) -> bool:
        """Whether the actor mentions name any person."""
        return any(span[3] == "person" for span in self._spans)

    def gender(self, actor_id: str, name: str) -> str | None:
        """The person's gender as far as the article shows it (:mod:`presslab.gender`)."""
        if actor_id not in self._genders:
            words = self._mention_words().get(actor_id, ())
            self._genders[actor_id] = person_gender(name, words)
        return self._genders[actor_id]

    def last_before(
        self, offset: int, kind_type: str, required: str | None = None
    ) -> tuple[str, str] | None:
        """``(actor_id, name)`` of the actor of type ``kind_type`` named last before
        ``offset`` ("Gallant … he said", "Shell … the company said"); for a person, one that
        a pronoun requiring ``required`` ("m", "f" or None) can mean."""
        best = None
        for span in self._spans:
            start, end, kind, span_type, aid, surface = span
            if (
                end <= offset
                and span_type == kind_type
                and kind != "pronoun"
                and (best is None or start >= best[0])
                and (
                    required is None
                    or compatible(
                        required, self.gender(aid, self.names.get(aid) or _clean_name(surface))
                    )
                )
            ):
                best = span
        if best is None:
            return None
        aid = best[4]
        return aid, self.names.get(aid, _clean_name(best[5]))

    def last_name_before(self, offset: int, required: str | None = None) -> tuple[str, str] | None:
        """Without actor mentions: the last full name written before ``offset`` (of a gender
        compatible with ``required``)."""
        best = None
        for m in _NAME_RE.finditer(self.article.text, 0, offset):
            words = m.group(0).split()
            while words and words[0].lower() in self.cues.openers | _DETERMINERS:
                words = words[1:]
            name = _strip_titles(" ".join(words), self.cues)
            if (
                len(name.split()) >= 2
                and name.split()[-1].lower() not in self.cues.org_heads
                and not any(w.lower() in self.cues.titles for w in name.split())
                and compatible(required, person_gender(name, m.group(0).split()))
            ):
                best = name
        return (slug(best), best) if best else None

    def full_name(self, surface: str, before: int) -> str:
        """A surname's full form from earlier in the text ("Gallant" -> "Yoav Gallant")."""
        text = self.article.text
        name = _clean_name(surface)
        if not name or not name[0].isupper():
            return name
        if name in self._full_names:
            return self._full_names[name]  # (each search reads the whole text)
        best = name
        for run in _name_runs(text, name):
            words = run.split()
            # Drop sentence openers and other function words caught by the capital letter.
            while words and words[0].lower() in self.cues.openers | _DETERMINERS:
                words = words[1:]
            cand = _strip_titles(" ".join(words), self.cues)
            if any(w.endswith(".") and len(w) > 2 for w in cand.split()[:-1]):
                continue  # "… in Asia. It said": a sentence end, not an initial ("W.")
            if len(cand) > len(best) and cand.endswith(name):
                best = cand
        self._full_names[name] = best
        return best

    def by_title(self, surface: str, before: int) -> str | None:
        """The name introduced with a role ("the defense minister" -> "Yoav Gallant")."""
        words = _clean_name(surface).split()
        if not words or words[0][0].isupper():
            return None
        text = self.article.text
        # The hits of ``(?i:phrase) +(TAIL)`` found left to right, as ``finditer`` would, without
        # compiling that pattern for each phrase (~0.2 ms a compile, most phrases unseen before):
        # the phrase is literal words and whitespace, so it matches at most one way at a start,
        # and the whole pattern matches there iff the fixed tail matches where the phrase ends.
        # On a failed tail the search goes on from the next character, after a hit from its end.
        key = " ".join(words).lower()
        hits = self._title_hits.get(key)
        if hits is None:
            # (once per phrase and article: each search reads the whole text)
            loc = _phrase_re(r"\s+".join(re.escape(w) for w in words))
            hits = []
            pos = 0
            while (m := loc.search(text, pos)) is not None:
                tail = _TITLED_NAME_RE.match(text, m.end())
                if tail is None:
                    pos = m.start() + 1
                    continue
                hits.append((m.start(), tail.group(1)))
                pos = tail.end()
            self._title_hits[key] = hits
        if not hits:
            return None
        earlier = [h for h in hits if h[0] < before]
        h = (earlier or hits)[-1]
        return _strip_titles(_POSSESSIVE.sub("", h[1]), self.cues)


#: words after a source's head noun: what follows describes it ("aides to the governor")
_AFTER_HEAD = frozenset(["for", "to", "of", "in", "at", "from", "with", "close", "familiar"])


def _head_end(words: list[str]) -> int:
    """Where a source description's head phrase ends: at the first preposition after its
    first word ("a spokesman | for the ministry"), else at its end."""
    return next((k for k, w in enumerate(words) if k and w in _AFTER_HEAD), len(words))


def _is_anonymous(surface: str, cues: Cues) -> bool:
    """Whether a speaker phrase describes an unnamed source ("officials", "a senior official
    familiar with the talks", "two people close to Trump"), not a named one.

    >>> _is_anonymous("a source familiar with Cruz’s thinking", load_cues())
    True
    >>> _is_anonymous("Pentagon spokesman John Kirby", load_cues())
    False
    """
    words = [w.strip(",.").lower() for w in surface.split()]
    # The part before a qualifier ("familiar with …") is the source; what follows may name
    # someone else ("close to Trump").
    cut = len(words)
    # "a spokesman for Clinton", "aides to the governor": the head comes before the
    # preposition, and the person after it is not the source
    raw = surface.split()
    run = len(raw)
    while run > 0 and raw[run - 1][:1].isupper():
        run -= 1
    named = 0 < run < len(raw) and words[run - 1] not in ("for", "to", "of", "in", "at", "from")
    if not named:  # ("a spokesman for the ministry, John Kerry": the name is the source)
        cut = _head_end(words)
    for q in cues.anon_qualifiers:
        for k in range(len(words) - len(q) + 1):
            if tuple(words[k : k + len(q)]) == q:
                cut = min(cut, k)
    # A named source ends with the name ("Pentagon spokesman John Kirby"); an unnamed one with
    # the noun that describes it ("Iranian officials", "a White House aide").
    return cut > 0 and words[cut - 1] in cues.anon_heads


def _org_description(surface: str, cues: Cues) -> bool:
    """Whether a speaker phrase is a definite description of an organisation ("the company",
    "The German carmaker"): "the", lower-case words, a noun of ``cues.org_descriptions``. A
    name is none ("The World Bank", "the Ford Motor Company").

    >>> cues = load_cues()
    >>> [_org_description(x, cues) for x in ("The company", "the report", "The World Bank")]
    [True, False, False]
    """
    words = surface.split()
    return (
        len(words) >= 2
        and words[0].lower() == "the"
        and words[-1] in cues.org_descriptions
        and all(w.islower() and (w.isalpha() or "-" in w) for w in words[1:])
    )


def _speakers(
    rows: list[_Row], article: Article, mentions: pd.DataFrame, cues: Cues
) -> list[tuple[str | None, str | None]]:
    text = article.text
    res = _Resolver(article, mentions, cues)
    out: list[tuple[str | None, str | None]] = []
    last_person: tuple[str, str] | None = None
    plural_sources: list[tuple[int, tuple[str, str]]] = []  # (end of mention, speaker)
    for r in rows:
        if r.speaker_span is None:
            out.append((None, None))
            continue
        s, e = r.speaker_span
        surface = text[s:e]
        low = surface.lower()
        kind = cues.pronouns.get(low)
        found: tuple[str, str] | None = None
        found_type: str | None = None  # the type of the actor mention that names the speaker
        if kind == "relative":
            # "Benny Gantz, who vowed …": the name before ", who".
            # (the last 300 characters: a name of five words fits, and a pattern anchored at
            # the end would otherwise scan the whole article before each "who")
            base = max(0, s - 300)
            before = text[base:s].rstrip()
            if before.endswith(",") or before[-1:].isalpha():
                # (or "Farmers who raised concerns …": a restrictive "who" after its noun)
                m = _BEFORE_WHO_RE.search(before)
                if m:
                    hit = res.mention_at(base + m.start(1), base + m.end(1))
                    name = (
                        hit[1]
                        if hit
                        else res.full_name(_strip_titles(m.group(1), cues), base + m.start(1))
                    )
                    found = (hit[0] if hit else slug(name), name)
        elif kind == "person":
            # "she" is the last person named who can be a she: the last speaker named, else
            # the last person mentioned, else the last full name written.
            required = PRONOUN_GENDER.get(low)
            if last_person is not None and not compatible(
                required, res.gender(last_person[0], last_person[1])
            ):
                found = None
            else:
                found = last_person
            found = found or res.last_before(s, "person", required)
            if found is None and not res.has_people:
                # (names written in the text only when the actors module named no one:
                # with mentions, a capitalised pair is as often a place, "New York")
                found = res.last_name_before(s, required)
        elif low == "it":
            # "It said" of a body: the organisation named last (unresolved without one, as
            # "he" is without a person).
            found = res.last_before(s, "organisation")
        elif (
            _org_description(surface, cues)
            and res.mention_at(s, e) is None
            and (org := res.last_before(s, "organisation"))
        ):
            # "the company said", "the firm's chief executive": the organisation named last.
            found = org
        elif kind in ("group", "self"):
            hit = res.mention_at(s, e)
            found = (hit[0], hit[1]) if hit else None
        elif _is_anonymous(surface, cues):
            description = _clean_name(surface) or surface
            first = description.split()[0].lower()
            if first in cues.anon_heads or first in _DETERMINERS:
                # "Analysts said" opens a sentence: the same source as "analysts said"
                description = description[:1].lower() + description[1:]
            found = ("anonymous", description)
        else:
            hit = res.mention_at(s, e)
            if hit:
                found, found_type = (hit[0], hit[1]), hit[2]
            else:
                titled = res.by_title(surface, s)
                if titled:
                    name = res.full_name(titled, s)
                    found = (slug(name), name)
                elif (
                    surface[:1].isupper()
                    or _clean_name(surface)[:1].isupper()
                    or _strip_titles(_clean_name(surface), cues)[:1].isupper()
                ):
                    # ("former George W. Bush speechwriter Noam Neusner" -> Noam Neusner)
                    name = res.full_name(_strip_titles(_clean_name(surface), cues), s)
                    found = (slug(name), name)
                else:
                    name = _clean_name(surface)
                    found = (slug(name), name)
        if (
            found is not None
            and found[0] != "anonymous"
            and kind != "group"
            and found_type in (None, "person")
            and found[1]
            and found[1][:1].isupper()
            and " " in found[1]
            and found[1].split()[-1][:1].isupper()
            and found[1].split()[-1].lower() not in cues.org_heads
        ):
            # A full name that is no organisation: the person a later "he" or "she" means.
            last_person = found
        out.append((found[1], found[0]) if found else (None, None))
        if found is not None and (
            found_type == "group" or (found[0] == "anonymous" and _plural_noun(found[1]))
        ):
            plural_sources.append((e, found))
    _they(rows, text, out, plural_sources)
    return out


def _plural_noun(description: str) -> bool:
    """Whether a source's description has a plural head noun ("officials", "show insiders",
    not "a spokesperson for the Ministry of Foreign Affairs")."""
    words = description.lower().split()
    words = words[: _head_end(words)]
    head = words[-1] if words else ""
    return head.endswith("s") and not head.endswith(("ss", "us", "is"))


#: how far back (characters) a "they" looks for the plural source it stands for: about the
#: sentence before
_THEY_REACH = 300


def _they(
    rows: list[_Row],
    text: str,
    out: list[tuple[str | None, str | None]],
    plural_sources: list[tuple[int, tuple[str, str]]],
) -> None:
    """Name a speaker "they" left unnamed after the plural source named just before it
    ("…, according to show insiders. They said …"), when one is within reach."""
    if not plural_sources:
        return
    plural_sources = sorted(plural_sources, key=lambda x: x[0])
    ends = [end for end, _ in plural_sources]
    for k, r in enumerate(rows):
        if out[k] != (None, None) or r.speaker_span is None:
            continue
        s, e = r.speaker_span
        if text[s:e].lower() != "they":
            continue
        x = bisect.bisect_right(ends, s) - 1
        if x >= 0 and s - ends[x] <= _THEY_REACH:
            found = plural_sources[x][1]
            out[k] = (found[1], found[0])


# ---------------------------------------------------------------------------------------------
# Public API


def _nested_kept(rows: list[_Row], text: str, cues: Cues) -> list[_Row]:
    """The rows without reported speech nested in another row's reported clause, unless its
    cue is one that reports a clause of its own there (``nested_cues``: "said", "think")."""
    # The rows by start, with the furthest end reached so far: only rows starting at or
    # before the cue can hold it, and the scan back stops once none of them reaches past it.
    spans = sorted((r.start, r.end, r.cue_span) for r in rows)
    starts = [sp[0] for sp in spans]
    reach: list[int] = []
    for _, e, _ in spans:
        reach.append(max(e, reach[-1]) if reach else e)
    kept = []
    for r in rows:
        if r.kind == "indirect" and r.cue_span is not None:
            cs, ce = r.cue_span
            if " ".join(text[cs:ce].lower().split()) not in cues.nested_cues:
                x = bisect.bisect_right(starts, cs) - 1
                inside = False
                while x >= 0 and reach[x] >= ce:
                    s, e, cue = spans[x]
                    if cue != r.cue_span and s <= cs and ce <= e:
                        inside = True
                        break
                    x -= 1
                if inside:
                    continue
        kept.append(r)
    return kept


def _rule_rows(article: Article, doc: Doc, cues: Cues, prepared: _Prepared) -> list[_Row]:
    """The rules' rows, one per quoted stretch (the first attribution found wins)."""
    rows = _nested_kept(_attribute(article, doc, cues, prepared), article.text, cues)
    seen: set[tuple[int, int]] = set()
    unique: list[_Row] = []
    for r in rows:
        if (r.start, r.end) in seen or r.end <= r.start:
            continue
        seen.add((r.start, r.end))
        unique.append(r)
    return unique


def _tagger_tokens(
    doc: Doc, prepared: _Prepared, rows: list[_Row], mentions: pd.DataFrame, cues: Cues
) -> Tokens:
    """The article as :mod:`presslab.attribution` reads it: tokens, with what the rules saw."""
    tk = prepared.tk
    n = len(tk.spans)
    quote = ["O"] * n
    for q in prepared.quotes:
        end = q.close if q.close is not None else q.end
        a = tk.first_at(q.open)
        b = tk.first_at(end)
        if a >= b:
            continue
        quote[a:b] = ["IN"] * (b - a)
        quote[a] = "OPEN"
        if b - 1 > a:
            quote[b - 1] = "CLOSE" if q.close is not None else "UNCLOSED"
    # Every lexicon phrase at every token, whether or not the rules kept it as a cue.
    lexicon = ["O"] * n
    for i in range(n):
        if (phrase := _lexicon_at(tk, i, cues, same_sentence=False)) is not None:
            lexicon[i : phrase.j] = ["B-" + phrase.cls] + ["I-" + phrase.cls] * (phrase.j - i - 1)
    kept = ["O"] * n
    for c in prepared.found:
        label = c.cls + ("-pass" if c.passive >= 0 else "")
        kept[c.i : c.j] = ["B-" + label] + ["I-" + label] * (c.j - c.i - 1)
    own: list[tuple[tuple[int, int], str]] = []
    for r in rows:
        own.append(((r.start, r.end), "C" + r.kind[0]))
        if r.cue_span is not None:
            own.append((r.cue_span, "CUE"))
        if r.speaker_span is not None:
            own.append((r.speaker_span, "SRC"))
    named = zip(mentions["start"], mentions["end"], mentions["type"], mentions["kind"], strict=True)
    return Tokens(
        spans=tk.spans,
        words=tk.raw,
        sentence=tk.sent,
        paragraph=tk.para,
        part=[doc.sentences[s].part for s in tk.sent],
        quote=quote,
        lexicon=lexicon,
        cue=kept,
        rule=bio_labels(tk.spans, own),
        mention=bio_labels(tk.spans, (((int(s), int(e)), f"{t}-{k}") for s, e, t, k in named)),
    )


def tagger_input(article: Article, doc: Doc, mentions: pd.DataFrame) -> Tokens:
    """What the learned tagger reads of an article (``scripts/train_attribution.py`` trains on
    exactly this)."""
    cues = load_cues()
    prepared = _prepare(article, doc, cues)
    return _tagger_tokens(doc, prepared, _rule_rows(article, doc, cues, prepared), mentions, cues)


def _overlaps_half(a: tuple[int, int], b: tuple[int, int]) -> bool:
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    return overlap > 0 and 2 * overlap >= min(a[1] - a[0], b[1] - b[0])


def _trimmed_span(tk: _Toks, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """A character span without the punctuation tokens at its edges (a span of punctuation
    alone, the colon of "Gallant: …", is kept)."""
    if span is None:
        return None
    a, b = _trim(tk, tk.first_at(span[0]), tk.first_at(span[1]))
    return (tk.spans[a][0], tk.spans[b - 1][1]) if a < b else span


def _names_a_statement(tk: _Toks, att: Attribution, cue_at: set[int]) -> bool:
    """Whether the model's attribution, through a cue the lexicon does not know, has for its
    content only a noun phrase naming a statement ("echoed earlier comments by …"): it points
    at a statement, whose own attribution reports it."""
    if att.cue is None or len(att.content) != 1:
        return False
    if any(k in cue_at for k in range(tk.first_at(att.cue[0]), tk.first_at(att.cue[1]))):
        return False
    a, b = tk.first_at(att.content[0][0]), tk.first_at(att.content[0][1])
    words = [k for k in range(a, b) if _is_word(tk.raw[k])]
    return (
        0 < len(words) <= 4
        and tk.low[words[-1]] in load_cues().statement_nouns
        and all(tk.in_quote[k] < 0 for k in range(a, b))
    )


def _participle_aside(tk: _Toks, a: int, cue_at: set[int]) -> bool:
    """Whether a content after its cue opens with an unquoted participle after a comma that is
    no cue itself (", touring an Arrow 3 battery"): an aside on the speaker, as the rules read
    it (:func:`_aside_follows`), not a second piece of what was said."""
    return (
        a > 0
        and tk.low[a - 1] == ","
        and tk.low[a].endswith("ing")
        and tk.in_quote[a] < 0
        and a not in cue_at
    )


def _reconcile(
    doc: Doc, prepared: _Prepared, rule_rows: list[_Row], found: list[Attribution]
) -> list[_Row]:
    """The rows of the model's attributions; speakers from the rules where they agree.

    The model decides what is attributed and how far the content runs (it scores higher on
    PolNeAR than the rules' own rows, and a rule row it does not confirm is dropped); the rules
    name the speaker where they found the same attribution, since they resolve "who", titles
    and appositives the model only marks. A content is split into direct, partial and
    indirect rows as the rules split theirs (:func:`_classify_content`).
    """
    tk = prepared.tk
    cue_at = {c.i for c in prepared.found}
    rows: list[_Row] = []
    for att in found:
        if _names_a_statement(tk, att, cue_at):
            continue
        agreeing = [
            r for r in rule_rows if any(_overlaps_half((r.start, r.end), c) for c in att.content)
        ]
        if att.cue is None:
            # (a content the model found no cue for: the rules' attribution of it, if any)
            same_cue = agreeing
        else:
            same_cue = [
                r
                for r in agreeing
                if r.cue_span is not None
                and min(r.cue_span[1], att.cue[1]) > max(r.cue_span[0], att.cue[0])
            ]
        named = [r for r in same_cue if r.speaker_span is not None]
        others = [r for r in agreeing if r.speaker_span is not None]
        speaker = (
            named[0].speaker_span
            if named
            else att.source or (others[0].speaker_span if others else None)
        )
        # The cue as the rules name it where they found it ("criticized", not "was widely
        # criticized"), else the model's without edge punctuation ("said:").
        cue = same_cue[0].cue_span if same_cue else _trimmed_span(tk, att.cue)
        # Where the rules' row for the same cue spans every piece of the model's content, it
        # is the same attribution in the rules' own shape: a hedge is one clause with its cue
        # ("Turnout seemed to favour …"), not PolNeAR's two pieces around it.
        pieces = [p for p in (_trimmed_span(tk, c) for c in att.content) if p is not None]
        covering = [
            r
            for r in same_cue
            if pieces and r.start <= pieces[0][0] and r.end >= max(e for _, e in pieces)
        ]
        if covering:
            rows.extend(covering)
            continue
        noun_cue = next(
            (
                c
                for c in prepared.found
                if c.cls == "noun"
                and att.cue is not None
                and tk.first_at(att.cue[0]) <= c.i < tk.first_at(att.cue[1])
            ),
            None,
        )
        for start, end in att.content:
            if speaker is not None and speaker[0] <= start and end <= speaker[1]:
                continue  # (what names the speaker is not what was said: "said Gallant")
            a = tk.first_at(start)
            b = tk.first_at(end)
            if a >= len(tk.spans) or doc.sentences[tk.sent[a]].part not in QUOTE_PARTS:
                continue
            if att.cue is not None and start >= att.cue[1] and _participle_aside(tk, a, cue_at):
                continue  # ("said on Sunday, touring the battery": what they did, not said)
            a, b = _trim(tk, a, b)
            if noun_cue is not None and a >= noun_cue.j:
                # ("Trump's attack on Clinton | drew criticism": the object, not the predicate)
                b = _subject_object_end(tk, noun_cue, _sentence_start_token(tk, noun_cue.i), (a, b))
            # PolNeAR's contents open with the complementiser; the rules' (and the issue's)
            # report the clause itself ("said that | the crossing would reopen"), and where the
            # model's content runs from before it ("said on NBC’s “Meet the Press” that …") the
            # clause still starts after it, as the rules' row for the same cue does
            a = next(
                (
                    k
                    for k in (tk.first_at(r.start) for r in same_cue)
                    if a < k < b and tk.low[k - 1] == "that" and tk.in_quote[k - 1] < 0
                ),
                a,
            )
            if b - a > 2 and tk.low[a] == "that" and tk.in_quote[a] < 0:
                a += 1
            if a >= b:
                continue
            first, last = tk.spans[a][0], tk.spans[b - 1][1]
            for kind, qs, qe, qi in _classify_content(tk, prepared.quotes, first, last, a, b):
                clause = _clause_of(kind, first, last, qs, qe)
                rows.append(_Row(qs, qe, kind, speaker, cue, qi, clause=clause))
    rows.sort(key=lambda r: (r.start, r.end))
    unique: list[_Row] = []
    seen: set[tuple[int, int]] = set()
    for r in rows:
        if (r.start, r.end) not in seen and r.end > r.start:
            seen.add((r.start, r.end))
            unique.append(r)
    # A headline claim that the story attributes again to the same speaker is counted once, in
    # the story, as the rules count it (:func:`_restated`; PolNeAR marks both).
    return [
        r
        for r in unique
        if r.speaker_span is None
        or doc.sentences[tk.sent[tk.first_at(r.start)]].part != "headline"
        or not _restated(tk.text, r.speaker_span, r.start, r.end, unique)
    ]


def _physical_act(r: _Row, tk: _Toks, cues: Cues) -> bool:
    """Whether a row is a speech act that may name a physical act ("attacked", "attack on",
    "defending"; :attr:`Cues.physical_acts`) with a plain object: what it reports is neither a
    that-clause nor a quotation (:func:`_reports`)."""
    if r.kind != "indirect" or r.cue_span is None or not cues.physical_acts:
        return False
    lo, hi = tk.first_at(r.cue_span[0]), tk.first_at(r.cue_span[1])
    lemmas = {
        hit.lemma for k in range(lo, hi) if (hit := _lexicon_at(tk, k, cues, same_sentence=False))
    }
    return bool(lemmas & cues.physical_acts) and not _reports(
        tk, (tk.first_at(r.start), tk.first_at(r.end))
    )


def _not_physical(
    rows: list[_Row],
    speakers: list[tuple[str | None, str | None]],
    physical: list[bool],
    tk: _Toks,
    mentions: pd.DataFrame,
    cues: Cues,
) -> list[bool]:
    """Which rows to keep: a possible physical act (:func:`_physical_act`) is no statement
    when its agent is an armed force ("Russian forces attacked …"), or when its object is a
    place (a place mention or a place noun: "Israel", "the city", "the Jewish state") and its
    agent is no person ("Iran attacked Israel", "France … defending the Jewish state"; not
    "Senator Lee attacked the plan")."""
    place_starts = {
        int(s) for s, t in zip(mentions["start"], mentions["type"], strict=True) if t == "place"
    }
    type_of = dict(zip(mentions["actor_id"], mentions["type"], strict=True))
    keep = []
    for r, (_name, actor_id), maybe in zip(rows, speakers, physical, strict=True):
        if not maybe:
            keep.append(True)
            continue
        last = tk.low[tk.first_at(r.speaker_span[1]) - 1] if r.speaker_span else ""
        armed = last in cues.armed_forces
        person = bool(last) and (
            type_of.get(actor_id) == "person"
            or actor_id == "anonymous"
            or cues.pronouns.get(last) in ("person", "self")
        )
        # (the object's first words: "Israel", "the city", "the Jewish state against …")
        a = tk.first_at(r.start)
        head = range(a, min(a + 3, tk.first_at(r.end)))
        place = any(tk.low[k] in cues.places or tk.spans[k][0] in place_starts for k in head)
        keep.append(not (armed or (place and not person)))
    return keep


def extract_quotes(
    article: Article,
    doc: Doc,
    mentions: pd.DataFrame | None = None,
    *,
    learned: bool = False,
) -> pd.DataFrame:
    """The quotes of one article (table ``quotes``): direct, partial and indirect.

    ``mentions`` (table ``mentions``) names the speakers; without it speakers are named from
    the text alone (``learned=True`` computes it when not given).

    ``learned=True`` (``presslab analyze --quotes learned``; not the default) lets the learned
    attribution tagger (:mod:`presslab.attribution`) decide what is attributed: on PolNeAR's
    dev split it finds more (content F1 0.853 against the rules' 0.803, speaker accuracy 0.905
    against 0.891), but 14 of the quote cases the rules meet it does not, and it costs about
    170 ms an article where the rules take 6.5 (PolNeAR dev, one thread). ``make eval``
    reports both.
    """
    cues = load_cues()
    if mentions is None:
        if learned:
            from presslab.actors import extract_mentions

            mentions = extract_mentions(article, doc)
        else:
            mentions = pd.DataFrame(columns=SCHEMAS["mentions"])
    prepared = _prepare(article, doc, cues)
    unique = _rule_rows(article, doc, cues, prepared)
    if learned:
        tokens = _tagger_tokens(doc, prepared, unique, mentions, cues)
        unique = _reconcile(doc, prepared, unique, load_model().attributions(tokens))
    speakers = _speakers(unique, article, mentions, cues)
    physical = [_physical_act(r, prepared.tk, cues) for r in unique]
    if any(physical):
        if not len(mentions):
            from presslab.actors import extract_mentions

            mentions = extract_mentions(article, doc)
        kept = _not_physical(unique, speakers, physical, prepared.tk, mentions, cues)
        unique = [r for r, keep in zip(unique, kept, strict=True) if keep]
        speakers = [sp for sp, keep in zip(speakers, kept, strict=True) if keep]
    if not unique:
        df = pd.DataFrame.from_records([], columns=column_index("quotes"))
        for col in _INT64_COLUMNS:
            df[col] = df[col].astype("Int64")
        return df
    text = article.text
    # Columns as lists, the five nullable-integer ones built as Int64 arrays directly: one
    # frame from records, then five astype() and column assignments cost ~0.5 ms an article.
    columns: dict[str, list] = {c: [] for c in SCHEMAS["quotes"]}
    for r, (name, aid) in zip(unique, speakers, strict=True):
        if r.kind != "indirect" and text[r.end - 1] == "," and r.end - 1 > r.start:
            # “…,” said Gallant: the comma belongs to the attribution, not to the words.
            r.end -= 1
        sent = doc.sentence_at(r.start)
        for column, value in (
            ("article_id", article.article_id),
            ("start", r.start),
            ("end", r.end),
            ("text", text[r.start : r.end]),
            ("kind", r.kind),
            ("speaker", name),
            ("speaker_actor_id", aid),
            ("speaker_start", r.speaker_span[0] if r.speaker_span else None),
            ("speaker_end", r.speaker_span[1] if r.speaker_span else None),
            ("cue", text[r.cue_span[0] : r.cue_span[1]] if r.cue_span else None),
            ("cue_start", r.cue_span[0] if r.cue_span else None),
            ("cue_end", r.cue_span[1] if r.cue_span else None),
            ("clause_start", r.clause[0] if r.clause else r.start),
            ("clause_end", r.clause[1] if r.clause else r.end),
            ("sentence_id", sent.sentence_id if sent else None),
        ):
            columns[column].append(value)
    for column in _INT64_COLUMNS:
        columns[column] = pd.array(columns[column], dtype="Int64")  # type: ignore[assignment]
    return pd.DataFrame(columns, columns=column_index("quotes"))


#: the quotes columns that may be empty: nullable integers
_INT64_COLUMNS = ("speaker_start", "speaker_end", "cue_start", "cue_end", "sentence_id")
