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


def rules_page() -> str:
    from kkctl.docgen import GENERATED

    lines = [GENERATED, "", "# Lint rules", "",
             "`kkctl lint` checks the organisation against the methodology's rules (domain "
             "rules R-01…R-32). Each rule has a stable code and slug, a default severity, and "
             "belongs to the profiles from its lowest up: `minimal` ⊂ `recommended` (default) "
             "⊂ `strict`. Heuristic rules are marked: they flag what is likely, not certain.",
             "", "Configure in kkctl.yaml:", "", "```yaml",
             "lint:", "  profile: recommended", "  rules:",
             "    promise-loop: error            # off | info | warning | error",
             "    evolutionary-goal: {severity: warning, options: {max_length: 150}}", "```",
             "", "Accept a finding with `# kkctl: ignore[slug] reason` on its line or the line "
             "above (or the entity's first line), with `lint_ignore: [slug]` on the entity, or "
             "with a baseline: `kkctl lint --write-baseline`.", "",
             "| code | slug | severity | profiles | summary |", "|---|---|---|---|---|"]
    for rule in all_rules():
        heuristic = " (heuristic)" if rule.heuristic else ""
        lines.append(f"| `{rule.code}` | [`{rule.slug}`](#{rule.slug}) | {rule.severity.value} "
                     f"| {', '.join(rule.profiles)} | {rule.summary['en']}{heuristic} |")
    for rule in all_rules():
        lines += ["", f"## {rule.slug}", "",
                  f"`{rule.code}` · {rule.severity.value} · profiles: {', '.join(rule.profiles)}"
                  f" · source: {rule.source}" + (" · heuristic" if rule.heuristic else ""), "",
                  f"{rule.summary['en']} — {rule.summary['ru']}", "", rule_doc(rule)]
        if rule.options:
            lines += ["", "Options:", ""]
            lines += [f"* `{k}` (default `{v!r}`)" for k, v in rule.options.items()]
        for title, examples in (("Passes", rule.passing), ("Fails", rule.failing)):
            for example in examples:
                lines += ["", f"{title}:", "", "```yaml", example.strip("\n"), "```"]
    return "\n".join(lines) + "\n"
