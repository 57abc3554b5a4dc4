"""The annotated article: its text with every actor mention, quote, figure and frame cue marked.

:func:`article_marks` turns an article's rows of the ``mentions``, ``quotes``, ``figures`` and
``frames`` tables into one table of marks (each with its details as text);
:func:`render_article` turns the text and the marks into a self-contained HTML fragment: the
layout parts (headline, caption, byline, body, boilerplate...) as labelled blocks, each mark a
``<mark data-kind="actor|quote|figure|frame" data-details="...">``, a legend that switches
kinds on and off (CSS only), details on hover (``title``) and on click (a panel, filled by a few
lines of our own script), and the article's actors, quotes, figures and frames as tables beside
the text.

Marks nest and overlap (an actor inside a quote, a frame cue across a figure): where two marks
cross, the inner one is split into fragments that share its ``data-id``, so the HTML stays
well-formed and every character keeps all its marks.

Every piece of article text and metadata goes through markupsafe's escaping (attributes and
text alike): an article containing ``<script>`` or ``<img onerror=...>`` shows those characters
and runs nothing. The only script on the page is the static one below, which reads details with
``getAttribute`` and writes them with ``textContent``.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from presslab.corpus import Article, LoadError, load_article, load_corpus
from presslab.errors import InputError
from presslab.numbers import FIGURE_TYPES

Tables = dict[str, pd.DataFrame]

#: mark kinds, outermost first when two marks cover the same span
KINDS = ("quote", "actor", "figure", "frame")
#: legend text per kind
KIND_LABELS = {
    "actor": "actor mention",
    "quote": "quote (and its cue verb)",
    "figure": "figure (a reported number)",
    "frame": "frame cue",
}
#: plot colour per kind (the legend's colours, darker)
KIND_COLOURS = {"quote": "#d4a000", "actor": "#3b6ea8", "figure": "#3f8f34", "frame": "#b0306a"}
#: layout parts in reading order, with the label shown beside each block
PART_LABELS = {
    "headline": "headline",
    "caption": "photo caption",
    "credit": "photo credit",
    "dek": "standfirst",
    "byline": "byline",
    "dateline": "date line",
    "body": "body",
    "boilerplate": "boilerplate (not analysed as coverage)",
    "": "",
}
#: columns of :func:`article_marks`
MARK_COLUMNS = [
    "article_id",
    "start",
    "end",
    "surface",
    "kind",
    "role",
    "mark_id",
    "label",
    "details",
]


# --------------------------------------------------------------------------- finding articles


def find_articles(
    articles: pd.DataFrame, corpus: str | Path, ids: Iterable[str]
) -> dict[str, Article]:
    """The :class:`Article` of each id, read again from the corpus the tables were made from.

    A ``.txt`` article is read straight from its recorded path; others are found by reading the
    corpus once. Raises :class:`InputError` when an id cannot be found or its text changed since
    the tables were written (its sha256 differs), since every offset would then be wrong.
    """
    wanted = [str(i) for i in ids]
    rows = articles.set_index(articles["article_id"].astype(str))
    found: dict[str, Article] = {}
    for article_id in wanted:
        if article_id not in rows.index:
            raise InputError(article_id, "no such article id in the articles table")
        path = str(rows.loc[article_id, "path"] or "")
        if path.lower().endswith(".txt") and Path(path).is_file():
            found[article_id] = load_article(path, article_id, name=path)
    missing = [i for i in wanted if i not in found]
    if missing:
        todo = set(missing)
        for item in load_corpus(corpus):
            if isinstance(item, LoadError) or item.article_id not in todo:
                continue
            found[item.article_id] = item
            todo.discard(item.article_id)
            if not todo:
                break
    for article_id in wanted:
        if article_id not in found:
            raise InputError(
                str(corpus),
                f"article {article_id!r} is not in this corpus; give "
                "the corpus the tables were made from",
            )
        recorded = rows.loc[article_id, "sha256"]
        if isinstance(recorded, str) and recorded and recorded != found[article_id].sha256:
            raise InputError(
                found[article_id].path or str(corpus),
                f"article {article_id!r} changed since its tables were written; "
                "run the analysis again",
            )
    return {i: found[i] for i in wanted}


def find_article(articles: pd.DataFrame, corpus: str | Path, article_id: str) -> Article:
    """One article by id (see :func:`find_articles`)."""
    return find_articles(articles, corpus, [article_id])[article_id]


# --------------------------------------------------------------------------- marks


def _value(value: object) -> str:
    """A table cell as display text ("" for missing; 12.0 -> 12)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _span(row: pd.Series, start: str, end: str, n: int) -> tuple[int, int] | None:
    """A row's (start, end) when both are valid offsets into a text of length ``n``."""
    a, b = row.get(start), row.get(end)
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return None
    a, b = int(a), int(b)
    return (a, b) if 0 <= a < b <= n else None


