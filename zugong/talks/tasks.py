"""Scheduled jobs of the talks area (run by ``zugong worker``)."""

from django.utils import timezone

from zugong.core.jobs import recorded

from . import services


@recorded("talks_reminders")
def send_talk_reminders() -> str:
    sent = services.reminders_send(today=timezone.localdate())
    return f"{sent['pairs']} pairs due soon, {sent['sent']} notices sent"
