"""Compiler-style lines, then a one-line summary:

``org/teams/delivery.yaml:12:13: error KK102 team 'delivery': leader 'ghost' is not a person``
"""

from __future__ import annotations

from kkctl.markup import visible
from kkctl.messages import plural
from kkctl.messages import render as message
from kkctl.reporters import Report

_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_RESET = "\x1b[0m"
_SEVERITY_RU = {"error": "ошибка", "warning": "предупреждение", "info": "замечание"}


def render(report: Report) -> str:
    lines = []
    for diag in report.diagnostics:
        severity = diag.severity.value
        shown = _SEVERITY_RU[severity] if report.lang == "ru" else severity
        if report.color:
            shown = f"{_COLORS[severity]}{shown}{_RESET}"
        # user text escaped piece by piece, so the colour codes kkctl adds still work
        lines.append(f"{visible(diag.file)}:{diag.line}:{diag.column}: {shown} "
                     f"{diag.code} {visible(diag.message(report.lang))}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def summary_line(report: Report) -> str:
    s, lang = report.summary, report.lang
    files = plural("file", s.files, lang)
    if not (s.errors or s.warnings or s.infos):
        line = message("summary.clean", lang, {"files": files})
    else:
        counts = [plural(word, n, lang) for word, n in
                  (("error", s.errors), ("warning", s.warnings), ("info", s.infos)) if n]
        line = message("summary.found", lang, {"counts": ", ".join(counts), "files": files})
    if s.baselined:
        line += message("summary.baselined", lang, {"count": s.baselined})
    return line
