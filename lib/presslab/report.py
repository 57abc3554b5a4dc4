"""HTML pieces of a run: the index page that links every report.

All text that comes from articles or the run (ids, headlines, errors, paths) is escaped with
markupsafe: an article cannot inject markup into a report.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

_STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:980px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:1em 0;font-size:.92em}
td,th{border-bottom:1px solid #ddd;padding:.3em .7em;text-align:left;vertical-align:top}
th{background:#f4f4f4}.ok{color:#176d2c;font-weight:600}.failed{color:#b00020;font-weight:600}
code{background:#f4f4f4;padding:0 .3em}small{color:#666}
"""


def _row(cells: list) -> Markup:
    return Markup("<tr>") + Markup("").join(
        Markup("<td>{}</td>").format(c) for c in cells) + Markup("</tr>")


def render_index(manifest: dict, tables: dict[str, pd.DataFrame]) -> str:
    """The run's ``index.html``: what was run on what, corpus numbers, one link per report."""
    params = manifest["parameters"]
    articles = tables["articles"]
    n_words = int(articles["n_words"].fillna(0).sum()) if len(articles) else 0
    parts = [
        Markup("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
               "<title>presslab run</title><style>{}</style></head><body>").format(
            Markup(_STYLE)),
        Markup("<h1>presslab run</h1><p>Corpus <code>{}</code> · {} articles · {} words · "
               "started {} · presslab {} · commit <code>{}</code></p>").format(
            params["corpus"], manifest["n_articles"], f"{n_words:,}", manifest["started"],
            manifest["presslab"], manifest["git_commit"] or "unknown"),
        Markup("<p>Status: <span class='{}'>{}</span>. Tables: <a href='tables/'>tables/</a> · "
               "<a href='manifest.json'>manifest.json</a></p>").format(
            "ok" if manifest["ok"] else "failed",
            "all good" if manifest["ok"] else "something failed (see below)"),
        Markup("<h2>Reports</h2><table><tr><th>report</th><th>article</th><th>status</th>"
               "<th>seconds</th><th>details</th></tr>"),
    ]
    for job in manifest["notebooks"]:
        name = Path(job["report"]).name
        link = Markup("<a href='reports/{}'>{}</a>").format(name, Path(name).stem)
        status = Markup("<span class='{}'>{}</span>").format(job["status"], job["status"])
        parts.append(_row([link, job.get("article_id") or "", status, job["seconds"],
                           job["error"]]))
    parts.append(Markup("</table>"))
    errors = manifest.get("load_errors") or []
    if errors:
        parts.append(Markup("<h2>Input files that failed</h2><table><tr><th>file</th>"
                            "<th>reason</th></tr>"))
        parts.extend(_row([e["file"], e["reason"]]) for e in errors)
        parts.append(Markup("</table>"))
    parts.append(Markup("<h2>Parameters</h2><table>"))
    parts.extend(_row([k, "" if v is None else str(v)]) for k, v in params.items())
    parts.append(Markup("</table></body></html>\n"))
    return str(Markup("").join(escape(p) for p in parts))
