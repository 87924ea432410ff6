"""Writes of service records. The audit trail names the record and what changed, never
what the public said or a household's situation (both encrypted at rest)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core import ballots, registry
from zugong.core.audit import SYSTEM, audit_record
from zugong.core.notices import notify
from zugong.core.versioning import versioned_update
from zugong.people.models import OrgUnit, Person, User

from . import events, selectors
from .access import Cap, department_of, in_scope, may_keep, may_manage_department
from .models import (
    ContactPoint,
    Deed,
    DeedStatus,
    Delivery,
    Expert,
    ExpertOrder,
    Household,
    Liaison,
    LiaisonKind,
    Mode,
    OrdererKind,
    OrderStatus,
    PointKind,
    Problem,
    ProblemStatus,
    RatingCode,
    RuleKind,
    Satisfaction,
    SendItem,
    ServiceRule,
    Visit,
    VisitKind,
)
from .selectors import TOPICS_HOOK

# Minimums a department may set: a monthly rule up to 10, the yearly one up to 100.
RULE_MAXIMUM = {RuleKind.POINT_VISITS: 10, RuleKind.HOUSEHOLD_CONTACTS: 10,
                RuleKind.PROBLEMS_SOLVED: 100}
# The reminders start on this day of the month.
REMIND_FROM_DAY = 20


def out_of_scope_message() -> str:
    """One answer for a cadre outside the user's scope and for an id that does not exist."""
    return _("Choose a cadre in your scope.")


