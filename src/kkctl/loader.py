"""Load a project once: files -> parsed documents -> schema -> typed model -> references.

Every command starts here and gets the same :class:`Loaded` result.
"""

from __future__ import annotations

import functools
import gc
import itertools
import marshal
import os
import sys
from pathlib import Path

from kkctl.diagnostics import Diagnostic, Severity
from kkctl.project import Project, Skipped, list_files, locate
from kkctl.safeio import UnsafeFileError, read_bytes_safely
from kkctl.yamlread import ParsedFile, read_yaml

# Plain classes, no dataclasses or typing at run time: this module is on every start-up
# (see kkctl.diagnostics).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

    from kkctl.background import Background
    from kkctl.cache import ParseCache
    from kkctl.model import Organisation

DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024


class Options:
    __slots__ = ("keys", "max_file_size", "memo", "release_data", "same_bytes_only",
                 "use_cache")

    def __init__(self, use_cache: bool = True, max_file_size: int = DEFAULT_MAX_FILE_SIZE,
                 memo: dict[str, ParsedFile] | None = None,
                 keys: dict[int, tuple[bytes, str]] | None = None,
                 same_bytes_only: bool = False, release_data: bool = False) -> None:
        self.use_cache = use_cache
        self.max_file_size = max_file_size
        # Files already parsed in this process, by name and content: two versions of one
        # organisation (kkctl diff) parse and check each unchanged file once.
        self.memo = memo
        # Keys already given, by the bytes object (kept alive here): kkctl diff hands the
        # base revision the very bytes the head's unchanged files were read into.
        self.keys = keys
        # Without a parse cache, the memo matches those very bytes objects only, and no
        # file's content is hashed (kkctl diff between git revisions: equal contents are
        # one object).
        self.same_bytes_only = same_bytes_only
        # Each file's data is dropped once its entities are built (kkctl validate, which
        # needs only the model from then on): read again from its bytes if asked.
        self.release_data = release_data

    def copy(self) -> Options:
        return Options(self.use_cache, self.max_file_size, self.memo, self.keys,
                       self.same_bytes_only, self.release_data)

    def __repr__(self) -> str:
        return (f"Options(use_cache={self.use_cache}, max_file_size={self.max_file_size}, "
                f"same_bytes_only={self.same_bytes_only}, release_data={self.release_data})")


class Loaded:
    __slots__ = ("diagnostics", "files", "org", "project")

    def __init__(self, project: Project, files: list[ParsedFile], org: Organisation,
                 diagnostics: list[Diagnostic] | None = None) -> None:
        self.project = project
        self.files = files
        self.org = org
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics



def load(path: str | None, options: Options | None = None) -> Loaded:
    """Load and validate the organisation at PATH (raises ``UsageError`` if it cannot run)."""
    options = options or Options()
    return load_project(locate(path), options)


class Checked:
    """What ``validate`` reports: enough to print, whether it came from the cache or not."""

    __slots__ = ("diagnostics", "files", "loaded", "locale")

    def __init__(self, diagnostics: list[Diagnostic], files: list[str], locale: str | None,
                 loaded: Loaded | None = None) -> None:
        self.diagnostics = diagnostics
        self.files = files
        self.locale = locale
        self.loaded = loaded  # None when answered from the result cache

    @property
    def status(self) -> int:
        """``kkctl validate``'s exit code: 1 when any problem is an error."""
        return 1 if any(d.severity is Severity.ERROR for d in self.diagnostics) else 0


class Snapshot:
    """An organisation's files as read now, and the means to load exactly those bytes."""

    __slots__ = ("first", "options", "project", "raws", "reader")

    def __init__(self, project: Project, reader: Reader, first: ParsedFile, raws: list[_Raw],
                 options: Options) -> None:
        self.project = project
        self.reader = reader
        self.first = first  # kkctl.yaml parsed (its exclude: listed the rest)
        self.raws = raws  # every file's bytes, kkctl.yaml's first
        self.options = options

    @property
    def locale(self) -> str | None:
        """kkctl.yaml's organisation.locale, for messages before loading."""
        return declared_locale(self.first.data)

    @property
    def cache(self) -> ParseCache:
        assert self.reader.cache is not None  # a snapshot is made only with the cache on
        return self.reader.cache

    @property
    def files(self) -> list[str]:
        return [raw.display for raw in self.raws]

    def key(self, command: str, *parts: object) -> str:
        """The key of ``command``'s answer: every file's name and content, what was skipped,
        and ``parts`` (options and other inputs, as their ``repr``)."""
        skipped = [(str(p), message, args) for p, message, args in self.project.skipped]
        return self.cache.result_key(
            command, [(r.display, r.key) for r in self.raws] +
            [("skipped", repr(skipped)), ("parts", repr(parts))])

    def load(self) -> Loaded:
        """The organisation, from the bytes already read."""
        return load_project(self.project, self.options, self.reader, (self.first, self.raws))


