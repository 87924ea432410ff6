"""Assessment plans (平时/年度/专项/任期), indicators, raters and ballots, results,
feedback and appeals, the everyday record (工作记实) and consequence rules."""


from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zugong.core.ballots import CodeBase, TallyBase
from zugong.core.fields import EncryptedTextField
from zugong.core.periods import Period
from zugong.people.models import OrgUnit, Person


class PlanKind(models.TextChoices):
    REGULAR = "regular", _("regular (平时)")
    ANNUAL = "annual", _("annual (年度)")
    SPECIAL = "special", _("special (专项)")
    TERM = "term", _("term (任期)")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("being prepared")
    SCORING = "scoring", _("scoring")
    CLOSED = "closed", _("closed")


class Grade(models.TextChoices):
    """Annual and term grades (公务员考核规定) and regular grades (平时考核 好/较好/一般/较差)."""

    EXCELLENT = "excellent", _("excellent (优秀)")
    COMPETENT = "competent", _("competent (称职)")
    BASIC = "basic", _("basically competent (基本称职)")
    INCOMPETENT = "incompetent", _("incompetent (不称职)")
    GOOD = "good", _("good (好)")
    FAIRLY_GOOD = "fairly_good", _("fairly good (较好)")
    ORDINARY = "ordinary", _("ordinary (一般)")
    POOR = "poor", _("poor (较差)")


# Grades from best to worst per kind of plan; the first is the one under a quota and a veto.
ANNUAL_GRADES = [Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT]
REGULAR_GRADES = [Grade.GOOD, Grade.FAIRLY_GOOD, Grade.ORDINARY, Grade.POOR]
# Codes of the national table 考核结论 (people A15) for the annual grades.
A15_CODES = {Grade.EXCELLENT: "1", Grade.COMPETENT: "2", Grade.BASIC: "3",
             Grade.INCOMPETENT: "4"}


def grades_for(kind: str) -> list[str]:
    return REGULAR_GRADES if kind == PlanKind.REGULAR else ANNUAL_GRADES


def default_bands(kind: str) -> list[list]:
    """Lowest score of each grade, best grade first (the last grade takes the rest)."""
    grades = grades_for(kind)
    return [[grades[0], 90], [grades[1], 75], [grades[2], 60], [grades[3], 0]]


class TieRule(models.TextChoices):
    FIRST_INDICATOR = "first_indicator", _(
        "higher score on the political-standard indicator decides; "
        "still tied: none of them")
    NONE = "none", _("none of the tied people gets the top grade")


class QuotaRounding(models.TextChoices):
    """How people × quota becomes a number of places (《公务员考核规定》 says "within 20 %")."""

    DOWN = "down", _("round down (never above the quota)")
    HALF_UP = "half_up", _("round half up")
    UP = "up", _("round up")


class GapDecision(models.TextChoices):
    """What the office decided for a person a rater group gave no rating."""

    REWEIGHT = "reweight", _("score on the groups present, re-weighted")
    ZERO = "zero", _("the missing group counts as 0")
    UNGRADED = "ungraded", _("no grade this time (不确定等次)")


class RaterGroup(models.TextChoices):
    SELF = "self", _("self")
    CHIEF = "chief", _("section chief")
    DEPUTY = "deputy", _("deputy head in charge")
    HEAD = "head", _("department head")
    PEERS = "peers", _("peers of the section")
    DEMOCRATIC = "democratic", _("democratic evaluation (whole department)")
    OUTSIDERS = "outsiders", _("outsiders (开门评部)")


# Ballots of these groups are only ever added to tallies (Tally); no ballot is stored.
ANONYMOUS_GROUPS = (RaterGroup.PEERS, RaterGroup.DEMOCRATIC, RaterGroup.OUTSIDERS)


