"""Relate quantities, materials and cues into records: hosts, figures of merit with
their test conditions, synthesis routes and properties.

``extract(seg)`` is the one entry point: a pure function of a segmented document.
One module per concern: ``sections`` (where a paper reports its results),
``hosts`` (the host table, mentions, generic references), ``metrics`` (which figure
a number is), ``conditions`` (what test it was measured in) and ``attribution``
(which host each figure of a sentence belongs to); this module runs them in order.
The rules read sentence text that the normalizer has already put into one spelling
(``mA cm-2``, ``Li2CO3``, ``°C``) and quantities from ``quantities.parse_quantities``.
Each figure keeps the sentence it came from and the span of its number.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .. import materials as mat
from ..deadline import checked
from ..types import CellTest, Extraction, Measurement, SegmentedDocument
from ..vocab import vocabulary
from .annotate import annotate, host_mentions
from .annotate import cues as sentence_cues
from .attribution import Figure, _dedupe, _first_failure_time, _sentence_figures
from .conditions import (
    _CELL_DEFAULT,
    _caption_conditions,
    _caption_panels,
    _conditions_from_quantities,
    _drop_conditions_of_another_cell,
    _share_conditions_of_one_test,
    document_context,
)
from .hosts import (
    GENERIC_REFERENCE,
    MAIN,
    _composition_family,
    _display_name,
    _hosts,
    _singular,
    build_host_table,
)
from .metrics import _is_cathode_loading, _split_evolutions
from .tables import table_figures
from .sections import RESULT_SECTIONS, _results_read_as_introduction, is_review


TABLE_ROLES = ("table_header", "table_row")


def _table_figures(seg: SegmentedDocument, sentences: list, table, review: bool) -> list:
    """Figures of every table of the document (:mod:`.tables`), each with the conditions
    its caption states. A row of "this work" is the design's (resolved with the others)."""
    by_passage: dict[int, list] = {}
    for s in sentences:
        if s.role in TABLE_ROLES and s.section != "references":
            by_passage.setdefault(s.passage, []).append(s)
    out = []
    for passage, rows in by_passage.items():
        if rows[0].role != "table_header" or len(rows) < 2:
            continue
        before = seg.passages[passage - 1] if passage > 0 else None
        caption = before.text if before is not None and before.role == "caption" and re.match(
            r"\s*(?:Table|TABLE)\s*S?\d+", before.text) else None
        out.extend(table_figures(rows, table, table.defined_cues, caption, None if review else MAIN))
    return out


# "the Ni3S2 layer", "the CoN/VN interface": a part of a design, named by what it is in it
_PART_NOUN = re.compile(r"\s+(?:layers?|coatings?|films?|skins?|shells?|interfaces?|interphases?|nanosheets?|"
                        r"nanoparticles?|particles?|seeds?|nanocrystals?|sites?|phases?|domains?|skeletons?|"
                        r"frameworks?|scaffolds?|backbones?)\b", re.I)


def _whole_design(f, table, main: str | None = None) -> str:
    """The design a figure belongs to when its sentence names a part of it: a figure of
    "the X layer" where X is a component of one other (non-control) entry, or of several
    of which one is the paper's design."""
    entry = table.entries.get(f.host)
    if entry is None or entry.kind == "control":
        return f.host
    name = entry.name
    wholes = [k for k, e in table.entries.items() if k != f.host and e.kind != "control"
              and (name in mat.split_components(e.name) or e.name.startswith(name + "@"))]
    if len(wholes) > 1 and main in wholes:
        wholes = [main]
    if len(wholes) != 1:
        return f.host
    text = f.sentence.text
    for key, start, end in table.mentions(text):
        if key == f.host and end <= f.q.start and _PART_NOUN.match(text, end):
            return wholes[0]
    return f.host