def snapshot(path: str | None, options: Options) -> Snapshot | None:
    """The organisation at ``path`` read for a cached command; None with ``--no-cache``."""
    if not options.use_cache:
        return None
    project = locate(path)
    reader = Reader(project, options)
    return Snapshot(project, reader, *reader.read_project(), options)


def check(path: str | None, options: Options | None = None) -> Checked:
    """Validate PATH; an unchanged project is answered from the result cache."""
    options = options or Options()
    snap = snapshot(path, options)
    if snap is None:
        return _checked(load_project(locate(path), options))
    key = snap.key("validate")
    hit = snap.cache.get_result(key)
    if hit is not None:
        diagnostics, locale = hit
        return Checked(diagnostics, snap.files, locale)
    checked = _checked(snap.load())
    snap.cache.put_result(key, checked.diagnostics, checked.locale)
    return checked


def _checked(loaded: Loaded) -> Checked:
    return Checked(loaded.diagnostics, [f.path for f in loaded.files],
                   loaded.org.settings.locale, loaded)


PROGRESS_MIN_FILES = 2000


def _progress(count: int) -> Any:
    """A spinner on stderr while many files are read, for people at a terminal only: never
    in CI logs, pipes or files, and not with NO_COLOR/TERM=dumb."""
    import contextlib

    quiet = (count < PROGRESS_MIN_FILES or not sys.stderr.isatty() or os.environ.get("CI")
             or "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb")
    if quiet:
        return contextlib.nullcontext()
    from rich.console import Console

    return Console(stderr=True).status(f"reading {count} files…", spinner="dots")


def declared_locale(data: object) -> str | None:
    """``organisation.locale`` of a project file's data, before any model is built."""
    organisation = data.get("organisation") if isinstance(data, dict) else None
    locale = organisation.get("locale") if isinstance(organisation, dict) else None
    return locale if isinstance(locale, str) else None


def exclude_of(parsed: ParsedFile) -> list[str]:
    data = parsed.data
    if isinstance(data, dict) and isinstance(data.get("exclude"), list):
        return [p for p in data["exclude"] if isinstance(p, str)]
    return []


# A project read already: kkctl.yaml parsed, and every file's bytes (kkctl.yaml's first).
Read = tuple[ParsedFile, list["_Raw"]]


def load_project(project: Project, options: Options, reader: Reader | None = None,
                 read: Read | None = None) -> Loaded:
    # Loading allocates hundreds of thousands of acyclic containers: the cycle collector
    # would rescan them again and again (a third of the run). Pause it, then freeze them.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load_project(project, options, reader, read)
    finally:
        if paused:
            gc.freeze()
            gc.enable()


def _load_project(project: Project, options: Options, reader: Reader | None,
                  read: Read | None) -> Loaded:
    if options.release_data:
        return _load_file_by_file(project, options, reader, read)
    return finish(prepare(project, options, reader, read))


