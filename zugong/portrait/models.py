"""The portrait's rules, kept as data: which figures feed each of the five dimensions of
五看五比 (M16), with what weight and what target, and which figures stand for each of the
five types of the department's own view (五型机关, M17). Both are kept per department: rows
without a department are the installation's defaults, and a department's first edit copies
the set in force into rows of its own. The scores themselves are never stored: they are
computed from the records each time (``score.py``), so they cannot go stale."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.people.models import OrgUnit


class Dimension(models.TextChoices):
    """五看五比: 看党性比政治素质, 看能力比业务精疏, 看态度比奉献精神, 看作风比服务质量,
    看实绩比工作成效."""

    PARTY = "party", pgettext_lazy("portrait", "Party spirit")
    ABILITY = "ability", pgettext_lazy("portrait", "Ability")
    ATTITUDE = "attitude", pgettext_lazy("portrait", "Attitude")
    STYLE = "style", pgettext_lazy("portrait", "Conduct")
    RESULTS = "results", pgettext_lazy("portrait", "Results")


class Direction(models.TextChoices):
    UP = "up", _("more is better")
    DOWN = "down", _("fewer is better")


class SourceRule(models.Model):
    """One source of one dimension: a registered figure (metric key) or a registry hook,
    its weight, and the yearly value that earns full marks (or, for "fewer is better",
    the value that takes the part to zero)."""

    # Empty: the installation's default set, which every department without a set of its
    # own (and with none above it) scores by.
    department = models.ForeignKey(OrgUnit, models.CASCADE, null=True, blank=True,
                                   related_name="+", verbose_name=_("department"))
    dimension = models.CharField(_("dimension"), max_length=10, choices=Dimension.choices)
    source = models.CharField(_("source"), max_length=80,
                              help_text=_("A metric key, or hook:<name> for a registry hook."))
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    target = models.DecimalField(_("target per year"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices,
                                 default=Direction.UP)
    # A rate (on-time share, assessment score) with no records in a year says nothing about
    # that year, so its weight drops out; a count with no records is a real zero.
    absent_is_zero = models.BooleanField(_("no records count as zero"), default=True)
    # Sensitive sources (supervision measures): the score always counts them, but their
    # value and records are shown only to holders of ``detail_cap`` over the person.
    sensitive = models.BooleanField(_("sensitive"), default=False)
    detail_cap = models.CharField(_("capability to see the detail"), max_length=60,
                                  blank=True)
    active = models.BooleanField(_("in force"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("dimension", "order", "pk")
        verbose_name = _("portrait rule")
        verbose_name_plural = _("portrait rules")
        constraints = [
            # A NULL department never equals another, so the default set needs its own
            # (partial) constraint.
            models.UniqueConstraint(fields=("department", "dimension", "source"),
                                    name="portrait_rule_unique_dept_source"),
            models.UniqueConstraint(fields=("dimension", "source"),
                                    condition=Q(department__isnull=True),
                                    name="portrait_rule_unique_default_source"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(target__gt=0),
                                   name="portrait_rule_positive"),
            models.CheckConstraint(condition=Q(sensitive=False) | ~Q(detail_cap=""),
                                   name="portrait_rule_sensitive_has_cap"),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.source}"


class FiveType(models.TextChoices):
    """五型机关 (M17): 学习型, 清廉型, 服务型, 创新型, 和谐型."""

    LEARNING = "learning", pgettext_lazy("five types", "Learning")
    CLEAN = "clean", pgettext_lazy("five types", "Clean")
    SERVICE = "service", pgettext_lazy("five types", "Service")
    INNOVATIVE = "innovative", pgettext_lazy("five types", "Innovative")
    HARMONIOUS = "harmonious", pgettext_lazy("five types", "Harmonious")


class TypeRule(models.Model):
    """Which registered figures, summed over the department's people, stand for one of the
    five types in the 五型机关 view."""

    # Empty: the installation's default mapping (as for SourceRule).
    department = models.ForeignKey(OrgUnit, models.CASCADE, null=True, blank=True,
                                   related_name="+", verbose_name=_("department"))
    kind = models.CharField(_("type"), max_length=12, choices=FiveType.choices)
    # Metric keys of core.metrics, all in one unit (services check both).
    metric_keys = models.JSONField(_("figures"), default=list)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("five-type figure")
        verbose_name_plural = _("five-type figures")
        constraints = [
            models.UniqueConstraint(fields=("department", "kind"),
                                    name="portrait_type_unique_dept_kind"),
            models.UniqueConstraint(fields=("kind",), condition=Q(department__isnull=True),
                                    name="portrait_type_unique_default_kind"),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())
