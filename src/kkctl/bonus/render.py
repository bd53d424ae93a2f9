"""Bonus results as a table for people, JSON for programs, CSV for payroll, Markdown for the
council."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from kkctl import i18n
from kkctl.bonus.compute import BonusRun, SchemeResult
from kkctl.currency import format_amount
from kkctl.diagnostics import Diagnostic
from kkctl.labels import label
from kkctl.markup import json_safe, md_code, md_text, visible

_TEXT = {
    "en": {
        "period": "Period {period} ({dates}), amounts in {currency}",
        "scheme": "Scheme {scheme} — {unit}: {base} × {share}, split {split}",
        "base": "base", "part": "share of base", "carried_in": "loss carried in",
        "offset": "loss paid off", "charged": "loss taken from deposit",
        "carried_out": "loss carried out", "pool": "pool", "withheld": "withheld to deposit",
        "released": "released from deposit", "deposit_balance": "deposit balance",
        "paid": "paid out", "person": "person", "name": "name", "weight": "weight",
        "days": "days", "amount": "amount",
        "council": "council member: paid by the council's scheme only",
        "not_member": "not a member during the period",
        "no_periods": "no periods with figures",
        "deposit_note": "deposit mechanics: project-defined, not from the methodology",
        "history": "History of {scheme}, amounts in {currency}", "col_period": "period",
    },
    "ru": {
        "period": "Период {period} ({dates}), суммы в {currency}",
        "scheme": "Схема {scheme} — {unit}: {base} × {share}, распределение {split}",
        "base": "база", "part": "доля от базы", "carried_in": "перенесённый убыток",
        "offset": "погашено убытка", "charged": "убыток покрыт из депозита",
        "carried_out": "убыток к переносу", "pool": "пул", "withheld": "удержано в депозит",
        "released": "выплачено из депозита", "deposit_balance": "остаток депозита",
        "paid": "к выплате", "person": "сотрудник", "name": "имя", "weight": "вес",
        "days": "дней", "amount": "сумма",
        "council": "член совета: получает только по схеме совета",
        "not_member": "не состоял в команде в этот период",
        "no_periods": "нет периодов с данными",
        "deposit_note": "механика депозита задана проектом, а не методологией",
        "history": "История {scheme}, суммы в {currency}", "col_period": "период",
    },
}
_LINES = ("base", "part", "carried_in", "offset", "charged", "carried_out", "pool", "withheld",
          "released", "deposit_balance", "paid")


def _t(lang: str, key: str, **args: Any) -> str:
    return _TEXT.get(lang, _TEXT["en"])[key].format(**args)


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


def warning_line(warning: Diagnostic, lang: str) -> str:
    """``file:line:col: предупреждение KK306 …``: a warning of the computation, in ``lang``."""
    severity = label("severity", warning.severity.value, lang)
    return (f"{warning.file}:{warning.line}:{warning.column}: {severity} {warning.code} "
            f"{warning.message(lang)}")


def table(run: BonusRun, period_id: str, lang: str, schemes: list[str] | None) -> str:
    period = next(p for p in run.periods if p.id == period_id)
    cur = run.currency
    out = [_t(lang, "period", period=visible(period.id),
              dates=i18n.date_range(period.start, period.end, lang), currency=cur), ""]
    for result in _chosen(run.results[period_id], schemes):
        scheme = result.scheme
        out.append(_scheme_heading(result, lang, visible))
        rows = [(_t(lang, "base"), _plain(result.base_amount, cur, lang))]
        amounts = _amounts(result)
        for key in _LINES[1:]:
            if amounts[key] or key in ("part", "pool", "paid"):
                rows.append((_t(lang, key), i18n.amount(amounts[key], cur, lang)))
        width = max(len(label) for label, _ in rows)
        out += [f"  {label.ljust(width)}  {value:>18}" for label, value in rows]
        if scheme.deposit_rate:
            out.append(f"  ({_t(lang, 'deposit_note')})")
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


def history(run: BonusRun, lang: str, schemes: list[str] | None) -> str:
    """Every period of every scheme: carried losses and deposit balances over time."""
    out: list[str] = []
    by_scheme: dict[str, list[SchemeResult]] = {}
    for period in run.periods:
        for result in _chosen(run.results[period.id], schemes):
            by_scheme.setdefault(result.scheme.id, []).append(result)
    cols = ("part", "carried_in", "charged", "pool", "withheld", "released", "deposit_balance",
            "paid")
    for scheme_id, results in by_scheme.items():
        out.append(_t(lang, "history", scheme=visible(scheme_id), currency=run.currency))
        head = (_t(lang, "col_period"), _t(lang, "base"), *(_t(lang, c) for c in cols))
        body = [(visible(r.period.id), _plain(r.base_amount, run.currency, lang),
                 *(i18n.amount(_amounts(r)[c], run.currency, lang) for c in cols))
                for r in results]
        out += [*_grid(head, body), ""]
    return "\n".join(out).rstrip() + "\n" if out else _t(lang, "no_periods") + "\n"


def as_json(run: BonusRun, period_ids: list[str], schemes: list[str] | None) -> str:
    cur = run.currency
    payload: list[dict[str, Any]] = []
    for period_id in period_ids:
        period = next(p for p in run.periods if p.id == period_id)
        payload.append({
            "period": period.id, "start": str(period.start), "end": str(period.end),
            "currency": cur,
            "schemes": [_scheme_json(r, cur) for r in _chosen(run.results[period_id], schemes)],
        })
    data: Any = payload[0] if len(payload) == 1 else {"periods": payload}
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def _scheme_json(result: SchemeResult, cur: str) -> dict[str, Any]:
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
        "payouts": [{"person": s.person, "name": s.name, "amount": money(s.amount),
                     "weight": _raw_number(s.weight), "days": s.days}
                    for s in result.shares],
        "excluded": [{"person": e.person, "reason": e.reason} for e in result.excluded],
    }


CSV_HEADERS = {"en": ["period", "person", "name", "scheme", "amount", "currency"],
               "ru": ["период", "сотрудник", "имя", "схема", "сумма", "валюта"]}


def as_csv(run: BonusRun, period_ids: list[str], schemes: list[str] | None,
           decimal_comma: bool = False, bom: bool = False, lang: str = "en") -> str:
    """Per-person rows for payroll; the header in the statement's language (ids, amounts and
    the currency code stay as the accounting system reads them)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if decimal_comma else ",", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS.get(lang, CSV_HEADERS["en"]))
    for period_id in period_ids:
        for result in _chosen(run.results[period_id], schemes):
            for share in result.shares:
                writer.writerow([_cell(period_id), _cell(share.person), _cell(share.name),
                                 _cell(result.scheme.id),
                                 format_amount(share.amount, run.currency, decimal_comma),
                                 run.currency])
    return ("\ufeff" if bom else "") + buffer.getvalue()


