"""Talks and visits across departments: no names, no existence leaks; sensitive visit
notes encrypted at rest (issue 13, points 2 and 5)."""

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.urls import reverse

from conftest import make_person
from zugong.talks import services
from zugong.talks.models import Talk, Visit, VisitFlags

pytestmark = pytest.mark.django_db
NOTE = "家人重病，需长期陪护"
MISSING_ID = 987654321


def _stored_note(person):
    with connection.cursor() as cursor:
        cursor.execute("SELECT difficulty_note FROM talks_visitflags WHERE person_id = %s",
                       [person.pk])
        return cursor.fetchone()[0]


def test_the_visit_difficulty_note_is_encrypted_at_rest(cast):
    managed = cast.people["managed"]
    services.visit_flags_set(by=cast["head"], person=managed,
                             data={"difficulty_since": dt.date(2026, 4, 1),
                                   "difficulty_note": NOTE})
    stored = _stored_note(managed)
    assert NOTE not in stored and "家人" not in stored
    assert VisitFlags.objects.get(person=managed).difficulty_note == NOTE


def test_a_difficulty_note_longer_than_the_form_allows_is_refused(cast):
    with pytest.raises(Exception) as info:
        services.visit_flags_set(by=cast["head"], person=cast.people["managed"],
                                 data={"difficulty_note": "病" * 201})
    assert "difficulty_note" in info.value.message_dict
    assert not VisitFlags.objects.filter(person=cast.people["managed"]).exists()


def test_the_migration_encrypts_notes_written_in_plaintext(cast):
    managed = cast.people["managed"]
    services.visit_flags_set(by=cast["head"], person=managed, data={"difficulty_note": NOTE})
    with connection.cursor() as cursor:
        cursor.execute("UPDATE talks_visitflags SET difficulty_note = %s WHERE person_id = %s",
                       [NOTE, managed.pk])
    migration = importlib.import_module(
        "zugong.talks.migrations.0003_visit_difficulty_note_encrypted")
    migration.encrypt_difficulty_notes(None, None)
    migration.encrypt_difficulty_notes(None, None)  # twice changes nothing
    assert NOTE not in _stored_note(managed)
    assert VisitFlags.objects.get(person=managed).difficulty_note == NOTE


def _post(client, name, body):
    return client.post(reverse(name), body, content_type="application/json")


def test_a_talk_with_someone_of_another_department_names_nobody_and_equals_a_missing_id(
        cast, client_for):
    client = client_for(cast["chief"])
    body = {"held_on": "2026-03-02", "kind": "heart"}
    outside = _post(client, "api:create_talk",
                    {**body, "with_ids": [cast.people["outsider"].pk]})
    missing = _post(client, "api:create_talk", {**body, "with_ids": [MISSING_ID]})
    assert outside.status_code == missing.status_code == 422
    assert outside.json() == missing.json()
    assert cast.people["outsider"].name not in outside.content.decode()
    assert str(MISSING_ID) not in missing.content.decode()
    # A follow-up owner outside the talk is refused without a name either.
    owner = _post(client, "api:create_talk", {
        **body, "with_ids": [cast.people["cadre"].pk],
        "follow_ups": [{"text": "协调", "owner_id": cast.people["outsider"].pk,
                        "due_on": "2026-04-01"}]})
    assert owner.status_code == 422
    assert cast.people["outsider"].name not in owner.content.decode()
    assert Talk.objects.count() == 0


def test_the_talk_form_refuses_another_department_without_naming_anyone(cast):
    with pytest.raises(Exception) as info:
        services.talk_record(by=cast["chief"], with_people=[cast.people["outsider"]],
                             held_on=dt.date(2026, 3, 2), kind="heart")
    text = str(info.value.message_dict)
    assert "with_people" in info.value.message_dict
    assert cast.people["outsider"].name not in text


def test_a_visit_with_a_visitor_of_another_department_is_refused_in_chinese(cast, client_for):
    managed = cast.people["managed"]
    with pytest.raises(Exception) as info:
        services.visit_record(by=cast["head"], person=managed,
                              visitors=[cast.people["head"], cast.people["outsider"]],
                              kind="tour", on=dt.date(2026, 3, 1), place="县教育局")
    assert info.value.message_dict["visitors"] == ["走访人须为被走访干部所在部门的人员。"]
    client = client_for(cast["head"])
    body = {"person_id": managed.pk, "kind": "tour", "on": "2026-03-01", "place": "县教育局"}
    outside = _post(client, "api:create_visit",
                    {**body, "visitor_ids": [cast.people["outsider"].pk]})
    missing = _post(client, "api:create_visit", {**body, "visitor_ids": [MISSING_ID]})
    assert outside.status_code == missing.status_code == 422
    assert outside.json() == missing.json()
    assert cast.people["outsider"].name not in outside.content.decode()
    assert Visit.objects.count() == 0
    ok = _post(client, "api:create_visit", {**body, "visitor_ids": [cast.people["chief"].pk]})
    assert ok.status_code == 201


def test_a_visit_to_someone_out_of_scope_answers_as_for_a_missing_id(cast, client_for):
    stranger = make_person(cast.other_section, "龙外县")  # not even a managed cadre
    client = client_for(cast["head"])
    body = {"kind": "tour", "on": "2026-03-01", "place": "凤凰县"}
    outside = _post(client, "api:create_visit", {**body, "person_id": stranger.pk})
    missing = _post(client, "api:create_visit", {**body, "person_id": MISSING_ID})
    assert outside.status_code == missing.status_code == 422
    assert outside.json() == missing.json()
    assert stranger.name not in outside.content.decode()
