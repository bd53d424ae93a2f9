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
from kkctl.model import Metric, Organisation

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
    if not ctx.org.metrics:
        return
    used = _used_ids(ctx.org)
    for metric in ctx.org.metrics:
        if metric.id not in used:
            yield Finding(metric.source, (), "unused")


def _used_ids(org: Organisation) -> set[str]:
    """Metric ids some reference resolves to.

    A reference resolves to the entity registered under its id (:mod:`kkctl.references`), so
    a metric's id is used exactly when some reference resolved to a metric with that id; the
    set stays small (not the ids of all 300,000 references of a large organisation). Unless
    another kind of entity registered the metric's id first (a duplicate id, which validation
    reports): then a reference resolved to that entity counts, as it always has.
    """
    # type() rather than isinstance(): faster on 300,000 references; nothing derives Metric
    used = {ref.id for ref in org.refs if type(ref.target) is Metric}
    taken = {metric.id for metric in org.metrics if type(org.by_id.get(metric.id)) is not Metric}
    if taken:
        used.update(ref.id for ref in org.refs if ref.target is not None and ref.id in taken)
    return used


RULE = Rule(
    code="KK242",
    slug="unused-metric",
    severity=Severity.WARNING,
    profile="recommended",
    step=5,
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
