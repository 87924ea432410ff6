"""Pages of the assessment area: my scoring and results, plans and their set-up, scoring
sheets (phone first), progress, results with the distribution, a person's result notice
with feedback/acknowledgement/appeal, the everyday record, history and consequences."""

import datetime as dt

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
from zugong.core.paging import PagingError, keyset_page, paging_error_response, parse_paging
from zugong.core.versioning import ConflictError
from zugong.people.access import require_cap

from . import exports, scoring, selectors, services
from .access import Cap, department_to_manage, may_manage
from .forms import (
    AdjustForm,
    AnswerForm,
    AppealForm,
    CodesForm,
    FeedbackForm,
    GroupsForm,
    IndicatorForm,
    NoteForm,
    PlanForm,
    RuleForm,
    SettingsForm,
    TemplateNameForm,
    VetoForm,
)
from .models import (
    A15_CODES,
    ANONYMOUS_GROUPS,
    Grade,
    PlanKind,
    PlanStatus,
    RaterGroup,
)


def _error_messages(request, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def _year(request) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year + 1 else today.year


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
    try:
        cursor, limit = parse_paging(request.GET)
        page = keyset_page(selectors.plan_list(user=request.user, kind=kind, year=year,
                                               status=status),
                           order=("-period_end", "-id"), cursor=cursor, limit=limit)
    except PagingError as exc:
        return paging_error_response(request, exc)
    return render(request, "assessment/plans.html", {
        "plans": page.items, "page": page, "kind": kind, "status": status, "year": year,
        "kinds": PlanKind.choices, "statuses": PlanStatus.choices,
        "can_add": bool(selectors.departments_to_manage(request.user)),
    })


def _dept(request, user):
    return department_to_manage(user, request.POST.get("dept") or request.GET.get("dept"))


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
            "template_form": TemplateNameForm(), "veto_form": VetoForm(), **extra}


@login_required
def plan_detail_view(request, pk):
    plan = selectors.plan_get_for_user(request.user, pk)
    return render(request, "assessment/plan.html", _plan_context(request, plan))


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
                formula_text=d["formula"], target=d["target"])
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


@login_required
@require_POST
def plan_close_view(request, pk):
    return _plan_action(request, pk, services.plan_close,
                        _("The plan is closed and the results are out."))


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
    """开门评部: an outsider votes with a one-time code, without an account."""
    plan = selectors.outsider_plan_get(pk)
    errors, general, status, done = {}, [], 200, False
    if request.method == "POST":
        values = {k[2:]: v for k, v in request.POST.items() if k.startswith("s-")}
        try:
            services.outsider_vote(plan=plan, code=request.POST.get("code", ""), values=values)
            done = True
        except ValidationError as exc:
            errors, general = _sheet_errors(exc)
            status = 422
    rows = selectors.outsider_sheet(plan)
    return render(request, "assessment/outsider.html", {
        "plan": plan, "rows": rows, "errors": errors, "general": general, "done": done,
        "posted": request.POST}, status=status)


# ---------------------------------------------------------------- results


@login_required
def results_view(request, pk):
    plan = selectors.plan_get_for_user(request.user, pk)
    results = selectors.results(user=request.user, plan=plan)
    try:
        cursor, limit = parse_paging(request.GET)
        page = keyset_page(results, order=("rank_key", "person__name", "id"), cursor=cursor,
                           limit=limit)
    except PagingError as exc:
        return paging_error_response(request, exc)
    dist = selectors.distribution(plan, results)
    return render(request, "assessment/results.html", {
        "plan": plan, "rows": page.items, "page": page, "distribution": dist,
        "chart": {"labels": [d[1] for d in dist], "values": [d[2] for d in dist]},
        "manage": may_manage(request.user, plan),
        "quota": scoring.quota_of(plan, plan.assessees.count()),
    })


@login_required
def results_export_view(request, pk):
    plan = selectors.plan_get_for_user(request.user, pk)
    return exports.results_xlsx(user=request.user, plan=plan,
                                rows=selectors.results(user=request.user, plan=plan))


