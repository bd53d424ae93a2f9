"""The journal in words: each event as a sentence in English or Russian (the Russian one
grammatical whatever the kind: "входит в команду", "выходит из совета"), and the commits as
text for a terminal, Markdown, or JSON for programs."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kkctl import i18n
from kkctl.currency import is_exact, to_minor
from kkctl.diff.journal import Entry, Event, Journal, Unreadable
from kkctl.diff.render import FieldText
from kkctl.labels import label, scope
from kkctl.markup import json_safe, md_code, md_text, visible
from kkctl.messages import kind_name, render

# --- words --------------------------------------------------------------------------------

# Russian forms of a kind's noun: nominative, genitive, dative, accusative, prepositional.
_RU_CASES: dict[str, tuple[str, str, str, str, str]] = {
    "person": ("сотрудник", "сотрудника", "сотруднику", "сотрудника", "сотруднике"),
    "client": ("клиент", "клиента", "клиенту", "клиента", "клиенте"),
    "partner": ("партнёр", "партнёра", "партнёру", "партнёра", "партнёре"),
    "value": ("ценность", "ценности", "ценности", "ценность", "ценности"),
    "team": ("команда", "команды", "команде", "команду", "команде"),
    "council": ("совет", "совета", "совету", "совет", "совете"),
    "promise": ("обещание", "обещания", "обещанию", "обещание", "обещании"),
    "authority": ("полномочие", "полномочия", "полномочию", "полномочие", "полномочии"),
    "metric": ("метрика", "метрики", "метрике", "метрику", "метрике"),
    "canvas": ("канва", "канвы", "канве", "канву", "канве"),
    "reward_scheme": ("система вознаграждения", "системы вознаграждения",
                      "системе вознаграждения", "систему вознаграждения",
                      "системе вознаграждения"),
    "period": ("период", "периода", "периоду", "период", "периоде"),
    "hypothesis": ("гипотеза", "гипотезы", "гипотезе", "гипотезу", "гипотезе"),
    "organisation": ("организация", "организации", "организации", "организацию",
                     "организации"),
}
_CASES = ("nom", "gen", "dat", "acc", "prep")
# Russian past participles agree with the kind's noun: "Создана команда", "Создан совет".
_RU_GENDER = {"person": 0, "client": 0, "partner": 0, "council": 0, "period": 0, "value": 1,
              "team": 1, "metric": 1, "canvas": 1, "reward_scheme": 1, "hypothesis": 1,
              "organisation": 1, "promise": 2, "authority": 2}
_RU_PARTICIPLES = {"created": ("Создан", "Создана", "Создано"),
                   "dissolved": ("Расформирован", "Расформирована", "Расформировано"),
                   "added": ("Добавлен", "Добавлена", "Добавлено"),
                   "removed": ("Удалён", "Удалена", "Удалено")}
_EN_PARTICIPLES = {"created": "is created", "dissolved": "is dissolved", "added": "is added",
                   "removed": "is removed"}
_FIELDS = {
    "en": {"from": "first day", "to": "last day", "role": "role", "weight": "weight",
           "represents": "represents", "share": "share", "split": "split", "base": "base",
           "losses": "losses", "unit": "unit", "name": "name", "deposit.rate": "deposit rate",
           "deposit.release_after": "deposit released after (periods)"},
    "ru": {"from": "первый день", "to": "последний день", "role": "роль", "weight": "вес",
           "represents": "представляет", "share": "доля", "split": "распределение",
           "base": "база", "losses": "убытки", "unit": "подразделение", "name": "название",
           "deposit.rate": "доля в депозит",
           "deposit.release_after": "депозит выплачивается через (периодов)"},
}
_COUNTED = {"person": (("person", "people"), ("сотрудник", "сотрудника", "сотрудников")),
            "team": (("team", "teams"), ("команда", "команды", "команд")),
            "council": (("council", "councils"), ("совет", "совета", "советов")),
            "promise": (("promise", "promises"), ("обещание", "обещания", "обещаний")),
            "authority": (("authority", "authorities"),
                          ("полномочие", "полномочия", "полномочий"))}
_WORDS = {
    "en": {"title": "Journal", "no_change": "no change to the organisation (formatting, "
           "comments or files moved)",
           "unreadable": "{file} cannot be read in this commit ({problem}); its changes show "
                         "once it can be read again",
           "nothing": "No commit changes the organisation's files.",
           "nothing_since": "No commit after {since} changes the organisation's files.",
           "nothing_about": "Nothing happened to {entity} in the commits read.",
           "merge": "merge"},
    "ru": {"title": "Журнал", "no_change": "организация не изменилась (форматирование, "
           "комментарии или перенос файлов)",
           "unreadable": "{file} не читается в этом коммите ({problem}); его изменения будут "
                         "показаны, когда он снова станет читаемым",
           "nothing": "Ни один коммит не меняет файлы организации.",
           "nothing_since": "После {since} ни один коммит не меняет файлы организации.",
           "nothing_about": "С {entity} в прочитанных коммитах ничего не происходило.",
           "merge": "слияние"},
}
# The sentences, by event: English, Russian. {x_gen} and the like: x in that case.
_SAY: dict[str, tuple[str, str]] = {
    "joined": ("{subject} joins the organisation", "В организацию приходит {subject}"),
    "left": ("{subject} leaves the organisation", "Из организации уходит {subject}"),
    "given": ("{giver} promises {receiver}: {promise}",
              "{giver} обещает {receiver_dat}: {promise}"),
    "withdrawn": ("{giver} withdraws the promise to {receiver}: {promise}",
                  "{giver} отзывает обещание {receiver_dat}: {promise}"),
    "granted": ("{holder} is granted the authority {authority}",
                "{holder} получает полномочие {authority}"),
    "revoked": ("The authority {authority} of {holder} is revoked",
                "У {holder_gen} отменено полномочие {authority}"),
    "introduced": ("The reward scheme {scheme} is introduced{for_unit}",
                   "Введена система вознаграждения {scheme}{for_unit}"),
    "abolished": ("The reward scheme {scheme} is abolished",
                  "Отменена система вознаграждения {scheme}"),
    "opened": ("The period {period} opens: {dates}", "Открыт период {period}: {dates}"),
    "member_joined": ("{person} joins {unit}{role}{from}{to}",
                      "{person} входит в {unit_acc}{from}{to}{role}"),
    "member_left": ("{person} leaves {unit}", "{person} выходит из {unit_gen}"),
    "member_leaving": ("{person} leaves {unit}, last day {date}{was}",
                       "{person} выходит из {unit_gen}, последний день — {date}{was}"),
    "membership_changed": ("{person} in {unit}: {field} {old} → {new}",
                           "{person} в {unit_prep}: {field} {old} → {new}"),
    "leader_changed": ("{unit}: leader {old} → {new}", "{unit}: лидер {old} → {new}"),
    "reward_changed": ("{unit}: reward scheme {old} → {new}",
                       "{unit}: система вознаграждения {old} → {new}"),
    "moved": ("The authority {authority} moves from {old} to {new}",
              "Полномочие {authority} переходит от {old_gen} к {new_dat}"),
    "widened": ("The authority {authority} is widened: budget {old} → {new}",
                "Полномочие {authority} расширено: бюджет {old} → {new}"),
    "narrowed": ("The authority {authority} is narrowed: budget {old} → {new}",
                 "Полномочие {authority} сужено: бюджет {old} → {new}"),
    "rescoped": ("The authority {id} is reworded: {old} → {new}",
                 "Полномочие {id} переформулировано: {old} → {new}"),
    "backed": ("The promise {promise} is backed by the authority {authority}",
               "Обещание {promise} подкреплено полномочием {authority}"),
    "unbacked": ("The promise {promise} is no longer backed by the authority {authority}",
                 "Обещание {promise} больше не подкреплено полномочием {authority}"),
    "reworded": ("The promise {id} is reworded: {old} → {new}",
                 "Обещание {id} переформулировано: {old} → {new}"),
    "status_changed": ("The promise {promise}: status {old} → {new}",
                       "Обещание {promise}: статус {old} → {new}"),
    "closed": ("The period {period} is closed: paid {amounts}",
               "Период {period} закрыт: выплачено {amounts}"),
    "paid_changed": ("The period {period}: what was paid is corrected: {amounts}",
                     "Период {period}: выплаченное исправлено: {amounts}"),
    "paid_shares": ("The period {period}: who was paid what is corrected (totals unchanged)",
                    "Период {period}: исправлено, кому сколько выплачено (итоги те же)"),
    "payouts_changed": ("The period {period}: the payouts the council set change ({schemes})",
                        "Период {period}: меняются выплаты, назначенные советом ({schemes})"),
    "net_profit": ("The period {period}: net profit {new}",
                   "Период {period}: чистая прибыль {new}"),
    "net_profit_changed": ("The period {period}: net profit {old} → {new}",
                           "Период {period}: чистая прибыль {old} → {new}"),
    "scheme_changed": ("The reward scheme {scheme}: {change}",
                       "Система вознаграждения {scheme}: {change}"),
    "changed": ("{subject}: {change}", "{subject}: {change}"),
    "recorded": ("The organisation {name} is recorded: {counts}",
                 "Организация {name} внесена в журнал: {counts}"),
}
_BITS = {  # the optional parts of a sentence
    "en": {"role": " as {x}", "from": " from {x}", "to": ", last day {x}", "was": " (was {x})",
           "for_unit": " for {x}"},
    "ru": {"role": ", роль — {x}", "from": " с {x}", "to": ", последний день — {x}",
           "was": " (было: {x})", "for_unit": " для {x}"},
}


@dataclass(frozen=True)
class _Style:
    """How user strings are written: escaped Markdown, visible terminal text, or as they are
    (JSON, which escapes on its own)."""

    mode: str  # text | markdown | plain

    def ident(self, value: object) -> str:
        return md_code(value) if self.mode == "markdown" else self.words(value)

    def words(self, value: object) -> str:
        if self.mode == "markdown":
            return md_text(value)
        return visible(value) if self.mode == "text" else str(value)

    def ref(self, ident: object, name: object = None) -> str:
        """``Кира (kira)``, or the id alone when there is no other name."""
        if name and name != ident:
            return f"{self.words(name)} ({self.ident(ident)})"
        return self.ident(ident)

    def quote(self, value: object, lang: str) -> str:
        opening, closing = ("«", "»") if lang == "ru" else ("“", "”")
        return f"{opening}{self.words(value)}{closing}"


TEXT, MARKDOWN, PLAIN = _Style("text"), _Style("markdown"), _Style("plain")


@dataclass
class _Say:
    """Everything a sentence needs: the language, the style, the currency."""

    lang: str
    style: _Style
    currency: str
    # What :meth:`entity` wrote starting with the kind's noun: a sentence that starts with
    # one capitalises it; one that starts with a name or an id leaves it as written.
    led: set[str] = field(default_factory=set)

    def entity(self, ref: dict[str, Any] | None, case: str = "nom", noun: bool = True
               ) -> str:
        """``team Logistics (logistika)`` / ``команде Логистика (logistika)``; a person
        by name alone where the sentence allows; ``noun=False``: without the kind's noun."""
        if ref is None:
            return "—"
        kind, ident, name = ref.get("kind"), ref["id"], ref.get("name")
        style = self.style
        if kind in ("authority", "promise") and name and name != ident:
            words = scope(str(name), self.lang) if kind == "authority" else name
            shown = f"{style.quote(words, self.lang)} ({style.ident(ident)})"
        else:
            shown = style.ref(ident, name)
        if not noun or kind is None or (kind == "person" and case == "nom"):
            return shown
        if self.lang == "ru":
            word = _RU_CASES.get(kind, (kind_name(kind, "ru"),) * 5)[_CASES.index(case)]
        else:
            word = kind_name(kind, "en")
        self.led.add(f"{word} {shown}")
        return f"{word} {shown}"

    def date(self, value: Any) -> str:
        try:
            return i18n.date(dt.date.fromisoformat(str(value)), self.lang)
        except ValueError:
            return self.style.words(value)

    def money(self, value: Decimal | None) -> str:
        if value is None:
            return "—"
        if value.is_finite() and is_exact(value, self.currency):
            return i18n.money(to_minor(value, self.currency), self.currency, self.lang)
        return i18n.number(value, self.lang) if value.is_finite() else str(value)

    def value(self, kind: str, path: str, value: Any) -> str:
        return self.style.words(FieldText(kind, path, self.currency, self.lang).value(value))

    def field(self, path: str) -> str:
        return _FIELDS[self.lang].get(path) or self.style.words(path)

    def bit(self, name: str, value: str | None) -> str:
        return _BITS[self.lang][name].format(x=value) if value else ""


