"""An autonomous team has its own economics and resources.

An autonomous team decides within its function without asking anyone. For that it needs not
only authorities but resources: an agreed economics (what counts as its income and expenses)
and money it may spend on its own, i.e. an authority with a budget.

Source (R-15, guide «О клиентократии», glossary): «Автономная команда - это команда имеющая все
необходимые полномочия и ресурсы». Meaning: an autonomous team is one that has all the
authorities and resources it needs.

How it is checked: every team has an ``economics`` block and holds (as ``holder``) at least one
authority with a ``budget`` greater than zero. Authorities held by the team's members do not
count: they are the members', not the team's. Whether the authorities are *sufficient* cannot
be decided mechanically; the promise rules check that each promise is backed.

A strict-profile rule: a young organisation may well run teams without budgets for a while.

Fix: agree the team's ``economics`` and give it an authority with ``budget:``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Authority

DOC_RU = """У автономной команды есть своя экономика и свои ресурсы.

Автономная команда принимает решения в пределах своей функции, ни у кого не спрашивая. Для этого
ей нужны не только полномочия, но и ресурсы: согласованная экономика (что считается её доходами
и расходами) и деньги, которые она может тратить сама, то есть полномочие с бюджетом.

Источник (R-15, руководство «О клиентократии», глоссарий): «Автономная команда - это команда
имеющая все необходимые полномочия и ресурсы». Смысл: автономная команда — та, у которой есть
все нужные ей полномочия и ресурсы.

Как проверяется: у каждой команды есть блок ``economics``, и она держит (как ``holder``) хотя бы
одно полномочие с ``budget`` больше нуля. Полномочия членов команды не засчитываются: они
принадлежат членам, а не команде. Достаточно ли полномочий, механически решить нельзя; то, что
каждое обещание подкреплено, проверяют правила обещаний.

Правило строгого профиля: молодая организация вполне может какое-то время работать с командами
без бюджетов.

Исправление: согласуйте экономику команды (``economics``) и дайте ей полномочие с ``budget:``.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    by_holder = ctx.authorities_by_holder
    for team in ctx.org.teams:
        funded = _funded(by_holder.get(team.id, ()))
        if team.economics is None and not funded:
            yield Finding(team.source, (), "neither")
        elif team.economics is None:
            yield Finding(team.source, (), "no_economics")
        elif not funded:
            yield Finding(team.source, (), "no_budget")


def _funded(authorities: Iterable[Authority]) -> bool:
    """Does one of the authorities come with a positive budget?"""
    for authority in authorities:  # noqa: SIM110 - per team; any(generator) takes twice as long
        if authority.budget is not None and authority.budget > 0:
            return True
    return False


RULE = Rule(
    code="KK218",
    slug="autonomous-team",
    severity=Severity.WARNING,
    profile="strict",
    step=7,
    source="R-15",
    summary={"en": "A team has economics and holds an authority with a budget.",
             "ru": "У команды есть экономика и полномочие с бюджетом."},
    messages={
        "no_budget": {
            "en": "the team holds no authority with a budget: an autonomous team has all the "
                  "authorities and resources it needs; give it an authority with budget:",
            "ru": "у команды нет полномочий с бюджетом: автономная команда имеет все "
                  "необходимые полномочия и ресурсы; дайте ей полномочие с budget:",
        },
        "no_economics": {
            "en": "the team has no economics: an autonomous team has the resources it needs "
                  "and sees what they cost; agree its economics: {{income, expenses}}",
            "ru": "у команды нет экономики: автономная команда имеет необходимые ресурсы и "
                  "видит, во что они обходятся; договоритесь о её economics: "
                  "{{income, expenses}}",
        },
        "neither": {
            "en": "the team has no economics and holds no authority with a budget, so it is "
                  "not autonomous: an autonomous team has all the authorities and resources "
                  "it needs; agree its economics: and give it an authority with budget:",
            "ru": "у команды нет ни экономики, ни полномочий с бюджетом, поэтому она не "
                  "автономна: автономная команда имеет все необходимые полномочия и ресурсы; "
                  "договоритесь о её economics: и дайте ей полномочие с budget:",
        },
    },
    check=check,
    passing=("""
authorities:
  - {id: a-assortment, scope: choose the everyday basket, holder: shops, budget: 10000}
""",),
    failing=("""
authorities:
  - {id: a-write-off, scope: write off stale stock, holder: shops}
""", """
teams:
  - id: concept
    name: Unified concept
    type: concept
    leader: cid
    members: [cid, eve]
    success_indicator: m-customers
"""),
)
