"""`kkctl diff`: two versions of an organisation, loaded by the same loader, compared.

What it costs is the change's, not the organisation's. The head revision is read and
parsed; then a forked child (:class:`kkctl.background.Background`) reads the base, taking
the head's very bytes and parsed file for every file the two share, and builds, lints and
pays it on the second core while this process schema-checks, builds, lints and pays the
head. Only the entities defined in files that differ are compared. On 10,000 teams with one
changed, a diff costs a validate and the head's lint, not two of everything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import io
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from kkctl import model as m
from kkctl.background import Background
from kkctl.bonus.app import money_for
from kkctl.bonus.compute import BonusRun
from kkctl.diagnostics import Diagnostic
from kkctl.diff import consequences, gitsource
from kkctl.diff.compare import compare
from kkctl.diff.render import WORKING_TREE, DiffResult
from kkctl.i18n import remember
from kkctl.loader import Options, Prepared, check_schemas, finish, prepare
from kkctl.project import Project, UsageError, locate
from kkctl.schema import fast_validator
from kkctl.steps import stage_of
from kkctl.yamlread import ParsedFile

# Below this many bytes of YAML (both sides) a second process costs more than it saves.
BACKGROUND_BYTES = 2_000_000


def _prepare(project: Project, options: Options) -> Prepared:
    """Read and parse a revision, its schema check left for later (:func:`_compared`)."""
    project.display_root = project.root  # both sides name files alike
    return prepare(project, options, schema=False)


def _remember_locale(project: Project, options: Options) -> None:
    """The working tree's locale, so that a git problem (before any revision is loaded) is
    told in the organisation's language."""
    from kkctl.loader import Reader, declared_locale

    data = Reader(project, Options(use_cache=False, max_file_size=options.max_file_size)).read(
        project.project_file).data
    remember(declared_locale(data))


def split_arguments(args: list[str], paths: tuple[str, str] | None
                    ) -> tuple[list[str], str | None]:
    """``[BASE [HEAD]] [PATH]``: the first argument that exists on disk is the project, the
    others are revisions (a folder named like a branch is taken as the folder)."""
    revisions: list[str] = []
    path: str | None = None
    for arg in args:
        if path is None and Path(arg).exists():
            path = arg
        else:
            revisions.append(arg)
    if paths is not None and revisions:
        raise UsageError("usage.paths_and_revisions")
    return revisions, path


def run(revisions: list[str], path: str | None, options: Options, include_payouts: bool,
        paths: tuple[str, str] | None = None) -> DiffResult:
    options.memo, options.keys = {}, {}
    gc.disable()  # two organisations' worth of acyclic containers: see loader
    if paths is not None:
        old, new = locate(paths[0]), locate(paths[1])
        return _compared(lambda: _prepare(old, options), _prepare(new, options), *paths,
                         include_payouts)
    base, head, base_name, head_name = _from_git(revisions, path, options)
    return _compared(base, head, base_name, head_name, include_payouts)


# --- the two sides, on two cores -----------------------------------------------------------

@dataclass
class Side:
    """What the comparison needs of the base revision, small enough to send between
    processes: its findings (at the head's adoption stage), its bonus run, the ids that may
    differ and their entities, all as :func:`_light` copies, and its files on disk that are
    not the head's."""

    findings: list[Diagnostic]
    run: BonusRun | None
    ids: set[str]
    entities: dict[str, m.Entity]
    settings: m.Settings
    on_disk: list[str]


def compare_projects(base: Project, head: Project, base_name: str, head_name: str,
                     options: Options, include_payouts: bool = False) -> DiffResult:
    """The review of ``head`` against ``base``, two projects on disk or in memory
    (``Project(files=...)``): what ``kkctl import --dry-run`` shows of a re-import."""
    options.memo, options.keys = {}, {}
    return _compared(lambda: _prepare(base, options), _prepare(head, options), base_name,
                     head_name, include_payouts)


