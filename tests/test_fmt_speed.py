"""`kkctl fmt --check` keeps pace with `validate`, and its shortcuts never change an answer.

Two shortcuts: a text already in canonical form is recognised without ruamel.yaml's round trip
(``_already_canonical``), and a content found canonical before is remembered in the user's
cache, keyed by the bytes, fmt's settings and kkctl's version. Both are held here against the
round trip itself and against edits made after a cached run. No timings: the budgets live in
bench/run.py.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from conftest import EXAMPLES, SHARED, write_tree
from kkctl.fmt import FormatError, _already_canonical, _kk_data, _round_trip, format_text
from kkctl.yamlread import read_yaml

PROJECT = "kkctl: 1\norganisation: {id: o, name: O, locale: en}\n"
SORTED_PROJECT = "kkctl: 1\norganisation: {id: o, name: O, locale: en}\nfmt: {sort: true}\n"
CANONICAL = "people:\n  - id: zoe\n    name: Zoe\n  - id: ann\n    name: Ann\n"


def _fast_says_canonical(text: str, sort: bool) -> bool:
    """The fast path's answer; where it says "canonical", kkctl's reader must read the text
    without an error (fmt then skips reading it)."""
    fast = _already_canonical(text, sort, _kk_data(text) if sort else None)
    if fast:
        errors = [d for d in read_yaml(text.encode("utf-8"), "t").diagnostics
                  if d.severity.value == "error"]
        assert errors == [], text
    return fast


def _round_trip_keeps(text: str, sort: bool) -> bool:
    try:
        return _round_trip(text, _kk_data(text), sort) == text
    except FormatError:
        return False


def _assert_fast_path_agrees(text: str, name: str) -> int:
    """Where the fast path says "canonical", the round trip must give the text back; the
    number of (text, setting) pairs the fast path answered."""
    answered = 0
    for sort in (False, True):
        try:
            fast = _fast_says_canonical(text, sort)
        except FormatError:  # does not parse: both paths refuse alike
            continue
        if fast:
            assert _round_trip_keeps(text, sort), f"{name} (sort={sort}): not canonical"
            answered += 1
    return answered


def _formatted_variants(paths: list[Path]) -> list[tuple[str, str]]:
    """Each file as it is, and as fmt writes it (with and without sorting)."""
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        out.append((str(path), text))
        for sort in (False, True):
            try:
                formatted = format_text(text, sort)
            except (FormatError, RecursionError):  # refused, or too deep for ruamel.yaml
                continue
            if formatted != text:
                out.append((f"{path} formatted (sort={sort})", formatted))
    return out


def test_the_fast_path_agrees_with_the_round_trip_on_the_examples() -> None:
    answered = sum(_assert_fast_path_agrees(text, name) for name, text in
                   _formatted_variants(sorted(EXAMPLES.rglob("*.yaml"))))
    assert answered >= 40  # most of them: comments, folded text and flow lists included


def _corpus_files() -> list[Path]:
    if not (SHARED / "corpora").is_dir():
        return []
    return sorted(p for p in (SHARED / "corpora").rglob("*")
                  if p.suffix in (".yaml", ".yml") and p.is_file())


@pytest.mark.slow
@pytest.mark.skipif(not _corpus_files(), reason="../shared/corpora is not here")
def test_the_fast_path_agrees_with_the_round_trip_on_the_corpora() -> None:
    files = [p for p in _corpus_files() if p.stat().st_size < 100_000]
    random.Random(19).shuffle(files)
    readable = []
    for path in files[:300]:
        try:
            path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        readable.append(path)
    answered = sum(_assert_fast_path_agrees(text, name)
                   for name, text in _formatted_variants(readable))
    assert answered > 100


# Texts ruamel.yaml's round trip changes although each looks canonical (comments lost or
# moved, data garbled): the fast path must leave every one of them to the round trip.
SURPRISES = [
    "p:\n  - {id: s}\n  # x\n  - {id: t}  # y\n",  # the comment line is lost
    "p:\n  - {id: s}\n\n  - {id: t}  # y\n",  # and the blank line
    "p:\n  # c\n  - {id: s}  # e\n  - id: s\n    n: t\n",  # written "- id: s n: t"
    "p:\n\n  - {}\n  - id: s\n    n: t\n",
    "b:\n\n  - {}\n  - p\n  - q\n",  # written "- p   -"
    "p:\n  - id: s\n    l: [x]\n  # c\n  - {id: s}  # e\n",
    "a:\n  - |- # e\n    word\n",  # the comment is lost
    "a: [{k: v}]\n",  # written [k: v]
    "a: |\n\n  x\n",  # the leading empty line is dropped
    "a: |\n    deeper\n",  # re-indented
    "a:\n  - - x\n    - y\n",  # re-indented
    "a:\n  -\n  - x\n",  # written "- " with a trailing space
    "---\na: 1\n",  # the marker is dropped
    "\na: 1\n",  # the leading blank line too
    "a: \"\\u00e9\"\n",  # the escape is written as the character
    "a: [x,  y]\n",
    "a: 1\n  \nb: 2\n",  # the spaces of a blank line are dropped
    "a" * 130 + ": 1\n",  # a long key is written "? key"
    "\ufeffa: 1\n",
    # keys out of the schema's order, in every place _reorder_entities looks
    "people:\n  - {name: Ann, id: ann}\n",
    "organisation: {name: O, id: o}\n",
    "organisation:\n  name: O\n  id: o\n",
    "teams:\n  - id: t\n    members:\n      - {weight: 2, person: p}\n",
    "teams:\n  - id: t\n    members:\n      - weight: 2\n        person: p\n",
    "teams:\n  - lint_ignore: [KK201]\n    id: t\n",
]


@pytest.mark.parametrize("text", SURPRISES)
def test_the_fast_path_leaves_ruamels_surprises_to_the_round_trip(text: str) -> None:
    for sort in (False, True):
        assert not _round_trip_keeps(text, sort)  # the round trip does change it
        assert not _fast_says_canonical(text, sort)


# Texts in fmt's layout that kkctl's reader refuses: fmt says so, as it did before the fast
# path (which never reads them with kkctl's reader).
REFUSED = [
    "people:\n  - id: ann\n    name: Ann\n    name: Anna\n",  # a duplicate key
    "people:\n  - {id: ann, id: bob}\n",
    "periods:\n  - id: q\n    net_profit: " + "9" * 70 + "\n",  # a number too long
    "a: [0x" + "F" * 70 + "]\n",
]


@pytest.mark.parametrize("text", REFUSED)
def test_what_kkctls_reader_refuses_is_refused(text: str) -> None:
    for sort in (False, True):
        with pytest.raises(FormatError):
            format_text(text, sort)


def _random_document(rng: random.Random) -> str:
    """A small document in fmt's layout, with comments, blank lines and a few slips."""
    words = ["a", "Ann", "Анна", "b c", "12", "1.10", "~", "yes", "a:b", "a#b", "-5", "it's",
             "'q'", '"d"', "''", "x  y", "😀"]
    lines: list[str] = []

    def scalar() -> str:
        return rng.choice(words)

    def flow(depth: int) -> str:
        if rng.random() < 0.5:
            return "[" + ", ".join(scalar() for _ in range(rng.randint(0, 3))) + "]"
        keys = rng.sample(["id", "name", "k"], rng.randint(0, 3))
        return "{" + ", ".join(f"{k}: {scalar()}" for k in keys) + "}"

    def mapping(indent: int, depth: int, prefix: str = "") -> None:
        for number, key in enumerate(rng.sample(["id", "name", "text", "members", "x-n"],
                                                rng.randint(1, 3))):
            head = (prefix if number == 0 and prefix else " " * indent) + key + ":"
            choice = rng.random() if depth < 3 else rng.random() * 0.5
            if choice < 0.3:
                lines.append(f"{head} {scalar()}")
            elif choice < 0.45:
                lines.append(f"{head} {flow(depth)}")
            elif choice < 0.55:
                lines.append(f"{head} {rng.choice(['|', '>', '|-', '>-'])}")
                lines.extend(" " * (indent + 2) + rng.choice(["one", "two words", ""])
                             for _ in range(rng.randint(1, 3)))
                lines.append(" " * (indent + 2) + "end")
            elif choice < 0.8:
                lines.append(head)
                for _ in range(rng.randint(1, 3)):
                    dash = " " * (indent + 2) + "- "
                    if rng.random() < 0.4:
                        lines.append(dash + scalar())
                    elif rng.random() < 0.5:
                        lines.append(dash + flow(depth))
                    else:
                        mapping(indent + 4, depth + 1, dash)
            else:
                lines.append(head)
                mapping(indent + 2, depth + 1)

    mapping(0, 0)
    out = []
    for line in lines:
        roll = rng.random()
        if roll < 0.08:
            out.append(" " * rng.choice([0, 2, 4]) + "# note")
        elif roll < 0.12:
            out.append("")
        roll = rng.random()
        if roll < 0.08:
            line += "  # eol"
        elif roll < 0.1:
            line += " "
        elif roll < 0.12:
            line = line.replace(": ", ":  ", 1)
        out.append(line)
    return "\n".join(out) + "\n"


