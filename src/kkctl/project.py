"""Find the project and the files that make up the organisation.

A project is the folder holding ``kkctl.yaml``; every ``*.yaml``/``*.yml`` below it is read,
except hidden files and folders, paths matched by ``exclude:`` globs, and symbolic links that
lead outside the project.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_FILES = ("kkctl.yaml", "kkctl.yml")
YAML_SUFFIXES = (".yaml", ".yml")


class UsageError(Exception):
    """The command cannot run (exit code 2): a missing path, no project, a bad option."""


@dataclass
class Project:
    root: Path  # the folder the organisation lives in
    project_file: Path  # kkctl.yaml, or the one self-contained file
    single_file: bool = False
    skipped: list[tuple[Path, str, str]] = field(default_factory=list)  # (path, message id, arg)
    display_root: Path | None = None  # name files relative to this folder instead of the cwd
    # The files of an organisation that is not on disk as such (a git revision):
    # {path relative to root, POSIX: bytes}. None: read the folder.
    files: dict[str, bytes] | None = None

    def display(self, path: Path) -> str:
        """How a file is named in messages: relative to the current folder when below it."""
        text = str(path)
        prefix = os.path.join(str(self.display_root), "") if self.display_root else _cwd_prefix()
        if text.startswith(prefix):
            text = text[len(prefix):]
        return text.replace(os.sep, "/") if os.sep != "/" else text


def _cwd_prefix() -> str:
    return os.path.join(os.getcwd(), "")


def locate(path: str | None) -> Project:
    """Resolve PATH (a folder, kkctl.yaml, or one self-contained file) to a project."""
    if path is None:
        return _search_upward(Path.cwd())
    target = Path(path)
    if not target.exists():
        raise UsageError(f"path '{path}' does not exist")
    target = target.absolute()
    if target.is_dir():
        for name in PROJECT_FILES:
            if (target / name).is_file():
                return Project(root=target, project_file=target / name)
        raise UsageError(f"'{path}' has no kkctl.yaml; pass the project folder, its kkctl.yaml, "
                         "or a single organisation file")
    if target.name in PROJECT_FILES:
        return Project(root=target.parent, project_file=target)
    return Project(root=target.parent, project_file=target, single_file=True)


def _search_upward(start: Path) -> Project:
    for folder in (start, *start.parents):
        for name in PROJECT_FILES:
            if (folder / name).is_file():
                return Project(root=folder, project_file=folder / name)
    raise UsageError("no kkctl.yaml in this folder or any folder above it; pass PATH or run "
                     "the command inside a kkctl project")


def list_files(project: Project, exclude: list[str]) -> list[Path]:
    """Every organisation file, project file first, then sorted by relative path."""
    if project.single_file:
        return [project.project_file]
    root = project.root
    real_root = os.path.realpath(root)
    matchers = []
    for pattern in exclude:
        if pattern.startswith(("/", "\\")) or ".." in Path(pattern).parts:
            project.skipped.append((root / "kkctl.yaml", "file.exclude_outside", pattern))
            continue
        matchers.append(glob_to_regex(pattern))
    found: list[tuple[str, Path]] = []
    if project.files is not None:
        for rel in project.files:
            if rel.endswith(YAML_SUFFIXES) and not any(part.startswith(".")
                                                       for part in rel.split("/")) \
                    and not (matchers and _excluded(rel, matchers)):
                found.append((rel, root / rel))
        found.sort(key=lambda item: (item[1] != project.project_file, item[0]))
        return [path for _, path in found]
    for folder, dirs, files in os.walk(root):
        rel_folder = os.path.relpath(folder, root)
        rel_folder = "" if rel_folder == "." else rel_folder.replace(os.sep, "/") + "/"
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not _excluded(rel_folder + d, matchers)
                         and not _link_outside(project, os.path.join(folder, d), real_root))
        for name in files:
            if name.startswith(".") or not name.endswith(YAML_SUFFIXES):
                continue
            rel = rel_folder + name
            full = os.path.join(folder, name)
            if (matchers and _excluded(rel, matchers)) or _link_outside(project, full, real_root):
                continue
            found.append((rel, Path(full)))
    found.sort(key=lambda item: (item[1] != project.project_file, item[0]))
    return [path for _, path in found]


def _excluded(rel: str, matchers: list[re.Pattern[str]]) -> bool:
    return any(m.match(rel) for m in matchers)


def _link_outside(project: Project, path: str, real_root: str) -> bool:
    if not os.path.islink(path):
        return False
    target = os.path.realpath(path)
    if target == real_root or target.startswith(real_root + os.sep):
        return False
    project.skipped.append((Path(path), "file.symlink_outside", target))
    return True


def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """A gitignore-like glob: ``*`` within a name, ``**`` across folders; a match on a folder
    excludes everything below it."""
    pattern = pattern.strip("/")
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + "(?:/.*)?\\Z")
