"""The report's pictures, as a reader sees them: the Markdown rendered as GitHub does (cmark-gfm),
its Mermaid diagrams drawn by Mermaid 11 and its SVG charts opened, all in headless Chromium,
and every text measured: drawn at all, inside its chart, not on top of another, large enough.

One browser serves the whole module; each case runs the real CLI on a copy of its organisation.
Set KKCTL_BROWSER_SHOTS=DIR to keep a screenshot of every chart there, to look at.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from browser.boxes import Box, Chart, Quad, Text, problems
from conftest import EXAMPLES, REPO, write_tree

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

MERMAID_DIR = REPO / "tests" / "mermaid"
MERMAID_JS = MERMAID_DIR / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
COLLECT_JS = (Path(__file__).parent / "browser" / "collect.js").read_text(encoding="utf-8")
# Without the background-networking flags Chromium keeps opening connections that this closed
# network refuses. --headless is passed here, not through Playwright's headless=True, which in
# older Playwright releases asks for the "old" headless mode that Chromium 132+ no longer has.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
# The SVG files name only `sans-serif`, so each reader's system chooses the font: Arial or
# Helvetica on most, DejaVu Sans (about 15% wider) on many Linux desktops. The layout estimates
# text widths, so it must hold in the widest too (fonts-dejavu-core; .ci/run installs it).
WIDE_FONT = "DejaVu Sans"
SHOTS = os.environ.get("KKCTL_BROWSER_SHOTS")


def _chromium() -> str:
    """The browser binary: $KKCTL_CHROMIUM, else the first on PATH; skips when there is none."""
    named = os.environ.get("KKCTL_CHROMIUM")
    if named:
        found = shutil.which(named)
        if found is None:
            pytest.skip(f"KKCTL_CHROMIUM={named!r} is not an executable file")
        return found
    on_path = (shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome"))
    found = next((path for path in on_path if path), None)
    if found is None:
        pytest.skip("no Chromium: install Debian's chromium or set KKCTL_CHROMIUM to a "
                    "Chromium or Chrome binary")
    return found


def _mermaid_js() -> Path:
    """Mermaid's browser bundle; installed from the npm registry when absent (as
    tests/test_report.py does for its parser check), else the test skips."""
    if not MERMAID_JS.exists() and shutil.which("npm"):
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"],
                       cwd=MERMAID_DIR, capture_output=True, text=True, timeout=600)
    if not MERMAID_JS.exists():
        pytest.skip(f"Mermaid is not installed (no {MERMAID_JS}): run "
                    f"`npm install --no-audit --no-fund` in {MERMAID_DIR}")
    return MERMAID_JS


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for every case of the module (starting one takes a second)."""
    pytest.importorskip("cmarkgfm", reason="cmarkgfm (GitHub's Markdown) is not installed: "
                        "pip install -e '.[test]'")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: "
                                   "pip install -e '.[test]'")
    executable = _chromium()
    _mermaid_js()
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=False,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# --- the organisations and their reports ----------------------------------------------------

CASES = [("poleznaya-eda", "ru"), ("poleznaya-eda", "en"), ("acme-consulting", "en"),
         ("acme-consulting", "ru")]

LONG_TEXT = ("We answer every question a client asks within one working day, in writing, "
             "naming the person who will follow it through, the date of the next step and "
             "what the client can expect from us")
# Many factors with long names, long offering and team names, promise texts of 200 characters:
# what the examples do not have and a real organisation may.
STRESS = """
kkctl: 1
organisation: {{id: o, name: Stress Test Organisation, locale: en, key_value: v0}}
people: [{{id: ann, name: Ann}}]
clients: [{{id: c, name: Clients who need a long answer, kind: external}}]
values:
{values}
teams:
  - {{id: t1, name: Customer communication and after-sales care, leader: ann, members: [ann]}}
  - {{id: t2, name: Quality, leader: ann, members: [ann]}}
promises:
{promises}
canvases:
  - id: long
    client: c
    need: "{need}"
    factors:
{factors}
    offerings:
      - {{id: us, self: true, name: "Широкошумнейшие щеголихи", scores: {{{scores}}}}}
      - {{id: them, name: "The biggest competitor in the regional market", scores: {{{other}}}}}
      - {{id: diy, name: "Doing it yourself", scores: {{{third}}}}}
"""


