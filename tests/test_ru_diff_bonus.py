"""`kkctl diff` and `kkctl bonus` speak the organisation's language, with the same numbers,
money, percentages, dates and labels as every other command (kkctl.i18n, kkctl.labels).

Diff runs on real git repositories: the Russian example committed, changed, compared.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES

NB = "\u00a0"  # CLDR's group separator in Russian and the space before ₽ / after RUB
NNB = "\u202f"  # CLDR's narrow space in Russian dates: «2026 г.»
RUSSIAN = EXAMPLES / "poleznaya-eda"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x",
                        "PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(repo)})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The Russian example (``locale: ru``) committed in a fresh git repository."""
    root = tmp_path / "repo"
    shutil.copytree(RUSSIAN, root / "org-data")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root / "org-data"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def person_team_promise(project: Path) -> None:
    """One person added, one team changed (she joins it), one promise changed."""
    people = project / "org/people.yaml"
    people.write_text(people.read_text(encoding="utf-8").rstrip("\n")
                      + "\n  - id: kira\n    name: Кира\n", encoding="utf-8")
    edit(project / "org/teams/logistika.yaml",
         "      - {person: makarova, role: диспетчер, from: 2026-02-01}\n",
         "      - {person: makarova, role: диспетчер, from: 2026-02-01}\n"
         "      - {person: kira, from: 2026-08-01}\n")
    edit(project / "org/teams/magaziny.yaml", "    authorities: [a-spisanie]\n",
         "    authorities: []\n")


def kopecks(project: Path) -> None:
    """The last quarter's net profit moves by a quarter of a rouble."""
    edit(project / "finance/2026.yaml", "net_profit: 21986400.50", "net_profit: 21986400.75")


def plain(lines: list[str]) -> list[str]:
    """Lines with CLDR's no-break spaces as plain ones, to compare with readable literals."""
    return [line.replace(NB, " ").replace(NNB, " ") for line in lines]


# --- diff -------------------------------------------------------------------------------


@needs_git
def test_diff_answers_in_the_organisations_language_without_lang(kkctl, project: Path) -> None:
    person_team_promise(project)
    run = kkctl("diff", cwd=project)  # the fixture sets KKCTL_LANG=en: locale: ru wins
    assert run.code == 0, run.err
    assert run.lines[0] == ("HEAD → рабочая копия: 1 сотрудник добавлен, 1 команда изменена, "
                            "1 обещание изменено")
    assert "+ сотрудник kira (Кира)" in run.lines
    assert "~ команда logistika (Логистика)" in run.lines
    assert f"    members: + kira (from: 1 августа 2026{NNB}г.)" in run.lines
    assert any(line.startswith("~ обещание p-svezhest-na-polke (") for line in run.lines)
    assert "    authorities: − a-spisanie" in run.lines
    assert "Линтер — появилось: 1 ошибка, 1 предупреждение; исправлено: 0" in run.lines
    assert ("  период 2026-q3, схема rs-logistika: пул 47 000,00 ₽ без изменений; "
            "меняются доли 4 сотрудников") in plain(run.lines)
    assert "  (суммы по сотрудникам: --include-payouts)" in run.lines
    for english in ("person", "team ", "promise", "Lint", "-0"):
        assert english not in run.out.split("Линтер")[0], english


@needs_git
def test_diff_in_english_reads_as_cleanly(kkctl, project: Path) -> None:
    person_team_promise(project)
    run = kkctl("diff", "--lang", "en", cwd=project)
    assert run.code == 0, run.err
    assert run.lines[0] == ("HEAD → working tree: 1 person added, 1 team changed, "
                            "1 promise changed")
    assert "+ person kira (Кира)" in run.lines
    assert "    members: + kira (from: August 1, 2026)" in run.lines
    assert "Lint — introduced: 1 error, 1 warning; resolved: 0" in run.lines
    assert ("  period 2026-q3, scheme rs-logistika: pool RUB 47,000.00 unchanged; "
            "the shares of 4 people change") in plain(run.lines)


