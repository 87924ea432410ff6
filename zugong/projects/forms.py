"""Forms of the projects pages; the services validate again (the API skips these)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.forms import DATE_INPUT, StyledForm

from .models import AdoptionLevel, Award, Category, FollowUpKind, IdeaKind

TEXT = forms.Textarea(attrs={"rows": 3})
EMPTY = [("", _("Please choose"))]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DeclareForm(StyledForm):
    unit = UnitChoiceField(label=_("declaring unit"), queryset=None,
                           empty_label=_("Please choose"))
    title = forms.CharField(label=_("project"), max_length=200)
    summary = forms.CharField(label=_("summary"), widget=TEXT)
    on = forms.DateField(label=_("declared on"), widget=DATE_INPUT)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ClassifyForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    category = forms.ChoiceField(label=pgettext_lazy("projects", "category"),
                                 choices=EMPTY + Category.choices)
    guiding_section = UnitChoiceField(label=_("guiding section"), queryset=None,
                                      empty_label=_("Please choose"))
    on = forms.DateField(label=_("classified on"), widget=DATE_INPUT)

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guiding_section"].queryset = sections


class FundForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    funding = forms.DecimalField(label=_("reward fund granted (yuan)"), min_value=0,
                                 max_digits=10, decimal_places=2)


class FinishForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    finished_on = forms.DateField(label=pgettext_lazy("projects", "finished on"), widget=DATE_INPUT)
    result = forms.CharField(label=_("results"), widget=TEXT)
    award = forms.ChoiceField(label=pgettext_lazy("projects", "award"), required=False,
                              choices=[("", _("none"))] + Award.choices)
    awarded_on = forms.DateField(label=_("awarded on"), widget=DATE_INPUT, required=False)


class FollowUpForm(StyledForm):
    kind = forms.ChoiceField(label=pgettext_lazy("projects", "kind"),
                             choices=FollowUpKind.choices)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    note = forms.CharField(label=_("what was found and advised"), widget=TEXT)


class RuleForm(StyledForm):
    minimum = forms.IntegerField(label=_("at least"), min_value=0, max_value=10)


class IdeaForm(StyledForm):
    """A 好点子 or 好主意 is typed here; a 好信息 is chosen among the cadre's own
    information items in the learning records (never typed twice). The service says
    which fields the chosen kind needs."""

    kind = forms.ChoiceField(label=pgettext_lazy("projects", "kind"),
                             choices=EMPTY + IdeaKind.choices)
    title = forms.CharField(label=_("title"), max_length=200, required=False,
                            help_text=_("For a good idea or proposal."))
    content = forms.CharField(label=_("content"), widget=TEXT, required=False,
                              help_text=_("For a good idea or proposal."))
    writing_id = forms.TypedChoiceField(
        label=_("information item (from your learning records)"), coerce=int,
        required=False, empty_value=None,
        help_text=_("For good information: write the item once under Learning records → "
                    "Writing (kind: information item), then choose it here."))

    def __init__(self, *args, writings: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["writing_id"].choices = EMPTY + [
            (pk, f"{w['on']:%Y-%m-%d} · {w['title']}") for pk, w in writings.items()]


class ReviewForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.IntegerField(label=_("score (0 to 100)"), min_value=0, max_value=100)
    on = forms.DateField(label=_("rated on"), widget=DATE_INPUT)
    adopted = forms.BooleanField(label=_("adopted for leaders' decisions"), required=False)
    adopted_for = forms.CharField(label=_("adopted for"), max_length=200, required=False)
    reward = forms.DecimalField(label=_("reward (yuan)"), min_value=0, max_digits=8,
                                decimal_places=2, required=False)


class AdoptionForm(StyledForm):
    """The item is chosen among the learning app's records (by id), never typed again."""

    writing_id = forms.TypedChoiceField(label=_("information item or article"), coerce=int)
    level = forms.ChoiceField(label=_("outlet level"), choices=EMPTY + AdoptionLevel.choices)
    outlet = forms.CharField(label=_("adopted by"), max_length=100,
                             help_text=_("E.g. 《组工信息》 of the provincial department."))
    on = forms.DateField(label=_("adopted on"), widget=DATE_INPUT)

    def __init__(self, *args, writings: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["writing_id"].choices = EMPTY + [
            (pk, f"{w['on']:%Y-%m-%d} {w['person']} · {w['title']}")
            for pk, w in writings.items()]
