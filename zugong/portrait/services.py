"""Writes of the portrait: its rules (versioned and audited) and the record that a
portrait was printed. Scores are never written: they are computed from the records."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zugong.core.audit import audit_record, model_snapshot
from zugong.core.versioning import versioned_update

from .access import Cap, has_cap
from .models import Dimension, Direction, SourceRule
from .selectors import source_known

RULE_FIELDS = ("dimension", "source", "weight", "target", "direction", "absent_is_zero",
               "sensitive", "detail_cap", "active", "order")


def _check(*, dimension, source, weight, target, direction, sensitive, detail_cap) -> None:
    """Every problem at once, in Chinese, as one ValidationError."""
    errors: dict[str, list] = {}
    if dimension not in Dimension.values:
        errors.setdefault("dimension", []).append(_("Choose one of the five dimensions."))
    if not source or not source_known(source):
        errors.setdefault("source", []).append(
            _("Choose a registered figure (or a hook some app offers)."))
    for name, value in (("weight", weight), ("target", target)):
        if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
            errors.setdefault(name, []).append(_("Give a number greater than zero."))
    if direction not in Direction.values:
        errors.setdefault("direction", []).append(_("Choose a direction."))
    if sensitive and not detail_cap:
        errors.setdefault("detail_cap", []).append(
            _("A sensitive source needs the capability that may see its detail."))
    if errors:
        raise ValidationError(errors)


def _may_edit(by) -> None:
    if not has_cap(by, Cap.PORTRAIT_RULES):
        raise PermissionDenied


def rule_create(*, by, dimension: str, source: str, weight: Decimal, target: Decimal,
                direction: str = Direction.UP, absent_is_zero: bool = True,
                sensitive: bool = False, detail_cap: str = "", active: bool = True,
                order: int = 0) -> SourceRule:
    _may_edit(by)
    _check(dimension=dimension, source=source, weight=weight, target=target,
           direction=direction, sensitive=sensitive, detail_cap=detail_cap)
    rule = SourceRule(dimension=dimension, source=source, weight=weight, target=target,
                      direction=direction, absent_is_zero=absent_is_zero,
                      sensitive=sensitive, detail_cap=detail_cap, active=active, order=order)
    rule.full_clean()
    try:
        with transaction.atomic():
            rule.save()
            audit_record(actor=by, action="portrait.rule.create", obj=rule,
                         after=model_snapshot(rule, RULE_FIELDS))
    except IntegrityError:
        raise ValidationError({"source": [_("This dimension already has this source.")]}) \
            from None
    return rule


def rule_update(*, by, rule: SourceRule, version, **changes) -> SourceRule:
    """Change a rule's weight, target, direction, flags or order; a stale form raises
    ConflictError (core.versioning)."""
    _may_edit(by)
    merged = {name: changes.get(name, getattr(rule, name)) for name in RULE_FIELDS}
    _check(dimension=merged["dimension"], source=merged["source"], weight=merged["weight"],
           target=merged["target"], direction=merged["direction"],
           sensitive=merged["sensitive"], detail_cap=merged["detail_cap"])
    try:
        return versioned_update(rule, version=version, changes=merged, snapshot=RULE_FIELDS,
                                by=by, action="portrait.rule.update").instance
    except IntegrityError:
        raise ValidationError({"source": [_("This dimension already has this source.")]}) \
            from None


def print_logged(*, by, person, year: int) -> None:
    """A printed portrait leaves the system: the audit log says who printed whose."""
    audit_record(actor=by, action="portrait.portrait.print", obj=person,
                 after={"year": year})
