"""`kkctl report`: committed reports stay current, hostile names stay inert, diagrams stay
within Mermaid's limits, custom blocks survive, user templates stay in their sandbox."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import EXAMPLES, REPO, write_tree

MERMAID = re.compile(r"```mermaid\n(.*?)```", re.DOTALL)


@pytest.mark.parametrize(("example", "lang"), [("poleznaya-eda", "ru"), ("acme-consulting", "en")])
def test_committed_example_reports_are_current(kkctl, example: str, lang: str) -> None:
    folder = EXAMPLES / example
    run = kkctl("report", str(folder), "--lang", lang, "--out", str(folder / "REPORT.md"),
                "--check")
    assert run.code == 0, run.out + run.err


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    target = tmp_path / "acme"
    shutil.copytree(EXAMPLES / "acme-consulting", target)
    return target


def test_check_reports_a_stale_file_with_a_diff(kkctl, example_copy: Path) -> None:
    report = example_copy / "REPORT.md"
    report.write_text(report.read_text().replace("Measured savings", "Old name", 1))
    run = kkctl("report", str(example_copy), "--out", str(report), "--check")
    assert run.code == 1
    assert "-- **Key value:** Old name" in run.out
    assert "+- **Key value:** Measured savings" in run.out
    assert "out of date" in run.err


def test_check_needs_out(kkctl, example_copy: Path) -> None:
    assert kkctl("report", str(example_copy), "--check").code == 2


def test_same_input_same_bytes_and_custom_blocks_survive(kkctl, example_copy: Path) -> None:
    out = example_copy / "REPORT.md"
    first = kkctl("report", str(example_copy)).out
    assert kkctl("report", str(example_copy)).out == first
    text = out.read_text().replace("<!-- kkctl:custom:notes -->\n",
                                   "<!-- kkctl:custom:notes -->\nDecided: hire two engineers.\n")
    text = text.replace("<!-- kkctl:custom:summary -->\n",
                        "<!-- kkctl:custom:summary -->\nA calm quarter.\n")
    out.write_text(text)
    (example_copy / "org" / "people.yaml").write_text(
        (example_copy / "org" / "people.yaml").read_text().replace("Maria Keller", "Maria K."))
    assert kkctl("report", str(example_copy), "--out", str(out)).code == 0
    regenerated = out.read_text()
    assert "Maria K." in regenerated
    assert "<!-- kkctl:custom:notes -->\nDecided: hire two engineers.\n<!-- kkctl:end -->" \
        in regenerated
    assert "<!-- kkctl:custom:summary -->\nA calm quarter.\n<!-- kkctl:end -->" in regenerated
    assert kkctl("report", str(example_copy), "--out", str(out), "--check").code == 0


HOSTILE = """
kkctl: 1
organisation: {id: evil, name: "Evil <script>alert(1)</script> | co", locale: en,
               key_value: v}
people:
  - {id: ann, name: "Ann `rm -rf` | *bold* [link](javascript:x)"}
clients: [{id: c, name: "Client\\"]; click x call alert()", kind: external}]
values: [{id: v, name: "Value\\"])-->x[\\"pwn"}]
teams: [{id: t, name: "<img src=x onerror=alert(1)>", leader: ann, members: [ann]}]
promises:
  - {id: p, kind: root, giver: t, receiver: c, value: v,
     text: "Line one\\nline two | with pipe ```mermaid", metrics: [m], authorities: [a]}
