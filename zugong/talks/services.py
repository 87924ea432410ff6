"""Writes of the talks area: talks and their follow-ups, occasions, section changes,
coverage rules, terms, visit flags, visits and their problems, reminders."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zugong.core.audit import SYSTEM, audit_record, model_snapshot
from zugong.core.memo import bump
from zugong.core.notices import notify
from zugong.core.periods import PeriodKind
from zugong.core.recycle import recycle
from zugong.people.access import has_cap
from zugong.people.models import OrgUnit, Person, PersonCategory, PostHistory
from zugong.people.services import person_update

from . import coverage, events
from .access import (
    Cap,
    department_of,
    in_scope,
    may_delete_talk,
    may_mark_done,
    may_set_rules,
)
from .models import (
    DIFFICULTY_NOTE_MAX,
    CoverageRule,
    FollowUp,
    Relation,
    Talk,
    TalkKind,
    TalkParty,
    Term,
    TriggerEvent,
    TriggerKind,
    Visit,
    VisitFlags,
    VisitKind,
    VisitProblem,
)

# The rules most county departments start from (泸溪: head ↔ deputies, deputies ↔ their
# sections, chiefs ↔ cadres twice, and a talk within 15 days of a must-talk occasion).
DEFAULT_RULES = (
    (Relation.HEAD_DEPUTIES, 1, PeriodKind.YEAR),
    (Relation.DEPUTY_CHARGE, 1, PeriodKind.YEAR),
    (Relation.CHIEF_SECTION, 2, PeriodKind.YEAR),
    (Relation.TRIGGER, 1, PeriodKind.YEAR),
)
DEFAULT_WITHIN_DAYS = 15


# The refusals name nobody: naming someone outside the user's department would tell them
# who is there, and the API answers an id that does not exist with the same words.
NOT_IN_DEPARTMENT = gettext_lazy("Choose people of your own department.")
VISITORS_NOT_IN_DEPARTMENT = gettext_lazy(
    "Visitors must belong to the visited cadre's department.")
OUTSIDE_SCOPE = gettext_lazy("This cadre is outside your department's scope: a visit can "
                             "only be recorded for cadres you manage.")


def _coverage_changed(*paths: str) -> None:
    """What coverage judges changed for people or units at these paths: the departments
    over them judge afresh (the workbench keeps each department's judged pairs,
    ``workbench.pairs_of``). Every service below that writes a talk, a party's
    confirmation, an occasion, a move or a coverage rule calls this; terms, visits and
    follow-up items are not judged by coverage."""
    bump(*sorted(coverage.scopes_over(paths)))


def _merge_errors(errors: dict, exc: ValidationError) -> None:
    for name, messages in exc.message_dict.items():
        errors.setdefault(name, []).extend(m for m in messages if m not in errors.get(name, []))


# ---------------------------------------------------------------- talks


def talk_record(*, by, with_people, held_on: dt.date | None, kind: str, summary: str = "",
                place: str = "", trigger: TriggerEvent | None = None,
                follow_ups=()) -> Talk:
    """A talk the user held (as ``by.person``) with one or more people of their department.

    ``follow_ups`` are dicts with text, owner (a Person, a party) and due_on.
    """
    me = getattr(by, "person", None)
    if me is None or not has_cap(by, Cap.TALKS_VIEW):
        raise PermissionDenied
    people = list(dict.fromkeys(with_people or ()))
    errors: dict[str, list[str]] = {}
    if not people:
        errors["with_people"] = [_("Choose whom you talked with.")]
    elif any(p.pk == me.pk for p in people):
        errors["with_people"] = [_("A talk with oneself is not a talk: choose someone else.")]
    else:
        dept = department_of(me)
        if any(not p.unit_path.startswith(dept.path) for p in people):
            errors["with_people"] = [NOT_IN_DEPARTMENT]
    today = timezone.localdate()
    if held_on is None:
        errors["held_on"] = [_("Give the date of the talk.")]
    elif held_on > today:
        errors["held_on"] = [_("The date is in the future: record a talk once it was held.")]
    if kind not in TalkKind.values:
        errors["kind"] = [_("Choose the kind of talk.")]
    if kind != TalkKind.COLLECTIVE and len(people) > 12:
        errors["with_people"] = [_("More than twelve people: record it as a collective "
                                   "integrity talk.")]
    if trigger is not None and people and trigger.person_id not in {p.pk for p in people}:
        errors["trigger"] = [_("The occasion is about someone who was not in this talk.")]
    party_ids = {me.pk} | {p.pk for p in people}
    for item in follow_ups:
        if not (item.get("text") or "").strip():
            errors.setdefault("follow_ups", []).append(_("A follow-up item needs its text."))
        if item.get("owner") is None or item["owner"].pk not in party_ids:
            errors.setdefault("follow_ups", []).append(
                _("The owner of a follow-up item must be one of the parties."))
        if not item.get("due_on"):
            errors.setdefault("follow_ups", []).append(_("Give the follow-up item a due date."))
    talk = Talk(by=me, held_on=held_on, kind=kind, summary=(summary or "").strip(),
                place=(place or "").strip(), trigger=trigger, recorded_by=by)
    try:
        talk.full_clean(exclude=["by", "recorded_by", "trigger", "held_on"])
    except ValidationError as exc:
        _merge_errors(errors, exc)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        talk.save()
        TalkParty.objects.bulk_create([TalkParty(talk=talk, person=p, held_on=held_on)
                                       for p in people])
        for item in follow_ups:
            FollowUp.objects.create(talk=talk, text=item["text"].strip(), owner=item["owner"],
                                    due_on=item["due_on"])
        # The summary is never copied into the audit log: only that there is one.
        audit_record(actor=by, action=events.TALK_RECORD, obj=talk, after={
            "kind": kind, "held_on": held_on, "with": sorted(p.pk for p in people),
            "summary_chars": len(talk.summary), "follow_ups": len(follow_ups)})
        _coverage_changed(me.unit_path, *(p.unit_path for p in people))
    return talk


def talk_delete(*, by, talk: Talk) -> None:
    """Delete a talk (with its parties and follow-up items) into the recycle bin: the one
    who held it or a leader managing talks over that person may, and a leader with that
    person in scope puts it back. The summary travels only in the bin's encrypted payload,
    never in the audit log or the bin's label."""
    if not may_delete_talk(by, talk):
        raise PermissionDenied
    holder = talk.by
    with transaction.atomic():
        talk_id = str(talk.pk)
        before = {"kind": talk.kind, "held_on": talk.held_on,
                  "with": sorted(talk.parties.values_list("person_id", flat=True))}
        label = f"{holder.name} · {talk}"
        paths = [holder.unit_path, *talk.parties.values_list("person__unit_path", flat=True)]
        entry = recycle(talk, by=by, cap=Cap.TALKS_MANAGE, person_id=holder.pk,
                        department_id=department_of(holder).pk, label=label)
        audit_record(actor=by, action=events.TALK_DELETE, object_type="talks.talk",
                     object_id=talk_id, object_repr=label, before=before,
                     after={"recycled": entry.pk})
        _coverage_changed(*paths)


