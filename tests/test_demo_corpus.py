"""The demo corpus (corpus/*.txt), its gold annotations (corpus/gold/*.json), the demo PDF
(corpus/pdf/) and the synthetic corpus generator (scripts/make_synthetic_corpus.py).

The gold files are our own golden tests on documents we control, so they are held to the
letter of shared/spec/records.md: evidence is verbatim, names come from schema/vocab.toml,
every referenced host exists.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
GOLD = CORPUS / "gold"
PDF_DIR = CORPUS / "pdf"
SCRIPTS = REPO / "scripts"
DEMO_PDF_SOURCE = CORPUS / "demo_001_zno_nhc.txt"

PERF_FIELDS = ["host", "metric", "value", "qualifier", "cell_type", "current_density", "areal_capacity", "c_rate",
               "cycles", "cathode", "electrolyte", "temperature", "evidence"]
QUALIFIERS = {"eq", "approx", "gt", "lt", "up_to"}
KINDS = {"host", "variant", "control", "cited"}

DOCS = sorted(CORPUS.glob("*.txt"))
GOLDS = sorted(GOLD.glob("*.json"))


def _load_module(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def vocab() -> dict[str, set[str]]:
    with open(REPO / "schema" / "vocab.toml", "rb") as fh:
        data = tomllib.load(fh)
    return {"metrics": set(data["metrics"]), "methods": set(data["methods"]) | {"other"},
            "cell_types": set(data["cell_types"]), "properties": set(data["properties"]) | {"other"}}


# ----------------------------------------------------------------------------- demo documents


def test_every_demo_document_has_a_gold_file_and_back():
    assert len(DOCS) == 5
    assert {d.stem for d in DOCS} == {g.stem for g in GOLDS}


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.stem)
def test_demo_document_shape(doc: Path):
    text = doc.read_text(encoding="utf-8")
    words = len(text.split())
    assert 1200 <= words <= 2500, words
    assert re.search(r"Received \d+ [A-Z][a-z]+ 2024", text)
    assert re.search(r"DOI: 10\.5555/hostkb\.demo\.\d{3}", text)
    for part in ("Abstract", "Introduction", "Experimental Section", "Results and Discussion", "Conclusions",
                 "Acknowledgements", "References"):
        assert part in text, part
    assert re.search(r"^(\*\*)?Figure \d+\.", text, re.M), "captions between paragraphs"
    if doc.stem == "demo_002_ag_cu_mesh":  # the hard-wrapped one, with hyphenated line breaks
        body = text.splitlines()[5:]
        assert max(len(line) for line in body) <= 72
        assert sum(line.endswith("-") for line in body) >= 10
    assert "3860" in text, "background number that must not be extracted"


# ----------------------------------------------------------------------------- gold files


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_gold_file(gold_path: Path, vocab):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    assert set(gold) == {"doc", "paper", "hosts", "synthesis", "performance", "properties"}
    doc_path = CORPUS / gold["doc"]
    assert doc_path.is_file() and gold["doc"] == gold_path.stem + ".txt"
    text = collapse(doc_path.read_text(encoding="utf-8"))

    def verbatim(evidence: str, where: str) -> None:
        assert isinstance(evidence, str) and evidence, where
        assert collapse(evidence) in text, f"{where}: evidence not verbatim: {evidence!r}"

    paper = gold["paper"]
    assert set(paper) == {"title", "doi", "year", "journal"}
    assert paper["doi"].startswith("10.5555/") and paper["doi"] in text
    assert paper["title"] in text and paper["journal"] in text and paper["year"] == 2024

    names: dict[str, str] = {}
    for host in gold["hosts"]:
        assert host["kind"] in KINDS
        assert host["name"] and isinstance(host["aliases"], list) and host["components"]
        assert host["name"] in text, host["name"]
        for form in [host["name"], *host["aliases"]]:
            assert form not in names, f"surface form {form!r} used by two hosts"
            names[form] = host["name"]
    kinds = [h["kind"] for h in gold["hosts"]]
    assert kinds.count("host") == 1 and "variant" in kinds and "control" in kinds

    for synth in gold["synthesis"]:
        assert synth["host"] in {h["name"] for h in gold["hosts"] if h["kind"] != "control"}
        verbatim(synth["evidence"], f"synthesis {synth['host']}")
        assert synth["steps"]
        for step in synth["steps"]:
            assert step["method"] in vocab["methods"], step["method"]
            assert isinstance(step["precursors"], list)
            if "evidence" in step:
                verbatim(step["evidence"], f"step {step['method']}")

    assert gold["performance"]
    for rec in gold["performance"]:
        where = f"{rec['host']} {rec['metric']} {rec['value']}"
        assert list(rec) == PERF_FIELDS, where
        assert rec["host"] in names, where
        assert rec["metric"] in vocab["metrics"], where
        assert rec["qualifier"] in QUALIFIERS, where
        assert rec["cell_type"] is None or rec["cell_type"] in vocab["cell_types"], where
        assert isinstance(rec["value"], (int, float)) and not isinstance(rec["value"], bool), where
        for key in ("current_density", "areal_capacity", "c_rate", "cycles", "temperature"):
            assert rec[key] is None or isinstance(rec[key], (int, float)), where
        for key in ("cathode", "electrolyte"):
            assert rec[key] is None or (isinstance(rec[key], str) and rec[key]), where
        verbatim(rec["evidence"], where)
        assert _states_number(rec["evidence"], rec["value"], rec["metric"]), f"{where}: value not in evidence"

    for rec in gold["properties"]:
        assert rec["property"] in vocab["properties"], rec
        assert isinstance(rec["value"], (int, float)) and rec["unit"], rec
        assert rec.get("qualifier", "eq") in QUALIFIERS
        verbatim(rec["evidence"], f"property {rec['material']} {rec['property']}")


def _states_number(evidence: str, value: float, metric: str) -> bool:
    """The gold value is written in its evidence, as is or (voltages) converted from V to mV."""
    numbers = {float(m) for m in re.findall(r"\d+(?:\.\d+)?", evidence.replace("- ", ""))}
    if float(value) in numbers:
        return True
    return metric in ("overpotential", "nucleation_overpotential") and any(
        abs(n * 1000 - value) < 1e-6 for n in numbers)


def test_gold_covers_every_kind_of_fact():
    metrics, cells, methods = set(), set(), set()
    for path in GOLDS:
        gold = json.loads(path.read_text(encoding="utf-8"))
        metrics |= {r["metric"] for r in gold["performance"]}
        cells |= {r["cell_type"] for r in gold["performance"]}
        methods |= {s["method"] for syn in gold["synthesis"] for s in syn["steps"]}
    assert {"coulombic_efficiency", "cycling_time", "overpotential", "nucleation_overpotential",
            "specific_capacity", "capacity_retention", "capacity_decay_rate", "energy_density",
            "charge_transfer_resistance", "cycle_count", "max_current_density"} <= metrics
    assert {"half", "symmetric", "full", "pouch"} <= cells
    assert {"templating", "carbonization", "nitridation", "hydrothermal", "galvanic_replacement",
            "electrodeposition", "sputtering", "atomic_layer_deposition", "coating", "molten_infusion"} <= methods


# ----------------------------------------------------------------------------- demo PDF


def _pdf_reportlab_version(data: bytes) -> str | None:
    m = re.search(rb"hostkb-demo; reportlab ([0-9][0-9A-Za-z.]*)", data)
    return m.group(1).decode() if m else None


def test_demo_pdf_exists_and_is_reproducible(tmp_path):
    make_demo_pdf = _load_module("make_demo_pdf")
    import reportlab

    committed = PDF_DIR / (DEMO_PDF_SOURCE.stem + ".pdf")
    assert committed.is_file(), "run scripts/make_demo_pdf.py"
    data = committed.read_bytes()
    assert data.startswith(b"%PDF") and b"D:20000101000000" in data  # invariant mode

    text = DEMO_PDF_SOURCE.read_text(encoding="utf-8")
    first = make_demo_pdf.render_pdf(text, tmp_path / "a" / committed.name).read_bytes()
    second = make_demo_pdf.render_pdf(text, tmp_path / "b" / committed.name).read_bytes()
    assert first == second, "two renderings differ"
    if _pdf_reportlab_version(data) != reportlab.Version:
        pytest.skip(f"committed PDF made with reportlab {_pdf_reportlab_version(data)}, "
                    f"installed is {reportlab.Version}: regenerate it with scripts/make_demo_pdf.py")
    assert first == data, "corpus/pdf is stale: rerun scripts/make_demo_pdf.py"


def test_demo_pdf_markup():
    make_demo_pdf = _load_module("make_demo_pdf")
    make_demo_pdf.register_fonts()
    markup = make_demo_pdf.to_markup("5 mAh cm−2 and Li2CO3 with 2 wt% LiNO3 in NCM811 cells (CR2032), 612 m2 g−1")
    assert "cm<super>−2</super>" in markup
    assert "Li<sub>2</sub>CO<sub>3</sub>" in markup and "LiNO<sub>3</sub>" in markup
    assert "NCM811" in markup and "CR2032" in markup
    assert "m<super>2</super> g<super>−1</super>" in markup
    paper = make_demo_pdf.parse_paper(DEMO_PDF_SOURCE.read_text(encoding="utf-8"))
    kinds = {kind for kind, _ in paper.blocks}
    assert {"heading", "subheading", "body", "caption", "reference"} <= kinds
    assert paper.doi.endswith("10.5555/hostkb.demo.001") and paper.abstract


# ----------------------------------------------------------------------------- synthetic corpus


def _run_generator(out: Path, n: int, seed: int, *extra: str) -> dict:
    proc = subprocess.run([sys.executable, str(SCRIPTS / "make_synthetic_corpus.py"), "--n", str(n), "--seed",
                           str(seed), "--out", str(out), *extra], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}


def test_synthetic_generator_is_deterministic_and_writes_n_docs(tmp_path, vocab):
    n = 40
    counts = _run_generator(tmp_path / "a", n, 11)
    _run_generator(tmp_path / "b", n, 11)
    _run_generator(tmp_path / "c", n, 12)
    a, b, c = _tree(tmp_path / "a"), _tree(tmp_path / "b"), _tree(tmp_path / "c")
    assert a == b
    assert a["facts.jsonl"] != c["facts.jsonl"]
    assert counts["documents"] == n and len([k for k in a if k.endswith(".txt")]) == n

    lines = a["facts.jsonl"].decode("utf-8").splitlines()
    assert len(lines) == n
    for line in lines:
        facts = json.loads(line)
        text = collapse(a[facts["doc"]].decode("utf-8"))
        hosts = {h["name"] for h in facts["hosts"]}
        assert facts["performance"] and facts["synthesis"]
        for rec in facts["performance"]:
            assert rec["metric"] in vocab["metrics"] and rec["cell_type"] in vocab["cell_types"]
            assert rec["host"] in hosts and rec["evidence"] in text
        for syn in facts["synthesis"]:
            assert syn["host"] in hosts
            for step in syn["steps"]:
                assert step["method"] in vocab["methods"] and step["evidence"] in text
        for rec in facts["properties"]:
            assert rec["property"] in vocab["properties"] and rec["evidence"] in text


def test_synthetic_documents_do_not_depend_on_n(tmp_path):
    _run_generator(tmp_path / "small", 5, 3)
    _run_generator(tmp_path / "large", 12, 3)
    small, large = _tree(tmp_path / "small"), _tree(tmp_path / "large")
    for name, data in small.items():
        if name.endswith(".txt"):
            assert large[name] == data


def test_synthetic_pdfs(tmp_path):
    counts = _run_generator(tmp_path / "a", 8, 2, "--pdf-fraction", "0.5")
    _run_generator(tmp_path / "b", 8, 2, "--pdf-fraction", "0.5")
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert a == b
    pdfs = [k for k in a if k.endswith(".pdf")]
    assert len(pdfs) == counts["pdf"] > 0 and counts["pdf"] + counts["txt"] == 8
    assert all(a[k].startswith(b"%PDF") for k in pdfs)


@pytest.mark.slow
def test_synthetic_generator_is_fast(tmp_path):
    gen = _load_module("make_synthetic_corpus")
    start = time.perf_counter()
    manifest = gen.generate(2000, 5, tmp_path / "syn")
    elapsed = time.perf_counter() - start
    assert manifest["counts"]["documents"] == 2000
    assert elapsed < 12, f"2000 documents took {elapsed:.1f} s (10,000 must stay well under a minute)"
