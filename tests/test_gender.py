"""Gender evidence for pronouns: the article's words first, then clearly gendered first names."""

from __future__ import annotations

import json

import pytest
from presslab import gender
from presslab.gender import compatible, name_gender, person_gender, words_gender


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Hillary Clinton", "f"),
        ("Donald J. Trump", "m"),
        ("Yoav Gallant", "m"),
        ("Loretta E. Lynch", "f"),
        ("Trump", None),  # a surname alone is no evidence
        ("Kim Davis", None),  # a first name given to men and women alike
        ("J. Rhodes", None),  # an initial
    ],
)
def test_first_names(name, expected):
    assert name_gender(name) == expected


def test_the_articles_words_win_over_the_first_name():
    assert words_gender(["Mrs.", "Clinton"]) == "f"
    assert words_gender(["spokeswoman", "Jen", "Psaki"]) == "f"
    assert words_gender(["Mr.", "Smith", "Mrs."]) is None  # conflicting: no evidence
    assert person_gender("Kim Davis", ["Mr", "Davis"]) == "m"
    assert person_gender("Kim Davis") is None


def test_unknown_gender_is_compatible_with_any_pronoun():
    assert compatible("f", None) and compatible(None, "m") and compatible("m", "m")
    assert not compatible("f", "m")


def test_the_compact_table_is_built_once_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSLAB_NLTK_DATA", str(tmp_path))
    gender.first_names.cache_clear()
    try:
        names = gender.first_names()
        [written] = (tmp_path / "presslab").glob("first_names-*.json")
        assert json.loads(written.read_text("utf-8")) == names
        assert names["hillary"] == "f" and names["donald"] == "m" and "kim" not in names
        assert 50_000 < len(names) < 80_000
        # the next process reads the file, not the package's table
        written.write_text('{"zelda": "f"}', "utf-8")
        gender.first_names.cache_clear()
        assert gender.first_names() == {"zelda": "f"}
        # a file that is no table of names is rebuilt over
        written.write_text("[]", "utf-8")
        gender.first_names.cache_clear()
        assert gender.first_names()["donald"] == "m"
        assert json.loads(written.read_text("utf-8"))["donald"] == "m"
    finally:
        gender.first_names.cache_clear()


def test_honorifics_count_only_capitalised():
    assert words_gender(["will", "miss", "Harry"]) is None
    assert words_gender(["Miss", "Harry"]) == "f"
    assert person_gender("Carole King", ["singer"]) == "f"  # the name's "King" is no title
