"""Every team has a success indicator.

The success indicator (показатель успешности) is the one metric by whose change a team judges
its progress. Without it a team cannot tell whether it is growing, and the council cannot
compare what it asked for with what it got.

Source (R-16, R-17; «9 шагов для создания клиентократии», step 7): «Найти метрику успешности
работы команды. Определить показатели экономики»; guide «О клиентократии»: показатель
успешности — «одна метрика, по изменению которой команда оценивает свой прогресс роста».
Meaning: find the metric of the team's success; it is the one metric by whose change the team
judges its growth.

How it is checked: every team has ``success_indicator:`` (one metric; the schema refuses a
list, and validation reports an id that does not resolve).

Fix: choose the metric with the team and set ``success_indicator:``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """У каждой команды есть показатель успешности.

Показатель успешности — одна метрика, по изменению которой команда оценивает свой прогресс. Без
него команда не может понять, растёт ли она, а совет не может сравнить то, что просил, с тем, что
получил.

Источник (R-16, R-17; «9 шагов для создания клиентократии», шаг 7): «Найти метрику успешности
работы команды. Определить показатели экономики»; руководство «О клиентократии»: показатель
успешности — «одна метрика, по изменению которой команда оценивает свой прогресс роста». Смысл:
нужно найти метрику успешности команды; это одна метрика, по изменению которой команда судит о
своём росте.

Как проверяется: у каждой команды есть ``success_indicator:`` (одна метрика; схема не принимает
список, а ``id``, который ни на что не ссылается, отмечает валидация).

Исправление: выберите метрику вместе с командой и задайте ``success_indicator:``.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    for team in ctx.org.teams:
        if team.success_indicator is None:
            yield Finding(team.source, (), "missing")


RULE = Rule(
    code="KK220",
    slug="team-success-indicator",
    severity=Severity.ERROR,
    profile="recommended",
    step=7,
    source="R-16, R-17",
    summary={"en": "Every team has a success indicator.",
             "ru": "У каждой команды есть показатель успешности."},
    messages={
        "missing": {
            "en": "the team has no success indicator: choose the one metric by whose change "
                  "the team judges its growth and set success_indicator:",
            "ru": "у команды нет показателя успешности: выберите одну метрику, по изменению "
                  "которой команда оценивает свой рост, и укажите её в success_indicator:",
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
teams:
  - id: concept
    name: Unified concept
    type: concept
    leader: cid
    members: [cid, eve]
    economics: {income: [brand fee], expenses: [marketing]}
""",),
)
