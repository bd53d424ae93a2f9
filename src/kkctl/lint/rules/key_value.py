"""Exactly one key value, the same on every strategy canvas.

The key value (ключевая ценность) is the one client value the market does not serve well and
that the company chooses to deliver better than anyone. Without it there is no focus: teams
cannot tell which value their root promises must put first, and the unified concept has
nothing to build the brand on. Two "key" values are none.

Source (R-20, guide «О клиентократии», glossary «Ключевая ценность для клиента»): «Одна
ценность для клиента, которая в данный момент не представлена достойно на рынке»; and among
the elements without which a structure is not a clientocracy: «выделение ключевой ценности».
Meaning: the key value is one single client value, not well served by the market today; naming
it is mandatory.

How it is checked: ``organisation.key_value`` is set (an unresolved id is left to
validation; clientocracy-complete, KK228, leaves this element of a clientocracy to this
rule); on every canvas exactly one factor has ``key: true`` (none: reported at the canvas's
``factors``; two or more: each extra one is reported at its ``key``); and that factor is the
organisation's key value. When several factors are marked, the one that is the
organisation's key value (else the first) counts as the key, the others as extras. Canvases are
skipped when ``organisation.applicability.commodity`` is true (R-27: the strategy canvas does
not apply to commodity products); the organisation's ``key_value`` is still required.

Fix: set ``organisation.key_value`` to a value id, and mark that value's factor — and only
it — ``key: true`` on each canvas.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """Ровно одна ключевая ценность, одна и та же на каждой стратегической канве.

Ключевая ценность — это та единственная ценность для клиента, которую рынок обслуживает плохо и
которую компания решает давать лучше всех. Без неё нет фокуса: команды не могут понять, какую
ценность их корневые обещания должны ставить на первое место, а управлению единой концепцией не
на чем строить бренд. Две «ключевые» ценности — это ни одной.

Источник (R-20, руководство «О клиентократии», глоссарий, «Ключевая ценность для клиента»):
«Одна ценность для клиента, которая в данный момент не представлена достойно на рынке»; и среди
элементов, без которых структура не является клиентократией: «выделение ключевой ценности».
Смысл: ключевая ценность — одна-единственная ценность для клиента, которую сегодня рынок
достойно не предлагает; назвать её обязательно.

Как проверяется: задано ``organisation.key_value`` (неразрешимый ``id`` оставлен валидации;
clientocracy-complete, KK228, оставляет этот элемент клиентократии этому правилу); на
каждой канве ровно у одного фактора ``key: true`` (если ни у одного — замечание у ``factors``
канвы; если у двух и более — каждый лишний отмечается у его ``key``); и этот фактор — ключевая
ценность организации. Если отмечено несколько факторов, ключевым считается тот, что совпадает с
ключевой ценностью организации (иначе первый), а остальные — лишними. Канвы пропускаются, если
``organisation.applicability.commodity`` истинно (R-27: стратегическая канва не применима к
биржевым продуктам); ``key_value`` организации всё равно обязателен.

Исправление: укажите в ``organisation.key_value`` ``id`` ценности и отметьте фактор этой
ценности — и только его — ``key: true`` на каждой канве.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    settings = ctx.org.settings
    key_value = settings.key_value
    if key_value is None and settings.source is not None:
        yield Finding(settings.source, ("organisation",), "no_org_key_value", at_key=True)
    if settings.applicability.get("commodity") is True:
        return
    wanted = key_value.id if key_value is not None and key_value.target is not None else None
    for canvas in ctx.org.canvases:
        keys = [factor for factor in canvas.factors if factor.key]
        if not keys:
            present = wanted is not None and any(f.value.id == wanted for f in canvas.factors)
            if present:
                yield Finding(canvas.source, ("factors",), "no_key_factor_hint",
                              {"key_value": wanted})
            else:
                yield Finding(canvas.source, ("factors",), "no_key_factor")
            continue
        main = next((f for f in keys if f.value.id == wanted), keys[0])
        for factor in keys:
            if factor is not main:
                yield Finding(canvas.source, ("factors", factor.index, "key"), "extra_key",
                              {"value": factor.value.id, "key": main.value.id,
                               "where": ctx.where(canvas.source, "factors", main.index)})
        if wanted is not None and main.value.id != wanted:
            yield Finding(canvas.source, ("factors", main.index, "value"), "not_org_key_value",
                          {"value": main.value.id, "key_value": wanted,
                           "where": ctx.where(settings.source, "organisation", "key_value")
                           if settings.source is not None else "kkctl.yaml"})


RULE = Rule(
    code="KK224",
    slug="key-value",
    severity=Severity.ERROR,
    profile="minimal",
    step=4,
    source="R-20",
    summary={"en": "One key value: organisation.key_value, the one key: true factor of each "
                   "canvas.",
             "ru": "Одна ключевая ценность: organisation.key_value — единственный фактор "
                   "key: true на каждой канве."},
    messages={
        "no_org_key_value": {
            "en": "the organisation names no key value (organisation.key_value), one of the "
                  "five elements of a clientocracy: choose the one client value the market "
                  "does not serve well and that you will deliver better than anyone, and set "
                  "key_value to its id",
            "ru": "у организации не выделена ключевая ценность (organisation.key_value) — один "
                  "из пяти элементов клиентократии: выберите одну ценность для клиента, которая "
                  "сейчас не представлена достойно на рынке и которую вы будете давать лучше "
                  "всех, и укажите её id в key_value",
        },
        "no_key_factor": {
            "en": "no factor of this canvas is marked key: true; mark the factor of the key "
                  "value",
            "ru": "ни один фактор канвы не отмечен key: true; отметьте фактор ключевой "
                  "ценности",
        },
        "no_key_factor_hint": {
            "en": "no factor of this canvas is marked key: true; mark the factor "
                  "'{key_value}' (the organisation's key value) key: true",
            "ru": "ни один фактор канвы не отмечен key: true; отметьте key: true фактор "
                  "'{key_value}' (ключевую ценность организации)",
        },
        "extra_key": {
            "en": "factor '{value}' is marked key: true, but '{key}' ({where}) already is: "
                  "there is one key value; remove key: true here",
            "ru": "фактор '{value}' отмечен key: true, но так уже отмечен '{key}' ({where}): "
                  "ключевая ценность одна; уберите key: true здесь",
        },
        "not_org_key_value": {
            "en": "the key factor is '{value}', but the organisation's key value is "
                  "'{key_value}' ({where}); mark '{key_value}' key: true, or change "
                  "organisation.key_value",
            "ru": "ключевой фактор канвы — '{value}', а ключевая ценность организации — "
                  "'{key_value}' ({where}); отметьте key: true фактор '{key_value}' или "
                  "измените organisation.key_value",
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
      - {value: price, key: true, action: keep}
      - {value: choice, action: reduce}
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
      - {value: freshness, action: raise}
      - {value: price, action: keep}
      - {value: choice, action: reduce}
    offerings:
      - {id: us, self: true, scores: {freshness: 5, price: 3, choice: 1}}
      - {id: chain, scores: {freshness: 2, price: 4, choice: 5}}
      - {id: market, scores: {freshness: 2, price: 1, choice: 3}}
"""),
)
