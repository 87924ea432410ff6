"""Tampering with the audit tables on purpose, as an attacker with the database would.

The append-only triggers (core migration 0006) refuse UPDATE and DELETE; tests that prove
verification catches a changed or removed row first drop them, as such an attacker could,
and put them back afterwards so the rest of the test runs protected again.
"""

import contextlib
import importlib

from django.db import connection

_immutable = importlib.import_module("zugong.core.migrations.0006_audit_immutable")


@contextlib.contextmanager
def triggers_dropped():
    with connection.cursor() as cur:
        for table in _immutable.TABLES:
            for sql in _immutable.trigger_sql(connection.vendor, table)[1]:
                cur.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cur:
            for table in _immutable.TABLES:
                for sql in _immutable.trigger_sql(connection.vendor, table)[0]:
                    cur.execute(sql)


def tamper(sql: str, params=()):
    """Run one statement against the audit tables with the triggers out of the way."""
    with triggers_dropped(), connection.cursor() as cur:
        cur.execute(sql, params)
