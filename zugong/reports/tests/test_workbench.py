"""The leaders' headline figures on the workbench are kept between views (issue 23): the
second view counts nothing again, an edit of the catalogue shows at once, and each reader
keeps their own figures (counted over the people they may see)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zugong.care import services as care
from zugong.core.audit import SYSTEM
from zugong.reports import services, workbench
from zugong.reports.models import Figure

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 20)


def _activity(cast, *, people):
    return care.activity_record(by=SYSTEM, department=cast.dept, kind="culture",
                                title="篮球友谊赛", held_on=dt.date(2026, 3, 2),
                                organizer=cast.people["chief"],
                                participants=[cast.people[n] for n in people])


def _figures(user):
    return {i.key: i for i in workbench.items(user=user, today=TODAY)}


def _queries(user):
    user = type(user).objects.get(pk=user.pk)  # as a new request loads it: nothing cached
    with CaptureQueriesContext(connection) as queries:
        found = workbench.items(user=user, today=TODAY)
    return len(queries), found


def test_the_second_view_counts_nothing_again_and_shows_the_same_figures(cast):
    _activity(cast, people=("chief", "cadre"))
    head = cast.users["head"]
    first_count, first = _queries(head)
    second_count, second = _queries(head)
    assert first and second == first
    assert {i.key: i.count for i in second}["reports.care.participations"] == "2"
    # Every metric's grouped query is left out; what is left reads who the reader is and
    # which figures are headlines.
    assert second_count < first_count
    assert first_count - second_count >= len({k for f in Figure.objects.filter(headline=True)
                                               for k in f.metric_keys})
    # Only plain values are kept: no model instance (a Figure, a person) in the cache.
    kept = [v for v in cache._cache.values()]  # noqa: SLF001 - the test's local cache
    assert not any(b"zugong.reports.models" in v or b"zugong.people.models" in v
                   for v in kept if isinstance(v, bytes))


def test_other_apps_records_show_after_the_timeout_the_page_at_once(cast, client):
    _activity(cast, people=("chief",))
    head = cast.users["head"]
    assert _figures(head)["reports.care.participations"].count == "1"
    _activity(cast, people=("chief", "cadre"))
    # Kept: another app's record shows within the timeout, not at once …
    assert _figures(head)["reports.care.participations"].count == "1"
    # … while the figures page is counted afresh.
    client.force_login(head)
    rows = {r["key"]: r for r in client.get(
        "/api/v1/reports/figures", {"unit": cast.dept.pk, "period": "2026"}).json()}
    assert rows["care.participations"]["value"] == "3"
    page = client.get("/reports/figures/", {"unit": cast.dept.pk, "period": "2026"})
    assert page.context["values"] and next(
        v for v in page.context["values"] if v.key == "care.participations").value == 3
    cache.clear()  # what the timeout does
    assert _figures(head)["reports.care.participations"].count == "3"


def test_an_edit_of_the_catalogue_through_the_service_shows_at_once(cast):
    _activity(cast, people=("chief", "cadre"))
    head = cast.users["head"]
    before = _figures(head)
    assert before["reports.care.participations"].label == "参加关怀活动（人次）"
    figure = Figure.objects.get(key="care.participations")
    services.figure_update(by=head, figure=figure, version=figure.version,
                           data={"label": "参加关怀活动人次"})
    assert _figures(head)["reports.care.participations"].label == "参加关怀活动人次（人次）"
    # A headline flag taken off: the figure leaves the workbench at once.
    figure = Figure.objects.get(key="care.participations")
    services.figure_update(by=head, figure=figure, version=figure.version,
                           data={"headline": False})
    assert "reports.care.participations" not in _figures(head)
    # A figure added as a headline joins it at once.
    services.figure_create(by=head, data={
        "key": "care.participations_again", "label": "关怀活动参与", "unit": "人次",
        "group": figure.group, "metric_keys": ["care.participations"],
        "aggregation": "sum", "rollup": "sum", "headline": True, "position": 1})
    assert _figures(head)["reports.care.participations_again"].count == "2"


def test_each_reader_keeps_their_own_figures(cast):
    # The deputy's scope is the organization section and the county unit: 王磊 of the
    # cadre section is the head's to count, not hers. Both open on the department.
    _activity(cast, people=("chief", "cadre2"))
    head, deputy = cast.users["head"], cast.users["deputy"]
    assert _figures(head)["reports.care.participations"].count == "2"
    assert _figures(deputy)["reports.care.participations"].count == "1"
    # Kept in either order: the head's figures are not the deputy's.
    assert _figures(deputy)["reports.care.participations"].count == "1"
    assert _figures(head)["reports.care.participations"].count == "2"
    chief = cast.users["chief"]  # a section chief leads the section
    assert _figures(chief)["reports.care.participations"].count == "1"
