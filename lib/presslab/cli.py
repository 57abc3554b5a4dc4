"""The ``presslab`` command: ``analyze`` writes the tables, ``run`` does the whole run."""

from __future__ import annotations

import argparse
import sys

from presslab.corpus import LoadError
from presslab.errors import PresslabError

DESCRIPTION = """presslab: reproducible analyses of news coverage.

  presslab analyze CORPUS --out DIR   analyse the articles and write the tables (CSV) to DIR
  presslab run CORPUS --out DIR       analyse, then execute every notebook and render HTML
                                      reports, DIR/index.html and DIR/manifest.json

CORPUS is a folder (every *.txt, *.jsonl, *.csv below it), one .txt file, a .jsonl file (one
article a line: id, text, optional headline, byline, date, outlet, url) or a .csv file with
those columns. A file that cannot be read is listed in DIR/errors.csv and on stderr; the other
articles are still analysed, and the exit code is 1.
"""


def _report(error: LoadError) -> None:
    print(f"presslab: error: {error.file}: {error.reason}", file=sys.stderr)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", help="folder, .txt, .jsonl or .csv of articles")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument(
        "--jobs", type=int, default=1, help="processes for the analysis (and notebooks run at once)"
    )
    parser.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="where the analysis runs: local processes, or a Dask cluster",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        help="Dask scheduler address (with --engine dask; default: a local "
        "cluster of --jobs workers)",
    )
    parser.add_argument(
        "--quotes",
        choices=["rules", "learned"],
        default="rules",
        help="how quotes are found: the rules (default), or with the learned attribution "
        "tagger (higher recall on PolNeAR; the analysis takes about twice as long; see README)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presslab",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True, metavar="{analyze,run}")
    analyze = sub.add_parser(
        "analyze",
        help="analyse a corpus and write its tables as CSV",
        description="Analyse a corpus and write its tables (articles, "
        "sentences, mentions, actors, quotes, figures, frames, "
        "article_frames, tone, ... and errors) as CSV to --out.",
    )
    _common(analyze)
    run = sub.add_parser(
        "run",
        help="analyse, execute the notebooks, render the reports",
        description="Analyse a corpus into OUT/tables, execute the notebooks "
        "with papermill, render OUT/reports/*.html, and write "
        "OUT/index.html and OUT/manifest.json. OUT must not exist.",
    )
    _common(run)
    run.add_argument(
        "--notebooks",
        nargs="+",
        metavar="NAME",
        help="only these notebooks (e.g. 00_corpus 01_actors); default: all",
    )
    run.add_argument(
        "--articles", nargs="+", metavar="ID", help="per-article reports for these article ids"
    )
    run.add_argument(
        "--sample",
        type=int,
        default=None,
        help="per-article reports for a seeded random sample of this many articles "
        "(default: every article of a corpus of at most 20, else 20)",
    )
    return parser


def _version() -> str:
    from presslab import __version__

    return f"presslab {__version__}"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "analyze":
            from presslab.tables import analyze_corpus

            tables = analyze_corpus(
                args.corpus,
                args.out,
                jobs=args.jobs,
                engine=args.engine,
                scheduler=args.scheduler,
                progress=not args.quiet,
                report_error=_report,
                quotes=args.quotes,
            )
            n_ok, n_bad = len(tables["articles"]), len(tables["errors"])
            print(
                f"presslab: {n_ok} articles analysed, {n_bad} errors; tables in {args.out}",
                file=sys.stderr,
            )
            return 1 if n_bad else 0
        from presslab.run import run

        manifest = run(
            args.corpus,
            args.out,
            jobs=args.jobs,
            notebooks=args.notebooks,
            articles=args.articles,
            sample=args.sample,
            engine=args.engine,
            scheduler=args.scheduler,
            progress=not args.quiet,
            report_error=_report,
            quotes=args.quotes,
        )
        failed = [j for j in manifest["notebooks"] if j["status"] != "ok"]
        for job in failed:
            print(
                f"presslab: error: notebook {job['notebook']} failed: {job['error']}",
                file=sys.stderr,
            )
        print(f"presslab: report at {args.out}/index.html", file=sys.stderr)
        return 0 if manifest["ok"] else 1
    except PresslabError as exc:
        print(f"presslab: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk or a folder that cannot be written, said plainly
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"presslab: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("presslab: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
