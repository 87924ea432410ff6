"""The task ledger: annual targets, tasks and their append-only ledgers, monthly plans
(月预安销号), frozen stock-takes (一月一盘点), year-end clearance (一年一清零), the
first-inquiry register (首问负责) and handovers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from zugong.core.ballots import CodeBase
from zugong.core.fields import PeriodField
from zugong.people.models import OrgUnit, Person


class Source(models.TextChoices):
    UPPER = "upper", _("deployed by the upper level")
    MEETING = "meeting", _("department meeting")
    LEADER = "leader", _("assigned by a leader")
    ANNUAL = "annual", _("annual target")
    OTHER = "other", _("other")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    OVERDUE = "overdue", _("overdue")
    CARRIED = "carried", _("carried over")
    CANCELLED = "cancelled", _("cancelled")


OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.OVERDUE)


class Target(models.Model):
    """One of the department's targets for the year, which tasks serve."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="task_targets",
                                   verbose_name=_("department"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["year", "pk"]

    def __str__(self):
        return f"{self.year} {self.title}"


class TaskQuerySet(models.QuerySet):
    """Bulk creation fills the original deadline as ``Task.save`` does."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            if obj.original_deadline is None:
                obj.original_deadline = obj.deadline
        return super().bulk_create(objs, *args, **kwargs)


class Task(models.Model):
    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    year = models.PositiveSmallIntegerField(_("year"))
    target = models.ForeignKey(Target, models.PROTECT, null=True, blank=True,
                               related_name="tasks", verbose_name=_("target"))
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("parent task"))
    title = models.CharField(_("title"), max_length=200)
    section = models.ForeignKey(OrgUnit, models.PROTECT, related_name="tasks",
                                verbose_name=_("section"))
    lead = models.ForeignKey(Person, models.PROTECT, related_name="led_tasks",
                             verbose_name=_("lead person"))
    co_workers = models.ManyToManyField(Person, blank=True, related_name="co_tasks",
                                        verbose_name=_("co-workers"))
    deputy = models.ForeignKey(Person, models.PROTECT, null=True, blank=True,
                               related_name="supervised_tasks",
                               verbose_name=_("deputy in charge"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices,
                              default=Source.ANNUAL)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=1, default=1)
    start = models.DateField(_("start"))
    deadline = models.DateField(_("deadline"))
    # The deadline set when the task was assigned. The dispatch meeting may move
    # ``deadline``; the on-time rate keeps measuring against this one (issue 15, 9.2).
    original_deadline = models.DateField(_("original deadline"))
    # Who led the task when its original deadline passed, set by a handover made after
    # it: lateness already incurred stays with them (9.3). Empty: the lead.
    deadline_lead = models.ForeignKey(Person, models.PROTECT, null=True, blank=True,
                                      related_name="+",
                                      verbose_name=_("lead at the deadline"))
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices,
                              default=TaskStatus.NOT_STARTED, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # A completion dated before the day it was recorded, awaiting the deputy's approval;
    # until then ``done_on`` is the recording date (9.1).
    done_claimed_on = models.DateField(_("claimed completion date"), null=True, blank=True)
    last_update_on = models.DateField(_("last update"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    carry_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                          null=True, blank=True, related_name="+")
    overdue_noted = models.BooleanField(default=False)
    escalated = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["department", "status", "deadline"],
                                name="task_dept_status_deadline")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.original_deadline is None:
            self.original_deadline = self.deadline
        super().save(*args, **kwargs)

    @property
    def rescheduled(self) -> bool:
        return self.original_deadline is not None and self.original_deadline != self.deadline

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def on_time(self) -> bool:
        return self.status == TaskStatus.DONE and self.done_on is not None \
            and self.done_on <= self.original_deadline


class EntryKind(models.TextChoices):
    PROGRESS = "progress", _("progress")
    CORRECTION = "correction", _("correction")
    DISPATCH = "dispatch", _("dispatch decision")
    STATUS = "status", _("status change")
    NOTICE = "notice", _("time-limit notice")
    HANDOVER = "handover", _("handover")


def _evidence_path(instance, filename):
    return f"tasks/evidence/{instance.task_id}/{filename}"


class EntryQuerySet(models.QuerySet):
    """Bulk changes would bypass ``Entry.save``/``delete``; they are refused too."""

    def update(self, **kwargs):
        raise ValidationError(_("Ledger entries cannot be changed; add a correction."))

    def delete(self):
        raise ValidationError(_("Ledger entries cannot be deleted."))


class Entry(models.Model):
    """One line of a task's ledger (一事一台账). Entries are never changed or deleted:
    a correction is a new entry that says what it corrects."""

    task = models.ForeignKey(Task, models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("text"))
    percent = models.PositiveSmallIntegerField(_("percentage"), null=True, blank=True)
    evidence = models.FileField(_("evidence file"), upload_to=_evidence_path, blank=True)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    corrects = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                                 related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                           related_name="+")

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.on} {self.text[:30]}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Ledger entries cannot be changed; add a correction."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Ledger entries cannot be deleted."))


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    SIGNED = "signed", _("signed off, awaiting approval")
    APPROVED = "approved", _("approved")
    ROLLED = "rolled", _("rolled over")


def _item_path(instance, filename):
    return f"tasks/monthly/{instance.section_id}/{filename}"


class MonthlyItem(models.Model):
    """An item a section lists at the start of a month (月预安) and signs off (销号)."""

    section = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+")
    month = PeriodField(_("month"))
    task = models.ForeignKey(Task, models.PROTECT, null=True, blank=True,
                             related_name="monthly_items")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus.choices,
                              default=ItemStatus.PLANNED)
    evidence = models.FileField(_("evidence file"), upload_to=_item_path, blank=True)
    evidence_note = models.CharField(_("evidence"), max_length=300, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                  blank=True, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                    blank=True, related_name="+")
    rolled_from = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["month", "pk"]

    def __str__(self):
        return self.title


class StockTake(models.Model):
    """The month-end snapshot (一月一盘点): figures frozen as JSON so that later edits of
    tasks do not change what the meeting saw."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+")
    month = PeriodField(_("month"))
    figures = models.JSONField(default=dict)
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["department", "month"],
                                               name="stocktake_once_per_month")]

    def __str__(self):
        return self.month.key


