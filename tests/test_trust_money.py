"""Money paid cannot be negative: explicit payouts, paid amounts and budgets, as numbers or
as strings, are positioned validation errors, and `kkctl bonus` pays nobody −50.00."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assert_no_traceback, write_tree

ORG = """
kkctl: 1
organisation: {id: co, name: Co, currency: RUB, locale: en}
people:
  - {id: ann, name: Ann}
  - {id: bob, name: Bob}
teams: [{id: t, name: T, leader: ann, members: [ann, bob]}]
reward_schemes: [{id: s, unit: t, split: explicit}]
authorities: [{id: a, scope: Buy things, holder: t, budget: BUDGET}]
periods:
  - id: q1
    start: 2026-01-01
    end: 2026-03-31
    net_profit: 1000
    payouts: {s: {ann: ANN, bob: 250.00}}
    paid: {s: {ann: PAID, bob: 250.00}}
"""
AT = {"budget": "8:61", "payouts": "14:24", "paid": "15:21"}  # the amounts in kkctl.yaml


def project(tmp_path: Path, ann: str = "-50.00", paid: str = "-50.00",
            budget: str = "100") -> Path:
    text = ORG.replace("ANN", ann).replace("PAID", paid).replace("BUDGET", budget)
    return write_tree(tmp_path / "org", {"kkctl.yaml": text})


@pytest.mark.parametrize("amount", ["-50.00", '"-50"', "-50"])
def test_negative_payout_is_an_error_at_the_amount(kkctl, tmp_path: Path, amount: str) -> None:
    root = project(tmp_path, ann=amount, paid="200.00")
    run = kkctl("validate", cwd=root)
    assert_no_traceback(run)
    assert run.code == 1
    shown = {"-50.00": "-50.00", '"-50"': '"-50"', "-50": "-50"}[amount]
    assert run.lines[0] == (
        f"kkctl.yaml:{AT['payouts']}: error KK100 period 'q1': {shown} is a negative "
        "amount: a payout, a paid amount or a budget cannot be below zero; write the amount "
        "without '-' (a loss belongs in the period's figures, not in what a person is paid)")


def test_negative_paid_and_budget_are_errors_too(kkctl, tmp_path: Path) -> None:
    root = project(tmp_path, ann="-50.00", paid='"-50.00"', budget="-1")
    run = kkctl("validate", "--lang", "ru", cwd=root)
    assert run.code == 1
    positions = [line.split(": ")[0] for line in run.lines[:-1]]
    assert positions == [f"kkctl.yaml:{AT[key]}" for key in ("budget", "payouts", "paid")]
    assert all("отрицательная сумма" in line for line in run.lines[:-1])


def test_bonus_and_lint_refuse_a_negative_payout(kkctl, tmp_path: Path) -> None:
    root = project(tmp_path, paid="200.00")
    bonus = kkctl("bonus", "--period", "q1", cwd=root)
    assert_no_traceback(bonus)
    assert bonus.code == 1
    assert "negative amount" in bonus.out + bonus.err  # refused: the error, no statement
    assert not any(line.rstrip().endswith("-50.00") for line in bonus.out.splitlines())
    assert kkctl("lint", cwd=root).code == 1


def test_zero_and_positive_payouts_are_still_fine(kkctl, tmp_path: Path) -> None:
    root = project(tmp_path, ann="0", paid="0.00", budget='"0"')
    run = kkctl("bonus", "--period", "q1", "-f", "json", cwd=root)
    assert run.code == 1  # 250.00 paid of a 200.00 pool: the sum check, not the sign
    assert "KK304" in run.out + run.err and "negative" not in run.out + run.err
    fine = project(tmp_path, ann='"0"', paid="0", budget="0")
    assert kkctl("validate", cwd=fine).code == 0
