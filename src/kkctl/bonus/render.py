"""Bonus results as a table for people, JSON for programs, CSV and an XLSX workbook for the
accountant, Markdown for the council.

Every statement says, per period, what all schemes together pay against net profit (and the
methodology's 20 %, and the company's cap), and, per scheme, its base and where each of its
rules comes from: the methodology, the company's decision, or kkctl's default.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kkctl import i18n
from kkctl.bonus.compute import BonusRun, PeriodTotal, Provenance, SchemeResult
from kkctl.bonus.xlsx import FORMULA_START
from kkctl.currency import exponent, format_amount, from_minor
from kkctl.diagnostics import Diagnostic
from kkctl.labels import label
from kkctl.markup import json_safe, md_code, md_text, visible
from kkctl.textio import terminal_safe

if TYPE_CHECKING:
    from kkctl.bonus.app import BonusOutcome, CsvDialect

# The methodology's figure: «20% от чистой прибыли в виде бонуса команде».
STANDARD = Decimal("0.20")

_TEXT = {
    "en": {
        "period": "Period {period} ({dates}), amounts in {currency}",
        "scheme": "Scheme {scheme} — {unit}: {base} × {share}, split {split}",
        "base": "base", "base_row": "base: {label}", "part": "share of base",
        "carried_in": "loss carried in",
        "offset": "loss paid off", "charged": "loss taken from deposit",
        "carried_out": "loss carried out", "pool": "pool", "withheld": "withheld to deposit",
        "released": "released from deposit", "deposit_balance": "deposit balance",
        "paid": "paid out", "person": "person", "name": "name", "weight": "weight",
        "days": "days", "amount": "amount",
        "council": "council member: paid by the council's scheme only",
        "not_member": "not a member during the period",
        "no_periods": "no periods with figures",
        "history": "History of {scheme}, amounts in {currency}", "col_period": "period",
        "totals": "All schemes of the period", "totals_history": "All schemes, by period",
        "net_profit": "net profit", "total_paid": "paid by all schemes",
        "total_share": "share of net profit", "standard": "the methodology's standard",
        "cap": "the company's cap (bonus.cap)", "over_cap": "over the cap",
        "no_share": "—", "standard_note": "the methodology: {share} of net profit as the "
                                           "teams' bonus",
        "rules": "Rules: {rules}",
        "rule_share": "share {value}", "rule_base": "base: {label}",
        "rule_split": "split {label}", "rule_losses": "losses {label}",
        "rule_deposit": "deposit {value}", "deposit_after": "{rate}, released after {after}",
        "deposit_now": "{rate}, released in the same period",
        "periods": "period|periods",
        "origin_methodology": "the methodology", "origin_company": "the company's decision",
        "origin_default": "kkctl's default",
        "deposit_note": "how a deposit works is kkctl's rule, not the methodology's",
        # the accountant's files
        "unit": "unit", "unit_name": "unit name", "base_amount": "base amount",
        "share": "share", "scheme_col": "scheme", "currency": "currency",
        "start": "start", "end": "end", "rule": "rule", "value": "value",
        "origin": "origin", "where": "where",
        "sheet_pools": "Pools", "sheet_payouts": "Payouts", "sheet_totals": "Totals",
        "sheet_rules": "Rules", "methodology_share": "methodology share",
        "company_cap": "company cap",
        "setting_share": "share", "setting_base": "base", "setting_split": "split",
        "setting_losses": "losses", "setting_deposit": "deposit",
    },
    "ru": {
        "period": "Период {period} ({dates}), суммы в {currency}",
        "scheme": "Схема {scheme} — {unit}: {base} × {share}, распределение {split}",
        "base": "база", "base_row": "база: {label}", "part": "доля от базы",
        "carried_in": "перенесённый убыток",
        "offset": "погашено убытка", "charged": "убыток покрыт из депозита",
        "carried_out": "убыток к переносу", "pool": "пул", "withheld": "удержано в депозит",
        "released": "выплачено из депозита", "deposit_balance": "остаток депозита",
        "paid": "к выплате", "person": "сотрудник", "name": "имя", "weight": "вес",
        "days": "дней", "amount": "сумма",
        "council": "член совета: получает только по схеме совета",
        "not_member": "не состоял в команде в этот период",
        "no_periods": "нет периодов с данными",
        "history": "История {scheme}, суммы в {currency}", "col_period": "период",
        "totals": "Все схемы периода", "totals_history": "Все схемы по периодам",
        "net_profit": "чистая прибыль", "total_paid": "выплачено всеми схемами",
        "total_share": "доля чистой прибыли", "standard": "норматив методологии",
        "cap": "предел компании (bonus.cap)", "over_cap": "выше предела",
        "no_share": "—", "standard_note": "методология: {share} чистой прибыли — бонус "
                                           "командам",
        "rules": "Правила: {rules}",
        "rule_share": "доля {value}", "rule_base": "база: {label}",
        "rule_split": "распределение {label}", "rule_losses": "убыток {label}",
        "rule_deposit": "депозит {value}", "deposit_after": "{rate}, выплата через {after}",
        "deposit_now": "{rate}, выплата в том же периоде",
        "periods": "период|периода|периодов",
        "origin_methodology": "методология", "origin_company": "решение компании",
        "origin_default": "по умолчанию kkctl",
        "deposit_note": "механика депозита\u00a0— правило kkctl, а не методологии",
        "unit": "команда или совет", "unit_name": "название", "base_amount": "сумма базы",
        "share": "доля", "scheme_col": "схема", "currency": "валюта",
        "start": "начало", "end": "конец", "rule": "правило", "value": "значение",
        "origin": "источник", "where": "где задано",
        "sheet_pools": "Пулы", "sheet_payouts": "Выплаты", "sheet_totals": "Итоги",
        "sheet_rules": "Правила", "methodology_share": "доля по методологии",
        "company_cap": "предел компании",
        "setting_share": "доля", "setting_base": "база", "setting_split": "распределение",
        "setting_losses": "убытки", "setting_deposit": "депозит",
    },
}
_LINES = ("base", "part", "carried_in", "offset", "charged", "carried_out", "pool", "withheld",
          "released", "deposit_balance", "paid")
_WIDTH = 100  # a rules line is wrapped here in the text statement


def _t(lang: str, key: str, **args: Any) -> str:
    return _TEXT.get(lang, _TEXT["en"])[key].format(**args)


def document(outcome: BonusOutcome) -> str | bytes:
    """The statement ``outcome`` asks for, in its format: text for the terminal (control
    characters shown, not obeyed), JSON, CSV in its dialect, Markdown, or XLSX bytes."""
    run = outcome.run
    assert run is not None and outcome.chosen is not None
    ids, schemes, lang = outcome.period_ids, outcome.schemes, outcome.language
    if outcome.fmt == "json":
        return as_json(run, ids, schemes)
    if outcome.fmt == "csv":
        return as_csv(run, ids, schemes, outcome.dialect)
    if outcome.fmt == "csv-pools":
        return as_csv_pools(run, ids, schemes, outcome.dialect)
    if outcome.fmt == "csv-totals":
        return as_csv_totals(run, ids, outcome.dialect)
    if outcome.fmt == "xlsx":
        return as_xlsx(run, ids, schemes, lang)
    if outcome.fmt == "markdown":
        return "\n".join(markdown(run, i, lang, schemes) for i in ids)
    if outcome.all_periods:
        return terminal_safe(history(run, lang, schemes))
    return terminal_safe(table(run, outcome.chosen, lang, schemes))


def _amounts(result: SchemeResult) -> dict[str, int]:
    return {"part": result.part, "carried_in": result.carried_in, "offset": result.offset,
            "charged": result.charged, "carried_out": result.carried_out, "pool": result.pool,
            "withheld": result.withheld, "released": result.released,
            "deposit_balance": result.deposit_balance, "paid": result.paid}


def _unit(result: SchemeResult, escape: Callable[[object], str] = visible) -> str:
    """``Name (id)`` of the unit a scheme pays, its user text escaped by ``escape``."""
    unit = result.scheme.unit
    target = unit.target if unit is not None else None
    name = getattr(target, "name", "") or (unit.id if unit else "?")
    return f"{escape(name)} ({escape(unit.id if unit else '?')})"


def _unit_name(result: SchemeResult) -> str:
    unit = result.scheme.unit
    return str(getattr(unit.target if unit else None, "name", "") or "")


def warning_line(warning: Diagnostic, lang: str) -> str:
    """``file:line:col: предупреждение KK306 …``: a warning of the computation, in ``lang``."""
    severity = label("severity", warning.severity.value, lang)
    return (f"{warning.file}:{warning.line}:{warning.column}: {severity} {warning.code} "
            f"{warning.message(lang)}")


# --- where each rule comes from --------------------------------------------------------------


def rule_phrase(rule: Provenance, lang: str) -> str:
    """``доля 20 %``, ``база: прибыль команды``, ``депозит 25 %, выплата через 2 периода``."""
    value = rule_value(rule, lang)
    if rule.setting in ("base", "split", "losses"):
        return _t(lang, f"rule_{rule.setting}", label=value)
    return _t(lang, f"rule_{rule.setting}", value=value)


def rule_value(rule: Provenance, lang: str) -> str:
    """The rule's value in words: ``20 %``, ``прибыль команды``, ``поровну``,
    ``25 %, выплата через 2 периода``."""
    if rule.setting == "share":
        return i18n.percent(Decimal(rule.value), lang)
    if rule.setting == "deposit":
        rate, _, after = rule.value.partition("/")
        periods = int(after or 0)
        if not periods:
            return _t(lang, "deposit_now", rate=i18n.percent(Decimal(rate), lang))
        forms = _t(lang, "periods").split("|")
        return _t(lang, "deposit_after", rate=i18n.percent(Decimal(rate), lang),
                  after=f"{periods}\u00a0{i18n.plural_form(periods, forms, lang)}")
    return label(rule.setting, rule.value, lang)


def origin_phrase(rule: Provenance, lang: str) -> str:
    """``решение компании``: where the rule comes from, in words."""
    return _t(lang, f"origin_{rule.origin}")


def rules_line(rules: list[Provenance], lang: str, escape: Callable[[object], str]) -> str:
    """``Правила: доля 20 % — методология; база: прибыль команды — решение компании
    (kkctl.yaml:12:11); …``: each rule, where it comes from, and where the company set it."""
    parts = []
    for rule in rules:
        text = f"{rule_phrase(rule, lang)}\u00a0— {origin_phrase(rule, lang)}"
        if rule.origin == "company" and rule.where:
            text += f" ({escape(rule.where)})"
        if rule.setting == "deposit":
            text += f", {_t(lang, 'deposit_note')}"
        parts.append(text)
    return _t(lang, "rules", rules="; ".join(parts))


def _wrapped(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(text, _WIDTH, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_long_words=False, break_on_hyphens=False)


# --- the period's total against net profit ---------------------------------------------------


def _share_text(share: Decimal | None, lang: str) -> str:
    if share is None:
        return _t(lang, "no_share")
    return i18n.percent(share.quantize(Decimal("0.001")), lang, 1)


def _over(total: PeriodTotal) -> bool:
    return total.cap is not None and total.share is not None and total.share > total.cap


def _total_rows(total: PeriodTotal, cur: str, lang: str) -> list[tuple[str, str]]:
    """(label, value) rows: net profit, paid by all schemes, its share, the methodology's
    standard and the company's cap."""
    share = _share_text(total.share, lang)
    if _over(total):
        share += f" ({_t(lang, 'over_cap')})"
    rows = [(_t(lang, "net_profit"), i18n.amount(total.net_profit, cur, lang)),
            (_t(lang, "total_paid"), i18n.amount(total.paid, cur, lang)),
            (_t(lang, "total_share"), share),
            (_t(lang, "standard"), i18n.percent(STANDARD, lang))]
    if total.cap is not None:
        rows.append((_t(lang, "cap"), i18n.percent(total.cap, lang)))
    return rows


