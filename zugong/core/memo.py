"""Computed reads kept in the cache until the data under them changes (issue 23).

A page that evaluates thousands of records (a cadre's progress this month, a department's
early warnings) gives the same answer until one of those records changes. ``memo`` keeps
the answer in the cache under the current *generation* of each data scope it read, such
as ``"learning:person:12"``; the service that changes data in a scope calls ``bump``, which
gives the scope a new generation, so every answer computed from the old data is no longer
found (it expires on its own). Nothing is ever deleted by pattern, which neither the
local-memory cache nor Redis does cheaply.

Data a scope does not cover (another app's records, a person's post) is read fresh only
after ``timeout`` seconds: callers choose the timeout by how stale such data may be on
their page, and say so there. Only ids, dates and numbers are kept here, never decrypted
fields.

Only a cache that every process shares (Redis) can carry a bump from the process that
wrote to the one that reads; without it (``settings.ZUGONG_MEMO`` false) every call
computes.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

PREFIX = "zg:gen:"
# Every memo reads this scope too: a restored backup bumps it (``core.backup.restore``),
# so nothing computed from the database as it was before survives.
ALL = "all"
_MISSING = object()


def _new_token() -> str:
    # Random, not a counter: a scope whose generation was evicted starts afresh without
    # meeting an answer stored under an earlier generation of the same number.
    return secrets.token_hex(6)


def generations(scopes: Iterable[str]) -> list[str]:
    """The current generation of each scope (one cache round trip; a scope never seen, or
    evicted, gets one)."""
    keys = [PREFIX + s for s in scopes]
    found = cache.get_many(keys)
    missing = {k: _new_token() for k in keys if k not in found}
    if missing:
        # add, not set: two requests meeting the same missing scope keep the first token.
        for key, token in missing.items():
            if not cache.add(key, token, timeout=None):
                missing[key] = cache.get(key, token)
        found.update(missing)
    return [found[k] for k in keys]


def bump(*scopes: str) -> None:
    """The data of these scopes has changed: answers computed from it are stale.

    Bumped at once, so that the rest of this transaction (and a test) reads fresh, and
    again when the transaction commits, so that an answer computed by another request from
    the data as it was before the commit is not kept under the new generation.
    """
    def renew():
        cache.set_many({PREFIX + s: _new_token() for s in scopes}, timeout=None)

    if scopes:
        renew()
        transaction.on_commit(renew)


def memo(name: str, parts: Iterable[object], scopes: Iterable[str],
         compute: Callable[[], T], *, timeout: int = 300) -> T:
    """``compute()``, or its answer kept from an earlier call with the same ``name`` and
    ``parts`` while no scope has been bumped and for at most ``timeout`` seconds."""
    if not settings.ZUGONG_MEMO:
        return compute()
    scopes = [ALL, *scopes]
    text = "|".join([name, *map(str, parts), *scopes, *generations(scopes)])
    key = f"zg:memo:{name}:{hashlib.sha256(text.encode()).hexdigest()[:32]}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout=timeout)
    return value
