"""Reading a file that a pull request controls, without trusting it.

The author of a pull request chooses every byte of the project, including what is a symbolic
link, a FIFO or a device. Whatever kkctl reads from the project goes through
:func:`read_bytes_safely`: a regular file, inside the project (a link is followed only to a
target inside it), at most ``limit`` bytes, read once from one open file descriptor (what is
checked is what is read, even if the path is swapped meanwhile), opened non-blocking so a FIFO
cannot hang the run.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from kkctl.project import UsageError

DEFAULT_LIMIT = 20 * 1024 * 1024  # the baseline, the previous report: far above any real one
_CHUNK = 1 << 20
_PROBE = 1 << 12  # a read after a short one: most likely the end
_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
          | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


class UnsafeFileError(UsageError):
    """A file kkctl will not read: outside the project, not a regular file, too large, not
    UTF-8 or unreadable. As a :class:`UsageError` it ends a command with exit code 2; the
    loader turns it into a positioned diagnostic instead."""

    def __init__(self, display: str, message_id: str, args: dict[str, object],
                 line: int = 1, column: int = 1) -> None:
        self.display = display
        self.line = line
        self.column = column
        super().__init__(message_id, **args)
        self.message_id: str = message_id  # set again: the base class keeps catalogue ids only

    @property
    def limit_message_id(self) -> str:
        """The message for a file read under ``--max-file-size``: over the limit, it says
        how to raise it."""
        return "file.too_large" if self.message_id == "file.over_limit" else self.message_id

    def message(self, lang: str) -> str:
        """``file:line:col: what is wrong`` in ``lang``."""
        from kkctl.messages import render

        return f"{self.display}:{self.line}:{self.column}: " \
               f"{render(self.message_id, lang, dict(self.message_args))}"


def read_bytes_safely(path: Path, root: Path, limit: int, display: str | None = None,
                      reals: dict[str, str] | None = None) -> bytes:
    """The bytes of ``path``, a regular file inside ``root``, at most ``limit`` of them.

    ``reals``: real paths of folders already resolved, for a caller reading many files of
    the same folders (a path's real form is otherwise found one lstat per part: 14 per file
    and a tenth of ``kkctl validate`` at 10,000 files). Reused only for reading: what is
    opened is checked after the fact all the same, on the descriptor, or where the system
    cannot tell what a descriptor points at, by resolving the path afresh.

    Raises :class:`FileNotFoundError` if there is no such file, :class:`UnsafeFileError` for
    anything else that is wrong."""
    shown = display if display is not None else str(path)
    real_root = _real_folder(str(root), reals)
    real = _real_file(str(path), reals)
    if not _inside(real, real_root):
        raise UnsafeFileError(shown, "file.link_outside", {"target": real})
    fd = _open(real, shown)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFileError(shown, "file.not_regular", {"kind": _kind(info.st_mode)})
        opened = _opened_path(fd)
        if opened is None and reals is not None:
            # no /proc to ask: the folders remembered may have been swapped since, so the
            # path is resolved afresh, as it would be without them
            opened = os.path.realpath(path)
        if opened is not None and not _inside(opened, real_root):  # swapped after realpath
            raise UnsafeFileError(shown, "file.link_outside", {"target": opened})
        if info.st_size > limit:
            raise UnsafeFileError(shown, "file.over_limit", {"size": info.st_size,
                                                             "limit": limit})
        data = _read_at_most(fd, limit + 1, shown, info.st_size)
    finally:
        os.close(fd)
    if len(data) > limit:  # grew since fstat, or a file whose size the system does not know
        raise UnsafeFileError(shown, "file.over_limit", {"size": len(data), "limit": limit})
    return data


def read_text_safely(path: Path, root: Path, limit: int = DEFAULT_LIMIT,
                     display: str | None = None) -> str:
    """:func:`read_bytes_safely`, decoded as UTF-8 (an invalid byte is an
    :class:`UnsafeFileError` at its line and column)."""
    shown = display if display is not None else str(path)
    data = read_bytes_safely(path, root, limit, shown)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        line_start = data.rfind(b"\n", 0, err.start) + 1
        column = len(data[line_start:err.start].decode("utf-8", "replace")) + 1
        raise UnsafeFileError(shown, "encoding.utf8", {"byte": f"0x{data[err.start]:02x}"},
                              line, column) from err


def read_text_if_exists(path: Path, root: Path, limit: int = DEFAULT_LIMIT,
                        display: str | None = None) -> str | None:
    """:func:`read_text_safely`, or None when there is no file (or a link to nothing)."""
    try:
        return read_text_safely(path, root, limit, display)
    except FileNotFoundError:
        return None


def read_previous_output(out: Path | None, project_root: Path) -> str | None:
    """What an earlier run wrote to ``--out`` (its custom blocks are kept, ``--check``
    compares with it). Links in it may lead only within the project, or within the folder
    the user chose for it if that is outside the project."""
    if out is None:
        return None
    where = Path(os.path.abspath(out))
    root = project_root if _inside(str(where), os.path.abspath(project_root)) else where.parent
    return read_text_if_exists(where, root, DEFAULT_LIMIT, str(out))


def _real_folder(path: str, reals: dict[str, str] | None) -> str:
    if reals is None:
        return os.path.realpath(path)
    real = reals.get(path)
    if real is None:
        real = reals[path] = os.path.realpath(path)
    return real


def _real_file(path: str, reals: dict[str, str] | None) -> str:
    """``os.path.realpath(path)``, its folder's part from ``reals``."""
    folder, name = os.path.split(path)
    if reals is None or not folder or name in ("", ".", ".."):
        return os.path.realpath(path)
    real = os.path.join(_real_folder(folder, reals), name)
    return os.path.realpath(real) if os.path.islink(real) else real


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(os.path.join(root, ""))


