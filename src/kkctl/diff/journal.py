"""`kkctl log`: the organisation's journal, commit by commit, in entity terms.

Which commits. The first-parent line of HEAD, like a release journal: every state the
journal walks through is one the main line really had, a merged branch appears once, as its
merge commit compared with its first parent (the day the change took effect), and the
branch's own commits, proposals the organisation never was in, are not shown again. Only
commits that change one of the organisation's files (below the project folder, read the way
the loader reads a folder: hidden files and ``exclude:`` left out).

What changed. Each revision's organisation is compared with the one before by the diff engine
(:func:`kkctl.diff.compare.compare`): entities matched by id, so a file renamed or an entity
moved to another file is no change. The changes are then told as events: who joins and leaves
which team, who leads it, promises given and withdrawn, authorities granted, moved, widened,
reward schemes changed, periods closed (:mod:`kkctl.diff.journal_render` says them in words).

Cost. The history is read with a handful of git processes (``rev-list``, one ``diff-tree``
for all the commits, ``cat-file --batch`` for the commits and, a chunk of commits at a time,
for the blobs).
A file version (path and blob) is parsed and built once and shared by every revision that
has it; a revision's organisation is put together from its files' entities, and only the
entities of the files a commit touches are compared. So a commit costs what it changes, not
the size of the organisation. Per-person amounts (``paid``, ``payouts``) are never shown:
only what a scheme paid in total.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kkctl import model as m
from kkctl.build import build
from kkctl.diagnostics import Diagnostic, Severity
from kkctl.diff import gitsource
from kkctl.diff.compare import Change, FieldChange, compare
from kkctl.loader import Options, Reader, declared_locale, exclude_of
from kkctl.messages import MESSAGES, closest, did_you_mean
from kkctl.project import Project, UsageError, list_files, locate
from kkctl.yamlread import ParsedFile

MESSAGES.update({
    "log.not_a_repository": {
        "en": "'{path}' is not inside a git repository: kkctl log reads the organisation's "
              "git history; commit the organisation to git first",
        "ru": "'{path}' не в репозитории git: kkctl log читает историю организации в git; "
              "сначала добавьте организацию в git",
    },
    "log.git_missing": {
        "en": "git is not installed: kkctl log reads the organisation's git history",
        "ru": "git не установлен: kkctl log читает историю организации в git",
    },
    "log.no_commits": {
        "en": "the repository has no commits yet: commit the organisation, then run kkctl log",
        "ru": "в репозитории ещё нет коммитов: закоммитьте организацию и запустите kkctl log",
    },
    "log.unknown_entity": {
        "en": "no entity '{id}' in the organisation or in its history{hint}; the ids are "
              "the ones in parentheses in 'kkctl log'",
        "ru": "сущности '{id}' нет ни в организации, ни в её истории{hint}; id — то, что "
              "'kkctl log' пишет в скобках",
    },
    "log.shallow": {
        "en": "the history before commit {commit} is not in this shallow clone, so the journal "
              "starts after it; fetch it with 'git fetch --unshallow' (in CI: "
              "actions/checkout with fetch-depth: 0)",
        "ru": "истории до коммита {commit} нет в этом неполном клоне, и журнал начинается после "
              "него; загрузите её: 'git fetch --unshallow' (в CI: actions/checkout с "
              "fetch-depth: 0)",
    },
})

CHUNK = 64  # commits whose new blobs are read with one cat-file

# --- the walk -----------------------------------------------------------------------------


@dataclass
class _Version:
    """One version of one file, built alone: its entities by id (the first of an id wins, as
    in the loader), and kkctl.yaml's settings."""

    entities: dict[str, m.Entity]
    settings: m.Settings | None = None
    exclude: list[str] = field(default_factory=list)
    problem: Diagnostic | None = None  # it could not be read: why


@dataclass
class _Revision:
    blobs: dict[str, str]  # every YAML file below the project folder -> its blob id
    files: dict[str, _Version]  # the version in effect (the last readable one)
    order: list[str]  # the organisation's files, as the loader lists them
    by_id: dict[str, m.Entity]
    settings: m.Settings
    included: set[str] = field(default_factory=set)  # ``order`` as a set
    total: int = 0  # entities in the files, duplicate ids counted: == len(by_id) if none


