"""The ``hostkb serve`` command, kept apart so the catalog can be wired into the CLI
with one call: ``register(cli)`` at the end of extractor/cli.py."""

from __future__ import annotations

import click


def register(cli_group: click.Group) -> click.Command:
    """Add ``serve`` to ``cli_group`` and return the command."""
    from .cli import DB_OPTION, library_errors  # cli.py calls register() after defining these

    @cli_group.command()
    @DB_OPTION
    @click.option("--port", "-p", default=8001, show_default=True, type=click.IntRange(0, 65535),
                  help="Port to listen on.")
    @click.option("--host", "host", default="127.0.0.1", show_default=True,
                  help="Address to listen on (0.0.0.0: every interface, to share on a network).")
    @library_errors
    def serve(db_path, port, host):
        """Browse the database in a web catalog (Datasette, read-only): papers, hosts,
        figures with their evidence sentences, rankings with a chart, full-text search."""
        from .serve import serve as run

        run(db_path, port=port, host=host, echo=click.echo)

    return serve