def _load_file_by_file(project: Project, options: Options, reader: Reader | None,
                       read: Read | None) -> Loaded:
    """:func:`prepare` then :func:`finish`, one file at a time: each file is read (unless a
    cache needed every file's bytes first), parsed, checked, built and let go, data and
    bytes (read again from the file if anything asks), before the next, so the peak holds
    the model and one file, not every file. For ``kkctl validate``, which needs only the
    model; the same diagnostics in the same order."""
    from kkctl.build import Builder
    from kkctl.i18n import remember
    from kkctl.references import check_references
    from kkctl.schema import check_file

    reader = reader or Reader(project, options)
    first, raws = read or reader.read_project()
    rest = raws[1:]

    def again(raw: _Raw) -> Callable[[], bytes | None] | None:
        """How a released file's bytes are read again; None: they stay. Not when a cache
        keeps the result: a file edited meanwhile would leave it positions at 1:1."""
        if not reader.file_by_file or raw.path is None:
            return None
        return functools.partial(reader.bytes_again, raw.path)

    files: list[ParsedFile] = []
    built: list[ParsedFile] = []  # the files that are kkctl's, as the model lists them
    builder = Builder(built)
    diagnostics = [_skipped(project, skipped, first) for skipped in project.skipped]
    schema: list[Diagnostic] = []
    with _progress(len(rest)):
        parsed_files = itertools.chain([first], reader.parse_each(rest))
        for index, (raw, parsed) in enumerate(zip(raws, parsed_files, strict=True)):
            files.append(parsed)
            ours, checkable = _admit(project, parsed, index, first, diagnostics)
            if not ours:
                continue
            built.append(parsed)
            if checkable:
                parsed.schema_checked = (index == 0, check_file(parsed, index == 0))
                schema.extend(parsed.schema_checked[1])
            builder.add(parsed, len(built) == 1)
            if index:  # kkctl.yaml stays: every check looks at it
                parsed.release(again(raw))
    org = builder.org
    remember(org.settings.locale)
    diagnostics = [*diagnostics, *schema, *builder.diagnostics, *check_references(org)]
    diagnostics.sort(key=Diagnostic.sort_key)
    return Loaded(project, files, org, diagnostics)


class Prepared:
    """A project read, parsed and checked against the schema, not built yet: ``kkctl diff``
    prepares both revisions (sharing the parse of equal files), then builds them apart."""

    __slots__ = ("diagnostics", "files", "foreign", "project", "unchecked")

    def __init__(self, project: Project, files: list[ParsedFile],
                 diagnostics: list[Diagnostic], foreign: set[int],
                 unchecked: list[int] | None = None) -> None:
        self.project = project
        self.files = files
        self.diagnostics = diagnostics
        self.foreign = foreign  # indexes of files of other tools: not built
        self.unchecked: list[int] = [] if unchecked is None else unchecked  # for check_schemas


def prepare(project: Project, options: Options, reader: Reader | None = None,
            read: Read | None = None, schema: bool = True) -> Prepared:
    """Read, parse and schema-check (the first half of :func:`load_project`); with
    ``schema`` off, the schema check is left for :func:`check_schemas`."""
    reader = reader or Reader(project, options)
    first, raws = read or reader.read_project()
    with _progress(len(raws) - 1):
        files = [first, *reader.parse_all(raws[1:])]

    diagnostics = [_skipped(project, skipped, first) for skipped in project.skipped]
    foreign: set[int] = set()  # files of other tools: one KK012 each, and not built
    unchecked: list[int] = []
    for index, parsed in enumerate(files):
        ours, checkable = _admit(project, parsed, index, first, diagnostics)
        if not ours:
            foreign.add(index)
        elif checkable:
            unchecked.append(index)
    prepared = Prepared(project, files, diagnostics, foreign, unchecked)
    if schema:
        check_schemas(prepared)
    return prepared


def check_schemas(prepared: Prepared,
                  known: Callable[[ParsedFile, bool], list[Diagnostic] | None] | None = None
                  ) -> list[Diagnostic]:
    """Check against the schema the files :func:`prepare` left unchecked (once per file and
    process); ``known(file, is_project)`` may give a file's findings found elsewhere (None:
    check it here). Returns the findings, also added to ``prepared.diagnostics``."""
    from kkctl.schema import check_file

    found: list[Diagnostic] = []
    for index in prepared.unchecked:
        parsed, is_project = prepared.files[index], index == 0
        if parsed.schema_checked is None or parsed.schema_checked[0] != is_project:
            given = known(parsed, is_project) if known is not None else None
            parsed.schema_checked = (is_project, check_file(parsed, is_project)
                                     if given is None else given)
        found.extend(parsed.schema_checked[1])
    prepared.unchecked = []
    prepared.diagnostics.extend(found)
    return found


