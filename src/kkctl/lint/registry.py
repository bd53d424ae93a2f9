"""Every rule, discovered from the modules of :mod:`kkctl.lint.rules`."""

from __future__ import annotations

import functools
import importlib
import pkgutil

from kkctl.lint.rule import Rule


@functools.lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    from kkctl import messages
    from kkctl.lint import rules as package

    found: list[Rule] = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        rule = getattr(module, "RULE", None)
        if isinstance(rule, Rule):
            found.append(rule)
            for name, texts in rule.messages.items():
                messages.MESSAGES[rule.message_id(name)] = texts
    found.sort(key=lambda r: r.code)
    codes = [r.code for r in found]
    slugs = [r.slug for r in found]
    if len(set(codes)) != len(codes) or len(set(slugs)) != len(slugs):
        raise RuntimeError("two lint rules share a code or a slug")
    return tuple(found)


def find(name: str) -> Rule | None:
    """A rule by slug or code (case-insensitive code)."""
    for rule in all_rules():
        if name in (rule.slug, rule.code) or name.upper() == rule.code:
            return rule
    return None
