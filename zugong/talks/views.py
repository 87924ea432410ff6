"""Pages of the talks area: my talks, the quick record form, talks in scope, the coverage
matrix, rules, occasions and moves, the visit plan and visits, the person tab."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zugong.core.forms import EMPTY_LABEL, apply_errors, people_choices, submit
from zugong.core.jobs import run_export
from zugong.core.paging import address_without, page_for
from zugong.core.recycle import confirm_context
from zugong.people.access import require_cap
from zugong.people.models import PersonCategory

from . import exports, selectors, services
from .access import (
    Cap,
    department_get_for_user,
    departments_for,
    may_delete_talk,
    may_manage,
    may_manage_person,
    may_set_rules,
)
from .coverage import summary
from .forms import (
    FlagsForm,
    ProblemForm,
    RuleForm,
    TalkForm,
    TermForm,
    TriggerForm,
    UnitChangeForm,
    VisitForm,
)
from .models import TalkKind, VisitKind
from .selectors import TalkFilters

TALK_ORDER = ("-held_on", "-id")
VISIT_ORDER = ("-on", "-id")


def _dept(request, pk):
    """The department a page is about (the user's own without ``pk``); 404 for another."""
    return department_get_for_user(request.user, pk, Cap.TALKS_VIEW)


def _departments(request):
    return departments_for(request.user, Cap.TALKS_VIEW)


def _as_of(request) -> dt.date:
    """The day the matrix is judged on: today, or the last day of a chosen past year, or
    the ``end`` of a figure's period (the coverage rate is judged as of then)."""
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) < today.year:
        return dt.date(int(raw), 12, 31)
    try:
        end = dt.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        return today
    return min(end, today) if end.year >= 2000 else today


def _unit_dept(request, unit):
    """The department a page filtered on ``unit`` is about: the one named, else the unit's
    own department when the user sees it, else the user's."""
    pk = request.GET.get("dept")
    if not pk and unit is not None:
        mine = unit.department_id or unit.pk
        if any(d.pk == mine for d in _departments(request)):
            pk = mine
    return _dept(request, pk)


# ---------------------------------------------------------------- talks


@login_required
def home_view(request):
    require_cap(request.user, Cap.TALKS_VIEW)
    mine = selectors.talk_list(user=request.user, filters=TalkFilters(mine=True))
    page = page_for(request, mine, order=TALK_ORDER, default_limit=30)
    return render(request, "talks/home.html", {
        "talks": page.items, "page": page,
        "follow_ups": selectors.my_open_follow_ups(user=request.user),
        "can_record": request.user.person_id is not None,
    })


def _talk_form(request):
    people = selectors.people_to_talk_with(user=request.user)
    owners = selectors.talk_owners(user=request.user, people=people)
    initial = {"held_on": timezone.localdate()}
    if request.GET.get("with", "").isdigit():
        initial["with_people"] = [int(request.GET["with"])]
    form = TalkForm(request.POST or None, people=owners, owners=owners, initial=initial)
    # Validation accepts the user too, so that "a talk with oneself" gets the service's
    # clear message; the select only offers the others.
    form.fields["with_people"].widget.choices = people_choices(people)
    return form


@login_required
def talk_add_view(request):
    require_cap(request.user, Cap.TALKS_VIEW)
    if request.user.person_id is None:
        raise PermissionDenied
    form = _talk_form(request)
    if request.method == "POST":
        submit(form, lambda data: services.talk_record(
            by=request.user, with_people=list(data["with_people"]), held_on=data["held_on"],
            kind=data["kind"], summary=data["summary"], place=data["place"],
            follow_ups=form.follow_ups()))
        if not form.errors:
            messages.success(request, _("Talk recorded."))
            return redirect("talks:home")
    return render(request, "talks/talk_form.html", {"form": form})


@login_required
def talk_list_view(request):
    filters = TalkFilters.from_params(request.GET)
    unit = selectors.talk_unit_filter(request.user, filters)
    page = page_for(request, selectors.talk_list(user=request.user, filters=filters),
                    order=TALK_ORDER)
    times = selectors.party_times(user=request.user, filters=filters) \
        if filters.side == "party" and (filters.unit or filters.person) else None
    return render(request, "talks/list.html", {
        "rows": page.items, "page": page, "filters": filters,
        "params": filters.as_params(), "kinds": TalkKind.choices, "unit": unit,
        "unit_clear": address_without(request, "unit"), "party_times": times})


