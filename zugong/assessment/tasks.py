"""Scheduled jobs of the assessment area (run by ``zugong worker``)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zugong.core.jobs import recorded

from . import services


@recorded("assessment_reminders")
def send_score_reminders() -> str:
    sent = services.score_reminders_send(today=timezone.localdate())
    return f"{sent} people reminded to score"


@db_periodic_task(crontab(hour="9", minute="0"))
def daily_score_reminders():
    send_score_reminders()
