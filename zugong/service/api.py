"""API of the service app: problems of the public, visits, 五送 deliveries, 我为群众办实事
practical matters, expert orders and 六联六促 liaisons.

Lists carry what, who and when; what the public said and the evidence are only in a
single record's answer."""

import datetime as dt
from dataclasses import replace

from ninja import Query, Router, Schema, Status

from zugong.core.paging import api_page, page_schema

from . import selectors, services
from .access import Cap, require_cap
from .selectors import ORDER, Filters

router = Router(tags=["service"])


class ServiceProblemOut(Schema):
    id: int
    person_id: int
    person: str
    title: str
    on: dt.date
    status: str
    handler: str
    assigned_on: dt.date | None
    solved_on: dt.date | None
    satisfaction: str
    visit_id: int | None


class ServiceProblemDetail(ServiceProblemOut):
    evidence: str


class ServiceVisitOut(Schema):
    id: int
    person_id: int
    person: str
    kind: str
    mode: str
    on: dt.date
    place: str


class ServiceVisitIn(Schema):
    kind: str
    mode: str = "on_site"
    on: dt.date
    heard: str
    point_id: int | None = None
    household_id: int | None = None
    problem: str = ""


class ServiceListQuery(Schema):
    person: str = ""
    kind: str = ""
    status: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    unit: str = ""  # the records of that unit's people (404 out of scope, as the pages)
    covered: str = ""
    # Strings, so that a bad value reaches parse_paging and gets the Chinese 422.
    cursor: str | None = None
    limit: str | None = None
    offset: str | None = None


def _problem_out(p) -> dict:
    return {"id": p.pk, "person_id": p.person_id, "person": p.person.name, "title": p.title,
            "on": p.on, "status": p.status,
            "handler": p.handler.name if p.handler_id else p.handler_unit,
            "assigned_on": p.assigned_on, "solved_on": p.solved_on,
            "satisfaction": p.satisfaction, "visit_id": p.visit_id}


def _visit_out(v) -> dict:
    return {"id": v.pk, "person_id": v.person_id, "person": v.person.name, "kind": v.kind,
            "mode": v.mode, "on": v.on, "place": v.place}


def _filters(q) -> Filters:
    return Filters(person=q.person, kind=q.kind, status=q.status, start=q.start, end=q.end,
                   unit=q.unit, covered=q.covered)


def _paging(q) -> dict:
    return {"cursor": q.cursor, "limit": q.limit, "offset": q.offset}


@router.get("/service/problems", response=page_schema(ServiceProblemOut))
def list_service_problems(request, q: Query[ServiceListQuery]):
    """One page of problems of the public in the caller's scope, newest first."""
    return api_page(selectors.problem_list(user=request.user, filters=_filters(q)),
                    order=ORDER, params=_paging(q), item=_problem_out)


@router.get("/service/problems/{problem_id}", response=ServiceProblemDetail)
def get_service_problem(request, problem_id: int):
    p = selectors.problem_get_for_user(request.user, problem_id)
    return {**_problem_out(p), "evidence": p.evidence}


@router.get("/service/visits", response=page_schema(ServiceVisitOut))
def list_service_visits(request, q: Query[ServiceListQuery]):
    """One page of visits in the caller's scope, newest first (without what was heard)."""
    return api_page(selectors.visit_list(user=request.user, filters=_filters(q)),
                    order=ORDER, params=_paging(q), item=_visit_out)


@router.post("/service/visits", response={201: ServiceVisitOut})
def create_service_visit(request, payload: ServiceVisitIn):
    """The caller's own visit (and the problem raised on it, if any)."""
    require_cap(request.user, Cap.SERVICE_VIEW)
    person = getattr(request.user, "person", None)
    points, households = selectors.own_pairings(person=person, on=payload.on) \
        if person is not None else (None, None)
    point = points.filter(pk=payload.point_id).first() if points is not None and \
        payload.point_id else None
    household = households.filter(pk=payload.household_id).first() \
        if households is not None and payload.household_id else None
    data = payload.dict()
    data.pop("point_id")
    data.pop("household_id")
    visit = services.visit_record(by=request.user, point=point, household=household, **data)
    return Status(201, _visit_out(selectors.visit_get_for_user(request.user, visit.pk)))


