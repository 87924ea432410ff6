"""Scheduled jobs of Party life (run by ``zugong worker`` or inside ``zugong serve``)."""

from django.utils import timezone

from zugong.core.jobs import recorded

from . import services


@recorded("rectification_reminders")
def remind_measures() -> str:
    sent = services.measures_remind(today=timezone.localdate())
    return f"{sent['reminded']} reminded, {sent['escalated']} escalated"


@recorded("partylife_coverage")
def remind_coverage() -> str:
    return f"{services.coverage_remind(today=timezone.localdate())} reminded"
