"""Judge what collect.js measured: every text inside its chart, no two texts on top of each
other, no text too small to read once the chart is shrunk to the page.

A text is a quadrilateral (its box carried through its transform), so a label turned by 45
degrees is judged by the thin rectangle it covers, not by the square around it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations
from typing import Any

INSIDE_TOLERANCE = 1.0  # px a text may reach past its drawing (anti-aliasing, rounding)
OVERLAP_TOLERANCE = 2.0  # px two texts may cut into each other (their line boxes' padding)
CONTAIN_TOLERANCE = 0.5  # px: a <tspan> inside its <text> is one label, not two
MIN_TEXT_HEIGHT = 9.0  # px of a text's line box as shown (about a 7.5 px font): unreadable below

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """An upright rectangle of the page: a chart's drawing area."""

    left: float
    top: float
    right: float
    bottom: float

    def __str__(self) -> str:
        return f"({self.left:.1f}, {self.top:.1f})–({self.right:.1f}, {self.bottom:.1f})"

    def holds(self, point: Point, tolerance: float) -> bool:
        x, y = point
        return (self.left - tolerance <= x <= self.right + tolerance
                and self.top - tolerance <= y <= self.bottom + tolerance)


@dataclass(frozen=True)
class Quad:
    """A text's rectangle on the page, maybe turned: corners clockwise from its top left."""

    corners: tuple[Point, Point, Point, Point]

    @classmethod
    def upright(cls, left: float, top: float, right: float, bottom: float) -> Quad:
        return cls(((left, top), (right, top), (right, bottom), (left, bottom)))

    @property
    def width(self) -> float:
        return math.dist(self.corners[0], self.corners[1])

    @property
    def height(self) -> float:
        return math.dist(self.corners[0], self.corners[3])

    def _axes(self) -> list[Point]:
        """The unit normals of two adjacent sides: a rectangle's separating axes."""
        out = []
        for a, b in ((self.corners[0], self.corners[1]), (self.corners[1], self.corners[2])):
            length = math.dist(a, b) or 1.0
            out.append(((b[0] - a[0]) / length, (b[1] - a[1]) / length))
        return out

    def _span(self, axis: Point) -> tuple[float, float]:
        dots = [x * axis[0] + y * axis[1] for x, y in self.corners]
        return min(dots), max(dots)

    def depth(self, other: Quad) -> float:
        """How far the two cut into each other (negative: apart by that much): the smallest
        overlap of their projections over all separating axes."""
        depths = []
        for axis in (*self._axes(), *other._axes()):
            (a0, a1), (b0, b1) = self._span(axis), other._span(axis)
            depths.append(min(a1, b1) - max(a0, b0))
        return min(depths)

    def within(self, other: Quad, tolerance: float) -> bool:
        for axis in other._axes():
            (a0, a1), (b0, b1) = self._span(axis), other._span(axis)
            if a0 < b0 - tolerance or a1 > b1 + tolerance:
                return False
        return True

    def __str__(self) -> str:
        x, y = self.corners[0]
        turn = math.degrees(math.atan2(self.corners[1][1] - y, self.corners[1][0] - x))
        turned = f", turned {turn:.0f}°" if abs(turn) > 0.5 else ""
        return f"({x:.1f}, {y:.1f}) {self.width:.1f}×{self.height:.1f}{turned}"


@dataclass(frozen=True)
class Text:
    text: str
    tag: str
    quad: Quad

    def __str__(self) -> str:
        shown = self.text if len(self.text) <= 60 else self.text[:59] + "…"
        return f"<{self.tag}> {shown!r} at {self.quad}"


@dataclass(frozen=True)
class Chart:
    name: str
    kind: str | None
    error: str | None
    root: Box | None
    texts: tuple[Text, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Chart:
        root = Box(*data["root"]) if data["root"] else None
        texts = tuple(Text(t["text"], t["tag"], _quad(t["quad"])) for t in data["texts"])
        return cls(data["name"], data["kind"], data["error"], root, texts)


def _quad(points: list[list[float]]) -> Quad:
    a, b, c, d = ((float(x), float(y)) for x, y in points)
    return Quad((a, b, c, d))


def problems(chart: Chart) -> list[str]:
    """Every defect of one chart, each a sentence a reader can act on."""
    if chart.error or chart.root is None:
        return [f"{chart.name}: not rendered: {chart.error}"]
    if not chart.texts:
        return [f"{chart.name}: no text found in the drawing"]
    return [f"{chart.name} ({chart.kind}): {p}"
            for p in (*_outside(chart.root, chart.texts), *_overlapping(chart.texts),
                      *_tiny(chart.texts))]


def _outside(root: Box, texts: tuple[Text, ...]) -> list[str]:
    return [f"text leaves the drawing {root}: {t}" for t in texts
            if not all(root.holds(corner, INSIDE_TOLERANCE) for corner in t.quad.corners)]


def _overlapping(texts: tuple[Text, ...]) -> list[str]:
    found = []
    for a, b in combinations(texts, 2):
        if a.quad.within(b.quad, CONTAIN_TOLERANCE) or b.quad.within(a.quad, CONTAIN_TOLERANCE):
            continue  # one label's nested elements (<text> and its <tspan>)
        depth = a.quad.depth(b.quad)
        if depth > OVERLAP_TOLERANCE:
            found.append(f"texts overlap by {depth:.1f} px: {a} and {b}")
    return found


def _tiny(texts: tuple[Text, ...]) -> list[str]:
    # A line box's height follows the font's size once the chart is scaled to the page; a
    # label of several lines is only taller, so this never passes a small font.
    return [f"text is {t.quad.height:.1f} px high as shown, too small to read: {t}"
            for t in texts if t.quad.height < MIN_TEXT_HEIGHT]
