"""Tone with VADER (Hutto & Gilbert 2014): per sentence, per article, per actor, per quote.

NLTK's ``SentimentIntensityAnalyzer`` reads its lexicon through ``nltk.data``, which (since
NLTK 3.9) refuses files outside ``nltk.data.path`` and would otherwise need
``nltk.download``. presslab never downloads: it copies the lexicon that the ``vadersentiment``
package ships into a data folder it controls (``$PRESSLAB_NLTK_DATA``, else
``$XDG_CACHE_HOME/presslab/nltk_data``, else ``~/.cache/presslab/nltk_data``; a temporary
folder if none is writable) and adds that folder to ``nltk.data.path``.

Levels of the ``tone`` table (``target`` says what the row is about):

* ``sentence``: one row per sentence of headline, dek, captions and body; ``target`` is the
  sentence id;
* ``article``: the mean of those sentences; ``target`` is the article id;
* ``actor``: the mean over the sentences that mention the actor (credits excluded);
  ``target`` is the actor id, ``start``/``end`` span its first to last such sentence;
* ``quote``: VADER on the quoted words; ``target`` is the speaker's actor id (empty if none).

>>> round(polarity("The strike was a brutal, cowardly attack.")["compound"], 2) < 0
True
"""

from __future__ import annotations

import os
import shutil
import string
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from presslab.corpus import Article
from presslab.schemas import column_index
from presslab.text import Doc

#: where the lexicon lives inside the data folder (an nltk.data resource name)
LEXICON_RESOURCE = "sentiment/vader_lexicon.txt"
COUNTED_PARTS = frozenset({"headline", "dek", "caption", "body"})


def nltk_data_dir() -> Path:
    """The NLTK data folder presslab controls (not created here)."""
    if os.environ.get("PRESSLAB_NLTK_DATA"):
        return Path(os.environ["PRESSLAB_NLTK_DATA"])
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "presslab" / "nltk_data"


def data_folders() -> list[Path]:
    """Where presslab may keep the files it derives (the VADER lexicon, the first-name table),
    in order: its data folder, then a per-user temporary one for when that is not writable."""
    return [nltk_data_dir(), Path(tempfile.gettempdir()) / f"presslab-nltk_data-{os.getuid()}"]


def _source_lexicon() -> Path:
    source = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    return Path(str(source))


def install_lexicon() -> Path:
    """Copy VADER's lexicon into the data folder (once) and register the folder with NLTK."""
    import nltk

    source = _source_lexicon()
    for root in data_folders():
        target = root / LEXICON_RESOURCE
        try:
            if not target.exists() or target.stat().st_size != source.stat().st_size:
                target.parent.mkdir(parents=True, exist_ok=True)
                # Copy to a temporary name first: parallel workers may race on first use.
                tmp = target.with_suffix(f".{os.getpid()}.tmp")
                shutil.copyfile(source, tmp)
                os.replace(tmp, target)
        except OSError:
            continue
        if str(root) not in nltk.data.path:
            nltk.data.path.append(str(root))
        return target
    raise OSError("no writable folder for the VADER lexicon: set PRESSLAB_NLTK_DATA")


@cache
def analyzer():
    """NLTK's VADER analyser with the ``vadersentiment`` lexicon."""
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    install_lexicon()
    return SentimentIntensityAnalyzer(lexicon_file=LEXICON_RESOURCE)


def polarity(text: str) -> dict[str, float]:
    """VADER scores of a text: ``compound`` in [-1, 1] and the ``pos``/``neu``/``neg`` shares.

    The same numbers as ``analyzer().polarity_scores(text)``, about four times faster: NLTK's
    ``SentiText`` builds a dictionary of every word with every punctuation mark glued to it
    (17 keys per word) to strip punctuation from tokens, and scores every word, though only
    lexicon words can carry a valence. Both are replaced by exact shortcuts; the scoring rules
    themselves (boosters, negation, idioms, "but", punctuation emphasis) are NLTK's own methods.
    """
    if not isinstance(text, str):
        return analyzer().polarity_scores(text)
    from nltk.sentiment.vader import SentiText

    vader = analyzer()
    constants = vader.constants
    lexicon = vader.lexicon
    boosters = constants.BOOSTER_DICT
    words = _words_and_emoticons(
        text, constants.REGEX_REMOVE_PUNCTUATION, _punc_set(tuple(constants.PUNC_LIST))
    )
    lows = [w.lower() for w in words]
    sentitext = None
    first_index: dict[str, int] = {}
    last = len(words) - 1
    sentiments: list[float] = []
    for item, low in zip(words, lows, strict=True):
        if low not in lexicon or low in boosters:
            # NLTK appends 0 for these (or 0 times a negation scalar, which sums the same)
            sentiments.append(0)
            continue
        if sentitext is None:
            sentitext = SentiText.__new__(SentiText)
            sentitext.text = text
            sentitext.words_and_emoticons = words
            sentitext.is_cap_diff = sentitext.allcap_differential(words)
            for idx, token in enumerate(words):
                first_index.setdefault(token, idx)
        # NLTK looks at the first occurrence of a repeated token: so do we.
        i = first_index[item]
        if low == "kind" and i < last and lows[i + 1] == "of":
            sentiments.append(0)
            continue
        sentiments = vader.sentiment_valence(0, sentitext, item, i, sentiments)
    if "but" in lows:
        # NLTK's _but_check: words before the first "but" count half, words after it 1.5 times
        but = lows.index("but")
        sentiments = [
            v * 0.5 if k < but else v * 1.5 if k > but else v for k, v in enumerate(sentiments)
        ]
    if sentiments and not any(sentiments):
        # What NLTK's score_valence gives when no word carries a valence (a third of the
        # sentences): a zero sum gains no punctuation emphasis, and every word counts neutral.
        return {"neg": 0.0, "neu": 1.0, "pos": 0.0, "compound": 0.0}
    return vader.score_valence(sentiments, text)


