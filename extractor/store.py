"""Storage: the SQLite database behind hostkb, written with sqlite-utils.

Load, then save: parsing never touches the database, and this module never parses.
``save_document(db, seg, extraction)`` writes everything known about one document in
one transaction, replacing any previous version of the same document name; a failure
part-way leaves the database as it was.

The schema is ``schema/schema.sql``; ``open_db`` applies it (idempotently) and refuses
databases that are not hostkb's.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from . import __version__
from .errors import DatabaseError, HostkbError, InconsistentExtraction
from .types import CellTest, Extraction, SegmentedDocument
from .vocab import schema_dir, vocabulary

SCHEMA_VERSION = "1"
APPLICATION = "hostkb"

__all__ = [
    "SCHEMA_VERSION",
    "InconsistentExtraction",
    "open_db",
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


def _schema_fingerprint(sql: str) -> str:
    vocab_bytes = (schema_dir() / "vocab.toml").read_bytes()
    return hashlib.sha256(sql.encode("utf-8") + b"\0" + vocab_bytes).hexdigest()


def _user_tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows if not name.startswith("sqlite_")}


def open_db(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open (or create) a hostkb database.

    Creates the schema if the file is new or empty, turns on WAL mode and foreign keys,
    and raises ``DatabaseError`` for a file that is not a SQLite database, a SQLite
    database that is not hostkb's, one of another schema version, or (with
    ``create=False``) a database that does not exist yet. ``path`` may be ``":memory:"``.
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
    fingerprint = _schema_fingerprint(sql)
    if "meta" in _user_tables(conn):
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_fingerprint'").fetchone()
        if row and row[0] == fingerprint:
            return
    vocab = vocabulary()
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Views are cheap and may have changed: drop them and let the script recreate them.
        for (view,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall():
            conn.execute(f"DROP VIEW IF EXISTS [{view}]")
        for statement in _split_sql(sql):
            conn.execute(statement)
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


def save_document(db: sqlite_utils.Database, seg: SegmentedDocument, extraction: Extraction) -> int:
    """Store one document and everything extracted from it; return its documents.id.

    Runs in one transaction: any previous version of the document (same name) is
    deleted first (its rows cascade), the previous ingest errors of that name are
    cleared, and nothing is left behind if anything fails (the old version then stays).
    Raises ``InconsistentExtraction`` when the extraction refers to an unknown host
    or sentence.
    """
    raw = seg.raw
    with db.atomic():
        db.execute("DELETE FROM documents WHERE name = ?", [raw.name])  # takes the write lock
        db.execute("DELETE FROM ingest_errors WHERE name = ?", [raw.name])
        meta = seg.meta
        document_id = db["documents"].insert({
            "name": raw.name,
            "path": raw.path,
            "format": raw.format,
            "sha256": raw.sha256,
            "title": meta.title,
            "doi": meta.doi,
            "year": meta.year,
            "journal": meta.journal,
            "authors": json.dumps(list(meta.authors), ensure_ascii=False) if meta.authors else None,
            "page_count": raw.page_count,
            "n_passages": len(seg.passages),
            "n_sentences": len(seg.sentences),
            "dropped": json.dumps(list(seg.dropped)) if seg.dropped else None,
            "built_at": _now(),
            "hostkb_version": __version__,
        }).last_pk
        sentence_ids = _save_text(db, document_id, seg)
        _save_extraction(db, document_id, raw.name, extraction, sentence_ids)
        _drop_orphan_materials(db)  # of the replaced version
    return document_id


def _next_id(db: sqlite_utils.Database, table: str) -> int:
    return db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM [{table}]").fetchone()[0]


def _save_text(db: sqlite_utils.Database, document_id: int, seg: SegmentedDocument) -> dict[int, int]:
    """Insert passages and sentences; return Sentence.index -> sentences.id."""
    first_passage = _next_id(db, "passages")
    passage_id = {}
    rows = []
    for i, p in enumerate(seg.passages):
        if p.index in passage_id:
            raise InconsistentExtraction(seg.raw.name, f"two passages have index {p.index}")
        passage_id[p.index] = first_passage + i
        rows.append({
            "id": first_passage + i, "document_id": document_id, "idx": p.index,
            "section": p.section, "role": p.role, "page": p.page, "heading": p.heading,
            "text": p.text, "raw_start": p.raw_start, "raw_end": p.raw_end,
        })
    db["passages"].insert_all(rows)
    first_sentence = _next_id(db, "sentences")
    rows, ids = [], {}
    for i, s in enumerate(seg.sentences):
        try:
            pid = passage_id[s.passage]
        except KeyError:
            raise InconsistentExtraction(seg.raw.name, f"sentence {s.index} refers to unknown passage {s.passage}") from None
        if s.index in ids:
            raise InconsistentExtraction(seg.raw.name, f"two sentences have index {s.index}")
        ids[s.index] = first_sentence + i
        rows.append({
            "id": first_sentence + i, "document_id": document_id, "passage_id": pid, "idx": s.index,
            "section": s.section, "role": s.role, "page": s.page, "text": s.text,
            "evidence": s.evidence, "raw_start": s.raw_start, "raw_end": s.raw_end,
        })
    db["sentences"].insert_all(rows)
    return ids


def _material_ids(db: sqlite_utils.Database, names: Iterable[str], cache: dict[str, int]) -> list[int]:
    out = []
    for name in names:
        if name not in cache:
            cache[name] = db["materials"].lookup({"name": name})
        out.append(cache[name])
    return out


def _save_extraction(db: sqlite_utils.Database, document_id: int, doc: str, ex: Extraction,
                     sentence_ids: dict[int, int]) -> None:
    materials: dict[str, int] = {}

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
    for host in ex.hosts:
        if host.name in host_ids:
            raise InconsistentExtraction(doc, f"host {host.name!r} is listed twice")
        hid = db["hosts"].insert({
            "document_id": document_id, "name": host.name, "kind": host.kind,
            "has_figures": None if host.has_figures is None else int(bool(host.has_figures)),
            "sentence_id": sentence_id(host.sentence, f"host {host.name!r}"), "evidence": host.evidence,
        }).last_pk
        host_ids[host.name] = hid
        loose.setdefault(_key(host.name), hid)
        aliases = [a for a in _unique(host.aliases) if a != host.name]
        db["host_aliases"].insert_all([{"host_id": hid, "alias": a} for a in aliases])
        for alias in aliases:
            loose.setdefault(_key(alias), hid)
        components = _unique(host.components)
        db["host_components"].insert_all(
            [{"host_id": hid, "material_id": mid, "position": i}
             for i, mid in enumerate(_material_ids(db, components, materials))])
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
    for route in ex.synthesis:
        rid = db["synthesis_routes"].insert({
            "document_id": document_id, "host_id": host_id(route.host, "a synthesis route"),
            "evidence": route.evidence,
        }).last_pk
        for step in route.steps:
            sid = db["synthesis_steps"].insert({
                "route_id": rid, "step_order": step.order, "method": step.method,
                "conditions": step.conditions, "temperature_c": step.temperature_c,
                "duration_h": step.duration_h, "atmosphere": step.atmosphere,
                "sentence_id": sentence_id(step.sentence, f"synthesis step {step.order} of {route.host!r}"),
                "evidence": step.evidence,
            }).last_pk
            db["step_precursors"].insert_all(
                [{"step_id": sid, "material_id": mid, "position": i}
                 for i, mid in enumerate(_material_ids(db, _unique(step.precursors), materials))])

    # measurements, with their conditions de-duplicated into cell_tests
    known_metrics = set(vocabulary().metrics)
    cell_tests: dict[CellTest, int] = {}
    rows = []
    for m in ex.measurements:
        if m.metric not in known_metrics:
            raise InconsistentExtraction(doc, f"measurement {m.raw!r} has unknown metric {m.metric!r}")
        c = m.conditions or CellTest()
        if c not in cell_tests:
            cell_tests[c] = db["cell_tests"].insert({
                "document_id": document_id, "cell_type": c.cell_type,
                "current_density_ma_cm2": c.current_density, "areal_capacity_mah_cm2": c.areal_capacity,
                "c_rate": c.c_rate, "cycles": c.cycles, "cathode": c.cathode,
                "electrolyte": c.electrolyte, "temperature_c": c.temperature,
            }).last_pk
        rows.append({
            "document_id": document_id, "host_id": host_id(m.host, f"measurement {m.raw!r}"),
            "cell_test_id": cell_tests[c], "metric": m.metric, "value": m.value, "unit": m.unit,
            "qualifier": m.qualifier, "raw": m.raw,
            "sentence_id": sentence_id(m.sentence, f"measurement {m.raw!r}"),
            "span_start": m.start, "span_end": m.end, "evidence": m.evidence,
        })
    db["measurements"].insert_all(rows)

    db["properties"].insert_all([{
        "document_id": document_id, "material": p.material, "property": p.property,
        "value": p.value, "unit": p.unit, "qualifier": p.qualifier, "note": p.note, "raw": p.raw,
        "sentence_id": sentence_id(p.sentence, f"property {p.property} of {p.material!r}"),
        "evidence": p.evidence,
    } for p in ex.properties])


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
