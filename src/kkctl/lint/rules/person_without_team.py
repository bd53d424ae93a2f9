"""Everyone works in some team or council.

In clientocracy people work in autonomous teams (or on a council). A person listed in
``people`` but in no team and no council is outside the promise system: either a team forgot
to list them, or they have left and the entry is stale.

Source: none in the methodology directly; a consistency check of the format. The structure the
guide describes consists of «клиент, совет управляющих и остальные команды» (the client, the
council of managers and the other teams).

How it is checked: a person who is not a member or the leader of any team, not a member of
any council (company or unit) and not the sponsor of a unit council → info, at the person.

Fix: add the person to the ``members`` of the team they work in, or remove the entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Team

DOC_RU = """Каждый работает в какой-то команде или совете.

В клиентократии люди работают в автономных командах (или в совете). Человек, указанный в
``people``, но не входящий ни в одну команду и ни в один совет, находится вне системы обещаний:
либо команда забыла его указать, либо он ушёл, а запись устарела.

Источник: прямо в методологии такого правила нет; это проверка согласованности формата. Структура,
которую описывает руководство, — это «клиент, совет управляющих и остальные команды».

Как проверяется: человек, который не является участником или лидером ни одной команды, участником
ни одного совета (компании или подразделения) и спонсором ни одного совета подразделения, →
информационное замечание у этого человека.

Исправление: добавьте человека в ``members`` команды, в которой он работает, или удалите запись.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    placed = _in_teams(ctx.org.teams)
    for council in ctx.org.councils:
        placed.update(member.person.id for member in council.members)
        if council.sponsor is not None:
            placed.add(council.sponsor.id)
    for person in ctx.org.people:
        if person.id not in placed:
            yield Finding(person.source, (), "nowhere")


def _in_teams(teams: list[Team]) -> set[str]:
    """Everyone who is a member or the leader of a team: the people
    ``LintContext.teams_of_person`` knows, without the list of teams for each."""
    people = {member.person.id for team in teams for member in team.members}
    people.update(team.leader.id for team in teams if team.leader is not None)
    return people


RULE = Rule(
    code="KK241",
    slug="person-without-team",
    severity=Severity.INFO,
    profile="recommended",
    step=0,
    source="—",
    summary={"en": "A person is in no team and no council.",
             "ru": "Сотрудник не входит ни в одну команду и ни в один совет."},
    messages={
        "nowhere": {
            "en": "is in no team (as member or leader) and no council: add them to the "
                  "members of the team they work in, or remove the entry if they have left",
            "ru": "не входит ни в одну команду (ни членом, ни лидером) и ни в один совет: "
                  "добавьте сотрудника в members его команды или удалите запись, если он ушёл",
        },
    },
    check=check,
    passing=("""
people:
  - {id: fay, name: Fay}
teams:
  - id: concept
    name: Unified concept
    type: concept
    leader: cid
    members: [cid, eve, fay]
    success_indicator: m-customers
    economics: {income: [brand fee], expenses: [marketing]}
""",),
    failing=("""
people:
  - {id: fay, name: Fay}
""",),
)
