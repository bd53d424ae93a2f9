"""JSON Schema (draft 2020-12) validation of every file, with positioned, helpful messages.

Two engines, one verdict: ``jsonschema-rs`` answers "valid?" for each document (the common
case, ~80x faster); only an invalid document goes through ``jsonschema``, whose errors carry
what a good message needs. ``tests/test_schema_engines.py`` shows they agree.
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from kkctl.diagnostics import Diagnostic, Severity
from kkctl.model import COLLECTIONS
from kkctl.yamlread import ParsedFile

if TYPE_CHECKING:
    from kkctl.project import Project

SCHEMA_FILE = "kkctl.schema.json"
SETTINGS_KEYS = ("kkctl", "organisation", "exclude", "lint", "fmt")
_NEGATIVE = re.compile(r"-[0-9]{1,16}(\.[0-9]{1,6})?")
_REQUIRED = re.compile(r"'(.+)' is a required property\Z")
KIND_OF_COLLECTION = {name: cls.kind for name, cls in COLLECTIONS.items()}


@functools.lru_cache(maxsize=1)
def bundle() -> dict[str, Any]:
    """The schema bundle shipped with the package."""
    text = resources.files("kkctl.schemas").joinpath(SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def document_schema(project_file: bool) -> dict[str, Any]:
    """The schema one file is checked against: kkctl.yaml's, or an entity file's."""
    full = bundle()
    name = "projectFile" if project_file else "entityFile"
    return {"$schema": full["$schema"], "$ref": f"#/$defs/{name}", "$defs": full["$defs"]}


@functools.lru_cache(maxsize=2)
def fast_validator(project_file: bool) -> Any:
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - platforms without a wheel
        return None
    return jsonschema_rs.validator_for(document_schema(project_file))


@functools.lru_cache(maxsize=2)
def full_validator(project_file: bool) -> Any:
    import jsonschema

    cls = jsonschema.validators.extend(jsonschema.Draft202012Validator,
                                       {"pattern": _ecma_pattern})
    return cls(document_schema(project_file))


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    """ECMA-262 ``$`` is the end of input; Python's also matches before a final newline."""
    import jsonschema

    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)


def is_valid(data: Any, project_file: bool) -> bool:
    fast = fast_validator(project_file)
    if fast is not None:
        try:
            return bool(fast.is_valid(data))
        except (ValueError, TypeError, OverflowError):
            pass  # data the Rust engine cannot take (e.g. a huge int): let jsonschema decide
    return bool(full_validator(project_file).is_valid(data))


def check_file(parsed: ParsedFile, project_file: bool) -> list[Diagnostic]:
    """The file against the schema, and the lint rules its suppressions name."""
    return [*_check_schema(parsed, project_file), *unknown_rule_names(parsed)]


def _check_schema(parsed: ParsedFile, project_file: bool) -> list[Diagnostic]:
    data = parsed.data
    if is_valid(data, project_file):
        return []
    out: dict[tuple[Any, ...], Diagnostic] = {}
    for error in sorted(full_validator(project_file).iter_errors(data),
                        key=lambda e: [str(p) for p in e.absolute_path]):
        for diag in _translate(parsed, error, project_file):
            # jsonschema reports each missing field of one mapping as its own error
            # ("'id' is a required property", "'leader' is ..."): one diagnostic per problem
            out.setdefault((diag.path, diag.code, diag.message_id, _key(diag.args)), diag)
    return list(out.values())


def _key(args: dict[str, Any]) -> str:
    return json.dumps(args, sort_keys=True, ensure_ascii=False, default=str)


