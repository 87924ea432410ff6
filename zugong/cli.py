"""The ``zugong`` console command.

``zugong demo|serve|worker|backup|restore|token|createadmins|audit|import-lrmx|export-lrmx|
import-workbook|export-workbook|twofactor-reset|setup-department …`` are Zugong's own commands;
anything else is passed to Django's management commands (``zugong migrate`` …).
"""

import os
import sys

ALIASES = {"worker": "run_huey", "import-lrmx": "import_lrmx", "export-lrmx": "export_lrmx",
           "import-workbook": "import_workbook", "export-workbook": "export_workbook",
           "twofactor-reset": "twofactor_reset",
           "setup-department": "setup_department"}


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zugong.config.settings")
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
