"""Training and secondments (M29): participants and hours, and a summary that is a
learning writing entered once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zugong.ability import selectors, services
from zugong.ability.models import Trainee
from zugong.core import metrics
from zugong.learning.models import Writing

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 4, 6)


def _training(cast, **over):
    p = cast.people
    data = {"by": cast["chief"], "department": cast.dept, "kind": "tour",
            "title": "赴安吉考察", "place": "浙江安吉", "start": DAY,
            "end": DAY + dt.timedelta(days=4), "hours": "40",
            "participants": [p["cadre"], p["cadre2"]]}
    data.update(over)
    return services.training_record(**data)


def test_a_training_needs_its_dates_hours_and_people_of_the_department(cast):
    with pytest.raises(ValidationError) as err:
        _training(cast, end=DAY - dt.timedelta(days=1), hours="0", place="",
                  participants=[cast.people["outsider"]])
    messages = err.value.message_dict
    assert messages["end"] == ["结束日期不能早于开始日期。"]
    assert messages["hours"] == ["学时应为大于零的数字。"]
    assert messages["place"] == ["请填写地点。"]
    assert messages["participants"] == ["请选择本部门的人员。"]
    with pytest.raises(PermissionDenied):
        _training(cast, by=cast["cadre"])


def test_the_summary_is_one_learning_writing_counted_by_both_apps(cast):
    training = _training(cast)
    mine = Trainee.objects.get(training=training, person=cast.people["cadre"])
    services.summary_submit(by=cast["cadre"], trainee=mine, title="考察心得",
                            text="学习了安吉的基层治理经验。")
    writing = Writing.objects.get(person=cast.people["cadre"])
    # The cadre's own writing waits for the chief, as any learning record does.
    assert (writing.title, writing.kind, writing.status) == ("考察心得", "reflection", "pending")
    mine.refresh_from_db()
    assert mine.writing_id == writing.pk and mine.summary_title == "考察心得"
    with pytest.raises(ValidationError) as err:
        services.summary_submit(by=cast["cadre"], trainee=mine, title="再交", text="重复")
    assert err.value.message_dict["text"] == ["小结已提交，如需修改请到学习记录中修改。"]
    assert Writing.objects.filter(person=cast.people["cadre"]).count() == 1
    other = Trainee.objects.get(training=training, person=cast.people["cadre2"])
    with pytest.raises(PermissionDenied):
        services.summary_submit(by=cast["cadre"], trainee=other, title="代交", text="代写")


def test_the_figures_and_metrics_count_hours_and_summaries(cast):
    p = cast.people
    training = _training(cast)
    _training(cast, kind="secondment", title="乡镇挂职", place="浦市镇",
              start=DAY + dt.timedelta(days=10), end=DAY + dt.timedelta(days=100),
              hours="360", participants=[p["cadre"]])
    services.summary_submit(by=cast["cadre2"], trainee=Trainee.objects.get(
        training=training, person=p["cadre2"]), title="心得", text="体会")
    figures = selectors.training_figures(user=cast["head"], department=cast.dept,
                                         start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    # Three participations: 40 + 40 + 360 = 440 hours; one summary.
    assert figures == {"trainees": 3, "hours": Decimal("440.0"), "summaries": 1}
    hours = metrics.get("ability.training_hours").totals(
        people=[p["cadre"].pk], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert hours == {(p["cadre"].pk, None): Decimal("400.0")}
    # The secondment takes the cadre away: the rotation reads it.
    away = selectors.away_periods(department=cast.dept, start=dt.date(2026, 4, 1),
                                  end=dt.date(2026, 4, 30))
    assert away == [(p["cadre"].pk, DAY + dt.timedelta(days=10), DAY + dt.timedelta(days=100))]


def test_the_detail_page_offers_the_form_to_a_participant_only(cast, client):
    training = _training(cast)
    client.force_login(cast["cadre"])
    page = client.get(f"/ability/trainings/{training.pk}/").content.decode()
    assert 'id="summary-form"' in page
    response = client.post(f"/ability/trainings/{training.pk}/summary/",
                           {"kind": "reflection", "title": "", "text": ""})
    assert response.status_code == 400
    client.force_login(cast["head"])
    assert 'id="summary-form"' not in client.get(
        f"/ability/trainings/{training.pk}/").content.decode()
    assert client.post(f"/ability/trainings/{training.pk}/summary/",
                       {"kind": "reflection", "title": "t", "text": "x"}).status_code == 403
