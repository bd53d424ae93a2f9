"""Writing files safely: whole or not at all, keeping what the file was (mode, owner, links)."""

from __future__ import annotations

import contextlib
import os
import re
import stat
from pathlib import Path

from kkctl.project import UsageError

# No typing at run time: this module is on every start-up (see kkctl.diagnostics).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def write_atomic(path: Path, text: str | bytes, *, root: Path | None = None) -> None:
    """Write ``text`` (UTF-8) or bytes to ``path`` so that a reader sees the old file or the
    new one, never half.

    * An existing file keeps its mode and, where permitted, its owner; a new one gets
      ``0o666 & ~umask`` like any file a program creates.
    * A read-only file (no write bit for its owner, or none at all) is refused, not rewritten:
      root ignores permission bits, so they are read, not merely tried.
    * A symbolic link is written through (the link stays) when its target is inside ``root``
      (default: the current folder); one that leads out is refused, so a planted
      ``REPORT.md -> ~/.bashrc`` cannot make kkctl overwrite a file outside the project.
    * A hard-linked file (``st_nlink > 1``) is rewritten in place, so every name keeps seeing
      the same inode. The trade-off: that write is not atomic; the whole text is encoded
      first and written with one call, then truncated to size and fsynced, which narrows but
      does not close the window in which a crash leaves a mix of old and new.
    * Otherwise a temporary file beside the target is written, fsynced and renamed over it.
    """
    target = _target(Path(path), root)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise UsageError("write.failed", path=str(path), reason=err.strerror or str(err)) from err
    if info is not None:
        _check_writable(Path(path), target, info)
        if info.st_nlink > 1:
            _write_in_place(target, data)
            return
    _replace(target, data, info)


def _target(path: Path, root: Path | None) -> Path:
    """The file to write: ``path`` itself, or the file its symbolic links lead to."""
    check_destination(path, root)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def check_destination(path: Path, root: Path | None = None) -> None:
    """Refuse a path that lies inside ``root`` (default: the current folder) but leads out of
    it through a symbolic link, in the file's name or in any folder above it: a pull request
    can plant ``docs -> ../../outside``. A path the user names outside ``root`` is theirs."""
    base = os.path.realpath(root if root is not None else Path.cwd())
    lexical = os.path.abspath(path)
    if not _inside(os.path.normpath(lexical), base) and not _inside(
            os.path.normpath(lexical), os.path.abspath(root if root is not None else Path.cwd())):
        return
    real = os.path.realpath(path)
    if not _inside(real, base):
        raise UsageError("write.link_outside", path=str(path), target=real, base=base)


def _inside(path: str, base: str) -> bool:
    return path == base or path.startswith(os.path.join(base, ""))


def _check_writable(path: Path, target: Path, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise UsageError("write.folder", path=str(path))
    if not stat.S_ISREG(info.st_mode):
        raise UsageError("write.not_regular", path=str(path))
    if _read_only(target, info):
        raise UsageError("write.read_only", path=str(path), mode=stat.filemode(info.st_mode))


def _read_only(path: Path, info: os.stat_result) -> bool:
    """The owner's write bit decides for the owner (root included: root writes anything, so
    EACCES never comes); for others, any write bit and the system's own answer."""
    if info.st_uid == _euid():
        return not info.st_mode & stat.S_IWUSR
    return not info.st_mode & 0o222 or not os.access(path, os.W_OK)


def _folder_problem(folder: Path) -> str | None:
    try:
        info = os.stat(folder)
    except OSError as err:
        return err.strerror or str(err)
    if not stat.S_ISDIR(info.st_mode):
        return "not a folder"
    if _read_only(folder, info):
        return f"the folder is read-only (mode {stat.filemode(info.st_mode)})"
    return None


def _replace(target: Path, data: bytes, info: os.stat_result | None) -> None:
    """Temporary file in the same folder, same mode and owner, fsync, then rename."""
    folder = target.parent if str(target.parent) else Path(".")
    problem = _folder_problem(folder)
    if problem is not None:
        raise _folder_error(target, folder, problem)
    import tempfile  # here: shutil, random and the rest are no part of a read-only run

    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as err:
        raise _folder_error(target, folder, err.strerror or str(err)) from err
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        _copy_attributes(tmp, info)
        os.replace(tmp, target)
    except BaseException as err:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise UsageError("write.failed", path=str(target), reason=err.strerror or str(err)) \
                from err
        raise


def _folder_error(target: Path, folder: Path, problem: str) -> UsageError:
    return UsageError("write.folder_blocked", path=str(target), folder=str(folder),
                      reason=problem)


def _copy_attributes(tmp: str, info: os.stat_result | None) -> None:
    """mkstemp makes 0600 files; give the new file the old one's mode (or the umask's)."""
    if info is None:
        os.chmod(tmp, 0o666 & ~_umask())
        return
    if (info.st_uid, info.st_gid) != (_euid(), _egid()) and hasattr(os, "chown"):
        # only root may give a file away; anyone else keeps their own ownership
        with contextlib.suppress(OSError):
            os.chown(tmp, info.st_uid, info.st_gid)
    os.chmod(tmp, stat.S_IMODE(info.st_mode))  # after chown, which may clear setuid bits


def _euid() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else -1


def _egid() -> int:
    return os.getegid() if hasattr(os, "getegid") else -1


def _umask() -> int:
    """The process's umask: reading it means setting it, so it is put straight back."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_in_place(target: Path, data: bytes) -> None:
    try:
        fd = os.open(target, os.O_WRONLY)
        try:
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:])
            os.ftruncate(fd, len(data))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as err:
        raise UsageError("write.failed", path=str(target), reason=err.strerror or str(err)) \
                from err


def dump_json(data: Any) -> str:
    import json  # here: a validate that prints text needs no JSON

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Control characters and bidirectional overrides from user strings, shown not obeyed."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def refuse_inputs(output: Path | None, inputs: list[str]) -> None:
    """Never let ``--out``/``--output`` overwrite a file the organisation is read from, by
    whatever name: the same file through a symbolic or a hard link is refused too. Compared
    by file identity: one ``stat`` an input, not a path resolution (10,000 files: 20 ms)."""
    if output is None:
        return
    try:
        target = os.stat(output)
    except OSError:  # nothing there yet: no input can be it (a write error is reported later)
        return
    for name in inputs:
        try:
            same = os.path.samestat(os.stat(name), target)
        except OSError:
            continue
        if same:
            raise UsageError("usage.own_file", path=str(output))


def one_line(text: str) -> str:
    """A diagnostic's line: terminal-safe, and a newline in a user string stays visible."""
    return terminal_safe(text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t"))