def _translate(parsed: ParsedFile, error: Any, project_file: bool) -> list[Diagnostic]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    instance = error.instance
    defs = bundle()["$defs"]
    written = parsed.decimals.get(path) if isinstance(instance, float) else None
    shown = written or _show(instance)  # a number as written, not as a float prints it
    if keyword in ("anyOf", "oneOf") and error.schema is defs["amount"] and _negative(instance):
        return [_diag(parsed, path, "KK100", "schema.negative_amount", value=shown)]
    if keyword in ("anyOf", "oneOf") and error.schema in (defs["money"], defs["amount"]):
        return [_diag(parsed, path, "KK100", "schema.money", value=shown)]
    if keyword in ("anyOf", "oneOf") and error.context:
        import jsonschema

        return _translate(parsed, jsonschema.exceptions.best_match(error.context), project_file)
    if keyword == "required":
        missing = [f for f in error.validator_value if f not in instance]
        named = _REQUIRED.match(error.message)  # jsonschema 4: one error per missing field
        if named and named.group(1) in missing:
            missing = [named.group(1)]
        return [_diag(parsed, path, "KK101", "schema.required", field=f) for f in missing]
    if keyword == "additionalProperties":
        return [_unknown_key(parsed, path, key, error.schema, project_file)
                for key in instance
                if key not in error.schema.get("properties", {}) and not key.startswith("x-")]
    if keyword == "propertyNames":
        return [_diag(parsed, (*path, error.instance), "KK100", "schema.id",
                      value=_show_raw(error.instance), at_key=True)]
    if keyword == "type":
        return [_type_mismatch(parsed, path, instance, error.validator_value)]
    if keyword == "enum":
        allowed = [str(v) for v in error.validator_value]
        return [_diag(parsed, path, "KK100", "schema.enum", value=_show_raw(instance),
                      allowed=", ".join(allowed), hint=_enum_hint(instance, allowed))]
    if keyword == "const" and path == ("kkctl",):
        return [_diag(parsed, path, "KK100", "schema.version", value=_show(instance))]
    if keyword == "pattern":
        pattern = error.validator_value
        if "[0-9]{4}" in pattern:
            return [_diag(parsed, path, "KK100", "schema.date", value=_show(instance))]
        return [_diag(parsed, path, "KK100", "schema.id", value=_show_raw(instance))]
    if keyword in ("minLength", "minItems"):
        return [_diag(parsed, path, "KK100", "schema.empty")]
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return [_diag(parsed, path, "KK100", "schema.range", value=_show(instance),
                      detail=f"{keyword} {error.validator_value}")]
    return [_diag(parsed, path, "KK100", "schema.other", detail=error.message)]


def _enum_hint(value: Any, allowed: list[str]) -> dict[str, str]:
    """`` (did you mean 'root'?)`` for ``rot``; ``value-creating`` -> ``value_creating``."""
    from kkctl.messages import closest, did_you_mean

    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return {}
    return did_you_mean(closest(str(value), allowed))


def _type_mismatch(parsed: ParsedFile, path: tuple[Any, ...], value: Any,
                   expected_types: Any) -> Diagnostic:
    """``'teams' is a mapping, expected a list of teams: write ...``: the key named, and what
    to write instead."""
    expected = [expected_types] if isinstance(expected_types, str) else list(expected_types)
    actual = _type_name(value)
    collection = path[0] if len(path) == 1 and path[0] in KIND_OF_COLLECTION else None
    wanted = _types(expected)
    if collection is not None and expected == ["array"]:
        wanted = {"en": f"a list of {collection}", "ru": f"список {collection}"}
    shown: Any = ""
    if not isinstance(value, (dict, list)) and value is not None:
        shown = f" ({_show(value)})"  # '"vera"': which value is meant
    return _diag(parsed, path, "KK100", "schema.type", field=_field_name(path),
                 actual=_type_of(value), shown=shown, expected=wanted,
                 fix=_type_fix(path, value, actual, expected))


def _field_name(path: tuple[Any, ...]) -> str | dict[str, str]:
    """``'members'``, or ``item 2 of 'people'`` for a list item."""
    if not path:
        return {"en": "the file", "ru": "файл"}
    last = path[-1]
    if isinstance(last, int):
        above = next((p for p in reversed(path[:-1]) if isinstance(p, str)), "")
        return {"en": f"item {last + 1} of '{above}'",
                "ru": f"элемент {last + 1} списка '{above}'"}
    return f"'{last}'"


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {int: "integer", float: "number", dict: "object", list: "array"}.get(
        type(value), "string")