_NOWHERE = _Revision({}, {}, [], {}, m.Settings())


@dataclass
class Unreadable:
    file: str
    problem: Diagnostic


@dataclass
class Event:
    """One thing that happened: its subject (``kind``, ``id``, ``name``), what (``event``)
    and the details, whose entities are ``{"kind", "id", "name"}`` mappings."""

    kind: str
    id: str
    name: str
    event: str
    details: dict[str, Any]
    sign: str  # + something appears, - something goes, ~ something changes
    mentions: set[str] = field(default_factory=set)  # every entity id the event is about

    def about(self, ident: str) -> bool:
        return ident == self.id or ident in self.mentions


@dataclass
class Entry:
    commit: gitsource.CommitInfo
    events: list[Event]
    unreadable: list[Unreadable]
    currency: str


@dataclass
class Journal:
    entries: list[Entry]  # newest first
    organisation: tuple[str, str]  # id, name (as HEAD has them)
    locale: str | None
    since: str | None
    entity: str | None
    boundary: str | None = None  # a shallow clone's first commit: the journal starts after it
    files: list[str] = field(default_factory=list)  # HEAD's files on disk: never an output


class _Walk:
    """Revisions of one project's files, built from file versions shared between them."""

    def __init__(self, repo: Path, project: Project, options: Options) -> None:
        self.repo = repo
        self.root = project.root
        self.prefix = gitsource.relative_in_repo(repo, project.root)
        self.project_rel = project.project_file.relative_to(project.root).as_posix()
        self.pathspec = f"{self.prefix}/{self.project_rel}".lstrip("/") \
            if project.single_file else self.prefix
        self.project = Project(root=project.root, project_file=project.project_file,
                               single_file=project.single_file, display_root=project.root,
                               files={})
        self.options = options
        self.reader = Reader(self.project, options)
        self.versions: dict[tuple[str, str], _Version] = {}
        self.data: dict[str, bytes | Diagnostic] = {}  # blob id -> bytes, or why there are none

    # -- git -------------------------------------------------------------------------------
    def rel(self, path: str) -> str | None:
        if not self.prefix:
            return path
        return path[len(self.prefix) + 1:] if path.startswith(self.prefix + "/") else None

    def fetch(self, wanted: Iterable[tuple[str, str]]) -> None:
        """Read the blobs of the file versions not built yet, two git processes for all."""
        blobs = sorted({blob for rel, blob in wanted
                        if (rel, blob) not in self.versions and blob not in self.data})
        limit = self.options.max_file_size
        sizes = gitsource.object_sizes(self.repo, blobs)
        small = [b for b in blobs if (sizes.get(b) or 0) <= limit and sizes.get(b) is not None]
        for blob in blobs:
            size = sizes.get(blob)
            if size is None:
                self.data[blob] = _problem("file.unreadable", reason={
                    "en": "not in this clone", "ru": "нет в этом клоне"})
            elif size > limit:
                self.data[blob] = _problem("file.too_large", size=size, limit=limit)
        for blob, found in zip(small, gitsource.read_objects(self.repo, small), strict=True):
            self.data[blob] = found[1] if found is not None else _problem(
                "file.unreadable", reason={"en": "not in this clone", "ru": "нет в этом клоне"})

    def build(self, wanted: list[tuple[str, str]]) -> None:
        """Parse (through the parse cache) and build the versions not built yet."""
        todo = [(rel, blob) for rel, blob in wanted if (rel, blob) not in self.versions]
        readable = [(rel, blob) for rel, blob in todo if isinstance(self.data.get(blob), bytes)]
        for rel, blob in todo:
            found = self.data.get(blob)
            if isinstance(found, Diagnostic):
                self.versions[(rel, blob)] = _Version({}, problem=found.but(file=rel))
        assert self.project.files is not None
        self.project.files.clear()
        for rel, blob in readable:
            data = self.data[blob]
            assert isinstance(data, bytes)
            self.project.files[rel] = data
        raws = [self.reader.read_raw(self.root / rel) for rel, _ in readable]
        for (rel, blob), parsed in zip(readable, self.reader.parse_all(raws), strict=True):
            self.versions[(rel, blob)] = self._version(rel, parsed)
        self.project.files.clear()

    def _version(self, rel: str, parsed: ParsedFile) -> _Version:
        data = parsed.data
        if data is None and parsed.diagnostics:
            return _Version({}, problem=parsed.diagnostics[0])
        if data is not None and not isinstance(data, dict):
            found = {"en": "a list", "ru": "список"} if isinstance(data, list) else \
                {"en": "a single value", "ru": "одно значение"}
            return _Version({}, problem=Diagnostic("KK007", Severity.ERROR, rel, 1, 1, (),
                                                   "file.root_type", {"found": found}))
        org, _ = build([parsed])
        if rel != self.project_rel:
            return _Version(org.by_id)
        return _Version(org.by_id, org.settings, exclude_of(parsed))

    def forget(self, keep: _Revision) -> None:
        """Drop the versions and bytes no later revision starts from (memory stays that of
        one revision and one chunk)."""
        current = set(keep.blobs.items())
        self.versions = {key: v for key, v in self.versions.items() if key in current}
        self.data.clear()

    # -- revisions -------------------------------------------------------------------------
    def at(self, commit: str) -> _Revision:
        """The organisation at ``commit``, whole."""
        listed = gitsource.listing(self.repo, commit, self.pathspec)
        entries = [(rel, blob) for path, blob in listed.items()
                   if (rel := self.rel(path)) is not None]
        self.fetch(entries)
        self.build(entries)
        return self.advance(_NOWHERE, entries)[0]

    def advance(self, before: _Revision, entries: Sequence[tuple[str, str | None]]
                ) -> tuple[_Revision, list[Unreadable]]:
        """The revision after a commit that changed ``entries`` (``(file, blob)``, None:
        gone). A file that cannot be read keeps its last readable version, so a broken
        commit does not read as everything in the file removed and then added again."""
        blobs, files = dict(before.blobs), dict(before.files)
        unreadable: list[Unreadable] = []
        for rel, blob in entries:
            if blob is None:
                blobs.pop(rel, None)
                files.pop(rel, None)
                continue
            blobs[rel] = blob
            version = self.versions[(rel, blob)]
            if version.problem is not None:
                unreadable.append(Unreadable(rel, version.problem))
                if rel in files:
                    continue
            files[rel] = version
        project = files.get(self.project_rel) if self.project_rel in blobs else None
        settings = project.settings if project and project.settings else m.Settings()
        exclude = project.exclude if project else []
        same_names = all(blob is not None and rel in before.blobs for rel, blob in entries)
        before_project = before.files.get(self.project_rel)
        if same_names and before_project is not None and before_project.exclude == exclude:
            order, included = before.order, before.included
            patched = _patched(before, files, {rel for rel, _ in entries})
        else:
            order = self._order(blobs, exclude)
            included, patched = set(order), None
        by_id, total = patched or _merged(order, files)
        return _Revision(blobs, files, order, by_id, settings, included, total), unreadable

    def _order(self, blobs: dict[str, str], exclude: list[str]) -> list[str]:
        listed = Project(root=self.root, project_file=self.project.project_file,
                         single_file=self.project.single_file, files=dict.fromkeys(blobs, b""))
        paths = list_files(listed, exclude)
        return [rel for path in paths if (rel := path.relative_to(self.root).as_posix())
                in blobs]


