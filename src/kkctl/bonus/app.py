"""`kkctl bonus` as a function, and the one rule every command follows before it shows money.

:func:`money_for` decides whether an organisation's figures may be computed and shown: only
when it validates, and only when the bonus computation itself found no error. ``bonus``,
``report`` and ``diff`` all ask it, so they can never disagree about which figures exist.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from kkctl import i18n
from kkctl import model as m
from kkctl.bonus.compute import BonusRun, SchemeResult, compute, verify
from kkctl.bonus.request import BonusRequest
from kkctl.currency import exponent, to_minor
from kkctl.diagnostics import Diagnostic, Severity
from kkctl.i18n import LANGS
from kkctl.labels import label
from kkctl.loader import Loaded, load
from kkctl.messages import detect_lang, did_you_mean, render
from kkctl.project import UsageError


@dataclass
class Money:
    """The bonus run of an organisation, or why there is none."""

    run: BonusRun | None  # None: nobody may be paid from these files
    blocking: list[Diagnostic]  # what stops it: validation's errors, or the bonus's findings
    warnings: list[Diagnostic]  # the bonus's warnings: shown, nobody's pay depends on them
    validated: bool = True  # False: the organisation itself has errors

    @property
    def bonus_findings(self) -> list[Diagnostic]:
        """The bonus computation's own findings that stop it (none when it never ran)."""
        return self.blocking if self.validated else []


def money_for(loaded: Loaded) -> Money:
    """Compute the bonus only for an organisation that validates, and keep it only when the
    computation found no error: figures kkctl would refuse to pay are shown nowhere."""
    errors = [d for d in loaded.diagnostics if d.severity is Severity.ERROR]
    if errors:
        return Money(None, errors, [], validated=False)
    run = compute(loaded.org)
    if any(d.severity is Severity.ERROR for d in run.diagnostics):
        return Money(None, run.diagnostics, [])
    return Money(run, [], run.diagnostics)


CSV_DIALECTS = ("ru", "en")


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written for a spreadsheet of one language: ``ru`` is ``;`` between
    cells, a decimal comma, UTF-8 with a byte-order mark and Russian headers; ``en`` is ``,``,
    a decimal point, no mark and English headers."""

    lang: str
    separator: str
    decimal_comma: bool
    bom: bool

    @classmethod
    def of(cls, name: str, decimal_comma: bool = False, bom: bool = False) -> CsvDialect:
        """The dialect ``name``; ``decimal_comma`` and ``bom`` (the older options) force
        their part of it on top."""
        russian = name == "ru"
        comma = russian or decimal_comma
        return cls("ru" if russian else "en", ";" if comma else ",", comma, russian or bom)


@dataclass
class BonusOutcome:
    """What ``kkctl bonus`` found. ``status`` is the exit code; ``notice`` a catalogue message
    (id, arguments, for standard error?) to print instead of or beside a statement."""

    loaded: Loaded
    language: str
    status: int
    problems: list[Diagnostic] = field(default_factory=list)  # blocking: shown as a report
    warnings: list[Diagnostic] = field(default_factory=list)
    run: BonusRun | None = None
    period_ids: list[str] = field(default_factory=list)  # the periods to show
    chosen: str | None = None
    schemes: list[str] | None = None
    notice: tuple[str, dict[str, object], bool] | None = None
    fmt: str = "table"
    all_periods: bool = False
    dialect: CsvDialect = field(default_factory=lambda: CsvDialect.of("en"))

    @property
    def files(self) -> list[str]:
        return [f.path for f in self.loaded.files]


def bonus(path: str | None, request: BonusRequest,
          load_org: Callable[[], Loaded] | None = None) -> BonusOutcome:
    """Compute a period's statement (or verify every closed period); ``load_org``: the
    loader of files already read (:mod:`kkctl.memo`).

    A bad option is a :class:`UsageError` (exit 2) in the run's language: an unknown
    ``--period`` or ``--scheme`` (naming the known ones and the closest), ``-f xlsx`` without
    ``--out``."""
    loaded = load_org() if load_org is not None else load(path, request.options)
    language = detect_lang(request.lang, loaded.org.settings.locale)
    if request.fmt == "xlsx" and request.out is None:
        raise UsageError("bonus.xlsx_needs_out")
    dialect = CsvDialect.of(request.csv_dialect or language, request.decimal_comma,
                            request.bom)
    money = money_for(loaded)
    outcome = BonusOutcome(loaded, language, 0, warnings=money.warnings, run=money.run,
                           schemes=request.schemes, fmt=request.fmt,
                           all_periods=request.all_periods, dialect=dialect)
    if money.run is None:
        outcome.status, outcome.problems = 1, list(money.blocking)
        return outcome
    run = money.run
    known = [p.id for p in run.periods]
    _check_schemes(loaded.org, request.schemes)
    if request.period is not None and known:
        _check_choice("bonus.unknown_period", "period", request.period, known)
    if request.verify:
        return _verify(outcome, run, loaded.org)
    if not known:
        outcome.status, outcome.notice = 1, ("bonus.no_periods", {}, True)
        return outcome
    chosen = request.period or known[-1]
    outcome.chosen = chosen
    outcome.period_ids = known if request.all_periods else [chosen]
    return outcome


def _check_schemes(org: m.Organisation, schemes: list[str] | None) -> None:
    known = [s.id for s in org.reward_schemes]
    for scheme in schemes or []:
        _check_choice("bonus.unknown_scheme", "scheme", scheme, known)


def _check_choice(message_id: str, name: str, given: str, known: list[str]) -> None:
    """``given`` must be one of ``known``; else a usage error naming the closest and the
    known ones (the first ten of a long list)."""
    if given in known:
        return
    close = difflib.get_close_matches(given, known, n=1, cutoff=0.6)
    raise UsageError(message_id, **{name: given}, hint=did_you_mean(close[0] if close else None),
                     known=_listing(known))


def _listing(ids: list[str], limit: int = 10) -> str | dict[str, str]:
    if not ids:
        return "—"
    if len(ids) <= limit + 2:
        return ", ".join(ids)
    shown = ", ".join(ids[:limit])
    return {lang: render("bonus.and_more", lang, {"shown": shown, "count": len(ids) - limit})
            for lang in LANGS}


def _verify(outcome: BonusOutcome, run: BonusRun, org: m.Organisation) -> BonusOutcome:
    """Every closed period again. Where one no longer reproduces, first what changed for the
    scheme as a whole (its total, its base now), then each person's difference."""
    closed = [p for p in run.periods if p.paid]
    if not closed:
        outcome.notice = ("bonus.nothing_to_verify", {}, False)
        return outcome
    problems = explained(run, verify(run, org))
    if any(d.severity is Severity.ERROR for d in problems):
        outcome.status, outcome.problems, outcome.run = 1, problems, None
        return outcome
    outcome.notice = ("bonus.verified", {"count": len(closed)}, False)
    return outcome


