"""A strategy canvas is complete: one own offering, every factor scored, on its scale.

A value curve is read by comparing it with the others, factor by factor; a missing score, a
score off the scale or a canvas with no own curve (or two) makes every comparison — and every
canvas rule built on it — meaningless.

Source: none as a rule of the methodology; it is what the canvas is (guide «О клиентократии»,
glossary «Стратегическая канва»: «графический инструмент отображения и проектирования
положения компании по ценностям для клиента, основанный на анализе способов закрыть ту же
потребность клиента»; «Кривая ценности»: «проявленности всех ценностей для клиента на
стратканве, даваемых товаром или услугой компании её клиентам относительно конкурентных
предложений»). Meaning: the canvas shows the company's position on the client values relative
to the other ways to close the same need; the value curve shows how every value is delivered
by our offer compared with competing offers. So: one own offer, every value scored by
everyone, on one scale.

How it is checked, on every canvas: the scale's ``min`` is below its ``max`` (else reported at
``scale``, and the range is not checked); every offering scores every factor (one finding per
missing score, at the offering's ``scores``); every score lies within the scale (at the
score); exactly one offering is the organisation's own (``self: true`` or ``kind: self``) —
none is reported at ``offerings``, each one after the first at that offering. A score for a
value that is not a factor is a validation error (KK107); a score that is not a number is left
to validation. Canvases are skipped when ``organisation.applicability.commodity`` is true
(R-27).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Canvas, Source

DOC_RU = """Канва заполнена: одно собственное предложение, каждый фактор оценён по её шкале.

Кривую ценности читают, сравнивая её с другими фактор за фактором; пропущенная оценка, оценка
вне шкалы или канва без собственной кривой (или с двумя) делают бессмысленным любое сравнение —
и любое правило канвы, которое на нём построено.

Источник: отдельного правила в методологии нет; так устроена сама канва (руководство «О
клиентократии», глоссарий, «Стратегическая канва»: «графический инструмент отображения и
проектирования положения компании по ценностям для клиента, основанный на анализе способов
закрыть ту же потребность клиента»; «Кривая ценности»: «проявленности всех ценностей для клиента
на стратканве, даваемых товаром или услугой компании её клиентам относительно конкурентных
предложений»). Смысл: канва показывает положение компании по ценностям для клиента относительно
других способов закрыть ту же потребность; кривая ценности показывает, как наше предложение даёт
каждую ценность в сравнении с конкурентными. Отсюда: одно собственное предложение, каждая
ценность оценена у всех, по одной шкале.

Как проверяется, на каждой канве: ``min`` шкалы меньше её ``max`` (иначе замечание у ``scale``,
и попадание в диапазон не проверяется); каждое предложение оценивает каждый фактор (по замечанию
на каждую пропущенную оценку, у ``scores`` предложения); каждая оценка лежит в пределах шкалы
(замечание у оценки); ровно одно предложение — собственное предложение организации
(``self: true`` или ``kind: self``): если его нет, замечание у ``offerings``, а каждое
собственное после первого отмечается у этого предложения. Оценка ценности, которая не является
фактором, — ошибка валидации (KK107); оценка, которая не является числом, оставлена валидации.
Канвы пропускаются, если ``organisation.applicability.commodity`` истинно (R-27).
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    if ctx.org.settings.applicability.get("commodity") is True:
        return
    for canvas in ctx.org.canvases:
        yield from _check_canvas(ctx, canvas)


def _check_canvas(ctx: LintContext, canvas: Canvas) -> Iterator[Finding]:
    low, high = _scale(canvas)
    scale_ok = low < high
    if not scale_ok:
        yield Finding(canvas.source, ("scale",), "scale", {"min": _num(low), "max": _num(high)})
    factor_ids = list(dict.fromkeys(f.value.id for f in canvas.factors))
    raw_offerings = _raw(canvas.source, "offerings")
    own = []
    for offering in canvas.offerings:
        if offering.is_self:
            own.append(offering)
        written = _raw_scores(raw_offerings, offering.index)
        for value_id in factor_ids:
            if value_id not in offering.scores and value_id not in written:
                yield Finding(canvas.source, ("offerings", offering.index, "scores"), "missing",
                              {"offering": offering.id, "value": value_id})
        if not scale_ok:
            continue
        for value_id, score in offering.scores.items():
            if not low <= score <= high:
                yield Finding(canvas.source, ("offerings", offering.index, "scores", value_id),
                              "off_scale", {"offering": offering.id, "value": value_id,
                                            "score": _num(score), "min": _num(low),
                                            "max": _num(high)})
    if not own and canvas.offerings:
        yield Finding(canvas.source, ("offerings",), "no_self")
    for extra in own[1:]:
        yield Finding(canvas.source, ("offerings", extra.index), "two_selves",
                      {"offering": extra.id, "first": own[0].id,
                       "where": ctx.where(canvas.source, "offerings", own[0].index)})