def _merged(order: list[str], files: dict[str, _Version]) -> tuple[dict[str, m.Entity], int]:
    """The revision's entities by id: the first file (in the loader's order) to define an
    id wins, as in the loader."""
    by_id: dict[str, m.Entity] = {}
    total = 0
    for rel in order:
        entities = files[rel].entities
        total += len(entities)
        for ident, entity in entities.items():
            by_id.setdefault(ident, entity)
    return by_id, total


def _patched(before: _Revision, files: dict[str, _Version], changed: set[str]
             ) -> tuple[dict[str, m.Entity], int] | None:
    """The same as :func:`_merged` when the files are the same ones and no id is defined
    twice, at the cost of the files that changed; None when ids repeat (then which one wins
    depends on the order: merged anew)."""
    if before.total != len(before.by_id):
        return None
    by_id, total = dict(before.by_id), before.total
    moved = [rel for rel in changed
             if rel in before.included and before.files.get(rel) is not files.get(rel)]
    for rel in moved:
        old = before.files.get(rel)
        if old is not None:
            for ident in old.entities:
                by_id.pop(ident, None)
            total -= len(old.entities)
    for rel in moved:
        new = files.get(rel)
        if new is not None:
            by_id.update(new.entities)
            total += len(new.entities)
    return (by_id, total) if total == len(by_id) else None


