"""An NPS survey asks «А почему?» as its second question (heuristic).

The loyalty index (NPS) says how many clients would recommend the company; only the answer to
"why?" says what to change. A score without reasons tells a team that something is wrong but
not what, so the methodology advises always asking why, whatever the first answer.

Source (R-31, guide «О клиентократии», glossary «Индекс лояльности потребителей»): «Для
улучшения этой метрики полезно вторым вопросом задавать: «А почему?» – вне зависимости от
ответа на первый вопрос, посоветует ли купить другим». Meaning: to improve this metric it is
useful to ask «And why?» as the second question, whatever the answer to the first one (would
you recommend us?).

How it is checked (a heuristic: kkctl cannot see the survey itself): an NPS metric — one with
``type: nps``, or whose ``name`` or ``unit`` says so ("NPS", "net promoter", «индекс
лояльности», «индекс потребительской лояльности», «Наш Показатель Сервиса»; any case) — whose
``name``, ``description`` and ``source`` description all fail to mention «почему» or "why"
(any case) gets an info, at the metric.

Fix: add the second question to the survey and say so in the metric's ``description`` (e.g.
"second question: «А почему?»").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Metric, Source

DOC_RU = """Опрос NPS вторым вопросом спрашивает «А почему?» (эвристика).

Индекс лояльности потребителей (NPS) показывает, сколько клиентов порекомендовали бы компанию; а
что менять, подсказывает только ответ на вопрос «почему?». Оценка без причин сообщает команде, что
что-то не так, но не говорит, что именно, поэтому методология советует всегда спрашивать «почему»,
каким бы ни был первый ответ.

Источник (R-31, руководство «О клиентократии», глоссарий, статья «Индекс лояльности
потребителей»): «Для улучшения этой метрики полезно вторым вопросом задавать: «А почему?» – вне
зависимости от ответа на первый вопрос, посоветует ли купить другим». Смысл: чтобы улучшить эту
метрику, полезно вторым вопросом спрашивать «А почему?», каким бы ни был ответ на первый
(порекомендуете ли вы нас?).

Как проверяется (эвристика: сам опрос kkctl не видит): метрика NPS — с ``type: nps`` или с
``name`` или ``unit``, которые об этом говорят («NPS», «net promoter», «индекс лояльности»,
«индекс потребительской лояльности», «Наш Показатель Сервиса»; в любом регистре), — у которой ни
``name``, ни ``description``, ни описание в ``source`` не упоминают «почему» или «why» (в любом
регистре), получает информационное замечание у самой метрики.

Исправление: добавьте в опрос второй вопрос и укажите это в ``description`` метрики (например:
второй вопрос — «А почему?»).
"""

_WHY = re.compile(r"почему|why", re.IGNORECASE)
# How people name the loyalty index when they do not write ``type: nps``: the acronym as a
# word, its English name, its Russian names (the guide's glossary «Индекс лояльности
# потребителей», and its own reading of the acronym «Наш Показатель Сервиса»).
_NPS = re.compile(r"(?<![a-z0-9])nps(?![a-z0-9])|net[\s-]*promoter"
                  r"|индекс\w*\s+(?:потребительск\w*\s+)?лояльност"
                  r"|наш\w*\s+показател\w*\s+сервис", re.IGNORECASE)


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    for metric in ctx.org.metrics:
        if not is_nps(metric):
            continue
        raw = _raw(metric.source)
        description = raw.get("description") if isinstance(raw, dict) else None
        texts = [metric.name, metric.source_text, description]
        if not any(isinstance(text, str) and _WHY.search(text) for text in texts):
            yield Finding(metric.source, (), "no_why")


def is_nps(metric: Metric) -> bool:
    """Whether the metric is the loyalty index, by its type, name or unit."""
    if metric.metric_type == "nps":
        return True
    return bool(_NPS.search(metric.name) or _NPS.search(metric.unit))


def _raw(source: Source) -> Any:
    data: Any = source.file.data
    for part in source.path:
        if not isinstance(data, dict | list):
            return None
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


RULE = Rule(
    code="KK235",
    slug="nps-why",
    severity=Severity.INFO,
    profile="strict",
    step=5,
    source="R-31",
    summary={"en": "An NPS survey asks «А почему?» (why?) as its second question.",
             "ru": "В опросе NPS второй вопрос — «А почему?»."},
    messages={
        "no_why": {
            "en": "an NPS metric, but neither its name, description nor source mentions the "
                  "second question «А почему?» (why?): ask it whatever the first answer, and "
                  "say so in the description",
            "ru": "метрика NPS, но ни в названии, ни в описании, ни в источнике нет второго "
                  "вопроса «А почему?»: задавайте его вне зависимости от ответа на первый и "
                  "укажите это в description",
        },
    },
    check=check,
    heuristic=True,
    passing=("""
metrics:
  - id: m-nps
    name: Shopper loyalty (NPS)
    unit: points
    type: nps
    direction: up
    target: 60
    bounds: {min: -100, max: 100}
    description: Would you recommend us to a friend (0-10)? Second question - why?
    source: {owner: concept, description: survey at the till}
teams:
  - id: concept
    name: Unified concept
    type: concept
    leader: cid
    members: [cid, eve]
    success_indicator: m-nps
    economics: {income: [brand fee], expenses: [marketing]}
""",),
    failing=("""
metrics:
  - id: m-nps
    name: Shopper loyalty (NPS)
    unit: points
    type: nps
    direction: up
    target: 60
    bounds: {min: -100, max: 100}
    description: Would you recommend us to a friend (0-10)?
    source: {owner: concept, description: survey at the till}
teams:
  - id: concept
    name: Unified concept
    type: concept
    leader: cid
    members: [cid, eve]
    success_indicator: m-nps
    economics: {income: [brand fee], expenses: [marketing]}
""", """
metrics:
  - id: m-nps
    name: Индекс потребительской лояльности
    unit: пунктов
    direction: up
    target: 60
    description: Порекомендуете ли вы нас другу (0-10)?
    source: {owner: concept, description: опрос на кассе}
teams:
  - id: concept
    name: Unified concept
    type: concept
    leader: cid
    members: [cid, eve]
    success_indicator: m-nps
    economics: {income: [brand fee], expenses: [marketing]}
"""),
)
