"""Scheduled jobs of talent (run by ``zugong worker`` or inside ``zugong serve``)."""

from django.utils import timezone

from zugong.core.jobs import recorded

from . import services


@recorded("talent_matters")
def remind_open_matters() -> str:
    return f"{services.matters_remind(today=timezone.localdate())} reminded"
