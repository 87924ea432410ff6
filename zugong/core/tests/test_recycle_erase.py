"""Erasing a deleted record for good (PIPL) leaves no readable copy anywhere: not in the bin,
not in the audit values of its create and delete entries; and the audit chain still
verifies, with the erasure itself signed."""

import datetime as dt
import json

import pytest
from django.db import connection

from zugong.core import recycle
from zugong.core.audit import audit_verify
from zugong.core.models import AuditCheckpoint, AuditEntry, AuditPayload, RecycledRecord
from zugong.people import events, services

pytestmark = pytest.mark.django_db

# The erased reward's own values, none of which occurs anywhere else in the cast's data.
VALUES = ("见义勇为先进个人甲", "某某市精神文明建设委员会", "救助落水儿童两名")


def _reward(person):
    return services.subrecord_add(by=None, person=person, kind="rewards", data={
        "kind": "reward", "date": dt.date(2025, 7, 1), "title": VALUES[0],
        "issuer": VALUES[1], "reason": VALUES[2]})


def _every_row_as_text() -> str:
    """Every row of every table, as the database returns it (ciphertexts stay ciphertexts),
    plus every audit payload decrypted: what anyone reading the database, with the key,
    would find."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # nosec B608
            parts.extend(str(row) for row in cursor.fetchall())
    for payload in AuditPayload.objects.all():
        parts.append(payload.data)
    return "\n".join(parts)


def test_an_erase_leaves_no_field_value_of_the_record_and_the_chain_verifies(cast):
    person = cast.people["cadre"]
    reward = _reward(person)
    services.subrecord_delete(by=cast["chief"], person=person, kind="rewards", pk=reward.pk)
    entry = RecycledRecord.objects.get(model="people.rewardpunishment",
                                       object_pk=str(reward.pk))
    # Before the erase the values are there to be read (decrypted): in the bin and in the
    # audit values of the add and of the delete.
    found = _every_row_as_text() + entry.payload
    assert all(value in found for value in VALUES)
    add = AuditEntry.objects.get(action=events.SUBRECORD_ADD["rewards"])
    delete = AuditEntry.objects.get(action=events.SUBRECORD_DELETE["rewards"])
    assert add.after["title"] == VALUES[0] and delete.before["title"] == VALUES[0]
    assert audit_verify().ok  # leaves a checkpoint covering both entries

    recycle.erase(entry, by=cast["head"], reason="本人依《个人信息保护法》申请删除")

    dump = _every_row_as_text()
    assert not [value for value in VALUES if value in dump]
    assert not RecycledRecord.objects.exists()
    erased = AuditEntry.objects.get(action=recycle.ERASE)
    assert erased.after["audit_values_erased"] == [add.seq, delete.seq]
    # The entries stay (who added and deleted what kind of record, when); only their
    # values are gone.
    assert AuditEntry.objects.get(pk=add.pk).after is None
    assert AuditEntry.objects.get(pk=delete.pk).action == events.SUBRECORD_DELETE["rewards"]
    # The chain verifies: the earlier checkpoint, written when the values were there, is
    # superseded by the erasure, and a new one is written.
    checkpoints = AuditCheckpoint.objects.count()
    report = audit_verify()
    assert report.ok, report.problems
    assert AuditCheckpoint.objects.count() == checkpoints + 1
    assert audit_verify().ok


def test_a_forged_or_moved_tombstone_is_reported(cast):
    person = cast.people["cadre"]
    reward = _reward(person)
    services.subrecord_delete(by=cast["chief"], person=person, kind="rewards", pk=reward.pk)
    recycle.erase(RecycledRecord.objects.get(object_pk=str(reward.pk)), by=cast["head"],
                  reason="申请删除")
    add = AuditEntry.objects.get(action=events.SUBRECORD_ADD["rewards"])
    # Someone with database access moves the add's tombstone onto another entry, to hide
    # that entry's values: the tombstone names the entry it was signed for.
    other = AuditEntry.objects.filter(payload__isnull=False).exclude(pk=add.pk).exclude(
        action__startswith="core.").exclude(
        action=events.SUBRECORD_DELETE["rewards"]).order_by("seq").first()
    stolen = AuditPayload.objects.get(entry=add).data
    AuditPayload.objects.filter(entry=other).update(data=stolen)  # encrypted on the way in
    problems = {p.seq: p.reason for p in audit_verify().problems}
    assert "erasure signature" in problems[other.seq]

    # An unsigned tombstone (written without the audit key) is refused the same way.
    AuditPayload.objects.filter(entry=other).update(data=json.dumps(
        {"erased": {"content": "0" * 64, "by": 1, "key_version": "v1", "signature": ""}}))
    problems = {p.seq: p.reason for p in audit_verify().problems}
    assert "erasure signature" in problems[other.seq]
