"""The report's sections say what a council member needs, in names: teams' indicators and
economics, money as a share of net profit, memberships around the meeting, hypotheses with
their age, open findings listed, every supporting promise at every depth."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import write_tree

PROJECT = """
kkctl: 1
organisation:
  id: bakery
  name: Bakery
  locale: {locale}
  currency: USD
  key_value: fresh
values:
  - {{id: fresh, name: Fresh bread}}
clients:
  - {{id: locals, name: Neighbours, kind: external}}
people:
  - {{id: vera, name: Vera Orlova}}
  - {{id: oleg, name: Oleg Ivanov}}
  - {{id: ivan, name: Ivan Petrov}}
  - {{id: nina, name: Nina Popova}}
  - {{id: lev, name: Lev Sokolov}}
teams:
  - {{id: ovens, name: Ovens unit, type: value_creating, leader: vera,
     members: [vera, {{person: lev, to: 2027-02-10}}], success_indicator: m-loaves}}
  - {{id: dough, name: Dough team, parent: ovens, leader: oleg,
     members: [oleg, {{person: ivan, from: 2027-01-20}}, {{person: nina, to: 2026-06-30}}],
     success_indicator: m-waste}}
  - {{id: crust, name: Crust team, parent: dough, leader: ivan, members: [ivan]}}
councils:
  - id: board
    name: Bakery council
    kind: company
    reward: rs-board
    members:
      - {{person: vera, role: leader, represents: [ovens]}}
authorities:
  - {{id: a-ovens, scope: Oven schedule, holder: ovens}}
  - {{id: a-dough, scope: Dough recipes, holder: dough}}
  - {{id: a-crust, scope: Crust colour, holder: crust}}
metrics:
  - {{id: m-loaves, name: Loaves sold, unit: loaves, direction: up, target: 1000,
     readings: [{{period: q1, value: 400}}, {{period: q2, value: 500}},
                {{period: q3, value: 450}}]}}
  - {{id: m-waste, name: Waste share, unit: '%', direction: down, target: 5,
     readings: [{{period: q1, value: 9}}, {{period: q2, value: 8}}, {{period: q3, value: 6}}]}}
  - {{id: m-crust, name: Golden crusts, unit: '%', direction: up, target: 90}}
promises:
  - {{id: p-root, kind: root, giver: ovens, receiver: locals, value: fresh,
     text: Bread on the shelf by seven, metrics: [m-loaves], authorities: [a-ovens]}}
  - {{id: p-dough, kind: supporting, giver: dough, receiver: ovens, supports: [p-root],
     text: Dough ready by five, metrics: [m-waste], authorities: [a-dough]}}
  - {{id: p-crust, kind: supporting, giver: crust, receiver: dough, supports: [p-dough],
     text: Crust recipe tested weekly, metrics: [m-crust], authorities: [a-crust]}}
reward_schemes:
  - {{id: rs-board, name: Council bonus, unit: board, base: net_profit, share: 0.20}}
  - {{id: rs-ovens, unit: ovens, base: team_profit, share: 0.20}}
periods:
  - {{id: q1, name: Q1, start: 2026-01-01, end: 2026-03-31, net_profit: 100000,
     teams: {{ovens: {{income: 50000, expenses: 20000}}}}}}
  - {{id: q2, name: Q2, start: 2026-04-01, end: 2026-06-30, net_profit: 100000,
     teams: {{ovens: {{income: 10000, expenses: 30000}}}}}}
  - {{id: q3, name: Q3, start: 2026-07-01, end: 2026-09-30, net_profit: 100000,
     teams: {{ovens: {{income: 10000, expenses: 25000}}}}}}
  - {{id: q4, name: Q4, start: 2026-10-01, end: 2026-12-31, net_profit: 200000,
     teams: {{ovens: {{income: 300000, expenses: 100000}}}}}}
hypotheses:
  - {{id: h-open, type: strategic, text: Office workers buy lunch bread, status: open,
     since: 2026-03-01, metrics: [m-loaves]}}
  - {{id: h-tact, type: tactical, parent: h-open, text: A lunch stall sells 50 loaves,
     status: open, since: 2026-12-10}}
  - {{id: h-yes, type: value, text: Neighbours value warm bread, status: confirmed,
     since: 2025-01-15, decided: 2025-07-15}}
  - {{id: h-no, type: strategic, text: Cakes sell online, status: refuted,
     since: 2025-02-01, decided: 2025-05-01}}
  - {{id: h-pivot, type: strategic, text: Cakes sell in the shop instead, status: pivoted,
     since: 2025-05-02}}
"""


def _project(root: Path, locale: str = "en", text: str = PROJECT) -> Path:
    return write_tree(root, {"kkctl.yaml": text.format(locale=locale)})


def _section(report: str, heading: str) -> str:
    """The text of the ``## heading`` section, up to the next ``## ``."""
    return report.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]


@pytest.fixture
def english(kkctl, tmp_path: Path) -> str:
    run = kkctl("report", str(_project(tmp_path / "org")), "--period", "q3")
    assert run.code == 0, run.err
    return str(run.out)


