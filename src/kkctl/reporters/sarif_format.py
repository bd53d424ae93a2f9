"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Each rule a finding refers to is described in the report's language, with a link to its
documentation and its ``kkctl explain`` text as help (code scanning shows it beside an alert).
"""

from __future__ import annotations

import json
from typing import Any

from kkctl import __version__
from kkctl.codes import describe
from kkctl.markup import json_safe, visible, visible_lines
from kkctl.messages import render as message
from kkctl.reporters import Report, help_uri, lint_rule

# The OASIS schema of SARIF 2.1.0 (with errata 01), which the standard itself names.
SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
          "sarif-schema-2.1.0.json")
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render(report: Report) -> str:
    codes = sorted({d.code for d in report.diagnostics})
    index = {code: i for i, code in enumerate(codes)}
    rules = [describe_rule(code, report.lang) for code in codes]
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


def describe_rule(code: str, lang: str) -> dict[str, Any]:
    """A ``reportingDescriptor``: every text in ``lang`` alone."""
    info, rule, uri = describe(code), lint_rule(code), help_uri(code, lang)
    summary = info.summary_ru if lang == "ru" else info.summary
    entry: dict[str, Any] = {"id": code, "name": info.slug,
                             "shortDescription": {"text": summary}}
    if rule is None:
        help_text = f"{code} {info.slug}: {summary}\n\n" + message("output.code_help", lang,
                                                                  {"uri": uri})
        entry.update({"fullDescription": {"text": summary}, "helpUri": uri,
                      "help": {"text": help_text, "markdown": help_text}})
        return entry
    from kkctl.lint.listing import explain_rule, rule_doc

    # the doc's first paragraphs: what the rule asks and why
    full = "\n\n".join(rule_doc(rule, lang).split("\n\n")[:2]) or summary
    entry.update({
        "fullDescription": {"text": full},
        "helpUri": uri,
        "help": {"text": explain_rule(rule, lang), "markdown": _markdown(code, lang)},
        "defaultConfiguration": {"level": _LEVEL[rule.severity.value]},
    })
    return entry


def _markdown(code: str, lang: str) -> str:
    """``kkctl explain`` as Markdown: the same text docs/rules.md has for the rule."""
    from kkctl.lint.listing import _severity, rule_doc, word

    rule = lint_rule(code)
    assert rule is not None
    lines = [f"**{rule.code} `{rule.slug}`**: {rule.summary.get(lang, rule.summary['en'])}",
             "", f"{word('severity', lang)}: {_severity(rule, lang)} · {word('profiles', lang)}: "
             f"{', '.join(rule.profiles)} · {word('source', lang)}: {rule.source}"
             + (f" · {word('heuristic', lang)}" if rule.heuristic else ""),
             "", rule_doc(rule, lang)]
    if rule.options:
        lines += ["", word("options", lang).format(slug=rule.slug), ""]
        lines += [f"* `{k}` ({word('default', lang)} `{v!r}`)" for k, v in rule.options.items()]
    for title, examples in (("Passes", rule.passing), ("Fails", rule.failing)):
        for example in examples:
            lines += ["", f"{word(title, lang)}:", "", "```yaml", example.strip("\n"), "```"]
    return "\n".join(lines) + "\n"


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path.replace("\\", "/"), safe="/:")
