"""The figures the talks and visits offer to reports, regimes and assessment."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from zugong.core.metrics import Metric
from zugong.core.periods import periods_between

from .models import TalkKind, VisitKind


@dataclass(frozen=True)
class CoverageRate(Metric):
    """Share (%) of the talk pairs a leader is required to hold that are met, judged by the
    department's coverage rules as of the end of each period (or today, or ``end``, if
    earlier).

    Not a count or a sum, so it overrides ``totals``. With ``by`` it gives one value per
    period of that kind overlapping [start, end], keyed ``(pk, period key)`` like every
    metric; without it, one value as of the end, keyed ``(pk, None)``. One coverage
    evaluation per department and period (a handful of queries each).
    """

    def totals(self, *, people: QuerySet | list[int], start: dt.date, end: dt.date,
               by: str | None = None, include_unconfirmed: bool = False
               ) -> dict[tuple[int, str | None], Decimal]:
        from zugong.people.models import OrgUnit, Person

        from . import coverage

        ids = set(people.values_list("pk", flat=True) if isinstance(people, QuerySet)
                  else people)
        today = timezone.localdate()
        if by:
            judged = [(p.key, min(p.end, end, today)) for p in periods_between(by, start, end)]
        else:
            judged = [(None, min(end, today))]
        judged = [(key, as_of) for key, as_of in judged if as_of >= start]
        if not judged or not ids:
            return {}
        depts = list(OrgUnit.objects.filter(pk__in=Person.objects.filter(
            pk__in=ids).values("unit__department_id")))
        out: dict[tuple[int, str | None], Decimal] = {}
        for key, as_of in judged:
            met: dict[int, list[int]] = {}
            for dept in depts:
                for req in coverage.evaluate(dept, today=as_of):
                    if req.leader_id in ids:
                        counts = met.setdefault(req.leader_id, [0, 0])
                        counts[0] += req.status == coverage.Status.MET
                        counts[1] += 1
            out.update({(pk, key): (Decimal(done * 100) / total).quantize(Decimal("0.1"))
                        for pk, (done, total) in met.items() if total})
        return out


METRICS = [
    Metric(key="talks.held", label=_("talks held"), unit=_("talks"), model="talks.Talk",
           date_field="held_on", person_field="by", records_view="talks:list",
           records_params={"side": "held"}),
    *[Metric(key=f"talks.held_{kind}", label=format_lazy("{}: {}", _("talks held"), label),
             unit=_("talks"), model="talks.Talk", date_field="held_on", person_field="by",
             filters={"kind": kind}, records_view="talks:list",
             records_params={"kind": kind, "side": "held"})
      for kind, label in TalkKind.choices],
    Metric(key="talks.taken_part", label=_("talks taken part in"), unit=_("talks"),
           model="talks.TalkParty", date_field="held_on", records_view="talks:list",
           records_params={"side": "party"}),
    Metric(key="talks.visits", label=_("visits"), unit=_("visits"), model="talks.Visit",
           date_field="on", person_field="visitors__id", records_view="talks:visits"),
    *[Metric(key=f"talks.visits_{kind}", label=format_lazy("{}: {}", _("visits"), label),
             unit=_("visits"), model="talks.Visit", date_field="on",
             person_field="visitors__id", filters={"kind": kind}, records_view="talks:visits",
             records_params={"kind": kind})
      for kind, label in VisitKind.choices],
    Metric(key="talks.problems_raised", label=_("problems raised in visits"),
           unit=_("problems"), model="talks.VisitProblem", date_field="raised_on",
           records_view="talks:visits", records_params={"problems": "raised"}),
    Metric(key="talks.problems_solved", label=_("problems raised in visits and solved"),
           unit=_("problems"), model="talks.VisitProblem", date_field="solved_on",
           records_view="talks:visits", records_params={"problems": "solved"}),
    CoverageRate(key="talks.coverage_rate", label=_("talk coverage rate (as leader)"),
                 unit="%", model="talks.Talk", date_field="held_on", person_field="by",
                 decimals=1, records_view="talks:coverage"),
]