def _type_fix(path: tuple[Any, ...], value: Any, actual: str,
              expected: list[str]) -> dict[str, str]:
    """What to write instead, as ``: write ...`` in both languages (or nothing)."""
    inline = _inline(value)
    if actual == "null":
        return _fix("give it a value, or remove the key", "укажите значение или уберите ключ")
    if "array" in expected and actual == "object":
        if len(path) == 1 and path[0] in KIND_OF_COLLECTION:
            return _fix("write one item per entity, each starting with '- id: ...' and its "
                        "fields indented below it",
                        "запишите каждую сущность отдельным элементом, начиная с '- id: ...', "
                        "а её поля — с отступом под ним")
        return _fix("write one '- ...' item per line, or [a, b]",
                    "пишите по одному элементу '- ...' на строке или [a, b]")
    if "array" in expected and actual != "array":
        return _fix(f"write [{inline}], or '- {inline}' on the next line",
                    f"напишите [{inline}] или '- {inline}' на следующей строке")
    if "object" in expected and actual != "array" and len(path) == 2 \
            and path[0] in KIND_OF_COLLECTION and isinstance(path[1], int):
        return _fix(f"write '- id: {inline}' and the fields of the entity indented below it",
                    f"напишите '- id: {inline}', а поля сущности — с отступом под ним")
    if "object" in expected and actual == "array":
        return _fix("write 'key: value' lines instead of '- ' items",
                    "пишите строки 'ключ: значение' вместо элементов '- '")
    if "object" in expected:
        return _fix("write 'key: value' lines indented below the key",
                    "пишите строки 'ключ: значение' с отступом под ключом")
    if actual in ("array", "object"):
        return _fix("give a single value", "укажите одно значение")
    return _scalar_fix(value, expected)


def _scalar_fix(value: Any, expected: list[str]) -> dict[str, str]:
    if "boolean" in expected:
        return _fix("write true or false, without quotes", "пишите true или false без кавычек")
    if "number" in expected or "integer" in expected:
        if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
            return _fix("write the number without quotes", "пишите число без кавычек")
        if isinstance(value, float) and "integer" in expected:
            return _fix("write a whole number", "пишите целое число")
        return _fix("write a number, such as 42 or 0.5", "пишите число, например 42 или 0.5")
    if "string" in expected:
        return _fix(f"put it in quotes: \"{_show_raw(value)}\"",
                    f"возьмите в кавычки: \"{_show_raw(value)}\"")
    return {}


_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_PLAIN = re.compile(r"[\w.@/+-]{1,40}")


def _inline(value: Any) -> str:
    """A scalar as it may stand inside ``[...]`` or after ``id:``."""
    text = _show_raw(value) if value is not None else "..."
    if isinstance(value, str) and not _PLAIN.fullmatch(text):
        return json.dumps(value[:40], ensure_ascii=False)
    return text if _PLAIN.fullmatch(text) else "..."


def _fix(en: str, ru: str) -> dict[str, str]:
    return {"en": f": {en}", "ru": f": {ru}"}


