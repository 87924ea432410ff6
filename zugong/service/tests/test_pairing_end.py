"""Ending a pairing (issue 20): its last day and reason, the record kept, coverage owing
nothing after the end (figures computed by hand); and 六联六促 liaisons pointing at a research
topic of the ability app through the kit's hook (issue 20, point 4)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zugong.ability import services as ability
from zugong.core.audit import SYSTEM
from zugong.core.models import AuditEntry
from zugong.service import selectors, services
from zugong.service.coverage import Rules
from zugong.service.models import ContactPoint, Household, Liaison

pytestmark = pytest.mark.django_db
D = dt.date
AS_OF = D(2026, 5, 20)  # January to April are judged; May is the open month


def _pairings(cast):
    cadre = cast.people["cadre"]
    village = services.point_create(by=SYSTEM, person=cadre, kind="village", name="白沙村",
                                    on=D(2026, 1, 1))
    household = services.household_create(by=SYSTEM, person=cadre, name="张大爷",
                                          on=D(2026, 2, 1))
    for on in (D(2026, 1, 10), D(2026, 3, 5)):
        services.visit_record(by=SYSTEM, person=cadre, kind="village", point=village, on=on,
                              heard="反映村道维修")
    services.visit_record(by=SYSTEM, person=cadre, kind="household", mode="phone",
                          household=household, on=D(2026, 2, 3), heard="询问医保报销")
    return village, household


def _coverage(cast):
    return selectors.coverage_for([cast.people["cadre"]], rules=Rules(), year=2026,
                                  as_of=AS_OF)[0]


def test_an_ended_pairing_is_owed_nothing_after_its_last_day(cast):
    village, household = _pairings(cast)
    before = _coverage(cast)
    # Still paired: the village owes January to April (4), met in January and March (2),
    # and is owed in May; the household owes February to April (3), met in February (1).
    assert (before.points.due, before.points.met, before.points.owed_now) == (
        4, 2, [village.pk])
    assert (before.households.due, before.households.met) == (3, 1)
    services.pairing_end(by=cast["cadre"], pairing=village, version=village.version,
                         until=D(2026, 3, 10), reason="村级联系点调整")
    services.pairing_end(by=cast["chief"], pairing=household, version=household.version,
                         until=D(2026, 2, 28), reason="已脱困，结束帮扶")
    after = _coverage(cast)
    # The village lasts January to 10 March: 3 months due, 2 met, nothing owed in May.
    # The household lasts February only: 1 due, 1 met.
    assert (after.points.due, after.points.met, after.points.owed_now) == (3, 2, [])
    assert (after.households.due, after.households.met, after.households.owed_now) == (
        1, 1, [])
    village.refresh_from_db()
    assert (village.until, village.end_reason) == (D(2026, 3, 10), "村级联系点调整")
    entry = AuditEntry.objects.filter(action="service.point.end").get()
    assert entry.before["until"] is None and entry.after["end_reason"] == "村级联系点调整"
    # The records stay, and no visit is recorded after the end.
    assert ContactPoint.objects.filter(pk=village.pk).exists()
    with pytest.raises(ValidationError) as err:
        services.visit_record(by=SYSTEM, person=cast.people["cadre"], kind="village",
                              point=village, on=D(2026, 4, 1), heard="回访")
    assert err.value.message_dict["point"] == ["该结对已于2026-03-10结束。"]


def test_an_end_needs_a_reason_a_day_after_the_start_and_happens_once(cast):
    village, _household = _pairings(cast)
    with pytest.raises(ValidationError) as err:
        services.pairing_end(by=cast["cadre"], pairing=village, version=village.version,
                             until=D(2025, 12, 31), reason=" ")
    assert set(err.value.message_dict) == {"until", "reason"}
    ended = services.pairing_end(by=cast["cadre"], pairing=village, version=village.version,
                                 until=D(2026, 3, 31), reason="调整")
    with pytest.raises(ValidationError) as err:
        services.pairing_end(by=cast["cadre"], pairing=ended, version=ended.version,
                             until=D(2026, 4, 30), reason="再次调整")
    assert err.value.message_dict["until"] == ["该结对已于2026-03-31结束。"]


def test_the_pairings_page_ends_a_pairing_for_whoever_keeps_it(cast, client):
    _village, household = _pairings(cast)
    url = reverse("service:pairing_end", args=["household", household.pk])
    data = {"version": household.version, "until": "2026-04-30", "reason": "帮扶对象调整"}
    for who, status in (("cadre2", 404), ("outsider", 404), ("supervisor", 403),
                        ("auditor", 403)):
        client.force_login(cast[who])
        assert client.post(url, data).status_code == status, who
    client.force_login(cast["cadre"])
    page = client.get(reverse("service:pairings")).content.decode()
    assert "zg-pairing-end" in page
    missing = client.post(url, {**data, "reason": ""}, follow=True)
    assert "请填写结束结对的原因。" in missing.content.decode()
    assert Household.objects.get(pk=household.pk).until is None
    assert client.post(url, data).status_code == 302
    assert Household.objects.get(pk=household.pk).until == D(2026, 4, 30)
    page = client.get(reverse("service:pairings")).content.decode()
    assert "帮扶对象调整" in page
    assert client.post(reverse("service:pairing_end", args=["x", household.pk]),
                       data).status_code == 404


def _topic(cast, title="乡村振兴中基层党组织作用发挥"):
    return ability.topic_create(by=cast["head"], department=cast.dept, year=2026,
                                title=title, leader=cast.people["chief"])


def test_a_liaison_points_at_an_ability_research_topic_through_the_hook(cast, client):
    topic = _topic(cast)
    liaison = services.liaison_create(by=cast["cadre"], kind="village", target="白沙村",
                                      on=D(2026, 3, 1), research_topic_id=topic.pk)
    assert Liaison.objects.get(pk=liaison.pk).research_topic_id == topic.pk
    client.force_login(cast["cadre"])
    page = client.get(reverse("service:liaisons")).content.decode()
    assert "乡村振兴中基层党组织作用发挥" in page
    assert reverse("ability:topic", args=[topic.pk]) in page
    # The form offers the department's topics; the page posts the id.
    response = client.post(reverse("service:liaisons"), {
        "person": cast.people["cadre"].pk, "kind": "party_org", "target": "白沙村党支部",
        "research_topic_id": topic.pk, "on": "2026-03-02"})
    assert response.status_code == 302
    assert Liaison.objects.filter(target="白沙村党支部", research_topic_id=topic.pk).exists()


def test_a_topic_the_user_may_not_read_is_refused_and_never_named(cast, client):
    theirs = ability.topic_create(by=cast["outsider"], department=cast.other_dept,
                                  year=2026, title="外县调研课题",
                                  leader=cast.people["outsider"])
    with pytest.raises(ValidationError) as err:
        services.liaison_create(by=cast["cadre"], kind="village", target="白沙村",
                                on=D(2026, 3, 1), research_topic_id=theirs.pk)
    assert err.value.message_dict["research_topic_id"] == ["请选择您可查看的调研课题。"]
    client.force_login(cast["cadre"])
    response = client.post(reverse("service:liaisons"), {
        "person": cast.people["cadre"].pk, "kind": "village", "target": "白沙村",
        "research_topic_id": theirs.pk, "on": "2026-03-02"})
    assert response.status_code == 400
    assert "外县调研课题" not in response.content.decode()
    # A liaison made by the system with another department's topic shows no title.
    services.liaison_create(by=SYSTEM, person=cast.people["cadre"], kind="young",
                            target="年轻干部", on=D(2026, 3, 1), research_topic_id=theirs.pk)
    assert "外县调研课题" not in client.get(reverse("service:liaisons")).content.decode()
