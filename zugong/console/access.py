"""Who may read the values an audit entry records (the auditor never may).

The auditor sees who did what kind of thing to which object, when, from where and which
fields; the values (a family member's name, a veto note) are cadre data. They open only to
a business role holding ``audit.values`` whose scope covers the person the record is
about, and each opening is itself audited (console.services.audit_values_read).
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

from zugong.people import access as people_access
from zugong.people.access import has_cap, scope_q
from zugong.people.models import Person


class Cap(people_access.Cap):
    AUDIT_VALUES = "audit.values"


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
