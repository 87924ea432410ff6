"""Forms of the supervision pages; the services validate again (the API skips these)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.forms import DATE_INPUT, PeopleChoiceField, PersonChoiceField, StyledForm

from .models import (
    ArchiveCategory,
    CheckKind,
    CheckResult,
    Conclusion,
    Form,
    MeasureKind,
    ObservationKind,
    PackageItem,
    RatingLevel,
    ReportKind,
    Source,
    Verdict,
)

TEXT = forms.Textarea(attrs={"rows": 3})
EMPTY = [("", _("Please choose"))]


class MeasureForm(StyledForm):
    # Someone out of scope and an id that does not exist get the same words.
    person = PersonChoiceField(label=_("cadre"), queryset=None, empty_label=_("Please choose"),
                               error_messages={"invalid_choice": _("Choose a cadre in your "
                                                                   "scope.")})
    kind = forms.ChoiceField(label=_("measure"), choices=EMPTY + MeasureKind.choices)
    form = forms.TypedChoiceField(label=_("form (四种形态)"), choices=Form.choices, coerce=int,
                                  initial=Form.FIRST)
    source = forms.ChoiceField(label=_("source"), choices=EMPTY + Source.choices)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    facts = forms.CharField(label=_("facts"), widget=TEXT,
                            help_text=_("Encrypted; read only by supervision officers and "
                                        "the head, and every read is logged."))
    reply_due = forms.DateField(label=_("reply due (inquiry)"), widget=DATE_INPUT,
                                required=False)
    impact_months = forms.IntegerField(label=_("impact period in months (admonishment)"),
                                       required=False, min_value=1, max_value=24,
                                       help_text=_("Six months by default."))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ReplyForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    replied_on = forms.DateField(label=_("replied on"), widget=DATE_INPUT)
    reply = forms.CharField(label=_("reply"), widget=TEXT)
    verdict = forms.ChoiceField(label=_("verdict"), choices=EMPTY + Verdict.choices)
    outcome = forms.CharField(label=pgettext_lazy("supervision", "outcome"), widget=TEXT,
                              required=False)


class ReportForm(StyledForm):
    kind = forms.ChoiceField(label=_("report"), choices=ReportKind.choices)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    changed_on = forms.DateField(label=_("day of the change (change report)"),
                                 widget=DATE_INPUT, required=False)
    family_jobs = forms.CharField(label=_("jobs of spouse and children"), widget=TEXT,
                                  required=False)
    marriage_abroad = forms.CharField(label=_("children married to foreigners or abroad"),
                                      widget=TEXT, required=False)
    travel_documents = forms.CharField(label=_("passports and travel permits"), widget=TEXT,
                                       required=False)
    real_estate = forms.CharField(label=_("real estate"), widget=TEXT, required=False)
    investments = forms.CharField(label=_("investments, funds, shares and insurance"),
                                  widget=TEXT, required=False)


class CheckForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    check_kind = forms.ChoiceField(label=_("check"), choices=EMPTY + CheckKind.choices)
    check_result = forms.ChoiceField(label=_("check result"), choices=EMPTY + CheckResult.choices)
    checked_on = forms.DateField(label=_("checked on"), widget=DATE_INPUT)
    handling = forms.CharField(label=_("handling"), widget=TEXT, required=False)


class PackageForm(StyledForm):
    item = forms.ChoiceField(label=_("item"), choices=EMPTY + PackageItem.choices)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class SelfCheckForm(StyledForm):
    risk = forms.CharField(label=_("risk found"), widget=TEXT)
    measure = forms.CharField(label=_("corrective measure"), widget=TEXT)
    due_on = forms.DateField(label=_("deadline"), widget=DATE_INPUT)


class CloseForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    closed_on = forms.DateField(label=pgettext_lazy("supervision", "closed on"),
                                widget=DATE_INPUT)
    closing_note = forms.CharField(label=_("how it was closed"), widget=TEXT)


class SectionRatingForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("section"), queryset=None,
                                  empty_label=_("Please choose"),
                                  error_messages={"invalid_choice": _("Choose a section in "
                                                                      "your scope.")})
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("rating"), choices=EMPTY + RatingLevel.choices)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = sections


class FamilyRatingForm(StyledForm):
    person = PersonChoiceField(label=_("cadre"), queryset=None, empty_label=_("Please choose"),
                               error_messages={"invalid_choice": _("Choose a cadre in your "
                                                                   "scope.")})
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("rating"), choices=EMPTY + RatingLevel.choices)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class StudyForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("section"), queryset=None,
                                  empty_label=_("Please choose"),
                                  error_messages={"invalid_choice": _("Choose a section in "
                                                                      "your scope.")})
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    topic = forms.CharField(label=_("topic"), max_length=200)
    participants = PeopleChoiceField(label=_("participants"), queryset=None,
                                     widget=forms.SelectMultiple(attrs={"size": 8}),
                                     error_messages={"invalid_choice": _("Choose a cadre in "
                                                                         "your scope.")})
    summary = forms.CharField(label=_("summary"), widget=TEXT, required=False,
                              help_text=_("Encrypted; every read is logged."))

    def __init__(self, *args, sections, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = sections
        self.fields["participants"].queryset = people


class ArchiveRequestForm(StyledForm):
    person = PersonChoiceField(label=_("cadre"), queryset=None, empty_label=_("Please choose"),
                               error_messages={"invalid_choice": _("Choose a cadre in your "
                                                                   "scope.")})
    reason = forms.CharField(label=_("reason"), widget=TEXT,
                             help_text=_("Encrypted; the approver and the supervision office "
                                         "read it."))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class DecisionForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(label=_("decision"), widget=forms.RadioSelect,
                                     coerce=lambda v: v == "yes",
                                     choices=[("yes", _("approve")), ("no", _("refuse"))])
    note = forms.CharField(label=_("note"), widget=TEXT, required=False,
                           help_text=_("Required when refusing."))


class LeadForm(StyledForm):
    person = PersonChoiceField(label=_("cadre"), queryset=None, empty_label=_("Please choose"),
                               error_messages={"invalid_choice": _("Choose a cadre in your "
                                                                   "scope.")})
    partner = forms.ModelChoiceField(label=_("partner department"), queryset=None,
                                     empty_label=_("Please choose"))
    on = forms.DateField(label=_("received on"), widget=DATE_INPUT)
    summary = forms.CharField(label=_("what the lead says"), widget=TEXT,
                              help_text=_("Encrypted; every read is logged."))

    def __init__(self, *args, people, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["partner"].queryset = partners


class AssignForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    assignee = forms.TypedChoiceField(label=_("assigned to"), coerce=int, choices=())

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.officers = {u.pk: u for u in officers}
        self.fields["assignee"].choices = EMPTY + [
            (u.pk, u.get_full_name() or u.username) for u in officers]

    def clean_assignee(self):
        return self.officers.get(self.cleaned_data["assignee"])


class VerifyForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    verified_on = forms.DateField(label=_("verified on"), widget=DATE_INPUT)
    findings = forms.CharField(label=_("findings"), widget=TEXT)


class LeadCloseForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    closed_on = forms.DateField(label=pgettext_lazy("supervision", "closed on"),
                                widget=DATE_INPUT)
    conclusion = forms.ChoiceField(label=_("conclusion"), choices=EMPTY + Conclusion.choices)
    conclusion_note = forms.CharField(
        label=_("basis of the conclusion"), widget=TEXT,
        help_text=_("For 容错纠错, say how the 三个区分开来 apply; for 澄清正名, to whom and "
                    "how the name was cleared."))


class ObservationForm(StyledForm):
    person = PersonChoiceField(label=_("cadre"), queryset=None, empty_label=_("Please choose"),
                               error_messages={"invalid_choice": _("Choose a cadre in your "
                                                                   "scope.")})
    kind = forms.ChoiceField(label=_("kind"), choices=EMPTY + ObservationKind.choices)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    note = forms.CharField(label=_("what was observed"), widget=TEXT,
                           help_text=_("Encrypted; every read is logged."))
    concern = forms.BooleanField(label=_("gives cause for concern"), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ArchiveEntryForm(StyledForm):
    category = forms.ChoiceField(label=_("category"), choices=EMPTY + ArchiveCategory.choices)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    title = forms.CharField(label=_("title"), max_length=200)
    note = forms.CharField(label=_("what is filed"), widget=TEXT, required=False,
                           help_text=_("Encrypted; every read is logged."))
