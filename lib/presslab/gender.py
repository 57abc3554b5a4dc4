"""Which people a gendered pronoun cannot mean: evidence for pronoun resolution only.

"Clinton said … She added" must not name Donald Trump because he was mentioned last. The
actors and quotes modules ask :func:`compatible` before giving "he" or "she" a person. The
evidence (``codebook/gender.yaml``) is, in order:

1. the article's own words: an honorific or a gendered role word written before the name
   ("Mr. Obama", "spokeswoman Jen Psaki");
2. the first name of a full name, from nomquamgender's consensus data (MIT licence), only when
   the name is clearly gendered there (p(gf) at most 0.1 or at least 0.9, counted 50 times).

Anything else (a surname alone, "Kim", "Jordan", conflicting words) rules nobody out. No table
carries a gender: it is never reported, only used to skip an impossible antecedent.

nomquamgender's table has 720,000 names in 22 MB of JSON (a second to read); the names that
pass the thresholds (about 63,000) are written once to a small JSON file in presslab's data
folder (beside the VADER lexicon) and read from there afterwards.

>>> name_gender("Hillary Clinton"), name_gender("Donald Trump"), name_gender("Trump")
('f', 'm', None)
>>> words_gender(["Mr.", "Obama"]), compatible("f", "m"), compatible("f", None)
('m', False, True)
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from presslab.yamldata import parse_yaml

#: the gender a pronoun requires of its antecedent
PRONOUN_GENDER = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}


@cache
def _codebook() -> dict:
    raw = resources.files("presslab").joinpath("codebook/gender.yaml").read_text("utf-8")
    data = parse_yaml(raw)
    words = {str(w).lower(): "m" for w in data["male"]}
    words.update({str(w).lower(): "f" for w in data["female"]})
    return {"words": words, **data["first_names"]}


def _cache_path(root: Path) -> Path:
    cb = _codebook()
    version = metadata.version("nomquamgender")
    name = f"first_names-nqg{version}-t{cb['threshold']}-n{cb['min_count']}.json"
    return root / "presslab" / name


def _build(target: Path) -> dict[str, str]:
    """The clearly gendered first names of nomquamgender, written to ``target``."""
    cb = _codebook()
    # Located through the package's metadata, not imported: importing nomquamgender reads the
    # whole table and imports pandas and Unidecode, none of which is needed here.
    source = Path(str(metadata.distribution("nomquamgender").locate_file("nomquamgender")))
    data = json.loads((source / "name_data.json").read_text("utf-8"))
    threshold, min_count = float(cb["threshold"]), int(cb["min_count"])
    names: dict[str, str] = {}
    for name, info in data.items():
        _, count, pgf = info[:3]
        if name.isalpha() and count >= min_count and 0.5 - abs(0.5 - pgf) <= threshold:
            names[name] = "f" if pgf >= 0.5 else "m"
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written under a temporary name first: parallel workers may race on first use.
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(names, sort_keys=True, separators=(",", ":")), "utf-8")
    os.replace(tmp, target)
    return names


@cache
def first_names() -> dict[str, str]:
    """Lower-case first name -> "m" or "f", for the names nomquamgender genders clearly."""
    from presslab.tone import nltk_data_dir

    fallback = Path(tempfile.gettempdir()) / f"presslab-nltk_data-{os.getuid()}"
    for root in (nltk_data_dir(), fallback):
        target = _cache_path(root)
        try:
            if target.exists():
                return json.loads(target.read_text("utf-8"))
            return _build(target)
        except (OSError, ValueError):
            continue
    return {}


def words_gender(words: Iterable[str]) -> str | None:
    """The gender the words before and in a name state ("Mr.", "spokeswoman"), else None."""
    table = _codebook()["words"]
    found = {table[w.lower()] for w in words if w.lower() in table}
    return found.pop() if len(found) == 1 else None


def name_gender(name: str) -> str | None:
    """The gender of a full name's first name when it is clearly gendered, else None.

    A one-word name is a surname as often as not ("Trump", "Sanders"): no evidence.
    """
    words = [w for w in name.split() if w[:1].isalpha()]
    if len(words) < 2 or len(words[0].rstrip(".")) < 2:
        return None
    return first_names().get(words[0].lower().replace("’", "'"))


def person_gender(name: str, words: Iterable[str] = ()) -> str | None:
    """The gender of a person named ``name``, from the article's ``words`` around its
    mentions (honorifics, role words) first, then from the first name."""
    return words_gender(words) or name_gender(name)


def compatible(required: str | None, gender: str | None) -> bool:
    """Whether a person of ``gender`` (None: unknown) can be meant by a pronoun requiring
    ``required`` (None: any)."""
    return required is None or gender is None or required == gender