@needs_git
def test_diff_summary_plurals_and_no_zero_parts(kkctl, project: Path) -> None:
    people = project / "org/people.yaml"
    people.write_text(people.read_text(encoding="utf-8").rstrip("\n")
                      + "\n  - {id: kira, name: Кира}\n  - {id: lev, name: Лев}\n",
                      encoding="utf-8")
    (project / "org/hypotheses.yaml").unlink()  # eight hypotheses
    ru = kkctl("diff", cwd=project)
    assert ru.lines[0] == "HEAD → рабочая копия: 2 сотрудника добавлены, 8 гипотез удалены"
    en = kkctl("diff", "--lang", "en", cwd=project)
    assert en.lines[0] == "HEAD → working tree: 2 people added, 8 hypotheses removed"


@needs_git
def test_diff_without_changes_says_so(kkctl, project: Path) -> None:
    assert kkctl("diff", cwd=project).lines == ["HEAD → рабочая копия: Организация не изменилась."]
    assert kkctl("diff", "--lang", "en", cwd=project).lines == [
        "HEAD → working tree: No changes to the organisation."]


@needs_git
def test_diff_money_keeps_the_kopecks(kkctl, project: Path) -> None:
    kopecks(project)
    git(project.parent, "commit", "-qam", "q4 profit")
    ru = kkctl("diff", "HEAD~1", "HEAD", str(project))
    assert ru.code == 0, ru.err
    assert ru.lines[0] == "HEAD~1 → HEAD: 1 период изменён"
    assert "~ период 2026-q4 (IV квартал 2026)" in ru.lines
    assert f"    net_profit: 21{NB}986{NB}400,50{NB}₽ → 21{NB}986{NB}400,75{NB}₽" in ru.lines
    assert ("  период 2026-q4, схема rs-sovet: пул 4 397 280,10 ₽ → 4 397 280,15 ₽ "
            "(+0,05 ₽)") in plain(ru.lines)
    en = kkctl("diff", "HEAD~1", "HEAD", str(project), "--lang", "en", "--include-payouts")
    assert en.lines[0] == "HEAD~1 → HEAD: 1 period changed"
    assert f"    net_profit: RUB{NB}21,986,400.50 → RUB{NB}21,986,400.75" in en.lines
    assert ("    sokolov (Андрей Соколов): RUB 732,880.01 → RUB 732,880.02 (+RUB 0.01)"
            in plain(en.lines))
    data = json.loads(kkctl("diff", "HEAD~1", "HEAD", str(project), "-f", "json").out)
    (change,) = data["changes"]
    assert change["fields"] == [{"path": "net_profit", "op": "changed",
                                 "old": "21986400.50", "new": "21986400.75"}]
    sovet = next(b for b in data["bonus"] if b["scheme"] == "rs-sovet")
    assert sovet["pool"] == {"old": "4397280.10", "new": "4397280.15"}


@needs_git
def test_diff_shows_labels_percentages_and_dates(kkctl, project: Path) -> None:
    kuhnya = project / "org/teams/kuhnya.yaml"
    edit(kuhnya, "    share: 0.20\n    split: weights\n", "    share: 0.25\n    split: equal\n")
    edit(project / "org/teams/magaziny.yaml", "    status: active\n    agreed_on: 2026-01-15\n",
         "    status: agreed\n    agreed_on: 2026-02-01\n")
    ru = kkctl("diff", cwd=project)
    assert ru.lines[0] == ("HEAD → рабочая копия: 1 обещание изменено, "
                           "1 система вознаграждения изменена")
    for line in ("    share: 20 % → 25 %", "    split: по весам → поровну",
                 "    status: действует → согласовано",
                 "    agreed_on: 15 января 2026 г. → 1 февраля 2026 г."):
        assert line in plain(ru.lines), line
    en = kkctl("diff", "--lang", "en", cwd=project)
    for line in ("    share: 20% → 25%", "    split: by weight → equally",
                 "    status: active → agreed",
                 "    agreed_on: January 15, 2026 → February 1, 2026"):
        assert line in en.lines, line
    md = kkctl("diff", "-f", "markdown", cwd=project)
    assert "  - split: по весам → поровну" in md.lines
    data = json.loads(kkctl("diff", "-f", "json", cwd=project).out)
    fields = {f["path"]: (f["old"], f["new"]) for c in data["changes"] for f in c["fields"]}
    assert fields["split"] == ("weights", "equal")
    assert fields["share"] == ("0.20", "0.25")
    assert fields["status"] == ("active", "agreed")
    assert fields["agreed_on"] == ("2026-01-15", "2026-02-01")


