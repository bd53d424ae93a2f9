"""A member who alone can dissolve their team or define its reward stands above it.

Clientocracy replaces hierarchy with promises between autonomous teams. Key authorities are
not all equal, though: a member who can dissolve the team, or define the reward of the others,
while the team has no authority over them in return, is the team's boss in all but name.

Source (R-18, guide «О клиентократии», glossary «Иерархия»): key authorities are not
equivalent; for example, a leader who can dissolve the team and define the reward system of
the others, without reciprocal authority, is higher in the hierarchy. Meaning: unequal key
authorities make a hierarchy; R-13 wants the council of managers itself to decide its reward
and membership.

How it is checked (a heuristic): an authority whose scope is ``team.dissolve`` or
``reward.define`` (case-insensitive, optionally followed by ``:`` and a team or council id,
e.g. ``reward.define:shops``) and whose holder is a person:

* over a team the person is a member or the leader of (the team named after ``:``, or, with
  no id, every team the person belongs to), when the team holds no reciprocal authority (an
  authority whose scope starts with one of ``reciprocal_scopes``) → one finding per team;
* over the council of managers (``kind: company``) the person is a member of (named after
  ``:``, or, with no id, any council of managers they sit on) → a finding that says it
  contradicts R-13: the council itself decides its reward and membership.

The finding points at the authority's holder.

Options: ``reciprocal_scopes`` (default ``["team.membership", "team.leader"]``): scopes by
which a team holds authority over its members or its leader (``team.membership``: the team
admits and removes members; ``team.leader``: the team chooses its leader).

Fix: give the authority to the team (or the council) itself, or give the team the reciprocal
authority.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Authority, Council, Person, Team

DOC_RU = """Член, единолично распускающий команду или задающий её вознаграждение, стоит над ней.

Клиентократия заменяет иерархию обещаниями между автономными командами. Однако ключевые
полномочия не равноценны: член команды, который может распустить её или определить
вознаграждение остальных, в то время как у команды нет встречного полномочия над ним, — по
сути её начальник, хотя так и не называется.

Источник (R-18, руководство «О клиентократии», глоссарий, «Иерархия»): ключевые полномочия не
равноценны; например, лидер, который может распустить команду и определить систему
вознаграждения остальных, не имея встречных полномочий, стоит выше в иерархии. Смысл: неравные
ключевые полномочия создают иерархию; R-13 требует, чтобы совет управляющих сам решал о своём
вознаграждении и составе.

Как проверяется (эвристика): полномочие с областью ``team.dissolve`` или ``reward.define`` (без
учёта регистра, возможно, с ``:`` и ``id`` команды или совета после неё, например
``reward.define:shops``), держатель которого — человек:

* над командой, членом или лидером которой этот человек является (названной после ``:``, а если
  ``id`` не указан — над каждой командой, в которую он входит), когда у команды нет встречного
  полномочия (полномочия, область которого начинается с одного из ``reciprocal_scopes``), → по
  замечанию на каждую команду;
* над советом управляющих (``kind: company``), членом которого этот человек является (названным
  после ``:``, а если ``id`` не указан — над любым советом управляющих, в котором он состоит), →
  замечание о том, что это противоречит R-13: совет сам решает о своём вознаграждении и составе.

Замечание указывает на держателя полномочия.

Настройки: ``reciprocal_scopes`` (по умолчанию ``["team.membership", "team.leader"]``): области,
через которые команда имеет полномочия над своими членами или лидером (``team.membership``:
команда принимает и выводит членов; ``team.leader``: команда выбирает своего лидера).

