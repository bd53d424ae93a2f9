"""A suppression that suppresses nothing.

An inline ``# kkctl: ignore[rule]`` comment or a ``lint_ignore`` entry that no finding
matches is noise at best, and at worst hides the next real problem of that kind: it was
written for a problem that has since been fixed (or never existed), so remove it.

Source: none in the methodology; a linter's hygiene (like ruff's unused ``noqa``).

Only suppressions naming rules that ran are reported, so ``--select`` does not make the rest
look unused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """Подавление, которое ничего не подавляет.

Встроенный комментарий ``# kkctl: ignore[rule]`` или запись в ``lint_ignore``, под которые не
подходит ни одно замечание, — в лучшем случае шум, а в худшем скрывают следующую настоящую
проблему того же рода: их написали для проблемы, которую с тех пор исправили (или которой не
было), так что удалите их.

Источник: в методологии нет; это гигиена линтера (как неиспользуемый ``noqa`` в ruff).

Отмечаются только подавления, называющие правила, которые запускались, поэтому из-за ``--select``
остальные подавления не выглядят неиспользуемыми.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    """The engine reports unused suppressions once every other rule has run."""
    return iter(())


RULE = Rule(
    code="KK245",
    slug="unused-suppression",
    severity=Severity.INFO,
    profile="recommended",
    step=0,
    source="—",
    summary={"en": "A suppression comment or lint_ignore entry matches no finding.",
             "ru": "Подавление (комментарий или lint_ignore) не подавляет ни одной находки."},
    messages={
        "inline": {"en": "'# kkctl: ignore[{name}]' suppresses nothing here; remove it",
                   "ru": "'# kkctl: ignore[{name}]' здесь ничего не подавляет; удалите его"},
        "entity": {"en": "lint_ignore entry '{name}' suppresses nothing; remove it",
                   "ru": "запись lint_ignore '{name}' ничего не подавляет; удалите её"},
    },
    check=check,
    passing=("""
teams:
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [ann, dan]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent, stock]}
""",),
    failing=("""
teams:
  - id: shops
    name: Shops
    type: value_creating
    leader: ann
    members: [ann, dan]
    success_indicator: m-fresh-sales
    economics: {income: [sales], expenses: [rent, stock]}
    lint_ignore: [promise-loop]
""",),
)
