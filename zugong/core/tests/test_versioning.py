"""versioned_update: the version is compared on the locked row, so of two editors who
both started from the same version exactly one saves and the other is told why."""

import threading
import time

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, transaction
from django.utils import translation

from conftest import make_person
from zugong.core.models import AuditEntry
from zugong.core.versioning import ConflictError, conflict_message, versioned_update


def _person():
    """A committed Person: a versioned model core may use in tests (not in code)."""
    from zugong.people import services

    unit = services.unit_create(by=None, parent=None, name="泸溪县委组织部", kind="org_dept",
                                code="433122")
    return make_person(unit, "张三", post="科员")


def _person_model():
    return apps.get_model("people", "Person")


@pytest.mark.django_db
def test_an_edit_from_the_current_version_saves_bumps_and_audits_the_change():
    person = _person()
    result = versioned_update(person, version=person.version, changes={"current_post": "副科长"},
                              snapshot=("current_post", "name"), by=None,
                              action="people.person.update")
    saved = _person_model().objects.get(pk=person.pk)
    assert (saved.current_post, saved.version) == ("副科长", 2)
    assert result.instance.version == 2
    assert result.before["current_post"] == "科员"
    assert result.changed == {"current_post": ("科员", "副科长")}
    entry = AuditEntry.objects.filter(action="people.person.update").get()
    assert entry.before == {"current_post": "科员"}
    assert entry.after == {"current_post": "副科长"}
    assert person.current_post == "科员"  # the caller's copy is not touched


@pytest.mark.django_db
def test_a_stale_edit_is_refused_and_nothing_is_saved_or_audited():
    person = _person()
    versioned_update(person, version=1, changes={"current_post": "副科长"})
    audited = AuditEntry.objects.count()
    applied = []
    with pytest.raises(ConflictError):
        versioned_update(person, version=1, changes={"current_post": "科长"},
                         apply=applied.append, action="people.person.update")
    saved = _person_model().objects.get(pk=person.pk)
    assert (saved.current_post, saved.version) == ("副科长", 2)
    assert applied == []
    assert AuditEntry.objects.count() == audited


@pytest.mark.django_db
@pytest.mark.parametrize("version", [None, "", "abc"])
def test_an_edit_without_a_readable_version_is_a_conflict(version):
    person = _person()
    with pytest.raises(ConflictError):
        versioned_update(person, version=version, changes={"current_post": "科长"})
    assert _person_model().objects.get(pk=person.pk).version == 1


@pytest.mark.django_db
def test_the_version_from_a_form_may_be_text():
    person = _person()
    assert versioned_update(person, version="1", changes={"current_post": "科长"}
                            ).instance.version == 2


@pytest.mark.django_db
def test_invalid_changes_are_refused_with_the_version_unchanged():
    person = _person()
    with pytest.raises(ValidationError) as caught:
        versioned_update(person, version=1, changes={"name": ""})
    assert "name" in caught.value.message_dict
    assert _person_model().objects.get(pk=person.pk).version == 1


@pytest.mark.django_db
def test_apply_sees_the_locked_row_and_may_abandon_the_edit():
    person = _person()
    _person_model().objects.filter(pk=person.pk).update(current_post="处长")

    def only_from_staff(locked):
        if locked.current_post != "科员":
            raise ValidationError({"current_post": ["changed meanwhile"]})
        locked.current_post = "科长"

    with pytest.raises(ValidationError):
        versioned_update(person, version=1, apply=only_from_staff)
    assert _person_model().objects.get(pk=person.pk).current_post == "处长"


@pytest.mark.django_db
def test_a_misspelt_field_name_fails_loudly():
    person = _person()
    with pytest.raises(FieldDoesNotExist):
        versioned_update(person, version=1, changes={"curent_post": "科长"})


@pytest.mark.django_db
def test_the_action_may_depend_on_what_changed():
    person = _person()
    versioned_update(person, version=1, changes={"current_post": "科长"},
                     snapshot=("current_post",), action=lambda r: "people.person." + (
                         "promote" if "current_post" in r.changed else "update"))
    assert AuditEntry.objects.filter(action="people.person.promote").exists()


def test_the_conflict_says_one_thing_in_chinese():
    with translation.override("zh-hans"):
        text = str(ConflictError())
        assert text == conflict_message()
        assert "请刷新页面" in text
    with translation.override("en"):
        assert "Reload the page" in str(ConflictError())
    assert str(ConflictError("older message")) == "older message"


def test_people_services_still_offers_the_same_error():
    from zugong.people.services import ConflictError as from_people

    assert from_people is ConflictError


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the test database on SQLite is in memory with a shared cache, "
                           "whose table locks fail at once instead of waiting, so two threads "
                           "cannot overlap there; SQLite serializes writers with immediate "
                           "transactions in production")
@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_editors_from_version_1_exactly_one_wins():
    person = _person()
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def edit(post: str, hold: float):
        try:
            start.wait(timeout=10)

            def slow(locked):
                # Keep the row locked long enough that the other editor's lock must wait.
                time.sleep(hold)

            versioned_update(person, version=1, changes={"current_post": post}, apply=slow)
            outcomes[post] = "saved"
        except ConflictError:
            outcomes[post] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=("科长", 0.5)),
               threading.Thread(target=edit, args=("处长", 0.5))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    saved = _person_model().objects.get(pk=person.pk)
    assert saved.version == 2
    winner = next(post for post, outcome in outcomes.items() if outcome == "saved")
    assert saved.current_post == winner
    assert transaction.get_autocommit()
