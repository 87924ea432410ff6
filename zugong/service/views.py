"""Pages of the service app. Short: scope in selectors, rules in services."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zugong.core import ballots
from zugong.core.forms import apply_errors, submit
from zugong.core.middleware import get_client_ip
from zugong.core.paging import page_for
from zugong.core.versioning import ConflictError

from . import exports, selectors, services
from .access import Cap, in_scope, may_keep, may_manage, may_manage_department, require_cap
from .forms import (
    AssignForm,
    DeedForm,
    DeedStatusForm,
    DeliverForm,
    DeliveryForm,
    ExpertForm,
    HouseholdForm,
    LiaisonForm,
    MatchForm,
    OrderForm,
    OrderRateForm,
    PairingEndForm,
    PointForm,
    ProblemForm,
    PublicRateForm,
    RateForm,
    RuleForm,
    SolveForm,
    VisitForm,
)
from .models import (
    DeedStatus,
    LiaisonKind,
    OrderStatus,
    ProblemStatus,
    RuleKind,
    SendItem,
    VisitKind,
)
from .selectors import COMPLETED, ORDER, RESOLVED, Filters

# The filters a list keeps across its pages, its export and its links.
PARAMS = ("person", "kind", "status", "start", "end", "unit", "covered")


def _filters(params) -> Filters:
    def day(name):
        try:
            return parse_date(params.get(name) or "")
        except ValueError:
            return None
    return Filters(person=params.get("person", ""), kind=params.get("kind", ""),
                   status=params.get("status", ""), start=day("start"), end=day("end"),
                   unit=params.get("unit", ""), covered=params.get("covered", ""))


def _params(request) -> dict:
    return {k: v for k, v in request.GET.items() if k in PARAMS}


def _list_context(request, filters: Filters) -> dict:
    """What every list shows about its filters: the kept parameters, and the ``?unit=``
    filter's unit with the address that clears it (404 when out of scope or missing, the
    same answer as the list itself)."""
    unit = selectors.unit_for_filter(user=request.user, pk=filters.unit) \
        if filters.unit else None
    rest = {k: v for k, v in _params(request).items() if k != "unit"}
    return {"filters": filters, "params": _params(request), "unit": unit,
            "unit_clear": "?" + urlencode(rest)}


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    return min(max(year, 2000), today.year)


def _person_or_none(user):
    return getattr(user, "person", None)


@login_required
def home_view(request):
    """The cadre's own page: pairings, this year's coverage, open problems."""
    today = timezone.localdate()
    return render(request, "service/home.html", {
        **selectors.my_service(user=request.user, as_of=today), "today": today,
        "section": "home"})


@login_required
def visits_view(request):
    filters = _filters(request.GET)
    page = page_for(request, selectors.visit_list(user=request.user, filters=filters),
                    order=ORDER)
    return render(request, "service/visits.html", {
        "rows": page.items, "page": page, **_list_context(request, filters),
        "kinds": VisitKind.choices, "section": "visits"})


def _visit_form(request, person, today):
    points, households = selectors.own_pairings(person=person, on=today)
    return VisitForm(request.POST or None, points=points, households=households,
                     initial={"on": today, "kind": request.GET.get("kind", ""),
                              "household": request.GET.get("household")})


@login_required
def visit_add_view(request):
    require_cap(request.user, Cap.SERVICE_VIEW)
    person = _person_or_none(request.user)
    if person is None:
        return render(request, "service/no_person.html", {"section": "visits"}, status=403)
    today = timezone.localdate()
    form = _visit_form(request, person, today)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Visit recorded."))
            first = visit.problems.order_by("pk").first()
            if first is not None:
                return redirect("service:problem", pk=first.pk)
            return redirect("service:visit", pk=visit.pk)
    return render(request, "service/visit_form.html", {"form": form, "section": "visits"},
                  status=400 if form.errors else 200)


@login_required
def visit_detail_view(request, pk):
    visit = selectors.visit_get_for_user(request.user, pk)
    return render(request, "service/visit_detail.html", {
        "v": visit, "problems": list(visit.problems.order_by("pk")), "section": "visits"})


@login_required
def problems_view(request):
    filters = _filters(request.GET)
    page = page_for(request, selectors.problem_list(user=request.user, filters=filters),
                    order=ORDER)
    return render(request, "service/problems.html", {
        "rows": page.items, "page": page, **_list_context(request, filters),
        "statuses": [("open", _("not yet solved")), *ProblemStatus.choices,
                     (RESOLVED, _("solved or rated (dated by the day solved)"))],
        "section": "problems"})


@login_required
def problems_export_view(request):
    return exports.problems_xlsx(user=request.user, qs=selectors.problem_list(
        user=request.user, filters=_filters(request.GET)))


@login_required
def problem_add_view(request):
    require_cap(request.user, Cap.SERVICE_VIEW)
    if _person_or_none(request.user) is None:
        return render(request, "service/no_person.html", {"section": "problems"}, status=403)
    form = ProblemForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_raise(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Problem recorded."))
            return redirect("service:problem", pk=problem.pk)
    return render(request, "service/problem_form.html", {"form": form,
                                                         "section": "problems"},
                  status=400 if form.errors else 200)


def _problem_page(request, problem, *, assign=None, solve=None, rate=None, status=200,
                  code=None):
    user = request.user
    today = timezone.localdate()
    keeps = may_keep(user, problem.person)
    handles = bool(user.person_id) and problem.handler_id == user.person_id
    if not problem.solved:
        assign = assign or (AssignForm(people=selectors.handlers_for(user=user), initial={
            "version": problem.version, "on": today}) if keeps else None)
        solve = solve or (SolveForm(initial={"version": problem.version, "solved_on": today})
                          if keeps or handles else None)
    if problem.status == ProblemStatus.SOLVED and keeps:
        rate = rate or RateForm(initial={"version": problem.version, "rated_on": today})
    return render(request, "service/problem_detail.html", {
        "p": problem, "assign_form": assign, "solve_form": solve, "rate_form": rate,
        "code": code, "section": "problems"}, status=status)


@login_required
def problem_detail_view(request, pk):
    return _problem_page(request, selectors.problem_get_for_user(request.user, pk))


def _problem_write(request, pk, form_cls, call, slot, done_message, **form_kwargs):
    problem = selectors.problem_get_for_user(request.user, pk, write=True)
    form = form_cls(request.POST, **form_kwargs)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            call(problem, version, data)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done_message)
            return redirect("service:problem", pk=problem.pk)
    return _problem_page(request, problem, status=400, **{slot: form})


@login_required
@require_POST
def problem_assign_view(request, pk):
    return _problem_write(
        request, pk, AssignForm,
        lambda p, v, d: services.problem_assign(by=request.user, problem=p, version=v, **d),
        "assign", _("Problem assigned."), people=selectors.handlers_for(user=request.user))


@login_required
@require_POST
def problem_solve_view(request, pk):
    return _problem_write(
        request, pk, SolveForm,
        lambda p, v, d: services.problem_solve(by=request.user, problem=p, version=v, **d),
        "solve", _("Problem marked solved."))


@login_required
@require_POST
def problem_rate_view(request, pk):
    return _problem_write(
        request, pk, RateForm,
        lambda p, v, d: services.problem_rate(by=request.user, problem=p, version=v, **d),
        "rate", _("Satisfaction recorded."))


@login_required
def deliveries_view(request):
    filters = _filters(request.GET)
    page = page_for(request, selectors.delivery_list(user=request.user, filters=filters),
                    order=ORDER)
    person = _person_or_none(request.user)
    today = timezone.localdate()
    form = None
    if person is not None:
        _points, households = selectors.own_pairings(person=person, on=today)
        form = DeliveryForm(request.POST or None, households=households,
                            initial={"on": today})
    if request.method == "POST":
        require_cap(request.user, Cap.SERVICE_VIEW)
        if form is not None and form.is_valid():
            try:
                services.delivery_record(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Recorded."))
                return redirect("service:deliveries")
    return render(request, "service/deliveries.html", {
        "rows": page.items, "page": page, "form": form, **_list_context(request, filters),
        "items": SendItem.choices, "section": "deliveries"},
        status=400 if form is not None and form.errors or
        (request.method == "POST" and form is None) else 200)


@login_required
def deeds_view(request):
    filters = _filters(request.GET)
    page = page_for(request, selectors.deed_list(user=request.user, filters=filters),
                    order=ORDER)
    person = _person_or_none(request.user)
    form = DeedForm(request.POST or None, initial={"on": timezone.localdate()}) \
        if person is not None else None
    if request.method == "POST":
        require_cap(request.user, Cap.SERVICE_VIEW)
        if form is not None and form.is_valid():
            try:
                services.deed_create(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Recorded."))
                return redirect("service:deeds")
    return render(request, "service/deeds.html", {
        "rows": page.items, "page": page, "form": form, **_list_context(request, filters),
        "statuses": DeedStatus.choices, "today": timezone.localdate(),
        "section": "deeds"},
        status=400 if form is not None and form.errors or
        (request.method == "POST" and form is None) else 200)


@login_required
@require_POST
def deed_status_view(request, pk):
    deed = selectors.deed_get_for_user(request.user, pk, write=True)
    form = DeedStatusForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.deed_update(by=request.user, deed=deed, version=data.pop("version"),
                                 **data)
        except (ConflictError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Status saved."))
    else:
        messages.error(request, _("Choose the status."))
    return redirect("service:deeds")


def _pairings_page(request, *, point_form=None, household_form=None, status=200):
    user = request.user
    person = request.GET.get("person", "")
    people = selectors.people_kept_by(user=user)
    today = timezone.localdate()
    initial = {"on": today, "person": user.person_id}
    return render(request, "service/pairings.html", {
        "points": list(selectors.point_list(user=user, person=person)[:500]),
        "households": list(selectors.household_list(user=user, person=person)[:500]),
        "point_form": point_form or PointForm(people=people, initial=initial),
        "household_form": household_form or HouseholdForm(people=people, initial=initial),
        "can_pair": people.exists(), "section": "pairings"}, status=status)


@login_required
def pairings_view(request):
    return _pairings_page(request)


def _pair(request, form_cls, call, slot):
    require_cap(request.user, Cap.SERVICE_VIEW)
    form = form_cls(request.POST, people=selectors.people_kept_by(user=request.user))
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Pairing recorded."))
            return redirect("service:pairings")
    return _pairings_page(request, status=400, **{slot: form})


@login_required
@require_POST
def point_add_view(request):
    return _pair(request, PointForm,
                 lambda d: services.point_create(by=request.user, **d), "point_form")


@login_required
@require_POST
def household_add_view(request):
    return _pair(request, HouseholdForm,
                 lambda d: services.household_create(by=request.user, **d), "household_form")


@login_required
@require_POST
def pairing_end_view(request, kind, pk):
    """End a contact point's or household's pairing (its last day and the reason); the
    record stays, shown as ended."""
    get = {"point": selectors.point_get_for_user,
           "household": selectors.household_get_for_user}.get(kind)
    if get is None:
        raise Http404
    pairing = get(request.user, pk, write=True)
    form = PairingEndForm(request.POST)
    if submit(form, lambda data: services.pairing_end(by=request.user, pairing=pairing,
                                                      **data)) is not None:
        messages.success(request, _("The pairing has ended; its records stay."))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values()
                                         for m in errors))
    return redirect("service:pairings")


def _coverage(request) -> dict:
    """The coverage page's figures for ``?year=`` (``?dept=``, ``?unit=``), as the page and
    its export show them."""
    today = timezone.localdate()
    year = _year(request)
    as_of = today if year == today.year else dt.date(year + 1, 1, 1)
    department = selectors.department_for(user=request.user, pk=request.GET.get("dept"))
    filters = Filters(unit=request.GET.get("unit", ""))
    return {**selectors.coverage_page(user=request.user, year=year, as_of=as_of,
                                      department=department, unit=filters.unit),
            **_list_context(request, filters), "year": year, "as_of": as_of,
            "years": range(today.year, today.year - 5, -1)}


@login_required
def coverage_view(request):
    return render(request, "service/coverage.html", {**_coverage(request),
                                                     "section": "coverage"})


@login_required
def coverage_export_view(request):
    return exports.coverage_xlsx(user=request.user, **_coverage(request))


@login_required
def visits_export_view(request):
    filters = _filters(request.GET)
    return exports.visits_xlsx(user=request.user, filters=_params(request),
                               qs=selectors.visit_list(user=request.user, filters=filters))


@login_required
def orders_export_view(request):
    filters = _filters(request.GET)
    return exports.orders_xlsx(user=request.user, filters=_params(request),
                               qs=selectors.order_list(user=request.user, filters=filters))


@login_required
def rules_view(request):
    require_cap(request.user, Cap.SERVICE_VIEW)
    department = selectors.department_for(user=request.user)
    can_set = in_scope(request.user, Cap.SERVICE_RULES, department)
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
                return redirect("service:rules")
        elif kind not in RuleKind.values:
            form.add_error(None, _("Choose the rule."))
    return render(request, "service/rules.html", {
        "department": department, "rules": selectors.rule_rows(department),
        "can_set": can_set, "form": form, "section": "rules"},
        status=400 if form is not None and form.errors else 200)


@login_required
def person_tab_view(request, pk):
    person = selectors.person_for_tab(user=request.user, pk=pk)
    year = timezone.localdate().year
    return render(request, "service/_person_tab.html", {
        "person": person, "year": year, "may_manage": may_manage(request.user),
        **selectors.person_summary(person=person, year=year)})




# ---------------------------------------------------------------- 六联六促 and expert orders


@login_required
def liaisons_view(request):
    """The six kinds of liaison per cadre, and (for whoever keeps records) a form to add."""
    filters = _filters(request.GET)
    rows = selectors.with_research_topics(user=request.user, rows=list(
        selectors.liaison_list(user=request.user, filters=filters)[:1000]))
    people = selectors.people_kept_by(user=request.user)
    form = LiaisonForm(request.POST or None, people=people,
                       topics=selectors.research_topics(user=request.user),
                       initial={"on": timezone.localdate(), "person": request.user.person_id})
    if request.method == "POST":
        require_cap(request.user, Cap.SERVICE_VIEW)
        if submit(form, lambda data: services.liaison_create(by=request.user, **data)):
            messages.success(request, _("Recorded."))
            return redirect("service:liaisons")
    return render(request, "service/liaisons.html", {
        "matrix": selectors.liaison_matrix(rows), "kinds": LiaisonKind.choices, "form": form,
        **_list_context(request, filters),
        "can_add": people.exists(), "section": "liaisons"},
        status=400 if form.errors else 200)


@login_required
def experts_view(request):
    department = selectors.department_for(user=request.user)
    can_add = may_manage_department(request.user, department)
    form = ExpertForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.expert_create(by=request.user, department=department,
                                       **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Recorded."))
                return redirect("service:experts")
    return render(request, "service/experts.html", {
        "experts": list(selectors.expert_list(user=request.user, department=department)),
        "department": department, "form": form, "section": "orders"},
        status=400 if form is not None and form.errors else 200)


@login_required
def orders_view(request):
    filters = _filters(request.GET)
    page = page_for(request, selectors.order_list(user=request.user, filters=filters),
                    order=ORDER)
    has_person = _person_or_none(request.user) is not None
    form = OrderForm(request.POST or None, initial={"on": timezone.localdate()}) \
        if has_person else None
    if request.method == "POST":
        require_cap(request.user, Cap.SERVICE_VIEW)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                order = services.order_place(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Order recorded."))
                return redirect("service:order", pk=order.pk)
    return render(request, "service/orders.html", {
        "rows": page.items, "page": page, "form": form, **_list_context(request, filters),
        "statuses": [*OrderStatus.choices,
                     (COMPLETED, _("delivered or rated (dated by the day delivered)"))],
        "section": "orders"},
        status=400 if form is not None and form.errors else 200)


def _order_page(request, order, status=200, **forms):
    today = timezone.localdate()
    ctx = {"o": order, "section": "orders"}
    if may_keep(request.user, order.person):
        if order.status in (OrderStatus.ORDERED, OrderStatus.MATCHED):
            ctx["match_form"] = forms.get("match") or MatchForm(
                experts=selectors.experts_for(order),
                initial={"version": order.version, "on": today})
        if order.status == OrderStatus.MATCHED:
            ctx["deliver_form"] = forms.get("deliver") or DeliverForm(
                initial={"version": order.version, "on": today})
        if order.status == OrderStatus.DELIVERED:
            ctx["rate_form"] = forms.get("rate") or OrderRateForm(
                initial={"version": order.version})
    return render(request, "service/order_detail.html", ctx, status=status)


@login_required
def order_detail_view(request, pk):
    return _order_page(request, selectors.order_get_for_user(request.user, pk))


def _order_write(request, pk, form_cls, call, slot, done, form_kwargs=None):
    order = selectors.order_get_for_user(request.user, pk, write=True)
    form = form_cls(request.POST, **(form_kwargs(order) if form_kwargs else {}))
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            call(order, version, data)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("service:order", pk=order.pk)
    return _order_page(request, order, status=400, **{slot: form})


@login_required
@require_POST
def order_match_view(request, pk):
    return _order_write(
        request, pk, MatchForm,
        lambda o, v, d: services.order_match(by=request.user, order=o, version=v, **d),
        "match", _("Expert matched."),
        form_kwargs=lambda o: {"experts": selectors.experts_for(o)})


@login_required
@require_POST
def order_deliver_view(request, pk):
    return _order_write(
        request, pk, DeliverForm,
        lambda o, v, d: services.order_deliver(by=request.user, order=o, version=v, **d),
        "deliver", _("Delivery recorded."))


@login_required
@require_POST
def order_rate_view(request, pk):
    return _order_write(
        request, pk, OrderRateForm,
        lambda o, v, d: services.order_rate(by=request.user, order=o, version=v, **d),
        "rate", _("Rating recorded."))


@login_required
@require_POST
def problem_code_view(request, pk):
    """A one-time code for the public's own rating, shown once on the problem's page."""
    problem = selectors.problem_get_for_user(request.user, pk, write=True)
    try:
        code = services.rating_code_issue(by=request.user, problem=problem)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("service:problem", pk=problem.pk)
    return _problem_page(request, problem, code=code)


def public_rate_view(request):
    """The public rates a solved problem with the one-time code a cadre gave them; no
    account, and nothing about the problem is shown to whoever holds no valid code. Too
    many wrong codes from one address lock the page for it for a while (core.ballots)."""
    form = PublicRateForm(request.POST or None)
    done = False
    client = get_client_ip(request)
    if request.method == "POST":
        if ballots.code_locked("service.problem", client):
            form.is_valid()
            form.add_error(None, _("Too many wrong codes: try again in 15 minutes."))
        else:
            done = submit(form, lambda data: services.public_rate(**data)) is not None
            if "code" in form.errors:
                ballots.code_wrong("service.problem", client)
    return render(request, "service/public_rate.html", {"form": form, "done": done},
                  status=422 if form.errors else 200)
