"""API endpoints of import and export; the same services and selectors as the pages."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zugong.core.versioning import ConflictError
from zugong.people.selectors import unit_choices

from . import exports, merge, printform, selectors, services
from .access import Cap
from .models import ImportBatch

router = Router(tags=["interop"])


class ChangeOut(Schema):
    section: str
    key: str
    label: str
    old: str
    new: str
    kind: str


class PersonDiffOut(Schema):
    index: int
    source: str
    name: str
    status: str
    person_id: int | None = None
    matched_by: str
    blocking: str
    can_apply: bool
    default_apply: bool
    changes: list[ChangeOut]
    uncertain: list[dict]


class BatchOut(Schema):
    id: int
    kind: str
    status: str
    name: str
    result: dict
    people: list[PersonDiffOut]


class ConfirmIn(Schema):
    apply: list[int] | None = None


class CountsOut(Schema):
    created: int
    updated: int
    unchanged: int
    skipped: int
    units: int = 0


class FormQuery(Schema):
    at: dt.date | None = None


def _batch_out(user, batch: ImportBatch) -> dict:
    people = []
    if batch.status == ImportBatch.Status.PREVIEW:
        for d in merge.diff_batch(services.batch_records(batch), user=user):
            people.append({**d.__dict__, "changes": [c.__dict__ for c in d.changes],
                           "can_apply": d.can_apply, "default_apply": d.default_apply})
    return {"id": batch.pk, "kind": batch.kind, "status": batch.status, "name": batch.name,
            "result": batch.result, "people": people}


@router.post("/interop/batches", response={201: BatchOut},
             summary="Upload LRMX files (or a .zip) or a workbook for preview")
def create_batch(request, files: File[list[UploadedFile]], kind: Form[str] = "lrmx",
                 unit_id: Form[int | None] = None, category: Form[str] = "managed"):
    unit = None
    if not selectors.can_import(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if unit_id is not None:
        unit = unit_choices(user=request.user, cap=Cap.PEOPLE_CHANGE).filter(pk=unit_id).first()
        if unit is None:
            raise ValidationError({"unit_id": _("The unit does not exist or is outside your "
                                                "scope.")})
    if sum(f.size for f in files) > services.max_upload_bytes():
        raise ValidationError({"files": _("The upload is too large.")})
    if kind == ImportBatch.Kind.WORKBOOK:
        if len(files) != 1:
            raise ValidationError({"files": _("Upload exactly one workbook.")})
        batch, report = services.workbook_prepare(by=request.user, data=files[0].read(),
                                                  name=files[0].name, unit=unit,
                                                  category=category)
    elif kind == ImportBatch.Kind.LRMX:
        batch, report = services.batch_prepare(by=request.user,
                                               files=[(f.name, f.read()) for f in files],
                                               unit=unit, category=category)
    else:
        raise ValidationError({"kind": _("Write lrmx or workbook.")})
    if batch is None:
        raise ValidationError({"files": report.problems})
    return Status(201, _batch_out(request.user, batch))


@router.get("/interop/batches/{batch_id}", response=BatchOut,
            summary="A batch with, per person, what is new, changes and conflicts")
def get_batch(request, batch_id: int):
    return _batch_out(request.user, selectors.batch_get_for_user(request.user, batch_id))


@router.post("/interop/batches/{batch_id}/confirm", response=CountsOut,
             summary="Import the chosen people of a batch in one transaction")
def confirm_batch(request, batch_id: int, payload: ConfirmIn):
    batch = selectors.batch_get_for_user(request.user, batch_id)
    choices = None
    if payload.apply is not None:
        wanted = set(payload.apply)
        choices = {i: i in wanted for i in range(len(services.batch_records(batch)))}
    try:
        return services.batch_apply(by=request.user, batch=batch, choices=choices)
    except services.BatchStateError as exc:
        raise ConflictError(str(exc)) from exc


@router.get("/interop/people/{person_id}/lrmx", summary="One person's LRMX file")
def person_lrmx(request, person_id: int):
    person = selectors.person_for_export(request.user, person_id)
    services.export_logged(by=request.user, what="lrmx", count=1, detail={"person": person.pk})
    response = HttpResponse(exports.person_lrmx(person),
                            content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{person.pk}.lrmx"'
    return response


@router.get("/interop/people/{person_id}/form.pdf", summary="The printed appointment form")
def person_form_pdf(request, person_id: int, query: Query[FormQuery]):
    person = selectors.person_for_export(request.user, person_id)
    from django.utils import timezone

    data = printform.form_pdf(merge.person_to_record(person),
                              day=query.at or timezone.localdate())
    services.export_logged(by=request.user, what="form_pdf", count=1,
                           detail={"person": person.pk})
    return HttpResponse(data, content_type="application/pdf")
