"""Forms of the console's own pages: starting a department."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zugong.core.forms import StyledForm


class DepartmentSetupForm(StyledForm):
    name = forms.CharField(label=_("department name"), max_length=100,
                           help_text=_("For example 某某县委组织部."))
    code = forms.CharField(label=_("unit code"), max_length=28,
                           help_text=_("The code your workbook uses for the department; "
                                       "sections get this code and a two-digit number."))
    region = forms.CharField(label=_("region code"), max_length=16, required=False,
                             help_text=_("The administrative division code (GB/T 2260), "
                                         "e.g. 433122."))
    sections = forms.CharField(label=_("sections"), required=False,
                               widget=forms.Textarea(attrs={"rows": 5}),
                               help_text=_("One section per line, e.g. 干部一室."))
    head_username = forms.CharField(label=_("head's username"), max_length=150,
                                    required=False,
                                    help_text=_("A new account that gets the head role over "
                                                "the department and everything below it."))

    def section_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("sections", "").splitlines()
                if line.strip()]


class HeadLinkForm(StyledForm):
    account = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("head's name"), max_length=50)
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
