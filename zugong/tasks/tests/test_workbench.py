"""The task app's workbench items: my tasks due soon or overdue, and my inquiries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zugong.tasks import services, workbench

from .helpers import task

pytestmark = pytest.mark.django_db
D = dt.date


def test_each_item_gives_its_count_and_first_date_from_one_query(cast, clock):
    # Every role's workbench shows these (issue 23): the count and the first date are read
    # together, not as two queries.
    task(cast, title="下周到期", deadline=D(2025, 1, 8))
    task(cast, title="已逾期", deadline=D(2025, 1, 1), start=D(2024, 12, 1))
    task(cast, title="月底到期", deadline=D(2025, 1, 31))
    services.inquiry_add(by=cast["cadre"], channel="visit", received_on=D(2025, 1, 2),
                         inquirer="群众乙", question="入党申请", due=D(2025, 1, 9))
    user = cast["cadre"]
    user.refresh_from_db()
    with CaptureQueriesContext(connection) as ctx:
        items = {i.key: i for i in workbench.items(user=user, today=D(2025, 1, 2))}
    assert (items["tasks.due"].count, items["tasks.due"].due) == (2, D(2025, 1, 1))
    assert (items["tasks.inquiries"].count, items["tasks.inquiries"].due) == (1, D(2025, 1, 9))
    counted = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
    assert len(counted) == 2 and all("MIN(" in sql for sql in counted)


def test_my_tasks_are_those_i_lead_and_those_i_share_read_as_one_union(cast, clock):
    # "lead = me OR id IN (shared)" made PostgreSQL read every task of the province on
    # every workbench view; the UNION reads each part from its index (issue 23).
    from zugong.tasks import selectors

    led = task(cast, title="我牵头", lead="chief")
    shared = task(cast, title="我协办", lead="cadre", co_workers=[cast.people["chief"]])
    task(cast, title="与我无关", lead="cadre")
    mine = selectors.my_tasks(user=cast["chief"])
    assert {t.pk for t in mine} == {led.pk, shared.pk}
    assert " UNION " in str(mine.query)


def test_the_due_count_is_my_tasks_count_without_the_visibility_subqueries(cast, clock):
    """``my_open_tasks_due`` counts what ``my_tasks`` lists open and due by the day (led
    or shared, not closed, not later, not a colleague's in the same section), and its
    query names my tasks alone (issue 23)."""
    from zugong.tasks import selectors
    from zugong.tasks.models import Task, TaskStatus

    task(cast, title="我牵头", lead="chief", deadline=D(2025, 1, 6))
    task(cast, title="我协办", lead="cadre", co_workers=[cast.people["chief"]],
         deadline=D(2025, 1, 4))
    done = task(cast, title="已完成", lead="chief", deadline=D(2025, 1, 5))
    Task.objects.filter(pk=done.pk).update(status=TaskStatus.DONE)
    task(cast, title="下月到期", lead="chief", deadline=D(2025, 2, 28))
    task(cast, title="同事的", lead="cadre", deadline=D(2025, 1, 3))
    closed = (TaskStatus.DONE, TaskStatus.CANCELLED, TaskStatus.CARRIED)
    user = cast["chief"]
    listed = selectors.my_tasks(user=user).exclude(status__in=closed).filter(
        deadline__lte=D(2025, 1, 9))
    assert sorted(t.title for t in listed) == ["我协办", "我牵头"]
    with CaptureQueriesContext(connection) as ctx:
        figures = selectors.my_open_tasks_due(user=user, until=D(2025, 1, 9), closed=closed)
    assert figures == {"first": D(2025, 1, 4), "count": 2}
    assert len(ctx.captured_queries) == 1 and "people_orgunit" not in ctx.captured_queries[0][
        "sql"]
    nobody = cast["chief"].__class__(username="无人员账号")
    assert selectors.my_open_tasks_due(user=nobody, until=D(2025, 1, 9), closed=closed) == {
        "first": None, "count": 0}
