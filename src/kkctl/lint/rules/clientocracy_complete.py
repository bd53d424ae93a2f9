"""The five elements of a clientocracy are all present.

A structure is a clientocracy only when it has all five elements at once; any four of them are
something else (a promise system without a council is a tool, a council without a key value is
a board). This rule checks that each element exists at all; other rules check each one in
depth.

Source (R-24, guide «О клиентократии», stated twice — main text and glossary «Клиентократия»):
«Клиентократичной является такая структура управления, которая одновременно включает следующие
элементы и условия: систему обещаний с наделением исполнителей всеми необходимыми полномочиями
для их выполнения; систему вознаграждения, направленная на обеспечение для клиента всё большей
ценности; выделение ключевой ценности; совет управляющих; управление единой концепцией, которое
создаёт ключевую ценность для клиента, осуществляет внутреннюю и внешнюю коммуникацию, а также
отвечает за доступность по цене». Meaning: a clientocratic structure includes, at the same
time, (1) a promise system whose givers hold the authorities they need, (2) a reward system
aimed at ever more value for the client, (3) a key value, (4) a council of managers, (5)
unified-concept management that creates the key value, runs internal and external
communication and answers for price accessibility.

How it is checked, one finding per missing element, at ``organisation`` in kkctl.yaml:
(1) at least one promise lists ``authorities``; (2) at least one ``reward_schemes`` entry;
(5) a team of ``type: concept`` holds authorities with the scopes ``concept.communication`` and
``concept.pricing``. An empty organisation is reported too: it is not clientocratic yet. The
other two elements have rules of their own, which report them once, at the step of adoption
they belong to: (3) a missing ``organisation.key_value`` is reported by key-value (KK224,
step 4), (4) an organisation with teams but no council at all by council-composition (KK214;
a unit council alone counts, see R-19).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Organisation

DOC_RU = """Все пять элементов клиентократии на месте.

Структура является клиентократией, только если в ней одновременно есть все пять элементов; любые
четыре из них — это что-то другое (система обещаний без совета — просто инструмент, совет без
ключевой ценности — обычное правление). Это правило проверяет, что каждый элемент вообще есть;
глубже каждый из них проверяют другие правила.

Источник (R-24, руководство «О клиентократии», сказано дважды — в основном тексте и в глоссарии,
«Клиентократия»): «Клиентократичной является такая структура управления, которая одновременно
включает следующие элементы и условия: систему обещаний с наделением исполнителей всеми
необходимыми полномочиями для их выполнения; систему вознаграждения, направленная на обеспечение
для клиента всё большей ценности; выделение ключевой ценности; совет управляющих; управление
единой концепцией, которое создаёт ключевую ценность для клиента, осуществляет внутреннюю и
внешнюю коммуникацию, а также отвечает за доступность по цене». Смысл: клиентократичная
структура одновременно включает (1) систему обещаний, в которой у дающих обещания есть все
нужные им полномочия, (2) систему вознаграждения, нацеленную на всё большую ценность для
клиента, (3) ключевую ценность, (4) совет управляющих, (5) управление единой концепцией, которое
создаёт ключевую ценность, ведёт внутреннюю и внешнюю коммуникацию и отвечает за доступность по
цене.

