"""The spaCy pipeline: a blank English pipeline with hostkb's own components."""

from extractor.nlp import PIPES, make_nlp, nlp


def test_pipeline_is_blank_english_with_hostkb_components():
    pipeline = nlp()
    assert pipeline.lang == "en"
    assert tuple(pipeline.pipe_names) == PIPES
    assert pipeline.meta["name"] == "pipeline"  # spacy.blank, no trained model


def test_quantities_component_sets_extension_and_spans():
    doc = nlp()("The Li@NPCC electrode keeps 98.7% over 400 cycles at 0.5 mA cm-2.")
    assert [(q.value, q.unit) for q in doc._.quantities] == [(98.7, "%"), (400.0, "cycles"), (0.5, "mA/cm2")]
    labels = [(span.text, span.label_) for span in doc.spans["quantities"]]
    assert ("0.5 mA cm-2", "current_density") in labels


def test_materials_component_finds_abbreviations_formulas_and_cathodes():
    doc = nlp()("Nitrogen-doped porous carbon cages (NPCCs) paired with LiFePO4 and Mo2N were tested.")
    assert [(a.short, a.long) for a in doc._.abbreviations] == [("NPCCs", "Nitrogen-doped porous carbon cages")]
    spans = {(span.text, span.label_) for span in doc.spans["materials"]}
    assert ("LiFePO4", "CATHODE") in spans
    assert ("Mo2N", "MATERIAL") in spans


def test_components_can_be_used_alone():
    only_quantities = make_nlp(("hostkb_quantities",))
    doc = only_quantities("It reached 402 Wh kg-1.")
    assert doc._.quantities[0].value == 402.0
    assert "materials" not in doc.spans
