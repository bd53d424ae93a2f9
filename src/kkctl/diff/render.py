"""A change for reviewers, read like a plan: the headline (what changed, counted in words),
then the facts that matter (findings the change introduces and resolves, people joining and
leaving, bonus pools that move), then the details field by field.

The Markdown form is a pull-request comment: headline and facts in view, details collapsed,
and the whole document within GitHub's comment limit whatever the change, saying what it left
out and how to see it all.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kkctl import i18n
from kkctl.currency import format_amount, is_exact, to_minor
from kkctl.diagnostics import Diagnostic, Severity
from kkctl.diff.compare import Change, FieldChange
from kkctl.diff.consequences import BonusDelta, LintDelta, PersonDelta
from kkctl.labels import label
from kkctl.markup import json_safe, md_code, md_text, visible
from kkctl.messages import kind_name, render

# GitHub refuses a comment body longer than this. It is counted here in UTF-16 code units,
# which is never less than the characters GitHub counts (an emoji is one character, two units).
COMMENT_LIMIT = 65_536
# The first line of every Markdown review: how a workflow finds its earlier comment to update.
MARKER = "<!-- kkctl-diff -->"

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
# The grammatical gender of each kind's Russian noun: "1 команда изменена", "1 период изменён".
_GENDER = {"organisation": "f", "person": "m", "client": "m", "partner": "m", "value": "f",
           "team": "f", "council": "m", "promise": "n", "authority": "n", "metric": "f",
           "canvas": "f", "reward_scheme": "f", "period": "m", "hypothesis": "f"}
# op: Russian short participle by gender (m, f, n) and for more than one.
_PARTICIPLE = {"added": ("добавлен", "добавлена", "добавлено", "добавлены"),
               "changed": ("изменён", "изменена", "изменено", "изменены"),
               "removed": ("удалён", "удалена", "удалено", "удалены")}
_SEVERITY_FORMS = {"error": (("error", "errors"), ("ошибка", "ошибки", "ошибок")),
                   "warning": (("warning", "warnings"),
                               ("предупреждение", "предупреждения", "предупреждений")),
                   "info": (("note", "notes"), ("замечание", "замечания", "замечаний"))}
_ICON = {"error": "🔴", "warning": "🟡", "info": "🔵", "resolved": "✅"}
# A team or a council joined and left, in Russian: "в команду" / "из команды".
_INTO = {"team": "в команду", "council": "в совет"}
_OUT_OF = {"team": "из команды", "council": "из совета"}
# "the shares of 3 people change" / "меняются доли 3 сотрудников" (genitive).
_PEOPLE_OF = {"en": ("person", "people"), "ru": ("сотрудника", "сотрудников", "сотрудников")}
_WORDS = {
    "en": {"title": "Organisation change", "no_changes": "No changes to the organisation.",
           "lint": "Lint", "introduced": "introduced", "resolved": "resolved",
           "bonus": "Bonus", "pool": "pool", "paid": "paid", "period": "period",
           "scheme": "scheme", "person": "person", "amount": "amount",
           "hidden": "per-person amounts: use --include-payouts",
           "yes": "yes", "no": "no",
           "pool_same": "pool {pool} unchanged; the shares of {count} {people} change",
           "people": "People", "pools": "Bonus pools", "changes": "Changes",
           "joins": "{person} joins {unit}", "from": " from {date}", "was": " (was {date})",
           "leaves": "{person} leaves {unit}", "last_day": ", last day {date}",
           "first_bonus": "; first bonus {amount} ({period}, {scheme})",
           "leader": "{unit}: leader {old} → {new}",
           "details_changes": "Changes, field by field ({count})",
           "details_bonus": "Bonus by period and scheme ({count})",
           "details_payouts": "Payouts by person ({count})",
           "shortened": "⚠️ **Shortened to fit a GitHub comment ({limit} characters).** "
                        "Left out: {parts}. The same `kkctl diff` with `-f json`, or as text "
                        "(no `-f`), shows everything.",
           "left": "{what} — {left} of {total}",
           "withheld_base": "not compared: the base revision has errors, so kkctl computes no "
                            "bonus for it",
           "withheld_head": "not compared: this change has errors, so kkctl computes no bonus "
                            "for it; fix them to see how the pools move",
           "withheld_both": "not compared: both revisions have errors, so kkctl computes no "
                            "bonus for either"},
    "ru": {"title": "Изменение организации", "no_changes": "Организация не изменилась.",
           "lint": "Линтер", "introduced": "появилось", "resolved": "исправлено",
           "bonus": "Вознаграждение", "pool": "пул", "paid": "к выплате", "period": "период",
           "scheme": "схема", "person": "сотрудник", "amount": "сумма",
           "hidden": "суммы по сотрудникам: --include-payouts",
           "yes": "да", "no": "нет",
           "pool_same": "пул {pool} без изменений; меняются доли {count} {people}",
           "people": "Сотрудники", "pools": "Пулы вознаграждения", "changes": "Изменения",
           "joins": "{person} входит {unit}", "from": " с {date}", "was": " (было: с {date})",
           "leaves": "{person} выходит {unit}", "last_day": ", последний день — {date}",
           "first_bonus": "; первый бонус {amount} ({period}, {scheme})",
           "leader": "{unit}: лидер {old} → {new}",
           "details_changes": "Изменения по полям ({count})",
           "details_bonus": "Вознаграждение по периодам и схемам ({count})",
           "details_payouts": "Выплаты по сотрудникам ({count})",
           "shortened": "⚠️ **Сокращено, чтобы уместиться в комментарий GitHub ({limit} "
                        "символов).** Не показано: {parts}. Полностью — тот же `kkctl diff` "
                        "с `-f json` или текстом (без `-f`).",
           "left": "{what} — {left} из {total}",
           "withheld_base": "не сравнивается: в базовой ревизии есть ошибки, и kkctl не "
                            "считает для неё вознаграждение",
           "withheld_head": "не сравнивается: в этом изменении есть ошибки, и kkctl не считает "
                            "для него вознаграждение; исправьте их, чтобы увидеть движение пулов",
           "withheld_both": "не сравнивается: в обеих ревизиях есть ошибки, и kkctl не считает "
                            "вознаграждение ни для одной"},
}
# The parts of a comment, as the note of what was left out names them.
_SECTIONS = {
    "en": {"findings": "lint findings", "people": "joins, leaves and leaders",
           "pools": "bonus pools", "changes": "changed entities", "bonus": "bonus rows",
           "payouts": "payout rows"},
    "ru": {"findings": "находки линтера", "people": "приходы, уходы и лидеры",
           "pools": "пулы вознаграждения", "changes": "изменённые сущности",
           "bonus": "строки вознаграждения", "payouts": "строки выплат"},
}
_SIGN = {"added": "+", "removed": "-", "changed": "~"}
_MD_SIGN = {"added": "**+**", "removed": "**−**", "changed": "**~**"}  # "- +" would nest a list

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

# Longest user string a comment shows in one place (characters before escaping): a name or an
# id, a field's value, a finding's message. Longer ones end in "…"; the text output has them.
_CAP_NAME = 200
_CAP_VALUE = 300
_CAP_MESSAGE = 600
# Room kept for the note saying what was left out: it is written after everything else.
_NOTICE_ROOM = 2_000


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
    # The sides ("base", "head") whose bonus was not computed because they have errors: kkctl
    # shows no figures it would refuse to pay, so their pools cannot be compared.
    withheld: tuple[str, ...] = ()


# --- counts -------------------------------------------------------------------------------

def summary_counts(changes: list[Change]) -> dict[str, Any]:
    by_kind: dict[str, dict[str, int]] = {}
    for change in changes:
        by_kind.setdefault(change.kind, Counter())[change.op] += 1
    return {"added": sum(c.op == "added" for c in changes),
            "removed": sum(c.op == "removed" for c in changes),
            "changed": sum(c.op == "changed" for c in changes),
            "by_kind": {k: dict(v) for k, v in by_kind.items()}}


def summary_line(changes: list[Change], lang: str) -> str:
    """``+1 person, ~1 team, ~1 promise`` / ``+1 сотрудник, ~1 команда, ~1 обещание``: the
    compact count other reports quote; no change at all is said in words."""
    parts = []
    for op in ("added", "changed", "removed"):
        counts = Counter(c.kind for c in changes if c.op == op)
        for kind, count in counts.items():
            parts.append(f"{_SIGN[op]}{count} {_kind(kind, count, lang)}")
    return ", ".join(parts) if parts else _WORDS[lang]["no_changes"]


def headline(changes: list[Change], lang: str) -> str:
    """``2 people added, 1 team changed, 1 promise changed`` / ``2 сотрудника добавлены,
    1 команда изменена, 1 обещание изменено``: added, then changed, then removed."""
    parts = []
    for op in ("added", "changed", "removed"):
        for kind, count in Counter(c.kind for c in changes if c.op == op).items():
            parts.append(f"{i18n.number(count, lang)} {_kind(kind, count, lang)} "
                         f"{_done(op, kind, count, lang)}")
    return ", ".join(parts) if parts else _WORDS[lang]["no_changes"]


def _done(op: str, kind: str, count: int, lang: str) -> str:
    if lang != "ru":
        return op
    forms = _PARTICIPLE[op]
    if i18n.plural_category(count, lang) != "one":
        return forms[3]
    return forms["mfn".index(_GENDER.get(kind, "m"))]


def _kind(kind: str, count: int, lang: str) -> str:
    english, russian = _KIND_FORMS.get(kind, ((kind, kind), (kind, kind, kind)))
    return i18n.plural_form(count, russian if lang == "ru" else english, lang)


def introduced_counts(delta: LintDelta) -> dict[str, int]:
    """Findings the change introduces, by severity (every severity, zeros included)."""
    counts = Counter(d.severity.value for d in delta.introduced)
    return {s.value: counts[s.value] for s in Severity}


def introduced_phrase(delta: LintDelta, lang: str, at_least: Severity = Severity.INFO,
                      icons: bool = False) -> str:
    """``2 errors, 1 warning`` / ``2 ошибки, 1 предупреждение`` (severities with none left
    out; ``0`` when there is nothing at ``at_least`` or above)."""
    parts = []
    for severity, count in introduced_counts(delta).items():
        if count and Severity(severity).rank <= at_least.rank:
            english, russian = _SEVERITY_FORMS[severity]
            word = i18n.plural_form(count, russian if lang == "ru" else english, lang)
            icon = f"{_ICON[severity]} " if icons else ""
            parts.append(f"{icon}{i18n.number(count, lang)} {word}")
    return ", ".join(parts) or "0"


def _lint_counts(delta: LintDelta, lang: str, icons: bool = False) -> str:
    """``introduced: 2 errors, 1 warning; resolved: 1``."""
    words = _WORDS[lang]
    resolved = i18n.number(len(delta.resolved), lang)
    if icons and delta.resolved:
        resolved = f"{_ICON['resolved']} {resolved}"
    return (f"{words['introduced']}: {introduced_phrase(delta, lang, icons=icons)}; "
            f"{words['resolved']}: {resolved}")


# --- how values read ----------------------------------------------------------------------

@dataclass
class FieldText:
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
        if isinstance(value, dt.date):
            return i18n.date(value, lang)
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
        if not value.is_finite():  # .inf or .nan written in the file: shown as written
            return str(value)
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
            return _date(value, lang)
        return value


def _date(value: Any, lang: str) -> str:
    """A date as the language writes it; anything that is not a date, as written."""
    if isinstance(value, dt.date):
        return i18n.date(value, lang)
    try:
        return i18n.date(dt.date.fromisoformat(str(value)), lang)
    except ValueError:
        return str(value)


def _cap(text: str, limit: int | None) -> str:
    """At most ``limit`` characters, the cut marked with "…" (no limit: as it is)."""
    if limit is None or len(text) <= limit:
        return text
    return text[:limit - 1] + "…"


def _field_text(change: Change, item: FieldChange, currency: str, lang: str,
                cap: int | None = None) -> str:
    reading = FieldText(change.kind, item.path, currency, lang)

    def show(value: Any) -> str:
        return _cap(reading.value(value), cap)

    path = _cap(item.path, cap)
    if item.op == "added" or (item.op == "changed" and item.old is None):
        return f"{path}: + {show(item.new)}"
    if item.op == "removed" or (item.op == "changed" and item.new is None):
        return f"{path}: − {show(item.old)}"
    return f"{path}: {show(item.old)} → {show(item.new)}"


def _delta(old: int, new: int, currency: str, lang: str, show: Any = i18n.money) -> str:
    """``old → new (±change)``, each amount by ``show`` (with the sign, or ``i18n.amount``
    in a table column that names the currency)."""
    return f"{show(old, currency, lang)} → {show(new, currency, lang)} " \
           f"({_signed(new - old, currency, lang, show)})"


def _signed(change: int, currency: str, lang: str, show: Any = i18n.money) -> str:
    """``+RUB 8,000.00`` / ``−8 000,00 ₽``: a true minus sign, never a hyphen."""
    return ("+" if change >= 0 else "−") + str(show(abs(change), currency, lang))


# --- facts --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Style:
    """How user strings are written: as inert Markdown (ids as code, names escaped and cut
    short), or as visible terminal text (complete)."""

    markdown: bool

    def ident(self, value: object) -> str:
        return md_code(_cap(str(value), _CAP_NAME)) if self.markdown else visible(value)

    def words(self, value: object, cap: int = _CAP_NAME) -> str:
        return md_text(_cap(str(value), cap)) if self.markdown else visible(value)

    def ref(self, ident: object, name: object = None) -> str:
        """``Кира (kira)``, or the id alone when there is no other name."""
        if name and name != ident:
            return f"{self.words(name)} ({self.ident(ident)})"
        return self.ident(ident)


TEXT, MARKDOWN = _Style(False), _Style(True)


@dataclass
class _Membership:
    """A person joins or leaves a team or a council (``date``: the first or the last day)."""

    op: str  # joins | leaves
    person: str
    person_name: str | None
    unit_kind: str
    unit: str
    unit_name: str
    date: Any = None
    was: Any = None  # the first day it replaces
    first_bonus: tuple[BonusDelta, PersonDelta] | None = None


@dataclass
class _Leader:
    team: str
    team_name: str
    old: Any
    new: Any
    names: dict[str, str]


def memberships(result: DiffResult) -> list[_Membership]:
    """Who joins and leaves which team or council, read from the members' field changes."""
    out: list[_Membership] = []
    for change in result.changes:
        if change.kind not in ("team", "council"):
            continue
        for item in change.fields:
            fact = _membership(change, item)
            if fact is not None:
                out.append(fact)
    if result.include_payouts:
        first = _first_bonuses(result.bonus)
        for fact in out:
            if fact.op == "joins":
                fact.first_bonus = first.get(fact.person)
    return out


