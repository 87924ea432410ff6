"""Pages of the task ledger: my tasks, a task's ledger, the weekly dispatch, section board,
deadline calendar, overview with the quarterly evaluation, monthly plan and sign-off,
stock-takes, year-end clearance, the first-inquiry register and handovers."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zugong.core import ballots
from zugong.core.files import file_response
from zugong.core.forms import apply_errors, submit
from zugong.core.jobs import run_export
from zugong.core.middleware import get_client_ip
from zugong.core.paging import page_for
from zugong.core.periods import Period, PeriodKind
from zugong.core.recycle import confirm_context
from zugong.core.versioning import ConflictError
from zugong.people.access import has_cap, require_cap

from . import exports, selectors, services
from .access import Cap, approvable, in_scope, may_approve_backdate, may_lead, may_update
from .forms import (
    BackdateForm,
    DecisionForm,
    EntryForm,
    HandoverForm,
    InquiryCloseForm,
    InquiryForm,
    InquiryRateForm,
    MonthlyItemForm,
    ReasonForm,
    SignoffForm,
    TargetForm,
    TaskForm,
    VersionForm,
)
from .models import OPEN_STATUSES


def _period(request, kind, default):
    try:
        return Period.parse(request.GET.get(kind, ""))
    except (ValueError, KeyError):
        return default


def _units(user, cap=Cap.TASKS_LEAD):
    return selectors.units_for(user, cap)


@login_required
def mine_view(request):
    require_cap(request.user, Cap.TASKS_VIEW)
    today = timezone.localdate()
    page = page_for(request, selectors.my_tasks(user=request.user), order=selectors.MY_TASK_ORDER)
    rows = [(t, selectors.light(t, today) if t.is_open else "") for t in page.items]
    return render(request, "tasks/mine.html", {"rows": rows, "page": page, "section": "mine",
                                               "can_lead": has_cap(request.user,
                                                                   Cap.TASKS_LEAD)})


@login_required
def task_view(request, pk):
    task = selectors.task_get_for_user(request.user, pk)
    can_update = task.is_open and may_update(request.user, task)
    can_lead = task.is_open and may_lead(request.user, task)
    form = EntryForm(request.POST or None, request.FILES or None,
                     initial={"on": timezone.localdate(), "percent": task.progress})
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.entry_add(by=request.user, task=task, **form.cleaned_data)
            except ConflictError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Progress recorded."))
                return redirect("tasks:task", pk=task.pk)
    return render(request, "tasks/task.html", {
        "task": task, "entries": selectors.entries(task), "form": form,
        "can_update": can_update, "can_lead": can_lead, "decision": DecisionForm(),
        "reason": ReasonForm(), "children": task.children.select_related("lead"),
        "can_approve_carry": task.is_open and task.reason and in_scope(
            request.user, Cap.TASKS_HEAD, task.section),
        "can_decide_backdate": task.done_claimed_on is not None
        and may_approve_backdate(request.user, task),
        "can_delete": may_lead(request.user, task) and not selectors.task_delete_blocker(task),
        "section": "mine"})


@login_required
def task_delete_view(request, pk):
    """The confirm page (GET) and the delete into the recycle bin (POST); a task with a
    ledger is refused with the reason, on its page."""
    task = selectors.task_get_for_user(request.user, pk)
    if not may_lead(request.user, task):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.task_delete(by=request.user, task=task)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("tasks:task", pk=pk)
        messages.success(request, _("The task is in the recycle bin."))
        return redirect("tasks:mine")
    return render(request, "core/confirm_delete.html", confirm_context(
        what=f"{task.section.name} · {task.title}", back=reverse("tasks:task", args=[pk])))


@login_required
def task_add_view(request):
    require_cap(request.user, Cap.TASKS_LEAD)
    units = _units(request.user)
    form = TaskForm(request.POST or None, units=units,
                    people=selectors.staff_for(request.user, Cap.TASKS_VIEW),
                    targets=selectors.targets_for(request.user),
                    parents=selectors.tasks_for(request.user).filter(status__in=OPEN_STATUSES),
                    initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Task assigned."))
            return redirect("tasks:task", pk=task.pk)
    return render(request, "tasks/task_form.html", {"form": form, "section": "mine"})


@login_required
def dispatch_view(request):
    require_cap(request.user, Cap.TASKS_LEAD)
    groups = selectors.dispatch(user=request.user)
    return render(request, "tasks/dispatch.html", {
        "groups": groups, "decision": DecisionForm(), "section": "dispatch",
        "stale": sum(1 for _s, rows in groups for r in rows if r.stale),
        "open": sum(len(rows) for _s, rows in groups)})


def _task_action(request, pk, action, form_class, ok, cap=Cap.TASKS_LEAD):
    task = selectors.task_get_for_user(request.user, pk)
    # Permission before the form, so that nobody learns more than "not allowed".
    if not in_scope(request.user, cap, task.section):
        raise PermissionDenied
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            action(task, **form.cleaned_data)
        except ConflictError as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, ok)
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/tasks/") and "//" not in back
                    else f"/tasks/{task.pk}/")


@login_required
@require_POST
def decide_view(request, pk):
    return _task_action(request, pk, lambda t, **d: services.dispatch_decide(
        by=request.user, task=t, **d), DecisionForm, _("Decision recorded in the ledger."))


@login_required
@require_POST
def cancel_view(request, pk):
    return _task_action(request, pk, lambda t, **d: services.task_cancel(
        by=request.user, task=t, **d), ReasonForm, _("Task cancelled."))


@login_required
@require_POST
def carry_view(request, pk):
    return _task_action(request, pk, lambda t, **d: services.carry_over_request(
        by=request.user, task=t, **d), ReasonForm, _("Carry-over requested."))


class _Confirm(VersionForm):
    """An approval carries no fields but the version; the button is the decision."""


@login_required
@require_POST
def backdate_view(request, pk):
    """The deputy in charge approves or refuses a backdated completion (the service
    checks who; leaders without the right get 403)."""
    def decide(task, *, decision, version):
        return services.completion_backdate_decide(
            by=request.user, task=task, approve=decision == "approve", version=version)
    return _task_action(request, pk, decide, BackdateForm,
                        _("The decision on the completion date is recorded."))


@login_required
@require_POST
def carry_approve_view(request, pk):
    return _task_action(request, pk, lambda t, **d: services.carry_over_approve(
        by=request.user, task=t, **d), _Confirm, _("Carry-over approved."),
                        cap=Cap.TASKS_HEAD)


@login_required
def board_view(request):
    require_cap(request.user, Cap.TASKS_VIEW)
    units = _units(request.user, Cap.TASKS_VIEW).filter(tasks__isnull=False).distinct()
    raw = request.GET.get("unit", "")
    unit = units.filter(pk=int(raw)).first() if raw.isdigit() else units.first()
    if raw and unit is None:
        raise Http404  # a section out of scope, or one without tasks
    tasks = selectors.tasks_for(request.user).filter(section=unit) if unit else []
    columns = []
    today = timezone.localdate()
    for status in ("not_started", "in_progress", "overdue", "done"):
        columns.append((status, [(t, selectors.light(t, today)) for t in tasks
                                 if t.status == status]))
    return render(request, "tasks/board.html", {"units": units, "unit": unit,
                                                "columns": columns, "section": "board"})


@login_required
def calendar_view(request):
    require_cap(request.user, Cap.TASKS_VIEW)
    month = _period(request, "month", Period.containing(PeriodKind.MONTH,
                                                        timezone.localdate()))
    if month.kind != PeriodKind.MONTH:
        month = Period.containing(PeriodKind.MONTH, month.start)
    return render(request, "tasks/calendar.html", {
        "month": month, "days": selectors.calendar(user=request.user, month=month),
        "prev": month.previous().key, "next": month.next().key, "section": "calendar"})


@login_required
def overview_view(request):
    require_cap(request.user, Cap.TASKS_VIEW)
    today = timezone.localdate()
    quarter = _period(request, "quarter", Period.containing(PeriodKind.QUARTER, today))
    data = selectors.overview(user=request.user, year=quarter.start.year)
    chart = {"labels": [r["name"] for r in data["by_section"]],
             "done": [r["done"] for r in data["by_section"]],
             "rest": [r["total"] - r["done"] for r in data["by_section"]],
             "done_label": _("done"), "open_label": _("not done")}
    return render(request, "tasks/overview.html", {
        "data": data, "chart": chart,
        "quarter": quarter, "evaluation": selectors.quarterly(user=request.user,
                                                              quarter=quarter),
        "section": "overview"})


@login_required
def monthly_view(request):
    require_cap(request.user, Cap.TASKS_VIEW)
    month = _period(request, "month", Period.containing(PeriodKind.MONTH,
                                                        timezone.localdate()))
    can_lead = has_cap(request.user, Cap.TASKS_LEAD)
    form = MonthlyItemForm(request.POST or None, units=_units(request.user),
                           tasks=selectors.tasks_for(request.user).filter(
                               status__in=OPEN_STATUSES)) if can_lead else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.monthly_item_add(by=request.user, month=month.key,
                                          **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Item listed."))
                return redirect(f"{request.path}?month={month.key}")
    page = page_for(request, selectors.monthly_items(user=request.user, month=month.key),
                    order=selectors.MONTHLY_ORDER)
    allowed = approvable(request.user, page.items)
    items = [(i, i.pk in allowed) for i in page.items]
    return render(request, "tasks/monthly.html", {
        "month": month, "items": items, "page": page, "form": form, "signoff": SignoffForm(),
        "prev": month.previous().key, "next": month.next().key, "section": "monthly"})


@login_required
@require_POST
def signoff_view(request, pk):
    item = selectors.monthly_item_get_for_user(request.user, pk)
    form = SignoffForm(request.POST, request.FILES)
    form.is_valid()
    try:
        services.monthly_signoff(by=request.user, item=item,
                                 evidence=form.cleaned_data.get("evidence"),
                                 note=form.cleaned_data.get("note", ""))
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            for m in msgs:
                messages.error(request, m)
    else:
        messages.success(request, _("Signed off; awaiting the deputy's approval."))
    return redirect(f"/tasks/monthly/?month={item.month}")


@login_required
def monthly_delete_view(request, pk):
    """The confirm page (GET) and the delete into the recycle bin (POST) of a planned item."""
    item = selectors.monthly_item_get_for_user(request.user, pk)
    if not may_lead(request.user, item.section):
        raise PermissionDenied
    back = f"{reverse('tasks:monthly')}?month={item.month}"
    if request.method == "POST":
        try:
            services.monthly_item_delete(by=request.user, item=item)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The item is in the recycle bin."))
        return redirect(back)
    return render(request, "core/confirm_delete.html", confirm_context(
        what=f"{item.section.name} · {item.title}", back=back))


@login_required
@require_POST
def approve_view(request, pk):
    item = selectors.monthly_item_get_for_user(request.user, pk)
    try:
        services.monthly_approve(by=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, _("Sign-off approved."))
    return redirect(f"/tasks/monthly/?month={item.month}")


@login_required
def stocktakes_view(request):
    require_cap(request.user, Cap.TASKS_LEAD)
    takes = selectors.stocktakes(user=request.user)
    if request.method == "POST":
        month = request.POST.get("month", "")
        try:
            services.stocktake_freeze(by=request.user,
                                      department=selectors.home_department(request.user),
                                      month=month)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values()
                                             for m in ms))
        else:
            messages.success(request, _("Stock-take frozen."))
        return redirect("tasks:stocktakes")
    last = Period.containing(PeriodKind.MONTH, timezone.localdate()).previous().key
    # A year of months by default: the comparison below sets them side by side.
    page = page_for(request, takes, order=selectors.STOCKTAKE_ORDER, default_limit=12)
    months, compare = selectors.stocktake_compare([t for t in page.items if t.frozen_at])
    return render(request, "tasks/stocktakes.html", {
        "takes": page.items, "page": page, "last": last, "months": months, "compare": compare,
        "section": "stocktakes"})


@login_required
def clearance_view(request):
    require_cap(request.user, Cap.TASKS_LEAD)
    raw = request.GET.get("year", "") or request.POST.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else \
        timezone.localdate().year
    dept, pending, done = selectors.clearance(user=request.user, year=year)
    if request.method == "POST":
        try:
            services.year_clear(by=request.user, department=dept, year=year)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values()
                                             for m in ms))
        else:
            messages.success(request, _("The year is cleared."))
        return redirect(f"{request.path}?year={year}")
    page = page_for(request, pending, order=selectors.PENDING_ORDER)
    return render(request, "tasks/clearance.html", {
        "year": year, "pending": page.items, "page": page, "done": done, "reason": ReasonForm(),
        "can_clear": has_cap(request.user, Cap.TASKS_HEAD), "section": "clearance"})


@login_required
def inquiries_view(request):
    require_cap(request.user, Cap.TASKS_VIEW)
    form = InquiryForm(request.POST or None, people=selectors.colleagues(request.user),
        initial={"received_on": timezone.localdate(),
                 "due": timezone.localdate() + dt.timedelta(days=5)})
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_add(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Inquiry registered."))
            return redirect("tasks:inquiries")
    rows = selectors.inquiries_for(request.user).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=timezone.localdate() - dt.timedelta(90))
    ).annotate(kept=Count("standard"))
    page = page_for(request, rows, order=selectors.INQUIRY_ORDER)
    return render(request, "tasks/inquiries.html", {
        "form": form, "rows": page.items, "page": page, "close": InquiryCloseForm(),
        "issued": request.session.pop(SESSION_CODE, None),
        "standard": selectors.standard_items(), "today": timezone.localdate(),
        "section": "inquiries"})


# The code issued on closing waits in the session for the list page, which shows it once.
SESSION_CODE = "tasks.inquiry_code"


@login_required
@require_POST
def inquiry_close_view(request, pk):
    """Close an inquiry and issue the inquirer's one-time rating code (shown once, on the
    list the page returns to)."""
    inquiry = selectors.inquiry_get_for_user(request.user, pk)
    form = InquiryCloseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write the reply and record the satisfaction."))
        services.inquiry_close(by=request.user, inquiry=inquiry, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Inquiry closed."))
        _code_for_list(request, inquiry)
    return redirect("tasks:inquiries")


@login_required
@require_POST
def inquiry_code_view(request, pk):
    """A new rating code for a closed inquiry not yet rated (the first was lost); it
    replaces the unused one."""
    inquiry = selectors.inquiry_get_for_user(request.user, pk)
    _code_for_list(request, inquiry)
    return redirect("tasks:inquiries")


def _code_for_list(request, inquiry) -> None:
    try:
        code = services.inquiry_code_issue(by=request.user, inquiry=inquiry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        request.session[SESSION_CODE] = {"inquirer": inquiry.inquirer, "code": code}


def inquiry_rate_view(request):
    """The inquirer rates the service with the code they were handed, without an account.
    Nothing about any inquiry is shown; too many wrong codes from one address lock the page
    for it for a while (``core.ballots``)."""
    form = InquiryRateForm(request.POST or None)
    done = False
    client = get_client_ip(request)
    if request.method == "POST":
        if ballots.code_locked("tasks.inquiry", client):
            form.is_valid()
            form.add_error(None, _("Too many wrong codes: try again in 15 minutes."))
        else:
            done = submit(form, lambda data: services.inquiry_public_rate(**data)) is not None
            if "code" in form.errors:
                ballots.code_wrong("tasks.inquiry", client)
    return render(request, "tasks/inquiry_rate.html", {"form": form, "done": done},
                  status=422 if form.errors else 200)


@login_required
def handover_view(request):
    require_cap(request.user, Cap.TASKS_LEAD)
    form = HandoverForm(request.POST or None,
                        people=selectors.staff_for(request.user, Cap.TASKS_LEAD))
    if request.method == "POST" and form.is_valid():
        try:
            record = services.handover(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(t)s tasks and %(i)s inquiries handed over.")
                             % {"t": record.tasks, "i": record.inquiries})
            if record.ledger_id:
                messages.success(request, _("The post ledger passed to the successor with the "
                                            "job."))
            return redirect("tasks:handover")
    return render(request, "tasks/handover.html", {"form": form, "section": "handover"})


@login_required
def export_view(request):
    require_cap(request.user, Cap.TASKS_VIEW)
    return run_export(request, name="tasks.export", builder="zugong.tasks.exports.ledgers_export",
                      count=exports.ledger_tasks(request.user, request.GET).count(),
                      title=_("Task ledgers export"))


@login_required
def person_tab_view(request, pk):
    """The tasks tab of a person's page (loaded when the tab is shown)."""
    data = selectors.person_tasks(user=request.user, pk=pk)
    page = page_for(request, data["tasks"], order=selectors.PERSON_TASK_ORDER)
    return render(request, "tasks/_person_tab.html",
                  {**data, "tasks": page.items, "page": page})


@login_required
def stocktake_export_view(request):
    return exports.stocktakes(request.user, selectors.stocktakes(user=request.user).filter(
        frozen_at__isnull=False).select_related("department"))


@login_required
def targets_view(request):
    require_cap(request.user, Cap.TASKS_VIEW)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else \
        timezone.localdate().year
    can_lead = has_cap(request.user, Cap.TASKS_LEAD)
    form = TargetForm(request.POST or None) if has_cap(request.user, Cap.TASKS_HEAD) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.target_add(by=request.user,
                                    department=selectors.home_department(request.user),
                                    year=year, title=form.cleaned_data["title"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Target added."))
                return redirect(f"{request.path}?year={year}")
    return render(request, "tasks/targets.html", {
        "year": year, "rows": selectors.targets(user=request.user, year=year), "form": form,
        "can_lead": can_lead, "section": "targets"})


@login_required
def entry_evidence_view(request, pk, entry_pk):
    return file_response(selectors.entry_evidence_get_for_user(request.user, pk, entry_pk))


@login_required
def monthly_evidence_view(request, pk):
    return file_response(selectors.monthly_evidence_get_for_user(request.user, pk))
