"""Work done in a forked child on the second core, with the same result as doing it here.

The report lints a large organisation this way while it builds the sections that need no
findings; ``kkctl diff`` builds, lints and pays the base revision while this process does
the head. Where forking is not available or safe, or the child fails for any reason, the
work simply runs here when its result is asked for, where errors are reported as usual.
A child is never left behind: its result is waited for once, or it is killed and reaped.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_NOTHING = object()


class Background(Generic[T]):
    """Call the object for the work's result (waited for once), or :meth:`cancel` it.

    The work may need one value this process learns only after the fork (``kkctl diff``:
    the head's adoption stage): :meth:`send` it, and the work reads it with
    :meth:`received`, in the child from a pipe, in this process directly.

    ``pickler`` and ``unpickler`` carry the result across (default: :mod:`pickle`): a caller
    may send what both processes share since the fork (parsed files) as a reference only.
    """

    def __init__(self, work: Callable[[], T],
                 pickler: Callable[[T], bytes] | None = None,
                 unpickler: Callable[[bytes], T] | None = None,
                 threads_ok: bool = False) -> None:
        self.work = work
        # True for work that takes no lock another thread may hold (no console, no logging):
        # parsing bytes into marshal data. CPython holds its import lock across the fork.
        self.threads_ok = threads_ok
        self.pickler = pickler or (lambda value: pickle.dumps(
            value, protocol=pickle.HIGHEST_PROTOCOL))
        self.unpickler: Callable[[bytes], T] = unpickler or pickle.loads
        self.pid: int | None = None
        self.read_end = -1
        self.inbox = (-1, -1)  # the child reads [0], this process writes [1]
        self.in_child = False
        self.sent: Any = _NOTHING
        self.done: list[T] = []

    def start(self) -> None:
        import threading

        if not hasattr(os, "fork") or (threading.active_count() > 1 and not self.threads_ok):
            return  # a child of a threaded process could wait forever on another's lock
        try:
            read_end, write_end = os.pipe()
            inbox = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            for end in (read_end, write_end, *inbox):
                os.close(end)
            return
        if pid == 0:  # the child: compute, hand over, leave without running exit handlers
            status = 1
            try:
                os.close(read_end)
                os.close(inbox[1])
                self.in_child, self.inbox = True, (inbox[0], -1)
                payload = self.pickler(self.work())
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(payload)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        os.close(inbox[0])
        self.pid, self.read_end, self.inbox = pid, read_end, (-1, inbox[1])

    def send(self, value: Any) -> None:
        """Give the work the value it waits for with :meth:`received` (once)."""
        self.sent = value
        end, self.inbox = self.inbox[1], (self.inbox[0], -1)
        if end < 0:
            return
        # a child that died: its result will be missing, and the work done here
        with contextlib.suppress(OSError), os.fdopen(end, "wb") as pipe:
            pipe.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def received(self) -> Any:
        """In the work: the value :meth:`send` gave (in the child, waited for)."""
        if not self.in_child:
            if self.sent is _NOTHING:
                raise RuntimeError("Background.received() before send()")
            return self.sent
        with os.fdopen(self.inbox[0], "rb") as pipe:
            data = pipe.read()
        if not data:  # the parent went on without sending: nothing to compute for
            raise RuntimeError("no value was sent")
        return pickle.loads(data)  # our own parent's bytes

    def __call__(self) -> T:
        if self.done:
            return self.done[0]
        if self.pid is not None:
            self._close_inbox()  # a child still waiting for a value gives up
            end, self.read_end = self.read_end, -1
            with os.fdopen(end, "rb") as pipe:  # read to the end before waiting: a full
                payload = pipe.read()  # pipe would otherwise block the child forever
            succeeded = self._reap() in (0, None)  # None: reaped elsewhere, the bytes tell
            if succeeded and payload:
                with contextlib.suppress(Exception):  # whatever it is, the work is done here
                    self.done.append(self.unpickler(payload))  # our own child's bytes
                    return self.done[0]
        self.done.append(self.work())
        return self.done[0]

    def take(self) -> T:
        """The result, handed over rather than kept: a large one is freed as the caller
        lets it go. Asked for again, the work is done again."""
        value = self()
        self.done.clear()
        return value

    def cancel(self) -> None:
        """Stop the child if its result was never asked for, and reap it."""
        self._close_inbox()
        if self.read_end >= 0:
            os.close(self.read_end)
            self.read_end = -1
        if self.pid is None:
            return
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def _reap(self) -> int | None:
        """Wait for the child; its exit code (None if something else reaped it already)."""
        assert self.pid is not None
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            status = None
        self.pid = None
        return None if status is None else os.waitstatus_to_exitcode(status)

    def _close_inbox(self) -> None:
        if self.inbox[1] >= 0:
            os.close(self.inbox[1])
            self.inbox = (self.inbox[0], -1)


def in_background(work: Callable[[], T]) -> Background[T]:
    """``work`` started in a child now (where it can be): call the result for its value."""
    background = Background(work)
    background.start()
    return background
