"""The locale layer: which language, and how counts, numbers, money, percentages and dates
read in it. Every command and every output asks here, so a figure looks the same wherever
kkctl prints it.

Plural rules and number, currency, percent and date formats come from CLDR through Babel;
words come from kkctl's own catalogue (:mod:`kkctl.messages`). Babel is imported on first
use, so commands that print no figure do not pay for it.
"""

from __future__ import annotations

import os
from functools import cache, lru_cache

TYPE_CHECKING = False  # no typing at run time: this module is on every start-up
if TYPE_CHECKING:  # imported where used: a count printed by validate needs neither
    import datetime as dt
    from decimal import Decimal
    from typing import Any

LANGS = ("en", "ru")
DEFAULT = "en"


def choose(explicit: str | None, org_locale: str | None) -> str:
    """The language of a run, the same way everywhere: ``--lang``, then the organisation's
    ``locale``, then ``KKCTL_LANG``, then ``LC_ALL``/``LC_MESSAGES``/``LANG``, then English."""
    for candidate in (explicit, org_locale, os.environ.get("KKCTL_LANG")):
        lang = _language_of(candidate)
        if lang is not None:
            return lang
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:  # the first one set decides, as in POSIX
            return _language_of(value) or DEFAULT
    return DEFAULT


_LOADED: list[str | None] = [None]


def remember(org_locale: str | None) -> None:
    """The locale of the organisation this run loaded: a message printed after the command
    gave up (a usage error) still speaks the organisation's language."""
    _LOADED[0] = org_locale


def loaded_locale() -> str | None:
    return _LOADED[0]


def _language_of(value: str | None) -> str | None:
    """``ru``, ``ru_RU.UTF-8``, ``ru-RU`` -> ``ru``; anything kkctl does not speak -> None."""
    if not value:
        return None
    head = value.replace("-", "_").split(".")[0].split("_")[0].lower()
    return head if head in LANGS else None


@cache
def _locale(lang: str) -> Any:
    from babel import Locale

    return Locale.parse(lang)


def plural_category(count: int | Decimal, lang: str) -> str:
    """CLDR's plural category of ``count``: ``one``, ``few``, ``many`` or ``other``."""
    if isinstance(count, int) and lang in ("en", "ru"):  # "6 files" without loading CLDR
        return _integer_category(abs(count), lang)
    return str(_locale(lang).plural_form(abs(count)))


def _integer_category(n: int, lang: str) -> str:
    """CLDR's rules for a whole number, written out: loading Babel's data for "no problems
    in 6 files" took half of a small ``validate`` (tests/test_startup.py checks them against
    Babel)."""
    if lang == "en":
        return "one" if n == 1 else "other"
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


# The categories a language's word forms are listed in, in catalogue order.
CATEGORIES = {"en": ("one", "other"), "ru": ("one", "few", "many")}


def plural_form(count: int | Decimal, forms: tuple[str, ...] | list[str], lang: str) -> str:
    """The form of a word for ``count``; ``forms`` in the order of :data:`CATEGORIES`
    (Russian: ``файл|файла|файлов``; English: ``file|files``). Fractions take ``other``,
    which Russian writes like ``few`` (``1,5 файла``)."""
    category = plural_category(count, lang)
    order = CATEGORIES[lang]
    if category in order:
        return forms[order.index(category)]
    return forms[1] if lang == "ru" else forms[-1]


def number(value: Decimal | int | float | str, lang: str, places: int | None = None) -> str:
    """``1 234 567,89`` (ru) or ``1,234,567.89`` (en); exactly the digits given (a Decimal
    is never rounded through a float), ``places`` fixes the decimals."""
    if type(value) is int and places is None and lang in _GROUP:  # counts: no Babel data
        return f"{value:,}".replace(",", _GROUP[lang])
    from decimal import Decimal

    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if places is not None:
        amount = amount.quantize(Decimal(1).scaleb(-places))
    if amount == 0:
        amount = abs(amount)  # never "-0"
    exponent = amount.as_tuple().exponent
    digits = max(-exponent, 0) if isinstance(exponent, int) else 0
    return _format_number(amount, digits, lang)


