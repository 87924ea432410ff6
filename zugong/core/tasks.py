"""Scheduled jobs of the platform itself (run by ``zugong worker``)."""

from django.contrib.sessions.models import Session
from django.utils import timezone

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


@recorded("recycle_purge")
def purge_recycle_bin() -> str:
    from . import recycle

    return f"{recycle.purge()} deleted records purged after the retention period"


@recorded("idempotency_purge")
def purge_idempotency_keys() -> str:
    from . import idempotency

    return f"{idempotency.purge()} expired idempotency keys removed"
