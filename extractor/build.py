"""Build: turn files and folders of papers into the database.

For each file: decide whether the database already holds that exact content; if not,
load -> segment -> extract -> ``store.save_document`` (one transaction per document).
A file that cannot be built gets one line on stderr (``hostkb: NAME: reason: detail``)
and a row in ``ingest_errors``; the others go on.

Skipping unchanged files. The file's sha256 is the document's identity: a file is
skipped when the stored document of that name has the same hash. To spare reading
every byte of a large corpus on each build, the table ``build_files`` remembers
(path, size, mtime_ns, sha256) of every file built; a file whose path, size and
mtime are unchanged, and whose stored document still has that hash, is skipped
without hashing. Any difference (or a file modified less than ``RACY_SECONDS``
before it was recorded, whose mtime cannot be trusted: the "racy git" rule) falls
back to hashing, so a change is never missed unless a file is rewritten with the
same size *and* its mtime is restored; ``force=True`` rebuilds everything. A build
in which nothing changed writes nothing to the database.

Memory stays bounded whatever the corpus size: folders are walked lazily (one
directory listing at a time, sorted, so the order is that of ``sorted(rglob)``),
files are hashed and handed to the workers as they are found, and at most
``2 * workers`` documents are in flight. What grows with the corpus is one path and
one file name per file (to refuse duplicate names) and nothing else.

Every document is committed on its own (WAL mode), so a build killed at any point
leaves a consistent database, and the next build resumes: finished documents are
skipped by their hash.

With ``workers > 1`` a process pool does load+segment+extract; with
``scheduler="tcp://HOST:PORT"`` a Dask distributed cluster does (``extractor.distributed``).
Either way the calling process is the only writer.

After a build that changed the database, the knowledge graph tables are brought up to
date (``extractor.graph.refresh_graph``: the subgraphs of the replaced and new documents
are drawn, those of removed ones went with them); the SQL views need nothing, they are
always current.

Test hook: the environment variable ``HOSTKB_TEST_DELAY`` (seconds, float) makes the
parent sleep before saving each document, so tests can kill a build mid-way.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import sqlite3
import sys
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from tqdm import tqdm

from .deadline import TimeUp, deadline
from .errors import BuildBusy, DatabaseError, HostkbError, InconsistentExtraction, LoadError, printable
from .types import Extraction, SegmentedDocument
from .vocab import SCHEMA_VERSION, schema_fingerprint

__all__ = ["SUFFIXES", "DEFAULT_MAX_BYTES", "DEFAULT_MAX_CHARS", "DEFAULT_TIME_LIMIT", "BuildSummary", "build", "discover", "iter_discover"]

SUFFIXES = (".pdf", ".txt", ".md", ".xml")
DEFAULT_MAX_BYTES = 200 * 1024 * 1024  # larger files are refused before reading (too_large)
DELAY_ENV = "HOSTKB_TEST_DELAY"
RACY_SECONDS = 2.0  # a file modified this close to when it was recorded is always hashed
DEFAULT_TIME_LIMIT = 600.0  # seconds one document may take (load + segment + extract)
# Characters of text one document may have: its analysis takes about 120 bytes of memory
# per character (a 4 M-character text peaks near 600 MB), so this bounds a document's
# memory near 700 MB; a longer text fails alone with too_large (a 2,000-page book is
# about 6 M characters, a paper 50 000 to 200 000).
DEFAULT_MAX_CHARS = 5_000_000
_PLAIN_TEXT = (".txt", ".md")  # a file of these holds at least size / 4 characters
MAX_TIME_LIMIT = 1e6  # seconds; more is refused (the alarm timer cannot hold 1e300 s)
WORKER_MEMORY_BYTES = 400 * 1024 * 1024  # budgeted per worker process (its pipeline and one document)


@dataclass(frozen=True)
class BuildSummary:
    documents_seen: int
    built: int
    skipped_unchanged: int
    failed: int
    pages: int  # of the documents built in this run
    sentences: int
    measurements: int
    seconds: float
    errors: tuple[tuple[str, str, str], ...] = ()  # (name, reason, detail)
    removed: int = 0  # documents pruned because their file is gone
    hashed: int = 0  # files whose bytes were read to decide (the others matched by size and mtime)
    graph_refreshed: bool = False

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def format(self) -> str:
        """The one-line summary printed at the end of a build."""
        parts = [f"{self.documents_seen} document{'s' if self.documents_seen != 1 else ''}",
                 f"{self.built} built", f"{self.skipped_unchanged} unchanged",
                 f"{self.failed} failed"]
        if self.removed:
            parts.append(f"{self.removed} removed")
        return (f"hostkb: {', '.join(parts)}; {self.pages} pages, {self.sentences} sentences, "
                f"{self.measurements} measurements; {len(self.errors)} error{'s' if len(self.errors) != 1 else ''}; "
                f"{self.seconds:.1f} s")


@dataclass(frozen=True)
class _Item:
    path: Path
    name: str
    sha256: str | None = None
    stat: tuple[int, int] | None = None  # (size, mtime_ns) when the file was hashed
    stored: str | None = None  # the path recorded in the database (``_Roots.stored``)


class _Roots:
    """How a build records paths: relative to the folders and files named to it (the
    build roots), so a database does not publish the layout of the machine that built
    it. A file found under a named folder ``~/papers`` is recorded as
    ``papers/sub/x.pdf`` (the folder's own name, then the path below it); a file named
    directly by its name. With ``absolute=True`` paths are recorded absolute, resolved."""

    def __init__(self, paths: list, absolute: bool = False):
        self.absolute = absolute
        self.folders: list[tuple[Path, str]] = []  # (folder as named, its label)
        self.files: list[Path] = []
        for raw in paths:
            p = Path(raw)
            if p.is_dir():
                self.folders.append((p, p.resolve().name))
            else:
                self.files.append(p)

    def stored(self, path: Path, resolved: Path | None = None) -> str:
        """The path to record for ``path`` (as found under the roots)."""
        if self.absolute:
            return str(resolved or path.resolve())
        for folder, label in self.folders:
            if path == folder or path.is_relative_to(folder):
                rest = path.relative_to(folder).as_posix()
                return label if rest == "." else (f"{label}/{rest}" if label else rest)
        return path.name

    def gone(self, stored: str) -> bool:
        """True when the file recorded as ``stored`` is known to be gone: an absolute
        path that does not exist, or a relative one under a root of this build that
        does not exist there. A path under no root of this build is not known to be gone."""
        p = Path(stored)
        if p.is_absolute():
            return not p.exists()
        head, _, rest = stored.partition("/")
        candidates = [folder / rest for folder, label in self.folders if rest and head == label]
        candidates += [f for f in self.files if f.name == stored]
        return bool(candidates) and not any(c.exists() for c in candidates)


# ---------------------------------------------------------------- finding files


def iter_discover(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str | None, str | None]]:
    """Expand ``paths`` lazily: yield ``(file, None, None)`` for each file to build and
    ``(path, reason, detail)`` for each problem, in order.

    Directories are walked recursively (one listing in memory at a time, sorted by
    name, symlinked folders followed unless they loop) for the suffixes in ``SUFFIXES``,
    hidden files and folders skipped; files named explicitly are taken whatever their
    suffix (the loader decides). A file reached twice is yielded once. Every path skipped
    for a fault is a problem: ``unreadable_folder``, ``dangling_symlink``,
    ``symlink_loop``, ``not_a_file``.
    """
    for path, _, reason, detail in _found(paths):
        yield path, reason, detail


def _found(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Path | None, str | None, str | None]]:
    """``iter_discover`` with each file's absolute, resolved path (its identity; None
    for problems) as the second item, resolved once per folder and per symlink."""
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = False
            for f, key, reason, detail in _walk(p, p.resolve(), frozenset()):
                if reason is not None:
                    found = True
                    yield f, None, reason, detail
                    continue
                found = True
                if key not in seen:
                    seen.add(key)
                    yield f, key, None, None
            if not found:
                yield p, None, "no_documents", f"no {'/'.join(SUFFIXES)} files in this folder"
        elif p.is_file():
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                yield p, key, None, None
        elif p.is_symlink():
            yield (p, None) + _bad_link(p)
        elif p.exists():
            yield p, None, "not_a_file", "neither a regular file nor a folder"
        else:
            yield p, None, "not_found", "no such file or folder"


def _bad_link(path: Path) -> tuple[str, str]:
    """(reason, detail) of a symbolic link that leads to no file or folder."""
    try:
        path.resolve(strict=True)
    except FileNotFoundError:
        return "dangling_symlink", f"a symbolic link to {os.readlink(path)}, which does not exist"
    except (RuntimeError, OSError) as exc:  # RuntimeError: Python 3.11's "Symlink loop"
        if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == 40:  # ELOOP
            return "symlink_loop", "a symbolic link that leads back to itself"
        return "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}"
    return "not_a_file", "a symbolic link to neither a regular file nor a folder"


def _walk(folder: Path, resolved: Path, ancestors: frozenset[Path]
          ) -> Iterator[tuple[Path, Path | None, str | None, str | None]]:
    """(file, resolved file, None, None) under ``folder`` (whose resolved path is
    ``resolved``) with a known suffix, in the order of ``sorted(folder.rglob("*"))``, and
    (path, None, reason, detail) for every path that is skipped for a fault: a folder that
    cannot be listed, a symbolic link that dangles or loops, a document-named entry that
    is not a file. Symlinked folders are followed unless they lead back to a folder
    being walked (``ancestors``: a loop)."""
    try:
        with os.scandir(folder) as it:
            entries = sorted((e.name, e.is_dir(follow_symlinks=False), e.is_symlink())
                             for e in it if not e.name.startswith("."))
    except OSError as exc:
        yield folder, None, "unreadable_folder", f"cannot list this folder: {exc.strerror or exc}"
        return
    ancestors = ancestors | {resolved}
    for name, is_dir, is_link in entries:
        path = folder / name
        if is_dir:
            yield from _walk(path, resolved / name, ancestors)
        elif is_link:
            try:
                target = path.resolve(strict=True)
            except (RuntimeError, OSError):
                yield (path, None) + _bad_link(path)
                continue
            if target.is_dir():
                if target in ancestors:
                    yield path, None, "symlink_loop", f"a symbolic link to {target}, a folder that contains it"
                else:
                    yield from _walk(path, target, ancestors)
            elif path.suffix.lower() in SUFFIXES:
                if target.is_file():
                    yield path, target, None, None
                else:
                    yield path, None, "not_a_file", "a symbolic link to neither a regular file nor a folder"
        elif path.suffix.lower() in SUFFIXES:
            if path.is_file():
                yield path, resolved / name, None, None
            else:
                yield path, None, "not_a_file", "neither a regular file nor a folder"


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[Path, str, str]]]:
    """``iter_discover`` as two lists: ``(files, problems)`` with problems as
    (path, reason, detail)."""
    files: list[Path] = []
    problems: list[tuple[Path, str, str]] = []
    for path, reason, detail in iter_discover(paths):
        if reason is None:
            files.append(path)
        else:
            problems.append((path, reason, detail))
    return files, problems


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------- what was built from which file

_FILES_TABLE = """CREATE TABLE IF NOT EXISTS build_files (
    name       TEXT PRIMARY KEY,   -- documents.name
    path       TEXT NOT NULL,      -- path it was built from, as documents.path
    size       INTEGER NOT NULL,   -- bytes
    mtime_ns   INTEGER NOT NULL,
    sha256     TEXT NOT NULL,      -- of the bytes at that size and mtime
    checked_ns INTEGER NOT NULL    -- when this row was written (time.time_ns())
)"""


def _has_files_table(db) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'build_files'").fetchone() is not None


def _recorded(db, name: str) -> tuple | None:
    """(path, size, mtime_ns, sha256, checked_ns) recorded for document ``name`` when
    the stored document still has that sha256; None otherwise."""
    return db.execute(
        "SELECT f.path, f.size, f.mtime_ns, f.sha256, f.checked_ns FROM build_files f "
        "JOIN documents d ON d.name = f.name AND d.sha256 = f.sha256 WHERE f.name = ?", [name]).fetchone()


def _trusted(row: tuple | None, path: str, size: int, mtime_ns: int) -> bool:
    """True when ``row`` says ``path`` was built at this size and mtime, and that mtime
    is older than the record by more than ``RACY_SECONDS`` (a file written in the same
    instant as it was recorded could change again without its mtime moving)."""
    if row is None:
        return False
    stored_path, stored_size, stored_mtime, _, checked_ns = row
    return (stored_path == path and stored_size == size and stored_mtime == mtime_ns
            and mtime_ns < checked_ns - RACY_SECONDS * 1e9)


def _remember(db, name: str, path: str, sha256: str, stat: tuple[int, int]) -> None:
    """Record the (size, mtime) at which ``path`` had ``sha256`` (one small write)."""
    with db.atomic():
        if not _has_files_table(db):
            db.execute(_FILES_TABLE)
        db.execute(
            "INSERT INTO build_files (name, path, size, mtime_ns, sha256, checked_ns) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET path = excluded.path, size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, checked_ns = excluded.checked_ns",
            [name, path, stat[0], stat[1], sha256, time.time_ns()])


# ---------------------------------------------------------------- the pipeline (runs in workers)


def _pipeline() -> tuple[Callable, Callable, Callable]:
    """load, segment and extract, imported late (the stages live in their own modules)."""
    from .load import load
    from .segment import segment

    try:
        from .relate import extract
    except ModuleNotFoundError as exc:
        if exc.name != "extractor.relate":
            raise
        # TEMPORARY until extractor/relate.py exists: store text only.
        def extract(seg: SegmentedDocument) -> Extraction:  # noqa: ARG001
            return Extraction()
    return load, segment, extract


def _one_line(text: str) -> str:
    """``text`` on one printable line: white space runs (line breaks too) become one
    space, other control characters are escaped (``errors.printable``)."""
    return printable(" ".join(str(text).split()))


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``TimeUp`` in this thread after ``seconds`` of wall time (SIGALRM), wherever
    the work is. Only where signals can be used: the main thread of a process on a POSIX
    system (the parent with one worker, and every process of the pool). Elsewhere (a Dask
    worker's task thread) the pipeline's own checks (``deadline.check``) stop it."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def time_up(signum, frame):  # noqa: ARG001
        raise TimeUp

    previous = signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _process(path: str, time_limit: float | None = None, max_chars: int | None = DEFAULT_MAX_CHARS) -> tuple:
    """Load, segment and extract one file, within ``time_limit`` seconds when given and
    with at most ``max_chars`` characters of text. Returns ("ok", seg, extraction) or
    ("error", reason, detail); never raises for a bad document."""
    try:
        load, segment, extract = _pipeline()  # imports outside the limit: they are paid once
        with _time_limit(time_limit), deadline(time_limit):
            raw = load(path)
            if max_chars and len(raw.text) > max_chars:
                return ("error", "too_large", _too_many_chars(len(raw.text), max_chars))
            seg = segment(raw)
            extraction = extract(seg)
        return ("ok", seg, extraction)
    except TimeUp:
        return ("error", "time_limit", f"not done within {time_limit:g} s (raise it with --time-limit)")
    except LoadError as exc:
        return ("error", exc.reason, _one_line(exc.detail))
    except HostkbError as exc:
        return ("error", type(exc).__name__, _one_line(str(exc)))
    except MemoryError:
        return ("error", "out_of_memory", "the document needs more memory than is available")
    except RecursionError as exc:
        return ("error", "internal_error", f"RecursionError: {_one_line(str(exc))}")
    except Exception as exc:  # a bug or an unforeseen input: reported with where it happened
        return ("error", "internal_error", f"{type(exc).__name__}: {_one_line(str(exc))}{_where(exc)}")


def _too_many_chars(n: int, max_chars: int, at_least: bool = False) -> str:
    return (f"{'at least ' if at_least else ''}{n:,} characters of text, more than the "
            f"{max_chars:,} one document may have (raise it with --max-chars)")


def _where(exc: BaseException) -> str:
    """`` (at module.py:LINE in function)`` of the innermost frame, to find the bug."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    return f" (at {Path(last.filename).name}:{last.lineno} in {last.name})"


