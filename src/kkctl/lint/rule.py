"""What a lint rule is: a stable code and slug, a default severity, the lowest profile that
includes it, bilingual messages, and a check function of the model.

A rule lives in one module of :mod:`kkctl.lint.rules` (yamllint's layout): its docstring gives
the rationale, the methodology's Russian source quote and its meaning, and its options; its
``PASS``/``FAIL`` examples are YAML fragments merged into a small clean organisation, shown by
``kkctl explain`` and run by the test suite.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kkctl.diagnostics import Severity
from kkctl.model import Source

if TYPE_CHECKING:
    from kkctl.lint.context import LintContext

PROFILES = ("minimal", "recommended", "strict")


@dataclass(frozen=True)
class Finding:
    """One problem a rule found, before configuration gives it a severity."""

    source: Source  # the entity (or settings) at fault
    sub: tuple[Any, ...]  # the field below it, () for the entity itself
    message: str  # message name within the rule
    args: dict[str, Any] = field(default_factory=dict)
    at_key: bool = False  # point at the field's key rather than its value


Check = Callable[["LintContext", dict[str, Any]], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    slug: str
    severity: Severity
    profile: str  # the smallest profile that includes the rule
    # the step of adoption it checks (kkctl.steps, 1..9); 0: structural, checked at every step
    step: int
    source: str  # the domain rule(s) it implements, e.g. "R-01"
    summary: dict[str, str]  # {"en": ..., "ru": ...}, one line
    messages: dict[str, dict[str, str]]
    check: Check
    options: dict[str, Any] = field(default_factory=dict)
    heuristic: bool = False
    passing: tuple[str, ...] = ()
    failing: tuple[str, ...] = ()

    def in_profile(self, profile: str) -> bool:
        return PROFILES.index(self.profile) <= PROFILES.index(profile)

    @property
    def profiles(self) -> tuple[str, ...]:
        return PROFILES[PROFILES.index(self.profile):]

    def message_id(self, name: str) -> str:
        return f"{self.slug}.{name}"
