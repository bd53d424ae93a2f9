"""A change for reviewers: summary first, then entities, then what it does to lint and pay."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kkctl import i18n
from kkctl.currency import format_amount, is_exact, to_minor
from kkctl.diagnostics import Diagnostic
from kkctl.diff.compare import Change, FieldChange
from kkctl.diff.consequences import BonusDelta, LintDelta
from kkctl.labels import label
from kkctl.markup import json_safe, md_code, md_text, visible
from kkctl.messages import kind_name

# kind: (English one|other, Russian one|few|many), for counts in the summary.
_KIND_FORMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "organisation": (("organisation", "organisations"),
                     ("организация", "организации", "организаций")),
    "person": (("person", "people"), ("сотрудник", "сотрудника", "сотрудников")),
    "client": (("client", "clients"), ("клиент", "клиента", "клиентов")),
    "partner": (("partner", "partners"), ("партнёр", "партнёра", "партнёров")),
    "value": (("value", "values"), ("ценность", "ценности", "ценностей")),
    "team": (("team", "teams"), ("команда", "команды", "команд")),
    "council": (("council", "councils"), ("совет", "совета", "советов")),
    "promise": (("promise", "promises"), ("обещание", "обещания", "обещаний")),
    "authority": (("authority", "authorities"), ("полномочие", "полномочия", "полномочий")),
    "metric": (("metric", "metrics"), ("метрика", "метрики", "метрик")),
    "canvas": (("canvas", "canvases"), ("канва", "канвы", "канв")),
    "reward_scheme": (("reward scheme", "reward schemes"),
                      ("система вознаграждения", "системы вознаграждения",
                       "систем вознаграждения")),
    "period": (("period", "periods"), ("период", "периода", "периодов")),
    "hypothesis": (("hypothesis", "hypotheses"), ("гипотеза", "гипотезы", "гипотез")),
}
# "the shares of 3 people change" / "меняются доли 3 сотрудников" (genitive).
_PEOPLE_OF = {"en": ("person", "people"), "ru": ("сотрудника", "сотрудников", "сотрудников")}
_WORDS = {
    "en": {"title": "Organisation change", "no_changes": "No changes to the organisation.",
           "lint": "Lint", "introduced": "introduced", "resolved": "resolved",
           "bonus": "Bonus", "pool": "pool", "paid": "paid", "period": "period",
           "scheme": "scheme", "person": "person", "amount": "amount",
           "hidden": "per-person amounts: use --include-payouts",
           "yes": "yes", "no": "no",
           "pool_same": "pool {pool} unchanged; the shares of {count} {people} change"},
    "ru": {"title": "Изменение организации", "no_changes": "Организация не изменилась.",
           "lint": "Линтер", "introduced": "появилось", "resolved": "исправлено",
           "bonus": "Вознаграждение", "pool": "пул", "paid": "к выплате", "period": "период",
           "scheme": "схема", "person": "сотрудник", "amount": "сумма",
           "hidden": "суммы по сотрудникам: --include-payouts",
           "yes": "да", "no": "нет",
           "pool_same": "пул {pool} без изменений; меняются доли {count} {people}"},
}
_SIGN = {"added": "+", "removed": "-", "changed": "~"}

# Which list of labels (kkctl.labels) a field's value is shown by: (entity kind, field).
_ENUM_OF_KIND = {("promise", "kind"): "promise_kind", ("client", "kind"): "client_kind",
                 ("council", "kind"): "council_kind", ("canvas", "kind"): "offering_kind",
                 ("promise", "status"): "promise_status",
                 ("hypothesis", "status"): "hypothesis_status",
                 ("team", "type"): "team_type", ("metric", "type"): "metric_type",
                 ("hypothesis", "type"): "hypothesis_type"}
_ENUMS = {"split", "base", "losses", "role", "action", "direction", "severity"}
_MONEY = {"net_profit", "income", "expenses", "virtual_revenue", "budget"}
_MONEY_UNDER = {"payouts", "paid"}  # a period's amounts by scheme and person
_SHARES = {"share", "deposit_rate"}
_DATES = {"start", "end", "from", "to", "agreed_on"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_LAST_KEY = re.compile(r"(?:^|\.)([A-Za-z_][A-Za-z0-9_-]*)\Z")


@dataclass
class DiffResult:
    base: str  # what was compared: a revision, "working tree", or a folder
    head: str
    changes: list[Change]
    lint: LintDelta
    bonus: list[BonusDelta]
    currency: str
    include_payouts: bool = False
    locale: str | None = None  # the head side's organisation.locale: the language to answer in
    files: list[str] = field(default_factory=list)  # both sides' files on disk: never outputs


def summary_counts(changes: list[Change]) -> dict[str, Any]:
    by_kind: dict[str, dict[str, int]] = {}
    for change in changes:
        by_kind.setdefault(change.kind, Counter())[change.op] += 1
    return {"added": sum(c.op == "added" for c in changes),
            "removed": sum(c.op == "removed" for c in changes),
            "changed": sum(c.op == "changed" for c in changes),
            "by_kind": {k: dict(v) for k, v in by_kind.items()}}


def summary_line(changes: list[Change], lang: str) -> str:
    """``+1 person, ~1 team, ~1 promise`` / ``+1 сотрудник, ~1 команда, ~1 обещание``: what
    changed, nothing said of what did not; no change at all is said in words."""
    parts = []
    for op in ("added", "changed", "removed"):
        counts = Counter(c.kind for c in changes if c.op == op)
        for kind, count in counts.items():
            parts.append(f"{_SIGN[op]}{count} {_kind(kind, count, lang)}")
    return ", ".join(parts) if parts else _WORDS[lang]["no_changes"]


def _kind(kind: str, count: int, lang: str) -> str:
    english, russian = _KIND_FORMS.get(kind, ((kind, kind), (kind, kind, kind)))
    return i18n.plural_form(count, russian if lang == "ru" else english, lang)


@dataclass
class _Field:
    """How one field's values read: the entity's kind, the field, the currency, the language."""

    kind: str
    path: str
    currency: str
    lang: str

    def value(self, value: Any, key: str | None = None) -> str:
        key = key if key is not None else self.key
        lang = self.lang
        if isinstance(value, bool):
            return _WORDS[lang]["yes" if value else "no"]
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return self.number(Decimal(value), key)
        if isinstance(value, float):  # pragma: no cover - compare reads exact decimals
            return self.number(Decimal(repr(value)), key)
        if isinstance(value, str):
            return self.text(value, key)
        if isinstance(value, dict):  # a list item that joined or left: its key, then the rest
            ident = next((value[k] for k in ("person", "id", "period", "value")
                          if isinstance(value.get(k), str)), None)
            rest = ", ".join(f"{k}: {self.value(v, str(k))}" for k, v in value.items()
                             if v is not ident and k not in ("person", "id"))
            if ident is not None:
                return f"{ident} ({rest})" if rest else ident
            return "{" + rest + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.value(v, key) for v in value) + "]"
        if value is None:
            return "—"
        return json.dumps(value, ensure_ascii=False, default=str)

    @property
    def key(self) -> str:
        match = _LAST_KEY.search(self.path)
        return match.group(1) if match else ""

    def number(self, value: Decimal, key: str) -> str:
        lang = self.lang
        top = self.path.split(".")[0].split("[")[0]
        money = key in _MONEY or (self.kind == "period" and top in _MONEY_UNDER)
        if money and is_exact(value, self.currency):
            return i18n.money(to_minor(value, self.currency), self.currency, lang)
        if key in _SHARES:
            return i18n.percent(value, lang)
        return i18n.number(value, lang)

    def text(self, value: str, key: str) -> str:
        lang = self.lang
        enum = _ENUM_OF_KIND.get((self.kind, key)) or (key if key in _ENUMS else None)
        if enum is not None:
            return label(enum, value, lang)
        if key in _DATES and _DATE.match(value):
            try:
                return i18n.date(dt.date.fromisoformat(value), lang)
            except ValueError:
                return value
        return value


def _field_text(change: Change, item: FieldChange, currency: str, lang: str) -> str:
    show = _Field(change.kind, item.path, currency, lang).value
    if item.op == "added" or (item.op == "changed" and item.old is None):
        return f"{item.path}: + {show(item.new)}"
    if item.op == "removed" or (item.op == "changed" and item.new is None):
        return f"{item.path}: − {show(item.old)}"
    return f"{item.path}: {show(item.old)} → {show(item.new)}"


def _delta(old: int, new: int, currency: str, lang: str, show: Any = i18n.money) -> str:
    """``old → new (±change)``, each amount by ``show`` (with the sign, or ``i18n.amount``
    in a table column that names the currency)."""
    sign = "+" if new >= old else "−"
    change = show(abs(new - old), currency, lang)
    return f"{show(old, currency, lang)} → {show(new, currency, lang)} ({sign}{change})"


def text(result: DiffResult, lang: str, color: bool = False) -> str:
    paint = _painter(color)
    out = [f"{visible(result.base)} → {visible(_side(result.head, lang))}: "
           f"{summary_line(result.changes, lang)}"]
    for change in result.changes:
        sign = _SIGN[change.op]
        head = f"{sign} {kind_name(change.kind, lang)} {visible(change.id)}"
        if change.name != change.id:
            head += f" ({visible(change.name)})"
        out.append(paint(head, {"+": "32", "-": "31", "~": "33"}[sign]))
        out += [f"    {visible(_field_text(change, f, result.currency, lang))}"
                for f in change.fields]
    out += _lint_text(result.lint, lang)
    out += _bonus_text(result, lang)
    return "\n".join(out) + "\n"


def _painter(color: bool) -> Any:
    if not color:
        return lambda text, code: text
    return lambda text, code: f"\x1b[{code}m{text}\x1b[0m"


def _diag_line(diag: Diagnostic, lang: str) -> str:
    from kkctl.labels import label

    return visible(f"{diag.file}:{diag.line}:{diag.column}: "
                   f"{label('severity', diag.severity.value, lang)} {diag.code} "
                   f"{diag.message(lang)}")


WORKING_TREE = "working tree"  # the head of `kkctl diff` without a second revision


def _side(name: str, lang: str) -> str:
    """A side of the comparison as people call it: the working tree in their language."""
    if name == WORKING_TREE:
        return "рабочая копия" if lang == "ru" else WORKING_TREE
    return name


def _lint_text(delta: LintDelta, lang: str) -> list[str]:
    words = _WORDS[lang]
    if not delta.introduced and not delta.resolved:
        return []
    out = [f"{words['lint']}: {_lint_counts(delta, lang)}"]
    out += [f"  + {_diag_line(d, lang)}" for d in delta.introduced]
    out += [f"  − {_diag_line(d, lang)}" for d in delta.resolved]
    return out


def _lint_counts(delta: LintDelta, lang: str) -> str:
    """``2 introduced, 0 resolved`` / ``появилось 2, исправлено 0``."""
    words = _WORDS[lang]
    introduced, resolved = len(delta.introduced), len(delta.resolved)
    if lang == "ru":
        return f"{words['introduced']} {introduced}, {words['resolved']} {resolved}"
    return f"{introduced} {words['introduced']}, {resolved} {words['resolved']}"


def _bonus_text(result: DiffResult, lang: str) -> list[str]:
    words = _WORDS[lang]
    if not result.bonus:
        return []
    cur = result.currency
    out = [f"{words['bonus']}:"]
    for item in result.bonus:
        out.append(f"  {words['period']} {visible(item.period)}, {words['scheme']} "
                   f"{visible(item.scheme)}: {_pool_text(item, cur, lang)}")
        if result.include_payouts:
            out += [f"    {visible(p.person)} ({visible(p.name)}): "
                    f"{_delta(p.old, p.new, cur, lang)}" for p in item.people]
    if not result.include_payouts and any(item.people for item in result.bonus):
        out.append(f"  ({words['hidden']})")
    return out


def _pool_text(item: BonusDelta, currency: str, lang: str) -> str:
    words = _WORDS[lang]
    if item.old_pool != item.new_pool:
        return f"{words['pool']} {_delta(item.old_pool, item.new_pool, currency, lang)}"
    count = len(item.people)
    return words["pool_same"].format(pool=i18n.money(item.new_pool, currency, lang),
                                     count=count,
                                     people=i18n.plural_form(count, _PEOPLE_OF[lang], lang))


def markdown(result: DiffResult, lang: str) -> str:
    words = _WORDS[lang]
    cur = result.currency
    head = md_code(_side(result.head, lang))
    out = [f"### {words['title']}: {md_code(result.base)} → {head}", "",
           f"**{summary_line(result.changes, lang)}**", ""]
    for change in result.changes:
        sign = _SIGN[change.op]
        title = f"{sign} {kind_name(change.kind, lang)} {md_code(change.id)}"
        if change.name != change.id:
            title += f" — {md_text(change.name)}"
        out.append(f"- {title}")
        out += [f"  - {md_text(_field_text(change, f, cur, lang))}" for f in change.fields]
    if result.lint.introduced or result.lint.resolved:
        out += ["", f"#### {words['lint']}: {_lint_counts(result.lint, lang)}", ""]
        out += [f"- 🔴 `{d.code}` {md_text(d.file)}:{d.line}: {md_text(d.message(lang))}"
                for d in result.lint.introduced]
        out += [f"- ✅ `{d.code}` {md_text(d.file)}:{d.line}: ~~{md_text(d.message(lang))}~~"
                for d in result.lint.resolved]
    if result.bonus:
        code = md_text(cur)
        out += ["", f"#### {words['bonus']}", "",
                f"| {words['period']} | {words['scheme']} | {words['pool']}, {code} | "
                f"{words['paid']}, {code} |", "|---|---|---:|---:|"]
        for item in result.bonus:
            out.append(f"| {md_text(item.period)} | {md_text(item.scheme)} | "
                       f"{_cell(item.old_pool, item.new_pool, cur, lang)} | "
                       f"{_cell(item.old_paid, item.new_paid, cur, lang)} |")
        people = [(item, p) for item in result.bonus for p in item.people]
        if result.include_payouts and people:
            out += ["", f"| {words['person']} | {words['period']} | {words['scheme']} | "
                        f"{words['amount']}, {code} |", "|---|---|---|---:|"]
            out += [f"| {md_text(p.name)} ({md_code(p.person)}) | {md_text(i.period)} | "
                    f"{md_text(i.scheme)} | {_delta(p.old, p.new, cur, lang, i18n.amount)} |"
                    for i, p in people]
        elif people:
            out += ["", f"_{words['hidden']}_"]
    return "\n".join(out) + "\n"


def _cell(old: int, new: int, currency: str, lang: str) -> str:
    """A table cell of a column that names the currency: the amount, or how it moved."""
    if old == new:
        return i18n.amount(new, currency, lang)
    return _delta(old, new, currency, lang, i18n.amount)


def as_json(result: DiffResult, lang: str = "en") -> str:
    """Machine-readable: raw values and exact amounts; messages in the run's language, like
    ``kkctl lint -f json``."""
    def diag(d: Diagnostic) -> dict[str, Any]:
        return {"code": d.code, "severity": d.severity.value, "message": d.message(lang),
                "file": d.file, "line": d.line, "column": d.column, "path": d.path_text}

    def raw(value: Any) -> Any:
        """Field values as the file wrote them; a decimal amount is its exact digits as a
        string (as in ``kkctl bonus -f json``): a JSON number would pass through a float."""
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dict):
            return {k: raw(v) for k, v in value.items()}
        if isinstance(value, list):
            return [raw(v) for v in value]
        return value

    payload = {
        "base": result.base, "head": result.head,
        "summary": summary_counts(result.changes),
        "changes": [{"op": c.op, "kind": c.kind, "id": c.id, "name": c.name,
                     "fields": [{"path": f.path, "op": f.op, "old": raw(f.old), "new": raw(f.new)}
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
