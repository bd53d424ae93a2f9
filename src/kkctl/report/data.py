"""What the report shows, as plain data for the templates.

Every string that came from the user is escaped here (``markup.md_text``), and every Mermaid
block is built here (``mermaid``), so a template, the shipped one or a user's, cannot forget to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kkctl import model as m
from kkctl import steps
from kkctl.bonus.compute import BonusRun
from kkctl.diagnostics import Diagnostic, Severity
from kkctl.i18n import date_range, money, number, percent
from kkctl.labels import label, scope
from kkctl.loader import Loaded
from kkctl.markup import md_code, md_text
from kkctl.messages import plural
from kkctl.report import attention as att
from kkctl.report import mermaid
from kkctl.report.findings import section as findings_section
from kkctl.report.hypotheses import section as hypotheses_section
from kkctl.report.labels import LABELS
from kkctl.report.money import scheme_name
from kkctl.report.money import section as money_section
from kkctl.report.people import section as people_section
from kkctl.report.teams import section as teams_section
from kkctl.report.text import depth_first, sparkline
from kkctl.report.words import MAX_ROWS, more_rows, name, ref_name, short, t

MAX_ERRORS_LISTED = 20
MAX_RISK_ROWS = 20  # promises at risk listed on the main page
MAX_PROMISE_ROWS = 40  # rows of the promise tables on the main page
MAX_DIAGRAM_PROMISES = 60  # more cannot be read in one picture
CANVAS_FINDINGS = ("KK225", "KK226", "KK227")


@dataclass
class ReportInput:
    loaded: Loaded
    # the lint and bonus findings, or a function that waits for them: a large organisation is
    # linted in the background while the sections that do not need findings are built
    findings: list[Diagnostic] | Callable[[], list[Diagnostic]]
    bonus: BonusRun | None
    period: m.Period | None
    lang: str
    include_payouts: bool = False
    revision: str | None = None
    assets: dict[str, str] = field(default_factory=dict)  # chart name -> relative path
    pages: str | None = None  # the detail pages' folder, as the report links it
    withheld_money: bool = False  # money_for() refused: the organisation has errors
    changes: dict[str, Any] | None = None  # --since REV: kkctl.report.changes.since
    statuses: dict[str, att.MetricStatus] = field(init=False)  # metric id -> status
    risks: list[att.PromiseAtRisk] = field(init=False)
    unmeasured: int = field(init=False)  # root and supporting promises without readings

    def __post_init__(self) -> None:  # once per report: every section reads them
        # (after the lint child was forked: measured, that is 0.6 s faster at 10,000 teams
        # than before it, though every object touched then costs a page copy)
        self.statuses = att.statuses(self.loaded.org,
                                     self.period.id if self.period is not None else None)
        self.risks, self.unmeasured = att.assess_promises(self.loaded.org, self.statuses)

    @property
    def lint(self) -> list[Diagnostic]:
        if callable(self.findings):
            self.findings = self.findings()
        return self.findings

    def page_link(self, page: str) -> str | None:
        """The link to detail page ``page`` (``metrics``), None without --pages."""
        return f"{self.pages}/{page}.md" if self.pages is not None else None


def build(inp: ReportInput) -> dict[str, Any]:
    org, lang = inp.loaded.org, inp.lang
    context = {
        "lang": lang, "l": LABELS[lang],
        "header": _header(inp),
        "risks": risk_rows(inp),
        "commodity": bool(org.settings.applicability.get("commodity")),
        "promises": _promises(inp),
        "council": _council(inp),
        "metrics": metric_rows(inp),
        "metrics_more": _more(inp, "metrics", len(org.metrics),
                              min(len(org.metrics), MAX_ROWS)),
        "economics": _economics(inp),
        "authorities": _authorities(inp),
        "authorities_more": _more(inp, "index", len(org.authorities),
                                  min(len(org.authorities), MAX_ROWS)),
        "teams": teams_rows(inp),
        "money": money_section(inp.bonus, inp.period, lang, inp.include_payouts,
                               inp.withheld_money),
        "hypotheses": hypotheses_rows(inp),
        "changes": inp.changes,
        "steps": _steps(inp),
    }
    # the sections that need the findings last: they may still be being computed
    context.update({
        "attention": _attention(inp),
        "health": _health(inp),
        "canvases": [_canvas(inp, c) for c in org.canvases],
        "people": people_rows(inp),
        "findings": findings_section([*inp.loaded.diagnostics, *inp.lint], lang),
    })
    return context


def _steps(inp: ReportInput) -> dict[str, Any]:
    """The nine steps of adoption (:mod:`kkctl.steps`): a line for the header, the checklist."""
    described = steps.describe(steps.assess(inp.loaded.org), inp.lang, md_text)
    following = described["next"]
    summary = _t(inp, "steps_summary", done=described["done"])
    if following is not None:
        summary += " " + _t(inp, "steps_next", number=following["number"],
                            text=following["text"])
    marks = steps.MARKS
    rows = [f"{marks[s['state']]} {s['number']}. **{s['title']}**: {s['state_text']}"
            + (f" ({'; '.join(s['facts'])})" if s["facts"] else "")
            for s in described["steps"]]
    return {"summary": summary, "rows": rows}


def _today() -> dt.date:
    return dt.date.today()


def teams_rows(inp: ReportInput, limit: int | None = MAX_ROWS) -> dict[str, Any]:
    """Teams' indicators and economics (:mod:`kkctl.report.teams`), ``limit`` rows each."""
    currency = inp.bonus.currency if inp.bonus is not None else inp.loaded.org.settings.currency
    return teams_section(inp.loaded.org, inp.period, inp.lang, currency, inp.statuses,
                         lambda status: _status(inp, status),
                         lambda metric, status: _readings(inp, metric, status),
                         inp.page_link("teams"), limit)


