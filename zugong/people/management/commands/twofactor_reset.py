"""zugong twofactor-reset USERNAME: delete a user's second factor from the server's shell.

The security administrator resets a lost phone on the account's roles page. This command
is for the one case the page cannot serve: the only security administrator has lost
theirs (nobody may reset their own). It is audited like the page (actor: none).
"""

from django.core.management.base import BaseCommand, CommandError

from zugong.people.models import User
from zugong.people.services import twofactor_reset


class Command(BaseCommand):
    help = "Delete USERNAME's authenticator and recovery codes; they enrol again at sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        removed = twofactor_reset(by=None, user=user)
        self.stdout.write(f"{username}: {removed} device(s) deleted")
