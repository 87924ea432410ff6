"""What the service modules share: quotas, default rater groups, error helpers."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ..models import PlanKind, RaterGroup

DEFAULT_QUOTA = Decimal(20)
RAISED_QUOTA = Decimal(25)
DEFAULT_GROUPS = {PlanKind.REGULAR: {RaterGroup.SELF: 10, RaterGroup.CHIEF: 50,
                                     RaterGroup.DEPUTY: 20, RaterGroup.PEERS: 20},
                  None: {RaterGroup.SELF: 10, RaterGroup.CHIEF: 20, RaterGroup.DEPUTY: 20,
                         RaterGroup.HEAD: 20, RaterGroup.DEMOCRATIC: 30}}
PLAN_FIELDS = ("name", "kind", "subject", "period", "period_to", "window_start", "window_end",
               "roles", "categories", "bands", "top_quota", "quota_approval", "tie_rule",
               "appeal_days", "status", "quota_rounding", "political_pass")


def actor(by):
    """The user to keep on a row for ``by``: None for the system (``SYSTEM`` or None)."""
    return by if getattr(by, "pk", None) is not None else None


def copy_saved(obj, saved):
    """Copy the saved row's fields onto the caller's ``obj`` (``versioned_update`` leaves
    it untouched), so that a caller holding the plan sees the new status and version, as
    it did before edits were versioned."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    return obj


def _add(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(str(message))


def _decimal(raw, errors, field, label=None) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, TypeError, ValueError):
        _add(errors, field, _("Enter a number."))
        return None
    if not value.is_finite():
        _add(errors, field, _("Enter a number."))
        return None
    return value
