"""Innovation projects (M24 in DOMAIN.md): sub-units and sections declare projects; the
department classifies each one and assigns a guiding section, which follows it up every
month and guides it on site every quarter; the reward fund pays for some, and results and
awards (工作创新奖) are recorded. The follow-up rules are data (``ProjectRule``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.records import PersonRecord
from zugong.people.models import OrgUnit


class Category(models.TextChoices):
    PARTY = "party", _("Party building (党建创新)")
    CADRES = "cadres", _("cadre work (干部工作)")
    TALENT = "talent", _("talent work (人才工作)")
    GRASSROOTS = "grassroots", _("grassroots governance (基层治理)")
    SELF = "self", _("the department's own development (自身建设)")


class ProjectStatus(models.TextChoices):
    DECLARED = "declared", _("declared")
    UNDER_WAY = "under_way", _("classified, under way")
    FINISHED = "finished", pgettext_lazy("projects", "finished")


class Award(models.TextChoices):
    FIRST = "first", _("work innovation award, first prize")
    SECOND = "second", _("work innovation award, second prize")
    THIRD = "third", _("work innovation award, third prize")


class InnovationProject(models.Model):
    """A project a sub-unit or section declared (``declared_on``), then classified and
    guided by one of the department's sections."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                             verbose_name=_("declaring unit"))
    declared_by = models.ForeignKey("people.Person", models.PROTECT, related_name="+",
                                    verbose_name=_("declared by"))
    title = models.CharField(_("project"), max_length=200)
    summary = models.TextField(_("summary"))
    declared_on = models.DateField(_("declared on"))
    status = models.CharField(pgettext_lazy("projects", "status"), max_length=10,
                              choices=ProjectStatus.choices, default=ProjectStatus.DECLARED)
    category = models.CharField(pgettext_lazy("projects", "category"), max_length=12,
                                choices=Category.choices, blank=True)
    guiding_section = models.ForeignKey(OrgUnit, models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("guiding section"))
    classified_on = models.DateField(_("classified on"), null=True, blank=True)
    funding = models.DecimalField(_("reward fund granted (yuan)"), max_digits=10,
                                  decimal_places=2, default=0)
    result = models.TextField(_("results"), blank=True)
    finished_on = models.DateField(pgettext_lazy("projects", "finished on"), null=True, blank=True)
    award = models.CharField(pgettext_lazy("projects", "award"), max_length=8,
                             choices=Award.choices, blank=True)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("innovation project")
        indexes = [models.Index(fields=["department", "declared_on"],
                                name="proj_dept_declared"),
                   models.Index(fields=["declared_by", "declared_on"],
                                name="proj_person_declared")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="declared") | (Q(guiding_section__isnull=False)
                                                  & Q(classified_on__isnull=False)
                                                  & ~Q(category="")),
                name="proj_classified_has_section"),
            models.CheckConstraint(condition=~Q(status="finished") | Q(finished_on__isnull=False),
                                   name="proj_finished_has_day"),
            models.CheckConstraint(condition=Q(award="") | Q(awarded_on__isnull=False),
                                   name="proj_award_has_day"),
            models.CheckConstraint(condition=Q(funding__gte=0), name="proj_funding_positive"),
        ]

    def __str__(self):
        return self.title


class FollowUpKind(models.TextChoices):
    MONTHLY = "monthly", _("follow-up (跟踪了解)")
    ONSITE = "onsite", _("on-site guidance (实地指导)")


