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
    plan_ = selectors.rotation_plan(user=cast["cadre"], start=D(2026, 2, 2), weeks=5,
                                    weekday=FRIDAY)
    got = [(t.day, t.person.name if t.person else None) for t in plan_.turns]
    assert got == [(D(2026, 2, 6), "向明远"), (D(2026, 2, 13), "杨秀英"), (None, None),
                   (D(2026, 2, 27), "李小红"),  # 张建国 is seconded: 李小红 speaks
                   (D(2026, 3, 6), "王磊")]     # 张建国 still away
    client.force_login(cast["cadre"])
    response = client.get("/ability/rotation/", {"start": "2026-02-02", "weeks": "5"})
    assert response.status_code == 200
    assert 'id="swap-form"' not in response.content.decode()  # a cadre keeps no swap
    bad = client.get("/ability/rotation/", {"start": "2026-02-30", "weeks": "5"})
    assert bad.status_code == 422
    assert "请按 2026-03-02 的格式填写开始日期。" in bad.content.decode()


# ------------------------------------------------------------------ hand-checked: holiday,
# annual leave (care), secondment (training) and a stored swap.
#
# Five Fridays from Monday 27 April 2026. Friday 1 May is Labour Day (1–5 May off): the
# session moves to Thursday 30 April. The queue is 向明远 (head), 杨秀英 (deputy), 张建国
# (chief), 李小红 (cadre), 王磊 (cadre2), 陈刚, 刘芳.
#   杨秀英 is on annual leave 29 April – 8 May (recorded in care);
#   张建国 is seconded 20 April – 20 May (recorded in training).
#   30 Apr: 向明远 (first present).
#    8 May: 杨秀英 on leave, 张建国 seconded: both keep their place; 李小红 speaks.
#   15 May: 杨秀英 is back and first in the queue: she speaks; 张建国 still away.
#   22 May: 张建国 back (since 21 May): he speaks.
#   29 May: 王磊.
# Then the head keeps a swap of 15 May (杨秀英) and 29 May (王磊).

HAND_CHECKED = [(D(2026, 4, 30), "向明远"), (D(2026, 5, 8), "李小红"),
                (D(2026, 5, 15), "杨秀英"), (D(2026, 5, 22), "张建国"), (D(2026, 5, 29), "王磊")]


def _absences(cast):
    from zugong.ability import services
    from zugong.care.models import LeaveTaken

    p = cast.people
    LeaveTaken.objects.create(person=p["deputy"], on=D(2026, 4, 29), until=D(2026, 5, 8),
                              days=5, note="探亲")
    services.training_record(by=cast["head"], department=cast.dept, kind="secondment",
                             title="乡镇挂职", place="浦市镇", start=D(2026, 4, 20),
                             end=D(2026, 5, 20), hours=160, participants=[p["chief"]])


PLAN = {"start": D(2026, 4, 27), "weeks": 5, "weekday": FRIDAY}


def _names(turns):
    return [(t.day, t.person.name) for t in turns]


@pytest.mark.django_db
def test_the_rotation_checked_by_hand_over_a_holiday_a_care_leave_a_secondment_and_a_swap(
        cast, client):
    from zugong.ability import selectors, services
    from zugong.ability.models import RotationSwap
    from zugong.core.models import AuditEntry

    _absences(cast)
    plan_ = selectors.rotation_plan(user=cast["cadre"], **PLAN)
    assert _names(plan_.turns) == HAND_CHECKED
    assert plan_.turns[0].moved and [p.name for p in plan_.turns[1].skipped] == [
        "杨秀英", "张建国"]

    client.force_login(cast["head"])
    form = {"start": "2026-04-27", "weeks": "5", "weekday": "4", "first_day": "2026-05-29",
            "second_day": "2026-05-15", "reason": "王磊15日下乡"}
    response = client.post(f"/ability/rotation/swaps/?department={cast.dept.pk}", form)
    assert response.status_code == 302
    swap = RotationSwap.objects.get()
    assert (swap.first_day, swap.first_person, swap.second_day, swap.second_person) == (
        D(2026, 5, 15), cast.people["deputy"], D(2026, 5, 29), cast.people["cadre2"])
    entry = AuditEntry.objects.get(action="ability.rotationswap.record")
    assert entry.actor_id == cast["head"].pk and entry.after["reason"] == "王磊15日下乡"

    # The published plan keeps the swap, for everyone who opens it.
    swapped = [HAND_CHECKED[0], HAND_CHECKED[1], (D(2026, 5, 15), "王磊"), HAND_CHECKED[3],
               (D(2026, 5, 29), "杨秀英")]
    assert _names(selectors.rotation_plan(user=cast["cadre"], **PLAN).turns) == swapped
    client.force_login(cast["cadre"])
    page = client.get("/ability/rotation/", {"start": "2026-04-27", "weeks": "5"})
    html = page.content.decode()
    rows = html[html.index('id="rotation-table"'):html.index("</table>")].split("</tr>")
    speaker = {day: next(r for r in rows if day in r).split('data-label="主讲人">')[1]
               .split("<")[0] for day in ("2026-05-15", "2026-05-29", "2026-05-22")}
    assert speaker == {"2026-05-15": "王磊", "2026-05-29": "杨秀英", "2026-05-22": "张建国"}
    assert "王磊15日下乡" in html and html.count("已调换") == 2

    # 张建国 (22 May) cannot take 李小红's 8 May: he is seconded then. A day already in a
    # swap is refused too. Both answer on the page, nothing is kept.
    client.force_login(cast["head"])
    away = client.post(f"/ability/rotation/swaps/?department={cast.dept.pk}",
                       {**form, "first_day": "2026-05-08", "second_day": "2026-05-22"})
    again = client.post(f"/ability/rotation/swaps/?department={cast.dept.pk}",
                        {**form, "first_day": "2026-04-30", "second_day": "2026-05-15"})
    assert (away.status_code, again.status_code) == (400, 400)
    assert "其中一人在对方的日期不在岗，无法互换。" in away.content.decode()
    assert "其中一天已在另一项互换中：请先取消那项互换。" in again.content.decode()
    assert RotationSwap.objects.count() == 1

    # Cancelling it brings back the computed plan; the audit keeps the swap.
    response = client.post(f"/ability/rotation/swaps/{swap.pk}/cancel/",
                           {"start": "2026-04-27", "weeks": "5", "weekday": "4"})
    assert response.status_code == 302 and not RotationSwap.objects.exists()
    assert AuditEntry.objects.get(action="ability.rotationswap.cancel").before[
        "second_person"] == cast.people["cadre2"].pk
    assert _names(selectors.rotation_plan(user=cast["cadre"], **PLAN).turns) == HAND_CHECKED
    assert services  # the swap above went through the service (the view calls it)


