"""What comes from other tools.

* Texts other libraries give in English (libyaml's and PyYAML's problems, Python's date
  errors), in both languages: the known ones translated, an unknown one kept as it is in
  parentheses after a Russian lead, so nothing the parser said is lost.
* Files of other tools that sit in a project (a Kubernetes manifest, a GitHub workflow, a
  TOML file named .yaml): :func:`recognise` tells what one looks like, so validation says
  so once instead of quoting every key of it as an unknown collection.
"""

from __future__ import annotations

import re
from functools import cache

# No typing at run time: this module is on every start-up (see kkctl.diagnostics).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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

@cache  # on first use: compiling them all took 4 ms of every run's start
def _compile(table: str) -> list[tuple[re.Pattern[str], str]]:
    out = []
    for english, russian in _TABLES[table].items():
        parts = re.split(r"(\{\d\})", english)
        pattern = "".join("(.+?)" if re.fullmatch(r"\{\d\}", p) else re.escape(p) for p in parts)
        out.append((re.compile(pattern + r"\Z"), russian))
    return out


_TABLES = {"yaml": YAML_PROBLEMS, "dates": DATE_REASONS}


def _translate(text: str, table: str) -> str:
    for pattern, russian in _compile(table):
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
                                  f"{_translate(rest, 'yaml')}"}
    return {"en": text, "ru": _translate(text, "yaml")}


def date_reason(text: str) -> dict[str, str]:
    return {"en": text, "ru": _translate(text, "dates")}


# -- files of other tools --------------------------------------------------------------------
class Lookalike:
    """What a file that is not kkctl's looks like, and the keys or lines that show it."""

    __slots__ = ("evidence", "what")

    def __init__(self, what: dict[str, str], evidence: str) -> None:
        self.what = what  # {"en": "a Kubernetes manifest", "ru": "манифест Kubernetes"}
        self.evidence = evidence  # "apiVersion, kind": the file's own words, in any language

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Lookalike):
            return NotImplemented
        return (self.what, self.evidence) == (other.what, other.evidence)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Lookalike({self.what!r}, {self.evidence!r})"


def _what(en: str, ru: str) -> dict[str, str]:
    return {"en": en, "ru": ru}


KUBERNETES = _what("a Kubernetes manifest", "манифест Kubernetes")
BACKSTAGE = _what("a Backstage catalog entity", "сущность каталога Backstage")
HELM = _what("a Helm chart description (Chart.yaml)", "описание чарта Helm (Chart.yaml)")
WORKFLOW = _what("a GitHub Actions workflow", "workflow GitHub Actions")
COMPOSE = _what("a Docker Compose file", "файл Docker Compose")
PERIBOLOS = _what("a Peribolos GitHub organisation configuration",
                  "настройки организации GitHub для Peribolos")
JSON_SCHEMA = _what("a JSON Schema", "схема JSON Schema")
OPENAPI = _what("an OpenAPI description", "описание OpenAPI")
GITLAB_CI = _what("a GitLab CI configuration", "настройки GitLab CI")
DEPENDABOT = _what("a Dependabot configuration", "настройки Dependabot")
PRE_COMMIT = _what("a pre-commit configuration", "настройки pre-commit")
MKDOCS = _what("an MkDocs configuration", "настройки MkDocs")
ANSIBLE = _what("an Ansible playbook", "плейбук Ansible")
TOML = _what("a TOML file", "файл TOML")

# Keys only Peribolos (GitHub org as code) writes at the top level of an org.yaml.
_PERIBOLOS_ORG = ("billing_email", "default_repository_permission",
                  "members_can_create_repositories", "has_organization_projects",
                  "has_repository_projects")
# Keys a Peribolos team has and a kkctl team never does.
_PERIBOLOS_TEAM = ("maintainers", "privacy", "previously", "repos")
_GITLAB_JOB = ("script", "stage", "extends", "trigger")


def recognise(data: Any, raw: bytes | None) -> Lookalike | None:
    """What another tool's file looks like: from its data when it parsed as one mapping,
    else from its text (a TOML file, a multi-document manifest); None for anything else."""
    if isinstance(data, dict):
        return _recognise_mapping(data)
    if isinstance(data, list):
        return _recognise_list(data)
    if raw is None:
        return None
    text = raw[:_TEXT_LIMIT].decode("utf-8", "replace").lstrip("\ufeff")
    return _recognise_toml(text) or _recognise_mapping(_top_level_keys(text))


def _recognise_mapping(data: dict[Any, Any]) -> Lookalike | None:
    for test in _MAPPING_TESTS:
        found = test(data)
        if found is not None:
            return found
    return None


def _kubernetes(data: dict[Any, Any]) -> Lookalike | None:
    if "apiVersion" not in data:
        return None
    version = data["apiVersion"]
    if "kind" in data:
        if isinstance(version, str) and version.startswith("backstage.io"):
            return Lookalike(BACKSTAGE, _shown(data, "apiVersion", "kind"))
        return Lookalike(KUBERNETES, "apiVersion, kind")
    if "name" in data and "version" in data:
        return Lookalike(HELM, "apiVersion, name, version")
    return None


def _workflow(data: dict[Any, Any]) -> Lookalike | None:
    # "on:" is a string key to kkctl's reader (YAML 1.2), True to a YAML 1.1 reader
    if "jobs" in data and ("on" in data or True in data):
        return Lookalike(WORKFLOW, "on, jobs")
    return None


