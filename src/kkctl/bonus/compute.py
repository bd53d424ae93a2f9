"""The bonus arithmetic, as a function of the model (docs/bonus.md explains it with an example).

All amounts are integers of the currency's minor unit (kopecks) once formed; inputs are exact
decimals read from the YAML text. For each reward scheme, periods are walked in order of
``start`` so that carried losses and the deposit follow the history:

1. base: the company's ``net_profit``, or for ``team_profit`` the unit team's
   income + virtual revenue − expenses in the period;
2. the scheme's part of it: ``share × base``, rounded half away from zero to the minor unit
   (negative in a loss period: the scheme's share of the loss);
3. a loss is charged to the deposit's balance first (oldest withholding first); what the deposit
   does not cover is carried forward (``losses: carry_forward``) or forgotten (``reset``);
4. a profit first pays off the carried loss; what remains is the pool;
5. the deposit withholds ``rate × pool`` (rounded half away from zero) and releases each
   withholding ``release_after`` periods later; paid = pool − withheld + released;
6. paid is split among the eligible members by largest remainder (``allocate.py``).
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any

from kkctl import model as m
from kkctl.bonus.allocate import largest_remainder
from kkctl.currency import is_exact, round_units, to_minor
from kkctl.diagnostics import Diagnostic, Severity


@dataclass
class Share:
    person: str
    name: str
    amount: int  # minor units
    weight: Decimal  # the member's weight (1 unless set)
    days: int | None = None  # days of the period as a member (split: days)
    note: str | None = None


@dataclass
class Excluded:
    person: str
    name: str
    reason: str  # "council" | "not_member" | "weight_zero"


@dataclass
class SchemeResult:
    scheme: m.RewardScheme
    period: m.Period
    base_amount: Decimal  # exact
    part: int  # share × base, rounded; negative in a loss period
    carried_in: int  # loss carried into the period (>= 0, in the scheme's part)
    offset: int  # carried loss paid off by this period's profit
    charged: int  # loss taken from the deposit
    carried_out: int
    pool: int
    withheld: int
    released: int
    deposit_balance: int  # after this period
    paid: int  # pool - withheld + released: what is split
    shares: list[Share] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)


@dataclass
class BonusRun:
    currency: str
    periods: list[m.Period]  # in order of start
    results: dict[str, list[SchemeResult]]  # period id -> results, schemes in file order
    diagnostics: list[Diagnostic] = field(default_factory=list)


def compute(org: m.Organisation) -> BonusRun:
    with localcontext() as context:  # amounts are bounded by the schema; never round them
        context.prec = 60
        return _compute(org)


def _compute(org: m.Organisation) -> BonusRun:
    currency = org.settings.currency or "RUB"
    diagnostics: list[Diagnostic] = []
    periods = _ordered_periods(org, diagnostics)
    _check_membership_dates(org, periods, diagnostics)
    results: dict[str, list[SchemeResult]] = {p.id: [] for p in periods}
    for scheme in org.reward_schemes:
        unit = scheme.unit.target if scheme.unit is not None else None
        if not isinstance(unit, m.Team | m.Council):
            continue  # validation reports the dangling or wrong unit
        if scheme.base == "team_profit" and not isinstance(unit, m.Team):
            diagnostics.append(_diag(scheme.source, ("base",), "KK307", "bonus.team_profit_unit",
                                     scheme=scheme.id))
            continue
        for result in _walk(org, scheme, unit, periods, currency, diagnostics):
            results[result.period.id].append(result)
    return BonusRun(currency, periods, results, diagnostics)


def _ordered_periods(org: m.Organisation, out: list[Diagnostic]) -> list[m.Period]:
    usable = [p for p in org.periods if p.start and p.end and p.net_profit is not None
              and p.start <= p.end]
    usable.sort(key=lambda p: (p.start, p.id))
    for before, after in itertools.pairwise(usable):
        assert before.end is not None and after.start is not None
        if after.start <= before.end:
            out.append(_diag(after.source, ("start",), "KK302", "bonus.overlap",
                             other=before.id, where=before.source.where("end"),
                             start=after.start.isoformat(), end=before.end.isoformat()))
    return usable


def _check_membership_dates(org: m.Organisation, periods: list[m.Period],
                            out: list[Diagnostic]) -> None:
    """A membership that overlaps no period is almost certainly a typo in a date."""
    if not periods:
        return
    groups: list[m.Team | m.Council] = [*org.teams, *org.councils]
    for group in groups:
        for member in group.members:
            if member.start is None and member.end is None:
                continue
            if not any(_days(member, p) for p in periods):
                sub = ("members", member.index)
                out.append(_diag(group.source, sub, "KK306", "bonus.membership_outside",
                                 Severity.WARNING, person=member.person.id,
                                 start=member.start.isoformat() if member.start else "…",
                                 end=member.end.isoformat() if member.end else "…"))


def _walk(org: m.Organisation, scheme: m.RewardScheme, unit: m.Team | m.Council,
          periods: list[m.Period], currency: str, out: list[Diagnostic]
          ) -> list[SchemeResult]:
    carried = 0
    tranches: deque[list[int]] = deque()  # [period index, amount left], oldest first
    rate = scheme.deposit_rate or Decimal(0)
    release_after = scheme.deposit_release_after or 0
    results = []
    for index, period in enumerate(periods):
        base = _base(scheme, unit, period)
        part = to_minor(scheme.share * base, currency)
        carried_in, offset, charged, pool = carried, 0, 0, 0
        if part < 0:
            loss = -part
            while loss and tranches:  # the deposit covers the loss first, oldest first
                take = min(loss, tranches[0][1])
                tranches[0][1] -= take
                charged += take
                loss -= take
                if tranches[0][1] == 0:
                    tranches.popleft()
            if scheme.losses == "carry_forward":
                carried += loss
        else:
            offset = min(carried, part) if scheme.losses == "carry_forward" else 0
            carried -= offset
            pool = part - offset
        if scheme.losses == "reset":
            carried = 0
        withheld = round_units(rate * pool) if rate else 0
        released = 0
        while tranches and tranches[0][0] + release_after <= index:
            released += tranches.popleft()[1]
        if withheld:
            if release_after == 0:
                released += withheld
            else:
                tranches.append([index, withheld])
        result = SchemeResult(
            scheme=scheme, period=period, base_amount=base, part=part, carried_in=carried_in,
            offset=offset, charged=charged, carried_out=carried, pool=pool, withheld=withheld,
            released=released, deposit_balance=sum(t[1] for t in tranches),
            paid=pool - withheld + released)
        _split(org, result, unit, currency, out)
        results.append(result)
    return results


def _base(scheme: m.RewardScheme, unit: m.Team | m.Council, period: m.Period) -> Decimal:
    if scheme.base == "team_profit":
        figures = period.teams.get(unit.id)
        if figures is None:
            return Decimal(0)
        return figures.income + figures.virtual_revenue - figures.expenses
    return period.net_profit or Decimal(0)


def _council_people(org: m.Organisation, period: m.Period) -> set[str]:
    return {member.person.id for council in org.councils if council.council_kind == "company"
            for member in council.members if _days(member, period)}


def _participants(unit: m.Team | m.Council) -> list[m.Member]:
    members = list(unit.members)
    if isinstance(unit, m.Team) and unit.leader is not None and \
            unit.leader.id not in {mb.person.id for mb in members}:
        members.append(m.Member(unit.leader, -1))  # the leader counts, listed or not
    return members


def _split(org: m.Organisation, result: SchemeResult, unit: m.Team | m.Council, currency: str,
           out: list[Diagnostic]) -> None:
    period, scheme = result.period, result.scheme
    is_council = isinstance(unit, m.Council) and unit.council_kind == "company"
    council = set() if is_council else _council_people(org, period)
    # A person may have several memberships (left and came back, changed weight): their
    # days add up, weight x days add up, and their weight is the largest active one.
    rows: dict[str, list[tuple[Decimal, int]]] = {}
    for member in _participants(unit):
        rows.setdefault(member.person.id, []).append((member.weight, _days(member, period)))
    weights: dict[str, Decimal] = {}
    info: dict[str, tuple[Decimal, int | None]] = {}
    for person, stints in rows.items():
        active = [(weight, days) for weight, days in stints if days]
        total_days = sum(days for _, days in active)
        if not active:
            result.excluded.append(Excluded(person, _name(org, person), "not_member"))
        elif person in council:
            result.excluded.append(Excluded(person, _name(org, person), "council"))
        elif scheme.split == "days":
            weights[person] = sum((weight * days for weight, days in active), Decimal(0))
            info[person] = (max(weight for weight, _ in active), total_days)
        elif scheme.split == "weights":
            weights[person] = max(weight for weight, _ in active)
            info[person] = (weights[person], None)
        else:  # equal (explicit amounts are read below)
            weights[person] = Decimal(1)
            info[person] = (Decimal(1), None)
    if scheme.split == "explicit":
        _explicit(org, result, council, set(weights), currency, out)
        return
    if result.paid and not any(weights.values()):
        out.append(_diag(scheme.source, (), "KK309", "bonus.nobody",
                         scheme=scheme.id, period=period.id))
        return
    parts = largest_remainder(result.paid, weights)
    for person, amount in parts.items():
        weight, member_days = info[person]
        result.shares.append(Share(person, _name(org, person), amount, weight, member_days))


def _explicit(org: m.Organisation, result: SchemeResult, council: set[str],
              members: set[str], currency: str, out: list[Diagnostic]) -> None:
    period, scheme = result.period, result.scheme
    table = period.payouts.get(scheme.id)
    if table is None:
        if result.paid:
            out.append(_diag(period.source, (), "KK304", "bonus.explicit_missing",
                             scheme=scheme.id, paid=_money(result.paid, currency)))
        return
    total = 0
    for person, amount in table.items():
        if not is_exact(amount, currency):
            out.append(_diag(period.source, ("payouts", scheme.id, person), "KK304",
                             "bonus.not_minor", amount=str(amount), currency=currency))
        units = to_minor(amount, currency)
        if person in council:
            out.append(_diag(period.source, ("payouts", scheme.id, person), "KK305",
                             "bonus.council_paid_twice", person=person, scheme=scheme.id))
        elif person not in members:
            out.append(_diag(period.source, ("payouts", scheme.id, person), "KK310",
                             "bonus.explicit_outsider", person=person, scheme=scheme.id,
                             period=period.id))
        total += units
        result.shares.append(Share(person, _name(org, person), units, Decimal(1)))
    if total != result.paid:
        out.append(_diag(period.source, ("payouts", scheme.id), "KK304", "bonus.explicit_sum",
                         scheme=scheme.id, total=_money(total, currency),
                         paid=_money(result.paid, currency),
                         difference=_money(total - result.paid, currency)))


def _days(member: m.Member, period: m.Period) -> int:
    """Days of ``period`` during which ``member`` was a member (both ends inclusive)."""
    assert period.start is not None and period.end is not None
    start = max(period.start, member.start or period.start)
    end = min(period.end, member.end or period.end)
    return max(0, (end - start).days + 1)


def _name(org: m.Organisation, person: str) -> str:
    entity = org.get(person)
    return entity.name if isinstance(entity, m.Person) else person


def _money(units: int, currency: str) -> dict[str, str]:
    """An amount inside a message, as each language writes it (``199.99`` / ``199,99``)."""
    from kkctl.i18n import LANGS, amount

    return {lang: amount(units, currency, lang) for lang in LANGS}


def _diag(source: m.Source, sub: tuple[Any, ...], code: str, message_id: str,
          severity: Severity = Severity.ERROR, **args: Any) -> Diagnostic:
    return source.diagnostic(code, message_id, *sub, severity=severity, args=args)


def verify(run: BonusRun, org: m.Organisation) -> list[Diagnostic]:
    """Closed periods (with ``paid``) must still reproduce what was paid, to the minor unit."""
    out: list[Diagnostic] = []
    for period in run.periods:
        if not period.paid:
            continue
        computed = {r.scheme.id: {s.person: s.amount for s in r.shares}
                    for r in run.results[period.id]}
        for scheme_id, recorded in period.paid.items():
            now = computed.get(scheme_id, {})
            for person in sorted(set(recorded) | set(now)):
                then = to_minor(recorded[person], run.currency) if person in recorded else 0
                again = now.get(person, 0)
                if then != again:
                    sub = ("paid", scheme_id, person) if person in recorded else \
                        ("paid", scheme_id)
                    out.append(_diag(period.source, sub, "KK308", "bonus.verify_mismatch",
                                     person=person, scheme=scheme_id,
                                     recorded=_money(then, run.currency),
                                     computed=_money(again, run.currency),
                                     difference=_money(again - then, run.currency)))
    return out

