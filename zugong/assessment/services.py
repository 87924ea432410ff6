"""Writes of the assessment area: plans and their indicators and raters, scores and
anonymous ballots, closing a plan (scores, ranks, grades, quota, veto), adjustments,
feedback, acknowledgement and appeals, the everyday record, consequence rules."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections import defaultdict
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core import metrics
from zugong.core.audit import audit_record, model_snapshot
from zugong.core.notices import notify
from zugong.core.periods import Period, PeriodKind
from zugong.people import services as people_services
from zugong.people.access import assignments, scope_q, subtree_q
from zugong.people.models import (
    AnnualAssessment,
    OrgUnit,
    Person,
    RewardPunishment,
    Role,
    User,
)
from zugong.people.services import ConflictError

from . import formula
from .access import Cap
from .models import (
    A15_CODES,
    ANONYMOUS_GROUPS,
    Adjustment,
    Appeal,
    AppealOutcome,
    Assessee,
    Ballot,
    Consequence,
    ConsequenceRule,
    EverydayNote,
    GroupWeight,
    Indicator,
    OutsiderCode,
    Plan,
    PlanKind,
    PlanStatus,
    RaterGroup,
    Score,
    Template,
    TemplateIndicator,
    TieRule,
    Voted,
    default_bands,
)

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
DEFAULT_QUOTA = Decimal(20)
RAISED_QUOTA = Decimal(25)
# Which group a leader rates in, by their role.
LEADER_GROUPS = {Role.HEAD: RaterGroup.HEAD, Role.DEPUTY: RaterGroup.DEPUTY,
                 Role.SECTION_CHIEF: RaterGroup.CHIEF}
DEFAULT_GROUPS = {PlanKind.REGULAR: {RaterGroup.SELF: 10, RaterGroup.CHIEF: 50,
                                     RaterGroup.DEPUTY: 20, RaterGroup.PEERS: 20},
                  None: {RaterGroup.SELF: 10, RaterGroup.CHIEF: 20, RaterGroup.DEPUTY: 20,
                         RaterGroup.HEAD: 20, RaterGroup.DEMOCRATIC: 30}}
PLAN_FIELDS = ("name", "kind", "subject", "period", "period_to", "window_start", "window_end",
               "roles", "categories", "bands", "top_quota", "quota_approval", "tie_rule",
               "appeal_days", "status")


def num(value) -> str:
    """A number as people write it: 100, 92.5 (never 100.00 or 1E+2)."""
    value = Decimal(value)
    return f"{value.quantize(Decimal(1)):f}" if value == value.to_integral_value() else \
        f"{value.normalize():f}"


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
    plan = Plan(department=department, created_by=by,
                **{k: v for k, v in data.items() if k in PLAN_FIELDS and k != "status"})
    if data.get("top_quota") in (None, ""):
        # The regular 好 quota is a setting of the installation; the others default to 20 %.
        plan.top_quota = getattr(settings, "ZUGONG_REGULAR_GOOD_QUOTA", 40) \
            if plan.kind == PlanKind.REGULAR else DEFAULT_QUOTA
    plan.bands = data.get("bands") or default_bands(plan.kind)
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
                          position=t.position)
                for t in template.indicators.all()])
        GroupWeight.objects.bulk_create([
            GroupWeight(plan=plan, group=g, weight=w) for g, w in
            DEFAULT_GROUPS.get(plan.kind, DEFAULT_GROUPS[None]).items()])
        _enrol(plan)
        audit_record(actor=by, action="assessment.plan.create", obj=plan,
                     after=model_snapshot(plan, PLAN_FIELDS))
    return plan


SETTINGS_FIELDS = ("window_start", "window_end", "top_quota", "quota_approval", "tie_rule",
                   "appeal_days", "bands")


def plan_settings(*, by, plan: Plan, version: int, data: dict) -> Plan:
    """Change a plan's window, quota (and its approval), tie rule, appeal days and bands
    until it is closed; a stale edit is refused."""
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError({"__all__": [_("The plan is closed.")]})
    if plan.version != version:
        raise ConflictError(_("The plan was changed by someone else; reload and try again."))
    before = model_snapshot(plan, SETTINGS_FIELDS)
    for name in SETTINGS_FIELDS:
        if name in data:
            setattr(plan, name, data[name])
    errors: dict = {}
    _validate_plan(plan, errors)
    if errors:
        plan.refresh_from_db()
        raise ValidationError(errors)
    with transaction.atomic():
        plan.version += 1
        plan.save()
        audit_record(actor=by, action="assessment.plan.settings", obj=plan, before=before,
                     after=model_snapshot(plan, SETTINGS_FIELDS))
    return plan


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
        audit_record(actor=by, action="assessment.plan.groups", obj=plan, before=before,
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
                  target=None) -> Indicator:
    """A common indicator, or (with ``person``) an individual one agreed with that person."""
    _editable(plan)
    ind = Indicator(plan=plan, person=person, name=name, weight=weight, max_score=max_score,
                    guide=guide, metric=metric, formula=formula_text, target=target)
    errors: dict = {}
    _validate_indicator(ind, errors)
    if person is not None and not plan.assessees.filter(person=person).exists():
        _add(errors, "person", _("This person is not assessed by the plan."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ind.position = plan.indicators.count() + 1
        ind.save()
        audit_record(actor=by, action="assessment.indicator.add", obj=plan,
                     after=model_snapshot(ind, ("name", "weight", "max_score", "metric",
                                                "formula", "person")))
    return ind


def indicator_delete(*, by, indicator: Indicator) -> None:
    _editable(indicator.plan)
    with transaction.atomic():
        audit_record(actor=by, action="assessment.indicator.delete", obj=indicator.plan,
                     before=model_snapshot(indicator, ("name", "weight", "person")))
        indicator.delete()


def template_from_plan(*, by, plan: Plan, name: str) -> Template:
    """Keep a plan's common indicators as a template for later plans."""
    if not name.strip():
        raise ValidationError({"name": [_("Name the template.")]})
    with transaction.atomic():
        template = Template.objects.create(department=plan.department, name=name.strip())
        TemplateIndicator.objects.bulk_create([
            TemplateIndicator(template=template, name=i.name, weight=i.weight,
                              max_score=i.max_score, guide=i.guide, metric=i.metric,
                              formula=i.formula, target=i.target, position=i.position)
            for i in plan.indicators.filter(person__isnull=True)])
        audit_record(actor=by, action="assessment.template.create", obj=template,
                     after={"name": template.name, "plan": plan.pk})
    return template


