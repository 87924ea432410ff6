"""The monthly summaries behind the compliance of a province (issue 22, point 5): every
service that writes records keeps them current, and judging from them gives exactly what
judging from the records gives."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_person
from zugong.core import metrics, recycle
from zugong.core.models import RecycledRecord
from zugong.core.periods import Period, PeriodKind
from zugong.learning import compliance, services, summaries
from zugong.learning.compliance import evaluate_many, people_under
from zugong.learning.models import (
    BookRead,
    ExemptionKind,
    MonthSummary,
    ReviewStatus,
    StudySession,
    Writing,
    WritingKind,
)
from zugong.people import services as people_services
from zugong.people.models import Person

pytestmark = pytest.mark.django_db
D = dt.date
YEAR = Period.parse("2026")


def rows():
    return sorted(MonthSummary.objects.values_list("person_id", "metric", "month",
                                                   "confirmed", "pending"))


def assert_current():
    """The summaries the services kept equal those rebuilt from the records."""
    kept = rows()
    summaries.rebuild()
    assert kept == rows()


def hours_row(person, month):
    return MonthSummary.objects.filter(person=person, metric="learning.study_hours",
                                       month=month).values_list("confirmed", "pending").first()


def study(by, person, on, hours="1"):
    return services.record_create(by=by, kind="study", person=person,
                                  data={"on": on, "hours": Decimal(hours), "form": "self",
                                        "topic": "自学"})


@pytest.fixture
def luxi(cast):
    return services.regime_create(by=cast["head"], department=cast.dept, name="",
                                  preset="luxi", valid_from=D(2026, 1, 1))


def test_every_service_that_writes_records_keeps_the_summaries_current(cast):
    cadre, chief = cast.people["cadre"], cast["chief"]
    # The cadre's own record waits for confirmation: it counts as pending.
    own = study(cast["cadre"], cadre, D(2026, 3, 5), "2")
    assert hours_row(cadre, D(2026, 3, 1)) == (Decimal("0"), Decimal("2.0"))
    assert_current()
    # Confirmed by the chief; a second one entered by the chief is confirmed at once.
    services.record_review(by=chief, records=[own], confirm=True)
    study(chief, cadre, D(2026, 3, 6), "1.5")
    assert hours_row(cadre, D(2026, 3, 1)) == (Decimal("3.5"), Decimal("0"))
    assert_current()
    # Moved to April by an edit: it leaves March and goes back to pending in April.
    own.refresh_from_db()
    services.record_update(by=cast["cadre"], record=own, version=own.version,
                           data={"on": D(2026, 4, 1)})
    assert hours_row(cadre, D(2026, 3, 1)) == (Decimal("1.5"), Decimal("0"))
    assert hours_row(cadre, D(2026, 4, 1)) == (Decimal("0"), Decimal("2.0"))
    assert_current()
    # Returned: it counts nowhere.
    own.refresh_from_db()
    services.record_review(by=chief, records=[own], confirm=False, reason="无佐证")
    assert hours_row(cadre, D(2026, 4, 1)) is None
    assert_current()
    # Deleted into the recycle bin, then restored from it.
    kept = study(chief, cadre, D(2026, 3, 9), "1")
    kept_pk = kept.pk  # the delete clears it
    services.record_delete(by=chief, record=kept)
    assert hours_row(cadre, D(2026, 3, 1)) == (Decimal("1.5"), Decimal("0"))
    assert_current()
    entry = RecycledRecord.objects.get(model="learning.studysession", object_pk=str(kept_pk))
    recycle.restore(entry, by=chief)
    assert hours_row(cadre, D(2026, 3, 1)) == (Decimal("2.5"), Decimal("0"))
    assert_current()
    # A 第一议题 for two attendees, and a writing another app enters through the hook.
    services.first_topic_record(by=cast["head"], department=cast.dept, meeting="部务会",
                                held_on=D(2026, 5, 6), content="学习", hours=Decimal(1),
                                attendees=[cadre, cast.people["cadre2"]])
    assert MonthSummary.objects.filter(metric="learning.first_topic_attendance",
                                       month=D(2026, 5, 1)).count() == 2
    services.writing_from_app(by=cast["cadre"], person=cadre, on=D(2026, 5, 7), title="心得",
                              text="培训心得", kind=WritingKind.REFLECTION)
    assert MonthSummary.objects.filter(person=cadre, metric="learning.reflections",
                                       month=D(2026, 5, 1), pending=1).exists()
    assert_current()


def test_a_records_edit_and_its_confirmation_move_every_metric_of_its_kind(cast):
    cadre, chief = cast.people["cadre"], cast["chief"]
    article = services.record_create(
        by=chief, kind="writing", person=cadre,
        data={"on": D(2026, 6, 3), "kind": WritingKind.ARTICLE, "title": "文章",
              "outlet": "湖南日报", "outlet_level": "provincial"})
    found = dict(MonthSummary.objects.filter(person=cadre).values_list("metric", "confirmed"))
    assert found == {"learning.articles": 1, "learning.articles_city_up": 1,
                     "learning.articles_provincial": 1}
    article.refresh_from_db()
    services.record_update(by=chief, record=article, version=article.version,
                           data={"outlet_level": "county"})
    found = dict(MonthSummary.objects.filter(person=cadre).values_list("metric", "pending"))
    assert found == {"learning.articles": 1, "learning.articles_county": 1}
    assert_current()


def _random_records(cast, rng, people):
    """Records of every kind and state for ``people`` through 2026 (the ORM, as an
    import would), then some deleted into the recycle bin through the service."""
    sessions, others = [], []
    for person in people:
        for month in range(1, 12):
            for day in rng.sample(range(1, 29), rng.randint(0, 9)):
                sessions.append(StudySession(
                    person=person, on=D(2026, month, day), topic="自学",
                    hours=Decimal(rng.choice(("0.5", "1", "1.5", "2", "3"))),
                    status=rng.choice(ReviewStatus.values)))
            if rng.random() < 0.7:
                others.append(BookRead(person=person, on=D(2026, month, rng.randint(1, 28)),
                                       title="书", status=rng.choice(ReviewStatus.values)))
            for _ in range(rng.randint(0, 2)):
                others.append(Writing(person=person, on=D(2026, month, rng.randint(1, 28)),
                                      kind=rng.choice(WritingKind.values), title="文",
                                      outlet_level=rng.choice(("", "national", "county")),
                                      status=rng.choice(ReviewStatus.values)))
    StudySession.objects.bulk_create(sessions)
    for record in others:
        record.save()
    summaries.rebuild()
    for record in rng.sample(sessions, 15) + rng.sample(others, 5):
        services.record_delete(by=cast["head"], record=type(record).objects.get(pk=record.pk))


def test_judging_from_the_summaries_equals_judging_from_the_records(cast, luxi, monkeypatch):
    rng = random.Random(22)  # nosec B311
    people = [cast.people["cadre"], cast.people["cadre2"],
              *(make_person(rng.choice([cast.sec_org, cast.sec_cadre]), name=f"学员{i}",
                            joined_on=D(2026, rng.randint(1, 9), rng.randint(1, 28)))
                for i in range(4))]
    _random_records(cast, rng, people)
    # Exemptions (all rules, and one rule), and a person moving sections mid-year.
    services.exemption_add(by=cast["head"], regime=luxi, person=people[0],
                           kind=ExemptionKind.LEAVE, start=D(2026, 2, 10), end=D(2026, 3, 20),
                           reason="病假")
    services.exemption_add(by=cast["head"], regime=luxi, person=people[2],
                           kind=ExemptionKind.TRAINING, start=D(2026, 5, 1),
                           end=D(2026, 6, 30), reason="脱产培训", series=1)
    people_services.person_update(by=cast["head"], person=people[1],
                                  data={"unit": cast.sec_org}, on=D(2026, 7, 1))
    windows = [*YEAR.children(PeriodKind.MONTH), *YEAR.children(PeriodKind.QUARTER),
               *YEAR.children(PeriodKind.HALF), YEAR,
               Period.containing(PeriodKind.WEEK, D(2026, 4, 29))]  # a week across months

    def judge(count_unconfirmed):
        luxi.count_unconfirmed = count_unconfirmed
        result = evaluate_many(regimes=[luxi],
                               people=Person.objects.filter(pk__in=[p.pk for p in people]),
                               windows=windows, today=D(2026, 12, 3))[luxi.pk]
        return {k: (c.target, c.actual, c.status) for k, c in result.cells.items()}

    with CaptureQueriesContext(connection) as few_read:
        from_summaries = [judge(False), judge(True)]
    # More people than FEW_PEOPLE are read the other way, with the same figures.
    with monkeypatch.context() as patch, CaptureQueriesContext(connection) as many_read:
        patch.setattr(summaries, "FEW_PEOPLE", len(people) - 1)
        assert [judge(False), judge(True)] == from_summaries
    if connection.vendor == "postgresql":
        def reads(ctx):
            return [q["sql"] for q in ctx.captured_queries if "learning_monthsummary" in q["sql"]]
        assert reads(few_read) and all('"person_id" = ANY(ARRAY(SELECT' in q
                                       for q in reads(few_read))
        assert reads(many_read) and not any("ANY(ARRAY(" in q for q in reads(many_read))
    asked = []

    def from_the_records(wanted, *, few=False, **kwargs):
        asked.append(wanted)
        return {(key, by): metrics.get(key).totals(start=start, end=end, by=by, **kwargs)
                for (key, by), (start, end) in wanted.items()}

    with monkeypatch.context() as patch:
        patch.setattr(compliance.summaries, "totals_by_kind", from_the_records)
        from_records = [judge(False), judge(True)]
    assert asked, "the judging must have read its figures through the patched function"
    assert from_summaries == from_records
    statuses = {status for _t, _a, status in from_summaries[0].values()}
    assert {"met", "missed", "exempt", "n/a"} <= statuses
    # Pending records make a difference where the regime counts them.
    assert from_summaries[0] != from_summaries[1]
    assert_current()


def test_a_province_reads_the_summaries_in_queries_that_do_not_grow_with_people(cast, luxi):
    cadre = cast.people["cadre"]
    study(cast["chief"], cadre, D(2026, 3, 5), "2")

    def judge():
        cache.clear()  # the cold path: the rules are read, not kept
        people = people_under(luxi, Person.objects.all())
        with CaptureQueriesContext(connection) as ctx:
            result = evaluate_many(regimes=[luxi], people=people, windows=[YEAR],
                                   today=D(2026, 12, 3))[luxi.pk]
        return ctx.captured_queries, result

    few, result = judge()
    assert result.cell(cadre.pk, 1, YEAR).actual == Decimal("2.0")
    for i in range(5):
        study(cast["chief"], make_person(cast.sec_org, name=f"新人{i}"), D(2026, 3, 5))
    more, result = judge()
    assert len(more) == len(few)
    # One grouped query over the summaries for the five rules' metrics (all judged over
    # the year); none over the records.
    assert sum("learning_monthsummary" in q["sql"] for q in more) == 1
    sql = " ".join(q["sql"] for q in more)
    for table in ("learning_studysession", "learning_bookread", "learning_writing"):
        assert table not in sql


def test_the_months_and_the_year_of_the_compliance_page_are_read_in_one_query(cast, luxi):
    cadre = cast.people["cadre"]
    study(cast["chief"], cadre, D(2026, 3, 5), "2")
    study(cast["chief"], cadre, D(2026, 5, 6), "1.5")
    people = people_under(luxi, Person.objects.all())
    with CaptureQueriesContext(connection) as ctx:
        result = evaluate_many(regimes=[luxi], people=people,
                               windows=[*YEAR.children(PeriodKind.MONTH), YEAR],
                               today=D(2026, 12, 3))[luxi.pk]
    assert sum("learning_monthsummary" in q["sql"] for q in ctx.captured_queries) == 1
    march, may = (Period.parse(k) for k in ("2026-03", "2026-05"))
    assert result.cell(cadre.pk, 1, march).actual == Decimal("2.0")
    assert result.cell(cadre.pk, 1, may).actual == Decimal("1.5")
    assert result.cell(cadre.pk, 1, YEAR).actual == Decimal("3.5")


def test_the_command_rebuilds_the_summaries_of_records_loaded_around_the_services(cast):
    cadre = cast.people["cadre"]
    StudySession.objects.bulk_create([
        StudySession(person=cadre, on=D(2026, 1, d), hours=Decimal(1), topic="自学",
                     status=ReviewStatus.CONFIRMED) for d in (5, 6, 7)])
    MonthSummary.objects.create(person=cadre, metric="learning.books", month=D(2026, 1, 1),
                                confirmed=9)  # a stale row: no such book
    call_command("learning_summaries", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert rows() == [(cadre.pk, "learning.study_hours", D(2026, 1, 1), Decimal("3.0"),
                       Decimal("0"))]


def test_a_rebuild_leaves_the_planner_statistics_of_the_new_table(cast):
    cadre = cast.people["cadre"]
    StudySession.objects.bulk_create([
        StudySession(person=cadre, on=D(2026, m, 5), hours=Decimal(1), topic="自学",
                     status=ReviewStatus.CONFIRMED) for m in range(1, 13)])
    rows = summaries.rebuild()
    assert rows == 12
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s",
                           ["learning_monthsummary"])
            assert cursor.fetchone()[0] == rows
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s",
                           ["learning_monthsummary"])
            assert cursor.fetchone()[0].split()[0] == str(rows)


def _first(queries, start: str) -> int:
    return next(i for i, q in enumerate(queries) if q["sql"].startswith(start))


# The lock (FOR UPDATE on PostgreSQL; SQLite locks the whole file and prints no clause).
PERSON_LOCK = ('SELECT "people_person"."id" AS "pk" FROM "people_person" '
               'WHERE "people_person"."id" IN')
HEAD_LOCK = 'SELECT "core_audithead"'


def test_every_record_write_locks_the_people_before_it_audits(cast):
    """The audit chain's head is locked by every audited write until it commits. A write
    that audited before locking the person deadlocked against one that locked the person
    first (seen under the province load: a cadre's new record and a chief's confirmation
    of the same person's month). Every learning write takes the person's row first."""
    cadre, chief = cast.people["cadre"], cast["chief"]
    writes = {
        "create": lambda: study(cast["cadre"], cadre, D(2026, 3, 5), "2"),
        "review": lambda: services.record_review(
            by=chief, records=[StudySession.objects.get(person=cadre, on=D(2026, 3, 5))],
            confirm=True),
        "update": lambda: services.record_update(
            by=chief, record=(r := StudySession.objects.get(person=cadre, on=D(2026, 3, 5))),
            version=r.version, data={"hours": Decimal("3")}),
        "delete": lambda: services.record_delete(
            by=chief, record=StudySession.objects.get(person=cadre, on=D(2026, 3, 5))),
    }
    for name, write in writes.items():
        with CaptureQueriesContext(connection) as ctx:
            write()
        queries = ctx.captured_queries
        assert _first(queries, PERSON_LOCK) < _first(queries, HEAD_LOCK), name
