"""Datasette plugin of the hostkb catalog (loaded from this plugins directory).

* ``render_cell``: in query results and views, where Datasette draws no foreign-key
  links, ``sentence_id`` / ``document_id`` / ``host_id`` / ``measurement_id`` (also
  with an ``_a``/``_b`` suffix, as in compare_hosts) become links to their row pages,
  and ``evidence``, ``document`` and ``host`` cells link to the sentence, paper and host
  of the same row. In every table, an ``evidence`` cell links to its sentence.
* ``asgi_wrapper``: the catalog is read-only at its door: any request other than GET,
  HEAD or OPTIONS is answered 405 before Datasette sees it (behind that, the database
  is opened read-only and Datasette runs only SELECTs).
* ``prepare_connection``: every connection Datasette opens gets the page cache and
  memory-mapped reads of ``extractor.store.tune_for_reading`` (the ranking at scale),
  the SQL function ``hostkb_fts_query`` (``extractor.search``) that search_evidence uses
  and the bounds of ``extractor.catalog_guard`` (SQLite limits, bounded functions).
* ``asgi_wrapper`` also reads the description's counts again when a build has changed
  the database file since they were read (``extractor.serve.file_version``).
* ``register_routes``: ``/<db>.db`` downloads a consistent copy of the database
  (``extractor.serve.snapshot``), also while a build writes it.
* ``extra_template_vars``: the sentence page (row page of ``sentences``) gets
  ``hostkb_context``: the previous and next sentences of the same passage, the
  paper, and the figures the sentence states (rendered by templates/row.html).
"""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import tempfile
from pathlib import Path

from datasette import hookimpl
from datasette.utils import urlsafe_components
from datasette.utils.asgi import AsgiFileDownload, Response
from markupsafe import Markup

from urllib.parse import urlencode

from extractor.catalog_guard import guard
from extractor.papers import doi_url, paper_label
from extractor.search import register_sql_functions
from extractor.serve import COUNTS_SQL, describe, file_version, snapshot
from extractor.store import tune_for_reading

_ID_COLUMNS = {"sentence_id": "sentences", "document_id": "documents", "host_id": "hosts",
               "measurement_id": "measurements"}
# column (without suffix) -> the id column of the same row whose page it links to
_LINKED_BY = {"evidence": "sentence_id", "document": "document_id", "host": "host_id", "match": "sentence_id"}
_SUFFIX = re.compile(r"^(?P<base>.+?)(?P<suffix>_[ab])?$")
_VIEWS = {"figures", "host_designs", "synthesis"}


def _link(datasette, database, table, pk, text):
    href = datasette.urls.row(database, table, str(pk))
    return Markup('<a href="{}">{}</a>').format(href, text)


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http" and scope["method"] not in READ_METHODS:
                await send({"type": "http.response.start", "status": 405,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"allow", b"GET, HEAD, OPTIONS")]})
                await send({"type": "http.response.body",
                            "body": f"405: this hostkb catalog is read-only; {scope['method']} is not allowed\n"
                                    .encode()})
                return
            if scope["type"] == "http":
                await _refresh_description(datasette)
            await app(scope, receive, send)

        return read_only

    return wrap


async def _refresh_description(datasette):
    """The catalog's description states counts (papers, hosts, figures, sentences): when
    a build has changed the database since they were read, read them again, so the front
    page never states what the database no longer holds."""
    versions = datasette.__dict__.setdefault("_hostkb_versions", {})
    for name, db in list(datasette.databases.items()):
        if not db.path or db.is_memory or name.startswith("_"):
            continue
        version = file_version(db.path)
        if versions.get(name) == version:
            continue
        try:
            counts = dict((await db.execute(COUNTS_SQL)).first())
        except Exception:  # noqa: BLE001 - not a hostkb database, or busy: the old text stays, retried next time
            continue
        versions[name] = version
        html = describe(name, counts)
        local = datasette._metadata_local
        if "description_html" in local:
            local["description_html"] = html
        database = local.get("databases", {}).get(name)
        if database is not None and "description_html" in database:
            database["description_html"] = html


