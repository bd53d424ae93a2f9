"""`kkctl fmt`: canonical, lossless (data and every comment), idempotent, atomic."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import EXAMPLES, SHARED, write_tree
from kkctl.fmt import FormatError, comments, format_text


def _data(text: str) -> object:
    return YAML(typ="safe", pure=True).load(text)


def _check_lossless(text: str, name: str) -> None:
    once = format_text(text)
    assert _data(once) == _data(text), f"{name}: data changed"
    assert comments(once) == comments(text), f"{name}: comments changed"
    assert format_text(once) == once, f"{name}: not idempotent"


def test_examples_are_formatted(kkctl) -> None:
    for example in ("poleznaya-eda", "acme-consulting"):
        run = kkctl("fmt", str(EXAMPLES / example), "--check")
        assert run.code == 0, run.out + run.err


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.yaml")),
                         ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_lossless_and_idempotent_on_the_examples(path: Path) -> None:
    _check_lossless(path.read_text(encoding="utf-8"), path.name)


def _corpus_files() -> list[Path]:
    if not (SHARED / "corpora").is_dir():
        return []
    return sorted(p for p in (SHARED / "corpora").rglob("*")
                  if p.suffix in (".yaml", ".yml") and p.is_file())


@pytest.mark.slow
@pytest.mark.skipif(not _corpus_files(), reason="../shared/corpora is not here (a clone of "
                                               "kkctl alone has no third-party corpora)")
def test_lossless_and_idempotent_on_every_corpus_file_that_parses() -> None:
    formatted, refused = 0, []
    for path in _corpus_files():
        text = path.read_text(encoding="utf-8", errors="strict")
        try:
            _data(text)
        except Exception:  # does not parse (or has duplicate keys): not fmt's to fix
            continue
        try:
            format_text(text)
        except FormatError:  # fmt refused rather than lose something: the file stays
            refused.append(path.name)
            continue
        _check_lossless(text, str(path))
        formatted += 1
    assert formatted > 100 and len(refused) < formatted / 20, refused


def test_keys_in_reading_order_comments_travel_with_them() -> None:
    text = ("teams:\n  - leader: ann  # the first person\n    name: Shops\n    id: shops\n"
            "    x-note: keep me last\n")
    assert format_text(text) == ("teams:\n  - id: shops\n    name: Shops\n"
                                 "    leader: ann  # the first person\n"
                                 "    x-note: keep me last\n")


def test_wrapped_flow_mappings_become_blocks() -> None:
    text = ("people:\n  - {id: ann, name: Ann,\n     email: ann@example.org}\n"
            "  - {id: bob, name: Bob}\n")
    assert format_text(text) == ("people:\n  - id: ann\n    name: Ann\n    email: ann@example.org\n"
                                 "  - {id: bob, name: Bob}\n")


def test_sort_by_id_keepscomments(kkctl, tmp_path: Path) -> None:
    write_tree(tmp_path, {"kkctl.yaml": """
kkctl: 1
organisation: {id: o, name: O}
fmt: {sort: true}
people:
  - id: zoe  # last
    name: Zoe
  - id: ann  # first
    name: Ann
"""})
    assert kkctl("fmt", str(tmp_path), "--check").code == 1
    assert kkctl("fmt", str(tmp_path)).code == 0
    text = (tmp_path / "kkctl.yaml").read_text()
    assert text.index("id: ann  # first") < text.index("id: zoe  # last")
    assert kkctl("fmt", str(tmp_path), "--check").code == 0


def test_check_changes_nothing_and_lists_files(kkctl, tmp_path: Path) -> None:
    write_tree(tmp_path, {"kkctl.yaml": "kkctl: 1\norganisation: {name: O, id: o}\n",
                          "org/p.yaml": "people:\n- name: Ann\n  id: ann\n"})
    before = (tmp_path / "org/p.yaml").read_text()
    run = kkctl("fmt", str(tmp_path), "--check", cwd=tmp_path)
    assert run.code == 1
    assert run.lines == ["would reformat kkctl.yaml", "would reformat org/p.yaml"]
    assert (tmp_path / "org/p.yaml").read_text() == before
    assert kkctl("fmt", str(tmp_path)).code == 0
    assert (tmp_path / "org/p.yaml").read_text() == "people:\n  - id: ann\n    name: Ann\n"


def test_a_file_that_does_not_parse_is_left_alone(kkctl, tmp_path: Path) -> None:
    write_tree(tmp_path, {"kkctl.yaml": "kkctl: 1\norganisation: {id: o, name: O}\n",
                          "bad.yaml": "people: [\n"})
    run = kkctl("fmt", str(tmp_path), cwd=tmp_path)
    assert run.code == 1 and "bad.yaml:2:1: cannot format: YAML syntax error" in run.err
    assert (tmp_path / "bad.yaml").read_text() == "people: [\n"
    with pytest.raises(FormatError):
        format_text("people: [\n")


def test_problems_come_first_and_reach_stderr_when_stdout_is_closed(tmp_path: Path) -> None:
    """A file fmt cannot read is named before the list of files to reformat (as a terminal
    shows both streams), and still named when whatever read the list has gone away."""
    import os
    import subprocess

    from conftest import kkctl_command

    write_tree(tmp_path, {"kkctl.yaml": "kkctl: 1\norganisation: {name: O, id: o}\n",
                          "bad.yaml": "people: [\n",
                          "org/p.yaml": "people:\n- name: Ann\n  id: ann\n"})
    env = {**os.environ, "KKCTL_LANG": "en", "KKCTL_CACHE_DIR": str(tmp_path / ".cache")}
    both = subprocess.run([*kkctl_command(), "fmt", "--check"], cwd=tmp_path, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = both.stdout.splitlines()
    assert both.returncode == 1
    assert lines[0].startswith("bad.yaml:2:1: cannot format")
    assert lines[1:3] == ["would reformat kkctl.yaml", "would reformat org/p.yaml"]
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads the list
    try:
        gone = subprocess.run([*kkctl_command(), "fmt", "--check"], cwd=tmp_path, env=env,
                              stdout=write_end, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write_end)
    assert gone.returncode == 1
    assert "bad.yaml:2:1: cannot format" in gone.stderr and "Traceback" not in gone.stderr


def test_fmt_refuses_to_change_the_digits_of_an_amount() -> None:
    # every scalar is written back as its own text: formatted, the digits stay
    assert format_text("periods:\n- id: q\n  net_profit: 12345678901.123456\n") == \
        "periods:\n  - id: q\n    net_profit: 12345678901.123456\n"
