"""zugong export-lrmx --out FILE.zip|DIR [--unit CODE] [--id N…] : LRMX files of people."""

from pathlib import Path

from django.core.management.base import BaseCommand

from zugong.interop import services
from zugong.interop.exports import lrmx_filename, people_lrmx_zip, person_lrmx
from zugong.people.access import subtree_q
from zugong.people.models import Person

from ._common import acting_user, unit_by_code


class Command(BaseCommand):
    help = "Export people as LRMX files: a .zip, or one file per person into a folder."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="a .zip file or a folder")
        parser.add_argument("--unit", help="only this unit and the units below it")
        parser.add_argument("--id", type=int, nargs="*", help="only these people")
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
        if opts["id"]:
            people = people.filter(pk__in=opts["id"])
        people = people.order_by("unit_path", "id")
        out = Path(opts["out"])
        if out.suffix.lower() == ".zip":
            with out.open("wb") as fh:
                _buf, count = people_lrmx_zip(people, out=fh)
        else:
            out.mkdir(parents=True, exist_ok=True)
            count = 0
            for person in people.iterator(chunk_size=200):
                (out / lrmx_filename(person)).write_bytes(person_lrmx(person))
                count += 1
        services.export_logged(by=user, what="lrmx", count=count, detail={"out": str(out)})
        self.stdout.write(f"exported {count} people to {out}")