class Template(models.Model):
    """A reusable set of indicators (the 五看五比 template ships with the product)."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("department"),
                                   help_text=_("Empty: shipped with the product, for everyone."))
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class IndicatorFields(models.Model):
    """What a template line and a plan's indicator share."""

    name = models.CharField(_("indicator"), max_length=100)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    max_score = models.DecimalField(_("maximum score"), max_digits=6, decimal_places=2,
                                    default=100)
    guide = models.TextField(_("scoring guide"), blank=True)
    # Automatic indicators: a registered metric and a formula (data, never Python code).
    metric = models.CharField(_("metric"), max_length=60, blank=True)
    formula = models.CharField(_("formula"), max_length=200, blank=True)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2, null=True,
                                 blank=True)
    political = models.BooleanField(
        _("political standard"), default=False,
        help_text=_("The indicator of the political standard: it breaks ties at the quota "
                    "boundary, and failing it vetoes the top grade."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return self.name

    @property
    def is_automatic(self) -> bool:
        return bool(self.metric)


class TemplateIndicator(IndicatorFields):
    """One indicator line of a template."""

    template = models.ForeignKey(Template, models.CASCADE, related_name="indicators")

    class Meta(IndicatorFields.Meta):
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=100),
                                              name="tpl_indicator_weight_range")]


class Plan(models.Model):
    """An assessment plan: kind, period, who is assessed, scoring window, rules of grading."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=PlanKind.choices)
    subject = models.CharField(_("subject of the special assessment"), max_length=200,
                               blank=True)
    period = models.CharField(_("period"), max_length=12,
                              help_text=_("2026-03 (month), 2026-Q1 (quarter) or 2026 (year)."))
    period_to = models.CharField(_("last period of the term"), max_length=12, blank=True)
    window_start = models.DateField(_("scoring opens"))
    window_end = models.DateField(_("scoring closes"))
    template = models.ForeignKey(Template, models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("template"))
    units = models.ManyToManyField(OrgUnit, blank=True, related_name="+",
                                   verbose_name=_("units assessed"))
    roles = models.JSONField(_("roles assessed"), default=list, blank=True)
    categories = models.JSONField(_("categories assessed"), default=list, blank=True)
    bands = models.JSONField(_("grade bands"), default=list)
    top_quota = models.DecimalField(_("quota of the top grade (%)"), max_digits=4,
                                    decimal_places=1, default=20)
    quota_approval = models.CharField(_("approval of a raised quota"), max_length=200,
                                      blank=True)
    quota_rounding = models.CharField(_("rounding of the quota"), max_length=8,
                                      choices=QuotaRounding.choices,
                                      default=QuotaRounding.DOWN)
    tie_rule = models.CharField(_("tie rule"), max_length=20, choices=TieRule.choices,
                                default=TieRule.FIRST_INDICATOR)
    political_pass = models.DecimalField(
        _("pass line of the political standard (%)"), max_digits=5, decimal_places=2,
        default=60, help_text=_("Below this share of the political-standard indicator the "
                                "political standard is failed (veto)."))
    appeal_days = models.PositiveSmallIntegerField(_("days to appeal"), default=15)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices,
                              default=PlanStatus.DRAFT)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    period_start = models.DateField(editable=False)
    period_end = models.DateField(editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["department", "period_end"], name="plan_dept_end")]
        constraints = [
            models.CheckConstraint(condition=Q(window_end__gte=F("window_start")),
                                   name="plan_window_range"),
            models.CheckConstraint(condition=Q(top_quota__gte=0) & Q(top_quota__lte=100),
                                   name="plan_top_quota_range"),
        ]

    def __str__(self):
        return self.name

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    @property
    def period_label(self) -> str:
        label = str(self.period_obj.label)
        if self.period_to:
            label += " – " + str(Period.parse(self.period_to).label)
        return label

    @property
    def grades(self) -> list[str]:
        return grades_for(self.kind)

    @property
    def top_grade(self) -> str:
        return self.grades[0]


class Indicator(IndicatorFields):
    """An indicator of a plan: common (共性, no person) or individual (个性, for one person)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="indicators")
    person = models.ForeignKey(Person, models.CASCADE, null=True, blank=True, related_name="+",
                               verbose_name=_("only for"))

    class Meta(IndicatorFields.Meta):
        indexes = [models.Index(fields=["plan", "person"], name="indicator_plan_person")]
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=100),
                                              name="indicator_weight_range"),
                       models.CheckConstraint(condition=Q(max_score__gt=0),
                                              name="indicator_max_positive")]


