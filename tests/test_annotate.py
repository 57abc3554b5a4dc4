"""The annotated article: marks from table rows, nesting and crossing, layout, escaping."""

from __future__ import annotations

import itertools
from html.parser import HTMLParser

import pandas as pd
import pytest
from conftest import load_cases
from presslab import annotate
from presslab.corpus import article_from_text
from presslab.errors import InputError
from presslab.schemas import SCHEMAS

KINDS = set(annotate.KINDS)


def _find(text: str, surface: str, occurrence: int) -> int:
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(surface, at + 1)
    return at


def case_tables(article) -> dict[str, pd.DataFrame]:
    """The hand-made rows of tests/cases/annotate_seed.yaml as schema tables."""
    case = load_cases("annotate_seed.yaml")
    text, aid = article.text, article.article_id
    tables = {}
    for name in ("mentions", "quotes", "figures", "frames"):
        rows = []
        for row in case[name]:
            row = dict(row)
            start = _find(text, row.pop("surface"), row.pop("occurrence"))
            row["start"] = start
            row["end"] = start + len(case[name][len(rows)]["surface"])
            if name == "quotes":
                cue = text.index(row.pop("cue_surface"))
                row.update(
                    text=text[row["start"] : row["end"]],
                    cue_start=cue,
                    cue_end=cue + row.pop("cue_length"),
                )
            else:
                row["surface"] = text[row["start"] : row["end"]]
            rows.append({"article_id": aid, **row})
        tables[name] = pd.DataFrame(rows).reindex(columns=SCHEMAS[name])
    tables["actors"] = pd.DataFrame(case["actors"]).reindex(columns=SCHEMAS["actors"])
    return tables


