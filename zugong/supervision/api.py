"""API of supervision: measures and personal-matter reports.

Lists carry what, who and when; the content (facts, replies, report items) is only in a
single record's answer, and each such read is audited as on the pages."""

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema, Status

from zugong.core.paging import api_page, page_schema

from . import selectors, services
from .access import Cap, require_cap
from .selectors import LEAD_ORDER, MEASURE_ORDER, REPORT_ORDER, MeasureFilters

router = Router(tags=["supervision"])


class SupervisionMeasureOut(Schema):
    id: int
    person_id: int
    person: str
    kind: str
    form: int
    source: str
    on: dt.date
    reply_due: dt.date | None
    replied_on: dt.date | None
    verdict: str
    promotion_barred_until: dt.date | None


class SupervisionMeasureDetail(SupervisionMeasureOut):
    facts: str
    reply: str
    outcome: str


class SupervisionMeasureIn(Schema):
    person_id: int
    kind: str
    form: int = 1
    source: str
    on: dt.date
    facts: str
    reply_due: dt.date | None = None
    impact_months: int | None = None


class SupervisionReportOut(Schema):
    id: int
    person_id: int
    person: str
    kind: str
    year: int
    on: dt.date
    due_on: dt.date
    on_time: bool
    check_result: str


class SupervisionListQuery(Schema):
    kind: str = ""
    person: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    unit: str = ""  # the people of that unit's subtree (404 outside the caller's scope)
    # Strings, so that a bad value reaches parse_paging and gets the Chinese 422.
    cursor: str | None = None
    limit: str | None = None
    offset: str | None = None


def _measure_out(m) -> dict:
    return {"id": m.pk, "person_id": m.person_id, "person": m.person.name, "kind": m.kind,
            "form": m.form, "source": m.source, "on": m.on, "reply_due": m.reply_due,
            "replied_on": m.replied_on, "verdict": m.verdict,
            "promotion_barred_until": m.impact_until}


def _report_out(r) -> dict:
    return {"id": r.pk, "person_id": r.person_id, "person": r.person.name, "kind": r.kind,
            "year": r.year, "on": r.on, "due_on": r.due_on, "on_time": r.on_time,
            "check_result": r.check_result}


def _paging(q) -> dict:
    return {"cursor": q.cursor, "limit": q.limit, "offset": q.offset}


@router.get("/supervision/measures", response=page_schema(SupervisionMeasureOut))
def list_supervision_measures(request, q: Query[SupervisionListQuery]):
    """One page of measures in the caller's scope, newest first (no content)."""
    qs = selectors.measure_list(user=request.user, filters=MeasureFilters(
        kind=q.kind, person=q.person, start=q.start, end=q.end, unit=q.unit))
    return api_page(qs, order=MEASURE_ORDER, params=_paging(q), item=_measure_out)


@router.get("/supervision/measures/{measure_id}", response=SupervisionMeasureDetail)
def get_supervision_measure(request, measure_id: int):
    """One measure with its content; the read is audited."""
    m = selectors.measure_get_for_user(request.user, measure_id)
    services.content_read(by=request.user, record=m)
    return {**_measure_out(m), "facts": m.facts, "reply": m.reply, "outcome": m.outcome}


@router.post("/supervision/measures", response={201: SupervisionMeasureOut})
def create_supervision_measure(request, payload: SupervisionMeasureIn):
    require_cap(request.user, Cap.SUPERVISION_MANAGE)
    # Out of scope and missing get the same answer: the id is looked up in scope only.
    person = selectors.person_to_manage(user=request.user, pk=payload.person_id)
    if person is None:
        raise ValidationError({"person_id": [services.out_of_scope_message()]})
    data = payload.dict()
    data.pop("person_id")
    m = services.measure_record(by=request.user, person=person, **data)
    return Status(201, _measure_out(selectors.measure_get_for_user(request.user, m.pk)))


@router.get("/supervision/reports", response=page_schema(SupervisionReportOut))
def list_supervision_reports(request, q: Query[SupervisionListQuery]):
    """One page of personal-matter reports: one's own, and those in scope (no content)."""
    qs = selectors.report_list(user=request.user, person=q.person, unit=q.unit, start=q.start,
                               end=q.end)
    return api_page(qs, order=REPORT_ORDER, params=_paging(q), item=_report_out)


class SupervisionLeadOut(Schema):
    id: int
    person_id: int
    person: str
    partner: str
    on: dt.date
    status: str
    verified_on: dt.date | None
    closed_on: dt.date | None
    conclusion: str


class LeadListQuery(Schema):
    status: str = ""
    person: str = ""
    unit: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    cursor: str | None = None
    limit: str | None = None
    offset: str | None = None


@router.get("/supervision/leads", response=page_schema(SupervisionLeadOut))
def list_supervision_leads(request, q: Query[LeadListQuery]):
    """One page of joint-supervision leads in the caller's scope, newest first (no
    content: what a lead says and what was found stay on its page)."""
    qs = selectors.lead_list(user=request.user, status=q.status, person=q.person,
                             unit=q.unit, start=q.start, end=q.end)
    return api_page(qs, order=LEAD_ORDER, params=_paging(q), item=lambda lead: {
        "id": lead.pk, "person_id": lead.person_id, "person": lead.person.name,
        "partner": lead.partner.name, "on": lead.on, "status": lead.status,
        "verified_on": lead.verified_on, "closed_on": lead.closed_on,
        "conclusion": lead.conclusion})
