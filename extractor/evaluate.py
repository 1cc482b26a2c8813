"""Score predicted records against the gold annotations.

Both sides are in the interchange format of ``../shared/spec/records.md`` (one dict per
document, keyed by its ``doc`` name). Scoring follows the spec's "Matching, as the
evaluation does it":

* host names are compared through :func:`host_key`; a name (predicted or gold) is
  resolved through the gold host table of its document, so any alias of a gold host
  stands for that host;
* a predicted performance record matches a gold record when document, host and metric
  are equal and the value is within 0.5 % (relative) of the gold value; each gold record
  matches at most one prediction (a maximum bipartite matching per document and metric);
* conditions are scored on matched pairs, only for the fields the gold record fills;
* host recall counts every gold host whose name or alias keys meet the name or alias
  keys of some predicted host;
* synthesis is scored as micro-averaged F1 over the multisets of step methods per host.

Everything here is pure: no database, no files except :func:`load_gold`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from extractor.errors import HostkbError
from extractor.vocab import vocabulary

CONDITION_FIELDS = ("cell_type", "current_density", "areal_capacity", "c_rate", "cycles", "cathode")
REL_TOL = 0.005  # values within 0.5 % of the gold value match
ABS_TOL = 1e-6  # used instead when the gold value is 0

_SUBSUP_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789" * 2)
# Hyphen look-alikes written as "-": U+2010..U+2015 (hyphens, en/em dash), minus, small/fullwidth hyphen-minus.
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"})
_LATEX = re.compile(r"\\(?:textrm|mathrm|text)|[${}_]")
_SPACE = re.compile(r"\s+")
_HOST_PREFIXES = ("li@", "li-", "li/")
_HOST_SUFFIXES = ("/li", "-li")

# Cathode short names come from schema/vocab.toml ([cathodes]); formulas are compared by composition.
_FORMULA = re.compile(r"(?:[A-Z][a-z]?(?:\d+(?:\.\d+)?|\.\d+)?)+")
_ELEMENT = re.compile(r"([A-Z][a-z]?)(\d+(?:\.\d+)?|\.\d+)?")


class EvaluationError(HostkbError):
    """The gold directory or a gold file cannot be used (missing, not JSON, no ``doc``, duplicate doc)."""


# ---------------------------------------------------------------- normalization


def _plain(text: str) -> str:
    """NFKC, plain digits, no LaTeX markup, no white space, hyphen look-alikes as '-'."""
    text = unicodedata.normalize("NFKC", text).translate(_SUBSUP_DIGITS)
    text = _LATEX.sub("", text)
    return _SPACE.sub("", text).translate(_DASHES)


def host_key(name: str) -> str:
    """The key under which host names are compared.

    Unicode NFKC, sub/superscript digits made plain, LaTeX markup (``$ _ { }``,
    ``\\text``, also ``\\textrm`` and ``\\mathrm``) and all white space removed, case
    folded, every hyphen look-alike (en/em dash, minus sign, U+2010..U+2015) written as
    ``-``, then one leading ``Li@``/``Li-``/``Li/`` and one trailing ``/Li``/``-Li``
    dropped (never down to an empty key)::

        >>> host_key("Li@Mo$_2$N") == host_key("Mo₂N/Li") == host_key("mo2n")
        True
        >>> host_key("Li–Ag@Cu")
        'ag@cu'
    """
    key = _plain(name).casefold()
    for prefix in _HOST_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix):]
            break
    for suffix in _HOST_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
            break
    return key


def cathode_key(name: str) -> str:
    """Case-folded cathode with short names expanded (``NCM-811`` -> ``lini0.8co0.1mn0.1o2``)."""
    plain = _plain(name)
    return vocabulary().cathodes.get(plain.casefold().replace("-", ""), plain).casefold()


def _composition(name: str) -> tuple | None:
    plain = _plain(name)
    plain = vocabulary().cathodes.get(plain.casefold().replace("-", ""), plain)
    if not _FORMULA.fullmatch(plain):
        return None
    amounts: Counter = Counter()
    for element, amount in _ELEMENT.findall(plain):
        amounts[element] += round(float(amount) if amount else 1.0, 6)
    return tuple(sorted(amounts.items()))


def cathodes_match(pred: str, gold: str) -> bool:
    """Same cathode: equal :func:`cathode_key`, or the same composition in another element order."""
    if cathode_key(pred) == cathode_key(gold):
        return True
    composition = _composition(gold)
    return composition is not None and composition == _composition(pred)


def _as_float(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def values_match(pred, gold) -> bool:
    """``pred`` within 0.5 % of ``gold`` (absolute ``ABS_TOL`` when gold is 0)."""
    g, p = _as_float(gold), _as_float(pred)
    if g is None or p is None:
        return False
    if g == 0:
        return abs(p) <= ABS_TOL
    return abs(p - g) <= REL_TOL * abs(g) * (1 + 1e-9)


def _relative_difference(pred, gold) -> float:
    g, p = _as_float(gold), _as_float(pred)
    if g is None or p is None:
        return float("inf")
    return abs(p - g) / abs(g) if g else abs(p)


def condition_matches(field_name: str, pred, gold) -> bool:
    """Whether a predicted condition equals the gold one (numbers within 0.5 %)."""
    if pred is None:
        return False
    if field_name == "cathode":
        return cathodes_match(str(pred), str(gold))
    if field_name == "cell_type":
        return str(pred).strip().casefold() == str(gold).strip().casefold()
    return values_match(pred, gold)


# ---------------------------------------------------------------- gold


def load_gold(directory) -> dict[str, dict]:
    """Every ``*.json`` record file of ``directory``, keyed by its ``doc``."""
    directory = Path(directory)
    if not directory.is_dir():
        raise EvaluationError(f"gold directory not found: {directory}")
    gold: dict[str, dict] = {}
    for path in sorted(directory.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise EvaluationError(f"{path}: not valid JSON: {error}") from error
        doc = record.get("doc") if isinstance(record, dict) else None
        if not doc:
            raise EvaluationError(f"{path}: no 'doc' field")
        if doc in gold:
            raise EvaluationError(f"{path}: doc {doc!r} is already annotated in another gold file")
        gold[doc] = record
    if not gold:
        raise EvaluationError(f"no gold record files (*.json) in {directory}")
    return gold


class _HostTable:
    """Resolves any host name of a document to the gold host it denotes.

    A name resolves to the gold host whose name or alias has the same key; when two gold
    hosts share a key, the one whose *name* has it wins, else the first listed. A name
    that is no gold host resolves to ``"?" + key`` so that unknown names still compare
    with each other by key.
    """

    def __init__(self, hosts: list[dict]):
        self.hosts = [h for h in hosts if isinstance(h, dict) and h.get("name")]
        self._by_key: dict[str, str] = {}
        for host in self.hosts:  # names first, so that a name beats another host's alias
            self._by_key.setdefault(host_key(host["name"]), host["name"])
        for host in self.hosts:
            for alias in host.get("aliases") or ():
                self._by_key.setdefault(host_key(alias), host["name"])

    def resolve(self, name) -> str:
        key = host_key(str(name or ""))
        return self._by_key.get(key, "?" + key)

    @staticmethod
    def keys_of(host: dict) -> set[str]:
        return {host_key(n) for n in [host.get("name") or "", *(host.get("aliases") or ())] if n}


# ---------------------------------------------------------------- results


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _f1(tp: int, n_pred: int, n_gold: int) -> float | None:
    return 2 * tp / (n_pred + n_gold) if n_pred + n_gold else None


def _snippet(text, width: int = 90) -> str:
    text = _SPACE.sub(" ", str(text or "")).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class Pair:
    """A matched gold/predicted performance record and which gold-filled conditions agree."""

    gold: dict
    pred: dict
    conditions: dict[str, bool]


class _Scores:
    """Precision, recall and F1 from ``tp``, ``n_pred`` and ``n_gold`` (of a document or the corpus)."""

    def _scores_dict(self) -> dict:
        """The scores shared by a document's and the corpus' JSON."""
        return {
            "precision": self.precision, "recall": self.recall, "f1": self.f1,
            "tp": self.tp, "n_pred": self.n_pred, "n_gold": self.n_gold,
            "conditions": self.conditions, "conditions_by_field": _counts_dict(self.condition_counts()),
            "host_recall": self.host_recall,
        }

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.n_pred)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.n_gold)

    @property
    def f1(self) -> float | None:
        return _f1(self.tp, self.n_pred, self.n_gold)


@dataclass
class DocumentResult(_Scores):
    doc: str
    predicted: bool  # False when no prediction was given for this gold document
    pairs: list[Pair] = field(default_factory=list)
    misses: list[dict] = field(default_factory=list)  # gold performance records not matched
    extras: list[dict] = field(default_factory=list)  # predicted performance records not matched
    nearest: dict[int, dict] = field(default_factory=dict)  # index in misses -> closest prediction, same host/metric
    hosts_found: list[str] = field(default_factory=list)
    hosts_missed: list[str] = field(default_factory=list)
    synthesis_tp: int = 0
    synthesis_pred: int = 0
    synthesis_gold: int = 0
    hosts: "_HostTable | None" = None  # the gold host table names were resolved through

    @property
    def tp(self) -> int:
        return len(self.pairs)

    @property
    def n_pred(self) -> int:
        return len(self.pairs) + len(self.extras)

    @property
    def n_gold(self) -> int:
        return len(self.pairs) + len(self.misses)

    def condition_counts(self) -> dict[str, tuple[int, int]]:
        """field -> (correct, scored) over the matched pairs."""
        counts = {name: [0, 0] for name in CONDITION_FIELDS}
        for pair in self.pairs:
            for name, correct in pair.conditions.items():
                counts[name][0] += correct
                counts[name][1] += 1
        return {name: (c, n) for name, (c, n) in counts.items()}

    @property
    def conditions(self) -> float | None:
        counts = self.condition_counts().values()
        return _ratio(sum(c for c, _ in counts), sum(n for _, n in counts))

    @property
    def host_recall(self) -> float | None:
        return _ratio(len(self.hosts_found), len(self.hosts_found) + len(self.hosts_missed))

    @property
    def synthesis_f1(self) -> float | None:
        return _f1(self.synthesis_tp, self.synthesis_pred, self.synthesis_gold)

    def to_dict(self) -> dict:
        return {
            "doc": self.doc,
            "predicted": self.predicted,
            **self._scores_dict(),
            "hosts_found": self.hosts_found,
            "hosts_missed": self.hosts_missed,
            "synthesis_f1": self.synthesis_f1,
            "synthesis": {"tp": self.synthesis_tp, "n_pred": self.synthesis_pred, "n_gold": self.synthesis_gold},
            "matches": [
                {"gold": p.gold, "pred": p.pred, "conditions": p.conditions} for p in self.pairs
            ],
            "misses": [
                {"gold": m, "nearest": self.nearest.get(n)} for n, m in enumerate(self.misses)
            ],
            "extras": self.extras,
        }


def _counts_dict(counts: dict[str, tuple[int, int]]) -> dict:
    return {name: {"correct": c, "scored": n, "accuracy": _ratio(c, n)} for name, (c, n) in counts.items()}


@dataclass
class Report(_Scores):
    """Scores of one evaluation: per document and over the corpus (micro-averaged)."""

    documents: list[DocumentResult]
    unevaluated: list[str] = field(default_factory=list)  # predicted docs without gold

    def _sum(self, attribute: str) -> int:
        return sum(getattr(d, attribute) for d in self.documents)

    @property
    def tp(self) -> int:
        return self._sum("tp")

    @property
    def n_pred(self) -> int:
        return self._sum("n_pred")

    @property
    def n_gold(self) -> int:
        return self._sum("n_gold")

    def condition_counts(self) -> dict[str, tuple[int, int]]:
        totals = {name: (0, 0) for name in CONDITION_FIELDS}
        for document in self.documents:
            for name, (c, n) in document.condition_counts().items():
                totals[name] = (totals[name][0] + c, totals[name][1] + n)
        return totals

    @property
    def conditions(self) -> float | None:
        counts = self.condition_counts().values()
        return _ratio(sum(c for c, _ in counts), sum(n for _, n in counts))

    @property
    def host_recall(self) -> float | None:
        found = sum(len(d.hosts_found) for d in self.documents)
        return _ratio(found, found + sum(len(d.hosts_missed) for d in self.documents))

    @property
    def synthesis_f1(self) -> float | None:
        return _f1(self._sum("synthesis_tp"), self._sum("synthesis_pred"), self._sum("synthesis_gold"))

    def document(self, doc: str) -> DocumentResult:
        for result in self.documents:
            if result.doc == doc:
                return result
        raise KeyError(doc)

    def overall_line(self) -> str:
        return (
            f"overall: precision {_fmt(self.precision)} recall {_fmt(self.recall)} f1 {_fmt(self.f1)}"
            f" | conditions {_fmt(self.conditions)} | host recall {_fmt(self.host_recall)}"
            f" | synthesis f1 {_fmt(self.synthesis_f1)}"
            f" | {len(self.documents)} docs, {self.n_pred} predicted, {self.n_gold} gold, {self.tp} matched"
        )

    def format(self, verbose: bool = True) -> str:
        width = max([len("document"), *(len(d.doc) for d in self.documents)])
        columns = ("P", "R", "F1", "pred", "gold", "cond", "hosts", "synth")
        header = f"{'document':<{width}}  " + " ".join(f"{c:>5}" for c in columns)
        lines = [header, "-" * len(header)]
        for d in self.documents:
            lines.append(
                f"{d.doc:<{width}}  {_fmt(d.precision):>5} {_fmt(d.recall):>5} {_fmt(d.f1):>5}"
                f" {d.n_pred:>5} {d.n_gold:>5} {_fmt(d.conditions):>5} {_fmt(d.host_recall):>5}"
                f" {_fmt(d.synthesis_f1):>5}" + ("" if d.predicted else "  (no prediction)")
            )
        lines.append("-" * len(header))
        lines.append(self.overall_line())
        lines.append(
            "conditions by field: "
            + ", ".join(f"{name} {_fmt(_ratio(c, n))} ({c}/{n})" for name, (c, n) in self.condition_counts().items())
        )
        if self.unevaluated:
            lines.append(f"not evaluated (no gold): {len(self.unevaluated)}: {', '.join(self.unevaluated)}")
        if verbose:
            lines.extend(self._details())
        return "\n".join(lines)

    def _details(self) -> list[str]:
        lines: list[str] = []
        sections = (
            ("misses (gold not matched)", _miss_lines),
            ("extras (predicted not matched)", lambda d: [_record_line(r) for r in d.extras]),
            ("condition errors (matched pairs)", lambda d: [_condition_line(p) for p in d.pairs]),
            ("hosts missed", lambda d: list(d.hosts_missed)),
        )
        for title, lines_of in sections:
            blocks = []
            for d in self.documents:
                rendered = [r for r in lines_of(d) if r]
                if rendered:
                    blocks.append(f"  {d.doc}")
                    blocks.extend(f"    {r}" for r in rendered)
            lines.append("")
            lines.append(f"{title}:" + ("" if blocks else " none"))
            lines.extend(blocks)
        return lines

    def to_dict(self) -> dict:
        return {
            "overall": {**self._scores_dict(), "synthesis_f1": self.synthesis_f1},
            "documents": [d.to_dict() for d in self.documents],
            "unevaluated": list(self.unevaluated),
        }


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _record_line(record: dict) -> str:
    return (
        f"{record.get('host')!s} | {record.get('metric')!s} | {record.get('value')!r}"
        f" | {_snippet(record.get('evidence'))}"
    )


def _miss_lines(document: DocumentResult) -> list[str]:
    lines = []
    for n, record in enumerate(document.misses):
        line = _record_line(record)
        nearest = document.nearest.get(n)
        if nearest is not None:
            line += f"  [nearest prediction: {nearest.get('value')!r}]"
        lines.append(line)
    return lines


def _condition_line(pair: Pair) -> str:
    wrong = [
        f"{name}: predicted {pair.pred.get(name)!r}, gold {pair.gold.get(name)!r}"
        for name, correct in pair.conditions.items()
        if not correct
    ]
    if not wrong:
        return ""
    return f"{pair.gold.get('host')} | {pair.gold.get('metric')} | {pair.gold.get('value')!r}: " + "; ".join(wrong)


# ---------------------------------------------------------------- matching


def _metric(record: dict) -> str:
    return str(record.get("metric") or "").strip().casefold()


def _scored_conditions(pred: dict, gold: dict) -> dict[str, bool]:
    return {
        name: condition_matches(name, pred.get(name), gold[name])
        for name in CONDITION_FIELDS
        if gold.get(name) is not None
    }


def _max_matching(candidates: list[list[int]], n_right: int) -> list[int | None]:
    """Maximum bipartite matching (Kuhn): ``candidates[left]`` lists right vertices in order
    of preference. Returns, for each left vertex, its right vertex or None."""
    owner: list[int | None] = [None] * n_right

    def augment(left: int, seen: set[int]) -> bool:
        for right in candidates[left]:
            if right in seen:
                continue
            seen.add(right)
            if owner[right] is None or augment(owner[right], seen):
                owner[right] = left
                return True
        return False

    for left in range(len(candidates)):
        augment(left, set())
    assigned: list[int | None] = [None] * len(candidates)
    for right, left in enumerate(owner):
        if left is not None:
            assigned[left] = right
    return assigned


def _match_performance(result: DocumentResult, pred: list[dict], gold: list[dict], table: _HostTable) -> None:
    gold_groups: dict[tuple, list[int]] = defaultdict(list)
    for i, record in enumerate(gold):
        gold_groups[_metric(record)].append(i)
    pred_groups: dict[tuple, list[int]] = defaultdict(list)
    for j, record in enumerate(pred):
        pred_groups[_metric(record)].append(j)
    gold_hosts = [table.resolve(r.get("host")) for r in gold]
    pred_hosts = [table.resolve(r.get("host")) for r in pred]

    matched_pred: set[int] = set()
    matched_gold: dict[int, int] = {}
    for metric, gold_indices in gold_groups.items():
        pred_indices = pred_groups.get(metric, [])
        candidates = []
        for i in gold_indices:
            options = [
                k
                for k, j in enumerate(pred_indices)
                if pred_hosts[j] == gold_hosts[i] and values_match(pred[j].get("value"), gold[i].get("value"))
            ]

            def preference(k: int, i: int = i) -> tuple:
                j = pred_indices[k]
                agree = sum(_scored_conditions(pred[j], gold[i]).values())
                return (-agree, _relative_difference(pred[j].get("value"), gold[i].get("value")), j)

            candidates.append(sorted(options, key=preference))
        for i, k in zip(gold_indices, _max_matching(candidates, len(pred_indices))):
            if k is not None:
                matched_gold[i] = pred_indices[k]
                matched_pred.add(pred_indices[k])

    for i, record in enumerate(gold):
        if i in matched_gold:
            j = matched_gold[i]
            result.pairs.append(Pair(record, pred[j], _scored_conditions(pred[j], record)))
            continue
        result.misses.append(record)
        same = [
            j for j in range(len(pred))
            if pred_hosts[j] == gold_hosts[i] and _metric(pred[j]) == _metric(record)
        ]
        if same:
            nearest = min(same, key=lambda j: _relative_difference(pred[j].get("value"), record.get("value")))
            result.nearest[len(result.misses) - 1] = pred[nearest]
    result.extras.extend(r for j, r in enumerate(pred) if j not in matched_pred)


def _match_hosts(result: DocumentResult, pred_hosts: list[dict], table: _HostTable) -> None:
    predicted_keys: set[str] = set()
    for host in pred_hosts:
        if isinstance(host, dict):
            predicted_keys |= _HostTable.keys_of(host)
        elif host:
            predicted_keys.add(host_key(str(host)))
    for host in table.hosts:
        found = _HostTable.keys_of(host) & predicted_keys
        (result.hosts_found if found else result.hosts_missed).append(host["name"])


def _methods_by_host(routes: list[dict], table: _HostTable) -> dict[str, Counter]:
    methods: dict[str, Counter] = defaultdict(Counter)
    for route in routes:
        if not isinstance(route, dict):
            continue
        host = table.resolve(route.get("host"))
        for step in route.get("steps") or ():
            method = step.get("method") if isinstance(step, dict) else step
            methods[host][str(method or "").strip().casefold()] += 1
    return methods


def _match_synthesis(result: DocumentResult, pred: list[dict], gold: list[dict], table: _HostTable) -> None:
    predicted, annotated = _methods_by_host(pred, table), _methods_by_host(gold, table)
    result.synthesis_pred = sum(sum(c.values()) for c in predicted.values())
    result.synthesis_gold = sum(sum(c.values()) for c in annotated.values())
    result.synthesis_tp = sum(sum((predicted[h] & annotated[h]).values()) for h in annotated if h in predicted)


def evaluate_document(pred: dict | None, gold: dict) -> DocumentResult:
    """Score one document's prediction (None: nothing predicted) against its gold record."""
    table = _HostTable(gold.get("hosts") or [])
    result = DocumentResult(doc=gold["doc"], predicted=pred is not None, hosts=table)
    pred = pred or {}
    _match_performance(
        result,
        [r for r in pred.get("performance") or () if isinstance(r, dict)],
        [r for r in gold.get("performance") or () if isinstance(r, dict)],
        table,
    )
    _match_hosts(result, pred.get("hosts") or [], table)
    _match_synthesis(result, pred.get("synthesis") or [], gold.get("synthesis") or [], table)
    return result


