"""Click parameter types shared by the commands."""

from __future__ import annotations

import math

import click

__all__ = ["FiniteFloat"]


class FiniteFloat(click.FloatRange):
    """A float within a range that is also finite: ``nan`` and ``inf`` are refused (a
    plain FloatRange lets NaN through, as every comparison with NaN is false)."""

    name = "finite float"

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number
