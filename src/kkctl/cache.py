"""On-disk parse cache keyed by file content.

An entry holds what :func:`kkctl.yamlread.read_yaml` made of some bytes, serialised with
``marshal`` (plain data only: nothing in an entry can run code). Entries live in the user's
cache folder, never in the project, so a pull request cannot plant one. Writes go to a
temporary file renamed into place, so concurrent runs see whole entries or none; an entry
that does not load is ignored and rewritten.

A run that parses many files writes their entries as one *pack* for the project (one file
instead of ten thousand: creating a file per entry made a first run 28% slower than
``--no-cache``), and a later run reads the pack once instead of opening an entry per file. A
pack maps content keys to entries, so an entry found in it is exact whichever project wrote
it; a few files parsed later go into loose entries until a run parses many again.
"""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path

try:  # the BLAKE2 module alone: hashlib would load OpenSSL too (3 ms of every start)
    from _blake2 import blake2b
except ImportError:  # an interpreter built without it
    from hashlib import blake2b

from kkctl import __version__
from kkctl.diagnostics import Diagnostic, Severity
from kkctl.yamlread import ParsedFile

# No typing at run time: this module is on every start-up (see kkctl.diagnostics).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from kkctl.background import Background

# Bump CACHE_FORMAT when what a cached parse holds changes (e.g. messages' arguments), so a
# development install with an unchanged version never reads an older shape.
CACHE_FORMAT = 2
_MAGIC = (f"kkctl-parse/{__version__}/{CACHE_FORMAT}/"
          f"{sys.version_info[0]}.{sys.version_info[1]}").encode()


def content_key(data: bytes) -> str:
    """What a file's parse depends on: its bytes, and this kkctl and Python."""
    return blake2b(_MAGIC + data, digest_size=20).hexdigest()


def canonical_salt(settings: str) -> Any:
    """The start of a "content already canonical" key (:mod:`kkctl.fmt`): this kkctl and
    Python, and fmt's ``settings``; copy it and add a file's bytes for the file's key."""
    return blake2b(_MAGIC + b"\0fmt\0" + settings.encode("utf-8") + b"\0",
                           digest_size=20)


