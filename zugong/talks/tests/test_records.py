"""Talks and visits: who sees a talk's content, bad input, 届内遍访 progress, metrics."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_person
from zugong.core import metrics
from zugong.core.models import AuditEntry
from zugong.people.services import subrecord_add, unit_create
from zugong.talks import events, selectors, services
from zugong.talks.models import Talk, TalkKind, Visit, VisitKind

pytestmark = pytest.mark.django_db
D = dt.date
SECRET = "家中老人住院，工作压力较大"


@pytest.fixture
def secret_talk(cast):
    return services.talk_record(by=cast["chief"], with_people=[cast.people["cadre"]],
                                held_on=D(2026, 3, 2), kind=TalkKind.HEART, summary=SECRET,
                                follow_ups=[{"text": "协调请假", "owner": cast.people["chief"],
                                             "due_on": D(2026, 3, 20)}])


def test_the_summary_is_encrypted_at_rest(secret_talk):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM talks_talk WHERE id = %s", [secret_talk.pk])
        stored = cursor.fetchone()[0]
    assert SECRET not in stored and Talk.objects.get().summary == SECRET


def test_a_cadre_not_party_to_a_talk_cannot_see_it_by_page_api_or_export(
        cast, secret_talk, client_for):
    client = client_for(cast["cadre2"])
    assert client.get(reverse("talks:talk", args=[secret_talk.pk])).status_code == 404
    assert client.get(reverse("api:get_talk", args=[secret_talk.pk])).status_code == 404
    assert client.get(reverse("api:list_talks")).json() == {"items": [], "next": None}
    assert SECRET not in client.get(reverse("talks:list")).content.decode()
    workbook = load_workbook(io.BytesIO(b"".join(client.get(reverse("talks:export"))
                                                 .streaming_content)))
    assert list(workbook.active.iter_rows(values_only=True))[1:] == []


def test_someone_in_scope_without_the_sensitive_right_sees_the_talk_but_not_its_content(
        cast, secret_talk, client_for):
    client = client_for(cast["assessor"])
    page = client.get(reverse("talks:talk", args=[secret_talk.pk])).content.decode()
    assert "谈心" in page and SECRET not in page
    assert client.get(reverse("api:get_talk", args=[secret_talk.pk])).json()["summary"] is None
    workbook = load_workbook(io.BytesIO(b"".join(client.get(reverse("talks:export"))
                                                 .streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 2 and SECRET not in [str(v) for v in rows[1]]
    assert not AuditEntry.objects.filter(action=events.SUMMARY_VIEW).exists()


@pytest.mark.parametrize("member", ["cadre", "chief", "head", "supervisor"])
def test_the_parties_their_leaders_and_supervision_read_the_content_and_each_read_is_logged(
        cast, secret_talk, client_for, member):
    client = client_for(cast[member])
    assert SECRET in client.get(reverse("talks:talk", args=[secret_talk.pk])).content.decode()
    assert client.get(reverse("api:get_talk", args=[secret_talk.pk])).json()["summary"] == SECRET
    reads = AuditEntry.objects.filter(action=events.SUMMARY_VIEW, actor=cast[member])
    assert reads.count() == 2


def test_a_talk_with_oneself_in_the_future_is_refused_in_chinese_and_nothing_is_saved(
        cast, client_for):
    client = client_for(cast["deputy"])
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = client.post(reverse("talks:talk_add"), {
        "with_people": [cast.people["deputy"].pk], "held_on": tomorrow, "kind": "heart"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "不能" in html or "自己" in html
    assert "未来" in html
    api = client.post(reverse("api:create_talk"), {
        "with_ids": [cast.people["deputy"].pk], "held_on": tomorrow, "kind": "heart"},
        content_type="application/json")
    error = api.json()["error"]
    assert api.status_code == 422 and set(error["fields"]) == {"with_people", "held_on"}
    assert Talk.objects.count() == 0


def test_a_visit_to_a_cadre_outside_the_departments_scope_is_refused_and_nothing_is_saved(
        cast, client_for):
    stranger = make_person(cast.other_section, "龙外县", category="managed")
    client = client_for(cast["head"])
    response = client.post(reverse("talks:visit_add"), {
        "person": stranger.pk, "kind": "tour", "on": "2026-03-01", "place": "凤凰县"})
    assert response.status_code == 200
    assert "管理范围" in response.content.decode()
    api = client.post(reverse("api:create_visit"), {
        "person_id": stranger.pk, "kind": "tour", "on": "2026-03-01", "place": "凤凰县"},
        content_type="application/json")
    assert api.status_code == 422 and "person" in api.json()["error"]["fields"]
    assert Visit.objects.count() == 0


def test_follow_up_items_are_marked_done_by_their_owner(cast, secret_talk, client_for):
    item = secret_talk.follow_ups.get()
    assert client_for(cast["cadre"]).post(reverse("talks:followup_done", args=[item.pk])
                                          ).status_code == 403
    client_for(cast["chief"]).post(reverse("talks:followup_done", args=[item.pk]))
    item.refresh_from_db()
    assert item.done_on is not None


def test_my_talks_lists_talks_held_with_me_on_a_phone_friendly_page(cast, secret_talk,
                                                                     client_for):
    html = client_for(cast["cadre"]).get(reverse("talks:home")).content.decode()
    assert 'class="table zg-table"' in html and 'data-label=' in html
    assert cast.people["chief"].name in html


def test_the_person_page_has_a_talks_tab(cast, secret_talk, client_for):
    client = client_for(cast["head"])
    detail = client.get(reverse("people:detail", args=[cast.people["cadre"].pk])).content
    assert reverse("talks:person_tab", args=[cast.people["cadre"].pk]).encode() in detail
    tab = client.get(reverse("talks:person_tab", args=[cast.people["cadre"].pk])).content
    assert b"2026-03-02" in tab


# ---------------------------------------------------------------- six visits


@pytest.fixture
def term_with_visits(cast):
    """Six managed cadres in two units; two visited twice, one once, three never."""
    town = unit_create(by=None, parent=cast.dept, name="武溪镇", kind="town",
                       code="433122-T01")
    school = [cast.people["managed"]] + [make_person(cast.county_unit, f"教育{i}",
                                                     category="managed") for i in range(2)]
    towns = [make_person(town, f"镇干部{i}", category="managed") for i in range(3)]
    term = services.term_create(by=cast["head"], department=cast.dept, name="本届",
                                start=D(2024, 1, 1), end=D(2026, 12, 31))

    def visit(person, on, kind=VisitKind.TOUR, problems=()):
        return services.visit_record(by=cast["head"], person=person, visitors=[], kind=kind,
                                     on=on, place="单位", problems=list(problems))

    visit(school[0], D(2024, 5, 1))
    visit(school[0], D(2025, 5, 1), VisitKind.ANNUAL)  # visited twice
    visit(school[1], D(2023, 6, 1))  # before the term: does not count
    visit(towns[0], D(2024, 9, 1), problems=[{"text": "办公用房紧张"},
                                            {"text": "交通补贴", "solved_on": D(2024, 10, 1)}])
    visit(towns[0], D(2026, 2, 1), VisitKind.WALK_IN)
    visit(towns[1], D(2025, 3, 3))
    return term, town, school, towns


def test_term_wide_visit_progress_counts_each_cadre_once_per_unit_and_overall(
        cast, term_with_visits):
    term, town, school, towns = term_with_visits
    plan = selectors.visit_plan(user=cast["head"], department=cast.dept, term=term,
                                today=D(2026, 6, 1))
    per_unit = {row["unit"].name: (row["visited"], row["total"]) for row in plan["units"]}
    assert per_unit == {"县教育局": (1, 3), "武溪镇": (2, 3)}
    assert (plan["visited"], plan["total"], plan["rate"]) == (3, 6, 50)
    assert {p.pk for p in plan["never"]} == {school[1].pk, school[2].pk, towns[2].pk}
    assert plan["walk_ins"] == 1


def test_the_workbench_visit_rate_is_the_plans_rate_without_loading_every_cadre(
        cast, term_with_visits):
    term, _town, school, _towns = term_with_visits
    for day in (D(2026, 6, 1), D(2024, 6, 1), D(2023, 12, 31)):
        plan = selectors.visit_plan(user=cast["head"], department=cast.dept, term=term,
                                    today=day)
        assert selectors.visit_rate(user=cast["head"], department=cast.dept, term=term,
                                    today=day) == plan["rate"]
    # Fixed counts, however many managed cadres the department has.
    with CaptureQueriesContext(connection) as ctx:
        selectors.visit_rate(user=cast["head"], department=cast.dept, term=term,
                             today=D(2026, 6, 1))
    for i in range(5):
        make_person(cast.county_unit, f"新增{i}", category="managed")
    with CaptureQueriesContext(connection) as more:
        rate = selectors.visit_rate(user=cast["head"], department=cast.dept, term=term,
                                    today=D(2026, 6, 1))
    assert len(more) == len(ctx) and rate == round(100 * 3 / 11)


def test_the_visit_plan_lists_who_is_due_from_the_flags(cast, term_with_visits):
    term, _town, school, towns = term_with_visits
    head = cast["head"]
    services.visit_flags_set(by=head, person=school[1], data={"is_key": True})
    # Issue 15: the appointment date is the registry's current résumé line, not a flag.
    subrecord_add(by=None, person=school[1], kind="resume", data={
        "start": D(2025, 10, 1), "end": None, "text": "县教育局副局长"})
    services.visit_flags_set(by=head, person=towns[2], data={"handling_since": D(2026, 5, 20)})
    services.visit_flags_set(by=head, person=school[2], data={"difficulty_since": D(2026, 4, 1),
                                                              "difficulty_note": "家人重病"})
    services.visit_record(by=head, person=school[1], visitors=[], kind=VisitKind.RETURN,
                          on=D(2026, 3, 30), place="县教育局")  # in the first window
    plan = selectors.visit_plan(user=head, department=cast.dept, term=term,
                                today=D(2026, 6, 1))
    assert [(r["person"].pk, r["done"]) for r in plan["annual"]] == [(school[1].pk, True)]
    assert [(r["due"], r["done"], r["overdue"]) for r in plan["returns"]] == [
        (D(2026, 4, 1), True, False), (D(2026, 10, 1), False, False)]
    assert [(r["due"], r["overdue"]) for r in plan["prompt"]] == [(D(2026, 5, 27), True)]
    assert [(r["person"].pk, r["done"]) for r in plan["home"]] == [(school[2].pk, False)]


def test_the_visit_plan_page_and_api_show_the_same_progress(cast, term_with_visits, client_for):
    client = client_for(cast["head"])
    html = client.get(reverse("talks:visits")).content.decode()
    assert 'id="tour-overall">3 / 6<' in html
    plan = client.get(reverse("api:visit_plan")).json()
    assert (plan["visited"], plan["total"]) == (3, 6)


def test_metrics_count_talks_by_kind_visits_and_problems_raised_and_solved(
        cast, term_with_visits, secret_talk):
    services.talk_record(by=cast["chief"], with_people=[cast.people["cadre2"]],
                         held_on=D(2026, 3, 5), kind=TalkKind.INTEGRITY)
    chief = cast.people["chief"].pk
    year = (D(2024, 1, 1), D(2026, 12, 31))
    held = metrics.get("talks.held").totals(people=[chief], start=year[0], end=year[1])
    assert held == {(chief, None): 2}
    integrity = metrics.get("talks.held_integrity").totals(people=[chief], start=year[0],
                                                           end=year[1], by="year")
    assert integrity == {(chief, "2026"): 1}
    head = cast.people["head"].pk
    visits = metrics.get("talks.visits").totals(people=[head], start=year[0], end=year[1])
    assert visits == {(head, None): 5}
    towns = term_with_visits[3]
    raised = metrics.get("talks.problems_raised").totals(people=[towns[0].pk], start=year[0],
                                                         end=year[1])
    solved = metrics.get("talks.problems_solved").totals(people=[towns[0].pk], start=year[0],
                                                         end=year[1])
    assert raised == {(towns[0].pk, None): 2} and solved == {(towns[0].pk, None): 1}


def test_a_problem_is_marked_solved_from_the_visit_page(cast, term_with_visits, client_for):
    problem = Visit.objects.get(on=D(2024, 9, 1)).problems.get(solved_on__isnull=True)
    client_for(cast["head"]).post(reverse("talks:problem", args=[problem.pk]), {
        f"p{problem.pk}-follow_up": "已调整用房", f"p{problem.pk}-solved_on": "2024-12-01"})
    problem.refresh_from_db()
    assert problem.solved_on == D(2024, 12, 1)


def test_the_visits_export_has_one_row_per_visit(cast, term_with_visits, client_for):
    response = client_for(cast["head"]).get(reverse("talks:visits_export"))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
                .iter_rows(values_only=True))
    assert len(rows) == 1 + 6


def test_the_export_button_keeps_the_lists_filters(cast, secret_talk, client_for):
    import html
    import re

    client = client_for(cast["head"])
    page = client.get(reverse("talks:list"), {"kind": secret_talk.kind,
                                              "start": "2020-01-01"}).content.decode()
    href = html.unescape(re.search(r'href="(/talks/list/export[^"]*)"', page).group(1))
    assert f"kind={secret_talk.kind}" in href and "start=2020-01-01" in href
