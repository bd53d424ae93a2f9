"""No loops in promises.

A promise must not depend, directly or through other promises, on itself; and the one who
receives a promise must not have to promise something back for it to be kept. Such a loop
turns a promise into a deal ("I will if you will"): nobody can keep their side first.

Source (R-01, guide «О клиентократии», glossary): «Петля в обещаниях – ситуация, когда тот,
кому дают обещание, должен тоже что-то пообещать кому бы то ни было для его выполнения …
Петли в обещаниях делать не допускается, в таких случаях следует переформулировать обещание в
условное». Meaning: a loop is when the receiver must also promise something for the promise to
be kept; loops are not allowed; reformulate the promise as a conditional one.

How it is checked: promise P depends on Q when P ``requires`` Q or Q ``supports`` P. Conditional
promises (with a ``condition:``) create no dependency. One pass of Tarjan's algorithm finds
every cycle; the message prints the whole cycle with each step's position. Separately, when a
promise to B depends (through any chain) on a promise that B gives, B must promise back: the
message shows the chain.

Fix: give one promise of the loop a ``condition:`` ("if the documents arrive by the 5th") so it
no longer depends on the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.graph import cycle_in, strongly_connected
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Promise

DOC_RU = """В обещаниях нет петель.

Обещание не должно зависеть от самого себя — ни напрямую, ни через другие обещания; и тому, кому
дают обещание, не должно быть нужно что-то пообещать в ответ, чтобы оно было выполнено. Такая
петля превращает обещание в сделку («сделаю, если сделаешь ты»): никто не может первым выполнить
свою часть.

Источник (R-01, руководство «О клиентократии», глоссарий): «Петля в обещаниях – ситуация, когда
тот, кому дают обещание, должен тоже что-то пообещать кому бы то ни было для его выполнения …
Петли в обещаниях делать не допускается, в таких случаях следует переформулировать обещание в
условное». Смысл: петля — это когда получатель тоже должен что-то пообещать, чтобы обещание было
выполнено; петли не допускаются; обещание нужно переформулировать в условное.

Как проверяется: обещание P зависит от Q, если P ``requires`` Q или Q ``supports`` P. Условные
обещания (с ``condition:``) зависимостей не создают. Один проход алгоритма Тарьяна находит все
циклы; сообщение выводит цикл целиком, с позицией каждого шага. Кроме того, если обещание для B
зависит (через любую цепочку) от обещания, которое даёт сам B, то B приходится обещать что-то в
ответ: сообщение показывает эту цепочку.

Исправление: добавьте одному из обещаний петли ``condition:`` («если документы поступят до 5-го
числа»), чтобы оно больше не зависело от другого.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    promises = {p.id: p for p in ctx.org.promises}
    edges = _dependencies(ctx)
    components = strongly_connected(promises, edges)
    for component in components:
        if len(component) > 1 or component[0] in edges.get(component[0], ()):
            cycle = cycle_in(component, edges)
            steps = " → ".join(_step(ctx, promises[p]) for p in cycle[:-1])
            yield Finding(promises[cycle[0]].source, (), "cycle",
                          {"cycle": f"{steps} → {cycle[0]}"})
    yield from _receiver_loops(ctx, promises, edges, components)


def _dependencies(ctx: LintContext) -> dict[str, list[str]]:
    """``P -> [Q...]``: P cannot be kept unless Q is; conditional promises take no part."""
    edges: dict[str, list[str]] = {}
    for promise in ctx.org.promises:
        if promise.conditional:
            continue
        for ref in promise.requires:
            target = ref.target
            if isinstance(target, Promise) and not target.conditional:
                edges.setdefault(promise.id, []).append(target.id)
        for ref in promise.supports:
            target = ref.target
            if isinstance(target, Promise) and not target.conditional:
                edges.setdefault(target.id, []).append(promise.id)
    return edges