def test_the_fast_path_agrees_with_the_round_trip_on_generated_documents() -> None:
    rng = random.Random(1919)
    answered = 0
    for number in range(400):
        text = _random_document(rng)
        answered += _assert_fast_path_agrees(text, f"document {number}:\n{text}")
    assert answered > 100


def test_a_bench_organisation_file_takes_the_fast_path() -> None:
    team = ("teams:\n  - id: team-00001\n    name: \"Команда 1\"\n    type: value_creating\n"
            "    leader: p000006\n    members:\n      - p000006\n"
            "      - {person: p000007, weight: 2, from: 2026-01-01}\n"
            "    success_indicator: team-00001-m0\n    economics:\n"
            "      income: [\"выручка магазинов\"]\n      expenses: [\"закупка\", \"аренда\"]\n"
            "promises:\n  - id: team-00001-p0\n    kind: root\n    giver: team-00001\n"
            "    receiver: shoppers\n    text: \"Обещание 0: доставим вовремя\"\n"
            "    metrics: [team-00001-m0]\n")
    assert _round_trip_keeps(team, False)
    assert _fast_says_canonical(team, False)
    swapped = team.replace("type: value_creating\n    leader: p000006",
                           "leader: p000006\n    type: value_creating")
    assert not _fast_says_canonical(swapped, False)  # keys out of the schema's order
    assert not _round_trip_keeps(swapped, False)


