"""Writes of the portrait: the rule sets and five-type mappings of departments and the
installation's defaults (versioned and audited), and the record that a portrait was printed.
Scores are never written: they are computed from the records.

A department that has no set of its own scores by the set in force above it (a department
above with its own set, else the defaults). Its first edit copies that set into rows of its
own, in the same transaction as the edit and audited, so that the edit changes its own
portraits and nobody else's; a reset deletes its rows and it scores by the set above again.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zugong.core import metrics
from zugong.core.audit import audit_record, model_snapshot
from zugong.core.versioning import ConflictError, versioned_update
from zugong.people.models import OrgUnit, UnitKind

from .access import Cap, departments_for, has_cap, may_edit_defaults
from .models import Dimension, Direction, FiveType, SourceRule, TypeRule
from .selectors import ruleset_in_force, source_known, type_rules_of, typeset_in_force

RULE_FIELDS = ("dimension", "source", "weight", "target", "direction", "absent_is_zero",
               "sensitive", "detail_cap", "active", "order")
TYPE_FIELDS = ("metric_keys",)
MAX_TYPE_METRICS = 6


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


def _may_edit(by, department: OrgUnit | None) -> None:
    """Edits of a department's set: holders of ``portrait.rules`` over that department.
    Edits of the defaults (``department`` None): the installation's top department."""
    if not has_cap(by, Cap.PORTRAIT_RULES):
        raise PermissionDenied
    if department is None:
        if not may_edit_defaults(by):
            raise PermissionDenied
        return
    if department.kind != UnitKind.ORG_DEPT or department.pk not in {
            d.pk for d in departments_for(by, Cap.PORTRAIT_RULES)}:
        raise PermissionDenied


def _same_set(rule, department: OrgUnit | None) -> bool:
    return rule.department_id == (department.pk if department else None)


def _source_of(rows) -> dict:
    """How the audit names the set a copy came from."""
    owner = rows[0].department_id if rows else None
    return {"from": owner if owner is not None else "default"}


# ---------------------------------------------------------------- source rules


def _own_rules(*, by, department: OrgUnit) -> dict[tuple[str, str], SourceRule]:
    """The department's own rules by (dimension, source), copied from the set in force
    (audited as ``portrait.ruleset.copy``) when it has none yet. Call inside a transaction."""
    mine = list(SourceRule.objects.filter(department=department))
    if not mine:
        inherited = list(SourceRule.objects.filter(department=ruleset_in_force(department).owner))
        mine = [SourceRule(department=department, version=1,
                           **{name: getattr(rule, name) for name in RULE_FIELDS})
                for rule in inherited]
        try:
            with transaction.atomic():
                SourceRule.objects.bulk_create(mine)
        except IntegrityError:
            # Someone else's first edit made the set at the same moment.
            raise ConflictError from None
        mine = list(SourceRule.objects.filter(department=department))
        audit_record(actor=by, action="portrait.ruleset.copy", obj=department,
                     after={**_source_of(inherited), "rules": len(mine)})
    return {(r.dimension, r.source): r for r in mine}


def rule_create(*, by, department: OrgUnit | None = None, dimension: str, source: str,
                weight: Decimal, target: Decimal, direction: str = Direction.UP,
                absent_is_zero: bool = True, sensitive: bool = False, detail_cap: str = "",
                active: bool = True, order: int = 0) -> SourceRule:
    """Add a source to the department's set (its own, made first if need be), or to the
    defaults when ``department`` is None."""
    _may_edit(by, department)
    _check(dimension=dimension, source=source, weight=weight, target=target,
           direction=direction, sensitive=sensitive, detail_cap=detail_cap)
    rule = SourceRule(department=department, dimension=dimension, source=source,
                      weight=weight, target=target, direction=direction,
                      absent_is_zero=absent_is_zero, sensitive=sensitive,
                      detail_cap=detail_cap, active=active, order=order)
    try:
        with transaction.atomic():
            if department is not None:
                _own_rules(by=by, department=department)
            # The uniqueness is checked by the database (the IntegrityError below).
            rule.full_clean(validate_constraints=False)
            rule.save()
            audit_record(actor=by, action="portrait.rule.create", obj=rule,
                         after={**model_snapshot(rule, RULE_FIELDS),
                                "department": department.pk if department else None})
    except IntegrityError:
        raise ValidationError({"source": [_("This dimension already has this source.")]}) \
            from None
    return rule


def rule_update(*, by, rule: SourceRule, version, department: OrgUnit | None = None,
                **changes) -> SourceRule:
    """Change a rule of the department's set in force (or of the defaults when
    ``department`` is None). A rule the department inherits is first copied with the rest
    of its set, and the edit lands on the copy. A stale form raises ConflictError."""
    _may_edit(by, department)
    merged = {name: changes.get(name, getattr(rule, name)) for name in RULE_FIELDS}
    _check(dimension=merged["dimension"], source=merged["source"], weight=merged["weight"],
           target=merged["target"], direction=merged["direction"],
           sensitive=merged["sensitive"], detail_cap=merged["detail_cap"])
    try:
        with transaction.atomic():
            if not _same_set(rule, department):
                # The form showed the inherited row: it must still be as shown.
                if not SourceRule.objects.filter(pk=rule.pk, version=_version(version)).exists():
                    raise ConflictError
                rule = _own_rules(by=by, department=department)[(rule.dimension, rule.source)]
                version = rule.version
            return versioned_update(rule, version=version, changes=merged,
                                    snapshot=RULE_FIELDS, by=by,
                                    action="portrait.rule.update").instance
    except IntegrityError:
        raise ValidationError({"source": [_("This dimension already has this source.")]}) \
            from None


