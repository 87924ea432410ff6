"""The weekly rotation, checked by hand against the official calendar of 2026 (the
``chinesecalendar`` package, through the kit's ``WorkingDays``).

2026 in the calendar: the Spring Festival holiday runs Sunday 15 to Monday 23 February
(Saturday 14 and Saturday 28 February are adjusted working days), so the week of Monday
16 February has no working day at all; National Day runs Thursday 1 to Wednesday 7
October.
"""

import datetime as dt

import pytest

from zugong.ability.rotation import Absence, SwapError, plan, session_day, swap
from zugong.core.workdays import WorkingDays

D = dt.date
FRIDAY, THURSDAY = 4, 3


def _calendar(start, end):
    # An explicit empty table: the package alone, no query.
    return WorkingDays(start, end, table={}).is_working


WORKING = _calendar(D(2026, 1, 1), D(2026, 12, 31))


def test_the_spring_festival_week_has_no_session_and_a_leave_keeps_its_place():
    # Queue A B C D, Fridays from 6 February; D is on leave 2–13 March.
    turns = plan(people="ABCD", start=D(2026, 2, 2), weeks=7, weekday=FRIDAY,
                 is_working=WORKING, absences=[Absence("D", D(2026, 3, 2), D(2026, 3, 13))])
    got = [(t.week, t.day, t.person, t.skipped) for t in turns]
    assert got == [
        (D(2026, 2, 2), D(2026, 2, 6), "A", ()),     # queue then B C D A
        (D(2026, 2, 9), D(2026, 2, 13), "B", ()),    # C D A B
        (D(2026, 2, 16), None, None, ()),            # 16–22 Feb all holiday: C keeps the turn
        (D(2026, 2, 23), D(2026, 2, 27), "C", ()),   # D A B C
        (D(2026, 3, 2), D(2026, 3, 6), "A", ("D",)),   # D on leave: A; D stays first
        (D(2026, 3, 9), D(2026, 3, 13), "B", ("D",)),  # still on leave (13 March included)
        (D(2026, 3, 16), D(2026, 3, 20), "D", ()),   # back: D speaks first
    ]


def test_a_holiday_on_the_usual_day_moves_the_session_within_its_week():
    # Week of 28 September: Thursday 1 October to Sunday 4 October are holidays, so the
    # nearest working day is Wednesday 30 September. The week after: Thursday 8 October.
    assert session_day(D(2026, 9, 28), THURSDAY, WORKING) == D(2026, 9, 30)
    turns = plan(people=["甲", "乙"], start=D(2026, 9, 28), weeks=2, weekday=THURSDAY,
                 is_working=WORKING)
    assert [(t.day, t.person, t.moved) for t in turns] == [
        (D(2026, 9, 30), "甲", True), (D(2026, 10, 8), "乙", False)]


def test_a_secondment_longer_than_the_plan_skips_the_person_every_week():
    # B is seconded for the whole spring: A and C alternate, B never speaks.
    turns = plan(people="ABC", start=D(2026, 3, 2), weeks=4, weekday=FRIDAY,
                 is_working=WORKING,
                 absences=[Absence("B", D(2026, 3, 1), D(2026, 6, 30), "secondment")])
    assert [t.person for t in turns] == ["A", "C", "A", "C"]


def test_two_people_swap_their_sessions_if_each_is_present_on_the_others_day():
    turns = plan(people="ABCD", start=D(2026, 2, 2), weeks=7, weekday=FRIDAY,
                 is_working=WORKING, absences=[Absence("D", D(2026, 3, 2), D(2026, 3, 13))],
                 swaps=[(D(2026, 2, 6), D(2026, 2, 13))])
    assert [t.person for t in turns[:2]] == ["B", "A"]
    # D (20 March) cannot take A's 6 March: D is on leave then.
    away = {"D": (D(2026, 3, 2), D(2026, 3, 13))}
    with pytest.raises(SwapError):
        swap(turns, D(2026, 3, 20), D(2026, 3, 6),
             present=lambda p, d: not (p in away and away[p][0] <= d <= away[p][1]))
    with pytest.raises(SwapError):
        swap(turns, D(2026, 2, 20), D(2026, 2, 6))  # the Spring Festival week has none


def test_thirty_two_cadres_each_speak_once_in_thirty_two_sessions():
    # 34 weeks from Monday 5 January to the week of 24 August. Fridays that are holidays
    # in 2026: 20 February (the whole week is off: no session), 1 May (Labour Day: moves
    # to Thursday 30 April) and 19 June (Dragon Boat: moves to Thursday 18 June). So
    # 34 − 1 = 33 sessions; the first 32 give each of the 32 cadres one turn, the 33rd
    # starts the second round with the first cadre.
    people = list(range(32))
    turns = plan(people=people, start=D(2026, 1, 5), weeks=34, weekday=FRIDAY,
                 is_working=WORKING)
    held = [t for t in turns if t.person is not None]
    assert len(held) == 33 and [t.person for t in held] == [*people, 0]
    assert [t.day for t in turns if t.moved] == [D(2026, 4, 30), D(2026, 6, 18)]


@pytest.mark.django_db
def test_the_rotation_page_plans_the_departments_cadres_and_skips_a_secondment(cast, client):
    from zugong.ability import selectors, services

    p = cast.people
    services.training_record(by=cast["head"], department=cast.dept, kind="secondment",
                             title="乡镇挂职", place="浦市镇", start=D(2026, 2, 1),
                             end=D(2026, 3, 31), hours=300, participants=[p["chief"]])
    # The department's own cadres in tree order: head and deputy at the department, then
    # 组织室 (chief, cadre), 干部室 (cadre2, assessor), 干部监督室 (supervisor). The
    # managed cadre and the other county's outsider are not in the rotation.
    turns = selectors.rotation_plan(user=cast["cadre"], start=D(2026, 2, 2), weeks=5,
                                    weekday=FRIDAY)
    got = [(t.day, t.person.name if t.person else None) for t in turns]
    assert got == [(D(2026, 2, 6), "向明远"), (D(2026, 2, 13), "杨秀英"), (None, None),
                   (D(2026, 2, 27), "李小红"),  # 张建国 is seconded: 李小红 speaks
                   (D(2026, 3, 6), "王磊")]     # 张建国 still away
    client.force_login(cast["cadre"])
    response = client.get("/ability/rotation/", {"start": "2026-02-02", "weeks": "5",
                                                 "swap": "2026-02-06,2026-02-13"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("杨秀英") < page.index("向明远")  # swapped
    bad = client.get("/ability/rotation/", {"start": "2026-02-02", "weeks": "5",
                                            "swap": "2026-02-06,2026-02-20"})
    assert bad.status_code == 422
    assert "请选择计划中有主讲人的两个日期。" in bad.content.decode()
