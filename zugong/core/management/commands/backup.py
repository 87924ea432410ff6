"""zugong backup: a dump of the whole database with a manifest that a restore can prove."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zugong.core import backup


class Command(BaseCommand):
    help = _("Back up the database (dump and manifest in one timestamped folder).")

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=None,
                            help=_("folder to write the backup in (default ZUGONG_BACKUP_DIR)"))

    def handle(self, *args, out, **options):
        try:
            made = backup.create_backup(out)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(
            _("Backup written to %(path)s: %(tables)d tables, %(mb).1f MB in %(s).1f s.") % {
                "path": made.path, "tables": len(made.manifest["tables"]),
                "mb": made.manifest["dump_bytes"] / 1e6, "s": made.manifest["seconds"]}))
        self.stdout.write(_("Prove it with: zugong restore --check %(path)s")
                          % {"path": made.path})
