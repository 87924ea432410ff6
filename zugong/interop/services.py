"""Writes of import and export: batches, their confirmation, and the audit of exports.

An import is two steps. ``batch_prepare`` reads every file, and either returns the list of
every problem (nothing is stored) or stores the parsed batch for preview. ``batch_apply``
compares the batch with the registry again and writes the chosen people through the
people services, all in one transaction: one bad record rolls the whole batch back.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from zugong.core.audit import audit_record
from zugong.people import services as people_services
from zugong.people.access import has_cap
from zugong.people.models import AnnualAssessment, OrgUnit, Person, PersonCategory, UnitKind
from zugong.people.selectors import unit_choices

from . import legacy, merge
from .access import Cap
from .lrmx import Codes, LrmxError, parse_lrmx
from .models import FormSheet, ImportBatch
from .workbook import UNIT_KIND_NAMES, WorkbookReport, read_workbook

MAX_FILES = 5000
MAX_UNCOMPRESSED = 512 * 1024 * 1024  # a zip that expands beyond this is refused


@dataclass
class BatchReport:
    """What reading a batch found: the records, and every problem with file and field."""

    records: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.records) and not self.problems


def expand_uploads(files: list[tuple[str, bytes]]) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Zip archives are opened; .lrmx, .lrm and .pic files are kept, anything else named."""
    out: list[tuple[str, bytes]] = []
    problems: list[str] = []
    total = 0
    for name, data in files:
        if name.lower().endswith(".zip"):
            try:
                archive = zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile:
                problems.append(_("%(file)s: the archive cannot be opened.") % {"file": name})
                continue
            with archive:
                for info in archive.infolist():
                    if info.is_dir():
                        continue
                    total += info.file_size
                    if total > MAX_UNCOMPRESSED or len(out) >= MAX_FILES:
                        problems.append(_("%(file)s: the archive is too large to import at "
                                          "once.") % {"file": name})
                        return out, problems
                    member = _zip_name(info)
                    out.append((f"{name}/{member}", archive.read(info)))
        else:
            out.append((name, data))
    kept = []
    for name, data in out:
        lower = name.lower()
        if lower.endswith((".lrmx", ".lrm", ".pic")):
            kept.append((name, data))
        elif not os.path.basename(lower).startswith("."):
            problems.append(_("%(file)s: not an LRMX (.lrmx) or legacy (.lrm) file.")
                            % {"file": name})
    return kept, problems


def _zip_name(info: zipfile.ZipInfo) -> str:
    # Archives made on Chinese Windows store names in GBK without the UTF-8 flag.
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def read_files(files: list[tuple[str, bytes]]) -> BatchReport:
    """Every file of a batch → records, or every problem (file, field, reason)."""
    report = BatchReport()
    files, report.problems = expand_uploads(files)
    codes = Codes.load()
    pictures = {name[:-4].lower(): data for name, data in files if name.lower().endswith(".pic")}
    for name, data in sorted(files):
        lower = name.lower()
        try:
            if lower.endswith(".lrmx"):
                report.records.append(parse_lrmx(data, name, codes))
            elif lower.endswith(".lrm"):
                report.records.append(legacy.parse_lrm(data, name, codes,
                                                       photo=pictures.get(lower[:-4])))
        except LrmxError as exc:
            report.problems.extend(exc.messages())
    for source, element, message in merge.duplicate_problems(report.records):
        report.problems.append(LrmxError(source, [(element, message)]).messages()[0])
    if not report.records and not report.problems:
        report.problems.append(_("The upload contains no LRMX files."))
    return report


def read_paths(paths: list[str]) -> list[tuple[str, bytes]]:
    """Files and folders named on the command line → (name, bytes) pairs."""
    out = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file():
                    out.append((str(child.relative_to(path.parent)), child.read_bytes()))
        else:
            out.append((path.name, path.read_bytes()))
    return out


def _check_target(by, unit: OrgUnit | None, category: str) -> None:
    errors = {}
    if by is not None:
        if not has_cap(by, Cap.PEOPLE_CHANGE):
            raise PermissionDenied
        if unit is not None and not unit_choices(user=by, cap=Cap.PEOPLE_CHANGE).filter(
                pk=unit.pk).exists():
            errors["unit"] = _("The unit does not exist or is outside your scope.")
    if category and category not in PersonCategory.values:
        errors["category"] = _("Unknown category.")
    if errors:
        raise ValidationError(errors)


