"""Divergence: the own value curve should not follow a competitor's (heuristic).

In a red ocean the competitors' value curves look alike: they compete on the same values in
the same proportions, and the client has no reason to prefer one. An own curve that rises and
falls with another offering's is a sign that the offer is not different, only a bit higher or
lower.

Source (R-23, guide «О клиентократии», glossary «Кривая ценности для клиента»): «Кривые
ценности для компаний-конкурентов из алого океана будут схожими и могут даже накладываться
друг на друга, в отличие от кривых ценности компаний, которые нашли голубой океан». Meaning:
red-ocean competitors' value curves are similar and may even overlap, unlike the curves of
companies that found a blue ocean.

How it is checked (a heuristic, kkctl's own proposal; the methodology gives no number): on
every canvas with exactly one own offering (``self: true`` or ``kind: self``), the Pearson
correlation of the own scores with each other offering's, over the factors both have scored
(at least three), is computed; above ``max_correlation`` an info names the offering and the
correlation (two decimals), at that offering. A curve with no variance (the same score on every
factor) has no correlation and is skipped. The statistic is a plain float: it is not money.
Canvases are skipped when ``organisation.applicability.commodity`` is true (R-27).

Options: ``max_correlation`` (default 0.9).

Fix: look at the values where the curves move together: is there one to drop or one to create
that would set the offer apart?
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Canvas, Offering

DOC_RU = """Расхождение: своя кривая ценности не должна повторять кривую конкурента (эвристика).

В алом океане кривые ценности конкурентов похожи: они соревнуются по одним и тем же ценностям в
одних и тех же пропорциях, и у клиента нет причины предпочесть кого-то одного. Если наша кривая
поднимается и опускается вместе с кривой другого предложения, значит, наше предложение не
отличается, а лишь немного выше или ниже.

Источник (R-23, руководство «О клиентократии», глоссарий, «Кривая ценности для клиента»):
«Кривые ценности для компаний-конкурентов из алого океана будут схожими и могут даже
накладываться друг на друга, в отличие от кривых ценности компаний, которые нашли голубой
океан». Смысл: кривые ценности конкурентов из алого океана схожи и могут даже накладываться друг
на друга, в отличие от кривых компаний, нашедших голубой океан.

Как проверяется (эвристика, которую предлагает сам kkctl; методология числа не даёт): на каждой
канве ровно с одним собственным предложением (``self: true`` или ``kind: self``) вычисляется
корреляция Пирсона наших оценок с оценками каждого другого предложения по факторам, которые
оценены у обоих (не меньше трёх); если она выше ``max_correlation``, у этого предложения
выдаётся информационное замечание с его названием и корреляцией (два знака после запятой).
Кривая без разброса (одна и та же оценка по всем факторам) корреляции не имеет и пропускается.
Эта статистика — обычное число с плавающей точкой, а не денежная сумма. Канвы пропускаются, если
``organisation.applicability.commodity`` истинно (R-27).

Настройки: ``max_correlation`` (по умолчанию 0.9).

Исправление: посмотрите на ценности, по которым кривые движутся вместе: нет ли среди них такой,
от которой стоит отказаться, или такой, которую стоит создать, чтобы предложение выделялось?
"""

DEFAULT_MAX = 0.9
MIN_FACTORS = 3


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    if ctx.org.settings.applicability.get("commodity") is True:
        return
    limit = _limit(options.get("max_correlation"))
    for canvas in ctx.org.canvases:
        own = [o for o in canvas.offerings if o.is_self]
        if len(own) != 1:
            continue
        for other in canvas.offerings:
            if other is own[0]:
                continue
            r = _correlation(canvas, own[0], other)
            if r is not None and r > limit:
                yield Finding(canvas.source, ("offerings", other.index), "similar",
                              {"offering": other.name or other.id,
                               "correlation": f"{r:.2f}", "limit": f"{limit:g}"})


def _correlation(canvas: Canvas, us: Offering, other: Offering) -> float | None:
    pairs = [(float(us.scores[f.value.id]), float(other.scores[f.value.id]))
             for f in canvas.factors
             if f.value.id in us.scores and f.value.id in other.scores]
    if len(pairs) < MIN_FACTORS:
        return None
    n = len(pairs)
    mean_x = math.fsum(x for x, _ in pairs) / n
    mean_y = math.fsum(y for _, y in pairs) / n
    sxx = math.fsum((x - mean_x) ** 2 for x, _ in pairs)
    syy = math.fsum((y - mean_y) ** 2 for _, y in pairs)
    if sxx == 0 or syy == 0:
        return None
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in pairs)
    return sxy / math.sqrt(sxx * syy)


def _limit(raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return DEFAULT_MAX
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_MAX
    return value if -1 <= value <= 1 else DEFAULT_MAX


RULE = Rule(
    code="KK227",
    slug="canvas-divergence",
    severity=Severity.INFO,
    profile="strict",
    step=4,
    source="R-23",
    summary={"en": "The own value curve should not follow another offering's curve.",
             "ru": "Собственная кривая ценности не должна повторять кривую другого "
                   "предложения."},
    messages={
        "similar": {
            "en": "the own value curve follows the curve of '{offering}' (correlation "
                  "{correlation}, above {limit}): similar curves are a sign of a red ocean; "
                  "look for a value to drop or to create that sets the offer apart",
            "ru": "собственная кривая ценности повторяет кривую '{offering}' (корреляция "
                  "{correlation}, выше {limit}): схожие кривые — признак алого океана; "
                  "найдите ценность, от которой можно отказаться, или новую, которая отличит "
                  "ваше предложение",
        },
    },
    check=check,
    options={"max_correlation": 0.9},
    heuristic=True,
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
      - {id: us, self: true, scores: {freshness: 5, price: 3, choice: 1}}
      - {id: chain, scores: {freshness: 2, price: 4, choice: 5}}
      - {id: market, scores: {freshness: 3, price: 2, choice: 1}}
""",),
)
