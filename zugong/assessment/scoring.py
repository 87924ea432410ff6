"""The scoring arithmetic of the assessment area: indicator points, a plan's scores,
ranks and grades (bands, veto, quota and tie rule), and what stops a plan from opening.

Everything here computes and returns; nothing writes. Closing a plan (services) keeps what
:func:`compute` returns; the pages show the same figures before it does.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from zugong.core import metrics
from zugong.people.models import RewardPunishment

from . import formula
from .models import (
    ANONYMOUS_GROUPS,
    Assessee,
    Ballot,
    Indicator,
    Plan,
    PlanKind,
    PlanStatus,
    Score,
    TieRule,
    default_bands,
)

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def num(value) -> str:
    """A number as people write it: 100, 92.5 (never 100.00 or 1E+2)."""
    value = Decimal(value)
    return f"{value.quantize(Decimal(1)):f}" if value == value.to_integral_value() else \
        f"{value.normalize():f}"



def weight_problems(plan: Plan) -> list[str]:
    """What stops a plan from opening: weights of groups and of each person's indicators."""
    problems = []
    groups = list(plan.groups.all())
    total = sum((g.weight for g in groups), Decimal(0))
    if total != HUNDRED:
        problems.append(_("The weights of the rater groups add up to %(sum)s, not 100.")
                        % {"sum": num(total)})
    indicators = list(plan.indicators.all())
    common = sum((i.weight for i in indicators if i.person_id is None), Decimal(0))
    extra: dict[int, Decimal] = defaultdict(Decimal)
    for i in indicators:
        if i.person_id:
            extra[i.person_id] += i.weight
    names = dict(plan.assessees.values_list("person_id", "person__name"))
    if not indicators:
        problems.append(_("The plan has no indicators."))
    for person_id, name in names.items():
        if common + extra[person_id] != HUNDRED:
            problems.append(_("The indicator weights of %(name)s add up to %(sum)s, not 100.")
                            % {"name": name, "sum": num(common + extra[person_id])})
            if len(problems) > 5:
                break
    if not names:
        problems.append(_("Nobody is assessed by the plan."))
    return problems



# ---------------------------------------------------------------- results


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def automatic_values(plan: Plan, indicators: list[Indicator], person_ids: list[int]
                     ) -> dict[tuple[int, int], dict]:
    """(indicator, person) → metric value and points: one grouped query per metric."""
    out = {}
    by_metric: dict[str, list[Indicator]] = defaultdict(list)
    for ind in indicators:
        if ind.metric and metrics.exists(ind.metric):
            by_metric[ind.metric].append(ind)
    for key, inds in by_metric.items():
        metric = metrics.get(key)
        totals = metric.totals(people=person_ids, start=plan.period_start,
                               end=plan.period_end)
        for ind in inds:
            for pk in person_ids:
                if ind.person_id not in (None, pk):
                    continue
                value = metric.quantize(totals.get((pk, None), 0))
                out[(ind.pk, pk)] = {
                    "value": value,
                    "points": formula.points(ind.formula or "value", value=value,
                                             target=ind.target, max_score=ind.max_score),
                    "url": metric.records_url(person_id=pk, start=plan.period_start,
                                              end=plan.period_end),
                }
    return out


def compute(plan: Plan) -> list[Assessee]:
    """Scores, ranks and grades of every assessee (not saved). The query count does not
    depend on the number of people or raters.

    Per indicator, each rater group's mean of score ÷ maximum is weighted by the group
    weights (groups with no rating for the person are left out and the rest re-weighted);
    the person's score is the sum over indicators of that share × the indicator's weight
    (automatic indicators use their formula's points instead). Scores have two decimals.
    """
    assessees = list(plan.assessees.select_related("person").order_by("pk"))
    indicators = list(plan.indicators.all())
    weights = {g.group: g.weight for g in plan.groups.all()}
    sums: dict[tuple[int, int, str], list] = defaultdict(lambda: [Decimal(0), 0])
    for a, i, g, v in Score.objects.filter(assessee__plan=plan).values_list(
            "assessee_id", "indicator_id", "group", "value"):
        cell = sums[(a, i, g)]
        cell[0] += v
        cell[1] += 1
    for a, g, vals in Ballot.objects.filter(assessee__plan=plan).values_list(
            "assessee_id", "group", "values"):
        for i, v in vals.items():
            cell = sums[(a, int(i), g)]
            cell[0] += Decimal(v)
            cell[1] += 1
    person_ids = [a.person_id for a in assessees]
    auto = automatic_values(plan, indicators, person_ids)
    vetoes = _veto_facts(plan, person_ids)
    regular = regular_summary(plan, person_ids) if plan.kind == PlanKind.ANNUAL else {}
    for a in assessees:
        total = Decimal(0)
        rows = []
        for ind in indicators:
            if ind.person_id not in (None, a.person_id):
                continue
            if ind.metric:
                got = auto.get((ind.pk, a.person_id), {"value": Decimal(0),
                                                       "points": Decimal(0), "url": ""})
                share = got["points"] / ind.max_score
                rows.append({"id": ind.pk, "name": ind.name, "auto": True,
                             "value": str(got["value"]), "points": str(got["points"]),
                             "url": got["url"], "share": str(_q(share * 100))})
            else:
                groups = {}
                for g in weights:
                    s, n = sums.get((a.pk, ind.pk, g), (Decimal(0), 0))
                    if n:
                        groups[g] = s / n / ind.max_score
                present = sum((weights[g] for g in groups), Decimal(0))
                share = sum((weights[g] * v for g, v in groups.items()), Decimal(0)) / present \
                    if present else Decimal(0)
                rows.append({"id": ind.pk, "name": ind.name, "auto": False,
                             "groups": {g: _shown_mean(v * ind.max_score, g,
                                                       sums[(a.pk, ind.pk, g)][1])
                                        for g, v in groups.items()},
                             "share": str(_q(share * 100))})
            total += share * ind.weight
        a.score = _q(total)
        a.detail = {"indicators": rows, "regular": regular.get(a.person_id, {})}
        reasons = list(vetoes.get(a.person_id, []))
        if a.political_failed:
            reasons.append("political")
        if a.admonished:
            reasons.append("admonished")
        a.veto_reasons = sorted(set(reasons))
        a.vetoed = bool(a.veto_reasons)
    _rank(assessees)
    _grade(plan, assessees)
    return assessees