# ---------------------------------------------------------------- 点单式 expert orders


class ServiceOrderOut(Schema):
    id: int
    person_id: int
    person: str
    orderer_kind: str
    orderer: str
    on: dt.date
    status: str
    expert: str
    matched_on: dt.date | None
    delivered_on: dt.date | None
    score: int | None


class ServiceOrderDetail(ServiceOrderOut):
    need: str
    delivery: str


class ServiceOrderIn(Schema):
    orderer_kind: str
    orderer: str
    need: str
    on: dt.date


def _order_out(o) -> dict:
    return {"id": o.pk, "person_id": o.person_id, "person": o.person.name,
            "orderer_kind": o.orderer_kind, "orderer": o.orderer, "on": o.on,
            "status": o.status, "expert": o.expert.name if o.expert_id else "",
            "matched_on": o.matched_on, "delivered_on": o.delivered_on, "score": o.score}


@router.get("/service/orders", response=page_schema(ServiceOrderOut))
def list_service_orders(request, q: Query[ServiceListQuery]):
    """One page of expert orders in the caller's scope, newest first (``status`` filters;
    what was needed and delivered is in a single order's answer)."""
    return api_page(selectors.order_list(user=request.user, filters=_filters(q)),
                    order=ORDER, params=_paging(q), item=_order_out)


@router.get("/service/orders/{order_id}", response=ServiceOrderDetail)
def get_service_order(request, order_id: int):
    o = selectors.order_get_for_user(request.user, order_id)
    return {**_order_out(o), "need": o.need, "delivery": o.delivery}


@router.post("/service/orders", response={201: ServiceOrderDetail})
def create_service_order(request, payload: ServiceOrderIn):
    """An order the caller took from a village or an enterprise (点单)."""
    require_cap(request.user, Cap.SERVICE_VIEW)
    # Answered from the new row: a leader whose scope is others' sections takes orders too.
    o = services.order_place(by=request.user, **payload.dict())
    return Status(201, {**_order_out(o), "need": o.need, "delivery": o.delivery})


# ---------------------------------------------------------------- 六联六促


class ServiceLiaisonOut(Schema):
    id: int
    person_id: int
    person: str
    kind: str
    target: str
    topic: str
    research_topic_id: int | None
    on: dt.date


class ServiceLiaisonIn(Schema):
    kind: str
    target: str
    topic: str = ""
    research_topic_id: int | None = None
    on: dt.date


def _liaison_out(li) -> dict:
    return {"id": li.pk, "person_id": li.person_id, "person": li.person.name,
            "kind": li.kind, "target": li.target, "topic": li.topic,
            "research_topic_id": li.research_topic_id, "on": li.on}


@router.get("/service/liaisons", response=page_schema(ServiceLiaisonOut))
def list_service_liaisons(request, q: Query[ServiceListQuery]):
    """One page of 六联六促 liaisons in the caller's scope, newest first (``kind`` filters)."""
    return api_page(selectors.liaison_list(user=request.user, filters=_filters(q))
                    .order_by(*ORDER), order=ORDER, params=_paging(q), item=_liaison_out)


@router.post("/service/liaisons", response={201: ServiceLiaisonOut})
def create_service_liaison(request, payload: ServiceLiaisonIn):
    """The caller's own liaison with a target of one of the six kinds."""
    require_cap(request.user, Cap.SERVICE_VIEW)
    made = services.liaison_create(by=request.user, **payload.dict())
    return Status(201, _liaison_out(made))


# ---------------------------------------------------------------- 五送 and 我为群众办实事


