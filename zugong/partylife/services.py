"""Writes of Party life and rectification records. Each validates everything at once (one
``ValidationError`` with every field's message), saves in one transaction and writes the
audit entry; minutes, materials and criticisms never enter the audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import SYSTEM, audit_record
from zugong.core.notices import notify
from zugong.core.registry import hook, role_caps
from zugong.core.versioning import versioned_update
from zugong.people.models import OrgUnit, Person, User

from . import events
from .access import Cap, department_of, may_manage_person, may_record_unit, people_in_scope
from .coverage import due_soon
from .models import (
    DEFAULT_FREQUENCIES,
    GROUP_KINDS,
    AgendaItem,
    Appraisal,
    Attendance,
    AttendanceStatus,
    Criticism,
    Duty,
    Frequency,
    FrequencyRule,
    Grade,
    Material,
    MeasureStatus,
    Meeting,
    MeetingKind,
    Opinion,
    PrepTalk,
    Problem,
    ProblemSource,
    RectMeasure,
)
from .selectors import coverage_for, members_of, prep_talks

# Days before a measure's deadline when its owner is first reminded.
REMIND_BEFORE_DAYS = 3
# Days after the deadline before an open measure goes to the owner's leaders too.
ESCALATE_AFTER_DAYS = 7
# Days before a period ends when a branch still short of its rule is reminded.
COVERAGE_REMIND_DAYS = 7


def _add(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def _actor(by):
    return SYSTEM if by is None else by


def _account(by):
    return None if by is None or by is SYSTEM else by


def out_of_scope_message() -> str:
    """One answer for someone outside the user's scope and for an id that does not exist."""
    return _("Choose a member of this branch in your scope.")


# ---------------------------------------------------------------- meetings


def meeting_record(*, by, unit: OrgUnit, kind: str, held_on: dt.date, title: str,
                   chair: Person, present: list[Person], absent: list[tuple[Person, str]] = (),
                   agenda: list[str] = (), place: str = "", minutes: str = "",
                   sensitive: bool = False, first_topic: str = "",
                   first_topic_hours=None) -> Meeting:
    """Record a meeting held by a branch or group, with its attendance and agenda.

    A 第一议题 (``first_topic``: what was studied) is written once, through the learning
    app's ``learning.first_topic_record`` hook, as a study of ``first_topic_hours`` for each
    member present: the meeting keeps its id and learning counts the study."""
    if by is not SYSTEM and not may_record_unit(by, unit):
        raise ValidationError({"unit": [_("Choose a branch or group you record for.")]})
    errors: dict = {}
    today = timezone.localdate()
    if kind not in MeetingKind.values:
        _add(errors, "kind", _("Choose the meeting kind."))
    elif (kind in GROUP_KINDS) != (unit.kind == "section"):
        _add(errors, "unit", _("A Party group meeting is held by a section; other meetings "
                               "by the branch (the department)."))
    if held_on is None or held_on > today:
        _add(errors, "held_on", _("The meeting's day cannot be in the future."))
    if not (title or "").strip() or len(title.strip()) > 200:
        _add(errors, "title", _("Give the meeting's subject (at most 200 characters)."))
    if len((place or "").strip()) > 100:
        _add(errors, "place", _("The place has at most 100 characters."))
    members = set(members_of(unit).values_list("pk", flat=True))
    if chair is None or chair.pk not in members:
        _add(errors, "chair", _("The chair is a member of this branch."))
    absent = [(p, (r or "").strip()) for p, r in absent]
    present_ids = [p.pk for p in present]
    absent_ids = [p.pk for p, _r in absent]
    if not present:
        _add(errors, "present", _("Mark who was present."))
    if set(present_ids + absent_ids) - members:
        _add(errors, "present", out_of_scope_message())
    if set(present_ids) & set(absent_ids) or len(set(present_ids)) != len(present_ids) \
            or len(set(absent_ids)) != len(absent_ids):
        _add(errors, "absent", _("Each member is either present or absent, once."))
    if any(not r for _p, r in absent):
        _add(errors, "absent", _("Give the reason for each absence."))
    topic = (first_topic or "").strip()
    hours = None
    if topic:
        try:
            hours = Decimal(str(first_topic_hours))
        except (InvalidOperation, TypeError, ValueError):
            hours = None
        if hours is None or not hours.is_finite() or not Decimal(0) < hours <= Decimal(24):
            _add(errors, "first_topic_hours", _("Give the study hours of the 第一议题 "
                                                "(more than 0, at most 24)."))
    agenda = [a.strip() for a in agenda if a and a.strip()]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            department=department_of(unit), unit=unit, kind=kind, held_on=held_on,
            title=title.strip(), place=(place or "").strip(), chair=chair,
            sensitive=bool(sensitive), minutes=(minutes or "").strip(),
            created_by=_account(by))
        items = ([_("第一议题: %(topic)s") % {"topic": topic[:180]}] if topic else []) + agenda
        AgendaItem.objects.bulk_create([
            AgendaItem(meeting=meeting, position=i, title=t[:200],
                       first_topic=bool(topic) and i == 1)
            for i, t in enumerate(items, start=1)])
        Attendance.objects.bulk_create(
            [Attendance(meeting=meeting, person=p, on=held_on, kind=kind,
                        status=AttendanceStatus.PRESENT, created_by=_account(by))
             for p in present]
            + [Attendance(meeting=meeting, person=p, on=held_on, kind=kind,
                          status=AttendanceStatus.ABSENT, reason=r[:200],
                          created_by=_account(by)) for p, r in absent])
        if topic:
            meeting.first_topic_id = _first_topic(by, meeting, topic, hours, present)
            meeting.save(update_fields=["first_topic_id"])
        audit_record(actor=_actor(by), action=events.MEETING_RECORD, obj=meeting,
                     after={"kind": kind, "held_on": held_on.isoformat(), "unit": unit.pk,
                            "present": len(present), "absent": len(absent),
                            "sensitive": bool(sensitive), "first_topic": bool(topic)})
    return meeting


