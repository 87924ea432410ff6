"""Notices of the demo, as if the installation had run all year (issue 16, point 6).

Runs after every other app's demo builder (``demo_order`` 990). The builders notify as
their services do, all at the moment the demo is built: these are spread over the
months before today. Then the apps' own scheduled reminder jobs run once, as the worker
would, so that leaders get what is owed to them too: these are dated in the last two
days, since their text counts what is owed from today ("overdue by 30 days"). The dates
follow the seed; read receipts are mixed the way people read: most of the older notices
read, a few forgotten, the recent ones mostly still unread.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from zugong.core import registry
from zugong.core.memo import bump
from zugong.core.models import Notice
from zugong.core.notices import unread_scope

# Infrastructure jobs (audit check, backup, sessions …) notify nobody; the apps' jobs do.
SKIP_PREFIX = "zugong.core."
RECENT_DAYS = 21  # a notice this young is mostly still unread
JOB_DAYS = 2


@dataclass
class NoticesDemo:
    notices: int
    read: int

    def summary(self) -> str:
        return _("notices: %(notices)d notices over the year, %(read)d read") % {
            "notices": self.notices, "read": self.read}


def build(*, seed: int = 0, today: dt.date | None = None) -> NoticesDemo | None:
    """Once: nothing is changed when some notice is already older than a day."""
    now = timezone.now()
    if Notice.objects.filter(created_at__lt=now - dt.timedelta(days=1)).exists():
        return None
    today = today or timezone.localdate()
    built = Notice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for job in registry.jobs():
        if not job.func.startswith(SKIP_PREFIX):
            import_string(job.func.replace(":", "."))()
    # Synthetic demo data: a seeded generator, so the same seed gives the same dates.
    rng = random.Random(seed + 29)  # nosec B311
    start = today.replace(month=1, day=1)
    span = max((today - start).days, 1)
    morning = dt.time(8, 30)
    changed, read = [], 0
    with transaction.atomic():
        for notice in Notice.objects.order_by("pk"):
            if notice.pk > built:  # a reminder of the jobs' run: about what is owed now
                day = today - dt.timedelta(days=rng.randrange(min(JOB_DAYS, span)))
            else:
                day = start + dt.timedelta(days=int(rng.random() ** 0.8 * span))
            sent = timezone.make_aware(dt.datetime.combine(day, morning)) + dt.timedelta(
                minutes=rng.randrange(9 * 60))
            notice.created_at = min(sent, now)  # today's: not later than the build
            recent = (today - day).days < RECENT_DAYS
            opened = notice.created_at + dt.timedelta(hours=rng.randint(1, 72))
            notice.read_at = None
            if rng.random() < (0.3 if recent else 0.85) and opened <= now:
                notice.read_at = opened
                read += 1
            changed.append(notice)
        Notice.objects.bulk_update(changed, ["created_at", "read_at"], batch_size=500)
        bump(*{unread_scope(n.recipient_id) for n in changed})
    return NoticesDemo(notices=len(changed), read=read)
