"""Council, teams, reward and people rules (KK214–KK223, KK233, KK234, KK240, KK241, KK244):
behaviour beyond the rules' own PASS/FAIL examples — exact messages, positions, options and
edge cases, each on a real file built from the clean base organisation."""

from __future__ import annotations

from pathlib import Path

from harness import lint_file, merged, write_org

from kkctl.diagnostics import Diagnostic

SHOPS = """
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [ann, dan]
    clients: [shoppers]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent, stock]}
"""

COUNCIL_MEMBERS = """
      - {person: ann, role: leader, represents: [shops]}
      - {person: bob, role: ambassador}
      - {person: cid, role: representative, represents: [concept]}
"""


def run(tmp_path: Path, fragment: str, code: str, *, valid: bool = True,
        profile: str = "strict") -> tuple[list[Diagnostic], list[str]]:
    """The findings of one rule (run through the profile, not --select, so options apply),
    and the written file's lines."""
    path = write_org(tmp_path, merged(fragment))
    validation, findings = lint_file(path, profile=profile)
    if valid:
        assert [d.message() for d in validation] == []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [d for d in findings if d.code == code], lines


def at(lines: list[str], diag: Diagnostic) -> str:
    """The text from the diagnostic's position to the end of its line."""
    return lines[diag.line - 1][diag.column - 1:]


# -- KK214 council-composition ---------------------------------------------------------------

def test_unrepresented_team_message_and_position(tmp_path: Path) -> None:
    found, lines = run(tmp_path, """
councils:
  - id: council
    name: Council
    kind: company
    reward: council-bonus
    members:
      - {person: ann, role: leader}
      - {person: bob, role: ambassador}
      - {person: cid, role: representative, represents: [concept]}
""", "KK214")
    assert len(found) == 1
    diag = found[0]
    assert diag.path[-1] == "members"
    assert at(lines, diag).startswith("members:")
    line, text = next((i, t) for i, t in enumerate(lines, 1) if "id: shops" in t)
    where = f"{diag.file}:{line}:{text.index('id: shops') + 1}"
    assert diag.message("en") == (
        f"council 'council': team 'shops' ({where}) is value_creating, but no council member "
        "represents it; add it to the represents of the member who speaks for it, or bring "
        "its representative onto the council")
    assert diag.message("ru") == (
        f"совет 'council': команда 'shops' ({where}) создаёт ценность для клиента "
        "(type: value_creating), но её не представляет ни один член совета; добавьте её в "
        "represents того, кто говорит от её имени, или введите в совет её представителя")


def test_root_promise_to_partner_needs_a_representative(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
teams:
  - id: concept
    name: Unified concept
    type: supporting
    leader: cid
    members: [cid, eve]
    success_indicator: m-customers
    economics: {income: [brand fee], expenses: [marketing]}
promises:
  - id: p-price
    kind: root
    giver: concept
    receiver: couriers
    value: price
    text: Our delivery fee never changes within a year
    metrics: [m-customers]
    authorities: [a-pricing]
councils:
  - id: council
    name: Council
    kind: company
    reward: council-bonus
    members:
      - {person: ann, role: leader, represents: [shops]}
      - {person: bob, role: ambassador}
      - {person: cid, role: representative}
""", "KK214")
    assert len(found) == 1
    assert "gives root promise 'p-price' to client 'couriers'" in found[0].message("en")
    assert "даёт корневое обещание 'p-price' внешнему клиенту 'couriers'" in \
        found[0].message("ru")


def test_a_represented_parent_covers_its_teams(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
teams:
  - id: corner-shops
    name: Corner shops
    type: value_creating
    parent: shops
    leader: dan
    members: [dan]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent]}
""", "KK214")
    assert found == []


