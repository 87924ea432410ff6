"""zugong audit verify: check the HMAC-SM3 chain of the audit log."""

import sys

from django.core.management.base import BaseCommand

from zugong.core.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the audit chain; names every entry that was changed, removed or inserted."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **options):
        report = audit_verify()
        if report.ok:
            self.stdout.write(f"OK: {report.checked} entries verified, chain intact.")
            return
        for problem in report.problems:
            self.stdout.write(f"entry {problem.seq}: {problem.reason}")
        self.stderr.write(f"FAILED: {len(report.problems)} problem(s) in {report.checked} entries.")
        sys.exit(1)
