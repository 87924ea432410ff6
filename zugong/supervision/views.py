"""Pages of supervision. Short: scope in selectors, rules in services, reads of content
audited through ``services.content_read``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zugong.core.forms import apply_errors, submit
from zugong.core.paging import address_without, page_for
from zugong.core.versioning import ConflictError

from . import exports, selectors, services
from .access import (
    Cap,
    has_cap,
    may_decide_archive,
    may_manage,
    may_manage_person,
    people_in_scope,
    require_cap,
)
from .forms import (
    ArchiveEntryForm,
    ArchiveRequestForm,
    AssignForm,
    CheckForm,
    CloseForm,
    DecisionForm,
    FamilyRatingForm,
    LeadCloseForm,
    LeadForm,
    MeasureForm,
    ObservationForm,
    PackageForm,
    ReplyForm,
    ReportForm,
    SectionRatingForm,
    SelfCheckForm,
    StudyForm,
    VerifyForm,
)
from .models import AccessStatus, LeadStatus, MeasureKind, ObservationKind
from .selectors import (
    ARCHIVE_ORDER,
    LEAD_ORDER,
    MEASURE_ORDER,
    OBSERVATION_ORDER,
    REPORT_ORDER,
    STUDY_ORDER,
    MeasureFilters,
)


def _day(params, name):
    try:
        return parse_date(params.get(name) or "")
    except ValueError:
        return None


def _filters(params) -> MeasureFilters:
    return MeasureFilters(kind=params.get("kind", ""), person=params.get("person", ""),
                          start=_day(params, "start"), end=_day(params, "end"),
                          unit=params.get("unit", ""))


def _unit_filter(request, *, keep=()) -> dict:
    """What a list shows of its ``?unit=`` filter: the unit (404 outside the user's
    scope), the address of the same list without it, and the filters (``keep``) that the
    page's own filter form must carry along as hidden fields."""
    # A page without date fields of its own shows the period it was opened for.
    dated = "start" in keep
    return {"filter_unit": selectors.filter_unit(user=request.user,
                                                 pk=request.GET.get("unit", "")),
            "unit_clear": address_without(request, "unit"),
            "period_start": _day(request.GET, "start") if dated else None,
            "period_end": _day(request.GET, "end") if dated else None,
            "period_clear": address_without(request, "start", "end"),
            "kept": {k: request.GET[k] for k in ("unit", *keep) if request.GET.get(k)}}


@login_required
def home_view(request):
    require_cap(request.user, Cap.SUPERVISION_REPORT)
    if has_cap(request.user, Cap.SUPERVISION_VIEW):
        return redirect("supervision:measures")
    return redirect("supervision:reports")


@login_required
def measures_view(request):
    filters = _filters(request.GET)
    page = page_for(request, selectors.measure_list(user=request.user, filters=filters),
                    order=MEASURE_ORDER)
    params = {k: v for k, v in request.GET.items()
              if k in ("kind", "person", "start", "end", "unit")}
    return render(request, "supervision/measures.html", {
        "rows": page.items, "page": page, "filters": filters, "params": params,
        "kinds": MeasureKind.choices, "can_manage": may_manage(request.user),
        "section": "measures", **_unit_filter(request, keep=("person",))})


@login_required
def measures_export_view(request):
    return exports.measures_xlsx(user=request.user, qs=selectors.measure_list(
        user=request.user, filters=_filters(request.GET)))


@login_required
def measure_add_view(request):
    require_cap(request.user, Cap.SUPERVISION_MANAGE)
    people = people_in_scope(request.user, Cap.SUPERVISION_MANAGE).select_related(
        "unit").order_by("unit_path", "name")
    form = MeasureForm(request.POST or None, people=people,
                       initial={"on": timezone.localdate(), "person": request.GET.get("person")})
    if request.method == "POST":
        measure = submit(form, lambda data: services.measure_record(by=request.user, **data))
        if not form.errors:
            messages.success(request, _("Measure recorded."))
            return redirect("supervision:measure", pk=measure.pk)
    return render(request, "supervision/measure_form.html", {"form": form,
                                                             "section": "measures"},
                  status=400 if form.errors else 200)