def _membership(change: Change, item: FieldChange) -> _Membership | None:
    parts = item.parts
    if not parts or parts[0] != "members":
        return None

    def fact(op: str, person: Any, date: Any = None, was: Any = None) -> _Membership | None:
        if not isinstance(person, str):
            return None
        return _Membership(op, person, change.names.get(person), change.kind, change.id,
                           change.name, date, was)

    if len(parts) == 1 and item.op in ("added", "removed"):
        member = item.new if item.op == "added" else item.old
        person = member.get("person") if isinstance(member, dict) else member
        if item.op == "removed":
            return fact("leaves", person)
        return fact("joins", person, member.get("from") if isinstance(member, dict) else None)
    if len(parts) == 3 and parts[2] == "to" and item.new is not None:
        return fact("leaves", parts[1], item.new)
    if len(parts) == 3 and parts[2] == "from" and item.new is not None:
        return fact("joins", parts[1], item.new, item.old)
    return None


def _first_bonuses(bonus: list[BonusDelta]) -> dict[str, tuple[BonusDelta, PersonDelta]]:
    """By person: the first period (in the order of periods) and scheme that pays them now
    and paid them nothing before."""
    first: dict[str, tuple[BonusDelta, PersonDelta]] = {}
    for item in bonus:
        for share in item.people:
            if share.old == 0 and share.new > 0:
                first.setdefault(share.person, (item, share))
    return first


