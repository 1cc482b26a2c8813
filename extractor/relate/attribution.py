"""Which host each figure of a sentence belongs to: lists and "respectively", contrast
clauses, coordinated subjects, generic references, and one record per stated figure."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..segment import clause_bounds
from ..types import (
    Quantity,
    Sentence,
)
from ..vocab import vocabulary
from .conditions import (
    _CONDITION_OF,
    _FIRST_CYCLE,
    _FIRST_CYCLE_AFTER,
    _condition_sweeps,
    _nearest,
    condition_scope,
)
from .hosts import GENERIC_REFERENCE, MAIN, HostTable
from .cues import Cues
from .metrics import _KEEP_VERB, classify, is_setting

_BOTH = re.compile(r"\b(?:both|all (?:the )?(?:two|three)) (?:electrodes|cells|samples|anodes|substrates)\b", re.I)


# between a cycling time and the voltage it was held at: "1000 h (24 mV)", "600 h at 28 mV",
# "650 h with a hysteresis of 14 mV" is read by the cue instead
_AT_VOLTAGE = re.compile(r"\s*(?:\(|at|with)\s*(?:~|≈|about\s+|only\s+)?")
_LISTABLE = ("voltage", "resistance", "current_density", "molar_energy", "time")


_COMPARED = re.compile(r"compared (?:with|to)|\bagainst\b|\bversus\b|\bvs\.?|\bthan\b|\bwhile\b|\bwhereas\b|"
                       r"\b(?:times|twice|thrice|half)\s+(?:that|those)\s+of\b", re.I)  # "3.7 times that of X (0.38 ...)"


_THAN = re.compile(
    r"\bthan\s+(?:that of\s+|those of\s+|the one with\s+|the ones with\s+|those with\s+)?(?:the\s+)?"
    r"(?:(?:\w+\s+)?(?:cells?|batter(?:y|ies)|electrodes?)\s+(?:with|using|containing|based on)\s+(?:the\s+|an?\s+)?)?$", re.I)


# the value's own condition between it and the host it is given for: "93.0% over 100 cycles for bare Cu"
_OWN_CONDITION = (r"(?:\s*,?\s*(?:over|after|within|during|at|in)\s+(?:the\s+)?(?:first\s+)?\d[\d.,]*\s*"
                  r"(?:cycles|h|hours|mA cm-2|mAh cm-2|C)(?![\w-]),?)?")
_EVEN_AT = re.compile(r"\beven\s+(?:at|under|with)\b[^,;.]*$", re.I)
_THE_VALUES = re.compile(r"\b(?:the|these|both|their)\s+values\b", re.I)  # "the values move to 15.8 and 146.5 Ω"
_COMPARISON_OPENER = re.compile(
    r"\b(?:by|in|for) (?:comparison|contrast|reference)\b|\b(?:similarly|likewise|conversely|meanwhile)\b|\bon the other hand\b|"
    r"\bin between\b|\bintermediate\b", re.I)


_THAN_AFTER = re.compile(r"\bthan\b|\bcompared (?:with|to)\b|\bversus\b|\bvs\b|\bwhereas\b|\bwhile\b", re.I)


_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)


@dataclass
class Figure:
    host: str | None  # entry key
    metric: str
    q: Quantity
    sentence: Sentence
    conditions: dict
    rank: int = 0  # tie-break when deduplicating
    tentative: bool = False  # host carried over from an earlier sentence


_CONTRAST_WORDS = r"while|whereas|but|in contrast|by contrast|however|compared (?:with|to)|than"
_CONTRAST = re.compile(r"[;:]|\b(?:" + _CONTRAST_WORDS + r")\b", re.I)
_LIST_ENDS = re.compile(r"[;:]|\b(?:" + _CONTRAST_WORDS + r"|versus|vs)\b", re.I)  # where a list of hosts stops


def _contrast_clause_start(text: str, pos: int) -> int:
    """Where the clause holding ``pos`` starts when clauses are cut at contrast words and
    semicolons (commas inside a list of hosts do not cut)."""
    return clause_bounds(text, pos, _CONTRAST)[0]


_COORDINATION = re.compile(r"\s*-?\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or|&)\s+)(?:the\s+)?")


# a sentence that goes on about what the last one named: "It fails after 60 h", "Its CE ..."
_CONTINUES = re.compile(r"^\W*(?:it|its|they|their|this (?:cell|electrode|anode|sample|one)|these|the latter|such|"
                        r"the (?:same|corresponding) (?:cell|electrode|anode))\b", re.I)


# "..., this electrode maintains 93%": the one the sentence before was about
_THIS_ONE = re.compile(r"\bthis\s+(?:cell|electrode|anode|sample|collector|substrate)\b", re.I)


def _carried_host(text: str, carried: str | None, table: HostTable, review: bool) -> str | None:
    """The host of a figure whose sentence names none: the one the sentence before named
    when it goes on about it (a pronoun), else the paper's design. Papers name a control
    when they give its figures; an unnamed subject after a control's sentence is the
    paper's design again ("Rate: 11, 16 and 24 mV at 1, 2 and 5 mA cm-2")."""
    if carried is None or carried == MAIN or review or _CONTINUES.search(text) or _THIS_ONE.search(text):
        return carried
    entry = table.entries.get(carried)
    return MAIN if entry is not None and entry.kind == "control" else carried


