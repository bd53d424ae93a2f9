"""What ``kkctl bonus`` is asked for: kept apart from the computation, so the command line
can look a re-run up in the result cache before it imports any of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kkctl.loader import Options


@dataclass
class BonusRequest:
    period: str | None = None  # default: the latest period
    schemes: list[str] | None = None  # None: every scheme
    all_periods: bool = False
    verify: bool = False
    lang: str | None = None
    options: Options = field(default_factory=Options)
    fmt: str = "table"  # table | json | csv | csv-pools | csv-totals | markdown | xlsx
    csv_dialect: str | None = None  # ru | en; None: the statement's language
    decimal_comma: bool = False  # CSV: force ';' and the decimal comma
    bom: bool = False  # CSV: force the byte-order mark
    out: Path | None = None  # where the statement goes (None: standard output)

    def key(self) -> tuple[object, ...]:
        """Everything here that changes the answer, for the result cache."""
        return (self.period, self.schemes, self.all_periods, self.verify, self.lang, self.fmt,
                self.csv_dialect, self.decimal_comma, self.bom,
                None if self.out is None else str(self.out))
