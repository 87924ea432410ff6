"""get_for_user: one answer (an empty 404) for missing and out-of-scope, 403 for read-only."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404

from zugong.core.access import get_for_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast):
    """The cast's people; ``visible`` is the cadre section only, as a scoped selector gives."""
    person_model = apps.get_model("people", "Person")
    mine = cast.people["cadre"]
    visible = person_model.objects.filter(unit=mine.unit)
    outside = person_model.objects.exclude(unit=mine.unit).first()
    return visible, mine, outside


def _message_of(call) -> str:
    with pytest.raises(Http404) as caught:
        call()
    return str(caught.value)


def test_a_visible_object_is_returned(people):
    visible, mine, _outside = people
    assert get_for_user(visible, mine.pk) == mine
    assert get_for_user(visible, str(mine.pk)) == mine


def test_missing_and_out_of_scope_answer_the_same_empty_404(people):
    visible, _mine, outside = people
    missing = visible.model.objects.order_by("-pk").first().pk + 1000
    out_of_scope = _message_of(lambda: get_for_user(visible, outside.pk))
    not_there = _message_of(lambda: get_for_user(visible, missing))
    assert out_of_scope == not_there == ""


@pytest.mark.parametrize("pk", ["abc", "1.5", "", None, "1; drop table", 2**70])
def test_a_pk_that_is_not_a_number_or_out_of_range_is_a_404(people, pk):
    visible, _mine, _outside = people
    with pytest.raises(Http404):
        get_for_user(visible, pk)


def test_writing_a_visible_object_without_the_right_is_403(people):
    visible, mine, _outside = people
    with pytest.raises(PermissionDenied):
        get_for_user(visible, mine.pk, write=True)
    with pytest.raises(PermissionDenied):
        get_for_user(visible, mine.pk, write=True, may_write=lambda obj: obj.pk != mine.pk)


def test_writing_with_the_right_returns_the_object(people):
    visible, mine, _outside = people
    assert get_for_user(visible, mine.pk, write=True, may_write=True) == mine
    assert get_for_user(visible, mine.pk, write=True,
                        may_write=lambda obj: obj.pk == mine.pk) == mine


def test_reading_never_asks_whether_the_user_may_write(people):
    visible, mine, _outside = people

    def refuse(obj):
        raise AssertionError("asked about writing for a read")

    assert get_for_user(visible, mine.pk, may_write=refuse) == mine


def test_writing_out_of_scope_is_still_404_not_403(people):
    visible, _mine, outside = people
    with pytest.raises(Http404):
        get_for_user(visible, outside.pk, write=True, may_write=False)
