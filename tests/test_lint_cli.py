"""`kkctl lint` through the real entry point: loops with positions, configuration,
suppressions, baseline, exit codes and formats."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from conftest import DATA, REPO, write_tree

BASE = REPO / "tests" / "lint" / "base.yaml"

LOOP = """
promises:
  - id: pay-on-time
    kind: general
    giver: shops
    receiver: concept
    text: We pay every invoice the day it arrives
    requires: [send-docs]
    metrics: [m-fresh-sales]
    authorities: [a-assortment]
"""
LOOP_OTHER = """
promises:
  - id: send-docs
    kind: general
    giver: concept
    receiver: shops
    text: Documents come with every invoice
    requires: [pay-on-time]
    metrics: [m-customers]
    authorities: [a-pricing]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The clean base organisation as a project: kkctl.yaml plus an org/ folder."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(BASE, root / "kkctl.yaml")
    (root / "org").mkdir()
    return root


def test_clean_organisation_exits_0(kkctl, project: Path) -> None:
    run = kkctl("lint", str(project))
    assert (run.code, run.lines) == (0, ["no problems in 1 file"])


def test_loop_message_shows_the_whole_cycle_with_positions(kkctl, project: Path) -> None:
    write_tree(project, {"org/a.yaml": LOOP, "org/b.yaml": LOOP_OTHER})
    run = kkctl("lint", str(project), "--select", "promise-loop", cwd=project)
    assert run.code == 1
    assert run.lines == [
        "org/a.yaml:2:5: error KK201 promise-loop: promise 'pay-on-time': promise loop: "
        "pay-on-time (org/a.yaml:2:5) → send-docs (org/b.yaml:2:5) → pay-on-time; make one of "
        "them conditional (condition: …) so it no longer depends on the other",
        "1 error in 3 files",
        "what a rule checks and how to fix its findings: 'kkctl explain KK201' (the most "
        "frequent rule here; any code works)",
    ]


def test_loop_message_in_russian(kkctl, project: Path) -> None:
    write_tree(project, {"org/a.yaml": LOOP, "org/b.yaml": LOOP_OTHER})
    run = kkctl("lint", str(project), "--select", "KK201", "--lang", "ru", cwd=project)
    assert run.lines[0].startswith("org/a.yaml:2:5: ошибка KK201 promise-loop: обещание "
                                   "'pay-on-time': петля в обещаниях: pay-on-time "
                                   "(org/a.yaml:2:5) → ")
    assert run.lines[1] == "1 ошибка, 3 файла"


def test_receiver_who_must_promise_back(kkctl, project: Path) -> None:
    write_tree(project, {"org/a.yaml": LOOP, "org/b.yaml": LOOP_OTHER.replace(
        "    requires: [pay-on-time]\n", "")})
    run = kkctl("lint", str(project), "--select", "promise-loop", cwd=project)
    assert run.code == 1
    assert run.lines[0] == (
        "org/a.yaml:5:15: error KK201 promise-loop: promise 'pay-on-time': 'concept' receives "
        "this promise but must itself keep 'send-docs' for it: pay-on-time (org/a.yaml:2:5) → "
        "send-docs "
        "(org/b.yaml:2:5); reformulate this promise as conditional (condition: …)")


def test_a_condition_breaks_the_loop(kkctl, project: Path) -> None:
    write_tree(project, {"org/a.yaml": LOOP + "    condition: if documents come with it\n",
                         "org/b.yaml": LOOP_OTHER})
    assert kkctl("lint", str(project), "--select", "promise-loop").code == 0


def test_lint_reports_validation_problems_too(kkctl, project: Path) -> None:
    write_tree(project, {"org/a.yaml": LOOP.replace("giver: shops", "giver: shosp")})
    run = kkctl("lint", str(project), "--select", "promise-loop", "-f", "json")
    codes = [d["code"] for d in json.loads(run.out)["diagnostics"]]
    assert "KK102" in codes and run.code == 1


def test_rule_configuration_in_kkctl_yaml(kkctl, project: Path) -> None:
    write_tree(project, {"org/a.yaml": LOOP, "org/b.yaml": LOOP_OTHER})
    project_file = project / "kkctl.yaml"
    text = project_file.read_text()
    project_file.write_text(text.replace("lint: {profile: strict}",
                                         "lint: {profile: strict, rules: {promise-loop: off}}"))
    assert kkctl("lint", str(project), "--select", "promise-loop").code == 1  # select wins
    assert "KK201" not in kkctl("lint", str(project)).out
    project_file.write_text(text.replace(
        "lint: {profile: strict}", "lint: {profile: strict, rules: {KK201: warning}}"))
    run = kkctl("lint", str(project), "--select", "promise-loop")
    assert run.code == 0 and "warning KK201" in run.out
    assert kkctl("lint", str(project), "--select", "promise-loop", "--strict").code == 1


def test_unknown_rule_in_configuration_is_positioned(kkctl, project: Path) -> None:
    project_file = project / "kkctl.yaml"
    project_file.write_text(project_file.read_text().replace(
        "lint: {profile: strict}", "lint:\n  profile: strict\n  rules:\n    promise-lop: off"))
    run = kkctl("lint", str(project), cwd=project)
    assert run.code == 1
    assert ("kkctl.yaml:17:5: error KK011 no lint rule 'promise-lop' (did you mean "
            "'promise-loop'?); 'kkctl lint --list-rules' lists them") in run.lines


