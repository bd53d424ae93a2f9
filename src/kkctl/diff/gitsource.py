"""An organisation as it was at a git revision, in memory.

A handful of ``git`` processes per revision whatever the size of the organisation: the tree's
YAML files are listed, the ones the working tree still has byte for byte are read from disk,
and the rest come from one ``git cat-file --batch``. Links and submodules are not followed.

The repository is not trusted: its ``.git/config`` and ``.gitattributes`` can name programs
(fsmonitor, filter drivers, textconv, external diff, pager). kkctl only runs plumbing that
starts none of them, with those settings overridden too, and compares the working tree with
a revision by hashing files itself instead of asking ``git diff`` (which refreshes the index
and so may run fsmonitor and clean filters). See docs/security.md, "git".
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

# Overrides of every setting that makes git start a program or reach the network.
_HARDENED = ("--no-pager", "-c", "core.fsmonitor=", "-c", "core.hooksPath=/dev/null",
             "-c", "core.pager=cat", "-c", "diff.external=", "-c", "protocol.allow=never",
             "-c", "gc.auto=0", "-c", "maintenance.auto=false", "-c", "core.untrackedCache=false")


class GitError(Exception):
    """git could not give what was asked (exit code 2): a catalogue message saying what to
    do, with its arguments."""

    def __init__(self, message_id: str, **args: str) -> None:
        from kkctl.messages import render

        self.message_id, self.message_args = message_id, args
        super().__init__(render(message_id, "en", args))


def _environment() -> dict[str, str]:
    """The caller's environment without GIT_* (GIT_DIR, GIT_EXTERNAL_DIFF, GIT_PAGER,
    GIT_CONFIG_* ... would redirect git or run programs); no system config, no prompts."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0",
               GIT_NO_REPLACE_OBJECTS="1")
    return env


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *_HARDENED, "-C", str(repo), *args], input=stdin,
                              capture_output=True, timeout=300, check=False,
                              env=_environment())
    except FileNotFoundError as err:
        raise GitError("git.missing") from err


def toplevel(path: Path) -> Path:
    done = _git(path, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise GitError("git.not_a_repository", path=str(path))
    return Path(done.stdout.decode().strip())


def resolve(repo: Path, revision: str) -> str:
    """The commit a revision names, or a clear error (with the fix for shallow clones). A
    revision comes from a workflow file a pull request may edit: one that looks like an
    option (``--output=x``) never reaches git."""
    if revision.startswith("-"):
        raise GitError("git.unknown_revision", revision=revision)
    done = _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if done.returncode == 0:
        return done.stdout.decode().strip()
    shallow = _git(repo, "rev-parse", "--is-shallow-repository").stdout.decode().strip()
    if shallow == "true":
        raise GitError("git.shallow", revision=revision)
    raise GitError("git.unknown_revision", revision=revision)


def tree_files(repo: Path, commit: str, prefix: str) -> dict[str, bytes]:
    """The YAML files below ``prefix`` at ``commit``: ``{path below prefix: bytes}``.

    Files whose working-tree bytes hash to the committed blob are read from disk; only the
    ones that differ are asked of git, all in one ``git cat-file --batch`` (raw blobs: no
    filters, no textconv).
    """
    out: dict[str, bytes] = {}
    wanted: list[str] = []
    for name, blob_id in _listing(repo, commit, prefix).items():
        data = _unchanged_on_disk(repo / name, blob_id)
        if data is None:
            wanted.append(name)
        else:
            out[name] = data
    out.update(_cat_files(repo, commit, wanted))
    cut = len(prefix) + 1 if prefix else 0
    return {name[cut:]: data for name, data in sorted(out.items())}


def _listing(repo: Path, commit: str, prefix: str) -> dict[str, str]:
    """``{path: blob id}`` of the regular YAML files below ``prefix`` at ``commit``."""
    spec = ["--", prefix] if prefix else []
    listing = _git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, *spec)
    if listing.returncode != 0:
        raise GitError("git.failed", command=f"git ls-tree {commit[:12]}",
                       reason=listing.stderr.decode("utf-8", "replace").strip())
    names: dict[str, str] = {}
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, name_bytes = entry.partition(b"\t")
        mode, kind, blob_id = meta.split(b" ")[:3]
        name = name_bytes.decode("utf-8", "surrogateescape")
        if kind == b"blob" and mode != b"120000" and name.endswith((".yaml", ".yml")) \
                and "\n" not in name:
            names[name] = blob_id.decode("ascii")
    return names


def _unchanged_on_disk(path: Path, blob_id: str) -> bytes | None:
    """The file's bytes if they are exactly the blob ``blob_id``, else None.

    git's own object hash, computed here: ``sha1`` (or ``sha256`` in a SHA-256 repository,
    whose ids are 64 hex digits) of ``blob <size>\\0`` and the bytes.
    """
    if path.is_symlink() or not path.is_file():
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256() if len(blob_id) == 64 else hashlib.sha1(usedforsecurity=False)
    digest.update(b"blob %d\0" % len(data) + data)
    return data if digest.hexdigest() == blob_id else None


def _cat_files(repo: Path, commit: str, names: list[str]) -> dict[str, bytes]:
    if not names:
        return {}
    request = "".join(f"{commit}:{name}\n" for name in names).encode("utf-8", "surrogateescape")
    blob = _git(repo, "cat-file", "--batch", stdin=request).stdout
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
