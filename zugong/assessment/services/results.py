"""Writes of results: closing a plan (scores, ranks, grades kept; annual grades into A15),
vetoes, adjustments, feedback, acknowledgement and appeals."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import audit_record, model_snapshot
from zugong.core.notices import notify
from zugong.core.versioning import versioned_update
from zugong.people import services as people_services
from zugong.people.models import AnnualAssessment, User

from .. import events
from ..models import (
    A15_CODES,
    Adjustment,
    Appeal,
    AppealOutcome,
    Assessee,
    Plan,
    PlanKind,
    PlanStatus,
)
from ..scoring import RESULT_FIELDS, appeal_deadline, compute, quota_of
from ._common import _add, actor, copy_saved


def plan_close(*, by, plan: Plan, version: int) -> Plan:
    """Close scoring, compute and keep the results; annual grades go into people's A15."""
    if plan.status != PlanStatus.SCORING:
        raise ValidationError({"__all__": [_("Only a plan being scored can be closed.")]})
    computed: list[Assessee] = []

    def apply(locked: Plan) -> None:
        if locked.status != PlanStatus.SCORING:
            raise ValidationError({"__all__": [_("Only a plan being scored can be closed.")]})
        # Computed on the locked row: nobody can reopen or change the plan meanwhile.
        computed.extend(compute(locked))
        locked.status = PlanStatus.CLOSED
        locked.closed_on = timezone.localdate()

    with transaction.atomic():
        copy_saved(plan, versioned_update(plan, version=version, apply=apply,
                                          validate=False).instance)
        assessees = computed
        Assessee.objects.bulk_update(assessees, RESULT_FIELDS, batch_size=500)
        if plan.kind == PlanKind.ANNUAL:
            for a in assessees:
                _sync_a15(by, a)
        audit_record(actor=by, action=events.PLAN_CLOSE, obj=plan,
                     after={"people": len(assessees),
                            "grades": {g: sum(1 for a in assessees if a.grade == g)
                                       for g in plan.grades}})
        accounts = {u.person_id: u for u in User.objects.filter(
            person__in=[a.person_id for a in assessees])}
        for a in assessees:
            if accounts.get(a.person_id):
                url = reverse("assessment:result", args=[a.pk])
                transaction.on_commit(lambda a=a, url=url: notify(
                    recipients=[accounts[a.person_id]], kind=events.NOTICE_RESULT_OUT,
                    title=_("Your result of “%(plan)s” is out") % {"plan": plan.name},
                    url=url, dedupe_key=f"assessment-result-{a.pk}"))
    return plan


def _sync_a15(by, assessee: Assessee) -> None:
    """Write the annual grade into the person's A15 (replacing that year's entry)."""
    code = A15_CODES.get(assessee.grade)
    if code is None:
        return
    year = assessee.plan.period_start.year
    for old in AnnualAssessment.objects.filter(person_id=assessee.person_id, year=year):
        people_services.subrecord_delete(by=by, person=assessee.person, kind="assessments",
                                         pk=old.pk)
    people_services.subrecord_add(by=by, person=assessee.person, kind="assessments",
                                  data={"year": year, "result": code,
                                        "note": assessee.plan.name[:200]})


def veto_set(*, by, assessee: Assessee, political_failed: bool, admonished: bool,
             note: str) -> Assessee:
    """Record the facts that bar the top grade (the office, before closing)."""
    if assessee.plan.status == PlanStatus.CLOSED:
        raise ValidationError({"__all__": [_("The plan is closed: change the grade with an "
                                             "adjustment instead.")]})
    if (political_failed or admonished) and not (note or "").strip():
        raise ValidationError({"veto_note": [_("Say what the veto rests on.")]})
    with transaction.atomic():
        before = model_snapshot(assessee, ("political_failed", "admonished", "veto_note"))
        assessee.political_failed = bool(political_failed)
        assessee.admonished = bool(admonished)
        assessee.veto_note = (note or "").strip()[:300]
        assessee.save(update_fields=["political_failed", "admonished", "veto_note"])
        audit_record(actor=by, action=events.RESULT_VETO, obj=assessee, before=before,
                     after=model_snapshot(assessee, ("political_failed", "admonished",
                                                     "veto_note")))
    return assessee