class GroupWeight(models.Model):
    """The weight of one rater group in a plan (the weights of a plan add up to 100)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="groups")
    group = models.CharField(_("rater group"), max_length=12, choices=RaterGroup.choices)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "group"], name="groupweight_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=100),
                                   name="groupweight_range"),
        ]

    def __str__(self):
        return f"{self.group} {self.weight}"


class Assessee(models.Model):
    """A person assessed by a plan, with their result once the plan is closed."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="assessees")
    person = models.ForeignKey(Person, models.PROTECT, related_name="+",
                               verbose_name=_("person"))
    # Veto facts recorded by the assessment office (a punishment in the period is read from
    # the person's rewards and punishments).
    political_failed = models.BooleanField(_("failed the political standard"), default=False)
    admonished = models.BooleanField(_("admonished (诫勉) in the period"), default=False)
    # Encrypted at rest like talk summaries ("年内受到诫勉谈话" is sensitive); at most 300
    # characters (services.veto_set). Never copied into ``detail``: see veto_sources.
    veto_note = EncryptedTextField(_("veto note"), blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True,
                                blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    computed_grade = models.CharField(_("grade by the rules"), max_length=12,
                                      choices=Grade.choices, blank=True)
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices, blank=True)
    vetoed = models.BooleanField(_("vetoed"), default=False)
    veto_reasons = models.JSONField(default=list, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    direction = models.TextField(_("direction for improvement"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    # A rater group gave no rating: not graded until the office decides (GroupGap, below).
    incomplete = models.BooleanField(_("incomplete"), default=False)
    gap_decision = models.CharField(_("decision on the missing groups"), max_length=10,
                                    choices=GapDecision.choices, blank=True)

    class Meta:
        ordering = ["rank", "id"]
        indexes = [models.Index(fields=["person", "plan"], name="assessee_person_plan")]
        constraints = [models.UniqueConstraint(fields=["plan", "person"],
                                               name="assessee_unique")]

    def __str__(self):
        return f"{self.plan} · {self.person}"

    @property
    def veto_sources(self) -> list[dict]:
        """The sources of the result's veto (scoring keeps them in ``detail``), a manual one
        with the office's note read from the encrypted ``veto_note``."""
        return [{**s, "text": self.veto_note} if s.get("source") == "manual" else s
                for s in (self.detail or {}).get("veto_sources", [])]


class GroupGap(models.Model):
    """A rater group that gave a person no rating, with the office's reason (given when the
    plan is closed)."""

    assessee = models.ForeignKey(Assessee, models.CASCADE, related_name="gaps")
    group = models.CharField(max_length=12, choices=RaterGroup.choices)
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["assessee", "group"], name="groupgap_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="groupgap_has_reason"),
        ]

    def __str__(self):
        return f"{self.group}: {self.reason[:30]}"


class Score(models.Model):
    """A named rater's score of one indicator (self, section chief, deputy, head)."""

    assessee = models.ForeignKey(Assessee, models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="+")
    group = models.CharField(max_length=12, choices=RaterGroup.choices)
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=6, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessee", "indicator", "group", "rater"],
                                    name="score_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="score_not_negative"),
        ]

    def __str__(self):
        return f"{self.group} {self.value}"


class Tally(TallyBase):
    """The running total of an anonymous group's ballots for one person and indicator.

    There are no ballots: a sheet adds each of its scores to the tally of its (person,
    indicator) and adds one to the count, in place, so no row ever holds one voter's score
    (docs/assessment.md, "Anonymity of ballots"). The rows of a plan are created together when
    it opens, in the order of people and indicators, so neither their keys nor their place
    on disk follow the order of the votes. Scoring needs only the sum and the count of a
    group (its mean).
    """

    assessee = models.ForeignKey(Assessee, models.CASCADE, related_name="tallies")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="+")
    group = models.CharField(max_length=12, choices=RaterGroup.choices)

    class Meta:
        ordering = ["assessee", "indicator", "group"]
        constraints = [
            models.UniqueConstraint(fields=["assessee", "indicator", "group"],
                                    name="tally_unique"),
            models.CheckConstraint(condition=Q(total__gte=0), name="tally_not_negative"),
        ]

    def __str__(self):
        return f"{self.group} ×{self.count}"