def _compose(data: dict[Any, Any]) -> Lookalike | None:
    services = data.get("services")
    if "services" not in data:
        return None
    if "version" in data or _any_child_has(services, ("image", "build")):
        return Lookalike(COMPOSE, "services")
    return None


def _peribolos(data: dict[Any, Any]) -> Lookalike | None:
    if isinstance(data.get("orgs"), dict):
        return Lookalike(PERIBOLOS, "orgs")
    keys = [k for k in _PERIBOLOS_ORG if k in data]
    if keys:
        return Lookalike(PERIBOLOS, ", ".join(keys[:2]))
    teams = data.get("teams")
    if isinstance(teams, dict) and _any_child_has(teams, _PERIBOLOS_TEAM):
        found = {k for team in list(teams.values())[:20] if isinstance(team, dict)
                 for k in _PERIBOLOS_TEAM if k in team}
        return Lookalike(PERIBOLOS, "teams: " + ", ".join(k for k in _PERIBOLOS_TEAM
                                                          if k in found))
    return None


def _other_tools(data: dict[Any, Any]) -> Lookalike | None:
    if "$schema" in data and ("$id" in data or "type" in data or "properties" in data
                              or "$defs" in data or "definitions" in data):
        return Lookalike(JSON_SCHEMA, "$schema")
    for key in ("openapi", "swagger"):
        if key in data and ("paths" in data or "info" in data):
            return Lookalike(OPENAPI, f"{key}, {'paths' if 'paths' in data else 'info'}")
    if ("stages" in data or "before_script" in data) and _any_child_has(data, _GITLAB_JOB):
        return Lookalike(GITLAB_CI, "stages, script")
    if "updates" in data and "version" in data:
        return Lookalike(DEPENDABOT, "version, updates")
    repos = data.get("repos")
    if isinstance(repos, list) and repos and all(isinstance(r, dict) and "repo" in r
                                                 for r in repos):
        return Lookalike(PRE_COMMIT, "repos: [{repo}]")
    if "site_name" in data:
        return Lookalike(MKDOCS, "site_name")
    return None


_MAPPING_TESTS = (_kubernetes, _workflow, _compose, _peribolos, _other_tools)


def _recognise_list(data: list[Any]) -> Lookalike | None:
    plays = [item for item in data[:20] if isinstance(item, dict)]
    if plays and all("hosts" in play for play in plays):
        return Lookalike(ANSIBLE, "- hosts")
    return None


def _any_child_has(node: Any, keys: tuple[str, ...]) -> bool:
    """Does a mapping value of ``node`` (a mapping) have one of ``keys``? Looks at the
    first few only: enough to tell a format, cheap on a huge file."""
    if not isinstance(node, dict):
        return False
    children = [v for _, v in zip(range(20), node.values(), strict=False)]
    return any(isinstance(child, dict) and any(k in child for k in keys) for child in children)


def _shown(data: dict[Any, Any], *keys: str) -> str:
    """``apiVersion: backstage.io/v1alpha1, kind: Group``: keys with short plain values."""
    parts = []
    for key in keys:
        value = data.get(key)
        short = isinstance(value, str) and 0 < len(value) <= 40 and value.isprintable()
        parts.append(f"{key}: {value}" if short else key)
    return ", ".join(parts)


# -- from the text, for a file that did not parse as one mapping --------------------------------
_TEXT_LIMIT = 64 * 1024  # the head of the file tells its format
# Each pattern reads a line once: no two parts can take the same characters, so a line of
# 60,000 spaces or brackets (in a file a pull request controls) costs no more than reading it.
_YAML_KEY = re.compile(r"([A-Za-z_$][\w.$-]*)[ \t]*:(?:[ \t](.*))?\Z")
_TOML_TABLE = re.compile(r"\[\[?[^\[\]\n]+\]\]?[ \t]*(?:#.*)?\Z")
_TOML_PAIR = re.compile(r"[\w\"'.-]+[ \t]*=[ \t]*\S")


def _recognise_toml(text: str) -> Lookalike | None:
    """``key = value`` lines and ``[table]`` headers at the left margin, and no ``key:``."""
    tables: list[str] = []
    pairs: list[str] = []
    for line in text.splitlines()[:400]:
        if not line or line[0] in " \t#]}\"'":
            continue
        if _YAML_KEY.match(line) or line.startswith(("- ", "---")):
            return None
        if _TOML_TABLE.match(line):
            tables.append(line.split("#")[0].strip())
        elif _TOML_PAIR.match(line):
            pairs.append(line.split("=")[0].strip())
    if pairs and len(pairs) + len(tables) >= 2:
        evidence = ", ".join([f"{pairs[0]} = …", *tables[:1]])
        return Lookalike(TOML, evidence)
    return None


def _top_level_keys(text: str) -> dict[str, Any]:
    """``{key: its value on the same line or None}`` for the first YAML document's top-level
    keys: enough for :func:`_recognise_mapping` on a file that did not parse."""
    keys: dict[str, Any] = {}
    started = False
    for line in text.splitlines()[:2000]:
        if line.startswith(("---", "...")):
            if started:
                break
            continue
        match = _YAML_KEY.match(line)
        if match:
            started = True
            value = (match.group(2) or "").strip()
            keys.setdefault(match.group(1), value.strip("'\"") or None)
    return keys
