"""Every promise has at least one metric.

A promise is a result observable from outside; what makes it observable is a metric whose
rise or fall shows whether the promise is being kept. A promise without a metric cannot be
checked by anyone, so it is a wish, not a promise.

Source (R-02, guide «О клиентократии», glossary; Beyond Taylor's implementation steps):
«Метрики – объективные и измеримые показатели, по росту или снижению которых отслеживаем
результат выполнения обещания»; the system of promises consists, among other things, of
«Метрик, отражающих выполнение обещаний»; step 4 is «Формулирование обещаний клиенту и метрик
их выполнения». Meaning: metrics are objective, measurable indicators by whose rise or fall the
result of keeping a promise is tracked; every promise comes with the metrics of its
fulfilment.

How it is checked: each promise lists at least one metric in ``metrics``. The finding points
at the promise, or at the ``metrics`` key when it is there but empty. Whether each listed id
resolves to a metric is validation's business.

Fix: add ``metrics: [...]`` naming one or more metrics that show the promise being kept (for
example, the share of deliveries on time), defining the metric if it does not exist yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """У каждого обещания есть хотя бы одна метрика.

Обещание — результат, наблюдаемый со стороны; наблюдаемым его делает метрика, по росту или
снижению которой видно, выполняется ли обещание. Обещание без метрики никто не может проверить,
поэтому это пожелание, а не обещание.

Источник (R-02, руководство «О клиентократии», глоссарий; шаги внедрения «Beyond Taylor»):
«Метрики – объективные и измеримые показатели, по росту или снижению которых отслеживаем результат
выполнения обещания»; система обещаний состоит, среди прочего, из «Метрик, отражающих выполнение
обещаний»; шаг 4 — «Формулирование обещаний клиенту и метрик их выполнения». Смысл: метрики —
объективные измеримые показатели, по росту или снижению которых отслеживают результат выполнения
обещания; у каждого обещания есть метрики его выполнения.

Как проверяется: в ``metrics`` каждого обещания указана хотя бы одна метрика. Замечание указывает
на обещание или на ключ ``metrics``, если он есть, но пуст. Ведёт ли каждый указанный ``id`` к
существующей метрике, проверяет валидация.

Исправление: добавьте ``metrics: [...]`` с одной или несколькими метриками, которые показывают
выполнение обещания (например, долю доставок вовремя); если нужной метрики ещё нет, определите её.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    for promise in ctx.org.promises:
        if promise.metrics:
            continue
        raw = promise.source.mapping()
        if raw is not None and "metrics" in raw:
            if isinstance(raw["metrics"], list) and raw["metrics"]:
                continue  # items of the wrong type: the schema reports them
            yield Finding(promise.source, ("metrics",), "empty", {}, at_key=True)
        else:
            yield Finding(promise.source, (), "missing", {})



RULE = Rule(
    code="KK203",
    slug="promise-without-metric",
    severity=Severity.ERROR,
    profile="minimal",
    step=5,
    source="R-02",
    summary={"en": "Every promise has at least one metric that shows it being kept.",
             "ru": "У каждого обещания есть хотя бы одна метрика его выполнения."},
    messages={
        "missing": {
            "en": "the promise has no metrics, so nobody can see whether it is kept; add "
                  "metrics: [...] naming a metric that shows its fulfilment",
            "ru": "у обещания нет метрик, и никто не может увидеть, выполняется ли оно; "
                  "добавьте metrics: [...] с метрикой, показывающей его выполнение",
        },
        "empty": {
            "en": "metrics is empty, so nobody can see whether the promise is kept; list at "
                  "least one metric that shows its fulfilment",
            "ru": "список metrics пуст, и никто не может увидеть, выполняется ли обещание; "
                  "укажите хотя бы одну метрику его выполнения",
        },
    },
    check=check,
    passing=("""
promises:
  - id: p-price
    kind: root
    giver: concept
    receiver: shoppers
    value: price
    text: Our basket costs no more than the city average
    metrics: [m-customers]
    authorities: [a-pricing]
""",),
    failing=("""
promises:
  - id: p-price
    kind: root
    giver: concept
    receiver: shoppers
    value: price
    text: Our basket costs no more than the city average
    authorities: [a-pricing]
""", """
promises:
  - id: p-price
    kind: root
    giver: concept
    receiver: shoppers
    value: price
    text: Our basket costs no more than the city average
    metrics: []
    authorities: [a-pricing]
"""),
)
