"""Reads of ability records; every function takes the user whose departments apply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Prefetch, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core import ballots
from zugong.core.access import get_for_user
from zugong.core.periods import add_months
from zugong.core.registry import hook
from zugong.core.workdays import WorkingDays
from zugong.people.access import unit_filter_q
from zugong.people.access import unit_for_filter as _unit_for_filter
from zugong.people.models import OrgUnit, Person, PersonCategory, UnitKind, User

from . import ranking, rotation
from . import scoring as scoring_rules
from .access import (
    Cap,
    department_get_for_user,
    department_ids,
    may_manage_department,
    pair_side,
    subtree_q,
)
from .models import (
    AWAY_KINDS,
    DEFAULT_WEIGHTS,
    LEDGER_FRESH_DAYS,
    AwardLevel,
    CheckIn,
    Competition,
    Entrant,
    Lecture,
    LectureAward,
    LectureCode,
    LectureScoring,
    LectureTally,
    LectureVoted,
    LedgerHandover,
    Pair,
    PairStatus,
    Part,
    PostLedger,
    ResearchTopic,
    RotationSwap,
    Score,
    ScorePart,
    ScoringScheme,
    ScoringStatus,
    Seat,
    Series,
    Side,
    Stage,
    Topic,
    TopicMember,
    Trainee,
    Training,
    TrainingKind,
)

Turn = rotation.Turn
LECTURE_ORDER = ("-held_on", "-id")


@dataclass(frozen=True)
class LectureFilters:
    series: str = ""
    topic: str = ""
    person: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    unit: str = ""
    part: str = ""  # with ``unit``: the lectures where the unit's people had this part


def _visible_departments(user) -> list[int]:
    ids = department_ids(user, Cap.ABILITY_VIEW)
    if not ids:
        raise PermissionDenied
    return ids


def departments_q(ids: list[int], field: str = "unit_path") -> Q:
    """People (or units, with ``field="path"``) inside any of the departments ``ids``."""
    q = Q(pk__in=[])
    for path in OrgUnit.objects.filter(pk__in=ids).values_list("path", flat=True):
        q |= subtree_q(field, path)
    return q


def person_for_filter(user, pk) -> Person:
    """The person a ``?person=`` filter names, if they belong to one of the user's
    departments: anyone else answers 404, as a missing id does, and is never named."""
    person = None
    if str(pk).isdigit():
        person = Person.objects.filter(departments_q(_visible_departments(user)),
                                       pk=int(pk)).first()
    if person is None:
        raise Http404
    return person


def unit_for_filter(user, pk) -> OrgUnit:
    """The unit a ``?unit=`` filter names (a figure's link to its records), if it is in the
    user's scope: any other id answers 404, as a missing one, and is never named."""
    return _unit_for_filter(user, Cap.ABILITY_VIEW, pk)


def _unit_q(user, unit, field: str) -> Q:
    """The records of the people of ``?unit=`` (404 out of scope), or all with no filter."""
    return unit_filter_q(user, Cap.ABILITY_VIEW, unit, field=field) if unit else Q()


def lecture_list(*, user, filters: LectureFilters = LectureFilters()):
    """Lectures of the user's departments, newest first, with the number of lecturers and
    of the audience annotated (403 without ``ability.view``). With ``unit``: the lectures
    where someone of the unit had a seat, and the counts are of the unit's people (so the
    audience column adds up to the unit's person-times trained) and the lecturers named
    are the unit's. ``part`` (a metric's ``records_params``) keeps the lectures where the
    unit's people had that part: their lectures given, discussed or attended."""
    qs = Lecture.objects.filter(department_id__in=_visible_departments(user))
    counted = _unit_q(user, filters.unit, "seats__person__unit_path")
    named = Q()
    if filters.unit:
        named = _unit_q(user, filters.unit, "person__unit_path")
        seats = Seat.objects.filter(named)
        if filters.part in Part.values:
            seats = seats.filter(part=filters.part)
        qs = qs.filter(pk__in=seats.values("lecture_id"))
    if filters.series in Series.values:
        qs = qs.filter(series=filters.series)
    if filters.topic in Topic.values:
        qs = qs.filter(topic=filters.topic)
    if filters.person:
        qs = qs.filter(seats__person=person_for_filter(user, filters.person))
    if filters.start:
        qs = qs.filter(held_on__gte=filters.start)
    if filters.end:
        qs = qs.filter(held_on__lte=filters.end)
    return qs.annotate(
        lecturer_count=Count("seats", filter=Q(seats__part=Part.LECTURER) & counted,
                             distinct=True),
        discussant_count=Count("seats", filter=Q(seats__part=Part.DISCUSSANT) & counted,
                               distinct=True),
        audience_count=Count("seats", filter=Q(seats__part=Part.AUDIENCE) & counted,
                             distinct=True),
    ).prefetch_related(Prefetch(
        "seats", queryset=Seat.objects.filter(named, part=Part.LECTURER).select_related("person")
        .order_by("pk"), to_attr="lecturer_seats")).order_by(*LECTURE_ORDER)


def lecture_get_for_user(user, pk, *, write: bool = False) -> Lecture:
    """A lecture of the user's departments (404 otherwise); changing it needs
    ``ability.manage`` in its department (403)."""
    return get_for_user(lecture_list(user=user).select_related("department"), pk,
                        write=write,
                        may_write=lambda lec: may_manage_department(user, lec.department_id))


def lecture_seats(lecture: Lecture) -> dict[str, list[Seat]]:
    """The lecture's seats by part, each list in name order."""
    out: dict[str, list[Seat]] = {p: [] for p in Part.values}
    for seat in lecture.seats.select_related("person", "person__unit").order_by(
            "person__name", "pk"):
        out[seat.part].append(seat)
    return out


# ---------------------------------------------------------------- lecture scoring


def scheme_for(department: OrgUnit) -> ScoringScheme:
    """The department's weights of the three parts (the default 40/30/30, unsaved, until a
    leader sets them)."""
    return ScoringScheme.objects.filter(department=department).first() or ScoringScheme(
        department=department, **{f"{part}_weight": w for part, w in DEFAULT_WEIGHTS.items()})


def lecturer_ids(lecture: Lecture) -> set[int]:
    return set(lecture.seats.filter(part=Part.LECTURER).values_list("person_id", flat=True))


def may_peer_vote(user, lecture: Lecture) -> bool:
    """干部互评 is for the department's cadres (not its leaders, who comment by name, and not
    the lecture's own lecturers)."""
    person_id = getattr(user, "person_id", None)
    return bool(person_id) and lecture.department_id in department_ids(
        user, Cap.ABILITY_VIEW) and not may_manage_department(
        user, lecture.department_id) and person_id not in lecturer_ids(lecture)


def may_comment(user, lecture: Lecture) -> bool:
    """领导点评 is for the department's leaders, except a leader who gave the lecture."""
    return may_manage_department(user, lecture.department_id) and getattr(
        user, "person_id", None) not in lecturer_ids(lecture)


def has_voted(user, lecture: Lecture) -> bool:
    return LectureVoted.objects.filter(lecture=lecture, voter=user).exists()


@dataclass(frozen=True)
class PartResult:
    part: str
    label: str
    weight: int
    count: int
    mean: Decimal | None  # counted in the score
    shown: Decimal | None  # on the page: an anonymous part only from MIN_BALLOTS_SHOWN


def lecture_scores(lecture: Lecture) -> dict:
    """The lecture's scoring: the three parts (weight, number of scores, mean), the
    leaders' named comments and the weighted total (None while a weighted part has no
    score). Three queries."""
    scoring = LectureScoring.objects.filter(lecture=lecture).first()
    if scoring is None:
        return {"scoring": None, "parts": [], "comments": [], "total": None, "missing": []}
    comments = list(lecture.comments.select_related("by", "by__person").order_by("on", "pk"))
    tallies = {t.part: t for t in LectureTally.objects.filter(lecture=lecture)}
    parts, means = [], {}
    for part in ScorePart:
        if part == ScorePart.LEADERS:
            count = len(comments)
            mean = (sum((c.score for c in comments), Decimal(0)) / count) if count else None
            shown = mean
        else:
            tally = tallies.get(part)
            count = tally.count if tally else 0
            mean = tally.mean if tally else None
            shown = mean if ballots.shown(count) else None
        means[part.value] = mean
        parts.append(PartResult(part.value, part.label, scoring.weight(part.value), count,
                                mean, shown))
    total, missing = scoring_rules.weighted_total(scoring.weights, means)
    return {"scoring": scoring, "parts": parts, "comments": comments, "total": total,
            "missing": [ScorePart(m).label for m in missing]}


def lecture_code_lecture(code: str) -> tuple[Lecture | None, str]:
    """The lecture a typed audience code admits to (with nothing else said about it), or
    the reason it admits nobody."""
    row = ballots.code_row(LectureCode.objects.select_related("lecture"), code)
    problem = lecture_code_problem(row)
    return (None if problem else row.lecture), problem


def lecture_code_problem(row: LectureCode | None) -> str:
    if row is None:
        return _("This code is not valid.")
    if row.used:
        return _("This code has already been used: a ballot cannot be cast twice.")
    scoring = LectureScoring.objects.filter(lecture_id=row.lecture_id).first()
    if scoring is None or scoring.status != ScoringStatus.OPEN:
        return _("Scoring of this lecture is closed.")
    return ""


def term_ranking(*, user, department: OrgUnit, start: dt.date, end: dt.date,
                 unit: str = "") -> list[dict]:
    """The department's scored lectures held in [start, end], best first (for the term's
    awards): each with its weighted total; lectures still without a total come last.
    With ``unit``, the lectures given by someone of that unit, keeping their rank in the
    department."""
    lecturers_of_unit = _unit_q(user, unit, "person__unit_path")
    department = department_get_for_user(user, department.pk, Cap.ABILITY_VIEW)
    lectures = list(Lecture.objects.filter(department=department, held_on__range=(start, end),
                                           scoring__isnull=False).order_by("held_on", "pk"))
    rows = [{"lecture": lec, **lecture_scores(lec)} for lec in lectures]
    ranks = {key: place for place, key, _total in ranking.rank(
        {i: r["total"] for i, r in enumerate(rows) if r["total"] is not None})}
    for i, row in enumerate(rows):
        row["rank"] = ranks.get(i)
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["lecture"].held_on))
    if unit:
        given = set(Seat.objects.filter(lecturers_of_unit, part=Part.LECTURER,
                                        lecture__in=[r["lecture"] for r in rows])
                    .values_list("lecture_id", flat=True))
        rows = [r for r in rows if r["lecture"].pk in given]
    return rows


