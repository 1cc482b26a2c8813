"""The same build on a Dask distributed cluster, for corpora one machine is too slow for.

    hostkb build PAPERS --db kb.db --scheduler tcp://HOST:8786

    >>> from extractor.distributed import build
    >>> build(["papers/"], "kb.db", scheduler="tcp://10.0.0.5:8786")

What runs where:

* the client (the process calling ``build``) walks the folders, decides which files
  changed (``extractor.build``: size/mtime, then sha256), and is the only writer of the
  database: results are saved with ``store.save_document`` as they arrive, one
  transaction per document, exactly as in a local build;
* the cluster's workers load, segment and extract (``extractor.build._process``, the
  function a local build's process pool runs) and send back plain frozen dataclasses
  (``SegmentedDocument``, ``Extraction``), pickled by Dask.

Files are read by the workers from their path: the corpus must be on a filesystem
every worker sees at the same absolute path (NFS, a cluster file system, or one
machine). The client sends paths, not bytes, so a 20 GB corpus does not travel
through the scheduler; before the build starts, one worker is asked to read the first
file, and a clear ``HostkbError`` says so if it cannot. The workers need hostkb
installed (the same version) and ``dask[distributed]`` (``pip install hostkb[distributed]``).

Memory and back-pressure: at most ``2 x`` the cluster's worker threads documents are
in flight; each result is released once saved. A document whose worker died more
often than the scheduler's ``allowed-failures`` fails alone (``worker_crashed``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import HostkbError

if TYPE_CHECKING:
    from .build import BuildSummary, _Item, _Run

__all__ = ["build", "run_on_cluster"]

CONNECT_TIMEOUT = "20s"  # to reach the scheduler


def build(paths: Iterable[str | Path], db_path: str | Path, *, scheduler: str, **options) -> BuildSummary:
    """``extractor.build.build`` with extraction on the Dask cluster at ``scheduler``
    (``tcp://HOST:PORT``); same options (``force``, ``prune``, ``progress``, ...), same summary."""
    from .build import build as local_build

    return local_build(paths, db_path, scheduler=scheduler, **options)


def _client(scheduler: str):
    try:
        from distributed import Client
    except ImportError as exc:
        raise HostkbError("--scheduler needs Dask distributed: pip install 'hostkb[distributed]'") from exc
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise HostkbError(f"cannot connect to the Dask scheduler at {scheduler}: {exc}") from exc


def _readable(path: str) -> bool:
    """Runs on a worker: can it open ``path``?"""
    try:
        with open(path, "rb") as fh:
            fh.read(1)
    except OSError:
        return False
    return True


def run_on_cluster(todo: Iterator[_Item], run: _Run, scheduler: str, time_limit: float | None = None,
                   max_chars: int | None = None) -> None:
    """Process ``todo`` on the cluster, saving each result through ``run`` (in this process).
    ``time_limit`` is passed on: Dask runs tasks in worker threads, where no alarm signal
    reaches, so it is the pipeline's own deadline checks (``extractor.deadline``, at each
    page, block and sentence) that stop a document over its time."""
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    from .build import _process

    todo = iter(todo)
    first = next(todo, None)
    if first is None:
        return
    client = _client(scheduler)
    try:
        threads = sum(client.nthreads().values())
        if not threads:
            raise HostkbError(f"the Dask cluster at {scheduler} has no workers")
        if not client.submit(_readable, str(first.path), pure=False).result():
            raise HostkbError(
                f"a worker of {scheduler} cannot read {first.path}: the corpus must be on a file system "
                "every worker sees at the same path")
        limit = 2 * threads
        pending: dict = {}

        def submit(item: _Item):
            future = client.submit(_process, str(item.path), time_limit, max_chars, pure=False,
                                   key=f"hostkb-{item.sha256}-{item.name}")
            pending[future] = item
            return future

        submit(first)
        while len(pending) < limit and (item := next(todo, None)) is not None:
            submit(item)
        with client.as_current():  # as_completed finds its client there
            completed = as_completed(list(pending))
            for future in completed:
                item = pending.pop(future)
                try:
                    result = future.result()
                except KilledWorker:
                    result = ("error", "worker_crashed",
                              "the Dask workers reading this document died (a crash in a native library)")
                except Exception as exc:  # the worker cannot run hostkb at all: stop, say why
                    raise HostkbError(f"a Dask worker of {scheduler} failed on {item.name}: "
                                      f"{type(exc).__name__}: {exc} (is the same hostkb installed there?)") from exc
                finally:
                    future.release()
                run.finish(item, result)
                if (item := next(todo, None)) is not None:
                    completed.add(submit(item))
    finally:
        client.close()
