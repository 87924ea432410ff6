"""Worked examples of scoring and grading: weighted scores, ranks, bands, quota and ties,
veto, adjustments; anonymity of ballots; bounded queries; bad input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zugong.assessment import events, services
from zugong.assessment.models import (
    Adjustment,
    Assessee,
    Grade,
    PlanStatus,
    RaterGroup,
    Score,
    Tally,
    TieRule,
    Voted,
)
from zugong.core.models import AuditEntry
from zugong.people import services as people_services
from zugong.people.models import AnnualAssessment

from .helpers import (
    WINDOW_DAY,
    annual_plan,
    ballots_counted,
    close_plan,
    open_plan,
    section,
    sheet_values,
)

# Per person: head's (A, B), then two democratic ballots' (A, B). A: max 100, weight 60;
# B: max 10, weight 40. Head weighs 60, the democratic evaluation 40.
ROWS = [
    ((98, 10), (90, 9), (94, 9)),        # 0: 95.76
    ((96, 9), (96, 9), (96, 9)),         # 1: 93.60
    ((95, 9), (95, 9), (95, 9)),         # 2: 93.00
    ((100, 8), (100, 8), (100, 8)),      # 3: 92.00, first indicator 100
    ((90, 9.5), (90, 9.5), (90, 9.5)),   # 4: 92.00, first indicator 90
    ((99, 10), (99, 10), (99, 10)),      # 5: 99.40, but vetoed
    *[((88 - 2 * j, 8),) * 3 for j in range(13)],  # 6–18: 84.80 down to 70.40
    ((50, 5), (50, 5), (50, 5)),         # 19: 50.00
]
EXPECTED = [Decimal("95.76"), Decimal("93.60"), Decimal("93.00"), Decimal("92.00"),
            Decimal("92.00"), Decimal("99.40"),
            *[Decimal(str(round(0.6 * (88 - 2 * j) + 32, 2))).quantize(Decimal("0.01"))
              for j in range(13)], Decimal("50.00")]


def _score_everyone(cast, plan, people):
    rows = list(zip(people, ROWS, strict=True))
    services.scores_submit(by=cast["head"], plan=plan, group=RaterGroup.HEAD,
                           values=sheet_values(plan, {p: r[0] for p, r in rows}),
                           today=WINDOW_DAY)
    for voter, column in (("cadre", 1), ("cadre2", 2)):
        services.ballots_submit(by=cast[voter], plan=plan, group=RaterGroup.DEMOCRATIC,
                                values=sheet_values(plan, {p: r[column] for p, r in rows}),
                                today=WINDOW_DAY)


def _worked_plan(cast, tie_rule=TieRule.FIRST_INDICATOR):
    unit, people = section(cast)
    plan = annual_plan(cast, unit, tie_rule=tie_rule)
    open_plan(cast, plan)
    vetoed = plan.assessees.get(person=people[5])
    services.veto_set(by=cast["assessor"], assessee=vetoed, political_failed=True,
                      admonished=False, note="政治素质考察不合格")
    _score_everyone(cast, plan, people)
    close_plan(cast, plan)
    return plan, people, {a.person_id: a for a in plan.assessees.all()}


def test_a_plan_of_twenty_gives_the_exact_weighted_scores_ranks_and_grades(cast):
    plan, people, by_person = _worked_plan(cast)
    results = [by_person[p.pk] for p in people]
    assert [a.score for a in results] == EXPECTED
    # Hand check of person 0: A = (60×0.98 + 40×0.92)/100×60 = 57.36; B = 0.96×40 = 38.40.
    assert results[0].score == Decimal("57.36") + Decimal("38.40")
    assert [a.rank for a in results[:7]] == [2, 3, 4, 5, 5, 1, 7]
    assert [a.grade for a in results[:6]] == [Grade.EXCELLENT] * 4 + [Grade.COMPETENT] * 2
    # Bands: ≥ 90 excellent, ≥ 75 competent, ≥ 60 basically competent, below incompetent.
    assert results[6].grade == Grade.COMPETENT and results[6].score == Decimal("84.80")
    assert results[18].grade == Grade.BASIC and results[18].score == Decimal("70.40")
    assert results[19].grade == Grade.INCOMPETENT
    assert plan.assessees.filter(grade=Grade.EXCELLENT).count() == 4
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED


def test_the_quota_holds_and_a_tie_at_the_boundary_goes_by_the_first_indicator(cast):
    _plan, people, by_person = _worked_plan(cast)
    tied = by_person[people[3].pk], by_person[people[4].pk]
    assert tied[0].score == tied[1].score == Decimal("92.00")
    assert tied[0].grade == Grade.EXCELLENT  # 100 on the political indicator
    assert tied[1].grade == Grade.COMPETENT and tied[1].detail["over_quota"]


def test_with_the_strict_tie_rule_nobody_of_the_tie_gets_the_top_grade(cast):
    plan, people, by_person = _worked_plan(cast, tie_rule=TieRule.NONE)
    assert plan.assessees.filter(grade=Grade.EXCELLENT).count() == 3
    assert by_person[people[3].pk].grade == by_person[people[4].pk].grade == Grade.COMPETENT


def test_a_vetoed_person_cannot_get_the_top_grade_even_by_adjustment(cast):
    _plan, people, by_person = _worked_plan(cast)
    vetoed = by_person[people[5].pk]
    assert vetoed.score == Decimal("99.40") and vetoed.rank == 1
    assert vetoed.vetoed and vetoed.veto_reasons == ["political"]
    assert vetoed.grade == Grade.COMPETENT
    with pytest.raises(ValidationError) as exc:
        services.grade_adjust(by=cast["assessor"], assessee=vetoed, grade=Grade.EXCELLENT,
                              reason="复核")
    assert "一票否决" in str(exc.value.message_dict["grade"])


def test_a_punishment_in_the_period_vetoes_the_top_grade(cast):
    unit, people = section(cast, size=5)
    people_services.subrecord_add(by=None, person=people[0], kind="rewards", data={
        "kind": "punishment", "date": dt.date(2026, 5, 6), "title": "警告处分"})
    plan = annual_plan(cast, unit, groups={RaterGroup.HEAD: 100})
    open_plan(cast, plan)
    services.scores_submit(by=cast["head"], plan=plan, group=RaterGroup.HEAD,
                           values=sheet_values(plan, {p: (100, 10) for p in people}),
                           today=WINDOW_DAY)
    close_plan(cast, plan)
    first = plan.assessees.get(person=people[0])
    assert first.score == 100 and first.veto_reasons == ["punishment"]
    assert first.grade == Grade.COMPETENT
    # 20 % of 5 people is one: the other four tie at 100 and the first indicator cannot
    # break the tie, so none of them gets 优秀.
    assert plan.assessees.filter(grade=Grade.EXCELLENT).count() == 0


def test_an_adjustment_without_a_reason_is_refused_and_one_with_a_reason_is_audited(cast):
    _plan, people, by_person = _worked_plan(cast)
    a = by_person[people[10].pk]
    with pytest.raises(ValidationError) as exc:
        services.grade_adjust(by=cast["assessor"], assessee=a, grade=Grade.BASIC, reason="  ")
    assert exc.value.message_dict["reason"] == ["调整等次必须写明理由。"]
    a.refresh_from_db()
    assert a.grade == Grade.COMPETENT and not Adjustment.objects.exists()
    services.grade_adjust(by=cast["assessor"], assessee=a, grade=Grade.BASIC,
                          reason="经复核，年度内两次迟报材料")
    a.refresh_from_db()
    assert a.grade == Grade.BASIC and a.computed_grade == Grade.COMPETENT
    entry = AuditEntry.objects.filter(action=events.RESULT_ADJUST).get()
    assert entry.after["reason"] == "经复核，年度内两次迟报材料"
    assert AnnualAssessment.objects.get(person=people[10], year=2026).result.code == "3"


def test_closing_an_annual_plan_writes_each_grade_into_the_persons_a15(cast):
    _plan, people, _by = _worked_plan(cast)
    codes = dict(AnnualAssessment.objects.filter(person__in=people).values_list(
        "person_id", "result__code"))
    assert codes[people[0].pk] == "1" and codes[people[5].pk] == "2"
    assert codes[people[19].pk] == "4"


def test_nothing_in_the_database_links_a_peer_ballot_to_its_voter(cast):
    unit, people = section(cast, size=3)
    plan = annual_plan(cast, unit, groups={RaterGroup.HEAD: 50, RaterGroup.DEMOCRATIC: 50})
    open_plan(cast, plan)
    services.ballots_submit(by=cast["cadre"], plan=plan, group=RaterGroup.DEMOCRATIC,
                            values=sheet_values(plan, {p: (80, 8) for p in people}),
                            today=WINDOW_DAY)
    # No ballot is stored: only tallies (a sum and a count), which name no voter and
    # carry no time or sequence.
    assert {f.name for f in Tally._meta.get_fields()} == {"id", "assessee", "indicator",
                                                          "group", "total", "count"}
    assert set(Tally.objects.values_list("total", "count")) == {(Decimal(80), 1),
                                                                (Decimal(8), 1)}
    voted = Voted.objects.get()
    assert {f.name for f in Voted._meta.get_fields()} == {"id", "plan", "group", "voter"}
    assert voted.voter == cast["cadre"]
    # The audit entry of the vote names the group only, not whom or how.
    entry = AuditEntry.objects.get(action=events.BALLOT_CAST)
    assert entry.after == {"group": "democratic"}
    assert not Score.objects.exists()


def test_a_voter_cannot_vote_twice_and_nothing_is_saved(cast):
    unit, people = section(cast, size=3)
    plan = annual_plan(cast, unit, groups={RaterGroup.HEAD: 50, RaterGroup.DEMOCRATIC: 50})
    open_plan(cast, plan)
    values = sheet_values(plan, {p: (80, 8) for p in people})
    services.ballots_submit(by=cast["cadre"], plan=plan, group=RaterGroup.DEMOCRATIC,
                            values=values, today=WINDOW_DAY)
    with pytest.raises(ValidationError) as exc:
        services.ballots_submit(by=cast["cadre"], plan=plan, group=RaterGroup.DEMOCRATIC,
                                values=values, today=WINDOW_DAY)
    assert "已经投过票" in exc.value.messages[0]
    assert ballots_counted() == 3 and Voted.objects.count() == 1


def test_an_outsider_code_works_once_and_only_its_hash_is_kept(cast):
    from zugong.assessment.models import OutsiderCode

    unit, people = section(cast, size=2)
    plan = annual_plan(cast, unit, groups={RaterGroup.HEAD: 80, RaterGroup.OUTSIDERS: 20})
    open_plan(cast, plan)
    codes = services.outsider_codes_issue(by=cast["assessor"], plan=plan, count=2)
    assert not OutsiderCode.objects.filter(code_hash__in=codes).exists()
    values = sheet_values(plan, {p: (70, 7) for p in people})
    services.outsider_vote(plan=plan, code=codes[0].lower(), values=values, today=WINDOW_DAY)
    with pytest.raises(ValidationError) as exc:
        services.outsider_vote(plan=plan, code=codes[0], values=values, today=WINDOW_DAY)
    assert "已经使用" in exc.value.message_dict["code"][0]
    with pytest.raises(ValidationError):
        services.outsider_vote(plan=plan, code="NOTACODE00", values=values, today=WINDOW_DAY)
    assert ballots_counted(group=RaterGroup.OUTSIDERS) == 2


def _scored_plan_queries(cast, size, code):
    from zugong.people.models import Role, Scope

    unit, people = section(cast, name=f"室{size}", code=code, size=size)
    # A special assessment: closing writes no A15 entries (those are one per person).
    plan = annual_plan(cast, unit, kind="special", subject="乡村振兴专项",
                       groups={RaterGroup.HEAD: 60, RaterGroup.DEMOCRATIC: 40})
    open_plan(cast, plan)
    voters = []
    for i, person in enumerate(people):
        user, _pw = people_services.account_create(by=None, username=f"v{code}-{i}",
                                                   person=person, password="Cast#Pass2026",
                                                   must_change=False)
        people_services.role_grant(by=None, user=user, role=Role.CADRE, scope=Scope.SELF)
        voters.append(user)
    values = sheet_values(plan, {p: (80, 8) for p in people})
    head = type(cast["head"]).objects.get(pk=cast["head"].pk)  # roles not yet cached
    with CaptureQueriesContext(connection) as head_q:
        services.scores_submit(by=head, plan=plan, group=RaterGroup.HEAD,
                               values=values, today=WINDOW_DAY)
    own = {a.person_id: a.pk for a in plan.assessees.all()}
    vote_counts = set()
    for voter in voters:
        mine = {k: v for k, v in values.items()
                if not k.startswith(f"{own[voter.person_id]}-")}
        with CaptureQueriesContext(connection) as q:
            services.ballots_submit(by=voter, plan=plan, group=RaterGroup.DEMOCRATIC,
                                    values=mine, today=WINDOW_DAY)
        vote_counts.add(len(q))
    plan.refresh_from_db()
    with CaptureQueriesContext(connection) as close_q:
        services.plan_close(by=cast["assessor"], plan=plan, version=plan.version)
    return len(head_q), vote_counts, len(close_q), plan


def test_scoring_a_plan_of_forty_by_forty_raters_takes_a_bounded_number_of_queries(cast):
    small = _scored_plan_queries(cast, 5, "433122-Z31")
    big = _scored_plan_queries(cast, 40, "433122-Z32")
    assert big[0] == small[0], "the head's sheet costs the same for 5 or 40 people"
    assert len(big[1]) == 1 and big[1] == small[1], "every ballot sheet costs the same"
    assert big[2] == small[2], "closing costs the same for 5 or 40 people"
    plan = big[3]
    assert ballots_counted(assessee__plan=plan) == 40 * 39
    assert all(a.score == Decimal("80.00") for a in plan.assessees.all())


def test_bad_input_weights_not_summing_to_100_are_refused(cast):
    unit, people = section(cast, size=2)
    plan = annual_plan(cast, unit)
    with pytest.raises(ValidationError) as exc:
        services.group_weights_set(by=cast["assessor"], plan=plan,
                                   weights={RaterGroup.HEAD: 60, RaterGroup.DEMOCRATIC: 30})
    assert exc.value.messages == ["各评价主体的权重合计为 90，不是 100。"]
    assert sorted(plan.groups.values_list("weight", flat=True)) == [40, 60]
    services.indicator_add(by=cast["assessor"], plan=plan, name="额外", weight=10)
    plan.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.plan_open(by=cast["assessor"], plan=plan, version=plan.version)
    assert "合计为 110" in exc.value.messages[0]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_bad_input_a_score_above_the_maximum_is_refused_and_nothing_saved(cast):
    unit, people = section(cast, size=2)
    plan = annual_plan(cast, unit)
    open_plan(cast, plan)
    values = sheet_values(plan, {people[0]: (101, 10), people[1]: (90, "x")})
    with pytest.raises(ValidationError) as exc:
        services.scores_submit(by=cast["head"], plan=plan, group=RaterGroup.HEAD,
                               values=values, today=WINDOW_DAY)
    messages = exc.value.message_dict
    assert "分数高于满分 100。" in str(messages) and "请输入数字。" in str(messages)
    assert not Score.objects.exists()


def test_bad_input_scoring_after_the_window_is_refused(cast):
    unit, people = section(cast, size=2)
    plan = annual_plan(cast, unit)
    open_plan(cast, plan)
    values = sheet_values(plan, {p: (90, 9) for p in people})
    with pytest.raises(ValidationError) as exc:
        services.ballots_submit(by=cast["cadre"], plan=plan, group=RaterGroup.DEMOCRATIC,
                                values=values, today=dt.date(2027, 1, 1))
    assert exc.value.messages == ["评分已于 2026-12-31 截止，不能再评分。"]
    assert not ballots_counted() and not Voted.objects.exists()


def test_a_quota_above_20_percent_needs_a_recorded_approval_and_never_exceeds_25(cast):
    unit, _people = section(cast, size=2)
    data = {"name": "x", "kind": "annual", "period": "2026", "window_start": WINDOW_DAY,
            "window_end": WINDOW_DAY, "top_quota": "25"}
    with pytest.raises(ValidationError) as exc:
        services.plan_create(by=cast["assessor"], department=cast.dept, data=data)
    assert "quota_approval" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.plan_create(by=cast["assessor"], department=cast.dept,
                             data={**data, "top_quota": "30", "quota_approval": "部务会"})
    assert "top_quota" in exc.value.message_dict
    plan = services.plan_create(by=cast["assessor"], department=cast.dept,
                                data={**data, "quota_approval": "县委组织部部务会2026年第9次会议"})
    assert plan.top_quota == 25 and services.quota_of(plan, 20) == 5


def test_annual_results_show_each_persons_regular_results_of_the_year(cast):
    unit, people = section(cast, size=2)
    for month in ("2026-03", "2026-06"):
        plan = annual_plan(cast, unit, kind="regular", period=month,
                           groups={RaterGroup.HEAD: 100})
        plan.top_quota = 50
        plan.save()
        open_plan(cast, plan)
        services.scores_submit(by=cast["head"], plan=plan, group=RaterGroup.HEAD,
                               values=sheet_values(plan, {people[0]: (95, 10),
                                                          people[1]: (80, 8)}),
                               today=WINDOW_DAY)
        close_plan(cast, plan)
    annual = annual_plan(cast, unit, groups={RaterGroup.HEAD: 100})
    open_plan(cast, annual)
    services.scores_submit(by=cast["head"], plan=annual, group=RaterGroup.HEAD,
                           values=sheet_values(annual, {p: (90, 9) for p in people}),
                           today=WINDOW_DAY)
    close_plan(cast, annual)
    first = annual.assessees.get(person=people[0])
    assert first.detail["regular"] == {"good": 2}
    assert annual.assessees.get(person=people[1]).detail["regular"] == {"fairly_good": 2}
    assert Assessee.objects.filter(plan__kind="regular", grade=Grade.GOOD).count() == 2


def test_the_registered_metrics_count_grades_and_link_to_the_history(cast, client_for):
    from zugong.core import metrics

    _plan, people, _by = _worked_plan(cast)
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    excellent = metrics.get("assessment.annual_excellent").totals(
        people=[p.pk for p in people], start=year[0], end=year[1])
    assert sum(excellent.values()) == 4 and excellent[(people[0].pk, None)] == 1
    scores = metrics.get("assessment.annual_score").totals(people=[people[0].pk],
                                                           start=year[0], end=year[1])
    assert scores[(people[0].pk, None)] == Decimal("95.76")
    url = metrics.get("assessment.annual_excellent").records_url(
        person_id=people[0].pk, start=year[0], end=year[1])
    page = client_for(cast["head"]).get(url)
    assert page.status_code == 200 and "2026年度考核" in page.content.decode()
    empty = client_for(cast["head"]).get(url.replace("2026-12-31", "2025-12-31"))
    assert 'id="history-table"' not in empty.content.decode()  # nothing ended in 2025


def test_an_anonymous_groups_mean_is_shown_only_from_three_ballots(cast):
    unit, people = section(cast, size=2)
    voters = [cast["cadre"], cast["cadre2"], cast["chief"]]
    plan = annual_plan(cast, unit, groups={RaterGroup.HEAD: 50, RaterGroup.DEMOCRATIC: 50})
    open_plan(cast, plan)
    services.ballots_submit(by=voters[0], plan=plan, group=RaterGroup.DEMOCRATIC,
                            values=sheet_values(plan, {p: (80, 8) for p in people}),
                            today=WINDOW_DAY)
    # The head has not scored: the person is incomplete unless the office decides, here
    # to re-weight the groups present (before issue 15 this happened silently).
    decide = {a.pk: "reweight" for a in plan.assessees.all()}
    [first, *_rest] = services.compute(plan, decisions=decide)
    shown = first.detail["indicators"][0]["groups"]
    # One ballot: its mean would be the voter's own scores, so it is not shown ...
    assert shown[RaterGroup.DEMOCRATIC] == ""
    # ... but it still counts in the score.
    assert first.score > 0
    for voter in voters[1:]:
        services.ballots_submit(by=voter, plan=plan, group=RaterGroup.DEMOCRATIC,
                                values=sheet_values(plan, {p: (70, 7) for p in people}),
                                today=WINDOW_DAY)
    [first, *_rest] = services.compute(plan, decisions=decide)
    assert first.detail["indicators"][0]["groups"][RaterGroup.DEMOCRATIC] == "73.33"