def finish(prepared: Prepared) -> Loaded:
    """Build the model and check references (the second half of :func:`load_project`)."""
    from kkctl.build import build
    from kkctl.i18n import remember
    from kkctl.references import check_references

    files = prepared.files
    org, built = build([f for i, f in enumerate(files) if i not in prepared.foreign])
    remember(org.settings.locale)
    diagnostics = [*prepared.diagnostics, *built, *check_references(org)]
    diagnostics.sort(key=Diagnostic.sort_key)
    return Loaded(prepared.project, files, org, diagnostics)


def _skipped(project: Project, skipped: Skipped, project_file: ParsedFile) -> Diagnostic:
    """KK010 at the file or folder skipped, or at the exclude pattern in kkctl.yaml."""
    line = column = 1
    path: tuple[str | int, ...] = ()
    patterns = project_file.data.get("exclude") if isinstance(project_file.data, dict) else None
    if "pattern" in skipped.args and isinstance(patterns, list) \
            and skipped.args["pattern"] in patterns:
        path = ("exclude", patterns.index(skipped.args["pattern"]))
        _, _, line, column = project_file.position(path)
    return Diagnostic("KK010", Severity.WARNING, project.display(skipped.path), line, column,
                      path, skipped.message_id, dict(skipped.args))


def _admit(project: Project, parsed: ParsedFile, index: int, first: ParsedFile,
           diagnostics: list[Diagnostic]) -> tuple[bool, bool]:
    """Whether file ``index`` is kkctl's (to build) and whole enough to check against the
    schema; its reading problems, or the one KK012 of another tool's file, go to
    ``diagnostics``."""
    from kkctl.schema import foreign_file

    not_ours = foreign_file(parsed, project, first, index == 0)
    if not_ours:
        diagnostics.extend(not_ours)
        return False, False
    diagnostics.extend(parsed.diagnostics)
    if parsed.diagnostics and parsed.data is None:
        return True, False  # unreadable: already reported
    return True, _structure_ok(parsed, index == 0, diagnostics)


def _structure_ok(parsed: ParsedFile, is_project: bool, out: list[Diagnostic]) -> bool:
    data = parsed.data
    if isinstance(data, dict):
        return True
    if data is None:
        severity = Severity.ERROR if is_project else Severity.WARNING
        out.append(Diagnostic("KK007", severity, parsed.path, 1, 1, (), "file.empty"))
        return False
    found = {"en": "a list", "ru": "список"} if isinstance(data, list) else \
        {"en": f"a single value ({str(data)[:40]!r})", "ru": f"одно значение ({str(data)[:40]!r})"}
    pos = parsed.position(())  # the builder reads mappings only: nothing else uses this file
    out.append(Diagnostic("KK007", Severity.ERROR, parsed.path, pos[2], pos[3], (),
                          "file.root_type", {"found": found}))
    return False


class _Raw:
    """A file's bytes (or why there are none) and their cache key; or, for a project read
    file by file, a file still to read (``pending``) and its size."""

    __slots__ = ("data", "display", "failure", "key", "path", "pending", "size")

    def __init__(self, display: str, data: bytes | None, key: str,
                 failure: ParsedFile | None = None, path: Path | None = None,
                 pending: bool = False, size: int = 0) -> None:
        self.display = display
        self.data = data
        self.key = key
        self.failure = failure
        self.path = path  # the file on disk, if it is one
        self.pending = pending and path is not None
        self.size = size if data is None else len(data)

    @property
    def readable(self) -> bool:
        """Whether there are bytes to parse (or a file to read them from)."""
        return self.failure is None and (self.data is not None or self.pending)


