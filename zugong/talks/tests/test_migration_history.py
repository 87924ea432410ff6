"""The talks app's moves (UnitChange) are carried into the people app's post history by
migration talks/0003 (issue 15, point 11): every move becomes a dated row."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F

pytestmark = pytest.mark.django_db(transaction=True)
D = dt.date
BEFORE = [("talks", "0002_talk_rules"), ("people", "0005_post_history")]
AFTER = [("talks", "0003_moves_to_post_history")]


def test_moves_become_post_history_rows():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    OrgUnit = apps.get_model("people", "OrgUnit")
    Person = apps.get_model("people", "Person")
    DictItem = apps.get_model("core", "DictItem")
    UnitChange = apps.get_model("talks", "UnitChange")
    a = OrgUnit.objects.create(name="干部室", kind="section", code="T-A", path="9001",
                               depth=1)
    b = OrgUnit.objects.create(name="组织室", kind="section", code="T-B", path="9002",
                               depth=1)
    c = OrgUnit.objects.create(name="监督室", kind="section", code="T-C", path="9003",
                               depth=1)
    sex = DictItem.objects.filter(table="sex").first() or DictItem.objects.create(
        table="sex", code="1", name="男")
    person = Person.objects.create(category="org_cadre", name="王磊", sex=sex,
                                   birth_date=D(1990, 1, 1), unit=c, unit_path=c.path,
                                   current_post="科员")
    UnitChange.objects.create(person=person, on=D(2025, 7, 1), from_unit=a, to_unit=b)
    UnitChange.objects.create(person=person, on=D(2026, 2, 1), from_unit=b, to_unit=c)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    rows = apps.get_model("people", "PostHistory").objects.filter(
        person_id=person.pk).order_by(F("valid_from").asc(nulls_first=True), "id")
    assert [(r.valid_from, r.valid_to, r.unit_id, r.moved_from_id, r.post)
            for r in rows] == [
        (None, D(2025, 6, 30), a.pk, None, "科员"),
        (D(2025, 7, 1), D(2026, 1, 31), b.pk, a.pk, "科员"),
        (D(2026, 2, 1), None, c.pk, b.pk, "科员"),
    ]
    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