def sentence(event: Event, lang: str, style: _Style, currency: str) -> str:
    say = _Say(lang, style, currency)
    subject = {"kind": event.kind, "id": event.id, "name": event.name}
    details = event.details
    slots: dict[str, Any] = {"id": style.ident(event.id)}
    for case in _CASES:
        slots["subject" if case == "nom" else f"subject_{case}"] = say.entity(subject, case)
        slots["unit" if case == "nom" else f"unit_{case}"] = say.entity(subject, case)
    for key in ("giver", "receiver", "holder", "person"):
        ref = details.get(key)
        if isinstance(ref, dict) or ref is None:
            for case in _CASES:
                slots[key if case == "nom" else f"{key}_{case}"] = say.entity(ref, case)
    slots.update(_special(event, say, subject))
    key = event.event
    if key in _RU_PARTICIPLES:
        text = _appeared(event, say, slots["subject"])
    else:
        if key == "net_profit" and details.get("old") is not None:
            key = "net_profit_changed"
        if key == "paid_changed" and not details.get("paid"):
            key = "paid_shares"
        template = _SAY[key][1 if lang == "ru" else 0]
        if template.startswith("{"):
            lead = template[1:template.index("}")]
            slots[lead] = _capital(slots[lead], say)
        text = template.format(**slots)
    return text


