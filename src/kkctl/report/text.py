"""Text for the report: Mermaid labels, numbers, money and dates per language."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TypeVar

from kkctl.markup import INVISIBLE

T = TypeVar("T")

_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_MERMAID_UNSAFE = re.compile(r"[^\w\s.,:!?()«»'’/+%№…-]")

def mermaid_label(text: object, limit: int = 60) -> str:
    """A user string safe inside a quoted Mermaid label.

    ESC, bidi overrides and other control characters are removed (line breaks and tabs become
    one space); any character outside a plain set (quotes, brackets, ``#``, ``;``, ``&``, ``—``,
    ``₽``, ``°`` ...) is kept as a Mermaid entity code (``#quot;``, ``#8212;``), so no quote,
    bracket or raw entity syntax reaches Mermaid. ``limit`` counts visible characters; an
    entity code is never cut.
    """
    value = _INVISIBLE.sub("", str(text))  # ESC, bidi overrides: gone, not just spaced out
    value = " ".join(value.split())
    if len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return _MERMAID_UNSAFE.sub(_entity, value)


def _entity(match: re.Match[str]) -> str:
    char = match.group()
    return "#quot;" if char == '"' else f"#{ord(char)};"


def mermaid_id(kind: str, ident: str) -> str:
    """A node id that no two entity ids share: ``p-a`` and ``p_a`` stay apart."""
    escaped = re.sub(r"[^A-Za-z0-9]", lambda m: f"_{ord(m.group()):x}_", ident)
    return f"{kind}_{escaped}"

SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[Decimal]) -> str:
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARKS[3] * len(values)
    span = high - low
    return "".join(SPARKS[int((v - low) / span * (len(SPARKS) - 1))] for v in values)


def depth_first(roots: Sequence[T], children: Callable[[T], Sequence[T]],
                key: Callable[[T], str], limit: int | None = None) -> list[tuple[T, int]]:
    """``(item, depth)``, each item followed by its children; iterative, each item once, so a
    cycle (lint reports it) is cut instead of recursing forever; the first ``limit`` only."""
    ordered: list[tuple[T, int]] = []
    seen: set[str] = set()
    stack = [(item, 0) for item in reversed(roots)]
    while stack and (limit is None or len(ordered) < limit):
        item, depth = stack.pop()
        if key(item) in seen:
            continue
        seen.add(key(item))
        ordered.append((item, depth))
        stack.extend((child, depth + 1) for child in reversed(children(item)))
    return ordered
