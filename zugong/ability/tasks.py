"""Scheduled jobs of the ability app (run by ``zugong worker`` or inside ``zugong serve``)."""

from django.utils import timezone

from zugong.core.jobs import recorded

from . import services


@recorded("ability_checkins")
def remind_checkins() -> str:
    sent = services.checkins_remind(today=timezone.localdate())
    return f"{sent['pairs']} pairs without a check-in, {sent['notices']} notices"


@recorded("ability_ledgers")
def remind_stale_ledgers() -> str:
    sent = services.ledgers_stale_remind(today=timezone.localdate())
    return f"{sent['ledgers']} stale post ledgers, {sent['notices']} notices"