def _details(pairs: list[tuple[str, object]]) -> str:
    return "; ".join(f"{k}: {_value(v)}" for k, v in pairs if _value(v) != "")


def _rows(tables: Tables, name: str, article_id: str) -> pd.DataFrame:
    df = tables.get(name)
    if df is None or len(df) == 0:
        return pd.DataFrame()
    return df[df["article_id"].astype(str) == article_id]


def _figure_rows(tables: Tables, article_id: str) -> pd.DataFrame:
    """The article's reported numbers: rows of the figures table whose value type is a figure
    (dates, years, ordinals and names like "Arrow 3" are kept there but are not figures)."""
    df = _rows(tables, "figures", article_id)
    if len(df) and "value_type" in df and df["value_type"].notna().any():
        df = df[df["value_type"].isin(FIGURE_TYPES)]
    return df


def article_marks(article: Article, tables: Tables) -> pd.DataFrame:
    """Every mark of one article, in text order (columns :data:`MARK_COLUMNS`).

    ``label`` is a short name for the mark (the actor, the quote's speaker, the interval, the
    frame); ``details`` is every useful column of its row as ``key: value; ...``. Rows with
    missing or out-of-range offsets are left out.
    """
    text, article_id, n = article.text, article.article_id, len(article.text)
    actors = tables.get("actors")
    names: dict[str, pd.Series] = {}
    if actors is not None and len(actors):
        names = {str(r["actor_id"]): r for _, r in actors.iterrows()}
    marks: list[dict] = []

    def add(span, kind, role, index, label, details):
        marks.append(
            {
                "article_id": article_id,
                "start": span[0],
                "end": span[1],
                "surface": text[span[0] : span[1]],
                "kind": kind,
                "role": role,
                # A quote's cue verb is a mark of its own, with the quote's number.
                "mark_id": f"{kind}-{index}"
                + ("-cue" if kind == "quote" and role == "cue" else ""),
                "label": label,
                "details": details,
            }
        )

    for i, (_, row) in enumerate(_rows(tables, "mentions", article_id).iterrows()):
        span = _span(row, "start", "end", n)
        if span is None:
            continue
        # Mentions carry the actor's name, role and affiliation; older tables only the id.
        actor = names.get(_value(row.get("actor_id")))
        if actor is None or not _value(actor.get("name")):
            actor = row
        name = _value(actor.get("name"))
        role = "credit" if _value(row.get("kind")) == "credit" else "mention"
        add(
            span,
            "actor",
            role,
            i,
            name or _value(row.get("surface")),
            _details(
                [
                    ("actor", name),
                    ("actor_id", row.get("actor_id")),
                    ("type", row.get("type")),
                    ("mention kind", row.get("kind")),
                    ("role", actor.get("role")),
                    ("affiliation", actor.get("affiliation")),
                ]
            ),
        )
    for i, (_, row) in enumerate(_rows(tables, "quotes", article_id).iterrows()):
        speaker = _value(row.get("speaker")) or "unattributed"
        details = _details(
            [
                ("quote kind", row.get("kind")),
                ("speaker", speaker),
                ("speaker_actor_id", row.get("speaker_actor_id")),
                ("cue", row.get("cue")),
            ]
        )
        span = _span(row, "start", "end", n)
        if span is not None:
            add(span, "quote", "quote", i, f"{_value(row.get('kind'))} quote: {speaker}", details)
        cue = _span(row, "cue_start", "cue_end", n)
        if cue is not None and (span is None or not (span[0] <= cue[0] and cue[1] <= span[1])):
            add(cue, "quote", "cue", i, f"cue of a quote by {speaker}", details)
    for i, (_, row) in enumerate(_figure_rows(tables, article_id).iterrows()):
        span = _span(row, "start", "end", n)
        if span is None:
            continue
        low, high = _value(row.get("low")), _value(row.get("high"))
        # The figures table writes the interval with its open/closed ends; older tables lack it.
        interval = _value(row.get("interval")) or f"[{low or '-inf'}, {high or 'inf'}]"
        add(
            span,
            "figure",
            "figure",
            i,
            f"{interval} {_value(row.get('counted'))}".strip(),
            _details(
                [
                    ("interval", interval),
                    ("exact", row.get("exact")),
                    ("qualifier", row.get("qualifier")),
                    ("unit", row.get("unit")),
                    ("counted", row.get("counted")),
                    ("value type", row.get("value_type")),
                    ("claimed by", row.get("claimed_by")),
                    ("claim", row.get("claim_kind")),
                ]
            ),
        )
    for i, (_, row) in enumerate(_rows(tables, "frames", article_id).iterrows()):
        span = _span(row, "start", "end", n)
        if span is None:
            continue
        add(
            span,
            "frame",
            "frame",
            i,
            _value(row.get("frame")),
            _details(
                [
                    ("frame", row.get("frame")),
                    ("cue", row.get("cue")),
                    ("weight", row.get("weight")),
                ]
            ),
        )
    out = pd.DataFrame(marks, columns=MARK_COLUMNS)
    order = {k: i for i, k in enumerate(KINDS)}
    if len(out):
        out = out.assign(_k=out["kind"].map(order), _len=out["start"] - out["end"])
        out = out.sort_values(["start", "_len", "_k", "mark_id"], kind="mergesort")
        out = out.drop(columns=["_k", "_len"]).reset_index(drop=True)
    return out


