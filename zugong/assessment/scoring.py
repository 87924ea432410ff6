"""The scoring arithmetic of the assessment area: indicator points, a plan's scores,
ranks and grades (bands, veto, quota and tie rule), and what stops a plan from opening.

Everything here computes and returns; nothing writes. Closing a plan (services) keeps what
:func:`compute` returns; the pages show the same figures before it does.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext as _

from zugong.core import metrics, registry
from zugong.core.ballots import MIN_BALLOTS_SHOWN
from zugong.people.models import RewardPunishment

from . import formula
from .models import (
    ANONYMOUS_GROUPS,
    Assessee,
    GapDecision,
    Indicator,
    Plan,
    PlanKind,
    PlanStatus,
    QuotaRounding,
    Score,
    Tally,
    TieRule,
    default_bands,
)

# The hook a supervision app will offer: ``fn(person_ids=[...], start=date, end=date)`` →
# ``{person_id: [text of each 诫勉 in the period, ...]}``. Until one is installed, an
# admonishment is marked by hand (with its reason).
ADMONISHMENTS_HOOK = "supervision.admonishments"

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


def _sums(plan: Plan) -> dict[tuple[int, int, str], list]:
    """(assessee, indicator, group) → [sum of score values, count]: named scores and the
    anonymous groups' tallies."""
    sums: dict[tuple[int, int, str], list] = defaultdict(lambda: [Decimal(0), 0])
    for a, i, g, v in Score.objects.filter(assessee__plan=plan).values_list(
            "assessee_id", "indicator_id", "group", "value"):
        cell = sums[(a, i, g)]
        cell[0] += v
        cell[1] += 1
    for a, i, g, total, n in Tally.objects.filter(assessee__plan=plan, count__gt=0) \
            .values_list("assessee_id", "indicator_id", "group", "total", "count"):
        cell = sums[(a, i, g)]
        cell[0] += total
        cell[1] += n
    return sums


def gaps_of(plan: Plan, sums=None) -> dict[int, list[str]]:
    """assessee id → the rater groups that gave that person no rating on some manual
    indicator (a fixed number of queries). Automatic indicators need no raters."""
    sums = _sums(plan) if sums is None else sums
    groups = [g.group for g in plan.groups.all()]
    manual = [i for i in plan.indicators.all() if not i.metric]
    out: dict[int, list[str]] = {}
    for a_id, person_id in plan.assessees.values_list("pk", "person_id"):
        mine = [i for i in manual if i.person_id in (None, person_id)]
        missing = [g for g in groups
                   if any(not sums.get((a_id, i.pk, g), (0, 0))[1] for i in mine)]
        if missing:
            out[a_id] = missing
    return out


