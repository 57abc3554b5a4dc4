"""The loader: the seed's layout spans exactly, encodings, .jsonl/.csv, HTML, bad files."""

from __future__ import annotations

import itertools
import json

import pytest
from conftest import SEED_FILE, load_cases
from presslab.corpus import LoadError, article_from_text, load_article, load_corpus, parse_date

SEED_PARTS = {
    "headline": "Gallant: Attack creates opportunity for anti-Iran alliance",
    "caption": "Israeli Defense Minister Yoav Gallant and U.S. Ambassador to Israel, Jack Lew tour "
    "an Arrow 3 battery, April 14, 2024.",
    "credit": "(Photo: Ariel Hermoni/Defense Ministry)",
    "dek": "The defense minister noted that international cooperation brought about ‘complete "
    "containment of the threats except for a very, very small margin.’",
    "byline": "JNS Staff Report",
    "dateline": "April 14, 2024",
    "boilerplate": "Leave a Reply",
}


def test_seed_layout_parts_exactly(seed_article):
    for part, expected in SEED_PARTS.items():
        assert seed_article.part(part) == expected, part
    body = seed_article.part("body")
    assert body.startswith("Saturday’s mass missile and drone attack by Iran")
    assert body.endswith(
        "exact a price from Iran in the way and at the time that is right for us.”"
    )
    assert "Leave a Reply" not in body


def test_seed_metadata(seed_article):
    assert seed_article.headline == SEED_PARTS["headline"]
    assert seed_article.byline == "JNS Staff Report"
    assert seed_article.date == "2024-04-14"
    assert seed_article.encoding == "utf-8"
    assert seed_article.article_id == "000_979139c0287720a2"


def test_text_is_the_file_and_nothing_is_deleted(seed_article):
    raw = SEED_FILE.read_bytes().decode("utf-8").replace("\r\n", "\n")
    assert seed_article.text == raw
    spans = sorted(seed_article.layout.values())
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start, "layout parts overlap"


@pytest.mark.parametrize("case", load_cases("layout.yaml"), ids=lambda c: c["name"])
def test_layout_cases(case):
    article = article_from_text(case["text"])
    for part, expected in case["parts"].items():
        got = article.part(part) or None
        assert got == expected, part
    assert article.date == case["date"]


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
        ("utf-16-be", b"\xfe\xff", "utf-16"),
    ],
)
def test_encodings_with_and_without_bom(tmp_path, encoding, bom, expected):
    text = SEED_FILE.read_text(encoding="utf-8")
    path = tmp_path / "a.txt"
    path.write_bytes(bom + text.encode(encoding))
    article = load_article(path)
    assert article.encoding == expected
    assert article.text == text
    assert article.headline == SEED_PARTS["headline"]


def test_legacy_single_byte_encoding_is_detected(tmp_path):
    text = (
        "Minister’s “final” offer rejected\n\nThe union said the minister’s offer — "
        "worth €300 a year — was “an insult” to nurses, and it would strike on Monday.\n"
    )
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode("cp1252"))
    article = load_article(path)
    assert article.text == text
    assert article.encoding.replace("_", "").lower() in {"cp1252", "windows1252"}


def test_crlf_newlines_are_normalised(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Rates held\r\n\r\nThe bank held rates at 5%.\r\n")
    article = load_article(path)
    assert "\r" not in article.text
    assert article.part("body") == "The bank held rates at 5%."


def test_html_page_is_reduced_to_visible_text(tmp_path):
    page = (
        "<!DOCTYPE html><html><head><title>Storm hits coast</title>"
        "<script>var x = 1;</script><style>p{}</style></head><body>"
        "<h1>Storm hits coast</h1><p>The storm reached land on <b>Monday</b>.</p>"
        "<p>Thousands lost power.</p></body></html>"
    )
    path = tmp_path / "page.txt"
    path.write_text(page, encoding="utf-8")
    article = load_article(path)
    assert "<" not in article.text and "var x" not in article.text
    assert article.headline == "Storm hits coast"
    assert "The storm reached land on Monday." in article.part("body")
    assert article.encoding.endswith("+html")


def test_jsonl_and_csv_give_ids_and_metadata(tmp_path):
    text = SEED_FILE.read_text(encoding="utf-8")
    records = [
        {"id": "0042", "text": text, "outlet": "JNS", "date": "2024-04-14"},
        {
            "id": "b",
            "text": "Rates held\n\nThe bank held rates.",
            "headline": "Rates held",
            "byline": "Ann Lee",
        },
    ]
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    arts = list(load_corpus(jsonl))
    assert [a.article_id for a in arts] == ["0042", "b"]
    assert arts[0].outlet == "JNS" and arts[0].headline == SEED_PARTS["headline"]
    assert arts[1].byline == "Ann Lee" and arts[1].headline == "Rates held"

    import csv

    path = tmp_path / "c.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "text", "outlet"])
        writer.writeheader()
        for r in records:
            writer.writerow({"id": r["id"], "text": r["text"], "outlet": r.get("outlet", "")})
    arts_csv = list(load_corpus(path))
    assert [a.article_id for a in arts_csv] == ["0042", "b"]
    assert arts_csv[0].text == text


def test_given_headline_that_the_text_does_not_open_with(tmp_path):
    article = article_from_text(
        "The bank held rates at 5% on Thursday.", meta={"headline": "Rates held"}
    )
    assert article.headline == "Rates held"
    assert article.part("body") == "The bank held rates at 5% on Thursday."
    assert "headline" not in article.layout


def test_folder_ids_are_relative_posix_paths(tmp_path):
    (tmp_path / "bbc" / "tech").mkdir(parents=True)
    (tmp_path / "bbc" / "tech" / "001.txt").write_text("Chips\n\nA new chip was shown.")
    (tmp_path / "empty.txt").write_text("   \n")
    items = list(load_corpus(tmp_path))
    ids = [i.article_id for i in items if not isinstance(i, LoadError)]
    errors = [i for i in items if isinstance(i, LoadError)]
    assert ids == ["bbc/tech/001"]
    assert len(errors) == 1 and errors[0].file.endswith("empty.txt")
    assert "empty" in errors[0].reason


def test_bad_records_are_errors_that_name_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "Fine text here."}\nnot json\n{"id": "c"}\n')
    items = list(load_corpus(path))
    errors = [i for i in items if isinstance(i, LoadError)]
    assert [e.file for e in errors] == [f"{path.as_posix()}:2", f"{path.as_posix()}:3"]
    assert "not JSON" in errors[0].reason and "text" in errors[1].reason


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("April 14, 2024", "2024-04-14"),
        ("14 April 2024", "2024-04-14"),
        ("Apr. 4, 2023", "2023-04-04"),
        ("2024-04-14", "2024-04-14"),
        ("no date here", None),
    ],
)
def test_parse_date(line, iso):
    found = parse_date(line)
    assert (found[0] if found else None) == iso
