"""Entity-aware comparison of two organisations.

Entities are matched by id, wherever they live (moving a team to another file is no change).
Fields are compared as data: lists whose order means nothing (members, metrics, authorities,
…) show the items added and removed; lists of entries with an id, a person or a period are
matched by it; a canvas's factors keep their order, so a reordering is a change.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from kkctl import model as m
from kkctl.diagnostics import format_path

# List fields matched item by item, and what identifies an item.
_KEYED: dict[str, str] = {"needs": "id", "offerings": "id", "readings": "period",
                          "factors": "value"}
_ORDERED = {"factors"}  # the canvas's x axis: order means something


@dataclass
class FieldChange:
    path: str
    old: Any = None
    new: Any = None
    op: str = "changed"  # changed | added (an item joins a list) | removed | reordered
    # The path as keys (``('members', 'kira', 'to')``): what a fact is read from, where
    # ``path`` is only for display.
    parts: tuple[Any, ...] = ()


@dataclass
class Change:
    op: str  # added | removed | changed
    kind: str
    id: str
    name: str
    fields: list[FieldChange] = field(default_factory=list)
    # The names of the people its fields name (a member, a leader), from either side, so
    # that a fact reads "Кира (kira) joins" rather than a bare id.
    names: dict[str, str] = field(default_factory=dict)


# Kinds whose people are the fact: who joins and leaves, who leads. An added or removed team
# or council lists them as its fields, so that its members join or leave it too.
_STAFFED = {"team": ("leader", "members"), "council": ("members",)}


def compare(old: m.Organisation, new: m.Organisation,
            only: Collection[str] | None = None) -> list[Change]:
    """The changes from ``old`` to ``new``; ``only``: the ids that may have changed (kkctl
    diff knows them from the files that differ), None for every id."""
    changes = _settings(old, new)
    old_by_id, new_by_id = old.by_id, new.by_id
    if only is not None:
        old_by_id = {i: old_by_id[i] for i in only if i in old_by_id}
        new_by_id = {i: new_by_id[i] for i in only if i in new_by_id}
    for ident, entity in new_by_id.items():
        before = old_by_id.get(ident)
        if before is None:
            changes.append(_whole("added", entity))
        elif before.kind != entity.kind:
            changes.append(_whole("removed", before))
            changes.append(_whole("added", entity))
        else:
            fields = _diff_entities(before, entity)
            if fields:
                changes.append(Change("changed", entity.kind, ident, _name(entity), fields))
    for ident, entity in old_by_id.items():
        if ident not in new_by_id:
            changes.append(_whole("removed", entity))
    for change in changes:
        if change.kind in _STAFFED:
            change.names = _people_named(change.fields, new, old)
    order = {kind.kind: i for i, kind in enumerate(m.COLLECTIONS.values())}
    changes.sort(key=lambda c: (c.kind != "organisation", order.get(c.kind, 99), c.id, c.op))
    return changes


def _whole(op: str, entity: m.Entity) -> Change:
    """An entity that appeared or went: for a team or a council, its leader and members as
    fields that were added or removed (nothing else: the entity itself is the change)."""
    change = Change(op, entity.kind, entity.id, _name(entity))
    staffed = _STAFFED.get(entity.kind)
    raw = _raw(entity) if staffed else None
    if not staffed or not isinstance(raw, dict):
        return change
    mine = _exact({k: raw[k] for k in staffed if k in raw}, entity.source.file.decimals,
                  entity.source.path)
    empty: dict[str, Any] = {k: [] if isinstance(v, list) else None
                             for k, v in mine.items()}
    change.fields = diff_values(empty, mine, ()) if op == "added" else \
        diff_values(mine, empty, ())
    return change


def _people_named(fields: list[FieldChange], *orgs: m.Organisation) -> dict[str, str]:
    """Names of the people a team's or council's field changes mention, as either side
    names them (a person removed in the same change is still named)."""
    names: dict[str, str] = {}
    for item in fields:
        member = item.parts[1:2] if item.parts[:1] == ("members",) else ()
        for value in (item.old, item.new, *member):  # members.kira.to names kira
            ident = value.get("person") if isinstance(value, dict) else value
            if not isinstance(ident, str) or ident in names:
                continue
            for org in orgs:
                entity = org.by_id.get(ident)
                if isinstance(entity, m.Person):
                    names[ident] = _name(entity)
                    break
    return names


def _settings(old: m.Organisation, new: m.Organisation) -> list[Change]:
    def settings(org: m.Organisation) -> dict[str, Any]:
        source = org.settings.source
        data = source.file.data if source is not None else None
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if k not in m.COLLECTIONS}

    old_settings, new_settings = settings(old), settings(new)
    if _same(old_settings, new_settings):
        return []
    fields = diff_values(_exact(old_settings, _decimals(old.settings.source), ()),
                         _exact(new_settings, _decimals(new.settings.source), ()), ())
    if not fields:
        return []
    ident = new.settings.id or old.settings.id or "organisation"
    return [Change("changed", "organisation", ident, new.settings.name or ident, fields)]


def _raw(entity: m.Entity) -> Any:
    data: Any = entity.source.file.data
    for part in entity.source.path:
        data = data[part]
    return data


def _diff_entities(before: m.Entity, after: m.Entity) -> list[FieldChange]:
    """The fields that differ, amounts as the exact decimals written (never a float)."""
    old, new = _raw(before), _raw(after)
    if _same(old, new):
        return []
    return diff_values(_exact(old, before.source.file.decimals, before.source.path),
                       _exact(new, after.source.file.decimals, after.source.path), ())


def _decimals(source: m.Source | None) -> dict[tuple[Any, ...], str]:
    return source.file.decimals if source is not None else {}


def _exact(data: Any, decimals: dict[tuple[Any, ...], str], path: tuple[Any, ...]) -> Any:
    """``data`` with every float replaced by the :class:`~decimal.Decimal` of its source
    text (``21986400.50`` stays ``21986400.50``, kopecks and all)."""
    if isinstance(data, float):
        try:
            return Decimal(decimals.get(path, repr(data)))
        except InvalidOperation:  # pragma: no cover - the reader keeps only number texts
            return Decimal(repr(data))
    if isinstance(data, dict):
        return {k: _exact(v, decimals, (*path, k)) for k, v in data.items()}
    if isinstance(data, list):
        return [_exact(v, decimals, (*path, i)) for i, v in enumerate(data)]
    return data


def _name(entity: m.Entity) -> str:
    return str(getattr(entity, "name", None) or getattr(entity, "text", None) or entity.id)


def _same(old: Any, new: Any) -> bool:
    """Equal as data and of the same types all the way down (1 is not true, 1 is not 1.0)."""
    if old is new:  # a file unchanged between the revisions is parsed once: its very data
        return True
    if type(old) is not type(new):
        return False
    if isinstance(old, dict):
        return old.keys() == new.keys() and all(_same(old[k], new[k]) for k in old)
    if isinstance(old, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    return bool(old == new)


def diff_values(old: Any, new: Any, path: tuple[Any, ...]) -> list[FieldChange]:
    if _same(old, new):
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[FieldChange] = []
        for key in [*old, *(k for k in new if k not in old)]:
            if key not in old:
                out.append(FieldChange(format_path((*path, key)), None, new[key],
                                       parts=(*path, key)))
            elif key not in new:
                out.append(FieldChange(format_path((*path, key)), old[key], None,
                                       parts=(*path, key)))
            else:
                out += diff_values(old[key], new[key], (*path, key))
        return out
    if isinstance(old, list) and isinstance(new, list):
        return _diff_lists(old, new, path)
    return [FieldChange(format_path(path), old, new, parts=path)]


def _diff_lists(old: list[Any], new: list[Any], path: tuple[Any, ...]) -> list[FieldChange]:
    name = str(path[-1]) if path else ""
    where = format_path(path)
    key_of = _item_key(name)
    old_keys = [key_of(item) for item in old]
    new_keys = [key_of(item) for item in new]
    try:
        unique = len(set(old_keys)) == len(old_keys) and len(set(new_keys)) == len(new_keys)
    except TypeError:  # an id that is itself a list or mapping (invalid, but diffable)
        unique = False
    if None in old_keys or None in new_keys or not unique:
        return [FieldChange(where, old, new, parts=path)]  # no identity to match by
    before = dict(zip(old_keys, old, strict=True))
    after = dict(zip(new_keys, new, strict=True))
    out: list[FieldChange] = []
    for key in new_keys:
        if key not in before:
            out.append(FieldChange(where, None, key if _is_scalar(after[key]) else after[key],
                                   "added", path))
    for key in old_keys:
        if key not in after:
            out.append(FieldChange(where, key if _is_scalar(before[key]) else before[key], None,
                                   "removed", path))
    for key in new_keys:
        if key in before and not _same(before[key], after[key]):
            out += diff_values(_as_mapping(before[key]), _as_mapping(after[key]),
                               (*path, key))
    common_old = [k for k in old_keys if k in after]
    common_new = [k for k in new_keys if k in before]
    if name in _ORDERED and common_old != common_new:
        out.append(FieldChange(where, common_old, common_new, "reordered", path))
    return out


def _item_key(name: str) -> Any:
    if name in _KEYED:
        key = _KEYED[name]
        return lambda item: item.get(key) if isinstance(item, dict) else None
    if name == "members":
        return lambda item: item if isinstance(item, str) else (
            item.get("person") if isinstance(item, dict) else None)
    return lambda item: item if _is_scalar(item) else None


def _as_mapping(item: Any) -> Any:
    """A member written as a bare id compares as ``{person: id}``."""
    return {"person": item} if isinstance(item, str) else item


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool | Decimal)
