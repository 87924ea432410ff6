"""Pages of the portrait. Short: scope in selectors, the formula in score.py, rule edits in
services."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.forms import apply_errors
from zugong.core.paging import page_for
from zugong.core.versioning import ConflictError
from zugong.people.models import PersonCategory

from . import pdf, selectors, services
from .access import Cap, department_get_for_user, has_cap, require_cap
from .forms import RuleForm
from .models import Dimension
from .selectors import PERSON_ORDER, PersonFilters


def _year(request) -> int:
    """The year asked for; a bad or far-off value falls back to this year."""
    today = timezone.localdate()
    raw = request.GET.get("year") or ""
    year = int(raw) if raw.isdigit() else today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def _years():
    today = timezone.localdate()
    return range(today.year, today.year - 6, -1)


@login_required
def home_view(request):
    require_cap(request.user, Cap.PORTRAIT_VIEW)
    return redirect("portrait:people")


@login_required
def people_view(request):
    filters = PersonFilters(category=request.GET.get("category", ""),
                            q=request.GET.get("q", "").strip()[:50])
    page = page_for(request, selectors.person_list(user=request.user, filters=filters),
                    order=PERSON_ORDER)
    params = {k: v for k, v in request.GET.items() if k in ("category", "q")}
    return render(request, "portrait/people.html", {
        "rows": page.items, "page": page, "filters": filters, "params": params,
        "categories": PersonCategory.choices, "section": "people"})


@login_required
def person_view(request, pk):
    person = selectors.person_for_portrait(user=request.user, pk=pk)
    year = _year(request)
    portrait = selectors.portrait(user=request.user, person=person, year=year)
    return render(request, "portrait/person.html", {
        "p": portrait, "chart": portrait.chart(), "years": _years(), "section": "people"})


@login_required
def person_pdf_view(request, pk):
    person = selectors.person_for_portrait(user=request.user, pk=pk)
    year = _year(request)
    data = pdf.portrait_pdf(selectors.portrait(user=request.user, person=person, year=year))
    services.print_logged(by=request.user, person=person, year=year)
    response = HttpResponse(data, content_type="application/pdf")
    name = quote(f"{person.name}-政治素质画像-{year}.pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{name}"
    return response


@login_required
def compare_view(request):
    people = selectors.people_for_compare(user=request.user, ids=request.GET.getlist("people"))
    year = _year(request)
    portraits = selectors.portraits(user=request.user, people=people, year=year) \
        if people else []
    chart = {"dimensions": [str(label) for _k, label in Dimension.choices],
             "people": [{"name": p.person.name, "scores": p.chart()["scores"]}
                        for p in portraits]}
    rows = [(label, [(p.person.name, p.dimensions[i]) for p in portraits])
            for i, (_k, label) in enumerate(Dimension.choices)]
    return render(request, "portrait/compare.html", {
        "portraits": portraits, "rows": rows, "chart": chart, "year": year,
        "years": _years(), "max": selectors.COMPARE_MAX, "section": "compare"})


@login_required
def department_view(request):
    dept = department_get_for_user(request.user, request.GET.get("department"),
                                   Cap.PORTRAIT_VIEW)
    year = _year(request)
    figures = selectors.department_figures(user=request.user, department=dept, year=year)
    return render(request, "portrait/department.html", {
        "department": dept, "figures": figures, "year": year, "years": _years(),
        "section": "department"})


@login_required
def rules_view(request):
    require_cap(request.user, Cap.PORTRAIT_RULES)
    rules = selectors.rule_list()
    groups = []
    for key, label in Dimension.choices:
        mine = [r for r in rules if r.dimension == key]
        groups.append({"label": label, "rules": [
            (r, *selectors.source_label(r.source), selectors.source_known(r.source))
            for r in mine]})
    return render(request, "portrait/rules.html", {"groups": groups, "section": "rules"})


def _rule_page(request, form, rule=None):
    return render(request, "portrait/rule_form.html", {"form": form, "rule": rule,
                                                       "section": "rules"},
                  status=400 if form.errors else 200)


@login_required
def rule_add_view(request):
    require_cap(request.user, Cap.PORTRAIT_RULES)
    form = RuleForm(request.POST or None, initial={"active": True, "absent_is_zero": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Rule saved."))
            return redirect("portrait:rules")
    return _rule_page(request, form)


@login_required
def rule_edit_view(request, pk):
    rule = selectors.rule_get_for_user(request.user, pk)
    initial = {name: getattr(rule, name) for name in services.RULE_FIELDS}
    form = RuleForm(request.POST or None, initial=initial, extra_sources=[rule.source])
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_update(by=request.user, rule=rule,
                                 version=request.POST.get("version"), **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Rule saved."))
            return redirect("portrait:rules")
    return _rule_page(request, form, rule)


@login_required
def person_tab_view(request, pk):
    """The portrait tab of a person's page: this year's scores and their sources."""
    person = selectors.person_for_portrait(user=request.user, pk=pk)
    portrait = selectors.portrait(user=request.user, person=person,
                                  year=timezone.localdate().year)
    return render(request, "portrait/_person_tab.html", {
        "p": portrait, "can_rules": has_cap(request.user, Cap.PORTRAIT_RULES)})
