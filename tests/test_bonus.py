"""`kkctl bonus`: hand-computed cases for every split, losses, deposit, council exclusivity,
explicit payouts, verification of closed periods; property tests of the allocation."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import write_tree
from kkctl.bonus.allocate import largest_remainder

HEAD = """
kkctl: 1
organisation: {id: co, name: Co, currency: RUB, locale: en}
people:
  - {id: ann, name: Ann}
  - {id: bob, name: Bob}
  - {id: cid, name: Cid}
  - {id: dan, name: "=HYPERLINK(\\"http://x\\")"}
"""


def org(tmp_path: Path, body: str) -> Path:
    write_tree(tmp_path, {"org.yaml": HEAD + body})
    return tmp_path / "org.yaml"


def payouts(kkctl, path: Path, period: str, *extra: str) -> dict:  # type: ignore[no-untyped-def]
    run = kkctl("bonus", str(path), "--period", period, "-f", "json", *extra)
    assert run.code == 0, run.out + run.err
    return json.loads(run.out)


def amounts(scheme: dict) -> dict[str, str]:
    return {p["person"]: p["amount"] for p in scheme["payouts"]}


def test_equal_split_gives_the_odd_kopeck_by_person_id(kkctl, tmp_path: Path) -> None:
    path = org(tmp_path, """
teams: [{id: t, name: T, leader: cid, members: [cid, bob, ann], reward: s}]
reward_schemes: [{id: s, unit: t, share: 0.5, split: equal}]
periods: [{id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 2000.00}]
""")
    (scheme,) = payouts(kkctl, path, "q1")["schemes"]
    assert scheme["pool"] == "1000.00"
    assert amounts(scheme) == {"ann": "333.34", "bob": "333.33", "cid": "333.33"}


def test_weights_split(kkctl, tmp_path: Path) -> None:
    path = org(tmp_path, """
teams:
  - {id: t, name: T, leader: ann, members: [{person: ann, weight: 1.5}, bob, cid]}
reward_schemes: [{id: s, unit: t, split: weights}]
periods: [{id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 3500.00}]
""")
    (scheme,) = payouts(kkctl, path, "q1")["schemes"]
    assert scheme["pool"] == "700.00"  # 20% by default
    assert amounts(scheme) == {"ann": "300.00", "bob": "200.00", "cid": "200.00"}


def test_days_split_counts_inclusive_days_of_membership(kkctl, tmp_path: Path) -> None:
    path = org(tmp_path, """
teams:
  - id: t
    name: T
    leader: ann
    members: [ann, {person: bob, from: 2026-02-15}, {person: cid, to: 2025-12-31}]
reward_schemes: [{id: s, unit: t, split: days}]
periods:
  - {id: q4, start: 2025-10-01, end: 2025-12-31, net_profit: 0}
  - {id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 4500.00}
""")
    (scheme,) = payouts(kkctl, path, "q1")["schemes"]
    assert [(p["person"], p["days"]) for p in scheme["payouts"]] == [("ann", 90), ("bob", 45)]
    assert amounts(scheme) == {"ann": "600.00", "bob": "300.00"}
    assert scheme["excluded"] == [{"person": "cid", "reason": "not_member"}]


def test_losses_are_carried_across_three_periods(kkctl, tmp_path: Path) -> None:
    path = org(tmp_path, """
teams: [{id: t, name: T, leader: ann, members: [ann]}]
reward_schemes: [{id: s, unit: t}]
periods:
  - {id: p1, start: 2026-01-01, end: 2026-03-31, net_profit: -1000000}
  - {id: p2, start: 2026-04-01, end: 2026-06-30, net_profit: 500000}
  - {id: p3, start: 2026-07-01, end: 2026-09-30, net_profit: 1000000}
""")
    run = kkctl("bonus", str(path), "--all", "-f", "json")
    history = [p["schemes"][0] for p in json.loads(run.out)["periods"]]
    assert [(s["part"], s["carried_in"], s["offset"], s["pool"], s["carried_out"])
            for s in history] == [
        ("-200000.00", "0.00", "0.00", "0.00", "200000.00"),
        ("100000.00", "200000.00", "100000.00", "0.00", "100000.00"),
        ("200000.00", "100000.00", "100000.00", "100000.00", "0.00"),
    ]


def test_reset_forgets_a_loss(kkctl, tmp_path: Path) -> None:
    path = org(tmp_path, """
teams: [{id: t, name: T, leader: ann, members: [ann]}]
reward_schemes: [{id: s, unit: t, losses: reset}]
periods:
  - {id: p1, start: 2026-01-01, end: 2026-03-31, net_profit: -1000000}
  - {id: p2, start: 2026-04-01, end: 2026-06-30, net_profit: 500000}
""")
    (scheme,) = payouts(kkctl, path, "p2")["schemes"]
    assert (scheme["carried_in"], scheme["pool"]) == ("0.00", "100000.00")


def test_deposit_withholds_releases_and_covers_a_loss(kkctl, tmp_path: Path) -> None:
    path = org(tmp_path, """
teams: [{id: t, name: T, leader: ann, members: [ann]}]
reward_schemes: [{id: s, unit: t, deposit: {rate: 0.25, release_after: 2}}]
periods:
  - {id: p1, start: 2026-01-01, end: 2026-03-31, net_profit: 1000000}
  - {id: p2, start: 2026-04-01, end: 2026-06-30, net_profit: -100000}
  - {id: p3, start: 2026-07-01, end: 2026-09-30, net_profit: 100000}
""")
    run = kkctl("bonus", str(path), "--all", "-f", "json")
    history = [p["schemes"][0] for p in json.loads(run.out)["periods"]]
    # p1: pool 200,000; 50,000 withheld; 150,000 paid.
    # p2: the scheme's share of the loss (20,000) is taken from the deposit: balance 30,000.
    # p3: pool 20,000, 5,000 withheld; p1's remaining 30,000 released: 45,000 paid.
    assert [(s["pool"], s["withheld"], s["charged"], s["released"], s["deposit_balance"],
             s["carried_out"], s["paid"]) for s in history] == [
        ("200000.00", "50000.00", "0.00", "0.00", "50000.00", "0.00", "150000.00"),
        ("0.00", "0.00", "20000.00", "0.00", "30000.00", "0.00", "0.00"),
        ("20000.00", "5000.00", "0.00", "30000.00", "5000.00", "0.00", "45000.00"),
    ]


def test_council_members_are_paid_by_the_council_only(kkctl, tmp_path: Path) -> None:
    path = org(tmp_path, """
councils:
  - {id: c, name: C, kind: company, reward: cs, members: [{person: ann, role: leader}]}
teams: [{id: t, name: T, leader: ann, members: [ann, bob], reward: ts}]
reward_schemes: [{id: cs, unit: c}, {id: ts, unit: t}]
periods: [{id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 1000}]
""")
    council, team = payouts(kkctl, path, "q1")["schemes"]
    assert amounts(council) == {"ann": "200.00"}
    assert amounts(team) == {"bob": "200.00"}
    assert team["excluded"] == [{"person": "ann", "reason": "council"}]
    table = kkctl("bonus", str(path), "--period", "q1", "--scheme", "ts").out
    assert "ann (Ann): council member: paid by the council's scheme only" in table


def test_explicit_payouts_must_add_up(kkctl, tmp_path: Path) -> None:
    body = """
teams: [{id: t, name: T, leader: ann, members: [ann, bob]}]
reward_schemes: [{id: s, unit: t, split: explicit}]
periods:
  - id: q1
    start: 2026-01-01
    end: 2026-03-31
    net_profit: 1000
    payouts: {s: {ann: 150.00, bob: AMOUNT}}
"""
    ok = org(tmp_path, body.replace("AMOUNT", "50.00"))
    assert amounts(payouts(kkctl, ok, "q1")["schemes"][0]) == {"ann": "150.00", "bob": "50.00"}
    bad = org(tmp_path, body.replace("AMOUNT", "49.99"))
    run = kkctl("bonus", str(bad), "--period", "q1", cwd=tmp_path)
    assert run.code == 1
    assert run.lines[0] == ("org.yaml:16:18: error KK304 period 'q1': payouts of 's' add up to "
                            "199.99, but 200.00 is to be paid: difference -0.01")


def test_money_is_read_exactly_from_its_text(kkctl, tmp_path: Path) -> None:
    path = org(tmp_path, """
teams: [{id: t, name: T, leader: ann, members: [ann]}]
reward_schemes: [{id: s, unit: t}]
periods: [{id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 123456789012345.67}]
""")
    (scheme,) = payouts(kkctl, path, "q1")["schemes"]
    # As a float the amount would be 123456789012345.671875.
    assert scheme["base_amount"] == "123456789012345.67"
    assert scheme["pool"] == "24691357802469.13"  # 24691357802469.134, half up
    assert amounts(scheme) == {"ann": "24691357802469.13"}


def test_verify_catches_an_edited_closed_period(kkctl, tmp_path: Path) -> None:
    body = """
teams: [{id: t, name: T, leader: ann, members: [ann, bob]}]
reward_schemes: [{id: s, unit: t}]
periods:
  - id: q1
    start: 2026-01-01
    end: 2026-03-31
    net_profit: PROFIT
    paid: {s: {ann: 100.00, bob: 100.00}}
"""
    path = org(tmp_path, body.replace("PROFIT", "1000"))
    run = kkctl("bonus", str(path), "--verify")
    assert (run.code, run.lines) == (0, ["1 closed period reproduces what was paid"])
    path = org(tmp_path, body.replace("PROFIT", "1000.05"))
    run = kkctl("bonus", str(path), "--verify", cwd=tmp_path)
    assert run.code == 1
    # the cause first: the scheme's total and its base now; then each person's difference
    assert run.lines[0] == ("org.yaml:16:15: info KK308 period 'q1': 's' paid 200.00 in all, "
                            "but the figures now give 200.01 (difference 0.01): its base, net "
                            "profit, is now 1,000.05, and 20% of it is 200.01; each person's "
                            "difference follows")
    assert run.lines[1] == ("org.yaml:16:21: error KK308 period 'q1': 'ann' was paid 100.00 by "
                            "'s', but the figures now give 100.01 (difference 0.01): the "
                            "history changed after the period was paid")


def test_unknown_period_lists_the_known_ones(kkctl, tmp_path: Path) -> None:
    path = org(tmp_path, """
teams: [{id: t, name: T, leader: ann}]
reward_schemes: [{id: s, unit: t}]
periods:
  - {id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 10}
  - {id: q2, start: 2026-04-01, end: 2026-06-30, net_profit: 10}
""")
    run = kkctl("bonus", str(path), "--period", "q9")
    assert (run.code, run.out) == (2, "")  # a usage error
    assert run.err == "kkctl: error: no period 'q9'; known periods: q1, q2\n"


def test_overlapping_periods_are_an_error(kkctl, tmp_path: Path) -> None:
    path = org(tmp_path, """
periods:
  - {id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 10}
  - {id: q2, start: 2026-03-31, end: 2026-06-30, net_profit: 10}
""")
    run = kkctl("bonus", str(path), cwd=tmp_path)
    assert run.code == 1
    assert run.lines[0] == ("org.yaml:11:21: error KK302 period 'q2': period starts 2026-03-31, "
                            "before 'q1' ends (2026-03-31, org.yaml:10:38); periods must not "
                            "overlap")


def test_csv_for_payroll(kkctl, tmp_path: Path) -> None:
    path = org(tmp_path, """
teams: [{id: t, name: T, leader: ann, members: [ann, dan]}]
reward_schemes: [{id: s, unit: t}]
periods: [{id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 1000.10}]
""")
    plain = kkctl("bonus", str(path), "-f", "csv").out
    rows = list(csv.reader(io.StringIO(plain)))
    assert rows[0] == ["period", "person", "name", "scheme", "amount", "currency"]
    assert rows[1] == ["q1", "ann", "Ann", "s", "100.01", "RUB"]
    assert rows[2][2] == "'=HYPERLINK(\"http://x\")"  # neutralised for spreadsheets
    european = kkctl("bonus", str(path), "-f", "csv", "--decimal-comma", "--bom").out
    assert european.startswith("\ufeffperiod;person;")
    assert "q1;ann;Ann;s;100,01;RUB" in european


def test_examples_bonus_table_is_checkable_by_hand(kkctl) -> None:
    from conftest import EXAMPLES

    run = kkctl("bonus", str(EXAMPLES / "poleznaya-eda"), "--period", "2026-q3", "--lang", "en")
    assert run.code == 0
    assert "  loss carried in           636,000.00" in run.lines


@given(st.integers(0, 10**12), st.lists(st.integers(0, 10**6), min_size=1, max_size=30))
@settings(max_examples=500, deadline=None)
def test_parts_sum_to_the_total_and_stay_within_one_unit(total: int, raw: list[int]) -> None:
    weights = {f"p{i:02d}": Decimal(w) / 100 for i, w in enumerate(raw)}
    whole = sum(weights.values())
    if whole == 0:
        return
    parts = largest_remainder(total, weights)
    assert sum(parts.values()) == total
    for key, weight in weights.items():
        exact = Fraction(total) * Fraction(weight) / Fraction(whole)
        assert abs(parts[key] - exact) < 1
    assert largest_remainder(total, dict(reversed(list(weights.items())))) == parts


def test_a_person_who_left_and_came_back_counts_both_stints(kkctl, tmp_path: Path) -> None:
    path = org(tmp_path, """
teams:
  - id: t
    name: T
    leader: ann
    members:
      - ann
      - {person: bob, to: 2026-01-15}
      - {person: bob, from: 2026-02-01}
reward_schemes: [{id: s, unit: t, split: days}]
periods:
  - {id: q4, start: 2025-10-01, end: 2025-12-31, net_profit: 0}
  - {id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 1640.00}
""")
    (scheme,) = payouts(kkctl, path, "q1")["schemes"]
    # bob: 15 days in January + 59 from 1 February = 74 of 90 days
    assert [(p["person"], p["days"]) for p in scheme["payouts"]] == [("ann", 90), ("bob", 74)]
    assert amounts(scheme) == {"ann": "180.00", "bob": "148.00"}


def test_explicit_payouts_only_to_members(kkctl, tmp_path: Path) -> None:
    path = org(tmp_path, """
teams: [{id: t, name: T, leader: ann, members: [ann]}]
reward_schemes: [{id: s, unit: t, split: explicit}]
periods:
  - {id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 1000,
     payouts: {s: {ann: 100.00, cid: 100.00}}}
""")
    run = kkctl("bonus", str(path), cwd=tmp_path)
    assert run.code == 1
    assert any("KK310" in line and "'cid' is paid by 's' but is not a member" in line
               for line in run.lines)


def test_an_alias_on_an_amount_keeps_it_exact(kkctl, tmp_path: Path) -> None:
    path = org(tmp_path, """
teams: [{id: t, name: T, leader: ann}]
reward_schemes: [{id: s, unit: t}]
periods:
  - {id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: &np 123456789012345.67}
  - {id: q2, start: 2026-04-01, end: 2026-06-30, net_profit: *np}
""")
    (scheme,) = payouts(kkctl, path, "q2")["schemes"]
    assert scheme["base_amount"] == "123456789012345.67"


def test_a_future_joiner_is_normal_a_membership_in_a_gap_a_warning(kkctl,
                                                                    tmp_path: Path) -> None:
    path = org(tmp_path, """
teams: [{id: t, name: T, leader: ann, members: [ann, {person: bob, from: 2027-01-01}]}]
reward_schemes: [{id: s, unit: t}]
periods: [{id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 1000}]
""")
    run = kkctl("bonus", str(path), "-f", "json")
    assert run.code == 0 and "KK306" not in run.err  # a planned joiner: nothing to check
    assert amounts(json.loads(run.out)["schemes"][0]) == {"ann": "200.00"}
    gap = org(tmp_path / "gap", """
teams: [{id: t, name: T, leader: ann,
         members: [ann, {person: bob, from: 2026-04-05, to: 2026-06-20}]}]
reward_schemes: [{id: s, unit: t}]
periods: [{id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 1000},
          {id: q3, start: 2026-07-01, end: 2026-09-30, net_profit: 1000}]
""")
    run = kkctl("bonus", str(gap), "-f", "json")
    assert run.code == 0 and "warning KK306" in run.err  # between two periods: a typo?
    assert amounts(json.loads(run.out)["schemes"][0]) == {"ann": "200.00"}
