"""Properties over arbitrary text (hypothesis): the loader and every extractor never crash, and
every row of every table slices back to its surface.

Texts mix arbitrary Unicode with the pieces news is made of (quotation marks of every kind,
cue verbs, titles, names, figures, dates, bylines, markup), so that the extractors' own paths
are exercised and not only their early exits. Examples are derandomised (the same on every
run, as a test suite must be) and nothing is written to a hypothesis database.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spans import span_problems

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FRAGMENTS = [
    # quotation marks and punctuation, balanced or not
    "“",
    "”",
    '"',
    "'",
    "‘",
    "’",
    "«",
    "»",
    "—",
    "–",
    "-",
    "(",
    ")",
    ".",
    ",",
    ":",
    ";",
    "?",
    "!",
    "...",
    "…",
    " ",
    " ",
    " ",
    "\n",
    "\n\n",
    "\t",
    "\u00a0",
    "\u200b",
    "\u2028",
    # speech, titles, names, places, organisations
    "said",
    " said ",
    "told reporters",
    "according to",
    "added",
    "warned",
    "Mr.",
    "Dr.",
    "Gen.",
    "U.S.",
    "President",
    "Prime Minister",
    "Joe Biden",
    "Yoav Gallant",
    "Gallant’s",
    "Israel",
    "the ministry",
    "Hamas",
    "the United Nations",
    "officials",
    "a spokesperson",
    "he",
    "she",
    "they",
    "O’Brien",
    "Jean-Luc",
    "al-Sisi",
    # figures and their qualifiers
    "1,000",
    "3.5%",
    "$4.2bn",
    "£400m",
    "€1.5 million",
    "200",
    "0",
    "1.2.3",
    "99,99",
    "more than",
    "at least",
    "about",
    "up to",
    "dozens of",
    "hundreds of",
    "half",
    "two-thirds",
    "killed",
    "injured",
    "people",
    "rose by",
    "fell to",
    "between 10 and 20",
    "per cent",
    "-5",
    "1e9",
    # layout and dates
    "April 14, 2024",
    "14 Apr 2024",
    "2024-02-30",
    "By Jane Doe",
    "Reuters",
    "(Photo: AP)",
    "Copyright 2024",
    "Read more",
    "<p>",
    "</p>",
    "&amp;",
    "<b>",
    # letters whose case mapping changes length, and other scripts
    "İ",
    "ß",
    "ﬁ",
    "Σ",
    "ǅ",
    "١٢٣",
    "𝟘",
    "中文",
    "עברית",
    "🙂",
]

news_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=80).map(
    "".join
)
any_text = st.one_of(news_like, st.text(max_size=300))


def _analyse(text: str, article_id: str = "doc"):
    from presslab.corpus import article_from_text
    from presslab.tables import analyze_article

    article = article_from_text(text, article_id)
    return article, analyze_article(article)


@SETTINGS
@given(st.binary(max_size=2000))
def test_decoding_never_crashes(data):
    from presslab.corpus import decode_bytes
    from presslab.errors import InputError

    try:
        text, encoding = decode_bytes(data, "x.txt")
    except InputError as exc:
        assert exc.file == "x.txt" and exc.reason
        return
    assert "\r" not in text and text.strip() and encoding


@SETTINGS
@given(any_text)
def test_layout_spans_lie_in_the_text(text):
    from presslab.corpus import LAYOUT_PARTS, article_from_text

    article = article_from_text(text)
    assert "\r" not in article.text
    for part, (start, end) in article.layout.items():
        assert part in LAYOUT_PARTS
        assert 0 <= start <= end <= len(article.text)
    if article.headline is not None and "headline" in article.layout:
        assert article.part("headline") == article.headline


@SETTINGS
@given(any_text)
def test_segmentation_covers_the_text_in_order(text):
    from presslab.corpus import article_from_text
    from presslab.text import segment

    article = article_from_text(text)
    doc = segment(article)
    previous_end = 0
    for sentence in doc.sentences:
        assert previous_end <= sentence.start < sentence.end <= len(article.text)
        for start, end in sentence.tokens:
            assert sentence.start <= start < end <= sentence.end
        previous_end = sentence.end
    # Every letter or digit of the text is in some token: nothing is silently skipped.
    words = {i for s, e in doc.tokens for i in range(s, e)}
    assert all(i in words for i, ch in enumerate(article.text) if ch.isalnum())


@SETTINGS
@given(any_text)
def test_every_extractor_runs_and_every_row_slices_back(text):
    article, result = _analyse(text)
    assert result.failures == []
    assert span_problems(result.tables, {article.article_id: article.text}) == []


@settings(SETTINGS, max_examples=25)
@given(st.lists(news_like, min_size=1, max_size=4))
def test_corpus_tables_never_crash(texts):
    from presslab.schemas import ARTICLE_TABLES, SCHEMAS
    from presslab.tables import corpus_tables, empty

    results = [_analyse(t, f"a{i}")[1] for i, t in enumerate(texts)]
    tables = {
        table: pd.concat([r.tables[table] for r in results] + [empty(table)], ignore_index=True)
        for table in ARTICLE_TABLES
    }
    tables["articles"] = pd.DataFrame([r.row for r in results], columns=SCHEMAS["articles"])
    out = corpus_tables(tables)
    for table, df in out.items():
        assert list(df.columns) == SCHEMAS[table]


@SETTINGS
@given(
    st.lists(
        st.one_of(any_text.map(lambda t: t.replace("\n", " ")), st.binary(max_size=40)), max_size=6
    )
)
def test_jsonl_lines_are_records_or_errors(tmp_path_factory, lines):
    import json

    from presslab.corpus import Article, LoadError, load_corpus

    path = tmp_path_factory.mktemp("jsonl") / "c.jsonl"
    encoded = []
    for n, line in enumerate(lines):
        if isinstance(line, bytes):
            encoded.append(line.replace(b"\n", b" "))
        else:
            encoded.append(json.dumps({"id": f"r{n}", "text": line}).encode())
    path.write_bytes(b"\n".join(encoded) + b"\n")
    for item in load_corpus(path):
        assert isinstance(item, Article | LoadError)
        if isinstance(item, LoadError):
            assert item.file.startswith(path.as_posix()) and item.reason
