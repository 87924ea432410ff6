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

from zugong.core.ballots import CodeBase, TallyBase, not_negative
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


# ---------------------------------------------------------------- lecture scoring (M07)


class ScorePart(models.TextChoices):
    LEADERS = "leaders", _("leaders' comment (领导点评)")
    PEERS = "peers", _("peer review (干部互评)")
    AUDIENCE = "audience", _("audience evaluation (效果测评)")


# Cast anonymously through core.ballots: peers with their account (a "has voted" mark),
# the audience with a one-time code. The leaders comment openly, by name.
ANONYMOUS_PARTS = (ScorePart.PEERS, ScorePart.AUDIENCE)
DEFAULT_WEIGHTS = {ScorePart.LEADERS: 40, ScorePart.PEERS: 30, ScorePart.AUDIENCE: 30}
FULL_SCORE = 100  # every part scores a lecture out of 100


class Weights(models.Model):
    """The three parts' weights (%), summing to 100."""

    leaders_weight = models.PositiveSmallIntegerField(_("weight of the leaders' comment (%)"))
    peers_weight = models.PositiveSmallIntegerField(_("weight of the peer review (%)"))
    audience_weight = models.PositiveSmallIntegerField(
        _("weight of the audience evaluation (%)"))

    class Meta:
        abstract = True

    def weight(self, part: str) -> int:
        return getattr(self, f"{part}_weight")

    @property
    def weights(self) -> dict[str, int]:
        return {part: self.weight(part) for part in ScorePart.values}


WEIGHTS_SUM_100 = models.Q(leaders_weight=100 - models.F("peers_weight")
                           - models.F("audience_weight"))


class ScoringScheme(Weights):
    """A department's weights of the three parts of lecture scoring (data, not code)."""

    department = models.OneToOneField(OrgUnit, models.PROTECT, related_name="+",
                                      verbose_name=_("department"))
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("scoring scheme")
        constraints = [models.CheckConstraint(condition=WEIGHTS_SUM_100,
                                              name="scheme_weights_sum_100")]

    def __str__(self):
        return f"{self.leaders_weight}/{self.peers_weight}/{self.audience_weight}"


class ScoringStatus(models.TextChoices):
    OPEN = "open", _("scoring open")
    CLOSED = "closed", _("scoring closed")


class LectureScoring(Weights):
    """The scoring of one lecture, with the weights in force when it opened (a later change
    of the department's scheme leaves it as it was)."""

    lecture = models.OneToOneField(Lecture, models.CASCADE, related_name="scoring",
                                   verbose_name=_("lecture"))
    status = models.CharField(_("status"), max_length=6, choices=ScoringStatus.choices,
                              default=ScoringStatus.OPEN)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("lecture scoring")
        constraints = [models.CheckConstraint(condition=WEIGHTS_SUM_100,
                                              name="scoring_weights_sum_100")]

    def __str__(self):
        return f"{self.lecture_id} {self.status}"


class LectureTally(TallyBase):
    """The running sum and count of one anonymous part's ballots for a lecture: there are
    no ballots (core.ballots), so no row holds one voter's score."""

    lecture = models.ForeignKey(Lecture, models.CASCADE, related_name="tallies")
    part = models.CharField(max_length=8, choices=ScorePart.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lecture", "part"],
                                               name="lecture_tally_unique"),
                       not_negative("lecture_tally_not_negative")]

    def __str__(self):
        return f"{self.part} ×{self.count}"


class LectureVoted(models.Model):
    """Who has cast their peer ballot on a lecture (not what): committed in its own
    transaction before the score is added to the tally in another."""

    lecture = models.ForeignKey(Lecture, models.CASCADE, related_name="+")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lecture", "voter"],
                                               name="lecture_voted_once")]

    def __str__(self):
        return "voted"


class LectureCode(CodeBase):
    """A one-time code for one member of a lecture's audience (效果测评 without an
    account); only its hash is kept, and it is spent on use."""

    lecture = models.ForeignKey(Lecture, models.CASCADE, related_name="+")


