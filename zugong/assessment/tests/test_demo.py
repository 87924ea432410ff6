"""The assessment demo: closed quarters and last year's annual results, an open quarter."""

import datetime as dt

from zugong.assessment import demo
from zugong.assessment.models import Assessee, EverydayNote, Plan, PlanStatus
from zugong.people.models import AnnualAssessment


def test_the_demo_closes_past_plans_and_opens_the_current_quarter(cast):
    built = demo.build(seed=1, today=dt.date(2026, 8, 15))
    # 泸溪's sections hold five cadres (chief, cadre, cadre2, supervisor, assessor); the
    # other county's section has one person and is left out. Three closed plans, one open.
    assert built.plans == 4 and built.results == 3 * 5
    assert "4" in built.summary()
    assert demo.build(seed=1) is None  # once only
    closed = Plan.objects.filter(status=PlanStatus.CLOSED)
    assert list(closed.values_list("period", flat=True).order_by("period")) == [
        "2025", "2026-Q1", "2026-Q2"]
    assert Plan.objects.get(status=PlanStatus.SCORING).period == "2026-Q3"
    annual = closed.get(kind="annual")
    assert annual.assessees.filter(vetoed=True).count() == 1
    assert AnnualAssessment.objects.filter(year=2025).count() == annual.assessees.count()
    assert not Assessee.objects.filter(plan__status=PlanStatus.CLOSED, grade="").exists()
    assert EverydayNote.objects.exists()
