"""zugong createadmins: the three separated administrators (三员) of a new installation."""

from django.core.management.base import BaseCommand
from django.db import transaction

from zugong.people.models import Role, Scope, User
from zugong.people.services import account_create, role_grant

ADMINS = (("sysadmin", Role.SYSADMIN), ("secadmin", Role.SECADMIN), ("auditor", Role.AUDITOR))


class Command(BaseCommand):
    help = ("Create the system administrator, security administrator and auditor accounts "
            "with one-time initial passwords (changed at first login).")

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="", help="prefix for the three usernames")

    def handle(self, *args, prefix, **options):
        for base, role in ADMINS:
            username = f"{prefix}{base}"
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"{username}: exists, left unchanged")
                continue
            with transaction.atomic():
                user, password = account_create(by=None, username=username)
                role_grant(by=None, user=user, role=role, scope=Scope.ALL)
            self.stdout.write(f"{username}: {Role(role).label} · initial password {password}")
