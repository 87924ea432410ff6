"""zugong setup-department: the first organization department of a new installation."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zugong.core.audit import SYSTEM
from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, Person
from zugong.people.selectors import department_heads
from zugong.people.services import department_head_link, department_setup


class Command(BaseCommand):
    help = ("Create an organization department (the top unit, or one under --parent), its "
            "sections and its head's account; or, with --link-head, link the head's "
            "account to the head's person record found by name.")

    def add_arguments(self, parser):
        parser.add_argument("--name", help="the department's name, e.g. 某某县委组织部")
        parser.add_argument("--code", help="the department's unit code")
        parser.add_argument("--region", default="",
                            help="administrative division code (GB/T 2260), e.g. 433122")
        parser.add_argument("--section", action="append", default=[], dest="sections",
                            help="a section's name (repeat for each section)")
        parser.add_argument("--head", default="", help="username of the head's new account")
        parser.add_argument("--parent", default="", help="code of an upper department")
        parser.add_argument("--link-head", default="", metavar="NAME",
                            help="link the head's account of --code to the person so named")

    def handle(self, *args, name, code, region, sections, head, parent, link_head, **options):
        if not code:
            raise CommandError("--code is required")
        if link_head:
            return self._link(code, link_head)
        upper = None
        if parent:
            upper = OrgUnit.objects.filter(code=parent).first()
            if upper is None:
                raise CommandError(f"no unit has the code {parent}")
        try:
            made = department_setup(by=SYSTEM, name=name or "", code=code, region=region,
                                    sections=sections, head_username=head, parent=upper)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}"
                                         for k, v in exc.message_dict.items())) from exc
        self.stdout.write(f"{made.department.code} {made.department.name}: created")
        for unit in made.sections:
            self.stdout.write(f"  {unit.code} {unit.name}")
        if made.head:
            self.stdout.write(f"{made.head.username}: head · initial password {made.password}")

    def _link(self, code, person_name):
        department = OrgUnit.objects.filter(code=code).first()
        if department is None:
            raise CommandError(f"no unit has the code {code}")
        heads = [u for u in department_heads(department) if u.person_id is None]
        if len(heads) != 1:
            raise CommandError("the department has no unlinked head account")
        people = list(Person.objects.filter(subtree_q("unit_path", department.path),
                                            name=person_name)[:2])
        if len(people) != 1:
            raise CommandError(f"{len(people)} people named {person_name} in the department; "
                               "link the account on the setup page")
        try:
            department_head_link(by=SYSTEM, department=department, user=heads[0],
                                 person=people[0])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"{heads[0].username}: linked to {person_name}")
