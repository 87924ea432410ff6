"""The xlsx exports carry the list's filters and leave an audit entry with the row count."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from zugong.ability import services
from zugong.core.models import AuditEntry

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 4, 6)


def _sheet(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_the_lecture_and_training_exports_follow_the_filters(cast, client):
    p = cast.people
    for topic in ("theory", "party"):
        services.lecture_record(by=cast["head"], department=cast.dept, topic=topic,
                                title=f"专题{topic}", held_on=DAY, lecturers=[p["chief"]],
                                discussants=[p["cadre"], p["cadre2"], p["supervisor"]],
                                audience=[p["assessor"]])
    services.training_record(by=cast["head"], department=cast.dept, kind="tour",
                             title="赴安吉考察", place="浙江安吉", start=DAY, end=DAY,
                             hours=8, participants=[p["cadre"], p["cadre2"]])
    client.force_login(cast["cadre"])
    lectures = _sheet(client.get("/ability/lectures/export.xlsx", {"topic": "party"}))
    # The header and the one party-building lecture: its lecturer and an audience of one.
    assert [c.value for c in lectures[2]][3:] == ["专题party", "张建国", 1]
    assert lectures.max_row == 2
    trainings = _sheet(client.get("/ability/trainings/export.xlsx"))
    assert [c.value for c in trainings[2]][1:3] == ["赴安吉考察", "浙江安吉"]
    assert trainings[2][6].value == 2
    assert AuditEntry.objects.filter(action="ability.training.export").count() == 1