@login_required
def talk_export_view(request):
    filters = TalkFilters.from_params(request.GET)
    count = selectors.talk_list(user=request.user, filters=filters).count()
    return run_export(request, name="talks.export", builder="zugong.talks.exports.talks_export",
                      count=count, title=_("Talks export"))


@login_required
def talk_detail_view(request, pk):
    talk = selectors.talk_get_for_user(request.user, pk)
    readable = selectors.may_read_summary(request.user, talk)
    if readable and talk.summary:
        services.summary_read_logged(by=request.user, talks=[talk])
    return render(request, "talks/talk_detail.html", {
        "talk": talk, "readable": readable,
        "parties": [p.person for p in talk.parties.select_related("person__unit")],
        "confirm": selectors.confirmation_of(request.user, talk),
        "follow_ups": selectors.follow_ups_of(talk),
        "can_delete": may_delete_talk(request.user, talk)})


@login_required
def talk_delete_view(request, pk):
    """The confirm page (GET) and the delete into the recycle bin (POST)."""
    talk = selectors.talk_get_for_user(request.user, pk, write=True)
    if request.method == "POST":
        services.talk_delete(by=request.user, talk=talk)
        messages.success(request, _("The talk is in the recycle bin."))
        return redirect("talks:list")
    return render(request, "core/confirm_delete.html", confirm_context(
        what=f"{talk.by.name} · {talk}", back=reverse("talks:talk", args=[pk])))


@login_required
@require_POST
def talk_confirm_view(request, pk):
    talk = selectors.talk_get_for_user(request.user, pk)
    services.talk_confirm(by=request.user, talk=talk)
    messages.success(request, _("You confirmed this talk."))
    return redirect("talks:talk", pk=talk.pk)


@login_required
@require_POST
def followup_done_view(request, pk):
    item = selectors.followup_get_for_user(request.user, pk, write=True)
    services.followup_done(by=request.user, item=item)
    messages.success(request, _("Marked as done."))
    return redirect("talks:talk", pk=item.talk_id)


# ---------------------------------------------------------------- coverage


@login_required
def coverage_view(request):
    unit = selectors.unit_for_coverage(request.user, request.GET["unit"]) \
        if request.GET.get("unit") else None
    dept = _unit_dept(request, unit)
    today = _as_of(request)
    reqs = selectors.coverage_for(user=request.user, department=dept, today=today)
    if unit is not None:
        reqs = selectors.coverage_of_unit(reqs=reqs, unit=unit)
    return render(request, "talks/coverage.html", {
        "dept": dept, "today": today, "reqs": reqs, "summary": summary(reqs),
        "unit": unit, "unit_clear": address_without(request, "unit"),
        "labels": exports.status_labels(),
        "departments": _departments(request),
        "rules": selectors.rules_of(dept),
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1)})


@login_required
def coverage_export_view(request):
    unit = selectors.unit_for_coverage(request.user, request.GET["unit"]) \
        if request.GET.get("unit") else None
    dept = _unit_dept(request, unit)
    today = _as_of(request)
    reqs = selectors.coverage_for(user=request.user, department=dept, today=today)
    if unit is not None:
        reqs = selectors.coverage_of_unit(reqs=reqs, unit=unit)
    return exports.coverage_xlsx(reqs=reqs, dept=dept, today=today)


@login_required
def rules_view(request):
    dept = _dept(request, request.GET.get("dept")
                                             or request.POST.get("dept"))
    may_set = may_set_rules(request.user, dept)
    form = RuleForm(request.POST or None)
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied
        if request.POST.get("defaults"):
            services.default_rules(by=request.user, department=dept)
            messages.success(request, _("The usual rules are in force."))
            return redirect(f"{request.path}?dept={dept.pk}")
        submit(form, lambda data: services.rule_add(by=request.user, department=dept, **data))
        if not form.errors:
            messages.success(request, _("Rule saved."))
            return redirect(f"{request.path}?dept={dept.pk}")
    return render(request, "talks/rules.html", {
        "dept": dept, "rules": selectors.rules_of(dept), "form": form, "may_set": may_set,
        "departments": _departments(request)})


