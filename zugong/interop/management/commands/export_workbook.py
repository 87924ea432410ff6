"""zugong export-workbook --out FILE.xlsx [--unit CODE] : the cadre information workbook."""

import shutil
from pathlib import Path

from django.core.management.base import BaseCommand

from zugong.interop import exports, services
from zugong.people.access import subtree_q
from zugong.people.models import Person

from ._common import acting_user, unit_by_code


class Command(BaseCommand):
    help = "Export people to the cadre workbook (B01, A01, A02, A08, A14, A15, A36)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True)
        parser.add_argument("--unit", help="only this unit and the units below it")
        parser.add_argument("--as", dest="username", help="export as this account (its scope)")

    def handle(self, *args, **opts):
        user = acting_user(opts["username"])
        if user is not None:
            from zugong.interop.selectors import exportable_people

            people = exportable_people(user=user)
        else:
            people = Person.objects.all()
        unit = unit_by_code(opts["unit"])
        if unit is not None:
            people = people.filter(subtree_q("unit_path", unit.path))
        buf, count = exports.people_workbook(user=user, people=people.order_by("unit_path",
                                                                                 "id"))
        with Path(opts["out"]).open("wb") as fh:
            shutil.copyfileobj(buf, fh)
        services.export_logged(by=user, what="workbook", count=count,
                               detail={"out": opts["out"]})
        self.stdout.write(f"exported {count} people to {opts['out']}")
