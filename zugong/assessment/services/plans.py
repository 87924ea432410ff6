"""Writes of a plan while it is prepared: the plan and its settings, rater groups,
indicators, templates, and opening scoring."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from zugong.core import metrics
from zugong.core.audit import audit_record, model_snapshot
from zugong.core.notices import notify
from zugong.core.periods import Period, PeriodKind
from zugong.core.recycle import recycle
from zugong.core.versioning import versioned_update
from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, Person, User

from .. import events, formula
from ..access import Cap, may_manage
from ..models import (
    Assessee,
    GroupWeight,
    Indicator,
    Plan,
    PlanKind,
    PlanStatus,
    QuotaRounding,
    RaterGroup,
    Template,
    TemplateIndicator,
    TieRule,
    default_bands,
)
from ..scoring import HUNDRED, num, weight_problems
from ._common import (
    DEFAULT_GROUPS,
    DEFAULT_QUOTA,
    PLAN_FIELDS,
    RAISED_QUOTA,
    _add,
    _decimal,
    actor,
    copy_saved,
)
from .records import consequence_rules_seed
from .sheets import tallies_create

# ---------------------------------------------------------------- plans


def _period_errors(kind: str, period: str, period_to: str, errors: dict):
    try:
        first = Period.parse(period or "")
    except ValueError:
        _add(errors, "period", _("Write the period as 2026-03, 2026-Q1 or 2026."))
        return None, None
    allowed = {PlanKind.REGULAR: (PeriodKind.MONTH, PeriodKind.QUARTER),
               PlanKind.ANNUAL: (PeriodKind.YEAR,)}.get(kind)
    if allowed and first.kind not in allowed:
        _add(errors, "period", _("A regular assessment is monthly or quarterly (2026-03 or "
                                 "2026-Q1); an annual one is a year (2026).")
             if kind == PlanKind.REGULAR else _("An annual assessment covers a year (2026)."))
    last = first
    if period_to:
        try:
            last = Period.parse(period_to)
        except ValueError:
            _add(errors, "period_to", _("Write the period as 2026-03, 2026-Q1 or 2026."))
            return first, first
        if kind != PlanKind.TERM:
            _add(errors, "period_to", _("Only a term assessment spans several periods."))
        elif last.end < first.start:
            _add(errors, "period_to", _("The last period is before the first."))
    return first, last


def _validate_plan(plan: Plan, errors: dict) -> None:
    if not (plan.name or "").strip():
        _add(errors, "name", _("Give the plan a name."))
    if plan.kind not in PlanKind.values:
        _add(errors, "kind", _("Choose the kind of assessment."))
    if plan.kind == PlanKind.SPECIAL and not (plan.subject or "").strip():
        _add(errors, "subject", _("Say what the special assessment is about."))
    first, last = _period_errors(plan.kind, plan.period, plan.period_to, errors)
    if first is not None:
        plan.period_start, plan.period_end = first.start, last.end
    if plan.window_start and plan.window_end and plan.window_end < plan.window_start:
        _add(errors, "window_end", _("Scoring cannot close before it opens."))
    quota = _decimal(plan.top_quota, errors, "top_quota")
    if quota is not None:
        plan.top_quota = quota
        if plan.kind == PlanKind.REGULAR:
            # The quota of 好 in regular assessments is the department's own setting.
            if quota < 0 or quota > HUNDRED:
                _add(errors, "top_quota", _("A quota is between 0 and 100%."))
        elif quota < 0 or quota > RAISED_QUOTA:
            _add(errors, "top_quota", _("The quota of the top grade is at most 25%."))
        elif quota > DEFAULT_QUOTA and not (plan.quota_approval or "").strip():
            _add(errors, "quota_approval", _("A quota above 20% needs the approval on "
                                             "record: say who approved it and the document."))
    if plan.tie_rule not in TieRule.values:
        _add(errors, "tie_rule", _("Choose a tie rule."))
    if plan.quota_rounding not in QuotaRounding.values:
        _add(errors, "quota_rounding", _("Choose how the quota is rounded."))
    line = _decimal(plan.political_pass, errors, "political_pass")
    if line is not None:
        plan.political_pass = line
        if line < 0 or line > HUNDRED:
            _add(errors, "political_pass", _("A pass line is between 0 and 100%."))
    _validate_bands(plan, errors)


def _validate_bands(plan: Plan, errors: dict) -> None:
    bands = plan.bands or default_bands(plan.kind)
    try:
        cleaned = [[str(g), Decimal(str(m))] for g, m in bands]
    except (InvalidOperation, TypeError, ValueError):
        _add(errors, "bands", _("Each grade needs a lowest score."))
        return
    if [g for g, _m in cleaned] != list(plan.grades):
        _add(errors, "bands", _("Give a lowest score for each grade, best first."))
        return
    lows = [m for _g, m in cleaned]
    if any(m < 0 or m > 100 for m in lows) or lows != sorted(lows, reverse=True) \
            or len(set(lows)) != len(lows):
        _add(errors, "bands", _("Lowest scores go down from the best grade to the worst, "
                                "between 0 and 100."))
        return
    plan.bands = [[g, float(m)] for g, m in cleaned]


def plan_create(*, by, department: OrgUnit, data: dict, units=(), template: Template | None
                = None) -> Plan:
    """A plan in preparation; the template's indicators become its common indicators."""
    plan = Plan(department=department, created_by=actor(by),
                **{k: v for k, v in data.items() if k in PLAN_FIELDS and k != "status"})
    if data.get("top_quota") in (None, ""):
        # The regular 好 quota is a setting of the installation; the others default to 20 %.
        plan.top_quota = getattr(settings, "ZUGONG_REGULAR_GOOD_QUOTA", 40) \
            if plan.kind == PlanKind.REGULAR else DEFAULT_QUOTA
    plan.bands = data.get("bands") or default_bands(plan.kind)
    if not plan.quota_rounding:
        plan.quota_rounding = QuotaRounding.DOWN
    if plan.political_pass in (None, ""):
        plan.political_pass = Decimal(60)
    errors: dict = {}
    _validate_plan(plan, errors)
    if not plan.window_start:
        _add(errors, "window_start", _("This field is required."))
    if not plan.window_end:
        _add(errors, "window_end", _("This field is required."))
    units = list(units)
    if any(not (u.path.startswith(department.path)) for u in units):
        _add(errors, "units", _("Choose units of this department."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan.template = template
        plan.save()
        plan.units.set(units)
        if template is not None:
            Indicator.objects.bulk_create([
                Indicator(plan=plan, name=t.name, weight=t.weight, max_score=t.max_score,
                          guide=t.guide, metric=t.metric, formula=t.formula, target=t.target,
                          political=t.political, position=t.position)
                for t in template.indicators.all()])
        GroupWeight.objects.bulk_create([
            GroupWeight(plan=plan, group=g, weight=w) for g, w in
            DEFAULT_GROUPS.get(plan.kind, DEFAULT_GROUPS[None]).items()])
        _enrol(plan)
        consequence_rules_seed(department)
        audit_record(actor=by, action=events.PLAN_CREATE, obj=plan,
                     after=model_snapshot(plan, PLAN_FIELDS))
    return plan


SETTINGS_FIELDS = ("window_start", "window_end", "top_quota", "quota_approval", "tie_rule",
                   "appeal_days", "bands", "quota_rounding", "political_pass")


def plan_settings(*, by, plan: Plan, version: int, data: dict) -> Plan:
    """Change a plan's window, quota (and its approval), tie rule, appeal days and bands
    until it is closed; a stale edit is refused (ConflictError)."""

    def apply(locked: Plan) -> None:
        if locked.status == PlanStatus.CLOSED:
            raise ValidationError({"__all__": [_("The plan is closed.")]})
        for name in SETTINGS_FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        errors: dict = {}
        _validate_plan(locked, errors)
        if errors:
            raise ValidationError(errors)

    if plan.status == PlanStatus.CLOSED:
        raise ValidationError({"__all__": [_("The plan is closed.")]})
    saved = versioned_update(plan, version=version, apply=apply, snapshot=SETTINGS_FIELDS,
                             by=by, action=events.PLAN_SETTINGS, validate=False).instance
    return copy_saved(plan, saved)


def people_of(plan: Plan):
    """The people a plan assesses: in post, in its units (or its whole department), of its
    categories and roles."""
    units = list(plan.units.all())
    q = Q(pk__in=[])
    for unit in units or [plan.department]:
        q |= subtree_q("unit_path", unit.path)
    people = Person.objects.filter(q, is_active=True)
    if plan.categories:
        people = people.filter(category__in=plan.categories)
    if plan.roles:
        people = people.filter(account__roles__role__in=plan.roles).distinct()
    return people


def _enrol(plan: Plan) -> None:
    Assessee.objects.bulk_create([Assessee(plan=plan, person_id=pk) for pk in
                                  people_of(plan).values_list("pk", flat=True)],
                                 ignore_conflicts=True)


def _editable(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"__all__": [_("The plan is no longer being prepared: its "
                                             "indicators and raters cannot change.")]})


def group_weights_set(*, by, plan: Plan, weights: dict[str, object]) -> list[GroupWeight]:
    """Replace the rater groups of a plan; the weights must add up to 100."""
    _editable(plan)
    errors: dict = {}
    cleaned = {}
    for group, raw in weights.items():
        if raw in (None, "", 0, "0"):
            continue
        if group not in RaterGroup.values:
            _add(errors, group, _("Unknown rater group."))
            continue
        value = _decimal(raw, errors, group)
        if value is None:
            continue
        if value <= 0 or value > 100:
            _add(errors, group, _("A weight is between 0 and 100."))
        cleaned[group] = value
    if not errors and sum(cleaned.values()) != HUNDRED:
        _add(errors, "__all__", _("The weights of the rater groups add up to %(sum)s, not "
                                  "100.") % {"sum": num(sum(cleaned.values()))})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = {g.group: str(g.weight) for g in plan.groups.all()}
        plan.groups.all().delete()
        rows = GroupWeight.objects.bulk_create([GroupWeight(plan=plan, group=g, weight=w)
                                                for g, w in cleaned.items()])
        audit_record(actor=by, action=events.PLAN_GROUPS, obj=plan, before=before,
                     after={g: str(w) for g, w in cleaned.items()})
    return rows


def _validate_indicator(ind, errors: dict) -> None:
    if not (ind.name or "").strip():
        _add(errors, "name", _("Name the indicator."))
    weight = _decimal(ind.weight, errors, "weight")
    if weight is not None:
        ind.weight = weight
        if weight <= 0 or weight > 100:
            _add(errors, "weight", _("A weight is between 0 and 100."))
    max_score = _decimal(ind.max_score, errors, "max_score")
    if max_score is not None:
        ind.max_score = max_score
        if max_score <= 0 or max_score > 1000:
            _add(errors, "max_score", _("The maximum is a positive number up to 1000."))
    if ind.target not in (None, ""):
        ind.target = _decimal(ind.target, errors, "target")
    else:
        ind.target = None
    if ind.metric:
        if not metrics.exists(ind.metric):
            _add(errors, "metric", _("Unknown metric."))
        try:
            formula.validate(ind.formula or "value", target=ind.target,
                             max_score=max_score or 100)
            ind.formula = (ind.formula or "value").strip()
        except formula.FormulaError as exc:
            _add(errors, "formula", str(exc))
    elif ind.formula:
        _add(errors, "formula", _("A formula needs a metric to read."))


def indicator_add(*, by, plan: Plan, name: str, weight, max_score=100, guide: str = "",
                  person: Person | None = None, metric: str = "", formula_text: str = "",
                  target=None, political: bool = False) -> Indicator:
    """A common indicator, or (with ``person``) an individual one agreed with that person.
    ``political`` marks the one common indicator of the political standard."""
    _editable(plan)
    ind = Indicator(plan=plan, person=person, name=name, weight=weight, max_score=max_score,
                    guide=guide, metric=metric, formula=formula_text, target=target,
                    political=bool(political))
    errors: dict = {}
    _validate_indicator(ind, errors)
    if ind.political and person is not None:
        _add(errors, "political", _("The political standard is a common indicator."))
    elif ind.political and plan.indicators.filter(political=True).exists():
        _add(errors, "political", _("The plan already has an indicator of the political "
                                    "standard."))
    if person is not None and not plan.assessees.filter(person=person).exists():
        _add(errors, "person", _("This person is not assessed by the plan."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ind.position = plan.indicators.count() + 1
        ind.save()
        audit_record(actor=by, action=events.INDICATOR_ADD, obj=plan,
                     after=model_snapshot(ind, ("name", "weight", "max_score", "metric",
                                                "formula", "person", "political")))
    return ind


def indicator_delete(*, by, indicator: Indicator) -> None:
    _editable(indicator.plan)
    with transaction.atomic():
        entry = recycle(indicator, by=by, cap=Cap.ASSESS_MANAGE,
                        department_id=indicator.plan.department_id,
                        label=f"{indicator.plan} · {indicator.name}")
        audit_record(actor=by, action=events.INDICATOR_DELETE, obj=indicator.plan,
                     before=model_snapshot(indicator, ("name", "weight", "person")),
                     after={"recycled": entry.pk})


def plan_delete(*, by, plan: Plan) -> None:
    """Delete a plan still being prepared (with its groups, indicators and assessees) into
    the recycle bin; whoever runs the department's plans may, and puts it back. Once open,
    a plan has raters and scores: it is closed, not deleted."""
    if not may_manage(by, plan):
        raise PermissionDenied
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != PlanStatus.DRAFT:
            raise ValidationError(_("Only a plan still being prepared can be deleted."))
        plan_id, label = str(plan.pk), f"{plan.department.name} · {plan.name}"
        before = {"name": plan.name, "kind": plan.kind, "period": str(plan.period),
                  "indicators": plan.indicators.count(), "assessees": plan.assessees.count()}
        entry = recycle(plan, by=by, cap=Cap.ASSESS_MANAGE, department_id=plan.department_id,
                        label=label)
        audit_record(actor=by, action=events.PLAN_DELETE, object_type="assessment.plan",
                     object_id=plan_id, object_repr=label, before=before,
                     after={"recycled": entry.pk})


def indicator_restore_check(*, rows) -> None:
    """The recycle bin's guard (hook ``recycle.assessment.indicator``): an indicator comes
    back only into a plan that is still being prepared, as it could only be added then."""
    for row in rows:
        if isinstance(row, Indicator):
            _editable(Plan.objects.get(pk=row.plan_id))


def template_from_plan(*, by, plan: Plan, name: str) -> Template:
    """Keep a plan's common indicators as a template for later plans."""
    if not name.strip():
        raise ValidationError({"name": [_("Name the template.")]})
    with transaction.atomic():
        template = Template.objects.create(department=plan.department, name=name.strip())
        TemplateIndicator.objects.bulk_create([
            TemplateIndicator(template=template, name=i.name, weight=i.weight,
                              max_score=i.max_score, guide=i.guide, metric=i.metric,
                              formula=i.formula, target=i.target, political=i.political,
                              position=i.position)
            for i in plan.indicators.filter(person__isnull=True)])
        audit_record(actor=by, action=events.TEMPLATE_CREATE, obj=template,
                     after={"name": template.name, "plan": plan.pk})
    return template



def plan_open(*, by, plan: Plan, version: int) -> Plan:
    """Open scoring: weights must add up to 100 for the groups and for every person."""

    def apply(locked: Plan) -> None:
        _editable(locked)
        problems = weight_problems(locked)
        if problems:
            raise ValidationError({"__all__": problems})
        locked.status = PlanStatus.SCORING

    _editable(plan)
    with transaction.atomic():
        copy_saved(plan, versioned_update(plan, version=version, apply=apply,
                                          snapshot=("status",), by=by,
                                          action=events.PLAN_OPEN, validate=False).instance)
        # Every tally exists before the first vote, so none is created in a voter's order.
        tallies_create(plan)
        recipients = list(User.objects.filter(person__in=plan.assessees.values("person")))
        url = reverse("assessment:home")
        transaction.on_commit(lambda: notify(
            recipients=recipients, kind=events.NOTICE_PLAN_OPEN,
            title=_("Scoring of “%(plan)s” is open until %(end)s") % {
                "plan": plan.name, "end": plan.window_end.isoformat()},
            url=url, dedupe_key=f"assessment-open-{plan.pk}"))
    return plan
