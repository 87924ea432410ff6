"""Writes of the learning area: records and their confirmation, 第一议题, reading list,
materials, regimes (rules keep their history), exemptions, copy flags, reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core import metrics
from zugong.core.audit import SYSTEM, audit_record, model_snapshot
from zugong.core.files import DOCUMENTS, IMAGES, check_upload
from zugong.core.memo import bump
from zugong.core.notices import notify
from zugong.core.periods import ORDER, Period, PeriodKind
from zugong.core.recycle import recycle
from zugong.core.versioning import ConflictError, versioned_update
from zugong.people.access import department_of, has_cap
from zugong.people.models import OrgUnit, Person, PersonCategory, Role, RoleAssignment

from . import events, summaries, textsim
from .access import Cap, may_confirm, may_record_for, may_review, reviewable_ids
from .compliance import Status, evaluate, load_series, people_under
from .copies import check_after_commit, copy_check, copy_flag_review
from .models import (
    RECORD_MODELS,
    CalendarDay,
    DayBasis,
    Exemption,
    FirstTopic,
    NotePhoto,
    ReadingItem,
    Regime,
    RegimeRule,
    ReviewStatus,
    StudyForm,
    StudyMaterial,
    StudySession,
    Writing,
    WritingKind,
)
from .presets import PRESETS
from .selectors import regime_for

# Older callers import these from here.
__all__ = ["RECORD_MODELS", "ConflictError", "copy_check", "copy_flag_review", "may_review",
           "regime_for"]

RECORD_FIELDS = {
    "study": ("on", "hours", "form", "topic", "materials"),
    "note": ("on", "title", "text", "is_paper", "char_count"),
    "book": ("on", "title", "author", "reading_item", "summary"),
    "writing": ("on", "kind", "title", "outlet", "outlet_level", "link", "text", "file"),
}
AUDITED = {kind: (*fields, "status", "return_reason") for kind, fields in RECORD_FIELDS.items()}


def kind_of(record) -> str:
    return record.record_kind


def _account(by):
    """The user to store as author: none for the system itself (demo, imports, jobs)."""
    return None if by is None or by is SYSTEM else by


# ---------------------------------------------------------------- validation


def _upload_errors(kind: str, data: dict, photos=()) -> dict:
    """Size and type (read from the content) of a writing's file and a note's photos; the
    upload's name takes the extension of what it really is (core.files)."""
    errors: dict = {}
    upload = data.get("file") if kind == "writing" else None
    checks = [(p, "photos", IMAGES) for p in photos]
    # A file already stored (an edit that keeps it) was checked when it was uploaded.
    if upload and not isinstance(upload, FieldFile):
        checks.append((upload, "file", DOCUMENTS))
    for upload, field, kinds in checks:
        if field in errors:
            continue
        try:
            check_upload(upload, field=field, kinds=kinds)
        except ValidationError as exc:
            errors[field] = exc.message_dict[field]
    return errors


