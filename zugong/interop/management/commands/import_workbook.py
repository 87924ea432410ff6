"""zugong import-workbook FILE.xlsx : import the cadre information workbook."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from zugong.interop import merge, services, workbook

from ._common import acting_user, print_diffs, unit_by_code


class Command(BaseCommand):
    help = "Import a cadre workbook (B01, A01, A02, A08, A14, A15, A36) in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--unit", help="code of the unit for people without a unit code")
        parser.add_argument("--category", default="managed", choices=["managed", "org_cadre"])
        parser.add_argument("--dry-run", action="store_true",
                            help="list every bad cell and every change; write nothing")
        parser.add_argument("--quiet", action="store_true", help="print only the counts")
        parser.add_argument("--as", dest="username", help="act as this account (its scope)")

    def handle(self, *args, **opts):
        translation.activate("zh-hans")
        user = acting_user(opts["username"])
        unit = unit_by_code(opts["unit"])
        try:
            report = workbook.read_workbook(Path(opts["path"]).read_bytes())
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if report.ok:
            services.workbook_check(user, report, unit=unit, category=opts["category"])
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(report.problems)} problem(s); nothing was imported.")
        if opts["dry_run"]:
            print_diffs(self.stdout, merge.diff_batch(report.records, user=user))
            self.stdout.write("dry run: nothing was written")
            return
        try:
            counts = services.workbook_apply_payload(
                by=user, payload={"units": report.units, "records": report.records},
                unit=unit, category=opts["category"], source=opts["path"])
        except ValidationError as exc:
            raise CommandError("nothing was imported: " + "; ".join(exc.messages)) from exc
        self.stdout.write("created {created}, updated {updated}, unchanged {unchanged}, "
                          "skipped {skipped}, units {units}".format(**counts))
