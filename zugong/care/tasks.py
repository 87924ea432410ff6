"""Scheduled jobs of care (run by ``zugong worker`` or inside ``zugong serve``)."""

from django.utils import timezone

from zugong.core.jobs import recorded

from . import services


@recorded("care_birthdays")
def notify_birthdays() -> str:
    sent = services.birthdays_notify(today=timezone.localdate())
    return f"{sent['members']} greeted, {sent['leaders']} leaders told"
