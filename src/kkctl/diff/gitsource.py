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

import datetime as dt
import hashlib
import os
import re
import subprocess
from dataclasses import dataclass
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


def run_git(repo: Path, *args: str,
            stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """git in ``repo`` with every setting that would start a program or reach the network
    overridden (:data:`_HARDENED`) and no prompts: every git call of kkctl goes through
    here."""
    try:
        return subprocess.run(["git", *_HARDENED, "-C", str(repo), *args], input=stdin,
                              capture_output=True, timeout=300, check=False,
                              env=_environment())
    except FileNotFoundError as err:
        raise GitError("git.missing") from err


def toplevel(path: Path) -> Path:
    done = run_git(path, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise GitError("git.not_a_repository", path=str(path))
    return Path(done.stdout.decode().strip())


def resolve(repo: Path, revision: str) -> str:
    """The commit a revision names, or a clear error (with the fix for shallow clones). A
    revision comes from a workflow file a pull request may edit: one that looks like an
    option (``--output=x``) never reaches git."""
    if revision.startswith("-"):
        raise GitError("git.unknown_revision", revision=revision)
    done = run_git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if done.returncode == 0:
        return done.stdout.decode().strip()
    shallow = run_git(repo, "rev-parse", "--is-shallow-repository").stdout.decode().strip()
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
    listing = run_git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, *spec)
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
    blob = run_git(repo, "cat-file", "--batch", stdin=request).stdout
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


# --- history (kkctl log) ------------------------------------------------------------------
#
# Only plumbing again: ``rev-list`` for the commits, ``cat-file --batch`` for the commit
# objects and blobs, ``diff-tree --raw`` for what each commit changed. Not ``git log``: it
# honours ``log.showSignature`` from the repository's config, which runs ``gpg.program`` (a
# program the repository names) on any commit that carries a signature header.

_ZERO = re.compile(r"0+\Z")
_HEX = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?\Z")
SUBJECT_LIMIT = 300  # characters of a commit message's first line kept for display


@dataclass
class CommitInfo:
    """What a journal shows of a commit, read from the commit object itself (untrusted text:
    shown escaped by whoever prints it)."""

    id: str
    parents: list[str]
    author: str
    date: dt.datetime | None  # the committer's date: when the change reached this line
    subject: str  # the message's first line


def first_parent_commits(repo: Path, head: str, since: str | None, pathspec: str) -> list[str]:
    """The commits of ``head``'s first-parent line (after ``since``, exclusive, as in
    ``since..head``) that change something below ``pathspec``, newest first. ``head`` and
    ``since`` are commit ids (see :func:`resolve`); the path is literal, never a pattern."""
    revisions = [head] if since is None else [head, f"^{since}"]
    spec = ["--", pathspec] if pathspec else []
    done = run_git(repo, "--literal-pathspecs", "rev-list", "--first-parent", *revisions, *spec)
    if done.returncode != 0:
        raise GitError("git.failed", command="git rev-list",
                       reason=done.stderr.decode("utf-8", "replace").strip())
    ids = done.stdout.decode("ascii", "replace").split()
    if not all(_HEX.match(ident) for ident in ids):
        raise GitError("git.failed", command="git rev-list", reason="unexpected output")
    return ids


def read_commits(repo: Path, ids: list[str]) -> dict[str, CommitInfo | None]:
    """Each commit's parents, author, date and subject; None for one this clone does not
    have (a shallow clone's boundary)."""
    objects = read_objects(repo, ids)
    return {ident: _commit(ident, found[1]) if found and found[0] == "commit" else None
            for ident, found in zip(ids, objects, strict=True)}


def _commit(ident: str, data: bytes) -> CommitInfo:
    head, _, message = data.partition(b"\n\n")
    parents: list[str] = []
    author, date, encoding = "", None, "utf-8"
    for line in head.split(b"\n"):
        key, _, value = line.partition(b" ")
        if key == b"parent":
            parents.append(value.decode("ascii", "replace"))
        elif key == b"author":
            author = _decode(value.split(b" <", 1)[0], encoding)
        elif key == b"committer":
            date = _timestamp(value)
        elif key == b"encoding":
            encoding = value.decode("ascii", "replace").strip()
    first = _decode(message, encoding).lstrip("\n").split("\n", 1)[0].strip()
    if len(first) > SUBJECT_LIMIT:
        first = first[:SUBJECT_LIMIT - 1] + "…"
    return CommitInfo(ident, parents, author, date, first)


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding, "replace")
    except LookupError:  # an encoding header naming no codec (or a non-text one)
        return data.decode("utf-8", "replace")


