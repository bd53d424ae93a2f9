"""Running `kkctl import` again into the project it made: people, teams and memberships follow
the source, and everything written by hand stays byte for byte."""

from __future__ import annotations

from pathlib import Path

from conftest import DATA

STAFF_RU = DATA / "import" / "staff-ru.csv"

HAND_KKCTL = """
# Written by hand after the import.
clients:
  - {id: factories, name: Машиностроительные заводы, kind: external}  # our client
authorities:
  - {id: a-tools, scope: закупка инструмента, holder: czex-1}
"""
HAND_PROMISES = """# Promises, by hand: the import must never touch this file.
promises:
  - id: p-parts
    kind: root
    giver: czex-1
    receiver: factories
    text: Детали в срок   # a comment
metrics:
  - {id: m-output, name: Выпуск, unit: шт}
"""
HAND_TEAMS_TAIL = """
# Reward schemes, by hand
reward_schemes:
  - id: rs-czex-1
    unit: czex-1   # Цех 1 first
"""


def _staff(tmp_path: Path, drop: tuple[str, ...] = (), extra: str = "",
           moves: dict[str, str] | None = None) -> Path:
    lines = STAFF_RU.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not any(line.startswith(d) for d in drop)]
    for who, where in (moves or {}).items():
        kept = [line.replace("Производство / Цех 2", where) if line.startswith(who) else line
                for line in kept]
    target = tmp_path / "staff.csv"
    target.write_text("\n".join(kept) + "\n" + extra, encoding="utf-8")
    return target


def _hand_edit(out: Path) -> None:
    with (out / "kkctl.yaml").open("a", encoding="utf-8") as project:
        project.write(HAND_KKCTL)
    (out / "org" / "promises.yaml").write_text(HAND_PROMISES, encoding="utf-8")
    teams = (out / "org" / "teams.yaml").read_text(encoding="utf-8")
    teams = teams.replace("  - id: czex-2\n", "  # Цех 2: фрезерный участок\n  - id: czex-2\n")
    teams = teams.replace("    leader: ivanov-ivan\n", "    leader: ivanov-ivan\n"
                          "    success_indicator: m-output  # chosen by the council\n")
    teams = teams.replace("      - sidorova-anna\n", "      - sidorova-anna  # мастер смены\n")
    (out / "org" / "teams.yaml").write_text(teams + HAND_TEAMS_TAIL, encoding="utf-8")
    with (out / "org" / "people.yaml").open("a", encoding="utf-8") as people:
        people.write("  # an outside adviser, added by hand\n"
                     "  - {id: adviser, name: Внешний Советник}\n")


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.yaml"))}


def test_reimport_updates_people_and_teams_and_keeps_every_hand_written_byte(
        kkctl, tmp_path: Path) -> None:
    out = tmp_path / "org"
    first = kkctl("import", "staff", str(STAFF_RU), "--out", str(out), "--as-of", "2026-06-01")
    assert first.code == 0, first.err
    _hand_edit(out)
    before = _files(out)
    # Сидорова left, Ёлкин moved to Цех 1, Новикова joined the accounts department
    source = _staff(tmp_path, drop=("Сидорова",), moves={"Ёлкин": "Производство / Цех 1"},
                    extra="Новикова Ольга Андреевна;1010;Бухгалтерия;Бухгалтер;"
                          "Яковлева Мария Викторовна;;\n")
    again = kkctl("import", "staff", str(source), "--out", str(out), "--as-of", "2026-07-01")
    assert again.code == 0, again.err
    after = _files(out)
    assert after["kkctl.yaml"] == before["kkctl.yaml"]
    assert after["org/promises.yaml"] == before["org/promises.yaml"]
    teams = after["org/teams.yaml"].decode()
    assert teams.endswith(HAND_TEAMS_TAIL)
    assert "  # Цех 2: фрезерный участок\n  - id: czex-2\n" in teams
    assert "    success_indicator: m-output  # chosen by the council\n" in teams
    assert "{person: sidorova-anna, to: 2026-07-01} # мастер смены" in teams
    assert "{person: yolkin-eduard, to: 2026-07-01}" in teams
    assert "{person: yolkin-eduard, from: 2026-07-01}" in teams
    assert "{person: novikova-olga, from: 2026-07-01}" in teams
    people = after["org/people.yaml"].decode()
    assert "id: sidorova-anna" in people  # who left stays: past bonuses stay reproducible
    assert people.index("  # an outside adviser, added by hand\n"
                        "  - {id: adviser, name: Внешний Советник}\n") \
        < people.index("id: novikova-olga")
    assert "members — " not in again.err
    assert "2 ended" in again.err or "завершено 2" in again.err
    checked = kkctl("validate", str(out), "--lang", "en")
    assert checked.code == 0 and "no problems" in checked.out, checked.out
    # the same source once more: nothing left to change
    third = kkctl("import", "staff", str(source), "--out", str(out), "--as-of", "2026-08-01")
    assert third.code == 0, third.err
    assert _files(out) == after


def test_dry_run_shows_the_change_like_kkctl_diff_and_writes_nothing(kkctl, tmp_path: Path
                                                                      ) -> None:
    out = tmp_path / "org"
    assert kkctl("import", "staff", str(STAFF_RU), "--out", str(out), "--lang", "en").code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    source = _staff(tmp_path, drop=("Щукина",))
    run = kkctl("import", "staff", str(source), "--out", str(out), "--dry-run", "--lang", "en",
                "--as-of", "2026-07-01")
    assert run.code == 0, run.err
    assert "Щукина Юлия Андреевна (shhukina-yuliya) leaves" in run.out, run.out
    assert "nothing was written" in run.err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_first_dry_run_lists_the_files_it_would_write(kkctl, tmp_path: Path) -> None:
    out = tmp_path / "org"
    run = kkctl("import", "staff", str(STAFF_RU), "--out", str(out), "--dry-run")
    assert run.code == 0, run.err
    assert "+ org/people.yaml" in run.out and "+ kkctl.yaml" in run.out
    assert not out.exists()


def test_a_person_matched_by_table_number_keeps_a_renamed_id(kkctl, tmp_path: Path) -> None:
    out = tmp_path / "org"
    assert kkctl("import", "staff", str(STAFF_RU), "--out", str(out)).code == 0
    people = out / "org" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace(
        "id: petrov-pyotr", "id: director"), encoding="utf-8")
    teams = out / "org" / "teams.yaml"
    teams.write_text(teams.read_text(encoding="utf-8").replace("petrov-pyotr", "director"),
                     encoding="utf-8")
    renamed = STAFF_RU.read_text(encoding="utf-8").replace("Петров Пётр Петрович;1001",
                                                           "Петров Пётр Павлович;1001")
    source = tmp_path / "staff.csv"
    source.write_text(renamed, encoding="utf-8")
    run = kkctl("import", "staff", str(source), "--out", str(out))
    assert run.code == 0, run.err
    text = people.read_text(encoding="utf-8")
    assert "{id: director, name: Петров Пётр Павлович, x-staff-id: '1001'}" in text
    assert "petrov" not in text