def _capital(text: str, say: _Say) -> str:
    """The kind's noun that starts a sentence, capitalised; never a name or an id."""
    return text[:1].upper() + text[1:] if text in say.led else text


def _appeared(event: Event, say: _Say, subject: str) -> str:
    if say.lang == "ru":
        return f"{_RU_PARTICIPLES[event.event][_RU_GENDER.get(event.kind, 0)]} {subject}"
    return f"{_capital(subject, say)} {_EN_PARTICIPLES[event.event]}"


def _special(event: Event, say: _Say, subject: dict[str, Any]) -> dict[str, str]:
    """The slots particular to an event: dates, amounts, old and new values."""
    details, style, lang = event.details, say.style, say.lang
    slots: dict[str, str] = {
        "promise": say.entity(subject, noun=False),
        "authority": say.entity(subject if event.kind == "authority"
                                else details.get("authority"), noun=False),
        "scheme": style.ref(event.id, event.name),
        "period": style.ref(event.id, event.name),
        "name": style.words(event.name),
    }
    what = event.event
    if what == "member_joined":
        slots["role"] = say.bit("role", label("role", details["role"], lang)
                                if details.get("role") else None)
        slots["from"] = say.bit("from", say.date(details["from"]) if "from" in details
                                else None)
        slots["to"] = say.bit("to", say.date(details["to"]) if "to" in details else None)
    elif what == "member_leaving":
        slots["date"] = say.date(details["to"])
        slots["was"] = say.bit("was", say.date(details["was"]) if details.get("was")
                               else None)
    elif what == "membership_changed":
        slots.update(field=say.field(details["field"]),
                     old=_member_value(say, details["field"], details.get("old")),
                     new=_member_value(say, details["field"], details.get("new")))
    elif what in ("leader_changed", "reward_changed"):
        slots.update(old=say.entity(details.get("old")), new=say.entity(details.get("new")))
    elif what == "moved":
        for side in ("old", "new"):
            for case in _CASES:
                slots[side if case == "nom" else f"{side}_{case}"] = \
                    say.entity(details.get(side), case)
    elif what in ("widened", "narrowed", "net_profit"):
        slots.update(old=say.money(details.get("old")), new=say.money(details.get("new")))
    elif what in ("rescoped", "reworded", "status_changed"):
        def show(value: Any) -> str:
            if not value:
                return "—"
            if what == "status_changed":
                return style.words(label("promise_status", value, lang))
            return style.quote(value, lang)

        slots.update(old=show(details.get("old")), new=show(details.get("new")))
    elif what == "opened":
        slots["dates"] = _dates(details, say)
    elif what == "introduced":
        slots["for_unit"] = say.bit("for_unit", say.entity(
            details["unit"], "gen") if details.get("unit") else None)
    elif what == "closed":
        slots["amounts"] = "; ".join(f"{say.money(item['amount'])} ({say.entity(item['scheme'])})"
                                     for item in details["paid"])
    elif what == "paid_changed":
        slots["amounts"] = "; ".join(
            f"{say.entity(item['scheme'])}: {say.money(item.get('old'))} → "
            f"{say.money(item.get('new'))}" for item in details.get("paid", []))
    elif what == "payouts_changed":
        slots["schemes"] = ", ".join(say.entity(s) for s in details.get("schemes", []))
    elif what in ("changed", "scheme_changed"):
        slots["change"] = _change(event, say)
    elif what == "recorded":
        slots["counts"] = _counts(details.get("counts", {}), lang)
    return slots