@hookimpl
def prepare_connection(conn):
    tune_for_reading(conn)
    register_sql_functions(conn)  # hostkb_fts_query: search_evidence escapes what is typed
    guard(conn)


class _TemporaryDownload(AsgiFileDownload):
    """A file download whose file is deleted once sent (or once the client went away)."""

    async def asgi_send(self, send):
        try:
            await super().asgi_send(send)
        finally:
            Path(self.filepath).unlink(missing_ok=True)


async def _download(request, datasette):
    name = request.url_vars["database"]
    try:
        db = datasette.get_database(route=name)
    except KeyError:
        return Response.text(f"404: no database {name!r}", status=404)
    if not db.path or db.is_memory:
        return Response.text(f"404: no database file for {name!r}", status=404)
    fd, target = tempfile.mkstemp(prefix="hostkb-download-", suffix=".db")
    os.close(fd)
    try:
        await asyncio.get_running_loop().run_in_executor(None, snapshot, db.path, target)
    except BaseException:
        Path(target).unlink(missing_ok=True)
        raise
    return _TemporaryDownload(target, filename=f"{name}.db", content_type="application/octet-stream")


@hookimpl
def register_routes():
    # before Datasette's own /<db>.db, which refuses to download a database that may change
    return [(r"^/(?P<database>[^/.]+)\.db$", _download)]


_SIGN = {"approx": "≈", "gt": ">", "lt": "<", "up_to": "up to "}
# tables and views whose host names are shown in a column called host (hosts: name)
_HOST_NAME = {"hosts": "name"}


def _profile_link(datasette, database, name):
    href = datasette.urls.database(database) + "/host_profile?" + urlencode({"host": name})
    return Markup('<a class="hostkb-profile" href="{}" title="profile of {}">{}</a>').format(href, name, name)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if value is None or value == "" or isinstance(value, dict):  # dict: a foreign key Datasette links itself
        return None
    m = _SUFFIX.match(column)
    base, suffix = m.group("base"), m.group("suffix") or ""
    if base not in _ID_COLUMNS and base not in _LINKED_BY and base not in ("value", "doi"):
        base, suffix = column, ""
    try:
        keys = set(row.keys())
    except AttributeError:
        return None
    # a value keeps its qualifier: >1600 h, ≈14 mV
    if base == "value" and "qualifier" + suffix in keys and isinstance(value, (int, float)):
        sign = _SIGN.get(row["qualifier" + suffix])
        if sign:
            return Markup('<span class="hostkb-qualified">{}{}</span>').format(sign, f"{value:g}")
        return f"{value:g}"
    if base == "doi" and isinstance(value, str):
        return Markup('<a class="hostkb-doi" href="{}">{}</a>').format(doi_url(value), value)
    # a host's name leads to its profile
    if (base == "host" or column == _HOST_NAME.get(table)) and isinstance(value, str):
        return _profile_link(datasette, database, value)
    in_query_or_view = table is None or table in _VIEWS
    # ids link to their rows (tables: on row pages, where Datasette does not link them)
    if base in _ID_COLUMNS and isinstance(value, int) and (in_query_or_view or column != "id"):
        return _link(datasette, database, _ID_COLUMNS[base], value, value)
    id_column = _LINKED_BY.get(base)
    if id_column and id_column + suffix in keys and (in_query_or_view or base == "evidence"):
        pk = row[id_column + suffix]
        if isinstance(pk, int):
            if base == "document":
                return _paper_link(datasette, database, pk, value, row, keys)
            return _link(datasette, database, _ID_COLUMNS[id_column], pk, value)
    return None