def evaluate(pred: dict[str, dict], gold: dict[str, dict]) -> Report:
    """Score predictions against gold, both keyed by ``doc``.

    Only gold documents are scored; a gold document without a prediction counts as all
    misses. A prediction is found by its key or by its record's ``doc`` (file name, a
    path is reduced to its name); predictions for documents without gold are listed in
    ``Report.unevaluated``.
    """
    by_name: dict[str, dict] = {}
    for key, record in pred.items():
        by_name.setdefault(Path(str(key)).name, record)
        if isinstance(record, dict) and record.get("doc"):
            by_name.setdefault(Path(str(record["doc"])).name, record)
    used: set[int] = set()
    documents = []
    for doc in sorted(gold):
        record = pred.get(doc) or by_name.get(Path(doc).name)
        if record is not None:
            used.add(id(record))
        documents.append(evaluate_document(record, gold[doc]))
    unevaluated = sorted(str(key) for key, record in pred.items() if id(record) not in used)
    return Report(documents=documents, unevaluated=unevaluated)


def evaluate_dirs(pred_records: dict[str, dict], gold_dir) -> Report:
    """:func:`evaluate` against the gold files of ``gold_dir`` (see :func:`load_gold`)."""
    return evaluate(pred_records, load_gold(gold_dir))