def test_parent_cycle_does_not_hang(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
teams:
  - id: a-team
    name: A
    type: value_creating
    parent: b-team
    leader: dan
    members: [dan]
  - id: b-team
    name: B
    type: value_creating
    parent: a-team
    leader: eve
    members: [eve]
""", "KK214")
    assert sorted(d.args["team"] for d in found) == ["a-team", "b-team"]


def test_two_leaders_and_two_ambassadors(tmp_path: Path) -> None:
    found, lines = run(tmp_path, f"""
people:
  - {{id: fay, name: Fay}}
councils:
  - id: council
    name: Council
    kind: company
    reward: council-bonus
    members:{COUNCIL_MEMBERS}      - {{person: dan, role: Leader}}
      - {{person: fay, role: ambassador}}
""", "KK214")
    assert sorted(d.message_id for d in found) == ["council-composition.many_ambassadors",
                                                   "council-composition.many_leaders"]
    second = next(d for d in found if d.message_id.endswith("many_leaders"))
    assert at(lines, second).startswith("Leader")
    assert "'dan' is a second leader of the council besides 'ann'" in second.message("en")


def test_no_leader_and_no_ambassador(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
councils:
  - id: council
    name: Council
    kind: company
    reward: council-bonus
    members:
      - {person: ann, role: representative, represents: [shops]}
      - {person: bob, role: facilitator}
      - {person: cid, role: representative, represents: [concept]}
""", "KK214")
    assert sorted(d.message_id for d in found) == ["council-composition.no_ambassador",
                                                   "council-composition.no_leader"]


def test_no_council_at_all_is_reported_once_on_the_organisation(tmp_path: Path) -> None:
    found, lines = run(tmp_path, """
councils: null
promises:
  - {id: p-council, delete: true}
authorities:
  - {id: a-council-answers, delete: true}
  - {id: a-council-members, delete: true}
  - {id: a-council-reward, delete: true}
reward_schemes:
  - {id: council-bonus, unit: shops}
""", "KK214")
    assert len(found) == 1
    assert at(lines, found[0]).startswith("organisation:")
    assert "no council of managers (kind: company) and no unit council" in found[0].message()


def test_a_unit_council_alone_is_not_reported_by_composition(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
councils:
  - id: council
    name: Shops council
    kind: unit
    unit: shops
    sponsor: bob
    reward: council-bonus
    members: [ann, dan]
""", "KK214")
    assert found == []


# -- KK215 council-reward --------------------------------------------------------------------

PAID = """
reward_schemes:
  - {id: council-bonus, unit: council, base: net_profit, share: 0.20, split: equal}
  - {id: shops-bonus, unit: shops, base: team_profit, share: 0.20, split: explicit}
periods:
  - id: 2026-q1
    start: 2026-01-01
    end: 2026-03-31
    net_profit: 1000000.00
    payouts:
      shops-bonus: {dan: 50000.00, ann: 50000.00}
"""


def test_council_member_paid_by_another_scheme(tmp_path: Path) -> None:
    found, lines = run(tmp_path, PAID, "KK215")
    assert len(found) == 1
    diag = found[0]
    assert diag.path[-3:] == ("payouts", "shops-bonus", "ann")
    assert at(lines, diag).startswith("ann:")
    assert diag.message("en").startswith(
        "period '2026-q1': 'ann' sits on council 'council' (")
    assert diag.message("en").endswith(
        ") but is paid here by scheme 'shops-bonus'; council members have one shared reward "
        "and no other income inside the company: remove this payout")
    assert "входит в совет управляющих 'council'" in diag.message("ru")


def test_payout_outside_the_council_term_is_fine(tmp_path: Path) -> None:
    found, _ = run(tmp_path, PAID + """
councils:
  - id: council
    name: Council
    kind: company
    reward: council-bonus
    members:
      - {person: ann, role: leader, represents: [shops], from: 2026-04-01}
      - {person: bob, role: ambassador}
      - {person: cid, role: representative, represents: [concept]}
""", "KK215")
    assert found == []


def test_council_reward_missing_names_the_scheme_that_pays_it(tmp_path: Path) -> None:
    found, _ = run(tmp_path, f"""
councils:
  - id: council
    name: Council
    kind: company
    members:{COUNCIL_MEMBERS}""", "KK215")
    assert [d.message_id for d in found] == ["council-reward.missing_known"]
    assert "set reward: council-bonus" in found[0].message("en")


def test_council_reward_missing_without_any_scheme(tmp_path: Path) -> None:
    found, _ = run(tmp_path, f"""
councils:
  - id: council
    name: Council
    kind: company
    members:{COUNCIL_MEMBERS}
reward_schemes:
  - {{id: council-bonus, unit: shops}}
""", "KK215")
    assert [d.message_id for d in found] == ["council-reward.missing"]


def test_second_scheme_for_the_council(tmp_path: Path) -> None:
    found, lines = run(tmp_path, """
reward_schemes:
  - {id: council-extra, unit: council, base: net_profit, share: 0.05}
""", "KK215")
    assert [d.message_id for d in found] == ["council-reward.second_scheme"]
    assert at(lines, found[0]).startswith("council")
    assert found[0].path[-1] == "unit"


def test_unresolved_council_reward_is_left_to_validation(tmp_path: Path) -> None:
    found, _ = run(tmp_path, f"""
councils:
  - id: council
    name: Council
    kind: company
    reward: no-such-scheme
    members:{COUNCIL_MEMBERS}""", "KK215", valid=False)
    assert found == []


# -- KK216 council-self-governance -----------------------------------------------------------

def test_misheld_council_reward(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
authorities:
  - {id: a-council-reward, scope: council.reward, holder: ann}
""", "KK216")
    assert len(found) == 1
    en, ru = found[0].message("en"), found[0].message("ru")
    assert en.startswith("council 'council': authority 'a-council-reward' (scope "
                         "'council.reward') is held by 'ann' (")
    assert en.endswith("), not by the council; the council itself must decide its own "
                       "reward: make it the holder")
    assert ru.startswith("совет 'council': полномочие 'a-council-reward' (scope "
                         "'council.reward') принадлежит 'ann' (")
    assert ru.endswith("совет управляющих должен сам решать о своём вознаграждении: "
                       "сделайте его держателем (holder) этого полномочия")