def term_awards(*, user, department: OrgUnit, start: dt.date, end: dt.date, unit: str = ""):
    """The awards the department gave for the term [start, end] or a term inside it (the
    year shows the awards of its halves), best level first, with their lecture and
    lecturer; with ``unit``, those of the unit's people."""
    department = department_get_for_user(user, department.pk, Cap.ABILITY_VIEW)
    awards = (LectureAward.objects.filter(_unit_q(user, unit, "person__unit_path"),
                                          department=department, term_start__gte=start,
                                          term_end__lte=end)
              .select_related("lecture", "person", "person__unit", "created_by",
                              "created_by__person")
              .order_by("lecture__held_on", "person__name", "pk"))
    return sorted(awards, key=lambda a: (a.term_start, AwardLevel.values.index(a.level)))


def term_lectures(*, department: OrgUnit, start: dt.date, end: dt.date):
    """The department's lectures of the term with a scoring (those an award may go to;
    the service checks the weighted total)."""
    return Lecture.objects.filter(department=department, held_on__range=(start, end),
                                  scoring__isnull=False).order_by("held_on", "pk")


def lecture_awards(lecture: Lecture) -> list[LectureAward]:
    """The awards a lecture received (one per lecturer and term)."""
    return list(lecture.awards.select_related("person").order_by("term_start", "person__name"))


