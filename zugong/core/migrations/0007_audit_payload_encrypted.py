"""Audit values leave the entries table: encrypted in AuditPayload, the entry names the fields.

Existing entries are moved too (issue 13: the auditor read family names and veto notes in
the plaintext before/after columns). The MAC of an entry covers its plaintext values, not
where they are kept, so every old entry still verifies with the key that signed it.

The append-only triggers (0006) are dropped for the move, which writes ``fields`` on old
rows, and created again at the end (on SQLite, changing the table's columns rebuilds it,
which loses its triggers anyway).
"""

import importlib
import json

import django.db.models.deletion
from django.db import migrations, models

import zugong.core.fields

_immutable = importlib.import_module("zugong.core.migrations.0006_audit_immutable")
CHUNK = 1000


def _triggers(schema_editor, which: int):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    for table in _immutable.TABLES:
        for sql in _immutable.trigger_sql(vendor, table)[which]:
            schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    _triggers(schema_editor, 1)


def create_triggers(apps, schema_editor):
    _triggers(schema_editor, 0)


def field_names(before, after) -> list[str]:
    """What the auditor sees of the values: the keys, sorted (audit.changed_fields)."""
    keys = set()
    for data in (before, after):
        if isinstance(data, dict):
            keys.update(data)
    return sorted(keys)


def move_out(apps, schema_editor):
    Entry = apps.get_model("core", "AuditEntry")
    Payload = apps.get_model("core", "AuditPayload")
    by_fields: dict[tuple, list[int]] = {}
    payloads = []
    rows = Entry.objects.order_by("seq").values_list("pk", "before", "after")
    for pk, before, after in rows.iterator(chunk_size=CHUNK):
        if before is None and after is None:
            continue
        payloads.append(Payload(entry_id=pk, data=json.dumps(
            {"before": before, "after": after}, ensure_ascii=False)))
        by_fields.setdefault(tuple(field_names(before, after)), []).append(pk)
        if len(payloads) >= CHUNK:
            Payload.objects.bulk_create(payloads)
            payloads = []
    Payload.objects.bulk_create(payloads)
    for names, pks in by_fields.items():
        for start in range(0, len(pks), CHUNK):
            Entry.objects.filter(pk__in=pks[start:start + CHUNK]).update(fields=list(names))


def move_back(apps, schema_editor):
    Entry = apps.get_model("core", "AuditEntry")
    Payload = apps.get_model("core", "AuditPayload")
    for payload in Payload.objects.iterator(chunk_size=CHUNK):
        data = json.loads(payload.data)
        Entry.objects.filter(pk=payload.entry_id).update(before=data.get("before"),
                                                         after=data.get("after"))
    Payload.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_audit_immutable'),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.CreateModel(
            name='AuditPayload',
            fields=[
                ('entry', models.OneToOneField(
                    db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING,
                    primary_key=True, related_name='payload', serialize=False,
                    to='core.auditentry')),
                ('data', zugong.core.fields.EncryptedTextField()),
            ],
            options={
                'verbose_name': 'audit values',
                'verbose_name_plural': 'audit values',
            },
        ),
        migrations.AddField(
            model_name='auditentry',
            name='fields',
            field=models.JSONField(blank=True, default=list, verbose_name='fields'),
        ),
        migrations.RunPython(move_out, move_back),
        migrations.RemoveField(
            model_name='auditentry',
            name='after',
        ),
        migrations.RemoveField(
            model_name='auditentry',
            name='before',
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
