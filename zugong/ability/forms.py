"""Forms of the ability pages; the services validate again (the API skips these)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.forms import DATE_INPUT, PeopleChoiceField, PersonChoiceField, StyledForm

from .models import AwardLevel, Rating, Series, Stage, Topic, TrainingKind

TEXT = forms.Textarea(attrs={"rows": 3})
EMPTY = [("", _("Please choose"))]
PICK = forms.SelectMultiple(attrs={"size": 8})
# Someone of another department and an id that does not exist get the same words.
NOT_HERE = {"invalid_choice": _("Choose people of the lecture's department."),
            "invalid_pk_value": _("Choose people of the lecture's department.")}
NOT_IN_DEPT = {"invalid_choice": _("Choose people of the department."),
               "invalid_pk_value": _("Choose people of the department.")}


class LectureForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    series = forms.ChoiceField(label=_("series"), choices=Series.choices, initial=Series.HALL)
    topic = forms.ChoiceField(label=_("topic"), choices=EMPTY + Topic.choices)
    title = forms.CharField(label=pgettext_lazy("ability", "title"), max_length=120)
    held_on = forms.DateField(label=_("held on"), widget=DATE_INPUT)
    place = forms.CharField(label=pgettext_lazy("ability", "place"), max_length=80,
                            required=False)
    lecturers = PeopleChoiceField(label=_("lecturers"), queryset=None, widget=PICK,
                                  error_messages=NOT_HERE,
                                  help_text=_("One or two for a session."))
    discussants = PeopleChoiceField(label=_("discussants"), queryset=None, widget=PICK,
                                    required=False, error_messages=NOT_HERE,
                                    help_text=_("Three to five in the lecture hall."))
    audience = PeopleChoiceField(label=_("audience"), queryset=None, required=False,
                                 widget=forms.SelectMultiple(attrs={"size": 12}),
                                 error_messages=NOT_HERE,
                                 help_text=_("Each person in the audience is one "
                                             "person-time trained."))
    summary = forms.CharField(label=_("summary"), widget=TEXT, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lecturers", "discussants", "audience"):
            self.fields[name].queryset = people


class PairForm(StyledForm):
    section = forms.ModelChoiceField(label=_("section"), queryset=None,
                                     empty_label=_("Please choose"),
                                     error_messages={"invalid_choice": _("Choose a section of "
                                                                         "the department.")})
    mentor = PersonChoiceField(label=_("mentor"), queryset=None, empty_label=_("Please choose"),
                               error_messages=NOT_IN_DEPT)
    mentee = PersonChoiceField(label=_("mentee"), queryset=None, empty_label=_("Please choose"),
                               error_messages=NOT_IN_DEPT)
    started_on = forms.DateField(label=_("started on"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("ends on"), widget=DATE_INPUT, required=False,
                              help_text=_("A year after the start when left empty."))
    goal_thought = forms.CharField(label=_("political and ideological goal"), widget=TEXT,
                                   required=False)
    goal_work = forms.CharField(label=_("work goal"), widget=TEXT, required=False)
    goal_life = forms.CharField(label=_("life goal"), widget=TEXT, required=False)

    def __init__(self, *args, people, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
        self.fields["mentor"].queryset = people
        self.fields["mentee"].queryset = people


class CheckInForm(StyledForm):
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    note = forms.CharField(label=pgettext_lazy("ability", "what was discussed"), widget=TEXT)


class EvaluationForm(StyledForm):
    stage = forms.ChoiceField(label=_("stage"), choices=Stage.choices)
    rating = forms.ChoiceField(label=_("rating"), choices=EMPTY + Rating.choices)
    comment = forms.CharField(label=_("comment"), widget=TEXT, required=False)


class TrainingForm(StyledForm):
    kind = forms.ChoiceField(label=_("kind"), choices=EMPTY + TrainingKind.choices)
    title = forms.CharField(label=pgettext_lazy("ability", "title"), max_length=120)
    place = forms.CharField(label=pgettext_lazy("ability", "place"), max_length=80)
    start = forms.DateField(label=_("first day"), widget=DATE_INPUT)
    end = forms.DateField(label=_("last day"), widget=DATE_INPUT)
    hours = forms.DecimalField(label=_("hours"), max_digits=6, decimal_places=1, min_value=0.5)
    participants = PeopleChoiceField(label=_("participants"), queryset=None,
                                     widget=forms.SelectMultiple(attrs={"size": 10}),
                                     error_messages=NOT_IN_DEPT)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people


class SummaryForm(StyledForm):
    kind = forms.ChoiceField(label=_("kind"), choices=[
        ("reflection", _("summary")), ("research", pgettext_lazy("ability", "report"))])
    title = forms.CharField(label=pgettext_lazy("ability", "title"), max_length=200)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("Saved once, as your learning writing: it counts in "
                                       "the learning figures."))


class CompetitionForm(StyledForm):
    title = forms.CharField(label=pgettext_lazy("ability", "title"), max_length=120)
    held_on = forms.DateField(label=_("held on"), widget=DATE_INPUT)
    entrants = PeopleChoiceField(label=_("entrants"), queryset=None,
                                 widget=forms.SelectMultiple(attrs={"size": 10}),
                                 error_messages=NOT_IN_DEPT)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entrants"].queryset = people


class TaskForm(StyledForm):
    round = forms.IntegerField(label=_("round"), min_value=1, max_value=20, initial=1)
    title = forms.CharField(label=pgettext_lazy("ability", "title"), max_length=120)
    max_score = forms.DecimalField(label=_("full marks"), max_digits=6, decimal_places=1,
                                   min_value=0.5, initial=100)


class ScoreForm(StyledForm):
    entrant = forms.ModelChoiceField(label=_("entrant"), queryset=None,
                                     empty_label=_("Please choose"))
    task = forms.ModelChoiceField(label=_("competition task"), queryset=None,
                                  empty_label=_("Please choose"))
    points = forms.DecimalField(label=pgettext_lazy("ability", "points"), max_digits=6,
                                decimal_places=1, min_value=0)

    def __init__(self, *args, competition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entrant"].queryset = competition.entrants.select_related("person")
        self.fields["entrant"].label_from_instance = lambda e: e.person.name
        self.fields["task"].queryset = competition.tasks.all()


class AwardForm(StyledForm):
    entrant = forms.ModelChoiceField(label=_("entrant"), queryset=None,
                                     empty_label=_("Please choose"))
    award = forms.ChoiceField(label=pgettext_lazy("ability", "award"),
                              choices=[("", _("none"))] + AwardLevel.choices,
                              required=False)

    def __init__(self, *args, competition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entrant"].queryset = competition.entrants.select_related("person")
        self.fields["entrant"].label_from_instance = lambda e: e.person.name


class LectureAwardForm(StyledForm):
    """A term's award given from the ranking page: the lectures offered are the term's
    scored ones (``lectures``), so a lecture of another term or department is refused."""

    start = forms.DateField(widget=forms.HiddenInput)
    end = forms.DateField(widget=forms.HiddenInput)
    lecture = forms.ModelChoiceField(label=_("lecture"), queryset=None,
                                     empty_label=_("Please choose"),
                                     error_messages={"invalid_choice": _(
                                         "Choose a lecture of the term's ranking.")})
    level = forms.ChoiceField(label=_("award level"), choices=EMPTY + AwardLevel.choices)
    title = forms.CharField(label=_("award title"), max_length=60, required=False)

    def __init__(self, *args, lectures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lecture"].queryset = lectures
        self.fields["lecture"].label_from_instance = (
            lambda lec: f"{lec.held_on:%Y-%m-%d} {lec.title}")


class RotationSwapForm(StyledForm):
    """A swap of two sessions, kept with the rotation; the hidden fields carry the plan the
    leader is looking at, so the service checks the swap against the same plan."""

    start = forms.DateField(widget=forms.HiddenInput)
    weeks = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=60)
    weekday = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=4)
    first_day = forms.DateField(label=_("first session day"), widget=DATE_INPUT)
    second_day = forms.DateField(label=_("second session day"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("reason"), max_length=100, required=False)


class TopicForm(StyledForm):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=pgettext_lazy("ability", "title"), max_length=150)
    leader = PersonChoiceField(label=_("team leader"), queryset=None,
                               empty_label=_("Please choose"), error_messages=NOT_IN_DEPT)
    members = PeopleChoiceField(label=_("team members"), queryset=None, required=False,
                                widget=forms.SelectMultiple(attrs={"size": 8}),
                                error_messages=NOT_IN_DEPT)
    milestones = forms.CharField(
        label=_("milestones"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: the step, a space, its due day (深入调研 2026-06-30)."))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = people
        self.fields["members"].queryset = people

    def clean_milestones(self):
        steps = []
        for line in self.cleaned_data["milestones"].splitlines():
            if not line.strip():
                continue
            title, _sep, day = line.strip().rpartition(" ")
            try:
                due = dt.date.fromisoformat(day.strip())
            except ValueError:
                raise forms.ValidationError(
                    _("Write each milestone as the step, a space and a day such as "
                      "2026-06-30.")) from None
            steps.append((title.strip() or day, due))
        return steps


class MilestoneDoneForm(StyledForm):
    milestone = forms.ModelChoiceField(label=_("milestone"), queryset=None,
                                       empty_label=_("Please choose"))
    done_on = forms.DateField(label=_("done on"), widget=DATE_INPUT)

    def __init__(self, *args, topic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = topic.milestones.filter(done_on__isnull=True)


class ReportForm(StyledForm):
    title = forms.CharField(label=pgettext_lazy("ability", "title"), max_length=200)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("Saved once, as your learning writing: it counts in "
                                       "the learning figures."))


class AdoptForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    adopted_on = forms.DateField(label=_("adopted on"), widget=DATE_INPUT)
    adoption = forms.CharField(label=_("how the leaders adopted it"), widget=TEXT)


class LedgerForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    post = forms.CharField(label=_("post"), max_length=100)
    duties = forms.CharField(label=_("what the job holds"),
                             widget=forms.Textarea(attrs={"rows": 5}))
    contacts = forms.CharField(label=_("contacts"), widget=TEXT, required=False)
    open_matters = forms.CharField(label=_("open matters"), widget=TEXT, required=False)


# ---------------------------------------------------------------- lecture scoring

SCORE_ERRORS = {"required": _("Give a score from 0 to 100."),
                "invalid": _("Give a score from 0 to 100."),
                "min_value": _("Give a score from 0 to 100."),
                "max_value": _("Give a score from 0 to 100."),
                "max_decimal_places": _("Give a score from 0 to 100."),
                "max_digits": _("Give a score from 0 to 100.")}
WEIGHT_ERRORS = {"required": _("Give a whole number from 0 to 100."),
                 "invalid": _("Give a whole number from 0 to 100."),
                 "min_value": _("Give a whole number from 0 to 100."),
                 "max_value": _("Give a whole number from 0 to 100.")}


def _score_field(label):
    return forms.DecimalField(label=label, min_value=0, max_value=100, decimal_places=2,
                              max_digits=5, error_messages=SCORE_ERRORS,
                              widget=forms.NumberInput(attrs={"inputmode": "decimal",
                                                              "step": "0.5"}))


class SchemeForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    leaders_weight = forms.IntegerField(label=_("weight of the leaders' comment (%)"),
                                        min_value=0, max_value=100, error_messages=WEIGHT_ERRORS)
    peers_weight = forms.IntegerField(label=_("weight of the peer review (%)"), min_value=0,
                                      max_value=100, error_messages=WEIGHT_ERRORS)
    audience_weight = forms.IntegerField(label=_("weight of the audience evaluation (%)"),
                                         min_value=0, max_value=100,
                                         error_messages=WEIGHT_ERRORS)


class CommentForm(StyledForm):
    score = _score_field(pgettext_lazy("ability", "score"))
    comment = forms.CharField(label=_("comment"), widget=TEXT, required=False)


class BallotForm(StyledForm):
    score = _score_field(_("your score (out of 100)"))


class CodesForm(StyledForm):
    count = forms.IntegerField(label=_("number of codes"), min_value=1, max_value=500,
                               error_messages={
                                   "required": _("Issue between 1 and 500 codes at a time."),
                                   "invalid": _("Issue between 1 and 500 codes at a time."),
                                   "min_value": _("Issue between 1 and 500 codes at a time."),
                                   "max_value": _("Issue between 1 and 500 codes at a time.")})