def _first_topic(by, meeting: Meeting, topic: str, hours: Decimal, present) -> int | None:
    """The learning app records the study (each person present gets it once)."""
    record = hook("learning.first_topic_record")
    if record is None:  # learning not installed: the meeting keeps the item only
        return None
    try:
        first = record(by=by, department=meeting.department, meeting=meeting.title[:100],
                       held_on=meeting.held_on, content=topic, hours=hours,
                       attendees=list(present))
    except PermissionDenied:
        raise ValidationError({"first_topic": [_("You may not record study for every "
                                                 "member present.")]}) from None
    except ValidationError as exc:
        moved = {"hours": "first_topic_hours", "attendees": "present",
                 "held_on": "held_on", "content": "first_topic"}
        raise ValidationError({moved.get(k, "first_topic"): v
                               for k, v in exc.message_dict.items()}) from None
    return first.pk


def meeting_minutes(*, by, meeting: Meeting, version, minutes: str,
                    sensitive: bool) -> Meeting:
    """Write or correct the minutes; the audit names the change, never the text."""
    if by is not SYSTEM and not may_record_unit(by, meeting.unit):
        raise PermissionDenied
    return versioned_update(meeting, version=version, by=_actor(by),
                            action=events.MEETING_MINUTES,
                            changes={"minutes": (minutes or "").strip(),
                                     "sensitive": bool(sensitive)},
                            snapshot=("sensitive",)).instance


