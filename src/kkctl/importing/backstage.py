"""A Backstage software catalog: ``kind: Group`` entities become teams, ``kind: User``
entities people, in every ``*.yaml`` of a folder (several documents a file).

A group's parent comes from ``spec.parent`` or from the group that lists it in
``spec.children``; when the two sides disagree, or a reference leads nowhere, the import says
so at the line. Backstage records no team leader: the first member of a group leads it until
someone says otherwise (IMPORTED.md asks to check). The ``type: organization`` group with no
members of its own is the organisation itself, not a team.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kkctl.importing.core import (
    SourcePerson,
    SourceTeam,
    Structure,
    Where,
    line_of,
    read_input,
    shown_path,
    text_of,
    yaml_documents,
    yaml_files,
)
from kkctl.project import UsageError


def ref(text: object, kind: str) -> str:
    """``group:default/team-a``, ``default/team-a`` and ``team-a`` are one group."""
    value = str(text).strip().lower()
    if ":" in value:
        value = value.split(":", 1)[1]
    if "/" not in value:
        value = f"default/{value}"
    return f"{kind}:{value}"


@dataclass
class _Group:
    key: str
    data: dict[str, Any]
    where: Where
    children: list[str] = field(default_factory=list)


def read(path: Path, shown: str) -> Structure:
    if not path.exists():
        raise UsageError("import.no_input", path=shown)
    files = yaml_files(path) if path.is_dir() else [path]
    root = path if path.is_dir() else None
    groups: dict[str, _Group] = {}
    users: list[tuple[dict[str, Any], Where]] = []
    for file in files:
        name = shown_path(file)
        for doc in yaml_documents(read_input(file, name, root), name):
            if not isinstance(doc, dict):
                continue
            where = Where(name, line_of(doc, "kind"))
            meta = _dict(doc.get("metadata"))
            if not text_of(meta.get("name")):
                continue
            if doc.get("kind") == "Group":
                key = ref(f"{meta.get('namespace') or 'default'}/{meta['name']}", "group")
                groups[key] = _Group(key, doc, where)
            elif doc.get("kind") == "User":
                users.append((doc, where))
    if not groups and not users:
        raise UsageError("import.nothing", path=shown, kind="backstage")
    return _structure(shown, groups, users)


def _spec(doc: dict[str, Any]) -> dict[str, Any]:
    spec = doc.get("spec")
    return spec if isinstance(spec, dict) else {}


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _structure(shown: str, groups: dict[str, _Group],
               users: list[tuple[dict[str, Any], Where]]) -> Structure:
    out = Structure("backstage", shown, "organisation")
    members: dict[str, list[str]] = {key: [] for key in groups}
    for doc, where in users:
        meta, spec = doc["metadata"], _spec(doc)
        profile = _dict(spec.get("profile"))
        key = ref(f"{meta.get('namespace') or 'default'}/{meta['name']}", "user")
        name = text_of(profile.get("displayName")) or meta["name"]
        out.people.append(SourcePerson(key, name.strip(), where,
                                       email=text_of(profile.get("email")),
                                       hint=str(meta["name"])))
        for named in _list(spec.get("memberOf")):
            target = ref(named, "group")
            if target in members:
                members[target].append(key)
            else:
                out.warn(Where(where.file, line_of(spec, "memberOf")), "import.unknown_group",
                         name=meta["name"], group=named)
    known_users = {p.key for p in out.people}
    for group in groups.values():
        for user in _list(_spec(group.data).get("members")):
            key = ref(user, "user")
            if key in known_users and key not in members[group.key]:
                members[group.key].append(key)
    parents = _parents(groups, out)
    organisation = _organisation(groups, parents, members, out)
    for group in groups.values():
        if group.key == organisation:
            continue
        meta, spec = group.data["metadata"], _spec(group.data)
        profile = _dict(spec.get("profile"))
        parent = parents.get(group.key)
        out.teams.append(SourceTeam(
            group.key, _title(profile, meta),
            group.where, parent=None if parent == organisation else parent,
            members=members[group.key], hint=str(meta["name"]),
            description=text_of(meta.get("description"))))
    _lead(out)
    return out


def _parents(groups: dict[str, _Group], out: Structure) -> dict[str, str]:
    """Each group's parent; the two sides of the relation are checked against each other."""
    parents: dict[str, str] = {}
    for group in groups.values():
        spec = _spec(group.data)
        where = Where(group.where.file, line_of(spec, "parent"))
        if spec.get("parent"):
            parent = ref(spec["parent"], "group")
            if parent in groups:
                parents[group.key] = parent
            else:
                out.warn(where, "import.unknown_parent", team=group.data["metadata"]["name"],
                         parent=spec["parent"])
    for group in groups.values():
        spec = _spec(group.data)
        where = Where(group.where.file, line_of(spec, "children"))
        name = group.data["metadata"]["name"]
        for child_text in _list(spec.get("children")):
            child = ref(child_text, "group")
            if child not in groups:
                out.warn(where, "import.unknown_child", team=name, child=child_text)
            elif parents.get(child) != group.key:
                out.warn(where, "import.child_one_side", team=name, child=child_text,
                         parent=_name(groups, parents.get(child)))
                parents.setdefault(child, group.key)
            group.children.append(child)
    for child, parent in parents.items():
        if child not in groups[parent].children:
            spec = _spec(groups[child].data)
            out.warn(Where(groups[child].where.file, line_of(spec, "parent")),
                     "import.parent_one_side", team=groups[child].data["metadata"]["name"],
                     parent=groups[parent].data["metadata"]["name"])
    return parents


def _title(profile: dict[str, Any], meta: dict[str, Any]) -> str:
    """A group's name for people: its display name, else its title, else its id; text only."""
    return text_of(profile.get("displayName")) or text_of(meta.get("title")) or \
        str(meta["name"])


def _name(groups: dict[str, _Group], key: str | None) -> str:
    return str(groups[key].data["metadata"]["name"]) if key in groups else "—"


def _organisation(groups: dict[str, _Group], parents: dict[str, str],
                  members: dict[str, list[str]], out: Structure) -> str | None:
    """The ``type: organization`` group at the top with nobody of its own: it names the
    organisation and is no team."""
    for group in groups.values():
        spec, meta = _spec(group.data), group.data["metadata"]
        if spec.get("type") == "organization" and group.key not in parents \
                and not members[group.key]:
            profile = _dict(spec.get("profile"))
            out.org_name = _title(profile, meta)
            return group.key
    return None


def _lead(out: Structure) -> None:
    """The first member leads (Backstage has no leaders); a group with nobody of its own is
    led by the leader of its first sub-group that has one."""
    for team in out.teams:
        team.leader = team.members[0] if team.members else None
    children: dict[str | None, list[SourceTeam]] = {}
    for team in out.teams:
        children.setdefault(team.parent, []).append(team)

    def lead(team: SourceTeam, depth: int) -> str | None:
        if team.leader is None and depth < 64:
            found = (lead(c, depth + 1) for c in children.get(team.key, []))
            team.leader = next((f for f in found if f), None)
            if team.leader is not None:
                team.members.append(team.leader)
        return team.leader

    for team in out.teams:
        lead(team, 0)
