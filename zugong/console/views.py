"""Home page, notices, and the administrators' pages (audit, jobs, code tables)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zugong.core import jobs, notices
from zugong.core.forms import apply_errors
from zugong.core.paging import page_for
from zugong.people.access import Cap, require_cap

from . import selectors, services
from .access import erase_department_ids
from .forms import DepartmentSetupForm


@login_required
def home(request):
    summary = selectors.home_summary(user=request.user)
    return render(request, "console/home.html", {
        "summary": summary, "first_run": selectors.first_run(request.user)})


@login_required
def setup_view(request):
    """The first-run page: start a department, then link its head's account to a person."""
    from zugong.people import services as people_services

    departments = selectors.departments_for_setup(user=request.user)
    form = DepartmentSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = people_services.department_setup(
                by=request.user, name=form.cleaned_data["name"], code=form.cleaned_data["code"],
                region=form.cleaned_data["region"], sections=form.section_names(),
                head_username=form.cleaned_data["head_username"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The department %(name)s has been created with "
                                        "%(n)s sections.") % {"name": made.department.name,
                                                               "n": len(made.sections)})
            if made.head:
                messages.success(request, _(
                    "Account %(u)s created. Initial password: %(p)s — hand it over "
                    "in person; it must be changed at first login."
                ) % {"u": made.head.username, "p": made.password})
            return redirect("console:setup")
    searching, candidates = None, []
    if request.GET.get("department"):
        searching = selectors.department_for_setup(request.user, request.GET["department"])
        candidates = selectors.head_candidates(user=request.user, department=searching,
                                               name=request.GET.get("name", ""))
    return render(request, "console/setup.html", {
        "form": form, "departments": departments, "searching": searching,
        "search_name": request.GET.get("name", ""), "candidates": candidates,
    }, status=422 if form.errors else 200)


@login_required
@require_POST
def setup_link_view(request, pk):
    from zugong.people import services as people_services

    department = selectors.department_for_setup(request.user, pk)
    account, person = selectors.head_link_choice(account=request.POST.get("account"),
                                                 person=request.POST.get("person"))
    if account is None or person is None:
        messages.error(request, _("Choose the head's account and a person."))
        return redirect("console:setup")
    try:
        people_services.department_head_link(by=request.user, department=department,
                                             user=account, person=person)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("The account %(u)s is now linked to %(name)s.")
                         % {"u": account.username, "name": person.name})
    return redirect("console:setup")


@login_required
def audit_view(request):
    qs, filters = selectors.audit_search(user=request.user, params=request.GET)
    page = page_for(request, qs, order=selectors.AUDIT_ORDER, default_limit=selectors.AUDIT_PAGE)
    return render(request, "console/audit.html", {
        "entries": selectors.audit_rows(page.items), "page": page, "filters": filters,
    })


@login_required
def person_history_view(request, pk):
    person, rows = selectors.person_change_history(user=request.user, pk=pk)
    return render(request, "console/_person_history.html", {
        "person": person, "rows": rows, "limit": selectors.PERSON_HISTORY})


@login_required
def audit_values_view(request, seq):
    entry, row, values = selectors.audit_values_get_for_user(request.user, seq)
    services.audit_values_read(by=request.user, entry=entry)
    return render(request, "console/audit_values.html", {"row": row, "values": values})


@login_required
@require_POST
def audit_verify_view(request):
    report = services.audit_verify_now(by=request.user)
    return render(request, "console/audit_verify.html", {"report": report})


@login_required
def jobs_view(request):
    runs = selectors.job_runs(user=request.user)
    page = page_for(request, runs, order=selectors.JOB_RUN_ORDER)
    return render(request, "console/jobs.html", {"runs": page.items, "page": page})


@login_required
def dictionaries_view(request):
    tables, table, items = selectors.dictionary_page(user=request.user,
                                                     table=request.GET.get("table"))
    return render(request, "console/dictionaries.html", {
        "tables": tables, "table": table, "items": items,
    })


@login_required
@require_POST
def dictionary_save_view(request):
    require_cap(request.user, Cap.DICT_CHANGE)
    try:
        services.dictionary_save(
            by=request.user, table=request.POST.get("table", ""),
            code=request.POST.get("code", ""), name=request.POST.get("name", ""),
            is_active=request.POST.get("is_active") == "on",
        )
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("The code table entry has been saved."))
    table = request.POST.get("table", "")
    return redirect(f"{reverse('console:dictionaries')}?{urlencode({'table': table})}")


@login_required
def notices_view(request):
    unread_only = request.GET.get("unread") == "1"
    page = page_for(request, selectors.notice_list(user=request.user, unread_only=unread_only),
                    order=selectors.NOTICE_ORDER, default_limit=selectors.NOTICE_PAGE)
    return render(request, "console/notices.html", {
        "notices": page.items, "page": page, "next_cursor": page.next,
        "unread_only": unread_only,
        "any_unread": any(n.read_at is None for n in page.items),
    })


@login_required
@require_POST
def notices_read_view(request):
    count = notices.notice_mark_read(user=request.user)
    if count:
        messages.success(request, _("All notices have been marked as read."))
    return redirect("notices")


@login_required
def notice_open_view(request, pk):
    """Set the read receipt, then go to the record the notice is about.

    A plain link (GET) on purpose: the worst a forged request can do is mark a notice read.
    """
    notice = selectors.notice_get_for_user(request.user, pk)
    if notice.read_at is None:
        notices.notice_mark_read(user=request.user, notice_ids=[notice.pk])
    # Only paths on this site: a notice must never send its reader to another host.
    if notice.url and notices.is_local_path(notice.url) and url_has_allowed_host_and_scheme(
            notice.url, allowed_hosts=None):
        return redirect(notice.url)
    if notice.url:
        messages.error(request, _("The link of this notice does not lead to a page of this site."))
    return redirect("notices")


# ---------------------------------------------------------------- recycle bin

@login_required
def recycle_view(request):
    entries, filters = selectors.recycled_list(user=request.user, params=request.GET)
    page = page_for(request, entries, order=selectors.RECYCLE_ORDER)
    return render(request, "console/recycle.html", {
        "entries": page.items, "page": page, "filters": filters,
        "erasable": erase_department_ids(request.user),
        "keep_days": settings.ZUGONG_RECYCLE_KEEP_DAYS,
    })


@login_required
@require_POST
def recycle_restore_view(request, pk):
    entry = selectors.recycled_get_for_user(request.user, pk)
    try:
        services.recycled_restore(by=request.user, entry=entry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("“%(label)s” has been restored.") % {"label": entry.label})
    return redirect("console:recycle")


@login_required
@require_POST
def recycle_erase_view(request, pk):
    entry = selectors.recycled_get_for_user(request.user, pk)
    try:
        services.recycled_erase(by=request.user, entry=entry,
                                reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("“%(label)s” has been erased for good.")
                         % {"label": entry.label})
    return redirect("console:recycle")
@login_required
def job_view(request, pk):
    """A background job of one's own: its progress bar, then its result or why it failed."""
    run = jobs.live(selectors.job_get_for_user(request.user, pk))
    return render(request, "console/job.html", {"run": run, "link": jobs.result_link(run)})


@login_required
def job_status_view(request, pk):
    """The progress fragment the job page polls (htmx) until the job ends."""
    run = jobs.live(selectors.job_get_for_user(request.user, pk))
    return render(request, "console/_job_status.html", {"run": run,
                                                        "link": jobs.result_link(run)})


@login_required
def job_file_view(request, pk):
    run = selectors.job_get_for_user(request.user, pk)
    path = jobs.result_file(run)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True,
                        filename=run.result_name or path.name)