def _stress_org(root: Path) -> Path:
    # The key factor (drawn bold, first, where the left margin must hold it) and the own
    # offering (bold in the legend) in Cyrillic without spaces: the widest text per character.
    names = ["1 Всеобъемлющая безотлагательность"] + [
        f"{i + 1} Very long factor name with many words {'in it ' * (i % 3)}".strip()
        for i in range(1, 12)]
    values = "\n".join(f'  - {{id: v{i}, name: "{n}"}}' for i, n in enumerate(names))
    factors = "\n".join(f"      - {{value: v{i}{', key: true' if i == 0 else ''}}}"
                        for i in range(12))
    promises = "\n".join(
        f"  - {{id: p{i}, kind: root, giver: t{1 + i % 2}, receiver: c, value: v{i}, "
        f'text: "{LONG_TEXT[:200]}"}}\n'
        f"  - {{id: s{i}, kind: supporting, giver: t2, receiver: t1, supports: [p{i}], "
        f'text: "Supporting: {LONG_TEXT[:150]}"}}' for i in range(4))
    scores = ", ".join(f"v{i}: {i % 6}" for i in range(12))
    other = ", ".join(f"v{i}: {5 - i % 6}" for i in range(12))
    third = ", ".join(f"v{i}: {(i * 2) % 6}" for i in range(12))
    text = STRESS.format(values=values, factors=factors, promises=promises, scores=scores,
                         other=other, third=third, need=LONG_TEXT[:160])
    return write_tree(root, {"kkctl.yaml": text})


def _report(kkctl: Any, source: Path, lang: str, out: Path) -> Path:
    """Run the real CLI: ``out/REPORT.md`` and its charts in ``out/assets``."""
    out.mkdir()
    run = kkctl("report", str(source), "--lang", lang, "--out", str(out / "REPORT.md"),
                "--assets", str(out / "assets"))
    assert run.code == 0, run.out + run.err
    return out


# --- measuring in the browser ---------------------------------------------------------------


def _measure(chromium: Browser, url: str, mode: str, name: str,
             font: str | None = None) -> dict[str, Any]:
    """What collect.js finds on the page at ``url`` (screenshots named ``name`` when asked)."""
    page = chromium.new_page(viewport=VIEWPORT, device_scale_factor=2 if SHOTS else 1)
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    try:
        page.goto(url, wait_until="load")
        result: dict[str, Any] = page.evaluate(COLLECT_JS, {"mode": mode, "font": font})
        if SHOTS:
            _screenshots(page, mode, name)
    finally:
        page.close()
    result["page_errors"] = errors
    return result


def _screenshots(page: Page, mode: str, name: str) -> None:
    folder = Path(SHOTS or ".")
    folder.mkdir(parents=True, exist_ok=True)
    if mode == "svg":  # full_page never finishes on an SVG document: shoot its element
        page.locator("svg").first.screenshot(path=str(folder / f"{name}.png"))
        return
    charts = page.locator("pre.mermaid").all()
    # An element taller than the viewport comes out shifted on a long page: make room first.
    tallest = max([(c.bounding_box() or {"height": 0})["height"] for c in charts] + [0])
    page.set_viewport_size({"width": VIEWPORT["width"],
                            "height": max(VIEWPORT["height"], math.ceil(tallest) + 40)})
    for i, chart in enumerate(charts, 1):
        chart.screenshot(path=str(folder / f"{name}-diagram-{i}.png"))


def _charts(chromium: Browser, out: Path, name: str) -> tuple[list[Chart], list[str]]:
    """Every chart of the report page and of each SVG file, and what else went wrong."""
    from browser.gfm import page  # here: it needs cmarkgfm, which the fixture checked

    html = out / "index.html"
    html.write_text(page((out / "REPORT.md").read_text(encoding="utf-8"), _mermaid_js()),
                    encoding="utf-8")
    found = _measure(chromium, html.as_uri(), "report", name)
    charts = [Chart.from_json(c) for c in found["charts"]]
    other = [f"page error: {e}" for e in found["page_errors"]]
    other += [f"image not loaded: {i['src']}" for i in found["images"] if not i["loaded"]]
    other += [f"link to a missing chart: {href}" for href in found["links"]
              if not (out / href).is_file()]
    for svg in sorted((out / "assets").glob("*.svg")):
        # Text inside an <img> cannot be measured: each SVG file is opened as its own page,
        # in the browser's sans-serif and in the widest common one.
        for font in (None, WIDE_FONT):
            shot = f"{name}-{svg.stem}" + (f"-{font.replace(' ', '-')}" if font else "")
            measured = _measure(chromium, svg.as_uri(), "svg", shot, font)
            charts += [Chart.from_json(c) for c in measured["charts"]]
            other += [f"{svg.name}: page error: {e}" for e in measured["page_errors"]]
    return charts, other


