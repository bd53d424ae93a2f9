"""An authority no promise relies on.

Authorities exist to back promises: the giver of a promise gets all the authorities it needs
to keep it. An authority that no promise lists either backs a promise that forgot to say so
(and the promise looks unbacked) or backs nothing — a right held for its own sake, which is
how a hierarchy creeps back in.

Source: none as a rule of its own; it follows from the promise system (guide «О
клиентократии»): «систему обещаний с наделением исполнителей всеми необходимыми полномочиями
для их выполнения», and the promise system «состоит из … Необходимых полномочий для этого».
Meaning: a promise system gives the executors all the authorities needed to keep their
promises; authorities are part of the promise system, there for the promises.

How it is checked: an authority that no promise lists in ``authorities`` (by id) or in
``needs_authorities`` (by scope) is reported at the authority. The well-known structural scopes
are exempt, since they back the structure rather than a promise: ``council.membership``,
``council.reward`` (R-13), ``concept.pricing`` and ``concept.communication`` (R-24).

Fix: list the authority in the promise it backs (``authorities: [...]``), or remove it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """Полномочие, на которое не опирается ни одно обещание.

Полномочия существуют, чтобы подкреплять обещания: дающий обещание получает все полномочия, нужные
для его выполнения. Полномочие, которое не указано ни в одном обещании, либо подкрепляет обещание,
где его забыли указать (и тогда обещание выглядит неподкреплённым), либо не подкрепляет ничего —
это право ради самого права, и так возвращается иерархия.

Источник: отдельным правилом не сформулировано; следует из системы обещаний (руководство «О
клиентократии»): «систему обещаний с наделением исполнителей всеми необходимыми полномочиями для
их выполнения», а система обещаний «состоит из … Необходимых полномочий для этого». Смысл: система
обещаний наделяет исполнителей всеми полномочиями, нужными для выполнения их обещаний; полномочия
— часть системы обещаний и существуют ради обещаний.

Как проверяется: полномочие, которое ни одно обещание не указывает ни в ``authorities`` (по
``id``), ни в ``needs_authorities`` (по области), отмечается у самого полномочия. Известные
структурные области исключены, так как подкрепляют структуру, а не обещание:
``council.membership``, ``council.reward`` (R-13), ``concept.pricing`` и ``concept.communication``
(R-24).

Исправление: укажите полномочие в обещании, которое оно подкрепляет (``authorities: [...]``), или
удалите его.
"""

STRUCTURAL = frozenset({"council.membership", "council.reward", "concept.pricing",
                        "concept.communication"})


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    listed: set[str] = set()
    scopes: set[str] = set()
    add_listed = listed.add
    for promise in ctx.org.promises:
        for ref in promise.authorities:
            if ref.target is not None:
                add_listed(ref.id)
        if promise.needs_authorities:  # rarely: skip building a generator for nothing
            scopes.update(scope.strip() for scope in promise.needs_authorities)
    for authority in ctx.org.authorities:
        if authority.id in listed:
            continue
        scope = authority.scope.strip()
        if scope in scopes or scope in STRUCTURAL:
            continue
        yield Finding(authority.source, (), "unused", {"scope": scope})


RULE = Rule(
    code="KK243",
    slug="unused-authority",
    severity=Severity.WARNING,
    profile="recommended",
    step=5,
    source="—",
    summary={"en": "Every authority backs some promise.",
             "ru": "Каждое полномочие подкрепляет какое-то обещание."},
    messages={
        "unused": {
            "en": "no promise lists this authority ('{scope}'): authorities are there to back "
                  "promises; add it to the authorities of the promise it backs, or remove it",
            "ru": "ни одно обещание не ссылается на это полномочие ('{scope}'): полномочия "
                  "нужны для выполнения обещаний; укажите его в authorities обещания, которое "
                  "оно подкрепляет, или удалите",
        },
    },
    check=check,
    passing=("""
authorities:
  - {id: a-returns, scope: refund a shopper without a receipt, holder: shops}
promises:
  - id: p-choice
    kind: root
    giver: shops
    receiver: shoppers
    value: choice
    text: The everyday basket is always in stock, and you may return anything you dislike
    metrics: [m-fresh-sales]
    authorities: [a-assortment, a-returns]
""",),
    failing=("""
authorities:
  - {id: a-returns, scope: refund a shopper without a receipt, holder: shops}
""",),
)
