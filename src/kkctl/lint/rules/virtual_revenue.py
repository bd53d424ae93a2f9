"""Virtual revenue is credited only where the team's economics agrees it.

Virtual revenue (виртуальная выручка) is revenue that someone else brings and the team credits
to itself, such as the kitchen's internal price for meals the shops sell. It exists only in the
internal settlements and moves no money, so it is legitimate only as an agreement written into
the team's economics; a figure credited without one inflates the team's profit and its bonus.

Source (R-30, guide «О клиентократии», glossary): виртуальная выручка «существует только во
внутренних взаиморасчётах и не связана с реальным движением денежных средств». Meaning: virtual
revenue exists only in internal settlements and is not linked to any real movement of money.

How it is checked: a period that credits a non-zero ``virtual_revenue`` to a team (``periods[]
.teams.<team>.virtual_revenue``) whose ``economics`` has no ``virtual_revenue`` list (or an
empty one) → warning at that figure. Periods naming an unknown team are left to validation.

Fix: write the agreement into the team's economics (``economics.virtual_revenue: ["15 % of
every project fee, credited from Plant Delivery"]``), or remove the figure.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Team

DOC_RU = """Виртуальная выручка засчитывается, только если это предусмотрено экономикой команды.

Виртуальная выручка — выручка, которую приносит кто-то другой, а команда засчитывает себе:
например, внутренняя цена кухни за блюда, которые продают магазины. Она существует только во
внутренних взаиморасчётах и не двигает денег, поэтому законна лишь как договорённость, записанная
в экономику команды; сумма, засчитанная без такой договорённости, раздувает прибыль команды и её
бонус.

Источник (R-30, руководство «О клиентократии», глоссарий): виртуальная выручка «существует только
во внутренних взаиморасчётах и не связана с реальным движением денежных средств». Смысл:
виртуальная выручка существует только во внутренних расчётах и не связана ни с каким реальным
движением денег.

Как проверяется: период, в котором команде засчитана ненулевая ``virtual_revenue``
(``periods[].teams.<team>.virtual_revenue``), при том что в ``economics`` команды нет списка
``virtual_revenue`` (или он пуст), → предупреждение у этой суммы. Периоды, где указана неизвестная
команда, оставлены валидации.

Исправление: запишите договорённость в экономику команды
(``economics.virtual_revenue: ["15 % of every project fee, credited from Plant Delivery"]``) или
удалите сумму.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    for period in ctx.org.periods:
        for team_id, figures in period.teams.items():
            if figures.virtual_revenue == 0:
                continue
            team = ctx.org.get(team_id)
            if not isinstance(team, Team):
                continue
            if team.economics is not None and team.economics.get("virtual_revenue"):
                continue
            yield Finding(period.source, ("teams", team_id, "virtual_revenue"), "unagreed",
                          {"team": team_id, "amount": str(figures.virtual_revenue),
                           "where": ctx.where(team.source, "economics")})


RULE = Rule(
    code="KK234",
    slug="virtual-revenue",
    severity=Severity.WARNING,
    profile="recommended",
    step=7,
    source="R-30",
    summary={"en": "Virtual revenue is credited only to teams whose economics agrees it.",
             "ru": "Виртуальная выручка засчитывается только командам, в чьей экономике она "
                   "согласована."},
    messages={
        "unagreed": {
            "en": "virtual revenue {amount} is credited to team '{team}', whose economics "
                  "({where}) has no virtual_revenue agreement: virtual revenue must be agreed "
                  "in the team's economics and exists only in internal settlements; add "
                  "economics.virtual_revenue: [who brings it and how it is counted]",
            "ru": "команде '{team}' засчитана виртуальная выручка {amount}, но в её экономике "
                  "({where}) нет договорённости virtual_revenue: виртуальная выручка должна "
                  "быть согласована в экономике команды и существует только во внутренних "
                  "взаиморасчётах; добавьте economics.virtual_revenue: [кто её приносит и как "
                  "она считается]",
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
    success_indicator: m-fresh-sales
    economics:
      income: [sales]
      expenses: [rent, stock]
      virtual_revenue: [online orders picked from the shops' stock, at the internal price]
periods:
  - id: 2026-q1
    start: 2026-01-01
    end: 2026-03-31
    net_profit: 1000000.00
    teams:
      shops: {income: 900000.00, expenses: 400000.00, virtual_revenue: 120000.00}
""",),
    failing=("""
periods:
  - id: 2026-q1
    start: 2026-01-01
    end: 2026-03-31
    net_profit: 1000000.00
    teams:
      shops: {income: 900000.00, expenses: 400000.00, virtual_revenue: 120000.00}
""",),
)
