"""zugong restore: put a backup into an empty database, or prove it in a scratch one.

``--check`` exits 0 when the restored copy matches the manifest table by table and 1
(naming every difference) when it does not, so a scheduler or monitor can run the drill.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zugong.core import backup


class Command(BaseCommand):
    help = _("Restore a backup into an empty database, or check it in a scratch database.")

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("the backup folder (or its manifest or dump)"))
        parser.add_argument("--check", action="store_true",
                            help=_("restore into a scratch database, compare it with the "
                                   "manifest and drop it"))

    def handle(self, *args, path, check, **options):
        started = time.monotonic()
        try:
            manifest = backup.load(path).manifest
            for version in backup.unknown_key_versions(manifest):
                self.stderr.write(self.style.WARNING(
                    _("Key version %(version)s used by this backup is not configured: "
                      "values encrypted with it cannot be read.") % {"version": version}))
            problems = backup.check(path) if check else backup.restore(path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        elapsed = time.monotonic() - started
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            self.stderr.write(self.style.ERROR(
                _("The restored copy differs from the manifest in %(n)d place(s).")
                % {"n": len(problems)}))
            sys.exit(1)
        done = (_("Restore check passed: %(tables)d tables match the manifest (%(s).1f s).")
                if check else
                _("Restored: %(tables)d tables match the manifest (%(s).1f s)."))
        self.stdout.write(self.style.SUCCESS(
            done % {"tables": len(manifest["tables"]), "s": elapsed}))
