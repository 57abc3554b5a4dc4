"""Actors: who appears in an article (table ``mentions``) and across the corpus (``actors``).

Mentions come from three sources, combined per article:

- the named-entity model (:mod:`presslab.tagger`, trained on CoNLL-2003) over every sentence;
- the codebook (``codebook/actors.yaml``): aliases, labels ("the Jewish state" -> Israel) and
  metonyms ("Tehran" -> Iran, only where the place acts, not after "in", "to", "from"...);
- rules on the article itself: a surname after the full name ("Gallant" -> Yoav Gallant), a
  title after the person was introduced with it ("the defense minister"), "he"/"she" where only
  one person can be meant (people of the other gender, by honorific, role word or clearly
  gendered first name, are not candidates: :mod:`presslab.gender`), photo credits and bylines
  (kind ``credit``: recorded, never actors).

Each mention carries the actor's canonical ``name`` and its ``actor_id`` (a slug of that name,
so articles link by name with no global state), and, on a name introduced with a title, the
``role`` and ``affiliation`` the text gives ("Israeli Defense Minister Yoav Gallant" -> Defense
Minister, Israel). :func:`canonical_actors` merges mentions into one row per actor.

>>> from presslab.corpus import article_from_text
>>> from presslab.text import segment
>>> art = article_from_text("Talks\\n\\nIsraeli Defense Minister Yoav Gallant met envoys. "
...                         "The defense minister said Tehran would pay.")
>>> df = extract_mentions(art, segment(art))
>>> for row in df[["surface", "actor_id", "kind", "role", "affiliation"]].fillna("-").values:
...     print(" | ".join(row))
Yoav Gallant | yoav-gallant | name | Defense Minister | Israel
The defense minister | yoav-gallant | title | - | -
Tehran | iran | metonym | - | -
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from presslab.corpus import Article
from presslab.gender import (
    PRONOUN_GENDER,
    compatible,
    evidence_words,
    name_gender,
    person_gender,
    words_gender,
)
from presslab.schemas import SCHEMAS, column_index
from presslab.text import Doc
from presslab.yamldata import parse_yaml

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes

COLUMNS = SCHEMAS["mentions"]
ACTOR_COLUMNS = SCHEMAS["actors"]

TYPES = {"PER": "person", "ORG": "organisation", "LOC": "place"}


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: words before a place that make it a location rather than an actor ("in Tehran")
LOCATIVE = _wordset(
    "in to from at near into inside outside across around toward towards via "
    "through over under within throughout between off onto upon of"
)
#: words of a photo credit that are not names
CREDIT_WORDS = _wordset(
    "photo photos image images picture credit courtesy file video illustration graphic source"
)
#: honorifics, with or without the full stop (British style writes "Mr Ebbers"): the name
#: follows them ("Mr. King" is King)
HONORIFICS = _wordset("mr. mrs. ms. dr. prof. mr mrs ms dr prof")
#: honorifics that only ever open a person's name: a name the model typed otherwise is a person
#: all the same ("Mr Ebbers"; but "Dr Pepper" may be a drink, and "Miss Universe" is a title)
PERSON_HONORIFICS = _wordset("mr. mrs. ms. mr mrs ms miss")
#: honorifics and ranks: part of how a person is addressed, not of their role
RANKS = HONORIFICS | _wordset(
    "sir dame rear vice adm. admiral gen. general lt. "
    "lieutenant col. colonel maj. major capt. captain sgt. sergeant brig. cmdr. "
    "commander cpl. pvt. rabbi sheikh"
)
CONNECTORS = frozenset({"to", "of", "for"})
#: titles held inside a company or body ("Apple Chief Executive", "Ericsson spokesman"): the
#: capitalised words before them name the organisation; before "Minister" they name a portfolio
ORG_TITLES = _wordset(
    "chief ceo cfo spokesman spokeswoman spokesperson chairman chairwoman "
    "director founder co-founder boss manager coach analyst economist "
    "strategist head"
)
#: words before a title that qualify it in time, not in kind ("former", "acting")
MODIFIERS = _wordset("former outgoing acting then incoming interim new late ex")
SKIP_NER_PARTS = frozenset({"boilerplate"})
CREDIT_PARTS = frozenset({"credit", "byline"})


# --------------------------------------------------------------------------- codebook


def slug(name: str) -> str:
    """The actor id of a canonical name.

    >>> slug("Yoav Gallant"), slug("Côte d'Ivoire"), slug("U.S.")
    ('yoav-gallant', 'cote-d-ivoire', 'u-s')
    """
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "unknown"


def _norm(text: str) -> str:
    """A lookup key: lower case, curly apostrophes straightened, spaces collapsed."""
    text = text.replace("’", "'").replace("‘", "'").lower()
    return " ".join(text.split())


def _prefixes(table: dict[str, Entry]) -> frozenset[str]:
    """Every run of leading words of the table's keys ("the", "the islamic", ...)."""
    out = set()
    for key in table:
        words = key.split(" ")
        for j in range(1, len(words) + 1):
            out.add(" ".join(words[:j]))
    return frozenset(out)


@lru_cache(maxsize=65_536)
def _key(phrase: str) -> str:
    """A phrase's lookup key, tokenised as articles are ("David's" -> "david 's")."""
    from presslab.text import token_spans

    return " ".join(_norm(phrase[s:e]) for s, e in token_spans(phrase))


@dataclass(frozen=True)
class Entry:
    """One codebook actor."""

    name: str
    type: str
    short: str | None = None
    affiliation: str | None = None
    side: str | None = None
    role: str | None = None
    aliases: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()


