"""Anonymous ballots, written once for every app that lets people vote without a trace.

The design is assessment's (docs/assessment.md, "Anonymity of ballots"), moved into the kit
so that lecture scoring (ability) and the assessment plans share one implementation:

- **Tallies, not ballots.** A ballot adds its score to a running tally (sum and count) in
  place; no row ever holds one voter's score. An app's tally model subclasses
  ``TallyBase``; its rows are created with zeros before anyone votes (``tallies_create``
  is the app's, since only it knows the cells), so their keys and their place on disk
  follow nothing about the votes.
- **Two transactions.** ``cast`` writes the "has voted" mark (a ``Voted`` row, or a spent
  one-time code, with its audit entry) in one committed transaction and the scores in
  another, so no transaction id joins the voter to the values; if counting fails, the
  mark is taken back in a third transaction and the voter may vote again.
- **One-time codes** for voters without an account: only their SHA-256 hash is kept
  (``CodeBase``), a code is spent on use, and no tally points to a code.

This module holds no user-facing text: the apps word their own messages.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import TypeVar

from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.db.models import Case, DecimalField, F, Q, Value, When

# A group's mean is shown on its own only from this many ballots: with fewer, the figure
# would come too close to one voter's score (it still counts in the total).
MIN_BALLOTS_SHOWN = 3

# Codes are printed and typed on a phone: no 0/O, 1/I.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
MAX_CODES = 500  # at a time

T = TypeVar("T")


class TallyBase(models.Model):
    """The running sum and count of the ballots of one cell (whatever the app's key)."""

    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def mean(self) -> Decimal | None:
        return mean(self.total, self.count)


class CodeBase(models.Model):
    """A one-time voting code; only its SHA-256 hash is stored, and it is spent on use."""

    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        abstract = True

    def __str__(self):
        return self.code_hash[:8]

    @staticmethod
    def hash_of(code: str) -> str:
        return code_hash(code)


def code_hash(code: str) -> str:
    """The stored form of a code as typed (case and surrounding spaces ignored)."""
    return hashlib.sha256((code or "").strip().upper().encode()).hexdigest()


def codes_valid_count(count) -> bool:
    return isinstance(count, int) and not isinstance(count, bool) and 1 <= count <= MAX_CODES


def codes_new(count: int) -> list[str]:
    """``count`` fresh random codes (the caller checks ``codes_valid_count`` first, with its
    own message); they are shown once, to be printed, and stored only as hashes."""
    if not codes_valid_count(count):
        raise ValueError(f"between 1 and {MAX_CODES} codes at a time")
    return ["".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            for _ in range(count)]


def code_row(codes: models.QuerySet, code: str):
    """The row of a typed code among ``codes``, locked when inside a transaction (None when
    there is none). The caller says why it admits nobody (unknown, spent)."""
    qs = codes.select_for_update() if transaction.get_connection().in_atomic_block else codes
    return qs.filter(code_hash=code_hash(code)).first()


# Wrong codes from one client: after this many within the window every further try is
# refused until the window has passed, so that nobody finds a valid code by trying many
# (a code's space is large, but a page without login has no account to lock).
WRONG_CODES_ALLOWED = 10
WRONG_CODES_WINDOW = 15 * 60  # seconds


def _wrong_key(scope: str, client: str) -> str:
    return f"zg:wrong-codes:{scope}:{client}"


def code_locked(scope: str, client: str) -> bool:
    """Whether ``client`` (an address) typed too many wrong codes on ``scope`` (a page)."""
    return (cache.get(_wrong_key(scope, client)) or 0) >= WRONG_CODES_ALLOWED


def code_wrong(scope: str, client: str) -> None:
    """Count one wrong (unknown or spent) code typed by ``client`` on ``scope``."""
    key = _wrong_key(scope, client)
    cache.add(key, 0, WRONG_CODES_WINDOW)  # the window starts at the first wrong code
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, WRONG_CODES_WINDOW)


def cast(*, mark: Callable[[], T], count: Callable[[], None],
         undo: Callable[[T], None], duplicate: Callable[[], Exception] | None = None) -> T:
    """Cast one anonymous ballot (or sheet of ballots) in two committed transactions.

    ``mark()`` writes who voted (a ``Voted`` row or a spent code, and its audit entry saying
    only that) and returns what ``undo`` needs; it may raise to refuse the ballot. A unique
    constraint it trips (a second ballot racing the first) becomes ``duplicate()``.
    ``count()`` then adds the scores to the tallies (``add_to_tallies``). If counting fails,
    ``undo(marked)`` takes the mark back in a third transaction, so that no vote is lost or
    counted twice, and the error goes on. ``durable=True``: none of this may run inside a
    caller's transaction, which would join the mark and the values after all."""
    try:
        with transaction.atomic(durable=True):
            marked = mark()
    except IntegrityError as exc:
        if duplicate is None:
            raise
        raise duplicate() from exc
    try:
        count()
    except Exception:
        with transaction.atomic(durable=True):
            undo(marked)
        raise
    return marked


def add_to_tallies(tallies: models.QuerySet, cells: dict[Hashable, Decimal],
                   key: tuple[str, ...], *, create_missing: Callable[[], None] | None = None
                   ) -> int:
    """Add each score of a ballot to its tally and one to its count, in one UPDATE.

    ``tallies`` is a queryset covering the ballot's cells; ``key`` names the fields whose
    values (a tuple, or the value alone for one field) are the keys of ``cells``. The rows
    are locked in key order (so two ballots never deadlock) and changed in place, so
    concurrent ballots are all counted and no row is written per voter. When some cells
    have no tally yet, ``create_missing()`` is called once (in this transaction) and the
    rows are read again. Returns the number of tallies changed."""
    if not cells:
        return 0

    def cell(values: tuple) -> Hashable:
        return values[0] if len(key) == 1 else tuple(values)

    with transaction.atomic(durable=True):
        def locked() -> dict:
            found = {}
            for pk, *values in tallies.select_for_update().order_by("pk").values_list(
                    "pk", *key):
                if cell(values) in cells:
                    found[cell(values)] = pk
            return found

        found = locked()
        if len(found) < len(cells) and create_missing is not None:
            create_missing()
            found = locked()
        if not found:
            return 0
        return tallies.model.objects.filter(pk__in=list(found.values())).update(
            total=F("total") + Case(*[When(pk=pk, then=Value(cells[c]))
                                      for c, pk in found.items()],
                                    output_field=DecimalField(max_digits=14,
                                                              decimal_places=2)),
            count=F("count") + 1)


def mean(total, count) -> Decimal | None:
    """The mean of a tally (None without ballots)."""
    if not count:
        return None
    return Decimal(total) / count


def shown(count: int) -> bool:
    """Whether a group's figure may be shown on its own (``MIN_BALLOTS_SHOWN``)."""
    return count >= MIN_BALLOTS_SHOWN


def not_negative(name: str) -> models.CheckConstraint:
    """The check every tally table carries: a sum of scores is never below zero."""
    return models.CheckConstraint(condition=Q(total__gte=0), name=name)
