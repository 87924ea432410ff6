"""Writes of scoring: named score sheets, anonymous ballots, outsiders' one-time codes."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core import ballots
from zugong.core.audit import audit_record

from .. import events
from ..access import sheet_people
from ..models import (
    ANONYMOUS_GROUPS,
    Assessee,
    OutsiderCode,
    Plan,
    PlanStatus,
    RaterGroup,
    Score,
    Tally,
    Voted,
)
from ..scoring import CENT, num
from ..selectors import outsider_code_problem
from ._common import _add, _decimal

# ---------------------------------------------------------------- who rates whom


def _in_window(plan: Plan, today: dt.date) -> None:
    if plan.status != PlanStatus.SCORING:
        raise ValidationError({"__all__": [_("Scoring of this plan is not open.")]})
    if today < plan.window_start:
        raise ValidationError({"__all__": [_("Scoring opens on %(day)s.") % {
            "day": plan.window_start.isoformat()}]})
    if today > plan.window_end:
        raise ValidationError({"__all__": [_("Scoring closed on %(day)s: scores can no "
                                             "longer be given.") % {
            "day": plan.window_end.isoformat()}]})



def _sheet_values(plan: Plan, assessees: list[Assessee], values: dict, *,
                  prefix: str = "") -> dict[int, dict[int, Decimal]]:
    """Check a sheet: every manual indicator of every person, each within [0, maximum].

    ``values`` maps "assessee-indicator" to the raw input. Errors use the same keys.
    """
    indicators = [i for i in plan.indicators.all() if not i.metric]
    errors: dict = {}
    out: dict[int, dict[int, Decimal]] = {}
    for a in assessees:
        out[a.pk] = {}
        for ind in indicators:
            if ind.person_id not in (None, a.person_id):
                continue
            key = f"{a.pk}-{ind.pk}"
            raw = values.get(key)
            if raw in (None, ""):
                _add(errors, key, _("Give a score."))
                continue
            value = _decimal(raw, errors, key)
            if value is None:
                continue
            if value < 0:
                _add(errors, key, _("A score cannot be negative."))
            elif value > ind.max_score:
                _add(errors, key, _("The score is above the maximum of %(max)s.") % {
                    "max": num(ind.max_score)})
            else:
                out[a.pk][ind.pk] = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if errors:
        raise ValidationError(errors)
    return out


def scores_submit(*, by, plan: Plan, group: str, values: dict,
                  today: dt.date | None = None) -> int:
    """Named scores (self, chief, deputy, head) of the people on the user's sheet.

    A named rater may correct their scores while the window is open.
    """
    if group in ANONYMOUS_GROUPS:
        return ballots_submit(by=by, plan=plan, group=group, values=values, today=today)
    _in_window(plan, today or timezone.localdate())
    if not plan.groups.filter(group=group).exists():
        raise PermissionDenied
    people = list(sheet_people(by, plan, group))
    if not people:
        raise PermissionDenied
    checked = _sheet_values(plan, people, values)
    with transaction.atomic():
        Score.objects.filter(assessee__in=people, group=group, rater=by).delete()
        Score.objects.bulk_create([
            Score(assessee_id=a, indicator_id=i, group=group, rater=by, value=v)
            for a, row in checked.items() for i, v in row.items()])
        audit_record(actor=by, action=events.SHEET_SUBMIT, obj=plan,
                     after={"group": group, "people": len(people)})
    return len(people)


def _already_voted() -> ValidationError:
    return ValidationError({"__all__": [_("You have already voted in this evaluation; a "
                                          "ballot cannot be cast twice.")]})


def ballots_submit(*, by, plan: Plan, group: str, values: dict,
                   today: dt.date | None = None) -> int:
    """One anonymous ballot sheet: a "has voted" mark, then its scores added to tallies.

    Two separate transactions (``core.ballots.cast``; docs/assessment.md, "Anonymity of
    ballots"): the first writes who voted (the ``Voted`` mark and the audit entry, which
    says only that the user voted in the group); the second adds the scores to the running
    tallies. No row ever holds one voter's scores, and no transaction id joins the mark to
    the values.
    """
    _in_window(plan, today or timezone.localdate())
    if group not in (RaterGroup.PEERS, RaterGroup.DEMOCRATIC) or \
            not plan.groups.filter(group=group).exists():
        raise PermissionDenied
    people = list(sheet_people(by, plan, group))
    if not people:
        raise PermissionDenied
    if Voted.objects.filter(plan=plan, group=group, voter=by).exists():
        raise _already_voted()
    checked = _sheet_values(plan, people, values)

    def mark() -> int:
        row = Voted.objects.create(plan=plan, group=group, voter=by)
        audit_record(actor=by, action=events.BALLOT_CAST, obj=plan, after={"group": group})
        return row.pk

    ballots.cast(mark=mark, count=lambda: _add_to_tallies(plan, checked, group),
                 undo=lambda mark_id: _unvote(by, plan, group, mark_id),
                 duplicate=_already_voted)  # a second submission racing the first
    return len(people)


def _unvote(by, plan: Plan, group: str, mark_id: int) -> None:
    Voted.objects.filter(pk=mark_id).delete()
    audit_record(actor=by, action=events.BALLOT_VOID, obj=plan, after={"group": group})


def tallies_create(plan: Plan, groups=None) -> None:
    """The zero tallies of every person, manual indicator and anonymous group of a plan,
    created together (when the plan opens) in the order of people and indicators: so the
    rows' keys and their place on disk follow nothing about the votes. Creating them again
    adds only the missing ones."""
    groups = [g for g in (groups or plan.groups.values_list("group", flat=True))
              if g in ANONYMOUS_GROUPS]
    indicators = [i for i in plan.indicators.all() if not i.metric]
    rows = [Tally(assessee_id=a_id, indicator_id=ind.pk, group=g)
            for a_id, person_id in plan.assessees.order_by("pk").values_list("pk", "person_id")
            for ind in indicators if ind.person_id in (None, person_id) for g in groups]
    Tally.objects.bulk_create(rows, ignore_conflicts=True)


def _add_to_tallies(plan: Plan, checked: dict[int, dict[int, Decimal]], group: str) -> None:
    """Add a sheet's scores to the tallies of its (person, indicator) cells in the group
    (``core.ballots.add_to_tallies``); a plan opened before tallies existed gets them now."""
    ballots.add_to_tallies(
        Tally.objects.filter(assessee_id__in=list(checked), group=group),
        {(a, i): v for a, row in checked.items() for i, v in row.items()},
        key=("assessee_id", "indicator_id"),
        create_missing=lambda: tallies_create(plan, groups=[group]))


def outsider_codes_issue(*, by, plan: Plan, count: int) -> list[str]:
    """One-time codes for outsiders (开门评部); only their hashes are kept, so the codes are
    shown once, to be printed and handed out."""
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError({"count": [_("The plan is closed.")]})
    if not plan.groups.filter(group=RaterGroup.OUTSIDERS).exists():
        raise ValidationError({"count": [_("The plan has no outsider group: give it a weight "
                                           "first.")]})
    if not ballots.codes_valid_count(count):
        raise ValidationError({"count": [_("Issue between 1 and 500 codes at a time.")]})
    codes = ballots.codes_new(count)
    with transaction.atomic():
        OutsiderCode.objects.bulk_create([OutsiderCode(plan=plan,
                                                       code_hash=OutsiderCode.hash_of(c))
                                          for c in codes])
        audit_record(actor=by, action=events.CODES_ISSUE, obj=plan, after={"count": count})
    return codes


def outsider_vote(*, plan: Plan, code: str, values: dict, today: dt.date | None = None) -> int:
    """An outsider's sheet, admitted by a one-time code: the code is spent in one
    transaction, the scores are added to the tallies in another (as for colleagues)."""
    _in_window(plan, today or timezone.localdate())
    people = list(plan.assessees.select_related("person"))
    checked: dict = {}

    def spend() -> int:
        row = ballots.code_row(OutsiderCode.objects.filter(plan=plan), code)
        problem = outsider_code_problem(row)
        if problem:
            raise ValidationError({"code": [problem]})
        checked.update(_sheet_values(plan, people, values))
        row.used = True
        row.save(update_fields=["used"])
        audit_record(actor=None, action=events.BALLOT_CAST, obj=plan,
                     after={"group": RaterGroup.OUTSIDERS})
        return row.pk

    def unspend(row_id: int) -> None:
        OutsiderCode.objects.filter(pk=row_id).update(used=False)
        audit_record(actor=None, action=events.BALLOT_VOID, obj=plan,
                     after={"group": RaterGroup.OUTSIDERS})

    ballots.cast(mark=spend, count=lambda: _add_to_tallies(plan, checked, RaterGroup.OUTSIDERS),
                 undo=unspend)
    return len(people)
