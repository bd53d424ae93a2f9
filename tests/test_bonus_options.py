"""`kkctl bonus` options: an unknown --period or --scheme is a usage error naming the known ones
and the closest; --verify says plainly when there is nothing to verify and, when a closed
period no longer reproduces, explains the cause before each person's difference; --all is the
history of carried losses and deposit balances."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, write_tree
from kkctl.bonus.app import BonusRequest, bonus
from kkctl.loader import Options
from kkctl.project import UsageError

RUSSIAN = EXAMPLES / "poleznaya-eda"
NB = "\u00a0"

ORG = """
kkctl: 1
organisation: {id: co, name: Co, currency: RUB, locale: LOCALE}
people: [{id: ann, name: Ann}, {id: bob, name: Bob}, {id: cid, name: Cid}]
teams: [{id: t, name: T, leader: ann, members: [ann, bob]}]
reward_schemes:
  - {id: rs-team, unit: t, base: team_profit, deposit: {rate: 0.25, release_after: 2}}
  - {id: rs-net, unit: t}
periods:
  - id: 2026-q1
    start: 2026-01-01
    end: 2026-03-31
    net_profit: NET
    teams: {t: {income: INCOME, expenses: 10000}}
    PAID
  - {id: 2026-q2, start: 2026-04-01, end: 2026-06-30, net_profit: -50000,
     teams: {t: {income: 0, expenses: 80000}}}