@needs_git
def test_diff_markdown_in_russian(kkctl, project: Path) -> None:
    person_team_promise(project)
    kopecks(project)
    run = kkctl("diff", "-f", "markdown", "--include-payouts", cwd=project)
    assert run.code == 0, run.err
    assert run.lines[:2] == ["<!-- kkctl-diff -->",
                             "### Изменение организации: `HEAD` → `рабочая копия`"]
    assert ("**1 сотрудник добавлен, 1 команда изменена, 1 обещание изменено, "
            "1 период изменён**") in run.lines
    assert "- **+** сотрудник `kira` — Кира" in run.lines
    assert ("#### Линтер — появилось: 🔴 1 ошибка, 🟡 1 предупреждение; исправлено: 0"
            in run.lines)
    assert "| период | схема | пул, RUB | к выплате, RUB |" in run.lines
    assert ("| `2026-q4` | `rs-sovet` | 4 397 280,10 → 4 397 280,15 (+0,05) | "
            "4 397 280,10 → 4 397 280,15 (+0,05) |") in plain(run.lines)
    assert "| сотрудник | период | схема | сумма, RUB |" in run.lines
    assert ("| Кира (`kira`) | `2026-q3` | `rs-logistika` | 0,00 → 8 507,42 (+8 507,42) |"
            in plain(run.lines))
    en = kkctl("diff", "-f", "markdown", "--lang", "en", cwd=project)
    assert ("**1 person added, 1 team changed, 1 promise changed, 1 period changed**"
            in en.lines)
    assert "| period | scheme | pool, RUB | paid, RUB |" in en.lines
    assert ("| `2026-q4` | `rs-sovet` | 4,397,280.10 → 4,397,280.15 (+0.05) | "
            "4,397,280.10 → 4,397,280.15 (+0.05) |") in en.lines


# --- bonus ------------------------------------------------------------------------------


def test_bonus_table_in_russian(kkctl) -> None:
    run = kkctl("bonus", str(RUSSIAN), "--period", "2026-q4")
    assert run.code == 0, run.err
    lines = plain(run.lines)
    assert lines[0] == "Период 2026-q4 (1 октября – 31 декабря 2026 г.), суммы в RUB"
    # all schemes together against net profit, and the methodology's 20 %
    assert lines[2:7] == ["Все схемы периода",
                          "  чистая прибыль                21 986 400,50",
                          "  выплачено всеми схемами        5 420 680,10",
                          "  доля чистой прибыли                  24,7 %",
                          "  норматив методологии                   20 %"]
    assert lines[8] == ("Схема rs-sovet — Совет управляющих «Полезной еды» (sovet): "
                        "чистая прибыль × 20 %, распределение поровну")
    rules = " ".join(line.strip() for line in lines[9:12])
    assert rules.startswith("Правила: доля 20 % — методология; база: чистая прибыль — "
                            "методология; распределение поровну — решение компании (")
    assert rules.endswith("kkctl.yaml:202:13)")
    assert "  база: чистая прибыль       21 986 400,50" in lines
    assert "  доля от базы                4 397 280,10" in lines
    assert "  sokolov     Андрей Соколов     1        732 880,01" in lines
    assert ("Схема rs-kuhnya — Фабрика-кухня (kuhnya): прибыль команды × 20 %, "
            "распределение по весам") in lines
    assert "  volkov     Игорь Волков      1,5        344 400,00" in lines
    assert any(line.endswith(": прибыль команды × 20 %, распределение по отработанным дням")
               for line in lines)
    assert "21 986 400.50" not in run.out.replace(NB, " ")


