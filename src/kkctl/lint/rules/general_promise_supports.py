"""A general promise does not support root promises.

A general promise is one a team receives that is not directly tied to keeping its root
promises (a council's answer to requests, a payroll date). If it does support a root
promise, it is a supporting promise and should say so by its kind, so the chain from the
client down to every team stays readable.

Source (R-07, guide «О клиентократии», glossary): a general promise is received from a team,
role or partner, «не связанное напрямую с выполнением своих корневых обещаний». Meaning: a
general promise is not directly connected with keeping one's root promises.

How it is checked: a promise of ``kind: general`` has no (non-empty) ``supports``; the
finding points at the ``supports`` key.

Fix: if the promise helps keep the listed promises, make it ``kind: supporting``; otherwise
remove ``supports`` (use ``requires`` for a plain dependency).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """Общее обещание не обеспечивает корневые обещания.

Общее обещание — это обещание, которое команда получает и которое не связано напрямую с
выполнением её корневых обещаний (ответ совета на запросы, дата выплаты зарплаты). Если оно всё
же обеспечивает корневое обещание, то это поддерживающее обещание, и об этом должен говорить его
вид, чтобы цепочка от клиента до каждой команды оставалась понятной.

Источник (R-07, руководство «О клиентократии», глоссарий): общее обещание получено от команды,
роли или партнёра, «не связанное напрямую с выполнением своих корневых обещаний». Смысл: общее
обещание не связано напрямую с выполнением собственных корневых обещаний.

Как проверяется: у обещания с ``kind: general`` нет (непустого) ``supports``; замечание
указывает на ключ ``supports``.

Исправление: если обещание помогает выполнять перечисленные обещания, сделайте его
``kind: supporting``; иначе уберите ``supports`` (для простой зависимости используйте
``requires``).
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    for promise in ctx.org.promises:
        if promise.promise_kind == "general" and promise.supports:
            yield Finding(promise.source, ("supports",), "supports",
                          {"first": promise.supports[0].id}, at_key=True)


RULE = Rule(
    code="KK210",
    slug="general-promise-supports",
    severity=Severity.WARNING,
    profile="recommended",
    step=6,
    source="R-07",
    summary={"en": "A general promise has no supports.",
             "ru": "У общего обещания нет supports."},
    messages={
        "supports": {
            "en": "a general promise is not directly tied to keeping root promises, but this "
                  "one supports '{first}'; make it kind: supporting if it helps keep "
                  "'{first}', or remove supports",
            "ru": "общее обещание не связано напрямую с выполнением корневых обещаний, а это "
                  "поддерживает '{first}'; сделайте его поддерживающим (kind: supporting), "
                  "если оно помогает выполнить '{first}', или уберите supports",
        },
    },
    check=check,
    passing=("""
promises:
  - id: p-council
    kind: general
    giver: council
    receiver: shops
    text: The council answers a team's request within a week
    condition: if the request is in writing
    metrics: [m-answer-days]
    authorities: [a-council-answers]
""",),
    failing=("""
promises:
  - id: p-council
    kind: general
    giver: council
    receiver: shops
    supports: [p-fresh]
    text: The council answers a team's request within a week
    condition: if the request is in writing
    metrics: [m-answer-days]
    authorities: [a-council-answers]
""",),
)