# CLDR's group separators (a no-break space in Russian), for whole numbers written without
# Babel; tests/test_startup.py checks them against Babel.
_GROUP = {"en": ",", "ru": "\u00a0"}


@lru_cache(maxsize=4096)
def _format_number(amount: Decimal, digits: int, lang: str) -> str:
    """Babel's formatting, remembered: a report of 10,000 teams prints the same targets and
    readings thousands of times."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(amount, format=pattern, locale=_locale(lang),
                              decimal_quantization=False))


@lru_cache(maxsize=4096)  # the same amounts recur in big reports
def money(units: int, currency: str, lang: str) -> str:
    """An amount in minor units, with the currency's decimals and sign as the language writes
    it: ``21 986 400,50 ₽`` (ru), ``RUB 21,986,400.50`` / ``€21,986,400.50`` (en)."""
    from babel.numbers import format_currency

    from kkctl.currency import exponent, from_minor

    amount = from_minor(units, currency)
    pattern = _currency_pattern(currency, lang, exponent(currency))
    return str(format_currency(amount, currency, format=pattern, locale=_locale(lang),
                               currency_digits=False, decimal_quantization=False))


def _currency_pattern(currency: str, lang: str, places: int) -> str:
    """CLDR's pattern for the language, with CLDR's currency spacing (which Babel does not
    apply): a letter symbol such as ``RUB`` stands apart from the digits."""
    from babel.numbers import get_currency_symbol

    fraction = "." + "0" * places if places else ""
    if lang == "ru":
        return f"#,##0{fraction}\u00a0¤"
    gap = "\u00a0" if get_currency_symbol(currency, locale=_locale(lang)).isalpha() else ""
    return f"¤{gap}#,##0{fraction}"


def amount(units: int, currency: str, lang: str) -> str:
    """An amount without the currency sign (a table column that names the currency once)."""
    from kkctl.currency import exponent, from_minor

    return number(from_minor(units, currency), lang, exponent(currency))


def percent(share: Decimal | int | str, lang: str, places: int | None = None) -> str:
    """``0.2`` -> ``20 %`` (ru) or ``20%`` (en); ``places`` decimals at most (default: as
    many as the share has, so ``0.123456`` shows as ``12.3456%``, never rounded)."""
    from decimal import Decimal

    from babel.numbers import format_percent

    value = share if isinstance(share, Decimal) else Decimal(str(share))
    if places is None:
        exponent = value.as_tuple().exponent
        places = max(-exponent - 2, 0) if isinstance(exponent, int) else 0
    pattern = "#,##0" + ("." + "#" * places if places else "") + "%"
    text = str(format_percent(value, format=pattern, locale=_locale(lang)))
    return text.replace("%", "\u00a0%") if lang == "ru" and "\u00a0%" not in text else text


def date(value: dt.date | None, lang: str, form: str = "long") -> str:
    """``1 июля 2026 г.`` / ``July 1, 2026`` (long), ``01.07.2026`` / ``Jul 1, 2026``
    (medium), ``—`` for no date."""
    if value is None:
        return "—"
    from babel.dates import format_date

    return str(format_date(value, format=form, locale=_locale(lang)))


def date_range(start: dt.date | None, end: dt.date | None, lang: str) -> str:
    """A period's dates: ``1 июля – 30 сентября 2026 г.`` / ``July 1 – September 30, 2026``
    (the year once when both dates share it)."""
    if start is None or end is None or start.year != end.year:
        return f"{date(start, lang)} – {date(end, lang)}"
    from babel.dates import format_date

    pattern = "d MMMM" if lang == "ru" else "MMMM d"
    return f"{format_date(start, format=pattern, locale=_locale(lang))} – {date(end, lang)}"