class ServiceDeliveryOut(Schema):
    id: int
    person_id: int
    person: str
    household_id: int
    household: str
    item: str
    on: dt.date
    note: str


class ServiceDeliveryIn(Schema):
    household_id: int
    item: str
    on: dt.date
    note: str = ""


class ServiceDeliveryQuery(ServiceListQuery):
    # The page's ``?kind=`` (what the per-item figures link to), or ``item`` as the answer
    # names the field; ``kind`` wins when both are given.
    item: str = ""


class ServiceDeedOut(Schema):
    id: int
    person_id: int
    person: str
    title: str
    on: dt.date
    status: str
    done_on: dt.date | None
    # Send it back with a status change: a stale version answers 409.
    version: int


class ServiceDeedIn(Schema):
    title: str
    on: dt.date


class ServiceDeedStatusIn(Schema):
    version: int
    status: str
    done_on: dt.date | None = None


def _delivery_out(d) -> dict:
    return {"id": d.pk, "person_id": d.person_id, "person": d.person.name,
            "household_id": d.household_id, "household": d.household.name, "item": d.item,
            "on": d.on, "note": d.note}


def _deed_out(d) -> dict:
    return {"id": d.pk, "person_id": d.person_id, "person": d.person.name, "title": d.title,
            "on": d.on, "status": d.status, "done_on": d.done_on, "version": d.version}


@router.get("/service/deliveries", response=page_schema(ServiceDeliveryOut))
def list_service_deliveries(request, q: Query[ServiceDeliveryQuery]):
    """One page of 五送 deliveries in the caller's scope, newest first (``kind`` or ``item``
    filters by which of the five)."""
    filters = _filters(q)
    if not q.kind and q.item:
        filters = replace(filters, kind=q.item)
    return api_page(selectors.delivery_list(user=request.user, filters=filters),
                    order=ORDER, params=_paging(q), item=_delivery_out)


@router.post("/service/deliveries", response={201: ServiceDeliveryOut})
def create_service_delivery(request, payload: ServiceDeliveryIn):
    """One of the 五送 the caller delivered to one of their own contact households."""
    require_cap(request.user, Cap.SERVICE_VIEW)
    person = getattr(request.user, "person", None)
    # Only the caller's households paired on that day are found (as the page's choices);
    # any other id, someone else's included, gets the same "choose your own" answer.
    household = selectors.own_pairings(person=person, on=payload.on)[1].filter(
        pk=payload.household_id).first() if person is not None else None
    made = services.delivery_record(by=request.user, household=household, item=payload.item,
                                    on=payload.on, note=payload.note)
    return Status(201, _delivery_out(made))


@router.get("/service/deeds", response=page_schema(ServiceDeedOut))
def list_service_deeds(request, q: Query[ServiceListQuery]):
    """One page of 我为群众办实事 practical matters in the caller's scope, newest first
    (``status=done`` dates the list by the day a matter was done)."""
    return api_page(selectors.deed_list(user=request.user, filters=_filters(q)),
                    order=ORDER, params=_paging(q), item=_deed_out)


@router.post("/service/deeds", response={201: ServiceDeedOut})
def create_service_deed(request, payload: ServiceDeedIn):
    """A practical matter the caller took on (planned)."""
    require_cap(request.user, Cap.SERVICE_VIEW)
    made = services.deed_create(by=request.user, title=payload.title, on=payload.on)
    return Status(201, _deed_out(made))


@router.post("/service/deeds/{deed_id}/status", response=ServiceDeedOut)
def move_service_deed(request, deed_id: int, payload: ServiceDeedStatusIn):
    """Move a practical matter on (planned, under way, done with the day); a done matter
    no longer changes. Written by the cadre and the leaders over them."""
    deed = selectors.deed_get_for_user(request.user, deed_id, write=True)
    deed = services.deed_update(by=request.user, deed=deed, version=payload.version,
                                status=payload.status, done_on=payload.done_on)
    return _deed_out(deed)
