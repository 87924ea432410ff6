"""Forms of the talks pages; the services validate again (the API skips these)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zugong.core.forms import (
    DATE_INPUT,
    PeopleChoiceField,
    PeopleSelect,
    PersonChoiceField,
    StyledForm,
)
from zugong.core.periods import PeriodKind

from .models import DIFFICULTY_NOTE_MAX, Relation, TalkKind, TriggerKind, VisitKind


class TalkForm(StyledForm):
    with_people = PeopleChoiceField(label=_("talked with"), queryset=None,
                              widget=PeopleSelect(attrs={"size": 6}))
    held_on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    kind = forms.ChoiceField(label=_("kind"), choices=TalkKind.choices)
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    summary = forms.CharField(label=_("what was discussed"), required=False,
                              help_text=_("Seen only by the parties, their leaders and the "
                                          "supervision officers."),
                              widget=forms.Textarea(attrs={"rows": 4}))
    follow_text = forms.CharField(label=_("follow-up item"), max_length=300, required=False)
    follow_owner = PersonChoiceField(label=_("owner"), queryset=None, required=False)
    follow_due = forms.DateField(label=_("due"), widget=DATE_INPUT, required=False)

    def __init__(self, *args, people, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["with_people"].queryset = people
        self.fields["follow_owner"].queryset = owners

    def follow_ups(self) -> list[dict]:
        data = self.cleaned_data
        if not (data.get("follow_text") or "").strip():
            return []
        return [{"text": data["follow_text"], "owner": data.get("follow_owner"),
                 "due_on": data.get("follow_due")}]


class TriggerForm(StyledForm):
    person = PersonChoiceField(label=_("person"), queryset=None)
    kind = forms.ChoiceField(label=_("occasion"), choices=TriggerKind.choices)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class UnitChangeForm(StyledForm):
    person = PersonChoiceField(label=_("person"), queryset=None)
    to_unit = forms.ModelChoiceField(label=_("moved to"), queryset=None)
    on = forms.DateField(label=_("moved on"), widget=DATE_INPUT)


class RuleForm(StyledForm):
    relation = forms.ChoiceField(label=_("who with whom"), choices=Relation.choices)
    threshold = forms.IntegerField(label=_("at least (talks)"), min_value=1, initial=1)
    period = forms.ChoiceField(label=_("per"), choices=PeriodKind.choices,
                               initial=PeriodKind.YEAR)
    within_days = forms.IntegerField(label=_("within days (occasions)"), min_value=1,
                                     initial=15, required=False)
    remind_days = forms.IntegerField(label=_("remind days before due"), min_value=0,
                                     initial=14)


class TermForm(StyledForm):
    name = forms.CharField(label=_("name"), max_length=100)
    start = forms.DateField(label=_("from"), widget=DATE_INPUT)
    end = forms.DateField(label=_("to"), widget=DATE_INPUT)
    follow_up_months = forms.CharField(label=_("return visits, months after promotion"),
                                       initial="6,12", max_length=50)
    handling_days = forms.IntegerField(label=_("visit within days of organizational handling"),
                                       min_value=1, initial=7)
    home_visit_days = forms.IntegerField(label=_("home visit within days of the difficulty"),
                                         min_value=1, initial=30)

    def clean_follow_up_months(self):
        raw = self.cleaned_data["follow_up_months"].replace("，", ",")
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(_("Whole numbers of months, separated by commas."))
        return [int(p) for p in parts]


class VisitForm(StyledForm):
    person = PersonChoiceField(label=_("visited"), queryset=None)
    visitors = PeopleChoiceField(label=_("visitors"), queryset=None, required=False,
                           widget=PeopleSelect(attrs={"size": 4}))
    kind = forms.ChoiceField(label=_("kind"), choices=VisitKind.choices)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    place = forms.CharField(label=_("place"), max_length=100)
    findings = forms.CharField(label=_("what was learned"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    problem = forms.CharField(label=_("problem raised"), max_length=300, required=False)
    problem_follow_up = forms.CharField(label=_("follow-up"), max_length=300, required=False)
    problem_solved_on = forms.DateField(label=_("solved on"), widget=DATE_INPUT, required=False)

    def problems(self) -> list[dict]:
        data = self.cleaned_data
        if not (data.get("problem") or "").strip():
            return []
        return [{"text": data["problem"], "follow_up": data.get("problem_follow_up", ""),
                 "solved_on": data.get("problem_solved_on")}]


class ProblemForm(StyledForm):
    follow_up = forms.CharField(label=_("follow-up"), max_length=300, required=False)
    solved_on = forms.DateField(label=_("solved on"), widget=DATE_INPUT, required=False)


class FlagsForm(StyledForm):
    is_key = forms.BooleanField(label=_("key cadre (visit within the year)"), required=False)
    difficulty_since = forms.DateField(label=_("in difficulty since"), widget=DATE_INPUT,
                                       required=False)
    difficulty_note = forms.CharField(label=_("difficulty"), max_length=DIFFICULTY_NOTE_MAX,
                                      required=False)
    handling_since = forms.DateField(label=_("under organizational handling since"),
                                     widget=DATE_INPUT, required=False)
