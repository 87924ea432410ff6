"""Learning records (study, notes, books, writings, 第一议题), regimes and exemptions."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zugong.core import metrics
from zugong.core.periods import PeriodKind
from zugong.core.records import PersonRecord, Reviewable, ReviewStatus  # noqa: F401 re-exported
from zugong.people.models import OrgUnit, Person, PersonCategory, Role


def PENDING_INDEX(kind: str) -> models.Index:  # noqa: N802 (reads as a constant in Meta)
    """The records waiting for confirmation, by person: the confirmation queue and its
    counts on every chief's workbench read only these. Without it PostgreSQL scans every
    record of the kind (a tenth are pending: it guesses a section has 48 people, not 6)."""
    return models.Index(fields=["person", "on"], condition=Q(status=ReviewStatus.PENDING),
                        name=f"{kind}_pending")


class LearningRecord(PersonRecord, Reviewable):
    """What every learning record has: whose, when, and its confirmation state."""

    # Who last changed the record after it was entered: they may not confirm that edit.
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                  blank=True, related_name="+")

    class Meta(PersonRecord.Meta):
        abstract = True


class StudyForm(models.TextChoices):
    SELF = "self", _("self-study")
    FRIDAY = "friday", _("Friday collective study")
    FIRST_TOPIC = "first_topic", _("first topic (第一议题)")
    CENTRE_GROUP = "centre_group", _("theory centre group")
    PARTY_GROUP = "party_group", _("Party group")
    READING_CLASS = "reading_class", _("reading class")
    ONLINE = "online", _("online platform (学习强国 etc.)")
    TRAINING = "training", _("training course")


class FirstTopic(models.Model):
    """A 第一议题 study at the start of a meeting; attendance counts as study for each attendee."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    meeting = models.CharField(_("meeting"), max_length=100)
    held_on = models.DateField(_("date"))
    content = models.TextField(_("what was studied"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    attendees = models.ManyToManyField(Person, related_name="+", verbose_name=_("attendees"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["department", "held_on"], name="firsttopic_dept_date")]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24),
                                              name="firsttopic_hours_range")]

    def __str__(self):
        return f"{self.meeting} {self.held_on:%Y-%m-%d}"


class StudySession(LearningRecord):
    """A study session: date, hours, form, topic, materials."""

    record_kind = "study"  # the slug used in URLs, the API and metric links

    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    form = models.CharField(_("form"), max_length=20, choices=StudyForm.choices,
                            default=StudyForm.SELF)
    topic = models.CharField(_("topic"), max_length=200)
    materials = models.TextField(_("materials"), blank=True)
    first_topic = models.ForeignKey(FirstTopic, models.CASCADE, null=True, blank=True,
                                    related_name="sessions")

    class Meta(LearningRecord.Meta):
        verbose_name = _("study session")
        # (person, on) first for every per-person query; status and hours too, so that the
        # compliance sums are answered from the index alone (the benchmark: a third less
        # database time for a province).
        indexes = [models.Index(fields=["person", "on", "status", "hours"],
                                name="study_person_on_cover"),
                   PENDING_INDEX("study")]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24),
                                   name="study_hours_range"),
            models.UniqueConstraint(fields=["first_topic", "person"],
                                    condition=Q(first_topic__isnull=False),
                                    name="study_one_per_first_topic"),
        ]

    def __str__(self):
        return f"{self.topic} ({self.hours}h)"


class StudyNote(LearningRecord):
    """Study notes: typed text (counted by the system) or a paper notebook with photos."""

    record_kind = "note"  # the slug used in URLs, the API and metric links

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    is_paper = models.BooleanField(_("paper notebook"), default=False)
    char_count = models.PositiveIntegerField(_("characters"))

    class Meta(LearningRecord.Meta):
        verbose_name = _("study note")
        indexes = [models.Index(fields=["person", "on"], name="note_person_on"),
                   PENDING_INDEX("note")]
        constraints = [models.CheckConstraint(condition=Q(char_count__gt=0),
                                              name="note_chars_positive")]

    def __str__(self):
        return self.title


def _evidence_path(instance, filename):
    return f"learning/{timezone.now():%Y/%m}/{filename}"


class NotePhoto(models.Model):
    """A photo of a paper notebook's pages, kept as evidence of the count."""

    note = models.ForeignKey(StudyNote, models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=_evidence_path)

    def __str__(self):
        return self.image.name


