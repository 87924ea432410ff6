"""Supervision records (M04, M19 in DOMAIN.md): the everyday measures 提醒, 函询 and 诫勉,
and leading cadres' personal-matter reports with their checks.

Every free text here is sensitive: it is stored encrypted (SM4, ``EncryptedTextField``),
read only with the supervision capability in scope, and each read of a record's content
is audited (``supervision.measure.view``, ``supervision.report.view``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.fields import EncryptedTextField
from zugong.core.periods import add_months
from zugong.core.records import PersonRecord
from zugong.people.models import OrgUnit

# 《党政领导干部选拔任用工作条例》(2019) art. 26: a cadre under 诫勉 is not promoted or
# given heavier duties for six months from the decision.
ADMONISHMENT_MONTHS = 6
# 《领导干部报告个人有关事项规定》(2017): the yearly report by 31 January, a change within
# 30 days of it.
ANNUAL_DUE_MONTH_DAY = (1, 31)
CHANGE_DUE_DAYS = 30


class MeasureKind(models.TextChoices):
    REMINDER = "reminder", _("reminder talk (提醒)")
    INQUIRY = "inquiry", _("written inquiry (函询)")
    ADMONISHMENT = "admonishment", _("admonishment (诫勉)")


class Form(models.IntegerChoices):
    """The four forms of supervision and discipline (监督执纪“四种形态”)."""

    FIRST = 1, _("first form")
    SECOND = 2, _("second form")
    THIRD = 3, _("third form")
    FOURTH = 4, _("fourth form")


class Source(models.TextChoices):
    LEAD = "lead", _("lead from a partner department")
    REPORT = "report", _("report by the public")
    INSPECTION = "inspection", _("inspection or audit")
    DAILY = "daily", _("everyday supervision")


class Verdict(models.TextChoices):
    TRUTHFUL = "truthful", _("truthful (如实)")
    UNTRUTHFUL = "untruthful", _("not truthful (不如实)")


class Measure(PersonRecord):
    """One 提醒, 函询 or 诫勉 taken with a cadre; ``on`` is the day it was taken."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    kind = models.CharField(_("measure"), max_length=14, choices=MeasureKind.choices)
    form = models.PositiveSmallIntegerField(_("form (四种形态)"), choices=Form.choices,
                                            default=Form.FIRST)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    facts = EncryptedTextField(_("facts"))
    # 函询: the inquiry's deadline, the reply, its verdict.
    reply_due = models.DateField(_("reply due"), null=True, blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    reply = EncryptedTextField(_("reply"), blank=True)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices,
                               blank=True)
    outcome = EncryptedTextField(pgettext_lazy("supervision", "outcome"), blank=True)
    # 诫勉: how long it bars promotion, from ``on`` (the decision).
    impact_months = models.PositiveSmallIntegerField(_("impact period (months)"), default=0)

    class Meta(PersonRecord.Meta):
        verbose_name = _("supervision measure")
        indexes = [models.Index(fields=["person", "on"], name="measure_person_on"),
                   models.Index(fields=["department", "on"], name="measure_dept_on")]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="inquiry") | Q(reply_due__isnull=False),
                                   name="measure_inquiry_has_deadline"),
            models.CheckConstraint(condition=~Q(kind="admonishment") | Q(impact_months__gt=0),
                                   name="measure_admonishment_has_impact"),
            models.CheckConstraint(condition=Q(verdict="") | Q(replied_on__isnull=False),
                                   name="measure_verdict_after_reply"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"

    @property
    def impact_until(self) -> dt.date | None:
        """The last day a 诫勉 bars promotion (None for other measures)."""
        if self.kind != MeasureKind.ADMONISHMENT:
            return None
        return add_months(self.on, self.impact_months) - dt.timedelta(days=1)

    @property
    def awaiting_reply(self) -> bool:
        return self.kind == MeasureKind.INQUIRY and self.replied_on is None


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("yearly report")
    CHANGE = "change", _("change report")


class CheckKind(models.TextChoices):
    RANDOM = "random", _("random check (随机抽查)")
    TARGETED = "targeted", _("targeted check (重点抽查)")


class CheckResult(models.TextChoices):
    TRUTHFUL = "truthful", _("truthful (如实)")
    OMITTED = "omitted", _("omitted (漏报)")
    CONCEALED = "concealed", _("concealed (瞒报)")


class PersonalReport(PersonRecord):
    """A leading cadre's personal-matter report (领导干部报告个人有关事项); ``on`` is the day
    it was filed. A yearly report covers ``year``; a change report names the change's day."""

    kind = models.CharField(_("report"), max_length=8, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    changed_on = models.DateField(_("day of the change"), null=True, blank=True)
    # The regulation's items, each encrypted.
    family_jobs = EncryptedTextField(_("jobs of spouse and children"), blank=True)
    marriage_abroad = EncryptedTextField(_("children married to foreigners or abroad"),
                                         blank=True)
    travel_documents = EncryptedTextField(_("passports and travel permits"), blank=True)
    real_estate = EncryptedTextField(_("real estate"), blank=True)
    investments = EncryptedTextField(_("investments, funds, shares and insurance"), blank=True)
    check_kind = models.CharField(_("check"), max_length=10, choices=CheckKind.choices,
                                  blank=True)
    check_result = models.CharField(_("check result"), max_length=10,
                                    choices=CheckResult.choices, blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    handling = EncryptedTextField(_("handling"), blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("personal-matter report")
        indexes = [models.Index(fields=["person", "on"], name="report_person_on")]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], condition=Q(kind="annual"),
                                    name="report_one_annual_per_year"),
            models.CheckConstraint(condition=~Q(kind="change") | Q(changed_on__isnull=False),
                                   name="report_change_has_day"),
            models.CheckConstraint(condition=Q(check_result="") | Q(checked_on__isnull=False),
                                   name="report_result_has_day"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}"

    @property
    def due_on(self) -> dt.date:
        return report_due(self.kind, self.year, self.changed_on)

    @property
    def on_time(self) -> bool:
        return self.on <= self.due_on


def report_due(kind: str, year: int, changed_on: dt.date | None = None) -> dt.date:
    """The regulation's deadline: 31 January of the year for the yearly report, 30 days
    after the change for a change report."""
    if kind == ReportKind.CHANGE:
        return changed_on + dt.timedelta(days=CHANGE_DUE_DAYS)
    month, day = ANNUAL_DUE_MONTH_DAY
    return dt.date(year, month, day)


# ---------------------------------------------------------------- integrity (M19, M33)


class Commitment(PersonRecord):
    """A cadre's yearly integrity commitment (廉洁自律承诺), signed by the cadre; ``on`` is
    the day it was signed."""

    year = models.PositiveSmallIntegerField(_("year"))

    class Meta(PersonRecord.Meta):
        verbose_name = _("integrity commitment")
        constraints = [models.UniqueConstraint(fields=["person", "year"],
                                               name="commitment_once_a_year")]

    def __str__(self):
        return f"{self.year}"


class PackageItem(models.TextChoices):
    """廉政“六个一”: the six things each cadre does once a year."""

    FILM = "film", _("watch a warning film (看一部警示教育片)")
    LECTURE = "lecture", _("attend a clean-government lecture (听一堂廉政党课)")
    REFLECTION = "reflection", _("write a reflection (写一篇心得体会)")
    CHECKUP = "checkup", _("take an integrity check-up (做一次廉政体检)")
    TALK = "talk", _("have an integrity talk (开展一次廉政谈话)")
    FAMILY = "family", _("share family virtues (分享一次家风故事)")


class PackageDone(PersonRecord):
    """One of the 六个一 done by a cadre in ``year``; ``on`` is the day."""

    year = models.PositiveSmallIntegerField(_("year"))
    item = models.CharField(_("item"), max_length=12, choices=PackageItem.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("integrity package item")
        constraints = [models.UniqueConstraint(fields=["person", "year", "item"],
                                               name="package_item_once_a_year")]

    def __str__(self):
        return f"{self.year} {self.get_item_display()}"


class SelfCheck(PersonRecord):
    """A risk a cadre found in their own conduct (个人行为风险隐患排查), the measure taken
    and its deadline, followed to closure; ``on`` is the day it was found."""

    risk = EncryptedTextField(_("risk found"))
    measure = EncryptedTextField(_("corrective measure"))
    due_on = models.DateField(_("deadline"))
    closed_on = models.DateField(pgettext_lazy("supervision", "closed on"), null=True,
                                 blank=True)
    closing_note = EncryptedTextField(_("how it was closed"), blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("risk self-check item")
        indexes = [models.Index(fields=["person", "on"], name="selfcheck_person_on")]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("on")),
                                   name="selfcheck_due_after_found"),
            models.CheckConstraint(condition=Q(closed_on__isnull=True)
                                   | Q(closed_on__gte=models.F("on")),
                                   name="selfcheck_closed_after_found"),
        ]

    def __str__(self):
        return f"{self.on:%Y-%m-%d}"

    def overdue(self, today: dt.date) -> bool:
        return self.closed_on is None and self.due_on < today


class RatingLevel(models.TextChoices):
    """The outcome of a yearly 清廉组室 or 清廉家庭 rating."""

    MODEL = "model", _("model (示范)")
    MET = "met", _("met the standard (达标)")
    NOT_MET = "not_met", _("not met (未达标)")


class SectionRating(models.Model):
    """清廉组室: a section of the department rated for integrity in ``year``; ``on`` is the
    day of the rating."""

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                             verbose_name=_("section"))
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("rating"), max_length=8, choices=RatingLevel.choices)
    on = models.DateField(_("date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("integrity section rating (清廉组室)")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"],
                                               name="section_rating_once_a_year")]

    def __str__(self):
        return f"{self.year} {self.get_level_display()}"


