"""Every message kkctl prints, in English and Russian.

Messages are looked up by id and formatted with named arguments; a missing translation falls
back to English, a missing id to the id itself, so a message can never crash a run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# No typing at run time: this module is on every start-up (see kkctl.diagnostics).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

LANGS = ("en", "ru")

MESSAGES: dict[str, dict[str, str]] = {
    # reading files
    "encoding.utf8": {
        "en": "invalid UTF-8 (byte {byte}); save the file as UTF-8",
        "ru": "недопустимый байт UTF-8 ({byte}); сохраните файл в кодировке UTF-8",
    },
    "encoding.utf16": {
        "en": "invalid UTF-16 ({reason}); save the file as UTF-8",
        "ru": "недопустимый UTF-16 ({reason}); сохраните файл в кодировке UTF-8",
    },
    "yaml.syntax": {
        "en": "YAML syntax error: {problem}",
        "ru": "ошибка синтаксиса YAML: {problem}",
    },
    "yaml.tab": {
        "en": "YAML syntax error: {problem}; indent with spaces, YAML does not allow tabs there",
        "ru": "ошибка синтаксиса YAML: {problem}; делайте отступы пробелами, табуляция здесь "
              "в YAML запрещена",
    },
    "yaml.multi_document": {
        "en": "a second YAML document ('---'): kkctl reads one document per file; "
              "move it to a file of its own",
        "ru": "второй YAML-документ ('---'): kkctl читает один документ из файла; "
              "перенесите его в отдельный файл",
    },
    "yaml.duplicate_key": {
        "en": "duplicate key '{key}' (first at line {first_line}, column {first_col}); "
              "keep one of them",
        "ru": "повторяющийся ключ '{key}' (первый в строке {first_line}, столбце {first_col}); "
              "оставьте один",
    },
    "yaml.tag": {
        "en": "tag '{tag}' is not allowed: kkctl reads plain YAML data only; remove the tag",
        "ru": "тег '{tag}' не допускается: kkctl читает только простые данные YAML; "
              "уберите тег",
    },
    "yaml.tag_mismatch": {
        "en": "'{text}' is not a valid value for tag '{tag}'",
        "ru": "'{text}' не подходит для тега '{tag}'",
    },
    "yaml.too_deep": {
        "en": "nesting deeper than {limit} levels; a kkctl document is a few levels deep",
        "ru": "вложенность глубже {limit} уровней; документ kkctl имеет лишь несколько уровней",
    },
    "yaml.alias_bomb": {
        "en": "aliases expand to more than {limit} nodes; not expanded (a 'billion laughs' "
              "document?)",
        "ru": "псевдонимы раскрываются более чем в {limit} узлов; раскрытие остановлено "
              "(«billion laughs»?)",
    },
    "yaml.unknown_alias": {
        "en": "alias '*{anchor}' has no anchor '&{anchor}' before it",
        "ru": "у псевдонима '*{anchor}' нет якоря '&{anchor}' выше по тексту",
    },
    "yaml.complex_key": {
        "en": "a mapping key must be a plain value, not a mapping or a list",
        "ru": "ключ должен быть простым значением, а не словарём или списком",
    },
    "yaml.big_int": {
        "en": "an integer of {digits} digits is longer than the {limit} kkctl accepts",
        "ru": "целое число из {digits} цифр длиннее допустимых {limit}",
    },
    "file.root_type": {
        "en": "the top level must be a mapping of collections such as 'teams:', not {found}",
        "ru": "верхний уровень должен быть словарём коллекций, например 'teams:', а не {found}",
    },
    "file.empty": {
        "en": "the file is empty",
        "ru": "файл пуст",
    },
    "file.too_large": {
        "en": "the file is {size} bytes, over the limit of {limit}; raise it with "
              "--max-file-size if this is intended",
        "ru": "файл занимает {size} байт, больше предела {limit}; если так и задумано, "
              "увеличьте предел опцией --max-file-size",
    },
    "file.unreadable": {
        "en": "cannot read the file: {reason}",
        "ru": "не удаётся прочитать файл: {reason}",
    },
    "file.symlink_outside": {
        "en": "symbolic link leads outside the project ({target}); not followed",
        "ru": "символическая ссылка ведёт за пределы проекта ({target}); не читается",
    },
    "file.foreign": {
        "en": "this looks like {what} ({evidence}), not a kkctl file: kkctl reads every .yaml "
              "and .yml file below kkctl.yaml; {exclude}",
        "ru": "похоже, это {what} ({evidence}), а не файл kkctl: kkctl читает все файлы .yaml "
              "и .yml ниже kkctl.yaml; {exclude}",
    },
    "file.not_kkctl": {
        "en": "this does not look like a kkctl file: its top-level keys ({keys}) are not "
              "kkctl collections such as 'people:', 'teams:' or 'promises:'; {exclude}",
        "ru": "похоже, это не файл kkctl: его ключи верхнего уровня ({keys}) не являются "
              "коллекциями kkctl, такими как 'people:', 'teams:' или 'promises:'; {exclude}",
    },
    "file.exclude_add": {
        "en": "if it is not part of the organisation, leave it out by adding this line to "
              "kkctl.yaml: exclude: [{pattern}]",
        "ru": "если он не относится к организации, исключите его, добавив в kkctl.yaml строку: "
              "exclude: [{pattern}]",
    },
    "file.exclude_extend": {
        "en": "if it is not part of the organisation, leave it out by adding {pattern} to the "
              "'exclude:' list in kkctl.yaml",
        "ru": "если он не относится к организации, исключите его, добавив {pattern} в список "
              "'exclude:' в kkctl.yaml",
    },
    "file.exclude_single": {
        "en": "give kkctl a project folder (with kkctl.yaml) or an organisation file",
        "ru": "укажите kkctl папку проекта (с kkctl.yaml) или файл организации",
    },
    "file.exclude_outside": {
        "en": "exclude pattern '{pattern}' points outside the project; ignored",
        "ru": "шаблон exclude '{pattern}' указывает за пределы проекта; пропущен",
    },
    # kkctl fmt
    "fmt.cannot_format": {
        "en": "cannot format: {reason}; the file is left as it is, 'kkctl validate' shows "
              "the problem",
        "ru": "не удаётся отформатировать: {reason}; файл оставлен как есть, 'kkctl validate' "
              "покажет, в чём дело",
    },
    # reading files a pull request controls (kkctl.safeio)
    "file.exclude_invalid": {
        "en": "exclude pattern '{pattern}' is not a valid glob ({reason}); ignored: fix it "
              "(a backslash makes '[' or '\\' literal)",
        "ru": "шаблон exclude '{pattern}' некорректен ({reason}); пропущен: исправьте его "
              "(обратная косая черта делает '[' или '\\' обычным символом)",
    },
    "file.folder_too_deep": {
        "en": "folders nested deeper than {limit} levels are not read; an organisation is a few "
              "levels deep: flatten it, or add the folder to 'exclude:' in kkctl.yaml",
        "ru": "папки глубже {limit} уровней не читаются; организации хватает нескольких "
              "уровней: сократите вложенность или добавьте папку в 'exclude:' в kkctl.yaml",
    },
    "file.folder_unreadable": {
        "en": "the folder cannot be read ({reason}); its files were not checked: make it "
              "readable, or add it to 'exclude:' in kkctl.yaml",
        "ru": "папка не читается ({reason}); её файлы не проверены: откройте к ней доступ "
              "или добавьте её в 'exclude:' в kkctl.yaml",
    },
    "file.link_outside": {
        "en": "the path leads outside the project through a symbolic link ({target}); kkctl "
              "does not read it: replace the link with the file itself",
        "ru": "путь ведёт за пределы проекта через символическую ссылку ({target}); kkctl его "
              "не читает: замените ссылку самим файлом",
    },
    "file.not_regular": {
        "en": "this is {kind}, not a regular file; kkctl reads regular files only: replace it "
              "with a file, rename it, or remove it",
        "ru": "это {kind}, а не обычный файл; kkctl читает только обычные файлы: замените его "
              "файлом, переименуйте или удалите",
    },
    "file.over_limit": {
        "en": "the file is {size} bytes, over kkctl's limit of {limit} for it; delete it and "
              "let kkctl write it again",
        "ru": "файл занимает {size} байт, больше предела kkctl {limit} для него; удалите его, "
              "и kkctl запишет его заново",
    },
    # schema
    "schema.required": {
        "en": "missing required field '{field}'",
        "ru": "не хватает обязательного поля '{field}'",
    },
    "schema.unknown_field": {
        "en": "unknown field '{field}'{hint}",
        "ru": "неизвестное поле '{field}'{hint}",
    },
    "schema.unknown_collection": {
        "en": "unknown collection '{field}'{hint}; if this file is not part of the "
              "organisation, add it to 'exclude:' in kkctl.yaml",
        "ru": "неизвестная коллекция '{field}'{hint}; если файл не относится к организации, "
              "добавьте его в 'exclude:' в kkctl.yaml",
    },
    "schema.settings_outside": {
        "en": "'{field}' is a project setting: it belongs in kkctl.yaml, not in an entity file",
        "ru": "'{field}' — настройка проекта: ей место в kkctl.yaml, а не в файле сущностей",
    },
    "schema.type": {
        "en": "{field} is {actual}{shown}, expected {expected}{fix}",
        "ru": "{field} — {actual}{shown}, а ожидается {expected}{fix}",
    },
    "schema.enum": {
        "en": "'{value}' is not one of: {allowed}{hint}",
        "ru": "'{value}' не из списка допустимых: {allowed}{hint}",
    },
    "schema.id": {
        "en": "'{value}' is not a valid id: use lower-case ASCII letters, digits, '.', '_' "
              "and '-', starting with a letter or digit",
        "ru": "'{value}' не годится как id: используйте строчные латинские буквы, цифры, "
              "'.', '_' и '-', начиная с буквы или цифры",
    },
    "schema.money": {
        "en": "{value} is not an amount: write at most 15 digits with an optional '.' "
              "fraction, e.g. 1250000.50",
        "ru": "{value} — не сумма: пишите не больше 15 цифр с необязательной дробной частью "
              "через '.', например 1250000.50",
    },
    "schema.negative_amount": {
        "en": "{value} is a negative amount: a payout, a paid amount or a budget cannot be "
              "below zero; write the amount without '-' (a loss belongs in the period's "
              "figures, not in what a person is paid)",
        "ru": "{value} — отрицательная сумма: выплата, выплаченная сумма или бюджет не могут "
              "быть меньше нуля; напишите сумму без '-' (убыток указывают в показателях "
              "периода, а не в выплате сотруднику)",
    },
    "schema.date": {
        "en": "{value} is not a date: write YYYY-MM-DD",
        "ru": "{value} — не дата: пишите ГГГГ-ММ-ДД",
    },
    "schema.version": {
        "en": "unsupported format version {value}: this kkctl reads format 1",
        "ru": "неподдерживаемая версия формата {value}: эта версия kkctl читает формат 1",
    },
    "schema.empty": {
        "en": "must not be empty",
        "ru": "не должно быть пустым",
    },
    "schema.range": {
        "en": "{value} is out of range: {detail}",
        "ru": "{value} вне допустимого диапазона: {detail}",
    },
    "schema.other": {
        "en": "{detail}",
        "ru": "{detail}",
    },
    # references and ids
    "ref.missing": {
        "en": "{field} '{ref}' is not {expected}: no entity has this id{hint}",
        "ru": "{field} '{ref}' не является {expected}: сущности с таким id нет{hint}",
    },
    "ref.wrong_kind": {
        "en": "{field} '{ref}' is not {expected}: it is {actual}",
        "ru": "{field} '{ref}' не является {expected}: это {actual}",
    },
    "ref.did_you_mean": {
        "en": " (did you mean '{candidate}'?)",
        "ru": " (может быть, '{candidate}'?)",
    },
    "ref.did_you_mean_code": {
        "en": " (did you mean '{candidate}' ({label})?)",
        "ru": " (может быть, '{candidate}' ({label})?)",
    },
    "id.duplicate": {
        "en": "id '{id}' is already used by {other} at {where}; ids are unique across the "
              "whole organisation",
        "ru": "id '{id}' уже занят: {other} в {where}; id уникальны во всей организации",
    },
    "id.duplicate_local": {
        "en": "id '{id}' appears twice in this {scope} (first at {where})",
        "ru": "id '{id}' встречается дважды в {scope} (впервые в {where})",
    },
    "date.invalid": {
        "en": "'{value}' is not a real date ({reason})",
        "ru": "'{value}' — несуществующая дата ({reason})",
    },
    "period.reversed": {
        "en": "period starts ({start}) after it ends ({end})",
        "ru": "период начинается ({start}) позже, чем заканчивается ({end})",
    },
    "membership.reversed": {
        "en": "membership starts ({start}) after it ends ({end})",
        "ru": "членство начинается ({start}) позже, чем заканчивается ({end})",
    },
    "canvas.unknown_factor": {
        "en": "offering '{offering}' scores '{value}', which is not a factor of this canvas",
        "ru": "предложение '{offering}' оценивает '{value}', которого нет среди факторов канвы",
    },
    # lint
    "lint.unknown_rule": {
        "en": "no lint rule '{name}'{hint}; 'kkctl lint --list-rules' lists them",
        "ru": "правила '{name}' нет{hint}; список правил: 'kkctl lint --list-rules'",
    },
    "lint.unknown_rule_comment": {
        "en": "'# kkctl: ignore[...]' names no lint rule '{name}'{hint}, so it suppresses "
              "nothing: correct the name or remove it; 'kkctl lint --list-rules' lists them",
        "ru": "'# kkctl: ignore[...]' называет несуществующее правило '{name}'{hint} и ничего "
              "не подавляет: исправьте имя или удалите его; список правил: "
              "'kkctl lint --list-rules'",
    },
    "lint.unknown_rule_ignore": {
        "en": "lint_ignore names no lint rule '{name}'{hint}, so it suppresses nothing: "
              "correct the name or remove it; 'kkctl lint --list-rules' lists them",
        "ru": "lint_ignore называет несуществующее правило '{name}'{hint} и ничего не "
              "подавляет: исправьте имя или удалите его; список правил: "
              "'kkctl lint --list-rules'",
    },
    # bonus
    "bonus.unknown_period": {
        "en": "no period '{period}'{hint}; known periods: {known}",
        "ru": "периода '{period}' нет{hint}; известные периоды: {known}",
    },
    "bonus.unknown_scheme": {
        "en": "no reward scheme '{scheme}'{hint}; known schemes: {known}",
        "ru": "системы вознаграждения '{scheme}' нет{hint}; известные схемы: {known}",
    },
    "bonus.and_more": {
        "en": "{shown} and {count} more",
        "ru": "{shown} и ещё {count}",
    },
    "bonus.xlsx_needs_out": {
        "en": "-f xlsx writes a binary workbook: give --out FILE.xlsx (it is never written to "
              "a terminal)",
        "ru": "-f xlsx записывает двоичную книгу Excel: укажите --out ФАЙЛ.xlsx (в терминал "
              "она не выводится)",
    },
    "bonus.overlap": {
        "en": "period starts {start}, before '{other}' ends ({end}, {where}); periods must not "
              "overlap",
        "ru": "период начинается {start}, раньше, чем заканчивается '{other}' ({end}, {where}); "
              "периоды не должны пересекаться",
    },
    "bonus.team_profit_unit": {
        "en": "the council of managers answers for the whole company and is paid from its net "
              "profit: use base: net_profit (base: team_profit is for a team, or for a unit "
              "council, paid on its unit's result)",
        "ru": "совет управляющих отвечает за всю компанию и получает вознаграждение от её "
              "чистой прибыли: укажите base: net_profit (base: team_profit — для команды или "
              "для совета подразделения, которому платят от результата подразделения)",
    },
    "bonus.over_cap": {
        "en": "{period}: all schemes together pay {paid}, {share} of the net profit of {profit},"
              " over the company's cap of {cap} (bonus.cap): lower a share or raise the cap",
        "ru": "{period}: все схемы вместе выплачивают {paid} — {share} чистой прибыли {profit},"
              " больше предела компании {cap} (bonus.cap): уменьшите долю или поднимите предел",
    },
    "bonus.teams_exceed_profit": {
        "en": "{period}: the teams' recorded cash result (income − expenses, without virtual "
              "revenue) is {cash}, more than the company's net profit of {profit}; both hold "
              "only if teams without figures and company-wide costs lost {gap}: check the "
              "figures",
        "ru": "{period}: денежный результат команд (доходы − расходы, без виртуальной "
              "выручки) — {cash}, больше чистой прибыли компании {profit}; так бывает, только "
              "если команды без данных и общие расходы компании дали убыток {gap}: проверьте "
              "цифры",
    },
    "bonus.membership_outside": {
        "en": "membership of '{person}' ({start} – {end}) overlaps no period; check the dates "
              "(fine for someone who joins later)",
        "ru": "членство '{person}' ({start} – {end}) не пересекается ни с одним периодом; "
              "проверьте даты (так бывает у тех, кто придёт позже)",
    },
    "bonus.explicit_missing": {
        "en": "scheme '{scheme}' splits explicitly but this period has no payouts for it "
              "({paid} to distribute)",
        "ru": "схема '{scheme}' распределяется явно (explicit), но в периоде нет payouts для неё "
              "(к распределению {paid})",
    },
    "bonus.explicit_sum": {
        "en": "payouts of '{scheme}' add up to {total}, but {paid} is to be paid: difference "
              "{difference}",
        "ru": "выплаты по '{scheme}' в сумме {total}, а распределить нужно {paid}: разница "
              "{difference}",
    },
    "bonus.not_minor": {
        "en": "{amount} is finer than the minor unit of {currency}",
        "ru": "{amount} точнее минимальной единицы валюты {currency}",
    },
    "bonus.council_paid_twice": {
        "en": "'{person}' is a member of the council and may be paid only by the council's "
              "scheme, not by '{scheme}'",
        "ru": "'{person}' — член совета управляющих и может получать вознаграждение только по "
              "схеме совета, не по '{scheme}'",
    },
    "bonus.explicit_outsider": {
        "en": "'{person}' is paid by '{scheme}' but is not a member of its unit during period "
              "'{period}'",
        "ru": "'{person}' получает выплату по '{scheme}', но не состоит в её команде в период "
              "'{period}'",
    },
    "bonus.nobody": {
        "en": "scheme '{scheme}' has nobody eligible in period '{period}'; its pool stays "
              "undistributed",
        "ru": "в схеме '{scheme}' в периоде '{period}' некому платить; пул остаётся "
              "нераспределённым",
    },
    "bonus.verify_mismatch": {
        "en": "'{person}' was paid {recorded} by '{scheme}', but the figures now give "
              "{computed} (difference {difference}): the history changed after the period "
              "was paid",
        "ru": "'{person}' получил {recorded} по '{scheme}', а по текущим данным выходит "
              "{computed} (разница {difference}): история изменена после выплаты",
    },
    "bonus.verified": {
        "en": "{count} closed {count#period reproduces|periods reproduce} what was paid",
        "ru": "все закрытые периоды ({count}) воспроизводят выплаченное",
    },
    "bonus.no_periods": {
        "en": "no periods with figures: add 'periods' with start, end and net_profit",
        "ru": "нет периодов с данными: добавьте 'periods' с start, end и net_profit",
    },
    "bonus.nothing_to_verify": {
        "en": "nothing to verify: no period records what was paid. Once a period is paid, "
              "record it in that period as 'paid: {{scheme: {{person: amount}}}}'; from then "
              "on 'kkctl bonus --verify' checks that the figures still give exactly that",
        "ru": "проверять нечего: ни в одном периоде не записано, что выплачено. Когда период "
              "выплачен, запишите это в нём: 'paid: {{схема: {{сотрудник: сумма}}}}'; с этого "
              "момента 'kkctl bonus --verify' проверяет, что данные дают ровно эти суммы",
    },
    "bonus.verify_total_changed": {
        "en": "'{scheme}' paid {recorded} in all, but the figures now give {computed} "
              "(difference {difference}): its base, {base_label}, is now {base}, and {share} "
              "of it is {part}{steps}; each person's difference follows",
        "ru": "по '{scheme}' выплачено всего {recorded}, а по текущим данным выходит {computed} "
              "(разница {difference}): база ({base_label}) теперь {base}, {share} от неё — "
              "{part}{steps}; ниже разница по каждому сотруднику",
    },
    "bonus.verify_steps": {
        "en": "; then {steps}",
        "ru": "; далее {steps}",
    },
    "bonus.step_carried_in": {"en": "loss carried in {amount}",
                              "ru": "перенесённый убыток {amount}"},
    "bonus.step_offset": {"en": "loss paid off {amount}", "ru": "погашено убытка {amount}"},
    "bonus.step_charged": {"en": "loss taken from the deposit {amount}",
                           "ru": "убыток покрыт из депозита: {amount}"},
    "bonus.step_withheld": {"en": "withheld to the deposit {amount}",
                            "ru": "удержано в депозит {amount}"},
    "bonus.step_released": {"en": "released from the deposit {amount}",
                            "ru": "выплачено из депозита {amount}"},
    "bonus.verify_split_changed": {
        "en": "'{scheme}' still pays {paid} in all, as recorded: what changed is the split "
              "among people (memberships, weights, days or explicit payouts)",
        "ru": "по '{scheme}' выходит та же сумма, что выплачена, — {paid}: изменилось "
              "распределение между сотрудниками (состав, веса, дни или явные выплаты)",
    },
    "bonus.verify_scheme_gone": {
        "en": "'{scheme}' paid {recorded} in all, but no such scheme is computed now (removed, "
              "renamed, or its unit changed)",
        "ru": "по '{scheme}' выплачено всего {recorded}, но такой схемы теперь нет (удалена, "
              "переименована или изменилась её команда)",
    },
    # summary and run
    "summary.clean": {
        "en": "no problems in {files}",
        "ru": "проблем нет, {files}",
    },
    "summary.found": {
        "en": "{counts} in {files}",
        "ru": "{counts}, {files}",
    },
    "summary.baselined": {
        "en": " ({count} more accepted by the baseline)",
        "ru": " (ещё {count} принято базовой линией)",
    },
    # lint output at scale (kkctl.reporters)
    "output.more": {
        "en": "{code} {slug}: {count} more{examples}; all of them: "
              "'kkctl lint --select {code} --max-per-rule 0'",
        "ru": "{code} {slug}: ещё {count}{examples}; показать все: "
              "'kkctl lint --select {code} --max-per-rule 0'",
    },
    "output.examples": {"en": " (e.g. {names})", "ru": " (например, {names})"},
    "output.all_about": {"en": " (all about {name})", "ru": " (все — {name})"},
    "output.explain": {
        "en": "what a rule checks and how to fix its findings: 'kkctl explain {code}' "
              "(the most frequent rule here; any code works)",
        "ru": "что проверяет правило и как исправить находки: 'kkctl explain {code}' "
              "(самое частое правило здесь; подойдёт любой код)",
    },
    "output.github_rest": {
        "en": "the annotations show {shown} of {total} findings, the most important first "
              "(GitHub shows at most 10 of each severity); all of them: upload "
              "'kkctl {command} -f sarif --output kkctl.sarif' to code scanning, or read "
              "the text output of 'kkctl {command}' (--output FILE keeps it)",
        "ru": "в аннотациях {shown} из {total} находок, сначала самые важные (GitHub "
              "показывает не больше 10 на каждый уровень); все — в отчёте SARIF для "
              "сканирования кода ('kkctl {command} -f sarif --output kkctl.sarif') или в "
              "текстовом выводе 'kkctl {command}' (--output ФАЙЛ сохранит его)",
    },
    "output.code_help": {
        "en": "Each finding's message says what to do. Every diagnostic code: {uri}",
        "ru": "Что делать, говорит сообщение каждой находки. Все коды диагностики: {uri}",
    },
    "statistics.count": {"en": "count", "ru": "число"},
    "statistics.code": {"en": "code", "ru": "код"},
    "statistics.rule": {"en": "rule", "ru": "правило"},
    "statistics.severity": {"en": "severity", "ru": "уровень"},
    "statistics.total": {"en": "total", "ru": "всего"},
    # user templates (kkctl report --template) and the paths report and init write to
    "template.no_folder": {
        "en": "--template '{folder}': no such folder; give the folder holding your "
              "report.md.j2 (or leave --template out for the shipped templates)",
        "ru": "--template '{folder}': такой папки нет; укажите папку с вашим report.md.j2 "
              "(или уберите --template, чтобы взять встроенные шаблоны)",
    },
    "template.not_folder": {
        "en": "--template '{folder}' is a file; give the folder that holds it",
        "ru": "--template '{folder}' — это файл; укажите папку, в которой он лежит",
    },
    "template.error": {
        "en": "template error: {error}; fix the template",
        "ru": "ошибка в шаблоне: {error}; исправьте шаблон",
    },
    "template.recursion": {
        "en": "the template recurses without end (a macro that calls itself, or a template "
              "that includes itself); give the recursion a stop",
        "ru": "шаблон бесконечно вызывает сам себя (макрос вызывает сам себя или шаблон "
              "включает сам себя); добавьте условие остановки",
    },
    "template.output_too_large": {
        "en": "the template's output passed {limit}, kkctl's limit; render less (look for a "
              "loop that repeats too often)",
        "ru": "вывод шаблона превысил предел kkctl в {limit}; выводите меньше (проверьте "
              "циклы, которые повторяются слишком часто)",
    },
    "template.value_too_long": {
        "en": "'{operator}' would build a string or list over {limit}, kkctl's limit; use "
              "smaller operands",
        "ru": "'{operator}' даст строку или список больше {limit} — предела kkctl; возьмите "
              "операнды поменьше",
    },
    "template.number_too_large": {
        "en": "'{operator}' would build a number of more than {bits} bits, kkctl's limit; "
              "use smaller numbers",
        "ru": "'{operator}' даст число длиннее {bits} бит — предела kkctl; возьмите числа "
              "поменьше",
    },
    "template.too_slow": {
        "en": "the template ran for more than {seconds} s and was stopped; simplify its loops "
              "(or allow more time with {variable}=SECONDS)",
        "ru": "шаблон работал дольше {seconds} с и был остановлен; упростите его циклы "
              "(или дайте больше времени: {variable}=СЕКУНДЫ)",
    },
    "template.memory": {
        "en": "the template needed more than {limit} of memory and was stopped; build "
              "smaller strings and lists",
        "ru": "шаблону понадобилось больше {limit} памяти, и он был остановлен; стройте "
              "строки и списки поменьше",
    },
    "output.is_folder": {
        "en": "{option} '{path}' is a folder; give a file name, such as '{example}'",
        "ru": "{option} '{path}' — это папка; укажите имя файла, например '{example}'",
    },
    "output.no_folder": {
        "en": "{option} '{path}': the folder '{folder}' does not exist; create it first or "
              "choose another path",
        "ru": "{option} '{path}': папки '{folder}' нет; сначала создайте её или выберите "
              "другой путь",
    },
    "output.not_folder": {
        "en": "{option} '{path}' is a file, not a folder; give a folder (it is created if "
              "missing)",
        "ru": "{option} '{path}' — это файл, а не папка; укажите папку (её создадут, если "
              "её нет)",
    },
    "output.blocked": {
        "en": "{option} '{path}': '{blocker}' is a file where a folder is needed; move it "
              "away or choose another path",
        "ru": "{option} '{path}': '{blocker}' — файл там, где нужна папка; уберите его или "
              "выберите другой путь",
    },
    "os.path_error": {
        "en": "cannot use '{file}': {reason}; check the path and its permissions",
        "ru": "не удаётся использовать '{file}': {reason}; проверьте путь и права доступа",
    },
    "os.error": {
        "en": "the system refused: {reason}; check free space and permissions",
        "ru": "система отказала: {reason}; проверьте свободное место и права доступа",
    },
    # usage errors (exit code 2)
    "usage.no_path": {
        "en": "path '{path}' does not exist",
        "ru": "пути '{path}' нет",
    },
    "usage.no_project_file": {
        "en": "'{path}' has no kkctl.yaml; pass the project folder, its kkctl.yaml, or a "
              "single organisation file",
        "ru": "в '{path}' нет kkctl.yaml; укажите папку проекта, её kkctl.yaml или один файл "
              "организации",
    },
    "usage.no_project": {
        "en": "no kkctl.yaml in this folder or any folder above it; pass PATH or run the "
              "command inside a kkctl project",
        "ru": "ни в этой папке, ни выше нет kkctl.yaml; укажите путь к проекту или запустите "
              "команду внутри проекта kkctl",
    },
    "usage.statistics_format": {
        "en": "--statistics prints text or json, not {format}: use -f text or -f json",
        "ru": "--statistics выводит text или json, а не {format}: укажите -f text или -f json",
    },
    "usage.check_needs_out": {
        "en": "--check needs --out FILE: the report to compare with",
        "ru": "для --check нужен --out ФАЙЛ: отчёт, с которым сравнивать",
    },
    "usage.paths_and_revisions": {
        "en": "--paths compares two folders: give no revisions with it",
        "ru": "--paths сравнивает две папки: ревизии с ним не указывают",
    },
    "diff.fail_on": {
        "en": "the change introduces {what} (--fail-on {level}): fix them as the findings "
              "say, or accept a lint finding on purpose with '# kkctl: ignore[CODE] reason' "
              "on its line",
        "ru": "изменение вносит новые находки: {what} (--fail-on {level}); исправьте их, как "
              "сказано в находках, или примите находку линтера осознанно комментарием "
              "'# kkctl: ignore[КОД] причина' в её строке",
    },
    "usage.too_many_revisions": {
        "en": "at most two revisions: BASE and HEAD",
        "ru": "ревизий не больше двух: BASE и HEAD",
    },
    "usage.no_code": {
        "en": "no diagnostic code or lint rule '{name}'{hint}; 'kkctl lint --list-rules' lists "
              "the rules, docs/diagnostics.md every code",
        "ru": "кода диагностики или правила '{name}' нет{hint}; список правил: "
              "'kkctl lint --list-rules', все коды: docs/diagnostics.md",
    },
    "usage.no_rule": {
        "en": "no lint rule '{name}'{hint}; 'kkctl lint --list-rules' lists them",
        "ru": "правила '{name}' нет{hint}; список правил: 'kkctl lint --list-rules'",
    },
    "usage.init_exists": {
        "en": "not overwriting what is already there: {names}",
        "ru": "уже существующее не перезаписывается: {names}",
    },
    "usage.own_file": {
        "en": "'{path}' is one of the organisation's own files; write the output somewhere else",
        "ru": "'{path}' — один из файлов самой организации; запишите результат в другое место",
    },
    "write.failed": {
        "en": "cannot write '{path}': {reason}",
        "ru": "не удаётся записать '{path}': {reason}",
    },
    "write.link_outside": {
        "en": "'{path}' is a symbolic link to '{target}', outside '{base}'; kkctl does not write "
              "through it: remove the link or write to another file",
        "ru": "'{path}' — символическая ссылка на '{target}' за пределами '{base}'; kkctl не "
              "пишет через неё: удалите ссылку или запишите в другой файл",
    },
    "write.folder": {
        "en": "'{path}' is a folder; give a file name to write to",
        "ru": "'{path}' — папка; укажите имя файла для записи",
    },
    "write.not_regular": {
        "en": "'{path}' is not a regular file (a device, pipe or socket); give the name of a "
              "regular file to write to",
        "ru": "'{path}' — не обычный файл (устройство, канал или сокет); укажите обычный файл "
              "для записи",
    },
    "write.read_only": {
        "en": "'{path}' is read-only (mode {mode}); make it writable (chmod u+w '{path}') if "
              "it should change, or leave it out",
        "ru": "'{path}' только для чтения (права {mode}); разрешите запись (chmod u+w "
              "'{path}'), если он должен измениться, или не трогайте его",
    },
    "write.folder_blocked": {
        "en": "cannot write '{path}': cannot create a file in folder '{folder}': {reason}; make "
              "the folder writable (chmod u+w '{folder}') or run the command where it may write",
        "ru": "не удаётся записать '{path}': в папке '{folder}' нельзя создать файл: {reason}; "
              "разрешите запись в папку (chmod u+w '{folder}') или запустите команду там, где "
              "запись разрешена",
    },
    # what commands say when they are done
    "fmt.unreadable": {
        "en": "ruamel.yaml cannot read it ({problem})",
        "ru": "ruamel.yaml не может его прочитать ({problem})",
    },
    "fmt.does_not_parse": {
        "en": "{problem}",
        "ru": "{problem}",
    },
    "fmt.would_change_data": {
        "en": "formatting would change the data (a YAML construct ruamel.yaml cannot "
              "round-trip)",
        "ru": "форматирование изменило бы данные (конструкция YAML, которую ruamel.yaml не "
              "воспроизводит)",
    },
    "fmt.would_lose_comment": {
        "en": "formatting would lose a comment (one attached to a directive or a lone scalar)",
        "ru": "форматирование потеряло бы комментарий (при директиве или одиночном значении)",
    },
    "fmt.cannot_sort": {
        "en": "cannot sort '{name}' by id keeping each comment above its item; sort it by "
              "hand or set 'fmt: {{sort: false}}'",
        "ru": "нельзя упорядочить '{name}' по id, сохранив каждый комментарий над его "
              "элементом; упорядочьте вручную или задайте 'fmt: {{sort: false}}'",
    },
    "fmt.would_reformat": {
        "en": "would reformat {name}",
        "ru": "будет переформатирован: {name}",
    },
    "fmt.would_count": {
        "en": "{count} {count#file|files} would be reformatted",
        "ru": "будет переформатировано: {count} {count#файл|файла|файлов}",
    },
    "fmt.skipped": {
        "en": "{count} {count#file|files} left as {count#it is|they are} (see above)",
        "ru": "оставлено как есть: {count} {count#файл|файла|файлов} (см. выше)",
    },
    "fmt.clean": {
        "en": "all files are formatted",
        "ru": "все файлы отформатированы",
    },
    "fmt.done": {
        "en": "reformatted {count} {count#file|files}",
        "ru": "переформатировано: {count} {count#файл|файла|файлов}",
    },
    # kkctl import: problems that stop it (nothing is written) ...
    "import.no_input": {
        "en": "{path}: no such file or folder; name the staff table, catalog or configuration "
              "to import",
        "ru": "{path}: нет такого файла или папки; укажите таблицу сотрудников, каталог или "
              "конфигурацию для импорта",
    },
    "import.not_a_file": {
        "en": "{where}: not a regular file; name the file to import",
        "ru": "{where}: это не обычный файл; укажите файл для импорта",
    },
    "import.too_large": {
        "en": "{where}: larger than {limit} bytes; is this really a staff table or a catalog?",
        "ru": "{where}: больше {limit} байт; это точно таблица сотрудников или каталог?",
    },
    "import.unreadable": {
        "en": "{where}: cannot be read ({reason})",
        "ru": "{where}: не читается ({reason})",
    },
    "import.empty": {
        "en": "{where}: the file is empty; export the table again with its header row",
        "ru": "{where}: файл пуст; выгрузите таблицу заново вместе со строкой заголовков",
    },
    "import.binary": {
        "en": "{where}: not a text table (binary data); save it as CSV (UTF-8 or Windows-1251) "
              "or XLSX",
        "ru": "{where}: это не текстовая таблица (двоичные данные); сохраните её как CSV "
              "(UTF-8 или Windows-1251) или XLSX",
    },
    "import.csv_broken": {
        "en": "{where}: the CSV cannot be read ({problem}); check the quotes on that line",
        "ru": "{where}: CSV не читается ({problem}); проверьте кавычки в этой строке",
    },
    "import.no_openpyxl": {
        "en": "{where}: reading XLSX needs the openpyxl package; install it or save the table "
              "as CSV",
        "ru": "{where}: для чтения XLSX нужен пакет openpyxl; установите его или сохраните "
              "таблицу как CSV",
    },
    "import.bad_xlsx": {
        "en": "{where}: not a readable XLSX workbook ({problem}); save it again from the "
              "spreadsheet, or as CSV",
        "ru": "{where}: книга XLSX не читается ({problem}); сохраните её заново или как CSV",
    },
    "import.xlsx_unzipped": {
        "en": "{where}: the workbook unpacks to {size} bytes, over kkctl's limit of {limit}; "
              "save the table as CSV, or check the file (this is how a zip bomb looks)",
        "ru": "{where}: книга распаковывается в {size} байт, больше предела kkctl {limit}; "
              "сохраните таблицу как CSV или проверьте файл (так выглядит zip-бомба)",
    },
    "import.xlsx_too_big": {
        "en": "{where}: the first sheet has more than {limit} rows; save only the staff table "
              "(as CSV, or a sheet of its own)",
        "ru": "{where}: на первом листе больше {limit} строк; сохраните только таблицу "
              "сотрудников (как CSV или отдельным листом)",
    },
    "import.no_header": {
        "en": "{where}: no header row: the first row ({first}) names none of the columns kkctl "
              "knows (ФИО or name, подразделение or department ...); add the header row, or "
              "name the columns with --column FIELD=HEADER",
        "ru": "{where}: нет строки заголовков: первая строка ({first}) не называет ни одного "
              "известного столбца (ФИО или name, подразделение или department ...); добавьте "
              "строку заголовков или укажите столбцы через --column ПОЛЕ=ЗАГОЛОВОК",
    },
    "import.bad_field": {
        "en": "--column: unknown field '{field}'; the fields are {fields}",
        "ru": "--column: неизвестное поле '{field}'; поля: {fields}",
    },
    "import.bad_column": {
        "en": "--column '{item}': write it as FIELD=HEADER, e.g. --column manager=Начальник",
        "ru": "--column '{item}': пишите ПОЛЕ=ЗАГОЛОВОК, например --column manager=Начальник",
    },
    "import.missing_column": {
        "en": "{where}: the header row has no '{column}' column ({spellings} ...); add it, or "
              "name it with --column {column}=HEADER",
        "ru": "{where}: в строке заголовков нет столбца '{column}' ({spellings} ...); добавьте "
              "его или укажите через --column {column}=ЗАГОЛОВОК",
    },
    "import.manager_cycle": {
        "en": "{where}: managers form a circle ({names}; line numbers in brackets): someone in "
              "it must report outside it; correct the manager column",
        "ru": "{where}: руководители образуют круг ({names}; в скобках номера строк): кто-то в "
              "нём должен подчиняться руководителю вне круга; исправьте столбец руководителя",
    },
    "import.not_utf8": {
        "en": "{where}: not UTF-8; save the file as UTF-8",
        "ru": "{where}: не в кодировке UTF-8; сохраните файл в UTF-8",
    },
    "import.yaml": {
        "en": "{where}: YAML syntax error: {problem}",
        "ru": "{where}: ошибка синтаксиса YAML: {problem}",
    },
    "import.yaml_too_deep": {
        "en": "{where}: nested more than {limit} levels deep; kkctl does not read it: no "
              "catalog or configuration nests so deep, check the file",
        "ru": "{where}: вложенность глубже {limit} уровней; kkctl такой файл не читает: ни "
              "один каталог или конфигурация так глубоко не вложены, проверьте файл",
    },
    "import.yaml_too_big": {
        "en": "{where}: its aliases (*name) expand to more than {limit} values; kkctl does not "
              "read it: write the values out, or check the file (this is how a YAML bomb "
              "looks)",
        "ru": "{where}: ссылки (*имя) раскрываются больше чем в {limit} значений; kkctl такой "
              "файл не читает: выпишите значения явно или проверьте файл (так выглядит "
              "YAML-бомба)",
    },
    "import.nothing": {
        "en": "{path}: nothing to import as {kind} (no groups or users, no organisation with "
              "admins, members or teams); is this the right source kind?",
        "ru": "{path}: нечего импортировать как {kind} (нет групп и пользователей, нет "
              "организации с admins, members или teams); тот ли это вид источника?",
    },
    "import.bad_kind": {
        "en": "unknown source kind '{kind}'; use one of {kinds}",
        "ru": "неизвестный вид источника '{kind}'; используйте один из: {kinds}",
    },
    "import.no_admins_team": {
        "en": "--admins-team '{team}': the source has no team of that name",
        "ru": "--admins-team '{team}': в источнике нет команды с таким именем",
    },
    "import.out_not_folder": {
        "en": "--out {path} is a file; name a folder for the project",
        "ru": "--out {path} — это файл; укажите папку для проекта",
    },
    "import.out_not_empty": {
        "en": "--out {path} is not empty and holds no kkctl project (no kkctl.yaml); import "
              "into a new or empty folder, or into the project imported before",
        "ru": "--out {path} не пуста и не содержит проекта kkctl (нет kkctl.yaml); "
              "импортируйте в новую или пустую папку либо в ранее импортированный проект",
    },
    "import.project_unreadable": {
        "en": "{path} in the project cannot be read as YAML ({problem}); fix it (kkctl "
              "validate) and import again",
        "ru": "{path} в проекте не читается как YAML ({problem}); исправьте его (kkctl "
              "validate) и повторите импорт",
    },
    "import.file_in_the_way": {
        "en": "{path} exists but holds no {kind} list; move its content, or add '{kind}: []' "
              "to it, and import again",
        "ru": "{path} существует, но в нём нет списка {kind}; перенесите его содержимое или "
              "добавьте в него '{kind}: []' и повторите импорт",
    },
    # ... problems of the source it works around (warnings, listed in IMPORTED.md) ...
    "import.row_no_name": {
        "en": "the row has no name; it was skipped",
        "ru": "в строке нет ФИО; строка пропущена",
    },
    "import.duplicate_person": {
        "en": "{name} appears again (first at {first}); the first row was used",
        "ru": "{name} встречается повторно (впервые: {first}); использована первая строка",
    },
    "import.bad_date": {
        "en": "'{text}' is not a date (write 2024-03-01 or 01.03.2024); ignored",
        "ru": "'{text}' — не дата (пишите 2024-03-01 или 01.03.2024); пропущено",
    },
    "import.unknown_manager": {
        "en": "the manager of {name}, '{manager}', is not in the table; add them or correct "
              "the name",
        "ru": "сотрудник {name}: руководителя '{manager}' нет в таблице; добавьте его или "
              "исправьте имя",
    },
    "import.parent_cycle": {
        "en": "department '{team}' is its own parent through others; it was made a top-level "
              "team",
        "ru": "подразделение '{team}' через другие оказывается вышестоящим для самого себя; "
              "оно сделано командой верхнего уровня",
    },
    "import.unknown_parent_dept": {
        "en": "department '{team}' names parent '{parent}', which is no one's department in "
              "the table; it was made a top-level team",
        "ru": "у подразделения '{team}' указано вышестоящее '{parent}', но в таблице нет "
              "такого подразделения; оно сделано командой верхнего уровня",
    },
    "import.no_department": {
        "en": "{name} has no department; they are a person in the project but in no team",
        "ru": "сотрудник {name}: не указано подразделение; он добавлен, но ни в одной "
              "команде",
    },
    "import.leader_guessed": {
        "en": "department '{team}': nobody is named as manager or head; {leader} (its first "
              "member) was made leader, check it",
        "ru": "подразделение '{team}': никто не указан руководителем; лидером записан "
              "{leader} (первый сотрудник), проверьте",
    },
    "import.unknown_group": {
        "en": "user '{name}' is a member of '{group}', which is not in the catalog",
        "ru": "пользователь '{name}' состоит в группе '{group}', которой нет в каталоге",
    },
    "import.unknown_parent": {
        "en": "group '{team}' names parent '{parent}', which is not in the catalog; it was made "
              "a top-level team",
        "ru": "у группы '{team}' указан родитель '{parent}', которого нет в каталоге; она "
              "сделана командой верхнего уровня",
    },
    "import.unknown_child": {
        "en": "group '{team}' lists child '{child}', which is not in the catalog",
        "ru": "группа '{team}' называет дочернюю группу '{child}', которой нет в каталоге",
    },
    "import.child_one_side": {
        "en": "group '{team}' lists '{child}' among its children, but '{child}' names parent "
              "'{parent}'; make the two sides agree",
        "ru": "группа '{team}' называет '{child}' дочерней, а у '{child}' указан родитель "
              "'{parent}'; согласуйте обе стороны",
    },
    "import.parent_one_side": {
        "en": "group '{team}' names parent '{parent}', but '{parent}' does not list it among "
              "its children; make the two sides agree",
        "ru": "у группы '{team}' указан родитель '{parent}', но '{parent}' не называет её "
              "среди дочерних; согласуйте обе стороны",
    },
    "import.no_team": {
        "en": "{count} {count#member|members} of '{org}' {count#belongs|belong} to no team "
              "(e.g. {example}); "
              "not imported: add them to teams in the source, or by hand",
        "ru": "{count} {count#участник|участника|участников} '{org}' не "
              "{count#входит|входят|входят} ни в одну "
              "команду (например, {example}); не импортированы: добавьте их в команды в "
              "источнике или вручную",
    },
    "import.too_deep": {
        "en": "'{team}' sits more than {limit} departments deep; the chain was cut there: "
              "check the department or parent columns",
        "ru": "'{team}' вложено глубже {limit} подразделений; цепочка обрезана на этом уровне: "
              "проверьте столбцы подразделения и вышестоящего подразделения",
    },
    "import.team_empty": {
        "en": "'{team}' has nobody in it or below it, so nobody can lead it; it was not "
              "imported (its sub-teams, if any, moved up)",
        "ru": "в '{team}' и ниже нет ни одного сотрудника, лидера у неё быть не может; она не "
              "импортирована (её дочерние команды подняты на уровень выше)",
    },
    # ... and what it says when it is done
    "import.done": {
        "en": "imported {people} {people#person|people} and {teams} {teams#team|teams} into "
              "{out}: see {out}/IMPORTED.md; next: kkctl status {out}",
        "ru": "импортировано в {out}: {people} {people#сотрудник|сотрудника|сотрудников}, "
              "{teams} {teams#команда|команды|команд}; см. {out}/IMPORTED.md; дальше: "
              "kkctl status {out}",
    },
    "import.updated": {
        "en": "updated {out} from the source: people {added} added, {updated} changed; teams "
              "{teams_added} added, {teams_updated} changed; memberships {joined} started, "
              "{ended} ended; written: {files}",
        "ru": "{out} обновлён из источника: сотрудники — добавлено {added}, изменено "
              "{updated}; команды — добавлено {teams_added}, изменено {teams_updated}; "
              "членство — начато {joined}, завершено {ended}; записаны: {files}",
    },
    "import.bad_as_of": {
        "en": "--as-of '{value}' is not a date; write it as YYYY-MM-DD",
        "ru": "--as-of '{value}' — не дата; пишите ГГГГ-ММ-ДД",
    },
    "import.dry_run": {
        "en": "--dry-run: nothing was written",
        "ru": "--dry-run: ничего не записано",
    },
    "init.created": {
        "en": "created {path}",
        "ru": "создан {path}",
    },
    "init.next": {
        "en": "next: kkctl lint {folder}",
        "ru": "дальше: kkctl lint {folder}",
    },
    "lint.baseline_written": {
        "en": "wrote {count} {count#finding|findings} to {path}",
        "ru": "в {path} записано замечаний: {count}",
    },
    "report.up_to_date": {
        "en": "{path}: up to date",
        "ru": "{path}: отчёт актуален",
    },
    "report.out_of_date": {
        "en": "{path} is out of date: run the same command without --check",
        "ru": "{path} устарел: запустите ту же команду без --check",
    },
    "report.page_obsolete": {
        "en": "{path} is a detail page of a unit that no longer exists: run the same command"
              " without --check to remove it",
        "ru": "{path} — страница подробностей подразделения, которого больше нет: запустите"
              " ту же команду без --check, чтобы её удалить",
    },
    "schema.written": {
        "en": "wrote {path}",
        "ru": "записан {path}",
    },
    "git.missing": {
        "en": "git is not installed; use 'kkctl diff --paths OLD NEW' to compare two folders",
        "ru": "git не установлен; чтобы сравнить две папки, используйте "
              "'kkctl diff --paths СТАРАЯ НОВАЯ'",
    },
    "git.not_a_repository": {
        "en": "'{path}' is not inside a git repository; use 'kkctl diff --paths OLD NEW' to "
              "compare two folders",
        "ru": "'{path}' не в репозитории git; чтобы сравнить две папки, используйте "
              "'kkctl diff --paths СТАРАЯ НОВАЯ'",
    },
    "git.shallow": {
        "en": "revision '{revision}' is not in this shallow clone; fetch it with 'git fetch "
              "--deepen=50 origin' (or 'git fetch --unshallow'), or in CI check out with full "
              "history (actions/checkout: fetch-depth: 0)",
        "ru": "ревизии '{revision}' нет в этом неполном клоне; загрузите её: 'git fetch "
              "--deepen=50 origin' (или 'git fetch --unshallow'), а в CI выгружайте всю "
              "историю (actions/checkout: fetch-depth: 0)",
    },
    "git.unknown_revision": {
        "en": "unknown revision '{revision}'; see 'git log --oneline' for revisions",
        "ru": "ревизии '{revision}' нет; список ревизий: 'git log --oneline'",
    },
    "git.failed": {
        "en": "{command} failed: {reason}",
        "ru": "{command} завершился с ошибкой: {reason}",
    },
    "run.interrupted": {
        "en": "interrupted",
        "ru": "прервано",
    },
    "usage.error": {
        "en": "error: {text}",
        "ru": "ошибка: {text}",
    },
    "internal.error": {
        "en": "internal error: {error}; re-run with --debug for the traceback and report it",
        "ru": "внутренняя ошибка: {error}; запустите с --debug, чтобы увидеть трассировку, "
              "и сообщите о ней",
    },
}

# Entity kinds: (English with article, Russian nominative, Russian instrumental).
KINDS: dict[str, tuple[str, str, str]] = {
    "person": ("a person", "сотрудник", "сотрудником"),
    "client": ("a client", "клиент", "клиентом"),
    "partner": ("a partner", "партнёр", "партнёром"),
    "value": ("a client value", "ценность", "ценностью"),
    "team": ("a team", "команда", "командой"),
    "council": ("a council", "совет", "советом"),
    "promise": ("a promise", "обещание", "обещанием"),
    "authority": ("an authority", "полномочие", "полномочием"),
    "metric": ("a metric", "метрика", "метрикой"),
    "canvas": ("a canvas", "канва", "канвой"),
    "reward_scheme": ("a reward scheme", "система вознаграждения", "системой вознаграждения"),
    "period": ("a period", "период", "периодом"),
    "hypothesis": ("a hypothesis", "гипотеза", "гипотезой"),
    "organisation": ("the organisation", "организация", "организацией"),
    "project": ("the project", "проект", "проектом"),
}

_PLURALS = {
    "error": ("error", "errors", "ошибка", "ошибки", "ошибок"),
    "warning": ("warning", "warnings", "предупреждение", "предупреждения", "предупреждений"),
    "info": ("note", "notes", "замечание", "замечания", "замечаний"),
    "file": ("file", "files", "файл", "файла", "файлов"),
}


def render(message_id: str, lang: str, args: dict[str, Any]) -> str:
    """The message ``message_id`` in ``lang`` with ``args``; ``{count#файл|файла|файлов}``
    in a template is the word form for that count (CLDR's plural rules, :mod:`kkctl.i18n`)."""
    table = MESSAGES.get(message_id)
    if table is None:
        return message_id
    return fill(table.get(lang) or table["en"], lang, args)


def fill(template: str, lang: str, args: dict[str, Any]) -> str:
    """A template in ``lang`` with ``args``: localised arguments (``{"en": .., "ru": ..}``)
    picked, ``{count#form|forms}`` chosen by CLDR's plural rules, never an exception."""
    args = {k: (v.get(lang, v.get("en", "")) if isinstance(v, dict) else v)
            for k, v in args.items()}
    if "#" in template:
        template = _PLURAL_FIELD.sub(lambda m: _plural_field(m, args, lang), template)
    try:
        return template.format(**args)
    except (KeyError, IndexError, ValueError):
        return template


_PLURAL_FIELD = re.compile(r"\{(\w+)#([^{}]*)\}")


def _plural_field(match: re.Match[str], args: dict[str, Any], lang: str) -> str:
    """``{count#file|files}`` -> the form for ``args['count']`` (braces doubled for format)."""
    from kkctl.i18n import plural_form

    count = args.get(match.group(1))
    forms = match.group(2).split("|")
    if not isinstance(count, int) or isinstance(count, bool):
        return forms[-1].replace("{", "{{").replace("}", "}}")
    return plural_form(count, forms, lang).replace("{", "{{").replace("}", "}}")


def did_you_mean(candidate: str | None, label: str | None = None) -> dict[str, str]:
    """`` (did you mean 'x'?)`` in every language, or nothing; with ``label``:
    `` (did you mean 'team-economics' (KK219)?)``."""
    if not candidate:
        return {}
    if label and label != candidate:
        return {lang: MESSAGES["ref.did_you_mean_code"][lang].format(candidate=candidate,
                                                                      label=label)
                for lang in LANGS}
    return {lang: MESSAGES["ref.did_you_mean"][lang].format(candidate=candidate)
            for lang in LANGS}


def closest(name: str, candidates: Iterable[str], *, strict: bool = False,
            cutoff: float = 0.6) -> str | None:
    """The one candidate ``name`` was most likely meant to be, or None.

    Case and '-' against '_' do not count (``value-creating`` -> ``value_creating``). Then,
    for a small fixed vocabulary (allowed values, rule names), difflib's ratio >= ``cutoff``.
    ``strict`` is for ids of people and other entities, where a wrong guess names someone
    else who exists and may be accepted by mistake (``alexander`` for ``alexandra``): one
    edit at most, and for ids of up to 4 characters only two neighbours swapped. Either way,
    two candidates equally close are no answer."""
    key = _normal(name)
    pool: dict[str, str] = {}
    spellings: dict[str, set[str]] = {}
    for candidate in candidates:
        normal = _normal(candidate)
        pool.setdefault(normal, candidate)
        spellings.setdefault(normal, set()).add(candidate)
    if key in pool:  # 'Vera' and 'vera' both exist: which one is meant is anyone's guess
        return pool[key] if len(spellings[key]) == 1 else None
    scored = _by_edits(key, pool) if strict else _by_ratio(key, pool, cutoff)
    if not scored:
        return None
    scored.sort()
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None  # a tie: guessing would be a coin toss
    return scored[0][1]


def is_typo(name: str, word: str) -> bool:
    """Could ``name`` be ``word`` mistyped: one edit for short words, two from 6 characters
    (``team`` for ``teams``, ``poeple`` for ``people``; not ``projects`` for ``promises``)."""
    a, b = _normal(name), _normal(word)
    limit = 2 if min(len(a), len(b)) >= 6 else 1
    return abs(len(a) - len(b)) <= limit and _edits(a, b, limit) <= limit


def _normal(text: str) -> str:
    return text.casefold().replace("-", "_")


def _by_ratio(key: str, pool: dict[str, str], cutoff: float) -> list[tuple[float, str]]:
    import difflib

    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(key)
    out = []
    for normal, original in pool.items():
        matcher.set_seq1(normal)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
            ratio = matcher.ratio()
            if ratio >= cutoff:
                out.append((-ratio, original))
    return out


def _by_edits(key: str, pool: dict[str, str]) -> list[tuple[float, str]]:
    limit = 1
    out = []
    for normal, original in pool.items():
        if abs(len(normal) - len(key)) > limit:
            continue
        distance = _edits(key, normal, limit)
        if distance > limit:
            continue
        if len(key) <= 4 and not _swapped(key, normal):
            continue  # 'bob' for 'rob' is another person, 'vear' for 'vera' a typo
        out.append((float(distance), original))
    return out


def _swapped(a: str, b: str) -> bool:
    """``a`` is ``b`` with two neighbouring characters swapped."""
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] \
        and a[diff[1]] == b[diff[0]]


def _edits(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from ``a`` to ``b``; any
    number above ``limit`` is returned as ``limit + 1`` (the rows stop early)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def kind_name(kind: str, lang: str) -> str:
    """``team`` -> ``team`` / ``команда`` (for ``team 'delivery': ...``)."""
    names = KINDS.get(kind)
    if names is None:
        return kind
    return names[1] if lang == "ru" else names[0].split(" ", 1)[1]


def kinds_phrase(kinds: tuple[str, ...], lang: str, *, instrumental: bool = True) -> str:
    """``('team', 'council')`` -> ``a team or a council`` / ``командой или советом``."""
    if lang == "ru":
        words = [KINDS[k][2] if instrumental else KINDS[k][1] for k in kinds]
        joiner = " или "
    else:
        words = [KINDS[k][0] for k in kinds]
        joiner = " or "
    if len(words) <= 2:
        return joiner.join(words)
    return ", ".join(words[:-1]) + joiner + words[-1]


def plural(word: str, count: int, lang: str) -> str:
    """``5 errors`` / ``5 ошибок``: the count and the word's form for it (CLDR's rules)."""
    from kkctl.i18n import plural_form

    forms = _PLURALS[word]
    return f"{count} {plural_form(count, forms[2:] if lang == 'ru' else forms[:2], lang)}"


def detect_lang(explicit: str | None, org_locale: str | None) -> str:
    """``--lang`` first, then the organisation's ``locale``, then ``KKCTL_LANG``, then
    ``LC_ALL``/``LC_MESSAGES``/``LANG`` (see :func:`kkctl.i18n.choose`)."""
    from kkctl.i18n import choose

    return choose(explicit, org_locale)
