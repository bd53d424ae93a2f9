"""The council of managers has one shared reward and no other income inside the company.

The council answers for everything that happens in the company, so its members are rewarded
together for the common result, and by nothing else inside the company: a member paid by a
team's scheme as well would be pulled towards that team's result.

Source (R-12, guide «О клиентократии»): «Совет управляющих имеет единое вознаграждение для всех
его членов за их общий результат и отсутствием любых других доходов внутри компании». Meaning:
the council has one reward for all its members for their common result, and they have no other
income inside the company.

How it is checked, for every council of ``kind: company``:

* the council has ``reward:`` naming a reward scheme whose ``unit`` is that council (when the
  key is missing and exactly one scheme pays the council, the message names it);
* no other scheme has the council as its ``unit`` (one shared reward);
* the council's scheme is paid from net profit: ``base: team_profit`` is an error, as
  ``kkctl bonus`` refuses it (the council answers for the whole company);
* no council member appears in the ``payouts`` of any other scheme in any period (``split:
  explicit``), unless their membership (``from``/``to``) and the period do not overlap. The
  finding points at that payout entry.

Being a member (often the leader) of a team that has a reward scheme is normal: the bonus
engine leaves council members out of every other scheme, so team membership is not reported.

Fix: set the council's ``reward:`` to its own scheme and remove the other payouts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Council, Member, Period, RewardScheme

DOC_RU = """У совета управляющих одно общее вознаграждение и нет других доходов внутри компании.

Совет отвечает за всё, что происходит в компании, поэтому его члены вознаграждаются вместе за
общий результат и ничем другим внутри компании: член совета, которому платит ещё и система
вознаграждения какой-то команды, будет тянуться к результату этой команды.

Источник (R-12, руководство «О клиентократии»): «Совет управляющих имеет единое вознаграждение
для всех его членов за их общий результат и отсутствием любых других доходов внутри компании».
Смысл: у совета одно вознаграждение для всех его членов за их общий результат, и других доходов
внутри компании у них нет.

Как проверяется, для каждого совета с ``kind: company``:

* у совета есть ``reward:`` со ссылкой на систему вознаграждения, у которой ``unit`` — этот
  совет (если ключа нет, а совету платит ровно одна система, сообщение её называет);
* никакая другая система не указывает этот совет в ``unit`` (одно общее вознаграждение);
* система совета считается от чистой прибыли: ``base: team_profit`` — ошибка, ``kkctl bonus``
  такую схему не считает (совет отвечает за всю компанию);
* ни один член совета не встречается в ``payouts`` какой-либо другой системы ни в одном периоде
  (``split: explicit``), если только его членство (``from``/``to``) и этот период не
  пересекаются. Замечание указывает на эту запись выплаты.

Быть членом (часто лидером) команды, у которой есть своя система вознаграждения, нормально:
механизм расчёта премий исключает членов совета из всех остальных систем, поэтому членство в
команде не отмечается.

Исправление: укажите в ``reward:`` совета его собственную систему и уберите остальные выплаты.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    councils = ctx.company_councils
    for council in councils:
        yield from _scheme(ctx, council)
    yield from _other_payouts(ctx, councils)


def _scheme(ctx: LintContext, council: Council) -> Iterator[Finding]:
    paying = ctx.schemes_by_unit.get(council.id, [])
    ref = council.reward
    if ref is None:
        if len(paying) == 1:
            yield Finding(council.source, ("reward",), "missing_known",
                          {"scheme": paying[0].id, "where": ctx.where(paying[0].source)},
                          at_key=True)
        else:
            yield Finding(council.source, ("reward",), "missing", {}, at_key=True)
        return
    scheme = ref.target
    if not isinstance(scheme, RewardScheme):
        return  # unresolved or of the wrong kind: validation reports it
    if scheme.unit is not None and scheme.unit.target is not None \
            and scheme.unit.id != council.id:
        yield Finding(council.source, ("reward",), "wrong_unit",
                      {"scheme": scheme.id, "unit": scheme.unit.id,
                       "where": ctx.where(scheme.source, "unit")})
    if scheme.base == "team_profit":
        yield Finding(scheme.source, ("base",), "team_profit", {"council": council.id})
    for other in paying:
        if other.id != scheme.id:
            yield Finding(other.source, ("unit",), "second_scheme",
                          {"council": council.id, "scheme": scheme.id,
                           "where": ctx.where(council.source, "reward")})


def _other_payouts(ctx: LintContext, councils: list[Council]) -> Iterator[Finding]:
    seats: dict[str, list[tuple[Member, Council]]] = defaultdict(list)
    own: dict[str, set[str]] = defaultdict(set)  # person -> their councils' schemes
    for council in councils:
        for member in council.members:
            seats[member.person.id].append((member, council))
            if council.reward is not None:
                own[member.person.id].add(council.reward.id)
    if not seats:
        return
    for period in ctx.org.periods:
        for scheme_id, table in period.payouts.items():
            if not isinstance(ctx.org.get(scheme_id), RewardScheme):
                continue
            for person_id in table:
                if scheme_id in own.get(person_id, ()):
                    continue
                for member, council in seats.get(person_id, ()):
                    if _overlaps(member, period):
                        yield Finding(period.source, ("payouts", scheme_id, person_id),
                                      "other_payout",
                                      {"person": person_id, "council": council.id,
                                       "scheme": scheme_id,
                                       "where": ctx.where(council.source, *member.person.sub)},
                                      at_key=True)
                        break


