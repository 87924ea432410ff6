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
