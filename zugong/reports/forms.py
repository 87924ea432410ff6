"""Forms of the reports pages; the services validate again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zugong.core import metrics
from zugong.core.forms import StyledForm

from .catalogue import EXCLUDED
from .models import Aggregation, Audience, Rollup


def metric_choices():
    return [(m.key, f"{m.label}（{m.key}）") for m in metrics.registered()
            if m.key not in EXCLUDED]


class FigureForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    key = forms.RegexField(label=_("key"), max_length=80, regex=r"^[a-z][a-z0-9_.]*$",
                           error_messages={"invalid": _(
                               "Lower-case letters, digits, dots and underscores only.")})
    label = forms.CharField(label=_("label"), max_length=100)
    unit = forms.CharField(label=_("unit of measure"), max_length=20, required=False)
    group = forms.CharField(label=_("group"), max_length=40, required=False)
    metric_keys = forms.MultipleChoiceField(label=_("metrics"), choices=metric_choices,
                                            widget=forms.SelectMultiple(attrs={"size": 8}))
    audience = forms.ChoiceField(label=_("people counted"), choices=Audience.choices,
                                 required=False)
    aggregation = forms.ChoiceField(label=_("across people"), choices=Aggregation.choices)
    rollup = forms.ChoiceField(label=_("roll-up"), choices=Rollup.choices)
    headline = forms.BooleanField(label=_("headline"), required=False)
    position = forms.IntegerField(label=_("order"), min_value=0, max_value=100000)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["key"].disabled = True


class TemplateForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("title"), max_length=200)
    body = forms.CharField(label=_("sections"), widget=forms.Textarea(attrs={"rows": 18}),
                           help_text=_("A line starting with # opens a section; other lines "
                                       "are its paragraphs. {key} is replaced by the figure "
                                       "with that key."))