def person_awards(*, user, pk) -> tuple[Person, list[LectureAward]]:
    """A person of the user's departments (404 otherwise) and their lecture awards."""
    ids = _visible_departments(user)
    person = Person.objects.filter(departments_q(ids), pk=pk).select_related("unit").first()
    if person is None:
        raise Http404
    awards = list(LectureAward.objects.filter(person=person, department_id__in=ids)
                  .select_related("lecture").order_by("-on", "-pk"))
    return person, awards


@dataclass(frozen=True)
class LectureFigures:
    """The figures the seeds report for a year (M07): sessions held, distinct lecturers,
    person-times trained (audience seats)."""

    lectures: int
    lecturers: int
    person_times: int
    discussants: int


def lecture_figures(*, user, department: OrgUnit, start: dt.date, end: dt.date
                    ) -> LectureFigures:
    """Figures of one department over [start, end]: two queries."""
    if department.pk not in _visible_departments(user):
        raise PermissionDenied
    lectures = Lecture.objects.filter(department=department, held_on__gte=start,
                                      held_on__lte=end)
    seats = Seat.objects.filter(lecture__in=lectures.values("pk")).aggregate(
        lecturers=Count("person", filter=Q(part=Part.LECTURER), distinct=True),
        person_times=Count("pk", filter=Q(part=Part.AUDIENCE)),
        discussants=Count("pk", filter=Q(part=Part.DISCUSSANT)))
    return LectureFigures(lectures=lectures.count(), lecturers=seats["lecturers"],
                          person_times=seats["person_times"],
                          discussants=seats["discussants"])