def batch_prepare(*, by, files: list[tuple[str, bytes]], unit: OrgUnit | None,
                  category: str = PersonCategory.MANAGED,
                  kind: str = ImportBatch.Kind.LRMX, name: str = "") -> tuple[
                      ImportBatch | None, BatchReport]:
    """Read a batch; store it for preview only when every file is readable."""
    _check_target(by, unit, category)
    report = read_files(files)
    if report.ok:
        records_check(by, report, unit=unit, category=category)
    if not report.ok:
        return None, report
    return batch_store(by=by, records=report.records, unit=unit, category=category,
                       kind=kind, name=name or ", ".join(n for n, _d in files)[:200]), report


def batch_store(*, by, records, unit, category: str, kind: str,
                name: str) -> ImportBatch:
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=kind, created_by=by, name=name[:200], unit=unit, category=category,
            payload=json.dumps(records, ensure_ascii=False))
        audit_record(actor=by, action="interop.batch.prepare", obj=batch,
                     after={"kind": kind, "name": batch.name})
    return batch


def batch_payload(batch: ImportBatch):
    return json.loads(batch.payload)


def batch_records(batch: ImportBatch) -> list[dict]:
    """The people of a batch (a workbook's payload also holds its units)."""
    payload = batch_payload(batch)
    return payload["records"] if isinstance(payload, dict) else payload


def batch_discard(*, by, batch: ImportBatch) -> None:
    with transaction.atomic():
        batch.status = ImportBatch.Status.DISCARDED
        batch.payload = "[]"
        batch.save(update_fields=["status", "payload"])
        audit_record(actor=by, action="interop.batch.discard", obj=batch)


class BatchStateError(Exception):
    """The batch was already imported or discarded."""


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _person_data(record: dict, keys) -> dict:
    p = record["person"]
    data = {}
    for key in keys:
        value = p.get(key)
        data[key] = _date(value) if key in merge.MONTH_KEYS else value
    return data


def _unit_by_code(code: str | None) -> OrgUnit | None:
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise ValidationError({"unit": _("The unit “%(code)s” does not exist.") % {"code": code}})
    return unit


def _photo_file(b64: str) -> ContentFile:
    return ContentFile(base64.b64decode(b64), name="photo.jpg")


def _replace_subrecords(*, by, person: Person, kind: str, rows: list[dict]) -> None:
    model = people_services.SUBRECORDS[kind][0]
    for pk in model.objects.filter(person=person).values_list("pk", flat=True):
        people_services.subrecord_delete(by=by, person=person, kind=kind, pk=pk)
    for row in rows:
        _add_subrecord(by=by, person=person, kind=kind, row=row)


def _add_subrecord(*, by, person, kind, row):
    data = dict(row)
    for key in ("start", "end", "date", "birth_date"):
        if key in data:
            data[key] = _date(data[key])
    people_services.subrecord_add(by=by, person=person, kind=kind, data=data)


def apply_record(*, by, record: dict, diff: merge.PersonDiff, unit: OrgUnit | None,
                 category: str) -> Person | None:
    """Write one compared record: create, or apply its new and changed parts."""
    chosen = {(c.section, c.key) for c in diff.changes if c.kind != "conflict"}
    if not chosen:
        return None
    if diff.person_id is None:
        registry = record.get("registry") or {}
        unit = _unit_by_code(registry.get("unit")) or unit
        if unit is None:
            raise ValidationError({"unit": _("Choose the unit that new people join.")})
        keys = [k for k in merge.PERSON_KEYS if record["person"].get(k) not in (None, "")]
        data = _person_data(record, keys)
        data.update(unit=unit,
                    category=registry.get("category") or category or PersonCategory.MANAGED)
        data.update({k: registry[k] for k in ("phone", "post_level") if registry.get(k)})
        photo = _photo_file(record["photo"]) if record.get("photo") else None
        person = people_services.person_create(by=by, data=data, photo=photo)
    else:
        person = Person.objects.get(pk=diff.person_id)
        keys = [key for section, key in chosen if section == "person"]
        data = _person_data(record, keys)
        for section, key in chosen:
            if section == "registry":
                value = record["registry"][key]
                data[key] = _unit_by_code(value) if key == "unit" else value
        photo = _photo_file(record["photo"]) if ("photo", "photo") in chosen else None
        if data or photo:
            person = people_services.person_update(by=by, person=person, data=data,
                                                   photo=photo)
    for kind in ("resume", "family", "rewards"):
        if (kind, kind) in chosen:
            _replace_subrecords(by=by, person=person, kind=kind, rows=record.get(kind, []))
    for row in record.get("assessments", []):
        if ("assessments", str(row["year"])) not in chosen:
            continue
        old = AnnualAssessment.objects.filter(person=person, year=row["year"]).first()
        if old:
            people_services.subrecord_delete(by=by, person=person, kind="assessments",
                                             pk=old.pk)
        _add_subrecord(by=by, person=person, kind="assessments", row=row)
    extras = {key: record["extras"][key] for section, key in chosen if section == "extras"}
    if extras:
        form_sheet_update(by=by, person=person, fields=extras)
    return person


