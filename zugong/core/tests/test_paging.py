"""The shared keyset pager: complete walks, mixed orders, strict validation, one query."""

import base64
import datetime as dt
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from zugong.core.models import JobRun
from zugong.core.paging import (
    MAX_LIMIT,
    Page,
    PagingError,
    api_page,
    keyset_page,
    page_schema,
    paging_error_response,
    parse_paging,
)

pytestmark = pytest.mark.django_db

ROWS = 450
# Microseconds on purpose: a cursor that rounded them would repeat or skip rows.
BASE = timezone.make_aware(dt.datetime(2026, 12, 3, 8, 0, 0, 123456), dt.UTC)


@pytest.fixture
def runs():
    """450 runs; seven at a time share a start, and every fifth day repeats a name."""
    JobRun.objects.bulk_create(
        JobRun(name=f"job-{i % 5}", status=JobRun.Status.SUCCEEDED,
               started_at=BASE + dt.timedelta(hours=5 * (i // 7), microseconds=i // 7))
        for i in range(ROWS)
    )
    return JobRun.objects.all()


def _walk(qs, order, limit=100):
    """Every page from the first to the last; the ids in the order they were shown."""
    seen, cursor, pages = [], None, 0
    while True:
        page = keyset_page(qs, order=order, cursor=cursor, limit=limit)
        seen += [row.pk for row in page.items]
        pages += 1
        if not page.has_next:
            return seen, pages
        cursor = page.next
        assert pages < ROWS, "the pager does not advance"


@pytest.mark.parametrize("order", [
    ("-id",),
    ("-started_at", "-id"),
    ("started_at", "id"),
    ("name", "-started_at", "id"),
    ("-name", "started_at", "-id"),
])
def test_walking_pages_of_100_shows_every_row_once_in_order(runs, order):
    seen, pages = _walk(runs, order)
    assert pages == 5
    assert len(seen) == len(set(seen)) == ROWS
    assert seen == list(runs.order_by(*order).values_list("pk", flat=True))


def test_ties_in_the_first_sort_field_are_split_by_id_across_a_page_boundary(runs):
    # 100 rows end inside a group of seven equal starts (rows 98..104).
    first = keyset_page(runs, order=("started_at", "id"), cursor=None, limit=100)
    second = keyset_page(runs, order=("started_at", "id"), cursor=first.next, limit=100)
    assert first.items[-1].started_at == second.items[0].started_at
    assert first.items[-1].pk < second.items[0].pk


def test_an_annotated_date_can_be_a_sort_key(runs):
    qs = runs.annotate(day=TruncDate("started_at"))
    order = ("-day", "name", "id")
    seen, _pages = _walk(qs, order, limit=37)
    assert seen == list(qs.order_by(*order).values_list("pk", flat=True))


def test_the_last_page_has_no_next_cursor(runs):
    page = keyset_page(runs, order=("-id",), cursor=None, limit=MAX_LIMIT)
    assert len(page.items) == ROWS
    assert (page.next, page.has_next) == (None, False)


def test_a_page_costs_one_query(runs, django_assert_num_queries):
    cursor = keyset_page(runs, order=("-started_at", "-id"), cursor=None, limit=100).next
    with django_assert_num_queries(1):
        page = keyset_page(runs, order=("-started_at", "-id"), cursor=cursor, limit=100)
    assert len(page.items) == 100


def test_the_cursor_is_opaque_and_url_safe(runs):
    cursor = keyset_page(runs, order=("-started_at", "-id"), cursor=None, limit=10).next
    assert cursor.replace("-", "").replace("_", "").isalnum()
    assert "2026" not in cursor


@pytest.mark.parametrize("params", [
    {"limit": "-1"}, {"limit": "0"}, {"limit": "100000"}, {"limit": "abc"},
    {"limit": "1.5"}, {"limit": "٣"}, {"limit": "9" * 5000},
])
def test_a_bad_limit_is_refused_with_a_field_keyed_error(params):
    with pytest.raises(PagingError) as caught:
        parse_paging(params)
    assert list(caught.value.message_dict) == ["limit"]


@pytest.mark.parametrize("offset", ["-5", "x", "5", "99999999999999999999"])
def test_an_offset_is_refused(offset):
    with pytest.raises(PagingError) as caught:
        parse_paging({"offset": offset})
    assert list(caught.value.message_dict) == ["offset"]


@pytest.mark.parametrize("cursor", ["!!!", "abc", "W10", "e30", "a" * 5000])
def test_a_garbage_cursor_is_refused(cursor):
    with pytest.raises(PagingError) as caught:
        parse_paging({"cursor": cursor})
    assert list(caught.value.message_dict) == ["cursor"]


def _forge(values):
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize("values", [[1], ["not a time", 3], [1, "x"], ["2026-12-03", 1, 2]])
def test_a_tampered_cursor_that_does_not_fit_the_order_is_refused(runs, values):
    with pytest.raises(PagingError) as caught:
        keyset_page(runs, order=("-started_at", "-id"), cursor=_forge(values), limit=10)
    assert list(caught.value.message_dict) == ["cursor"]


def test_good_parameters_come_back_from_a_query_dict():
    request = RequestFactory().get("/", {"limit": "100", "cursor": _forge([3]), "offset": "0"})
    assert parse_paging(request.GET) == (_forge([3]), 100)
    assert parse_paging({}) == (None, 50)
    assert parse_paging({"limit": None, "cursor": None}) == (None, 50)


def test_a_paging_error_is_a_validation_error_the_api_answers_with_422():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        parse_paging({"limit": "abc", "cursor": "!!!"})
    assert set(caught.value.message_dict) == {"limit", "cursor"}


def test_sorting_on_a_nullable_field_or_without_a_unique_last_field_is_refused(runs):
    with pytest.raises(ValueError, match="nullable"):
        keyset_page(runs, order=("finished_at", "id"), cursor=None, limit=10)
    with pytest.raises(ValueError, match="unique"):
        keyset_page(runs, order=("-started_at",), cursor=None, limit=10)


def test_the_api_page_has_items_and_next(runs):
    from ninja import Schema

    class RunOut(Schema):
        id: int
        name: str

    RunPage = page_schema(RunOut)
    body = api_page(runs, order=("-id",), params={"limit": "2", "cursor": None},
                    item=lambda r: {"id": r.pk, "name": r.name})
    parsed = RunPage(**body)
    assert [i.id for i in parsed.items] == list(runs.order_by("-id").values_list("pk",
                                                                                   flat=True)[:2])
    assert parsed.next == body["next"] and body["next"]
    assert RunPage.__name__ == "RunOutPage"
    assert RunPage.model_json_schema()["properties"].keys() == {"items", "next"}


def _request(query):
    request = RequestFactory().get("/core/jobs/", query)
    request.user = AnonymousUser()
    return request


def test_the_pager_keeps_the_filters_and_replaces_only_the_cursor():
    request = _request({"status": "failed", "q": "张三", "cursor": "old"})
    html = render_to_string("core/_pager.html",
                            {"page": Page(items=[], next="NEXT"), "request": request})
    assert 'href="?status=failed&amp;q=%E5%BC%A0%E4%B8%89&amp;cursor=NEXT"' in html
    assert 'id="first-page" href="?status=failed&amp;q=%E5%BC%A0%E4%B8%89"' in html


def test_the_first_page_shows_no_first_page_link_and_the_last_no_next_link():
    first = render_to_string("core/_pager.html", {"page": Page(items=[], next="N"),
                                                  "request": _request({"status": "failed"})})
    assert "first-page" not in first and 'id="next-page"' in first
    last = render_to_string("core/_pager.html", {"page": Page(items=[], next=None),
                                                 "request": _request({"cursor": "c"})})
    assert "first-page" in last and "next-page" not in last


def test_a_page_with_bad_paging_answers_422_with_the_message():
    request = _request({"limit": "abc"})
    with pytest.raises(PagingError) as caught:
        parse_paging(request.GET)
    response = paging_error_response(request, caught.value)
    assert response.status_code == 422
    assert caught.value.message_dict["limit"][0] in response.content.decode()


@pytest.mark.django_db
def test_a_cursor_on_two_keys_also_bounds_the_first_key_so_an_index_scan_can_start_there():
    """The people list pages by (unit_path, id); the bound on the first key is what lets
    PostgreSQL start the index scan at the cursor instead of reading every earlier row."""
    from zugong.core.paging import _after, _keys

    qs = JobRun.objects.all()
    keys = _keys(qs, ("-started_at", "-id"))
    when = timezone.now()
    sql = str(qs.filter(_after(keys, [when, 7])).query)
    assert sql.count('"started_at" <=') == 1 or sql.count("started_at <=") == 1, sql
