"""Model instances for people created in bulk, checked as the people services check them.

``people.services.person_create`` validates with ``full_clean`` (a query per code-table
field) and looks up the blind index per person; here the code values come from the
dictionary cache and ID numbers were checked by the reader and matched in bulk, so the
remaining rules are applied in memory and any failure names the record.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.crypto import provider
from zugong.core.dictionaries import cached_items
from zugong.people.models import (
    AnnualAssessment,
    FamilyMember,
    Person,
    PersonCategory,
    ResumeEntry,
    RewardPunishment,
)
from zugong.people.services import DICT_FIELDS, SUBRECORDS

from . import merge

# Code-table foreign keys are resolved from the cache: full_clean would query each one.
FK_FIELDS = [*DICT_FIELDS, "unit"]


def _item_ids() -> dict[tuple[str, str], int]:
    return {(item.table, item.code): pk for pk, item in cached_items().items()
            if item.is_active}


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _fail(record: dict, errors: dict) -> None:
    raise ValidationError({key: [_("%(file)s: %(message)s") % {
        "file": record["source"], "message": m} for m in (msgs if isinstance(msgs, list)
                                                          else [msgs])]
        for key, msgs in errors.items()})


def _clean(obj, record, exclude):
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        _fail(record, exc.message_dict)


def build_people(records: list[dict], *, unit, category: str, unit_by_code):
    ids = _item_ids()
    today = timezone.localdate()
    units: dict = {}
    people, children, sheets = [], [], []
    for record in records:
        p = record["person"]
        registry = record.get("registry") or {}
        code = registry.get("unit")
        if code and code not in units:
            units[code] = unit_by_code(code)
        target = units.get(code) or unit
        if target is None:
            _fail(record, {"unit": _("Choose the unit that new people join.")})
        person = Person(category=registry.get("category") or category or
                        PersonCategory.MANAGED, unit=target, unit_path=target.path)
        for key in merge.PERSON_KEYS:
            value = p.get(key)
            if key in DICT_FIELDS:
                setattr(person, f"{key}_id", ids.get((DICT_FIELDS[key], value)) if value
                        else None)
            elif key in merge.MONTH_KEYS:
                setattr(person, key, _date(value))
            else:
                setattr(person, key, value or "")
        if registry.get("post_level"):
            person.post_level_id = ids.get((DICT_FIELDS["post_level"], registry["post_level"]))
        person.phone = registry.get("phone") or ""
        errors = {}
        if person.sex_id is None:
            errors["sex"] = _("This field is required.")
        if person.phone and not (person.phone.isdigit() and 7 <= len(person.phone) <= 15):
            errors["phone"] = _("A phone number has 7 to 15 digits.")
        if person.birth_date and person.birth_date > today:
            errors["birth_date"] = _("The birth date is in the future.")
        for key in ("party_join_date", "work_start_date"):
            value = getattr(person, key)
            if value and person.birth_date and value < person.birth_date:
                errors[key] = _("This date is before the birth date.")
        if errors:
            _fail(record, errors)
        _clean(person, record, ["unit_path", "photo", "id_number_index", "phone_index",
                                *FK_FIELDS])
        person.id_number_index = provider().blind_index(person.id_number) \
            if person.id_number else None
        person.phone_index = provider().blind_index(person.phone) if person.phone else None
        people.append(person)
        children.append(_children(record, ids))
        sheets.append(record.get("extras") or {})
    return people, children, sheets


def _children(record: dict, ids) -> list:
    rows = []
    models = {"resume": ResumeEntry, "family": FamilyMember, "rewards": RewardPunishment,
              "assessments": AnnualAssessment}
    for kind, model in models.items():
        _model, fields, dict_fields = SUBRECORDS[kind]
        for data in record.get(kind) or []:
            obj = model()
            for field in fields:
                value = data.get(field)
                if field in dict_fields:
                    setattr(obj, f"{field}_id", ids.get((dict_fields[field], value))
                            if value else None)
                    continue
                if field in ("start", "end", "date", "birth_date"):
                    value = _date(value)
                elif value is None:
                    default = model._meta.get_field(field).get_default()
                    value = default if default is not None else ""
                setattr(obj, field, value)
            if kind == "resume" and obj.end and obj.end < obj.start:
                _fail(record, {"end": _("The end is before the start.")})
            _clean(obj, record, ["person", *dict_fields])
            if any(getattr(obj, f"{f}_id") is None and not model._meta.get_field(f).null
                   for f in dict_fields):
                _fail(record, {kind: _("This field is required.")})
            rows.append(obj)
    return rows