class Reader:
    """Reads files' bytes and parses them, through the parse cache when allowed."""

    def __init__(self, project: Project, options: Options) -> None:
        self.project = project
        self.options = options
        self._reals: dict[str, str] = {}  # real paths of the project's folders, for reading
        self.cache: ParseCache | None = None
        if options.use_cache:
            from kkctl.cache import ParseCache

            # a git revision's files (kkctl diff) keep to loose entries: the working tree's
            # pack is the one worth keeping
            self.cache = ParseCache(scope=str(project.root) if project.files is None else None)

    def read(self, path: Path) -> ParsedFile:
        return self.parse(self.read_raw(path))

    def read_project(self) -> Read:
        """kkctl.yaml parsed (its ``exclude:`` decides which files are read), and every
        file's bytes, kkctl.yaml's first."""
        first_raw = self.read_raw(self.project.project_file)
        first = self.parse(first_raw)
        paths = [p for p in list_files(self.project, exclude_of(first))
                 if p != self.project.project_file]
        if self.file_by_file:
            return first, [first_raw, *(self._later(p) for p in paths)]
        return first, [first_raw, *(self.read_raw(p) for p in paths)]

    @property
    def file_by_file(self) -> bool:
        """Whether files are read one at a time as they are parsed (:meth:`parse_each`),
        their bytes let go after: for ``kkctl validate`` with nothing that needs every
        file's content key first (a cache). Read all first, 45 MB of bytes at 10,000 teams
        would leave the process a heap that size, freed but not returned."""
        return (self.options.release_data and self.cache is None
                and self.options.memo is None and self.project.files is None)

    def _later(self, path: Path) -> _Raw:
        try:
            size = os.lstat(path).st_size  # to share the parse fairly with the worker
        except OSError:
            size = 0  # read_raw will say what is wrong
        return _Raw(self.project.display(path), None, "", path=path, pending=True, size=size)

    def loaded(self, raw: _Raw) -> _Raw:
        """``raw``, read now if it was still to read."""
        return self.read_raw(raw.path) if raw.pending and raw.path is not None else raw

    def bytes_again(self, path: Path) -> bytes | None:
        """The bytes of a file read before (None if it can no longer be read)."""
        return self.read_raw(path).data

    def read_raw(self, path: Path) -> _Raw:
        display = self.project.display(path)
        if self.project.files is not None:
            return self._virtual(path, display)
        try:
            data = read_bytes_safely(path, self.project.root, self.options.max_file_size,
                                     display, self._reals)
        except UnsafeFileError as err:
            message_id = err.limit_message_id
            return _Raw(display, None, f"unsafe:{message_id}:{err.message_args}",
                        _failed(display, "KK006", message_id, **err.message_args))
        except OSError as err:  # no longer there
            reason = err.strerror or str(err)
            return _Raw(display, None, f"unreadable:{reason}",
                        _failed(display, "KK006", "file.unreadable", reason=reason))
        return _Raw(display, data, self._key(data), path=path)

    def _key(self, data: bytes) -> str:
        """The content key of ``data``, when a cache or a memo needs one."""
        if self.cache is None and self.options.memo is None:
            return ""
        keys = self.options.keys
        known = keys.get(id(data)) if keys is not None else None
        if known is not None and known[0] is data:
            return known[1]
        identity = keys is not None and self.options.same_bytes_only and self.cache is None
        key = f"#{id(data)}" if identity else _content_key(data)
        if keys is not None:
            keys[id(data)] = (data, key)
        return key

    def _virtual(self, path: Path, display: str) -> _Raw:
        assert self.project.files is not None
        root, text = str(self.project.root), str(path)
        rel = text[len(root) + 1:].replace(os.sep, "/") if text.startswith(root + os.sep) \
            else path.relative_to(self.project.root).as_posix()  # as list_files made it
        data = self.project.files.get(rel)
        if data is None:
            return _Raw(display, None, "missing", _failed(display, "KK006", "file.unreadable",
                                                           reason={"en": "not in this revision",
                                                                   "ru": "нет в этой ревизии"}))
        if len(data) > self.options.max_file_size:
            return _Raw(display, None, f"too-large:{len(data)}",
                        _failed(display, "KK006", "file.too_large", size=len(data),
                                limit=self.options.max_file_size))
        return _Raw(display, data, self._key(data))

    def parse(self, raw: _Raw) -> ParsedFile:
        return self.parse_all([raw])[0]

    def parse_all(self, raws: list[_Raw]) -> list[ParsedFile]:
        """Parse many files: cached ones from the cache, the rest on two cores if it pays."""
        out: list[ParsedFile | None] = []
        todo: list[int] = []
        memo = self.options.memo
        raws = [self.loaded(raw) for raw in raws]
        for raw in raws:
            if raw.failure is not None or raw.data is None:
                out.append(raw.failure or ParsedFile(raw.display))
                continue
            if memo is not None and f"{raw.display}\0{raw.key}" in memo:
                out.append(memo[f"{raw.display}\0{raw.key}"])
                continue
            hit = self.cache.get(raw.key, raw.display, raw.data) if self.cache else None
            if hit is not None and memo is not None:
                memo[f"{raw.display}\0{raw.key}"] = hit
            if hit is None:
                todo.append(len(out))
            out.append(hit)
        encoded: dict[int, bytes] = {}  # cache entries the parse worker made already
        parsed_all = _parse_files([raws[i] for i in todo],
                                  encoded if self.cache is not None else None)
        for position, (index, parsed) in enumerate(zip(todo, parsed_all, strict=True)):
            out[index] = parsed
            if memo is not None:
                memo[f"{raws[index].display}\0{raws[index].key}"] = parsed
            if self.cache is not None:
                blob = encoded.get(position)
                if blob is None:
                    self.cache.put(raws[index].key, parsed)
                else:
                    self.cache.put_encoded(raws[index].key, blob)
        if self.cache is not None:
            self.cache.commit()
        return [p for p in out if p is not None]


    def parse_each(self, raws: list[_Raw]) -> Iterator[ParsedFile]:
        """:meth:`parse_all`'s files one at a time, in order, each read (if it was not yet)
        and parsed (or taken from the cache) only when asked for, so a caller that lets each
        go holds one file at a time. A large batch is shared with a forked worker: it parses
        the last files (55% of the bytes to parse) while this process works through the
        first."""
        from kkctl.cache import decode_parsed, encode_parsed

        cache = self.cache
        readable = [i for i, r in enumerate(raws) if r.readable]
        misses = [i for i in readable if cache is None or not cache.has(raws[i].key)]
        theirs = _last_files([raws[i] for i in misses]) if _parallel(
            [raws[i] for i in misses]) else 0
        tail = misses[len(misses) - theirs:] if theirs else []
        worker = _in_worker([raws[i] for i in tail], self) if tail else None
        in_tail = set(tail) if worker is not None else set()
        entries: dict[int, tuple[int | None, bytes]] | None = None
        try:
            for index, raw in enumerate(raws):
                raw = self.loaded(raw)
                if raw.failure is not None or raw.data is None:
                    yield raw.failure or ParsedFile(raw.display)
                    continue
                data, parsed = raw.data, None
                if index in in_tail:
                    assert worker is not None
                    if entries is None:  # each entry is let go as it is used
                        entries = dict(zip(tail, worker.take(), strict=True))
                    blob = _worker_entry(entries.pop(index, None), data)
                    if blob is not None:
                        parsed = decode_parsed(blob, raw.display, data)
                        if cache is not None:
                            cache.put_encoded(raw.key, blob)
                elif cache is not None:
                    parsed = cache.get(raw.key, raw.display, data)
                if parsed is None:
                    parsed = read_yaml(data, raw.display)
                    if cache is not None:  # encoded now: the caller may let its data go
                        cache.put_encoded(raw.key, encode_parsed(parsed))
                del data
                yield parsed
            if cache is not None:
                cache.commit()
        finally:
            if worker is not None:
                worker.cancel()  # an abandoned iteration: the worker is stopped, not awaited