# ---------------------------------------------------------------- build


class _Run:
    """The parent's side of a build: the only writer, keeper of the counts."""

    def __init__(self, db, bar, echo, roots: _Roots):
        self.db = db
        self.bar = bar
        self.echo = echo
        self.roots = roots
        self.seen = self.built = self.skipped = self.failed = self.hashed = 0
        self.pages = self.sentences = self.measurements = 0
        self.errors: list[tuple[str, str, str]] = []
        self.delay = float(os.environ.get(DELAY_ENV) or 0)
        self.graph_marked = False  # graph_pending recorded before the first document is saved

    def fail(self, path: Path, reason: str, detail: str, sha256: str | None = None,
             *, counted: bool = True) -> None:
        name = path.name
        detail = _one_line(detail)
        self.echo(f"hostkb: {printable(name)}: {reason}: {detail}")
        self.errors.append((name, reason, detail))
        if counted:
            self.failed += 1
        _store().record_error(self.db, self.roots.stored(path), reason, detail, sha256)

    def finish(self, item: _Item, result: tuple) -> None:
        try:
            if result[0] == "error":
                self.fail(item.path, result[1], result[2], item.sha256)
                return
            _, seg, extraction = result
            if item.sha256 and seg.raw.sha256 != item.sha256:
                # the file's hash is the document's identity for skipping unchanged files
                seg = replace(seg, raw=replace(seg.raw, sha256=item.sha256))
            if item.stored and seg.raw.path != item.stored:
                seg = replace(seg, raw=replace(seg.raw, path=item.stored))
            if self.delay:
                time.sleep(self.delay)
            try:
                store = _store()
                if not self.graph_marked:
                    _set_graph_pending(self.db, True)
                    self.graph_marked = True
                store.save_document(self.db, seg, extraction)
                if item.sha256 and item.stat:
                    _remember(self.db, item.name, item.stored or str(item.path), item.sha256, item.stat)
            except InconsistentExtraction as exc:
                self.fail(item.path, "inconsistent_extraction", exc.detail, item.sha256)
                return
            except sqlite3.IntegrityError as exc:
                self.fail(item.path, "store_rejected", str(exc), item.sha256)
                return
            except sqlite3.OperationalError as exc:  # locked, disk full, read-only: stop the build
                raise DatabaseError(f"cannot write {item.name} into the database: {exc}") from exc
            self.built += 1
            self.pages += seg.raw.page_count or 0
            self.sentences += len(seg.sentences)
            self.measurements += len(extraction.measurements)
        finally:
            self.bar.update(1)


