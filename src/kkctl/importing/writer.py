"""From a source's structure to the project's files, first time and every time after.

The first import writes ``kkctl.yaml``, ``org/people.yaml`` and ``org/teams.yaml`` (one file
each: a change of a few people reviews as a few lines, and 700 teams stay one file to search).
A re-import edits only the ``people`` and ``teams`` entries it finds, wherever the user moved
them, through the same ruamel.yaml round trip as ``kkctl fmt``: every other file is left as
it is on disk, and in the files it edits every comment, every hand-written field and every
other collection stays. People keep their ids (matched by table number, e-mail, id, name);
a membership that ended gets ``to:``, nobody is deleted, so past bonuses stay reproducible.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kkctl.importing.core import Ids, SourcePerson, SourceTeam, Structure, slug
from kkctl.project import UsageError

PEOPLE_FILE = "org/people.yaml"
TEAMS_FILE = "org/teams.yaml"
COUNCIL_FILE = "org/council.yaml"
_TOP_KEY = re.compile(r"^(people|teams):", re.MULTILINE)
# Plain scalars YAML 1.2 (kkctl's reader) would not read as text: they are written quoted.
_NOT_TEXT = re.compile(r"[-+]?(\d[\d_]*|0x[0-9a-fA-F]+|0o[0-7]+|(\d+\.\d*|\.\d+)([eE][-+]?\d+)?"
                       r"|\.inf|\.nan)|true|false|True|False|TRUE|FALSE|null|Null|NULL|~|"
                       r"\d{4}-\d\d-\d\d.*")


@dataclass
class Counts:
    people_added: int = 0
    people_updated: int = 0
    teams_added: int = 0
    teams_updated: int = 0
    memberships_ended: int = 0
    memberships_added: int = 0


@dataclass
class Plan:
    """What an import changes: every file's new text (only the ones that change)."""

    root: Path
    texts: dict[str, str] = field(default_factory=dict)  # relative POSIX path -> new text
    counts: Counts = field(default_factory=Counts)
    reimport: bool = False


def yaml() -> Any:
    from kkctl.fmt import _yaml  # the very writer kkctl fmt uses: same layout, nothing lost

    return _yaml()


def text(value: object) -> Any:
    """A string as a YAML scalar that kkctl reads back as that string."""
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    value = str(value)
    return SingleQuotedScalarString(value) if _NOT_TEXT.fullmatch(value) or not value \
        else value


def flow(**items: object) -> Any:
    from ruamel.yaml.comments import CommentedMap

    out = CommentedMap()
    for key, value in items.items():
        if value is not None:
            out[key.replace("_", "-") if key.startswith("x_") else key] = value
    out.fa.set_flow_style()
    return out


@dataclass
class _Doc:
    path: str
    before: str
    data: Any


