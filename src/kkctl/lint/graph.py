"""Graph algorithms for rules: iterative (no recursion limit), linear in nodes + edges."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def strongly_connected(nodes: Iterable[N], edges: Mapping[N, Iterable[N]]) -> list[list[N]]:
    """Tarjan's strongly connected components, each in discovery order; one pass.

    The depth-first walk keeps an iterator of each node's successors on its own stack, so a
    node's edges are looked at once and nothing is copied (it runs on every lint of 40,000
    promises)."""
    index: dict[N, int] = {}
    low: dict[N, int] = {}
    on_stack: set[N] = set()
    stack: list[N] = []
    components: list[list[N]] = []
    successors_of = edges.get
    for start in nodes:
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work: list[tuple[N, Iterator[N]]] = [(start, iter(successors_of(start, ())))]
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(successors_of(nxt, ()))))
                    break  # go down; this node's iterator resumes when the child is done
                if nxt in on_stack and index[nxt] < low[node]:
                    low[node] = index[nxt]
            else:
                work.pop()
                if work and low[node] < low[work[-1][0]]:
                    low[work[-1][0]] = low[node]
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component[::-1])
    return components


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
