"""Scheduled jobs of the assessment area (run by ``zugong worker``)."""

from django.utils import timezone

from zugong.core.jobs import recorded

from . import services


@recorded("assessment_reminders")
def send_score_reminders() -> str:
    sent = services.score_reminders_send(today=timezone.localdate())
    return f"{sent} people reminded to score"
