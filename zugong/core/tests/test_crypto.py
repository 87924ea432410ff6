"""SM4 at rest and the HMAC-SM3 blind index."""

import pytest
from django.db import connection

from zugong.core.crypto import CryptoError, SoftwareProvider, provider
from zugong.people.models import Person

KEY_A = "v1:00112233445566778899aabbccddeeff"
KEY_B = "v2:ffeeddccbbaa99887766554433221100"


def test_values_round_trip_and_ciphertexts_differ_each_time():
    p = SoftwareProvider(KEY_A)
    a, b = p.encrypt("11010519491231002X"), p.encrypt("11010519491231002X")
    assert a != b
    assert p.decrypt(a) == "11010519491231002X"


def test_a_rotated_key_still_reads_old_values_and_writes_with_the_new_one():
    old = SoftwareProvider(KEY_A).encrypt("13900000000")
    rotated = SoftwareProvider(f"{KEY_B},{KEY_A}")
    assert rotated.decrypt(old) == "13900000000"
    assert rotated.encrypt("x").startswith("v2$")


def test_a_tampered_ciphertext_is_refused():
    p = SoftwareProvider(KEY_A)
    token = p.encrypt("secret")
    broken = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
    with pytest.raises(CryptoError):
        p.decrypt(broken)


def test_blind_index_is_deterministic_and_keyed():
    assert SoftwareProvider(KEY_A).blind_index("x") == SoftwareProvider(KEY_A).blind_index("x")
    assert SoftwareProvider(KEY_A).blind_index("x") != SoftwareProvider(KEY_B).blind_index("x")


@pytest.mark.django_db
def test_a_raw_select_on_the_people_table_shows_no_plaintext_id_or_phone(cast):
    person = cast.people["cadre"]
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM people_person")
        dump = repr(cur.fetchall())
    assert person.id_number not in dump
    assert person.phone not in dump
    assert person.id_number[:14] not in dump
    assert person.name in dump  # the select did read the rows


@pytest.mark.django_db
def test_a_person_is_found_by_exact_id_number_through_the_blind_index(cast):
    person = cast.people["cadre"]
    found = Person.objects.get(id_number_index=provider().blind_index(person.id_number))
    assert found.pk == person.pk


@pytest.mark.django_db
def test_reencrypt_command_rewrites_values_under_the_new_key(cast, settings):
    from django.core.management import call_command

    person = cast.people["cadre"]
    settings.ZUGONG_FIELD_KEYS = f"{KEY_B},{settings.ZUGONG_FIELD_KEYS}"
    provider.cache_clear()
    try:
        call_command("reencrypt", verbosity=0)
        with connection.cursor() as cur:
            cur.execute("SELECT id_number FROM people_person WHERE id = %s", [person.pk])
            assert cur.fetchone()[0].startswith("v2$")
        assert Person.objects.get(pk=person.pk).id_number == person.id_number
        assert Person.objects.filter(
            id_number_index=provider().blind_index(person.id_number)).exists()
    finally:
        provider.cache_clear()
