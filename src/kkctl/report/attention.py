"""What needs the council's decision: pure functions of the model, no text.

A metric is judged by its direction (a ``down`` metric that falls is improving). A promise is
*at risk* when one of its metrics is off target and not improving (worsening or flat over its
last two readings); a promise whose metrics have no readings is *not measured*, never at risk.
The report (:mod:`kkctl.report.data`) turns these items into words in the report's language.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kkctl import model as m
from kkctl.diagnostics import Diagnostic, Severity

MAX_ITEMS = 10
IMPROVING, WORSENING, FLAT = "improving", "worsening", "flat"
ATTENTION_ANCHOR = "attention"
RISK_ANCHOR = "promises-at-risk"
HEALTH_ANCHOR = "health"
ECONOMICS_ANCHOR = "economics"
SYSTEM_KINDS = frozenset({"root", "supporting"})  # the promises a client's value rests on


@dataclass(frozen=True)
class MetricStatus:
    """Where a metric stands. ``on_target`` is None without a target or without readings;
    ``trend`` is None with fewer than two readings; ``streak`` counts the consecutive periods
    (steps between readings, from the latest back) of that trend."""

    readings: tuple[m.Reading, ...]
    on_target: bool | None
    trend: str | None
    streak: int
    progress: Decimal | None

    @property
    def measured(self) -> bool:
        return bool(self.readings)

    @property
    def at_risk(self) -> bool:
        return self.on_target is False and self.trend in (WORSENING, FLAT)


_UNMEASURED = MetricStatus((), None, None, 0, None)


@dataclass
class PromiseAtRisk:
    promise: m.Promise
    giver: m.Entity | None
    receiver: m.Entity | None
    metrics: list[tuple[m.Metric, MetricStatus]]  # the offending ones
    authorities: list[m.Ref]


@dataclass
class AttentionItem:
    """One line of the opening section: ``kind`` is ``risk``, ``more_risks``, ``errors`` or
    ``loss``; ``anchor`` the detail section it links to."""

    kind: str
    anchor: str
    args: dict[str, Any] = field(default_factory=dict)


def periods_order(org: m.Organisation) -> dict[str, int]:
    """Period id -> its place in time (periods by start date)."""
    dated = sorted((p for p in org.periods if p.start is not None),
                   key=lambda p: p.start)  # type: ignore[arg-type, return-value]
    return {p.id: i for i, p in enumerate(dated)}


_UNKNOWN = 10**9  # a reading of a period the organisation does not list: after the others


def ordered_readings(metric: m.Metric, order: Mapping[str, int]) -> list[m.Reading]:
    """Readings in time order; a reading of an unknown period goes last, in file order."""
    readings = metric.readings  # in file order (``index``)
    places = [order.get(r.period, _UNKNOWN) for r in readings]
    if all(map(operator.le, places, places[1:])):  # usual: written in time order; no sort
        return list(readings)
    return sorted(readings, key=lambda r: (order.get(r.period, _UNKNOWN), r.index))


_TRENDS = {1: IMPROVING, -1: WORSENING, 0: FLAT}


def _better(metric: m.Metric, new: Decimal, old: Decimal) -> int:
    """+1 when ``new`` is better than ``old`` by the metric's direction, -1 worse, 0 same."""
    if new == old:
        return 0
    up = new > old
    return (1 if up else -1) * (-1 if metric.direction == "down" else 1)


def _reached(metric: m.Metric, value: Decimal) -> bool:
    assert metric.target is not None
    return value <= metric.target if metric.direction == "down" else value >= metric.target


def metric_status(metric: m.Metric, periods_order: Mapping[str, int]) -> MetricStatus:
    readings = ordered_readings(metric, periods_order)
    if not readings:
        return _UNMEASURED
    values = [r.value for r in readings]
    latest, target = values[-1], metric.target
    on_target = _reached(metric, latest) if target is not None else None
    trend, streak = None, 0
    if len(values) >= 2:  # 20,000 metrics at 10,000 teams: one pass from the latest back
        last = _better(metric, latest, values[-2])
        trend = _TRENDS[last]
        streak = 1
        for index in range(len(values) - 2, 0, -1):
            if _better(metric, values[index], values[index - 1]) != last:
                break
            streak += 1
    progress = None
    if target is not None and len(values) >= 2:
        if on_target:
            progress = Decimal(1)
        elif _better(metric, target, values[0]) <= 0:  # the first reading was on target
            progress = Decimal(0)  # already: none of the way back
        else:
            share = (latest - values[0]) / (target - values[0])
            progress = min(max(share, Decimal(0)), Decimal(1))
    return MetricStatus(tuple(readings), on_target, trend, streak, progress)


