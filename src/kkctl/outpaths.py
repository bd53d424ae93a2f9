"""Paths a command writes to or reads templates from, refused before any work is done.

Each check raises :class:`kkctl.project.UsageError` (exit 2) with a catalogue message in the
user's language, instead of an OSError surfacing half-way through a run.
"""

from __future__ import annotations

import os
from pathlib import Path

from kkctl.messages import render
from kkctl.project import UsageError


def blocking_file(path: Path) -> Path | None:
    """The non-folder standing where ``path`` or one of its parents must be a folder."""
    for part in (path, *path.parents):
        if os.path.lexists(part):
            return None if part.is_dir() else part
    return None


def check_output_file(option: str, path: Path, lang: str) -> None:
    """``--out FILE``: not a folder, and in a folder that exists."""
    args = {"option": option, "path": str(path)}
    if path.is_dir():
        raise _error("output.is_folder", lang, {**args, "example": str(path / "REPORT.md")})
    folder = path.parent
    blocker = blocking_file(folder)
    if blocker is not None:
        raise _error("output.blocked", lang, {**args, "blocker": str(blocker)})
    if not folder.is_dir():
        raise _error("output.no_folder", lang, {**args, "folder": str(folder)})


def check_output_folder(option: str, path: Path, lang: str) -> None:
    """``--assets DIR``: a folder, or a path where one can be created."""
    args = {"option": option, "path": str(path)}
    if os.path.lexists(path) and not path.is_dir():
        raise _error("output.not_folder", lang, args)
    blocker = blocking_file(path.parent)
    if blocker is not None:
        raise _error("output.blocked", lang, {**args, "blocker": str(blocker)})


def check_template_folder(path: Path, lang: str) -> None:
    """``--template DIR`` must exist: a typo must not silently give the shipped report."""
    if not os.path.lexists(path):
        raise _error("template.no_folder", lang, {"folder": str(path)})
    if not path.is_dir():
        raise _error("template.not_folder", lang, {"folder": str(path)})


def _error(message_id: str, lang: str, args: dict[str, str]) -> UsageError:
    return UsageError(render(message_id, lang, args))
