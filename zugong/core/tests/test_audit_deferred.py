"""A transaction's audit entries are appended to the chain just before it commits.

The chain's head row is locked by whoever appends until that transaction ends. Appended in
the middle of a service, it kept every other audited write in the product waiting for the
rest of that service (issue 23: seconds under the province load while the CPU idled).
"""

import threading

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from zugong.core import audit
from zugong.core.audit import SYSTEM, audit_record, audit_verify
from zugong.core.models import AuditEntry, AuditHead, JobRun


def _actions():
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


def _record(action, **values):
    return audit_record(actor=SYSTEM, action=action, object_type="core.test",
                        object_id="1", after=values or None)


@pytest.mark.django_db
def test_entries_wait_for_the_end_of_the_transaction_and_then_chain_in_order():
    with transaction.atomic():
        first = _record("core.test.first", n=1)
        with transaction.atomic():  # a nested service: still the same transaction
            second = _record("core.test.second")
        assert _actions() == []
        assert first.seq is None and second.seq is None
    assert _actions() == ["core.test.first", "core.test.second"]
    assert (first.seq, second.seq) == (1, 2)
    assert second.prev_mac == first.mac
    assert AuditEntry.objects.get(seq=1).after == {"n": 1}
    assert AuditEntry.objects.get(seq=2).after is None
    assert AuditHead.objects.get().last_seq == 2
    assert audit_verify(checkpoint=False).ok


@pytest.mark.django_db
def test_the_head_is_locked_once_for_all_entries_of_a_transaction(django_assert_num_queries):
    with transaction.atomic():
        _record("core.test.warm")  # the head row exists from here on
    # Lock the head, insert entries, insert values, move the head: four queries for ten
    # entries, plus the savepoint and its release.
    with django_assert_num_queries(6), transaction.atomic():
        for n in range(10):
            _record("core.test.many", n=n)
    assert AuditEntry.objects.count() == 11
    assert audit_verify(checkpoint=False).ok


@pytest.mark.django_db
def test_an_entry_whose_change_is_rolled_back_is_never_appended():
    with transaction.atomic():
        _record("core.test.kept")
        try:
            with transaction.atomic():
                _record("core.test.undone")
                raise ValueError("the change failed")
        except ValueError:
            pass
    assert _actions() == ["core.test.kept"]
    with pytest.raises(ValueError), transaction.atomic():
        _record("core.test.undone")
        raise ValueError("the whole change failed")
    assert _actions() == ["core.test.kept"]
    assert audit_verify(checkpoint=False).ok


@pytest.mark.django_db
def test_immediate_appends_now_after_the_entries_recorded_before_it():
    with transaction.atomic():
        _record("core.test.before")
        now = audit_record(actor=SYSTEM, action="core.test.now", immediate=True)
        assert now.seq == 2
        assert _actions() == ["core.test.before", "core.test.now"]
        _record("core.test.after")
    assert _actions() == ["core.test.before", "core.test.now", "core.test.after"]
    assert audit_verify(checkpoint=False).ok


@pytest.mark.django_db
def test_outside_a_transaction_an_entry_is_appended_at_once():
    entry = _record("core.test.alone")
    assert entry.seq == 1
    assert _actions() == ["core.test.alone"]


@pytest.mark.django_db(transaction=True)
def test_a_real_commit_appends_the_entries_and_a_failed_append_undoes_the_change(monkeypatch):
    with transaction.atomic():
        JobRun.objects.create(name="kept", started_at=timezone.now(), status="running")
        _record("core.test.committed")
    assert _actions() == ["core.test.committed"]

    def broken(entries):
        raise DatabaseError("the chain could not be written")

    monkeypatch.setattr(audit, "_append", broken)
    with pytest.raises(DatabaseError), transaction.atomic():
        JobRun.objects.create(name="lost", started_at=timezone.now(), status="running")
        _record("core.test.failed")
    # The change and its entry land together or not at all; the connection is usable.
    assert list(JobRun.objects.values_list("name", flat=True)) == ["kept"]
    assert _actions() == ["core.test.committed"]
    assert transaction.get_autocommit()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite serializes whole write transactions (immediate mode), so "
                           "there is no head lock to hold or to wait for")
@pytest.mark.django_db(transaction=True)
def test_a_long_transaction_that_audited_does_not_hold_other_writers():
    """A writes and audits, then goes on working; B audits and commits meanwhile. With
    the head locked at the audit call, B waited for A's whole transaction."""
    audited, finished = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def slow_writer():
        try:
            with transaction.atomic():
                _record("core.test.slow")
                audited.set()
                # Still inside the transaction: B must be able to commit meanwhile.
                outcome["b_finished_meanwhile"] = finished.wait(timeout=10)
        finally:
            connection.close()

    def quick_writer():
        try:
            audited.wait(timeout=10)
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '5s'")
            with transaction.atomic():
                _record("core.test.quick")
            finished.set()
        except DatabaseError as exc:
            outcome["b_error"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=slow_writer), threading.Thread(target=quick_writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert "b_error" not in outcome
    assert outcome["b_finished_meanwhile"] is True
    assert _actions() == ["core.test.quick", "core.test.slow"]
    assert audit_verify(checkpoint=False).ok
