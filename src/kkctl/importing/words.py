"""The words of what an import writes for people to read (IMPORTED.md, the comments of the
files it creates), in English and Russian. Messages printed on the terminal are in
:mod:`kkctl.messages` like every other command's."""

from __future__ import annotations

from kkctl.messages import fill

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "kkctl_comment": "Imported with 'kkctl import {kind} {source}' on {date}: see "
                         "IMPORTED.md. Everything below is yours to edit.",
        "council_comment": "The GitHub organisation's admins, as a council holding its admin "
                           "rights. Written once by kkctl import: yours from now on.",
        "council_name": "Council of managers",
        "after_import": "after the import",
        "title": "# How this organisation was imported",
        "intro": "`kkctl import {kind}` read `{source}` on {date}: {people} "
                 "{people#person|people}, {teams} {teams#team|teams}.",
        "where_title": "## What came from where",
        "people_line": "* `{file}`: people (ids transliterated from names or taken from "
                       "logins; a person keeps their id on every later import).",
        "teams_line": "* `{file}`: teams with their leader, members and parent team.",
        "council_line": "* `{file}`: the organisation's admins as the council of managers and "
                        "the authorities they hold (written once, never updated).",
        "leaders_staff": "Leaders: the member of each department its staff name as manager "
                         "most often. Check them.",
        "leaders_backstage": "Backstage records no team leaders: the first member of each "
                             "group was written as its leader. Correct them in `{file}`.",
        "leaders_peribolos": "Leaders: the first maintainer of each team (the first member "
                             "where a team has no maintainer). Check them.",
        "again": "Run the same import again to bring people, teams and memberships up to "
                 "date: a person who left gets `to:` on their memberships, nobody is deleted, "
                 "and nothing else in the project is touched (comments included). "
                 "`--dry-run` shows the change first.",
        "problems_title": "## Problems found in the source",
        "no_problems": "None.",
        "todo_title": "## What to add by hand",
        "todo": "The source knows who works where; clientocracy starts from the client. "
                "Describe, step by step:\n\n"
                "1. the external clients (`clients:`), their needs and pains;\n"
                "2. the values they choose by (`values:`), the key value and a strategy canvas;\n"
                "3. the root promises to the client and the internal promises between teams, "
                "each with metrics and the authorities that back it;\n"
                "4. the council of managers, the teams' success indicators and economics;\n"
                "5. reward schemes from profit, the evolutionary goal and hypotheses.\n\n"
                "`kkctl status` shows where the organisation stands and what to describe next; "
                "`kkctl lint` checks the steps already taken.",
    },
    "ru": {
        "kkctl_comment": "Импортировано командой 'kkctl import {kind} {source}' {date}: см. "
                         "IMPORTED.md. Всё ниже можно править.",
        "council_comment": "Администраторы организации GitHub как совет управляющих с их "
                           "полномочиями. Записано kkctl import один раз: дальше правьте сами.",
        "council_name": "Совет управляющих",
        "after_import": "после импорта",
        "title": "# Как импортирована эта организация",
        "intro": "`kkctl import {kind}` прочитал `{source}` {date}: {people} "
                 "{people#сотрудник|сотрудника|сотрудников}, {teams} "
                 "{teams#команда|команды|команд}.",
        "where_title": "## Что откуда взято",
        "people_line": "* `{file}`: сотрудники (id — транслитерация ФИО или логин; при "
                       "повторном импорте id сотрудника не меняется).",
        "teams_line": "* `{file}`: команды с лидером, участниками и вышестоящей командой.",
        "council_line": "* `{file}`: администраторы организации как совет управляющих и их "
                        "полномочия (записаны один раз и больше не обновляются).",
        "leaders_staff": "Лидеры: сотрудник подразделения, которого его сотрудники чаще всего "
                         "называют руководителем. Проверьте их.",
        "leaders_backstage": "В Backstage нет лидеров команд: лидером записан первый участник "
                             "каждой группы. Исправьте их в `{file}`.",
        "leaders_peribolos": "Лидеры: первый maintainer каждой команды (первый участник, если "
                             "maintainer нет). Проверьте их.",
        "again": "Повторите тот же импорт, чтобы обновить сотрудников, команды и членство: "
                 "у ушедшего сотрудника в членстве появится `to:`, никто не удаляется, а "
                 "остальное в проекте (и комментарии) не трогается. `--dry-run` сначала "
                 "покажет изменения.",
        "problems_title": "## Проблемы в источнике",
        "no_problems": "Нет.",
        "todo_title": "## Что добавить вручную",
        "todo": "Источник знает, кто где работает; клиентократия начинается с клиента. "
                "Опишите по шагам:\n\n"
                "1. внешних клиентов (`clients:`), их потребности и боли;\n"
                "2. ценности, по которым они выбирают (`values:`), ключевую ценность и "
                "стратегическую канву;\n"
                "3. корневые обещания клиенту и внутренние обещания между командами, у каждого "
                "метрики и обеспечивающие его полномочия;\n"
                "4. совет управляющих, метрики успешности и экономику команд;\n"
                "5. вознаграждение от прибыли, эволюционную цель и гипотезы.\n\n"
                "`kkctl status` покажет, где находится организация и что описать дальше; "
                "`kkctl lint` проверит уже пройденные шаги.",
    },
}


def word(key: str, lang: str, **args: object) -> str:
    table = WORDS.get(lang, WORDS["en"])
    return fill(table[key], lang, args)