@login_required
@require_POST
def rule_retire_view(request, pk):
    rule = selectors.rule_get_for_user(request.user, pk, write=True)
    services.rule_retire(by=request.user, rule=rule)
    messages.success(request, _("Rule retired."))
    return redirect(f"{reverse('talks:rules')}?dept={rule.department_id}")


def _event_forms(request, dept, data=None, which=""):
    people = selectors.people_to_manage(user=request.user, department=dept)
    trigger = TriggerForm(data if which == "trigger" else None,
                          initial={"on": timezone.localdate()})
    trigger.fields["person"].queryset = people.select_related("unit")
    move = UnitChangeForm(data if which == "move" else None,
                          initial={"on": timezone.localdate()})
    move.fields["person"].queryset = people.select_related("unit")
    move.fields["to_unit"].queryset = selectors.sections_of(dept)
    return trigger, move


@login_required
def events_view(request):
    dept = _dept(request, request.GET.get("dept")
                                             or request.POST.get("dept"))
    trigger, move = _event_forms(request, dept, request.POST or None, "trigger")
    if request.method == "POST":
        require_cap(request.user, Cap.TALKS_MANAGE)
        if trigger.is_valid():
            try:
                services.trigger_record(by=request.user, **trigger.cleaned_data)
            except ValidationError as exc:
                apply_errors(trigger, exc)
            else:
                messages.success(request, _("Occasion recorded."))
                return redirect(f"{request.path}?dept={dept.pk}")
    return _events_page(request, dept, trigger, move)


def _events_page(request, dept, trigger, move):
    triggers, moves = selectors.events_of(user=request.user, department=dept)
    # Two lists, two pagers: occasions page with "cursor", moves with "moves_cursor".
    trigger_page = page_for(request, triggers, order=selectors.EVENT_ORDER)
    move_page = page_for(request, moves, order=selectors.EVENT_ORDER, prefix="moves_")
    return render(request, "talks/events.html", {
        "dept": dept, "trigger_form": trigger, "move_form": move,
        "triggers": trigger_page.items, "page": trigger_page,
        "moves": move_page.items, "moves_page": move_page, "can_manage": may_manage(request.user),
        "departments": _departments(request)})


@login_required
@require_POST
def unit_change_view(request):
    require_cap(request.user, Cap.TALKS_MANAGE)
    dept = _dept(request, request.POST.get("dept"))
    trigger, move = _event_forms(request, dept, request.POST, "move")
    if move.is_valid():
        try:
            services.unit_change_record(by=request.user, **move.cleaned_data)
        except ValidationError as exc:
            apply_errors(move, exc)
        else:
            messages.success(request, _("Move recorded."))
            return redirect(f"{reverse('talks:events')}?dept={dept.pk}")
    return _events_page(request, dept, trigger, move)


# ---------------------------------------------------------------- visits


@login_required
def visit_plan_view(request):
    filters = selectors.VisitFilters.from_params(request.GET)
    unit = selectors.visit_unit_filter(request.user, filters)
    dept = _unit_dept(request, unit)
    today = timezone.localdate()
    term = selectors.term_for(dept, request.GET.get("term"), today)
    problems = times = None
    if filters.problems:
        page = page_for(request, selectors.problem_list(user=request.user, filters=filters),
                        order=selectors.SOLVED_ORDER if filters.problems == "solved"
                        else selectors.PROBLEM_ORDER, default_limit=20)
        problems = page.items
    else:
        # The unit's visits wherever they went: the figure counts its people's visits,
        # not the department's.
        page = page_for(request, selectors.visit_list(
            user=request.user, department=None if unit else dept, filters=filters),
            order=VISIT_ORDER, default_limit=20)
        times = selectors.visitor_times(user=request.user, filters=filters) if unit else None
    plan = selectors.visit_plan(user=request.user, department=dept, term=term,
                                today=today) if term else None
    return render(request, "talks/visits.html", {
        "dept": dept, "term": term, "terms": selectors.terms_of(dept), "plan": plan,
        "today": today, "may_set": may_set_rules(request.user, dept),
        "can_manage": may_manage(request.user),
        "term_form": TermForm(initial={"follow_up_months": "6,12", "handling_days": 7,
                                       "home_visit_days": 30}),
        "recent": page.items if problems is None else [], "problems": problems,
        "page": page, "filters": filters, "unit": unit,
        "unit_clear": address_without(request, "unit"),
        "visitor_times": times, "departments": _departments(request)})


