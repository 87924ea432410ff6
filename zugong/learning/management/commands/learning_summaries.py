"""Rebuild the learning records' monthly summaries from the records (a repair, or after
records were loaded around the services: a bulk import, a restore of a backup)."""

import time

from django.core.management.base import BaseCommand

from zugong.learning import summaries


class Command(BaseCommand):
    help = "Rebuild the monthly summaries of the learning records from the records."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = summaries.rebuild()
        self.stdout.write(f"learning summaries rebuilt: {rows} rows in "
                          f"{time.perf_counter() - started:.1f} s")
