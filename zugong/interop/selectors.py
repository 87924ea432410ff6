"""Reads for import and export, always for a user and within their scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zugong.people.access import has_cap, scope_q
from zugong.people.models import Person
from zugong.people.selectors import PersonFilters, person_get_for_user, person_list

from .access import Cap
from .models import ImportBatch


def exportable_people(*, user, filters: PersonFilters | None = None, ids=None):
    """People the user may export: the list's filters, limited to the export scope."""
    if not has_cap(user, Cap.PEOPLE_EXPORT):
        raise PermissionDenied
    q = scope_q(user, Cap.PEOPLE_EXPORT, kind="person")
    qs = person_list(user=user, filters=filters).filter(q)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs


def person_for_export(user, pk) -> Person:
    """One person to export or print: 404 outside the user's scope, 403 without export."""
    person = person_get_for_user(user, pk)
    q = scope_q(user, Cap.PEOPLE_EXPORT, kind="person")
    if q is None or not Person.objects.filter(q, pk=person.pk).exists():
        raise PermissionDenied
    return person


def can_import(user) -> bool:
    return has_cap(user, Cap.PEOPLE_CHANGE)


def batch_get_for_user(user, pk) -> ImportBatch:
    """A batch is private to the person who uploaded it."""
    if not can_import(user):
        raise PermissionDenied
    try:
        return ImportBatch.objects.select_related("unit").get(pk=pk, created_by=user)
    except (ImportBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


BATCH_ORDER = ("-created_at", "-id")
BATCH_PAGE = 20


def batch_list(*, user):
    """The user's own batches, newest first (pages page them with ``BATCH_ORDER``)."""
    if not can_import(user):
        raise PermissionDenied
    return ImportBatch.objects.filter(created_by=user).defer("payload").order_by(*BATCH_ORDER)