def _version(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ConflictError from None


def ruleset_reset(*, by, department: OrgUnit) -> int:
    """Delete the department's own rules: it scores by the set above it again (a
    department above with its own set, else the defaults). Returns the rules deleted."""
    _may_edit(by, department)
    with transaction.atomic():
        mine = list(SourceRule.objects.select_for_update().filter(department=department))
        if not mine:
            return 0
        SourceRule.objects.filter(pk__in=[r.pk for r in mine]).delete()
        owner = ruleset_in_force(department).owner
        audit_record(actor=by, action="portrait.ruleset.reset", obj=department,
                     before={"rules": [model_snapshot(r, RULE_FIELDS) for r in mine]},
                     after={"in_force": owner.pk if owner else "default"})
    return len(mine)


# ---------------------------------------------------------------- 五型机关 mapping


def check_metric_keys(keys) -> list[str]:
    """The keys of one type, or a ValidationError in Chinese: one to six registered
    metrics, each once, all in one unit (hours and counts do not add up)."""
    if not isinstance(keys, (list, tuple)) or not all(isinstance(k, str) for k in keys):
        raise ValidationError({"metric_keys": [_("Choose at least one figure.")]})
    keys = list(dict.fromkeys(k.strip() for k in keys if k.strip()))
    if not keys:
        raise ValidationError({"metric_keys": [_("Choose at least one figure.")]})
    if len(keys) > MAX_TYPE_METRICS:
        raise ValidationError({"metric_keys": [
            _("At most %(n)s figures for one type.") % {"n": MAX_TYPE_METRICS}]})
    unknown = [k for k in keys if not metrics.exists(k)]
    if unknown:
        raise ValidationError({"metric_keys": [
            _("Not a registered figure: %(keys)s.") % {"keys": "、".join(unknown)}]})
    units = {str(metrics.get(k).unit) for k in keys}
    if len(units) > 1:
        raise ValidationError({"metric_keys": [
            _("The figures of one type must share a unit; these are in %(units)s.")
            % {"units": "、".join(sorted(units))}]})
    return keys


def _own_types(*, by, department: OrgUnit) -> dict[str, TypeRule]:
    """The department's own mapping by type, copied from the mapping in force (audited as
    ``portrait.typeset.copy``) when it has none yet. Call inside a transaction."""
    mine = list(TypeRule.objects.filter(department=department))
    if not mine:
        inherited = type_rules_of(typeset_in_force(department))
        mine = [TypeRule(department=department, kind=r.kind, metric_keys=list(r.metric_keys))
                for r in inherited]
        try:
            with transaction.atomic():
                TypeRule.objects.bulk_create(mine)
        except IntegrityError:
            raise ConflictError from None
        mine = list(TypeRule.objects.filter(department=department))
        stored = [r for r in inherited if r.pk]
        audit_record(actor=by, action="portrait.typeset.copy", obj=department,
                     after={**_source_of(stored),
                            "types": {r.kind: r.metric_keys for r in mine}})
    return {r.kind: r for r in mine}


def type_rule_update(*, by, rule: TypeRule, version, metric_keys,
                     department: OrgUnit | None = None) -> TypeRule:
    """Set the figures of one type in the department's mapping in force (copied first when
    inherited), or in the defaults when ``department`` is None. Versioned and audited."""
    _may_edit(by, department)
    if rule.kind not in FiveType.values:
        raise ValidationError({"kind": [_("Choose one of the five types.")]})
    keys = check_metric_keys(metric_keys)
    with transaction.atomic():
        if department is not None and not _same_set(rule, department):
            if rule.pk and not TypeRule.objects.filter(pk=rule.pk,
                                                       version=_version(version)).exists():
                raise ConflictError
            rule = _own_types(by=by, department=department)[rule.kind]
            version = rule.version
        elif rule.pk is None:
            # A default type without a row (deleted by hand): this edit makes it.
            rule.metric_keys = keys
            rule.save()
            audit_record(actor=by, action="portrait.typerule.create", obj=rule,
                         after=model_snapshot(rule, ("kind", *TYPE_FIELDS)))
            return rule
        return versioned_update(rule, version=version, changes={"metric_keys": keys},
                                snapshot=TYPE_FIELDS, by=by,
                                action="portrait.typerule.update").instance


def typeset_reset(*, by, department: OrgUnit) -> int:
    """Delete the department's own mapping: the mapping above it is in force again."""
    _may_edit(by, department)
    with transaction.atomic():
        mine = list(TypeRule.objects.select_for_update().filter(department=department))
        if not mine:
            return 0
        TypeRule.objects.filter(pk__in=[r.pk for r in mine]).delete()
        owner = typeset_in_force(department).owner
        audit_record(actor=by, action="portrait.typeset.reset", obj=department,
                     before={"types": {r.kind: r.metric_keys for r in mine}},
                     after={"in_force": owner.pk if owner else "default"})
    return len(mine)


def print_logged(*, by, person, year: int) -> None:
    """A printed portrait leaves the system: the audit log says who printed whose."""
    audit_record(actor=by, action="portrait.portrait.print", obj=person,
                 after={"year": year})
