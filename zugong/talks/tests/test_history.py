"""Talk duties use the past (issue 15, point 11): who owes a talk to whom follows the
person's unit and category as they were on each day, read from the people app's post
history, whichever service moved them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F

from conftest import make_person
from zugong.people import services as people_services
from zugong.people.history import as_of, stints
from zugong.people.models import Person, PostHistory
from zugong.talks import coverage, services
from zugong.talks.models import Relation

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def monthly(cast):
    # A chief talks with each cadre of the section once a month.
    return services.rule_add(by=cast["head"], department=cast.dept,
                             relation=Relation.CHIEF_SECTION, threshold=1, period="month")


def pairs(cast, today):
    return {(r.leader.name, r.member.name): r for r in coverage.evaluate(cast.dept, today=today)
            if r.rule.relation == Relation.CHIEF_SECTION}


def test_a_move_in_july_is_judged_under_a_in_march_and_under_b_in_september(cast, monthly):
    p = cast.people
    chief_a = make_person(cast.sec_cadre, "彭干部室", post="干部室主任")
    # The registry's own edit (not the talks page) moves 王磊 from 干部室 (A) to 组织室 (B).
    people_services.person_update(by=cast["head"], person=p["cadre2"],
                                  data={"unit": cast.sec_org}, on=D(2026, 7, 1))
    march = pairs(cast, D(2026, 3, 20))
    assert (chief_a.name, p["cadre2"].name) in march
    assert (p["chief"].name, p["cadre2"].name) not in march
    assert march[(chief_a.name, p["cadre2"].name)].required == 1
    september = pairs(cast, D(2026, 9, 20))
    assert (chief_a.name, p["cadre2"].name) not in september
    owed = september[(p["chief"].name, p["cadre2"].name)]
    assert (owed.start, owed.end, owed.required) == (D(2026, 9, 1), D(2026, 9, 30), 1)
    # A July judged in June does not know the move yet.
    assert (chief_a.name, p["cadre2"].name) in pairs(cast, D(2026, 6, 30))


def test_a_managed_cadre_who_became_an_organization_cadre_owes_talks_from_then(cast, monthly):
    p = cast.people
    newcomer = make_person(cast.sec_org, "向新", category="managed", post="科员")
    people_services.person_update(by=cast["head"], person=newcomer,
                                  data={"category": "org_cadre"}, on=D(2026, 7, 1))
    assert (p["chief"].name, newcomer.name) not in pairs(cast, D(2026, 3, 20))
    assert (p["chief"].name, newcomer.name) in pairs(cast, D(2026, 9, 20))
    # And the other way: an organization cadre who left that category in July.
    people_services.person_update(by=cast["head"], person=p["cadre"],
                                  data={"category": "managed"}, on=D(2026, 7, 1))
    assert (p["chief"].name, p["cadre"].name) in pairs(cast, D(2026, 3, 20))
    assert (p["chief"].name, p["cadre"].name) not in pairs(cast, D(2026, 9, 20))


def test_the_history_rows_and_the_lookups(cast):
    p = cast.people
    services.unit_change_record(by=cast["head"], person=p["cadre2"], to_unit=cast.sec_org,
                                on=D(2026, 7, 3))
    rows = list(PostHistory.objects.filter(person=p["cadre2"]).order_by(
        F("valid_from").asc(nulls_first=True)))
    assert [(r.valid_from, r.valid_to, r.unit_id, r.moved_from_id) for r in rows] == [
        (None, D(2026, 7, 2), cast.sec_cadre.pk, None),
        (D(2026, 7, 3), None, cast.sec_org.pk, cast.sec_cadre.pk)]
    assert rows[1].roles == ["cadre"]
    before, after = as_of([p["cadre2"].pk], D(2026, 7, 2)), as_of([p["cadre2"].pk],
                                                                    D(2026, 7, 3))
    assert before[p["cadre2"].pk].unit_id == cast.sec_cadre.pk
    assert after[p["cadre2"].pk].unit_id == cast.sec_org.pk
    # Someone with no history has always been as they are now, roles included.
    (only,) = stints([p["chief"].pk])[p["chief"].pk]
    assert (only.unit_id, only.roles) == (cast.sec_org.pk, frozenset({"section_chief"}))
    # A change dated before the latest one is refused, whichever service makes it.
    moved = Person.objects.get(pk=p["cadre2"].pk)
    with pytest.raises(ValidationError) as refused:
        people_services.person_update(by=cast["head"], person=moved,
                                      data={"unit": cast.sec_cadre}, on=D(2026, 5, 1))
    assert list(refused.value.message_dict) == ["on"]
