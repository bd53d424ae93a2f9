"""The council of managers has a leader, an ambassador and every value-creating team.

The council of managers (совет управляющих) is the company's first autonomous team. Its
composition is fixed by the methodology: one leader (usually the organisation's first person),
a clientocracy ambassador, and representatives of every unit that creates value for the
clients. A value-creating team missing from the council has no voice where the company's
strategy and reward are decided.

Source (R-11, guide «О клиентократии»): «Совет управляющих, в котором представлены следующие
роли: представители всех подразделений, создающих ценность для клиентов организации;
амбассадор клиентократии; лидер совета управляющих»; the glossary adds that the leader is
«обычно первого лица организации» and that the representatives are those of the teams «дающих
корневые обещания внешнему клиенту». Meaning: the council consists of representatives of all
value-creating units, the clientocracy ambassador and the council leader (usually the first
person); the represented teams are those giving root promises to the external client.

How it is checked, for every council of ``kind: company``:

* exactly one member has ``role: leader``; no leader is reported at the council's members, a
  second leader at that member's role. Two leaders whose memberships (``from``/``to``) do not
  overlap are a handover, not two leaders at once;
* at least one member has ``role: ambassador``; more than one ambassador at the same time is
  reported by a separate message;
* every team that is ``type: value_creating``, or that gives a root promise to a client who is
  not internal (an external client or a partner), is in some member's ``represents``. A team
  is also represented when one of its ancestors (``parent``, transitively) is: the
  representative of a unit speaks for the teams inside it. One finding per missing team, at
  the council's members, naming the team and where it is defined.

When the organisation has teams but no council at all (neither ``kind: company`` nor
``kind: unit``), that is reported once, on the organisation settings (clientocracy-complete,
KK228, leaves this element of a clientocracy to this rule). Roles are compared
without regard to case.

Fix: add the missing role or representative to ``members``, or the team to the ``represents``
of the member who speaks for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Client, Council, Member, Promise, Team

DOC_RU = """В совете управляющих есть лидер, амбассадор и все ценностеобразующие команды.

Совет управляющих — первая автономная команда компании. Его состав задан методологией: один
лидер (обычно первое лицо организации), амбассадор клиентократии и представители всех
подразделений, создающих ценность для клиентов. Ценностеобразующая команда, не представленная в
совете, не имеет голоса там, где решаются стратегия компании и вознаграждение.

Источник (R-11, руководство «О клиентократии»): «Совет управляющих, в котором представлены
следующие роли: представители всех подразделений, создающих ценность для клиентов организации;
амбассадор клиентократии; лидер совета управляющих»; глоссарий добавляет, что лидер — «обычно
первого лица организации», а представители — это представители команд, «дающих корневые обещания
внешнему клиенту». Смысл: совет состоит из представителей всех подразделений, создающих
ценность, амбассадора клиентократии и лидера совета (обычно первого лица); представлены команды,
дающие корневые обещания внешнему клиенту.

Как проверяется, для каждого совета с ``kind: company``:

* ровно у одного члена ``role: leader``; отсутствие лидера отмечается у членов совета, второй
  лидер — у роли этого члена. Два лидера, чьи периоды членства (``from``/``to``) не
  пересекаются, — это передача дел, а не два лидера одновременно;
* хотя бы у одного члена ``role: ambassador``; больше одного амбассадора одновременно отмечается
  отдельным сообщением;
* каждая команда с ``type: value_creating`` или дающая корневое обещание клиенту, который не
  является внутренним (внешнему клиенту или партнёру), указана в ``represents`` какого-либо
  члена совета. Команда представлена и тогда, когда представлен один из её предков (``parent``,
  транзитивно): представитель подразделения говорит за команды внутри него. По замечанию на
  каждую непредставленную команду, у членов совета, с названием команды и местом, где она
  определена.

Если в организации есть команды, но нет ни одного совета (ни ``kind: company``, ни
``kind: unit``), об этом сообщается один раз, у настроек организации (clientocracy-complete,
KK228, оставляет этот элемент клиентократии этому правилу). Роли сравниваются без
учёта регистра.

