"""Indicators: templates, individual indicators, automatic indicators bound to metrics with
formulas kept as data (and refused when they are not in the formula language)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zugong.assessment import formula, services
from zugong.assessment.models import Indicator, RaterGroup, Template
from zugong.core.periods import Period
from zugong.learning import services as learning_services
from zugong.learning import summaries as learning_summaries
from zugong.learning.compliance import Status, evaluate
from zugong.learning.models import ReviewStatus, StudySession, Writing, WritingKind
from zugong.people.models import Person

from .helpers import (
    WINDOW_DAY,
    annual_plan,
    close_deciding,
    close_plan,
    open_plan,
    section,
    sheet_values,
)


@pytest.mark.parametrize("text,value,target,expected", [
    ("value", 7, None, Decimal("7.00")),
    ("min(value / target * 100, 100)", 15, 20, Decimal("75.00")),
    ("min(value / target * max_score, max_score)", 40, 20, Decimal("100.00")),
    ("max(0, 100 - (target - value) * 5)", 12, 20, Decimal("60.00")),
    ("value / target * 100", 5, 0, Decimal("0.00")),  # division by zero gives 0
    ("-value", 3, None, Decimal("0.00")),  # clamped to [0, max]
])
def test_a_formula_turns_a_metric_value_into_points(text, value, target, expected):
    assert formula.points(text, value=value, target=target, max_score=100) == expected


@pytest.mark.parametrize("text", [
    "__import__('os').system('id')", "value.__class__", "open('x')", "value ** 2",
    "[1, 2]", "value if target else 1", "'text'", "lambda: 1", "min()", "days", "value >",
    "True + value",
])
def test_anything_outside_the_formula_language_is_refused(text):
    with pytest.raises(formula.FormulaError):
        formula.validate(text, target=10, max_score=100)


def test_a_plan_from_the_wukan_wubi_template_gets_its_five_indicators(cast):
    template = Template.objects.get(name="五看五比", department__isnull=True)
    unit, people = section(cast, size=2)
    plan = services.plan_create(by=cast["assessor"], department=cast.dept, template=template,
                                units=[unit], data={
                                    "name": "2026年第一季度平时考核", "kind": "regular",
                                    "period": "2026-Q1", "window_start": dt.date(2026, 4, 1),
                                    "window_end": dt.date(2026, 4, 10)})
    names = list(plan.indicators.values_list("name", flat=True))
    assert names == ["看党性 · 比政治素质", "看能力 · 比业务精疏", "看态度 · 比奉献精神",
                     "看作风 · 比服务质量", "看实绩 · 比工作成效"]
    assert services.weight_problems(plan) == []
    assert plan.assessees.count() == 2
    assert plan.top_quota == 40  # the regular 好 quota setting


def test_an_individual_indicator_counts_for_its_person_only(cast):
    unit, people = section(cast, size=2)
    plan = annual_plan(cast, unit, groups={RaterGroup.HEAD: 100},
                       indicators=(("共性", 80, 100),))
    services.indicator_add(by=cast["assessor"], plan=plan, name="牵头乡村振兴调研",
                           weight=20, max_score=10, person=people[0])
    services.indicator_add(by=cast["assessor"], plan=plan, name="信息报送", weight=20,
                           max_score=10, person=people[1])
    open_plan(cast, plan)
    own = Indicator.objects.filter(person__isnull=False)
    a0, a1 = (plan.assessees.get(person=p) for p in people)
    common = plan.indicators.get(person__isnull=True)
    values = {f"{a0.pk}-{common.pk}": "90", f"{a1.pk}-{common.pk}": "90",
              f"{a0.pk}-{own.get(person=people[0]).pk}": "10",
              f"{a1.pk}-{own.get(person=people[1]).pk}": "5"}
    services.scores_submit(by=cast["head"], plan=plan, group=RaterGroup.HEAD, values=values,
                           today=WINDOW_DAY)
    close_plan(cast, plan)
    a0.refresh_from_db()
    a1.refresh_from_db()
    assert a0.score == Decimal("92.00")  # 0.9 × 80 + 1.0 × 20
    assert a1.score == Decimal("82.00")  # 0.9 × 80 + 0.5 × 20


def test_an_indicator_with_a_bad_formula_or_unknown_metric_is_refused_and_not_saved(cast):
    unit, _people = section(cast, size=1)
    plan = annual_plan(cast, unit, indicators=())
    with pytest.raises(ValidationError) as exc:
        services.indicator_add(by=cast["assessor"], plan=plan, name="学习", weight=10,
                               metric="learning.study_hours", formula_text="value ** 2")
    assert "formula" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.indicator_add(by=cast["assessor"], plan=plan, name="学习", weight=0,
                               metric="no.such_metric")
    assert set(exc.value.message_dict) == {"metric", "weight"}
    assert not plan.indicators.exists()


def test_an_automatic_indicator_reproduces_the_learning_compliance_figures(cast):
    cadre = cast.people["cadre"]
    regime = learning_services.regime_create(by=cast["head"], department=cast.dept, name="",
                                             preset="luxi", valid_from=dt.date(2026, 1, 1))
    # 16 days of 1 hour: 16 hours against the 22 asked (March 2026 has 22 working days).
    for day in range(1, 32, 2):
        StudySession.objects.create(person=cadre, on=dt.date(2026, 3, day), hours=Decimal("1.0"),
                                    topic="自学", status=ReviewStatus.CONFIRMED)
    Writing.objects.create(person=cadre, on=dt.date(2026, 3, 20), kind=WritingKind.INFO,
                           title="信息", status=ReviewStatus.CONFIRMED)
    # Written with the ORM, around the learning services that keep its monthly summaries.
    learning_summaries.rebuild()
    plan = annual_plan(cast, cast.sec_org, kind="regular", period="2026-03",
                       groups={RaterGroup.CHIEF: 100}, indicators=(("工作", 80, 100),))
    services.indicator_add(by=cast["assessor"], plan=plan, name="学习时长", weight=10,
                           max_score=100, metric="learning.study_hours",
                           formula_text="min(value / target * max_score, max_score)", target=31)
    services.indicator_add(by=cast["assessor"], plan=plan, name="学习制度执行", weight=10,
                           max_score=100, metric="assessment.learning_compliance",
                           formula_text="value")
    month = Period.parse("2026-03")
    result = evaluate(regime=regime, people=Person.objects.filter(pk=cadre.pk),
                      windows=[month], today=timezone.localdate())
    cells = result.person_cells(cadre.pk, month)
    held = [c for c in cells if c.status not in (Status.EXEMPT, Status.NOT_APPLICABLE)]
    share = Decimal(sum(1 for c in held if c.status == Status.MET) * 100) / len(held)
    hours = next(c for c in cells if c.metric == "learning.study_hours")
    assert hours.actual == Decimal("16.0") and hours.status == Status.MISSED

    inds = list(plan.indicators.filter(metric__gt="").order_by("position"))
    auto = services.automatic_values(plan, inds, [cadre.pk])
    assert auto[(inds[0].pk, cadre.pk)]["value"] == hours.actual
    assert auto[(inds[0].pk, cadre.pk)]["points"] == Decimal("51.61")  # 16 / 31 × 100
    assert auto[(inds[1].pk, cadre.pk)]["value"] == share.quantize(Decimal("0.1"))
    # The figure links to the records behind it.
    assert auto[(inds[0].pk, cadre.pk)]["url"].startswith("/learning/records/?")
    assert f"person={cadre.pk}" in auto[(inds[0].pk, cadre.pk)]["url"]

    open_plan(cast, plan)
    # The chief sees the automatic figures, with their records, beside the indicators.
    from django.test import Client

    sheet_client = Client()
    sheet_client.force_login(cast["chief"])
    sheet = sheet_client.get(f"/assessment/plans/{plan.pk}/score/chief/").content.decode()
    assert "学习时长" in sheet and "16 → 51.61" in sheet and "/learning/records/?" in sheet
    # The chief rates the cadre (not himself): 100 of 100 on the manual indicator.
    services.scores_submit(by=cast["chief"], plan=plan, group=RaterGroup.CHIEF,
                           values=sheet_values(plan, {cadre: (100,)}), today=WINDOW_DAY)
    close_deciding(cast, plan)  # nobody rates the chief himself: a recorded gap
    a = plan.assessees.get(person=cadre)
    expected = Decimal(80) + Decimal("51.61") / 10 + share.quantize(Decimal("0.1")) / 10
    assert a.score == expected.quantize(Decimal("0.01"))
    rows = a.detail["indicators"]
    assert rows[1]["auto"] and rows[1]["value"] == "16.0" and rows[1]["url"]