def weight_problems(plan: Plan) -> list[str]:
    """What stops a plan from opening: weights of groups and of each person's indicators."""
    problems = []
    groups = list(plan.groups.all())
    total = sum((g.weight for g in groups), Decimal(0))
    if total != HUNDRED:
        problems.append(_("The weights of the rater groups add up to %(sum)s, not 100.")
                        % {"sum": num(total)})
    indicators = list(plan.indicators.all())
    common = sum((i.weight for i in indicators if i.person_id is None), Decimal(0))
    extra: dict[int, Decimal] = defaultdict(Decimal)
    for i in indicators:
        if i.person_id:
            extra[i.person_id] += i.weight
    names = dict(plan.assessees.values_list("person_id", "person__name"))
    if not indicators:
        problems.append(_("The plan has no indicators."))
    for person_id, name in names.items():
        if common + extra[person_id] != HUNDRED:
            problems.append(_("The indicator weights of %(name)s add up to %(sum)s, not 100.")
                            % {"name": name, "sum": num(common + extra[person_id])})
            if len(problems) > 5:
                break
    if not names:
        problems.append(_("Nobody is assessed by the plan."))
    return problems


def plan_open(*, by, plan: Plan, version: int) -> Plan:
    """Open scoring: weights must add up to 100 for the groups and for every person."""
    _editable(plan)
    if plan.version != version:
        raise ConflictError(_("The plan was changed by someone else; reload and try again."))
    problems = weight_problems(plan)
    if problems:
        raise ValidationError({"__all__": problems})
    with transaction.atomic():
        plan.status = PlanStatus.SCORING
        plan.version += 1
        plan.save(update_fields=["status", "version"])
        audit_record(actor=by, action="assessment.plan.open", obj=plan,
                     after={"status": plan.status})
        recipients = list(User.objects.filter(person__in=plan.assessees.values("person")))
        url = reverse("assessment:home")
        transaction.on_commit(lambda: notify(
            recipients=recipients, kind="assessment.open",
            title=_("Scoring of “%(plan)s” is open until %(end)s") % {
                "plan": plan.name, "end": plan.window_end.isoformat()},
            url=url, dedupe_key=f"assessment-open-{plan.pk}"))
    return plan


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


