"""Heart-to-heart talks (谈心谈话), their coverage rules and trigger events, and the head's
six visits (六访): terms, visit flags, visits and the problems they raise."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zugong.core.fields import EncryptedTextField
from zugong.core.periods import PeriodKind
from zugong.people.models import OrgUnit, Person


class TalkKind(models.TextChoices):
    HEART = "heart", _("heart-to-heart talk (谈心)")
    INTEGRITY = "integrity", _("integrity talk (廉政谈话)")
    REMINDER = "reminder", _("reminder talk (提醒谈话)")
    COLLECTIVE = "collective", _("collective integrity talk (集体廉政谈话)")
    PRE_APPOINTMENT = "pre_appointment", _("pre-appointment talk (任前谈话)")
    # 六必谈: the occasions on which a talk is a must.
    JOB_CHANGE = "job_change", _("must-talk: job change")
    AWARD = "award", _("must-talk: award")
    MISFORTUNE = "misfortune", _("must-talk: family misfortune")
    EARLY_SIGNS = "early_signs", _("must-talk: early signs of a problem")
    DISCIPLINE = "discipline", _("must-talk: after disciplinary action")
    EVALUATION = "evaluation", _("must-talk: after an evaluation result")


# Kinds that are one leader with one or a few people; a collective talk to a whole
# department does not cover any pair.
PAIR_KINDS = tuple(k for k in TalkKind.values if k != TalkKind.COLLECTIVE)


class Talk(models.Model):
    """A talk held by one person with one or more counterparts on a day."""

    by = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("held by"))
    counterparts = models.ManyToManyField(Person, through="TalkParty", related_name="+",
                                          verbose_name=_("with"))
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=TalkKind.choices,
                            default=TalkKind.HEART)
    place = models.CharField(_("place"), max_length=100, blank=True)
    # What was said is sensitive: encrypted at rest, shown only to the parties, their
    # leaders with the talks-sensitive capability and supervision officers, every read logged.
    summary = EncryptedTextField(_("what was discussed"), blank=True)
    trigger = models.ForeignKey("TriggerEvent", models.SET_NULL, null=True, blank=True,
                                related_name="talks", verbose_name=_("occasion"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("talk")
        indexes = [models.Index(fields=["by", "held_on"], name="talk_by_held"),
                   models.Index(fields=["kind", "held_on"], name="talk_kind_held")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=TalkKind.values),
                                              name="talk_kind_valid")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"


class TalkParty(models.Model):
    """A counterpart of a talk; the date is copied so that coverage reads one index."""

    talk = models.ForeignKey(Talk, models.CASCADE, related_name="parties")
    person = models.ForeignKey(Person, models.PROTECT, related_name="+")
    held_on = models.DateField()
    # The counterpart's own word that the talk took place: a talk recorded by the junior
    # side counts for a leader's pair (or for peers) only once the other party confirms.
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "held_on"], name="talkparty_person_held")]
        constraints = [models.UniqueConstraint(fields=["talk", "person"],
                                               name="talkparty_unique")]

    def __str__(self):
        return f"{self.talk_id}:{self.person_id}"


class FollowUp(models.Model):
    """Something agreed in a talk: who does it, by when, and whether it is done."""

    talk = models.ForeignKey(Talk, models.CASCADE, related_name="follow_ups")
    text = models.CharField(_("follow-up item"), max_length=300)
    owner = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("owner"))
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "due_on"], name="followup_owner_due")]

    def __str__(self):
        return self.text


class TriggerKind(models.TextChoices):
    JOB_CHANGE = "job_change", _("job change")
    AWARD = "award", _("award")
    MISFORTUNE = "misfortune", _("family misfortune")
    EARLY_SIGNS = "early_signs", _("early signs of a problem")
    DISCIPLINE = "discipline", _("disciplinary action")
    EVALUATION = "evaluation", _("evaluation result")


class TriggerEvent(models.Model):
    """An occasion after which someone must be talked with (六必谈)."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="+",
                               verbose_name=_("person"))
    kind = models.CharField(_("occasion"), max_length=20, choices=TriggerKind.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["person", "on"], name="trigger_person_on")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=TriggerKind.values),
                                              name="trigger_kind_valid")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"


class Relation(models.TextChoices):
    HEAD_DEPUTIES = "head_deputies", _("head with each deputy head")
    DEPUTY_CHARGE = "deputy_charge", _("deputy head with each section chief and cadre in charge")
    CHIEF_SECTION = "chief_section", _("section chief with each cadre of the section")
    PEERS = "peers", _("colleagues of a section with each other")
    TRIGGER = "trigger", _("a talk within N days of a must-talk occasion")