def _validate(kind: str, record, *, photos=(), errors=None) -> None:
    errors = dict(errors or {})
    today = timezone.localdate()
    if record.on and record.on > today:
        errors.setdefault("on", []).append(_("The date is in the future."))
    if kind == "study":
        _validate_hours(record, errors)
    elif kind == "note":
        if record.is_paper:
            if not record.char_count or record.char_count <= 0:
                errors.setdefault("char_count", []).append(
                    _("Give the number of characters written in the notebook."))
            if not photos and not (record.pk and record.photos.exists()):
                errors.setdefault("photos", []).append(
                    _("Add at least one photo of the notebook pages as evidence."))
        else:
            record.char_count = textsim.count_characters(record.text or "")
            if record.char_count == 0:
                errors.setdefault("text", []).append(
                    _("The note is empty: type the note, or record a paper notebook."))
    elif kind == "writing":
        if record.kind == WritingKind.ARTICLE and not record.outlet_level:
            errors.setdefault("outlet_level", []).append(
                _("Say at which level the outlet is: the figures count articles by level."))
        if record.kind in (WritingKind.REFLECTION, WritingKind.RESEARCH) and not (
                (record.text or "").strip() or record.file):
            errors.setdefault("text", []).append(_("Type the text or attach the file."))
    try:
        # The database constraints repeat the checks above in plainer words; their generic
        # "constraint violated" message would only add noise beside the field's own.
        record.full_clean(exclude=["person", "created_by", "reviewed_by", "reading_item",
                                   "first_topic", "char_count"], validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(m for m in messages
                                               if m not in errors.get(name, []))
    if errors:
        raise ValidationError(errors)


def _validate_hours(record, errors) -> None:
    try:
        hours = Decimal(record.hours)
    except (InvalidOperation, TypeError, ValueError):
        errors.setdefault("hours", []).append(_("Hours must be a number."))
        return
    if hours <= 0:
        errors.setdefault("hours", []).append(_("Hours must be more than zero."))
        return
    if hours > 24:
        errors.setdefault("hours", []).append(_("A day has no more than 24 hours."))
        return
    if record.on and record.person_id:
        others = StudySession.objects.filter(person_id=record.person_id, on=record.on).exclude(
            pk=record.pk).aggregate(total=Sum("hours"))["total"] or Decimal(0)
        if others + hours > 24:
            errors.setdefault("hours", []).append(
                _("With the %(others)s hours already recorded for that day this makes more "
                  "than 24 hours.") % {"others": f"{others.normalize():f}"})


# ---------------------------------------------------------------- records


def record_create(*, by, kind: str, person: Person, data: dict, photos=()) -> object:
    """Record a study session, note, book or writing for ``person``.

    A cadre's own record waits for confirmation; one entered by a section chief or leader
    for someone in their charge (collective study, say) is confirmed at once.
    """
    if not may_record_for(by, person):
        raise PermissionDenied
    model = RECORD_MODELS[kind]
    upload_errors = _upload_errors(kind, data, photos)
    record = model(person=person, created_by=by,
                   **{k: v for k, v in data.items() if k in RECORD_FIELDS[kind]})
    if kind == "note" and record.is_paper is None:
        record.is_paper = False
    if by.person_id != person.pk:
        record.status = ReviewStatus.CONFIRMED
        record.reviewed_by, record.reviewed_at = by, timezone.now()
    _validate(kind, record, photos=photos, errors=upload_errors)
    with transaction.atomic():
        summaries.lock_people([person.pk])
        record.save()
        for photo in photos:
            NotePhoto.objects.create(note=record, image=photo)
        summaries.refresh_records([record])
        audit_record(actor=by, action=events.RECORD_CREATE, obj=record,
                     after=model_snapshot(record, AUDITED[kind]))
        check_after_commit(record)
    return record


def writing_from_app(*, by, person: Person, on: dt.date, title: str, text: str,
                     kind: str = WritingKind.REFLECTION) -> int:
    """A summary or report written in another app (hook ``learning.writing``: ability's
    training summaries and research reports) is a learning writing, entered once, here,
    so the learning figures count it. The cadre's own is confirmed by the chief as usual;
    one the system enters (the demo) is confirmed. Returns the writing's id."""
    data = {"on": on, "kind": kind, "title": title, "text": text}
    if by is not SYSTEM:
        return record_create(by=by, kind="writing", person=person, data=data).pk
    writing = Writing(person=person, status=ReviewStatus.CONFIRMED, **data)
    _validate("writing", writing)
    with transaction.atomic():
        writing.save()
        summaries.refresh_records([writing])
        audit_record(actor=SYSTEM, action=events.RECORD_CREATE, obj=writing,
                     after=model_snapshot(writing, AUDITED["writing"]))
    return writing.pk


def record_update(*, by, record, version: int, data: dict, photos=()) -> object:
    """Edit a record. An edit of a confirmed record reopens its confirmation (audited)."""
    kind = kind_of(record)
    if not may_record_for(by, record.person):
        raise PermissionDenied
    upload_errors = _upload_errors(kind, data, photos)

    def apply(current) -> None:
        for name in RECORD_FIELDS[kind]:
            if name in data:
                setattr(current, name, data[name])
        _validate(kind, current, photos=photos, errors=upload_errors)
        # The owner's edit goes back for confirmation; so does a reviewer's edit of a
        # confirmed record — to someone else: nobody confirms their own edit.
        if by.person_id == current.person_id or current.status == ReviewStatus.CONFIRMED:
            current.status, current.return_reason = ReviewStatus.PENDING, ""
            current.reviewed_by = current.reviewed_at = None
        current.edited_by = _account(by)

    def action(result) -> str:
        return (events.RECORD_REOPEN if result.before["status"] == ReviewStatus.CONFIRMED
                and result.after["status"] == ReviewStatus.PENDING else events.RECORD_UPDATE)

    with transaction.atomic():
        summaries.lock_people([record.person_id])
        # _validate runs full_clean with the exclusions records need.
        result = versioned_update(record, version=version, apply=apply, validate=False,
                                  snapshot=AUDITED[kind], by=by, action=action)
        current = result.instance
        for photo in photos:
            NotePhoto.objects.create(note=current, image=photo)
        # The month it left (a new date) and the month it is in: both change.
        summaries.refresh(type(current), {(current.person_id, current.on), (
            current.person_id, dt.date.fromisoformat(result.before["on"]))})
        check_after_commit(current)
    return current


def record_delete(*, by, record) -> None:
    """Delete a record into the recycle bin (回收站): whoever may edit it may delete it (its
    owner, or a reviewer with the person in scope). It leaves the lists and the figures at
    once; the reviewers with the person in scope (who confirm it) can put it back from
    the bin, so a cadre who deleted their own record by mistake asks their section chief."""
    if not may_record_for(by, record.person):
        raise PermissionDenied
    kind = kind_of(record)
    person = record.person
    with transaction.atomic():
        summaries.lock_people([person.pk])
        before = model_snapshot(record, AUDITED[kind])
        object_type, object_id = record._meta.label_lower, str(record.pk)
        what = f"{person.name} · {record._meta.verbose_name}"
        entry = recycle(record, by=by, cap=Cap.LEARNING_REVIEW, person_id=person.pk,
                        department_id=department_of(person).pk, label=f"{what} · {record}")
        summaries.refresh(type(record), {(person.pk, record.on)})
        # The entry's name stays in the append-only chain for good: the title is not in it
        # (it stays erasable with the payload; see core.recycle.erase).
        audit_record(actor=by, action=events.RECORD_DELETE, object_type=object_type,
                     object_id=object_id, object_repr=what, before=before,
                     after={"recycled": entry.pk})


def session_restore_check(*, rows) -> None:
    """The recycle bin's guard (hook ``recycle.learning.studysession``): a study session
    comes back only if the day still has room for its hours (24 at most, as when it was
    entered); sessions recorded since may have filled it."""
    for row in rows:
        if isinstance(row, StudySession):
            errors: dict = {}
            _validate_hours(row, errors)
            if errors:
                raise ValidationError(_("The study session of %(day)s cannot be restored: %(why)s")
                                      % {"day": row.on.isoformat(),
                                         "why": " ".join(errors["hours"])})


def record_review(*, by, records: list, confirm: bool, reason: str = "") -> int:
    """Confirm records or return them with a reason; all or nothing."""
    reason = reason.strip()
    if not confirm and not reason:
        raise ValidationError({"reason": [_("Say why the record is returned.")]})
    with transaction.atomic():
        summaries.lock_people(r.person_id for r in records)
        allowed = reviewable_ids(by, {r.person_id for r in records})  # one query for all
        for record in records:
            if record.person_id not in allowed:
                raise PermissionDenied
            if confirm and not may_confirm(by, record):
                raise ValidationError({"records": [
                    _("You last edited “%(record)s”: someone else must confirm your edit.")
                    % {"record": record}]})
            before = model_snapshot(record, AUDITED[kind_of(record)])
            record.status = ReviewStatus.CONFIRMED if confirm else ReviewStatus.RETURNED
            record.return_reason = "" if confirm else reason
            record.reviewed_by, record.reviewed_at = by, timezone.now()
            record.version += 1
            record.save(update_fields=["status", "return_reason", "reviewed_by",
                                       "reviewed_at", "version", "updated_at"])
            audit_record(actor=by, action=events.RECORD_CONFIRM if confirm
                         else events.RECORD_RETURN, obj=record, before=before,
                         after=model_snapshot(record, AUDITED[kind_of(record)]))
        summaries.refresh_records(records)
    return len(records)


def first_topic_record(*, by, department: OrgUnit, meeting: str, held_on: dt.date,
                       content: str, hours, attendees: list[Person]) -> FirstTopic:
    """A 第一议题 study; each attendee gets a confirmed study session of its hours."""
    topic = FirstTopic(department=department, meeting=meeting.strip(), held_on=held_on,
                       content=content.strip(), hours=hours, recorded_by=_account(by))
    errors: dict = {}
    if held_on and held_on > timezone.localdate():
        errors["held_on"] = [_("The date is in the future.")]
    if not attendees:
        errors["attendees"] = [_("Choose who attended.")]
    probe = StudySession(hours=hours, on=held_on)
    _validate_hours(probe, errors)
    for person in attendees:
        # SYSTEM (or None) is the product itself (the demo, an import); people need the right.
        if _account(by) is not None and not may_record_for(by, person):
            raise PermissionDenied
        probe = StudySession(person_id=person.pk, hours=hours, on=held_on)
        hour_errors: dict = {}
        _validate_hours(probe, hour_errors)
        if hour_errors:
            errors.setdefault("attendees", []).append(
                _("%(name)s: more than 24 hours of study on that day.") % {"name": person.name})
    try:
        topic.full_clean(exclude=["recorded_by"], validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        topic.save()
        topic.attendees.set(attendees)
        StudySession.objects.bulk_create([
            StudySession(person=p, on=held_on, hours=hours, form=StudyForm.FIRST_TOPIC,
                         topic=topic.meeting[:200], materials=topic.content, first_topic=topic,
                         status=ReviewStatus.CONFIRMED, reviewed_by=_account(by),
                         reviewed_at=timezone.now(), created_by=_account(by))
            for p in attendees])
        summaries.refresh(StudySession, {(p.pk, held_on) for p in attendees})
        audit_record(actor=by, action=events.FIRST_TOPIC_RECORD, obj=topic,
                     after={"meeting": topic.meeting, "held_on": held_on, "hours": hours,
                            "attendees": [p.pk for p in attendees]})
    return topic


def reading_item_add(*, by, department: OrgUnit, title: str, author: str, year: int,
                     note: str = "") -> ReadingItem:
    item = ReadingItem(department=department, title=title.strip(), author=author.strip(),
                       year=year, note=note.strip())
    item.full_clean()
    with transaction.atomic():
        item.save()
        audit_record(actor=by, action=events.READING_ITEM_ADD, obj=item,
                     after=model_snapshot(item, ("title", "author", "year", "note")))
    return item


def material_add(*, by, department: OrgUnit, title: str, description: str = "",
                 file=None, link: str = "") -> StudyMaterial:
    material = StudyMaterial(department=department, title=title.strip(),
                             description=description.strip(), link=link.strip(),
                             added_by=_account(by))
    errors = {}
    if file:
        try:
            check_upload(file, field="file", kinds=DOCUMENTS)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            material.file = file
    if not file and not material.link:
        errors["file"] = [_("Attach a file or give a link.")]
    try:
        material.full_clean(exclude=["added_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        material.save()
        audit_record(actor=by, action=events.MATERIAL_ADD, obj=material,
                     after=model_snapshot(material, ("title", "link")))
    return material


# ---------------------------------------------------------------- regimes


def regime_create(*, by, department: OrgUnit, name: str, preset: str = "",
                  valid_from: dt.date | None = None) -> Regime:
    """A new regime for a department, replacing the one in force; optionally from a preset."""
    if preset and preset not in PRESETS:
        raise ValidationError({"preset": [_("Unknown preset.")]})
    name = name.strip() or (str(PRESETS[preset]["name"]) if preset else "")
    if not name:
        raise ValidationError({"name": [_("Give the regime a name.")]})
    valid_from = valid_from or timezone.localdate().replace(month=1, day=1)
    with transaction.atomic():
        # The regimes before keep governing the days before the new one: each ends the
        # day before it (one replaced from its own first day or earlier governs no day).
        end = valid_from - dt.timedelta(days=1)
        for old in Regime.objects.select_for_update().filter(
                Q(is_active=True) | Q(valid_to__gte=valid_from), department=department):
            old.is_active = False
            old.valid_to = end if not old.valid_from or old.valid_from <= end else \
                old.valid_from - dt.timedelta(days=1)
            old.save(update_fields=["is_active", "valid_to"])
        regime = Regime.objects.create(department=department, name=name, preset=preset,
                                       valid_from=valid_from)
        if preset:
            for number, rule in enumerate(PRESETS[preset]["rules"], start=1):
                RegimeRule.objects.create(
                    regime=regime, series=number, metric=rule["metric"],
                    threshold=Decimal(str(rule["threshold"])), period=rule["period"],
                    categories=[PersonCategory.ORG_CADRE], valid_from=valid_from,
                    note=str(rule.get("note", "")), created_by=_account(by))
        audit_record(actor=by, action=events.REGIME_CREATE, obj=regime,
                     after={"name": name, "preset": preset, "department": department.pk,
                            "valid_from": valid_from})
        bump(events.RULES_SCOPE)
    return regime


def regime_settings(*, by, regime: Regime, version: int, count_unconfirmed: bool,
                    remind_days: int, copy_threshold) -> Regime:
    regime = versioned_update(
        regime, version=version,
        changes={"count_unconfirmed": count_unconfirmed, "remind_days": remind_days,
                 "copy_threshold": copy_threshold},
        validate_exclude=("department",),
        snapshot=("name", "count_unconfirmed", "remind_days", "copy_threshold"),
        by=by, action=events.REGIME_UPDATE).instance
    bump(events.RULES_SCOPE)
    return regime


def _validate_rule(rule: RegimeRule, errors: dict) -> None:
    if not rule.metric:
        errors.setdefault("metric", []).append(_("Choose the metric the rule counts."))
    elif not metrics.exists(rule.metric):
        errors.setdefault("metric", []).append(_("Unknown metric."))
    try:
        threshold = Decimal(rule.threshold)
        if threshold <= 0:
            errors.setdefault("threshold", []).append(_("The threshold must be more than zero."))
    except (InvalidOperation, TypeError, ValueError):
        errors.setdefault("threshold", []).append(_("The threshold must be a number."))
    if rule.days not in DayBasis.values:
        errors.setdefault("days", []).append(_("Choose working days or calendar days."))
    if rule.period not in PeriodKind.values:
        errors.setdefault("period", []).append(_("Choose the period."))
    if not rule.valid_from:
        errors.setdefault("valid_from", []).append(_("Say from when the rule is in force."))
    bad = set(rule.categories or ()) - set(PersonCategory.values)
    if bad:
        errors.setdefault("categories", []).append(_("Unknown category."))
    if errors:
        raise ValidationError(errors)


def rule_add(*, by, regime: Regime, metric: str, threshold, period: str,
             valid_from: dt.date, categories=(), roles=(), sections=(), note: str = "",
             days: str = DayBasis.WORKING) -> RegimeRule:
    rule = RegimeRule(regime=regime, metric=metric or "", threshold=threshold, period=period,
                      days=days or DayBasis.WORKING,
                      categories=list(categories), roles=list(roles), valid_from=valid_from,
                      note=note.strip(), created_by=_account(by))
    _validate_rule(rule, {})
    _check_sections(regime, sections)
    with transaction.atomic():
        rule.series = (regime.rules.aggregate(n=Max("series"))["n"] or 0) + 1
        rule.save()
        rule.sections.set(sections)
        audit_record(actor=by, action=events.RULE_ADD, obj=rule, after=_rule_snapshot(rule))
        bump(events.RULES_SCOPE)
    return rule


def _check_sections(regime: Regime, sections) -> None:
    for section in sections:
        if not section.path.startswith(regime.department.path):
            raise ValidationError({"sections": [_("A section outside the department.")]})


def _rule_snapshot(rule: RegimeRule) -> dict:
    return {"series": rule.series, "metric": rule.metric, "threshold": str(rule.threshold),
            "period": rule.period, "days": rule.days, "categories": rule.categories,
            "roles": rule.roles,
            "valid_from": rule.valid_from, "valid_to": rule.valid_to}


def rule_change(*, by, rule: RegimeRule, effective: dt.date, threshold, categories=None,
                roles=None, sections=None, note: str = "") -> RegimeRule:
    """A new version of a rule from ``effective``; the old one stays for earlier periods.

    The period and metric of a rule don't change (that is a different rule): retire it and
    add another.
    """
    if rule.valid_to is not None:
        raise ValidationError({"effective": [_("Only the version in force can be changed.")]})
    if not effective or effective <= rule.valid_from:
        raise ValidationError({"effective": [
            _("The change must take effect after %(date)s, when this version began.")
            % {"date": rule.valid_from.isoformat()}]})
    new = RegimeRule(regime=rule.regime, series=rule.series, metric=rule.metric,
                     threshold=threshold, period=rule.period, days=rule.days,
                     categories=list(rule.categories if categories is None else categories),
                     roles=list(rule.roles if roles is None else roles),
                     valid_from=effective, note=note.strip() or rule.note, created_by=_account(by))
    _validate_rule(new, {})
    new_sections = list(rule.sections.all()) if sections is None else list(sections)
    _check_sections(rule.regime, new_sections)
    with transaction.atomic():
        before = _rule_snapshot(rule)
        rule.valid_to = effective - dt.timedelta(days=1)
        rule.save(update_fields=["valid_to"])
        new.save()
        new.sections.set(new_sections)
        audit_record(actor=by, action=events.RULE_CHANGE, obj=new, before=before,
                     after=_rule_snapshot(new))
        bump(events.RULES_SCOPE)
    return new


def rule_retire(*, by, rule: RegimeRule, last_day: dt.date) -> RegimeRule:
    if rule.valid_to is not None:
        raise ValidationError({"last_day": [_("This version is no longer in force.")]})
    if not last_day or last_day < rule.valid_from:
        raise ValidationError({"last_day": [_("The last day must not be before the rule began.")]})
    before = _rule_snapshot(rule)
    rule.valid_to = last_day
    with transaction.atomic():
        rule.save(update_fields=["valid_to"])
        audit_record(actor=by, action=events.RULE_RETIRE, obj=rule, before=before,
                     after=_rule_snapshot(rule))
        bump(events.RULES_SCOPE)
    return rule


def exemption_add(*, by, regime: Regime, person: Person, kind: str, start: dt.date,
                  end: dt.date, reason: str, series: int | None = None) -> Exemption:
    exemption = Exemption(regime=regime, person=person, kind=kind, start=start, end=end,
                          reason=reason.strip(), series=series, created_by=_account(by))
    errors = {}
    if start and end and end < start:
        errors["end"] = [_("The end is before the start.")]
    if not exemption.reason:
        errors["reason"] = [_("Give the reason for the exemption.")]
    if series is not None and not regime.rules.filter(series=series).exists():
        errors["series"] = [_("No such rule in this regime.")]
    try:
        exemption.full_clean(exclude=["created_by", "regime", "person"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        exemption.save()
        audit_record(actor=by, action=events.EXEMPTION_ADD, obj=exemption,
                     after=model_snapshot(exemption, ("kind", "start", "end", "reason",
                                                      "series")))
        bump(events.person_scope(person.pk), events.exemption_scope(person.pk))
    return exemption


def calendar_day_set(*, by, day: dt.date, is_workday: bool, note: str = "") -> CalendarDay:
    """Enter (or correct) one day of the official calendar: a holiday or an adjusted
    working day, for a year the package does not cover. Audited."""
    if not has_cap(by, Cap.REGIME_MANAGE):
        raise PermissionDenied
    if not day:
        raise ValidationError({"day": [_("Give the date.")]})
    with transaction.atomic():
        entry = CalendarDay.objects.select_for_update().filter(day=day).first()
        before = model_snapshot(entry, ("is_workday", "note")) if entry else None
        entry = entry or CalendarDay(day=day, created_by=_account(by))
        entry.is_workday, entry.note = bool(is_workday), note.strip()[:100]
        entry.save()
        audit_record(actor=by, action=events.CALENDAR_DAY_SET, obj=entry, before=before,
                     after=model_snapshot(entry, ("is_workday", "note")))
        bump(events.RULES_SCOPE)
    return entry


# ---------------------------------------------------------------- reminders


def reminders_send(*, today: dt.date) -> dict:
    """Warn people who are short of a rule as its period nears its end, and give each
    section chief the list of their people who are short.

    A rule is due for reminders from ``remind_days`` before the end of the period it is
    judged over (daily and weekly rules: the month). Each person hears once per rule and
    period (the notice's dedupe key), however often the job runs.
    """
    month = Period.containing(PeriodKind.MONTH, today)
    people_count = chiefs_count = 0
    for regime in Regime.objects.filter(is_active=True).select_related("department"):
        series = load_series(regime)
        due = [s for s in series
               if 0 <= ((s.window_for(month) if ORDER[PeriodKind(s.period)]
                         >= ORDER[PeriodKind.MONTH] else month).end - today).days
               <= regime.remind_days]
        if not due:
            continue
        people = people_under(regime, Person.objects.all())
        result = evaluate(regime=regime, people=people, windows=[month], today=today,
                          series=due)
        accounts = {p.pk: p for p in people.select_related("account", "unit")}
        short_by_unit: dict[int, list[str]] = {}
        for subject in result.subjects:
            person = accounts[subject.pk]
            for s in due:
                cell = result.cell(subject.pk, s.number, month)
                if cell is None or cell.status in (Status.MET, Status.EXEMPT,
                                                   Status.NOT_APPLICABLE):
                    continue
                short_by_unit.setdefault(person.unit_id, []).append(
                    f"{person.name}：{s.metric.label} {cell.actual}/{cell.target}")
                account = getattr(person, "account", None)
                if account is None:
                    continue
                made = notify(
                    recipients=[account], kind=events.NOTICE_BEHIND,
                    title=_("Learning: %(metric)s is %(short)s %(unit)s short for %(period)s")
                    % {"metric": s.metric.label, "short": cell.shortfall,
                       "unit": s.metric.unit, "period": cell.window.label},
                    body=_("%(actual)s of %(target)s so far; the period ends on %(end)s.")
                    % {"actual": cell.actual, "target": cell.target,
                       "end": cell.window.end.isoformat()},
                    url=cell.url,
                    dedupe_key=f"learning:{regime.pk}:{s.number}:{cell.window.key}")
                people_count += bool(made)
        chiefs_count += _remind_chiefs(regime, short_by_unit, today)
    return {"people": people_count, "chiefs": chiefs_count}


def _remind_chiefs(regime, short_by_unit: dict, today: dt.date) -> int:
    sent = 0
    chiefs = RoleAssignment.objects.filter(
        role=Role.SECTION_CHIEF, user__person__unit_id__in=list(short_by_unit)).select_related(
        "user", "user__person")
    for assignment in chiefs:
        unit_id = assignment.unit_id or assignment.user.person.unit_id
        lines = short_by_unit.get(unit_id)
        if not lines:
            continue
        made = notify(recipients=[assignment.user], kind=events.NOTICE_SECTION_BEHIND,
                      title=_("Learning: %(n)s shortfalls in your section") % {"n": len(lines)},
                      body="\n".join(lines),
                      url=f"{reverse('learning:compliance')}?unit={unit_id}",
                      dedupe_key=f"learning-chief:{regime.pk}:{today.isoformat()}",
                      # The section's list also goes to the group robot when one is set up;
                      # personal reminders stay personal.
                      webhook=True)
        sent += bool(made)
    return sent