class YearClearance(models.Model):
    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    cleared_at = models.DateTimeField()
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["department", "year"],
                                               name="clearance_once_per_year")]

    def __str__(self):
        return str(self.year)


class Channel(models.TextChoices):
    VISIT = "visit", _("visit")
    PHONE = "phone", _("phone")
    LETTER = "letter", _("letter")
    ONLINE = "online", _("online")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASIC = "basic", _("basically satisfied")
    UNSATISFIED = "unsatisfied", _("unsatisfied")


class StandardGroup(models.TextChoices):
    SIX = "six", _("六个一 service standard")
    TWO = "two", _("两清")
    THREE = "three", _("三心")
    FOUR = "four", _("四个一样对待")


class StandardItem(models.Model):
    """One point of the service standard (M20, seed 001) checked on a first inquiry.
    The points are data, seeded by migration 0005; a point no longer in use is made
    inactive, never deleted, so inquiries already checked against it keep it."""

    group = models.CharField(_("group"), max_length=6, choices=StandardGroup.choices)
    text = models.CharField(_("standard"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["group", "text"],
                                               name="standard_item_unique")]

    def __str__(self):
        return self.text


class Inquiry(models.Model):
    """首问负责: whoever first receives an inquiry answers for it until it is closed."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    first_receiver = models.ForeignKey(Person, models.PROTECT, related_name="+",
                                       verbose_name=_("first receiver"))
    inquirer = models.CharField(_("inquirer"), max_length=100)
    question = models.TextField(_("question"))
    handled_by = models.ForeignKey(Person, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("handed to"))
    due = models.DateField(_("time limit"))
    reply = models.TextField(_("reply"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=12,
                                    choices=Satisfaction.choices, blank=True)
    escalated = models.BooleanField(default=False)
    # The points of the service standard the receiver kept, ticked when closing it.
    standard = models.ManyToManyField(StandardItem, blank=True, related_name="+",
                                      verbose_name=_("service standard kept"))
    # The inquirer's own rating, given later with the one-time code handed over on closing
    # (``satisfaction`` above is what the receiver noted when closing).
    public_rating = models.CharField(_("the public's rating"), max_length=12,
                                     choices=Satisfaction.choices, blank=True)
    public_comment = models.TextField(_("the public's comment"), blank=True)
    public_rated_on = models.DateField(_("rated by the public on"), null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self):
        return f"{self.inquirer}: {self.question[:30]}"

    @property
    def responsible(self) -> Person:
        return self.handled_by or self.first_receiver


class InquiryCode(CodeBase):
    """The one-time code the receiver hands the inquirer on closing, with which the public
    rates the service without an account (as outsiders rate in assessment); a new code
    replaces an unused one."""

    inquiry = models.OneToOneField(Inquiry, models.CASCADE, related_name="public_code")

    class Meta:
        verbose_name = _("inquiry rating code")


class Handover(models.Model):
    person = models.ForeignKey(Person, models.PROTECT, related_name="+")
    successor = models.ForeignKey(Person, models.PROTECT, related_name="+")
    note = models.TextField(_("handover note"))
    on = models.DateField()
    tasks = models.PositiveIntegerField(default=0)
    inquiries = models.PositiveIntegerField(default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                           related_name="+")

    def __str__(self):
        return f"{self.person} → {self.successor}"
