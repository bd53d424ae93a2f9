"""The report opens with what needs the council's decision: promises at risk judged by each
metric's direction, target and trend; never a promise without readings."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import write_tree
from kkctl.diagnostics import Severity
from kkctl.loader import Options, load
from kkctl.model import Metric
from kkctl.report.attention import (
    FLAT,
    IMPROVING,
    WORSENING,
    attention,
    metric_status,
    periods_order,
    promises_at_risk,
)

PROJECT = """
kkctl: 1
organisation:
  id: risky
  name: Risky
  locale: {locale}
values:
  - {{id: speed, name: Speed}}
clients:
  - {{id: shoppers, name: Shoppers, kind: external}}
people:
  - {{id: vera, name: Vera}}
  - {{id: oleg, name: Oleg}}
teams:
  - {{id: front, name: Front, leader: vera, members: [vera]}}
  - {{id: back, name: Back, leader: oleg, members: [oleg]}}
authorities:
  - {{id: a-front, scope: Front decisions, holder: front}}
  - {{id: a-back, scope: Back decisions, holder: back}}
periods:
  - {{id: q1, name: Q1, start: 2026-01-01, end: 2026-03-31, net_profit: 0}}
  - {{id: q2, name: Q2, start: 2026-04-01, end: 2026-06-30, net_profit: 0}}
  - {{id: q3, name: Q3, start: 2026-07-01, end: 2026-09-30, net_profit: 0}}
"""

METRICS = """
metrics:
  - {id: up-off-worse, name: Up off worse, unit: x, direction: up, target: 100,
     readings: [{period: q2, value: 70}, {period: q1, value: 80}]}
  - {id: down-off-worse, name: Down off worse, unit: x, direction: down, target: 10,
     readings: [{period: q1, value: 20}, {period: q2, value: 22}, {period: q3, value: 25}]}
  - {id: up-off-flat, name: Up off flat, unit: x, direction: up, target: 100,
     readings: [{period: q1, value: 50}, {period: q2, value: 60}, {period: q3, value: 60}]}
  - {id: down-off-better, name: Down off better, unit: x, direction: down, target: 10,
     readings: [{period: q1, value: 30}, {period: q2, value: 20}]}
  - {id: up-on-worse, name: Up on worse, unit: x, direction: up, target: 50,
     readings: [{period: q1, value: 90}, {period: q2, value: 80}]}
  - {id: down-on-worse, name: Down on worse, unit: x, direction: down, target: 10,
     readings: [{period: q1, value: 5}, {period: q2, value: 8}]}
  - {id: unread, name: Unread, unit: x, direction: up, target: 10}
  - {id: no-target, name: No target, unit: x, direction: up,
     readings: [{period: q1, value: 5}, {period: q2, value: 3}]}
  - {id: once, name: Once, unit: x, direction: up, target: 10,
     readings: [{period: q1, value: 5}]}
"""

PROMISES = """
promises:
  - {id: p-root-risk, kind: root, giver: front, receiver: shoppers, value: speed,
     text: Root falls behind, metrics: [up-off-worse], authorities: [a-front]}
  - {id: p-root-ok, kind: root, giver: front, receiver: shoppers, value: speed,
     text: Root improves, metrics: [down-off-better], authorities: [a-front]}
  - {id: p-supp-risk, kind: supporting, giver: back, receiver: front, supports: [p-root-ok],
     text: Support worsens, metrics: [down-off-worse], authorities: [a-back]}
  - {id: p-supp-ok, kind: supporting, giver: back, receiver: front, supports: [p-root-ok],
     text: Support on target, metrics: [up-on-worse, down-on-worse], authorities: [a-back]}
  - {id: p-deep-risk, kind: supporting, giver: front, receiver: back, supports: [p-supp-ok],
     text: Deep support stalls, metrics: [up-off-flat], authorities: [a-front]}
  - {id: p-unmeasured, kind: root, giver: front, receiver: shoppers, value: speed,
     text: Never measured, metrics: [unread], authorities: [a-front]}
  - {id: p-unjudged, kind: root, giver: front, receiver: shoppers, value: speed,
     text: Cannot be judged, metrics: [no-target, once], authorities: [a-front]}
  - {id: p-general, kind: general, giver: front, receiver: shoppers,
     text: General promise, metrics: [up-off-worse], authorities: [a-front]}
