"""Every team member is paid by a reward scheme tied to profit.

In a clientocracy each member's reward depends directly on the result, and the result is
measured in profit. Once a company has chosen its reward schemes (step 8), a team whose people
are in none of them works on a salary alone: the team's result makes no difference to them, and
the one team without a stake is where the promise system is weakest.

Source (guide «О клиентократии», glossary «Сопричастность результату»; R-29, seed ``001`` step
8): «Сопричастность результату – принцип, согласно которому вознаграждение каждого члена
команды напрямую зависит от результата работы сотрудника или всей команды»; «финансовая
мотивация должна быть от прибыли». Meaning: by the principle of involvement in the result, the
reward of every team member depends directly on the result of their own or the whole team's
work; financial motivation must come from profit.

How it is checked, only once the organisation has at least one ``reward_schemes`` entry (before
that it has not reached step 8, and clientocracy-complete, KK228, reports the missing reward
system once): a person who is a member or the leader of a team is paid by a scheme when they are
a member or the leader of the scheme's ``unit`` (a team or a council) — as ``kkctl bonus`` pays
— and the scheme's ``base`` is profit (``net_profit`` or ``team_profit``). Members of the
council of managers are left to council-reward (KK215): they are paid by the council's scheme
only. The people paid by no scheme are reported once each, grouped by the first team they belong
to: one warning per team, at its ``members`` (its ``leader`` when it lists no members), naming
them.

Fix: give the team a reward scheme (``reward_schemes: - {id: …, unit: <team>}``: 20 % of net
profit is the standard), or make these people members of a team that has one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Council, Team
from kkctl.steps import PROFIT_BASES

DOC_RU = """Каждому члену команды платит система вознаграждения, привязанная к прибыли.

В клиентократии вознаграждение каждого члена команды напрямую зависит от результата, а
результат измеряется прибылью. Когда компания уже выбрала системы вознаграждения (шаг 8),
команда, чьи люди не входят ни в одну из них, работает только за оклад: результат команды для
них ничего не меняет, и именно там, где у команды нет своей доли, система обещаний слабее всего.

Источник (руководство «О клиентократии», глоссарий «Сопричастность результату»; R-29, seed
``001``, шаг 8): «Сопричастность результату – принцип, согласно которому вознаграждение каждого
члена команды напрямую зависит от результата работы сотрудника или всей команды»; «финансовая
мотивация должна быть от прибыли». Смысл: по принципу сопричастности результату вознаграждение
каждого члена команды напрямую зависит от результата его работы или работы всей команды;
финансовая мотивация должна быть от прибыли.

Как проверяется — только если в организации есть хотя бы одна запись ``reward_schemes`` (до
этого она ещё не дошла до шага 8, и об отсутствии системы вознаграждения один раз сообщает
clientocracy-complete, KK228): человеку, который входит в команду или руководит ею, платит
схема, если он член или лидер её ``unit`` (команды или совета) — так, как платит ``kkctl
bonus``, — и база схемы (``base``) — прибыль (``net_profit`` или ``team_profit``). Членов совета
управляющих проверяет council-reward (KK215): им платит только схема совета. Люди, которым не
платит ни одна схема, называются по одному разу, сгруппированные по первой команде, в которую
они входят: одно предупреждение на команду, у её ``members`` (у ``leader``, если членов в
списке нет), с их перечнем.

Исправление: заведите команде систему вознаграждения (``reward_schemes: - {id: …, unit:
<команда>}``; стандарт — 20 % чистой прибыли) или включите этих людей в команду, у которой она
есть.
"""

SHOWN = 10  # people named in one finding; the rest are counted


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    org = ctx.org
    if not org.reward_schemes:
        return
    settled = _paid(ctx) | {member.person.id for council in ctx.company_councils
                            for member in council.members}
    for team in org.teams:
        unpaid = [person for person in _people(team) if person not in settled]
        if not unpaid:
            continue
        settled.update(unpaid)  # each person once, under their first team
        yield Finding(team.source, ("members",) if team.members else ("leader",), "unpaid",
                      {"people": _listing(unpaid), "team": team.id}, at_key=True)


def _paid(ctx: LintContext) -> set[str]:
    """People some scheme on profit pays: the members (and a team's leader) of its unit."""
    paid: set[str] = set()
    for scheme in ctx.org.reward_schemes:
        if scheme.base not in PROFIT_BASES:
            continue
        unit = scheme.unit.target if scheme.unit is not None else None
        if isinstance(unit, Team | Council):
            paid |= ctx.member_ids(unit)
    return paid


def _people(team: Team) -> list[str]:
    """The team's people in file order, each once, the leader last if not a member; only
    references that resolve (validation reports the others)."""
    found = [member.person.id for member in team.members if member.person.target is not None]
    if team.leader is not None and team.leader.target is not None:
        found.append(team.leader.id)
    return list(dict.fromkeys(found))


def _listing(people: list[str]) -> dict[str, str] | str:
    shown = ", ".join(people[:SHOWN])
    rest = len(people) - SHOWN
    if rest <= 0:
        return shown
    return {"en": f"{shown} and {rest} more", "ru": f"{shown} и ещё {rest}"}


RULE = Rule(
    code="KK248",
    slug="member-without-reward",
    severity=Severity.WARNING,
    profile="strict",
    step=8,
    source="R-29",
    summary={"en": "Every team member is paid by a reward scheme tied to profit.",
             "ru": "Каждому члену команды платит система вознаграждения от прибыли."},
    messages={
        "unpaid": {
            "en": "no reward scheme pays these members of the team: {people}; their reward "
                  "does not depend on the result: give the team a scheme paid from profit "
                  "(reward_schemes: - {{id: …, unit: {team}}}), or make them members of a "
                  "team that has one",
            "ru": "ни одна система вознаграждения не платит этим членам команды: {people}; их "
                  "вознаграждение не зависит от результата: заведите команде схему от прибыли "
                  "(reward_schemes: - {{id: …, unit: {team}}}) или включите их в команду, у "
                  "которой она есть",
        },
    },
    check=check,
    passing=("""
reward_schemes:
  - {id: council-bonus, unit: council, base: net_profit, share: 0.20, split: equal}
  - {id: shops-bonus, unit: shops, base: team_profit}
  - {id: concept-bonus, unit: concept, base: team_profit}
""", """
reward_schemes: null
councils:
  - id: council
    name: Council
    kind: company
    members:
      - {person: ann, role: leader, represents: [shops]}
      - {person: bob, role: ambassador}
      - {person: cid, role: representative, represents: [concept]}
"""),
    failing=("""
people:
  - {id: fay, name: Fay}
teams:
  - id: delivery
    name: Delivery
    type: supporting
    leader: fay
    members: [fay]
    success_indicator: m-on-time
    economics: {income: [delivery fee], expenses: [vans]}
""",),
)