def _compared(base: Callable[[], Prepared], new: Prepared, base_name: str, head_name: str,
              include_payouts: bool) -> DiffResult:
    """The base prepared by ``base()``, built, linted and paid in a child while this
    process does the same of the head ``new`` (parsed already: the base shares its files)."""
    background: Background[Side] = Background(
        lambda: base_side(base, new, background.received,
                          _KEPT if background.in_child else []),
        *_carrier(new.files))
    if 2 * sum(len(f.raw or b"") for f in new.files) >= BACKGROUND_BYTES:
        fast_validator(False)  # compiled once, not in each process: both check files with it
        background.start()
    try:
        check_schemas(new)
        loaded = finish(new)
        stage = stage_of(loaded.org)[0]
        # the base is linted at the head's stage (see lint_delta); the files both share
        # need no second schema check
        background.send((stage, _schema_found(new)))
        findings = consequences.findings(loaded, stage)
        run = money_for(loaded).run
        before = background()
    finally:
        background.cancel()  # never leave a child behind, whatever went wrong here
    remember(loaded.org.settings.locale)  # the head's, whichever side was built last
    ghost = m.Organisation(settings=before.settings, files=[], by_id=before.entities)
    changes = compare(ghost, loaded.org, only=before.ids)
    lint = consequences.findings_delta(before.findings, findings)
    bonus, currency = consequences.runs_delta(before.run, run)
    _KEPT[:] = [loaded]
    withheld = tuple(side for side, paid in (("base", before.run), ("head", run))
                     if paid is None)
    return DiffResult(base_name, head_name, changes, lint, bonus, currency, include_payouts,
                      locale=loaded.org.settings.locale,
                      files=sorted({*_on_disk(new), *before.on_disk}), withheld=withheld)


# The last organisation built, kept: freeing 170,000 entities one by one takes a tenth of a
# second at 10,000 teams, and the command ends right after (a child: right after sending).
_KEPT: list[object] = []


def _on_disk(side: Prepared) -> set[str]:
    """A side's files as paths on disk (never to be overwritten by the output)."""
    root = os.path.join(str(side.project.root), "")
    return {root + f.path for f in side.files}


# The head's schema check, by the index of the file in the head's list: the findings of
# files that have some, and the indexes of files left unchecked (of another tool, unreadable).
Checked = tuple[dict[int, tuple[bool, list[Diagnostic]]], set[int]]


def _schema_found(new: Prepared) -> Checked:
    found: dict[int, tuple[bool, list[Diagnostic]]] = {}
    unchecked: set[int] = set()
    for index, parsed in enumerate(new.files):
        if parsed.schema_checked is None:
            unchecked.add(index)
        elif parsed.schema_checked[1]:
            found[index] = parsed.schema_checked
    return found, unchecked


def base_side(base: Callable[[], Prepared], new: Prepared,
              received: Callable[[], tuple[int, Checked]], keep: list[object]) -> Side:
    """The base revision read (sharing the head's parsed files) and built, then linted at
    the head's stage and schema-checked where the head did not check the very same file
    (``received()``: both, known once the head is built), and paid: the work of the child
    process (``keep``: where it leaves the organisation, not freed)."""
    old = base()
    ids = touched_ids(old, new)
    loaded = finish(old)
    keep.append(loaded)
    stage, (found, unchecked) = received()
    head = {id(f): index for index, f in enumerate(new.files)}

    def known(parsed: ParsedFile, is_project: bool) -> list[Diagnostic] | None:
        index = head.get(id(parsed))
        if index is None or index in unchecked or (index == 0) != is_project:
            return None
        return found[index][1] if index in found else []

    late = check_schemas(old, known)
    if late:
        loaded.diagnostics = sorted([*loaded.diagnostics, *late], key=Diagnostic.sort_key)
    org = loaded.org
    return Side(consequences.findings(loaded, stage), _light_run(money_for(loaded).run), ids,
                {i: _light(org.by_id[i]) for i in sorted(ids) if i in org.by_id},
                _light(org.settings), sorted(_on_disk(old) - _on_disk(new)))


