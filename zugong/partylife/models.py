"""Party life and rectification (M05, M32, M46 and the meeting side of M01 in DOMAIN.md).

A department's own Party organization is its 机关党支部 (the department's unit) with one
党小组 per section: branch meetings are held by the department's unit, group meetings by a
section. Members are the department's organization cadres.

* Meetings (三会一课, 主题党日, 组织生活会, 民主生活会, 民主评议党员, red-base visits) with their
  attendance, agenda and minutes (encrypted when marked sensitive).
* Frequency rules (how often a branch holds each kind) as rows, read by ``coverage``.
* The 组织生活会 / 民主生活会 flow: preparation talks (ids of talks-app records), opinions
  solicited, each member's checking material, criticisms per pair, 民主评议 grades.
* The three lists (M46): responsibilities, problems and rectification measures.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.fields import EncryptedTextField
from zugong.core.records import PersonRecord
from zugong.people.models import OrgUnit, Person


class MeetingKind(models.TextChoices):
    ASSEMBLY = "assembly", _("branch members' assembly (支部党员大会)")
    COMMITTEE = "committee", _("branch committee meeting (支委会)")
    GROUP = "group", _("Party group meeting (党小组会)")
    LECTURE = "lecture", _("Party lecture (党课)")
    THEME_DAY = "theme_day", _("theme Party day (主题党日)")
    ORG_LIFE = "org_life", _("organization life meeting (组织生活会)")
    DEMOCRATIC_LIFE = "dem_life", _("democratic life meeting (民主生活会)")
    APPRAISAL = "appraisal", _("democratic appraisal of members (民主评议党员)")
    RED_VISIT = "red_visit", _("visit to a red education base")


# Kinds held with the 组织生活会 flow (preparation, criticism, appraisal, rectification).
LIFE_KINDS = (MeetingKind.ORG_LIFE, MeetingKind.DEMOCRATIC_LIFE, MeetingKind.APPRAISAL)
# Kinds a section's Party group holds; every other kind is held by the branch.
GROUP_KINDS = (MeetingKind.GROUP,)


class Meeting(models.Model):
    """A Party meeting held by a branch (the department) or a Party group (a section)."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                             verbose_name=_("branch or group"))
    kind = models.CharField(_("meeting kind"), max_length=12, choices=MeetingKind.choices)
    held_on = models.DateField(_("date"))
    title = models.CharField(_("subject"), max_length=200)
    place = models.CharField(_("place"), max_length=100, blank=True)
    chair = models.ForeignKey(Person, models.PROTECT, related_name="+",
                              verbose_name=_("chaired by"))
    sensitive = models.BooleanField(_("minutes are sensitive"), default=False)
    # Always stored encrypted; "sensitive" decides who may read them (see access.py).
    minutes = EncryptedTextField(_("minutes"), blank=True)
    # The learning app's FirstTopic written for the 第一议题 item (its id, no foreign key
    # across apps): attendance counts as study there, once.
    first_topic_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("Party meeting")
        indexes = [models.Index(fields=["unit", "held_on"], name="pl_meeting_unit_on"),
                   models.Index(fields=["department", "held_on"], name="pl_meeting_dept_on"),
                   models.Index(fields=["chair", "held_on"], name="pl_meeting_chair_on")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=MeetingKind.values),
                                              name="pl_meeting_kind_valid")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"

    @property
    def is_life_meeting(self) -> bool:
        return self.kind in LIFE_KINDS


class AgendaItem(models.Model):
    """One item on a meeting's agenda; the first may be the 第一议题 study."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("agenda item"), max_length=200)
    first_topic = models.BooleanField(_("第一议题"), default=False)

    class Meta:
        ordering = ["position"]
        verbose_name = _("agenda item")
        constraints = [models.UniqueConstraint(fields=["meeting", "position"],
                                               name="pl_agenda_position_unique")]

    def __str__(self):
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent with reason")
    MADE_UP = "made_up", _("made up (补学)")


class Attendance(PersonRecord):
    """Whether a member attended a meeting; ``on`` is the meeting's day."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="attendance")
    kind = models.CharField(_("meeting kind"), max_length=12, choices=MeetingKind.choices)
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason for absence"), max_length=200, blank=True)
    made_up_on = models.DateField(_("made up on"), null=True, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("attendance")
        indexes = [models.Index(fields=["person", "on"], name="pl_attendance_person_on")]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="pl_attendance_once"),
            models.CheckConstraint(condition=Q(status="present") | ~Q(reason=""),
                                   name="pl_attendance_absence_has_reason"),
            models.CheckConstraint(condition=~Q(status="made_up") | Q(made_up_on__isnull=False),
                                   name="pl_attendance_made_up_has_day"),
        ]

    def __str__(self):
        return f"{self.person_id} {self.get_status_display()}"

    @property
    def counts(self) -> bool:
        """Present, or absent and made up: the member took part."""
        return self.status in (AttendanceStatus.PRESENT, AttendanceStatus.MADE_UP)


