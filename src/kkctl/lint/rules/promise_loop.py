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
message shows the chain. The simplest loop of all, a promise whose ``giver`` is its
``receiver``, is reported at its ``receiver``: a promise is a result «отделимый от исполнителя»
(separable from the one who keeps it, guide «О клиентократии», glossary «Обещание»), so
nobody can promise something to themselves; such a promise is not reported again as one its
receiver must promise back for.

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
ответ: сообщение показывает эту цепочку. Самая простая петля — обещание, у которого ``giver``
совпадает с ``receiver``, — отмечается у его ``receiver``: обещание — это результат «отделимый
от исполнителя» (руководство «О клиентократии», глоссарий, «Обещание»), поэтому пообещать
что-то самому себе нельзя; как обещание, за которое получателю приходится обещать в ответ, оно
уже не отмечается.

Исправление: добавьте одному из обещаний петли ``condition:`` («если документы поступят до 5-го
числа»), чтобы оно больше не зависело от другого.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    promises = ctx.promise_by_id
    edges = _dependencies(ctx)
    # Only promises with dependencies start a walk (in file order, which fixes each cycle's
    # first step); those they depend on are reached from them. The rest take no part.
    components = strongly_connected((p for p in promises if p in edges), edges)
    to_themselves = _to_themselves(ctx)
    for promise in to_themselves:
        yield Finding(promise.source, ("receiver",), "self", {"giver": _giver(promise)})
    # reported once, as such: not again as a promise its receiver must promise back for
    in_cycles = {promise.id for promise in to_themselves}
    for component in components:
        if len(component) > 1 or component[0] in edges.get(component[0], ()):
            in_cycles.update(component)
            cycle = cycle_in(component, edges)
            steps = " → ".join(_step(ctx, promises[p]) for p in cycle[:-1])
            yield Finding(promises[cycle[0]].source, (), "cycle",
                          {"cycle": f"{steps} → {cycle[0]}"})
    yield from _receiver_loops(ctx, promises, edges, components, in_cycles)


def _to_themselves(ctx: LintContext) -> list[Promise]:
    """Promises whose giver is their receiver, in file order."""
    found = []
    for promise in ctx.org.promises:
        giver, receiver = promise.giver, promise.receiver
        if giver is not None and receiver is not None and giver.id == receiver.id:
            found.append(promise)
    return found


def _dependencies(ctx: LintContext) -> dict[str, list[str]]:
    """``P -> [Q...]``: P cannot be kept unless Q is; conditional promises take no part."""
    edges: dict[str, list[str]] = {}
    for promise in ctx.org.promises:
        if promise.condition is not None:  # conditional (Promise.conditional, inlined: hot)
            continue
        if not promise.requires and not promise.supports:  # most: no iterators to build
            continue
        for ref in promise.requires:
            target = ref.target
            if isinstance(target, Promise) and target.condition is None:
                _append(edges, promise.id, target.id)
        for ref in promise.supports:
            target = ref.target
            if isinstance(target, Promise) and target.condition is None:
                _append(edges, target.id, promise.id)
    return edges


def _append(table: dict[str, list[str]], key: str, value: str) -> None:
    values = table.get(key)
    if values is None:  # not setdefault(key, []): that builds a list every time
        table[key] = [value]
    else:
        values.append(value)


def _receiver_loops(ctx: LintContext, promises: dict[str, Promise],
                    edges: dict[str, list[str]], components: list[list[str]],
                    in_cycles: set[str]) -> Iterator[Finding]:
    """A promise to B that depends on one of B's own promises (cycles are reported above).
    Only such a loop pays for a breadth-first search, O(N + M), to print the chain."""
    for node in _loops_to_receivers(promises, edges, components, in_cycles):
        promise = promises[node]
        receiver = _receiver(promise)
        chain = _path_to_giver(node, receiver, promises, edges) if receiver is not None else None
        if chain is not None:
            steps = " → ".join(_step(ctx, promises[p]) for p in chain)
            yield Finding(promise.source, ("receiver",), "receiver_loop",
                          {"receiver": receiver, "chain": steps, "other": chain[-1]})


BATCH_BITS = 4096  # receivers followed per pass: integers of at most 512 bytes