"""
PAID = ("paid: {rs-team: {ann: 3750.00, bob: 3750.00}, "
        "rs-net: {ann: 100000.00, bob: 100000.00}}")


def org(tmp_path: Path, locale: str = "en", net: str = "1000000", income: str = "60000",
        paid: str = PAID, members: str = "[ann, bob]") -> Path:
    text = (ORG.replace("LOCALE", locale).replace("NET", net).replace("INCOME", income)
            .replace("PAID", paid).replace("members: [ann, bob]", f"members: {members}"))
    return write_tree(tmp_path / "co", {"kkctl.yaml": text})


# --- unknown --period and --scheme -------------------------------------------------------


def test_an_unknown_period_names_the_closest_and_the_known_ones(kkctl, tmp_path: Path) -> None:
    run = kkctl("bonus", str(org(tmp_path)), "--period", "2026-q01")
    assert (run.code, run.out) == (2, "")
    assert run.err == ("kkctl: error: no period '2026-q01' (did you mean '2026-q1'?); known "
                       "periods: 2026-q1, 2026-q2\n")


def test_an_unknown_scheme_is_a_usage_error_in_the_organisations_language(kkctl) -> None:
    run = kkctl("bonus", str(RUSSIAN), "--scheme", "rs-sovt", env={"KKCTL_LANG": ""})
    assert (run.code, run.out) == (2, "")
    assert run.err == ("kkctl: ошибка: системы вознаграждения 'rs-sovt' нет (может быть, "
                       "'rs-sovet'?); известные схемы: rs-sovet, rs-it, rs-kuhnya, "
                       "rs-logistika\n")
    # one bad name among good ones, separated by commas, is still named
    run = kkctl("bonus", str(RUSSIAN), "--scheme", "rs-it,nothing-like-it", "--lang", "en")
    assert run.code == 2 and "no reward scheme 'nothing-like-it'; known schemes:" in run.err
    assert "did you mean" not in run.err


def test_a_long_list_of_known_ids_is_cut(tmp_path: Path) -> None:
    teams = "\n".join(f"  - {{id: t{i:02d}, name: T, leader: ann}}" for i in range(30))
    schemes = "\n".join(f"  - {{id: s{i:02d}, unit: t{i:02d}}}" for i in range(30))
    text = (f"kkctl: 1\norganisation: {{id: co, name: Co, locale: en}}\n"
            f"people: [{{id: ann, name: Ann}}]\nteams:\n{teams}\nreward_schemes:\n{schemes}\n"
            "periods: [{id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 1}]\n")
    project = write_tree(tmp_path / "many", {"kkctl.yaml": text})
    with pytest.raises(UsageError) as refused:
        bonus(str(project), BonusRequest(schemes=["s29x"], options=Options(use_cache=False)))
    assert refused.value.message("en") == (
        "no reward scheme 's29x' (did you mean 's29'?); known schemes: s00, s01, s02, s03, "
        "s04, s05, s06, s07, s08, s09 and 20 more")
    assert refused.value.message("ru").endswith("s08, s09 и ещё 20")


def test_xlsx_without_out_is_refused_by_the_function(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as refused:
        bonus(str(org(tmp_path)), BonusRequest(fmt="xlsx", options=Options(use_cache=False)))
    assert refused.value.message_id == "bonus.xlsx_needs_out"


def test_an_unknown_csv_dialect_is_refused(kkctl, tmp_path: Path) -> None:
    run = kkctl("bonus", str(org(tmp_path)), "-f", "csv", "--csv-dialect", "de")
    assert run.code == 2 and "--csv-dialect" in run.err


# --- --verify -----------------------------------------------------------------------------


def test_nothing_to_verify_is_said_plainly(kkctl, tmp_path: Path) -> None:
    run = kkctl("bonus", str(org(tmp_path, paid="")), "--verify")
    assert run.code == 0, run.err
    assert run.out.startswith("nothing to verify: no period records what was paid. Once a "
                              "period is paid, record it in that period as 'paid: {scheme: "
                              "{person: amount}}'")
    assert "0 closed periods" not in run.out
    russian = kkctl("bonus", str(RUSSIAN), "--verify", env={"KKCTL_LANG": ""})
    assert russian.code == 0
    assert russian.out.startswith("проверять нечего: ни в одном периоде не записано, что "
                                  "выплачено.")


def test_a_period_that_still_reproduces(kkctl, tmp_path: Path) -> None:
    run = kkctl("bonus", str(org(tmp_path)), "--verify")
    assert (run.code, run.lines) == (0, ["1 closed period reproduces what was paid"])


def test_verify_explains_the_cause_before_each_persons_difference(kkctl,
                                                                  tmp_path: Path) -> None:
    # net profit 1,000,000 -> 1,010,000; the team's income 60,000 -> 70,000
    project = org(tmp_path, net="1010000", income="70000")
    run = kkctl("bonus", str(project), "--verify", cwd=project)
    assert run.code == 1
    lines = run.lines
    assert lines[0] == (
        "kkctl.yaml:14:21: info KK308 period '2026-q1': 'rs-team' paid 7,500.00 in all, but "
        "the figures now give 9,000.00 (difference 1,500.00): its base, team profit, is now "
        "60,000.00, and 20% of it is 12,000.00; then withheld to the deposit 3,000.00; each "
        "person's difference follows")
    assert lines[1].startswith("kkctl.yaml:14:27: error KK308 period '2026-q1': 'ann' was "
                               "paid 3,750.00 by 'rs-team', but the figures now give 4,500.00")
    assert "'bob' was paid 3,750.00 by 'rs-team'" in lines[2]
    assert lines[3] == (
        "kkctl.yaml:14:59: info KK308 period '2026-q1': 'rs-net' paid 200,000.00 in all, but "
        "the figures now give 202,000.00 (difference 2,000.00): its base, net profit, is now "
        "1,010,000.00, and 20% of it is 202,000.00; each person's difference follows")
    assert "'ann' was paid 100,000.00 by 'rs-net'" in lines[4]
    assert "'bob' was paid 100,000.00 by 'rs-net'" in lines[5]
    assert lines[6] == "4 errors, 2 notes in 1 file"
    russian = kkctl("bonus", str(project), "--verify", "--lang", "ru", cwd=project)
    assert ("по 'rs-net' выплачено всего 200 000,00, а по текущим данным выходит 202 000,00 "
            "(разница 2 000,00): база (чистая прибыль) теперь 1 010 000,00, 20 % от неё — "
            "202 000,00; ниже разница по каждому сотруднику") in russian.out.replace(NB, " ")


def test_verify_says_when_only_the_split_changed(kkctl, tmp_path: Path) -> None:
    project = org(tmp_path, members="[ann, bob, cid]")
    run = kkctl("bonus", str(project), "--verify", cwd=project)
    assert run.code == 1
    assert run.lines[0] == (
        "kkctl.yaml:14:21: info KK308 period '2026-q1': 'rs-team' still pays 7,500.00 in all, "
        "as recorded: what changed is the split among people (memberships, weights, days or "
        "explicit payouts)")
    assert "'cid' was paid 0.00 by 'rs-team', but the figures now give 2,500.00" in run.out


def test_verify_ignores_period_and_scheme_but_still_checks_them(kkctl, tmp_path: Path) -> None:
    run = kkctl("bonus", str(org(tmp_path)), "--verify", "--period", "2026-q9")
    assert run.code == 2 and "no period '2026-q9'" in run.err


# --- --all: the history ---------------------------------------------------------------------


def test_history_shows_what_each_period_carries_in_and_out(kkctl, tmp_path: Path) -> None:
    run = kkctl("bonus", str(org(tmp_path, paid="")), "--all", "--scheme", "rs-team")
    assert run.code == 0, run.err
    lines = run.lines
    assert lines[0] == "History of rs-team, amounts in RUB"
    rules = " ".join(line.strip() for line in lines[1:lines.index(
        next(line for line in lines if line.startswith("  period ")))])
    assert rules.startswith(f"Rules: share 20%{NB}— the methodology; base: team profit{NB}— "
                            "the company's decision (")
    assert (f"deposit 25%, released after 2{NB}periods{NB}— the company's decision ("
            in rules)
    assert rules.endswith("how a deposit works is kkctl's rule, not the methodology's")
    head = next(line for line in lines if line.startswith("  period "))
    columns = [c.strip() for c in head.split("  ") if c.strip()]
    assert columns == ["period", "base: team profit", "share of base", "loss carried in",
                       "loss taken from deposit", "loss carried out", "pool",
                       "withheld to deposit", "released from deposit", "deposit balance",
                       "paid out"]
    q1, q2 = (lines[lines.index(head) + i].split() for i in (1, 2))
    assert q1 == ["2026-q1", "50,000.00", "10,000.00", "0.00", "0.00", "0.00", "10,000.00",
                  "2,500.00", "0.00", "2,500.00", "7,500.00"]
    # q2: the team's loss of 80,000 is 16,000 of the scheme's share; the deposit's 2,500
    # covers part of it, 13,500 is carried out
    assert q2 == ["2026-q2", "-80,000.00", "-16,000.00", "0.00", "2,500.00", "13,500.00",
                  "0.00", "0.00", "0.00", "0.00", "0.00"]
    totals = lines.index("All schemes, by period")
    assert lines[totals + 2].split() == ["2026-q1", "1,000,000.00", "207,500.00", "20.8%"]
    assert lines[totals + 3].split() == ["2026-q2", "-50,000.00", "0.00", "—"]
    assert lines[totals + 4] == "  (the methodology: 20% of net profit as the teams' bonus)"