class CoverageRule(models.Model):
    """A department's rule: "these pairs talk at least N times per period", or "a talk
    within N days of an occasion"."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    relation = models.CharField(_("who with whom"), max_length=20, choices=Relation.choices)
    threshold = models.PositiveSmallIntegerField(_("at least"), default=1)
    period = models.CharField(_("per"), max_length=10, choices=PeriodKind.choices,
                              default=PeriodKind.YEAR)
    within_days = models.PositiveSmallIntegerField(_("within days (occasions)"), default=30)
    remind_days = models.PositiveSmallIntegerField(_("remind days before due"), default=14)
    is_active = models.BooleanField(_("in force"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["department", "relation", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gte=1), name="coverage_threshold_min"),
            models.CheckConstraint(condition=Q(within_days__gte=1), name="coverage_within_min"),
            models.UniqueConstraint(fields=["department", "relation"],
                                    condition=Q(is_active=True),
                                    name="coverage_one_active_per_relation"),
        ]

    def __str__(self):
        return self.get_relation_display()


class Term(models.Model):
    """A leadership term of a department: 届内遍访 is measured over it."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    follow_up_months = models.JSONField(_("return visits, months after promotion"),
                                        default=list)
    handling_days = models.PositiveSmallIntegerField(
        _("visit within days of organizational handling"), default=7)
    home_visit_days = models.PositiveSmallIntegerField(
        _("home visit within days of the difficulty"), default=30)

    class Meta:
        ordering = ["-start"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")),
                                              name="term_range")]

    def __str__(self):
        return self.name


DIFFICULTY_NOTE_MAX = 200


class VisitFlags(models.Model):
    """What the visit plan needs to know about a managed cadre (kept here, keyed by
    person, so that the people registry's form stays about the A01 record)."""

    person = models.OneToOneField(Person, models.CASCADE, related_name="visit_flags",
                                  verbose_name=_("person"))
    is_key = models.BooleanField(_("key cadre (visit within the year)"), default=False)
    # No "promoted on" here: the appointment date is the registry's (the current résumé
    # line), so return visits follow the A17 record, not a hand-set date.
    difficulty_since = models.DateField(_("in difficulty since"), null=True, blank=True)
    # Sensitive like a talk's summary ("家人重病"): encrypted at rest. The form and the
    # service keep it to DIFFICULTY_NOTE_MAX characters.
    difficulty_note = EncryptedTextField(_("difficulty"), blank=True)
    handling_since = models.DateField(_("under organizational handling since"), null=True,
                                      blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.person_id)


class VisitKind(models.TextChoices):
    TOUR = "tour", _("term-wide visit (届内遍访)")
    ANNUAL = "annual", _("yearly visit of key cadres (年内走访)")
    RETURN = "return", _("return visit after promotion (定期回访)")
    HOME = "home", _("home visit in difficulty (适时家访)")
    WALK_IN = "walk_in", _("walk-in (随时接访)")
    PROMPT = "prompt", _("prompt visit under handling (及时探访)")


class Visit(models.Model):
    """A visit to a managed cadre: who went, where, when, what was learned."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="+",
                               verbose_name=_("visited"))
    visitors = models.ManyToManyField(Person, related_name="+", verbose_name=_("visitors"))
    kind = models.CharField(_("kind"), max_length=10, choices=VisitKind.choices)
    on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100)
    # Sensitive like a talk's summary: encrypted at rest.
    findings = EncryptedTextField(_("what was learned"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["person", "on"], name="visit_person_on")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=VisitKind.values),
                                              name="visit_kind_valid")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"


class VisitProblem(models.Model):
    """A problem raised in a visit and its follow-up (solved or not)."""

    visit = models.ForeignKey(Visit, models.CASCADE, related_name="problems")
    # Copied from the visit so that the metrics count per person and date on one table.
    person = models.ForeignKey(Person, models.PROTECT, related_name="+")
    raised_on = models.DateField()
    text = models.CharField(_("problem raised"), max_length=300)
    follow_up = models.CharField(_("follow-up"), max_length=300, blank=True)
    solved_on = models.DateField(_("solved on"), null=True, blank=True)

    class Meta:
        ordering = ["raised_on", "id"]
        indexes = [models.Index(fields=["person", "raised_on"], name="problem_person_raised"),
                   models.Index(fields=["person", "solved_on"], name="problem_person_solved")]

    def __str__(self):
        return self.text
