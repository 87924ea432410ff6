"""五送 deliveries (精神 / 政策 / 技能 / 医保 / 关爱) and 我为群众办实事 items with their status
(issue 20, point 2): recording, bad input in Chinese on the page, status changes, who may
do what, and the figures they feed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from zugong.core.audit import SYSTEM
from zugong.core.metrics import get as metric
from zugong.core.models import AuditEntry
from zugong.core.versioning import ConflictError
from zugong.service import selectors, services
from zugong.service.models import Deed, Delivery
from zugong.service.selectors import Filters

DAY = dt.date(2026, 3, 2)
Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
Q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


def _household(cast, who="cadre", name="张大爷"):
    return services.household_create(by=SYSTEM, person=cast.people[who], name=name,
                                     on=dt.date(2026, 1, 1), difficulty=True)


def _total(key, person, span) -> int:
    return int(sum(metric(key).totals(people=[person.pk], start=span[0],
                                      end=span[1]).values()))


# ---------------------------------------------------------------- 五送


def test_each_of_the_five_is_recorded_for_an_own_household_and_counted_by_item(cast):
    household = _household(cast)
    person = cast.people["cadre"]
    # 精神 twice, 政策 once, 技能 once, 医保 once in the first quarter; 关爱 in April.
    for item, on in (("spirit", DAY), ("spirit", DAY + dt.timedelta(days=7)),
                     ("policy", DAY), ("skill", DAY), ("medical", DAY),
                     ("care", dt.date(2026, 4, 3))):
        services.delivery_record(by=cast["cadre"], household=household, item=item, on=on,
                                 note="送去慰问品")
    assert Delivery.objects.filter(person=person).count() == 6
    entry = AuditEntry.objects.filter(action="service.delivery.record").latest("seq")
    assert entry.after == {"item": "care", "on": "2026-04-03"}
    assert _total("service.deliveries", person, Q1) == 5
    assert _total("service.deliveries", person, Q2) == 1
    assert [_total(f"service.deliveries_{i}", person, Q1)
            for i in ("spirit", "policy", "skill", "medical", "care")] == [2, 1, 1, 1, 0]
    assert _total("service.deliveries_care", person, Q2) == 1
    # The list's item filter is what the per-item figure's link uses.
    listed = selectors.delivery_list(user=cast["head"], filters=Filters(
        kind="spirit", start=Q1[0], end=Q1[1]))
    assert listed.count() == 2


def test_a_delivery_names_an_own_household_one_of_the_five_and_a_day_not_ahead(cast):
    mine = _household(cast)
    theirs = _household(cast, "cadre2", "李大娘")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.delivery_record(by=cast["cadre"], household=theirs, item="sixth",
                                 on=tomorrow)
    assert exc.value.message_dict == {"household": ["请选择您本人的联系户。"],
                                      "item": ["请选择五送中的一项。"],
                                      "on": ["日期不能晚于今天。"]}
    # A colleague cannot record for the cadre; a leader over the cadre can.
    with pytest.raises(ValidationError) as exc:
        services.delivery_record(by=cast["cadre2"], household=mine, item="policy", on=DAY,
                                 person=cast.people["cadre"])
    assert exc.value.message_dict == {"person": ["请选择您职责范围内的干部。"]}
    made = services.delivery_record(by=cast["chief"], household=mine, item="policy", on=DAY,
                                    person=cast.people["cadre"])
    assert (made.person_id, made.created_by_id) == (cast.people["cadre"].pk,
                                                     cast["chief"].pk)
    assert Delivery.objects.count() == 1


def test_nothing_is_delivered_through_a_pairing_after_its_last_day(cast):
    household = _household(cast)
    ended = services.pairing_end(by=cast["cadre"], pairing=household,
                                 version=household.version, until=dt.date(2026, 2, 28),
                                 reason="帮扶对象脱贫")
    with pytest.raises(ValidationError) as exc:
        services.delivery_record(by=cast["cadre"], household=ended, item="care", on=DAY)
    assert exc.value.message_dict == {"household": ["该结对已于2026-02-28结束。"]}
    made = services.delivery_record(by=cast["cadre"], household=ended, item="care",
                                    on=dt.date(2026, 2, 27))
    assert made.on == dt.date(2026, 2, 27)


def test_the_deliveries_page_records_and_answers_bad_input_in_chinese(cast, client):
    household = _household(cast)
    other = _household(cast, "cadre2", "李大娘")
    client.force_login(cast["cadre"])
    page = client.get(reverse("service:deliveries")).content.decode()
    # The form offers the cadre's own households only.
    assert 'id="delivery-form"' in page and "张大爷" in page and "李大娘" not in page
    bad = client.post(reverse("service:deliveries"), {"household": other.pk, "item": "",
                                                      "on": "2026-03-02"})
    body = bad.content.decode()
    assert bad.status_code == 400 and Delivery.objects.count() == 0
    assert "这个字段是必填项。" in body or "请选择" in body
    assert "选择一个有效的选项" in body  # another cadre's household is not a choice
    ok = client.post(reverse("service:deliveries"), {"household": household.pk,
                                                     "item": "medical", "on": "2026-03-02",
                                                     "note": "协助办理医保"})
    assert ok.status_code == 302 and ok.url == reverse("service:deliveries")
    listed = client.get(reverse("service:deliveries"), {"kind": "medical"}).content.decode()
    assert "送医保" in listed and "协助办理医保" in listed
    assert "协助办理医保" not in client.get(reverse("service:deliveries"),
                                            {"kind": "care"}).content.decode()


def test_who_sees_and_who_records_deliveries(cast, client):
    household = _household(cast)
    services.delivery_record(by=cast["cadre"], household=household, item="spirit", on=DAY,
                             note="宣讲二十大精神")
    for who, sees in (("head", True), ("chief", True), ("supervisor", True),
                      ("cadre2", False), ("outsider", False)):
        client.force_login(cast[who])
        assert ("宣讲二十大精神" in client.get(reverse("service:deliveries")).content.decode()
                ) is sees, who
    client.force_login(cast["auditor"])
    assert client.get(reverse("service:deliveries")).status_code == 403
    assert client.post(reverse("service:deliveries"), {
        "household": household.pk, "item": "care", "on": "2026-03-02"}).status_code == 403
    # The supervision officer reads the cadre's deliveries but records only for their own
    # households: the cadre's is not among the choices.
    client.force_login(cast["supervisor"])
    refused = client.post(reverse("service:deliveries"), {
        "household": household.pk, "item": "care", "on": "2026-03-02"})
    assert refused.status_code == 400 and Delivery.objects.count() == 1


# ---------------------------------------------------------------- 我为群众办实事


def test_a_practical_matter_goes_from_planned_to_under_way_to_done(cast):
    deed = services.deed_create(by=cast["cadre"], title="帮助修缮村活动场所", on=DAY)
    assert (deed.status, deed.done_on, deed.version) == ("planned", None, 1)
    doing = services.deed_update(by=cast["cadre"], deed=deed, version=1, status="doing",
                                 done_on=DAY)  # a day given with 'under way' is not kept
    assert (doing.status, doing.done_on, doing.version) == ("doing", None, 2)
    with pytest.raises(ConflictError):  # a stale edit is refused
        services.deed_update(by=cast["cadre"], deed=doing, version=1, status="done",
                             done_on=DAY)
    with pytest.raises(ValidationError) as exc:  # done before it was taken on
        services.deed_update(by=cast["cadre"], deed=doing, version=2, status="done",
                             done_on=DAY - dt.timedelta(days=1))
    assert exc.value.message_dict == {"done_on": ["日期应在承办之日与今天之间。"]}
    with pytest.raises(ValidationError) as exc:
        services.deed_update(by=cast["cadre"], deed=doing, version=2, status="finished")
    assert exc.value.message_dict == {"status": ["请选择状态。"]}
    done = services.deed_update(by=cast["chief"], deed=doing, version=2, status="done",
                                done_on=dt.date(2026, 4, 2))
    assert (done.status, done.done_on, done.version) == ("done", dt.date(2026, 4, 2), 3)
    entry = AuditEntry.objects.filter(action="service.deed.update").latest("seq")
    assert entry.before["status"] == "doing" and entry.after["status"] == "done"
    # Done is final: the day it was done is what the figure counts.
    with pytest.raises(ValidationError) as exc:
        services.deed_update(by=cast["cadre"], deed=done, version=3, status="planned")
    assert exc.value.message_dict == {"status": ["该实事已办结。"]}
    assert Deed.objects.get(pk=deed.pk).status == "done"


def test_deeds_done_are_counted_by_the_day_they_were_done(cast):
    person = cast.people["cadre"]
    first = services.deed_create(by=SYSTEM, person=person, title="修路", on=DAY)
    services.deed_update(by=SYSTEM, deed=first, version=1, status="done",
                         done_on=dt.date(2026, 3, 20))
    second = services.deed_create(by=SYSTEM, person=person, title="建桥", on=DAY)
    services.deed_update(by=SYSTEM, deed=second, version=1, status="done",
                         done_on=dt.date(2026, 5, 6))
    third = services.deed_create(by=SYSTEM, person=person, title="修渠", on=DAY)
    services.deed_update(by=SYSTEM, deed=third, version=1, status="doing")
    # Taken on in March all three; done one in March and one in May; one under way.
    assert _total("service.deeds_done", person, Q1) == 1
    assert _total("service.deeds_done", person, Q2) == 1
    # The figure's link: status done, dated by the day done.
    assert selectors.deed_list(user=cast["head"], filters=Filters(
        status="done", start=Q2[0], end=Q2[1])).get().title == "建桥"
    assert selectors.deed_list(user=cast["head"], filters=Filters(
        start=Q2[0], end=Q2[1])).count() == 0  # without the status: by the day taken on


def test_a_practical_matter_needs_a_title_and_a_day_not_ahead(cast, client):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.deed_create(by=cast["cadre"], title="  ", on=tomorrow)
    assert exc.value.message_dict == {"title": ["请描述所办实事。"],
                                      "on": ["日期不能晚于今天。"]}
    with pytest.raises(ValidationError) as exc:
        services.deed_create(by=cast["cadre"], title="修路", on=DAY,
                             person=cast.people["cadre2"])
    assert exc.value.message_dict == {"person": ["请选择您职责范围内的干部。"]}
    client.force_login(cast["cadre"])
    bad = client.post(reverse("service:deeds"), {"title": "修路",
                                                 "on": tomorrow.isoformat()})
    assert bad.status_code == 400 and "日期不能晚于今天。" in bad.content.decode()
    assert not Deed.objects.exists()


def test_the_deeds_page_takes_a_matter_and_moves_its_status(cast, client):
    client.force_login(cast["cadre"])
    made = client.post(reverse("service:deeds"), {"title": "帮助修缮村活动场所",
                                                  "on": "2026-03-02"})
    assert made.status_code == 302
    deed = Deed.objects.get()
    page = client.get(reverse("service:deeds")).content.decode()
    assert "帮助修缮村活动场所" in page and reverse("service:deed_status", args=[deed.pk]) in page
    url = reverse("service:deed_status", args=[deed.pk])
    moved = client.post(url, {"version": 1, "status": "doing"}, follow=True)
    assert "状态已保存。" in moved.content.decode()
    assert Deed.objects.get().status == "doing"
    # A day ahead of today is refused with the message on the page it returns to.
    ahead = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    refused = client.post(url, {"version": 2, "status": "done", "done_on": ahead},
                          follow=True)
    assert "日期应在承办之日与今天之间。" in refused.content.decode()
    stale = client.post(url, {"version": 1, "status": "done", "done_on": "2026-03-09"},
                        follow=True)
    assert Deed.objects.get().status == "doing" and stale.status_code == 200
    done = client.post(url, {"version": 2, "status": "done", "done_on": "2026-03-09"})
    assert done.status_code == 302
    assert (Deed.objects.get().status, Deed.objects.get().done_on) == (
        "done", dt.date(2026, 3, 9))
    # Done: the row shows the day and no longer offers a status form.
    page = client.get(reverse("service:deeds")).content.decode()
    assert "2026-03-09" in page and url not in page


def test_who_moves_a_practical_matter(cast):
    deed = services.deed_create(by=cast["cadre"], title="修路", on=DAY)
    with pytest.raises(PermissionDenied):  # reads the cadre's records, keeps none
        services.deed_update(by=cast["supervisor"], deed=deed, version=1, status="doing")
    with pytest.raises(PermissionDenied):
        services.deed_update(by=cast["cadre2"], deed=deed, version=1, status="doing")
    with pytest.raises(PermissionDenied):  # the deputy's scope does not cover the head's
        services.deed_update(by=cast["deputy"], deed=services.deed_create(
            by=cast["head"], title="走访", on=DAY), version=1, status="doing")
    assert services.deed_update(by=cast["deputy"], deed=deed, version=1,
                                status="doing").status == "doing"