def _member_value(say: _Say, key: str, value: Any) -> str:
    if value is None or value == []:
        return "—"
    if key in ("from", "to"):
        return say.date(value)
    if key == "role":
        return say.style.words(label("role", value, say.lang))
    if isinstance(value, list):
        return ", ".join(say.style.ident(v) for v in value)
    return say.style.words(i18n.number(value, say.lang) if isinstance(value, Decimal)
                           else value)


def _dates(details: dict[str, Any], say: _Say) -> str:
    try:
        start = dt.date.fromisoformat(details["start"]) if details.get("start") else None
        end = dt.date.fromisoformat(details["end"]) if details.get("end") else None
    except ValueError:
        return "—"
    return i18n.date_range(start, end, say.lang)


def _change(event: Event, say: _Say) -> str:
    """``share: 20% → 25%`` / ``members: + kira``: a field, as the diff shows it."""
    details = event.details
    path = details["field"]
    shown = say.field(path) if event.event == "scheme_changed" else say.style.words(path)
    old, new, op = details.get("old"), details.get("new"), details.get("op")
    if op == "added" or (op == "changed" and old is None):
        return f"{shown}: + {say.value(event.kind, path, new)}"
    if op == "removed" or (op == "changed" and new is None):
        return f"{shown}: − {say.value(event.kind, path, old)}"
    return f"{shown} {say.value(event.kind, path, old)} → {say.value(event.kind, path, new)}"


