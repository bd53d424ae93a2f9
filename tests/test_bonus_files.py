"""The accountant's files of `kkctl bonus`, read back as their consumers read them: the CSV
files with Python's csv module in both dialects (BOM, ';', decimal comma), the XLSX workbook
with openpyxl. Each scheme's payouts add up to its pool's paid amount, numbers are numbers,
and a name that looks like a formula stays text."""

from __future__ import annotations

import csv
import io
import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import write_tree

openpyxl = pytest.importorskip("openpyxl")

HEAD = """
kkctl: 1
organisation: {id: co, name: Co, currency: CUR, locale: LOCALE}
people:
  - {id: ann, name: Ann}
  - {id: bob, name: Bob}
  - {id: cid, name: Cid}
  - {id: dan, name: "=HYPERLINK(\\"http://x\\")"}
  - {id: eve, name: "+Eve"}
  - {id: fay, name: Fay}
councils:
  - {id: board, name: Board, kind: company, reward: rs-board,
     members: [{person: fay, role: leader}]}
teams:
  - {id: shop, name: Shop, leader: ann, reward: rs-shop,
     members: [{person: ann, weight: 1.5}, bob, dan]}
  - {id: lab, name: Lab, leader: cid, reward: rs-lab, members: [cid, eve]}
reward_schemes:
  - {id: rs-board, unit: board}
  - {id: rs-shop, unit: shop, split: weights, deposit: {rate: 0.25, release_after: 2}}
  - {id: rs-lab, unit: lab, base: team_profit, share: 0.15}
periods:
  - id: q1
    start: 2026-01-01
    end: 2026-03-31
    net_profit: 1000000.01
    teams: {lab: {income: 300000, expenses: 100000.33}}
  - id: q2
    start: 2026-04-01
    end: 2026-06-30
    net_profit: -200000
    teams: {lab: {income: 10000, expenses: 50000}}
  - id: q3
    start: 2026-07-01
    end: 2026-09-30
    net_profit: 777777.77
    teams: {lab: {income: 400000, expenses: 0}}
"""


def org(tmp_path: Path, locale: str = "en", currency: str = "RUB", extra: str = "") -> Path:
    text = HEAD.replace("LOCALE", locale).replace("CUR", currency) + extra
    return write_tree(tmp_path / f"org-{locale}-{currency}", {"kkctl.yaml": text})


def written(kkctl, project: Path, out: Path, *args: str) -> bytes:  # type: ignore[no-untyped-def]
    run = kkctl("bonus", str(project), "--out", str(out), *args)
    assert run.code == 0, run.err
    assert run.out == ""
    return out.read_bytes()


def read_csv(data: bytes, dialect: str) -> list[dict[str, str]]:
    """As a spreadsheet import would: the BOM, the separator and the decimal comma."""
    if dialect == "ru":
        assert data.startswith(b"\xef\xbb\xbf"), "a Russian CSV starts with a BOM"
    else:
        assert not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text  # RFC 4180 line ends
    reader = csv.DictReader(io.StringIO(text, newline=""),
                            delimiter=";" if dialect == "ru" else ",")
    return list(reader)


def number(text: str, dialect: str) -> Decimal:
    if dialect == "ru":
        assert "." not in text, f"a decimal point in a Russian CSV: {text}"
        text = text.replace(",", ".")
    assert " " not in text and "\u00a0" not in text, f"grouping in {text!r}"
    return Decimal(text)


HEADERS = {
    "en": {"period": "period", "person": "person", "name": "name", "scheme": "scheme",
           "amount": "amount", "paid": "paid out", "pool": "pool",
           "withheld": "withheld to deposit", "released": "released from deposit",
           "base": "base", "share": "share", "carried_in": "loss carried in",
           "carried_out": "loss carried out", "balance": "deposit balance",
           "total": "paid by all schemes", "net": "net profit",
           "total_share": "share of net profit"},
    "ru": {"period": "период", "person": "сотрудник", "name": "имя", "scheme": "схема",
           "amount": "сумма", "paid": "к выплате", "pool": "пул",
           "withheld": "удержано в депозит", "released": "выплачено из депозита",
           "base": "база", "share": "доля", "carried_in": "перенесённый убыток",
           "carried_out": "убыток к переносу", "balance": "остаток депозита",
           "total": "выплачено всеми схемами", "net": "чистая прибыль",
           "total_share": "доля чистой прибыли"},
}


