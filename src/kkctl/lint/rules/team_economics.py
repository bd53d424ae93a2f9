"""Every team has its economics: what counts as its income and its expenses.

A team can only see whether the value it creates pays for all the costs of creating it when
it is agreed what counts as its income and what as its expense. Without that, its result is
anyone's guess and a reward on it is arbitrary.

Source (R-16, «9 шагов для создания клиентократии», step 7): «Найти метрику успешности работы
команды. Определить показатели экономики»; guide «О клиентократии»: Экономика —
«договоренности о том, что мы считаем расходом и доходом для единицы организационной
структуры». Meaning: find the team's success metric and define its economic indicators; the
economics is the agreement on what counts as the unit's income and expense.

How it is checked: every team has ``economics`` with a non-empty ``income`` list and a
non-empty ``expenses`` list. A missing block is reported at the team, an incomplete one at
the ``economics`` key (or at the empty list's key).

Fix: write ``economics: {income: [...], expenses: [...]}`` as agreed with the team.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """У каждой команды есть экономика: что считается её доходом и что — расходом.

Команда может увидеть, окупает ли создаваемая ею ценность все затраты на её создание, только если
договорено, что считается её доходом, а что — расходом. Без этого её результат — дело догадок, а
вознаграждение по нему произвольно.

Источник (R-16, «9 шагов для создания клиентократии», шаг 7): «Найти метрику успешности работы
команды. Определить показатели экономики»; руководство «О клиентократии»: Экономика —
«договоренности о том, что мы считаем расходом и доходом для единицы организационной структуры».
Смысл: нужно найти метрику успешности команды и определить показатели экономики; экономика — это
договорённость о том, что считается доходом и расходом единицы структуры.

Как проверяется: у каждой команды есть ``economics`` с непустым списком ``income`` и непустым
списком ``expenses``. Отсутствие блока отмечается у команды, неполный блок — у ключа ``economics``
(или у ключа пустого списка).

Исправление: запишите ``economics: {income: [...], expenses: [...]}`` так, как договорились с
командой.
"""

PARTS = ("income", "expenses")


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    for team in ctx.org.teams:
        if team.economics is None:
            yield Finding(team.source, (), "missing")
            continue
        missing = [part for part in PARTS if not team.economics.get(part)]
        if missing:
            yield Finding(team.source, ("economics", missing[0]), "incomplete",
                          {"missing": ", ".join(missing)}, at_key=True)


RULE = Rule(
    code="KK219",
    slug="team-economics",
    severity=Severity.WARNING,
    profile="recommended",
    step=7,
    source="R-16",
    summary={"en": "A team's economics lists its income and its expenses.",
             "ru": "В экономике команды перечислены её доходы и расходы."},
    messages={
        "missing": {
            "en": "the team has no economics: agree what counts as its income and its "
                  "expenses and write them as economics: {{income: […], expenses: […]}}",
            "ru": "у команды нет экономики: договоритесь, что считается её доходом и "
                  "расходом, и запишите это как economics: {{income: […], expenses: […]}}",
        },
        "incomplete": {
            "en": "economics lists no {missing}: the team must see that the value it creates "
                  "pays for all the costs of creating it; list them",
            "ru": "в economics не перечислены {missing}: команда должна видеть, что созданная "
                  "ею ценность окупает все затраты на её создание; перечислите их",
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
    economics: {income: [sales], expenses: [rent, stock]}
""",),
    failing=("""
teams:
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [ann, dan]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: []}
""", """
teams:
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [ann, dan]
    success_indicator: m-fresh-sales
"""),
)
