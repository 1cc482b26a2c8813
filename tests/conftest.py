"""Shared fixtures. Tests that need the real papers read them from ../shared at test time."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the repo (CI has it). Without it the test is skipped with a visible reason."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"../shared not found at {SHARED}: the real corpus and gold are needed")
    return SHARED


@pytest.fixture()
def output_dir(request, tmp_path_factory) -> Path:
    """A per-test directory under test-output/ for artefacts worth keeping (screenshots, reports)."""
    path = REPO / "test-output" / request.node.name
    path.mkdir(parents=True, exist_ok=True)
    return path