def grade_adjust(*, by, assessee: Assessee, grade: str, reason: str) -> Assessee:
    """The assessment office changes a closed result's grade, with a written reason.

    The veto and the quota still hold: an adjustment cannot give a vetoed person the top
    grade, nor more people the top grade than the quota allows.
    """
    plan = assessee.plan
    errors: dict = {}
    if plan.status != PlanStatus.CLOSED:
        _add(errors, "__all__", _("Grades are adjusted after the plan is closed."))
    if grade not in plan.grades:
        _add(errors, "grade", _("Choose one of the plan's grades."))
    if not (reason or "").strip():
        _add(errors, "reason", _("An adjustment needs a written reason."))
    if grade == assessee.grade:
        _add(errors, "grade", _("This is already the grade."))
    if grade == plan.top_grade and not errors:
        if assessee.vetoed:
            _add(errors, "grade", _("The top grade is barred by a veto (一票否决)."))
        elif plan.assessees.filter(grade=plan.top_grade).count() >= \
                quota_of(plan, plan.assessees.count()):
            _add(errors, "grade", _("The quota of the top grade is used up."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Adjustment.objects.create(assessee=assessee, from_grade=assessee.grade, to_grade=grade,
                                  reason=reason.strip()[:500], by=actor(by))
        before = {"grade": assessee.grade}
        assessee.grade = grade
        assessee.save(update_fields=["grade"])
        if plan.kind == PlanKind.ANNUAL:
            _sync_a15(by, assessee)
        audit_record(actor=by, action=events.RESULT_ADJUST, obj=assessee, before=before,
                     after={"grade": grade, "reason": reason.strip()})
    return assessee


# ---------------------------------------------------------------- feedback and appeal


def feedback_give(*, by, assessee: Assessee, strengths: str, shortcomings: str,
                  direction: str) -> Assessee:
    errors: dict = {}
    for name, value in (("strengths", strengths), ("shortcomings", shortcomings),
                        ("direction", direction)):
        if not (value or "").strip():
            _add(errors, name, _("This field is required."))
    if assessee.plan.status != PlanStatus.CLOSED:
        _add(errors, "__all__", _("Feedback is given once the plan is closed."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assessee.strengths = strengths.strip()
        assessee.shortcomings = shortcomings.strip()
        assessee.direction = direction.strip()
        assessee.save(update_fields=["strengths", "shortcomings", "direction"])
        audit_record(actor=by, action=events.RESULT_FEEDBACK, obj=assessee,
                     after=model_snapshot(assessee, ("strengths", "shortcomings",
                                                     "direction")))
    return assessee


def result_acknowledge(*, by, assessee: Assessee) -> Assessee:
    if by.person_id != assessee.person_id:
        raise PermissionDenied
    if assessee.plan.status != PlanStatus.CLOSED:
        raise ValidationError({"__all__": [_("The result is not out yet.")]})
    if assessee.acknowledged_at is None:
        with transaction.atomic():
            assessee.acknowledged_at = timezone.now()
            assessee.save(update_fields=["acknowledged_at"])
            audit_record(actor=by, action=events.RESULT_ACKNOWLEDGE, obj=assessee)
    return assessee



def appeal_file(*, by, assessee: Assessee, reason: str, today: dt.date | None = None) -> Appeal:
    if by.person_id != assessee.person_id:
        raise PermissionDenied
    today = today or timezone.localdate()
    errors: dict = {}
    deadline = appeal_deadline(assessee)
    if deadline is None:
        _add(errors, "__all__", _("The result is not out yet."))
    elif today > deadline:
        _add(errors, "__all__", _("Appeals were possible until %(day)s.") % {
            "day": deadline.isoformat()})
    if Appeal.objects.filter(assessee=assessee).exists():
        _add(errors, "__all__", _("You have already appealed against this result."))
    if not (reason or "").strip():
        _add(errors, "reason", _("Say why you appeal."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        appeal = Appeal.objects.create(assessee=assessee, reason=reason.strip(), filed_on=today)
        audit_record(actor=by, action=events.APPEAL_FILE, obj=assessee,
                     after={"reason": appeal.reason})
    return appeal


def appeal_answer(*, by, appeal: Appeal, outcome: str, answer: str) -> Appeal:
    errors: dict = {}
    if outcome not in (AppealOutcome.UPHELD, AppealOutcome.REJECTED):
        _add(errors, "outcome", _("Uphold or reject the appeal."))
    if not (answer or "").strip():
        _add(errors, "answer", _("Write the answer to the appeal."))
    if appeal.outcome != AppealOutcome.PENDING:
        _add(errors, "__all__", _("The appeal has been answered."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        appeal.outcome = outcome
        appeal.answer = answer.strip()
        appeal.answered_by = by
        appeal.answered_on = timezone.localdate()
        appeal.save()
        audit_record(actor=by, action=events.APPEAL_ANSWER, obj=appeal.assessee,
                     after={"outcome": outcome, "answer": appeal.answer})
        account = getattr(appeal.assessee.person, "account", None)
        if account is not None:
            url = reverse("assessment:result", args=[appeal.assessee_id])
            transaction.on_commit(lambda: notify(
                recipients=[account], kind=events.NOTICE_APPEAL_ANSWERED, url=url,
                title=_("Your appeal has been answered"),
                dedupe_key=f"assessment-appeal-{appeal.pk}"))
    return appeal


