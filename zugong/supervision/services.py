"""Writes of supervision records. The audit trail names the record, the kind and the
fields changed, never the content (facts, replies, report items, handling)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import SYSTEM, audit_record
from zugong.core.memo import bump
from zugong.core.notices import notify
from zugong.core.versioning import versioned_update
from zugong.people.models import Person, Role, User

from . import events
from .access import (
    Cap,
    configured_approvers,
    department_of,
    in_scope,
    may_decide_archive,
    may_manage_person,
    may_manage_unit,
)
from .models import (
    ADMONISHMENT_MONTHS,
    ARCHIVE_ACCESS_DAYS,
    PARTNERS,
    AccessStatus,
    ArchiveCategory,
    ArchiveEntry,
    ArchiveRequest,
    ArchiveView,
    CheckKind,
    CheckResult,
    Commitment,
    Conclusion,
    FamilyRating,
    Form,
    Lead,
    LeadStatus,
    Measure,
    MeasureKind,
    Observation,
    ObservationKind,
    PackageDone,
    PackageItem,
    Partner,
    PersonalReport,
    RatingLevel,
    ReportKind,
    SectionRating,
    SelfCheck,
    Source,
    StudyActivity,
    Verdict,
)
from .selectors import obliged, owed_among

REPORT_ITEMS = ("family_jobs", "marriage_abroad", "travel_documents", "real_estate", "investments")
# Days after the deadline before an unfiled yearly report goes to the supervision office.
ESCALATE_AFTER_DAYS = 15
# Days before the deadline when a leading cadre is first reminded.
REMIND_BEFORE_DAYS = 10


def out_of_scope_message() -> str:
    """One answer for a cadre outside the user's scope and for an id that does not exist."""
    return _("Choose a cadre in your scope.")


