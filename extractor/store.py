"""Storage: the SQLite database behind hostkb, written with sqlite-utils.

Load, then save: parsing never touches the database, and this module never parses.
``save_document(db, seg, extraction)`` writes everything known about one document in
one transaction, replacing any previous version of the same document name; a failure
part-way leaves the database as it was.

The schema is ``schema/schema.sql``; ``open_db`` applies it (idempotently) and refuses
databases that are not hostkb's.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from . import __version__
from .errors import DatabaseError, InconsistentExtraction
from .types import CellTest, Extraction, SegmentedDocument
from .vocab import SCHEMA_VERSION, schema_dir, schema_fingerprint, vocabulary

APPLICATION = "hostkb"

__all__ = [
    "SCHEMA_VERSION",
    "InconsistentExtraction",
    "open_db",
    "tune_for_reading",
    "document_state",
    "save_document",
    "record_error",
    "remove_documents",
    "document_names",
    "counts",
]


# ---------------------------------------------------------------- opening


def _schema_sql() -> str:
    """The whole schema: tables and views (schema.sql), the knowledge graph's tables
    (graph.sql), indexes for the catalog's queries (indexes.sql) and the ranking view (from ranking.sql, without its parameterized query)."""
    from .rank import RANKING_VIEW_SQL

    d = schema_dir()
    return "\n\n".join([(d / "schema.sql").read_text(encoding="utf-8"),
                        (d / "graph.sql").read_text(encoding="utf-8"),
                        (d / "indexes.sql").read_text(encoding="utf-8"), RANKING_VIEW_SQL + ";"])


def _user_tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows if not name.startswith("sqlite_")}


READ_CACHE_KIB = 64 * 1024  # page cache per connection (SQLite's default is 2 MiB)
# Pages read through the OS's memory map instead of read() calls: up to 2000 MiB, just
# under SQLite's usual compile-time cap (SQLITE_MAX_MMAP_SIZE, ~2 GB). Mapping the whole
# file of a 1 M-figure catalog rather than its first 256 MiB took the ranking's p95 from
# 88 to 70 ms. The mapped pages are the OS's file cache, shared and reclaimable; they
# count in the server's RSS only once read.
READ_MMAP_BYTES = 2000 * 1024 * 1024


def tune_for_reading(conn: sqlite3.Connection) -> None:
    """A larger page cache and memory-mapped reads for ``conn``: the catalog's large
    queries (a ranking at a million figures reads tens of thousands of pages) then spend
    less time in page reads. Used by ``open_db`` and by the catalog's connections."""
    conn.execute(f"PRAGMA cache_size = -{READ_CACHE_KIB}")
    conn.execute(f"PRAGMA mmap_size = {READ_MMAP_BYTES}")


def open_db(path: str | Path, *, create: bool = True, reading: bool = True) -> sqlite_utils.Database:
    """Open (or create) a hostkb database.

    Creates the schema if the file is new or empty, turns on WAL mode and foreign keys,
    and, with ``reading`` (the default), tunes the connection for large reads
    (``tune_for_reading``). A build passes ``reading=False``: it writes one document at
    a time, and the page cache and memory map would only add to its RSS (about 300 MB on
    a 10 000-document database, for no speed).

    Raises ``DatabaseError`` for a file that is not a SQLite database, a SQLite database
    that is not hostkb's, one of another schema version, or (with ``create=False``) a
    database that does not exist yet. ``path`` may be ``":memory:"``.
    """
    path_str = str(path)
    memory = path_str == ":memory:"
    if not memory:
        p = Path(path_str)
        if not create and not p.exists():
            raise DatabaseError(f"no database at {path_str}: run `hostkb build PATHS --db {path_str}` first")
        if p.exists() and p.is_dir():
            raise DatabaseError(f"{path_str} is a directory, not a database file")
        if create:
            p.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(path_str, timeout=30)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open database {path_str}: {exc}") from None
    try:
        tables = _user_tables(conn)
        if tables:
            _check_is_hostkb(conn, tables, path_str)
        conn.execute("PRAGMA foreign_keys = ON")
        if reading:
            tune_for_reading(conn)
        if not memory:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: no corruption on crash
        _apply_schema(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"{path_str} is not a usable SQLite database: {exc}") from None
    except DatabaseError:
        conn.close()
        raise
    return sqlite_utils.Database(conn)


