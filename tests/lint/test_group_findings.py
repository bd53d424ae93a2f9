"""The findings added or corrected in the third round: units are not empty teams, a promise to
oneself, general promises to the client, the owner as client, members paid by no scheme, one
scope however it is spelled, NPS by its name, grounded pivots. Exact messages, positions and the
cases that must stay silent, on real files built from the clean base organisation (and through
the real CLI where a user's view matters)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import lint_file, merged, write_org

from kkctl.diagnostics import Diagnostic, Severity
from kkctl.lint.registry import find


def lint(tmp_path: Path, fragment: str, codes: list[str]) -> tuple[Path, list[Diagnostic]]:
    path = write_org(tmp_path, merged(fragment))
    validation, findings = lint_file(path, codes)
    assert [d.message() for d in validation] == [], "the organisation must be valid"
    return path, findings


def at(path: Path, diag: Diagnostic) -> str:
    """The text of the file from the diagnostic's position to the end of that line."""
    line = path.read_text(encoding="utf-8").splitlines()[diag.line - 1]
    return line[diag.column - 1:]


def where(path: Path, text: str) -> str:
    """``file:line:col`` of the first line holding ``text``, at the text."""
    lines = path.read_text(encoding="utf-8").splitlines()
    line, found = next((i, t) for i, t in enumerate(lines, 1) if text in t)
    return f"{path}:{line}:{found.index(text) + 1}"


@pytest.mark.parametrize(("code", "slug", "severity", "profile", "step", "heuristic"), [
    ("KK246", "general-promise-to-client", Severity.WARNING, "recommended", 5, False),
    ("KK247", "owner-as-client", Severity.WARNING, "recommended", 1, True),
    ("KK248", "member-without-reward", Severity.WARNING, "strict", 8, False),
])
def test_new_rules(code: str, slug: str, severity: Severity, profile: str, step: int,
                   heuristic: bool) -> None:
    rule = find(code)
    assert rule is not None
    assert (rule.slug, rule.severity, rule.profile, rule.step, rule.heuristic) == (
        slug, severity, profile, step, heuristic)


# -- KK244 empty-team: a unit whose people are in its teams ---------------------------------

UNITS = """
people:
  - {id: fay, name: Fay}
teams:
  - {id: company, name: Whole company, leader: ann}
  - {id: retail, name: Retail, leader: ann, parent: company}
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    parent: retail
    members: [ann, dan]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent, stock]}
  - {id: research, name: Research, leader: fay}
  - {id: lab, name: Lab, leader: fay, parent: research}
"""


def test_units_with_people_in_their_teams_are_not_empty(tmp_path: Path, kkctl) -> None:
    # Backstage's example organisation: groups whose people are all in the teams below them.
    # company > retail > shops (people two levels down): neither is empty; research has only
    # an empty lab below it: both are.
    write_org(tmp_path, merged(UNITS))
    run = kkctl("lint", "org.yaml", "--select", "empty-team", "-f", "json", cwd=tmp_path)
    found = json.loads(run.out)["diagnostics"]
    assert [(d["code"], d["message"].split(":")[0]) for d in found] == [
        ("KK244", "team 'research'"), ("KK244", "team 'lab'")]
    assert found[0]["message"] == (
        "team 'research': the team has no members (a leader alone is not a team) and no team "
        "below it has any: list its members, the leader among them, under members:")


def test_a_parent_cycle_of_empty_teams_ends(tmp_path: Path) -> None:
    _, findings = lint(tmp_path, """
teams:
  - {id: north, name: North, leader: ann, parent: south}
  - {id: south, name: South, leader: ann, parent: north}
  - {id: east, name: East, leader: ann, parent: south, members: [ann]}
""", ["KK244"])
    assert findings == []  # east's people sit under both north and south


# -- KK201 promise-loop: a promise to oneself ----------------------------------------------