@login_required
def measure_detail_view(request, pk):
    measure = selectors.measure_get_for_user(request.user, pk)
    services.content_read(by=request.user, record=measure)
    can_reply = measure.awaiting_reply and may_manage_person(request.user, measure.person)
    reply = ReplyForm(initial={"version": measure.version,
                               "replied_on": timezone.localdate()}) if can_reply else None
    return render(request, "supervision/measure_detail.html", {
        "m": measure, "reply_form": reply, "section": "measures"})


@login_required
@require_POST
def measure_reply_view(request, pk):
    measure = selectors.measure_get_for_user(request.user, pk, write=True)
    form = ReplyForm(request.POST)
    submit(form, lambda data: services.measure_reply(by=request.user, measure=measure, **data))
    if not form.errors:
        messages.success(request, _("Reply recorded."))
        return redirect("supervision:measure", pk=measure.pk)
    services.content_read(by=request.user, record=measure)
    return render(request, "supervision/measure_detail.html", {
        "m": measure, "reply_form": form, "section": "measures"}, status=400)


@login_required
def reports_view(request):
    today = timezone.localdate()
    year = _year(request)
    qs = selectors.report_list(user=request.user, person=request.GET.get("person", ""),
                               unit=request.GET.get("unit", ""),
                               start=_day(request.GET, "start"), end=_day(request.GET, "end"))
    page = page_for(request, qs, order=REPORT_ORDER)
    shown = _unit_filter(request, keep=("person", "start", "end"))
    owed = selectors.reports_owed(user=request.user, year=year, today=today,
                                  department=shown["filter_unit"]) \
        if has_cap(request.user, Cap.SUPERVISION_VIEW) else None
    return render(request, "supervision/reports.html", {
        "rows": page.items, "page": page, "owed": owed, "year": year,
        "years": range(today.year, today.year - 5, -1), **shown,
        "mine_due": selectors.my_annual_due(user=request.user, today=today), "section": "reports"})


@login_required
def report_add_view(request):
    require_cap(request.user, Cap.SUPERVISION_REPORT)
    today = timezone.localdate()
    form = ReportForm(request.POST or None, initial={"kind": "annual", "year": today.year})
    if request.method == "POST":
        report = submit(form, lambda data: services.report_file(by=request.user, **data))
        if not form.errors:
            messages.success(request, _("Report filed."))
            return redirect("supervision:report", pk=report.pk)
    return render(request, "supervision/report_form.html", {"form": form,
                                                            "section": "reports"},
                  status=400 if form.errors else 200)


@login_required
def report_detail_view(request, pk):
    report = selectors.report_get_for_user(request.user, pk)
    services.content_read(by=request.user, record=report)
    can_check = report.person_id != request.user.person_id and \
        may_manage_person(request.user, report.person)
    check = CheckForm(initial={"version": report.version, "checked_on": timezone.localdate()}
                      ) if can_check else None
    return render(request, "supervision/report_detail.html", {
        "r": report, "check_form": check, "section": "reports"})


@login_required
@require_POST
def report_check_view(request, pk):
    report = selectors.report_get_for_user(request.user, pk, write=True)
    form = CheckForm(request.POST)
    submit(form, lambda data: services.report_check(by=request.user, report=report, **data))
    if not form.errors:
        messages.success(request, _("Check recorded."))
        return redirect("supervision:report", pk=report.pk)
    services.content_read(by=request.user, record=report)
    return render(request, "supervision/report_detail.html", {
        "r": report, "check_form": form, "section": "reports"}, status=400)


@login_required
def person_tab_view(request, pk):
    """The supervision tab of a person's page: what and when, never the content."""
    person = selectors.person_for_tab(user=request.user, pk=pk)
    return render(request, "supervision/_person_tab.html", {
        "person": person, **selectors.person_summary(user=request.user, person=person)})


