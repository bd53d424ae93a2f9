"""Every output format, machine-checked: JSON shape, GitHub commands, SARIF schema, JUnit XML."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from conftest import DATA, REPO

SARIF_SCHEMA = DATA / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture
def broken_org(tiny_org: Path) -> Path:
    """Two errors in two files: a dangling leader and a missing promise text."""
    team = tiny_org / "teams/delivery.yaml"
    team.write_text(team.read_text().replace("leader: vera", "leader: ghost")
                    .replace("    text: Delivered within an hour\n", ""))
    return tiny_org


def test_json(kkctl, broken_org: Path) -> None:
    run = kkctl("validate", str(broken_org), "--format", "json", cwd=broken_org)
    assert run.code == 1
    payload = json.loads(run.out)
    assert payload["summary"] == {"errors": 2, "warnings": 0, "infos": 0, "files": 3}
    assert payload["tool"]["name"] == "kkctl"
    assert payload["notes"] == []
    first = payload["diagnostics"][0]
    assert set(first) == {"code", "severity", "message", "file", "line", "column", "path"}
    assert (first["file"], first["line"], first["column"], first["path"], first["code"]) == \
        ("teams/delivery.yaml", 4, 13, "teams[0].leader", "KK102")


def test_github_annotations(kkctl, broken_org: Path) -> None:
    run = kkctl("validate", str(broken_org), "--format", "github", cwd=broken_org)
    assert run.code == 1
    assert run.lines[0] == ("::error file=teams/delivery.yaml,line=4,col=13,"
                            "title=KK102 unresolved-reference::team 'delivery': leader 'ghost' "
                            "is not a person: no entity has this id")
    assert run.lines[1].startswith("::error file=teams/delivery.yaml,line=7,col=5,"
                                   "title=KK101 missing-field::")
    # everything fits in GitHub's ten: the closing notice only gives the totals
    assert run.lines[2:] == ["::notice title=kkctl validate::2 errors in 3 files"]


def test_sarif_validates_against_the_official_schema(kkctl, broken_org: Path) -> None:
    run = kkctl("validate", str(broken_org), "--format", "sarif", cwd=broken_org)
    assert run.code == 1
    log = json.loads(run.out)
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["KK102", "KK101"]
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 4, "startColumn": 13}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["KK101", "KK102"]
    assert results[0]["ruleIndex"] == 1
    assert log["$schema"] == ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/"
                              "schemas/sarif-schema-2.1.0.json")
    # validation codes link to the page of every code, which exists
    assert rules[1]["helpUri"] == "https://github.com/kkctl/kkctl/blob/main/docs/diagnostics.md"
    assert "`KK102` | `unresolved-reference`" in (REPO / "docs/diagnostics.md").read_text()
    assert rules[1]["shortDescription"]["text"] == "A reference names an id that no entity has."


def test_sarif_of_a_clean_run_is_valid_too(kkctl, tiny_org: Path) -> None:
    run = kkctl("validate", str(tiny_org), "--format", "sarif")
    assert run.code == 0
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(json.loads(run.out))


def test_junit(kkctl, broken_org: Path) -> None:
    run = kkctl("validate", str(broken_org), "--format", "junit", cwd=broken_org)
    assert run.code == 1
    root = ET.fromstring(run.out)
    suite = root.find("testsuite")
    assert suite is not None
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"kkctl.yaml", "people.yaml", "teams/delivery.yaml"}
    # one failure per failing file, holding each of its problems
    (failure,) = cases["teams/delivery.yaml"].findall("failure")
    assert failure.get("type") == "KK102 KK101"
    assert failure.get("message") == "2 errors: KK102 unresolved-reference, KK101 missing-field"
    assert (failure.text or "").splitlines() == [
        "teams/delivery.yaml:4:13: error KK102 unresolved-reference: team 'delivery': leader "
        "'ghost' is not a person: no entity has this id",
        "teams/delivery.yaml:7:5: error KK101 missing-field: promise 'fast': missing required "
        "field 'text'"]
    assert cases["people.yaml"].findall("failure") == []
    assert suite.get("failures") == "1" and suite.get("tests") == "3"
    assert root.get("failures") == "1" and root.get("tests") == "3"


def test_output_file_is_written_whole(kkctl, broken_org: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.sarif"
    run = kkctl("validate", str(broken_org), "--format", "sarif", "--output", str(target))
    assert run.code == 1 and run.out == ""
    assert json.loads(target.read_text())["version"] == "2.1.0"
    assert not list(tmp_path.glob(".report.sarif.*"))  # no temporary file left behind
