"""Care records (M15, M35, M42 in DOMAIN.md): collective activities and who took part,
political birthdays marked, annual leave taken, health checks and recuperation, and
hardship support for cadres in difficulty.

Health and hardship texts are sensitive: stored encrypted (SM4, ``EncryptedTextField``),
read only with ``care.sensitive`` over the person, each read audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.fields import EncryptedTextField
from zugong.core.records import PersonRecord
from zugong.people.models import OrgUnit


class ActivityKind(models.TextChoices):
    CULTURE = "culture", _("monthly sports or culture activity (一月一文体)")
    UNION = "union", _("trade-union activity (工会活动)")
    FAMILY = "family", _("families visit the department (家属走进组织部)")


class Activity(models.Model):
    """A collective activity of a department's own cadres; ``held_on`` is its day."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    kind = models.CharField(pgettext_lazy("care", "kind"), max_length=10,
                            choices=ActivityKind.choices)
    title = models.CharField(pgettext_lazy("care", "title"), max_length=100)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    # The cadre who organized it: activities count per person like every metric.
    organizer = models.ForeignKey(settings.ZUGONG_PERSON_MODEL, models.PROTECT,
                                  related_name="+", verbose_name=_("organizer"))
    # 家属走进组织部: how many family members came.
    family_guests = models.PositiveSmallIntegerField(_("family members who came"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("care activity")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["department", "held_on"], name="care_act_dept_day"),
                   models.Index(fields=["organizer", "held_on"], name="care_act_org_day")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=ActivityKind.values),
                                              name="care_activity_kind_valid")]

    def __str__(self):
        return f"{self.title} {self.held_on:%Y-%m-%d}"


class Participation(PersonRecord):
    """A cadre took part in an activity; ``on`` copies the activity's day so that the
    participation metric counts per person and date on one table."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="participations")

    class Meta(PersonRecord.Meta):
        verbose_name = _("participation")
        indexes = [models.Index(fields=["person", "on"], name="care_part_person_on")]
        constraints = [models.UniqueConstraint(fields=["activity", "person"],
                                               name="care_participation_once")]

    def __str__(self):
        return f"{self.activity_id}:{self.person_id}"


class BirthdayForm(models.TextChoices):
    OATH = "oath", _("renewing the admission oath (重温入党誓词)")
    CARD = "card", _("a political-birthday card (政治生日贺卡)")
    TALK = "talk", _("a political-birthday talk (政治生日谈话)")
    GATHERING = "gathering", _("a collective political birthday (集体过政治生日)")


class BirthdayMark(PersonRecord):
    """A Party member's political birthday marked in ``year``; ``on`` is the day."""

    year = models.PositiveSmallIntegerField(_("year"))
    form = models.CharField(_("how it was marked"), max_length=10,
                            choices=BirthdayForm.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("political birthday")
        indexes = [models.Index(fields=["person", "on"], name="care_bday_person_on")]
        constraints = [models.UniqueConstraint(fields=["person", "year"],
                                               name="care_birthday_once_a_year")]

    def __str__(self):
        return f"{self.year}"


class LeaveTaken(PersonRecord):
    """Paid annual leave taken: from ``on`` to ``until``, ``days`` working days, counted
    against the leave due in ``on``'s year."""

    until = models.DateField(_("until"))
    days = models.DecimalField(_("working days"), max_digits=4, decimal_places=1)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("annual leave")
        indexes = [models.Index(fields=["person", "on"], name="care_leave_person_on")]
        constraints = [
            models.CheckConstraint(condition=Q(until__gte=F("on")), name="care_leave_order"),
            models.CheckConstraint(condition=Q(days__gt=0) & Q(days__lte=15),
                                   name="care_leave_days_range"),
        ]

    def __str__(self):
        return f"{self.on:%Y-%m-%d}—{self.until:%Y-%m-%d}"


class HealthKind(models.TextChoices):
    CHECK = "check", _("health check (健康体检)")
    RECUPERATION = "recuperation", _("recuperation (疗休养)")


class HealthRecord(PersonRecord):
    """A health check or a recuperation stay; ``on`` is its (first) day. Sensitive."""

    kind = models.CharField(pgettext_lazy("care", "kind"), max_length=12,
                            choices=HealthKind.choices)
    place = models.CharField(_("place"), max_length=100, blank=True)
    days = models.PositiveSmallIntegerField(_("days"), default=1)
    findings = EncryptedTextField(_("findings and advice"), blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("health record")
        indexes = [models.Index(fields=["person", "on"], name="care_health_person_on")]
        constraints = [models.CheckConstraint(condition=Q(days__gte=1) & Q(days__lte=60),
                                              name="care_health_days_range")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"


class HardshipKind(models.TextChoices):
    ILLNESS = "illness", _("serious illness (本人或家人重病)")
    FAMILY = "family", _("family misfortune (家庭变故)")
    HOUSING = "housing", _("housing (住房困难)")
    FINANCE = "finance", _("financial (经济困难)")
    OTHER = "other", _("other difficulty")


class Hardship(PersonRecord):
    """Support for a cadre in difficulty (困难干部); ``on`` is the day it was known,
    ``closed_on`` the day the difficulty was resolved. Sensitive."""

    kind = models.CharField(pgettext_lazy("care", "kind"), max_length=10,
                            choices=HardshipKind.choices)
    situation = EncryptedTextField(_("situation"))
    support = EncryptedTextField(_("support given"), blank=True)
    amount = models.DecimalField(_("relief money (yuan)"), max_digits=9, decimal_places=2,
                                 default=0)
    closed_on = models.DateField(pgettext_lazy("care", "closed on"), null=True, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("hardship support")
        indexes = [models.Index(fields=["person", "on"], name="care_hardship_person_on")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="care_hardship_amount"),
            models.CheckConstraint(condition=Q(closed_on__isnull=True)
                                   | Q(closed_on__gte=F("on")),
                                   name="care_hardship_closed_after"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"