# ---------------------------------------------------------------- integrity


def _year(request) -> int:
    """``?year``, else the year of ``?start`` (a figure's link gives its period), else
    this year."""
    today = timezone.localdate()
    start = _day(request.GET, "start")
    try:
        year = int(request.GET.get("year") or (start.year if start else today.year))
    except ValueError:
        year = today.year
    return min(max(year, 2000), today.year + 1)


@login_required
def integrity_view(request):
    """The cadre's own page: the commitment, the 六个一 and the self-checks."""
    year = _year(request)
    today = timezone.localdate()
    return render(request, "supervision/integrity.html", {
        **selectors.integrity_mine(user=request.user, year=year), "year": year,
        "today": today, "package_form": PackageForm(initial={"on": today}),
        "selfcheck_form": SelfCheckForm(), "section": "integrity"})


def _integrity_error(request, exc: ValidationError):
    messages.error(request, " ".join(exc.messages))
    return redirect("supervision:integrity")


@login_required
@require_POST
def commitment_sign_view(request):
    require_cap(request.user, Cap.SUPERVISION_REPORT)
    try:
        services.commitment_sign(by=request.user, year=_year(request))
    except ValidationError as exc:
        return _integrity_error(request, exc)
    messages.success(request, _("Commitment signed."))
    return redirect("supervision:integrity")


