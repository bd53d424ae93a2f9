"""Money for the chosen period: each scheme's pool, everything paid as a share of net profit
(the methodology's figure is 20%), losses carried on and deposits held. People's amounts only
with ``--include-payouts``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kkctl import model as m
from kkctl.bonus.compute import BonusRun, PeriodTotal, SchemeResult
from kkctl.currency import to_minor
from kkctl.i18n import money, percent
from kkctl.labels import label
from kkctl.report.words import name, ref_name, t


def scheme_name(scheme: m.RewardScheme) -> str:
    """A scheme by its name, else by whom it pays (``rs-sovet`` reads as the council's name)."""
    if scheme.name:
        return name(scheme)
    if scheme.unit is not None and scheme.unit.target is not None:
        return ref_name(scheme.unit)
    return name(scheme)


def section(run: BonusRun | None, period: m.Period | None, lang: str, include_payouts: bool,
            withheld: bool) -> dict[str, Any]:
    """``withheld``: money may not be shown (the organisation does not validate, or the bonus
    computation found an error)."""
    title = t(lang, "money_title", period=name(period) if period else "—")
    if run is None or period is None:
        return {"title": title, "schemes": [], "none": t(
            lang, "money_withheld_by_errors" if withheld else "money_none")}
    results = run.results.get(period.id, [])
    cur = run.currency

    def cash(units: int) -> str:
        return money(units, cur, lang)

    schemes = [{
        "name": scheme_name(r.scheme), "recipient": ref_name(r.scheme.unit),
        "base": f"{label('base', r.scheme.base, lang)}: "
                f"{cash(to_minor(r.base_amount, cur))} × {percent(r.scheme.share, lang)}",
        "pool": cash(r.pool), "paid": cash(r.paid), "notes": _notes(r, lang, cash),
        "payouts": [{"name": name(s), "amount": cash(s.amount)} for s in r.shares]
        if include_payouts else []} for r in results]
    return {
        "title": title, "schemes": schemes, "none": None,
        "head": [t(lang, k) for k in ("col_scheme", "col_recipient", "col_base", "col_pool",
                                      "col_paid", "col_notes")],
        "summary": _summary(results, run.totals.get(period.id), lang, cash),
        "hidden": None if include_payouts else t(lang, "money_hidden"),
        "payouts_title": {s["name"]: t(lang, "money_payouts", scheme=s["name"])
                          for s in schemes},
        "person_head": [t(lang, "col_person"), t(lang, "col_amount")],
    }


def _notes(result: SchemeResult, lang: str, cash: Any) -> str:
    parts = []
    for key, units in (("carried_in", result.carried_in), ("carried_out", result.carried_out),
                       ("withheld", result.withheld), ("released", result.released),
                       ("deposit", result.deposit_balance)):
        if units:
            parts.append(t(lang, key, amount=cash(units)))
    return "; ".join(parts) or "—"


def _summary(results: list[SchemeResult], total: PeriodTotal | None, lang: str,
             cash: Any) -> list[str]:
    """Everything paid, as a share of net profit (against the company's cap when it has one);
    losses carried on; deposits held."""
    lines = []
    paid = sum(r.paid for r in results)
    if total is not None and total.share is not None:
        lines.append(t(lang, "money_total", total=cash(paid),
                       share=percent(total.share.quantize(Decimal("0.001")), lang, 1),
                       profit=cash(total.net_profit)))
        if total.cap is not None:
            key = "money_over_cap" if total.share > total.cap else "money_within_cap"
            lines.append(t(lang, key, cap=percent(total.cap, lang)))
    elif results:
        lines.append(t(lang, "money_total_no_profit", total=cash(paid),
                       profit=cash(total.net_profit) if total is not None else "—"))
    losses = sum(r.carried_out for r in results)
    if losses:
        lines.append(t(lang, "money_losses", total=cash(losses)))
    deposits = sum(r.deposit_balance for r in results)
    if deposits:
        lines.append(t(lang, "money_deposit", total=cash(deposits)))
    return lines
