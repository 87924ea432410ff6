"""Shared form behaviour: Bootstrap classes and error highlighting on every widget."""

from django import forms
from django.core.exceptions import ValidationError


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"
                widget.attrs["aria-invalid"] = "true"


def apply_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError beside the matching form fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# ISO dates whatever the language: <input type="date"> reads only YYYY-MM-DD.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def person_label(obj) -> str:
    return f"{obj.name}（{obj.unit.name}）"


class PersonChoiceField(forms.ModelChoiceField):
    """A person picker that shows each name with its unit, as every list does."""

    def label_from_instance(self, obj):
        return person_label(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """A picker of several people, each shown with its unit."""

    def label_from_instance(self, obj):
        return person_label(obj)
