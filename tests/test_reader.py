"""The YAML reader's fast path keeps positions and data exactly as good as the slow one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO, node_paths, write_tree
from kkctl import loader
from kkctl.project import list_files, locate
from kkctl.yamlread import positions_of, read_yaml


@pytest.fixture(scope="module")
def generated_org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "S"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "S", str(out),
                    "--defects"], check=True, capture_output=True)
    return out


def _yaml_files() -> list[Path]:
    return sorted(EXAMPLES.rglob("*.yaml"))


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_node_of_the_examples_has_its_exact_position(path: Path) -> None:
    data = path.read_bytes()
    parsed = read_yaml(data, str(path))
    positions = positions_of(data)
    missing = [p for p in node_paths(parsed.data) if p not in positions]
    assert missing == []


def test_positions_point_at_the_text_they_name() -> None:
    text = b"teams:\n  - id: a\n    members: [x, {person: y}]\n    'odd key': 1.50\n"
    positions = positions_of(text)
    assert positions[("teams", 0, "id")] == (2, 5, 2, 9)
    assert positions[("teams", 0, "members", 1, "person")] == (3, 19, 3, 27)
    assert positions[("teams", 0, "odd key")] == (4, 5, 4, 16)
    assert read_yaml(text, "t").decimals == {("teams", 0, "odd key"): "1.50"}


def test_yaml_core_schema_scalars() -> None:
    text = (b"a: yes\nb: no\nc: on\nd: 2026-07-01\ne: 0o17\nf: 0x1F\ng: ~\nh: .nan\n"
            b"i: 1e3\nj: '12'\nk: TRUE\nl: -.inf\nm: 007\n")
    assert read_yaml(text, "t").data == {
        "a": "yes", "b": "no", "c": "on", "d": "2026-07-01", "e": 15, "f": 31, "g": None,
        "h": ".nan", "i": 1000.0, "j": "12", "k": True, "l": "-.inf", "m": 7}


def test_keys_are_always_text_as_in_json() -> None:
    assert read_yaml(b"1: a\ntrue: b\n~: c\n", "t").data == {"1": "a", "true": "b", "~": "c"}


def test_aliases_share_and_are_capped() -> None:
    ok = read_yaml(b"base: &b {x: 1}\nuse: *b\n", "t")
    assert ok.data == {"base": {"x": 1}, "use": {"x": 1}} and not ok.diagnostics
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n".encode()
        for i in range(8))
    parsed = read_yaml(bomb, "bomb.yaml")
    assert parsed.data is None
    assert [d.code for d in parsed.diagnostics] == ["KK004"]


def test_deep_nesting_is_refused_not_recursed() -> None:
    parsed = read_yaml(b"[" * 100_000 + b"]" * 100_000, "deep.yaml")
    assert parsed.data is None
    assert [d.message_id for d in parsed.diagnostics] == ["yaml.too_deep"]


def test_parallel_parse_equals_serial(generated_org: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    project = locate(str(generated_org))
    reader = loader.Reader(project, loader.Options(use_cache=False))
    raws = [reader.read_raw(p) for p in list_files(project, [])]
    raws.append(loader._Raw("broken.yaml", b"a: [\n", ""))
    serial = loader._parse_files(raws)
    monkeypatch.setattr(loader, "PARALLEL_MIN_BYTES", 1)
    parallel = loader._parse_files(raws)
    assert [p.path for p in parallel] == [p.path for p in serial]
    assert [p.data for p in parallel] == [p.data for p in serial]
    assert [p.decimals for p in parallel] == [p.decimals for p in serial]
    assert [p.diagnostics for p in parallel] == [p.diagnostics for p in serial]
    assert parallel[-1].positions == serial[-1].positions


def test_generated_defects_are_found_with_positions(kkctl, generated_org: Path) -> None:
    run = kkctl("validate", str(generated_org), "--lang", "en", cwd=generated_org)
    assert run.code == 1
    # no "did you mean 'p000042'?": six characters away is another person, not a typo
    assert run.lines[0] == ("org/teams/team-00007.yaml:5:13: error KK102 team 'team-00007': "
                            "leader 'ghost-p000042' is not a person: no entity has this id")


def test_bad_encoding_is_the_one_problem_reported_wherever_the_yaml_breaks() -> None:
    """The bytes are decoded only when the parse finds a problem (libyaml rejects what is
    not UTF-8 by itself); bad encoding is still the problem reported, at its byte, even
    when the YAML breaks before it or libyaml stops at it first."""
    from kkctl.yamlread import read_yaml

    cases = {b"a: [\nb: \xff\n": (2, 4), b"a: 1\nb: caf\xc3\n": (2, 7),
             b"a: 1\n# \xed\xa0\x80 surrogate\n": (2, 3),
             b"\xff\xfea\x00:\x00 \x00\x00\xdc": (1, 1)}
    for data, (line, column) in cases.items():
        parsed = read_yaml(data, "f.yaml")
        assert [(d.code, d.line, d.column) for d in parsed.diagnostics] == \
            [("KK005", line, column)], data
        assert parsed.data is None and parsed.positions == {}
    clean = read_yaml("имя: Пётр\n".encode(), "f.yaml")
    assert clean.data == {"имя": "Пётр"} and clean.diagnostics == []


def test_validate_lets_each_files_data_go_once_built_and_reads_it_again_if_asked() -> None:
    """``kkctl validate`` needs only the model once a file is built, so it drops the file's
    data (54 of its 394 MB at 10,000 teams); anything that still asks for the data
    gets exactly what the parse gave, read again from the file's bytes."""
    from conftest import REPO
    from kkctl.loader import Options, check, load
    from kkctl.yamlread import _RELEASED

    example = str(REPO / "examples" / "poleznaya-eda")
    checked = check(example, Options(use_cache=False, release_data=True))
    assert checked.loaded is not None and checked.status == 0
    files = checked.loaded.files
    assert len(files) > 5 and all(f._data is _RELEASED for f in files[1:])  # not kkctl.yaml
    kept = load(example, Options(use_cache=False)).files
    assert all(f._data is not _RELEASED for f in kept)
    assert [(f.path, f.data, f.decimals) for f in files] == \
        [(f.path, f.data, f.decimals) for f in kept]
    assert checked.diagnostics == check(example, Options(use_cache=False)).diagnostics


