"""The evolutionary goal is stated, in one short sentence.

The evolutionary goal (эволюционная цель) is the change in the world the company wants to
help bring about: the reference point every team uses when it decides under uncertainty,
designs a new product or settles a conflict between units. A goal nobody can repeat from
memory guides nobody, so it must be short.

Source (R-25, guide «О клиентократии», glossary «Эволюционная цель»): «результат изменения в
мире, появлению которого хочет поспособствовать компания … Краткая формулировка, раскрывающая
смысл существования организации в долгосрочном периоде». Meaning: the result of a change in the
world the company wants to contribute to; a short statement of why the organisation exists in
the long run.

How it is checked: ``organisation.evolutionary_goal`` is present; it is at most ``max_length``
characters long; and it is one sentence — a sentence end (``.``, ``!``, ``?`` or ``…``)
followed by more text that starts a new sentence (a capital letter or a digit) counts as a
second sentence, except after a one-letter word (initials such as «Ю. Кривенко»). "Short" and
"one sentence" are kkctl's reading of «краткая формулировка»; the limit is an option.

Options: ``max_length`` (default 200 characters).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """Эволюционная цель сформулирована одной короткой фразой.

Эволюционная цель — это изменение в мире, которому компания хочет поспособствовать: ориентир, по
которому сверяется каждая команда, когда принимает решение в условиях неопределённости,
проектирует новый продукт или разрешает конфликт между подразделениями. Цель, которую никто не
может повторить по памяти, никого не ведёт, поэтому она должна быть короткой.

Источник (R-25, руководство «О клиентократии», глоссарий, «Эволюционная цель»): «результат
изменения в мире, появлению которого хочет поспособствовать компания … Краткая формулировка,
раскрывающая смысл существования организации в долгосрочном периоде». Смысл: результат изменения
в мире, которому компания хочет поспособствовать; краткая формулировка того, зачем организация
существует в долгосрочной перспективе.

Как проверяется: ``organisation.evolutionary_goal`` задана; её длина не больше ``max_length``
символов; и это одно предложение: конец предложения (``.``, ``!``, ``?`` или ``…``), за которым
идёт текст, начинающийся как новое предложение (с заглавной буквы или цифры), считается вторым
предложением, кроме случая после однобуквенного слова (инициалы, например «Ю. Кривенко»).
«Короткая» и «одно предложение» — так kkctl понимает «краткая формулировка»; предел задаётся
настройкой.

Настройки: ``max_length`` (по умолчанию 200 символов).
"""

DEFAULT_MAX_LENGTH = 200
# A sentence end, closing quotes or brackets, space, then the start of a new sentence.
_SENTENCE_END = re.compile(
    r"(\w*)[.!?…]+[\"'»”’)\]]*\s+(?=[\"'«“‘(\[—–-]?\s*[A-ZА-ЯЁ0-9])")


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    settings = ctx.org.settings
    if settings.source is None:
        return
    goal = settings.evolutionary_goal
    if goal is None or not goal.strip():
        yield Finding(settings.source, ("organisation",), "missing", at_key=True)
        return
    here = ("organisation", "evolutionary_goal")
    limit = _max_length(options.get("max_length"))
    text = " ".join(goal.split())
    if len(text) > limit:
        yield Finding(settings.source, here, "too_long", {"length": len(text), "max": limit})
    sentences = 1 + sum(1 for match in _SENTENCE_END.finditer(text)
                        if len(match.group(1)) != 1)
    if sentences > 1:
        yield Finding(settings.source, here, "sentences", {"count": sentences})


def _max_length(raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0:
        return raw
    return DEFAULT_MAX_LENGTH


RULE = Rule(
    code="KK229",
    slug="evolutionary-goal",
    severity=Severity.WARNING,
    profile="recommended",
    step=9,
    source="R-25",
    summary={"en": "The evolutionary goal is stated in one short sentence.",
             "ru": "Эволюционная цель сформулирована одной короткой фразой."},
    messages={
        "missing": {
            "en": "the organisation has no evolutionary goal: state in one short sentence the "
                  "change in the world the company wants to help bring about "
                  "(organisation.evolutionary_goal)",
            "ru": "у организации нет эволюционной цели: сформулируйте одной короткой фразой "
                  "изменение в мире, которому хочет поспособствовать компания "
                  "(organisation.evolutionary_goal)",
        },
        "too_long": {
            "en": "the evolutionary goal is {length} characters long (at most {max}): it is a "
                  "short statement every team can repeat from memory; shorten it",
            "ru": "эволюционная цель длиной {length} символов (не больше {max}): это краткая "
                  "формулировка, которую любая команда помнит наизусть; сократите её",
        },
        "sentences": {
            "en": "the evolutionary goal has {count} sentences: state it as one short "
                  "sentence, and move explanations to a comment",
            "ru": "эволюционная цель состоит из нескольких предложений ({count}): "
                  "сформулируйте её одной короткой фразой, а пояснения перенесите "
                  "в комментарий",
        },
    },
    check=check,
    options={"max_length": DEFAULT_MAX_LENGTH},
    passing=("""
organisation:
  evolutionary_goal: Healthy food within everyone's reach.
""",),
    failing=("""
organisation:
  evolutionary_goal: Healthy food within everyone's reach. We open a shop in every district.
""", """
organisation:
  evolutionary_goal: >-
    Healthy, fresh and affordable food within a short walk of every home in every city and
    town of the country, delivered by autonomous teams that keep their promises to families,
    to farmers and to each other, whatever the season and whatever the weather
"""),
)
