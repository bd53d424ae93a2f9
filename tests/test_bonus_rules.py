"""The reward rules an accountant and the council ask about, computed by hand: a unit council
paid on its unit's result, the total against net profit and the company's cap, teams whose
cash result cannot be true with the net profit, and where every rule of a scheme comes from."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import write_tree
from kkctl.bonus.compute import Provenance, compute
from kkctl.loader import Options, load

HEAD = """
kkctl: 1
organisation: {id: co, name: Co, currency: RUB, locale: en}
people:
  - {id: ann, name: Ann}
  - {id: bob, name: Bob}
  - {id: cid, name: Cid}
  - {id: dan, name: Dan}
"""

UNITS = """
teams:
  - {id: north, name: North, leader: ann, members: [ann]}
  - {id: north-a, name: North A, parent: north, leader: bob, members: [bob]}
  - {id: north-b, name: North B, parent: north-a, leader: cid, members: [cid]}
  - {id: south, name: South, leader: dan, members: [dan]}
councils:
  - {id: north-council, name: North council, kind: unit, unit: north, reward: rs-north,
     members: [{person: ann, role: leader}, {person: bob}]}
reward_schemes:
  - {id: rs-north, unit: north-council, base: team_profit, share: 0.20}
periods:
  - id: q1
    start: 2026-01-01
    end: 2026-03-31
    net_profit: 1000000
    teams:
      north: {income: 10000, expenses: 0}
      north-a: {income: 100000, expenses: 0, virtual_revenue: 5000}
      north-b: {income: 0, expenses: 30000}
      south: {income: 500000, expenses: 0}
"""


def _org(tmp_path: Path, body: str) -> Path:
    write_tree(tmp_path, {"kkctl.yaml": HEAD + body})
    return tmp_path


def _run(tmp_path: Path, body: str):  # type: ignore[no-untyped-def]
    loaded = load(str(_org(tmp_path, body)), Options(use_cache=False))
    return compute(loaded.org)


def test_a_unit_council_is_paid_on_its_units_result(kkctl, tmp_path: Path) -> None:
    run = _run(tmp_path, UNITS)
    [result] = run.results["q1"]
    # North + North A + North B (under North A), not South: 10,000 + 105,000 − 30,000
    assert result.base_amount == Decimal("85000")
    assert result.pool == 17_000_00 and result.paid == 17_000_00
    assert {s.person: s.amount for s in result.shares} == {"ann": 8_500_00, "bob": 8_500_00}
    assert not [d for d in run.diagnostics if d.code == "KK307"]
    # lint and bonus agree: the organisation lints without an error, and the bonus pays
    lint = kkctl("lint", str(tmp_path), "-f", "json")
    assert all(d["severity"] != "error" or d["code"] != "KK233"
               for d in json.loads(lint.out)["diagnostics"])
    bonus = kkctl("bonus", str(tmp_path), "-f", "json")
    assert bonus.code == 0, bonus.err


def test_the_company_council_is_still_paid_from_net_profit(tmp_path: Path) -> None:
    body = UNITS.replace("kind: unit, unit: north,", "kind: company,")
    run = _run(tmp_path, body)
    [problem] = [d for d in run.diagnostics if d.code == "KK307"]
    assert "base: net_profit" in problem.message("en")
    assert run.results["q1"] == []


STACKED = """
teams:
  - {id: bakery, name: Bakery, leader: ann, members: [ann, bob]}
councils:
  - {id: board, name: Board, kind: company, reward: rs-board,
     members: [{person: cid, role: leader}, {person: dan, role: ambassador}]}
reward_schemes:
  - {id: rs-board, unit: board}
  - {id: rs-bakery, unit: bakery, base: team_profit, share: 0.20}
periods:
  - id: q1
    start: 2026-01-01
    end: 2026-03-31
    net_profit: 1000000
    teams:
      bakery: {income: 2000000, expenses: 0}
