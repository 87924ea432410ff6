"""Upload forms of the import pages; what the files contain is checked by the services."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zugong.core.forms import DATE_INPUT, StyledForm
from zugong.people.models import PersonCategory


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class TargetForm(StyledForm):
    # Optional: a workbook row carries its unit code, and the check says when a new
    # person has none and no unit was chosen here.
    unit = forms.ModelChoiceField(label=_("unit for new people"), queryset=None,
                                  required=False,
                                  help_text=_("People not yet registered whose file names no "
                                              "unit join this unit."))
    category = forms.ChoiceField(label=_("category for new people"),
                                 choices=PersonCategory.choices,
                                 initial=PersonCategory.MANAGED)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class LrmxUploadForm(TargetForm):
    files = MultipleFileField(
        label=_("LRMX files"),
        help_text=_("One or more .lrmx files, legacy .lrm files with their .pic photos, "
                    "or a .zip of a folder of them."))
    field_order = ["files", "unit", "category"]


class WorkbookUploadForm(TargetForm):
    file = forms.FileField(label=_("workbook (.xlsx)"))
    field_order = ["file", "unit", "category"]


class AgeDateForm(StyledForm):
    at = forms.DateField(label=_("compute the age on"), required=False,
                         widget=DATE_INPUT)

    def day(self) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("at"):
            return self.cleaned_data["at"]
        return timezone.localdate()