@dataclass
class Codebook:
    """The actors codebook, with lookup tables by normalised phrase."""

    entries: list[Entry]
    demonyms: dict[str, str | None] = field(default_factory=dict)
    country_aliases: dict[str, str] = field(default_factory=dict)
    titles: frozenset[str] = frozenset()
    non_actors: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.by_name: dict[str, Entry] = {}
        self.by_label: dict[str, Entry] = {}
        self.by_metonym: dict[str, Entry] = {}
        self.by_id: dict[str, Entry] = {}
        for e in self.entries:
            self.by_id[slug(e.name)] = e
            for n in (e.name, *e.aliases):
                self.by_name.setdefault(_key(n), e)
            for n in e.labels:
                self.by_label.setdefault(_key(n), e)
            for n in e.metonyms:
                self.by_metonym.setdefault(_key(n), e)
        nobody = Entry(name="", type="none")
        self.by_non_actor = {_key(n): nobody for n in self.non_actors}
        self.prefixes = {
            "name": _prefixes(self.by_name),
            "label": _prefixes(self.by_label),
            "non_actor": _prefixes(self.by_non_actor),
        }
        self.max_len = max(
            (len(k.split()) for k in (*self.by_name, *self.by_label, *self.by_non_actor)), default=1
        )

    def lookup(self, surface: str) -> Entry | None:
        key = _key(surface)
        return self.by_name.get(key) or self.by_name.get(key.removeprefix("the "))

    def canonical_place(self, surface: str) -> str | None:
        """A country's canonical name from its aliases or pycountry, else None."""
        entry = self.lookup(surface)
        if entry and entry.type == "place":
            return entry.name
        key = _norm(surface)
        if key in self.country_aliases:
            return self.country_aliases[key]
        try:
            import pycountry

            country = (
                pycountry.countries.get(name=surface)
                or pycountry.countries.get(common_name=surface)
                or pycountry.countries.get(official_name=surface)
            )
        except (LookupError, KeyError):
            country = None
        if country is not None:
            return getattr(country, "common_name", None) or country.name
        return None


def _read_yaml(path: Path | None, name: str) -> dict:
    if path is not None:
        return parse_yaml(Path(path).read_text(encoding="utf-8")) or {}
    return (
        parse_yaml(
            resources.files("presslab").joinpath(f"codebook/{name}").read_text(encoding="utf-8")
        )
        or {}
    )


@cache
def load_codebook(path: str | None = None) -> Codebook:
    """The actors codebook (``codebook/actors.yaml`` unless ``path`` is given) and name lists."""
    data = _read_yaml(Path(path) if path else None, "actors.yaml")
    names = _read_yaml(None, "names.yaml")
    entries = []
    for raw in data.get("actors", []):
        entries.append(
            Entry(
                name=raw["name"],
                type=raw.get("type", "organisation"),
                short=raw.get("short"),
                affiliation=raw.get("affiliation"),
                side=raw.get("side"),
                role=raw.get("role"),
                aliases=tuple(raw.get("aliases") or ()),
                labels=tuple(raw.get("labels") or ()),
                metonyms=tuple(raw.get("metonyms") or ()),
            )
        )
    aliases = {}
    for canon, alts in (names.get("country_aliases") or {}).items():
        for a in [canon, *(alts or [])]:
            aliases[_norm(a)] = canon
    return Codebook(
        entries=entries,
        demonyms={_norm(k): v for k, v in (names.get("demonyms") or {}).items()},
        country_aliases=aliases,
        titles=frozenset(_norm(t) for t in names.get("titles") or ()),
        non_actors=tuple(data.get("non_actors") or ()),
    )


# --------------------------------------------------------------------------- mentions


@dataclass
class _Mention:
    start: int
    end: int
    type: str
    kind: str
    sentence: int  # index into doc.sentences
    name: str  # canonical name
    tokens: tuple[int, int] = (0, 0)  # token range in the sentence
    role: str | None = None
    affiliation: str | None = None


def _sentence_tokens(doc: Doc) -> list[list[str]]:
    return [doc.token_texts(s) for s in doc.sentences]


def _find_phrases(
    toks: Sequence[str],
    table: dict[str, Entry],
    max_len: int,
    cased: bool,
    lows: Sequence[str] | None = None,
    prefixes: frozenset[str] | None = None,
) -> list[tuple[int, int, Entry]]:
    """Longest non-overlapping matches of the table's phrases in a token list (``lows``: the
    tokens' ``_norm``, ``prefixes``: the table's ``_prefixes``, when the caller has them)."""
    if lows is None:
        lows = [_norm(t) for t in toks]
    if prefixes is None:
        prefixes = _prefixes(table)
    out = []
    i = 0
    n = len(toks)
    while i < n:
        key = lows[i]
        if key not in prefixes:
            i += 1
            continue
        # Every key that a longer phrase from here could be starts with a shorter one, so the
        # phrases in the table are found walking right while the words still begin a phrase.
        found = []
        k = 1
        k_max = min(max_len, n - i)
        while True:
            if key in table:
                found.append((k, key))
            if k == k_max:
                break
            key = key + " " + lows[i + k]
            k += 1
            if key not in prefixes:
                break
        hit = None
        for k, key in reversed(found):
            # Names must be written as names: "us" is not "US", "jordan" not "Jordan".
            if cased and not (toks[i][:1].isupper() or toks[i].lower() == "the"):
                continue
            if cased and key.isalpha() and len(key) <= 3 and not toks[i].isupper():
                continue
            hit = (i, i + k, table[key])
            break
        if hit:
            out.append(hit)
            i = hit[1]
        else:
            i += 1
    return out


_NORMS: dict[str, str] = {}


