"""zugong token USERNAME: create an API bearer token for a user."""

from django.core.management.base import BaseCommand, CommandError

from zugong.people.models import User
from zugong.people.services import token_create


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        token, raw = token_create(user=user, name=name)
        self.stdout.write(raw)
