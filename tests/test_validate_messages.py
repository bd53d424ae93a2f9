"""`kkctl validate` says one clear thing per problem: a file of another tool is one KK012 with
the line to add to kkctl.yaml, a missing field is reported once, a type mismatch names the
key and what to write, "did you mean" is offered only when it is a near-certain typo, and a
suppression that names no rule is an error at its place."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import MINIMAL_PROJECT, SHARED, Run, assert_no_traceback, write_tree

BACKSTAGE_GROUP = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: breanna.davison
spec:
  memberOf: [team-a]
"""
PERIBOLOS_TEAMS = """\
teams:
  etcd-admins:
    description: Admin access to etcd repo
    members: [ahrtr, fuweid]
    privacy: closed
    repos:
      etcd: admin
"""
PERIBOLOS_ORG = """\
admins: [alice]
billing_email: github@example.org
default_repository_permission: read
members: [bob, carol]
teams:
  maintainers: {members: [bob], privacy: closed}
"""
KUBERNETES = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
"""
TOML = """\
name = "compiler"
subteam-of = "leadership"

[people]
leads = ["alice"]
members = ["alice", "bob"]
"""
COMPOSE = """\
services:
  web:
    image: nginx
    ports: ["80:80"]
"""
WORKFLOW = """\
name: CI
on:
  push:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
