"""Minor units of currencies (ISO 4217 exponents) and exact rounding."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 minor-unit exponents where they differ from 2.
_EXPONENTS = {
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}
SYMBOLS = {"RUB": "₽", "EUR": "€", "USD": "$", "GBP": "£"}


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency.upper(), 2)


def to_minor(amount: Decimal, currency: str) -> int:
    """Round to the currency's minor unit, half away from zero (commercial rounding)."""
    return round_units(amount.scaleb(exponent(currency)))


def round_units(units: Decimal) -> int:
    """A number of minor units, rounded half away from zero to a whole one."""
    return int(units.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def is_exact(amount: Decimal, currency: str) -> bool:
    """True when the amount needs no rounding to the currency's minor unit."""
    return amount.scaleb(exponent(currency)) == amount.scaleb(exponent(currency)).to_integral()


def from_minor(units: int, currency: str) -> Decimal:
    exp = exponent(currency)
    return Decimal(units).scaleb(-exp).quantize(Decimal(1).scaleb(-exp))


def format_amount(units: int, currency: str, decimal_comma: bool = False) -> str:
    """``1234567`` kopecks -> ``12345.67`` for programs (people get :mod:`kkctl.i18n`)."""
    text = str(from_minor(units, currency))
    if decimal_comma:
        text = text.replace(".", ",")
    return text