# ---------------------------------------------------------------- causes

MISS_CAUSES = ("host_not_found", "wrong_host", "wrong_metric", "value", "not_read", "not_extracted")
EXTRA_CAUSES = ("duplicate", "wrong_host", "wrong_metric", "value", "not_a_figure")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Cause:
    """Why one gold record was missed (``kind == "miss"``) or one prediction is extra."""

    kind: str  # "miss" or "extra"
    cause: str  # one of MISS_CAUSES or EXTRA_CAUSES
    record: dict
    other: dict | None = None  # the record of the other side that shows the cause


def _number_read(value, text: str) -> bool:
    """Whether the number ``value`` is written somewhere in ``text`` (any of its usual spellings)."""
    v = _as_float(value)
    if v is None:
        return True
    return any(values_match(float(n), v) or values_match(float(n), -v) for n in _NUMBER.findall(text))


def _same_evidence(a: dict, b: dict) -> bool:
    ea, eb = _SPACE.sub(" ", str(a.get("evidence") or "")).strip(), _SPACE.sub(" ", str(b.get("evidence") or "")).strip()
    return bool(ea and eb) and (ea in eb or eb in ea or ea[:60] == eb[:60])


def explain(result: DocumentResult, text: str | None = None) -> list[Cause]:
    """The cause of every miss and extra of a scored document.

    A miss is ``host_not_found`` when the gold host is not among the predicted hosts;
    ``wrong_host`` when a prediction has its metric and value but another host;
    ``wrong_metric`` when one has its host and value under another metric; ``value``
    when one has its host and metric from the same sentence with another value;
    ``not_read`` when ``text`` (the document as hostkb read it) does not contain the
    number at all; else ``not_extracted``. An extra is a ``duplicate`` of a matched gold
    record, or ``wrong_host`` / ``wrong_metric`` / ``value`` as above seen from the gold
    side, else ``not_a_figure``.
    """
    table = result.hosts or _HostTable([])
    golds = [p.gold for p in result.pairs] + list(result.misses)
    preds = [p.pred for p in result.pairs] + list(result.extras)
    missed_hosts = set(result.hosts_missed)

    def host(r: dict) -> str:
        return table.resolve(r.get("host"))

    def find(records: list[dict], r: dict, *, same_host: bool, same_metric: bool, same_value: bool,
             same_sentence: bool = False) -> dict | None:
        for o in records:
            if (host(o) == host(r)) != same_host or (_metric(o) == _metric(r)) != same_metric:
                continue
            if values_match(o.get("value"), r.get("value")) != same_value:
                continue
            if same_sentence and not _same_evidence(o, r):
                continue
            return o
        return None

    causes: list[Cause] = []
    for g in result.misses:
        if host(g) in missed_hosts:
            causes.append(Cause("miss", "host_not_found", g))
            continue
        for cause, kwargs in (
            ("wrong_host", dict(same_host=False, same_metric=True, same_value=True)),
            ("wrong_metric", dict(same_host=True, same_metric=False, same_value=True)),
            ("value", dict(same_host=True, same_metric=True, same_value=False, same_sentence=True)),
        ):
            other = find(preds, g, **kwargs)
            if other is not None:
                causes.append(Cause("miss", cause, g, other))
                break
        else:
            read = text is None or _number_read(g.get("value"), text)
            causes.append(Cause("miss", "not_extracted" if read else "not_read", g))
    matched = [p.gold for p in result.pairs]
    for x in result.extras:
        for cause, pool, kwargs in (
            ("duplicate", matched, dict(same_host=True, same_metric=True, same_value=True)),
            ("wrong_host", golds, dict(same_host=False, same_metric=True, same_value=True)),
            ("wrong_metric", golds, dict(same_host=True, same_metric=False, same_value=True)),
            ("value", golds, dict(same_host=True, same_metric=True, same_value=False, same_sentence=True)),
        ):
            other = find(pool, x, **kwargs)
            if other is not None:
                causes.append(Cause("extra", cause, x, other))
                break
        else:
            causes.append(Cause("extra", "not_a_figure", x))
    return causes


