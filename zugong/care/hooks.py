"""Functions the care app offers other apps through ``core.registry.hook`` (its plugin's
``hooks``), so that they use its records without importing it."""

from __future__ import annotations

import datetime as dt

from zugong.people.access import departments_for, has_cap, subtree_q

from .access import Cap
from .models import LeaveTaken

LEAVE_HOOK = "care.leave_periods"


def leave_periods(*, user, department_id: int, start: dt.date, end: dt.date
                  ) -> list[tuple[int, dt.date, dt.date]]:
    """``care.leave_periods``: the annual leave of the people of one department that
    overlaps [start, end], as (person id, first day, last day) in one query (the
    ability app's forum rotation skips a speaker on leave).

    Only the dates leave the app: not the number of days, nor the note, nor anything
    that says how much leave is left. Nothing unless the user reads care records
    (``care.view``) of that department: their own department or one in their scope,
    the same departments whose activities and leave board they see.
    """
    if user is None or not has_cap(user, Cap.CARE_VIEW):
        return []
    department = next((d for d in departments_for(user, Cap.CARE_VIEW)
                       if d.pk == department_id), None)
    if department is None:
        return []
    return list(LeaveTaken.objects.filter(subtree_q("person__unit_path", department.path),
                                          on__lte=end, until__gte=start)
                .order_by("person_id", "on", "pk")
                .values_list("person_id", "on", "until"))
