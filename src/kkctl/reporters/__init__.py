"""Diagnostic reporters: one module per output format, shared by every command."""

from __future__ import annotations

import functools
import importlib

from kkctl.diagnostics import Diagnostic, Summary

TYPE_CHECKING = False  # no typing or dataclasses at run time: on every start-up
if TYPE_CHECKING:
    from kkctl.lint.rule import Rule

FORMATS = ("text", "json", "github", "sarif", "junit")
# Where a rule's documentation lives: docs/rules.md has a "## <slug>" section per rule
# (GitHub's anchor is the slug), docs/diagnostics.md one table of every other code.
DOCS = "https://github.com/kkctl/kkctl/blob/main/docs/"
_SEVERITY_WORDS = {"error": {"en": "error", "ru": "ошибка"},
                   "warning": {"en": "warning", "ru": "предупреждение"},
                   "info": {"en": "info", "ru": "замечание"}}


class Report:
    __slots__ = ("color", "command", "diagnostics", "files", "lang", "max_per_rule", "notes",
                 "summary")

    def __init__(self, command: str, diagnostics: list[Diagnostic], summary: Summary,
                 files: list[str], lang: str = "en", color: bool = False,
                 notes: list[str] | None = None, max_per_rule: int = 10) -> None:
        self.command = command  # "validate", "lint", ...
        self.diagnostics = diagnostics
        self.summary = summary
        self.files = files  # every file read, for formats that list passing files too
        self.lang = lang
        self.color = color
        # sentences kkctl adds under the summary (already in ``lang``): text, github, json
        self.notes: list[str] = [] if notes is None else notes
        self.max_per_rule = max_per_rule  # text: findings listed per rule, the rest counted


def render_statistics(fmt: str, report: Report) -> str:
    """``--statistics``: findings counted by rule, as text or JSON."""
    if fmt not in ("text", "json"):
        from kkctl.project import UsageError

        raise UsageError("usage.statistics_format", format=fmt)
    module = importlib.import_module("kkctl.reporters.statistics")  # as the formats are
    text: str = module.render(report, fmt)
    return text


def render(fmt: str, report: Report) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    module = importlib.import_module(f"kkctl.reporters.{fmt}_format")
    text: str = module.render(report)
    return text


def severity_word(severity: str, lang: str) -> str:
    """``error`` / ``ошибка``: a severity as the report's language names it."""
    words = _SEVERITY_WORDS[severity]
    return words.get(lang, words["en"])


@functools.cache
def slug(code: str) -> str:
    """The slug of a validation code (``KK102 unresolved-reference``) or a lint rule's."""
    from kkctl.codes import describe

    return describe(code).slug


@functools.cache
def lint_rule(code: str) -> Rule | None:
    """The lint rule of ``code``, None for validation (and bonus) codes."""
    from kkctl.codes import CODES

    if code in CODES or not code.startswith("KK2"):
        return None
    from kkctl.lint.registry import find

    return find(code)


def help_uri(code: str, lang: str) -> str:
    """The documentation of ``code``: its rule's section, or the page of every code."""
    rule = lint_rule(code)
    if rule is None:
        return DOCS + "diagnostics.md"
    return f"{DOCS}{'rules.ru.md' if lang == 'ru' else 'rules.md'}#{rule.slug}"
