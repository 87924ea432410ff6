"""The service standard (M20, issue 20 point 7) as a checklist on the first-inquiry
register: its points are data seeded by migration, ticked per inquiry when closing it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zugong.core.models import AuditEntry
from zugong.tasks import services
from zugong.tasks.models import Inquiry, StandardItem

D = dt.date


def test_the_standard_is_seeded_as_data_in_its_four_groups(db):
    groups = {}
    for item in StandardItem.objects.all():
        groups.setdefault(item.group, []).append(item.text)
    assert {g: len(texts) for g, texts in groups.items()} == {"six": 6, "two": 2,
                                                             "three": 3, "four": 4}
    assert groups["six"][0] == "一张笑脸相迎" and groups["two"] == ["回答或解释问题清楚",
                                                                  "指引去向清楚"]


def _inquiry(cast):
    return services.inquiry_add(by=cast["cadre"], channel="visit", received_on=D(2025, 1, 2),
                                inquirer="群众甲", question="组织关系转接", due=D(2025, 1, 7))


def test_closing_an_inquiry_records_the_points_kept_and_the_page_counts_them(cast, client):
    inquiry = _inquiry(cast)
    smile, chair = StandardItem.objects.filter(group="six")[:2]
    client.force_login(cast["cadre"])
    page = client.get(reverse("tasks:inquiries")).content.decode()
    assert "一张笑脸相迎" in page and "内部与外部一样对待" in page
    response = client.post(reverse("tasks:inquiry_close", args=[inquiry.pk]), {
        "reply": "已告知转接流程", "satisfaction": "satisfied",
        "standard": [smile.pk, chair.pk]})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert set(inquiry.standard.all()) == {smile, chair}
    entry = AuditEntry.objects.filter(action="tasks.inquiry.close").get()
    assert entry.after["standard"] == sorted([smile.pk, chair.pk])
    page = client.get(reverse("tasks:inquiries")).content.decode()
    assert "2/15" in page


def test_a_retired_point_is_no_longer_offered_nor_accepted(cast):
    inquiry = _inquiry(cast)
    retired = StandardItem.objects.get(text="一杯茶水暖心")
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError) as refused:
        services.inquiry_close(by=cast["cadre"], inquiry=inquiry, reply="已答复",
                               satisfaction="satisfied", standard=[retired])
    assert "standard" in refused.value.message_dict
    assert Inquiry.objects.get(pk=inquiry.pk).closed_on is None
    from zugong.tasks.forms import InquiryCloseForm

    assert retired not in InquiryCloseForm().fields["standard"].queryset
