"""Reads of the learning area; every one takes the user and applies their scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404
from django.utils import timezone

from zugong.core.access import get_for_user
from zugong.core.memo import memo
from zugong.core.periods import Period, PeriodKind
from zugong.people.access import (
    departments_for,
    person_for_filter,
    scope_q,
    subtree_q,
    unit_filter_q,
    unit_for_filter,
)
from zugong.people.models import OrgUnit, Person, UnitKind

from . import compliance, events
from .access import Cap, may_record_for
from .models import (
    CITY_OR_ABOVE,
    RECORD_MODELS,
    CalendarDay,
    CopyFlag,
    Exemption,
    FirstTopic,
    NotePhoto,
    ReadingItem,
    Regime,
    ReviewStatus,
    StudyMaterial,
)


def _person_q(user, cap=Cap.LEARNING_VIEW) -> Q:
    q = scope_q(user, cap, kind="person")
    if q is None:
        raise PermissionDenied
    return q


def _of_people(q: Q) -> Q:
    """Records whose person matches ``q`` (as a subquery: one statement)."""
    return Q(person__in=Person.objects.filter(q).values("pk"))


@dataclass
class RecordFilters:
    kind: str = "study"
    person: int | None = None
    status: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    writing_kind: str = ""
    level: str = ""
    form: str = ""
    listed: bool = False
    unit: int | None = None

    @classmethod
    def from_params(cls, params) -> RecordFilters:
        f = cls()
        kind = params.get("kind", "study")
        f.kind = kind if kind in RECORD_MODELS else "study"
        for name in ("person", "unit"):
            raw = params.get(name, "")
            setattr(f, name, int(raw) if raw.isdigit() else None)
        for name in ("start", "end"):
            try:
                setattr(f, name, dt.date.fromisoformat(params.get(name, "")))
            except ValueError:
                pass
        status = params.get("status", "")
        f.status = status if status in ReviewStatus.values else ""
        f.writing_kind = params.get("writing_kind", "")[:12]
        f.level = params.get("level", "")[:12]
        f.form = params.get("form", "")[:20]
        f.listed = params.get("listed") == "1"
        return f

    def as_params(self) -> dict[str, str]:
        out = {"kind": self.kind}
        for name in ("person", "unit", "status", "writing_kind", "level", "form"):
            if getattr(self, name):
                out[name] = str(getattr(self, name))
        for name in ("start", "end"):
            if getattr(self, name):
                out[name] = getattr(self, name).isoformat()
        if self.listed:
            out["listed"] = "1"
        return out


# The columns of a record that the records list shows (``templatetags.record_rows``: its
# text, date, status and reason, the person's name and unit) and checks (``may_confirm``:
# who edited it last). A page of fifty rows with every column of the record, the person
# and the unit took twice the app's CPU of these (5.4 against 2.6 ms, issue 23).
_LIST_FIELDS = {"study": ("topic", "hours"), "note": ("title", "char_count"),
                "book": ("title",), "writing": ("title", "kind", "outlet_level")}


def record_list_for_page(*, user, filters: RecordFilters):
    """``record_list`` with only the columns the records page reads."""
    return record_list(user=user, filters=filters).only(
        "on", "status", "return_reason", "edited_by", "person__name", "person__unit__name",
        *_LIST_FIELDS[filters.kind])


def record_list(*, user, filters: RecordFilters):
    model = RECORD_MODELS[filters.kind]
    # The list shows each person's name and unit: their encrypted columns are left
    # unread (a page of one cadre's 50 records decrypted the same ID number and phone
    # 50 times each).
    qs = model.objects.filter(_of_people(_person_q(user))).select_related(
        "person", "person__unit").defer("person__id_number", "person__phone")
    # A filter on someone or some unit out of scope is "not found", like the record.
    # (One's own records are always in the list, whatever the scope.)
    if filters.person and str(filters.person) != str(user.person_id):
        qs = qs.filter(person_id=person_for_filter(user, Cap.LEARNING_VIEW, filters.person).pk)
    elif filters.person:
        qs = qs.filter(person_id=user.person_id)
    if filters.unit:
        qs = qs.filter(unit_filter_q(user, Cap.LEARNING_VIEW, filters.unit))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.start:
        qs = qs.filter(on__gte=filters.start)
    if filters.end:
        qs = qs.filter(on__lte=filters.end)
    if filters.kind == "writing":
        if filters.writing_kind:
            qs = qs.filter(kind=filters.writing_kind)
        if filters.level == "city_up":
            qs = qs.filter(outlet_level__in=CITY_OR_ABOVE)
        elif filters.level:
            qs = qs.filter(outlet_level=filters.level)
    if filters.kind == "study" and filters.form:
        qs = qs.filter(form=filters.form)
    if filters.kind == "book" and filters.listed:
        qs = qs.filter(reading_item__isnull=False)
    return qs.order_by("-on", "-id")


# The columns the "my recent records" card shows (the record's __str__ and its badge).
_RECENT_FIELDS = {"study": ("topic", "hours"), "note": ("title",), "book": ("title",),
                  "writing": ("title",)}


def my_recent_records(*, user, limit: int = 8) -> list:
    """The user's own newest records of every kind, newest first.

    One's own records are always visible (as in ``record_list``), so no scope is joined,
    and only the shown columns are read: this card is on the page cadres open most. It is
    kept (``core.memo``) under the person's scope, which every service that writes,
    reviews, deletes or restores one of their records bumps, as their progress is.
    """
    if not user.person_id:
        return []
    return memo("learning.my_recent", [user.person_id, limit],
                [events.RECORDS_SCOPE, events.person_scope(user.person_id)],
                lambda: _my_recent_records(user.person_id, limit), timeout=MY_PROGRESS_SECONDS)


def _my_recent_records(person_id: int, limit: int) -> list:
    recent = []
    for kind, model in RECORD_MODELS.items():
        recent += model.objects.filter(person_id=person_id).only(
            "id", "on", "created_at", "status", *_RECENT_FIELDS[kind]).order_by(
            "-on", "-id")[:limit]
    recent.sort(key=lambda r: (r.on, r.created_at), reverse=True)
    return recent[:limit]


def pending_counts(*, user) -> dict[str, int]:
    """Records waiting for this user's confirmation, per kind (four counts)."""
    q = scope_q(user, Cap.LEARNING_REVIEW, kind="person")
    if q is None:
        return {}
    own = Q(person_id=user.person_id) if user.person_id else Q(pk__in=[])
    return {kind: model.objects.filter(_of_people(q), status=ReviewStatus.PENDING)
            .exclude(own).count() for kind, model in RECORD_MODELS.items()}


