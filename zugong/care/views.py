"""Pages of care. Short: scope in selectors, rules in services, reads of sensitive
content audited through ``services.content_read``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zugong.core.forms import submit
from zugong.core.paging import address_without, page_for

from . import exports, selectors, services
from .access import Cap, has_cap, may_manage_department, require_cap
from .forms import (
    ActivityForm,
    BirthdayMarkForm,
    HardshipCloseForm,
    HardshipForm,
    HealthForm,
    JoinForm,
    LeaveForm,
)
from .models import ActivityKind, HealthKind
from .selectors import ACTIVITY_ORDER, RECORD_ORDER, ActivityFilters


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    return min(max(year, 2000), today.year + 1)


def _month(request) -> int:
    try:
        month = int(request.GET.get("month") or timezone.localdate().month)
    except ValueError:
        month = timezone.localdate().month
    return month if 1 <= month <= 12 else timezone.localdate().month


def _years():
    today = timezone.localdate()
    return range(today.year, today.year - 5, -1)


def _date(request, name):
    try:
        return dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None


def _unit(request) -> str:
    raw = request.GET.get("unit", "")
    return raw if raw.isdigit() else ""


def _filters(request) -> ActivityFilters:
    year = _year(request) if request.GET.get("year") else None
    role = request.GET.get("role", "")
    return ActivityFilters(kind=request.GET.get("kind", ""),
                           department=request.GET.get("department", ""), year=year,
                           unit=_unit(request), role=role if role in selectors.ROLES else "",
                           start=_date(request, "start"), end=_date(request, "end"))


def _render_form(request, template, form, section, **extra):
    return render(request, template, {"form": form, "section": section, **extra},
                  status=400 if form.errors else 200)


@login_required
def home_view(request):
    require_cap(request.user, Cap.CARE_VIEW)
    return redirect("care:activities")


@login_required
def activities_view(request):
    filters = _filters(request)
    unit = selectors.unit_filter(user=request.user, unit=filters.unit)
    qs = selectors.activity_list(user=request.user, filters=filters)
    page = page_for(request, qs, order=ACTIVITY_ORDER)
    departments = selectors.activity_departments(user=request.user)
    dept = next((d for d in departments if str(d.pk) == filters.department), None) or \
        (departments[0] if departments else None)
    figures = selectors.activity_figures(user=request.user, department=dept,
                                         year=filters.year or timezone.localdate().year) \
        if dept else None
    params = {k: v for k, v in request.GET.items()
              if k in ("kind", "department", "year", "unit", "role", "start", "end")}
    return render(request, "care/activities.html", {
        "rows": page.items, "page": page, "filters": filters, "params": params,
        "unit": unit, "unit_clear": address_without(request, "unit"),
        "kept": {k: v for k, v in params.items() if k in ("unit", "role", "start", "end")},
        "kinds": ActivityKind.choices, "years": _years(), "departments": departments,
        "figures": figures, "can_manage": has_cap(request.user, Cap.CARE_MANAGE),
        "section": "activities"})


@login_required
def activities_export_view(request):
    return exports.activities_xlsx(user=request.user, qs=selectors.activity_list(
        user=request.user, filters=_filters(request)))


@login_required
def activity_add_view(request):
    require_cap(request.user, Cap.CARE_MANAGE)
    departments = [d for d in selectors.activity_departments(user=request.user)
                   if may_manage_department(request.user, d)]
    if not departments:
        raise PermissionDenied
    dept = next((d for d in departments
                 if str(d.pk) == (request.POST or request.GET).get("department", "")),
                departments[0])
    people = selectors.team_to_manage(user=request.user, department=dept)
    form = ActivityForm(request.POST or None, people=people,
                        initial={"held_on": timezone.localdate()})
    if request.method == "POST":
        activity = submit(form, lambda data: services.activity_record(
            by=request.user, department=dept, **data))
        if not form.errors:
            messages.success(request, _("Activity recorded."))
            return redirect("care:activity", pk=activity.pk)
    return _render_form(request, "care/activity_form.html", form, "activities",
                        department=dept)


def _activity_page(request, activity, form, status=200):
    return render(request, "care/activity_detail.html", {
        "a": activity, "people": selectors.participants(activity), "join_form": form,
        "section": "activities"}, status=status)


@login_required
def activity_detail_view(request, pk):
    activity = selectors.activity_get_for_user(request.user, pk)
    form = None
    if may_manage_department(request.user, activity.department):
        form = JoinForm(people=selectors.team_to_manage(user=request.user,
                                                        department=activity.department),
                        initial={"version": activity.version})
    return _activity_page(request, activity, form)


@login_required
@require_POST
def activity_join_view(request, pk):
    activity = selectors.activity_get_for_user(request.user, pk, write=True)
    form = JoinForm(request.POST, people=selectors.team_to_manage(
        user=request.user, department=activity.department))
    submit(form, lambda data: services.activity_join(
        by=request.user, activity=activity, version=data["version"],
        people=data["participants"]))
    if not form.errors:
        messages.success(request, _("Participants added."))
        return redirect("care:activity", pk=activity.pk)
    return _activity_page(request, activity, form, status=400)


@login_required
def birthdays_view(request):
    year, month = _year(request), _month(request)
    unit = _unit(request)
    shown = selectors.unit_filter(user=request.user, unit=unit)
    rows = selectors.birthdays(user=request.user, year=year, month=month, unit=unit)
    start, end = _date(request, "start"), _date(request, "end")
    marks = None
    if start or end:
        # A figure's period: the birthdays marked in it, which is what the figure counts.
        start, end = start or dt.date(2000, 1, 1), end or timezone.localdate()
        marks = page_for(request, selectors.birthday_marks(
            user=request.user, start=start, end=end, unit=unit), order=RECORD_ORDER)
    return render(request, "care/birthdays.html", {
        "rows": rows, "year": year, "month": month, "months": range(1, 13),
        "years": _years(), "today": timezone.localdate(),
        "unit": shown, "unit_clear": address_without(request, "unit"),
        "marks": marks.items if marks else None, "page": marks, "start": start, "end": end,
        "marked": selectors.birthdays_marked(user=request.user, year=year, unit=unit),
        "can_manage": has_cap(request.user, Cap.CARE_MANAGE), "section": "birthdays"})


@login_required
@require_POST
def birthday_mark_view(request):
    require_cap(request.user, Cap.CARE_MANAGE)
    form = BirthdayMarkForm(request.POST)
    back = redirect("care:birthdays")
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return back
    data = dict(form.cleaned_data)
    person = selectors.person_to_manage(user=request.user, pk=data.pop("person"))
    try:
        if person is None:
            raise ValidationError({"person": [services.out_of_scope_message()]})
        services.birthday_mark(by=request.user, person=person, **data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    messages.success(request, _("Political birthday marked."))
    return redirect(f"/care/birthdays/?year={data['on'].year}&month={data['on'].month}")


@login_required
def leave_view(request):
    start, end = _date(request, "start"), _date(request, "end")
    # A figure's period names the year of the overview unless a year is chosen.
    year = _year(request) if request.GET.get("year") or not (start or end) else \
        (start or end).year
    person, unit = request.GET.get("person", ""), _unit(request)
    shown = selectors.unit_filter(user=request.user, unit=unit)
    rows = selectors.leave_overview(user=request.user, year=year, person=person, unit=unit)
    entries = selectors.leave_list(user=request.user, filters=selectors.LeaveFilters(
        person=person, unit=unit, start=start, end=end,
        year=None if start or end else year))
    page = page_for(request, entries, order=RECORD_ORDER)
    return render(request, "care/leave.html", {
        "rows": rows, "entries": page.items, "page": page, "year": year, "years": _years(),
        "person": person, "unit": shown, "unit_clear": address_without(request, "unit"),
        "start": start, "end": end, "days": selectors.leave_days(entries),
        "can_manage": has_cap(request.user, Cap.CARE_MANAGE),
        "section": "leave"})


@login_required
def leave_add_view(request):
    require_cap(request.user, Cap.CARE_MANAGE)
    form = LeaveForm(request.POST or None,
                     people=selectors.people_to_manage(user=request.user),
                     initial={"on": timezone.localdate(), "until": timezone.localdate(),
                              "person": request.GET.get("person")})
    if request.method == "POST":
        submit(form, lambda data: services.leave_record(by=request.user, **data))
        if not form.errors:
            messages.success(request, _("Leave recorded."))
            return redirect("care:leave")
    return _render_form(request, "care/record_form.html", form, "leave",
                        title=_("Record annual leave"), back="care:leave")


@login_required
def health_view(request):
    kind = request.GET.get("kind", "")
    qs = selectors.health_list(user=request.user, person=request.GET.get("person", ""),
                               kind=kind)
    page = page_for(request, qs, order=RECORD_ORDER)
    return render(request, "care/health.html", {
        "rows": page.items, "page": page, "kind": kind, "kinds": HealthKind.choices,
        "section": "health"})


@login_required
def health_add_view(request):
    require_cap(request.user, Cap.CARE_SENSITIVE)
    form = HealthForm(request.POST or None, people=selectors.people_to_manage(
        user=request.user, cap=Cap.CARE_SENSITIVE), initial={"on": timezone.localdate()})
    if request.method == "POST":
        record = submit(form, lambda data: services.health_record(by=request.user, **data))
        if not form.errors:
            messages.success(request, _("Recorded."))
            return redirect("care:health_record", pk=record.pk)
    return _render_form(request, "care/record_form.html", form, "health",
                        title=_("Record a health check or recuperation"), back="care:health")


@login_required
def health_detail_view(request, pk):
    record = selectors.health_get_for_user(request.user, pk)
    services.content_read(by=request.user, record=record)
    return render(request, "care/health_detail.html", {"r": record, "section": "health"})


@login_required
def hardships_view(request):
    open_only = request.GET.get("open") == "1"
    qs = selectors.hardship_list(user=request.user, person=request.GET.get("person", ""),
                                 open_only=open_only)
    page = page_for(request, qs, order=RECORD_ORDER)
    return render(request, "care/hardships.html", {
        "rows": page.items, "page": page, "open_only": open_only, "section": "hardship"})


@login_required
def hardship_add_view(request):
    require_cap(request.user, Cap.CARE_SENSITIVE)
    # Managed cadres too: 困难干部 are also those the head visits at home (M10, 适时家访).
    form = HardshipForm(request.POST or None, people=selectors.people_to_manage(
        user=request.user, cap=Cap.CARE_SENSITIVE, org_cadres=False),
        initial={"on": timezone.localdate()})
    if request.method == "POST":
        record = submit(form, lambda data: services.hardship_record(by=request.user, **data))
        if not form.errors:
            messages.success(request, _("Recorded."))
            return redirect("care:hardship", pk=record.pk)
    return _render_form(request, "care/record_form.html", form, "hardship",
                        title=_("Record hardship support"), back="care:hardships")


def _hardship_page(request, record, form, status=200):
    services.content_read(by=request.user, record=record)
    return render(request, "care/hardship_detail.html", {
        "r": record, "form": form if record.closed_on is None else None,
        "visits": selectors.home_visits(user=request.user, hardship=record),
        "section": "hardship"}, status=status)


@login_required
def hardship_detail_view(request, pk):
    record = selectors.hardship_get_for_user(request.user, pk)
    form = HardshipCloseForm(initial={"version": record.version,
                                      "closed_on": timezone.localdate()})
    return _hardship_page(request, record, form)


@login_required
@require_POST
def hardship_close_view(request, pk):
    record = selectors.hardship_get_for_user(request.user, pk, write=True)
    form = HardshipCloseForm(request.POST)
    submit(form, lambda data: services.hardship_close(
        by=request.user, hardship=record, **data))
    if not form.errors:
        messages.success(request, _("Closed."))
        return redirect("care:hardship", pk=record.pk)
    return _hardship_page(request, record, form, status=400)


@login_required
def person_tab_view(request, pk):
    """The care tab of a person's page: dates and kinds, never sensitive content."""
    person = selectors.person_for_tab(user=request.user, pk=pk)
    return render(request, "care/_person_tab.html", {
        "person": person, **selectors.person_summary(
            user=request.user, person=person, year=timezone.localdate().year)})