@pytest.mark.parametrize("text", [
    "organisation:\n  id: o\n  name: O\n  x-note: kept last\n",
    "people:\n  - {id: ann, name: Ann}\n  - id: bob  # the second\n    name: Bob\n",
    "teams:\n  - id: t\n    members:\n      - {person: p, weight: 2}\n    lint_ignore: [KK201]\n",
    "# header\n\nteams:\n  # the first team\n  - id: t\n    description: >-\n      two\n"
    "      lines\n\n# the end\n",
])
def test_entities_in_the_schemas_order_take_the_fast_path(text: str) -> None:
    assert _round_trip_keeps(text, False)
    assert _fast_says_canonical(text, False)


def test_an_unsorted_collection_is_not_canonical_when_fmt_sorts() -> None:
    assert _fast_says_canonical(CANONICAL, False)
    assert not _fast_says_canonical(CANONICAL, True)
    assert format_text(CANONICAL, True).index("ann") < format_text(CANONICAL, True).index("zoe")


# -- the cache of contents found canonical -----------------------------------------------------


def _entries(cache_dir: Path) -> list[Path]:
    return [p for p in cache_dir.rglob("*") if p.is_file()]


def test_a_file_edited_after_a_cached_run_is_checked_again(kkctl, tmp_path: Path,
                                                           cache_dir: Path) -> None:
    root = write_tree(tmp_path / "p", {"kkctl.yaml": PROJECT, "people.yaml": CANONICAL})
    assert kkctl("fmt", str(root), "--check").code == 0
    assert _entries(cache_dir)  # remembered
    (root / "people.yaml").write_text(CANONICAL.replace("  - id: ann\n    name: Ann\n",
                                                        "  - name: Ann\n    id: ann\n"))
    run = kkctl("fmt", str(root), "--check", cwd=root)
    assert run.code == 1 and run.lines == ["would reformat people.yaml"]
    assert kkctl("fmt", str(root)).code == 0
    assert (root / "people.yaml").read_text() == CANONICAL
    assert kkctl("fmt", str(root), "--check").code == 0