class FollowUp(PersonRecord):
    """A follow-up or an on-site guidance of a project by a cadre (``person``) on ``on``;
    on-site guidance counts as that month's follow-up too."""

    project = models.ForeignKey(InnovationProject, models.CASCADE, related_name="followups",
                                verbose_name=_("innovation project"))
    kind = models.CharField(pgettext_lazy("projects", "kind"), max_length=8,
                            choices=FollowUpKind.choices)
    note = models.TextField(_("what was found and advised"))

    class Meta(PersonRecord.Meta):
        verbose_name = _("project follow-up")
        indexes = [models.Index(fields=["person", "on"], name="proj_followup_person_on"),
                   models.Index(fields=["project", "on"], name="proj_followup_project_on")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"


class RuleKind(models.TextChoices):
    MONTHLY = "monthly", _("follow-ups per project a month")
    ONSITE = "onsite", _("on-site guidance per project a quarter")


# Seed 001 (汉滨): 每月至少跟踪了解1次, 每季度至少实地指导1次.
RULE_DEFAULTS = {RuleKind.MONTHLY: 1, RuleKind.ONSITE: 1}


class ProjectRule(models.Model):
    """One of a department's follow-up rules: at least ``minimum`` per period."""

    department = models.ForeignKey(OrgUnit, models.CASCADE, related_name="+",
                                   verbose_name=_("department"))
    kind = models.CharField(_("rule"), max_length=8, choices=RuleKind.choices)
    minimum = models.PositiveSmallIntegerField(_("at least"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("project rule")
        constraints = [models.UniqueConstraint(fields=["department", "kind"],
                                               name="proj_rule_once")]

    def __str__(self):
        return f"{self.get_kind_display()} ≥ {self.minimum}"


# ---------------------------------------------------------------- ideas (M22)


class IdeaKind(models.TextChoices):
    """Every cadre is an information officer: 好点子, 好主意, 好信息 (seed 001)."""

    IDEA = "idea", _("good idea (好点子)")
    PLAN = "plan", _("good proposal (好主意)")
    INFO = "info", _("good information (好信息)")


class IdeaStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    RATED = "rated", pgettext_lazy("projects", "rated")
    ADOPTED = "adopted", _("adopted for leaders' decisions")


class Idea(PersonRecord):
    """A 好点子, 好主意 or 好信息 a cadre submitted (``on``): rated by the department's
    leaders (0 to 100), adopted for a decision, and rewarded.

    A 好信息 is an information item the cadre already wrote in the learning app: the idea
    names it by id (``writing_id``, hook ``learning.writings``) and types nothing again;
    its title and text stay in the learning record. One idea per information item."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    kind = models.CharField(pgettext_lazy("projects", "kind"), max_length=6,
                            choices=IdeaKind.choices)
    # Blank for a 好信息, whose title and text are the learning record's.
    title = models.CharField(_("title"), max_length=200, blank=True)
    content = models.TextField(_("content"), blank=True)
    status = models.CharField(pgettext_lazy("projects", "status"), max_length=10,
                              choices=IdeaStatus.choices, default=IdeaStatus.SUBMITTED)
    score = models.PositiveSmallIntegerField(_("score (0 to 100)"), null=True, blank=True)
    rated_on = models.DateField(_("rated on"), null=True, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_for = models.CharField(_("adopted for"), max_length=200, blank=True)
    reward = models.DecimalField(_("reward (yuan)"), max_digits=8, decimal_places=2,
                                 default=0)
    writing_id = models.PositiveIntegerField(_("information item"), null=True, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("idea or information item")
        indexes = [models.Index(fields=["person", "on"], name="proj_idea_person_on"),
                   models.Index(fields=["department", "on"], name="proj_idea_dept_on")]
        constraints = [
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=100),
                                   name="proj_idea_score_to_100"),
            models.CheckConstraint(condition=~Q(status="adopted") | Q(adopted_on__isnull=False),
                                   name="proj_idea_adopted_has_day"),
            models.CheckConstraint(condition=Q(reward__gte=0), name="proj_idea_reward_positive"),
            # Only a 好信息 names a learning record, and each record is submitted once.
            models.CheckConstraint(condition=Q(writing_id__isnull=True) | Q(kind="info"),
                                   name="proj_idea_writing_is_info"),
            models.UniqueConstraint(fields=["writing_id"], condition=Q(writing_id__isnull=False),
                                    name="proj_idea_writing_once"),
            models.CheckConstraint(condition=Q(writing_id__isnull=False) | ~Q(title=""),
                                   name="proj_idea_typed_has_title"),
        ]

    def __str__(self):
        return self.title


class AdoptionLevel(models.TextChoices):
    """The level of the outlet that adopted an information item (信息采用)."""

    # The learning app's outlet levels (``learning.OutletLevel``), value for value, so an
    # article's own level and its adoptions read alike.
    NATIONAL = "national", _("national (中央)")
    PROVINCIAL = "provincial", _("provincial (省级)")
    PREFECTURAL = "prefectural", _("prefectural (州（地）级)")
    CITY = "city", _("city (市级)")
    COUNTY = "county", _("county (县级)")


class Adoption(PersonRecord):
    """An information item or article adopted by an outlet (M22, 全员信息员). The item is
    the learning app's record, referenced by id (``writing_id``, through the hook
    ``learning.writings``): it is written once, there, and its adoptions are recorded here.
    ``person`` is its author, ``on`` the day of adoption."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    writing_id = models.PositiveIntegerField(_("information item"))
    level = models.CharField(_("outlet level"), max_length=12, choices=AdoptionLevel.choices)
    outlet = models.CharField(_("adopted by"), max_length=100)

    class Meta(PersonRecord.Meta):
        verbose_name = _("information adoption")
        indexes = [models.Index(fields=["department", "on"], name="proj_adopt_dept_on"),
                   models.Index(fields=["person", "on"], name="proj_adopt_person_on")]
        constraints = [models.UniqueConstraint(fields=["writing_id", "level", "outlet"],
                                               name="proj_adoption_unique")]

    def __str__(self):
        return f"{self.get_level_display()} {self.on:%Y-%m-%d}"
