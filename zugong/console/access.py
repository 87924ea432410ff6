"""Who may do what in the console's own areas.

Audit values: the auditor sees who did what kind of thing to which object, when, from where
and which fields; the values (a family member's name, a veto note) are cadre data. They open
only to a business role holding ``audit.values`` whose scope covers the person the record is
about, and each opening is itself audited (console.services.audit_values_read).

The recycle bin (回收站): an entry is visible to a user who holds, over the record's person
(or, for a record not about one person, its department), the capability that deleted it:
whoever could delete it can see it and put it back. Erasing for good is a capability of its
own, per department.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Q

from zugong.core.models import RecycledRecord
from zugong.people import access as people_access
from zugong.people.access import caps_of, departments_for, has_cap, people_in_scope, scope_q
from zugong.people.models import Person


class Cap(people_access.Cap):
    AUDIT_VALUES = "audit.values"
    RECYCLE_VIEW = "recycle.view"
    RECYCLE_ERASE = "recycle.erase"


def subject_person_id(entry) -> int | None:
    """The person the entry's object is about: the person itself, or the ``person`` of a
    record about one (any app's model, found by the field's name). None when the object is
    about no one or no longer exists."""
    object_type, object_id = entry.object_type, entry.object_id
    if not object_type or not str(object_id).isdigit():
        return None
    if object_type == settings.ZUGONG_PERSON_MODEL.lower():
        return int(object_id)
    try:
        model = apps.get_model(object_type)
        field = model._meta.get_field("person")
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    if not field.is_relation or field.related_model is not Person:
        return None
    return (model._base_manager.filter(pk=int(object_id))
            .values_list(field.attname, flat=True).first())


def may_read_values(user, entry) -> bool:
    """Whether ``user`` may read the values of ``entry``: the capability, and a scope over
    the person it is about; an entry about no one (a unit, a rule) needs a scope over
    everyone."""
    if not has_cap(user, Cap.AUDIT_VALUES):
        return False
    q = scope_q(user, Cap.AUDIT_VALUES, kind="person")
    if q is None:
        return False
    person_id = subject_person_id(entry)
    if person_id is None:
        return q == Q()
    return Person.objects.filter(q, pk=person_id).exists()


def recycled_q(user) -> Q | None:
    """Filter for the bin entries ``user`` may see and restore; None when none at all."""
    caps = caps_of(user) & set(RecycledRecord.objects.values_list("cap", flat=True).distinct())
    q = None
    for cap in sorted(caps):
        people = people_in_scope(user, cap).values("pk")
        depts = [d.pk for d in departments_for(user, cap, own=False)]
        part = Q(cap=cap) & (Q(person_id__in=people)
                             | Q(person_id__isnull=True, department_id__in=depts))
        q = part if q is None else q | part
    return q


def erase_department_ids(user) -> set[int]:
    """Departments where the user may erase deleted records for good."""
    try:
        return {d.pk for d in departments_for(user, Cap.RECYCLE_ERASE, own=False)}
    except PermissionDenied:  # no role of the user grants it
        return set()


def may_erase(user, entry: RecycledRecord) -> bool:
    """Erasure on request is the department's decision: the erase capability must reach
    the entry's department."""
    return entry.department_id is not None and entry.department_id in erase_department_ids(user)