# --------------------------------------------------------------------------- layout


def layout_blocks(article: Article) -> list[tuple[int, int, str]]:
    """The text cut into consecutive blocks ``(start, end, part)`` covering all of it.

    A named part wins over ``body`` where they overlap; text outside every part (blank lines
    between parts) gets part ``""``.
    """
    n = len(article.text)
    spans = [(max(0, a), min(n, b), name) for name, (a, b) in article.layout.items() if a < b]
    cuts = sorted({0, n} | {a for a, _, _ in spans} | {b for _, b, _ in spans})
    blocks: list[tuple[int, int, str]] = []
    for a, b in itertools.pairwise(cuts):
        if a >= b:
            continue
        covering = [name for s, e, name in spans if s <= a and b <= e]
        named = [p for p in covering if p != "body"]
        part = named[0] if named else ("body" if covering else "")
        if blocks and blocks[-1][2] == part:
            blocks[-1] = (blocks[-1][0], b, part)
        else:
            blocks.append((a, b, part))
    return blocks


# --------------------------------------------------------------------------- HTML


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    kind: str
    role: str
    mark_id: str
    label: str
    details: str


def _open_tag(mark: _Mark, fragment: bool) -> Markup:
    classes = (
        f"pl-mark pl-{mark.kind}"
        + (" pl-cue" if mark.role == "cue" else "")
        + (" pl-frag" if fragment else "")
    )
    title = f"{KIND_LABELS[mark.kind]}: {mark.label}" + (
        f" — {mark.details}" if mark.details else ""
    )
    return Markup(
        '<mark class="{}" data-kind="{}" data-role="{}" data-id="{}" data-label="{}" '
        'data-details="{}" title="{}">'
    ).format(classes, mark.kind, mark.role, mark.mark_id, mark.label, mark.details, title)