def departments_managed(user) -> list[OrgUnit]:
    """Departments where the user records lectures and pairs (may be empty)."""
    ids = department_ids(user, Cap.ABILITY_MANAGE)
    return list(OrgUnit.objects.filter(pk__in=ids).order_by("path"))


def department_people(department: OrgUnit):
    """Everyone a department's ability records may name (its cadres and managed cadres)."""
    return Person.objects.filter(subtree_q("unit_path", department.path)).select_related(
        "unit").order_by("unit_path", "name", "pk")


# ---------------------------------------------------------------- 青蓝工程 mentoring (M30)

PAIR_ORDER = ("section__path", "mentor_id", "id")


@dataclass(frozen=True)
class PairFilters:
    status: str = ""
    person: str = ""
    section: str = ""
    unit: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def pair_list(*, user, filters: PairFilters = PairFilters()):
    """Pairs of the user's departments, grouped by section, with the number of check-ins
    and the last one annotated (403 without ``ability.view``). ``start``/``end``: pairs
    running in the period, and their check-ins in it; ``unit``: pairs whose mentor or
    mentee belongs to the unit."""
    qs = Pair.objects.filter(department_id__in=_visible_departments(user))
    if filters.unit:
        qs = qs.filter(_unit_q(user, filters.unit, "mentor__unit_path")
                       | _unit_q(user, filters.unit, "mentee__unit_path"))
    if filters.start:
        qs = qs.filter(ends_on__gte=filters.start)
    if filters.end:
        qs = qs.filter(started_on__lte=filters.end)
    checkins = Q()
    if filters.start:
        checkins &= Q(checkins__on__gte=filters.start)
    if filters.end:
        checkins &= Q(checkins__on__lte=filters.end)
    if filters.status in PairStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.person:
        person = person_for_filter(user, filters.person)
        qs = qs.filter(Q(mentor=person) | Q(mentee=person))
    if filters.section and str(filters.section).isdigit():
        qs = qs.filter(section_id=int(filters.section))
    return qs.select_related("section", "mentor", "mentee").annotate(
        checkin_count=Count("checkins", filter=checkins), last_checkin=Max("checkins__on"),
    ).order_by(*PAIR_ORDER)


def pair_get_for_user(user, pk, *, write: bool = False) -> Pair:
    """A pair of the user's departments (404 otherwise); writing (check-ins, evaluations)
    needs a side in it: mentor, mentee or a leader of the department (403)."""
    return get_for_user(pair_list(user=user).select_related("department"), pk, write=write,
                        may_write=lambda pair: bool(pair_side(user, pair)))


def pair_detail(pair: Pair) -> dict:
    """A pair's check-ins (newest first) and evaluations by stage and side."""
    evaluations = {(e.stage, e.side): e for e in pair.evaluations.all()}
    return {"checkins": list(pair.checkins.order_by("-month")),
            "evaluations": [(stage, label, [(side, side_label, evaluations.get((stage, side)))
                                            for side, side_label in Side.choices])
                            for stage, label in Stage.choices]}


def pairs_missing_checkin(*, month: dt.date) -> list[tuple[Pair, list]]:
    """Active pairs that ran through all of ``month`` without a check-in, each with the
    accounts of its mentor and mentee (two queries)."""
    end = add_months(month, 1) - dt.timedelta(days=1)
    pairs = list(Pair.objects.filter(status=PairStatus.ACTIVE, started_on__lte=month,
                                     ends_on__gte=end)
                 .exclude(checkins__month=month).select_related("mentor", "mentee")
                 .order_by("pk"))
    people = {p.mentor_id for p in pairs} | {p.mentee_id for p in pairs}
    accounts: dict[int, list] = {}
    for account in User.objects.filter(person_id__in=people, is_active=True):
        accounts.setdefault(account.person_id, []).append(account)
    return [(p, accounts.get(p.mentor_id, []) + accounts.get(p.mentee_id, [])) for p in pairs]