class Frequency(models.TextChoices):
    MONTH = "month", _("monthly")
    QUARTER = "quarter", _("quarterly")
    HALF = "half", _("half-yearly")
    YEAR = "year", _("yearly")


# The regulations' defaults (《中国共产党支部工作条例（试行）》 art. 19): the branch assembly
# and the Party lecture once a quarter, the committee and the groups once a month, a theme
# Party day once a month; the 组织生活会 once a year.
DEFAULT_FREQUENCIES = (
    (MeetingKind.ASSEMBLY, Frequency.QUARTER, 1),
    (MeetingKind.COMMITTEE, Frequency.MONTH, 1),
    (MeetingKind.GROUP, Frequency.MONTH, 1),
    (MeetingKind.LECTURE, Frequency.QUARTER, 1),
    (MeetingKind.THEME_DAY, Frequency.MONTH, 1),
    (MeetingKind.ORG_LIFE, Frequency.YEAR, 1),
)


class FrequencyRule(models.Model):
    """How often a department's branch (or each of its groups) holds a kind of meeting."""

    department = models.ForeignKey(OrgUnit, models.CASCADE, related_name="+",
                                   verbose_name=_("department"))
    kind = models.CharField(_("meeting kind"), max_length=12, choices=MeetingKind.choices)
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    times = models.PositiveSmallIntegerField(_("times per period"), default=1)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["department", "kind"]
        verbose_name = _("meeting frequency rule")
        constraints = [
            models.UniqueConstraint(fields=["department", "kind"], name="pl_rule_once"),
            models.CheckConstraint(condition=Q(times__gte=1) & Q(times__lte=31),
                                   name="pl_rule_times_range"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.get_frequency_display()}"


# ---------------------------------------------------------------- the 组织生活会 flow


class PrepTalk(models.Model):
    """A talk held before a life meeting (谈心谈话), linked to the talks app by id."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="prep_talks")
    talk_id = models.PositiveBigIntegerField(_("talk"))
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                  blank=True, related_name="+")

    class Meta:
        verbose_name = _("talk before the meeting")
        constraints = [models.UniqueConstraint(fields=["meeting", "talk_id"],
                                               name="pl_preptalk_once")]

    def __str__(self):
        return f"{self.meeting_id}:{self.talk_id}"


class Opinion(models.Model):
    """An opinion solicited before a life meeting (征求意见), from whom, and what it says."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="opinions")
    source = models.CharField(_("from"), max_length=100)
    content = EncryptedTextField(_("opinion"))
    received_on = models.DateField(_("received on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("solicited opinion")

    def __str__(self):
        return self.source


class Material(PersonRecord):
    """A member's checking material (对照检查材料) for a life meeting, checked by a leader."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="materials")
    text = EncryptedTextField(_("checking material"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    checked_on = models.DateField(_("checked on"), null=True, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("checking material")
        indexes = [models.Index(fields=["person", "on"], name="pl_material_person_on")]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"],
                                               name="pl_material_once")]

    def __str__(self):
        return f"{self.meeting_id}:{self.person_id}"


class Criticism(PersonRecord):
    """One criticism at a life meeting: ``person`` gave it to ``receiver`` (批评与自我批评);
    seen only by the two and by leaders over both."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="criticisms")
    receiver = models.ForeignKey(Person, models.PROTECT, related_name="+",
                                 verbose_name=_("received by"))
    content = EncryptedTextField(_("criticism"))
    response = EncryptedTextField(_("response"), blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("criticism")
        indexes = [models.Index(fields=["person", "on"], name="pl_criticism_person_on"),
                   models.Index(fields=["receiver", "on"], name="pl_criticism_receiver_on")]
        constraints = [models.CheckConstraint(condition=~Q(person=models.F("receiver")),
                                              name="pl_criticism_not_self")]

    def __str__(self):
        return f"{self.person_id}→{self.receiver_id}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("excellent (优秀)")
    QUALIFIED = "qualified", _("qualified (合格)")
    BASIC = "basic", _("basically qualified (基本合格)")
    UNQUALIFIED = "unqualified", _("unqualified (不合格)")


class Appraisal(PersonRecord):
    """A member's 民主评议 result at a meeting."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="appraisals")
    grade = models.CharField(_("appraisal grade"), max_length=12, choices=Grade.choices)

    class Meta(PersonRecord.Meta):
        verbose_name = _("democratic appraisal")
        indexes = [models.Index(fields=["person", "on"], name="pl_appraisal_person_on")]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="pl_appraisal_once"),
            models.CheckConstraint(condition=Q(grade__in=Grade.values),
                                   name="pl_appraisal_grade_valid"),
        ]

    def __str__(self):
        return f"{self.person_id} {self.get_grade_display()}"


# ---------------------------------------------------------------- the three lists (M46)


class Duty(models.Model):
    """A line of the responsibility list (责任清单): a unit's or a person's duty for a year."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("unit"))
    person = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("responsible person"))
    year = models.PositiveSmallIntegerField(_("year"))
    duty = models.CharField(_("responsibility"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")

    class Meta:
        ordering = ["-year", "unit", "id"]
        verbose_name = _("responsibility")
        indexes = [models.Index(fields=["department", "year"], name="pl_duty_dept_year")]

    def __str__(self):
        return self.duty


class ProblemSource(models.TextChoices):
    MEETING = "meeting", _("life meeting")
    INSPECTION = "inspection", _("inspection")
    SUPERVISION = "supervision", pgettext_lazy("problem source", "supervision")
    SELF_CHECK = "self_check", _("self-check")


class Problem(models.Model):
    """A line of the problem list (问题清单): what was found, where, about whom."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("unit"))
    person = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("person concerned"))
    source = models.CharField(_("source"), max_length=12, choices=ProblemSource.choices)
    meeting = models.ForeignKey(Meeting, models.PROTECT, null=True, blank=True,
                                related_name="problems", verbose_name=_("meeting"))
    self_found = models.BooleanField(_("found by the member themself"), default=False)
    found_on = models.DateField(_("found on"))
    description = models.TextField(_("problem"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("problem")
        indexes = [models.Index(fields=["person", "found_on"], name="pl_problem_person_on"),
                   models.Index(fields=["department", "found_on"], name="pl_problem_dept_on")]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=ProblemSource.values),
                                   name="pl_problem_source_valid"),
            models.CheckConstraint(condition=~Q(source="meeting") | Q(meeting__isnull=False),
                                   name="pl_problem_meeting_named"),
        ]

    def __str__(self):
        return self.description[:40]


class MeasureStatus(models.TextChoices):
    OPEN = "open", _("in progress")
    SUBMITTED = "submitted", _("evidence submitted")
    CLOSED = "closed", pgettext_lazy("rectification", "closed")


class RectMeasure(models.Model):
    """A line of the rectification list (整改清单): a measure against a problem, its owner and
    deadline, the owner's evidence, and verification and closure by someone else."""

    problem = models.ForeignKey(Problem, models.PROTECT, related_name="measures",
                                verbose_name=_("problem"))
    owner = models.ForeignKey(Person, models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    action = models.CharField(_("rectification measure"), max_length=300)
    set_on = models.DateField(_("set on"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("state"), max_length=10, choices=MeasureStatus.choices,
                              default=MeasureStatus.OPEN)
    evidence = models.TextField(_("evidence"), blank=True)
    submitted_on = models.DateField(_("evidence submitted on"), null=True, blank=True)
    verified_by = models.ForeignKey(Person, models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("verified by"))
    verification = models.CharField(_("verification note"), max_length=300, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("rectification measure")
        indexes = [models.Index(fields=["owner", "set_on"], name="pl_measure_owner_on"),
                   models.Index(fields=["status", "deadline"], name="pl_measure_status_due")]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=models.F("set_on")),
                                   name="pl_measure_deadline_after_set"),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_on__isnull=False)
                                                 & Q(verified_by__isnull=False)),
                name="pl_measure_closed_verified"),
            models.CheckConstraint(condition=~Q(verified_by=models.F("owner")),
                                   name="pl_measure_verified_by_other"),
        ]

    def __str__(self):
        return self.action[:40]

    def overdue(self, today) -> bool:
        return self.status != MeasureStatus.CLOSED and self.deadline < today

    @property
    def closed_on_time(self) -> bool:
        return self.status == MeasureStatus.CLOSED and self.closed_on <= self.deadline
