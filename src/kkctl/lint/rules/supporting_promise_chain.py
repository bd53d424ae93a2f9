"""A supporting promise points at the root promise it helps keep, and is given to its giver.

Supporting promises exist so that someone can keep their root promises to the client. Each
must say which promise it supports, that chain must end at a root promise (otherwise it
supports nothing the client sees), and it is given to the one who needs it: the giver of the
supported promise.

Source (R-06, guide «О клиентократии», glossary): supporting promises are those received from
units, roles or partners «для выполнения своих корневых обещаний». Meaning: a team receives
supporting promises in order to keep its own root promises.

How it is checked, for each promise of ``kind: supporting``:

* ``supports`` is not empty;
* every supported promise is a root promise, or leads to one through its own ``supports``.
  One pass over the supports graph (Tarjan's components, sinks first) marks what reaches a
  root: members of a cycle reach a root only if one of them supports something that does
  (the cycle itself is rule promise-loop's business);
* the ``receiver`` is the giver of each supported promise; the message names the expected
  receiver.

Unresolved references are left to validation.

Fix: point ``supports`` at the root promise this one helps keep (or at a supporting promise
that leads to it), and give the promise to that promise's giver.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.graph import strongly_connected
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Promise

DOC_RU = """Поддерживающее обещание ведёт к корневому и даётся тому, чьё обещание обеспечивает.

Поддерживающие обещания существуют для того, чтобы кто-то мог выполнить свои корневые обещания
клиенту. Каждое должно указывать, какое обещание оно обеспечивает; эта цепочка должна
заканчиваться корневым обещанием (иначе оно не обеспечивает ничего, что видит клиент); и даётся
оно тому, кому нужно, — тому, кто даёт обеспечиваемое обещание.

Источник (R-06, руководство «О клиентократии», глоссарий): поддерживающие обещания — это обещания,
которые получают от подразделений, ролей или партнёров «для выполнения своих корневых обещаний».
Смысл: команда получает поддерживающие обещания, чтобы выполнить свои корневые обещания.

Как проверяется — для каждого обещания с ``kind: supporting``:

* ``supports`` не пуст;
* каждое обеспечиваемое обещание — корневое или ведёт к корневому через свои ``supports``. Один
  проход по графу ``supports`` (компоненты Тарьяна, начиная со стоков) отмечает всё, что доходит
  до корневого: участники цикла доходят до корневого, только если один из них обеспечивает
  обещание, которое доходит (сам цикл — забота правила promise-loop);
* получатель ``receiver`` — тот, кто даёт каждое обеспечиваемое обещание; сообщение называет
  ожидаемого получателя.

Неразрешённые ссылки оставлены валидации.

Исправление: укажите в ``supports`` корневое обещание, которое это обещание помогает выполнить
(или поддерживающее обещание, ведущее к нему), и дайте обещание тому, кто даёт то обещание.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    supporting = [p for p in ctx.org.promises if p.promise_kind == "supporting"]
    if not supporting:
        return
    reaches: dict[str, bool] | None = None  # computed at the first supported non-root
    for promise in supporting:
        if not promise.supports:
            raw = promise.source.mapping()
            if raw is not None and "supports" in raw:
                if not (isinstance(raw["supports"], list) and raw["supports"]):
                    yield Finding(promise.source, ("supports",), "empty", {}, at_key=True)
            else:
                yield Finding(promise.source, (), "no_supports", {})
            continue
        receiver = promise.receiver
        for i, ref in enumerate(promise.supports):
            target = ref.target
            if not isinstance(target, Promise):
                continue
            if not _is_root(ctx, target):  # a root reaches itself: the usual case
                if reaches is None:
                    reaches = _reaches_root(ctx, _non_roots_supported(ctx, supporting))
                if not reaches.get(target.id, target.promise_kind == "root"):
                    yield Finding(promise.source, ("supports", i), "no_root", {
                        "target": target.id, "where": ctx.where(target.source),
                        "kind": _KIND.get(target.promise_kind, target.promise_kind)})
            giver = target.giver
            if giver is None or giver.target is None or receiver is None \
                    or receiver.target is None or receiver.id == giver.id:
                continue
            yield Finding(promise.source, ("receiver",), "receiver", {
                "target": target.id, "expected": giver.id, "receiver": receiver.id})


_KIND = {"supporting": {"en": "supporting", "ru": "поддерживающее"},
         "general": {"en": "general", "ru": "общее"}}


def _is_root(ctx: LintContext, target: Promise) -> bool:
    """A root that :func:`_reaches_root` knows by its id (of promises sharing an id, the
    last one): it reaches a root, itself, so nothing needs computing."""
    return target.promise_kind == "root" and ctx.promise_by_id.get(target.id) is target


