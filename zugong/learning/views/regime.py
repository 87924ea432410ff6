"""Pages of compliance and of the department's regime."""

import datetime as dt
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zugong.core.forms import apply_errors
from zugong.core.jobs import JobFailed, run_export
from zugong.core.paging import keyset_page, page_for
from zugong.core.periods import Period, PeriodKind
from zugong.core.versioning import ConflictError
from zugong.people.access import has_cap

from .. import compliance, exports, selectors, services
from ..access import Cap, can_manage_regime
from ..compliance import SEVERITY, Status
from ..forms import (
    CalendarDayForm,
    ExemptionForm,
    RegimeCreateForm,
    RegimeSettingsForm,
    RuleChangeForm,
    RuleForm,
    RuleRetireForm,
)
from ..metrics import covering_periods
from ..templatetags.learning import number, status_css, status_label
from .common import _departments, _dept

# ---------------------------------------------------------------- compliance


def _year(request) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year + 1 else today.year


WINDOW_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)


def _window(request) -> Period:
    """The period the summary judges: ``?window=2026-11`` (a month, quarter or year), else
    the current month of ``?year`` (this month when the year is this year): a department
    opens the page to see this month, not the year to date."""
    today = timezone.localdate()
    try:
        window = Period.parse(request.GET.get("window", ""))
    except ValueError:
        window = None
    if window is None:
        window = _span_window(request)
    raw_year = request.GET.get("year", "")
    if window is None or window.kind not in WINDOW_KINDS or not (
            2000 <= window.start.year <= today.year + 1) or (
            raw_year and raw_year != str(window.start.year)):
        year = _year(request)
        day = today if year == today.year else dt.date(year, 12, 31)
        window = Period.containing(PeriodKind.MONTH, day)
    return window


def _span_window(request) -> Period | None:
    """A figure's link gives ``?start=&end=``: the month, quarter or year they span."""
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
        end = dt.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        return None
    periods = covering_periods(start, end) if start <= end else []
    if len(periods) == 1 and periods[0].start == start and periods[0].end == end:
        return periods[0]
    return None


def _department_and_unit(request):
    """The department of the page and the unit it is narrowed to. ``?unit=`` may name any
    unit in the user's learning scope (404 otherwise): without ``?dept=`` the page is about
    the unit's department; a unit outside the department is 404; the department itself is
    no narrowing."""
    unit = selectors.filter_unit(user=request.user, pk=request.GET.get("unit", ""))
    dept_pk = request.GET.get("dept") or (
        (unit.department_id or unit.pk) if unit is not None else None)
    dept = _dept(request, dept_pk)
    if unit is not None and not unit.path.startswith(dept.path):
        raise Http404
    return dept, (None if unit is not None and unit.pk == dept.pk else unit)


def _before_start(regime, period: Period) -> bool:
    """A period that ended before the regime began judges nobody: shown blank, not 0/0."""
    return bool(regime.valid_from) and period.end < regime.valid_from


@login_required
def compliance_view(request):
    dept, unit = _department_and_unit(request)
    window = _window(request)
    year = window.start.year
    # The regime that governed the year (to date); the regimes of earlier months of the
    # year, when it changed, can be chosen: a new regime does not erase the old one.
    whole = Period.parse(str(year))
    governed = selectors.regimes_overlapping(dept, whole.start, whole.end)
    regime = next((r for r in governed if str(r.pk) == request.GET.get("regime")), None) \
        or selectors.regime_for_window(dept, whole)
    today = timezone.localdate()
    choices = [Period.containing(kind, today if year == today.year else whole.end)
               for kind in WINDOW_KINDS]
    sections = list(selectors.sections_to_filter(user=request.user, department=dept))
    context = {"dept": dept, "regime": regime, "year": year, "regimes": governed,
               "window": window, "window_choices": choices,
               "departments": _departments(request),
               # A unit that is no section (a figure's link) is offered beside them.
               "sections": sections if unit is None or unit in sections else [unit, *sections],
               "unit": unit, "unit_clear": f"?dept={dept.pk}&window={window.key}",
               "years": range(today.year, today.year - 5, -1)}
    if regime is None:
        context["rollup"] = selectors.subtree_rollup(user=request.user, department=dept,
                                                     window=window)
        return render(request, "learning/compliance.html", context)
    months = whole.children(PeriodKind.MONTH)
    windows = [*months, whole] + ([window] if window.kind == PeriodKind.QUARTER else [])
    result = selectors.department_compliance(user=request.user, regime=regime,
                                             windows=windows, unit=unit)
    series = result.series
    chosen = next((s for s in series if str(s.number) == request.GET.get("rule")),
                  series[0] if series else None)
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    if chosen:
        context.update(_matrix(result, chosen, regime, months, window=window, status=status))
    blank = _before_start(regime, window)
    context.update({"result": result, "series": series, "chosen": chosen,
                    "status": status, "status_label": Status(status).label if status else "",
                    "statuses": [(s, Status(s).label) for s in SEVERITY],
                    "summary": [(s, None if blank else result.summary(s.number, window))
                                for s in series],
                    "chart": _chart(result, series, months, regime)})
    return render(request, "learning/compliance.html", context)


