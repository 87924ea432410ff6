"""Pages of my progress and of learning records and their confirmation."""

from urllib.parse import urlencode

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
from zugong.core.paging import page_for
from zugong.core.recycle import confirm_context
from zugong.core.versioning import ConflictError
from zugong.people.access import require_cap

from .. import selectors, services
from ..access import Cap, can_review, may_confirm, may_record_for, may_review, reviewable_ids
from ..forms import (
    RECORD_FORMS,
    ReviewForm,
)
from ..models import OutletLevel, ReviewStatus, StudyForm, WritingKind
from ..selectors import RecordFilters
from .common import _kind_labels, _next_or

# ---------------------------------------------------------------- my progress


@login_required
def home_view(request):
    require_cap(request.user, Cap.LEARNING_VIEW)
    regime, window, cells = selectors.my_progress(user=request.user)
    return render(request, "learning/home.html", {
        "regime": regime, "window": window, "cells": cells,
        "recent": selectors.my_recent_records(user=request.user),
        "can_review": can_review(request.user),
        "pending": sum(selectors.pending_counts(user=request.user).values()),
    })


# ---------------------------------------------------------------- records


@login_required
def record_list_view(request):
    filters = RecordFilters.from_params(request.GET)
    qs = selectors.record_list_for_page(user=request.user, filters=filters)
    page = page_for(request, qs, order=("-on", "-id"))
    rows = page.items
    # One address reversed for the page, not one per row (a reverse costs as much as the
    # rest of the row).
    base = reverse("learning:record", args=[filters.kind, 0]).removesuffix("0/")
    for r in rows:
        r.zg_url = f"{base}{r.pk}/"
    # A record whose last edit is the user's own waits for another reviewer.
    pending = [r for r in rows if r.status == ReviewStatus.PENDING and may_confirm(
        request.user, r)] if can_review(request.user) else []
    people = reviewable_ids(request.user, [r.person_id for r in pending])
    reviewable = {r.pk for r in pending if r.person_id in people}
    return render(request, "learning/records.html", {
        "rows": rows, "page": page, "filters": filters,
        "params": filters.as_params(), "kinds": _kind_labels(),
        "statuses": ReviewStatus.choices, "reviewable": reviewable,
        "pending": selectors.pending_counts(user=request.user),
        "writing_kinds": WritingKind.choices, "levels": OutletLevel.choices,
        "forms": StudyForm.choices, "can_review": can_review(request.user),
        "person": _filter_person(request, filters.person),
        "filter_unit": selectors.filter_unit(user=request.user, pk=filters.unit),
        "unit_clear": "?" + urlencode({k: v for k, v in filters.as_params().items()
                                       if k != "unit"}),
    })


def _filter_person(request, pk):
    """The person the list is filtered to, when the user may see them."""
    if not pk:
        return None
    try:
        return selectors.person_get_for_user(request.user, pk)
    except Http404:
        return None


@login_required
def record_export_view(request):
    filters = RecordFilters.from_params(request.GET)
    count = selectors.record_list(user=request.user, filters=filters).count()
    return run_export(request, name="learning.records_export",
                      builder="zugong.learning.exports.records_export", count=count,
                      title=_("Learning records export"))


def _record_form(request, kind, *, record=None, data=None, files=None):
    form = RECORD_FORMS[kind](data, files, initial=_initial(record))
    people = selectors.people_for_recording(user=request.user)
    show_people = record is None and can_review(request.user)
    form.set_people(people if show_people else None,
                    request.GET.get("person") or request.user.person_id)
    if "reading_item" in form.fields:
        person = record.person if record else request.user.person
        dept = person.unit.department if person else None
        form.fields["reading_item"].queryset = selectors.reading_list(department=dept)
    return form


def _initial(record):
    if record is None:
        return {"on": timezone.localdate()}
    names = services.RECORD_FIELDS[services.kind_of(record)]
    initial = {n: getattr(record, n) for n in names}
    initial["version"] = record.version
    return initial


