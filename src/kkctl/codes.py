"""Stable diagnostic codes of validation (KK0xx: reading files, KK1xx: schema and references).

Lint rules (KK2xx) register their own codes. A code, once published, keeps its meaning.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    slug: str
    summary: str  # one line, English
    summary_ru: str


CODES: dict[str, Code] = {c.code: c for c in (
    Code("KK001", "yaml-syntax", "The file is not valid YAML.",
         "Файл не является корректным YAML."),
    Code("KK002", "duplicate-key", "A mapping has the same key twice.",
         "В словаре дважды встречается один ключ."),
    Code("KK003", "yaml-tag", "A YAML tag other than the standard scalar/collection tags.",
         "Недопустимый тег YAML."),
    Code("KK004", "yaml-limit", "Nesting or alias expansion beyond kkctl's safety limits.",
         "Вложенность или раскрытие псевдонимов превышает пределы безопасности."),
    Code("KK005", "encoding", "The file is not valid UTF-8 (or UTF-16 with a BOM).",
         "Файл не в кодировке UTF-8 (или UTF-16 с BOM)."),
    Code("KK006", "file-unreadable", "The file cannot be read, is over the size limit, is "
         "not a regular file (a FIFO, a device, a folder) or is a link leading outside the "
         "project.", "Файл не читается, превышает предельный размер, не является обычным "
         "файлом (именованный канал, устройство, папка) или ссылается за пределы проекта."),
    Code("KK007", "file-structure", "The file is empty, holds several documents, or its top "
         "level is not a mapping.", "Файл пуст, содержит несколько документов или его верхний "
         "уровень не словарь."),
    Code("KK008", "complex-key", "A mapping key is itself a mapping or a list.",
         "Ключ словаря сам является словарём или списком."),
    Code("KK009", "number-too-large", "An integer too long to be a sensible amount.",
         "Слишком длинное целое число."),
    Code("KK010", "file-skipped", "A file, folder or exclude pattern was skipped (a link or "
         "pattern leads outside the project, the pattern is invalid, the folder cannot be "
         "read).", "Файл, папка или шаблон exclude пропущен (ссылка или шаблон ведёт за "
         "пределы проекта, шаблон некорректен, папка не читается)."),
    Code("KK011", "lint-config", "A lint rule named in kkctl.yaml's lint settings, in a "
         "'# kkctl: ignore[...]' comment or in an entity's lint_ignore does not exist.",
         "Настройки lint в kkctl.yaml, комментарий '# kkctl: ignore[...]' или lint_ignore "
         "сущности называют несуществующее правило."),
    Code("KK012", "foreign-file", "A file in the project is not a kkctl file (a Kubernetes "
         "manifest, a GitHub workflow, a TOML file named .yaml ...).",
         "Файл в проекте не является файлом kkctl (манифест 'Kubernetes', сценарий "
         "'GitHub Actions', файл 'TOML' с расширением .yaml ...)."),
    Code("KK060", "import-source", "kkctl import found a problem in the source it reads (a "
         "manager not in the staff table, a parent group that does not exist, a child listed "
         "by one side only) and worked around it.", "Команда 'kkctl import' нашла проблему в "
         "источнике (руководителя нет в таблице, родительской группы нет, дочернюю группу "
         "называет только одна сторона) и обошёл её."),
    Code("KK100", "schema", "A value does not match the format (type, allowed values, pattern).",
         "Значение не соответствует формату (тип, допустимые значения, шаблон)."),
    Code("KK101", "missing-field", "A required field is missing.",
         "Не хватает обязательного поля."),
    Code("KK102", "unresolved-reference", "A reference names an id that no entity has.",
         "Ссылка на несуществующий id."),
    Code("KK103", "wrong-reference-kind", "A reference points at an entity of a kind the field "
         "does not allow.", "Ссылка указывает на сущность недопустимого вида."),
    Code("KK104", "duplicate-id", "Two entities share an id (ids are unique organisation-wide).",
         "Две сущности с одним id (id уникальны во всей организации)."),
    Code("KK105", "unknown-field", "A field or collection kkctl does not know (a typo?).",
         "Неизвестное поле или коллекция (опечатка?)."),
    Code("KK106", "invalid-date", "An impossible date, or a range that ends before it starts.",
         "Несуществующая дата или диапазон, который кончается раньше, чем начинается."),
    Code("KK107", "canvas-score", "A canvas offering scores a value that is not a factor.",
         "Предложение на канве оценивает ценность, которой нет среди факторов."),
)}


BONUS_CODES = (
    Code("KK301", "unknown-period", "The period asked for does not exist.",
         "Запрошенного периода нет."),
    Code("KK302", "period-overlap", "Two periods overlap.", "Два периода пересекаются."),
    Code("KK304", "explicit-payouts", "Explicit payouts do not add up to what is to be paid.",
         "Явные выплаты не сходятся с суммой к распределению."),
    Code("KK305", "council-paid-twice", "A council member is paid by another scheme.",
         "Член совета получает выплату по другой схеме."),
    Code("KK306", "membership-outside", "A membership overlaps no period.",
         "Членство не пересекается ни с одним периодом."),
    Code("KK307", "team-profit-unit", "A team_profit scheme of the council of managers.",
         "Схема team_profit у совета управляющих."),
    Code("KK308", "paid-mismatch", "A closed period no longer reproduces what was paid.",
         "Закрытый период больше не воспроизводит выплаченное."),
    Code("KK310", "explicit-outsider", "Explicit payouts to someone outside the scheme's unit.",
         "Явная выплата тому, кто не состоит в команде схемы."),
    Code("KK309", "nobody-to-pay", "A scheme has nobody eligible in a period.",
         "В схеме некому платить в периоде."),
    Code("KK311", "over-cap", "All schemes together pay more than the company's bonus.cap.",
         "Все схемы вместе платят больше предела компании bonus.cap."),
    Code("KK312", "teams-exceed-profit", "The teams' cash result exceeds the net profit.",
         "Денежный результат команд больше чистой прибыли компании."),
)
CODES.update({c.code: c for c in BONUS_CODES})


# ``# kkctl: ignore[promise-loop, KK203] reason``: the names a suppression comment gives.
SUPPRESSION = re.compile(r"(?:^|\s)#\s*kkctl:\s*ignore\[([^\]]*)\]")


_DIGIT_LOOKALIKES = str.maketrans("LIO", "110")


@functools.lru_cache(maxsize=1)
def rule_names() -> dict[str, Code]:
    """Every name a suppression may give a lint rule (its code, upper case, and its slug)."""
    from kkctl.lint.registry import all_rules

    out: dict[str, Code] = {}
    for rule in all_rules():
        code = Code(rule.code, rule.slug, rule.summary["en"], rule.summary["ru"])
        out[rule.code] = out[rule.slug] = code
    return out


def is_rule_name(name: str) -> bool:
    return name in rule_names() or name.upper() in rule_names()


def lookup(name: str) -> Code | None:
    """Any code (KK001, kk219) or name (duplicate-id, team-economics), or None."""
    name = name.strip()
    every = {**{c.slug: c for c in CODES.values()}, **CODES, **rule_names()}
    return every.get(name) or every.get(name.upper())


def suggest(name: str, rules_only: bool = False) -> dict[str, str]:
    """`` (did you mean 'team-economics' (KK219)?)`` for a misspelt code or name, or
    nothing: a code is matched against codes, a name against names."""
    from kkctl.messages import closest, did_you_mean

    every = dict(rule_names())
    if not rules_only:
        every.update({c.slug: c for c in CODES.values()})
        every.update(CODES)
    name = name.strip()
    looks_like_code = re.fullmatch(r"(?i)kk\w{3}", name) is not None
    if looks_like_code:  # KK2l9, KK2O1: a letter typed for the digit it looks like
        name = "KK" + name[2:].upper().translate(_DIGIT_LOOKALIKES)
    pool = [n for n in every if (n.startswith("KK") and n[2:].isdigit()) == looks_like_code]
    found = closest(name, pool, cutoff=0.75)
    if found is None:
        return {}
    code = every[found]
    return did_you_mean(found, code.slug if looks_like_code else code.code)


def describe(code: str) -> Code:
    """A validation code, or a lint rule's."""
    if code in CODES:
        return CODES[code]
    if code.startswith("KK2"):
        from kkctl.lint.registry import find

        rule = find(code)
        if rule is not None:
            return Code(rule.code, rule.slug, rule.summary["en"], rule.summary["ru"])
    return Code(code, code.lower(), code, code)


