"""Find the project and the files that make up the organisation.

A project is the folder holding ``kkctl.yaml``; every ``*.yaml``/``*.yml`` below it is read,
except hidden files and folders, paths matched by ``exclude:`` globs, and symbolic links that
lead outside the project.
"""

from __future__ import annotations

import os
from pathlib import Path

from kkctl.wildmatch import Excludes, PatternError, climbs_out
from kkctl.wildmatch import parse as parse_pattern

PROJECT_FILES = ("kkctl.yaml", "kkctl.yml")
YAML_SUFFIXES = (".yaml", ".yml")
MAX_FOLDER_DEPTH = 64


class UsageError(Exception):
    """The command cannot run (exit code 2): a missing path, no project, a bad option.

    Raised with a catalogue id and its arguments (``UsageError("usage.no_path", path=p)``)
    it speaks the run's language (:meth:`message`); ``str()`` is the English text."""

    def __init__(self, text: str, **args: object) -> None:
        from kkctl.messages import MESSAGES

        self.message_id: str | None = text if text in MESSAGES else None
        self.message_args: dict[str, object] = args
        super().__init__(self.message("en") if self.message_id else text)

    def message(self, lang: str) -> str:
        if self.message_id is None:
            return str(self.args[0]) if self.args else ""
        from kkctl.messages import render

        return render(self.message_id, lang, dict(self.message_args))


# Plain classes, not dataclasses or NamedTuples: importing those modules was a fifth of the
# start-up of a cached validate (see kkctl.diagnostics).
class Skipped(tuple[Path, str, dict[str, object]]):
    """A file, folder or exclude pattern that was left out, and why (a KK010 warning)."""

    __slots__ = ()

    def __new__(cls, path: Path, message_id: str, args: dict[str, object]) -> Skipped:
        return super().__new__(cls, (path, message_id, args))

    def __getnewargs__(self) -> tuple[Path, str, dict[str, object]]:  # pickle and copy
        return (self[0], self[1], self[2])

    @property
    def path(self) -> Path:
        return self[0]

    @property
    def message_id(self) -> str:
        return self[1]

    @property
    def args(self) -> dict[str, object]:
        return self[2]


class Project:
    __slots__ = ("display_root", "files", "project_file", "root", "single_file", "skipped")

    def __init__(self, root: Path, project_file: Path, single_file: bool = False,
                 skipped: list[Skipped] | None = None, display_root: Path | None = None,
                 files: dict[str, bytes] | None = None) -> None:
        self.root = root  # the folder the organisation lives in
        self.project_file = project_file  # kkctl.yaml, or the one self-contained file
        self.single_file = single_file
        self.skipped: list[Skipped] = [] if skipped is None else skipped
        self.display_root = display_root  # name files relative to this folder, not the cwd
        # The files of an organisation that is not on disk as such (a git revision):
        # {path relative to root, POSIX: bytes}. None: read the folder.
        self.files = files

    def __repr__(self) -> str:
        return f"Project(root={self.root!r}, project_file={self.project_file!r})"

    def display(self, path: Path) -> str:
        """How a file is named in messages: relative to the current folder when below it.

        Bytes of a name that are not UTF-8 show as ``\\xff``: printable, and never an
        encoding error later (in a report, a cache key, a JSON file)."""
        text = str(path)
        prefix = os.path.join(str(self.display_root), "") if self.display_root else _cwd_prefix()
        if text.startswith(prefix):
            text = text[len(prefix):]
        text = text.replace(os.sep, "/") if os.sep != "/" else text
        if text.startswith(":"):  # "::error ...yaml" would start a GitHub workflow command
            text = "./" + text
        return _escape_undecodable(text)


def _escape_undecodable(text: str) -> str:
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that no byte stands for
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _cwd_prefix() -> str:
    return os.path.join(os.getcwd(), "")


