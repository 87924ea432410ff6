"""Citizen ID numbers (GB 11643-1999): check character, birth date, sex."""

from __future__ import annotations

import datetime as dt

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def normalize(value: str) -> str:
    return (value or "").strip().upper()


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def birth_date_of(value: str) -> dt.date | None:
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def sex_code_of(value: str) -> str:
    """GB/T 2261.1 code: an odd sequence digit is male (1), even is female (2)."""
    return "1" if int(value[16]) % 2 else "2"


def problems(value: str, *, birth_date: dt.date | None, sex_code: str | None) -> list[str]:
    """English messages (translated by the caller) for every way the number is wrong."""
    from django.utils.translation import gettext as _

    value = normalize(value)
    well_formed = len(value) == 18 and value[:17].isdigit() and value[17] in "0123456789X"
    if not well_formed:
        return [_("An ID number has 18 characters: 17 digits and a digit or X.")]
    if check_char(value[:17]) != value[17]:
        return [_("The ID number's check character is wrong; please check the number.")]
    found = []
    born = birth_date_of(value)
    if born is None:
        found.append(_("The ID number does not contain a valid birth date."))
    elif birth_date and born != birth_date:
        found.append(
            _("The birth date in the ID number (%(id)s) differs from the birth date entered "
              "(%(entered)s).") % {"id": born.isoformat(), "entered": birth_date.isoformat()}
        )
    if sex_code in ("1", "2") and sex_code_of(value) != sex_code:
        found.append(_("The sex in the ID number differs from the sex entered."))
    return found


def make(prefix6: str, born: dt.date, sequence: int) -> str:
    """Build a valid number (used by the demo and tests)."""
    first17 = f"{prefix6}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
