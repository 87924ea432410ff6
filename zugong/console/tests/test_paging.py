"""The console's lists (notices, job runs, audit log) page by key with the kit's pager."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from zugong.core.audit import audit_record
from zugong.core.models import JobRun
from zugong.core.notices import notify


def _walk(client, url, key):
    """Every row of a paged list, following the pager's next links."""
    seen, params = [], {}
    for _ in range(50):
        response = client.get(url, params)
        assert response.status_code == 200
        seen += list(response.context[key])
        page = response.context["page"]
        if not page.next:
            return seen
        assert 'id="next-page"' in response.content.decode()
        params = {"cursor": page.next}
    raise AssertionError("the pager never ended")


def test_more_than_200_job_runs_are_reachable_page_by_page(cast, client_for):
    start = timezone.now() - dt.timedelta(days=1)
    JobRun.objects.bulk_create([
        JobRun(name="matrix", started_at=start + dt.timedelta(minutes=i % 100),
               status=JobRun.Status.SUCCEEDED) for i in range(230)])
    client = client_for(cast["sysadmin"])
    runs = _walk(client, reverse("console:jobs"), "runs")
    assert len(runs) == len({r.pk for r in runs}) == JobRun.objects.count() >= 230


def test_more_than_200_notices_are_reachable_page_by_page(cast, client_for):
    for i in range(210):
        notify(recipients=[cast["cadre"]], kind="console.matrix.test", title=f"通知{i:03d}")
    notices = _walk(client_for(cast["cadre"]), reverse("notices"), "notices")
    assert [n.title for n in notices] == [f"通知{i:03d}" for i in reversed(range(210))]


def test_more_than_200_audit_entries_are_reachable_and_the_filter_is_kept(cast, client_for):
    for i in range(230):
        audit_record(actor=cast["head"], action="console.test.page", obj=None, after={"i": i})
    client = client_for(cast["auditor"])
    entries = _walk(client, reverse("console:audit"), "entries")
    assert sum(e.action == "console.test.page" for e in entries) == 230
    page = client.get(reverse("console:audit"), {"action": "console.test.page"}).content.decode()
    href = re.search(r'id="next-page" href="([^"]*)"', page).group(1)
    assert "action=console.test.page" in href


@pytest.mark.parametrize("name", ["console:jobs", "notices", "console:audit"])
@pytest.mark.parametrize("params", [{"limit": "-1"}, {"limit": "abc"}, {"limit": "100000"},
                                    {"cursor": "garbage"}, {"offset": "20"}])
def test_bad_paging_parameters_answer_422(cast, client_for, name, params):
    user = {"console:jobs": "sysadmin", "notices": "cadre", "console:audit": "auditor"}[name]
    assert client_for(cast[user]).get(reverse(name), params).status_code == 422