def _counts(counts: dict[str, int], lang: str) -> str:
    parts = []
    for kind, (english, russian) in _COUNTED.items():
        count = counts.get(kind, 0)
        if count:
            word = i18n.plural_form(count, russian if lang == "ru" else english, lang)
            parts.append(f"{i18n.number(count, lang)} {word}")
    return ", ".join(parts) or "—"


# --- output -------------------------------------------------------------------------------

def _when(entry: Entry, lang: str) -> str:
    """``2026-08-01`` / ``01.08.2026``: the day the commit reached the line, in its zone."""
    date = entry.commit.date
    if date is None:
        return "????-??-??"
    return date.strftime("%d.%m.%Y") if lang == "ru" else date.date().isoformat()


def _header(entry: Entry, lang: str, style: _Style) -> str:
    commit = entry.commit
    merge = f" ({_WORDS[lang]['merge']})" if len(commit.parents) > 1 else ""
    if style.mode == "markdown":
        return (f"### {_when(entry, lang)} · {md_code(commit.id[:7])} · "
                f"{md_text(commit.author)}: {md_text(commit.subject)}{merge}")
    return f"{_when(entry, lang)}  {commit.id[:7]}  {visible(commit.author)}: " \
           f"{visible(commit.subject)}{merge}"


def _problem_text(item: Unreadable, lang: str, style: _Style) -> str:
    problem = render(item.problem.message_id, lang, item.problem.args)
    return _WORDS[lang]["unreadable"].format(file=style.ident(item.file),
                                             problem=style.words(problem))


