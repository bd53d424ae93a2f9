"""A unit council that starts before the company council needs a sponsor.

A unit may become clientocratic before the company does: its unit council then works inside a
structure that is still hierarchical. It survives only if someone at the top covers it.

Source (R-19, guide «О клиентократии», FAQ): a unit council may start first, but it must be
checked that it has the necessary authorities and that «на самом верху его прикрывал тот, кто
сможет убедить всех остальных не мешать». Meaning: at the very top there must be someone who
covers the unit council and can persuade everyone else not to interfere.

How it is checked: when the organisation has at least one council of ``kind: unit`` and no
council of ``kind: company``, every unit council has ``sponsor:`` (a person). Once a council of
managers exists, it is the unit councils' cover and no sponsor is needed.

Fix: name the sponsor under ``sponsor:``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """Совету подразделения, который начинает раньше совета управляющих, нужен спонсор.

Подразделение может перейти к клиентократии раньше компании: тогда его совет работает внутри
структуры, которая всё ещё остаётся иерархической. Он выживет, только если кто-то наверху его
прикрывает.

Источник (R-19, руководство «О клиентократии», частые вопросы): совет подразделения может начать
первым, но нужно проверить, что у него есть необходимые полномочия и что «на самом верху его
прикрывал тот, кто сможет убедить всех остальных не мешать». Смысл: на самом верху должен быть
тот, кто прикрывает совет подразделения и может убедить всех остальных не мешать.

Как проверяется: если в организации есть хотя бы один совет с ``kind: unit`` и нет совета с
``kind: company``, у каждого совета подразделения указан ``sponsor:`` (человек). Когда появляется
совет управляющих, прикрытием для советов подразделений служит он, и спонсор не нужен.

Исправление: укажите спонсора в ``sponsor:``.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    if ctx.company_councils:
        return
    for council in ctx.unit_councils:
        if council.sponsor is None:
            yield Finding(council.source, ("sponsor",), "missing", at_key=True)


RULE = Rule(
    code="KK223",
    slug="unit-council-sponsor",
    severity=Severity.WARNING,
    profile="recommended",
    step=6,
    source="R-19",
    summary={"en": "A unit council without a council of managers above it has a sponsor.",
             "ru": "У совета подразделения без совета управляющих компании есть спонсор."},
    messages={
        "missing": {
            "en": "the unit council works without a council of managers and has no sponsor: "
                  "name under sponsor: the person at the top who will persuade everyone else "
                  "not to interfere",
            "ru": "совет подразделения работает без совета управляющих и без спонсора: "
                  "укажите в sponsor: человека на самом верху, который сможет убедить всех "
                  "остальных не мешать",
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
    clients: [shoppers]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent, stock]}
councils:
  - id: council
    name: Shops council
    kind: unit
    unit: shops
    sponsor: bob
    reward: council-bonus
    members: [ann, dan]
""",),
    failing=("""
teams:
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [ann, dan]
    clients: [shoppers]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent, stock]}
councils:
  - id: council
    name: Shops council
    kind: unit
    unit: shops
    reward: council-bonus
    members: [ann, dan]
""",),
)