#: ASCII punctuation, which NLTK's VADER strips from the ends of tokens
_PUNCTUATION = frozenset(string.punctuation)


@cache
def _punc_set(punc_list: tuple[str, ...]) -> frozenset[str]:
    return frozenset(punc_list)


def _words_and_emoticons(text: str, remove_punctuation, punc_set: frozenset[str]) -> list[str]:
    """NLTK's ``SentiText._words_and_emoticons`` without its 17-keys-per-word dictionary.

    NLTK maps a token to ``w`` when it is ``p + w`` or ``w + p`` with ``p`` in its
    ``PUNC_LIST`` and ``w`` a word (longer than one character) of the text with all ASCII
    punctuation removed. Such a ``w`` holds no punctuation, so ``p`` can only be the token's
    whole leading (or trailing) run of punctuation: checking that one split is exact.
    """
    words_only = {w for w in remove_punctuation.sub("", text).split() if len(w) > 1}
    out = []
    for we in text.split():
        if len(we) <= 1:
            continue
        if we[0] in _PUNCTUATION:
            k = 1
            while k < len(we) and we[k] in _PUNCTUATION:
                k += 1
            if we[:k] in punc_set and we[k:] in words_only:
                we = we[k:]
        elif we[-1] in _PUNCTUATION:
            k = len(we) - 1
            while k > 0 and we[k - 1] in _PUNCTUATION:
                k -= 1
            if we[k:] in punc_set and we[:k] in words_only:
                we = we[:k]
        out.append(we)
    return out


def _mean_row(
    article_id: str, level: str, target: str, scores: list[dict], start: int, end: int
) -> tuple:
    n = len(scores)
    mean = {k: sum(s[k] for s in scores) / n for k in ("compound", "pos", "neu", "neg")}
    return (
        article_id,
        level,
        target,
        start,
        end,
        mean["compound"],
        mean["pos"],
        mean["neu"],
        mean["neg"],
        n,
    )


def extract_tone(
    article: Article,
    doc: Doc,
    mentions: pd.DataFrame | None = None,
    quotes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The ``tone`` table of one article (levels: sentence, article, actor, quote)."""
    aid = article.article_id
    sentences = [s for s in doc.sentences if s.part in COUNTED_PARTS]
    scores = {s.sentence_id: polarity(doc.text(s)) for s in sentences}
    rows = []
    for s in sentences:
        v = scores[s.sentence_id]
        rows.append(
            (
                aid,
                "sentence",
                str(s.sentence_id),
                s.start,
                s.end,
                v["compound"],
                v["pos"],
                v["neu"],
                v["neg"],
                1,
            )
        )
    if sentences:
        rows.append(
            _mean_row(
                aid, "article", aid, list(scores.values()), sentences[0].start, sentences[-1].end
            )
        )
    if mentions is not None and len(mentions):
        by_actor: dict[str, set[int]] = {}
        # Plain columns, not DataFrame filters and rows: pandas costs more than the work here.
        # (as lists: iterating a list is cheaper than iterating a Series)
        for actor_id, kind, start in zip(
            mentions["actor_id"].tolist(),
            mentions["kind"].tolist(),
            mentions["start"].tolist(),
            strict=True,
        ):
            if kind == "credit" or pd.isna(actor_id):
                continue
            s = doc.sentence_at(int(start))
            if s is not None and s.sentence_id in scores:
                by_actor.setdefault(str(actor_id), set()).add(s.sentence_id)
        for actor_id, ids in sorted(by_actor.items()):
            chosen = [doc.sentences[i] for i in sorted(ids)]
            rows.append(
                _mean_row(
                    aid,
                    "actor",
                    actor_id,
                    [scores[i] for i in sorted(ids)],
                    chosen[0].start,
                    chosen[-1].end,
                )
            )
    if quotes is not None and len(quotes):
        speakers = (
            quotes["speaker_actor_id"] if "speaker_actor_id" in quotes else [None] * len(quotes)
        )
        for start, end, speaker in zip(quotes["start"], quotes["end"], speakers, strict=True):
            start, end = int(start), int(end)
            v = polarity(article.text[start:end])
            target = "" if speaker is None or pd.isna(speaker) else str(speaker)
            n = len({s.sentence_id for s in doc.sentences if s.start < end and start < s.end})
            rows.append(
                (
                    aid,
                    "quote",
                    target,
                    start,
                    end,
                    v["compound"],
                    v["pos"],
                    v["neu"],
                    v["neg"],
                    max(n, 1),
                )
            )
    return pd.DataFrame(rows, columns=column_index("tone"))