def leaders(result: DiffResult) -> list[_Leader]:
    return [_Leader(c.id, c.name, f.old, f.new, c.names) for c in result.changes
            if c.kind == "team" and c.op == "changed"
            for f in c.fields if f.parts == ("leader",)]


def pools(result: DiffResult) -> list[BonusDelta]:
    return [b for b in result.bonus if b.old_pool != b.new_pool]


def _findings(delta: LintDelta) -> list[tuple[Diagnostic, bool]]:
    """Introduced findings, errors first, then the resolved ones."""
    introduced = sorted(delta.introduced, key=lambda d: d.severity.rank)
    return [*((d, True) for d in introduced), *((d, False) for d in delta.resolved)]


def _unit(kind: str, ident: str, name: str, lang: str, style: _Style, into: bool) -> str:
    """``team Логистика (logistika)`` / ``в команду Логистика (logistika)``."""
    ref = style.ref(ident, name)
    if lang == "ru":
        return f"{(_INTO if into else _OUT_OF).get(kind, kind_name(kind, lang))} {ref}"
    return f"{kind_name(kind, lang)} {ref}"


def membership_text(fact: _Membership, lang: str, style: _Style, currency: str) -> str:
    words = _WORDS[lang]
    person = style.ref(fact.person, fact.person_name)
    unit = _unit(fact.unit_kind, fact.unit, fact.unit_name, lang, style, fact.op == "joins")
    out = words[fact.op].format(person=person, unit=unit)
    if fact.op == "leaves":
        return out + (words["last_day"].format(date=_date(fact.date, lang)) if fact.date else "")
    if fact.date is not None:
        out += words["from"].format(date=_date(fact.date, lang))
    if fact.was is not None:
        out += words["was"].format(date=_date(fact.was, lang))
    if fact.first_bonus is not None:
        item, share = fact.first_bonus
        out += words["first_bonus"].format(amount=i18n.money(share.new, currency, lang),
                                           period=style.ident(item.period),
                                           scheme=style.ident(item.scheme))
    return out


