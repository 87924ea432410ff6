"""Rule audiences use the past (issue 15, point 11): a rule applies by the person's unit,
category and roles as they were on each day, read from the people app's post history."""

import datetime as dt
from decimal import Decimal

import pytest

from zugong.core.periods import Period
from zugong.learning import services, summaries
from zugong.learning.compliance import Status, evaluate, people_under
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
