"""The ``learning.shortfall`` hook supervision's early warning calls (issue 17, point 6)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_person
from zugong.core import metrics
from zugong.core.registry import hook
from zugong.learning import services, summaries
from zugong.learning.models import ReviewStatus, StudySession, Writing, WritingKind

D = dt.date


@pytest.fixture
def luxi(cast):
    return services.regime_create(by=cast["head"], department=cast.dept, name="",
                                  preset="luxi", valid_from=D(2024, 1, 1))


def hours_every_day(person, start, end):
    StudySession.objects.bulk_create(
        [StudySession(person=person, on=start + dt.timedelta(days=i), hours=1, topic="自学",
                      status=ReviewStatus.CONFIRMED) for i in range((end - start).days + 1)])


def test_the_shortfall_hook_lists_each_missed_rule_of_ended_months_with_its_records(cast,
                                                                                  luxi):
    shortfall = hook("learning.shortfall")
    cadre, cadre2 = cast.people["cadre"], cast.people["cadre2"]
    hours_every_day(cadre, D(2024, 2, 1), D(2024, 2, 29))  # 29 h of 18 asked: met
    hours_every_day(cadre2, D(2024, 2, 1), D(2024, 2, 15))  # 15 h of 18: missed
    Writing.objects.create(person=cadre2, on=D(2024, 2, 5), kind=WritingKind.INFO,
                           title="信息", status=ReviewStatus.CONFIRMED)
    # Judged on 10 March: February has ended (hours, books, information items a month);
    # March, the first quarter and the year still run, so they are no shortfall yet.
    summaries.rebuild()  # the records above went in around the services
    found = shortfall([cadre.pk, cadre2.pk], D(2024, 2, 1), D(2024, 3, 10))
    texts2 = [text for text, _url in found[cadre2.pk]]
    assert len(texts2) == 2  # hours 15/18 and no book; the information item is there
    assert any("15/18" in t for t in texts2)
    assert len(found[cadre.pk]) == 2  # no book, no information item
    assert not any("/18" in text for text, _url in found[cadre.pk])
    assert all(url.startswith("/learning/") and f"person={cadre2.pk}" in url
               for _text, url in found[cadre2.pk])


def test_a_yearly_rule_missed_counts_once_and_queries_do_not_grow_with_people(cast, luxi):
    shortfall = hook("learning.shortfall")
    cadre = cast.people["cadre"]
    found = shortfall([cadre.pk], D(2024, 1, 1), D(2025, 1, 5))
    # 2024 without a research report: one shortfall for the year, not one per month.
    label = str(metrics.get("learning.research_reports").label)
    assert sum(label in text for text, _url in found[cadre.pk]) == 1
    # Oldest period first (by date, not by text: January before November).
    starts = [url.split("start=")[1][:10] for _text, url in found[cadre.pk]]
    assert starts == sorted(starts) and len(set(starts)) > 2
    # Its link is the metric's list of the person's records in 2024, written in parts.
    url = next(url for text, url in found[cadre.pk] if label in text)
    assert url == metrics.get("learning.research_reports").records_url(
        person_id=cadre.pk, start=D(2024, 1, 1), end=D(2024, 12, 31))
    ids = [cadre.pk, cast.people["cadre2"].pk]
    with CaptureQueriesContext(connection) as one:
        shortfall(ids[:1], D(2024, 1, 1), D(2025, 1, 5))
    more = ids + [make_person(cast.sec_org, name=f"学员{i}").pk for i in range(5)]
    with CaptureQueriesContext(connection) as many:
        shortfall(more, D(2024, 1, 1), D(2025, 1, 5))
    assert len(many) == len(one)


def test_no_regime_no_shortfall(cast):
    assert hook("learning.shortfall")([cast.people["cadre"].pk], D(2024, 1, 1),
                                      D(2024, 6, 1)) == {}


def test_once_makes_one_cell_per_rule_and_judged_period(cast, luxi):
    """The early warnings' frame (``once``): a year's months judge a monthly rule 12
    times, a quarterly one 4 and a yearly one once; without it, 12 cells each."""
    from zugong.core.periods import Period, PeriodKind
    from zugong.learning import compliance
    from zugong.people.models import Person

    months = Period.parse("2024").children(PeriodKind.MONTH)
    people = Person.objects.filter(pk=cast.people["cadre"].pk)
    every = compliance.evaluate(regime=luxi, people=people, windows=months,
                                today=D(2025, 1, 5))
    once = compliance.evaluate_many(regimes=[luxi], people=people, windows=months,
                                    today=D(2025, 1, 5), once=True)[luxi.pk]
    per_period = {s.number: s.period for s in every.series}

    def count(result):
        found = {}
        for (_person, number, _key) in result.cells:
            found[number] = found.get(number, 0) + 1
        return found

    assert set(count(every).values()) == {12}
    expected = {PeriodKind.DAY: 12, PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4,
                PeriodKind.YEAR: 1}
    assert count(once) == {n: expected[per_period[n]] for n in count(every)}
    # Each kept cell is the one the full judgement has for its period's first month.
    for key, cell in once.cells.items():
        assert (cell.window, cell.status, cell.actual) == (
            every.cells[key].window, every.cells[key].status, every.cells[key].actual)