def form_sheet_update(*, by, person: Person, fields: dict) -> FormSheet:
    with transaction.atomic():
        sheet, _created = FormSheet.objects.select_for_update().get_or_create(person=person)
        before = dict(sheet.fields)
        sheet.fields = {**sheet.fields, **fields}
        sheet.save()
        audit_record(actor=by, action="interop.form_sheet.update", obj=person,
                     before={k: before.get(k) for k in fields}, after=fields)
    return sheet


def _no_tick(n: int = 1) -> None:
    return None


def records_apply(*, by, records: list[dict], unit, category: str,
                  choices: dict[int, bool] | None = None, source: str = "",
                  tick=_no_tick) -> dict:
    """Compare and write in one transaction; returns counts. ``choices`` maps a record's
    index to apply/skip; without it each record's default (new and changed people) holds."""
    codes = Codes.load()
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    with transaction.atomic():
        bulk = []
        for diff in merge.diff_batch(records, user=by, codes=codes):
            wanted = choices.get(diff.index, False) if choices is not None else diff.default_apply
            if diff.status == "same":
                counts["unchanged"] += 1
                tick()
                continue
            if not (wanted and diff.can_apply):
                counts["skipped"] += 1
                tick()
                continue
            if diff.person_id is None and not records[diff.index].get("photo"):
                bulk.append(records[diff.index])
                continue
            try:
                with transaction.atomic():
                    person = apply_record(by=by, record=records[diff.index], diff=diff,
                                          unit=unit, category=category)
            except ValidationError as exc:
                raise _named(exc, records[diff.index]["source"]) from exc
            if person is not None:
                counts["created" if diff.person_id is None else "updated"] += 1
            tick()
        counts["created"] += bulk_create_records(by=by, records=bulk, unit=unit,
                                                 category=category, tick=tick)
        audit_record(actor=by, action="interop.import.apply", object_type="interop.importbatch",
                     object_repr=source[:200], after={"source": source, **counts})
    return counts


BULK_SIZE = 500


def bulk_create_records(*, by, records: list[dict], unit, category: str,
                        tick=_no_tick) -> int:
    """New people without a photo, written in bulk: a workbook of 10,000 people would take
    minutes one person at a time. The checks are those of ``person_create`` and
    ``subrecord_add`` (the readers already checked ID numbers and code values); the audit
    log gets one entry per 500 people listing them."""
    from .bulk import build_people

    created = 0
    for chunk in merge._chunks(records, BULK_SIZE):
        people, children, sheets = build_people(chunk, unit=unit, category=category,
                                                unit_by_code=_unit_by_code)
        Person.objects.bulk_create(people, batch_size=BULK_SIZE)
        for person, rows in zip(people, children, strict=True):
            for row in rows:
                row.person_id = person.pk
        for model, objs in _group(r for rows in children for r in rows).items():
            model.objects.bulk_create(objs, batch_size=1000)
        FormSheet.objects.bulk_create(
            [FormSheet(person=p, fields=f) for p, f in zip(people, sheets, strict=True) if f])
        audit_record(actor=by, action="interop.import.bulk_create",
                     object_type="people.person", object_repr=str(len(people)),
                     after={"people": [p.pk for p in people], "count": len(people)})
        created += len(people)
        tick(len(people))
    return created


