"""The figures the talks and visits offer to reports, regimes and assessment."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from zugong.core.metrics import Metric

from .models import TalkKind, VisitKind

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
]
