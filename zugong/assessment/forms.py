"""Forms of the assessment pages; the services validate again (the API skips these)."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zugong.core import metrics
from zugong.core.forms import DATE_INPUT, EMPTY_LABEL, StyledForm
from zugong.core.periods import Period, PeriodKind
from zugong.people.models import PersonCategory, Role

from .models import (
    A15_CODES,
    AppealOutcome,
    Consequence,
    GapDecision,
    Grade,
    PlanKind,
    QuotaRounding,
    RaterGroup,
    TieRule,
)


def period_choices(today) -> list:
    """The periods a plan may cover, chosen rather than typed: years from three years back
    to next year, and the quarters and months of last, this and next year, each group
    newest first. Values are the period keys the service reads (2026, 2026-Q1, 2026-03)."""
    years = range(today.year + 1, today.year - 4, -1)
    recent = range(today.year + 1, today.year - 2, -1)
    groups = [(PeriodKind.YEAR, years, 1), (PeriodKind.QUARTER, recent, 4),
              (PeriodKind.MONTH, recent, 12)]
    choices = []
    for kind, span, per_year in groups:
        options = []
        for year in span:
            start = Period.containing(kind, dt.date(year, 1, 1))
            for n in reversed(range(per_year)):
                period = start.shift(n)
                options.append((period.key, period.label))
        choices.append((kind.label, options))
    return choices


class PlanForm(StyledForm):
    name = forms.CharField(label=_("name"), max_length=120)
    kind = forms.ChoiceField(label=_("kind"), choices=PlanKind.choices)
    subject = forms.CharField(label=_("subject of the special assessment"), max_length=200,
                              required=False)
    period = forms.ChoiceField(label=_("period"))
    period_to = forms.ChoiceField(label=_("last period of the term"), required=False)
    window_start = forms.DateField(label=_("scoring opens"), widget=DATE_INPUT)
    window_end = forms.DateField(label=_("scoring closes"), widget=DATE_INPUT)
    template = forms.ChoiceField(label=_("template"), required=False)
    units = forms.MultipleChoiceField(label=_("units assessed"), required=False,
                                      help_text=_("None chosen: the whole department."),
                                      widget=forms.CheckboxSelectMultiple)
    categories = forms.MultipleChoiceField(label=_("categories assessed"), required=False,
                                           choices=PersonCategory.choices,
                                           widget=forms.CheckboxSelectMultiple)
    roles = forms.MultipleChoiceField(label=_("roles assessed"), required=False,
                                      choices=[(r, label) for r, label in Role.choices if r in (
                                          Role.HEAD, Role.DEPUTY, Role.SECTION_CHIEF,
                                          Role.CADRE, Role.SUPERVISION, Role.ASSESSMENT)],
                                      widget=forms.CheckboxSelectMultiple)
    top_quota = forms.DecimalField(label=_("quota of the top grade (%)"), initial=20,
                                   max_digits=4, decimal_places=1)
    quota_approval = forms.CharField(label=_("approval of a raised quota"), max_length=200,
                                     required=False)
    quota_rounding = forms.ChoiceField(label=_("rounding of the quota"),
                                       choices=QuotaRounding.choices,
                                       initial=QuotaRounding.DOWN, required=False)
    tie_rule = forms.ChoiceField(label=_("tie rule"), choices=TieRule.choices)
    appeal_days = forms.IntegerField(label=_("days to appeal"), initial=15, min_value=1,
                                     max_value=90)

    def setup(self, *, templates, units):
        choices = period_choices(timezone.localdate())
        self.fields["period"].choices = choices
        self.fields["period_to"].choices = [("", EMPTY_LABEL), *choices]
        self.fields["period"].initial = str(timezone.localdate().year)
        self.fields["template"].choices = [("", "—")] + [(str(t.pk), t.name) for t in templates]
        self.fields["units"].choices = [(str(u.pk), u.name) for u in units]


class SettingsForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    window_start = forms.DateField(label=_("scoring opens"), widget=DATE_INPUT)
    window_end = forms.DateField(label=_("scoring closes"), widget=DATE_INPUT)
    top_quota = forms.DecimalField(label=_("quota of the top grade (%)"), max_digits=4,
                                   decimal_places=1)
    quota_approval = forms.CharField(label=_("approval of a raised quota"), max_length=200,
                                     required=False)
    quota_rounding = forms.ChoiceField(label=_("rounding of the quota"),
                                       choices=QuotaRounding.choices,
                                       initial=QuotaRounding.DOWN, required=False)
    tie_rule = forms.ChoiceField(label=_("tie rule"), choices=TieRule.choices)
    political_pass = forms.DecimalField(label=_("pass line of the political standard (%)"),
                                        max_digits=5, decimal_places=2, min_value=0,
                                        max_value=100, required=False)
    appeal_days = forms.IntegerField(label=_("days to appeal"), min_value=1, max_value=90)
    band_0 = forms.DecimalField(max_digits=5, decimal_places=2)
    band_1 = forms.DecimalField(max_digits=5, decimal_places=2)
    band_2 = forms.DecimalField(max_digits=5, decimal_places=2)

    def setup(self, plan):
        labels = dict(Grade.choices)
        for i, grade in enumerate(plan.grades[:3]):
            self.fields[f"band_{i}"].label = _("lowest score of %(grade)s") % {
                "grade": labels[grade]}

    @staticmethod
    def initial_for(plan) -> dict:
        initial = {name: getattr(plan, name) for name in (
            "version", "window_start", "window_end", "top_quota", "quota_approval",
            "quota_rounding", "tie_rule", "political_pass", "appeal_days")}
        for i, (_grade, low) in enumerate(plan.bands[:3]):
            initial[f"band_{i}"] = low
        return initial

    def to_data(self, plan) -> dict:
        d = dict(self.cleaned_data)
        lows = [d.pop(f"band_{i}") for i in range(3)]
        d.pop("version")
        for name in ("quota_rounding", "political_pass"):  # left empty: unchanged
            if d.get(name) in (None, ""):
                d.pop(name, None)
        d["bands"] = [[g, float(low)] for g, low in zip(plan.grades, [*lows, 0], strict=True)]
        return d


class GroupsForm(StyledForm):
    """One weight per rater group (empty or 0: the group does not rate)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in RaterGroup.choices:
            self.fields[value] = forms.DecimalField(
                label=label, required=False, min_value=0, max_value=100, max_digits=5,
                decimal_places=2, widget=forms.NumberInput(attrs={"inputmode": "decimal"}))
            self.fields[value].widget.attrs["class"] = "form-control"