def rater_groups_of(user, plan: Plan) -> list[str]:
    """The plan's groups in which this user rates someone."""
    groups = set(plan.groups.values_list("group", flat=True))
    mine = []
    for group in RaterGroup.values:
        if group in groups and group != RaterGroup.OUTSIDERS and \
                sheet_people(user, plan, group).exists():
            mine.append(group)
    return mine


def sheet_people(user, plan: Plan, group: str):
    """The assessees this user rates in ``group`` (an empty queryset when none)."""
    qs = plan.assessees.select_related("person", "person__unit").order_by(
        "person__unit_path", "person__name", "pk")
    person = getattr(user, "person", None)
    if person is None or group == RaterGroup.OUTSIDERS:
        return qs.none()
    if group == RaterGroup.SELF:
        return qs.filter(person=person)
    in_dept = person.unit_path.startswith(plan.department.path)
    if group == RaterGroup.PEERS:
        return qs.filter(person__unit_id=person.unit_id).exclude(person=person) if in_dept \
            else qs.none()
    if group == RaterGroup.DEMOCRATIC:
        return qs.exclude(person=person) if in_dept else qs.none()
    role = next((r for r, g in LEADER_GROUPS.items() if g == group), None)
    relevant = [a for a in assignments(user) if a.role == role]
    if not relevant:
        return qs.none()
    q = scope_q(user, Cap.ASSESS_LEAD, kind="person")
    if q is None:
        return qs.none()
    return qs.filter(person__in=Person.objects.filter(q).values("pk")).exclude(person=person)


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
        audit_record(actor=by, action="assessment.score", obj=plan,
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
            audit_record(actor=by, action="assessment.vote", obj=plan,
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
        audit_record(actor=by, action="assessment.codes", obj=plan, after={"count": count})
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
        audit_record(actor=None, action="assessment.vote", obj=plan,
                     after={"group": RaterGroup.OUTSIDERS})
    return len(people)


# ---------------------------------------------------------------- everyday record


def may_note(user, person: Person) -> bool:
    if user.person_id == person.pk:
        return False
    q = scope_q(user, Cap.ASSESS_LEAD, kind="person")
    return q is not None and Person.objects.filter(q, pk=person.pk).exists()


def everyday_note_add(*, by, person: Person, on: dt.date, positive: bool, text: str,
                      source: str = "") -> EverydayNote:
    """A fact for the everyday record (工作记实). Section chiefs and leaders write it from
    the pages; other apps (the task ledger, supervision) call it with ``by=None`` and
    their ``source``."""
    if by is not None and not may_note(by, person):
        raise PermissionDenied
    errors: dict = {}
    if not (text or "").strip():
        _add(errors, "text", _("Say what happened."))
    if not isinstance(on, dt.date):
        _add(errors, "on", _("Enter a valid date."))
    elif on > timezone.localdate():
        _add(errors, "on", _("The date is in the future."))
    if len(text or "") > 500:
        _add(errors, "text", _("At most 500 characters."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        note = EverydayNote.objects.create(person=person, on=on, positive=bool(positive),
                                           text=text.strip(), source=source[:100], by=by)
        audit_record(actor=by, action="assessment.note.add", obj=person,
                     after=model_snapshot(note, ("on", "positive", "text", "source")))
    return note


# ---------------------------------------------------------------- results


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def automatic_values(plan: Plan, indicators: list[Indicator], person_ids: list[int]
                     ) -> dict[tuple[int, int], dict]:
    """(indicator, person) → metric value and points: one grouped query per metric."""
    out = {}
    by_metric: dict[str, list[Indicator]] = defaultdict(list)
    for ind in indicators:
        if ind.metric and metrics.exists(ind.metric):
            by_metric[ind.metric].append(ind)
    for key, inds in by_metric.items():
        metric = metrics.get(key)
        totals = metric.totals(people=person_ids, start=plan.period_start,
                               end=plan.period_end)
        for ind in inds:
            for pk in person_ids:
                if ind.person_id not in (None, pk):
                    continue
                value = metric.quantize(totals.get((pk, None), 0))
                out[(ind.pk, pk)] = {
                    "value": value,
                    "points": formula.points(ind.formula or "value", value=value,
                                             target=ind.target, max_score=ind.max_score),
                    "url": metric.records_url(person_id=pk, start=plan.period_start,
                                              end=plan.period_end),
                }
    return out


def compute(plan: Plan) -> list[Assessee]:
    """Scores, ranks and grades of every assessee (not saved). The query count does not
    depend on the number of people or raters.

    Per indicator, each rater group's mean of score ÷ maximum is weighted by the group
    weights (groups with no rating for the person are left out and the rest re-weighted);
    the person's score is the sum over indicators of that share × the indicator's weight
    (automatic indicators use their formula's points instead). Scores have two decimals.
    """
    assessees = list(plan.assessees.select_related("person").order_by("pk"))
    indicators = list(plan.indicators.all())
    weights = {g.group: g.weight for g in plan.groups.all()}
    sums: dict[tuple[int, int, str], list] = defaultdict(lambda: [Decimal(0), 0])
    for a, i, g, v in Score.objects.filter(assessee__plan=plan).values_list(
            "assessee_id", "indicator_id", "group", "value"):
        cell = sums[(a, i, g)]
        cell[0] += v
        cell[1] += 1
    for a, g, vals in Ballot.objects.filter(assessee__plan=plan).values_list(
            "assessee_id", "group", "values"):
        for i, v in vals.items():
            cell = sums[(a, int(i), g)]
            cell[0] += Decimal(v)
            cell[1] += 1
    person_ids = [a.person_id for a in assessees]
    auto = automatic_values(plan, indicators, person_ids)
    vetoes = _veto_facts(plan, person_ids)
    regular = regular_summary(plan, person_ids) if plan.kind == PlanKind.ANNUAL else {}
    for a in assessees:
        total = Decimal(0)
        rows = []
        for ind in indicators:
            if ind.person_id not in (None, a.person_id):
                continue
            if ind.metric:
                got = auto.get((ind.pk, a.person_id), {"value": Decimal(0),
                                                       "points": Decimal(0), "url": ""})
                share = got["points"] / ind.max_score
                rows.append({"id": ind.pk, "name": ind.name, "auto": True,
                             "value": str(got["value"]), "points": str(got["points"]),
                             "url": got["url"], "share": str(_q(share * 100))})
            else:
                groups = {}
                for g in weights:
                    s, n = sums.get((a.pk, ind.pk, g), (Decimal(0), 0))
                    if n:
                        groups[g] = s / n / ind.max_score
                present = sum((weights[g] for g in groups), Decimal(0))
                share = sum((weights[g] * v for g, v in groups.items()), Decimal(0)) / present \
                    if present else Decimal(0)
                rows.append({"id": ind.pk, "name": ind.name, "auto": False,
                             "groups": {g: _shown_mean(v * ind.max_score, g,
                                                       sums[(a.pk, ind.pk, g)][1])
                                        for g, v in groups.items()},
                             "share": str(_q(share * 100))})
            total += share * ind.weight
        a.score = _q(total)
        a.detail = {"indicators": rows, "regular": regular.get(a.person_id, {})}
        reasons = list(vetoes.get(a.person_id, []))
        if a.political_failed:
            reasons.append("political")
        if a.admonished:
            reasons.append("admonished")
        a.veto_reasons = sorted(set(reasons))
        a.vetoed = bool(a.veto_reasons)
    _rank(assessees)
    _grade(plan, assessees)
    return assessees


# An anonymous group's mean is shown only when at least this many ballots make it up: the
# mean of one or two ballots would tell the person (or a colleague who voted) how the
# others voted. The mean still counts in the score either way.
MIN_BALLOTS_SHOWN = 3


def _shown_mean(value: Decimal, group: str, ballots: int) -> str:
    if group in ANONYMOUS_GROUPS and ballots < MIN_BALLOTS_SHOWN:
        return ""
    return str(_q(value))


def _veto_facts(plan: Plan, person_ids: list[int]) -> dict[int, list[str]]:
    """A punishment (disciplinary action) dated in the plan's period bars the top grade."""
    out: dict[int, list[str]] = defaultdict(list)
    for pk in RewardPunishment.objects.filter(
            person_id__in=person_ids, kind=RewardPunishment.Kind.PUNISHMENT,
            date__gte=plan.period_start, date__lte=plan.period_end).values_list(
            "person_id", flat=True):
        out[pk].append("punishment")
    return out


def _rank(assessees: list[Assessee]) -> None:
    """Competition ranking: equal scores share a rank (1, 2, 2, 4)."""
    ordered = sorted(assessees, key=lambda a: (-a.score, a.person.name, a.pk))
    for index, a in enumerate(ordered):
        if index and a.score == ordered[index - 1].score:
            a.rank = ordered[index - 1].rank
        else:
            a.rank = index + 1


def quota_of(plan: Plan, count: int) -> int:
    """How many may get the top grade: the quota's share of the people, rounded down."""
    return int((Decimal(count) * plan.top_quota / HUNDRED).to_integral_value(ROUND_DOWN))


def _first_share(a: Assessee) -> Decimal:
    rows = a.detail.get("indicators") or []
    return Decimal(rows[0]["share"]) if rows else Decimal(0)


def _grade(plan: Plan, assessees: list[Assessee]) -> None:
    """Bands, then the veto, then the quota of the top grade with the plan's tie rule.

    Whoever the veto or the quota keeps from the top grade gets the second grade.
    """
    grades = plan.grades
    bands = [(g, Decimal(str(m))) for g, m in (plan.bands or default_bands(plan.kind))]
    for a in assessees:
        a.computed_grade = next((g for g, low in bands if a.score >= low), grades[-1])
        if a.computed_grade == grades[0] and a.vetoed:
            a.computed_grade = grades[1]
    top = sorted([a for a in assessees if a.computed_grade == grades[0]],
                 key=lambda a: -a.score)
    slots = quota_of(plan, len(assessees))
    if len(top) > slots:
        keep = _within_quota(plan, top, slots)
        for a in top:
            if a not in keep:
                a.computed_grade = grades[1]
                a.detail["over_quota"] = True
    for a in assessees:
        a.grade = a.computed_grade


def _within_quota(plan: Plan, top: list[Assessee], slots: int) -> list[Assessee]:
    if slots <= 0:
        return []
    boundary = top[slots - 1].score
    above = [a for a in top if a.score > boundary]
    tied = [a for a in top if a.score == boundary]
    free = slots - len(above)
    if len(tied) <= free:
        return above + tied
    if plan.tie_rule == TieRule.FIRST_INDICATOR:
        # Higher share on the first indicator first; people still equal there enter only
        # all together, so a tie the rule cannot break leaves them all out.
        tied.sort(key=_first_share, reverse=True)
        chosen: list[Assessee] = []
        shares = sorted({_first_share(a) for a in tied}, reverse=True)
        for share in shares:
            group = [a for a in tied if _first_share(a) == share]
            if len(chosen) + len(group) > free:
                break
            chosen += group
        return above + chosen
    return above


def regular_summary(plan: Plan, person_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each person's regular (平时) grades in the annual plan's year: grade → count."""
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for pk, grade in Assessee.objects.filter(
            person_id__in=person_ids, plan__kind=PlanKind.REGULAR,
            plan__status=PlanStatus.CLOSED, plan__period_start__gte=plan.period_start,
            plan__period_end__lte=plan.period_end).values_list("person_id", "grade"):
        out[pk][grade] = out[pk].get(grade, 0) + 1
    return dict(out)


RESULT_FIELDS = ["score", "rank", "computed_grade", "grade", "vetoed", "veto_reasons",
                 "detail"]


def plan_close(*, by, plan: Plan, version: int) -> Plan:
    """Close scoring, compute and keep the results; annual grades go into people's A15."""
    if plan.status != PlanStatus.SCORING:
        raise ValidationError({"__all__": [_("Only a plan being scored can be closed.")]})
    if plan.version != version:
        raise ConflictError(_("The plan was changed by someone else; reload and try again."))
    assessees = compute(plan)
    with transaction.atomic():
        Assessee.objects.bulk_update(assessees, RESULT_FIELDS, batch_size=500)
        plan.status = PlanStatus.CLOSED
        plan.closed_on = timezone.localdate()
        plan.version += 1
        plan.save(update_fields=["status", "closed_on", "version"])
        if plan.kind == PlanKind.ANNUAL:
            for a in assessees:
                _sync_a15(by, a)
        audit_record(actor=by, action="assessment.plan.close", obj=plan,
                     after={"people": len(assessees),
                            "grades": {g: sum(1 for a in assessees if a.grade == g)
                                       for g in plan.grades}})
        accounts = {u.person_id: u for u in User.objects.filter(
            person__in=[a.person_id for a in assessees])}
        for a in assessees:
            if accounts.get(a.person_id):
                url = reverse("assessment:result", args=[a.pk])
                transaction.on_commit(lambda a=a, url=url: notify(
                    recipients=[accounts[a.person_id]], kind="assessment.result",
                    title=_("Your result of “%(plan)s” is out") % {"plan": plan.name},
                    url=url, dedupe_key=f"assessment-result-{a.pk}"))
    return plan


def _sync_a15(by, assessee: Assessee) -> None:
    """Write the annual grade into the person's A15 (replacing that year's entry)."""
    code = A15_CODES.get(assessee.grade)
    if code is None:
        return
    year = assessee.plan.period_start.year
    for old in AnnualAssessment.objects.filter(person_id=assessee.person_id, year=year):
        people_services.subrecord_delete(by=by, person=assessee.person, kind="assessments",
                                         pk=old.pk)
    people_services.subrecord_add(by=by, person=assessee.person, kind="assessments",
                                  data={"year": year, "result": code,
                                        "note": assessee.plan.name[:200]})


def veto_set(*, by, assessee: Assessee, political_failed: bool, admonished: bool,
             note: str) -> Assessee:
    """Record the facts that bar the top grade (the office, before closing)."""
    if assessee.plan.status == PlanStatus.CLOSED:
        raise ValidationError({"__all__": [_("The plan is closed: change the grade with an "
                                             "adjustment instead.")]})
    if (political_failed or admonished) and not (note or "").strip():
        raise ValidationError({"veto_note": [_("Say what the veto rests on.")]})
    with transaction.atomic():
        before = model_snapshot(assessee, ("political_failed", "admonished", "veto_note"))
        assessee.political_failed = bool(political_failed)
        assessee.admonished = bool(admonished)
        assessee.veto_note = (note or "").strip()[:300]
        assessee.save(update_fields=["political_failed", "admonished", "veto_note"])
        audit_record(actor=by, action="assessment.veto", obj=assessee, before=before,
                     after=model_snapshot(assessee, ("political_failed", "admonished",
                                                     "veto_note")))
    return assessee


def grade_adjust(*, by, assessee: Assessee, grade: str, reason: str) -> Assessee:
    """The assessment office changes a closed result's grade, with a written reason.

    The veto and the quota still hold: an adjustment cannot give a vetoed person the top
    grade, nor more people the top grade than the quota allows.
    """
    plan = assessee.plan
    errors: dict = {}
    if plan.status != PlanStatus.CLOSED:
        _add(errors, "__all__", _("Grades are adjusted after the plan is closed."))
    if grade not in plan.grades:
        _add(errors, "grade", _("Choose one of the plan's grades."))
    if not (reason or "").strip():
        _add(errors, "reason", _("An adjustment needs a written reason."))
    if grade == assessee.grade:
        _add(errors, "grade", _("This is already the grade."))
    if grade == plan.top_grade and not errors:
        if assessee.vetoed:
            _add(errors, "grade", _("The top grade is barred by a veto (一票否决)."))
        elif plan.assessees.filter(grade=plan.top_grade).count() >= \
                quota_of(plan, plan.assessees.count()):
            _add(errors, "grade", _("The quota of the top grade is used up."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Adjustment.objects.create(assessee=assessee, from_grade=assessee.grade, to_grade=grade,
                                  reason=reason.strip()[:500], by=by)
        before = {"grade": assessee.grade}
        assessee.grade = grade
        assessee.save(update_fields=["grade"])
        if plan.kind == PlanKind.ANNUAL:
            _sync_a15(by, assessee)
        audit_record(actor=by, action="assessment.adjust", obj=assessee, before=before,
                     after={"grade": grade, "reason": reason.strip()})
    return assessee


# ---------------------------------------------------------------- feedback and appeal


def feedback_give(*, by, assessee: Assessee, strengths: str, shortcomings: str,
                  direction: str) -> Assessee:
    errors: dict = {}
    for name, value in (("strengths", strengths), ("shortcomings", shortcomings),
                        ("direction", direction)):
        if not (value or "").strip():
            _add(errors, name, _("This field is required."))
    if assessee.plan.status != PlanStatus.CLOSED:
        _add(errors, "__all__", _("Feedback is given once the plan is closed."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assessee.strengths = strengths.strip()
        assessee.shortcomings = shortcomings.strip()
        assessee.direction = direction.strip()
        assessee.save(update_fields=["strengths", "shortcomings", "direction"])
        audit_record(actor=by, action="assessment.feedback", obj=assessee,
                     after=model_snapshot(assessee, ("strengths", "shortcomings",
                                                     "direction")))
    return assessee


def result_acknowledge(*, by, assessee: Assessee) -> Assessee:
    if by.person_id != assessee.person_id:
        raise PermissionDenied
    if assessee.plan.status != PlanStatus.CLOSED:
        raise ValidationError({"__all__": [_("The result is not out yet.")]})
    if assessee.acknowledged_at is None:
        with transaction.atomic():
            assessee.acknowledged_at = timezone.now()
            assessee.save(update_fields=["acknowledged_at"])
            audit_record(actor=by, action="assessment.acknowledge", obj=assessee)
    return assessee


def appeal_deadline(assessee: Assessee) -> dt.date | None:
    closed = assessee.plan.closed_on
    return closed + dt.timedelta(days=assessee.plan.appeal_days) if closed else None


def appeal_file(*, by, assessee: Assessee, reason: str, today: dt.date | None = None) -> Appeal:
    if by.person_id != assessee.person_id:
        raise PermissionDenied
    today = today or timezone.localdate()
    errors: dict = {}
    deadline = appeal_deadline(assessee)
    if deadline is None:
        _add(errors, "__all__", _("The result is not out yet."))
    elif today > deadline:
        _add(errors, "__all__", _("Appeals were possible until %(day)s.") % {
            "day": deadline.isoformat()})
    if Appeal.objects.filter(assessee=assessee).exists():
        _add(errors, "__all__", _("You have already appealed against this result."))
    if not (reason or "").strip():
        _add(errors, "reason", _("Say why you appeal."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        appeal = Appeal.objects.create(assessee=assessee, reason=reason.strip(), filed_on=today)
        audit_record(actor=by, action="assessment.appeal", obj=assessee,
                     after={"reason": appeal.reason})
    return appeal


def appeal_answer(*, by, appeal: Appeal, outcome: str, answer: str) -> Appeal:
    errors: dict = {}
    if outcome not in (AppealOutcome.UPHELD, AppealOutcome.REJECTED):
        _add(errors, "outcome", _("Uphold or reject the appeal."))
    if not (answer or "").strip():
        _add(errors, "answer", _("Write the answer to the appeal."))
    if appeal.outcome != AppealOutcome.PENDING:
        _add(errors, "__all__", _("The appeal has been answered."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        appeal.outcome = outcome
        appeal.answer = answer.strip()
        appeal.answered_by = by
        appeal.answered_on = timezone.localdate()
        appeal.save()
        audit_record(actor=by, action="assessment.appeal.answer", obj=appeal.assessee,
                     after={"outcome": outcome, "answer": appeal.answer})
        account = getattr(appeal.assessee.person, "account", None)
        if account is not None:
            url = reverse("assessment:result", args=[appeal.assessee_id])
            transaction.on_commit(lambda: notify(
                recipients=[account], kind="assessment.appeal", url=url,
                title=_("Your appeal has been answered"),
                dedupe_key=f"assessment-appeal-{appeal.pk}"))
    return appeal


# ---------------------------------------------------------------- consequences

DEFAULT_RULES = [
    (Consequence.REWARD, ["1"], 1),
    (Consequence.MERIT, ["1"], 3),
    (Consequence.PROMOTION, ["1", "2"], 2),
    (Consequence.TALK, ["3"], 1),
    (Consequence.FLAG, ["4"], 2),
]


def consequence_rules(department: OrgUnit) -> list[ConsequenceRule]:
    """The department's rules; the standard ones are written down the first time."""
    rules = list(ConsequenceRule.objects.filter(department=department, is_active=True))
    if not rules and not ConsequenceRule.objects.filter(department=department).exists():
        rules = ConsequenceRule.objects.bulk_create([
            ConsequenceRule(department=department, consequence=c, grades=g, years=n)
            for c, g, n in DEFAULT_RULES])
    return rules


def consequence_rule_set(*, by, department: OrgUnit, consequence: str, grades: list[str],
                         years) -> ConsequenceRule:
    """Change (or add) the department's rule for a consequence."""
    errors: dict = {}
    if consequence not in Consequence.values:
        _add(errors, "consequence", _("Unknown consequence."))
    grades = [g for g in grades if g in A15_CODES.values()]
    if not grades:
        _add(errors, "grades", _("Choose at least one grade."))
    try:
        years = int(years)
        if not 1 <= years <= 10:
            raise ValueError
    except (TypeError, ValueError):
        _add(errors, "years", _("Between 1 and 10 consecutive years."))
    if errors:
        raise ValidationError(errors)
    consequence_rules(department)
    with transaction.atomic():
        rule, _created = ConsequenceRule.objects.update_or_create(
            department=department, consequence=consequence,
            defaults={"grades": grades, "years": years, "is_active": True})
        audit_record(actor=by, action="assessment.consequence_rule", obj=rule,
                     after={"grades": grades, "years": years})
    return rule



# ---------------------------------------------------------------- reminders


def score_reminders_send(*, today: dt.date, days_before: int = 2) -> int:
    """Remind everyone who still has to score in plans whose window closes within
    ``days_before`` days; one notice per person and plan per day."""
    sent = 0
    plans = Plan.objects.filter(status=PlanStatus.SCORING, window_start__lte=today,
                                window_end__gte=today,
                                window_end__lte=today + dt.timedelta(days=days_before))
    for plan in plans.select_related("department"):
        groups = set(plan.groups.values_list("group", flat=True))
        due: set[int] = set()
        in_dept = User.objects.filter(subtree_q("person__unit_path", plan.department.path),
                                      person__is_active=True, is_active=True)
        scored = set(Score.objects.filter(assessee__plan=plan).values_list("group", "rater_id"))
        voted = set(Voted.objects.filter(plan=plan).values_list("group", "voter_id"))
        if RaterGroup.SELF in groups:
            due |= {u for u in in_dept.filter(person__in=plan.assessees.values("person"))
                    .values_list("pk", flat=True) if (RaterGroup.SELF, u) not in scored}
        for group in (RaterGroup.PEERS, RaterGroup.DEMOCRATIC):
            if group in groups:
                due |= {u for u in in_dept.values_list("pk", flat=True)
                        if (group, u) not in voted}
        for role, group in LEADER_GROUPS.items():
            if group in groups:
                due |= {u for u in in_dept.filter(roles__role=role).values_list("pk", flat=True)
                        if (group, u) not in scored}
        if due:
            sent += len(notify(
                recipients=User.objects.filter(pk__in=due), kind="assessment.remind",
                title=_("Scoring of “%(plan)s” closes on %(end)s") % {
                    "plan": plan.name, "end": plan.window_end.isoformat()},
                url=reverse("assessment:home"),
                dedupe_key=f"assessment-remind-{plan.pk}-{today.isoformat()}"))
    return sent


def reward_record(*, by, department: OrgUnit, person: Person, year: int) -> RewardPunishment:
    """Record the 嘉奖 that an annual 优秀 earns into the person's A14 (once per year).

    Only a person whom the department's reward rule names for that year qualifies."""
    from .selectors import consequence_hits

    hits = consequence_hits(department=department, year=year, people=Person.objects.filter(
        pk=person.pk), consequence=Consequence.REWARD)
    if person.pk not in hits:
        raise ValidationError({"__all__": [_("%(name)s is not on the list of awards for "
                                             "%(year)s.") % {"name": person.name,
                                                             "year": year}]})
    reason = _("Annual assessment %(year)s: excellent") % {"year": year}
    if RewardPunishment.objects.filter(person=person, kind=RewardPunishment.Kind.REWARD,
                                       reason=reason).exists():
        raise ValidationError({"__all__": [_("The award of %(year)s is already recorded.")
                                           % {"year": year}]})
    return people_services.subrecord_add(by=by, person=person, kind="rewards", data={
        "kind": RewardPunishment.Kind.REWARD, "date": timezone.localdate(),
        "title": _("Commendation (嘉奖)"), "issuer": department.name, "reason": reason})
