"""extractor.evaluate: matching as ../shared/spec/records.md describes it, on hand-made records."""

from __future__ import annotations

import json

import pytest

from extractor.evaluate import (
    EvaluationError,
    cathodes_match,
    evaluate,
    evaluate_dirs,
    host_key,
    load_gold,
    values_match,
)

DOC = "paper.txt"

HOSTS = [
    {"name": "Mo2N@HCN", "aliases": ["Li@Mo2N@HCN", "Mo₂N@HCN"], "kind": "host", "components": []},
    {"name": "bare Cu", "aliases": ["Cu foil", "Li-Cu"], "kind": "control", "components": []},
]


def perf(host="Mo2N@HCN", metric="coulombic_efficiency", value=99.5, **conditions) -> dict:
    record = {"host": host, "metric": metric, "value": value, "qualifier": "eq", "evidence": f"{host} {value}"}
    for name in ("cell_type", "current_density", "areal_capacity", "c_rate", "cycles", "cathode"):
        record[name] = conditions.get(name)
    return record


def doc(performance=(), hosts=HOSTS, synthesis=()) -> dict:
    return {"doc": DOC, "hosts": list(hosts), "synthesis": list(synthesis), "performance": list(performance)}


def score(pred_performance, gold_performance, **gold_kwargs):
    report = evaluate({DOC: doc(pred_performance)}, {DOC: doc(gold_performance, **gold_kwargs)})
    return report, report.document(DOC)


# ---------------------------------------------------------------- host_key


@pytest.mark.parametrize(
    "written, key",
    [
        ("Mo2N", "mo2n"),
        ("Mo₂N", "mo2n"),
        ("Mo_2N", "mo2n"),
        ("Mo$_{2}$N", "mo2n"),
        ("$\\text{Mo}_2\\text{N}$", "mo2n"),
        ("Li@Mo2N", "mo2n"),
        ("Li-Mo2N", "mo2n"),
        ("Li–Mo2N", "mo2n"),  # en dash
        ("Li−Mo2N", "mo2n"),  # minus sign
        ("Li/Mo2N", "mo2n"),
        ("Mo2N/Li", "mo2n"),
        ("Mo2N-Li", "mo2n"),
        ("Li− Ag@ Cu", "ag@cu"),
        ("N-doped  hollow\u00a0Carbon", "n-dopedhollowcarbon"),
        ("Li", "li"),  # never stripped to nothing
        ("Li6PS5Cl", "li6ps5cl"),  # a formula starting with Li keeps it
    ],
)
def test_host_key_normalizes_as_the_spec_says(written, key):
    assert host_key(written) == key


# ---------------------------------------------------------------- performance matching


def test_exact_match_scores_one():
    report, result = score([perf()], [perf()])
    assert (result.tp, result.n_pred, result.n_gold) == (1, 1, 1)
    assert report.precision == report.recall == report.f1 == 1.0


def test_value_within_half_a_percent_matches_and_beyond_does_not():
    assert values_match(100.4, 100)
    assert values_match(99.6, 100)
    assert not values_match(100.6, 100)
    assert not values_match(99.4, 100)
    _, near = score([perf(value=200 * 1.004)], [perf(value=200)])
    _, far = score([perf(value=200 * 1.006)], [perf(value=200)])
    assert near.tp == 1
    assert far.tp == 0 and len(far.misses) == 1 and len(far.extras) == 1


def test_gold_value_zero_uses_an_absolute_tolerance():
    assert values_match(0.0, 0)
    assert not values_match(0.001, 0)


def test_metric_must_be_equal():
    _, result = score([perf(metric="capacity_retention")], [perf(metric="coulombic_efficiency")])
    assert result.tp == 0


@pytest.mark.parametrize("predicted_host", ["Mo2N@HCN", "Li@Mo2N@HCN", "Mo2N@HCN/Li", "Mo₂N@HCN", "Mo_2N@HCN", "mo2n@hcn"])
def test_predicted_host_matches_name_or_alias(predicted_host):
    _, result = score([perf(host=predicted_host)], [perf()])
    assert result.tp == 1


