"""Writes of ability records. Every write validates everything at once (one
``ValidationError`` with each field's message), runs in one transaction and leaves an
audit entry; edits go through ``versioned_update``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core import ballots, registry
from zugong.core.audit import SYSTEM, audit_record, model_snapshot
from zugong.core.notices import notify
from zugong.core.periods import add_months
from zugong.core.versioning import versioned_update
from zugong.people.models import OrgUnit, Person, User

from . import events
from .access import department_of, may_manage_department, pair_side
from .models import (
    ANONYMOUS_PARTS,
    DISCUSSANTS,
    FULL_SCORE,
    LECTURERS,
    AwardLevel,
    CheckIn,
    Competition,
    CompetitionTask,
    Entrant,
    Evaluation,
    LeaderComment,
    Lecture,
    LectureAward,
    LectureCode,
    LectureScoring,
    LectureTally,
    LectureVoted,
    LedgerHandover,
    Milestone,
    Pair,
    PairStatus,
    Part,
    PostLedger,
    Rating,
    ResearchTopic,
    RotationSwap,
    Score,
    ScorePart,
    ScoringScheme,
    ScoringStatus,
    Seat,
    Series,
    Stage,
    Topic,
    TopicMember,
    TopicStatus,
    Trainee,
    Training,
    TrainingKind,
)
from .selectors import (
    department_people,
    lecture_code_problem,
    lecture_scores,
    ledgers_stale,
    may_comment,
    may_peer_vote,
    pairs_missing_checkin,
    rotation_plan,
    scheme_for,
)


def _add(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def _actor(by):
    return SYSTEM if by is None else by


def _check_manager(by, department: OrgUnit) -> None:
    if by is not SYSTEM and not may_manage_department(by, department.pk):
        raise PermissionDenied


def _ids(people: Iterable) -> list[int]:
    out = []
    for p in people or ():
        pk = p.pk if isinstance(p, Person) else p
        if pk not in out:
            out.append(pk)
    return out


def _lecture_errors(*, department, series, topic, title, held_on, lecturers, discussants,
                    audience) -> dict:
    errors: dict = {}
    if series not in Series.values:
        _add(errors, "series", _("Choose the series."))
    if topic not in Topic.values:
        _add(errors, "topic", _("Choose the topic."))
    if not (title or "").strip():
        _add(errors, "title", _("Give the lecture a title."))
    if held_on is None:
        _add(errors, "held_on", _("Give the day of the lecture."))
    if series in Series.values:
        lo, hi = LECTURERS[series]
        if not lo <= len(lecturers) <= hi:
            _add(errors, "lecturers", _("A session has %(lo)d to %(hi)d lecturers.")
                 % {"lo": lo, "hi": hi})
        lo, hi = DISCUSSANTS[series]
        if not lo <= len(discussants) <= hi:
            _add(errors, "discussants", _("A session has %(lo)d to %(hi)d discussants.")
                 % {"lo": lo, "hi": hi})
    if set(lecturers) & set(discussants):
        _add(errors, "discussants", _("A lecturer is not also a discussant."))
    named = set(lecturers) | set(discussants) | set(audience)
    if named:
        known = set(department_people(department).filter(pk__in=named)
                    .values_list("pk", flat=True))
        # One message for a missing id and for someone of another department: no hint.
        for field, ids in (("lecturers", lecturers), ("discussants", discussants),
                           ("audience", audience)):
            if set(ids) - known:
                _add(errors, field, _("Choose people of the lecture's department."))
    return errors


def _seats(lecture: Lecture, *, lecturers, discussants, audience, by) -> list[Seat]:
    """Lecturers and discussants first; someone also listed in the audience keeps the
    larger part (a discussant is not counted twice)."""
    parts: dict[int, str] = {}
    for part, ids in ((Part.LECTURER, lecturers), (Part.DISCUSSANT, discussants),
                      (Part.AUDIENCE, audience)):
        for pk in ids:
            parts.setdefault(pk, part)
    created_by = None if by is SYSTEM else by
    return [Seat(lecture=lecture, person_id=pk, part=part, on=lecture.held_on,
                 created_by=created_by) for pk, part in parts.items()]


def lecture_record(*, by, department: OrgUnit, series: str = Series.HALL, topic: str,
                   title: str, held_on: dt.date, place: str = "", summary: str = "",
                   lecturers: Iterable = (), discussants: Iterable = (),
                   audience: Iterable = ()) -> Lecture:
    """Record a session with its lecturers, discussants and audience (the audience gives
    the person-times trained)."""
    _check_manager(by, department)
    lecturers, discussants, audience = _ids(lecturers), _ids(discussants), _ids(audience)
    errors = _lecture_errors(department=department, series=series, topic=topic, title=title,
                             held_on=held_on, lecturers=lecturers, discussants=discussants,
                             audience=audience)
    if held_on and held_on > timezone.localdate():
        _add(errors, "held_on", _("Record a lecture once it has been held."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lecture = Lecture.objects.create(
            department=department, series=series, topic=topic, title=title.strip(),
            held_on=held_on, place=(place or "").strip(), summary=(summary or "").strip(),
            created_by=None if by is SYSTEM else by)
        Seat.objects.bulk_create(_seats(lecture, lecturers=lecturers, discussants=discussants,
                                        audience=audience, by=by))
        audit_record(actor=_actor(by), action=events.LECTURE_RECORD, obj=lecture,
                     after={"series": series, "topic": topic, "held_on": held_on.isoformat(),
                            "lecturers": lecturers, "discussants": discussants,
                            "audience": len(set(audience) - set(lecturers)
                                            - set(discussants))})
    return lecture


def lecture_update(*, by, lecture: Lecture, version, series: str, topic: str, title: str,
                   held_on: dt.date, place: str = "", summary: str = "",
                   lecturers: Iterable = (), discussants: Iterable = (),
                   audience: Iterable = ()) -> Lecture:
    """Change a session and its seats; a stale edit raises ``ConflictError``."""
    _check_manager(by, lecture.department)
    lecturers, discussants, audience = _ids(lecturers), _ids(discussants), _ids(audience)
    errors = _lecture_errors(department=lecture.department, series=series, topic=topic,
                             title=title, held_on=held_on, lecturers=lecturers,
                             discussants=discussants, audience=audience)
    if held_on and held_on > timezone.localdate():
        _add(errors, "held_on", _("Record a lecture once it has been held."))
    if errors:
        raise ValidationError(errors)

    def reseat(locked: Lecture) -> None:
        Seat.objects.filter(lecture=locked).delete()
        Seat.objects.bulk_create(_seats(locked, lecturers=lecturers, discussants=discussants,
                                        audience=audience, by=by))

    return versioned_update(
        lecture, version=version, by=_actor(by), action=events.LECTURE_UPDATE,
        changes={"series": series, "topic": topic, "title": title.strip(), "held_on": held_on,
                 "place": (place or "").strip(), "summary": (summary or "").strip()},
        apply=reseat, snapshot=("series", "topic", "title", "held_on", "place")).instance


def export_logged(*, by, action: str, count: int,
                  object_type: str = "ability.lecture") -> None:
    """An export leaves an audit entry naming how many rows left the system."""
    audit_record(actor=by, action=action, object_type=object_type, after={"rows": count})


# ---------------------------------------------------------------- lecture scoring (M07)
#
# Three parts: 领导点评 (the leaders, by name), 干部互评 (the department's cadres, anonymous
# with their account) and 效果测评 (the audience, anonymous with one-time codes, no
# login). The anonymous parts go through core.ballots: tallies, never ballots, and the
# "has voted" mark (or the spent code) committed apart from the score.


def _score(raw, errors: dict, key: str = "score") -> Decimal | None:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        _add(errors, key, _("Give a score from 0 to 100."))
        return None
    if not value.is_finite() or value < 0 or value > FULL_SCORE:
        _add(errors, key, _("Give a score from 0 to 100."))
        return None
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _weights(errors: dict, values: dict) -> dict[str, int]:
    out = {}
    for part in ScorePart.values:
        raw = values.get(f"{part}_weight")
        try:
            out[part] = int(raw)
        except (TypeError, ValueError):
            _add(errors, f"{part}_weight", _("Give a whole number from 0 to 100."))
            continue
        if not 0 <= out[part] <= 100:
            _add(errors, f"{part}_weight", _("Give a whole number from 0 to 100."))
    if not errors and sum(out.values()) != 100:
        _add(errors, "__all__", _("The three weights add up to %(n)s; they must add up to "
                                  "100.") % {"n": sum(out.values())})
    return out


def scheme_save(*, by, department: OrgUnit, leaders_weight, peers_weight, audience_weight,
                version=None) -> ScoringScheme:
    """Set the department's weights of the three parts (they apply to lectures whose
    scoring opens afterwards)."""
    _check_manager(by, department)
    errors: dict = {}
    weights = _weights(errors, {"leaders_weight": leaders_weight,
                                "peers_weight": peers_weight,
                                "audience_weight": audience_weight})
    if errors:
        raise ValidationError(errors)
    changes = {f"{part}_weight": w for part, w in weights.items()}
    current = ScoringScheme.objects.filter(department=department).first()
    if current is None:
        with transaction.atomic():
            scheme = ScoringScheme.objects.create(department=department, **changes)
            audit_record(actor=_actor(by), action=events.SCHEME_SAVE, obj=scheme,
                         after=changes)
        return scheme
    return versioned_update(current, version=version, by=_actor(by), action=events.SCHEME_SAVE,
                            changes=changes, snapshot=tuple(changes)).instance


def scoring_open(*, by, lecture: Lecture) -> LectureScoring:
    """Open a held lecture's scoring with the department's weights as they stand; the zero
    tallies of both anonymous parts are created now, before anyone votes, so their keys and
    their place on disk say nothing about the votes."""
    _check_manager(by, lecture.department)
    if lecture.held_on > timezone.localdate():
        raise ValidationError({"__all__": [_("Open the scoring once the lecture is held.")]})
    scheme = scheme_for(lecture.department)
    with transaction.atomic():
        Lecture.objects.select_for_update().filter(pk=lecture.pk).first()
        if LectureScoring.objects.filter(lecture=lecture).exists():
            raise ValidationError({"__all__": [_("Scoring of this lecture is already "
                                                 "open.")]})
        scoring = LectureScoring.objects.create(
            lecture=lecture, opened_on=timezone.localdate(),
            **{f"{part}_weight": w for part, w in scheme.weights.items()})
        LectureTally.objects.bulk_create([LectureTally(lecture=lecture, part=part)
                                          for part in ANONYMOUS_PARTS])
        audit_record(actor=_actor(by), action=events.SCORING_OPEN, obj=lecture,
                     after=scheme.weights)
    return scoring


def _open_scoring(lecture: Lecture) -> LectureScoring:
    scoring = LectureScoring.objects.filter(lecture=lecture).first()
    if scoring is None or scoring.status != ScoringStatus.OPEN:
        raise ValidationError({"__all__": [_("Scoring of this lecture is closed.")]})
    return scoring


def scoring_close(*, by, lecture: Lecture, version) -> LectureScoring:
    """Close a lecture's scoring: no more comments, ballots or codes."""
    _check_manager(by, lecture.department)
    scoring = _open_scoring(lecture)
    return versioned_update(scoring, version=version, by=_actor(by),
                            action=events.SCORING_CLOSE,
                            changes={"status": ScoringStatus.CLOSED,
                                     "closed_on": timezone.localdate()},
                            snapshot=("status",)).instance


