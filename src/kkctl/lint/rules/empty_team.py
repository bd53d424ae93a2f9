"""A team has members.

A team is people who keep promises together; one with no members listed cannot give a
promise anyone could rely on, has no one to share its reward, and usually means the list was
never filled in. The leader alone does not make a team.

Source: none in the methodology directly; a consistency check of the format (a team's reward
is split among its ``members``; R-15: an autonomous team has the people and resources for its
function).

How it is checked: a team whose ``members`` is missing or empty → warning, at ``members`` (or
at the team when the key is absent). The leader field does not count as a member. A team whose
people are in the teams below it (``parent``, at any depth) is a unit, not an empty team: a
team with no members of its own is not reported when some team below it has members.

Fix: list the team's members (the leader among them) under ``members``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Team

DOC_RU = """В команде есть члены.

Команда — это люди, которые вместе выполняют обещания; команда без перечисленных членов не может
дать обещание, на которое можно положиться, ей не с кем делить вознаграждение, и обычно это
значит, что список просто не заполнили. Один лидер ещё не команда.

Источник: прямо в методологии нет; это проверка согласованности формата (вознаграждение команды
делится между её ``members``; R-15: у автономной команды есть люди и ресурсы для её функции).

Как проверяется: команда, у которой ``members`` нет или он пуст, → предупреждение у ``members``
(или у команды, если ключа нет). Поле лидера членом команды не считается. Команда, чьи люди
состоят в командах под ней (``parent``, на любой глубине), — это подразделение, а не пустая
команда: команда без собственных членов не отмечается, если у какой-либо команды под ней члены
есть.

Исправление: перечислите членов команды (и лидера среди них) в ``members``.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    staffed: set[str] | None = None  # built only when some team has no members
    for team in ctx.org.teams:
        if team.members:
            continue
        if staffed is None:
            staffed = _with_people_below(ctx.org.teams)
        if team.id not in staffed:
            yield Finding(team.source, ("members",), "empty", at_key=True)


def _with_people_below(teams: list[Team]) -> set[str]:
    """Ids of the teams that some team with members sits under (``parent``, at any depth).
    Each walk up stops at a team already marked, so every team is marked once: linear, and a
    parent cycle (team-parent-cycle reports it) ends the walk too."""
    marked: set[str] = set()
    for team in teams:
        if not team.members:
            continue
        parent = team.parent.target if team.parent is not None else None
        while isinstance(parent, Team) and parent.id not in marked:
            marked.add(parent.id)
            parent = parent.parent.target if parent.parent is not None else None
    return marked


RULE = Rule(
    code="KK244",
    slug="empty-team",
    severity=Severity.WARNING,
    profile="recommended",
    step=0,
    source="—",
    summary={"en": "A team has no members.",
             "ru": "В команде нет ни одного члена."},
    messages={
        "empty": {
            "en": "the team has no members (a leader alone is not a team) and no team below "
                  "it has any: list its members, the leader among them, under members:",
            "ru": "в команде нет членов (один лидер — ещё не команда), нет их и в командах под "
                  "ней: перечислите её членов, включая лидера, в members:",
        },
    },
    check=check,
    passing=("""
teams:
  - id: concept
    name: Unified concept
    type: concept
    leader: cid
    members: [cid, eve]
    success_indicator: m-customers
    economics: {income: [brand fee], expenses: [marketing]}
""", """
teams:
  - {id: retail, name: Retail, leader: ann}
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    parent: retail
    members: [ann, dan]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent, stock]}
"""),
    failing=("""
teams:
  - id: concept
    name: Unified concept
    type: concept
    leader: cid
    members: []
    success_indicator: m-customers
    economics: {income: [brand fee], expenses: [marketing]}
""", """
teams:
  - id: concept
    name: Unified concept
    type: concept
    leader: cid
    success_indicator: m-customers
    economics: {income: [brand fee], expenses: [marketing]}
"""),
)
