"""core.forms.submit: one place where a view runs a service for a form and shows refusals."""

from django import forms
from django.core.exceptions import ValidationError

from zugong.core.forms import StyledForm, submit
from zugong.core.versioning import CONFLICT_MESSAGE, ConflictError


class NameForm(StyledForm):
    name = forms.CharField(max_length=10)


def test_a_valid_form_calls_the_service_with_the_cleaned_data_and_returns_its_result():
    form = NameForm({"name": " 张三 "})
    assert submit(form, lambda data: ("saved", data["name"])) == ("saved", "张三")
    assert not form.errors


def test_an_invalid_form_never_reaches_the_service():
    calls = []
    form = NameForm({"name": ""})
    assert submit(form, calls.append) is None
    assert calls == [] and "name" in form.errors


def test_a_service_refusal_is_shown_beside_its_field_and_unknown_fields_above_the_form():
    def refuse(_data):
        raise ValidationError({"name": ["重名"], "elsewhere": ["另一条"]})

    form = NameForm({"name": "张三"})
    assert submit(form, refuse) is None
    assert form.errors["name"] == ["重名"]
    assert form.non_field_errors() == ["另一条"]
    assert "is-invalid" in form.fields["name"].widget.attrs["class"]


def test_a_stale_edit_is_shown_as_the_conflict_message():
    def stale(_data):
        raise ConflictError

    form = NameForm({"name": "张三"})
    assert submit(form, stale) is None
    assert form.non_field_errors() == [str(CONFLICT_MESSAGE)]
