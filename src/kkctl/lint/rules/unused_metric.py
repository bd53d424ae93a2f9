"""A metric nothing uses.

A metric exists to show something: that a promise is kept, how a team grows (its success
indicator), whether a hypothesis holds. A metric that no promise, team or hypothesis refers to
is measured (or planned) for nobody — often the leftover of a promise that was reworded, or a
promise that forgot to list it.

Source: none as a rule of the methodology; it follows from the definition (guide «О
клиентократии», glossary «Метрики»): «объективные и измеримые показатели, по росту или
снижению которых отслеживаем результат выполнения обещания»; and the promise system «состоит
из … Метрик, отражающих выполнение обещаний». Meaning: metrics are objective, measurable
indicators whose rise or fall tracks the fulfilment of a promise; they are part of the promise
system.

How it is checked: a metric whose id no reference resolves to — no promise's ``metrics``, no
team's ``success_indicator``, no hypothesis's ``metrics`` — is reported at the metric.

Fix: list the metric where it belongs (``metrics: [...]`` of the promise it measures, or a
team's ``success_indicator``), or remove it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """Метрика, которую ничто не использует.

Метрика существует, чтобы что-то показывать: что обещание выполняется, как растёт команда (её
показатель успешности), подтверждается ли гипотеза. Метрика, на которую не ссылается ни одно
обещание, команда или гипотеза, измеряется (или планируется) ни для кого — часто это остаток
обещания, которое переформулировали, или обещания, в котором её забыли указать.

Источник: правилом методологии не является; следует из определения (руководство «О клиентократии»,
глоссарий, статья «Метрики»): «объективные и измеримые показатели, по росту или снижению которых
отслеживаем результат выполнения обещания»; а система обещаний «состоит из … Метрик, отражающих
выполнение обещаний». Смысл: метрики — объективные измеримые показатели, по росту или снижению
которых отслеживают выполнение обещания; они — часть системы обещаний.

Как проверяется: метрика, на ``id`` которой ничто не ссылается — ни ``metrics`` обещания, ни
``success_indicator`` команды, ни ``metrics`` гипотезы, — отмечается у самой метрики.

Исправление: укажите метрику там, где ей место (в ``metrics: [...]`` обещания, которое она
измеряет, или в ``success_indicator`` команды), или удалите её.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    used = ctx.used_ids
    for metric in ctx.org.metrics:
        if metric.id not in used:
            yield Finding(metric.source, (), "unused")


RULE = Rule(
    code="KK242",
    slug="unused-metric",
    severity=Severity.WARNING,
    profile="recommended",
    source="—",
    summary={"en": "Every metric is used by a promise, a team or a hypothesis.",
             "ru": "Каждая метрика используется обещанием, командой или гипотезой."},
    messages={
        "unused": {
            "en": "no promise, team (success_indicator) or hypothesis uses this metric; list "
                  "it in the metrics of the promise it measures, or remove it",
            "ru": "метрику не использует ни одно обещание, команда (success_indicator) или "
                  "гипотеза; укажите её в metrics обещания, выполнение которого она "
                  "показывает, или удалите",
        },
    },
    check=check,
    passing=("""
metrics:
  - id: m-basket
    name: Average basket
    unit: RUB
    direction: up
    target: 1500
    source: {owner: concept, description: till data}
promises:
  - id: p-choice
    kind: root
    giver: shops
    receiver: shoppers
    value: choice
    text: The everyday basket is always in stock
    metrics: [m-fresh-sales, m-basket]
    authorities: [a-assortment]
""",),
    failing=("""
metrics:
  - id: m-basket
    name: Average basket
    unit: RUB
    direction: up
    target: 1500
    source: {owner: concept, description: till data}
""",),
)