def test_a_promise_to_oneself_is_reported_once_at_its_receiver(tmp_path: Path) -> None:
    path, findings = lint(tmp_path, """
promises:
  - id: p-self
    kind: general
    giver: shops
    receiver: shops
    requires: [p-fresh]
    text: Shops keep the shelves tidy
    metrics: [m-fresh-sales]
    authorities: [a-write-off]
""", ["KK201"])
    # p-self also depends on p-fresh, which shops gives: not a second, receiver-loop finding
    [diag] = findings
    assert diag.message_id == "promise-loop.self"
    assert at(path, diag) == "shops"
    assert path.read_text(encoding="utf-8").splitlines()[diag.line - 1].strip() == (
        "receiver: shops")
    assert diag.message() == (
        "promise 'p-self': 'shops' gives this promise to itself: a promise is a result "
        "separable from the one who keeps it and observed from outside; name as receiver the "
        "team, person or client who gets the result")
    assert diag.message("ru") == (
        "обещание 'p-self': 'shops' даёт это обещание самому себе: обещание — результат, "
        "отделимый от исполнителя и наблюдаемый со стороны; укажите в receiver команду, "
        "сотрудника или клиента, который получает результат")


# -- KK246 general-promise-to-client -------------------------------------------------------

def test_general_promise_to_an_external_client_only(tmp_path: Path) -> None:
    path, findings = lint(tmp_path, """
clients:
  - {id: shops-desk, name: Shops help desk, kind: internal, team: shops}
promises:
  - id: p-letters
    kind: general
    giver: concept
    receiver: shoppers
    text: Every shopper's letter is answered within a day
    metrics: [m-answer-days]
    authorities: [a-communication]
  - id: p-pay-couriers
    kind: general
    giver: concept
    receiver: couriers
    text: Every courier invoice is paid within five days
    metrics: [m-answer-days]
    authorities: [a-pricing]
  - id: p-desk
    kind: general
    giver: concept
    receiver: shops-desk
    text: New price lists reach the help desk a week ahead
    metrics: [m-answer-days]
    authorities: [a-pricing]
""", ["KK246"])
    [diag] = findings
    assert diag.subject == ("promise", "p-letters")
    assert at(path, diag) == "shoppers"
    assert diag.message() == (
        "promise 'p-letters': a general promise is internal (a team or role receives it), but "
        "this one goes to external client 'shoppers': if it gives the client a value, make it "
        "kind: root and name the value:, otherwise name the team that receives it")
    assert diag.message("ru").startswith(
        "обещание 'p-letters': общее обещание — внутреннее (его получает команда или роль), а "
        "это дано внешнему клиенту 'shoppers'")


# -- KK247 owner-as-client -----------------------------------------------------------------

@pytest.mark.parametrize(("client_id", "name", "reported"), [
    ("sobstvennik", "Собственник", True),
    ("owners", "Owners", True),
    ("aktsionery", "Акционеры компании", True),
    ("investors", "Our investors", True),
    ("base-owner", "The owner of Base Foods", True),  # the organisation's own name
    ("vladelec", "Vladimir Petrov", True),  # the id says it
    ("smb-owners", "Small business owners", False),
    ("vladelcy-kvartir", "Владельцы квартир", False),
    ("shop-owners", "Shop owners", False),
    ("landlords", "Landlords", False),
    ("downers", "Downers Grove residents", False),
])
def test_owner_as_client_heuristic(tmp_path: Path, client_id: str, name: str,
                                   reported: bool) -> None:
    _, findings = lint(tmp_path, f"""
clients:
  - {{id: {client_id}, name: {name}, kind: external}}
""", ["KK247"])
    assert [d.subject for d in findings] == ([("client", client_id)] if reported else [])


def test_root_promises_to_the_owner_are_named(tmp_path: Path) -> None:
    path, findings = lint(tmp_path, """
clients:
  - id: shoppers
    name: Собственники
    kind: external
    needs:
      - {id: feed, text: feed the family fresh food, pains: [long trips to the market]}
""", ["KK247"])
    [diag] = findings
    assert at(path, diag) == "id: shoppers"
    assert diag.message() == (
        "client 'shoppers': «Собственники» looks like the company's owner or investor, not "
        "its client, yet root promises go to it (p-fresh, p-price, p-choice): the client is "
        "whoever receives and uses what you make and is first to notice a drop in quality; "
        "name those people as the client and give them these promises (if these really are "
        "your buyers, add lint_ignore: [owner-as-client] to this client)")
    assert "дайте эти обещания им" in diag.message("ru")


def test_owner_as_client_can_be_accepted_on_the_client(tmp_path: Path) -> None:
    _, findings = lint(tmp_path, """
clients:
  - {id: investors, name: Investors, kind: external, lint_ignore: [owner-as-client]}
""", ["KK247", "KK245"])
    assert findings == []


