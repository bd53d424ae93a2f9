"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import json
from typing import Any

from kkctl import __version__
from kkctl.codes import describe
from kkctl.markup import json_safe, visible, visible_lines
from kkctl.reporters import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render(report: Report) -> str:
    codes = sorted({d.code for d in report.diagnostics})
    index = {code: i for i, code in enumerate(codes)}
    rules = []
    for code in codes:
        info = describe(code)
        rules.append({
            "id": code,
            "name": info.slug,
            "shortDescription": {"text": info.summary},
            "fullDescription": {"text": info.summary_ru if report.lang == "ru" else info.summary},
        })
    results: list[dict[str, Any]] = []
    for d in report.diagnostics:
        results.append({
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _LEVEL[d.severity.value],
            "message": {"text": visible_lines(d.message(report.lang))},  # shown in a browser
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(d.file), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": d.line, "startColumn": d.column},
                },
                "logicalLocations": ([{"fullyQualifiedName": visible(d.path_text)}]
                                     if d.path else []),
            }],
        })
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kkctl", "version": __version__,
                                "informationUri": "https://github.com/kkctl/kkctl",
                                "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json_safe(json.dumps(log, ensure_ascii=False, indent=2)) + "\n"


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path.replace("\\", "/"), safe="/:")
