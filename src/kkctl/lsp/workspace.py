"""One organisation as the editor sees it: the files on disk, overlaid with unsaved buffers.

An analysis is what ``kkctl lint`` would print if the buffers were saved: the same loader
(a :class:`~kkctl.project.Project` whose ``files`` are given, as for a git revision), the
same lint configuration, suppressions and baseline. Between edits every unchanged file keeps
its parse, schema check and built part; only the edited buffer is read again.

Threads: :meth:`Workspace.analyse` and :meth:`Workspace.rescan` run in the server's one worker
thread, one after the other; :meth:`Workspace.set_buffer` and :meth:`Workspace.quick` run on
the event loop. What both touch is replaced, never changed in place (``buffers``, ``disk``,
``failed``), under ``_state``; the parse memo is the worker's alone.
"""

from __future__ import annotations

import gc
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kkctl.diagnostics import Diagnostic, Severity
from kkctl.loader import DEFAULT_MAX_FILE_SIZE, Loaded, Options, Reader, _Raw, exclude_of, prepare
from kkctl.lsp.build_cache import BuildCache
from kkctl.lsp.index import Index
from kkctl.project import PROJECT_FILES, Project, Skipped, UsageError, list_files
from kkctl.yamlread import ParsedFile

# Problems of the walk itself, which a Project of given files cannot see.
_WALK_ONLY = {"file.symlink_outside", "file.folder_unreadable", "file.folder_too_deep"}


@dataclass
class Analysis:
    """The organisation with every buffer as typed: its model, findings and index."""

    root: Path
    loaded: Loaded | None
    lang: str
    diagnostics: dict[str, list[Diagnostic]] = field(default_factory=dict)  # by file (rel)
    _index: Index | None = None
    _index_cache: dict[int, Any] = field(default_factory=dict)

    @property
    def index(self) -> Index:
        """Built on the first question, not on every keystroke's diagnostics."""
        if self._index is None:
            self._index = (Index.of(self.loaded.org, self._index_cache) if self.loaded is not None
                           else Index())
        return self._index

    def files(self) -> dict[str, ParsedFile]:
        return {f.path: f for f in self.loaded.files} if self.loaded is not None else {}