def _built(prepared: Prepared) -> list[ParsedFile]:
    return [f for i, f in enumerate(prepared.files) if i not in prepared.foreign]


def touched_ids(old: Prepared, new: Prepared) -> set[str]:
    """The ids whose entity may differ: those defined in a file that is not the very same
    parsed file on both sides. Every other id is defined only in files both revisions build
    alike, in the same order, so the same definition wins on both sides (as the builder does
    it: files in order, collections in order, the first definition of an id kept)."""
    before, after = _built(old), _built(new)
    shared = {id(f) for f in before} & {id(f) for f in after}
    ids: set[str] = set()
    for parsed in (*before, *after):
        if id(parsed) not in shared:
            ids |= _defined(parsed.data)
    return ids


def _defined(data: Any) -> set[str]:
    """The ids a file defines, read as :meth:`kkctl.build.Builder.build` reads them."""
    if type(data) is not dict:
        return set()
    ids: set[str] = set()
    for collection in m.COLLECTIONS:
        items = data.get(collection)
        if type(items) is list:
            ids.update(raw["id"] for raw in items
                       if type(raw) is dict and type(raw.get("id")) is str)
    return ids


# --- light copies: what crosses from the child -----------------------------------------------

_E = TypeVar("_E")
_PLAIN = (str, int, float, bool, Decimal, dt.date, type(None))


def _plain(value: Any) -> bool:
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, tuple | list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return False


def _light(obj: _E) -> _E:
    """A copy of an entity (or the settings) with its plain fields and its source only:
    references to other entities are left out (reading one fails loudly), so a copy is as
    small as what it says itself. What a comparison and a bonus delta read: ids, names,
    dates, amounts, where it is written."""
    cls = type(obj)
    copy = object.__new__(cls)
    for item in dataclasses.fields(cls):  # type: ignore[arg-type]
        value = getattr(obj, item.name, None)
        if isinstance(value, m.Source):
            value = m.Source(value.file, value.path, value.kind, value.ident)
        elif not _plain(value):
            continue
        object.__setattr__(copy, item.name, value)
    return copy


def _light_run(run: BonusRun | None) -> BonusRun | None:
    if run is None:
        return None
    copies: dict[int, Any] = {}

    def light(entity: _E) -> _E:
        if id(entity) not in copies:
            copies[id(entity)] = _light(entity)
        return copies[id(entity)]  # type: ignore[no-any-return]

    return dataclasses.replace(
        run, periods=[light(p) for p in run.periods],
        results={key: [dataclasses.replace(r, period=light(r.period), scheme=light(r.scheme))
                       for r in results] for key, results in run.results.items()})


def _carrier(files: list[ParsedFile]) -> tuple[Callable[[Side], bytes],
                                               Callable[[bytes], Side]]:
    """Pickling that sends a parsed file as its index: both processes hold the same files
    since the fork, so the child never sends the organisation's data back."""
    index = {id(f): i for i, f in enumerate(files)}

    class Out(pickle.Pickler):
        def persistent_id(self, obj: Any) -> Any:
            return index.get(id(obj)) if type(obj) is ParsedFile else None

    class In(pickle.Unpickler):
        def persistent_load(self, pid: Any) -> Any:
            return files[pid]

    def dump(side: Side) -> bytes:
        out = io.BytesIO()
        Out(out, protocol=pickle.HIGHEST_PROTOCOL).dump(side)
        return out.getvalue()

    def load(payload: bytes) -> Side:
        side = In(io.BytesIO(payload)).load()
        if not isinstance(side, Side):
            raise TypeError("not a side")
        return side

    return dump, load


# --- revisions from git ----------------------------------------------------------------------

