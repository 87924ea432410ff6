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
    GapDecision,
    GroupGap,
    Plan,
    PlanKind,
    PlanStatus,
    RaterGroup,
)
from ..scoring import (
    RESULT_FIELDS,
    _rank,
    appeal_deadline,
    compute,
    gaps_of,
    grade_of,
    quota_status,
)
from ._common import _add, actor, copy_saved


def gap_key(assessee_id: int, group: str) -> str:
    """The key of a gap's reason in ``plan_close(gap_reasons=...)`` and on the form."""
    return f"{assessee_id}-{group}"


def plan_close(*, by, plan: Plan, version: int, gap_reasons: dict | None = None) -> Plan:
    """Close scoring, compute and keep the results; annual grades go into people's A15.

    Refused while a rater group gave some person no rating, unless ``gap_reasons`` gives
    the office's reason for each such gap (``gap_key(assessee, group)`` → text). Those
    people are kept incomplete (no score, rank or grade) until ``gap_decide``.
    """
    if plan.status != PlanStatus.SCORING:
        raise ValidationError({"__all__": [_("Only a plan being scored can be closed.")]})
    computed: list[Assessee] = []
    reasons = {k: (v or "").strip() for k, v in (gap_reasons or {}).items()}
    kept: list[GroupGap] = []

    def apply(locked: Plan) -> None:
        if locked.status != PlanStatus.SCORING:
            raise ValidationError({"__all__": [_("Only a plan being scored can be closed.")]})
        gaps = gaps_of(locked)
        missing = [(a, g) for a, groups in gaps.items() for g in groups
                   if not reasons.get(gap_key(a, g))]
        if missing:
            labels = dict(RaterGroup.choices)
            names = dict(locked.assessees.filter(pk__in=[a for a, _g in missing])
                         .values_list("pk", "person__name"))
            shown = "、".join(f"{names[a]}（{labels[g]}）" for a, g in missing[:10])
            raise ValidationError({"__all__": [
                _("%(count)s ratings are missing: %(who)s. Wait for them, or record the "
                  "reason for each gap.") % {"count": len(missing),
                                             "who": shown + ("…" if len(missing) > 10 else "")}]})
        kept.extend(GroupGap(assessee_id=a, group=g, reason=reasons[gap_key(a, g)][:300],
                             by=actor(by)) for a, groups in gaps.items() for g in groups)
        # Computed on the locked row: nobody can reopen or change the plan meanwhile.
        computed.extend(compute(locked))
        locked.status = PlanStatus.CLOSED
        locked.closed_on = timezone.localdate()

    with transaction.atomic():
        copy_saved(plan, versioned_update(plan, version=version, apply=apply,
                                          validate=False).instance)
        assessees = computed
        GroupGap.objects.filter(assessee__plan=plan).delete()
        GroupGap.objects.bulk_create(kept)
        Assessee.objects.bulk_update(assessees, RESULT_FIELDS, batch_size=500)
        if plan.kind == PlanKind.ANNUAL:
            for a in assessees:
                _sync_a15(by, a)
        audit_record(actor=by, action=events.PLAN_CLOSE, obj=plan,
                     after={"people": len(assessees),
                            "grades": {g: sum(1 for a in assessees if a.grade == g)
                                       for g in plan.grades},
                            "incomplete": sum(1 for a in assessees if a.incomplete),
                            "gaps": [{"assessee": g.assessee_id, "group": g.group,
                                      "reason": g.reason} for g in kept]})
        accounts = {u.person_id: u for u in User.objects.filter(
            person__in=[a.person_id for a in assessees if a.grade])}
        for a in assessees:
            if a.grade:
                _notify_result(plan, a, accounts.get(a.person_id))
    return plan


def _notify_result(plan: Plan, a: Assessee, account) -> None:
    if account is None:
        return
    url = reverse("assessment:result", args=[a.pk])
    transaction.on_commit(lambda: notify(
        recipients=[account], kind=events.NOTICE_RESULT_OUT,
        title=_("Your result of “%(plan)s” is out") % {"plan": plan.name},
        url=url, dedupe_key=f"assessment-result-{a.pk}"))