def test_bonus_table_in_english(kkctl) -> None:
    run = kkctl("bonus", str(RUSSIAN), "--period", "2026-q4", "--lang", "en")
    assert run.code == 0, run.err
    assert run.lines[0] == "Period 2026-q4 (October 1 – December 31, 2026), amounts in RUB"
    assert run.lines[2:7] == ["All schemes of the period",
                              "  net profit                       21,986,400.50",
                              "  paid by all schemes               5,420,680.10",
                              "  share of net profit                      24.7%",
                              "  the methodology's standard                 20%"]
    assert run.lines[8] == ("Scheme rs-sovet — Совет управляющих «Полезной еды» (sovet): "
                            "net profit × 20%, split equally")
    assert plain(run.lines)[9].startswith("  Rules: share 20% — the methodology; base: net "
                                          "profit — the methodology;")
    assert "  base: net profit       21,986,400.50" in run.lines
    volkov = next(line for line in run.lines if line.startswith("  volkov "))
    assert volkov.split() == ["volkov", "Игорь", "Волков", "1.5", "344,400.00"]


def test_bonus_history_in_russian(kkctl) -> None:
    run = kkctl("bonus", str(RUSSIAN), "--all", "--scheme", "rs-sovet")
    assert run.code == 0, run.err
    lines = plain(run.lines)
    assert lines[0] == "История rs-sovet, суммы в RUB"
    assert lines[1].startswith("  Правила: доля 20 % — методология;")
    head = lines.index(next(line for line in lines if line.startswith("  период ")))
    assert [cell.strip() for cell in lines[head].split("  ") if cell.strip()][:4] == \
        ["период", "база: чистая прибыль", "доля от базы", "перенесённый убыток"]
    # base, part, carried in, taken from deposit, carried out, pool, withheld, released,
    # deposit balance, paid
    assert lines[head + 1].split() == ["2026-q1", "12", "450", "000,00", "2", "490", "000,00",
                                       "0,00", "0,00", "0,00", "2", "490", "000,00", "0,00",
                                       "0,00", "0,00", "2", "490", "000,00"]
    q2, q3 = lines[head + 2].split(), lines[head + 3].split()
    assert q2[:7] == ["2026-q2", "-3", "180", "000,00", "-636", "000,00", "0,00"]
    assert q2[8:10] == ["636", "000,00"]  # the loss carried out of q2 ...
    assert q3[7:9] == ["636", "000,00"]  # ... is carried into q3
    assert lines[head + 4].startswith("  2026-q4         21 986 400,50  4 397 280,10")
    totals = lines.index("Все схемы по периодам")
    assert lines[totals + 1].split() == ["период", "чистая", "прибыль", "выплачено", "всеми",
                                         "схемами", "доля", "чистой", "прибыли"]
    assert lines[totals + 3].split() == ["2026-q2", "-3", "180", "000,00", "194", "500,00",
                                         "—"]
    assert lines[totals + 5].split() == ["2026-q4", "21", "986", "400,50", "5", "420",
                                         "680,10", "24,7", "%"]
    assert lines[totals + 6] == "  (методология: 20 % чистой прибыли — бонус командам)"