def talk_restored(*, rows) -> None:
    """The recycle bin put a talk back (hook ``recycled.talks.talk``): it counts again for
    the pairs of its holder and parties."""
    ids = {pk for row in rows for pk in (
        (row.by_id,) if isinstance(row, Talk) else
        (row.person_id,) if isinstance(row, TalkParty) else ())}
    if ids:
        _coverage_changed(*Person.objects.filter(pk__in=ids).values_list("unit_path",
                                                                         flat=True))


def talk_confirm(*, by, talk: Talk) -> TalkParty:
    """A counterpart confirms that the talk recorded by the other side took place.

    Only a party other than the one who held (and recorded) it may confirm; a talk the
    junior side recorded counts for the leader's pair only once confirmed (see coverage).
    """
    me = getattr(by, "person", None)
    party = TalkParty.objects.filter(talk=talk, person=me).first() if me else None
    if party is None:
        raise PermissionDenied
    if party.confirmed_on is None:
        with transaction.atomic():
            party.confirmed_on = timezone.localdate()
            party.save(update_fields=["confirmed_on"])
            audit_record(actor=by, action=events.TALK_CONFIRM, obj=talk,
                         after={"confirmed_by": me.pk, "confirmed_on": party.confirmed_on})
            _coverage_changed(talk.by.unit_path, me.unit_path)
    return party