def statuses(org: m.Organisation, until: str | None = None) -> dict[str, MetricStatus]:
    """Every metric's status, by id: computed once per report, read by every section.
    ``until``: a period id; readings of later periods are left out, so the report of an
    earlier period says what was known then."""
    order = periods_order(org)
    if until is not None and until in order:
        last = order[until]
        order = {p: i for p, i in order.items() if i <= last}
        return {metric.id: metric_status(_cut(metric, order), order)
                for metric in org.metrics}
    return {metric.id: metric_status(metric, order) for metric in org.metrics}


def _cut(metric: m.Metric, order: Mapping[str, int]) -> m.Metric:
    """The metric with only the readings of the periods in ``order``."""
    import dataclasses

    if all(r.period in order for r in metric.readings):  # usual: nothing later than ``until``
        return metric
    return dataclasses.replace(metric, readings=tuple(r for r in metric.readings
                                                      if r.period in order))


def _metrics_of(promise: m.Promise) -> list[m.Metric]:
    return [r.target for r in promise.metrics if isinstance(r.target, m.Metric)]


def promises_at_risk(org: m.Organisation, known: dict[str, MetricStatus] | None = None
                     ) -> list[PromiseAtRisk]:
    """Root and supporting promises (at every depth) with a metric off target and not
    improving; the most at risk first (more such metrics, then the longer worsening).
    ``known``: the statuses of :func:`statuses`, when the caller has them already."""
    return assess_promises(org, known if known is not None else statuses(org))[0]


def assess_promises(org: m.Organisation, book: Mapping[str, MetricStatus]
                    ) -> tuple[list[PromiseAtRisk], int]:
    """The promises at risk (as :func:`promises_at_risk`) and how many root and supporting
    promises are not measured (no metric with a reading): one pass over the promises."""
    risky = {metric_id for metric_id, status in book.items() if status.at_risk}
    measured = {metric_id for metric_id, status in book.items() if status.readings}
    found: list[tuple[tuple[int, int, int], int, PromiseAtRisk]] = []
    unmeasured = 0
    for index, promise in enumerate(org.promises):  # 40,000 at 10,000 teams: kept cheap
        if promise.promise_kind not in SYSTEM_KINDS:
            continue
        ids = [ref.id for ref in promise.metrics]
        if measured.isdisjoint(ids):
            unmeasured += 1
            continue
        if risky.isdisjoint(ids):
            continue
        bad = [(metric, book[metric.id]) for metric in _metrics_of(promise)
               if metric.id in risky]
        if not bad:
            continue
        worsening = max((s.streak for _, s in bad if s.trend == WORSENING), default=0)
        key = (-len(bad), -worsening, 0 if promise.promise_kind == "root" else 1)
        found.append((key, index, PromiseAtRisk(
            promise, promise.giver.target if promise.giver else None,
            promise.receiver.target if promise.receiver else None, bad,
            list(promise.authorities))))
    found.sort(key=lambda item: (item[0], item[1]))
    return [item for _, _, item in found], unmeasured


def has_readings(org: m.Organisation) -> bool:
    return any(metric.readings for metric in org.metrics)


def attention(org: m.Organisation, findings: Iterable[Diagnostic],
              money: Sequence[Any] = (), risks: list[PromiseAtRisk] | None = None
              ) -> list[AttentionItem]:
    """The opening list, at most :data:`MAX_ITEMS`: promises at risk (most first), the count of
    errors, and every reward scheme that carries a loss out of the chosen period (``money``:
    that period's :class:`kkctl.bonus.compute.SchemeResult` list)."""
    others: list[AttentionItem] = []
    errors = sum(1 for d in findings if d.severity is Severity.ERROR)
    if errors:
        others.append(AttentionItem("errors", HEALTH_ANCHOR, {"count": errors}))
    for result in money:
        if getattr(result, "carried_out", 0) > 0:
            others.append(AttentionItem("loss", ECONOMICS_ANCHOR,
                                        {"scheme": result.scheme, "amount": result.carried_out}))
    others = others[: MAX_ITEMS - 1]
    if risks is None:
        risks = promises_at_risk(org)
    room = MAX_ITEMS - len(others)
    items = [AttentionItem("risk", RISK_ANCHOR, {"risk": r}) for r in risks]
    if len(items) > room:
        items = [*items[: room - 1], AttentionItem("more_risks", RISK_ANCHOR,
                                                   {"count": len(items) - room + 1})]
    return items + others
