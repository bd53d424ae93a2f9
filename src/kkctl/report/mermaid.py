"""Mermaid diagrams: the canvas as an ``xychart-beta``, the promise system as a flowchart.

Labels are reduced to a safe character set (no quotes, brackets or entity syntax can reach
Mermaid), and no diagram is larger than Mermaid's default ``maxTextSize``: a large promise
system is split into one diagram per client value, and a value whose diagram alone would be
too large is summarised instead.
"""

from __future__ import annotations

from kkctl import model as m
from kkctl.report.labels import LABELS
from kkctl.report.text import mermaid_id, mermaid_label

MAX_TEXT_SIZE = 50_000  # Mermaid's default maxTextSize

_STYLE = ["    classDef value fill:#e0f2fe,stroke:#0284c7,color:#0c4a6e",
          "    classDef flagged stroke:#dc2626,stroke-width:3px"]


# Mermaid's default xychart palette starts with a near-white (#ECECFF), so the chart sets its
# own: the first series, the organisation's own offering, gets the strongest colour.
CHART_PALETTE = ("#1d4ed8", "#f59e0b", "#10b981", "#a78bfa", "#94a3b8", "#f472b6", "#22d3ee",
                 "#a3a3a3")


def series_order(canvas: m.Canvas) -> list[m.Offering]:
    """The offerings as the chart draws them: the own offering(s) first, then the rest."""
    return ([o for o in canvas.offerings if o.is_self]
            + [o for o in canvas.offerings if not o.is_self])


# Mermaid draws an xychart's title on one line, centred over the 700 px chart, cut by its
# edges. In 16 px (Mermaid's default is 20) 60 characters fit even in a wide font (DejaVu Sans:
# under 11 px a character of Russian text); the report's text above the chart gives the whole
# need.
TITLE_LENGTH = 60
TITLE_FONT_SIZE = 16
# A promise node: Mermaid wraps its label at 200 px, so 100 characters make about six lines;
# the whole text is in the report's promise tables.
TEAM_LENGTH = 40
PROMISE_LENGTH = 100


def _title(canvas: m.Canvas) -> str:
    """What the chart compares: the client's need, else the client, else the canvas id."""
    client = canvas.client.target if canvas.client is not None else None
    return canvas.need or getattr(client, "name", None) or canvas.id


def shorten(text: object, limit: int) -> str:
    """``text`` in at most ``limit`` characters, white space made single, cut after a whole
    word where one ends in its second half ("…" marks a cut): a label cut mid-word reads as a
    typo."""
    value = " ".join(str(text).split())
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-—") + "…"


def _label(text: object, limit: int) -> str:
    """A Mermaid label of at most ``limit`` visible characters, cut between words."""
    return mermaid_label(shorten(text, limit), limit)


def canvas_chart(canvas: m.Canvas) -> str:
    """A line chart with numbered factors (the report's legend names them)."""
    offerings = series_order(canvas)
    palette = ", ".join(CHART_PALETTE[i % len(CHART_PALETTE)] for i in range(len(offerings)))
    lines = ["---", "config:", "  xyChart:", f"    titleFontSize: {TITLE_FONT_SIZE}",
             "  themeVariables:", "    xyChart:", f'      plotColorPalette: "{palette}"', "---",
             "xychart-beta",
             f'    title "{_label(_title(canvas), TITLE_LENGTH)}"',
             "    x-axis [" + ", ".join(f'"{i}"' for i in range(1, len(canvas.factors) + 1))
             + "]",
             f"    y-axis {_num(canvas.scale_min)} --> {_num(canvas.scale_max)}"]
    for offering in offerings:
        values = [_num(offering.scores.get(f.value.id, canvas.scale_min)) for f in canvas.factors]
        lines.append("    line [" + ", ".join(values) + "]")
    return "\n".join(lines)


def _num(value: object) -> str:
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def promise_diagrams(org: m.Organisation, lang: str) -> tuple[list[str], str | None]:
    """One diagram, or one per value when one would be too large (with a note saying so)."""
    roots_by_value: dict[str, list[m.Promise]] = {}
    for promise in org.promises:
        if promise.promise_kind == "root":
            key = promise.value.id if promise.value is not None else "?"
            roots_by_value.setdefault(key, []).append(promise)
    supporters: dict[str, list[m.Promise]] = {}
    for promise in org.promises:
        for ref in promise.supports:
            supporters.setdefault(ref.id, []).append(promise)
    whole = _flowchart(org, roots_by_value, supporters)
    if len(whole) <= MAX_TEXT_SIZE:
        return ([whole] if roots_by_value else []), None
    labels = LABELS[lang]
    diagrams = []
    for value_id, roots in roots_by_value.items():
        text = _flowchart(org, {value_id: roots}, supporters)
        if len(text) <= MAX_TEXT_SIZE:
            diagrams.append(text)
        else:
            count = len(_reachable(roots, supporters))
            value = org.get(value_id)
            name = mermaid_label(getattr(value, "name", value_id))
            diagrams.append("flowchart LR\n" + f'    summary["{name}: {count}"]')
            labels = {**labels, "diagram_split": labels["diagram_split"] + " " +
                      labels["diagram_summary"].format(value=name, count=count)}
    return diagrams, labels["diagram_split"]


def _reachable(roots: list[m.Promise], supporters: dict[str, list[m.Promise]]
               ) -> list[m.Promise]:
    """The roots and, transitively, every promise that supports them (each once)."""
    seen: dict[str, m.Promise] = {}
    stack = list(roots)
    while stack:
        promise = stack.pop()
        if promise.id in seen:
            continue
        seen[promise.id] = promise
        stack.extend(supporters.get(promise.id, []))
    return list(seen.values())


def _flowchart(org: m.Organisation, roots_by_value: dict[str, list[m.Promise]],
               supporters: dict[str, list[m.Promise]]) -> str:
    lines = ["flowchart LR", *_STYLE]
    edges: list[str] = []
    flagged: list[str] = []
    declared: set[str] = set()
    for value_id, roots in roots_by_value.items():
        value = org.get(value_id)
        node = mermaid_id("value", value_id)
        lines.append(f'    {node}(["{mermaid_label(getattr(value, "name", value_id))}"]):::value')
        for promise in _reachable(roots, supporters):
            pid = mermaid_id("promise", promise.id)
            if pid in declared:
                continue
            declared.add(pid)
            lines.append(f'    {pid}["{_label(_giver(promise), TEAM_LENGTH)}: '
                         f'{_label(promise.text, PROMISE_LENGTH)}"]')
            if not promise.metrics or not promise.authorities:
                flagged.append(pid)
            if promise.promise_kind == "root":
                edges.append(f"    {pid} --> {node}")
            for ref in promise.supports:
                if isinstance(ref.target, m.Promise):
                    edges.append(f"    {pid} --> {mermaid_id('promise', ref.id)}")
    lines += edges
    if flagged:
        lines.append("    class " + ",".join(flagged) + " flagged")
    return "\n".join(lines)


def _giver(promise: m.Promise) -> str:
    """The giver team's name, which readers know; its id when the reference is broken."""
    if promise.giver is None:
        return "?"
    return getattr(promise.giver.target, "name", None) or promise.giver.id
