"""A learned attribution tagger: which words of a paragraph are a source, a cue and a content.

The rules of :mod:`presslab.quotes` find an attribution by its cue word, from a lexicon. On
PolNeAR they are precise but miss a long tail of predicates ("took aim at", "touting", "is
bent on") that no word list covers (DESIGN.md: given the gold cues, the same rules score F1
0.905; with the lexicon's, 0.80). This model reads each paragraph and tags every token with
PolNeAR's scheme (``B-``/``I-`` of ``SRC``, ``CUE``, ``CON``, or ``O``). With ``presslab analyze
--quotes learned`` the quotes module lets its attributions decide what is attributed, and
gives them the rules' speaker, cue and shape where the rules found the same one
(:func:`presslab.quotes.extract_quotes`).

What the model reads of each token (:func:`token_features`), all cheap lookups:

- the word (lower case, digits folded), its shape and last three letters;
- what the rules saw: the lexicon's cue class at the token, the cues the rules kept, whether
  it opens, continues or closes a quotation, its role in the rules' own rows (content by kind,
  cue, speaker), the actor mention it is part of (type and kind), the layout part, whether it
  opens a sentence, and how far the nearest kept cue is before and after it in its sentence;
- WordNet 3.0 (Princeton University; its licence allows redistribution with its notice,
  which the model file carries): the supersense of the word's most frequent verb and noun
  sense, and whether any verb sense is one of communication, cognition or emotion. These let
  the model treat a verb it never saw in training ("interjecting", verb.communication) like
  the ones it did.

The network (trained by ``scripts/train_attribution.py``, weights in
``models/attribution.npz``) embeds those features, reads each paragraph (or piece of one, at
most :data:`MAX_SEQUENCE` tokens) with a two-layer bidirectional LSTM, scores the tags, and
decodes the best tag sequence with a linear-chain CRF's transitions (Viterbi). The file may
also hold a residual dilated-convolution encoder with sentence and paragraph pooling
(``--encoder cnn``: faster, and 0.02 lower F1 on held-out PolNeAR). Inference is NumPy only,
float32, and tags a long text in blocks of sequences; the file holds weights,
vocabularies and the WordNet tables, never a sentence of the training text.

The shipped file is an ensemble: three such networks trained from different seeds, whose tag
scores and transitions are averaged (:meth:`Model.ensemble`; content F1 0.846 on PolNeAR dev
against 0.838 for the first alone, before the decoding bias), decoded with a small cost on
``O`` (the header's ``tag_bias``, chosen on held-out train articles). Its large matrices
are stored as small integers and a scale per row or column (:func:`quantise`: 6 bits a word
vector, 8 elsewhere), 4.7 MB for the three where half precision took 10.
``$PRESSLAB_ATTRIBUTION_MODEL`` names another file: one network, or one trained with
``--holdout`` to choose settings on a fifth of train (``make holdout``).
"""

from __future__ import annotations

import bisect
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).parent / "models" / "attribution.npz"
#: bumped when the file's layout or the meaning of a feature changes (older files are refused)
FORMAT_VERSION = 2
ROLES = ("SRC", "CUE", "CON")
TAGS = ("O", *(f"{p}-{r}" for r in ROLES for p in "BI"))
#: the features of each token, in the order the model's embedding tables are stored
FEATURES = (
    "shape",
    "suffix",
    "lexicon",
    "cue",
    "quote",
    "rule",
    "mention",
    "part",
    "first",
    "verb_sense",
    "verb_class",
    "noun_sense",
    "cue_before",
    "cue_after",
)
#: matrices of at least this many values are stored as small integers and a scale per row or
#: column (Model.save, :func:`quantise`); smaller arrays are stored as they are
PACKED_MIN = 4096
#: bits kept of each word vector (a scale per word) and of the other matrices' columns (a scale
#: per output unit). Chosen for size against fidelity on PolNeAR train articles (a sample of
#: 104,248 tokens, three networks): 98 tags differ from half precision at 6/8 bits, 29 at 8/8
#: and 402 at 4/8; the three networks' file is 4.7 MB at 6/8 against 10 MB in half precision.
EMBEDDING_BITS = 6
MATRIX_BITS = 8
#: a paragraph longer than this is tagged in pieces cut at sentence starts
MAX_SEQUENCE = 150
#: distinct words whose feature ids are kept (the cache starts again past this)
_WORD_CACHE = 200_000
#: tokens tagged at a time (a long article is tagged in blocks of whole sequences)
_BLOCK_TOKENS = 4096
#: sequences the LSTM runs together (bounds its working memory: about 20 MB a network)
_LSTM_GROUP = 32
#: bucket edges of the distance to the nearest kept cue
_DISTANCE_EDGES = (0, 1, 2, 3, 5, 8, 12, 20, 30)

