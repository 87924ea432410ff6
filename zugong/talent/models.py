"""Talent records (M49 in DOMAIN.md): the talent database by category with each talent's
evaluation, the leaders' contacts and the matters raised and solved; and the team's entry
and exit (M41): the reserve pool of candidate organization cadres, promotion proposals,
rotation plans and exits.
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

from . import rules


class Category(models.TextChoices):
    PARTY_GOV = "party_gov", _("Party and government (党政人才)")
    ENTERPRISE = "enterprise", _("enterprise management (企业经营管理人才)")
    PROFESSIONAL = "professional", _("professional and technical (专业技术人才)")
    SKILLED = "skilled", _("highly skilled (高技能人才)")
    RURAL = "rural", _("rural practical (农村实用人才)")
    SOCIAL = "social", _("social work (社会工作人才)")


def _score(name):
    return models.PositiveSmallIntegerField(name, null=True, blank=True)


class Talent(models.Model):
    """A talent in a department's database (人才信息库); ``added_on`` is when entered."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    name = models.CharField(_("full name"), max_length=50)
    category = models.CharField(pgettext_lazy("talent", "category"), max_length=12,
                                choices=Category.choices)
    high_level = models.BooleanField(_("high-level talent"), default=False)
    employer = models.CharField(_("employer"), max_length=100)
    specialty = models.CharField(_("specialty"), max_length=100, blank=True)
    # Sensitive personal information: encrypted at rest, shown to managers only.
    phone = EncryptedTextField(_("phone"), blank=True)
    # The leader who keeps in touch (领导联系高层次人才).
    leader = models.ForeignKey(settings.ZUGONG_PERSON_MODEL, models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name=_("contact leader"))
    added_on = models.DateField(_("entered on"))
    ability = _score(_("ability"))
    results = _score(_("results"))
    contribution = _score(_("contribution"))
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("talent")
        ordering = ["-added_on", "-id"]
        indexes = [models.Index(fields=["department", "category"], name="talent_dept_cat"),
                   models.Index(fields=["department", "added_on"], name="talent_dept_added")]
        constraints = [
            models.CheckConstraint(condition=Q(category__in=Category.values),
                                   name="talent_category_valid"),
            *[models.CheckConstraint(condition=Q(**{f"{f}__isnull": True})
                                     | Q(**{f"{f}__lte": 100}), name=f"talent_{f}_range")
              for f in ("ability", "results", "contribution")],
            models.CheckConstraint(condition=Q(evaluated_on__isnull=True)
                                   | (Q(ability__isnull=False) & Q(results__isnull=False)
                                      & Q(contribution__isnull=False)),
                                   name="talent_evaluation_complete"),
        ]

    def __str__(self):
        return self.name

    @property
    def total(self):
        if self.evaluated_on is None:
            return None
        return rules.evaluation_total(self.ability, self.results, self.contribution)

    @property
    def grade(self) -> str:
        total = self.total
        return "" if total is None else rules.grade(total)


class ContactKind(models.TextChoices):
    VISIT = "visit", _("visit (走访)")
    GREETING = "greeting", _("festival greeting (慰问)")
    MEETING = "meeting", _("symposium (座谈)")


