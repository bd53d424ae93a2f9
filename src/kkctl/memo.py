"""Whole-command results, cached: an unchanged re-run is answered without loading anything.

A command's answer is a function of its inputs: every file of the organisation (by content),
the files it skipped and why, the options, and whatever else it reads (the lint baseline, the
report file it keeps custom blocks of, today's date, the environment that picks the language
and the colours). :class:`kkctl.loader.Snapshot` reads the organisation's bytes once (what a warm
``validate`` costs), names all of that in one key, and on a miss hands the very same bytes to
the loader, so a first run reads and hashes nothing twice.

The key names everything the answer depends on, so a cached answer is the answer: it cannot
turn an invalid organisation into a valid one. Entries are plain data (``marshal``) in the
user's cache folder, never in the project (:mod:`kkctl.cache`); ``--no-cache`` bypasses them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from kkctl.loader import Loaded, Snapshot

T = TypeVar("T")

# What picks the language, the colours and the width of what a command prints.
_ENVIRONMENT = ("KKCTL_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR", "FORCE_COLOR",
                "TERM", "COLUMNS")


def file_state(path: Path, root: Path) -> str:
    """A key part for one more input inside ``root`` (the lint baseline): its content's key,
    or why there is none. Read as the command reads it (:mod:`kkctl.safeio`): a link out of
    the project or a FIFO is never followed here either."""
    from kkctl.cache import content_key
    from kkctl.safeio import DEFAULT_LIMIT, UnsafeFileError, read_bytes_safely

    try:
        return content_key(read_bytes_safely(path, root, DEFAULT_LIMIT))
    except FileNotFoundError:
        return "absent"
    except (UnsafeFileError, OSError) as err:
        return f"unreadable:{type(err).__name__}"


def text_state(text: str | None) -> str:
    """A key part for text the command read (the report file it keeps custom blocks of)."""
    if text is None:
        return "none"
    from kkctl.cache import content_key

    return content_key(text.encode("utf-8", "surrogatepass"))


def environment() -> tuple[object, ...]:
    """A key part for what the environment changes in an answer: the language variables,
    colour and width settings, whether the output streams are terminals, the folder relative
    paths are read from."""
    return (tuple(os.environ.get(name) for name in _ENVIRONMENT),
            _isatty(sys.stdout), _isatty(sys.stderr), os.getcwd())


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


@dataclass
class Effects:
    """What a command does once it has its answer, in order: text for standard output and
    error, files to write or remove, and the exit status. Recorded on a first run, replayed
    from the cache on the next; ``inputs``: the organisation's files, which no write may
    replace (checked again when replayed: links may have changed since)."""

    inputs: list[str]
    status: int = 0
    steps: list[tuple[Any, ...]] = field(default_factory=list)

    def out(self, content: str | bytes) -> None:
        self.steps.append(("out", content))

    def err(self, line: str) -> None:
        self.steps.append(("err", line + "\n"))

    def write(self, target: Path, content: str | bytes, make_parents: bool = False) -> None:
        self.steps.append(("write", str(target), content, make_parents))

    def unlink(self, target: Path) -> None:
        self.steps.append(("unlink", str(target)))

    def to_data(self) -> tuple[Any, ...]:
        return (self.inputs, self.status, self.steps)

    @classmethod
    def from_data(cls, data: Any) -> Effects:
        inputs, status, steps = data
        if not isinstance(status, int) or not all(isinstance(s, tuple) for s in steps):
            raise ValueError("not a command's effects")
        return cls(list(inputs), status, list(steps))

    def apply(self) -> int:
        """Carry the steps out; the exit status."""
        from kkctl.textio import check_destination, refuse_inputs, write_atomic

        for step in self.steps:
            kind = step[0]
            if kind == "out":
                _stdout(step[1])
            elif kind == "err":
                sys.stderr.write(step[1])
                sys.stderr.flush()
            elif kind == "write":
                target = Path(step[1])
                check_destination(target)  # a link planted since the answer was cached
                refuse_inputs(target, self.inputs)
                if step[3]:
                    target.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(target, step[2])
            elif kind == "unlink":
                Path(step[1]).unlink(missing_ok=True)
        return self.status


def _stdout(content: str | bytes) -> None:
    if isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(content)
        sys.stdout.flush()


def cached(snap: Snapshot, key: str, compute: Callable[[], T], to_data: Callable[[T], Any],
           from_data: Callable[[Any], T]) -> T:
    """``compute()``'s answer, from the cache entry ``key`` when there is a readable one (a
    foreign or corrupt entry is computed and rewritten). Nothing is stored when ``compute``
    raises: a usage error says so every time."""
    payload = snap.cache.get_payload(key)
    if payload is not None:
        try:
            return from_data(payload)
        except (TypeError, ValueError):
            pass
    answer = compute()
    snap.cache.put_payload(key, to_data(answer))
    return answer


def cached_effects(snap: Snapshot | None, command: str, parts: tuple[object, ...] | None,
                   compute: Callable[[Callable[[], Loaded] | None], Effects]) -> Effects:
    """``compute``'s effects, from the cache when the same inputs were seen before.
    ``compute`` gets the loader of the snapshot's bytes (None without a snapshot: it loads
    itself). ``parts``: the command's inputs besides the files; None when they cannot be
    keyed exactly (then nothing is cached)."""
    if snap is None:
        return compute(None)
    if parts is None:
        return compute(snap.load)
    return cached(snap, snap.key(command, *parts, environment()), lambda: compute(snap.load),
                  Effects.to_data, Effects.from_data)
