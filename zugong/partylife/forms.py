"""Forms of the Party life pages; the services validate again (the API skips these)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zugong.core.forms import DATE_INPUT, PeopleChoiceField, PersonChoiceField, StyledForm

from .models import AttendanceStatus, Frequency, Grade, MeetingKind, ProblemSource

TEXT = forms.Textarea(attrs={"rows": 3})
EMPTY = [("", _("Please choose"))]


class MeetingForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("branch or group"), queryset=None,
                                  empty_label=_("Please choose"),
                                  error_messages={"invalid_choice": _(
                                      "Choose a branch or group you record for.")})
    kind = forms.ChoiceField(label=_("meeting kind"), choices=EMPTY + MeetingKind.choices)
    held_on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    title = forms.CharField(label=_("subject"), max_length=200)
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    chair = PersonChoiceField(label=_("chaired by"), queryset=None,
                              empty_label=_("Please choose"))
    present = PeopleChoiceField(label=_("present"), queryset=None,
                                widget=forms.CheckboxSelectMultiple)
    absent = forms.CharField(
        label=_("absent, with reasons"), required=False, widget=TEXT,
        help_text=_("One line per member: name, a colon, the reason (e.g. 王磊：出差)."))
    first_topic = forms.CharField(label=_("第一议题: what was studied"), required=False,
                                  widget=TEXT, help_text=_(
                                      "Counted once as study for each member present."))
    first_topic_hours = forms.DecimalField(label=_("第一议题 study hours"), required=False,
                                           max_digits=4, decimal_places=1, min_value=0)
    agenda = forms.CharField(label=_("other agenda items"), required=False, widget=TEXT,
                             help_text=_("One item per line."))
    minutes = forms.CharField(label=_("minutes"), required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))
    sensitive = forms.BooleanField(label=_("minutes are sensitive"), required=False,
                                   help_text=_("Read only by the chair, the branch's "
                                               "recorders and leaders; each read is logged."))

    def __init__(self, *args, units, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["chair"].queryset = members
        self.fields["present"].queryset = members
        self.members = members

    def clean_absent(self):
        """Lines "name：reason" matched to the branch's members by name."""
        by_name = {p.name: p for p in self.members}
        rows, unknown = [], []
        for line in (self.cleaned_data.get("absent") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            name, _sep, reason = line.replace("：", ":").partition(":")
            person = by_name.get(name.strip())
            if person is None:
                unknown.append(name.strip())
            else:
                rows.append((person, reason.strip()))
        if unknown:
            raise forms.ValidationError(_("Not a member of this branch: %(names)s") % {
                "names": "、".join(unknown)})
        return rows

    def clean_agenda(self):
        return [line.strip() for line in (self.cleaned_data.get("agenda") or "").splitlines()
                if line.strip()]


class MinutesForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    minutes = forms.CharField(label=_("minutes"), required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))
    sensitive = forms.BooleanField(label=_("minutes are sensitive"), required=False)


class AttendanceForm(StyledForm):
    person = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("attendance"), choices=AttendanceStatus.choices)
    reason = forms.CharField(label=_("reason for absence"), max_length=200, required=False)
    made_up_on = forms.DateField(label=_("made up on"), widget=DATE_INPUT, required=False)


class ProblemForm(StyledForm):
    person = PersonChoiceField(label=_("person concerned"), queryset=None,
                               empty_label=_("Please choose"),
                               error_messages={"invalid_choice": _(
                                   "Choose a member of this branch in your scope.")})
    source = forms.ChoiceField(label=_("source"), choices=EMPTY + ProblemSource.choices)
    found_on = forms.DateField(label=_("found on"), widget=DATE_INPUT)
    description = forms.CharField(label=_("problem"), widget=TEXT)

    def __init__(self, *args, people, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        if sources is not None:
            self.fields["source"].choices = EMPTY + sources


class MeasureForm(StyledForm):
    owner = PersonChoiceField(label=_("owner"), queryset=None, empty_label=_("Please choose"),
                              error_messages={"invalid_choice": _(
                                  "Choose a member of this branch in your scope.")})
    action = forms.CharField(label=_("rectification measure"), max_length=300, widget=TEXT)
    deadline = forms.DateField(label=_("deadline"), widget=DATE_INPUT)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class SubmitForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    evidence = forms.CharField(label=_("what was done, and the evidence"), widget=TEXT)


class VerifyForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    passed = forms.TypedChoiceField(label=_("verification"), coerce=lambda v: v == "1",
                                    choices=[("1", _("passed: close the measure")),
                                             ("0", _("not yet: back to the owner"))])
    note = forms.CharField(label=_("verification note"), max_length=300, required=False)


class RuleForm(StyledForm):
    kind = forms.ChoiceField(label=_("meeting kind"), choices=MeetingKind.choices)
    frequency = forms.ChoiceField(label=_("frequency"), choices=Frequency.choices)
    times = forms.IntegerField(label=_("times per period"), min_value=1, max_value=31)


# ---------------------------------------------------------------- the 组织生活会 flow


class TalkLinkForm(StyledForm):
    talk_id = forms.TypedChoiceField(label=_("talk held before the meeting"), coerce=int,
                                     choices=())

    def __init__(self, *args, talks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talk_id"].choices = [
            (t["id"], f"{t['held_on']:%Y-%m-%d} {t['by']} · {'、'.join(t['with'])}")
            for t in talks]


class OpinionForm(StyledForm):
    source = forms.CharField(label=_("from"), max_length=100)
    content = forms.CharField(label=_("opinion"), widget=TEXT)
    received_on = forms.DateField(label=_("received on"), widget=DATE_INPUT)


class MaterialForm(StyledForm):
    text = forms.CharField(label=_("checking material"), widget=forms.Textarea(
        attrs={"rows": 6}), help_text=_("Encrypted; read by the branch's recorders and your "
                                        "leaders."))


class CheckForm(StyledForm):
    material = forms.IntegerField(widget=forms.HiddenInput)


class SelfProblemForm(StyledForm):
    description = forms.CharField(label=_("a problem I found in myself"), widget=TEXT)


class CriticismForm(StyledForm):
    receiver = PersonChoiceField(label=_("criticism of"), queryset=None,
                                 empty_label=_("Please choose"),
                                 error_messages={"invalid_choice": _(
                                     "Choose a member of this branch in your scope.")})
    content = forms.CharField(label=_("criticism"), widget=TEXT, help_text=_(
        "Seen only by the two of you and by leaders over you both."))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = members


class AppraisalForm(StyledForm):
    person = PersonChoiceField(label=_("member"), queryset=None,
                               empty_label=_("Please choose"),
                               error_messages={"invalid_choice": _(
                                   "Choose a member of this branch in your scope.")})
    grade = forms.ChoiceField(label=_("appraisal grade"), choices=EMPTY + Grade.choices)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members


class DutyForm(StyledForm):
    person = PersonChoiceField(label=_("responsible person"), queryset=None,
                               empty_label=_("Please choose"),
                               error_messages={"invalid_choice": _(
                                   "Choose a member of this branch in your scope.")})
    duty = forms.CharField(label=_("responsibility"), max_length=300, widget=TEXT)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