def _norms(toks: Sequence[str]) -> list[str]:
    """``_norm`` of each token, from a cache (the same words recur in every article)."""
    get = _NORMS.get
    out = []
    for t in toks:
        low = get(t)
        if low is None:
            low = _norm(t)
            if len(_NORMS) < 200_000:
                _NORMS[t] = low
        out.append(low)
    return out


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def _person_name(toks: Sequence[str], cb: Codebook) -> list[str]:
    """A person's name tokens without leading honorifics and ranks ("Rear Adm.")."""
    words = list(toks)
    while len(words) > 1 and (_norm(words[0]) in RANKS or _norm(words[0]) in cb.titles):
        words = words[1:]
    return words


def _join(words: Sequence[str]) -> str:
    text = " ".join(words)
    return re.sub(r" (?=[,.’'])|(?<=[-/]) ", "", text)


def _role_before(
    toks: Sequence[str], start: int, mentions: list[_Mention], sent: int, cb: Codebook
) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """Role, affiliation and (when the text names one the model missed) the token span of an
    organisation, from the title words before a person's name in the sentence."""
    by_end = {m.tokens[1]: m for m in mentions if m.sentence == sent and m.kind != "credit"}
    j = start
    if j > 0 and toks[j - 1] == ",":
        j -= 1  # "U.S. Ambassador to Israel, Jack Lew"
    parts: list[tuple[str, object, int]] = []  # ("word", text, index) or ("mention", m, index)
    while j > 0:
        m = by_end.get(j)
        if m is not None and m.type != "person":
            parts.append(("mention", m, m.tokens[0]))
            j = m.tokens[0]
            continue
        word = toks[j - 1]
        low = _norm(word)
        titled = word[:1].isupper() or low in cb.titles or low in RANKS or low == "member"
        # "Ambassador to Israel": a connector between capitalised words belongs to the role.
        joined = low in CONNECTORS and parts and j > 1 and toks[j - 2][:1].isupper()
        if titled or joined:
            parts.append(("word", word, j - 1))
            j -= 1
        else:
            break
    if j == start or (j == start - 1 and toks[start - 1] == ","):
        return None, None, None
    parts.reverse()
    # Leading connectors are not part of a role ("talks to Minister X" starts at "Minister").
    while parts and parts[0][0] == "word" and _norm(str(parts[0][1])) in CONNECTORS:
        parts.pop(0)
    while parts and parts[0][0] == "word" and _norm(str(parts[0][1])) in MODIFIERS:
        parts.pop(0)
    affiliation = None
    org_span = None
    if parts:
        kind, item, _ = parts[0]
        if kind == "mention" and isinstance(item, _Mention):
            entry = cb.lookup(item.name) or cb.by_id.get(slug(item.name))
            if item.type == "place":
                affiliation = cb.canonical_place(item.name) or item.name
                parts.pop(0)
            elif item.type == "organisation" and entry is not None and entry.affiliation:
                # "IDF Spokesperson": a codebook body stays in the role, its state affiliates.
                affiliation = entry.affiliation
                parts[0] = ("word", entry.short or entry.name, 0)
            elif item.type == "organisation":
                # "Apple Chief Executive Tim Cook": the organisation is the affiliation.
                affiliation = item.name
                parts.pop(0)
        elif kind == "word" and cb.demonyms.get(_norm(str(item))):
            affiliation = cb.demonyms[_norm(str(item))]
            parts.pop(0)
        else:
            # Capitalised words before the title that are no title themselves name the
            # organisation ("Apple Chief Executive", "Tesla CEO").
            lower = _lower_words()
            k = 0
            while (
                k < len(parts)
                and parts[k][0] == "word"
                and str(parts[k][1])[:1].isupper()
                and _norm(str(parts[k][1])) not in cb.titles
                and _norm(str(parts[k][1])) not in RANKS
                and str(parts[k][1]).lower() not in lower
            ):
                k += 1
            if (
                0 < k < len(parts)
                and parts[k][0] == "word"
                and _norm(str(parts[k][1])) in ORG_TITLES
                and not any("-" in str(p[1]) for p in parts[:k])
            ):
                affiliation = _join([str(p[1]) for p in parts[:k]])
                org_span = (parts[0][2], parts[k - 1][2] + 1)
                parts = parts[k:]
    words = [
        str(item.name) if kind == "mention" else str(item)  # type: ignore[union-attr]
        for kind, item, _ in parts
    ]
    while words and _norm(words[-1]) in RANKS:
        words.pop()
    # "War Cabinet member Minister Benny Gantz": a bare title after a complete role is how
    # the person is addressed.
    if (
        len(words) >= 2
        and words[-2].islower()
        and _norm(words[-2]) not in CONNECTORS
        and _norm(words[-1]) in cb.titles
    ):
        words.pop()
    while words and _norm(words[0]) in RANKS:
        words.pop(0)
    if not any(_norm(w) in cb.titles for w in words):
        return None, None, None  # no title word: whatever precedes the name is no role
    role = _join(words) or None
    return role, affiliation, org_span


@cache
def _lower_words() -> frozenset[str]:
    from presslab.tagger import load_model

    return load_model("ner").lower_words


