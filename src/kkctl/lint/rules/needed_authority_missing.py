"""The authorities a promise declares it needs are held on the giver's side.

Whether a promise's authorities are *enough* cannot be decided by a machine; but the team can
write down which decisions keeping the promise takes, as authority scopes in
``needs_authorities``. Each of those must then really be the giver's: otherwise the giver
would have to get someone's agreement to keep the promise.

Source (R-03, Beyond Taylor's implementation steps): «полномочий должно хватать, чтобы его
выполнять»; «если у сотрудника нет полномочий … будет должен постоянно их со всеми
согласовывать». Meaning: there must be enough authority to keep the promise; without it the
employee has to agree everything with everyone all the time.

How it is checked: for each scope in a promise's ``needs_authorities`` (compared without regard
to spaces, case or ё/е, as authority-monopoly compares them) some authority with that scope is
held by the giver or someone on the giver's side (a member or the leader of a giving team or
council, a team of a giving person). When the scope exists but belongs to someone else, the
message names the holder and where the authority is defined.

Fix: grant the giver an authority with that scope (``holder:`` the giver), or transfer the
existing one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext, scope_key
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Authority

DOC_RU = """Полномочия, которые нужны обещанию по его же описанию, есть на стороне дающего.

Хватает ли обещанию полномочий, машина решить не может; но команда может записать, какие решения
нужно принимать, чтобы выполнить обещание, — в виде областей полномочий в ``needs_authorities``.
Каждое такое полномочие должно действительно принадлежать дающему обещание: иначе ему пришлось бы
с кем-то согласовывать выполнение обещания.

Источник (R-03, шаги внедрения «Beyond Taylor»): «полномочий должно хватать, чтобы его выполнять»;
«если у сотрудника нет полномочий … будет должен постоянно их со всеми согласовывать». Смысл:
полномочий должно хватать, чтобы выполнить обещание; без них сотруднику приходится постоянно всё
со всеми согласовывать.

Как проверяется: для каждой области в ``needs_authorities`` обещания (сравнение без учёта
пробелов, регистра и ё/е, как в authority-monopoly) есть полномочие с этой областью, которым
владеет дающий или кто-то на его стороне (участник или лидер дающей команды или совета, команда
дающего человека). Если полномочие с такой областью есть, но принадлежит кому-то другому,
сообщение называет владельца и место, где полномочие определено.

Исправление: наделите дающего полномочием с этой областью (``holder:`` — дающий) или передайте ему
существующее.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    if not any(p.needs_authorities for p in ctx.org.promises):
        return
    by_scope: dict[str, list[Authority]] = defaultdict(list)
    for authority in ctx.org.authorities:
        by_scope[scope_key(authority.scope)].append(authority)
    held: dict[str, set[str]] = {}  # giver -> scopes held on its side
    for promise in ctx.org.promises:
        if not promise.needs_authorities or promise.giver is None \
                or promise.giver.target is None:
            continue
        giver = promise.giver.id
        scopes = held.get(giver)
        if scopes is None:
            scopes = held[giver] = {
                scope_key(a.scope) for holder in ctx.giver_side(giver)
                for a in ctx.authorities_by_holder.get(holder, ())}
        for i, scope in enumerate(promise.needs_authorities):
            key = scope_key(scope)
            if not key or key in scopes:
                continue
            others = [a for a in by_scope.get(key, ()) if a.holder is not None]
            if others:
                other = others[0]
                yield Finding(promise.source, ("needs_authorities", i), "held_elsewhere", {
                    "scope": scope.strip(), "giver": giver, "authority": other.id,
                    "holder": other.holder.id if other.holder is not None else "?",
                    "where": ctx.where(other.source, "holder")})
            else:
                yield Finding(promise.source, ("needs_authorities", i), "missing",
                              {"scope": scope.strip(), "giver": giver})


RULE = Rule(
    code="KK206",
    slug="needed-authority-missing",
    severity=Severity.ERROR,
    profile="recommended",
    step=5,
    source="R-03",
    summary={"en": "Every authority scope a promise needs is held by its giver.",
             "ru": "Все полномочия, нужные для обещания, есть у того, кто его даёт."},
    messages={
        "held_elsewhere": {
            "en": "the promise needs the authority «{scope}», but it is held by '{holder}' "
                  "(authority '{authority}', {where}), not by the giver '{giver}'; transfer it "
                  "to '{giver}' so the promise can be kept without asking anyone",
            "ru": "для обещания нужно полномочие «{scope}», но оно принадлежит '{holder}' "
                  "(полномочие '{authority}', {where}), а не '{giver}'; передайте его "
                  "'{giver}', чтобы обещание выполнялось без согласований",
        },
        "missing": {
            "en": "the promise needs the authority «{scope}», but no authority with that scope "
                  "exists; grant one to the giver: authorities: [{{scope: {scope}, holder: "
                  "{giver}}}]",
            "ru": "для обещания нужно полномочие «{scope}», но полномочия с таким scope нет; "
                  "наделите им того, кто даёт обещание: authorities: [{{scope: {scope}, "
                  "holder: {giver}}}]",
        },
    },
    check=check,
    passing=("""
promises:
  - id: p-fresh
    kind: root
    giver: shops
    receiver: shoppers
    value: freshness
    text: Dairy on the shelf is never older than two days
    metrics: [m-fresh-sales]
    authorities: [a-write-off]
    needs_authorities: [Write off stale stock, choose the everyday basket]
""",),
    failing=("""
promises:
  - id: p-fresh
    kind: root
    giver: shops
    receiver: shoppers
    value: freshness
    text: Dairy on the shelf is never older than two days
    metrics: [m-fresh-sales]
    authorities: [a-write-off]
    needs_authorities: [write off stale stock, concept.pricing]
""", """
promises:
  - id: p-fresh
    kind: root
    giver: shops
    receiver: shoppers
    value: freshness
    text: Dairy on the shelf is never older than two days
    metrics: [m-fresh-sales]
    authorities: [a-write-off]
    needs_authorities: [return money without a receipt]
"""),
)