def test_bonus_markdown_in_russian(kkctl) -> None:
    run = kkctl("bonus", str(RUSSIAN), "--period", "2026-q4", "-f", "markdown")
    assert run.code == 0, run.err
    lines = plain(run.lines)
    assert lines[0] == "# Период 2026-q4 (1 октября – 31 декабря 2026 г.), суммы в RUB"
    assert lines[2] == "**Все схемы периода**"
    assert lines[6:10] == ["| чистая прибыль | 21 986 400,50 |",
                           "| выплачено всеми схемами | 5 420 680,10 |",
                           "| доля чистой прибыли | 24,7 % |", "| норматив методологии | 20 % |"]
    assert lines[11] == ("## Схема rs-sovet — Совет управляющих «Полезной еды» (sovet): "
                         "чистая прибыль × 20 %, распределение поровну")
    assert lines[13].startswith("_Правила: доля 20 % — методология; база: чистая прибыль — "
                                "методология; распределение поровну — решение компании (`")
    assert lines[13].endswith("kkctl.yaml:202:13`)_")
    assert "| база: чистая прибыль | 21 986 400,50 |" in lines
    deposit = next(line for line in lines if "депозит 25 %" in line)
    assert ("депозит 25 %, выплата через 2 периода — решение компании (`"
            in deposit)
    assert deposit.endswith("механика депозита — правило kkctl, а не методологии_")
    assert "| Андрей Соколов (`sokolov`) | 1 |  | 732 880,01 |" in lines
    assert "| Игорь Волков (`volkov`) | 1,5 |  | 344 400,00 |" in lines


def test_bonus_json_and_csv_stay_machine_readable(kkctl) -> None:
    data = json.loads(kkctl("bonus", str(RUSSIAN), "--period", "2026-q4", "-f", "json").out)
    sovet = data["schemes"][0]
    assert (data["start"], data["end"]) == ("2026-10-01", "2026-12-31")
    assert (sovet["base"], sovet["share"], sovet["split"]) == ("net_profit", "0.20", "equal")
    assert (sovet["base_amount"], sovet["pool"]) == ("21986400.50", "4397280.10")
    kuhnya = next(s for s in data["schemes"] if s["id"] == "rs-kuhnya")
    assert {p["person"]: p["weight"] for p in kuhnya["payouts"]}["volkov"] == "1.5"
    assert [r["origin"] for r in sovet["rules"]] == ["methodology", "methodology", "company",
                                                     "company"]
    assert data["total"] == {"paid": "5420680.10", "net_profit": "21986400.50",
                             "share_of_net_profit": "0.2465", "methodology_share": "0.20",
                             "cap": None, "over_cap": False}
    # a Russian organisation's CSV is for a Russian spreadsheet: ';', decimal comma, BOM
    text = kkctl("bonus", str(RUSSIAN), "--period", "2026-q4", "-f", "csv").out
    assert text.startswith("\ufeffпериод;сотрудник;имя;схема;сумма;валюта\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[1][-2:] == ["732880,01", "RUB"]
    rows = list(csv.reader(io.StringIO(kkctl("bonus", str(RUSSIAN), "--period", "2026-q4", "-f",
                                             "csv", "--csv-dialect", "en").out)))
    assert rows[0][0] == "period" and rows[1][-2:] == ["732880.01", "RUB"]


def test_money_reads_the_same_in_bonus_and_diff(kkctl, tmp_path: Path) -> None:
    """The pool of a period as bonus's table and diff's Markdown column show it (i18n.amount),
    and as diff's sentence shows it (i18n.money): the same digits and separators."""
    from kkctl import i18n

    pool = 439728010
    bonus = plain(kkctl("bonus", str(RUSSIAN), "--period", "2026-q4").lines)
    assert f"  пул                         {i18n.amount(pool, 'RUB', 'ru')}".replace(NB, " ") \
        in bonus
    assert i18n.money(pool, "RUB", "ru") == f"4{NB}397{NB}280,10{NB}₽"
    assert i18n.money(pool, "RUB", "en") == f"RUB{NB}4,397,280.10"