def extract(seg: SegmentedDocument, nlp=None) -> Extraction:
    """All records of one document. Sentences go through the spaCy pipeline
    (``nlp.nlp()``: quantities and materials components); the rules here relate what
    the components found."""
    from ..nlp import nlp as shared_nlp

    sentences = _results_read_as_introduction([s for s in seg.sentences if s.role != "heading"])
    review = is_review(seg)
    # checked: the document's time limit, per sentence
    docs = {s.index: doc for s, doc in zip(sentences, (nlp or shared_nlp()).pipe(checked(s.text for s in sentences)))}
    quantities = {i: list(doc._.quantities) for i, doc in docs.items()}
    # designs are found in the prose; a table row names one of them or another work's (relate.tables)
    table, abbreviations = build_host_table([s for s in sentences if s.role not in TABLE_ROLES],
                                            {i: doc._.abbreviations for i, doc in docs.items()}, review)
    for s in sentences:
        annotate(docs[s.index], table, s.text)  # host mentions, references, metric cues and conditions as spans
    ctx = document_context(sentences, quantities)
    captions = _caption_panels(seg)

    figures: list[Figure] = []
    passage_ctx: dict = {}
    stated_for: dict = {}
    compared_metrics: dict = {}
    last_passage = None
    carried: str | None = None
    last_cathode: str | None = None
    previous_list: list[str] | None = None
    topic: str | None = None
    for s in checked(sentences):
        if s.passage != last_passage:
            passage_ctx, last_passage, carried, previous_list, topic = {}, s.passage, None, None, None
            stated_for = {}  # condition -> the cell type named where it was stated
            compared_metrics = {}  # dimension -> metric of the last sentence with figures
        if (s.section not in RESULT_SECTIONS and s.role != "caption") or s.role in TABLE_ROLES:
            continue  # tables are read whole, below
        qs = _split_evolutions(s.text, [q for q in quantities[s.index] if not _is_cathode_loading(s.text, q)])
        mentions = host_mentions(docs[s.index])
        if review and mentions and mentions[0][0] != carried and table.entries[mentions[0][0]].kind != "control":
            passage_ctx, stated_for = {}, {}  # a review's next work: its own conditions
        cues = sentence_cues(docs[s.index], table.defined_cues)
        figs = _sentence_figures(s, qs, table, carried, previous_list, topic, review, compared_metrics,
                                 mentions, cues) if qs else []
        figure_ids = {id(f.q) for f in figs if f.metric != "max_current_density"}
        stated = _conditions_from_quantities(s.text, [q for q in qs if id(q) not in figure_ids], s.section, cues)
        compared_metrics = {f.q.dimension: f.metric for f in figs} or compared_metrics
        if any(f.metric == "capacity_retention" for f in figs):
            compared_metrics["kept percent"] = "capacity_retention"  # "... retains 92%, with a CE of 99.8%"
        for f in figs:
            if f.q.dimension == "percent":
                topic = f.metric
        for f in figs:
            if f.host is not None and f.host == carried and not any(m[0] == carried for m in mentions):
                f.tentative = True
        caption_conds = _caption_conditions(s.text, captions)
        for f in figs:
            conds = {}
            for source in (passage_ctx, caption_conds, stated, f.conditions):
                conds.update({k: v for k, v in source.items() if v is not None})
            if "cell_type" not in stated and stated.get("cathode"):
                conds["cell_type"] = "full"
            elif "cell_type" not in stated and cues.metric("coulombic_efficiency") and not stated.get("cathode") and conds.get("cell_type") not in ("full", "pouch"):
                conds["cell_type"] = "half"
            _drop_conditions_of_another_cell(conds, stated_for, (caption_conds, stated, f.conditions))
            if last_cathode and "cathode" not in conds:
                conds["_doc_cathode"] = last_cathode
            f.conditions = conds
        figures.extend(figs)
        if stated.get("cathode"):
            last_cathode = stated["cathode"]
        passage_ctx.update(stated)
        for name in stated:
            stated_for[name] = stated.get("cell_type")
        if mentions:
            # "X was made by coating tin onto a copper foam. The alloy layer ...": the design
            # named goes on, not the substrate it was made on
            designs = [m for m in mentions if table.entries[m[0]].kind != "control"]
            carried = (designs or mentions)[-1][0]
        generic = [g for g in GENERIC_REFERENCE.finditer(s.text) if not mentions or g.start() >= mentions[-1][2]]
        if generic and not review:
            carried = MAIN
        families = mat.find_family_lists(s.text)
        if families:
            previous_list = [_singular(mat.key(f)) for f in families[-1]]
        elif len({m[0] for m in mentions}) >= 2:
            previous_list = list(dict.fromkeys(m[0] for m in mentions))

    figures.extend(_table_figures(seg, sentences, table, review))

    # which candidate is the proposed host: the one credited with the most figures
    credit = Counter(f.host for f in figures if f.host in table.entries and table.entries[f.host].kind == "host")
    main = max(credit, key=lambda k: credit[k] + 0.25 * table.entries[k].score) if credit else None
    if main is not None:
        # "In2O3/CuNW" is built on "CuNW": the composite with figures is the design, its
        # component the control or starting point
        built_on = [k for k in credit if k != main and main in re.split(r"[@/]", k)]
        if built_on:
            main = max(built_on, key=lambda k: credit[k] + 0.25 * table.entries[k].score)
    if main is None:
        hosts_by_score = sorted((e.score, k) for k, e in table.entries.items() if e.kind == "host")
        main = hosts_by_score[-1][1] if hosts_by_score else None
    for f in figures:  # a design carried over from an earlier sentence must be the host or a control
        if (f.tentative and not review and f.host in table.entries and f.host != main
                and table.entries[f.host].kind != "control"):  # a review has no design of its own to fall back on
            f.host = main
    controls = sorted((e.score, k) for k, e in table.entries.items() if e.kind == "control")
    expanded = []
    for f in figures:
        if f.host == "*both*":
            for k in filter(None, (main, controls[-1][1] if controls else None)):
                expanded.append(replace(f, host=k, conditions=dict(f.conditions)))
        elif f.host == "*control*":  # the value a design changed "from": its control's
            if controls:
                expanded.append(replace(f, host=controls[-1][1]))
        else:
            expanded.append(f)
    figures = expanded
    for f in figures:
        if f.host is None or f.host == MAIN:
            f.host = None if review else main  # a review's figure needs a design it names
        else:
            f.host = _whole_design(f, table, main)
    figures = [f for f in figures if f.host is not None]
    # a table that repeats the text's figures adds nothing (its caption's conditions may
    # be coarser than the sentence's)
    in_text = {(f.host, f.metric, round(f.q.value, 6)) for f in figures if f.sentence.role not in TABLE_ROLES}
    figures = [f for f in figures if f.sentence.role not in TABLE_ROLES or (f.host, f.metric, round(f.q.value, 6)) not in in_text]
    figures = _first_failure_time(_dedupe(figures))
    _share_conditions_of_one_test(figures)

    measurements = []
    names = {k: _display_name(e) for k, e in table.entries.items()}
    for f in figures:
        c = dict(f.conditions)
        ct = c.get("cell_type")
        if ct is None:
            if c.get("cathode") or c.get("c_rate"):
                ct = "full"
            else:
                ct = _CELL_DEFAULT.get(f.metric)
        if ct in ("full", "pouch") and not c.get("cathode"):
            c["cathode"] = c.get("_doc_cathode") or (next(iter(ctx.cathodes)) if len(ctx.cathodes) == 1 else None)
        if ct in ("half", "symmetric"):
            c.pop("cathode", None)
            c.pop("c_rate", None)
        value = abs(f.q.value) if f.metric in ("overpotential", "nucleation_overpotential") else f.q.value
        metric = vocabulary().metric(f.metric)
        if not metric.is_plausible(value):
            continue  # "CE > 100%", "an overpotential of 3 V": not a figure of merit
        conditions = CellTest(
            cell_type=ct,
            current_density=c.get("current_density"),
            areal_capacity=(c.get("areal_capacity") or ctx.plated_capacity(ct)) if f.metric != "areal_capacity" else None,
            c_rate=c.get("c_rate"),
            cycles=c.get("cycles") if f.metric != "cycle_count" else None,
            cathode=c.get("cathode"),
            electrolyte=ctx.electrolyte,
            temperature=c.get("temperature", ctx.temperature),
        )
        measurements.append(Measurement(
            host=names[f.host], metric=f.metric, value=value, unit=metric.unit, qualifier=f.q.qualifier,
            conditions=conditions, raw=f.q.raw, sentence=f.sentence.index, start=f.q.start, end=f.q.end,
            evidence=f.sentence.evidence,
        ))

    hosts = _hosts(table, figures, main, names, abbreviations, "\n".join(s.text for s in sentences))
    if review:  # a review proposes no design: what it reports figures for is other works'
        hosts = [replace(h, kind="cited") if h.kind in ("host", "variant") else h for h in hosts]
    hosts.extend(_composition_family(sentences, main and names[main], {h.name for h in hosts}))
    from ..properties import extract_properties
    from ..synthesis import extract_synthesis

    synthesis = extract_synthesis(sentences, hosts, seg.passages)
    properties = extract_properties(sentences, hosts, table, quantities)
    return Extraction(hosts=tuple(hosts), synthesis=tuple(synthesis), measurements=tuple(measurements),
                      properties=tuple(properties))
