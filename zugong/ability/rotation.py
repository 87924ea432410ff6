"""The weekly rotation of the lecture forum (组工讲坛, M28: "32 cadres take turns weekly").

A pure rule module: it takes people, dates and a working-day test, and returns the plan;
it reads and writes nothing, so its tests are hand-checked over real holidays.

Rules:

* One session a week, on the usual weekday. When that day is not a working day (official
  holiday), the session moves to the nearest other working day of the same week (Monday to
  Sunday, so an adjusted working Saturday counts), later days first; a week without any
  working day (the Spring Festival week) has no session.
* The turn goes to the first person in the queue who is not away (leave, secondment) on
  the session's day. That person goes to the back of the queue; whoever was skipped keeps
  their place and speaks as soon as they are back.
* Two sessions may swap their speakers, provided each is present on the other's day. A
  swap that was agreed earlier names who spoke on each day; it applies only while the plan
  still names them there (a new absence or a changed plan leaves it aside, shown as such,
  rather than moving someone else).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Absence:
    """A person away for [start, end] (both included)."""

    person: Hashable
    start: dt.date
    end: dt.date
    reason: str = "leave"  # "leave" or "secondment"

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Turn:
    """One week of the plan: its Monday, the session's day and speaker (None when the week
    has no session or nobody is present), and who was skipped for being away."""

    week: dt.date
    day: dt.date | None
    person: Hashable | None
    skipped: tuple = ()
    moved: bool = False  # the usual day was a holiday
    swapped: bool = False  # the speaker took this day by a swap


@dataclass(frozen=True)
class Swap:
    """A swap agreed earlier: ``first`` spoke on ``first_day`` and ``second`` on
    ``second_day`` in the plan they agreed on. ``key`` identifies the stored record."""

    first_day: dt.date
    second_day: dt.date
    first: Hashable
    second: Hashable
    key: Hashable = None


class SwapError(ValueError):
    pass


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def session_day(week: dt.date, weekday: int, is_working: Callable[[dt.date], bool]
                ) -> dt.date | None:
    """The week's session day: the usual weekday if working, else the nearest working day
    of the week, later days first; None for a week without working days."""
    usual = week + dt.timedelta(days=weekday)
    if is_working(usual):
        return usual
    later = [week + dt.timedelta(days=d) for d in range(weekday + 1, 7)]
    earlier = [week + dt.timedelta(days=d) for d in range(weekday - 1, -1, -1)]
    by_distance = sorted(later + earlier, key=lambda day: (abs((day - usual).days), day < usual))
    return next((day for day in by_distance if is_working(day)), None)


def presence(absences: Iterable[Absence]) -> Callable[[Hashable, dt.date], bool]:
    """``present(person, day)``: whether the person is not away on that day."""
    away: dict[Hashable, list[Absence]] = {}
    for a in absences:
        away.setdefault(a.person, []).append(a)
    return lambda person, day: not any(a.covers(day) for a in away.get(person, ()))


def plan(*, people: Sequence[Hashable], start: dt.date, weeks: int, weekday: int,
         is_working: Callable[[dt.date], bool], absences: Iterable[Absence] = (),
         swaps: Iterable[tuple[dt.date, dt.date]] = ()) -> list[Turn]:
    """``weeks`` weeks from the week of ``start``, ``people`` in their speaking order. When
    that week's session falls before ``start`` the plan begins with the next week (a plan
    made on a Saturday starts on Monday; listing the passed week would read as a holiday)."""
    if not 0 <= weekday <= 6:
        raise ValueError("weekday is 0 (Monday) to 6 (Sunday)")
    present = presence(absences)
    queue = list(dict.fromkeys(people))
    turns: list[Turn] = []
    week = _monday(start)
    first = session_day(week, weekday, is_working)
    if first is not None and first < start:
        week += dt.timedelta(days=7)
    for _n in range(weeks):
        day = session_day(week, weekday, is_working)
        if day is None or not queue:
            turns.append(Turn(week, None, None))
        else:
            skipped = tuple(p for p in queue[: next((i for i, p in enumerate(queue)
                                                     if present(p, day)), len(queue))])
            speaker = queue[len(skipped)] if len(skipped) < len(queue) else None
            if speaker is not None:
                queue.remove(speaker)
                queue.append(speaker)
            turns.append(Turn(week, day, speaker, skipped,
                              moved=day != week + dt.timedelta(days=weekday)))
        week += dt.timedelta(days=7)
    for a, b in swaps:
        turns = swap(turns, a, b, present=present)
    return turns


def swap(turns: list[Turn], a: dt.date, b: dt.date, *,
         present: Callable[[Hashable, dt.date], bool] = lambda p, d: True) -> list[Turn]:
    """Exchange the speakers of the sessions on days ``a`` and ``b``."""
    index = {t.day: i for i, t in enumerate(turns) if t.day is not None and t.person is not None}
    if a not in index or b not in index:
        raise SwapError(_("Choose two days of the plan that have a speaker."))
    ta, tb = turns[index[a]], turns[index[b]]
    if not present(ta.person, b) or not present(tb.person, a):
        raise SwapError(_("One of the two is away on the other's day."))
    out = list(turns)
    out[index[a]] = replace(ta, person=tb.person, swapped=True)
    out[index[b]] = replace(tb, person=ta.person, swapped=True)
    return out


def apply_swaps(turns: list[Turn], swaps: Iterable[Swap], *,
                present: Callable[[Hashable, dt.date], bool]) -> tuple[list[Turn], list[Swap]]:
    """The plan with the agreed swaps made, in their order, and the swaps left aside: a
    day outside the plan, a speaker the plan no longer names on that day, or someone now
    away on the other's day."""
    left: list[Swap] = []
    for s in swaps:
        speakers = {t.day: t.person for t in turns if t.day is not None}
        if speakers.get(s.first_day) != s.first or speakers.get(s.second_day) != s.second:
            left.append(s)
            continue
        try:
            turns = swap(turns, s.first_day, s.second_day, present=present)
        except SwapError:
            left.append(s)
    return turns, left