def _cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def markdown(run: BonusRun, period_id: str, lang: str, schemes: list[str] | None) -> str:
    period = next(p for p in run.periods if p.id == period_id)
    cur = run.currency
    title = _t(lang, "period", period=md_text(period.id),
               dates=i18n.date_range(period.start, period.end, lang), currency=md_text(cur))
    out = [f"# {title}", ""]
    for result in _chosen(run.results[period_id], schemes):
        scheme = result.scheme
        heading = _scheme_heading(result, lang, md_text)
        out += [f"## {heading}", "", f"| | {md_text(cur)} |", "|---|---:|",
                f"| {_t(lang, 'base')} | {_plain(result.base_amount, cur, lang)} |"]
        amounts = _amounts(result)
        out += [f"| {_t(lang, key)} | {i18n.amount(amounts[key], cur, lang)} |"
                for key in _LINES[1:] if amounts[key] or key in ("part", "pool", "paid")]
        if scheme.deposit_rate:
            out += ["", f"_{_t(lang, 'deposit_note')}_"]
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


def _grid(head: tuple[str, ...], body: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    numeric = [i >= 2 for i in range(len(head))]
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
    from decimal import Decimal

    return i18n.number(Decimal(_raw_number(value)), lang)


def _plain(amount: Any, currency: str, lang: str) -> str:
    """An exact input amount (never rounded), at least to the minor unit, as the language
    writes numbers."""
    from decimal import Decimal

    from kkctl.currency import exponent

    value = Decimal(amount)
    minor = Decimal(1).scaleb(-exponent(currency))
    if value.as_tuple().exponent > minor.as_tuple().exponent:  # type: ignore[operator]
        value = value.quantize(minor)
    return i18n.number(value, lang)
