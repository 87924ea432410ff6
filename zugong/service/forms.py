"""Forms of the service pages; the services validate again (the API skips these)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.forms import DATE_INPUT, PersonChoiceField, StyledForm

from .models import (
    DeedStatus,
    LiaisonKind,
    Mode,
    OrdererKind,
    PointKind,
    Satisfaction,
    SendItem,
    VisitKind,
)

TEXT = forms.Textarea(attrs={"rows": 3})
EMPTY = [("", _("Please choose"))]


class VisitForm(StyledForm):
    kind = forms.ChoiceField(label=pgettext_lazy("service", "kind"),
                             choices=EMPTY + VisitKind.choices)
    mode = forms.ChoiceField(label=_("how"), choices=Mode.choices, initial=Mode.ON_SITE)
    point = forms.ModelChoiceField(label=_("contact point"), queryset=None, required=False,
                                   empty_label=_("Please choose"))
    household = forms.ModelChoiceField(label=_("contact household"), queryset=None,
                                       required=False, empty_label=_("Please choose"))
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    heard = forms.CharField(label=_("what was heard"), widget=TEXT,
                            help_text=_("Encrypted at rest."))
    problem = forms.CharField(label=_("a problem the public raised (optional)"),
                              max_length=200, required=False)

    def __init__(self, *args, points, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points
        self.fields["household"].queryset = households


class ProblemForm(StyledForm):
    title = forms.CharField(label=_("problem"), max_length=200)
    on = forms.DateField(label=_("raised on"), widget=DATE_INPUT)


class AssignForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    handler = PersonChoiceField(label=_("handled by"), queryset=None, required=False,
                                empty_label=_("Please choose"),
                                error_messages={"invalid_choice": _("Choose a cadre in your "
                                                                    "scope.")})
    handler_unit = forms.CharField(label=_("or the handling unit"), max_length=100,
                                   required=False)
    on = forms.DateField(label=_("assigned on"), widget=DATE_INPUT)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = people


class SolveForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    solved_on = forms.DateField(label=_("solved on"), widget=DATE_INPUT)
    evidence = forms.CharField(label=_("evidence of the solution"), widget=TEXT)


class RateForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    satisfaction = forms.ChoiceField(label=_("satisfaction"),
                                     choices=EMPTY + Satisfaction.choices)
    rated_on = forms.DateField(label=_("rated on"), widget=DATE_INPUT)


class PairingEndForm(StyledForm):
    """Ending a contact point's or a household's pairing: its last day and why."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    until = forms.DateField(label=_("last day of the pairing"), widget=DATE_INPUT)
    # Not required here: the service refuses a blank reason with its own message, the same
    # one the API gives.
    reason = forms.CharField(label=_("reason for ending"), max_length=200, required=False)


class PointForm(StyledForm):
    person = PersonChoiceField(label=_("cadre"), queryset=None, empty_label=_("Please choose"),
                               error_messages={"invalid_choice": _("Choose a cadre in your "
                                                                   "scope.")})
    kind = forms.ChoiceField(label=pgettext_lazy("service", "kind"),
                             choices=EMPTY + PointKind.choices)
    name = forms.CharField(label=pgettext_lazy("service", "name"), max_length=100)
    on = forms.DateField(label=_("paired since"), widget=DATE_INPUT)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class HouseholdForm(StyledForm):
    person = PersonChoiceField(label=_("cadre"), queryset=None, empty_label=_("Please choose"),
                               error_messages={"invalid_choice": _("Choose a cadre in your "
                                                                   "scope.")})
    name = forms.CharField(label=_("head of household"), max_length=50)
    difficulty = forms.BooleanField(label=_("Party member in difficulty"), required=False)
    situation = forms.CharField(label=_("family situation"), widget=TEXT, required=False,
                                help_text=_("Encrypted at rest."))
    on = forms.DateField(label=_("paired since"), widget=DATE_INPUT)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class DeliveryForm(StyledForm):
    household = forms.ModelChoiceField(label=_("contact household"), queryset=None,
                                       empty_label=_("Please choose"))
    item = forms.ChoiceField(label=_("item"), choices=EMPTY + SendItem.choices)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households


class DeedForm(StyledForm):
    title = forms.CharField(label=_("practical matter"), max_length=200)
    on = forms.DateField(label=_("taken on"), widget=DATE_INPUT)


class DeedStatusForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=pgettext_lazy("service", "status"),
                               choices=DeedStatus.choices)
    done_on = forms.DateField(label=_("done on"), widget=DATE_INPUT, required=False)


class RuleForm(StyledForm):
    minimum = forms.IntegerField(label=_("at least"), min_value=0, max_value=100)


class LiaisonForm(StyledForm):
    person = PersonChoiceField(label=_("cadre"), queryset=None, empty_label=_("Please choose"),
                               error_messages={"invalid_choice": _("Choose a cadre in your "
                                                                   "scope.")})
    kind = forms.ChoiceField(label=pgettext_lazy("service", "kind"),
                             choices=EMPTY + LiaisonKind.choices)
    target = forms.CharField(label=_("liaison target"), max_length=100)
    research_topic_id = forms.TypedChoiceField(
        label=_("research topic of the department"), required=False, coerce=int,
        empty_value=None, error_messages={"invalid_choice": _(
            "Choose a research topic you can see.")})
    topic = forms.CharField(label=_("or another research topic (领题调研)"), max_length=200,
                            required=False)
    on = forms.DateField(label=_("paired since"), widget=DATE_INPUT)

    def __init__(self, *args, people, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        # The ability app's research topics (through its hook): the field stays while the
        # app is installed, even with no topic yet, so a posted id the user may not read is
        # refused rather than silently dropped; None means the app is not installed.
        if topics is None:
            del self.fields["research_topic_id"]
        else:
            self.fields["research_topic_id"].choices = [("", _("none"))] + [
                (pk, f"{t['year']} {t['title']}") for pk, t in topics.items()]


class ExpertForm(StyledForm):
    name = forms.CharField(label=_("expert"), max_length=50)
    field = forms.CharField(label=_("speciality"), max_length=100)
    employer = forms.CharField(label=_("employer"), max_length=100, required=False)


class OrderForm(StyledForm):
    orderer_kind = forms.ChoiceField(label=_("ordered by"), choices=EMPTY + OrdererKind.choices)
    orderer = forms.CharField(label=_("village or enterprise"), max_length=100)
    need = forms.CharField(label=_("what is needed"), widget=TEXT)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)


class MatchForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    expert = forms.ModelChoiceField(label=_("expert"), queryset=None,
                                    empty_label=_("Please choose"))
    on = forms.DateField(label=_("matched on"), widget=DATE_INPUT)

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts


class DeliverForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("delivered on"), widget=DATE_INPUT)
    delivery = forms.CharField(label=_("what was delivered"), widget=TEXT)


class OrderRateForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.TypedChoiceField(label=_("rating (1 to 5)"), coerce=int,
                                   choices=EMPTY + [(i, str(i)) for i in range(5, 0, -1)])


class PublicRateForm(StyledForm):
    code = forms.CharField(label=_("rating code"), max_length=20)
    satisfaction = forms.ChoiceField(label=_("satisfaction"),
                                     choices=EMPTY + Satisfaction.choices)
