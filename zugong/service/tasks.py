"""Scheduled jobs of the service app (run by ``zugong worker`` or inside ``zugong serve``)."""

from django.utils import timezone

from zugong.core.jobs import recorded

from . import services


@recorded("service_reminders")
def remind_owed() -> str:
    return f"{services.remind_owed(today=timezone.localdate())} reminded"
