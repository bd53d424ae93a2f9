"""Texts that come from other libraries in English (libyaml's and PyYAML's problems, Python's
date errors), given in both languages: the known ones translated, an unknown one kept as it
is in parentheses after a Russian lead, so nothing the parser said is lost."""

from __future__ import annotations

import re

# libyaml (and PyYAML's pure-Python parser) problem texts; {0}, {1} stand for quoted parts.
YAML_PROBLEMS: dict[str, str] = {
    "found character that cannot start any token": "символ, с которого не может начинаться "
                                                   "элемент",
    "could not find expected ':'": "не найдено ожидаемое ':'",
    "found unexpected end of stream": "файл неожиданно закончился",
    "found a tab character that violates indentation": "табуляция нарушает отступы",
    "found a tab character where an indentation space is expected":
        "табуляция там, где ожидается пробел отступа",
    "mapping values are not allowed in this context": "значение словаря здесь недопустимо "
                                                      "(лишнее ':'?)",
    "mapping values are not allowed here": "значение словаря здесь недопустимо (лишнее ':'?)",
    "block sequence entries are not allowed in this context":
        "элемент списка ('- ') здесь недопустим",
    "block sequence entries are not allowed here": "элемент списка ('- ') здесь недопустим",
    "found unknown escape character": "неизвестная escape-последовательность",
    "found unknown escape character {0}": "неизвестная escape-последовательность {0}",
    "did not find expected hexdecimal number": "не найдено ожидаемое шестнадцатеричное число",
    "found invalid Unicode character escape code": "недопустимый код символа Unicode",
    "found unexpected document indicator": "неожиданный разделитель документов",
    "did not find expected comment or line break": "ожидался комментарий или конец строки",
    "did not find expected alphabetic or numeric character":
        "ожидалась буква или цифра (в имени якоря или ссылки)",
    "did not find URI escaped octet": "не найден байт URI",
    "found undefined tag handle": "неизвестный префикс тега",
    "did not find expected whitespace or line break": "ожидался пробел или конец строки",
    "found an indentation indicator equal to 0": "указатель отступа равен 0",
    "did not find expected ',' or ']'": "не найдено ожидаемое ',' или ']'",
    "did not find expected ',' or '}'": "не найдено ожидаемое ',' или '}'",
    "did not find expected key": "не найден ожидаемый ключ",
    "did not find expected '-' indicator": "не найден ожидаемый '-' (элемент списка)",
    "did not find expected node content": "не найдено ожидаемое значение",
    "did not find expected <document start>": "не найдено ожидаемое начало документа",
    "found duplicate %YAML directive": "повторная директива %YAML",
    "found incompatible YAML document": "несовместимая версия документа YAML",
    "control characters are not allowed": "управляющие символы недопустимы",
    "invalid leading UTF-8 octet": "недопустимый первый байт UTF-8",
    "incomplete UTF-8 octet sequence": "неполная последовательность байтов UTF-8",
    "invalid trailing UTF-8 octet": "недопустимый байт внутри символа UTF-8",
    "found undefined alias": "ссылка на неизвестный якорь",
    "found duplicate anchor": "повторный якорь",
    "invalid YAML": "недопустимый YAML",
    "expected {0}, but found {1}": "ожидалось {0}, а найдено {1}",
    "expected ',' or ']', but got {0}": "ожидалось ',' или ']', а получено {0}",
    "expected ',' or '}', but got {0}": "ожидалось ',' или '}', а получено {0}",
    "expected <block end>, but found {0}": "ожидался конец блока, а найдено {0}",
    "expected <document start>, but found {0}": "ожидалось начало документа, а найдено {0}",
    "expected a single document in the stream": "ожидался один документ",
    "while scanning a simple key": "при чтении ключа",
    "while parsing a block mapping": "при разборе словаря",
    "while parsing a flow mapping": "при разборе словаря в фигурных скобках",
    "while parsing a block collection": "при разборе списка",
    "while parsing a flow sequence": "при разборе списка в квадратных скобках",
    "while parsing a flow node": "при разборе значения",
    "while parsing a block node": "при разборе значения",
    "while scanning a quoted scalar": "при чтении строки в кавычках",
    "while scanning a block scalar": "при чтении многострочного текста",
    "while scanning an anchor": "при чтении якоря",
    "while scanning an alias": "при чтении ссылки",
    "while scanning a tag": "при чтении тега",
}
# Python's date errors (datetime.date.fromisoformat and the date constructor).
DATE_REASONS: dict[str, str] = {
    "day is out of range for month": "в этом месяце нет такого дня",
    "month must be in 1..12": "месяц должен быть от 1 до 12",
    "year {0} is out of range": "год {0} вне допустимого диапазона",
    "Invalid isoformat string: {0}": "дата не в формате ГГГГ-ММ-ДД: {0}",
}
UNKNOWN_LEAD = "сообщение разборщика"

def _compile(table: dict[str, str]) -> list[tuple[re.Pattern[str], str]]:
    out = []
    for english, russian in table.items():
        parts = re.split(r"(\{\d\})", english)
        pattern = "".join("(.+?)" if re.fullmatch(r"\{\d\}", p) else re.escape(p) for p in parts)
        out.append((re.compile(pattern + r"\Z"), russian))
    return out


_YAML = _compile(YAML_PROBLEMS)
_DATES = _compile(DATE_REASONS)


def _translate(text: str, table: list[tuple[re.Pattern[str], str]]) -> str:
    for pattern, russian in table:
        match = pattern.match(text)
        if match:
            for index, part in enumerate(match.groups()):
                russian = russian.replace(f"{{{index}}}", part)
            return russian
    return f"{UNKNOWN_LEAD} ({text})"


def yaml_problem(text: str) -> dict[str, str]:
    """A parser's problem in both languages; ``character #x0009: …`` keeps its code."""
    head, sep, rest = text.partition(": ")
    if sep and head.startswith("character #x"):
        return {"en": text, "ru": f"символ {head[len('character '):]}: "
                                  f"{_translate(rest, _YAML)}"}
    return {"en": text, "ru": _translate(text, _YAML)}


def date_reason(text: str) -> dict[str, str]:
    return {"en": text, "ru": _translate(text, _DATES)}