def cause_table(report: Report, texts: dict[str, str] | None = None) -> dict[str, dict[str, Counter]]:
    """``{"miss"|"extra": {document: Counter(cause)}}`` over a report (``texts`` by document name)."""
    table: dict[str, dict[str, Counter]] = {"miss": {}, "extra": {}}
    for d in report.documents:
        for c in explain(d, (texts or {}).get(d.doc)):
            table[c.kind].setdefault(d.doc, Counter())[c.cause] += 1
    return table


def format_explained(report: Report, texts: dict[str, str] | None = None) -> str:
    """Every miss and extra with its cause, then the totals per cause (per document and overall)."""
    lines: list[str] = []
    totals = {"miss": Counter(), "extra": Counter()}
    per_doc: list[tuple[str, Counter, Counter]] = []
    for d in report.documents:
        causes = explain(d, (texts or {}).get(d.doc))
        counts = {"miss": Counter(), "extra": Counter()}
        if causes:
            lines.append(f"  {d.doc}")
        for c in sorted(causes, key=lambda c: (c.kind, c.cause)):
            counts[c.kind][c.cause] += 1
            hint = ""
            if c.other is not None:
                hint = f"  [{'predicted' if c.kind == 'miss' else 'gold'}: {c.other.get('host')} | {c.other.get('metric')} | {c.other.get('value')!r}]"
            lines.append(f"    {c.kind:<5} {c.cause:<14} {_record_line(c.record)}{hint}")
        per_doc.append((d.doc, counts["miss"], counts["extra"]))
        for kind in totals:
            totals[kind].update(counts[kind])
    width = max([len("document"), *(len(doc) for doc, _, _ in per_doc)])
    head = f"{'document':<{width}}  " + " ".join(f"{c[:9]:>9}" for c in MISS_CAUSES) + " |" + " ".join(
        f"{c[:9]:>9}" for c in EXTRA_CAUSES)
    summary = ["causes of misses (left) and extras (right):", head, "-" * len(head)]
    for doc, misses, extras in per_doc + [("all documents", totals["miss"], totals["extra"])]:
        summary.append(f"{doc:<{width}}  " + " ".join(f"{misses[c]:>9}" for c in MISS_CAUSES) + " |" + " ".join(
            f"{extras[c]:>9}" for c in EXTRA_CAUSES))
    return "\n".join(["explained misses and extras:", *lines, "", *summary])