_DESCRIBED = re.compile(
    r"\b(?:the|its|this|their)\s+([a-z]+(?:\s[a-z]+)?)(?:[-\s](?:coated|modified|decorated|based|doped|loaded|lined|"
    r"containing|treated|protected))?\s+(?:\w+\s+)?(?:pellets?|cells?|anodes?|electrodes?|interlayers?|interfaces?|"
    r"counterparts?|hosts?|layers?|samples?|films?|separators?|frameworks?|collectors?|coatings?|skeletons?)\b", re.I)


def _described_hosts(text: str, table: HostTable) -> list[tuple[str, int]]:
    """Designs a sentence names by their material in words ("the alumina-coated pellet", "its
    silver counterpart"): the one design whose name carries that material's formula."""
    names = vocabulary().material_names
    out = []
    for m in _DESCRIBED.finditer(text):
        formula = names.get(m.group(1).casefold()) or names.get(m.group(1).split()[-1].casefold())
        if not formula:
            continue
        keys = [k for k, e in table.entries.items() if e.kind == "host"
                and formula in re.split(r"[-–@/\s()]", e.name) and e.name != formula]
        if len(keys) == 1:
            out.append((keys[0], m.start()))
    return out


# "A raises the CCD of B cells to 3.2 mA cm-2": the value is what A brought about
_CAUSE_VERB = re.compile(
    r"\s*(?:\w+\s+){0,2}?(?:raise[sd]?|increase[sd]?|improve[sd]?|extend(?:s|ed)?|boost(?:s|ed)?|enhance[sd]?|"
    r"prolong(?:s|ed)?|lift(?:s|ed)?|push(?:es|ed)?|elevate[sd]?|lower(?:s|ed)?|reduce[sd]?|decrease[sd]?|cut)\b", re.I)


def _causing_subject(text: str, prev: list[tuple[str, int, int]], q: Quantity) -> str | None:
    """The host that a causative verb makes the value's agent: its mention stands right before
    the verb, and the value follows ``to`` (``from`` values belong to what was there before)."""
    if not re.search(r"\bto\s+(?:about\s+|only\s+|~\s*|≈\s*)?$", text[max(0, q.start - 20):q.start]):
        return None
    for key, ms, me in reversed(prev):
        if _CAUSE_VERB.match(text, me) and not re.search(r";|\.\s", text[me:q.start]):
            return key if key != prev[-1][0] else None
    return None


