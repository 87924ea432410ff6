"""The talks app's part of the workbench: the talks I owe that are coming due or overdue,
and for the department's leaders two headline figures (talk coverage, the term's visits).

The department's judged pairs are kept between views for five minutes (``core.memo``,
issue 23): judging them reads the whole department's structure, post history and every
talk since the period began, on every user's home page. The kept answer is one compact
row per required pair (:class:`Pair`: ids, a status, dates), never a person or any
decrypted field, under the department and the day, and under the department's coverage
scope (``coverage.scope``), which every talks service that writes what the judgement
reads bumps: a talk recorded, deleted or restored, a confirmation, a must-talk occasion,
a recorded move, a coverage rule added or retired. Those show at once. What the scope does
not see — people's posts, categories and role assignments changed in the people app —
shows within five minutes (``TIMEOUT``). Who may see which pairs (``coverage_for``) and the
term's visit rate are read afresh on every view. The coverage page judges afresh too, so
its figures are those of the workbench.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.urls import reverse
from django.utils.translation import gettext as _

from zugong.core.memo import memo
from zugong.core.registry import WorkbenchItem
from zugong.people.access import LEADER_ROLES, roles_of

from . import coverage, selectors
from .access import department_of

# Seconds the department's judged pairs are kept: how stale the people app's posts and
# role assignments may be on the workbench.
TIMEOUT = 300


class Pair(NamedTuple):
    """What the workbench needs of a ``coverage.Requirement``."""

    rule_id: int
    leader_id: int | None
    member_id: int
    status: str
    next_due: dt.date | None
    end: dt.date
    trigger_id: int | None


def pairs_of(department, *, today: dt.date) -> list[Pair]:
    """The department's required pairs under its rules in force, judged as of ``today``
    (``coverage.evaluate``), kept for ``TIMEOUT`` seconds or until the department's
    coverage scope is bumped. Empty when the department has no rules."""
    def compute() -> tuple[tuple, ...]:
        # Plain tuples of ids, strings and dates: nothing else is kept in the cache.
        rules = selectors.rules_of(department)
        if not rules:
            return ()
        return tuple((r.rule.pk, r.leader_id, r.member_id, r.status, r.next_due, r.end,
                      r.trigger.pk if r.trigger is not None else None)
                     for r in coverage.evaluate(department, today=today, rules=rules))

    kept = memo("talks.coverage_pairs", [department.pk, today.isoformat()],
                [coverage.scope(department.path)], compute, timeout=TIMEOUT)
    return [Pair(*row) for row in kept]


def items(*, user, today):
    """One count: required pairs where I am the leader and the talk is due soon or late.

    Only leaders owe talks under the coverage rules; for anyone else the list is empty
    after the department's kept pairs are read (no query once they are kept).
    """
    person = getattr(user, "person", None)
    department = department_of(person) if person is not None else None
    if department is None:
        return []
    pairs = pairs_of(department, today=today)
    if not pairs:
        return []
    owed = [r for r in pairs if r.leader_id == person.pk
            and r.status in (coverage.Status.DUE_SOON, coverage.Status.OVERDUE)]
    out = []
    if owed:
        first = min(r.next_due or r.end for r in owed)
        out.append(WorkbenchItem("talks.due", _("Talks I owe, coming due or overdue"),
                                 len(owed), reverse("talks:coverage"), due=first, order=32))
    if roles_of(user) & set(LEADER_ROLES):
        out += _figures(user, department, today, pairs)
    return out


def _figures(user, department, today, pairs):
    """Talk coverage of the pairs in the user's scope, and the term's 遍访 rate."""
    mine = [r for r in selectors.coverage_for(user=user, department=department, today=today,
                                              reqs=pairs) if r.trigger_id is None]
    out = []
    if mine:
        met = sum(r.status == coverage.Status.MET for r in mine)
        out.append(WorkbenchItem("talks.coverage", _("Talk coverage (pairs met)"),
                                 f"{met}/{len(mine)}", reverse("talks:coverage"),
                                 section="figure", order=20))
    term = selectors.term_for(department, today=today)
    if term is not None:
        rate = selectors.visit_rate(user=user, department=department, term=term, today=today)
        if rate is not None:
            out.append(WorkbenchItem("talks.visits", _("Managed cadres visited this term"),
                                     f"{rate}%", reverse("talks:visits"),
                                     section="figure", order=21))
    return out