"""
FOREIGN = [
    ("backstage.yaml", BACKSTAGE_GROUP,
     "a Backstage catalog entity (apiVersion: backstage.io/v1alpha1, kind: Group)"),
    ("teams.yaml", PERIBOLOS_TEAMS,
     "a Peribolos GitHub organisation configuration (teams: privacy, repos)"),
    ("org.yaml", PERIBOLOS_ORG, "a Peribolos GitHub organisation configuration "
                                "(billing_email, default_repository_permission)"),
    ("deploy/web.yaml", KUBERNETES, "a Kubernetes manifest (apiVersion, kind)"),
    ("team.yaml", TOML, "a TOML file (name = …, [people])"),
    ("docker-compose.yml", COMPOSE, "a Docker Compose file (services)"),
    ("ci/build.yml", WORKFLOW, "a GitHub Actions workflow (on, jobs)"),
]


def _diagnostics(run: Run) -> list[dict]:  # type: ignore[type-arg]
    assert_no_traceback(run)
    return json.loads(run.out)["diagnostics"]  # type: ignore[no-any-return]


def _validate(kkctl, project: Path, *args: str) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    return _diagnostics(kkctl("validate", str(project), "-f", "json", *args, cwd=project))


@pytest.mark.parametrize(("name", "text", "what"), FOREIGN, ids=[f[0] for f in FOREIGN])
def test_a_file_of_another_tool_is_one_diagnostic_with_the_line_to_add(
        kkctl, tiny_org: Path, name: str, text: str, what: str) -> None:
    write_tree(tiny_org, {name: text})
    found = _validate(kkctl, tiny_org)
    assert [(d["file"], d["line"], d["column"], d["code"]) for d in found] == \
        [(name, 1, 1, "KK012")]
    message = found[0]["message"]
    pattern = name if "/" in name else "/" + name
    assert message == (f"this looks like {what}, not a kkctl file: kkctl reads every .yaml "
                       "and .yml file below kkctl.yaml; if it is not part of the organisation, "
                       "leave it out by adding this line to kkctl.yaml: "
                       f'exclude: ["{pattern}"]')
    # the advice is the fix: add the line it gives and the organisation is valid again
    line = message.rsplit("kkctl.yaml: ", 1)[1]
    project_file = tiny_org / "kkctl.yaml"
    project_file.write_text(project_file.read_text() + line + "\n")
    run = kkctl("validate", str(tiny_org))
    assert (run.code, run.out.splitlines()[-1]) == (0, "no problems in 3 files"), run.out


def test_with_an_exclude_list_the_advice_extends_it(kkctl, tiny_org: Path) -> None:
    project_file = tiny_org / "kkctl.yaml"
    project_file.write_text(project_file.read_text() + "exclude:\n  - drafts/\n")
    write_tree(tiny_org, {"teams.yaml": PERIBOLOS_TEAMS})
    (found,) = _validate(kkctl, tiny_org)
    assert found["message"].endswith('leave it out by adding "/teams.yaml" to the '
                                      "'exclude:' list in kkctl.yaml")
    project_file.write_text(project_file.read_text() + '  - "/teams.yaml"\n')
    assert kkctl("validate", str(tiny_org)).code == 0


def test_a_file_of_no_known_tool_is_one_diagnostic_naming_its_keys(kkctl,
                                                                   tiny_org: Path) -> None:
    write_tree(tiny_org, {"wg/runtime.yaml": """
        name: App Runtime
        execution_leads: [{name: Ann, github: ann}]
        technical_leads: [{name: Bob, github: bob}]
        bots: []
        areas: []
        """})
    (found,) = _validate(kkctl, tiny_org)
    assert (found["file"], found["line"], found["code"]) == ("wg/runtime.yaml", 1, "KK012")
    assert found["message"].startswith(
        "this does not look like a kkctl file: its top-level keys (name, execution_leads, "
        "technical_leads, bots, ...) are not kkctl collections such as 'people:', 'teams:' "
        "or 'promises:'; if it is not part of the organisation, leave it out by adding this "
        'line to kkctl.yaml: exclude: ["wg/runtime.yaml"]')


def test_foreign_file_in_russian(kkctl, tiny_org: Path) -> None:
    write_tree(tiny_org, {"deploy.yaml": KUBERNETES})
    (found,) = _validate(kkctl, tiny_org, "--lang", "ru")
    assert found["message"] == (
        "похоже, это манифест Kubernetes (apiVersion, kind), а не файл kkctl: kkctl читает "
        "все файлы .yaml и .yml ниже kkctl.yaml; если он не относится к организации, "
        'исключите его, добавив в kkctl.yaml строку: exclude: ["/deploy.yaml"]')


def test_a_foreign_file_given_alone_is_named_without_exclude_advice(kkctl,
                                                                    tmp_path: Path) -> None:
    (tmp_path / "deploy.yaml").write_text(KUBERNETES)
    run = kkctl("validate", str(tmp_path / "deploy.yaml"), "-f", "json")
    assert run.code == 1
    (found,) = _diagnostics(run)
    assert found["message"] == ("this looks like a Kubernetes manifest (apiVersion, kind), not "
                                "a kkctl file: kkctl reads every .yaml and .yml file below "
                                "kkctl.yaml; give kkctl a project folder (with kkctl.yaml) or "
                                "an organisation file")


@pytest.mark.parametrize(("text", "code", "start"), [
    ("poeple:\n  - {id: ann, name: Ann}\n", "KK105", "unknown collection 'poeple' (did you "
                                                     "mean 'people'?)"),
    ("people:\n  - id: ann\n    name: [Ann\n", "KK001", "YAML syntax error"),
    ("people:\n  - {id: ann, name: Ann}\napiVersion: v1\nkind: Pod\n", "KK105",
     "unknown collection 'apiVersion'"),
])
def test_a_broken_kkctl_file_is_not_taken_for_a_foreign_one(kkctl, tiny_org: Path, text: str,
                                                           code: str, start: str) -> None:
    (tiny_org / "more.yaml").write_text(text)
    found = _validate(kkctl, tiny_org)
    assert found and found[0]["code"] == code
    assert found[0]["message"].startswith(start)
    assert "KK012" not in {d["code"] for d in found}


def test_a_missing_field_is_reported_once(kkctl, tiny_org: Path) -> None:
    write_tree(tiny_org, {"more.yaml": """
        teams:
          - name: Platform
        promises:
          - id: p
            text: Quick answers
        """})
    found = _validate(kkctl, tiny_org)
    assert sorted((d["path"], d["message"]) for d in found if d["code"] == "KK101") == [
        ("promises[0]", "promise 'p': missing required field 'giver'"),
        ("promises[0]", "promise 'p': missing required field 'kind'"),
        ("promises[0]", "promise 'p': missing required field 'receiver'"),
        ("teams[0]", "missing required field 'id'"),
        ("teams[0]", "missing required field 'leader'"),
    ]


@pytest.mark.parametrize(("text", "path", "message"), [
    ("teams:\n  delivery: {name: D, leader: vera}\n", "teams",
     "'teams' is a mapping, expected a list of teams: write one item per entity, each "
     "starting with '- id: ...' and its fields indented below it"),
    ("people:\n  - anna\n", "people[0]",
     "item 1 of 'people' is a string (\"anna\"), expected a mapping: write '- id: anna' and "
     "the fields of the entity indented below it"),
    ("teams:\n  - {id: t, name: T, leader: vera, members: vera}\n", "teams[0].members",
     "team 't': 'members' is a string (\"vera\"), expected a list: write [vera], or '- vera' "
     "on the next line"),
    ("people:\n  - {id: ann, name: [Ann]}\n", "people[0].name",
     "person 'ann': 'name' is a list, expected a string: give a single value"),
    ("metrics:\n  - {id: m, name: M, unit: u, target: \"12\"}\n", "metrics[0].target",
     "metric 'm': 'target' is a string (\"12\"), expected a number: write the number without "
     "quotes"),
])
def test_a_type_mismatch_names_the_key_and_what_to_write(kkctl, tiny_org: Path, text: str,
                                                         path: str, message: str) -> None:
    (tiny_org / "more.yaml").write_text(text)
    found = [d for d in _validate(kkctl, tiny_org) if d["code"] == "KK100"]
    assert [(d["path"], d["message"]) for d in found] == [(path, message)]


@pytest.mark.parametrize(("field", "value", "hint"), [
    ("kind", "rot", " (did you mean 'root'?)"),
    ("kind", "Supporting", " (did you mean 'supporting'?)"),
    ("kind", "banana", ""),
])
def test_a_misspelt_allowed_value_gets_a_suggestion(kkctl, tiny_org: Path, field: str,
                                                    value: str, hint: str) -> None:
    team = tiny_org / "teams/delivery.yaml"
    team.write_text(team.read_text().replace("kind: root", f"{field}: {value}"))
    (found,) = _validate(kkctl, tiny_org)
    assert found["message"] == (f"promise 'fast': '{value}' is not one of: root, supporting, "
                                f"general{hint}")


def test_a_team_type_with_a_hyphen_gets_the_underscore_form(kkctl, tiny_org: Path) -> None:
    team = tiny_org / "teams/delivery.yaml"
    team.write_text(team.read_text().replace("leader: vera", "leader: vera\n    type: "
                                                             "value-creating"))
    (found,) = _validate(kkctl, tiny_org)
    assert found["message"].endswith("(did you mean 'value_creating'?)")


@pytest.mark.parametrize(("people", "written", "hint"), [
    (["vera", "oleg"], "vear", " (did you mean 'vera'?)"),  # two letters swapped
    (["bob"], "rob", ""),  # one letter off a short id: someone else, likely
    (["alexa", "alexb"], "alexc", ""),  # two equally close: no coin toss
    (["konstantin"], "konstantinn", " (did you mean 'konstantin'?)"),
    (["konstantin"], "konstantinos", ""),  # a different name, not a typo
    (["alexandra-smith"], "alexander-smith", ""),  # two edits: likely another person
    (["p000041", "p000042"], "ghost-p000042", ""),
])
def test_a_person_is_suggested_only_when_the_typo_is_near_certain(
        kkctl, tmp_path: Path, people: list[str], written: str, hint: str) -> None:
    listed = "".join(f"  - {{id: {p}, name: {p.title()}}}\n" for p in people)
    write_tree(tmp_path, {"kkctl.yaml": MINIMAL_PROJECT + "people:\n" + listed + f"""
