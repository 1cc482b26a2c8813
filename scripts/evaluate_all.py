"""Score hostkb on every gold set it can find and write the report EVALUATION.md is made from.

    python scripts/evaluate_all.py [--shared ../shared] [--out EVALUATION.md]

Sets: every document of ../shared/gold (found by its ``doc`` name anywhere under
../shared/corpus: texts, publisher PDFs, rendered PDFs), the composed papers of
tests/data/composed (and two of them typeset as PDFs), the held-out papers and the demo
corpus. For each: per-document scores, the overall
line, and the causes of misses and extras (``hostkb eval --explain``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extractor.build import build  # noqa: E402
from extractor.evaluate import evaluate, format_explained, load_gold  # noqa: E402
from extractor.export import export_records  # noqa: E402
from extractor.store import open_db  # noqa: E402


def gold_documents(corpus: Path, gold_dir: Path) -> dict[str, Path]:
    files = {p.name: p for p in sorted(corpus.rglob("*")) if p.is_file()}
    out = {}
    for g in sorted(gold_dir.glob("*.json")):
        name = json.loads(g.read_text(encoding="utf-8"))["doc"]
        if name in files:
            out[name] = files[name]
    return out


def score(title: str, corpus: Path, gold_dir: Path) -> str:
    docs = gold_documents(corpus, gold_dir)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "kb.db"
        started = time.perf_counter()
        build(list(docs.values()), db_path, progress=False)
        seconds = time.perf_counter() - started
        db = open_db(db_path, create=False)
        records = export_records(db)
        texts = dict(db.execute(
            "SELECT d.name, group_concat(p.text, ' ') FROM passages p JOIN documents d ON d.id = p.document_id "
            "GROUP BY d.id"))
        db.close()
    report = evaluate(records, load_gold(gold_dir))
    explained = format_explained(report, texts)
    summary = explained[explained.index("causes of misses"):]
    return (f"## {title}\n\n{len(docs)} documents built in {seconds:.1f} s.\n\n```text\n"
            f"{report.format(verbose=False)}\n\n{summary}\n```\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    parts = []
    if (args.shared / "gold").is_dir():
        parts.append(score("Shared gold (../shared/gold)", args.shared / "corpus", args.shared / "gold"))
    composed = REPO / "tests" / "data" / "composed"
    parts.append(score("Composed papers (tests/data/composed)", composed, composed / "gold"))
    typeset = REPO / "tests" / "data" / "composed_pdf"
    parts.append(score("Composed papers typeset by another hand (tests/data/composed_pdf)", typeset, typeset / "gold"))
    heldout = REPO / "tests" / "data" / "heldout"
    parts.append(score("Held-out papers (tests/data/heldout, never tuned on)", heldout, heldout / "gold"))
    last = REPO / "tests" / "data" / "heldout13"
    parts.append(score("Last round, held out (tests/data/heldout13, never tuned on)", last, last / "gold"))
    parts.append(score("Demo corpus (corpus/)", REPO / "corpus", REPO / "corpus" / "gold"))
    text = "\n".join(parts)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
