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


def rule_doc(rule: Rule, lang: str = "en") -> str:
    """The rule's documentation: its module's docstring, or ``DOC_RU`` beside it in Russian
    (same paragraphs: title, rationale, source quote, how it is checked, fix)."""
    module = inspect.getmodule(rule.check)
    if module is None:
        return ""
    text = getattr(module, "DOC_RU", None) if lang == "ru" else None
    return inspect.cleandoc(text or module.__doc__ or "")


# Words of explain and the rules pages, in both languages.
WORDS = {
    "severity": {"en": "severity", "ru": "уровень"},
    "profiles": {"en": "profiles", "ru": "профили"},
    "source": {"en": "source", "ru": "источник"},
    "heuristic": {"en": "heuristic", "ru": "эвристика"},
    "options": {"en": "Options (kkctl.yaml lint.rules.{slug}.options):",
                "ru": "Настройки (kkctl.yaml lint.rules.{slug}.options):"},
    "options_title": {"en": "Options:", "ru": "Настройки:"},
    "default": {"en": "default", "ru": "по умолчанию"},
    "PASS": {"en": "PASS", "ru": "ПРОХОДИТ"},
    "FAIL": {"en": "FAIL", "ru": "НЕ ПРОХОДИТ"},
    "Passes": {"en": "Passes", "ru": "Проходит"},
    "Fails": {"en": "Fails", "ru": "Не проходит"},
    "reported_by": {"en": "reported by", "ru": "сообщает"},
    "validation": {"en": "kkctl validate, and every command that reads the organisation",
                   "ru": "'kkctl validate' и все команды, которые читают организацию"},
    "bonus": {"en": "kkctl bonus (and kkctl report's bonus section)",
              "ru": "'kkctl bonus' (и раздел вознаграждений 'kkctl report')"},
    "cause": {"en": "Typical cause:", "ru": "Типичная причина:"},
    "fix": {"en": "Fix:", "ru": "Как исправить:"},
}


def word(key: str, lang: str) -> str:
    table = WORDS[key]
    return table.get(lang, table["en"])


def explain(name: str, lang: str = "en") -> str:
    """``kkctl explain``: a lint rule (by slug or code) or any other diagnostic code (KK0xx
    reading files, KK1xx schema and references, KK3xx bonus; by code or name), explained.
    An unknown name is a usage error that names the closest code or rule."""
    from kkctl.codes import CODES, lookup, suggest
    from kkctl.lint.registry import find
    from kkctl.project import UsageError

    found = find(name.strip())
    if found is not None:
        return explain_rule(found, lang)
    code = lookup(name)
    if code is not None and code.code in CODES:
        return explain_code(code.code, lang)
    raise UsageError("usage.no_code", name=name, hint=suggest(name))


def explain_code(code: str, lang: str = "en") -> str:
    """A validation or bonus code: its summary, who reports it, a typical cause, the fix and
    a file that gets it."""
    from kkctl.codes import CODES, EXPLANATIONS

    info = CODES[code]
    more = EXPLANATIONS.get(code)
    where = word("bonus" if code.startswith("KK3") else "validation", lang)
    lines = [f"{info.code} {info.slug}: {info.summary_ru if lang == 'ru' else info.summary}",
             f"{word('reported_by', lang)}: {where}", ""]
    if more is not None:
        for title, text in (("cause", more.cause), ("fix", more.fix)):
            lines += [textwrap.fill(f"{word(title, lang)} {text.get(lang, text['en'])}",
                                    width=92), ""]
        if more.failing:
            lines += [f"{word('FAIL', lang)}:", textwrap.indent(more.failing.strip("\n"),
                                                                "    "), ""]
    return "\n".join(lines).rstrip() + "\n"


def explain_rule(rule: Rule, lang: str = "en") -> str:
    head = [f"{rule.code} {rule.slug}: {rule.summary.get(lang, rule.summary['en'])}",
            f"{word('severity', lang)}: {_severity(rule, lang)}; {word('profiles', lang)}: "
            f"{', '.join(rule.profiles)}; {word('source', lang)}: {rule.source}"
            + (f"; {word('heuristic', lang)}" if rule.heuristic else ""), ""]
    body = [rule_doc(rule, lang), ""]
    if rule.options:
        body += [word("options", lang).format(slug=rule.slug)]
        body += [f"  {k}: {v!r}" for k, v in rule.options.items()] + [""]
    for title, examples in (("PASS", rule.passing), ("FAIL", rule.failing)):
        for example in examples:
            body += [f"{word(title, lang)}:", textwrap.indent(example.strip("\n"), "    "), ""]
    return "\n".join(head + body).rstrip() + "\n"
