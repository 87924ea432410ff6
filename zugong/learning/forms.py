"""Forms of the learning pages; the services validate again (the API skips these)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zugong.core import metrics
from zugong.core.forms import (
    DATE_INPUT,
    EMPTY_LABEL,
    PeopleChoiceField,
    PersonChoiceField,
    StyledForm,
)
from zugong.core.periods import PeriodKind
from zugong.people.models import PersonCategory, Role

from .models import DayBasis, ExemptionKind, OutletLevel, StudyForm, WritingKind
from .presets import preset_choices


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.ImageField):
    """Several photos in one input (a notebook's pages)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleImageField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class PersonChoiceMixin:
    """A person select, shown only to reviewers who record for others."""

    def set_people(self, people, default):
        if people is None:
            del self.fields["person"]
            return
        self.fields["person"].queryset = people
        self.fields["person"].initial = default


class RecordForm(PersonChoiceMixin, StyledForm):
    person = PersonChoiceField(label=_("person"), queryset=None, required=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StudyRecordForm(RecordForm):
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    hours = forms.DecimalField(label=_("hours"), max_digits=4, decimal_places=1,
                               widget=forms.NumberInput(attrs={"step": "0.5",
                                                               "inputmode": "decimal"}))
    form = forms.ChoiceField(label=_("form"), choices=StudyForm.choices)
    topic = forms.CharField(label=_("topic"), max_length=200)
    materials = forms.CharField(label=_("materials"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))


class NoteRecordForm(RecordForm):
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    title = forms.CharField(label=_("title"), max_length=200)
    is_paper = forms.BooleanField(label=_("paper notebook (give the count and photos)"),
                                  required=False)
    text = forms.CharField(label=_("text"), required=False,
                           help_text=_("Characters are counted without punctuation and "
                                       "spaces."),
                           widget=forms.Textarea(attrs={"rows": 8}))
    char_count = forms.IntegerField(label=_("characters written"), required=False, min_value=1)
    photos = MultipleImageField(label=_("photos of the pages"), required=False)


class BookRecordForm(RecordForm):
    on = forms.DateField(label=_("finished on"), widget=DATE_INPUT)
    title = forms.CharField(label=_("title"), max_length=200)
    author = forms.CharField(label=_("author"), max_length=100, required=False)
    reading_item = forms.ModelChoiceField(label=_("from the reading list"), queryset=None,
                                          required=False)
    summary = forms.CharField(label=_("what I took from it"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class WritingRecordForm(RecordForm):
    kind = forms.ChoiceField(label=_("kind"), choices=WritingKind.choices)
    on = forms.DateField(label=_("date written or published"), widget=DATE_INPUT)
    title = forms.CharField(label=_("title"), max_length=200)
    outlet = forms.CharField(label=_("outlet"), max_length=100, required=False)
    outlet_level = forms.ChoiceField(label=_("outlet level"), required=False,
                                     choices=[("", "—"), *OutletLevel.choices])
    link = forms.URLField(label=_("link"), required=False, assume_scheme="https")
    text = forms.CharField(label=_("text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 8}))
    # A plain input: the "currently" link of the clearable one would point at the media
    # URL, which serves nothing; the page links the stored file through its own view.
    file = forms.FileField(label=_("file or scan"), required=False, widget=forms.FileInput)


RECORD_FORMS = {"study": StudyRecordForm, "note": NoteRecordForm, "book": BookRecordForm,
                "writing": WritingRecordForm}


class ReviewForm(StyledForm):
    records = forms.CharField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("return", _("Return"))])
    reason = forms.CharField(label=_("reason for returning"), max_length=300, required=False)

    def record_keys(self) -> list[tuple[str, int]]:
        keys = []
        for item in self.cleaned_data["records"].split(","):
            kind, _sep, pk = item.strip().partition(":")
            if pk.isdigit():
                keys.append((kind, int(pk)))
        return keys


class FirstTopicForm(StyledForm):
    meeting = forms.CharField(label=_("meeting"), max_length=100)
    held_on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    hours = forms.DecimalField(label=_("hours"), max_digits=4, decimal_places=1)
    content = forms.CharField(label=_("what was studied"),
                              widget=forms.Textarea(attrs={"rows": 3}))
    attendees = PeopleChoiceField(label=_("attendees"), queryset=None)


class ReadingItemForm(StyledForm):
    title = forms.CharField(label=_("title"), max_length=200)
    author = forms.CharField(label=_("author"), max_length=100, required=False)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class MaterialForm(StyledForm):
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("file"), required=False)
    link = forms.URLField(label=_("link"), required=False, assume_scheme="https")


class RegimeCreateForm(StyledForm):
    preset = forms.ChoiceField(label=_("start from"), required=False,
                               choices=[("", _("an empty regime"))])
    name = forms.CharField(label=_("name"), max_length=100, required=False)
    valid_from = forms.DateField(label=_("rules in force from"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = [("", _("an empty regime")), *preset_choices()]


class RuleForm(StyledForm):
    metric = forms.ChoiceField(label=_("metric"), required=False)
    threshold = forms.DecimalField(label=_("at least"), max_digits=10, decimal_places=1,
                                   required=False)
    period = forms.ChoiceField(label=_("per"), choices=PeriodKind.choices)
    days = forms.ChoiceField(label=_("a daily rule counts"), choices=DayBasis.choices,
                             initial=DayBasis.WORKING, required=False)
    valid_from = forms.DateField(label=_("in force from"), widget=DATE_INPUT)
    categories = forms.MultipleChoiceField(label=_("categories"), required=False,
                                           choices=PersonCategory.choices,
                                           widget=forms.CheckboxSelectMultiple)
    roles = forms.MultipleChoiceField(label=_("roles"), required=False,
                                      choices=[(r.value, r.label) for r in Role
                                               if r.value not in ("sysadmin", "secadmin",
                                                                  "auditor")],
                                      widget=forms.CheckboxSelectMultiple)
    sections = forms.ModelMultipleChoiceField(label=_("sections"), queryset=None,
                                              required=False,
                                              widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", EMPTY_LABEL), *metrics.choices()]
        self.fields["sections"].queryset = sections
        for name in ("categories", "roles", "sections"):
            # Each option is its own checkbox, not a text box.
            self.fields[name].widget.attrs["class"] = "zg-check"


class RuleChangeForm(StyledForm):
    effective = forms.DateField(label=_("new threshold from"), widget=DATE_INPUT)
    threshold = forms.DecimalField(label=_("at least"), max_digits=10, decimal_places=1)


class CalendarDayForm(StyledForm):
    day = forms.DateField(label=_("date"), widget=DATE_INPUT)
    is_workday = forms.BooleanField(label=_("a working day (leave unticked for a holiday)"),
                                    required=False)
    note = forms.CharField(label=_("note"), max_length=100, required=False)


class RuleRetireForm(StyledForm):
    last_day = forms.DateField(label=_("last day in force"), widget=DATE_INPUT)


class RegimeSettingsForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    count_unconfirmed = forms.BooleanField(label=_("count records not yet confirmed"),
                                           required=False)
    remind_days = forms.IntegerField(label=_("remind this many days before a period ends"),
                                     min_value=0, max_value=60)
    copy_threshold = forms.DecimalField(label=_("copy-detection threshold"), min_value=0.05,
                                        max_value=1, decimal_places=2)


class ExemptionForm(StyledForm):
    person = PersonChoiceField(label=_("person"), queryset=None)
    kind = forms.ChoiceField(label=_("kind"), choices=ExemptionKind.choices)
    start = forms.DateField(label=_("from"), widget=DATE_INPUT)
    end = forms.DateField(label=_("to"), widget=DATE_INPUT)
    series = forms.TypedChoiceField(label=_("rule"), required=False, coerce=int,
                                    empty_value=None)
    reason = forms.CharField(label=_("reason"), max_length=300)
