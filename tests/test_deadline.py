"""The per-thread deadline that stops a document over its time limit where no alarm
signal reaches (a Dask task thread), and the pipeline's checks of it."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from extractor.build import _process
from extractor.deadline import TimeUp, check, checked, deadline
from extractor.load import load
from extractor.relate import extract
from extractor.segment import segment

REPO = Path(__file__).resolve().parents[1]
DEMO_TXT = sorted((REPO / "corpus").glob("*.txt"))[0]
DEMO_PDF = sorted((REPO / "corpus" / "pdf").glob("*.pdf"))[0]


@contextmanager
def passed_deadline():
    """A deadline that is already over when the block starts."""
    with deadline(1e-6):
        time.sleep(0.002)
        yield


def test_check_raises_only_once_the_deadline_has_passed():
    with deadline(0.2):
        check()
    with deadline(0.02):
        check()
        time.sleep(0.04)
        with pytest.raises(TimeUp):
            check()
    check()  # no deadline outside the block


def test_no_deadline_for_none_or_zero():
    for seconds in (None, 0):
        with deadline(seconds):
            time.sleep(0.002)
            check()


def test_nested_deadlines_keep_the_earlier_one():
    with deadline(0.01):
        with deadline(100):
            time.sleep(0.03)
            with pytest.raises(TimeUp):
                check()
        with pytest.raises(TimeUp):
            check()


def test_a_deadline_holds_in_its_own_thread_only():
    seen = []
    with passed_deadline():
        thread = threading.Thread(target=lambda: (check(), seen.append("not stopped")))
        thread.start()
        thread.join()
        with pytest.raises(TimeUp):
            check()
    assert seen == ["not stopped"]


def test_checked_checks_before_each_item():
    with deadline(0.02):
        items = checked(range(3))
        assert next(items) == 0
        time.sleep(0.04)
        with pytest.raises(TimeUp):
            next(items)


@pytest.mark.parametrize("stage", ["load_text", "load_pdf", "segment", "extract"])
def test_every_stage_stops_at_its_next_check(stage):
    raw = load(DEMO_TXT)
    seg = segment(raw)
    run = {"load_text": lambda: load(DEMO_TXT), "load_pdf": lambda: load(DEMO_PDF),
           "segment": lambda: segment(raw), "extract": lambda: extract(seg)}[stage]
    with passed_deadline():
        with pytest.raises(TimeUp):
            run()


def test_a_document_over_its_time_in_a_thread_is_stopped_and_reported():
    """A Dask worker runs _process in a task thread: no alarm there, the checks stop it."""
    results = {}

    def work(key, limit):
        results[key] = _process(str(DEMO_TXT), limit)

    for key, limit in (("over", 1e-6), ("in time", 600)):
        thread = threading.Thread(target=work, args=(key, limit))
        thread.start()
        thread.join(120)
    assert results["over"][:2] == ("error", "time_limit")
    assert results["in time"][0] == "ok" and results["in time"][2].measurements