def _problem(message_id: str, **args: Any) -> Diagnostic:
    return Diagnostic("KK006", Severity.ERROR, "", 1, 1, (), message_id, dict(args))


def _changed_ids(before: _Revision, after: _Revision, touched: set[str]) -> set[str]:
    """The ids whose entity may differ: those of the files the commit touched, and of files
    that joined or left the organisation (an ``exclude:`` changed)."""
    was, now = before.included, after.included
    ids: set[str] = set()
    for rel in touched | (was ^ now):
        if rel in was and rel in before.files:
            ids.update(before.files[rel].entities)
        if rel in now and rel in after.files:
            ids.update(after.files[rel].entities)
    return ids


def _view(revision: _Revision, ids: set[str]) -> m.Organisation:
    """The part of a revision a comparison needs: the entities that may have changed."""
    by_id = {i: revision.by_id[i] for i in ids if i in revision.by_id}
    return m.Organisation(settings=revision.settings, files=[], by_id=by_id)


def history(walk: _Walk, head: str, since: str | None, detailed: bool
            ) -> tuple[list[Entry], _Revision, str | None]:
    """The entries of the commits after ``since`` up to ``head`` (oldest first), the
    organisation at ``head``, and a shallow clone's boundary commit if the walk hit one.
    ``detailed``: the commit that brings the organisation in is told entity by entity too
    (``--entity`` looks for its own events there)."""
    repo = walk.repo
    newest_first = gitsource.first_parent_commits(repo, head, since, walk.pathspec)
    if not newest_first:
        return [], walk.at(head), None
    commits = gitsource.read_commits(repo, newest_first)
    order = [c for c in reversed(newest_first) if commits.get(c) is not None]
    before, boundary = _start(walk, commits, order)
    pairs = [(c, info.parents[0] if (info := commits[c]) and info.parents else None)
             for c in order]
    changed = gitsource.changed_files(repo, pairs, walk.pathspec)
    entries: list[Entry] = []
    for start in range(0, len(order), CHUNK):
        chunk = order[start:start + CHUNK]
        per_commit = {c: [(rel, blob) for path, blob in changed.get(c, [])
                          if (rel := walk.rel(path)) is not None] for c in chunk}
        walk.fetch((rel, blob) for items in per_commit.values()
                   for rel, blob in items if blob is not None)
        for commit in chunk:
            info = commits[commit]
            assert info is not None
            before, found = _step(walk, before, per_commit[commit], info, detailed)
            if found is not None:
                entries.append(found)
        walk.forget(before)
    return entries, before, boundary


def _start(walk: _Walk, commits: dict[str, gitsource.CommitInfo | None], order: list[str]
           ) -> tuple[_Revision, str | None]:
    """The organisation before the first commit of ``order``: its first parent's; nothing
    for a root commit. In a shallow clone whose boundary is that commit, what it changed is
    unknown: the walk starts from it (and ``order`` loses it)."""
    first = commits[order[0]]
    assert first is not None
    parent = first.parents[0] if first.parents else None
    if parent is None:
        return _NOWHERE, None
    if gitsource.object_sizes(walk.repo, [parent]).get(parent) is not None:
        return walk.at(parent), None
    boundary = order.pop(0)
    return walk.at(boundary), boundary


