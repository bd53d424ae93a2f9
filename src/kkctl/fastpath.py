"""``kkctl validate``, ``kkctl lint`` and ``kkctl fmt`` without typer: what pre-commit hooks
run on every commit starts in half the time.

Importing typer and click and building the command tree took 40 of the 100 ms a
``validate`` of a small organisation used. ``__main__`` asks :func:`parse` first: a plain
invocation of ``validate``, ``lint`` or ``fmt`` (options spelled ``--name value``, ``--name=value``
or ``-f value``, values typer would accept) runs here; anything else (help, completion, an
unknown or misspelt option, a value typer refuses, ``--``) returns None and goes to the
typer app, which parses it and answers exactly as before. So this parser never has to
produce an error message: it only ever accepts what typer accepts, with the same values.
Both paths call the same functions, :func:`validate`, :func:`lint` and :func:`fmt`, with
the same arguments; ``tests/test_startup.py`` checks every option of these commands against
typer's declaration and the values each path passes, so the two cannot drift apart.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path

TYPE_CHECKING = False  # no typing at run time: this is the start-up path
if TYPE_CHECKING:
    from typing import Any

    from kkctl.diagnostics import Diagnostic

FORMATS = ("text", "json", "github", "sarif", "junit")
LANGS = ("en", "ru")
PROFILES = ("minimal", "recommended", "strict")
MAX_FILE_SIZE = 20 * 1024 * 1024


class Opt:
    """One option as typer declares it (``kind``: flag, choice, int, path or multi)."""

    __slots__ = ("choices", "declined", "default", "dest", "high", "kind", "low", "names")

    def __init__(self, dest: str, names: tuple[str, ...], kind: str, default: Any = None,
                 choices: tuple[str, ...] = (), low: int | None = None,
                 high: int | None = None, declined: bool = False) -> None:
        self.dest = dest  # the command function's parameter
        self.names = names
        self.kind = kind
        self.default = default
        self.choices = choices
        self.low = low  # an int's range, both ends included
        self.high = high
        self.declined = declined  # left to typer: the run is not a hot one


_COMMON = (
    Opt("fmt", ("--format", "-f"), "choice", "text", FORMATS),
    Opt("lang", ("--lang",), "choice", None, LANGS),
    Opt("output", ("--output", "-o"), "path"),
)
_CACHE = (
    Opt("no_cache", ("--no-cache",), "flag", False),
    Opt("max_file_size", ("--max-file-size",), "int", MAX_FILE_SIZE, low=1),
)
OPTIONS: dict[str, tuple[Opt, ...]] = {
    "validate": _COMMON + _CACHE,
    "lint": (
        *_COMMON,
        Opt("profile", ("--profile",), "choice", None, PROFILES),
        Opt("strict", ("--strict",), "flag", False),
        Opt("select", ("--select",), "multi"),
        Opt("ignore", ("--ignore",), "multi"),
        # its notice goes through click's echo, which treats an ASCII stderr its own way
        Opt("write_baseline", ("--write-baseline",), "flag", False, declined=True),
        Opt("list_rules", ("--list-rules",), "flag", False),
        Opt("stage", ("--stage",), "int", None, low=1, high=9),
        Opt("statistics", ("--statistics",), "flag", False),
        Opt("max_per_rule", ("--max-per-rule",), "int", 10, low=0),
        *_CACHE,
    ),
    "fmt": (
        Opt("check", ("--check",), "flag", False),
        *_CACHE,
        Opt("lang", ("--lang",), "choice", None, LANGS),
    ),
}
# Typer reads its shell completion requests from this variable.
COMPLETION_VARIABLE = "_KKCTL_COMPLETE"


def parse(argv: list[str]) -> tuple[str, dict[str, Any]] | None:
    """``(command, its function's arguments)`` for a plain ``validate``, ``lint`` or ``fmt``
    (``--debug`` before the command allowed, as ``__main__`` reads it), else None."""
    if os.environ.get(COMPLETION_VARIABLE):
        return None
    start = 0
    while start < len(argv) and argv[start] == "--debug":
        start += 1
    if start == len(argv) or argv[start] not in OPTIONS:
        return None
    command = argv[start]
    options = OPTIONS[command]
    by_name = {name: opt for opt in options for name in opt.names}
    values: dict[str, Any] = {"path": None, **{opt.dest: opt.default for opt in options}}
    paths: list[str] = []
    rest = iter(argv[start + 1:])
    for arg in rest:
        if arg and not arg.startswith("-"):
            paths.append(arg)
            continue
        name, equals, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        opt = by_name.get(name)
        if opt is None or opt.declined:  # help, completion, a typo, "-", "--": typer's
            return None
        if opt.kind == "flag":
            if equals:
                return None
            values[opt.dest] = True
            continue
        value = _value(opt, attached if equals else next(rest, None))
        if value is None:
            return None
        values[opt.dest] = [*(values[opt.dest] or []), value] if opt.kind == "multi" else value
    if len(paths) > 1:
        return None
    values["path"] = paths[0] if paths else None
    return command, values


def _value(opt: Opt, text: str | None) -> Any:
    """The option's value as typer passes it on, or None where typer might see it otherwise
    (a value that looks like an option, a number outside the range, an unreadable file)."""
    if not text or text.startswith("-"):
        return None
    if opt.kind == "choice":
        return text if text in opt.choices else None
    if opt.kind == "int":
        if not (text.isascii() and text.isdigit()) or len(text) > 18:  # no "+1", "1_0", "1e3"
            return None
        number = int(text)
        if (opt.low is not None and number < opt.low) or \
                (opt.high is not None and number > opt.high):
            return None
        return number
    if opt.kind == "path":
        return _path(text)
    return text


def _path(text: str) -> Path | None:
    """typer's ``Path`` option (click's ``Path(readable=True)``): a file that exists must be
    readable, one that does not is fine."""
    try:
        os.stat(text)
    except OSError:
        return Path(text)
    except ValueError:  # a NUL in the name: typer's to report
        return None
    return Path(text) if os.access(text, os.R_OK) else None


def run(command: str, values: dict[str, Any]) -> int:
    """Run a parsed command; the exit status. Interrupts and a closed pipe end as they do
    under typer (130 without a word; 1); anything else propagates to ``__main__``."""
    from kkctl.i18n import remember

    remember(None)  # a new command: no organisation's locale yet (typer's root callback)
    try:
        if command == "validate":
            return validate(**values)
        if command == "fmt":
            return fmt(**values)
        status, notice = lint(**values)
        if notice is not None:
            sys.stderr.write(notice + "\n")
        return status
    except KeyboardInterrupt:
        return 130
    except EOFError:
        sys.stderr.write("\nAborted!\n")
        return 1
    except OSError as err:
        if err.errno == errno.EPIPE:
            return 1
        raise


def validate(path: str | None, fmt: str, lang: str | None, output: Path | None,
             no_cache: bool, max_file_size: int) -> int:
    """``kkctl validate``: the exit status."""
    from kkctl.loader import Options, check

    checked = check(path, Options(use_cache=not no_cache, max_file_size=max_file_size,
                                  release_data=True))
    emit("validate", checked.diagnostics, checked.files, checked.locale, fmt, lang, output)
    return checked.status


def lint(path: str | None, fmt: str, lang: str | None, output: Path | None,
         profile: str | None, strict: bool, select: list[str] | None,
         ignore: list[str] | None, write_baseline: bool, list_rules: bool, stage: int | None,
         statistics: bool, max_per_rule: int, no_cache: bool,
         max_file_size: int) -> tuple[int, str | None]:
    """``kkctl lint``: the exit status, and a notice for standard error (the baseline
    written)."""
    from kkctl.messages import detect_lang

    if list_rules:
        from kkctl.lint.listing import rules_table

        sys.stdout.write(rules_table(fmt, detect_lang(lang, None)))
        return 0, None
    from kkctl.lint.app import LintRequest
    from kkctl.lint.app import lint as run_lint
    from kkctl.loader import Options

    outcome = run_lint(path, LintRequest(
        profile, names(select), names(ignore), strict, write_baseline,
        Options(use_cache=not no_cache, max_file_size=max_file_size), stage))
    if outcome.baseline is not None:
        from kkctl.messages import render

        language = detect_lang(lang, outcome.locale)
        return 0, render("lint.baseline_written", language,
                         {"count": outcome.written, "path": str(outcome.baseline)})
    emit("lint", outcome.diagnostics, outcome.files, outcome.locale,
         fmt, lang, output, baselined=outcome.baselined, notes=outcome.notes,
         max_per_rule=max_per_rule, statistics=statistics)
    return outcome.status, None


def fmt(path: str | None, check: bool, max_file_size: int, no_cache: bool,
        lang: str | None) -> int:
    """``kkctl fmt``: format the files, or with ``check`` list those that would change
    (standard output) and say how many (standard error); the exit status. File names and
    problems come from a pull request: each is written as one line, controls shown escaped."""
    from kkctl.fmt import format_project
    from kkctl.messages import detect_lang
    from kkctl.messages import render as message

    outcome = format_project(path, check, max_file_size, use_cache=not no_cache)
    language = detect_lang(lang, outcome.locale)
    for problem in outcome.problems:  # first, as they were before a pipe on stdout can fail
        where = f"{problem.file}:{problem.line}:{problem.column}" if problem.line else \
            problem.file
        _lines(sys.stderr, f"{where}: {message(problem.message_id, language, problem.args)}")
    if outcome.refused is not None:
        refusal = outcome.refused.message(language)
        _lines(sys.stderr, "kkctl: " + message("usage.error", language, {"text": refusal}))
        return outcome.status
    count = {"count": len(outcome.changed)}
    if check:
        _lines(sys.stdout, *(message("fmt.would_reformat", language, {"name": name})
                             for name in outcome.changed))
        if outcome.changed or not outcome.problems:
            _lines(sys.stderr, message("fmt.would_count", language, count) if outcome.changed
                   else message("fmt.clean", language, {}))
    else:
        _lines(sys.stderr, message("fmt.done", language, count))
    if outcome.problems:
        _lines(sys.stderr, message("fmt.skipped", language, {"count": len(outcome.problems)}))
    return outcome.status


def _lines(stream: Any, *texts: str) -> None:
    """Each text as one line (a newline in it shown as ``\\n``), written and flushed at
    once."""
    from kkctl.textio import one_line

    if texts:
        stream.write("".join(one_line(text) + "\n" for text in texts))
        stream.flush()


def names(values: list[str] | None) -> list[str]:
    """``--select a,b --select c`` -> ``[a, b, c]``."""
    return [n.strip() for v in values or [] for n in v.split(",") if n.strip()]


def color(output: Path | None) -> bool:
    """Colour only for a person at a terminal (not a file, a pipe, or NO_COLOR)."""
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def deliver(text: str, out: Path | None) -> None:
    """Standard output, or the file named (written atomically, keeping its mode)."""
    if out is None:
        sys.stdout.write(text)
        return
    from kkctl.textio import write_atomic

    write_atomic(out, text)


def emit(command: str, diagnostics: list[Diagnostic], files: list[str], locale: str | None,
         fmt: str, lang: str | None, output: Path | None, baselined: int = 0,
         notes: Callable[[str], list[str]] | None = None, max_per_rule: int = 0,
         statistics: bool = False) -> None:
    """Print or write the diagnostics in ``fmt`` (:func:`render_diagnostics`)."""
    from kkctl.textio import refuse_inputs

    text = render_diagnostics(command, diagnostics, files, locale, fmt, lang, output,
                              baselined, notes, max_per_rule, statistics)
    refuse_inputs(output, files)
    deliver(text, output)


def render_diagnostics(command: str, diagnostics: list[Diagnostic], files: list[str],
                       locale: str | None, fmt: str, lang: str | None, output: Path | None,
                       baselined: int = 0, notes: Callable[[str], list[str]] | None = None,
                       max_per_rule: int = 0, statistics: bool = False) -> str:
    """The diagnostics in ``fmt``, for standard output or the file ``output``; ``notes``:
    the sentences under the summary, made in the output's language."""
    from kkctl.diagnostics import Summary
    from kkctl.messages import detect_lang
    from kkctl.reporters import Report, render, render_statistics

    language = detect_lang(lang, locale)
    summary = Summary.of(diagnostics, len(files))
    summary.baselined = baselined
    report = Report(command, diagnostics, summary, files, language,
                    fmt == "text" and color(output),
                    notes=notes(language) if notes else [], max_per_rule=max_per_rule)
    return render_statistics(fmt, report) if statistics else render(fmt, report)
