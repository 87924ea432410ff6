"""青蓝工程 (M30): pairs, monthly check-ins, evaluations by the three sides, the reminder."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zugong.ability import selectors, services, tasks
from zugong.ability.models import Evaluation
from zugong.core.audit import SYSTEM
from zugong.core.models import Notice

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 5)


def _pair(cast, **over):
    p = cast.people
    data = {"by": cast["head"], "department": cast.dept, "section": cast.sec_org,
            "mentor": p["chief"], "mentee": p["cadre"], "started_on": START,
            "goal_work": "一年内独立撰写考察材料"}
    data.update(over)
    return services.pair_create(**data)


def test_a_pair_runs_a_year_by_default_and_a_mentee_has_one_mentor_at_a_time(cast):
    pair = _pair(cast)
    assert pair.ends_on == dt.date(2027, 1, 5)
    with pytest.raises(ValidationError) as err:
        _pair(cast, mentor=cast.people["supervisor"])
    assert err.value.message_dict["mentee"] == ["该干部已有导师。"]
    services.pair_close(by=cast["chief"], pair=pair, version=pair.version)
    assert _pair(cast, mentor=cast.people["supervisor"]).status == "active"


def test_a_pair_needs_two_people_of_the_department_and_a_goal(cast):
    p = cast.people
    with pytest.raises(ValidationError) as err:
        _pair(cast, mentee=p["chief"], goal_work="")
    assert err.value.message_dict["mentee"] == ["导师不能与自己结对。"]
    assert err.value.message_dict["goal_work"] == ["请至少填写一项目标。"]
    with pytest.raises(ValidationError) as err:
        _pair(cast, mentee=p["outsider"])
    assert err.value.message_dict["mentee"] == ["请选择本部门的人员。"]
    with pytest.raises(PermissionDenied):
        _pair(cast, by=cast["cadre2"])


def test_one_check_in_a_month_by_either_side_or_a_leader(cast):
    pair = _pair(cast)
    services.checkin_record(by=cast["cadre"], pair=pair, on=dt.date(2026, 2, 3), note="交流")
    with pytest.raises(ValidationError) as err:
        services.checkin_record(by=cast["chief"], pair=pair, on=dt.date(2026, 2, 20),
                                note="再次交流")
    assert err.value.message_dict["on"] == ["本月谈心交流已登记。"]
    with pytest.raises(PermissionDenied):
        services.checkin_record(by=cast["cadre2"], pair=pair, on=dt.date(2026, 3, 3),
                                note="旁人代记")
    services.checkin_record(by=cast["deputy"], pair=pair, on=dt.date(2026, 3, 3), note="调研")
    figures = selectors.mentoring_figures(user=cast["cadre2"], department=cast.dept,
                                          start=dt.date(2026, 1, 1),
                                          end=dt.date(2026, 12, 31))
    assert figures == {"pairs": 1, "checkins": 2}


def test_each_side_evaluates_once_per_stage_and_may_correct_it(cast):
    pair = _pair(cast)
    services.evaluation_record(by=cast["chief"], pair=pair, stage="mid", rating="good",
                               on=dt.date(2026, 7, 5))
    services.evaluation_record(by=cast["cadre"], pair=pair, stage="mid", rating="excellent",
                               on=dt.date(2026, 7, 5))
    services.evaluation_record(by=cast["head"], pair=pair, stage="mid", rating="fair",
                               on=dt.date(2026, 7, 6))
    services.evaluation_record(by=cast["deputy"], pair=pair, stage="mid", rating="good",
                               on=dt.date(2026, 7, 7))  # corrects the chief side
    sides = dict(Evaluation.objects.filter(pair=pair).values_list("side", "rating"))
    assert sides == {"mentor": "good", "mentee": "excellent", "chief": "good"}
    with pytest.raises(PermissionDenied):
        services.evaluation_record(by=cast["cadre2"], pair=pair, stage="final", rating="good")


def test_a_month_without_a_check_in_reminds_both_sides_once(cast, monkeypatch):
    pair = _pair(cast)
    other = _pair(cast, mentee=cast.people["cadre2"], section=cast.sec_cadre)
    services.checkin_record(by=SYSTEM, pair=pair, on=dt.date(2026, 1, 20), note="一月")
    services.checkin_record(by=SYSTEM, pair=other, on=dt.date(2026, 2, 20), note="二月")
    # On 3 March the February check-in of the first pair is missing; the second pair met.
    sent = services.checkins_remind(today=dt.date(2026, 3, 3))
    assert sent == {"pairs": 1, "notices": 2}
    recipients = set(Notice.objects.filter(kind="ability.checkin.missed")
                     .values_list("recipient__username", flat=True))
    assert recipients == {"chief", "cadre"}
    assert services.checkins_remind(today=dt.date(2026, 3, 3)) == {"pairs": 1, "notices": 0}
    # January is not owed by a pair that started on 5 January: it did not run all month.
    assert services.checkins_remind(today=dt.date(2026, 2, 3))["pairs"] == 0
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: dt.date(2026, 3, 3))
    assert tasks.remind_checkins() == "1 pairs without a check-in, 0 notices"


def test_the_pages_and_the_api_list_the_pairs(cast, client):
    pair = _pair(cast)
    client.force_login(cast["cadre"])
    page = client.get("/ability/mentoring/").content.decode()
    assert "李小红" in page and "张建国" in page
    response = client.post(f"/ability/mentoring/{pair.pk}/check-ins/",
                           {"on": "2099-01-01", "note": "未来"})
    assert response.status_code == 400
    assert "日期不能晚于今天。" in response.content.decode()
    items = client.get("/api/v1/ability/mentoring").json()["items"]
    assert [(i["mentor"], i["mentee"], i["checkins"]) for i in items] == [("张建国", "李小红", 0)]
    assert client.get("/api/v1/ability/mentoring",
                      {"person": cast.people["outsider"].pk}).status_code == 404
