"""The political-quality archive (政治素质档案, 一人一档; issue 17, point 6): entries by
category, filed by hand here or read from the other apps through their hooks, each with
its source and link; sensitive, and every reading logged."""

import datetime as dt

from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from zugong.core.models import AuditEntry
from zugong.supervision import selectors, services
from zugong.supervision.models import ArchiveEntry

DAY = dt.date(2026, 3, 2)


def _by_category(person):
    return {key: items for key, _label, items in selectors.archive_by_category(person=person)}


def test_entries_from_other_apps_are_filed_by_category_with_source_and_link(cast):
    cadre = cast.people["cadre"]
    model = apps.get_model
    talk = model("talks", "Talk").objects.create(by=cast.people["chief"], held_on=DAY,
                                                 summary="谈心内容")
    model("talks", "TalkParty").objects.create(talk=talk, person=cadre, held_on=DAY)
    visit = model("talks", "Visit").objects.create(person=cadre, kind="home", on=DAY,
                                                   place="白沙村", findings="家庭和睦")
    task = model("tasks", "Task").objects.create(
        department=cast.dept, year=2026, title="换届选举", section=cast.sec_org, lead=cadre,
        start=DAY, deadline=DAY + dt.timedelta(days=30), source="upper")
    model("tasks", "Task").objects.create(  # an ordinary task is no major task
        department=cast.dept, year=2026, title="整理档案", section=cast.sec_org, lead=cadre,
        start=DAY, deadline=DAY + dt.timedelta(days=30), source="annual")
    measure = services.measure_record(by=cast["supervisor"], person=cadre, kind="reminder",
                                      on=DAY, source="daily", facts="提醒注意方法")
    found = _by_category(cadre)
    assert list(found) == ["stance", "major_tasks", "learning", "supervision", "assessment",
                           "talks", "visits"]
    assert [(i.text, i.url) for i in found["major_tasks"]] == [
        (f"换届选举 · {task.get_status_display()}", f"/tasks/{task.pk}/")]
    assert [i.url for i in found["talks"]] == [f"/talks/{talk.pk}/"]
    assert [i.url for i in found["visits"]] == [f"/talks/visits/{visit.pk}/"]
    assert [i.url for i in found["supervision"]] == [f"/supervision/measures/{measure.pk}/"]
    assert found["talks"][0].source == str(apps.get_app_config("talks").verbose_name)
    # Read where they are kept, never copied: the summary and findings stay in talks.
    assert "谈心内容" not in str(found) and "家庭和睦" not in str(found)


def test_an_officer_files_a_stance_entry_encrypted_and_each_reading_is_logged(cast, client):
    cadre = cast.people["cadre"]
    url = reverse("supervision:political_archive", args=[cadre.pk])
    client.force_login(cast["supervisor"])
    response = client.post(url, {"category": "stance", "on": DAY.isoformat(),
                                 "title": "重大政治考验中立场坚定", "note": "抗洪一线表现突出"})
    assert response.status_code == 302
    entry = ArchiveEntry.objects.get()
    with connection.cursor() as cur:
        cur.execute("SELECT note FROM supervision_archiveentry WHERE id = %s", [entry.pk])
        assert "抗洪" not in cur.fetchone()[0]
    page = client.get(url).content.decode()
    assert "重大政治考验中立场坚定" in page and "抗洪一线表现突出" in page
    assert AuditEntry.objects.filter(action="supervision.archive.view",
                                     object_id=str(cadre.pk)).count() == 1
    filed = AuditEntry.objects.get(action="supervision.archive_entry.file")
    assert "抗洪" not in str(filed.after)
    bad = client.post(url, {"category": "stance", "on": (timezone.localdate()
                                                         + dt.timedelta(days=2)).isoformat(),
                            "title": ""})
    assert bad.status_code == 400 and ArchiveEntry.objects.count() == 1
    client.force_login(cast["head"])  # reads, does not file
    assert client.post(url, {"category": "stance", "on": DAY.isoformat(),
                             "title": "x"}).status_code == 403
    client.force_login(cast["outsider"])
    assert client.get(url).status_code == 404
    client.force_login(cast["auditor"])
    assert client.get(url).status_code == 403