def cache_dir() -> Path:
    explicit = os.environ.get("KKCTL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "kkctl" / "cache"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg or Path.home() / ".cache") / "kkctl"


PACK_MIN = 64  # fresh entries from which a run writes its project's pack, not loose ones


class ParseCache:
    def __init__(self, folder: Path | None = None, scope: str | None = None) -> None:
        """``scope``: the project whose pack to read and write (None: loose entries only)."""
        self.folder = (folder or cache_dir()) / "parse"
        self.scope = scope
        self._pack: dict[str, bytes] | None = None  # read on first use
        self._seen: dict[str, bytes | ParsedFile] = {}  # entries found or made this run
        # entries made this run, not written yet (a parse is encoded when written)
        self._fresh: dict[str, bytes | ParsedFile] = {}
        self._folders: set[str] | None = None  # the loose entries' folders there are

    def _may_be_loose(self, key: str) -> bool:
        """Whether ``key`` may have a loose entry: its folder exists. Listing the folders
        once spares an empty cache ten thousand failed opens on a first run."""
        if self._folders is None:
            try:
                self._folders = set(os.listdir(self.folder))
            except OSError:
                self._folders = set()
        return key[:2] in self._folders

    def key(self, data: bytes) -> str:
        return content_key(data)

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / key[2:]

    def has(self, key: str) -> bool:
        """Whether an entry for ``key`` is there (to plan the work: :meth:`get` may still
        find it damaged)."""
        return key in self._packed() or (self._may_be_loose(key)
                                         and self._entry(key).is_file())

    def get(self, key: str, display: str, source: bytes) -> ParsedFile | None:
        raw = self._packed().get(key)
        if raw is None:
            if not self._may_be_loose(key):
                return None
            try:
                raw = self._entry(key).read_bytes()
            except OSError:
                return None
        try:
            parsed = decode_parsed(raw, display, source)
        except Exception:  # a corrupt or foreign entry is just a miss
            return None
        if self.scope is not None:
            self._seen[key] = raw
        return parsed

    def put(self, key: str, parsed: ParsedFile) -> None:
        """Keep an entry to write at :meth:`commit` (encoded then)."""
        self._fresh[key] = parsed

    def put_encoded(self, key: str, entry: bytes) -> None:
        """:meth:`put` of an entry :func:`encode_parsed` made already (the parse worker's)."""
        self._fresh[key] = entry

    def commit(self) -> None:
        """Write the entries made since the last commit: a few as loose entries; many as the
        project's pack, with every entry this run found, so the pack holds the project as it
        is now (entries of files since changed or removed drop out)."""
        fresh, self._fresh = self._fresh, {}
        if not fresh:
            return
        if self.scope is None or len(fresh) < PACK_MIN:
            for key, entry in fresh.items():
                self._write(key, _encoded(entry))
            return
        self._seen.update(fresh)
        entries, scope = dict(self._seen), self.scope

        def write_pack() -> None:
            self.put_payload(_pack_key(scope),
                             {key: _encoded(entry) for key, entry in entries.items()})

        # The run's pack (the files of a large organisation) is encoded and written by a
        # child on the second core while this process goes on to check and build them.
        _in_background(write_pack)
        # what this process reads again comes from here (the entries already encoded)
        self._pack = {key: entry for key, entry in entries.items() if isinstance(entry, bytes)}

    def _packed(self) -> dict[str, bytes]:
        if self._pack is None:
            self._pack = {}
            if self.scope is not None:
                wait_for_writers()  # a pack this process is writing: read it whole
                pack = self.get_payload(_pack_key(self.scope))
                if isinstance(pack, dict):
                    self._pack = {k: v for k, v in pack.items()
                                  if isinstance(k, str) and isinstance(v, bytes)}
        return self._pack

    def _write(self, key: str, payload: bytes) -> None:
        entry = self._entry(key)
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            if self._folders is not None:
                self._folders.add(entry.parent.name)
            import tempfile  # only when something is written: not on an unchanged run

            fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(payload)
                os.replace(tmp, entry)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass  # a read-only or full cache folder must never fail a run


    # -- whole-run results ------------------------------------------------------------
    def result_key(self, command: str, files: list[tuple[str, str]]) -> str:
        """A run's key: the command, and every file's name as shown and content key."""
        digest = blake2b(_MAGIC + command.encode(), digest_size=20)
        for display, key in files:
            digest.update(b"\0" + display.encode("utf-8", "surrogateescape") + b"\0" +
                          key.encode())
        return "r" + digest.hexdigest()

    def get_result(self, key: str) -> tuple[list[Diagnostic], str | None] | None:
        try:
            diags, locale = self.get_payload(key)
            return diagnostics_from_data(diags), locale
        except Exception:  # missing (None), corrupt or foreign: recompute
            return None

    def put_result(self, key: str, diagnostics: list[Diagnostic], locale: str | None) -> None:
        self.put_payload(key, (diagnostics_data(diagnostics), locale))

    def get_payload(self, key: str) -> Any:
        """Plain data stored under ``key`` by :meth:`put_payload`; None when there is none
        (missing, corrupt or another version's)."""
        try:
            raw = self._entry(key).read_bytes()
            magic, _, payload = raw.partition(b"\n")
            return marshal.loads(payload) if magic == _MAGIC else None
        except Exception:  # missing, corrupt or foreign: recompute
            return None

    def put_payload(self, key: str, data: Any) -> None:
        """Store plain data (what ``marshal`` takes: no objects, nothing that runs code)."""
        try:
            payload = marshal.dumps(data)
        except ValueError:  # not plain data: a bug worth a test, never a failed run
            return
        self._write(key, _MAGIC + b"\n" + payload)


    # -- contents already canonical (kkctl fmt) -----------------------------------------
    def canonical_keys(self, scope: str) -> set[bytes]:
        """The content keys fmt found canonical in ``scope`` (a project and its settings): one
        entry for all of a project's files, so an unchanged run reads one file, not one per
        file. A key is exact by itself (:func:`canonical_salt`); the scope only groups them."""
        keys = self.get_payload(_scope_key(scope))
        try:
            return {key for key in keys if isinstance(key, bytes)}
        except TypeError:  # missing (None), corrupt or foreign: nothing known
            return set()

    def put_canonical_keys(self, scope: str, keys: set[bytes]) -> None:
        self.put_payload(_scope_key(scope), sorted(keys))


def _encoded(entry: bytes | ParsedFile) -> bytes:
    return entry if isinstance(entry, bytes) else encode_parsed(entry)


BACKGROUND_WRITERS: list[Background[None]] = []  # cache writers not yet waited for


def _in_background(work: Callable[[], None]) -> None:
    """Run ``work`` in a forked child (waited for by :func:`wait_for_writers`), or here
    where forking is unavailable. Another thread (a terminal's progress spinner) does not
    stop it: the child only encodes and writes a file, taking no lock such a thread may
    hold, and CPython holds its import lock across the fork."""
    from kkctl.background import Background

    wait_for_writers()  # the one before, long done: two writers never race for a pack
    writer = Background(work, threads_ok=True)
    writer.start()
    if writer.pid is None:
        writer()  # not forked: written here and now
        return
    if not _EXIT_WAIT:
        import atexit

        atexit.register(_wait_at_exit)
        _EXIT_WAIT.append(True)
    BACKGROUND_WRITERS.append(writer)


_EXIT_WAIT: list[bool] = []  # the exit handler registered (once a process)


def _wait_at_exit() -> None:
    """A process leaving normally waits for its writers; interrupted, it leaves (the
    writer, interrupted too, removes its temporary file)."""
    import contextlib

    with contextlib.suppress(KeyboardInterrupt):
        wait_for_writers()


def wait_for_writers() -> None:
    """Wait for the cache writers forked (a writer that failed is run here): a command
    ends only when its cache is written."""
    while BACKGROUND_WRITERS:
        BACKGROUND_WRITERS.pop()()


def _pack_key(scope: str) -> str:
    return "p" + blake2b(_MAGIC + b"\0pack\0" + scope.encode("utf-8", "surrogateescape"),
                                 digest_size=20).hexdigest()


def _scope_key(scope: str) -> str:
    return "f" + blake2b(_MAGIC + b"\0scope\0" + scope.encode("utf-8", "surrogateescape"),
                                 digest_size=20).hexdigest()


def diagnostics_data(diagnostics: list[Diagnostic]) -> list[tuple[Any, ...]]:
    """Diagnostics as plain data (:func:`diagnostics_from_data` reads them back)."""
    return [(d.file, d.code, d.severity.value, d.line, d.column, d.path, d.message_id,
             d.args, d.subject) for d in diagnostics]


def diagnostics_from_data(data: list[tuple[Any, ...]]) -> list[Diagnostic]:
    return [_diagnostic(*d) for d in data]


def encode_parsed(parsed: ParsedFile) -> bytes:
    payload = marshal.dumps((parsed.data, parsed.decimals, diagnostics_data(parsed.diagnostics)))
    return _MAGIC + b"\n" + payload


def decode_parsed(raw: bytes, display: str, source: bytes) -> ParsedFile:
    magic, _, payload = raw.partition(b"\n")
    if magic != _MAGIC:
        raise ValueError("foreign cache entry")
    data, decimals, diags = marshal.loads(payload)
    if not isinstance(decimals, dict) or not isinstance(diags, list):
        raise ValueError("corrupt cache entry")
    parsed = ParsedFile(display, data, None, decimals, source)
    parsed.diagnostics = [_diagnostic(display, *d[1:]) for d in diags]
    return parsed


def _diagnostic(display: str, code: str, severity: str, line: int, column: int,
                path: tuple[Any, ...], message_id: str, args: dict[str, Any],
                subject: tuple[str, str] | None) -> Diagnostic:
    return Diagnostic(code=code, severity=Severity(severity), file=display, line=line,
                      column=column, path=path, message_id=message_id, args=args,
                      subject=tuple(subject) if subject else None)  # type: ignore[arg-type]
