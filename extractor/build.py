"""Build: turn files and folders of papers into the database.

For each file: hash it; skip it when the database already holds that exact content;
otherwise load -> segment -> extract -> ``store.save_document`` (one transaction per
document). A file that cannot be built gets one line on stderr
(``hostkb: NAME: reason: detail``) and a row in ``ingest_errors``; the others go on.

Every document is committed on its own (WAL mode), so a build killed at any point
leaves a consistent database, and the next build resumes: finished documents are
skipped by their hash.

With ``workers > 1`` a process pool does load+segment+extract, with a bounded number
of documents in flight; the parent process is the only writer.

Test hook: the environment variable ``HOSTKB_TEST_DELAY`` (seconds, float) makes the
parent sleep before saving each document, so tests can kill a build mid-way.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from tqdm import tqdm

from . import store
from .errors import DatabaseError, HostkbError, LoadError
from .types import Extraction, SegmentedDocument

__all__ = ["SUFFIXES", "DEFAULT_MAX_BYTES", "BuildSummary", "build", "discover"]

SUFFIXES = (".pdf", ".txt", ".md", ".xml")
DEFAULT_MAX_BYTES = 200 * 1024 * 1024  # larger files are refused before reading (too_large)
DELAY_ENV = "HOSTKB_TEST_DELAY"


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


# ---------------------------------------------------------------- finding files


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[Path, str, str]]]:
    """Expand ``paths`` into files to build and problems found on the way.

    Directories are searched recursively for the suffixes in ``SUFFIXES`` (hidden files
    and folders skipped); files named explicitly are taken whatever their suffix (the
    loader decides). Returns ``(files, problems)`` with problems as (path, reason, detail).
    """
    files: list[Path] = []
    problems: list[tuple[Path, str, str]] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            if not found:
                problems.append((p, "no_documents", f"no {'/'.join(SUFFIXES)} files in this folder"))
            for f in found:
                add(f)
        elif p.is_file():
            add(p)
        elif p.exists():
            problems.append((p, "not_a_file", "neither a regular file nor a folder"))
        else:
            problems.append((p, "not_found", "no such file or folder"))
    return files, problems


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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
    return " ".join(str(text).split())


def _process(path: str) -> tuple:
    """Load, segment and extract one file. Returns ("ok", seg, extraction) or
    ("error", reason, detail); never raises for a bad document."""
    try:
        load, segment, extract = _pipeline()
        raw = load(path)
        seg = segment(raw)
        extraction = extract(seg)
        return ("ok", seg, extraction)
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

    def __init__(self, db, bar, echo):
        self.db = db
        self.bar = bar
        self.echo = echo
        self.built = self.skipped = self.failed = 0
        self.pages = self.sentences = self.measurements = 0
        self.errors: list[tuple[str, str, str]] = []
        self.delay = float(os.environ.get(DELAY_ENV) or 0)

    def fail(self, path: Path, reason: str, detail: str, sha256: str | None = None,
             *, counted: bool = True) -> None:
        name = path.name
        detail = _one_line(detail)
        self.echo(f"hostkb: {name}: {reason}: {detail}")
        self.errors.append((name, reason, detail))
        if counted:
            self.failed += 1
        store.record_error(self.db, path, reason, detail, sha256)

    def finish(self, item: _Item, result: tuple) -> None:
        try:
            if result[0] == "error":
                self.fail(item.path, result[1], result[2], item.sha256)
                return
            _, seg, extraction = result
            if item.sha256 and seg.raw.sha256 != item.sha256:
                # the file's hash is the document's identity for skipping unchanged files
                seg = replace(seg, raw=replace(seg.raw, sha256=item.sha256))
            if self.delay:
                time.sleep(self.delay)
            try:
                store.save_document(self.db, seg, extraction)
            except store.InconsistentExtraction as exc:
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
          echo: Callable[[str], None] | None = None) -> BuildSummary:
    """Build ``paths`` (files and folders) into the database at ``db_path``.

    ``force`` rebuilds unchanged documents; ``prune`` removes stored documents whose
    file no longer exists; ``max_bytes`` refuses larger files (``too_large``).
    Error lines go to ``echo`` (default: stderr, above the progress bar).
    Raises ``DatabaseError`` when the database cannot be opened or written.
    """
    started = time.perf_counter()
    if workers < 1:
        raise HostkbError(f"workers must be at least 1, not {workers}")
    try:
        _pipeline()  # fail now, not once per document, if a stage is missing
    except ModuleNotFoundError as exc:
        raise HostkbError(f"a pipeline stage is missing from this installation: {exc}") from exc
    files, problems = discover(paths)
    show = progress and sys.stderr.isatty()
    bar = tqdm(total=len(files), desc="hostkb build", unit="doc", file=sys.stderr, disable=not show,
               dynamic_ncols=True)
    if echo is None:
        def echo(line: str) -> None:
            tqdm.write(line, file=sys.stderr)

    db = store.open_db(db_path)
    run = _Run(db, bar, echo)
    removed = 0
    try:
        for path, reason, detail in problems:
            run.fail(path, reason, detail, counted=reason not in ("no_documents",))
        todo = list(_plan(files, run, force, max_bytes))
        if workers == 1 or len(todo) <= 1:
            for item in todo:
                run.finish(item, _process(str(item.path)))
        else:
            _build_parallel(todo, run, workers)
        if prune:
            gone = [name for name, path in store.document_names(db).items()
                    if Path(path).is_absolute() and not Path(path).exists()]
            removed = store.remove_documents(db, gone)
    finally:
        bar.close()
        db.close()
    return BuildSummary(
        documents_seen=len(files), built=run.built, skipped_unchanged=run.skipped, failed=run.failed,
        pages=run.pages, sentences=run.sentences, measurements=run.measurements,
        seconds=time.perf_counter() - started, errors=tuple(run.errors), removed=removed,
    )


def _plan(files: list[Path], run: _Run, force: bool, max_bytes: int) -> Iterator[_Item]:
    """Hash each file; yield those that need building, settle the others here."""
    first_path: dict[str, Path] = {}
    for path in files:
        name = path.name
        if name in first_path:
            run.bar.update(1)
            run.fail(path, "duplicate_name",
                     f"another file of the same name was built in this run ({first_path[name]}); "
                     "documents are identified by file name")
            continue
        first_path[name] = path
        try:
            size = path.stat().st_size
            if size > max_bytes:
                run.bar.update(1)
                run.fail(path, "too_large", f"{size / 1e6:.1f} MB, more than the limit of {max_bytes / 1e6:.1f} MB")
                continue
            sha = _sha256(path)
        except OSError as exc:
            run.bar.update(1)
            run.fail(path, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}")
            continue
        if not force and store.document_state(run.db, name) == sha:
            run.skipped += 1
            run.bar.update(1)
            continue
        yield _Item(path.resolve(), name, sha)  # stored paths are absolute (see prune)


def _build_parallel(todo: list[_Item], run: _Run, workers: int) -> None:
    """Process pool with at most 2 * workers documents in flight; results are saved by
    this (the parent) process as they arrive. Documents whose worker died (a crash in a
    native library) are retried one at a time, so the culprit is the only one that fails."""
    limit = 2 * workers
    queue = iter(todo)
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
                    pending[pool.submit(_process, str(item.path))] = item
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
                result = single.submit(_process, str(item.path)).result()
            except BrokenProcessPool:
                result = ("error", "worker_crashed", "the process reading this document died (a crash in a native library)")
        run.finish(item, result)
