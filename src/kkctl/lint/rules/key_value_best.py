"""The key value: best in our offer, poorly served by the market.

A key value is worth choosing only if two things hold on the canvas: our offer gives it better
than every other way the client has to close the same need (otherwise the client has no reason
to pick us for it), and nobody else gives it well yet (otherwise it is a red-ocean race, not a
value that "takes you to a blue ocean").

Source (R-21, guide «О клиентократии», glossary «Ключевая ценность для клиента» and «Ключевое
решение»): «Одна ценность для клиента, которая в данный момент не представлена достойно на
рынке»; the key solution must give it «лучше всех на рынке». Meaning: the key value is not
served well by the market today, and our solution delivers it best of all.

How it is checked, on every canvas with exactly one own offering (``self: true`` or
``kind: self``) and a key factor (``key: true``; when several are marked, the organisation's
key value): (1) the own score on the key factor is strictly above every other offering's
score on it — reported at the own score, naming the offering that equals or beats it; (2) the
best score of the other offerings on it stays below ``competitor_ceiling`` of the scale
(position ``min + competitor_ceiling × (max − min)``; 3 on a 0–5 scale by default) — reported
at that offering's score. Missing scores are left to canvas-scores (KK237). Canvases are
skipped when ``organisation.applicability.commodity`` is true (R-27).

Options: ``competitor_ceiling`` (default 0.6): the share of the scale at or above which the
market is considered to serve the key value well already.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Canvas, Factor

DOC_RU = """Ключевая ценность: у нас лучше всех, а рынок даёт её слабо.

Ключевую ценность стоит выбирать, только если на канве выполнены два условия: наше предложение
даёт её лучше, чем любой другой способ, которым клиент может закрыть ту же потребность (иначе у
клиента нет причины выбирать ради неё нас), и никто другой пока не даёт её хорошо (иначе это
гонка в алом океане, а не ценность, которая «выводит в голубой океан»).

Источник (R-21, руководство «О клиентократии», глоссарий, «Ключевая ценность для клиента» и
«Ключевое решение»): «Одна ценность для клиента, которая в данный момент не представлена
достойно на рынке»; ключевое решение должно давать её «лучше всех на рынке». Смысл: сегодня
рынок ключевую ценность достойно не предлагает, а наше решение даёт её лучше всех.

Как проверяется, на каждой канве ровно с одним собственным предложением (``self: true`` или
``kind: self``) и ключевым фактором (``key: true``; если отмечено несколько — ключевая ценность
организации): (1) наша оценка по ключевому фактору строго выше оценки любого другого предложения
по нему — иначе замечание у нашей оценки с названием предложения, которое её догоняет или
превосходит; (2) лучшая оценка других предложений по нему остаётся ниже доли
``competitor_ceiling`` шкалы (отметка ``min + competitor_ceiling × (max − min)``; по умолчанию 3
на шкале 0–5) — иначе замечание у оценки этого предложения. Пропущенные оценки оставлены правилу
canvas-scores (KK237). Канвы пропускаются, если ``organisation.applicability.commodity`` истинно
(R-27).

Настройки: ``competitor_ceiling`` (по умолчанию 0.6): доля шкалы, начиная с которой считается,
что рынок уже хорошо даёт ключевую ценность.
"""

DEFAULT_CEILING = Decimal("0.6")


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    if ctx.org.settings.applicability.get("commodity") is True:
        return
    ceiling = _fraction(options.get("competitor_ceiling"), DEFAULT_CEILING)
    key_value = ctx.org.settings.key_value
    wanted = key_value.id if key_value is not None else None
    for canvas in ctx.org.canvases:
        own = [o for o in canvas.offerings if o.is_self]
        factor = _key_factor(canvas, wanted)
        if len(own) != 1 or factor is None:
            continue
        us = own[0]
        value = factor.value.id
        mine = us.scores.get(value)
        others = [(o, o.scores[value]) for o in canvas.offerings
                  if o is not us and value in o.scores]
        if mine is None or not others:
            continue
        best, best_score = max(others, key=lambda pair: pair[1])
        name = best.name or best.id
        if best_score >= mine:
            yield Finding(canvas.source, ("offerings", us.index, "scores", value), "not_best",
                          {"value": value, "score": _num(mine), "offering": name,
                           "other": _num(best_score),
                           "where": ctx.where(canvas.source, "offerings", best.index,
                                              "scores", value)})
        if canvas.scale_max <= canvas.scale_min:
            continue
        limit = canvas.scale_min + ceiling * (canvas.scale_max - canvas.scale_min)
        if best_score >= limit:
            yield Finding(canvas.source, ("offerings", best.index, "scores", value),
                          "served_well",
                          {"value": value, "offering": name, "score": _num(best_score),
                           "max": _num(canvas.scale_max), "limit": _num(limit),
                           "percent": _num(ceiling * 100)})


def _key_factor(canvas: Canvas, wanted: str | None) -> Factor | None:
    keys = [f for f in canvas.factors if f.key]
    if len(keys) == 1:
        return keys[0]
    return next((f for f in keys if f.value.id == wanted), None)


def _fraction(raw: Any, default: Decimal) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        return default
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return default
    return value if value.is_finite() and 0 <= value <= 1 else default


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


RULE = Rule(
    code="KK225",
    slug="key-value-best",
    severity=Severity.WARNING,
    profile="recommended",
    step=4,
    source="R-21",
    summary={"en": "On the canvas our key-value score beats everyone's, and the market's "
                   "best is low.",
             "ru": "На канве мы даём ключевую ценность лучше всех, а рынок — слабо."},
    messages={
        "not_best": {
            "en": "the own offering scores {score} on the key value '{value}', but "
                  "'{offering}' scores {other} ({where}): the key value must be delivered "
                  "better than anyone on the market; raise the own score or rethink the "
                  "key value",
            "ru": "собственное предложение даёт ключевую ценность '{value}' на {score}, а "
                  "'{offering}' — на {other} ({where}): ключевую ценность нужно давать лучше "
                  "всех на рынке; поднимите свою оценку или пересмотрите выбор ключевой "
                  "ценности",
        },
        "served_well": {
            "en": "'{offering}' already scores {score} of {max} on the key value '{value}' "
                  "(at or above {limit}, {percent}% of the scale): a key value is one the "
                  "market does not serve well today; choose a value that is still poorly "
                  "served, or check the scores",
            "ru": "'{offering}' уже даёт ключевую ценность '{value}' на {score} из {max} "
                  "(не ниже {limit}, {percent}% шкалы): ключевая ценность — та, что сейчас "
                  "не представлена достойно на рынке; выберите ценность, которую рынок даёт "
                  "слабо, или проверьте оценки",
        },
    },
    check=check,
    options={"competitor_ceiling": 0.6},
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
      - {value: price, action: keep}
      - {value: choice, action: reduce}
    offerings:
      - {id: us, self: true, scores: {freshness: 4, price: 3, choice: 1}}
      - {id: chain, scores: {freshness: 2, price: 4, choice: 5}}
      - {id: market, scores: {freshness: 4, price: 1, choice: 3}}
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
      - {id: us, self: true, scores: {freshness: 5, price: 3, choice: 1}}
      - {id: chain, scores: {freshness: 3, price: 4, choice: 5}}
      - {id: market, scores: {freshness: 2, price: 1, choice: 3}}
"""),
)
