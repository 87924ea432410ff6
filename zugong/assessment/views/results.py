"""Pages of results (the distribution, a person's result notice with feedback,
acknowledgement and appeal), the everyday record, history and consequences."""

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
from zugong.core.jobs import run_export
from zugong.core.paging import keyset_page, page_for, parse_paging
from zugong.core.recycle import confirm_context
from zugong.people.access import require_cap

from .. import exports, scoring, selectors, services
from ..access import Cap, may_manage
from ..forms import (
    AdjustForm,
    AnswerForm,
    AppealForm,
    FeedbackForm,
    GapDecisionForm,
    NoteForm,
    RuleForm,
)
from ..models import (
    A15_CODES,
    Grade,
    PlanKind,
    PlanStatus,
    RaterGroup,
)
from ._common import _dept, _error_messages, _year

# ---------------------------------------------------------------- results


@login_required
def results_view(request, pk):
    plan = selectors.plan_get_for_user(request.user, pk)
    results = selectors.results(user=request.user, plan=plan)
    page = page_for(request, results, order=("rank_key", "person__name", "id"))
    dist = selectors.distribution(plan, results)
    return render(request, "assessment/results.html", {
        "plan": plan, "rows": page.items, "page": page, "distribution": dist,
        "chart": {"labels": [d[1] for d in dist], "values": [d[2] for d in dist]},
        "manage": may_manage(request.user, plan),
        "quota": scoring.quota_of(plan, plan.assessees.count()),
        "quota_status": scoring.quota_status(plan),
    })


@login_required
def results_export_view(request, pk):
    plan = selectors.plan_get_for_user(request.user, pk)
    # The plan travels in the query, so the same builder serves a background job.
    query = request.GET.copy()
    query["plan"] = str(plan.pk)
    request.GET = query
    return run_export(request, name="assessment.results_export",
                      builder="zugong.assessment.exports.results_export",
                      count=selectors.results(user=request.user, plan=plan).count(),
                      title=_("Assessment results export"))


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
            "gap_form": extra.pop("gap_form", None) or GapDecisionForm(),
            "gaps": list(a.gaps.all()), **extra}


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
def gap_decide_view(request, pk):
    return _result_form(request, pk, GapDecisionForm, "gap_form",
                        lambda a, d: services.gap_decide(by=request.user, assessee=a,
                                                         decision=d["decision"],
                                                         reason=d["reason"]),
                        _("The decision is recorded."), manage=True)


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
    cursor, limit = parse_paging(request.GET)
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
    page = keyset_page(selectors.notes_for(user=request.user, person=person),
                       order=("-on", "-id"), cursor=cursor, limit=limit)
    keeps = set(people.values_list("pk", flat=True)) if form is not None else set()
    return render(request, "assessment/notes.html", {
        "form": form, "person": person, "notes": page.items, "page": page, "keeps": keeps},
        status=status)


@login_required
def note_delete_view(request, pk):
    """The confirm page (GET) and the delete into the recycle bin (POST) of a note."""
    note = selectors.note_get_for_user(request.user, pk)
    back = f"{reverse('assessment:notes')}?person={note.person_id}"
    if request.method == "POST":
        services.everyday_note_delete(by=request.user, note=note)
        messages.success(request, _("The note is in the recycle bin."))
        return redirect(back)
    return render(request, "core/confirm_delete.html", confirm_context(
        what=f"{note.person.name} · {note.on:%Y-%m-%d} · {note.text[:60]}", back=back))


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
    page = page_for(request, selectors.history(user=request.user, person=person,
                                               kind=kind if kind in PlanKind.values else "",
                                               **dates),
                    order=("-plan__period_end", "plan__kind", "-id"))
    return render(request, "assessment/history.html", {
        "person": person, "rows": page.items, "page": page, "kind": kind,
        "kinds": PlanKind.choices})


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
