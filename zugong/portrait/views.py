"""Pages of the portrait. Short: scope in selectors, the formula in score.py, rule edits in
services."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zugong.core.forms import apply_errors
from zugong.core.paging import page_for
from zugong.core.versioning import ConflictError
from zugong.people.models import PersonCategory

from . import pdf, selectors, services
from .access import Cap, department_get_for_user, has_cap, may_edit_defaults, require_cap
from .forms import RuleForm, TypeForm
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
    typeset = selectors.typeset_in_force(dept)
    figures = selectors.department_figures(user=request.user, department=dept, year=year,
                                           ruleset=typeset)
    return render(request, "portrait/department.html", {
        "department": dept, "figures": figures, "year": year, "years": _years(),
        "in_force": selectors.ruleset_label(typeset.owner),
        "can_rules": has_cap(request.user, Cap.PORTRAIT_RULES), "section": "department"})


# ---------------------------------------------------------------- rule sets
# Every rule page is about one set: a department's (``dept`` in the URL, 404 outside the
# user's departments) or the installation's defaults (``dept`` None: read by every holder
# of portrait.rules, changed only by the top department, 403 for the others).


def _ruleset(request, dept, *, write=False):
    if dept is None:
        return selectors.default_ruleset_for_user(request.user, write=write)
    return selectors.ruleset_for_user(request.user, dept)


def _typeset(request, dept, *, write=False):
    if dept is None:
        return selectors.default_ruleset_for_user(request.user, write=write)
    return selectors.typeset_for_user(request.user, dept)


# The defaults' own URL names of the department pages.
DEFAULT_PAGES = {"ruleset": "rules_default", "rule_add": "default_rule_add",
                 "rule_edit": "default_rule_edit", "typeset": "types_default",
                 "type_edit": "default_type_edit"}


def _set_page(name, ruleset, *args):
    """The URL of a set's page (``name``) or of one of its rows."""
    if ruleset.department is None:
        return reverse(f"portrait:{DEFAULT_PAGES[name]}", args=args)
    return reverse(f"portrait:{name}", args=(ruleset.department.pk, *args))


def _set_context(request, ruleset, section):
    department = ruleset.department
    page = "ruleset" if section == "rules" else "typeset"
    current = department.pk if department else None
    switch = [(pgettext("portrait", "the default"),
               reverse(f"portrait:{DEFAULT_PAGES[page]}"), current is None)]
    switch += [(d.name, reverse(f"portrait:{page}", args=[d.pk]), d.pk == current)
               for d in selectors.rule_departments(request.user)]
    return {
        "ruleset": ruleset, "department": department, "section": section,
        "in_force": selectors.ruleset_label(ruleset.owner), "switch": switch,
        "reset_url": reverse(f"portrait:{page}_reset", args=[current])
        if department else "",
        # Defaults are changed by the top department only; a department's set by its own.
        "can_edit": department is not None or may_edit_defaults(request.user),
    }


@login_required
def rules_view(request):
    """The rules of the user's own department (or the first they may open)."""
    dept = department_get_for_user(request.user, None, Cap.PORTRAIT_RULES)
    return redirect("portrait:ruleset", dept.pk)


@login_required
def ruleset_view(request, dept=None):
    ruleset = _ruleset(request, dept)
    rules = selectors.rules_of(ruleset)
    groups = []
    for key, label in Dimension.choices:
        mine = [r for r in rules if r.dimension == key]
        groups.append({"label": label, "rules": [
            (r, *selectors.source_label(r.source), selectors.source_known(r.source),
             _set_page("rule_edit", ruleset, r.pk)) for r in mine]})
    return render(request, "portrait/rules.html", {
        **_set_context(request, ruleset, "rules"), "groups": groups,
        "add_url": _set_page("rule_add", ruleset)})


def _rule_page(request, form, ruleset, rule=None):
    return render(request, "portrait/rule_form.html", {
        **_set_context(request, ruleset, "rules"), "form": form, "rule": rule,
        "back": _set_page("ruleset", ruleset)}, status=400 if form.errors else 200)


@login_required
def rule_add_view(request, dept=None):
    ruleset = _ruleset(request, dept, write=True)
    form = RuleForm(request.POST or None, initial={"active": True, "absent_is_zero": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_create(by=request.user, department=ruleset.department,
                                 **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Rule saved."))
            return redirect(_set_page("ruleset", ruleset))
    return _rule_page(request, form, ruleset)


@login_required
def rule_edit_view(request, pk, dept=None):
    ruleset = _ruleset(request, dept, write=True)
    rule = selectors.rule_get_for_user(request.user, pk, ruleset)
    initial = {name: getattr(rule, name) for name in services.RULE_FIELDS}
    form = RuleForm(request.POST or None, initial=initial, extra_sources=[rule.source])
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_update(by=request.user, rule=rule, department=ruleset.department,
                                 version=request.POST.get("version"), **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Rule saved."))
            return redirect(_set_page("ruleset", ruleset))
    return _rule_page(request, form, ruleset, rule)


@login_required
@require_POST
def ruleset_reset_view(request, dept):
    ruleset = _ruleset(request, dept)
    if services.ruleset_reset(by=request.user, department=ruleset.department):
        messages.success(request, _("The department's own rules were removed; the rules "
                                    "above it are in force again."))
    else:
        messages.info(request, _("The department has no rules of its own."))
    return redirect("portrait:ruleset", ruleset.department.pk)


# ---------------------------------------------------------------- 五型机关 mapping


@login_required
def types_view(request):
    dept = department_get_for_user(request.user, None, Cap.PORTRAIT_RULES)
    return redirect("portrait:typeset", dept.pk)


@login_required
def typeset_view(request, dept=None):
    ruleset = _typeset(request, dept)
    rows = [(r, selectors.metric_labels(r.metric_keys), _set_page("type_edit", ruleset, r.kind))
            for r in selectors.type_rules_of(ruleset)]
    return render(request, "portrait/types.html", {
        **_set_context(request, ruleset, "types"), "rows": rows})


@login_required
def type_edit_view(request, kind, dept=None):
    ruleset = _typeset(request, dept, write=True)
    rule = selectors.type_rule_get_for_user(request.user, kind, ruleset)
    form = TypeForm(request.POST or None, initial={"metric_keys": rule.metric_keys})
    if request.method == "POST" and form.is_valid():
        try:
            services.type_rule_update(by=request.user, rule=rule,
                                      department=ruleset.department,
                                      version=request.POST.get("version"),
                                      metric_keys=form.cleaned_data["metric_keys"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Figures saved."))
            return redirect(_set_page("typeset", ruleset))
    return render(request, "portrait/type_form.html", {
        **_set_context(request, ruleset, "types"), "form": form, "rule": rule,
        "back": _set_page("typeset", ruleset)}, status=400 if form.errors else 200)


@login_required
@require_POST
def typeset_reset_view(request, dept):
    ruleset = _typeset(request, dept)
    if services.typeset_reset(by=request.user, department=ruleset.department):
        messages.success(request, _("The department's own figures were removed; the "
                                    "mapping above it is in force again."))
    else:
        messages.info(request, _("The department has no figures of its own."))
    return redirect("portrait:typeset", ruleset.department.pk)


@login_required
def person_tab_view(request, pk):
    """The portrait tab of a person's page: this year's scores and their sources."""
    person = selectors.person_for_portrait(user=request.user, pk=pk)
    portrait = selectors.portrait(user=request.user, person=person,
                                  year=timezone.localdate().year)
    return render(request, "portrait/_person_tab.html", {
        "p": portrait, "can_rules": has_cap(request.user, Cap.PORTRAIT_RULES)})
