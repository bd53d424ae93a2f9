"""A root promise is given to a client about a client value.

Root promises are where the promise system starts: a team promises the client a result in
terms of something the client values. A "root" promise to another team is a supporting or
general promise in disguise; one that names no value cannot be traced to the strategy canvas,
so nobody can tell which value it delivers.

Source (R-05, guide «О клиентократии», glossary): «Корневое обещание – даётся клиенту в
отношении ценности для клиента». Meaning: a root promise is given to the client, about a value
for the client.

How it is checked: a promise of ``kind: root`` has a ``receiver`` that is a client of kind
``external`` or ``partner``, and sets ``value``. A client of kind ``internal`` (заказчик:
another team of the company) is accepted only inside a unit's scope: when the giver is a unit
council, or some unit council's ``unit`` is the giver or the giver's ``parent`` team (a unit
council's members give root promises to the unit's client). Unresolved references are left to
validation.

Fix: point ``receiver`` at the client and ``value`` at the client value the promise delivers;
if the promise really helps another team keep its root promise, make it ``kind: supporting``
with ``supports``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Client, Council, Promise, Team

DOC_RU = """Корневое обещание даётся клиенту в отношении ценности для клиента.

С корневых обещаний начинается система обещаний: команда обещает клиенту результат в понятиях
того, что клиент ценит. «Корневое» обещание другой команде — это замаскированное поддерживающее
или общее обещание; а обещание, в котором не названа ценность, нельзя связать со стратегической
канвой, и никто не скажет, какую ценность оно создаёт.

Источник (R-05, руководство «О клиентократии», глоссарий): «Корневое обещание – даётся клиенту в
отношении ценности для клиента». Смысл: корневое обещание даётся клиенту и касается ценности для
клиента.

Как проверяется: у обещания с ``kind: root`` получатель ``receiver`` — клиент вида ``external``
или ``partner``, и задано ``value``. Клиент вида ``internal`` (заказчик: другая команда компании)
допускается только в пределах подразделения: когда дающий — совет подразделения или когда ``unit``
какого-либо совета подразделения — это сам дающий или его родительская команда ``parent``
(участники совета подразделения дают корневые обещания клиенту подразделения). Неразрешённые
ссылки оставлены валидации.

Исправление: укажите в ``receiver`` клиента, а в ``value`` — ценность для клиента, которую создаёт
обещание; если обещание на самом деле помогает другой команде выполнить её корневое обещание,
сделайте его ``kind: supporting`` с ``supports``.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    units: set[str] | None = None
    for promise in ctx.org.promises:
        if promise.promise_kind != "root":
            continue
        if promise.value is None:
            yield Finding(promise.source, (), "no_value", {})
        receiver = promise.receiver.target if promise.receiver is not None else None
        if receiver is None:
            continue
        if not isinstance(receiver, Client):
            yield Finding(promise.source, ("receiver",), "not_client",
                          {"receiver": receiver.id,
                           "kind": {"en": receiver.kind, "ru": _RU_KIND.get(receiver.kind,
                                                                             receiver.kind)}})
        elif receiver.client_kind == "internal":
            if units is None:
                units = {c.unit.id for c in ctx.unit_councils if c.unit is not None}
            if not _inside_unit(promise, units):
                yield Finding(promise.source, ("receiver",), "internal",
                              {"receiver": receiver.id})


_RU_KIND = {"team": "команда", "council": "совет", "person": "сотрудник"}


def _inside_unit(promise: Promise, units: set[str]) -> bool:
    giver = promise.giver.target if promise.giver is not None else None
    if isinstance(giver, Council):
        return giver.council_kind == "unit"
    if isinstance(giver, Team):
        if giver.id in units:
            return True
        return giver.parent is not None and giver.parent.id in units
    return False


RULE = Rule(
    code="KK208",
    slug="root-promise-to-client",
    severity=Severity.ERROR,
    profile="minimal",
    step=5,
    source="R-05",
    summary={"en": "A root promise is given to a client and names the client value it delivers.",
             "ru": "Корневое обещание даётся клиенту и называет ценность для клиента."},
    messages={
        "no_value": {
            "en": "a root promise is given to the client about a client value, but this one "
                  "sets no value; add value: <the value from the strategy canvas it delivers>",
            "ru": "корневое обещание даётся клиенту в отношении ценности для клиента, а у "
                  "этого не указана value; добавьте value: <ценность со стратегической канвы, "
                  "которую оно даёт>",
        },
        "not_client": {
            "en": "a root promise is given to a client, but '{receiver}' is a {kind}; point "
                  "receiver at the client, or make the promise kind: supporting (with "
                  "supports) or kind: general",
            "ru": "корневое обещание даётся клиенту, а '{receiver}' — {kind}; укажите в "
                  "receiver клиента или сделайте обещание поддерживающим (kind: supporting, "
                  "с supports) или общим (kind: general)",
        },
        "internal": {
            "en": "'{receiver}' is an internal client (another team of the company); a root "
                  "promise goes to an internal client only within a unit that has a unit "
                  "council; give it to the external client or a partner, or make it "
                  "kind: supporting",
            "ru": "'{receiver}' — внутренний клиент (заказчик); корневое обещание внутреннему "
                  "клиенту даётся только внутри подразделения с советом подразделения; дайте "
                  "его внешнему клиенту или партнёру либо сделайте обещание поддерживающим "
                  "(kind: supporting)",
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
""", """
clients:
  - {id: shop-staff, name: Shop staff, kind: internal, team: shops}
values:
  - {id: fast-answers, name: Fast answers, client: shop-staff}
teams:
  - id: helpdesk
    name: Helpdesk
    type: supporting
    parent: concept
    leader: eve
    members: [eve]
    success_indicator: m-customers
    economics: {income: [service fee], expenses: [phones]}
councils:
  - id: concept-council
    name: Concept unit council
    kind: unit
    unit: concept
    members: [{person: cid, role: leader}, {person: eve, role: representative}]
promises:
  - id: p-helpdesk
    kind: root
    giver: helpdesk
    receiver: shop-staff
    value: fast-answers
    text: Every shop question is answered within an hour
    metrics: [m-answer-days]
    authorities: [a-helpdesk]
authorities:
  - {id: a-helpdesk, scope: answer shop questions, holder: helpdesk}
"""),
    failing=("""
promises:
  - id: p-price
    kind: root
    giver: concept
    receiver: shops
    value: price
    text: Our basket costs no more than the city average
    metrics: [m-customers]
    authorities: [a-pricing]
""", """
promises:
  - id: p-price
    kind: root
    giver: concept
    receiver: shoppers
    text: Our basket costs no more than the city average
    metrics: [m-customers]
    authorities: [a-pricing]
""", """
clients:
  - {id: shop-staff, name: Shop staff, kind: internal, team: shops}
promises:
  - id: p-price
    kind: root
    giver: concept
    receiver: shop-staff
    value: price
    text: Our basket costs no more than the city average
    metrics: [m-customers]
    authorities: [a-pricing]
"""),
)
