"""The canvas in the report: Mermaid labels keep their characters as entity codes, the Mermaid
chart numbers its factors and draws the own offering first, and the SVG keeps every text inside
its viewBox."""

from __future__ import annotations

import math
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import EXAMPLES, write_tree
from kkctl.report.text import mermaid_label

SVG = "{http://www.w3.org/2000/svg}"
# Of the font size: this test's rough glyph width (the layout reserves more, per character, for
# the widest common font; tests/test_report_browser.py measures real glyphs).
CHAR_WIDTH = 0.6
_ROTATE = re.compile(r"rotate\(\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\)")


def test_mermaid_label_escapes_instead_of_deleting() -> None:
    assert mermaid_label('A & B — 5 ₽ at 20°, "x = y"') == (
        "A #38; B #8212; 5 #8381; at 20#176;, #quot;x #61; y#quot;")
    assert mermaid_label("a\x1b[31mb\u202ec\x07d\tе") == "a#91;31mbcd е"
    assert mermaid_label("#35; ;") == "#35;35#59; #59;"  # no entity of the user's own


def test_mermaid_label_limits_visible_length_without_cutting_an_entity() -> None:
    label = mermaid_label("—" * 100, 10)
    assert label == "#8212;" * 9 + "…"
    assert mermaid_label("x" * 100, 10) == "x" * 9 + "…"


def _text_box(text: ET.Element, font: float) -> list[tuple[float, float]]:
    """The corners of a text's estimated box, after its rotation."""
    x, y = float(text.get("x", 0)), float(text.get("y", 0))
    size = float(text.get("font-size", font))
    width = len("".join(text.itertext())) * size * CHAR_WIDTH
    anchor = text.get("text-anchor", "start")
    x0 = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    corners = [(x0, y - 0.8 * size), (x0 + width, y - 0.8 * size), (x0, y + 0.2 * size),
               (x0 + width, y + 0.2 * size)]
    match = _ROTATE.search(text.get("transform", ""))
    if match:
        angle, cx, cy = (float(g) for g in match.groups())
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        corners = [(cx + (px - cx) * cos - (py - cy) * sin, cy + (px - cx) * sin + (py - cy) * cos)
                   for px, py in corners]
    return corners


def _assert_texts_inside(svg_text: str) -> int:
    root = ET.fromstring(svg_text)
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    font = float(root.get("font-size", 12))
    texts = root.iter(f"{SVG}text")
    count = 0
    for text in texts:
        count += 1
        for px, py in _text_box(text, font):
            assert 0 <= px <= width and 0 <= py <= height, (
                f"{''.join(text.itertext())!r} reaches ({px:.0f}, {py:.0f}) "
                f"outside 0 0 {width} {height}")
    return count


@pytest.mark.parametrize("example", ["acme-consulting", "poleznaya-eda"])
def test_example_canvas_svgs_keep_their_text_inside(kkctl, tmp_path: Path, example: str) -> None:
    charts = tmp_path / "charts"
    run = kkctl("report", str(EXAMPLES / example), "--out", str(tmp_path / "R.md"),
                "--assets", str(charts))
    assert run.code == 0, run.err
    svgs = sorted(charts.glob("canvas-*.svg"))
    assert svgs
    for svg in svgs:
        assert _assert_texts_inside(svg.read_text(encoding="utf-8")) > 0


LONG = """
kkctl: 1
organisation: {{id: o, name: O, locale: en, key_value: v0}}
clients: [{{id: c, name: C, kind: external}}]
values:
{values}
canvases:
  - id: long
    factors:
{factors}
    offerings:
      - {{id: them, name: "{them}", scores: {{{scores}}}}}
      - {{id: us, self: true, name: "Us", scores: {{{scores}}}}}
"""


def _long_org(root: Path) -> Path:
    names = [f"{i} " + "Very long factor name with many words in it " * 2 for i in range(8)]
    names = [n[:60] for n in names]
    assert all(len(n) == 60 for n in names)
    values = "\n".join(f'  - {{id: v{i}, name: "{n}"}}' for i, n in enumerate(names))
    factors = "\n".join(f"      - {{value: v{i}}}" for i in range(8))
    scores = ", ".join(f"v{i}: {i % 6}" for i in range(8))
    return write_tree(root, {"kkctl.yaml": LONG.format(values=values, factors=factors,
                                                       scores=scores, them="T" * 60)})


def test_long_factor_names_stay_inside_the_svg(kkctl, tmp_path: Path) -> None:
    org = _long_org(tmp_path / "org")
    charts = tmp_path / "charts"
    run = kkctl("report", str(org), "--out", str(tmp_path / "R.md"), "--assets", str(charts))
    assert run.code == 0, run.err
    svg = (charts / "canvas-long.svg").read_text(encoding="utf-8")
    assert _assert_texts_inside(svg) >= 8 + 2


def test_mermaid_canvas_numbers_factors_and_draws_own_offering_first(kkctl,
                                                                    tmp_path: Path) -> None:
    org = _long_org(tmp_path / "org")
    run = kkctl("report", str(org))
    assert run.code == 0, run.err
    chart = re.search(r"```mermaid\n(---.*?xychart-beta.*?)```", run.out, re.DOTALL)
    assert chart, run.out
    block = chart.group(1)
    assert 'title "long"' in block
    assert 'x-axis ["1", "2", "3", "4", "5", "6", "7", "8"]' in block
    palette = re.search(r'plotColorPalette: "([^"]*)"', block)
    assert palette and palette.group(1).split(", ")[0] == "#1d4ed8"
    after = run.out[chart.end():]
    assert "| 1 | 0 Very long factor name" in after and "| 8 | 7 Very long" in after
    assert "1. **Us**, 2. " + "T" * 60 in after
