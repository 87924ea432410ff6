"""Writes of ability records. Every write validates everything at once (one
``ValidationError`` with each field's message), runs in one transaction and leaves an
audit entry; edits go through ``versioned_update``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import SYSTEM, audit_record
from zugong.core.versioning import versioned_update
from zugong.people.models import OrgUnit, Person

from . import events
from .access import may_manage_department
from .models import DISCUSSANTS, LECTURERS, Lecture, Part, Seat, Series, Topic
from .selectors import department_people


def _add(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def _actor(by):
    return SYSTEM if by is None else by


def _check_manager(by, department: OrgUnit) -> None:
    if by is not SYSTEM and not may_manage_department(by, department.pk):
        raise PermissionDenied


def _ids(people: Iterable) -> list[int]:
    out = []
    for p in people or ():
        pk = p.pk if isinstance(p, Person) else p
        if pk not in out:
            out.append(pk)
    return out


def _lecture_errors(*, department, series, topic, title, held_on, lecturers, discussants,
                    audience) -> dict:
    errors: dict = {}
    if series not in Series.values:
        _add(errors, "series", _("Choose the series."))
    if topic not in Topic.values:
        _add(errors, "topic", _("Choose the topic."))
    if not (title or "").strip():
        _add(errors, "title", _("Give the lecture a title."))
    if held_on is None:
        _add(errors, "held_on", _("Give the day of the lecture."))
    if series in Series.values:
        lo, hi = LECTURERS[series]
        if not lo <= len(lecturers) <= hi:
            _add(errors, "lecturers", _("A session has %(lo)d to %(hi)d lecturers.")
                 % {"lo": lo, "hi": hi})
        lo, hi = DISCUSSANTS[series]
        if not lo <= len(discussants) <= hi:
            _add(errors, "discussants", _("A session has %(lo)d to %(hi)d discussants.")
                 % {"lo": lo, "hi": hi})
    if set(lecturers) & set(discussants):
        _add(errors, "discussants", _("A lecturer is not also a discussant."))
    named = set(lecturers) | set(discussants) | set(audience)
    if named:
        known = set(department_people(department).filter(pk__in=named)
                    .values_list("pk", flat=True))
        # One message for a missing id and for someone of another department: no hint.
        for field, ids in (("lecturers", lecturers), ("discussants", discussants),
                           ("audience", audience)):
            if set(ids) - known:
                _add(errors, field, _("Choose people of the lecture's department."))
    return errors


def _seats(lecture: Lecture, *, lecturers, discussants, audience, by) -> list[Seat]:
    """Lecturers and discussants first; someone also listed in the audience keeps the
    larger part (a discussant is not counted twice)."""
    parts: dict[int, str] = {}
    for part, ids in ((Part.LECTURER, lecturers), (Part.DISCUSSANT, discussants),
                      (Part.AUDIENCE, audience)):
        for pk in ids:
            parts.setdefault(pk, part)
    created_by = None if by is SYSTEM else by
    return [Seat(lecture=lecture, person_id=pk, part=part, on=lecture.held_on,
                 created_by=created_by) for pk, part in parts.items()]


def lecture_record(*, by, department: OrgUnit, series: str = Series.HALL, topic: str,
                   title: str, held_on: dt.date, place: str = "", summary: str = "",
                   lecturers: Iterable = (), discussants: Iterable = (),
                   audience: Iterable = ()) -> Lecture:
    """Record a session with its lecturers, discussants and audience (the audience gives
    the person-times trained)."""
    _check_manager(by, department)
    lecturers, discussants, audience = _ids(lecturers), _ids(discussants), _ids(audience)
    errors = _lecture_errors(department=department, series=series, topic=topic, title=title,
                             held_on=held_on, lecturers=lecturers, discussants=discussants,
                             audience=audience)
    if held_on and held_on > timezone.localdate():
        _add(errors, "held_on", _("Record a lecture once it has been held."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lecture = Lecture.objects.create(
            department=department, series=series, topic=topic, title=title.strip(),
            held_on=held_on, place=(place or "").strip(), summary=(summary or "").strip(),
            created_by=None if by is SYSTEM else by)
        Seat.objects.bulk_create(_seats(lecture, lecturers=lecturers, discussants=discussants,
                                        audience=audience, by=by))
        audit_record(actor=_actor(by), action=events.LECTURE_RECORD, obj=lecture,
                     after={"series": series, "topic": topic, "held_on": held_on.isoformat(),
                            "lecturers": lecturers, "discussants": discussants,
                            "audience": len(set(audience) - set(lecturers)
                                            - set(discussants))})
    return lecture


def lecture_update(*, by, lecture: Lecture, version, series: str, topic: str, title: str,
                   held_on: dt.date, place: str = "", summary: str = "",
                   lecturers: Iterable = (), discussants: Iterable = (),
                   audience: Iterable = ()) -> Lecture:
    """Change a session and its seats; a stale edit raises ``ConflictError``."""
    _check_manager(by, lecture.department)
    lecturers, discussants, audience = _ids(lecturers), _ids(discussants), _ids(audience)
    errors = _lecture_errors(department=lecture.department, series=series, topic=topic,
                             title=title, held_on=held_on, lecturers=lecturers,
                             discussants=discussants, audience=audience)
    if held_on and held_on > timezone.localdate():
        _add(errors, "held_on", _("Record a lecture once it has been held."))
    if errors:
        raise ValidationError(errors)

    def reseat(locked: Lecture) -> None:
        Seat.objects.filter(lecture=locked).delete()
        Seat.objects.bulk_create(_seats(locked, lecturers=lecturers, discussants=discussants,
                                        audience=audience, by=by))

    return versioned_update(
        lecture, version=version, by=_actor(by), action=events.LECTURE_UPDATE,
        changes={"series": series, "topic": topic, "title": title.strip(), "held_on": held_on,
                 "place": (place or "").strip(), "summary": (summary or "").strip()},
        apply=reseat, snapshot=("series", "topic", "title", "held_on", "place")).instance


def export_logged(*, by, action: str, count: int) -> None:
    """An export leaves an audit entry naming how many rows left the system."""
    audit_record(actor=by, action=action, object_type="ability.lecture", after={"rows": count})
