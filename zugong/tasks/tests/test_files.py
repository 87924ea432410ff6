"""Task evidence: checked by size and content on upload, served only with its task."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zugong.tasks import services
from zugong.tasks.models import Entry

from .helpers import evidence, task

HTML = b"<!doctype html><title>x</title><script>alert(1)</script>"


def _open_task(cast):
    return task(cast, deputy=cast.people["deputy"],
                start=timezone.localdate() - dt.timedelta(days=3),
                deadline=timezone.localdate() + dt.timedelta(days=30))


def _post_entry(client, t, upload):
    return client.post(reverse("tasks:task", args=[t.pk]), {
        "on": timezone.localdate().isoformat(), "text": "完成", "percent": "100",
        "evidence": upload, "version": t.version})


def test_evidence_that_is_a_web_page_is_refused_on_the_task_page(cast, client_for):
    t = _open_task(cast)
    response = _post_entry(client_for(cast["cadre"]), t,
                           SimpleUploadedFile("证明.pdf", HTML, content_type="application/pdf"))
    assert response.status_code == 200
    assert "此处不能上传此类文件" in response.content.decode()
    assert not Entry.objects.filter(task=t).exists()


def test_evidence_larger_than_the_setting_is_refused(cast, client_for, settings):
    settings.ZUGONG_UPLOAD_MAX_BYTES = 1024
    t = _open_task(cast)
    big = SimpleUploadedFile("证明.pdf", b"%PDF-1.4" + b"\0" * 4096)
    response = _post_entry(client_for(cast["cadre"]), t, big)
    assert "最大允许 1.0\xa0KB" in response.content.decode()
    assert not Entry.objects.filter(task=t).exists()


def test_ledger_evidence_opens_from_the_task_page_within_scope_only(cast, client_for):
    t = _open_task(cast)
    assert _post_entry(client_for(cast["cadre"]), t, evidence("验收报告.pdf")).status_code == 302
    entry = Entry.objects.get(task=t)
    url = reverse("tasks:entry_evidence", args=[t.pk, entry.pk])
    page = client_for(cast["chief"]).get(reverse("tasks:task", args=[t.pk])).content.decode()
    assert url in page and "/media-not-served/" not in page
    response = client_for(cast["chief"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E9%AA%8C%E6%94%B6%E6%8A%A5%E5%91%8A.pdf" in response["Content-Disposition"]
    for outside in ("cadre2", "outsider"):
        assert client_for(cast[outside]).get(url).status_code == 404


def test_monthly_sign_off_evidence_is_checked_and_served(cast, client_for):
    t = _open_task(cast)
    month = timezone.localdate().strftime("%Y-%m")
    item = services.monthly_item_add(by=cast["chief"], section=cast.sec_org, month=month,
                                     title="调研", task=t)
    client = client_for(cast["chief"])
    refused = client.post(reverse("tasks:signoff", args=[item.pk]),
                          {"evidence": SimpleUploadedFile("a.pdf", HTML)}, follow=True)
    assert "此处不能上传此类文件" in refused.content.decode()
    item.refresh_from_db()
    assert item.status == "planned" and not item.evidence
    client.post(reverse("tasks:signoff", args=[item.pk]), {"evidence": evidence()})
    item.refresh_from_db()
    assert item.status == "signed"
    url = reverse("tasks:monthly_evidence", args=[item.pk])
    assert url in client.get(f"{reverse('tasks:monthly')}?month={month}").content.decode()
    assert client.get(url).status_code == 200
    assert client_for(cast["outsider"]).get(url).status_code == 404