def _worker_entry(entry: tuple[int | None, bytes] | None, data: bytes) -> bytes | None:
    """The parse cache entry in a worker's ``entry`` for ``data``, as :func:`_in_worker`
    made it; None if the worker could not read the file, or read other bytes than this
    process did (the file changed meanwhile)."""
    import zlib

    if entry is None:
        return None
    check, payload = entry
    if check is None:  # parsed from this process's own bytes, inherited
        return payload
    if not payload or check != zlib.crc32(data):
        return None
    return zlib.decompress(payload)


# The worker's share of the bytes to parse, file by file: its files cost this process only
# their decoding and building, so an even split leaves the worker idle at the end. Measured
# at size L (bench/): 0.55 has both finish together, 6% sooner than 0.5; 0.6 waits for it.
WORKER_SHARE = 0.55


def _last_files(raws: list[_Raw], share: float = WORKER_SHARE) -> int:
    """How many of the last files hold about ``share`` of the bytes (never all of them)."""
    total, count, tail = sum(r.size for r in raws), 0, 0
    for raw in reversed(raws[1:]):
        if tail + raw.size / 2 > share * total:
            break
        tail += raw.size
        count += 1
    return count


def _content_key(data: bytes) -> str:
    from kkctl.cache import content_key

    return content_key(data)


