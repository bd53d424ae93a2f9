"""What a change does: lint findings introduced and resolved, bonus pools and payouts moved."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kkctl.bonus.app import money_for
from kkctl.bonus.compute import BonusRun
from kkctl.diagnostics import Diagnostic
from kkctl.lint.app import findings_for
from kkctl.lint.suppress import fingerprint
from kkctl.loader import Loaded
from kkctl.steps import stage_of


@dataclass
class LintDelta:
    introduced: list[Diagnostic] = field(default_factory=list)
    resolved: list[Diagnostic] = field(default_factory=list)


@dataclass
class PersonDelta:
    person: str
    name: str
    old: int
    new: int


@dataclass
class BonusDelta:
    period: str
    scheme: str
    old_pool: int
    new_pool: int
    old_paid: int
    new_paid: int
    people: list[PersonDelta] = field(default_factory=list)
    period_name: str = ""  # as the head names them (the base, for one the head dropped)
    scheme_name: str = ""


def findings(loaded: Loaded, stage: int | None = None) -> list[Diagnostic]:
    """Validation and lint of one side, with that side's own lint configuration (no baseline:
    a change that adds a finding the baseline hides still adds it), at ``stage``."""
    return [*loaded.diagnostics, *findings_for(loaded, use_baseline=False, stage=stage)]


def lint_delta(old: Loaded, new: Loaded) -> LintDelta:
    # Both sides at the new side's adoption stage. A change that starts a step (the first
    # root promise) then shows what it fixed and broke, not every finding of the newly applied
    # rules about entities it never touched as "introduced".
    stage = stage_of(new.org)[0]
    return findings_delta(findings(old, stage), findings(new, stage))


def findings_delta(old: list[Diagnostic], new: list[Diagnostic]) -> LintDelta:
    """The findings of the new side not on the old one, and the other way round (kkctl diff
    computes the two sides in two processes: see :func:`kkctl.diff.run`)."""
    before = [(fingerprint(d), d) for d in old]
    after = [(fingerprint(d), d) for d in new]
    return LintDelta(introduced=_unmatched(after, before), resolved=_unmatched(before, after))


def _unmatched(side: list[tuple[str, Diagnostic]], other: list[tuple[str, Diagnostic]]
               ) -> list[Diagnostic]:
    """Findings of one side with no equal finding left on the other (counted, not just seen)."""
    left = Counter(key for key, _ in other)
    out = []
    for key, diag in side:
        if left[key] > 0:
            left[key] -= 1
        else:
            out.append(diag)
    return out


def bonus_delta(old: Loaded, new: Loaded) -> tuple[list[BonusDelta], str]:
    """Per period and scheme on either side: pool and paid, old -> new (a side without the
    period or the scheme counts as nothing paid)."""
    return runs_delta(money_for(old).run, money_for(new).run)


def runs_delta(before: BonusRun | None, after: BonusRun | None) -> tuple[list[BonusDelta], str]:
    """:func:`bonus_delta` of the two sides' bonus runs (None: a side that pays nothing).
    kkctl diff computes the base's run in a child process: its periods and schemes arrive
    as light copies (ids, names, dates, amounts; no references to other entities)."""
    if before is None or after is None:
        return [], before.currency if before else after.currency if after else "RUB"
    old_results = {(r.period.id, r.scheme.id): r for rs in before.results.values() for r in rs}
    new_results = {(r.period.id, r.scheme.id): r for rs in after.results.values() for r in rs}
    order = [p.id for p in after.periods] + [p.id for p in before.periods
                                             if p.id not in after.results]
    out: list[BonusDelta] = []
    for key in sorted(set(old_results) | set(new_results),
                      key=lambda k: (order.index(k[0]) if k[0] in order else len(order), k[1])):
        previous, result = old_results.get(key), new_results.get(key)
        then = {s.person: s for s in previous.shares} if previous else {}
        now = {s.person: s for s in result.shares} if result else {}
        people = [PersonDelta(p, (now.get(p) or then[p]).name,
                              then[p].amount if p in then else 0,
                              now[p].amount if p in now else 0)
                  for p in sorted(set(then) | set(now))
                  if (then[p].amount if p in then else 0) != (now[p].amount if p in now else 0)]
        old_pool, old_paid = (previous.pool, previous.paid) if previous else (0, 0)
        new_pool, new_paid = (result.pool, result.paid) if result else (0, 0)
        if old_pool != new_pool or old_paid != new_paid or people:
            named = result or previous
            out.append(BonusDelta(key[0], key[1], old_pool, new_pool, old_paid, new_paid,
                                  people, str(named.period.name or "") if named else "",
                                  str(named.scheme.name or "") if named else ""))
    return out, after.currency