class MarkText(HTMLParser):
    """Collects, per mark id, the text inside it, and checks that tags are balanced."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.texts: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.fragments: set[str] = set()
        self.part_text: dict[str, str] = {}
        self.in_label = False
        self.in_text = 0
        self.scripts = 0
        self.plain: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "meta", "br", "img"):
            return
        mark = (
            attrs.get("data-id")
            if tag == "mark" and "pl-swatch" not in attrs.get("class", "")
            else None
        )
        if tag == "mark" and mark:
            self.kinds[mark] = attrs["data-kind"]
            if "pl-frag" in attrs["class"]:
                self.fragments.add(mark)
        if tag == "span" and attrs.get("class") == "pl-part-label":
            self.in_label = True
        if tag == "div" and attrs.get("class") == "pl-text":
            self.in_text = len(self.stack) + 1
        if tag == "script":
            self.scripts += 1
        self.stack.append((tag, mark))

    def handle_endtag(self, tag):
        open_tag, _ = self.stack.pop()
        assert open_tag == tag, f"</{tag}> closes <{open_tag}>"
        if tag == "span":
            self.in_label = False
        if self.in_text and len(self.stack) < self.in_text:
            self.in_text = 0

    def handle_data(self, data):
        if self.in_text and not self.in_label:
            self.plain.append(data)
        for _, mark in self.stack:
            if mark:
                self.texts[mark] = self.texts.get(mark, "") + data


def parse(html: str) -> MarkText:
    parser = MarkText()
    parser.feed(html)
    parser.close()
    assert parser.stack == [], "unclosed tags"
    return parser


@pytest.fixture(scope="module")
def seed_case(seed_article):
    return seed_article, case_tables(seed_article)


def test_marks_keep_the_offsets_contract(seed_case):
    article, tables = seed_case
    marks = annotate.article_marks(article, tables)
    assert list(marks.columns) == annotate.MARK_COLUMNS
    for row in marks.itertuples():
        assert article.text[row.start : row.end] == row.surface
    counts = marks.groupby(["kind", "role"]).size().to_dict()
    assert counts == {
        ("actor", "mention"): 5,
        ("actor", "credit"): 1,
        ("quote", "quote"): 1,
        ("quote", "cue"): 1,
        ("figure", "figure"): 2,
        ("frame", "frame"): 4,
    }
    assert marks["start"].is_monotonic_increasing


def test_marks_carry_the_rows_details(seed_case):
    article, tables = seed_case
    marks = annotate.article_marks(article, tables).set_index("surface")
    assert marks.loc["over 100", "label"] == "(100, inf) ballistic missiles"
    assert "qualifier: more_than" in marks.loc["over 100", "details"]
    assert "claimed by: daniel-hagari" in marks.loc["some 99%", "details"]
    quote = marks[marks["kind"] == "quote"]
    assert set(quote["label"]) == {"direct quote: Gallant", "cue of a quote by Gallant"}
    assert "role: defense minister" in marks.loc["Yoav Gallant", "details"]


def test_nested_and_crossing_marks_are_well_formed(seed_case):
    article, tables = seed_case
    html = annotate.render_article(article, tables)
    parsed = parse(html)
    marks = annotate.article_marks(article, tables)
    # Every mark's text, gathered over its fragments, is its surface: nothing lost, nothing
    # doubled (the layout-crossing cue loses only the blank lines between parts).
    for row in marks.itertuples():
        expected = row.surface if "\n\n" not in row.surface else row.surface.replace("\n\n", "")
        assert parsed.texts[row.mark_id] == expected, row.mark_id
        assert parsed.kinds[row.mark_id] == row.kind
    # The quote's cue verb sits after the quote; the frame cue across the quote's end is split.
    crossing = marks[marks["surface"] == "explosives,” said"]["mark_id"].item()
    date_to_body = marks[marks["surface"].str.startswith("2024")]["mark_id"].item()
    assert {crossing, date_to_body} <= parsed.fragments
    assert set(parsed.kinds.values()) == KINDS


def test_article_text_is_rendered_whole_and_in_order(seed_case):
    article, tables = seed_case
    parsed = parse(annotate.render_article(article, tables))
    shown = "".join(parsed.plain)
    # Blank stretches between layout parts are left out; everything else is there, in order.
    assert shown.replace("\n", "") == article.text.replace("\n", "")


def test_layout_blocks_cover_the_text(seed_article):
    blocks = annotate.layout_blocks(seed_article)
    assert blocks[0][0] == 0 and blocks[-1][1] == len(seed_article.text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(blocks))
    parts = [p for _, _, p in blocks if p]
    assert parts == [
        "headline",
        "caption",
        "credit",
        "dek",
        "byline",
        "dateline",
        "body",
        "boilerplate",
    ]


def test_layout_parts_are_visible(seed_case):
    article, tables = seed_case
    html = annotate.render_article(article, tables)
    for part in ("headline", "caption", "byline", "body", "boilerplate"):
        assert f'data-part="{part}"' in html
    assert "boilerplate (not analysed as coverage)" in html
    # The legend counts items: the quote and its cue verb are one quote.
    for kind, n in {"quote": 1, "actor": 6, "figure": 2, "frame": 4}.items():
        assert f'pl-{kind} pl-swatch">{kind}</mark> {n}</label>' in html


HOSTILE = (
    'Minister says <script>window.__pwned = 1</script> attack was "repelled"\n\n'
    'Officials said <img src=x onerror="window.__pwned = 2"> 300 drones were launched, and '
    "</textarea><textarea> the army said the missile attack failed.\n\n"
    "A spokesman said: \"We intercepted 99% of them.\" <a href='javascript:alert(1)'>link</a>"
)


def test_hostile_article_text_is_shown_not_run():
    article = article_from_text(
        HOSTILE,
        'x"><script>alert(3)</script>',
        meta={"outlet": "<b onmouseover=alert(4)>Daily</b>"},
    )
    start = article.text.index("<img")
    tables = {
        "mentions": pd.DataFrame(
            [
                {
                    "article_id": article.article_id,
                    "start": start,
                    "end": start + 10,
                    "surface": article.text[start : start + 10],
                    "actor_id": '"><script>alert(5)</script>',
                    "kind": "name",
                    "type": "person",
                }
            ]
        ),
        "frames": pd.DataFrame(
            [
                {
                    "article_id": article.article_id,
                    "sentence_id": 0,
                    "frame": "conflict",
                    "cue": "<script>",
                    "start": 14,
                    "end": 22,
                    "weight": 1.0,
                }
            ]
        ),
    }
    html = annotate.render_article(article, tables)
    parsed = parse(html)
    assert parsed.scripts == 1  # ours, static
    assert "<script>window" not in html and "<img" not in html and "</textarea>" not in html
    assert "<b onmouseover" not in html and "<a href" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    shown = "".join(parsed.plain)
    assert shown.replace("\n", "") == article.text.replace("\n", "")
    assert parsed.texts["actor-0"] == article.text[start : start + 10]


def test_an_article_with_no_rows_renders(seed_article):
    html = annotate.render_article(seed_article, {})
    parsed = parse(html)
    assert parsed.texts == {}
    assert html.count("none found") == 4
    profile = annotate.sentence_profile(seed_article, {})
    assert list(profile.columns) == ["sentence_id", "part", "start", "end", *annotate.KINDS]


def test_rows_with_bad_offsets_are_left_out(seed_article):
    frames = pd.DataFrame(
        [
            {"article_id": seed_article.article_id, "start": 5, "end": 2, "frame": "conflict"},
            {"article_id": seed_article.article_id, "start": None, "end": 9, "frame": "conflict"},
            {"article_id": seed_article.article_id, "start": 0, "end": 10**6, "frame": "conflict"},
            {"article_id": "another", "start": 0, "end": 7, "frame": "conflict"},
            {"article_id": seed_article.article_id, "start": 0, "end": 7, "frame": "conflict"},
        ]
    )
    marks = annotate.article_marks(seed_article, {"frames": frames})
    assert marks[["start", "end", "surface"]].values.tolist() == [[0, 7, "Gallant"]]


def test_sentence_profile_counts_marks_where_they_start(seed_case, seed_doc):
    article, tables = seed_case
    sentences = pd.DataFrame(
        [
            (article.article_id, s.sentence_id, s.start, s.end, s.paragraph, s.part, len(s.tokens))
            for s in seed_doc.sentences
        ],
        columns=SCHEMAS["sentences"],
    )
    profile = annotate.sentence_profile(article, {**tables, "sentences": sentences})
    by_part = profile.groupby("part")[list(annotate.KINDS)].sum()
    assert by_part.loc["caption", "actor"] == 1  # Yoav Gallant in the caption
    assert by_part.loc["credit", "actor"] == 1  # the photographer's credit
    assert profile[list(annotate.KINDS)].to_numpy().sum() == 13  # the cue verb is not counted
    assert by_part.loc["body", "figure"] == 2


def test_side_tables(seed_case):
    article, tables = seed_case
    side = annotate.article_tables(tables, article.article_id)
    actors = side["actors"]
    assert (
        actors["name"].tolist()[:2] == ["Yoav Gallant", "Daniel Hagari"]
        or actors["name"].tolist()[0] == "Yoav Gallant"
    )
    assert "Ariel Hermoni" not in set(actors["name"])  # a photo credit is not a story actor
    assert side["figures"]["qualifier"].tolist() == ["more_than", "approximate"]
    assert side["frames"]["frame"].iloc[0] == "alliance_diplomacy"


def test_find_articles_reads_txt_and_jsonl(tmp_path, seed_article):
    import json

    from presslab.tables import article_row
    from presslab.text import segment

    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps({"id": "n1", "text": "Storm hits coast\n\nWinds rose."}) + "\n", encoding="utf-8"
    )
    from presslab.corpus import load_corpus

    loaded = next(iter(load_corpus(corpus)))
    rows = pd.DataFrame(
        [article_row(loaded, segment(loaded)), article_row(seed_article, segment(seed_article))]
    )
    found = annotate.find_articles(rows, corpus, ["n1", seed_article.article_id])
    assert found["n1"].text == loaded.text
    assert found[seed_article.article_id].text == seed_article.text
    changed = rows.assign(sha256=["0" * 64, rows["sha256"].iloc[1]])
    with pytest.raises(InputError, match="changed since"):
        annotate.find_article(changed, corpus, "n1")
    with pytest.raises(InputError, match="no such article id"):
        annotate.find_article(rows, corpus, "missing")


def test_only_reported_numbers_are_marked_as_figures(seed_article):
    text = seed_article.text
    rows = []
    for surface, value_type in [
        ("Arrow 3", "name"),
        ("April 14, 2024", "date"),
        ("over 300", "count"),
        ("99%", "percent"),
    ]:
        start = text.index(surface)
        rows.append(
            {
                "article_id": seed_article.article_id,
                "start": start,
                "end": start + len(surface),
                "surface": surface,
                "value_type": value_type,
            }
        )
    marks = annotate.article_marks(seed_article, {"figures": pd.DataFrame(rows)})
    assert marks["surface"].tolist() == ["over 300", "99%"]
