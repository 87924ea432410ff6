"""Shared form behaviour: Bootstrap classes and error highlighting on every widget."""

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin, pinyin

from .versioning import ConflictError

T = TypeVar("T")

# Django's own empty choice is a row of dashes; Chinese forms say 请选择.
EMPTY_LABEL = _("Please choose")
DASHES = "---------"


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
            _say_please_choose(field)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                mark_invalid(self.fields[name])


def mark_invalid(field) -> None:
    """Red border and aria-invalid on a field's widget (Bootstrap shows the message then)."""
    widget = field.widget
    if "is-invalid" not in widget.attrs.get("class", "").split():
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"
    widget.attrs["aria-invalid"] = "true"


def apply_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError beside the matching form fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
            if field in form.fields:
                mark_invalid(form.fields[field])
    else:
        form.add_error(None, exc.messages)


def submit(form, write: Callable[[dict], T]) -> T | None:
    """Validate ``form`` and, when it is valid, call ``write(form.cleaned_data)`` (a service).

    A service's ValidationError is shown beside the matching fields and a stale edit's
    ConflictError above the form, so a view asks ``form.errors`` afterwards instead of
    repeating the try/except around every service call. Returns what ``write`` returned,
    or None when the form or the service refused.
    """
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ConflictError as exc:
        form.add_error(None, str(exc))
    except ValidationError as exc:
        apply_errors(form, exc)
    return None


# ISO dates whatever the language: <input type="date"> reads only YYYY-MM-DD.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _say_please_choose(field) -> None:
    """Replace Django's dashed empty choice with 请选择 (model and plain choice fields)."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DASHES:
            field.empty_label = EMPTY_LABEL
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(field.choices)
        if any(value == "" and label == DASHES for value, label in choices):
            field.choices = [(v, EMPTY_LABEL if v == "" and label == DASHES else label)
                             for v, label in choices]


def person_label(obj) -> str:
    return f"{obj.name}（{obj.unit.name}）"


@lru_cache(maxsize=16384)
def pinyin_keys(name: str) -> str:
    """What a picker matches a typed text against: the name, its pinyin initials and its
    full pinyin, lower case ("张晓明 zxm zhangxiaoming").

    A surname may read otherwise than the same character in a word (曾 is zeng as a
    surname, ceng elsewhere), so every reading of the first character is offered.
    """
    if not name:
        return ""
    readings = pinyin(name[0], style=Style.NORMAL, heteronym=True, errors="ignore")
    firsts = lazy_pinyin(name[0], errors="ignore") + [r for r in (readings or [[]])[0] if r]
    firsts = list(dict.fromkeys(firsts)) or [""]
    rest = [s for s in lazy_pinyin(name[1:], errors="ignore") if s]
    keys = [name]
    for first in firsts:
        syllables = [first, *rest] if first else rest
        keys.append("".join(s[0] for s in syllables))
        keys.append("".join(syllables))
    return " ".join(dict.fromkeys(keys)).lower()


def people_choices(people, *, empty_label=None) -> list:
    """Options for a person select: people grouped by their unit in the tree's order (the
    department, its sections, then the units it manages), by name within a unit.

    ``people`` is a queryset (read once, with its units) or a list of people with units.
    """
    if hasattr(people, "select_related"):
        people = people.select_related("unit").order_by("unit__path", "name", "pk")
    else:
        people = sorted(people, key=lambda p: (p.unit.path, p.name, p.pk))
    groups: dict[str, list] = {}
    for person in people:
        groups.setdefault(person.unit.name, []).append(
            (ModelChoiceIteratorValue(person.pk, person), person.name))
    head = [("", empty_label)] if empty_label is not None else []
    return head + list(groups.items())


class PeopleIterator(ModelChoiceIterator):
    """The field's choices as ``people_choices`` groups them."""

    def __iter__(self):
        yield from people_choices(self.queryset, empty_label=self.field.empty_label)


class PickerMixin:
    """A select that app.js turns into a picker: a search box above the list that keeps
    the names matching a name or its pinyin initials (zs for 张三)."""

    def __init__(self, attrs=None, choices=()):
        attrs = {**(attrs or {}), "data-zg-picker": "",
                 "data-placeholder": _("name or pinyin initials")}
        super().__init__(attrs, choices)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        person = getattr(value, "instance", None)
        if person is not None and hasattr(person, "name"):
            option["attrs"]["data-search"] = pinyin_keys(person.name)
        return option


class PersonSelect(PickerMixin, forms.Select):
    pass


class PeopleSelect(PickerMixin, forms.SelectMultiple):
    def __init__(self, attrs=None, choices=()):
        super().__init__({"size": 8, **(attrs or {})}, choices)


class PersonChoiceField(forms.ModelChoiceField):
    """A person picker: people grouped by unit, searchable by name and pinyin initials.

    The queryset decides who is offered: views pass the people of the user's scope.
    """

    iterator = PeopleIterator
    widget = PersonSelect

    def __init__(self, *args, empty_label=EMPTY_LABEL, **kwargs):
        super().__init__(*args, empty_label=empty_label, **kwargs)

    def label_from_instance(self, obj):
        return obj.name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """A picker of several people, grouped and searchable as ``PersonChoiceField``."""

    iterator = PeopleIterator
    widget = PeopleSelect

    def label_from_instance(self, obj):
        return obj.name
