"""Build the model file by file, keeping each file's part between edits.

:func:`kkctl.build.build` builds every file on every call (a third of a second for 1,000
teams): the editor needs fresh diagnostics sooner. Each file's entities, references and
findings depend on that file alone; only the ids' registry (duplicates, KK104) spans files.
So each file is built on its own once per content (its :class:`ParsedFile`), and the parts
are joined in file order, registering the ids the way the builder does: the result equals
:func:`kkctl.loader.finish`'s (tests/test_lsp_units.py compares them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kkctl import model as m
from kkctl.build import Builder
from kkctl.diagnostics import Diagnostic
from kkctl.loader import Loaded, Prepared
from kkctl.yamlread import ParsedFile


@dataclass
class _Part:
    """One file's share of the model, built without the other files."""

    file: ParsedFile  # kept alive: the cache is keyed by its identity
    is_project: bool
    settings: m.Settings
    entities: list[tuple[str, m.Entity]] = field(default_factory=list)  # (collection, entity)
    refs: list[m.Ref] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


class _FileBuilder(Builder):
    """The builder's loop for one file; entities are collected, not registered."""

    @staticmethod
    def fresh_part(file: ParsedFile, is_project: bool) -> _Part:
        """``file``'s part built anew, shared with no analysis (for a quick answer given
        while an analysis runs in another thread)."""
        return _FileBuilder([file]).part(file, is_project)

    def part(self, file: ParsedFile, is_project: bool) -> _Part:
        data = file.data
        built = _Part(file, is_project, self.org.settings)
        if type(data) is not dict:
            return built
        if is_project:
            self.settings(file, data)
        built.entities.extend(self.entities(file, data))
        built.refs = self.org.refs
        built.diagnostics = self.diagnostics
        return built


class BuildCache:
    """Parts by file, reused while a file's content (its ParsedFile) is the same."""

    def __init__(self) -> None:
        self._parts: dict[int, _Part] = {}

    def finish(self, prepared: Prepared) -> Loaded:
        """:func:`kkctl.loader.finish`, rebuilding only the files that changed."""
        from kkctl.i18n import remember
        from kkctl.references import check_references

        files = [f for i, f in enumerate(prepared.files) if i not in prepared.foreign]
        parts = [self.part(f, i == 0) for i, f in enumerate(files)]
        self._parts = {id(p.file): p for p in parts}  # drop the parts of old contents
        org, built = _join(files, parts)
        remember(org.settings.locale)
        diagnostics = [*prepared.diagnostics, *built, *check_references(org)]
        diagnostics.sort(key=Diagnostic.sort_key)
        return Loaded(prepared.project, prepared.files, org, diagnostics)

    @staticmethod
    def fresh_part(file: ParsedFile, is_project: bool) -> _Part:
        """``file``'s part built anew, shared with no analysis (for a quick answer given
        while an analysis runs in another thread)."""
        return _FileBuilder([file]).part(file, is_project)

    def part(self, file: ParsedFile, is_project: bool) -> _Part:
        """``file``'s part, built once per content; its references unresolved."""
        found = self._parts.get(id(file))
        if found is not None and found.file is file and found.is_project == is_project:
            for ref in found.refs:  # resolved again, against today's ids
                ref.target = None
            return found
        built = self._parts[id(file)] = _FileBuilder([file]).part(file, is_project)
        return built


def _join(files: list[ParsedFile], parts: list[_Part]) -> tuple[m.Organisation, list[Diagnostic]]:
    joiner = Builder(files)
    org = joiner.org
    diagnostics: list[Diagnostic] = []
    for part in parts:
        if part.is_project:
            org.settings = part.settings
        diagnostics.extend(part.diagnostics)
        for collection, entity in part.entities:
            joiner.register(entity)
            getattr(org, collection).append(entity)
        org.refs.extend(part.refs)
    return org, [*diagnostics, *joiner.diagnostics]