Исправление: добавьте недостающую роль или представителя в ``members`` либо команду в
``represents`` того члена совета, который говорит за неё.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    councils = ctx.company_councils
    if not councils:
        source = ctx.org.settings.source
        if ctx.org.teams and not ctx.unit_councils and source is not None:
            yield Finding(source, ("organisation",), "no_council", {}, at_key=True)
        return
    required = list(_required_teams(ctx))
    for council in councils:
        yield from _roles(ctx, council)
        represented = {ref.id for member in council.members for ref in member.represents}
        covered: dict[str, bool | None] = {}
        for team, root, client in required:
            if not _is_covered(team, represented, covered):
                yield Finding(council.source, ("members",), "unrepresented",
                              {"team": team.id, "where": ctx.where(team.source),
                               "reason": _reason(root, client)}, at_key=True)


def _roles(ctx: LintContext, council: Council) -> Iterator[Finding]:
    leaders = [m for m in council.members if _role(m) == "leader"]
    ambassadors = [m for m in council.members if _role(m) == "ambassador"]
    if not leaders:
        yield Finding(council.source, ("members",), "no_leader", {}, at_key=True)
    for extra, other in _overlapping(leaders):
        yield Finding(council.source, ("members", extra.index, "role"), "many_leaders",
                      {"person": extra.person.id, "other": other.person.id,
                       "where": ctx.where(council.source, *other.person.sub)})
    if not ambassadors:
        yield Finding(council.source, ("members",), "no_ambassador", {}, at_key=True)
    for extra, other in _overlapping(ambassadors):
        yield Finding(council.source, ("members", extra.index, "role"), "many_ambassadors",
                      {"person": extra.person.id, "other": other.person.id,
                       "where": ctx.where(council.source, *other.person.sub)})


def _role(member: Member) -> str:
    return (member.role or "").strip().lower()


def _overlapping(members: list[Member]) -> Iterator[tuple[Member, Member]]:
    """``(member, earlier)`` for each member whose term overlaps an earlier one's.

    Sorted by start (open = the beginning of time), a term overlaps the terms before it when it
    starts no later than the latest end so far.
    """
    ordered = sorted(members, key=lambda m: m.start or dt.date.min)
    latest: Member | None = None
    for member in ordered:
        if latest is not None and (member.start or dt.date.min) <= (latest.end or dt.date.max):
            yield member, latest
        if latest is None or (member.end or dt.date.max) > (latest.end or dt.date.max):
            latest = member


def _required_teams(ctx: LintContext) -> Iterator[tuple[Team, Promise | None, Client | None]]:
    """Teams the council must represent, with the root promise to an outside client that
    makes them and the client (None, None: the team is value_creating)."""
    roots = _first_root_to_outside_client(ctx.org.promises)
    for team in ctx.org.teams:
        if team.type == "value_creating":
            yield team, None, None
            continue
        found = roots.get(team.id)
        if found is not None:
            yield team, *found


def _first_root_to_outside_client(promises: list[Promise]) -> dict[str, tuple[Promise, Client]]:
    """Giver id -> its first root promise to a client that is not internal, and the client."""
    found: dict[str, tuple[Promise, Client]] = {}
    for promise in promises:
        if promise.promise_kind != "root" or promise.receiver is None or promise.giver is None:
            continue
        client = promise.receiver.target
        if isinstance(client, Client) and client.client_kind != "internal" \
                and promise.giver.id not in found:
            found[promise.giver.id] = (promise, client)
    return found


def _reason(root: Promise | None, client: Client | None) -> dict[str, str]:
    """Why a team must be represented, a localised phrase (built only for a finding)."""
    if root is None or client is None:
        return {"en": "is value_creating",
                "ru": "создаёт ценность для клиента (type: value_creating)"}
    return {"en": f"gives root promise '{root.id}' to client '{client.id}'",
            "ru": f"даёт корневое обещание '{root.id}' внешнему клиенту '{client.id}'"}


def _is_covered(team: Team, represented: set[str], covered: dict[str, bool | None]) -> bool:
    """Is the team, or one of its ancestors, represented? Memoised in ``covered``; a team
    met again on the way up (``None`` there: on this walk) means a parent cycle: not covered.
    """
    found = covered.get(team.id)
    if found is not None:
        return found  # most teams: their parent's walk passed here
    chain: list[str] = []
    current: Team | None = team
    result = False
    while current is not None:
        ident = current.id
        if ident in covered:
            result = covered[ident] or False  # None: met again on this walk, a cycle
            break
        chain.append(ident)
        if ident in represented:
            result = True
            break
        covered[ident] = None
        parent = current.parent.target if current.parent is not None else None
        current = parent if isinstance(parent, Team) else None
    for ident in chain:
        covered[ident] = result
    return result


