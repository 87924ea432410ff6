"""Pages of Party life and rectification. Short: scope in selectors, rules in services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zugong.core.forms import apply_errors, submit
from zugong.core.paging import address_without, page_for

from . import exports, selectors, services
from .access import Cap, has_cap, people_in_scope, require_cap
from .forms import (
    AppraisalForm,
    AttendanceForm,
    CriticismForm,
    DutyForm,
    MaterialForm,
    MeasureForm,
    MeetingForm,
    MinutesForm,
    OpinionForm,
    ProblemForm,
    RuleForm,
    SelfProblemForm,
    SubmitForm,
    TalkLinkForm,
    VerifyForm,
)
from .models import MeasureStatus, MeetingKind, ProblemSource
from .selectors import (
    MEASURE_ORDER,
    MEETING_ORDER,
    PROBLEM_ORDER,
    MeasureFilters,
    MeetingFilters,
    ProblemFilters,
)


def _day(params, name):
    try:
        return parse_date(params.get(name) or "")
    except ValueError:
        return None


def _meeting_filters(params) -> MeetingFilters:
    return MeetingFilters(kind=params.get("kind", ""), unit=params.get("unit", ""),
                          branch=params.get("branch", ""),
                          attendance=params.get("attendance", ""),
                          criticisms=params.get("criticisms", ""),
                          person=params.get("person", ""), start=_day(params, "start"),
                          end=_day(params, "end"))


def _unit_filter(request, cap: str, *, keep=()) -> dict:
    """What a list shows of its ``?unit=`` filter (a figure's link to its records): the
    unit (404 outside the user's scope for ``cap``), the address of the list without it,
    and the filters (``keep``) the page's own filter form carries as hidden fields."""
    # A page without date fields of its own shows the period it was opened for.
    dated = "start" in keep
    return {"filter_unit": selectors.filter_unit(user=request.user, cap=cap,
                                                 pk=request.GET.get("unit", "")),
            "unit_clear": address_without(request, "unit"),
            "period_start": _day(request.GET, "start") if dated else None,
            "period_end": _day(request.GET, "end") if dated else None,
            "period_clear": address_without(request, "start", "end"),
            "kept": {k: request.GET[k] for k in ("unit", *keep) if request.GET.get(k)}}


@login_required
def home_view(request):
    require_cap(request.user, Cap.PARTYLIFE_VIEW)
    return redirect("partylife:meetings")


@login_required
def meetings_view(request):
    filters = _meeting_filters(request.GET)
    page = page_for(request, selectors.meeting_list(user=request.user, filters=filters),
                    order=MEETING_ORDER)
    params = {k: v for k, v in request.GET.items()
              if k in ("kind", "unit", "branch", "attendance", "criticisms", "person",
                       "start", "end")}
    return render(request, "partylife/meetings.html", {
        "rows": page.items, "page": page, "filters": filters, "params": params,
        "kinds": MeetingKind.choices, "section": "meetings",
        "branch": selectors.filter_unit(user=request.user, cap=Cap.PARTYLIFE_VIEW,
                                        pk=filters.branch),
        # What the extra column counts: criticisms (the criticism figures' link wins),
        # people on the attendance, or nothing for meetings by chair.
        "counted": "criticisms" if filters.criticisms in selectors.CRITICISM_SIDES
        else "people" if filters.attendance in selectors.ATTENDANCE_STATES else "",
        **_unit_filter(request, Cap.PARTYLIFE_VIEW,
                       keep=("person", "branch", "attendance", "criticisms")),
        "can_record": has_cap(request.user, Cap.PARTYLIFE_RECORD)})


@login_required
def meeting_add_view(request):
    require_cap(request.user, Cap.PARTYLIFE_RECORD)
    unit = selectors.unit_to_record(user=request.user, pk=request.GET.get("unit", ""))
    if unit is None:
        return render(request, "partylife/meeting_unit.html", {
            "units": selectors.units_to_record(user=request.user), "section": "meetings"})
    members = selectors.members_of(unit).select_related("unit").order_by("unit_path", "name")
    kind = request.GET.get("kind", "")
    form = MeetingForm(request.POST or None, units=selectors.units_to_record(
        user=request.user), members=members, initial={
        "unit": unit.pk, "held_on": timezone.localdate(), "present": list(members),
        "kind": kind if kind in MeetingKind.values else ""})
    if request.method == "POST":
        meeting = submit(form, lambda data: services.meeting_record(by=request.user, **data))
        if not form.errors:
            messages.success(request, _("Meeting recorded."))
            return redirect("partylife:meeting", pk=meeting.pk)
    return render(request, "partylife/meeting_form.html", {
        "form": form, "unit": unit, "section": "meetings"},
        status=400 if form.errors else 200)


def _meeting_page(request, meeting, *, minutes_form=None, attendance_form=None,
                  flow_forms=None, status=200):
    detail = selectors.meeting_detail(user=request.user, meeting=meeting)
    flow = selectors.flow_for(user=request.user, meeting=meeting) \
        if meeting.is_life_meeting else None
    if flow is not None and flow_forms is None:
        flow_forms = _flow_forms(request.user, meeting, flow)
    if detail["can_read_minutes"]:
        services.meeting_read(by=request.user, meeting=meeting)
    if minutes_form is None and detail["can_record"]:
        minutes_form = MinutesForm(initial={"version": meeting.version,
                                            "minutes": meeting.minutes,
                                            "sensitive": meeting.sensitive})
    if attendance_form is None and detail["is_member"]:
        mine = detail["mine"]
        attendance_form = AttendanceForm(initial={
            "person": request.user.person_id, "status": mine.status if mine else "present",
            "reason": mine.reason if mine else "", "made_up_on": timezone.localdate()})
    return render(request, "partylife/meeting_detail.html", {
        "m": meeting, **detail, "rate": selectors.attendance_rate(detail["attendance"]),
        "minutes_form": minutes_form, "attendance_form": attendance_form,
        "flow": flow, "flow_forms": flow_forms or {}, "section": "meetings"}, status=status)


@login_required
def meeting_detail_view(request, pk):
    return _meeting_page(request, selectors.meeting_get_for_user(request.user, pk))


@login_required
@require_POST
def meeting_minutes_view(request, pk):
    meeting = selectors.meeting_get_for_user(request.user, pk, write=True)
    form = MinutesForm(request.POST)
    submit(form, lambda data: services.meeting_minutes(by=request.user, meeting=meeting,
                                                       **data))
    if not form.errors:
        messages.success(request, _("Minutes saved."))
        return redirect("partylife:meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, minutes_form=form, status=400)


@login_required
@require_POST
def attendance_mark_view(request, pk):
    """A member marks their own attendance; a recorder marks anyone of the branch."""
    meeting = selectors.meeting_get_for_user(request.user, pk)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        person = selectors.person_to_mark(user=request.user, meeting=meeting,
                                          pk=data.pop("person"))
        if person is None:
            raise Http404
        try:
            services.attendance_mark(by=request.user, meeting=meeting, person=person, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("partylife:meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, attendance_form=form, status=400)


# ---------------------------------------------------------------- problems and measures


def _problem_filters(params) -> ProblemFilters:
    return ProblemFilters(source=params.get("source", ""), person=params.get("person", ""),
                          unit=params.get("unit", ""), meeting=params.get("meeting", ""),
                          start=_day(params, "start"), end=_day(params, "end"))


@login_required
def problems_view(request):
    filters = _problem_filters(request.GET)
    page = page_for(request, selectors.problem_list(user=request.user, filters=filters),
                    order=PROBLEM_ORDER)
    return render(request, "partylife/problems.html", {
        "rows": page.items, "page": page, "filters": filters, "sources": ProblemSource.choices,
        "section": "problems",
        **_unit_filter(request, Cap.RECT_VIEW, keep=("person", "meeting"))})


@login_required
def problem_add_view(request):
    """A leader records a problem about someone in scope; a member their own (self-check)."""
    require_cap(request.user, Cap.RECT_VIEW)
    manager = has_cap(request.user, Cap.RECT_MANAGE)
    people = selectors.people_to_manage(user=request.user)
    sources = None if manager else [(ProblemSource.SELF_CHECK,
                                     ProblemSource.SELF_CHECK.label)]
    form = ProblemForm(request.POST or None, people=people, sources=sources, initial={
        "found_on": timezone.localdate(), "person": request.user.person_id,
        "source": "" if manager else ProblemSource.SELF_CHECK})
    if request.method == "POST":
        problem = submit(form, lambda data: services.problem_record(by=request.user, **data))
        if not form.errors:
            messages.success(request, _("Problem recorded."))
            return redirect("partylife:problem", pk=problem.pk)
    return render(request, "partylife/problem_form.html", {"form": form,
                                                          "section": "problems"},
                  status=400 if form.errors else 200)


@login_required
def problem_detail_view(request, pk):
    problem = selectors.problem_get_for_user(request.user, pk)
    form = None
    if selectors.may_set_measure(user=request.user, problem=problem):
        form = MeasureForm(request.POST or None, people=selectors.measure_owners(
            user=request.user, problem=problem), initial={"owner": problem.person_id})
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        submit(form, lambda data: services.measure_set(by=request.user, problem=problem,
                                                       **data))
        if not form.errors:
            messages.success(request, _("Measure set."))
            return redirect("partylife:problem", pk=problem.pk)
    return render(request, "partylife/problem_detail.html", {
        "p": problem, "measures": list(problem.measures.select_related("owner")),
        "form": form, "today": timezone.localdate(), "section": "problems"},
        status=400 if form is not None and form.errors else 200)


def _measure_filters(params) -> MeasureFilters:
    status = params.get("status", "")
    return MeasureFilters(status=status if status in MeasureStatus.values else "",
                          owner=params.get("owner", "") or params.get("person", ""),
                          overdue=params.get("overdue") == "1", unit=params.get("unit", ""),
                          start=_day(params, "start"), end=_day(params, "end"))


@login_required
def measures_view(request):
    filters = _measure_filters(request.GET)
    today = timezone.localdate()
    page = page_for(request, selectors.measure_list(user=request.user, filters=filters,
                                                    today=today), order=MEASURE_ORDER)
    params = {k: v for k, v in request.GET.items()
              if k in ("status", "owner", "person", "overdue", "start", "end", "unit")}
    return render(request, "partylife/measures.html", {
        "rows": page.items, "page": page, "filters": filters, "params": params,
        "statuses": MeasureStatus.choices, "today": today, "section": "measures",
        **_unit_filter(request, Cap.RECT_VIEW, keep=("owner", "person", "start", "end"))})


@login_required
def measures_export_view(request):
    today = timezone.localdate()
    return exports.measures_xlsx(user=request.user, today=today, qs=selectors.measure_list(
        user=request.user, filters=_measure_filters(request.GET), today=today))


def _measure_page(request, measure, *, submit_form=None, verify_form=None, status=200):
    user = request.user
    is_owner = measure.owner_id == user.person_id
    if submit_form is None and is_owner and measure.status == MeasureStatus.OPEN:
        submit_form = SubmitForm(initial={"version": measure.version,
                                          "evidence": measure.evidence})
    if verify_form is None and not is_owner and measure.status == MeasureStatus.SUBMITTED \
            and selectors.may_verify(user=user, measure=measure):
        verify_form = VerifyForm(initial={"version": measure.version, "passed": "1"})
    return render(request, "partylife/measure_detail.html", {
        "m": measure, "submit_form": submit_form, "verify_form": verify_form,
        "today": timezone.localdate(), "section": "measures"}, status=status)


@login_required
def measure_detail_view(request, pk):
    return _measure_page(request, selectors.measure_get_for_user(request.user, pk))


@login_required
@require_POST
def measure_submit_view(request, pk):
    measure = selectors.measure_get_for_user(request.user, pk, write=True)
    form = SubmitForm(request.POST)
    submit(form, lambda data: services.measure_submit(
        by=request.user, measure=measure, version=data["version"], evidence=data["evidence"]))
    if not form.errors:
        messages.success(request, _("Evidence submitted for verification."))
        return redirect("partylife:measure", pk=measure.pk)
    return _measure_page(request, measure, submit_form=form, status=400)


@login_required
@require_POST
def measure_verify_view(request, pk):
    measure = selectors.measure_get_for_user(request.user, pk, write=True)
    form = VerifyForm(request.POST)
    submit(form, lambda data: services.measure_verify(by=request.user, measure=measure,
                                                      **data))
    if not form.errors:
        messages.success(request, _("Verification recorded."))
        return redirect("partylife:measure", pk=measure.pk)
    return _measure_page(request, measure, verify_form=form, status=400)


@login_required
def person_tab_view(request, pk):
    person = selectors.person_for_tab(user=request.user, pk=pk)
    return render(request, "partylife/_person_tab.html", {
        "person": person, **selectors.person_summary(user=request.user, person=person)})


# ---------------------------------------------------------------- coverage


def _year(request) -> int:
    today = timezone.localdate()
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= today.year else today.year


def _coverage_page(request, *, form=None, status=200):
    dept = selectors.department_for_coverage(user=request.user,
                                             pk=request.GET.get("department"))
    today, year = timezone.localdate(), _year(request)
    table = selectors.coverage_for(department=dept, year=year, today=today,
                                   people=people_in_scope(request.user, Cap.PARTYLIFE_LEAD))
    can_set = selectors.may_record_unit(request.user, dept)
    if form is None and can_set:
        form = RuleForm(initial={"frequency": "month", "times": 1})
    return render(request, "partylife/coverage.html", {
        "dept": dept, "year": year, "table": table, "form": form if can_set else None,
        "years": range(today.year, today.year - 4, -1), "section": "coverage"}, status=status)


@login_required
def coverage_view(request):
    return _coverage_page(request)


@login_required
@require_POST
def rule_set_view(request):
    dept = selectors.department_for_coverage(user=request.user,
                                             pk=request.GET.get("department"))
    form = RuleForm(request.POST)
    submit(form, lambda data: services.rule_set(by=request.user, department=dept, **data))
    if not form.errors:
        messages.success(request, _("Frequency rule saved."))
        return redirect(f"{reverse('partylife:coverage')}?department={dept.pk}")
    return _coverage_page(request, form=form, status=400)


# ---------------------------------------------------------------- the 组织生活会 flow

FLOW_STEPS = ("talk", "opinion", "material", "check", "problem", "criticism", "appraisal")


def _flow_forms(user, meeting, flow, data=None, step=""):
    """The flow's forms this user may fill; ``data`` binds the one of ``step``."""
    members = selectors.members_of(meeting.unit).select_related("unit").order_by(
        "unit_path", "name")
    def bound(name):
        return data if name == step else None
    forms = {}
    if flow["recorder"]:
        forms["talk"] = TalkLinkForm(bound("talk"), talks=flow["talk_choices"])
        forms["opinion"] = OpinionForm(bound("opinion"),
                                       initial={"received_on": timezone.localdate()})
        forms["appraisal"] = AppraisalForm(bound("appraisal"), members=members)
    if flow["is_member"]:
        mine = flow["my_material"]
        if mine is None or not mine.checked_on:
            forms["material"] = MaterialForm(bound("material"),
                                             initial={"text": mine.text if mine else ""})
        forms["problem"] = SelfProblemForm(bound("problem"))
        forms["criticism"] = CriticismForm(bound("criticism"),
                                           members=members.exclude(pk=user.person_id))
    return forms


@login_required
@require_POST
def meeting_flow_view(request, pk, step):
    """One step of the organization-life meeting, posted from its page."""
    meeting = selectors.meeting_get_for_user(request.user, pk)
    if step not in FLOW_STEPS or not meeting.is_life_meeting:
        raise Http404
    flow = selectors.flow_for(user=request.user, meeting=meeting)
    if step == "check":
        material = selectors.material_get_for_user(
            request.user, meeting, request.POST.get("material"), write=True)
        services.material_check(by=request.user, material=material)
        messages.success(request, _("Material checked."))
        return redirect("partylife:meeting", pk=meeting.pk)
    forms = _flow_forms(request.user, meeting, flow, data=request.POST, step=step)
    form = forms.get(step)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        user = request.user
        try:
            if step == "talk":
                services.preptalk_link(by=user, meeting=meeting, talk_id=data["talk_id"])
            elif step == "opinion":
                services.opinion_record(by=user, meeting=meeting, **data)
            elif step == "material":
                services.material_submit(by=user, meeting=meeting, text=data["text"])
            elif step == "problem":
                services.problem_record(by=user, source="meeting", meeting=meeting,
                                        person=user.person, found_on=meeting.held_on,
                                        description=data["description"], self_found=True)
            elif step == "criticism":
                services.criticism_record(by=user, meeting=meeting, **data)
            else:
                services.appraisal_record(by=user, meeting=meeting, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{reverse('partylife:meeting', args=[meeting.pk])}#flow-{step}")
    return _meeting_page(request, meeting, flow_forms=forms, status=400)


@login_required
def duties_view(request):
    """The responsibility list of a year; managers add lines for people in scope."""
    year = _year(request)
    rows = selectors.duty_list(user=request.user, year=year)
    manager = has_cap(request.user, Cap.RECT_MANAGE)
    form = DutyForm(request.POST or None, people=people_in_scope(
        request.user, Cap.RECT_MANAGE).select_related("unit").order_by("unit_path", "name")) \
        if manager else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        submit(form, lambda data: services.duty_record(by=request.user, year=year, **data))
        if not form.errors:
            messages.success(request, _("Responsibility recorded."))
            return redirect(f"{reverse('partylife:duties')}?year={year}")
    today = timezone.localdate()
    return render(request, "partylife/duties.html", {
        "rows": rows, "year": year, "form": form, "section": "duties",
        "years": range(today.year, today.year - 4, -1)},
        status=400 if form is not None and form.errors else 200)
