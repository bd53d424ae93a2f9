"""A unit council consists of value creators who share one reward.

A unit council (совет подразделения) coordinates a unit and takes its strategic decisions. It
is made of the people who create value for the unit's client, rewarded together for the whole
unit's result; someone who promises the client nothing, or is rewarded on a different basis,
pulls the council away from the client.

Source (R-14, guide «О клиентократии», glossary): «Совет подразделения состоит из создателей
ценности … которые дают корневые обещания клиенту подразделения, и имеющие одинаковую для всех
его членов систему мотивирующего вознаграждения на общий результат всей команды». Meaning: a
unit council consists of value creators who give root promises to the unit's client, with one
identical reward system for all members, on the common result of the whole team.

How it is checked, for every council of ``kind: unit``:

* every member gives at least one root promise to a client of the unit (the ``clients`` of
  the team named by ``unit:``), either directly or through a team they are a member or the
  leader of. If the unit team lists no clients, or ``unit:`` does not resolve, this part is
  skipped;
* the council has ``reward:``, the one scheme all its members share.

Fix: take onto the council the people who give the unit's root promises, and give it a
reward scheme.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Team

DOC_RU = """Совет подразделения состоит из создателей ценности с общим вознаграждением.

Совет подразделения координирует работу подразделения и принимает его стратегические решения. В
него входят люди, которые создают ценность для клиента подразделения и вознаграждаются вместе за
результат всего подразделения; тот, кто ничего не обещает клиенту или вознаграждается на другой
основе, уводит совет от клиента.

Источник (R-14, руководство «О клиентократии», глоссарий): «Совет подразделения состоит из
создателей ценности … которые дают корневые обещания клиенту подразделения, и имеющие одинаковую
для всех его членов систему мотивирующего вознаграждения на общий результат всей команды». Смысл:
совет подразделения состоит из создателей ценности, которые дают корневые обещания клиенту
подразделения и имеют одну на всех систему вознаграждения за общий результат всей команды.

Как проверяется — для каждого совета с ``kind: unit``:

* каждый участник даёт хотя бы одно корневое обещание клиенту подразделения (одному из ``clients``
  команды, названной в ``unit:``) — сам или через команду, участником или лидером которой он
  является. Если у команды подразделения не указаны клиенты или ``unit:`` ни на что не ссылается,
  эта часть пропускается;
* у совета есть ``reward:`` — единая система вознаграждения для всех его участников.

Исправление: включите в совет людей, которые дают корневые обещания подразделения, и назначьте
совету систему вознаграждения.
"""

_NONE: frozenset[str] = frozenset()

def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    councils = ctx.unit_councils
    if not councils:
        return
    receivers: dict[str, set[str]] = defaultdict(set)  # giver -> receivers of its root promises
    for promise in ctx.org.promises:
        if promise.promise_kind == "root" and promise.giver is not None \
                and promise.receiver is not None:
            receivers[promise.giver.id].add(promise.receiver.id)
    for council in councils:
        unit = council.unit.target if council.unit is not None else None
        clients = ([ref.id for ref in unit.clients if ref.target is not None]
                   if isinstance(unit, Team) else [])
        if isinstance(unit, Team) and clients:
            wanted = set(clients)
            for member in council.members:
                person = member.person
                if person.target is None:
                    continue
                actors = [person.id, *(t.id for t in ctx.teams_of_person.get(person.id, ()))]
                if not any(not receivers.get(a, _NONE).isdisjoint(wanted) for a in actors):
                    yield Finding(council.source, person.sub, "not_value_creator",
                                  {"person": person.id, "unit": unit.id,
                                   "clients": ", ".join(clients)})
        if council.reward is None:
            yield Finding(council.source, ("reward",), "no_reward", {}, at_key=True)


RULE = Rule(
    code="KK217",
    slug="unit-council",
    severity=Severity.WARNING,
    profile="recommended",
    step=6,
    source="R-14",
    summary={"en": "A unit council's members give root promises to the unit's client and "
                   "share one reward.",
             "ru": "Члены совета подразделения дают корневые обещания клиенту подразделения и "
                   "имеют одну систему вознаграждения."},
    messages={
        "not_value_creator": {
            "en": "'{person}' gives no root promise to a client of unit '{unit}' ({clients}), "
                  "neither directly nor through a team: a unit council consists of value "
                  "creators; record the promise they give, or take them off the council",
            "ru": "'{person}' не даёт корневых обещаний клиенту подразделения '{unit}' "
                  "({clients}) ни сам, ни через свою команду: совет подразделения состоит из "
                  "создателей ценности; запишите обещание, которое он даёт, или выведите его "
                  "из совета",
        },
        "no_reward": {
            "en": "the unit council has no reward: its members need one identical reward "
                  "scheme for the common result of the whole unit; set reward: to a scheme",
            "ru": "у совета подразделения нет reward: у его членов должна быть одинаковая "
                  "для всех система мотивирующего вознаграждения на общий результат "
                  "подразделения; укажите схему в reward:",
        },
    },
    check=check,
    passing=("""
teams:
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [ann, dan]
    clients: [shoppers]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent, stock]}
councils:
  - id: shops-council
    name: Shops council
    kind: unit
    unit: shops
    reward: shops-council-bonus
    members: [ann, dan]
reward_schemes:
  - {id: shops-council-bonus, unit: shops-council, base: net_profit, share: 0.20}
""",),
    failing=("""
teams:
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [ann, dan]
    clients: [shoppers]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent, stock]}
councils:
  - id: shops-council
    name: Shops council
    kind: unit
    unit: shops
    reward: shops-council-bonus
    members: [ann, dan, bob]
reward_schemes:
  - {id: shops-council-bonus, unit: shops-council, base: net_profit, share: 0.20}
""", """
teams:
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [ann, dan]
    clients: [shoppers]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent, stock]}
councils:
  - id: shops-council
    name: Shops council
    kind: unit
    unit: shops
    members: [ann, dan]
"""),
)
