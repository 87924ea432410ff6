"""Figures the assessment offers to reports (grades and scores of closed plans).

The learning-compliance share that automatic indicators bind to
(``assessment.learning_compliance``) is registered by the learning app, which owns the
compliance engine; assessment only names its key.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zugong.core.metrics import Aggregation, Metric

from .models import Grade, PlanKind, PlanStatus

_RESULTS = {"model": "assessment.Assessee", "date_field": "plan__period_end",
            "records_view": "assessment:history"}


METRICS = [
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
