"""Party life: meetings with attendance, agenda, minutes and the 第一议题 counted as study
once; the rectification list from problem to a verified, closed measure; reminders and
escalation; the export; the API (issue 18, points 1, 4 and 5)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from openpyxl import load_workbook

from zugong.core.audit import SYSTEM
from zugong.core.metrics import get as metric
from zugong.core.models import AuditEntry, Notice
from zugong.learning.models import FirstTopic, StudySession
from zugong.partylife import selectors, services
from zugong.partylife.models import Attendance, Meeting, RectMeasure

DAY = dt.date(2026, 3, 2)


def _meeting(cast, **extra):
    data = {"by": cast["head"], "unit": cast.dept, "kind": "assembly", "held_on": DAY,
            "title": "支部党员大会", "chair": cast.people["head"],
            "present": [cast.people[n] for n in ("head", "chief", "cadre")],
            "absent": [(cast.people["cadre2"], "出差")]}
    data.update(extra)
    return services.meeting_record(**data)


def _raw(table, column, pk):
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cur.fetchone()[0]


def test_a_meeting_keeps_attendance_agenda_and_encrypted_minutes(cast):
    m = _meeting(cast, agenda=["传达上级精神", "研究发展党员"], minutes="讨论发展对象",
                 sensitive=True)
    assert [a.title for a in m.agenda.all()] == ["传达上级精神", "研究发展党员"]
    rows = {a.person_id: a for a in m.attendance.all()}
    assert len(rows) == 4 and rows[cast.people["cadre2"].pk].reason == "出差"
    assert "讨论" not in _raw("partylife_meeting", "minutes", m.pk)
    entry = AuditEntry.objects.filter(action="partylife.meeting.record").latest("seq")
    assert entry.after["present"] == 3 and "讨论" not in str(entry.after)


def test_the_first_topic_counts_as_study_once_for_each_member_present(cast):
    m = _meeting(cast, first_topic="学习习近平总书记重要讲话精神", first_topic_hours="1.5")
    topic = FirstTopic.objects.get(pk=m.first_topic_id)
    assert topic.held_on == DAY and topic.hours == Decimal("1.5")
    sessions = StudySession.objects.filter(first_topic=topic)
    # Three present (head, chief, cadre): one session each; cadre2 was absent.
    assert sorted(sessions.values_list("person_id", flat=True)) == sorted(
        cast.people[n].pk for n in ("head", "chief", "cadre"))
    assert m.agenda.get(position=1).first_topic
    assert FirstTopic.objects.count() == 1  # written once, by the meeting


def test_bad_meetings_are_refused_with_every_reason_at_once(cast):
    with pytest.raises(ValidationError) as exc:
        _meeting(cast, held_on=dt.date(2999, 1, 1), title=" ",
                 absent=[(cast.people["cadre2"], "")], first_topic="学习", first_topic_hours=0)
    assert set(exc.value.message_dict) == {"held_on", "title", "absent", "first_topic_hours"}
    with pytest.raises(ValidationError) as exc:  # a group meeting is held by a section
        _meeting(cast, kind="group")
    assert "unit" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # the outsider is no member of this branch
        _meeting(cast, present=[cast.people["outsider"]])
    assert exc.value.message_dict["present"] == ["请选择本支部中您职责范围内的党员。"]
    with pytest.raises(ValidationError):  # the chief records for the 组织室 only
        _meeting(cast, by=cast["chief"])
    assert not Meeting.objects.exists()


def test_the_meeting_form_shows_chinese_messages_beside_fields(cast, client):
    client.force_login(cast["head"])
    url = f"/partylife/meetings/new/?unit={cast.dept.pk}"
    assert client.get(url).status_code == 200
    page = client.post(url, {"unit": cast.dept.pk, "kind": "assembly",
                             "held_on": "2999-01-01", "title": "大会",
                             "chair": cast.people["head"].pk,
                             "present": [cast.people["head"].pk], "absent": "无此人：出差"})
    html = page.content.decode()
    assert page.status_code == 400 and "不是本支部党员：无此人" in html


def test_sensitive_minutes_are_read_by_recorders_and_leaders_only(cast, client):
    m = _meeting(cast, minutes="讨论干部问题", sensitive=True)
    client.force_login(cast["cadre2"])  # on the attendance, but not a recorder
    page = client.get(f"/partylife/meetings/{m.pk}/").content.decode()
    assert "讨论干部问题" not in page and "会议记录已标为敏感" in page
    client.force_login(cast["head"])
    assert "讨论干部问题" in client.get(f"/partylife/meetings/{m.pk}/").content.decode()
    assert AuditEntry.objects.filter(action="partylife.meeting.view").count() == 1


def test_a_member_marks_their_own_absence_and_make_up_on_the_phone(cast, client):
    m = _meeting(cast)
    client.force_login(cast["cadre2"])
    url = f"/partylife/meetings/{m.pk}/attendance/"
    bad = client.post(url, {"person": cast.people["cadre2"].pk, "status": "made_up",
                            "reason": "出差", "made_up_on": "2026-03-01"})
    assert bad.status_code == 400 and "补学日期应在会议当天至今天之间" in bad.content.decode()
    ok = client.post(url, {"person": cast.people["cadre2"].pk, "status": "made_up",
                           "reason": "出差", "made_up_on": "2026-03-09"})
    assert ok.status_code == 302
    row = Attendance.objects.get(meeting=m, person=cast.people["cadre2"])
    assert (row.status, row.made_up_on, row.version) == ("made_up", dt.date(2026, 3, 9), 2)
    with pytest.raises(PermissionDenied):  # nobody marks someone else without the right
        services.attendance_mark(by=cast["cadre2"], meeting=m, person=cast.people["cadre"],
                                 status="absent", reason="x")


def test_attendance_metrics_count_present_and_made_up(cast):
    m = _meeting(cast)
    services.attendance_mark(by=cast["cadre2"], meeting=m, person=cast.people["cadre2"],
                             status="made_up", reason="出差", made_up_on=DAY)
    _meeting(cast, held_on=DAY + dt.timedelta(days=1))
    ids = [cast.people[n].pk for n in ("cadre", "cadre2")]
    attended = metric("partylife.attended").totals(people=ids, start=DAY,
                                                   end=DAY + dt.timedelta(days=1))
    absent = metric("partylife.absent").totals(people=ids, start=DAY,
                                               end=DAY + dt.timedelta(days=1))
    # cadre present twice; cadre2 made up the first and missed the second.
    assert attended == {(ids[0], None): 2, (ids[1], None): 1}
    assert absent == {(ids[1], None): 1}
    held = metric("partylife.meetings_assembly").totals(
        people=[cast.people["head"].pk], start=DAY, end=DAY + dt.timedelta(days=1))
    assert held == {(cast.people["head"].pk, None): 2}


# ---------------------------------------------------------------- rectification


def _problem(cast, by=SYSTEM, person="cadre"):
    return services.problem_record(by=by, source="inspection", description="记录不完整",
                                   found_on=DAY, person=cast.people[person])


def test_a_measure_goes_from_set_to_evidence_to_closure_by_someone_else(cast):
    problem = _problem(cast)
    m = services.measure_set(by=cast["chief"], problem=problem, owner=cast.people["cadre"],
                             action="补齐记录", deadline=DAY + dt.timedelta(days=30),
                             set_on=DAY)
    with pytest.raises(PermissionDenied):  # only the owner submits
        services.measure_submit(by=cast["chief"], measure=m, version=m.version,
                                evidence="x")
    m = services.measure_submit(by=cast["cadre"], measure=m, version=m.version,
                                evidence="已补齐", on=DAY + dt.timedelta(days=10))
    with pytest.raises(PermissionDenied):  # the owner cannot verify their own
        services.measure_verify(by=cast["cadre"], measure=m, version=m.version, passed=True)
    with pytest.raises(ValidationError) as exc:  # sending it back needs a reason
        services.measure_verify(by=cast["chief"], measure=m, version=m.version, passed=False)
    assert "note" in exc.value.message_dict
    m = services.measure_verify(by=cast["chief"], measure=m, version=m.version, passed=True,
                                on=DAY + dt.timedelta(days=12))
    assert (m.status, m.closed_on, m.verified_by_id) == (
        "closed", dt.date(2026, 3, 14), cast.people["chief"].pk)
    assert m.closed_on_time
    on_time = metric("rectification.measures_closed_on_time").totals(
        people=[cast.people["cadre"].pk], start=DAY, end=dt.date(2026, 12, 31))
    assert on_time == {(cast.people["cadre"].pk, None): 1}


def test_a_member_records_a_self_check_problem_and_sets_their_own_measure(cast):
    problem = services.problem_record(by=cast["cadre"], source="self_check",
                                      description="学习不够深入", found_on=DAY,
                                      person=cast.people["cadre"])
    assert problem.self_found
    m = services.measure_set(by=cast["cadre"], problem=problem, owner=cast.people["cadre"],
                             action="制定学习计划", deadline=DAY, set_on=DAY)
    assert m.owner_id == cast.people["cadre"].pk
    with pytest.raises(ValidationError) as exc:  # not for someone else's problem
        services.problem_record(by=cast["cadre"], source="self_check", description="x",
                                found_on=DAY, person=cast.people["cadre2"])
    assert exc.value.message_dict["person"] == ["请选择本支部中您职责范围内的党员。"]


def test_overdue_measures_remind_the_owner_daily_and_escalate_once_after_a_week(cast):
    problem = _problem(cast)
    m = services.measure_set(by=SYSTEM, problem=problem, owner=cast.people["cadre"],
                             action="补齐记录", deadline=dt.date(2026, 3, 20), set_on=DAY)
    # 16 March: 4 days before the deadline, nothing yet (reminders start 3 days before).
    assert services.measures_remind(today=dt.date(2026, 3, 16)) == {"reminded": 0,
                                                                    "escalated": 0}
    assert services.measures_remind(today=dt.date(2026, 3, 17)) == {"reminded": 1,
                                                                    "escalated": 0}
    # 27 March is 7 days late: the owner and, once, the leaders with the cadre in scope.
    assert services.measures_remind(today=dt.date(2026, 3, 27)) == {"reminded": 1,
                                                                    "escalated": 1}
    assert services.measures_remind(today=dt.date(2026, 3, 28))["escalated"] == 0
    escalated = set(Notice.objects.filter(kind="partylife.rectmeasure.escalate")
                    .values_list("recipient__username", flat=True))
    # Over the cadre: the head, the deputy (组织室 in charge), the chief, the supervisor.
    assert escalated == {"head", "deputy", "chief", "supervisor"}
    assert RectMeasure.objects.get(pk=m.pk).escalated_on == dt.date(2026, 3, 27)


def test_the_rectification_list_exports_in_the_reporting_layout(cast, client):
    problem = _problem(cast)
    services.measure_set(by=SYSTEM, problem=problem, owner=cast.people["cadre"],
                         action="=补齐记录", deadline=dt.date(2026, 3, 20), set_on=DAY)
    client.force_login(cast["head"])
    response = client.get("/partylife/measures/export.xlsx")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert (rows[0][0], rows[0][2], rows[0][5]) == ("序号", "涉及人员", "整改措施")
    assert rows[1][0] == 1 and rows[1][2] == "李小红" and rows[1][8] == "已逾期"
    assert ws.cell(row=2, column=6).data_type == "s"  # "=…" stays text, never a formula
    assert AuditEntry.objects.filter(action="partylife.rectmeasure.export").exists()


def test_the_api_lists_meetings_and_measures_as_pages(cast, client):
    m = _meeting(cast)
    services.measure_set(by=SYSTEM, problem=_problem(cast), owner=cast.people["cadre"],
                         action="补齐记录", deadline=dt.date(2026, 3, 20), set_on=DAY)
    client.force_login(cast["head"])
    meetings = client.get("/api/v1/partylife/meetings").json()
    assert meetings["items"][0]["id"] == m.pk
    assert (meetings["items"][0]["present"], meetings["items"][0]["absent"]) == (3, 1)
    measures = client.get("/api/v1/rectification/measures").json()
    assert measures["items"][0]["owner"] == "李小红" and measures["next"] is None
    assert client.get("/api/v1/partylife/meetings", {"limit": "x"}).status_code == 422
    client.force_login(cast["outsider"])
    assert client.get("/api/v1/partylife/meetings").json()["items"] == []


def test_the_responsibility_list_shows_each_person_their_lines_and_leaders_theirs(cast,
                                                                                  client):
    services.duty_record(by=cast["head"], year=2026, person=cast.people["cadre"],
                         duty="负责党员发展档案管理")
    with pytest.raises(ValidationError):  # the outsider is not in the head's scope
        services.duty_record(by=cast["head"], year=2026, person=cast.people["outsider"],
                             duty="x")
    assert selectors.duty_list(user=cast["cadre"], year=2026).count() == 1
    assert selectors.duty_list(user=cast["cadre2"], year=2026).count() == 0
    client.force_login(cast["cadre"])
    assert "负责党员发展档案管理" in client.get("/partylife/duties/?year=2026").content.decode()
    refused = client.post("/partylife/duties/?year=2026",
                          {"person": cast.people["cadre"].pk, "duty": "自己加"})
    assert refused.status_code == 403


def test_list_pages_cost_the_same_queries_whatever_the_rows(cast, client):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    def cost(url):
        with CaptureQueriesContext(conn) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    client.force_login(cast["head"])
    _meeting(cast)
    services.measure_set(by=SYSTEM, problem=_problem(cast), owner=cast.people["cadre"],
                         action="补齐记录", deadline=DAY, set_on=DAY)
    urls = ("/partylife/meetings/", "/partylife/measures/", "/partylife/problems/")
    for url in urls:  # the first request of a session also loads its caches
        cost(url)
    before = {u: cost(u) for u in urls}
    for i in range(1, 5):
        _meeting(cast, held_on=DAY - dt.timedelta(days=i))
        services.measure_set(by=SYSTEM, problem=_problem(cast, person="cadre2"),
                             owner=cast.people["cadre2"], action="整改", deadline=DAY,
                             set_on=DAY)
    assert {u: cost(u) for u in before} == before
