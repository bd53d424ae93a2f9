"""JSON Schema (draft 2020-12) validation of every file, with positioned, helpful messages.

Two engines, one verdict: ``jsonschema-rs`` answers "valid?" for each document (the common
case, ~80x faster); only an invalid document goes through ``jsonschema``, whose errors carry
what a good message needs. ``tests/test_schema_engines.py`` shows they agree.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from importlib import resources
from typing import Any

from kkctl.diagnostics import Diagnostic
from kkctl.model import COLLECTIONS
from kkctl.yamlread import ParsedFile

SCHEMA_FILE = "kkctl.schema.json"
SETTINGS_KEYS = ("kkctl", "organisation", "exclude", "lint", "fmt")
_NEGATIVE = re.compile(r"-[0-9]{1,16}(\.[0-9]{1,6})?")
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
    data = parsed.data
    if is_valid(data, project_file):
        return []
    out: list[Diagnostic] = []
    for error in sorted(full_validator(project_file).iter_errors(data),
                        key=lambda e: [str(p) for p in e.absolute_path]):
        out.extend(_translate(parsed, error, project_file))
    return out


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
        return [_diag(parsed, path, "KK101", "schema.required", field=f) for f in missing]
    if keyword == "additionalProperties":
        return [_unknown_key(parsed, path, key, error.schema, project_file)
                for key in instance
                if key not in error.schema.get("properties", {}) and not key.startswith("x-")]
    if keyword == "propertyNames":
        return [_diag(parsed, (*path, error.instance), "KK100", "schema.id",
                      value=_show_raw(error.instance), at_key=True)]
    if keyword == "type":
        return [_diag(parsed, path, "KK100", "schema.type", value=_show(instance),
                      actual=_type_of(instance), expected=_types(error.validator_value))]
    if keyword == "enum":
        return [_diag(parsed, path, "KK100", "schema.enum", value=_show_raw(instance),
                      allowed=", ".join(str(v) for v in error.validator_value))]
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
    if value is None:
        name = "null"
    elif isinstance(value, bool):
        name = "boolean"
    else:
        name = {int: "integer", float: "number", str: "string", list: "array",
                dict: "object"}.get(type(value), "string")
    en, ru = _TYPE_NAMES[name]
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
