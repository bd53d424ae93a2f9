"""Every value we offer on the strategy canvas is delivered by a root promise.

The strategy canvas says which client values we deliver and how strongly. A value we score
ourselves on but that no root promise delivers is a claim with no one answering for it: no
team has promised it to the client, so nothing in the promise system makes it happen.

Source (R-09, guide «О клиентократии», council composition; Beyond Taylor's implementation
steps): the council consists of representatives of the teams «дающих корневые обещания
внешнему клиенту под все ценности для него на стратегической канве»; step 5: «Обещание должно
чётко давать ту ценность, которую определили на предыдущем шаге». Meaning: root promises to
the client cover all the client's values on the strategy canvas; a promise must clearly give
the value defined at the previous step.

How it is checked: for every factor of every canvas whose ``action`` is not ``eliminate`` and
whose score in our own offering (``self: true`` or ``kind: self``) is above the canvas scale's
minimum, some root promise has that factor's value as its ``value``. The organisation's key
value is left to rule key-value-without-root-promise (KK213), which makes it an error. A
canvas without an own offering, or a factor our offering does not score, is skipped. Skipped
altogether for commodity products (``organisation.applicability.commodity: true``), where the
strategy canvas does not apply (R-27).

Fix: give a root promise with ``value:`` the factor's value, or, if we are giving the value
up, mark the factor ``action: eliminate`` and score it at the scale's minimum.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """Каждую ценность, которую мы даём на стратегической канве, даёт корневое обещание.

Стратегическая канва говорит, какие ценности для клиента мы даём и насколько сильно. Ценность,
по которой мы себя оцениваем, но которую не даёт ни одно корневое обещание, — это заявление, за
которое никто не отвечает: ни одна команда не обещала её клиенту, и в системе обещаний нет
ничего, что её обеспечит.

Источник (R-09, руководство «О клиентократии», состав совета управляющих; шаги внедрения Beyond
Taylor): совет состоит из представителей команд, «дающих корневые обещания внешнему клиенту под
все ценности для него на стратегической канве»; шаг 5: «Обещание должно чётко давать ту
ценность, которую определили на предыдущем шаге». Смысл: корневые обещания клиенту покрывают все
его ценности на стратегической канве; обещание должно чётко давать ценность, определённую на
предыдущем шаге.

Как проверяется: для каждого фактора каждой канвы, у которого ``action`` не ``eliminate``, а
оценка в нашем собственном предложении (``self: true`` или ``kind: self``) выше минимума шкалы
канвы, есть корневое обещание, у которого ``value`` — ценность этого фактора. Ключевая ценность
организации оставлена правилу key-value-without-root-promise (KK213), которое считает её
отсутствие ошибкой. Канва без собственного предложения и фактор, который наше предложение не
оценивает, пропускаются. Для биржевых продуктов
(``organisation.applicability.commodity: true``), к которым стратегическая канва не применима
(R-27), правило пропускается целиком.

Исправление: дайте корневое обещание, у которого ``value:`` — ценность фактора, или, если мы от
этой ценности отказываемся, отметьте фактор ``action: eliminate`` и поставьте ему минимальную
оценку шкалы.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    settings = ctx.org.settings
    if settings.applicability.get("commodity"):
        return
    key_value = settings.key_value.id if settings.key_value is not None else None
    for canvas in ctx.org.canvases:
        own = next((o for o in canvas.offerings if o.is_self), None)
        if own is None:
            continue
        for factor in canvas.factors:
            value = factor.value
            if factor.action == "eliminate" or value.target is None or value.id == key_value:
                continue
            score = own.scores.get(value.id)
            if score is None or score <= canvas.scale_min or value.id in ctx.root_values:
                continue
            yield Finding(canvas.source, ("factors", factor.index, "value"), "uncovered", {
                "value": value.id, "score": f"{score:f}", "offering": own.id})


RULE = Rule(
    code="KK212",
    slug="canvas-value-coverage",
    severity=Severity.WARNING,
    profile="recommended",
    step=5,
    source="R-09",
    summary={"en": "Every value we offer on the strategy canvas is delivered by a root promise.",
             "ru": "Каждую ценность, которую мы даём на стратегической канве, даёт корневое "
                   "обещание."},
    messages={
        "uncovered": {
            "en": "we score {score} on value '{value}' ('{offering}' on the canvas), but no "
                  "root promise delivers it; give a root promise with value: {value}, or, if "
                  "we give this value up, mark the factor action: eliminate",
            "ru": "на канве мы даём ценность '{value}' на {score} ('{offering}'), но ни одно "
                  "корневое обещание её не даёт; дайте клиенту корневое обещание с value: "
                  "{value} или, если мы отказываемся от этой ценности, отметьте фактор "
                  "action: eliminate",
        },
    },
    check=check,
    passing=("""
promises:
  - id: p-choice
    kind: root
    giver: shops
    receiver: shoppers
    value: choice
    text: The everyday basket is always in stock
    metrics: [m-fresh-sales]
    authorities: [a-assortment]
""", """
promises:
  - {id: p-choice, delete: true}
canvases:
  - id: canvas
    client: shoppers
    need: feed the family fresh food
    scale: {min: 0, max: 5}
    factors:
      - {value: freshness, key: true, action: raise}
      - {value: price, action: keep}
      - {value: choice, action: eliminate}
    offerings:
      - {id: us, self: true, scores: {freshness: 5, price: 3, choice: 0}}
      - {id: chain, scores: {freshness: 2, price: 4, choice: 5}}
      - {id: market, scores: {freshness: 2, price: 1, choice: 3}}
"""),
    failing=("""
promises:
  - {id: p-choice, delete: true}
""",),
)