def people_rows(inp: ReportInput, limit: int | None = MAX_ROWS) -> dict[str, Any]:
    """Memberships around the meeting and the council (:mod:`kkctl.report.people`)."""
    return people_section(inp.loaded.org, inp.period, inp.lint, inp.lang, _today(),
                          inp.page_link("people"), limit)


def hypotheses_rows(inp: ReportInput, limit: int | None = MAX_ROWS) -> dict[str, Any]:
    """Hypotheses with their metrics and age (:mod:`kkctl.report.hypotheses`)."""
    return hypotheses_section(inp.loaded.org, inp.period.end if inp.period else None,
                              inp.lang, inp.statuses, lambda status: _status(inp, status),
                              inp.page_link("hypotheses"), limit)


def _t(inp: ReportInput, key: str, **args: Any) -> str:
    return t(inp.lang, key, **args)


def _header(inp: ReportInput) -> dict[str, Any]:
    settings = inp.loaded.org.settings
    digest = hashlib.sha256()
    root = inp.loaded.project.root
    prefix = os.path.join(os.path.abspath(root), "")
    for parsed in inp.loaded.files:  # named relative to the project: same hash from any folder
        path = os.path.abspath(parsed.path)
        name = (path[len(prefix):] if path.startswith(prefix)  # relpath is slow: 10,000 files
                else os.path.relpath(path, root)).replace(os.sep, "/")
        digest.update(name.encode() + b"\0")
        digest.update(parsed.raw or b"")  # not concatenated: 45 MB copied at 10,000 teams
        digest.update(b"\0")
    key_value = settings.key_value
    period = inp.period
    return {
        "title": _t(inp, "title", name=md_text(settings.name or settings.id or "?")),
        "goal": md_text(settings.evolutionary_goal) if settings.evolutionary_goal else "—",
        "key_value": ref_name(key_value),
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
        shown = ref_name(factor.value)
        rows.append({"name": f"**{shown}**" if factor.key else shown, "key": factor.key,
                     "action": _t(inp, factor.action) if factor.action else "—",
                     "scores": scores})
    errc = {a: [ref_name(f.value) for f in canvas.factors if f.action == a]
            for a in ("eliminate", "reduce", "raise", "create")}
    findings = [md_text(d.message(lang)) for d in inp.lint
                if d.code in CANVAS_FINDINGS and d.subject == ("canvas", canvas.id)]
    names = [md_text(o.name or o.id) for o in offerings]
    return {
        "id": canvas.id, "title": md_text(canvas.id),
        "client": ref_name(canvas.client), "need": md_text(canvas.need) if canvas.need else None,
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
    """Root promises by client value, each with every promise supporting it at any depth,
    until :data:`MAX_PROMISE_ROWS` rows; the promises at risk first."""
    org = inp.loaded.org
    book = _PromiseBook(org)
    at_risk = {r.promise.id for r in inp.risks}
    roots = sorted(book.roots, key=lambda p: p.id not in at_risk)
    by_value: dict[str, list[dict[str, Any]]] = {}
    shown: set[str] = set()
    for promise in roots:
        if len(shown) >= MAX_PROMISE_ROWS:
            break
        tree = supporting_tree(promise, book.supporters, MAX_PROMISE_ROWS - len(shown) - 1)
        shown.add(promise.id)
        shown.update(s.id for s, _ in tree if s.promise_kind != "general")
        key = promise.value.id if promise.value is not None else "?"
        by_value.setdefault(key, []).append({
            **promise_row(inp, promise),
            "supporting": [{**promise_row(inp, s), "depth": depth,
                            "indent": "\u2003" * (depth - 1)} for s, depth in tree]})
    groups = []
    for value_id, rows in by_value.items():
        value = org.get(value_id)
        groups.append({"value": name(value, md_text(value_id)), "promises": rows})
    general = [promise_row(inp, p) for p in book.general[:MAX_ROWS]]
    system = book.system
    diagrams, note = (mermaid.promise_diagrams(org, inp.lang) if system <= MAX_DIAGRAM_PROMISES
                      else ([], _t(inp, "diagram_too_large", count=system,
                                   shown=number(system, inp.lang))))
    return {"groups": groups, "general": general, "coverage": _coverage(inp, book.covered),
            "diagrams": diagrams, "diagram_note": note,
            "more": _more(inp, "index", system, len(shown)),
            "general_more": _more(inp, "index", len(book.general), len(general))}


class _PromiseBook:
    """What the promise section needs of 40,000 promises, in one pass over them."""

    def __init__(self, org: m.Organisation) -> None:
        self.supporters: dict[str, list[m.Promise]] = {}  # promise id -> its supporters
        self.roots: list[m.Promise] = []
        self.general: list[m.Promise] = []
        self.covered: dict[str, int] = {}  # value id -> how many root promises cover it
        self.system = 0  # root and supporting promises
        for promise in org.promises:
            for ref in promise.supports:
                self.supporters.setdefault(ref.id, []).append(promise)
            kind = promise.promise_kind
            if kind == "general":
                self.general.append(promise)
                continue
            self.system += kind in ("root", "supporting")
            if kind == "root":
                self.roots.append(promise)
                if promise.value is not None:
                    value = promise.value.id
                    self.covered[value] = self.covered.get(value, 0) + 1


def _coverage(inp: ReportInput, covered: dict[str, int]) -> list[dict[str, str]]:
    """Each canvas value: how many root promises cover it (``covered``: by value id)."""
    coverage = []
    for canvas in inp.loaded.org.canvases:
        for factor in canvas.factors:
            count = covered.get(factor.value.id, 0)
            if factor.action == "eliminate" and not count:
                coverage.append({"value": ref_name(factor.value), "mark": "➖",
                                 "text": _t(inp, "eliminated")})
                continue
            coverage.append({"value": ref_name(factor.value), "mark": "✅" if count else "🔴",
                             "text": _t(inp, "covered", count=count) if count else
                             _t(inp, "uncovered")})
    return coverage


def supporting_tree(root: m.Promise, supporters: dict[str, list[m.Promise]],
                    limit: int | None = None) -> list[tuple[m.Promise, int]]:
    """``(promise, depth)`` of every promise supporting ``root``, at any depth, each once,
    depth first (a supporting promise right under the promise it supports); the first
    ``limit`` only."""
    found: list[tuple[m.Promise, int]] = []
    seen = {root.id}
    stack = [(s, 1) for s in reversed(supporters.get(root.id, []))]
    while stack and (limit is None or len(found) < limit):
        promise, depth = stack.pop()
        if promise.id in seen:  # a cycle, or supporting two promises: listed once
            continue
        seen.add(promise.id)
        found.append((promise, depth))
        stack.extend((s, depth + 1) for s in reversed(supporters.get(promise.id, [])))
    return found


def promise_row(inp: ReportInput, promise: m.Promise) -> dict[str, Any]:
    missing = _t(inp, "missing")
    metrics = ", ".join(ref_name(r) for r in promise.metrics) or f"**⚠ {missing}**"
    authorities = ", ".join(md_text(scope(r.target.scope, inp.lang))
                            if isinstance(r.target, m.Authority)
                            else md_text(r.id) for r in promise.authorities) or f"**⚠ {missing}**"
    text = md_text(promise.text)
    if promise.condition:
        text += f" _({md_text(promise.condition)})_"
    return {"id": md_text(promise.id), "text": text, "giver": ref_name(promise.giver),
            "receiver": ref_name(promise.receiver), "metrics": metrics,
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
            members.append({"name": ref_name(member.person), "role": role,
                            "represents": ", ".join(ref_name(r) for r in member.represents)
                            or "—"})
        councils.append({"name": md_text(council.name), "members": members})
    tree = [team_row(inp, team, depth) for team, depth in team_tree(org, MAX_ROWS)]
    return {"councils": councils, "teams": tree,
            "teams_more": _more(inp, "index", len(org.teams), len(tree))}


def team_tree(org: m.Organisation, limit: int | None = None) -> list[tuple[m.Team, int]]:
    """``(team, depth)``, each team followed by the teams inside it; a parent cycle (lint
    reports it) is cut, and its teams come last; the first ``limit`` only."""
    children = org.subteams()
    roots = [team for team in org.teams if team.parent is None or team.parent.target is None]
    tree = depth_first(roots, lambda t: children.get(t.id, []), lambda t: t.id, limit)
    if limit is not None and len(tree) >= limit:
        return tree
    seen = {team.id for team, _ in tree}
    return (tree + [(t, 0) for t in org.teams if t.id not in seen])[:limit]


def team_row(inp: ReportInput, team: m.Team, depth: int) -> dict[str, Any]:
    kind = f"type_{team.type}" if team.type else None
    return {"name": ("\u2003" * depth) + ("└ " if depth else "") + md_text(team.name),
            "type": _t(inp, kind) if kind and kind in LABELS[inp.lang] else "—",
            "leader": ref_name(team.leader), "members": str(len(team.members)),
            "indicator": ref_name(team.success_indicator)}


def _metric_rank(status: att.MetricStatus) -> int:
    """0 off target and not improving, 1 off target but improving, 2 without a target,
    3 without readings, 4 on target: what needs a decision first."""
    if not status.measured:
        return 3
    if status.on_target is None:
        return 2
    if status.on_target:
        return 4
    return 1 if status.trend == att.IMPROVING else 0


def _ranked_metrics(inp: ReportInput) -> list[m.Metric]:
    """Off target first; file order otherwise."""
    return sorted(inp.loaded.org.metrics, key=lambda x: _metric_rank(inp.statuses[x.id]))


def metric_rows(inp: ReportInput, limit: int | None = MAX_ROWS) -> list[dict[str, Any]]:
    """Metrics, off target first: the first ``limit`` (None: every one)."""
    lang = inp.lang
    rows: list[dict[str, Any]] = []
    for metric in _ranked_metrics(inp)[:limit]:
        status = inp.statuses[metric.id]
        values = [r.value for r in status.readings]
        latest = values[-1] if values else None
        rows.append({"rank": _metric_rank(status), "name": md_text(metric.name),
                     "unit": md_text(metric.unit),
                     "latest": number(latest, lang) if latest is not None else "—",
                     "target": number(metric.target, lang) if metric.target is not None
                     else "—",
                     # the raw shape only: whether a change is good is the status's job (a
                     # falling line is good news for a metric that should fall)
                     "trend": sparkline(values) or "—",
                     "status": _status(inp, status)})
    return rows


def _more(inp: ReportInput, page: str, total: int, shown: int) -> str | None:
    """``… and N more rows``, linking the detail page that has them all (with --pages)."""
    return more_rows(inp.lang, total - shown, inp.page_link(page))


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
    items = att.attention(org, [*inp.loaded.diagnostics, *inp.lint], money_results,
                          inp.risks)
    lines = []
    for item in items:
        anchor = f"#{item.anchor}"
        if item.kind == "risk":
            risk: att.PromiseAtRisk = item.args["risk"]
            metrics = "; ".join(f"{md_text(metric.name)}: {_status(inp, status)}"
                                for metric, status in risk.metrics)
            lines.append(_t(inp, "att_risk", promise=md_text(risk.promise.text), anchor=anchor,
                            giver=ref_name(risk.promise.giver),
                            receiver=ref_name(risk.promise.receiver), metrics=metrics))
        elif item.kind == "more_risks":
            lines.append(_t(inp, "att_more_risks", count=item.args["count"],
                            shown=number(item.args["count"], lang), anchor=anchor))
        elif item.kind == "errors":
            lines.append(_t(inp, "att_errors", count=item.args["count"], anchor=anchor))
        elif item.kind == "loss":
            currency = inp.bonus.currency if inp.bonus is not None else org.settings.currency
            lines.append(_t(inp, "att_loss", scheme=scheme_name(item.args["scheme"]),
                            amount=money(item.args["amount"], currency, lang), anchor=anchor))
    return {"items": lines, "none": _t(inp, "att_none")}


def risk_rows(inp: ReportInput, limit: int | None = MAX_RISK_ROWS) -> dict[str, Any]:
    """Promises at risk, the most at risk first: the first ``limit`` (None: every one)."""
    org = inp.loaded.org
    if not att.has_readings(org):
        return {"rows": [], "note": _t(inp, "risk_no_readings"), "more": None}
    rows = []
    for risk in inp.risks[:limit]:
        row = promise_row(inp, risk.promise)
        for metric, status in risk.metrics:
            rows.append({"text": row["text"], "giver": row["giver"],
                         "receiver": row["receiver"],
                         "metric": f"{md_text(metric.name)}: {_status(inp, status)}",
                         "readings": _readings(inp, metric, status),
                         "authorities": row["authorities"]})
    notes = [] if rows else [_t(inp, "risk_none")]
    if inp.unmeasured:
        notes.append(_t(inp, "risk_unmeasured", count=inp.unmeasured))
    return {"rows": rows, "note": " ".join(notes) or None,
            "more": _more(inp, "risks", len(inp.risks), len(inp.risks[:limit]))}


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
            "id": scheme_name(result.scheme), "unit": ref_name(result.scheme.unit),
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
    """The largest budgets first (the decisions that cost most), then by holder and scope;
    the first :data:`MAX_ROWS` only."""
    org = inp.loaded.org
    with_budget = [a for a in org.authorities if a.budget and a.budget > 0]
    candidates = with_budget if len(with_budget) >= MAX_ROWS else org.authorities
    shown = heapq.nsmallest(MAX_ROWS, candidates, key=lambda a: (
        -(a.budget or 0), a.holder.id if a.holder else "", a.scope))
    ids = {a.id for a in shown}
    backed: dict[str, list[m.Promise]] = {}
    for promise in org.promises:
        for ref in promise.authorities:
            if ref.id in ids:
                backed.setdefault(ref.id, []).append(promise)
    return [authority_row(inp, a, backed.get(a.id, [])) for a in shown]


def authority_row(inp: ReportInput, authority: m.Authority, backs: list[m.Promise]
                  ) -> dict[str, Any]:
    """An authority by its scope's name, its holder's name and the promises it backs."""
    from kkctl.currency import to_minor

    currency, lang = inp.loaded.org.settings.currency, inp.lang
    budget = "—" if authority.budget is None else \
        money(to_minor(authority.budget, currency), currency, lang)
    return {"scope": md_text(scope(authority.scope, lang)),
            "holder": ref_name(authority.holder), "budget": budget,
            "backs": "; ".join(short(p.text, 60) for p in backs) or "—"}