def _nothing(journal: Journal, lang: str, style: _Style) -> str:
    words = _WORDS[lang]
    if journal.entity is not None:
        return words["nothing_about"].format(entity=style.ident(journal.entity))
    if journal.since is not None:
        return words["nothing_since"].format(since=style.ident(journal.since))
    return words["nothing"]


def text(journal: Journal, lang: str) -> str:
    out: list[str] = []
    for entry in journal.entries:
        if out:
            out.append("")
        out.append(_header(entry, lang, TEXT))
        out += [f"  {event.sign} {sentence(event, lang, TEXT, entry.currency)}"
                for event in entry.events]
        out += [f"  ! {_problem_text(item, lang, TEXT)}" for item in entry.unreadable]
        if not entry.events and not entry.unreadable:
            out.append(f"    {_WORDS[lang]['no_change']}")
    if not journal.entries:
        out.append(_nothing(journal, lang, TEXT))
    return "\n".join(out) + "\n"


_MD_SIGN = {"+": "**+**", "-": "**−**", "~": "**~**"}  # "- +" would start a nested list


def markdown(journal: Journal, lang: str) -> str:
    name = journal.organisation[1] or journal.organisation[0]
    out = [f"## {_WORDS[lang]['title']}: {md_text(name)}" if name else
           f"## {_WORDS[lang]['title']}"]
    for entry in journal.entries:
        out += ["", _header(entry, lang, MARKDOWN), ""]
        out += [f"- {_MD_SIGN[event.sign]} {sentence(event, lang, MARKDOWN, entry.currency)}"
                for event in entry.events]
        out += [f"- ⚠️ {_problem_text(item, lang, MARKDOWN)}" for item in entry.unreadable]
        if not entry.events and not entry.unreadable:
            out.append(f"- _{_WORDS[lang]['no_change']}_")
    if not journal.entries:
        out += ["", _nothing(journal, lang, MARKDOWN)]
    return "\n".join(out) + "\n"


def _json_value(value: Any) -> Any:
    """JSON values: an amount is its exact digits as a string (a JSON number would pass
    through a float), a date its ISO form."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def as_json(journal: Journal, lang: str) -> str:
    def entry_json(entry: Entry) -> dict[str, Any]:
        commit = entry.commit
        return {
            "commit": commit.id, "parents": commit.parents, "merge": len(commit.parents) > 1,
            "date": commit.date.isoformat() if commit.date else None,
            "author": commit.author, "subject": commit.subject,
            "events": [{"kind": e.kind, "id": e.id, "name": e.name, "event": e.event,
                        "details": _json_value(e.details),
                        "text": sentence(e, lang, PLAIN, entry.currency)}
                       for e in entry.events],
            "unreadable": [{"file": u.file, "message": render(u.problem.message_id, lang,
                                                                u.problem.args)}
                           for u in entry.unreadable],
        }

    payload = {"organisation": {"id": journal.organisation[0],
                                "name": journal.organisation[1]},
               "since": journal.since, "entity": journal.entity,
               "history_starts_after": journal.boundary,
               "commits": [entry_json(e) for e in journal.entries]}
    return json_safe(json.dumps(payload, ensure_ascii=False, indent=2)) + "\n"


def shallow_note(journal: Journal, lang: str) -> str | None:
    if journal.boundary is None:
        return None
    return render("log.shallow", lang, {"commit": journal.boundary[:12]})