def leader_text(fact: _Leader, lang: str, style: _Style) -> str:
    def who(ident: Any) -> str:
        return style.ref(ident, fact.names.get(ident)) if ident is not None else "—"

    unit = f"{kind_name('team', lang).capitalize()} {style.ref(fact.team, fact.team_name)}"
    return _WORDS[lang]["leader"].format(unit=unit, old=who(fact.old), new=who(fact.new))


def pool_text(item: BonusDelta, currency: str, lang: str, style: _Style) -> str:
    """``III квартал 2026 (2026-q3), Совет (rs-sovet): −8 000,00 ₽ (2 510 000,00 ₽ →
    2 502 000,00 ₽)``."""
    change = _signed(item.new_pool - item.old_pool, currency, lang)
    return (f"{style.ref(item.period, item.period_name)}, "
            f"{style.ref(item.scheme, item.scheme_name)}: {change} "
            f"({i18n.money(item.old_pool, currency, lang)} → "
            f"{i18n.money(item.new_pool, currency, lang)})")


def finding_markdown(diag: Diagnostic, introduced: bool, lang: str) -> str:
    """``🔴 **error** `KK204` promise `doorstep`: … — `org/teams/x.yaml:41```."""
    kind = diag.severity.value if introduced else "resolved"
    word = label("severity", diag.severity.value, lang) if introduced else \
        _WORDS[lang]["resolved"]
    subject = ""
    if diag.subject is not None:
        subject = f"{kind_name(diag.subject[0], lang)} {MARKDOWN.ident(diag.subject[1])}: "
    text = MARKDOWN.words(render(diag.message_id, lang, diag.args), _CAP_MESSAGE)
    where = md_code(_cap(f"{diag.file}:{diag.line}", _CAP_VALUE))
    return f"{_ICON[kind]} **{word}** {md_code(diag.code)} {subject}{text} — {where}"


