"""Pages of talent: the talent database and the team's entry and exit. Short: scope in
selectors, rules in services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zugong.core.forms import submit
from zugong.core.paging import address_without, page_for

from . import exports, selectors, services
from .access import Cap, has_cap, require_cap
from .forms import (
    CandidateForm,
    CandidateUpdateForm,
    ContactForm,
    DecideForm,
    DoneForm,
    EvaluateForm,
    ExitForm,
    ProposalForm,
    RotationForm,
    SolveForm,
    TalentForm,
)
from .models import Category
from .selectors import RECORD_ORDER, TALENT_ORDER, TalentFilters


def _date(request, name):
    try:
        return dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None


def _unit(request) -> str:
    raw = request.GET.get("unit", "")
    return raw if raw.isdigit() else ""


KEPT = ("unit", "start", "end")


def _filters(request) -> TalentFilters:
    return TalentFilters(category=request.GET.get("category", ""),
                         department=request.GET.get("department", ""),
                         high_level=request.GET.get("high") == "1",
                         q=request.GET.get("q", "")[:50], unit=_unit(request),
                         start=_date(request, "start"), end=_date(request, "end"))


def _form_page(request, form, title, back, section="talents"):
    return render(request, "talent/form.html", {"form": form, "title": title, "back": back,
                                                "section": section},
                  status=400 if form.errors else 200)


def _save(request, form, call, done: str, target):
    """Form → service → redirect; a refused write shows its messages beside the fields."""
    if request.method != "POST":
        return None
    made = submit(form, lambda _data: call())
    if form.errors:
        return None
    messages.success(request, done)
    return redirect(target(made) if callable(target) else target)


@login_required
def home_view(request):
    require_cap(request.user, Cap.TALENT_VIEW)
    return redirect("talent:talents")


@login_required
def talents_view(request):
    filters = _filters(request)
    unit = selectors.unit_filter(user=request.user, unit=filters.unit, cap=Cap.TALENT_VIEW)
    page = page_for(request, selectors.talent_list(user=request.user, filters=filters),
                    order=TALENT_ORDER)
    params = {k: v for k, v in request.GET.items()
              if k in ("category", "department", "high", "q", *KEPT)}
    return render(request, "talent/talents.html", {
        "rows": page.items, "page": page, "filters": filters, "params": params,
        "kept": {k: v for k, v in params.items() if k in KEPT}, "unit": unit,
        "unit_clear": address_without(request, "unit"),
        "categories": Category.choices,
        "figures": selectors.talent_figures(user=request.user,
                                            year=timezone.localdate().year),
        "can_manage": has_cap(request.user, Cap.TALENT_MANAGE), "section": "talents"})


@login_required
def talents_export_view(request):
    return exports.talents_xlsx(user=request.user, qs=selectors.talent_list(
        user=request.user, filters=_filters(request)))


@login_required
def talent_add_view(request):
    depts = selectors.manage_departments(user=request.user)
    if not depts:
        raise PermissionDenied
    dept = depts[0]
    form = TalentForm(request.POST or None,
                      leaders=selectors.leaders_to_choose(user=request.user, department=dept),
                      initial={"added_on": timezone.localdate()})
    done = _save(request, form, lambda: services.talent_create(
        by=request.user, department=dept, **form.cleaned_data), _("Talent recorded."),
        lambda t: f"/talent/talents/{t.pk}/")
    return done or _form_page(request, form, _("Record a talent"), "talent:talents")


def _talent_page(request, talent, *, evaluate=None, contact=None, status=200):
    detail = selectors.talent_detail(user=request.user, talent=talent)
    if detail["can_manage"]:
        evaluate = evaluate or EvaluateForm(initial={
            "version": talent.version, "ability": talent.ability, "results": talent.results,
            "contribution": talent.contribution, "evaluated_on": timezone.localdate()})
        contact = contact or ContactForm(leaders=selectors.leaders_to_choose(
            user=request.user, department=talent.department),
            initial={"on": timezone.localdate(), "leader": talent.leader_id})
    return render(request, "talent/talent_detail.html", {
        "t": talent, **detail, "evaluate_form": evaluate, "contact_form": contact,
        "today": timezone.localdate(), "section": "talents"}, status=status)


@login_required
def talent_detail_view(request, pk):
    return _talent_page(request, selectors.talent_get_for_user(request.user, pk))


@login_required
@require_POST
def talent_evaluate_view(request, pk):
    talent = selectors.talent_get_for_user(request.user, pk, write=True)
    form = EvaluateForm(request.POST)
    done = _save(request, form, lambda: services.talent_evaluate(
        by=request.user, talent=talent, **form.cleaned_data), _("Evaluation saved."),
        f"/talent/talents/{talent.pk}/")
    return done or _talent_page(request, talent, evaluate=form, status=400)


@login_required
@require_POST
def contact_add_view(request, pk):
    talent = selectors.talent_get_for_user(request.user, pk, write=True)
    form = ContactForm(request.POST, leaders=selectors.leaders_to_choose(
        user=request.user, department=talent.department))
    done = _save(request, form, lambda: services.contact_record(
        by=request.user, talent=talent, **form.service_data()), _("Contact recorded."),
        f"/talent/talents/{talent.pk}/")
    return done or _talent_page(request, talent, contact=form, status=400)


@login_required
def matters_view(request):
    status = request.GET.get("status", "")
    filters = selectors.MatterFilters(
        status=status if status in selectors.MATTER_STATES else "", unit=_unit(request),
        start=_date(request, "start"), end=_date(request, "end"))
    unit = selectors.unit_filter(user=request.user, unit=filters.unit, cap=Cap.TALENT_VIEW)
    page = page_for(request, selectors.matter_list(user=request.user, filters=filters),
                    order=selectors.MATTER_ORDER[filters.status])
    return render(request, "talent/matters.html", {
        "rows": page.items, "page": page, "today": timezone.localdate(),
        "filters": filters, "unit": unit, "unit_clear": address_without(request, "unit"),
        "section": "matters"})


@login_required
@require_POST
def matter_solve_view(request, pk):
    matter = selectors.matter_get_for_user(request.user, pk, write=True)
    form = SolveForm(request.POST)
    done = _save(request, form, lambda: services.matter_solve(
        by=request.user, matter=matter, **form.cleaned_data), _("Matter solved."),
        f"/talent/talents/{matter.talent_id}/")
    if done:
        return done
    messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect(f"/talent/talents/{matter.talent_id}/")


# ---------------------------------------------------------------- the team (M41)


@login_required
def team_view(request):
    today = timezone.localdate()
    decision = request.GET.get("decision", "")
    filters = selectors.TeamFilters(unit=_unit(request), start=_date(request, "start"),
                                    end=_date(request, "end"),
                                    decision=decision if decision == "accepted" else "")
    unit = selectors.unit_filter(user=request.user, unit=filters.unit, cap=Cap.TALENT_TEAM)
    depts = selectors.team_departments(user=request.user)
    # Filtered on a unit, the department is the unit's own unless one is chosen.
    wanted = request.GET.get("department", "") or (
        str(unit.department_id or unit.pk) if unit is not None else "")
    dept = next((d for d in depts if str(d.pk) == wanted), depts[0] if depts else None)
    structure = selectors.team_structure(user=request.user, department=dept, on=today,
                                         unit=unit) if dept else None
    chart = None
    if structure:
        chart = {"ages": [list(x) for x in structure["ages"]],
                 "posts": [list(x) for x in structure["posts"]],
                 "education": [list(x) for x in structure["education"]],
                 "age_label": _("age"), "post_label": _("years in post"),
                 "education_label": _("education")}
    page = page_for(request, selectors.candidate_list(user=request.user, filters=filters),
                    order=RECORD_ORDER)
    return render(request, "talent/team.html", {
        "structure": structure, "chart": chart, "departments": depts, "department": dept,
        "candidates": page.items, "page": page, "filters": filters, "unit": unit,
        "unit_clear": address_without(request, "unit"),
        "proposals": selectors.proposal_list(user=request.user, filters=filters)[:50],
        "rotations": selectors.rotation_list(user=request.user, filters=filters)[:50],
        "exits": selectors.exit_list(user=request.user, filters=filters)[:50],
        "decide_form": DecideForm(initial={"decided_on": today}),
        "done_form": DoneForm(initial={"done_on": today}), "section": "team"})


@login_required
def candidate_add_view(request):
    require_cap(request.user, Cap.TALENT_TEAM)
    form = CandidateForm(request.POST or None, people=selectors.team_people_to_choose(
        user=request.user, org_cadres=False), initial={"on": timezone.localdate()})
    done = _save(request, form, lambda: services.candidate_add(
        by=request.user, **form.cleaned_data), _("Candidate entered into the pool."),
        lambda c: f"/talent/team/candidates/{c.pk}/")
    return done or _form_page(request, form, _("Enter a reserve candidate"), "talent:team",
                              "team")


@login_required
def candidate_view(request, pk):
    candidate = selectors.candidate_get_for_user(request.user, pk,
                                                 write=request.method == "POST")
    form = CandidateUpdateForm(request.POST or None, initial={
        "version": candidate.version, "score": candidate.score,
        "evaluation": candidate.evaluation, "trial_from": candidate.trial_from,
        "trial_to": candidate.trial_to, "decision": candidate.decision,
        "decided_on": candidate.decided_on})
    done = _save(request, form, lambda: services.candidate_update(
        by=request.user, candidate=candidate, **form.cleaned_data), _("Saved."),
        f"/talent/team/candidates/{candidate.pk}/")
    return done or render(request, "talent/candidate.html", {
        "c": candidate, "form": form, "section": "team"}, status=400 if form.errors else 200)


@login_required
def proposal_add_view(request):
    require_cap(request.user, Cap.TALENT_TEAM)
    form = ProposalForm(request.POST or None,
                        people=selectors.team_people_to_choose(user=request.user),
                        initial={"on": timezone.localdate()})
    done = _save(request, form, lambda: services.proposal_record(
        by=request.user, **form.cleaned_data), _("Proposal recorded."), "/talent/team/")
    return done or _form_page(request, form, _("Propose a promotion"), "talent:team", "team")


def _post_back(request, form, call, done):
    saved = _save(request, form, call, done, "/talent/team/")
    if saved:
        return saved
    messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect("talent:team")


@login_required
@require_POST
def proposal_decide_view(request, pk):
    proposal = selectors.proposal_get_for_user(request.user, pk, write=True)
    form = DecideForm(request.POST)
    return _post_back(request, form, lambda: services.proposal_decide(
        by=request.user, proposal=proposal, **form.cleaned_data), _("Decision recorded."))


@login_required
def rotation_add_view(request):
    require_cap(request.user, Cap.TALENT_TEAM)
    form = RotationForm(request.POST or None,
                        people=selectors.team_people_to_choose(user=request.user),
                        sections=selectors.sections_to_choose(user=request.user))
    done = _save(request, form, lambda: services.rotation_plan(
        by=request.user, **form.cleaned_data), _("Rotation planned."), "/talent/team/")
    return done or _form_page(request, form, _("Plan a rotation"), "talent:team", "team")


@login_required
@require_POST
def rotation_done_view(request, pk):
    rotation = selectors.rotation_get_for_user(request.user, pk, write=True)
    form = DoneForm(request.POST)
    return _post_back(request, form, lambda: services.rotation_done(
        by=request.user, rotation=rotation, **form.cleaned_data), _("Rotation done."))


@login_required
def exit_add_view(request):
    require_cap(request.user, Cap.TALENT_TEAM)
    form = ExitForm(request.POST or None,
                    people=selectors.team_people_to_choose(user=request.user),
                    initial={"on": timezone.localdate()})
    done = _save(request, form, lambda: services.exit_record(
        by=request.user, **form.cleaned_data), _("Exit recorded."), "/talent/team/")
    return done or _form_page(request, form, _("Record an exit"), "talent:team", "team")
