"""Issue 15: rules a department would dispute — closing a plan nobody scored, silent
re-weighting of a missing rater group, the 优秀 quota per plan, ties by the first indicator,
vetoes without their source. Every figure is worked out by hand in the comments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zugong.assessment import events, services
from zugong.assessment.models import (
    Assessee,
    GapDecision,
    Grade,
    GroupGap,
    PlanStatus,
    RaterGroup,
    Template,
)
from zugong.core import registry
from zugong.core.models import AuditEntry, Notice
from zugong.people import services as people_services
from zugong.people.models import AnnualAssessment

from .helpers import WINDOW_DAY, annual_plan, close_plan, open_plan, section, sheet_values


def _head_scores(cast, plan, rows):
    services.scores_submit(by=cast["head"], plan=plan, group=RaterGroup.HEAD,
                           values=sheet_values(plan, rows), today=WINDOW_DAY)


# ---------------------------------------------------------------- 1. closing


def test_a_plan_nobody_scored_cannot_be_closed(cast, django_capture_on_commit_callbacks):
    # The case of the issue: 0 of 28 scored, the window open until 12-13.
    unit, _people = section(cast, size=28)
    plan = annual_plan(cast, unit, window_end=dt.date(2026, 12, 13))
    open_plan(cast, plan)
    plan.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True), \
            pytest.raises(ValidationError) as exc:
        services.plan_close(by=cast["assessor"], plan=plan, version=plan.version)
    # 28 people × 2 groups (head, democratic evaluation) = 56 missing ratings.
    assert "56" in str(exc.value) and "缺少" in str(exc.value)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SCORING
    assert not plan.assessees.filter(grade__gt="").exists()
    assert not plan.assessees.filter(rank__isnull=False).exists()
    assert not Notice.objects.filter(kind=events.NOTICE_RESULT_OUT).exists()


def test_closing_asks_for_confirmation_and_shows_the_progress(cast, client_for):
    plan = annual_plan(cast, cast.sec_org, groups={RaterGroup.SELF: 10, RaterGroup.CHIEF: 90},
                       window_end=dt.date(2026, 12, 13))
    open_plan(cast, plan)
    services.scores_submit(by=cast["cadre"], plan=plan, group=RaterGroup.SELF,
                           values=sheet_values(plan, {cast.people["cadre"]: (90, 9)}),
                           today=WINDOW_DAY)
    client = client_for(cast["assessor"])
    url = reverse("assessment:plan_close", args=[plan.pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and 'id="close-confirm"' in html
    assert "2026-12-13" in html  # the end of the window
    # Scored / owed per rater group: 1 of the 2 people rated themselves, the section chief
    # has rated nobody yet.
    assert 'data-group="self"' in html and "1 / 2" in html and "0 / 2" in html
    # A POST without the confirmation does not close.
    assert client.post(url, {"version": plan.version}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SCORING
    # Confirmed, but gaps without reasons: refused, in Chinese.
    refused = client.post(url, {"version": plan.version, "confirm": "1"})
    assert refused.status_code == 422 and "缺少" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SCORING


def test_a_missing_group_is_never_re_weighted_silently(cast, django_capture_on_commit_callbacks):
    # Self 10 %, section chief 90 %. Both people rate themselves 100 of 100 and 10 of 10;
    # the section chief rates the cadre 80 and 8, and nobody rates the chief as a chief.
    plan = annual_plan(cast, cast.sec_org, groups={RaterGroup.SELF: 10, RaterGroup.CHIEF: 90})
    open_plan(cast, plan)
    chief, cadre = cast.people["chief"], cast.people["cadre"]
    for who in ("chief", "cadre"):
        services.scores_submit(by=cast[who], plan=plan, group=RaterGroup.SELF,
                               values=sheet_values(plan, {cast.people[who]: (100, 10)}),
                               today=WINDOW_DAY)
    services.scores_submit(by=cast["chief"], plan=plan, group=RaterGroup.CHIEF,
                           values=sheet_values(plan, {cadre: (80, 8)}), today=WINDOW_DAY)
    # Before issue 15 the chief's self-score alone made 100 分 · 优秀 material.
    by_person = {a.person_id: a for a in services.compute(plan)}
    assert by_person[chief.pk].score is None and by_person[chief.pk].incomplete
    a_chief = plan.assessees.get(person=chief)
    plan.refresh_from_db()
    with pytest.raises(ValidationError):
        services.plan_close(by=cast["assessor"], plan=plan, version=plan.version)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_close(by=cast["assessor"], plan=plan, version=plan.version,
                            gap_reasons={services.gap_key(a_chief.pk, RaterGroup.CHIEF):
                                         "本人即科室负责人，无人以该身份评分"})
    a_cadre = plan.assessees.get(person=cadre)
    a_chief.refresh_from_db()
    # Cadre: each indicator (10 × 1.0 + 90 × 0.8) / 100 = 0.82 → 0.82 × 100 = 82.00.
    assert a_cadre.score == Decimal("82.00") and a_cadre.grade == Grade.COMPETENT
    assert a_cadre.rank == 1
    # Chief: incomplete — no score, rank, grade, A15 entry or notice.
    assert a_chief.incomplete and a_chief.score is None and a_chief.rank is None
    assert a_chief.grade == "" and a_chief.detail["missing_groups"] == [RaterGroup.CHIEF]
    assert not AnnualAssessment.objects.filter(person=chief).exists()
    assert not Notice.objects.filter(kind=events.NOTICE_RESULT_OUT,
                                     recipient=cast["chief"]).exists()
    assert GroupGap.objects.get(assessee=a_chief).reason.startswith("本人即科室负责人")
    # The office decides: the missing group counts as 0 → (10 × 1.0 + 0) / 100 = 0.10 of
    # every indicator → 10.00, 不称职, ranked 2nd; audited, written into A15, notified.
    with django_capture_on_commit_callbacks(execute=True):
        services.gap_decide(by=cast["assessor"], assessee=a_chief,
                            decision=GapDecision.ZERO, reason="未评分按零分计")
    a_chief.refresh_from_db()
    assert a_chief.score == Decimal("10.00") and a_chief.grade == Grade.INCOMPETENT
    assert a_chief.rank == 2 and not a_chief.incomplete
    assert AnnualAssessment.objects.get(person=chief).result.code == "4"
    assert AuditEntry.objects.filter(action=events.RESULT_GAP_DECIDE).exists()
    assert Notice.objects.filter(kind=events.NOTICE_RESULT_OUT,
                                 recipient=cast["chief"]).exists()
    with pytest.raises(ValidationError):  # decided once
        services.gap_decide(by=cast["assessor"], assessee=a_chief,
                            decision=GapDecision.REWEIGHT, reason="再议")


def test_re_weighting_needs_a_group_that_rated(cast):
    # Only the section chief rates (100 %): nobody rated the chief himself.
    plan = annual_plan(cast, cast.sec_org, groups={RaterGroup.CHIEF: 100})
    open_plan(cast, plan)
    services.scores_submit(by=cast["chief"], plan=plan, group=RaterGroup.CHIEF,
                           values=sheet_values(plan, {cast.people["cadre"]: (90, 9)}),
                           today=WINDOW_DAY)
    a = plan.assessees.get(person=cast.people["chief"])
    plan.refresh_from_db()
    services.plan_close(by=cast["assessor"], plan=plan, version=plan.version,
                        gap_reasons={services.gap_key(a.pk, RaterGroup.CHIEF): "无人评分"})
    a.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.gap_decide(by=cast["assessor"], assessee=a, decision=GapDecision.REWEIGHT,
                            reason="按已评")
    assert "decision" in exc.value.message_dict
    services.gap_decide(by=cast["assessor"], assessee=a, decision=GapDecision.UNGRADED,
                        reason="无人评分，不确定等次")
    a.refresh_from_db()
    assert a.grade == "" and a.score is None and not a.incomplete


# ---------------------------------------------------------------- 2. quota


def _scored_plan(cast, unit, people, top, **extra):
    """Head only; the first ``top`` people 95 (95 and 9.5), the others 80 (80 and 8)."""
    plan = annual_plan(cast, unit, groups={RaterGroup.HEAD: 100}, **extra)
    open_plan(cast, plan)
    _head_scores(cast, plan, {p: (95, 9.5) if i < top else (80, 8)
                              for i, p in enumerate(people)})
    return plan


def test_the_top_grade_quota_is_shared_by_the_departments_annual_plans(cast, client_for):
    small_unit, small = section(cast, name="小科室", code="433122-Z11", size=4)
    big_unit, big = section(cast, name="大科室", code="433122-Z12", size=16)
    small_plan = _scored_plan(cast, small_unit, small, top=1, name="小科室年度考核")
    big_plan = _scored_plan(cast, big_unit, big, top=3, name="大科室年度考核")
    # 4 + 16 = 20 people take part in the 2026 annual assessment: 20 × 20 % = 4 places.
    assert services.quota_status(small_plan) == {
        "total": 4, "used": 0, "left": 4, "people": 20, "plans": 2, "pooled": True}
    close_plan(cast, big_plan)
    assert big_plan.assessees.filter(grade=Grade.EXCELLENT).count() == 3
    close_plan(cast, small_plan)
    # Per plan, ⌊4 × 20 %⌋ = 0: before issue 15 a section of four never had an 优秀.
    assert small_plan.assessees.get(person=small[0]).grade == Grade.EXCELLENT
    status = services.quota_status(small_plan)
    assert (status["used"], status["left"]) == (4, 0)
    html = client_for(cast["head"]).get(
        reverse("assessment:plan", args=[small_plan.pk])).content.decode()
    assert 'id="quota-status"' in html and "合并计算" in html


def test_the_quota_pool_is_used_up_in_the_order_plans_close(cast):
    small_unit, small = section(cast, name="小科室", code="433122-Z11", size=4)
    big_unit, big = section(cast, name="大科室", code="433122-Z12", size=16)
    small_plan = _scored_plan(cast, small_unit, small, top=1, name="小科室年度考核")
    big_plan = _scored_plan(cast, big_unit, big, top=5, name="大科室年度考核")
    close_plan(cast, small_plan)  # takes 1 of the 4 places
    close_plan(cast, big_plan)  # 5 at 95 for the 3 places left: a tie nobody can break
    assert big_plan.assessees.filter(grade=Grade.EXCELLENT).count() == 0
    assert services.quota_status(big_plan)["left"] == 3
    # An adjustment may use a place left.
    a = big_plan.assessees.get(person=big[0])
    services.grade_adjust(by=cast["assessor"], assessee=a, grade=Grade.EXCELLENT,
                          reason="经党组研究")
    assert services.quota_status(big_plan)["left"] == 2


@pytest.mark.parametrize(("rounding", "excellent"), [("down", 0), ("half_up", 1), ("up", 1)])
def test_the_rounding_of_the_quota_is_a_setting_of_the_plan(cast, rounding, excellent):
    # One plan of 4 people: 4 × 20 % = 0.8 places → down 0, half up 1, up 1.
    unit, people = section(cast, size=4)
    plan = _scored_plan(cast, unit, people, top=1, quota_rounding=rounding)
    close_plan(cast, plan)
    assert plan.assessees.filter(grade=Grade.EXCELLENT).count() == excellent


def test_a_bad_rounding_is_refused_in_chinese(cast):
    unit, _people = section(cast, size=2)
    with pytest.raises(ValidationError) as exc:
        annual_plan(cast, unit, quota_rounding="sideways")
    assert exc.value.message_dict["quota_rounding"] == ["请选择名额的取整方式。"]


# ---------------------------------------------------------------- 3. ties


def test_a_tie_goes_by_the_indicator_marked_political_not_the_first(cast):
    # Work first (50 %, max 100), the political standard second (50 %, max 100).
    # X: 100 and 82 → 91; Y: 82 and 100 → 91; three others 80 and 80 → 80.
    # 5 × 20 % = 1 place: before issue 15 the first indicator (work) chose X.
    unit, people = section(cast, size=5)
    plan = annual_plan(cast, unit, groups={RaterGroup.HEAD: 100},
                       indicators=(("工作成效", 50, 100), ("政治素质", 50, 100, True)))
    open_plan(cast, plan)
    x, y, *rest = people
    _head_scores(cast, plan, {x: (100, 82), y: (82, 100), **{p: (80, 80) for p in rest}})
    close_plan(cast, plan)
    ax, ay = plan.assessees.get(person=x), plan.assessees.get(person=y)
    assert ax.score == ay.score == Decimal("91.00")
    assert ay.grade == Grade.EXCELLENT
    assert ax.grade == Grade.COMPETENT and ax.detail["over_quota"]


def test_a_plan_has_one_political_indicator_and_the_preset_marks_it(cast):
    unit, _people = section(cast, size=2)
    plan = annual_plan(cast, unit)  # 政治素质 marked
    with pytest.raises(ValidationError) as exc:
        services.indicator_add(by=cast["assessor"], plan=plan, name="党性", weight=10,
                               political=True)
    assert "political" in exc.value.message_dict
    preset = Template.objects.get(department__isnull=True, name="五看五比")
    assert [i.name for i in preset.indicators.filter(political=True)] == ["看党性 · 比政治素质"]
    made = services.plan_create(by=cast["assessor"], department=cast.dept, template=preset,
                                data={"name": "五看五比考核", "kind": "annual", "period": "2026",
                                      "window_start": dt.date(2026, 12, 1),
                                      "window_end": dt.date(2026, 12, 31)}, units=[unit])
    assert [i.name for i in made.indicators.filter(political=True)] == ["看党性 · 比政治素质"]


# ---------------------------------------------------------------- 4. veto


def test_vetoes_come_from_the_records_with_their_source(cast, monkeypatch):
    unit, people = section(cast, size=4)
    punished, failed, admonished, clean = people
    people_services.subrecord_add(by=None, person=punished, kind="rewards", data={
        "kind": "punishment", "date": dt.date(2026, 5, 6), "title": "警告处分"})
    people_services.subrecord_add(by=None, person=clean, kind="rewards", data={
        "kind": "punishment", "date": dt.date(2025, 11, 2), "title": "警告处分"})  # last year
    calls = []

    def supervision(*, person_ids, start, end):
        calls.append((start, end))
        return {admonished.pk: ["2026-08-01 诫勉谈话"]}

    real_hook = registry.hook
    monkeypatch.setattr(registry, "hook", lambda name: supervision
                        if name == "supervision.admonishments" else real_hook(name))
    plan = annual_plan(cast, unit, groups={RaterGroup.HEAD: 100}, political_pass=95,
                       quota_rounding="up")
    open_plan(cast, plan)
    # Everyone 96 and 10 → 97.60, except ``failed``: 92 on the political standard (below
    # the plan's pass line of 95) and 10 → 0.92 × 60 + 40 = 95.20.
    _head_scores(cast, plan, {p: (92 if p == failed else 96, 10) for p in people})
    close_plan(cast, plan)
    assert calls == [(dt.date(2026, 1, 1), dt.date(2026, 12, 31))]
    by = {a.person_id: a for a in plan.assessees.all()}
    assert by[punished.pk].detail["veto_sources"] == [
        {"reason": "punishment", "source": "A14", "text": "2026-05-06 警告处分"}]
    assert by[admonished.pk].detail["veto_sources"] == [
        {"reason": "admonished", "source": "supervision", "text": "2026-08-01 诫勉谈话"}]
    assert by[failed.pk].score == Decimal("95.20") and by[failed.pk].veto_reasons == [
        "political"]
    assert by[failed.pk].detail["veto_sources"][0]["source"] == "score"
    for p in (punished, failed, admonished):
        assert by[p.pk].vetoed and by[p.pk].grade == Grade.COMPETENT
    # 4 × 20 % = 0.8, rounded up: 1 place, for the one without a veto.
    assert not by[clean.pk].vetoed and by[clean.pk].grade == Grade.EXCELLENT


def test_a_manual_veto_keeps_its_reason_and_shows_its_source(cast):
    unit, people = section(cast, size=2)
    plan = annual_plan(cast, unit, groups={RaterGroup.HEAD: 100})
    open_plan(cast, plan)
    a = plan.assessees.get(person=people[0])
    with pytest.raises(ValidationError) as exc:
        services.veto_set(by=cast["assessor"], assessee=a, political_failed=False,
                          admonished=True, note=" ")
    assert "veto_note" in exc.value.message_dict
    services.veto_set(by=cast["assessor"], assessee=a, political_failed=False,
                      admonished=True, note="2026-04 诫勉（纪委函）")
    _head_scores(cast, plan, {p: (90, 9) for p in people})
    close_plan(cast, plan)
    a = Assessee.objects.get(pk=a.pk)
    assert a.veto_sources == [
        {"reason": "admonished", "source": "manual", "text": "2026-04 诫勉（纪委函）"}]


def test_the_office_decides_on_the_result_page(cast, client_for):
    plan = annual_plan(cast, cast.sec_org, groups={RaterGroup.CHIEF: 100})
    open_plan(cast, plan)
    services.scores_submit(by=cast["chief"], plan=plan, group=RaterGroup.CHIEF,
                           values=sheet_values(plan, {cast.people["cadre"]: (90, 9)}),
                           today=WINDOW_DAY)
    a = plan.assessees.get(person=cast.people["chief"])
    plan.refresh_from_db()
    services.plan_close(by=cast["assessor"], plan=plan, version=plan.version,
                        gap_reasons={services.gap_key(a.pk, RaterGroup.CHIEF): "无人评分"})
    office = client_for(cast["assessor"])
    url = reverse("assessment:result", args=[a.pk])
    html = office.get(url).content.decode()
    assert 'id="result-incomplete"' in html and 'id="gap-form"' in html and "无人评分" in html
    api = office.get(reverse("api:get_results", args=[plan.pk])).json()["items"]
    assert {r["person"]: r["incomplete"] for r in api} == {"张建国": True, "李小红": False}
    bad = office.post(reverse("assessment:gap_decide", args=[a.pk]),
                      {"decision": "reweight", "reason": "按已评"})
    assert bad.status_code == 422 and "无法重新折算权重" in bad.content.decode()
    done = office.post(reverse("assessment:gap_decide", args=[a.pk]),
                       {"decision": "ungraded", "reason": "无人评分，不确定等次"})
    assert done.status_code == 302
    a.refresh_from_db()
    assert not a.incomplete and a.gap_decision == GapDecision.UNGRADED
    assert 'id="result-ungraded"' in office.get(url).content.decode()