def sections_of(department: OrgUnit):
    """The department's sections (组室), in tree order."""
    return OrgUnit.objects.filter(department=department, kind=UnitKind.SECTION).order_by("path")


def mentoring_figures(*, user, department: OrgUnit, start: dt.date, end: dt.date) -> dict:
    """Pairs running in [start, end] and their check-ins in it (two queries)."""
    if department.pk not in _visible_departments(user):
        raise PermissionDenied
    pairs = Pair.objects.filter(department=department, started_on__lte=end,
                                ends_on__gte=start)
    return {"pairs": pairs.count(),
            "checkins": CheckIn.objects.filter(pair__in=pairs.values("pk"), on__gte=start,
                                               on__lte=end).count()}


# ---------------------------------------------------------------- training (M29)

TRAINING_ORDER = ("-start", "-id")


@dataclass(frozen=True)
class TrainingFilters:
    kind: str = ""
    person: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    unit: str = ""


def training_list(*, user, filters: TrainingFilters = TrainingFilters()):
    """Training events of the user's departments, newest first, with the number of
    participants and of summaries handed in. With ``unit``: the trainings of someone of
    the unit, the counts of the unit's people only."""
    qs = Training.objects.filter(department_id__in=_visible_departments(user))
    counted = _unit_q(user, filters.unit, "trainees__person__unit_path")
    if filters.unit:
        qs = qs.filter(pk__in=Trainee.objects.filter(
            _unit_q(user, filters.unit, "person__unit_path")).values("training_id"))
    if filters.kind in TrainingKind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.person:
        qs = qs.filter(trainees__person=person_for_filter(user, filters.person))
    if filters.start:
        qs = qs.filter(end__gte=filters.start)
    if filters.end:
        qs = qs.filter(start__lte=filters.end)
    return qs.annotate(
        trainee_count=Count("trainees", filter=counted, distinct=True),
        trainee_hours=Sum("trainees__hours", filter=counted),
        summary_count=Count("trainees", filter=Q(trainees__writing_id__isnull=False) & counted,
                            distinct=True)).order_by(*TRAINING_ORDER)


def training_get_for_user(user, pk) -> Training:
    return get_for_user(training_list(user=user).select_related("department"), pk)


def trainees_of(training: Training) -> list[Trainee]:
    return list(training.trainees.select_related("person", "person__unit")
                .order_by("person__name", "pk"))


def away_periods(*, department: OrgUnit, start: dt.date, end: dt.date) -> list[tuple]:
    """(person id, first day, last day) of the department's cadres away on a secondment
    or shadowing posting overlapping [start, end]: the rotation skips them."""
    return list(Trainee.objects.filter(training__department=department,
                                       training__kind__in=AWAY_KINDS,
                                       training__start__lte=end, training__end__gte=start)
                .values_list("person_id", "training__start", "training__end"))


def training_figures(*, user, department: OrgUnit, start: dt.date, end: dt.date) -> dict:
    """Participants, hours and summaries of trainings starting in [start, end]."""
    if department.pk not in _visible_departments(user):
        raise PermissionDenied
    totals = Trainee.objects.filter(training__department=department, on__gte=start,
                                    on__lte=end).aggregate(
        trainees=Count("pk"), hours=Sum("hours"),
        summaries=Count("pk", filter=Q(writing_id__isnull=False)))
    return {"trainees": totals["trainees"], "hours": totals["hours"] or 0,
            "summaries": totals["summaries"]}


@dataclass(frozen=True)
class RotationPlan:
    """The forum's plan for a department: the weeks, the stored swaps it shows and those
    it left aside (see ``rotation.apply_swaps``)."""

    department: OrgUnit
    turns: list
    swaps: list  # RotationSwap rows with ``applied`` set
    present: object  # present(person id, day)


