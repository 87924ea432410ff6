"""Writes of scoring: named score sheets, anonymous ballots, outsiders' one-time codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import audit_record

from .. import events
from ..access import sheet_people
from ..models import (
    ANONYMOUS_GROUPS,
    Assessee,
    Ballot,
    OutsiderCode,
    Plan,
    PlanStatus,
    RaterGroup,
    Score,
    Voted,
)
from ..scoring import CENT, num
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


def ballots_submit(*, by, plan: Plan, group: str, values: dict,
                   today: dt.date | None = None) -> int:
    """One anonymous ballot sheet: a ballot per person, and a separate "has voted" mark.

    The ballots carry no voter, no time and no sequence (random UUID keys), and the audit
    entry says only that the user voted in the group — never for whom or how.
    """
    _in_window(plan, today or timezone.localdate())
    if group not in (RaterGroup.PEERS, RaterGroup.DEMOCRATIC) or \
            not plan.groups.filter(group=group).exists():
        raise PermissionDenied
    people = list(sheet_people(by, plan, group))
    if not people:
        raise PermissionDenied
    if Voted.objects.filter(plan=plan, group=group, voter=by).exists():
        raise ValidationError({"__all__": [_("You have already voted in this evaluation; a "
                                             "ballot cannot be cast twice.")]})
    checked = _sheet_values(plan, people, values)
    try:
        with transaction.atomic():
            Voted.objects.create(plan=plan, group=group, voter=by)
            _cast(checked, group)
            audit_record(actor=by, action=events.BALLOT_CAST, obj=plan,
                         after={"group": group})
    except IntegrityError as exc:  # a second submission racing the first
        raise ValidationError({"__all__": [_("You have already voted in this evaluation; a "
                                             "ballot cannot be cast twice.")]}) from exc
    return len(people)


def _cast(checked: dict[int, dict[int, Decimal]], group: str) -> None:
    # Shuffled so that the order of rows inside one sheet tells nothing either.
    rows = [Ballot(assessee_id=a, group=group, values={str(i): str(v) for i, v in row.items()})
            for a, row in checked.items()]
    secrets.SystemRandom().shuffle(rows)
    Ballot.objects.bulk_create(rows)


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def outsider_codes_issue(*, by, plan: Plan, count: int) -> list[str]:
    """One-time codes for outsiders (开门评部); only their hashes are kept, so the codes are
    shown once, to be printed and handed out."""
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError({"count": [_("The plan is closed.")]})
    if not plan.groups.filter(group=RaterGroup.OUTSIDERS).exists():
        raise ValidationError({"count": [_("The plan has no outsider group: give it a weight "
                                           "first.")]})
    if not isinstance(count, int) or count < 1 or count > 500:
        raise ValidationError({"count": [_("Issue between 1 and 500 codes at a time.")]})
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    codes = ["".join(secrets.choice(alphabet) for _ in range(10)) for _ in range(count)]
    with transaction.atomic():
        OutsiderCode.objects.bulk_create([OutsiderCode(plan=plan, code_hash=_hash(c))
                                          for c in codes])
        audit_record(actor=by, action=events.CODES_ISSUE, obj=plan, after={"count": count})
    return codes


def outsider_vote(*, plan: Plan, code: str, values: dict, today: dt.date | None = None) -> int:
    """An outsider's sheet, admitted by a one-time code (the code is then spent)."""
    _in_window(plan, today or timezone.localdate())
    with transaction.atomic():
        row = OutsiderCode.objects.select_for_update().filter(
            plan=plan, code_hash=_hash(code or "")).first()
        if row is None:
            raise ValidationError({"code": [_("This code is not valid for this assessment.")]})
        if row.used:
            raise ValidationError({"code": [_("This code has already been used: a ballot "
                                              "cannot be cast twice.")]})
        people = list(plan.assessees.select_related("person"))
        checked = _sheet_values(plan, people, values)
        row.used = True
        row.save(update_fields=["used"])
        _cast(checked, RaterGroup.OUTSIDERS)
        audit_record(actor=None, action=events.BALLOT_CAST, obj=plan,
                     after={"group": RaterGroup.OUTSIDERS})
    return len(people)


