"""Reward is a share of profit: the standard is 20 % of net profit.

Financial motivation in clientocracy comes from profit. The methodology's settled standard is
a bonus of 20 % of net profit, though it allows other choices; the council of managers answers
for the whole company, so it is paid from the company's net profit, not from a team's.

Source (R-29, «9 шагов для создания клиентократии», step 8): «финансовая мотивация должна быть
от прибыли … Наш устоявшийся стандарт — 20% от чистой прибыли в виде бонуса команде, но можно и
по-другому»; «Клиентократия: новая модель управления…»: «рекомендуемый стандарт — 20% от
чистой прибыли». Meaning: financial motivation must come from profit; the settled standard is
20 % of net profit as the team's bonus, but it may be done otherwise.

How it is checked: a reward scheme whose ``share`` is not 0.20 → info ("fine if deliberate");
a scheme of a unit council (``unit`` is a council of ``kind: unit``) paid from the company's
net profit → info that a unit council is paid «на общий результат всей команды», its unit's
result (``base: team_profit``: the unit team and every team below it). The council of
managers on ``team_profit`` is an error of ``council-reward``, as ``kkctl bonus`` refuses it.

Fix: nothing, if the choice is deliberate (accept it with ``lint_ignore: [reward-base]``);
otherwise use ``share: 0.20`` and, for a unit council, ``base: team_profit``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.i18n import LANGS, number, percent
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import DEFAULT_SHARE, Council

DOC_RU = """Вознаграждение — доля прибыли: стандарт — 20 % чистой прибыли.

Финансовая мотивация в клиентократии идёт от прибыли. Устоявшийся стандарт методологии — бонус в
размере 20 % чистой прибыли, хотя возможны и другие варианты; совет управляющих отвечает за всю
компанию, поэтому его вознаграждение выплачивается из чистой прибыли компании, а не команды.

Источник (R-29, «9 шагов для создания клиентократии», шаг 8): «финансовая мотивация должна быть от
прибыли … Наш устоявшийся стандарт — 20% от чистой прибыли в виде бонуса команде, но можно и
по-другому»; «Клиентократия: новая модель управления…»: «рекомендуемый стандарт — 20% от чистой
прибыли». Смысл: финансовая мотивация должна идти от прибыли; устоявшийся стандарт — 20 % чистой
прибыли в виде бонуса команде, но можно и иначе.

Как проверяется: система вознаграждения, у которой ``share`` не равно 0.20, → информационное
замечание («нормально, если это сделано осознанно»); система вознаграждения совета
подразделения (``unit`` — совет с ``kind: unit``) от чистой прибыли компании → информационное
замечание: совету подразделения платят «на общий результат всей команды», за результат
подразделения (``base: team_profit`` — команда подразделения и все команды под ней). Совет
управляющих на ``team_profit`` — ошибка правила ``council-reward``: ``kkctl bonus`` такую схему
не считает.

Исправление: ничего, если выбор осознанный (закрепите его через ``lint_ignore: [reward-base]``);
иначе используйте ``share: 0.20``, а для совета подразделения — ``base: team_profit``.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    for scheme in ctx.org.reward_schemes:
        if scheme.share != DEFAULT_SHARE:
            yield Finding(scheme.source, ("share",), "share",
                          {"share": {lang: number(scheme.share, lang) for lang in LANGS},
                           "percent": {lang: percent(scheme.share, lang) for lang in LANGS}})
        unit = scheme.unit.target if scheme.unit is not None else None
        if scheme.base == "net_profit" and isinstance(unit, Council) \
                and unit.council_kind == "unit":
            yield Finding(scheme.source, ("base",), "unit_council_net_profit",
                          {"council": unit.id})


RULE = Rule(
    code="KK233",
    slug="reward-base",
    severity=Severity.INFO,
    profile="recommended",
    step=8,
    source="R-29",
    summary={"en": "A reward scheme departs from the standard 20 % of net profit.",
             "ru": "Система вознаграждения отличается от стандарта — 20 % чистой прибыли."},
    messages={
        "share": {
            "en": "share is {share} ({percent}): the methodology's standard is 20 % of net "
                  "profit; fine if deliberate",
            "ru": "доля {share} ({percent}): устоявшийся стандарт методологии — 20 % от "
                  "чистой прибыли; это нормально, если так решено сознательно",
        },
        "unit_council_net_profit": {
            "en": "the scheme pays unit council '{council}' from the company's net profit, but "
                  "a unit council is paid on its unit's result: base: team_profit pays it on "
                  "the profit of the unit team and every team below it; fine if deliberate",
            "ru": "схема платит совету подразделения '{council}' от чистой прибыли компании, а "
                  "совету подразделения платят за общий результат подразделения: base: "
                  "team_profit — прибыль команды подразделения и всех команд под ней; это "
                  "нормально, если так решено сознательно",
        },
    },
    check=check,
    passing=("""
reward_schemes:
  - {id: council-bonus, unit: council, base: net_profit, share: 0.20, split: equal}
""", """
reward_schemes:
  - {id: council-bonus, unit: council, base: net_profit, split: equal}
"""),
    failing=("""
reward_schemes:
  - {id: council-bonus, unit: council, base: net_profit, share: 0.25, split: equal}
""", """
councils:
  - {id: shops-council, name: Shops council, kind: unit, unit: shops, reward: shops-council-bonus,
     members: [{person: dan, role: leader}]}
reward_schemes:
  - {id: shops-council-bonus, unit: shops-council, base: net_profit, share: 0.20}
"""),
)
