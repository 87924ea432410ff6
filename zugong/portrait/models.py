"""The portrait's rules, kept as data: which figures feed each of the five dimensions of
五看五比 (M16), with what weight and what target. The scores themselves are never stored:
they are computed from the records each time (``score.py``), so they cannot go stale."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
            models.UniqueConstraint(fields=("dimension", "source"),
                                    name="portrait_rule_unique_source"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(target__gt=0),
                                   name="portrait_rule_positive"),
            models.CheckConstraint(condition=Q(sensitive=False) | ~Q(detail_cap=""),
                                   name="portrait_rule_sensitive_has_cap"),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.source}"