"""


def test_the_total_is_a_share_of_net_profit_and_the_cap_is_the_companys(kkctl,
                                                                     tmp_path: Path) -> None:
    run = _run(tmp_path / "plain", STACKED)
    total = run.totals["q1"]
    # 20 % of 1,000,000 for the board + 20 % of 2,000,000 for the bakery = 600,000: 60 %
    assert (total.paid, total.net_profit) == (600_000_00, 1_000_000_00)
    assert total.share == Decimal("0.6") and total.cap is None
    assert not [d for d in run.diagnostics if d.code == "KK311"]  # no cap: nothing judged
    capped = _org(tmp_path / "capped", STACKED + "bonus: {cap: 0.30}\n")
    warned = kkctl("bonus", str(capped), "-f", "json")
    assert warned.code == 0 and "KK311" in warned.err and "60" in warned.err
    strict = _org(tmp_path / "strict", STACKED + "bonus: {cap: 0.30, over_cap: error}\n")
    stopped = kkctl("bonus", str(strict))
    assert stopped.code == 1 and "KK311" in stopped.out + stopped.err


def test_teams_earning_more_cash_than_the_company_are_questioned(tmp_path: Path) -> None:
    run = _run(tmp_path, STACKED)
    [warning] = [d for d in run.diagnostics if d.code == "KK312"]
    text = warning.message("en")
    assert "2,000,000.00" in text and "1,000,000.00" in text and "1,000,000.00" in text
    virtual = STACKED.replace("bakery: {income: 2000000, expenses: 0}",
                              "bakery: {income: 0, expenses: 0, virtual_revenue: 2000000}")
    assert not [d for d in _run(tmp_path / "v", virtual).diagnostics if d.code == "KK312"]


def test_every_rule_says_where_it_comes_from(tmp_path: Path) -> None:
    body = STACKED.replace(
        "  - {id: rs-bakery, unit: bakery, base: team_profit, share: 0.20}",
        "  - {id: rs-bakery, unit: bakery, base: team_profit, share: 0.25, split: weights,\n"
        "     deposit: {rate: 0.1, release_after: 2}}")
    run = _run(tmp_path, body)
    origins = {scheme: {p.setting: p.origin for p in rules}
               for scheme, rules in run.provenance.items()}
    assert origins["rs-board"] == {"share": "methodology", "base": "methodology",
                                   "split": "default", "losses": "default"}
    assert origins["rs-bakery"] == {"share": "company", "base": "company", "split": "company",
                                    "losses": "default", "deposit": "company"}
    share = next(p for p in run.provenance["rs-bakery"] if p.setting == "share")
    assert share == Provenance("share", "0.25", "company", share.where)
    assert share.where is not None and "kkctl.yaml:16:" in share.where


def test_a_unit_councils_base_is_the_methodologys_only_on_its_units_result(
        tmp_path: Path) -> None:
    on_unit = _run(tmp_path / "unit", UNITS)
    assert next(p for p in on_unit.provenance["rs-north"]
                if p.setting == "base").origin == "methodology"
    whole = _run(tmp_path / "whole", UNITS.replace("base: team_profit, share: 0.20}",
                                                   "base: net_profit, share: 0.20}"))
    assert next(p for p in whole.provenance["rs-north"]
                if p.setting == "base").origin == "company"


@st.composite
def _unit_trees(draw: st.DrawFn) -> tuple[str, int, list[int | None], list[tuple[int, int]]]:
    """A random team tree, a unit council over one of its teams, random figures in kopecks."""
    size = draw(st.integers(1, 8))
    parents: list[int | None] = [None] + [draw(st.one_of(st.none(), st.integers(0, i - 1)))
                                          for i in range(1, size)]
    unit = draw(st.integers(0, size - 1))
    figures = [(draw(st.integers(0, 10**9)), draw(st.integers(0, 10**9)))
               for _ in range(size)]
    split = draw(st.sampled_from(["equal", "weights", "days"]))
    return split, unit, parents, figures


def _subtree(unit: int, parents: list[int | None]) -> set[int]:
    inside = {unit}
    changed = True
    while changed:
        changed = False
        for team, parent in enumerate(parents):
            if parent in inside and team not in inside:
                inside.add(team)
                changed = True
    return inside


@given(_unit_trees())
@settings(max_examples=60, deadline=None)
def test_a_unit_councils_parts_add_up_on_any_tree(
        case: tuple[str, int, list[int | None], list[tuple[int, int]]]) -> None:
    import tempfile

    split, unit, parents, figures = case
    teams = "\n".join(
        f"  - {{id: t{i}, name: T{i}, leader: ann, members: [ann]"
        + (f", parent: t{parent}}}" if parent is not None else "}")
        for i, parent in enumerate(parents))
    money = "\n".join(f"      t{i}: {{income: {income / 100:.2f}, expenses: {cost / 100:.2f}}}"
                      for i, (income, cost) in enumerate(figures))
    body = f"""
teams:
{teams}
councils:
  - {{id: uc, name: UC, kind: unit, unit: t{unit}, reward: rs,
     members: [{{person: bob, weight: 2}}, {{person: cid, from: 2026-02-01}}, dan]}}
reward_schemes:
  - {{id: rs, unit: uc, base: team_profit, split: {split},
     deposit: {{rate: 0.1, release_after: 1}}}}
periods:
  - id: q1
    start: 2026-01-01
    end: 2026-03-31
    net_profit: 1000
    teams:
{money}
"""
    with tempfile.TemporaryDirectory() as folder:
        run = _run(Path(folder), body)
    [result] = run.results["q1"]
    inside = _subtree(unit, parents)
    expected = sum(Decimal(figures[i][0] - figures[i][1]) / 100 for i in inside)
    assert result.base_amount == expected
    assert result.paid == result.pool - result.withheld + result.released
    if result.paid:
        assert sum(s.amount for s in result.shares) == result.paid
