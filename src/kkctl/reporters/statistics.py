"""``kkctl lint --statistics``: how many findings each rule has, most frequent first (as
``ruff --statistics``), for deciding what to fix, configure or baseline first.

The grouping here also decides which findings GitHub's few annotations show
(:mod:`kkctl.reporters.github_format`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from kkctl.diagnostics import Diagnostic, Severity
from kkctl.i18n import number
from kkctl.messages import render as message
from kkctl.reporters import Report, lint_rule, severity_word, slug


@dataclass
class Group:
    """The findings of one code at one severity, in the order they were given."""

    code: str
    severity: Severity
    first: int  # position of the first finding: ties keep the order findings came in
    items: list[Diagnostic] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def slug(self) -> str:
        return slug(self.code)

    def importance(self) -> tuple[int, int, int, int]:
        """Errors before warnings before notes; within one severity, validation problems
        first (lint's findings may be wrong until they are fixed), then the biggest rule."""
        return (self.severity.rank, 0 if lint_rule(self.code) is None else 1, -self.count,
                self.first)


def groups(diagnostics: list[Diagnostic]) -> list[Group]:
    """The findings by code and severity (a code's severity can be configured, so one code
    normally has one severity), in order of first appearance."""
    found: dict[tuple[str, Severity], Group] = {}
    for i, diag in enumerate(diagnostics):
        key = (diag.code, diag.severity)
        group = found.get(key)
        if group is None:
            group = found[key] = Group(diag.code, diag.severity, i)
        group.items.append(diag)
    return list(found.values())


def render(report: Report, fmt: str) -> str:
    """The table (``fmt`` "text") or ``[{code, slug, severity, count}]`` ("json")."""
    rows = sorted(groups(report.diagnostics),
                  key=lambda g: (-g.count, g.severity.rank, g.code))
    if fmt == "json":
        return json.dumps([{"code": g.code, "slug": g.slug, "severity": g.severity.value,
                            "count": g.count} for g in rows], ensure_ascii=False,
                          indent=2) + "\n"
    if fmt != "text":
        raise ValueError(f"no statistics in format {fmt!r}")
    return _table(rows, report.lang)


def _table(rows: list[Group], lang: str) -> str:
    head = [message(f"statistics.{key}", lang, {})
            for key in ("count", "code", "rule", "severity")]
    body = [[number(g.count, lang), g.code, g.slug, severity_word(g.severity.value, lang)]
            for g in rows]
    total = [number(sum(g.count for g in rows), lang), message("statistics.total", lang, {}),
             "", ""]
    table = [head, *body, total]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    lines = []
    for row in table:
        cells = [row[0].rjust(widths[0])]  # counts right-aligned, as numbers are
        cells += [cell.ljust(widths[i]) for i, cell in enumerate(row[1:], 1)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