class Voted(models.Model):
    """Who has cast their anonymous ballot sheet in a group of a plan (not what, not for whom).

    Written and committed in its own transaction, before the sheet's scores are added to
    the tallies in another one, so no transaction id joins the two."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="+")
    group = models.CharField(max_length=12, choices=RaterGroup.choices)
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "group", "voter"],
                                               name="voted_once")]

    def __str__(self):
        return f"{self.group} voted"


class OutsiderCode(CodeBase):
    """A one-time voting code for an outsider; only its SHA-256 hash is stored
    (``core.ballots.CodeBase``: ``hash_of`` ignores case and surrounding spaces)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="+")


class Adjustment(models.Model):
    """A grade changed by the assessment office, with the written reason."""

    assessee = models.ForeignKey(Assessee, models.CASCADE, related_name="adjustments")
    from_grade = models.CharField(max_length=12, choices=Grade.choices)
    to_grade = models.CharField(max_length=12, choices=Grade.choices)
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""),
                                              name="adjustment_has_reason")]

    def __str__(self):
        return f"{self.from_grade} → {self.to_grade}"


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("under review")
    UPHELD = "upheld", _("upheld")
    REJECTED = "rejected", _("rejected")


class Appeal(models.Model):
    """A person's appeal against their result, and the office's answer."""

    assessee = models.OneToOneField(Assessee, models.CASCADE, related_name="appeal")
    reason = models.TextField(_("reason for the appeal"))
    filed_on = models.DateField(_("filed on"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=AppealOutcome.choices,
                               default=AppealOutcome.PENDING)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    related_name="+")
    answered_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"{self.assessee} {self.outcome}"


class EverydayNote(models.Model):
    """A positive or negative fact about a person (工作记实), shown when scoring."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="+",
                               verbose_name=_("person"))
    on = models.DateField(_("date"))
    positive = models.BooleanField(_("positive"))
    # Encrypted at rest like talk summaries; at most 500 characters (everyday_note_add).
    text = EncryptedTextField(_("what happened"))
    source = models.CharField(_("source"), max_length=100, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                           related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["person", "on"], name="everyday_person_on")]

    def __str__(self):
        # Not the text: this is what an audit entry or a log line shows of the note.
        return f"{'+' if self.positive else '−'} {self.on.isoformat()}"


class Consequence(models.TextChoices):
    REWARD = "reward", _("嘉奖 record")
    MERIT = "merit", _("三等功 candidate")
    PROMOTION = "promotion", _("eligible for promotion by record")
    TALK = "talk", _("admonishment talk")
    FLAG = "flag", _("flagged for handling")


class ConsequenceRule(models.Model):
    """"N consecutive annual grades among these → this consequence", per department."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    consequence = models.CharField(_("consequence"), max_length=10,
                                   choices=Consequence.choices)
    grades = models.JSONField(_("annual grades"), default=list)
    years = models.PositiveSmallIntegerField(_("consecutive years"), default=1)
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(years__gte=1) & Q(years__lte=10),
                                              name="consequence_years_range")]

    def __str__(self):
        return f"{self.consequence} ×{self.years}"


# The standard rules (consequence, annual grade codes, consecutive years) a department
# starts with; written down with its first plan (services.consequence_rules_seed) and
# shown, unsaved, for a department that has none yet (selectors.consequence_rules).
DEFAULT_RULES = [
    (Consequence.REWARD, ["1"], 1),
    (Consequence.MERIT, ["1"], 3),
    (Consequence.PROMOTION, ["1", "2"], 2),
    (Consequence.TALK, ["3"], 1),
    (Consequence.FLAG, ["4"], 2),
]
