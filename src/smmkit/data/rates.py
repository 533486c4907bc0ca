"""The course's fixed exchange rates, in tenge per unit: one place for the data generators, lessons and checks.

An assumption of the course (the late-2025 level), not a market quote: the ad datasets were built with them, the
media kits priced in dollars use them, and assignments convert cabinet spend with them. This module imports
nothing, so a notebook's setup cell can read it without loading the generators.

>>> RATES["USD"], RATES["EUR"], RATES["KZT"]
(505, 545, 1)
"""

from __future__ import annotations

USD_KZT = 505
"""Tenge per US dollar."""
EUR_KZT = 545
"""Tenge per euro."""
RATES: dict[str, int] = {"USD": USD_KZT, "EUR": EUR_KZT, "KZT": 1}
"""Tenge per unit of each currency the course's cabinets bill in."""
