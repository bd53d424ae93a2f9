"""`kkctl validate`: each kind of problem, at its exact file:line:column, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import EXAMPLES, MINIMAL_PROJECT, assert_no_traceback, write_tree


def diagnostics(run) -> list[dict]:  # type: ignore[no-untyped-def]
    return json.loads(run.out)["diagnostics"]


def test_valid_org_exits_0(kkctl, tiny_org: Path) -> None:
    run = kkctl("validate", str(tiny_org))
    assert run.code == 0, run.out
    assert run.lines == ["no problems in 3 files"]


def test_bundled_examples_are_valid(kkctl) -> None:
    for example in ("poleznaya-eda", "acme-consulting"):
        run = kkctl("validate", str(EXAMPLES / example), "--format", "json")
        assert run.code == 0, run.out
        assert diagnostics(run) == []


def test_dangling_reference_names_the_field_and_suggests(kkctl, tiny_org: Path) -> None:
    team = tiny_org / "teams/delivery.yaml"
    team.write_text(team.read_text().replace("leader: vera", "leader: vear"))
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    assert run.code == 1
    assert run.lines[0] == ("teams/delivery.yaml:4:13: error KK102 team 'delivery': leader 'vear' "
                            "is not a person: no entity has this id (did you mean 'vera'?)")
    assert run.lines[-1] == "1 error in 3 files"
    assert_no_traceback(run)


def test_reference_to_the_wrong_kind(kkctl, tiny_org: Path) -> None:
    team = tiny_org / "teams/delivery.yaml"
    team.write_text(team.read_text().replace("value: speed", "value: shoppers"))
    run = kkctl("validate", str(tiny_org), "-f", "json")
    (diag,) = diagnostics(run)
    assert diag["code"] == "KK103"
    assert (diag["line"], diag["column"], diag["path"]) == (11, 12, "promises[0].value")
    assert diag["message"] == ("promise 'fast': value 'shoppers' is not a client value: "
                               "it is a client 'shoppers'")


def test_member_in_list_form_is_a_reference(kkctl, tiny_org: Path) -> None:
    team = tiny_org / "teams/delivery.yaml"
    team.write_text(team.read_text().replace("[vera, {person: oleg", "[ghost, {person: olga"))
    run = kkctl("validate", str(tiny_org), "-f", "json")
    found = {(d["code"], d["path"], d["line"], d["column"]) for d in diagnostics(run)}
    assert found == {("KK102", "teams[0].members[0]", 5, 15),
                     ("KK102", "teams[0].members[1].person", 5, 31)}


def test_schema_violations_are_positioned(kkctl, tmp_path: Path) -> None:
    write_tree(tmp_path, {"kkctl.yaml": MINIMAL_PROJECT + """
people:
  - id: vera
    nmae: Vera
  - id: Oleg
    name: Oleg
clients:
  - {id: shoppers, name: Shoppers, kind: shopper}
"""})
    run = kkctl("validate", str(tmp_path), "-f", "json")
    assert run.code == 1
    got = [(d["code"], d["line"], d["column"], d["path"], d["message"]) for d in diagnostics(run)]
    assert got == [
        ("KK101", 8, 5, "people[0]", "person 'vera': missing required field 'name'"),
        ("KK105", 9, 5, "people[0].nmae",
         "person 'vera': unknown field 'nmae' (did you mean 'name'?)"),
        ("KK100", 10, 9, "people[1].id",
         "person 'Oleg': 'Oleg' is not a valid id: use lower-case ASCII letters, digits, "
         "'.', '_' and '-', starting with a letter or digit"),
        ("KK100", 13, 42, "clients[0].kind",
         "client 'shoppers': 'shopper' is not one of: external, partner, internal"),
    ]


def test_unknown_collection_and_setting_outside_project_file(kkctl, tiny_org: Path) -> None:
    write_tree(tiny_org, {"misc.yaml": """
organisation: {id: x, name: X}
services:
  web: {image: nginx}
"""})
    run = kkctl("validate", str(tiny_org), "-f", "json")
    got = [(d["code"], d["line"], d["column"], d["message"]) for d in diagnostics(run)]
    assert got == [
        ("KK105", 1, 1, "'organisation' is a project setting: it belongs in kkctl.yaml, "
                        "not in an entity file"),
        ("KK105", 2, 1, "unknown collection 'services'; if this file is not part of the "
                        "organisation, add it to 'exclude:' in kkctl.yaml"),
    ]


def test_duplicate_id_across_files_names_both_positions(kkctl, tiny_org: Path) -> None:
    write_tree(tiny_org, {"more.yaml": """
values:
  - id: fast
    name: Fast