"""

AT_RISK = {"p-root-risk", "p-supp-risk", "p-deep-risk"}
TEXTS = {"p-root-risk": "Root falls behind", "p-supp-risk": "Support worsens",
         "p-deep-risk": "Deep support stalls", "p-root-ok": "Root improves",
         "p-supp-ok": "Support on target", "p-unmeasured": "Never measured",
         "p-unjudged": "Cannot be judged", "p-general": "General promise"}


def _org_dir(root: Path, locale: str = "en", metrics: str = METRICS) -> Path:
    return write_tree(root, {"kkctl.yaml": PROJECT.format(locale=locale),
                             "org/metrics.yaml": metrics, "org/promises.yaml": PROMISES})


@pytest.fixture
def org(tmp_path: Path):  # type: ignore[no-untyped-def]
    loaded = load(str(_org_dir(tmp_path / "org")), Options(use_cache=False))
    errors = [d for d in loaded.diagnostics if d.severity is Severity.ERROR]
    assert not errors, [d.message("en") for d in errors]
    return loaded.org


def _metric(org, ident: str) -> Metric:  # type: ignore[no-untyped-def]
    metric = org.get(ident)
    assert isinstance(metric, Metric)
    return metric


def test_metric_status_is_judged_by_direction(org) -> None:  # type: ignore[no-untyped-def]
    order = periods_order(org)
    cases = {  # id: (on target, trend, streak, progress, at risk)
        "up-off-worse": (False, WORSENING, 1, Decimal(0), True),
        "down-off-worse": (False, WORSENING, 2, Decimal(0), True),
        "up-off-flat": (False, FLAT, 1, Decimal("0.2"), True),
        "down-off-better": (False, IMPROVING, 1, Decimal("0.5"), False),
        "up-on-worse": (True, WORSENING, 1, Decimal(1), False),
        "down-on-worse": (True, WORSENING, 1, Decimal(1), False),
        "no-target": (None, WORSENING, 1, None, False),
        "once": (False, None, 0, None, False),
    }
    for ident, (on_target, trend, streak, progress, risk) in cases.items():
        status = metric_status(_metric(org, ident), order)
        assert status.measured, ident
        assert (status.on_target, status.trend, status.streak, status.progress,
                status.at_risk) == (on_target, trend, streak, progress, risk), ident
    unread = metric_status(_metric(org, "unread"), order)
    assert not unread.measured and not unread.at_risk and unread.progress is None
    assert [r.period for r in metric_status(_metric(org, "up-off-worse"), order).readings] \
        == ["q1", "q2"]  # time order, not file order


def test_exactly_the_expected_promises_are_at_risk(org) -> None:  # type: ignore[no-untyped-def]
    risks = promises_at_risk(org)
    assert {r.promise.id for r in risks} == AT_RISK
    assert risks[0].promise.id == "p-supp-risk"  # worsening for the longest
    by_id = {r.promise.id: r for r in risks}
    deep = by_id["p-deep-risk"]
    assert deep.giver is not None and deep.giver.id == "front"
    assert deep.receiver is not None and deep.receiver.id == "back"
    assert [m.id for m, _ in deep.metrics] == ["up-off-flat"]
    assert [a.id for a in deep.authorities] == ["a-front"]
    items = attention(org, [], [])
    assert [i.kind for i in items] == ["risk"] * 3
    assert all(i.anchor == "promises-at-risk" for i in items)


def test_attention_stays_short(tmp_path: Path) -> None:
    many = PROMISES + "".join(
        f"  - {{id: extra-{i}, kind: root, giver: front, receiver: shoppers, value: speed,"
        f" text: Extra {i}, metrics: [up-off-worse], authorities: [a-front]}}\n"
        for i in range(12))
    root = _org_dir(tmp_path / "org")
    (root / "org" / "promises.yaml").write_text(many.lstrip("\n"), encoding="utf-8")
    loaded = load(str(root), Options(use_cache=False))
    items = attention(loaded.org, loaded.diagnostics, [])
    assert len(items) == 10 and items[-1].kind == "more_risks"
    assert items[-1].args["count"] == 15 - 9


def _opening(text: str) -> str:
    return text.split('<a id="attention"></a>', 1)[1].split('<a id="promises-at-risk">', 1)[0]


def test_report_opens_with_the_promises_at_risk(kkctl, tmp_path: Path) -> None:
    root = _org_dir(tmp_path / "org")
    run = kkctl("report", str(root))
    assert run.code == 0, run.err
    assert run.out.index("What needs the council's attention") < run.out.index(
        "## Open findings")
    opening = _opening(run.out)
    items = [line for line in opening.splitlines() if line.startswith("- ")]
    risks_listed = [line for line in items if line.startswith("- Promise at risk: ")]
    assert len(risks_listed) == len(AT_RISK)
    # the rest of the list: lint's errors of this sketchy organisation (the rules of the steps
    # it has reached), linked to their section
    assert [line for line in items if line not in risks_listed] == [
        "- [3 errors](#health) found by validation and lint to fix."]
    for ident, text in TEXTS.items():
        assert (f"[{text}](#promises-at-risk)" in opening) == (ident in AT_RISK), ident
    assert "off target, worsening for 2 periods" in opening
    risks = run.out.split("## Promises at risk", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in risks.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + len(AT_RISK)  # the header and one row per promise
    assert "Q1: 20 → Q2: 22 → Q3: 25 (target 10)" in risks
    assert "Not measured (no readings): 1 promise." in risks
    metrics = run.out.split("## Metrics", 1)[1]
    assert re.search(r"Down off better.*🟡 off target, improving for 1 period, 50% of the way",
                     metrics)


def test_report_without_readings_says_so_in_russian(kkctl, tmp_path: Path) -> None:
    bare = re.sub(r",\s*readings: \[[^\]]*\]", "", METRICS)
    root = _org_dir(tmp_path / "org", "ru", bare)
    run = kkctl("report", str(root), env={"KKCTL_LANG": "ru"})
    assert run.code == 0, run.err
    assert "## Что требует решения совета" in run.out
    opening = _opening(run.out)
    assert "Обещание под угрозой" not in opening  # no readings: not measured, never at risk
    assert [line for line in opening.splitlines() if line.startswith("- ")] == [
        "- [Ошибок проверки и линтера: 3](#health) — нужно исправить."]
    assert "Показаний метрик пока нет" in run.out


def test_nothing_to_decide_is_one_line(kkctl, tmp_path: Path) -> None:
    calm = METRICS.replace("readings: [{period: q2, value: 70}, {period: q1, value: 80}]",
                           "readings: [{period: q1, value: 70}, {period: q2, value: 80}]")
    calm = calm.replace("{period: q2, value: 22}, {period: q3, value: 25}",
                        "{period: q2, value: 18}, {period: q3, value: 15}")
    calm = calm.replace("{period: q2, value: 60}, {period: q3, value: 60}",
                        "{period: q2, value: 60}, {period: q3, value: 70}")
    root = _org_dir(tmp_path / "org", metrics=calm)
    settings = root / "kkctl.yaml"  # the sketch breaks rules the council need not decide on
    settings.write_text(settings.read_text().replace(
        "  locale: en\n", "  locale: en\nlint:\n  rules: {" + ", ".join(
            f"{code}: warning" for code in _error_codes(root)) + "}\n"), encoding="utf-8")
    run = kkctl("report", str(root))
    assert run.code == 0, run.err
    assert _opening(run.out).strip().splitlines()[-1] == "Nothing needs the council's decision."


def _error_codes(root: Path) -> set[str]:
    from kkctl.lint.app import findings_for

    loaded = load(str(root), Options(use_cache=False))
    return {d.code for d in findings_for(loaded) if d.severity is Severity.ERROR}


def test_a_carried_loss_and_errors_follow_the_risks(org) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from kkctl.diagnostics import Diagnostic

    error = Diagnostic("KK101", Severity.ERROR, "f.yaml", 1, 1, (), "schema.required", {})
    loss = SimpleNamespace(scheme=SimpleNamespace(id="s"), carried_out=500)
    paid = SimpleNamespace(scheme=SimpleNamespace(id="t"), carried_out=0)
    items = attention(org, [error, error], [loss, paid])
    assert [i.kind for i in items] == ["risk"] * 3 + ["errors", "loss"]
    assert items[3].args == {"count": 2} and items[3].anchor == "health"
    assert items[4].args["amount"] == 500 and items[4].anchor == "economics"