def _step(walk: _Walk, before: _Revision, items: list[tuple[str, str | None]],
          info: gitsource.CommitInfo, detailed: bool) -> tuple[_Revision, Entry | None]:
    """The revision after one commit, and its entry if it touched the organisation."""
    walk.build([(rel, blob) for rel, blob in items if blob is not None])
    after, unreadable = walk.advance(before, items)
    touched = {rel for rel, _ in items}
    if not touched & (before.included | after.included):
        return after, None  # an excluded or hidden file only
    currency = after.settings.currency
    recorded = _recorded(before, after)
    if recorded is not None and not detailed:
        return after, Entry(info, [recorded], unreadable, currency)
    ids = _changed_ids(before, after, {r for r in touched
                                       if before.files.get(r) is not after.files.get(r)})
    changes = compare(_view(before, ids), _view(after, ids))
    return after, Entry(info, events(changes, before, after), unreadable, currency)


# --- events -------------------------------------------------------------------------------

# What appearing and going are called, by kind.
_APPEAR = {"person": ("joined", "left"), "team": ("created", "dissolved"),
           "council": ("created", "dissolved"), "promise": ("given", "withdrawn"),
           "authority": ("granted", "revoked"), "reward_scheme": ("introduced", "abolished"),
           "period": ("opened", "removed")}


def _name(entity: m.Entity | None, ident: str) -> str:
    if entity is None:
        return ident
    if isinstance(entity, m.Authority):
        return entity.scope or ident
    for attribute in ("name", "text"):
        value = getattr(entity, attribute, None)
        if isinstance(value, str) and value:
            return value
    return ident


def _ref(revision: _Revision, ident: str | None) -> dict[str, Any] | None:
    """An entity a detail names: ``{"kind", "id", "name"}`` as ``revision`` has it."""
    if ident is None:
        return None
    entity = revision.by_id.get(ident)
    kind = entity.kind if entity is not None else None
    if isinstance(entity, m.Client) and entity.client_kind == "partner":
        kind = "partner"
    return {"kind": kind, "id": ident, "name": _name(entity, ident)}


def _ref_id(ref: m.Ref | None) -> str | None:
    return ref.id if ref is not None else None


def _event(change_kind: str, ident: str, name: str, what: str, sign: str,
           **details: Any) -> Event:
    event = Event(change_kind, ident, name, what, {k: v for k, v in details.items()
                                                    if v is not None}, sign)
    event.mentions = set(_ids_in(event.details))
    return event


