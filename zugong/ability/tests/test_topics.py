"""Research topics (领题调研, M23): a team, milestones, a report that is a learning writing,
and the leaders' adoption."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zugong.ability import selectors, services
from zugong.core import metrics
from zugong.learning.models import Writing

pytestmark = pytest.mark.django_db


def test_a_topic_goes_from_milestones_to_report_to_adoption(cast, client):
    p = cast.people
    topic = services.topic_create(by=cast["chief"], department=cast.dept, year=2026,
                                  title="年轻干部成长路径调研", leader=p["cadre"],
                                  members=[p["cadre2"]],
                                  milestones=[("深入调研", dt.date(2026, 6, 30)),
                                              ("形成初稿", dt.date(2026, 9, 30))])
    milestone = topic.milestones.order_by("due_on").first()
    services.milestone_done(by=cast["cadre"], milestone=milestone, done_on=dt.date(2026, 6, 20))
    with pytest.raises(PermissionDenied):
        services.topic_report(by=cast["cadre2"], topic=topic, title="报告", text="正文")
    topic = services.topic_report(by=cast["cadre"], topic=topic, title="关于年轻干部成长的调研报告",
                                  text="一、基本情况……")
    writing = Writing.objects.get(pk=topic.writing_id)
    assert (writing.person_id, writing.kind) == (p["cadre"].pk, "research")
    with pytest.raises(ValidationError) as err:
        services.topic_adopt(by=cast["head"], topic=topic, version=topic.version,
                             adopted_on=topic.reported_on - dt.timedelta(days=1),
                             adoption="部长批示")
    assert err.value.message_dict["adopted_on"] == ["日期应在报告提交之后、今天之前。"]
    topic = services.topic_adopt(by=cast["head"], topic=topic, version=topic.version,
                                 adopted_on=topic.reported_on, adoption="部长批示转化为制度")
    assert topic.status == "adopted"
    # Both team members completed a topic; one report by the leader.
    done = metrics.get("ability.topics_completed").totals(
        people=[p["cadre"].pk, p["cadre2"].pk], start=dt.date(2000, 1, 1),
        end=dt.date(2100, 1, 1))
    assert done == {(p["cadre"].pk, None): 1, (p["cadre2"].pk, None): 1}
    row = selectors.topic_list(user=cast["cadre2"]).get()
    assert (row.member_count, row.milestone_count, row.milestones_done) == (2, 2, 1)
    client.force_login(cast["cadre2"])
    page = client.get(f"/ability/topics/{topic.pk}/").content.decode()
    assert "关于年轻干部成长的调研报告" in page


def test_a_milestone_line_without_a_day_is_refused_on_the_page(cast, client):
    client.force_login(cast["head"])
    response = client.post("/ability/topics/new/", {
        "year": "2026", "title": "调研", "leader": cast.people["cadre"].pk,
        "milestones": "深入调研 六月底"})
    assert response.status_code == 400
    assert "每行填写一个步骤，空格后填写日期，如 2026-06-30。" in response.content.decode()
