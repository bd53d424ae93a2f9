"""A promise's metrics come from someone other than its giver (heuristic).

A promise is a result «observable from outside»: its fulfilment should be visible to others,
not only reported by whoever gives it. A metric whose figures come from the giver itself is a
self-report; it may be honest, but nobody outside can see the promise being kept.

Source (R-10, guide «О клиентократии», glossary): «Обещание – идеальный результат отделимый от
исполнителя и наблюдаемый со стороны». Meaning: a promise is an ideal result, separable from
the one who performs it and observable from outside.

How it is checked (a heuristic: kkctl cannot know how figures are really collected): for each
metric a promise lists, the metric's ``source.owner`` — who produces the figures — should not
be the promise's giver nor anyone on the giver's side (a member or the leader of a giving team
or council, a team of a giving person). The finding points at the promise's ``metrics`` entry.
A metric used by promises that names no ``source.owner`` at all is reported once, at the
metric, as a suggestion to say who reports it.

Fix: take the figures from the client, another team, or a system someone else runs, and say
so in ``source: {owner: ..., description: ...}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Metric

DOC_RU = """Метрики обещания поступают не от того, кто его даёт (эвристика).

Обещание — результат, «наблюдаемый со стороны»: его выполнение должно быть видно другим, а не
только известно со слов того, кто его даёт. Метрика, цифры которой поставляет сам дающий обещание,
— это самоотчёт; он может быть честным, но со стороны никто не видит, что обещание выполняется.

Источник (R-10, руководство «О клиентократии», глоссарий): «Обещание – идеальный результат
отделимый от исполнителя и наблюдаемый со стороны». Смысл: обещание — идеальный результат,
отделимый от того, кто его выполняет, и наблюдаемый со стороны.

Как проверяется (эвристика: kkctl не может знать, как на самом деле собираются цифры): для каждой
метрики, указанной в обещании, ``source.owner`` этой метрики — тот, кто поставляет цифры, — не
должен быть ни дающим обещание, ни кем-то на его стороне (участником или лидером дающей команды
или совета, командой дающего человека). Замечание указывает на элемент ``metrics`` обещания.
Метрика, которую используют обещания, но в которой ``source.owner`` не указан вовсе, отмечается
один раз, у самой метрики, — как предложение указать, кто её поставляет.

Исправление: берите цифры у клиента, у другой команды или из системы, которую ведёт кто-то другой,
и укажите это в ``source: {owner: ..., description: ...}``.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    no_owner: dict[str, tuple[Metric, str]] = {}  # metric id -> (metric, first promise)
    giver_side = ctx.giver_side
    for promise in ctx.org.promises:
        if not promise.metrics:
            continue
        giver_ref = promise.giver
        giver = giver_ref.id if giver_ref is not None and giver_ref.target is not None \
            else None
        for i, ref in enumerate(promise.metrics):
            metric = ref.target
            if not isinstance(metric, Metric):
                continue
            owner = metric.source_owner
            if owner is None:
                if metric.id not in no_owner:
                    no_owner[metric.id] = (metric, promise.id)
            elif giver is not None and owner.target is not None \
                    and owner.id in giver_side(giver):
                yield Finding(promise.source, ("metrics", i), "self_reported", {
                    "metric": metric.id, "owner": owner.id, "giver": giver,
                    "where": ctx.where(metric.source, "source", "owner")})
    for metric, promise_id in no_owner.values():
        yield Finding(metric.source, ("source",), "no_owner",
                      {"metric": metric.id, "promise": promise_id})


RULE = Rule(
    code="KK211",
    slug="metric-source-independent",
    severity=Severity.WARNING,
    profile="strict",
    step=5,
    source="R-10",
    summary={"en": "A promise's metrics are reported by someone other than its giver.",
             "ru": "Метрики обещания получают не от того, кто его даёт."},
    messages={
        "self_reported": {
            "en": "metric '{metric}' is reported by '{owner}' ({where}), the giver '{giver}' "
                  "or its own side, so the promise is not observed from outside; take the "
                  "figures from the client or another team (source.owner)",
            "ru": "данные метрики '{metric}' даёт '{owner}' ({where}) — сам '{giver}' или его "
                  "команда, и выполнение обещания не видно со стороны; берите данные у "
                  "клиента или другой команды (source.owner)",
        },
        "no_owner": {
            "en": "metric '{metric}' measures promise '{promise}' but does not say who "
                  "reports it; consider source: {{owner: <not the giver>, description: ...}} "
                  "so the promise can be observed from outside",
            "ru": "метрика '{metric}' измеряет обещание '{promise}', но не сказано, кто даёт "
                  "её данные; укажите source: {{owner: <не тот, кто даёт обещание>, "
                  "description: ...}}, чтобы выполнение было видно со стороны",
        },
    },
    check=check,
    heuristic=True,
    passing=("""
metrics:
  - id: m-labels
    name: Shelves with new labels
    unit: shelves
    direction: up
    target: 400
    source: {owner: shoppers, description: shopper survey}
""",),
    failing=("""
metrics:
  - id: m-labels
    name: Shelves with new labels
    unit: shelves
    direction: up
    target: 400
    source: {owner: eve, description: our own count}
""", """
metrics:
  - id: m-labels
    name: Shelves with new labels
    unit: shelves
    direction: up
    target: 400
    source: store audit
"""),
)
