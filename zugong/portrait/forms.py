from django import forms
from django.utils.translation import gettext_lazy as _

from zugong.core import metrics
from zugong.core.forms import StyledForm

from .models import Dimension, Direction


class RuleForm(StyledForm):
    """One source of one dimension; ``source`` lists the registered figures."""

    dimension = forms.ChoiceField(label=_("dimension"), choices=Dimension.choices)
    source = forms.ChoiceField(label=_("source"))
    weight = forms.DecimalField(label=_("weight"), max_digits=6, decimal_places=2,
                                min_value=0.01)
    target = forms.DecimalField(label=_("target per year"), max_digits=12, decimal_places=2,
                                min_value=0.01)
    direction = forms.ChoiceField(label=_("direction"), choices=Direction.choices)
    absent_is_zero = forms.BooleanField(label=_("no records count as zero"), required=False)
    sensitive = forms.BooleanField(label=_("sensitive"), required=False)
    detail_cap = forms.CharField(label=_("capability to see the detail"), max_length=60,
                                 required=False)
    active = forms.BooleanField(label=_("in force"), required=False)
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, extra_sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = metrics.choices()
        known = {key for key, _label in choices}
        # A rule may name a hook: it stays selectable when its form is opened.
        choices += [(s, s) for s in extra_sources if s not in known]
        self.fields["source"].choices = choices


class TypeForm(StyledForm):
    """The figures of one of the five types; ``metric_keys`` lists the registered ones."""

    metric_keys = forms.MultipleChoiceField(
        label=_("figures"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Their sum over the department's people is the type's figure; choose "
                    "figures in one unit."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric_keys"].choices = [
            (m.key, f"{m.label}（{m.unit}）") for m in metrics.registered()]
        # StyledForm styles it as a select; these are check boxes.
        self.fields["metric_keys"].widget.attrs["class"] = "form-check-input"