class IndicatorForm(StyledForm):
    name = forms.CharField(label=_("indicator"), max_length=100)
    weight = forms.DecimalField(label=_("weight (%)"), max_digits=5, decimal_places=2)
    max_score = forms.DecimalField(label=_("maximum score"), max_digits=6, decimal_places=2,
                                   initial=100)
    guide = forms.CharField(label=_("scoring guide"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    person = forms.ChoiceField(label=_("only for (individual indicator)"), required=False)
    metric = forms.ChoiceField(label=_("automatic from the metric"), required=False)
    formula = forms.CharField(label=_("formula"), max_length=200, required=False,
                              help_text=_("E.g. min(value / target * max_score, max_score); "
                                          "numbers, value, target, max_score, + - * /, min, "
                                          "max."))
    target = forms.DecimalField(label=_("target"), required=False, max_digits=10,
                                decimal_places=2)
    political = forms.BooleanField(label=_("the political standard"), required=False,
                                   help_text=_("Breaks ties at the quota boundary; below the "
                                               "pass line it vetoes the top grade."))

    def setup(self, people):
        self.fields["person"].choices = [("", _("everyone (common indicator)"))] + [
            (str(a.person_id), a.person.name) for a in people]
        self.fields["metric"].choices = [("", _("none: scored by raters"))] + metrics.choices()


class VetoForm(StyledForm):
    political_failed = forms.BooleanField(label=_("failed the political standard"),
                                          required=False)
    admonished = forms.BooleanField(label=_("admonished (诫勉) in the period"), required=False)
    veto_note = forms.CharField(label=_("veto note"), max_length=300, required=False)


class GapDecisionForm(StyledForm):
    decision = forms.ChoiceField(label=_("decision"), choices=GapDecision.choices)
    reason = forms.CharField(label=_("reason"), max_length=300)


class AdjustForm(StyledForm):
    grade = forms.ChoiceField(label=_("new grade"), choices=Grade.choices)
    reason = forms.CharField(label=_("reason"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def setup(self, plan):
        labels = dict(Grade.choices)
        self.fields["grade"].choices = [(g, labels[g]) for g in plan.grades]


class FeedbackForm(StyledForm):
    strengths = forms.CharField(label=_("strengths"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    shortcomings = forms.CharField(label=_("shortcomings"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    direction = forms.CharField(label=_("direction for improvement"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))


class AppealForm(StyledForm):
    reason = forms.CharField(label=_("reason for the appeal"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(StyledForm):
    outcome = forms.ChoiceField(label=_("outcome"), choices=[
        (AppealOutcome.UPHELD, AppealOutcome.UPHELD.label),
        (AppealOutcome.REJECTED, AppealOutcome.REJECTED.label)])
    answer = forms.CharField(label=_("answer"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(StyledForm):
    person = forms.ChoiceField(label=_("person"))
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    positive = forms.TypedChoiceField(label=_("kind"), coerce=lambda v: v == "1",
                                      choices=[("1", _("positive")), ("0", _("negative"))])
    text = forms.CharField(label=_("what happened"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def setup(self, people):
        self.fields["person"].choices = [(str(p.pk), f"{p.name}") for p in people]


class CodesForm(StyledForm):
    count = forms.IntegerField(label=_("number of codes"), min_value=1, max_value=500,
                               initial=20)


class RuleForm(StyledForm):
    consequence = forms.ChoiceField(label=_("consequence"), choices=Consequence.choices)
    grades = forms.MultipleChoiceField(
        label=_("annual grades"), widget=forms.CheckboxSelectMultiple,
        choices=[(code, Grade(g).label) for g, code in A15_CODES.items()])
    years = forms.IntegerField(label=_("consecutive years"), min_value=1, max_value=10)


class TemplateNameForm(StyledForm):
    name = forms.CharField(label=_("template name"), max_length=100)
