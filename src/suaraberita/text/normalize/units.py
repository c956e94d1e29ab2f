"""Units of measure (``data/units.tsv``).

Policy: a unit is spelled out only after a number, or after "per" and "/": "3 km" ->
"3 kilometer", "per kg" -> "per kilogram".
"""

from __future__ import annotations

import functools
import re

from suaraberita.text.normalize.common import _alternation, _units


@functools.cache
def _units_re() -> re.Pattern[str]:
    units = _alternation(_units())
    # after "/" only when a number or a unit comes before it ("km/jam", "Rp5.000/kg"): in
    # "TRIBUNNEWS.COM/HA..." the "HA" is no hectare
    return re.compile(rf"(?:(?<=[0-9])\s?|(?<=\bper\s)|(?<=[0-9a-z]/))(?P<unit>{units})(?![\w°])")


def expand_units(text: str) -> str:
    """Units of measure after a number (or after "per" and "/"): "3 km" -> "3 kilometer".

    >>> expand_units("3 km, 25°C, 5,2% dan 40 km/jam, Rp 5.000 per kg")
    '3 kilometer, 25 derajat Celsius, 5,2 persen dan 40 kilometer per jam, Rp 5.000 per kilogram'
    """
    return _units_re().sub(lambda m: " " + _units()[m["unit"]], text).replace("  ", " ")