def _add(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def _actor(by):
    return SYSTEM if by is None else by


def _warnings_changed(person: Person) -> None:
    """The early-warning list of the person's department must be computed afresh."""
    bump(events.warnings_scope(department_of(person).pk))


def measure_record(*, by, person: Person, kind: str, on: dt.date, source: str, facts: str,
                   form: int = Form.FIRST, reply_due: dt.date | None = None,
                   impact_months: int | None = None) -> Measure:
    """Record a 提醒, 函询 or 诫勉. Someone outside the officer's scope is refused with the
    same words as someone who does not exist: no name, no hint."""
    if by is not SYSTEM and not may_manage_person(by, person):
        raise ValidationError({"person": [out_of_scope_message()]})
    errors: dict = {}
    today = timezone.localdate()
    if kind not in MeasureKind.values:
        _add(errors, "kind", _("Choose the measure."))
    if source not in Source.values:
        _add(errors, "source", _("Choose where the matter came from."))
    if form not in Form.values:
        _add(errors, "form", _("Choose one of the four forms."))
    if on is None or on > today:
        _add(errors, "on", _("The day cannot be in the future."))
    if not (facts or "").strip():
        _add(errors, "facts", _("Write down the facts."))
    if kind == MeasureKind.INQUIRY and (reply_due is None or (on and reply_due <= on)):
        _add(errors, "reply_due", _("An inquiry needs a reply deadline after its day."))
    if kind == MeasureKind.ADMONISHMENT:
        impact_months = ADMONISHMENT_MONTHS if impact_months in (None, "") else impact_months
        if not 1 <= int(impact_months) <= 24:
            _add(errors, "impact_months", _("The impact period is 1 to 24 months."))
    else:
        impact_months = 0
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        measure = Measure.objects.create(
            person=person, department=department_of(person), kind=kind, form=form,
            source=source, on=on, facts=facts.strip(),
            reply_due=reply_due if kind == MeasureKind.INQUIRY else None,
            impact_months=impact_months, created_by=None if by is SYSTEM else by)
        audit_record(actor=_actor(by), action=events.MEASURE_RECORD, obj=measure,
                     after={"kind": kind, "form": int(form), "source": source,
                            "on": on.isoformat()})
        _warnings_changed(person)
    return measure


def measure_reply(*, by, measure: Measure, version, replied_on: dt.date, reply: str,
                  verdict: str, outcome: str = "") -> Measure:
    """The reply to a 函询, its verdict (如实 / 不如实) and the outcome."""
    if by is not SYSTEM and not may_manage_person(by, measure.person):
        raise PermissionDenied
    errors: dict = {}
    if measure.kind != MeasureKind.INQUIRY:
        _add(errors, "reply", _("Only an inquiry has a reply."))
    if replied_on is None or replied_on < measure.on or replied_on > timezone.localdate():
        _add(errors, "replied_on", _("The reply's day is between the inquiry and today."))
    if not (reply or "").strip():
        _add(errors, "reply", _("Write down the reply."))
    if verdict not in Verdict.values:
        _add(errors, "verdict", _("Say whether the reply was truthful."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(
        measure, version=version, by=_actor(by), action=events.MEASURE_REPLY,
        changes={"replied_on": replied_on, "reply": reply.strip(), "verdict": verdict,
                 "outcome": (outcome or "").strip()},
        # Field names only: the reply and the outcome are never copied into the audit.
        snapshot=("replied_on", "verdict")).instance


def report_file(*, by, kind: str, year: int, on: dt.date | None = None,
                changed_on: dt.date | None = None, person: Person | None = None,
                **items) -> PersonalReport:
    """A cadre files their own report (``person`` is only for the system, e.g. the demo
    or a migration of paper records). A second yearly report for the same year is
    refused; corrections are a change report."""
    if by is not SYSTEM or person is None:
        person = getattr(by, "person", None)
    if person is None:
        raise ValidationError({"person": [_("Your account is not linked to a cadre.")]})
    on = on or timezone.localdate()
    errors: dict = {}
    if kind not in ReportKind.values:
        _add(errors, "kind", _("Choose the report."))
    if not year or not 2000 <= int(year) <= on.year + 1:
        _add(errors, "year", _("Give the year the report covers."))
    if kind == ReportKind.CHANGE and (changed_on is None or changed_on > on):
        _add(errors, "changed_on", _("Give the day of the change (not after today)."))
    unknown = set(items) - set(REPORT_ITEMS)
    if unknown:
        raise TypeError(f"unknown report items: {sorted(unknown)}")
    if not any((items.get(k) or "").strip() for k in REPORT_ITEMS):
        _add(errors, "family_jobs", _("Fill in at least one item; write 无 where there is "
                                      "nothing to report."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            report = PersonalReport.objects.create(
                person=person, kind=kind, year=year, on=on,
                changed_on=changed_on if kind == ReportKind.CHANGE else None,
                created_by=None if by is SYSTEM else by,
                **{k: (items.get(k) or "").strip() for k in REPORT_ITEMS})
            audit_record(actor=_actor(by), action=events.REPORT_FILE, obj=report,
                         after={"kind": kind, "year": int(year), "on": on.isoformat()})
            if kind == ReportKind.ANNUAL:  # an unfiled yearly report is a warning signal
                _warnings_changed(person)
    except IntegrityError:
        raise ValidationError({"year": [_("Your yearly report for this year is already "
                                          "filed. Report a change instead.")]}) from None
    return report


def report_check(*, by, report: PersonalReport, version, check_kind: str, check_result: str,
                 checked_on: dt.date, handling: str = "") -> PersonalReport:
    """The result of a random or targeted check, and how an omission is handled."""
    if by is not SYSTEM and (report.person_id == getattr(by, "person_id", None)
                             or not may_manage_person(by, report.person)):
        raise PermissionDenied
    errors: dict = {}
    if check_kind not in CheckKind.values:
        _add(errors, "check_kind", _("Choose random or targeted."))
    if check_result not in CheckResult.values:
        _add(errors, "check_result", _("Choose the result."))
    if checked_on is None or checked_on < report.on or checked_on > timezone.localdate():
        _add(errors, "checked_on", _("The check's day is between filing and today."))
    if check_result in (CheckResult.OMITTED, CheckResult.CONCEALED) and \
            not (handling or "").strip():
        _add(errors, "handling", _("Say how the omission is handled."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(
        report, version=version, by=_actor(by), action=events.REPORT_CHECK,
        changes={"check_kind": check_kind, "check_result": check_result,
                 "checked_on": checked_on, "handling": (handling or "").strip(),
                 "checked_by": None if by is SYSTEM else by},
        snapshot=("check_kind", "check_result", "checked_on")).instance


def reports_remind(*, today: dt.date) -> dict[str, int]:
    """Yearly reports: remind each leading cadre who has not filed from ten days before
    the deadline (weekly), and from fifteen days after it tell the supervision officers
    over them too (once a week). Notices name the person only to those who may see them."""
    year = today.year
    due = dt.date(year, 1, 31)
    sent = {"reminded": 0, "escalated": 0}
    if today < due - dt.timedelta(days=REMIND_BEFORE_DAYS):
        return sent
    week = today.isocalendar()[1]
    owed = owed_among(obliged(Person.objects.all()), year=year, today=today)
    accounts = {u.person_id: u for u in User.objects.filter(
        person_id__in=[o.person.pk for o in owed], is_active=True)}
    officers = [u for u in User.objects.filter(roles__role=Role.SUPERVISION, is_active=True)
                .distinct()]
    for o in owed:
        account = accounts.get(o.person.pk)
        if account is not None:
            sent["reminded"] += len(notify(
                recipients=[account], kind=events.NOTICE_REPORT_DUE,
                title=_("Your personal-matter report for %(year)s is due by %(due)s") % {
                    "year": year, "due": f"{o.due:%Y-%m-%d}"},
                url="/supervision/reports/new/", dedupe_key=f"sup-due:{year}:{week}"))
        if o.days_late > ESCALATE_AFTER_DAYS:
            over = [u for u in officers if in_scope(u, Cap.SUPERVISION_VIEW, o.person)]
            sent["escalated"] += len(notify(
                recipients=over, kind=events.NOTICE_REPORT_OVERDUE,
                title=_("%(name)s has not filed the %(year)s personal-matter report "
                        "(%(days)s days late)") % {"name": o.person.name, "year": year,
                                                   "days": o.days_late},
                url=f"/supervision/reports/?year={year}",
                dedupe_key=f"sup-late:{o.person.pk}:{year}:{week}"))
    return sent



def content_read(*, by, record) -> None:
    """Every read of a measure's, a report's or a self-check's content leaves an audit
    entry (a read is a write to the audit trail, hence a service)."""
    action = {Measure: events.MEASURE_VIEW, PersonalReport: events.REPORT_VIEW,
              SelfCheck: events.SELFCHECK_VIEW, StudyActivity: events.STUDY_VIEW,
              ArchiveRequest: events.ARCHIVE_REQUEST_VIEW, Lead: events.LEAD_VIEW}[type(record)]
    audit_record(actor=by, action=action, obj=record, object_repr=str(record))


def export_logged(*, by, action: str, count: int,
                  object_type: str = "supervision.measure") -> None:
    audit_record(actor=by, action=action, object_type=object_type, after={"rows": count})


# ---------------------------------------------------------------- integrity


def _own_person(by, person=None):
    """The cadre a self-declared record is about: the signed-in cadre, or for the system
    (demo, migrations of paper records) the given person."""
    if by is SYSTEM and person is not None:
        return person
    own = getattr(by, "person", None)
    if own is None:
        raise ValidationError({"person": [_("Your account is not linked to a cadre.")]})
    return own


def commitment_sign(*, by, year: int, on: dt.date | None = None,
                    person: Person | None = None) -> Commitment:
    person = _own_person(by, person)
    on = on or timezone.localdate()
    if year not in (on.year, on.year + 1):
        raise ValidationError({"year": [_("Sign the commitment for this year or the next.")]})
    try:
        with transaction.atomic():
            made = Commitment.objects.create(person=person, year=year, on=on,
                                             created_by=None if by is SYSTEM else by)
            audit_record(actor=_actor(by), action=events.COMMITMENT_SIGN, obj=made,
                         after={"year": year})
    except IntegrityError:
        raise ValidationError({"year": [_("The commitment for this year is already "
                                          "signed.")]}) from None
    return made


def package_record(*, by, item: str, on: dt.date, note: str = "",
                   person: Person | None = None) -> PackageDone:
    """One of the 六个一, by the cadre for themselves, or by a supervision officer for a
    cadre in scope (``person``)."""
    if person is not None and by is not SYSTEM and person.pk != getattr(by, "person_id", None):
        if not may_manage_person(by, person):
            raise ValidationError({"person": [out_of_scope_message()]})
    else:
        person = _own_person(by, person)
    errors: dict = {}
    if item not in PackageItem.values:
        _add(errors, "item", _("Choose one of the six."))
    if on is None or on > timezone.localdate():
        _add(errors, "on", _("The day cannot be in the future."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            done = PackageDone.objects.create(person=person, year=on.year, item=item, on=on,
                                              note=(note or "").strip(),
                                              created_by=None if by is SYSTEM else by)
            audit_record(actor=_actor(by), action=events.PACKAGE_RECORD, obj=done,
                         after={"item": item, "year": on.year})
    except IntegrityError:
        raise ValidationError({"item": [_("This item is already recorded for the "
                                          "year.")]}) from None
    return done


def selfcheck_record(*, by, risk: str, measure: str, due_on: dt.date,
                     on: dt.date | None = None, person: Person | None = None) -> SelfCheck:
    """A risk the cadre found in their own conduct, with the measure and its deadline."""
    person = _own_person(by, person)
    on = on or timezone.localdate()
    errors: dict = {}
    if not (risk or "").strip():
        _add(errors, "risk", _("Describe the risk."))
    if not (measure or "").strip():
        _add(errors, "measure", _("Say what you will do about it."))
    if due_on is None or due_on < on:
        _add(errors, "due_on", _("The deadline is on or after the day it was found."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        made = SelfCheck.objects.create(person=person, on=on, risk=risk.strip(),
                                        measure=measure.strip(), due_on=due_on,
                                        created_by=None if by is SYSTEM else by)
        audit_record(actor=_actor(by), action=events.SELFCHECK_RECORD, obj=made,
                     after={"due_on": due_on.isoformat()})
        _warnings_changed(person)
    return made


def selfcheck_close(*, by, item: SelfCheck, version, closed_on: dt.date,
                    closing_note: str) -> SelfCheck:
    if by is not SYSTEM and item.person_id != getattr(by, "person_id", None) and \
            not may_manage_person(by, item.person):
        raise PermissionDenied
    errors: dict = {}
    if item.closed_on is not None:
        _add(errors, "closed_on", _("This item is already closed."))
    if closed_on is None or closed_on < item.on or closed_on > timezone.localdate():
        _add(errors, "closed_on", _("The closing day is between the day it was found and "
                                    "today."))
    if not (closing_note or "").strip():
        _add(errors, "closing_note", _("Say how it was put right."))
    if errors:
        raise ValidationError(errors)
    closed = versioned_update(item, version=version, by=_actor(by),
                              action=events.SELFCHECK_CLOSE,
                              changes={"closed_on": closed_on,
                                       "closing_note": closing_note.strip()},
                              snapshot=("closed_on",)).instance
    _warnings_changed(closed.person)
    return closed


# ---------------------------------------------------------------- ratings and study (M06, M33)


def _rating_checks(errors: dict, *, year, level, on) -> None:
    today = timezone.localdate()
    if level not in RatingLevel.values:
        _add(errors, "level", _("Choose the rating."))
    if on is None or on > today:
        _add(errors, "on", _("The day cannot be in the future."))
    if not year or not 2000 <= int(year) <= today.year:
        _add(errors, "year", _("Give the year rated (not after this year)."))
    elif on is not None and on.year < int(year):
        _add(errors, "on", _("A year is rated during it or after it."))


def section_rating_record(*, by, unit, year: int, level: str, on: dt.date) -> SectionRating:
    """清廉组室: one rating per section and year, by a supervision officer over it."""
    if by is not SYSTEM and not may_manage_unit(by, unit):
        raise ValidationError({"unit": [_("Choose a section in your scope.")]})
    errors: dict = {}
    _rating_checks(errors, year=year, level=level, on=on)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            made = SectionRating.objects.create(unit=unit, year=year, level=level, on=on,
                                                created_by=None if by is SYSTEM else by)
            audit_record(actor=_actor(by), action=events.SECTION_RATING_RECORD, obj=made,
                         object_repr=f"{unit.name} {year}",
                         after={"year": int(year), "level": level})
    except IntegrityError:
        raise ValidationError({"year": [_("This section is already rated for the "
                                          "year.")]}) from None
    return made


def family_rating_record(*, by, person: Person, year: int, level: str,
                         on: dt.date) -> FamilyRating:
    """清廉家庭: one rating per cadre's family and year."""
    if by is not SYSTEM and not may_manage_person(by, person):
        raise ValidationError({"person": [out_of_scope_message()]})
    errors: dict = {}
    _rating_checks(errors, year=year, level=level, on=on)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            made = FamilyRating.objects.create(person=person, year=year, level=level, on=on,
                                               created_by=None if by is SYSTEM else by)
            audit_record(actor=_actor(by), action=events.FAMILY_RATING_RECORD, obj=made,
                         after={"year": int(year), "level": level})
    except IntegrityError:
        raise ValidationError({"year": [_("This family is already rated for the "
                                          "year.")]}) from None
    return made


def study_record(*, by, unit, on: dt.date, topic: str, participants,
                 summary: str = "") -> StudyActivity:
    """A section's discipline-study session (M33) and who took part: people of the
    section's department the officer may supervise."""
    if by is not SYSTEM and not may_manage_unit(by, unit):
        raise ValidationError({"unit": [_("Choose a section in your scope.")]})
    participants = list(participants)
    errors: dict = {}
    if on is None or on > timezone.localdate():
        _add(errors, "on", _("The day cannot be in the future."))
    if not (topic or "").strip():
        _add(errors, "topic", _("Give the topic."))
    if not participants:
        _add(errors, "participants", _("Choose who took part."))
    elif by is not SYSTEM and not all(may_manage_person(by, p) for p in participants):
        _add(errors, "participants", out_of_scope_message())
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        made = StudyActivity.objects.create(unit=unit, on=on, topic=topic.strip(),
                                            summary=(summary or "").strip(),
                                            created_by=None if by is SYSTEM else by)
        made.participants.set(participants)
        audit_record(actor=_actor(by), action=events.STUDY_RECORD, obj=made,
                     object_repr=str(made),
                     after={"on": on.isoformat(), "participants": len(participants)})
    return made


# ---------------------------------------------------------------- archive viewing


def archive_access_days() -> int:
    """Days an approval opens the archive (setting ZUGONG_ARCHIVE_ACCESS_DAYS, default 3)."""
    from django.conf import settings

    return int(getattr(settings, "ZUGONG_ARCHIVE_ACCESS_DAYS", ARCHIVE_ACCESS_DAYS))


def archive_approvers(person: Person) -> list[User]:
    """Who decides a request about ``person``: the heads over them and the configured
    approvers who may see them."""
    candidates = User.objects.filter(is_active=True).filter(
        Q(roles__role=Role.HEAD) | Q(username__in=configured_approvers())).distinct()
    probe = ArchiveRequest(person=person)
    return [u for u in candidates if may_decide_archive(u, probe)]


def archive_request(*, by, person: Person, reason: str) -> ArchiveRequest:
    """Ask to read a cadre's archive, with a reason; the approvers are told. The cadre must
    be one the requester may ask about (same words for out of scope and missing)."""
    if not in_scope(by, Cap.ARCHIVE_REQUEST, person) or person.pk == by.person_id:
        raise ValidationError({"person": [out_of_scope_message()]})
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why you need to read the archive.")]})
    with transaction.atomic():
        made = ArchiveRequest.objects.create(person=person, on=timezone.localdate(),
                                             reason=reason.strip(), created_by=by)
        audit_record(actor=by, action=events.ARCHIVE_REQUEST, obj=made,
                     after={"person": person.pk})
        notify(recipients=archive_approvers(person), kind=events.NOTICE_ARCHIVE_REQUEST,
               title=_("%(who)s asks to read the archive of %(name)s") % {
                   "who": by.get_full_name() or by.username, "name": person.name},
               url=f"/supervision/archive/{made.pk}/")
    return made


def archive_decide(*, by, request: ArchiveRequest, version, approve: bool,
                   note: str = "") -> ArchiveRequest:
    """Approve (the archive opens for the configured days from now) or refuse with a
    note. Only the head over the cadre or a configured approver decides, never the
    requester; a request is decided once."""
    if not may_decide_archive(by, request):
        raise PermissionDenied
    if request.status != AccessStatus.PENDING:
        raise ValidationError({"approve": [_("This request is already decided.")]})
    if not approve and not (note or "").strip():
        raise ValidationError({"note": [_("Say why the request is refused.")]})
    now = timezone.now()
    changes = {"status": AccessStatus.APPROVED if approve else AccessStatus.REFUSED,
               "decided_by": by, "decided_at": now, "decision_note": (note or "").strip(),
               "expires_at": now + dt.timedelta(days=archive_access_days()) if approve
               else None}
    done = versioned_update(request, version=version, by=by, action=events.ARCHIVE_DECIDE,
                            changes=changes, snapshot=("status", "expires_at")).instance
    if done.created_by is not None:
        notify(recipients=[done.created_by], kind=events.NOTICE_ARCHIVE_DECIDED,
               title=(_("Your request to read the archive of %(name)s is approved")
                      if approve else _("Your request to read the archive of %(name)s is "
                                        "refused")) % {"name": done.person.name},
               url=f"/supervision/archive/{done.pk}/")
    return done


def archive_viewed(*, by, request: ArchiveRequest) -> ArchiveView:
    """Log one reading of the archive: a row the office lists, and an audit entry."""
    with transaction.atomic():
        view = ArchiveView.objects.create(request=request)
        audit_record(actor=by, action=events.ARCHIVE_VIEW, obj=request.person,
                     object_type="supervision.archive", object_repr=f"#{request.pk}",
                     after={"request": request.pk})
    return view


def archive_entry_file(*, by, person: Person, category: str, on: dt.date, title: str,
                       note: str = "") -> ArchiveEntry:
    """File an entry by hand in a cadre's political-quality archive (an officer over the
    cadre): above all the political stance, which no other app records."""
    if by is not SYSTEM and not may_manage_person(by, person):
        raise ValidationError({"person": [out_of_scope_message()]})
    errors: dict = {}
    if category not in ArchiveCategory.values:
        _add(errors, "category", _("Choose a category."))
    if on is None or on > timezone.localdate():
        _add(errors, "on", _("The day cannot be in the future."))
    if not (title or "").strip():
        _add(errors, "title", _("Give the entry a title."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        made = ArchiveEntry.objects.create(person=person, category=category, on=on,
                                           title=title.strip()[:200], note=(note or "").strip(),
                                           created_by=None if by is SYSTEM else by)
        audit_record(actor=_actor(by), action=events.ARCHIVE_ENTRY_FILE, obj=made,
                     after={"category": category, "on": on.isoformat()})
    return made


def archive_read_logged(*, by, person: Person) -> None:
    """Log a supervision reader's reading of a cadre's political-quality archive, as a
    reading under a request is logged (the same audit action, without a request)."""
    audit_record(actor=by, action=events.ARCHIVE_VIEW, obj=person,
                 object_type="supervision.archive", object_repr=person.name,
                 after={"request": None})


# ---------------------------------------------------------------- joint supervision (M14)


def ensure_partners() -> None:
    """Put back any of the starting partner departments that is missing (as the code
    tables are: a flushed test database or an old copy)."""
    for position, (code, name) in enumerate(PARTNERS, start=1):
        Partner.objects.get_or_create(code=code, defaults={"name": name, "position": position})


def lead_record(*, by, person: Person, partner: Partner, on: dt.date,
                summary: str) -> Lead:
    """A lead passed on by a partner department about a cadre in the officer's scope."""
    if by is not SYSTEM and not may_manage_person(by, person):
        raise ValidationError({"person": [out_of_scope_message()]})
    errors: dict = {}
    if partner is None or not partner.active:
        _add(errors, "partner", _("Choose the partner department."))
    if on is None or on > timezone.localdate():
        _add(errors, "on", _("The day cannot be in the future."))
    if not (summary or "").strip():
        _add(errors, "summary", _("Write down what the lead says."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lead = Lead.objects.create(person=person, department=department_of(person),
                                   partner=partner, on=on, summary=summary.strip(),
                                   created_by=None if by is SYSTEM else by)
        audit_record(actor=_actor(by), action=events.LEAD_RECORD, obj=lead,
                     after={"partner": partner.code, "on": on.isoformat()})
    return lead


def lead_assign(*, by, lead: Lead, version, assignee: User) -> Lead:
    """Give a received lead to an officer who may supervise the cadre; they are told."""
    _may_handle(by, lead)
    if lead.status != LeadStatus.RECEIVED:
        raise ValidationError({"assignee": [_("Only a lead just received is assigned.")]})
    if assignee is None or not may_manage_person(assignee, lead.person):
        raise ValidationError({"assignee": [_("Choose an officer who supervises this "
                                              "cadre.")]})
    done = versioned_update(lead, version=version, by=_actor(by), action=events.LEAD_ASSIGN,
                            changes={"assignee": assignee, "status": LeadStatus.ASSIGNED},
                            snapshot=("status", "assignee")).instance
    notify(recipients=[assignee], kind=events.NOTICE_LEAD_ASSIGNED,
           title=_("A supervision lead is assigned to you"),
           url=f"/supervision/leads/{lead.pk}/")
    return done


def lead_verify(*, by, lead: Lead, version, verified_on: dt.date, findings: str) -> Lead:
    _may_handle(by, lead)
    errors: dict = {}
    if lead.status != LeadStatus.ASSIGNED:
        _add(errors, "findings", _("Assign the lead before verifying it."))
    if verified_on is None or verified_on < lead.on or verified_on > timezone.localdate():
        _add(errors, "verified_on", _("The day of verification is between the lead and "
                                      "today."))
    if not (findings or "").strip():
        _add(errors, "findings", _("Write down what the verification found."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(lead, version=version, by=_actor(by), action=events.LEAD_VERIFY,
                            changes={"verified_on": verified_on, "findings": findings.strip(),
                                     "status": LeadStatus.VERIFIED},
                            snapshot=("status", "verified_on")).instance


def lead_close(*, by, lead: Lead, version, closed_on: dt.date, conclusion: str,
               conclusion_note: str) -> Lead:
    """Close a verified lead with its conclusion. Clearing a name (澄清正名) and tolerating
    an error (容错纠错, under the 三个区分开来) both need their basis written down."""
    _may_handle(by, lead)
    errors: dict = {}
    if lead.status != LeadStatus.VERIFIED:
        _add(errors, "conclusion", _("Verify the lead before closing it."))
    if conclusion not in Conclusion.values:
        _add(errors, "conclusion", _("Choose the conclusion."))
    if closed_on is None or (lead.verified_on and closed_on < lead.verified_on) or \
            closed_on > timezone.localdate():
        _add(errors, "closed_on", _("The closing day is between the verification and "
                                    "today."))
    if not (conclusion_note or "").strip():
        _add(errors, "conclusion_note", _("Write down the basis of the conclusion."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(lead, version=version, by=_actor(by), action=events.LEAD_CLOSE,
                            changes={"closed_on": closed_on, "conclusion": conclusion,
                                     "conclusion_note": conclusion_note.strip(),
                                     "status": LeadStatus.CLOSED},
                            snapshot=("status", "conclusion", "closed_on")).instance


def _may_handle(by, lead: Lead) -> None:
    if by is not SYSTEM and not may_manage_person(by, lead.person):
        raise PermissionDenied


def observation_record(*, by, person: Person, kind: str, on: dt.date, note: str,
                       concern: bool = False) -> Observation:
    """Life outside the eight hours, the three circles, or a 廉政家访, by an officer."""
    if by is not SYSTEM and not may_manage_person(by, person):
        raise ValidationError({"person": [out_of_scope_message()]})
    errors: dict = {}
    if kind not in ObservationKind.values:
        _add(errors, "kind", _("Choose what was observed."))
    if on is None or on > timezone.localdate():
        _add(errors, "on", _("The day cannot be in the future."))
    if not (note or "").strip():
        _add(errors, "note", _("Write down what was observed."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        made = Observation.objects.create(person=person, kind=kind, on=on, note=note.strip(),
                                          concern=bool(concern),
                                          created_by=None if by is SYSTEM else by)
        audit_record(actor=_actor(by), action=events.OBSERVATION_RECORD, obj=made,
                     after={"kind": kind, "concern": bool(concern)})
        if concern:  # only observations giving cause for concern are warning signals
            _warnings_changed(person)
    return made
