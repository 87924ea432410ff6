"""The one keyset pager for every list page and every API list.

Why keys, not offsets: a county list of 30,000 people paged with ``OFFSET 29900`` makes
the database walk 29,900 rows first, and rows added meanwhile shift every later page, so
a clerk sees a person twice or never. A keyset page asks for "the rows after the last
one I saw" in a total order, which costs one indexed query at any depth.

A page view::

    from zugong.core.paging import PagingError, keyset_page, paging_error_response, parse_paging

    def talk_list_view(request):
        try:
            cursor, limit = parse_paging(request.GET)
            page = keyset_page(talk_list(user=request.user, filters=filters),
                               order=("-held_on", "-id"), cursor=cursor, limit=limit)
        except PagingError as exc:
            return paging_error_response(request, exc)
        return render(request, "talks/list.html", {"page": page, ...})

and in the template ``{% include "core/_pager.html" %}`` (it reads ``page``), which keeps
the filters in the query string and replaces only the cursor.

An API list::

    TalkPage = page_schema(TalkOut)

    @router.get("/talks", response=TalkPage)
    def list_talks(request, cursor: str | None = None, limit: str | None = None):
        qs = talk_list(user=request.user, filters=...)
        return api_page(qs, order=("-held_on", "-id"), params={"cursor": cursor, "limit": limit},
                        item=_talk_out)

Declare ``limit`` (and ``offset``, if an old client may still send it) as ``str | None``,
not ``int``: a non-numeric limit must reach ``parse_paging`` and answer with our Chinese
422 message rather than pydantic's English one. ``PagingError`` is a Django
``ValidationError``, so the API's handler turns it into
``{"error": {"code": "invalid", "message": ..., "fields": {"limit": [...]}}}``.

The last field of ``order`` must be unique (normally ``id``) so that the order is total;
sort fields must not be nullable (SQL sorts NULL differently per database and ``NULL > x``
is never true, so rows would vanish) — sort on ``Coalesce(...)`` as an annotation instead.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import Schema

from .periods import Period

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# A cursor holds a few keys; anything much longer is not one of ours.
MAX_CURSOR_CHARS = 1024


class PagingError(ValidationError):
    """A bad ``limit``, ``cursor`` or ``offset`` from the client: 422, field by field."""


@dataclass(frozen=True)
class Page:
    """One page of rows and the opaque cursor for the next one (None on the last page)."""

    items: list[Any]
    next: str | None

    @property
    def has_next(self) -> bool:
        return self.next is not None


def _first(params: Mapping[str, Any], key: str) -> str | None:
    """One parameter as a stripped string (None when absent or blank)."""
    value = params.get(key)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def parse_paging(params: Mapping[str, Any], *, default_limit: int = DEFAULT_LIMIT,
                 max_limit: int = MAX_LIMIT) -> tuple[str | None, int]:
    """``(cursor, limit)`` from a ``QueryDict`` or dict, or ``PagingError`` naming the field.

    ``offset`` is refused unless it is 0: these lists page by cursor, and silently
    ignoring an offset would hand an old client the first page forever. A list may lower
    ``max_limit`` (or change ``default_limit``) but never raise it above ``MAX_LIMIT``.
    """
    if not 1 <= default_limit <= max_limit <= MAX_LIMIT:
        raise ValueError(f"parse_paging needs 1 <= default_limit <= max_limit <= {MAX_LIMIT}.")
    errors: dict[str, list[str]] = {}
    limit = default_limit
    raw = _first(params, "limit")
    if raw is not None:
        # The length check comes first: int() of a 5,000-digit string raises.
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 9) or not (
                1 <= int(raw) <= max_limit):
            errors["limit"] = [_("The page size must be a whole number from 1 to %(max)d.")
                               % {"max": max_limit}]
        else:
            limit = int(raw)
    offset = _first(params, "offset")
    if offset is not None and offset != "0":
        errors["offset"] = [_("Offsets are not supported: pass the cursor returned with the "
                              "previous page.")]
    cursor = _first(params, "cursor")
    if cursor is not None and (len(cursor) > MAX_CURSOR_CHARS or _decode(cursor) is None):
        errors["cursor"] = [_bad_cursor_message()]
    if errors:
        raise PagingError(errors)
    return cursor, limit


def _bad_cursor_message() -> str:
    return _("The page link is invalid or out of date. Start again from the first page.")


class _KeyEncoder(json.JSONEncoder):
    """JSON for key values. Not DjangoJSONEncoder: it cuts datetimes to milliseconds, and
    a cursor one microsecond early would repeat rows."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.date | dt.time):
            return o.isoformat()
        if isinstance(o, Decimal | uuid.UUID):
            return str(o)
        if isinstance(o, Period):
            return o.key
        return super().default(o)


