"""The notebooks run top to bottom (nbclient, the venv's python3 kernel), without cell
errors, and draw their plots. They are kept in sync with notebooks/make_notebooks.py and
committed executed (their outputs show on the repository page).

The first notebook builds its own database from corpus/ (the path a fresh clone takes);
the others get one through HOSTKB_DB."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")
pytest.importorskip("pandas")

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
NAMES = ["01_sql_queries.ipynb", "02_rank_hosts.ipynb", "03_knowledge_graph.ipynb"]
KERNEL = "python3"

pytestmark = pytest.mark.slow


def ensure_kernel() -> None:
    """The python3 kernel spec of this interpreter (ipykernel installs it into the venv;
    install it there if it is missing)."""
    from jupyter_client.kernelspec import KernelSpecManager

    if KERNEL not in KernelSpecManager().find_kernel_specs():
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL],
                       check=True, capture_output=True)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    from extractor.build import build

    path = tmp_path_factory.mktemp("notebooks") / "kb.db"
    summary = build(sorted((REPO / "corpus").glob("*.txt")), path, progress=False)
    assert summary.ok, summary.errors
    return path


def run(name: str, db: Path | None) -> nbformat.NotebookNode:
    ensure_kernel()
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    env = {k: v for k, v in os.environ.items() if k != "HOSTKB_DB"}
    env["MPLBACKEND"] = "Agg"  # the notebooks switch to the inline backend themselves
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    if db is not None:
        env["HOSTKB_DB"] = str(db)
    client = nbclient.NotebookClient(nb, kernel_name=KERNEL, timeout=300,
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute(env=env)
    return nb


def outputs(nb, output_type=None):
    for cell in nb.cells:
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                if output_type is None or out["output_type"] == output_type:
                    yield out


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_and_plots(name, demo_db):
    nb = run(name, None if name.startswith("01") else demo_db)
    errors = list(outputs(nb, "error"))
    assert not errors, f"{name}: {errors[0]['ename']}: {errors[0]['evalue']}"
    images = [o for o in outputs(nb) if "image/png" in o.get("data", {})]
    assert images, f"{name} drew no plot"


def test_notebooks_are_generated_and_saved_executed():
    sys.path.insert(0, str(NOTEBOOKS))
    try:
        import make_notebooks
    finally:
        sys.path.remove(str(NOTEBOOKS))
    assert sorted(make_notebooks.NOTEBOOKS) == NAMES
    for name, cells in make_notebooks.NOTEBOOKS.items():
        saved = nbformat.read(NOTEBOOKS / name, as_version=4)
        assert [c.source for c in saved.cells] == [c.source for c in make_notebooks.make(name, cells).cells], \
            f"{name} differs from make_notebooks.py: run python notebooks/make_notebooks.py"
        # executed, so that the repository page shows the tables and plots
        code = [c for c in saved.cells if c.cell_type == "code"]
        assert all(c.get("execution_count") for c in code), \
            f"{name} is saved unexecuted: run python notebooks/make_notebooks.py"
        assert not list(outputs(saved, "error")), f"{name} is saved with an error"
        assert any("image/png" in o.get("data", {}) for o in outputs(saved)), f"{name} is saved without its plots"