def _timestamp(ident_line: bytes) -> dt.datetime | None:
    """``Name <email> 1754035200 +0300`` -> that moment in that time zone."""
    parts = ident_line.rsplit(b" ", 2)
    if len(parts) != 3:
        return None
    try:
        seconds = int(parts[1])
        zone = parts[2].decode("ascii")
        sign = -1 if zone.startswith("-") else 1
        hours, minutes = int(zone[-4:-2]), int(zone[-2:])
        offset = dt.timedelta(hours=hours, minutes=minutes) * sign
        return dt.datetime.fromtimestamp(seconds, dt.timezone(offset))
    except (ValueError, OverflowError, OSError, UnicodeDecodeError):
        return None


def changed_files(repo: Path, pairs: list[tuple[str, str | None]], pathspec: str
                  ) -> dict[str, list[tuple[str, str | None]]]:
    """For each ``(commit, first parent)`` (None for a root commit), the YAML files below
    ``pathspec`` that it changes: ``{commit: [(path, blob id, or None when the file is gone
    or is no longer a regular file)]}``, in one ``git diff-tree`` for all of them."""
    if not pairs:
        return {}
    request = "".join(f"{commit} {parent}\n" if parent else f"{commit}\n"
                      for commit, parent in pairs).encode("ascii")
    spec = ["--", pathspec] if pathspec else []
    done = run_git(repo, "--literal-pathspecs", "diff-tree", "--stdin", "-r", "-z", "--raw",
                "--no-renames", "--no-abbrev", "--root", *spec, stdin=request)
    if done.returncode != 0:
        raise GitError("git.failed", command="git diff-tree",
                       reason=done.stderr.decode("utf-8", "replace").strip())
    out: dict[str, list[tuple[str, str | None]]] = {commit: [] for commit, _ in pairs}
    tokens = done.stdout.split(b"\0")
    current: list[tuple[str, str | None]] | None = None
    at = 0
    while at < len(tokens):
        token = tokens[at]
        at += 1
        if token.startswith(b":") and at < len(tokens):
            name = tokens[at].decode("utf-8", "surrogateescape")
            at += 1
            if current is not None and name.endswith((".yaml", ".yml")) and "\n" not in name:
                current.append((name, _new_blob(token)))
        elif token:  # the commit the entries below belong to
            current = out.get(token.split(b" ")[0].decode("ascii", "replace").strip())
    return out


def _new_blob(meta: bytes) -> str | None:
    """``:100644 100644 <old> <new> M`` -> the new blob id, if it is a regular file."""
    fields = meta[1:].split(b" ")
    if len(fields) < 5:
        return None
    mode, blob_id = fields[1], fields[3].decode("ascii", "replace")
    if mode not in (b"100644", b"100755") or _ZERO.match(blob_id):
        return None
    return blob_id


def listing(repo: Path, commit: str, prefix: str) -> dict[str, str]:
    """``{path: blob id}`` of the regular YAML files below ``prefix`` at ``commit``."""
    return _listing(repo, commit, prefix)


def object_sizes(repo: Path, ids: list[str]) -> dict[str, int | None]:
    """The size of each object in bytes (None: not in this clone), without reading it."""
    if not ids:
        return {}
    done = run_git(repo, "cat-file", "--batch-check", stdin="".join(
        f"{ident}\n" for ident in ids).encode("ascii"))
    sizes: dict[str, int | None] = {}
    lines = done.stdout.split(b"\n")
    for ident, line in zip(ids, lines, strict=False):
        header = line.split(b" ")
        sizes[ident] = int(header[2]) if len(header) == 3 and header[2].isdigit() else None
    return sizes


def read_objects(repo: Path, ids: list[str]) -> list[tuple[str, bytes] | None]:
    """``(type, bytes)`` of each object named (ids, or ``commit:path``), in order, from one
    ``git cat-file --batch`` (raw: no filters, no textconv); None for one that is missing."""
    if not ids:
        return []
    request = "".join(f"{ident}\n" for ident in ids).encode("utf-8", "surrogateescape")
    blob = run_git(repo, "cat-file", "--batch", stdin=request).stdout
    out: list[tuple[str, bytes] | None] = []
    at = 0
    for _ in ids:
        end = blob.find(b"\n", at)
        if end < 0:
            out.append(None)
            continue
        header = blob[at:end]
        at = end + 1
        parts = header.rsplit(b" ", 2)
        if len(parts) != 3 or not parts[2].isdigit() or header.endswith(b" missing"):
            out.append(None)  # "<name> missing" / "<name> ambiguous"
            continue
        size = int(parts[2])
        out.append((parts[1].decode("ascii", "replace"), blob[at:at + size]))
        at += size + 1
    return out
