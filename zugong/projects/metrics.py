"""The figures the projects app offers to reports and the assessment (registry keys
``projects.*``): follow-ups and on-site guidance by the cadre who made them, the
project-months and project-quarters that met the department's rules (followed up on
time), projects declared and awards won by the cadre who declared them."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.metrics import Metric
from zugong.core.periods import Period, PeriodKind

from .models import FollowUpKind, IdeaStatus


@dataclass(frozen=True)
class KeptOnTime(Metric):
    """Project-periods that met the department's rule (``rule``: "monthly", at least
    ``ProjectRule`` monthly follow-ups in the calendar month, on-site guidance counting;
    "onsite", at least that many on-site guidance visits in the quarter).

    A count, so it adds up: each met project-period is credited once, to the cadre whose
    follow-up made up the minimum, on that follow-up's day (``coverage.credits``). A
    period counts as soon as it is met, so the open month counts once it is kept; the
    coverage page judges ended periods only. Three queries whatever the number of people:
    the follow-ups of the projects the people followed up in the window (over whole
    periods, since earlier follow-ups of the month decide who made up the minimum), the
    departments' rules, and the people's ids when given as a queryset.
    """

    rule: str = "monthly"

    def totals(self, *, people: QuerySet | list[int], start: dt.date, end: dt.date,
               by: str | None = None, include_unconfirmed: bool = False
               ) -> dict[tuple[int, str | None], Decimal]:
        from . import coverage
        from .models import RULE_DEFAULTS, FollowUp, ProjectRule

        if end < start:
            return {}
        ids = set(people.values_list("pk", flat=True) if isinstance(people, QuerySet)
                  else people)
        if not ids:
            return {}
        kind = PeriodKind.MONTH if self.rule == "monthly" else PeriodKind.QUARTER
        lo = Period.containing(kind, start).start
        hi = Period.containing(kind, end).end
        own = FollowUp.objects.filter(person_id__in=ids, on__gte=start, on__lte=end)
        rows = FollowUp.objects.filter(project__in=own.values("project"), on__gte=lo,
                                       on__lte=hi)
        if self.rule == "onsite":
            rows = rows.filter(kind=FollowUpKind.ONSITE)
        rows = list(rows.values_list("project_id", "person_id", "kind", "on", "pk",
                                     "project__department_id"))
        departments = {r[5] for r in rows}
        stored = dict(((d, k), m) for d, k, m in ProjectRule.objects.filter(
            department_id__in=departments, kind=self.rule).values_list(
            "department_id", "kind", "minimum"))
        default = RULE_DEFAULTS[self.rule]
        minimums = {r[0]: stored.get((r[5], self.rule), default) for r in rows}
        out: dict[tuple[int, str | None], Decimal] = defaultdict(Decimal)
        for credit in coverage.credits([r[:5] for r in rows], kind=self.rule,
                                       minimums=minimums):
            if credit.person in ids and start <= credit.on <= end:
                bucket = Period.containing(by, credit.on).key if by else None
                out[(credit.person, bucket)] += 1
        return dict(out)


TIMES = pgettext_lazy("projects", "times")
PROJECTS = pgettext_lazy("projects", "projects")
ITEMS = pgettext_lazy("projects", "items")

METRICS = [
    Metric(key="projects.followups", label=_("innovation project follow-ups"), unit=TIMES,
           model="projects.FollowUp", date_field="on", records_view="projects:coverage"),
    Metric(key="projects.onsite_guidance", label=_("on-site guidance of innovation projects"),
           unit=TIMES, model="projects.FollowUp", date_field="on",
           filters={"kind": FollowUpKind.ONSITE}, records_view="projects:coverage"),
    KeptOnTime(key="projects.followed_up_on_time",
               label=_("innovation project-months followed up on time"),
               unit=pgettext_lazy("projects", "project-months"), model="projects.FollowUp",
               date_field="on", rule="monthly", records_view="projects:coverage"),
    KeptOnTime(key="projects.guided_on_time",
               label=_("innovation project-quarters guided on site on time"),
               unit=pgettext_lazy("projects", "project-quarters"), model="projects.FollowUp",
               date_field="on", rule="onsite", records_view="projects:coverage"),
    Metric(key="projects.declared", label=_("innovation projects declared"), unit=PROJECTS,
           model="projects.InnovationProject", person_field="declared_by",
           date_field="declared_on", records_view="projects:list"),
    Metric(key="projects.awarded", label=_("work innovation awards won"), unit=PROJECTS,
           model="projects.InnovationProject", person_field="declared_by",
           date_field="awarded_on", filters={"award__gt": ""},
           records_view="projects:list", records_params={"status": "finished"}),
    Metric(key="projects.ideas_submitted",
           label=_("good ideas, proposals and information submitted"), unit=ITEMS,
           model="projects.Idea", date_field="on", records_view="projects:ideas"),
    Metric(key="projects.ideas_adopted", label=_("ideas and information adopted"),
           unit=ITEMS, model="projects.Idea", date_field="adopted_on",
           filters={"status": IdeaStatus.ADOPTED}, records_view="projects:ideas",
           records_params={"status": "adopted"}),
    Metric(key="projects.info_adopted",
           label=_("information items and articles adopted by outlets"), unit=ITEMS,
           model="projects.Adoption", date_field="on", records_view="projects:adoptions"),
]
