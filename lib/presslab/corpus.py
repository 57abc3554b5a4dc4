"""Loading articles: decoding, HTML recognition, layout spans, and per-file errors.

An :class:`Article` holds the decoded, newline-normalised text that every table's offsets index
(the offsets contract), its metadata, and its layout parts as ``(start, end)`` spans. Nothing is
deleted from the text: headline, caption, credit, dek, byline, date line and trailing
boilerplate are spans beside the body.

>>> a = article_from_text("Storm hits coast\\n\\nThe storm reached land on Monday.\\n")
>>> a.headline, a.text[slice(*a.layout["body"])]
('Storm hits coast', 'The storm reached land on Monday.')
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date as _date
from html.parser import HTMLParser
from pathlib import Path

from presslab.errors import InputError

LAYOUT_PARTS = (
    "headline",
    "caption",
    "credit",
    "dek",
    "byline",
    "dateline",
    "body",
    "boilerplate",
)
META_FIELDS = ("headline", "byline", "date", "outlet", "url")
#: Larger .txt/.csv files are refused: a news article is rarely over 1 MB; 50 MB is a corrupt
#: file. (A .jsonl file is read a line at a time and may be of any size.)
MAX_BYTES = 50 * 1024 * 1024
#: Longer articles are refused (one line in errors.csv): the longest long-form features run to
#: 150,000 characters; a longer "article" is a concatenation or a dump, and analysing it as one
#: article would give meaningless per-article figures and take minutes.
MAX_ARTICLE_CHARS = 500_000


@dataclass(frozen=True)
class Article:
    """One article: its text (the offsets' reference), metadata and layout spans."""

    article_id: str
    text: str
    path: str = ""
    sha256: str = ""
    encoding: str = "utf-8"
    headline: str | None = None
    byline: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    layout: dict[str, tuple[int, int]] = field(default_factory=dict)

    def part(self, name: str) -> str:
        """The text of a layout part, or ``""`` when the article has none."""
        span = self.layout.get(name)
        return self.text[span[0] : span[1]] if span else ""

    def part_at(self, offset: int) -> str:
        """The layout part containing ``offset`` (``"body"`` when none is recorded)."""
        for name, (start, end) in self.layout.items():
            if name != "body" and start <= offset < end:
                return name
        return "body"


@dataclass(frozen=True)
class LoadError:
    """A file (or a line of a file) that could not be loaded, with the reason."""

    file: str
    reason: str


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode raw bytes to ``(text, encoding)``; newlines are normalised to ``\\n``.

    UTF-8 (with or without BOM) and UTF-16/32 with BOM are read directly; anything else is
    detected with charset-normalizer. Raises :class:`InputError` for empty, binary or
    undecodable input.
    """
    if not data.strip():
        raise InputError(name, "empty or whitespace-only file")
    text: str | None = None
    encoding = ""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise InputError(name, f"undecodable {codec} text ({exc.reason})") from None
            break
    if text is None:
        if b"\x00" in data[:8192]:
            raise InputError(name, "binary file (NUL bytes), not text")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _detect(data, name)
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(name, "empty or whitespace-only file")
    if _control_share(text) > 0.01:
        raise InputError(name, "binary file (control characters), not text")
    return text, encoding


def _detect(data: bytes, name: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    matches = from_bytes(data[:200_000])
    if not matches:
        raise InputError(name, "undecodable: no text encoding fits these bytes")
    # On short English text charset-normalizer cannot tell apart the single-byte code pages
    # that decode it without errors (cp852, mac_roman, cp1250, cp1252 all "fit"). Windows-1252
    # is by far the most common legacy encoding of English news, so when it is among the
    # candidates it wins; otherwise the detector's best guess stands.
    encoding = next(
        ("cp1252" for m in matches if "cp1252" in m.could_be_from_charset), matches.best().encoding
    )
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        raise InputError(name, f"undecodable as detected encoding {encoding}") from None


_CONTROL = re.compile(r"[\x00-\x08\x0d-\x1f]")  # control characters but \t \n \v \f


def _control_share(text: str) -> float:
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) / max(len(sample), 1)


# --------------------------------------------------------------------------- HTML

_HTML_SNIFF = re.compile(
    r"^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<\?xml[^>]*>\s*<html)", re.I
)
_HTML_TAGS = re.compile(
    r"</?(?:p|div|span|a|br|script|style|body|meta|link|li|h[1-6])\b[^>]*>", re.I
)


def looks_like_html(text: str) -> bool:
    """True for a saved web page: a doctype/html root, or markup tags on most lines."""
    if _HTML_SNIFF.match(text):
        return True
    head = text[:20000]
    n_tags = len(_HTML_TAGS.findall(head))
    n_lines = max(head.count("\n"), 1)
    return n_tags >= 5 and n_tags >= n_lines * 0.5


class _VisibleText(HTMLParser):
    """Collects the visible text of a page: no script/style/head, block tags become lines."""

    _SKIP = frozenset(
        {"script", "style", "head", "noscript", "template", "svg", "iframe", "object"}
    )
    _BLOCK = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "table",
            "section",
            "article",
            "header",
            "footer",
            "blockquote",
            "figcaption",
            "figure",
            "title",
            "pre",
            "hr",
            "nav",
            "aside",
            "main",
            "dd",
            "dt",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "title":
            self._in_title = True
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML page, one block per paragraph, whitespace tidied."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    raw = "".join(parser.parts)
    paragraphs = [re.sub(r"[ \t\u00a0]+", " ", p).strip() for p in re.split(r"\n\s*\n", raw)]
    body = "\n\n".join(p for p in paragraphs if p)
    title = " ".join("".join(parser.title).split())
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}" if body else title
    return body + "\n" if body else ""


# --------------------------------------------------------------------------- layout

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY_RE = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DATE_RES = [
    # April 14, 2024 / Apr. 14 2024
    re.compile(
        _WEEKDAY_RE + r"(?P<month>" + _MONTH_RE + r")\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?"
        r"\s+(?P<year>(?:19|20)\d\d)",
        re.I,
    ),
    # 14 April 2024
    re.compile(
        _WEEKDAY_RE
        + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>"
        + _MONTH_RE
        + r"),?\s+(?P<year>(?:19|20)\d\d)",
        re.I,
    ),
    # 2024-04-14
    re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)"),
]
_TIME_TAIL = re.compile(
    r"^[\s,|•·–—-]*(?:(?:at\s+)?\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?"
    r"[\s,|•·–—-]*(?:updated?:?.*)?$",
    re.I,
)
_DATE_LEAD = re.compile(r"^(?:published|posted|updated|last updated|date)?[:\s|•·–—-]*$", re.I)

_CREDIT_RE = re.compile(
    r"^\(?\s*(?:photo|photograph|image|picture|credit|photo credit|source|video)s?\s*"
    r"(?::|by\b|/)|"
    r"(?:/|\b)(?:getty images|reuters|afp|ap photo|associated press|epa|shutterstock|"
    r"flickr|wikimedia commons|gpo|idf spokesperson's unit)\)?\s*$",
    re.I,
)
_BYLINE_RE = re.compile(
    r"^(?:by\s+[A-Z][\w.'’-]+|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,5}\s+"
    r"(?:staff(?:\s+report|\s+writer)?|reporter|correspondent|editor|desk|"
    r"news service|wire|staff report)|(?:associated press|reuters|afp|staff report)$)",
    re.I,
)
_BOILERPLATE_RE = re.compile(
    r"^(?:leave a (?:reply|comment)|comments?$|\d+ comments?|share (?:this|on)|"
    r"related(?: articles| stories| coverage)?:?$|read more|more on this|sign up|subscribe|"
    r"follow us|click here|"
    r"copyright|©|all rights reserved|advertisement$|tags?:|you may also like|"
    r"recommended|newsletter|this article (?:was|first) (?:originally )?(?:published|appeared)|"
    r"share this article|print this|email this|join our)",
    re.I,
)


def parse_date(line: str) -> tuple[str, int, int] | None:
    """Find a calendar date in ``line``: ``(iso, start, end)`` or None.

    >>> parse_date("April 14, 2024")
    ('2024-04-14', 0, 14)
    >>> parse_date("Sun 14 Apr 2024 10:32 BST")[0]
    '2024-04-14'
    """
    for pattern in _DATE_RES:
        m = pattern.search(line)
        if not m:
            continue
        groups = m.groupdict()
        month = (
            int(groups["mnum"])
            if groups.get("mnum")
            else _MONTHS[groups["month"].lower().rstrip(".")]
        )
        try:
            iso = _date(int(groups["year"]), month, int(groups["day"])).isoformat()
        except ValueError:
            continue
        return iso, m.start(), m.end()
    return None


_DIGIT = re.compile(r"\d")


def _is_dateline(line: str) -> str | None:
    # A date line opens with its date (after at most "Last updated:"), so only the head of a
    # line is searched: body paragraphs are long, and this runs on every header line.
    if not _DIGIT.search(line, 0, 80):
        return None
    found = parse_date(line[:80])
    if not found:
        return None
    iso, start, end = found
    if _DATE_LEAD.match(line[:start]) and _TIME_TAIL.match(line[end:]):
        return iso
    return None


def _is_sentence(line: str) -> bool:
    return bool(re.search(r"[.!?…][’”\"')]?$", line.strip())) and len(line.split()) >= 6


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return spans


def parse_layout(text: str) -> tuple[dict[str, tuple[int, int]], dict[str, str]]:
    """Guess an article's layout: spans of its parts and the metadata they carry.

    Handles a full news page (headline, caption, photo credit, dek, byline, date line, body,
    trailing boilerplate), the bare "headline, blank line, body" form and text with no
    metadata at all (all body). Returns ``(layout, meta)``.
    """
    lines = _line_spans(text)
    layout: dict[str, tuple[int, int]] = {}
    meta: dict[str, str] = {}
    if not lines:
        return layout, meta

    def line(i: int) -> str:
        return text[lines[i][0] : lines[i][1]]

    # Trailing boilerplate: from the first boilerplate line in the last quarter (or last 8
    # lines) to the end.
    tail_from = max(1, min(len(lines) - 8, int(len(lines) * 0.75)))
    end_index = len(lines)
    for i in range(tail_from, len(lines)):
        if _BOILERPLATE_RE.match(line(i)):
            end_index = i
            break
    if end_index < len(lines):
        layout["boilerplate"] = (lines[end_index][0], lines[-1][1])

    # Headline: the first line, when it reads like one (short, not a run of sentences).
    first = line(0)
    body_from = 0
    has_headline = (
        # A lone line is a headline when it does not read as a sentence (a wire "flash", or
        # an article whose body was lost): "Markets close higher on rate hopes".
        (end_index > 1 or (len(lines) == 1 and not _is_sentence(first)))
        and len(first.split()) <= 25
        and not re.search(r"[.!?][’”\"']?\s+\S.*[.!?]", first)
        and not _is_dateline(first)
    )
    if has_headline:
        layout["headline"] = lines[0]
        meta["headline"] = first
        body_from = 1

    # Header zone: the lines after the headline up to the last credit/byline/date line found
    # among the first few lines; what lies between is caption or dek.
    if has_headline:
        header_end = None
        kinds: dict[int, str] = {}
        for i in range(1, min(end_index, 9)):
            s = line(i)
            # The word count first: the credit pattern is searched at every position of a line,
            # and header zones of bare articles are long body paragraphs.
            if len(s.split()) <= 12 and _CREDIT_RE.search(s):
                kinds[i] = "credit"
            elif iso := _is_dateline(s):
                kinds[i] = "dateline"
                meta.setdefault("date", iso)
            elif _BYLINE_RE.match(s) and len(s.split()) <= 8 and not _is_sentence(s):
                kinds[i] = "byline"
            else:
                continue
            header_end = i
        if header_end is not None:
            for i in range(1, header_end + 1):
                kind = kinds.get(i)
                if kind is None:
                    # A line right before a credit is the photo caption; else it is a dek.
                    kind = "caption" if kinds.get(i + 1) == "credit" else "dek"
                if kind not in layout:
                    layout[kind] = lines[i]
                    if kind == "byline":
                        meta["byline"] = line(i)
            body_from = header_end + 1

    if body_from < end_index:
        layout["body"] = (lines[body_from][0], lines[end_index - 1][1])
    return layout, meta


# --------------------------------------------------------------------------- articles


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_from_text(
    text: str,
    article_id: str = "doc",
    *,
    path: str = "",
    encoding: str = "utf-8",
    meta: dict[str, str | None] | None = None,
) -> Article:
    """Build an :class:`Article` from already-decoded text, guessing its layout.

    Fields in ``meta`` (headline, byline, date, outlet, url), e.g. from a ``.jsonl`` line,
    override what the layout parser guesses.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    layout, guessed = parse_layout(text)
    given = {k: v for k, v in (meta or {}).items() if v not in (None, "")}
    if given.get("headline") and "headline" in layout:
        start, end = layout["headline"]
        if text[start:end].strip() != str(given["headline"]).strip():
            # The text does not open with the given headline: everything but trailing
            # boilerplate is body, and nothing of the guessed header is kept.
            body_end = max((e for k, (_, e) in layout.items() if k != "boilerplate"), default=end)
            layout = {k: v for k, v in layout.items() if k == "boilerplate"}
            layout["body"] = (start, body_end)
            guessed = {}
    fields = {**guessed, **{k: str(v) for k, v in given.items()}}
    if fields.get("date"):
        found = parse_date(fields["date"])
        if found:
            fields["date"] = found[0]
        elif not re.fullmatch(r"\d{4}-\d\d-\d\d", fields["date"]):
            fields["date"] = fields["date"].strip()
    return Article(
        article_id=article_id,
        text=text,
        path=path,
        sha256=_sha256(text),
        encoding=encoding,
        headline=fields.get("headline"),
        byline=fields.get("byline"),
        date=fields.get("date"),
        outlet=fields.get("outlet"),
        url=fields.get("url"),
        layout=layout,
    )


def _read_text_file(path: Path, name: str) -> tuple[str, str]:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(name, f"file too large ({size} bytes; limit {MAX_BYTES})")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot read file ({exc.strerror})") from None
    return decode_bytes(data, name)


def _check_length(text: str, name: str) -> None:
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            name,
            f"article too long ({len(text):,} characters; limit {MAX_ARTICLE_CHARS:,}): "
            "is this several articles in one file? Split it, one article a file or a .jsonl line",
        )