PARALLEL_MIN_BYTES = 1_000_000  # below this a second process costs more than it saves


def _parallel(raws: list[_Raw]) -> bool:
    """Whether a batch is worth a forked worker (Linux, 2+ cores, a megabyte or more)."""
    return (len(raws) >= 2 and sys.platform.startswith("linux") and (os.cpu_count() or 1) >= 2
            and sum(r.size for r in raws) >= PARALLEL_MIN_BYTES)


def _in_worker(raws: list[_Raw], reader: Reader | None = None
               ) -> Background[list[tuple[int | None, bytes]]] | None:
    """A forked worker parsing ``raws`` into parse cache entries (call it for them, in
    order; read each with :func:`_worker_entry`), or None where forking is unavailable.

    With ``reader`` (:meth:`Reader.parse_each`), a file still to read is read by the worker
    (an unreadable one gives an empty entry: this process finds out why), and its entry
    comes deflated (the caller holds them all while it works through them: 12 MB less at
    10,000 teams) with the CRC-32 of the bytes parsed, for the caller to check it read the
    same."""
    import zlib

    import kkctl.messages  # noqa: F401 - a file refused in the worker, not imported there
    from kkctl.background import Background
    from kkctl.cache import encode_parsed

    def entry(raw: _Raw) -> tuple[int | None, bytes]:
        if reader is None or not raw.pending:
            return None, encode_parsed(read_yaml(raw.data or b"", raw.display))
        data = reader.loaded(raw).data
        if data is None:
            return 0, b""
        return zlib.crc32(data), zlib.compress(encode_parsed(read_yaml(data, raw.display)), 1)

    def parse() -> list[tuple[int | None, bytes]]:
        return [entry(raw) for raw in raws]

    # threads_ok: a terminal's progress spinner runs a thread, and reading and parsing
    # need no lock it may hold (what a refused file's message needs is imported above)
    worker = Background(parse, pickler=marshal.dumps, unpickler=marshal.loads,
                        threads_ok=True)
    worker.start()
    return worker if worker.pid is not None else None


def _parse_files(raws: list[_Raw],
                 encoded: dict[int, bytes] | None = None) -> list[ParsedFile]:
    """Parse files; a large batch is split with one forked worker (Linux, 2+ cores).
    ``encoded``: filled with the worker's files as it sent them, index -> a parse cache
    entry (:func:`kkctl.cache.encode_parsed`), so they are not encoded a second time."""
    if not _parallel(raws):
        return [read_yaml(r.data or b"", r.display) for r in raws]
    ours, theirs = _halves(raws)
    from kkctl.cache import decode_parsed

    worker = _in_worker([raws[i] for i in theirs])
    if worker is None:
        return [read_yaml(r.data or b"", r.display) for r in raws]
    results: dict[int, ParsedFile] = {}
    try:
        for i in ours:
            results[i] = read_yaml(raws[i].data or b"", raws[i].display)
        for i, entry in zip(theirs, worker(), strict=True):
            data = raws[i].data or b""
            blob = _worker_entry(entry, data)
            if blob is None:
                results[i] = read_yaml(data, raws[i].display)
                continue
            results[i] = decode_parsed(blob, raws[i].display, data)
            if encoded is not None:
                encoded[i] = blob
    finally:  # interrupted: a worker blocked on a full pipe would never end, so stop it
        worker.cancel()  # (nothing to do once its answer was read)
    return [results[i] for i in range(len(raws))]


def _halves(raws: list[_Raw]) -> tuple[list[int], list[int]]:
    """Two sets of indexes of about equal bytes (largest first, to the lighter side)."""
    order = sorted(range(len(raws)), key=lambda i: -raws[i].size)
    sides: tuple[list[int], list[int]] = ([], [])
    weight = [0, 0]
    for i in order:
        side = 0 if weight[0] <= weight[1] else 1
        sides[side].append(i)
        weight[side] += raws[i].size
    return sides


def _failed(display: str, code: str, message_id: str, **args: object) -> ParsedFile:
    parsed = ParsedFile(display)
    parsed.diagnostics.append(Diagnostic(code, Severity.ERROR, display, 1, 1, (), message_id,
                                         dict(args)))
    return parsed
