"""Service to the public (M09, M20, M21, M31 in DOMAIN.md): each cadre's contact points
(联系点) and contact households (联系户), the visits of 三入三解, the problems raised and
solved for the public, the 五送 items delivered to households and the 我为群众办实事 items;
and the department's service rules, kept as data.

What a household told a cadre and its family situation are personal information of
members of the public: they are stored encrypted (SM4, ``EncryptedTextField``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import DateField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import Trunc
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.ballots import CodeBase
from zugong.core.fields import EncryptedTextField
from zugong.core.records import PersonRecord
from zugong.people.models import OrgUnit


class PointKind(models.TextChoices):
    VILLAGE = "village", _("village (联系村)")
    ENTERPRISE = "enterprise", _("enterprise (联系企业)")
    COMMUNITY = "community", _("community (联系社区)")


class ContactPoint(PersonRecord):
    """A village, enterprise or community a cadre is paired with; ``on`` is the day the
    pairing began, ``until`` the day it ended (empty while it lasts)."""

    kind = models.CharField(pgettext_lazy("service", "kind"), max_length=12,
                            choices=PointKind.choices)
    name = models.CharField(pgettext_lazy("service", "name"), max_length=100)
    until = models.DateField(_("paired until"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("contact point")
        indexes = [models.Index(fields=["person", "on"], name="svc_point_person_on")]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "name"], name="svc_point_once"),
            models.CheckConstraint(condition=Q(until__isnull=True) | Q(until__gte=F("on")),
                                   name="svc_point_until_after_on"),
        ]

    def __str__(self):
        return self.name


class Household(PersonRecord):
    """A household a cadre is paired with (联系户); ``difficulty`` marks a Party member in
    difficulty (五送一建). ``on`` is the day the pairing began."""

    name = models.CharField(_("head of household"), max_length=50)
    point = models.ForeignKey(ContactPoint, models.SET_NULL, null=True, blank=True,
                              related_name="households", verbose_name=_("contact point"))
    difficulty = models.BooleanField(_("Party member in difficulty"), default=False)
    situation = EncryptedTextField(_("family situation"), blank=True)
    until = models.DateField(_("paired until"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("contact household")
        indexes = [models.Index(fields=["person", "on"], name="svc_household_person_on")]
        constraints = [
            models.CheckConstraint(condition=Q(until__isnull=True) | Q(until__gte=F("on")),
                                   name="svc_household_until_after_on"),
        ]

    def __str__(self):
        return self.name


class VisitKind(models.TextChoices):
    """三入三解: 入企解发展之难, 入村解振兴之难, 入户解群众之忧."""

    ENTERPRISE = "enterprise", _("into an enterprise (入企)")
    VILLAGE = "village", _("into a village (入村)")
    HOUSEHOLD = "household", _("into a household (入户)")


class Mode(models.TextChoices):
    ON_SITE = "on_site", _("on site")
    PHONE = "phone", _("by phone")


class Visit(PersonRecord):
    """A cadre's visit to a contact point or a household, or a phone contact with a
    household; ``heard`` is what the public said."""

    kind = models.CharField(pgettext_lazy("service", "kind"), max_length=12,
                            choices=VisitKind.choices)
    mode = models.CharField(_("how"), max_length=8, choices=Mode.choices,
                            default=Mode.ON_SITE)
    point = models.ForeignKey(ContactPoint, models.PROTECT, null=True, blank=True,
                              related_name="visits", verbose_name=_("contact point"))
    household = models.ForeignKey(Household, models.PROTECT, null=True, blank=True,
                                  related_name="visits", verbose_name=_("contact household"))
    heard = EncryptedTextField(_("what was heard"))

    class Meta(PersonRecord.Meta):
        verbose_name = _("service visit")
        indexes = [models.Index(fields=["person", "on"], name="svc_visit_person_on")]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="household") | Q(household__isnull=False),
                                   name="svc_visit_household_named"),
            models.CheckConstraint(condition=Q(kind="household") | Q(point__isnull=False),
                                   name="svc_visit_point_named"),
            models.CheckConstraint(condition=Q(kind="household") | Q(mode="on_site"),
                                   name="svc_visit_phone_only_households"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"

    @property
    def place(self) -> str:
        return self.household.name if self.household_id else self.point.name


def month_first_contacts():
    """The household contacts (visits 入户, on site or by phone) that are a cadre's first
    with that household in their calendar month: one row per household contacted per
    month, the contact that fulfils the monthly household rule. What
    ``service.households_covered`` counts and its records page lists."""
    earlier = Visit.objects.filter(
        kind=VisitKind.HOUSEHOLD, person=OuterRef("person"), household=OuterRef("household"),
        # The first day of the outer contact's month (the wrapper gives the outer reference
        # the type Trunc needs).
        on__gte=Trunc(ExpressionWrapper(OuterRef("on"), output_field=DateField()), "month",
                      output_field=DateField()),
    ).filter(Q(on__lt=OuterRef("on")) | Q(on=OuterRef("on"), pk__lt=OuterRef("pk")))
    return Visit.objects.filter(~Exists(earlier), kind=VisitKind.HOUSEHOLD)


class ProblemStatus(models.TextChoices):
    RAISED = "raised", _("raised")
    ASSIGNED = "assigned", _("assigned")
    SOLVED = "solved", _("solved")
    RATED = "rated", _("rated by the public")


SOLVED_STATES = (ProblemStatus.SOLVED, ProblemStatus.RATED)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASIC = "basic", _("basically satisfied")
    UNSATISFIED = "unsatisfied", _("not satisfied")


class Problem(PersonRecord):
    """A problem of the public (急难愁盼) a cadre took up: raised (``on``), assigned to
    whoever handles it, solved with evidence, and rated by the public."""

    visit = models.ForeignKey(Visit, models.SET_NULL, null=True, blank=True,
                              related_name="problems", verbose_name=_("service visit"))
    title = models.CharField(_("problem"), max_length=200)
    status = models.CharField(pgettext_lazy("service", "status"), max_length=10,
                              choices=ProblemStatus.choices, default=ProblemStatus.RAISED)
    handler = models.ForeignKey("people.Person", models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("handled by"))
    handler_unit = models.CharField(_("handling unit"), max_length=100, blank=True)
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    solved_on = models.DateField(_("solved on"), null=True, blank=True)
    evidence = EncryptedTextField(_("evidence of the solution"), blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=12,
                                    choices=Satisfaction.choices, blank=True)
    rated_on = models.DateField(_("rated on"), null=True, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("problem of the public")
        indexes = [models.Index(fields=["person", "on"], name="svc_problem_person_on"),
                   models.Index(fields=["person", "solved_on"], name="svc_problem_solved")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=("solved", "rated")) | Q(solved_on__isnull=False),
                name="svc_problem_solved_has_day"),
            models.CheckConstraint(condition=Q(solved_on__isnull=True)
                                   | Q(solved_on__gte=F("on")),
                                   name="svc_problem_solved_after_raised"),
            models.CheckConstraint(condition=~Q(status="rated") | ~Q(satisfaction=""),
                                   name="svc_problem_rated_has_satisfaction"),
        ]

    def __str__(self):
        return self.title

    @property
    def solved(self) -> bool:
        return self.status in SOLVED_STATES


class SendItem(models.TextChoices):
    """五送: what a cadre brings to a Party member in difficulty."""

    SPIRIT = "spirit", _("spirit (送精神)")
    POLICY = "policy", _("policies (送政策)")
    SKILL = "skill", _("skills (送技能)")
    MEDICAL = "medical", _("medical insurance (送医保)")
    CARE = "care", _("care (送关爱)")


class Delivery(PersonRecord):
    """One of the 五送 delivered to a household on ``on``."""

    household = models.ForeignKey(Household, models.PROTECT, related_name="deliveries",
                                  verbose_name=_("contact household"))
    item = models.CharField(_("item"), max_length=10, choices=SendItem.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("五送 delivery")
        indexes = [models.Index(fields=["person", "on"], name="svc_delivery_person_on")]

    def __str__(self):
        return f"{self.get_item_display()} {self.on:%Y-%m-%d}"


class DeedStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("service", "planned")
    DOING = "doing", _("under way")
    DONE = "done", pgettext_lazy("service", "done")


class Deed(PersonRecord):
    """A 我为群众办实事 item a cadre took on (``on``) and its status."""

    title = models.CharField(_("practical matter"), max_length=200)
    status = models.CharField(pgettext_lazy("service", "status"), max_length=8,
                              choices=DeedStatus.choices, default=DeedStatus.PLANNED)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("practical matter for the public")
        indexes = [models.Index(fields=["person", "on"], name="svc_deed_person_on")]
        constraints = [
            models.CheckConstraint(condition=~Q(status="done") | Q(done_on__isnull=False),
                                   name="svc_deed_done_has_day"),
        ]

    def __str__(self):
        return self.title


class RuleKind(models.TextChoices):
    """The service rules of seed 002 (凤凰): their defaults are ``RULE_DEFAULTS``."""

    POINT_VISITS = "point_visits", _("visits to the paired village a month")
    HOUSEHOLD_CONTACTS = "household_contacts", _("contacts with each household a month")
    PROBLEMS_SOLVED = "problems_solved", _("problems solved a year")


# Seed 002: 每月到联系村走访1次, 每月联系结对户1次, 每年帮助联系户解决实际问题2件以上.
RULE_DEFAULTS = {RuleKind.POINT_VISITS: 1, RuleKind.HOUSEHOLD_CONTACTS: 1,
                 RuleKind.PROBLEMS_SOLVED: 2}


class ServiceRule(models.Model):
    """One of a department's service rules: at least ``minimum`` per period."""

    department = models.ForeignKey(OrgUnit, models.CASCADE, related_name="+",
                                   verbose_name=_("department"))
    kind = models.CharField(_("rule"), max_length=20, choices=RuleKind.choices)
    minimum = models.PositiveSmallIntegerField(_("at least"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("service rule")
        constraints = [models.UniqueConstraint(fields=["department", "kind"],
                                               name="svc_rule_once")]

    def __str__(self):
        return f"{self.get_kind_display()} ≥ {self.minimum}"


# ---------------------------------------------------------------- 六联六促 (M08)


class LiaisonKind(models.TextChoices):
    """六联六促 (seed 000): the six kinds of target a cadre is linked with."""

    PARTY_ORG = "party_org", _("a grassroots Party organization (联基层党组织)")
    UNIT = "unit", _("a town or county unit (联乡镇县直单位)")
    YOUNG = "young", _("young cadres (联年轻干部)")
    VILLAGE = "village", _("a model or key village (联乡村振兴示范村重点村)")
    EXPERT = "expert", _("experts and talents (联专家人才)")
    HOUSEHOLD = "household", _("paired households (联结对帮扶户)")


class Liaison(PersonRecord):
    """A cadre's link with one target of 六联六促 since ``on``, with the research topic
    (领题调研) taken up there, if any."""

    kind = models.CharField(pgettext_lazy("service", "kind"), max_length=10,
                            choices=LiaisonKind.choices)
    target = models.CharField(_("liaison target"), max_length=100)
    topic = models.CharField(_("research topic (领题调研)"), max_length=200, blank=True)
    # Or one of the ability app's research topics, by id (apps never import each other:
    # its title is read through the hook ``ability.research_topics``).
    research_topic_id = models.PositiveBigIntegerField(_("research topic (ability)"),
                                                       null=True, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("六联六促 liaison")
        indexes = [models.Index(fields=["person", "on"], name="svc_liaison_person_on")]
        constraints = [models.UniqueConstraint(fields=["person", "kind", "target"],
                                               name="svc_liaison_once")]

    def __str__(self):
        return self.target


# ---------------------------------------------------------------- 点单式 expert service


class Expert(models.Model):
    """A member of the department's 科技专家服务团 (not a cadre of the registry)."""

    department = models.ForeignKey(OrgUnit, models.CASCADE, related_name="+",
                                   verbose_name=_("department"))
    name = models.CharField(_("expert"), max_length=50)
    field = models.CharField(_("speciality"), max_length=100)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    active = models.BooleanField(_("serving"), default=True)

    class Meta:
        verbose_name = _("service expert")
        constraints = [models.UniqueConstraint(fields=["department", "name", "field"],
                                               name="svc_expert_once")]

    def __str__(self):
        return f"{self.name}（{self.field}）"


class OrdererKind(models.TextChoices):
    VILLAGE = "village", _("village")
    ENTERPRISE = "enterprise", _("enterprise")


class OrderStatus(models.TextChoices):
    ORDERED = "ordered", _("ordered")
    MATCHED = "matched", _("matched to an expert")
    DELIVERED = "delivered", _("delivered")
    RATED = "rated", pgettext_lazy("service order", "rated")


DELIVERED_STATES = (OrderStatus.DELIVERED, OrderStatus.RATED)


class ExpertOrder(PersonRecord):
    """A 点单式 order a village or enterprise placed (``on``) through a cadre (``person``):
    matched to an expert, delivered, and rated by whoever ordered it (1 to 5)."""

    orderer_kind = models.CharField(_("ordered by"), max_length=10,
                                    choices=OrdererKind.choices)
    orderer = models.CharField(_("village or enterprise"), max_length=100)
    need = models.TextField(_("what is needed"))
    status = models.CharField(pgettext_lazy("service", "status"), max_length=10,
                              choices=OrderStatus.choices, default=OrderStatus.ORDERED)
    expert = models.ForeignKey(Expert, models.PROTECT, null=True, blank=True,
                               related_name="orders", verbose_name=_("expert"))
    matched_on = models.DateField(_("matched on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    delivery = models.TextField(_("what was delivered"), blank=True)
    score = models.PositiveSmallIntegerField(_("rating (1 to 5)"), null=True, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("expert service order")
        indexes = [models.Index(fields=["person", "on"], name="svc_order_person_on")]
        constraints = [
            models.CheckConstraint(condition=Q(status="ordered") | Q(expert__isnull=False),
                                   name="svc_order_matched_has_expert"),
            models.CheckConstraint(
                condition=~Q(status__in=("delivered", "rated")) | Q(delivered_on__isnull=False),
                name="svc_order_delivered_has_day"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                                   name="svc_order_score_1_to_5"),
        ]

    def __str__(self):
        return f"{self.orderer} {self.on:%Y-%m-%d}"


class RatingCode(CodeBase):
    """A one-time code a cadre hands to the member of the public whose problem was solved,
    who then rates the service without an account; only the code's SHA-256 is stored (the
    kit's ``core.ballots`` codes, as assessment's outsiders and the lecture audience)."""

    problem = models.OneToOneField(Problem, models.CASCADE, related_name="rating_code")

    class Meta:
        verbose_name = _("public rating code")