def _encode(values: Sequence[Any]) -> str:
    data = json.dumps(list(values), cls=_KeyEncoder, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def _decode(cursor: str) -> list[Any] | None:
    """The key values in a cursor, or None when it is not one of ours."""
    try:
        data = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(data.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or not values:
        return None
    if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in values):
        return None
    return values


@dataclass(frozen=True)
class _Key:
    name: str  # the lookup, e.g. "held_on" or "person__name"
    descending: bool
    field: Any  # a model field or an annotation's output field, for to_python()


def _keys(qs: QuerySet, order: Sequence[str]) -> list[_Key]:
    """The sort keys of ``order``, checked: total, not nullable, and comparable."""
    if not order:
        raise ValueError("keyset_page needs at least one sort field.")
    keys = []
    for position, spec in enumerate(order):
        descending = spec.startswith("-")
        name = spec.removeprefix("-")
        last = position == len(order) - 1
        field = _resolve(qs, name)
        if getattr(field, "null", False):
            raise ValueError(f"keyset_page cannot sort on the nullable field {name!r}: rows "
                             f"with NULL would be skipped. Annotate a Coalesce() and sort on it.")
        if last and not (LOOKUP_SEP not in name and (field.primary_key or field.unique)):
            raise ValueError(f"The last sort field of keyset_page must be unique on the model "
                             f"(normally 'id'), not {name!r}: the order must be total.")
        keys.append(_Key(name=name, descending=descending, field=field))
    return keys


def _resolve(qs: QuerySet, name: str):
    if name in qs.query.annotations:
        return qs.query.annotations[name].output_field
    opts = qs.model._meta
    parts = name.split(LOOKUP_SEP)
    field = None
    for i, part in enumerate(parts):
        try:
            field = opts.pk if part == "pk" else opts.get_field(part)
        except FieldDoesNotExist as exc:
            raise ValueError(f"keyset_page: {qs.model.__name__} has no field {name!r}.") from exc
        if i < len(parts) - 1:
            if not field.is_relation:
                raise ValueError(f"keyset_page: {part!r} in {name!r} is not a relation.")
            opts = field.related_model._meta
        elif field.is_relation and part != field.attname:
            # order_by("unit") sorts by the related model's Meta.ordering, not by a key.
            raise ValueError(f"keyset_page: sort on {field.attname!r}, not on the relation "
                             f"{name!r}.")
    return field


def _value(item: Any, name: str) -> Any:
    for part in name.split(LOOKUP_SEP):
        item = item[part] if isinstance(item, Mapping) else getattr(item, part)
    return item


def _after(keys: list[_Key], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in the order of ``keys``:
    k1 > v1  OR  (k1 = v1 AND k2 > v2)  OR ...  with < for descending keys.

    With two or more keys the redundant bound ``k1 >= v1`` is added: PostgreSQL's planner
    cannot start an index scan from an OR, and without it a deep page of a large list
    (the province's people, by unit path and id) reads every row before the cursor.
    """
    condition = Q()
    equal: dict[str, Any] = {}
    for key, value in zip(keys, values, strict=True):
        lookup = f"{key.name}__{'lt' if key.descending else 'gt'}"
        condition |= Q(**equal, **{lookup: value})
        equal[key.name] = value
    if len(keys) > 1:
        first, value = keys[0], values[0]
        condition &= Q(**{f"{first.name}__{'lte' if first.descending else 'gte'}": value})
    return condition


def keyset_page(qs: QuerySet, *, order: Sequence[str] = ("-id",), cursor: str | None,
                limit: int) -> Page:
    """The ``limit`` rows of ``qs`` after ``cursor`` in ``order``, in one query.

    ``order`` is a tuple of fields as for ``order_by`` ("-held_on", "-id"), mixing
    ascending and descending; the last must be unique. ``cursor`` comes from
    ``parse_paging`` (or a previous ``Page.next``); a cursor that does not fit this
    order raises ``PagingError``.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"keyset_page: limit must be 1..{MAX_LIMIT}; use parse_paging().")
    keys = _keys(qs, order)
    qs = qs.order_by(*order)
    if cursor:
        qs = qs.filter(_after(keys, _cursor_values(keys, cursor)))
    rows = list(qs[: limit + 1])
    if len(rows) <= limit:
        return Page(items=rows, next=None)
    rows = rows[:limit]
    last = []
    for key in keys:
        value = _value(rows[-1], key.name)
        if value is None:
            raise ValueError(f"keyset_page: {key.name!r} is None on a row; it cannot be a "
                             f"sort key. Annotate a Coalesce() and sort on it.")
        last.append(value)
    return Page(items=rows, next=_encode(last))


def _cursor_values(keys: list[_Key], cursor: str) -> list[Any]:
    values = _decode(cursor) if len(cursor) <= MAX_CURSOR_CHARS else None
    if values is None or len(values) != len(keys):
        raise PagingError({"cursor": [_bad_cursor_message()]})
    try:
        # to_python turns the JSON text back into a date, datetime, Decimal or UUID.
        return [key.field.to_python(value) for key, value in zip(keys, values, strict=True)]
    except (ValidationError, TypeError, ValueError):
        raise PagingError({"cursor": [_bad_cursor_message()]}) from None


def paging_error_response(request: HttpRequest, error: PagingError) -> HttpResponse:
    """A 422 page saying, in Chinese, what was wrong with the paging in the address."""
    messages = [m for field_messages in error.message_dict.values() for m in field_messages]
    return render(request, "core/paging_error.html", {"paging_errors": messages}, status=422)


@functools.cache
def page_schema(item_schema: type[Schema], *, name: str | None = None) -> type[Schema]:
    """The one API page shape: ``{"items": [...], "next": "cursor" | null}``.

    Cached, so that two endpoints listing the same items share one OpenAPI component
    instead of clashing over the name."""
    cls_name = name or f"{item_schema.__name__}Page"
    return type(cls_name, (Schema,), {
        "__annotations__": {"items": list[item_schema], "next": str | None},
        "next": None,
        "__doc__": f"One page of {item_schema.__name__}; pass ``next`` as ``cursor``.",
    })


def api_page(qs: QuerySet, *, order: Sequence[str], params: Mapping[str, Any],
             item: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    """Validate ``params`` (cursor, limit, offset) and answer one page in the API shape.

    ``item`` turns a row into what the item schema accepts (a dict, or the row itself when
    omitted and the schema reads attributes)."""
    cursor, limit = parse_paging(params)
    page = keyset_page(qs, order=order, cursor=cursor, limit=limit)
    items = [item(row) for row in page.items] if item else page.items
    return {"items": items, "next": page.next}


def page_for(request: HttpRequest, qs: QuerySet, *, order: Sequence[str],
             default_limit: int = DEFAULT_LIMIT, prefix: str = "") -> Page:
    """The page of ``qs`` that a list page's address asks for (``?cursor=…&limit=…``, or
    ``?<prefix>cursor=…`` for a second list on the same page).

    A bad limit, cursor or offset raises ``PagingError``; on pages
    :class:`PagingErrorMiddleware` turns it into the 422 page, so list views need no
    try/except of their own (the API's handler answers 422 in JSON).
    """
    params = request.GET
    if prefix:
        params = {name: params.get(f"{prefix}{name}") for name in ("cursor", "limit", "offset")
                  if params.get(f"{prefix}{name}") is not None}
    cursor, limit = parse_paging(params, default_limit=default_limit)
    return keyset_page(qs, order=order, cursor=cursor, limit=limit)


class PagingErrorMiddleware:
    """Answers a page whose view raised ``PagingError`` with the 422 paging page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PagingError):
            return paging_error_response(request, exception)
        return None


def address_without(request: HttpRequest, *names: str) -> str:
    """The page's address without the named filters and without any paging cursor.

    A list opened from a figure carries ``?unit=`` (and dates); the banner that shows the
    filter links here to clear it. The cursors go too: they belong to the filtered rows.
    """
    params = [(k, v) for k, v in request.GET.items()
              if k not in names and not k.endswith("cursor")]
    return f"{request.path}?{urlencode(params)}" if params else request.path
