"""清廉组室 and 清廉家庭 ratings, and discipline study by section (issue 17, points 3 and 4)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from zugong.core import metrics as core_metrics
from zugong.core.audit import SYSTEM
from zugong.core.models import AuditEntry
from zugong.supervision import selectors, services
from zugong.supervision.models import FamilyRating, SectionRating, StudyActivity

DAY = dt.date(2026, 3, 2)


def test_a_section_is_rated_once_a_year_within_the_officers_scope(cast):
    made = services.section_rating_record(by=cast["supervisor"], unit=cast.sec_org,
                                          year=2025, level="model", on=dt.date(2025, 12, 20))
    assert made.get_level_display() == "示范"
    with pytest.raises(ValidationError) as twice:
        services.section_rating_record(by=cast["supervisor"], unit=cast.sec_org, year=2025,
                                       level="met", on=DAY)
    assert twice.value.message_dict == {"year": ["该组室本年度已评定。"]}
    with pytest.raises(ValidationError) as out:  # another department's section
        services.section_rating_record(by=cast["supervisor"], unit=cast.other_section,
                                       year=2025, level="met", on=DAY)
    assert out.value.message_dict == {"unit": ["请选择您职责范围内的组室。"]}
    with pytest.raises(ValidationError) as early:  # a year is rated during or after it
        services.section_rating_record(by=cast["supervisor"], unit=cast.sec_cadre,
                                       year=2026, level="met", on=dt.date(2025, 12, 1))
    assert "on" in early.value.message_dict
    with pytest.raises(ValidationError):  # the head reads, does not rate
        services.section_rating_record(by=cast["head"], unit=cast.sec_cadre, year=2025,
                                       level="met", on=DAY)
    assert SectionRating.objects.count() == 1


def test_the_ratings_page_counts_sections_and_takes_a_family_rating(cast, client):
    services.section_rating_record(by=SYSTEM, unit=cast.sec_org, year=2025, level="model",
                                   on=dt.date(2025, 12, 20))
    client.force_login(cast["supervisor"])
    response = client.post(reverse("supervision:ratings") + "?year=2025", {
        "which": "family", "family-person": cast.people["cadre"].pk, "family-year": "2025",
        "family-level": "met", "family-on": "2025-12-20"})
    assert response.status_code == 302
    page = client.get(reverse("supervision:ratings"), {"year": "2025"})
    # The cast's department has three sections (组室, 干部室, 干部监督室); one is rated.
    assert page.context["sections_rated"] == 1 and len(page.context["sections"]) == 3
    assert [r.person.name for r in page.context["families"]] == ["李小红"]
    bad = client.post(reverse("supervision:ratings"), {
        "which": "family", "family-person": cast.people["outsider"].pk, "family-year": "2025",
        "family-level": "met", "family-on": "2025-12-20"})
    assert bad.status_code == 400 and "请选择您职责范围内的干部。" in bad.content.decode()
    assert "龙海" not in bad.content.decode()
    assert FamilyRating.objects.count() == 1
    client.force_login(cast["head"])
    assert client.post(reverse("supervision:ratings"), {"which": "section"}).status_code == 403


def test_a_study_session_is_encrypted_audited_on_read_and_counted_per_participant(cast,
                                                                                 client):
    item = services.study_record(by=cast["supervisor"], unit=cast.sec_org, on=DAY,
                                 topic="学习纪律处分条例", summary="逐条对照检查",
                                 participants=[cast.people["cadre"], cast.people["chief"]])
    services.study_record(by=cast["supervisor"], unit=cast.sec_org, on=DAY,
                          topic="观看警示片", participants=[cast.people["cadre"]])
    with connection.cursor() as cur:
        cur.execute("SELECT summary FROM supervision_studyactivity WHERE id = %s", [item.pk])
        assert "对照" not in cur.fetchone()[0]
    with pytest.raises(ValidationError) as out:
        services.study_record(by=cast["supervisor"], unit=cast.sec_org, on=DAY, topic="学习",
                              participants=[cast.people["outsider"]])
    assert out.value.message_dict == {"participants": ["请选择您职责范围内的干部。"]}
    # 李小红 took part in both sessions, 张建国 in one: 2 and 1.
    totals = core_metrics.get("supervision.study_participations").totals(
        people=[cast.people["cadre"].pk, cast.people["chief"].pk],
        start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert totals == {(cast.people["cadre"].pk, None): 2, (cast.people["chief"].pk, None): 1}
    client.force_login(cast["head"])
    rows = client.get(reverse("supervision:studies"), {"year": "2026"}).context["rows"]
    assert sorted(r.people for r in rows) == [1, 2]
    page = client.get(reverse("supervision:study", args=[item.pk])).content.decode()
    assert "逐条对照检查" in page and "李小红" in page
    assert AuditEntry.objects.filter(action="supervision.study.view",
                                     object_id=str(item.pk)).count() == 1
    assert StudyActivity.objects.count() == 2
    assert selectors.sections_in_scope(cast["outsider"]).count() == 0
