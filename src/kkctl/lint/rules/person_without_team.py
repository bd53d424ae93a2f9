"""Everyone works in some team or council.

In clientocracy people work in autonomous teams (or on a council). A person listed in
``people`` but in no team and no council is outside the promise system: either a team forgot
to list them, or they have left and the entry is stale.

Source: none in the methodology directly; a consistency check of the format. The structure the
guide describes consists of «клиент, совет управляющих и остальные команды» (the client, the
council of managers and the other teams).

How it is checked: a person who is not a member or the leader of any team, not a member of
any council (company or unit) and not the sponsor of a unit council → info, at the person.

Fix: add the person to the ``members`` of the team they work in, or remove the entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    placed: set[str] = set(ctx.teams_of_person)
    for council in ctx.org.councils:
        placed.update(member.person.id for member in council.members)
        if council.sponsor is not None:
            placed.add(council.sponsor.id)
    for person in ctx.org.people:
        if person.id not in placed:
            yield Finding(person.source, (), "nowhere")


RULE = Rule(
    code="KK241",
    slug="person-without-team",
    severity=Severity.INFO,
    profile="recommended",
    source="—",
    summary={"en": "A person is in no team and no council.",
             "ru": "Сотрудник не входит ни в одну команду и ни в один совет."},
    messages={
        "nowhere": {
            "en": "is in no team (as member or leader) and no council: add them to the "
                  "members of the team they work in, or remove the entry if they have left",
            "ru": "не входит ни в одну команду (ни членом, ни лидером) и ни в один совет: "
                  "добавьте сотрудника в members его команды или удалите запись, если он ушёл",
        },
    },
    check=check,
    passing=("""
people:
  - {id: fay, name: Fay}
teams:
  - id: concept
    name: Unified concept
    type: concept
    leader: cid
    members: [cid, eve, fay]
    success_indicator: m-customers
    economics: {income: [brand fee], expenses: [marketing]}
""",),
    failing=("""
people:
  - {id: fay, name: Fay}
""",),
)