def _group(rows):
    out: dict = {}
    for row in rows:
        out.setdefault(type(row), []).append(row)
    return out


def _named(exc: ValidationError, source: str) -> ValidationError:
    """A service's field errors, prefixed with the file so the message says where."""
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return ValidationError({key: [_("%(file)s: %(message)s") % {"file": source, "message": m}
                                  for m in msgs] for key, msgs in fields.items()})


def batch_apply(*, by, batch: ImportBatch, choices: dict[int, bool] | None = None,
                tick=_no_tick) -> dict:
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.PREVIEW:
            raise BatchStateError(_("This batch was already imported or discarded."))
        _check_target(by, locked.unit, locked.category)
        if locked.kind == ImportBatch.Kind.WORKBOOK:
            counts = workbook_apply_payload(by=by, payload=batch_payload(locked),
                                            unit=locked.unit, category=locked.category,
                                            choices=choices, source=locked.name,
                                            tick=tick)
        else:
            counts = records_apply(by=by, records=batch_records(locked), unit=locked.unit,
                                   category=locked.category, choices=choices,
                                   source=locked.name, tick=tick)
        locked.status = ImportBatch.Status.IMPORTED
        locked.result = counts
        # The parsed records are no longer needed once written: keep only the counts.
        locked.payload = "[]"
        locked.save(update_fields=["status", "result", "payload"])
    batch.refresh_from_db()
    return counts


def export_logged(*, by, what: str, count: int, detail: dict | None = None) -> None:
    """Exports of personal data are audited like the people list's."""
    audit_record(actor=by, action=f"interop.export.{what}", object_type="people.person",
                 object_repr=str(count), after={"count": count, **(detail or {})})


def max_upload_bytes() -> int:
    return getattr(settings, "ZUGONG_IMPORT_MAX_BYTES", 100 * 1024 * 1024)


# ---------------------------------------------------------------- the workbook
# The file format is read in workbook.py; preparing a batch, checking the units and
# importing are the batch lifecycle, so they live here.

def _unit_row_problem(by, row: dict, new_codes: set[str], allowed: set[int] | None) -> str:
    """Why a B01 row that names an unregistered unit cannot be created (empty: it can).

    ``new_codes`` are the units created by earlier rows; ``allowed`` the units the user may
    change (None for the command line). The dry run and the import both ask this, so a
    file that passes the check does not fail the import on its units.
    """
    where = {"row": row["row"], "code": row["code"], "parent": row["parent"]}
    if by is not None and not has_cap(by, Cap.UNITS_CHANGE):
        return _("Sheet B01, row %(row)s: the unit %(code)s is not registered and you may "
                 "not create units.") % where
    if not row["parent"]:
        if by is None or has_cap(by, Cap.DEPARTMENTS_CREATE):
            return ""
        return _("Sheet B01, row %(row)s: the unit %(code)s has no parent unit, and only "
                 "whoever may create departments may add a top unit.") % where
    if row["parent"] in new_codes:
        return ""
    parent = OrgUnit.objects.filter(code=row["parent"]).values_list("pk", flat=True).first()
    if parent is None or (allowed is not None and parent not in allowed):
        return _("Sheet B01, row %(row)s: the parent unit %(parent)s does not exist or is "
                 "outside your scope.") % where
    return ""


def _allowed_units(by) -> set[int] | None:
    if by is None:
        return None
    return set(unit_choices(user=by, cap=Cap.UNITS_CHANGE).values_list("pk", flat=True))


def _unit_kind(row: dict) -> str:
    if row["kind"]:
        return UNIT_KIND_NAMES.get(row["kind"], UnitKind.OTHER)
    # A top unit without a category is the department being started.
    return UnitKind.OTHER if row["parent"] else UnitKind.ORG_DEPT


def units_apply(*, by, units: list[dict]) -> int:
    """Sheet B01: units not yet registered are created under their parent, in file order."""
    created, new_codes, allowed = 0, set(), _allowed_units(by)
    for row in units:
        if OrgUnit.objects.filter(code=row["code"]).exists():
            continue
        problem = _unit_row_problem(by, row, new_codes, allowed)
        if problem:
            raise ValidationError({"B01": problem})
        parent = OrgUnit.objects.filter(code=row["parent"]).first() if row["parent"] else None
        people_services.unit_create(by=by, parent=parent, name=row["name"],
                                    kind=_unit_kind(row), code=row["code"])
        new_codes.add(row["code"])
        created += 1
    return created