def test_unknown_rule_on_the_command_line_exits_2(kkctl, project: Path) -> None:
    run = kkctl("lint", str(project), "--select", "promise-lop")
    assert run.code == 2
    assert run.err == ("kkctl: error: no lint rule 'promise-lop' (did you mean 'promise-loop'?);"
                       " 'kkctl lint --list-rules' lists them\n")


def test_inline_suppression_and_unused_suppression(kkctl, project: Path) -> None:
    suppressed = LOOP.replace("  - id: pay-on-time",
                              "  # kkctl: ignore[promise-loop] agreed with finance\n"
                              "  - id: pay-on-time")
    write_tree(project, {"org/a.yaml": suppressed, "org/b.yaml": LOOP_OTHER})
    run = kkctl("lint", str(project), "--select", "promise-loop,unused-suppression", cwd=project)
    assert (run.code, run.lines) == (0, ["no problems in 3 files"])
    write_tree(project, {"org/b.yaml": LOOP_OTHER.replace("    requires: [pay-on-time]\n", "")
                         .replace("    text:", "    condition: on request\n    text:")})
    run = kkctl("lint", str(project), "--select", "promise-loop,unused-suppression", cwd=project)
    assert run.code == 0
    assert run.lines[0] == ("org/a.yaml:2:3: info KK245 unused-suppression: "
                            "'# kkctl: ignore[promise-loop]' suppresses nothing here; remove it")


def test_entity_lint_ignore(kkctl, project: Path) -> None:
    write_tree(project, {"org/a.yaml": LOOP + "    lint_ignore: [KK201]\n",
                         "org/b.yaml": LOOP_OTHER})
    run = kkctl("lint", str(project), "--select", "promise-loop,unused-suppression")
    assert (run.code, run.lines) == (0, ["no problems in 3 files"])


def test_baseline_accepts_todays_findings_only(kkctl, project: Path) -> None:
    write_tree(project, {"org/a.yaml": LOOP, "org/b.yaml": LOOP_OTHER})
    written = kkctl("lint", str(project), "--select", "promise-loop", "--write-baseline")
    assert written.code == 0 and "wrote 1 finding" in written.err
    baseline = json.loads((project / ".kkctl-baseline.json").read_text())
    assert [f["code"] for f in baseline["findings"]] == ["KK201"]
    run = kkctl("lint", str(project), "--select", "promise-loop")
    assert (run.code, run.lines) == (0, ["no problems in 3 files (1 more accepted by the "
                                         "baseline)"])
    # a new loop is still reported; the baselined one stays accepted when lines move
    write_tree(project, {"org/a.yaml": "# moved down by this comment\n" + LOOP.lstrip("\n"),
                         "org/c.yaml": """
promises:
  - {id: x1, kind: general, giver: shops, receiver: concept, text: X, requires: [x2],
     metrics: [m-fresh-sales], authorities: [a-assortment]}
  - {id: x2, kind: general, giver: shops, receiver: concept, text: Y, requires: [x1],
     metrics: [m-fresh-sales], authorities: [a-assortment]}
"""})
    run = kkctl("lint", str(project), "--select", "promise-loop", "-f", "json")
    payload = json.loads(run.out)
    assert [d["path"] for d in payload["diagnostics"]] == ["promises[0]"]
    assert payload["diagnostics"][0]["file"].endswith("org/c.yaml")
    assert payload["summary"]["baselined"] == 1


def test_broken_baseline_exits_2(kkctl, project: Path) -> None:
    (project / ".kkctl-baseline.json").write_text("{not json")
    run = kkctl("lint", str(project))
    assert run.code == 2 and "not a kkctl baseline" in run.err


def test_lint_sarif_is_valid_and_describes_rules(kkctl, project: Path) -> None:
    write_tree(project, {"org/a.yaml": LOOP, "org/b.yaml": LOOP_OTHER})
    run = kkctl("lint", str(project), "--select", "promise-loop", "-f", "sarif")
    log = json.loads(run.out)
    schema = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    (rule,) = log["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == "KK201" and rule["name"] == "promise-loop"


def test_list_rules_and_explain(kkctl) -> None:
    listing = json.loads(kkctl("lint", "--list-rules", "-f", "json").out)
    slugs = {r["slug"]: r for r in listing}
    assert slugs["promise-loop"]["code"] == "KK201"
    assert slugs["promise-loop"]["profiles"] == ["minimal", "recommended", "strict"]
    text = kkctl("lint", "--list-rules").out
    assert text.splitlines()[0].split()[:3] == ["KK201", "promise-loop", "error"]
    for name in ("promise-loop", "KK201", "kk201"):
        explained = kkctl("explain", name)
        assert explained.code == 0
        assert explained.lines[0].startswith("KK201 promise-loop: ")
        assert "Петли в обещаниях делать не допускается" in explained.out
        assert "FAIL:" in explained.out and "PASS:" in explained.out
    assert kkctl("explain", "no-such-rule").code == 2


def test_examples_lint_clean(kkctl) -> None:
    for example in ("poleznaya-eda", "acme-consulting"):
        run = kkctl("lint", str(REPO / "examples" / example), "-f", "json")
        assert run.code == 0, run.out
        assert json.loads(run.out)["diagnostics"] == [], example
