"""GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=…::message``.

GitHub shows at most 10 annotations of each severity (error, warning, notice) per step and
drops the rest without a word, so kkctl prints at most that many, the most important first,
and one closing notice that gives the totals and says where the rest are.
"""

from __future__ import annotations

from kkctl.diagnostics import Diagnostic
from kkctl.i18n import number
from kkctl.markup import github_data as _data
from kkctl.markup import github_property as _property
from kkctl.messages import render as message
from kkctl.reporters import Report, slug
from kkctl.reporters.statistics import groups
from kkctl.reporters.text_format import summary_line

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
LIMIT = 10  # annotations of one severity GitHub shows per step
# the closing notice is a notice too: it takes one place of the notices' ten
_BUDGET = {"error": LIMIT, "warning": LIMIT, "notice": LIMIT - 1}


def render(report: Report) -> str:
    chosen = choose(report.diagnostics)
    lines = [_annotation(d, report.lang) for d in chosen]
    lines.append(_closing(report, len(chosen)))
    return "\n".join(lines) + "\n"


def choose(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """What the annotations show: one finding of each rule before a second of any, rules
    by severity, then size (:meth:`Group.importance`), within each severity's budget."""
    budget = dict(_BUDGET)
    ranked = sorted(groups(diagnostics), key=lambda g: g.importance())
    chosen: list[Diagnostic] = []
    depth = 0
    while True:
        # the groups that still have a finding to show and room left in their severity
        open_ = [g for g in ranked if g.count > depth and budget[_LEVEL[g.severity.value]]]
        if not open_:
            break
        for group in open_:
            level = _LEVEL[group.severity.value]
            if budget[level]:
                chosen.append(group.items[depth])
                budget[level] -= 1
        depth += 1
    return sorted(chosen, key=lambda d: d.severity.rank)  # the log reads errors first


def _annotation(d: Diagnostic, lang: str) -> str:
    return (f"::{_LEVEL[d.severity.value]} file={_property(d.file)},line={d.line},"
            f"col={d.column},title={_property(f'{d.code} {slug(d.code)}')}"
            f"::{_data(d.message(lang))}")


def _closing(report: Report, shown: int) -> str:
    """Totals by severity, where the findings not shown are, and the report's notes."""
    lang, total = report.lang, len(report.diagnostics)
    parts = [summary_line(report)]
    if shown < total:
        parts.append(message("output.github_rest", lang, {
            "shown": number(shown, lang), "total": number(total, lang),
            "command": report.command}))
    parts += report.notes
    return f"::notice title={_property(f'kkctl {report.command}')}::{_data(chr(10).join(parts))}"