def load_article(
    path: str | Path, article_id: str | None = None, *, name: str | None = None
) -> Article:
    """Load one ``.txt`` article (or an HTML page saved as text). Raises :class:`InputError`."""
    path = Path(path)
    name = name or str(path)
    text, encoding = _read_text_file(path, name)
    if looks_like_html(text):
        text = html_to_text(text)
        if not text.strip():
            raise InputError(name, "HTML page with no visible text")
        encoding = f"{encoding}+html"
    _check_length(text, name)
    return article_from_text(text, article_id or path.stem, path=name, encoding=encoding)


def _records_jsonl(path: Path, name: str) -> Iterator[dict | LoadError]:
    # Streamed a line at a time (JSON Lines is UTF-8 by definition), so that a corpus of any
    # size in one file never sits in memory whole.
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(name, f"cannot read file ({exc.strerror})") from None
    with handle:
        head = handle.read(8192)
        if b"\x00" in head:
            raise InputError(name, "binary file (NUL bytes), not JSON Lines text")
        handle.seek(0)
        empty = True
        for number, data in enumerate(handle, 1):
            if number == 1 and data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            if not data.strip():
                continue
            empty = False
            try:
                raw = data.decode("utf-8")
            except UnicodeDecodeError:
                yield LoadError(
                    f"{name}:{number}", "line is not UTF-8 (JSON Lines files are UTF-8)"
                )
                continue
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as exc:
                yield LoadError(f"{name}:{number}", f"line is not JSON ({exc.msg})")
                continue
            except RecursionError:
                yield LoadError(f"{name}:{number}", "line is not JSON (nested too deeply)")
                continue
            if not isinstance(record, dict):
                yield LoadError(f"{name}:{number}", "line is not a JSON object")
                continue
            record["_where"] = f"{name}:{number}"
            yield record
    if empty:
        raise InputError(name, "empty or whitespace-only file")


