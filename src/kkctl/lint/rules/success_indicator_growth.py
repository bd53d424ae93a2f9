"""A success indicator must be able to grow many times over.

A team's success indicator shows its progress of growth; a metric that is already near its
ceiling, or that the team wants to go down, can show polishing but not growth. Percentages,
ratings and uptimes are good promise metrics and poor success indicators.

Source (R-17, guide «О клиентократии», glossary): показатель успешности — «одна метрика, по
изменению которой команда оценивает свой прогресс роста … должен иметь возможность хотя бы
теоретически вырасти в разы. В идеале он показывает прогресс движения к эволюционной цели».
Meaning: the one metric by whose change the team judges its growth; it must be able, at least
in theory, to grow many-fold; ideally it shows progress towards the evolutionary goal.

How it is checked (a heuristic): for every team whose ``success_indicator`` resolves to a
metric, warn when

* the metric has ``direction: down``; or
* it has ``bounds.max`` and its latest reading (the last in ``readings``) times two exceeds
  that maximum: it cannot even double; or
* its unit is ``%`` and the latest reading is above 50.

One finding per team (the first of these that applies), at its ``success_indicator``.

Fix: choose an amount or a count that can grow without a ceiling (sales of fresh products,
customers served) and keep the bounded metric for the promises it measures.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Metric

DOC_RU = """Показатель успешности должен иметь возможность вырасти в разы.

Показатель успешности команды показывает её прогресс роста; метрика, которая уже близка к потолку
или которую команда хочет снизить, может показать шлифовку, но не рост. Проценты, рейтинги и доля
времени безотказной работы — хорошие метрики обещаний, но плохие показатели успешности.

Источник (R-17, руководство «О клиентократии», глоссарий): показатель успешности — «одна метрика,
по изменению которой команда оценивает свой прогресс роста … должен иметь возможность хотя бы
теоретически вырасти в разы. В идеале он показывает прогресс движения к эволюционной цели». Смысл:
это одна метрика, по изменению которой команда судит о своём росте; она должна хотя бы
теоретически иметь возможность вырасти многократно; в идеале она показывает движение к
эволюционной цели.

Как проверяется (эвристика): для каждой команды, чей ``success_indicator`` ссылается на метрику,
выдаётся предупреждение, если

* у метрики ``direction: down``; или
* у неё есть ``bounds.max``, и последнее значение (последнее в ``readings``), умноженное на два,
  превышает этот максимум: метрика не может даже удвоиться; или
* её единица измерения — ``%``, и последнее значение больше 50.

Одно замечание на команду (по первому подходящему условию), у её ``success_indicator``.

Исправление: выберите сумму или количество, которые могут расти без потолка (продажи свежей
продукции, число обслуженных клиентов), а ограниченную метрику оставьте для обещаний, которые она
измеряет.
"""

HALF = Decimal(50)


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    for team in ctx.org.teams:
        ref = team.success_indicator
        metric = ref.target if ref is not None else None
        if not isinstance(metric, Metric):
            continue
        latest = metric.readings[-1].value if metric.readings else None
        if metric.direction == "down":
            name, extra = "down", {}
        elif latest is not None and metric.bounds_max is not None \
                and latest * 2 > metric.bounds_max:
            name, extra = "bounded", {"latest": str(latest), "max": str(metric.bounds_max)}
        elif latest is not None and metric.unit.strip() == "%" and latest > HALF:
            name, extra = "percent", {"latest": str(latest)}
        else:
            continue
        yield Finding(team.source, ("success_indicator",), name,
                      {"metric": metric.id, "where": ctx.where(metric.source), **extra})


RULE = Rule(
    code="KK221",
    slug="success-indicator-growth",
    severity=Severity.WARNING,
    profile="recommended",
    step=7,
    source="R-17",
    summary={"en": "A team's success indicator can grow many times over.",
             "ru": "Показатель успешности команды может вырасти в разы."},
    messages={
        "down": {
            "en": "success indicator '{metric}' ({where}) has direction: down, but a success "
                  "indicator must be able, at least in theory, to grow many times over; "
                  "choose a metric that grows (count what is achieved, not what is avoided)",
            "ru": "показатель успешности '{metric}' ({where}) имеет direction: down, а "
                  "показатель успешности должен хотя бы теоретически иметь возможность "
                  "вырасти в разы; выберите растущую метрику (считайте достигнутое, а не "
                  "то, чего избегают)",
        },
        "bounded": {
            "en": "success indicator '{metric}' ({where}) is at {latest} of at most {max} and "
                  "cannot even double, but a success indicator must be able to grow many "
                  "times over; choose an unbounded metric (an amount or a count)",
            "ru": "показатель успешности '{metric}' ({where}) уже равен {latest} при "
                  "максимуме {max} и не может даже удвоиться, а показатель успешности должен "
                  "иметь возможность вырасти в разы; выберите метрику без верхней границы "
                  "(сумму или количество)",
        },
        "percent": {
            "en": "success indicator '{metric}' ({where}) is a percentage already at "
                  "{latest} % and cannot grow many times over; choose an amount or a count "
                  "instead of a share",
            "ru": "показатель успешности '{metric}' ({where}) — доля, уже равная {latest} %, "
                  "и вырасти в разы он не может; выберите вместо доли сумму или количество",
        },
    },
    check=check,
    heuristic=True,
    passing=("""
metrics:
  - id: m-customers
    name: Customers served a week
    unit: people
    direction: up
    target: 20000
    source: {owner: shops, description: till data}
    readings: [{period: 2026-q1, value: 12000}, {period: 2026-q2, value: 14000}]
""", """
metrics:
  - id: m-customers
    name: Share of households in the district who are our customers
    unit: "%"
    direction: up
    target: 60
    bounds: {min: 0, max: 100}
    source: {owner: shops, description: district survey}
    readings: [{period: 2026-q1, value: 9}, {period: 2026-q2, value: 12}]
"""),
    failing=("""
metrics:
  - id: m-customers
    name: Orders delivered on time
    unit: "%"
    direction: up
    target: 99
    bounds: {min: 0, max: 100}
    source: {owner: shops, description: delivery log}
    readings: [{period: 2026-q1, value: 91}, {period: 2026-q2, value: 94}]
""", """
metrics:
  - id: m-customers
    name: Customer complaints a week
    unit: complaints
    direction: down
    target: 5
    source: {owner: shops, description: complaints log}
    readings: [{period: 2026-q1, value: 40}, {period: 2026-q2, value: 31}]
""", """
metrics:
  - id: m-customers
    name: Customers who would recommend us
    unit: "%"
    direction: up
    target: 80
    source: {owner: shops, description: monthly survey}
    readings: [{period: 2026-q1, value: 55}, {period: 2026-q2, value: 62}]
"""),
)
