"""Focus: the own value curve gives something up.

Strategy is choosing what good things not to do. An offer that tries to be at least as good as
everyone on every client value has no focus: it costs the most to deliver, and it is
uninteresting to most clients, who choose by one key factor. The canvas exists to show which
values to lower or drop so that the one key value can be delivered better than anyone.

Source (R-22, guide «О клиентократии»): the canvas helps «увидеть какие ценности для клиента
стоит опустить, чтобы появилась возможность предоставить одну ключевую ценность лучше всех на
рынке»; glossary «Фокус»: «Расфокусировка и попытка добиться по всем им выдающихся результатов
делает предложение компании неинтересным большинству клиентов»; «Стратегия – определение того
хорошего, от чего надо отказаться». Meaning: see which values to drop so the one key value can
be the best on the market; trying to excel at all values makes the offer uninteresting to most
clients; strategy is deciding which good things to give up.

How it is checked, on every canvas with exactly one own offering (``self: true`` or
``kind: self``): (1) warn, at the own offering, when its score is at least every other
offering's score on every factor both have scored ("trying to excel at everything"); (2) warn,
at ``factors``, when no factor has ``action: eliminate`` or ``action: reduce`` ("nothing given
up"). Canvases are skipped when ``organisation.applicability.commodity`` is true (R-27).

Fix: decide which values the client can do without, lower or drop them on the own curve and
mark those factors ``action: reduce`` or ``action: eliminate``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Canvas, Offering

DOC_RU = """Фокус: собственная кривая ценности от чего-то отказывается.

Стратегия — это выбор того хорошего, чего не делать. Предложение, которое старается быть не хуже
всех по каждой ценности для клиента, лишено фокуса: оно обходится дороже всего и неинтересно
большинству клиентов, которые выбирают по одному ключевому фактору. Канва для того и нужна,
чтобы показать, какие ценности опустить или убрать, чтобы одну ключевую ценность можно было дать
лучше всех.

Источник (R-22, руководство «О клиентократии»): канва помогает «увидеть какие ценности для
клиента стоит опустить, чтобы появилась возможность предоставить одну ключевую ценность лучше
всех на рынке»; глоссарий, «Фокус»: «Расфокусировка и попытка добиться по всем им выдающихся
результатов делает предложение компании неинтересным большинству клиентов»; «Стратегия –
определение того хорошего, от чего надо отказаться». Смысл: увидеть, какие ценности опустить,
чтобы одна ключевая ценность стала лучшей на рынке; попытка преуспеть во всех ценностях делает
предложение неинтересным большинству клиентов; стратегия — это решение, от какого хорошего
отказаться.

Как проверяется, на каждой канве ровно с одним собственным предложением (``self: true`` или
``kind: self``): (1) предупреждение у собственного предложения, если его оценка не ниже оценки
каждого другого предложения по всем факторам, оценённым у обоих («попытка превзойти всех во
всём»); (2) предупреждение у ``factors``, если ни у одного фактора нет ``action: eliminate`` или
``action: reduce`` («ни от чего не отказались»). Канвы пропускаются, если
``organisation.applicability.commodity`` истинно (R-27).

Исправление: решите, без каких ценностей клиент обойдётся, опустите или уберите их на
собственной кривой и отметьте эти факторы ``action: reduce`` или ``action: eliminate``.
"""

GIVING_UP = frozenset({"eliminate", "reduce"})


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    if ctx.org.settings.applicability.get("commodity") is True:
        return
    for canvas in ctx.org.canvases:
        own = [o for o in canvas.offerings if o.is_self]
        if len(own) == 1 and _dominates(canvas, own[0]):
            yield Finding(canvas.source, ("offerings", own[0].index), "everything",
                          {"offering": own[0].name or own[0].id})
        if canvas.factors and not any(f.action in GIVING_UP for f in canvas.factors):
            yield Finding(canvas.source, ("factors",), "nothing_given_up")


def _dominates(canvas: Canvas, us: Offering) -> bool:
    """At least every other offering on every factor both score (and at least one such)."""
    others = [o for o in canvas.offerings if o is not us]
    compared = False
    for factor in canvas.factors:
        mine = us.scores.get(factor.value.id)
        if mine is None:
            continue
        for other in others:
            theirs = other.scores.get(factor.value.id)
            if theirs is None:
                continue
            if theirs > mine:
                return False
            compared = True
    return compared


RULE = Rule(
    code="KK226",
    slug="canvas-focus",
    severity=Severity.WARNING,
    profile="recommended",
    step=4,
    source="R-22",
    summary={"en": "The own value curve must give something up, not excel at everything.",
             "ru": "Собственная кривая ценности должна от чего-то отказываться, а не "
                   "превосходить всех во всём."},
    messages={
        "everything": {
            "en": "the own offering '{offering}' scores at least as high as every other "
                  "offering on every factor: trying to excel at everything makes the offer "
                  "uninteresting to most clients; decide which values to reduce or eliminate "
                  "so the key value can be the best on the market",
            "ru": "собственное предложение '{offering}' не уступает никому ни по одному "
                  "фактору: попытка добиться выдающихся результатов по всем ценностям делает "
                  "предложение неинтересным большинству клиентов; решите, какие ценности "
                  "снизить или упразднить, чтобы дать ключевую ценность лучше всех на рынке",
        },
        "nothing_given_up": {
            "en": "no factor has action: reduce or action: eliminate: strategy is deciding "
                  "which good things to give up; mark the values you deliberately lower or "
                  "drop",
            "ru": "ни у одного фактора нет action: reduce или action: eliminate: стратегия — "
                  "это определение того хорошего, от чего надо отказаться; отметьте ценности, "
                  "которые вы сознательно снижаете или упраздняете",
        },
    },
    check=check,
    passing=("""
canvases:
  - id: canvas
    client: shoppers
    need: feed the family fresh food
    scale: {min: 0, max: 5}
    factors:
      - {value: freshness, key: true, action: raise}
      - {value: price, action: keep}
      - {value: choice, action: reduce}
    offerings:
      - {id: us, self: true, scores: {freshness: 5, price: 3, choice: 1}}
      - {id: chain, scores: {freshness: 2, price: 4, choice: 5}}
      - {id: market, scores: {freshness: 2, price: 1, choice: 3}}
""",),
    failing=("""
canvases:
  - id: canvas
    client: shoppers
    need: feed the family fresh food
    scale: {min: 0, max: 5}
    factors:
      - {value: freshness, key: true, action: raise}
      - {value: price, action: raise}
      - {value: choice, action: keep}
    offerings:
      - {id: us, self: true, scores: {freshness: 5, price: 3, choice: 1}}
      - {id: chain, scores: {freshness: 2, price: 4, choice: 5}}
      - {id: market, scores: {freshness: 2, price: 1, choice: 3}}
""", """
canvases:
  - id: canvas
    client: shoppers
    need: feed the family fresh food
    scale: {min: 0, max: 5}
    factors:
      - {value: freshness, key: true, action: raise}
      - {value: price, action: keep}
      - {value: choice, action: reduce}
    offerings:
      - {id: us, self: true, scores: {freshness: 5, price: 4, choice: 5}}
      - {id: chain, scores: {freshness: 2, price: 4, choice: 5}}
      - {id: market, scores: {freshness: 2, price: 1, choice: 3}}
"""),
)