@login_required
@require_POST
def package_record_view(request):
    require_cap(request.user, Cap.SUPERVISION_REPORT)
    form = PackageForm(request.POST)
    if not form.is_valid():
        return _integrity_error(request, ValidationError(form.errors))
    try:
        services.package_record(by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        return _integrity_error(request, exc)
    messages.success(request, _("Recorded."))
    return redirect("supervision:integrity")


@login_required
@require_POST
def selfcheck_add_view(request):
    require_cap(request.user, Cap.SUPERVISION_REPORT)
    form = SelfCheckForm(request.POST)
    submit(form, lambda data: services.selfcheck_record(by=request.user, **data))
    if not form.errors:
        messages.success(request, _("Recorded."))
        return redirect("supervision:integrity")
    today = timezone.localdate()
    return render(request, "supervision/integrity.html", {
        **selectors.integrity_mine(user=request.user, year=today.year), "year": today.year,
        "today": today, "package_form": PackageForm(initial={"on": today}),
        "selfcheck_form": form, "section": "integrity"}, status=400)


@login_required
def selfcheck_view(request, pk):
    item = selectors.selfcheck_get_for_user(request.user, pk)
    if item.person_id != request.user.person_id:
        services.content_read(by=request.user, record=item)
    form = CloseForm(request.POST or None, initial={"version": item.version,
                                                   "closed_on": timezone.localdate()})
    if request.method == "POST":
        item = selectors.selfcheck_get_for_user(request.user, pk, write=True)
        submit(form, lambda data: services.selfcheck_close(by=request.user, item=item, **data))
        if not form.errors:
            messages.success(request, _("Closed."))
            return redirect("supervision:selfcheck", pk=item.pk)
    return render(request, "supervision/selfcheck.html", {
        "item": item, "form": form if item.closed_on is None else None,
        "today": timezone.localdate(), "section": "integrity"},
        status=400 if form.errors else 200)


@login_required
def integrity_overview_view(request):
    year = _year(request)
    today = timezone.localdate()
    return render(request, "supervision/integrity_overview.html", {
        **selectors.integrity_overview(user=request.user, year=year, today=today,
                                       unit=request.GET.get("unit", "")),
        "year": year, "years": range(today.year, today.year - 5, -1),
        "section": "overview", **_unit_filter(request)})


# ---------------------------------------------------------------- ratings and study


@login_required
def ratings_view(request):
    """清廉组室 and 清廉家庭 ratings of a year; an officer records them here (two forms,
    told apart by the ``which`` field)."""
    year = _year(request)
    today = timezone.localdate()
    data = selectors.ratings(user=request.user, year=year, unit=request.GET.get("unit", ""))
    manage = may_manage(request.user)
    initial = {"year": year, "on": today}
    post = request.POST if request.method == "POST" else None
    which = request.POST.get("which") if post else ""
    section_form = family_form = None
    if manage:
        section_form = SectionRatingForm(post if which == "section" else None,
                                         sections=selectors.sections_in_scope(request.user),
                                         initial=initial, prefix="section")
        family_form = FamilyRatingForm(post if which == "family" else None,
                                       people=selectors.org_cadres_to_manage(request.user),
                                       initial=initial, prefix="family")
    elif post:
        require_cap(request.user, Cap.SUPERVISION_MANAGE)
    form = {"section": section_form, "family": family_form}.get(which)
    if form is not None and form.is_valid():
        record = services.section_rating_record if which == "section" else \
            services.family_rating_record
        try:
            record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Rating recorded."))
            return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    return render(request, "supervision/ratings.html", {
        **data, "year": year, **_unit_filter(request),
        "years": range(today.year, today.year - 5, -1),
        "section_form": section_form, "family_form": family_form, "section": "ratings"},
        status=400 if form is not None and form.errors else 200)


@login_required
def ratings_export_view(request):
    year = _year(request)
    return exports.ratings_xlsx(user=request.user, year=year, data=selectors.ratings(
        user=request.user, year=year, unit=request.GET.get("unit", "")))


@login_required
def studies_view(request):
    """Discipline-study activities by section (M33), and an officer's form to add one."""
    year = _year(request)
    qs = selectors.study_list(user=request.user, unit=request.GET.get("unit", ""), year=year)
    form = None
    if may_manage(request.user):
        form = StudyForm(request.POST or None,
                         sections=selectors.sections_in_scope(request.user),
                         people=selectors.org_cadres_to_manage(request.user),
                         initial={"on": timezone.localdate()})
    elif request.method == "POST":
        require_cap(request.user, Cap.SUPERVISION_MANAGE)
    if request.method == "POST":
        made = submit(form, lambda data: services.study_record(by=request.user, **data))
        if not form.errors:
            messages.success(request, _("Study activity recorded."))
            return redirect("supervision:study", pk=made.pk)
    page = page_for(request, qs, order=STUDY_ORDER)
    today = timezone.localdate()
    return render(request, "supervision/studies.html", {
        "rows": page.items, "page": page, "form": form, "year": year, **_unit_filter(request),
        "years": range(today.year, today.year - 5, -1), "section": "studies"},
        status=400 if form is not None and form.errors else 200)


@login_required
def study_view(request, pk):
    item = selectors.study_get_for_user(request.user, pk)
    services.content_read(by=request.user, record=item)
    return render(request, "supervision/study.html", {
        "item": item, "people": item.participants.select_related("unit").order_by(
            "unit_path", "name"), "section": "studies"})


# ---------------------------------------------------------------- archive viewing


@login_required
def archive_view(request):
    """The workflow: one's own requests, those awaiting one's decision, and for the
    supervision office every request in scope with its views."""
    status = request.GET.get("status", "")
    page = page_for(request, selectors.archive_requests(user=request.user, status=status),
                    order=ARCHIVE_ORDER)
    return render(request, "supervision/archive.html", {
        "rows": page.items, "page": page, "status": status, "statuses": AccessStatus.choices,
        "to_decide": selectors.archive_to_decide(user=request.user), "now": timezone.now(),
        "can_request": has_cap(request.user, Cap.ARCHIVE_REQUEST), "section": "archive"})


@login_required
def archive_add_view(request):
    people = selectors.people_to_ask_about(user=request.user)
    form = ArchiveRequestForm(request.POST or None, people=people,
                              initial={"person": request.GET.get("person")})
    if request.method == "POST":
        made = submit(form, lambda data: services.archive_request(by=request.user, **data))
        if not form.errors:
            messages.success(request, _("Request sent for approval."))
            return redirect("supervision:archive_request", pk=made.pk)
    return render(request, "supervision/archive_form.html", {
        "form": form, "days": services.archive_access_days(), "section": "archive"},
        status=400 if form.errors else 200)


def _archive_detail(request, item, form, status=200):
    if item.created_by_id != request.user.pk:
        services.content_read(by=request.user, record=item)
    return render(request, "supervision/archive_request.html", {
        "item": item, "form": form, "now": timezone.now(),
        "views": item.views.all()[:50], "section": "archive"}, status=status)


@login_required
def archive_request_view(request, pk):
    item = selectors.archive_request_get_for_user(request.user, pk)
    form = DecisionForm(initial={"version": item.version}) if \
        item.status == AccessStatus.PENDING and may_decide_archive(request.user, item) else None
    return _archive_detail(request, item, form)


@login_required
@require_POST
def archive_decide_view(request, pk):
    item = selectors.archive_request_get_for_user(request.user, pk, write=True)
    form = DecisionForm(request.POST)
    submit(form, lambda data: services.archive_decide(by=request.user, request=item, **data))
    if not form.errors:
        messages.success(request, _("Decision recorded."))
        return redirect("supervision:archive_request", pk=item.pk)
    return _archive_detail(request, item, form, status=400)


@login_required
def archive_read_view(request, pk):
    """The archive itself, for the requester while the approval runs; each reading is
    logged. After the end (or before approval) the page says so, with no content."""
    item = selectors.archive_open_for(user=request.user, pk=pk)
    now = timezone.now()
    if not item.open_at(now):
        return render(request, "supervision/archive_closed.html", {
            "item": item, "section": "archive"}, status=403)
    services.archive_viewed(by=request.user, request=item)
    return render(request, "supervision/archive_read.html", {
        "item": item, "person": item.person, "now": now,
        **selectors.archive_contents(person=item.person),
        "categories": selectors.archive_by_category(person=item.person),
        "section": "archive"})


@login_required
def political_archive_view(request, pk):
    """A cadre's political-quality archive (一人一档) by category, for a supervision reader
    in scope; each reading is logged. An officer over the cadre files entries here."""
    person = selectors.archive_person_for(user=request.user, pk=pk)
    form = None
    if may_manage_person(request.user, person):
        form = ArchiveEntryForm(request.POST or None, initial={"on": timezone.localdate()})
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST":
        submit(form, lambda data: services.archive_entry_file(by=request.user, person=person,
                                                              **data))
        if not form.errors:
            messages.success(request, _("Entry filed."))
            return redirect("supervision:political_archive", pk=person.pk)
    services.archive_read_logged(by=request.user, person=person)
    return render(request, "supervision/political_archive.html", {
        "person": person, "categories": selectors.archive_by_category(person=person),
        "form": form, "section": "archive"},
        status=400 if form is not None and form.errors else 200)


# ---------------------------------------------------------------- joint supervision


@login_required
def leads_view(request):
    """Leads from the partner departments, by state; an officer records new ones here."""
    status = request.GET.get("status", "")
    qs = selectors.lead_list(user=request.user, status=status,
                             person=request.GET.get("person", ""),
                             unit=request.GET.get("unit", ""),
                             start=_day(request.GET, "start"), end=_day(request.GET, "end"))
    form = None
    if may_manage(request.user):
        form = LeadForm(request.POST or None, people=selectors.people_to_supervise(
            user=request.user), partners=selectors.partners(),
            initial={"on": timezone.localdate()})
    elif request.method == "POST":
        require_cap(request.user, Cap.SUPERVISION_MANAGE)
    if request.method == "POST":
        lead = submit(form, lambda data: services.lead_record(by=request.user, **data))
        if not form.errors:
            messages.success(request, _("Lead recorded."))
            return redirect("supervision:lead", pk=lead.pk)
    page = page_for(request, qs, order=LEAD_ORDER)
    shown = _unit_filter(request, keep=("person", "start", "end"))
    return render(request, "supervision/leads.html", {
        "rows": page.items, "page": page, "status": status, "statuses": LeadStatus.choices,
        "form": form, "section": "leads", **shown,
        "export_params": {**shown["kept"], **({"status": status} if status else {})}},
        status=400 if form is not None and form.errors else 200)


@login_required
def leads_export_view(request):
    return exports.leads_xlsx(user=request.user, qs=selectors.lead_list(
        user=request.user, status=request.GET.get("status", ""),
        person=request.GET.get("person", ""), unit=request.GET.get("unit", ""),
        start=_day(request.GET, "start"), end=_day(request.GET, "end")))


STEPS = {LeadStatus.RECEIVED: ("assign", AssignForm), LeadStatus.ASSIGNED: ("verify", VerifyForm),
         LeadStatus.VERIFIED: ("close", LeadCloseForm)}


def _step_form(lead, data=None):
    step, form_class = STEPS.get(lead.status, (None, None))
    if step is None:
        return None
    extra = {"officers": selectors.officers_for(lead.person)} if step == "assign" else {}
    return form_class(data, initial={"version": lead.version,
                                     "verified_on": timezone.localdate(),
                                     "closed_on": timezone.localdate()}, **extra)


@login_required
def lead_view(request, pk):
    """One lead with its content (the read is logged) and, for an officer, its next step:
    assign, verify or close."""
    lead = selectors.lead_get_for_user(request.user, pk)
    form = None
    if may_manage_person(request.user, lead.person):
        form = _step_form(lead, request.POST if request.method == "POST" else None)
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        step = STEPS[lead.status][0]
        action = {"assign": services.lead_assign, "verify": services.lead_verify,
                  "close": services.lead_close}[step]
        try:
            action(by=request.user, lead=lead, version=data.pop("version"), **data)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Lead updated."))
            return redirect("supervision:lead", pk=lead.pk)
    services.content_read(by=request.user, record=lead)
    return render(request, "supervision/lead.html", {
        "lead": lead, "form": form, "section": "leads"},
        status=400 if form is not None and form.errors else 200)


@login_required
def observations_view(request):
    kind = request.GET.get("kind", "")
    qs = selectors.observation_list(user=request.user, kind=kind,
                                    person=request.GET.get("person", ""),
                                    unit=request.GET.get("unit", ""),
                                    start=_day(request.GET, "start"),
                                    end=_day(request.GET, "end"))
    form = None
    if may_manage(request.user):
        form = ObservationForm(request.POST or None, people=selectors.people_to_supervise(
            user=request.user), initial={"on": timezone.localdate()})
    elif request.method == "POST":
        require_cap(request.user, Cap.SUPERVISION_MANAGE)
    if request.method == "POST":
        submit(form, lambda data: services.observation_record(by=request.user, **data))
        if not form.errors:
            messages.success(request, _("Observation recorded."))
            return redirect("supervision:observations")
    page = page_for(request, qs, order=OBSERVATION_ORDER)
    return render(request, "supervision/observations.html", {
        "rows": page.items, "page": page, "kind": kind, "kinds": ObservationKind.choices,
        "form": form, "section": "observations",
        **_unit_filter(request, keep=("person", "start", "end"))},
        status=400 if form is not None and form.errors else 200)


@login_required
def warnings_view(request):
    """The early-warning list: cadres in scope whose signals reach a score, each signal
    linking to its record; 50 a page (``?page=N``). The computed list is kept for up to
    5 minutes: supervision records changed here show at once, other apps' signals within
    5 minutes (the page says so)."""
    page = selectors.warnings_page(user=request.user, today=timezone.localdate(),
                                   page=request.GET.get("page"))
    return render(request, "supervision/warnings.html", {
        "rows": page.rows, "page": page, "section": "warnings"})
