"""The ``hostkb`` command: thin click commands over the library.

Each command parses its arguments, makes one call into the library and turns the
library's named errors (``HostkbError``) into ``ClickException``. To add a command,
write a function decorated with ``@cli.command()`` and document it in README.md
(tests/test_docs.py checks that every command is documented).
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from . import __version__
from .cli_types import FiniteFloat
from .errors import HostkbError, printable

MAX_TIME_LIMIT = 1e6  # seconds (11.6 days); 0 means no limit at all

DB_OPTION = click.option(
    "--db", "db_path", default="hostkb.db", show_default=True, envvar="HOSTKB_DB",
    type=click.Path(dir_okay=False, path_type=Path), help="The SQLite database (env: HOSTKB_DB).",
)


def library_errors(func):
    """Turn hostkb's named errors into a clean one-line error and exit code 1."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except HostkbError as exc:
            raise click.ClickException(printable(exc)) from exc
    return wrapper


def _open(db_path: Path):
    from .store import open_db
    return open_db(db_path, create=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hostkb")
def cli():
    """hostkb: a knowledge base of lithium-metal anode hosts, built from papers."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@DB_OPTION
@click.option("--workers", "-j", default=1, show_default=True, type=click.IntRange(min=0),
              help="Processes that read documents in parallel (0: one per CPU).")
@click.option("--force", is_flag=True, help="Rebuild documents even when their file is unchanged.")
@click.option("--prune", is_flag=True, help="Remove stored documents whose file no longer exists.")
@click.option("--max-size", "max_mb", default=None, type=FiniteFloat(min=0, min_open=True),
              help="Refuse files larger than this many MB (default 200).")
@click.option("--no-progress", is_flag=True, help="No progress bar (it is also off when stderr is not a terminal).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Extract on this Dask distributed cluster (files on a file system its workers share); "
                   "this process still writes the database. Needs hostkb[distributed].")
@click.option("--time-limit", default=600, show_default=True, type=FiniteFloat(min=0, max=MAX_TIME_LIMIT),
              help="Seconds one document may take to read and extract; a slower one fails with "
                   "'time_limit' and the build goes on (0: no limit).")
@click.option("--max-chars", default=5_000_000, show_default=True, type=click.IntRange(min=0),
              help="Characters of text one document may have (its memory grows with them); a longer one "
                   "fails with 'too_large' (0: no limit).")
@click.option("--absolute-paths", is_flag=True,
              help="Record absolute file paths (default: relative to the folders and files named).")
@library_errors
def build(paths, db_path, workers, force, prune, max_mb, no_progress, scheduler, time_limit, max_chars,
          absolute_paths):
    """Build papers (files or folders of .pdf, .txt, .md, .xml) into the database.

    Unchanged files are skipped, changed ones replaced. Files that cannot be read get
    one line on stderr and a row in the ingest_errors table; the exit code is 1 when
    any file failed.
    """
    import os

    from .build import DEFAULT_MAX_BYTES
    from .build import build as run_build

    max_bytes = int(max_mb * 1e6) if max_mb else DEFAULT_MAX_BYTES
    try:
        summary = run_build(paths, db_path, workers=workers or os.cpu_count() or 1,
                            progress=not no_progress, force=force, prune=prune, max_bytes=max_bytes,
                            scheduler=scheduler, time_limit=time_limit or None, absolute_paths=absolute_paths,
                            max_chars=max_chars or None)
    except KeyboardInterrupt:
        click.echo("hostkb: interrupted; the documents finished so far are saved, run the same "
                   "command again to resume", err=True)
        sys.exit(130)
    click.echo(summary.format())
    if not summary.ok:
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--layout", is_flag=True, help="One line per block: page, role, section, text start.")
@library_errors
def text(file, layout):
    """Print FILE's text exactly as hostkb analyses it (headings marked, captions apart,
    references left out); with --layout, the blocks the loader saw and their roles."""
    from .load import load
    from .segment import render_layout, render_text, segment

    seg = segment(load(file))
    click.echo(render_layout(seg) if layout else render_text(seg), nl=False)


@cli.command()
@DB_OPTION
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the JSON records (created if missing).")
@library_errors
def export(db_path, out_dir):
    """Write one extraction-records JSON file per document (the format of
    docs/records.md)."""
    from .export import export_all

    db = _open(db_path)
    try:
        written = export_all(db, out_dir)
    finally:
        db.close()
    click.echo(f"hostkb: wrote {len(written)} record file{'s' if len(written) != 1 else ''} to {out_dir}")


@cli.command(name="eval")
@DB_OPTION
@click.option("--gold", "gold_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of gold record files (*.json).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the scores as JSON to this file.")
@click.option("--brief", is_flag=True, help="Only the score table, without the lists of misses and extras.")
@click.option("--explain", is_flag=True,
              help="Give each miss and extra its cause (host not found, wrong host, wrong metric, value, "
                   "not read, not extracted, not a figure) and total them per cause.")
@click.option("--docs", "built_only", is_flag=True,
              help="Score only the gold documents that are in the database (others are not counted as misses).")
@library_errors
def eval_(db_path, gold_dir, json_out, brief, explain, built_only):
    """Score the database's records against gold annotations (precision, recall, F1,
    conditions, host recall, synthesis)."""
    from .evaluate import evaluate, format_explained, load_gold
    from .export import export_records

    db = _open(db_path)
    try:
        records = export_records(db)
        texts = dict(db.execute(
            "SELECT d.name, group_concat(p.text, ' ') FROM passages p JOIN documents d ON d.id = p.document_id "
            "GROUP BY d.id")) if explain else {}
    finally:
        db.close()
    gold = load_gold(gold_dir)
    if built_only:
        gold = {doc: g for doc, g in gold.items() if doc in records or Path(doc).name in records}
    report = evaluate(records, gold)
    click.echo(report.format(verbose=not brief and not explain))
    if explain:
        click.echo(format_explained(report, texts))
    if json_out:
        try:
            json_out.write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write {json_out}: {exc.strerror or exc}") from None


@cli.command()
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@library_errors
def stats(db_path, as_json):
    """Counts of what the database holds, and the files that could not be built."""
    from .store import counts

    db = _open(db_path)
    try:
        numbers = counts(db)
        errors = list(db.query("SELECT name, reason, detail FROM ingest_errors ORDER BY name"))
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps({"counts": numbers, "errors": errors}, indent=2, ensure_ascii=False))
        return
    click.echo(f"hostkb database {db_path}")
    width = max(len(k) for k in numbers)
    for key, value in numbers.items():
        click.echo(f"  {key:<{width}}  {value:>8}")
    for row in errors:
        click.echo(f"  error: {printable(row['name'])}: {row['reason']}: {printable(row['detail'])}")


@cli.command()
@click.argument("query")
@DB_OPTION
@click.option("--limit", default=10, show_default=True, type=click.IntRange(min=1))
@click.option("--raw", is_flag=True, help='QUERY is SQLite FTS5 syntax (OR, NEAR, prefix*) instead of words.')
@library_errors
def search(query, db_path, limit, raw):
    """Full-text search over the sentences: words, names such as ZnO@NHC or Li||Cu and
    "quoted phrases" as typed (--raw: SQLite FTS5 syntax)."""
    from .search import search as run_search

    db = _open(db_path)
    try:
        rows = run_search(db, query, limit=limit, raw=raw)
    finally:
        db.close()
    for row in rows:
        where = f"{row['document']}" + (f" p.{row['page']}" if row["page"] else "") + f" [{row['section']}]"
        click.echo(f"{where}: {row['evidence']}")
    if not rows:
        click.echo(f"hostkb: no sentence matches {query!r}", err=True)


# Commands of the later stages live beside their library modules.
from .cli_graph import register as _register_graph_commands  # noqa: E402
from .cli_serve import register as _register_serve  # noqa: E402

_register_graph_commands(cli)
_register_serve(cli)


if __name__ == "__main__":  # python -m extractor.cli
    cli()