def followup_done(*, by, item: FollowUp, done_on: dt.date | None = None) -> FollowUp:
    """The owner (or whoever recorded the talk) marks a follow-up item done."""
    if not may_mark_done(by, item):
        raise PermissionDenied
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": [_("The date is in the future.")]})
    with transaction.atomic():
        item.done_on = done_on
        item.save(update_fields=["done_on"])
        audit_record(actor=by, action=events.FOLLOWUP_DONE, obj=item,
                     after={"done_on": done_on})
    return item


def summary_read_logged(*, by, talks) -> None:
    """Every read of talk summaries leaves one audit entry naming the talks."""
    ids = sorted(t.pk for t in talks)
    if ids:
        audit_record(actor=by, action=events.SUMMARY_VIEW, object_type="talks.talk",
                     object_id=",".join(map(str, ids[:50]))[:64],
                     after={"talks": ids})


# ---------------------------------------------------------------- occasions and moves


def trigger_record(*, by, person: Person, kind: str, on: dt.date | None,
                   note: str = "") -> TriggerEvent:
    if not in_scope(by, Cap.TALKS_MANAGE, person):
        raise PermissionDenied
    errors = {}
    if kind not in TriggerKind.values:
        errors["kind"] = [_("Choose the occasion.")]
    if on is None:
        errors["on"] = [_("Give the date.")]
    elif on > timezone.localdate():
        errors["on"] = [_("The date is in the future.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        event = TriggerEvent.objects.create(person=person, kind=kind, on=on,
                                            note=(note or "").strip(), recorded_by=by)
        audit_record(actor=by, action=events.TRIGGER_RECORD, obj=event,
                     after={"person": person.pk, "kind": kind, "on": on})
        _coverage_changed(person.unit_path)
    return event


def unit_change_record(*, by, person: Person, to_unit: OrgUnit | None,
                       on: dt.date | None) -> PostHistory | None:
    """A move to another section on a day: the person is moved, and the people app's post
    history keeps where they were before (coverage and learning rules read it)."""
    if not in_scope(by, Cap.TALKS_MANAGE, person):
        raise PermissionDenied
    errors = {}
    dept = department_of(person)
    if to_unit is None:
        errors["to_unit"] = [_("Choose the section the person moved to.")]
    elif to_unit.pk == person.unit_id:
        errors["to_unit"] = [_("The person is already in this unit.")]
    elif not to_unit.path.startswith(dept.path):
        errors["to_unit"] = [_("A unit outside the department.")]
    if on is None:
        errors["on"] = [_("Give the date of the move.")]
    elif on > timezone.localdate():
        errors["on"] = [_("The date is in the future.")]
    elif PostHistory.objects.filter(person=person, valid_from__gte=on).exists():
        errors["on"] = [_("A later move is already recorded for this person.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        from_unit, from_path = person.unit_id, person.unit_path
        person_update(by=by, person=person, data={"unit": to_unit}, on=on)
        # None when the record was entered today: it has been in the new unit all along.
        move = PostHistory.objects.filter(person=person, valid_to__isnull=True).first()
        audit_record(actor=by, action=events.UNIT_CHANGE_RECORD, obj=person,
                     after={"person": person.pk, "from": from_unit, "to": to_unit.pk,
                            "on": on})
        _coverage_changed(from_path, to_unit.path)
    return move


# ---------------------------------------------------------------- rules and terms


def rule_add(*, by, department: OrgUnit, relation: str, threshold: int | None,
             period: str = PeriodKind.YEAR, within_days: int | None = None,
             remind_days: int | None = 14) -> CoverageRule:
    """A rule for one relation; it replaces the rule in force for that relation.

    ``by=SYSTEM`` (or None, still accepted) is the product itself: the demo, a setup."""
    by = SYSTEM if by is None else by
    if by is not SYSTEM and not may_set_rules(by, department):
        raise PermissionDenied
    errors = {}
    if relation not in Relation.values:
        errors["relation"] = [_("Choose who talks with whom.")]
    if not threshold or threshold < 1:
        errors["threshold"] = [_("At least one talk.")]
    if period not in PeriodKind.values:
        errors["period"] = [_("Choose the period.")]
    if relation == Relation.TRIGGER and (not within_days or within_days < 1):
        errors["within_days"] = [_("Give the number of days within which the talk is due.")]
    if remind_days is None or remind_days < 0:
        errors["remind_days"] = [_("Give how many days before the due date to remind.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        CoverageRule.objects.filter(department=department, relation=relation,
                                    is_active=True).update(is_active=False)
        rule = CoverageRule.objects.create(
            department=department, relation=relation, threshold=threshold, period=period,
            within_days=within_days or DEFAULT_WITHIN_DAYS, remind_days=remind_days)
        audit_record(actor=by, action=events.RULE_ADD, obj=rule,
                     after=model_snapshot(rule, ("relation", "threshold", "period",
                                                 "within_days", "remind_days")))
        bump(coverage.scope(department.path))
    return rule


def rule_retire(*, by, rule: CoverageRule) -> CoverageRule:
    if not may_set_rules(by, rule.department):
        raise PermissionDenied
    with transaction.atomic():
        rule.is_active = False
        rule.save(update_fields=["is_active"])
        audit_record(actor=by, action=events.RULE_RETIRE, obj=rule, after={"is_active": False})
        bump(coverage.scope(rule.department.path))
    return rule


def default_rules(*, by, department: OrgUnit) -> list[CoverageRule]:
    return [rule_add(by=by, department=department, relation=relation, threshold=n,
                     period=period, within_days=DEFAULT_WITHIN_DAYS)
            for relation, n, period in DEFAULT_RULES]


def term_create(*, by, department: OrgUnit, name: str, start: dt.date | None,
                end: dt.date | None, follow_up_months=(6, 12), handling_days: int = 7,
                home_visit_days: int = 30) -> Term:
    by = SYSTEM if by is None else by  # None is still accepted for the system
    if by is not SYSTEM and not may_set_rules(by, department):
        raise PermissionDenied
    errors = {}
    if not (name or "").strip():
        errors["name"] = [_("Give the term a name.")]
    if start is None:
        errors["start"] = [_("Give the first day of the term.")]
    if end is None:
        errors["end"] = [_("Give the last day of the term.")]
    elif start and end <= start:
        errors["end"] = [_("The term must end after it starts.")]
    months = sorted({int(m) for m in follow_up_months})
    if any(m < 1 or m > 120 for m in months):
        errors["follow_up_months"] = [_("Months between 1 and 120.")]
    if handling_days is None or handling_days < 1:
        errors["handling_days"] = [_("At least one day.")]
    if home_visit_days is None or home_visit_days < 1:
        errors["home_visit_days"] = [_("At least one day.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        term = Term.objects.create(department=department, name=name.strip(), start=start,
                                   end=end, follow_up_months=months,
                                   handling_days=handling_days,
                                   home_visit_days=home_visit_days)
        audit_record(actor=by, action=events.TERM_CREATE, obj=term,
                     after={"name": term.name, "start": start, "end": end})
    return term


# ---------------------------------------------------------------- visits


FLAG_FIELDS = ("is_key", "difficulty_since", "difficulty_note", "handling_since")


def visit_flags_set(*, by, person: Person, data: dict) -> VisitFlags:
    if person.category != PersonCategory.MANAGED:
        raise ValidationError({"__all__": [_("Visit flags are kept for managed cadres.")]})
    if not in_scope(by, Cap.TALKS_MANAGE, person):
        raise PermissionDenied
    today = timezone.localdate()
    errors = {}
    for name in ("difficulty_since", "handling_since"):
        if data.get(name) and data[name] > today:
            errors[name] = [_("The date is in the future.")]
    if len(data.get("difficulty_note") or "") > DIFFICULTY_NOTE_MAX:
        errors["difficulty_note"] = [_("At most %(n)d characters.") % {"n": DIFFICULTY_NOTE_MAX}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        flags, _created = VisitFlags.objects.select_for_update().get_or_create(person=person)
        before = model_snapshot(flags, FLAG_FIELDS)
        for name in FLAG_FIELDS:
            if name in data:
                setattr(flags, name, data[name] if data[name] is not None else (
                    "" if name == "difficulty_note" else None))
        flags.save()
        audit_record(actor=by, action=events.VISIT_FLAGS_SET, obj=flags, before=before,
                     after=model_snapshot(flags, FLAG_FIELDS))
    return flags


def visit_record(*, by, person: Person | None, visitors, kind: str, on: dt.date | None,
                 place: str, findings: str = "", problems=()) -> Visit:
    """A visit to a managed cadre in the recorder's scope; ``problems`` are dicts with
    text, follow_up and solved_on."""
    if not has_cap(by, Cap.TALKS_MANAGE):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    # Scope before category: what kind of person someone outside the scope is is not the
    # recorder's business either.
    if person is None:
        errors["person"] = [_("Choose whom you visited.")]
    elif not in_scope(by, Cap.TALKS_MANAGE, person):
        errors["person"] = [OUTSIDE_SCOPE]
    elif person.category != PersonCategory.MANAGED:
        errors["person"] = [_("The six visits are to managed cadres.")]
    visitors = list(dict.fromkeys(visitors or ()))
    me = getattr(by, "person", None)
    if me is not None and not visitors:
        visitors = [me]
    if not visitors:
        errors["visitors"] = [_("Say who visited.")]
    elif person is not None and any(v.pk == person.pk for v in visitors):
        errors["visitors"] = [_("The visited cadre cannot be one of the visitors.")]
    elif person is not None and "person" not in errors:
        dept = department_of(person)
        if any(not v.unit_path.startswith(dept.path) for v in visitors):
            errors["visitors"] = [VISITORS_NOT_IN_DEPARTMENT]
    today = timezone.localdate()
    if on is None:
        errors["on"] = [_("Give the date of the visit.")]
    elif on > today:
        errors["on"] = [_("The date is in the future: record a visit once it was made.")]
    if kind not in VisitKind.values:
        errors["kind"] = [_("Choose the kind of visit.")]
    if not (place or "").strip():
        errors["place"] = [_("Say where the visit took place.")]
    for item in problems:
        if not (item.get("text") or "").strip():
            errors.setdefault("problems", []).append(_("A problem needs its text."))
        solved = item.get("solved_on")
        if solved and ((on and solved < on) or solved > today):
            errors.setdefault("problems", []).append(
                _("A problem is solved between the visit and today."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visit = Visit.objects.create(person=person, kind=kind, on=on, place=place.strip(),
                                     findings=(findings or "").strip(), recorded_by=by)
        visit.visitors.set(visitors)
        for item in problems:
            VisitProblem.objects.create(visit=visit, person=person, raised_on=on,
                                        text=item["text"].strip(),
                                        follow_up=(item.get("follow_up") or "").strip(),
                                        solved_on=item.get("solved_on"))
        audit_record(actor=by, action=events.VISIT_RECORD, obj=visit, after={
            "person": person.pk, "kind": kind, "on": on,
            "visitors": sorted(v.pk for v in visitors), "problems": len(problems)})
    return visit


def visit_delete(*, by, visit: Visit) -> None:
    """Delete a visit (with its problems) into the recycle bin; whoever may record visits
    to that cadre may delete it and put it back."""
    person = visit.person
    if not in_scope(by, Cap.TALKS_MANAGE, person):
        raise PermissionDenied
    with transaction.atomic():
        visit_id = str(visit.pk)
        before = {"person": person.pk, "kind": visit.kind, "on": visit.on,
                  "visitors": sorted(visit.visitors.values_list("pk", flat=True)),
                  "problems": visit.problems.count()}
        label = f"{person.name} · {visit}"
        entry = recycle(visit, by=by, cap=Cap.TALKS_MANAGE, person_id=person.pk,
                        department_id=department_of(person).pk, label=label)
        audit_record(actor=by, action=events.VISIT_DELETE, object_type="talks.visit",
                     object_id=visit_id, object_repr=label, before=before,
                     after={"recycled": entry.pk})


def visit_restore_check(*, rows) -> None:
    """The recycle bin's guard (hook ``recycle.talks.visit``): the six visits are to
    managed cadres, so a visit does not come back once its cadre is no longer one."""
    for row in rows:
        if isinstance(row, Visit) and not Person.objects.filter(
                pk=row.person_id, category=PersonCategory.MANAGED).exists():
            raise ValidationError(_("The visit cannot be restored: the person visited is no "
                                    "longer a managed cadre."))


def problem_solve(*, by, problem: VisitProblem, follow_up: str, solved_on: dt.date | None
                  ) -> VisitProblem:
    if not in_scope(by, Cap.TALKS_MANAGE, problem.person):
        raise PermissionDenied
    today = timezone.localdate()
    if solved_on and (solved_on > today or solved_on < problem.raised_on):
        raise ValidationError({"solved_on": [
            _("A problem is solved between the visit and today.")]})
    before = model_snapshot(problem, ("follow_up", "solved_on"))
    with transaction.atomic():
        problem.follow_up = (follow_up or "").strip()
        problem.solved_on = solved_on
        problem.save(update_fields=["follow_up", "solved_on"])
        audit_record(actor=by, action=events.PROBLEM_UPDATE, obj=problem, before=before,
                     after=model_snapshot(problem, ("follow_up", "solved_on")))
    return problem


# ---------------------------------------------------------------- reminders


def reminders_send(*, today: dt.date) -> dict:
    """Tell each leader about pairs due within the rule's reminder days, before they are
    overdue. One notice per pair and due date (dedupe key), however often the job runs."""
    from zugong.people.models import User

    sent = pairs = 0
    depts = OrgUnit.objects.filter(pk__in=CoverageRule.objects.filter(is_active=True)
                                   .values("department_id"))
    for dept in depts:
        due = [r for r in coverage.evaluate(dept, today=today)
               if r.status == coverage.Status.DUE_SOON and r.leader_id]
        if not due:
            continue
        accounts = {u.person_id: u for u in User.objects.filter(
            person_id__in={r.leader_id for r in due}, is_active=True)}
        url = f"{reverse('talks:coverage')}?dept={dept.pk}"
        for r in due:
            pairs += 1
            made = notify(
                recipients=[accounts.get(r.leader_id)], kind=events.TALK_DUE,
                title=_("Talk due by %(date)s with %(name)s")
                % {"date": r.next_due.isoformat(), "name": r.member.name},
                body=_("%(rule)s: %(done)s of %(required)s so far.")
                % {"rule": r.rule.get_relation_display(), "done": r.done,
                   "required": r.required},
                url=url, dedupe_key=f"talks:{r.key}:{r.next_due.isoformat()}")
            sent += len(made)
    return {"pairs": pairs, "sent": sent}
