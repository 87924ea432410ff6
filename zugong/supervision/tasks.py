"""Scheduled jobs of supervision (run by ``zugong worker`` or inside ``zugong serve``)."""

from django.utils import timezone

from zugong.core.jobs import recorded

from . import services


@recorded("supervision_reports")
def remind_reports() -> str:
    sent = services.reports_remind(today=timezone.localdate())
    return f"{sent['reminded']} reminded, {sent['escalated']} escalated"