def _raw(source: Source, key: str) -> Any:
    data: Any = source.file.data
    for part in (*source.path, key):
        if not isinstance(data, dict | list):
            return None
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _scale(canvas: Canvas) -> tuple[Decimal, Decimal]:
    """The scale as written: the model reads ``max: 0`` as "not given" (default 5)."""
    low, high = canvas.scale_min, canvas.scale_max
    scale = _raw(canvas.source, "scale")
    if isinstance(scale, dict):
        written = scale.get("max")
        if type(written) in (int, float) and written == 0:
            high = Decimal(0)
    return low, high


def _raw_scores(offerings: Any, index: int) -> dict[str, Any]:
    """The scores as written, numbers or not (a non-number is validation's to report)."""
    if isinstance(offerings, list) and 0 <= index < len(offerings):
        item = offerings[index]
        scores = item.get("scores") if isinstance(item, dict) else None
        if isinstance(scores, dict):
            return scores
    return {}


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


RULE = Rule(
    code="KK237",
    slug="canvas-scores",
    severity=Severity.ERROR,
    profile="minimal",
    step=4,
    source="—",
    summary={"en": "A canvas has one own offering, and every offering scores every factor "
                   "within the scale.",
             "ru": "На канве одно собственное предложение, и каждое предложение оценено по "
                   "каждому фактору в пределах шкалы."},
    messages={
        "scale": {
            "en": "the scale's min ({min}) must be below its max ({max}); write e.g. "
                  "scale: {{min: 0, max: 5}}",
            "ru": "min шкалы ({min}) должен быть меньше max ({max}); например, "
                  "scale: {{min: 0, max: 5}}",
        },
        "missing": {
            "en": "offering '{offering}' has no score for factor '{value}'; score every "
                  "factor, or the curves cannot be compared",
            "ru": "у предложения '{offering}' нет оценки по фактору '{value}'; оцените каждый "
                  "фактор, иначе кривые ценности нельзя сравнить",
        },
        "off_scale": {
            "en": "offering '{offering}' scores {score} on '{value}', outside the scale "
                  "{min}–{max}",
            "ru": "предложение '{offering}' оценено по '{value}' на {score} — вне шкалы "
                  "{min}–{max}",
        },
        "no_self": {
            "en": "no offering is the organisation's own; mark the own one self: true (or "
                  "kind: self)",
            "ru": "среди предложений нет собственного; отметьте своё self: true (или "
                  "kind: self)",
        },
        "two_selves": {
            "en": "offering '{offering}' is marked as the organisation's own, but so is "
                  "'{first}' ({where}); a canvas has one own value curve",
            "ru": "предложение '{offering}' отмечено собственным, но собственным уже отмечено "
                  "'{first}' ({where}); на канве одна собственная кривая ценности",
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
      - {id: us, kind: self, scores: {freshness: 5, price: 3, choice: 1}}
      - {id: chain, kind: competitor, scores: {freshness: 2, price: 4, choice: 5}}
      - {id: market, kind: alternative, scores: {freshness: 2, price: 1, choice: 3}}
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
      - {id: us, self: true, scores: {freshness: 5, price: 3}}
      - {id: chain, scores: {freshness: 2, price: 4, choice: 5}}
      - {id: market, scores: {freshness: 2, price: 1, choice: 3}}
""", """
canvases:
  - id: canvas
    client: shoppers
    need: feed the family fresh food
    scale: {min: 1, max: 5}
    factors:
      - {value: freshness, key: true, action: raise}
      - {value: price, action: keep}
      - {value: choice, action: reduce}
    offerings:
      - {id: us, self: true, scores: {freshness: 5, price: 3, choice: 0}}
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
      - {id: us, scores: {freshness: 5, price: 3, choice: 1}}
      - {id: chain, scores: {freshness: 2, price: 4, choice: 5}}
      - {id: market, scores: {freshness: 2, price: 1, choice: 3}}
"""),
)