def _diag_line(diag: Diagnostic, lang: str) -> str:
    return visible(f"{diag.file}:{diag.line}:{diag.column}: "
                   f"{label('severity', diag.severity.value, lang)} {diag.code} "
                   f"{diag.message(lang)}")


WORKING_TREE = "working tree"  # the head of `kkctl diff` without a second revision


def _side(name: str, lang: str) -> str:
    """A side of the comparison as people call it: the working tree in their language."""
    if name == WORKING_TREE:
        return "рабочая копия" if lang == "ru" else WORKING_TREE
    return name


# --- text ---------------------------------------------------------------------------------

def text(result: DiffResult, lang: str, color: bool = False) -> str:
    paint = _painter(color)
    words = _WORDS[lang]
    cur = result.currency
    out = [f"{visible(result.base)} → {visible(_side(result.head, lang))}: "
           f"{headline(result.changes, lang)}"]
    if result.lint.introduced or result.lint.resolved:
        out.append(f"{words['lint']} — {_lint_counts(result.lint, lang)}")
        colours = {"error": "31", "warning": "33", "info": "36"}
        out += [paint(f"  + {_diag_line(d, lang)}", colours[d.severity.value]) if new
                else f"  − {_diag_line(d, lang)}" for d, new in _findings(result.lint)]
    # Each fact line opens with a sign of kkctl's own, never with a name from the YAML: a
    # CI log takes a line that starts (after spaces) with "::" as a workflow command.
    people = [f"  {'+' if f.op == 'joins' else '−'} {membership_text(f, lang, TEXT, cur)}"
              for f in memberships(result)] + \
        [f"  ~ {leader_text(f, lang, TEXT)}" for f in leaders(result)]
    if people:
        out += [f"{words['people']}:", *people]
    moved = [f"  ~ {pool_text(b, cur, lang, TEXT)}" for b in pools(result)]
    if moved:
        out += [f"{words['pools']}:", *moved]
    if result.changes and len(out) > 1:
        out += ["", f"{words['changes']}:"]
    for change in result.changes:
        sign = _SIGN[change.op]
        head = f"{sign} {kind_name(change.kind, lang)} {visible(change.id)}"
        if change.name != change.id:
            head += f" ({visible(change.name)})"
        out.append(paint(head, {"+": "32", "-": "31", "~": "33"}[sign]))
        out += [f"    {visible(_field_text(change, f, cur, lang))}" for f in change.fields]
    out += _bonus_text(result, lang)
    return "\n".join(out) + "\n"