Span = tuple[int, int]


# --------------------------------------------------------------------------- WordNet


#: WordNet's 45 lexicographer files, by number (lexnames(5WN))
LEXNAMES = (  # noqa: SIM905 (the names as lexnames(5WN) prints them, in order)
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute "
    "noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group "
    "noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant "
    "noun.possession noun.process noun.quantity noun.relation noun.shape noun.state "
    "noun.substance noun.time verb.body verb.change verb.cognition verb.communication "
    "verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion "
    "verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()
#: WordNet's detachment rules (morphy(7WN)): inflected ending -> base ending
_DETACH = {
    "verb": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", "")),
    "noun": (
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
    ),
}
_DETACH_ING = (("ing", "e"), ("ing", ""))
_VERB_CLASSES = ("communication", "cognition", "emotion")


@dataclass(frozen=True)
class WordSenses:
    """WordNet's supersenses of an English word form, as the tagger's features use them.

    ``verbs`` maps a verb lemma to its supersenses (most frequent sense first), ``nouns`` a
    noun lemma to the supersense of its most frequent sense, ``exceptions`` an irregular form
    to its lemma by part of speech ("said" -> "say"). Built from WordNet's dictionary files by
    ``scripts/train_attribution.py`` and stored in the model file.
    """

    verbs: dict[str, tuple[str, ...]]
    nouns: dict[str, str]
    exceptions: dict[str, dict[str, str]]
    #: the features of every word looked up so far (a word's features never change)
    _seen: dict[str, tuple[str, str, str]] = field(default_factory=dict, repr=False, compare=False)

    def lemma(self, word: str, pos: str) -> str | None:
        """The lemma of a lower-case ``word`` as a verb or noun, as WordNet's morphy finds it."""
        table = self.verbs if pos == "verb" else self.nouns
        irregular = self.exceptions[pos].get(word)
        if irregular is not None:
            return irregular
        if word in table:
            return word
        rules = _DETACH[pos] + (_DETACH_ING if pos == "verb" else ())
        for ending, base in rules:
            if word.endswith(ending) and len(word) > len(ending) + 1:
                candidate = word[: -len(ending)] + base
                if candidate in table:
                    return candidate
        return None

    def features(self, word: str) -> tuple[str, str, str]:
        """(first verb supersense, verb classes among communication/cognition/emotion, first
        noun supersense) of a lower-case word; ``"O"`` where WordNet has nothing."""
        known = self._seen.get(word)
        if known is not None:
            return known
        if not word.isalpha():
            found = ("O", "O", "O")
        else:
            verb = self.lemma(word, "verb")
            senses = self.verbs.get(verb, ()) if verb else ()
            classes = "+".join(c for c in _VERB_CLASSES if f"verb.{c}" in senses) or "O"
            noun = self.lemma(word, "noun")
            found = (
                (senses[0] if senses else "O"),
                classes,
                (self.nouns.get(noun, "O") if noun else "O"),
            )
        self._seen[word] = found
        return found

    def to_json(self) -> dict:
        return {
            "verbs": {w: list(s) for w, s in sorted(self.verbs.items())},
            "nouns": self.nouns,
            "exceptions": self.exceptions,
        }

    @classmethod
    def from_json(cls, data: dict) -> WordSenses:
        return cls(
            verbs={w: tuple(s) for w, s in data["verbs"].items()},
            nouns=dict(data["nouns"]),
            exceptions={pos: dict(table) for pos, table in data["exceptions"].items()},
        )


def read_wordnet(folder: str | Path) -> WordSenses:
    """The tables :class:`WordSenses` needs, from WordNet 3.0's dictionary files (``index.*``,
    ``data.*``, ``*.exc``; Debian's ``wordnet-base`` installs them in /usr/share/wordnet).

    Only single-word lower-case lemmas are kept: a token is one word.
    """
    folder = Path(folder)
    verbs: dict[str, tuple[str, ...]] = {}
    nouns: dict[str, str] = {}
    exceptions: dict[str, dict[str, str]] = {}
    for pos in ("verb", "noun"):
        lexfile: dict[str, str] = {}
        for line in (folder / f"data.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):  # (the licence, at the top of every file)
                continue
            offset, number, _ = line.split(" ", 2)
            lexfile[offset] = LEXNAMES[int(number)]
        for line in (folder / f"index.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma, n_synsets = fields[0], int(fields[2])
            if not lemma.isalpha() or lemma != lemma.lower():
                continue
            # (synset offsets close the line, most frequent sense first)
            senses = tuple(lexfile[o] for o in fields[-n_synsets:])
            if pos == "verb":
                verbs[lemma] = senses
            else:
                nouns[lemma] = senses[0]
        table: dict[str, str] = {}
        for line in (folder / f"{pos}.exc").read_text(encoding="latin-1").splitlines():
            fields = line.split()
            if len(fields) >= 2 and fields[0].isalpha():
                table.setdefault(fields[0], fields[1])
        exceptions[pos] = table
    return WordSenses(verbs, nouns, exceptions)


# --------------------------------------------------------------------------- features


@dataclass(frozen=True)
class Tokens:
    """One article's tokens as the tagger reads them (built by :mod:`presslab.quotes` from its
    own pass over the article, so that the model sees what the rules saw).

    Every list has one item a token. ``lexicon``, ``cue``, ``rule`` and ``mention`` are
    ``B-``/``I-`` labels (see :func:`bio_labels`) or ``"O"``; ``quote`` is ``OPEN``, ``IN``,
    ``CLOSE``, ``UNCLOSED`` (the last token of a quotation never closed) or ``"O"``.
    """

    spans: Sequence[Span]
    words: Sequence[str]
    sentence: Sequence[int]
    paragraph: Sequence[int]
    part: Sequence[str]
    quote: Sequence[str]
    lexicon: Sequence[str]
    cue: Sequence[str]
    rule: Sequence[str]
    mention: Sequence[str]


def bio_labels(spans: Sequence[Span], labelled: Iterable[tuple[Span, str]]) -> list[str]:
    """``B-label``/``I-label`` for the tokens (``spans``, in text order) that each character
    span overlaps, ``"O"`` elsewhere; a later span overwrites an earlier one."""
    out = ["O"] * len(spans)
    starts = [s for s, _ in spans]
    for (start, end), label in labelled:
        k = bisect.bisect_right(starts, start) - 1
        if k < 0 or spans[k][1] <= start:
            k += 1
        first = True
        while k < len(spans) and spans[k][0] < end:
            out[k] = ("B-" if first else "I-") + label
            first = False
            k += 1
    return out


def _shape(word: str) -> str:
    """Character classes of the first six characters, runs collapsed ("McCain" -> "XxXx")."""
    out: list[str] = []
    for ch in word[:6]:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _bucket(distance: int | None) -> str:
    if distance is None:
        return "none"
    for edge in _DISTANCE_EDGES:
        if distance <= edge:
            return str(edge)
    return "far"


def normal_word(word: str) -> str:
    """The word as the model's vocabulary holds it: lower case, any word with a digit one."""
    low = word.lower()
    return "<num>" if any(ch.isdigit() for ch in low) else low


#: the features that depend on the word alone (computed once a word, see Model.feature_ids)
WORD_FEATURES = ("word", "shape", "suffix", "verb_sense", "verb_class", "noun_sense")
#: the features that depend on the token's place in the article
PLACE_FEATURES = tuple(f for f in FEATURES if f not in WORD_FEATURES)


def word_features(word: str, senses: WordSenses) -> tuple[str, ...]:
    """The :data:`WORD_FEATURES` of one word, in that order."""
    low = word.lower()
    return (normal_word(word), _shape(word), low[-3:], *senses.features(low))


def place_features(tokens: Tokens) -> dict[str, list[str]]:
    """The :data:`PLACE_FEATURES` of each token, as strings."""
    n = len(tokens.words)
    first = [False] * n
    for k in range(n):
        first[k] = k == 0 or tokens.sentence[k] != tokens.sentence[k - 1]
    cue_before: list[str] = []
    last = None
    for k in range(n):
        if first[k]:
            last = None
        cue_before.append(_bucket(None if last is None else k - last))
        if tokens.cue[k] != "O":
            last = k
    cue_after = [""] * n
    nxt = None
    for k in range(n - 1, -1, -1):
        cue_after[k] = _bucket(None if nxt is None else nxt - k)
        if tokens.cue[k] != "O":
            nxt = k
        if first[k]:
            nxt = None
    return {
        "lexicon": list(tokens.lexicon),
        "cue": list(tokens.cue),
        "quote": list(tokens.quote),
        "rule": list(tokens.rule),
        "mention": list(tokens.mention),
        "part": list(tokens.part),
        "first": [str(f) for f in first],
        "cue_before": cue_before,
        "cue_after": cue_after,
    }


def token_features(tokens: Tokens, senses: WordSenses) -> dict[str, list[str]]:
    """Every feature of :data:`FEATURES` (and ``word``) for each token, as strings (what the
    model was trained on; :meth:`Model.feature_ids` gives the same as vocabulary ids)."""
    by_word = [word_features(w, senses) for w in tokens.words]
    out = {name: [f[k] for f in by_word] for k, name in enumerate(WORD_FEATURES)}
    out.update(place_features(tokens))
    return {name: out[name] for name in ("word", *FEATURES)}


def sequences(tokens: Tokens, max_len: int = MAX_SEQUENCE) -> list[range]:
    """The token ranges tagged together: paragraphs, long ones cut at sentence starts."""
    out: list[range] = []
    start = 0
    n = len(tokens.words)
    for k in range(1, n + 1):
        if (
            k == n
            or tokens.paragraph[k] != tokens.paragraph[k - 1]
            or (k - start >= max_len and tokens.sentence[k] != tokens.sentence[k - 1])
        ):
            out.append(range(start, k))
            start = k
    return out


# --------------------------------------------------------------------------- attributions


@dataclass(frozen=True)
class Attribution:
    """One attribution the model found: content spans (a quote split around its cue has two),
    its cue and its source (character spans; cue and source may be missing)."""

    content: tuple[Span, ...]
    cue: Span | None
    source: Span | None


def tag_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(role, first token, end token) of each run of one role in a ``B-``/``I-`` sequence."""
    out: list[tuple[str, int, int]] = []
    for k, tag in enumerate(tags):
        if tag == "O":
            continue
        role = tag[2:]
        if tag.startswith("I-") and out and out[-1][0] == role and out[-1][2] == k:
            out[-1] = (role, out[-1][1], k + 1)
        else:
            out.append((role, k, k + 1))
    return out


Run = tuple[str, int, int]  # (role, first token, end token)


def _nearest_cue(run: Run, cues: list[Run], sentence: Sequence[int]) -> Run | None:
    """The cue nearest a run, one in the run's own sentence first (ties: the earlier)."""

    def distance(cue: Run) -> tuple[bool, int, int]:
        gap = cue[1] - run[2] if cue[1] >= run[2] else run[1] - cue[2]
        return (sentence[cue[1]] != sentence[run[1]], max(gap, 0), cue[1])

    return min(cues, key=distance) if cues else None


def attributions(tokens: Tokens, tags: Sequence[str]) -> list[Attribution]:
    """Group an article's tags into attributions.

    Within a paragraph each content and each source belongs to the nearest cue, preferring one
    in its own sentence (a source keeps the first cue that claims it); a content with no cue in
    its paragraph continues the attribution of the paragraph before, when that one ended with
    a content (a quotation running over several paragraphs is one attribution in PolNeAR).
    """
    spans = tokens.spans

    def chars(run: Run) -> Span:
        return (spans[run[1]][0], spans[run[2] - 1][1])

    out: list[Attribution] = []
    previous: tuple[int, int] | None = None  # (paragraph, index in out) of the last one
    for seq in sequences(tokens):
        runs = [
            (role, seq.start + a, seq.start + b)
            for role, a, b in tag_spans(tags[seq.start : seq.stop])
        ]
        cues = [r for r in runs if r[0] == "CUE"]
        source_of: dict[int, Run] = {}
        for run in runs:
            if run[0] == "SRC" and (cue := _nearest_cue(run, cues, tokens.sentence)) is not None:
                source_of.setdefault(cue[1], run)
        grouped: dict[int, list[Span]] = {}  # cue start -> contents, in order of first content
        for run in runs:
            if run[0] != "CON":
                continue
            cue = _nearest_cue(run, cues, tokens.sentence)
            if cue is not None:
                grouped.setdefault(cue[1], []).append(chars(run))
                continue
            paragraph = tokens.paragraph[run[1]]
            if previous is not None and previous[0] >= paragraph - 1:
                before = out[previous[1]]
                out[previous[1]] = Attribution(
                    (*before.content, chars(run)), before.cue, before.source
                )
                previous = (paragraph, previous[1])
            else:
                out.append(Attribution((chars(run),), None, None))
                previous = (paragraph, len(out) - 1)
        by_start = {cue[1]: cue for cue in cues}
        for start, contents in grouped.items():
            source = source_of.get(start)
            out.append(
                Attribution(
                    tuple(contents),
                    chars(by_start[start]),
                    chars(source) if source else None,
                )
            )
            previous = (tokens.paragraph[start], len(out) - 1)
    return out


# --------------------------------------------------------------------------- the network


class Model:
    """The trained tagger: vocabularies, WordNet tables, weights and tag transitions.

    ``header`` (JSON) holds the architecture, the vocabularies, the WordNet tables and the
    training record; ``weights`` the float32 arrays by name (:meth:`load` reads both from one
    ``.npz``). The encoder is a bidirectional LSTM (``encoder: "lstm"``, PyTorch's gate
    layout) or residual dilated convolutions with sentence and paragraph pooling
    (``encoder: "cnn"``).
    """

    def __init__(self, header: dict, weights: dict[str, np.ndarray]) -> None:
        if header.get("format") != FORMAT_VERSION:
            raise ValueError(
                f"attribution model format {header.get('format')!r}, not {FORMAT_VERSION}"
            )
        if tuple(header["features"]) != FEATURES or tuple(header["tags"]) != TAGS:
            raise ValueError("attribution model: features or tags differ from this presslab's")
        self.header = header
        # An ensemble's networks share the vocabularies (they depend on the data only); the
        # first network's weights are stored by name, the others' as "m1.<name>", "m2.<name>".
        count = int(header.get("members", 1))
        self.members: list[dict[str, np.ndarray]] = [{} for _ in range(count)]
        for name, value in weights.items():
            prefix, _, rest = name.partition(".")
            member = int(prefix[1:]) if prefix[:1] == "m" and prefix[1:].isdigit() else 0
            self.members[member][rest if member else name] = np.asarray(value, np.float32)
        self.w = self.members[0]
        # (the networks' scores are averaged, and so are their tag transitions)
        self._transitions = np.mean([w["crf.transitions"] for w in self.members], axis=0)
        self._start = np.mean([w["crf.start"] for w in self.members], axis=0)
        self._out_w = np.stack([w["out.w"] for w in self.members])
        self._out_b = np.stack([w["out.b"] for w in self.members])
        self.vocab = {
            name: {item: i for i, item in enumerate(items)}
            for name, items in header["vocabularies"].items()
        }
        self.senses = WordSenses.from_json(header["wordnet"])
        # A score added to tags when decoding (``tag_bias``, e.g. {"O": -0.1}): the networks
        # find fewer attributions than PolNeAR marks (precision 0.88, recall 0.78 on the held-out
        # fifth), and a small cost on "outside" trades a little of one for more of the other.
        self.tag_bias = np.zeros(len(TAGS), np.float32)
        for tag, value in header.get("tag_bias", {}).items():
            self.tag_bias[TAGS.index(tag)] = value
        self._word_ids: dict[str, tuple[int, ...]] = {}
        if header["encoder"] == "lstm":
            self._prepare_lstm()

    def _prepare_lstm(self) -> None:
        """The LSTM weights as inference uses them: gates reordered from PyTorch's (input,
        forget, candidate, output) to (input, forget, output, candidate), and the three
        sigmoid gates' columns halved, so that one tanh computes every gate of a step
        (sigmoid(u) = (tanh(u / 2) + 1) / 2)."""
        hidden = int(self.header["hidden"])
        order = np.r_[0 : 2 * hidden, 3 * hidden : 4 * hidden, 2 * hidden : 3 * hidden]
        scale = np.r_[np.full(3 * hidden, 0.5, np.float32), np.ones(hidden, np.float32)]
        both = np.r_[order, order + 4 * hidden]
        # Per layer, every network's weights stacked: input (networks, in, 8 hidden), bias
        # (networks, 8 hidden) and recurrent (networks x 2 directions, hidden, 4 hidden), so
        # that an ensemble's networks step together, as the two directions do.
        self._lstm_weights: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = [
            (
                np.stack(
                    [w[f"lstm{layer}.w_ih"][:, both] * np.r_[scale, scale] for w in self.members]
                ),
                np.stack([w[f"lstm{layer}.b"][both] * np.r_[scale, scale] for w in self.members]),
                np.ascontiguousarray(
                    np.concatenate(
                        [w[f"lstm{layer}.w_hh"][:, :, order] * scale for w in self.members]
                    )
                ),
            )
            for layer in range(int(self.header["layers"]))
        ]

    @classmethod
    def load(cls, path: str | Path = MODEL_PATH) -> Model:
        with np.load(path, allow_pickle=False) as arrays:
            header = json.loads(arrays["header"].tobytes().decode("utf-8"))
            weights = {
                k: dequantise(arrays[k], arrays[f"{k}.scale"])
                if f"{k}.scale" in arrays.files
                else arrays[k]
                for k in arrays.files
                if k != "header" and not k.endswith(".scale")
            }
        return cls(header, weights)

    @classmethod
    def ensemble(cls, models: Sequence[Model]) -> Model:
        """One model whose scores and transitions are the mean of ``models``' (networks trained
        on the same data from different seeds: their vocabularies must be equal)."""
        first = models[0]
        for other in models[1:]:
            if other.header["vocabularies"] != first.header["vocabularies"]:
                raise ValueError("ensemble: the networks' vocabularies differ")
        if len(models) == 1:
            return first
        header = {**first.header, "members": sum(len(m.members) for m in models)}
        return cls(header, _stored_names([w for m in models for w in m.members]))

    def save(self, path: str | Path) -> Path:
        from presslab.modelio import write_npz

        encoded = json.dumps(self.header, sort_keys=True, ensure_ascii=False).encode("utf-8")
        # The matrices are stored as integers and scales (:func:`quantise`; the training script
        # rounds the network to them before its NumPy/PyTorch check), computed in float32.
        arrays = {"header": np.frombuffer(encoded, np.uint8)}
        for name, value in _stored_names(self.members).items():
            if is_packed(value.shape):
                bits = stored_bits(name)
                # (a scale per word of an embedding table, per output unit of the others)
                axis = -1 if bits == EMBEDDING_BITS else -2
                arrays[name], arrays[f"{name}.scale"] = quantise(value, bits, axis)
            else:
                arrays[name] = value
        return write_npz(path, dict(sorted(arrays.items())))

    # ----------------------------------------------------------------- forward

    def feature_ids(self, tokens: Tokens) -> dict[str, np.ndarray]:
        """Each token's index in every vocabulary (1: unknown), as :func:`token_features`
        would give them; the ids of a word's own features are looked up once a word."""
        known = self._word_ids
        if len(known) > _WORD_CACHE:
            known.clear()
        rows = []
        for word in tokens.words:
            ids = known.get(word)
            if ids is None:
                values = word_features(word, self.senses)
                ids = known[word] = tuple(
                    self.vocab[name].get(v, 1)
                    for name, v in zip(WORD_FEATURES, values, strict=True)
                )
            rows.append(ids)
        by_word = np.array(rows, np.int64).reshape(len(rows), len(WORD_FEATURES))
        out = {name: by_word[:, k] for k, name in enumerate(WORD_FEATURES)}
        for name, values in place_features(tokens).items():
            index = self.vocab[name]
            out[name] = np.fromiter((index.get(v, 1) for v in values), np.int64, len(values))
        return out

    def _lstm(self, x: np.ndarray, seqs: list[range]) -> np.ndarray:
        """Bidirectional LSTM layers over each sequence.

        Sequences of similar length run together, one batch a time step (a step costs a few
        NumPy calls whatever the batch, so batching is what makes this fast); groups are
        bounded so that memory does not grow with the article.
        """
        order = sorted(range(len(seqs)), key=lambda k: -len(seqs[k]))
        networks, n = x.shape[0], x.shape[1]
        for w_ih, bias, w_hh in self._lstm_weights:
            out = np.zeros((networks, n + 1, 2 * int(self.header["hidden"])), np.float32)
            # (a last row of zeros: the gates read past a sequence's end, never used)
            gates = np.zeros((networks, n + 1, w_ih.shape[2]), np.float32)
            np.matmul(x, w_ih, out=gates[:, :n])
            gates[:, :n] += bias[:, None, :]
            for first in range(0, len(order), _LSTM_GROUP):
                group = [seqs[k] for k in order[first : first + _LSTM_GROUP]]
                self._lstm_group(gates, w_hh, group, out)
            x = out[:, :-1]
        return x

    def _lstm_group(
        self, gates: np.ndarray, w_hh: np.ndarray, group: list[range], out: np.ndarray
    ) -> None:
        """One layer over a group of sequences (longest first), written into ``out``, for every
        network of the ensemble (``gates`` and ``out``: networks x tokens x features).

        A step costs a handful of NumPy calls whatever the batch and the number of networks:
        the recurrent product, one tanh for the four gates, the cell update and the output.
        """
        hidden = int(self.header["hidden"])
        # w_hh: (2, hidden, 4 hidden), see _prepare_lstm
        starts = np.array([s.start for s in group], np.int64)
        lengths = np.array([len(s) for s in group], np.int64)
        steps = np.arange(int(lengths[0]), dtype=np.int64)[:, None]
        running = steps < lengths  # (steps, sequences); a prefix of each row, longest first
        networks, pad = gates.shape[0], gates.shape[1] - 1
        fwd = np.where(running, starts + steps, pad)
        bwd = np.where(running, starts + lengths - 1 - steps, pad)
        # (steps, networks x 2 directions, sequences, 4 hidden): network k's forward pass is
        # row 2k, its backward pass 2k + 1, as in w_hh
        z_all = np.stack((gates[:, fwd, : 4 * hidden], gates[:, bwd, 4 * hidden :]), axis=2)
        z_all = z_all.transpose(1, 0, 2, 3, 4).reshape(len(steps), 2 * networks, len(group), -1)
        active = running.sum(axis=1)
        h_all = np.zeros((len(steps), 2 * networks, len(group), hidden), np.float32)
        c = np.zeros((2 * networks, len(group), hidden), np.float32)
        cell = np.empty_like(c)
        for t in range(len(steps)):
            a = int(active[t])
            z = z_all[t, :, :a]
            if t:
                z += np.matmul(h_all[t - 1, :, :a], w_hh)
            np.tanh(z, out=z)
            sig = z[..., : 3 * hidden]
            sig += 1.0
            sig *= 0.5
            i, f, o, g = (z[..., k * hidden : (k + 1) * hidden] for k in range(4))
            ct = c[:, :a]
            ct *= f
            np.multiply(i, g, out=i)
            ct += i
            np.tanh(ct, out=cell[:, :a])
            np.multiply(o, cell[:, :a], out=h_all[t, :, :a])
        h_all = h_all.reshape(len(steps), networks, 2, len(group), hidden).transpose(1, 0, 2, 3, 4)
        out[:, fwd, :hidden] = h_all[:, :, 0]
        out[:, bwd, hidden:] = h_all[:, :, 1]
        out[:, pad] = 0.0

    def _cnn(
        self, x: np.ndarray, sentence: np.ndarray, seqs: list[range], w: dict[str, np.ndarray]
    ) -> np.ndarray:
        """Residual dilated convolutions within each sequence, then sentence and paragraph
        max-pooling mixed back into every token."""
        dilations = [int(d) for d in self.header["dilations"]]
        gap = max(dilations)
        # The sequences laid end to end with `gap` zero rows between them and zeroed again
        # after every layer: the same as padding each sequence with zeros on its own.
        n = x.shape[0]
        rows = np.concatenate(
            [np.arange(s.start, s.stop) + gap * (k + 1) for k, s in enumerate(seqs)]
        )
        width = n + gap * (len(seqs) + 1)
        h = np.zeros((width, int(self.header["hidden"])), np.float32)
        h[rows] = np.maximum(x @ w["cnn.proj.w"] + w["cnn.proj.b"], 0.0)
        live = np.zeros((width, 1), np.float32)
        live[rows] = 1.0
        for layer, d in enumerate(dilations):
            taps = w[f"cnn.conv{layer}.w"]  # (3, channels, channels): taps -d, 0, +d
            z = h @ taps[1]
            z[d:] += h[:-d] @ taps[0]
            z[:-d] += h[d:] @ taps[2]
            h = (h + np.maximum(z + w[f"cnn.conv{layer}.b"], 0.0)) * live
        h = h[rows]
        cuts = np.flatnonzero(np.r_[True, sentence[1:] != sentence[:-1]])
        sent_max = np.maximum.reduceat(h, cuts, axis=0)[
            np.cumsum(np.r_[0, sentence[1:] != sentence[:-1]])
        ]
        seq_of = np.repeat(np.arange(len(seqs)), [len(s) for s in seqs])
        para_max = np.maximum.reduceat(h, [s.start for s in seqs], axis=0)[seq_of]
        mixed = np.concatenate((h, sent_max, para_max), axis=1) @ w["cnn.mix.w"]
        return h + np.maximum(mixed + w["cnn.mix.b"], 0.0)

    def scores(
        self, ids: dict[str, np.ndarray], sentence: np.ndarray, seqs: list[range]
    ) -> np.ndarray:
        """Each token's score for each tag (tokens x tags), from its feature ids, its
        sentence number and the sequences tagged together (an ensemble's mean)."""
        x = np.stack(
            [
                np.concatenate(
                    [w[f"embed.{name}"][ids[name]] for name in ("word", *FEATURES)], axis=1
                )
                for w in self.members
            ]
        )
        if self.header["encoder"] == "lstm":
            h = self._lstm(x, seqs)
        else:
            h = np.stack(
                [self._cnn(xm, sentence, seqs, w) for xm, w in zip(x, self.members, strict=True)]
            )
        return (np.matmul(h, self._out_w) + self._out_b[:, None, :]).mean(axis=0)

    def viterbi(self, scores: np.ndarray, seqs: list[range]) -> np.ndarray:
        """The best tag (index into :data:`TAGS`) of every token, each sequence on its own,
        all sequences one batch a step."""
        trans, start = self._transitions, self._start
        order = sorted(range(len(seqs)), key=lambda k: -len(seqs[k]))
        firsts = np.array([seqs[k].start for k in order], np.int64)
        lengths = np.array([len(seqs[k]) for k in order], np.int64)
        best = start + scores[firsts]
        back = []
        for t in range(1, int(lengths[0])):
            # the sequences still running at step t are a prefix (longest first)
            a = int(np.searchsorted(-lengths, -t, side="left"))
            cand = best[:a, :, None] + trans  # (a, from, to)
            back.append(cand.argmax(axis=1))
            best[:a] = cand.max(axis=1) + scores[firsts[:a] + t]
        tags = np.zeros(scores.shape[0], np.int64)
        for b in range(len(order)):
            n = int(lengths[b])
            k = int(best[b].argmax())
            tags[firsts[b] + n - 1] = k
            for t in range(n - 1, 0, -1):
                k = int(back[t - 1][b, k])
                tags[firsts[b] + t - 1] = k
        return tags

    def tag(self, tokens: Tokens) -> list[str]:
        """The best tag of every token (Viterbi within each sequence, over the scores plus the
        header's ``tag_bias``)."""
        if not tokens.words:
            return []
        ids = self.feature_ids(tokens)
        sentence = np.asarray(tokens.sentence)
        tags = np.zeros(len(tokens.words), np.int64)
        # Sequences are tagged each on its own, so a long text is tagged a block of them at a
        # time: memory stays that of a few thousand tokens whatever the article's length.
        for block in _blocks(sequences(tokens), _BLOCK_TOKENS):
            lo, hi = block[0].start, block[-1].stop
            local = [range(s.start - lo, s.stop - lo) for s in block]
            scores = self.scores({k: v[lo:hi] for k, v in ids.items()}, sentence[lo:hi], local)
            tags[lo:hi] = self.viterbi(scores + self.tag_bias, local)
        return [TAGS[k] for k in tags]

    def attributions(self, tokens: Tokens) -> list[Attribution]:
        """The attributions of one article (:func:`attributions` over :meth:`tag`)."""
        return attributions(tokens, self.tag(tokens))


def is_packed(shape: tuple[int, ...]) -> bool:
    """Whether :meth:`Model.save` stores an array of this shape quantised: a matrix of at least
    :data:`PACKED_MIN` values (vectors and small matrices are stored as they are)."""
    return len(shape) > 1 and int(np.prod(shape)) >= PACKED_MIN


def stored_bits(name: str) -> int:
    """The bits a packed matrix keeps: :data:`EMBEDDING_BITS` for an embedding table, by its
    name in the file ("embed.word", "m1.embed.word") or in PyTorch ("embed.word.weight"),
    :data:`MATRIX_BITS` for the others."""
    return EMBEDDING_BITS if "embed" in name.split(".") else MATRIX_BITS


def quantise(values: np.ndarray, bits: int, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """``values`` as signed integers of ``bits`` bits (int8) and one float32 scale per slice
    along ``axis`` (``axis=-1``: a scale per row of an embedding table; ``-2``: per column of a
    ``x @ W`` matrix, one output unit), so that ``dequantise(q, scale)`` approximates them.

    A scale keeps 8 significant bits, so ``q * scale`` is exact in float32 and quantising the
    dequantised values again gives the same integers and scales: the training script rounds
    its network to them, and :meth:`Model.save` then writes exactly those values.
    """
    top = 2 ** (bits - 1) - 1
    values = np.asarray(values, np.float32)
    peak = np.abs(values).max(axis=axis, keepdims=True)
    mantissa, exponent = np.frexp(peak / top)
    scale = np.ldexp(np.round(mantissa * 256) / 256, exponent).astype(np.float32)
    scale[scale == 0] = 1.0  # (a row of zeros, e.g. the padding vector)
    return np.clip(np.rint(values / scale), -top, top).astype(np.int8), scale


def dequantise(values: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The float32 matrix :func:`quantise` stored."""
    return values.astype(np.float32) * scale


def _stored_names(members: Sequence[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """An ensemble's weights by their names in the file: the first network's as they are, the
    others' as "m1.<name>", "m2.<name>" (read back by :class:`Model`)."""
    return {
        (f"m{member}.{name}" if member else name): value
        for member, weights in enumerate(members)
        for name, value in weights.items()
    }


def _blocks(seqs: list[range], budget: int) -> list[list[range]]:
    """Consecutive sequences in blocks of about ``budget`` tokens (a longer one alone)."""
    blocks: list[list[range]] = []
    size = budget
    for seq in seqs:
        if size + len(seq) > budget:
            blocks.append([])
            size = 0
        blocks[-1].append(seq)
        size += len(seq)
    return blocks


#: an attribution model to use instead of the shipped one (e.g. ``make holdout``'s)
MODEL_ENV = "PRESSLAB_ATTRIBUTION_MODEL"


@cache
def load_model() -> Model:
    """The attribution model, loaded once a process: the shipped ``models/attribution.npz``,
    or the file ``$PRESSLAB_ATTRIBUTION_MODEL`` names (a model trained by
    ``scripts/train_attribution.py --holdout`` or on other data)."""
    path = Path(os.environ.get(MODEL_ENV) or MODEL_PATH)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `python scripts/train_attribution.py`")
    return Model.load(path)