def _kinds(charts: list[Chart]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for chart in charts:
        counts[chart.kind or "?"] = counts.get(chart.kind or "?", 0) + 1
    return counts


def _assert_legible(charts: list[Chart], other: list[str]) -> None:
    found = other + [p for chart in charts for p in problems(chart)]
    assert not found, f"{len(found)} problems in the report's pictures:\n" + "\n".join(found)


@pytest.mark.slow
@pytest.mark.parametrize(("example", "lang"), CASES, ids=[f"{e}-{lang}" for e, lang in CASES])
def test_example_report_pictures_are_legible(chromium: Browser, kkctl: Any, tmp_path: Path,
                                             example: str, lang: str) -> None:
    source = shutil.copytree(EXAMPLES / example, tmp_path / example)
    out = _report(kkctl, source, lang, tmp_path / "out")
    charts, other = _charts(chromium, out, f"{example}-{lang}")
    kinds = _kinds(charts)
    # The canvas twice (Mermaid's chart, the SVG file) and the promise system at least once.
    assert kinds.get("xychart", 0) >= 1 and kinds.get("flowchart-v2", 0) >= 1, kinds
    assert kinds.get("svg", 0) == 2 * len(list((out / "assets").glob("*.svg"))) >= 2, kinds
    _assert_legible(charts, other)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_long_names_and_many_factors_stay_legible(chromium: Browser, kkctl: Any, tmp_path: Path,
                                                  lang: str) -> None:
    out = _report(kkctl, _stress_org(tmp_path / "org"), lang, tmp_path / "out")
    charts, other = _charts(chromium, out, f"stress-{lang}")
    assert _kinds(charts).keys() >= {"xychart", "flowchart-v2", "svg"}, _kinds(charts)
    _assert_legible(charts, other)


def test_promise_nodes_name_the_giver_team(kkctl: Any, tmp_path: Path) -> None:
    run = kkctl("report", str(_stress_org(tmp_path / "org")), "--lang", "en")
    assert run.code == 0, run.err
    nodes = re.findall(r'^\s+promise_\w+\["(.*)"\]', run.out, re.MULTILINE)
    assert nodes, run.out
    assert all(not n.startswith(("t1", "t2")) for n in nodes), nodes
    assert any("Customer communication" in n for n in nodes), nodes


# --- the judge itself can fail ----------------------------------------------------------------


def _chart(*texts: tuple[str, Quad]) -> Chart:
    return Chart("c", "svg", None, Box(0, 0, 200, 120), tuple(Text(t, "text", q) for t, q in texts))


def _turned(x: float, length: float, y: float = 20) -> Quad:
    """A factor label as the SVG draws it: 12 px high, ending at (x, y), turned 45° up."""
    c = math.sqrt(0.5)
    upright = [(x - length, y - 10), (x, y - 10), (x, y + 2), (x - length, y + 2)]
    a, b, d, e = ((x + (px - x) * c + (py - y) * c, y - (px - x) * c + (py - y) * c)
                  for px, py in upright)
    return Quad((a, b, d, e))


def _upright_around(quad: Quad) -> Quad:
    xs, ys = [x for x, _ in quad.corners], [y for _, y in quad.corners]
    return Quad.upright(min(xs), min(ys), max(xs), max(ys))


def test_judge_finds_overlap_outside_and_tiny_text_but_not_nested_labels() -> None:
    up = Quad.upright
    assert problems(_chart(("a", up(10, 10, 40, 22)), ("a", up(12, 11, 38, 21)))) == []
    assert problems(_chart(("a", up(10, 10, 40, 22)), ("b", up(41, 10, 70, 22)))) == []
    overlap = problems(_chart(("a", up(10, 10, 40, 22)), ("b", up(30, 12, 70, 24))))
    assert len(overlap) == 1 and "'a'" in overlap[0] and "'b'" in overlap[0]
    outside = problems(_chart(("far", up(190, 10, 220, 22))))
    assert len(outside) == 1 and "leaves the drawing" in outside[0]
    assert "too small" in problems(_chart(("x", up(10, 10, 20, 15))))[0]
    broken = Chart("d", None, "Syntax error in text", None, ())
    assert problems(broken) == ["d: not rendered: Syntax error in text"]


def test_judge_measures_turned_labels_by_their_own_rectangles() -> None:
    # 40 px apart, two turned 80 px labels are 28 px apart across: clear of each other, though
    # the upright squares around them overlap; 12 px apart they collide.
    first, second, close = _turned(100, 80), _turned(140, 80), _turned(112, 80)
    assert _upright_around(first).depth(_upright_around(second)) > 20
    assert problems(_chart(("a", first), ("b", second))) == []
    assert "overlap" in problems(_chart(("a", first), ("b", close)))[0]