class Workspace:
    """The files of one project (a folder with kkctl.yaml) and the editor's buffers."""

    def __init__(self, root: Path, lang: str | None = None,
                 max_file_size: int = DEFAULT_MAX_FILE_SIZE, scan: bool = True) -> None:
        self.root = root
        self.lang = lang  # the client's choice; else the organisation's, as in the CLI
        self.max_file_size = max_file_size
        self.disk: dict[str, bytes] = {}
        # Files on disk kkctl will not read (a FIFO, a device, too large, a link out of the
        # project): the loader's KK006 for each, as `kkctl lint` reports them.
        self.failed: dict[str, _Raw] = {}
        self.buffers: dict[str, bytes] = {}
        self._state = threading.Lock()  # held for a moment: a swap of the dicts above
        self.skipped: list[Skipped] = []
        self._memo: dict[str, ParsedFile] = {}
        self._keys: dict[int, tuple[bytes, str]] = {}
        self._build = BuildCache()
        self._occurrences: dict[int, Any] = {}  # the index's part of each file, kept
        self.analysis: Analysis | None = None
        self.lock = threading.Lock()
        if scan:  # the server scans in its worker thread instead
            self.rescan()

    @property
    def project_file(self) -> Path:
        for name in PROJECT_FILES:
            if name in self.buffers or (self.root / name).is_file():
                return self.root / name
        return self.root / PROJECT_FILES[0]

    def rel(self, path: Path) -> str | None:
        """``path`` relative to the root, POSIX, or None when outside the project."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return None

    def rescan(self) -> None:
        """Read the files on disk again (a file was saved, created or deleted). Read as the
        loader reads: a regular file inside the project, at most ``max_file_size`` bytes,
        opened non-blocking (a FIFO named *.yaml must not hang the server)."""
        from kkctl.yamlread import read_yaml

        project = Project(self.root, self.project_file, display_root=self.root)
        reader = Reader(project, Options(use_cache=False, max_file_size=self.max_file_size))
        current = self.buffers.get(self.rel(self.project_file) or "")
        head = current if current is not None else reader.read_raw(self.project_file).data
        excludes = exclude_of(read_yaml(head or b"", "kkctl.yaml"))
        disk: dict[str, bytes] = {}
        failed: dict[str, _Raw] = {}
        for path in list_files(project, excludes):
            rel = self.rel(path)
            if rel is None:
                continue
            raw = reader.read_raw(path)
            if raw.data is None:
                if raw.failure is not None:  # else gone meanwhile: nothing to say
                    failed[rel] = raw
                continue
            old = self.disk.get(rel)
            disk[rel] = old if old == raw.data else raw.data  # the same object: key known
        with self._state:
            self.disk, self.failed = disk, failed
            self.skipped = [s for s in project.skipped if s.message_id in _WALK_ONLY]

    def set_buffer(self, rel: str, text: str | None) -> None:
        """An open buffer's text (None: closed, the file on disk counts again)."""
        with self._state:  # a new dict: the worker may be iterating the old one
            buffers = dict(self.buffers)
            if text is None:
                buffers.pop(rel, None)
            else:
                data = text.encode("utf-8", "surrogatepass")
                old = buffers.get(rel, self.disk.get(rel))
                buffers[rel] = old if old == data else data
            self.buffers = buffers

    def contents(self) -> dict[str, bytes]:
        """Every file as the editor has it: buffers over the disk."""
        return self._snapshot()[0]

    def _snapshot(self) -> tuple[dict[str, bytes], dict[str, _Raw], list[Skipped]]:
        """The files as typed, the unreadable ones not open in a buffer, the walk's problems:
        taken together, so an analysis sees one state."""
        with self._state:
            files = dict(self.disk)
            for rel, data in self.buffers.items():
                if rel.endswith((".yaml", ".yml")):
                    files[rel] = data
            failed = {rel: raw for rel, raw in self.failed.items() if rel not in files}
            return files, failed, list(self.skipped)

    def analyse(self) -> Analysis:
        """Validate and lint the project as typed (never raises on a broken buffer). One at a
        time: the server runs it in a worker thread, a request may need it at once."""
        with self.lock:
            return self._locked_analyse()

    def _locked_analyse(self) -> Analysis:
        paused = gc.isenabled()
        gc.disable()  # as the loader does: the collector would rescan the new model
        try:
            self.analysis = self._analyse()
        finally:
            if paused:
                gc.enable()
        return self.analysis

    def _analyse(self) -> Analysis:
        from kkctl.lint.app import findings_for
        from kkctl.messages import detect_lang

        files, failed, skipped = self._snapshot()
        listed = {**files, **dict.fromkeys(failed, b"")}  # listed, but read as they failed
        project = Project(self.root, self.project_file, display_root=self.root, files=listed,
                          skipped=skipped)
        options = Options(use_cache=False, max_file_size=self.max_file_size, memo=self._memo,
                          keys=self._keys)
        prepared = prepare(project, options, _Reader(project, options, failed))
        loaded = self._build.finish(prepared)
        self._forget(files)
        lang = detect_lang(self.lang, loaded.org.settings.locale)
        try:
            found = [*loaded.diagnostics, *findings_for(loaded)]
        except UsageError as err:  # a lint configuration kkctl lint would refuse
            found = [*loaded.diagnostics, _usage(err, project)]
        by_file: dict[str, list[Diagnostic]] = defaultdict(list)
        for diag in sorted(found, key=Diagnostic.sort_key):
            by_file[diag.file].append(diag)
        return Analysis(self.root, loaded, lang, dict(by_file), _index_cache=self._occurrences)

    def quick(self, rel: str) -> list[Diagnostic] | None:
        """The problems of file ``rel`` alone, in milliseconds: its syntax, schema, build and
        references, resolved against the ids of the last analysis (lint and duplicate ids
        wait for :meth:`analyse`). None: no analysis yet, or not an organisation file."""
        from kkctl.loader import _structure_ok
        from kkctl.model import Organisation
        from kkctl.references import check_references
        from kkctl.schema import check_file, foreign_file

        last = self.analysis.loaded if self.analysis is not None else None
        data = self.buffers.get(rel, self.disk.get(rel))
        if last is None or data is None or all(f.path != rel for f in last.files):
            return None  # a file the last analysis did not read (new, or excluded)
        project = Project(self.root, self.project_file, display_root=self.root,
                          files={rel: data})
        # No memo: that is the worker's, which may be replacing it right now.
        reader = Reader(project, Options(use_cache=False, max_file_size=self.max_file_size))
        parsed = reader.parse(reader.read_raw(self.root / rel))
        is_project = self.root / rel == self.project_file
        found = foreign_file(parsed, project, parsed if is_project else last.files[0],
                             is_project)
        if found:
            return found
        found = list(parsed.diagnostics)
        if (found and parsed.data is None) or not _structure_ok(parsed, is_project, found):
            return found
        if parsed.schema_checked is None or parsed.schema_checked[0] != is_project:
            parsed.schema_checked = (is_project, check_file(parsed, is_project))
        part = self._build.fresh_part(parsed, is_project)  # the cache is the analysis' own
        by_id = {k: e for k, e in last.org.by_id.items() if e.source.file.path != rel}
        for _, entity in part.entities:
            by_id.setdefault(entity.id, entity)
        org = Organisation(last.org.settings, [], by_id=by_id, refs=part.refs)
        found += [*parsed.schema_checked[1], *part.diagnostics, *check_references(org)]
        return sorted(found, key=Diagnostic.sort_key)

    def _forget(self, files: dict[str, bytes]) -> None:
        """Keep the memo to today's contents: old versions of a buffer would pile up."""
        rel_of = {id(data): rel for rel, data in files.items()}
        self._keys = {k: v for k, v in self._keys.items() if k in rel_of}
        wanted = {f"{rel_of[k]}\0{key}" for k, (_, key) in self._keys.items()}
        self._memo = {k: v for k, v in self._memo.items() if k in wanted}


def _usage(err: UsageError, project: Project) -> Diagnostic:
    """What ``kkctl lint`` would refuse to run with (exit code 2), at kkctl.yaml's top."""
    detail = {lang: err.message(lang) for lang in ("en", "ru")}
    return Diagnostic("usage", Severity.ERROR, project.display(project.project_file), 1, 1,
                      (), "schema.other", {"detail": detail})


class _Reader(Reader):
    """The loader's reader of given files, which answers for the files that could not be read
    from disk with the loader's own KK006 (as ``kkctl lint`` reports them)."""

    def __init__(self, project: Project, options: Options, failed: dict[str, _Raw]) -> None:
        super().__init__(project, options)
        self.failed = failed

    def read_raw(self, path: Path) -> _Raw:
        if not self.failed:  # as a rule: no time spent on a thousand paths per keystroke
            return super().read_raw(path)
        try:
            rel = path.relative_to(self.project.root).as_posix()
        except ValueError:
            rel = ""
        failed = self.failed.get(rel)
        return failed if failed is not None else super().read_raw(path)