def build(paths: Iterable[str | Path], db_path: str | Path, *, workers: int = 1, progress: bool = True,
          force: bool = False, prune: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
          echo: Callable[[str], None] | None = None, scheduler: str | None = None,
          graph: bool = True, time_limit: float | None = DEFAULT_TIME_LIMIT,
          absolute_paths: bool = False, max_chars: int | None = DEFAULT_MAX_CHARS) -> BuildSummary:
    """Build ``paths`` (files and folders) into the database at ``db_path``.

    ``force`` rebuilds unchanged documents; ``prune`` removes stored documents whose
    file no longer exists; ``max_bytes`` refuses larger files (``too_large``).
    ``workers`` processes extract in parallel; with ``scheduler`` (``tcp://HOST:PORT``
    of a Dask distributed scheduler) the cluster's workers do instead, and ``workers``
    is ignored (see ``extractor.distributed``). ``graph=False`` leaves the knowledge
    graph as it is (it is otherwise refreshed when the database changed).
    ``time_limit`` (seconds, None or 0 for none) fails a document that takes longer to
    load, segment and extract (``time_limit``) and goes on with the others.
    ``max_chars`` (None or 0 for none) fails a document with more characters of text
    (``too_large``), which bounds the memory one document takes.
    Paths are recorded relative to the folders and files named in ``paths`` (see
    ``_Roots``), absolute with ``absolute_paths``.
    Error lines go to ``echo`` (default: stderr, above the progress bar).
    Raises ``DatabaseError`` when the database cannot be opened or written.
    """
    started = time.perf_counter()
    if workers < 1:
        raise HostkbError(f"workers must be at least 1, not {workers}")
    if time_limit is not None and not (math.isfinite(time_limit) and 0 <= time_limit <= MAX_TIME_LIMIT):
        raise HostkbError(f"the time limit must be a number of seconds from 0 to {MAX_TIME_LIMIT:g}, "
                          f"not {time_limit!r}")
    paths = list(paths)  # the arguments, walked twice when there is a progress bar
    show = progress and sys.stderr.isatty()
    total = sum(1 for _, reason, _ in iter_discover(paths) if reason is None) if show else None
    bar = tqdm(total=total, desc="hostkb build", unit="doc", file=sys.stderr, disable=not show,
               dynamic_ncols=True)
    if echo is None:
        def echo(line: str) -> None:
            tqdm.write(line, file=sys.stderr)
    if not scheduler:
        workers = _capped_workers(workers, echo)

    roots = _Roots(paths, absolute_paths)
    if not force and not prune:
        unchanged = _all_unchanged(paths, db_path, max_bytes, roots)
        if unchanged is not None:
            bar.update(unchanged)
            bar.close()
            return BuildSummary(documents_seen=unchanged, built=0, skipped_unchanged=unchanged, failed=0,
                                pages=0, sentences=0, measurements=0,
                                seconds=time.perf_counter() - started)
    store = _store()
    with _closing_on_error(bar), _build_lock(db_path):
        db = store.open_db(db_path, reading=False)
        return _build_into(db, paths, store, bar, echo, started, workers=workers, force=force, prune=prune,
                           max_bytes=max_bytes, scheduler=scheduler, graph=graph, time_limit=time_limit,
                           roots=roots, max_chars=max_chars)