teams:
  - {{id: t, name: T, leader: {written}}}
"""})
    (found,) = _validate(kkctl, tmp_path)
    assert found["message"] == (f"team 't': leader '{written}' is not a person: no entity "
                                f"has this id{hint}")


def test_a_suppression_naming_no_rule_is_an_error_at_the_name(kkctl, tiny_org: Path) -> None:
    people = tiny_org / "people.yaml"
    people.write_text(people.read_text().replace(
        "  - id: oleg\n",
        "  # kkctl: ignore[person-without-team, KK2l9] reviewed\n  - id: oleg\n"
        "    lint_ignore: [team-economic]\n"))
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    assert run.code == 1
    found = [(d["line"], d["column"], d["code"], d["message"])
             for d in _validate(kkctl, tiny_org)]
    assert found == [
        (4, 40, "KK011", "'# kkctl: ignore[...]' names no lint rule 'KK2l9' (did you mean "
                         "'KK219' (team-economics)?), so it suppresses nothing: correct the "
                         "name or remove it; 'kkctl lint --list-rules' lists them"),
        (6, 19, "KK011", "person 'oleg': lint_ignore names no lint rule 'team-economic' (did "
                         "you mean 'team-economics' (KK219)?), so it suppresses nothing: "
                         "correct the name or remove it; 'kkctl lint --list-rules' lists "
                         "them"),
    ]
    lint = _diagnostics(kkctl("lint", str(tiny_org), "-f", "json", cwd=tiny_org))
    about = [d["code"] for d in lint if "KK2l9" in d["message"] or "team-economic'" in
             d["message"]]
    assert about == ["KK011", "KK011"]  # once each: not also "suppresses nothing" (KK245)


REAL = SHARED / "corpora"


@pytest.mark.skipif(not (REAL / "kubernetes-org").is_dir(),
                    reason="the shared corpora (../shared/corpora) are not here")
@pytest.mark.parametrize("corpus", ["kubernetes-org", "backstage-acme", "rust-lang-team",
                                    "cloudfoundry-community"])
def test_real_third_party_files_get_one_diagnostic_each(kkctl, tmp_path: Path,
                                                        corpus: str) -> None:
    import shutil

    project = tmp_path / corpus
    shutil.copytree(REAL / corpus, project)
    for toml in project.rglob("*.toml"):  # a TOML file named .yaml, as found in the wild
        toml.rename(toml.with_suffix(".yaml"))
    write_tree(project, {"kkctl.yaml": MINIMAL_PROJECT})
    run = kkctl("validate", str(project), "-f", "json", cwd=project, timeout=300)
    found = _diagnostics(run)
    files = {d["file"] for d in found}
    assert found and len(found) == len(files)  # one per file, not one per key
    assert {d["code"] for d in found} == {"KK012"}
    assert all(re.search(r'exclude: \["[^"]+"\]$', d["message"]) for d in found)


@pytest.mark.parametrize("line", [b"a: " + b" " * 60_000 + b"x", b"[" + b" " * 60_000,
                                  b"[[" + b"a]" * 30_000, b"k" * 60_000 + b" = " + b" " * 60_000])
def test_telling_a_format_reads_a_hostile_line_once(kkctl, tiny_org: Path, line: bytes) -> None:
    # a second document makes the file unparsable, so its text is what kkctl looks at; a
    # pattern that backtracks would take minutes here, and the run would time out
    (tiny_org / "x.yaml").write_bytes(line + b"\n---\nb: 1\n")
    run = kkctl("validate", str(tiny_org), cwd=tiny_org, timeout=60)
    assert run.code == 1
    assert_no_traceback(run)
