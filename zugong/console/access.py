"""Who sees the recycle bin (回收站), and which of its entries.

An entry is visible to a user who holds, over the record's person (or, for a record not
about one person, its department), the capability that deleted it: whoever could delete
it can see it and put it back. Erasing for good is a capability of its own, per
department.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from zugong.core.models import RecycledRecord
from zugong.core.registry import role_caps
from zugong.people.access import Cap as PeopleCap
from zugong.people.access import assignments, departments_for, people_in_scope


class Cap(PeopleCap):
    RECYCLE_VIEW = "recycle.view"
    RECYCLE_ERASE = "recycle.erase"


def recycled_q(user) -> Q | None:
    """Filter for the bin entries ``user`` may see and restore; None when none at all."""
    held = set()
    for a in assignments(user):
        held |= role_caps().get(a.role, frozenset())
    caps = held & set(RecycledRecord.objects.values_list("cap", flat=True).distinct())
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