def extract_mentions(article: Article, doc: Doc, codebook: Codebook | None = None) -> pd.DataFrame:
    """Every mention of a person, organisation, place or group in one article."""
    from presslab.tagger import entities

    cb = codebook or load_codebook()
    sents = doc.sentences
    tokens = _sentence_tokens(doc)
    if not sents:
        return pd.DataFrame(columns=COLUMNS)
    ner = entities(
        [t if s.part not in SKIP_NER_PARTS else [] for s, t in zip(sents, tokens, strict=True)]
    )
    mentions: list[_Mention] = []

    def span(k: int, a: int, b: int) -> tuple[int, int]:
        return sents[k].tokens[a][0], sents[k].tokens[b - 1][1]

    def add(k: int, a: int, b: int, type_: str, kind: str, name: str) -> _Mention:
        s, e = span(k, a, b)
        m = _Mention(s, e, type_, kind, k, name, (a, b))
        mentions.append(m)
        return m

    # 1. what is never an actor ("Iron Dome"), then codebook labels (they win over a name
    # inside them: "the Islamic Republic").
    taken: dict[int, list[tuple[int, int]]] = {}
    lows = [_norms(toks) for toks in tokens]
    pre = cb.prefixes
    for k, toks in enumerate(tokens):
        for a, b, _ in _find_phrases(
            toks, cb.by_non_actor, cb.max_len, False, lows[k], pre["non_actor"]
        ):
            taken.setdefault(k, []).append((a, b))
    for k, toks in enumerate(tokens):
        if sents[k].part in SKIP_NER_PARTS | CREDIT_PARTS:
            continue
        for a, b, entry in _find_phrases(
            toks, cb.by_label, cb.max_len, False, lows[k], pre["label"]
        ):
            add(k, a, b, entry.type, "label", entry.name)
            taken.setdefault(k, []).append((a, b))

    # 2. names from the model, typed, with codebook names and metonyms applied.
    for k, a, b, typ in ner:
        if _overlaps((a, b), taken.get(k, [])):
            continue
        toks = tokens[k]
        if (
            typ != "PER"
            and b - a > 1
            and toks[a][:1].isupper()
            and toks[a].lower() in PERSON_HONORIFICS
        ):
            typ = "PER"  # "Mr Ebbers" read as an organisation
        surface = _join(toks[a:b])
        entry = cb.lookup(surface)
        if entry is not None and not _compatible(entry.type, typ):
            entry = None  # "Jordan" the player is not Jordan the state
        kind = "credit" if sents[k].part in CREDIT_PARTS else "name"
        if kind == "credit" and _norm(surface) in CREDIT_WORDS:
            continue
        if (
            typ == "PER"
            and b - a == 1
            and b + 1 < len(toks)
            and toks[b][:1].isdigit()
            and toks[b + 1][:1].islower()
        ):
            continue  # "Arrow 3 battery": a model number follows products, not people
        title_at = _title_tail(toks, a, b, cb) if entry is None and typ != "PER" else None
        if title_at is not None:
            # "U.S. Ambassador", "Israeli Defense Minister" read as one organisation: a place
            # or nationality and a title are a role, not a body. The place stays a mention;
            # the title words are left to the role of the person they precede.
            if title_at > a and (place := cb.canonical_place(_join(toks[a:title_at]))):
                add(k, a, title_at, "place", kind, place)
            taken.setdefault(k, []).append((a, b))
            continue
        if entry is None and typ == "MISC":
            group = _group(surface, cb)
            if group is None:
                # Not an actor, but no codebook name is cut out of it ("U.S. Open").
                taken.setdefault(k, []).append((a, b))
                continue
            entry_name, type_ = group, "group"
        elif entry is not None:
            entry_name, type_ = entry.name, entry.type
        else:
            type_ = TYPES[typ]
            entry_name = surface
            if type_ == "place":
                entry_name = cb.canonical_place(surface) or surface
            if type_ == "person":
                entry_name = _join(_person_name(toks[a:b], cb))
        metonym = cb.by_metonym.get(_key(surface))
        acting = metonym is not None and kind == "name" and typ in {"LOC", "ORG"}
        if acting and _acts(toks, a, b):
            add(k, a, b, metonym.type, "metonym", metonym.name)
            taken.setdefault(k, []).append((a, b))
            continue
        add(k, a, b, type_, kind, entry_name)
        taken.setdefault(k, []).append((a, b))

    # 3. codebook names the model missed ("IDF", "Hezbollah" in a lower-case context).
    for k, toks in enumerate(tokens):
        if sents[k].part in SKIP_NER_PARTS | CREDIT_PARTS:
            continue
        for a, b, entry in _find_phrases(toks, cb.by_name, cb.max_len, True, lows[k], pre["name"]):
            if a < b and toks[a].lower() == "the":
                a += 1
            inner = [m for m in mentions if m.sentence == k and a < m.tokens[1] and m.tokens[0] < b]
            # A longer codebook name replaces the model's pieces of it ("Israel" in "Israel
            # Defense Forces"); a partial overlap leaves the model's reading.
            if any(
                m.tokens[0] < a
                or m.tokens[1] > b
                or m.kind not in {"name", "metonym"}
                or m.tokens == (a, b)
                for m in inner
            ):
                continue
            for m in inner:
                mentions.remove(m)
            add(k, a, b, entry.type, "name", entry.name)
            taken.setdefault(k, []).append((a, b))

    # 4. groups named by nationality ("Israelis") the model left out.
    for k, toks in enumerate(tokens):
        if sents[k].part in SKIP_NER_PARTS | CREDIT_PARTS:
            continue
        for a, tok in enumerate(toks):
            if (
                tok[:1].isupper()
                and tok.endswith("s")
                and not _overlaps((a, a + 1), taken.get(k, []))
            ):
                group = _group(tok, cb)
                if group:
                    add(k, a, a + 1, "group", "name", group)
                    taken.setdefault(k, []).append((a, a + 1))

    # 5. credits the model did not see as names: the whole byline, a photo credit's name.
    _credits(article, doc, tokens, mentions, add)

    mentions.sort(key=lambda m: (m.start, m.end))
    _link_people(mentions, tokens, cb)
    orgs = []
    for m in mentions:
        if m.type == "person" and m.kind == "name":
            m.role, m.affiliation, org = _role_before(
                tokens[m.sentence], m.tokens[0], mentions, m.sentence, cb
            )
            if org is not None and m.affiliation:
                orgs.append((m.sentence, *org, m.affiliation))
    for k, a, b, name in orgs:
        add(k, a, b, "organisation", "name", name)
    _titles(mentions, tokens, sents, add, cb, lows)
    mentions.sort(key=lambda m: (m.start, m.end))
    _pronouns(mentions, tokens, sents, add)
    return _frame(article, doc, mentions)


