"""Lectures: the rules of a session, the figures, the pages and the API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zugong.ability import selectors, services
from zugong.ability.models import Seat
from zugong.core import metrics
from zugong.core.audit import SYSTEM
from zugong.core.versioning import ConflictError

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 6)


def _record(cast, **over):
    p = cast.people
    data = {"by": cast["head"], "department": cast.dept, "topic": "theory",
            "title": "理论学习专题", "held_on": DAY, "lecturers": [p["chief"]],
            "discussants": [p["cadre"], p["cadre2"], p["supervisor"]],
            "audience": [p["assessor"], p["deputy"], p["managed"]]}
    data.update(over)
    return services.lecture_record(**data)


def test_a_session_records_every_part_once_and_counts_the_audience(cast):
    p = cast.people
    # The chief is named lecturer and audience: the lecturer part wins, no double count.
    lecture = _record(cast, audience=[p["assessor"], p["deputy"], p["managed"], p["chief"]])
    parts = sorted(Seat.objects.filter(lecture=lecture).values_list("part", flat=True))
    assert parts == ["audience"] * 3 + ["discussant"] * 3 + ["lecturer"]
    assert set(Seat.objects.filter(lecture=lecture).values_list("on", flat=True)) == {DAY}


def test_the_hall_needs_one_or_two_lecturers_and_three_to_five_discussants(cast):
    p = cast.people
    with pytest.raises(ValidationError) as err:
        _record(cast, lecturers=[], discussants=[p["cadre"], p["cadre2"]], title=" ")
    messages = err.value.message_dict
    assert messages["lecturers"] == ["每期讲堂安排1至2名主讲人。"]
    assert messages["discussants"] == ["每期讲堂安排3至5名研讨交流人。"]
    assert messages["title"] == ["请填写讲座题目。"]
    # The weekly forum is one cadre's turn: no discussants needed.
    forum = _record(cast, series="forum", discussants=[])
    assert forum.series == "forum"


def test_someone_of_another_department_is_refused_without_a_name(cast):
    with pytest.raises(ValidationError) as err:
        _record(cast, audience=[cast.people["outsider"]])
    assert err.value.message_dict["audience"] == ["请选择本部门的人员。"]
    assert "龙海" not in str(err.value)


def test_only_a_manager_of_the_department_records_a_lecture(cast):
    with pytest.raises(PermissionDenied):
        _record(cast, by=cast["cadre"])
    with pytest.raises(PermissionDenied):
        _record(cast, by=cast["outsider"])


def test_a_stale_edit_is_refused_and_a_fresh_one_reseats(cast):
    p = cast.people
    lecture = _record(cast)
    services.lecture_update(by=cast["chief"], lecture=lecture, version=1, series="hall",
                            topic="party", title="改题", held_on=DAY + dt.timedelta(days=1),
                            lecturers=[p["chief"], p["cadre"]],
                            discussants=[p["cadre2"], p["supervisor"], p["assessor"]],
                            audience=[p["head"]])
    seats = dict(Seat.objects.filter(lecture=lecture).values_list("person_id", "part"))
    assert seats[p["cadre"].pk] == "lecturer" and seats[p["head"].pk] == "audience"
    assert len(seats) == 6
    with pytest.raises(ConflictError):
        services.lecture_update(by=cast["chief"], lecture=lecture, version=1, series="hall",
                                topic="party", title="再改", held_on=DAY,
                                lecturers=[p["chief"]],
                                discussants=[p["cadre2"], p["supervisor"], p["assessor"]])


def test_the_figures_count_sessions_distinct_lecturers_and_audience_seats(cast):
    p = cast.people
    _record(cast)  # chief lectures; audience 3
    _record(cast, held_on=DAY + dt.timedelta(days=7), lecturers=[p["chief"], p["cadre"]],
            discussants=[p["cadre2"], p["supervisor"], p["assessor"]],
            audience=[p["head"], p["deputy"]])  # audience 2
    figures = selectors.lecture_figures(user=cast["cadre"], department=cast.dept,
                                        start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    # 2 sessions; lecturers {chief, cadre} = 2; audience 3 + 2 = 5; discussants 3 + 3 = 6.
    assert (figures.lectures, figures.lecturers, figures.person_times,
            figures.discussants) == (2, 2, 5, 6)
    attended = metrics.get("ability.lectures_attended").totals(
        people=[p["deputy"].pk, p["head"].pk], start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31))
    # The deputy sat in both audiences, the head in the second only.
    assert attended == {(p["deputy"].pk, None): 2, (p["head"].pk, None): 1}
    given = metrics.get("ability.lectures_given").totals(
        people=[p["chief"].pk], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert given == {(p["chief"].pk, None): 2}


def test_the_form_shows_each_rule_beside_its_field(cast, client):
    client.force_login(cast["chief"])
    response = client.post("/ability/lectures/new/", {
        "series": "hall", "topic": "theory", "title": "专题", "held_on": "2026-03-06",
        "lecturers": [cast.people["chief"].pk], "discussants": [cast.people["cadre"].pk]})
    assert response.status_code == 400
    assert "每期讲堂安排3至5名研讨交流人。" in response.content.decode()
    response = client.post("/ability/lectures/new/", {
        "series": "hall", "topic": "theory", "title": "专题", "held_on": "2026-03-06",
        "lecturers": [cast.people["outsider"].pk]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请选择本部门的人员。" in page and "龙海" not in page


def test_the_list_filters_on_a_person_and_refuses_one_of_another_department(cast, client):
    p = cast.people
    _record(cast)
    _record(cast, lecturers=[p["cadre"]], discussants=[p["cadre2"], p["supervisor"],
                                                       p["assessor"]], audience=[])
    client.force_login(cast["cadre2"])
    page = client.get("/api/v1/ability/lectures", {"person": p["chief"].pk}).json()
    assert len(page["items"]) == 1 and page["items"][0]["lecturers"] == ["张建国"]
    assert client.get("/api/v1/ability/lectures", {"person": p["outsider"].pk}).status_code == 404
    assert client.get("/ability/lectures/", {"person": p["outsider"].pk}).status_code == 404
    assert client.get("/api/v1/ability/lectures", {"limit": "x"}).status_code == 422


def test_the_list_page_query_count_does_not_grow_with_the_lectures(cast, client):
    client.force_login(cast["head"])
    _record(cast)
    client.get("/ability/lectures/")  # the first request of a session warms its caches
    with CaptureQueriesContext(connection) as few:
        assert client.get("/ability/lectures/").status_code == 200
    for k in range(4):
        _record(cast, by=SYSTEM, held_on=DAY + dt.timedelta(days=k + 1))
    with CaptureQueriesContext(connection) as more:
        assert client.get("/ability/lectures/").status_code == 200
    assert len(more) == len(few)
