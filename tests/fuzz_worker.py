"""Run kkctl commands on one fuzzed organisation, in a process of its own.

``tests/test_fuzz.py`` starts this script once per case under a time and memory limit and
sends it a JSON list of command lines on standard input. Each command runs through the real
typer application, as ``kkctl`` runs it; an exception escaping the application is what a user
would see as "internal error", so it is reported with its traceback. The answer is one JSON
line on standard output: ``[{"args", "code", "out", "err", "crash"}]``; the pseudo-command
``["@hash", DIR]`` answers a hash of DIR's files.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sys
import traceback


def tree_hash(root: str) -> str:
    """One hash of every file below ``root``, names and bytes: did anything change?"""
    digest = hashlib.sha256()
    for folder, dirs, files in sorted(os.walk(root)):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as handle:
                    digest.update(handle.read())
    return digest.hexdigest()


def run_one(args: list[str]) -> dict[str, object]:
    if args[0] == "@hash":  # not a command: the state of a folder between commands
        return {"args": args, "code": 0, "out": tree_hash(args[1]), "err": "", "crash": None}
    from kkctl.cli import app
    from kkctl.project import UsageError

    out, err = io.StringIO(), io.StringIO()
    code: object = 0
    crash = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            app(args=args, prog_name="kkctl")
        except SystemExit as done:
            code = done.code if done.code is not None else 0
        except UsageError:
            code = 2
        except Exception:  # what a user would see as "internal error"
            crash = traceback.format_exc()
            code = 2
    return {"args": args, "code": code if isinstance(code, int) else 1,
            "out": out.getvalue()[:4_000_000], "err": err.getvalue()[:100_000], "crash": crash}


def main() -> None:
    commands = json.loads(sys.stdin.read())
    real_stdout = os.fdopen(os.dup(1), "w", encoding="utf-8")
    results = [run_one(args) for args in commands]
    real_stdout.write(json.dumps(results, ensure_ascii=True) + "\n")
    real_stdout.flush()


if __name__ == "__main__":
    main()
