"""A team has members.

A team is people who keep promises together; one with no members listed cannot give a
promise anyone could rely on, has no one to share its reward, and usually means the list was
never filled in. The leader alone does not make a team.

Source: none in the methodology directly; a consistency check of the format (a team's reward
is split among its ``members``; R-15: an autonomous team has the people and resources for its
function).

How it is checked: a team whose ``members`` is missing or empty → warning, at ``members`` (or
at the team when the key is absent). The leader field does not count as a member.

Fix: list the team's members (the leader among them) under ``members``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """В команде есть члены.

Команда — это люди, которые вместе выполняют обещания; команда без перечисленных членов не может
дать обещание, на которое можно положиться, ей не с кем делить вознаграждение, и обычно это
значит, что список просто не заполнили. Один лидер ещё не команда.

Источник: прямо в методологии нет; это проверка согласованности формата (вознаграждение команды
делится между её ``members``; R-15: у автономной команды есть люди и ресурсы для её функции).

Как проверяется: команда, у которой ``members`` нет или он пуст, → предупреждение у ``members``
(или у команды, если ключа нет). Поле лидера членом команды не считается.

Исправление: перечислите членов команды (и лидера среди них) в ``members``.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    for team in ctx.org.teams:
        if not team.members:
            yield Finding(team.source, ("members",), "empty", at_key=True)


RULE = Rule(
    code="KK244",
    slug="empty-team",
    severity=Severity.WARNING,
    profile="recommended",
    source="—",
    summary={"en": "A team has no members.",
             "ru": "В команде нет ни одного члена."},
    messages={
        "empty": {
            "en": "the team has no members (a leader alone is not a team): list its members, "
                  "the leader among them, under members:",
            "ru": "в команде нет членов (один лидер — ещё не команда): перечислите её членов, "
                  "включая лидера, в members:",
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
""",),
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