def _check_is_hostkb(conn: sqlite3.Connection, tables: set[str], path: str) -> None:
    if "meta" not in tables:
        raise DatabaseError(
            f"{path} is a SQLite database but not a hostkb one (it has tables "
            f"{', '.join(sorted(tables)[:5])}{', ...' if len(tables) > 5 else ''} and no meta table); "
            "refusing to write into it"
        )
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("application") != APPLICATION:
        raise DatabaseError(f"{path} is a SQLite database but not a hostkb one (meta.application is "
                            f"{meta.get('application')!r}); refusing to write into it")
    version = meta.get("schema_version")
    if version != SCHEMA_VERSION:
        raise DatabaseError(
            f"{path} has hostkb schema version {version!r}, this hostkb needs {SCHEMA_VERSION!r}: "
            "build into a new database file"
        )


def _apply_schema(conn: sqlite3.Connection) -> None:
    """Apply schema.sql and fill the vocabulary tables, unless the database already
    has this exact schema and vocabulary (so that opening is read-only in the common case)."""
    sql = _schema_sql()
    fingerprint = schema_fingerprint()
    if "meta" in _user_tables(conn):
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_fingerprint'").fetchone()
        if row and row[0] == fingerprint:
            return
    vocab = vocabulary()
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _has_fingerprint(conn, fingerprint):  # another connection applied it while this one waited
            conn.execute("COMMIT")
            return
        # Views are cheap and may have changed: drop them and let the script recreate them.
        for (view,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall():
            conn.execute(f"DROP VIEW IF EXISTS [{view}]")
        for statement in _split_sql(sql):
            conn.execute(statement)
        # derived tables (schema/indexes.sql) are redrawn whole when the schema changes
        conn.execute("DELETE FROM rank_figures")
        conn.execute("INSERT INTO rank_figures SELECT * FROM rank_figures_source")
        conn.executemany(
            "INSERT INTO metrics (name, unit, better, label, dimension) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET unit = excluded.unit, better = excluded.better, "
            "label = excluded.label, dimension = excluded.dimension",
            [(m.name, m.unit, m.better, m.label, m.dimension) for m in vocab.metrics.values()],
        )
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [("application", APPLICATION), ("schema_version", SCHEMA_VERSION),
             ("schema_fingerprint", fingerprint), ("hostkb_version", __version__)],
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _has_fingerprint(conn: sqlite3.Connection, fingerprint: str) -> bool:
    if "meta" not in _user_tables(conn):
        return False
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_fingerprint'").fetchone()
    return bool(row and row[0] == fingerprint)


def _split_sql(sql: str) -> list[str]:
    """Split a script into statements (sqlite3.complete_statement knows about triggers)."""
    statements, current = [], []
    for line in sql.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current.append(line)
        chunk = "\n".join(current)
        if sqlite3.complete_statement(chunk):
            statements.append(chunk)
            current = []
    if "".join(current).strip():
        raise DatabaseError(f"schema.sql ends with an incomplete statement: {''.join(current)[:80]!r}")
    return statements


# ---------------------------------------------------------------- reading state


def document_state(db: sqlite_utils.Database, name: str) -> str | None:
    """The sha256 stored for document ``name``, or None if it is not in the database."""
    row = db.execute("SELECT sha256 FROM documents WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def document_names(db: sqlite_utils.Database) -> dict[str, str]:
    """Every stored document: name -> path."""
    return dict(db.execute("SELECT name, path FROM documents ORDER BY name").fetchall())


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Row counts of the main tables, plus the number of pages of the stored documents."""
    out = {}
    for table in ("documents", "passages", "sentences", "hosts", "materials", "synthesis_routes",
                  "synthesis_steps", "cell_tests", "measurements", "properties", "ingest_errors"):
        out[table] = db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
    out["pages"] = db.execute("SELECT coalesce(sum(page_count), 0) FROM documents").fetchone()[0]
    return out


# ---------------------------------------------------------------- writing

# save_document runs in the one writer process of a build, so it writes with plain
# prepared statements (executemany) rather than sqlite-utils' per-call table
# introspection. The columns of every table it writes, in the order of the row
# tuples built below:
_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("name", "path", "format", "sha256", "title", "doi", "year", "journal", "authors",
                  "page_count", "n_passages", "n_sentences", "dropped", "built_at", "hostkb_version"),
    "passages": ("id", "document_id", "idx", "section", "role", "page", "heading", "text", "raw_start",
                 "raw_end"),
    "pdf_tables": ("id", "document_id", "idx", "page", "caption", "n_rows", "n_cols", "x0", "y0", "x1", "y1"),
    "table_cells": ("table_id", "row", "col", "text", "x0", "y0", "x1", "y1"),
    "sentences": ("id", "document_id", "passage_id", "idx", "section", "role", "page", "text", "evidence",
                  "raw_start", "raw_end"),
    "hosts": ("id", "document_id", "name", "kind", "has_figures", "sentence_id", "evidence"),
    "host_aliases": ("host_id", "alias"),
    "host_components": ("host_id", "material_id", "position"),
    "synthesis_routes": ("id", "document_id", "host_id", "evidence"),
    "synthesis_steps": ("id", "route_id", "step_order", "method", "conditions", "temperature_c",
                        "duration_h", "atmosphere", "sentence_id", "evidence"),
    "step_precursors": ("step_id", "material_id", "position"),
    "cell_tests": ("id", "document_id", "cell_type", "current_density_ma_cm2", "areal_capacity_mah_cm2",
                   "c_rate", "cycles", "cathode", "electrolyte", "temperature_c"),
    "measurements": ("document_id", "host_id", "cell_test_id", "metric", "value", "unit", "qualifier", "raw",
                     "sentence_id", "span_start", "span_end", "evidence"),
    "properties": ("document_id", "material", "property", "value", "unit", "qualifier", "note", "raw",
                   "sentence_id", "evidence"),
}
_INSERT = {table: f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
                  f"VALUES ({', '.join('?' * len(columns))})"
           for table, columns in _COLUMNS.items()}

# Tables whose ids save_document assigns itself (rows of other tables point at them
# before they are written): max(id) + 1 onwards, the ids SQLite would have given
# the rows inserted one by one.
_NUMBERED = ("passages", "sentences", "hosts", "synthesis_routes", "synthesis_steps", "cell_tests")
_NEXT_IDS = "SELECT " + ", ".join(f"(SELECT coalesce(max(id), 0) + 1 FROM [{t}])" for t in _NUMBERED)

# The extraction's tables in the order they are written (parents first).
_EXTRACTION_TABLES = ("hosts", "host_aliases", "host_components", "synthesis_routes", "synthesis_steps",
                      "step_precursors", "cell_tests", "measurements", "properties")

# Sentences go in by multi-row INSERTs of up to this many rows: the FTS5 index's
# trigger costs several times more per row when every row is a statement of its own
# (executemany), as FTS5 syncs its pending data at every statement.
_SENTENCES_PER_INSERT = 100

_ADD_MATERIAL = "INSERT INTO materials (name) VALUES (?) ON CONFLICT (name) DO NOTHING"
_MATERIALS_PER_SELECT = 500  # bound parameters per SELECT, well under SQLite's limit


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _unique(items: Iterable[str]) -> list[str]:
    seen, out = set(), []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


_SPACE = re.compile(r"\s+")


def _key(name: str) -> str:
    return _SPACE.sub("", name).casefold()


def _stored_names(hosts) -> dict[str, str]:
    """The name each host is stored under: its own, except a control that is a bare
    substrate, stored under the canonical name of schema/vocab.toml (``bare Cu foil`` ->
    ``Cu foil``) unless another host of the paper has or gets that name."""
    from .controls import canonical_control

    names = {h.name: h.name for h in hosts}
    taken = {h.name for h in hosts}
    for h in hosts:
        canonical = canonical_control(h.name) if h.kind == "control" else None
        if canonical and canonical != h.name and canonical not in taken:
            names[h.name] = canonical
            taken.add(canonical)
    return names


def save_document(db: sqlite_utils.Database, seg: SegmentedDocument, extraction: Extraction) -> int:
    """Store one document and everything extracted from it; return its documents.id.

    Runs in one transaction: any previous version of the document (same name) is
    deleted first (its rows cascade), the previous ingest errors of that name are
    cleared, and nothing is left behind if anything fails (the old version then stays).
    Raises ``InconsistentExtraction`` when the extraction refers to an unknown host
    or sentence.
    """
    raw = seg.raw
    conn = db.conn
    with db.atomic():
        replaced = conn.execute("DELETE FROM documents WHERE name = ?", (raw.name,)).rowcount  # takes the write lock
        conn.execute("DELETE FROM ingest_errors WHERE name = ?", (raw.name,))
        meta = seg.meta
        document_id = conn.execute(_INSERT["documents"], (
            raw.name, raw.path, raw.format, raw.sha256, meta.title, meta.doi, meta.year, meta.journal,
            json.dumps(list(meta.authors), ensure_ascii=False) if meta.authors else None,
            raw.page_count, len(seg.passages), len(seg.sentences),
            json.dumps(list(seg.dropped)) if seg.dropped else None, _now(), __version__,
        )).lastrowid
        next_id = dict(zip(_NUMBERED, conn.execute(_NEXT_IDS).fetchone()))
        sentence_ids = _save_text(conn, document_id, seg, next_id)
        _save_tables(conn, document_id, raw.tables)
        _save_extraction(conn, document_id, raw.name, extraction, sentence_ids, next_id)
        if replaced:
            # Only the replaced version's materials can have become unused: every path that
            # deletes documents drops orphans in the same transaction, and the new version
            # uses all the materials it adds. (The scan costs O(materials) per document.)
            _drop_orphan_materials(db)
    return document_id


def _save_tables(conn: sqlite3.Connection, document_id: int, tables) -> None:
    """Insert the PDF tables of the document and their cells."""
    for idx, table in enumerate(tables):
        rows = table.rows
        table_id = conn.execute(_INSERT["pdf_tables"], (
            None, document_id, idx, table.page, table.caption, len(rows), len(rows[0]) if rows else 0,
            table.x0, table.y0, table.x1, table.y1)).lastrowid
        conn.executemany(_INSERT["table_cells"], [
            (table_id, c.row, c.col, c.text, c.x0, c.y0, c.x1, c.y1) for c in table.cells])


def _save_text(conn: sqlite3.Connection, document_id: int, seg: SegmentedDocument,
               next_id: dict[str, int]) -> dict[int, int]:
    """Insert passages and sentences; return Sentence.index -> sentences.id."""
    first_passage = next_id["passages"]
    passage_id = {}
    rows = []
    for i, p in enumerate(seg.passages):
        if p.index in passage_id:
            raise InconsistentExtraction(seg.raw.name, f"two passages have index {p.index}")
        passage_id[p.index] = first_passage + i
        rows.append((first_passage + i, document_id, p.index, p.section, p.role, p.page, p.heading,
                     p.text, p.raw_start, p.raw_end))
    conn.executemany(_INSERT["passages"], rows)
    first_sentence = next_id["sentences"]
    rows, ids = [], {}
    for i, s in enumerate(seg.sentences):
        try:
            pid = passage_id[s.passage]
        except KeyError:
            raise InconsistentExtraction(seg.raw.name, f"sentence {s.index} refers to unknown passage {s.passage}") from None
        if s.index in ids:
            raise InconsistentExtraction(seg.raw.name, f"two sentences have index {s.index}")
        ids[s.index] = first_sentence + i
        rows.append((first_sentence + i, document_id, pid, s.index, s.section, s.role, s.page, s.text,
                     s.evidence, s.raw_start, s.raw_end))
    _insert_rows(conn, "sentences", rows, _SENTENCES_PER_INSERT)  # the FTS index follows by trigger
    return ids


def _insert_rows(conn: sqlite3.Connection, table: str, rows: list[tuple], per_statement: int) -> None:
    """Insert ``rows`` into ``table`` with INSERT statements of up to ``per_statement``
    rows each (fewer when SQLite allows fewer bound parameters)."""
    columns = _COLUMNS[table]
    per_statement = max(1, min(per_statement, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns)))
    one = f"({', '.join('?' * len(columns))})"
    head = f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) VALUES "
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        conn.execute(head + ", ".join([one] * len(chunk)), [value for row in chunk for value in row])


def _material_ids(conn: sqlite3.Connection, names: list[str]) -> dict[str, int]:
    """materials.id of each of ``names`` (distinct), adding the new ones in the order given."""
    conn.executemany(_ADD_MATERIAL, [(name,) for name in names])
    ids: dict[str, int] = {}
    for start in range(0, len(names), _MATERIALS_PER_SELECT):
        chunk = names[start:start + _MATERIALS_PER_SELECT]
        ids.update(conn.execute(f"SELECT name, id FROM materials WHERE name IN ({', '.join('?' * len(chunk))})",
                                chunk).fetchall())
    return ids


def _write_extraction(conn: sqlite3.Connection, rows: dict[str, list[tuple]],
                      uses: list[tuple[str, int, str, int]]) -> None:
    """Insert the collected rows, parents first. ``uses`` are (table, owner id, material
    name, position) rows of host_components and step_precursors whose material ids are
    looked up (and new materials added, in order of first use) here."""
    if uses:
        material_id = _material_ids(conn, list(dict.fromkeys(name for _, _, name, _ in uses)))
        for table, owner, name, position in uses:
            rows[table].append((owner, material_id[name], position))
        uses.clear()
    for table in _EXTRACTION_TABLES:
        if rows[table]:
            conn.executemany(_INSERT[table], rows[table])
            rows[table].clear()


def _save_extraction(conn: sqlite3.Connection, document_id: int, doc: str, ex: Extraction,
                     sentence_ids: dict[int, int], next_id: dict[str, int]) -> None:
    # Rows are collected, then written table by table. Hosts, synthesis routes and cell
    # tests count as written the moment they are collected, measurements and properties
    # once all of them are (as when each table was written as it came): when the
    # extraction turns out to be inconsistent, the rows collected so far are written
    # before InconsistentExtraction propagates, so that a constraint one of them breaks
    # is reported first (an IntegrityError), as it used to be. Either way the
    # transaction is rolled back.
    rows: dict[str, list[tuple]] = {table: [] for table in _EXTRACTION_TABLES}
    uses: list[tuple[str, int, str, int]] = []
    try:
        _collect_extraction(document_id, doc, ex, sentence_ids, next_id, rows, uses)
    except InconsistentExtraction:
        _write_extraction(conn, rows, uses)
        raise
    _write_extraction(conn, rows, uses)


def _collect_extraction(document_id: int, doc: str, ex: Extraction, sentence_ids: dict[int, int],
                        next_id: dict[str, int], rows: dict[str, list[tuple]],
                        uses: list[tuple[str, int, str, int]]) -> None:
    def sentence_id(index: int | None, what: str) -> int | None:
        if index is None:
            return None
        try:
            return sentence_ids[index]
        except KeyError:
            raise InconsistentExtraction(doc, f"{what} refers to sentence {index}, which the document does not have") from None

    # hosts, looked up by name, then alias, then white-space/case-insensitively
    host_ids: dict[str, int] = {}
    loose: dict[str, int] = {}
    hid = next_id["hosts"] - 1
    stored_names = _stored_names(ex.hosts)
    from .controls import canonical_control
    canonical_names = {h.name for h in ex.hosts if h.kind == "control" and canonical_control(h.name) == h.name}
    for host in ex.hosts:
        if host.name in host_ids:
            raise InconsistentExtraction(doc, f"host {host.name!r} is listed twice")
        sid = sentence_id(host.sentence, f"host {host.name!r}")
        hid += 1
        stored = stored_names[host.name]
        rows["hosts"].append((hid, document_id, stored, host.kind,
                              None if host.has_figures is None else int(bool(host.has_figures)),
                              sid, host.evidence))
        host_ids[host.name] = hid
        loose.setdefault(_key(host.name), hid)
        # a control stored under its canonical name keeps the paper's name as first alias; one
        # the paper already names canonically keeps that name first too, so that the first
        # alias is always the paper's own name (controls.paper_name)
        first = [host.name] if stored != host.name or host.name in canonical_names else []
        aliases = first + [a for a in _unique(list(host.aliases)) if a != stored and a not in first]
        rows["host_aliases"].extend((hid, a) for a in aliases)
        for alias in aliases:
            loose.setdefault(_key(alias), hid)
        uses.extend(("host_components", hid, name, i) for i, name in enumerate(_unique(host.components)))
    for host in ex.hosts:  # aliases resolve after every name is known
        for alias in host.aliases:
            host_ids.setdefault(alias, host_ids[host.name])

    def host_id(name: str, what: str) -> int:
        hid = host_ids.get(name) or loose.get(_key(name))
        if hid is None:
            known = ", ".join(repr(h.name) for h in ex.hosts) or "none"
            raise InconsistentExtraction(doc, f"{what} names host {name!r}, which is not among the hosts ({known})")
        return hid

    # synthesis
    rid, stid = next_id["synthesis_routes"] - 1, next_id["synthesis_steps"] - 1
    for route in ex.synthesis:
        route_host = host_id(route.host, "a synthesis route")
        rid += 1
        rows["synthesis_routes"].append((rid, document_id, route_host, route.evidence))
        for step in route.steps:
            sid = sentence_id(step.sentence, f"synthesis step {step.order} of {route.host!r}")
            stid += 1
            rows["synthesis_steps"].append((stid, rid, step.order, step.method, step.conditions,
                                            step.temperature_c, step.duration_h, step.atmosphere, sid,
                                            step.evidence))
            uses.extend(("step_precursors", stid, name, i) for i, name in enumerate(_unique(step.precursors)))

    # measurements, with their conditions de-duplicated into cell_tests
    known_metrics = vocabulary().metrics
    cell_tests: dict[CellTest, int] = {}
    next_cell_test = next_id["cell_tests"]
    measurements = []
    for m in ex.measurements:
        if m.metric not in known_metrics:
            raise InconsistentExtraction(doc, f"measurement {m.raw!r} has unknown metric {m.metric!r}")
        c = m.conditions or CellTest()
        if c not in cell_tests:
            cell_tests[c] = next_cell_test
            rows["cell_tests"].append((next_cell_test, document_id, c.cell_type, c.current_density,
                                       c.areal_capacity, c.c_rate, c.cycles, c.cathode, c.electrolyte,
                                       c.temperature))
            next_cell_test += 1
        mhost = host_id(m.host, f"measurement {m.raw!r}")
        measurements.append((document_id, mhost, cell_tests[c], m.metric, m.value, m.unit, m.qualifier,
                             m.raw, sentence_id(m.sentence, f"measurement {m.raw!r}"), m.start, m.end,
                             m.evidence))
    rows["measurements"] = measurements

    rows["properties"] = [(
        document_id, p.material, p.property, p.value, p.unit, p.qualifier, p.note, p.raw,
        sentence_id(p.sentence, f"property {p.property} of {p.material!r}"), p.evidence,
    ) for p in ex.properties]


def record_error(db: sqlite_utils.Database, path: str | Path, reason: str, detail: str,
                 sha256: str | None = None) -> None:
    """Record that ``path`` could not be built. Replaces earlier errors of the same name
    (the table holds the latest attempt); a stored good version of the document stays."""
    name = Path(path).name
    with db.atomic():
        db.execute("DELETE FROM ingest_errors WHERE name = ? AND path = ?", [name, str(path)])
        db["ingest_errors"].insert({
            "path": str(path), "name": name, "reason": reason, "detail": detail,
            "sha256": sha256, "at": _now(),
        })


def remove_documents(db: sqlite_utils.Database, names: Iterable[str]) -> int:
    """Delete documents (and everything extracted from them) by name; return how many
    were deleted. Materials no longer used by any document are deleted too."""
    names = list(names)
    deleted = 0
    with db.atomic():
        for name in names:
            deleted += db.execute("DELETE FROM documents WHERE name = ?", [name]).rowcount
            db.execute("DELETE FROM ingest_errors WHERE name = ?", [name])
        _drop_orphan_materials(db)
    return deleted


def _drop_orphan_materials(db: sqlite_utils.Database) -> None:
    db.execute(
        "DELETE FROM materials WHERE id NOT IN (SELECT material_id FROM host_components) "
        "AND id NOT IN (SELECT material_id FROM step_precursors)"
    )