# --- the statement for people ----------------------------------------------------------------


def table(run: BonusRun, period_id: str, lang: str, schemes: list[str] | None) -> str:
    period = next(p for p in run.periods if p.id == period_id)
    cur = run.currency
    out = [_t(lang, "period", period=visible(period.id),
              dates=i18n.date_range(period.start, period.end, lang), currency=cur), ""]
    total = run.totals.get(period_id)
    if total is not None:
        out.append(_t(lang, "totals"))
        out += _rows(_total_rows(total, cur, lang))
        out.append("")
    for result in _chosen(run.results[period_id], schemes):
        scheme = result.scheme
        out.append(_scheme_heading(result, lang, visible))
        out += _wrapped(rules_line(run.provenance.get(scheme.id, []), lang, visible))
        base = _t(lang, "base_row", label=label("base", scheme.base, lang))
        rows = [(base, _plain(result.base_amount, cur, lang))]
        amounts = _amounts(result)
        for key in _LINES[1:]:
            if amounts[key] or key in ("part", "pool", "paid"):
                rows.append((_t(lang, key), i18n.amount(amounts[key], cur, lang)))
        out += _rows(rows)
        out.append("")
        head = (_t(lang, "person"), _t(lang, "name"), _t(lang, "weight"), _t(lang, "days"),
                _t(lang, "amount"))
        body = [(visible(s.person), visible(s.name), _num(s.weight, lang),
                 "" if s.days is None else i18n.number(s.days, lang),
                 i18n.amount(s.amount, cur, lang)) for s in result.shares]
        out += _grid(head, body)
        for excluded in result.excluded:
            out.append(f"  – {visible(excluded.person)} ({visible(excluded.name)}): "
                       f"{_t(lang, excluded.reason)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _rows(rows: list[tuple[str, str]]) -> list[str]:
    width = max(len(name) for name, _ in rows)
    return [f"  {name.ljust(width)}  {value:>18}" for name, value in rows]


_HISTORY = ("part", "carried_in", "charged", "carried_out", "pool", "withheld", "released",
            "deposit_balance", "paid")


def history(run: BonusRun, lang: str, schemes: list[str] | None) -> str:
    """Every period of every scheme: the loss carried into and out of each period, the
    deposit's balance; then what all schemes paid each period against net profit."""
    out: list[str] = []
    by_scheme: dict[str, list[SchemeResult]] = {}
    for period in run.periods:
        for result in _chosen(run.results[period.id], schemes):
            by_scheme.setdefault(result.scheme.id, []).append(result)
    for scheme_id, results in by_scheme.items():
        out.append(_t(lang, "history", scheme=visible(scheme_id), currency=run.currency))
        out += _wrapped(rules_line(run.provenance.get(scheme_id, []), lang, visible))
        base = _t(lang, "base_row", label=label("base", results[0].scheme.base, lang))
        head = (_t(lang, "col_period"), base, *(_t(lang, c) for c in _HISTORY))
        body = [(visible(r.period.id), _plain(r.base_amount, run.currency, lang),
                 *(i18n.amount(_amounts(r)[c], run.currency, lang) for c in _HISTORY))
                for r in results]
        out += [*_grid(head, body, numeric_from=1), ""]
    if not out:
        return _t(lang, "no_periods") + "\n"
    out += _history_totals(run, lang)
    return "\n".join(out).rstrip() + "\n"


def _history_totals(run: BonusRun, lang: str) -> list[str]:
    cur = run.currency
    totals = [(p.id, run.totals[p.id]) for p in run.periods if p.id in run.totals]
    if not totals:
        return []
    capped = any(t.cap is not None for _, t in totals)
    head = (_t(lang, "col_period"), _t(lang, "net_profit"), _t(lang, "total_paid"),
            _t(lang, "total_share"), *((_t(lang, "cap"),) if capped else ()))
    body = []
    for period_id, total in totals:
        share = _share_text(total.share, lang)
        if _over(total):
            share += f" ({_t(lang, 'over_cap')})"
        cap = (i18n.percent(total.cap, lang) if total.cap is not None else "",) if capped \
            else ()
        body.append((visible(period_id), i18n.amount(total.net_profit, cur, lang),
                     i18n.amount(total.paid, cur, lang), share, *cap))
    return [_t(lang, "totals_history"), *_grid(head, body, numeric_from=1),
            f"  ({_t(lang, 'standard_note', share=i18n.percent(STANDARD, lang))})", ""]


# --- JSON ------------------------------------------------------------------------------------


def as_json(run: BonusRun, period_ids: list[str], schemes: list[str] | None) -> str:
    cur = run.currency
    payload: list[dict[str, Any]] = []
    for period_id in period_ids:
        period = next(p for p in run.periods if p.id == period_id)
        payload.append({
            "period": period.id, "start": str(period.start), "end": str(period.end),
            "currency": cur, "total": _total_json(run.totals.get(period_id), cur),
            "schemes": [_scheme_json(r, cur, run.provenance.get(r.scheme.id, []))
                        for r in _chosen(run.results[period_id], schemes)],
        })
    data: Any = payload[0] if len(payload) == 1 else {"periods": payload}
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def _total_json(total: PeriodTotal | None, cur: str) -> dict[str, Any] | None:
    if total is None:
        return None
    return {"paid": format_amount(total.paid, cur),
            "net_profit": format_amount(total.net_profit, cur),
            "share_of_net_profit": _fraction(total.share),
            "methodology_share": str(STANDARD),
            "cap": None if total.cap is None else str(total.cap),
            "over_cap": _over(total)}


def _fraction(share: Decimal | None) -> str | None:
    """A share of net profit for programs: ``0.2465`` (to a hundredth of a per cent)."""
    return None if share is None else str(share.quantize(Decimal("0.0001")))


def _scheme_json(result: SchemeResult, cur: str, rules: list[Provenance]) -> dict[str, Any]:
    scheme = result.scheme

    def money(units: int) -> str:
        return format_amount(units, cur)

    return {
        "id": scheme.id, "unit": scheme.unit.id if scheme.unit else None,
        "base": scheme.base, "share": str(scheme.share), "split": scheme.split,
        "losses": scheme.losses, "base_amount": str(result.base_amount),
        "part": money(result.part), "carried_in": money(result.carried_in),
        "offset": money(result.offset), "charged": money(result.charged),
        "carried_out": money(result.carried_out), "pool": money(result.pool),
        "withheld": money(result.withheld), "released": money(result.released),
        "deposit_balance": money(result.deposit_balance), "paid": money(result.paid),
        "rules": [{"setting": r.setting, "value": r.value, "origin": r.origin,
                   "where": r.where} for r in rules],
        "payouts": [{"person": s.person, "name": s.name, "amount": money(s.amount),
                     "weight": _raw_number(s.weight), "days": s.days}
                    for s in result.shares],
        "excluded": [{"person": e.person, "reason": e.reason} for e in result.excluded],
    }


# --- CSV for the accountant ------------------------------------------------------------------


def _headers(dialect: CsvDialect, *keys: str) -> list[str]:
    return [_t(dialect.lang, key) for key in keys]


def _writer(dialect: CsvDialect) -> tuple[io.StringIO, Any]:
    buffer = io.StringIO()
    return buffer, csv.writer(buffer, delimiter=dialect.separator, lineterminator="\r\n")


def _done(buffer: io.StringIO, dialect: CsvDialect) -> str:
    return ("\ufeff" if dialect.bom else "") + buffer.getvalue()


def _number(value: Decimal, dialect: CsvDialect) -> str:
    """An exact decimal as a spreadsheet reads it in the dialect: no grouping, ``0,2``."""
    text = format(value, "f")
    return text.replace(".", ",") if dialect.decimal_comma else text


def _exact(value: Decimal, cur: str) -> Decimal:
    """An input amount with at least the currency's decimals (never rounded)."""
    minor = Decimal(1).scaleb(-exponent(cur))
    exp = value.as_tuple().exponent
    return value.quantize(minor) if isinstance(exp, int) and exp > -exponent(cur) else value


def as_csv(run: BonusRun, period_ids: list[str], schemes: list[str] | None,
           dialect: CsvDialect) -> str:
    """Per-person rows for payroll: ``period, person, name, scheme, amount, currency``, the
    header in the dialect's language (ids, amounts and the currency code stay as the
    accounting system reads them)."""
    buffer, writer = _writer(dialect)
    writer.writerow(_headers(dialect, "col_period", "person", "name", "scheme_col", "amount",
                             "currency"))
    for period_id in period_ids:
        for result in _chosen(run.results[period_id], schemes):
            for share in result.shares:
                writer.writerow([_cell(period_id), _cell(share.person), _cell(share.name),
                                 _cell(result.scheme.id),
                                 format_amount(share.amount, run.currency,
                                               dialect.decimal_comma),
                                 run.currency])
    return _done(buffer, dialect)


POOL_COLUMNS = ("col_period", "scheme_col", "unit", "unit_name", "base", "base_amount",
                "share", *_LINES[1:], "currency")


def as_csv_pools(run: BonusRun, period_ids: list[str], schemes: list[str] | None,
                 dialect: CsvDialect) -> str:
    """One row per scheme and period: its base, share and every step to what it paid, so that
    the payouts file adds up to each row's ``paid``."""
    buffer, writer = _writer(dialect)
    writer.writerow(_headers(dialect, *POOL_COLUMNS))
    cur = run.currency
    for period_id in period_ids:
        for result in _chosen(run.results[period_id], schemes):
            scheme, amounts = result.scheme, _amounts(result)
            writer.writerow([
                _cell(period_id), _cell(scheme.id), _cell(scheme.unit.id if scheme.unit else ""),
                _cell(_unit_name(result)), label("base", scheme.base, dialect.lang),
                _number(_exact(result.base_amount, cur), dialect),
                _number(scheme.share, dialect),
                *(format_amount(amounts[key], cur, dialect.decimal_comma)
                  for key in _LINES[1:]),
                cur])
    return _done(buffer, dialect)


TOTAL_COLUMNS = ("col_period", "start", "end", "net_profit", "total_paid", "total_share",
                 "methodology_share", "company_cap", "currency")


def as_csv_totals(run: BonusRun, period_ids: list[str], dialect: CsvDialect) -> str:
    """One row per period: net profit, what all schemes paid, its share of net profit (a
    fraction, to a hundredth of a per cent), the methodology's 0.20 and the company's cap."""
    buffer, writer = _writer(dialect)
    writer.writerow(_headers(dialect, *TOTAL_COLUMNS))
    cur = run.currency
    for period_id in period_ids:
        period = next(p for p in run.periods if p.id == period_id)
        total = run.totals[period_id]
        share = _fraction(total.share)
        writer.writerow([
            _cell(period_id), str(period.start), str(period.end),
            format_amount(total.net_profit, cur, dialect.decimal_comma),
            format_amount(total.paid, cur, dialect.decimal_comma),
            "" if share is None else _number(Decimal(share), dialect),
            _number(STANDARD, dialect),
            "" if total.cap is None else _number(total.cap, dialect), cur])
    return _done(buffer, dialect)


def _cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    if text and text[0] in FORMULA_START:
        return "'" + text
    return text


# --- the workbook ----------------------------------------------------------------------------


def as_xlsx(run: BonusRun, period_ids: list[str], schemes: list[str] | None,
            lang: str) -> bytes:
    """The accountant's workbook (sheets Pools, Payouts, Totals, Rules); see
    :mod:`kkctl.bonus.xlsx`."""
    from kkctl.bonus.xlsx import Sheet, workbook

    cur = run.currency
    chosen = [(pid, r) for pid in period_ids for r in _chosen(run.results[pid], schemes)]
    pools = Sheet(_t(lang, "sheet_pools"), [_t(lang, key) for key in POOL_COLUMNS],
                  ["text", "text", "text", "text", "text", "money", "share",
                   *(["money"] * (len(_LINES) - 1)), "text"])
    for period_id, result in chosen:
        scheme, amounts = result.scheme, _amounts(result)
        pools.rows.append([period_id, scheme.id, scheme.unit.id if scheme.unit else "",
                           _unit_name(result), label("base", scheme.base, lang),
                           result.base_amount, scheme.share,
                           *(from_minor(amounts[key], cur) for key in _LINES[1:]), cur])
    payouts = Sheet(_t(lang, "sheet_payouts"),
                    [_t(lang, key) for key in ("col_period", "scheme_col", "person", "name",
                                                "weight", "days", "amount", "currency")],
                    ["text", "text", "text", "text", "number", "integer", "money", "text"])
    for period_id, result in chosen:
        payouts.rows += [[period_id, result.scheme.id, s.person, s.name, s.weight, s.days,
                          from_minor(s.amount, cur), cur] for s in result.shares]
    totals = Sheet(_t(lang, "sheet_totals"), [_t(lang, key) for key in TOTAL_COLUMNS],
                   ["text", "date", "date", "money", "money", "percent", "percent",
                    "percent", "text"])
    for period_id in period_ids:
        period = next(p for p in run.periods if p.id == period_id)
        total = run.totals[period_id]
        share = _fraction(total.share)
        totals.rows.append([period_id, period.start, period.end,
                            from_minor(total.net_profit, cur), from_minor(total.paid, cur),
                            None if share is None else Decimal(share), STANDARD, total.cap,
                            cur])
    rules = Sheet(_t(lang, "sheet_rules"),
                  [_t(lang, key) for key in ("scheme_col", "rule", "value", "origin", "where")],
                  ["text"] * 5)
    shown = {r.scheme.id for _, r in chosen}
    for scheme_id, provenance in run.provenance.items():
        if scheme_id in shown:
            rules.rows += [[scheme_id, _t(lang, f"setting_{p.setting}"), rule_value(p, lang),
                            origin_phrase(p, lang) + (f"; {_t(lang, 'deposit_note')}"
                                                      if p.setting == "deposit" else ""),
                            p.where or ""] for p in provenance]
    return workbook([pools, payouts, totals, rules], exponent(cur), lang)


# --- Markdown for the council ----------------------------------------------------------------


def markdown(run: BonusRun, period_id: str, lang: str, schemes: list[str] | None) -> str:
    period = next(p for p in run.periods if p.id == period_id)
    cur = run.currency
    title = _t(lang, "period", period=md_text(period.id),
               dates=i18n.date_range(period.start, period.end, lang), currency=md_text(cur))
    out = [f"# {title}", ""]
    total = run.totals.get(period_id)
    if total is not None:
        out += [f"**{_t(lang, 'totals')}**", "", f"| | {md_text(cur)} |", "|---|---:|"]
        out += [f"| {name} | {value} |" for name, value in _total_rows(total, cur, lang)]
        out.append("")
    for result in _chosen(run.results[period_id], schemes):
        scheme = result.scheme
        heading = _scheme_heading(result, lang, md_text)
        base = _t(lang, "base_row", label=label("base", scheme.base, lang))
        out += [f"## {heading}", "",
                f"_{rules_line(run.provenance.get(scheme.id, []), lang, md_code)}_", "",
                f"| | {md_text(cur)} |", "|---|---:|",
                f"| {base} | {_plain(result.base_amount, cur, lang)} |"]
        amounts = _amounts(result)
        out += [f"| {_t(lang, key)} | {i18n.amount(amounts[key], cur, lang)} |"
                for key in _LINES[1:] if amounts[key] or key in ("part", "pool", "paid")]
        out += ["", f"| {_t(lang, 'person')} | {_t(lang, 'weight')} | {_t(lang, 'days')} | "
                    f"{_t(lang, 'amount')} |", "|---|---:|---:|---:|"]
        out += [f"| {md_text(s.name)} ({md_code(s.person)}) | {_num(s.weight, lang)} | "
                f"{'' if s.days is None else i18n.number(s.days, lang)} | "
                f"{i18n.amount(s.amount, cur, lang)} |" for s in result.shares]
        out += [f"| ~~{md_text(e.name)}~~ ({md_code(e.person)}) | | | {_t(lang, e.reason)} |"
                for e in result.excluded]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _chosen(results: list[SchemeResult], schemes: list[str] | None) -> list[SchemeResult]:
    return [r for r in results if not schemes or r.scheme.id in schemes]


def _grid(head: tuple[str, ...], body: Sequence[tuple[str, ...]],
          numeric_from: int = 2) -> list[str]:
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    numeric = [i >= numeric_from for i in range(len(head))]
    lines = []
    for row in [head, *body]:
        cells = [cell.rjust(widths[i]) if numeric[i] else cell.ljust(widths[i])
                 for i, cell in enumerate(row)]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def _scheme_heading(result: SchemeResult, lang: str, escape: Callable[[object], str]) -> str:
    """``Scheme s — Unit (u): net profit × 20%, split equally``: the scheme's terms by their
    labels, its share as a percentage."""
    scheme = result.scheme
    return _t(lang, "scheme", scheme=escape(scheme.id), unit=_unit(result, escape),
              base=label("base", scheme.base, lang), share=i18n.percent(scheme.share, lang),
              split=label("split", scheme.split, lang))


def _raw_number(value: Any) -> str:
    """A weight as written for programs: ``1.5``, ``1`` (no grouping, a decimal point)."""
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _num(value: Any, lang: str) -> str:
    """A weight for people: ``1,5`` / ``1.5``, no trailing zeros."""
    return i18n.number(Decimal(_raw_number(value)), lang)


def _plain(amount: Any, currency: str, lang: str) -> str:
    """An exact input amount (never rounded), at least to the minor unit, as the language
    writes numbers."""
    return i18n.number(_exact(Decimal(amount), currency), lang)
