"""The national code tables are loaded into the project and editable."""

import pytest

from zugong.console import services
from zugong.core.dictionaries import load_dictionaries, resolve
from zugong.core.models import AuditEntry, DictItem, DictTable

pytestmark = pytest.mark.django_db


def test_the_tables_are_loaded_by_the_migration():
    count = DictItem.objects.filter
    assert count(table=DictTable.ETHNICITY, code__lte="56").count() == 56
    assert count(table=DictTable.SEX).count() == 2
    assert count(table=DictTable.DIVISION, code="433122").get().name == "泸溪县"
    assert count(table=DictTable.DIVISION).count() > 3000
    assert count(table=DictTable.POLITICAL_STATUS, code="01").get().name == "中共党员"
    assert count(table=DictTable.ASSESSMENT_RESULT).count() == 5


def test_loading_again_adds_nothing_and_keeps_local_edits():
    DictItem.objects.filter(table=DictTable.HEALTH, code="1").update(name="健康（改）")
    assert load_dictionaries() == 0
    assert DictItem.objects.get(table=DictTable.HEALTH, code="1").name == "健康（改）"


def test_resolve_refuses_codes_of_another_table():
    han = DictItem.objects.get(table=DictTable.ETHNICITY, code="01")
    with pytest.raises(Exception):  # noqa: B017 - ValidationError
        resolve(DictTable.SEX, han, field="sex")


def test_the_security_administrator_edits_an_entry_and_it_is_audited(cast, client):
    client.force_login(cast["secadmin"])
    response = client.post("/system/dictionaries/save/", {
        "table": "health", "code": "6", "name": "残疾", "is_active": "on"})
    assert response.status_code == 302
    assert DictItem.objects.get(table="health", code="6").name == "残疾"
    assert AuditEntry.objects.filter(action="console.dictionary.save").exists()


def test_an_empty_entry_is_refused_with_a_message(cast):
    with pytest.raises(Exception) as exc:  # noqa: B017
        services.dictionary_save(by=cast["secadmin"], table="health", code="", name="",
                                 is_active=True)
    assert "ValidationError" in type(exc.value).__name__


def test_a_renamed_entry_shows_on_the_next_page_despite_the_cache(cast, client):
    from zugong.people.services import person_update

    person = cast.people["cadre"]
    person_update(by=None, person=person, data={"health": "1"})
    client.force_login(cast["head"])
    assert "健康" in client.get(f"/people/{person.pk}/").content.decode()
    services.dictionary_save(by=cast["secadmin"], table="health", code="1", name="身体健康",
                             is_active=True)
    assert "身体健康" in client.get(f"/people/{person.pk}/").content.decode()


def test_the_person_page_reads_code_tables_without_joining_them(cast, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast["head"])
    url = f"/people/{cast.people['cadre'].pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert not any("core_dictitem" in q["sql"] for q in ctx.captured_queries)
    assert len(ctx.captured_queries) <= 14
