"""The accountant's workbook, written with XlsxWriter: sheets of typed cells a spreadsheet sums.

* Amounts are numbers, formatted with the currency's decimals (``#,##0.00`` for roubles);
  an amount of more than 15 significant digits, which no spreadsheet number holds exactly,
  is written as its exact text instead of a silently rounded number.
* Shares are numbers formatted as percentages; dates are dates; weights and days numbers.
* Text is always written as text (``write_string``; the workbook is opened with
  ``strings_to_formulas``, ``strings_to_urls`` and ``strings_to_numbers`` off), so a name
  such as ``=HYPERLINK(...)`` stays a name. One that starts like a formula (``= + - @``, tab,
  carriage return) also gets Excel's quote prefix, so editing the cell keeps it text.
* Headers are bold, the header row is frozen and filtered, columns are sized to their
  contents.

XlsxWriter is imported only when a workbook is written.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# A text cell starting with one of these is a formula to a spreadsheet (OWASP CSV injection).
FORMULA_START = "=+-@\t\r"
EXACT_DIGITS = 15  # the significant digits a spreadsheet number (an IEEE double) keeps
_MAX_WIDTH = 60


@dataclass
class Sheet:
    """A sheet: its name, column headers, each column's kind, and the rows.

    Kinds: ``text``; ``money`` (a Decimal amount); ``share`` and ``percent`` (a Decimal
    fraction shown as a percentage); ``number``; ``integer``; ``date``. ``None`` is an
    empty cell."""

    name: str
    headers: list[str]
    kinds: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def workbook(sheets: list[Sheet], places: int, lang: str) -> bytes:
    """The sheets as an XLSX file; amounts with ``places`` decimals, dates as ``lang``
    writes them."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {
        "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False})
    book.set_properties({"creator": "kkctl"})
    date = "dd.mm.yyyy" if lang == "ru" else "yyyy-mm-dd"
    formats = {
        "header": book.add_format({"bold": True, "bottom": 1}),
        "quoted": book.add_format({"quote_prefix": True}),
        "exact": book.add_format({"align": "right"}),
        "money": book.add_format({"num_format": "#,##0" + ("." + "0" * places if places
                                                           else "")}),
        "date": book.add_format({"num_format": date}),
        "integer": book.add_format({"num_format": "0"}),
        "number": None,
    }
    percents: dict[str, Any] = {}
    for sheet in sheets:
        page = book.add_worksheet(sheet.name)
        widths = [len(h) + 2 for h in sheet.headers]
        for col, text in enumerate(sheet.headers):
            page.write_string(0, col, text, formats["header"])
        for col, kind in enumerate(sheet.kinds):
            if kind in ("share", "percent"):
                pattern = _percent_format(sheet, col)
                if pattern not in percents:
                    percents[pattern] = book.add_format({"num_format": pattern})
                formats[f"percent{col}"] = percents[pattern]
        for row, values in enumerate(sheet.rows, start=1):
            for col, (value, kind) in enumerate(zip(values, sheet.kinds, strict=True)):
                if value is None or value == "":
                    continue
                shown = _write(page, row, col, value, kind, formats)
                if shown > widths[col]:
                    widths[col] = shown
        for col, width in enumerate(widths):
            page.set_column(col, col, min(width + 1, _MAX_WIDTH))
        page.freeze_panes(1, 0)
        page.autofilter(0, 0, max(len(sheet.rows), 1), len(sheet.headers) - 1)
    book.close()
    return buffer.getvalue()


def _write(page: Any, row: int, col: int, value: Any, kind: str,
           formats: dict[str, Any]) -> int:
    """Write one cell as its kind; return its width in characters."""
    if kind == "text":
        text = str(value)
        page.write_string(row, col, text,
                          formats["quoted"] if text[:1] in FORMULA_START else None)
        return len(text)
    if kind == "date":
        assert isinstance(value, dt.date)
        page.write_datetime(row, col, value, formats["date"])
        return 10
    number = value if isinstance(value, Decimal) else Decimal(value)
    if kind == "money":
        digits = len(number.as_tuple().digits)
        if digits > EXACT_DIGITS:  # no double holds it exactly: its exact text instead
            text = format(number, "f")
            page.write_string(row, col, text, formats["exact"])
            return len(text)
        page.write_number(row, col, float(number), formats["money"])
        return digits + digits // 3 + 2  # grouping, sign and decimal separator
    if kind in ("share", "percent"):
        page.write_number(row, col, float(number), formats[f"percent{col}"])
        return len(format(number * 100, "f")) + 2
    page.write_number(row, col, float(number), formats[kind])
    return len(format(number.normalize(), "f"))


def _percent_format(sheet: Sheet, col: int) -> str:
    """``0%``, or ``0.0%``, ``0.00%``…: as many decimals as the column's shares have."""
    if sheet.kinds[col] not in ("share", "percent"):
        return "0%"
    places = 0
    for row in sheet.rows:
        value = row[col]
        if isinstance(value, Decimal):
            exp = value.normalize().as_tuple().exponent
            if isinstance(exp, int):
                places = max(places, -exp - 2)
    return "0" + ("." + "0" * places if places else "") + "%"
