"""Which people a gendered pronoun cannot mean: evidence for pronoun resolution only.

"Clinton said … She added" must not name Donald Trump because he was mentioned last. The
actors and quotes modules ask :func:`compatible` before giving "he" or "she" a person. The
evidence (``codebook/gender.yaml``) is, in order:

1. the article's own words: a capitalised honorific or a gendered role word written before
   the name ("Mr. Obama", "spokeswoman Jen Psaki"), never the name's own words ("Carole
   King" is no king);
2. the first name of a full name, from nomquamgender's consensus data (MIT licence), only when
   the name is clearly gendered there (p(gf) at most 0.1 or at least 0.9, counted 50 times).

Anything else (a surname alone, "Kim", "Jordan", conflicting words) rules nobody out. No table
carries a gender: it is never reported, only used to skip an impossible antecedent.

nomquamgender's table has 720,000 names in 22 MB of JSON (a few seconds to read); the names
that pass the thresholds (about 63,000) are written once to a small JSON file in presslab's
data folder (beside the VADER lexicon) and read from there afterwards.

>>> name_gender("Hillary Clinton"), name_gender("Donald Trump"), name_gender("Trump")
('f', 'm', None)
>>> words_gender(["Mr.", "Obama"]), compatible("f", "m"), compatible("f", None)
('m', False, True)
"""

from __future__ import annotations

import json
import os
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
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
    honorifics = frozenset(str(w).lower() for w in data["honorifics"])
    return {"words": words, "honorifics": honorifics, **data["first_names"]}


#: bumped when the way the compact table is derived changes (a file of another format is
#: never read)
CACHE_FORMAT = 1


def _cache_name() -> str:
    cb = _codebook()
    version = metadata.version("nomquamgender")
    return f"first_names-f{CACHE_FORMAT}-nqg{version}-t{cb['threshold']}-n{cb['min_count']}.json"


def _derive() -> dict[str, str]:
    """The clearly gendered first names of nomquamgender's table."""
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
    return names


def _read(target: Path) -> dict[str, str] | None:
    """The table in ``target``, or None when it is missing or not a table of names."""
    try:
        table = json.loads(target.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(table, dict) and table and all(v in ("m", "f") for v in table.values()):
        return table
    return None


def _write(target: Path, names: dict[str, str]) -> bool:
    # Written under a temporary name first: parallel workers may race on first use.
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(names, sort_keys=True, separators=(",", ":")), "utf-8")
        os.replace(tmp, target)
        return True
    except OSError:
        tmp.unlink(missing_ok=True)
        return False


@cache
def first_names() -> dict[str, str]:
    """Lower-case first name -> "m" or "f", for the names nomquamgender genders clearly.

    Read from the compact table in presslab's data folder (or the temporary fallback folder);
    derived from nomquamgender and written there when missing or unreadable. Without the
    package the table is empty, with a warning: pronouns then use the article's words only.
    """
    from presslab.tone import data_folders

    try:
        name = _cache_name()
    except metadata.PackageNotFoundError:
        warnings.warn("nomquamgender is not installed: no first-name evidence", stacklevel=2)
        return {}
    roots = data_folders()
    for root in roots:
        table = _read(root / "presslab" / name)
        if table is not None:
            return table
    names = _derive()  # (read once, however many folders refuse the copy)
    if not any(_write(root / "presslab" / name, names) for root in roots):
        warnings.warn(
            "no writable folder for the first-name table: set PRESSLAB_NLTK_DATA", stacklevel=2
        )
    return names


def evidence_words(
    word_before: str | None, name_words: Sequence[str], role: str | None = None
) -> list[str]:
    """The words of one mention that may state its gender ("Mr. Obama", "spokeswoman Jen
    Psaki"): the word before it, its first word when more of the name follows ("Duke" alone is
    a surname), the words of its role. Never the rest of the name: "Carole King" is no king."""
    words = [word_before] if word_before else []
    if len(name_words) > 1:
        words.append(name_words[0])
    if role:
        words += role.split()
    return words


def words_gender(words: Iterable[str]) -> str | None:
    """The gender the words before a name state ("Mr.", "spokeswoman"), else None.

    Honorifics count only capitalised ("Miss Smith", not "will miss Kane").
    """
    cb = _codebook()
    table, honorifics = cb["words"], cb["honorifics"]
    found = set()
    for w in words:
        low = w.lower()
        if low in table and (low not in honorifics or w[:1].isupper()):
            found.add(table[low])
    return found.pop() if len(found) == 1 else None


def name_gender(name: str) -> str | None:
    """The gender of a full name's first name when it is clearly gendered, else None.

    A one-word name is a surname as often as not ("Trump", "Sanders"): no evidence. Accents
    are dropped before the lookup ("José" is looked up as "jose").
    """
    words = [w for w in name.split() if w[:1].isalpha()]
    if len(words) < 2 or len(words[0].rstrip(".")) < 2:
        return None
    first = unicodedata.normalize("NFKD", words[0].lower())
    return first_names().get("".join(c for c in first if not unicodedata.combining(c)))


def person_gender(name: str, words: Iterable[str] = ()) -> str | None:
    """The gender of a person named ``name``, from the article's ``words`` before its
    mentions (honorifics, role words) first, then from the first name."""
    return words_gender(words) or name_gender(name)


def compatible(required: str | None, gender: str | None) -> bool:
    """Whether a person of ``gender`` (None: unknown) can be meant by a pronoun requiring
    ``required`` (None: any)."""
    return required is None or gender is None or required == gender
