"""`kkctl diff`: two versions of an organisation, loaded by the same loader, compared."""

from __future__ import annotations

import gc
from pathlib import Path

from kkctl.diff import consequences, gitsource
from kkctl.diff.compare import compare
from kkctl.diff.render import WORKING_TREE, DiffResult
from kkctl.loader import Loaded, Options, load_project
from kkctl.project import Project, UsageError, locate


def _load(project: Project, options: Options) -> Loaded:
    project.display_root = project.root  # both sides name files alike
    return load_project(project, options)


def _remember_locale(project: Project, options: Options) -> None:
    """The working tree's locale, so that a git problem (before any revision is loaded) is
    told in the organisation's language."""
    from kkctl.i18n import remember
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
    options.memo = {}
    gc.disable()  # two organisations' worth of acyclic containers: see loader
    if paths is not None:
        old = _load(locate(paths[0]), options)
        new = _load(locate(paths[1]), options)
        base, head = paths
    else:
        old, new, base, head = _from_git(revisions, path, options)
    changes = compare(old.org, new.org)
    lint = consequences.lint_delta(old, new)
    bonus, currency = consequences.bonus_delta(old, new)
    on_disk = sorted({str(side.project.root / f.path) for side in (old, new)
                      for f in side.files})
    return DiffResult(base, head, changes, lint, bonus, currency, include_payouts,
                      locale=new.org.settings.locale, files=on_disk)


def _from_git(revisions: list[str], path: str | None, options: Options
              ) -> tuple[Loaded, Loaded, str, str]:
    if len(revisions) > 2:
        raise UsageError("usage.too_many_revisions")
    project = locate(path)
    _remember_locale(project, options)
    try:
        repo = gitsource.toplevel(project.root)
        base = revisions[0] if revisions else "HEAD"
        head = revisions[1] if len(revisions) > 1 else None
        rel_root = gitsource.relative_in_repo(repo, project.root)
        rel_file = project.project_file.relative_to(project.root).as_posix()
        sides = []
        for revision in (base, head):
            if revision is None:
                sides.append(_load(project, options))
                continue
            commit = gitsource.resolve(repo, revision)
            files = gitsource.tree_files(repo, commit, rel_root)
            files.setdefault(rel_file, b"kkctl: 1\norganisation: {id: none, name: none}\n")
            sides.append(_load(Project(root=project.root, project_file=project.project_file,
                                       single_file=project.single_file, files=files),
                               options))
    except gitsource.GitError as err:
        raise UsageError(err.message_id, **err.message_args) from err
    return sides[0], sides[1], base, head or WORKING_TREE
