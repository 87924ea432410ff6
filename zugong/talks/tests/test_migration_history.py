"""The talks app's moves (UnitChange) are carried into the people app's post history by
migration talks/0003 (issue 15, point 11): every move becomes a dated row.

The migration's function runs against today's schema plus the one table it reads, made
from the historical state: migrating the whole project back to talks 0002 and forward
again took about three minutes of the suite for a one-function check."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as current_apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import F

pytestmark = pytest.mark.django_db(transaction=True)
D = dt.date
BEFORE = ("talks", "0002_talk_rules")
MIGRATION = importlib.import_module("zugong.talks.migrations.0003_moves_to_post_history")


class _Apps:
    """The models the migration asks for: the dropped UnitChange from its historical
    state, everything else as it is today (the fields it reads are unchanged)."""

    def __init__(self, unit_change):
        self.unit_change = unit_change

    def get_model(self, app_label, name):
        if (app_label, name) == ("talks", "UnitChange"):
            return self.unit_change
        return current_apps.get_model(app_label, name)


def test_moves_become_post_history_rows():
    historical = MigrationLoader(connection).project_state(BEFORE).apps
    UnitChange = historical.get_model("talks", "UnitChange")
    OrgUnit = current_apps.get_model("people", "OrgUnit")
    Person = current_apps.get_model("people", "Person")
    DictItem = current_apps.get_model("core", "DictItem")
    PostHistory = current_apps.get_model("people", "PostHistory")
    with connection.schema_editor() as editor:
        editor.create_model(UnitChange)
    try:
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
        UnitChange.objects.create(person_id=person.pk, on=D(2025, 7, 1), from_unit_id=a.pk,
                                  to_unit_id=b.pk)
        UnitChange.objects.create(person_id=person.pk, on=D(2026, 2, 1), from_unit_id=b.pk,
                                  to_unit_id=c.pk)
        PostHistory.objects.filter(person=person).delete()  # only what the migration writes

        MIGRATION.forward(_Apps(UnitChange), None)
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(UnitChange)
    rows = PostHistory.objects.filter(person_id=person.pk).order_by(
        F("valid_from").asc(nulls_first=True), "id")
    assert [(r.valid_from, r.valid_to, r.unit_id, r.moved_from_id, r.post)
            for r in rows] == [
        (None, D(2025, 6, 30), a.pk, None, "科员"),
        (D(2025, 7, 1), D(2026, 1, 31), b.pk, a.pk, "科员"),
        (D(2026, 2, 1), None, c.pk, b.pk, "科员"),
    ]