def test_a_file_canonical_under_other_settings_is_checked_again(kkctl, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", {"kkctl.yaml": PROJECT, "people.yaml": CANONICAL})
    assert kkctl("fmt", str(root), "--check").code == 0  # canonical, remembered
    (root / "kkctl.yaml").write_text(SORTED_PROJECT)  # people.yaml itself unchanged
    run = kkctl("fmt", str(root), "--check", cwd=root)
    assert run.code == 1 and run.lines == ["would reformat people.yaml"]
    (root / "kkctl.yaml").write_text(PROJECT)
    assert kkctl("fmt", str(root), "--check").code == 0


def test_no_cache_reads_and_writes_no_cache(kkctl, tmp_path: Path, cache_dir: Path) -> None:
    root = write_tree(tmp_path / "p", {"kkctl.yaml": PROJECT, "people.yaml": CANONICAL})
    assert kkctl("fmt", str(root), "--check", "--no-cache").code == 0
    assert _entries(cache_dir) == []
    assert kkctl("fmt", str(root), "--check").code == 0
    entries = _entries(cache_dir)
    assert entries
    # a cache that claims everything (here: garbage) is not even read with --no-cache
    for entry in entries:
        entry.write_bytes(b"not a cache entry")
    (root / "people.yaml").write_text("people:\n- id: ann\n  name: Ann\n")
    assert kkctl("fmt", str(root), "--check", "--no-cache").code == 1
    assert kkctl("fmt", str(root), "--check").code == 1  # a corrupt entry is no answer


def _many_files(root: Path, count: int) -> list[str]:
    """A project of ``count`` files of about 3 KB (enough to be shared between two processes),
    every third one out of canonical key order; which ones."""
    people = "people:\n" + "".join(f"  - id: p{i}\n    name: Person {i}\n" for i in range(80))
    files = {"kkctl.yaml": PROJECT}
    untidy = []
    for number in range(count):
        name = f"teams/t{number:03}.yaml"
        if number % 3 == 1:
            files[name] = f"teams:\n  - name: T{number}\n    id: t{number}\n" + people
            untidy.append(name)
        else:
            files[name] = f"teams:\n  - id: t{number}\n    name: T{number}\n" + people
    files["teams/t050.yaml"] = "teams: [\n"  # does not parse: reported, left alone
    write_tree(root, files)
    return [n for n in untidy if n != "teams/t050.yaml"]


def test_many_files_are_checked_in_order_on_two_cores(kkctl, tmp_path: Path) -> None:
    root = tmp_path / "p"
    untidy = _many_files(root, 150)
    # without the cache, with it empty, and with it knowing only contents now edited away
    for options in (["--no-cache"], [], ["edited"]):
        if options == ["edited"]:
            options = []
            for path in (root / "teams").iterdir():
                if path.name not in {Path(name).name for name in untidy} | {"t050.yaml"}:
                    path.write_text(path.read_text() + "# edited\n")
        run = kkctl("fmt", str(root), "--check", *options, cwd=root)
        assert run.code == 1
        assert run.lines == [f"would reformat {name}" for name in untidy]
        assert "teams/t050.yaml:2:1: cannot format" in run.err
    run = kkctl("fmt", str(root), cwd=root)
    assert run.code == 1 and f"reformatted {len(untidy)} files" in run.err.replace(",", "")
    assert (root / "teams/t001.yaml").read_text().startswith("teams:\n  - id: t1\n    name:")
    assert (root / "teams/t050.yaml").read_text() == "teams: [\n"
    run = kkctl("fmt", str(root), "--check", cwd=root)
    assert run.code == 1 and run.lines == []


def test_a_refused_write_among_many_stops_the_run_there(kkctl, tmp_path: Path) -> None:
    root = tmp_path / "p"
    untidy = _many_files(root, 150)
    os.chmod(root / untidy[10], 0o444)  # refused by its mode bits, even for root
    run = kkctl("fmt", str(root), cwd=root)
    assert run.code == 2 and "is read-only" in run.err and "Traceback" not in run.err
    assert "teams/t050.yaml:2:1: cannot format" not in run.err  # after the refusal: not said
    assert (root / untidy[9]).read_text().startswith("teams:\n  - id:")  # before: written
    assert (root / untidy[11]).read_text().startswith("teams:\n  - name:")  # after: not


def test_a_number_for_members_is_left_to_validate(kkctl, tmp_path: Path) -> None:
    team = "teams:\n  - name: T\n    id: t\n    members: 5\n"
    root = write_tree(tmp_path / "p", {"kkctl.yaml": PROJECT, "t.yaml": team})
    run = kkctl("fmt", str(root))
    assert run.code == 0, run.err
    assert (root / "t.yaml").read_text() == "teams:\n  - id: t\n    name: T\n    members: 5\n"