Как проверяется, по замечанию на каждый недостающий элемент, у ``organisation`` в kkctl.yaml:
(1) хотя бы одно обещание перечисляет ``authorities``; (2) есть хотя бы одна запись в
``reward_schemes``; (5) команда с ``type: concept`` держит полномочия с областями
``concept.communication`` и ``concept.pricing``. Пустая организация тоже отмечается: она ещё не
клиентократична. Для двух других элементов есть свои правила, и они сообщают о них один раз, на
том шаге внедрения, к которому элемент относится: (3) отсутствие ``organisation.key_value`` —
правило key-value (KK224, шаг 4), (4) организацию с командами, но без единого совета, —
council-composition (KK214; засчитывается и один лишь совет подразделения, см. R-19).
"""

CONCEPT_SCOPES = ("concept.communication", "concept.pricing")


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    org = ctx.org
    source = org.settings.source
    if source is None:
        return
    here = ("organisation",)
    if not any(promise.authorities for promise in org.promises):
        yield Finding(source, here, "no_promise_system", at_key=True)
    if not org.reward_schemes:
        yield Finding(source, here, "no_reward", at_key=True)
    # (3) the key value and (4) the council: KK224 and KK214 report them, once
    concept_teams = [team for team in org.teams if team.type == "concept"]
    if not concept_teams:
        yield Finding(source, here, "no_concept_team", at_key=True)
        return
    held = _scopes_held(org, {team.id for team in concept_teams})
    best: tuple[int, str, list[str]] | None = None
    for team in concept_teams:
        missing = [scope for scope in CONCEPT_SCOPES if scope not in held[team.id]]
        if not missing:
            return
        if best is None or len(missing) < best[0]:
            best = (len(missing), team.id, missing)
    if best is not None:
        yield Finding(source, here, "concept_scopes", at_key=True,
                      args={"team": best[1], "scopes": ", ".join(best[2])})


def _scopes_held(org: Organisation, holders: set[str]) -> dict[str, set[str]]:
    """Holder id -> scopes of the authorities it holds, for these holders only: a pass over
    the authorities, cheaper than ``LintContext.authorities_by_holder`` for one or two teams
    when no other rule needs that."""
    held: dict[str, set[str]] = {holder: set() for holder in holders}
    for authority in org.authorities:
        holder = authority.holder
        if holder is not None and holder.id in held:
            held[holder.id].add(authority.scope.strip())
    return held


RULE = Rule(
    code="KK228",
    slug="clientocracy-complete",
    severity=Severity.ERROR,
    profile="recommended",
    step=8,
    source="R-24",
    summary={"en": "All five elements of a clientocracy are present (the key value: KK224, "
                   "the council: KK214).",
             "ru": "Есть все пять элементов клиентократии (ключевая ценность — KK224, совет — "
                   "KK214)."},
    messages={
        "no_promise_system": {
            "en": "no promise lists its authorities: a clientocracy needs a promise system "
                  "whose givers hold all the authorities they need; give promises "
                  "authorities: [...]",
            "ru": "ни у одного обещания не указаны полномочия: клиентократии нужна система "
                  "обещаний с наделением исполнителей всеми необходимыми полномочиями; "
                  "укажите обещаниям authorities: [...]",
        },
        "no_reward": {
            "en": "no reward scheme: a clientocracy needs a reward system aimed at ever more "
                  "value for the client; add reward_schemes (20% of net profit is the usual "
                  "standard)",
            "ru": "нет ни одной системы вознаграждения: клиентократии нужна система "
                  "вознаграждения, направленная на всё большую ценность для клиента; добавьте "
                  "reward_schemes (устоявшийся стандарт — 20% от чистой прибыли)",
        },
        "no_concept_team": {
            "en": "no unified-concept management: a clientocracy needs a team of type: "
                  "concept that creates the key value, runs internal and external "
                  "communication and answers for price accessibility (authorities "
                  "concept.communication and concept.pricing)",
            "ru": "нет управления единой концепцией: клиентократии нужна команда с type: "
                  "concept, которая создаёт ключевую ценность, ведёт внутреннюю и внешнюю "
                  "коммуникацию и отвечает за доступность по цене (полномочия "
                  "concept.communication и concept.pricing)",
        },
        "concept_scopes": {
            "en": "unified-concept management is incomplete: team '{team}' (type: concept) "
                  "holds no authority with scope {scopes}; give it that authority "
                  "(holder: {team})",
            "ru": "управление единой концепцией неполное: у команды '{team}' (type: concept) "
                  "нет полномочий со scope {scopes}; передайте ей эти полномочия "
                  "(holder: {team})",
        },
    },
    check=check,
    passing=("""
teams:
  - id: concept
    name: Unified concept
    type: concept
    leader: cid
    members: [cid, eve]
    success_indicator: m-customers
    economics: {income: [brand fee], expenses: [marketing]}
""",),
    failing=("""
authorities:
  - {id: a-pricing, scope: concept.pricing, holder: shops}
""", """
teams:
  - id: concept
    name: Unified concept
    type: supporting
    leader: cid
    members: [cid, eve]
    success_indicator: m-customers
    economics: {income: [brand fee], expenses: [marketing]}
"""),
)
