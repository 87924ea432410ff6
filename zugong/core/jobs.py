"""Every background or scheduled job leaves a visible run record."""

import functools
import traceback

from django.utils import timezone

from .models import JobRun


def recorded(name: str):
    """Wrap a job function so each run is stored as a ``JobRun``.

    The function may return a short text that becomes the run's message.
    """

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            run = JobRun.objects.create(
                name=name, started_at=timezone.now(), status=JobRun.Status.RUNNING
            )
            try:
                message = func(*args, **kwargs)
            except Exception:
                run.status = JobRun.Status.FAILED
                run.message = traceback.format_exc(limit=5)[-4000:]
                run.finished_at = timezone.now()
                run.save(update_fields=["status", "message", "finished_at"])
                raise
            run.status = JobRun.Status.SUCCEEDED
            run.message = str(message or "")[:4000]
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "message", "finished_at"])
            return message

        return wrapper

    return decorator