def test_missing_membership_scope(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
authorities:
  - {id: a-council-members, delete: true}
""", "KK216")
    assert len(found) == 1
    assert found[0].message("en") == (
        "council 'council': no authority has scope 'council.membership': the council itself "
        "must admit and remove its members; add {id: …, scope: council.membership, holder: "
        "council} under authorities:")


def test_scope_case_and_council_suffix_are_accepted(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
authorities:
  - {id: a-council-members, scope: " Council.Membership ", holder: council}
  - {id: a-council-reward, scope: "council.reward:council", holder: council}
""", "KK216")
    assert found == []


# -- KK217 unit-council ----------------------------------------------------------------------

UNIT = f"""
teams:{SHOPS}
reward_schemes:
  - {{id: unit-bonus, unit: shops-council, base: net_profit}}
"""


def test_unit_council_member_giving_nothing_to_the_unit_client(tmp_path: Path) -> None:
    found, lines = run(tmp_path, UNIT + """
councils:
  - id: shops-council
    name: Shops council
    kind: unit
    unit: shops
    reward: unit-bonus
    members: [ann, eve, bob]
""", "KK217")
    # eve gives p-price to shoppers through the concept team; bob gives nothing
    assert [d.args["person"] for d in found] == ["bob"]
    assert at(lines, found[0]).startswith("bob")
    assert "'bob' gives no root promise to a client of unit 'shops' (shoppers)" in \
        found[0].message("en")


def test_unit_without_clients_skips_the_member_check(tmp_path: Path) -> None:
    found, _ = run(tmp_path, UNIT.replace("clients: [shoppers]", "clients: []") + """
councils:
  - id: shops-council
    name: Shops council
    kind: unit
    unit: shops
    reward: unit-bonus
    members: [ann, bob]
""", "KK217")
    assert found == []


def test_unit_council_without_reward(tmp_path: Path) -> None:
    found, _ = run(tmp_path, UNIT + """
councils:
  - id: shops-council
    name: Shops council
    kind: unit
    unit: shops
    members: [ann, dan]
""", "KK217")
    assert [d.message_id for d in found] == ["unit-council.no_reward"]
    assert "одинаковая для всех система мотивирующего вознаграждения" in found[0].message("ru")


# -- KK218 autonomous-team, KK219 team-economics, KK220 team-success-indicator ---------------

def test_a_zero_budget_is_no_resource(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
authorities:
  - {id: a-write-off, scope: write off stale stock, holder: shops, budget: 0}
""", "KK218")
    assert [(d.message_id, d.args) for d in found] == [("autonomous-team.no_budget", {})]


def test_autonomous_team_is_strict_only(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
authorities:
  - {id: a-write-off, scope: write off stale stock, holder: shops}
""", "KK218", profile="recommended")
    assert found == []


def test_economics_without_expenses_points_at_the_list(tmp_path: Path) -> None:
    found, lines = run(tmp_path, """
teams:
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [ann, dan]
    success_indicator: m-fresh-sales
    economics:
      income: [sales]
      expenses: []
""", "KK219")
    assert len(found) == 1
    assert at(lines, found[0]).startswith("expenses:")
    assert found[0].message("en") == (
        "team 'shops': economics lists no expenses: the team must see that the value it "
        "creates pays for all the costs of creating it; list them")


