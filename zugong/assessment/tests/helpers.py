"""Shared set-up of the assessment tests: a section of assessed people and plans."""

import datetime as dt

from conftest import make_person
from zugong.assessment import services
from zugong.assessment.models import Indicator, RaterGroup
from zugong.people import services as people_services
from zugong.people.models import UnitKind

WINDOW_DAY = dt.date(2026, 12, 10)


def section(cast, name="考核测试室", code="433122-Z09", size=20):
    unit = people_services.unit_create(by=None, parent=cast.dept, name=name,
                                       kind=UnitKind.SECTION, code=code)
    people = [make_person(unit, f"测试{i:02d}", born=dt.date(1980 + i % 15, 1 + i % 12, 5))
              for i in range(size)]
    return unit, people


def annual_plan(cast, unit, *, groups=None, indicators=(("政治素质", 60, 100, True),
                                                         ("工作成效", 40, 10)),
                kind="annual", period="2026", **extra):
    data = {"name": f"{period}年度考核", "kind": kind, "period": period,
            "window_start": dt.date(2026, 12, 1), "window_end": dt.date(2026, 12, 31)}
    data.update(extra)
    plan = services.plan_create(by=cast["assessor"], department=cast.dept, data=data,
                                units=[unit])
    services.group_weights_set(by=cast["assessor"], plan=plan,
                               weights=groups or {RaterGroup.HEAD: 60,
                                                  RaterGroup.DEMOCRATIC: 40})
    for name, weight, max_score, *political in indicators:
        services.indicator_add(by=cast["assessor"], plan=plan, name=name, weight=weight,
                               max_score=max_score, political=bool(political and political[0]))
    return plan


def open_plan(cast, plan):
    plan.refresh_from_db()
    return services.plan_open(by=cast["assessor"], plan=plan, version=plan.version)


def close_plan(cast, plan):
    plan.refresh_from_db()
    return services.plan_close(by=cast["assessor"], plan=plan, version=plan.version)


def sheet_values(plan, rows: dict) -> dict:
    """{person: (score of indicator 1, score of indicator 2, …)} → the form's keys."""
    inds = list(Indicator.objects.filter(plan=plan, person__isnull=True, metric="")
                .order_by("position", "id"))
    assessees = {a.person_id: a.pk for a in plan.assessees.all()}
    return {f"{assessees[p.pk]}-{ind.pk}": str(v) for p, vals in rows.items()
            for ind, v in zip(inds, vals, strict=True)}


def close_deciding(cast, plan, reason="测试：该组未评分"):
    """Close a plan some rater groups left unrated: the office records a reason for each
    gap, then decides each incomplete person (re-weight the groups present where there are
    any, else count the missing groups as 0). Tests written before closing checked for gaps
    use this where the plan was never fully rated."""
    from zugong.assessment.models import Assessee, GapDecision

    plan.refresh_from_db()
    reasons = {services.gap_key(a, g): reason
               for a, groups in services.gaps_of(plan).items() for g in groups}
    services.plan_close(by=cast["assessor"], plan=plan, version=plan.version,
                        gap_reasons=reasons)
    groups = {g.group for g in plan.groups.all()}
    for a in Assessee.objects.filter(plan=plan, incomplete=True).select_related("plan"):
        decision = GapDecision.ZERO if set(a.detail.get("missing_groups", [])) >= groups \
            else GapDecision.REWEIGHT
        services.gap_decide(by=cast["assessor"], assessee=a, decision=decision, reason=reason)
    plan.refresh_from_db()
    return plan


def ballots_counted(**filters) -> int:
    """How many (person, sheet) ballots the tallies hold: what counting the rows of the old
    ballot table gave."""
    from zugong.assessment.models import Tally

    per: dict = {}
    for a, g, n in Tally.objects.filter(**filters).values_list("assessee_id", "group", "count"):
        per[(a, g)] = max(per.get((a, g), 0), n)
    return sum(per.values())
