"""Writing files safely: whole or not at all."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from kkctl.project import UsageError


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Control characters and bidirectional overrides from user strings, shown not obeyed."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def refuse_inputs(output: Path | None, inputs: list[str]) -> None:
    """Never let ``--out``/``--output`` overwrite a file the organisation is read from."""
    if output is None:
        return
    target = os.path.realpath(output)
    for name in inputs:
        if os.path.realpath(name) == target:
            raise UsageError(f"'{output}' is one of the organisation's own files; write the "
                                "output somewhere else")


def one_line(text: str) -> str:
    """A diagnostic's line: terminal-safe, and a newline in a user string stays visible."""
    return terminal_safe(text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t"))
