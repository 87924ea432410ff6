"""Forms of the talent pages; the services validate again (the API skips these)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.forms import DATE_INPUT, PersonChoiceField, StyledForm

from .models import Category, ContactKind, Decision, ExitKind, MatterKind, ProposalStatus, Source

EMPTY = [("", _("Please choose"))]
OUT_OF_SCOPE = {"invalid_choice": _("Choose a cadre in your scope.")}
MATTER_ROWS = 3


def _person(label):
    return PersonChoiceField(label=label, queryset=None, empty_label=_("Please choose"),
                             error_messages=OUT_OF_SCOPE)


def _score(label):
    return forms.IntegerField(label=label, min_value=0, max_value=100)


class TalentForm(StyledForm):
    name = forms.CharField(label=_("full name"), max_length=50)
    category = forms.ChoiceField(label=pgettext_lazy("talent", "category"),
                                 choices=EMPTY + Category.choices)
    high_level = forms.BooleanField(label=_("high-level talent"), required=False)
    employer = forms.CharField(label=_("employer"), max_length=100)
    specialty = forms.CharField(label=_("specialty"), max_length=100, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False,
                            help_text=_("Encrypted; shown to those who manage the database."))
    leader = PersonChoiceField(label=_("contact leader"), queryset=None, required=False,
                               empty_label=_("none yet"), error_messages=OUT_OF_SCOPE)
    added_on = forms.DateField(label=_("entered on"), widget=DATE_INPUT)

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders


class EvaluateForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    ability = _score(_("ability"))
    results = _score(_("results"))
    contribution = _score(_("contribution"))
    evaluated_on = forms.DateField(label=_("evaluated on"), widget=DATE_INPUT)


class ContactForm(StyledForm):
    leader = _person(_("leader"))
    kind = forms.ChoiceField(label=pgettext_lazy("talent", "kind"), choices=ContactKind.choices)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders
        for i in range(1, MATTER_ROWS + 1):
            self.fields[f"matter_kind_{i}"] = forms.ChoiceField(
                label=_("matter %(n)s: kind") % {"n": i}, choices=EMPTY + MatterKind.choices,
                required=False)
            self.fields[f"matter_text_{i}"] = forms.CharField(
                label=_("matter %(n)s: what was raised") % {"n": i}, max_length=300,
                required=False)
            self.fields[f"matter_kind_{i}"].widget.attrs["class"] = "form-select"
            self.fields[f"matter_text_{i}"].widget.attrs["class"] = "form-control"

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("leader", "kind", "on", "note")}
        data["matters"] = [{"kind": self.cleaned_data[f"matter_kind_{i}"],
                            "text": self.cleaned_data[f"matter_text_{i}"]}
                           for i in range(1, MATTER_ROWS + 1)]
        return data


class SolveForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    solved_on = forms.DateField(label=_("solved on"), widget=DATE_INPUT)
    solution = forms.CharField(label=_("how it was solved"), max_length=300)


class CandidateForm(StyledForm):
    person = _person(_("candidate"))
    source = forms.ChoiceField(label=_("source"), choices=EMPTY + Source.choices)
    on = forms.DateField(label=_("entered on"), widget=DATE_INPUT)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class CandidateUpdateForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.IntegerField(label=_("evaluation score"), min_value=0, max_value=100,
                               required=False)
    evaluation = forms.CharField(label=_("evaluation (e.g. 实战辩才)"), max_length=300,
                                 required=False)
    trial_from = forms.DateField(label=_("trial use from"), widget=DATE_INPUT, required=False)
    trial_to = forms.DateField(label=_("trial use until"), widget=DATE_INPUT, required=False)
    decision = forms.ChoiceField(label=_("decision"), choices=Decision.choices)
    decided_on = forms.DateField(label=_("decided on"), widget=DATE_INPUT, required=False)


class ProposalForm(StyledForm):
    person = _person(_("cadre"))
    post = forms.CharField(label=_("proposed post"), max_length=100)
    reason = forms.CharField(label=_("reason"), max_length=300)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class DecideForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("decision"), choices=ProposalStatus.choices[1:])
    decided_on = forms.DateField(label=_("decided on"), widget=DATE_INPUT)


class RotationForm(StyledForm):
    person = _person(_("cadre"))
    to_unit = forms.ModelChoiceField(label=_("to"), queryset=None,
                                     empty_label=_("Please choose"),
                                     error_messages={"invalid_choice": _(
                                         "Choose another section of the same department.")})
    on = forms.DateField(label=_("planned for"), widget=DATE_INPUT)

    def __init__(self, *args, people, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["to_unit"].queryset = sections


class DoneForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("done on"), widget=DATE_INPUT)


class ExitForm(StyledForm):
    person = _person(_("cadre"))
    kind = forms.ChoiceField(label=pgettext_lazy("talent", "kind"),
                             choices=EMPTY + ExitKind.choices)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Encrypted at rest."))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
