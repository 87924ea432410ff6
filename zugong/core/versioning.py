"""Edits that carry the version they started from (DESIGN.md, "Reliability").

Every versioned model has ``version = PositiveIntegerField(default=1)``. A page or API
client sends back the version it showed; :func:`versioned_update` refuses the edit with
:class:`ConflictError` when someone else saved in between, instead of silently
overwriting their work. The comparison happens on the row *locked inside the
transaction*: comparing before taking the lock lets two editors who both loaded version 1
both pass the check and the later save win.

Why one function with ``changes`` / ``apply`` rather than a ``with versioned(obj)``
block: the steps lock → compare → change → validate → bump → save → audit must run in
this order in one transaction, and a function makes it impossible to forget the last
three or to run them outside the lock. ``changes`` reads well for form data
(``changes=form.cleaned_data``) and for simple state transitions
(``changes={"status": PlanStatus.OPEN}``); ``apply`` takes the rest (checks on the locked
state, derived fields), and may raise ``ValidationError`` to abandon the edit.

Pages catch the error and show it as a non-field form error::

    try:
        plan = plan_settings(by=request.user, plan=plan, version=form.cleaned_data["version"],
                             data=form.cleaned_data)
    except ConflictError as exc:
        form.add_error(None, str(exc))

The API maps it to 409 (``config/api.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .audit import audit_record, model_snapshot

M = TypeVar("M", bound=models.Model)

CONFLICT_MESSAGE = _(
    "Someone else changed this record after you opened it. Reload the page to see the "
    "current version; your changes were not saved."
)


class ConflictError(Exception):
    """The record changed since the editor loaded it; nothing was saved.

    Every conflict says the same thing, so the message is built in; a ``message`` may still
    be given by older callers.
    """

    def __init__(self, message: str | None = None):
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        # Translated when shown, in the language of the request that shows it.
        return str(self.message or CONFLICT_MESSAGE)


def conflict_message() -> str:
    """The conflict text, for a page that detects a conflict without the exception."""
    return str(CONFLICT_MESSAGE)


@dataclass(frozen=True)
class Versioned(Generic[M]):
    """What an edit produced: the saved instance and the audited fields before and after."""

    instance: M
    before: dict
    after: dict

    @property
    def changed(self) -> dict:
        """{field: (before, after)} for every audited field whose value changed."""
        return {k: (self.before.get(k), v) for k, v in self.after.items()
                if self.before.get(k) != v}


def versioned_update(
    obj: M,
    *,
    version: int | str | None,
    changes: Mapping[str, Any] | None = None,
    apply: Callable[[M], None] | None = None,
    snapshot: Sequence[str] = (),
    by=None,
    action: str | Callable[[Versioned[M]], str] = "",
    validate: bool = True,
    validate_exclude: Sequence[str] = (),
    queryset: models.QuerySet | None = None,
) -> Versioned[M]:
    """Apply an edit to ``obj``'s row if it is still at ``version``; one transaction.

    ``changes`` (model field names only) are set on the locked instance, then
    ``apply(locked)`` runs. Then ``full_clean(exclude=validate_exclude)`` (unless
    ``validate=False``), the version is bumped and the row saved. ``snapshot`` names the
    fields recorded before and after; with ``action`` (a name, or a function of the
    result choosing one, e.g. "reopen" vs "update"), the audit entry for ``by`` is written
    in the same transaction, listing the changed fields only. ``queryset`` is what the row
    is locked through (for ``select_related`` the validation needs); it defaults to the
    model's base manager.

    ``obj`` itself is left untouched: use the returned ``instance``. A caller with more
    to do in the same transaction (photos, notices) wraps the call in
    ``transaction.atomic()``; this one then becomes a savepoint inside it.
    """
    try:
        expected = int(version)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        # A form that lost its version cannot prove it saw the current row.
        raise ConflictError from None
    model = type(obj)
    source = queryset if queryset is not None else model._base_manager.all()
    with transaction.atomic():
        # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the outer
        # joins select_related may add, and only this row needs the lock anyway.
        # SQLite ignores FOR UPDATE; its immediate transactions already serialize writers.
        locked = source.select_for_update(of=("self",)).get(pk=obj.pk)
        if locked.version != expected:
            raise ConflictError
        before = model_snapshot(locked, snapshot)
        for name, value in (changes or {}).items():
            model._meta.get_field(name)  # a misspelt name fails loudly, not silently
            setattr(locked, name, value)
        if apply is not None:
            apply(locked)
        if validate:
            locked.full_clean(exclude=list(validate_exclude) or None)
        locked.version = expected + 1
        locked.save()
        result = Versioned(instance=locked, before=before, after=model_snapshot(locked, snapshot))
        name = action(result) if callable(action) else action
        if name:
            changed = result.changed
            audit_record(actor=by, action=name, obj=locked,
                         before={k: b for k, (b, _a) in changed.items()},
                         after={k: a for k, (_b, a) in changed.items()})
    return result
