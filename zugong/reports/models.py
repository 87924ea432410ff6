"""The catalogue of figures, the annual report's template and the roll-up summaries."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zugong.core import metrics


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum over people")
    PEOPLE = "people", _("People with at least one")


class Rollup(models.TextChoices):
    SUM = "sum", _("Add up the units")
    NONE = "none", _("Not rolled up")


class Audience(models.TextChoices):
    ALL = "", _("Everyone")
    ORG_CADRE = "org_cadre", _("Organization cadres")
    MANAGED = "managed", _("Managed cadres")


class Figure(models.Model):
    """A figure a department reports, defined over registered metrics (kept as data)."""

    key = models.CharField(_("key"), max_length=80, unique=True, validators=[
        RegexValidator(r"^[a-z][a-z0-9_.]*$", _("Lower-case letters, digits, dots and "
                                                "underscores only."))])
    label = models.CharField(_("label"), max_length=100)
    unit = models.CharField(_("unit of measure"), max_length=20, blank=True)
    group = models.CharField(_("group"), max_length=40, blank=True)
    metric_keys = models.JSONField(_("metrics"), default=list,
                                   help_text=_("The registered metrics added together."))
    audience = models.CharField(_("people counted"), max_length=20, blank=True,
                                choices=Audience.choices, default=Audience.ALL)
    aggregation = models.CharField(_("across people"), max_length=10,
                                   choices=Aggregation.choices, default=Aggregation.SUM)
    rollup = models.CharField(_("roll-up"), max_length=10, choices=Rollup.choices,
                              default=Rollup.SUM)
    headline = models.BooleanField(_("headline"), default=False)
    position = models.PositiveIntegerField(_("order"), default=0)
    # Where the records are listed when the first metric has no list page of its own.
    records_view = models.CharField(_("records page"), max_length=80, blank=True)
    records_params = models.JSONField(_("records page filters"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["position", "key"]
        constraints = [
            models.CheckConstraint(condition=models.Q(aggregation__in=Aggregation.values),
                                   name="reports_figure_aggregation"),
            models.CheckConstraint(condition=models.Q(rollup__in=Rollup.values),
                                   name="reports_figure_rollup"),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        keys = self.metric_keys
        if not isinstance(keys, list) or not keys or \
                not all(isinstance(k, str) for k in keys):
            raise ValidationError({"metric_keys": _("Name at least one metric.")})
        unknown = [k for k in keys if not metrics.exists(k)]
        if unknown:
            raise ValidationError({"metric_keys": _("Unknown metric: %(keys)s") % {
                "keys": "、".join(unknown)}})
        # Counting people who did something needs one metric: the people of two metrics
        # cannot be added without counting someone twice.
        if self.aggregation == Aggregation.PEOPLE and len(keys) != 1:
            raise ValidationError({"metric_keys": _(
                "A count of people is defined over exactly one metric.")})


class ReportTemplate(models.Model):
    """The sections of a department's annual report; "{figure key}" marks a number.

    ``department`` empty is the default every department starts from.
    """

    department = models.OneToOneField("people.OrgUnit", models.CASCADE, null=True,
                                      blank=True, related_name="+",
                                      verbose_name=_("department"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("sections"), help_text=_(
        "A line starting with # opens a section; other lines are its paragraphs. "
        "{key} is replaced by the figure with that key."))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")

    def __str__(self):
        return self.title


class FigureSummary(models.Model):
    """One metric's total over a unit's whole subtree for one month or year, by category.

    Written only by ``services.summaries_refresh`` (the nightly job or a leader's
    refresh); roll-up pages read these rows instead of the records.
    """

    unit = models.ForeignKey("people.OrgUnit", models.CASCADE, related_name="+")
    metric = models.CharField(max_length=100)
    period = models.CharField(max_length=10)  # a month key "2026-03" or a year "2026"
    category = models.CharField(max_length=20)
    value = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    people = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("figure summary")
        verbose_name_plural = _("figure summaries")
        constraints = [models.UniqueConstraint(fields=["period", "unit", "metric", "category"],
                                               name="reports_summary_unique")]

    def __str__(self):
        return f"{self.metric} {self.period} {self.unit_id}"