#: title words that also end names of places, bodies and teams ("Ohio State", "Court of
#: Justice", "Foreign Office"): a name ending in one is left as the model read it
_NOT_LAST_TITLE = frozenset(
    [
        "state",
        "foreign",
        "defense",
        "defence",
        "interior",
        "finance",
        "justice",
        "general",
        "head",
        "chief",
        "member",
        "official",
        "officer",
        "leader",
        "speaker",
        "deputy",
        "vice",
        "prime",
        "rear",
        "chair",
        "major",
        "lord",
        "lady",
        "king",
        "queen",
        "prince",
        "pope",
    ]
)


def _title_tail(toks: Sequence[str], a: int, b: int, cb: Codebook) -> int | None:
    """Where the title words start in a name that is a place or nationality followed by
    titles only ("U.S. Ambassador", "Israeli Defense Minister"), else None.

    Names that merely end in a title word keep their reading ("European Court of Justice",
    "Senate Majority Leader" has no place before it).
    """
    if _norm(toks[b - 1]) in _NOT_LAST_TITLE:
        return None
    t = b
    while t > a and _norm(toks[t - 1]) in cb.titles:
        t -= 1
    if t in (b, a):
        return None
    head = _join(toks[a:t])
    if cb.demonyms.get(_norm(head)) or cb.canonical_place(head):
        return t
    return None


def _acts(toks: Sequence[str], a: int, b: int) -> bool:
    """Whether the place at tokens ``a:b`` acts (a metonym: "Tehran launched", "Tehran's
    proxies", "Jerusalem and its allies intercepted") rather than locates ("in Tehran")."""
    from presslab.tagger import pos_tag

    if a and toks[a - 1].lower() in LOCATIVE:
        return False
    nxt = toks[b].lower() if b < len(toks) else ""
    if nxt in {"'s", "’s"}:
        return True
    if nxt == "and" and b + 1 < len(toks) and toks[b + 1].lower() in {"its", "their", "other"}:
        return True
    tags = pos_tag(list(toks))
    return b < len(toks) and tags[b][:2] in {"VB", "MD"}


def _compatible(codebook_type: str, ner_type: str) -> bool:
    """Whether a codebook entry may name what the model typed ``ner_type``."""
    if ner_type == "MISC" or codebook_type == "group":
        return True
    # Places act as organisations in news ("Israel said") and vice versa ("Kremlin").
    if {codebook_type, TYPES[ner_type]} <= {"place", "organisation"}:
        return True
    return TYPES[ner_type] == codebook_type


def _group(surface: str, cb: Codebook) -> str | None:
    """The group a nationality noun names ("Israelis" -> Israelis), else None."""
    entry = cb.lookup(surface)
    if entry is not None and entry.type == "group":
        return entry.name
    key = _norm(surface)
    if key.endswith("s") and (key in cb.demonyms or key[:-1] in cb.demonyms):
        return surface
    if key in cb.demonyms and key.endswith(("s", "ese")) and surface[:1].isupper():
        return surface
    return None


def _credits(article: Article, doc: Doc, tokens, mentions: list[_Mention], add) -> None:
    for part in ("byline", "credit"):
        span = article.layout.get(part)
        if not span:
            continue
        inside = [m for m in mentions if span[0] <= m.start < span[1]]
        if part == "byline":
            # The byline as a whole: "JNS Staff Report", "By Jane Doe".
            for k, s in enumerate(doc.sentences):
                if not (span[0] <= s.start < span[1]) or not tokens[k]:
                    continue
                toks = tokens[k]
                a = 1 if toks[0].lower() == "by" and len(toks) > 1 else 0
                b = len(toks)
                while b > a and not toks[b - 1][:1].isalnum():
                    b -= 1
                if b <= a:
                    continue
                covered = [m for m in inside if m.sentence == k]
                if len(covered) == 1 and covered[0].tokens == (a, b):
                    continue
                for m in covered:
                    mentions.remove(m)
                type_ = (
                    "person"
                    if any(m.type == "person" for m in covered) and len(covered) == 1
                    else "organisation"
                )
                add(k, a, b, type_, "credit", _join(toks[a:b]))
        elif not inside:
            for k, s in enumerate(doc.sentences):
                if not (span[0] <= s.start < span[1]):
                    continue
                toks = tokens[k]
                # "(Photo: Ariel Hermoni/Defense Ministry)": the name after the colon.
                a = next((i + 1 for i, t in enumerate(toks) if t == ":"), 0)
                b = a
                while b < len(toks) and toks[b][:1].isupper():
                    b += 1
                if b > a:
                    add(k, a, b, "person", "credit", _join(toks[a:b]))


