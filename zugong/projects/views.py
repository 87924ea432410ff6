"""Pages of innovation projects. Short: scope in selectors, rules in services."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zugong.core.forms import apply_errors
from zugong.core.paging import page_for
from zugong.core.versioning import ConflictError

from . import exports, selectors, services
from .access import (
    Cap,
    department_of,
    has_cap,
    in_scope,
    may_adopt,
    may_classify,
    may_follow_up,
    may_review_idea,
    require_cap,
)
from .forms import (
    AdoptionForm,
    ClassifyForm,
    DeclareForm,
    FinishForm,
    FollowUpForm,
    FundForm,
    IdeaForm,
    ReviewForm,
    RuleForm,
)
from .models import AdoptionLevel, Category, IdeaKind, IdeaStatus, ProjectStatus, RuleKind
from .selectors import ORDER, Filters

LIST_PARAMS = ("status", "category", "year", "unit", "start", "end", "awarded")
IDEA_PARAMS = ("kind", "status", "unit", "start", "end")
ADOPTION_PARAMS = ("level", "unit", "start", "end")


def _filters(params) -> Filters:
    try:
        year = int(params.get("year") or 0) or None
    except ValueError:
        year = None
    return Filters(status=params.get("status", ""), category=params.get("category", ""),
                   year=year, unit=params.get("unit", ""),
                   start=selectors.parse_day(params.get("start")),
                   end=selectors.parse_day(params.get("end")),
                   awarded=params.get("awarded") == "1")


def _kept(request, names) -> dict:
    """The filters that survive into the export link and the filter form."""
    return {k: v for k, v in request.GET.items() if k in names and v}


def _unit(request) -> dict:
    """The page's ``?unit=`` filter (a figure's link to its records): the unit, 404 when
    out of scope or missing, and the address that clears it."""
    unit = selectors.unit_of_filter(request.user, request.GET.get("unit", ""))
    rest = {k: v for k, v in request.GET.items() if k not in ("unit", "cursor")}
    return {"unit": unit, "unit_clear": "?" + urlencode(rest) if unit else ""}


@login_required
def list_view(request):
    filters = _filters(request.GET)
    page = page_for(request, selectors.project_list(user=request.user, filters=filters),
                    order=ORDER)
    return render(request, "projects/list.html", {
        "rows": page.items, "page": page, "filters": filters,
        "params": _kept(request, LIST_PARAMS), "statuses": ProjectStatus.choices,
        "categories": Category.choices, "section": "list", **_unit(request)})


@login_required
def export_view(request):
    return exports.projects_xlsx(user=request.user, qs=selectors.project_list(
        user=request.user, filters=_filters(request.GET)))


@login_required
def declare_view(request):
    require_cap(request.user, Cap.PROJECTS_VIEW)
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    units = selectors.declaring_units(department_of(person))
    form = DeclareForm(request.POST or None, units=units, initial={
        "on": timezone.localdate(), "unit": person.unit_id})
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_declare(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Project declared."))
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/declare.html", {"form": form, "section": "list"},
                  status=400 if form.errors else 200)


def _detail(request, project, status=200, **forms):
    user = request.user
    today = timezone.localdate()
    classify = may_classify(user, project)
    ctx = {"p": project, "followups": selectors.followups_of(project), "section": "list"}
    if classify and project.status == ProjectStatus.DECLARED:
        ctx["classify_form"] = forms.get("classify") or ClassifyForm(
            sections=selectors.sections_of(project.department),
            initial={"version": project.version, "on": today})
    if classify and project.status != ProjectStatus.FINISHED:
        ctx["fund_form"] = forms.get("fund") or FundForm(initial={
            "version": project.version, "funding": project.funding})
    if classify and project.status == ProjectStatus.UNDER_WAY:
        ctx["finish_form"] = forms.get("finish") or FinishForm(initial={
            "version": project.version, "finished_on": today})
    if project.status == ProjectStatus.UNDER_WAY and may_follow_up(user, project):
        ctx["followup_form"] = forms.get("followup") or FollowUpForm(initial={"on": today})
    return render(request, "projects/detail.html", ctx, status=status)


@login_required
def detail_view(request, pk):
    return _detail(request, selectors.project_get_for_user(request.user, pk))


def _write(request, pk, form_cls, call, slot, done, form_kwargs=None):
    project = selectors.project_get_for_user(request.user, pk, write=True)
    form = form_cls(request.POST, **(form_kwargs(project) if form_kwargs else {}))
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            call(project, version, data)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("projects:detail", pk=project.pk)
    return _detail(request, project, status=400, **{slot: form})


@login_required
@require_POST
def classify_view(request, pk):
    return _write(request, pk, ClassifyForm,
                  lambda p, v, d: services.project_classify(by=request.user, project=p,
                                                            version=v, **d),
                  "classify", _("Project classified."),
                  form_kwargs=lambda p: {"sections": selectors.sections_of(p.department)})


@login_required
@require_POST
def fund_view(request, pk):
    return _write(request, pk, FundForm,
                  lambda p, v, d: services.project_fund(by=request.user, project=p,
                                                        version=v, **d),
                  "fund", _("Funding saved."))


@login_required
@require_POST
def finish_view(request, pk):
    return _write(request, pk, FinishForm,
                  lambda p, v, d: services.project_finish(by=request.user, project=p,
                                                          version=v, **d),
                  "finish", _("Results recorded."))


@login_required
@require_POST
def followup_view(request, pk):
    project = selectors.project_get_for_user(request.user, pk)
    if not may_follow_up(request.user, project):
        raise PermissionDenied
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.followup_record(by=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect("projects:detail", pk=project.pk)
    return _detail(request, project, status=400, followup=form)


def _year(request) -> int:
    """The year asked for; a figure's link gives ``start`` instead."""
    today = timezone.localdate()
    start = selectors.parse_day(request.GET.get("start"))
    try:
        year = int(request.GET.get("year") or (start.year if start else today.year))
    except ValueError:
        year = today.year
    return min(max(year, 2000), today.year)


