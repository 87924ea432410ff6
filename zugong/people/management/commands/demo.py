"""zugong demo: migrate, build the demo department, list its logins, serve."""

import time

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from zugong.core import registry
from zugong.people.demo import build_demo
from zugong.people.models import Role

ADDRPORT = "127.0.0.1:8000"


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _both(text) -> str:
    """A label in the active language followed by the English, when they differ."""
    current = str(text)
    with override("en"):
        english = str(text)
    return current if current == english else f"{current} {english}"


class Command(BaseCommand):
    help = _(
        "Create the database, fill it with a demo organization department (泸溪县, with "
        "凤凰县 and 汉滨区 beside it) and one login per role, then start the server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0,
                            help=_("seed of the generated people (default 0)"))
        parser.add_argument("--no-serve", action="store_true",
                            help=_("build the demo and print the logins, but do not serve"))
        parser.add_argument("--no-worker", action="store_true",
                            help=_("serve without the job consumer (reminders, nightly backup)"))

    def handle(self, *args, seed, no_serve, no_worker=False, **options):
        if not no_serve and "serve" not in get_commands():
            raise CommandError(_("The serve command is not available; use --no-serve."))
        call_command("migrate", interactive=False, verbosity=0)
        started = time.monotonic()
        result = build_demo(seed=seed)
        # Each app that has demo data builds it on top (its plugin's ``demo``, in order).
        extras = [build(seed=seed) for build in registry.demo_builders()]
        elapsed = time.monotonic() - started

        if result.created:
            self.stdout.write(self.style.SUCCESS(
                _("Demo built in %(s).1f s: %(units)d units, %(org)d organization cadres, "
                  "%(managed)d managed cadres.") % {
                    "s": elapsed, "units": result.units, "org": result.org_cadres,
                    "managed": result.managed_cadres}))
        else:
            self.stdout.write(_("The demo already exists; nothing was changed."))
        for name, (org, managed) in result.departments.items():
            self.stdout.write("  " + _("%(dept)s: %(org)d organization cadres, "
                                       "%(managed)d managed cadres") % {
                "dept": name, "org": org, "managed": managed})
        for extra in extras:
            if extra is not None:
                self.stdout.write("  " + extra.summary())

        headers = tuple(_both(h) for h in (
            gettext_lazy("Username"), gettext_lazy("Role"), gettext_lazy("Name"),
            gettext_lazy("Unit"), gettext_lazy("Data scope")))
        rows = [(a.username, _both(Role(a.role).label) if a.role else "-", a.person or "-",
                 a.unit or "-", a.scope_label or "-") for a in result.accounts]
        widths = [max(_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
        self.stdout.write("")
        self.stdout.write("  ".join(_pad(str(h), w) for h, w in zip(headers, widths,
                                                                    strict=True)))
        self.stdout.write("  ".join("-" * w for w in widths))
        for row in rows:
            self.stdout.write("  ".join(_pad(str(c), w) for c, w in zip(row, widths,
                                                                        strict=True)))
        self.stdout.write("")
        self.stdout.write(_("Password of every demo login: %(pw)s") % {"pw": result.password})
        kept = [a.username for a in result.accounts if not a.created and result.created]
        if kept:
            self.stdout.write(self.style.WARNING(
                _("These accounts existed before and keep their own passwords: %(names)s")
                % {"names": ", ".join(kept)}))
        self.stdout.write(_("Open %(url)s in a browser and sign in with one of the logins.")
                          % {"url": f"http://{ADDRPORT}/"})
        if no_serve:
            return
        # serve starts the job consumer beside the server on SQLite unless told not to.
        call_command("serve", addrport=ADDRPORT, worker=False if no_worker else None)
