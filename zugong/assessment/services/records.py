"""Writes of the everyday record, consequence rules and rewards, and scoring reminders."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import SYSTEM, audit_record, model_snapshot
from zugong.core.notices import notify
from zugong.core.recycle import recycle
from zugong.people import services as people_services
from zugong.people.access import department_of, subtree_q
from zugong.people.models import OrgUnit, Person, RewardPunishment, User

from .. import events
from ..access import LEADER_GROUPS, Cap, may_note
from ..models import (
    A15_CODES,
    DEFAULT_RULES,
    Consequence,
    ConsequenceRule,
    EverydayNote,
    Plan,
    PlanStatus,
    RaterGroup,
    Score,
    Voted,
)
from ..selectors import consequence_hits
from ._common import _add, actor

# ---------------------------------------------------------------- everyday record


def everyday_note_add(*, by, person: Person, on: dt.date, positive: bool, text: str,
                      source: str = "") -> EverydayNote:
    """A fact for the everyday record (工作记实). Section chiefs and leaders write it from
    the pages; other apps (the task ledger, supervision) call it with ``by=None`` and
    their ``source``: ``by=SYSTEM`` (``by=None`` is still accepted and means the same)."""
    if by is None:
        by = SYSTEM
    if by is not SYSTEM and not may_note(by, person):
        raise PermissionDenied
    errors: dict = {}
    if not (text or "").strip():
        _add(errors, "text", _("Say what happened."))
    if not isinstance(on, dt.date):
        _add(errors, "on", _("Enter a valid date."))
    elif on > timezone.localdate():
        _add(errors, "on", _("The date is in the future."))
    if len(text or "") > 500:
        _add(errors, "text", _("At most 500 characters."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        note = EverydayNote.objects.create(person=person, on=on, positive=bool(positive),
                                           text=text.strip(), source=source[:100],
                                           by=actor(by))
        audit_record(actor=by, action=events.NOTE_ADD, obj=person,
                     after=model_snapshot(note, ("on", "positive", "text", "source")))
    return note


def everyday_note_delete(*, by, note: EverydayNote) -> None:
    """Delete an everyday note into the recycle bin: whoever keeps that person's everyday
    record (a leader in scope, not the person) may, and puts it back. The text is never
    copied into the audit log or the bin's label."""
    person = note.person
    if not may_note(by, person):
        raise PermissionDenied
    with transaction.atomic():
        note_id, label = str(note.pk), f"{person.name} · {note}"
        before = {"on": note.on.isoformat(), "positive": note.positive, "source": note.source}
        entry = recycle(note, by=by, cap=Cap.ASSESS_LEAD, person_id=person.pk,
                        department_id=department_of(person).pk, label=label)
        audit_record(actor=by, action=events.NOTE_DELETE, object_type="assessment.everydaynote",
                     object_id=note_id, object_repr=label, before=before,
                     after={"recycled": entry.pk})


# ---------------------------------------------------------------- consequences

def consequence_rules_seed(department: OrgUnit) -> None:
    """Write down the standard rules for a department that has none yet (its first plan,
    or its first own rule), so that later changes start from them."""
    if ConsequenceRule.objects.filter(department=department).exists():
        return
    ConsequenceRule.objects.bulk_create([
        ConsequenceRule(department=department, consequence=c, grades=g, years=n)
        for c, g, n in DEFAULT_RULES])


def consequence_rule_set(*, by, department: OrgUnit, consequence: str, grades: list[str],
                         years) -> ConsequenceRule:
    """Change (or add) the department's rule for a consequence."""
    errors: dict = {}
    if consequence not in Consequence.values:
        _add(errors, "consequence", _("Unknown consequence."))
    grades = [g for g in grades if g in A15_CODES.values()]
    if not grades:
        _add(errors, "grades", _("Choose at least one grade."))
    try:
        years = int(years)
        if not 1 <= years <= 10:
            raise ValueError
    except (TypeError, ValueError):
        _add(errors, "years", _("Between 1 and 10 consecutive years."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consequence_rules_seed(department)
        rule, _created = ConsequenceRule.objects.update_or_create(
            department=department, consequence=consequence,
            defaults={"grades": grades, "years": years, "is_active": True})
        audit_record(actor=by, action=events.CONSEQUENCE_RULE_SET, obj=rule,
                     after={"grades": grades, "years": years})
    return rule



# ---------------------------------------------------------------- reminders


def score_reminders_send(*, today: dt.date, days_before: int = 2) -> int:
    """Remind everyone who still has to score in plans whose window closes within
    ``days_before`` days; one notice per person and plan per day."""
    sent = 0
    plans = Plan.objects.filter(status=PlanStatus.SCORING, window_start__lte=today,
                                window_end__gte=today,
                                window_end__lte=today + dt.timedelta(days=days_before))
    for plan in plans.select_related("department"):
        groups = set(plan.groups.values_list("group", flat=True))
        due: set[int] = set()
        in_dept = User.objects.filter(subtree_q("person__unit_path", plan.department.path),
                                      person__is_active=True, is_active=True)
        scored = set(Score.objects.filter(assessee__plan=plan).values_list("group", "rater_id"))
        voted = set(Voted.objects.filter(plan=plan).values_list("group", "voter_id"))
        if RaterGroup.SELF in groups:
            due |= {u for u in in_dept.filter(person__in=plan.assessees.values("person"))
                    .values_list("pk", flat=True) if (RaterGroup.SELF, u) not in scored}
        for group in (RaterGroup.PEERS, RaterGroup.DEMOCRATIC):
            if group in groups:
                due |= {u for u in in_dept.values_list("pk", flat=True)
                        if (group, u) not in voted}
        for role, group in LEADER_GROUPS.items():
            if group in groups:
                due |= {u for u in in_dept.filter(roles__role=role).values_list("pk", flat=True)
                        if (group, u) not in scored}
        if due:
            sent += len(notify(
                recipients=User.objects.filter(pk__in=due), kind=events.NOTICE_PLAN_REMIND,
                title=_("Scoring of “%(plan)s” closes on %(end)s") % {
                    "plan": plan.name, "end": plan.window_end.isoformat()},
                url=reverse("assessment:home"),
                dedupe_key=f"assessment-remind-{plan.pk}-{today.isoformat()}"))
    return sent


def reward_record(*, by, department: OrgUnit, person: Person, year: int) -> RewardPunishment:
    """Record the 嘉奖 that an annual 优秀 earns into the person's A14 (once per year).

    Only a person whom the department's reward rule names for that year qualifies."""
    hits = consequence_hits(department=department, year=year, people=Person.objects.filter(
        pk=person.pk), consequence=Consequence.REWARD)
    if person.pk not in hits:
        raise ValidationError({"__all__": [_("%(name)s is not on the list of awards for "
                                             "%(year)s.") % {"name": person.name,
                                                             "year": year}]})
    reason = _("Annual assessment %(year)s: excellent") % {"year": year}
    if RewardPunishment.objects.filter(person=person, kind=RewardPunishment.Kind.REWARD,
                                       reason=reason).exists():
        raise ValidationError({"__all__": [_("The award of %(year)s is already recorded.")
                                           % {"year": year}]})
    return people_services.subrecord_add(by=by, person=person, kind="rewards", data={
        "kind": RewardPunishment.Kind.REWARD, "date": timezone.localdate(),
        "title": _("Commendation (嘉奖)"), "issuer": department.name, "reason": reason})

