"""Writes of care records. The audit trail names the record, its kind and dates, never
the content of health or hardship records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import SYSTEM, audit_record
from zugong.core.notices import notify
from zugong.core.versioning import versioned_update
from zugong.people.models import Person, Role, User

from . import events, rules
from .access import Cap, department_of, in_scope, may_manage_department
from .models import (
    Activity,
    ActivityKind,
    BirthdayForm,
    BirthdayMark,
    Hardship,
    HardshipKind,
    HealthKind,
    HealthRecord,
    LeaveTaken,
    Participation,
)
from .selectors import leave_taken_in, team


def out_of_scope_message() -> str:
    """One answer for a cadre outside the user's scope and for an id that does not exist."""
    return _("Choose a cadre in your scope.")


def _add(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def _actor(by):
    return SYSTEM if by is None else by


def _creator(by):
    return None if by is None or by is SYSTEM else by


def _may(by, cap: str, person: Person) -> bool:
    return by is None or by is SYSTEM or in_scope(by, cap, person)


def _day(errors, field, value, *, label_future=True) -> None:
    if value is None:
        _add(errors, field, _("Give the day."))
    elif label_future and value > timezone.localdate():
        _add(errors, field, _("The day cannot be in the future."))


# ---------------------------------------------------------------- activities


def activity_record(*, by, department, kind: str, title: str, held_on: dt.date,
                    organizer: Person, place: str = "", note: str = "",
                    family_guests: int = 0, participants=()) -> Activity:
    """Record a collective activity and who took part (members of the department's team
    within the recorder's scope; others are refused with the out-of-scope words)."""
    if by is not SYSTEM and not may_manage_department(by, department):
        raise PermissionDenied
    errors: dict = {}
    if kind not in ActivityKind.values:
        _add(errors, "kind", _("Choose the kind of activity."))
    if not (title or "").strip():
        _add(errors, "title", _("Give the activity a title."))
    _day(errors, "held_on", held_on)
    members = set(team(department).values_list("pk", flat=True))
    if organizer is None or organizer.pk not in members:
        _add(errors, "organizer", _("The organizer is a cadre of the department."))
    people = list(participants)
    if any(p.pk not in members or not _may(by, Cap.CARE_MANAGE, p) for p in people):
        _add(errors, "participants", out_of_scope_message())
    try:
        family_guests = int(family_guests or 0)
    except (TypeError, ValueError):
        family_guests = -1
    if not 0 <= family_guests <= 500:
        _add(errors, "family_guests", _("Give a number from 0 to 500."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        activity = Activity.objects.create(
            department=department, kind=kind, title=title.strip(), held_on=held_on,
            place=(place or "").strip(), note=(note or "").strip(), organizer=organizer,
            family_guests=family_guests if kind == ActivityKind.FAMILY else 0,
            created_by=_creator(by))
        Participation.objects.bulk_create([
            Participation(activity=activity, person=p, on=held_on, created_by=_creator(by))
            for p in {p.pk: p for p in people}.values()])
        audit_record(actor=_actor(by), action=events.ACTIVITY_RECORD, obj=activity,
                     after={"kind": kind, "held_on": held_on.isoformat(),
                            "participants": len({p.pk for p in people})})
    return activity


def activity_join(*, by, activity: Activity, version, people) -> Activity:
    """Add participants to an activity (those already in are kept)."""
    if by is not SYSTEM and not may_manage_department(by, activity.department):
        raise PermissionDenied
    members = set(team(activity.department).values_list("pk", flat=True))
    people = list(people)
    if not people:
        raise ValidationError({"participants": [_("Choose who took part.")]})
    if any(p.pk not in members or not _may(by, Cap.CARE_MANAGE, p) for p in people):
        raise ValidationError({"participants": [out_of_scope_message()]})

    def add(locked):
        have = set(Participation.objects.filter(activity=locked).values_list("person_id",
                                                                             flat=True))
        Participation.objects.bulk_create([
            Participation(activity=locked, person=p, on=locked.held_on,
                          created_by=_creator(by))
            for p in {p.pk: p for p in people}.values() if p.pk not in have])

    return versioned_update(activity, version=version, by=_actor(by),
                            action=events.ACTIVITY_JOIN, apply=add).instance


def export_logged(*, by, action: str, count: int) -> None:
    audit_record(actor=by, action=action, object_type="care.activity", after={"rows": count})


# ---------------------------------------------------------------- political birthdays


def birthday_mark(*, by, person: Person, on: dt.date, form: str, note: str = "") -> BirthdayMark:
    """Mark a Party member's political birthday of ``on``'s year (once a year)."""
    if not _may(by, Cap.CARE_MANAGE, person):
        raise ValidationError({"person": [out_of_scope_message()]})
    errors: dict = {}
    if person.party_join_date is None:
        _add(errors, "person", _("This cadre has no Party-joining date in the registry."))
    elif on is not None and on.year <= person.party_join_date.year:
        _add(errors, "on", _("The first political birthday is a year after joining."))
    if form not in BirthdayForm.values:
        _add(errors, "form", _("Choose how the birthday was marked."))
    _day(errors, "on", on)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            mark = BirthdayMark.objects.create(person=person, on=on, year=on.year, form=form,
                                               note=(note or "").strip(),
                                               created_by=_creator(by))
            audit_record(actor=_actor(by), action=events.BIRTHDAY_MARK, obj=mark,
                         after={"year": on.year, "form": form})
    except IntegrityError:
        raise ValidationError({"on": [_("This year's political birthday is already "
                                        "marked.")]}) from None
    return mark


def birthdays_notify(*, today: dt.date) -> dict[str, int]:
    """On the day: each member whose political birthday it is gets a greeting, and the
    department heads over them a notice naming them (only heads who may see them)."""
    q = Q(party_join_date__month=today.month, party_join_date__day=today.day)
    if today.month == 2 and today.day == 28 and rules.anniversary(
            dt.date(2000, 2, 29), today.year) == today:
        q |= Q(party_join_date__month=2, party_join_date__day=29)
    people = list(Person.objects.filter(q, is_active=True, party_join_date__lt=dt.date(
        today.year, 1, 1)).select_related("unit"))
    sent = {"members": 0, "leaders": 0}
    if not people:
        return sent
    accounts = {u.person_id: u for u in User.objects.filter(
        person_id__in=[p.pk for p in people], is_active=True)}
    heads = list(User.objects.filter(roles__role=Role.HEAD, is_active=True).distinct())
    for person in people:
        years = today.year - person.party_join_date.year
        account = accounts.get(person.pk)
        if account is not None:
            sent["members"] += len(notify(
                recipients=[account], kind=events.NOTICE_BIRTHDAY,
                title=_("Today is your political birthday: %(n)s years in the Party") % {
                    "n": years},
                url="/care/birthdays/", dedupe_key=f"care-bday:{person.pk}:{today.year}"))
        over = [u for u in heads if u.person_id != person.pk
                and in_scope(u, Cap.CARE_MANAGE, person)]
        sent["leaders"] += len(notify(
            recipients=over, kind=events.NOTICE_BIRTHDAY,
            title=_("%(name)s's political birthday today (%(n)s years in the Party)") % {
                "name": person.name, "n": years},
            url=f"/care/birthdays/?year={today.year}&month={today.month}",
            dedupe_key=f"care-bday-l:{person.pk}:{today.year}"))
    return sent


# ---------------------------------------------------------------- annual leave


def leave_record(*, by, person: Person, on: dt.date, until: dt.date, days,
                 note: str = "") -> LeaveTaken:
    """Annual leave taken, refused beyond the days due in the year (the regulation's
    table, ``rules.leave_due``)."""
    if not _may(by, Cap.CARE_MANAGE, person):
        raise ValidationError({"person": [out_of_scope_message()]})
    errors: dict = {}
    if on is None or until is None:
        _add(errors, "on", _("Give the first and last day of the leave."))
    elif until < on:
        _add(errors, "until", _("The last day is on or after the first."))
    elif until.year != on.year:
        _add(errors, "until", _("Record leave across the new year as two entries."))
    try:
        days = Decimal(str(days))
    except (InvalidOperation, TypeError, ValueError):
        days = Decimal(0)
    if days <= 0 or days != days.quantize(Decimal("0.5")):
        _add(errors, "days", _("Give the working days taken, in half days."))
    elif on and until and until >= on and days > (until - on).days + 1:
        _add(errors, "days", _("More working days than calendar days."))
    if not errors:
        due = rules.leave_due(person.work_start_date, on.year)
        taken = leave_taken_in(person, on.year)
        if taken + days > due:
            # Decimal's normalize: "2" whether the database summed to 2 or 2.0.
            left = max(Decimal(due) - taken, Decimal(0)).normalize()
            _add(errors, "days", _("Only %(left)s of %(due)s days are left for %(year)s.") % {
                "left": f"{left:f}", "due": due, "year": on.year})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        leave = LeaveTaken.objects.create(person=person, on=on, until=until, days=days,
                                          note=(note or "").strip(), created_by=_creator(by))
        audit_record(actor=_actor(by), action=events.LEAVE_RECORD, obj=leave,
                     after={"on": on.isoformat(), "until": until.isoformat(),
                            "days": str(days)})
    return leave


# ---------------------------------------------------------------- health and hardship


def health_record(*, by, person: Person, kind: str, on: dt.date, place: str = "",
                  days: int = 1, findings: str = "") -> HealthRecord:
    if not _may(by, Cap.CARE_SENSITIVE, person):
        raise ValidationError({"person": [out_of_scope_message()]})
    errors: dict = {}
    if kind not in HealthKind.values:
        _add(errors, "kind", _("Choose a health check or recuperation."))
    _day(errors, "on", on)
    try:
        days = int(days or 1)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 60:
        _add(errors, "days", _("Give 1 to 60 days."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = HealthRecord.objects.create(person=person, kind=kind, on=on,
                                             place=(place or "").strip(), days=days,
                                             findings=(findings or "").strip(),
                                             created_by=_creator(by))
        audit_record(actor=_actor(by), action=events.HEALTH_RECORD, obj=record,
                     after={"kind": kind, "on": on.isoformat(), "days": days})
    return record


def hardship_record(*, by, person: Person, kind: str, on: dt.date, situation: str,
                    support: str = "", amount=0) -> Hardship:
    if not _may(by, Cap.CARE_SENSITIVE, person):
        raise ValidationError({"person": [out_of_scope_message()]})
    errors: dict = {}
    if kind not in HardshipKind.values:
        _add(errors, "kind", _("Choose the kind of difficulty."))
    _day(errors, "on", on)
    if not (situation or "").strip():
        _add(errors, "situation", _("Describe the situation."))
    try:
        amount = Decimal(str(amount or 0))
    except (InvalidOperation, TypeError, ValueError):
        amount = Decimal(-1)
    if amount < 0 or amount >= Decimal("10000000"):
        _add(errors, "amount", _("Give the relief money in yuan (0 when none)."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = Hardship.objects.create(person=person, kind=kind, on=on,
                                         situation=situation.strip(),
                                         support=(support or "").strip(), amount=amount,
                                         created_by=_creator(by))
        audit_record(actor=_actor(by), action=events.HARDSHIP_RECORD, obj=record,
                     after={"kind": kind, "on": on.isoformat()})
    return record


def hardship_close(*, by, hardship: Hardship, version, closed_on: dt.date,
                   support: str = "") -> Hardship:
    """The difficulty is resolved; the support given may be completed."""
    if not _may(by, Cap.CARE_SENSITIVE, hardship.person):
        raise PermissionDenied
    errors: dict = {}
    if hardship.closed_on is not None:
        _add(errors, "closed_on", _("This record is already closed."))
    if closed_on is None or closed_on < hardship.on or closed_on > timezone.localdate():
        _add(errors, "closed_on", _("The closing day is between the day it was known and "
                                    "today."))
    if errors:
        raise ValidationError(errors)
    changes = {"closed_on": closed_on}
    if (support or "").strip():
        changes["support"] = support.strip()
    return versioned_update(hardship, version=version, by=_actor(by),
                            action=events.HARDSHIP_CLOSE, changes=changes,
                            snapshot=("closed_on",)).instance


def content_read(*, by, record) -> None:
    """Every read of a health or hardship record's content leaves an audit entry."""
    action = {HealthRecord: events.HEALTH_VIEW, Hardship: events.HARDSHIP_VIEW}[type(record)]
    audit_record(actor=by, action=action, obj=record, object_repr=str(record))


__all__ = ["activity_join", "activity_record", "birthday_mark", "birthdays_notify",
           "content_read", "department_of", "export_logged", "hardship_close",
           "hardship_record", "health_record", "leave_record", "out_of_scope_message"]