def _receiver_loops(ctx: LintContext, promises: dict[str, Promise],
                    edges: dict[str, list[str]], components: list[list[str]]
                    ) -> Iterator[Finding]:
    """A promise to B that depends on one of B's own promises (cycles are reported above).

    Tarjan yields components sinks first, so one pass gathers, for every promise, the givers
    of everything it depends on; only a hit pays for a search, to print the chain.
    """
    component_of = {node: i for i, component in enumerate(components) for node in component}
    reach: list[frozenset[str]] = []  # givers of a component's promises and all they need
    for i, component in enumerate(components):
        needed: set[str] = set()
        for node in component:
            for nxt in edges.get(node, ()):
                if component_of[nxt] != i:
                    needed |= reach[component_of[nxt]]
        givers = (promises[n].giver for n in component)
        own = {giver.id for giver in givers if giver is not None}
        reach.append(frozenset(needed | own))
        if len(component) > 1 or component[0] in edges.get(component[0], ()):
            continue  # a cycle: already reported
        promise = promises[component[0]]
        if promise.conditional or promise.receiver is None:
            continue
        receiver = promise.receiver.id
        if receiver not in needed:
            continue
        chain = _path_to_giver(promise.id, receiver, promises, edges)
        if chain is not None:
            steps = " → ".join(_step(ctx, promises[p]) for p in chain)
            yield Finding(promise.source, ("receiver",), "receiver_loop",
                          {"receiver": receiver, "chain": steps, "other": chain[-1]})


def _path_to_giver(start: str, giver: str, promises: dict[str, Promise],
                   edges: dict[str, list[str]]) -> list[str] | None:
    """Breadth-first over dependencies; ``[start, ..., q]`` where q is given by ``giver``."""
    parent: dict[str, str] = {}
    queue = [start]
    seen = {start}
    for node in queue:
        for nxt in edges.get(node, ()):
            if nxt in seen:
                continue
            seen.add(nxt)
            parent[nxt] = node
            found = promises[nxt].giver
            if found is not None and found.id == giver:
                path = [nxt]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return path[::-1]
            queue.append(nxt)
    return None


def _step(ctx: LintContext, promise: Promise) -> str:
    return f"{promise.id} ({ctx.where(promise.source)})"


RULE = Rule(
    code="KK201",
    slug="promise-loop",
    severity=Severity.ERROR,
    profile="minimal",
    source="R-01",
    summary={"en": "Promises must not form a loop, nor make the receiver promise back.",
             "ru": "Обещания не должны образовывать петлю или требовать встречного обещания."},
    messages={
        "cycle": {
            "en": "promise loop: {cycle}; make one of them conditional (condition: …) so it "
                  "no longer depends on the other",
            "ru": "петля в обещаниях: {cycle}; переформулируйте одно из них в условное "
                  "(condition: …), чтобы оно перестало зависеть от другого",
        },
        "receiver_loop": {
            "en": "'{receiver}' receives this promise but must itself keep '{other}' for it: "
                  "{chain}; reformulate this promise as conditional (condition: …)",
            "ru": "'{receiver}' получает это обещание, но сам должен выполнить '{other}': "
                  "{chain}; переформулируйте обещание в условное (condition: …)",
        },
    },
    check=check,
    passing=("""
promises:
  - id: pay-on-time
    kind: general
    giver: shops
    receiver: concept
    text: We pay every invoice the day it arrives
    condition: if the invoice comes with its documents
    requires: [send-docs]
    metrics: [m-fresh-sales]
    authorities: [a-assortment]
  - id: send-docs
    kind: general
    giver: concept
    receiver: shops
    text: Documents come with every invoice
    metrics: [m-customers]
    authorities: [a-pricing]
""",),
    failing=("""
promises:
  - id: pay-on-time
    kind: general
    giver: shops
    receiver: concept
    text: We pay every invoice the day it arrives
    requires: [send-docs]
    metrics: [m-fresh-sales]
    authorities: [a-assortment]
  - id: send-docs
    kind: general
    giver: concept
    receiver: shops
    text: Documents come with every invoice
    requires: [pay-on-time]
    metrics: [m-customers]
    authorities: [a-pricing]
""", """
promises:
  - id: pay-on-time
    kind: general
    giver: shops
    receiver: concept
    text: We pay every invoice the day it arrives
    requires: [send-docs]
    metrics: [m-fresh-sales]
    authorities: [a-assortment]
  - id: send-docs
    kind: general
    giver: concept
    receiver: shops
    text: Documents come with every invoice
    metrics: [m-customers]
    authorities: [a-pricing]
"""),
)