# An anonymous group's mean is shown only when at least this many ballots make it up: the
# mean of one or two ballots would tell the person (or a colleague who voted) how the
# others voted. The mean still counts in the score either way.
MIN_BALLOTS_SHOWN = 3


def _shown_mean(value: Decimal, group: str, ballots: int) -> str:
    if group in ANONYMOUS_GROUPS and ballots < MIN_BALLOTS_SHOWN:
        return ""
    return str(_q(value))


def _veto_facts(plan: Plan, person_ids: list[int]) -> dict[int, list[str]]:
    """A punishment (disciplinary action) dated in the plan's period bars the top grade."""
    out: dict[int, list[str]] = defaultdict(list)
    for pk in RewardPunishment.objects.filter(
            person_id__in=person_ids, kind=RewardPunishment.Kind.PUNISHMENT,
            date__gte=plan.period_start, date__lte=plan.period_end).values_list(
            "person_id", flat=True):
        out[pk].append("punishment")
    return out


def _rank(assessees: list[Assessee]) -> None:
    """Competition ranking: equal scores share a rank (1, 2, 2, 4)."""
    ordered = sorted(assessees, key=lambda a: (-a.score, a.person.name, a.pk))
    for index, a in enumerate(ordered):
        if index and a.score == ordered[index - 1].score:
            a.rank = ordered[index - 1].rank
        else:
            a.rank = index + 1


def quota_of(plan: Plan, count: int) -> int:
    """How many may get the top grade: the quota's share of the people, rounded down."""
    return int((Decimal(count) * plan.top_quota / HUNDRED).to_integral_value(ROUND_DOWN))


def _first_share(a: Assessee) -> Decimal:
    rows = a.detail.get("indicators") or []
    return Decimal(rows[0]["share"]) if rows else Decimal(0)


def _grade(plan: Plan, assessees: list[Assessee]) -> None:
    """Bands, then the veto, then the quota of the top grade with the plan's tie rule.

    Whoever the veto or the quota keeps from the top grade gets the second grade.
    """
    grades = plan.grades
    bands = [(g, Decimal(str(m))) for g, m in (plan.bands or default_bands(plan.kind))]
    for a in assessees:
        a.computed_grade = next((g for g, low in bands if a.score >= low), grades[-1])
        if a.computed_grade == grades[0] and a.vetoed:
            a.computed_grade = grades[1]
    top = sorted([a for a in assessees if a.computed_grade == grades[0]],
                 key=lambda a: -a.score)
    slots = quota_of(plan, len(assessees))
    if len(top) > slots:
        keep = _within_quota(plan, top, slots)
        for a in top:
            if a not in keep:
                a.computed_grade = grades[1]
                a.detail["over_quota"] = True
    for a in assessees:
        a.grade = a.computed_grade


def _within_quota(plan: Plan, top: list[Assessee], slots: int) -> list[Assessee]:
    if slots <= 0:
        return []
    boundary = top[slots - 1].score
    above = [a for a in top if a.score > boundary]
    tied = [a for a in top if a.score == boundary]
    free = slots - len(above)
    if len(tied) <= free:
        return above + tied
    if plan.tie_rule == TieRule.FIRST_INDICATOR:
        # Higher share on the first indicator first; people still equal there enter only
        # all together, so a tie the rule cannot break leaves them all out.
        tied.sort(key=_first_share, reverse=True)
        chosen: list[Assessee] = []
        shares = sorted({_first_share(a) for a in tied}, reverse=True)
        for share in shares:
            group = [a for a in tied if _first_share(a) == share]
            if len(chosen) + len(group) > free:
                break
            chosen += group
        return above + chosen
    return above


def regular_summary(plan: Plan, person_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each person's regular (平时) grades in the annual plan's year: grade → count."""
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for pk, grade in Assessee.objects.filter(
            person_id__in=person_ids, plan__kind=PlanKind.REGULAR,
            plan__status=PlanStatus.CLOSED, plan__period_start__gte=plan.period_start,
            plan__period_end__lte=plan.period_end).values_list("person_id", "grade"):
        out[pk][grade] = out[pk].get(grade, 0) + 1
    return dict(out)


RESULT_FIELDS = ["score", "rank", "computed_grade", "grade", "vetoed", "veto_reasons",
                 "detail"]



def appeal_deadline(assessee: Assessee) -> dt.date | None:
    closed = assessee.plan.closed_on
    return closed + dt.timedelta(days=assessee.plan.appeal_days) if closed else None

