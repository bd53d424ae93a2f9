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


@dataclass(frozen=True)
class Provenance:
    """Where one rule of a scheme comes from, so a statement can tell the methodology's rules
    from the company's choices and kkctl's defaults."""

    setting: str  # share | base | split | losses | deposit
    value: str  # as the format writes it: "0.20", "team_profit", "carry_forward", "0.25/2"
    origin: str  # methodology | company | default
    where: str | None = None  # file:line:col of the company's setting


@dataclass(frozen=True)
class PeriodTotal:
    """Everything a period pays, against the company's net profit."""

    paid: int  # minor units, all schemes
    net_profit: int  # minor units
    share: Decimal | None  # paid / net profit; None when there is no profit to share
    cap: Decimal | None  # the company's ``bonus.cap``


@dataclass
class BonusRun:
    currency: str
    periods: list[m.Period]  # in order of start
    results: dict[str, list[SchemeResult]]  # period id -> results, schemes in file order
    diagnostics: list[Diagnostic] = field(default_factory=list)
    provenance: dict[str, list[Provenance]] = field(default_factory=dict)  # scheme id ->
    totals: dict[str, PeriodTotal] = field(default_factory=dict)  # period id ->


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
    provenance: dict[str, list[Provenance]] = {}
    for scheme in org.reward_schemes:
        unit = scheme.unit.target if scheme.unit is not None else None
        if not isinstance(unit, m.Team | m.Council):
            continue  # validation reports the dangling or wrong unit
        if scheme.base == "team_profit" and isinstance(unit, m.Council) \
                and unit.council_kind == "company":
            diagnostics.append(_diag(scheme.source, ("base",), "KK307", "bonus.team_profit_unit",
                                     scheme=scheme.id))
            continue
        provenance[scheme.id] = scheme_provenance(scheme, unit)
        teams = result_teams(org, unit) if scheme.base == "team_profit" else []
        for result in _walk(org, scheme, unit, teams, periods, currency, diagnostics):
            results[result.period.id].append(result)
    run = BonusRun(currency, periods, results, diagnostics, provenance)
    run.totals = {p.id: _total(org, p, results[p.id], currency, diagnostics) for p in periods}
    return run


def result_teams(org: m.Organisation, unit: m.Team | m.Council) -> list[m.Team]:
    """The teams whose result a scheme on ``team_profit`` is paid on: a team's own; for a
    unit council (совет подразделения, paid «на общий результат всей команды») its unit team
    and every team below it."""
    if isinstance(unit, m.Team):
        return [unit]
    top = unit.unit.target if unit.unit is not None else None
    if not isinstance(top, m.Team):
        return []
    children = org.subteams()
    found: dict[str, m.Team] = {}
    stack = [top]
    while stack:  # iterative, each team once: a parent cycle (lint reports it) is cut
        team = stack.pop()
        if team.id not in found:
            found[team.id] = team
            stack.extend(children.get(team.id, ()))
    return list(found.values())


def _total(org: m.Organisation, period: m.Period, results: list[SchemeResult], currency: str,
           out: list[Diagnostic]) -> PeriodTotal:
    """The period's payout against net profit; the company's cap; and whether the teams'
    recorded cash results can be true together with the net profit."""
    paid = sum(r.paid for r in results)
    profit = to_minor(period.net_profit or Decimal(0), currency)
    share = Decimal(paid) / profit if profit > 0 else None
    cap = _cap(org)
    total = PeriodTotal(paid, profit, share, cap)
    settings = org.settings
    if cap is not None and share is not None and share > cap and settings.source is not None:
        severity = Severity.ERROR if settings.bonus.get("over_cap") == "error" \
            else Severity.WARNING
        out.append(_diag(settings.source, ("bonus", "cap"), "KK311", "bonus.over_cap", severity,
                         period=period.id, paid=_money(paid, currency),
                         share=_percent(share), cap=_percent(cap),
                         profit=_money(profit, currency)))
    cash = sum((f.income - f.expenses for f in period.teams.values()), Decimal(0))
    if period.teams and cash > (period.net_profit or Decimal(0)):
        out.append(_diag(period.source, ("teams",), "KK312", "bonus.teams_exceed_profit",
                         Severity.WARNING, period=period.id,
                         cash=_money(to_minor(cash, currency), currency),
                         profit=_money(profit, currency),
                         gap=_money(to_minor(cash, currency) - profit, currency)))
    return total