metrics: [{id: m, name: "M", unit: "%"}]
authorities: [{id: a, scope: "scope | <b>", holder: t}]
canvases:
  - id: cv
    factors: [{value: v, key: true}]
    offerings: [{id: us, self: true, name: "Us\\"]", scores: {v: 5}}]
"""


def test_hostile_names_are_escaped(kkctl, tmp_path: Path) -> None:
    write_tree(tmp_path, {"kkctl.yaml": HOSTILE})
    run = kkctl("report", str(tmp_path))
    assert run.code == 0, run.err
    text = run.out
    assert "<script>" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;" in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "\\[link\\](javascript&#58;x)" in text and "\\`rm -rf\\`" in text
    for line in text.splitlines():
        if line.startswith("|"):  # every table row keeps its shape: escaped pipes only
            assert "Line one" not in line or "line two" in line
    for block in MERMAID.findall(text):
        for line in block.splitlines():
            if '["' in line or '(["' in line:
                label = re.sub(r"#(\d+|quot);", "", line.split('"')[1])  # entity codes
                assert not set(label) & set('"[]<>`;{}#&'), line
    assert text.count("```mermaid") == text.count("```") // 2


def test_large_organisation_diagrams_stay_under_the_limit(kkctl, tmp_path: Path) -> None:
    org = tmp_path / "M"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "M", str(org)],
                   check=True, capture_output=True)
    run = kkctl("report", str(org), "--lang", "en")
    assert run.code == 0
    blocks = MERMAID.findall(run.out)
    assert blocks and max(len(b) for b in blocks) <= 50_000
    # 3,000 root and supporting promises cannot be read in one picture: said, not drawn
    assert "The promise system has 3,000 promises: too many to read in one picture" in run.out


def test_assets_are_standalone_svg_and_linked(kkctl, example_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "site" / "REPORT.md"
    out.parent.mkdir()
    run = kkctl("report", str(example_copy), "--out", str(out), "--assets",
                str(tmp_path / "site" / "charts"))
    assert run.code == 0
    svg = tmp_path / "site" / "charts" / "canvas-energy-canvas.svg"
    root = ET.fromstring(svg.read_text())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.findall("{http://www.w3.org/2000/svg}polyline")) == 3
    assert "(charts/canvas-energy-canvas.svg)" in out.read_text()


def test_payouts_are_private_by_default(kkctl, example_copy: Path) -> None:
    hidden = kkctl("report", str(example_copy)).out
    shown = kkctl("report", str(example_copy), "--include-payouts").out
    assert "Maria Keller | €6,342.27 |" in shown
    assert "6,342.27" not in hidden and "--include-payouts" in hidden


def test_russian_numbers_and_dates(kkctl) -> None:
    text = kkctl("report", str(EXAMPLES / "poleznaya-eda"), "--lang", "ru",
                 "--period", "2026-q3").out
    assert "(1 июля – 30 сентября 2026\u202fг.)" in text
    assert "2\u00a0510\u00a0000,00\u00a0₽" in text


def test_user_templates_are_sandboxed(kkctl, example_copy: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.md.j2").write_text("{% include '../secret.txt' %}")
    run = kkctl("report", str(example_copy), "--template", str(templates))
    assert run.code == 2 and "TOP SECRET" not in run.out
    (templates / "link.j2").symlink_to(secret)
    (templates / "report.md.j2").write_text("{% include 'link.j2' %}")
    run = kkctl("report", str(example_copy), "--template", str(templates))
    assert run.code == 2 and "TOP SECRET" not in run.out
    (templates / "report.md.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    run = kkctl("report", str(example_copy), "--template", str(templates))
    assert run.code == 2 and "subclasses" not in run.out
    (templates / "report.md.j2").write_text("# {{ header.title }} — {{ l.goal }}\n")
    run = kkctl("report", str(example_copy), "--template", str(templates))
    assert (run.code, run.out) == (0, "# Council report: Acme Consulting — Evolutionary goal\n")


NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is not installed: Mermaid's own parser runs on it")
def test_mermaid_blocks_parse_with_mermaid(kkctl, tmp_path: Path) -> None:
    checker = REPO / "tests" / "mermaid" / "check.mjs"
    modules = REPO / "tests" / "mermaid" / "node_modules"
    if not (modules / "mermaid").exists():
        install = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"],
                                 cwd=checker.parent, capture_output=True, text=True, timeout=600)
        if install.returncode != 0:
            pytest.skip(f"mermaid could not be installed from the npm registry: "
                        f"{install.stderr.strip()[:200]}")
    blocks = []
    for example in ("poleznaya-eda", "acme-consulting"):
        blocks += MERMAID.findall(kkctl("report", str(EXAMPLES / example)).out)
    write_tree(tmp_path, {"hostile/kkctl.yaml": HOSTILE})
    blocks += MERMAID.findall(kkctl("report", str(tmp_path / "hostile")).out)
    for i, block in enumerate(blocks):
        (tmp_path / f"d{i}.mmd").write_text(block)
    run = subprocess.run([NODE, str(checker), *sorted(str(p) for p in tmp_path.glob("*.mmd"))],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


def test_mermaid_ids_of_similar_entity_ids_stay_apart() -> None:
    from kkctl.report.text import mermaid_id

    ids = {mermaid_id("promise", i) for i in ("p-a", "p_a", "p.a", "p_2d_a")}
    assert len(ids) == 4