class FamilyRating(PersonRecord):
    """清廉家庭: a cadre's family rated for integrity in ``year``."""

    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("rating"), max_length=8, choices=RatingLevel.choices)

    class Meta(PersonRecord.Meta):
        verbose_name = _("integrity family rating (清廉家庭)")
        constraints = [models.UniqueConstraint(fields=["person", "year"],
                                               name="family_rating_once_a_year")]

    def __str__(self):
        return f"{self.year} {self.get_level_display()}"


class StudyActivity(models.Model):
    """A discipline-study session a section held (M33: 纪律学习 by section), with who took
    part; the summary is encrypted."""

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                             verbose_name=_("section"))
    on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    summary = EncryptedTextField(_("summary"), blank=True)
    participants = models.ManyToManyField("people.Person", related_name="+",
                                          verbose_name=_("participants"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("discipline-study activity")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["unit", "on"], name="study_unit_on")]

    def __str__(self):
        return f"{self.topic} {self.on:%Y-%m-%d}"


# ---------------------------------------------------------------- archive viewing (M48)

# How long an approved request opens the archive (the setting ZUGONG_ARCHIVE_ACCESS_DAYS
# overrides it).
ARCHIVE_ACCESS_DAYS = 3


class AccessStatus(models.TextChoices):
    PENDING = "pending", _("awaiting approval")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class ArchiveRequest(PersonRecord):
    """A request to read a cadre's supervision archive (查阅干部档案): ``person`` is the cadre,
    ``created_by`` the requester, ``on`` the day asked. Approval opens the archive to the
    requester until ``expires_at``; nothing revokes it, the time is checked at each read."""

    reason = EncryptedTextField(_("reason"))
    status = models.CharField(_("status"), max_length=8, choices=AccessStatus.choices,
                              default=AccessStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = EncryptedTextField(_("decision note"), blank=True)
    expires_at = models.DateTimeField(_("access ends at"), null=True, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("archive viewing request")
        constraints = [
            models.CheckConstraint(condition=~Q(status="approved")
                                   | Q(expires_at__isnull=False),
                                   name="archive_approved_has_expiry"),
        ]

    def __str__(self):
        return f"{self.on:%Y-%m-%d}"

    def open_at(self, now) -> bool:
        """Whether the archive is open to the requester at ``now``."""
        return self.status == AccessStatus.APPROVED and self.expires_at > now


class ArchiveView(models.Model):
    """One reading of the archive under a request (the supervision office's log)."""

    request = models.ForeignKey(ArchiveRequest, models.PROTECT, related_name="views")
    at = models.DateTimeField(_("viewed at"), default=timezone.now)

    class Meta:
        verbose_name = _("archive view")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M}"


# ---------------------------------------------------------------- joint supervision (M14)


# The partners the department starts with (migration 0006 seeds the same list).
PARTNERS = (("jwjw", "纪委监委"), ("zfw", "政法委"), ("fy", "人民法院"), ("jcy", "人民检察院"),
            ("gaj", "公安局"), ("sjj", "审计局"), ("xfj", "信访局"), ("czj", "财政局"),
            ("zrzyj", "自然资源局"), ("scjgj", "市场监管局"), ("swj", "税务局"))


class Partner(models.Model):
    """One of the partner departments of joint supervision (the department and the
    discipline commission lead 11 of them); seeded by migration 0006, kept as data."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner department")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class LeadStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    ASSIGNED = "assigned", _("assigned")
    VERIFIED = "verified", _("verified")
    CLOSED = "closed", pgettext_lazy("supervision", "closed")


class Conclusion(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("substantiated, handled (属实)")
    PARTLY = "partly", _("partly substantiated (部分属实)")
    CLEARED = "cleared", _("unfounded, name cleared (澄清正名)")
    TOLERATED = "tolerated", _("error tolerated and corrected (容错纠错)")


class Lead(PersonRecord):
    """A lead (线索) about a cadre passed on by a partner department; ``on`` is the day it
    came in. It is assigned to an officer, verified, and closed with a conclusion."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    partner = models.ForeignKey(Partner, models.PROTECT, related_name="+",
                                verbose_name=_("partner department"))
    summary = EncryptedTextField(_("what the lead says"))
    status = models.CharField(_("status"), max_length=10, choices=LeadStatus.choices,
                              default=LeadStatus.RECEIVED)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                 blank=True, related_name="+", verbose_name=_("assigned to"))
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    findings = EncryptedTextField(_("findings"), blank=True)
    closed_on = models.DateField(pgettext_lazy("supervision", "closed on"), null=True,
                                 blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=14, choices=Conclusion.choices,
                                  blank=True)
    conclusion_note = EncryptedTextField(_("basis of the conclusion"), blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("supervision lead")
        indexes = [models.Index(fields=["department", "on"], name="lead_dept_on")]
        constraints = [models.CheckConstraint(
            condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(conclusion="")),
            name="lead_closed_has_conclusion")]

    def __str__(self):
        return f"{self.on:%Y-%m-%d}"


