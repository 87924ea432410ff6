"""Service records: pairings, visits, the problem's life (raised → assigned → solved →
rated), 五送 and practical matters, rules as data, coverage from the database, reminders,
encryption at rest, the API and bad input (issue 20, points 1, 2 and 8)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zugong.core import ballots
from zugong.core.audit import SYSTEM
from zugong.core.metrics import get as metric
from zugong.core.models import AuditEntry, Notice
from zugong.core.versioning import ConflictError
from zugong.service import selectors, services
from zugong.service.models import Problem, RatingCode, ServiceRule, Visit

DAY = dt.date(2026, 3, 2)


def _raw(table, column, pk):
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cur.fetchone()[0]


def _paired(cast, who="cadre"):
    person = cast.people[who]
    village = services.point_create(by=cast[who], kind="village", name="白沙村",
                                    on=dt.date(2026, 1, 1))
    household = services.household_create(by=cast[who], name="张大爷", difficulty=True,
                                          situation="独居老党员", on=dt.date(2026, 1, 1),
                                          point=village)
    return person, village, household


def test_a_visit_keeps_what_was_heard_encrypted_and_raises_its_problem(cast):
    _person, village, _h = _paired(cast)
    visit = services.visit_record(by=cast["cadre"], kind="village", point=village, on=DAY,
                                  heard="村民反映村道破损", problem="村道路灯损坏")
    assert "村道" not in _raw("service_visit", "heard", visit.pk)
    assert Visit.objects.get(pk=visit.pk).heard == "村民反映村道破损"
    problem = visit.problems.get()
    assert (problem.title, problem.status, problem.on) == ("村道路灯损坏", "raised", DAY)
    entry = AuditEntry.objects.filter(action="service.visit.record").latest("seq")
    assert "村道" not in str(entry.after) and entry.after["kind"] == "village"


def test_a_household_situation_is_encrypted(cast):
    _person, _v, household = _paired(cast)
    assert "独居" not in _raw("service_household", "situation", household.pk)


def test_a_visit_names_one_of_the_cadres_own_pairings(cast):
    _paired(cast)
    _p2, other_village, other_household = _paired(cast, "cadre2")
    with pytest.raises(ValidationError) as exc:
        services.visit_record(by=cast["cadre"], kind="village", point=other_village, on=DAY,
                              heard="听取意见")
    assert exc.value.message_dict == {"point": ["请选择您本人此类联系点。"]}
    with pytest.raises(ValidationError) as exc:
        services.visit_record(by=cast["cadre"], kind="household", household=other_household,
                              on=DAY, heard="电话联系", mode="phone")
    assert set(exc.value.message_dict) == {"household"}
    with pytest.raises(ValidationError) as exc:  # a village is not visited by phone
        services.visit_record(by=cast["cadre"], kind="village",
                              point=selectors.own_pairings(person=cast.people["cadre"],
                                                           on=DAY)[0].get(),
                              on=DAY, heard="电话", mode="phone")
    assert set(exc.value.message_dict) == {"mode"}
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.visit_record(by=cast["cadre"], kind="enterprise", point=None, on=tomorrow,
                              heard="")
    assert set(exc.value.message_dict) == {"on", "heard", "point"}
    assert not Visit.objects.exists() or Visit.objects.count() == 0


def test_a_problem_is_assigned_solved_with_evidence_and_rated(cast):
    problem = services.problem_raise(by=cast["cadre"], title="饮水管道漏水", on=DAY)
    assigned = services.problem_assign(by=cast["head"], problem=problem,
                                       version=problem.version, on=DAY,
                                       handler=cast.people["cadre2"])
    assert (assigned.status, assigned.handler_id) == ("assigned", cast.people["cadre2"].pk)
    notice = Notice.objects.get(kind="service.problem.assigned")
    assert notice.recipient == cast["cadre2"] and notice.url == f"/service/problems/{problem.pk}/"
    # The handler now sees the problem (though another section's) and solves it.
    seen = selectors.problem_get_for_user(cast["cadre2"], problem.pk, write=True)
    with pytest.raises(ValidationError) as exc:
        services.problem_solve(by=cast["cadre2"], problem=seen, version=seen.version,
                               solved_on=DAY - dt.timedelta(days=1), evidence=" ")
    assert set(exc.value.message_dict) == {"solved_on", "evidence"}
    solved = services.problem_solve(by=cast["cadre2"], problem=seen, version=seen.version,
                                    solved_on=DAY + dt.timedelta(days=3),
                                    evidence="已更换管道，群众签字确认")
    assert "管道" not in _raw("service_problem", "evidence", problem.pk)
    with pytest.raises(ConflictError):
        services.problem_rate(by=cast["cadre"], problem=solved, version=1,
                              satisfaction="satisfied", rated_on=DAY + dt.timedelta(days=4))
    # The handler is not the cadre: only the cadre (or a leader) records the public's rating.
    with pytest.raises(PermissionDenied):
        services.problem_rate(by=cast["cadre2"], problem=solved, version=solved.version,
                              satisfaction="satisfied", rated_on=DAY + dt.timedelta(days=4))
    rated = services.problem_rate(by=cast["cadre"], problem=solved, version=solved.version,
                                  satisfaction="satisfied",
                                  rated_on=DAY + dt.timedelta(days=4))
    assert (rated.status, rated.satisfaction, rated.version) == ("rated", "satisfied", 4)
    with pytest.raises(ValidationError):
        services.problem_rate(by=cast["cadre"], problem=rated, version=rated.version,
                              satisfaction="basic", rated_on=DAY + dt.timedelta(days=5))


def test_a_cadre_cannot_write_for_a_colleague_and_an_outsider_is_told_the_same(cast):
    with pytest.raises(ValidationError) as exc:
        services.problem_raise(by=cast["cadre"], title="x", on=DAY,
                               person=cast.people["cadre2"])
    assert exc.value.message_dict == {"person": ["请选择您职责范围内的干部。"]}
    with pytest.raises(ValidationError) as exc:
        services.point_create(by=cast["head"], kind="village", name="某村", on=DAY,
                              person=cast.people["outsider"])
    assert exc.value.message_dict == {"person": ["请选择您职责范围内的干部。"]}
    # A leader pairs a cadre of their scope.
    point = services.point_create(by=cast["deputy"], kind="village", name="某村", on=DAY,
                                  person=cast.people["cadre"])
    assert point.person_id == cast.people["cadre"].pk
    with pytest.raises(ValidationError) as exc:  # the same place twice
        services.point_create(by=cast["cadre"], kind="village", name="某村", on=DAY)
    assert set(exc.value.message_dict) == {"name"}


def test_rules_are_data_and_coverage_reads_them(cast):
    person, village, household = _paired(cast)
    as_of = dt.date(2026, 4, 15)
    for on in (dt.date(2026, 1, 5), dt.date(2026, 3, 3)):
        Visit.objects.create(person=person, kind="village", point=village, on=on, heard="x")
    Visit.objects.create(person=person, kind="household", household=household,
                         on=dt.date(2026, 2, 12), mode="phone", heard="x")
    Problem.objects.create(person=person, title="a", on=dt.date(2026, 2, 1), status="solved",
                           solved_on=dt.date(2026, 2, 3), evidence="e")
    rules = selectors.rules_of(cast.dept)
    assert (rules.point_visits, rules.household_contacts, rules.problems_solved) == (1, 1, 2)
    row = selectors.coverage_for([person], rules=rules, year=2026, as_of=as_of)[0]
    # Village January and March of three judged months; the household February only; one
    # problem solved of two; April is owed for both.
    assert (row.points.due, row.points.met, row.households.due, row.households.met) == \
        (3, 2, 3, 1)
    assert (row.solved, row.solved_ok, row.points.owed_now, row.households.owed_now) == \
        (1, False, [village.pk], [household.pk])
    with pytest.raises(PermissionDenied):
        services.rule_set(by=cast["deputy"], department=cast.dept, kind="problems_solved",
                          minimum=1)
    with pytest.raises(ValidationError) as exc:
        services.rule_set(by=cast["head"], department=cast.dept, kind="problems_solved",
                          minimum=500)
    assert exc.value.message_dict == {"minimum": ["最低数量应在 0 到 100 之间。"]}
    services.rule_set(by=cast["head"], department=cast.dept, kind="problems_solved",
                      minimum=1)
    assert ServiceRule.objects.get(department=cast.dept).minimum == 1
    row = selectors.coverage_for([person], rules=selectors.rules_of(cast.dept), year=2026,
                                 as_of=as_of)[0]
    assert row.solved_ok


def test_reminders_go_from_the_twentieth_to_whoever_still_owes_once_a_week(cast):
    _paired(cast)
    today = timezone.localdate()
    early = today.replace(day=19)
    assert services.remind_owed(today=early) == 0
    late = today.replace(day=21)
    assert services.remind_owed(today=late) == 1
    assert services.remind_owed(today=late) == 0  # the same week: nothing twice
    notice = Notice.objects.get(kind="service.coverage.owed")
    assert notice.recipient == cast["cadre"] and "1" in notice.title


def test_metrics_count_visits_and_problems_solved_by_their_day(cast):
    person, village, household = _paired(cast)
    services.visit_record(by=cast["cadre"], kind="village", point=village, on=DAY, heard="x")
    services.visit_record(by=cast["cadre"], kind="household", household=household, on=DAY,
                          heard="x", mode="phone")
    p = services.problem_raise(by=cast["cadre"], title="a", on=DAY)
    services.problem_solve(by=cast["cadre"], problem=p, version=p.version,
                           solved_on=DAY + dt.timedelta(days=40), evidence="e")
    start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    assert metric("service.visits").totals(people=[person.pk], start=start, end=end) == {
        (person.pk, None): 2}
    assert metric("service.households_contacted").totals(
        people=[person.pk], start=start, end=end) == {(person.pk, None): 1}
    # Solved on 11 April: counted in the second quarter, not the first.
    solved = metric("service.problems_solved")
    assert solved.totals(people=[person.pk], start=start, end=end) == {}
    assert solved.totals(people=[person.pk], start=start, end=dt.date(2026, 6, 30)) == {
        (person.pk, None): 1}


def test_the_pages_answer_bad_input_in_chinese_and_the_flow_works(cast, client):
    _person, village, _h = _paired(cast)
    client.force_login(cast["cadre"])
    bad = client.post(reverse("service:visit_add"), {"kind": "village", "mode": "on_site",
                                                     "on": "2026-03-02", "heard": "听取意见"})
    assert bad.status_code == 400 and "请选择您本人此类联系点。" in bad.content.decode()
    ok = client.post(reverse("service:visit_add"), {
        "kind": "village", "mode": "on_site", "point": village.pk, "on": "2026-03-02",
        "heard": "村民反映路灯坏了", "problem": "村道路灯损坏"})
    problem = Problem.objects.get()
    assert ok.status_code == 302 and ok.url == reverse("service:problem", args=[problem.pk])
    page = client.get(ok.url).content.decode()
    assert "村道路灯损坏" in page and 'id="solve-form"' in page
    solved = client.post(reverse("service:problem_solve", args=[problem.pk]), {
        "version": problem.version, "solved_on": "2026-03-05", "evidence": "已修复"})
    assert solved.status_code == 302
    stale = client.post(reverse("service:problem_rate", args=[problem.pk]), {
        "version": 1, "satisfaction": "satisfied", "rated_on": "2026-03-06"})
    assert stale.status_code == 400
    rated = client.post(reverse("service:problem_rate", args=[problem.pk]), {
        "version": 2, "satisfaction": "satisfied", "rated_on": "2026-03-06"})
    assert rated.status_code == 302
    assert Problem.objects.get().status == "rated"
    export = client.get(reverse("service:problems_export"))
    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxmlformats")


def test_the_api_lists_problems_in_scope_and_records_a_visit(cast, client):
    _person, _v, household = _paired(cast)
    services.problem_raise(by=cast["cadre"], title="饮水管道漏水", on=DAY)
    client.force_login(cast["head"])
    page = client.get("/api/v1/service/problems").json()
    assert [p["title"] for p in page["items"]] == ["饮水管道漏水"] and page["next"] is None
    assert client.get("/api/v1/service/problems", {"limit": "x"}).status_code == 422
    client.force_login(cast["outsider"])
    assert client.get("/api/v1/service/problems").json()["items"] == []
    assert client.get("/api/v1/service/problems",
                      {"person": cast.people["cadre"].pk}).status_code == 404
    client.force_login(cast["cadre"])
    made = client.post("/api/v1/service/visits", {
        "kind": "household", "household_id": household.pk, "on": "2026-03-02",
        "heard": "电话联系，身体尚好", "mode": "phone"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["place"] == "张大爷"
    bad = client.post("/api/v1/service/visits", {"kind": "x", "on": "2026-03-02",
                                                 "heard": ""},
                      content_type="application/json")
    assert bad.status_code == 422 and set(bad.json()["error"]["fields"]) >= {"kind", "heard"}


def test_list_pages_cost_the_same_queries_whatever_the_rows(cast, client):
    person, village, _h = _paired(cast)
    client.force_login(cast["head"])

    def counts():
        out = []
        for name in ("service:problems", "service:visits"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse(name)).status_code == 200
            out.append(len(ctx))
        return out

    services.visit_record(by=SYSTEM, person=person, kind="village", point=village, on=DAY,
                          heard="x", problem="a")
    counts()  # the session's first page loads what later pages find cached
    one = counts()
    for i in range(5):
        services.visit_record(by=SYSTEM, person=person, kind="village", point=village,
                              on=DAY, heard="x", problem=f"p{i}")
    assert counts() == one


# ---------------------------------------------------------------- 点单式 and 六联六促


def test_an_order_is_matched_to_an_expert_delivered_and_rated(cast):
    expert = services.expert_create(by=cast["head"], department=cast.dept, name="向科",
                                    field="柑橘栽培", employer="县农业农村局")
    with pytest.raises(PermissionDenied):  # the roster is the leaders' to keep
        services.expert_create(by=cast["cadre"], department=cast.dept, name="杨林",
                               field="养殖")
    order = services.order_place(by=cast["cadre"], orderer_kind="village",
                                 orderer="白沙村", need="柑橘黄龙病防治指导", on=DAY)
    with pytest.raises(ValidationError) as exc:  # delivered before any expert is matched
        services.order_deliver(by=cast["cadre"], order=order, version=order.version,
                               on=DAY, delivery="x")
    assert set(exc.value.message_dict) == {"delivery"}
    other = services.expert_create(by=cast["outsider"], department=cast.other_dept,
                                   name="龙医", field="医疗")
    with pytest.raises(ValidationError) as exc:  # another county's expert
        services.order_match(by=cast["cadre"], order=order, version=order.version,
                             expert=other, on=DAY)
    assert set(exc.value.message_dict) == {"expert"}
    matched = services.order_match(by=cast["chief"], order=order, version=order.version,
                                   expert=expert, on=DAY + dt.timedelta(days=1))
    done = services.order_deliver(by=cast["cadre"], order=matched, version=matched.version,
                                  on=DAY + dt.timedelta(days=5), delivery="现场授课一次")
    with pytest.raises(ValidationError) as exc:
        services.order_rate(by=cast["cadre"], order=done, version=done.version, score=6)
    assert exc.value.message_dict == {"score": ["请按 1 到 5 分评价。"]}
    rated = services.order_rate(by=cast["cadre"], order=done, version=done.version, score=5)
    assert (rated.status, rated.score, rated.version) == ("rated", 5, 4)
    # Delivered on 7 March: counted in March's figure.
    assert metric("service.expert_orders_delivered").totals(
        people=[cast.people["cadre"].pk], start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 31)) == {(cast.people["cadre"].pk, None): 1}


def test_liaisons_of_the_six_kinds(cast):
    services.liaison_create(by=cast["cadre"], kind="village", target="白沙村",
                            topic="村级集体经济发展路径", on=DAY)
    services.liaison_create(by=cast["head"], kind="young", target="组织室年轻干部",
                            on=DAY, person=cast.people["cadre"])
    with pytest.raises(ValidationError) as exc:
        services.liaison_create(by=cast["cadre"], kind="village", target="白沙村", on=DAY)
    assert set(exc.value.message_dict) == {"target"}
    with pytest.raises(ValidationError) as exc:
        services.liaison_create(by=cast["cadre"], kind="seventh", target="", on=DAY)
    assert set(exc.value.message_dict) == {"kind", "target"}
    rows = list(selectors.liaison_list(user=cast["head"]))
    ((person, cells),) = selectors.liaison_matrix(rows)
    # The six columns in the order of LiaisonKind: young cadres third, villages fourth.
    assert person == cast.people["cadre"] and [len(c) for c in cells] == [0, 0, 1, 1, 0, 0]
    assert selectors.liaison_list(user=cast["cadre2"]).count() == 0


def test_the_public_rates_a_solved_problem_once_with_a_one_time_code(cast, client):
    problem = services.problem_raise(by=cast["cadre"], title="饮水管道漏水", on=DAY)
    with pytest.raises(ValidationError):  # not solved yet: no code
        services.rating_code_issue(by=cast["cadre"], problem=problem)
    solved = services.problem_solve(by=cast["cadre"], problem=problem,
                                    version=problem.version, solved_on=DAY, evidence="已修")
    code = services.rating_code_issue(by=cast["cadre"], problem=solved)
    assert len(code) == ballots.CODE_LENGTH and code not in str(list(RatingCode.objects.values()))
    client.logout()
    page = client.get(reverse("service:public_rate"))
    assert page.status_code == 200 and "饮水" not in page.content.decode()
    wrong = client.post(reverse("service:public_rate"), {"code": "AAAAAAAA",
                                                          "satisfaction": "satisfied"})
    assert wrong.status_code == 422 and "该评价码无效或已使用。" in wrong.content.decode()
    ok = client.post(reverse("service:public_rate"), {"code": code.lower(),
                                                       "satisfaction": "basic"})
    assert ok.status_code == 200 and 'id="thanks"' in ok.content.decode()
    rated = Problem.objects.get(pk=problem.pk)
    assert (rated.status, rated.satisfaction, rated.version) == ("rated", "basic", 3)
    again = client.post(reverse("service:public_rate"), {"code": code,
                                                          "satisfaction": "satisfied"})
    assert again.status_code == 422
    assert Problem.objects.get(pk=problem.pk).satisfaction == "basic"
