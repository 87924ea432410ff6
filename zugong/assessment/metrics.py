"""Figures the assessment offers to reports, and learning compliance as a share.

``assessment.learning_compliance`` turns the learning compliance engine into one number
per person — the share of the learning rules (of the regime of their department) met in
the period — so that an automatic indicator can be bound to it like to any other metric.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zugong.core.metrics import Aggregation, Metric
from zugong.core.periods import Period, PeriodKind, periods_between

from .models import Grade, PlanKind, PlanStatus

_RESULTS = {"model": "assessment.Assessee", "date_field": "plan__period_end",
            "records_view": "assessment:history"}


def covering_periods(start: dt.date, end: dt.date) -> list[Period]:
    """[start, end] as one calendar period if it is one, else as the months it overlaps."""
    for kind in (PeriodKind.YEAR, PeriodKind.HALF, PeriodKind.QUARTER, PeriodKind.MONTH):
        period = Period.containing(kind, start)
        if period.start == start and period.end == end:
            return [period]
    return list(periods_between(PeriodKind.MONTH, start, end))


class ComplianceShare(Metric):
    """Per person: rules met ÷ rules the person was held to, in percent (one decimal)."""

    def totals(self, *, people, start, end, by=None, include_unconfirmed=False):
        from django.utils import timezone

        from zugong.learning.compliance import Status, evaluate
        from zugong.learning.models import Regime
        from zugong.people.models import Person

        qs = people if isinstance(people, QuerySet) else Person.objects.filter(pk__in=people)
        windows = covering_periods(start, end)
        result: dict = {}
        by_dept = defaultdict(list)
        for pk, unit_dept, unit_id in qs.values_list("pk", "unit__department_id", "unit_id"):
            by_dept[unit_dept or unit_id].append(pk)
        regimes = Regime.objects.filter(department_id__in=list(by_dept), is_active=True)
        for regime in regimes:
            ids = by_dept[regime.department_id]
            evaluated = evaluate(regime=regime, people=Person.objects.filter(pk__in=ids),
                                 windows=windows, today=timezone.localdate())
            for pk in ids:
                statuses = [c.status for w in windows for c in evaluated.person_cells(pk, w)]
                held = [s for s in statuses if s not in (Status.EXEMPT, Status.NOT_APPLICABLE)]
                if held:
                    met = sum(1 for s in held if s == Status.MET)
                    result[(pk, None)] = self.quantize(Decimal(met * 100) / len(held))
        return result


METRICS = [
    ComplianceShare(key="assessment.learning_compliance",
                    label=_("learning rules met (share)"), unit=_("%"),
                    model="learning.StudySession", date_field="on", decimals=1,
                    records_view="learning:compliance"),
    Metric(key="assessment.annual_score", label=_("annual assessment score"), unit=_("points"),
           aggregation=Aggregation.SUM, value_field="score", decimals=2,
           filters={"plan__kind": PlanKind.ANNUAL, "plan__status": PlanStatus.CLOSED},
           records_params={"kind": PlanKind.ANNUAL}, **_RESULTS),
    Metric(key="assessment.annual_excellent", label=_("annual grades excellent"),
           unit=_("times"), filters={"plan__kind": PlanKind.ANNUAL,
                                     "plan__status": PlanStatus.CLOSED,
                                     "grade": Grade.EXCELLENT},
           records_params={"kind": PlanKind.ANNUAL}, **_RESULTS),
    Metric(key="assessment.regular_good", label=_("regular grades good"), unit=_("times"),
           filters={"plan__kind": PlanKind.REGULAR, "plan__status": PlanStatus.CLOSED,
                    "grade": Grade.GOOD},
           records_params={"kind": PlanKind.REGULAR}, **_RESULTS),
]