def test_every_supporting_promise_is_in_the_tables_at_every_depth(english: str) -> None:
    promises = _section(english, "Promise system")
    rows = [line for line in promises.splitlines() if line.startswith("| ")]
    assert any("Bread on the shelf by seven" in r and r.startswith("| Bread") for r in rows)
    assert any(r.startswith("| ↳ Dough ready by five") for r in rows)
    assert any(r.startswith("| \u2003↳ Crust recipe tested weekly") for r in rows)
    # the flowchart names the giving team, not its id
    assert "Crust team: Crust recipe tested weekly" in promises
    assert '"crust: ' not in promises


def test_teams_show_indicators_economics_and_the_structure(english: str) -> None:
    teams = _section(english, "Teams: success indicators and economics")
    rows = [line for line in teams.split("### Team economics")[0].splitlines()
            if line.startswith("| ") and "---" not in line][1:]
    # the worrying indicator first: loaves fell in Q3 and are off target
    assert rows[0].startswith("| Ovens unit | Loaves sold, loaves |")
    assert "🔴 off target, worsening for 1 period" in rows[0]
    assert rows[1].startswith("| Dough team | Waste share, % |")
    assert "🟡 off target, improving for 2 periods" in rows[1]
    # the chart: % of target, a coloured legend naming team and indicator
    chart = re.search(r"```mermaid\n(.*?)```", teams, re.DOTALL)
    assert chart is not None and "xychart-beta" in chart.group(1)
    assert "line [40, 50, 45]" in chart.group(1)  # loaves as % of 1000
    assert "line [56, 63, 83]" in chart.group(1)  # waste: target ÷ value (5/9, 5/8, 5/6)
    assert "- 🟦 Ovens unit: Loaves sold (45%)" in teams
    economics = teams.split("### Team economics")[1]
    assert "| Ovens unit | $10,000.00 | $25,000.00 | $0.00 | **-$15,000.00** |" in economics
    assert "**loss 2 periods in a row**" in economics  # Q2 and Q3; Q4 is after the period
    structure = english.split("### Structure", 1)[1].split("```", 2)[1]
    assert 'team_ovens["Ovens unit#160;· 2"]' in structure  # two teams inside, at any depth
    assert 'team_ovens --> team_dough["Dough team#160;· 1"]' in structure


def test_money_is_a_share_of_net_profit_and_says_when_schemes_stack(kkctl,
                                                                   tmp_path: Path) -> None:
    run = kkctl("report", str(_project(tmp_path / "org")))  # Q4: the latest period
    assert run.code == 0, run.err
    money = _section(run.out, "Money: Q4")
    assert "| Council bonus | Bakery council | net profit: $200,000.00 × 20% |" in money
    # rs-ovens has no name: it is named by the team it pays
    assert "| Ovens unit | Ovens unit | team profit: $200,000.00 × 20% |" in money
    assert "loss carried in" in money  # Q2–Q3 losses carried into Q4
    assert "of the period's net profit of $200,000.00" in money
    assert "cap" not in money  # no company cap: the share is shown, nothing is judged
    assert "Per-person amounts are not shown" in money and "Vera Orlova" not in money
    paid = kkctl("report", str(_project(tmp_path / "org")), "--include-payouts")
    assert "| Vera Orlova |" in _section(paid.out, "Money: Q4")


def test_money_is_withheld_when_the_organisation_has_errors(kkctl, tmp_path: Path) -> None:
    broken = PROJECT.replace("unit: board, base", "unit: nobody-here, base")
    run = kkctl("report", str(_project(tmp_path / "org", text=broken)))
    money = _section(run.out, "Money: —")
    assert "Money is not shown" in money and "$" not in money


def test_people_lists_memberships_of_this_period_and_the_next(english: str) -> None:
    people = _section(english, "People and council")
    # Q3 and the quarter after it (Q4 is recorded): 1 July – 31 December 2026
    assert "between July 1, 2026 and December 31, 2026" in people
    assert "Nina Popova" not in people  # left on 30 June: before the window
    assert "Ivan Petrov" not in people and "Lev Sokolov" not in people  # 2027: after it


def test_people_window_follows_the_last_period_by_months(kkctl, tmp_path: Path) -> None:
    run = kkctl("report", str(_project(tmp_path / "org", "ru")))
    people = _section(run.out, "Люди и совет")
    people = people.replace("\u202f", " ")  # Babel's narrow space before «г.»
    assert "с 1 октября 2026 г. по 31 марта 2027 г." in people  # Q4 and the next quarter
    assert "| Ivan Petrov | Dough team | приходит 20 января 2027 г. |" in people
    assert "| Lev Sokolov | Ovens unit | уходит после 10 февраля 2027 г. |" in people
    assert people.index("Ivan Petrov") < people.index("Lev Sokolov")  # by date
    # the council's composition, by the methodology's rule: no ambassador
    assert "Bakery council: 1 участник, представлена 1 команда." in people
    assert "`KK214`" in people and "амбассадор" in people