def _non_roots_supported(ctx: LintContext, supporting: list[Promise]) -> list[str]:
    """Ids of the supported promises that are not roots themselves (see :func:`_is_root`)."""
    return [ref.target.id for promise in supporting for ref in promise.supports
            if isinstance(ref.target, Promise) and not _is_root(ctx, ref.target)]


def _reaches_root(ctx: LintContext, asked: list[str]) -> dict[str, bool]:
    """For the ``asked`` promises of the supports graph, and all they lead to: is it a root,
    or does it reach one over ``supports``? (A promise outside this graph reaches a root iff
    it is one.)
    """
    promises = ctx.promise_by_id
    edges: dict[str, list[str]] = {}
    supported: set[str] = set()
    for promise in ctx.org.promises:
        for ref in promise.supports:
            if isinstance(ref.target, Promise) and promises.get(ref.target.id) is ref.target:
                edges.setdefault(promise.id, []).append(ref.target.id)
                supported.add(ref.target.id)
    reaches: dict[str, bool] = {}
    # Only from the asked promises of the graph: nothing else changes their answers.
    # Components come sinks first: everything a component points outside it is decided.
    starts = [node for node in asked if node in edges or node in supported]
    for component in strongly_connected(starts, edges):
        members = set(component)
        found = any(promises[n].promise_kind == "root" for n in component) or any(
            reaches.get(nxt, False) for n in component for nxt in edges.get(n, ())
            if nxt not in members)
        for node in component:
            reaches[node] = found
    return reaches



RULE = Rule(
    code="KK209",
    slug="supporting-promise-chain",
    severity=Severity.ERROR,
    profile="recommended",
    step=6,
    source="R-06",
    summary={"en": "A supporting promise leads to a root promise and goes to that "
                   "promise's giver.",
             "ru": "Поддерживающее обещание ведёт к корневому и даётся тому, кто даёт "
                   "поддерживаемое обещание."},
    messages={
        "no_supports": {
            "en": "a supporting promise helps keep a root promise, but this one names none; "
                  "add supports: [<the promise it helps keep>], or make it kind: general",
            "ru": "поддерживающее обещание помогает выполнить корневое, а у этого не указано "
                  "какое; добавьте supports: [<поддерживаемое обещание>] или сделайте его "
                  "общим (kind: general)",
        },
        "empty": {
            "en": "supports is empty; name the promise this one helps keep, or make it "
                  "kind: general",
            "ru": "список supports пуст; укажите обещание, которое это помогает выполнить, "
                  "или сделайте его общим (kind: general)",
        },
        "no_root": {
            "en": "'{target}' ({where}) is a {kind} promise that does not lead to any root "
                  "promise through supports, so this promise supports nothing the client "
                  "receives; point supports at the root promise it helps keep",
            "ru": "'{target}' ({where}) — {kind} обещание, которое через supports не "
                  "ведёт ни к одному корневому обещанию, так что это обещание ничего не даёт "
                  "клиенту; укажите в supports корневое обещание, которое оно помогает "
                  "выполнить",
        },
        "receiver": {
            "en": "this promise supports '{target}', which '{expected}' gives, so it is given "
                  "to '{expected}', not to '{receiver}'; set receiver: {expected}",
            "ru": "обещание поддерживает '{target}', которое даёт '{expected}', значит "
                  "получатель — '{expected}', а не '{receiver}'; укажите receiver: {expected}",
        },
    },
    check=check,
    passing=("""
promises:
  - id: p-design
    kind: supporting
    giver: concept
    receiver: shops
    supports: [p-fresh]
    text: Shelf labels show the production date in large print
    metrics: [m-labels]
    authorities: [a-communication]
  - id: p-routes-data
    kind: supporting
    giver: concept
    receiver: couriers
    supports: [p-couriers]
    text: Shop opening hours reach the couriers a week ahead
    metrics: [m-labels]
    authorities: [a-communication]
""",),
    failing=("""
promises:
  - id: p-design
    kind: supporting
    giver: concept
    receiver: shops
    text: Shelf labels show the production date in large print
    metrics: [m-labels]
    authorities: [a-communication]
""", """
promises:
  - id: p-design
    kind: supporting
    giver: concept
    receiver: shops
    supports: [p-council]
    text: Shelf labels show the production date in large print
    metrics: [m-labels]
    authorities: [a-communication]
""", """
promises:
  - id: p-design
    kind: supporting
    giver: concept
    receiver: council
    supports: [p-fresh]
    text: Shelf labels show the production date in large print
    metrics: [m-labels]
    authorities: [a-communication]
"""),
)