def _kept_or(metric: str, text: str, q: Quantity, compared_metrics: dict | None) -> str:
    """A percentage a cell "keeps" after a sentence that gave a retention is a retention too,
    whatever percent metric came last: "X retains 92.4% after 400 cycles, with a CE of
    99.8%. The Cu foam counterpart keeps only 61.2%." """
    if (q.dimension == "percent" and compared_metrics and "kept percent" in compared_metrics
            and _KEEP_VERB.search(text[max(0, q.start - 25):q.start])):
        return compared_metrics["kept percent"]
    return metric


def _coordinated_mentions(text: str, mentions: list[tuple[str, int, int]], keys: list[str]) -> bool:
    """Whether the last mentions of ``keys`` are joined by and/or/commas only ("A and B keep")."""
    last = {}
    for k, ms, me in mentions:
        if k in keys:
            last[k] = (ms, me)
    spans = sorted(last.values())
    return len(spans) == len(keys) and all(
        _COORDINATION.fullmatch(text[a[1]:b[0]]) or re.fullmatch(r"\s*(?:\w+\s+){0,2}(?:and|or)\s+(?:the\s+)?", text[a[1]:b[0]])
        for a, b in zip(spans, spans[1:]))


def _coordinated_subject(text: str, mentions: list[tuple[str, int, int]], q: Quantity) -> list[str]:
    """Hosts that share one value as a coordinated subject: "the cells with the A- and
    B-coated separators are maintained until 150 cycles", "both P and Q fail after 25
    cycles". The mentions must be joined by and/or/commas only, and be the last ones
    before the value in its clause."""
    start = _contrast_clause_start(text, q.start)
    before = [m for m in mentions if start <= m[1] and m[2] <= q.start]
    if len(before) < 2:
        return []
    if not re.search(r"\b(?:and|or)\b|&", text[before[-2][2]:before[-1][1]]):
        return []  # "compared with A, B keeps ...": a comma alone does not coordinate
    chain = [before[-1]]
    for m in reversed(before[:-1]):
        if not _COORDINATION.fullmatch(text[m[2]:chain[0][1]]):
            break
        chain.insert(0, m)
    keys = list(dict.fromkeys(k for k, _, _ in chain))
    return keys if len(keys) > 1 else []


# "the interlayer raises the CCD of PEO cells from 0.5 to 1.6 mA cm-2": what the design changes
_CAUSATIVE = re.compile(r"\b(?:rais|increas|improv|extend|boost|enhanc|elevat|lift|reduc|lower|decreas|cut|suppress|"
                        r"shorten|bring|brought|push|drive|drove)\w*\b", re.I)
_DESIGN_SUBJECT = re.compile(r"\bthe\s+(?:[\w-]+\s+){0,3}(?:interlayers?|layers?|coatings?|skins?|films?|hosts?|scaffolds?|"
                             r"frameworks?|modifications?|treatments?|additives?|design)\b", re.I)


def _before_and_after(text: str, figures: list, mentions: list, table: HostTable, review: bool) -> None:
    """"The interlayer raises the CCD from 0.5 to 1.6 mA cm-2", "the skin lowers the nucleation
    barrier from 47 mV to 6 mV": when a design is the subject of a verb that changes a figure,
    the value it changes "from" is the control's (``*control*``: the paper's main control)
    and the value "to" is the design's."""
    for f in figures:
        q = f.q
        if not re.search(r"\bfrom\s*$", text[max(0, q.start - 8):q.start]):
            continue
        to = re.match(r"\s*(?:[^\s\d]+\s*)?to\s+", text[q.end:])
        partner = next((g for g in figures if to and g.q.start == q.end + to.end() and g.metric == f.metric), None)
        verb = [m for m in _CAUSATIVE.finditer(text, 0, q.start)]
        if partner is None or not verb:
            continue
        v = verb[-1]
        if not re.match(r"\s+(?:the|its|their|a|an)\b", text[v.end():q.start]):
            continue  # "the CE of X increased from 97% to 99%": X's own two values, no object changed
        subject = [m for m in mentions if m[2] <= v.start() and table.entries[m[0]].kind != "control"]
        if subject:
            host = subject[-1][0]
        elif _DESIGN_SUBJECT.search(text[:v.start()]) or GENERIC_REFERENCE.search(text[:v.start()]):
            host = None if review else MAIN
        else:
            continue  # "increasing the current raised the overpotential from 12 to 30 mV": one host's two states
        f.host, partner.host = "*control*", host