def _painter(color: bool) -> Callable[[str, str], str]:
    if not color:
        return lambda text, code: text
    return lambda text, code: f"\x1b[{code}m{text}\x1b[0m"


def withheld_text(result: DiffResult, lang: str) -> str | None:
    """Why the bonus is not compared, when a side has errors (None: it is compared)."""
    if not result.withheld:
        return None
    which = "both" if len(result.withheld) == 2 else result.withheld[0]
    return _WORDS[lang][f"withheld_{which}"]


def _bonus_text(result: DiffResult, lang: str) -> list[str]:
    words = _WORDS[lang]
    withheld = withheld_text(result, lang)
    if withheld is not None:
        return [f"{words['bonus']}: {withheld}"]
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
    return words["pool_same"].format(
        pool=i18n.money(item.new_pool, currency, lang), count=i18n.number(count, lang),
        people=i18n.plural_form(count, _PEOPLE_OF[lang], lang))


# --- Markdown -----------------------------------------------------------------------------

def _utf16(text: str) -> int:
    """Length in UTF-16 code units: at least the characters GitHub counts."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Section:
    """A part of the comment: its lines, each tagged with the item (a finding, an entity, a
    table row) it belongs to, so that a cut can say how many items it left out."""

    name: str  # for the note of what was left out (a key of "sections")
    opening: list[str]
    closing: list[str]
    lines: list[tuple[int, str]]  # (item number, line)
    items: int

    def need(self) -> int:
        return sum(_utf16(x) + 1 for x in (*self.opening, *self.closing)) + \
            sum(_utf16(x) + 1 for _, x in self.lines)

    def fit(self, room: int) -> tuple[list[str], int]:
        """The lines that fit in ``room`` units, and how many items were left out (in part
        or whole). Nothing at all unless its first line fits beside the heading."""
        used = sum(_utf16(x) + 1 for x in (*self.opening, *self.closing))
        shown: list[str] = []
        for number, line in self.lines:
            cost = _utf16(line) + 1
            if used + cost > room:
                return ([*self.opening, *shown, *self.closing] if shown else []), \
                    self.items - number
            shown.append(line)
            used += cost
        return [*self.opening, *shown, *self.closing], 0


def _shares(needs: list[int], room: int) -> list[int]:
    """Room shared fairly: a part that needs less than an equal share gets what it needs,
    the rest is split evenly among the larger ones (so no part can crowd out the others)."""
    given = [0] * len(needs)
    pending = sorted(range(len(needs)), key=lambda i: needs[i])
    while pending:
        fair = room // len(pending)
        first = pending[0]
        if needs[first] > fair:
            for i in pending:
                given[i] = fair
            break
        given[first] = needs[first]
        room -= needs[first]
        pending.pop(0)
    return given


def markdown(result: DiffResult, lang: str, limit: int = COMMENT_LIMIT) -> str:
    """The review as a pull-request comment of at most ``limit`` UTF-16 code units: title,
    headline and facts in view, details in collapsed ``<details>`` blocks; what does not fit
    is left out whole and counted in a note under the headline."""
    words = _WORDS[lang]
    head = [MARKER,
            f"### {words['title']}: {MARKDOWN.ident(result.base)} → "
            f"{MARKDOWN.ident(_side(result.head, lang))}", "",
            f"**{headline(result.changes, lang)}**", ""]
    facts, details = _fact_sections(result, lang), _detail_sections(result, lang)
    room = limit - sum(_utf16(x) + 1 for x in head) - _NOTICE_ROOM
    # Facts come first, but leave the details a third of the room if they need it.
    kept = min(sum(s.need() for s in details), room // 3)
    body: list[str] = []
    left: list[tuple[str, int, int]] = []  # (section, items left out, items)
    for tier, spare in ((facts, kept), (details, 0)):
        shares = _shares([s.need() for s in tier], room - spare)
        for section, share in zip(tier, shares, strict=True):
            lines, missing = section.fit(share)
            body += lines
            room -= sum(_utf16(x) + 1 for x in lines)
            if missing:
                left.append((section.name, missing, section.items))
    notice = [_notice(left, lang, limit), ""] if left else []
    return _within("\n".join([*head, *notice, *body]).rstrip("\n") + "\n", limit)


def _within(document: str, limit: int) -> str:
    """The last guard of the limit (the sections are sized to keep well inside it)."""
    if _utf16(document) <= limit:
        return document
    cut = document.encode("utf-16-le")[:(limit - 2) * 2].decode("utf-16-le", "ignore")
    return cut.rsplit("\n", 1)[0] + "\n"  # pragma: no cover - only on a sizing mistake


def _notice(left: list[tuple[str, int, int]], lang: str, limit: int) -> str:
    words, names = _WORDS[lang], _SECTIONS[lang]
    parts = "; ".join(words["left"].format(what=names[name], left=i18n.number(missing, lang),
                                           total=i18n.number(total, lang))
                      for name, missing, total in left)
    return words["shortened"].format(limit=i18n.number(limit, lang), parts=parts)


def _fact_sections(result: DiffResult, lang: str) -> list[_Section]:
    words = _WORDS[lang]
    cur = result.currency
    out: list[_Section] = []
    findings = _findings(result.lint)
    if findings:
        out.append(_list_section(
            "findings", [f"#### {words['lint']} — {_lint_counts(result.lint, lang, True)}", ""],
            [finding_markdown(d, new, lang) for d, new in findings]))
    people = [membership_text(f, lang, MARKDOWN, cur) for f in memberships(result)] + \
        [leader_text(f, lang, MARKDOWN) for f in leaders(result)]
    if people:
        out.append(_list_section("people", [f"#### {words['people']}", ""], people))
    moved = [pool_text(b, cur, lang, MARKDOWN) for b in pools(result)]
    withheld = withheld_text(result, lang)
    if withheld is not None:
        moved = [md_text(withheld[:1].upper() + withheld[1:] + ".")]
    if moved:
        out.append(_list_section("pools", [f"#### {words['pools']}", ""], moved))
    return out


def _list_section(name: str, opening: list[str], items: list[str]) -> _Section:
    return _Section(name, opening, [""], [(i, f"- {x}") for i, x in enumerate(items)],
                    len(items))


def _collapsed(summary: str) -> list[str]:
    return [f"<details><summary>{summary}</summary>", ""]


def _detail_sections(result: DiffResult, lang: str) -> list[_Section]:
    words = _WORDS[lang]
    cur = result.currency
    out: list[_Section] = []
    closing = ["", "</details>", ""]
    if result.changes:
        lines = list(_change_lines(result, lang))
        out.append(_Section("changes", _collapsed(words["details_changes"].format(
            count=i18n.number(len(result.changes), lang))), closing, lines, len(result.changes)))
    if result.bonus:
        code = md_text(cur)
        rows = [(i, f"| {MARKDOWN.ident(b.period)} | {MARKDOWN.ident(b.scheme)} | "
                    f"{_cell(b.old_pool, b.new_pool, cur, lang)} | "
                    f"{_cell(b.old_paid, b.new_paid, cur, lang)} |")
                for i, b in enumerate(result.bonus)]
        people = [(b, p) for b in result.bonus for p in b.people]
        hidden = not result.include_payouts and people
        out.append(_Section(
            "bonus", [*_collapsed(words["details_bonus"].format(
                count=i18n.number(len(rows), lang))),
                f"| {words['period']} | {words['scheme']} | {words['pool']}, {code} | "
                f"{words['paid']}, {code} |", "|---|---|---:|---:|"],
            ["", f"_{md_text(words['hidden'])}_", *closing] if hidden else closing,
            rows, len(rows)))
        if result.include_payouts and people:
            out.append(_Section(
                "payouts", [*_collapsed(words["details_payouts"].format(
                    count=i18n.number(len(people), lang))),
                    f"| {words['person']} | {words['period']} | {words['scheme']} | "
                    f"{words['amount']}, {code} |", "|---|---|---|---:|"],
                closing,
                [(i, f"| {MARKDOWN.ref(p.person, p.name)} | {MARKDOWN.ident(b.period)} | "
                     f"{MARKDOWN.ident(b.scheme)} | "
                     f"{_delta(p.old, p.new, cur, lang, i18n.amount)} |")
                 for i, (b, p) in enumerate(people)], len(people)))
    return out


def _change_lines(result: DiffResult, lang: str) -> Iterator[tuple[int, str]]:
    for number, change in enumerate(result.changes):
        title = f"{_MD_SIGN[change.op]} {kind_name(change.kind, lang)} " \
                f"{MARKDOWN.ident(change.id)}"
        if change.name != change.id:
            title += f" — {MARKDOWN.words(change.name)}"
        yield number, f"- {title}"
        for item in change.fields:
            yield number, "  - " + md_text(_field_text(change, item, result.currency, lang,
                                                       _CAP_VALUE))


def _cell(old: int, new: int, currency: str, lang: str) -> str:
    """A table cell of a column that names the currency: the amount, or how it moved."""
    if old == new:
        return i18n.amount(new, currency, lang)
    return _delta(old, new, currency, lang, i18n.amount)


# --- JSON ---------------------------------------------------------------------------------

def as_json(result: DiffResult, lang: str = "en") -> str:
    """Machine-readable: raw values and exact amounts; messages and the facts' ``text`` in the
    run's language, like ``kkctl lint -f json``."""
    def diag(d: Diagnostic) -> dict[str, Any]:
        return {"code": d.code, "severity": d.severity.value, "message": d.message(lang),
                "file": d.file, "line": d.line, "column": d.column, "path": d.path_text,
                **({"subject": {"kind": d.subject[0], "id": d.subject[1]}}
                   if d.subject is not None else {})}

    def money(units: int) -> str:
        return format_amount(units, result.currency)

    payload = {
        "base": result.base, "head": result.head,
        "headline": headline(result.changes, lang),
        "summary": summary_counts(result.changes),
        "findings": {"introduced": introduced_counts(result.lint),
                     "resolved": len(result.lint.resolved)},
        "facts": _json_facts(result, lang),
        "changes": [{"op": c.op, "kind": c.kind, "id": c.id, "name": c.name,
                     "fields": [{"path": f.path, "op": f.op, "old": _raw(f.old),
                                 "new": _raw(f.new)} for f in c.fields]}
                    for c in result.changes],
        "lint": {"introduced": [diag(d) for d in result.lint.introduced],
                 "resolved": [diag(d) for d in result.lint.resolved]},
        "bonus": [{"period": b.period, "scheme": b.scheme,
                   "pool": {"old": money(b.old_pool), "new": money(b.new_pool)},
                   "paid": {"old": money(b.old_paid), "new": money(b.new_paid)},
                   **({"people": [{"person": p.person, "old": money(p.old),
                                   "new": money(p.new)} for p in b.people]}
                      if result.include_payouts else {})}
                  for b in result.bonus],
        "bonus_withheld": list(result.withheld),
    }
    return json_safe(json.dumps(payload, ensure_ascii=False, indent=2, default=str)) + "\n"