def _ids_in(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if isinstance(value.get("id"), str) and "kind" in value:
            yield value["id"]
        for item in value.values():
            yield from _ids_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ids_in(item)


def events(changes: list[Change], before: _Revision, after: _Revision) -> list[Event]:
    out: list[Event] = []
    for change in changes:
        if change.op == "changed":
            out += _changed(change, before, after)
        else:
            side = after if change.op == "added" else before
            out += _whole(change, side)
    for event in out:  # a generic change names entities only by their ids
        if event.event == "changed":
            event.mentions |= {v for v in _strings(event.details)
                               if v in after.by_id or v in before.by_id}
    return out


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _whole(change: Change, side: _Revision) -> list[Event]:
    """An entity that appeared or went, told by its kind; a team's or a council's people
    join or leave it with it."""
    entity = side.by_id.get(change.id)
    added = change.op == "added"
    what = _APPEAR.get(change.kind, ("added", "removed"))[0 if added else 1]
    sign = "+" if added else "-"
    name = _name(entity, change.id)
    details: dict[str, Any] = {}
    if isinstance(entity, m.Promise):
        details = {"giver": _ref(side, _ref_id(entity.giver)),
                   "receiver": _ref(side, _ref_id(entity.receiver)), "text": entity.text}
    elif isinstance(entity, m.Authority):
        details = {"holder": _ref(side, _ref_id(entity.holder)), "scope": entity.scope}
    elif isinstance(entity, m.RewardScheme):
        details = {"unit": _ref(side, _ref_id(entity.unit))}
    elif isinstance(entity, m.Period):
        details = {"start": _iso(entity.start), "end": _iso(entity.end)}
    out = [_event(change.kind, change.id, name, what, sign, **details)]
    if isinstance(entity, m.Team | m.Council):
        for member in _members(entity):
            out.append(_membership(change.kind, change.id, name, side, member,
                                   "member_joined" if added else "member_left", sign))
    return out


def _members(unit: m.Team | m.Council) -> list[m.Member]:
    seen: dict[str, m.Member] = {}
    for member in unit.members:
        seen.setdefault(member.person.id, member)
    return list(seen.values())


def _membership(kind: str, ident: str, name: str, side: _Revision, member: m.Member,
                what: str, sign: str) -> Event:
    joining = what == "member_joined"
    return _event(kind, ident, name, what, sign, person=_ref(side, member.person.id),
                  role=member.role if joining else None,
                  **{"from": _iso(member.start) if joining else None,
                     "to": _iso(member.end) if joining else None})


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _top(item: FieldChange) -> str:
    return item.path.split(".", 1)[0].split("[", 1)[0]


def _changed(change: Change, before: _Revision, after: _Revision) -> list[Event]:
    """A changed entity: its well-known fields as events (people, leaders, holders, money),
    any other field as a plain change. A field the typed model cannot tell (an invalid
    date, say) falls back to the plain change too."""
    old, new = before.by_id.get(change.id), after.by_id.get(change.id)
    tops = {_top(item) for item in change.fields}
    out: list[Event] = []
    told: set[str] = set()
    if old is not None and new is not None:
        for top, teller in _TELLERS.get(change.kind, {}).items():
            if top in tops:
                found = teller(change, old, new, before, after)
                if found:
                    out += found
                    told.add(top)
    for item in change.fields:
        if _top(item) not in told and (change.kind, _top(item)) not in _PRIVATE:
            out.append(_plain(change, item, after, "scheme_changed"
                              if change.kind == "reward_scheme" else "changed"))
    return out


def _plain(change: Change, item: FieldChange, after: _Revision, what: str) -> Event:
    sign = "+" if item.old is None or item.op == "added" else \
        "-" if item.new is None or item.op == "removed" else "~"
    name = _name(after.by_id.get(change.id), change.name)
    event = _event(change.kind, change.id, name, what, sign, field=item.path, op=item.op)
    event.details["old"], event.details["new"] = item.old, item.new
    return event


def _tell_members(change: Change, old: Any, new: Any, before: _Revision, after: _Revision
                  ) -> list[Event]:
    was = {member.person.id: member for member in _members(old)}
    now = {member.person.id: member for member in _members(new)}
    name = _name(new, change.id)
    out = [_membership(change.kind, change.id, name, after, member, "member_joined", "+")
           for person, member in now.items() if person not in was]
    out += [_membership(change.kind, change.id, name, before, member, "member_left", "-")
            for person, member in was.items() if person not in now]
    for person, member in now.items():
        if person in was:
            out += _member_changes(change, name, after, was[person], member)
    return out


_MEMBER_FIELDS = ("from", "to", "role", "weight", "represents")


def _member_changes(change: Change, name: str, after: _Revision, old: m.Member,
                    new: m.Member) -> list[Event]:
    def values(member: m.Member) -> dict[str, Any]:
        return {"from": _iso(member.start), "to": _iso(member.end), "role": member.role,
                "weight": member.weight, "represents": [r.id for r in member.represents]}

    was, now = values(old), values(new)
    person = _ref(after, new.person.id)
    out: list[Event] = []
    for key in _MEMBER_FIELDS:
        if was[key] == now[key]:
            continue
        if key == "to" and now[key] is not None:
            out.append(_event(change.kind, change.id, name, "member_leaving", "-",
                              person=person, to=now[key], was=was[key]))
        else:
            event = _event(change.kind, change.id, name, "membership_changed", "~",
                           person=person, field=key)
            event.details["old"], event.details["new"] = was[key], now[key]
            out.append(event)
    return out


def _tell_leader(change: Change, old: Any, new: Any, before: _Revision, after: _Revision
                 ) -> list[Event]:
    was, now = _ref_id(old.leader), _ref_id(new.leader)
    if was == now:
        return []
    event = _event(change.kind, change.id, _name(new, change.id), "leader_changed", "~")
    event.details.update(old=_ref(before, was), new=_ref(after, now))
    event.mentions = set(_ids_in(event.details))
    return [event]


def _tell_reward(change: Change, old: Any, new: Any, before: _Revision, after: _Revision
                 ) -> list[Event]:
    was, now = _ref_id(old.reward), _ref_id(new.reward)
    if was == now:
        return []
    event = _event(change.kind, change.id, _name(new, change.id), "reward_changed", "~")
    event.details.update(old=_ref(before, was), new=_ref(after, now))
    event.mentions = set(_ids_in(event.details))
    return [event]


def _tell_holder(change: Change, old: Any, new: Any, before: _Revision, after: _Revision
                 ) -> list[Event]:
    was, now = _ref_id(old.holder), _ref_id(new.holder)
    if was == now:
        return []
    event = _event(change.kind, change.id, _name(new, change.id), "moved", "~",
                   scope=new.scope)
    event.details.update(old=_ref(before, was), new=_ref(after, now))
    event.mentions = set(_ids_in(event.details))
    return [event]


def _tell_budget(change: Change, old: Any, new: Any, before: _Revision, after: _Revision
                 ) -> list[Event]:
    if old.budget is None or new.budget is None or old.budget == new.budget:
        return []
    what = "widened" if new.budget > old.budget else "narrowed"
    event = _event(change.kind, change.id, _name(new, change.id), what, "~", scope=new.scope)
    event.details.update(field="budget", old=old.budget, new=new.budget)
    return [event]


def _tell_scope(change: Change, old: Any, new: Any, before: _Revision, after: _Revision
                ) -> list[Event]:
    if old.scope == new.scope:
        return []
    event = _event(change.kind, change.id, new.scope or change.id, "rescoped", "~")
    event.details.update(old=old.scope, new=new.scope)
    return [event]


def _tell_status(change: Change, old: Any, new: Any, before: _Revision, after: _Revision
                 ) -> list[Event]:
    if old.status == new.status:
        return []
    if new.status == "retired":  # the methodology's way of withdrawing a kept-on-file promise
        return [_event(change.kind, change.id, _name(new, change.id), "withdrawn", "-",
                       giver=_ref(after, _ref_id(new.giver)),
                       receiver=_ref(after, _ref_id(new.receiver)), text=new.text,
                       status=new.status)]
    event = _event(change.kind, change.id, _name(new, change.id), "status_changed", "~")
    event.details.update(old=old.status, new=new.status)
    return [event]


def _tell_backing(change: Change, old: Any, new: Any, before: _Revision, after: _Revision
                  ) -> list[Event]:
    was = [r.id for r in old.authorities]
    now = [r.id for r in new.authorities]
    name = _name(new, change.id)
    out = [_event(change.kind, change.id, name, "backed", "+", authority=_ref(after, a))
           for a in now if a not in was]
    out += [_event(change.kind, change.id, name, "unbacked", "-", authority=_ref(before, a))
            for a in was if a not in now]
    return out


def _tell_text(change: Change, old: Any, new: Any, before: _Revision, after: _Revision
               ) -> list[Event]:
    if old.text == new.text:
        return []
    event = _event(change.kind, change.id, new.text or change.id, "reworded", "~")
    event.details.update(old=old.text, new=new.text)
    return [event]


def _totals(paid: dict[str, dict[str, Decimal]]) -> dict[str, Decimal]:
    """What each scheme paid in all (never who got what: that stays private)."""
    return {scheme: sum(people.values(), Decimal(0)) for scheme, people in paid.items()}


def _tell_paid(change: Change, old: Any, new: Any, before: _Revision, after: _Revision
               ) -> list[Event]:
    was, now = _totals(old.paid), _totals(new.paid)
    name = _name(new, change.id)
    if was == now:  # the same totals: who got what changed, or only how it is written
        if old.paid == new.paid:
            return []
        return [_event(change.kind, change.id, name, "paid_changed", "~",
                       schemes=[_ref(after, s) for s in sorted(now)])]
    if not was:
        return [_event(change.kind, change.id, name, "closed", "~",
                       paid=[{"scheme": _ref(after, s), "amount": a} for s, a in now.items()])]
    return [_event(change.kind, change.id, name, "paid_changed", "~", paid=[
        {"scheme": _ref(after, s), "old": was.get(s), "new": now.get(s)}
        for s in sorted(set(was) | set(now)) if was.get(s) != now.get(s)])]


def _tell_payouts(change: Change, old: Any, new: Any, before: _Revision, after: _Revision
                  ) -> list[Event]:
    schemes = sorted(s for s in set(old.payouts) | set(new.payouts)
                     if old.payouts.get(s) != new.payouts.get(s))
    if not schemes:
        return []
    return [_event(change.kind, change.id, _name(new, change.id), "payouts_changed", "~",
                   schemes=[_ref(after, s) for s in schemes])]


def _tell_profit(change: Change, old: Any, new: Any, before: _Revision, after: _Revision
                 ) -> list[Event]:
    if old.net_profit == new.net_profit or new.net_profit is None:
        return []
    event = _event(change.kind, change.id, _name(new, change.id), "net_profit", "~")
    event.details.update(old=old.net_profit, new=new.net_profit)
    return [event]


# Amounts by person: told only as what a scheme paid in all, never field by field.
_PRIVATE = {("period", "paid"), ("period", "payouts")}
_TELLERS: dict[str, dict[str, Any]] = {
    "team": {"members": _tell_members, "leader": _tell_leader, "reward": _tell_reward},
    "council": {"members": _tell_members, "reward": _tell_reward},
    "authority": {"holder": _tell_holder, "budget": _tell_budget, "scope": _tell_scope},
    "promise": {"status": _tell_status, "authorities": _tell_backing, "text": _tell_text},
    "period": {"paid": _tell_paid, "payouts": _tell_payouts, "net_profit": _tell_profit},
}


def _recorded(before: _Revision, after: _Revision) -> Event | None:
    """The commit that brings the organisation in (there was no kkctl.yaml before it): one
    event, counted, instead of one per entity (``--entity`` still finds each of its own)."""
    if before.settings.source is not None or after.settings.source is None:
        return None
    counts = Counter(entity.kind for entity in after.by_id.values())
    ident = after.settings.id or "organisation"
    return _event("organisation", ident, after.settings.name or ident, "recorded", "+",
                  counts=dict(counts))


# --- the command --------------------------------------------------------------------------

def run(path: str | None, since: str | None, entity: str | None, options: Options
        ) -> Journal:
    project = locate(path)
    _remember_locale(project, options)
    paused = gc.isenabled()
    gc.disable()  # a revision's worth of acyclic containers at a time, as in the loader
    try:
        repo = gitsource.toplevel(project.root)
        head = _head(repo)
        base = gitsource.resolve(repo, since) if since is not None else None
        walk = _Walk(repo, project, options)
        entries, last, boundary = history(walk, head, base, detailed=entity is not None)
    except gitsource.GitError as err:
        raise _usage(err) from err
    finally:
        if paused:
            gc.enable()
    entries = _shaped(entries, entity, last)
    on_disk = [str(project.root / rel) for rel in last.order]
    return Journal(list(reversed(entries)), (last.settings.id or "", last.settings.name or ""),
                   last.settings.locale, since, entity, boundary, on_disk)


def _shaped(entries: list[Entry], entity: str | None, last: _Revision) -> list[Entry]:
    """With ``--entity``: only its events, only the commits that have some."""
    if entity is None:
        return entries
    known = set(last.by_id)
    for entry in entries:
        for event in entry.events:
            known.add(event.id)
            known |= event.mentions
    if entity not in known:
        raise UsageError("log.unknown_entity", id=entity,
                         hint=did_you_mean(closest(entity, known, strict=True)))
    out = []
    for entry in entries:
        mine = [e for e in entry.events if e.about(entity)]
        if mine:
            out.append(Entry(entry.commit, mine, [], entry.currency))
    return out


def _head(repo: Path) -> str:
    try:
        return gitsource.resolve(repo, "HEAD")
    except gitsource.GitError as err:
        if err.message_id == "git.unknown_revision":
            raise gitsource.GitError("log.no_commits") from err
        raise


def _usage(err: gitsource.GitError) -> UsageError:
    message_id = {"git.not_a_repository": "log.not_a_repository",
                  "git.missing": "log.git_missing"}.get(err.message_id, err.message_id)
    return UsageError(message_id, **err.message_args)


def _remember_locale(project: Project, options: Options) -> None:
    """The working tree's locale, so that a git problem (before any revision is read) is
    told in the organisation's language."""
    from kkctl.i18n import remember

    reader = Reader(project, Options(use_cache=False, max_file_size=options.max_file_size))
    remember(declared_locale(reader.read(project.project_file).data))
