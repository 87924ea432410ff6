"""The figures "followed up on time" (issue 20, point 8): project-months and
project-quarters that met the department's rules, each credited once, to the cadre whose
follow-up made up the minimum, so the figures add up over people and periods. Every
value is worked out by hand below."""

import datetime as dt

import pytest

from zugong.core.audit import SYSTEM
from zugong.core.metrics import get as metric
from zugong.people.access import subtree_q
from zugong.people.models import Person
from zugong.projects import services
from zugong.projects.coverage import Credit, credits
from zugong.projects.models import FollowUp

D = dt.date
YEAR = (D(2025, 1, 1), D(2025, 12, 31))


def test_credits_go_to_the_follow_up_that_made_up_the_minimum():
    rows = [(1, 10, "monthly", D(2025, 1, 12), 1), (1, 20, "monthly", D(2025, 1, 20), 2),
            (1, 20, "onsite", D(2025, 2, 5), 3), (1, 30, "monthly", D(2025, 5, 2), 5),
            (1, 20, "monthly", D(2025, 5, 2), 4)]
    assert credits(rows, kind="monthly", minimums={1: 1}) == [
        Credit(1, "2025-01", 10, D(2025, 1, 12)), Credit(1, "2025-02", 20, D(2025, 2, 5)),
        Credit(1, "2025-05", 20, D(2025, 5, 2))]  # same day: the earlier record (id 4)
    # Two a month: January's second (person 20) and May's second (person 30, id 5).
    assert credits(rows, kind="monthly", minimums={1: 2}) == [
        Credit(1, "2025-01", 20, D(2025, 1, 20)), Credit(1, "2025-05", 30, D(2025, 5, 2))]
    # On-site guidance a quarter: only the on-site visit counts; Q2 had none.
    assert credits(rows, kind="onsite", minimums={1: 1}) == [
        Credit(1, "2025-Q1", 20, D(2025, 2, 5))]
    # A minimum of 0 asks nothing: a month counts once, with its first follow-up.
    assert len(credits(rows, kind="monthly", minimums={1: 0})) == 3


@pytest.fixture
def followed(cast):
    """One project of 组织室, classified on 10 January 2025, followed up by the chief, the
    cadre (组织室) and cadre2 (干部室): January (chief first, then the cadre), February (the
    cadre, on site), March (cadre2), April nothing, May (the cadre, then the chief, the
    same day)."""
    p = services.project_declare(by=SYSTEM, person=cast.people["cadre"], unit=cast.sec_org,
                                 title="党员积分制管理", summary="探索", on=D(2025, 1, 5))
    p = services.project_classify(by=SYSTEM, project=p, version=p.version, category="party",
                                  guiding_section=cast.sec_org, on=D(2025, 1, 10))
    people = cast.people
    for who, kind, on in (("chief", "monthly", D(2025, 1, 12)),
                          ("cadre", "monthly", D(2025, 1, 20)),
                          ("cadre", "onsite", D(2025, 2, 5)),
                          ("cadre2", "monthly", D(2025, 3, 3)),
                          ("cadre", "monthly", D(2025, 5, 2)),
                          ("chief", "monthly", D(2025, 5, 2))):
        FollowUp.objects.create(person=people[who], project=p, kind=kind, on=on, note="了解")
    return p


def _ids(cast, *names):
    return [cast.people[n].pk for n in names]


def test_project_months_followed_up_on_time_add_up_over_people_and_months(cast, followed):
    chief, cadre, cadre2 = _ids(cast, "chief", "cadre", "cadre2")
    kept = metric("projects.followed_up_on_time")
    # January → the chief (12th), February → the cadre (on site), March → cadre2, April
    # missed, May → the cadre (her record is the earlier of the 2nd): 4 months, once each.
    assert kept.totals(people=[chief, cadre, cadre2], start=YEAR[0], end=YEAR[1]) == {
        (chief, None): 1, (cadre, None): 2, (cadre2, None): 1}
    assert kept.totals(people=[cadre], start=YEAR[0], end=YEAR[1], by="month") == {
        (cadre, "2025-02"): 1, (cadre, "2025-05"): 1}
    assert kept.totals(people=[cadre], start=YEAR[0], end=YEAR[1], by="quarter") == {
        (cadre, "2025-Q1"): 1, (cadre, "2025-Q2"): 1}
    # From 15 January: January was made up by the chief on the 12th, before the window,
    # so the cadre's follow-up of the 20th is not credited a second time.
    assert kept.totals(people=[chief, cadre], start=D(2025, 1, 15), end=D(2025, 1, 31)) == {}
    # The rule is data: two a month. January's second (the cadre, 20th) and May's second
    # (the chief) make up the minimum; February and March fall short.
    services.rule_set(by=SYSTEM, department=cast.dept, kind="monthly", minimum=2)
    assert kept.totals(people=[chief, cadre, cadre2], start=YEAR[0], end=YEAR[1]) == {
        (cadre, None): 1, (chief, None): 1}


def test_project_quarters_guided_on_time(cast, followed):
    cadre, = _ids(cast, "cadre")
    guided = metric("projects.guided_on_time")
    # Q1 guided on site on 5 February by the cadre; Q2 not guided.
    everyone = Person.objects.filter(subtree_q("unit_path", cast.dept.path))  # a queryset
    assert guided.totals(people=everyone, start=YEAR[0], end=YEAR[1]) == {(cadre, None): 1}
    services.rule_set(by=SYSTEM, department=cast.dept, kind="onsite", minimum=2)
    assert guided.totals(people=[cadre], start=YEAR[0], end=YEAR[1]) == {}
    assert guided.records_url(start=YEAR[0], end=YEAR[1]).startswith("/projects/coverage/")
