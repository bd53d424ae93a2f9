"""No cycles in the teams' ``parent`` chain.

A team's ``parent`` says which larger team (unit) it belongs to. Following parents upward must
end at a top-level team: if a team is, directly or through others, its own parent, the
structure has no top, nobody can tell which unit a team belongs to, and everything that walks
up the tree (unit councils, roll-ups of team economics, reports) has no answer.

Source: none in the methodology as a rule of its own; it is what «подразделение» (unit) and
«совет подразделения» (unit council: «автономная команда, координирующая работу
подразделения») presuppose, guide «О клиентократии», glossary. Meaning: a unit contains teams;
a unit cannot contain itself.

How it is checked: one pass of Tarjan's algorithm over the graph team → parent finds every
cycle (each team has one parent, so a cycle is a simple ring); the message prints the whole
ring with each team's position, and is reported once per ring at its first team's
``parent``. A team that names itself as its parent is reported on its own. Unresolved parents
are left to validation.

Fix: remove ``parent`` from the team that is really at the top, or point it at the right unit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.graph import cycle_in, strongly_connected
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Team

DOC_RU = """В цепочке ``parent`` команд нет циклов.

Поле ``parent`` команды говорит, к какой более крупной команде (подразделению) она относится. Путь
вверх по родителям должен заканчиваться командой верхнего уровня: если команда — напрямую или
через другие — сама себе родитель, у структуры нет вершины, никто не может сказать, к какому
подразделению относится команда, и всё, что поднимается по дереву вверх (советы подразделений,
сводка экономики команд, отчёты), не находит ответа.

Источник: отдельного правила в методологии нет; этого требуют понятия «подразделение» и «совет
подразделения» («автономная команда, координирующая работу подразделения»), руководство «О
клиентократии», глоссарий. Смысл: подразделение состоит из команд; подразделение не может
содержать само себя.

Как проверяется: один проход алгоритма Тарьяна по графу «команда → родитель» находит все циклы (у
каждой команды один родитель, поэтому цикл — простое кольцо); сообщение выводит кольцо целиком, с
позицией каждой команды, и выдаётся один раз на кольцо, у ``parent`` его первой команды. Команда,
указавшая родителем саму себя, отмечается отдельно. Неразрешённые ссылки на родителя оставлены
валидации.

Исправление: уберите ``parent`` у команды, которая на самом деле стоит наверху, или укажите в нём
правильное подразделение.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    teams = {team.id: team for team in ctx.org.teams}
    edges: dict[str, list[str]] = {}
    for team in ctx.org.teams:
        parent = team.parent.target if team.parent is not None else None
        if isinstance(parent, Team) and teams.get(parent.id) is parent:
            edges[team.id] = [parent.id]
    for component in strongly_connected(teams, edges):
        first = component[0]
        if len(component) == 1:
            if first in edges.get(first, ()):
                yield Finding(teams[first].source, ("parent",), "own_parent", {"team": first})
            continue
        cycle = cycle_in(component, edges)
        steps = " → ".join(f"{t} ({ctx.where(teams[t].source, 'parent')})" for t in cycle[:-1])
        yield Finding(teams[cycle[0]].source, ("parent",), "cycle",
                      {"cycle": f"{steps} → {cycle[0]}"})


RULE = Rule(
    code="KK202",
    slug="team-parent-cycle",
    severity=Severity.ERROR,
    profile="minimal",
    step=0,
    source="—",
    summary={"en": "Teams' parent links must not form a cycle.",
             "ru": "Ссылки parent между командами не должны образовывать цикл."},
    messages={
        "cycle": {
            "en": "teams' parent links form a cycle: {cycle}; a unit cannot contain itself: "
                  "remove parent from the team at the top, or point it at the right unit",
            "ru": "ссылки parent образуют цикл: {cycle}; подразделение не может входить само "
                  "в себя: уберите parent у команды верхнего уровня или укажите верное "
                  "подразделение",
        },
        "own_parent": {
            "en": "team '{team}' names itself as its parent; remove parent or point it at the "
                  "unit the team belongs to",
            "ru": "команда '{team}' указана родителем самой себя; уберите parent или укажите "
                  "подразделение, в которое входит команда",
        },
    },
    check=check,
    passing=("""
teams:
  - id: fresh-dairy
    name: Fresh dairy corner
    type: supporting
    parent: shops
    leader: dan
    members: [dan]
    success_indicator: m-fresh-sales
    economics: {income: [dairy sales], expenses: [fridges]}
""",),
    failing=("""
teams:
  - id: shops
    name: Shops
    type: value_creating
    parent: fresh-dairy
    leader: ann
    members: [ann, dan]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent, stock]}
  - id: fresh-dairy
    name: Fresh dairy corner
    type: supporting
    parent: shops
    leader: dan
    members: [dan]
    success_indicator: m-fresh-sales
    economics: {income: [dairy sales], expenses: [fridges]}
""", """
teams:
  - id: concept
    name: Unified concept
    type: concept
    parent: concept
    leader: cid
    members: [cid, eve]
    success_indicator: m-customers
    economics: {income: [brand fee], expenses: [marketing]}
"""),
)