def _open(real: str, shown: str) -> int:
    try:
        return os.open(real, _FLAGS)
    except FileNotFoundError:
        raise
    except OSError as err:
        if err.errno == errno.ELOOP:  # the last part became a link after realpath
            raise UnsafeFileError(shown, "file.link_outside", {"target": real}) from err
        raise _unreadable(shown, err) from err


def _unreadable(shown: str, err: OSError) -> UnsafeFileError:
    return UnsafeFileError(shown, "file.unreadable", {"reason": err.strerror or str(err)})


def _opened_path(fd: int) -> str | None:
    """Where the open descriptor really points (Linux), whatever happened to the path."""
    try:
        target = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None
    return target.removesuffix(" (deleted)") if target.startswith("/") else None


def _read_at_most(fd: int, count: int, shown: str, size: int = 0) -> bytes:
    """Up to ``count`` bytes to the end of the file. ``size`` as ``fstat`` gave it: the
    first read asks for that much and one more, then small reads find the end (a read
    allocates what it asks for: a megabyte for each small file was 40% of reading it)."""
    chunks: list[bytes] = []
    left = count
    want = min(left, size + 1) if size > 0 else min(left, _CHUNK)
    try:
        while left > 0:
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            want = min(left, _CHUNK if len(chunk) == want else _PROBE)
    except OSError as err:  # e.g. EISDIR, EIO
        raise _unreadable(shown, err) from err
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


_KINDS = (
    (stat.S_ISDIR, "a folder", "папка"),
    (stat.S_ISFIFO, "a FIFO (named pipe)", "именованный канал (FIFO)"),
    (stat.S_ISCHR, "a device", "устройство"),
    (stat.S_ISBLK, "a device", "устройство"),
    (stat.S_ISSOCK, "a socket", "сокет"),
)


def _kind(mode: int) -> dict[str, str]:
    for test, en, ru in _KINDS:
        if test(mode):
            return {"en": en, "ru": ru}
    return {"en": "a special file", "ru": "особый файл"}
