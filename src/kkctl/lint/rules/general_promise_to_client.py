"""A general promise is internal: it does not go to an external client.

A general promise is one that a team, role or partner gives a team inside the company and that
is not tied to keeping the receiver's root promises (a council's answer to requests, a payroll
date). A promise to an external client is about the value the client gets: that is a root
promise, which names the value, is represented on the council and is counted by every rule of
the client's side. Written as general, it escapes all of that.

Source (R-07, R-05, guide «О клиентократии», glossary): «Общее обещание – обещание, которое
получают от команды, роли или партнёра, не связанное напрямую с выполнением своих корневых
обещаний»; «Корневое обещание – даётся клиенту в отношении ценности для клиента». Meaning: a
general promise is received (from a team, role or partner) by someone who has root promises of
their own to keep, that is, by a team or role inside the company; what is given to the client
about a client value is a root promise.

How it is checked: a promise of ``kind: general`` whose ``receiver`` is a client of
``kind: external`` → warning at ``receiver``. Partners (who pass the result on to the end
consumer, and who are often paid or supplied under general promises) and internal clients (a
team or employee) are not reported.

Fix: if the promise gives the client a value, make it ``kind: root`` and name the ``value``;
otherwise it is a promise to a team: name that team as ``receiver``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Client

DOC_RU = """Общее обещание — внутреннее: его не дают внешнему клиенту.

Общее обещание дают команда, роль или партнёр команде внутри компании, и оно не связано с
выполнением корневых обещаний получателя (ответ совета на запросы, дата выплаты зарплаты).
Обещание внешнему клиенту — о ценности, которую клиент получает, то есть это корневое обещание:
оно называет ценность, его дающая команда представлена в совете, его учитывают все правила о
клиенте. Записанное как общее, оно выпадает из всего этого.

Источник (R-07, R-05, руководство «О клиентократии», глоссарий): «Общее обещание – обещание,
которое получают от команды, роли или партнёра, не связанное напрямую с выполнением своих
корневых обещаний»; «Корневое обещание – даётся клиенту в отношении ценности для клиента».
Смысл: общее обещание получает (от команды, роли или партнёра) тот, у кого есть свои корневые
обещания, то есть команда или роль внутри компании; а то, что дают клиенту в отношении
ценности для него, — корневое обещание.

Как проверяется: обещание с ``kind: general``, у которого ``receiver`` — клиент с
``kind: external``, → предупреждение у ``receiver``. Партнёры (они передают результат конечному
потребителю, и им часто платят или поставляют по общим обещаниям) и внутренние клиенты
(команда или сотрудник) не отмечаются.

Исправление: если обещание даёт клиенту ценность, сделайте его корневым (``kind: root``) и
укажите ``value``; иначе это обещание команде — укажите эту команду в ``receiver``.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    for promise in ctx.org.promises:
        if promise.promise_kind != "general" or promise.receiver is None:
            continue
        client = promise.receiver.target
        if isinstance(client, Client) and client.client_kind == "external":
            yield Finding(promise.source, ("receiver",), "external",
                          {"client": client.id})


RULE = Rule(
    code="KK246",
    slug="general-promise-to-client",
    severity=Severity.WARNING,
    profile="recommended",
    step=5,
    source="R-07, R-05",
    summary={"en": "A general promise goes to a team inside, not to an external client.",
             "ru": "Общее обещание получает команда внутри компании, а не внешний клиент."},
    messages={
        "external": {
            "en": "a general promise is internal (a team or role receives it), but this one "
                  "goes to external client '{client}': if it gives the client a value, make it "
                  "kind: root and name the value:, otherwise name the team that receives it",
            "ru": "общее обещание — внутреннее (его получает команда или роль), а это дано "
                  "внешнему клиенту '{client}': если оно даёт клиенту ценность, сделайте его "
                  "корневым (kind: root) и укажите value:, иначе укажите в receiver команду, "
                  "которая его получает",
        },
    },
    check=check,
    passing=("""
promises:
  - id: p-pay-couriers
    kind: general
    giver: concept
    receiver: couriers
    text: Every courier invoice is paid within five days
    condition: if the invoice lists the deliveries
    metrics: [m-answer-days]
    authorities: [a-pricing]
""",),
    failing=("""
promises:
  - id: p-council
    kind: general
    giver: council
    receiver: shoppers
    text: The council answers a shopper's letter within a week
    metrics: [m-answer-days]
    authorities: [a-council-answers]
""",),
)
