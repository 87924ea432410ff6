"""Scheduled jobs of reports (run by ``zugong worker`` or inside ``zugong serve``)."""

from django.utils import timezone

from zugong.core.audit import SYSTEM
from zugong.core.jobs import recorded

from . import services


@recorded("reports_summaries")
def refresh_summaries() -> str:
    """Every night: this year's summaries, and last year's in January (records of
    December are still being confirmed then)."""
    today = timezone.localdate()
    years = [today.year - 1, today.year] if today.month == 1 else [today.year]
    rows = sum(services.summaries_refresh(by=SYSTEM, year=year) for year in years)
    return f"{rows} summary rows for {', '.join(map(str, years))}"
