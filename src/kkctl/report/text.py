"""Text for the report: Mermaid labels, numbers, money and dates per language."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from kkctl.markup import INVISIBLE

_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_MERMAID_UNSAFE = re.compile(r"[^\w\s.,:!?()«»'’/+%№-]")

MONTHS_RU = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря")


def mermaid_label(text: object, limit: int = 60) -> str:
    """A user string safe inside a quoted Mermaid label: no quotes, brackets, entities."""
    value = _INVISIBLE.sub("", str(text))  # ESC, bidi overrides: gone, not just spaced out
    value = " ".join(_MERMAID_UNSAFE.sub(" ", value).split())
    if len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return value


def mermaid_id(kind: str, ident: str) -> str:
    """A node id that no two entity ids share: ``p-a`` and ``p_a`` stay apart."""
    escaped = re.sub(r"[^A-Za-z0-9]", lambda m: f"_{ord(m.group()):x}_", ident)
    return f"{kind}_{escaped}"

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def number(value: Decimal | int | float, lang: str, places: int | None = None) -> str:
    """``1 234 567,89`` (ru) or ``1,234,567.89`` (en)."""
    amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if places is not None:
        amount = amount.quantize(Decimal(1).scaleb(-places))
    from kkctl.bonus.currency import group_digits

    text = ("-" if amount < 0 else "") + format(abs(amount), "f")  # never "-0"
    return group_digits(text, "\u00a0", ",") if lang == "ru" else group_digits(text, ",", ".")


def money(units: int, currency: str, lang: str) -> str:
    from kkctl.bonus.currency import SYMBOLS, exponent, from_minor

    amount = number(from_minor(units, currency), lang, exponent(currency))
    if lang == "ru":
        return f"{amount}\u00a0{SYMBOLS.get(currency, currency)}"
    return f"{amount} {currency}"


def date(value: dt.date | None, lang: str) -> str:
    if value is None:
        return "—"
    if lang == "ru":
        return f"{value.day} {MONTHS_RU[value.month - 1]} {value.year}"
    return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[Decimal]) -> str:
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARKS[3] * len(values)
    span = high - low
    return "".join(SPARKS[int((v - low) / span * (len(SPARKS) - 1))] for v in values)
