"""Open findings: validation, lint and bonus problems listed (errors first, then warnings),
with a count per rule, so the council sees what is wrong rather than how much."""

from __future__ import annotations

from collections import Counter
from typing import Any

from kkctl.codes import describe
from kkctl.diagnostics import Diagnostic, Severity
from kkctl.labels import label
from kkctl.markup import md_text
from kkctl.messages import plural
from kkctl.report.words import t

MAX_LISTED = 20


def ordered(findings: list[Diagnostic]) -> list[Diagnostic]:
    """Errors first, then warnings, then notes; the most frequent rule first within each, then
    by place."""
    per_code = Counter(d.code for d in findings)
    return sorted(findings, key=lambda d: (d.severity.rank, -per_code[d.code], d.code, d.file,
                                           d.line, d.column))


def section(findings: list[Diagnostic], lang: str) -> dict[str, Any]:
    counts = {s: sum(1 for d in findings if d.severity is s) for s in Severity}
    summary = t(lang, "findings_clean") if not findings else t(
        lang, "findings_counts", counts=", ".join(
            plural(word, counts[severity], lang) for word, severity in (
                ("error", Severity.ERROR), ("warning", Severity.WARNING),
                ("info", Severity.INFO))))
    everything = ordered(findings)
    listable = [d for d in everything if d.severity is not Severity.INFO]
    listed = [f"**{label('severity', d.severity.value, lang)}** `{d.code}` "
              f"{md_text(d.file)}:{d.line}: {md_text(d.message(lang))}"
              for d in listable[:MAX_LISTED]]
    by_rule = Counter((d.severity.rank, d.severity.value, d.code) for d in findings)
    rules = []
    for (_, severity, code), count in sorted(by_rule.items(),
                                             key=lambda kv: (kv[0][0], -kv[1], kv[0][2])):
        info = describe(code)
        rules.append({"code": code, "rule": md_text(info.summary_ru if lang == "ru"
                                                    else info.summary),
                      "severity": label("severity", severity, lang), "count": str(count)})
    more = len(listable) - len(listed)
    return {
        "title": t(lang, "findings_title"), "summary": summary,
        "head": [t(lang, k) for k in ("col_code", "col_rule", "col_severity", "col_count")],
        "rules": rules, "listed_title": t(lang, "findings_listed") if listed else None,
        "listed": listed, "more": t(lang, "findings_more", count=more) if more > 0 else None,
    }
