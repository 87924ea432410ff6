"""The figures the learning records offer to regimes, assessment and reports.

``assessment.learning_compliance`` turns the learning compliance engine into one number
per person — the share of the learning rules (of the regime of their department) met in
the period — so that an automatic assessment indicator can be bound to it like to any
other metric. It keeps the key it had when assessment registered it (indicators and
presets store the key), but lives here, beside the engine it runs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zugong.core.metrics import Aggregation, Metric
from zugong.core.periods import Period, PeriodKind, periods_between

from .models import CITY_OR_ABOVE, OutletLevel, ReviewStatus, StudyForm, WritingKind

_REVIEWED = {
    "date_field": "on",
    "status_field": "status",
    "confirmed": (ReviewStatus.CONFIRMED,),
    "unconfirmed": (ReviewStatus.PENDING,),
    "records_view": "learning:records",
}


def _writing(key, label, kind, **extra):
    filters = {"kind": kind, **extra.pop("filters", {})}
    params = {"kind": "writing", "writing_kind": kind, **extra.pop("params", {})}
    return Metric(key=key, label=label, unit=_("items"), model="learning.Writing",
                  filters=filters, records_params=params, **_REVIEWED, **extra)


def covering_periods(start: dt.date, end: dt.date) -> list[Period]:
    """[start, end] as one calendar period if it is one, else as the months it overlaps."""
    for kind in (PeriodKind.YEAR, PeriodKind.HALF, PeriodKind.QUARTER, PeriodKind.MONTH):
        period = Period.containing(kind, start)
        if period.start == start and period.end == end:
            return [period]
    return list(periods_between(PeriodKind.MONTH, start, end))


class ComplianceShare(Metric):
    """Per person: rules met ÷ rules the person was held to, in percent (one decimal).

    Without ``by``, over [start, end] (one calendar period, or its months), keyed
    ``(pk, None)``; with ``by``, per period of that kind overlapping [start, end], keyed
    ``(pk, period key)`` like every other metric. Each period is judged by the regime that
    governed its department then.
    """

    def totals(self, *, people, start, end, by=None, include_unconfirmed=False):
        from django.utils import timezone

        from zugong.people.models import OrgUnit, Person

        from .compliance import Status, evaluate
        from .selectors import regime_for_window

        qs = people if isinstance(people, QuerySet) else Person.objects.filter(pk__in=people)
        today = timezone.localdate()
        if by:
            groups = [(p.key, [p]) for p in periods_between(by, start, end)]
        else:
            groups = [(None, covering_periods(start, end))]
        result: dict = {}
        by_dept = defaultdict(list)
        for pk, unit_dept, unit_id in qs.values_list("pk", "unit__department_id", "unit_id"):
            by_dept[unit_dept or unit_id].append(pk)
        for dept in OrgUnit.objects.filter(pk__in=list(by_dept)):
            ids = by_dept[dept.pk]
            for key, windows in groups:
                regime = regime_for_window(dept, windows[-1], today)
                if regime is None:
                    continue
                evaluated = evaluate(regime=regime, people=Person.objects.filter(pk__in=ids),
                                     windows=windows, today=today)
                for pk in ids:
                    statuses = [c.status for w in windows
                                for c in evaluated.person_cells(pk, w)]
                    held = [s for s in statuses
                            if s not in (Status.EXEMPT, Status.NOT_APPLICABLE)]
                    if held:
                        met = sum(1 for s in held if s == Status.MET)
                        result[(pk, key)] = self.quantize(Decimal(met * 100) / len(held))
        return result


METRICS = [
    ComplianceShare(key="assessment.learning_compliance",
                    label=_("learning rules met (share)"), unit=_("%"),
                    model="learning.StudySession", date_field="on", decimals=1,
                    records_view="learning:compliance"),
    Metric(key="learning.study_hours", label=_("study hours"), unit=_("hours"),
           model="learning.StudySession", aggregation=Aggregation.SUM, value_field="hours",
           decimals=1, records_params={"kind": "study"}, **_REVIEWED),
    Metric(key="learning.first_topic_attendance", label=_("first-topic attendance"),
           unit=_("times"), model="learning.StudySession",
           filters={"form": StudyForm.FIRST_TOPIC},
           records_params={"kind": "study", "form": StudyForm.FIRST_TOPIC}, **_REVIEWED),
    Metric(key="learning.note_chars", label=_("note characters"), unit=_("characters"),
           model="learning.StudyNote", aggregation=Aggregation.SUM, value_field="char_count",
           records_params={"kind": "note"}, **_REVIEWED),
    Metric(key="learning.books", label=_("books read"), unit=_("books"),
           model="learning.BookRead", records_params={"kind": "book"}, **_REVIEWED),
    Metric(key="learning.books_listed", label=_("books read from the reading list"),
           unit=_("books"), model="learning.BookRead",
           filters={"reading_item__isnull": False},
           records_params={"kind": "book", "listed": "1"}, **_REVIEWED),
    _writing("learning.info_items", _("information items"), WritingKind.INFO),
    _writing("learning.articles", _("articles published"), WritingKind.ARTICLE),
    _writing("learning.articles_city_up", _("articles at city level or above"),
             WritingKind.ARTICLE, filters={"outlet_level__in": CITY_OR_ABOVE},
             params={"level": "city_up"}),
    *[
        _writing(f"learning.articles_{level}", label, WritingKind.ARTICLE,
                 filters={"outlet_level": level}, params={"level": level})
        for level, label in (
            (OutletLevel.NATIONAL, _("articles in national outlets")),
            (OutletLevel.PROVINCIAL, _("articles in provincial outlets")),
            (OutletLevel.PREFECTURAL, _("articles in prefectural outlets")),
            (OutletLevel.CITY, _("articles in city outlets")),
            (OutletLevel.COUNTY, _("articles in county outlets")),
        )
    ],
    _writing("learning.reflections", _("reflections"), WritingKind.REFLECTION),
    _writing("learning.research_reports", _("research reports"), WritingKind.RESEARCH),
]