class LeaderComment(models.Model):
    """A leader's comment on a lecture (领导点评), by name, as the seed's 部长点评: a score
    out of 100 and what they said. A leader may correct their own comment."""

    lecture = models.ForeignKey(Lecture, models.CASCADE, related_name="comments",
                                verbose_name=_("lecture"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                           verbose_name=_("leader"))
    score = models.DecimalField(pgettext_lazy("ability", "score"), max_digits=5,
                                decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("leader's comment")
        ordering = ["on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lecture", "by"], name="comment_one_per_leader"),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=FULL_SCORE),
                                   name="comment_score_range"),
        ]

    def __str__(self):
        return f"{self.lecture_id} {self.score}"


# ---------------------------------------------------------------- 青蓝工程 mentoring (M30)


class PairStatus(models.TextChoices):
    ACTIVE = "active", _("mentoring")
    ENDED = "ended", _("ended")


class Pair(models.Model):
    """A 青蓝 pair: a section's expert mentoring one young cadre, with three goals."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    section = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                verbose_name=_("section"))
    mentor = models.ForeignKey(settings.ZUGONG_PERSON_MODEL, models.PROTECT, related_name="+",
                               verbose_name=_("mentor"))
    mentee = models.ForeignKey(settings.ZUGONG_PERSON_MODEL, models.PROTECT, related_name="+",
                               verbose_name=_("mentee"))
    started_on = models.DateField(_("started on"))
    ends_on = models.DateField(_("ends on"))
    goal_thought = models.TextField(_("political and ideological goal"), blank=True)
    goal_work = models.TextField(_("work goal"), blank=True)
    goal_life = models.TextField(_("life goal"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=PairStatus.choices,
                              default=PairStatus.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("mentoring pair")
        ordering = ["section__path", "mentor_id", "id"]
        indexes = [models.Index(fields=["department", "started_on"], name="pair_dept_on"),
                   models.Index(fields=["mentor", "started_on"], name="pair_mentor_on"),
                   models.Index(fields=["mentee", "started_on"], name="pair_mentee_on")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(mentor=models.F("mentee")),
                                   name="pair_mentor_is_not_mentee"),
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("started_on")),
                                   name="pair_ends_after_start"),
            models.UniqueConstraint(fields=["mentee"], condition=models.Q(status="active"),
                                    name="pair_one_active_per_mentee"),
        ]

    def __str__(self):
        return f"{self.mentor_id}→{self.mentee_id} {self.started_on:%Y-%m-%d}"


class CheckIn(models.Model):
    """The monthly meeting of a pair (one per month); ``on`` is the day they met."""

    pair = models.ForeignKey(Pair, models.CASCADE, related_name="checkins",
                             verbose_name=_("mentoring pair"))
    month = models.DateField(_("month"))  # the first day of the month it counts for
    on = models.DateField(_("date"))
    note = models.TextField(pgettext_lazy("ability", "what was discussed"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("check-in")
        ordering = ["-month", "-id"]
        indexes = [models.Index(fields=["pair", "on"], name="checkin_pair_on")]
        constraints = [
            models.UniqueConstraint(fields=["pair", "month"], name="checkin_one_per_month")]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class Stage(models.TextChoices):
    MID = "mid", _("mid-term evaluation")
    FINAL = "final", _("final evaluation")


class Side(models.TextChoices):
    MENTOR = "mentor", _("by the mentor")
    MENTEE = "mentee", _("by the mentee")
    CHIEF = "chief", _("by the section chief")


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")
    GOOD = "good", _("good")
    FAIR = "fair", _("fair")
    POOR = "poor", _("poor")


class Evaluation(models.Model):
    """One side's mid-term or final evaluation of a pair."""

    pair = models.ForeignKey(Pair, models.CASCADE, related_name="evaluations",
                             verbose_name=_("mentoring pair"))
    stage = models.CharField(_("stage"), max_length=6, choices=Stage.choices)
    side = models.CharField(_("evaluated"), max_length=7, choices=Side.choices)
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    on = models.DateField(_("date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mentoring evaluation")
        ordering = ["stage", "side"]
        constraints = [models.UniqueConstraint(fields=["pair", "stage", "side"],
                                               name="evaluation_one_per_side")]

    def __str__(self):
        return f"{self.stage} {self.side}"


# ---------------------------------------------------------------- training (M29, M37–M39)


class TrainingKind(models.TextChoices):
    SHADOWING = "shadowing", _("shadow study (跟班学习)")
    TOUR = "tour", _("study tour (外出考察)")
    PRACTICE = "practice", _("practice posting (实践锻炼)")
    SECONDMENT = "secondment", _("temporary post (挂职锻炼)")
    UPPER = "upper", _("shadowing an upper department (上级部门跟班)")
    COURSE = "course", _("joined training course (搭车培训)")


# Kinds that take the cadre away from the department for their whole span: the rotation
# skips them as it skips leave.
AWAY_KINDS = (TrainingKind.SHADOWING, TrainingKind.PRACTICE, TrainingKind.SECONDMENT,
              TrainingKind.UPPER)


class Training(models.Model):
    """A training event or secondment the department sends cadres to."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    kind = models.CharField(_("kind"), max_length=10, choices=TrainingKind.choices)
    title = models.CharField(pgettext_lazy("ability", "title"), max_length=120)
    place = models.CharField(pgettext_lazy("ability", "place"), max_length=80)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("training")
        ordering = ["-start", "-id"]
        indexes = [models.Index(fields=["department", "start"], name="training_dept_start")]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")),
                                   name="training_ends_after_start"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="training_hours_pos"),
        ]

    def __str__(self):
        return f"{self.title} {self.start:%Y-%m-%d}"


class Trainee(PersonRecord):
    """One cadre's part in a training; ``on`` is its first day. The summary or report is
    a learning writing (entered once, in learning, through the ``learning.writing`` hook);
    the trainee keeps its id and title."""

    training = models.ForeignKey(Training, models.CASCADE, related_name="trainees",
                                 verbose_name=_("training"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    writing_id = models.PositiveBigIntegerField(_("summary (learning writing)"), null=True,
                                                blank=True)
    summary_title = models.CharField(_("summary title"), max_length=200, blank=True)
    summary_on = models.DateField(_("summary date"), null=True, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("trainee")
        indexes = [models.Index(fields=["person", "on"], name="trainee_person_on")]
        constraints = [models.UniqueConstraint(fields=["training", "person"],
                                               name="trainee_one_per_person")]

    def __str__(self):
        return f"{self.person_id} {self.on:%Y-%m-%d}"


# ---------------------------------------------------------------- competitions (M37)


class Competition(models.Model):
    """A 业务比武擂台: rounds of tasks, each entrant scored on each task."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    title = models.CharField(pgettext_lazy("ability", "title"), max_length=120)
    held_on = models.DateField(_("held on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("competition")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["department", "held_on"], name="competition_dept_on")]

    def __str__(self):
        return self.title


class CompetitionTask(models.Model):
    """A question or task of one round, with its full marks."""

    competition = models.ForeignKey(Competition, models.CASCADE, related_name="tasks",
                                    verbose_name=_("competition"))
    round = models.PositiveSmallIntegerField(_("round"))
    title = models.CharField(pgettext_lazy("ability", "title"), max_length=120)
    max_score = models.DecimalField(_("full marks"), max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = _("competition task")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "round", "title"],
                                    name="competition_task_unique"),
            models.CheckConstraint(condition=models.Q(max_score__gt=0),
                                   name="competition_task_marks_pos"),
            models.CheckConstraint(condition=models.Q(round__gte=1),
                                   name="competition_task_round_pos"),
        ]

    def __str__(self):
        return f"{self.round} {self.title}"


class AwardLevel(models.TextChoices):
    FIRST = "first", _("first prize")
    SECOND = "second", _("second prize")
    THIRD = "third", _("third prize")
    MERIT = "merit", _("merit award")


class Entrant(PersonRecord):
    """One cadre in a competition (``on`` is its day), and the award they won."""

    competition = models.ForeignKey(Competition, models.CASCADE, related_name="entrants",
                                    verbose_name=_("competition"))
    award = models.CharField(pgettext_lazy("ability", "award"), max_length=8,
                             choices=AwardLevel.choices, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("entrant")
        indexes = [models.Index(fields=["person", "on"], name="entrant_person_on")]
        constraints = [models.UniqueConstraint(fields=["competition", "person"],
                                               name="entrant_one_per_person")]

    def __str__(self):
        return f"{self.person_id} {self.on:%Y-%m-%d}"


class Score(models.Model):
    """An entrant's points on one task."""

    entrant = models.ForeignKey(Entrant, models.CASCADE, related_name="scores",
                                verbose_name=_("entrant"))
    task = models.ForeignKey(CompetitionTask, models.CASCADE, related_name="scores",
                             verbose_name=_("competition task"))
    points = models.DecimalField(pgettext_lazy("ability", "points"), max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = _("score")
        constraints = [
            models.UniqueConstraint(fields=["entrant", "task"], name="score_one_per_task"),
            models.CheckConstraint(condition=models.Q(points__gte=0), name="score_points_pos"),
        ]

    def __str__(self):
        return str(self.points)


# ---------------------------------------------------------------- research topics (M23, M39)


class TopicStatus(models.TextChoices):
    ONGOING = "ongoing", _("in progress")
    REPORTED = "reported", _("report handed in")
    ADOPTED = "adopted", _("adopted by the leaders")


class ResearchTopic(models.Model):
    """A yearly research topic (领题调研) given to a team, with milestones, a report (a
    learning writing of the team's leader) and the leaders' adoption of it."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(pgettext_lazy("ability", "title"), max_length=150)
    leader = models.ForeignKey(settings.ZUGONG_PERSON_MODEL, models.PROTECT, related_name="+",
                               verbose_name=_("team leader"))
    status = models.CharField(_("status"), max_length=9, choices=TopicStatus.choices,
                              default=TopicStatus.ONGOING)
    writing_id = models.PositiveBigIntegerField(_("report (learning writing)"), null=True,
                                                blank=True)
    report_title = models.CharField(_("report title"), max_length=200, blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adoption = models.TextField(_("how the leaders adopted it"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("research topic")
        ordering = ["-year", "id"]
        indexes = [models.Index(fields=["department", "year"], name="topic_dept_year")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(status="adopted")
                                   | models.Q(adopted_on__isnull=False),
                                   name="topic_adopted_has_day"),
            models.CheckConstraint(condition=models.Q(status="ongoing")
                                   | models.Q(reported_on__isnull=False),
                                   name="topic_reported_has_day"),
        ]

    def __str__(self):
        return self.title


class TopicMember(PersonRecord):
    """A member of a topic's team (the leader too); ``on`` is the day the topic was given."""

    topic = models.ForeignKey(ResearchTopic, models.CASCADE, related_name="members",
                              verbose_name=_("research topic"))

    class Meta(PersonRecord.Meta):
        verbose_name = _("topic team member")
        indexes = [models.Index(fields=["person", "on"], name="topicmember_person_on")]
        constraints = [models.UniqueConstraint(fields=["topic", "person"],
                                               name="topicmember_one_per_person")]

    def __str__(self):
        return f"{self.topic_id} {self.person_id}"


class Milestone(models.Model):
    """A step of a topic's plan (调研、座谈、初稿 …) with its due day and when it was done."""

    topic = models.ForeignKey(ResearchTopic, models.CASCADE, related_name="milestones",
                              verbose_name=_("research topic"))
    title = models.CharField(pgettext_lazy("ability", "title"), max_length=120)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title


# ---------------------------------------------------------------- post ledgers (岗位练兵, M38)

# A ledger not confirmed current for this many days is shown as stale.
LEDGER_FRESH_DAYS = 90


class PostLedger(models.Model):
    """What a post holds, its contacts and its open matters, kept current by its holder so
    that anyone can take the job over."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    holder = models.OneToOneField(settings.ZUGONG_PERSON_MODEL, models.PROTECT,
                                  related_name="+", verbose_name=_("post holder"))
    post = models.CharField(_("post"), max_length=100)
    duties = models.TextField(_("what the job holds"))
    contacts = models.TextField(_("contacts"), blank=True)
    open_matters = models.TextField(_("open matters"), blank=True)
    confirmed_on = models.DateField(_("confirmed current on"))
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("post ledger")
        ordering = ["department", "post", "id"]
        indexes = [models.Index(fields=["department", "confirmed_on"], name="ledger_dept_on")]

    def __str__(self):
        return self.post


class LedgerHandover(models.Model):
    """A post ledger passed on with the job (the tasks app's handover, through the hook
    ``ability.post_ledger``): who handed it to whom, and when."""

    ledger = models.ForeignKey(PostLedger, models.CASCADE, related_name="handovers",
                               verbose_name=_("post ledger"))
    post = models.CharField(_("post"), max_length=100)
    from_person = models.ForeignKey(settings.ZUGONG_PERSON_MODEL, models.PROTECT,
                                    related_name="+", verbose_name=_("handed over by"))
    to_person = models.ForeignKey(settings.ZUGONG_PERSON_MODEL, models.PROTECT,
                                  related_name="+", verbose_name=_("taken over by"))
    on = models.DateField(_("date"))
    merged = models.BooleanField(_("added to the successor's own ledger"), default=False)

    class Meta:
        verbose_name = _("ledger handover")
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.post} {self.on:%Y-%m-%d}"


class LectureAward(PersonRecord):
    """A lecture series award of one term (讲堂 / 讲坛评优) to a lecturer of a ranked lecture:
    ``on`` is the day it was decided, ``created_by`` who decided it."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    lecture = models.ForeignKey(Lecture, models.PROTECT, related_name="awards",
                                verbose_name=_("lecture"))
    term_start = models.DateField(_("first day of the term"))
    term_end = models.DateField(_("last day of the term"))
    level = models.CharField(_("award level"), max_length=8, choices=AwardLevel.choices)
    title = models.CharField(_("award title"), max_length=60, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("lecture award")
        indexes = [models.Index(fields=["person", "on"], name="lectureaward_person_on"),
                   models.Index(fields=["department", "term_start"],
                                name="lectureaward_dept_term")]
        constraints = [
            models.UniqueConstraint(fields=["lecture", "person", "term_start", "term_end"],
                                    name="lectureaward_one_per_term"),
            models.CheckConstraint(condition=models.Q(term_end__gte=models.F("term_start")),
                                   name="lectureaward_term_order"),
        ]

    def __str__(self):
        return f"{self.person_id} {self.level} {self.term_start:%Y-%m-%d}"


# ---------------------------------------------------------------- the forum's rotation (M28)


class RotationSwap(models.Model):
    """Two speakers of the forum's weekly rotation exchange their sessions: whoever the
    plan names on ``first_day`` (``first_person``) speaks on ``second_day`` and the other
    way round. The plan itself is computed; the swaps a leader agreed are kept, so the
    published rotation shows them to everyone."""

    department = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    first_day = models.DateField(_("first session day"))
    second_day = models.DateField(_("second session day"))
    first_person = models.ForeignKey(settings.ZUGONG_PERSON_MODEL, models.PROTECT,
                                     related_name="+", verbose_name=_("speaker of the first day"))
    second_person = models.ForeignKey(settings.ZUGONG_PERSON_MODEL, models.PROTECT,
                                      related_name="+",
                                      verbose_name=_("speaker of the second day"))
    reason = models.CharField(_("reason"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rotation swap")
        ordering = ["first_day", "id"]
        constraints = [
            # A day takes part in one swap at most, so swaps never chain.
            models.UniqueConstraint(fields=["department", "first_day"],
                                    name="rotationswap_first_once"),
            models.UniqueConstraint(fields=["department", "second_day"],
                                    name="rotationswap_second_once"),
            models.CheckConstraint(condition=models.Q(second_day__gt=models.F("first_day")),
                                   name="rotationswap_day_order"),
            models.CheckConstraint(
                condition=~models.Q(first_person=models.F("second_person")),
                name="rotationswap_two_people"),
        ]

    def __str__(self):
        return f"{self.first_day:%Y-%m-%d}⇄{self.second_day:%Y-%m-%d}"
