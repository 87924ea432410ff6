"""The learning demo: a regime per department and a year of records with a spread."""

import datetime as dt

from zugong.core.periods import Period
from zugong.learning import demo
from zugong.learning.compliance import Status
from zugong.learning.models import CopyFlag, Exemption, FirstTopic, Regime, StudySession
from zugong.learning.selectors import department_compliance


def test_the_demo_gives_each_department_its_regime_and_a_spread_of_compliance(cast):
    today = dt.date(2026, 6, 15)
    built = demo.build(seed=1, today=today, presets={"433122": "luxi", "433123": "fenghuang"})
    assert built.regimes == 2 and built.records > 500
    assert "2" in built.summary()
    assert demo.build(seed=1, today=today) is None  # once only
    regime = Regime.objects.get(department=cast.dept)
    assert regime.preset == "luxi" and regime.rules.count() == 5
    assert StudySession.objects.filter(on__gt=today).count() == 0
    assert FirstTopic.objects.filter(department=cast.dept).exists()
    assert Exemption.objects.filter(regime=regime).exists()
    assert CopyFlag.objects.filter(person__unit_path__startswith=cast.dept.path).exists()
    may = Period.parse("2026-05")
    result = department_compliance(user=cast["head"], regime=regime, windows=[may], today=today)
    statuses = {result.cell(s.pk, 1, may).status for s in result.subjects
                if result.cell(s.pk, 1, may)}
    assert Status.MET in statuses and Status.MISSED in statuses
