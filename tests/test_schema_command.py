"""`kkctl schema`: the shipped schema is a valid draft 2020-12 schema and matches the format."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from conftest import REPO


def test_schema_out_writes_a_valid_schema(kkctl, tmp_path: Path) -> None:
    run = kkctl("schema", "--out", str(tmp_path / "schemas"))
    assert run.code == 0
    schema = json.loads((tmp_path / "schemas" / "kkctl.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_to_stdout_equals_the_file(kkctl, tmp_path: Path) -> None:
    printed = kkctl("schema").out
    kkctl("schema", "--out", str(tmp_path))
    assert printed == (tmp_path / "kkctl.schema.json").read_text()


def test_committed_schema_is_what_kkctl_writes(kkctl, tmp_path: Path) -> None:
    """schemas/kkctl.schema.json at the top of the repository (what the examples' modelines and
    a raw link name) is byte for byte what `kkctl schema --out` writes and prints."""
    committed = (REPO / "schemas" / "kkctl.schema.json").read_bytes()
    assert kkctl("schema", "--out", str(tmp_path)).code == 0
    assert (tmp_path / "kkctl.schema.json").read_bytes() == committed
    assert kkctl("schema").out == committed.decode("utf-8")


def test_examples_name_the_committed_schema() -> None:
    """Every example file's modeline resolves, relative to the file, to schemas/."""
    target = (REPO / "schemas" / "kkctl.schema.json").resolve()
    files = sorted((REPO / "examples").rglob("*.yaml"))
    assert files
    for path in files:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix), path
        assert (path.parent / first[len(prefix):]).resolve() == target, path


def test_schema_knows_every_collection_of_the_format(kkctl) -> None:
    schema = json.loads(kkctl("schema").out)
    entity_file = schema["$defs"]["entityFile"]["properties"]
    assert set(entity_file) == {"people", "clients", "values", "teams", "councils", "promises",
                                "authorities", "metrics", "canvases", "reward_schemes",
                                "periods", "hypotheses"}
    project = schema["$defs"]["projectFile"]
    assert project["required"] == ["kkctl", "organisation"]


def test_top_level_schema_serves_any_file_for_editors(kkctl, tiny_org: Path) -> None:
    """Editors point every file at the one schema: kkctl.yaml and entity files both pass."""
    from ruamel.yaml import YAML

    schema = json.loads(kkctl("schema").out)
    validator = jsonschema.Draft202012Validator(schema)
    for path in tiny_org.rglob("*.yaml"):
        data = YAML(typ="safe").load(path.read_text())
        assert list(validator.iter_errors(data)) == [], path
    assert list(validator.iter_errors({"teams": [{"id": "x"}]}))  # missing name, leader