def test_economics_without_both_parts(tmp_path: Path) -> None:
    found, lines = run(tmp_path, """
teams:
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [ann, dan]
    success_indicator: m-fresh-sales
    economics: {virtual_revenue: [online orders]}
""", "KK219")
    assert len(found) == 1
    assert found[0].args == {"missing": "income, expenses"}
    assert at(lines, found[0]).startswith("economics:")


def test_team_without_success_indicator_ru(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
teams:
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [ann, dan]
    economics: {income: [sales], expenses: [rent, stock]}
""", "KK220")
    assert [d.message("ru") for d in found] == [
        "команда 'shops': у команды нет показателя успешности: выберите одну метрику, по "
        "изменению которой команда оценивает свой рост, и укажите её в success_indicator:"]


# -- KK221 success-indicator-growth ----------------------------------------------------------

def test_latest_reading_is_the_last_in_the_list(tmp_path: Path) -> None:
    metric = """
metrics:
  - id: m-customers
    name: Share of households who shop with us
    unit: "%"
    direction: up
    bounds: {{min: 0, max: 100}}
    source: {{owner: shops, description: survey}}
    readings: [{{period: 2026-q2, value: {a}}}, {{period: 2026-q1, value: {b}}}]
"""
    found, lines = run(tmp_path, metric.format(a=70, b=30), "KK221")
    assert found == []
    found, lines = run(tmp_path, metric.format(a=30, b=70), "KK221")
    assert len(found) == 1
    assert at(lines, found[0]).startswith("m-customers")
    assert "is at 70 of at most 100 and cannot even double" in found[0].message("en")


def test_percent_without_bounds(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
metrics:
  - id: m-customers
    name: Repeat customers
    unit: "%"
    direction: up
    source: {owner: shops, description: loyalty cards}
    readings: [{period: 2026-q1, value: 50.5}]
""", "KK221")
    assert [d.message_id for d in found] == ["success-indicator-growth.percent"]
    assert "доля, уже равная 50.5 %" in found[0].message("ru")


# -- KK222 hierarchy -------------------------------------------------------------------------

def test_leader_who_can_dissolve_the_team(tmp_path: Path) -> None:
    found, lines = run(tmp_path, """
authorities:
  - {id: a-dissolve, scope: TEAM.DISSOLVE, holder: ann}
""", "KK222")
    assert [(d.message_id, d.args.get("team"), d.args.get("council")) for d in found] == [
        ("hierarchy.team", "shops", None), ("hierarchy.council", None, "council")]
    assert at(lines, found[0]).startswith("ann")
    assert "'ann' alone holds 'TEAM.DISSOLVE' over team 'shops' (" in found[0].message("en")


def test_authority_over_a_team_the_person_is_not_in(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
authorities:
  - {id: a-dissolve, scope: "team.dissolve:concept", holder: ann}
""", "KK222")
    assert found == []


def test_reciprocal_scopes_option(tmp_path: Path) -> None:
    fragment = """
authorities:
  - {id: a-dissolve, scope: "reward.define:shops", holder: ann}
  - {id: a-shops-vote, scope: team.vote-out-leader, holder: shops}
"""
    found, _ = run(tmp_path, fragment, "KK222")
    assert len(found) == 1
    found, _ = run(tmp_path, fragment + """
lint:
  profile: strict
  rules:
    hierarchy: {options: {reciprocal_scopes: [team.vote-out-leader]}}
""", "KK222")
    assert found == []


def test_reward_define_inside_the_council_contradicts_r13(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
authorities:
  - {id: a-council-bonus, scope: "reward.define:council", holder: cid}
""", "KK222")
    assert [d.message_id for d in found] == ["hierarchy.council"]
    assert "this contradicts R-13" in found[0].message("en")
    assert "противоречит R-13" in found[0].message("ru")


# -- KK223 unit-council-sponsor --------------------------------------------------------------

def test_sponsor_not_needed_under_a_company_council(tmp_path: Path) -> None:
    found, _ = run(tmp_path, UNIT + """
councils:
  - id: shops-council
    name: Shops council
    kind: unit
    unit: shops
    reward: unit-bonus
    members: [ann, dan]
""", "KK223")
    assert found == []


