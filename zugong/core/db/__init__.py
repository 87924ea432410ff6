"""Database backends with a *before-commit* hook.

Django runs callbacks after a commit (``transaction.on_commit``) but has no hook for the
moment just before it. The audit chain needs one: appending an entry locks the chain's
single head row until the transaction ends, so an entry appended in the middle of a
service holds every other audited write in the product waiting for the rest of that
service (its queries and the Python between them). Under the province load this, not CPU,
was what made pages slow (issue 23). With this hook the entries a transaction records are
appended in one step just before it commits, so the head is held only for that step.

The engines ``zugong.core.db.postgresql`` and ``zugong.core.db.sqlite3`` are Django's own
with :class:`BeforeCommitMixin`; settings select them. Callbacks follow the transaction as
``on_commit`` callbacks do: those registered inside a savepoint that is rolled back are
dropped, a rollback drops them all, and a failing callback rolls the transaction back (the
audited change and its entry land together or not at all).

A *logical* transaction is the outermost atomic block that is not a test's own: inside a
test case the service's block ends with a savepoint release instead of a commit, and the
callbacks run there, so tests see the entries as soon as the service returns.
"""

from __future__ import annotations

from collections.abc import Callable


def in_logical_transaction(connection) -> bool:
    """Whether an atomic block other than a test case's own is open on ``connection``."""
    return connection.in_atomic_block and not all(
        getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def before_commit(connection, flush: Callable[[list], None], item) -> bool:
    """Queue ``item`` for ``flush`` just before the logical transaction on ``connection``
    commits; items queued for the same ``flush`` are handed over together, in order.
    Returns False (nothing queued) when no logical transaction is open or the engine has
    no hook: the caller then does the work at once."""
    queue = getattr(connection, "zg_before_commit", None)
    if queue is None or not in_logical_transaction(connection):
        return False
    queue.append((frozenset(connection.savepoint_ids), flush, item))
    return True


def run_before_commit(connection) -> None:
    """Run what is queued on ``connection`` now (a caller that needs its result at once)."""
    runner = getattr(connection, "zg_run_before_commit", None)
    if runner is not None:
        runner()


class BeforeCommitMixin:
    """Mixed into a Django ``DatabaseWrapper``: see the module's docstring."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.zg_before_commit: list = []
        self._zg_running = False

    def zg_run_before_commit(self) -> None:
        # The flush itself opens atomic blocks (get_or_create, bulk_create); their
        # savepoint releases must not start another run.
        if self._zg_running:
            return
        self._zg_running = True
        try:
            while self.zg_before_commit:
                queued, self.zg_before_commit = self.zg_before_commit, []
                groups: dict[Callable, list] = {}
                for _sids, flush, item in queued:
                    groups.setdefault(flush, []).append(item)
                for flush, items in groups.items():
                    flush(items)
        finally:
            self._zg_running = False

    def commit(self):
        try:
            self.zg_run_before_commit()
        except Exception:
            # Roll back here: the atomic block only rolls back on a DatabaseError, and
            # must not leave a half-flushed transaction open for the next request.
            self.rollback()
            raise
        super().commit()

    def savepoint_commit(self, sid):
        # A test case's block is still open: this release ends the logical transaction.
        if not self._zg_running and not in_logical_transaction(self):
            self.zg_run_before_commit()
        super().savepoint_commit(sid)

    def savepoint_rollback(self, sid):
        super().savepoint_rollback(sid)
        self.zg_before_commit = [q for q in self.zg_before_commit if sid not in q[0]]

    def rollback(self):
        self.zg_before_commit = []
        super().rollback()

    def close(self):
        self.zg_before_commit = []
        super().close()