@pytest.mark.parametrize("dialect", ["en", "ru"])
def test_csv_payouts_add_up_to_the_pools_in_both_dialects(kkctl, tmp_path: Path,
                                                          dialect: str) -> None:
    project = org(tmp_path)
    h = HEADERS[dialect]
    people = read_csv(written(kkctl, project, tmp_path / "p.csv", "-f", "csv", "--all",
                              "--csv-dialect", dialect), dialect)
    pools = read_csv(written(kkctl, project, tmp_path / "s.csv", "-f", "csv-pools", "--all",
                             "--csv-dialect", dialect), dialect)
    totals = read_csv(written(kkctl, project, tmp_path / "t.csv", "-f", "csv-totals",
                              "--all", "--csv-dialect", dialect), dialect)
    assert list(people[0]) == [h["period"], h["person"], h["name"], h["scheme"], h["amount"],
                               "currency" if dialect == "en" else "валюта"]
    assert len(pools) == 9 and len(totals) == 3
    for pool in pools:
        paid = number(pool[h["paid"]], dialect)
        assert paid == number(pool[h["pool"]], dialect) - number(pool[h["withheld"]], dialect) \
            + number(pool[h["released"]], dialect)
        parts = [number(p[h["amount"]], dialect) for p in people
                 if (p[h["period"]], p[h["scheme"]]) == (pool[h["period"]], pool[h["scheme"]])]
        assert sum(parts) == paid, pool
        assert all(number(p, dialect).as_tuple().exponent == -2 for p in
                   (pool[h["pool"]], pool[h["paid"]]))  # the currency's decimals
    for total in totals:
        paid = sum(number(p[h["paid"]], dialect) for p in pools
                   if p[h["period"]] == total[h["period"]])
        assert number(total[h["total"]], dialect) == paid
        net = number(total[h["net"]], dialect)
        share = total[h["total_share"]]
        if net > 0:
            assert abs(number(share, dialect) - paid / net) <= Decimal("0.00005")
        else:
            assert share == ""  # no profit to take a share of
    q1 = {p[h["scheme"]]: p for p in pools if p[h["period"]] == "q1"}
    assert number(q1["rs-lab"][h["share"]], dialect) == Decimal("0.15")
    assert q1["rs-lab"][h["base"]] == ("team profit" if dialect == "en" else "прибыль команды")
    assert number(q1["rs-lab"]["base amount" if dialect == "en" else "сумма базы"],
                  dialect) == Decimal("199999.67")
    # the shop's loss in q2 is taken from its deposit; q3 releases what is left
    q2 = next(p for p in pools if (p[h["period"]], p[h["scheme"]]) == ("q2", "rs-shop"))
    assert number(q2[h["balance"]], dialect) == Decimal("10000.00")  # 50,000 − 40,000


def test_formula_like_names_are_neutralised_in_csv(kkctl, tmp_path: Path) -> None:
    rows = read_csv(written(kkctl, org(tmp_path), tmp_path / "p.csv", "-f", "csv"), "en")
    names = {r["person"]: r["name"] for r in rows}
    assert names["dan"] == "'=HYPERLINK(\"http://x\")"
    assert names["eve"] == "'+Eve"
    assert names["ann"] == "Ann"


def test_the_dialect_follows_the_statements_language(kkctl, tmp_path: Path) -> None:
    russian = org(tmp_path, locale="ru")
    data = written(kkctl, russian, tmp_path / "ru.csv", "-f", "csv-pools")
    rows = read_csv(data, "ru")
    assert rows[0]["база"] == "чистая прибыль" and rows[0]["доля"] == "0,20"
    english = read_csv(written(kkctl, russian, tmp_path / "en.csv", "-f", "csv-pools",
                               "--lang", "en"), "en")
    assert english[0]["base"] == "net profit"
    # the older switches still force their part of the dialect
    mixed = written(kkctl, org(tmp_path), tmp_path / "mixed.csv", "-f", "csv",
                    "--decimal-comma", "--bom")
    assert mixed.startswith("\ufeffperiod;person;".encode())