def test_sponsor_missing_message(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
councils:
  - id: council
    name: Shops council
    kind: unit
    unit: shops
    reward: council-bonus
    members: [ann, dan]
""", "KK223")
    assert [d.message("en") for d in found] == [
        "council 'council': the unit council works without a council of managers and has no "
        "sponsor: name under sponsor: the person at the top who will persuade everyone else "
        "not to interfere"]


# -- KK233 reward-base -----------------------------------------------------------------------

def test_share_message(tmp_path: Path) -> None:
    found, lines = run(tmp_path, """
reward_schemes:
  - {id: council-bonus, unit: council, base: net_profit, share: 0.25}
""", "KK233")
    assert len(found) == 1
    assert at(lines, found[0]).startswith("0.25")
    assert found[0].message("en") == (
        "reward scheme 'council-bonus': share is 0.25 (25%): the methodology's standard is "
        "20 % of net profit; fine if deliberate")
    assert found[0].message("ru") == (
        "система вознаграждения 'council-bonus': доля 0,25 (25\u00a0%): устоявшийся стандарт "
        "методологии — 20 % от чистой прибыли; это нормально, если так решено сознательно")


def test_team_profit_is_fine_for_teams_and_unit_councils(tmp_path: Path) -> None:
    found, _ = run(tmp_path, f"""
teams:{SHOPS}
councils:
  - id: shops-council
    name: Shops council
    kind: unit
    unit: shops
    reward: unit-bonus
    members: [ann, dan]
reward_schemes:
  - {{id: unit-bonus, unit: shops-council, base: team_profit}}
  - {{id: shops-bonus, unit: shops, base: team_profit, share: 0.2}}
""", "KK233")
    assert found == []


# -- KK234 virtual-revenue -------------------------------------------------------------------

def test_virtual_revenue_position_and_zero(tmp_path: Path) -> None:
    period = """
periods:
  - id: 2026-q1
    start: 2026-01-01
    end: 2026-03-31
    net_profit: 1000000.00
    teams:
      shops: {{income: 900000.00, expenses: 400000.00, virtual_revenue: {amount}}}
"""
    found, _ = run(tmp_path, period.format(amount="0"), "KK234")
    assert found == []
    found, lines = run(tmp_path, period.format(amount="120000.5"), "KK234")
    assert len(found) == 1
    assert at(lines, found[0]).startswith("120000.5")
    assert "virtual revenue 120000.5 is credited to team 'shops'" in found[0].message("en")


# -- KK240, KK241, KK244 ---------------------------------------------------------------------

def test_leader_not_member_position(tmp_path: Path) -> None:
    found, lines = run(tmp_path, """
teams:
  - id: concept
    name: Unified concept
    type: concept
    leader: cid
    members: [eve]
    success_indicator: m-customers
    economics: {income: [brand fee], expenses: [marketing]}
""", "KK240")
    assert len(found) == 1
    assert at(lines, found[0]).startswith("cid")
    assert found[0].message("ru") == (
        "команда 'concept': лидер 'cid' не входит в members команды: добавьте его в members "
        "или выберите лидера из членов команды")


def test_empty_team_is_not_also_leader_not_member(tmp_path: Path) -> None:
    fragment = """
teams:
  - id: concept
    name: Unified concept
    type: concept
    leader: cid
    members: []
    success_indicator: m-customers
    economics: {income: [brand fee], expenses: [marketing]}
"""
    found, _ = run(tmp_path, fragment, "KK240")
    assert found == []
    found, lines = run(tmp_path, fragment, "KK244")
    assert len(found) == 1
    assert at(lines, found[0]).startswith("members:")


def test_person_without_team(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
people:
  - {id: fay, name: Fay}
  - {id: gus, name: Gus}
councils:
  - id: council
    name: Council
    kind: company
    reward: council-bonus
    members:
      - {person: ann, role: leader, represents: [shops]}
      - {person: bob, role: ambassador}
      - {person: cid, role: representative, represents: [concept]}
      - {person: gus, role: facilitator}
""", "KK241")
    assert [d.message("en") for d in found] == [
        "person 'fay': is in no team (as member or leader) and no council: add them to the "
        "members of the team they work in, or remove the entry if they have left"]


def test_unit_council_sponsor_is_placed(tmp_path: Path) -> None:
    found, _ = run(tmp_path, """
people:
  - {id: fay, name: Fay}
councils:
  - id: council
    name: Shops council
    kind: unit
    unit: shops
    sponsor: fay
    reward: council-bonus
    members: [ann, dan]
""", "KK241")
    # fay sponsors the unit council; bob, now on no council, is reported
    assert [d.subject for d in found] == [("person", "bob")]