def _build_into(db, paths, store, bar, echo, started, *, workers, force, prune, max_bytes, scheduler, graph,
                time_limit, roots: _Roots, max_chars: int | None) -> BuildSummary:
    """The body of ``build`` once the database is open (and this build holds its lock)."""
    run = _Run(db, bar, echo, roots)
    removed = 0
    refreshed = False
    try:
        todo = _checked(_plan(_found(paths), run, force, max_bytes, max_chars))
        if scheduler:
            from .distributed import run_on_cluster

            run_on_cluster(todo, run, scheduler, time_limit, max_chars)
        elif workers == 1:
            for item in todo:
                run.finish(item, _process(str(item.path), time_limit, max_chars))
        else:
            _build_parallel(todo, run, workers, time_limit, max_chars)
        if prune:
            gone = [name for name, path in store.document_names(db).items() if roots.gone(path)]
            if gone:
                _set_graph_pending(db, True)
            removed = store.remove_documents(db, gone)
        if graph and (run.built or removed or _graph_pending(db)):
            refreshed = _refresh_graph(db, echo)
    finally:
        bar.close()
        db.close()
    return BuildSummary(
        documents_seen=run.seen, built=run.built, skipped_unchanged=run.skipped, failed=run.failed,
        pages=run.pages, sentences=run.sentences, measurements=run.measurements,
        seconds=time.perf_counter() - started, errors=tuple(run.errors), removed=removed,
        hashed=run.hashed, graph_refreshed=refreshed,
    )


