"""GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=…::message``."""

from __future__ import annotations

from kkctl.markup import github_data as _data
from kkctl.markup import github_property as _property
from kkctl.reporters import Report

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def render(report: Report) -> str:
    lines = []
    for d in report.diagnostics:
        lines.append(
            f"::{_LEVEL[d.severity.value]} file={_property(d.file)},line={d.line},"
            f"col={d.column},title={_property(d.code)}::{_data(d.message(report.lang))}")
    from kkctl.reporters.text_format import summary_line

    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