def attendance_mark(*, by, meeting: Meeting, person: Person, status: str, reason: str = "",
                    made_up_on: dt.date | None = None) -> Attendance:
    """Mark a member present, absent with a reason, or made up (补学, a day on or after the
    meeting). A member marks themself on a phone; a recorder marks anyone of the branch."""
    own = getattr(by, "person_id", None) == person.pk
    if by is not SYSTEM and not own and not may_record_unit(by, meeting.unit):
        raise PermissionDenied
    if not members_of(meeting.unit).filter(pk=person.pk).exists():
        raise ValidationError({"person": [out_of_scope_message()]})
    errors: dict = {}
    reason = (reason or "").strip()
    if status not in AttendanceStatus.values:
        _add(errors, "status", _("Choose present, absent or made up."))
    if status in (AttendanceStatus.ABSENT, AttendanceStatus.MADE_UP) and not reason:
        _add(errors, "reason", _("Give the reason for the absence."))
    if status == AttendanceStatus.MADE_UP and (
            made_up_on is None or made_up_on < meeting.held_on
            or made_up_on > timezone.localdate()):
        _add(errors, "made_up_on", _("The make-up day is between the meeting and today."))
    if errors:
        raise ValidationError(errors)
    fields = {"status": status, "reason": "" if status == "present" else reason[:200],
              "made_up_on": made_up_on if status == AttendanceStatus.MADE_UP else None}
    with transaction.atomic():
        row = Attendance.objects.select_for_update().filter(meeting=meeting,
                                                            person=person).first()
        before = {"status": row.status} if row else None
        if row is None:
            row = Attendance.objects.create(meeting=meeting, person=person,
                                            on=meeting.held_on, kind=meeting.kind,
                                            created_by=_account(by), **fields)
        else:
            for k, v in fields.items():
                setattr(row, k, v)
            row.version += 1
            row.save()
        audit_record(actor=_actor(by), action=events.ATTENDANCE_MARK, obj=row,
                     before=before, after={"status": status, "meeting": meeting.pk})
    return row


def meeting_read(*, by, meeting: Meeting) -> None:
    """Each read of sensitive minutes is audited."""
    if meeting.sensitive and meeting.minutes:
        audit_record(actor=by, action=events.MEETING_VIEW, obj=meeting)


# ---------------------------------------------------------------- the three lists


