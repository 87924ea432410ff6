"""Shared parts of the import/export commands: who acts, and where new people go."""

from django.core.management.base import CommandError

from zugong.people.models import OrgUnit, User


def acting_user(username: str | None):
    """--as USERNAME applies that account's scope and is named in the audit log; without it
    the command acts for the installation, like the other administrative commands."""
    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No account named {username!r}.")
    return user


def unit_by_code(code: str | None):
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(f"No unit with the code {code!r}.")
    return unit


def print_diffs(stdout, diffs) -> None:
    for d in diffs:
        counts = d.counts()
        stdout.write(f"{d.status:9} {d.name}  ({d.source})  new {counts['new']}, "
                     f"changes {counts['change']}, conflicts {counts['conflict']}"
                     + (f"  — {d.blocking}" if d.blocking else ""))
        for c in d.changes:
            stdout.write(f"    {c.kind:8} {c.label}: {c.old[:60]} → {c.new[:80]}")
        for u in d.uncertain:
            stdout.write(f"    uncertain {u['label']}: {u['text'][:60]} — {u['reason']}")
