"""Assessment data of the demo departments: this year's finished quarters (平时, 五看五比)
closed with results, last year's annual assessment closed (grades into A15, one person
vetoed), the current quarter open for scoring, and a few facts in the everyday record.

Ballots are written directly (a demo has no voters clicking), then the plans are closed
through the service, so the results are computed exactly as in use.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.periods import Period, PeriodKind
from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, Person, PersonCategory, UnitKind

from . import services
from .models import Plan, RaterGroup, Tally, Template

FACTS = [(True, "牵头完成年度干部考察材料，质量高、时间快"),
         (True, "主动下沉联系村开展党建指导，群众反映好"),
         (False, "报送统计报表迟交两天"),
         (True, "撰写的调研报告获县委主要领导批示"),
         (False, "会议纪要出现差错，经提醒后改正")]


@dataclass
class AssessmentDemo:
    plans: int
    results: int

    def summary(self) -> str:
        return _("assessment: %(plans)d plans, %(results)d results") % {
            "plans": self.plans, "results": self.results}


def build(*, seed: int = 0, today: dt.date | None = None) -> AssessmentDemo | None:
    """Plans and results for each demo department (once)."""
    if Plan.objects.exists():
        return None
    today = today or timezone.localdate()
    # Demo data, reproducible by seed: not a secret.
    rng = random.Random(seed + 11)  # nosec B311
    template = Template.objects.filter(name="五看五比", department__isnull=True).first()
    plans = results = 0
    with transaction.atomic():
        for dept in OrgUnit.objects.filter(kind=UnitKind.ORG_DEPT).order_by("path"):
            sections = list(OrgUnit.objects.filter(department=dept, kind=UnitKind.SECTION))
            q = subtree_q("unit_path", dept.path)
            cadres = list(Person.objects.filter(q, is_active=True, unit__in=sections,
                                                category=PersonCategory.ORG_CADRE).order_by("pk"))
            if len(cadres) < 3:
                continue
            skill = {p.pk: rng.uniform(72, 97) for p in cadres}
            year = Period.parse(str(today.year))
            for quarter in year.children(PeriodKind.QUARTER):
                if quarter.end >= today:
                    continue
                plan = _plan(dept, template, kind="regular", period=quarter.key,
                             name=f"{quarter.start.year}年第{(quarter.start.month - 1) // 3 + 1}"
                                  f"季度平时考核", start=quarter.end + dt.timedelta(days=1),
                             sections=sections)
                results += _score_and_close(plan, rng, skill)
                plans += 1
            last = Period.parse(str(today.year - 1))
            annual = _plan(dept, template, kind="annual", period=last.key,
                           name=f"{last.start.year}年度考核",
                           start=last.end + dt.timedelta(days=1), sections=sections)
            vetoed = annual.assessees.order_by("pk").first()
            services.veto_set(by=None, assessee=vetoed, political_failed=False, admonished=True,
                              note="年内受到诫勉谈话")
            results += _score_and_close(annual, rng, skill)
            plans += 1
            current = Period.containing(PeriodKind.QUARTER, today)
            open_plan = _plan(dept, template, kind="regular", period=current.key,
                              name=f"{current.start.year}年第{(current.start.month - 1) // 3 + 1}"
                                   f"季度平时考核", start=today - dt.timedelta(days=2),
                              sections=sections)
            services.plan_open(by=None, plan=open_plan, version=open_plan.version)
            plans += 1
            for person in rng.sample(cadres, min(4, len(cadres))):
                positive, text = rng.choice(FACTS)
                services.everyday_note_add(by=None, person=person, positive=positive, text=text,
                                           on=today - dt.timedelta(days=rng.randrange(1, 60)),
                                           source=_("demo"))
    return AssessmentDemo(plans=plans, results=results)


def _plan(dept, template, *, kind, period, name, start, sections) -> Plan:
    return services.plan_create(by=None, department=dept, template=template, data={
        "name": name, "kind": kind, "period": period, "window_start": start,
        "window_end": start + dt.timedelta(days=12),
        "categories": [PersonCategory.ORG_CADRE]}, units=sections)


def _score_and_close(plan: Plan, rng, skill) -> int:
    services.plan_open(by=None, plan=plan, version=plan.version)
    plan.refresh_from_db()
    indicators = [i for i in plan.indicators.all() if not i.metric]
    tallies = []
    groups = [g.group for g in plan.groups.all()]
    for a in plan.assessees.all():
        base = skill.get(a.person_id, 85)
        for group in groups:
            raters = 1 if group in (RaterGroup.SELF, RaterGroup.CHIEF, RaterGroup.DEPUTY,
                                    RaterGroup.HEAD) else 5
            # Drawn in the order the demo always drew them (rater by rater), so the demo's
            # figures stay the same.
            totals = dict.fromkeys(indicators, Decimal(0))
            for _n in range(raters):
                for i in indicators:
                    totals[i] += min(i.max_score, Decimal(round(base + rng.uniform(-6, 6), 1))
                                     * i.max_score / 100).quantize(Decimal("0.1"))
            tallies += [Tally(assessee=a, indicator=i, group=group, total=total,
                              count=raters) for i, total in totals.items()]
    # Demo shortcut: every group's marks are stored as tallies (the computation treats a
    # group's mean the same whichever table it comes from); they replace the zero tallies
    # the plan got when it opened.
    Tally.objects.filter(assessee__plan=plan).delete()
    Tally.objects.bulk_create(tallies, batch_size=2000)
    services.plan_close(by=None, plan=plan, version=plan.version)
    return plan.assessees.count()
