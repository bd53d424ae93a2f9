"""Graph algorithms for rules: iterative (no recursion limit), linear in nodes + edges."""

from __future__ import annotations

import sys
from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def strongly_connected(nodes: Iterable[N], edges: Mapping[N, Iterable[N]]) -> list[list[N]]:
    """Tarjan's strongly connected components, each in discovery order; one pass.

    The depth-first walk keeps an iterator of each node's successors on its own stack, so a
    node's edges are looked at once and nothing is copied (it runs on every lint of 40,000
    promises). A node without successors, most of them, is its own component at once.
    Components come sinks first: when one is complete, all it points to came before it.
    """
    done = sys.maxsize  # the number of a node whose component is complete: never lowers one
    number: dict[N, int] = {}  # order of discovery; ``done`` once off the stack
    low: dict[N, int] = {}
    stack: list[N] = []
    components: list[list[N]] = []
    successors_of = edges.get
    counter = 0
    for start in nodes:
        if start in number:
            continue
        if not successors_of(start):
            number[start] = done
            components.append([start])
            continue
        number[start] = low[start] = counter = counter + 1
        stack.append(start)
        work: list[tuple[N, Iterator[N]]] = [(start, iter(successors_of(start, ())))]
        while work:
            node, successors = work[-1]
            for nxt in successors:
                seen = number.get(nxt)
                if seen is None:
                    if not successors_of(nxt):  # a sink: done at once, as the walk would be
                        number[nxt] = done
                        components.append([nxt])
                        continue
                    number[nxt] = low[nxt] = counter = counter + 1
                    stack.append(nxt)
                    work.append((nxt, iter(successors_of(nxt, ()))))
                    break  # go down; this node's iterator resumes when the child is done
                if seen < low[node]:  # on the stack: ``node`` reaches back to it
                    low[node] = seen
            else:
                work.pop()
                if work and low[node] < low[work[-1][0]]:
                    low[work[-1][0]] = low[node]
                if low[node] == number[node]:
                    components.append(_pop_component(stack, node, number, done))
    return components


def _pop_component(stack: list[N], root: N, number: dict[N, int], done: int) -> list[N]:
    """The stack's nodes down to ``root``, in discovery order, marked done."""
    component: list[N] = []
    while True:
        member = stack.pop()
        number[member] = done
        component.append(member)
        if member == root:
            component.reverse()
            return component


def cycle_in(component: list[N], edges: Mapping[N, Iterable[N]]) -> list[N]:
    """One cycle through the component's first node: ``[a, b, ..., a]``."""
    members = set(component)
    start = component[0]
    parent: dict[N, N] = {}
    queue = [start]
    seen = {start}
    for node in queue:  # breadth first: the shortest way back to start
        for nxt in edges.get(node, ()):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return [start, *reversed(path[:-1]), start] if len(path) > 1 else [start, start]
            if nxt in members and nxt not in seen:
                seen.add(nxt)
                parent[nxt] = node
                queue.append(nxt)
    return [start, start]
