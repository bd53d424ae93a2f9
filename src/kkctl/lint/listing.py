"""Rules described for people: ``--list-rules``, ``kkctl explain`` and docs/rules.md."""

from __future__ import annotations

import inspect
import json
import textwrap

from kkctl.lint.registry import all_rules
from kkctl.lint.rule import Rule

_SEVERITY_RU = {"error": "ошибка", "warning": "предупреждение", "info": "замечание"}


def rules_table(fmt: str = "text", lang: str | None = None) -> str:
    rules = all_rules()
    if fmt == "json":
        return json.dumps([{"code": r.code, "slug": r.slug, "severity": r.severity.value,
                            "profiles": list(r.profiles), "source": r.source,
                            "heuristic": r.heuristic, "summary": r.summary}
                           for r in rules], ensure_ascii=False, indent=2) + "\n"
    language = lang or "en"
    rows = [(r.code, r.slug, _severity(r, language), ",".join(r.profiles),
             r.summary.get(language, r.summary["en"])) for r in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4]
             for row in rows]
    return "\n".join(lines) + "\n"


def _severity(rule: Rule, lang: str) -> str:
    value = rule.severity.value
    return _SEVERITY_RU[value] if lang == "ru" else value


def rule_doc(rule: Rule) -> str:
    module = inspect.getmodule(rule.check)
    return inspect.cleandoc(module.__doc__ or "") if module is not None else ""


def explain(name: str, lang: str = "en") -> str:
    """``kkctl explain``: the rule named by slug or code, explained; an unknown name is a
    usage error."""
    from kkctl.lint.registry import find
    from kkctl.project import UsageError

    found = find(name)
    if found is None:
        raise UsageError(f"no lint rule '{name}'; 'kkctl lint --list-rules' lists them")
    return explain_rule(found, lang)


def explain_rule(rule: Rule, lang: str = "en") -> str:
    head = [f"{rule.code} {rule.slug}: {rule.summary.get(lang, rule.summary['en'])}",
            f"severity: {_severity(rule, lang)}; profiles: {', '.join(rule.profiles)}; "
            f"source: {rule.source}" + ("; heuristic" if rule.heuristic else ""), ""]
    body = [rule_doc(rule), ""]
    if rule.options:
        body += ["Options (kkctl.yaml lint.rules." + rule.slug + ".options):"]
        body += [f"  {k}: {v!r}" for k, v in rule.options.items()] + [""]
    for title, examples in (("PASS", rule.passing), ("FAIL", rule.failing)):
        for example in examples:
            body += [f"{title}:", textwrap.indent(example.strip("\n"), "    "), ""]
    return "\n".join(head + body).rstrip() + "\n"
