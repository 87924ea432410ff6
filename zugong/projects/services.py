"""Writes of innovation projects: declaration, classification with the guiding section,
funding, results and awards, follow-ups, the department's rules and the reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import SYSTEM, audit_record
from zugong.core.notices import notify
from zugong.core.versioning import versioned_update
from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, Person, User

from . import events, selectors
from .access import (
    Cap,
    department_of,
    has_cap,
    in_scope,
    may_adopt,
    may_classify,
    may_follow_up,
    may_review_idea,
)
from .models import (
    Adoption,
    AdoptionLevel,
    Award,
    Category,
    FollowUp,
    FollowUpKind,
    Idea,
    IdeaKind,
    IdeaStatus,
    InnovationProject,
    ProjectRule,
    ProjectStatus,
    RuleKind,
)

RULE_MAXIMUM = 10
REMIND_FROM_DAY = 20
FUNDING_MAXIMUM = Decimal("10000000")


def _add(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def _actor(by):
    return SYSTEM if by is None else by


def _creator(by):
    return None if by is SYSTEM or by is None else by


def _text(value) -> str:
    return (value or "").strip()


def _in_department(unit: OrgUnit | None, department: OrgUnit) -> bool:
    return unit is not None and OrgUnit.objects.filter(
        subtree_q("path", department.path), pk=unit.pk).exists()


def project_declare(*, by, unit: OrgUnit, title: str, summary: str,
                    on: dt.date | None = None, person: Person | None = None
                    ) -> InnovationProject:
    """A sub-unit or section of the declaring cadre's department declares a project."""
    person = person if by is SYSTEM and person is not None else getattr(by, "person", None)
    if person is None:
        raise ValidationError({"unit": [_("Your account is not linked to a cadre.")]})
    if by is not SYSTEM and not has_cap(by, Cap.PROJECTS_VIEW):
        raise PermissionDenied
    department = department_of(person)
    on = on or timezone.localdate()
    errors: dict = {}
    if not _in_department(unit, department) or unit.pk == department.pk:
        _add(errors, "unit", _("Choose a section or sub-unit of your department."))
    if not _text(title):
        _add(errors, "title", _("Give the project's name."))
    if not _text(summary):
        _add(errors, "summary", _("Describe the project."))
    if on > timezone.localdate():
        _add(errors, "on", _("The day cannot be in the future."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        project = InnovationProject.objects.create(
            department=department, unit=unit, declared_by=person, title=_text(title)[:200],
            summary=_text(summary), declared_on=on, created_by=_creator(by))
        audit_record(actor=_actor(by), action=events.PROJECT_DECLARE, obj=project,
                     after={"unit": unit.name, "on": on.isoformat()})
    return project


def project_classify(*, by, project: InnovationProject, version, category: str,
                     guiding_section: OrgUnit | None, on: dt.date) -> InnovationProject:
    """Classify a declared project and assign its guiding section; the section is told."""
    if by is not SYSTEM and not may_classify(by, project):
        raise PermissionDenied
    errors: dict = {}
    if category not in Category.values:
        _add(errors, "category", _("Choose the category."))
    if guiding_section is None or guiding_section.pk not in set(
            selectors.sections_of(project.department).values_list("pk", flat=True)):
        _add(errors, "guiding_section", _("Choose one of the department's sections."))
    if on is None or on < project.declared_on or on > timezone.localdate():
        _add(errors, "on", _("The day is between the declaration and today."))
    if project.status == ProjectStatus.FINISHED:
        _add(errors, "category", _("This project is finished."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        done = versioned_update(
            project, version=version, by=_actor(by), action=events.PROJECT_CLASSIFY,
            changes={"category": category, "guiding_section": guiding_section,
                     "classified_on": on, "status": ProjectStatus.UNDER_WAY},
            snapshot=("category", "classified_on", "status")).instance
        section = list(User.objects.filter(person__unit=guiding_section, is_active=True))
        notify(recipients=section, kind=events.NOTICE_CLASSIFIED,
               title=_("Your section guides the innovation project %(title)s") % {
                   "title": done.title},
               url=f"/projects/{done.pk}/", dedupe_key=f"proj-guide:{done.pk}:{guiding_section.pk}")
    return done


def project_fund(*, by, project: InnovationProject, version, funding) -> InnovationProject:
    """The amount granted from the reward fund (yuan)."""
    if by is not SYSTEM and not may_classify(by, project):
        raise PermissionDenied
    try:
        amount = Decimal(str(funding)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if not Decimal(0) <= amount < FUNDING_MAXIMUM:
        raise ValidationError({"funding": [_("Give an amount in yuan, at least 0.")]})
    return versioned_update(project, version=version, by=_actor(by),
                            action=events.PROJECT_FUND, changes={"funding": amount},
                            snapshot=("funding",)).instance


def project_finish(*, by, project: InnovationProject, version, finished_on: dt.date,
                   result: str, award: str = "",
                   awarded_on: dt.date | None = None) -> InnovationProject:
    """Results on finishing, and the 工作创新奖 if the project won one."""
    if by is not SYSTEM and not may_classify(by, project):
        raise PermissionDenied
    errors: dict = {}
    if project.status != ProjectStatus.UNDER_WAY:
        _add(errors, "finished_on", _("Only a project under way is finished."))
    if finished_on is None or (project.classified_on and finished_on < project.classified_on) \
            or finished_on > timezone.localdate():
        _add(errors, "finished_on", _("The day is between the classification and today."))
    if not _text(result):
        _add(errors, "result", _("Describe the results."))
    if award and award not in Award.values:
        _add(errors, "award", _("Choose the award."))
    if award and (awarded_on is None or (finished_on and awarded_on < finished_on)):
        _add(errors, "awarded_on", _("Give the day of the award, on or after the finish."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(
        project, version=version, by=_actor(by), action=events.PROJECT_FINISH,
        changes={"finished_on": finished_on, "result": _text(result), "award": award or "",
                 "awarded_on": awarded_on if award else None,
                 "status": ProjectStatus.FINISHED},
        snapshot=("status", "finished_on", "award")).instance


def followup_record(*, by, project: InnovationProject, kind: str, on: dt.date, note: str,
                    person: Person | None = None) -> FollowUp:
    """A follow-up or on-site guidance by a cadre of the guiding section (or a leader)."""
    if by is not SYSTEM and not may_follow_up(by, project):
        raise PermissionDenied
    person = person if by is SYSTEM and person is not None else getattr(by, "person", None)
    errors: dict = {}
    if person is None:
        _add(errors, "note", _("Your account is not linked to a cadre."))
    if project.status != ProjectStatus.UNDER_WAY:
        _add(errors, "kind", _("Only a project under way is followed up."))
    if kind not in FollowUpKind.values:
        _add(errors, "kind", _("Choose follow-up or on-site guidance."))
    if on is None or (project.classified_on and on < project.classified_on) or \
            on > timezone.localdate():
        _add(errors, "on", _("The day is between the classification and today."))
    if not _text(note):
        _add(errors, "note", _("Write down what was found and advised."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        made = FollowUp.objects.create(person=person, project=project, kind=kind, on=on,
                                       note=_text(note), created_by=_creator(by))
        audit_record(actor=_actor(by), action=events.FOLLOWUP_RECORD, obj=made,
                     after={"project": project.pk, "kind": kind, "on": on.isoformat()})
    return made


def export_logged(*, by, count: int, action: str = events.PROJECT_EXPORT,
                  object_type: str = "projects.project") -> None:
    audit_record(actor=by, action=action, object_type=object_type, after={"rows": count})


def rule_set(*, by, department: OrgUnit, kind: str, minimum) -> ProjectRule:
    if by is not SYSTEM and not in_scope(by, Cap.PROJECTS_RULES, department):
        raise PermissionDenied
    errors: dict = {}
    if kind not in RuleKind.values:
        _add(errors, "kind", _("Choose the rule."))
    try:
        minimum = int(minimum)
    except (TypeError, ValueError):
        minimum = -1
    if not 0 <= minimum <= RULE_MAXIMUM:
        _add(errors, "minimum", _("The minimum is between 0 and %(max)s.") % {
            "max": RULE_MAXIMUM})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule = ProjectRule.objects.select_for_update().filter(department=department,
                                                               kind=kind).first()
        before = {"minimum": rule.minimum} if rule else None
        if rule is None:
            rule = ProjectRule.objects.create(department=department, kind=kind,
                                              minimum=minimum)
        else:
            rule.minimum, rule.version = minimum, rule.version + 1
            rule.save(update_fields=["minimum", "version"])
        audit_record(actor=_actor(by), action=events.RULE_UPDATE, obj=rule, before=before,
                     after={"kind": kind, "minimum": minimum})
    return rule


def remind_owed(*, today: dt.date) -> int:
    """From the 20th of each month, tell each guiding section's cadres which of their
    projects still owe this month's follow-up or this quarter's on-site guidance (once a
    week per project)."""
    if today.day < REMIND_FROM_DAY:
        return 0
    owed = selectors.owed_now(as_of=today)
    sections = {p.guiding_section_id for p, _m, _o in owed}
    accounts: dict[int, list] = {}
    for user in User.objects.filter(person__unit_id__in=sections, is_active=True
                                    ).select_related("person"):
        accounts.setdefault(user.person.unit_id, []).append(user)
    sent = 0
    week = today.isocalendar()[1]
    for project, monthly, onsite in owed:
        what = [w for w, owes in ((_("this month's follow-up"), monthly),
                                  (_("this quarter's on-site guidance"), onsite)) if owes]
        sent += len(notify(
            recipients=accounts.get(project.guiding_section_id, []),
            kind=events.NOTICE_OWED,
            title=_("%(title)s still owes %(what)s") % {"title": project.title,
                                                       "what": "、".join(what)},
            url=f"/projects/{project.pk}/",
            dedupe_key=f"proj-owed:{project.pk}:{today:%Y}:{week}"))
    return sent


# ---------------------------------------------------------------- ideas


def idea_submit(*, by, kind: str, title: str = "", content: str = "", writing_id=None,
                on: dt.date | None = None, person: Person | None = None) -> Idea:
    """A cadre submits a 好点子 or 好主意 (title and content), or a 好信息: one of their own
    information items already recorded in the learning app, named by ``writing_id`` and
    never typed again (hook ``learning.writings``). An item is submitted once."""
    person = person if by is SYSTEM and person is not None else getattr(by, "person", None)
    if person is None:
        raise ValidationError({"title": [_("Your account is not linked to a cadre.")]})
    if by is not SYSTEM and not has_cap(by, Cap.PROJECTS_VIEW):
        raise PermissionDenied
    on = on or timezone.localdate()
    errors: dict = {}
    writing = None
    if kind not in IdeaKind.values:
        _add(errors, "kind", _("Choose idea, proposal or information."))
    elif kind == IdeaKind.INFO:
        writing = selectors.writing_for(writing_id) if writing_id not in (None, "") else None
        # Someone else's item, an article or a missing id: the same answer.
        if writing is None or writing["kind"] != "info" or writing["person_id"] != person.pk:
            _add(errors, "writing_id", _("Choose one of your information items in the "
                                         "learning records."))
        title, content = "", ""
    else:
        if not _text(title):
            _add(errors, "title", _("Give a title."))
        if not _text(content):
            _add(errors, "content", _("Write the content."))
    if on > timezone.localdate():
        _add(errors, "on", _("The day cannot be in the future."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            idea = Idea.objects.create(
                person=person, department=department_of(person), kind=kind,
                title=_text(title)[:200], content=_text(content), on=on,
                writing_id=writing["id"] if writing else None, created_by=_creator(by))
            audit_record(actor=_actor(by), action=events.IDEA_SUBMIT, obj=idea,
                         after={"kind": kind, "on": on.isoformat(),
                                **({"writing": writing["id"]} if writing else {})})
    except IntegrityError:
        raise ValidationError({"writing_id": [
            _("This information item is already submitted.")]}) from None
    return idea


def idea_review(*, by, idea: Idea, version, score, on: dt.date, adopted: bool = False,
                adopted_for: str = "", reward=0) -> Idea:
    """The leaders' score, and whether the item is adopted for a decision and rewarded."""
    if by is not SYSTEM and not may_review_idea(by, idea):
        raise PermissionDenied
    errors: dict = {}
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = -1
    if not 0 <= score <= 100:
        _add(errors, "score", _("Score from 0 to 100."))
    if on is None or on < idea.on or on > timezone.localdate():
        _add(errors, "on", _("The day is between the submission and today."))
    if adopted and not _text(adopted_for):
        _add(errors, "adopted_for", _("Say which decision or work it was adopted for."))
    try:
        amount = Decimal(str(reward or 0)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if not Decimal(0) <= amount < Decimal("1000000"):
        _add(errors, "reward", _("Give an amount in yuan, at least 0."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(
        idea, version=version, by=_actor(by), action=events.IDEA_REVIEW,
        changes={"score": score, "rated_on": on, "reward": amount,
                 "adopted_on": on if adopted else None,
                 "adopted_for": _text(adopted_for) if adopted else "",
                 "status": IdeaStatus.ADOPTED if adopted else IdeaStatus.RATED},
        snapshot=("status", "score", "reward")).instance


# ---------------------------------------------------------------- information adopted (M22)


def adoption_record(*, by, writing_id, level: str, outlet: str, on: dt.date) -> Adoption:
    """An outlet adopted one of the department's information items or articles. The item
    is the learning app's record, named by its id: nothing of it is entered again here.
    The department's leaders record it; an item out of their department gets the same
    answer as a missing one."""
    writing = selectors.writing_for(writing_id)
    person = Person.objects.filter(pk=writing["person_id"]).first() if writing else None
    department = department_of(person) if person is not None else None
    if department is None or (by is not SYSTEM and not may_adopt(by, department)):
        raise ValidationError({"writing_id": [_("Choose an information item or article "
                                                "of your department.")]})
    errors: dict = {}
    if level not in AdoptionLevel.values:
        _add(errors, "level", _("Choose the outlet's level."))
    if not _text(outlet):
        _add(errors, "outlet", _("Name the outlet that adopted it."))
    if on is None or on < writing["on"] or on > timezone.localdate():
        _add(errors, "on", _("The day is between the item's date and today."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            made = Adoption.objects.create(person=person, department=department,
                                           writing_id=writing["id"], level=level,
                                           outlet=_text(outlet)[:100], on=on,
                                           created_by=_creator(by))
            audit_record(actor=_actor(by), action=events.ADOPTION_RECORD, obj=made,
                         after={"writing": writing["id"], "level": level,
                                "on": on.isoformat()})
    except IntegrityError:
        raise ValidationError({"outlet": [_("This adoption is already recorded.")]}) from None
    return made