def test_gold_record_naming_its_host_by_alias_still_matches():
    _, result = score([perf(host="bare Cu", value=40)], [perf(host="Li-Cu", value=40)])
    assert result.tp == 1


def test_other_host_does_not_match():
    _, result = score([perf(host="bare Cu")], [perf()])
    assert result.tp == 0


def test_each_gold_record_matches_at_most_once():
    report, result = score([perf(), perf()], [perf()])
    assert (result.tp, len(result.extras), len(result.misses)) == (1, 1, 0)
    assert report.precision == 0.5 and report.recall == 1.0


def test_matching_maximizes_the_number_of_pairs():
    # 100.1 is closest to gold 100.0 (0.1 %) but also the only prediction within 0.5 % of
    # gold 100.45; greedy-by-closeness would pair 100.1-100.0 and leave 99.6 and 100.45 alone.
    gold = [perf(value=100.0), perf(value=100.45)]
    pred = [perf(value=100.1), perf(value=99.6)]
    _, result = score(pred, gold)
    assert result.tp == 2


def test_matching_prefers_the_pairing_whose_conditions_agree():
    gold = [perf(value=99.0, cycles=100), perf(value=99.0, cycles=500)]
    pred = [perf(value=99.0, cycles=500), perf(value=99.0, cycles=100)]
    report, _ = score(pred, gold)
    assert report.conditions == 1.0


# ---------------------------------------------------------------- conditions


def test_conditions_count_only_fields_the_gold_fills():
    gold = [perf(cell_type="half", current_density=1, cycles=500)]
    pred = [perf(cell_type="half", current_density=1.004, cycles=400, areal_capacity=3, c_rate=0.5)]
    report, result = score(pred, gold)
    counts = result.condition_counts()
    assert counts["cell_type"] == (1, 1)
    assert counts["current_density"] == (1, 1)
    assert counts["cycles"] == (0, 1)
    assert counts["areal_capacity"] == (0, 0)  # gold null: not scored, whatever was predicted
    assert counts["c_rate"] == (0, 0)
    assert report.conditions == pytest.approx(2 / 3)


def test_missing_predicted_condition_is_wrong():
    report, _ = score([perf()], [perf(cell_type="full")])
    assert report.condition_counts()["cell_type"] == (0, 1)


@pytest.mark.parametrize(
    "predicted, gold",
    [
        ("LFP", "LiFePO4"),
        ("lifepo4", "LiFePO4"),
        ("NCM811", "LiNi0.8Co0.1Mn0.1O2"),
        ("NMC811", "LiNi0.8Co0.1Mn0.1O2"),
        ("NCM-811", "LiNi0.8Co0.1Mn0.1O2"),
        ("LiNi0.8Mn0.1Co0.1O2", "LiNi0.8Co0.1Mn0.1O2"),  # other element order
        ("LiNi₀.₈Co₀.₁Mn₀.₁O₂", "LiNi0.8Co0.1Mn0.1O2"),
        ("NCM 523", "LiNi0.5Co0.2Mn0.3O2"),
        ("NCM622", "LiNi0.6Co0.2Mn0.2O2"),
        ("LCO", "LiCoO2"),
        ("LMO", "LiMn2O4"),
    ],
)
def test_cathode_short_names_and_formulas_are_equal(predicted, gold):
    assert cathodes_match(predicted, gold)


@pytest.mark.parametrize("predicted, gold", [("LFP", "LiCoO2"), ("NCM811", "LiNi0.6Co0.2Mn0.2O2"), ("S", "LiFePO4")])
def test_different_cathodes_differ(predicted, gold):
    assert not cathodes_match(predicted, gold)


def test_cathode_condition_uses_normalization():
    report, _ = score([perf(cathode="NCM811")], [perf(cathode="LiNi0.8Co0.1Mn0.1O2")])
    assert report.condition_counts()["cathode"] == (1, 1)


# ---------------------------------------------------------------- hosts and synthesis


