"""Teams: success indicators period over period (a table and a chart), team economics with
trends and loss streaks, and a diagram of the top levels of the structure.

Tables put what needs attention first and stop at :data:`MAX_ROWS`; the full lists belong on
the detail pages, so the main page stays short at thousands of teams.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kkctl import model as m
from kkctl.currency import round_units, to_minor
from kkctl.i18n import money
from kkctl.markup import md_text
from kkctl.report import attention as att
from kkctl.report.text import mermaid_id, mermaid_label, sparkline
from kkctl.report.words import MAX_ROWS, more_rows, name, t

MAX_LINES = 8  # lines in one chart: more cannot be told apart
MAX_CHART_PERIODS = 6
STRUCTURE_ROOTS, STRUCTURE_CHILDREN = 12, 8
# A chart line's colour and the coloured square that names it in the legend (Mermaid's
# xychart has no legend of its own).
LINE_COLOURS = (("#2563eb", "🟦"), ("#f97316", "🟧"), ("#16a34a", "🟩"), ("#9333ea", "🟪"),
                ("#dc2626", "🟥"), ("#eab308", "🟨"), ("#92400e", "🟫"), ("#111827", "⬛"))


@dataclass
class Indicator:
    team: m.Team
    metric: m.Metric
    status: att.MetricStatus

    @property
    def rank(self) -> int:
        """0 at risk, 1 off target but improving, 2 without a target, 3 on target."""
        status = self.status
        if status.at_risk:
            return 0
        if status.on_target is False:
            return 1
        return 2 if status.on_target is None else 3


def indicators(org: m.Organisation, statuses: dict[str, att.MetricStatus]
               ) -> list[Indicator]:
    """Teams whose success indicator has readings, the most worrying first."""
    found = []
    for team in org.teams:
        metric = team.success_indicator.target if team.success_indicator else None
        if isinstance(metric, m.Metric) and metric.readings:
            found.append(Indicator(team, metric, statuses[metric.id]))
    return sorted(found, key=lambda i: i.rank)  # stable: file order within a rank


def section(org: m.Organisation, period: m.Period | None, lang: str, currency: str,
            statuses: dict[str, att.MetricStatus], status_text: Any, readings_text: Any,
            pages_link: str | None, limit: int | None = MAX_ROWS) -> dict[str, Any]:
    """The teams section: ``status_text(status)`` and ``readings_text(metric, status)`` are
    the report's own phrasings of a metric's state, shared with the metrics section; tables
    stop at ``limit`` rows (None: every row, for the detail pages)."""
    found = indicators(org, statuses)
    rows = [{"team": name(i.team), "indicator": f"{name(i.metric)}, {md_text(i.metric.unit)}",
             "readings": readings_text(i.metric, i.status), "status": status_text(i.status)}
            for i in found[:limit]]
    economics = team_economics(org, period, lang, currency, limit)
    return {
        "title": t(lang, "teams_title"), "indicators_title": t(lang, "indicators"),
        "head": [t(lang, k) for k in ("col_team", "col_indicator", "readings", "col_status")],
        "rows": rows, "more": more_rows(lang, len(found) - len(rows), pages_link),
        "none": None if found else t(lang, "no_indicators"),
        "chart": indicator_chart(org, found, lang),
        "economics_title": t(lang, "economics_teams"),
        "economics_head": [t(lang, k) for k in ("col_team", "col_income", "col_expenses",
                                                "col_virtual", "col_profit",
                                                "col_profit_trend")],
        "economics": economics["rows"],
        "economics_more": more_rows(lang, economics["hidden"], pages_link),
        "economics_none": None if economics["rows"] else t(lang, "no_team_economics"),
        "structure": structure(org, lang),
    }


def _periods_until(org: m.Organisation, period: m.Period | None) -> list[m.Period]:
    """Periods with dates in time order, up to and including the chosen one."""
    dated = sorted((p for p in org.periods if p.start is not None),
                   key=lambda p: p.start)  # type: ignore[arg-type, return-value]
    if period is not None and period in dated:
        dated = dated[: dated.index(period) + 1]
    return dated


def _profit(figures: m.TeamFigures) -> Decimal:
    return figures.income + figures.virtual_revenue - figures.expenses


def team_economics(org: m.Organisation, period: m.Period | None, lang: str,
                   currency: str, limit: int | None = MAX_ROWS) -> dict[str, Any]:
    """Each team's income, expenses, virtual revenue and profit in the chosen period, and its
    profit over the periods before: the longest loss streaks first."""
    periods = _periods_until(org, period)
    if not periods:
        return {"rows": [], "hidden": 0}
    latest = periods[-1]
    teams = {team_id for p in periods for team_id in p.teams}
    found = []
    for index, team in enumerate(org.teams):
        if team.id not in teams:
            continue
        profits = [_profit(p.teams[team.id]) for p in periods if team.id in p.teams]
        streak = _streak(profits, lambda v: v < 0)
        found.append(((-streak, index), team, profits, latest.teams.get(team.id)))
    found.sort(key=lambda item: item[0])

    def cash(value: Decimal | None) -> str:
        return "—" if value is None else money(to_minor(value, currency), currency, lang)

    rows = []
    for _, team, profits, figures in found[:limit]:
        rows.append({
            "team": name(team), "income": cash(figures.income if figures else None),
            "expenses": cash(figures.expenses if figures else None),
            "virtual": cash(figures.virtual_revenue if figures else None),
            "profit": cash(_profit(figures) if figures else None),
            "loss": bool(figures and _profit(figures) < 0),
            "trend": _profit_trend(profits, lang)})
    return {"rows": rows, "hidden": len(found) - len(rows)}


def _streak(values: list[Decimal], test: Any) -> int:
    """How many values from the latest back pass ``test``."""
    count = 0
    for value in reversed(values):
        if not test(value):
            break
        count += 1
    return count


def _profit_trend(profits: list[Decimal], lang: str) -> str:
    """``▂▅▃▁ loss 2 periods in a row`` / ``growing 3 periods``."""
    spark = sparkline(profits)
    losses = _streak(profits, lambda v: v < 0)
    if losses:
        return f"{spark} **{t(lang, 'loss_streak', count=losses)}**"
    steps = [b - a for a, b in itertools.pairwise(profits)]
    if not steps or steps[-1] == 0:
        return spark
    sign = 1 if steps[-1] > 0 else -1
    run = _streak(steps, lambda s: (s > 0) if sign > 0 else (s < 0))
    key = "profit_growing" if sign > 0 else "profit_falling"
    return f"{spark} {t(lang, key, count=run)}"


def _share_of_target(metric: m.Metric, value: Decimal) -> int:
    """The value as a % of the target, so every line has 100 at its target: for a metric
    that should fall, target ÷ value. Clipped to 0–200 so one outlier cannot flatten the
    others."""
    assert metric.target is not None
    if metric.direction == "down":
        share = Decimal(200) if value <= 0 else metric.target / value * 100
    else:
        share = value / metric.target * 100
    return round_units(min(max(share, Decimal(0)), Decimal(200)))


def _chartable(indicator: Indicator) -> bool:
    target = indicator.metric.target
    return target is not None and target > 0 and len(indicator.status.readings) >= 2


def indicator_chart(org: m.Organisation, found: list[Indicator], lang: str
                    ) -> dict[str, Any] | None:
    """A line chart of the first :data:`MAX_LINES` chartable indicators (most worrying first)
    over the last periods they all have readings for, as % of target."""
    order = att.periods_order(org)
    chosen = [i for i in found if _chartable(i)][:MAX_LINES]
    if not chosen:
        return None
    by_period = [{r.period: r.value for r in i.status.readings} for i in chosen]
    periods = [p for p in sorted(order, key=order.__getitem__)
               if all(p in values for values in by_period)][-MAX_CHART_PERIODS:]
    if len(periods) < 2:
        return None
    names = {p.id: (p.name or p.id) for p in org.periods}
    lines, legend = [], []
    top = 100
    for number, (indicator, values) in enumerate(zip(chosen, by_period, strict=True)):
        shares = [_share_of_target(indicator.metric, values[p]) for p in periods]
        top = max(top, *shares)
        lines.append("    line [" + ", ".join(str(s) for s in shares) + "]")
        legend.append({"mark": LINE_COLOURS[number][1], "team": name(indicator.team),
                       "indicator": name(indicator.metric),
                       "latest": f"{shares[-1]}\u00a0%" if lang == "ru" else f"{shares[-1]}%"})
    palette = ", ".join(colour for colour, _ in LINE_COLOURS[: len(chosen)])
    title = t(lang, "indicator_chart_title")
    text = "\n".join([
        "---", "config:", "  themeVariables:", "    xyChart:",
        f'      plotColorPalette: "{palette}"', "---", "xychart-beta",
        f'    title "{mermaid_label(title)}"',
        "    x-axis [" + ", ".join(f'"{mermaid_label(names[p], 18)}"' for p in periods) + "]",
        f'    y-axis "%" 0 --> {(top + 9) // 10 * 10}', *lines])
    return {"text": text, "legend": legend, "note": t(lang, "indicator_chart_note")}


def structure(org: m.Organisation, lang: str) -> dict[str, Any] | None:
    """A flowchart of the top two levels of the team tree (None without units)."""
    children = org.subteams()
    roots = [team for team in org.teams if team.parent is None
             or not isinstance(team.parent.target, m.Team)]
    if not children:
        return None
    inside = _inside_counts(org, children)
    lines = ["flowchart LR"]

    def node(team: m.Team) -> str:
        count = inside.get(team.id, 0)
        # a no-break space (as Mermaid's entity code) keeps the count with the name's last word
        label = mermaid_label(team.name or team.id, 40) + (f"#160;· {count}" if count else "")
        return f'{mermaid_id("team", team.id)}["{label}"]'

    def more(parent_id: str, count: int) -> str:
        return (f'{mermaid_id("more", parent_id)}["'
                f'{mermaid_label(t(lang, "structure_more", count=count))}"]')

    for root in roots[:STRUCTURE_ROOTS]:
        lines.append(f"    {node(root)}")
        kids = children.get(root.id, [])
        for kid in kids[:STRUCTURE_CHILDREN]:
            lines.append(f"    {mermaid_id('team', root.id)} --> {node(kid)}")
        if len(kids) > STRUCTURE_CHILDREN:
            lines.append(f"    {mermaid_id('team', root.id)} --> "
                         f"{more(root.id, len(kids) - STRUCTURE_CHILDREN)}")
    if len(roots) > STRUCTURE_ROOTS:
        lines.append(f"    {more('', len(roots) - STRUCTURE_ROOTS)}")
    return {"title": t(lang, "structure"), "note": t(lang, "structure_note"),
            "text": "\n".join(lines)}


def _inside_counts(org: m.Organisation, children: dict[str, list[m.Team]]) -> dict[str, int]:
    """Team id -> how many teams are below it (any depth). Iterative, safe on cycles."""
    counts: dict[str, int] = {}
    for team in org.teams:
        if team.id in counts or team.id not in children:
            continue
        seen: set[str] = set()
        stack = [(team.id, False)]
        while stack:
            ident, done = stack.pop()
            if done:
                counts[ident] = sum(1 + counts.get(c.id, 0) for c in children.get(ident, [])
                                    if c.id in counts or c.id not in children)
                continue
            if ident in seen or ident in counts:
                continue
            seen.add(ident)
            stack.append((ident, True))
            stack.extend((c.id, False) for c in children.get(ident, []))
    return counts