def units_to_create(units: list[dict]) -> list[dict]:
    """The B01 rows whose unit is not registered yet (what the import will create)."""
    known = set(OrgUnit.objects.filter(code__in=[u["code"] for u in units])
                .values_list("code", flat=True))
    return [u for u in units if u["code"] not in known]


class _TrialOver(Exception):
    """Raised at the end of a trial import to roll it back."""


def trial_problems(apply) -> list[str]:
    """Run the real import (``apply``) and roll it back: what it would refuse.

    The dry run used to check the cells only, so a file could pass the check and then fail
    the import (a B01 parent that did not exist). Running the import itself is the one way
    the check can never fall behind the import's rules.
    """
    try:
        with transaction.atomic():
            apply()
            raise _TrialOver
    except _TrialOver:
        return []
    except ValidationError as exc:
        return exc.messages


def _without_photos(records: list[dict]) -> list[dict]:
    # A trial must not write photo files that its rollback cannot remove; photos were
    # checked when the files were read.
    return [{**r, "photo": None} if r.get("photo") else r for r in records]


def records_check(by, report: BatchReport, *, unit, category: str) -> None:
    """The import's own refusals of readable LRMX records, as problems on ``report``."""
    records = _without_photos(report.records)
    report.problems.extend(trial_problems(lambda: records_apply(
        by=by, records=records, unit=unit, category=category)))


def workbook_check(by, report: WorkbookReport, *, unit, category: str) -> None:
    """Every check of the import, as problems on ``report``: units, then a trial import."""
    workbook_units_check(by, report)
    if report.ok:
        payload = {"units": report.units, "records": report.records}
        report.problems.extend(trial_problems(lambda: workbook_apply_payload(
            by=by, payload=payload, unit=unit, category=category)))


def workbook_prepare(*, by, data: bytes, name: str, unit, category: str):
    """The dry run: every bad cell, or a stored batch for preview."""
    _check_target(by, unit, category)
    report = read_workbook(data)
    if report.ok:
        workbook_check(by, report, unit=unit, category=category)
    if not report.ok:
        if not report.problems:
            report.problems.append(_("The workbook contains no people."))
        return None, report
    payload = {"units": report.units, "records": report.records}
    batch = batch_store(by=by, records=payload, unit=unit, category=category,
                                 kind=ImportBatch.Kind.WORKBOOK, name=name)
    return batch, report


def workbook_units_check(by, report: WorkbookReport) -> None:
    """Every B01 unit to create must have a parent the user may use (or be a top unit the
    user may add), and every person's unit code must be registered (or created by B01) and
    writable."""
    created: set[str] = set()
    allowed_units = _allowed_units(by) if report.units else None
    for row in units_to_create(report.units):
        problem = _unit_row_problem(by, row, created, allowed_units)
        if problem:
            report.problems.append(problem)
        else:
            created.add(row["code"])
    new_codes = {u["code"] for u in report.units}
    known = dict(OrgUnit.objects.filter(
        code__in={r["registry"]["unit"] for r in report.records}).values_list("code", "pk"))
    allowed = None
    if by is not None:
        allowed = set(unit_choices(user=by, cap=Cap.PEOPLE_CHANGE).values_list("pk", flat=True))
    for r in report.records:
        code = r["registry"]["unit"]
        if code in new_codes:
            continue
        if code not in known or (allowed is not None and known[code] not in allowed):
            report.problems.append(_("%(where)s, column 所在单位代码: the unit “%(code)s” does "
                                     "not exist or is outside your scope.")
                                   % {"where": r["source"], "code": code})


def workbook_apply_payload(*, by, payload: dict, unit, category, choices=None,
                           source="", tick=_no_tick) -> dict:
    with transaction.atomic():
        created_units = units_apply(by=by, units=payload.get("units", []))
        counts = records_apply(by=by, records=payload["records"], unit=unit,
                                        category=category, choices=choices, source=source,
                                        tick=tick)
    return {**counts, "units": created_units}
