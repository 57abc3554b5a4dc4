"""The index page of a run: what was run on what, the corpus in numbers, one link per report.

:func:`render_index` writes ``index.html`` from the run's manifest and tables: the run (corpus,
parameters, date, presslab version, commit), corpus numbers (:func:`corpus_numbers`), every
corpus-level report and every per-article report with its status and plots, and every failure
with its reason and what to do about it (:func:`failures`).

All text that comes from articles or the run (ids, headlines, errors, paths) is escaped with
markupsafe: an article cannot inject markup into the index.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

#: the default number of per-article reports (mirrors ``presslab.run.DEFAULT_ARTICLE_REPORTS``,
#: not imported from there because run imports this module)
DEFAULT_ARTICLE_REPORTS = 20

_STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1080px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;margin:.6em 0 1em;font-size:.92em}
td,th{border-bottom:1px solid #ddd;padding:.3em .7em;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#176d2c;font-weight:600}.failed{color:#b00020;font-weight:600}
.pending{color:#8a6d00;font-weight:600}
code{background:#f4f4f4;padding:0 .3em}small,.muted{color:#666}
.banner{padding:.6em .9em;border-radius:4px;margin:1em 0}
.banner.ok{background:#e8f5ea;border:1px solid #9ccaa5}
.banner.failed{background:#fdecee;border:1px solid #e4a0a9}
.plots a{margin-right:.6em;white-space:nowrap}
"""

#: what each corpus number counts, in display order: (label, table, how)
_NUMBERS = [
    ("articles", "articles", "rows"),
    ("words in article bodies", "articles", "n_words"),
    ("sentences", "sentences", "rows"),
    ("actor mentions", "mentions", "rows"),
    ("distinct actors", "actors", "rows"),
    ("quotes", "quotes", "rows"),
    ("figures (reported numbers)", "figures", "rows"),
    ("frame cues", "frames", "rows"),
    ("outlets", "articles", "outlet"),
    ("files or extractors that failed", "errors", "rows"),
]


