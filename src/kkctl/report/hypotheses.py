"""Hypotheses (step 9 of the methodology): open, confirmed, refuted and pivoted, with their
metrics and age. Tactical hypotheses follow the strategic one they break down."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from kkctl import model as m
from kkctl.i18n import date
from kkctl.labels import label
from kkctl.report import attention as att
from kkctl.report.text import depth_first
from kkctl.report.words import MAX_ROWS, more_rows, name, short, t

STATUSES = ("open", "pivoted", "confirmed", "refuted")
DECIDED = ("pivoted", "confirmed", "refuted")


def in_tree_order(hypotheses: list[m.Hypothesis]) -> list[tuple[m.Hypothesis, int]]:
    """``(hypothesis, depth)``: each one followed by those under it; open ones first at
    every level. A parent cycle (lint reports it) is cut."""
    rank = {status: i for i, status in enumerate(STATUSES)}
    ids = {h.id for h in hypotheses}
    children: dict[str | None, list[m.Hypothesis]] = {}
    for h in hypotheses:
        parent = h.parent.id if h.parent is not None and h.parent.id in ids else None
        children.setdefault(parent, []).append(h)
    for group in children.values():
        group.sort(key=lambda h: rank.get(h.status or "open", 0))
    ordered = depth_first(children.get(None, []), lambda h: children.get(h.id, []),
                          lambda h: h.id)
    seen = {h.id for h, _ in ordered}
    ordered += [(h, 0) for h in hypotheses if h.id not in seen]
    return ordered


def age(h: m.Hypothesis, as_of: dt.date | None, lang: str) -> str:
    """From ``since`` to ``decided``, or to ``as_of``: the end of the chosen period, never
    today, so the same data always gives the same report. Without a period, the date."""
    if h.since is None:
        return t(lang, "age_unknown")
    if h.decided is None and as_of is None:
        return t(lang, "age_since", date=date(h.since, lang, "medium"))
    end = h.decided or as_of
    assert end is not None
    days = max((end - h.since).days, 0)
    text = (t(lang, "age_days", count=days) if days < 60
            else t(lang, "age_months", count=round(days / 30.44)))
    if h.decided is not None:
        text = t(lang, "age_decided", age=text, date=date(h.decided, lang, "medium"))
    return text


def section(org: m.Organisation, as_of: dt.date | None, lang: str,
            statuses: dict[str, att.MetricStatus],
            status_text: Callable[[att.MetricStatus], str],
            pages_link: str | None, limit: int | None = MAX_ROWS) -> dict[str, Any]:
    hypotheses = org.hypotheses
    counts = {s: sum(1 for h in hypotheses if (h.status or "open") == s) for s in STATUSES}
    ordered = in_tree_order(hypotheses)
    rows = []
    for h, depth in ordered[:limit]:
        metrics = [r.target for r in h.metrics if isinstance(r.target, m.Metric)]
        rows.append({
            "text": ("\u2003" * depth + "↳ " if depth else "") + short(h.text, 120)
                    + f" _({label('hypothesis_type', h.hypothesis_type, lang)})_",
            "status": label("hypothesis_status", h.status or "open", lang),
            # a decided hypothesis is judged already: today's state of its metrics would
            # read as the evidence it was decided on
            "metrics": "; ".join(name(x) if h.decided is not None or h.status in DECIDED
                                 else f"{name(x)}: {status_text(statuses[x.id])}"
                                 for x in metrics) or "—",
            "age": age(h, as_of, lang)})
    return {
        "title": t(lang, "hypotheses_title"),
        "none": None if hypotheses else t(lang, "hypotheses_none"),
        "counts": t(lang, "hypotheses_counts", **counts) if hypotheses else None,
        "head": [t(lang, k) for k in ("col_hypothesis", "col_status", "col_metrics",
                                      "col_age")],
        "rows": rows, "more": more_rows(lang, len(ordered) - len(rows), pages_link),
    }