# -- kkctl explain KK0xx / KK1xx / KK3xx ------------------------------------------------------
@dataclass(frozen=True)
class Explanation:
    """What ``kkctl explain CODE`` adds to a code's summary: a typical cause, the fix, and a
    small file that gets the code (YAML, the same in every language)."""

    cause: dict[str, str]
    fix: dict[str, str]
    failing: str = ""


def _explain(cause_en: str, cause_ru: str, fix_en: str, fix_ru: str,
             failing: str = "") -> Explanation:
    return Explanation({"en": cause_en, "ru": cause_ru}, {"en": fix_en, "ru": fix_ru},
                       failing)


EXPLANATIONS: dict[str, Explanation] = {
    "KK001": _explain(
        "A YAML mistake: a bracket or quote left open, a missing ':' or a missing space after "
        "it, a tab in the indentation, lines that do not line up.",
        "Ошибка в YAML: не закрыта скобка или кавычка, нет ':' или пробела после него, "
        "табуляция в отступе, строки с разным отступом.",
        "Look at the line and column shown (the mistake is there or just before it); close "
        "the bracket or quote, indent with spaces.",
        "Посмотрите на указанные строку и столбец (ошибка там или чуть выше); закройте скобку "
        "или кавычку, делайте отступы пробелами.",
        "people:\n  - id: vera\n    name: [Vera\n"),
    "KK002": _explain(
        "The same key twice in one mapping, often after a copy and paste; a YAML reader "
        "would silently keep only the last one.",
        "Один ключ дважды в одном словаре, часто после копирования; обычный разборщик YAML "
        "молча оставил бы последний.",
        "Keep one of them; the message gives the position of the first.",
        "Оставьте один из них; сообщение указывает, где первый.",
        "people:\n  - id: vera\n    name: Vera\n    name: Vera K.\n"),
    "KK003": _explain(
        "A tag such as '!!python/object' or your own '!tag': kkctl reads plain data only and "
        "never builds objects from a file.",
        "Тег вроде '!!python/object' или собственный '!тег': kkctl читает только простые "
        "данные и никогда не создаёт объекты из файла.",
        "Remove the tag and write the plain value.",
        "Уберите тег и запишите простое значение.",
        "people:\n  - id: vera\n    name: !!python/object/apply:os.system [ls]\n"),
    "KK004": _explain(
        "Nesting deeper than a kkctl file ever needs, or aliases ('*a') that expand into a "
        "huge document (a 'billion laughs').",
        "Вложенность глубже, чем бывает нужно файлу kkctl, или псевдонимы ('*a'), которые "
        "раскрываются в огромный документ («billion laughs»).",
        "Write the data flat, and do not use anchors to multiply data.",
        "Запишите данные без глубокой вложенности и не размножайте данные якорями.",
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"),
    "KK005": _explain(
        "The file was saved in another encoding (Windows-1251, Latin-1) or holds a broken "
        "byte.",
        "Файл сохранён в другой кодировке (Windows-1251, Latin-1) или содержит испорченный "
        "байт.",
        "Save it as UTF-8 (in most editors: save with encoding, UTF-8).",
        "Сохраните его в UTF-8 (в большинстве редакторов: сохранить в кодировке UTF-8)."),
    "KK006": _explain(
        "The file cannot be read (permissions), is larger than --max-file-size, is not a "
        "regular file (a named pipe, a device or a folder called *.yaml), or is a link that "
        "leads outside the project.",
        "Файл нельзя прочитать (права доступа), он больше --max-file-size, это не обычный "
        "файл (именованный канал, устройство или папка с именем *.yaml) или ссылка за "
        "пределы проекта.",
        "Make it a readable regular file inside the project; raise --max-file-size if a "
        "large file is intended; rename what is not a file so it does not end in .yaml.",
        "Сделайте его обычным читаемым файлом внутри проекта; если большой файл нужен, "
        "увеличьте --max-file-size; то, что не является файлом, переименуйте, чтобы имя не "
        "кончалось на .yaml."),
    "KK007": _explain(
        "An empty file, a second document after '---', or a top level that is a list or a "
        "single value instead of a mapping of collections.",
        "Пустой файл, второй документ после '---' или верхний уровень — список или одно "
        "значение, а не словарь коллекций.",
        "Start the file with a collection such as 'people:' and put the entities below it; "
        "move a second document to a file of its own.",
        "Начните файл с коллекции, например 'people:', и перечислите сущности под ней; "
        "второй документ перенесите в отдельный файл.",
        "- id: vera\n  name: Vera\n"),
    "KK008": _explain(
        "A key that is itself a mapping or a list ('? [a, b]' or '{a: 1}: x').",
        "Ключ, который сам является словарём или списком ('? [a, b]' или '{a: 1}: x').",
        "Use a plain word as the key.",
        "Сделайте ключом простое слово.",
        "people:\n  - id: vera\n    {first: Vera}: name\n"),
    "KK009": _explain(
        "An integer with more digits than any amount has; often a phone number or a code "
        "written without quotes.",
        "Целое число длиннее любой суммы; часто это номер телефона или код без кавычек.",
        "Put it in quotes if it is text; otherwise correct the number.",
        "Если это текст, возьмите его в кавычки; иначе исправьте число.",
        "people:\n  - id: vera\n    name: Vera\n"
        "    x-phone: 79991234567890123456789012345678901\n"),
    "KK010": _explain(
        "A symbolic link leads outside the project, an 'exclude:' pattern climbs out of it "
        "('../x') or is not a valid pattern, folders are nested too deep, or a folder cannot "
        "be read. kkctl goes on without it.",
        "Символическая ссылка ведёт за пределы проекта, шаблон 'exclude:' выходит из него "
        "('../x') или некорректен, папки вложены слишком глубоко или папка не читается. kkctl "
        "продолжает без них.",
        "Replace the link with the file, correct the pattern, make the folder readable, or "
        "exclude it.",
        "Замените ссылку самим файлом, исправьте шаблон, откройте доступ к папке или "
        "исключите её.",
        "kkctl: 1\norganisation: {id: acme, name: Acme}\nexclude: [\"../shared/*.yaml\", "
        "\"drafts[\"]\n"),
    "KK011": _explain(
        "A misspelt rule in kkctl.yaml's 'lint: rules:', in a '# kkctl: ignore[...]' "
        "comment or in an entity's 'lint_ignore:'. A misspelt suppression suppresses "
        "nothing, so it is an error, not a silent no-op.",
        "Опечатка в имени правила в 'lint: rules:' в kkctl.yaml, в комментарии "
        "'# kkctl: ignore[...]' или в 'lint_ignore:' сущности. Подавление с опечаткой ничего "
        "не подавляет, поэтому это ошибка, а не тихое бездействие.",
        "Use a code or name that 'kkctl lint --list-rules' shows; the message suggests the "
        "closest one.",
        "Укажите код или имя из 'kkctl lint --list-rules'; сообщение подсказывает ближайшее.",
        "promises:\n  # kkctl: ignore[promise-lop]\n  - id: pay-on-time\n"),
    "KK012": _explain(
        "A file of another tool (a Kubernetes manifest, a Backstage entity, a GitHub "
        "workflow, a Docker Compose file, a TOML file named .yaml) lies below kkctl.yaml, "
        "and kkctl reads every .yaml and .yml file there.",
        "Файл другого инструмента (манифест 'Kubernetes', сущность 'Backstage', сценарий "
        "'GitHub Actions', файл 'Docker Compose', файл 'TOML' с расширением .yaml) лежит ниже "
        "kkctl.yaml, а kkctl читает там все файлы '.yaml' и '.yml'.",
        "Add the file, or its folder, to 'exclude:' in kkctl.yaml (the message gives the "
        "line to write), or keep the organisation in a folder of its own.",
        "Добавьте файл или его папку в 'exclude:' в kkctl.yaml (сообщение даёт готовую "
        "строку) или держите организацию в отдельной папке.",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"),
    "KK060": _explain(
        "The staff table, catalog or configuration being imported contradicts itself or "
        "names someone or something it does not hold; the import went on (the person joined "
        "no team, the group became a top-level team) and listed the place in IMPORTED.md.",
        "Импортируемая таблица, каталог или конфигурация противоречит себе или называет "
        "того, кого в ней нет; импорт продолжен (сотрудник не попал в команду, группа стала "
        "командой верхнего уровня), а место указано в 'IMPORTED.md'.",
        "Correct the source at the file and line shown (or the project by hand) and run the "
        "same import again: it updates people and teams and keeps everything written by hand.",
        "Исправьте источник в указанных файле и строке (или проект вручную) и повторите тот "
        "же импорт: он обновит сотрудников и команды и сохранит всё написанное вручную."),
    "KK100": _explain(
        "A value of the wrong type (a mapping where a list belongs, text where a number "
        "belongs), a value that is not among the allowed ones, or an id, date or amount "
        "written wrongly.",
        "Значение не того типа (словарь вместо списка, текст вместо числа), значение не из "
        "списка допустимых или неправильно записанные id, дата или сумма.",
        "Write the value as the message says; 'kkctl schema' prints the format and "
        "docs/schema.md describes every field.",
        "Запишите значение так, как говорит сообщение; формат выводит 'kkctl schema', "
        "каждое поле описано в docs/schema.md.",
        "promises:\n  - id: fast\n    kind: rot\n    giver: delivery\n    receiver: shoppers\n"
        "    text: Lunch in 15 minutes\n"),
    "KK101": _explain(
        "An entity without a field it must have, such as a team without a leader.",
        "У сущности нет обязательного поля, например у команды нет руководителя ('leader').",
        "Add the field; docs/schema.md shows the required fields in bold.",
        "Добавьте поле; обязательные поля выделены жирным в docs/schema.md.",
        "teams:\n  - id: delivery\n    name: Delivery\n"),
    "KK102": _explain(
        "A typo in an id, or an entity that was renamed or removed while others still refer "
        "to it.",
        "Опечатка в id или сущность переименована либо удалена, а другие всё ещё на неё "
        "ссылаются.",
        "Correct the id, or add the missing entity. The message suggests an id only when "
        "exactly one is a single typo away, so check a suggestion before taking it.",
        "Исправьте id или добавьте недостающую сущность. Сообщение подсказывает id, только "
        "если ровно один отличается на одну опечатку; всё равно проверьте подсказку.",
        "people:\n  - {id: vera, name: Vera}\nteams:\n  - id: delivery\n    name: Delivery\n"
        "    leader: vear\n"),
    "KK103": _explain(
        "The id exists, but it is another kind of entity: a client as a team's leader, a "
        "team as a promise's value.",
        "Такой id есть, но это сущность другого вида: клиент как руководитель команды, "
        "команда как ценность обещания.",
        "Point the field at an entity of the kind the message names.",
        "Укажите в поле сущность того вида, который назван в сообщении.",
        "clients:\n  - {id: shoppers, name: Shoppers}\nteams:\n  - id: delivery\n"
        "    name: Delivery\n    leader: shoppers\n"),
    "KK104": _explain(
        "Two entities with one id, in one file or in two: ids are one namespace for every "
        "kind, so a reference is just an id.",
        "Две сущности с одним id, в одном файле или в разных: у всех видов общее "
        "пространство id, поэтому ссылка — это просто id.",
        "Rename one of them and update the references to it.",
        "Переименуйте одну из них и исправьте ссылки на неё.",
        "values:\n  - {id: fast, name: Fast lunch}\nteams:\n  - {id: fast, name: Fast, "
        "leader: vera}\n"),
    "KK105": _explain(
        "A misspelt field or collection, a project setting in an entity file, or a field of "
        "your own without the 'x-' prefix.",
        "Опечатка в имени поля или коллекции, настройка проекта в файле сущностей или "
        "собственное поле без приставки 'x-'.",
        "Correct the name (the message suggests the closest), move settings to kkctl.yaml, "
        "start your own fields with 'x-'.",
        "Исправьте имя (сообщение подсказывает ближайшее), перенесите настройки в kkctl.yaml, "
        "собственные поля начинайте с 'x-'.",
        "people:\n  - id: vera\n    nmae: Vera\n"),
    "KK106": _explain(
        "A date that does not exist (2026-02-30), or a period, membership or range that "
        "ends before it starts.",
        "Несуществующая дата (2026-02-30) или период, членство либо диапазон, который "
        "кончается раньше, чем начинается.",
        "Write a real date as YYYY-MM-DD, and put the start before the end.",
        "Пишите существующую дату в виде ГГГГ-ММ-ДД, начало — раньше конца.",
        "periods:\n  - {id: q1, start: 2026-02-30, end: 2026-03-31, net_profit: 100000}\n"),
    "KK107": _explain(
        "An offering on a strategy canvas scores a value that is not one of the canvas's "
        "factors: a typo, or a factor that was removed.",
        "Предложение на стратегической канве оценивает ценность, которой нет среди факторов "
        "канвы: опечатка или удалённый фактор.",
        "Add the value to the canvas's factors, or remove the score.",
        "Добавьте ценность в факторы канвы или уберите оценку.",
        "canvases:\n  - id: lunch\n    factors:\n      - {value: freshness, action: raise}\n"
        "    offerings:\n      - {id: us, name: Us, scores: {freshness: 5, price: 2}}\n"),
    "KK301": _explain(
        "'kkctl bonus --period' names a period the organisation does not have.",
        "'kkctl bonus --period' называет период, которого в организации нет.",
        "Use one of the periods the message lists.",
        "Укажите один из периодов, перечисленных в сообщении."),
    "KK302": _explain(
        "Two periods share days, so the same profit would be paid out twice.",
        "Два периода пересекаются по дням, и одна и та же прибыль была бы выплачена дважды.",
        "Let each period start after the one before it ends.",
        "Пусть каждый период начинается после окончания предыдущего.",
        "periods:\n  - {id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 100000}\n"
        "  - {id: q2, start: 2026-03-01, end: 2026-06-30, net_profit: 100000}\n"),
    "KK304": _explain(
        "A scheme that splits explicitly has no payouts in the period, or its payouts do not "
        "add up to the amount to distribute.",
        "Схема с явным распределением не имеет выплат в периоде, или выплаты не сходятся с "
        "суммой к распределению.",
        "Add the payouts, or correct them to add up to the amount the message gives.",
        "Добавьте выплаты или исправьте их, чтобы они сошлись с суммой из сообщения."),
    "KK305": _explain(
        "A member of the council of managers is also paid by another scheme; council "
        "members are paid from the company's result only.",
        "Член совета управляющих получает выплату и по другой схеме; члены совета получают "
        "вознаграждение только от результата компании.",
        "Remove the person's payout from the other scheme.",
        "Уберите выплату этому человеку из другой схемы."),
    "KK306": _explain(
        "A membership's dates overlap no period: a mistyped date, or someone who joins "
        "later.",
        "Даты членства не пересекаются ни с одним периодом: опечатка в дате или человек "
        "придёт позже.",
        "Check the dates; for someone who joins later there is nothing to do.",
        "Проверьте даты; для того, кто придёт позже, ничего делать не нужно."),
    "KK307": _explain(
        "The council of managers' scheme is paid on 'base: team_profit', but the council "
        "answers for the whole company.",
        "Схема совета управляющих считается от 'base: team_profit', а совет отвечает за всю "
        "компанию.",
        "Use 'base: net_profit' for the council's scheme.",
        "Укажите для схемы совета 'base: net_profit'."),
    "KK308": _explain(
        "A closed period records what was paid, and the figures, memberships or schemes "
        "changed since, so they no longer give those amounts.",
        "В закрытом периоде записано, что выплачено, а показатели, состав или схемы с тех "
        "пор изменились и больше не дают этих сумм.",
        "Restore the history as it was when the period was paid, or record the correction "
        "in a later period.",
        "Верните историю к состоянию на момент выплаты или отразите исправление в одном из "
        "следующих периодов."),
    "KK309": _explain(
        "Nobody in the scheme's unit is eligible in the period (no membership overlaps it).",
        "В подразделении схемы в этом периоде некому платить (ни одно членство с ним не "
        "пересекается).",
        "Check the memberships and their dates; otherwise the pool stays undistributed.",
        "Проверьте состав и даты членства; иначе пул останется нераспределённым."),
    "KK310": _explain(
        "An explicit payout goes to someone who is not a member of the scheme's unit in the "
        "period.",
        "Явная выплата тому, кто в этом периоде не состоит в подразделении схемы.",
        "Add the membership, or pay the person from the scheme of their own unit.",
        "Добавьте членство или платите этому человеку по схеме его подразделения."),
    "KK311": _explain(
        "All schemes together pay a larger share of the net profit than 'bonus.cap' in "
        "kkctl.yaml allows.",
        "Все схемы вместе выплачивают большую долю чистой прибыли, чем позволяет "
        "'bonus.cap' в kkctl.yaml.",
        "Lower a scheme's share, or raise 'bonus.cap'.",
        "Уменьшите долю одной из схем или поднимите 'bonus.cap'."),
    "KK312": _explain(
        "The teams' recorded income minus expenses is more than the company's net profit: "
        "possible only if the company's other costs made a loss.",
        "Доходы минус расходы команд больше чистой прибыли компании: так бывает, только если "
        "остальные расходы компании дали убыток.",
        "Check the teams' figures and the period's net profit.",
        "Проверьте показатели команд и чистую прибыль периода."),
}
