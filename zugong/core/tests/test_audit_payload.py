"""Audit values are encrypted apart from the entries; the chain covers them; old entries
are moved by the data migration and still verify (issue 13, point 2)."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from zugong.core.audit import audit_record, audit_verify, changed_fields
from zugong.core.audit_labels import action_label, field_label, object_label
from zugong.core.models import AuditEntry, AuditPayload
from zugong.core.tests.tamper import tamper

NOTE = "年内受到诫勉谈话"


def _raw(sql, params=()):
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _record(**values):
    return audit_record(action="people.person.update", object_type="people.person",
                        object_id="1", before={"current_post": "科员"}, after=values)


@pytest.mark.django_db
def test_values_are_encrypted_apart_and_the_entry_names_only_the_fields(cast):
    entry = _record(current_post="副主任科员", remark=NOTE)
    assert entry.fields == ["current_post", "remark"]
    columns = {c.name for c in connection.introspection.get_table_description(
        connection.cursor(), "core_auditentry")}
    assert "before" not in columns and "after" not in columns
    stored = _raw("SELECT data FROM core_auditpayload WHERE entry_id = %s", [entry.pk])[0][0]
    assert NOTE not in stored and "副主任科员" not in stored and stored.startswith("v1$")
    row = _raw("SELECT * FROM core_auditentry WHERE id = %s", [entry.pk])[0]
    assert NOTE not in str(row)
    again = AuditEntry.objects.get(pk=entry.pk)
    assert again.after == {"current_post": "副主任科员", "remark": NOTE}
    assert audit_verify().ok


@pytest.mark.django_db
def test_a_changed_swapped_or_deleted_payload_breaks_the_chain(cast):
    first = _record(current_post="副主任科员")
    second = _record(current_post="主任科员")
    assert audit_verify().ok
    swapped = _raw("SELECT data FROM core_auditpayload WHERE entry_id = %s", [second.pk])[0][0]
    with connection.cursor() as cur:
        cur.execute("UPDATE core_auditpayload SET data = %s WHERE entry_id = %s",
                    [swapped, first.pk])
    report = audit_verify(checkpoint=False)
    assert (first.seq, "content does not match its MAC") in {(p.seq, p.reason)
                                                             for p in report.problems}
    with connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditpayload WHERE entry_id = %s", [second.pk])
    report = audit_verify(checkpoint=False)
    assert second.seq in {p.seq for p in report.problems}


@pytest.mark.django_db
def test_changed_field_names_are_caught_and_the_table_stays_append_only(cast):
    entry = _record(current_post="副主任科员")
    tamper("UPDATE core_auditentry SET fields = %s WHERE id = %s", ['["name"]', entry.pk])
    report = audit_verify(checkpoint=False)
    assert any(p.seq == entry.seq and "field names" in p.reason for p in report.problems)


def test_changed_fields_are_the_keys_of_both_sides():
    assert changed_fields({"a": 1}, {"b": 2, "a": 3}) == ["a", "b"]
    assert changed_fields(None, None) == []


@pytest.mark.django_db
def test_action_object_and_field_names_read_in_chinese():
    from zugong.talks import events

    for name in (*events.ACTIONS, "core.login.success", "core.login.failure",
                 "core.login.locked_out", "core.logout.success", "core.request.refused",
                 "core.crypto.reencrypt", "console.audit.verify", "console.dictionary.save",
                 "console.audit.read_values", "people.person.update", "people.person.create"):
        label = action_label(name)
        assert label != name and not any("a" <= c.lower() <= "z" for c in label), (name, label)
    assert action_label("talks.talk.record") == "登记谈话"
    assert action_label("talks.visit_flags.set") == "设置走访标记"
    assert action_label("nobody.knows.this") == "nobody.knows.this"
    # Field labels are the models' verbose names.
    assert field_label("people.person", "current_post") == "现任职务"
    assert field_label("talks.visitflags", "difficulty_note") == "困难情况"
    assert field_label("talks.talk", "with") == "谈话对象"
    assert object_label("people.person") == "人员"


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.fixture
def back_to_latest():
    """Migrating core back to 0006 also unapplies the other apps' core 0007s (jobs, the
    recycle bin) and what depends on them; put every app back at its latest afterwards, or
    the next test on this worker meets a half-migrated schema."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_moves_old_values_and_the_chain_still_verifies(back_to_latest):
    entries = [_record(current_post="副主任科员", remark=NOTE),
               audit_record(action="core.login.success", username="someone"),
               audit_record(action="core.test.figures", after={"figures": {"total": 3}})]
    assert audit_verify().ok
    _migrate(("core", "0006_audit_immutable"))
    # The entries as they were before: values in plaintext columns, visible to the auditor.
    stored = _raw("SELECT after FROM core_auditentry WHERE seq = %s", [entries[0].seq])[0][0]
    assert (json.loads(stored) if isinstance(stored, str) else stored)["remark"] == NOTE
    _migrate(("core", "0007_audit_payload_encrypted"))
    for table in ("core_auditentry", "core_auditpayload"):
        dump = str(_raw(f"SELECT * FROM {table}"))  # noqa: S608
        assert NOTE not in dump and json.dumps(NOTE)[1:-1] not in dump
    moved = {e.seq: e for e in AuditEntry.objects.select_related("payload")}
    assert moved[entries[0].seq].after == {"current_post": "副主任科员", "remark": NOTE}
    assert moved[entries[0].seq].fields == ["current_post", "remark"]
    assert moved[entries[1].seq].fields == [] and moved[entries[1].seq].after is None
    assert moved[entries[2].seq].after == {"figures": {"total": 3}}
    assert AuditPayload.objects.count() == 2
    report = audit_verify()
    assert report.ok, report.problems
    # The triggers are back.
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=entries[0].seq).update(action="x.y.z")
