"""Full-text search over the sentences, as people type: plain words, names such as
``ZnO@NHC``, ``Li||Cu`` or ``CE 99.1%`` and ``"quoted phrases"`` work as they are.

``fts_query`` escapes a query the way Datasette's own table search does (each word or
quoted phrase becomes an FTS5 phrase, so ``@ / | % . -`` are never FTS5 syntax); with
``raw=True`` the query is passed through as SQLite FTS5 syntax (``OR``, ``NEAR``,
``prefix*``). ``search`` runs it; the catalog's ``search_evidence`` query calls the same
escaping through the SQL function ``hostkb_fts_query`` (registered on every catalog
connection).
"""

from __future__ import annotations

import sqlite3

from .errors import HostkbError

__all__ = ["fts_query", "search", "SearchError", "register_sql_functions"]


class SearchError(HostkbError):
    """A raw FTS5 query that SQLite cannot parse."""


def fts_query(query: str, raw: bool = False) -> str:
    """The FTS5 MATCH expression for what a person typed (``raw``: ``query`` unchanged)."""
    if raw:
        return query
    from datasette.utils import escape_fts

    return escape_fts(query.strip())


def register_sql_functions(conn: sqlite3.Connection) -> None:
    """``hostkb_fts_query(q, raw)`` on ``conn``: raw is 1/'1' for FTS5 syntax."""
    def sql_fts_query(q, raw=None):
        if q is None:
            return None
        return fts_query(str(q), raw=str(raw or "").strip().lower() in ("1", "true", "yes", "on"))

    conn.create_function("hostkb_fts_query", 2, sql_fts_query, deterministic=True)


SEARCH_SQL = """
SELECT d.name AS document, s.page, s.section, s.evidence, s.id AS sentence_id
FROM sentences_fts
JOIN sentences s ON s.id = sentences_fts.rowid JOIN documents d ON d.id = s.document_id
WHERE sentences_fts MATCH ? ORDER BY sentences_fts.rank LIMIT ?
"""


def search(db, query: str, limit: int = 10, raw: bool = False) -> list[dict]:
    """Sentences matching ``query``, best first: document, page, section, evidence, sentence_id."""
    match = fts_query(query, raw=raw)
    if not match.strip():
        return []
    try:
        return list(db.query(SEARCH_SQL, [match, limit]))
    except sqlite3.OperationalError as exc:
        hint = "" if not raw else " (FTS5 syntax; leave out --raw to search for the words as typed)"
        raise SearchError(f"bad search query {query!r}: {exc}{hint}") from None
