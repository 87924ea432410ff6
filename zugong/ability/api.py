"""API of the ability app: lectures (and their seats) under ``/ability/``."""

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema

from zugong.core.paging import api_page, page_schema

from . import selectors
from .selectors import (
    LECTURE_ORDER,
    PAIR_ORDER,
    TRAINING_ORDER,
    LectureFilters,
    PairFilters,
    TrainingFilters,
)

router = Router(tags=["ability"])


class AbilityLectureOut(Schema):
    id: int
    department_id: int
    series: str
    topic: str
    title: str
    held_on: dt.date
    place: str
    lecturers: list[str]
    audience: int


class AbilityLectureDetail(AbilityLectureOut):
    discussants: list[str]
    audience_names: list[str]
    summary: str


class AbilityListQuery(Schema):
    series: str = ""
    topic: str = ""
    person: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    # Strings, so that a bad value reaches parse_paging and gets the Chinese 422.
    cursor: str | None = None
    limit: str | None = None
    offset: str | None = None


def _lecture_out(lec) -> dict:
    return {"id": lec.pk, "department_id": lec.department_id, "series": lec.series,
            "topic": lec.topic, "title": lec.title, "held_on": lec.held_on,
            "place": lec.place, "lecturers": [s.person.name for s in lec.lecturer_seats],
            "audience": lec.audience_count}


def _paging(q) -> dict:
    return {"cursor": q.cursor, "limit": q.limit, "offset": q.offset}


@router.get("/ability/lectures", response=page_schema(AbilityLectureOut))
def list_ability_lectures(request, q: Query[AbilityListQuery]):
    """One page of the caller's departments' lectures, newest first."""
    qs = selectors.lecture_list(user=request.user, filters=LectureFilters(
        series=q.series, topic=q.topic, person=q.person, start=q.start, end=q.end))
    return api_page(qs, order=LECTURE_ORDER, params=_paging(q), item=_lecture_out)


@router.get("/ability/lectures/{lecture_id}", response=AbilityLectureDetail)
def get_ability_lecture(request, lecture_id: int):
    """One lecture with its discussants and audience."""
    lec = selectors.lecture_get_for_user(request.user, lecture_id)
    seats = selectors.lecture_seats(lec)
    return {**_lecture_out(lec), "discussants": [s.person.name for s in seats["discussant"]],
            "audience_names": [s.person.name for s in seats["audience"]],
            "summary": lec.summary}


class AbilityPairOut(Schema):
    id: int
    department_id: int
    section: str
    mentor_id: int
    mentor: str
    mentee_id: int
    mentee: str
    started_on: dt.date
    ends_on: dt.date
    status: str
    checkins: int
    last_checkin: dt.date | None


class AbilityPairQuery(Schema):
    status: str = ""
    person: str = ""
    section: str = ""
    cursor: str | None = None
    limit: str | None = None
    offset: str | None = None


def _pair_out(p) -> dict:
    return {"id": p.pk, "department_id": p.department_id, "section": p.section.name,
            "mentor_id": p.mentor_id, "mentor": p.mentor.name, "mentee_id": p.mentee_id,
            "mentee": p.mentee.name, "started_on": p.started_on, "ends_on": p.ends_on,
            "status": p.status, "checkins": p.checkin_count, "last_checkin": p.last_checkin}


@router.get("/ability/mentoring", response=page_schema(AbilityPairOut))
def list_ability_mentoring(request, q: Query[AbilityPairQuery]):
    """One page of the caller's departments' 青蓝 pairs, by section."""
    qs = selectors.pair_list(user=request.user, filters=PairFilters(
        status=q.status, person=q.person, section=q.section))
    return api_page(qs, order=PAIR_ORDER, params=_paging(q), item=_pair_out)


class AbilityTrainingOut(Schema):
    id: int
    department_id: int
    kind: str
    title: str
    place: str
    start: dt.date
    end: dt.date
    hours: float
    participants: int
    summaries: int


class AbilityTrainingQuery(Schema):
    kind: str = ""
    person: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    cursor: str | None = None
    limit: str | None = None
    offset: str | None = None


def _training_out(t) -> dict:
    return {"id": t.pk, "department_id": t.department_id, "kind": t.kind, "title": t.title,
            "place": t.place, "start": t.start, "end": t.end, "hours": float(t.hours),
            "participants": t.trainee_count, "summaries": t.summary_count}


@router.get("/ability/trainings", response=page_schema(AbilityTrainingOut))
def list_ability_trainings(request, q: Query[AbilityTrainingQuery]):
    """One page of the caller's departments' training events and secondments."""
    qs = selectors.training_list(user=request.user, filters=TrainingFilters(
        kind=q.kind, person=q.person, start=q.start, end=q.end))
    return api_page(qs, order=TRAINING_ORDER, params=_paging(q), item=_training_out)


class AbilityScorePartOut(Schema):
    part: str
    weight: int
    count: int
    mean: Decimal | None  # None below three anonymous ballots (core.ballots.MIN_BALLOTS_SHOWN)


class AbilityLectureScoringOut(Schema):
    lecture_id: int
    status: str  # "" while scoring has not been opened
    total: Decimal | None
    missing: list[str]
    parts: list[AbilityScorePartOut]


@router.get("/ability/lectures/{lecture_id}/scoring", response=AbilityLectureScoringOut)
def get_ability_lecture_scoring(request, lecture_id: int):
    """A lecture's scoring: each part's weight, number of scores and mean, and the weighted
    total (None while a weighted part has no score)."""
    lec = selectors.lecture_get_for_user(request.user, lecture_id)
    result = selectors.lecture_scores(lec)
    return {"lecture_id": lec.pk,
            "status": result["scoring"].status if result["scoring"] else "",
            "total": result["total"], "missing": [str(m) for m in result["missing"]],
            "parts": [{"part": p.part, "weight": p.weight, "count": p.count, "mean": p.shown}
                      for p in result["parts"]]}
