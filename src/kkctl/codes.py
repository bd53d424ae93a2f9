"""Stable diagnostic codes of validation (KK0xx: reading files, KK1xx: schema and references).

Lint rules (KK2xx) register their own codes. A code, once published, keeps its meaning.
"""

from __future__ import annotations

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
         "файлом (FIFO, устройство, папка) или ссылается за пределы проекта."),
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
    Code("KK011", "lint-config", "kkctl.yaml's lint settings name a rule that does not exist.",
         "Настройки lint в kkctl.yaml называют несуществующее правило."),
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