def _from_git(revisions: list[str], path: str | None, options: Options
              ) -> tuple[Callable[[], Prepared], Prepared, str, str]:
    """The head revision read and parsed, and how to read the base (in the child)."""
    if len(revisions) > 2:
        raise UsageError("usage.too_many_revisions")
    project = locate(path)
    _remember_locale(project, options)
    # The base gets the head's very bytes for every file the two share (below): the memo
    # can match files by object, and hashes no content.
    options.same_bytes_only = True
    try:
        repo = gitsource.toplevel(project.root)
        base = revisions[0] if revisions else "HEAD"
        head = revisions[1] if len(revisions) > 1 else None
        rel_root = gitsource.relative_in_repo(repo, project.root)
        base_commit = gitsource.resolve(repo, base)
        head_commit = gitsource.resolve(repo, head) if head is not None else None
        files = gitsource.tree_files(repo, head_commit, rel_root) if head_commit else None
    except gitsource.GitError as err:
        raise UsageError(err.message_id, **err.message_args) from err
    new = _prepare(project if files is None else _at(project, files), options)

    def read_base() -> Prepared:
        try:
            if files is None:  # the head is the working tree
                by_name = {f.path: f.raw for f in new.files if f.raw is not None}
                by_blob: dict[str, bytes] = {}
            else:
                by_name, by_blob = {}, _by_blob(repo, head_commit or "", rel_root, files)
            return _prepare(_at(project, _revision_files(repo, base_commit, rel_root,
                                                         by_name, by_blob)), options)
        except gitsource.GitError as err:
            raise UsageError(err.message_id, **err.message_args) from err

    return read_base, new, base, head or WORKING_TREE


def _at(project: Project, files: dict[str, bytes]) -> Project:
    """The project as a revision holds it (a revision without kkctl.yaml: an empty one)."""
    rel_file = project.project_file.relative_to(project.root).as_posix()
    files.setdefault(rel_file, b"kkctl: 1\norganisation: {id: none, name: none}\n")
    return Project(root=project.root, project_file=project.project_file,
                   single_file=project.single_file, files=files)


def _by_blob(repo: Path, commit: str, prefix: str, files: dict[str, bytes]
             ) -> dict[str, bytes]:
    """``{git blob id: bytes}`` of the files read of ``commit``."""
    cut = len(prefix) + 1 if prefix else 0
    return {blob_id: files[name[cut:]]
            for name, blob_id in gitsource.listing(repo, commit, prefix).items()
            if name[cut:] in files}


def _revision_files(repo: Path, commit: str, prefix: str, by_name: dict[str, bytes],
                    by_blob: dict[str, bytes]) -> dict[str, bytes]:
    """The YAML files below ``prefix`` at ``commit`` (as :func:`gitsource.tree_files`),
    taking the bytes already read of the other revision for every file that is the same
    blob (``by_blob``, another commit's), or whose bytes hash to it (``by_name``, the
    working tree's), so an unchanged file is neither read again nor asked of git."""
    cut = len(prefix) + 1 if prefix else 0
    out: dict[str, bytes] = {}
    wanted: list[tuple[str, str]] = []
    for name, blob_id in gitsource.listing(repo, commit, prefix).items():
        rel = name[cut:]
        data = by_blob.get(blob_id)
        if data is None and rel in by_name and _blob_id(by_name[rel], blob_id) == blob_id:
            data = by_name[rel]
        if data is None:
            wanted.append((rel, blob_id))
        else:
            out[rel] = data
    read = gitsource.read_objects(repo, [blob_id for _, blob_id in wanted])
    for (rel, _), found in zip(wanted, read, strict=True):
        if found is not None and found[0] == "blob":
            out[rel] = found[1]
    return dict(sorted(out.items()))


def _blob_id(data: bytes, like: str) -> str:
    """git's id of a blob of ``data``: SHA-1, or SHA-256 in a repository whose ids are."""
    digest = hashlib.sha256() if len(like) == 64 else hashlib.sha1(usedforsecurity=False)
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()