def _link_people(mentions: list[_Mention], tokens, cb: Codebook) -> None:
    """Give a bare surname or first name the full name it shortens, within the article."""
    full = [
        m for m in mentions if m.type == "person" and m.kind == "name" and len(m.name.split()) > 1
    ]
    for m in mentions:
        if m.type != "person" or m.kind not in {"name"} or len(m.name.split()) > 1:
            continue
        key = m.name.lower()
        # "Mr. Obama" is not the Michelle Obama named before: an honorific rules out a full
        # name of the other gender.
        required = words_gender(_words_at(tokens, m))
        candidates = [
            f
            for f in full
            if key in {f.name.split()[-1].lower(), f.name.split()[0].lower()}
            and compatible(required, name_gender(f.name))
        ]
        if candidates:
            before = [f for f in candidates if f.start < m.start]
            m.name = (before[-1] if before else candidates[0]).name
            continue
        # No full name in the article: a codebook person with that surname, if only one.
        known = {
            e.name for e in cb.entries if e.type == "person" and e.name.split()[-1].lower() == key
        }
        if len(known) == 1:
            m.name = known.pop()
    for m in mentions:
        entry = cb.lookup(m.name)
        if entry is not None and m.kind == "name" and entry.type == m.type:
            m.name = entry.name


def _titles(mentions: list[_Mention], tokens, sents, add, cb: Codebook, lows=None) -> None:
    """'the defense minister' -> the person last introduced with that role."""
    roles: list[tuple[int, str, _Mention]] = []  # (offset, lower role phrase, person)
    for m in mentions:
        if m.type == "person" and m.kind == "name" and m.role:
            phrase = _norm(m.role)
            roles.append((m.start, phrase, m))
            head = phrase.split()[-1]
            if head in cb.titles and head != phrase:
                roles.append((m.start, head, m))
            if m.affiliation:
                for demonym, country in cb.demonyms.items():
                    if country == m.affiliation and " " not in demonym:
                        roles.append((m.start, f"{demonym} {phrase}", m))
    if not roles:
        return
    # A head word shared by two people ("minister") points to neither.
    owners: dict[str, set[str]] = {}
    for _, phrase, m in roles:
        owners.setdefault(phrase, set()).add(m.name)
    phrases = {p for p, who in owners.items() if len(who) == 1}
    max_len = max(len(p.split()) for p in phrases) if phrases else 0
    taken = {(m.sentence, m.tokens) for m in mentions}
    for k, toks in enumerate(tokens):
        if sents[k].part in SKIP_NER_PARTS | CREDIT_PARTS:
            continue
        low_toks = lows[k] if lows is not None else [_norm(t) for t in toks]
        for a, low in enumerate(low_toks):
            if low != "the":
                continue
            for n in range(max_len, 0, -1):
                phrase = " ".join(low_toks[a + 1 : a + 1 + n])
                if phrase not in phrases or a + 1 + n > len(toks):
                    continue
                nxt = toks[a + 1 + n] if a + 1 + n < len(toks) else ""
                if nxt[:1].isupper() and nxt[:1].isalpha():
                    break  # "the defense minister Yoav Gallant": the name is the mention
                offset = sents[k].tokens[a][0]
                cands = [m for off, p, m in roles if p == phrase and off < offset]
                if cands and (k, (a, a + 1 + n)) not in taken:
                    person = cands[-1]
                    add(k, a, a + 1 + n, "person", "title", person.name)
                break


def resolve_pronoun(
    mentions: pd.DataFrame, offset: int, gender: str | None = None, window: int = 2
) -> tuple[str, str] | None:
    """The person a pronoun at ``offset`` refers to, when only one can be meant.

    ``mentions`` is one article's mentions table (with ``sentence_id``); the candidates are the
    people mentioned in the pronoun's sentence before it and in the ``window`` sentences before.
    Returns ``(actor_id, name)`` when exactly one person is among them, else None. With
    ``gender`` ("m" or "f", the pronoun's), people whose first name shows the other gender are
    no candidates (see :mod:`presslab.gender`).
    """
    if gender not in (None, "m", "f"):
        raise ValueError(f"gender must be 'm', 'f' or None, not {gender!r}")
    if mentions is None or not len(mentions):
        return None
    people = mentions[
        (mentions["type"] == "person")
        & (mentions["kind"] != "credit")
        & (mentions["start"] < offset)
    ]
    if not len(people):
        return None
    here = mentions[(mentions["start"] <= offset)]
    sid = (
        int(people["sentence_id"].max())
        if not len(here)
        else int(max(people["sentence_id"].max(), here["sentence_id"].max()))
    )
    near = people[people["sentence_id"] >= sid - window]
    if gender is not None and len(near):
        names = near["name"] if "name" in near else near["surface"]
        near = near[[compatible(gender, name_gender(str(n))) for n in names]]
    ids = list(dict.fromkeys(near["actor_id"]))
    if len(ids) != 1:
        return None
    row = near.iloc[-1]
    return str(row["actor_id"]), str(row.get("name", row["surface"]))


def _words_at(tokens, m: _Mention) -> list[str]:
    """The words of a mention that may state its gender (:func:`presslab.gender.evidence_words`)."""
    toks = tokens[m.sentence]
    a, b = m.tokens
    return evidence_words(toks[a - 1] if a > 0 else None, toks[a:b], m.role)


def _genders(people: list[_Mention], tokens) -> dict[str, str | None]:
    """Each person's gender as far as the article shows it (see :mod:`presslab.gender`)."""
    words: dict[str, list[str]] = {}
    for m in people:
        words.setdefault(m.name, []).extend(_words_at(tokens, m))
    return {name: person_gender(name, ws) for name, ws in words.items()}


