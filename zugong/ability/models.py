"""Ability records (本领, M07 and M28 in DOMAIN.md): the department's lecture series
(组工讲堂 / 组工讲坛) with their lecturers, discussants and audience.

A lecture belongs to a department; each person taking part has a seat (lecturer,
discussant or audience), a ``PersonRecord`` dated on the lecture's day, so the figures
(lectures given, person-times trained) are grouped per person like every other metric.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.records import PersonRecord
from zugong.people.models import OrgUnit


class Series(models.TextChoices):
    HALL = "hall", _("organization lecture hall (组工讲堂)")
    FORUM = "forum", _("organization forum (组工讲坛)")


class Topic(models.TextChoices):
    THEORY = "theory", _("theory study")
    PARTY = "party", _("Party-building research")
    TALENT = "talent", _("talent exchange")
    EDUCATION = "education", _("Party-member education")
    PRACTICE = "practice", _("organization practice")


class Part(models.TextChoices):
    LECTURER = "lecturer", _("lecturer")
    DISCUSSANT = "discussant", _("discussant")
    AUDIENCE = "audience", _("audience")


# How many lecturers and discussants a session has (M07: "1–2 lecturers and 3–5
# discussants a session"). The weekly forum (M28) is one cadre's turn: its discussants
# are optional.
LECTURERS = {Series.HALL: (1, 2), Series.FORUM: (1, 2)}
DISCUSSANTS = {Series.HALL: (3, 5), Series.FORUM: (0, 5)}


class Lecture(models.Model):
    """One session of the department's lecture hall or forum."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    series = models.CharField(_("series"), max_length=8, choices=Series.choices,
                              default=Series.HALL)
    topic = models.CharField(_("topic"), max_length=10, choices=Topic.choices)
    title = models.CharField(pgettext_lazy("ability", "title"), max_length=120)
    held_on = models.DateField(_("held on"))
    place = models.CharField(pgettext_lazy("ability", "place"), max_length=80, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("lecture")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["department", "held_on"], name="lecture_dept_on")]

    def __str__(self):
        return f"{self.title} {self.held_on:%Y-%m-%d}"


class Seat(PersonRecord):
    """One person's part in one lecture; ``on`` is the lecture's day."""

    lecture = models.ForeignKey(Lecture, models.CASCADE, related_name="seats",
                                verbose_name=_("lecture"))
    part = models.CharField(_("part"), max_length=10, choices=Part.choices)

    class Meta(PersonRecord.Meta):
        verbose_name = _("lecture seat")
        indexes = [models.Index(fields=["person", "on"], name="seat_person_on"),
                   models.Index(fields=["lecture", "part"], name="seat_lecture_part")]
        constraints = [models.UniqueConstraint(fields=["lecture", "person"],
                                               name="seat_one_per_person")]

    def __str__(self):
        return f"{self.get_part_display()} {self.on:%Y-%m-%d}"
