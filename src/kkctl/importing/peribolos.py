"""A GitHub organisation as Peribolos keeps it: ``orgs: {name: {admins, members, teams}}`` in
one file, or (the Kubernetes layout) one ``org.yaml`` per organisation folder with more
``teams.yaml`` files below it.

Teams nest (``teams:`` inside a team); the first maintainer leads a team, the other
maintainers and the members are its members. GitHub logins are case-insensitive, so people are
matched case-insensitively across teams and organisations. The organisation's admins hold an
authority over it: the council of managers', or a team named with ``--admins-team``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from kkctl.importing.core import (
    Authority,
    SourcePerson,
    SourceTeam,
    Structure,
    Where,
    line_of,
    read_input,
    shown_path,
    slug,
    text_of,
    yaml_documents,
    yaml_files,
)
from kkctl.project import UsageError

_ORG_KEYS = ("admins", "members", "teams")


def read(path: Path, shown: str, admins_team: str | None) -> Structure:
    if not path.exists():
        raise UsageError("import.no_input", path=shown)
    files = yaml_files(path) if path.is_dir() else [path]
    root = path if path.is_dir() else None
    orgs: dict[str, list[tuple[dict[str, Any], Where]]] = {}
    for file in files:
        name = shown_path(file)
        for doc in yaml_documents(read_input(file, name, root), name):
            for org, config in _orgs_of(doc, file, path):
                orgs.setdefault(org, []).append((config, Where(name, getattr(config, "line", 0))))
    if not orgs:
        raise UsageError("import.nothing", path=shown, kind="peribolos")
    return _structure(shown, orgs, admins_team)


def _orgs_of(doc: object, file: Path, root: Path) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(doc, dict):
        return []
    if isinstance(doc.get("orgs"), dict):
        return [(str(k), v) for k, v in doc["orgs"].items() if isinstance(v, dict)]
    if any(k in doc for k in _ORG_KEYS):
        return [(_org_folder(file, root), doc)]
    return []


def _org_folder(file: Path, root: Path) -> str:
    """The organisation a file of the Kubernetes layout belongs to: the nearest folder above
    it (inside the input) that holds an ``org.yaml``, else the file's own folder."""
    for folder in file.parents:
        if (folder / "org.yaml").is_file():
            return folder.name
        if folder == root or root not in folder.parents:
            break
    return file.parent.name


def _structure(shown: str, orgs: dict[str, list[tuple[dict[str, Any], Where]]],
               admins_team: str | None) -> Structure:
    out = Structure("peribolos", shown, next(iter(orgs)) if len(orgs) == 1 else
                    Path(shown.rstrip("/")).name or "organisation")
    people: dict[str, SourcePerson] = {}

    def person(login: object, where: Where) -> str:
        key = str(login).strip().casefold()
        if key not in people:
            people[key] = SourcePerson(key, str(login).strip(), where, hint=key)
        return key

    names = Counter(str(team) for configs in orgs.values() for config, _ in configs
                    for team in _teams_of(config))
    several = len(orgs) > 1
    for org, configs in orgs.items():
        admins: list[str] = []
        for config, where in configs:
            for field in ("admins", "members"):
                line = Where(where.file, line_of(config, field))
                keys = [person(login, line) for login in _logins(config.get(field))]
                if field == "admins":
                    admins += keys
            _add_teams(out, org, config.get("teams"), None, where.file, person,
                       lambda name: several and names[name] > 1)
        if admins:
            out.authorities.append(Authority(
                f"github-{slug(org, 'org')}-admin", f"github:{org}: administer the organisation",
                f"{org}/{admins_team}" if admins_team else None, admins))
    _only_placed(out, people, orgs)
    if admins_team is not None:
        _admins_team(out, admins_team)
    return out


def _admins_team(out: Structure, name: str) -> None:
    """``--admins-team NAME``: the team of that name in the organisation itself, else in any
    of the organisations read."""
    keys = {t.key for t in out.teams}
    anywhere = [t.key for t in out.teams if t.name.casefold() == name.casefold()]
    for authority in out.authorities:
        own = authority.holder_team
        if own not in keys:
            if not anywhere:
                raise UsageError("import.no_admins_team", team=name)
            authority.holder_team = anywhere[0]


def _only_placed(out: Structure, people: dict[str, SourcePerson],
                 orgs: dict[str, list[tuple[dict[str, Any], Where]]]) -> None:
    """People in no team and holding no admin rights are left out: an organisation member
    with no team is no one's colleague in the format (lint would list each of them). Each
    organisation's count is said at its ``members:`` line."""
    placed = {k for t in out.teams for k in t.members} | \
        {k for a in out.authorities for k in a.people}
    out.people = [p for p in people.values() if p.key in placed]
    for org, configs in orgs.items():
        for config, where in configs:
            left = [x for x in _logins(config.get("members")) if x.casefold() not in placed]
            if left:
                out.warn(Where(where.file, line_of(config, "members")), "import.no_team",
                         org=org, count=len(left), example=", ".join(left[:3]))


def _teams_of(config: dict[str, Any]) -> list[str]:
    teams = config.get("teams")
    if not isinstance(teams, dict):
        return []
    found = list(teams)
    for team in teams.values():
        if isinstance(team, dict):
            found += _teams_of(team)
    return found


def _logins(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str) and v.strip()] \
        if isinstance(value, list) else []


def _add_teams(out: Structure, org: str, teams: object, parent: str | None, file: str,
               person: Any, prefixed: Any) -> None:
    if not isinstance(teams, dict):
        return
    for name, config in teams.items():
        config = config if isinstance(config, dict) else {}
        where = Where(file, line_of(teams, name))
        maintainers = [person(x, Where(file, line_of(config, "maintainers")))
                       for x in _logins(config.get("maintainers"))]
        members = [person(x, Where(file, line_of(config, "members")))
                   for x in _logins(config.get("members"))]
        everyone = list(dict.fromkeys(maintainers + members))
        key = f"{org}/{name}"
        out.teams.append(SourceTeam(
            key, str(name), where, parent=parent, leader=everyone[0] if everyone else None,
            members=everyone, hint=f"{org}-{name}" if prefixed(name) else str(name),
            description=text_of(config.get("description"))))
        _add_teams(out, org, config.get("teams"), key, file, person, prefixed)