class _MatrixCell(NamedTuple):
    """What the template shows of one cell, worked out in Python: a county's matrix has
    hundreds of cells, and each filter the template resolves, and each link encoded
    whole, costs several times the same work done once here."""

    css: str
    status: str
    url: str
    title: str
    text: str


def _matrix(result, series, regime, months, *, window, status="") -> dict:
    """People × the rule's periods of the year (months, quarters or the year); with
    ``status``, only the people whose cell of ``window`` has it (the summary's links)."""
    kind = series.period if series.period in (PeriodKind.QUARTER, PeriodKind.HALF,
                                              PeriodKind.YEAR) else PeriodKind.MONTH
    columns = months if kind == PeriodKind.MONTH else [
        m for m in months if m.start == Period.containing(kind, m.start).start]
    periods = [Period.containing(kind, m.start) for m in columns]
    shown = [not _before_start(regime, p) for p in periods]
    rows = []
    # The cells looked up by key: a county's 840 people × 12 columns are 10,000 lookups,
    # most of them of people the rule does not hold (``Result.cell`` is the same lookup).
    get, number = result.cells.get, series.number
    keys = [m.key if show else None for m, show in zip(columns, shown, strict=True)]
    for subject in result.subjects:
        if status:
            cell = get((subject.pk, number, window.key))
            if cell is None or cell.status != status:
                continue
        cells = [get((subject.pk, number, key)) if key else None for key in keys]
        if any(cells):
            # The records behind each figure: the person's part of the link once a row.
            records = compliance.person_records_url(series.metric.key, subject.pk)
            rows.append((subject, [_matrix_cell(c, records) if c else None for c in cells]))
    today = timezone.localdate()
    return {"matrix_rows": rows, "matrix_labels": [p.label for p in periods],
            # One address reversed for the page; the template appends each person's id.
            "person_url": reverse("people:detail", args=[0]).removesuffix("0/"),
            "matrix_current": next((i for i, p in enumerate(periods) if today in p), None)}


def _matrix_cell(cell, records: str) -> _MatrixCell:
    return _MatrixCell(f"table-{status_css(cell.status)}", cell.status,
                       compliance.cell_url(records, cell.window),
                       status_label(cell.status), f"{number(cell.actual)}/{number(cell.target)}")


def _chart(result, series, months, regime) -> dict:
    """Share of people meeting each rule per month, for the department chart (months
    that have not begun, or ended before the regime began, have no figure, rather than a
    misleading 0 % or 100 %)."""
    today = timezone.localdate()
    return {
        "months": [m.label for m in months],
        "series": [{"name": f"{s.number}. {s.metric.label}",
                    "data": [result.summary(s.number, m)["met_rate"]
                             if m.start <= today and not _before_start(regime, m)
                             else None for m in months]}
                   for s in series],
    }


@login_required
def compliance_export_view(request):
    try:
        _department, _window, regime = exports.compliance_inputs(request.user, request.GET)
    except JobFailed as exc:
        messages.error(request, str(exc))
        return redirect("learning:compliance")
    unit = selectors.filter_unit(user=request.user, pk=request.GET.get("unit", ""))
    count = selectors.compliance_people(user=request.user, regime=regime, unit=unit).count()
    return run_export(request, name="learning.compliance_export",
                      builder="zugong.learning.exports.compliance_export", count=count,
                      title=_("Compliance export"))


# ---------------------------------------------------------------- regime


def _regime_context(request, dept, regime, *, page=None, **forms):
    sections = selectors.section_choices(dept)
    people = selectors.compliance_people(user=request.user, regime=regime) if regime else []
    exemption = forms.get("exemption_form") or ExemptionForm()
    exemption.fields["person"].queryset = people if regime else selectors.no_people()
    if page is None and regime is not None:
        # A form that failed shows the first page of exemptions.
        page = keyset_page(selectors.exemption_list(regime=regime), order=("-id",),
                           cursor=None, limit=50)
    exemption.fields["series"].choices = [("", _("all rules"))] + (
        [(s, s) for s in sorted({r.series for r in regime.rules.all()})] if regime else [])
    return {
        "dept": dept, "regime": regime, "departments": _departments(request),
        "can_manage": can_manage_regime(request.user, dept),
        "rules": list(regime.rules.prefetch_related("sections").order_by("series", "valid_from"))
        if regime else [],
        "exemptions": page.items if page else [], "page": page,
        "create_form": forms.get("create_form") or RegimeCreateForm(
            initial={"valid_from": timezone.localdate().replace(day=1)}),
        "rule_form": forms.get("rule_form") or RuleForm(
            sections=sections, initial={"valid_from": timezone.localdate(), "period": "month",
                                        "categories": ["org_cadre"]}),
        "settings_form": forms.get("settings_form") or (RegimeSettingsForm(initial={
            "version": regime.version, "count_unconfirmed": regime.count_unconfirmed,
            "remind_days": regime.remind_days, "copy_threshold": regime.copy_threshold})
            if regime else None),
        "exemption_form": exemption,
        "change_form": RuleChangeForm(initial={"effective": timezone.localdate()}),
        "retire_form": RuleRetireForm(initial={"last_day": timezone.localdate()}),
    }


