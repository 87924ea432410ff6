"""What every write of the task ledger shares: error collection, recipients, the system
actor, and the one way a task's row is changed under its version."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from zugong.core.audit import SYSTEM
from zugong.core.files import DOCUMENTS, check_upload
from zugong.core.versioning import versioned_update
from zugong.people.models import User

from ..models import Task

# Days before a deadline when the lead is reminded, and days overdue before the deputy
# in charge is told: the defaults of the settings ZUGONG_TASKS_REMIND_DAYS and
# ZUGONG_TASKS_ESCALATE_DAYS (read on every run, see docs/tasks.md).
REMIND_DAYS = 3
ESCALATE_DAYS = 5


def _days_setting(name: str, default: int) -> int:
    """A whole number of days ≥ 0 from the settings; anything else is the default."""
    value = getattr(settings, name, default)
    try:
        days = int(value)
    except (TypeError, ValueError):
        return default
    return days if days >= 0 and not isinstance(value, bool) else default


def remind_days() -> int:
    return _days_setting("ZUGONG_TASKS_REMIND_DAYS", REMIND_DAYS)


def escalate_days() -> int:
    return _days_setting("ZUGONG_TASKS_ESCALATE_DAYS", ESCALATE_DAYS)
# How the everyday record (工作记实) names the notes this app writes; it is shown as is.
NOTE_SOURCE = "任务台账"


class _Unversioned:
    """``version`` of an edit made by the system (a job, the demo, an import): the row is
    still locked and its version bumped, but there is no editor's version to compare."""

    def __repr__(self) -> str:
        return "UNVERSIONED"


UNVERSIONED = _Unversioned()


def _add(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def is_system(by) -> bool:
    """Jobs and the system act as ``SYSTEM`` (``None`` is still accepted)."""
    return by is None or by is SYSTEM


def actor(by):
    """Who the audit names: the user, or SYSTEM for jobs."""
    return SYSTEM if by is None else by


def user_or_none(by):
    """What a model's "by" foreign key holds: the user, or nothing for the system."""
    return None if is_system(by) else by


def _users_of(*people) -> list:
    ids = [p.pk for p in people if p is not None]
    return list(User.objects.filter(person_id__in=ids, is_active=True))


def _task_url(task: Task) -> str:
    return reverse("tasks:task", args=[task.pk])


def _check_evidence(evidence, errors: dict, field: str = "evidence") -> None:
    """Size (ZUGONG_UPLOAD_MAX_BYTES) and type by content, as every upload (core.files)."""
    if not evidence:
        return
    try:
        check_upload(evidence, field=field, kinds=DOCUMENTS)
    except ValidationError as exc:
        for message in exc.message_dict[field]:
            _add(errors, field, message)


def edit_task(task: Task, *, version, apply: Callable[[Task], None]) -> Task:
    """Change ``task``'s row under lock and bump its version; call inside a transaction.

    With the editor's ``version`` (pages and the API send the one they showed), this is
    :func:`versioned_update`: the version is compared on the locked row and a stale edit
    raises ``ConflictError``. With ``UNVERSIONED`` (jobs, the demo), the row is locked and
    bumped without a comparison. ``apply`` sees the locked row and may raise
    ``ValidationError`` to abandon the edit.
    """
    if version is not UNVERSIONED:
        return versioned_update(task, version=version, apply=apply, validate=False).instance
    locked = Task.objects.select_for_update().get(pk=task.pk)
    apply(locked)
    locked.version += 1
    locked.save()
    return locked
