"""Shared set-up of the task tests: a fixed clock and a task factory."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zugong.tasks import services


class Clock:
    """``timezone.localdate()`` answers the date set here (services, jobs and the
    assessment's everyday record all read it)."""

    def __init__(self, monkeypatch, day):
        self.day = day
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: self.day)

    def set(self, day: dt.date):
        self.day = day


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, dt.date(2025, 1, 2))


def evidence(name="证明.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")


def task(cast, *, by="head", title="任务", section=None, lead="cadre", start=None,
         deadline=dt.date(2025, 3, 31), **extra):
    return services.task_create(by=cast[by], title=title, section=section or cast.sec_org,
                                lead=cast.people[lead], start=start or dt.date(2025, 1, 2),
                                deadline=deadline, **extra)
