"""Issue 15: the original deadline (for the on-time rate), the lead at the deadline (for
handovers) and a backdated completion awaiting approval.

An existing task's original deadline is the one its creation was audited with
(``tasks.task.add``, ``after["deadline"]``), so deadlines already moved at dispatch get
their original back; a task without that audit entry keeps its current deadline."""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models


def _task_additions(apps):
    """(task id, the ``after`` values) of each audited task creation, oldest first.

    Core's migration 0007 moved the values into encrypted payloads; on a new database it
    may run before this one, so the values are read from wherever they are now.
    """
    AuditEntry = apps.get_model("core", "AuditEntry")
    entries = AuditEntry.objects.filter(action="tasks.task.add", object_type="tasks.task")
    if any(f.name == "after" for f in AuditEntry._meta.get_fields()):
        yield from entries.order_by("seq").values_list("object_id", "after")
        return
    import json

    AuditPayload = apps.get_model("core", "AuditPayload")
    payloads = {p.entry_id: p.data for p in AuditPayload.objects.filter(
        entry_id__in=entries.values("pk"))}
    for pk, object_id in entries.order_by("seq").values_list("pk", "object_id"):
        data = payloads.get(pk)
        yield object_id, json.loads(data).get("after") if data else None


def fill_original_deadlines(apps, schema_editor):
    Task = apps.get_model("tasks", "Task")
    created = {}
    for object_id, after in _task_additions(apps):
        try:
            created.setdefault(int(object_id), dt.date.fromisoformat(after["deadline"]))
        except (TypeError, KeyError, ValueError):
            continue
    for task in Task.objects.all().only("pk", "deadline").iterator():
        Task.objects.filter(pk=task.pk).update(
            original_deadline=created.get(task.pk, task.deadline))


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0004_person_search_characters'),
        ('tasks', '0001_initial'),
        ('core', '0004_notice'),
    ]

    operations = [
        migrations.AddField(
            model_name='task',
            name='deadline_lead',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.person', verbose_name='lead at the deadline'),
        ),
        migrations.AddField(
            model_name='task',
            name='done_claimed_on',
            field=models.DateField(blank=True, null=True, verbose_name='claimed completion date'),
        ),
        migrations.AddField(
            model_name='task',
            name='original_deadline',
            field=models.DateField(null=True, verbose_name='original deadline'),
        ),
        migrations.RunPython(fill_original_deadlines, migrations.RunPython.noop),
    ]
