from django import forms
from django.utils.translation import gettext_lazy as _

from zugong.core.forms import DATE_INPUT, PeopleChoiceField, PersonChoiceField, StyledForm
from zugong.people.models import OrgUnit, Person, UnitKind

from .models import Channel, Satisfaction, Source, StandardItem, Target, Task


class VersionForm(StyledForm):
    """The task's version the page showed, sent back with an edit (see versioned_update)."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TaskForm(StyledForm):
    title = forms.CharField(label=_("title"), max_length=200)
    section = forms.ModelChoiceField(label=_("section"), queryset=OrgUnit.objects.none())
    lead = PersonChoiceField(label=_("lead person"), queryset=Person.objects.none())
    co_workers = PeopleChoiceField(label=_("co-workers"), required=False,
                                   queryset=Person.objects.none())
    deputy = PersonChoiceField(label=_("deputy in charge"), required=False,
                               queryset=Person.objects.none())
    source = forms.ChoiceField(label=_("source"), choices=Source.choices)
    target = forms.ModelChoiceField(label=_("target"), required=False,
                                    queryset=Target.objects.none())
    parent = forms.ModelChoiceField(label=_("parent task"), required=False,
                                    queryset=Task.objects.none())
    weight = forms.DecimalField(label=_("weight"), initial=1, max_digits=5, decimal_places=1)
    start = forms.DateField(label=_("start"), widget=DATE_INPUT)
    deadline = forms.DateField(label=_("deadline"), widget=DATE_INPUT)

    def __init__(self, *args, units, people, targets, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = units.filter(kind=UnitKind.SECTION)
        for name in ("lead", "co_workers", "deputy"):
            self.fields[name].queryset = people
        self.fields["target"].queryset = targets
        self.fields["parent"].queryset = parents


class EntryForm(VersionForm):
    on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    text = forms.CharField(label=_("progress"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("percentage"), required=False, min_value=0,
                                 max_value=100)
    evidence = forms.FileField(label=_("evidence file"), required=False)


class DecisionForm(VersionForm):
    text = forms.CharField(label=_("instruction"), max_length=1000)
    new_deadline = forms.DateField(label=_("new deadline"), required=False, widget=DATE_INPUT)


class BackdateForm(VersionForm):
    """The deputy's decision on a completion dated before the day it was recorded."""

    decision = forms.ChoiceField(
        label=_("decision"), choices=(("approve", _("approve")), ("refuse", _("refuse"))),
        error_messages={"required": _("Choose to approve or refuse."),
                        "invalid_choice": _("Choose to approve or refuse.")})


class ReasonForm(VersionForm):
    reason = forms.CharField(label=_("reason"), max_length=300)


class MonthlyItemForm(StyledForm):
    section = forms.ModelChoiceField(label=_("section"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("item"), max_length=200)
    task = forms.ModelChoiceField(label=_("task"), required=False, queryset=Task.objects.none())

    def __init__(self, *args, units, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = units.filter(kind=UnitKind.SECTION)
        self.fields["task"].queryset = tasks


class SignoffForm(StyledForm):
    evidence = forms.FileField(label=_("evidence file"), required=False)
    note = forms.CharField(label=_("evidence"), required=False, max_length=300)


class InquiryForm(StyledForm):
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices)
    received_on = forms.DateField(label=_("received on"), widget=DATE_INPUT)
    inquirer = forms.CharField(label=_("inquirer"), max_length=100)
    question = forms.CharField(label=_("question"), widget=forms.Textarea(attrs={"rows": 2}))
    handled_by = PersonChoiceField(label=_("handed to"), required=False,
                                   queryset=Person.objects.none())
    due = forms.DateField(label=_("time limit"), widget=DATE_INPUT)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handled_by"].queryset = people


class InquiryCloseForm(StyledForm):
    reply = forms.CharField(label=_("reply"), widget=forms.Textarea(attrs={"rows": 2}))
    satisfaction = forms.ChoiceField(label=_("satisfaction"), choices=Satisfaction.choices)
    # The service standard's points in use (data: tasks.StandardItem), ticked as kept.
    standard = forms.ModelMultipleChoiceField(
        label=_("service standard kept"), required=False,
        queryset=StandardItem.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].widget.attrs["class"] = "form-check-input"


class InquiryRateForm(StyledForm):
    """The inquirer's own rating on the public page, with the code handed over."""

    code = forms.CharField(label=_("rating code"), max_length=20)
    rating = forms.ChoiceField(label=_("satisfaction"),
                               choices=[("", _("Please choose")), *Satisfaction.choices])
    comment = forms.CharField(label=_("comment (optional)"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3}))


class HandoverForm(StyledForm):
    person = PersonChoiceField(label=_("person leaving"), queryset=Person.objects.none())
    successor = PersonChoiceField(label=_("successor"), queryset=Person.objects.none())
    note = forms.CharField(label=_("handover note"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["successor"].queryset = people


class TargetForm(StyledForm):
    title = forms.CharField(label=_("target"), max_length=200)