def _raw(value: Any) -> Any:
    """Field values as the file wrote them; a decimal amount is its exact digits as a string
    (as in ``kkctl bonus -f json``): a JSON number would pass through a float."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _raw(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_raw(v) for v in value]
    return value


def _json_facts(result: DiffResult, lang: str) -> list[dict[str, Any]]:
    cur = result.currency
    out: list[dict[str, Any]] = []
    for d, new in _findings(result.lint):
        out.append({"type": "introduced" if new else "resolved", "severity": d.severity.value,
                    "code": d.code, "file": d.file, "line": d.line,
                    "text": d.message(lang)})
    for m in memberships(result):
        fact: dict[str, Any] = {"type": m.op, "person": m.person, "unit_kind": m.unit_kind,
                                "unit": m.unit, "date": _raw(m.date),
                                "text": membership_text(m, lang, TEXT, cur)}
        if m.first_bonus is not None:
            item, share = m.first_bonus
            fact["first_bonus"] = {"period": item.period, "scheme": item.scheme,
                                   "amount": format_amount(share.new, cur)}
        out.append(fact)
    out += [{"type": "leader", "team": f.team, "old": f.old, "new": f.new,
             "text": leader_text(f, lang, TEXT)} for f in leaders(result)]
    out += [{"type": "pool", "period": b.period, "scheme": b.scheme,
             "change": format_amount(b.new_pool - b.old_pool, cur),
             "text": pool_text(b, cur, lang, TEXT)} for b in pools(result)]
    return out