@contextmanager
def _closing_on_error(bar) -> Iterator[None]:
    try:
        yield
    except BaseException:
        bar.close()
        raise


def lock_path(db_path: str | Path) -> Path:
    """The file a build holds locked while it writes the database at ``db_path``."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def _build_lock(db_path: str | Path) -> Iterator[None]:
    """Hold the database's build lock (an exclusive ``flock`` on ``lock_path``, which the
    system releases when the holder exits, even when it is killed), or raise ``BuildBusy``
    at once when another build holds it: two builds writing one database would each undo
    the other's work (and two creating it at once failed half-way)."""
    if str(db_path) == ":memory:":
        yield
        return
    try:
        import fcntl
    except ImportError:  # no flock (Windows): SQLite's own locking is all there is
        yield
        return
    path = lock_path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DatabaseError(f"cannot create the build lock {path}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            raise BuildBusy(f"the database {db_path} is busy: another build is writing it"
                            f"{f' (process {holder})' if holder.isdigit() else ''}; "
                            "wait for it to finish, then run this build again") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _store():
    """``extractor.store``, imported when first needed: it brings in sqlite-utils (and,
    through it, pandas and numpy when installed), which a build with nothing to do never
    needs."""
    from . import store

    return store


def _all_unchanged(paths: list, db_path: str | Path, max_bytes: int, roots: _Roots) -> int | None:
    """The number of files under ``paths`` when every one of them is recorded in the
    database at ``db_path`` as built at its present size and mtime (``_trusted``), and
    the database has this installation's schema; None as soon as anything is otherwise
    (a file to build, a problem to report, a duplicate name, a file too large, no or
    another database), and the full build takes over.

    Reads the database with the standard library only (read-only, no sqlite-utils, no
    pipeline), so a build with nothing to do costs a walk and a stat per file."""
    path = Path(db_path)
    if str(db_path) == ":memory:" or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error:
        return None
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if (meta.get("application"), meta.get("schema_version"), meta.get("schema_fingerprint")) \
                != ("hostkb", SCHEMA_VERSION, schema_fingerprint()) or not _has_files_table(conn) \
                or meta.get(GRAPH_PENDING) == "1":
            return None
        names: set[str] = set()
        for file, absolute, reason, _ in _found(paths):
            if reason is not None or file.name in names:
                return None
            names.add(file.name)
            st = file.stat()
            if st.st_size > max_bytes or not _trusted(_recorded(conn, file.name), roots.stored(file, absolute),
                                                      st.st_size, st.st_mtime_ns):
                return None
        return len(names) or None
    except (sqlite3.Error, OSError):
        return None
    finally:
        conn.close()


