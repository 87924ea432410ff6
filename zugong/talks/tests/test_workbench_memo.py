"""The workbench keeps the department's judged coverage between views (issue 23): a second
view reads no structure and no talks, what the talks services write shows at once, only
ids, statuses and dates are kept, and the figures stay those of the coverage page."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zugong.core import recycle
from zugong.core.models import RecycledRecord
from zugong.talks import coverage, services, workbench
from zugong.talks.models import Relation, TalkKind

pytestmark = pytest.mark.django_db


def _items(cast, who, today):
    return {i.key: i for i in workbench.items(user=cast[who], today=today)}


def _talk(cast, by, with_, on):
    return services.talk_record(by=cast[by], with_people=[cast.people[with_]], held_on=on,
                                kind=TalkKind.HEART)


@pytest.fixture
def today(cast):
    """One talk a month between the chief and each cadre of the section, reminded 31 days
    ahead (whatever today's date, this month's talk with 李小红 is coming due), and head ↔
    deputies once a year."""
    services.rule_add(by=cast["head"], department=cast.dept, relation=Relation.CHIEF_SECTION,
                      threshold=1, period="month", remind_days=31)
    services.rule_add(by=cast["head"], department=cast.dept, relation=Relation.HEAD_DEPUTIES,
                      threshold=1, period="year")
    return timezone.localdate()


def test_a_second_view_reads_the_kept_pairs_and_shows_the_same_items(cast, today):
    with CaptureQueriesContext(connection) as first:
        cold = workbench.items(user=cast["head"], today=today)
    with CaptureQueriesContext(connection) as second:
        warm = workbench.items(user=cast["head"], today=today)
    assert warm == cold and {i.key for i in cold} >= {"talks.coverage"}
    # Rules, people, units, role assignments, post history and the two talk queries are
    # not run again.
    assert len(second) <= len(first) - 7
    assert not [q for q in second if "talks_talkparty" in q["sql"]]
    # Another user of the department reads the same kept pairs.
    with CaptureQueriesContext(connection) as chief:
        owed = _items(cast, "chief", today)
    assert owed["talks.due"].count == 1
    assert not [q for q in chief if "talks_talkparty" in q["sql"]
                or "people_posthistory" in q["sql"]]


def test_a_second_home_page_runs_fewer_queries_and_shows_the_same_workbench(
        cast, today, client_for):
    client = client_for(cast["chief"])
    client.get(reverse("home"))  # the session row
    cache.clear()  # nothing kept yet

    def view():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("home"))
        assert response.status_code == 200
        summary = response.context["summary"]
        return len(ctx), [(i.key, i.count) for i in summary["todos"] + summary["figures"]]

    first, cold = view()
    second, warm = view()
    assert warm == cold and ("talks.due", 1) in cold
    assert second < first


def test_a_talk_recorded_through_the_service_shows_on_the_next_view(cast, today, client_for):
    assert _items(cast, "chief", today)["talks.due"].count == 1
    assert _items(cast, "head", today)["talks.coverage"].count == "0/2"
    _talk(cast, "chief", "cadre", today)
    assert "talks.due" not in _items(cast, "chief", today)
    assert _items(cast, "head", today)["talks.coverage"].count == "1/2"
    _talk(cast, "head", "deputy", today)
    # The home page as well.
    home = client_for(cast["head"]).get(reverse("home")).context["summary"]
    assert {f.key: f.count for f in home["figures"]}["talks.coverage"] == "2/2"


def test_a_confirmation_shows_on_the_next_view(cast, today):
    made = _talk(cast, "cadre", "chief", today)
    # Recorded by the cadre, the talk counts for the chief's pair only once confirmed.
    assert _items(cast, "chief", today)["talks.due"].count == 1
    services.talk_confirm(by=cast["chief"], talk=made)
    assert "talks.due" not in _items(cast, "chief", today)


def test_an_occasion_recorded_shows_on_the_next_view(cast, today):
    services.rule_add(by=cast["head"], department=cast.dept, relation=Relation.TRIGGER,
                      threshold=1, within_days=15)
    assert _items(cast, "chief", today)["talks.due"].count == 1
    # Due in ten days: coming due for the chief (reminded 14 days ahead).
    services.trigger_record(by=cast["head"], person=cast.people["cadre"], kind="job_change",
                            on=today - dt.timedelta(days=5))
    assert _items(cast, "chief", today)["talks.due"].count == 2


def test_a_deleted_talk_and_a_restored_one_show_on_the_next_view(cast, today):
    made = _talk(cast, "head", "deputy", today)
    assert _items(cast, "head", today)["talks.coverage"].count == "1/2"
    pk = made.pk
    services.talk_delete(by=cast["head"], talk=made)
    assert _items(cast, "head", today)["talks.coverage"].count == "0/2"
    entry = RecycledRecord.objects.get(model="talks.talk", object_pk=str(pk))
    recycle.restore(entry, by=cast["head"])
    assert _items(cast, "head", today)["talks.coverage"].count == "1/2"


def test_rules_added_and_retired_show_on_the_next_view(cast):
    today = timezone.localdate()
    assert "talks.due" not in _items(cast, "chief", today)
    rule = services.rule_add(by=cast["head"], department=cast.dept,
                             relation=Relation.CHIEF_SECTION, threshold=1, period="month",
                             remind_days=31)
    assert _items(cast, "chief", today)["talks.due"].count == 1
    services.rule_retire(by=cast["head"], rule=rule)
    assert _items(cast, "chief", today) == {}


def test_a_move_recorded_shows_on_the_next_view(cast, today):
    assert _items(cast, "chief", today)["talks.due"].count == 1
    # In 干部室 since the first of the month: the 组织室 chief owes her nothing this month.
    services.unit_change_record(by=cast["head"], person=cast.people["cadre"],
                                to_unit=cast.sec_cadre, on=today.replace(day=1))
    assert "talks.due" not in _items(cast, "chief", today)


def test_the_workbench_figures_are_those_of_the_coverage_page(cast, today, client_for):
    services.rule_add(by=cast["head"], department=cast.dept, relation=Relation.TRIGGER,
                      threshold=1, within_days=15)
    services.trigger_record(by=cast["head"], person=cast.people["cadre"], kind="job_change",
                            on=today - dt.timedelta(days=5))
    _talk(cast, "head", "deputy", today)
    for who in ("head", "chief"):
        client = client_for(cast[who])
        for _view in range(2):  # computed, then kept
            home = client.get(reverse("home")).context["summary"]
            shown = {i.key: i.count for i in home["todos"] + home["figures"]}
            page = client.get(reverse("talks:coverage")).context["reqs"]
            pairs = [r for r in page if r.trigger is None]
            met = sum(r.status == coverage.Status.MET for r in pairs)
            assert shown["talks.coverage"] == f"{met}/{len(pairs)}"
            owed = [r for r in page if r.leader_id == cast.people[who].pk
                    and r.status in (coverage.Status.DUE_SOON, coverage.Status.OVERDUE)]
            assert shown.get("talks.due", 0) == len(owed)
    assert shown["talks.due"] == 2  # the chief: the month's talk and the occasion


def test_only_ids_statuses_and_dates_are_kept(cast, today, monkeypatch):
    kept = []
    real = workbench.memo

    def spy(name, parts, scopes, compute, **kwargs):
        value = real(name, parts, scopes, compute, **kwargs)
        kept.append(value)
        return value

    monkeypatch.setattr(workbench, "memo", spy)
    workbench.items(user=cast["head"], today=today)
    [rows] = kept
    assert isinstance(rows, tuple) and len(rows) == 2
    for row in rows:
        assert all(v is None or type(v) in (int, str, dt.date) for v in row)
