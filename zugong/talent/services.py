"""Writes of talent records. The audit names the record and its dates; phone numbers
and exit reasons never enter it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import SYSTEM, audit_record
from zugong.core.notices import notify
from zugong.core.versioning import versioned_update
from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, Person, User

from . import events
from .access import Cap, department_of, in_scope, may_manage_department
from .models import (
    Category,
    ContactKind,
    Decision,
    Exit,
    ExitKind,
    MatterKind,
    PromotionProposal,
    ProposalStatus,
    ReserveCandidate,
    Rotation,
    Source,
    Talent,
    TalentContact,
    TalentMatter,
)

# Days after which an open matter is brought to its leader again (weekly).
MATTER_REMIND_DAYS = 30


def out_of_scope_message() -> str:
    return _("Choose a cadre in your scope.")


def _add(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def _actor(by):
    return SYSTEM if by is None else by


def _creator(by):
    return None if by is None or by is SYSTEM else by


def _system(by) -> bool:
    return by is None or by is SYSTEM


def _past_day(errors, field, value) -> None:
    if value is None:
        _add(errors, field, _("Give the day."))
    elif value > timezone.localdate():
        _add(errors, field, _("The day cannot be in the future."))


def _in_department(person, department) -> bool:
    return person is not None and Person.objects.filter(
        subtree_q("unit_path", department.path), pk=person.pk).exists()


# ---------------------------------------------------------------- talents (M49)


def talent_create(*, by, department: OrgUnit, name: str, category: str, employer: str,
                  added_on: dt.date, high_level: bool = False, specialty: str = "",
                  phone: str = "", leader: Person | None = None) -> Talent:
    if not _system(by) and not may_manage_department(by, department):
        raise PermissionDenied
    errors: dict = {}
    if not (name or "").strip():
        _add(errors, "name", _("Give the talent's name."))
    if category not in Category.values:
        _add(errors, "category", _("Choose the category."))
    if not (employer or "").strip():
        _add(errors, "employer", _("Give the employer."))
    _past_day(errors, "added_on", added_on)
    phone = (phone or "").strip()
    if phone and (not phone.replace("-", "").isdigit() or not 7 <= len(phone) <= 20):
        _add(errors, "phone", _("Give a phone number of digits."))
    if leader is not None and not (_in_department(leader, department) and (
            _system(by) or in_scope(by, Cap.TALENT_MANAGE, leader))):
        _add(errors, "leader", out_of_scope_message())
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        talent = Talent.objects.create(
            department=department, name=name.strip(), category=category,
            high_level=bool(high_level), employer=employer.strip(),
            specialty=(specialty or "").strip(), phone=phone, leader=leader,
            added_on=added_on, created_by=_creator(by))
        audit_record(actor=_actor(by), action=events.TALENT_CREATE, obj=talent,
                     after={"category": category, "high_level": bool(high_level)})
    return talent


def talent_evaluate(*, by, talent: Talent, version, ability: int, results: int,
                    contribution: int, evaluated_on: dt.date) -> Talent:
    """Scores for ability, results and contribution (0-100 each; rules.grade)."""
    if not _system(by) and not may_manage_department(by, talent.department):
        raise PermissionDenied
    errors: dict = {}
    for field, value in (("ability", ability), ("results", results),
                         ("contribution", contribution)):
        if value is None or not 0 <= int(value) <= 100:
            _add(errors, field, _("Give a score from 0 to 100."))
    _past_day(errors, "evaluated_on", evaluated_on)
    if errors:
        raise ValidationError(errors)
    return versioned_update(
        talent, version=version, by=_actor(by), action=events.TALENT_EVALUATE,
        changes={"ability": int(ability), "results": int(results),
                 "contribution": int(contribution), "evaluated_on": evaluated_on},
        snapshot=("ability", "results", "contribution", "evaluated_on")).instance


def contact_record(*, by, talent: Talent, leader: Person, kind: str, on: dt.date,
                   note: str = "", matters=()) -> TalentContact:
    """A leader's contact with a talent and the matters raised (dicts of kind, text and,
    when already solved, solved_on and solution)."""
    if not _system(by) and not may_manage_department(by, talent.department):
        raise PermissionDenied
    errors: dict = {}
    if leader is None or not _in_department(leader, talent.department) or not (
            _system(by) or in_scope(by, Cap.TALENT_MANAGE, leader)):
        _add(errors, "leader", out_of_scope_message())
    if kind not in ContactKind.values:
        _add(errors, "kind", _("Choose the kind of contact."))
    _past_day(errors, "on", on)
    clean = []
    for item in matters:
        text = (item.get("text") or "").strip()
        if not text:
            continue
        if item.get("kind") not in MatterKind.values:
            _add(errors, "matters", _("Choose the kind of each matter."))
        solved = item.get("solved_on")
        if solved is not None and on is not None and not on <= solved <= timezone.localdate():
            _add(errors, "matters", _("A matter is solved between its contact and today."))
        clean.append((item.get("kind"), text, solved, (item.get("solution") or "").strip()))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = TalentContact.objects.create(talent=talent, leader=leader, kind=kind, on=on,
                                               note=(note or "").strip(),
                                               created_by=_creator(by))
        TalentMatter.objects.bulk_create([
            TalentMatter(talent=talent, contact=contact, leader=leader, kind=k, text=t,
                         raised_on=on, solved_on=s, solution=sol) for k, t, s, sol in clean])
        audit_record(actor=_actor(by), action=events.CONTACT_RECORD, obj=contact,
                     after={"talent": talent.pk, "on": on.isoformat(),
                            "matters": len(clean)})
    return contact


def matter_solve(*, by, matter: TalentMatter, version, solved_on: dt.date,
                 solution: str) -> TalentMatter:
    if not _system(by) and not may_manage_department(by, matter.talent.department):
        raise PermissionDenied
    errors: dict = {}
    if matter.solved_on is not None:
        _add(errors, "solved_on", _("This matter is already solved."))
    if solved_on is None or solved_on < matter.raised_on or solved_on > timezone.localdate():
        _add(errors, "solved_on", _("The day it was solved is between the day it was raised "
                                    "and today."))
    if not (solution or "").strip():
        _add(errors, "solution", _("Say how it was solved."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(matter, version=version, by=_actor(by),
                            action=events.MATTER_SOLVE,
                            changes={"solved_on": solved_on, "solution": solution.strip()},
                            snapshot=("solved_on",)).instance


def export_logged(*, by, count: int) -> None:
    audit_record(actor=by, action=events.TALENT_EXPORT, object_type="talent.talent",
                 after={"rows": count})


def matters_remind(*, today: dt.date) -> int:
    """Each leader with matters open for more than MATTER_REMIND_DAYS gets one notice a
    week listing how many; the notice links to the open matters."""
    cutoff = today - dt.timedelta(days=MATTER_REMIND_DAYS)
    counts: dict[int, int] = {}
    for leader_id in TalentMatter.objects.filter(solved_on__isnull=True,
                                                 raised_on__lt=cutoff).values_list(
            "leader_id", flat=True):
        counts[leader_id] = counts.get(leader_id, 0) + 1
    week = today.isocalendar()[1]
    sent = 0
    for account in User.objects.filter(person_id__in=list(counts), is_active=True):
        sent += len(notify(
            recipients=[account], kind=events.NOTICE_MATTER_OPEN,
            title=_("%(n)s matters raised by talents are open for more than %(d)s days") % {
                "n": counts[account.person_id], "d": MATTER_REMIND_DAYS},
            url="/talent/matters/", dedupe_key=f"talent-open:{today.year}:{week}"))
    return sent


# ---------------------------------------------------------------- the team (M41)


def _team_person(by, person):
    if not _system(by) and (person is None or not in_scope(by, Cap.TALENT_TEAM, person)):
        raise ValidationError({"person": [out_of_scope_message()]})


def candidate_add(*, by, person: Person, source: str, on: dt.date) -> ReserveCandidate:
    """Enter someone into the reserve pool of candidate organization cadres."""
    _team_person(by, person)
    errors: dict = {}
    if source not in Source.values:
        _add(errors, "source", _("Choose the source."))
    _past_day(errors, "on", on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        candidate = ReserveCandidate.objects.create(
            person=person, department=department_of(person), source=source, on=on,
            created_by=_creator(by))
        audit_record(actor=_actor(by), action=events.CANDIDATE_ADD, obj=candidate,
                     after={"source": source, "on": on.isoformat()})
    return candidate


def candidate_update(*, by, candidate: ReserveCandidate, version, score=None,
                     evaluation: str = "", trial_from: dt.date | None = None,
                     trial_to: dt.date | None = None, decision: str = Decision.PENDING,
                     decided_on: dt.date | None = None) -> ReserveCandidate:
    """The evaluation, the trial use and the decision, as far as they are known."""
    _team_person(by, candidate.person)
    errors: dict = {}
    if score is not None and not 0 <= int(score) <= 100:
        _add(errors, "score", _("Give a score from 0 to 100."))
    if trial_to is not None and (trial_from is None or trial_to < trial_from):
        _add(errors, "trial_to", _("The trial ends on or after it starts."))
    if trial_from is not None and trial_from < candidate.on:
        _add(errors, "trial_from", _("The trial starts after entering the pool."))
    if decision not in Decision.values:
        _add(errors, "decision", _("Choose the decision."))
    elif decision != Decision.PENDING:
        _past_day(errors, "decided_on", decided_on)
        if decided_on is not None and decided_on < candidate.on:
            _add(errors, "decided_on", _("The decision comes after entering the pool."))
    else:
        decided_on = None
    if errors:
        raise ValidationError(errors)
    return versioned_update(
        candidate, version=version, by=_actor(by), action=events.CANDIDATE_UPDATE,
        changes={"score": None if score is None else int(score),
                 "evaluation": (evaluation or "").strip(), "trial_from": trial_from,
                 "trial_to": trial_to, "decision": decision, "decided_on": decided_on},
        snapshot=("score", "trial_from", "trial_to", "decision", "decided_on")).instance


def proposal_record(*, by, person: Person, post: str, reason: str,
                    on: dt.date) -> PromotionProposal:
    _team_person(by, person)
    errors: dict = {}
    if not (post or "").strip():
        _add(errors, "post", _("Give the proposed post."))
    if not (reason or "").strip():
        _add(errors, "reason", _("Give the reason."))
    _past_day(errors, "on", on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        proposal = PromotionProposal.objects.create(person=person, post=post.strip(),
                                                    reason=reason.strip(), on=on,
                                                    created_by=_creator(by))
        audit_record(actor=_actor(by), action=events.PROPOSAL_RECORD, obj=proposal,
                     after={"post": post.strip(), "on": on.isoformat()})
    return proposal


def proposal_decide(*, by, proposal: PromotionProposal, version, status: str,
                    decided_on: dt.date) -> PromotionProposal:
    _team_person(by, proposal.person)
    errors: dict = {}
    if proposal.status != ProposalStatus.PROPOSED:
        _add(errors, "status", _("This proposal is already decided."))
    if status not in (ProposalStatus.APPROVED, ProposalStatus.REJECTED):
        _add(errors, "status", _("Choose approved or not approved."))
    _past_day(errors, "decided_on", decided_on)
    if decided_on is not None and decided_on < proposal.on:
        _add(errors, "decided_on", _("The decision comes after the proposal."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(proposal, version=version, by=_actor(by),
                            action=events.PROPOSAL_DECIDE,
                            changes={"status": status, "decided_on": decided_on},
                            snapshot=("status", "decided_on")).instance


def rotation_plan(*, by, person: Person, to_unit: OrgUnit, on: dt.date) -> Rotation:
    """Plan a cadre's move to another section of the department on ``on``."""
    _team_person(by, person)
    errors: dict = {}
    if to_unit is None or to_unit.pk == person.unit_id or \
            department_of(to_unit).pk != department_of(person).pk:
        _add(errors, "to_unit", _("Choose another section of the same department."))
    if on is None:
        _add(errors, "on", _("Give the day."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rotation = Rotation.objects.create(person=person, from_unit=person.unit,
                                           to_unit=to_unit, on=on, created_by=_creator(by))
        audit_record(actor=_actor(by), action=events.ROTATION_PLAN, obj=rotation,
                     after={"to": to_unit.pk, "on": on.isoformat()})
    return rotation


def rotation_done(*, by, rotation: Rotation, version, done_on: dt.date) -> Rotation:
    """The move took place. The registry's unit is changed by the people app's own edit
    (with its post history); this records when the plan was carried out."""
    _team_person(by, rotation.person)
    errors: dict = {}
    if rotation.done_on is not None:
        _add(errors, "done_on", _("This rotation is already done."))
    _past_day(errors, "done_on", done_on)
    if errors:
        raise ValidationError(errors)
    return versioned_update(rotation, version=version, by=_actor(by),
                            action=events.ROTATION_DONE, changes={"done_on": done_on},
                            snapshot=("done_on",)).instance


def exit_record(*, by, person: Person, kind: str, on: dt.date, reason: str) -> Exit:
    """A cadre leaves the team (调出, 退休 or 清理), with the reason (encrypted)."""
    _team_person(by, person)
    errors: dict = {}
    if kind not in ExitKind.values:
        _add(errors, "kind", _("Choose how the cadre leaves."))
    if on is None:
        _add(errors, "on", _("Give the day."))
    if not (reason or "").strip():
        _add(errors, "reason", _("Give the reason."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            made = Exit.objects.create(person=person, kind=kind, on=on,
                                       reason=reason.strip(), created_by=_creator(by))
            audit_record(actor=_actor(by), action=events.EXIT_RECORD, obj=made,
                         after={"kind": kind, "on": on.isoformat()})
    except IntegrityError:
        raise ValidationError({"person": [_("This cadre's exit is already recorded.")]}) \
            from None
    return made