def gap_decide(*, by, assessee: Assessee, decision: str, reason: str) -> Assessee:
    """The office decides how an incomplete person (a rater group gave no rating) is
    graded: re-weight the groups present, count the missing group as 0, or no grade this
    time. Audited. The others' results do not move, except ranks; the quota still holds."""
    plan = assessee.plan
    errors: dict = {}
    if plan.status != PlanStatus.CLOSED:
        _add(errors, "__all__", _("The decision is taken once the plan is closed."))
    elif not assessee.incomplete:
        _add(errors, "__all__", _("This result is not waiting for a decision."))
    if decision not in GapDecision.values:
        _add(errors, "decision", _("Choose a decision."))
    if not (reason or "").strip():
        _add(errors, "reason", _("Say why."))
    if decision == GapDecision.REWEIGHT and not errors:
        missing = set(assessee.detail.get("missing_groups") or [])
        if missing >= {g.group for g in plan.groups.all()}:
            _add(errors, "decision", _("No rater group rated this person: there is nothing "
                                       "to re-weight."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Assessee.objects.select_for_update().select_related("plan", "person").get(
            pk=assessee.pk)
        if not locked.incomplete:
            raise ValidationError({"__all__": [_("This result is not waiting for a "
                                                 "decision.")]})
        locked.gap_decision = decision
        figures = {a.pk: a for a in compute(plan, decisions={locked.pk: decision})}
        mine = figures[locked.pk]
        for name in ("score", "vetoed", "veto_reasons", "detail"):
            setattr(locked, name, getattr(mine, name))
        locked.incomplete = False
        locked.rank = None
        locked.computed_grade = locked.grade = ""
        if locked.score is not None:
            grade = grade_of(plan, locked)
            if grade == plan.top_grade and quota_status(plan)["left"] <= 0:
                grade = plan.grades[1]
                locked.detail["over_quota"] = True
            locked.computed_grade = locked.grade = grade
        locked.save(update_fields=["gap_decision", "incomplete", "score", "rank", "vetoed",
                                   "veto_reasons", "detail", "computed_grade", "grade"])
        _rerank(plan)
        locked.refresh_from_db()
        if plan.kind == PlanKind.ANNUAL:
            _sync_a15(by, locked)
        audit_record(actor=by, action=events.RESULT_GAP_DECIDE, obj=locked,
                     after={"decision": decision, "reason": reason.strip(),
                            "score": str(locked.score) if locked.score is not None else None,
                            "grade": locked.grade})
        if locked.grade:
            _notify_result(plan, locked, User.objects.filter(person_id=locked.person_id)
                           .first())
    copy_saved(assessee, locked)
    return assessee


def _rerank(plan: Plan) -> None:
    """Competition ranks of the plan's scored people (after a late decision)."""
    rows = list(plan.assessees.select_related("person"))
    _rank(rows)
    Assessee.objects.bulk_update(rows, ["rank"], batch_size=500)


def _sync_a15(by, assessee: Assessee) -> None:
    """Write the annual grade into the person's A15 (replacing that year's entry)."""
    code = A15_CODES.get(assessee.grade)
    if code is None:
        return  # no grade (incomplete, or 不确定等次): nothing to write
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


def vetoes_set(*, by, plan, rows: list[dict]) -> int:
    """The plan page's one veto form: every assessee's facts at once, all or nothing.

    ``rows`` holds ``assessee``, ``political_failed``, ``admonished`` and ``note``; rows
    that change nothing are skipped. Returns how many assessees changed.
    """
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError({"__all__": [_("The plan is closed: change the grade with an "
                                             "adjustment instead.")]})
    changed, errors = [], []
    for row in rows:
        a = row["assessee"]
        note = (row.get("note") or "").strip()
        if (bool(row["political_failed"]), bool(row["admonished"]), note[:300]) == (
                a.political_failed, a.admonished, a.veto_note):
            continue
        if (row["political_failed"] or row["admonished"]) and not note:
            errors.append(_("%(name)s: say what the veto rests on.") % {"name": a.person.name})
        changed.append((a, row, note))
    if errors:
        raise ValidationError({"__all__": errors})
    with transaction.atomic():
        for a, row, note in changed:
            veto_set(by=by, assessee=a, political_failed=row["political_failed"],
                     admonished=row["admonished"], note=note)
    return len(changed)


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
        elif quota_status(plan)["left"] <= 0:
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


