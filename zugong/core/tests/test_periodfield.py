"""PeriodField: a Period in Python, its key in the database, a clear error for bad text."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from zugong.core.fields import PeriodField, PeriodFormField
from zugong.core.periods import Period, PeriodKind

Q4 = Period(dt.date(2026, 10, 1), PeriodKind.QUARTER)


def test_keys_read_from_the_database_become_periods():
    field = PeriodField()
    assert field.from_db_value("2026-Q4", None, connection) == Q4
    assert field.from_db_value("2026-W47", None, connection) == Period.parse("2026-W47")
    assert field.from_db_value(None, None, connection) is None


@pytest.mark.parametrize("value", ["2026-Q4", " 2026-Q4 ", Q4])
def test_to_python_accepts_a_key_or_a_period(value):
    assert PeriodField().to_python(value) == Q4


def test_the_database_gets_the_key():
    field = PeriodField()
    assert field.get_prep_value(Q4) == "2026-Q4"
    assert field.get_prep_value("2026-11") == "2026-11"
    assert field.get_prep_value(None) is None


@pytest.mark.parametrize("bad", ["2026-Q5", "2026-13", "26", "last year", "2026-W60"])
def test_an_invalid_key_is_refused_with_a_message_in_chinese(bad):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        PeriodField().clean(bad, None)
    assert caught.value.error_list[0].code == "invalid_period"
    assert bad in caught.value.messages[0]
    with pytest.raises(ValidationError):
        PeriodField().get_prep_value(bad)


def test_model_validation_measures_the_key_not_the_object():
    assert PeriodField().clean("2026-11-22", None) == Period.parse("2026-11-22")


def test_a_form_shows_the_key_and_cleans_back_to_the_same_period():
    form_field = PeriodField().formfield()
    assert isinstance(form_field, PeriodFormField)
    shown = form_field.prepare_value(Q4)
    assert shown == "2026-Q4"
    assert form_field.clean(shown) == Q4
    with pytest.raises(ValidationError):
        form_field.clean("2026-Q9")


def test_an_optional_period_left_empty_is_none():
    form_field = PeriodField(null=True, blank=True).formfield()
    assert form_field.clean("") is None
    assert PeriodField(null=True, blank=True).clean("", None) is None


def test_the_field_rebuilds_from_its_migration_form():
    name, path, args, kwargs = PeriodField(null=True).deconstruct()
    assert path == "zugong.core.fields.PeriodField"
    assert kwargs == {"null": True}
    assert PeriodField(*args, **kwargs).max_length == 10
    assert PeriodField(max_length=12).deconstruct()[3] == {"max_length": 12}