def nest_marks(text: str, start: int, end: int, marks: list[_Mark]) -> Markup:
    """``text[start:end]`` as escaped HTML with ``marks`` as properly nested ``<mark>``s.

    Marks are clipped to the range; where two marks cross, the one opened later is closed and
    reopened (``pl-frag``) around the other's end.
    """
    order = {k: i for i, k in enumerate(KINDS)}
    clipped = [
        (max(m.start, start), min(m.end, end), m) for m in marks if m.start < end and m.end > start
    ]
    points = sorted({start, end} | {a for a, _, _ in clipped} | {b for _, b, _ in clipped})
    starting: dict[int, list[tuple[int, int, _Mark]]] = {}
    for item in clipped:
        starting.setdefault(item[0], []).append(item)
    out: list[Markup] = []
    stack: list[tuple[int, _Mark]] = []  # (clipped end, mark), outermost first
    for p, q in itertools.pairwise(points):
        reopen: list[tuple[int, _Mark]] = []
        first_done = next((i for i, (e, _) in enumerate(stack) if e <= p), None)
        if first_done is not None:
            out.extend(Markup("</mark>") for _ in stack[first_done:])
            reopen = [(e, m) for e, m in stack[first_done:] if e > p]
            stack = stack[:first_done]
        new = [(e, m) for _, e, m in starting.get(p, [])]
        opening = [(e, m, True) for e, m in reopen] + [(e, m, m.start < p) for e, m in new]
        # The longest mark goes outermost, so that fewer marks need splitting.
        opening.sort(key=lambda x: (-x[0], order.get(x[1].kind, 9), x[1].mark_id))
        for e, m, fragment in opening:
            stack.append((e, m))
            out.append(_open_tag(m, fragment))
        out.append(escape(text[p:q]))
    out.extend(Markup("</mark>") for _ in stack)
    return Markup("").join(out)


def _uid(article: Article) -> str:
    return "pl" + hashlib.sha1(article.article_id.encode("utf-8")).hexdigest()[:10]


_CSS = """
#{uid}{{font-family:Georgia,'Times New Roman',serif;color:#1d1d1d;margin:.5em 0}}
#{uid} .pl-grid{{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.2em;
align-items:start}}
@media (max-width:900px){{#{uid} .pl-grid{{grid-template-columns:1fr}}}}
#{uid} .pl-meta{{font-family:system-ui,sans-serif;font-size:.9em;color:#444;margin:.2em 0 .6em}}
#{uid} .pl-legend{{font-family:system-ui,sans-serif;font-size:.88em;margin:.4em 0 .8em;
display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:center}}
#{uid} .pl-legend label{{cursor:pointer;user-select:none}}
#{uid} .pl-toggle{{position:absolute;opacity:0;pointer-events:none}}
#{uid} .pl-swatch{{display:inline-block;padding:0 .35em;margin-right:.25em;border-radius:2px}}
#{uid} .pl-text{{line-height:1.75;font-size:1.02em}}
#{uid} .pl-part{{white-space:pre-wrap;position:relative;margin:0;padding:.15em .5em .15em .6em;
border-left:3px solid #ddd}}
#{uid} .pl-part-label{{display:block;font-family:system-ui,sans-serif;font-size:.7em;
letter-spacing:.05em;text-transform:uppercase;color:#777;white-space:normal;line-height:1.3;
margin-top:.4em}}
#{uid} .pl-part[data-part=headline]{{font-size:1.35em;font-weight:700;border-left-color:#555}}
#{uid} .pl-part[data-part=dek]{{font-style:italic;border-left-color:#999}}
#{uid} .pl-part[data-part=caption],#{uid} .pl-part[data-part=credit]{{font-size:.88em;
color:#444;border-left-color:#c9b458}}
#{uid} .pl-part[data-part=byline],#{uid} .pl-part[data-part=dateline]{{font-family:system-ui,
sans-serif;font-size:.88em;border-left-color:#8aa}}
#{uid} .pl-part[data-part=boilerplate]{{color:#888;background:#f6f6f6;border-left-color:#bbb}}
#{uid} .pl-part[data-part=""]{{border-left-color:transparent}}
#{uid} mark{{background:none;color:inherit;padding:0;cursor:pointer}}
#{uid} mark.pl-quote{{background:#fff1b8}}
#{uid} mark.pl-quote.pl-cue{{background:none;border-bottom:2px solid #d4a000}}
#{uid} mark.pl-actor{{background:#cfe3ff;border-radius:2px;box-shadow:0 0 0 1px #7aa7e0 inset}}
#{uid} mark.pl-figure{{background:#d9f2d0;font-weight:600;box-shadow:0 0 0 1px #59a84b inset}}
#{uid} mark.pl-frame{{text-decoration:underline dotted #b0306a 2px;text-underline-offset:3px}}
#{uid} mark.pl-active{{outline:2px solid #e25c00}}
{toggles}
#{uid} .pl-details{{font-family:system-ui,sans-serif;font-size:.86em;background:#fafafa;
border:1px solid #ddd;padding:.5em .7em;min-height:3em;position:sticky;top:.5em}}
#{uid} .pl-details dt{{font-weight:600;margin-top:.3em}}
#{uid} .pl-details dd{{margin:0 0 0 .8em}}
#{uid} .pl-side h4{{font-family:system-ui,sans-serif;margin:.9em 0 .3em;font-size:.95em}}
#{uid} .pl-side table{{font-family:system-ui,sans-serif;font-size:.78em;border-collapse:collapse;
width:100%}}
#{uid} .pl-side{{min-width:0}}
#{uid} .pl-side td,#{uid} .pl-side th{{border-bottom:1px solid #e3e3e3;padding:.15em .35em;
text-align:left;vertical-align:top;overflow-wrap:anywhere}}
#{uid} .pl-none{{color:#777;font-style:italic;font-family:system-ui,sans-serif;font-size:.85em}}
"""