def record_get_for_user(user, kind: str, pk, *, write: bool = False):
    """One record: 404 outside scope; 403 when visible but the user may not change it."""
    model = RECORD_MODELS.get(kind)
    if model is None:
        raise Http404
    visible = model.objects.filter(_of_people(_person_q(user))).select_related(
        "person", "person__unit")
    return get_for_user(visible, pk, write=write,
                        may_write=lambda record: may_record_for(user, record.person))


def records_get_for_user(user, keys) -> list:
    """Several records named by ``(kind, pk)``, each once, in that order, with one query
    per kind: 404 when any is missing or outside the user's scope, as
    ``record_get_for_user`` answers for each (a chief confirms a page of records at once)."""
    keys = list(dict.fromkeys((kind, int(pk)) for kind, pk in keys))
    wanted: dict[str, list[int]] = {}
    for kind, pk in keys:
        if kind not in RECORD_MODELS:
            raise Http404
        wanted.setdefault(kind, []).append(pk)
    found = {}
    q = _person_q(user)
    for kind, pks in wanted.items():
        rows = RECORD_MODELS[kind].objects.filter(_of_people(q), pk__in=pks).select_related(
            "person", "person__unit")
        found.update({(kind, r.pk): r for r in rows})
    if len(found) < len(keys):
        raise Http404
    return [found[key] for key in keys]


def person_get_for_user(user, pk) -> Person:
    """A person whose learning the user may see (404 otherwise)."""
    return get_for_user(Person.objects.filter(_person_q(user)).select_related("unit"), pk)


def no_people():
    """An empty choice of people (a form shown before the department has a regime)."""
    return Person.objects.none()


def people_for_recording(*, user):
    """Whom the user may record for: themself and, as a reviewer, the people in scope."""
    q = scope_q(user, Cap.LEARNING_REVIEW, kind="person")
    own = Q(pk=user.person_id) if user.person_id else Q(pk__in=[])
    return Person.objects.filter((q if q is not None else Q(pk__in=[])) | own,
                                 is_active=True).order_by("unit_path", "name")


# ---------------------------------------------------------------- departments and regimes


def regime_for(person: Person) -> Regime | None:
    """The regime in force for a person: their department's active one."""
    dept_id = person.unit.department_id or person.unit_id
    return Regime.objects.filter(department_id=dept_id, is_active=True).select_related(
        "department").first()


def regime_of(department: OrgUnit) -> Regime | None:
    return Regime.objects.filter(department=department, is_active=True).first()


def _governing(day: dt.date) -> Q:
    """Regimes governing ``day``: begun by then, and in force or ended on or after it."""
    return ((Q(valid_from__isnull=True) | Q(valid_from__lte=day))
            & (Q(is_active=True, valid_to__isnull=True) | Q(valid_to__gte=day)))


