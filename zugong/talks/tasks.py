"""Scheduled jobs of the talks area (run by ``zugong worker``)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zugong.core.jobs import recorded

from . import services


@recorded("talks_reminders")
def send_talk_reminders() -> str:
    sent = services.reminders_send(today=timezone.localdate())
    return f"{sent['pairs']} pairs due soon, {sent['sent']} notices sent"


@db_periodic_task(crontab(hour="8", minute="40"))
def daily_talk_reminders():
    send_talk_reminders()