_TOGGLE_CSS = (
    "#{uid}-{kind}:not(:checked) ~ .pl-grid mark.pl-{kind}{{background:none;"
    "box-shadow:none;border:none;text-decoration:none;font-weight:inherit}}\n"
    "#{uid}-{kind}:not(:checked) ~ .pl-legend label[for={uid}-{kind}]{{opacity:.45;"
    "text-decoration:line-through}}\n"
    "#{uid}-{kind}:focus-visible ~ .pl-legend label[for={uid}-{kind}]{{outline:"
    "2px solid #e25c00}}"
)

# Our own script, the same for every article: no article text is ever part of it. It reads the
# clicked mark and the marks around it with getAttribute and writes with textContent.
_SCRIPT = """
(function(){var root=document.getElementById('%(uid)s');if(!root)return;
var panel=root.querySelector('.pl-details');
root.addEventListener('click',function(ev){var t=ev.target;
if(!t||!t.closest)return;var m=t.closest('mark.pl-mark');if(!m||!root.contains(m))return;
root.querySelectorAll('mark.pl-active').forEach(function(x){x.classList.remove('pl-active');});
while(panel.firstChild)panel.removeChild(panel.firstChild);
var dl=document.createElement('dl');var seen={};
for(var n=m;n&&n!==root;n=n.parentElement){if(!n.matches||!n.matches('mark.pl-mark'))continue;
var id=n.getAttribute('data-id');if(seen[id])continue;seen[id]=1;
root.querySelectorAll('mark[data-id="'+id+'"]').forEach(function(x){x.classList.add('pl-active');});
var dt=document.createElement('dt');dt.textContent=n.getAttribute('data-kind')+': '+
n.getAttribute('data-label');var dd=document.createElement('dd');
dd.textContent=n.getAttribute('data-details')||'';dl.appendChild(dt);dl.appendChild(dd);}
panel.appendChild(dl);});})();
"""


def _table_html(df: pd.DataFrame) -> Markup:
    """A small table as HTML (pandas escapes every cell)."""
    if df is None or len(df) == 0:
        return Markup("<p class='pl-none'>none found</p>")
    return Markup(df.to_html(index=False, escape=True, border=0, na_rep=""))