def regime_at(department_id: int, day: dt.date) -> Regime | None:
    """The regime that governed a department on ``day`` (a later one does not erase it)."""
    return Regime.objects.filter(_governing(day), department_id=department_id).select_related(
        "department").order_by("-is_active", "-valid_from", "-pk").first()


def regime_for_window(department: OrgUnit, window: Period,
                      today: dt.date | None = None) -> Regime | None:
    """The regime that judges a period: the one governing its last day (to date); a
    period before every regime is judged by the one in force."""
    today = today or timezone.localdate()
    day = window.start if window.start > today else min(window.end, today)
    return regime_at(department.pk, day) or regime_of(department)


def regimes_overlapping(department: OrgUnit, start: dt.date, end: dt.date) -> list[Regime]:
    """The department's regimes that governed some day of [start, end], oldest first."""
    return list(Regime.objects.filter(
        (Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        & (Q(is_active=True, valid_to__isnull=True) | Q(valid_to__gte=start)),
        department=department).order_by("valid_from", "pk"))


def exemption_list(*, regime: Regime):
    return Exemption.objects.filter(regime=regime).select_related("person")


# ---------------------------------------------------------------- compliance


def filter_unit(*, user, pk) -> OrgUnit | None:
    """The unit a page's ``?unit=`` filter names (a figure's link to its records), for the
    page to show; None without one. Outside the user's learning scope it is 404 like a
    missing one."""
    return unit_for_filter(user, Cap.LEARNING_VIEW, pk) if pk else None


def compliance_people(*, user, regime: Regime, unit: OrgUnit | None = None):
    people = compliance.people_under(regime, Person.objects.filter(_person_q(user)))
    if unit is not None:
        people = people.filter(subtree_q("unit_path", unit.path))
    return people


def department_compliance(*, user, regime: Regime, windows: list[Period],
                          unit: OrgUnit | None = None, today: dt.date | None = None):
    # Only the people the rules may hold: every reader of this result (the page, the API,
    # the export) shows cells, which nobody else has.
    return compliance.evaluate_many(
        regimes=[regime], people=compliance_people(user=user, regime=regime, unit=unit),
        windows=windows, today=today or timezone.localdate(), audience_only=True)[regime.pk]


def subtree_rollup(*, user, department: OrgUnit, window: Period,
                   today: dt.date | None = None) -> list[dict]:
    """For an upper department (city, province): each lower department's regime and how
    many of its people meet each rule, computed in one pass for all (evaluate_many)."""
    regimes = list(Regime.objects.filter(
        subtree_q("department__path", department.path), is_active=True).exclude(
        department=department).select_related("department").order_by("department__path"))
    if not regimes:
        return []
    people = Person.objects.filter(_person_q(user), subtree_q("unit_path", department.path),
                                   is_active=True)
    results = compliance.evaluate_many(regimes=regimes, people=people, windows=[window],
                                       today=today or timezone.localdate())
    rows = []
    for regime in regimes:
        result = results[regime.pk]
        if not result.subjects:
            continue
        rows.append({"regime": regime, "people": len(result.subjects),
                     "rules": [(s, result.summary(s.number, window)) for s in result.series]})
    return rows


# How long a cadre's own progress may miss a change outside their learning records,
# exemptions and the rules: a transfer or a new category (rare), or a record of another
# app that a rule counts (its page shows it at once). The answer and the targets under it
# are each kept half of it.
MY_PROGRESS_SECONDS = 300


def my_progress(*, user, today: dt.date | None = None):
    """The user's own compliance this month (longer rules: their period to date): the
    regime, the month, and each rule that applies with the person's cell, as
    ``(regime, window, [(series, cell)])``; ``(None, None, [])`` without a regime.

    Kept (``core.memo``) until the person's records or exemptions or the rules change: it
    is the page cadres open most, and their learning home and workbench both show it.
    After a new record only the figures are read again: the targets are kept apart
    (``_my_frame``), under the rules and the person's exemptions, which records do not
    change. What is kept holds rules, dates and figures, not the person.
    """
    person = getattr(user, "person", None)
    if person is None:
        return None, None, []
    today = today or timezone.localdate()
    return memo("learning.my_progress", [person.pk, today],
                [events.RULES_SCOPE, events.RECORDS_SCOPE, events.person_scope(person.pk)],
                lambda: _my_progress(person, today), timeout=MY_PROGRESS_SECONDS // 2)


def _my_progress(person: Person, today: dt.date):
    regime, window, frame = memo(
        "learning.my_frame", [person.pk, today],
        [events.RULES_SCOPE, events.exemption_scope(person.pk)],
        lambda: _my_frame(person, today), timeout=MY_PROGRESS_SECONDS // 2)
    if regime is None:
        return None, None, []
    result = compliance.judge(frame, compliance.actuals(
        frame, Person.objects.filter(pk=person.pk)))[regime.pk]
    cells = [(s, c) for s in result.series if (c := result.cell(person.pk, s.number, window))]
    return regime, window, cells


def _my_frame(person: Person, today: dt.date):
    """The person's regime, this month and the frame of their judgement (targets without
    figures, ``compliance.Frame``)."""
    regime = regime_for(person)
    if regime is None:
        return None, None, None
    window = Period.containing(PeriodKind.MONTH, today)
    return regime, window, compliance.frame_many(
        regimes=[regime], people=Person.objects.filter(pk=person.pk), windows=[window],
        today=today, one_read=True)


def person_learning(*, user, pk, today: dt.date | None = None) -> dict:
    """One person's learning for their page: this year per rule, and recent records."""
    person = person_get_for_user(user, pk)
    today = today or timezone.localdate()
    regime = regime_for(person)
    year = Period.containing(PeriodKind.YEAR, today)
    cells = []
    if regime is not None:
        result = compliance.evaluate(regime=regime, people=Person.objects.filter(pk=person.pk),
                                     windows=[year], today=today)
        cells = [(s, c) for s in result.series if (c := result.cell(person.pk, s.number, year))]
    recent = {kind: list(model.objects.filter(person=person).order_by("-on", "-id")[:5])
              for kind, model in RECORD_MODELS.items()}
    return {"person": person, "regime": regime, "year": year, "cells": cells,
            "recent": recent}


def section_choices(department: OrgUnit):
    return OrgUnit.objects.filter(subtree_q("path", department.path),
                                  kind=UnitKind.SECTION).order_by("path")


def sections_to_filter(*, user, department: OrgUnit):
    """The sections of ``department`` a compliance page may be narrowed to: those within
    the user's learning scope (any other is 404 there, so it is not offered)."""
    q = scope_q(user, Cap.LEARNING_VIEW, kind="unit")
    return section_choices(department).filter(q) if q is not None else OrgUnit.objects.none()


# ---------------------------------------------------------------- department resources


def first_topic_list(*, user, department: OrgUnit):
    return FirstTopic.objects.filter(department=department).prefetch_related("attendees")


def reading_list(*, department: OrgUnit | None, year: int | None = None):
    if department is None:
        return ReadingItem.objects.none()
    qs = ReadingItem.objects.filter(department=department, is_active=True)
    return qs.filter(year=year) if year else qs


def reading_item_for(person: Person, pk) -> ReadingItem | None:
    """A book of the reading list of the person's department, or None."""
    dept_id = person.unit.department_id or person.unit_id
    return ReadingItem.objects.filter(pk=pk, department_id=dept_id).first()


def material_list(*, department: OrgUnit):
    return StudyMaterial.objects.filter(department=department).select_related("added_by")


def material_get_for_user(user, pk) -> StudyMaterial:
    """A study material of a department the user may use (404 otherwise)."""
    depts = departments_for(user, Cap.LEARNING_VIEW)
    return get_for_user(StudyMaterial.objects.filter(department__in=depts), pk)


def note_photo_get_for_user(user, note_pk, photo_pk) -> NotePhoto:
    """A photo of a note the user may see (404 otherwise, as for the note)."""
    note = record_get_for_user(user, "note", note_pk)
    return get_for_user(NotePhoto.objects.filter(note=note), photo_pk)


def writing_file_get_for_user(user, pk):
    """The file of a writing the user may see (its field; 404 for the writing as usual)."""
    return record_get_for_user(user, "writing", pk).file


def copy_flags(*, user, state: str = CopyFlag.State.OPEN):
    q = scope_q(user, Cap.LEARNING_REVIEW, kind="person")
    if q is None:
        raise PermissionDenied
    # The other text's writer may be outside the reader's scope (the check compares the
    # whole department): the pages then name neither that person nor their record.
    seen = Person.objects.filter(_person_q(user)).values("pk")
    qs = CopyFlag.objects.filter(_of_people(q)).select_related("person", "other_person") \
        .annotate(other_visible=ExpressionWrapper(Q(other_person__in=seen),
                                                  output_field=BooleanField()))
    return qs.filter(state=state) if state else qs


def copy_flag_get_for_user(user, pk) -> CopyFlag:
    return get_for_user(copy_flags(user=user, state=""), pk)


def copy_flag_texts(flag: CopyFlag) -> tuple:
    """The two records of a flag (either may have been removed since); the other one only
    when its writer is within the reader's scope (``copy_flags`` says so)."""
    def load(kind, pk):
        return RECORD_MODELS[kind].objects.filter(pk=pk).first()

    other = load(flag.other_kind, flag.other_id) if flag.other_visible else None
    return load(flag.source_kind, flag.source_id), other


def calendar_days():
    """The entries of the editable calendar, newest first."""
    return CalendarDay.objects.order_by("-day")
