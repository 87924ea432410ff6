"""Pages: upload → preview → confirm for LRMX files and the workbook; exports; the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from zugong.core import jobs as core_jobs
from zugong.core.forms import apply_errors
from zugong.core.paging import page_for
from zugong.people.access import has_cap
from zugong.people.selectors import PersonFilters, unit_choices

from . import exports, merge, printform, selectors, services, workbook
from .access import Cap
from .forms import AgeDateForm, LrmxUploadForm, WorkbookUploadForm
from .models import ImportBatch

# The download's name, in the reader's language (a Chinese name in Chinese).
FILE_CADRE_WORKBOOK_TEMPLATE = pgettext_lazy("file name", "cadre workbook template")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require_import(user):
    if not selectors.can_import(user):
        raise PermissionDenied


def _upload_page(request, form_class, template, prepare):
    _require_import(request.user)
    page = page_for(request, selectors.batch_list(user=request.user),
                    order=selectors.BATCH_ORDER, default_limit=selectors.BATCH_PAGE)
    units = unit_choices(user=request.user, cap=Cap.PEOPLE_CHANGE)
    form = form_class(request.POST or None, request.FILES or None, units=units,
                      user=request.user)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            batch, problems = prepare(form)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if batch is not None:
                form.release()
                return redirect("interop:preview", pk=batch.pk)
    return render(request, template, {
        "form": form, "problems": problems,
        "batches": page.items, "page": page,
    }, status=422 if problems else 200)


@login_required
def lrmx_import_view(request):
    def prepare(form):
        batch, report = services.batch_prepare(
            by=request.user, files=form.cleaned_data["uploads"],
            unit=form.cleaned_data["unit"], category=form.cleaned_data["category"])
        return batch, report.problems

    return _upload_page(request, LrmxUploadForm, "interop/lrmx_import.html", prepare)


@login_required
def workbook_import_view(request):
    def prepare(form):
        [(name, data)] = form.cleaned_data["uploads"]
        batch, report = services.workbook_prepare(
            by=request.user, data=data, name=name,
            unit=form.cleaned_data["unit"], category=form.cleaned_data["category"])
        return batch, report.problems

    return _upload_page(request, WorkbookUploadForm, "interop/workbook_import.html", prepare)


@login_required
def preview_view(request, pk):
    batch = selectors.batch_get_for_user(request.user, pk)
    return render(request, "interop/preview.html", {
        "batch": batch, **merge.batch_preview(user=request.user, batch=batch)})


@login_required
@require_POST
def confirm_view(request, pk):
    batch = selectors.batch_get_for_user(request.user, pk)
    chosen = set(request.POST.getlist("apply"))
    records = services.batch_records(batch) if batch.status == ImportBatch.Status.PREVIEW else []
    choices = {i: str(i) in chosen for i in range(len(records))}
    if len(records) > core_jobs.job_threshold():
        # Thousands of people take minutes to write: the job page shows the progress.
        run = core_jobs.start(by=request.user, name="interop.import", title=_(
            "Import of %(name)s") % {"name": batch.name},
            func="zugong.interop.jobs.batch_apply_job",
            params={"batch": batch.pk, "choices": choices, "count": len(records)},
            total=len(records))
        return redirect("job", pk=run.pk)
    try:
        counts = services.batch_apply(by=request.user, batch=batch, choices=choices)
    except services.BatchStateError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _("Nothing was imported: %(errors)s") % {
            "errors": "；".join(exc.messages)})
    else:
        messages.success(request, _(
            "Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged, "
            "%(skipped)s skipped.") % counts)
    return redirect("interop:preview", pk=batch.pk)


@login_required
@require_POST
def discard_view(request, pk):
    batch = selectors.batch_get_for_user(request.user, pk)
    if batch.status == ImportBatch.Status.PREVIEW:
        services.batch_discard(by=request.user, batch=batch)
    return redirect("interop:lrmx_import")


@login_required
def person_lrmx_view(request, pk):
    person = selectors.person_for_export(request.user, pk)
    data = exports.person_lrmx(person)
    services.export_logged(by=request.user, what="lrmx", count=1, detail={"person": person.pk})
    response = HttpResponse(data, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = _attachment(exports.lrmx_filename(person))
    return response


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(name)}"


def _selection(request):
    filters = PersonFilters.from_params(request.GET)
    ids = request.GET.getlist("id") or None
    if ids:
        ids = [int(i) for i in ids if i.isdigit()]
    return filters, selectors.exportable_people(user=request.user, filters=filters, ids=ids)


@login_required
def people_lrmx_view(request):
    return _export(request, name="interop.export_lrmx", func="zugong.interop.jobs.people_lrmx_job",
                   title=_("LRMX export"))


@login_required
def workbook_export_view(request):
    return _export(request, name="interop.export_workbook",
                   func="zugong.interop.jobs.people_workbook_job", title=_("Workbook export"))


def _export(request, *, name, func, title):
    """Small selections download at once; big ones run as a job with a progress page."""
    filters, people = _selection(request)
    ids = [int(i) for i in request.GET.getlist("id") if i.isdigit()] or None
    count = people.count()
    return core_jobs.run_or_start(request.user, name=name, func=func, title=title,
                                  count=count, params={"filters": filters.as_params(),
                                                       "ids": ids, "count": count})


@login_required
def workbook_template_view(request):
    if not (selectors.can_import(request.user) or has_cap(request.user, Cap.PEOPLE_EXPORT)):
        raise PermissionDenied
    return FileResponse(workbook.template_workbook(), as_attachment=True,
                        filename=f"{FILE_CADRE_WORKBOOK_TEMPLATE}.xlsx",
                        content_type=XLSX)


@login_required
def form_pdf_view(request, pk):
    person = selectors.person_for_export(request.user, pk)
    day = AgeDateForm(request.GET or None).day()
    data = printform.form_pdf(merge.person_to_record(person), day=day)
    services.export_logged(by=request.user, what="form_pdf", count=1,
                           detail={"person": person.pk})
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = _attachment(f"{person.name}-任免审批表.pdf").replace(
        "attachment", "inline")
    return response


@login_required
def form_docx_view(request, pk):
    person = selectors.person_for_export(request.user, pk)
    day = AgeDateForm(request.GET or None).day()
    data = printform.form_docx(merge.person_to_record(person), day=day)
    services.export_logged(by=request.user, what="form_docx", count=1,
                           detail={"person": person.pk})
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = _attachment(f"{person.name}-任免审批表.docx")
    return response
