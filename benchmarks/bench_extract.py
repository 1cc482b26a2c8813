"""Extraction speed: kB of text per second through the whole extraction stage
(spaCy pipeline with hostkb's components + relation rules, ``relate.extract``) on one
core, next to the bare ``spacy.blank("en")`` tokenizer on the same sentences.

    python benchmarks/bench_extract.py [--repeat 5] [--json out.json] [FILES...]

Files default to the shared papers (../shared/corpus/*.txt) and the repo's demo corpus.
Loading and segmenting are done once beforehand and not timed.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import spacy

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extractor.load import load  # noqa: E402
from extractor.nlp import make_nlp  # noqa: E402
from extractor.relate import extract  # noqa: E402
from extractor.segment import segment  # noqa: E402


def clear_text_caches() -> None:
    """Forget what the extractor remembers about texts it has seen (names, units, cathode
    mentions), so that every run reads the documents as new ones; compiled vocabularies
    stay loaded, as they do in a build."""
    from extractor import materials, normalize, units
    from extractor.relate import conditions

    for cached in (materials.key, materials.is_material_token, materials._cathodes, units.parse_unit,
                   units._key_conversion, normalize._fold_char, conditions._caption_text_conditions):
        cached.cache_clear()


def best_of(repeat: int, fn) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    files = args.files or sorted((REPO.parent / "shared" / "corpus").glob("*.txt")) + sorted((REPO / "corpus").glob("*.txt"))
    segs = [segment(load(f)) for f in files]
    texts = [s.text for seg in segs for s in seg.sentences]
    kb = sum(len(t.encode("utf-8")) for t in texts) / 1000

    # Fresh objects for every run: spaCy's tokenizer caches the words it has seen, so a
    # re-used tokenizer would be timed on cache hits. Both sides start cold.
    def tokenize():
        tokenizer = spacy.blank("en")
        for t in texts:
            tokenizer(t)

    def run_extraction():
        clear_text_caches()
        pipeline = make_nlp()
        for seg in segs:
            extract(seg, pipeline)

    extract(segs[0], make_nlp())  # load the pint registry and compile regexes once
    t_tok = best_of(args.repeat, tokenize)
    t_ext = best_of(args.repeat, run_extraction)

    result = {
        "machine": f"{platform.machine()} {platform.python_version()}",
        "documents": len(segs), "sentences": len(texts), "kB": round(kb, 1),
        "tokenizer_kB_per_s": round(kb / t_tok, 1),
        "extraction_kB_per_s": round(kb / t_ext, 1),
        "ratio": round(t_tok / t_ext, 3),
    }
    print(f"{len(segs)} documents, {len(texts)} sentences, {kb:.0f} kB (best of {args.repeat})")
    print(f"  spacy.blank('en') tokenizer : {result['tokenizer_kB_per_s']:8.1f} kB/s")
    print(f"  hostkb extraction stage     : {result['extraction_kB_per_s']:8.1f} kB/s"
          f"  = {result['ratio']:.0%} of the tokenizer")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
