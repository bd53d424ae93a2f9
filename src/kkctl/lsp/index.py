"""Where every id is defined and referred to, with the exact span of each id in its file.

Positions are 1-based lines and 1-based columns counted in characters (code points), as the
loader gives them; :mod:`kkctl.lsp.server` converts them to the editor's UTF-16 units.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kkctl import model as m
from kkctl.diagnostics import format_path
from kkctl.yamlread import ParsedFile


@dataclass(frozen=True)
class Occurrence:
    """One id written in a file: where an entity is defined, or a reference to one."""

    file: str
    line: int
    column: int  # first character of the id itself (inside quotes, if quoted)
    end: int  # one past its last character
    id: str
    defines: bool
    sub: tuple[Any, ...]  # the field below the entity: ("id",), ("members", 2, "person")
    allowed: tuple[str, ...]  # kinds a reference may name; the entity's kinds for a definition
    holder: m.Entity | None  # the entity whose file the id is written in (None: settings)
    exact: bool = True  # the span is the id's text (not a guess at an escaped scalar)

    @property
    def field(self) -> str:
        return format_path(self.sub)

    def covers(self, line: int, column: int) -> bool:
        return self.line == line and self.column <= column <= self.end


@dataclass
class Index:
    by_file: dict[str, list[Occurrence]] = field(default_factory=dict)
    by_id: dict[str, list[Occurrence]] = field(default_factory=dict)

    @classmethod
    def of(cls, org: m.Organisation, cache: dict[int, _FileOccurrences] | None = None) -> Index:
        """The index of ``org``; ``cache`` keeps each file's occurrences while its content
        (its ParsedFile, and so its entities and references) is the same."""
        entities: dict[int, list[m.Entity]] = defaultdict(list)
        refs: dict[int, list[m.Ref]] = defaultdict(list)
        files: dict[int, ParsedFile] = {}
        for entity in org.entities():
            files[id(entity.source.file)] = entity.source.file
            entities[id(entity.source.file)].append(entity)
        for ref in org.refs:
            files[id(ref.source.file)] = ref.source.file
            refs[id(ref.source.file)].append(ref)
        known = cache if cache is not None else {}
        fresh: dict[int, _FileOccurrences] = {}
        by_file: dict[str, list[Occurrence]] = {}
        by_id: dict[str, list[Occurrence]] = defaultdict(list)
        for key, file in files.items():
            hit = known.get(key)
            if hit is None or hit[0] is not file:
                hit = (file, _of_file(file, entities[key], refs[key]))
            fresh[key] = hit
            by_file[file.path] = hit[1]
            for found in hit[1]:
                by_id[found.id].append(found)
        if cache is not None:
            cache.clear()
            cache.update(fresh)
        return cls(by_file, dict(by_id))

    def at(self, file: str, line: int, column: int) -> Occurrence | None:
        for found in self.by_file.get(file, ()):
            if found.covers(line, column):
                return found
        return None

    def definition(self, ident: str) -> Occurrence | None:
        return next((o for o in self.by_id.get(ident, ()) if o.defines), None)

    def uses(self, ident: str) -> list[Occurrence]:
        return [o for o in self.by_id.get(ident, ()) if not o.defines]


_FileOccurrences = tuple[ParsedFile, list["Occurrence"]]


def _of_file(file: ParsedFile, entities: list[m.Entity], refs: list[m.Ref]) -> list[Occurrence]:
    lines = _Lines()
    out: list[Occurrence] = []
    holders: dict[int, m.Entity] = {}
    for entity in entities:
        holders[id(entity.source)] = entity
        found = _at(lines, entity.source, ("id",), entity.id, True, entity.kinds(), entity)
        if found is not None:
            out.append(found)
        if isinstance(entity, m.Canvas):
            out.extend(_score_keys(lines, entity))
    for ref in refs:
        holder = holders.get(id(ref.source))
        found = _at(lines, ref.source, ref.sub, ref.id, False, ref.allowed, holder)
        if found is not None:
            out.append(found)
    out.sort(key=lambda o: (o.line, o.column))
    return out


class _Lines:
    """Each file's text by line, decoded once."""

    def __init__(self) -> None:
        self._texts: dict[int, list[str]] = {}

    def of(self, file: ParsedFile) -> list[str]:
        found = self._texts.get(id(file))
        if found is None:
            raw = file.raw or b""
            found = raw.decode("utf-8", "replace").splitlines()
            self._texts[id(file)] = found
        return found


def _at(lines: _Lines, source: m.Source, sub: tuple[Any, ...], ident: str, defines: bool,
        allowed: tuple[str, ...], holder: m.Entity | None) -> Occurrence | None:
    """The occurrence of ``ident`` at field ``sub`` of ``source``: the value, or the key when
    the id is a mapping key (a period's teams, a reward's payouts)."""
    path = (*source.path, *sub)
    pos = source.file.positions.get(path)
    if pos is None:
        return None
    is_key = bool(sub) and sub[-1] == ident and not defines
    line, column = (pos[0], pos[1]) if is_key else (pos[2], pos[3])
    return _occurrence(lines, source.file, line, column, ident, defines, sub, allowed, holder)


def _occurrence(lines: _Lines, file: ParsedFile, line: int, column: int, ident: str,
                defines: bool, sub: tuple[Any, ...], allowed: tuple[str, ...],
                holder: m.Entity | None) -> Occurrence:
    start, exact = span(lines.of(file), line, column, ident)
    return Occurrence(file.path, line, start, start + len(ident), ident, defines, sub,
                      allowed, holder, exact)


def span(text: list[str], line: int, column: int, ident: str) -> tuple[int, bool]:
    """Where ``ident`` starts on ``line`` when its scalar starts at ``column``: there, or one
    further in quotes; ``exact`` is False for a scalar written otherwise (escapes)."""
    if not 0 < line <= len(text):
        return column, False
    row = text[line - 1]
    at = column - 1
    if row[at:at + len(ident)] == ident:
        return column, True
    quote = row[at:at + 1]
    if quote in ("'", '"') and row[at + 1:at + 1 + len(ident) + 1] == ident + quote:
        return column + 1, True
    return column, False


def _score_keys(lines: _Lines, canvas: m.Canvas) -> list[Occurrence]:
    """A canvas offering's ``scores`` keys name values (the builder makes no Ref of them)."""
    raw = canvas.source.mapping() or {}
    offerings = raw.get("offerings")
    out: list[Occurrence] = []
    if type(offerings) is not list:
        return out
    positions = canvas.source.file.positions
    for i, offering in enumerate(offerings):
        scores = offering.get("scores") if type(offering) is dict else None
        if type(scores) is not dict:
            continue
        for key in scores:
            pos = positions.get((*canvas.source.path, "offerings", i, "scores", key))
            if type(key) is str and pos is not None:
                out.append(_occurrence(lines, canvas.source.file, pos[0], pos[1], key, False,
                                       ("offerings", i, "scores", key), ("value",), canvas))
    return out
