"""A deadline for one document's processing that works in any thread.

``build`` limits the time a document may take (``--time-limit``). In the main thread of
a process an alarm signal interrupts the work wherever it is (``build._time_limit``);
signals cannot reach other threads, and Dask runs its tasks in worker threads. There the
pipeline checks the deadline itself at its loop points (each PDF page, each passage,
each sentence) with ``check()``: a document over its time is stopped at the next one.

    with deadline(600):
        raw = load(path)     # ... check() inside, per page
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

__all__ = ["TimeUp", "deadline", "check", "checked"]


class TimeUp(BaseException):
    """Raised when a document's time is up (a BaseException, so that no stage's
    ``except Exception`` swallows it)."""


_local = threading.local()


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Within the block, ``check()`` in this thread raises ``TimeUp`` once ``seconds``
    have passed (no deadline for None or 0). Nested deadlines keep the earlier one."""
    if not seconds:
        yield
        return
    previous = getattr(_local, "at", None)
    at = time.monotonic() + seconds
    _local.at = at if previous is None else min(at, previous)
    try:
        yield
    finally:
        _local.at = previous


def check() -> None:
    """Raise ``TimeUp`` when this thread's deadline has passed."""
    at = getattr(_local, "at", None)
    if at is not None and time.monotonic() > at:
        raise TimeUp


def checked(items: Iterable) -> Iterator:
    """``items``, with ``check()`` before each."""
    for item in items:
        check()
        yield item
