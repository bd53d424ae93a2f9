"""The authorities behind a promise are held by its giver.

An authority backs a promise only if the one who gives the promise can use it. If the right
to decide belongs to someone else, the giver has to ask them: the promise rests on another's
goodwill, which is exactly the «согласование» the methodology removes.

Source (R-03, guide «О клиентократии» and Beyond Taylor's implementation steps): the system
of promises comes «с наделением исполнителей всеми необходимыми полномочиями для их
выполнения»; «обещания должны подкрепляться реальными возможностями и полномочиями
исполнителей»; an authority is «возможность выполнить действие или принять решение … без
согласования с кем-либо». Meaning: the executors themselves are given every authority they
need; promises rest on the executors' own real powers; an authority is the ability to act or
decide without agreeing it with anyone.

How it is checked: each authority a promise lists in ``authorities`` has as its ``holder``
the promise's giver or someone on the giver's side: a member (or the leader) of a giving team
or council, or a team that a giving person belongs to. Unresolved references are left to
validation.

Fix: transfer the authority to the giver (``holder:`` the giver), or let the holder give the
promise.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Authority

DOC_RU = """Полномочия, подкрепляющие обещание, принадлежат тому, кто его даёт.

Полномочие подкрепляет обещание, только если тот, кто обещает, может им воспользоваться. Если
право решать принадлежит кому-то другому, дающему обещание придётся просить его: обещание
держится на чужой доброй воле, то есть на том самом «согласовании», которое методология
устраняет.

Источник (R-03, руководство «О клиентократии» и шаги внедрения Beyond Taylor): система обещаний
создаётся «с наделением исполнителей всеми необходимыми полномочиями для их выполнения»;
«обещания должны подкрепляться реальными возможностями и полномочиями исполнителей»; полномочие
— это «возможность выполнить действие или принять решение … без согласования с кем-либо». Смысл:
самих исполнителей наделяют всеми нужными им полномочиями; обещания опираются на собственные
реальные возможности исполнителей; полномочие — это возможность действовать или решать, ни с кем
не согласовывая.

Как проверяется: у каждого полномочия, перечисленного в ``authorities`` обещания, держатель
(``holder``) — тот, кто даёт обещание, или кто-то на его стороне: член (или лидер) дающей
обещание команды или совета либо команда, в которую входит дающий обещание человек. Ссылки,
которые не удаётся разрешить, оставлены валидации.

Исправление: передайте полномочие тому, кто даёт обещание (``holder:`` — он), или пусть обещание
даёт держатель полномочия.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    for promise in ctx.org.promises:
        if not promise.authorities or promise.giver is None or promise.giver.target is None:
            continue
        giver = promise.giver.id
        for i, ref in enumerate(promise.authorities):
            authority = ref.target
            if not isinstance(authority, Authority) or authority.holder is None \
                    or authority.holder.target is None:
                continue
            holder = authority.holder.id
            if holder == giver or holder in ctx.giver_side(giver):  # the first: most of them
                continue
            yield Finding(promise.source, ("authorities", i), "not_held", {
                "authority": authority.id, "scope": authority.scope.strip(),
                "holder": holder, "giver": giver,
                "where": ctx.where(authority.source, "holder")})


RULE = Rule(
    code="KK205",
    slug="authority-not-held-by-giver",
    severity=Severity.ERROR,
    profile="recommended",
    step=5,
    source="R-03",
    summary={"en": "The authorities behind a promise are held by its giver.",
             "ru": "Полномочия, подкрепляющие обещание, принадлежат тому, кто его даёт."},
    messages={
        "not_held": {
            "en": "authority '{authority}' («{scope}») is held by '{holder}' ({where}), not by "
                  "the giver '{giver}' or its side, so '{giver}' would have to ask "
                  "'{holder}' to keep the promise; transfer the authority to '{giver}' or let "
                  "'{holder}' give the promise",
            "ru": "полномочие '{authority}' («{scope}») принадлежит '{holder}' ({where}), а не "
                  "'{giver}', который даёт обещание, и '{giver}' придётся согласовывать его "
                  "выполнение с '{holder}'; передайте полномочие '{giver}' или пусть обещание "
                  "даёт '{holder}'",
        },
    },
    check=check,
    passing=("""
promises:
  - id: p-choice
    kind: root
    giver: shops
    receiver: shoppers
    value: choice
    text: The everyday basket is always in stock
    metrics: [m-fresh-sales]
    authorities: [a-assortment]
""", """
authorities:
  - {id: a-assortment, scope: choose the everyday basket, holder: dan}
"""),
    failing=("""
promises:
  - id: p-choice
    kind: root
    giver: shops
    receiver: shoppers
    value: choice
    text: The everyday basket is always in stock
    metrics: [m-fresh-sales]
    authorities: [a-assortment]
authorities:
  - {id: a-assortment, scope: choose the everyday basket, holder: concept}
""",),
)