def _sheets(path: Path) -> dict[str, list[list[object]]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book}


def _minor(value: object) -> int:
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    return round(Decimal(repr(value)) * 100)


@pytest.mark.parametrize(("locale", "names"), [
    ("en", ("Pools", "Payouts", "Totals", "Rules")),
    ("ru", ("Пулы", "Выплаты", "Итоги", "Правила")),
])
def test_xlsx_payouts_add_up_and_numbers_are_numbers(kkctl, tmp_path: Path, locale: str,
                                                     names: tuple[str, ...]) -> None:
    target = tmp_path / "bonus.xlsx"
    data = written(kkctl, org(tmp_path, locale=locale), target, "-f", "xlsx", "--all")
    assert data.startswith(b"PK")  # a zip: the workbook
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == list(names)
    pools_ws, payouts_ws = book[names[0]], book[names[1]]
    for ws in book:
        assert ws.freeze_panes == "A2", ws.title  # the header row stays in view
        assert all(cell.font.b for cell in ws[1]), ws.title  # headers bold
        assert ws.auto_filter.ref is not None
        assert all(ws.column_dimensions[c.column_letter].width > 5 for c in ws[1])
    pools = [[c.value for c in row] for row in pools_ws.iter_rows(min_row=2)]
    payouts = [[c.value for c in row] for row in payouts_ws.iter_rows(min_row=2)]
    assert len(pools) == 9
    for pool in pools:
        period, scheme = pool[0], pool[1]
        paid = _minor(pool[16])
        assert paid == _minor(pool[12]) - _minor(pool[13]) + _minor(pool[14])
        parts = [_minor(p[6]) for p in payouts if (p[0], p[1]) == (period, scheme)]
        assert sum(parts) == paid, (period, scheme)
    amount_cells = [row[6] for row in payouts_ws.iter_rows(min_row=2)]
    assert all(c.data_type == "n" and c.number_format == "#,##0.00" for c in amount_cells)
    share = pools_ws.cell(row=2, column=7)
    assert (share.value, share.number_format) == (0.2, "0%")
    weights = {row[2]: row[4] for row in payouts if row[1] == "rs-shop"}
    assert weights == {"ann": 1.5, "bob": 1, "dan": 1}
    totals = _sheets(target)[names[2]]
    assert len(totals) == 4 and totals[1][0] == "q1"
    assert _minor(totals[1][4]) == sum(_minor(p[16]) for p in pools if p[0] == "q1")
    assert totals[2][5] is None  # q2: a loss, no share of it
    assert totals[1][6] == 0.2  # the methodology's standard
    rules = _sheets(target)[names[3]]
    shop_origins = [r[3] for r in rules[1:] if r[0] == "rs-shop"]
    assert len(shop_origins) == 5  # share, base, split, losses, deposit


def test_xlsx_keeps_formula_like_names_as_text(kkctl, tmp_path: Path) -> None:
    target = tmp_path / "bonus.xlsx"
    written(kkctl, org(tmp_path), target, "-f", "xlsx")
    ws = openpyxl.load_workbook(target)["Payouts"]
    cells = {row[2].value: row[3] for row in ws.iter_rows(min_row=2)}
    dan, eve = cells["dan"], cells["eve"]
    assert (dan.value, dan.data_type) == ('=HYPERLINK("http://x")', "s")
    assert dan.quotePrefix  # editing the cell in Excel keeps it text
    assert (eve.value, eve.data_type, eve.quotePrefix) == ("+Eve", "s", True)
    assert not cells["ann"].quotePrefix
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_xlsx_amounts_take_the_currencys_decimals(kkctl, tmp_path: Path) -> None:
    target = tmp_path / "yen.xlsx"
    written(kkctl, org(tmp_path, currency="JPY"), target, "-f", "xlsx")
    ws = openpyxl.load_workbook(target)["Payouts"]
    assert {row[6].number_format for row in ws.iter_rows(min_row=2)} == {"#,##0"}