def _sentence_figures(s: Sentence, qs: list[Quantity], table: HostTable, carried: str | None,
                      previous_list: list[str] | None = None, topic: str | None = None,
                      review: bool = False, compared_metrics: dict[str, str] | None = None,
                      mentions: list[tuple[str, int, int]] | None = None, cues: Cues | None = None) -> list[Figure]:
    """Figures of merit of one sentence, each with its host (entry key) and the
    conditions the sentence itself states."""
    text = s.text
    # the Doc's host spans and cue words when the pipeline ran (relate.annotate), else found here
    if mentions is None:
        mentions = table.mentions(text)
    if cues is None:
        cues = Cues.of(text)
    metric_of: dict[int, str] = {}
    for q in qs:
        m = classify(q, text, s.section, qs, cues)
        if m:
            metric_of[id(q)] = m
    for q in qs:  # "runs for 650 h (52 mV)": the voltage a cycling time gives in parentheses is its overpotential
        if id(q) not in metric_of and q.dimension == "voltage" and not is_setting(text, q):
            lead = [o for o in qs if metric_of.get(id(o)) == "cycling_time" and o.end <= q.start
                    and _AT_VOLTAGE.fullmatch(text[o.end:q.start])]
            if lead and (re.match(r"\s*\)", text[q.end:]) or not text[lead[-1].end:q.start].strip().startswith("(")):
                metric_of[id(q)] = "overpotential"  # also "lasts 600 h at 28 mV"
    for q in qs:  # "A fails after 95 cycles, B after 170 cycles and C after 230 cycles": the verb left out
        if id(q) in metric_of or q.dimension not in ("cycles", "time") or is_setting(text, q):
            continue
        prior = [o for o in qs if id(o) in metric_of and o.end <= q.start and o.dimension == q.dimension]
        named = [m for m in mentions if prior and prior[-1].end <= m[1] and m[2] <= q.start]
        if prior and named and re.fullmatch(r"[\s,;]*(?:and\s+|while\s+|whereas\s+)?(?:the\s+)?", text[prior[-1].end:named[0][1]]) \
                and re.fullmatch(r"\s*(?:cells?\s+|electrodes?\s+)?(?:after|at|within|in)\s+(?:only\s+|just\s+|about\s+)?",
                                 text[named[-1][2]:q.start]):
            metric_of[id(q)] = metric_of[id(prior[-1])]
    for q in qs:  # "9 mV on A, 27 mV on B and 58 mV on C": later values of a listed metric
        if id(q) in metric_of or q.dimension not in _LISTABLE or is_setting(text, q):
            continue
        prior = [o for o in qs if id(o) in metric_of and o.end <= q.start and o.dimension == q.dimension]
        if prior and re.search(r"\b(?:on|for|of|in)\b", text[q.end:q.end + 12]):
            metric_of[id(q)] = metric_of[id(prior[-1])]
    if topic and not cues.metric("coulombic_efficiency") and not cues.metric("capacity_retention"):
        for q in qs:  # "CM reaches 96.9% over 150 cycles": the paragraph is about one percent metric
            if q.dimension == "percent" and id(q) not in metric_of and not is_setting(text, q):
                metric_of[id(q)] = _kept_or(topic, text, q, compared_metrics)
    for q in qs:  # "8.5 mA cm-2, compared with 3.5 mA cm-2 for ZCP": same metric as the figure compared
        if id(q) in metric_of:
            continue
        prior = [o for o in qs if id(o) in metric_of and o.end <= q.start and o.dimension == q.dimension]
        later = [o for o in qs if id(o) in metric_of and o.start >= q.end and o.dimension == q.dimension]
        if is_setting(text, q):
            continue
        if prior and _COMPARED.search(text[prior[-1].end:q.start]) and q.dimension not in ("cycles",):
            metric_of[id(q)] = metric_of[id(prior[-1])]
        elif later and q.dimension not in ("cycles",) and re.search(r"\bcompared (?:with|to)\b|\bunlike\b|\bversus\b|\bvs\b",
                                                                        text[:q.start], re.I) and re.match(r"\s*\)", text[q.end:]):
            # "Compared with bare Cu (45 mV), the X electrode shows ... (8 mV)": the value in
            # parentheses after the compared host has the metric stated later
            metric_of[id(q)] = metric_of[id(later[0])]
    for q in qs:
        # "Even at 3 mA cm-2 and 3 mAh cm-2, the design retains a CE of 98.6%": a current density
        # reached "even at" is the condition of the figure that follows it, not a record of its own
        if metric_of.get(id(q)) == "max_current_density" and _EVEN_AT.search(text[max(0, q.start - 60):q.start]) \
                and not re.search(r"\b(?:highest|maximum|largest|critical)\b", text[max(0, q.start - 40):q.start], re.I) and any(
                metric_of.get(id(o)) not in (None, "max_current_density") and o.start > q.end for o in qs):
            del metric_of[id(q)]
    subject_first = bool(mentions) and mentions[0][1] <= 4 and len(text) < 120
    if compared_metrics and (_COMPARISON_OPENER.search(text) or subject_first or _THE_VALUES.search(text)):
        # also "Bare NF needs 42 mV.": a short sentence that opens with another host goes on comparing
        # "Bare Li, by comparison, shows 24, 41 and 70 mV": the metric of the sentence before
        classified = {o.dimension for o in qs if id(o) in metric_of}
        for q in qs:
            d = q.dimension
            carries = d not in _CONDITION_OF or compared_metrics.get(d) == "max_current_density"
            if (id(q) not in metric_of and d in compared_metrics and carries and d not in classified
                    and not is_setting(text, q)):
                metric_of[id(q)] = _kept_or(compared_metrics[d], text, q, compared_metrics)
    if not metric_of:
        return []
    used_as_metric = {i for i in metric_of}
    figures = []
    metric_qs = [q for q in qs if id(q) in metric_of]
    # lists of values of one metric, in order (for "respectively" and "A vs B")
    groups: list[list[Quantity]] = []
    for q in metric_qs:
        if groups and metric_of[id(groups[-1][-1])] == metric_of[id(q)] and re.fullmatch(
            r"(?:\s*\([^()]{1,30}\))?[\s,]*(?:and|or|vs\.?|versus|to|,)?[\s,]*(?:and\s+)?",  # "61.5% (300 cycles) and 45.0%"
            text[groups[-1][-1].end:q.start]
        ):
            groups[-1].append(q)
        else:
            groups.append([q])
    respectively = bool(_RESPECTIVELY.search(text))
    host_mentions = [m for m in mentions]
    # c-rate lists zipped with value lists ("... at 0.5, 1, 2 C, respectively")
    crates = [q for q in qs if q.dimension == "c_rate"]
    sweeps = _condition_sweeps(qs, metric_of, text)
    generic_refs = list(GENERIC_REFERENCE.finditer(text))
    described = _described_hosts(text, table)
    for gi, group in enumerate(groups):
        hosts_for: list[str | None] = [None] * len(group)
        # a host named right after the value: "146 h for the cell without additives"
        for i, q in enumerate(group):
            follow = text[q.end:q.end + 60]
            fm = re.match(r"\s*\)?" + _OWN_CONDITION + r"\s*(?:for|of|with|in|on)\s+(?:the\s+)?(?:cells?\s+|Li[–-]Li\s+(?:symmetric\s+)?cells?\s+)?(?:with\s+|using\s+)?"
                          r"|\s*\(\s*(?=[^()]{1,40}\))", follow)  # "9.6 Ω (Li@X) vs 41.3 Ω (Li foil)"
            if fm:
                for key_, ms, me in host_mentions:
                    if ms == q.end + fm.end():
                        hosts_for[i] = key_
        # a host named right before a value in parentheses: "than that of bare Cu (85 mV) and Cu foam (60 mV)"
        for i, q in enumerate(group):
            if hosts_for[i] is None:
                for key_, ms, me in host_mentions:
                    if me <= q.start and re.fullmatch(r"\s*(?:electrodes?|anodes?|cells?|hosts?)?\s*\(\s*(?:~|≈|about\s+)?",
                                                      text[me:q.start]):
                        hosts_for[i] = key_
        if len(group) > 1 and not any(hosts_for[:-1]):
            # "8, 31 and 87 mV for A, B and C, respectively": the hosts listed after the values;
            # without "respectively" when no host comes before them ("29, 9 and 22 mV were
            # recorded for A, B and C")
            after = [m for m in host_mentions if m[1] >= group[-1].end]
            stop = _LIST_ENDS.search(text, group[-1].end)  # "..., versus 38.7 Ω for CC": another statement
            after = [m for m in after if stop is None or m[1] < stop.start()] or after
            listed = list(dict.fromkeys(k for k, _, _ in after))
            leads = bool(after) and re.search(r"\b(?:for|of|on|in|by)\s+(?:the\s+)?$", text[group[-1].end:after[0][1]]) \
                and after[0][1] - group[-1].end < 50
            unnamed_before = not any(m[2] <= group[0].start for m in host_mentions)
            if (respectively or (leads and unnamed_before)) and len(listed) == len(group) and _coordinated_mentions(text, after, listed):
                hosts_for = listed
        joined_by_vs = len(group) > 1 and re.search(r"\bvs\.?\b|versus", text[group[0].start:group[-1].start])
        if len(group) > 1 and hosts_for[-1] and not any(hosts_for[:-1]) and not joined_by_vs:
            hosts_for = [hosts_for[-1]] * len(group)  # "148.5, 136.3 and 88.8 mAh g-1 for the Li-Cu cell"
        if len(group) > 1 and not any(hosts_for):
            before_mentions = [m for m in host_mentions if m[2] <= group[0].start]
            distinct = list(dict.fromkeys(k for k, _, _ in before_mentions))
            paired = respectively or re.search(r"\bvs\.?\b|versus", text[group[0].start:group[-1].end])
            swept = any(len(v) == len(group) for lists in sweeps.values() for v in lists)
            if paired and len(distinct) >= len(group) and not (
                    swept and not _coordinated_mentions(text, before_mentions, distinct[-len(group):])):
                # ("respectively" may pair the values with a sweep of conditions instead of hosts)
                hosts_for = distinct[-len(group):]
            elif not paired and len(distinct) == len(group) and _coordinated_mentions(text, before_mentions, distinct):
                hosts_for = distinct  # "A and B keep 98.6% and 97.1%"
            elif len(distinct) > len(group):
                # "P decays after 300 cycles, while Q and R keep 63% and 48%": the hosts of the
                # contrast clause that holds the values, in order
                contrast = _contrast_clause_start(text, group[0].start)
                in_clause = list(dict.fromkeys(k for k, ms, _ in before_mentions if ms >= contrast))
                if len(in_clause) == len(group):
                    hosts_for = in_clause
            elif len(distinct) >= 2 and len(group) % 2 == 0 and re.search(r"\bvs\b|versus", text):
                pair = distinct[-2:]
                hosts_for = [pair[i % 2] for i in range(len(group))]
        swept_here = any(len(v) == len(group) for lists in sweeps.values() for v in lists)
        if len(group) > 1 and not any(hosts_for) and not host_mentions and previous_list and len(previous_list) == len(group) \
                and not swept_here:  # "18, 20 and 23 mV at 1, 2 and 4 mAh cm-2": a sweep of one host
            hosts_for = list(previous_list)  # "their activation energies were 0.36, 0.37 and 0.39 eV, respectively"
        for i, q in enumerate(group):
            host = hosts_for[i]
            if host is None:
                prev = [m for m in host_mentions if m[2] <= q.start and not (
                    _THAN.search(text[max(0, m[1] - 30):m[1]]) and q.start - m[2] > 30)]
                generic = [g for g in generic_refs if g.end() <= q.start and (not prev or g.start() >= prev[-1][2])]
                named_by_material = [d for d in described if d[1] <= q.start and (not prev or d[1] >= prev[-1][2])]
                if named_by_material:
                    host = named_by_material[-1][0]  # "the alumina-coated pellet lasts 700 h": the Al2O3-… design
                elif generic:
                    # "the modified electrode keeps 99.1%": the paper's design; in a review, the
                    # design the passage is about
                    host = carried if review else MAIN
                elif prev:
                    host = _causing_subject(text, prev, q) or prev[-1][0]
                else:
                    nxt = [m for m in host_mentions if m[1] >= q.end and m[1] - q.end < 40
                           and not _THAN_AFTER.search(text[q.end:m[1]])]  # "14 mV, smaller than that of X"
                    # "48 kJ mol-1 on the heterostructure, lower than on X": the design the value is stated for
                    generic_after = [g for g in generic_refs if 0 <= g.start() - q.end < 30
                                     and not any(q.end <= m[1] < g.start() for m in host_mentions)]
                    if generic_after and not (nxt and nxt[0][1] < generic_after[0].start()):
                        host = carried if review else MAIN
                    else:
                        host = nxt[0][0] if nxt else _carried_host(text, carried, table, review)
            conds: dict = {}
            if not host_mentions and _BOTH.search(text):
                figures.append(Figure("*both*", metric_of[id(q)], q, s, {}))
                continue
            # a sweep: "at 0.5, 1 and 2 mA cm-2 ... 12, 18 and 27 mV, respectively" gives each
            # value the condition in the same place of the condition list
            for dimension, lists in sweeps.items():
                values = next((v for v in lists if len(v) == len(group)), None)
                if values is not None and len(group) > 1:
                    conds[_CONDITION_OF[dimension]] = values[i].value
            shared = _coordinated_subject(text, host_mentions, q) if len(group) == 1 and hosts_for[i] is None else []
            for h in shared or [host]:
                figures.append(Figure(h, metric_of[id(q)], q, s, dict(conds)))
    _before_and_after(text, figures, host_mentions, table, review)
    # "vs" pairs like "0.1C (190.1 vs 166.1 mAh g-1)": c-rate is the one right before the parenthesis
    for f in figures:
        if "c_rate" not in f.conditions:
            prev_c = [c for c in crates if c.end <= f.q.start]
            if prev_c and re.fullmatch(r"\s*\(?[\d.\s]*(?:vs\.?|versus)?[\s\d.]*", text[prev_c[-1].end:f.q.start]):
                f.conditions["c_rate"] = prev_c[-1].value
    for f in figures:
        q = f.q
        # a figure is no condition of another, except the highest current density sustained:
        # "even at 20 mA cm-2 the cell cycles for 300 h" was measured at it
        exclude = {i for i in used_as_metric if metric_of[i] != "max_current_density"}
        scope = condition_scope(text, q.start)
        # the kind of cell its own clause or statement names ("extends Li||Li cycling to 1400 h,
        # ... in pouch cells"): a summary sentence names several
        cs_, ce_ = clause_bounds(text, q.start)
        own_cell = cues.cell_type(cs_, ce_) or cues.cell_type(*scope)
        if own_cell and cues.cell_type() != own_cell:
            f.conditions.setdefault("cell_type", own_cell)
        if f.metric != "max_current_density":
            cd = _nearest(qs, q.start, ("current_density",), exclude, scope)
            if cd:
                f.conditions.setdefault("current_density", cd.value)
        ac = _nearest(qs, q.start, ("areal_capacity",), exclude | {id(q)}, scope)
        if ac and f.metric != "areal_capacity":
            f.conditions.setdefault("areal_capacity", ac.value)
        cr = _nearest(qs, q.start, ("c_rate",), exclude, scope)
        if cr:
            f.conditions.setdefault("c_rate", cr.value)
        t = _nearest(qs, q.start, ("temperature",), exclude, scope)
        if t:
            f.conditions.setdefault("temperature", t.value)
        if f.metric not in ("cycle_count",):
            cs, _ = clause_bounds(text, q.start)
            cyc = [o for o in qs if o.dimension == "cycles" and (id(o) not in used_as_metric or o.end <= q.start)]
            cyc = [o for o in cyc if scope[0] <= o.start < scope[1]] or cyc
            # "142 mAh g-1 at 1 C, which decreases to 126 mAh g-1 after 300 cycles": the cycles
            # belong to the figure of the same metric that stands between
            between = [g.q for g in figures if g.metric == f.metric and g.q is not q
                       and re.search(r"\b(?!and\b|or\b|vs\b)[a-z]{3,}\b", text[min(q.end, g.q.end):max(q.start, g.q.start)])]
            cyc = [o for o in cyc if o.start < q.start or not any(q.end <= b.start < o.start for b in between)] or (
                [] if between else cyc)
            # "an initial capacity of 1126 and still 842 after 200 cycles": only words since the
            # last figure before this one tell whether this one is the first cycle's
            since = max([cs, q.start - 80] + [g.q.end for g in figures if g.q.end <= q.start])
            if f.metric in ("specific_capacity", "areal_capacity") and (
                    _FIRST_CYCLE.search(text[since:q.start]) or _FIRST_CYCLE_AFTER.match(text, q.end)):
                f.conditions.setdefault("cycles", 1.0)
            elif cyc:
                best = min(cyc, key=lambda o: (0 if o.start > q.end else 1, abs(o.start - q.end)))
                f.conditions.setdefault("cycles", best.value)
    return figures


