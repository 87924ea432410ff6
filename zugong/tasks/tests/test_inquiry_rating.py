"""The public's own rating of the first-inquiry service with one-time codes (issue 20,
point 7): a code is issued when an inquiry is closed, shown once, and spent on a public
page without an account; wrong codes lock the page for an address after a while."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zugong.core import ballots
from zugong.core.metrics import get as metric
from zugong.core.models import AuditEntry
from zugong.tasks import services
from zugong.tasks.models import Inquiry, InquiryCode

D = dt.date


@pytest.fixture(autouse=True)
def _no_wrong_codes_left_over():
    cache.clear()
    yield
    cache.clear()


def _closed(cast, *, who="cadre", inquirer="群众甲"):
    inquiry = services.inquiry_add(by=cast[who], channel="visit", received_on=D(2025, 1, 2),
                                   inquirer=inquirer, question="组织关系转接",
                                   due=D(2025, 1, 7))
    return services.inquiry_close(by=cast[who], inquiry=inquiry, reply="已告知转接流程",
                                  satisfaction="satisfied", on=D(2025, 1, 3))


def test_closing_on_the_page_shows_the_code_once_and_keeps_only_its_hash(cast, client):
    inquiry = services.inquiry_add(by=cast["cadre"], channel="visit",
                                   received_on=D(2025, 1, 2), inquirer="群众甲",
                                   question="组织关系转接", due=D(2025, 1, 7))
    client.force_login(cast["cadre"])
    response = client.post(reverse("tasks:inquiry_close", args=[inquiry.pk]),
                           {"reply": "已告知转接流程", "satisfaction": "satisfied"})
    assert response.status_code == 302
    page = client.get(reverse("tasks:inquiries")).content.decode()
    assert 'id="inquiry-code"' in page
    row = InquiryCode.objects.get(inquiry=inquiry)
    code = page.split('font-monospace">')[1].split("<")[0]
    assert len(code) == ballots.CODE_LENGTH and row.code_hash == ballots.code_hash(code)
    assert code not in str(list(InquiryCode.objects.values()))
    # Shown once: the next visit of the list has no code.
    assert 'id="inquiry-code"' not in client.get(reverse("tasks:inquiries")).content.decode()
    assert AuditEntry.objects.filter(action="tasks.inquiry.code").count() == 1


def test_the_public_rates_with_the_code_once_and_the_rating_stays_on_the_inquiry(cast,
                                                                                 client):
    inquiry = _closed(cast)
    code = services.inquiry_code_issue(by=cast["cadre"], inquiry=inquiry)
    page = client.get(reverse("tasks:inquiry_rate"))
    assert page.status_code == 200 and "组织关系转接" not in page.content.decode()
    response = client.post(reverse("tasks:inquiry_rate"), {
        "code": f" {code.lower()} ", "rating": "basic", "comment": "等候时间稍长"})
    assert response.status_code == 200 and 'id="thanks"' in response.content.decode()
    inquiry.refresh_from_db()
    assert (inquiry.public_rating, inquiry.public_comment) == ("basic", "等候时间稍长")
    assert inquiry.satisfaction == "satisfied"  # what the receiver noted stays apart
    assert InquiryCode.objects.get(inquiry=inquiry).used
    entry = AuditEntry.objects.filter(action="tasks.inquiry.public_rate").get()
    assert entry.after == {"public_rating": "basic"}
    again = client.post(reverse("tasks:inquiry_rate"), {"code": code, "rating": "satisfied"})
    assert again.status_code == 422
    assert "该评价码无效或已使用。" in again.content.decode()
    assert Inquiry.objects.get(pk=inquiry.pk).public_rating == "basic"
    # Rated: no new code.
    with pytest.raises(ValidationError):
        services.inquiry_code_issue(by=cast["cadre"], inquiry=inquiry)


def test_a_new_code_replaces_the_unused_one_and_only_who_may_close_issues_it(cast):
    inquiry = _closed(cast)
    first = services.inquiry_code_issue(by=cast["cadre"], inquiry=inquiry)
    second = services.inquiry_code_issue(by=cast["chief"], inquiry=inquiry)
    with pytest.raises(ValidationError) as err:
        services.inquiry_public_rate(code=first, rating="satisfied")
    assert err.value.message_dict["code"] == ["该评价码无效或已使用。"]
    with pytest.raises(PermissionDenied):
        services.inquiry_code_issue(by=cast["cadre2"], inquiry=inquiry)
    open_one = services.inquiry_add(by=cast["cadre"], channel="phone",
                                    received_on=D(2025, 1, 2), inquirer="群众乙",
                                    question="党费", due=D(2025, 1, 7))
    with pytest.raises(ValidationError):
        services.inquiry_code_issue(by=cast["cadre"], inquiry=open_one)
    services.inquiry_public_rate(code=second, rating="unsatisfied")
    assert Inquiry.objects.get(pk=inquiry.pk).public_rating == "unsatisfied"


def test_the_reissue_button_follows_the_inquirys_scope(cast, client):
    inquiry = _closed(cast)
    url = reverse("tasks:inquiry_code", args=[inquiry.pk])
    for who, status in (("cadre", 302), ("chief", 302), ("cadre2", 404), ("outsider", 404),
                        ("auditor", 403)):
        client.force_login(cast[who])
        assert client.post(url).status_code == status, who
    assert AuditEntry.objects.filter(action="tasks.inquiry.code").count() == 2


def test_bad_input_gets_a_message_and_wrong_codes_lock_the_page_for_the_address(cast,
                                                                                client):
    inquiry = _closed(cast)
    code = services.inquiry_code_issue(by=cast["cadre"], inquiry=inquiry)
    missing = client.post(reverse("tasks:inquiry_rate"), {"code": code, "rating": ""})
    assert missing.status_code == 422
    for _n in range(ballots.WRONG_CODES_ALLOWED):
        assert client.post(reverse("tasks:inquiry_rate"),
                           {"code": "WRONGCODE1", "rating": "satisfied"}).status_code == 422
    locked = client.post(reverse("tasks:inquiry_rate"), {"code": code, "rating": "satisfied"})
    assert locked.status_code == 422 and "错误次数过多" in locked.content.decode()
    assert Inquiry.objects.get(pk=inquiry.pk).public_rating == ""
    # Another address is not locked.
    other = client.post(reverse("tasks:inquiry_rate"), {"code": code, "rating": "satisfied"},
                        REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    assert Inquiry.objects.get(pk=inquiry.pk).public_rating == "satisfied"


def test_the_figures_count_the_ratings_and_the_satisfied_for_the_first_receiver(cast):
    ratings = ("satisfied", "satisfied", "basic")
    for n, rating in enumerate(ratings):
        inquiry = _closed(cast, inquirer=f"群众{n}")
        services.inquiry_public_rate(
            code=services.inquiry_code_issue(by=cast["cadre"], inquiry=inquiry),
            rating=rating)
    _closed(cast, who="chief")  # closed, never rated by the public
    person = cast.people["cadre"].pk
    today = Inquiry.objects.exclude(public_rated_on=None).first().public_rated_on
    args = {"people": [person, cast.people["chief"].pk], "start": today, "end": today}
    # 3 rated, 2 satisfied: a share of 2 ÷ 3.
    assert metric("tasks.inquiries_public_rated").totals(**args) == {(person, None): 3}
    assert metric("tasks.inquiries_public_satisfied").totals(**args) == {(person, None): 2}