def problem_record(*, by, source: str, description: str, found_on: dt.date,
                   person: Person | None = None, unit: OrgUnit | None = None,
                   meeting: Meeting | None = None, self_found: bool = False) -> Problem:
    """Add a line to the problem list, about a person (a member's own problem, found by
    themself or by others) or about a unit."""
    own = person is not None and getattr(by, "person_id", None) == person.pk
    if by is not SYSTEM and not own:
        if person is not None and not may_manage_person(by, person):
            raise ValidationError({"person": [out_of_scope_message()]})
        if person is None and (unit is None or not people_in_scope(
                by, Cap.RECT_MANAGE).filter(unit=unit).exists()):
            raise ValidationError({"unit": [_("Choose a unit in your scope.")]})
    if own:
        self_found = True
    unit = unit or (person.unit if person else None)
    errors: dict = {}
    if source not in ProblemSource.values:
        _add(errors, "source", _("Choose where the problem came from."))
    if source == ProblemSource.MEETING and meeting is None:
        _add(errors, "meeting", _("Name the meeting where the problem was found."))
    if not (description or "").strip():
        _add(errors, "description", _("Describe the problem."))
    if found_on is None or found_on > timezone.localdate():
        _add(errors, "found_on", _("The day cannot be in the future."))
    if unit is None:
        _add(errors, "unit", _("Choose a unit in your scope."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        problem = Problem.objects.create(
            department=department_of(unit), unit=unit, person=person, source=source,
            meeting=meeting, self_found=bool(self_found), found_on=found_on,
            description=description.strip(), created_by=_account(by))
        audit_record(actor=_actor(by), action=events.PROBLEM_RECORD, obj=problem,
                     after={"source": source, "person": person.pk if person else None,
                            "unit": unit.pk, "found_on": found_on.isoformat()})
    return problem


def measure_set(*, by, problem: Problem, owner: Person, action: str, deadline: dt.date,
                set_on: dt.date | None = None) -> RectMeasure:
    """A rectification measure against a problem: its owner and deadline. The owner may set
    measures against their own problem; a manager in scope for anyone."""
    own = getattr(by, "person_id", None) == owner.pk and problem.person_id == owner.pk
    if by is not SYSTEM and not own and not may_manage_person(by, owner):
        raise ValidationError({"owner": [out_of_scope_message()]})
    set_on = set_on or timezone.localdate()
    errors: dict = {}
    if not (action or "").strip():
        _add(errors, "action", _("Describe the measure."))
    if deadline is None or deadline < set_on:
        _add(errors, "deadline", _("The deadline is on or after the day the measure is set."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        measure = RectMeasure.objects.create(problem=problem, owner=owner,
                                             action=action.strip()[:300], set_on=set_on,
                                             deadline=deadline, created_by=_account(by))
        audit_record(actor=_actor(by), action=events.MEASURE_SET, obj=measure,
                     after={"problem": problem.pk, "owner": owner.pk,
                            "deadline": deadline.isoformat()})
    return measure


def measure_submit(*, by, measure: RectMeasure, version, evidence: str,
                   on: dt.date | None = None) -> RectMeasure:
    """The owner reports what was done, with the evidence (the verifier checks it)."""
    if by is not SYSTEM and getattr(by, "person_id", None) != measure.owner_id:
        raise PermissionDenied
    on = on or timezone.localdate()
    errors: dict = {}
    if measure.status == MeasureStatus.CLOSED:
        _add(errors, "evidence", _("The measure is already closed."))
    if not (evidence or "").strip():
        _add(errors, "evidence", _("Describe what was done and the evidence."))
    if on < measure.set_on or on > timezone.localdate():
        _add(errors, "evidence", _("The day is between setting the measure and today."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(measure, version=version, by=_actor(by),
                            action=events.MEASURE_SUBMIT,
                            changes={"evidence": evidence.strip(), "submitted_on": on,
                                     "status": MeasureStatus.SUBMITTED},
                            snapshot=("status", "submitted_on")).instance


def measure_verify(*, by, measure: RectMeasure, version, passed: bool, note: str = "",
                   on: dt.date | None = None, verifier: Person | None = None) -> RectMeasure:
    """Someone other than the owner checks the evidence: passed closes the measure on ``on``;
    otherwise it goes back to the owner with the note."""
    verifier = verifier if by is SYSTEM else getattr(by, "person", None)
    if by is not SYSTEM and (verifier is None or not may_manage_person(by, measure.owner)):
        raise PermissionDenied
    on = on or timezone.localdate()
    errors: dict = {}
    if verifier is None or verifier.pk == measure.owner_id:
        _add(errors, "passed", _("A measure is verified by someone other than its owner."))
    if measure.status != MeasureStatus.SUBMITTED:
        _add(errors, "passed", _("Only a measure with its evidence submitted is verified."))
    if not passed and not (note or "").strip():
        _add(errors, "note", _("Say what is still missing."))
    if measure.submitted_on and (on < measure.submitted_on or on > timezone.localdate()):
        _add(errors, "on", _("The day is between the evidence and today."))
    if errors:
        raise ValidationError(errors)
    changes = {"verification": (note or "").strip()[:300]}
    if passed:
        changes.update(status=MeasureStatus.CLOSED, closed_on=on, verified_by=verifier)
    else:
        changes.update(status=MeasureStatus.OPEN)
    return versioned_update(measure, version=version, by=_actor(by),
                            action=events.MEASURE_VERIFY, changes=changes,
                            snapshot=("status", "closed_on")).instance


def _leaders_of(person: Person, *, exclude: set[int]) -> list:
    """Accounts whose rectification scope reaches the person (their leaders, supervision)."""
    roles = [role for role, caps in role_caps().items() if Cap.RECT_MANAGE in caps]
    candidates = User.objects.filter(is_active=True, person__isnull=False,
                                     roles__role__in=roles).exclude(
        person_id__in=exclude).distinct().select_related("person")
    return [u for u in candidates if may_manage_person(u, person)]


def measures_remind(*, today: dt.date) -> dict[str, int]:
    """Open measures: remind the owner from three days before the deadline (once a day at
    most); an overdue one reminds daily, and a week after the deadline it goes to the
    owner's leaders as well, once."""
    sent = {"reminded": 0, "escalated": 0}
    due = RectMeasure.objects.exclude(status=MeasureStatus.CLOSED).filter(
        deadline__lte=today + dt.timedelta(days=REMIND_BEFORE_DAYS)).select_related(
        "owner", "owner__unit")
    accounts = {u.person_id: u for u in User.objects.filter(
        person_id__in=[m.owner_id for m in due], is_active=True)}
    for m in due:
        url = reverse("partylife:measure", args=[m.pk])
        late = (today - m.deadline).days
        owner = accounts.get(m.owner_id)
        if owner is not None and m.reminded_on != today:
            kind = events.NOTICE_MEASURE_OVERDUE if late > 0 else events.NOTICE_MEASURE_DUE
            title = _("Rectification measure overdue by %(n)d days: %(action)s") % {
                "n": late, "action": m.action[:40]} if late > 0 else \
                _("Rectification measure due on %(day)s: %(action)s") % {
                    "day": m.deadline.isoformat(), "action": m.action[:40]}
            notify(recipients=[owner], kind=kind, title=title, url=url,
                   dedupe_key=f"pl-m{m.pk}-{today.isoformat()}")
            sent["reminded"] += 1
        fields = {"reminded_on": today}
        if late >= ESCALATE_AFTER_DAYS and m.escalated_on is None:
            leaders = _leaders_of(m.owner, exclude={m.owner_id})
            if leaders:
                notify(recipients=leaders, kind=events.NOTICE_MEASURE_ESCALATED,
                       title=_("%(name)s: rectification measure overdue by %(n)d days") % {
                           "name": m.owner.name, "n": late},
                       url=url, dedupe_key=f"pl-m{m.pk}-escalated")
                sent["escalated"] += 1
            fields["escalated_on"] = today
        RectMeasure.objects.filter(pk=m.pk).update(**fields)
    return sent


def export_logged(*, by, count: int) -> None:
    audit_record(actor=by, action=events.MEASURE_EXPORT, after={"rows": count})



# ---------------------------------------------------------------- frequency rules


def rule_set(*, by, department: OrgUnit, kind: str, frequency: str, times: int) -> None:
    """Set how often the department's branch (or each group) holds a kind of meeting. The
    first change writes the regulations' defaults as the department's own rows."""
    if by is not SYSTEM and not may_record_unit(by, department):
        raise PermissionDenied
    errors: dict = {}
    if kind not in MeetingKind.values:
        _add(errors, "kind", _("Choose the meeting kind."))
    if frequency not in Frequency.values:
        _add(errors, "frequency", _("Choose how often."))
    if not isinstance(times, int) or not 1 <= times <= 31:
        _add(errors, "times", _("Between 1 and 31 times per period."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if not FrequencyRule.objects.filter(department=department).exists():
            FrequencyRule.objects.bulk_create([
                FrequencyRule(department=department, kind=k, frequency=f, times=n)
                for k, f, n in DEFAULT_FREQUENCIES])
        rule = FrequencyRule.objects.select_for_update().filter(
            department=department, kind=kind).first()
        before = {"frequency": rule.frequency, "times": rule.times} if rule else None
        if rule is None:
            rule = FrequencyRule.objects.create(department=department, kind=kind,
                                                frequency=frequency, times=times)
        else:
            rule.frequency, rule.times = frequency, times
            rule.version += 1
            rule.save()
        audit_record(actor=_actor(by), action=events.RULE_SET, obj=rule, before=before,
                     after={"kind": kind, "frequency": frequency, "times": times})


def coverage_remind(*, today: dt.date) -> int:
    """A week before a period ends, tell the recorders of each branch or group that has not
    yet held a meeting its rule asks for (once per unit, kind and period)."""
    sent = 0
    depts = OrgUnit.objects.filter(pk__in=Meeting.objects.values("department_id")
                                   .distinct()).order_by("path")
    recorders = [u for u in User.objects.filter(
        is_active=True, roles__role__in=[r for r, caps in role_caps().items()
                                         if Cap.PARTYLIFE_RECORD in caps]).distinct()]
    for dept in depts:
        table = coverage_for(department=dept, year=today.year, today=today)
        for unit, label, row in table["branch"]:
            current = row.cells[-1] if row.cells else None
            if current is None or due_soon(row.rule, current.done, today,
                                           days=COVERAGE_REMIND_DAYS) is None:
                continue
            to = [u for u in recorders if may_record_unit(u, unit)]
            if to:
                notify(recipients=to, kind=events.NOTICE_COVERAGE_DUE,
                       title=_("%(unit)s: %(kind)s not yet held this period (ends %(day)s)")
                       % {"unit": unit.name, "kind": label,
                          "day": current.period.end.isoformat()},
                       url=reverse("partylife:coverage") + f"?department={dept.pk}",
                       dedupe_key=f"pl-cov-{unit.pk}-{row.rule.kind}-{current.period.key}")
                sent += 1
    return sent


# ---------------------------------------------------------------- the 组织生活会 flow

def _life(meeting: Meeting) -> None:
    if not meeting.is_life_meeting:
        raise ValidationError(_("Only an organization or democratic life meeting has this "
                                "step."))


def preptalk_link(*, by, meeting: Meeting, talk_id: int) -> PrepTalk:
    """Link a talk held before the meeting (the talk itself stays in the talks app)."""
    _life(meeting)
    if by is not SYSTEM and not may_record_unit(by, meeting.unit):
        raise PermissionDenied
    if talk_id not in {t["id"] for t in prep_talks(meeting)}:
        raise ValidationError({"talk_id": [_("Choose a talk among the branch's members in "
                                             "the weeks before the meeting.")]})
    with transaction.atomic():
        link, _created = PrepTalk.objects.get_or_create(meeting=meeting, talk_id=talk_id,
                                                        defaults={"linked_by": _account(by)})
        audit_record(actor=_actor(by), action=events.PREPTALK_LINK, obj=link,
                     after={"meeting": meeting.pk, "talk": talk_id})
    return link


def opinion_record(*, by, meeting: Meeting, source: str, content: str,
                   received_on: dt.date) -> Opinion:
    """An opinion solicited before the meeting (from the public, units, members)."""
    _life(meeting)
    if by is not SYSTEM and not may_record_unit(by, meeting.unit):
        raise PermissionDenied
    errors: dict = {}
    if not (source or "").strip():
        _add(errors, "source", _("Say whom the opinion came from."))
    if not (content or "").strip():
        _add(errors, "content", _("Write down the opinion."))
    if received_on is None or received_on > timezone.localdate():
        _add(errors, "received_on", _("The day cannot be in the future."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        opinion = Opinion.objects.create(meeting=meeting, source=source.strip()[:100],
                                         content=content.strip(), received_on=received_on,
                                         created_by=_account(by))
        audit_record(actor=_actor(by), action=events.OPINION_RECORD, obj=opinion,
                     after={"meeting": meeting.pk, "received_on": received_on.isoformat()})
    return opinion


def _member(meeting: Meeting, person) -> bool:
    return person is not None and members_of(meeting.unit).filter(pk=person.pk).exists()


def material_submit(*, by, meeting: Meeting, text: str, person: Person | None = None,
                    on: dt.date | None = None) -> Material:
    """A member's checking material (written again until it is checked)."""
    _life(meeting)
    person = person if by is SYSTEM else getattr(by, "person", None)
    if not _member(meeting, person):
        raise PermissionDenied
    if not (text or "").strip():
        raise ValidationError({"text": [_("Write your checking material.")]})
    on = on or timezone.localdate()
    with transaction.atomic():
        material = Material.objects.select_for_update().filter(meeting=meeting,
                                                               person=person).first()
        if material is not None and material.checked_on:
            raise ValidationError({"text": [_("Your material has been checked already.")]})
        if material is None:
            material = Material.objects.create(meeting=meeting, person=person, on=on,
                                               text=text.strip(), created_by=_account(by))
        else:
            material.text, material.on = text.strip(), on
            material.version += 1
            material.save()
        audit_record(actor=_actor(by), action=events.MATERIAL_SUBMIT, obj=material,
                     after={"meeting": meeting.pk, "chars": len(text.strip())})
    return material


def material_check(*, by, material: Material, on: dt.date | None = None) -> Material:
    """A recorder of the branch (not the author) marks the material checked."""
    if by is not SYSTEM and (getattr(by, "person_id", None) == material.person_id
                             or not may_record_unit(by, material.meeting.unit)):
        raise PermissionDenied
    on = on or timezone.localdate()
    with transaction.atomic():
        Material.objects.filter(pk=material.pk).update(checked_by=_account(by), checked_on=on,
                                                       version=material.version + 1)
        audit_record(actor=_actor(by), action=events.MATERIAL_CHECK, obj=material,
                     after={"checked_on": on.isoformat()})
    material.refresh_from_db()
    return material


def criticism_record(*, by, meeting: Meeting, receiver: Person, content: str,
                     giver: Person | None = None) -> Criticism:
    """A member's criticism of another member at the meeting (批评与自我批评)."""
    _life(meeting)
    giver = giver if by is SYSTEM else getattr(by, "person", None)
    if not _member(meeting, giver):
        raise PermissionDenied
    errors: dict = {}
    if not _member(meeting, receiver):
        _add(errors, "receiver", out_of_scope_message())
    elif receiver.pk == giver.pk:
        _add(errors, "receiver", _("Self-criticism is your checking material and your own "
                                   "problems; a criticism names another member."))
    if not (content or "").strip():
        _add(errors, "content", _("Write down the criticism."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = Criticism.objects.create(meeting=meeting, person=giver, receiver=receiver,
                                        on=meeting.held_on, content=content.strip(),
                                        created_by=_account(by))
        audit_record(actor=_actor(by), action=events.CRITICISM_RECORD, obj=item,
                     after={"meeting": meeting.pk, "receiver": receiver.pk})
    return item


def appraisal_record(*, by, meeting: Meeting, person: Person, grade: str) -> Appraisal:
    """A member's 民主评议 grade (one per meeting; recording again corrects it)."""
    _life(meeting)
    if by is not SYSTEM and not may_record_unit(by, meeting.unit):
        raise PermissionDenied
    if not _member(meeting, person):
        raise ValidationError({"person": [out_of_scope_message()]})
    if grade not in Grade.values:
        raise ValidationError({"grade": [_("Choose 优秀, 合格, 基本合格 or 不合格.")]})
    with transaction.atomic():
        row, created = Appraisal.objects.update_or_create(
            meeting=meeting, person=person,
            defaults={"grade": grade, "on": meeting.held_on, "created_by": _account(by)})
        audit_record(actor=_actor(by), action=events.APPRAISAL_RECORD, obj=row,
                     after={"grade": grade, "person": person.pk})
    return row


def duty_record(*, by, year: int, duty: str, person: Person | None = None,
                unit: OrgUnit | None = None) -> Duty:
    """A line of the responsibility list (责任清单): a person's or a unit's duty for a year."""
    if by is not SYSTEM:
        if person is not None and not may_manage_person(by, person):
            raise ValidationError({"person": [out_of_scope_message()]})
        if person is None:
            raise ValidationError({"person": [out_of_scope_message()]})
    unit = unit or (person.unit if person else None)
    errors: dict = {}
    if not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year + 1:
        _add(errors, "year", _("Give the year."))
    if not (duty or "").strip():
        _add(errors, "duty", _("Describe the responsibility."))
    if unit is None:
        _add(errors, "person", out_of_scope_message())
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = Duty.objects.create(department=department_of(unit), unit=unit, person=person,
                                  year=year, duty=duty.strip()[:300],
                                  created_by=_account(by))
        audit_record(actor=_actor(by), action=events.DUTY_RECORD, obj=row,
                     after={"year": year, "person": person.pk if person else None})
    return row
