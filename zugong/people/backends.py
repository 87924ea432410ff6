"""The login backend: Django's model backend, with the account's person loaded alongside,
and on PostgreSQL the loaded account kept between requests while its rows are unchanged."""

import pickle  # nosec B403: only bytes this process pickled itself are unpickled
import threading
import time

from django.contrib.auth.backends import ModelBackend
from django.db import connection

from zugong.core.fields import EncryptedTextField

from .access import assignments
from .models import OrgUnit, Person, RoleAssignment, User

# How long a kept account is trusted while its rows are unchanged, and how many accounts
# a process keeps. The row versions decide; the age only bounds what a process holds.
KEEP_SECONDS = 300
KEEP_MAX = 5000


def _versions_sql() -> str:
    """One statement that returns the row versions (``xmin``) of everything an account is
    loaded with: the account, its person and the person's unit, each role assignment with
    its anchor unit, and each custom-scope unit. PostgreSQL gives every new row version
    (every INSERT and UPDATE) the id of the transaction that wrote it, so any committed
    change to one of these rows, and any assignment added or removed, changes the answer.
    """
    user, person, unit = User._meta.db_table, Person._meta.db_table, OrgUnit._meta.db_table
    grant = RoleAssignment._meta.db_table
    through = RoleAssignment.units.through._meta
    grant_col = through.get_field("roleassignment").column
    unit_col = through.get_field("orgunit").column
    # Table and column names from the models' metadata, never from input.
    return (
        f"SELECT u.xmin::text, p.xmin::text, o.xmin::text, "  # noqa: S608  # nosec B608
        f"(SELECT string_agg(concat_ws(':', a.id, a.xmin, ao.xmin), ',' ORDER BY a.id) "
        f"FROM {grant} a LEFT JOIN {unit} ao ON ao.id = a.unit_id WHERE a.user_id = u.id), "
        f"(SELECT string_agg(concat_ws(':', r.id, r.xmin, ro.xmin), ',' ORDER BY r.id) "
        f"FROM {through.db_table} r JOIN {grant} ra ON ra.id = r.{grant_col} "
        f"JOIN {unit} ro ON ro.id = r.{unit_col} WHERE ra.user_id = u.id) "
        f"FROM {user} u LEFT JOIN {person} p ON p.id = u.person_id "
        f"LEFT JOIN {unit} o ON o.id = p.unit_id WHERE u.id = %s"
    )


class _Kept:
    """The accounts this process loaded, by id: (row versions, when, pickled account).

    Pickled, so that each request unpickles its own objects: a request that sets an
    attribute on its user (a cache of its own) cannot hand it to another request.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._accounts: dict = {}
        self._sql = None

    def sql(self) -> str:
        if self._sql is None:
            self._sql = _versions_sql()
        return self._sql

    def get(self, user_id, versions):
        entry = self._accounts.get(user_id)
        if entry is None or entry[0] != versions or time.monotonic() - entry[1] > KEEP_SECONDS:
            return None
        return pickle.loads(entry[2])  # noqa: S301  # nosec B301: our own bytes

    def put(self, user_id, versions, user) -> None:
        # The person's encrypted fields are left out (deferred: read from the database if
        # a request asks for them), so that no decrypted ID or phone number outlives the
        # request that loaded it.
        person = user.person if user.person_id else None
        hidden = {name: person.__dict__.pop(name) for name in _secret_fields()
                  if person is not None and name in person.__dict__}
        try:
            data = pickle.dumps(user, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            if person is not None:
                person.__dict__.update(hidden)
        with self._lock:
            if len(self._accounts) >= KEEP_MAX:
                self._accounts.clear()
            self._accounts[user_id] = (versions, time.monotonic(), data)

    def clear(self) -> None:
        with self._lock:
            self._accounts.clear()


kept = _Kept()


def _secret_fields() -> list[str]:
    return [f.attname for f in Person._meta.concrete_fields
            if isinstance(f, EncryptedTextField)]


def _row_versions(user_id):
    """The account's row versions on PostgreSQL; None elsewhere or when it is missing."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(kept.sql(), [user_id])
        return cursor.fetchone()


class AccountBackend(ModelBackend):
    """Loads the signed-in account with its person and unit in one query, and its role
    assignments in the next.

    Every page shows the person's name in the navigation bar, and the data scope of an
    "own unit" role starts at the person's unit; without the join each request paid one
    or two extra queries for them.

    On PostgreSQL the loaded account (with its person, unit and assignments) is kept in
    the process and used again while the row versions of all of them are the same
    (:func:`_versions_sql`): one small statement instead of building two queries and their
    objects, about a tenth of the app's CPU under the province load (docs/performance.md,
    "Sixteenth cut"). A revoked role, a deactivated account or a changed password changes
    a row version, so the next request loads afresh. The versions are read before the
    account, so a change committed in between is at worst loaded under the older versions
    and replaced on the next request. Nothing loaded inside a transaction is kept: there,
    rows this transaction wrote carry its own id, and a second write to the same row in it
    would not change that id. Elsewhere (SQLite, one process) every request loads afresh.
    """

    def get_user(self, user_id):
        versions = _row_versions(user_id)
        if versions is not None:
            user = kept.get(user_id, versions)
            if user is not None:
                return user if self.user_can_authenticate(user) else None
        try:
            user = User._default_manager.select_related("person__unit").get(pk=user_id)
        except User.DoesNotExist:
            return None
        if versions is not None and not connection.in_atomic_block:
            assignments(user)  # every page asks for them; kept with the account
            kept.put(user_id, versions, user)
        return user if self.user_can_authenticate(user) else None