def _records_csv(path: Path, name: str) -> Iterator[dict | LoadError]:
    text, _ = _read_text_file(path, name)
    # The csv module refuses fields over 128 KiB by default; an article may be longer (the
    # article length limit is checked per record, with a clear message).
    csv.field_size_limit(max(csv.field_size_limit(), 4 * MAX_ARTICLE_CHARS))
    reader = csv.DictReader(io.StringIO(text))
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as exc:
        raise InputError(name, f"not a readable CSV file ({exc})") from None
    missing = {"id", "text"} - set(fieldnames)
    if missing:
        raise InputError(
            name,
            f"CSV lacks column(s) {', '.join(sorted(missing))} "
            "(needs id and text; optional headline, byline, date, outlet, url)",
        )
    number = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"{name}:{number + 1}", f"CSV error ({exc})") from None
        number += 1
        record = {k: v for k, v in record.items() if k is not None}  # cells beyond the header
        record["_where"] = f"{name}:{number}"  # row number, the header being row 1
        yield record


def _article_from_record(record: dict, fallback_id: str) -> Article | LoadError:
    where = record.pop("_where")
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        return LoadError(where, "record lacks a non-empty 'text' field")
    raw_id = record.get("id")
    article_id = str(raw_id).strip() if raw_id not in (None, "") else fallback_id
    if looks_like_html(body):
        body = html_to_text(body)
        if not body.strip():
            return LoadError(where, "HTML text with no visible text")
    try:
        _check_length(body, where)
    except InputError as exc:
        return LoadError(exc.file, exc.reason)
    meta = {k: (None if record.get(k) is None else str(record.get(k))) for k in META_FIELDS}
    return article_from_text(body, article_id, path=where, encoding="utf-8", meta=meta)