def compute(plan: Plan, decisions: dict[int, str] | None = None) -> list[Assessee]:
    """Scores, ranks and grades of every assessee (not saved). The query count does not
    depend on the number of people or raters.

    Per indicator, each rater group's mean of score ÷ maximum is weighted by the group
    weights; the person's score is the sum over indicators of that share × the indicator's
    weight (automatic indicators use their formula's points instead). Scores have two
    decimals. A person some rater group gave no rating is *incomplete*: no score, rank or
    grade until the office decides (``Assessee.gap_decision``): re-weight the groups
    present, count the missing group as 0, or no grade this time. Nothing is re-weighted
    silently.
    """
    assessees = list(plan.assessees.select_related("person").order_by("pk"))
    indicators = list(plan.indicators.all())
    weights = {g.group: g.weight for g in plan.groups.all()}
    sums = _sums(plan)
    gaps = gaps_of(plan, sums)
    person_ids = [a.person_id for a in assessees]
    auto = automatic_values(plan, indicators, person_ids)
    vetoes = _veto_facts(plan, person_ids)
    regular = regular_summary(plan, person_ids) if plan.kind == PlanKind.ANNUAL else {}
    for a in assessees:
        if decisions and a.pk in decisions:
            a.gap_decision = decisions[a.pk]
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
                             "political": ind.political,
                             "value": str(got["value"]), "points": str(got["points"]),
                             "url": got["url"], "share": str(_q(share * 100))})
            else:
                groups = {}
                for g in weights:
                    s, n = sums.get((a.pk, ind.pk, g), (Decimal(0), 0))
                    if n:
                        groups[g] = s / n / ind.max_score
                if a.gap_decision == GapDecision.ZERO:
                    present = sum(weights.values(), Decimal(0))
                else:
                    present = sum((weights[g] for g in groups), Decimal(0))
                share = sum((weights[g] * v for g, v in groups.items()), Decimal(0)) / present \
                    if present else Decimal(0)
                rows.append({"id": ind.pk, "name": ind.name, "auto": False,
                             "political": ind.political,
                             "groups": {g: _shown_mean(v * ind.max_score, g,
                                                       sums[(a.pk, ind.pk, g)][1])
                                        for g, v in groups.items()},
                             "share": str(_q(share * 100))})
            total += share * ind.weight
        missing = gaps.get(a.pk, [])
        a.incomplete = bool(missing) and not a.gap_decision
        a.detail = {"indicators": rows, "regular": regular.get(a.person_id, {})}
        if missing:
            a.detail["missing_groups"] = missing
        sources = list(vetoes.get(a.person_id, []))
        political = _political_share(a)
        if political is not None and political < plan.political_pass and not a.incomplete \
                and a.gap_decision != GapDecision.UNGRADED:
            sources.append({"reason": "political", "source": "score",
                            "text": _("%(share)s%% on the political-standard indicator, below "
                                      "%(line)s%%") % {"share": num(political),
                                                       "line": num(plan.political_pass)}})
        # A manual source's text is the office's note, kept encrypted in ``veto_note`` and
        # read from there (Assessee.veto_sources), never copied here in the clear.
        if a.political_failed:
            sources.append({"reason": "political", "source": "manual", "text": ""})
        if a.admonished:
            sources.append({"reason": "admonished", "source": "manual", "text": ""})
        a.detail["veto_sources"] = sources
        a.veto_reasons = sorted({v["reason"] for v in sources})
        a.vetoed = bool(a.veto_reasons)
        if a.incomplete or a.gap_decision == GapDecision.UNGRADED:
            a.score = None
        else:
            a.score = _q(total)
    _rank(assessees)
    _grade(plan, assessees)
    return assessees


# An anonymous group's mean is shown only when at least MIN_BALLOTS_SHOWN ballots (the
# kit's, core.ballots) make it up: the mean of one or two ballots would tell the person (or
# a colleague who voted) how the others voted. The mean still counts in the score either way.


def _shown_mean(value: Decimal, group: str, ballots: int) -> str:
    if group in ANONYMOUS_GROUPS and ballots < MIN_BALLOTS_SHOWN:
        return ""
    return str(_q(value))


def _veto_facts(plan: Plan, person_ids: list[int]) -> dict[int, list[dict]]:
    """The vetoes the records show, each with its source: a punishment (A14) dated in the
    plan's period (for an annual plan, the year), and a 诫勉 in the period once a supervision
    app offers the ``supervision.admonishments`` hook."""
    out: dict[int, list[dict]] = defaultdict(list)
    for pk, on, title in RewardPunishment.objects.filter(
            person_id__in=person_ids, kind=RewardPunishment.Kind.PUNISHMENT,
            date__gte=plan.period_start, date__lte=plan.period_end).order_by(
            "date", "id").values_list("person_id", "date", "title"):
        out[pk].append({"reason": "punishment", "source": "A14",
                        "text": f"{on.isoformat()} {title}"})
    admonishments = registry.hook(ADMONISHMENTS_HOOK)
    if admonishments is not None and person_ids:
        found = admonishments(person_ids=person_ids, start=plan.period_start,
                              end=plan.period_end) or {}
        for pk, texts in found.items():
            for text in texts or [""]:
                out[pk].append({"reason": "admonished", "source": "supervision",
                                "text": str(text)})
    return out


def _rank(assessees: list[Assessee]) -> None:
    """Competition ranking: equal scores share a rank (1, 2, 2, 4)."""
    for a in assessees:
        if a.score is None:
            a.rank = None
    ordered = sorted((a for a in assessees if a.score is not None),
                     key=lambda a: (-a.score, a.person.name, a.pk))
    for index, a in enumerate(ordered):
        if index and a.score == ordered[index - 1].score:
            a.rank = ordered[index - 1].rank
        else:
            a.rank = index + 1