def _checked(items: Iterator[_Item]) -> Iterator[_Item]:
    """``items``, after checking once, when the first one needs building, that every
    pipeline stage is installed (so a build with nothing to do imports no NLP)."""
    first = next(items, None)
    if first is None:
        return
    try:
        _pipeline()
    except ModuleNotFoundError as exc:
        raise HostkbError(f"a pipeline stage is missing from this installation: {exc}") from exc
    yield first
    yield from items


GRAPH_PENDING = "graph_pending"  # meta key: "1" from before a build's first write until its graph refresh


def _set_graph_pending(db, pending: bool) -> None:
    """Record (committed at once) that the graph tables lag behind the documents, or no
    longer do. Set before a build's first document is saved and cleared once the graph
    is refreshed, so a build killed in between leaves the mark, and the next build,
    even one that finds every file unchanged, refreshes the graph."""
    with db.atomic():
        if pending:
            db.execute("INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value = '1'",
                       [GRAPH_PENDING])
        else:
            db.execute("DELETE FROM meta WHERE key = ?", [GRAPH_PENDING])


def _graph_pending(db) -> bool:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [GRAPH_PENDING]).fetchone()
    return bool(row and row[0] == "1")


def _refresh_graph(db, echo: Callable[[str], None]) -> bool:
    """Bring the knowledge graph tables up to date (``extractor.graph.refresh_graph``:
    only the documents that changed are redrawn) and clear the pending mark. A failure
    is reported, not raised: the documents are saved, the mark stays, and the next build
    (or ``hostkb graph``) draws it."""
    try:
        from .graph import refresh_graph

        refresh_graph(db)
    except Exception as exc:  # noqa: BLE001 - reported on stderr with where it happened
        echo(f"hostkb: graph: not refreshed: {type(exc).__name__}: {_one_line(str(exc))}{_where(exc)}")
        return False
    _set_graph_pending(db, False)
    return True