RULE = Rule(
    code="KK214",
    slug="council-composition",
    severity=Severity.ERROR,
    profile="minimal",
    step=6,
    source="R-11",
    summary={"en": "The council of managers has one leader, an ambassador and represents "
                   "every value-creating team.",
             "ru": "В совете управляющих один лидер, амбассадор и представители всех команд, "
                   "создающих ценность."},
    messages={
        "no_leader": {
            "en": "the council has no leader: give exactly one member role: leader (usually "
                  "the organisation's first person)",
            "ru": "у совета управляющих нет лидера: назначьте ровно одному члену совета "
                  "role: leader (обычно это первое лицо организации)",
        },
        "many_leaders": {
            "en": "'{person}' is a second leader of the council besides '{other}' ({where}); "
                  "a council has exactly one leader: give one of them another role",
            "ru": "'{person}' — второй лидер совета наряду с '{other}' ({where}); у совета "
                  "управляющих ровно один лидер: дайте одному из них другую роль",
        },
        "no_ambassador": {
            "en": "the council has no clientocracy ambassador: give one member "
                  "role: ambassador",
            "ru": "в совете управляющих нет амбассадора клиентократии: назначьте одному из "
                  "членов совета role: ambassador",
        },
        "many_ambassadors": {
            "en": "'{person}' is another ambassador besides '{other}' ({where}); the council "
                  "needs one clientocracy ambassador: keep one and give the other another role",
            "ru": "'{person}' — ещё один амбассадор клиентократии наряду с '{other}' "
                  "({where}); совету нужен один амбассадор: оставьте одного, другому дайте "
                  "другую роль",
        },
        "unrepresented": {
            "en": "team '{team}' ({where}) {reason}, but no council member represents it; "
                  "add it to the represents of the member who speaks for it, or bring its "
                  "representative onto the council",
            "ru": "команда '{team}' ({where}) {reason}, но её не представляет ни один член "
                  "совета; добавьте её в represents того, кто говорит от её имени, или "
                  "введите в совет её представителя",
        },
        "no_council": {
            "en": "the organisation has teams but no council of managers (kind: company) and "
                  "no unit council, one of the five elements of a clientocracy; add one under "
                  "councils: with a leader, an ambassador and representatives of the "
                  "value-creating teams",
            "ru": "в организации есть команды, но нет ни совета управляющих (kind: company), "
                  "ни совета подразделения, а совет — один из пяти элементов клиентократии; "
                  "добавьте совет в councils: с лидером, амбассадором и представителями "
                  "команд, создающих ценность",
        },
    },
    check=check,
    passing=("""
teams:
  - id: delivery
    name: Home delivery
    type: value_creating
    leader: dan
    members: [dan]
    success_indicator: m-customers
    economics: {income: [delivery fees], expenses: [couriers]}
councils:
  - id: council
    name: Council
    kind: company
    reward: council-bonus
    members:
      - {person: ann, role: leader, represents: [shops]}
      - {person: bob, role: ambassador}
      - {person: cid, role: representative, represents: [concept]}
      - {person: dan, role: representative, represents: [delivery]}
""", """
councils:
  - id: council
    name: Council
    kind: company
    reward: council-bonus
    members:
      - {person: ann, role: leader, represents: [shops], to: 2026-03-31}
      - {person: dan, role: leader, from: 2026-04-01}
      - {person: bob, role: ambassador}
      - {person: cid, role: representative, represents: [concept]}
"""),
    failing=("""
councils:
  - id: council
    name: Council
    kind: company
    reward: council-bonus
    members:
      - {person: ann, role: leader, represents: [shops]}
      - {person: bob, role: representative}
      - {person: cid, role: representative, represents: [concept]}
""", """
councils:
  - id: council
    name: Council
    kind: company
    reward: council-bonus
    members:
      - {person: ann, role: leader}
      - {person: bob, role: ambassador}
      - {person: cid, role: representative, represents: [concept]}
""", """
councils:
  - id: council
    name: Council
    kind: company
    reward: council-bonus
    members:
      - {person: ann, role: leader, represents: [shops]}
      - {person: bob, role: ambassador}
      - {person: cid, role: leader, represents: [concept]}
"""),
)