class ObservationKind(models.TextChoices):
    AFTER_HOURS = "after_hours", _("outside working hours (八小时外)")
    SOCIAL = "social", _("social circle (社交圈)")
    LIFE = "life", _("life circle (生活圈)")
    LEISURE = "leisure", _("leisure circle (休闲圈)")
    HOME_VISIT = "home_visit", _("integrity home visit (廉政家访)")


class Observation(PersonRecord):
    """What an officer saw or heard of a cadre outside work, in the three circles, or on an
    integrity home visit; the note is encrypted."""

    kind = models.CharField(_("kind"), max_length=12, choices=ObservationKind.choices)
    note = EncryptedTextField(_("what was observed"))
    concern = models.BooleanField(_("gives cause for concern"), default=False)

    class Meta(PersonRecord.Meta):
        verbose_name = _("supervision observation")
        indexes = [models.Index(fields=["person", "on"], name="observation_person_on")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"


# ---------------------------------------------------------------- political-quality archive


class ArchiveCategory(models.TextChoices):
    """The categories of the political-quality archive (政治素质档案, 一人一档). Other apps
    file into them through the ``<app>.archive_entries`` hooks with these keys."""

    STANCE = "stance", _("political stance")
    MAJOR_TASKS = "major_tasks", _("conduct in major tasks")
    LEARNING = "learning", _("first topic and learning")
    SUPERVISION = "supervision", _("supervision measures")
    ASSESSMENT = "assessment", _("assessment")
    TALKS = "talks", _("talks")
    VISITS = "visits", _("visits")


class ArchiveEntry(PersonRecord):
    """An entry an officer files by hand in a cadre's political-quality archive (the
    political stance has no other source); entries from other apps are not copied here
    but read from them (selectors.archive_by_category). The note is encrypted."""

    category = models.CharField(_("category"), max_length=12, choices=ArchiveCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    note = EncryptedTextField(_("what is filed"), blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("archive entry")
        indexes = [models.Index(fields=["person", "on"], name="archive_entry_person_on")]

    def __str__(self):
        return f"{self.get_category_display()} {self.on:%Y-%m-%d}"


# ---------------------------------------------------------------- early warning (M04)


class Signal(models.TextChoices):
    """What can raise a cadre's early-warning level. The last three come from other apps
    through registry hooks when those apps offer them."""

    MEASURE = "measure", _("supervision measure")
    REPORT_OVERDUE = "report_overdue", _("personal report overdue")
    SELFCHECK_OVERDUE = "selfcheck_overdue", _("self-check item overdue")
    OBSERVATION = "observation", _("observation giving cause for concern")
    LEARNING = "learning", _("learning shortfall")
    TASKS = "tasks", _("overdue tasks")
    NOTES = "notes", _("negative everyday notes")


class WarningRule(models.Model):
    """How much one signal weighs in the early-warning score, and how far back it counts
    (data: the office changes it without a release; migration 0008 seeds it)."""

    signal = models.CharField(_("signal"), max_length=20, choices=Signal.choices, unique=True)
    weight = models.PositiveSmallIntegerField(_("weight"))
    months = models.PositiveSmallIntegerField(_("counted for months"), default=12)

    class Meta:
        verbose_name = _("early-warning rule")
        ordering = ["signal"]

    def __str__(self):
        return f"{self.signal} ×{self.weight}"


class WarningLevel(models.Model):
    """A level of the early-warning scale: reached from ``min_score`` (data, seeded)."""

    name = models.CharField(_("name"), max_length=20)
    min_score = models.PositiveSmallIntegerField(_("from score"), unique=True)

    class Meta:
        verbose_name = _("early-warning level")
        ordering = ["min_score"]

    def __str__(self):
        return self.name
