"""``{"diagnostics": [...], "summary": {...}, "notes": [...]}``: one object per problem,
stable field names."""

from __future__ import annotations

import json

from kkctl import __version__
from kkctl.markup import json_safe
from kkctl.reporters import Report


def render(report: Report) -> str:
    payload = {
        "tool": {"name": "kkctl", "version": __version__, "command": report.command},
        "diagnostics": [
            {"code": d.code, "severity": d.severity.value, "message": d.message(report.lang),
             "file": d.file, "line": d.line, "column": d.column, "path": d.path_text}
            for d in report.diagnostics
        ],
        "summary": report.summary.as_dict(),
        "notes": report.notes,  # sentences kkctl adds under the summary, in the report's language
    }
    return json_safe(json.dumps(payload, ensure_ascii=False, indent=2)) + "\n"