@login_required
def regime_view(request):
    dept = _dept(request, request.GET.get("dept"))
    regime = selectors.regime_of(dept)
    page = None
    if regime is not None:
        page = page_for(request, selectors.exemption_list(regime=regime), order=("-id",))
    return render(request, "learning/regime.html",
                  _regime_context(request, dept, regime, page=page))


def _managed_dept(request):
    dept = _dept(request, request.POST.get("dept") or request.GET.get("dept"))
    if not can_manage_regime(request.user, dept):
        raise PermissionDenied
    return dept


def _regime_redirect(dept):
    return redirect(f"{reverse('learning:regime')}?dept={dept.pk}")


def _regime_form_failed(request, dept, regime, **forms):
    return render(request, "learning/regime.html",
                  _regime_context(request, dept, regime, **forms), status=422)


@login_required
@require_POST
def regime_create_view(request):
    dept = _managed_dept(request)
    form = RegimeCreateForm(request.POST)
    if form.is_valid():
        try:
            services.regime_create(by=request.user, department=dept, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The regime is in force."))
            return _regime_redirect(dept)
    return _regime_form_failed(request, dept, selectors.regime_of(dept), create_form=form)


def _active_regime(dept):
    regime = selectors.regime_of(dept)
    if regime is None:
        raise PermissionDenied
    return regime


@login_required
@require_POST
def rule_add_view(request):
    dept = _managed_dept(request)
    regime = _active_regime(dept)
    form = RuleForm(request.POST, sections=selectors.section_choices(dept))
    if form.is_valid():
        try:
            services.rule_add(by=request.user, regime=regime, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The rule was added."))
            return _regime_redirect(dept)
    return _regime_form_failed(request, dept, regime, rule_form=form)


def _rule(pk, dept):
    regime = _active_regime(dept)
    rule = regime.rules.filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule


def _rule_action(request, pk, form_class, service, done: str, incomplete: str):
    """Change or retire the version of a rule in force: form → service → message."""
    dept = _managed_dept(request)
    rule = _rule(pk, dept)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, incomplete)
    else:
        try:
            service(by=request.user, rule=rule, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
    return _regime_redirect(dept)


@login_required
@require_POST
def rule_change_view(request, pk):
    return _rule_action(request, pk, RuleChangeForm, services.rule_change,
                        _("The rule was changed; earlier periods keep the old threshold."),
                        _("Give the date and the new threshold."))


@login_required
@require_POST
def rule_retire_view(request, pk):
    return _rule_action(request, pk, RuleRetireForm, services.rule_retire,
                        _("The rule was retired."),
                        _("Give the last day the rule is in force."))


@login_required
@require_POST
def regime_settings_view(request):
    dept = _managed_dept(request)
    regime = _active_regime(dept)
    form = RegimeSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.regime_settings(by=request.user, regime=regime, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return _regime_redirect(dept)
    return _regime_form_failed(request, dept, regime, settings_form=form)


@login_required
@require_POST
def exemption_add_view(request):
    dept = _managed_dept(request)
    regime = _active_regime(dept)
    form = ExemptionForm(request.POST)
    form.fields["person"].queryset = selectors.compliance_people(user=request.user,
                                                                 regime=regime)
    form.fields["series"].choices = [("", "")] + [
        (s, s) for s in sorted({r.series for r in regime.rules.all()})]
    if form.is_valid():
        try:
            services.exemption_add(by=request.user, regime=regime, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The exemption was recorded."))
            return _regime_redirect(dept)
    return _regime_form_failed(request, dept, regime, exemption_form=form)


@login_required
def calendar_view(request):
    """The editable calendar of holidays and adjusted working days, for the years the
    official-calendar package does not cover (regime managers only)."""
    if not has_cap(request.user, Cap.REGIME_MANAGE):
        raise PermissionDenied
    from ..workdays import package_years

    form = CalendarDayForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.calendar_day_set(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("learning:calendar")
        status = 422
    page = page_for(request, selectors.calendar_days(), order=("-day",))
    years = package_years()
    return render(request, "learning/calendar.html", {
        "form": form, "page": page, "entries": page.items,
        "first_year": years.start if years else None,
        "last_year": years.stop - 1 if years else None}, status=status)