def _overlaps(member: Member, period: Period) -> bool:
    if member.start is not None and period.end is not None and member.start > period.end:
        return False
    return not (member.end is not None and period.start is not None
                and member.end < period.start)


RULE = Rule(
    code="KK215",
    slug="council-reward",
    severity=Severity.ERROR,
    profile="recommended",
    step=8,
    source="R-12",
    summary={"en": "The council has one reward scheme of its own; its members have no other "
                   "payouts inside the company.",
             "ru": "У совета управляющих своя единая система вознаграждения, других выплат "
                   "внутри компании у его членов нет."},
    messages={
        "missing": {
            "en": "the council has no reward: its members need one shared reward for their "
                  "common result; add a reward scheme with unit: this council and set "
                  "reward: to it",
            "ru": "у совета управляющих нет reward: у его членов должно быть единое "
                  "вознаграждение за общий результат; заведите систему вознаграждения с "
                  "unit: этот совет и укажите её в reward:",
        },
        "missing_known": {
            "en": "the council has no reward, yet scheme '{scheme}' ({where}) pays it; set "
                  "reward: {scheme}",
            "ru": "у совета управляющих не указан reward, хотя его вознаграждение описывает "
                  "схема '{scheme}' ({where}); укажите reward: {scheme}",
        },
        "wrong_unit": {
            "en": "reward scheme '{scheme}' pays '{unit}' ({where}), not this council; the "
                  "council needs a scheme of its own (unit: the council)",
            "ru": "система вознаграждения '{scheme}' относится к '{unit}' ({where}), а не к "
                  "этому совету; совету нужна своя схема (unit: совет)",
        },
        "second_scheme": {
            "en": "this scheme also pays council '{council}', whose reward is '{scheme}' "
                  "({where}); the council has one shared reward: remove this scheme or "
                  "merge it into '{scheme}'",
            "ru": "эта схема тоже платит совету '{council}', чьё вознаграждение — "
                  "'{scheme}' ({where}); у совета управляющих единое вознаграждение: удалите "
                  "эту схему или объедините её с '{scheme}'",
        },
        "team_profit": {
            "en": "the council of managers '{council}' answers for the whole company and is "
                  "paid from its net profit: use base: net_profit (kkctl bonus refuses "
                  "team_profit here; it is for a team, or a unit council)",
            "ru": "совет управляющих '{council}' отвечает за всю компанию и получает "
                  "вознаграждение от её чистой прибыли: укажите base: net_profit (kkctl bonus "
                  "не считает такую схему на team_profit; эта база — для команды или совета "
                  "подразделения)",
        },
        "other_payout": {
            "en": "'{person}' sits on council '{council}' ({where}) but is paid here by "
                  "scheme '{scheme}'; council members have one shared reward and no other "
                  "income inside the company: remove this payout",
            "ru": "'{person}' входит в совет управляющих '{council}' ({where}), но получает "
                  "здесь выплату по схеме '{scheme}'; у членов совета единое вознаграждение и "
                  "нет других доходов внутри компании: уберите эту выплату",
        },
    },
    check=check,
    passing=("""
reward_schemes:
  - {id: council-bonus, unit: council, base: net_profit, share: 0.20, split: equal}
  - {id: shops-bonus, unit: shops, base: team_profit, share: 0.20, split: explicit}
teams:
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [ann, dan]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent, stock]}
    reward: shops-bonus
periods:
  - id: 2026-q1
    start: 2026-01-01
    end: 2026-03-31
    net_profit: 1000000.00
    teams:
      shops: {income: 900000.00, expenses: 400000.00}
    payouts:
      shops-bonus: {dan: 100000.00}
""",),
    failing=("""
reward_schemes:
  - {id: council-bonus, unit: council, base: net_profit, share: 0.20, split: equal}
  - {id: shops-bonus, unit: shops, base: team_profit, share: 0.20, split: explicit}
teams:
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [ann, dan]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent, stock]}
    reward: shops-bonus
periods:
  - id: 2026-q1
    start: 2026-01-01
    end: 2026-03-31
    net_profit: 1000000.00
    teams:
      shops: {income: 900000.00, expenses: 400000.00}
    payouts:
      shops-bonus: {ann: 50000.00, dan: 50000.00}
""", """
councils:
  - id: council
    name: Council
    kind: company
    members:
      - {person: ann, role: leader, represents: [shops]}
      - {person: bob, role: ambassador}
      - {person: cid, role: representative, represents: [concept]}
""", """
reward_schemes:
  - {id: council-bonus, unit: shops, base: net_profit, share: 0.20, split: equal}
""", """
reward_schemes:
  - {id: council-bonus, unit: council, base: team_profit, share: 0.20, split: equal}
"""),
)
