"""`kkctl bonus` as a function, and the one rule every command follows before it shows money.

:func:`money_for` decides whether an organisation's figures may be computed and shown: only
when it validates, and only when the bonus computation itself found no error. ``bonus``,
``report`` and ``diff`` all ask it, so they can never disagree about which figures exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kkctl.bonus.compute import BonusRun, compute, verify
from kkctl.diagnostics import Diagnostic, Severity
from kkctl.loader import Loaded, Options, load
from kkctl.messages import detect_lang


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


@dataclass
class BonusRequest:
    period: str | None = None  # default: the latest period
    schemes: list[str] | None = None  # None: every scheme
    all_periods: bool = False
    verify: bool = False
    lang: str | None = None
    options: Options = field(default_factory=Options)


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

    @property
    def files(self) -> list[str]:
        return [f.path for f in self.loaded.files]


def bonus(path: str | None, request: BonusRequest) -> BonusOutcome:
    """Compute a period's statement (or verify every closed period)."""
    loaded = load(path, request.options)
    language = detect_lang(request.lang, loaded.org.settings.locale)
    money = money_for(loaded)
    outcome = BonusOutcome(loaded, language, 0, warnings=money.warnings, run=money.run,
                           schemes=request.schemes)
    problems = list(money.blocking)
    if money.run is not None and request.verify:
        problems += verify(money.run, loaded.org)
    if money.run is None or any(d.severity is Severity.ERROR for d in problems):
        outcome.status, outcome.problems, outcome.run = 1, problems, None
        return outcome
    run = money.run
    if request.verify:
        outcome.notice = ("bonus.verified", {"count": sum(1 for p in run.periods if p.paid)},
                          False)
        return outcome
    known = [p.id for p in run.periods]
    if not known:
        outcome.status, outcome.notice = 1, ("bonus.no_periods", {}, True)
        return outcome
    chosen = request.period or known[-1]
    if chosen not in known:
        outcome.status = 1
        outcome.notice = ("bonus.unknown_period", {"period": chosen, "known": ", ".join(known)},
                          True)
        return outcome
    outcome.chosen = chosen
    outcome.period_ids = known if request.all_periods else [chosen]
    return outcome