def _pronouns(mentions: list[_Mention], tokens, sents, add) -> None:
    """'he concluded' -> the one person of that gender (or of unknown gender) mentioned in
    this or the two previous sentences."""
    people = [m for m in mentions if m.type == "person" and m.kind != "credit"]
    genders: dict[str, str | None] | None = None
    for k, toks in enumerate(tokens):
        if sents[k].part in SKIP_NER_PARTS | CREDIT_PARTS:
            continue
        for a, tok in enumerate(toks):
            if tok.lower() not in {"he", "she"}:
                continue
            offset = sents[k].tokens[a][0]
            near = [m for m in people if m.start < offset and m.sentence >= k - 2]
            names = {m.name for m in near}
            if names:
                genders = genders if genders is not None else _genders(people, tokens)
                required = PRONOUN_GENDER[tok.lower()]
                names = {n for n in names if compatible(required, genders.get(n))}
            if len(names) == 1:
                add(k, a, a + 1, "person", "pronoun", names.pop())


def _frame(article: Article, doc: Doc, mentions: list[_Mention]) -> pd.DataFrame:
    sents = doc.sentences
    body_pars = [s.paragraph for s in sents if s.part == "body"]
    lead = min(body_pars) if body_pars else None
    rows = []
    seen = set()
    for m in sorted(mentions, key=lambda m: (m.start, m.end, m.kind)):
        key = (m.start, m.end, m.kind)
        if key in seen:
            continue
        seen.add(key)
        s = sents[m.sentence]
        # In the order of COLUMNS: tuples make the same frame as dicts, a little faster.
        rows.append(
            (
                article.article_id,
                m.start,
                m.end,
                article.text[m.start : m.end],
                slug(m.name),
                m.type,
                m.kind,
                s.sentence_id,
                m.name,
                m.role,
                m.affiliation,
                s.part,
                lead is not None and s.paragraph == lead,
            )
        )
    return pd.DataFrame(rows, columns=column_index("mentions"))


# --------------------------------------------------------------------------- corpus level


def actor_names(mentions: pd.DataFrame) -> dict[str, str]:
    """``actor_id -> canonical name`` for the mentions given (e.g. one article's)."""
    if mentions is None or not len(mentions):
        return {}
    col = "name" if "name" in mentions else "surface"
    out: dict[str, str] = {}
    for actor_id, names in mentions.groupby("actor_id", sort=True)[col]:
        out[str(actor_id)] = Counter(names.dropna().astype(str)).most_common(1)[0][0]
    return out


def _most_common(values: pd.Series) -> str | None:
    values = values.dropna().astype(str)
    values = values[values != ""]
    if not len(values):
        return None
    counts = Counter(values)
    best = max(counts.values())
    return sorted(v for v, c in counts.items() if c == best)[0]


def _most_common_by(df: pd.DataFrame, column: str) -> dict:
    """:func:`_most_common` of ``column`` for every actor_id, in one pass."""
    counts: dict = {}
    keys, values = df["actor_id"], df[column]
    # Missing values are dropped up front, and the rest read as Python objects in one go:
    # iterating a pandas column element by element costs more than the counting.
    present = ~(keys.isna().to_numpy() | values.isna().to_numpy())
    for key, value in zip(keys[present].tolist(), values[present].tolist(), strict=True):
        value = str(value)
        if value:
            counts.setdefault(key, Counter())[value] += 1
    out = {}
    for key, c in counts.items():
        best = max(c.values())
        out[key] = sorted(v for v, n in c.items() if n == best)[0]
    return out