def _plan(found: Iterable[tuple[Path, Path | None, str | None, str | None]], run: _Run, force: bool,
          max_bytes: int, max_chars: int | None = None) -> Iterator[_Item]:
    """Yield the files that need building; settle the others (problems, duplicates,
    too large, unreadable, unchanged) here, as they are found."""
    first_path: dict[str, Path] = {}
    files_table = _has_files_table(run.db)
    for path, absolute, reason, detail in found:
        if reason is not None:
            run.fail(path, reason, detail, counted=reason not in ("no_documents",))
            continue
        run.seen += 1
        name = path.name
        if name in first_path:
            run.bar.update(1)
            run.fail(path, "duplicate_name",
                     f"another file of the same name was built in this run ({run.roots.stored(first_path[name])}); "
                     "documents are identified by file name")
            continue
        first_path[name] = path
        stored = run.roots.stored(path, absolute)
        try:
            st = path.stat()
            size = st.st_size
            if size > max_bytes:
                run.bar.update(1)
                run.fail(path, "too_large", f"{size / 1e6:.1f} MB, more than the limit of {max_bytes / 1e6:.1f} MB")
                continue
            if max_chars and path.suffix.lower() in _PLAIN_TEXT and size // 4 > max_chars:
                run.bar.update(1)  # refused before reading: its text cannot be shorter than that
                run.fail(path, "too_large", _too_many_chars(size // 4, max_chars, at_least=True))
                continue
            row = _recorded(run.db, name) if files_table and not force else None
            if _trusted(row, stored, size, st.st_mtime_ns):
                run.skipped += 1
                run.bar.update(1)
                continue
            sha = _sha256(path)
            run.hashed += 1
        except OSError as exc:
            run.bar.update(1)
            run.fail(path, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}")
            continue
        stat = (size, st.st_mtime_ns)
        if not force and _store().document_state(run.db, name) == sha:
            run.skipped += 1
            run.bar.update(1)
            if row is None or row[:4] != (stored, size, st.st_mtime_ns, sha):
                _remember(run.db, name, stored, sha, stat)  # moved or touched: next time, no hashing
                files_table = True
            continue
        yield _Item(absolute, name, sha, stat, stored)


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _available_memory() -> int | None:
    """Bytes of memory available for new processes (MemAvailable of /proc/meminfo), or
    None where that is not known."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def max_workers() -> tuple[int, str]:
    """The most worker processes a build starts here, and why: one per usable CPU, and
    no more than the available memory holds at ``WORKER_MEMORY_BYTES`` each."""
    cpus = usable_cpus()
    limit, why = cpus, f"the {cpus} CPU{'s' if cpus != 1 else ''} this build may use"
    memory = _available_memory()
    if memory is not None:
        fits = max(1, memory // WORKER_MEMORY_BYTES)
        if fits < limit:
            limit, why = fits, (f"the {memory / 2**30:.1f} GiB of available memory "
                                f"at {WORKER_MEMORY_BYTES // 2**20} MiB per worker")
    return limit, why


def _capped_workers(workers: int, echo: Callable[[str], None]) -> int:
    """``workers``, or fewer (with a line saying so) when the machine cannot run that many:
    more processes than CPUs only add memory and switching, never speed."""
    limit, why = max_workers()
    if workers <= limit:
        return workers
    echo(f"hostkb: {workers} workers asked for, using {limit}: the most for {why}")
    return limit


def _build_parallel(todo: Iterable[_Item], run: _Run, workers: int, time_limit: float | None,
                    max_chars: int | None = DEFAULT_MAX_CHARS) -> None:
    """Process pool with at most 2 * workers documents in flight; results are saved by
    this (the parent) process as they arrive. Documents whose worker died (a crash in a
    native library) are retried one at a time, so the culprit is the only one that fails."""
    queue = iter(todo)
    first = list(itertools.islice(queue, 2 * workers))
    workers = max(1, min(workers, len(first)))  # no more processes than documents to read
    limit = 2 * workers
    queue = itertools.chain(first, queue)
    suspects: list[_Item] = []
    pool = ProcessPoolExecutor(max_workers=workers)
    pending: dict[Future, _Item] = {}
    try:
        while True:
            while len(pending) < limit:
                item = next(queue, None)
                if item is None:
                    break
                try:
                    pending[pool.submit(_process, str(item.path), time_limit, max_chars)] = item
                except BrokenProcessPool:
                    suspects.append(item)
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                item = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    suspects.append(item)
                    broken = True
                    continue
                run.finish(item, result)
            if broken:
                suspects.extend(pending.values())
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = ProcessPoolExecutor(max_workers=workers)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for item in suspects:
        with ProcessPoolExecutor(max_workers=1) as single:
            try:
                result = single.submit(_process, str(item.path), time_limit, max_chars).result()
            except BrokenProcessPool:
                result = ("error", "worker_crashed", "the process reading this document died (a crash in a native library)")
        run.finish(item, result)
