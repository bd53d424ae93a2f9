"""A change for reviewers: summary first, then entities, then what it does to lint and pay."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from kkctl.bonus.currency import format_amount
from kkctl.diagnostics import Diagnostic
from kkctl.diff.compare import Change, FieldChange
from kkctl.diff.consequences import BonusDelta, LintDelta
from kkctl.markup import json_safe, md_code, md_text, visible

_KINDS = {  # kind: (en singular, en plural, ru)
    "organisation": ("organisation", "organisation", "организация"),
    "person": ("person", "people", "сотрудники"), "client": ("client", "clients", "клиенты"),
    "value": ("value", "values", "ценности"), "team": ("team", "teams", "команды"),
    "council": ("council", "councils", "советы"), "promise": ("promise", "promises", "обещания"),
    "authority": ("authority", "authorities", "полномочия"),
    "metric": ("metric", "metrics", "метрики"), "canvas": ("canvas", "canvases", "канвы"),
    "reward_scheme": ("reward scheme", "reward schemes", "системы вознаграждения"),
    "period": ("period", "periods", "периоды"), "hypothesis": ("hypothesis", "hypotheses",
                                                              "гипотезы"),
}
_WORDS = {
    "en": {"title": "Organisation change", "no_changes": "No changes to the organisation.",
           "lint": "Lint", "introduced": "introduced", "resolved": "resolved",
           "bonus": "Bonus", "pool": "pool", "paid": "paid", "period": "period",
           "scheme": "scheme", "hidden": "per-person amounts: use --include-payouts",
           "added": "added", "removed": "removed", "changed": "changed",
           "field": "field", "before": "before", "after": "after", "none": "nothing",
           "pool_same": "pool {pool} unchanged; {count} people's shares change"},
    "ru": {"title": "Изменение организации", "no_changes": "Организация не изменилась.",
           "lint": "Линтер", "introduced": "появилось", "resolved": "исправлено",
           "bonus": "Вознаграждение", "pool": "пул", "paid": "к выплате", "period": "период",
           "scheme": "схема", "hidden": "суммы по сотрудникам: --include-payouts",
           "added": "добавлено", "removed": "удалено", "changed": "изменено",
           "field": "поле", "before": "было", "after": "стало", "none": "ничего",
           "pool_same": "пул {pool} без изменений; меняются доли сотрудников: {count}"},
}
_SIGN = {"added": "+", "removed": "-", "changed": "~"}


@dataclass
class DiffResult:
    base: str  # what was compared: a revision, "working tree", or a folder
    head: str
    changes: list[Change]
    lint: LintDelta
    bonus: list[BonusDelta]
    currency: str
    include_payouts: bool = False


def summary_counts(changes: list[Change]) -> dict[str, Any]:
    by_kind: dict[str, dict[str, int]] = {}
    for change in changes:
        by_kind.setdefault(change.kind, Counter())[change.op] += 1
    return {"added": sum(c.op == "added" for c in changes),
            "removed": sum(c.op == "removed" for c in changes),
            "changed": sum(c.op == "changed" for c in changes),
            "by_kind": {k: dict(v) for k, v in by_kind.items()}}


def summary_line(changes: list[Change], lang: str) -> str:
    """``+1 person, ~1 team, ~1 promise, -0``."""
    parts = []
    for op in ("added", "changed", "removed"):
        counts = Counter(c.kind for c in changes if c.op == op)
        for kind, count in counts.items():
            parts.append(f"{_SIGN[op]}{count} {_kind(kind, count, lang)}")
    if not any(c.op == "removed" for c in changes):
        parts.append("-0")
    return ", ".join(parts)


def _kind(kind: str, count: int, lang: str) -> str:
    names = _KINDS.get(kind, (kind, kind, kind))
    if lang == "ru":
        return names[2]
    return names[0] if count == 1 else names[1]


def _value(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):  # a list item that joined or left: its key, then the rest
        key = value.get("person") or value.get("id") or value.get("period") or value.get("value")
        rest = ", ".join(f"{k}: {_value(v)}" for k, v in value.items()
                         if v is not key and k not in ("person", "id"))
        return f"{key} ({rest})" if key and rest else str(key) if key else json.dumps(
            value, ensure_ascii=False, default=str)
    return json.dumps(value, ensure_ascii=False, default=str)


def _field_text(item: FieldChange, lang: str) -> str:
    if item.op == "added":
        return f"{item.path}: + {_value(item.new)}"
    if item.op == "removed":
        return f"{item.path}: − {_value(item.old)}"
    if item.op == "reordered":
        return f"{item.path}: {_value(item.old)} → {_value(item.new)}"
    if item.old is None:
        return f"{item.path}: + {_value(item.new)}"
    if item.new is None:
        return f"{item.path}: − {_value(item.old)}"
    return f"{item.path}: {_value(item.old)} → {_value(item.new)}"


def _money(units: int, currency: str) -> str:
    return format_amount(units, currency, grouping=True)


def _delta(old: int, new: int, currency: str) -> str:
    sign = "+" if new >= old else "−"
    change = _money(abs(new - old), currency)
    return f"{_money(old, currency)} → {_money(new, currency)} ({sign}{change})"


def text(result: DiffResult, lang: str, color: bool = False) -> str:
    words = _WORDS[lang]
    paint = _painter(color)
    summary = summary_line(result.changes, lang) if result.changes else words["no_changes"]
    out = [f"{visible(result.base)} → {visible(result.head)}: {summary}"]
    for change in result.changes:
        sign = _SIGN[change.op]
        head = f"{sign} {_kind(change.kind, 1, 'en')} {visible(change.id)}"
        if change.name != change.id:
            head += f" ({visible(change.name)})"
        out.append(paint(head, {"+": "32", "-": "31", "~": "33"}[sign]))
        out += [f"    {visible(_field_text(f, lang))}" for f in change.fields]
    out += _lint_text(result.lint, lang)
    out += _bonus_text(result, lang)
    return "\n".join(out) + "\n"


def _painter(color: bool) -> Any:
    if not color:
        return lambda text, code: text
    return lambda text, code: f"\x1b[{code}m{text}\x1b[0m"


def _diag_line(diag: Diagnostic, lang: str) -> str:
    return visible(f"{diag.file}:{diag.line}:{diag.column}: {diag.severity.value} {diag.code} "
                   f"{diag.message(lang)}")


def _lint_text(delta: LintDelta, lang: str) -> list[str]:
    words = _WORDS[lang]
    if not delta.introduced and not delta.resolved:
        return []
    out = [f"{words['lint']}: {len(delta.introduced)} {words['introduced']}, "
           f"{len(delta.resolved)} {words['resolved']}"]
    out += [f"  + {_diag_line(d, lang)}" for d in delta.introduced]
    out += [f"  − {_diag_line(d, lang)}" for d in delta.resolved]
    return out


def _bonus_text(result: DiffResult, lang: str) -> list[str]:
    words = _WORDS[lang]
    if not result.bonus:
        return []
    out = [f"{words['bonus']}:"]
    for item in result.bonus:
        out.append(f"  {words['period']} {item.period}, {words['scheme']} {item.scheme}: "
                   f"{_pool_text(item, result.currency, lang)}")
        if result.include_payouts:
            out += [f"    {visible(p.person)} ({visible(p.name)}): "
                    f"{_delta(p.old, p.new, result.currency)}" for p in item.people]
    if not result.include_payouts and any(item.people for item in result.bonus):
        out.append(f"  ({words['hidden']})")
    return out


def _pool_text(item: BonusDelta, currency: str, lang: str) -> str:
    words = _WORDS[lang]
    if item.old_pool != item.new_pool:
        return f"{words['pool']} {_delta(item.old_pool, item.new_pool, currency)}"
    return words["pool_same"].format(pool=_money(item.new_pool, currency),
                                     count=len(item.people))


def markdown(result: DiffResult, lang: str) -> str:
    words = _WORDS[lang]
    summary = summary_line(result.changes, lang) if result.changes else words["no_changes"]
    out = [f"### {words['title']}: {md_code(result.base)} → {md_code(result.head)}", "",
           f"**{summary}**", ""]
    for change in result.changes:
        sign = _SIGN[change.op]
        title = f"{sign} {_kind(change.kind, 1, 'en')} {md_code(change.id)}"
        if change.name != change.id:
            title += f" — {md_text(change.name)}"
        out.append(f"- {title}")
        out += [f"  - {md_text(_field_text(f, lang))}" for f in change.fields]
    if result.lint.introduced or result.lint.resolved:
        out += ["", f"#### {words['lint']}: {len(result.lint.introduced)} {words['introduced']}"
                    f", {len(result.lint.resolved)} {words['resolved']}", ""]
        out += [f"- 🔴 `{d.code}` {md_text(d.file)}:{d.line}: {md_text(d.message(lang))}"
                for d in result.lint.introduced]
        out += [f"- ✅ `{d.code}` {md_text(d.file)}:{d.line}: ~~{md_text(d.message(lang))}~~"
                for d in result.lint.resolved]
    if result.bonus:
        out += ["", f"#### {words['bonus']}", "",
                f"| {words['period']} | {words['scheme']} | {words['pool']} | "
                f"{words['paid']} |", "|---|---|---:|---:|"]
        for item in result.bonus:
            pool = _delta(item.old_pool, item.new_pool, result.currency) \
                if item.old_pool != item.new_pool else _money(item.new_pool, result.currency)
            paid = _delta(item.old_paid, item.new_paid, result.currency) \
                if item.old_paid != item.new_paid else _money(item.new_paid, result.currency)
            out.append(f"| {md_text(item.period)} | {md_text(item.scheme)} | {pool} | {paid} |")
        people = [(item, p) for item in result.bonus for p in item.people]
        if result.include_payouts and people:
            out += ["", "| person | period | scheme | amount |", "|---|---|---|---:|"]
            out += [f"| {md_text(p.name)} ({md_code(p.person)}) | {md_text(i.period)} | "
                    f"{md_text(i.scheme)} | {_delta(p.old, p.new, result.currency)} |"
                    for i, p in people]
        elif people:
            out += ["", f"_{words['hidden']}_"]
    return "\n".join(out) + "\n"


def as_json(result: DiffResult) -> str:
    def diag(d: Diagnostic) -> dict[str, Any]:
        return {"code": d.code, "severity": d.severity.value, "message": d.message("en"),
                "file": d.file, "line": d.line, "column": d.column, "path": d.path_text}

    payload = {
        "base": result.base, "head": result.head,
        "summary": summary_counts(result.changes),
        "changes": [{"op": c.op, "kind": c.kind, "id": c.id, "name": c.name,
                     "fields": [{"path": f.path, "op": f.op, "old": f.old, "new": f.new}
                                for f in c.fields]} for c in result.changes],
        "lint": {"introduced": [diag(d) for d in result.lint.introduced],
                 "resolved": [diag(d) for d in result.lint.resolved]},
        "bonus": [{"period": b.period, "scheme": b.scheme,
                   "pool": {"old": format_amount(b.old_pool, result.currency),
                            "new": format_amount(b.new_pool, result.currency)},
                   "paid": {"old": format_amount(b.old_paid, result.currency),
                            "new": format_amount(b.new_paid, result.currency)},
                   **({"people": [{"person": p.person,
                                   "old": format_amount(p.old, result.currency),
                                   "new": format_amount(p.new, result.currency)}
                                  for p in b.people]} if result.include_payouts else {})}
                  for b in result.bonus],
    }
    return json_safe(json.dumps(payload, ensure_ascii=False, indent=2, default=str)) + "\n"
