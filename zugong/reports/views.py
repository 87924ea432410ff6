"""Pages of reports. Short: scope and figures in selectors, writes in services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zugong.core.forms import apply_errors
from zugong.core.versioning import ConflictError
from zugong.people.access import roles_of
from zugong.people.models import Role

from . import annual, exports, selectors, services
from .access import Cap, has_cap, require_cap
from .forms import FigureForm, TemplateForm
from .models import Figure

# Roles that read a unit's figures on the dashboard; everyone else reads their own.
UNIT_READERS = {Role.HEAD, Role.DEPUTY, Role.SECTION_CHIEF, Role.SUPERVISION,
                Role.ASSESSMENT}


class BadQuery(Exception):
    """A period the page cannot read: shown on the page, with status 400."""


def _span(request):
    try:
        return selectors.span_of(request.GET.get("period"))
    except ValidationError as exc:
        raise BadQuery(" ".join(exc.messages)) from None


def _bad(request, message):
    return render(request, "reports/bad_query.html", {"message": message, "section": ""},
                  status=400)


def _unit_choices(user, unit):
    """The reader's unit, the one shown, its parent and children: the units a select
    offers without listing a whole province."""
    base = selectors.default_unit(user)
    seen, out = set(), []
    for u in [base, *selectors.units_below(user, base), unit,
              *selectors.units_below(user, unit)]:
        if u.pk not in seen:
            seen.add(u.pk)
            out.append(u)
    return out


@login_required
def home_view(request):
    require_cap(request.user, Cap.REPORTS_VIEW)
    return redirect("reports:dashboard")


@login_required
def dashboard_view(request):
    """Leaders: the department; section chiefs: the section; cadres: their own figures.
    Every card, bar and point links to the records behind it."""
    user = request.user
    require_cap(user, Cap.REPORTS_VIEW)
    try:
        span = _span(request)
    except BadQuery as exc:
        return _bad(request, str(exc))
    own = not (roles_of(user) & UNIT_READERS) or request.GET.get("person")
    person = unit = None
    if own:
        person = selectors.person_for_user(user, request.GET.get("person") or
                                           user.person_id or "")
    else:
        unit = selectors.unit_for_user(user, request.GET.get("unit"))
    figures = selectors.catalogue(user=user, headline=True) or selectors.catalogue(user=user)
    values = selectors.figure_values(user=user, span=span, unit=unit, person=person,
                                     figures=figures, compare=True)
    chart = None
    if unit is not None and values:
        chosen = next((f for f in figures if f.key == request.GET.get("figure")), figures[0])
        data = selectors.breakdown(user=user, figure=chosen, unit=unit, span=span)
        by_unit = bool(data.units)
        bars = data.units if by_unit else data.people[:30]
        chart = {
            "figure": chosen, "by_unit": by_unit,
            "data": {
                "title": chosen.label, "unit": chosen.unit,
                "labels": [(r["unit"].name if by_unit else r["person"].name) for r in bars],
                "values": [float(r["value"]) for r in bars],
                "urls": [r["url"] for r in bars],
                "months": [m["label"] for m in data.months],
                "month_values": [float(m["value"]) for m in data.months],
                "month_urls": [m["url"] for m in data.months],
            },
        }
    return render(request, "reports/dashboard.html", {
        "span": span, "unit": unit, "person": person, "values": values, "chart": chart,
        "figures": figures, "section": "dashboard",
        "units": _unit_choices(user, unit) if unit is not None else []})


@login_required
def figures_view(request):
    user = request.user
    try:
        span = _span(request)
    except BadQuery as exc:
        require_cap(user, Cap.REPORTS_VIEW)
        return _bad(request, str(exc))
    unit = selectors.unit_for_user(user, request.GET.get("unit"))
    values = selectors.figure_values(user=user, span=span, unit=unit, compare=True)
    return render(request, "reports/figures.html", {
        "span": span, "unit": unit, "values": values, "section": "figures",
        "units": _unit_choices(user, unit), "query": request.GET.urlencode()})


def _figures_for_export(request):
    span = _span(request)
    unit = selectors.unit_for_user(request.user, request.GET.get("unit"))
    values = selectors.figure_values(user=request.user, span=span, unit=unit, compare=True)
    services.export_logged(by=request.user, what="figures", detail={
        "unit": unit.pk, "period": span.key, "count": len(values)})
    return unit, span, values


@login_required
def figures_export_view(request):
    require_cap(request.user, Cap.REPORTS_VIEW)
    try:
        unit, span, values = _figures_for_export(request)
    except BadQuery as exc:
        return _bad(request, str(exc))
    return exports.figures_xlsx(unit=unit, span=span, values=values)


@login_required
def figures_pdf_view(request):
    require_cap(request.user, Cap.REPORTS_VIEW)
    try:
        unit, span, values = _figures_for_export(request)
    except BadQuery as exc:
        return _bad(request, str(exc))
    return exports.figures_pdf(unit=unit, span=span, values=values,
                               today=timezone.localdate())


@login_required
def figure_detail_view(request, key):
    user = request.user
    figure = selectors.figure_get(user=user, key=key)
    try:
        span = _span(request)
    except BadQuery as exc:
        return _bad(request, str(exc))
    unit = selectors.unit_for_user(user, request.GET.get("unit"))
    data = selectors.breakdown(user=user, figure=figure, unit=unit, span=span)
    value = selectors.figure_values(user=user, span=span, unit=unit, figures=[figure],
                                    compare=True)[0]
    return render(request, "reports/figure_detail.html", {
        "figure": figure, "span": span, "unit": unit, "data": data, "value": value,
        "section": "figures"})


@login_required
def rollup_view(request):
    user = request.user
    require_cap(user, Cap.REPORTS_VIEW)
    try:
        span = _span(request)
    except BadQuery as exc:
        return _bad(request, str(exc))
    choices = selectors.rollup_units(user)
    if request.GET.get("unit"):
        unit = selectors.unit_for_user(user, request.GET["unit"])
    elif choices:
        unit = choices[0]
    else:
        return render(request, "reports/rollup.html", {"span": span, "table": None,
                                                       "choices": [], "section": "rollup"})
    try:
        table = selectors.rollup(user=user, unit=unit, span=span)
    except ValidationError as exc:
        return _bad(request, " ".join(exc.messages))
    return render(request, "reports/rollup.html", {
        "span": span, "unit": unit, "table": table, "choices": choices, "section": "rollup",
        "can_refresh": has_cap(user, Cap.REPORTS_MANAGE)})


@login_required
@require_POST
def rollup_refresh_view(request):
    require_cap(request.user, Cap.REPORTS_MANAGE)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    today = timezone.localdate()
    if not 2000 <= year <= today.year:
        messages.error(request, _("Choose a year between 2000 and this year."))
        return redirect("reports:rollup")
    rows = services.summaries_refresh(by=request.user, year=year)
    messages.success(request, _("The summaries of %(year)s were refreshed (%(rows)s rows).")
                     % {"year": year, "rows": rows})
    unit = request.POST.get("unit", "")
    return redirect(f"/reports/rollup/?period={year}" +
                    (f"&unit={unit}" if unit.isdigit() else ""))


def _annual_context(user, request):
    unit = selectors.unit_for_user(user, request.GET.get("unit"))
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = 0
    if not 2000 <= year <= today.year:
        raise BadQuery(_("Choose a year between 2000 and this year."))
    span = selectors.span_of(str(year))
    template = selectors.template_for(user=user, department=unit)
    values = selectors.figure_values(user=user, span=span, unit=unit, compare=True)
    numbers = {v.key: f"{v.value}" for v in values}
    numbers.update({"unit": unit.name, "year": str(year)})
    return unit, year, template, values, numbers


@login_required
def annual_view(request):
    user = request.user
    require_cap(user, Cap.REPORTS_VIEW)
    try:
        unit, year, template, values, numbers = _annual_context(user, request)
    except BadQuery as exc:
        return _bad(request, str(exc))
    opening, parts = annual.sections(template.body, numbers)
    form = TemplateForm(initial={"title": template.title, "body": template.body,
                                 "version": template.version})
    return render(request, "reports/annual.html", {
        "unit": unit, "year": year, "title": annual.fill(template.title, numbers),
        "opening": opening, "parts": parts, "form": form, "section": "annual",
        "can_edit": has_cap(user, Cap.REPORTS_MANAGE), "units": _unit_choices(user, unit),
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1)})


@login_required
def annual_docx_view(request):
    user = request.user
    require_cap(user, Cap.REPORTS_VIEW)
    try:
        unit, year, template, values, numbers = _annual_context(user, request)
    except BadQuery as exc:
        return _bad(request, str(exc))
    table = [(v.label, v.value, v.unit, v.previous) for v in values]
    data = annual.annual_docx(title=annual.fill(template.title, numbers), body=template.body,
                              values=numbers, table=table)
    services.export_logged(by=user, what="annual", detail={"unit": unit.pk, "year": year})
    response = HttpResponse(data, content_type=exports.DOCX)
    response["Content-Disposition"] = exports.attachment(f"{unit.name}{year}年度工作报告.docx")
    return response


@login_required
@require_POST
def annual_template_view(request):
    user = request.user
    require_cap(user, Cap.REPORTS_MANAGE)
    unit = selectors.unit_for_user(user, request.GET.get("unit") or request.POST.get("unit"))
    form = TemplateForm(request.POST)
    if form.is_valid():
        try:
            services.template_save(by=user, department=unit,
                                   version=form.cleaned_data["version"],
                                   title=form.cleaned_data["title"],
                                   body=form.cleaned_data["body"])
        except ConflictError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The template was saved."))
            return redirect(f"/reports/annual/?unit={unit.pk}")
    return render(request, "reports/template_form.html", {
        "form": form, "unit": unit, "section": "annual"}, status=400)


@login_required
def catalogue_view(request):
    figures = selectors.catalogue(user=request.user)
    return render(request, "reports/catalogue.html", {
        "figures": figures, "section": "catalogue",
        "can_edit": has_cap(request.user, Cap.REPORTS_MANAGE)})


def _figure_data(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    data["audience"] = data.get("audience") or ""
    return data


@login_required
def figure_add_view(request):
    require_cap(request.user, Cap.REPORTS_MANAGE)
    form = FigureForm(request.POST or None, initial={"aggregation": "sum", "rollup": "sum",
                                                     "position": 10000})
    if request.method == "POST" and form.is_valid():
        try:
            services.figure_create(by=request.user, data=_figure_data(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The figure was added."))
            return redirect("reports:catalogue")
    return render(request, "reports/figure_form.html", {"form": form, "section": "catalogue"},
                  status=400 if form.errors else 200)


@login_required
def figure_edit_view(request, pk):
    require_cap(request.user, Cap.REPORTS_MANAGE)
    figure = get_object_or_404(Figure, pk=pk)
    initial = {f: getattr(figure, f) for f in ("key", *services.FIGURE_FIELDS, "version")}
    form = FigureForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.figure_update(by=request.user, figure=figure,
                                   version=form.cleaned_data["version"],
                                   data=_figure_data(form))
        except ConflictError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The figure was saved."))
            return redirect("reports:catalogue")
    return render(request, "reports/figure_form.html", {
        "form": form, "figure": figure, "section": "catalogue"},
        status=400 if form.errors else 200)
