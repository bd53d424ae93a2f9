"""A root promise whose support all comes from one provider (heuristic).

When every supporting promise a root promise relies on is given by the same team or partner,
that provider is a single point of failure for a promise to the client: if it stumbles, the
root promise is broken and nobody else can step in. Clientocracy's principle of optionality
asks for a second option for key resources — a second supplier, a second team — even at some
cost.

Source (R-26, article on N. Popovich's principles, seed 000): «Принцип опциональности — никогда
не делать ставку только на один вариант … Идея задвоения — наличие нескольких поставщиков
одного продукта, нескольких команд, выполняющих одинаковые функции»; guide «О клиентократии»,
glossary: «Задвоение - дублирование ключевых ресурсов исполнителей: поставщиков, подрядчиков,
команд, процессов, проектов». Meaning: never bet on one option only; duplicate key resources
(several suppliers of one product, several teams doing the same function).

How it is checked (a heuristic, kkctl's own proposal): for every root promise, the promises
whose ``supports`` name it are gathered; when there is at least one and all of them are given
by one and the same giver, an info is reported at the root promise, naming that giver. Givers
that do not resolve are left to validation. This concerns providers, not decision rights: it
does not conflict with monopolistic authorities (R-04).

Fix: consider a second provider for what the root promise needs (another partner or team
giving a supporting promise to it), or accept the risk with ``lint_ignore``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """Всё обеспечение корневого обещания приходит от одного исполнителя (эвристика).

Если все поддерживающие обещания, на которые опирается корневое обещание, даёт одна и та же
команда или один партнёр, этот исполнитель — единственная точка отказа для обещания клиенту:
оступится он — корневое обещание нарушено, и подменить его некому. Принцип опциональности
клиентократии требует второго варианта для ключевых ресурсов — второго поставщика, второй
команды — даже ценой некоторых затрат.

Источник (R-26, статья о принципах Н. Поповича, seed 000): «Принцип опциональности — никогда не
делать ставку только на один вариант … Идея задвоения — наличие нескольких поставщиков одного
продукта, нескольких команд, выполняющих одинаковые функции»; руководство «О клиентократии»,
глоссарий: «Задвоение - дублирование ключевых ресурсов исполнителей: поставщиков, подрядчиков,
команд, процессов, проектов». Смысл: никогда не ставить только на один вариант; задваивать
ключевые ресурсы (несколько поставщиков одного продукта, несколько команд с одной и той же
функцией).

Как проверяется (эвристика, которую предлагает сам kkctl): для каждого корневого обещания
собираются обещания, в ``supports`` которых оно названо; если есть хотя бы одно и все они даны
одним и тем же исполнителем, у корневого обещания выдаётся информационное замечание, называющее
этого исполнителя. Дающие, ссылки на которых не удаётся разрешить, оставлены валидации. Речь о
поставщиках, а не о правах на решения: с монопольностью полномочий (R-04) это не противоречит.

Исправление: подумайте о втором исполнителе того, что нужно корневому обещанию (другом партнёре
или команде, которые дадут ему поддерживающее обещание), или примите риск через ``lint_ignore``.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    provider: dict[str, str | None] = {}  # supported promise id -> its one giver; None: many
    counts: dict[str, int] = {}
    for promise in ctx.org.promises:
        giver = promise.giver
        if not promise.supports or giver is None or giver.target is None:
            continue
        for ref in promise.supports:
            if ref.target is not None:
                key = ref.id
                if provider.setdefault(key, giver.id) != giver.id:
                    provider[key] = None
                counts[key] = counts.get(key, 0) + 1
    if not provider:
        return
    for promise in ctx.org.promises:
        if promise.promise_kind != "root":
            continue
        one = provider.get(promise.id)
        if one is not None:
            count = counts[promise.id]
            yield Finding(promise.source, (), "one_promise" if count == 1 else "one_giver",
                          {"giver": one, "count": count})


RULE = Rule(
    code="KK230",
    slug="key-resource-duplication",
    severity=Severity.INFO,
    profile="strict",
    step=6,
    source="R-26",
    summary={"en": "A root promise should not depend on supporting promises of one provider "
                   "only.",
             "ru": "Корневое обещание не должно зависеть от поддерживающих обещаний "
                   "единственного исполнителя."},
    messages={
        "one_promise": {
            "en": "the one supporting promise this root promise relies on is given by "
                  "'{giver}': a single provider of a key resource; by the principle of "
                  "optionality, consider a second provider (задвоение)",
            "ru": "единственное поддерживающее обещание, от которого зависит это корневое "
                  "обещание, даёт '{giver}': единственный исполнитель ключевого ресурса; по "
                  "принципу опциональности подумайте о втором поставщике или команде "
                  "(задвоение)",
        },
        "one_giver": {
            "en": "all {count} supporting promises this root promise relies on are given by "
                  "'{giver}': a single provider of a key resource; by the principle of "
                  "optionality, consider a second provider (задвоение)",
            "ru": "все поддерживающие обещания, от которых зависит это корневое обещание "
                  "({count}), даёт '{giver}': единственный исполнитель ключевого ресурса; по "
                  "принципу опциональности подумайте о втором поставщике или команде "
                  "(задвоение)",
        },
    },
    check=check,
    heuristic=True,
    passing=("""
promises:
  - id: p-couriers
    kind: supporting
    giver: couriers
    receiver: shops
    supports: [p-fresh]
    text: Dairy reaches every shop before 7 a.m.
    metrics: [m-on-time]
    authorities: [a-routes]
""",),
    failing=("""
promises:
  - id: p-design
    kind: supporting
    giver: couriers
    receiver: shops
    supports: [p-fresh]
    text: Dairy is delivered in cooled boxes with the production date on the lid
    metrics: [m-labels]
    authorities: [a-routes]
""",),
)