@login_required
@require_POST
def term_add_view(request):
    dept = _dept(request, request.POST.get("dept"))
    if not may_set_rules(request.user, dept):
        raise PermissionDenied
    form = TermForm(request.POST)
    if form.is_valid():
        try:
            term = services.term_create(by=request.user, department=dept, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Term saved."))
            return redirect(f"{reverse('talks:visits')}?dept={dept.pk}&term={term.pk}")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(f"{reverse('talks:visits')}?dept={dept.pk}")


@login_required
def visit_add_view(request):
    require_cap(request.user, Cap.TALKS_MANAGE)
    dept = _dept(request, request.GET.get("dept"))
    form = VisitForm(request.POST or None, initial={"on": timezone.localdate(),
                                                    "person": request.GET.get("person")})
    # The select offers the cadres in scope; a posted id outside it is left for the
    # service, which says why in Chinese instead of a bare "invalid choice".
    form.fields["person"].queryset = selectors.managed_cadres()
    form.fields["person"].widget.choices = people_choices(
        selectors.people_to_manage(user=request.user, department=dept,
                                   category=PersonCategory.MANAGED),
        empty_label=EMPTY_LABEL)
    form.fields["visitors"].queryset = selectors.people_to_talk_with(user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        problems = form.problems()
        for name in ("problem", "problem_follow_up", "problem_solved_on"):
            data.pop(name)
        visitors = list(data.pop("visitors"))
        if request.user.person_id and request.user.person not in visitors:
            visitors.insert(0, request.user.person)
        try:
            visit = services.visit_record(by=request.user, visitors=visitors,
                                          problems=problems, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("talks:visit", pk=visit.pk)
    return render(request, "talks/visit_form.html", {"form": form, "dept": dept,
                                                     "kinds": VisitKind.choices})


@login_required
def visit_export_view(request):
    filters = selectors.VisitFilters.from_params(request.GET)
    dept = None if filters.unit else _dept(request, request.GET.get("dept"))
    count = selectors.visit_list(user=request.user, department=dept, filters=filters).count()
    return run_export(request, name="talks.visits_export",
                      builder="zugong.talks.exports.visits_export", count=count,
                      title=_("Visits export"))


@login_required
def visit_detail_view(request, pk):
    visit = selectors.visit_get_for_user(request.user, pk)
    can_manage = may_manage_person(request.user, visit.person)
    return render(request, "talks/visit_detail.html", {
        "visit": visit, "can_manage": can_manage,
        "forms": [(p, ProblemForm(initial={"follow_up": p.follow_up, "solved_on": p.solved_on},
                                  prefix=f"p{p.pk}")) for p in visit.problems.all()]})


@login_required
def visit_delete_view(request, pk):
    """The confirm page (GET) and the delete into the recycle bin (POST)."""
    visit = selectors.visit_get_for_user(request.user, pk, write=True)
    if request.method == "POST":
        services.visit_delete(by=request.user, visit=visit)
        messages.success(request, _("The visit is in the recycle bin."))
        return redirect("talks:visits")
    return render(request, "core/confirm_delete.html", confirm_context(
        what=f"{visit.person.name} · {visit} · {visit.place}",
        back=reverse("talks:visit", args=[pk])))


@login_required
@require_POST
def problem_view(request, pk):
    problem = selectors.problem_get_for_user(request.user, pk, write=True)
    form = ProblemForm(request.POST, prefix=f"p{problem.pk}")
    if form.is_valid():
        try:
            services.problem_solve(by=request.user, problem=problem, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Check the date."))
    return redirect("talks:visit", pk=problem.visit_id)


@login_required
def flags_view(request, pk):
    person = selectors.managed_person_get_for_user(request.user, pk,
                                                   write=request.method == "POST")
    flags = selectors.flags_of(person)
    initial = {n: getattr(flags, n) for n in services.FLAG_FIELDS} if flags else {}
    form = FlagsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        submit(form, lambda data: services.visit_flags_set(by=request.user, person=person,
                                                           data=data))
        if not form.errors:
            messages.success(request, _("Saved."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "talks/flags.html", {"person": person, "form": form,
                                                "can_manage": may_manage_person(
                                                    request.user, person)})


@login_required
def person_tab_view(request, pk):
    """The talks tab of a person's page (loaded when the tab is shown)."""
    return render(request, "talks/_person_tab.html",
                  selectors.person_talks(user=request.user, pk=pk))
