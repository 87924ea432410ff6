"""Writes to org units, people and their sub-records. Each is one transaction with its
audit entry; views, the API, imports and the demo all come through here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from zugong.core.audit import audit_record, model_snapshot
from zugong.core.crypto import provider
from zugong.core.dictionaries import resolve
from zugong.core.models import DictTable
from zugong.core.recycle import recycle
from zugong.core.versioning import versioned_update

from .. import events, idnumber
from ..access import Cap, department_of
from ..models import (
    AnnualAssessment,
    FamilyMember,
    OrgUnit,
    Person,
    PostHistory,
    ResumeEntry,
    RewardPunishment,
    RoleAssignment,
    UnitKind,
    User,
)

# ---------------------------------------------------------------- org units

UNIT_FIELDS = ("name", "kind", "code", "position", "department")


def unit_create(*, by, parent: OrgUnit | None, name: str, kind: str, code: str,
                position: int = 0) -> OrgUnit:
    unit = OrgUnit(name=name.strip(), kind=kind, code=code.strip(), position=position)
    try:
        unit.full_clean(exclude=["path", "depth", "numchild", "department"],
                        validate_unique=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    with transaction.atomic():
        if OrgUnit.objects.filter(code=unit.code).exists():
            raise ValidationError({"code": _("A unit with this code already exists.")})
        if parent:
            unit = OrgUnit.objects.add_child(parent, instance=unit)
            _resync_unit_paths(parent)
        else:
            unit = OrgUnit.objects.add_root(instance=unit)
            _resync_unit_paths(None)
        if kind == UnitKind.ORG_DEPT:
            unit.department = unit
        else:
            unit.department_id = parent.department_id if parent else None
        unit.save(update_fields=["department"])
        audit_record(actor=by, action=events.UNIT_CREATE, obj=unit,
                     after=model_snapshot(unit, UNIT_FIELDS))
    return unit


def _resync_unit_paths(parent: OrgUnit | None) -> None:
    """Copy units' paths to their people again after an insert under ``parent``.

    Units are kept in (position, code) order, so treebeard gives a new unit its place by
    renumbering the paths of the siblings after it; ``Person.unit_path`` (the copy that
    scope filters and paging use) must follow, or people would fall into another unit's
    range. One UPDATE over the parent's subtree.
    """
    people = Person.objects.all()
    if parent is not None:
        parent.refresh_from_db(fields=["path"])
        people = people.filter(unit__path__startswith=parent.path)
    people.exclude(unit_path=F("unit__path")).update(unit_path=Subquery(
        OrgUnit.objects.filter(pk=OuterRef("unit_id")).values("path")[:1]))


def unit_update(*, by, unit: OrgUnit, name: str, code: str, position: int) -> OrgUnit:
    before = model_snapshot(unit, UNIT_FIELDS)
    unit.name, unit.code, unit.position = name.strip(), code.strip(), position
    unit.full_clean(exclude=["path", "depth", "numchild", "department"])
    with transaction.atomic():
        if OrgUnit.objects.filter(code=unit.code).exclude(pk=unit.pk).exists():
            raise ValidationError({"code": _("A unit with this code already exists.")})
        unit.save()
        audit_record(actor=by, action=events.UNIT_UPDATE, obj=unit, before=before,
                     after=model_snapshot(unit, UNIT_FIELDS))
    return unit


# ---------------------------------------------------------------- people

PERSON_FIELDS = (
    "category", "name", "sex", "birth_date", "ethnicity", "native_place", "birthplace",
    "political_status", "party_join_date", "work_start_date", "health", "ft_education",
    "ft_degree", "ft_school", "is_education", "is_degree", "is_school",
    "professional_title", "id_number", "phone", "current_post", "post_level", "unit",
    "photo", "is_active", "joined_on",
)
DICT_FIELDS = {
    "sex": DictTable.SEX,
    "ethnicity": DictTable.ETHNICITY,
    "political_status": DictTable.POLITICAL_STATUS,
    "health": DictTable.HEALTH,
    "ft_education": DictTable.EDUCATION,
    "ft_degree": DictTable.DEGREE,
    "is_education": DictTable.EDUCATION,
    "is_degree": DictTable.DEGREE,
    "post_level": DictTable.POST_LEVEL,
}
ALLOWED_PHOTO_FORMATS = {"JPEG", "PNG"}


def validate_photo(photo) -> None:
    if not photo:
        return
    limit = settings.ZUGONG_PHOTO_MAX_BYTES
    if photo.size > limit:
        raise ValidationError({"photo": _(
            "The photo is %(size).1f MB; the largest allowed is %(limit).1f MB."
        ) % {"size": photo.size / 1048576, "limit": limit / 1048576}})
    try:
        photo.seek(0)
        with Image.open(photo) as img:
            fmt = img.format
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError({"photo": _("The photo is not a readable image.")}) from exc
    finally:
        photo.seek(0)
    if fmt not in ALLOWED_PHOTO_FORMATS:
        raise ValidationError({"photo": _("The photo must be a JPEG or PNG image.")})


def _apply_person_data(person: Person, data: dict[str, Any]) -> dict[str, list[str]]:
    """Copy the given values onto the person; returns errors for unknown codes."""
    errors: dict[str, list[str]] = {}
    for field, value in data.items():
        if field not in PERSON_FIELDS:
            raise ValidationError({field: _("Unknown field.")})
        if field in DICT_FIELDS:
            try:
                value = resolve(DICT_FIELDS[field], value, field=field, required=field == "sex")
            except ValidationError as exc:
                errors.update(exc.message_dict)
                continue
        if field in ("id_number", "phone", "name", "native_place", "birthplace") and value:
            value = value.strip()
        if field == "id_number":
            value = idnumber.normalize(value)
        setattr(person, field, value)
    return errors


def _validate_person(person: Person, errors: dict[str, list[str]]) -> None:
    """Every problem at once: code values, model rules, ID number, dates."""
    exclude = ["unit_path", "photo", "id_number_index", "phone_index", *errors]
    try:
        person.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if person.id_number:
        found = idnumber.problems(
            person.id_number, birth_date=person.birth_date,
            sex_code=person.sex.code if person.sex_id and "sex" not in errors else None,
        )
        if found:
            errors.setdefault("id_number", []).extend(found)
        else:
            index = provider().blind_index(person.id_number)
            clash = Person.objects.filter(id_number_index=index).exclude(pk=person.pk)
            if clash.exists():
                errors.setdefault("id_number", []).append(
                    _("This ID number is already registered for another person.")
                )
    if person.phone and not (person.phone.isdigit() and 7 <= len(person.phone) <= 15):
        errors.setdefault("phone", []).append(_("A phone number has 7 to 15 digits."))
    if person.birth_date and person.birth_date > timezone.localdate():
        errors.setdefault("birth_date", []).append(_("The birth date is in the future."))
    for field in ("party_join_date", "work_start_date", "joined_on"):
        value = getattr(person, field)
        if value and person.birth_date and value < person.birth_date:
            errors.setdefault(field, []).append(_("This date is before the birth date."))
    if errors:
        raise ValidationError(errors)


def _set_derived(person: Person) -> None:
    person.unit_path = person.unit.path
    person.id_number_index = provider().blind_index(person.id_number) if person.id_number else None
    person.phone_index = provider().blind_index(person.phone) if person.phone else None


def person_create(*, by, data: dict[str, Any], photo=None) -> Person:
    person = Person()
    _validate_person(person, _apply_person_data(person, data))
    validate_photo(photo)
    _set_derived(person)
    try:
        with transaction.atomic():
            person.save()
            if photo:
                person.photo.save(photo.name, photo, save=False)
                person.save(update_fields=["photo"])
            audit_record(actor=by, action=events.PERSON_CREATE, obj=person,
                         after=model_snapshot(person, PERSON_FIELDS))
    except IntegrityError as exc:
        # Two writers raced on the same ID number; the unique index kept the data sound.
        raise ValidationError(
            {"id_number": _("This ID number is already registered for another person.")}
        ) from exc
    return person


# ---------------------------------------------------------------- post history


def history_state(person: Person, roles=None) -> dict[str, Any]:
    """What the post history keeps of a person: unit, category, post and roles."""
    if roles is None:
        roles = RoleAssignment.objects.filter(user__person=person).values_list("role",
                                                                               flat=True)
    return {"unit_id": person.unit_id, "category": person.category,
            "post": person.current_post, "roles": sorted(roles)}


def history_change(*, by, person: Person, before: dict[str, Any], on: dt.date,
                   roles=None) -> None:
    """Record in the post history that the person changed on ``on`` from ``before`` to
    what the record holds now. Runs inside the caller's transaction.

    The day a record is entered is still its entry: a change made that day (a role granted
    to a new account, a corrected post) amends the first row instead of inventing a
    "before" nobody lived. A change dated before the latest recorded one is refused.
    """
    after = history_state(person, roles)
    if after == before:
        return
    rows = PostHistory.objects.select_for_update().filter(person=person)
    open_row = rows.filter(valid_to__isnull=True).first()
    entry_day = timezone.localdate(person.created_at)
    recorded_by = by if isinstance(by, User) else None
    if open_row is not None and open_row.valid_from is not None and on < open_row.valid_from:
        raise ValidationError({"on": _("A later change is already recorded for this person.")})
    if open_row is None and on == entry_day:
        return
    if open_row is not None and (open_row.valid_from == on
                                 or (open_row.valid_from is None and on == entry_day)):
        open_row.unit_id, open_row.category = after["unit_id"], after["category"]
        open_row.post, open_row.roles = after["post"], after["roles"]
        open_row.save()
        return
    if open_row is None:
        PostHistory.objects.create(person=person, valid_from=None,
                                   valid_to=on - dt.timedelta(days=1), **before)
    else:
        open_row.valid_to = on - dt.timedelta(days=1)
        open_row.save(update_fields=["valid_to"])
    moved = before["unit_id"] if before["unit_id"] != after["unit_id"] else None
    PostHistory.objects.create(person=person, valid_from=on, moved_from_id=moved,
                               recorded_by=recorded_by, **after)


def _history_key(person: Person) -> tuple:
    return person.unit_id, person.category, person.current_post


def person_update(*, by, person: Person, data: dict[str, Any], version: int | None = None,
                  photo=None, on: dt.date | None = None) -> Person:
    """Change a person's record. ``version`` is the one the editor saw (pages and the API
    send it; ConflictError when someone saved since). Services moving a person on their
    own account (talks, imports) pass none: the current row is changed, under its lock.

    A change of unit, category or post is written to the post history as of ``on``
    (today when not given)."""
    validate_photo(photo)
    before: dict[str, Any] = {}

    def apply(current: Person) -> None:
        before["key"] = _history_key(current)
        before["state"] = {"unit_id": current.unit_id, "category": current.category,
                           "post": current.current_post}
        _validate_person(current, _apply_person_data(current, data))
        _set_derived(current)
        if photo:
            current.photo.save(photo.name, photo, save=False)

    try:
        with transaction.atomic():
            if version is None:
                version = (Person.objects.select_for_update().filter(pk=person.pk)
                           .values_list("version", flat=True).get())
            result = versioned_update(
                person, version=version, apply=apply, snapshot=PERSON_FIELDS, by=by,
                action=events.PERSON_UPDATE, validate=False,
                queryset=Person.objects.select_related("unit"))
            if _history_key(result.instance) != before["key"]:
                state = before["state"]
                state["roles"] = history_state(result.instance)["roles"]
                history_change(by=by, person=result.instance, before=state,
                               on=on or timezone.localdate(), roles=state["roles"])
    except IntegrityError as exc:
        # Two writers raced on the same ID number; the unique index kept the data sound.
        raise ValidationError(
            {"id_number": _("This ID number is already registered for another person.")}
        ) from exc
    return result.instance


SUBRECORDS = {
    "resume": (ResumeEntry, ("start", "end", "text"), {}),
    "family": (FamilyMember, ("kind", "relation", "name", "birth_date", "political_status",
                              "work_unit_and_post", "is_deceased"),
               {"relation": DictTable.FAMILY_RELATION,
                "political_status": DictTable.POLITICAL_STATUS}),
    "rewards": (RewardPunishment, ("kind", "date", "title", "issuer", "reason"), {}),
    "assessments": (AnnualAssessment, ("year", "result", "note", "source_text"),
                    {"result": DictTable.ASSESSMENT_RESULT}),
}


def subrecord_add(*, by, person: Person, kind: str, data: dict[str, Any]):
    """Add a résumé line, family member, reward/punishment or annual result."""
    model, fields, dict_fields = SUBRECORDS[kind]
    values = {}
    errors = {}
    for field in fields:
        value = data.get(field)
        if field in dict_fields:
            try:
                value = resolve(dict_fields[field], value, field=field,
                                required=not model._meta.get_field(field).null)
            except ValidationError as exc:
                errors.update(exc.message_dict)
                continue
        if value is None and not model._meta.get_field(field).null:
            default = model._meta.get_field(field).get_default()
            value = default if default is not None else ""
        values[field] = value
    if errors:
        raise ValidationError(errors)
    record = model(person=person, **values)
    if kind == "resume" and record.start and record.end and record.end < record.start:
        raise ValidationError({"end": _("The end is before the start.")})
    if kind == "assessments" and AnnualAssessment.objects.filter(
        person=person, year=record.year
    ).exists():
        raise ValidationError({"year": _("There is already a result for this year.")})
    record.full_clean()
    with transaction.atomic():
        record.save()
        audit_record(actor=by, action=events.SUBRECORD_ADD[kind], obj=person,
                     after=model_snapshot(record, fields))
    return record


def subrecord_delete(*, by, person: Person, kind: str, pk: int) -> None:
    model, fields, _dict_fields = SUBRECORDS[kind]
    with transaction.atomic():
        record = model.objects.select_for_update().get(person=person, pk=pk)
        before = model_snapshot(record, fields)
        # Into the recycle bin: whoever may edit this person may restore it there.
        entry = recycle(record, by=by, cap=Cap.PEOPLE_CHANGE, person_id=person.pk,
                        department_id=department_of(person).pk,
                        label=f"{person.name} · {model._meta.verbose_name} · {record}")
        audit_record(actor=by, action=events.SUBRECORD_DELETE[kind], obj=person, before=before,
                     after={"recycled": entry.pk})


def person_delete(*, by, person: Person) -> None:
    """Delete a person entered by mistake, with their sub-records, into the recycle bin.

    A person with an account, or whom another area's records name (talks, tasks,
    assessments …), stays: those records are part of the department's history. The bin
    entry belongs to the department (the person is gone, so no personal scope reaches it):
    whoever may change people across the department puts it back."""
    with transaction.atomic():
        person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
        if User.objects.filter(person=person).exists():
            raise ValidationError(_("The person has an account: disable the account instead "
                                    "of deleting the person."))
        person_id, department = str(person.pk), department_of(person)
        before = {"unit": person.unit_id, "category": person.category}
        try:
            entry = recycle(person, by=by, cap=Cap.PEOPLE_CHANGE, department_id=department.pk,
                            label=f"{person.name} · {person.unit.name}")
        except (ProtectedError, RestrictedError) as exc:
            raise ValidationError(_("Records in other areas (talks, tasks, assessments …) name "
                                    "this person, so the person is kept.")) from exc
        # Named by id only: the name stays erasable with the bin's payload.
        audit_record(actor=by, action=events.PERSON_DELETE, object_type="people.person",
                     object_id=person_id, object_repr=f"#{person_id}", before=before,
                     after={"recycled": entry.pk})


def person_export_logged(*, by, count: int, filters: dict) -> None:
    """Exports of personal data are themselves audited."""
    audit_record(actor=by, action=events.PERSON_EXPORT, object_type="people.person",
                 object_repr=f"{count}", after={"filters": filters, "count": count})


