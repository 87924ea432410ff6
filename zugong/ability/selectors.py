"""Reads of ability records; every function takes the user whose departments apply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404

from zugong.core.access import get_for_user
from zugong.people.models import OrgUnit, Person

from .access import Cap, department_ids, may_manage_department, subtree_q
from .models import Lecture, Part, Seat, Series, Topic

LECTURE_ORDER = ("-held_on", "-id")


@dataclass(frozen=True)
class LectureFilters:
    series: str = ""
    topic: str = ""
    person: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def _visible_departments(user) -> list[int]:
    ids = department_ids(user, Cap.ABILITY_VIEW)
    if not ids:
        raise PermissionDenied
    return ids


def departments_q(ids: list[int], field: str = "unit_path") -> Q:
    """People (or units, with ``field="path"``) inside any of the departments ``ids``."""
    q = Q(pk__in=[])
    for path in OrgUnit.objects.filter(pk__in=ids).values_list("path", flat=True):
        q |= subtree_q(field, path)
    return q


def person_for_filter(user, pk) -> Person:
    """The person a ``?person=`` filter names, if they belong to one of the user's
    departments: anyone else answers 404, as a missing id does, and is never named."""
    person = None
    if str(pk).isdigit():
        person = Person.objects.filter(departments_q(_visible_departments(user)),
                                       pk=int(pk)).first()
    if person is None:
        raise Http404
    return person


def lecture_list(*, user, filters: LectureFilters = LectureFilters()):
    """Lectures of the user's departments, newest first, with the number of lecturers and
    of the audience annotated (403 without ``ability.view``)."""
    qs = Lecture.objects.filter(department_id__in=_visible_departments(user))
    if filters.series in Series.values:
        qs = qs.filter(series=filters.series)
    if filters.topic in Topic.values:
        qs = qs.filter(topic=filters.topic)
    if filters.person:
        qs = qs.filter(seats__person=person_for_filter(user, filters.person))
    if filters.start:
        qs = qs.filter(held_on__gte=filters.start)
    if filters.end:
        qs = qs.filter(held_on__lte=filters.end)
    return qs.annotate(
        lecturer_count=Count("seats", filter=Q(seats__part=Part.LECTURER), distinct=True),
        audience_count=Count("seats", filter=Q(seats__part=Part.AUDIENCE), distinct=True),
    ).prefetch_related(Prefetch(
        "seats", queryset=Seat.objects.filter(part=Part.LECTURER).select_related("person")
        .order_by("pk"), to_attr="lecturer_seats")).order_by(*LECTURE_ORDER)


def lecture_get_for_user(user, pk, *, write: bool = False) -> Lecture:
    """A lecture of the user's departments (404 otherwise); changing it needs
    ``ability.manage`` in its department (403)."""
    return get_for_user(lecture_list(user=user).select_related("department"), pk,
                        write=write,
                        may_write=lambda lec: may_manage_department(user, lec.department_id))


def lecture_seats(lecture: Lecture) -> dict[str, list[Seat]]:
    """The lecture's seats by part, each list in name order."""
    out: dict[str, list[Seat]] = {p: [] for p in Part.values}
    for seat in lecture.seats.select_related("person", "person__unit").order_by(
            "person__name", "pk"):
        out[seat.part].append(seat)
    return out


@dataclass(frozen=True)
class LectureFigures:
    """The figures the seeds report for a year (M07): sessions held, distinct lecturers,
    person-times trained (audience seats)."""

    lectures: int
    lecturers: int
    person_times: int
    discussants: int


def lecture_figures(*, user, department: OrgUnit, start: dt.date, end: dt.date
                    ) -> LectureFigures:
    """Figures of one department over [start, end]: two queries."""
    if department.pk not in _visible_departments(user):
        raise PermissionDenied
    lectures = Lecture.objects.filter(department=department, held_on__gte=start,
                                      held_on__lte=end)
    seats = Seat.objects.filter(lecture__in=lectures.values("pk")).aggregate(
        lecturers=Count("person", filter=Q(part=Part.LECTURER), distinct=True),
        person_times=Count("pk", filter=Q(part=Part.AUDIENCE)),
        discussants=Count("pk", filter=Q(part=Part.DISCUSSANT)))
    return LectureFigures(lectures=lectures.count(), lecturers=seats["lecturers"],
                          person_times=seats["person_times"],
                          discussants=seats["discussants"])


def departments_managed(user) -> list[OrgUnit]:
    """Departments where the user records lectures and pairs (may be empty)."""
    ids = department_ids(user, Cap.ABILITY_MANAGE)
    return list(OrgUnit.objects.filter(pk__in=ids).order_by("path"))


def department_people(department: OrgUnit):
    """Everyone a department's ability records may name (its cadres and managed cadres)."""
    return Person.objects.filter(subtree_q("unit_path", department.path)).select_related(
        "unit").order_by("unit_path", "name", "pk")