def iter_sources(source: str | Path) -> list[tuple[Path, str]]:
    """The files a corpus source names, each with the name used in errors (sorted)."""
    source = Path(source)
    if source.is_dir():
        files = sorted(
            p
            for p in source.rglob("*")
            if p.is_file()
            and p.suffix.lower() in {".txt", ".jsonl", ".csv"}
            and not any(part.startswith(".") for part in p.relative_to(source).parts)
        )
        return [(p, p.as_posix()) for p in files]
    if source.is_file():
        return [(source, source.as_posix())]
    raise InputError(str(source), "no such file or folder")


def load_corpus(source: str | Path) -> Iterator[Article | LoadError]:
    """Every article of a corpus, in a stable order; bad files come as :class:`LoadError`.

    ``source`` is a folder (recursive ``*.txt``, ``*.jsonl``, ``*.csv``), one ``.txt``, a
    ``.jsonl`` (one article a line: ``id``, ``text``, optional metadata) or a ``.csv`` with
    those columns. ``article_id`` is the path relative to the folder without suffix, or the
    record's ``id``.
    """
    source = Path(source)
    root = source if source.is_dir() else source.parent
    seen: set[str] = set()
    for path, name in iter_sources(source):
        rel = path.relative_to(root).with_suffix("").as_posix()
        suffix = path.suffix.lower()
        try:
            if suffix in (".jsonl", ".csv"):
                reader = _records_jsonl if suffix == ".jsonl" else _records_csv
                for n, item in enumerate(reader(path, name), 1):
                    if isinstance(item, LoadError):
                        yield item
                        continue
                    result = _article_from_record(item, f"{rel}:{n}")
                    if isinstance(result, Article):
                        if result.article_id in seen:
                            result = LoadError(
                                result.path, f"duplicate article id {result.article_id!r}"
                            )
                        else:
                            seen.add(result.article_id)
                    yield result
            else:
                article = load_article(path, rel, name=name)
                if article.article_id in seen:
                    yield LoadError(name, f"duplicate article id {article.article_id!r}")
                    continue
                seen.add(article.article_id)
                yield article
        except InputError as exc:
            yield LoadError(exc.file, exc.reason)
