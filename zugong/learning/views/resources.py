"""Pages of the department's resources (第一议题, reading list, materials) and copy flags."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zugong.core.forms import apply_errors
from zugong.core.paging import page_for

from .. import copies, selectors, services
from ..access import can_manage_regime, can_review
from ..forms import (
    FirstTopicForm,
    MaterialForm,
    ReadingItemForm,
)
from .common import _dept

# ---------------------------------------------------------------- department resources


@login_required
def first_topic_view(request):
    dept = _dept(request, request.GET.get("dept"))
    can_record = can_review(request.user)
    form = None
    if can_record:
        form = FirstTopicForm(request.POST or None, initial={"held_on": timezone.localdate()})
        form.fields["attendees"].queryset = selectors.people_for_recording(
            user=request.user).filter(unit_path__startswith=dept.path)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.first_topic_record(by=request.user, department=dept,
                                            **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The first-topic study was recorded; each "
                                            "attendee's study hours include it."))
                return redirect(f"{reverse('learning:first_topics')}?dept={dept.pk}")
    page = page_for(request, selectors.first_topic_list(user=request.user, department=dept),
                    order=("-held_on", "-id"))
    return render(request, "learning/first_topics.html", {
        "dept": dept, "form": form, "topics": page.items, "page": page})


@login_required
def reading_list_view(request):
    dept = _dept(request, request.GET.get("dept"))
    can_edit = can_manage_regime(request.user, dept)
    form = ReadingItemForm(request.POST or None,
                           initial={"year": timezone.localdate().year}) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.reading_item_add(by=request.user, department=dept,
                                          **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Added to the reading list."))
                return redirect(f"{reverse('learning:reading')}?dept={dept.pk}")
    return render(request, "learning/reading.html", {
        "dept": dept, "form": form, "items": selectors.reading_list(department=dept)})


@login_required
def material_list_view(request):
    dept = _dept(request, request.GET.get("dept"))
    can_add = can_review(request.user)
    form = MaterialForm(request.POST or None, request.FILES or None) if can_add else None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.material_add(by=request.user, department=dept, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Added to the library."))
                return redirect(f"{reverse('learning:materials')}?dept={dept.pk}")
    return render(request, "learning/materials.html", {
        "dept": dept, "form": form, "items": selectors.material_list(department=dept)})


# ---------------------------------------------------------------- copy flags


@login_required
def copy_list_view(request):
    state = request.GET.get("state", "open")
    flags = selectors.copy_flags(user=request.user, state="" if state == "all" else state)
    page = page_for(request, flags, order=("-created_at", "-id"))
    return render(request, "learning/copies.html", {"flags": page.items, "page": page,
                                                    "state": state})


@login_required
def copy_detail_view(request, pk):
    flag = selectors.copy_flag_get_for_user(request.user, pk)
    source, other = selectors.copy_flag_texts(flag)
    return render(request, "learning/copy_detail.html", {
        "flag": flag, "source": source, "other": other,
        "percent": int(flag.score * 100)})


@login_required
@require_POST
def copy_review_view(request, pk):
    flag = selectors.copy_flag_get_for_user(request.user, pk)
    copies.copy_flag_review(by=request.user, flag=flag,
                              copied=request.POST.get("decision") == "copied")
    messages.success(request, _("Saved."))
    return redirect("learning:copies")
