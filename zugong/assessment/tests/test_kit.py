"""The assessment area on the platform kit: edits locked and versioned, reads that never
write, keyset paging of every list, text-safe exports, system actions as SYSTEM."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from conftest import today
from zugong.assessment import events, selectors, services
from zugong.assessment.models import (
    Assessee,
    ConsequenceRule,
    EverydayNote,
    Plan,
    PlanStatus,
    RaterGroup,
    default_bands,
)
from zugong.core.audit import SYSTEM
from zugong.core.models import AuditEntry
from zugong.core.versioning import ConflictError
from zugong.people import services as people_services
from zugong.people.models import UnitKind

from .helpers import close_deciding

BAD_LIMITS = ("-1", "abc", "100000")


def _plan(cast, *, open_it=True, name="2026年度考核"):
    now = today()
    plan = services.plan_create(by=cast["assessor"], department=cast.dept, data={
        "name": name, "kind": "annual", "period": str(now.year),
        "window_start": now - dt.timedelta(days=1), "window_end": now + dt.timedelta(days=9)},
        units=[cast.sec_org])
    services.group_weights_set(by=cast["assessor"], plan=plan, weights={
        RaterGroup.CHIEF: 50, RaterGroup.PEERS: 20, RaterGroup.DEMOCRATIC: 30})
    services.indicator_add(by=cast["assessor"], plan=plan, name="政治素质", weight=60)
    services.indicator_add(by=cast["assessor"], plan=plan, name="工作实绩", weight=40,
                           max_score=10)
    if open_it:
        services.plan_open(by=cast["assessor"], plan=plan, version=plan.version)
    plan.refresh_from_db()
    return plan


# ---------------------------------------------------------------- versioned edits


def _settings(plan, **changes):
    data = {"window_start": plan.window_start, "window_end": plan.window_end,
            "top_quota": plan.top_quota, "quota_approval": plan.quota_approval,
            "tie_rule": plan.tie_rule, "appeal_days": plan.appeal_days, "bands": plan.bands}
    data.update(changes)
    return data


def test_two_editors_who_loaded_the_same_version_cannot_both_change_the_settings(cast):
    plan = _plan(cast, open_it=False)
    first, second = Plan.objects.get(pk=plan.pk), Plan.objects.get(pk=plan.pk)
    services.plan_settings(by=cast["assessor"], plan=first, version=first.version,
                           data=_settings(first, appeal_days=10))
    # The second editor's copy still says the old version: only the locked row knows.
    with pytest.raises(ConflictError):
        services.plan_settings(by=cast["assessor"], plan=second, version=second.version,
                               data=_settings(second, appeal_days=20))
    plan.refresh_from_db()
    assert plan.appeal_days == 10 and plan.version == first.version


def test_opening_and_closing_compare_the_version_of_the_locked_row(cast):
    plan = _plan(cast, open_it=False)
    stale = Plan.objects.get(pk=plan.pk)
    services.plan_settings(by=cast["assessor"], plan=plan, version=plan.version,
                           data=_settings(plan, appeal_days=12))
    with pytest.raises(ConflictError):
        services.plan_open(by=cast["assessor"], plan=stale, version=stale.version)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
    services.plan_open(by=cast["assessor"], plan=plan, version=plan.version)
    stale = Plan.objects.get(pk=plan.pk)
    services.plan_settings(by=cast["assessor"], plan=plan, version=plan.version,
                           data=_settings(plan, appeal_days=14))
    with pytest.raises(ConflictError):
        services.plan_close(by=cast["assessor"], plan=stale, version=stale.version)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SCORING
    assert not Assessee.objects.filter(plan=plan, rank__isnull=False).exists()


def test_a_stale_open_from_the_page_shows_the_conflict_and_changes_nothing(cast, client_for):
    plan = _plan(cast, open_it=False)
    client = client_for(cast["assessor"])
    response = client.post(reverse("assessment:plan_open", args=[plan.pk]),
                           {"version": plan.version + 1}, follow=True)
    with translation.override("zh-hans"):
        conflict = str(ConflictError())
    assert conflict in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


# ---------------------------------------------------------------- reads never write


def _new_department(cast, name="考核部门"):
    return people_services.unit_create(by=None, parent=cast.province, name=name,
                                       kind=UnitKind.ORG_DEPT, code="433100-Z77")


def test_reading_consequence_rules_writes_nothing_and_shows_the_standard_ones(cast):
    dept = _new_department(cast)
    with CaptureQueriesContext(connection) as ctx:
        rules = selectors.consequence_rules(dept)
        selectors.consequence_hits(department=dept, year=today().year,
                                   people=dept.__class__.objects.none(), consequence="reward")
    writes = [q["sql"] for q in ctx.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert len(rules) == 5 and all(r.pk is None for r in rules)
    assert not ConsequenceRule.objects.filter(department=dept).exists()


def test_the_consequences_page_writes_no_rule(cast, client_for):
    client = client_for(cast["assessor"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("assessment:consequences"), {"year": today().year})
    assert response.status_code == 200
    assert not [q for q in ctx.captured_queries
                if "INSERT" in q["sql"].upper() and "consequencerule" in q["sql"].lower()]


def test_a_new_plan_writes_down_the_standard_consequence_rules_once(cast):
    ConsequenceRule.objects.filter(department=cast.dept).delete()
    _plan(cast, open_it=False)
    _plan(cast, open_it=False, name="第二个方案")
    assert ConsequenceRule.objects.filter(department=cast.dept).count() == 5


# ---------------------------------------------------------------- paging


def _many_closed_plans(cast, count=205):
    start = dt.date(today().year, 1, 1)
    plans = Plan.objects.bulk_create([
        Plan(department=cast.dept, name=f"月度考核{i:03d}", kind="regular",
             period=f"{today().year}-01", period_start=start, period_end=start, bands=default_bands(
                 "regular"), window_start=start, window_end=start, top_quota=20,
             status=PlanStatus.CLOSED, closed_on=start) for i in range(count)])
    Assessee.objects.bulk_create([Assessee(plan=p, person=cast.people["cadre"], score=80,
                                           rank=1, grade="good", computed_grade="good")
                                  for p in plans])
    return plans


def _walk(client, url, params, key):
    """Every row of a paged list: follow ``next`` (API) or the cursor links (pages)."""
    seen, cursor = [], None
    for _ in range(20):
        query = dict(params, limit="100", **({"cursor": cursor} if cursor else {}))
        response = client.get(url, query)
        assert response.status_code == 200
        if key == "api":
            body = response.json()
            seen += [row["id"] for row in body["items"]]
            cursor = body["next"]
        else:
            page = response.context["page"]
            seen += [row.pk for row in page.items]
            cursor = page.next
        if not cursor:
            return seen
    raise AssertionError("the pages never end")


def test_more_than_200_plans_are_reachable_on_the_page_and_in_the_api(cast, client_for):
    plans = _many_closed_plans(cast)
    client = client_for(cast["assessor"])
    for url, key in ((reverse("assessment:plans"), "page"), (reverse("api:list_plans"), "api")):
        seen = _walk(client, url, {}, key)
        assert len(seen) == len(set(seen)) and {p.pk for p in plans} <= set(seen)


def test_more_than_200_results_of_a_person_are_reachable_in_the_history(cast, client_for):
    _many_closed_plans(cast)
    client = client_for(cast["assessor"])
    seen = _walk(client, reverse("assessment:history"),
                 {"person": cast.people["cadre"].pk}, "page")
    assert len(seen) == len(set(seen)) == 205


def test_more_than_200_everyday_notes_are_reachable(cast, client_for):
    EverydayNote.objects.bulk_create([
        EverydayNote(person=cast.people["cadre"], on=today() - dt.timedelta(days=i % 30),
                     positive=True, text=f"记实{i}") for i in range(210)])
    seen = _walk(client_for(cast["chief"]), reverse("assessment:notes"), {}, "page")
    assert len(seen) == len(set(seen)) == 210


def test_results_page_through_on_the_page_and_in_the_api(cast, client_for):
    plan = _plan(cast)
    close_deciding(cast, plan)
    client = client_for(cast["head"])
    page = client.get(reverse("assessment:results", args=[plan.pk]), {"limit": "1"})
    assert len(page.context["page"].items) == 1 and page.context["page"].next
    # The distribution counts every result, not the page's.
    assert sum(n for _g, _l, n in page.context["distribution"]) == 2
    api = client.get(reverse("api:get_results", args=[plan.pk]), {"limit": "1"}).json()
    rest = client.get(reverse("api:get_results", args=[plan.pk]),
                      {"limit": "1", "cursor": api["next"]}).json()
    assert len({api["items"][0]["id"], rest["items"][0]["id"]}) == 2 and rest["next"] is None


@pytest.mark.parametrize("limit", BAD_LIMITS)
def test_bad_paging_answers_422_on_every_list(cast, client_for, limit):
    plan = _plan(cast)
    close_deciding(cast, plan)
    client = client_for(cast["head"])
    for url in (reverse("assessment:plans"), reverse("assessment:notes"),
                reverse("assessment:results", args=[plan.pk]),
                f"{reverse('assessment:history')}?person={cast.people['cadre'].pk}&x=1",
                reverse("api:list_plans"), reverse("api:get_results", args=[plan.pk])):
        assert client.get(url, {"limit": limit}).status_code == 422, url
    for url in (reverse("assessment:plans"), reverse("api:list_plans")):
        assert client.get(url, {"cursor": "not-a-cursor"}).status_code == 422
        assert client.get(url, {"offset": "5"}).status_code == 422


# ---------------------------------------------------------------- exports


def test_an_exported_formula_stays_text_and_control_characters_are_removed(cast, client_for):
    cadre = cast.people["cadre"]
    type(cadre).objects.filter(pk=cadre.pk).update(name='=HYPERLINK("http://x","y")\x01')
    plan = _plan(cast)
    close_deciding(cast, plan)
    export = client_for(cast["head"]).get(reverse("assessment:results_export", args=[plan.pk]))
    wb = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    names = [row[1] for row in wb.active.iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://x","y")' in names
    cell = next(c for c in wb.active["B"] if c.value == '=HYPERLINK("http://x","y")')
    assert cell.data_type == "s"
    entry = AuditEntry.objects.get(action=events.RESULTS_EXPORT)
    assert entry.after == {"rows": 2}


# ---------------------------------------------------------------- the system as actor


@pytest.mark.parametrize("by", [None, SYSTEM])
def test_other_apps_add_everyday_notes_as_the_system(cast, by):
    note = services.everyday_note_add(by=by, person=cast.people["cadre"], on=today(),
                                      positive=False, text="任务逾期未完成", source="任务台账")
    assert note.by is None
    entry = AuditEntry.objects.get(action=events.NOTE_ADD)
    assert entry.actor_id is None and entry.actor_username == "system"
