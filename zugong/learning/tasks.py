"""Scheduled and background jobs of the learning area (run by ``zugong worker``)."""

from django.utils import timezone
from huey.contrib.djhuey import db_task

from zugong.core.jobs import recorded

from . import copies, services


@db_task()
def copy_check_later(kind: str, pk: int) -> int:
    """Copy detection after the record is saved: comparing with a department's texts can
    take a second, which the person saving should not wait for."""
    record = copies.record_for_check(kind, pk)
    return len(copies.copy_check(record)) if record else 0


@recorded("learning_reminders")
def send_learning_reminders() -> str:
    sent = services.reminders_send(today=timezone.localdate())
    return f"{sent['people']} people reminded, {sent['chiefs']} section chiefs given lists"