def canonical_actors(
    mentions: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """One row per actor across the corpus (credits excluded), with role, side and prominence.

    ``in_headline`` and ``in_first_paragraph`` count the articles where the actor appears
    there; ``first_start`` is the earliest offset of a first mention in any article.
    """
    del articles  # the mentions carry everything needed (part, lead, offsets)
    cb = codebook or load_codebook()
    if mentions is None or not len(mentions):
        return pd.DataFrame(columns=ACTOR_COLUMNS)
    df = mentions[mentions["kind"] != "credit"]
    # One pass over the columns instead of pandas calls per actor group: a corpus has tens
    # of thousands of actors and the per-group overhead dominated (same values, same order).
    sizes = df.groupby("actor_id", sort=True).size()
    names = _most_common_by(df, "name" if "name" in df else "surface")
    roles = _most_common_by(df, "role") if "role" in df else {}
    affiliations = _most_common_by(df, "affiliation") if "affiliation" in df else {}
    types = _most_common_by(df, "type")
    # Plain dicts: a Series lookup per actor costs more than building the dict.
    n_articles = df.groupby("actor_id")["article_id"].nunique().to_dict()
    if "part" in df:
        in_headline = (
            df[df["part"] == "headline"].groupby("actor_id")["article_id"].nunique().to_dict()
        )
    if "in_lead" in df:
        in_lead = (
            df[df["in_lead"].astype(bool)].groupby("actor_id")["article_id"].nunique().to_dict()
        )
    first_start = (
        df.groupby(["actor_id", "article_id"])["start"].min().groupby(level=0).min().to_dict()
    )
    rows = []
    for actor_id, size in sizes.items():
        entry = cb.by_id.get(str(actor_id))
        name = entry.name if entry else names.get(actor_id)
        role = roles.get(actor_id)
        affiliation = affiliations.get(actor_id)
        if entry is not None:
            role = role or entry.role
            affiliation = affiliation or entry.affiliation
        type_ = entry.type if entry else types.get(actor_id)
        if affiliation is None and type_ == "place":
            affiliation = cb.canonical_place(str(name))
        side = entry.side if entry and entry.side else None
        if side is None and affiliation:
            aff = cb.by_id.get(slug(affiliation))
            side = aff.side if aff else None
        rows.append(
            {
                "actor_id": actor_id,
                "name": name,
                "type": type_,
                "role": role,
                "affiliation": affiliation,
                "side": side,
                "n_mentions": int(size),
                "n_articles": int(n_articles[actor_id]),
                "in_headline": int(in_headline.get(actor_id, 0)) if "part" in df else 0,
                "in_first_paragraph": int(in_lead.get(actor_id, 0)) if "in_lead" in df else 0,
                "first_start": int(first_start[actor_id]),
            }
        )
    return pd.DataFrame(rows, columns=ACTOR_COLUMNS)


# --------------------------------------------------------------------------- for notebooks


def top_actors(
    actors: pd.DataFrame, by: str = "n_mentions", n: int = 15, min_mentions: int = 1
) -> pd.DataFrame:
    """The ``n`` actors with most ``by`` (``n_mentions`` or ``n_articles``), ties by name.

    >>> df = pd.DataFrame({"name": ["A", "B", "C"], "n_mentions": [1, 5, 5],
    ...                    "n_articles": [1, 1, 2]})
    >>> top_actors(df, n=2)["name"].tolist()
    ['B', 'C']
    """
    df = actors[actors["n_mentions"] >= min_mentions]
    return (
        df.sort_values([by, "name"], ascending=[False, True], kind="mergesort")
        .head(n)
        .reset_index(drop=True)
    )


def actors_by(actors: pd.DataFrame, column: str, min_mentions: int = 1) -> pd.DataFrame:
    """Actors and their mentions per value of ``column`` (``type``, ``affiliation``, ``side``);
    a missing value is shown as ``(none)``."""
    df = actors[actors["n_mentions"] >= min_mentions].copy()
    df[column] = df[column].fillna("(none)").astype(str)
    out = (
        df.groupby(column, sort=True)
        .agg(n_actors=("actor_id", "count"), n_mentions=("n_mentions", "sum"))
        .reset_index()
    )
    return out.sort_values(
        ["n_mentions", column], ascending=[False, True], kind="mergesort"
    ).reset_index(drop=True)


def mentions_by_kind(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions per kind (name, title, pronoun, label, metonym, credit)."""
    out = mentions.groupby("kind", sort=True).size().rename("n_mentions").reset_index()
    return out.sort_values(
        ["n_mentions", "kind"], ascending=[False, True], kind="mergesort"
    ).reset_index(drop=True)


def prominence(actors: pd.DataFrame, n: int = 15, min_mentions: int = 1) -> pd.DataFrame:
    """How prominently the top actors appear: articles with them in the headline, in the first
    paragraph, and the earliest first mention."""
    cols = ["name", "type", "n_articles", "in_headline", "in_first_paragraph", "first_start"]
    return top_actors(actors, "n_mentions", n, min_mentions)[cols]


def cooccurrence(
    mentions: pd.DataFrame, actors: pd.DataFrame | None = None, min_mentions: int = 1
) -> pd.DataFrame:
    """Pairs of actors named in the same sentence: ``source, target, n_sentences,
    n_articles`` (credits left out; with ``actors``, only those with ``min_mentions``)."""
    columns = ["source", "target", "n_sentences", "n_articles"]
    if mentions is None or not len(mentions):
        return pd.DataFrame(columns=columns)
    df = mentions[mentions["kind"] != "credit"]
    if actors is not None:
        keep = set(actors.loc[actors["n_mentions"] >= min_mentions, "actor_id"].astype(str))
        df = df[df["actor_id"].astype(str).isin(keep)]
    pairs: Counter[tuple[str, str]] = Counter()
    arts: dict[tuple[str, str], set[str]] = {}
    for (article, _), ids in df.groupby(["article_id", "sentence_id"])["actor_id"]:
        unique = sorted(set(ids.astype(str)))
        for i, a in enumerate(unique):
            for b in unique[i + 1 :]:
                pairs[(a, b)] += 1
                arts.setdefault((a, b), set()).add(str(article))
    rows = [(a, b, n, len(arts[(a, b)])) for (a, b), n in sorted(pairs.items())]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(
        ["n_sentences", "source", "target"], ascending=[False, True, True], kind="mergesort"
    ).reset_index(drop=True)


def network(edges: pd.DataFrame, actors: pd.DataFrame) -> nx.Graph:
    """A networkx graph of the co-occurrence edges, nodes labelled with names and sized by
    mentions, with a seeded spring layout in ``graph.graph["pos"]`` (same input, same
    drawing)."""
    import networkx as nx

    graph = nx.Graph()
    info = actors.set_index(actors["actor_id"].astype(str))
    for row in edges.itertuples(index=False):
        for node in (row.source, row.target):
            if node not in graph:
                name = info.loc[node, "name"] if node in info.index else node
                size = int(info.loc[node, "n_mentions"]) if node in info.index else 1
                kind = info.loc[node, "type"] if node in info.index else None
                graph.add_node(node, name=str(name), n_mentions=size, type=kind)
        graph.add_edge(row.source, row.target, weight=int(row.n_sentences))
    graph.graph["pos"] = nx.spring_layout(graph, seed=0, weight="weight") if len(graph) else {}
    return graph


def draw_network(graph: nx.Graph, ax: Axes, colors: dict[str, str] | None = None) -> None:
    """Draw a :func:`network` graph on a matplotlib axis: node size by mentions, edge width by
    shared sentences, colour by actor type."""
    import networkx as nx

    colors = colors or {}
    pos = graph.graph["pos"]
    sizes = [120 + 60 * graph.nodes[n]["n_mentions"] for n in graph]
    fill = [colors.get(graph.nodes[n]["type"], "#999999") for n in graph]
    widths = [0.8 + graph.edges[e]["weight"] for e in graph.edges]
    nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, edge_color="#bbbbbb")
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=sizes, node_color=fill)
    nx.draw_networkx_labels(
        graph, pos, ax=ax, font_size=8, labels={n: graph.nodes[n]["name"] for n in graph}
    )