def test_hypotheses_in_every_status_with_their_age(english: str) -> None:
    hyp = _section(english, "Hypotheses")
    assert "Open: 2, confirmed: 1, refuted: 1, pivoted: 1." in hyp
    rows = [line for line in hyp.splitlines() if line.startswith("| ") and "---" not in line]
    texts = [r.split(" | ")[0] for r in rows[1:]]
    assert texts[0].startswith("| Office workers buy lunch bread")
    assert texts[1].startswith("| \u2003↳ A lunch stall sells 50 loaves")  # under its parent
    by_text = {r.split(" | ")[0]: r for r in rows}
    row = next(r for t, r in by_text.items() if "Office workers" in t)
    assert "| open |" in row and "Loaves sold: 🔴 off target" in row
    assert row.endswith("| 7 months |")  # 1 March to 30 September, the end of Q3
    decided = next(r for t, r in by_text.items() if "Neighbours value" in t)
    assert "| confirmed |" in decided and "6 months, decided Jul 15, 2025" in decided
    assert "| refuted |" in by_text[next(t for t in by_text if "Cakes sell online" in t)]


def test_no_hypotheses_says_so(kkctl, tmp_path: Path) -> None:
    text = PROJECT.split("hypotheses:")[0]
    run = kkctl("report", str(_project(tmp_path / "org", text=text)))
    assert "No hypotheses yet" in _section(run.out, "Hypotheses")


def test_open_findings_are_listed_most_important_first(english: str) -> None:
    findings = _section(english, "Open findings")
    table = [line for line in findings.splitlines() if line.startswith("| `KK")]
    assert table, findings
    severities = [row.split(" | ")[2] for row in table]
    order = {"error": 0, "warning": 1, "note": 2}
    assert severities == sorted(severities, key=order.__getitem__)
    listed = [line for line in findings.splitlines() if line.startswith("- **")]
    assert listed and listed[0].startswith("- **error** `KK")
    assert any(line.startswith("- **warning**") for line in listed)
    assert "kkctl.yaml:" in listed[0]


def test_authorities_name_the_promises_they_back(english: str) -> None:
    authorities = _section(english, "Authorities")
    assert "| Dough recipes | Dough team | — | Dough ready by five |" in authorities
    assert "p-dough" not in authorities


def test_the_report_opens_with_a_list_not_an_empty_table(english: str) -> None:
    head = english.split("<a id=\"attention\">")[0]
    assert "| |" not in head
    assert "- **Key value:** Fresh bread" in head


def test_an_earlier_period_is_judged_on_what_was_known_then(kkctl, tmp_path: Path) -> None:
    run = kkctl("report", str(_project(tmp_path / "org")), "--period", "q2")
    teams = _section(run.out, "Teams: success indicators and economics")
    row = next(line for line in teams.splitlines() if line.startswith("| Ovens unit |"))
    assert "Q1: 400 → Q2: 500" in row and "Q3" not in row  # Q3's fall came later
    assert "🟡 off target, improving for 1 period" in row


def test_a_decided_hypothesis_shows_its_metrics_without_todays_state(kkctl,
                                                                   tmp_path: Path) -> None:
    text = PROJECT.replace("since: 2025-01-15, decided: 2025-07-15}}",
                           "since: 2025-01-15, decided: 2025-07-15, metrics: [m-loaves]}}")
    run = kkctl("report", str(_project(tmp_path / "org", text=text)), "--period", "q3")
    hyp = _section(run.out, "Hypotheses")
    decided = next(line for line in hyp.splitlines() if "Neighbours value" in line)
    assert "| Loaves sold |" in decided and "off target" not in decided
    still_open = next(line for line in hyp.splitlines() if "Office workers" in line)
    assert "Loaves sold: 🔴 off target" in still_open


def test_the_council_is_counted_on_the_last_day_of_the_period(kkctl, tmp_path: Path) -> None:
    text = PROJECT.replace(
        "      - {{person: vera, role: leader, represents: [ovens]}}",
        "      - {{person: vera, role: leader, represents: [ovens], to: 2026-12-15}}\n"
        "      - {{person: oleg, role: leader, represents: [ovens], from: 2026-12-16}}\n"
        "      - {{person: nina, role: ambassador, to: 2026-06-30}}")
    run = kkctl("report", str(_project(tmp_path / "org", text=text)))
    assert "Bakery council: 1 member, 1 team represented." in _section(run.out,
                                                                        "People and council")


def test_money_is_judged_against_the_companys_cap(kkctl, tmp_path: Path) -> None:
    capped = PROJECT + "bonus: {{cap: 0.30}}\n"
    run = kkctl("report", str(_project(tmp_path / "org", text=capped)))
    money = _section(run.out, "Money: Q4")
    assert "36.5% of the period's net profit" in money
    assert "⚠ Over the company's cap of 30% of net profit (bonus.cap)." in money
    loose = PROJECT + "bonus: {{cap: 0.40}}\n"
    run = kkctl("report", str(_project(tmp_path / "loose", text=loose)))
    assert "Within the company's cap of 40% of net profit." in _section(run.out, "Money: Q4")
