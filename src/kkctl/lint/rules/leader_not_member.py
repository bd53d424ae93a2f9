"""A team's leader is one of its members.

The leader of an autonomous team works in it and shares its result; a leader who is not listed
among the members is outside the team's reward (``split`` pays members) and looks like a
manager placed over it. Usually it is simply an omission in ``members``.

Source: none in the methodology directly; a consistency check of the format, in the spirit of
R-15 and R-18 (an autonomous team, no hierarchy over it).

How it is checked: when a team lists members, its ``leader`` is one of them. Teams with an
empty ``members`` list are reported by ``empty-team`` instead; a leader id that does not
resolve is left to validation.

Fix: add the leader to ``members``, or choose the leader from among the members.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """Лидер команды — один из её членов.

Лидер автономной команды работает в ней и разделяет её результат; лидер, не указанный среди
членов, остаётся вне вознаграждения команды (``split`` распределяет выплаты между членами) и
выглядит как руководитель, поставленный над ней. Обычно это просто пропуск в ``members``.

Источник: прямо в методологии нет; это проверка согласованности формата в духе R-15 и R-18
(автономная команда, никакой иерархии над ней).

Как проверяется: если у команды перечислены члены, её ``leader`` — один из них. О командах с
пустым списком ``members`` сообщает правило ``empty-team``; ``id`` лидера, который не удаётся
разрешить, оставлен валидации.

Исправление: добавьте лидера в ``members`` или выберите лидера из числа членов.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    for team in ctx.org.teams:
        leader = team.leader
        if not team.members or leader is None or leader.target is None:
            continue
        for member in team.members:  # a loop, not all() over a generator: runs per team
            if member.person.id == leader.id:
                break
        else:
            yield Finding(team.source, ("leader",), "outside", {"leader": leader.id})


RULE = Rule(
    code="KK240",
    slug="leader-not-member",
    severity=Severity.WARNING,
    profile="recommended",
    step=0,
    source="—",
    summary={"en": "A team's leader is not among its members.",
             "ru": "Лидер команды не входит в её состав."},
    messages={
        "outside": {
            "en": "leader '{leader}' is not among the team's members: add them to members, "
                  "or choose the leader from among the members",
            "ru": "лидер '{leader}' не входит в members команды: добавьте его в members или "
                  "выберите лидера из членов команды",
        },
    },
    check=check,
    passing=("""
teams:
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [ann, dan]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent, stock]}
""",),
    failing=("""
teams:
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [dan]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent, stock]}
""",),
)
