"""What the report shows, as plain data for the templates.

Every string that came from the user is escaped here (``markup.md_text``), and every Mermaid
block is built here (``mermaid``), so a template, the shipped one or a user's, cannot forget to.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kkctl import model as m
from kkctl.bonus.compute import BonusRun
from kkctl.diagnostics import Diagnostic, Severity
from kkctl.i18n import date_range, money, number, percent
from kkctl.labels import label, scope
from kkctl.loader import Loaded
from kkctl.markup import md_code, md_text
from kkctl.messages import plural
from kkctl.report import attention as att
from kkctl.report import mermaid
from kkctl.report.labels import LABELS
from kkctl.report.text import sparkline

MAX_ERRORS_LISTED = 20
CANVAS_FINDINGS = ("KK225", "KK226", "KK227")


@dataclass
class ReportInput:
    loaded: Loaded
    lint: list[Diagnostic]
    bonus: BonusRun | None
    period: m.Period | None
    lang: str
    include_payouts: bool = False
    revision: str | None = None
    assets: dict[str, str] = field(default_factory=dict)  # chart name -> relative path


def build(inp: ReportInput) -> dict[str, Any]:
    org, lang = inp.loaded.org, inp.lang
    labels = LABELS[lang]
    return {
        "lang": lang, "l": labels,
        "header": _header(inp),
        "attention": _attention(inp),
        "risks": _risks(inp),
        "health": _health(inp),
        "canvases": [_canvas(inp, c) for c in org.canvases],
        "commodity": bool(org.settings.applicability.get("commodity")),
        "promises": _promises(inp),
        "council": _council(inp),
        "metrics": _metrics(inp),
        "economics": _economics(inp),
        "authorities": _authorities(inp),
    }


def _t(inp: ReportInput, key: str, **args: Any) -> str:
    from kkctl.messages import fill

    return fill(LABELS[inp.lang][key], inp.lang, args)


def _name(entity: m.Entity | None, fallback: str = "—") -> str:
    if entity is None:
        return fallback
    name = getattr(entity, "name", None) or getattr(entity, "text", None) or entity.id
    return md_text(name)


def _ref_name(ref: m.Ref | None) -> str:
    if ref is None:
        return "—"
    if ref.target is None:
        return f"{md_text(ref.id)} (?)"
    return _name(ref.target, md_text(ref.id))


def _header(inp: ReportInput) -> dict[str, Any]:
    settings = inp.loaded.org.settings
    digest = hashlib.sha256()
    root = inp.loaded.project.root
    for parsed in inp.loaded.files:  # named relative to the project: same hash from any folder
        name = os.path.relpath(os.path.abspath(parsed.path), root).replace(os.sep, "/")
        digest.update(name.encode() + b"\0" + (parsed.raw or b"") + b"\0")
    key_value = settings.key_value
    period = inp.period
    return {
        "title": _t(inp, "title", name=md_text(settings.name or settings.id or "?")),
        "goal": md_text(settings.evolutionary_goal) if settings.evolutionary_goal else "—",
        "key_value": _ref_name(key_value),
        "period": (f"{md_text(period.name or period.id)} "
                   f"({date_range(period.start, period.end, inp.lang)})") if period else "—",
        "source": _t(inp, "source_text", files=len(inp.loaded.files), hash=digest.hexdigest()[:12]),
        "revision": md_code(inp.revision) if inp.revision else None,
    }


def _health(inp: ReportInput) -> dict[str, Any]:
    everything = [*inp.loaded.diagnostics, *inp.lint]
    counts = {s: sum(1 for d in everything if d.severity is s) for s in Severity}
    errors = [d for d in everything if d.severity is Severity.ERROR]
    listed = [f"`{d.code}` {md_text(d.file)}:{d.line}: {md_text(d.message(inp.lang))}"
              for d in errors[:MAX_ERRORS_LISTED]]
    more = len(errors) - len(listed)
    summary = _t(inp, "health_clean") if not everything else _t(
        inp, "health_counts", counts=", ".join(
            plural(word, counts[severity], inp.lang) for word, severity in (
                ("error", Severity.ERROR), ("warning", Severity.WARNING),
                ("info", Severity.INFO))))
    return {"summary": summary, "errors": listed,
            "more": _t(inp, "more", count=more) if more > 0 else None}


def _canvas(inp: ReportInput, canvas: m.Canvas) -> dict[str, Any]:
    lang = inp.lang
    offerings = canvas.offerings
    rows = []
    for factor in canvas.factors:
        scores = [number(o.scores[factor.value.id], lang) if factor.value.id in o.scores else "—"
                  for o in offerings]
        name = _ref_name(factor.value)
        rows.append({"name": f"**{name}**" if factor.key else name, "key": factor.key,
                     "action": _t(inp, factor.action) if factor.action else "—",
                     "scores": scores})
    errc = {a: [_ref_name(f.value) for f in canvas.factors if f.action == a]
            for a in ("eliminate", "reduce", "raise", "create")}
    findings = [md_text(d.message(lang)) for d in inp.lint
                if d.code in CANVAS_FINDINGS and d.subject == ("canvas", canvas.id)]
    names = [md_text(o.name or o.id) for o in offerings]
    return {
        "id": canvas.id, "title": md_text(canvas.id),
        "client": _ref_name(canvas.client), "need": md_text(canvas.need) if canvas.need else None,
        "offerings": [f"**{n}**" if o.is_self else n for n, o in zip(names, offerings,
                                                                       strict=True)],
        "rows": rows, "errc": errc, "findings": findings,
        "chart": mermaid.canvas_chart(canvas),
        "legend": [{"number": i, "name": row["name"], "key": row["key"]}
                   for i, row in enumerate(rows, 1)],
        "chart_note": _t(inp, "chart_note_self" if any(o.is_self for o in offerings)
                         else "chart_note", names=", ".join(
                             f"{i}. **{md_text(o.name or o.id)}**" if o.is_self
                             else f"{i}. {md_text(o.name or o.id)}"
                             for i, o in enumerate(mermaid.series_order(canvas), 1))),
        "svg": _url(inp.assets.get(f"canvas-{canvas.id}")),
    }


def _url(path: str | None) -> str | None:
    """A relative link target that stays one target whatever the canvas id holds."""
    from urllib.parse import quote

    return quote(path, safe="/._-~") if path else None


def _promises(inp: ReportInput) -> dict[str, Any]:
    org = inp.loaded.org
    supporters: dict[str, list[m.Promise]] = {}
    for promise in org.promises:
        for ref in promise.supports:
            supporters.setdefault(ref.id, []).append(promise)
    by_value: dict[str, list[dict[str, Any]]] = {}
    for promise in org.promises:
        if promise.promise_kind != "root":
            continue
        key = promise.value.id if promise.value is not None else "?"
        by_value.setdefault(key, []).append({
            **_promise_row(inp, promise),
            "supporting": [_promise_row(inp, s) for s in supporters.get(promise.id, [])],
        })
    groups = []
    for value_id, rows in by_value.items():
        value = org.get(value_id)
        groups.append({"value": _name(value, md_text(value_id)), "promises": rows})
    covered: dict[str, int] = {}
    for promise in org.promises:
        if promise.promise_kind == "root" and promise.value is not None:
            covered[promise.value.id] = covered.get(promise.value.id, 0) + 1
    coverage = []
    for canvas in org.canvases:
        for factor in canvas.factors:
            count = covered.get(factor.value.id, 0)
            if factor.action == "eliminate" and not count:
                coverage.append({"value": _ref_name(factor.value), "mark": "➖",
                                 "text": _t(inp, "eliminated")})
                continue
            coverage.append({"value": _ref_name(factor.value), "mark": "✅" if count else "🔴",
                             "text": _t(inp, "covered", count=count) if count else
                             _t(inp, "uncovered")})
    general = [_promise_row(inp, p) for p in org.promises if p.promise_kind == "general"]
    diagrams, note = mermaid.promise_diagrams(org, inp.lang)
    return {"groups": groups, "general": general, "coverage": coverage,
            "diagrams": diagrams, "diagram_note": note}


def _promise_row(inp: ReportInput, promise: m.Promise) -> dict[str, Any]:
    missing = _t(inp, "missing")
    metrics = ", ".join(_ref_name(r) for r in promise.metrics) or f"**⚠ {missing}**"
    authorities = ", ".join(md_text(scope(r.target.scope, inp.lang))
                            if isinstance(r.target, m.Authority)
                            else md_text(r.id) for r in promise.authorities) or f"**⚠ {missing}**"
    text = md_text(promise.text)
    if promise.condition:
        text += f" _({md_text(promise.condition)})_"
    return {"id": md_text(promise.id), "text": text, "giver": _ref_name(promise.giver),
            "receiver": _ref_name(promise.receiver), "metrics": metrics,
            "authorities": authorities,
            "flagged": not promise.metrics or not promise.authorities}


def _council(inp: ReportInput) -> dict[str, Any]:
    org = inp.loaded.org
    councils = []
    for council in org.councils:
        members = []
        for member in council.members:
            role = _t(inp, f"role_{member.role}") if member.role and \
                f"role_{member.role}" in LABELS[inp.lang] else md_text(member.role or "—")
            members.append({"name": _ref_name(member.person), "role": role,
                            "represents": ", ".join(_ref_name(r) for r in member.represents)
                            or "—"})
        councils.append({"name": md_text(council.name), "members": members})
    children: dict[str | None, list[m.Team]] = {}
    for team in org.teams:
        parent = team.parent.id if team.parent is not None and team.parent.target else None
        children.setdefault(parent, []).append(team)
    tree: list[dict[str, Any]] = []
    seen: set[str] = set()
    stack = [(t, 0) for t in reversed(children.get(None, []))]
    while stack:  # depth first, iterative; a parent cycle (lint reports it) is cut
        team, depth = stack.pop()
        if team.id in seen:
            continue
        seen.add(team.id)
        tree.append(_team_row(inp, team, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(team.id, [])))
    tree += [_team_row(inp, t, 0) for t in org.teams if t.id not in seen]
    return {"councils": councils, "teams": tree}


def _team_row(inp: ReportInput, team: m.Team, depth: int) -> dict[str, Any]:
    kind = f"type_{team.type}" if team.type else None
    return {"name": ("\u2003" * depth) + ("└ " if depth else "") + md_text(team.name),
            "type": _t(inp, kind) if kind and kind in LABELS[inp.lang] else "—",
            "leader": _ref_name(team.leader), "members": str(len(team.members)),
            "indicator": _ref_name(team.success_indicator)}


def _metrics(inp: ReportInput) -> list[dict[str, Any]]:
    org, lang = inp.loaded.org, inp.lang
    order = att.periods_order(org)
    rows: list[dict[str, Any]] = []
    for metric in org.metrics:
        status = att.metric_status(metric, order)
        values = [r.value for r in status.readings]
        latest = values[-1] if values else None
        arrow = ""
        if len(values) >= 2:
            arrow = "↑" if values[-1] > values[-2] else "↓" if values[-1] < values[-2] else "→"
        rank = (2 if not status.measured else 1 if status.on_target is None
                else 3 if status.on_target else 0)
        rows.append({"rank": rank, "name": md_text(metric.name), "unit": md_text(metric.unit),
                     "latest": number(latest, lang) if latest is not None else "—",
                     "target": number(metric.target, lang) if metric.target is not None
                     else "—",
                     "trend": f"{sparkline(values)} {arrow}".strip() or "—",
                     "status": _status(inp, status)})
    rows.sort(key=lambda r: r["rank"])  # off target first; stable otherwise
    return rows


def _status(inp: ReportInput, status: att.MetricStatus) -> str:
    """``🟡 off target, improving for 2 periods, 60% of the way``, judged by direction."""
    if not status.measured:
        return _t(inp, "no_readings")
    parts = []
    mark = ""
    if status.on_target is None:
        parts.append(_t(inp, "no_target"))
    elif status.on_target:
        mark = "✅ "
        parts.append(_t(inp, "on_target"))
    else:
        mark = "🟡 " if status.trend == att.IMPROVING else "🔴 "
        parts.append(_t(inp, "off_target"))
    if status.trend is not None:
        parts.append(_t(inp, f"trend_{status.trend}", count=status.streak))
    if status.progress is not None and not status.on_target:
        share = percent(status.progress.quantize(Decimal("0.01")), inp.lang, 0)
        parts.append(_t(inp, "progress", share=share))
    return mark + ", ".join(parts)


def _readings(inp: ReportInput, metric: m.Metric, status: att.MetricStatus) -> str:
    """The last three readings, ``Q1: 70 → Q2: 65``, and the target."""
    org, lang = inp.loaded.org, inp.lang
    shown = []
    for reading in status.readings[-3:]:
        period = org.get(reading.period)
        name = getattr(period, "name", None) or reading.period
        shown.append(f"{md_text(name)}: {number(reading.value, lang)}")
    text = " → ".join(shown)
    if metric.target is not None:
        text += f" ({_t(inp, 'target_is', target=number(metric.target, lang))})"
    return text


def _attention(inp: ReportInput) -> dict[str, Any]:
    org, lang = inp.loaded.org, inp.lang
    money_results = (inp.bonus.results.get(inp.period.id, [])
                     if inp.bonus is not None and inp.period is not None else [])
    items = att.attention(org, [*inp.loaded.diagnostics, *inp.lint], money_results)
    lines = []
    for item in items:
        anchor = f"#{item.anchor}"
        if item.kind == "risk":
            risk: att.PromiseAtRisk = item.args["risk"]
            metrics = "; ".join(f"{md_text(metric.name)}: {_status(inp, status)}"
                                for metric, status in risk.metrics)
            lines.append(_t(inp, "att_risk", promise=md_text(risk.promise.text), anchor=anchor,
                            giver=_ref_name(risk.promise.giver),
                            receiver=_ref_name(risk.promise.receiver), metrics=metrics))
        elif item.kind == "more_risks":
            lines.append(_t(inp, "att_more_risks", count=item.args["count"], anchor=anchor))
        elif item.kind == "errors":
            lines.append(_t(inp, "att_errors", count=item.args["count"], anchor=anchor))
        elif item.kind == "loss":
            currency = inp.bonus.currency if inp.bonus is not None else org.settings.currency
            lines.append(_t(inp, "att_loss", scheme=md_text(item.args["scheme"].id),
                            amount=money(item.args["amount"], currency, lang), anchor=anchor))
    return {"items": lines, "none": _t(inp, "att_none")}


def _risks(inp: ReportInput) -> dict[str, Any]:
    org = inp.loaded.org
    if not att.has_readings(org):
        return {"rows": [], "note": _t(inp, "risk_no_readings")}
    order = att.periods_order(org)
    rows = []
    for risk in att.promises_at_risk(org):
        row = _promise_row(inp, risk.promise)
        for metric, status in risk.metrics:
            rows.append({"text": row["text"], "giver": row["giver"],
                         "receiver": row["receiver"],
                         "metric": f"{md_text(metric.name)}: {_status(inp, status)}",
                         "readings": _readings(inp, metric, status),
                         "authorities": row["authorities"]})
    unmeasured = sum(
        1 for p in org.promises if p.promise_kind in ("root", "supporting")
        and not any(att.metric_status(t, order).measured for t in
                    (r.target for r in p.metrics) if isinstance(t, m.Metric)))
    notes = [] if rows else [_t(inp, "risk_none")]
    if unmeasured:
        notes.append(_t(inp, "risk_unmeasured", count=unmeasured))
    return {"rows": rows, "note": " ".join(notes) or None}


def _economics(inp: ReportInput) -> dict[str, Any]:
    run, period = inp.bonus, inp.period
    if run is None or period is None:
        return {"title": _t(inp, "economics", period="—"), "schemes": [], "none": True}
    lang, cur = inp.lang, run.currency
    schemes = []
    for result in run.results.get(period.id, []):
        payouts = [{"name": md_text(s.name), "amount": money(s.amount, cur, lang)}
                   for s in result.shares] if inp.include_payouts else []
        schemes.append({
            "id": md_text(result.scheme.id), "unit": _ref_name(result.scheme.unit),
            "base": f"{label('base', result.scheme.base, lang)}: "
                    f"{number(result.base_amount, lang)}",
            "carried_in": money(result.carried_in, cur, lang),
            "pool": money(result.pool, cur, lang), "withheld": money(result.withheld, cur, lang),
            "released": money(result.released, cur, lang),
            "deposit": money(result.deposit_balance, cur, lang),
            "paid": money(result.paid, cur, lang), "payouts": payouts})
    return {"title": _t(inp, "economics", period=md_text(period.name or period.id)),
            "schemes": schemes, "none": False}


def _authorities(inp: ReportInput) -> list[dict[str, Any]]:
    org, lang = inp.loaded.org, inp.lang
    backed: dict[str, list[str]] = {}
    for promise in org.promises:
        for ref in promise.authorities:
            backed.setdefault(ref.id, []).append(md_text(promise.id))
    currency = org.settings.currency
    rows = []
    for authority in sorted(org.authorities, key=lambda a: (a.holder.id if a.holder else "",
                                                            a.scope)):
        budget = "—"
        if authority.budget is not None:
            from kkctl.currency import to_minor

            budget = money(to_minor(authority.budget, currency), currency, lang)
        rows.append({"scope": md_text(scope(authority.scope, lang)),
                     "holder": _ref_name(authority.holder),
                     "budget": budget, "backs": ", ".join(backed.get(authority.id, [])) or "—"})
    return rows
