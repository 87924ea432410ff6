"""Archive viewing (查阅干部档案, issue 17 point 7): a request with a reason, the head's
decision, access that ends by itself, and every reading logged for the office."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from zugong.core.models import AuditEntry, Notice
from zugong.supervision import selectors, services
from zugong.supervision.models import ArchiveRequest, ArchiveView


def _ask(cast, by="chief", person="cadre"):
    return services.archive_request(by=cast[by], person=cast.people[person],
                                    reason="拟推荐为后备干部，需了解其监督情况")


def test_a_request_is_encrypted_and_goes_to_the_head_over_the_cadre(cast):
    item = _ask(cast)
    with connection.cursor() as cur:
        cur.execute("SELECT reason FROM supervision_archiverequest WHERE id = %s", [item.pk])
        assert "后备" not in cur.fetchone()[0]
    # The head of 泸溪 is told; the other department's head is not.
    told = set(Notice.objects.filter(kind="supervision.archive.requested")
               .values_list("recipient__username", flat=True))
    assert told == {"head"}
    with pytest.raises(ValidationError) as out:  # another department's cadre
        _ask(cast, person="outsider")
    assert out.value.message_dict == {"person": ["请选择您职责范围内的干部。"]}
    with pytest.raises(ValidationError) as empty:
        services.archive_request(by=cast["chief"], person=cast.people["cadre"], reason=" ")
    assert "reason" in empty.value.message_dict
    assert ArchiveRequest.objects.count() == 1


def test_approval_opens_the_archive_for_three_days_then_it_closes_by_itself(cast, client):
    item = _ask(cast)
    with pytest.raises(PermissionDenied):  # nobody decides their own request
        services.archive_decide(by=cast["chief"], request=item, version=1, approve=True)
    with pytest.raises(PermissionDenied):  # the office sees it but the head decides
        services.archive_decide(by=cast["supervisor"], request=item, version=1, approve=True)
    done = services.archive_decide(by=cast["head"], request=item, version=1, approve=True)
    assert done.expires_at - done.decided_at == dt.timedelta(days=3)
    with pytest.raises(ValidationError):  # decided once
        services.archive_decide(by=cast["head"], request=done, version=done.version,
                                approve=False, note="再议")
    services.measure_record(by=cast["supervisor"], person=cast.people["cadre"],
                            kind="reminder", on=dt.date(2026, 3, 2), source="daily",
                            facts="提醒其注意八小时外交往")
    client.force_login(cast["chief"])
    url = reverse("supervision:archive_read", args=[item.pk])
    page = client.get(url)
    assert page.status_code == 200 and "提醒其注意八小时外交往" in page.content.decode()
    client.get(url)
    assert ArchiveView.objects.filter(request=item).count() == 2
    assert AuditEntry.objects.filter(action="supervision.archive.view").count() == 2
    # Three days later nothing was revoked, yet the archive is closed.
    ArchiveRequest.objects.filter(pk=item.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1))
    closed = client.get(url)
    assert closed.status_code == 403 and "提醒其注意" not in closed.content.decode()
    assert "查阅期限已于" in closed.content.decode()
    assert ArchiveView.objects.filter(request=item).count() == 2
    client.force_login(cast["head"])  # only the requester reads under the request
    assert client.get(url).status_code == 404


def test_the_office_sees_the_whole_workflow_and_a_refusal_needs_a_reason(cast, client,
                                                                       settings):
    settings.ZUGONG_ARCHIVE_ACCESS_DAYS = 1
    settings.ZUGONG_ARCHIVE_APPROVERS = ("deputy",)
    first, second = _ask(cast), _ask(cast, by="assessor", person="cadre2")
    # The deputy is a configured approver over 组织室 (李小红) but not 干部室 (王磊).
    assert [r.pk for r in selectors.archive_to_decide(user=cast["deputy"])] == [first.pk]
    done = services.archive_decide(by=cast["deputy"], request=first, version=1, approve=True)
    assert done.expires_at - done.decided_at == dt.timedelta(days=1)
    with pytest.raises(ValidationError) as bare:
        services.archive_decide(by=cast["head"], request=second, version=1, approve=False)
    assert "note" in bare.value.message_dict
    services.archive_decide(by=cast["head"], request=second, version=1, approve=False,
                            note="理由不充分")
    services.archive_viewed(by=cast["chief"], request=done)
    client.force_login(cast["supervisor"])
    rows = client.get(reverse("supervision:archive")).context["rows"]
    assert {(r.pk, r.status, r.viewed) for r in rows} == {(first.pk, "approved", 1),
                                                         (second.pk, "refused", 0)}
    page = client.get(reverse("supervision:archive_request", args=[first.pk]))
    assert "拟推荐为后备干部" in page.content.decode()
    assert AuditEntry.objects.filter(action="supervision.archive_request.view").count() == 1
    client.force_login(cast["cadre"])  # a cadre sees none of it
    assert list(client.get(reverse("supervision:archive")).context["rows"]) == []
    client.force_login(cast["auditor"])
    assert client.get(reverse("supervision:archive")).status_code == 403
