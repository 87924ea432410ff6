"""The xlsx exports carry the list's filters and leave an audit entry with the row count."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from zugong.ability import services
from zugong.ability.models import TopicStatus
from zugong.core.models import AuditEntry

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 4, 6)


def _sheet(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_the_lecture_and_training_exports_follow_the_filters(cast, client):
    p = cast.people
    for topic in ("theory", "party"):
        services.lecture_record(by=cast["head"], department=cast.dept, topic=topic,
                                title=f"专题{topic}", held_on=DAY, lecturers=[p["chief"]],
                                discussants=[p["cadre"], p["cadre2"], p["supervisor"]],
                                audience=[p["assessor"]])
    services.training_record(by=cast["head"], department=cast.dept, kind="tour",
                             title="赴安吉考察", place="浙江安吉", start=DAY, end=DAY,
                             hours=8, participants=[p["cadre"], p["cadre2"]])
    client.force_login(cast["cadre"])
    lectures = _sheet(client.get("/ability/lectures/export.xlsx", {"topic": "party"}))
    # The header and the one party-building lecture: its lecturer and an audience of one.
    assert [c.value for c in lectures[2]][3:] == ["专题party", "张建国", 1]
    assert lectures.max_row == 2
    trainings = _sheet(client.get("/ability/trainings/export.xlsx"))
    assert [c.value for c in trainings[2]][1:3] == ["赴安吉考察", "浙江安吉"]
    assert trainings[2][6].value == 2
    assert AuditEntry.objects.filter(action="ability.training.export").count() == 1


def _rows(response):
    sheet = _sheet(response)
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]


def test_the_pairs_competitions_topics_and_ledgers_export_their_rows_and_are_audited(
        cast, client):
    p, by = cast.people, {"by": cast["head"], "department": cast.dept}
    pair = services.pair_create(**by, section=cast.sec_org, mentor=p["chief"], mentee=p["cadre"],
                         started_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 12, 31),
                         goal_work="熟悉组织业务")
    services.checkin_record(by=cast["cadre"], pair=pair,
                            on=dt.date(2026, 2, 10), note="交流学习体会")
    competition = services.competition_create(**by, title="组织业务比武", held_on=DAY,
                                              entrants=[p["chief"], p["cadre2"]])
    services.task_add(by=cast["head"], competition=competition, round=1, title="笔试",
                      max_score=100)
    services.award_set(by=cast["head"], entrant=competition.entrants.get(person=p["chief"]),
                       award="first")
    services.topic_create(**by, year=2026, title="年轻干部成长路径调研", leader=p["cadre"],
                          members=[p["cadre2"]], milestones=[("深入调研", dt.date(2026, 6, 30))])
    services.ledger_save(by=cast["cadre"], holder=p["cadre"], post="组织室科员",
                         duties="党员发展、组织关系转接", contacts="各乡镇组织委员",
                         open_matters="3名发展对象待政审")
    client.force_login(cast["cadre2"])

    assert _rows(client.get("/ability/mentoring/export.xlsx")) == [[
        "组织室", "张建国", "李小红", dt.datetime(2026, 1, 5), dt.datetime(2026, 12, 31),
        "结对中", None, "熟悉组织业务", None, 1, dt.datetime(2026, 2, 10)]]
    assert _rows(client.get("/ability/mentoring/export.xlsx", {"status": "ended"})) == []
    assert _rows(client.get("/ability/competitions/export.xlsx")) == [[
        dt.datetime(2026, 4, 6), "组织业务比武", 2, 1, 1]]
    topics = _rows(client.get("/ability/topics/export.xlsx"))
    assert [r[:6] for r in topics] == [[2026, "年轻干部成长路径调研", "李小红", 2, "0/1",
                                        str(TopicStatus.ONGOING.label)]]
    assert _rows(client.get("/ability/topics/export.xlsx", {"year": "2025"})) == []
    ledgers = _rows(client.get("/ability/ledgers/export.xlsx"))
    assert [r[:3] + r[5:] for r in ledgers] == [[
        "组织室科员", "李小红", "组织室", "党员发展、组织关系转接", "各乡镇组织委员",
        "3名发展对象待政审"]]
    # One entry per export, in order, each with the number of rows that left.
    entries = [(e.action, e.after["rows"]) for e in AuditEntry.objects.filter(
        action__endswith=".export", actor=cast["cadre2"]).order_by("pk")]
    assert entries == [("ability.pair.export", 1), ("ability.pair.export", 0),
                       ("ability.competition.export", 1), ("ability.researchtopic.export", 1),
                       ("ability.researchtopic.export", 0), ("ability.postledger.export", 1)]


def test_another_departments_records_never_leave_in_an_export(cast, client):
    p = cast.people
    services.competition_create(by=cast["head"], department=cast.dept, title="组织业务比武",
                                held_on=DAY, entrants=[p["chief"], p["cadre2"]])
    services.ledger_save(by=cast["cadre"], holder=p["cadre"], post="组织室科员",
                         duties="党员发展")
    client.force_login(cast["outsider"])
    assert _rows(client.get("/ability/competitions/export.xlsx")) == []
    assert _rows(client.get("/ability/ledgers/export.xlsx")) == []
    client.force_login(cast["sysadmin"])
    assert client.get("/ability/ledgers/export.xlsx").status_code == 403