Исправление: передайте полномочие самой команде (или совету) либо дайте команде встречное
полномочие.
"""

KEY_SCOPES = ("team.dissolve", "reward.define")
DEFAULT_RECIPROCAL = ["team.membership", "team.leader"]


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    reciprocal = _reciprocal(options)
    councils_of: dict[str, list[Council]] | None = None
    for authority in ctx.org.authorities:
        base, colon, suffix = authority.scope.strip().lower().partition(":")
        if base.strip() not in KEY_SCOPES or authority.holder is None \
                or not isinstance(authority.holder.target, Person):
            continue
        if councils_of is None:
            councils_of = defaultdict(list)
            for council in ctx.company_councils:
                for member in council.members:
                    councils_of[member.person.id].append(council)
        person = authority.holder.id
        teams = ctx.teams_of_person.get(person, [])
        councils = councils_of.get(person, [])
        if colon and suffix.strip():
            ident = suffix.strip()
            teams = [t for t in teams if t.id == ident]
            councils = [c for c in councils if c.id == ident]
        for team in teams:
            if not _has_reciprocal(ctx, team, reciprocal):
                yield Finding(authority.source, ("holder",), "team",
                              {"person": person, "scope": authority.scope.strip(),
                               "team": team.id, "where": ctx.where(team.source)})
        for council in {c.id: c for c in councils}.values():
            yield Finding(authority.source, ("holder",), "council",
                          {"person": person, "scope": authority.scope.strip(),
                           "council": council.id, "where": ctx.where(council.source)})


def _reciprocal(options: dict[str, Any]) -> tuple[str, ...]:
    value = options.get("reciprocal_scopes", DEFAULT_RECIPROCAL)
    if not isinstance(value, list):
        value = DEFAULT_RECIPROCAL
    return tuple(s.strip().lower() for s in value if isinstance(s, str) and s.strip())


def _has_reciprocal(ctx: LintContext, team: Team, reciprocal: tuple[str, ...]) -> bool:
    held: list[Authority] = ctx.authorities_by_holder.get(team.id, [])
    return any(a.scope.strip().lower().startswith(reciprocal) for a in held) \
        if reciprocal else False


RULE = Rule(
    code="KK222",
    slug="hierarchy",
    severity=Severity.INFO,
    profile="strict",
    step=6,
    source="R-18",
    summary={"en": "A member alone can dissolve their team or define its reward: a hidden "
                   "hierarchy.",
             "ru": "Член команды единолично может распустить её или определить её "
                   "вознаграждение: скрытая иерархия."},
    messages={
        "team": {
            "en": "'{person}' alone holds '{scope}' over team '{team}' ({where}), of which "
                  "they are a member, and the team holds no reciprocal authority: this is a "
                  "hierarchy, not an autonomous team; give the authority to the team, or give "
                  "the team a reciprocal one (e.g. team.membership)",
            "ru": "'{person}' единолично обладает полномочием '{scope}' в отношении команды "
                  "'{team}' ({where}), в которую сам входит, а встречного полномочия у команды "
                  "нет: это иерархия, а не автономная команда; передайте полномочие команде "
                  "или дайте команде встречное (например, team.membership)",
        },
        "council": {
            "en": "'{person}' alone holds '{scope}' over council '{council}' ({where}), on "
                  "which they sit: this contradicts R-13 (the council itself decides its "
                  "reward and membership); give the authority to the council",
            "ru": "'{person}' единолично обладает полномочием '{scope}' в отношении совета "
                  "'{council}' ({where}), членом которого является: это противоречит R-13 "
                  "(совет управляющих сам решает о своём вознаграждении и членстве); "
                  "передайте полномочие совету",
        },
    },
    check=check,
    options={"reciprocal_scopes": DEFAULT_RECIPROCAL},
    heuristic=True,
    passing=("""
authorities:
  - {id: a-dissolve-shops, scope: "team.dissolve:shops", holder: ann}
  - {id: a-shops-members, scope: team.membership, holder: shops}
""", """
authorities:
  - {id: a-shops-reward, scope: "reward.define:shops", holder: shops}
"""),
    failing=("""
authorities:
  - {id: a-shops-reward, scope: "reward.define:shops", holder: ann}
""", """
authorities:
  - {id: a-council-bonus, scope: reward.define, holder: bob}
"""),
)
