"""What a keyless, public listing may show of a case: pure functions, no database.

Open311's ``GET requests`` answers anyone. A resident who reports a pothole did not agree to
publish their name, phone or house, so everything that leaves through it passes here first:

- coordinates are snapped to a grid (default 0.002°, about 220 m north–south and 200 m
  east–west at the Gulf's latitudes), so a report shows the block, not the door;
- an address keeps only its coarse end (the area and city: "Way 3021, Al Khuwair, Muscat"
  → "Al Khuwair, Muscat"); an address of one part (a free text, an ``address_id``) is withheld,
  because nothing in it says which part is coarse;
- a text loses e-mail addresses, every run of six or more digits (phone numbers in any
  spacing, Qatari and Omani identity numbers, account and plate numbers; Arabic-Indic digits
  too), the resident's contact values and each word of the resident's name (with the Arabic
  one-letter prefixes و ف ب ل ك attached).

Scrubbing is a net, not a proof: a name the text spells differently than the case file (another
script, a nickname) goes through. That is why texts are published only for services whose
policy says so (``Service.open311_publish_text``), and only for issues in public space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal

REMOVED = "[…]"
# Separators people put inside a number: spaces, dashes, dots, slashes, brackets, and the
# invisible direction marks an Arabic keyboard inserts around Latin digits.
_SEP = r"[\s\-./()\u200e\u200f\u202a-\u202e\u2066-\u2069]"
_LONG_NUMBER = re.compile(rf"\+?\d(?:{_SEP}*\d){{5,}}")
_EMAIL = re.compile(r"[^\s@<>()\[\]{},;:\"']+@[^\s@<>()\[\]{},;:\"']+")
_ADDRESS_PARTS = re.compile(r"\s*[,،;\n]\s*")
# Arabic conjunctions and prepositions written joined to the next word ("وسالم", "لمريم").
_PROCLITIC = "[وفبلك]{0,2}"
_MIN_NAME_WORD = 3


def coarse_coordinate(value: Decimal | float | None, *, grid: Decimal) -> float | None:
    """``value`` snapped to the nearest multiple of ``grid`` degrees."""
    if value is None:
        return None
    cells = (Decimal(str(value)) / grid).to_integral_value(rounding=ROUND_HALF_EVEN)
    snapped = cells * grid
    return float(round(snapped, max(0, -grid.as_tuple().exponent)))


def coarse_address(
    address: str, *, names: Iterable[str] = (), values: Iterable[str] = (), keep: int = 2
) -> str | None:
    """The last ``keep`` parts of an address of several parts, without its first (most
    precise) part, scrubbed; ``None`` for an address of one part."""
    parts = [p for p in _ADDRESS_PARTS.split(address.strip()) if p]
    if len(parts) < 2:
        return None
    coarse = ", ".join(parts[1:][-keep:])
    return scrub(coarse, names=names, values=values) or None


def _name_words(names: Iterable[str]) -> list[str]:
    words = set()
    for name in names:
        for word in re.split(r"[\s\-_.,]+", name or ""):
            if len(word) >= _MIN_NAME_WORD:
                words.add(word)
    # Longest first, so "البلوشي" goes before a shorter word it contains.
    return sorted(words, key=len, reverse=True)


def scrub(text: str, *, names: Iterable[str] = (), values: Iterable[str] = ()) -> str:
    """``text`` without e-mail addresses, long numbers, the given contact ``values`` and the
    words of the given ``names``; each removal becomes ``[…]``."""
    if not text:
        return ""
    for value in sorted({v for v in values if v and len(v) >= _MIN_NAME_WORD}, key=len)[::-1]:
        text = re.sub(re.escape(value), REMOVED, text, flags=re.IGNORECASE)
    text = _EMAIL.sub(REMOVED, text)
    text = _LONG_NUMBER.sub(REMOVED, text)
    for word in _name_words(names):
        pattern = rf"(?<!\w){_PROCLITIC}{re.escape(word)}(?!\w)"
        text = re.sub(pattern, REMOVED, text, flags=re.IGNORECASE)
    return text.strip()