def test_host_recall_counts_every_gold_host_found_by_name_or_alias():
    pred = {DOC: {"doc": DOC, "hosts": [{"name": "Li@Mo₂N@HCN", "aliases": []}, {"name": "NiO", "aliases": []}]}}
    report = evaluate(pred, {DOC: doc()})
    assert report.host_recall == 0.5  # NiO is not counted against it; bare Cu is missed
    assert report.document(DOC).hosts_missed == ["bare Cu"]

    pred[DOC]["hosts"].append({"name": "copper", "aliases": ["Cu foil"]})
    assert evaluate(pred, {DOC: doc()}).host_recall == 1.0


def route(host, *methods) -> dict:
    return {"host": host, "steps": [{"method": m, "precursors": []} for m in methods]}


def test_synthesis_f1_compares_multisets_of_methods_per_host():
    gold = doc(synthesis=[route("Mo2N@HCN", "templating", "carbonization", "nitridation", "coating", "coating")])
    pred = doc(synthesis=[route("Li@Mo₂N@HCN", "carbonization", "coating", "annealing")])
    result = evaluate({DOC: pred}, {DOC: gold}).document(DOC)
    # TP: carbonization, one coating; FP: annealing; FN: templating, nitridation, one coating.
    assert (result.synthesis_tp, result.synthesis_pred, result.synthesis_gold) == (2, 3, 5)
    assert result.synthesis_f1 == pytest.approx(2 * 2 / (3 + 5))


def test_synthesis_steps_of_another_host_do_not_count():
    gold = doc(synthesis=[route("Mo2N@HCN", "carbonization")])
    pred = doc(synthesis=[route("bare Cu", "carbonization")])
    result = evaluate({DOC: pred}, {DOC: gold}).document(DOC)
    assert result.synthesis_tp == 0 and result.synthesis_f1 == 0.0


# ---------------------------------------------------------------- whole reports


def test_empty_predictions_give_zero_recall_without_crashing():
    gold = {DOC: doc([perf(), perf(value=50)], synthesis=[route("Mo2N@HCN", "coating")])}
    for pred in ({}, {DOC: {"doc": DOC}}, {DOC: doc([], hosts=[])}):
        report = evaluate(pred, gold)
        assert report.recall == 0.0 and report.f1 == 0.0
        assert report.precision is None  # nothing predicted: undefined, printed as "-"
        assert report.host_recall == 0.0 and report.synthesis_f1 == 0.0
        text = report.format(verbose=True)
        assert "overall" in text and "recall 0.00" in text
    assert "(no prediction)" in evaluate({}, gold).format()


def test_predictions_for_documents_without_gold_are_listed_not_scored():
    report = evaluate({DOC: doc([perf()]), "other.txt": doc([perf()])}, {DOC: doc([perf()])})
    assert report.n_pred == 1 and report.unevaluated == ["other.txt"]


def test_prediction_found_by_its_doc_field_when_keyed_by_path():
    report = evaluate({"/corpus/" + DOC: doc([perf()])}, {DOC: doc([perf()])})
    assert report.tp == 1 and report.unevaluated == []


def test_format_lists_misses_and_extras_by_document():
    report, _ = score([perf(value=12.0, metric="overpotential")], [perf(value=99.25)])
    text = report.format(verbose=True)
    overall = next(line for line in text.splitlines() if line.startswith("overall"))
    for word in ("overall", "precision", "recall", "f1"):
        assert word in overall
    misses, extras = text.index("misses"), text.index("extras")
    assert "99.25" in text[misses:extras] and "12.0" in text[extras:]
    assert DOC in text[misses:extras]
    assert "misses" not in report.format(verbose=False)
    json.dumps(report.to_dict())  # plain data


# ---------------------------------------------------------------- gold files


def test_load_gold_rejects_files_without_doc(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps({"hosts": []}))
    with pytest.raises(EvaluationError, match="a.json"):
        load_gold(tmp_path)


def test_load_gold_rejects_a_missing_directory(tmp_path):
    with pytest.raises(EvaluationError, match="not found"):
        load_gold(tmp_path / "nowhere")


