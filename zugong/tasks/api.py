"""API of the task ledger: tasks in scope, one task with its ledger, progress entries and
the weekly dispatch list. Same selectors and services as the pages."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from zugong.core.paging import api_page, page_schema
from zugong.people.access import has_cap, require_cap

from . import selectors, services
from .access import Cap

router = Router(tags=["tasks"])


class EntryOut(Schema):
    id: int
    on: dt.date
    kind: str
    text: str
    percent: int | None = None
    new_deadline: dt.date | None = None


class TaskOut(Schema):
    id: int
    title: str
    section_id: int
    section: str
    lead_id: int
    lead: str
    deputy_id: int | None = None
    source: str
    weight: float
    start: dt.date
    deadline: dt.date
    # The deadline when assigned: the on-time rate measures against it.
    original_deadline: dt.date
    # Who answers for the deadline (the lead, or the lead at the deadline after a late
    # handover), the completion date and a backdated date awaiting approval.
    deadline_lead_id: int
    done_on: dt.date | None = None
    done_claimed_on: dt.date | None = None
    status: str
    progress: int
    last_update_on: dt.date | None = None
    parent_id: int | None = None
    # Send it back with an edit: a stale version answers 409.
    version: int


class TaskDetailOut(TaskOut):
    entries: list[EntryOut]


class EntryIn(Schema):
    on: dt.date
    text: str
    percent: int | None = None
    # The task's version the client read; without it, or when the task changed since, 409.
    version: int | None = None


def _out(t) -> dict:
    return {"id": t.pk, "title": t.title, "section_id": t.section_id,
            "section": t.section.name, "lead_id": t.lead_id, "lead": t.lead.name,
            "deputy_id": t.deputy_id, "source": t.source, "weight": float(t.weight),
            "start": t.start, "deadline": t.deadline,
            "original_deadline": t.original_deadline,
            "deadline_lead_id": t.deadline_lead_id or t.lead_id, "done_on": t.done_on,
            "done_claimed_on": t.done_claimed_on, "status": t.status,
            "progress": t.progress, "last_update_on": t.last_update_on,
            "parent_id": t.parent_id, "version": t.version}


def _entries(task) -> list[dict]:
    return [{"id": e.pk, "on": e.on, "kind": e.kind, "text": e.text, "percent": e.percent,
             "new_deadline": e.new_deadline} for e in selectors.entries(task)]


@router.get("/tasks", response=page_schema(TaskOut))
def list_tasks(request, status: str = "", year: int | None = None,
               cursor: str | None = None, limit: str | None = None,
               offset: str | None = None):
    """Tasks in scope, by deadline; one page, ``next`` is the cursor of the following."""
    qs = selectors.tasks_for(request.user)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    return api_page(qs, order=selectors.TASK_ORDER, item=_out,
                    params={"cursor": cursor, "limit": limit, "offset": offset})


@router.get("/tasks/{task_id}", response=TaskDetailOut)
def get_task(request, task_id: int):
    task = selectors.task_get_for_user(request.user, task_id)
    return {**_out(task), "entries": _entries(task)}


@router.delete("/tasks/{task_id}", response={204: None},
               summary="Delete a task entered by mistake into the recycle bin")
def delete_task(request, task_id: int):
    task = selectors.task_get_for_user(request.user, task_id)
    services.task_delete(by=request.user, task=task)
    return Status(204, None)


@router.post("/tasks/{task_id}/entries", response={201: EntryOut})
def add_entry(request, task_id: int, payload: EntryIn):
    task = selectors.task_get_for_user(request.user, task_id, write=True)
    e = services.entry_add(by=request.user, task=task, on=payload.on, text=payload.text,
                           percent=payload.percent, version=payload.version)
    return Status(201, {"id": e.pk, "on": e.on, "kind": e.kind, "text": e.text,
                        "percent": e.percent, "new_deadline": e.new_deadline})


class DispatchOut(TaskOut):
    light: str
    stale: bool


@router.get("/tasks-dispatch", response=page_schema(DispatchOut))
def dispatch_list(request, cursor: str | None = None, limit: str | None = None,
                  offset: str | None = None):
    """The weekly dispatch list: open tasks by section, with light and "no update"."""
    if not has_cap(request.user, Cap.TASKS_LEAD):
        raise PermissionDenied
    row = selectors.dispatch_row_maker()
    return api_page(selectors.dispatch_tasks(user=request.user),
                    order=selectors.DISPATCH_ORDER,
                    params={"cursor": cursor, "limit": limit, "offset": offset},
                    item=lambda t: {**_out(t), "light": (r := row(t)).light, "stale": r.stale})


class InquiryOut(Schema):
    id: int
    channel: str
    received_on: dt.date
    first_receiver_id: int
    handled_by_id: int | None = None
    inquirer: str
    question: str
    due: dt.date
    reply: str
    closed_on: dt.date | None = None
    satisfaction: str
    escalated: bool


class InquiryIn(Schema):
    channel: str
    received_on: dt.date
    inquirer: str
    question: str
    due: dt.date
    handled_by_id: int | None = None


def _inquiry_out(i) -> dict:
    return {"id": i.pk, "channel": i.channel, "received_on": i.received_on,
            "first_receiver_id": i.first_receiver_id, "handled_by_id": i.handled_by_id,
            "inquirer": i.inquirer, "question": i.question, "due": i.due, "reply": i.reply,
            "closed_on": i.closed_on, "satisfaction": i.satisfaction,
            "escalated": i.escalated}


@router.get("/inquiries", response=page_schema(InquiryOut))
def list_inquiries(request, open_only: bool = False, cursor: str | None = None,
                   limit: str | None = None, offset: str | None = None):
    qs = selectors.inquiries_for(request.user)
    if open_only:
        qs = qs.filter(closed_on__isnull=True)
    return api_page(qs, order=selectors.INQUIRY_ORDER, item=_inquiry_out,
                    params={"cursor": cursor, "limit": limit, "offset": offset})


@router.post("/inquiries", response={201: InquiryOut})
def create_inquiry(request, payload: InquiryIn):
    require_cap(request.user, Cap.TASKS_VIEW)
    handled_by = None
    if payload.handled_by_id is not None:
        handled_by = selectors.colleagues(request.user).filter(pk=payload.handled_by_id).first()
        if handled_by is None:
            raise ValidationError({"handled_by_id": [_("Choose a colleague.")]})
    inq = services.inquiry_add(by=request.user, channel=payload.channel,
                               received_on=payload.received_on, inquirer=payload.inquirer,
                               question=payload.question, due=payload.due,
                               handled_by=handled_by)
    return Status(201, _inquiry_out(inq))