def explained(run: BonusRun, mismatches: list[Diagnostic]) -> list[Diagnostic]:
    """The per-person mismatches of :func:`verify`, each scheme's preceded by a note on the
    scheme as a whole: the total recorded against today's, and today's base and part, so
    that "the pool changed by 2,000.00 because net profit is now X" is read first."""
    by_scheme: dict[tuple[str, str], list[Diagnostic]] = {}
    for diag in mismatches:
        period_id = diag.subject[1] if diag.subject else ""
        by_scheme.setdefault((period_id, str(diag.args.get("scheme", ""))), []).append(diag)
    out: list[Diagnostic] = []
    cur = run.currency
    for period in run.periods:
        for scheme_id, recorded in period.paid.items():
            people = by_scheme.pop((period.id, scheme_id), [])
            if not people:
                continue
            then = sum(to_minor(amount, cur) for amount in recorded.values())
            result = next((r for r in run.results[period.id] if r.scheme.id == scheme_id), None)
            out.append(_explanation(period, scheme_id, then, result, cur))
            out += people
    for rest in by_scheme.values():  # none expected: every mismatch belongs to a paid scheme
        out += rest
    return out


def _explanation(period: m.Period, scheme_id: str, then: int, result: SchemeResult | None,
                 cur: str) -> Diagnostic:
    where: tuple[str, ...] = ("paid", scheme_id)
    if result is None:
        return period.source.diagnostic("KK308", "bonus.verify_scheme_gone", *where,
                                        severity=Severity.INFO,
                                        args={"scheme": scheme_id, "recorded": _money(then, cur)})
    if result.paid == then:
        return period.source.diagnostic("KK308", "bonus.verify_split_changed", *where,
                                        severity=Severity.INFO,
                                        args={"scheme": scheme_id, "paid": _money(then, cur)})
    scheme = result.scheme
    steps = [(step, units) for step, units in (
        ("carried_in", result.carried_in), ("offset", result.offset),
        ("charged", result.charged), ("withheld", result.withheld),
        ("released", result.released)) if units]
    base = _exact(result.base_amount, cur)
    args = {"scheme": scheme_id, "recorded": _money(then, cur),
            "computed": _money(result.paid, cur),
            "difference": _money(result.paid - then, cur),
            "base_label": {lang: label("base", scheme.base, lang) for lang in LANGS},
            "base": {lang: i18n.number(base, lang) for lang in LANGS},
            "share": {lang: i18n.percent(scheme.share, lang) for lang in LANGS},
            "part": _money(result.part, cur),
            "steps": {lang: render("bonus.verify_steps", lang, {"steps": ", ".join(
                render(f"bonus.step_{step}", lang, {"amount": i18n.amount(units, cur, lang)})
                for step, units in steps)}) if steps else "" for lang in LANGS}}
    return period.source.diagnostic("KK308", "bonus.verify_total_changed", *where,
                                    severity=Severity.INFO, args=args)


def _money(units: int, currency: str) -> dict[str, str]:
    """An amount in a message as each language writes it (``199.99`` / ``199,99``)."""
    return {lang: i18n.amount(units, currency, lang) for lang in LANGS}


def _exact(value: Decimal, currency: str) -> Decimal:
    """An input amount with at least the currency's decimals (never rounded)."""
    places = exponent(currency)
    exp = value.as_tuple().exponent
    return value.quantize(Decimal(1).scaleb(-places)) if isinstance(exp, int) \
        and exp > -places else value
