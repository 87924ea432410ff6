"""Rule audiences use the past (issue 15, point 11): a rule applies by the person's unit,
category and roles as they were on each day, read from the people app's post history."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import make_person
from zugong.core.periods import Period
from zugong.learning import services, summaries
from zugong.learning.compliance import Status, evaluate, evaluate_many, people_under
from zugong.people import services as people_services
from zugong.people.models import Person

pytestmark = pytest.mark.django_db
D = dt.date
MARCH, SEPTEMBER, YEAR = (Period.parse("2024-03"), Period.parse("2024-09"),
                          Period.parse("2024"))


@pytest.fixture
def regime(cast):
    # Section rules (a regime may name sections): 干部室 asks 3 information items a month,
    # 组织室 5.
    regime = services.regime_create(by=cast["head"], department=cast.dept, name="",
                                    preset="luxi", valid_from=D(2024, 1, 1))
    a = services.rule_add(by=cast["head"], regime=regime, metric="learning.info_items",
                          threshold=3, period="month", valid_from=D(2024, 1, 1),
                          sections=[cast.sec_cadre])
    b = services.rule_add(by=cast["head"], regime=regime, metric="learning.info_items",
                          threshold=5, period="month", valid_from=D(2024, 1, 1),
                          sections=[cast.sec_org])
    return regime, a.series, b.series


YEAR_END = D(2024, 12, 31)


def judge(regime, windows, today=YEAR_END):
    summaries.rebuild()  # records written with the ORM, around the services
    people = people_under(regime, Person.objects.all())
    return evaluate(regime=regime, people=people, windows=windows, today=today)


def test_a_move_in_july_is_judged_under_a_in_march_and_under_b_in_september(cast, regime):
    regime, in_a, in_b = regime
    cadre2 = cast.people["cadre2"]  # in 干部室 (A); moves to 组织室 (B) on 1 July 2024
    people_services.person_update(by=cast["head"], person=cadre2, data={"unit": cast.sec_org},
                                  on=D(2024, 7, 1))
    result = judge(regime, [MARCH, SEPTEMBER, YEAR])
    march_a = result.cell(cadre2.pk, in_a, MARCH)
    assert (march_a.target, march_a.status) == (3, Status.MISSED)
    assert result.cell(cadre2.pk, in_b, MARCH).status == Status.NOT_APPLICABLE
    assert result.cell(cadre2.pk, in_a, SEPTEMBER).status == Status.NOT_APPLICABLE
    september_b = result.cell(cadre2.pk, in_b, SEPTEMBER)
    assert (september_b.target, september_b.status) == (5, Status.MISSED)
    # Over the year: six months under A (6 × 3 = 18) and six under B (6 × 5 = 30).
    assert result.cell(cadre2.pk, in_a, YEAR).target == Decimal(18)
    assert result.cell(cadre2.pk, in_b, YEAR).target == Decimal(30)
    # Someone who never moved is judged by their unit all year.
    cadre = cast.people["cadre"]
    assert result.cell(cadre.pk, in_b, YEAR).target == Decimal(60)
    assert result.cell(cadre.pk, in_a, YEAR) is None


def test_a_category_change_in_july_puts_the_person_under_the_cadre_rules_from_then(cast):
    # The 泸溪 regime's rules are for organization cadres; 田志强 was a managed cadre until
    # 1 July 2024 (1 book a month: 0 in March, 1 in September, 6 over the year).
    regime = services.regime_create(by=cast["head"], department=cast.dept, name="",
                                    preset="luxi", valid_from=D(2024, 1, 1))
    managed = cast.people["managed"]
    people_services.person_update(by=cast["head"], person=managed,
                                  data={"category": "org_cadre"}, on=D(2024, 7, 1))
    books = 2  # series 2 of the 泸溪 preset: one book a month
    result = judge(regime, [MARCH, SEPTEMBER, YEAR])
    assert result.cell(managed.pk, books, MARCH).status == Status.NOT_APPLICABLE
    assert result.cell(managed.pk, books, SEPTEMBER).target == 1
    assert result.cell(managed.pk, books, YEAR).target == 6


def test_judging_only_the_audience_changes_no_cell_and_leaves_out_whom_no_rule_holds(cast):
    # The 泸溪 rules hold organization cadres. The compliance page and the early warning
    # judge only the people a rule may hold (issue 23): one who became an organization
    # cadre in July, one who stopped being one in July (held before, by post history), and
    # not a managed cadre who never was one.
    regime = services.regime_create(by=cast["head"], department=cast.dept, name="",
                                    preset="luxi", valid_from=D(2024, 1, 1))
    joined, left = cast.people["managed"], cast.people["cadre2"]
    for person, category in ((joined, "org_cadre"), (left, "managed")):
        people_services.person_update(by=cast["head"], person=person,
                                      data={"category": category}, on=D(2024, 7, 1))
    never = make_person(cast.sec_cadre, "从未受制度约束", category="managed")
    summaries.rebuild()
    people = people_under(regime, Person.objects.all())

    def judged(audience_only):
        return evaluate_many(regimes=[regime], people=people, windows=[MARCH, SEPTEMBER, YEAR],
                             today=YEAR_END, audience_only=audience_only)[regime.pk]

    everyone, audience = judged(False), judged(True)
    assert audience.cells and {k: (c.target, c.actual, c.status)
                               for k, c in audience.cells.items()} == {
        k: (c.target, c.actual, c.status) for k, c in everyone.cells.items()}
    subjects = {s.pk for s in audience.subjects}
    assert {joined.pk, left.pk, cast.people["cadre"].pk} <= subjects
    assert never.pk not in subjects and never.pk in {s.pk for s in everyone.subjects}
    assert len(subjects) < len(everyone.subjects)
    assert audience.cell(left.pk, 2, MARCH).target == 1  # held in March, by history