def _paper_link(datasette, database, pk, name, row, keys):
    """A paper named as a reader cites it (first author et al., year, journal), its file
    name in the tooltip; the details come from the row or, lacking there, from documents."""
    href = datasette.urls.row(database, "documents", str(pk))

    def render(label):
        return Markup('<a class="hostkb-paper" href="{}" title="{}">{}</a>').format(href, name, label)

    if "authors" in keys:
        return render(paper_label(row["authors"], row["year"] if "year" in keys else None,
                                  row["journal"] if "journal" in keys else None, name))

    async def lookup():
        found = (await datasette.get_database(database).execute(
            "SELECT authors, year, journal FROM documents WHERE id = :id", {"id": pk})).first()
        if found is None:
            return render(name)
        return render(paper_label(found["authors"], found["year"], found["journal"], name))

    return lookup


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters["paper_label"] = lambda row: paper_label(
        row["authors"] if "authors" in row.keys() else None, row["year"] if "year" in row.keys() else None,
        row["journal"] if "journal" in row.keys() else None, row["document"] if "document" in row.keys() else None)
    env.filters["qualifier_sign"] = lambda q: _SIGN.get(q, "")
    env.filters["doi_url"] = doi_url


# Internal views: what the ranking is computed from. Not listed, not browsable (the
# queries that use them still run); tables of the same kind are "hidden" in the metadata.
INTERNAL_VIEWS = frozenset({"ranking_base", "rank_figures_source"})


@hookimpl
def permission_allowed(datasette, actor, action, resource):
    if action == "view-table" and isinstance(resource, tuple) and resource[1] in INTERNAL_VIEWS:
        return False
    return None


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name != "row" or table != "sentences" or request is None:
        return {}

    async def context():
        pks = urlsafe_components(request.url_vars["pks"])
        if len(pks) != 1:
            return {}
        db = datasette.get_database(database)
        row = (await db.execute(
            "SELECT s.id, s.passage_id, s.idx, s.page, s.section, s.evidence, s.document_id, "
            "d.name AS document, d.title, d.doi, p.heading, p.role AS passage_role "
            "FROM sentences s JOIN documents d ON d.id = s.document_id "
            "JOIN passages p ON p.id = s.passage_id WHERE s.id = :id", {"id": pks[0]})).first()
        if row is None:
            return {}
        neighbours = (await db.execute(
            "SELECT id, idx, evidence FROM sentences WHERE passage_id = :p AND idx IN (:i - 1, :i + 1) "
            "ORDER BY idx", {"p": row["passage_id"], "i": row["idx"]})).rows
        previous = next((dict(n) for n in neighbours if n["idx"] < row["idx"]), None)
        following = next((dict(n) for n in neighbours if n["idx"] > row["idx"]), None)
        figures = [dict(r) for r in (await db.execute(
            "SELECT measurement_id, host, host_id, metric, value, unit, qualifier, raw, cell_type, "
            "current_density_ma_cm2, areal_capacity_mah_cm2, cathode FROM figures "
            "WHERE sentence_id = :id ORDER BY measurement_id", {"id": row["id"]})).rows]

        def link(table_name, pk):
            return datasette.urls.row(database, table_name, str(pk))

        for f in figures:
            f["url"] = link("measurements", f["measurement_id"])
            f["host_url"] = link("hosts", f["host_id"])
        for n in (previous, following):
            if n:
                n["url"] = link("sentences", n["id"])
        return {"hostkb_context": {
            "sentence": dict(row), "previous": previous, "next": following, "figures": figures,
            "document_url": link("documents", row["document_id"]),
            "passage_url": link("passages", row["passage_id"]),
        }}

    return context


@hookimpl(specname="extra_template_vars")
def metric_directions(template, database, view_name, request, datasette):
    """Query pages get ``hostkb_metrics`` (metric -> {label, unit, better}) for the charts,
    ``hostkb_choices`` (parameter -> [(value, label)] of schema/vocab.toml, drawn as select
    boxes) and ``hostkb_problems`` (what is wrong with the values given, shown instead of
    an empty table)."""
    if template != "query.html" or not database:
        return {}
    from extractor.serve import form_choices, form_problems

    args = {key: request.args.get(key) for key in request.args.keys()} if request is not None else {}
    extra = {"hostkb_choices": form_choices(),
             "hostkb_problems": form_problems(args) if any(v for v in args.values()) else []}

    async def metrics():
        db = datasette.get_database(database)
        try:
            rows = (await db.execute("SELECT name, label, unit, better FROM metrics")).rows
        except sqlite3.Error:  # not a hostkb database (no metrics table): nothing to add
            return extra
        return {**extra, "hostkb_metrics": {r["name"]: dict(r) for r in rows}}

    return metrics
