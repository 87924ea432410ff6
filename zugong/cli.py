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


HELP_WORDS = ("help", "--help", "-h")


def zugong_help(prog: str = "zugong") -> str:
    """Zugong's own commands first, each with its first help line, then Django's list.

    Django's own help sorts commands by app, which put ``demo`` and ``serve`` after a
    screen of auth, contenttypes and sessions commands.
    """
    import django
    from django.core.management import ManagementUtility, get_commands, load_command_class

    django.setup()
    shown = {command: alias for alias, command in ALIASES.items()}
    rows = []
    for name, app in get_commands().items():
        if not app.startswith("zugong") and name not in shown:
            continue
        first = (load_command_class(app, name).help or "").strip().splitlines()
        rows.append((shown.get(name, name), first[0] if first else ""))
    width = max(len(name) for name, _text in rows)
    lines = [f"Usage: {prog} <command> [options]   ({prog} help <command> for its options)",
             "", "Zugong's commands:"]
    lines += [f"  {name.ljust(width)}  {text}".rstrip() for name, text in sorted(rows)]
    lines += ["", "Every Django management command works too:",
              ManagementUtility([prog]).main_help_text(commands_only=False)]
    return "\n".join(lines)


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zugong.config.settings")
    if len(argv) == 1 or (len(argv) == 2 and argv[1] in HELP_WORDS):
        sys.stdout.write(zugong_help() + "\n")
        return
    if len(argv) > 2 and argv[1] == "help" and argv[2] in ALIASES:
        argv[2] = ALIASES[argv[2]]
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