class ReadingItem(models.Model):
    """A book on a department's recommended reading list."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    title = models.CharField(_("title"), max_length=200)
    author = models.CharField(_("author"), max_length=100, blank=True)
    year = models.PositiveIntegerField(_("year"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_active = models.BooleanField(_("on the list"), default=True)

    class Meta:
        ordering = ["-year", "title"]
        constraints = [models.UniqueConstraint(fields=["department", "year", "title"],
                                               name="reading_item_unique")]

    def __str__(self):
        return self.title


class BookRead(LearningRecord):
    """A book finished (the month of ``on`` is the month it counts for)."""

    record_kind = "book"  # the slug used in URLs, the API and metric links

    title = models.CharField(_("title"), max_length=200)
    author = models.CharField(_("author"), max_length=100, blank=True)
    reading_item = models.ForeignKey(ReadingItem, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("from the reading list"))
    summary = models.TextField(_("what I took from it"), blank=True)

    class Meta(LearningRecord.Meta):
        verbose_name = _("book read")
        indexes = [models.Index(fields=["person", "on"], name="book_person_on"),
                   PENDING_INDEX("book")]

    def __str__(self):
        return self.title


class WritingKind(models.TextChoices):
    INFO = "info", _("information item (信息)")
    ARTICLE = "article", _("published article")
    REFLECTION = "reflection", _("reflection (心得)")
    RESEARCH = "research", _("research report (调研报告)")


class OutletLevel(models.TextChoices):
    NATIONAL = "national", _("national")
    PROVINCIAL = "provincial", _("provincial")
    PREFECTURAL = "prefectural", _("prefectural")
    CITY = "city", _("city")
    COUNTY = "county", _("county")


# "City level or above" in the seeds' sense (汉滨: ≥5 articles a year).
CITY_OR_ABOVE = (OutletLevel.NATIONAL, OutletLevel.PROVINCIAL, OutletLevel.PREFECTURAL,
                 OutletLevel.CITY)


class Writing(LearningRecord):
    """Something written: an information item, an article, a reflection, a research report."""

    record_kind = "writing"  # the slug used in URLs, the API and metric links

    kind = models.CharField(_("kind"), max_length=12, choices=WritingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    outlet = models.CharField(_("outlet"), max_length=100, blank=True)
    outlet_level = models.CharField(_("outlet level"), max_length=12,
                                    choices=OutletLevel.choices, blank=True)
    link = models.URLField(_("link"), blank=True)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file or scan"), upload_to=_evidence_path, blank=True)

    class Meta(LearningRecord.Meta):
        verbose_name = _("writing")
        indexes = [models.Index(fields=["person", "on"], name="writing_person_on"),
                   models.Index(fields=["kind", "on"], name="writing_kind_on"),
                   PENDING_INDEX("writing")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=WritingKind.values),
                                              name="writing_kind_valid")]

    def __str__(self):
        return self.title


# kind slug → model; the slug is what URLs, the API and metric links use.
RECORD_MODELS = {"study": StudySession, "note": StudyNote, "book": BookRead,
                 "writing": Writing}


class StudyMaterial(models.Model):
    """A document or link in a department's shared study-materials library."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=_evidence_path, blank=True)
    link = models.URLField(_("link"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                 related_name="+")
    added_on = models.DateField(_("added on"), default=timezone.localdate)

    class Meta:
        ordering = ["-added_on", "-id"]

    def __str__(self):
        return self.title


class Regime(models.Model):
    """A department's learning rule set and its settings."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    name = models.CharField(_("name"), max_length=100)
    preset = models.CharField(_("loaded from preset"), max_length=20, blank=True)
    count_unconfirmed = models.BooleanField(
        _("count records not yet confirmed"), default=False,
        help_text=_("Otherwise only records confirmed by the section chief count."))
    remind_days = models.PositiveSmallIntegerField(
        _("remind this many days before a period ends"), default=5)
    copy_threshold = models.DecimalField(
        _("copy-detection threshold"), max_digits=3, decimal_places=2, default=0.5,
        help_text=_("Share of a text found in another text (0–1) from which it is flagged."))
    is_active = models.BooleanField(_("in force"), default=True)
    # The days the regime governs: a regime loaded later keeps the earlier one for the
    # periods before it (None: from the beginning / still in force).
    valid_from = models.DateField(_("governs from"), null=True, blank=True)
    valid_to = models.DateField(_("governs until"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["department"], condition=Q(is_active=True),
                                    name="regime_one_active_per_department"),
            models.CheckConstraint(condition=Q(copy_threshold__gt=0) & Q(copy_threshold__lte=1),
                                   name="regime_copy_threshold_range"),
        ]

    def __str__(self):
        return self.name


class DayBasis(models.TextChoices):
    WORKING = "working", _("working days")
    CALENDAR = "calendar", _("calendar days")


class RegimeRule(models.Model):
    """One version of a rule: "metric ≥ threshold per period, for these people, from a date".

    Changing a rule closes this version (``valid_to``) and opens a new one in the same
    ``series``, so past periods are judged by the version in force then.
    """

    regime = models.ForeignKey(Regime, models.CASCADE, related_name="rules")
    series = models.PositiveIntegerField(_("rule number"))
    metric = models.CharField(_("metric"), max_length=60)
    threshold = models.DecimalField(_("at least"), max_digits=10, decimal_places=1)
    period = models.CharField(_("per"), max_length=10, choices=PeriodKind.choices)
    # A daily rule ("1 hour a day") counts working days (the official calendar) unless
    # the department says calendar days.
    days = models.CharField(_("days counted"), max_length=10, choices=DayBasis.choices,
                            default=DayBasis.WORKING)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    roles = models.JSONField(_("roles"), default=list, blank=True)
    sections = models.ManyToManyField(OrgUnit, blank=True, related_name="+",
                                      verbose_name=_("sections"))
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["series", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gt=0), name="rule_threshold_positive"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True)
                                   | Q(valid_to__gte=F("valid_from")),
                                   name="rule_valid_range"),
            models.UniqueConstraint(fields=["regime", "series", "valid_from"],
                                    name="rule_version_unique"),
        ]

    def __str__(self):
        return f"{self.metric} ≥ {self.threshold}/{self.period}"

    @property
    def metric_label(self) -> str:
        return str(metrics.get(self.metric).label) if metrics.exists(self.metric) else self.metric

    @property
    def metric_unit(self) -> str:
        """What the threshold counts (学时, 本, 篇, 字), so "≥ 1" reads "≥ 1 学时"."""
        return str(metrics.get(self.metric).unit) if metrics.exists(self.metric) else ""

    @property
    def audience_labels(self) -> list[str]:
        """Who the rule is for, in words (sections come from the prefetched relation)."""
        categories = dict(PersonCategory.choices)
        roles = dict(Role.choices)
        return ([str(categories.get(c, c)) for c in self.categories]
                + [str(roles.get(r, r)) for r in self.roles]
                + [s.name for s in self.sections.all()])


class CalendarDay(models.Model):
    """A correction to the official calendar of holidays and adjusted working days, for
    years the ``chinesecalendar`` package does not cover (or to correct it): this day is
    (or is not) a working day."""

    day = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("calendar day")

    def __str__(self):
        return f"{self.day} {'workday' if self.is_workday else 'holiday'}"


class ExemptionKind(models.TextChoices):
    LEAVE = "leave", _("leave")
    SECONDMENT = "secondment", _("secondment")
    TRAINING = "training", _("full-time training")
    OTHER = "other", _("other")


class Exemption(models.Model):
    """Days on which a person is not held to the rules (all, or one rule series)."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="+",
                               verbose_name=_("person"))
    kind = models.CharField(_("kind"), max_length=12, choices=ExemptionKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    regime = models.ForeignKey(Regime, models.CASCADE, related_name="exemptions")
    series = models.PositiveIntegerField(_("only rule number"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start"]
        indexes = [models.Index(fields=["person", "start"], name="exemption_person_start")]
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")),
                                              name="exemption_range")]

    def __str__(self):
        return f"{self.person} {self.start}–{self.end}"


class CopyFlag(models.Model):
    """A text that largely repeats another person's or an earlier text, for the chief."""

    class State(models.TextChoices):
        OPEN = "open", _("to review")
        CONFIRMED = "confirmed", _("confirmed as copied")
        DISMISSED = "dismissed", _("dismissed")

    person = models.ForeignKey(Person, models.CASCADE, related_name="+")
    source_kind = models.CharField(max_length=10)
    source_id = models.PositiveIntegerField()
    other_kind = models.CharField(max_length=10)
    other_id = models.PositiveIntegerField()
    other_person = models.ForeignKey(Person, models.CASCADE, related_name="+")
    score = models.DecimalField(max_digits=4, decimal_places=3)
    passages = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(
            fields=["source_kind", "source_id", "other_kind", "other_id"],
            name="copyflag_pair_unique")]

    def __str__(self):
        return f"{self.source_kind}:{self.source_id} ~ {self.other_kind}:{self.other_id}"


class MonthSummary(models.Model):
    """One person's figure of one learning metric in one month, confirmed and pending
    apart (``summaries``: kept by the services that write records, rebuilt on demand)."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="+")
    metric = models.CharField(max_length=60)
    month = models.DateField()  # the first day of the month
    confirmed = models.DecimalField(max_digits=14, decimal_places=1, default=0)
    pending = models.DecimalField(max_digits=14, decimal_places=1, default=0)

    class Meta:
        # (metric, month) first: the compliance of a province reads one metric over a
        # span of months for everybody; the values too, so it reads the index alone.
        indexes = [models.Index(fields=["metric", "month", "person", "confirmed", "pending"],
                                name="monthsummary_read")]
        constraints = [models.UniqueConstraint(fields=["person", "metric", "month"],
                                               name="monthsummary_unique")]

    def __str__(self):
        return f"{self.person_id} {self.metric} {self.month:%Y-%m}"