def _loops_to_receivers(promises: dict[str, Promise], edges: dict[str, list[str]],
                        components: list[list[str]], in_cycles: set[str]) -> list[str]:
    """Promises outside cycles that depend, through any chain, on a promise their receiver
    gives; in the order of ``components``.

    Deciding this for every promise is as hard as finding a triangle in a graph, so no
    linear algorithm is known. This one is linear on what organisations look like, and
    bounded by a quadratic divided by BATCH_BITS on what an attacker can write (N promises,
    M dependencies):

    * a candidate is a promise outside cycles, with dependencies, to a receiver that gives a
      promise something depends on; with none (the usual case) it is O(N + M) and done;
    * ``components`` are in topological order, sinks first: a promise depends only on
      promises at lower positions. So receiver R can close a loop only if the lowest
      position of a promise R gives is below the highest position of a promise R receives;
      only such receivers are followed. Along a chain of promises to different givers none
      is, unless it loops;
    * the K receivers left are followed BATCH_BITS at a time, sorted by that lowest
      position: one pass over the components from the batch's lowest position to its
      highest gives each component the batch's givers it depends on, as an integer bitset.
      A pass is O(N + M) steps on integers of at most BATCH_BITS bits, so the whole is
      O((N + M) * (1 + K / BATCH_BITS)) steps (40,000 promises: at most 10 passes) and
      O(N * BATCH_BITS / 8) bytes. A pass spans only its receivers' positions, so receivers
      whose ranges do not overlap cost O(N + M) in all.

    (The sets of givers this replaces grew along a chain: O(N²) time and memory.)
    """
    candidates = _candidates(promises, edges, in_cycles)
    if not candidates:
        return []
    position = {node: i for i, component in enumerate(components) for node in component}
    lowest_given: dict[str, int] = {}  # receiver -> lowest position of a promise it gives
    for node, i in position.items():  # positions ascending: the first one found is lowest
        giver = _giver(promises[node])
        if giver in candidates and giver not in lowest_given:
            lowest_given[giver] = i
    ranges: dict[str, tuple[int, int]] = {}  # receiver -> (lowest given, highest received)
    for receiver, received in candidates.items():
        low = lowest_given.get(receiver)
        high = max(position[node] for node in received)
        if low is not None and low < high:
            ranges[receiver] = (low, high)
    followed = sorted(ranges, key=lambda r: ranges[r][0])
    looping: list[str] = []
    for first in range(0, len(followed), BATCH_BITS):
        batch = {receiver: 1 << bit
                 for bit, receiver in enumerate(followed[first:first + BATCH_BITS])}
        asking = {node: bit for receiver, bit in batch.items()
                  for node in candidates[receiver] if position[node] > ranges[receiver][0]}
        low = min(ranges[r][0] for r in batch)
        high = max(ranges[r][1] for r in batch)
        looping += _one_pass(promises, edges, components, position, (low, high), batch, asking)
    return sorted(looping, key=position.__getitem__)


def _candidates(promises: dict[str, Promise], edges: dict[str, list[str]],
                in_cycles: set[str]) -> dict[str, list[str]]:
    """``receiver -> [promise...]``: promises outside cycles, with dependencies, to a
    receiver that gives a promise some promise depends on (a loop needs all three)."""
    found: dict[str, list[str]] = {}
    for node in edges:
        promise = promises[node]
        receiver = _receiver(promise)
        if receiver is not None and node not in in_cycles and promise.condition is None:
            _append(found, receiver, node)
    if not found:
        return found
    giving: set[str] = set()  # receivers that give a promise something depends on
    for successors in edges.values():
        for node in successors:
            giver = _giver(promises[node])
            if giver is not None and giver in found:
                giving.add(giver)
    return {receiver: nodes for receiver, nodes in found.items() if receiver in giving}


def _one_pass(promises: dict[str, Promise], edges: dict[str, list[str]],
              components: list[list[str]], position: dict[str, int], span: tuple[int, int],
              batch: dict[str, int], asking: dict[str, int]) -> list[str]:
    """Components ``low..high`` upwards; ``reach[i - low]``: the batch's givers (bits) of
    the promises component i consists of or depends on. Below ``low`` nobody in the batch
    gives anything: those components count as 0. ``asking``: promise -> its receiver's
    bit; the promises whose bit is among the givers they depend on are returned."""
    low, high = span
    reach = [0] * (high - low + 1)
    looping = []
    for i in range(low, high + 1):
        below = 0  # givers of what the component depends on, outside itself
        own = 0
        for node in components[i]:
            giver = _giver(promises[node])
            if giver is not None:
                own |= batch.get(giver, 0)
            for nxt in edges.get(node, ()):
                j = position[nxt]
                if low <= j < i:
                    below |= reach[j - low]
        bit = asking.get(components[i][0])
        if bit is not None and below & bit:
            looping.append(components[i][0])
        reach[i - low] = own | below
    return looping


def _giver(promise: Promise) -> str | None:
    return promise.giver.id if promise.giver is not None else None


def _receiver(promise: Promise) -> str | None:
    return promise.receiver.id if promise.receiver is not None else None


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
    step=0,
    source="R-01",
    summary={"en": "Promises must not form a loop, nor make the receiver promise back.",
             "ru": "Обещания не должны образовывать петлю или требовать встречного обещания."},
    messages={
        "self": {
            "en": "'{giver}' gives this promise to itself: a promise is a result separable "
                  "from the one who keeps it and observed from outside; name as receiver the "
                  "team, person or client who gets the result",
            "ru": "'{giver}' даёт это обещание самому себе: обещание — результат, отделимый от "
                  "исполнителя и наблюдаемый со стороны; укажите в receiver команду, сотрудника "
                  "или клиента, который получает результат",
        },
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
""", """
promises:
  - id: p-council
    kind: general
    giver: council
    receiver: council
    text: The council answers a team's request within a week
    metrics: [m-answer-days]
    authorities: [a-council-answers]
"""),
)
