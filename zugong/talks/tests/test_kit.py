"""The talks app on the platform kit: every list pages by key (nothing stops silently at
200 rows, bad paging is a 422), exports are text-safe, action names are dotted, and
objects outside reach are 404 whatever the id."""

import datetime as dt
import html as html_module
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zugong.core import audit
from zugong.core.models import AuditEntry
from zugong.people.models import PostHistory
from zugong.talks import events, services
from zugong.talks.models import (
    Talk,
    TalkKind,
    TalkParty,
    TriggerEvent,
    TriggerKind,
    Visit,
    VisitKind,
)

pytestmark = pytest.mark.django_db
D = dt.date
MANY = 230  # more than the 200 rows the list used to stop at
BAD_LIMITS = ("-1", "abc", "100000")


def _many_talks(cast, n=MANY):
    """``n`` talks of the chief with the cadre, several on each day (ties broken by id)."""
    chief, cadre = cast.people["chief"], cast.people["cadre"]
    talks = Talk.objects.bulk_create([
        Talk(by=chief, held_on=D(2025, 1, 1) + dt.timedelta(days=i // 3), kind=TalkKind.HEART,
             place=f"地点{i}") for i in range(n)])
    TalkParty.objects.bulk_create([TalkParty(talk=t, person=cadre, held_on=t.held_on)
                                   for t in talks])
    return {t.pk for t in talks}


def _walk_pages(client, url, params=None, *, row=r'href="/talks/(\d+)/"', link="next-page",
                cursor="cursor"):
    """Every row id of a list page, following its "next page" link."""
    seen, address, pages = [], url, 0
    query = dict(params or {})
    while address:
        response = client.get(address, query)
        assert response.status_code == 200
        html = response.content.decode()
        seen += [int(v) if v.isdigit() else v for v in re.findall(row, html)]
        found = re.search(f'id="{link}" href="([^"]+)"', html)
        address = found and url + html_module.unescape(found.group(1))  # "?cursor=…&kind=…"
        assert not found or f"{cursor}=" in address
        query = {}
        pages += 1
        assert pages < 20
    return seen, pages


def _walk_api(client, url, params=None):
    seen, cursor, pages = [], None, 0
    while True:
        query = dict(params or {})
        if cursor:
            query["cursor"] = cursor
        response = client.get(url, query)
        assert response.status_code == 200
        body = response.json()
        seen += [row["id"] for row in body["items"]]
        cursor = body["next"]
        pages += 1
        if cursor is None:
            return seen, pages
        assert pages < 20


@pytest.mark.parametrize("name", ["talks:list", "talks:home"])
def test_every_talk_of_a_long_list_is_reachable_page_by_page(cast, client_for, name):
    expected = _many_talks(cast)
    seen, pages = _walk_pages(client_for(cast["chief"]), reverse(name))
    assert len(seen) == len(set(seen)) == MANY and set(seen) == expected
    assert pages > 1


def test_the_pager_keeps_the_lists_filters(cast, client_for):
    _many_talks(cast)
    seen, pages = _walk_pages(client_for(cast["chief"]), reverse("talks:list"),
                              {"kind": TalkKind.HEART, "limit": "100"})
    assert len(seen) == MANY and pages == 3
    none, _pages = _walk_pages(client_for(cast["chief"]), reverse("talks:list"),
                               {"kind": TalkKind.INTEGRITY})
    assert none == []


@pytest.mark.parametrize("name", ["talks:list", "talks:home", "talks:visits", "talks:events"])
@pytest.mark.parametrize("params", [{"limit": v} for v in BAD_LIMITS]
                         + [{"cursor": "not-a-cursor"}, {"offset": "20"}])
def test_bad_paging_in_a_list_pages_address_is_a_422_page(cast, client_for, name, params):
    response = client_for(cast["chief"]).get(reverse(name), params)
    assert response.status_code == 422


def test_every_talk_is_reachable_through_the_api_and_its_pages_say_what_comes_next(
        cast, client_for):
    expected = _many_talks(cast)
    client = client_for(cast["chief"])
    seen, pages = _walk_api(client, reverse("api:list_talks"), {"limit": "100"})
    assert len(seen) == len(set(seen)) == MANY and set(seen) == expected and pages == 3
    first = client.get(reverse("api:list_talks")).json()
    assert set(first) == {"items", "next"} and first["next"]


def _many_visits(cast):
    managed = cast.people["managed"]
    return Visit.objects.bulk_create([
        Visit(person=managed, kind=VisitKind.TOUR, on=D(2025, 1, 1) + dt.timedelta(days=i // 4),
              place="单位") for i in range(MANY)])


def test_every_visit_is_reachable_on_the_visits_page(cast, client_for):
    visits = _many_visits(cast)
    seen, pages = _walk_pages(client_for(cast["head"]), reverse("talks:visits"),
                              row=r'href="/talks/visits/(\d+)/"')
    assert len(seen) == len(set(seen)) == MANY and set(seen) == {v.pk for v in visits}
    assert pages > 1


def test_every_occasion_and_every_move_is_reachable_on_the_occasions_page(cast, client_for):
    cadre = cast.people["cadre"]
    TriggerEvent.objects.bulk_create([
        TriggerEvent(person=cadre, kind=TriggerKind.AWARD, on=D(2025, 1, 1), note=f"事由{i}")
        for i in range(MANY)])
    PostHistory.objects.bulk_create([
        PostHistory(person=cadre, valid_from=D(2020, 1, 1) + dt.timedelta(days=i),
                    valid_to=D(2020, 1, 1) + dt.timedelta(days=i), moved_from=cast.sec_org,
                    unit=cast.sec_cadre, category=cadre.category) for i in range(MANY)])
    client = client_for(cast["head"])
    notes, pages = _walk_pages(client, reverse("talks:events"), row=r"· 事由(\d+)</div>")
    assert sorted(notes) == list(range(MANY)) and pages > 1
    moves, pages = _walk_pages(client, reverse("talks:events"),
                               row=r"(\d{4}-\d\d-\d\d) · 李小红 · 组织室 → 干部室",
                               link="moves-next-page", cursor="moves_cursor")
    assert len(moves) == len(set(moves)) == MANY and pages > 1
    for params in ({"moves_limit": "abc"}, {"moves_cursor": "x"}, {"limit": "0"}):
        assert client.get(reverse("talks:events"), params).status_code == 422


def test_every_visit_is_reachable_through_the_api(cast, client_for):
    visits = _many_visits(cast)
    seen, pages = _walk_api(client_for(cast["head"]), reverse("api:list_visits"))
    assert len(seen) == len(set(seen)) == MANY and set(seen) == {v.pk for v in visits}
    assert pages > 1


@pytest.mark.parametrize("name", ["api:list_talks", "api:list_visits"])
@pytest.mark.parametrize("params", [{"limit": v} for v in BAD_LIMITS]
                         + [{"cursor": "not-a-cursor"}, {"offset": "20"}])
def test_bad_paging_in_an_api_list_is_a_422(cast, client_for, name, params):
    response = client_for(cast["head"]).get(reverse(name), params)
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) & {"limit", "cursor", "offset"}


def test_the_talks_export_writes_formula_like_text_as_text_and_drops_control_characters(
        cast, client_for):
    formula = '=HYPERLINK("http://x","y")'
    services.talk_record(by=cast["chief"], with_people=[cast.people["cadre"]],
                         held_on=D(2026, 3, 2), kind=TalkKind.HEART, place=formula,
                         summary="谈\x01话")
    response = client_for(cast["chief"]).get(reverse("talks:export"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = {c.value: c for row in workbook.active.iter_rows(min_row=2) for c in row}
    assert formula in cells and cells[formula].data_type == "s"
    assert "谈话" in cells
    entry = AuditEntry.objects.get(action=events.TALK_EXPORT)
    assert entry.after["count"] == 1


def test_the_talks_export_has_every_talk_not_a_capped_number(cast, client_for):
    _many_talks(cast, n=250)
    response = client_for(cast["chief"]).get(reverse("talks:export"))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
                .iter_rows(values_only=True))
    assert len(rows) == 1 + 250


def test_every_audit_action_and_notice_kind_of_talks_is_app_entity_verb(
        cast, client_for, monkeypatch):
    assert all(audit.action_name_ok(name) for name in events.ACTIONS + events.NOTICE_KINDS)
    client = client_for(cast["chief"])  # signing in is the people app's entry, not ours
    monkeypatch.setattr(audit, "ENFORCE_ACTION_NAMES", True)
    talk = services.talk_record(by=cast["chief"], with_people=[cast.people["cadre"]],
                                held_on=D(2026, 3, 2), kind=TalkKind.HEART, summary="谈话",
                                follow_ups=[{"text": "报名", "owner": cast.people["chief"],
                                             "due_on": D(2026, 4, 1)}])
    assert client.get(reverse("talks:talk", args=[talk.pk])).status_code == 200
    assert client.get(reverse("talks:export")).status_code == 200
    item = talk.follow_ups.get()
    client.post(reverse("talks:followup_done", args=[item.pk]))
    services.default_rules(by=None, department=cast.dept)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {events.TALK_RECORD, events.SUMMARY_VIEW, events.TALK_EXPORT,
            events.FOLLOWUP_DONE, events.RULE_ADD} <= actions
    rule = AuditEntry.objects.filter(action=events.RULE_ADD).first()
    assert rule.actor_id is None and rule.actor_username == "system"


def test_a_missing_follow_up_item_or_rule_is_not_found_like_one_out_of_reach(
        cast, client_for):
    client = client_for(cast["head"])
    assert client.post(reverse("talks:followup_done", args=[999999])).status_code == 404
    assert client.post(reverse("talks:rule_retire", args=[999999])).status_code == 404
