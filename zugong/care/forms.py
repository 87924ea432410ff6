"""Forms of the care pages; the services validate again (the API skips these)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.forms import DATE_INPUT, PeopleChoiceField, PersonChoiceField, StyledForm

from .models import ActivityKind, BirthdayForm, HardshipKind, HealthKind

TEXT = forms.Textarea(attrs={"rows": 3})
EMPTY = [("", _("Please choose"))]
OUT_OF_SCOPE = {"invalid_choice": _("Choose a cadre in your scope."),
                "invalid_pk_value": _("Choose a cadre in your scope.")}


def _person(label=None):
    return PersonChoiceField(label=label or _("cadre"), queryset=None,
                             empty_label=_("Please choose"), error_messages=OUT_OF_SCOPE)


class ActivityForm(StyledForm):
    kind = forms.ChoiceField(label=pgettext_lazy("care", "kind"),
                             choices=EMPTY + ActivityKind.choices)
    title = forms.CharField(label=pgettext_lazy("care", "title"), max_length=100)
    held_on = forms.DateField(label=_("held on"), widget=DATE_INPUT)
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    organizer = _person(_("organizer"))
    participants = PeopleChoiceField(label=_("participants"), queryset=None, required=False,
                                     error_messages=OUT_OF_SCOPE,
                                     widget=forms.SelectMultiple(attrs={"size": 10}))
    family_guests = forms.IntegerField(label=_("family members who came"), min_value=0,
                                       max_value=500, required=False,
                                       help_text=_("For 家属走进组织部 only."))
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = people
        self.fields["participants"].queryset = people


class JoinForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    participants = PeopleChoiceField(label=_("participants"), queryset=None,
                                     error_messages=OUT_OF_SCOPE,
                                     widget=forms.SelectMultiple(attrs={"size": 10}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people


class BirthdayMarkForm(StyledForm):
    person = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    form = forms.ChoiceField(label=_("how it was marked"), choices=BirthdayForm.choices)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class LeaveForm(StyledForm):
    person = _person()
    on = forms.DateField(label=_("first day"), widget=DATE_INPUT)
    until = forms.DateField(label=_("last day"), widget=DATE_INPUT)
    days = forms.DecimalField(label=_("working days"), min_value=0.5, max_value=15,
                              decimal_places=1)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class HealthForm(StyledForm):
    person = _person()
    kind = forms.ChoiceField(label=pgettext_lazy("care", "kind"),
                             choices=EMPTY + HealthKind.choices)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    days = forms.IntegerField(label=_("days"), min_value=1, max_value=60, initial=1)
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    findings = forms.CharField(label=_("findings and advice"), widget=TEXT, required=False,
                               help_text=_("Encrypted; read only by the department's "
                                           "leaders, and every read is logged."))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class HardshipForm(StyledForm):
    person = _person()
    kind = forms.ChoiceField(label=pgettext_lazy("care", "kind"),
                             choices=EMPTY + HardshipKind.choices)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    situation = forms.CharField(label=_("situation"), widget=TEXT,
                                help_text=_("Encrypted; read only by the department's "
                                            "leaders, and every read is logged."))
    support = forms.CharField(label=_("support given"), widget=TEXT, required=False)
    amount = forms.DecimalField(label=_("relief money (yuan)"), min_value=0,
                                max_digits=9, decimal_places=2, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class HardshipCloseForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    closed_on = forms.DateField(label=pgettext_lazy("care", "closed on"), widget=DATE_INPUT)
    support = forms.CharField(label=_("support given"), widget=TEXT, required=False)
