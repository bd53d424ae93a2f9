"""The council of managers decides its own membership and its own reward.

A council whose members are appointed, or whose reward is set, by someone else is not the
company's first autonomous team: whoever holds those decisions stands above it.

Source (R-13, guide «О клиентократии»): the council is «наделен всеми необходимыми
полномочиями для влияния на это вознаграждение, вплоть до приёма новых или вывода из совета
старых членов». Meaning: the council has every authority needed to influence its reward, up to
admitting new members and removing old ones.

How it is checked, for every council of ``kind: company``: an authority with scope
``council.membership`` and one with scope ``council.reward`` (the reserved scopes of the
format; case and surrounding spaces do not matter, and ``council.reward:<council id>`` names
the council explicitly) exist and are held by that council. One finding per missing or
misheld scope, on the council; a misheld one names its holder and where it is.

Fix: add the authority with ``holder:`` the council, or make the council the holder of the
existing one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Authority

DOC_RU = """Совет управляющих сам решает о своём составе и своём вознаграждении.

Совет, членов которого назначает или вознаграждение которого устанавливает кто-то другой, не
является первой автономной командой компании: тот, кто принимает эти решения, стоит над ним.

Источник (R-13, руководство «О клиентократии»): совет «наделен всеми необходимыми полномочиями
для влияния на это вознаграждение, вплоть до приёма новых или вывода из совета старых членов».
Смысл: у совета есть все полномочия, нужные, чтобы влиять на своё вознаграждение, вплоть до
приёма новых членов и вывода старых.

Как проверяется, для каждого совета с ``kind: company``: существуют полномочие с областью
``council.membership`` и полномочие с областью ``council.reward`` (зарезервированные области
формата; регистр и пробелы по краям не важны, а ``council.reward:<council id>`` явно называет
совет), и держатель обоих — этот совет. По замечанию на каждую отсутствующую область или область
с чужим держателем, у совета; во втором случае замечание называет держателя и место полномочия.

Исправление: добавьте полномочие, у которого ``holder:`` — совет, или сделайте совет держателем
существующего.
"""

SCOPES: dict[str, dict[str, str]] = {
    "council.membership": {"en": "admit and remove its members",
                           "ru": "принимать новых и выводить старых членов"},
    "council.reward": {"en": "decide its own reward",
                       "ru": "решать о своём вознаграждении"},
}


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    if not ctx.company_councils:
        return
    found: dict[str, list[tuple[str, Authority]]] = defaultdict(list)  # scope -> (suffix, a)
    for authority in ctx.org.authorities:
        base, _, suffix = authority.scope.strip().lower().partition(":")
        base = base.strip()
        if base in SCOPES:
            found[base].append((suffix.strip(), authority))
    for council in ctx.company_councils:
        for scope, what in SCOPES.items():
            candidates = [a for suffix, a in found.get(scope, ())
                          if suffix in ("", council.id)]
            if not candidates:
                yield Finding(council.source, (), "missing",
                              {"scope": scope, "what": what, "council": council.id})
                continue
            if any(a.holder is not None and a.holder.id == council.id for a in candidates):
                continue
            if any(a.holder is None or a.holder.target is None for a in candidates):
                continue  # validation reports the missing or unresolved holder
            authority = candidates[0]
            holder = authority.holder.id if authority.holder is not None else "?"
            yield Finding(council.source, (), "misheld",
                          {"scope": scope, "what": what, "authority": authority.id,
                           "holder": holder, "where": ctx.where(authority.source, "holder")})


RULE = Rule(
    code="KK216",
    slug="council-self-governance",
    severity=Severity.ERROR,
    profile="recommended",
    step=6,
    source="R-13",
    summary={"en": "The council holds the authorities over its own membership and reward.",
             "ru": "Совет управляющих сам обладает полномочиями на своё членство и своё "
                   "вознаграждение."},
    messages={
        "missing": {
            "en": "no authority has scope '{scope}': the council itself must {what}; add "
                  "{{id: …, scope: {scope}, holder: {council}}} under authorities:",
            "ru": "нет полномочия со scope '{scope}': совет управляющих должен сам {what}; "
                  "добавьте в authorities: {{id: …, scope: {scope}, holder: {council}}}",
        },
        "misheld": {
            "en": "authority '{authority}' (scope '{scope}') is held by '{holder}' ({where}), "
                  "not by the council; the council itself must {what}: make it the holder",
            "ru": "полномочие '{authority}' (scope '{scope}') принадлежит '{holder}' "
                  "({where}), а не совету; совет управляющих должен сам {what}: сделайте его "
                  "держателем (holder) этого полномочия",
        },
    },
    check=check,
    passing=("""
authorities:
  - {id: a-council-members, scope: council.membership, holder: council}
  - {id: a-council-reward, scope: council.reward, holder: council}
""",),
    failing=("""
authorities:
  - {id: a-council-members, delete: true}
""", """
authorities:
  - {id: a-council-reward, scope: council.reward, holder: ann}
"""),
)
