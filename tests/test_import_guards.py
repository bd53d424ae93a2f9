"""`kkctl import` against hostile or degenerate input: links out of the folders it reads and
writes, YAML and zip bombs, workbooks that claim a million rows, broken sheets, values of the
wrong type, and sizes that made it quadratic. Each ends in a clear message (exit 2, nothing
written) or a finished import, never a hang, a traceback or a write outside ``--out``."""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
from pathlib import Path

import pytest

from conftest import DATA

STAFF_RU = DATA / "import" / "staff-ru.csv"
QUICK = 60.0  # seconds: far above what each case takes once guarded


def _no_traceback(run: object) -> None:
    text = getattr(run, "out", "") + getattr(run, "err", "")
    assert "Traceback" not in text and "internal error" not in text, text


def _imported(kkctl, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path / "proj"
    assert kkctl("import", "staff", str(STAFF_RU), "--out", str(out)).code == 0
    return out


# --- I1: --dry-run writes nothing anywhere --------------------------------------------------

def test_dry_run_never_writes_through_a_link_in_the_project(kkctl, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    out = tmp_path / "proj"
    out.mkdir()
    (out / "kkctl.yaml").write_text("kkctl: 1\norganisation: {id: org, name: Org}\n",
                                    encoding="utf-8")
    (out / "org").symlink_to(victim)  # planted: the import plans org/people.yaml
    run = kkctl("import", "staff", str(STAFF_RU), "--out", str(out), "--dry-run", "--lang", "en")
    _no_traceback(run)
    assert run.code == 0, run.err
    assert list(victim.iterdir()) == []
    assert "after the import: 9 people added" in run.out


def test_dry_run_on_a_project_shows_the_change_and_changes_nothing(kkctl, tmp_path: Path) -> None:
    out = _imported(kkctl, tmp_path)
    big = out / "big.bin"
    big.write_bytes(b"x" * 1000)
    lines = STAFF_RU.read_text(encoding="utf-8").splitlines()
    changed = tmp_path / "staff.csv"
    changed.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    run = kkctl("import", "staff", str(changed), "--out", str(out), "--dry-run", "--lang", "en")
    assert run.code == 0, run.err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert "nothing was written" in run.out + run.err
    assert "after the import" in run.out


# --- I2, I3: YAML bombs and deep nesting ------------------------------------------------------

def _alias_bomb(levels: int = 9) -> str:
    lines = ["kind: Group", "metadata: {name: g}", "spec:", "  x:",
             "    a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"    a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_once(kkctl, tmp_path: Path) -> None:
    source = tmp_path / "catalog.yaml"
    source.write_text(_alias_bomb(), encoding="utf-8")
    out = tmp_path / "out"
    run = kkctl("import", "backstage", str(source), "--out", str(out), timeout=QUICK)
    _no_traceback(run)
    assert run.code == 2
    assert "catalog.yaml:" in run.err and "aliases" in run.err
    assert not out.exists()


def test_deep_nesting_is_a_clear_error_not_a_crash(kkctl, tmp_path: Path) -> None:
    source = tmp_path / "catalog.yaml"
    depth = 900  # below libyaml's own limit of 1,000, above Python's recursion
    source.write_text("kind: Group\nmetadata: {name: g}\nspec: " + "[" * depth + "]" * depth
                      + "\n", encoding="utf-8")
    run = kkctl("import", "backstage", str(source), "--out", str(tmp_path / "out"),
                "--lang", "ru")
    _no_traceback(run)
    assert run.code == 2
    assert "catalog.yaml:3" in run.err and "вложенность" in run.err


def test_a_catalog_within_the_limits_still_imports(kkctl, tmp_path: Path) -> None:
    source = tmp_path / "catalog.yaml"
    source.write_text(_alias_bomb(3) + "---\nkind: User\nmetadata: {name: ann}\n"
                      "spec: {memberOf: [g]}\n", encoding="utf-8")
    run = kkctl("import", "backstage", str(source), "--out", str(tmp_path / "out"))
    assert run.code == 0, run.err


# --- I4, I5: workbooks ------------------------------------------------------------------------

def _workbook(tmp_path: Path) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["name", "department"])
    sheet.append(["Ann", "Sales"])
    sheet.append(["Bob", "Sales"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rezip(data: bytes, member: str, change) -> bytes:  # type: ignore[no-untyped-def]
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info.filename, change(body) if info.filename == member else body)
    return buffer.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def test_a_workbook_claiming_a_million_rows_imports_what_it_has(kkctl, tmp_path: Path) -> None:
    data = _rezip(_workbook(tmp_path), SHEET, lambda b: re.sub(
        rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', b))
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    source = tmp_path / "staff.xlsx"
    source.write_bytes(data)
    run = kkctl("import", "staff", str(source), "--out", str(tmp_path / "out"),
                timeout=QUICK)
    assert run.code == 0, run.err
    assert "2 people" in run.out + run.err


def test_a_stray_cell_a_million_rows_down_ends_nothing(kkctl, tmp_path: Path) -> None:
    stray = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    data = _rezip(_workbook(tmp_path), SHEET,
                  lambda b: b.replace(b"</sheetData>", stray + b"</sheetData>"))
    source = tmp_path / "staff.xlsx"
    source.write_bytes(data)
    run = kkctl("import", "staff", str(source), "--out", str(tmp_path / "out"),
                timeout=QUICK)
    assert run.code == 0, run.err
    assert "2 people" in run.out + run.err


def _declare_size(data: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s uncompressed size in the central directory set to ``size``:
    what a zip bomb declares (Python's zipfile trusts it as the most it will inflate)."""
    name = member.encode()
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_len] == name:
            return data[:at + 24] + struct.pack("<I", size) + data[at + 28:]
        at += 4


def test_a_zip_bomb_is_refused_before_it_is_inflated(kkctl, tmp_path: Path) -> None:
    data = _declare_size(_workbook(tmp_path), SHEET, 4_000_000_000)
    source = tmp_path / "staff.xlsx"
    source.write_bytes(data)
    out = tmp_path / "out"
    run = kkctl("import", "staff", str(source), "--out", str(out), "--lang", "en")
    _no_traceback(run)
    assert run.code == 2
    assert "staff.xlsx" in run.err and "unpacks to 4000" in run.err
    assert not out.exists()


def test_a_truncated_sheet_is_a_clear_error(kkctl, tmp_path: Path) -> None:
    data = _rezip(_workbook(tmp_path), SHEET, lambda b: b[:len(b) * 2 // 3])
    source = tmp_path / "staff.xlsx"
    source.write_bytes(data)
    out = tmp_path / "out"
    run = kkctl("import", "staff", str(source), "--out", str(out), "--lang", "ru")
    _no_traceback(run)
    assert run.code == 2
    assert "staff.xlsx" in run.err and "XLSX" in run.err
    assert not out.exists()


# --- I6: values of the wrong type -------------------------------------------------------------

def test_a_description_that_is_not_text_is_left_out(kkctl, tmp_path: Path) -> None:
    source = tmp_path / "catalog.yaml"
    source.write_text(
        "kind: Group\nmetadata: {name: g, description: {a: 1}, title: [x]}\n"
        "spec: {type: team, profile: {displayName: {b: 2}}}\n---\n"
        "kind: User\nmetadata: {name: ann}\n"
        "spec: {memberOf: [g], profile: {email: [x], displayName: Ann}}\n", encoding="utf-8")
    out = tmp_path / "out"
    run = kkctl("import", "backstage", str(source), "--out", str(out))
    _no_traceback(run)
    assert run.code == 0, run.err
    teams = (out / "org" / "teams.yaml").read_text(encoding="utf-8")
    assert "description" not in teams and "name: g" in teams
    assert "email" not in (out / "org" / "people.yaml").read_text(encoding="utf-8")


def test_a_peribolos_description_that_is_a_list_is_left_out(kkctl, tmp_path: Path) -> None:
    source = tmp_path / "org.yaml"
    source.write_text("orgs:\n  acme:\n    members: [ann]\n    teams:\n      dev:\n"
                      "        description: [not, text]\n        maintainers: [ann]\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    run = kkctl("import", "peribolos", str(source), "--out", str(out))
    _no_traceback(run)
    assert run.code == 0, run.err
    assert "description" not in (out / "org" / "teams.yaml").read_text(encoding="utf-8")


# --- I7: sizes --------------------------------------------------------------------------------

def test_twenty_thousand_names_that_transliterate_to_nothing(kkctl, tmp_path: Path) -> None:
    """Every id falls back to ``person``: person, person-2 ... person-20000, each found in one
    step (counting up from 2 for each was 2e8 set lookups)."""
    rows = ["name,department"] + [f"王{chr(0x4E00 + i)},部{i % 50}" for i in range(20_000)]
    source = tmp_path / "staff.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    run = kkctl("import", "staff", str(source), "--out", str(out), timeout=240)
    assert run.code == 0, run.err
    people = (out / "org" / "people.yaml").read_text(encoding="utf-8")
    assert "id: person-20000" in people and "id: person-20001" not in people


def test_a_long_chain_of_parent_departments_is_cut_not_recursed(kkctl, tmp_path: Path
                                                                ) -> None:
    rows = ["name,department,parent"] + [f"P{i},D{i},{f'D{i - 1}' if i else ''}"
                                         for i in range(1500)]
    source = tmp_path / "staff.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = kkctl("import", "staff", str(source), "--out", str(tmp_path / "out"),
                "--lang", "en", timeout=QUICK)
    _no_traceback(run)
    assert run.code == 0, run.err
    assert "1500 people and 64 teams" in run.out + run.err
    assert "more than 64 departments deep" in run.out + run.err


# --- I8: all or nothing -----------------------------------------------------------------------

def test_a_target_that_cannot_be_written_stops_the_import_before_any_write(
        kkctl, tmp_path: Path) -> None:
    out = _imported(kkctl, tmp_path)
    (out / "IMPORTED.md").unlink()
    (out / "IMPORTED.md").mkdir()  # written last: the files before it must stay as they were
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    lines = STAFF_RU.read_text(encoding="utf-8").splitlines()
    changed = tmp_path / "staff.csv"
    changed.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    run = kkctl("import", "staff", str(changed), "--out", str(out))
    _no_traceback(run)
    assert run.code == 2
    assert "IMPORTED.md" in run.err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_link_out_of_the_output_folder_stops_the_import_before_any_write(
        kkctl, tmp_path: Path) -> None:
    out = _imported(kkctl, tmp_path)
    outside = tmp_path / "outside.md"
    outside.write_text("mine\n", encoding="utf-8")
    (out / "IMPORTED.md").unlink()
    (out / "IMPORTED.md").symlink_to(outside)
    before = {p: p.read_bytes() for p in (out / "org").iterdir()}
    lines = STAFF_RU.read_text(encoding="utf-8").splitlines()
    changed = tmp_path / "staff.csv"
    changed.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    run = kkctl("import", "staff", str(changed), "--out", str(out))
    _no_traceback(run)
    assert run.code == 2
    assert "IMPORTED.md" in run.err
    assert outside.read_text(encoding="utf-8") == "mine\n"
    assert {p: p.read_bytes() for p in (out / "org").iterdir()} == before


# --- I9: reading through links ----------------------------------------------------------------

def test_a_catalog_file_linked_out_of_the_folder_is_refused_by_name(kkctl, tmp_path: Path
                                                                    ) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("kind: User\nmetadata: {name: TOPSECRET}\n", encoding="utf-8")
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "a.yaml").write_text("kind: User\nmetadata: {name: ann}\n", encoding="utf-8")
    (catalog / "x.yaml").symlink_to(secret)
    out = tmp_path / "out"
    run = kkctl("import", "backstage", str(catalog), "--out", str(out), "--lang", "en")
    _no_traceback(run)
    assert run.code == 2
    assert "x.yaml" in run.err and "symbolic link" in run.err
    assert not out.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_in_a_peribolos_folder_is_refused_not_waited_on(kkctl, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "org.yaml").write_text("members: [ann]\nteams: {dev: {maintainers: [ann]}}\n",
                                     encoding="utf-8")
    os.mkfifo(config / "teams.yaml")
    run = kkctl("import", "peribolos", str(config), "--out", str(tmp_path / "out"),
                timeout=QUICK)
    _no_traceback(run)
    assert run.code == 2
    assert "teams.yaml" in run.err and "regular file" in run.err


def test_a_project_file_linked_out_of_the_output_folder_is_not_read(kkctl, tmp_path: Path
                                                                    ) -> None:
    """``org/spy.yaml -> a file outside``, holding a person with a table number of the
    source: read, the import would take that entry for the person and rewrite it through the
    link; skipped (as the loader skips it), the person stays the one in org/people.yaml."""
    out = _imported(kkctl, tmp_path)
    secret = tmp_path / "secret.yaml"
    text = "people:\n  - {id: spy, name: TOPSECRET, x-staff-id: '1001'}\n"
    secret.write_text(text, encoding="utf-8")
    (out / "org" / "spy.yaml").symlink_to(secret)
    run = kkctl("import", "staff", str(STAFF_RU), "--out", str(out), "--lang", "en")
    _no_traceback(run)
    assert run.code == 0, run.err
    assert secret.read_text(encoding="utf-8") == text
    assert "TOPSECRET" not in (out / "IMPORTED.md").read_text(encoding="utf-8") + run.out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_named_like_a_project_file_is_refused_by_name(kkctl, tmp_path: Path) -> None:
    out = _imported(kkctl, tmp_path)
    os.mkfifo(out / "org" / "pipe.yaml")
    run = kkctl("import", "staff", str(STAFF_RU), "--out", str(out), "--lang", "en",
                timeout=QUICK)
    _no_traceback(run)
    assert run.code == 2
    assert "pipe.yaml" in run.err and "regular file" in run.err

def test_a_catalog_of_groups_each_inside_the_next_imports(kkctl, tmp_path: Path) -> None:
    """2,000 groups, each the parent of the next, the upper half with nobody in them: placing
    parents first and moving sub-teams up past the empty ones neither recurses nor goes
    quadratic."""
    docs = []
    for i in range(2000):
        parent = f"parent: g{i - 1}, " if i else ""
        docs.append(f"kind: Group\nmetadata: {{name: g{i}}}\nspec: {{{parent}type: team}}\n")
        if i >= 1000:
            docs.append(f"kind: User\nmetadata: {{name: u{i}}}\nspec: {{memberOf: [g{i}]}}\n")
    source = tmp_path / "catalog.yaml"
    source.write_text("---\n".join(docs), encoding="utf-8")
    out = tmp_path / "out"
    run = kkctl("import", "backstage", str(source), "--out", str(out), "--lang", "en",
                timeout=QUICK)
    _no_traceback(run)
    assert run.code == 0, run.err
    assert "1000 people and" in run.out + run.err