# -- KK248 member-without-reward -----------------------------------------------------------

DELIVERY = """
people:
  - {id: fay, name: Fay}
  - {id: gus, name: Gus}
teams:
  - id: delivery
    name: Delivery
    type: supporting
    leader: fay
    members: [fay, gus, dan]
    success_indicator: m-on-time
    economics: {income: [delivery fee], expenses: [vans]}
  - id: night-shift
    name: Night shift
    leader: gus
    members: [gus]
"""


def test_members_paid_by_no_scheme_grouped_by_their_first_team(tmp_path: Path) -> None:
    path, findings = lint(tmp_path, DELIVERY, ["KK248"])
    # dan is paid by shops' scheme; gus, also in the night shift, is named once
    [diag] = findings
    assert diag.subject == ("team", "delivery")
    assert at(path, diag).startswith("members:")
    assert diag.message() == (
        "team 'delivery': no reward scheme pays these members of the team: fay, gus; their "
        "reward does not depend on the result: give the team a scheme paid from profit "
        "(reward_schemes: - {id: …, unit: delivery}), or make them members of a team that "
        "has one")
    assert diag.message("ru") == (
        "команда 'delivery': ни одна система вознаграждения не платит этим членам команды: "
        "fay, gus; их вознаграждение не зависит от результата: заведите команде схему от "
        "прибыли (reward_schemes: - {id: …, unit: delivery}) или включите их в команду, у "
        "которой она есть")


def test_council_members_are_left_to_council_reward(tmp_path: Path) -> None:
    # concept loses its scheme: eve is reported, cid (on the council, paid by the council's
    # scheme only) is not
    _, findings = lint(tmp_path, """
reward_schemes:
  - {id: concept-bonus, delete: true}
""", ["KK248"])
    [diag] = findings
    assert diag.subject == ("team", "concept")
    assert diag.args["people"] == "eve"


def test_a_unit_council_scheme_pays_its_members(tmp_path: Path) -> None:
    _, findings = lint(tmp_path, DELIVERY + """
councils:
  - id: delivery-council
    name: Delivery council
    kind: unit
    unit: delivery
    reward: delivery-council-bonus
    members: [fay, gus]
reward_schemes:
  - {id: delivery-council-bonus, unit: delivery-council, base: team_profit}
""", ["KK248"])
    assert findings == []


def test_a_team_of_its_leader_alone_is_reported_at_the_leader(tmp_path: Path) -> None:
    path, findings = lint(tmp_path, """
people:
  - {id: fay, name: Fay}
teams:
  - {id: lab, name: Lab, leader: fay}
""", ["KK248"])
    [diag] = findings
    assert at(path, diag).startswith("leader:")
    assert diag.args["people"] == "fay"


def test_a_long_list_of_people_is_counted(tmp_path: Path) -> None:
    people = [f"p{i:02}" for i in range(12)]
    listed = "\n".join(f"  - {{id: {p}, name: P{p}}}" for p in people)
    _, findings = lint(tmp_path, f"""
people:
{listed}
teams:
  - {{id: hall, name: Hall, leader: p00, members: [{", ".join(people)}]}}
""", ["KK248"])
    [diag] = findings
    shown = ", ".join(people[:10])
    assert f"team: {shown} and 2 more;" in diag.message()
    assert f"команды: {shown} и ещё 2;" in diag.message("ru")


def test_no_reward_scheme_at_all_is_one_finding_of_clientocracy_complete(
        tmp_path: Path) -> None:
    _, findings = lint(tmp_path, """
reward_schemes: null
councils:
  - id: council
    name: Council
    kind: company
    members:
      - {person: ann, role: leader, represents: [shops]}
      - {person: bob, role: ambassador}
      - {person: cid, role: representative, represents: [concept]}
""", ["KK248", "KK228"])
    assert [d.message_id for d in findings] == ["clientocracy-complete.no_reward"]


# -- KK207 authority-monopoly: one scope however it is spelled -------------------------------