def test_xlsx_writes_an_amount_no_spreadsheet_number_holds_as_exact_text(
        kkctl, tmp_path: Path) -> None:
    huge = tmp_path / "huge"
    text = HEAD.replace("LOCALE", "en").replace("CUR", "RUB").replace(
        "net_profit: 777777.77", "net_profit: 123456789012345.67")
    write_tree(huge, {"kkctl.yaml": text})
    target = tmp_path / "huge.xlsx"
    written(kkctl, huge, target, "-f", "xlsx")
    pools = openpyxl.load_workbook(target)["Pools"]
    board = next(row for row in pools.iter_rows(min_row=2) if row[1].value == "rs-board")
    assert (board[5].value, board[5].data_type) == ("123456789012345.67", "s")
    assert (board[7].value, board[7].data_type) == ("24691357802469.13", "s")


def test_xlsx_needs_out_and_never_goes_to_a_terminal(kkctl, tmp_path: Path) -> None:
    project = org(tmp_path)
    run = kkctl("bonus", str(project), "-f", "xlsx")
    assert (run.code, run.out) == (2, "")
    assert "give --out FILE.xlsx" in run.err
    russian = kkctl("bonus", str(org(tmp_path, locale="ru")), "-f", "xlsx",
                    env={"KKCTL_LANG": ""})
    assert russian.code == 2 and "укажите --out ФАЙЛ.xlsx" in russian.err
    if os.path.exists("/dev/null"):  # not a regular file: refused, as every --out is
        device = kkctl("bonus", str(project), "-f", "xlsx", "--out", "/dev/null")
        assert device.code == 2 and "not a regular file" in device.err


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes and links")
def test_files_are_written_atomically_keeping_mode_and_links(kkctl, tmp_path: Path) -> None:
    project = org(tmp_path)
    target = tmp_path / "real.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    link = tmp_path / "link.xlsx"
    link.symlink_to(target.name)
    run = kkctl("bonus", str(project), "-f", "xlsx", "--out", str(link), cwd=tmp_path)
    assert run.code == 0, run.err
    assert link.is_symlink() and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert openpyxl.load_workbook(target).sheetnames[0] == "Pools"
    csv_target = tmp_path / "pools.csv"
    csv_target.write_text("old")
    csv_target.chmod(0o600)
    run = kkctl("bonus", str(project), "-f", "csv-pools", "--out", str(csv_target),
                cwd=tmp_path)
    assert run.code == 0 and stat.S_IMODE(csv_target.stat().st_mode) == 0o600
    assert csv_target.read_text(encoding="utf-8").startswith("period,scheme,")


def test_the_statement_and_json_show_the_total_against_net_profit_and_the_cap(
        kkctl, tmp_path: Path) -> None:
    import json

    capped = org(tmp_path, extra="bonus: {cap: 0.30}\n")
    run = kkctl("bonus", str(capped), "--period", "q1")
    assert run.code == 0, run.err
    assert "KK311" in run.err  # over the cap: a warning beside the statement
    lines = run.lines
    at = lines.index("All schemes of the period")
    assert [line.split("  ")[1] for line in lines[at + 1:at + 6]] == [
        "net profit", "paid by all schemes", "share of net profit",
        "the methodology's standard", "the company's cap (bonus.cap)"]
    assert lines[at + 3].endswith("% (over the cap)")
    assert lines[at + 4].endswith(" 20%") and lines[at + 5].endswith(" 30%")
    data = json.loads(kkctl("bonus", str(capped), "--period", "q1", "-f", "json").out)
    total = data["total"]
    assert Decimal(total["cap"]) == Decimal("0.30")
    assert (total["methodology_share"], total["over_cap"]) == ("0.20", True)
    assert Decimal(total["paid"]) == sum(Decimal(s["paid"]) for s in data["schemes"])
    assert data["schemes"][1]["rules"][-1] == {
        "setting": "deposit", "value": "0.25/2", "origin": "company",
        "where": data["schemes"][1]["rules"][-1]["where"]}
    assert data["schemes"][1]["rules"][-1]["where"].endswith("kkctl.yaml:19:56")
    markdown = kkctl("bonus", str(capped), "--period", "q1", "-f", "markdown").out
    assert "| the company's cap (bonus.cap) | 30% |" in markdown
    assert "| base: team profit | 199,999.67 |" in markdown
