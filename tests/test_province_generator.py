"""The province generator (issue 23) leaves learning as the product keeps it.

Its learning records go in by ``COPY``, around the services that keep the monthly
summaries; the compliance pages read those summaries, so without a rebuild every cadre
of the generated province showed nothing done and the benchmark measured empty figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from decimal import Decimal
from pathlib import Path

from django.db.models import Sum
from django.utils import timezone

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import province  # noqa: E402 - bench/ is not a package


class _LoaderAroundTheServices:
    """Stands in for ``learning_bench.Loader`` (PostgreSQL ``COPY``): it writes records
    straight into the table, as ``COPY`` does, so the services never see them."""

    def __init__(self, _args, _url):
        self.counts: dict[str, int] = {}

    def regimes(self, _depts):
        self.counts["learning_regime"] = 0

    def records(self, people):
        from zugong.learning.models import StudySession

        today = timezone.localdate()
        rows = [StudySession(person=p, on=today - dt.timedelta(days=k), hours=Decimal("1.5"),
                             form="self", topic="学习", status="confirmed")
                for p in people for k in range(3)]
        StudySession.objects.bulk_create(rows)
        self.counts["learning_studysession"] = len(rows)


def test_the_learning_load_leaves_the_monthly_summaries_the_pages_read(cast, monkeypatch):
    from zugong.learning.models import MonthSummary, StudySession

    monkeypatch.setattr(province.learning_bench, "Loader", _LoaderAroundTheServices)
    county = province.County(0, cast.dept.code, cast.dept.name, cast.dept,
                             [cast.sec_cadre], [cast.county_unit])
    county.org = [cast.people["cadre"], cast.people["cadre2"]]
    args = argparse.Namespace(seed=1, cadres=2, counties=1, years=1)
    dates = province.Dates(random.Random(1), timezone.localdate(), 1)

    counts = province.load_learning(args, "unused://", [county], dates)

    assert counts["learning_monthsummary"] > 0
    cadre = cast.people["cadre"]
    summed = MonthSummary.objects.filter(person=cadre, metric="learning.study_hours")
    recorded = StudySession.objects.filter(person=cadre, status="confirmed")
    assert summed.aggregate(h=Sum("confirmed"))["h"] == \
        recorded.aggregate(h=Sum("hours"))["h"] >= Decimal("4.5")
