"""API endpoints for units and people; same selectors and services as the pages."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from zugong.core.paging import api_page, page_schema, parse_paging

from . import selectors, services
from .access import Cap, has_cap, require_cap, sensitive_scope_ids, subtree_q
from .models import Person
from .selectors import PersonFilters

router = Router(tags=["people"])


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    code: str
    depth: int
    parent_id: int | None = None
    department_id: int | None = None
    people_count: int = 0


class UnitQuery(Schema):
    q: str = ""
    kind: str = ""
    under: int | None = None


class UnitIn(Schema):
    parent_id: int
    name: str
    kind: str
    code: str
    position: int = 0


class UnitPatch(Schema):
    name: str | None = None
    code: str | None = None
    position: int | None = None


class PersonOut(Schema):
    id: int
    category: str
    name: str
    sex: str
    birth_date: dt.date
    unit_id: int
    unit: str
    current_post: str
    post_level: str | None = None
    ft_education: str | None = None
    id_number: str
    phone: str
    version: int


class PersonDetailOut(PersonOut):
    ethnicity: str | None = None
    native_place: str
    birthplace: str
    political_status: str | None = None
    party_join_date: dt.date | None = None
    work_start_date: dt.date | None = None
    joined_on: dt.date | None = None
    health: str | None = None
    ft_degree: str | None = None
    ft_school: str
    is_education: str | None = None
    is_degree: str | None = None
    is_school: str
    professional_title: str
    is_active: bool
    resume: list[dict]
    family: list[dict]
    rewards: list[dict]
    assessments: list[dict]


class PersonIn(Schema):
    category: str
    name: str
    sex: str
    birth_date: dt.date
    unit_id: int
    ethnicity: str | None = None
    native_place: str = ""
    birthplace: str = ""
    political_status: str | None = None
    party_join_date: dt.date | None = None
    work_start_date: dt.date | None = None
    joined_on: dt.date | None = None
    health: str | None = None
    ft_education: str | None = None
    ft_degree: str | None = None
    ft_school: str = ""
    is_education: str | None = None
    is_degree: str | None = None
    is_school: str = ""
    professional_title: str = ""
    id_number: str = ""
    phone: str = ""
    current_post: str = ""
    post_level: str | None = None


class PersonPatch(Schema):
    version: int
    category: str | None = None
    name: str | None = None
    sex: str | None = None
    birth_date: dt.date | None = None
    unit_id: int | None = None
    ethnicity: str | None = None
    native_place: str | None = None
    birthplace: str | None = None
    political_status: str | None = None
    party_join_date: dt.date | None = None
    work_start_date: dt.date | None = None
    joined_on: dt.date | None = None
    health: str | None = None
    ft_education: str | None = None
    ft_degree: str | None = None
    ft_school: str | None = None
    is_education: str | None = None
    is_degree: str | None = None
    is_school: str | None = None
    professional_title: str | None = None
    id_number: str | None = None
    phone: str | None = None
    current_post: str | None = None
    post_level: str | None = None


class PersonQuery(Schema):
    q: str = ""
    unit: int | None = None
    category: str = ""
    sex: str = ""
    education: str = ""
    post_level: str = ""
    age_min: int | None = None
    age_max: int | None = None
    active: str = "1"


def _name(item):
    return item.name if item else None


def _person_out(p: Person, full: bool) -> dict:
    from zugong.core.masking import mask_id_number, mask_phone

    return {
        "id": p.pk, "category": p.category, "name": p.name, "sex": p.sex.name,
        "birth_date": p.birth_date, "unit_id": p.unit_id, "unit": p.unit.name,
        "current_post": p.current_post, "post_level": _name(p.post_level),
        "ft_education": _name(p.ft_education),
        "id_number": p.id_number if full else mask_id_number(p.id_number),
        "phone": p.phone if full else mask_phone(p.phone), "version": p.version,
    }


def _person_detail(user, p: Person) -> dict:
    from .access import can_view_sensitive

    data = _person_out(p, can_view_sensitive(user, p))
    for name in ("ethnicity", "political_status", "health", "ft_degree", "is_education",
                 "is_degree"):
        data[name] = _name(getattr(p, name))
    for name in ("native_place", "birthplace", "party_join_date", "work_start_date",
                 "joined_on", "ft_school", "is_school", "professional_title", "is_active"):
        data[name] = getattr(p, name)
    records = selectors.person_records(p)
    data["resume"] = [{"id": r.pk, "start": r.start, "end": r.end, "text": r.text}
                      for r in records["resume"]]
    data["family"] = [{"id": f.pk, "kind": f.kind, "relation": f.relation.name, "name": f.name,
                       "birth_date": f.birth_date, "political_status": _name(f.political_status),
                       "work_unit_and_post": f.work_unit_and_post, "is_deceased": f.is_deceased}
                      for f in records["family"]]
    data["rewards"] = [{"id": r.pk, "kind": r.kind, "date": r.date, "title": r.title,
                        "issuer": r.issuer, "reason": r.reason} for r in records["rewards"]]
    data["assessments"] = [{"id": a.pk, "year": a.year, "result": a.result.name,
                            "note": a.note, "source_text": a.source_text}
                           for a in records["assessments"]]
    return data


def _unit_data(user, unit_id: int | None, *, cap: str) -> dict:
    if unit_id is None:
        return {}
    unit = selectors.unit_choices(user=user, cap=cap).filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError({"unit_id": _("The unit does not exist or is outside your scope.")})
    return {"unit": unit}


def _unit_out(unit, people_count: int | None = None) -> dict:
    return {"id": unit.pk, "name": unit.name, "kind": unit.kind, "code": unit.code,
            "depth": unit.depth, "department_id": unit.department_id,
            "people_count": people_count if people_count is not None else unit.people_count}


@router.get("/units", response=page_schema(UnitOut), summary="Units the caller may see")
def list_units(request, query: Query[UnitQuery], cursor: str | None = None,
               limit: str | None = None, offset: str | None = None):
    units = selectors.unit_list(user=request.user)
    if query.q:
        units = units.filter(name__contains=query.q.strip())
    if query.kind:
        units = units.filter(kind=query.kind)
    if query.under:
        anchor = selectors.unit_get_for_user(request.user, query.under)
        units = units.filter(subtree_q("path", anchor.path))
    return api_page(units, order=selectors.UNIT_ORDER,
                    params={"cursor": cursor, "limit": limit, "offset": offset}, item=_unit_out)


@router.get("/units/{unit_id}", response=UnitOut)
def get_unit(request, unit_id: int):
    unit = selectors.unit_get_for_user(request.user, unit_id)
    parent = selectors.unit_parent(unit)
    return {**_unit_out(unit, unit.people.filter(is_active=True).count()),
            "parent_id": parent.pk if parent else None}


@router.post("/units", response={201: UnitOut})
def create_unit(request, payload: UnitIn):
    if not has_cap(request.user, Cap.UNITS_CHANGE):
        raise PermissionDenied
    parent = selectors.unit_choices(user=request.user, cap=Cap.UNITS_CHANGE).filter(
        pk=payload.parent_id).first()
    if parent is None:
        raise ValidationError({"parent_id": _(
            "The unit does not exist or is outside your scope.")})
    unit = services.unit_create(by=request.user, parent=parent, name=payload.name,
                                kind=payload.kind, code=payload.code, position=payload.position)
    return Status(201, {**_unit_out(unit, 0), "parent_id": parent.pk})


@router.patch("/units/{unit_id}", response=UnitOut)
def update_unit(request, unit_id: int, payload: UnitPatch):
    unit = selectors.unit_get_for_user(request.user, unit_id, write=True)
    data = payload.dict(exclude_unset=True)
    # Leaving a field out keeps it; sending null would blank a required field.
    nulls = {k: [_("This field is required.")] for k, v in data.items() if v is None}
    if nulls:
        raise ValidationError(nulls)
    unit = services.unit_update(by=request.user, unit=unit, name=data.get("name", unit.name),
                                code=data.get("code", unit.code),
                                position=data.get("position", unit.position))
    return _unit_out(unit, unit.people.filter(is_active=True).count())


@router.get("/people", response=page_schema(PersonOut),
            summary="People, filtered, keyset-paged")
def list_people(request, query: Query[PersonQuery], cursor: str | None = None,
                limit: str | None = None, offset: str | None = None):
    filters = PersonFilters.from_params(query.dict())
    qs = selectors.person_list(user=request.user, filters=filters)
    cursor, size = parse_paging({"cursor": cursor, "limit": limit, "offset": offset})
    page = selectors.person_page(qs, cursor=cursor, limit=size)
    allowed = sensitive_scope_ids(request.user, page.items)
    return {"items": [_person_out(p, p.pk in allowed) for p in page.items], "next": page.next}


@router.get("/people/{person_id}", response=PersonDetailOut)
def get_person(request, person_id: int):
    return _person_detail(request.user, selectors.person_get_for_user(request.user, person_id))


@router.delete("/people/{person_id}", response={204: None},
               summary="Delete a person entered by mistake into the recycle bin")
def delete_person(request, person_id: int):
    person = selectors.person_get_for_user(request.user, person_id, write=True)
    services.person_delete(by=request.user, person=person)
    return Status(204, None)


@router.post("/people", response={201: PersonDetailOut})
def create_person(request, payload: PersonIn):
    if not has_cap(request.user, Cap.PEOPLE_CHANGE):
        raise PermissionDenied
    data = payload.dict()
    data.update(_unit_data(request.user, data.pop("unit_id"), cap=Cap.PEOPLE_CHANGE))
    person = services.person_create(by=request.user, data=data)
    person = selectors.person_get_for_user(request.user, person.pk)
    return Status(201, _person_detail(request.user, person))


@router.patch("/people/{person_id}", response=PersonDetailOut)
def update_person(request, person_id: int, payload: PersonPatch):
    person = selectors.person_get_for_user(request.user, person_id, write=True)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data.update(_unit_data(request.user, data.pop("unit_id", None), cap=Cap.PEOPLE_CHANGE))
    services.person_update(by=request.user, person=person, data=data, version=version)
    return _person_detail(request.user, selectors.person_get_for_user(request.user, person_id))


# ---------------------------------------------------------------- API tokens

class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    expired: bool


def _token_out(t) -> dict:
    return {"id": t.pk, "name": t.name, "prefix": t.prefix, "created_at": t.created_at,
            "last_used_at": t.last_used_at, "expires_at": t.expires_at,
            "expired": t.is_expired}


@router.get("/tokens", response=list[TokenOut], summary="The caller's own API tokens")
def list_tokens(request):
    return [_token_out(t) for t in selectors.token_list(user=request.user)]


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke an own API token")
def revoke_token(request, token_id: int):
    services.token_revoke(by=request.user,
                          token=selectors.token_get_for_user(request.user, token_id))
    return Status(204, None)


@router.get("/accounts/{account_id}/tokens", response=list[TokenOut],
            summary="An account's API tokens (security administrator)")
def list_account_tokens(request, account_id: int):
    require_cap(request.user, Cap.TOKENS_REVOKE)
    account = selectors.account_get_for_user(request.user, account_id)
    return [_token_out(t) for t in selectors.account_token_list(user=request.user,
                                                                account=account)]


@router.delete("/accounts/{account_id}/tokens/{token_id}", response={204: None},
               summary="Revoke an account's API token (security administrator)")
def revoke_account_token(request, account_id: int, token_id: int):
    token = selectors.account_token_get(request.user, account_id, token_id)
    services.token_revoke(by=request.user, token=token)
    return Status(204, None)
