"""Split an amount of minor units into parts proportional to weights, exactly.

Largest remainder (Hamilton) method: every part first gets the whole minor units of its exact
share; the minor units left over (fewer than the number of parts) go one each to the parts
with the largest fractional remainders. Ties are broken by the larger weight, then by the
smaller key (person id, in code-point order), so the same input always gives the same split.
The parts always add up to the total, and each is within one minor unit of its exact share.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction


def largest_remainder(total: int, weights: Mapping[str, Decimal | int]) -> dict[str, int]:
    """``total`` minor units split by ``weights`` (non-negative); keys with weight 0 get 0.

    Raises ``ValueError`` for a negative total or weight, or when every weight is 0 and the
    total is not.
    """
    if total < 0:
        raise ValueError("cannot split a negative amount")
    exact = {key: Fraction(w) for key, w in weights.items()}
    if any(w < 0 for w in exact.values()):
        raise ValueError("weights must not be negative")
    whole = sum(exact.values(), Fraction(0))
    if whole == 0:
        if total:
            raise ValueError("nobody to split among: every weight is 0")
        return dict.fromkeys(weights, 0)
    parts: dict[str, int] = {}
    remainders: list[tuple[Fraction, Fraction, str]] = []
    for key, weight in exact.items():
        share = total * weight / whole
        parts[key] = share.numerator // share.denominator
        remainders.append((share - parts[key], weight, key))
    left = total - sum(parts.values())
    # Largest remainder first; then larger weight; then smaller key.
    remainders.sort(key=lambda item: (-item[0], -item[1], item[2]))
    for _, _, key in remainders[:left]:
        parts[key] += 1
    return parts
