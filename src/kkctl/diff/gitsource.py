"""An organisation as it was at a git revision, in memory.

A handful of ``git`` processes per revision whatever the size of the organisation: the tree's
YAML files are listed, the ones the working tree still has unchanged are read from disk, and
the rest come from one ``git cat-file --batch``. Links and submodules are not followed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class GitError(Exception):
    """git could not give what was asked (exit code 2); the message says what to do."""


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True,
                              timeout=300, check=False)
    except FileNotFoundError as err:
        raise GitError("git is not installed; use 'kkctl diff --paths OLD NEW' to compare two "
                       "folders") from err


def toplevel(path: Path) -> Path:
    done = _git(path, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise GitError(f"'{path}' is not inside a git repository; use 'kkctl diff --paths OLD "
                       "NEW' to compare two folders")
    return Path(done.stdout.decode().strip())


def resolve(repo: Path, revision: str) -> str:
    """The commit a revision names, or a clear error (with the fix for shallow clones)."""
    done = _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if done.returncode == 0:
        return done.stdout.decode().strip()
    shallow = _git(repo, "rev-parse", "--is-shallow-repository").stdout.decode().strip()
    if shallow == "true":
        raise GitError(f"revision '{revision}' is not in this shallow clone; fetch it with "
                       f"'git fetch --deepen=50 origin' (or 'git fetch --unshallow'), or in CI "
                       f"check out with full history (actions/checkout: fetch-depth: 0)")
    raise GitError(f"unknown revision '{revision}'; see 'git log --oneline' for revisions")


def tree_files(repo: Path, commit: str, prefix: str) -> dict[str, bytes]:
    """The YAML files below ``prefix`` at ``commit``: ``{path below prefix: bytes}``.

    Files that the working tree still has unchanged are read from disk; only the ones that
    differ are asked of git, all in one ``git cat-file --batch``.
    """
    spec = ["--", prefix] if prefix else []
    listing = _git(repo, "ls-tree", "-r", "-z", commit, *spec)
    if listing.returncode != 0:
        raise GitError(f"git ls-tree {commit[:12]} failed: "
                       f"{listing.stderr.decode('utf-8', 'replace').strip()}")
    names = []
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, name_bytes = entry.partition(b"\t")
        mode, kind = meta.split(b" ")[:2]
        name = name_bytes.decode("utf-8", "surrogateescape")
        if kind == b"blob" and mode != b"120000" and name.endswith((".yaml", ".yml")) \
                and "\n" not in name:
            names.append(name)
    changed = set(_git(repo, "diff", "--name-only", "-z", "--no-renames", commit, *spec)
                  .stdout.decode("utf-8", "surrogateescape").split("\0"))
    out: dict[str, bytes] = {}
    wanted: list[str] = []
    for name in names:
        disk = repo / name
        if name not in changed and disk.is_file() and not disk.is_symlink():
            out[name] = disk.read_bytes()
        else:
            wanted.append(name)
    out.update(_cat_files(repo, commit, wanted))
    cut = len(prefix) + 1 if prefix else 0
    return {name[cut:]: data for name, data in sorted(out.items())}


def _cat_files(repo: Path, commit: str, names: list[str]) -> dict[str, bytes]:
    if not names:
        return {}
    request = "".join(f"{commit}:{name}\n" for name in names).encode("utf-8", "surrogateescape")
    try:
        done = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch"], input=request,
                              capture_output=True, timeout=300, check=False)
    except FileNotFoundError as err:
        raise GitError("git is not installed") from err
    blob = done.stdout
    out: dict[str, bytes] = {}
    at = 0
    for name in names:
        end = blob.index(b"\n", at)
        header = blob[at:end].split(b" ")
        at = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        out[name] = blob[at:at + size]
        at += size + 1
    return out


def relative_in_repo(repo: Path, path: Path) -> str:
    rel = os.path.relpath(path.resolve(), repo.resolve())
    return "" if rel == "." else rel.replace(os.sep, "/")