@pytest.mark.django_db
def test_a_kept_swap_is_left_aside_when_a_later_absence_changes_the_plan(cast):
    from zugong.ability import selectors, services
    from zugong.care.models import LeaveTaken

    _absences(cast)
    swap = services.rotation_swap_record(by=cast["head"], department=cast.dept,
                                         first_day=D(2026, 5, 15), second_day=D(2026, 5, 29),
                                         **PLAN)
    # 王磊 takes leave on 15 May after the swap was agreed: the plan no longer names him
    # on 29 May, so the swap is shown as left aside and nobody else is moved.
    LeaveTaken.objects.create(person=cast.people["cadre2"], on=D(2026, 5, 14),
                              until=D(2026, 5, 15), days=2)
    plan_ = selectors.rotation_plan(user=cast["head"], **PLAN)
    assert [s.pk for s in plan_.swaps] == [swap.pk] and not plan_.swaps[0].applied
    assert not any(t.swapped for t in plan_.turns)


@pytest.mark.django_db
def test_only_a_leader_of_the_department_keeps_a_swap(cast):
    from django.core.exceptions import PermissionDenied

    from zugong.ability import services

    with pytest.raises(PermissionDenied):
        services.rotation_swap_record(by=cast["cadre"], department=cast.dept,
                                      first_day=D(2026, 4, 30), second_day=D(2026, 5, 8),
                                      **PLAN)


@pytest.mark.django_db
def test_the_care_hook_gives_dates_only_and_only_for_a_department_the_user_reads(cast):
    from zugong.care.hooks import leave_periods
    from zugong.care.models import LeaveTaken

    LeaveTaken.objects.create(person=cast.people["deputy"], on=D(2026, 4, 29),
                              until=D(2026, 5, 8), days=5, note="探亲")
    args = {"department_id": cast.dept.pk, "start": D(2026, 4, 27), "end": D(2026, 6, 7)}
    expected = [(cast.people["deputy"].pk, D(2026, 4, 29), D(2026, 5, 8))]
    assert leave_periods(user=cast["cadre"], **args) == expected  # no days, no note
    assert leave_periods(user=cast["outsider"], **args) == []  # another department
    assert leave_periods(user=cast["sysadmin"], **args) == []  # no care.view
    assert leave_periods(user=cast["cadre"], **{**args, "start": D(2026, 5, 9)}) == []


@pytest.mark.django_db
def test_the_rotation_works_without_the_care_app(cast, monkeypatch):
    from zugong.ability import selectors

    _absences(cast)
    # As when care is not installed: no app offers the hook, the leave is not known.
    monkeypatch.setattr(selectors, "hook", lambda name: None)
    turns = selectors.rotation_plan(user=cast["cadre"], **PLAN).turns
    assert _names(turns)[:3] == [(D(2026, 4, 30), "向明远"), (D(2026, 5, 8), "杨秀英"),
                                 (D(2026, 5, 15), "李小红")]


def test_a_plan_made_after_the_weeks_session_starts_with_the_next_week():
    # Saturday 5 December 2026: that week's Friday session (4 December) has passed, so the
    # plan begins with the week of 7 December instead of listing a week without a session.
    turns = plan(people="AB", start=D(2026, 12, 5), weeks=2, weekday=FRIDAY,
                 is_working=lambda day: day.weekday() < 5)
    assert [(t.week, t.day, t.person) for t in turns] == [
        (D(2026, 12, 7), D(2026, 12, 11), "A"), (D(2026, 12, 14), D(2026, 12, 18), "B")]
