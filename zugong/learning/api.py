"""API of the learning area: records, their review, regimes and compliance.

The same selectors and services as the pages, so the same scope rules apply.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from zugong.core import metrics
from zugong.core.paging import api_page, page_schema
from zugong.core.periods import Period
from zugong.people.access import department_get_for_user, has_cap, person_for_filter
from zugong.people.models import Person

from . import selectors, services
from .access import Cap, can_manage_regime
from .compliance import Status as ComplianceStatus
from .models import RECORD_MODELS
from .selectors import RecordFilters

router = Router(tags=["learning"])


class RecordOut(Schema):
    id: int
    kind: str
    person_id: int
    person: str
    on: dt.date
    status: str
    return_reason: str
    version: int
    hours: Decimal | None = None
    form: str | None = None
    topic: str | None = None
    title: str | None = None
    char_count: int | None = None
    is_paper: bool | None = None
    author: str | None = None
    from_reading_list: bool | None = None
    writing_kind: str | None = None
    outlet: str | None = None
    outlet_level: str | None = None
    link: str | None = None
    has_file: bool | None = None


class RecordQuery(Schema):
    kind: str = "study"
    person: int | None = None
    status: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    # Strings, so that a bad value reaches parse_paging and gets its 422 message.
    cursor: str | None = None
    limit: str | None = None
    offset: str | None = None


class RecordIn(Schema):
    kind: str
    person_id: int | None = None
    on: dt.date
    hours: Decimal | None = None
    form: str = "self"
    topic: str = ""
    materials: str = ""
    title: str = ""
    text: str = ""
    is_paper: bool = False
    char_count: int | None = None
    author: str = ""
    reading_item_id: int | None = None
    summary: str = ""
    writing_kind: str = ""
    outlet: str = ""
    outlet_level: str = ""
    link: str = ""


class RecordPatch(Schema):
    version: int
    on: dt.date | None = None
    hours: Decimal | None = None
    form: str | None = None
    topic: str | None = None
    materials: str | None = None
    title: str | None = None
    text: str | None = None
    char_count: int | None = None
    author: str | None = None
    summary: str | None = None
    outlet: str | None = None
    outlet_level: str | None = None
    link: str | None = None


class RecordKey(Schema):
    kind: str
    id: int


class ReviewIn(Schema):
    records: list[RecordKey]
    decision: str
    reason: str = ""


class RuleOut(Schema):
    id: int
    series: int
    metric: str
    threshold: Decimal
    period: str
    days: str = "working"
    categories: list[str]
    roles: list[str]
    section_ids: list[int]
    valid_from: dt.date
    valid_to: dt.date | None = None
    note: str


class RegimeOut(Schema):
    id: int
    department_id: int
    name: str
    preset: str
    count_unconfirmed: bool
    remind_days: int
    copy_threshold: Decimal
    rules: list[RuleOut]


class RuleIn(Schema):
    metric: str = ""
    threshold: Decimal | None = None
    period: str
    valid_from: dt.date
    categories: list[str] = []
    roles: list[str] = []
    section_ids: list[int] = []
    note: str = ""
    days: str = "working"  # a daily rule counts working days, or "calendar" days


class MetricOut(Schema):
    key: str
    label: str
    unit: str


class ComplianceQuery(Schema):
    dept: int | None = None
    period: str = ""
    unit: int | None = None
    person: int | None = None


class ComplianceRow(Schema):
    person_id: int
    person: str
    rule: int
    metric: str
    period: str
    target: Decimal
    actual: Decimal
    shortfall: Decimal
    status: str
    status_label: str
    records: str


def _record_out(record) -> dict:
    kind = record.record_kind
    data = {"id": record.pk, "kind": kind, "person_id": record.person_id,
            "person": record.person.name, "on": record.on, "status": record.status,
            "return_reason": record.return_reason, "version": record.version}
    if kind == "study":
        data.update(hours=record.hours, form=record.form, topic=record.topic)
    elif kind == "note":
        data.update(title=record.title, char_count=record.char_count, is_paper=record.is_paper)
    elif kind == "book":
        data.update(title=record.title, author=record.author,
                    from_reading_list=record.reading_item_id is not None)
    else:
        data.update(title=record.title, writing_kind=record.kind, outlet=record.outlet,
                    outlet_level=record.outlet_level, link=record.link,
                    has_file=bool(record.file))
    return data


def _record_data(kind: str, payload: dict, person: Person | None) -> dict:
    data = dict(payload)
    if kind == "writing" and "writing_kind" in data:
        data["kind"] = data.pop("writing_kind")
    if "reading_item_id" in data:
        item_id = data.pop("reading_item_id")
        data["reading_item"] = None
        if item_id and person is not None:
            data["reading_item"] = selectors.reading_item_for(person, item_id)
            if data["reading_item"] is None:
                raise ValidationError({"reading_item_id": [_("No such book on the reading "
                                                             "list of the department.")]})
    return data


@router.get("/learning/metrics", response=list[MetricOut], summary="Registered metrics")
def list_metrics(request):
    if not has_cap(request.user, Cap.LEARNING_VIEW):
        raise PermissionDenied
    return [{"key": m.key, "label": str(m.label), "unit": str(m.unit)}
            for m in metrics.registered()]


@router.get("/learning/records", response=page_schema(RecordOut),
            summary="Learning records in scope, one page at a time")
def list_records(request, query: Query[RecordQuery]):
    params = query.dict()
    paging = {k: params.pop(k) for k in ("cursor", "limit", "offset")}
    filters = RecordFilters.from_params({k: str(v) if v is not None else ""
                                         for k, v in params.items()})
    qs = selectors.record_list(user=request.user, filters=filters)
    return api_page(qs, order=("-on", "-id"), params=paging, item=_record_out)


@router.get("/learning/records/{kind}/{record_id}", response=RecordOut)
def get_record(request, kind: str, record_id: int):
    return _record_out(selectors.record_get_for_user(request.user, kind, record_id))


@router.post("/learning/records", response={201: RecordOut})
def create_record(request, payload: RecordIn):
    if payload.kind not in RECORD_MODELS:
        raise ValidationError({"kind": [_("Unknown kind of record.")]})
    if not has_cap(request.user, Cap.LEARNING_VIEW):
        raise PermissionDenied
    data = payload.dict()
    person_id = data.pop("person_id") or request.user.person_id
    person = selectors.people_for_recording(user=request.user).filter(pk=person_id).first()
    if person is None:
        raise ValidationError({"person_id": [_("You may not record for this person.")]})
    kind = data.pop("kind")
    record = services.record_create(by=request.user, kind=kind, person=person,
                                    data=_record_data(kind, data, person))
    return Status(201, _record_out(record))


@router.patch("/learning/records/{kind}/{record_id}", response=RecordOut)
def update_record(request, kind: str, record_id: int, payload: RecordPatch):
    record = selectors.record_get_for_user(request.user, kind, record_id, write=True)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    record = services.record_update(by=request.user, record=record, version=version,
                                    data=_record_data(kind, data, record.person))
    return _record_out(record)


@router.delete("/learning/records/{kind}/{record_id}", response={204: None},
               summary="Delete a record into the recycle bin")
def delete_record(request, kind: str, record_id: int):
    record = selectors.record_get_for_user(request.user, kind, record_id, write=True)
    services.record_delete(by=request.user, record=record)
    return Status(204, None)


_FILE_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file", "version"],
    "properties": {"file": {"type": "string", "format": "binary"},
                   "version": {"type": "integer"}}}}}}}


@router.post("/learning/records/writing/{record_id}/file", response=RecordOut,
             openapi_extra=_FILE_BODY,
             summary="Attach a file to a writing (multipart: file, version)")
def attach_writing_file(request, record_id: int):
    # The body is read here rather than declared as parameters, so that scope is checked
    # first: someone out of scope gets the same 404 whatever they send.
    record = selectors.record_get_for_user(request.user, "writing", record_id, write=True)
    upload = request.FILES.get("file")
    version = request.POST.get("version", "")
    errors = {}
    if upload is None:
        errors["file"] = [_("Attach the file.")]
    if not version.isdigit():
        errors["version"] = [_("Give the version of the record you changed.")]
    if errors:
        raise ValidationError(errors)
    record = services.record_update(by=request.user, record=record, version=int(version),
                                    data={"file": upload})
    return _record_out(record)


@router.post("/learning/records/review", response={200: list[RecordOut]})
def review_records(request, payload: ReviewIn):
    if payload.decision not in ("confirm", "return"):
        raise ValidationError({"decision": [_("Say confirm or return.")]})
    if not payload.records:
        raise ValidationError({"records": [_("Choose the records to confirm or return.")]})
    records = selectors.records_get_for_user(request.user,
                                             [(key.kind, key.id) for key in payload.records])
    services.record_review(by=request.user, records=records,
                           confirm=payload.decision == "confirm", reason=payload.reason)
    return [_record_out(r) for r in records]


def _regime_out(regime) -> dict:
    rules = regime.rules.prefetch_related("sections").order_by("series", "valid_from")
    return {"id": regime.pk, "department_id": regime.department_id, "name": regime.name,
            "preset": regime.preset, "count_unconfirmed": regime.count_unconfirmed,
            "remind_days": regime.remind_days, "copy_threshold": regime.copy_threshold,
            "rules": [{"id": r.pk, "series": r.series, "metric": r.metric,
                       "threshold": r.threshold, "period": r.period, "days": r.days,
                       "categories": r.categories, "roles": r.roles,
                       "section_ids": [s.pk for s in r.sections.all()],
                       "valid_from": r.valid_from, "valid_to": r.valid_to, "note": r.note}
                      for r in rules]}


@router.get("/learning/regimes/{dept_id}", response=RegimeOut,
            summary="The department's regime in force, every version of every rule")
def get_regime(request, dept_id: int):
    dept = department_get_for_user(request.user, dept_id, Cap.LEARNING_VIEW)
    regime = selectors.regime_of(dept)
    if regime is None:
        raise Http404
    return _regime_out(regime)


@router.post("/learning/regimes/{dept_id}/rules", response={201: RuleOut})
def add_rule(request, dept_id: int, payload: RuleIn):
    dept = department_get_for_user(request.user, dept_id, Cap.LEARNING_VIEW)
    if not can_manage_regime(request.user, dept):
        raise PermissionDenied
    regime = selectors.regime_of(dept)
    if regime is None:
        raise ValidationError({"dept": [_("The department has no learning regime yet.")]})
    data = payload.dict(exclude={"section_ids"})
    sections = list(selectors.section_choices(dept).filter(pk__in=payload.section_ids))
    rule = services.rule_add(by=request.user, regime=regime, sections=sections, **data)
    return Status(201, next(r for r in _regime_out(regime)["rules"] if r["id"] == rule.pk))


@router.get("/learning/compliance", response=list[ComplianceRow],
            summary="Target, actual and status per person and rule for a period")
def get_compliance(request, query: Query[ComplianceQuery]):
    dept = department_get_for_user(request.user, query.dept, Cap.LEARNING_VIEW)
    try:
        window = Period.parse(query.period or str(timezone.localdate().year))
    except ValueError as exc:
        raise ValidationError({"period": [_("Give the period as 2026, 2026-H2, 2026-Q3, "
                                            "2026-07, 2026-W27 or 2026-07-01.")]}) from exc
    # The regime that governed the period, not necessarily the one in force today.
    regime = selectors.regime_for_window(dept, window)
    if regime is None:
        return []
    unit = None
    if query.unit:
        # Only a section of the department: anything else is "not found".
        unit = get_object_or_404(selectors.section_choices(dept), pk=query.unit)
    if query.person:
        person_for_filter(request.user, Cap.LEARNING_VIEW, query.person)
    result = selectors.department_compliance(user=request.user, regime=regime,
                                             windows=[window], unit=unit)
    rows = []
    for subject in result.subjects:
        if query.person and subject.pk != query.person:
            continue
        for series in result.series:
            cell = result.cell(subject.pk, series.number, window)
            if cell is None:
                continue
            rows.append({"person_id": subject.pk, "person": subject.name,
                         "rule": series.number, "metric": series.current.metric,
                         "period": cell.window.key, "target": cell.target,
                         "actual": cell.actual, "shortfall": cell.shortfall,
                         "status": cell.status,
                         "status_label": str(ComplianceStatus(cell.status).label),
                         "records": cell.url})
    return rows