def comment_save(*, by, lecture: Lecture, score, comment: str = "") -> LeaderComment:
    """领导点评: a leader's named score and comment; a second save corrects the first."""
    if not may_comment(by, lecture):
        raise PermissionDenied
    _open_scoring(lecture)
    errors: dict = {}
    value = _score(score, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = LeaderComment.objects.select_for_update().filter(lecture=lecture,
                                                                  by=by).first()
        snapshot = model_snapshot(before, ("score", "comment")) if before else None
        row, _created = LeaderComment.objects.update_or_create(
            lecture=lecture, by=by, defaults={"score": value, "comment": (comment or "").strip(),
                                              "on": timezone.localdate()})
        audit_record(actor=by, action=events.COMMENT_SAVE, obj=row, before=snapshot,
                     after={"score": str(value)})
    return row


def _already_voted() -> ValidationError:
    return ValidationError({"__all__": [_("You have already scored this lecture; a ballot "
                                          "cannot be cast twice.")]})


def _count(lecture: Lecture, part: str, value: Decimal) -> None:
    """Add one anonymous score to the lecture's tally of the part (core.ballots)."""
    ballots.add_to_tallies(
        LectureTally.objects.filter(lecture=lecture, part=part), {part: value}, key=("part",),
        create_missing=lambda: LectureTally.objects.bulk_create(
            [LectureTally(lecture=lecture, part=part)], ignore_conflicts=True))


def peer_vote(*, by, lecture: Lecture, score) -> None:
    """干部互评: a cadre's anonymous score. The mark ("has voted", audited as a ballot with
    no value) is committed first, the score is added to the tally in a second transaction:
    nothing links the two (core.ballots.cast)."""
    if not may_peer_vote(by, lecture):
        raise PermissionDenied
    _open_scoring(lecture)
    if LectureVoted.objects.filter(lecture=lecture, voter=by).exists():
        raise _already_voted()
    errors: dict = {}
    value = _score(score, errors)
    if errors:
        raise ValidationError(errors)

    def mark() -> int:
        row = LectureVoted.objects.create(lecture=lecture, voter=by)
        audit_record(actor=by, action=events.BALLOT_CAST, obj=lecture,
                     after={"part": ScorePart.PEERS.value})
        return row.pk

    def undo(mark_id: int) -> None:
        LectureVoted.objects.filter(pk=mark_id).delete()
        audit_record(actor=by, action=events.BALLOT_VOID, obj=lecture,
                     after={"part": ScorePart.PEERS.value})

    ballots.cast(mark=mark, count=lambda: _count(lecture, ScorePart.PEERS, value), undo=undo,
                 duplicate=_already_voted)


def codes_issue(*, by, lecture: Lecture, count: int) -> list[str]:
    """One-time codes for the audience (效果测评 on a phone, without an account). Only their
    hashes are kept: the codes are shown once, to be printed and handed out."""
    _check_manager(by, lecture.department)
    _open_scoring(lecture)
    if not ballots.codes_valid_count(count):
        raise ValidationError({"count": [_("Issue between 1 and %(n)s codes at a time.")
                                         % {"n": ballots.MAX_CODES}]})
    codes = ballots.codes_new(count)
    with transaction.atomic():
        LectureCode.objects.bulk_create([LectureCode(lecture=lecture,
                                                     code_hash=ballots.code_hash(c))
                                         for c in codes])
        audit_record(actor=_actor(by), action=events.CODES_ISSUE, obj=lecture,
                     after={"count": count})
    return codes


def audience_vote(*, code: str, score) -> Lecture:
    """效果测评: an audience member's score, admitted by a one-time code. The code is spent
    (and the ballot audited, with no actor and no value) in one transaction, the score is
    added to the tally in another; no tally points to a code."""
    errors: dict = {}
    value = _score(score, errors)
    spent: dict = {}

    def spend() -> int:
        row = ballots.code_row(LectureCode.objects.select_related("lecture"), code)
        problem = lecture_code_problem(row)
        if problem:
            raise ValidationError({"code": [problem]})
        if errors:
            raise ValidationError(errors)
        row.used = True
        row.save(update_fields=["used"])
        spent["lecture"] = row.lecture
        audit_record(actor=None, action=events.BALLOT_CAST, obj=row.lecture,
                     after={"part": ScorePart.AUDIENCE.value})
        return row.pk

    def unspend(row_id: int) -> None:
        LectureCode.objects.filter(pk=row_id).update(used=False)
        audit_record(actor=None, action=events.BALLOT_VOID, obj=spent["lecture"],
                     after={"part": ScorePart.AUDIENCE.value})

    ballots.cast(mark=spend, count=lambda: _count(spent["lecture"], ScorePart.AUDIENCE, value),
                 undo=unspend)
    return spent["lecture"]


# ---------------------------------------------------------------- 青蓝工程 mentoring (M30)

# A pair runs a year by default ("结对一年"), with the mid-term evaluation at its half.
PAIR_MONTHS = 12


def pair_create(*, by, department: OrgUnit, section: OrgUnit, mentor: Person, mentee: Person,
                started_on: dt.date, ends_on: dt.date | None = None, goal_thought: str = "",
                goal_work: str = "", goal_life: str = "") -> Pair:
    """Name a section's mentor for one young cadre, with the pair's three goals."""
    _check_manager(by, department)
    errors: dict = {}
    ends_on = ends_on or (add_months(started_on, PAIR_MONTHS) if started_on else None)
    if section is None or section.department_id != department.pk:
        _add(errors, "section", _("Choose a section of the department."))
    people = set(department_people(department).filter(
        pk__in=[p.pk for p in (mentor, mentee) if p is not None]).values_list("pk", flat=True))
    if mentor is None or mentor.pk not in people:
        _add(errors, "mentor", _("Choose people of the department."))
    if mentee is None or mentee.pk not in people:
        _add(errors, "mentee", _("Choose people of the department."))
    elif mentor is not None and mentor.pk == mentee.pk:
        _add(errors, "mentee", _("The mentor cannot mentor themselves."))
    elif Pair.objects.filter(mentee=mentee, status=PairStatus.ACTIVE).exists():
        _add(errors, "mentee", _("This cadre already has a mentor."))
    if started_on is None:
        _add(errors, "started_on", _("Give the day the pair starts."))
    elif ends_on <= started_on:
        _add(errors, "ends_on", _("The pair ends after it starts."))
    if not any((goal or "").strip() for goal in (goal_thought, goal_work, goal_life)):
        _add(errors, "goal_work", _("Write down at least one goal."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        pair = Pair.objects.create(
            department=department, section=section, mentor=mentor, mentee=mentee,
            started_on=started_on, ends_on=ends_on, goal_thought=(goal_thought or "").strip(),
            goal_work=(goal_work or "").strip(), goal_life=(goal_life or "").strip(),
            created_by=None if by is SYSTEM else by)
        audit_record(actor=_actor(by), action=events.PAIR_RECORD, obj=pair,
                     after={"section": section.pk, "mentor": mentor.pk, "mentee": mentee.pk,
                            "started_on": started_on.isoformat(),
                            "ends_on": ends_on.isoformat()})
    return pair


def pair_close(*, by, pair: Pair, version) -> Pair:
    """End a pair (the mentee may then get another mentor)."""
    _check_manager(by, pair.department)
    return versioned_update(pair, version=version, by=_actor(by), action=events.PAIR_CLOSE,
                            changes={"status": PairStatus.ENDED},
                            snapshot=("status",)).instance


def checkin_record(*, by, pair: Pair, on: dt.date, note: str) -> CheckIn:
    """The month's meeting of a pair, recorded by either of the two or a leader; one per
    month (the month of ``on``)."""
    if by is not SYSTEM and not pair_side(by, pair):
        raise PermissionDenied
    errors: dict = {}
    today = timezone.localdate()
    if on is None or on > today:
        _add(errors, "on", _("The day cannot be in the future."))
    elif not pair.started_on <= on <= pair.ends_on:
        _add(errors, "on", _("The day is within the pair's term."))
    if not (note or "").strip():
        _add(errors, "note", _("Write down what was discussed."))
    month = on.replace(day=1) if on else None
    if month and not errors.get("on") and CheckIn.objects.filter(pair=pair,
                                                                  month=month).exists():
        _add(errors, "on", _("This month's check-in is already recorded."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        checkin = CheckIn.objects.create(pair=pair, month=month, on=on, note=note.strip(),
                                         created_by=None if by is SYSTEM else by)
        audit_record(actor=_actor(by), action=events.CHECKIN_RECORD, obj=checkin,
                     after={"pair": pair.pk, "month": month.isoformat()})
    return checkin


def evaluation_record(*, by, pair: Pair, stage: str, rating: str, comment: str = "",
                      on: dt.date | None = None, side: str | None = None) -> Evaluation:
    """One side's evaluation: the mentor, the mentee, or the chief (a leader of the
    department who is neither). A side may correct its evaluation: the last one given
    stands, and the audit keeps the one it replaced. ``side`` is only for the system."""
    side = side if by is SYSTEM else pair_side(by, pair)
    if not side:
        raise PermissionDenied
    on = on or timezone.localdate()
    errors: dict = {}
    if stage not in Stage.values:
        _add(errors, "stage", _("Choose the evaluation."))
    if rating not in Rating.values:
        _add(errors, "rating", _("Choose a rating."))
    if on < pair.started_on:
        _add(errors, "on", _("The day is within the pair's term."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        previous = Evaluation.objects.select_for_update().filter(
            pair=pair, stage=stage, side=side).first()
        before = model_snapshot(previous, ("rating", "on")) if previous else None
        evaluation, _created = Evaluation.objects.update_or_create(
            pair=pair, stage=stage, side=side,
            defaults={"rating": rating, "comment": (comment or "").strip(), "on": on,
                      "created_by": None if by is SYSTEM else by})
        audit_record(actor=_actor(by), action=events.EVALUATION_RECORD, obj=evaluation,
                     before=before, after={"pair": pair.pk, "stage": stage, "side": side,
                                           "rating": rating, "on": on.isoformat()})
    return evaluation


def checkins_remind(*, today: dt.date) -> dict:
    """Remind both sides of every pair whose previous month passed without a check-in
    (once per pair and month: the notice's dedupe key)."""
    month = add_months(today.replace(day=1), -1)
    sent = {"pairs": 0, "notices": 0}
    for pair, users in pairs_missing_checkin(month=month):
        notices = notify(
            recipients=users, kind=events.NOTICE_CHECKIN_MISSED,
            title=_("No 青蓝 check-in for %(month)s") % {"month": f"{month:%Y-%m}"},
            body=_("%(mentor)s and %(mentee)s did not record their monthly meeting.")
            % {"mentor": pair.mentor.name, "mentee": pair.mentee.name},
            url=reverse("ability:pair", args=[pair.pk]),
            dedupe_key=f"ability.checkin.{pair.pk}.{month:%Y-%m}")
        sent["pairs"] += 1
        sent["notices"] += len(notices)
    return sent


# ---------------------------------------------------------------- training (M29)


def training_record(*, by, department: OrgUnit, kind: str, title: str, place: str,
                    start: dt.date, end: dt.date, hours, participants: Iterable = ()
                    ) -> Training:
    """A training event or secondment with its participants; each is credited the event's
    hours."""
    _check_manager(by, department)
    ids = _ids(participants)
    errors: dict = {}
    if kind not in TrainingKind.values:
        _add(errors, "kind", _("Choose the kind of training."))
    if not (title or "").strip():
        _add(errors, "title", _("Give the training a title."))
    if not (place or "").strip():
        _add(errors, "place", _("Give the place."))
    if start is None or end is None or end < start:
        _add(errors, "end", _("The training ends on or after its first day."))
    try:
        hours = Decimal(str(hours))
        if not 0 < hours <= 2000:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        _add(errors, "hours", _("Hours are a number above zero."))
    if not ids:
        _add(errors, "participants", _("Name at least one participant."))
    elif set(ids) - set(department_people(department).filter(pk__in=ids)
                        .values_list("pk", flat=True)):
        _add(errors, "participants", _("Choose people of the department."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        training = Training.objects.create(
            department=department, kind=kind, title=title.strip(), place=place.strip(),
            start=start, end=end, hours=hours, created_by=None if by is SYSTEM else by)
        Trainee.objects.bulk_create([
            Trainee(training=training, person_id=pk, on=start, hours=hours,
                    created_by=None if by is SYSTEM else by) for pk in ids])
        audit_record(actor=_actor(by), action=events.TRAINING_RECORD, obj=training,
                     after={"kind": kind, "start": start.isoformat(), "end": end.isoformat(),
                            "hours": str(hours), "participants": ids})
    return training


def summary_submit(*, by, trainee: Trainee, title: str, text: str,
                   kind: str = "reflection") -> Trainee:
    """The participant's summary or report: written once, as a learning writing (hook
    ``learning.writing``), so it counts in the learning figures; the trainee keeps its id."""
    if by is not SYSTEM and getattr(by, "person_id", None) != trainee.person_id:
        raise PermissionDenied
    errors: dict = {}
    if trainee.writing_id:
        _add(errors, "text", _("The summary is already submitted; change it in learning."))
    if not (title or "").strip():
        _add(errors, "title", _("Give the summary a title."))
    if not (text or "").strip():
        _add(errors, "text", _("Type the summary."))
    if kind not in ("reflection", "research"):
        _add(errors, "kind", _("Choose a summary or a report."))
    on = min(timezone.localdate(), max(trainee.training.end, trainee.on))
    write = registry.hook("learning.writing")
    if write is None:
        _add(errors, "text", _("Learning records are not available."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        writing_id = write(by=by, person=trainee.person, on=on, title=title.strip(),
                           text=text.strip(), kind=kind)
        Trainee.objects.filter(pk=trainee.pk).update(writing_id=writing_id,
                                                     summary_title=title.strip()[:200],
                                                     summary_on=on, version=F("version") + 1)
        audit_record(actor=_actor(by), action=events.SUMMARY_SUBMIT, obj=trainee,
                     after={"writing": writing_id})
    trainee.refresh_from_db()
    return trainee


# ---------------------------------------------------------------- competitions (M37)


def competition_create(*, by, department: OrgUnit, title: str, held_on: dt.date,
                       entrants: Iterable = ()) -> Competition:
    """A 业务比武擂台 and the cadres entering it; rounds and tasks are added after."""
    _check_manager(by, department)
    ids = _ids(entrants)
    errors: dict = {}
    if not (title or "").strip():
        _add(errors, "title", _("Give the competition a title."))
    if held_on is None:
        _add(errors, "held_on", _("Give the day of the competition."))
    if len(ids) < 2:
        _add(errors, "entrants", _("A competition has at least two entrants."))
    elif set(ids) - set(department_people(department).filter(pk__in=ids)
                        .values_list("pk", flat=True)):
        _add(errors, "entrants", _("Choose people of the department."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        competition = Competition.objects.create(department=department, title=title.strip(),
                                                 held_on=held_on,
                                                 created_by=None if by is SYSTEM else by)
        Entrant.objects.bulk_create([Entrant(competition=competition, person_id=pk,
                                             on=held_on, created_by=None if by is SYSTEM
                                             else by) for pk in ids])
        audit_record(actor=_actor(by), action=events.COMPETITION_RECORD, obj=competition,
                     after={"held_on": held_on.isoformat(), "entrants": ids})
    return competition


def task_add(*, by, competition: Competition, round: int, title: str,  # noqa: A002
             max_score) -> CompetitionTask:
    """A question or task of a round with its full marks."""
    _check_manager(by, competition.department)
    errors: dict = {}
    if not round or int(round) < 1:
        _add(errors, "round", _("Rounds are numbered from 1."))
    if not (title or "").strip():
        _add(errors, "title", _("Give the question or task a title."))
    elif CompetitionTask.objects.filter(competition=competition, round=round or 0,
                                        title=title.strip()).exists():
        _add(errors, "title", _("This round already has this task."))
    try:
        max_score = Decimal(str(max_score))
        if not 0 < max_score <= 1000:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        _add(errors, "max_score", _("Full marks are a number above zero."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        task = CompetitionTask.objects.create(competition=competition, round=int(round),
                                              title=title.strip(), max_score=max_score)
        audit_record(actor=_actor(by), action=events.TASK_RECORD, obj=task,
                     after={"competition": competition.pk, "round": int(round),
                            "max_score": str(max_score)})
    return task


def score_record(*, by, entrant: Entrant, task: CompetitionTask, points) -> Score:
    """An entrant's points on a task (a second entry corrects the first; the audit keeps
    both)."""
    _check_manager(by, task.competition.department)
    errors: dict = {}
    if entrant.competition_id != task.competition_id:
        _add(errors, "task", _("Choose a task of this competition."))
    try:
        points = Decimal(str(points))
        if not 0 <= points <= task.max_score:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        _add(errors, "points", _("Points are between 0 and the task's %(max)s.")
             % {"max": f"{Decimal(str(task.max_score)).normalize():f}"})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        previous = Score.objects.select_for_update().filter(entrant=entrant, task=task).first()
        score, _created = Score.objects.update_or_create(entrant=entrant, task=task,
                                                         defaults={"points": points})
        audit_record(actor=_actor(by), action=events.SCORE_RECORD, obj=score,
                     before={"points": str(previous.points)} if previous else None,
                     after={"entrant": entrant.pk, "task": task.pk, "points": str(points)})
    return score


def award_set(*, by, entrant: Entrant, award: str) -> Entrant:
    """Give (or take back, with "") an entrant's award."""
    _check_manager(by, entrant.competition.department)
    if award not in ("", *AwardLevel.values):
        raise ValidationError({"award": [_("Choose an award.")]})
    return versioned_update(entrant, version=entrant.version, by=_actor(by),
                            action=events.AWARD_SET, changes={"award": award},
                            snapshot=("award",), validate=False).instance


# ---------------------------------------------------------------- lecture awards (per term)


def lecture_award_give(*, by, department: OrgUnit, lecture: Lecture, level: str,
                       start: dt.date, end: dt.date, title: str = "",
                       on: dt.date | None = None) -> list[LectureAward]:
    """Give a term's award to a lecture of the term's ranking: one award row per lecturer
    (the award is theirs, so it counts in their records). The lecture must belong to the
    department, be held in the term and have a weighted total."""
    _check_manager(by, department)
    on = on or timezone.localdate()
    title = (title or "").strip()
    errors: dict = {}
    if level not in AwardLevel.values:
        _add(errors, "level", _("Choose an award."))
    if start is None or end is None or end < start:
        _add(errors, "start", _("Give the term as two days, the first before the last."))
    if lecture is None or lecture.department_id != department.pk:
        _add(errors, "lecture", _("Choose a lecture of the term's ranking."))
    elif start and end and not start <= lecture.held_on <= end:
        _add(errors, "lecture", _("Choose a lecture of the term's ranking."))
    elif lecture_scores(lecture)["total"] is None:
        _add(errors, "lecture", _("Only a lecture with a weighted score can be awarded."))
    if len(title) > 60:
        _add(errors, "title", _("Keep the award's title within 60 characters."))
    if errors:
        raise ValidationError(errors)
    lecturers = list(lecture.seats.filter(part=Part.LECTURER).order_by("pk")
                     .values_list("person_id", flat=True))
    if LectureAward.objects.filter(lecture=lecture, term_start=start, term_end=end).exists():
        raise ValidationError({"lecture": [_("This lecture already has an award for the "
                                             "term.")]})
    with transaction.atomic():
        awards = [LectureAward.objects.create(
            person_id=pid, on=on, created_by=None if by is SYSTEM else by,
            department=department, lecture=lecture, term_start=start, term_end=end,
            level=level, title=title) for pid in lecturers]
        audit_record(actor=_actor(by), action=events.LECTURE_AWARD, obj=lecture, after={
            "level": level, "title": title, "term": f"{start:%Y-%m-%d}~{end:%Y-%m-%d}",
            "lecturers": lecturers})
    return awards


# ---------------------------------------------------------------- the forum's rotation (M28)

SWAP_FIELDS = ("first_day", "second_day", "first_person", "second_person", "reason")


def rotation_swap_record(*, by, department: OrgUnit, start: dt.date, weeks: int,
                         weekday: int, first_day: dt.date, second_day: dt.date,
                         reason: str = "") -> RotationSwap:
    """Keep a swap of two sessions of the department's rotation (the plan from ``start``
    over ``weeks`` weeks on ``weekday``, as the leader sees it): each speaker must be
    present on the other's day, and a day takes part in one swap at most."""
    _check_manager(by, department)
    reason = (reason or "").strip()
    errors: dict = {}
    if first_day is None or second_day is None or first_day == second_day:
        _add(errors, "first_day", _("Choose two days of the plan that have a speaker."))
    if len(reason) > 100:
        _add(errors, "reason", _("Keep the reason within 100 characters."))
    if errors:
        raise ValidationError(errors)
    first_day, second_day = sorted((first_day, second_day))
    plan = rotation_plan(user=by, department=department, start=start, weeks=weeks,
                         weekday=weekday)
    speakers = {t.day: t.person for t in plan.turns if t.day is not None and t.person}
    if first_day not in speakers or second_day not in speakers:
        raise ValidationError({"first_day": [_("Choose two days of the plan that have a "
                                               "speaker.")]})
    days = (first_day, second_day)
    if RotationSwap.objects.filter(Q(first_day__in=days) | Q(second_day__in=days),
                                   department=department).exists():
        raise ValidationError({"first_day": [_("One of these days is already part of a "
                                               "swap: cancel that swap first.")]})
    a, b = speakers[first_day], speakers[second_day]
    if not plan.present(a.pk, second_day) or not plan.present(b.pk, first_day):
        raise ValidationError({"first_day": [_("One of the two is away on the other's "
                                               "day.")]})
    with transaction.atomic():
        swap = RotationSwap.objects.create(
            department=department, first_day=first_day, second_day=second_day,
            first_person=a, second_person=b, reason=reason,
            created_by=None if by is SYSTEM else by)
        audit_record(actor=_actor(by), action=events.SWAP_RECORD, obj=swap,
                     after=model_snapshot(swap, SWAP_FIELDS))
    return swap


def rotation_swap_cancel(*, by, swap: RotationSwap) -> None:
    """Take back a swap: the plan names the speakers it computes again. The audit entry
    keeps the swap as it was."""
    _check_manager(by, swap.department)
    with transaction.atomic():
        before = model_snapshot(swap, SWAP_FIELDS)
        audit_record(actor=_actor(by), action=events.SWAP_CANCEL, obj=swap, before=before)
        swap.delete()


# ---------------------------------------------------------------- research topics (M23)


def topic_create(*, by, department: OrgUnit, year: int, title: str, leader: Person,
                 members: Iterable = (), milestones: Iterable = ()) -> ResearchTopic:
    """Give a yearly topic to a team (its leader counts as a member); ``milestones`` are
    (title, due day) pairs."""
    _check_manager(by, department)
    ids = _ids([leader, *members]) if leader is not None else _ids(members)
    errors: dict = {}
    if not year or not 2000 <= int(year) <= timezone.localdate().year + 1:
        _add(errors, "year", _("Give the topic's year."))
    if not (title or "").strip():
        _add(errors, "title", _("Give the topic a title."))
    if leader is None:
        _add(errors, "leader", _("Name the team leader."))
    if ids and set(ids) - set(department_people(department).filter(pk__in=ids)
                              .values_list("pk", flat=True)):
        _add(errors, "members", _("Choose people of the department."))
    milestones = [(t.strip(), d) for t, d in milestones if (t or "").strip()]
    if any(d is None for _t, d in milestones):
        _add(errors, "milestones", _("Each milestone has a due day."))
    if errors:
        raise ValidationError(errors)
    given = timezone.localdate() if int(year) == timezone.localdate().year else \
        dt.date(int(year), 1, 1)
    with transaction.atomic():
        topic = ResearchTopic.objects.create(department=department, year=int(year),
                                             title=title.strip(), leader=leader,
                                             created_by=None if by is SYSTEM else by)
        TopicMember.objects.bulk_create([TopicMember(topic=topic, person_id=pk, on=given)
                                         for pk in ids])
        Milestone.objects.bulk_create([Milestone(topic=topic, title=t, due_on=d)
                                       for t, d in milestones])
        audit_record(actor=_actor(by), action=events.TOPIC_RECORD, obj=topic,
                     after={"year": int(year), "leader": leader.pk, "members": ids,
                            "milestones": len(milestones)})
    return topic


def milestone_done(*, by, milestone: Milestone, done_on: dt.date) -> Milestone:
    """Mark a step done (the team leader or a leader of the department)."""
    topic = milestone.topic
    if by is not SYSTEM and getattr(by, "person_id", None) != topic.leader_id:
        _check_manager(by, topic.department)
    if done_on is None or done_on > timezone.localdate():
        raise ValidationError({"done_on": [_("The day cannot be in the future.")]})
    with transaction.atomic():
        Milestone.objects.filter(pk=milestone.pk).update(done_on=done_on)
        audit_record(actor=_actor(by), action=events.MILESTONE_DONE, obj=milestone,
                     after={"done_on": done_on.isoformat()})
    milestone.done_on = done_on
    return milestone


def topic_report(*, by, topic: ResearchTopic, title: str, text: str) -> ResearchTopic:
    """The team leader hands in the report: a learning writing (research report) of
    theirs, written once through the ``learning.writing`` hook."""
    if by is not SYSTEM and getattr(by, "person_id", None) != topic.leader_id:
        raise PermissionDenied
    errors: dict = {}
    if topic.writing_id:
        _add(errors, "text", _("The report is already handed in; change it in learning."))
    if not (title or "").strip():
        _add(errors, "title", _("Give the report a title."))
    if not (text or "").strip():
        _add(errors, "text", _("Type the report."))
    write = registry.hook("learning.writing")
    if write is None:
        _add(errors, "text", _("Learning records are not available."))
    if errors:
        raise ValidationError(errors)
    on = timezone.localdate()
    with transaction.atomic():
        writing_id = write(by=by, person=topic.leader, on=on, title=title.strip(),
                           text=text.strip(), kind="research")
        result = versioned_update(topic, version=topic.version, by=_actor(by),
                                  action=events.TOPIC_REPORT,
                                  changes={"writing_id": writing_id,
                                           "report_title": title.strip()[:200],
                                           "reported_on": on,
                                           "status": TopicStatus.REPORTED},
                                  snapshot=("status", "writing_id", "reported_on"))
    return result.instance


def topic_adopt(*, by, topic: ResearchTopic, version, adopted_on: dt.date,
                adoption: str) -> ResearchTopic:
    """Record how the leaders adopted the report (批示、转化为文件或措施)."""
    _check_manager(by, topic.department)
    errors: dict = {}
    if topic.status == TopicStatus.ONGOING:
        _add(errors, "adoption", _("A topic is adopted after its report is handed in."))
    if adopted_on is None or adopted_on > timezone.localdate() or (
            topic.reported_on and adopted_on < topic.reported_on):
        _add(errors, "adopted_on", _("The day is between the report and today."))
    if not (adoption or "").strip():
        _add(errors, "adoption", _("Say how the leaders adopted it."))
    if errors:
        raise ValidationError(errors)
    return versioned_update(topic, version=version, by=_actor(by), action=events.TOPIC_ADOPT,
                            changes={"status": TopicStatus.ADOPTED, "adopted_on": adopted_on,
                                     "adoption": adoption.strip()},
                            snapshot=("status", "adopted_on")).instance


# ---------------------------------------------------------------- post ledgers (M38)


def ledger_save(*, by, holder: Person, post: str, duties: str, contacts: str = "",
                open_matters: str = "", version=None) -> PostLedger:
    """Write (or bring up to date) the ledger of a post: by its holder, or a leader of the
    department. Every save confirms it current as of today."""
    department = department_of(holder)
    own = getattr(by, "person_id", None) == holder.pk
    if by is not SYSTEM and not own:
        _check_manager(by, department)
    errors: dict = {}
    if not (post or "").strip():
        _add(errors, "post", _("Name the post."))
    if not (duties or "").strip():
        _add(errors, "duties", _("Write down what the job holds."))
    if errors:
        raise ValidationError(errors)
    values = {"post": post.strip(), "duties": duties.strip(),
              "contacts": (contacts or "").strip(), "open_matters": (open_matters or "").strip(),
              "confirmed_on": timezone.localdate()}
    current = PostLedger.objects.filter(holder=holder).first()
    if current is None:
        with transaction.atomic():
            ledger = PostLedger.objects.create(department=department, holder=holder, **values)
            audit_record(actor=_actor(by), action=events.LEDGER_SAVE, obj=ledger,
                         after={"post": ledger.post})
        return ledger
    return versioned_update(current, version=version, by=_actor(by), action=events.LEDGER_SAVE,
                            changes=values, snapshot=("post", "confirmed_on")).instance


def ledger_handover(*, by, person: Person, successor: Person, on: dt.date | None = None
                    ) -> PostLedger | None:
    """Pass ``person``'s post ledger on to ``successor`` with the job (the hook
    ``ability.post_ledger``, called by the tasks app's handover inside its transaction; the
    caller has checked that ``by`` may hand the work over).

    The ledger keeps its confirmation day: the successor confirms it when they first save it.
    A successor who already keeps a ledger of their own receives the outgoing one added to it
    (each part under a heading naming where it came from), so one page still holds all
    they do. Returns the successor's ledger, or None when ``person`` kept none."""
    on = on or timezone.localdate()
    with transaction.atomic():
        ledger = PostLedger.objects.select_for_update().filter(holder=person).first()
        if ledger is None or successor.pk == person.pk:
            return None
        own = PostLedger.objects.select_for_update().filter(holder=successor).first()
        before = model_snapshot(ledger, ("post", "holder", "department"))
        if own is None:
            ledger.holder, ledger.department = successor, department_of(successor)
            ledger.version = F("version") + 1
            ledger.save(update_fields=["holder", "department", "version", "updated_at"])
            ledger.refresh_from_db()
            target, merged = ledger, False
        else:
            heading = _("[Taken over from %(name)s: %(post)s]") % {"name": person.name,
                                                                  "post": ledger.post}
            for field in ("duties", "contacts", "open_matters"):
                added = getattr(ledger, field).strip()
                if added:
                    mine = getattr(own, field).strip()
                    setattr(own, field, f"{mine}\n\n{heading}\n{added}".strip())
            own.version = F("version") + 1
            own.save(update_fields=["duties", "contacts", "open_matters", "version", "updated_at"])
            own.refresh_from_db()
            LedgerHandover.objects.filter(ledger=ledger).update(ledger=own)
            target, merged = own, True
        LedgerHandover.objects.create(ledger=target, post=ledger.post, from_person=person,
                                      to_person=successor, on=on, merged=merged)
        if merged:
            ledger.delete()  # its text now lives in the successor's ledger (and in the audit)
        audit_record(actor=_actor(by), action=events.LEDGER_HANDOVER, obj=target, before=before,
                     after={"post": before["post"], "holder": successor.pk, "merged": merged})
        recipients = list(User.objects.filter(person=successor, is_active=True))
        if recipients:
            notify(recipients=recipients, kind=events.NOTICE_LEDGER_HANDOVER,
                   title=_("Post ledger handed over to you: %(post)s") % {"post": ledger.post},
                   body=_("Read it and confirm it current."),
                   url=reverse("ability:ledger", args=[target.pk]))
        return target


def ledgers_stale_remind(*, today: dt.date) -> dict:
    """Ask the holder of every ledger not confirmed for ``LEDGER_FRESH_DAYS`` to read it and
    confirm it current (once per ledger and month: the notice's dedupe key), so that the
    page anyone would take the job over from stays true."""
    sent = {"ledgers": 0, "notices": 0}
    for ledger, users in ledgers_stale(today=today):
        notices = notify(
            recipients=users, kind=events.NOTICE_LEDGER_STALE,
            title=_("Confirm your post ledger: %(post)s") % {"post": ledger.post},
            body=_("Not confirmed since %(day)s. Read it, bring it up to date and save it.")
            % {"day": f"{ledger.confirmed_on:%Y-%m-%d}"},
            url=reverse("ability:ledger", args=[ledger.pk]),
            dedupe_key=f"ability.ledger.{ledger.pk}.{today:%Y-%m}")
        sent["ledgers"] += 1
        sent["notices"] += len(notices)
    return sent