def leave_periods(*, user, department: OrgUnit, start: dt.date, end: dt.date) -> list[tuple]:
    """(person id, first day, last day) of the annual leave recorded by the care app for
    the department's people over [start, end]: dates only, through care's hook (its own
    permission check); nothing when care is not installed."""
    offer = hook("care.leave_periods")
    if offer is None:
        return []
    return list(offer(user=user, department_id=department.pk, start=start, end=end))


def rotation_plan(*, user, start: dt.date, weeks: int, weekday: int,
                  department: OrgUnit | None = None) -> RotationPlan:
    """The forum's weekly rotation for one of the user's departments (their own by
    default): its own cadres in tree order, away on secondment or shadowing as recorded
    in training and on annual leave as recorded in care, the official calendar from the
    kit, and the swaps the department's leaders agreed."""
    department = department_get_for_user(user, department.pk if department else None,
                                         Cap.ABILITY_VIEW)
    end = start + dt.timedelta(days=7 * weeks + 7)
    people = list(Person.objects.filter(subtree_q("unit_path", department.path),
                                        category=PersonCategory.ORG_CADRE)
                  .select_related("unit").order_by("unit_path", "pk"))
    absences = [rotation.Absence(pk, a, b, "secondment")
                for pk, a, b in away_periods(department=department, start=start, end=end)]
    absences += [rotation.Absence(pk, a, b, "leave")
                 for pk, a, b in leave_periods(user=user, department=department,
                                               start=start, end=end)]
    calendar = WorkingDays(start - dt.timedelta(days=7), end)
    turns = rotation.plan(people=[p.pk for p in people], start=start, weeks=weeks,
                          weekday=weekday, is_working=calendar.is_working, absences=absences)
    stored = list(RotationSwap.objects.filter(department=department, first_day__gte=start,
                                              second_day__lte=end)
                  .select_related("first_person", "second_person").order_by("created_at", "pk"))
    present = rotation.presence(absences)
    turns, left = rotation.apply_swaps(
        turns, [rotation.Swap(s.first_day, s.second_day, s.first_person_id,
                              s.second_person_id, s.pk) for s in stored], present=present)
    left_keys = {s.key for s in left}
    for row in stored:
        row.applied = row.pk not in left_keys
    names = {p.pk: p for p in people}
    return RotationPlan(department, [replace(t, person=names.get(t.person),
                                             skipped=tuple(names[s] for s in t.skipped))
                                     for t in turns], stored, present)


def rotation_swap_get_for_user(user, pk, *, write: bool = False) -> RotationSwap:
    """A kept swap of one of the user's departments (404 otherwise); taking it back needs
    ``ability.manage`` in its department (403)."""
    return get_for_user(RotationSwap.objects.filter(
        department_id__in=_visible_departments(user)).select_related("department"), pk,
        write=write, may_write=lambda s: may_manage_department(user, s.department_id))


# ---------------------------------------------------------------- competitions (M37)

COMPETITION_ORDER = ("-held_on", "-id")


def competition_list(*, user, person: str = "", unit: str = "", start: dt.date | None = None,
                     end: dt.date | None = None):
    """Competitions of the user's departments, newest first. With ``unit``: those someone
    of the unit entered, the entrants counted of the unit only."""
    qs = Competition.objects.filter(department_id__in=_visible_departments(user))
    if person:
        qs = qs.filter(entrants__person=person_for_filter(user, person))
    counted = _unit_q(user, unit, "entrants__person__unit_path")
    if unit:
        qs = qs.filter(pk__in=Entrant.objects.filter(
            _unit_q(user, unit, "person__unit_path")).values("competition_id"))
    if start:
        qs = qs.filter(held_on__gte=start)
    if end:
        qs = qs.filter(held_on__lte=end)
    return qs.annotate(entrant_count=Count("entrants", filter=counted, distinct=True),
                       award_count=Count("entrants", filter=counted & Q(
                           entrants__award__in=AwardLevel.values),
                                         distinct=True),
                       task_count=Count("tasks", distinct=True)).order_by(*COMPETITION_ORDER)


def competition_get_for_user(user, pk, *, write: bool = False) -> Competition:
    return get_for_user(competition_list(user=user).select_related("department"), pk,
                        write=write,
                        may_write=lambda c: may_manage_department(user, c.department_id))


@dataclass(frozen=True)
class Standing:
    rank: int
    entrant: Entrant
    total: Decimal
    points: list  # per task, in the tasks' order (None when not scored yet)