_SUMMARY_SECTIONS = {"title", "abstract", "conclusions"}  # they restate results


_TEST_FIELDS = ("current_density", "areal_capacity", "c_rate")


def _same_test(a: dict, b: dict) -> bool:
    """No test condition that both state differs."""
    return all(a.get(k) is None or b.get(k) is None or a[k] == b[k] for k in _TEST_FIELDS)


# "starts to increase after 100 h ... at 150 h": the first time is when the cell began to fail
_ONSET = re.compile(r"\b(?:start|begin|began|begun)\w*\s+to\s+(?:increase|rise|grow|fluctuat|fail|diverg|oscillat)|\bonset\b", re.I)


def _first_failure_time(figures: list[Figure]) -> list[Figure]:
    """One cycling time per host and test in a sentence that tells when failure set in:
    later times in it follow the cell's decline, the first is its life."""
    seen: set[tuple] = set()
    out = []
    for f in figures:
        if f.metric == "cycling_time" and _ONSET.search(f.sentence.text):
            key = (f.sentence.index, f.host, tuple(f.conditions.get(k) for k in _TEST_FIELDS))
            if key in seen:
                continue
            seen.add(key)
        out.append(f)
    return out


def _dedupe(figures: list[Figure]) -> list[Figure]:
    """One record per figure stated several times (abstract, results, conclusions): same
    host, metric and value under compatible conditions; the statement with the richest
    conditions is kept. The same value under other conditions is another figure."""
    kept: dict[tuple, list[tuple[tuple, Figure]]] = defaultdict(list)
    section_rank = {"results": 3, "body": 2, "conclusions": 1, "abstract": 1, "title": 0}
    for f in figures:
        k = (f.host, f.metric, round(f.q.value, 4))
        score = (sum(v is not None for v in f.conditions.values()), section_rank.get(f.sentence.section, 0))
        for i, (other_score, other) in enumerate(kept[k]):
            restated = {f.sentence.section, other.sentence.section} & _SUMMARY_SECTIONS
            if restated or _same_test(f.conditions, other.conditions):
                if score > other_score:
                    kept[k][i] = (score, f)
                break
        else:
            kept[k].append((score, f))
    flat = [sf for group in kept.values() for sf in group]
    return [f for _, f in sorted(flat, key=lambda sf: (sf[1].sentence.index, sf[1].q.start))]
