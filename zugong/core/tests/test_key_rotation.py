"""Rotating the field key v1 → v2 keeps every value readable and the audit chain whole."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from zugong.core.audit import audit_record, audit_verify
from zugong.core.crypto import provider
from zugong.core.models import AuditEntry
from zugong.core.tests.tamper import tamper
from zugong.people.management.commands.reencrypt import encrypted_fields

pytestmark = pytest.mark.django_db

V1 = "v1:00112233445566778899aabbccddeeff"  # the demo key the test database starts with
V2 = "v2:8f1e2d3c4b5a69788796a5b4c3d2e1f0"


@pytest.fixture
def keys(settings):
    """Set ZUGONG_FIELD_KEYS and drop the cached provider, as a restart would."""
    assert settings.ZUGONG_FIELD_KEYS == V1

    def use(spec):
        settings.ZUGONG_FIELD_KEYS = spec
        provider.cache_clear()

    yield use
    provider.cache_clear()


@pytest.fixture
def rich_cast(cast):
    """The cast plus a family member, so that more than the person's fields hold data."""
    from zugong.core.models import DictItem

    relation = DictItem.objects.filter(table="family_relation").first()
    apps.get_model("people", "FamilyMember").objects.create(
        person=cast.people["cadre"], relation=relation, name="王秀英",
        work_unit_and_post="县教育局 科员")
    return cast


def _plain_values():
    """{(model, field, pk): plaintext} of every encrypted value in the database."""
    values = {}
    for model, fields in encrypted_fields():
        for row in model._base_manager.all():
            for name, _ in fields:
                if getattr(row, name):
                    values[model._meta.label_lower, name, row.pk] = getattr(row, name)
    return values


def _stored(model, name, pk) -> str:
    table, column = model._meta.db_table, model._meta.get_field(name).column
    qn = connection.ops.quote_name
    key = qn(model._meta.pk.column)  # an audit payload's key is its entry's
    with connection.cursor() as cur:
        cur.execute(f"SELECT {qn(column)} FROM {qn(table)} WHERE {key} = %s",  # noqa: S608
                    [pk])
        return cur.fetchone()[0]


def test_reencrypt_finds_every_encrypted_field_and_its_blind_index():
    found = {(m._meta.label_lower, name): index for m, fields in encrypted_fields()
             for name, index in fields}
    assert found[("people.person", "id_number")] == "id_number_index"
    assert found[("people.person", "phone")] == "phone_index"
    assert found[("people.familymember", "name")] is None
    assert ("talks.talk", "summary") in found
    assert ("interop.importbatch", "payload") in found


def test_entries_signed_before_a_rotation_verify_with_their_own_key(cast, keys):
    keys(f"{V2},{V1}")
    audit_record(action="core.test.after_rotation")
    versions = set(AuditEntry.objects.values_list("key_version", flat=True))
    assert versions == {"v1", "v2"}
    assert audit_verify().ok


def test_rotate_reencrypt_retire_keeps_every_value_and_the_whole_chain(rich_cast, keys,
                                                                        capsys):
    before = _plain_values()
    assert {k[:2] for k in before} >= {("people.person", "id_number"),
                                       ("people.person", "phone"),
                                       ("people.familymember", "name"),
                                       ("people.familymember", "work_unit_and_post")}
    assert audit_verify().ok

    keys(f"{V2},{V1}")
    audit_record(action="core.test.after_rotation")
    call_command("reencrypt")
    out = capsys.readouterr().out
    person_count = apps.get_model("people", "Person").objects.exclude(id_number="").count()
    assert f"people.person.id_number: {person_count}" in out
    assert "people.familymember.name: 1" in out

    keys(V2)  # v1 retired
    report = audit_verify()
    assert report.ok, report.problems
    assert set(AuditEntry.objects.values_list("key_version", flat=True)) == {"v1", "v2"}
    after = _plain_values()
    # Every value is still there, plus the values of reencrypt's own audit entry.
    assert {k: v for k, v in after.items() if k in before} == before
    assert ("core.auditpayload", "data") in {k[:2] for k in before}
    for (label, name, pk) in before:
        assert _stored(apps.get_model(label), name, pk).startswith("v2$")
    Person = apps.get_model("people", "Person")
    for person in rich_cast.people.values():
        found = Person.objects.get(id_number_index=provider().blind_index(person.id_number))
        assert found.pk == person.pk
        assert Person.objects.filter(phone_index=provider().blind_index(person.phone)).exists()


def test_after_retirement_a_changed_old_entry_is_still_caught(cast, keys):
    keys(f"{V2},{V1}")
    call_command("reencrypt", verbosity=0)
    keys(V2)
    old = AuditEntry.objects.filter(key_version="v1").order_by("seq")[3]
    tamper("UPDATE core_auditentry SET object_repr = %s WHERE seq = %s", ["伪造", old.seq])
    report = audit_verify()
    assert not report.ok
    assert any("differ from the checkpoint" in p.reason for p in report.problems)


def test_retiring_a_key_without_reencrypt_leaves_its_entries_unvouched(cast, keys):
    keys(V2)
    report = audit_verify()
    assert not report.ok
    reasons = [p.reason for p in report.problems]
    assert any("key version 'v1' is retired" in r for r in reasons)
    # The audit values are on the retired key too, and said so.
    assert any("retired key" in r for r in reasons)
