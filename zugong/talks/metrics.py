"""The figures the talks and visits offer to reports, regimes and assessment."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from zugong.core.metrics import Metric
from zugong.core.periods import Period

from .models import TalkKind, VisitKind


@dataclass(frozen=True)
class CoverageRate(Metric):
    """Share (%) of the talk pairs a leader is required to hold that are met, judged as of
    the end of the period (or today, if that is earlier) by the department's coverage rules.

    Not a count or a sum, so it overrides ``totals``: one coverage evaluation per
    department of the people asked about (a handful of queries each).
    """

    def totals(self, *, people: QuerySet | list[int], start: dt.date, end: dt.date,
               by: str | None = None, include_unconfirmed: bool = False
               ) -> dict[tuple[int, str | None], Decimal]:
        from zugong.people.models import OrgUnit, Person

        from . import coverage

        ids = set(people.values_list("pk", flat=True) if isinstance(people, QuerySet)
                  else people)
        as_of = min(end, timezone.localdate())
        if as_of < start:
            return {}
        depts = OrgUnit.objects.filter(pk__in=Person.objects.filter(pk__in=ids).values(
            "unit__department_id"))
        met: dict[int, list[int]] = {}
        for dept in depts:
            for req in coverage.evaluate(dept, today=as_of):
                if req.leader_id in ids:
                    counts = met.setdefault(req.leader_id, [0, 0])
                    counts[0] += req.status == coverage.Status.MET
                    counts[1] += 1
        bucket = Period.containing(by, as_of).key if by else None
        return {(pk, bucket): (Decimal(done * 100) / total).quantize(Decimal("0.1"))
                for pk, (done, total) in met.items() if total}


METRICS = [
    Metric(key="talks.held", label=_("talks held"), unit=_("talks"), model="talks.Talk",
           date_field="held_on", person_field="by", records_view="talks:list"),
    *[Metric(key=f"talks.held_{kind}", label=format_lazy("{}: {}", _("talks held"), label),
             unit=_("talks"), model="talks.Talk", date_field="held_on", person_field="by",
             filters={"kind": kind}, records_view="talks:list", records_params={"kind": kind})
      for kind, label in TalkKind.choices],
    Metric(key="talks.taken_part", label=_("talks taken part in"), unit=_("talks"),
           model="talks.TalkParty", date_field="held_on", records_view="talks:list"),
    Metric(key="talks.visits", label=_("visits"), unit=_("visits"), model="talks.Visit",
           date_field="on", person_field="visitors__id", records_view="talks:visits"),
    *[Metric(key=f"talks.visits_{kind}", label=format_lazy("{}: {}", _("visits"), label),
             unit=_("visits"), model="talks.Visit", date_field="on",
             person_field="visitors__id", filters={"kind": kind}, records_view="talks:visits")
      for kind, label in VisitKind.choices],
    Metric(key="talks.problems_raised", label=_("problems raised in visits"),
           unit=_("problems"), model="talks.VisitProblem", date_field="raised_on",
           records_view="talks:visits"),
    Metric(key="talks.problems_solved", label=_("problems raised in visits and solved"),
           unit=_("problems"), model="talks.VisitProblem", date_field="solved_on",
           records_view="talks:visits"),
    CoverageRate(key="talks.coverage_rate", label=_("talk coverage rate (as leader)"),
                 unit="%", model="talks.Talk", date_field="held_on", person_field="by",
                 decimals=1, records_view="talks:coverage"),
]