@login_required
def coverage_view(request):
    today = timezone.localdate()
    year = _year(request)
    as_of = today if year == today.year else dt.date(year + 1, 1, 1)
    return render(request, "projects/coverage.html", {
        **selectors.coverage_page(user=request.user, year=year, as_of=as_of,
                                  unit=request.GET.get("unit", "")),
        **_unit(request), "year": year, "years": range(today.year, today.year - 5, -1),
        "as_of": as_of, "section": "coverage"})


@login_required
def rules_view(request):
    require_cap(request.user, Cap.PROJECTS_VIEW)
    department = selectors.department_for(user=request.user)
    can_set = in_scope(request.user, Cap.PROJECTS_RULES, department)
    form = None
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied
        form = RuleForm(request.POST)
        kind = request.POST.get("kind", "")
        if form.is_valid() and kind in RuleKind.values:
            try:
                services.rule_set(by=request.user, department=department, kind=kind,
                                  minimum=form.cleaned_data["minimum"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Rule saved."))
                return redirect("projects:rules")
        elif kind not in RuleKind.values:
            form.add_error(None, _("Choose the rule."))
    return render(request, "projects/rules.html", {
        "department": department, "rules": selectors.rule_rows(department),
        "can_set": can_set, "form": form, "section": "rules"},
        status=400 if form is not None and form.errors else 200)


# ---------------------------------------------------------------- ideas


def _idea_filters(request) -> dict:
    params = request.GET
    return {"kind": params.get("kind", ""), "status": params.get("status", ""),
            "unit": params.get("unit", ""), "start": selectors.parse_day(params.get("start")),
            "end": selectors.parse_day(params.get("end"))}


@login_required
def ideas_view(request):
    """The department's ideas and information items, and a cadre's form to submit one (a
    好信息 chosen among the cadre's information items in the learning records)."""
    filters = _idea_filters(request)
    page = page_for(request, selectors.idea_list(user=request.user, **filters),
                    order=("-on", "-id"))
    person = getattr(request.user, "person", None)
    form = IdeaForm(request.POST or None, writings=selectors.own_information(person)) \
        if person is not None and has_cap(request.user, Cap.PROJECTS_VIEW) else None
    if request.method == "POST":
        require_cap(request.user, Cap.PROJECTS_VIEW)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                idea = services.idea_submit(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Submitted."))
                return redirect("projects:idea", pk=idea.pk)
    return render(request, "projects/ideas.html", {
        "rows": selectors.ideas_with_writings(page.items), "page": page, "form": form,
        "kind": filters["kind"], "status": filters["status"],
        "params": _kept(request, IDEA_PARAMS), "kinds": IdeaKind.choices,
        "statuses": IdeaStatus.choices, "section": "ideas", **_unit(request)},
        status=400 if form is not None and form.errors else 200)


@login_required
def ideas_export_view(request):
    return exports.ideas_xlsx(user=request.user, rows=selectors.idea_list(
        user=request.user, **_idea_filters(request)))


def _idea_page(request, idea, form=None, status=200):
    if form is None and may_review_idea(request.user, idea):
        form = ReviewForm(initial={"version": idea.version, "on": timezone.localdate(),
                                   "score": idea.score, "reward": idea.reward})
    (_idea, writing), = selectors.ideas_with_writings([idea])
    return render(request, "projects/idea.html", {"i": idea, "w": writing, "form": form,
                                                  "section": "ideas"}, status=status)


@login_required
def idea_view(request, pk):
    return _idea_page(request, selectors.idea_get_for_user(request.user, pk))


@login_required
@require_POST
def idea_review_view(request, pk):
    idea = selectors.idea_get_for_user(request.user, pk, write=True)
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.idea_review(by=request.user, idea=idea, version=data.pop("version"),
                                 **data)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Review saved."))
            return redirect("projects:idea", pk=idea.pk)
    return _idea_page(request, idea, form=form, status=400)


def _adoption_filters(request) -> dict:
    params = request.GET
    return {"level": params.get("level", ""), "unit": params.get("unit", ""),
            "start": selectors.parse_day(params.get("start")),
            "end": selectors.parse_day(params.get("end"))}


@login_required
def adoptions_view(request):
    """Information items and articles adopted by outlets, by level (M22), read from the
    learning app's records; the department's leaders record an adoption here."""
    today = timezone.localdate()
    filters = _adoption_filters(request)
    page = page_for(request, selectors.adoption_list(user=request.user, **filters),
                    order=("-on", "-id"))
    department = selectors.department_for(user=request.user) \
        if has_cap(request.user, Cap.PROJECTS_VIEW) else None
    form = None
    if department is not None and may_adopt(request.user, department):
        form = AdoptionForm(request.POST or None, initial={"on": today},
                            writings=selectors.writings_to_adopt(
                                department=department, since=today - dt.timedelta(days=366)))
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            services.adoption_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Adoption recorded."))
            return redirect("projects:adoptions")
    return render(request, "projects/adoptions.html", {
        "rows": selectors.with_writings(page.items), "page": page, "level": filters["level"],
        "levels": AdoptionLevel.choices, "form": form,
        "params": _kept(request, ADOPTION_PARAMS),
        "counts": selectors.adoption_counts(user=request.user, year=today.year,
                                            unit=filters["unit"]),
        "year": today.year, "section": "adoptions", **_unit(request)},
        status=400 if form is not None and form.errors else 200)


@login_required
def adoptions_export_view(request):
    return exports.adoptions_xlsx(user=request.user, qs=selectors.adoption_list(
        user=request.user, **_adoption_filters(request)))