def _add(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def _actor(by):
    return SYSTEM if by is None else by


def _creator(by):
    return None if by is SYSTEM or by is None else by


def _whose(by, person: Person | None) -> Person:
    """The cadre a record is about: the given one if the user keeps their records (404-like
    words otherwise), else the user's own."""
    if person is None:
        person = getattr(by, "person", None)
        if person is None:
            raise ValidationError({"person": [_("Your account is not linked to a cadre.")]})
    if by is not SYSTEM and not may_keep(by, person):
        raise ValidationError({"person": [out_of_scope_message()]})
    return person


def _not_future(errors, field, day, today=None):
    if day is None or day > (today or timezone.localdate()):
        _add(errors, field, _("The day cannot be in the future."))


def _text(value) -> str:
    return (value or "").strip()


# ---------------------------------------------------------------- pairings


def point_create(*, by, kind: str, name: str, on: dt.date,
                 person: Person | None = None) -> ContactPoint:
    """Pair a cadre with a village, an enterprise or a community."""
    person = _whose(by, person)
    errors: dict = {}
    if kind not in PointKind.values:
        _add(errors, "kind", _("Choose village, enterprise or community."))
    if not _text(name):
        _add(errors, "name", _("Give the name of the place."))
    if on is None:
        _add(errors, "on", _("Give the day the pairing began."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            point = ContactPoint.objects.create(person=person, kind=kind, name=_text(name),
                                                on=on, created_by=_creator(by))
            audit_record(actor=_actor(by), action=events.POINT_CREATE, obj=point,
                         after={"kind": kind, "name": point.name, "on": on.isoformat()})
    except IntegrityError:
        raise ValidationError({"name": [_("This cadre is already paired with this "
                                          "place.")]}) from None
    return point


def household_create(*, by, name: str, on: dt.date, difficulty: bool = False,
                     situation: str = "", point: ContactPoint | None = None,
                     person: Person | None = None) -> Household:
    """Pair a cadre with a household; ``difficulty`` marks a Party member in difficulty."""
    person = _whose(by, person)
    errors: dict = {}
    if not _text(name):
        _add(errors, "name", _("Give the head of the household."))
    if on is None:
        _add(errors, "on", _("Give the day the pairing began."))
    if point is not None and point.person_id != person.pk:
        _add(errors, "point", _("Choose one of this cadre's contact points."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        household = Household.objects.create(
            person=person, name=_text(name), on=on, difficulty=bool(difficulty),
            situation=_text(situation), point=point, created_by=_creator(by))
        audit_record(actor=_actor(by), action=events.HOUSEHOLD_CREATE, obj=household,
                     after={"difficulty": bool(difficulty), "on": on.isoformat()})
    return household


def pairing_end(*, by, pairing: ContactPoint | Household, version, until: dt.date,
                reason: str = "") -> ContactPoint | Household:
    """End a pairing on ``until`` (its last day) for ``reason``. The pairing and its
    records stay (the list shows it ended, the audit entry keeps it as it was); coverage
    owes nothing for the months after ``until``, and no visit is recorded after it."""
    if by is not SYSTEM and not may_keep(by, pairing.person):
        raise PermissionDenied
    errors: dict = {}
    if pairing.until is not None:
        _add(errors, "until", _("This pairing already ended on %(day)s.")
             % {"day": f"{pairing.until:%Y-%m-%d}"})
    elif until is None or until < pairing.on:
        _add(errors, "until", _("The last day is on or after the first."))
    if not _text(reason):
        _add(errors, "reason", _("Give the reason for ending the pairing."))
    if errors:
        raise ValidationError(errors)
    action = events.POINT_END if isinstance(pairing, ContactPoint) else events.HOUSEHOLD_END
    return versioned_update(pairing, version=version, by=_actor(by), action=action,
                            changes={"until": until, "end_reason": _text(reason)[:200]},
                            snapshot=("until", "end_reason")).instance


# ---------------------------------------------------------------- visits and problems


def visit_record(*, by, kind: str, on: dt.date, heard: str, mode: str = Mode.ON_SITE,
                 point: ContactPoint | None = None, household: Household | None = None,
                 problem: str = "", person: Person | None = None) -> Visit:
    """A visit under 三入三解 (or a phone call to a household) and what was heard; a
    problem the public raised on the visit is recorded with it."""
    person = _whose(by, person)
    errors: dict = {}
    if kind not in VisitKind.values:
        _add(errors, "kind", _("Choose enterprise, village or household."))
    if mode not in Mode.values:
        _add(errors, "mode", _("Choose on site or by phone."))
    _not_future(errors, "on", on)
    if not _text(heard):
        _add(errors, "heard", _("Write down what you heard."))
    if kind == VisitKind.HOUSEHOLD:
        point = None
        if household is None or household.person_id != person.pk:
            _add(errors, "household", _("Choose one of your contact households."))
    elif kind in VisitKind.values:
        household = None
        if mode == Mode.PHONE:
            _add(errors, "mode", _("Only a household may be contacted by phone."))
        wanted = PointKind.ENTERPRISE if kind == VisitKind.ENTERPRISE else None
        if point is None or point.person_id != person.pk or (
                wanted and point.kind != wanted) or (
                not wanted and point.kind == PointKind.ENTERPRISE):
            _add(errors, "point", _("Choose one of your contact points of this kind."))
    for pairing, field in ((point, "point"), (household, "household")):
        if pairing is not None and on and pairing.until and on > pairing.until:
            _add(errors, field, _("This pairing ended on %(day)s.")
                 % {"day": f"{pairing.until:%Y-%m-%d}"})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visit = Visit.objects.create(person=person, kind=kind, mode=mode, on=on,
                                     point=point, household=household, heard=_text(heard),
                                     created_by=_creator(by))
        audit_record(actor=_actor(by), action=events.VISIT_RECORD, obj=visit,
                     after={"kind": kind, "mode": mode, "on": on.isoformat()})
        if _text(problem):
            problem_raise(by=by, title=problem, on=on, visit=visit, person=person)
    return visit


def problem_raise(*, by, title: str, on: dt.date, visit: Visit | None = None,
                  person: Person | None = None) -> Problem:
    person = _whose(by, person)
    errors: dict = {}
    if not _text(title):
        _add(errors, "title", _("Describe the problem."))
    elif len(_text(title)) > 200:
        _add(errors, "title", _("Keep the problem to 200 characters."))
    _not_future(errors, "on", on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        made = Problem.objects.create(person=person, title=_text(title), on=on, visit=visit,
                                      created_by=_creator(by))
        audit_record(actor=_actor(by), action=events.PROBLEM_RAISE, obj=made,
                     after={"on": on.isoformat(), "visit": visit.pk if visit else None})
    return made


def problem_assign(*, by, problem: Problem, version, on: dt.date,
                   handler: Person | None = None, handler_unit: str = "") -> Problem:
    """Hand a problem to a colleague (who is told) or to a unit outside the department."""
    if by is not SYSTEM and not may_keep(by, problem.person):
        raise PermissionDenied
    errors: dict = {}
    if problem.solved:
        _add(errors, "handler", _("This problem is already solved."))
    if handler is None and not _text(handler_unit):
        _add(errors, "handler", _("Name who handles it: a colleague or a unit."))
    if handler is not None and by is not SYSTEM and not in_scope(by, Cap.SERVICE_VIEW,
                                                                 handler):
        _add(errors, "handler", out_of_scope_message())
    if on is None or on < problem.on or on > timezone.localdate():
        _add(errors, "assigned_on", _("The day is between the day it was raised and "
                                      "today."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        done = versioned_update(
            problem, version=version, by=_actor(by), action=events.PROBLEM_ASSIGN,
            changes={"handler": handler, "handler_unit": _text(handler_unit),
                     "assigned_on": on, "status": ProblemStatus.ASSIGNED},
            snapshot=("status", "handler_unit", "assigned_on")).instance
        account = User.objects.filter(person=handler, is_active=True).first() \
            if handler is not None and handler.pk != problem.person_id else None
        if account is not None:
            notify(recipients=[account], kind=events.NOTICE_ASSIGNED,
                   title=_("A problem of the public was handed to you: %(title)s") % {
                       "title": done.title},
                   url=f"/service/problems/{done.pk}/", dedupe_key=f"svc-assign:{done.pk}")
    return done


def problem_solve(*, by, problem: Problem, version, solved_on: dt.date,
                  evidence: str) -> Problem:
    """Solved, with the evidence (what was done, documents, photos described)."""
    me = getattr(by, "person_id", None)
    if by is not SYSTEM and not (me and me == problem.handler_id) and \
            not may_keep(by, problem.person):
        raise PermissionDenied
    errors: dict = {}
    if problem.solved:
        _add(errors, "solved_on", _("This problem is already solved."))
    if solved_on is None or solved_on < problem.on or solved_on > timezone.localdate():
        _add(errors, "solved_on", _("The day is between the day it was raised and today."))
    if not _text(evidence):
        _add(errors, "evidence", _("Describe how it was solved."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(problem, version=version, by=_actor(by),
                            action=events.PROBLEM_SOLVE,
                            changes={"solved_on": solved_on, "evidence": _text(evidence),
                                     "status": ProblemStatus.SOLVED},
                            snapshot=("status", "solved_on")).instance


def problem_rate(*, by, problem: Problem, version, satisfaction: str,
                 rated_on: dt.date) -> Problem:
    """The public's satisfaction with a solved problem, as the cadre collected it."""
    if by is not SYSTEM and not may_keep(by, problem.person):
        raise PermissionDenied
    errors: dict = {}
    if problem.status != ProblemStatus.SOLVED:
        _add(errors, "satisfaction", _("Only a solved problem is rated, once."))
    if satisfaction not in Satisfaction.values:
        _add(errors, "satisfaction", _("Choose how satisfied the public is."))
    if rated_on is None or (problem.solved_on and rated_on < problem.solved_on) or \
            rated_on > timezone.localdate():
        _add(errors, "rated_on", _("The day is between the solution and today."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(problem, version=version, by=_actor(by),
                            action=events.PROBLEM_RATE,
                            changes={"satisfaction": satisfaction, "rated_on": rated_on,
                                     "status": ProblemStatus.RATED},
                            snapshot=("status", "satisfaction")).instance


def export_logged(*, by, count: int) -> None:
    audit_record(actor=by, action=events.PROBLEM_EXPORT, object_type="service.problem",
                 after={"rows": count})


def export_audit(*, by, action: str, object_type: str, count: int, filters: dict) -> None:
    """An export's audit entry: what was exported, how many rows, with which filters."""
    audit_record(actor=by, action=action, object_type=object_type,
                 after={"rows": count, "filters": filters})


# ---------------------------------------------------------------- 五送 and 实事


def delivery_record(*, by, household: Household, item: str, on: dt.date, note: str = "",
                    person: Person | None = None) -> Delivery:
    person = _whose(by, person)
    errors: dict = {}
    if household is None or household.person_id != person.pk:
        _add(errors, "household", _("Choose one of your contact households."))
    if item not in SendItem.values:
        _add(errors, "item", _("Choose one of the five."))
    _not_future(errors, "on", on)
    # As for visits: nothing is delivered through a pairing after its last day.
    if household is not None and on and household.until and on > household.until:
        _add(errors, "household", _("This pairing ended on %(day)s.")
             % {"day": f"{household.until:%Y-%m-%d}"})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        made = Delivery.objects.create(person=person, household=household, item=item, on=on,
                                       note=_text(note)[:200], created_by=_creator(by))
        audit_record(actor=_actor(by), action=events.DELIVERY_RECORD, obj=made,
                     after={"item": item, "on": on.isoformat()})
    return made


def deed_create(*, by, title: str, on: dt.date, person: Person | None = None) -> Deed:
    person = _whose(by, person)
    errors: dict = {}
    if not _text(title):
        _add(errors, "title", _("Describe the practical matter."))
    _not_future(errors, "on", on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        made = Deed.objects.create(person=person, title=_text(title)[:200], on=on,
                                   created_by=_creator(by))
        audit_record(actor=_actor(by), action=events.DEED_CREATE, obj=made,
                     after={"on": on.isoformat()})
    return made


def deed_update(*, by, deed: Deed, version, status: str,
                done_on: dt.date | None = None) -> Deed:
    """Move a practical matter on: planned, under way, done (with the day it was done)."""
    if by is not SYSTEM and not may_keep(by, deed.person):
        raise PermissionDenied
    errors: dict = {}
    # Done is final, as a solved problem is: the day it was done is what the figure counts.
    if deed.status == DeedStatus.DONE:
        _add(errors, "status", _("This practical matter is already done."))
    elif status not in DeedStatus.values:
        _add(errors, "status", _("Choose the status."))
    if status == DeedStatus.DONE and (done_on is None or done_on < deed.on
                                      or done_on > timezone.localdate()):
        _add(errors, "done_on", _("The day is between the day it was taken on and today."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(deed, version=version, by=_actor(by), action=events.DEED_UPDATE,
                            changes={"status": status,
                                     "done_on": done_on if status == DeedStatus.DONE else None},
                            snapshot=("status", "done_on")).instance


# ---------------------------------------------------------------- rules and reminders


def rule_set(*, by, department: OrgUnit, kind: str, minimum) -> ServiceRule:
    """Set one of the department's minimums (the head, for their department)."""
    if by is not SYSTEM and not in_scope(by, Cap.SERVICE_RULES, department):
        raise PermissionDenied
    errors: dict = {}
    if kind not in RuleKind.values:
        _add(errors, "kind", _("Choose the rule."))
    try:
        minimum = int(minimum)
    except (TypeError, ValueError):
        minimum = -1
    if kind in RuleKind.values and not 0 <= minimum <= RULE_MAXIMUM[kind]:
        _add(errors, "minimum", _("The minimum is between 0 and %(max)s.") % {
            "max": RULE_MAXIMUM[kind]})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule = ServiceRule.objects.select_for_update().filter(department=department,
                                                               kind=kind).first()
        before = {"minimum": rule.minimum} if rule else None
        if rule is None:
            rule = ServiceRule.objects.create(department=department, kind=kind,
                                              minimum=minimum)
        else:
            rule.minimum = minimum
            rule.version += 1
            rule.save(update_fields=["minimum", "version"])
        audit_record(actor=_actor(by), action=events.RULE_UPDATE, obj=rule, before=before,
                     after={"kind": kind, "minimum": minimum})
    return rule


def remind_owed(*, today: dt.date) -> int:
    """From the 20th of each month, remind every cadre who still owes this month's visit
    to a paired village or contact with a household (once a week)."""
    if today.day < REMIND_FROM_DAY:
        return 0
    owed = selectors.owed_now(as_of=today)
    accounts = {u.person_id: u for u in User.objects.filter(
        person_id__in=[p.pk for p, _v, _h in owed], is_active=True)}
    sent = 0
    week = today.isocalendar()[1]
    for person, villages, households in owed:
        account = accounts.get(person.pk)
        if account is None:
            continue
        sent += len(notify(
            recipients=[account], kind=events.NOTICE_OWED,
            title=_("This month you still owe %(v)s village visits and %(h)s household "
                    "contacts") % {"v": villages, "h": households},
            url="/service/", dedupe_key=f"svc-owed:{today:%Y-%m}:{week}"))
    return sent




# ---------------------------------------------------------------- 六联六促


def liaison_create(*, by, kind: str, target: str, on: dt.date, topic: str = "",
                   person: Person | None = None,
                   research_topic_id: int | None = None) -> Liaison:
    """Link a cadre with a target of 六联六促, with the research topic taken up there: typed
    (``topic``) or one of the ability app's research topics the user may read
    (``research_topic_id``, checked through the hook ``ability.research_topics``)."""
    person = _whose(by, person)
    errors: dict = {}
    if research_topic_id is not None and by is not SYSTEM:
        topics = registry.hook(TOPICS_HOOK)
        if topics is None or research_topic_id not in topics(user=by,
                                                             ids=[research_topic_id]):
            _add(errors, "research_topic_id", _("Choose a research topic you can see."))
    if kind not in LiaisonKind.values:
        _add(errors, "kind", _("Choose one of the six kinds."))
    if not _text(target):
        _add(errors, "target", _("Name the target."))
    if on is None:
        _add(errors, "on", _("Give the day the pairing began."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            made = Liaison.objects.create(person=person, kind=kind, target=_text(target)[:100],
                                          topic=_text(topic)[:200], on=on,
                                          research_topic_id=research_topic_id,
                                          created_by=_creator(by))
            audit_record(actor=_actor(by), action=events.LIAISON_CREATE, obj=made,
                         after={"kind": kind, "target": made.target,
                                "research_topic": research_topic_id})
    except IntegrityError:
        raise ValidationError({"target": [_("This cadre is already linked with this "
                                            "target.")]}) from None
    return made


# ---------------------------------------------------------------- 点单式 expert service


def expert_create(*, by, department: OrgUnit, name: str, field: str,
                  employer: str = "") -> Expert:
    """Add an expert to the department's 科技专家服务团 (a leader of the department)."""
    if by is not SYSTEM and not may_manage_department(by, department):
        raise PermissionDenied
    errors: dict = {}
    if not _text(name):
        _add(errors, "name", _("Give the expert's name."))
    if not _text(field):
        _add(errors, "field", _("Give the expert's speciality."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            expert = Expert.objects.create(department=department, name=_text(name)[:50],
                                           field=_text(field)[:100],
                                           employer=_text(employer)[:100])
            audit_record(actor=_actor(by), action=events.EXPERT_CREATE, obj=expert,
                         after={"name": expert.name, "field": expert.field})
    except IntegrityError:
        raise ValidationError({"name": [_("This expert is already on the roster.")]}) from None
    return expert


def order_place(*, by, orderer_kind: str, orderer: str, need: str, on: dt.date,
                person: Person | None = None) -> ExpertOrder:
    """A village or an enterprise orders a service (点单), through the cadre who took it."""
    person = _whose(by, person)
    errors: dict = {}
    if orderer_kind not in OrdererKind.values:
        _add(errors, "orderer_kind", _("Choose village or enterprise."))
    if not _text(orderer):
        _add(errors, "orderer", _("Name the village or enterprise."))
    if not _text(need):
        _add(errors, "need", _("Describe what is needed."))
    _not_future(errors, "on", on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        order = ExpertOrder.objects.create(person=person, orderer_kind=orderer_kind,
                                           orderer=_text(orderer)[:100], need=_text(need),
                                           on=on, created_by=_creator(by))
        audit_record(actor=_actor(by), action=events.ORDER_PLACE, obj=order,
                     after={"orderer_kind": orderer_kind, "on": on.isoformat()})
    return order


def order_match(*, by, order: ExpertOrder, version, expert: Expert | None,
                on: dt.date) -> ExpertOrder:
    if by is not SYSTEM and not may_keep(by, order.person):
        raise PermissionDenied
    errors: dict = {}
    if order.status not in (OrderStatus.ORDERED, OrderStatus.MATCHED):
        _add(errors, "expert", _("This order is already delivered."))
    if expert is None or not expert.active or \
            expert.department_id != department_of(order.person).pk:
        _add(errors, "expert", _("Choose a serving expert of the department."))
    if on is None or on < order.on or on > timezone.localdate():
        _add(errors, "on", _("The day is between the order and today."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(order, version=version, by=_actor(by), action=events.ORDER_MATCH,
                            changes={"expert": expert, "matched_on": on,
                                     "status": OrderStatus.MATCHED},
                            snapshot=("status", "matched_on")).instance


def order_deliver(*, by, order: ExpertOrder, version, on: dt.date,
                  delivery: str) -> ExpertOrder:
    if by is not SYSTEM and not may_keep(by, order.person):
        raise PermissionDenied
    errors: dict = {}
    if order.status != OrderStatus.MATCHED:
        _add(errors, "delivery", _("Only a matched order is delivered."))
    if on is None or (order.matched_on and on < order.matched_on) or \
            on > timezone.localdate():
        _add(errors, "on", _("The day is between the match and today."))
    if not _text(delivery):
        _add(errors, "delivery", _("Describe what the expert delivered."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(order, version=version, by=_actor(by),
                            action=events.ORDER_DELIVER,
                            changes={"delivered_on": on, "delivery": _text(delivery),
                                     "status": OrderStatus.DELIVERED},
                            snapshot=("status", "delivered_on")).instance


def order_rate(*, by, order: ExpertOrder, version, score) -> ExpertOrder:
    """The orderer's rating of the service, 1 to 5, as the cadre collected it."""
    if by is not SYSTEM and not may_keep(by, order.person):
        raise PermissionDenied
    errors: dict = {}
    if order.status != OrderStatus.DELIVERED:
        _add(errors, "score", _("Only a delivered order is rated, once."))
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        _add(errors, "score", _("Rate from 1 to 5."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(order, version=version, by=_actor(by), action=events.ORDER_RATE,
                            changes={"score": score, "status": OrderStatus.RATED},
                            snapshot=("status", "score")).instance


# ---------------------------------------------------------------- the public's own rating

def rating_code_issue(*, by, problem: Problem) -> str:
    """A one-time code for the public to rate a solved problem themselves; a new code
    replaces an unused one. The code is returned once and only its hash is kept."""
    if by is not SYSTEM and not may_keep(by, problem.person):
        raise PermissionDenied
    if problem.status != ProblemStatus.SOLVED:
        raise ValidationError({"satisfaction": [_("Only a solved problem is rated, once.")]})
    code = ballots.codes_new(1)[0]  # no 0/O or 1/I: read aloud or written on a slip
    with transaction.atomic():
        RatingCode.objects.filter(problem=problem).delete()
        RatingCode.objects.create(problem=problem, code_hash=ballots.code_hash(code))
        audit_record(actor=_actor(by), action=events.PROBLEM_CODE, obj=problem,
                     object_repr=str(problem))
    return code


def invalid_code_message() -> str:
    """One answer for a code that never existed, was used, or whose problem moved on."""
    return _("This code is not valid or has been used.")


def public_rate(*, code: str, satisfaction: str) -> Problem:
    """The public rates a solved problem with its one-time code (no account)."""
    errors: dict = {}
    if satisfaction not in Satisfaction.values:
        _add(errors, "satisfaction", _("Choose how satisfied the public is."))
    with transaction.atomic():
        row = ballots.code_row(RatingCode.objects.filter(used=False), code)
        # The problem's row is locked too, so a cadre's rating cannot cross this one.
        problem = Problem.objects.select_for_update().filter(
            pk=row.problem_id if row else None, status=ProblemStatus.SOLVED).first()
        if problem is None:
            _add(errors, "code", invalid_code_message())
        if errors:
            raise ValidationError(errors)
        problem.status, problem.satisfaction = ProblemStatus.RATED, satisfaction
        problem.rated_on = timezone.localdate()
        problem.version += 1
        problem.save(update_fields=["status", "satisfaction", "rated_on", "version",
                                    "updated_at"])
        row.used = True
        row.save(update_fields=["used"])
        audit_record(actor=SYSTEM, action=events.PROBLEM_PUBLIC_RATE, obj=problem,
                     after={"satisfaction": satisfaction})
    return problem