def _negative(value: Any) -> bool:
    """A number below zero, or a string that is one (``"-50"``): money paid cannot be."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return value < 0
    return isinstance(value, str) and _NEGATIVE.fullmatch(value) is not None


def _unknown_key(parsed: ParsedFile, path: tuple[Any, ...], key: str, schema: dict[str, Any],
                 project_file: bool) -> Diagnostic:
    allowed = list(schema.get("properties", {}))
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.75)
    if not path and not project_file and key in SETTINGS_KEYS:
        return _diag(parsed, (key,), "KK105", "schema.settings_outside", field=key, at_key=True)
    if close:
        from kkctl.messages import did_you_mean

        hint = did_you_mean(close[0])
    else:
        hint = {"en": " (custom fields must start with 'x-')",
                "ru": " (собственные поля должны начинаться с 'x-')"} if path else {}
    message_id = "schema.unknown_collection" if not path else "schema.unknown_field"
    return _diag(parsed, (*path, key), "KK105", message_id, field=key, hint=hint, at_key=True)


def _diag(parsed: ParsedFile, path: tuple[Any, ...], code: str, message_id: str,
          at_key: bool = False, **args: Any) -> Diagnostic:
    from kkctl.model import Source

    return Source(parsed, ()).diagnostic(code, message_id, *path, args=args,
                                         subject=_subject(parsed, path), at_key=at_key)


def _subject(parsed: ParsedFile, path: tuple[Any, ...]) -> tuple[str, str] | None:
    if len(path) >= 2 and path[0] in KIND_OF_COLLECTION and isinstance(path[1], int):
        try:
            ident = parsed.data[path[0]][path[1]].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            return None
        if isinstance(ident, str):
            return KIND_OF_COLLECTION[path[0]], ident
    return None


_TYPE_NAMES = {
    "string": ("a string", "строка"), "number": ("a number", "число"),
    "integer": ("a whole number", "целое число"), "array": ("a list", "список"),
    "object": ("a mapping", "словарь"), "boolean": ("true or false", "true или false"),
    "null": ("empty", "пусто"),
}


def _types(expected: Any) -> dict[str, str]:
    names = [expected] if isinstance(expected, str) else list(expected)
    pairs = [_TYPE_NAMES.get(n, (n, n)) for n in names]
    return {"en": " or ".join(p[0] for p in pairs), "ru": " или ".join(p[1] for p in pairs)}


def _type_of(value: Any) -> dict[str, str]:
    en, ru = _TYPE_NAMES[_type_name(value)]
    return {"en": en, "ru": ru}


def _show(value: Any) -> str | dict[str, str]:
    if isinstance(value, dict):
        return {"en": "a mapping", "ru": "словарь"}
    if isinstance(value, list):
        return {"en": "a list", "ru": "список"}
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _show_raw(value: Any) -> str:
    return str(value)


# -- files that are not kkctl's ----------------------------------------------------------------
_UNREAD = frozenset(("KK004", "KK005", "KK006"))  # nothing trustworthy to look at


@functools.lru_cache(maxsize=1)
def top_level_keys() -> frozenset[str]:
    """Every key kkctl knows at the top of a file: the collections and the settings."""
    return frozenset(bundle()["$defs"]["projectFile"]["properties"])


def foreign_file(parsed: ParsedFile, project: Project, settings: ParsedFile,
                 is_project: bool) -> list[Diagnostic]:
    """For a file of another tool that lies in the project (a Kubernetes manifest, a GitHub
    workflow, a TOML file named .yaml ...): KK012, once, instead of one problem per key it
    has (and its syntax errors: it is not YAML for kkctl to read). A file that is merely no
    kkctl file's shape keeps its reading problems (a duplicate key) beside KK012: that one
    is a guess. Nothing for a kkctl file, however broken. ``settings``: kkctl.yaml."""
    if is_project and not project.single_file:
        return []  # kkctl.yaml is the user's own, whatever it holds
    data = parsed.data
    if isinstance(data, dict):
        if _kkctl_shaped(data):
            return []  # nearly every file: its first key is a collection
    elif data is None and (not parsed.diagnostics
                           or any(d.code in _UNREAD for d in parsed.diagnostics)):
        return []
    from kkctl.foreign import recognise

    found = recognise(data, parsed.raw)
    if found is not None:
        return [_foreign(parsed, project, settings, "file.foreign", what=found.what,
                         evidence=found.evidence)]
    strangers = _strangers(data) if isinstance(data, dict) else []
    if strangers:
        shown = ", ".join(strangers[:4]) + (", ..." if len(strangers) > 4 else "")
        return [*parsed.diagnostics,
                _foreign(parsed, project, settings, "file.not_kkctl", keys=shown)]
    return []


def _kkctl_shaped(data: dict[Any, Any]) -> bool:
    """A collection holding a list, or a project setting: written for kkctl."""
    return any((key in KIND_OF_COLLECTION and type(value) is list)
               or (key in top_level_keys() and key not in KIND_OF_COLLECTION)
               for key, value in data.items())


def _strangers(data: dict[Any, Any]) -> list[str]:
    """The keys of a file that is about something else: neither kkctl's keys nor typos of
    them (a kkctl file with 'poeple:' still gets "did you mean 'people'?"), and at least
    three times as many as those that are (GitLab's categories.yml has 'metrics:' too)."""
    from kkctl.messages import is_typo

    known = top_level_keys()
    strangers, familiar = [], 0
    for key in data:
        name = str(key)
        if name.startswith("x-"):
            continue
        if name in known or any(is_typo(name, k) for k in known):
            familiar += 1
        else:
            strangers.append(name)
    return strangers if len(strangers) >= max(1, 3 * familiar) else []


def _foreign(parsed: ParsedFile, project: Project, settings: ParsedFile, message_id: str,
             **args: Any) -> Diagnostic:
    return Diagnostic("KK012", Severity.ERROR, parsed.path, 1, 1, (), message_id,
                      {**args, "exclude": _exclude_advice(parsed, project, settings)})


def _exclude_advice(parsed: ParsedFile, project: Project,
                    settings: ParsedFile) -> dict[str, str]:
    """The line to add to kkctl.yaml, or the entry to add to its ``exclude:`` list."""
    from kkctl.messages import LANGS, render

    if project.single_file:
        return {lang: render("file.exclude_single", lang, {}) for lang in LANGS}
    pattern = json.dumps(exclude_pattern(_relative(project, parsed.path)), ensure_ascii=False)
    has_list = isinstance(settings.data, dict) and "exclude" in settings.data
    message_id = "file.exclude_extend" if has_list else "file.exclude_add"
    return {lang: render(message_id, lang, {"pattern": pattern}) for lang in LANGS}


def exclude_pattern(relative: str) -> str:
    """An ``exclude:`` pattern that matches exactly this file: glob characters escaped, and
    anchored to the project root (``/teams.yaml``, not every teams.yaml at any depth)."""
    escaped = re.sub(r"([*?\[\\])", r"\\\1", relative)
    escaped = re.sub(r"(?<=/)([!#])|^([!#])", r"\\\1\2", escaped)
    if escaped.endswith(" "):
        escaped = escaped[:-1] + "\\ "
    return escaped if "/" in relative else "/" + escaped


def _relative(project: Project, display: str) -> str:
    """The file's path below the project root, from the name messages show."""
    from pathlib import Path

    path = Path(display)
    if not path.is_absolute():
        path = (project.display_root or Path.cwd()) / path
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        relative = Path(os.path.relpath(path, project.root)).as_posix()
        return path.name if relative.startswith("../") else relative


# -- suppressions that name no rule -------------------------------------------------------------
def unknown_rule_names(parsed: ParsedFile) -> list[Diagnostic]:
    """KK011 at each ``# kkctl: ignore[name]`` or ``lint_ignore`` entry that names no lint
    rule: a misspelt suppression suppresses nothing, and nobody would notice."""
    raw = parsed.raw
    if not raw:
        return []
    out: list[Diagnostic] = []
    if b"kkctl:" in raw and b"ignore[" in raw:  # memchr-fast: nearly every file stops here
        out.extend(_comment_names(parsed, raw.decode("utf-8", "replace")))
    if b"lint_ignore" in raw and isinstance(parsed.data, dict):
        out.extend(_lint_ignore_names(parsed, parsed.data))
    return out


def _comment_names(parsed: ParsedFile, text: str) -> list[Diagnostic]:
    from kkctl.codes import SUPPRESSION, is_rule_name, suggest

    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = SUPPRESSION.search(line)
        if match is None:
            continue
        offset = match.start(1)
        for part in match.group(1).split(","):
            name = part.strip()
            if name and not is_rule_name(name):
                column = offset + len(part) - len(part.lstrip()) + 1
                out.append(Diagnostic("KK011", Severity.ERROR, parsed.path, number, column, (),
                                      "lint.unknown_rule_comment",
                                      {"name": name, "hint": suggest(name, rules_only=True)}))
            offset += len(part) + 1
    return out


def _lint_ignore_names(parsed: ParsedFile, data: dict[str, Any]) -> list[Diagnostic]:
    from kkctl.codes import is_rule_name, suggest

    out = []
    for collection in KIND_OF_COLLECTION:
        items = data.get(collection)
        if type(items) is not list:
            continue
        for i, item in enumerate(items):
            names = item.get("lint_ignore") if type(item) is dict else None
            if type(names) is not list:
                continue
            for j, name in enumerate(names):
                if type(name) is str and name.strip() and not is_rule_name(name.strip()):
                    out.append(_diag(parsed, (collection, i, "lint_ignore", j), "KK011",
                                     "lint.unknown_rule_ignore", name=name,
                                     hint=suggest(name, rules_only=True)))
    return out