def _result_context(request, a, **extra):
    manage = may_manage(request.user, a.plan)
    adjust = extra.pop("adjust_form", None) or AdjustForm()
    adjust.setup(a.plan)
    appeal = selectors.appeal_of(a)
    return {"a": a, "plan": a.plan, "manage": manage, "mine": request.user.person_id ==
            a.person_id, "adjust_form": adjust,
            "feedback_form": extra.pop("feedback_form", None) or FeedbackForm(initial={
                "strengths": a.strengths, "shortcomings": a.shortcomings,
                "direction": a.direction}),
            "appeal_form": extra.pop("appeal_form", None) or AppealForm(),
            "answer_form": extra.pop("answer_form", None) or AnswerForm(),
            "appeal": appeal, "deadline": scoring.appeal_deadline(a),
            "today": timezone.localdate(), "adjustments": list(a.adjustments.all()),
            "grade_labels": dict(Grade.choices), "group_labels": dict(RaterGroup.choices),
            **extra}


@login_required
def result_view(request, pk):
    a = selectors.assessee_get_for_user(request.user, pk)
    if a.plan.status != PlanStatus.CLOSED:
        raise Http404
    template = "assessment/notice.html" if request.GET.get("print") else \
        "assessment/result.html"
    return render(request, template, _result_context(request, a))


def _result_form(request, pk, form_class, key, call, done, manage=False):
    a = selectors.assessee_get_for_user(request.user, pk, manage=manage)
    form = form_class(request.POST)
    if hasattr(form, "setup"):
        form.setup(a.plan)
    if form.is_valid():
        try:
            call(a, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("assessment:result", a.pk)
    return render(request, "assessment/result.html",
                  _result_context(request, a, **{key: form}), status=422)


@login_required
@require_POST
def adjust_view(request, pk):
    return _result_form(request, pk, AdjustForm, "adjust_form",
                        lambda a, d: services.grade_adjust(by=request.user, assessee=a,
                                                           grade=d["grade"], reason=d["reason"]),
                        _("The grade is adjusted."), manage=True)


@login_required
@require_POST
def feedback_view(request, pk):
    return _result_form(request, pk, FeedbackForm, "feedback_form",
                        lambda a, d: services.feedback_give(by=request.user, assessee=a, **d),
                        _("The feedback is saved."), manage=True)


@login_required
@require_POST
def acknowledge_view(request, pk):
    a = selectors.assessee_get_for_user(request.user, pk)
    try:
        services.result_acknowledge(by=request.user, assessee=a)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("You have acknowledged your result."))
    return redirect("assessment:result", a.pk)


@login_required
@require_POST
def appeal_view(request, pk):
    a = selectors.assessee_get_for_user(request.user, pk)
    if request.user.person_id != a.person_id:
        raise PermissionDenied
    return _result_form(request, pk, AppealForm, "appeal_form",
                        lambda a, d: services.appeal_file(by=request.user, assessee=a,
                                                          reason=d["reason"]),
                        _("Your appeal is filed; the assessment office will answer it."))


@login_required
@require_POST
def appeal_answer_view(request, pk):
    a = selectors.assessee_get_for_user(request.user, pk, manage=True)
    if selectors.appeal_of(a) is None:
        raise Http404
    return _result_form(request, pk, AnswerForm, "answer_form",
                        lambda a, d: services.appeal_answer(by=request.user, appeal=a.appeal,
                                                            outcome=d["outcome"],
                                                            answer=d["answer"]),
                        _("The appeal is answered."), manage=True)


# ---------------------------------------------------------------- everyday record


