"""Scheduled jobs of the platform itself (run by ``zugong worker``)."""

from django.contrib.sessions.models import Session
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .audit import audit_verify
from .jobs import recorded


@recorded("audit_verify")
def verify_audit_chain() -> str:
    report = audit_verify()
    if not report.ok:
        first = report.problems[0]
        raise RuntimeError(
            f"audit chain broken at entry {first.seq}: {first.reason} "
            f"({len(report.problems)} problem(s))"
        )
    return f"{report.checked} entries verified"


@recorded("clear_sessions")
def clear_expired_sessions() -> str:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return f"{deleted} expired sessions removed"


@db_periodic_task(crontab(hour="2", minute="15"))
def nightly_audit_verify():
    verify_audit_chain()


@db_periodic_task(crontab(minute="*/30"))
def periodic_clear_sessions():
    clear_expired_sessions()