class Project:
    """The people and teams already in the project, as round-trip documents."""

    def __init__(self, root: Path, taken: set[str]) -> None:
        self.root = root
        self.docs: dict[str, _Doc] = {}
        self.people: list[Any] = []  # CommentedMaps, in file order
        self.teams: list[Any] = []
        self.ids = Ids(taken)
        self._scan()

    def _scan(self) -> None:
        from ruamel.yaml.comments import CommentedMap

        for rel, raw in project_files(self.root).items():
            before = raw.decode("utf-8", errors="replace")
            if not _TOP_KEY.search(before):
                continue
            try:
                data = yaml().load(before)
            except Exception as err:  # ruamel raises many kinds: the file does not parse
                raise UsageError("import.project_unreadable", path=rel,
                                 problem=str(err).splitlines()[0] if str(err) else "") from err
            if not isinstance(data, CommentedMap):
                continue
            self.docs[rel] = _Doc(rel, before, data)
            for kind in ("people", "teams"):
                items = data.get(kind)
                if isinstance(items, list):
                    getattr(self, kind).extend(i for i in items if isinstance(i, dict))

    def collection(self, kind: str, default_file: str) -> Any:
        """The list new entities of ``kind`` are appended to: the first existing one, else a
        new collection in ``default_file``."""
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        for doc in self.docs.values():
            if isinstance(doc.data.get(kind), list):
                return doc.data[kind]
        known = self.docs.get(default_file)
        if known is None:
            if (self.root / default_file).exists():  # a file of the user's with no such list
                raise UsageError("import.file_in_the_way", path=default_file, kind=kind)
            known = self.docs[default_file] = _Doc(default_file, "", CommentedMap())
        known.data[kind] = CommentedSeq()
        return known.data[kind]

    def texts(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for rel, doc in self.docs.items():
            buffer = io.StringIO()
            yaml().dump(doc.data, buffer)
            after = buffer.getvalue().lstrip("\n")
            if after != doc.before:
                out[rel] = after
        return out


def project_files(root: Path) -> dict[str, bytes]:
    """The project's YAML files (relative POSIX path -> bytes) as the loader finds them: hidden
    ones, excluded ones and links out of the folder are skipped; each is read as a regular file
    inside the folder, at most :data:`kkctl.safeio.DEFAULT_LIMIT` bytes."""
    from kkctl.project import Project as Folder
    from kkctl.project import list_files
    from kkctl.safeio import DEFAULT_LIMIT, read_bytes_safely

    base = root.absolute()
    folder = Folder(root=base, project_file=base / "kkctl.yaml")
    out: dict[str, bytes] = {}
    for path in list_files(folder, []):
        rel = path.relative_to(base).as_posix()
        try:
            out[rel] = read_bytes_safely(path, base, DEFAULT_LIMIT, os.fspath(root / rel))
        except FileNotFoundError:
            continue  # gone since the listing, or a link to nothing: not a file of the project
    return out


# --- matching ---------------------------------------------------------------------------------

def _fold(value: object) -> str:
    return str(value).strip().casefold() if value is not None else ""


def match_people(project: Project, people: list[SourcePerson], natural_ids: bool
                 ) -> dict[str, Any]:
    """Source key -> the project's person entry it is (by table number, e-mail, id, name)."""
    by: dict[str, dict[str, Any]] = {"staff": {}, "email": {}, "id": {}, "name": {}}
    names: dict[str, int] = {}
    for entry in project.people:
        names[_fold(entry.get("name"))] = names.get(_fold(entry.get("name")), 0) + 1
    for entry in project.people:
        for field_name, key in (("x-staff-id", "staff"), ("email", "email"), ("id", "id")):
            if entry.get(field_name):
                by[key].setdefault(_fold(entry[field_name]), entry)
        if names[_fold(entry.get("name"))] == 1:
            by["name"][_fold(entry.get("name"))] = entry
    found: dict[str, Any] = {}
    used: set[int] = set()
    for person in people:
        tries = [("staff", person.staff_id), ("email", person.email)]
        if natural_ids:
            tries.append(("id", slug(person.hint or person.name, "person")))
        tries.append(("name", person.name))
        for key, value in tries:
            entry = by[key].get(_fold(value)) if value else None
            if entry is not None and id(entry) not in used:
                found[person.key] = entry
                used.add(id(entry))
                break
    return found


# --- the plan ---------------------------------------------------------------------------------

class Planner:
    def __init__(self, structure: Structure, project: Project, as_of: dt.date, reimport: bool
                 ) -> None:
        self.s, self.project, self.as_of, self.reimport = structure, project, as_of, reimport
        self.counts = Counts()
        self.person_id: dict[str, str] = {}
        self.team_id: dict[str, str] = {}
        self.people = {p.key: p for p in structure.people}

    def run(self) -> Counts:
        self._people()
        self._teams()
        return self.counts

    def _people(self) -> None:
        matched = match_people(self.project, self.s.people, self.s.kind != "staff")
        new = self.project.collection("people", PEOPLE_FILE) if \
            len(matched) < len(self.s.people) else None
        for person in self.s.people:
            entry = matched.get(person.key)
            if entry is None:
                ident = self.project.ids.claim(slug(person.hint or person.name, "person"))
                assert new is not None
                append(new, flow(id=text(ident), name=text(person.name),
                                email=text(person.email) if person.email else None,
                                x_staff_id=text(person.staff_id) if person.staff_id else None))
                self.counts.people_added += 1
            else:
                ident = str(entry["id"])
                if self._update(entry, "name", person.name) | \
                        (person.email is not None and self._update(entry, "email", person.email)):
                    self.counts.people_updated += 1
            self.person_id[person.key] = ident

    @staticmethod
    def _update(entry: Any, key: str, value: str) -> bool:
        if str(entry.get(key, "")) == value:
            return False
        entry[key] = text(value)
        return True

    def _teams(self) -> None:
        existing = {(_fold(t.get("name")), _fold(t.get("parent"))): t for t in self.project.teams}
        by_name: dict[str, list[Any]] = {}
        for entry in self.project.teams:
            by_name.setdefault(_fold(entry.get("name")), []).append(entry)
        new = None
        for team in self.s.teams:
            parent = self.team_id.get(team.parent) if team.parent else None
            entry = existing.get((_fold(team.name), _fold(parent)))
            if entry is None and len(by_name.get(_fold(team.name), [])) == 1:
                entry = by_name[_fold(team.name)][0]
            if entry is None:
                if new is None:
                    new = self.project.collection("teams", TEAMS_FILE)
                entry = self._new_team(team, parent)
                append(new, entry)
                self.counts.teams_added += 1
            else:
                changed = self._update(entry, "name", team.name)
                changed |= self._set_ref(entry, "parent", parent)
                changed |= self._set_ref(entry, "leader", self.person_id[team.leader or ""])
                changed |= self._members(entry, team)
                self.counts.teams_updated += changed
            self.team_id[team.key] = str(entry["id"])

    def _new_team(self, team: SourceTeam, parent: str | None) -> Any:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        entry = CommentedMap()
        entry["id"] = text(self.project.ids.claim(slug(team.hint or team.name, "team")))
        entry["name"] = text(team.name)
        if parent:
            entry["parent"] = text(parent)
        entry["leader"] = text(self.person_id[team.leader or ""])
        entry["members"] = CommentedSeq()
        self._members(entry, team)
        if team.description and team.description.strip() != team.name:
            entry["description"] = text(" ".join(team.description.split()))
        return entry

    @staticmethod
    def _set_ref(entry: Any, key: str, value: str | None) -> bool:
        if value is None:
            if key in entry:
                del entry[key]
                return True
            return False
        if str(entry.get(key, "")) == value:
            return False
        entry[key] = text(value)
        return True

    def _members(self, entry: Any, team: SourceTeam) -> bool:
        """Bring the team's members in line with the source: a member who is gone gets
        ``to:``, a new one is added (``from:`` the import's date on a re-import)."""
        from ruamel.yaml.comments import CommentedSeq

        members = entry.get("members")
        if not isinstance(members, list):
            members = entry["members"] = CommentedSeq()
        wanted = {self.person_id[k]: self.people[k] for k in dict.fromkeys(team.members)}
        open_entries: dict[str, int] = {}
        closed: dict[str, str] = {}
        for i, item in enumerate(members):
            person, ended = _member(item)
            if ended is None:
                open_entries[person] = i
            else:
                closed[person] = ended
        changed = False
        for person, i in open_entries.items():
            source = wanted.get(person)
            end = source.end if source is not None else self.as_of
            if end is not None:
                members[i] = _ended(members[i], end)
                self.counts.memberships_ended += 1
                changed = True
        for person, source in wanted.items():
            if person in open_entries or (source.end is not None and
                                          closed.get(person) == source.end.isoformat()):
                continue
            start = source.start or (self.as_of if self.reimport else None)
            if source.end is not None and person in closed:
                continue  # left before, and the source says they left: nothing new
            append(members, flow(person=text(person), **{"from": _iso(start), "to":
                                                         _iso(source.end)})
                           if start or source.end else text(person))
            self.counts.memberships_added += 1
            changed = True
        return changed


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _member(item: object) -> tuple[str, str | None]:
    if isinstance(item, dict):
        to = item.get("to")
        return str(item.get("person", "")), (str(to) if to not in (None, "") else None)
    return str(item), None


def _ended(item: object, end: dt.date) -> Any:
    """The membership with ``to:`` set, never before its ``from:``."""
    if isinstance(item, dict):
        start = str(item.get("from") or "")
        item["to"] = max(end.isoformat(), start) if start else end.isoformat()
        return item
    return flow(person=text(item), to=end.isoformat())


def prune(structure: Structure) -> None:
    """Teams nobody can lead (no one in them or below) are left out, their sub-teams moved to
    the nearest team above that stays: every team in the format has a leader."""
    gone = {t.key: t.parent for t in structure.teams if t.leader is None}
    for team in structure.teams:
        if team.key in gone:
            structure.warn(team.where, "import.team_empty", team=team.name)
    structure.teams = [t for t in structure.teams if t.key not in gone]
    above: dict[str, str | None] = {}  # a team left out -> the nearest team above that stays
    for team in structure.teams:
        chain: list[str] = []
        at: str | None = team.parent
        while at in gone and at not in above and at not in chain:
            chain.append(at)
            at = gone[at]
        found: str | None = None  # a circle of left-out teams: the top level
        if at is not None and at not in chain:
            found = above.get(at, at)
        for key in chain:  # each left-out team is walked once: a chain of 5,000 stays linear
            above[key] = found
        if team.parent in gone:
            team.parent = above[team.parent]
    structure.teams = parents_first(structure.teams)


def parents_first(teams: list[SourceTeam]) -> list[SourceTeam]:
    """The teams in source order, except that a parent always comes before its sub-teams
    (an id is handed out to a parent before a child refers to it). A parent that is not there,
    or a circle of parents, leaves the team at the top level."""
    by_key = {t.key: t for t in teams}
    ordered: list[SourceTeam] = []
    placed: set[str] = set()
    for team in teams:
        # up the chain of parents not placed yet, then placed top-down: no recursion, so a
        # catalog of 5,000 groups each inside the next neither crashes nor goes quadratic
        chain: list[SourceTeam] = []
        on_chain: set[str] = set()
        at: SourceTeam | None = team
        while at is not None and at.key not in placed:
            chain.append(at)
            on_chain.add(at.key)
            if at.parent in on_chain or (at.parent is not None and at.parent not in by_key):
                at.parent = None
            at = by_key[at.parent] if at.parent is not None else None
        for step in reversed(chain):
            placed.add(step.key)
            ordered.append(step)
    return ordered


def project_file(structure: Structure, org_id: str, lang: str, today: dt.date) -> str:
    from kkctl.importing.words import word

    comment = word("kkctl_comment", lang, kind=structure.kind, source=structure.source,
                   date=today.isoformat())
    buffer = io.StringIO()
    data = _mapping(organisation=_mapping(id=text(org_id), name=text(structure.org_name),
                                          locale=lang))
    yaml().dump(data, buffer)
    return f"# {comment}\n\nkkctl: 1\n\n{buffer.getvalue()}"


def _mapping(**items: object) -> Any:
    from ruamel.yaml.comments import CommentedMap

    out = CommentedMap()
    out.update(items)
    return out


def council_file(structure: Structure, team_ids: dict[str, str], people: dict[str, str],
                 council: str, lang: str) -> str | None:
    """The council of managers holding a GitHub organisation's admin rights, and those
    authorities (the first import only: afterwards they are the user's)."""
    from ruamel.yaml.comments import CommentedSeq

    from kkctl.importing.words import word

    if not structure.authorities:
        return None
    data = _mapping()
    holders = [a for a in structure.authorities if a.holder_team is None]
    if holders:
        members = CommentedSeq(text(people[k]) for k in
                               dict.fromkeys(k for a in holders for k in a.people))
        members.fa.set_flow_style()
        data["councils"] = CommentedSeq([_mapping(id=text(council), name=text(word(
            "council_name", lang)), kind="company", members=members)])
    data["authorities"] = CommentedSeq(
        flow(id=text(a.id), scope=text(a.scope),
             holder=text(team_ids[a.holder_team] if a.holder_team else council))
        for a in structure.authorities)
    buffer = io.StringIO()
    yaml().dump(data, buffer)
    return f"# {word('council_comment', lang)}\n{buffer.getvalue()}"


def append(seq: Any, item: Any) -> None:
    """Append ``item`` to a round-trip list, keeping the comment lines that followed the list
    after it. ruamel.yaml hangs a comment on the last thing before it (the last member of the
    last team holds the comment above the next collection); appended after that, the new item
    would push its way between a comment and what the comment is about."""
    moved = _trailing(seq, 0)
    seq.append(item)
    if moved:
        _place(seq, "".join(t.value if t.value.endswith("\n") else t.value + "\n"
                            for t in moved), moved[0])


def _place(node: Any, comment: str, like: Any) -> None:
    """Hang ``comment`` (whole lines) after the last line of ``node``'s text."""
    for _ in range(64):
        key: Any = len(node) - 1 if isinstance(node, list) else list(node)[-1]
        last = node[key]
        if isinstance(last, (list, dict)) and len(last) and not _is_flow(last):
            node = last
            continue
        position = 0 if isinstance(node, list) else 2
        slot = node.ca.items.setdefault(key, [None, None, None, None])
        if slot[position] is None:
            slot[position] = _token("\n" + comment, like)
        else:
            slot[position].value += comment
        return


def _trailing(node: Any, depth: int) -> list[Any]:
    """The comment tokens after the last line of ``node``'s text, taken off it (an
    end-of-line comment of that last line stays where it is)."""
    if depth > 64 or not hasattr(node, "ca") or not len(node):
        return []
    comments: Any = node.ca
    # comments after a list that ends in a flow mapping: the column is kept apart from the text
    taken = [_token(t.value if t.value[:1] in ("\n", " ") else
                    " " * (t.start_mark.column if t.start_mark else 0) + t.value, t)
             for t in comments.end or []]
    comments.end = []
    if isinstance(node, list):
        slot, position, last = comments.items.get(len(node) - 1), 0, node[-1]
    else:
        key = list(node)[-1]
        slot, position, last = comments.items.get(key), 2, node[key]
    if slot is not None and slot[position] is not None:
        token = slot[position]
        eol, sep, rest = token.value.partition("\n")
        if eol.strip().startswith("#") and rest.strip():
            token.value = eol + sep
            taken.insert(0, _token(rest, token))
        elif not eol.strip() and rest.strip():  # no end-of-line comment: all of it moves
            slot[position] = None
            taken.insert(0, _token(rest, token))
    if isinstance(last, (list, dict)) and not _is_flow(last):
        taken = _trailing(last, depth + 1) + taken
    return taken


def _token(text: str, like: Any) -> Any:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    # column 0: the text carries its own indentation, which the emitter then keeps
    del like
    return CommentToken(text, CommentMark(0), None)


def _is_flow(node: Any) -> bool:
    return bool(getattr(node, "fa", None) is not None and node.fa.flow_style())