def test_scopes_equal_up_to_spaces_case_and_yo_are_one_scope(tmp_path: Path) -> None:
    path, findings = lint(tmp_path, """
authorities:
  - {id: a-buy-1, scope: Закупка  продуктов, holder: shops}
  - {id: a-buy-2, scope: закупка продуктов, holder: concept}
  - {id: a-buy-3, scope: "Закупка продуктов ", holder: couriers}
  - {id: a-prices-1, scope: Расчёт цен, holder: shops}
  - {id: a-prices-2, scope: РАСЧЕТ   ЦЕН, holder: shops}
""", ["KK207"])
    assert [(d.subject[1], d.message_id.split(".")[1]) for d in findings] == [
        ("a-buy-2", "shared"), ("a-buy-3", "shared"), ("a-prices-2", "same_holder")]
    first = where(path, "scope: Закупка  продуктов").rsplit(":", 1)[0]
    assert all(f"'a-buy-1' ({first}:" in d.message() for d in findings[:2])
    assert findings[0].message().startswith(
        "authority 'a-buy-2': scope «закупка продуктов» is already granted to 'shops'")
    assert findings[2].message("ru").startswith(
        "полномочие 'a-prices-2': полномочие «РАСЧЕТ   ЦЕН» у 'shops' уже описано в "
        "'a-prices-1'")


def test_needed_scopes_are_compared_the_same_way(tmp_path: Path) -> None:
    _, findings = lint(tmp_path, """
authorities:
  - {id: a-write-off, scope: Списание  просроченных продуктов, holder: shops}
promises:
  - id: p-fresh
    kind: root
    giver: shops
    receiver: shoppers
    value: freshness
    text: Dairy on the shelf is never older than two days
    metrics: [m-fresh-sales]
    authorities: [a-write-off]
    needs_authorities: [списание просроченных продуктов]
""", ["KK206"])
    assert findings == []


# -- KK235 nps-why: an NPS metric by its name or unit ----------------------------------------

@pytest.mark.parametrize(("name", "unit", "reported"), [
    ("NPS покупателей", "points", True),
    ("Shopper loyalty", "NPS", True),
    ("Net Promoter Score", "points", True),
    ("Индекс потребительской лояльности", "пунктов", True),
    ("Индекс лояльности покупателей", "пунктов", True),
    ("Индекс цены корзины", "%", False),
    ("Snapshots per day", "snps", False),
])
def test_nps_is_recognised_by_name_or_unit(tmp_path: Path, name: str, unit: str,
                                           reported: bool) -> None:
    _, findings = lint(tmp_path, f"""
metrics:
  - id: m-loyalty
    name: {name}
    unit: "{unit}"
    direction: up
    target: 60
    description: Would you recommend us to a friend (0-10)?
    source: {{owner: concept, description: survey at the till}}
""", ["KK235"])
    assert [d.subject for d in findings] == ([("metric", "m-loyalty")] if reported else [])


# -- KK236 hypothesis-structure: a pivot shows what it was decided on ------------------------

def test_a_pivot_without_metrics_or_a_refuted_test(tmp_path: Path) -> None:
    path, findings = lint(tmp_path, """
hypotheses:
  - {id: h-dark-stores, type: strategic, status: pivoted,
     text: Shoppers order groceries delivered in 15 minutes from dark stores}
""", ["KK236"])
    assert [d.message_id.split(".")[1] for d in findings] == [
        "pivot_no_metrics", "pivot_not_refuted"]
    assert {at(path, d) for d in findings} == {"pivoted"}
    assert findings[0].message() == (
        "hypothesis 'h-dark-stores': status: pivoted, but the hypothesis lists no metrics: a "
        "pivot is decided on the analysis of metrics; list those that did not confirm it "
        "(metrics: [...])")
    assert findings[1].message("ru") == (
        "гипотеза 'h-dark-stores': status: pivoted, но ни одна опровергнутая гипотеза не "
        "связана с ней через parent: вираж делают, когда метрики не подтвердили ставку; "
        "запишите не подтвердившуюся тактическую гипотезу со status: refuted и "
        "parent: h-dark-stores")


def test_a_pivot_recorded_on_the_new_bet_may_point_at_the_refuted_one(
        tmp_path: Path) -> None:
    _, findings = lint(tmp_path, """
hypotheses:
  - {id: h-dark-stores, type: strategic, status: refuted, metrics: [m-customers],
     text: Shoppers order groceries delivered in 15 minutes from dark stores}
  - {id: h-two-hours, type: strategic, status: pivoted, parent: h-dark-stores,
     metrics: [m-customers], text: Shoppers choose delivery from the nearest shop in 2 hours}
""", ["KK236"])
    assert findings == []