class TalentContact(models.Model):
    """A leader's contact with a talent; the matters raised hang on it."""

    talent = models.ForeignKey(Talent, models.CASCADE, related_name="contacts")
    leader = models.ForeignKey(settings.ZUGONG_PERSON_MODEL, models.PROTECT, related_name="+",
                               verbose_name=_("leader"))
    kind = models.CharField(pgettext_lazy("talent", "kind"), max_length=10,
                            choices=ContactKind.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contact with a talent")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["leader", "on"], name="talent_contact_leader_on")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"


class MatterKind(models.TextChoices):
    HUKOU = "hukou", _("household registration (户籍)")
    HOUSING = "housing", _("housing (住房)")
    SPOUSE_JOB = "spouse_job", _("family members' employment (家属就业)")
    SCHOOLING = "schooling", _("children's education (子女教育)")
    OTHER = "other", _("other matter")


class TalentMatter(models.Model):
    """A matter a talent raised in a contact, and when and how it was solved; ``leader``
    is the contact's leader, copied so that the metric counts per person and date."""

    talent = models.ForeignKey(Talent, models.CASCADE, related_name="matters")
    contact = models.ForeignKey(TalentContact, models.CASCADE, related_name="matters")
    leader = models.ForeignKey(settings.ZUGONG_PERSON_MODEL, models.PROTECT, related_name="+")
    kind = models.CharField(pgettext_lazy("talent", "kind"), max_length=10,
                            choices=MatterKind.choices)
    text = models.CharField(_("matter raised"), max_length=300)
    raised_on = models.DateField(_("raised on"))
    solved_on = models.DateField(_("solved on"), null=True, blank=True)
    solution = models.CharField(_("how it was solved"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("talent's matter")
        ordering = ["raised_on", "id"]
        indexes = [models.Index(fields=["leader", "raised_on"], name="talent_matter_raised"),
                   models.Index(fields=["leader", "solved_on"], name="talent_matter_solved")]
        constraints = [models.CheckConstraint(condition=Q(solved_on__isnull=True)
                                              | Q(solved_on__gte=F("raised_on")),
                                              name="talent_matter_solved_after")]

    def __str__(self):
        return self.text


# ---------------------------------------------------------------- the team (M41)


class Source(models.TextChoices):
    SELECTED = "selected", _("selected graduates (选调生)")
    TRANSFER = "transfer", _("selection from other units (遴选)")
    GRASSROOTS = "grassroots", _("recommended by the grassroots (基层推荐)")
    EXAM = "exam", _("open examination (公开招录)")


class Decision(models.TextChoices):
    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("taken into the team")
    DECLINED = "declined", _("not taken")


class ReserveCandidate(PersonRecord):
    """A candidate in the reserve pool of organization cadres (后备组工干部人才库); ``on``
    is the day entered. Evaluated (e.g. 实战辩才), tried out, then decided."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    score = models.PositiveSmallIntegerField(_("evaluation score"), null=True, blank=True)
    evaluation = models.CharField(_("evaluation (e.g. 实战辩才)"), max_length=300, blank=True)
    trial_from = models.DateField(_("trial use from"), null=True, blank=True)
    trial_to = models.DateField(_("trial use until"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("reserve candidate")
        indexes = [models.Index(fields=["person", "on"], name="talent_reserve_person_on"),
                   models.Index(fields=["department", "on"], name="talent_reserve_dept_on")]
        constraints = [
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=100),
                                   name="talent_reserve_score_range"),
            models.CheckConstraint(condition=Q(trial_to__isnull=True)
                                   | Q(trial_from__isnull=False, trial_to__gte=F("trial_from")),
                                   name="talent_reserve_trial_order"),
            models.CheckConstraint(condition=Q(decision="pending", decided_on__isnull=True)
                                   | (~Q(decision="pending") & Q(decided_on__isnull=False)),
                                   name="talent_reserve_decided_on"),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.on:%Y-%m-%d}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("not approved")


class PromotionProposal(PersonRecord):
    """A proposal to promote an organization cadre; ``on`` is the day proposed."""

    post = models.CharField(_("proposed post"), max_length=100)
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=ProposalStatus.choices,
                              default=ProposalStatus.PROPOSED)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("promotion proposal")
        indexes = [models.Index(fields=["person", "on"], name="talent_proposal_person_on")]
        constraints = [models.CheckConstraint(
            condition=Q(status="proposed", decided_on__isnull=True)
            | (~Q(status="proposed") & Q(decided_on__isnull=False)),
            name="talent_proposal_decided_on")]

    def __str__(self):
        return f"{self.post} {self.on:%Y-%m-%d}"


class Rotation(PersonRecord):
    """A rotation plan (轮岗交流): a cadre moves to another section on ``on`` (planned);
    ``done_on`` is when it happened."""

    from_unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                  verbose_name=_("from"))
    to_unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                verbose_name=_("to"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("rotation")
        indexes = [models.Index(fields=["person", "on"], name="talent_rotation_person_on")]
        constraints = [models.CheckConstraint(condition=~Q(from_unit=F("to_unit")),
                                              name="talent_rotation_moves")]

    def __str__(self):
        return f"{self.on:%Y-%m-%d}"


class ExitKind(models.TextChoices):
    TRANSFER = "transfer", _("transferred out (调出)")
    RETIRE = "retire", _("retired (退休)")
    REMOVAL = "removal", _("removed from the team (清理)")


class Exit(PersonRecord):
    """A cadre leaves the team on ``on``; the reason is encrypted (a removal's reason is a
    personnel matter)."""

    kind = models.CharField(pgettext_lazy("talent", "kind"), max_length=10,
                            choices=ExitKind.choices)
    reason = EncryptedTextField(_("reason"))

    class Meta(PersonRecord.Meta):
        verbose_name = _("exit from the team")
        indexes = [models.Index(fields=["person", "on"], name="talent_exit_person_on")]
        constraints = [models.UniqueConstraint(fields=["person"], name="talent_exit_once")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"