def corpus_numbers(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The corpus in numbers: one row per count (``what``, ``n``)."""
    rows = []
    for label, table, how in _NUMBERS:
        df = tables.get(table)
        if df is None:
            n = 0
        elif how == "rows":
            n = len(df)
        elif how == "outlet":
            n = int(df["outlet"].dropna().nunique()) if len(df) else 0
        else:
            n = int(pd.to_numeric(df[how], errors="coerce").fillna(0).sum()) if len(df) else 0
        rows.append({"what": label, "n": n})
    return pd.DataFrame(rows, columns=["what", "n"])


def failures(manifest: dict) -> pd.DataFrame:
    """Everything that failed in a run, with the reason and what to do.

    Columns: ``where`` (file, or report), ``what`` (input, extractor, report), ``reason``,
    ``what_to_do``.
    """
    rows = []
    for error in manifest.get("load_errors") or []:
        reason = str(error.get("reason", ""))
        if " extractor failed: " in reason:
            rows.append(
                {
                    "where": error.get("file", ""),
                    "what": "extractor",
                    "reason": reason,
                    "what_to_do": "this article's other tables were produced; the failing "
                    "extractor's rows for it are missing. Please report it "
                    "with the article.",
                }
            )
        else:
            rows.append(
                {
                    "where": error.get("file", ""),
                    "what": "input",
                    "reason": reason,
                    "what_to_do": "the file was skipped and the rest analysed; fix or "
                    "remove it and run again.",
                }
            )
    for job in manifest.get("notebooks") or []:
        if job.get("status") == "ok":
            continue
        name = Path(job["report"]).name
        executed = Path(job.get("output", "")).name
        rows.append(
            {
                "where": f"reports/{name}",
                "what": "report",
                "reason": job.get("error") or job.get("status", ""),
                "what_to_do": f"the executed notebook notebooks/{executed} shows the cell "
                "that failed and its traceback; the other reports are "
                "unaffected.",
            }
        )
    return pd.DataFrame(rows, columns=["where", "what", "reason", "what_to_do"])


def _row(cells: list, classes: list[str] | None = None) -> Markup:
    classes = classes or [""] * len(cells)
    return (
        Markup("<tr>")
        + Markup("").join(
            Markup("<td class='{}'>{}</td>").format(k, c) if k else Markup("<td>{}</td>").format(c)
            for c, k in zip(cells, classes, strict=True)
        )
        + Markup("</tr>")
    )


def _head(names: list[str]) -> Markup:
    return (
        Markup("<table><tr>")
        + Markup("").join(Markup("<th>{}</th>").format(n) for n in names)
        + Markup("</tr>")
    )


def _status(status: str) -> Markup:
    kind = status if status in ("ok", "failed") else "pending"
    return Markup("<span class='{}'>{}</span>").format(kind, status)


def _plots(job: dict) -> Markup:
    folder = Path(job["parameters"].get("plots", "")).name
    links = []
    for png in job.get("plots") or []:
        stem = Path(png).stem
        links.append(
            Markup(
                "<a href='reports/{}/{}'>{}</a><a href='reports/{}/{}.csv'><small>csv</small></a>"
            ).format(folder, png, stem, folder, stem)
        )
    return Markup("<span class='plots'>{}</span>").format(Markup(" ").join(links))


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def render_index(manifest: dict, tables: dict[str, pd.DataFrame]) -> str:
    """The run's ``index.html``: what was run on what, corpus numbers, one link per report,
    failures explained, parameters and versions."""
    params = manifest["parameters"]
    articles = tables.get("articles", pd.DataFrame(columns=["article_id"]))
    meta = {str(r["article_id"]): r for _, r in articles.iterrows()} if len(articles) else {}
    jobs = manifest.get("notebooks") or []
    n_failed = sum(1 for j in jobs if j.get("status") != "ok")
    problems = failures(manifest)
    parts = [
        Markup(
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width,initial-scale=1'>"
            "<title>presslab run: {}</title><style>{}</style></head><body>"
        ).format(Path(str(params.get("corpus", ""))).name, Markup(_STYLE)),
        Markup(
            "<h1>presslab run</h1><p>Corpus <code>{}</code> · run {} to {} (UTC) · presslab "
            "{} · commit <code>{}</code></p>"
        ).format(
            params.get("corpus", ""),
            manifest.get("started", ""),
            manifest.get("finished", ""),
            manifest.get("presslab", ""),
            manifest.get("git_commit") or "unknown",
        ),
    ]
    if manifest.get("ok"):
        parts.append(
            Markup(
                "<div class='banner ok'><span class='ok'>All good</span>: every "
                "article was read and every report rendered.</div>"
            )
        )
    else:
        parts.append(
            Markup(
                "<div class='banner failed'><span class='failed'>Something "
                "failed</span>: {} problem(s), {} of {} report(s) failed. "
                "<a href='#failures'>What failed and why</a>.</div>"
            ).format(len(problems), n_failed, len(jobs))
        )
    parts.append(
        Markup(
            "<p>Tables: <a href='tables/'>tables/</a> (CSV, one file per table) · "
            "<a href='manifest.json'>manifest.json</a> (everything below, as data)"
            "</p>"
        )
    )

    parts.append(Markup("<h2>The corpus in numbers</h2>"))
    parts.append(_head(["what", "n"]))
    parts.extend(
        _row([r.what, f"{r.n:,}"], ["", "num"]) for r in corpus_numbers(tables).itertuples()
    )
    parts.append(Markup("</table>"))

    corpus_jobs = [j for j in jobs if not j.get("article_id")]
    article_jobs = [j for j in jobs if j.get("article_id")]
    parts.append(Markup("<h2>Reports</h2>"))
    if not corpus_jobs:
        parts.append(Markup("<p class='muted'>No corpus-level report in this run.</p>"))
    parts.append(_head(["report", "status", "seconds", "plots (PNG, with its CSV)", "details"]))
    for job in corpus_jobs:
        name = Path(job["report"]).name
        parts.append(
            _row(
                [
                    Markup("<a href='reports/{}'>{}</a>").format(name, Path(name).stem),
                    _status(job["status"]),
                    job.get("seconds", ""),
                    _plots(job),
                    job.get("error", ""),
                ],
                ["", "", "num", "", ""],
            )
        )
    parts.append(Markup("</table>"))

    parts.append(Markup("<h2>One report per article</h2>"))
    n_articles = int(manifest.get("n_articles", len(articles)))
    if article_jobs:
        n_shown = len({j["article_id"] for j in article_jobs})
        if n_shown < n_articles:
            parts.append(
                Markup(
                    "<p class='muted'>Reports for {} of {} articles (those named "
                    "with <code>--articles</code>, else a seeded random sample of "
                    "<code>--sample N</code>, {} by default). Choose others with "
                    "<code>presslab run --articles ID ...</code>.</p>"
                ).format(n_shown, n_articles, DEFAULT_ARTICLE_REPORTS)
            )
        parts.append(
            _head(
                ["article", "headline", "date", "outlet", "report", "status", "seconds", "details"]
            )
        )
        for job in article_jobs:
            name = Path(job["report"]).name
            row = meta.get(str(job["article_id"]))
            headline = _text(row["headline"]) if row is not None else ""
            date = _text(row["date"]) if row is not None else ""
            outlet = _text(row["outlet"]) if row is not None else ""
            parts.append(
                _row(
                    [
                        job["article_id"],
                        headline,
                        date,
                        outlet,
                        Markup("<a href='reports/{}'>{}</a>").format(
                            name, Path(name).stem.split("--")[0]
                        ),
                        _status(job["status"]),
                        job.get("seconds", ""),
                        job.get("error", ""),
                    ],
                    ["", "", "", "", "", "", "num", ""],
                )
            )
        parts.append(Markup("</table>"))
    else:
        parts.append(
            Markup(
                "<p class='muted'>No per-article report in this run (the notebook "
                "<code>10_article</code> was not selected).</p>"
            )
        )

    parts.append(Markup("<h2 id='failures'>Failures</h2>"))
    if len(problems):
        parts.append(_head(["where", "what", "reason", "what to do"]))
        parts.extend(_row([r.where, r.what, r.reason, r.what_to_do]) for r in problems.itertuples())
        parts.append(Markup("</table>"))
    else:
        parts.append(Markup("<p class='ok'>Nothing failed.</p>"))

    parts.append(Markup("<h2>Parameters</h2>"))
    parts.append(_head(["parameter", "value"]))
    for key, value in params.items():
        if isinstance(value, list):
            value = ", ".join(map(str, value[:50])) + (" ..." if len(value) > 50 else "")
        parts.append(_row([key, "" if value is None else str(value)]))
    parts.append(_row(["corpus sha256", manifest.get("corpus_sha256", "")]))
    parts.append(Markup("</table>"))
    timings = manifest.get("timings") or {}
    if timings:
        parts.append(Markup("<h2>Timings</h2>"))
        parts.append(_head(["stage", "seconds"]))
        parts.extend(_row([k, v], ["", "num"]) for k, v in timings.items())
        parts.append(Markup("</table>"))
    versions = manifest.get("versions") or {}
    if versions:
        parts.append(Markup("<h2>Versions</h2>"))
        parts.append(_head(["package", "version"]))
        parts.extend(_row([k, v or "not installed"]) for k, v in versions.items())
        parts.append(Markup("</table>"))
    parts.append(Markup("</body></html>\n"))
    return str(Markup("").join(escape(p) for p in parts))