def _cap(org: m.Organisation) -> Decimal | None:
    value = org.settings.bonus.get("cap")
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None  # the schema reports it


def _percent(share: Decimal) -> dict[str, str]:
    from kkctl.i18n import LANGS, percent

    return {lang: percent(share.quantize(Decimal("0.001")), lang, 1) for lang in LANGS}


def scheme_provenance(scheme: m.RewardScheme, unit: m.Team | m.Council) -> list[Provenance]:
    """Each rule of the scheme and where it comes from: the methodology (20 % of net profit;
    a council paid on the result it answers for), the company (what ``kkctl.yaml`` sets
    otherwise) or kkctl's default (what nobody set)."""
    raw = scheme.source.mapping() or {}
    source = scheme.source

    def written(key: str) -> str | None:
        return source.where(key) if key in raw else None

    share = "methodology" if scheme.share == Decimal("0.20") else "company"
    unit_council = isinstance(unit, m.Council) and unit.council_kind == "unit"
    # 20 % of net profit; a unit council «на общий результат всей команды»: its unit's result
    base_by_methodology = scheme.base == ("team_profit" if unit_council else "net_profit")
    rules = [
        Provenance("share", str(scheme.share), share, written("share")),
        Provenance("base", scheme.base, "methodology" if base_by_methodology else "company",
                   written("base")),
        Provenance("split", scheme.split, "company" if "split" in raw else "default",
                   written("split")),
        Provenance("losses", scheme.losses, "company" if "losses" in raw else "default",
                   written("losses")),
    ]
    if scheme.deposit_rate:
        rules.append(Provenance("deposit", f"{scheme.deposit_rate}/"
                                           f"{scheme.deposit_release_after or 0}",
                                "company", written("deposit")))
    return rules



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
    """A membership inside the span of the recorded periods that overlaps none of them is
    almost certainly a typo in a date. One that starts after the last period (a planned
    joiner) or ended before the first (history) is normal and not reported."""
    if not periods:
        return
    first, last = periods[0].start, periods[-1].end
    assert first is not None and last is not None
    groups: list[m.Team | m.Council] = [*org.teams, *org.councils]
    for group in groups:
        for member in group.members:
            if member.start is None and member.end is None:
                continue
            if (member.start is not None and member.start > last) or \
                    (member.end is not None and member.end < first):
                continue
            if not any(_days(member, p) for p in periods):
                sub = ("members", member.index)
                out.append(_diag(group.source, sub, "KK306", "bonus.membership_outside",
                                 Severity.WARNING, person=member.person.id,
                                 start=member.start.isoformat() if member.start else "…",
                                 end=member.end.isoformat() if member.end else "…"))


def _walk(org: m.Organisation, scheme: m.RewardScheme, unit: m.Team | m.Council,
          teams: list[m.Team], periods: list[m.Period], currency: str, out: list[Diagnostic]
          ) -> list[SchemeResult]:
    carried = 0
    tranches: deque[list[int]] = deque()  # [period index, amount left], oldest first
    rate = scheme.deposit_rate or Decimal(0)
    release_after = scheme.deposit_release_after or 0
    results = []
    for index, period in enumerate(periods):
        base = _base(scheme, teams, period)
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


def _base(scheme: m.RewardScheme, teams: list[m.Team], period: m.Period) -> Decimal:
    """Net profit, or the teams' profit: income + virtual revenue − expenses, summed."""
    if scheme.base == "team_profit":
        total = Decimal(0)
        for team in teams:
            figures = period.teams.get(team.id)
            if figures is not None:
                total += figures.income + figures.virtual_revenue - figures.expenses
        return total
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