@login_required
def record_add_view(request, kind):
    if kind not in RECORD_FORMS:
        raise PermissionDenied
    require_cap(request.user, Cap.LEARNING_VIEW)
    if request.user.person_id is None and not can_review(request.user):
        raise PermissionDenied
    form = _record_form(request, kind, data=request.POST or None, files=request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("person", None) or request.user.person
        photos = data.pop("photos", []) or []
        try:
            record = services.record_create(by=request.user, kind=kind, person=person,
                                            data=data, photos=photos)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Recorded.") if record.status == ReviewStatus.CONFIRMED
                             else _("Recorded; it counts once your section chief confirms it."))
            return redirect(_next_or(request, "learning:home"))
    return render(request, "learning/record_form.html", {
        "form": form, "kind": kind, "kind_label": _kind_labels()[kind],
        "next": request.GET.get("next", ""),
    })


@login_required
def record_detail_view(request, kind, pk):
    record = selectors.record_get_for_user(request.user, kind, pk)
    can_edit = may_record_for(request.user, record.person)
    form = None
    if can_edit:
        form = _record_form(request, kind, record=record, data=request.POST or None,
                            files=request.FILES or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None) or 0
            photos = data.pop("photos", []) or []
            if not data.get("file"):
                data.pop("file", None)
            try:
                services.record_update(by=request.user, record=record, version=version,
                                       data=data, photos=photos)
            except ValidationError as exc:
                apply_errors(form, exc)
            except ConflictError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved."))
                return redirect("learning:record", kind=kind, pk=pk)
    flags = selectors.copy_flags(user=request.user, state="").filter(
        source_kind=kind, source_id=record.pk) if can_review(request.user) else []
    return render(request, "learning/record_detail.html", {
        "record": record, "kind": kind, "kind_label": _kind_labels()[kind], "form": form,
        "can_review": record.status == ReviewStatus.PENDING and may_review(
            request.user, record.person),
        # Nobody confirms their own edit: the button is not shown to its editor.
        "can_confirm": may_confirm(request.user, record),
        "review_form": ReviewForm(initial={"records": f"{kind}:{record.pk}"}),
        "flags": flags,
        "photos": list(record.photos.all()) if kind == "note" else [],
        "can_delete": can_edit,
    })


@login_required
def record_delete_view(request, kind, pk):
    """The confirm page (GET) and the delete into the recycle bin (POST)."""
    record = selectors.record_get_for_user(request.user, kind, pk, write=True)
    if request.method == "POST":
        services.record_delete(by=request.user, record=record)
        messages.success(request, _("The record is in the recycle bin."))
        return redirect("learning:records")
    return render(request, "core/confirm_delete.html", confirm_context(
        what=f"{_kind_labels()[kind]} · {record} · {record.on:%Y-%m-%d}",
        back=reverse("learning:record", args=[kind, pk])))


@login_required
@require_POST
def record_review_view(request):
    if not can_review(request.user):
        raise PermissionDenied
    data = request.POST.copy()
    data["records"] = ",".join(request.POST.getlist("records"))
    form = ReviewForm(data)
    back = _next_or(request, "learning:records")
    if not form.is_valid() or not form.record_keys():
        messages.error(request, _("Choose the records to confirm or return."))
        return redirect(back)
    records = selectors.records_get_for_user(request.user, form.record_keys())
    confirm = form.cleaned_data["decision"] == "confirm"
    try:
        n = services.record_review(by=request.user, records=records, confirm=confirm,
                                   reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, (_("%(n)s record(s) confirmed.") if confirm
                                   else _("%(n)s record(s) returned.")) % {"n": n})
    return redirect(back)


@login_required
def person_tab_view(request, pk):
    """The learning tab of a person's page (loaded when the tab is shown)."""
    return render(request, "learning/_person_tab.html", {
        **selectors.person_learning(user=request.user, pk=pk), "kinds": _kind_labels()})