def render_article(
    article: Article, tables: Tables, *, side: dict[str, pd.DataFrame] | None = None
) -> str:
    """The annotated article as a self-contained HTML fragment (see the module docstring).

    ``side`` are the tables shown beside the text (default: :func:`article_tables`).
    """
    uid = _uid(article)
    marks_df = article_marks(article, tables)
    marks = [
        _Mark(int(r.start), int(r.end), r.kind, r.role, r.mark_id, r.label, r.details)
        for r in marks_df.itertuples()
    ]
    # The legend counts items: a quote and its cue verb are one quote.
    items = marks_df[marks_df["role"] != "cue"] if len(marks_df) else marks_df
    counts = items.groupby("kind")["mark_id"].nunique() if len(items) else {}
    toggles = "\n".join(_TOGGLE_CSS.format(uid=uid, kind=k) for k in KINDS)
    css = _CSS.format(uid=uid, toggles=toggles)
    meta = [
        ("id", article.article_id),
        ("headline", article.headline),
        ("byline", article.byline),
        ("date", article.date),
        ("outlet", article.outlet),
        ("url", article.url),
    ]
    parts: list[Markup] = [
        Markup('<div class="pl-article" id="{}" data-article-id="{}"><style>{}</style>').format(
            uid, article.article_id, Markup(css)
        ),
    ]
    for kind in KINDS:
        parts.append(
            Markup(
                '<input type="checkbox" class="pl-toggle" id="{}-{}" checked aria-label="show {}">'
            ).format(uid, kind, KIND_LABELS[kind])
        )
    parts.append(
        Markup('<div class="pl-meta">{}</div>').format(
            Markup(" · ").join(Markup("<b>{}</b> {}").format(k, v) for k, v in meta if v)
        )
    )
    legend = [
        Markup("<span>Marks (click a name to hide or show; click a mark for details):</span>")
    ]
    for kind in KINDS:
        n = int(counts.get(kind, 0)) if len(items) else 0
        legend.append(
            Markup(
                '<label for="{}-{}"><mark class="pl-mark pl-{} pl-swatch">{}</mark> {}</label>'
            ).format(uid, kind, kind, kind, f"{n}")
        )
    parts.append(Markup('<div class="pl-legend">{}</div>').format(Markup(" ").join(legend)))
    parts.append(Markup('<div class="pl-grid"><div class="pl-text">'))
    text = article.text
    for start, end, part in layout_blocks(article):
        if part == "" and not text[start:end].strip():
            continue  # blank lines between parts: the blocks' own margins show the break
        parts.append(
            Markup(
                '<div class="pl-part" data-part="{}"><span class="pl-part-label">{}</span>{}</div>'
            ).format(part, PART_LABELS.get(part, part), nest_marks(text, start, end, marks))
        )
    parts.append(
        Markup(
            '</div><div class="pl-side"><div class="pl-details" aria-live="polite">'
            "Click a marked passage to see what was found there.</div>"
        )
    )
    for name, df in (
        side if side is not None else article_tables(tables, article.article_id)
    ).items():
        parts.append(Markup("<h4>{}</h4>{}").format(name, _table_html(df)))
    parts.append(
        Markup("</div></div><script>{}</script></div>").format(Markup(_SCRIPT % {"uid": uid}))
    )
    return str(Markup("").join(parts))


class ArticleView:
    """An annotated article for a notebook: displays as HTML (``_repr_html_``)."""

    def __init__(self, article: Article, tables: Tables) -> None:
        self.article = article
        self.html = render_article(article, tables)

    def _repr_html_(self) -> str:
        return self.html


# --------------------------------------------------------------------------- side tables


def _few(words: list[str], limit: int = 6) -> str:
    """At most ``limit`` words, comma-separated, with how many more there are."""
    more = len(words) - limit
    return ", ".join(words[:limit]) + (f" (+{more} more)" if more > 0 else "")