_ROUNDING = {QuotaRounding.DOWN: ROUND_DOWN, QuotaRounding.HALF_UP: ROUND_HALF_UP,
             QuotaRounding.UP: ROUND_CEILING}


def _places(places: Decimal, rounding: str) -> int:
    return int(places.to_integral_value(_ROUNDING.get(rounding, ROUND_DOWN)))


def quota_of(plan: Plan, count: int) -> int:
    """How many of ``count`` people may get the top grade by the plan's own quota, rounded
    as the plan says (default: down)."""
    return _places(Decimal(count) * plan.top_quota / HUNDRED, plan.quota_rounding)


def quota_pool(plan: Plan) -> list[Plan]:
    """The plans whose people share one quota of the top grade: for an annual plan, every
    annual plan of the department in that year (《公务员考核规定》: 优秀 within 20 % of the
    people taking part in the annual assessment, 合并计算); otherwise the plan alone."""
    if plan.kind != PlanKind.ANNUAL:
        return [plan]
    pool = list(Plan.objects.filter(department_id=plan.department_id, kind=PlanKind.ANNUAL,
                                    period_start__year=plan.period_start.year)
                .exclude(pk=plan.pk))
    return [plan, *pool]


def quota_status(plan: Plan, *, exclude_self: bool = False) -> dict:
    """The top-grade quota: places in all (Σ people × quota of each plan of the pool,
    rounded once as this plan says), used (top grades given in the pool's plans) and left.
    ``exclude_self`` leaves this plan's own top grades out of "used" (when computing it).
    A fixed number of queries."""
    pool = quota_pool(plan)
    ids = [p.pk for p in pool]
    counts = dict(Assessee.objects.filter(plan_id__in=ids).order_by().values_list("plan_id")
                  .annotate(n=models.Count("id")))
    places = sum((Decimal(counts.get(p.pk, 0)) * p.top_quota / HUNDRED for p in pool),
                 Decimal(0))
    total = _places(places, plan.quota_rounding)
    used_rows = Assessee.objects.filter(plan_id__in=ids, plan__status=PlanStatus.CLOSED,
                                        grade=plan.top_grade)
    if exclude_self:
        used_rows = used_rows.exclude(plan_id=plan.pk)
    used = used_rows.count()
    return {"total": total, "used": used, "left": max(total - used, 0),
            "people": sum(counts.values()), "plans": len(pool), "pooled": len(pool) > 1}


def _political_share(a: Assessee) -> Decimal | None:
    """The person's share (%) on the indicator marked as the political standard."""
    for row in a.detail.get("indicators") or []:
        if row.get("political"):
            return Decimal(row["share"])
    return None


def grade_of(plan: Plan, a: Assessee) -> str:
    """The grade by the bands, the veto keeping the top grade away."""
    grades = plan.grades
    bands = [(g, Decimal(str(m))) for g, m in (plan.bands or default_bands(plan.kind))]
    grade = next((g for g, low in bands if a.score >= low), grades[-1])
    if grade == grades[0] and a.vetoed:
        grade = grades[1]
    return grade


def _grade(plan: Plan, assessees: list[Assessee]) -> None:
    """Bands, then the veto, then the quota of the top grade with the plan's tie rule.

    Whoever the veto or the quota keeps from the top grade gets the second grade; a person
    without a score (incomplete, or no grade decided) gets no grade.
    """
    grades = plan.grades
    scored = [a for a in assessees if a.score is not None]
    for a in assessees:
        a.computed_grade = grade_of(plan, a) if a.score is not None else ""
    top = sorted([a for a in scored if a.computed_grade == grades[0]],
                 key=lambda a: -a.score)
    slots = quota_status(plan, exclude_self=True)["left"]
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
        # Higher share on the political-standard indicator first; people still equal there
        # (or a plan with no such indicator) enter only all together, so a tie the rule
        # cannot break leaves them all out.
        if any(_political_share(a) is None for a in tied):
            return above
        chosen: list[Assessee] = []
        shares = sorted({_political_share(a) for a in tied}, reverse=True)
        for share in shares:
            group = [a for a in tied if _political_share(a) == share]
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
                 "detail", "incomplete"]



def appeal_deadline(assessee: Assessee) -> dt.date | None:
    closed = assessee.plan.closed_on
    return closed + dt.timedelta(days=assessee.plan.appeal_days) if closed else None