@login_required
def notes_view(request):
    require_cap(request.user, Cap.ASSESS_VIEW)
    try:
        cursor, limit = parse_paging(request.GET)
    except PagingError as exc:
        return paging_error_response(request, exc)
    people = selectors.people_to_note(request.user)
    person = None
    if request.GET.get("person", "").isdigit():
        person = selectors.person_get_for_user(request.user, request.GET["person"])
    form = None
    status = 200
    if people.exists():
        form = NoteForm(request.POST or None, initial={
            "on": timezone.localdate(), "person": person.pk if person else None})
        form.setup(people)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            target = people.filter(pk=d["person"]).first()
            try:
                services.everyday_note_add(by=request.user, person=target, on=d["on"],
                                           positive=d["positive"], text=d["text"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The note is added to the everyday record."))
                return redirect(request.get_full_path())
        if request.method == "POST":
            status = 422
    elif request.method == "POST":
        raise PermissionDenied
    try:
        page = keyset_page(selectors.notes_for(user=request.user, person=person),
                           order=("-on", "-id"), cursor=cursor, limit=limit)
    except PagingError as exc:
        return paging_error_response(request, exc)
    return render(request, "assessment/notes.html", {
        "form": form, "person": person, "notes": page.items, "page": page}, status=status)


# ---------------------------------------------------------------- history and person tab


@login_required
def history_view(request):
    require_cap(request.user, Cap.ASSESS_VIEW)
    raw = request.GET.get("person") or str(request.user.person_id or "")
    if not raw.isdigit():
        raise Http404
    person = selectors.person_get_for_user(request.user, raw)
    kind = request.GET.get("kind", "")
    dates = {}
    for name in ("start", "end"):  # the span a metric's figure covers (Metric.records_url)
        try:
            dates[name] = dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            dates[name] = None
    try:
        cursor, limit = parse_paging(request.GET)
        page = keyset_page(selectors.history(user=request.user, person=person,
                                             kind=kind if kind in PlanKind.values else "",
                                             **dates),
                           order=("-plan__period_end", "plan__kind", "-id"), cursor=cursor,
                           limit=limit)
    except PagingError as exc:
        return paging_error_response(request, exc)
    return render(request, "assessment/history.html", {
        "person": person, "rows": page.items, "page": page, "kind": kind, "kinds": PlanKind.choices})


@login_required
def person_tab_view(request, pk):
    person = selectors.person_get_for_user(request.user, pk)
    return render(request, "assessment/_person_tab.html", {
        "person": person, "rows": list(selectors.history(user=request.user,
                                                         person=person)[:20]),
        "notes": list(selectors.notes_for(user=request.user, person=person)[:10])})


# ---------------------------------------------------------------- consequences


def _consequence_context(request):
    require_cap(request.user, Cap.ASSESS_VIEW)
    depts = selectors.departments_to_manage(request.user)
    if not depts:
        raise PermissionDenied
    dept = _dept(request, request.user)
    year = _year(request)
    return {"dept": dept, "year": year, "departments": depts,
            "rows": selectors.consequences(user=request.user, department=dept, year=year),
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1)}


@login_required
def consequences_view(request):
    context = _consequence_context(request)
    context["rule_form"] = RuleForm()
    context["grade_labels"] = {c: Grade(g).label for g, c in A15_CODES.items()}
    return render(request, "assessment/consequences.html", context)


@login_required
@require_POST
def consequence_reward_view(request):
    """Record the 嘉奖 of an annual 优秀 into the person's A14."""
    dept = _dept(request, request.user)
    year = int(request.POST["year"]) if request.POST.get("year", "").isdigit() else 0
    raw = request.POST.get("person", "")
    person = selectors.person_get_for_user(request.user, raw) if raw.isdigit() else None
    if person is None:
        raise Http404
    try:
        services.reward_record(by=request.user, department=dept, person=person, year=year)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("The award is recorded in %(name)s's rewards.") % {
            "name": person.name})
    return redirect(f"{reverse('assessment:consequences')}?dept={dept.pk}&year={year}")


@login_required
def consequences_export_view(request):
    context = _consequence_context(request)
    return exports.consequences_xlsx(user=request.user, **context)


@login_required
@require_POST
def consequence_rule_view(request):
    dept = _dept(request, request.user)
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            services.consequence_rule_set(by=request.user, department=dept,
                                          **form.cleaned_data)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("The rule is saved."))
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect(f"{reverse('assessment:consequences')}?dept={dept.pk}")
