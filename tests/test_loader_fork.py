"""The parse worker the loader forks for a large batch of files never outlives a failure."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent('''
    import os, sys
    from kkctl import loader

    parent = os.getpid()
    real = loader.read_yaml

    def interrupted_in_the_parent(data, display):
        if os.getpid() == parent:
            raise KeyboardInterrupt  # as a Ctrl-C sent to the parent alone
        return real(data, display)

    loader.read_yaml = interrupted_in_the_parent
    # enough that the worker's answer cannot fit in a pipe: it would block writing it
    text = b"people:\\n" + b"".join(b"  - {id: p%06d, name: Person %06d}\\n" % (i, i)
                                    for i in range(4000))
    raws = [loader._Raw(f"f{i}.yaml", text, str(i)) for i in range(12)]
    try:
        loader._parse_files(raws)
    except KeyboardInterrupt:
        print("interrupted")
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        print("no child left")
''')


@pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
                    reason="the loader forks a parse worker only on Linux with 2+ cores")
def test_an_interrupted_parse_stops_its_worker_instead_of_hanging() -> None:
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         timeout=60)  # before the fix: waited forever on the blocked worker
    assert run.stdout.split() == ["interrupted", "no", "child", "left"], run.stderr