"""})
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    assert run.code == 1
    assert run.lines[0] == (
        "teams/delivery.yaml:7:9: error KK104 promise 'fast': id 'fast' is already used by "
        "value 'fast' at more.yaml:2:9; ids are unique across the whole organisation")


def test_duplicate_key_names_both_positions(kkctl, tiny_org: Path) -> None:
    write_tree(tiny_org, {"people.yaml": """
people:
  - id: vera
    name: Vera
    name: Vera K.
"""})
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    assert run.code == 1
    assert "people.yaml:4:5: error KK002 duplicate key 'name' (first at line 3, column 5); " \
           "keep one of them" in run.lines


def test_yaml_syntax_error_is_positioned(kkctl, tiny_org: Path) -> None:
    (tiny_org / "people.yaml").write_text("people:\n  - id: vera\n    name: [Vera\n")
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    assert run.code == 1
    assert run.lines[0].startswith("people.yaml:4:1: error KK001 YAML syntax error: ")
    assert_no_traceback(run)


def test_tab_indentation_gets_a_hint(kkctl, tiny_org: Path) -> None:
    (tiny_org / "people.yaml").write_text("people:\n\t- id: vera\n")
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    assert run.code == 1
    assert run.lines[0].startswith("people.yaml:2:1: error KK001 ")
    assert "indent with spaces" in run.lines[0]


def test_python_tags_are_rejected_never_constructed(kkctl, tiny_org: Path) -> None:
    marker = tiny_org / "pwned"
    (tiny_org / "evil.yaml").write_text(
        f"people:\n  - id: x\n    name: !!python/object/apply:os.system ['touch {marker}']\n")
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    assert run.code == 1
    assert run.lines[0] == ("evil.yaml:3:11: error KK003 tag "
                            "'tag:yaml.org,2002:python/object/apply:os.system' is not allowed: "
                            "kkctl reads plain YAML data only; remove the tag")
    assert not marker.exists()


def test_invalid_utf8_is_positioned(kkctl, tiny_org: Path) -> None:
    (tiny_org / "people.yaml").write_bytes(b"people:\n  - id: vera\n    name: V\xffra\n")
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    assert run.code == 1
    assert run.lines[0] == ("people.yaml:3:12: error KK005 invalid UTF-8 (byte 0xff); "
                            "save the file as UTF-8")


def test_root_must_be_a_mapping(kkctl, tiny_org: Path) -> None:
    (tiny_org / "people.yaml").write_text("- vera\n- oleg\n")
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    assert run.code == 1
    assert run.lines[0] == ("people.yaml:1:1: error KK007 the top level must be a mapping of "
                            "collections such as 'teams:', not a list")


def test_impossible_and_reversed_dates(kkctl, tiny_org: Path) -> None:
    write_tree(tiny_org, {"finance.yaml": """
periods:
  - {id: q1, start: 2026-02-30, end: 2026-03-31, net_profit: 10}
  - {id: q2, start: 2026-06-30, end: 2026-04-01, net_profit: 10}
"""})
    run = kkctl("validate", str(tiny_org), "-f", "json")
    got = [(d["code"], d["line"], d["column"]) for d in diagnostics(run)]
    assert got == [("KK106", 2, 21), ("KK106", 3, 21)]
    assert "is not a real date" in diagnostics(run)[0]["message"]
    assert diagnostics(run)[1]["message"] == ("period 'q2': period starts (2026-06-30) after it "
                                              "ends (2026-04-01)")


def test_money_must_be_exact_text(kkctl, tiny_org: Path) -> None:
    write_tree(tiny_org, {"finance.yaml": """
periods:
  - {id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: "1 250 000,50"}
"""})
    run = kkctl("validate", str(tiny_org), "-f", "json")
    (diag,) = diagnostics(run)
    assert diag["code"] == "KK100"
    assert diag["message"].startswith("period 'q1': \"1 250 000,50\" is not an amount")


def test_messages_in_russian(kkctl, tiny_org: Path) -> None:
    team = tiny_org / "teams/delivery.yaml"
    team.write_text(team.read_text().replace("leader: vera", "leader: vear"))
    run = kkctl("validate", str(tiny_org), "--lang", "ru", cwd=tiny_org)
    assert run.lines == [
        "teams/delivery.yaml:4:13: ошибка KK102 команда 'delivery': leader 'vear' не является "
        "сотрудником: сущности с таким id нет (может быть, 'vera'?)",
        "1 ошибка, 3 файла",
    ]


def test_organisation_locale_picks_the_language(kkctl, tiny_org: Path) -> None:
    project = tiny_org / "kkctl.yaml"
    project.write_text(project.read_text().replace("locale: en", "locale: ru"))
    run = kkctl("validate", str(tiny_org), env={"KKCTL_LANG": ""})
    assert run.lines == ["проблем нет, 3 файла"]
