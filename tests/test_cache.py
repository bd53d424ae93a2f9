"""The parse and result caches: same answers, safe against corruption and concurrency."""

from __future__ import annotations

import concurrent.futures
from pathlib import Path

import pytest


def _entries(cache_dir: Path) -> list[Path]:
    return [p for p in (cache_dir / "parse").rglob("*") if p.is_file()]


def test_cached_answer_equals_uncached_and_follows_edits(kkctl, tiny_org: Path,
                                                         cache_dir: Path) -> None:
    team = tiny_org / "teams/delivery.yaml"
    team.write_text(team.read_text().replace("leader: vera", "leader: ghost"))
    cold = kkctl("validate", str(tiny_org), "-f", "json")
    warm = kkctl("validate", str(tiny_org), "-f", "json")
    uncached = kkctl("validate", str(tiny_org), "-f", "json", "--no-cache")
    assert cold.out == warm.out == uncached.out
    assert cold.code == warm.code == 1
    assert len(_entries(cache_dir)) == 4  # three files and one run result

    team.write_text(team.read_text().replace("leader: ghost", "leader: vera"))
    assert kkctl("validate", str(tiny_org)).code == 0


def test_no_cache_writes_nothing(kkctl, tiny_org: Path, cache_dir: Path) -> None:
    assert kkctl("validate", str(tiny_org), "--no-cache").code == 0
    assert _entries(cache_dir) == []


def test_corrupt_entries_are_ignored_and_rewritten(kkctl, tiny_org: Path,
                                                   cache_dir: Path) -> None:
    first = kkctl("validate", str(tiny_org), "-f", "json")
    for entry in _entries(cache_dir):
        entry.write_bytes(b"\x00garbage")
    again = kkctl("validate", str(tiny_org), "-f", "json")
    assert again.out == first.out and again.code == 0
    assert all(not e.read_bytes().startswith(b"\x00") for e in _entries(cache_dir))


def test_truncated_entries_are_ignored(kkctl, tiny_org: Path, cache_dir: Path) -> None:
    first = kkctl("validate", str(tiny_org), "-f", "json")
    for entry in _entries(cache_dir):
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    assert kkctl("validate", str(tiny_org), "-f", "json").out == first.out


def test_concurrent_runs_agree(kkctl, tiny_org: Path) -> None:
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda _: kkctl("validate", str(tiny_org), "-f", "json"), range(8)))
    assert {r.out for r in runs} == {runs[0].out} and {r.code for r in runs} == {0}


def test_unwritable_cache_folder_does_not_fail_the_run(kkctl, tiny_org: Path,
                                                       tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    run = kkctl("validate", str(tiny_org), env={"KKCTL_CACHE_DIR": str(blocker)})
    assert (run.code, run.lines) == (0, ["no problems in 3 files"])


def test_a_large_first_run_writes_one_pack_that_later_runs_read(kkctl, tmp_path: Path,
                                                                cache_dir: Path) -> None:
    """1,000 teams parsed on two cores: their entries go into one pack (not a file each), an
    edit then re-parses one file and takes the rest from the pack, with the answer a run
    without any cache gives; a damaged pack is only a miss."""
    import subprocess
    import sys

    from conftest import REPO

    org = tmp_path / "M"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "M", str(org)],
                   check=True, capture_output=True)
    first = kkctl("validate", str(org), "-f", "json")
    assert first.code == 0
    entries = _entries(cache_dir)
    assert len(list(org.rglob("*.yaml"))) > 1000 and len(entries) <= 4  # pack, results, ...
    packs = [e for e in entries if e.parent.name.startswith("p")]
    assert len(packs) == 1 and packs[0].stat().st_size > 1_000_000

    team = org / "org" / "teams" / "team-00007.yaml"
    team.write_text(team.read_text(encoding="utf-8").replace("leader: ", "leader: ghost-", 1),
                    encoding="utf-8")
    edited = kkctl("validate", str(org), "-f", "json")
    assert edited.code == 1 and "ghost-" in edited.out
    assert edited.out == kkctl("validate", str(org), "-f", "json", "--no-cache").out

    packs[0].write_bytes(packs[0].read_bytes()[:5000])
    team.write_text(team.read_text(encoding="utf-8").replace("ghost-", "", 1), encoding="utf-8")
    assert kkctl("validate", str(org), "-f", "json").out == first.out  # the result entry
    linted = kkctl("lint", str(org), "-f", "json")  # no result yet: every file parsed again
    assert linted.code == 0 and linted.out == kkctl("lint", str(org), "-f", "json",
                                                    "--no-cache").out


def test_a_first_runs_pack_is_written_by_a_child_that_is_always_waited_for(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The pack of a first run is encoded and written by a forked child while the run goes
    on; reading the cache waits for it, so the pack read back is whole, and no child is
    left once it is read."""
    import os
    import subprocess
    import sys

    from conftest import REPO
    from kkctl import cache
    from kkctl.loader import Options, check
    from kkctl.project import locate

    monkeypatch.setenv("KKCTL_CACHE_DIR", str(tmp_path / "cache"))
    org = tmp_path / "S"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "S", str(org)],
                   check=True, capture_output=True)
    files = sorted(org.rglob("*.yaml"))
    assert len(files) > cache.PACK_MIN

    assert check(str(org), Options()).status == 0
    if hasattr(os, "fork"):
        assert len(cache.BACKGROUND_WRITERS) == 1  # handed over, not written in this process

    later = cache.ParseCache(scope=str(locate(str(org)).root))
    misses = [f for f in files
              if later.get(cache.content_key(f.read_bytes()), f.name, f.read_bytes()) is None]
    assert misses == [] and cache.BACKGROUND_WRITERS == []
    if hasattr(os, "fork"):
        with pytest.raises(ChildProcessError):
            os.waitpid(-1, os.WNOHANG)  # no child of this process is left


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="cache writers fork")
def test_ctrl_c_while_the_cache_is_being_written_ends_the_run_without_a_traceback() -> None:
    """The run's answer is out and kkctl waits for its cache writer: Ctrl-C then ends it
    with status 130 and no traceback (the writer, interrupted too, cleans up after itself)."""
    import os
    import signal
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent('''
        import os, signal, time
        from kkctl import cache
        from kkctl.__main__ import _exit_now

        def slow_write():  # a writer slow enough to be waited for, holding no output open
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            os.close(1)
            os.close(2)
            time.sleep(30)

        cache._in_background(slow_write)
        print(cache.BACKGROUND_WRITERS[0].pid, flush=True)
        signal.signal(signal.SIGALRM, lambda *_: os.kill(os.getpid(), signal.SIGINT))
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        _exit_now(0)
    ''')
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=20)
    os.kill(int(run.stdout.split()[0]), signal.SIGKILL)
    assert run.returncode == 130 and "Traceback" not in run.stderr, run.stderr