def locate(path: str | None) -> Project:
    """Resolve PATH (a folder, kkctl.yaml, or one self-contained file) to a project."""
    if path is None:
        return _search_upward(Path.cwd())
    target = Path(path)
    if not target.exists():
        raise UsageError("usage.no_path", path=path)
    target = target.absolute()
    if target.is_dir():
        for name in PROJECT_FILES:
            if (target / name).is_file():
                return Project(root=target, project_file=target / name)
        raise UsageError("usage.no_project_file", path=path)
    if target.name in PROJECT_FILES:
        return Project(root=target.parent, project_file=target)
    return Project(root=target.parent, project_file=target, single_file=True)


def _search_upward(start: Path) -> Project:
    for folder in (start, *start.parents):
        for name in PROJECT_FILES:
            if (folder / name).is_file():
                return Project(root=folder, project_file=folder / name)
    raise UsageError("usage.no_project")


def list_files(project: Project, exclude: list[str]) -> list[Path]:
    """Every organisation file, project file first, then sorted by relative path."""
    if project.single_file:
        return [project.project_file]
    excludes = _compile_excludes(project, exclude)
    if project.files is not None:
        found = [(rel, project.root / rel) for rel in project.files
                 if rel.endswith(YAML_SUFFIXES) and not _hidden(rel)
                 and not excludes.excluded_with_folders(rel)]
    else:
        found = _walk(project, excludes)
    found.sort(key=lambda item: (item[1] != project.project_file, item[0]))
    return [path for _, path in found]


def _hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


def _compile_excludes(project: Project, patterns: list[str]) -> Excludes:
    compiled = []
    for text in patterns:
        if climbs_out(text):
            project.skipped.append(Skipped(project.project_file, "file.exclude_outside",
                                           {"pattern": text}))
            continue
        try:
            pattern = parse_pattern(text)
        except PatternError as err:
            project.skipped.append(Skipped(project.project_file, "file.exclude_invalid",
                                           {"pattern": text, "reason": err.reason}))
            continue
        if pattern is not None:
            compiled.append(pattern)
    return Excludes(compiled)


def _walk(project: Project, excludes: Excludes) -> list[tuple[str, Path]]:
    """Every ``*.yaml``/``*.yml`` below the root. An entry so named is read whatever it is (a
    FIFO, a device, a folder), so the reader refuses it with a positioned error."""
    root = project.root
    real_root = os.path.realpath(root)
    found: list[tuple[str, Path]] = []

    def unreadable(err: OSError) -> None:  # os.walk would skip the folder silently
        project.skipped.append(Skipped(Path(err.filename or root), "file.folder_unreadable",
                                       {"reason": err.strerror or str(err)}))

    for folder, dirs, files in os.walk(root, onerror=unreadable):
        rel_folder = os.path.relpath(folder, root)
        rel_folder = "" if rel_folder == "." else rel_folder.replace(os.sep, "/") + "/"
        if rel_folder.count("/") >= MAX_FOLDER_DEPTH and dirs:
            # os.walk recurses (Python < 3.12): a PR's 1,000 nested folders must not crash it
            project.skipped.append(Skipped(Path(folder), "file.folder_too_deep",
                                           {"limit": MAX_FOLDER_DEPTH}))
            dirs.clear()
        as_files = [d for d in dirs if d.endswith(YAML_SUFFIXES)]
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not d.endswith(YAML_SUFFIXES)
                         and not excludes.excluded(rel_folder + d, True)
                         and not _link_outside(project, os.path.join(folder, d), real_root))
        for name, is_dir in [*((f, False) for f in files), *((d, True) for d in as_files)]:
            if name.startswith(".") or not name.endswith(YAML_SUFFIXES):
                continue
            rel = rel_folder + name
            full = os.path.join(folder, name)
            if excludes.excluded(rel, is_dir) or _link_outside(project, full, real_root):
                continue
            found.append((rel, Path(full)))
    return found


def _link_outside(project: Project, path: str, real_root: str) -> bool:
    if not os.path.islink(path):
        return False
    target = os.path.realpath(path)
    if target == real_root or target.startswith(real_root + os.sep):
        return False
    project.skipped.append(Skipped(Path(path), "file.symlink_outside", {"target": target}))
    return True
