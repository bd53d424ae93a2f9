"""Entry point: ``kkctl`` and ``python -m kkctl``. No traceback ever reaches a user."""

from __future__ import annotations

import os
import sys


def main() -> None:
    argv = sys.argv[1:]
    if argv == ["--version"]:  # answered before any import: CI calls it a lot
        from kkctl import __version__

        sys.stdout.write(f"kkctl {__version__}\n")
        return
    debug = "--debug" in argv or bool(os.environ.get("KKCTL_DEBUG"))
    for stream in (sys.stdout, sys.stderr):  # a KOI8-R or ASCII terminal: «—» shown escaped
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        from kkctl.project import UsageError

        try:
            _run(argv)
        except UsageError as err:
            from kkctl.messages import render
            from kkctl.textio import one_line

            lang = language(argv)
            text = render("usage.error", lang, {"text": err.message(lang)})
            sys.stderr.write(f"kkctl: {one_line(text)}\n")
            sys.exit(2)
    except SystemExit as done:
        _exit_now(done.code)
    except KeyboardInterrupt:
        from kkctl.messages import render

        sys.stderr.write(f"kkctl: {render('run.interrupted', language(argv), {})}\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except OSError as err:  # the system refused (permissions, a full disk): not a bug
        _system_error(err, debug)
    except Exception as err:  # the promise: one line, never a traceback (unless --debug)
        if debug:
            import traceback

            traceback.print_exc()
        from kkctl.messages import render

        text = render("internal.error", language(sys.argv[1:]),
                      {"error": f"{type(err).__name__}: {err}"})
        sys.stderr.write(f"kkctl: {text}\n")
        sys.exit(2)


def _run(argv: list[str]) -> None:
    """A plain ``validate``, ``lint`` or ``fmt`` (what pre-commit hooks run) without importing typer
    (:mod:`kkctl.fastpath`); everything else through the typer app."""
    from kkctl import fastpath

    parsed = fastpath.parse(argv)
    if parsed is not None:
        sys.exit(fastpath.run(*parsed))
    from kkctl.cli import app

    app(prog_name="kkctl")


def language(argv: list[str]) -> str:
    """The language of a message printed here: ``--lang`` on the command line, else the
    organisation's locale if one was loaded, else the environment (:func:`kkctl.i18n.choose`)."""
    from kkctl import i18n

    explicit = None
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            explicit = argv[index + 1]
        elif arg.startswith("--lang="):
            explicit = arg.split("=", 1)[1]
    return i18n.choose(explicit, i18n.loaded_locale())


def _system_error(err: OSError, debug: bool) -> None:
    """One line naming the path and the system's reason; exit 2 (the command could not run)."""
    if debug:
        import traceback

        traceback.print_exc()
    from kkctl.messages import render
    from kkctl.textio import one_line

    reason = err.strerror or str(err)
    if err.filename is not None:
        text = render("os.path_error", language(sys.argv[1:]),
                      {"file": os.fsdecode(err.filename), "reason": reason})
    else:
        text = render("os.error", language(sys.argv[1:]), {"reason": reason})
    sys.stderr.write(f"kkctl: {one_line(text)}\n")
    sys.exit(2)


def _exit_now(code: object) -> None:
    """Exit without tearing down the loaded organisation object by object (~0.1 s on a
    large one): output is flushed, and the cache writer (if any) waited for."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        sys.stderr.write(f"{code}\n")
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        status = status or 1
    cache = sys.modules.get("kkctl.cache")
    if cache is not None:  # the parse cache being written in a child: let it finish
        try:
            cache.wait_for_writers()
        except KeyboardInterrupt:  # Ctrl-C while it writes: leave, as interrupted
            status = 130
    os._exit(status)


if __name__ == "__main__":
    main()
