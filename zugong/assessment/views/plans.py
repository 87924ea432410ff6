"""Pages of my assessment, plans and their set-up, and the scoring sheets (phone first)
with progress."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zugong.core.forms import apply_errors
from zugong.core.paging import page_for
from zugong.core.recycle import confirm_context
from zugong.core.versioning import ConflictError
from zugong.people.access import require_cap

from .. import scoring, selectors, services
from ..access import Cap, may_manage
from ..forms import (
    CodesForm,
    GroupsForm,
    IndicatorForm,
    PlanForm,
    SettingsForm,
    TemplateNameForm,
    VetoForm,
)
from ..models import (
    ANONYMOUS_GROUPS,
    PlanKind,
    PlanStatus,
    RaterGroup,
)
from ._common import _dept, _error_messages

# ---------------------------------------------------------------- my assessment


@login_required
def home_view(request):
    require_cap(request.user, Cap.ASSESS_VIEW)
    return render(request, "assessment/home.html", {
        "tasks": selectors.my_tasks(user=request.user),
        "results": selectors.my_results(user=request.user),
        "manage": bool(selectors.departments_to_manage(request.user)),
        "appeals": selectors.appeals_pending(user=request.user),
    })


# ---------------------------------------------------------------- plans


@login_required
def plan_list_view(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in PlanKind.values else ""
    status = request.GET.get("status", "")
    status = status if status in PlanStatus.values else ""
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else None
    page = page_for(request, selectors.plan_list(user=request.user, kind=kind, year=year,
                                                 status=status),
                    order=("-period_end", "-id"))
    return render(request, "assessment/plans.html", {
        "plans": page.items, "page": page, "kind": kind, "status": status, "year": year,
        "kinds": PlanKind.choices, "statuses": PlanStatus.choices,
        "can_add": bool(selectors.departments_to_manage(request.user)),
    })


@login_required
def plan_add_view(request):
    dept = _dept(request, request.user)
    templates = selectors.templates_for(request.user)
    units = selectors.department_units(dept)
    form = PlanForm(request.POST or None, initial={
        "template": next((str(t.pk) for t in templates if t.department_id is None), ""),
        "window_start": timezone.localdate(), "tie_rule": "first_indicator"})
    form.setup(templates=templates, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        template = next((t for t in templates if str(t.pk) == data.pop("template")), None)
        picked = set(data.pop("units"))
        chosen = [u for u in units if str(u.pk) in picked]
        try:
            plan = services.plan_create(by=request.user, department=dept, data=data,
                                        units=chosen, template=template)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The plan is created. Check its indicators and "
                                        "raters, then open scoring."))
            return redirect("assessment:plan", plan.pk)
    return render(request, "assessment/plan_form.html", {"form": form, "dept": dept},
                  status=422 if form.errors else 200)


def _plan_context(request, plan, **extra):
    manage = may_manage(request.user, plan)
    assessees = list(plan.assessees.select_related("person", "person__unit")
                     .order_by("person__unit_path", "person__name"))
    indicators = list(plan.indicators.select_related("person"))
    groups_form = extra.pop("groups_form", None) or GroupsForm(
        initial={g.group: g.weight for g in plan.groups.all()})
    ind_form = extra.pop("indicator_form", None) or IndicatorForm(initial={"max_score": 100})
    ind_form.setup(assessees)
    settings_form = extra.pop("settings_form", None) or SettingsForm(
        initial=SettingsForm.initial_for(plan))
    settings_form.setup(plan)
    return {"settings_form": settings_form, "plan": plan, "manage": manage, "assessees": assessees,
            "indicators": indicators, "groups": list(plan.groups.all()),
            "groups_form": groups_form, "indicator_form": ind_form,
            "problems": scoring.weight_problems(plan) if plan.status == PlanStatus.DRAFT
            else [], "my_groups": services.rater_groups_of(request.user, plan)
            if plan.status == PlanStatus.SCORING else [],
            "group_labels": dict(RaterGroup.choices), "codes_form": CodesForm(),
            "template_form": TemplateNameForm(), "veto_form": VetoForm(),
            "quota": scoring.quota_status(plan), **extra}


@login_required
def plan_detail_view(request, pk):
    plan = selectors.plan_get_for_user(request.user, pk)
    return render(request, "assessment/plan.html", _plan_context(request, plan))


@login_required
def plan_delete_view(request, pk):
    """The confirm page (GET) and the delete into the recycle bin (POST) of a draft plan."""
    plan = selectors.plan_get_for_user(request.user, pk, manage=True)
    if request.method == "POST":
        try:
            services.plan_delete(by=request.user, plan=plan)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("assessment:plan", plan.pk)
        messages.success(request, _("The plan is in the recycle bin."))
        return redirect("assessment:plans")
    return render(request, "core/confirm_delete.html", confirm_context(
        what=f"{plan.name} · {plan.get_status_display()}",
        back=reverse("assessment:plan", args=[pk])))


@login_required
@require_POST
def plan_settings_view(request, pk):
    plan = selectors.plan_get_for_user(request.user, pk, manage=True)
    form = SettingsForm(request.POST)
    form.setup(plan)
    if form.is_valid():
        try:
            services.plan_settings(by=request.user, plan=plan,
                                   version=form.cleaned_data["version"],
                                   data=form.to_data(plan))
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "bands" in exc.error_dict:
                exc.error_dict["band_0"] = exc.error_dict.pop("bands")
            apply_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("assessment:plan", plan.pk)
    return render(request, "assessment/plan.html",
                  _plan_context(request, plan, settings_form=form), status=422)


@login_required
@require_POST
def plan_groups_view(request, pk):
    plan = selectors.plan_get_for_user(request.user, pk, manage=True)
    form = GroupsForm(request.POST)
    if form.is_valid():
        try:
            services.group_weights_set(by=request.user, plan=plan, weights=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The rater groups are saved."))
            return redirect("assessment:plan", plan.pk)
    return render(request, "assessment/plan.html",
                  _plan_context(request, plan, groups_form=form), status=422)


@login_required
@require_POST
def indicator_add_view(request, pk):
    plan = selectors.plan_get_for_user(request.user, pk, manage=True)
    form = IndicatorForm(request.POST)
    form.setup(plan.assessees.select_related("person"))
    if form.is_valid():
        d = form.cleaned_data
        person = plan.assessees.filter(person_id=d["person"]).first() if d["person"] else None
        try:
            services.indicator_add(
                by=request.user, plan=plan, name=d["name"], weight=d["weight"],
                max_score=d["max_score"], guide=d["guide"],
                person=person.person if person else None, metric=d["metric"],
                formula_text=d["formula"], target=d["target"], political=d["political"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The indicator is added."))
            return redirect("assessment:plan", plan.pk)
    return render(request, "assessment/plan.html",
                  _plan_context(request, plan, indicator_form=form), status=422)


@login_required
@require_POST
def indicator_delete_view(request, pk):
    ind = selectors.indicator_get_for_user(request.user, pk, manage=True)
    plan = ind.plan
    try:
        services.indicator_delete(by=request.user, indicator=ind)
    except ValidationError as exc:
        _error_messages(request, exc)
    return redirect("assessment:plan", plan.pk)


def _plan_action(request, pk, action, done):
    plan = selectors.plan_get_for_user(request.user, pk, manage=True)
    try:
        action(by=request.user, plan=plan, version=request.POST.get("version"))
    except ValidationError as exc:
        _error_messages(request, exc)
    except ConflictError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("assessment:plan", plan.pk)


@login_required
@require_POST
def plan_open_view(request, pk):
    return _plan_action(request, pk, services.plan_open, _("Scoring is open."))


def _close_context(plan, reasons: dict) -> dict:
    """What the office sees before closing: per rater group, how many of the people it
    has rated (and, for the anonymous groups, how many voters have voted), the end of the
    window, and each gap with a field for its reason."""
    labels = dict(RaterGroup.choices)
    gaps = scoring.gaps_of(plan)
    names = dict(plan.assessees.values_list("pk", "person__name"))
    total = len(names)
    coverage = [{"group": g.group, "label": labels[g.group], "weight": g.weight,
                 "rated": total - sum(1 for groups in gaps.values() if g.group in groups),
                 "total": total} for g in plan.groups.all()]
    rows = [{"key": services.gap_key(a, g), "name": names[a], "group": labels[g],
             "reason": reasons.get(services.gap_key(a, g), "")}
            for a, groups in sorted(gaps.items(), key=lambda x: names[x[0]])
            for g in groups]
    return {"plan": plan, "coverage": coverage, "progress": selectors.progress(plan),
            "gaps": rows, "quota": scoring.quota_status(plan),
            "window_open": plan.window_end >= timezone.localdate()}


@login_required
def plan_close_view(request, pk):
    """GET: the confirmation page (progress and gaps); POST with ``confirm``: close."""
    plan = selectors.plan_get_for_user(request.user, pk, manage=True)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if plan.status != PlanStatus.SCORING:
        messages.error(request, _("Only a plan being scored can be closed."))
        return redirect("assessment:plan", plan.pk)
    reasons = {k[4:]: v for k, v in request.POST.items() if k.startswith("gap-")}
    if request.method == "POST":
        if request.POST.get("confirm") != "1":
            return redirect("assessment:plan_close", plan.pk)
        try:
            services.plan_close(by=request.user, plan=plan, version=request.POST.get("version"),
                                gap_reasons=reasons)
        except ValidationError as exc:
            _error_messages(request, exc)
        except ConflictError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The plan is closed and the results are out."))
            return redirect("assessment:plan", plan.pk)
        plan.refresh_from_db()
        return render(request, "assessment/close.html", _close_context(plan, reasons),
                      status=422)
    return render(request, "assessment/close.html", _close_context(plan, reasons))


@login_required
@require_POST
def plan_template_view(request, pk):
    plan = selectors.plan_get_for_user(request.user, pk, manage=True)
    try:
        services.template_from_plan(by=request.user, plan=plan,
                                    name=request.POST.get("name", ""))
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("The indicators are kept as a template."))
    return redirect("assessment:plan", plan.pk)


@login_required
def templates_view(request):
    require_cap(request.user, Cap.ASSESS_VIEW)
    return render(request, "assessment/templates.html",
                  {"templates": selectors.templates_for(request.user)})


@login_required
@require_POST
def codes_view(request, pk):
    plan = selectors.plan_get_for_user(request.user, pk, manage=True)
    form = CodesForm(request.POST)
    codes = []
    if form.is_valid():
        try:
            codes = services.outsider_codes_issue(by=request.user, plan=plan,
                                                  count=form.cleaned_data["count"])
        except ValidationError as exc:
            apply_errors(form, exc)
    if not codes:
        return render(request, "assessment/plan.html",
                      _plan_context(request, plan, codes_form=form), status=422)
    return render(request, "assessment/codes.html", {
        "plan": plan, "codes": codes,
        "url": request.build_absolute_uri(reverse("assessment:outsider", args=[plan.pk]))})


@login_required
@require_POST
def veto_view(request, pk):
    a = selectors.assessee_get_for_user(request.user, pk, manage=True)
    form = VetoForm(request.POST)
    if form.is_valid():
        try:
            services.veto_set(by=request.user, assessee=a,
                              political_failed=form.cleaned_data["political_failed"],
                              admonished=form.cleaned_data["admonished"],
                              note=form.cleaned_data["veto_note"])
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("The veto facts are saved."))
    return redirect("assessment:plan", a.plan_id)


@login_required
@require_POST
def vetoes_view(request, pk):
    """The plan page's one veto form: each assessee's facts, saved together."""
    plan = selectors.plan_get_for_user(request.user, pk, manage=True)
    post = request.POST
    rows = [{"assessee": a, "political_failed": f"political_failed_{a.pk}" in post,
             "admonished": f"admonished_{a.pk}" in post,
             "note": post.get(f"veto_note_{a.pk}", "")[:300]}
            for a in plan.assessees.select_related("person")]
    try:
        count = services.vetoes_set(by=request.user, plan=plan, rows=rows)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("The veto facts are saved (%(n)s changed).") % {"n": count})
    return redirect(reverse("assessment:plan", args=[plan.pk]) + "#assessees")


@login_required
def progress_view(request, pk):
    plan = selectors.plan_get_for_user(request.user, pk, manage=True)
    return render(request, "assessment/progress.html",
                  {"plan": plan, "rows": selectors.progress(plan)})


# ---------------------------------------------------------------- scoring


def _sheet_errors(exc: ValidationError) -> tuple[dict, list]:
    if not hasattr(exc, "error_dict"):
        return {}, exc.messages
    fields = {k: v for k, v in exc.message_dict.items() if k != "__all__"}
    return fields, exc.message_dict.get("__all__", [])


@login_required
def score_view(request, pk, group):
    plan = selectors.plan_get_for_user(request.user, pk)
    if group not in RaterGroup.values or group == RaterGroup.OUTSIDERS:
        raise Http404
    if group not in services.rater_groups_of(request.user, plan):
        raise PermissionDenied
    errors, general, status = {}, [], 200
    if request.method == "POST":
        values = {k[2:]: v for k, v in request.POST.items() if k.startswith("s-")}
        try:
            services.scores_submit(by=request.user, plan=plan, group=group, values=values)
        except ValidationError as exc:
            errors, general = _sheet_errors(exc)
            status = 422
        else:
            messages.success(request, _("Your scores are saved.") if group not in
                             ANONYMOUS_GROUPS else _("Your ballot is cast. Thank you."))
            return redirect("assessment:home")
    anonymous = group in ANONYMOUS_GROUPS
    return render(request, "assessment/score.html", {
        "plan": plan, "group": group, "group_label": dict(RaterGroup.choices)[group],
        "rows": selectors.sheet(request.user, plan, group), "errors": errors,
        "general": general, "posted": request.POST, "anonymous": anonymous,
        "voted": anonymous and selectors.has_voted(request.user, plan, group),
    }, status=status)


def outsider_view(request, pk):
    """开门评部: an outsider votes with a one-time code, without an account. The page shows
    the code box alone; only a valid, unused code opens the sheet with the people's names."""
    plan = selectors.outsider_plan_get(pk)
    errors, general, status, done, admitted = {}, [], 200, False, False
    if request.method == "POST":
        code = request.POST.get("code", "")
        values = {k[2:]: v for k, v in request.POST.items() if k.startswith("s-")}
        problem = selectors.outsider_code_check(plan, code)
        if problem:
            errors, status = {"code": [problem]}, 422
        elif not values:  # the code was entered: now the sheet
            admitted = True
        else:
            try:
                services.outsider_vote(plan=plan, code=code, values=values)
                done = True
            except ValidationError as exc:
                errors, general = _sheet_errors(exc)
                status, admitted = 422, "code" not in errors
    rows = selectors.outsider_sheet(plan) if admitted else []
    return render(request, "assessment/outsider.html", {
        "plan": plan, "rows": rows, "errors": errors, "general": general, "done": done,
        "admitted": admitted, "posted": request.POST}, status=status)


