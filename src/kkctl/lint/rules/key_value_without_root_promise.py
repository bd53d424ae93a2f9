"""The key value is delivered by at least one root promise.

The key value is the one client value the market does not serve well and that the company
means to give better than anyone. If no team has promised it to the client, the strategy's
centre has nobody answering for it: the key value exists only on paper.

Source (R-09, guide «О клиентократии» and Beyond Taylor's implementation steps): the council
consists of representatives of teams «дающих корневые обещания внешнему клиенту под все
ценности для него на стратегической канве»; «Обещание должно чётко давать ту ценность,
которую определили на предыдущем шаге»; the key value is «Одна ценность для клиента, которая в
данный момент не представлена достойно на рынке». Meaning: root promises cover every client
value on the canvas, and a promise clearly gives the value defined before it; the key value is
the one value not yet properly offered on the market — so it, above all, must be covered.

How it is checked: some promise of ``kind: root`` has ``value:`` equal to
``organisation.key_value``. Nothing is reported when no key value is set or it does not
resolve (other checks report that), nor for commodity products
(``organisation.applicability.commodity: true``, R-27).

Fix: give the client a root promise with ``value:`` the key value, from the team that creates
it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """Ключевую ценность даёт хотя бы одно корневое обещание.

Ключевая ценность — та единственная ценность для клиента, которую рынок обслуживает плохо и
которую компания намерена давать лучше всех. Если ни одна команда не пообещала её клиенту, за
центр стратегии никто не отвечает: ключевая ценность существует только на бумаге.

Источник (R-09, руководство «О клиентократии» и шаги внедрения Beyond Taylor): совет состоит из
представителей команд, «дающих корневые обещания внешнему клиенту под все ценности для него на
стратегической канве»; «Обещание должно чётко давать ту ценность, которую определили на
предыдущем шаге»; ключевая ценность — это «Одна ценность для клиента, которая в данный момент не
представлена достойно на рынке». Смысл: корневые обещания покрывают каждую ценность для клиента
на канве, и обещание чётко даёт ценность, определённую до него; ключевая ценность — та
единственная, которую рынок ещё достойно не предлагает, поэтому прежде всего она и должна быть
покрыта.

Как проверяется: у какого-либо обещания с ``kind: root`` ``value:`` равно
``organisation.key_value``. Ничего не сообщается, если ключевая ценность не задана или ссылку на
неё не удаётся разрешить (об этом сообщают другие проверки), а также для биржевых продуктов
(``organisation.applicability.commodity: true``, R-27).

Исправление: дайте клиенту корневое обещание, у которого ``value:`` — ключевая ценность, от
команды, которая её создаёт.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    settings = ctx.org.settings
    key = settings.key_value
    if settings.source is None or key is None or key.target is None \
            or settings.applicability.get("commodity"):
        return
    if key.id not in ctx.root_values:
        yield Finding(settings.source, ("organisation", "key_value"), "uncovered",
                      {"value": key.id})


RULE = Rule(
    code="KK213",
    slug="key-value-without-root-promise",
    severity=Severity.ERROR,
    profile="recommended",
    step=5,
    source="R-09",
    summary={"en": "The key value is delivered by at least one root promise.",
             "ru": "Ключевую ценность даёт хотя бы одно корневое обещание."},
    messages={
        "uncovered": {
            "en": "the key value '{value}' is not delivered by any root promise, so no team "
                  "answers to the client for it; give a root promise with value: {value}",
            "ru": "ключевую ценность '{value}' не даёт ни одно корневое обещание, и ни одна "
                  "команда не отвечает за неё перед клиентом; дайте клиенту корневое обещание "
                  "с value: {value}",
        },
    },
    check=check,
    passing=("""
promises:
  - id: p-fresh
    kind: root
    giver: shops
    receiver: shoppers
    value: freshness
    text: Dairy on the shelf is never older than two days
    metrics: [m-fresh-sales]
    authorities: [a-write-off]
""",),
    failing=("""
promises:
  - id: p-fresh
    kind: root
    giver: shops
    receiver: shoppers
    value: choice
    text: Dairy on the shelf is never older than two days
    metrics: [m-fresh-sales]
    authorities: [a-write-off]
""",),
)
