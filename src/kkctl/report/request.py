"""What ``kkctl report`` is asked for, and what its answer depends on besides the
organisation's files: kept apart from the report's machinery, so the command line can look a
re-run up in the result cache before it imports any of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kkctl.loader import Options


@dataclass
class ReportRequest:
    period: str | None = None  # default: the latest period
    lang: str | None = None
    out: Path | None = None  # the report file: its custom blocks are kept
    check: bool = False  # compare with ``out`` instead of writing it
    template: Path | None = None
    assets: Path | None = None
    include_payouts: bool = False
    with_revision: bool = False
    options: Options = field(default_factory=Options)
    since: str | None = None  # a git revision: add what changed since it
    pages: Path | None = None  # a folder for the detail pages (every row)


def cache_parts(request: ReportRequest, root: Path) -> tuple[object, ...] | None:
    """What the report depends on besides the organisation's files, for the result cache;
    None where that is more than can be keyed cheaply and exactly (git revisions, a
    template folder, a folder of detail pages to keep in step)."""
    import datetime as dt

    from kkctl.lint.suppress import BASELINE_FILE
    from kkctl.memo import file_state, text_state
    from kkctl.safeio import read_previous_output

    if request.since or request.with_revision or request.template or request.pages:
        return None
    try:
        previous = read_previous_output(request.out, root)
    except Exception:  # refused or unreadable: the run itself says why
        return None
    return (request.period, request.lang, str(request.out), request.check,
            str(request.assets), request.include_payouts, text_state(previous),
            # the findings listed are those the baseline does not accept
            file_state(root / BASELINE_FILE, root),
            dt.date.today().isoformat())  # the people section's window starts today


def check_paths(request: ReportRequest, language: str) -> None:
    """Refuse unusable paths before any work, and before anything is written (a cached
    report is replayed only after them too: a folder may have become a file since)."""
    from kkctl import outpaths

    if request.out is not None:
        outpaths.check_output_file("--out", request.out, language)
    if request.assets is not None:
        outpaths.check_output_folder("--assets", request.assets, language)
    if request.pages is not None:
        outpaths.check_output_folder("--pages", request.pages, language)
    if request.template is not None:
        outpaths.check_template_folder(request.template, language)