def competition_board(competition: Competition) -> dict:
    """The tasks by round and the ranking (three queries)."""
    tasks = list(competition.tasks.order_by("round", "pk"))
    entrants = {e.pk: e for e in competition.entrants.select_related("person", "person__unit")
                .order_by("person__name", "pk")}
    points: dict[tuple[int, int], Decimal] = {
        (s.entrant_id, s.task_id): s.points
        for s in Score.objects.filter(entrant__competition=competition)}
    totals = {pk: sum((points.get((pk, t.pk), Decimal(0)) for t in tasks), Decimal(0))
              for pk in entrants}
    standings = [Standing(place, entrants[pk], total,
                          [points.get((pk, t.pk)) for t in tasks])
                 for place, pk, total in ranking.rank(totals)]
    return {"tasks": tasks, "standings": standings}


# ---------------------------------------------------------------- research topics (M23)

TOPIC_ORDER = ("-year", "id")


def topic_list(*, user, year: str = "", person: str = "", unit: str = ""):
    """Research topics of the user's departments. With ``unit``: the topics with a team
    member of the unit, the members counted of the unit only."""
    qs = ResearchTopic.objects.filter(department_id__in=_visible_departments(user))
    if str(year).isdigit():
        qs = qs.filter(year=int(year))
    if person:
        qs = qs.filter(members__person=person_for_filter(user, person))
    counted = _unit_q(user, unit, "members__person__unit_path")
    if unit:
        qs = qs.filter(pk__in=TopicMember.objects.filter(
            _unit_q(user, unit, "person__unit_path")).values("topic_id"))
    return qs.select_related("leader").annotate(
        member_count=Count("members", filter=counted, distinct=True),
        milestone_count=Count("milestones", distinct=True),
        milestones_done=Count("milestones", filter=Q(milestones__done_on__isnull=False),
                              distinct=True)).order_by(*TOPIC_ORDER)


def topic_get_for_user(user, pk) -> ResearchTopic:
    return get_for_user(topic_list(user=user).select_related("department"), pk)


def topic_detail(topic: ResearchTopic) -> dict:
    return {"members": [m.person for m in topic.members.select_related("person", "person__unit")
                        .order_by("person__name")],
            "milestones": list(topic.milestones.order_by("due_on", "pk"))}


# ---------------------------------------------------------------- post ledgers (M38)

LEDGER_ORDER = ("post", "id")


def ledger_list(*, user):
    """The post ledgers of the user's departments, each with ``stale`` (not confirmed
    current for ``LEDGER_FRESH_DAYS``)."""
    fresh_from = timezone.localdate() - dt.timedelta(days=LEDGER_FRESH_DAYS)
    return PostLedger.objects.filter(department_id__in=_visible_departments(user)).annotate(
        stale=ExpressionWrapper(Q(confirmed_on__lt=fresh_from),
                                output_field=BooleanField())).select_related(
        "holder", "holder__unit").order_by(*LEDGER_ORDER)


def ledger_get_for_user(user, pk, *, write: bool = False) -> PostLedger:
    """A ledger of the user's departments; writing it is for its holder or a leader."""
    return get_for_user(ledger_list(user=user), pk, write=write,
                        may_write=lambda led: user.person_id == led.holder_id
                        or may_manage_department(user, led.department_id))


def ledger_handovers(ledger: PostLedger | None) -> list[LedgerHandover]:
    """How the ledger came to its holder (the tasks handovers that passed it on)."""
    if ledger is None:
        return []
    return list(ledger.handovers.select_related("from_person", "to_person"))


def ledgers_stale(*, today: dt.date) -> list[tuple[PostLedger, list]]:
    """Ledgers not confirmed for ``LEDGER_FRESH_DAYS``, each with its holder's active
    accounts (for the monthly reminder; two queries)."""
    ledgers = list(PostLedger.objects.filter(
        confirmed_on__lt=today - dt.timedelta(days=LEDGER_FRESH_DAYS)).order_by("pk"))
    users: dict[int, list] = {}
    for user in User.objects.filter(person_id__in=[led.holder_id for led in ledgers],
                                    is_active=True):
        users.setdefault(user.person_id, []).append(user)
    return [(led, users[led.holder_id]) for led in ledgers if led.holder_id in users]
