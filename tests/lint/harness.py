"""Run lint rules on the base organisation with a rule's example merged in."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from kkctl.diagnostics import Diagnostic
from kkctl.lint import config as lint_config
from kkctl.lint import engine
from kkctl.loader import Options, load

BASE = Path(__file__).resolve().parent / "base.yaml"


def base_data() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(BASE.read_text(encoding="utf-8"))
    return data


def merged(fragment: str) -> dict[str, Any]:
    """The base with the fragment merged in: entities with the same id replace the base's,
    new ones are added; a mapping merges key by key; a fragment value ``null`` deletes."""
    data = copy.deepcopy(base_data())
    extra = YAML(typ="safe").load(fragment) or {}
    for key, value in extra.items():
        if value is None:
            data.pop(key, None)
        elif isinstance(value, list) and isinstance(data.get(key), list):
            by_id = {item.get("id"): i for i, item in enumerate(data[key])
                     if isinstance(item, dict)}
            for item in value:
                index = by_id.get(item.get("id")) if isinstance(item, dict) else None
                if index is None:
                    data[key].append(item)
                elif item.get("delete") is True:
                    data[key][index] = None
                else:
                    data[key][index] = item
            data[key] = [item for item in data[key] if item is not None]
        elif isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key].update(value)
        else:
            data[key] = value
    return data


def write_org(folder: Path, data: dict[str, Any]) -> Path:
    path = folder / "org.yaml"
    yaml = YAML()
    yaml.default_flow_style = False
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(data, out)
    return path


def lint_file(path: Path, select: list[str] | None = None,
              profile: str = "strict") -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(validation diagnostics, lint diagnostics)."""
    loaded = load(str(path), Options(use_cache=False))
    config, problems = lint_config.resolve(loaded.org, profile, select, None)
    result = engine.run(loaded, config)
    return loaded.diagnostics + problems, result.diagnostics
