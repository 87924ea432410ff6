"""The lecture series' awards of each term (评优, issue 19) and the department picker of
leaders who hold roles in several departments."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from zugong.ability import services
from zugong.ability.models import LectureAward
from zugong.core import metrics
from zugong.core.models import AuditEntry

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 6)
TERM = {"start": "2026-01-01", "end": "2026-06-30"}


def _scored_lecture(cast, *, lecturers=("chief",), title="理论学习专题", held_on=DAY):
    p = cast.people
    lecture = services.lecture_record(
        by=cast["head"], department=cast.dept, topic="theory", title=title, held_on=held_on,
        lecturers=[p[n] for n in lecturers],
        discussants=[p["cadre"], p["cadre2"], p["supervisor"]], audience=[p["assessor"]])
    services.scheme_save(by=cast["head"], department=cast.dept, leaders_weight=100,
                         peers_weight=0, audience_weight=0)
    services.scoring_open(by=cast["head"], lecture=lecture)
    services.comment_save(by=cast["head"], lecture=lecture, score=92)
    return lecture


def test_an_award_goes_to_each_lecturer_and_counts_in_their_figures(cast):
    lecture = _scored_lecture(cast, lecturers=("chief", "deputy"))
    awards = services.lecture_award_give(
        by=cast["head"], department=cast.dept, lecture=lecture, level="first",
        title="优秀讲师", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30),
        on=dt.date(2026, 7, 2))
    assert sorted(a.person_id for a in awards) == sorted(
        [cast.people["chief"].pk, cast.people["deputy"].pk])
    assert {a.created_by_id for a in awards} == {cast["head"].pk}
    won = metrics.get("ability.lecture_awards").totals(
        people=[cast.people["chief"].pk, cast.people["cadre"].pk],
        start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert won == {(cast.people["chief"].pk, None): 1}
    entry = AuditEntry.objects.filter(action="ability.lecture.award").get()
    assert entry.after["level"] == "first" and entry.after["term"] == "2026-01-01~2026-06-30"


def test_an_award_needs_a_scored_lecture_of_the_term_and_is_given_once(cast):
    lecture = _scored_lecture(cast)
    term = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 6, 30)}
    with pytest.raises(ValidationError) as err:
        services.lecture_award_give(by=cast["head"], department=cast.dept, lecture=lecture,
                                    level="first", start=dt.date(2026, 4, 1),
                                    end=dt.date(2026, 6, 30))
    assert err.value.message_dict["lecture"] == ["请选择本期排名中的讲座。"]
    unscored = services.lecture_record(
        by=cast["head"], department=cast.dept, topic="theory", title="未评分", held_on=DAY,
        lecturers=[cast.people["cadre"]],
        discussants=[cast.people["chief"], cast.people["cadre2"], cast.people["supervisor"]])
    services.scoring_open(by=cast["head"], lecture=unscored)
    with pytest.raises(ValidationError) as err:
        services.lecture_award_give(by=cast["head"], department=cast.dept, lecture=unscored,
                                    level="second", **term)
    assert err.value.message_dict["lecture"] == ["只有已得出加权总分的讲座才能评奖。"]
    services.lecture_award_give(by=cast["head"], department=cast.dept, lecture=lecture,
                                level="second", **term)
    with pytest.raises(ValidationError):
        services.lecture_award_give(by=cast["head"], department=cast.dept, lecture=lecture,
                                    level="first", **term)
    with pytest.raises(PermissionDenied):
        services.lecture_award_give(by=cast["cadre"], department=cast.dept, lecture=lecture,
                                    level="first", start=dt.date(2026, 1, 1),
                                    end=dt.date(2026, 12, 31))
    assert LectureAward.objects.count() == 1


@pytest.mark.parametrize("who, status", [("head", 302), ("deputy", 302), ("chief", 302),
                                         ("cadre", 403), ("auditor", 403)])
def test_awarding_from_the_ranking_page_is_for_the_departments_leaders(cast, client, who,
                                                                       status):
    lecture = _scored_lecture(cast)
    client.force_login(cast[who])
    response = client.post("/ability/lectures/ranking/award/",
                           {**TERM, "lecture": lecture.pk, "level": "third", "title": ""})
    assert response.status_code == status
    assert LectureAward.objects.filter(lecture=lecture).count() == (1 if status == 302 else 0)


def test_another_departments_head_can_neither_award_nor_see_the_awards(cast, client):
    lecture = _scored_lecture(cast)
    client.force_login(cast["outsider"])
    response = client.post("/ability/lectures/ranking/award/",
                           {**TERM, "lecture": lecture.pk, "level": "first"})
    # Their own department's ranking offers no such lecture: the same words as a missing one.
    assert response.status_code == 400
    assert "请选择本期排名中的讲座。" in response.content.decode()
    assert "理论学习专题" not in response.content.decode()
    assert not LectureAward.objects.exists()
    assert client.get("/ability/lectures/ranking/",
                      {"department": cast.dept.pk}).status_code == 404
    assert client.get(f"/ability/person/{cast.people['chief'].pk}/").status_code == 404


def test_the_awards_show_on_the_ranking_lecture_and_person_pages_and_export(cast, client):
    lecture = _scored_lecture(cast)
    services.lecture_award_give(by=cast["head"], department=cast.dept, lecture=lecture,
                                level="first", title="优秀讲师", start=dt.date(2026, 1, 1),
                                end=dt.date(2026, 6, 30))
    client.force_login(cast["cadre"])
    page = client.get("/ability/lectures/ranking/", TERM).content.decode()
    assert "优秀讲师" in page and 'id="award-form"' not in page
    assert "优秀讲师" in client.get(f"/ability/lectures/{lecture.pk}/").content.decode()
    tab = client.get(f"/ability/person/{cast.people['chief'].pk}/").content.decode()
    assert "一等奖" in tab and "理论学习专题" in tab
    response = client.get("/ability/lectures/ranking/awards.xlsx", TERM)
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("一等奖", "优秀讲师", cast.people["chief"].name)
    assert AuditEntry.objects.filter(action="ability.lecture.award_export").exists()
    client.force_login(cast["head"])
    assert 'id="award-form"' in client.get("/ability/lectures/ranking/", TERM).content.decode()


def test_a_leader_of_two_departments_picks_the_department_and_records_there(cast, client):
    from zugong.people.models import Role, Scope
    from zugong.people.services.accounts import role_grant

    role_grant(by=None, user=cast["head"], role=Role.HEAD, scope=Scope.OWN_UNIT_AND_BELOW,
               unit=cast.other_dept, units=[])
    client.force_login(cast["head"])
    page = client.get("/ability/lectures/ranking/").content.decode()
    assert 'id="department-picker"' in page and cast.other_dept.name in page
    response = client.get("/ability/lectures/new/", {"department": cast.other_dept.pk})
    assert response.context["department"] == cast.other_dept
    assert client.get("/ability/lectures/new/",
                      {"department": cast.county_unit.pk}).status_code == 404
    assert client.get("/ability/lectures/ranking/", {"department": "x"}).status_code == 404
    # A leader of one department sees no picker.
    client.force_login(cast["deputy"])
    assert 'id="department-picker"' not in client.get(
        "/ability/lectures/ranking/").content.decode()
