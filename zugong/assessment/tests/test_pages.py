"""The assessment pages and API: scoring sheets, bad input beside the field (and 422 in the
API), feedback/acknowledgement/appeal, everyday record, consequences, exports, query
counts that do not grow with the data."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from conftest import make_person, today
from zugong.assessment import events, services
from zugong.assessment.models import (
    Appeal,
    Assessee,
    EverydayNote,
    Plan,
    PlanStatus,
    RaterGroup,
    Score,
    Voted,
)
from zugong.core.versioning import ConflictError
from zugong.people import services as people_services

from .helpers import ballots_counted, close_deciding


def _plan(cast, *, groups=None, status="scoring", unit=None, name="2026年度考核"):
    now = today()
    plan = services.plan_create(by=cast["assessor"], department=cast.dept, data={
        "name": name, "kind": "annual", "period": str(now.year),
        "window_start": now - dt.timedelta(days=1), "window_end": now + dt.timedelta(days=9)},
        units=[unit or cast.sec_org])
    services.group_weights_set(by=None, plan=plan, weights=groups or {
        RaterGroup.CHIEF: 50, RaterGroup.PEERS: 20, RaterGroup.DEMOCRATIC: 30})
    services.indicator_add(by=None, plan=plan, name="政治素质", weight=60, max_score=100,
                           guide="政治立场坚定")
    services.indicator_add(by=None, plan=plan, name="工作实绩", weight=40, max_score=10)
    if status != "draft":
        services.plan_open(by=None, plan=plan, version=plan.version)
    plan.refresh_from_db()
    return plan


def _keys(plan, person):
    a = plan.assessees.get(person=person)
    return [f"s-{a.pk}-{i.pk}" for i in plan.indicators.order_by("position")]


def test_a_cadre_scores_peers_on_the_sheet_and_sees_the_everyday_record(cast, client_for):
    plan = _plan(cast)
    services.everyday_note_add(by=cast["chief"], person=cast.people["cadre"], on=today(),
                               positive=True, text="牵头完成换届材料审核")
    client = client_for(cast["chief"])
    page = client.get(reverse("assessment:score", args=[plan.pk, "chief"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "李小红" in html and "牵头完成换届材料审核" in html and "政治立场坚定" in html
    keys = _keys(plan, cast.people["cadre"])
    response = client.post(reverse("assessment:score", args=[plan.pk, "chief"]),
                           {keys[0]: "95", keys[1]: "9"})
    assert response.status_code == 302
    assert Score.objects.filter(rater=cast["chief"]).count() == 2
    # The cadre's peers in the 组织室: only the chief (the cadre does not rate herself).
    client = client_for(cast["cadre"])
    peers = client.get(reverse("assessment:score", args=[plan.pk, "peers"])).content.decode()
    sheet = peers.split('id="score-form"')[1]
    assert "张建国" in sheet and "李小红" not in sheet


def test_bad_input_on_the_sheet_shows_chinese_messages_beside_the_fields(cast, client_for):
    plan = _plan(cast)
    client = client_for(cast["chief"])
    keys = _keys(plan, cast.people["cadre"])
    response = client.post(reverse("assessment:score", args=[plan.pk, "chief"]),
                           {keys[0]: "120", keys[1]: "abc"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "分数高于满分 100。" in html and "请输入数字。" in html
    assert 'value="120"' in html and "is-invalid" in html
    assert not Score.objects.exists()


def test_voting_twice_on_the_page_is_refused_with_a_chinese_message(cast, client_for):
    plan = _plan(cast)
    client = client_for(cast["cadre"])
    keys = _keys(plan, cast.people["chief"])
    url = reverse("assessment:score", args=[plan.pk, "peers"])
    assert client.post(url, {keys[0]: "90", keys[1]: "9"}).status_code == 302
    again = client.post(url, {keys[0]: "10", keys[1]: "1"})
    assert again.status_code == 422
    assert "您已经投过票" in again.content.decode()
    assert ballots_counted() == 1 and Voted.objects.count() == 1
    assert "您已在本次评价中投票" in client.get(url).content.decode()


def test_scoring_after_the_window_is_refused_on_the_page(cast, client_for):
    plan = _plan(cast)
    Plan.objects.filter(pk=plan.pk).update(window_end=today() - dt.timedelta(days=1),
                                           window_start=today() - dt.timedelta(days=5))
    keys = _keys(plan, cast.people["cadre"])
    response = client_for(cast["chief"]).post(
        reverse("assessment:score", args=[plan.pk, "chief"]), {keys[0]: "90", keys[1]: "9"})
    assert response.status_code == 422
    assert "截止，不能再评分" in response.content.decode()
    assert not Score.objects.exists()


def test_weights_not_summing_to_100_show_a_message_and_keep_the_old_weights(cast, client_for):
    plan = _plan(cast, status="draft")
    response = client_for(cast["assessor"]).post(
        reverse("assessment:plan_groups", args=[plan.pk]), {"chief": "50", "peers": "20"})
    assert response.status_code == 422
    assert "各评价主体的权重合计为 70，不是 100。" in response.content.decode()
    assert sorted(plan.groups.values_list("group", flat=True)) == ["chief", "democratic",
                                                                   "peers"]


def test_a_plan_with_a_bad_period_is_refused_beside_the_field(cast, client_for):
    response = client_for(cast["assessor"]).post(reverse("assessment:plan_add"), {
        "name": "平时考核", "kind": "regular", "period": "2026", "window_start": "2026-04-01",
        "window_end": "2026-03-01", "top_quota": "20", "tie_rule": "first_indicator",
        "appeal_days": "15"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "平时考核按月或按季度" in html and "评分截止不能早于开始" in html
    assert not Plan.objects.exists()


def test_the_api_refuses_bad_ballots_with_a_structured_422_and_saves_nothing(cast, client_for):
    plan = _plan(cast)
    client = client_for(cast["cadre"])
    keys = [k[2:] for k in _keys(plan, cast.people["chief"])]
    url = reverse("api:submit_ballot", args=[plan.pk])
    bad = client.post(url, {"group": "peers", "values": {keys[0]: "101", keys[1]: "9"}},
                      content_type="application/json")
    assert bad.status_code == 422
    error = bad.json()["error"]
    assert error["code"] == "invalid" and error["message"] == "分数高于满分 100。"
    assert error["fields"] == {keys[0]: ["分数高于满分 100。"]}
    good = client.post(url, {"group": "peers", "values": {keys[0]: "90", keys[1]: "9"}},
                       content_type="application/json")
    assert good.status_code == 201 and good.json() == {"group": "peers", "people": 1,
                                                       "anonymous": True}
    twice = client.post(url, {"group": "peers", "values": {keys[0]: "90", keys[1]: "9"}},
                        content_type="application/json")
    assert twice.status_code == 422 and "已经投过票" in twice.json()["error"]["message"]
    assert ballots_counted() == 1


def test_the_api_lists_plans_and_gives_results_in_scope(cast, client_for):
    plan = _plan(cast)
    close_deciding(cast, plan)
    head = client_for(cast["head"])
    plans = head.get(reverse("api:list_plans")).json()
    assert [p["id"] for p in plans["items"]] == [plan.pk] and plans["next"] is None
    assert len(head.get(reverse("api:get_results", args=[plan.pk])).json()["items"]) == 2
    cadre_rows = client_for(cast["cadre"]).get(reverse("api:get_results", args=[plan.pk])).json()
    assert [r["person"] for r in cadre_rows["items"]] == ["李小红"]
    bad = client_for(cast["assessor"]).post(reverse("api:create_plan"), {
        "name": "x", "kind": "annual", "period": "2026-Q1", "window_start": "2026-12-01",
        "window_end": "2026-12-31"}, content_type="application/json")
    assert bad.status_code == 422 and "period" in bad.json()["error"]["fields"]


def test_feedback_acknowledgement_and_an_appeal_within_the_days(cast, client_for):
    plan = _plan(cast)
    close_deciding(cast, plan)
    a = plan.assessees.get(person=cast.people["cadre"])
    office = client_for(cast["assessor"])
    empty = office.post(reverse("assessment:feedback", args=[a.pk]),
                        {"strengths": "工作扎实", "shortcomings": "", "direction": ""})
    assert empty.status_code == 422 and "此项为必填项" in empty.content.decode()
    office.post(reverse("assessment:feedback", args=[a.pk]), {
        "strengths": "工作扎实", "shortcomings": "调研不够深入", "direction": "加强基层调研"})
    cadre = client_for(cast["cadre"])
    page = cadre.get(reverse("assessment:result", args=[a.pk])).content.decode()
    assert "调研不够深入" in page and 'id="acknowledge"' in page
    cadre.post(reverse("assessment:acknowledge", args=[a.pk]))
    a.refresh_from_db()
    assert a.acknowledged_at is not None
    assert cadre.post(reverse("assessment:appeal", args=[a.pk]),
                      {"reason": "同事评分有误"}).status_code == 302
    appeal = Appeal.objects.get()
    office = client_for(cast["assessor"])  # the same test client, signed in again
    office.post(reverse("assessment:appeal_answer", args=[a.pk]),
                {"outcome": "rejected", "answer": "经复核，评分无误，维持原等次。"})
    appeal.refresh_from_db()
    assert appeal.outcome == "rejected" and appeal.answered_by == cast["assessor"]
    cadre = client_for(cast["cadre"])
    notice = cadre.get(reverse("assessment:result", args=[a.pk]) + "?print=1")
    assert "考核结果通知" in notice.content.decode()


def test_an_appeal_after_the_set_days_is_refused(cast):
    plan = _plan(cast)
    close_deciding(cast, plan)
    a = plan.assessees.get(person=cast.people["cadre"])
    late = today() + dt.timedelta(days=plan.appeal_days + 1)
    with pytest.raises(Exception) as exc:
        services.appeal_file(by=cast["cadre"], assessee=a, reason="不服", today=late)
    assert "申诉期限至" in str(exc.value)
    assert not Appeal.objects.exists()


def test_only_leaders_keep_the_everyday_record_and_other_apps_can_add_to_it(cast, client_for):
    client = client_for(cast["chief"])
    response = client.post(reverse("assessment:notes"), {
        "person": cast.people["cadre"].pk, "on": today().isoformat(), "positive": "0",
        "text": "报送材料迟交两天"})
    assert response.status_code == 302
    future = client.post(reverse("assessment:notes"), {
        "person": cast.people["cadre"].pk, "on": (today() + dt.timedelta(days=3)).isoformat(),
        "positive": "1", "text": "x"})
    assert future.status_code == 422 and "日期在未来" in future.content.decode()
    cadre = client_for(cast["cadre"])
    assert cadre.post(reverse("assessment:notes"), {"text": "x"}).status_code == 403
    assert "报送材料迟交两天" in cadre.get(reverse("assessment:notes")).content.decode()
    services.everyday_note_add(by=None, person=cast.people["cadre"], on=today(), positive=False,
                               text="任务逾期未办结", source="任务台账")
    assert EverydayNote.objects.filter(source="任务台账", by=None).count() == 1
    assert "任务逾期未办结" not in client_for(cast["cadre2"]).get(
        reverse("assessment:notes")).content.decode()


def test_progress_names_who_has_not_scored(cast, client_for):
    plan = _plan(cast)
    keys = _keys(plan, cast.people["cadre"])
    client_for(cast["chief"]).post(reverse("assessment:score", args=[plan.pk, "chief"]),
                                   {keys[0]: "90", keys[1]: "9"})
    html = client_for(cast["assessor"]).get(
        reverse("assessment:progress", args=[plan.pk])).content.decode()
    chief_part = html.split('data-group="chief"')[1].split("</section>")[0]
    assert "张建国" in chief_part and "李小红" not in chief_part  # nobody rates the chief
    democratic = html.split('data-group="democratic"')[1].split("</section>")[0]
    assert "王磊" in democratic


def test_consequences_follow_the_rules_and_export(cast, client_for):
    cadre, cadre2, chief = (cast.people[n] for n in ("cadre", "cadre2", "chief"))
    year = today().year
    for person, codes in ((cadre, "111"), (cadre2, "443"), (chief, "223")):
        for offset, code in enumerate(codes):
            people_services.subrecord_add(by=None, person=person, kind="assessments", data={
                "year": year - 2 + offset, "result": code})
    client = client_for(cast["assessor"])
    html = client.get(reverse("assessment:consequences"), {"year": year}).content.decode()

    def names(consequence):
        return html.split(f'data-consequence="{consequence}"')[1].split("</section>")[0]

    assert "李小红" in names("reward") and "李小红" in names("merit")
    assert "李小红" in names("promotion") and "张建国" not in names("promotion")
    assert "张建国" in names("talk") and "王磊" in names("talk")
    assert "王磊" not in names("flag")  # 不称职 in two years but not the last two
    client.post(reverse("assessment:consequence_rule"),
                {"consequence": "flag", "grades": ["4", "3"], "years": "2"})
    html = client.get(reverse("assessment:consequences"), {"year": year}).content.decode()
    assert "王磊" in names("flag")
    export = client.get(reverse("assessment:consequences_export"), {"year": year})
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert rows[0][0] == "后果" and any(r[1] == "李小红" for r in rows[1:])


def test_the_results_page_and_export_show_the_distribution(cast, client_for):
    plan = _plan(cast)
    close_deciding(cast, plan)
    client = client_for(cast["head"])
    html = client.get(reverse("assessment:results", args=[plan.pk])).content.decode()
    assert 'id="grade-chart"' in html and "grade-chart-data" in html
    export = client.get(reverse("assessment:results_export", args=[plan.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert len(rows) == 3 and rows[0][0] == "名次"
    assert Assessee.objects.filter(plan=plan, rank__isnull=False).count() == 2
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED


def test_the_results_page_of_a_plan_still_being_scored_is_empty_not_an_error(cast, client_for):
    plan = _plan(cast)
    response = client_for(cast["head"]).get(reverse("assessment:results", args=[plan.pk]))
    assert response.status_code == 200
    assert not response.context["rows"]


def test_an_outsider_votes_with_a_code_once(cast, client):
    plan = _plan(cast, groups={RaterGroup.CHIEF: 80, RaterGroup.OUTSIDERS: 20})
    code = services.outsider_codes_issue(by=cast["assessor"], plan=plan, count=1)[0]
    url = reverse("assessment:outsider", args=[plan.pk])
    values = {k: "8" for p in (cast.people["chief"], cast.people["cadre"])
              for k in _keys(plan, p)}
    assert "投票码" in client.get(url).content.decode()
    done = client.post(url, {"code": code, **values})
    assert done.status_code == 200 and 'id="outsider-done"' in done.content.decode()
    again = client.post(url, {"code": code, **values})
    assert again.status_code == 422 and "已经使用" in again.content.decode()
    assert ballots_counted(group="outsiders") == 2


def test_the_outsider_page_names_nobody_until_a_valid_code_is_entered(cast, client):
    plan = _plan(cast, groups={RaterGroup.CHIEF: 80, RaterGroup.OUTSIDERS: 20})
    code = services.outsider_codes_issue(by=cast["assessor"], plan=plan, count=1)[0]
    url = reverse("assessment:outsider", args=[plan.pk])
    names = [p.name for p in (cast.people["chief"], cast.people["cadre"])]
    page = client.get(url).content.decode()
    assert "投票码" in page and 'id="outsider-enter"' in page
    assert not any(name in page for name in names) and cast.sec_org.name not in page
    wrong = client.post(url, {"code": "NOTACODE00"})
    assert wrong.status_code == 422 and "此评价码不适用于本次考核。" in wrong.content.decode()
    assert not any(name in wrong.content.decode() for name in names)
    # A wrong code with scores posted straight to the page names nobody either.
    keys = [k for p in (cast.people["chief"], cast.people["cadre"]) for k in _keys(plan, p)]
    guessed = client.post(url, {"code": "NOTACODE00", **dict.fromkeys(keys, "8")})
    assert guessed.status_code == 422
    assert not any(name in guessed.content.decode() for name in names)
    sheet = client.post(url, {"code": code.lower()}).content.decode()
    assert all(name in sheet for name in names) and f'value="{code.lower()}"' in sheet
    done = client.post(url, {"code": code.lower(), **dict.fromkeys(keys, "8")})
    assert 'id="outsider-done"' in done.content.decode()
    spent = client.post(url, {"code": code})
    assert spent.status_code == 422 and "已经使用" in spent.content.decode()
    assert not any(name in spent.content.decode() for name in names)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_and_sheets_take_the_same_queries_for_more_people(cast, client_for):
    plan = _plan(cast, groups={RaterGroup.HEAD: 50, RaterGroup.DEMOCRATIC: 50})
    closed = _plan(cast, name="已结束", groups={RaterGroup.HEAD: 100})
    close_deciding(cast, closed)
    client = client_for(cast["head"])
    urls = [reverse("assessment:score", args=[plan.pk, "democratic"]),
            reverse("assessment:results", args=[closed.pk]),
            reverse("assessment:plans"), reverse("assessment:plan", args=[plan.pk]),
            reverse("assessment:progress", args=[plan.pk])]
    for url in urls:
        _queries(client, url)  # warm-up: the first request also writes the session
    before = [_queries(client, url) for url in urls]
    for i in range(8):
        person = make_person(cast.sec_org, f"新同志{i}")
        Assessee.objects.create(plan=plan, person=person)
        Assessee.objects.create(plan=closed, person=person, score=50, rank=3,
                                grade="competent", computed_grade="competent")
        services.everyday_note_add(by=cast["chief"], person=person, on=today(), positive=True,
                                   text="按时完成")
    assert [_queries(client, url) for url in urls] == before


def test_opening_and_closing_notify_the_people_assessed(cast, django_capture_on_commit_callbacks):
    from zugong.core.models import Notice

    with django_capture_on_commit_callbacks(execute=True):
        plan = _plan(cast)
    assert set(Notice.objects.filter(kind=events.NOTICE_PLAN_OPEN).values_list(
        "recipient__username", flat=True)) == {"chief", "cadre"}
    with django_capture_on_commit_callbacks(execute=True):
        close_deciding(cast, plan)
    notice = Notice.objects.get(kind=events.NOTICE_RESULT_OUT, recipient=cast["cadre"])
    assert notice.url == reverse("assessment:result",
                                 args=[plan.assessees.get(person=cast.people["cadre"]).pk])


def test_people_who_have_not_scored_are_reminded_once_a_day_before_the_window_closes(cast):
    from zugong.assessment.tasks import send_score_reminders
    from zugong.core.models import JobRun, Notice

    plan = _plan(cast, groups={RaterGroup.SELF: 20, RaterGroup.CHIEF: 50,
                               RaterGroup.DEMOCRATIC: 30})
    keys = _keys(plan, cast.people["cadre"])
    client_chief = cast["chief"]
    services.scores_submit(by=client_chief, plan=plan, group=RaterGroup.CHIEF,
                           values={k[2:]: "90" if i == 0 else "9" for i, k in enumerate(keys)})
    last_days = plan.window_end - dt.timedelta(days=1)
    assert services.score_reminders_send(today=plan.window_start) == 0  # not yet due
    services.score_reminders_send(today=last_days)
    reminded = set(Notice.objects.filter(kind=events.NOTICE_PLAN_REMIND).values_list(
        "recipient__username", flat=True))
    # Everyone of the department votes democratically; the chief still owes his self-score
    # and ballot but no longer his chief's sheet.
    assert {"cadre", "chief", "head", "cadre2", "assessor"} <= reminded
    assert "outsider" not in reminded
    assert services.score_reminders_send(today=last_days) == 0  # once a day
    Plan.objects.filter(pk=plan.pk).update(window_end=today() + dt.timedelta(days=1))
    send_score_reminders()
    assert JobRun.objects.get(name="assessment_reminders").status == "succeeded"


def test_special_and_term_plans_check_their_subject_and_span(cast):
    from django.core.exceptions import ValidationError

    base = {"window_start": today(), "window_end": today()}
    with pytest.raises(ValidationError) as exc:
        services.plan_create(by=None, department=cast.dept, data={
            **base, "name": "专项", "kind": "special", "period": "2026"})
    assert exc.value.message_dict["subject"] == ["请填写专项考核事项。"]
    with pytest.raises(ValidationError) as exc:
        services.plan_create(by=None, department=cast.dept, data={
            **base, "name": "年度", "kind": "annual", "period": "2024", "period_to": "2026"})
    assert exc.value.message_dict["period_to"] == ["只有任期考核可以跨多个期间。"]
    term = services.plan_create(by=None, department=cast.dept, data={
        **base, "name": "2021—2026年任期考核", "kind": "term", "period": "2021",
        "period_to": "2026"})
    assert (term.period_start, term.period_end) == (dt.date(2021, 1, 1), dt.date(2026, 12, 31))
    assert term.grades[0] == "excellent"


def test_an_annual_excellent_is_recorded_as_a_commendation_once(cast, client_for):
    from zugong.people.models import RewardPunishment

    year = today().year - 1
    people_services.subrecord_add(by=None, person=cast.people["cadre"], kind="assessments",
                                  data={"year": year, "result": "1"})
    people_services.subrecord_add(by=None, person=cast.people["cadre2"], kind="assessments",
                                  data={"year": year, "result": "2"})
    client = client_for(cast["assessor"])
    url = reverse("assessment:consequence_reward")
    client.post(url, {"person": cast.people["cadre"].pk, "year": year})
    reward = RewardPunishment.objects.get(person=cast.people["cadre"])
    assert reward.kind == "reward" and reward.title == "嘉奖" and str(year) in reward.reason
    again = client.post(url, {"person": cast.people["cadre"].pk, "year": year}, follow=True)
    assert "已经记录" in again.content.decode()
    refused = client.post(url, {"person": cast.people["cadre2"].pk, "year": year}, follow=True)
    assert "不在" in refused.content.decode()
    assert RewardPunishment.objects.count() == 1


def test_the_office_applies_the_wukan_wubi_template_to_a_whole_section_from_the_page(
        cast, client_for):
    from zugong.assessment.models import Template

    template = Template.objects.get(name="五看五比")
    client = client_for(cast["assessor"])
    form = client.get(reverse("assessment:plan_add")).content.decode()
    assert "组织室" in form and "五看五比" in form
    response = client.post(reverse("assessment:plan_add"), {
        "name": "第一季度平时考核", "kind": "regular", "period": f"{today().year}-Q1",
        "window_start": today().isoformat(), "window_end": today().isoformat(),
        "template": template.pk, "units": [cast.sec_org.pk], "top_quota": "40",
        "tie_rule": "first_indicator", "appeal_days": "10"})
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == reverse("assessment:plan",
                                                                   args=[plan.pk])
    assert set(plan.assessees.values_list("person__name", flat=True)) == {"张建国", "李小红"}
    assert plan.indicators.count() == 5 and services.weight_problems(plan) == []
    page = client.get(response.url).content.decode()
    assert "看党性 · 比政治素质" in page and 'id="open-plan"' in page


def _settings(plan, **changes):
    data = {"version": plan.version, "window_start": plan.window_start.isoformat(),
            "window_end": plan.window_end.isoformat(), "top_quota": "20", "quota_approval": "",
            "tie_rule": "first_indicator", "appeal_days": "15", "band_0": "90",
            "band_1": "75", "band_2": "60"}
    data.update(changes)
    return data


def test_raising_the_quota_needs_the_approval_and_a_stale_edit_is_refused(cast, client_for):
    plan = _plan(cast, status="draft")
    client = client_for(cast["assessor"])
    url = reverse("assessment:plan_settings", args=[plan.pk])
    refused = client.post(url, _settings(plan, top_quota="25"))
    assert refused.status_code == 422 and "须有批准记录" in refused.content.decode()
    bands = client.post(url, _settings(plan, band_1="95"))
    assert bands.status_code == 422 and "分数线应从高等次到低等次递减" in bands.content.decode()
    plan.refresh_from_db()
    assert plan.top_quota == 20 and plan.bands[1] == ["competent", 75.0]
    ok = client.post(url, _settings(plan, top_quota="25", band_0="92",
                                    quota_approval="县委组织部部务会2026年第9次会议纪要"))
    assert ok.status_code == 302
    stale = client.post(url, _settings(plan, top_quota="22"))  # the version of before
    with translation.override("zh-hans"):
        conflict = str(ConflictError())  # the kit's one stale-edit message
    assert stale.status_code == 422 and conflict in stale.content.decode()
    plan.refresh_from_db()
    assert plan.top_quota == 25 and plan.bands[0] == ["excellent", 92.0]
    assert plan.quota_approval.startswith("县委组织部")


def test_the_plan_period_is_chosen_from_a_list_not_typed(cast, client_for):
    page = client_for(cast["assessor"]).get(reverse("assessment:plan_add")).content.decode()
    year = today().year
    # Selected by default: this year; the quarters and months are offered too.
    assert f'<option value="{year}" selected>{year}年</option>' in page
    assert f'<option value="{year}-Q1">{year}年第1季度</option>' in page
    assert f'<option value="{year}-03">{year}年3月</option>' in page
    assert '<input type="text" name="period"' not in page


def test_the_plan_page_saves_every_veto_in_one_form(cast, client_for):
    plan = _plan(cast)
    chief = plan.assessees.get(person=cast.people["chief"])
    cadre = plan.assessees.get(person=cast.people["cadre"])
    client = client_for(cast["assessor"])
    page = client.get(reverse("assessment:plan", args=[plan.pk])).content.decode()
    assert page.count('id="veto-form"') == 1 and page.count("保存否决情形") == 1
    response = client.post(reverse("assessment:vetoes", args=[plan.pk]), {
        f"admonished_{chief.pk}": "on", f"veto_note_{chief.pk}": "诫勉谈话",
        f"political_failed_{cadre.pk}": "on", f"veto_note_{cadre.pk}": "政治素质考察不合格"})
    assert response.status_code == 302
    chief.refresh_from_db()
    cadre.refresh_from_db()
    assert (chief.admonished, chief.political_failed, chief.veto_note) == (True, False, "诫勉谈话")
    assert (cadre.political_failed, cadre.veto_note) == (True, "政治素质考察不合格")


def test_a_veto_without_its_reason_saves_nothing_and_names_the_person(cast, client_for):
    plan = _plan(cast)
    chief = plan.assessees.get(person=cast.people["chief"])
    cadre = plan.assessees.get(person=cast.people["cadre"])
    client = client_for(cast["assessor"])
    response = client.post(reverse("assessment:vetoes", args=[plan.pk]), {
        f"admonished_{chief.pk}": "on", f"veto_note_{chief.pk}": "诫勉谈话",
        f"political_failed_{cadre.pk}": "on"}, follow=True)
    assert "李小红：请说明否决的依据。" in response.content.decode()
    chief.refresh_from_db()
    assert not chief.admonished  # all or nothing


def test_my_assessment_and_the_workbench_take_the_same_queries_for_more_open_plans(
        cast, client_for):
    from zugong.assessment import selectors

    client = client_for(cast["chief"])
    first = _plan(cast)
    urls = [reverse("assessment:home"), reverse("home")]
    for url in urls:
        _queries(client, url)  # warm-up: the first request also writes the session
    before = [_queries(client, url) for url in urls]
    plans = [first] + [_plan(cast, name=f"专项考核{i}") for i in range(3)]
    # Some of the sheets are done: an anonymous ballot in one plan, a named score in another.
    Voted.objects.create(plan=plans[1], group=RaterGroup.DEMOCRATIC, voter=cast["chief"])
    assessee = plans[2].assessees.exclude(person=cast.people["chief"]).first()
    Score.objects.create(assessee=assessee, indicator=plans[2].indicators.first(),
                         group=RaterGroup.CHIEF, rater=cast["chief"], value=90)
    assert [_queries(client, url) for url in urls] == before
    tasks = selectors.my_tasks(user=cast["chief"])
    assert {(t["plan"].pk, t["group"]): t["done"] for t in tasks} == {
        (p.pk, g): (p, g) in {(plans[1], "democratic"), (plans[2], "chief")}
        for p in plans for g in services.rater_groups_of(cast["chief"], p)}
    assert {t["group"] for t in tasks} == {"chief", "peers", "democratic"}
