"""zugong import-lrmx PATH… : import LRMX (.lrmx, .lrm+.pic) files, folders or .zip archives."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from zugong.interop import merge, services

from ._common import acting_user, print_diffs, unit_by_code


class Command(BaseCommand):
    help = "Import LRMX files, folders of them or .zip archives (one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--unit", help="code of the unit that new people join")
        parser.add_argument("--category", default="managed", choices=["managed", "org_cadre"])
        parser.add_argument("--dry-run", action="store_true",
                            help="show what would change and write nothing")
        parser.add_argument("--as", dest="username", help="act as this account (its scope)")

    def handle(self, *args, **opts):
        translation.activate("zh-hans")
        user = acting_user(opts["username"])
        unit = unit_by_code(opts["unit"])
        report = services.read_files(services.read_paths(opts["paths"]))
        if report.ok:
            services.records_check(user, report, unit=unit, category=opts["category"])
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(report.problems)} problem(s); nothing was imported.")
        diffs = merge.diff_batch(report.records, user=user)
        print_diffs(self.stdout, diffs)
        if opts["dry_run"]:
            self.stdout.write("dry run: nothing was written")
            return
        try:
            counts = services.records_apply(by=user, records=report.records, unit=unit,
                                            category=opts["category"],
                                            source=" ".join(opts["paths"])[:200])
        except Exception as exc:  # noqa: BLE001 - report any refusal as one clear line
            raise CommandError(f"nothing was imported: {exc}") from exc
        self.stdout.write("created {created}, updated {updated}, unchanged {unchanged}, "
                          "skipped {skipped}".format(**counts))