def article_tables(tables: Tables, article_id: str) -> dict[str, pd.DataFrame]:
    """An article's actors, quotes, figures and frames as short readable tables."""
    article_id = str(article_id)
    mentions = _rows(tables, "mentions", article_id)
    actors = tables.get("actors")
    if len(mentions):
        story = mentions[mentions["kind"].astype(str) != "credit"]
        counts = story.groupby("actor_id", dropna=True).agg(
            mentions=("surface", "size"),
            first=("start", "min"),
            as_written=("surface", lambda s: _few(sorted(set(map(str, s))), 4)),
        )
        counts = counts.reset_index()
        fields = ["name", "type", "role", "affiliation"]
        # The actors table is the canonical record; the mentions' own columns fill its gaps
        # (and stand in while a run has no actors table).
        own = story.groupby("actor_id", dropna=True)[[f for f in fields if f in story]].first()
        canonical = (
            actors.drop_duplicates("actor_id").set_index("actor_id")[fields]
            if actors is not None and len(actors)
            else pd.DataFrame(columns=fields)
        )
        for field in fields:
            first = canonical[field].to_dict() if len(canonical) else {}
            second = own[field].to_dict() if field in own else {}
            counts[field] = [
                first.get(a) if _value(first.get(a)) else (second.get(a) or None)
                for a in counts["actor_id"]
            ]
        counts["name"] = [
            n if _value(n) else a for n, a in zip(counts["name"], counts["actor_id"], strict=True)
        ]
        actor_table = counts.sort_values(["mentions", "first"], ascending=[False, True])[
            ["name", "type", "role", "affiliation", "mentions", "as_written"]
        ]
    else:
        actor_table = pd.DataFrame()
    quotes = _rows(tables, "quotes", article_id)
    quote_table = quotes[["kind", "speaker", "cue", "text"]] if len(quotes) else pd.DataFrame()
    figures = _figure_rows(tables, article_id)
    figure_table = (
        figures[["surface", "low", "high", "qualifier", "unit", "counted", "claimed_by"]]
        if len(figures)
        else pd.DataFrame()
    )
    frames = _rows(tables, "frames", article_id)
    if len(frames):
        frame_table = (
            frames.groupby("frame")
            .agg(
                cues=("cue", "size"),
                weight=("weight", "sum"),
                words=("cue", lambda c: _few(sorted(set(map(str, c))))),
            )
            .reset_index()
        )
        scored = _rows(tables, "article_frames", article_id)
        if len(scored):
            frame_table = frame_table.merge(
                scored[["frame", "score", "present"]], on="frame", how="left"
            )
        frame_table = frame_table.sort_values(["weight", "frame"], ascending=[False, True])
    else:
        frame_table = pd.DataFrame()
    return {
        "actors": actor_table.reset_index(drop=True),
        "quotes": quote_table.reset_index(drop=True),
        "figures": figure_table.reset_index(drop=True),
        "frames": frame_table.reset_index(drop=True),
    }


def sentence_profile(article: Article, tables: Tables) -> pd.DataFrame:
    """Marks of each kind per sentence of one article, in reading order.

    Columns: ``sentence_id, part, start, end`` and one count column per kind in :data:`KINDS`;
    a mark counts in the sentence where it starts (quote cues are not counted apart).
    """
    marks = article_marks(article, tables)
    marks = marks[marks["role"] != "cue"] if len(marks) else marks
    sentences = _rows(tables, "sentences", article.article_id)
    columns = ["sentence_id", "part", "start", "end", *KINDS]
    if len(sentences) == 0:
        return pd.DataFrame(columns=columns)
    sentences = sentences.sort_values("start")
    starts = sentences["start"].astype(int).tolist()
    ends = sentences["end"].astype(int).tolist()
    rows = {int(s): dict.fromkeys(KINDS, 0) for s in sentences["sentence_id"]}
    ids = [int(s) for s in sentences["sentence_id"]]
    import bisect

    for mark in marks.itertuples():
        i = bisect.bisect_right(starts, int(mark.start)) - 1
        if i >= 0 and int(mark.start) < ends[i]:
            rows[ids[i]][mark.kind] += 1
    out = sentences[["sentence_id", "part", "start", "end"]].copy()
    for kind in KINDS:
        out[kind] = [rows[int(s)][kind] for s in out["sentence_id"]]
    return out.astype({"sentence_id": int, "start": int, "end": int}).reset_index(drop=True)


def plot_profile(profile: pd.DataFrame, ax) -> None:
    """Stacked bars of :func:`sentence_profile` on a matplotlib ``ax``, titled and labelled."""
    from matplotlib.ticker import MaxNLocator

    bottom = [0] * len(profile)
    for kind in KINDS:
        values = profile[kind].astype(int).tolist()
        ax.bar(
            profile["sentence_id"].astype(int),
            values,
            bottom=bottom,
            color=KIND_COLOURS[kind],
            label=KIND_LABELS[kind],
        )
        bottom = [a + b for a, b in zip(bottom, values, strict=True)]
    if len(profile) == 0:
        ax.text(
            0.5,
            0.5,
            "this article has no sentences",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(
        title="What was found in each sentence",
        xlabel="sentence (reading order; 0 is the first line)",
        ylabel="marks",
    )
    ax.legend(title="kind of mark", fontsize=8)