@pytest.mark.shared
def test_gold_against_itself_is_perfect(shared_dir):
    gold = load_gold(shared_dir / "gold")
    assert gold, "no gold files"
    report = evaluate_dirs(gold, shared_dir / "gold")
    assert report.unevaluated == []
    assert (report.precision, report.recall, report.f1) == (1.0, 1.0, 1.0)
    assert report.conditions == 1.0
    assert report.host_recall == 1.0
    assert report.synthesis_f1 == 1.0
    for result in report.documents:
        assert result.f1 == 1.0 and not result.misses and not result.extras, result.doc


@pytest.mark.shared
def test_gold_hosts_have_no_colliding_keys(shared_dir):
    """A key shared by two hosts of one document would make matching ambiguous."""
    for doc_name, record in load_gold(shared_dir / "gold").items():
        owner: dict[str, str] = {}
        for host in record["hosts"]:
            for name in [host["name"], *host.get("aliases", [])]:
                key = host_key(name)
                assert owner.setdefault(key, host["name"]) == host["name"], (doc_name, name)


# ---------------------------------------------------------------- causes (eval --explain)


def _causes(pred_performance, gold_performance, pred_hosts=HOSTS, text=None):
    from extractor.evaluate import explain

    report = evaluate({DOC: doc(pred_performance, hosts=pred_hosts)}, {DOC: doc(gold_performance)})
    return {(c.kind, c.cause) for c in explain(report.document(DOC), text)}


def test_explain_host_not_found_when_the_gold_host_is_never_predicted():
    only_design = [HOSTS[0]]
    causes = _causes([], [perf(host="bare Cu", metric="overpotential", value=85)], pred_hosts=only_design)
    assert causes == {("miss", "host_not_found")}


def test_explain_wrong_host_on_both_sides():
    causes = _causes([perf(host="bare Cu", value=99.5)], [perf(value=99.5)])
    assert causes == {("miss", "wrong_host"), ("extra", "wrong_host")}


def test_explain_wrong_metric_on_both_sides():
    causes = _causes([perf(metric="capacity_retention", value=92)], [perf(metric="coulombic_efficiency", value=92)])
    assert causes == {("miss", "wrong_metric"), ("extra", "wrong_metric")}


def test_explain_value_when_the_same_sentence_gives_another_number():
    gold = perf(metric="overpotential", value=20)
    pred = perf(metric="overpotential", value=25)
    gold["evidence"] = pred["evidence"] = "the overpotential is 20 mV at 1 mA cm-2 and 25 mV at 2 mA cm-2"
    assert _causes([pred], [gold]) == {("miss", "value"), ("extra", "value")}


def test_explain_not_read_versus_not_extracted_from_the_document_text():
    gold = [perf(metric="cycling_time", value=1200)]
    assert _causes([], gold, text="stable for over 1200 h") == {("miss", "not_extracted")}
    assert _causes([], gold, text="stable for over 12 00 h") == {("miss", "not_read")}


def test_explain_duplicate_and_not_a_figure_extras():
    causes = _causes([perf(value=99.5), perf(value=99.5), perf(value=42.0, metric="energy_density")], [perf(value=99.5)])
    assert causes == {("extra", "duplicate"), ("extra", "not_a_figure")}


def test_cli_eval_explain_and_docs(tmp_path, repo_dir):
    from click.testing import CliRunner

    from extractor.build import build
    from extractor.cli import cli

    paper = sorted((repo_dir / "corpus").glob("*.txt"))[0]
    db = tmp_path / "kb.db"
    build([paper], db, progress=False)
    gold = repo_dir / "corpus" / "gold"
    everything = CliRunner().invoke(cli, ["eval", "--db", str(db), "--gold", str(gold), "--brief"])
    built = CliRunner().invoke(cli, ["eval", "--db", str(db), "--gold", str(gold), "--docs", "--explain"])
    assert everything.exit_code == 0 and built.exit_code == 0, built.output
    assert "(no prediction)" in everything.output  # the other demo papers count as all misses
    assert "(no prediction)" not in built.output  # --docs: only the built one is scored
    assert "causes of misses (left) and extras (right):" in built.output
    assert "all documents" in built.output