def test_validate_file_by_file_finds_what_loading_everything_first_finds(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``kkctl validate`` reads, checks and builds one file at a time (a worker parsing the
    last files meanwhile): on 1,000 teams with every kind of problem planted among the first
    and the last files, its findings, in their order, and its model are those of loading
    every file first, with and without the parse cache, and on a second, cached run."""
    import subprocess
    import sys

    from conftest import REPO
    from kkctl.loader import Options, load_project
    from kkctl.project import locate

    org = tmp_path / "M"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "M", str(org)],
                   check=True, capture_output=True)
    teams = sorted((org / "org" / "teams").glob("*.yaml"))
    first, last = teams[3], teams[-3]
    last.write_text(last.read_text(encoding="utf-8") + first.read_text(encoding="utf-8")
                    .split("teams:", 1)[1].replace("\n", "\n", 1), encoding="utf-8")
    teams[5].write_text("teams: [\n", encoding="utf-8")  # broken YAML
    teams[-5].write_bytes(teams[-5].read_bytes().replace(b"name:", b"name: \xff", 1))
    teams[-7].write_text(teams[-7].read_text(encoding="utf-8").replace(
        "leader: ", "leader: nobody-", 1), encoding="utf-8")
    teams[8].write_text(teams[8].read_text(encoding="utf-8").replace(
        "name: ", "nmae: ", 1), encoding="utf-8")
    (org / "org" / "deploy.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", encoding="utf-8")
    (org / "org" / "zz-list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    teams[-9].unlink()
    os.mkfifo(teams[-9])  # read in its turn, file by file: refused all the same

    def outcome(**options: object) -> tuple[object, ...]:
        loaded = load_project(locate(str(org)), Options(**options))  # type: ignore[arg-type]
        return (loaded.diagnostics, [f.path for f in loaded.files],
                sorted(loaded.org.by_id), len(loaded.org.refs),
                [(r.id, r.sub, r.target.id if r.target else None) for r in loaded.org.refs])

    monkeypatch.setenv("KKCTL_CACHE_DIR", str(tmp_path / "cache"))
    expected = outcome(use_cache=False)
    codes = {d.code for d in expected[0]}
    assert {"KK001", "KK005", "KK006", "KK012", "KK007", "KK104", "KK101"} <= codes, codes
    assert outcome(use_cache=False, release_data=True) == expected
    assert outcome(use_cache=True, release_data=True) == expected  # a first run
    assert outcome(use_cache=True, release_data=True) == expected  # from the cache


def test_validate_reads_each_file_in_its_turn_and_again_only_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """File by file, a file is read when its turn comes (not all first: their freed heap
    would stay the process's) and let go once built; a problem found later reads it again
    for its position, only if its bytes are the same (else the file's start, not a wrong
    line)."""
    from kkctl.loader import Options, Reader, load_project
    from kkctl.project import locate
    from kkctl.yamlread import _RELEASED

    org = write_tree(tmp_path / "org", {
        "kkctl.yaml": "kkctl: 1\norganisation: {id: o, name: O}\n",
        "a.yaml": "people:\n  - {id: ann, name: Ann}\n",
        "b.yaml": "teams:\n  - id: t\n    name: T\n    leader: nobody\n"})
    monkeypatch.chdir(org)  # files shown as a.yaml, b.yaml
    project = locate(str(org))
    reader = Reader(project, Options(use_cache=False, release_data=True))
    assert reader.file_by_file
    _, raws = reader.read_project()
    assert [(r.display, r.pending, r.data) for r in raws[1:]] == \
        [("a.yaml", True, None), ("b.yaml", True, None)]
    loaded = load_project(project, Options(use_cache=False, release_data=True))
    unknown = [d for d in loaded.diagnostics if d.code == "KK102"]
    assert [(d.file, d.line, d.column) for d in unknown] == [("b.yaml", 4, 13)]
    b = loaded.files[2]
    assert b._data is _RELEASED and b._raw is None
    assert b.position(("teams", 0, "leader"))[2:] == (4, 13)  # read again: the same bytes
    monkeypatch.setenv("KKCTL_CACHE_DIR", str(tmp_path / "cache"))
    cached = load_project(project, Options(use_cache=True, release_data=True))
    assert cached.files[2]._raw is not None  # a cached result must not point at 1:1 later
    changed = load_project(project, Options(use_cache=False, release_data=True)).files[1]
    (org / "a.yaml").write_text("# moved\n" + (org / "a.yaml").read_text(), encoding="utf-8")
    assert changed.raw is None and changed.positions == {}
    assert changed.position(("people", 0, "name")) == (1, 1, 1, 1)


def test_a_worker_entry_is_used_only_for_the_bytes_this_process_read() -> None:
    """A worker that reads the files it parses itself (file by file): its entry is taken
    only if it parsed the same bytes (CRC-32), an empty one (it could not read the file)
    never; one parsed from the bytes it inherited, as it is."""
    import zlib

    from kkctl.loader import _worker_entry

    data, blob = b"a: 1\n", b"entry"
    entry = (zlib.crc32(data), zlib.compress(blob, 1))
    assert _worker_entry(entry, data) == blob
    assert _worker_entry(entry, b"a: 2\n") is None
    assert _worker_entry((0, b""), b"") is None
    assert _worker_entry(None, data) is None
    assert _worker_entry((None, blob), data) == blob


def test_a_released_file_reads_its_bytes_once_for_positions_and_its_decimals_with_data(
        ) -> None:
    """Positions of a released file come from one reading of it (a second one, of a file
    changed in between, must not turn into a crash), and its decimals come back with its
    data, whichever is asked for first."""
    from kkctl.yamlread import read_yaml

    data = b"authorities:\n  - {id: a, budget: 1000.10}\n"
    readings = iter([data, b"changed: 1\n"])
    parsed = read_yaml(data, "f.yaml")
    parsed.release(lambda: next(readings))
    assert parsed.positions[("authorities", 0, "budget")][2:] == (2, 21)
    again = read_yaml(data, "f.yaml")
    again.release(lambda: data)
    assert again.decimals == {("authorities", 0, "budget"): "1000.10"}
    kept = read_yaml(data, "f.yaml")
    kept.release()  # nothing to read it again with: the bytes stay
    assert kept.raw == data and kept.data == {"authorities": [{"id": "a", "budget": 1000.1}]}


def test_the_worker_never_takes_every_file_and_pending_files_are_read_by_any_parse(
        tmp_path: Path) -> None:
    """One file of nearly all the bytes stays with this process (the worker taking all
    would leave it idle); a file still to read is read by :meth:`Reader.parse_all` too."""
    from kkctl.loader import Options, Reader, _last_files, _Raw
    from kkctl.project import locate

    sizes = [950_000, 50_000]
    assert _last_files([_Raw(str(i), None, "", size=n) for i, n in enumerate(sizes)]) == 1
    org = write_tree(tmp_path / "org", {"kkctl.yaml": "kkctl: 1\n", "a.yaml": "people: []\n"})
    reader = Reader(locate(str(org)), Options(use_cache=False, release_data=True))
    _, raws = reader.read_project()
    assert raws[1].pending
    assert reader.parse_all(raws[1:])[0].data == {"people": []}
