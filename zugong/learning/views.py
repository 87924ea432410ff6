"""Pages of the learning area: my progress, records and their confirmation, compliance,
the regime, 第一议题, the reading list and materials, copy flags."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zugong.core.forms import apply_errors
from zugong.core.paging import PagingError, keyset_page, paging_error_response, parse_paging
from zugong.core.periods import Period, PeriodKind
from zugong.core.versioning import ConflictError
from zugong.people.access import department_get_for_user, departments_for, require_cap

from . import copies, exports, selectors, services
from .access import Cap, can_manage_regime, can_review, may_record_for, may_review
from .compliance import SEVERITY, Status
from .forms import (
    RECORD_FORMS,
    ExemptionForm,
    FirstTopicForm,
    MaterialForm,
    ReadingItemForm,
    RegimeCreateForm,
    RegimeSettingsForm,
    ReviewForm,
    RuleChangeForm,
    RuleForm,
    RuleRetireForm,
)
from .models import OutletLevel, ReviewStatus, StudyForm, WritingKind
from .selectors import RecordFilters


def _next_or(request, default: str) -> str:
    """Where to go after a form: the page's own ``next`` if it stays on this site."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse(default)


def _dept(request, pk):
    """The department a page is about: the one asked for, else the user's own."""
    return department_get_for_user(request.user, pk, Cap.LEARNING_VIEW)


def _departments(request):
    return departments_for(request.user, Cap.LEARNING_VIEW)


def _page(request, qs, order):
    """One page of ``qs`` by the address's cursor and limit (PagingError when bad)."""
    cursor, limit = parse_paging(request.GET)
    return keyset_page(qs, order=order, cursor=cursor, limit=limit)


def _kind_labels():
    return {"study": _("Study"), "note": _("Notes"), "book": _("Books"),
            "writing": _("Writings")}


# ---------------------------------------------------------------- my progress


@login_required
def home_view(request):
    require_cap(request.user, Cap.LEARNING_VIEW)
    regime, result, window = selectors.my_progress(user=request.user)
    cells = []
    if result is not None:
        cells = [(s, result.cell(request.user.person_id, s.number, window))
                 for s in result.series]
        cells = [(s, c) for s, c in cells if c is not None]
    recent = []
    if request.user.person_id:
        for kind in ("study", "note", "book", "writing"):
            recent += list(selectors.record_list(user=request.user, filters=RecordFilters(
                kind=kind, person=request.user.person_id))[:5])
        recent.sort(key=lambda r: (r.on, r.created_at), reverse=True)
    return render(request, "learning/home.html", {
        "regime": regime, "window": window, "cells": cells, "recent": recent[:8],
        "can_review": can_review(request.user),
        "pending": sum(selectors.pending_counts(user=request.user).values()),
    })


# ---------------------------------------------------------------- records


@login_required
def record_list_view(request):
    filters = RecordFilters.from_params(request.GET)
    qs = selectors.record_list(user=request.user, filters=filters)
    try:
        page = _page(request, qs, ("-on", "-id"))
    except PagingError as exc:
        return paging_error_response(request, exc)
    rows = page.items
    reviewable = {r.pk for r in rows if r.status == ReviewStatus.PENDING
                  and may_review(request.user, r.person)} if can_review(request.user) else set()
    return render(request, "learning/records.html", {
        "rows": rows, "page": page, "filters": filters,
        "params": filters.as_params(), "kinds": _kind_labels(),
        "statuses": ReviewStatus.choices, "reviewable": reviewable,
        "pending": selectors.pending_counts(user=request.user),
        "writing_kinds": WritingKind.choices, "levels": OutletLevel.choices,
        "forms": StudyForm.choices, "can_review": can_review(request.user),
        "person": _filter_person(request, filters.person),
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
    return exports.records_xlsx(user=request.user, filters=filters,
                                qs=selectors.record_list(user=request.user, filters=filters))


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
        "review_form": ReviewForm(initial={"records": f"{kind}:{record.pk}"}),
        "flags": flags,
        "photos": list(record.photos.all()) if kind == "note" else [],
    })


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
    records = [selectors.record_get_for_user(request.user, kind, pk)
               for kind, pk in form.record_keys()]
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


# ---------------------------------------------------------------- compliance


def _year(request) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year + 1 else today.year


@login_required
def compliance_view(request):
    dept = _dept(request, request.GET.get("dept"))
    regime = selectors.regime_of(dept)
    year = _year(request)
    context = {"dept": dept, "regime": regime, "year": year,
               "departments": _departments(request),
               "sections": selectors.section_choices(dept),
               "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1)}
    if regime is None:
        context["rollup"] = selectors.subtree_rollup(user=request.user, department=dept,
                                                     window=Period.parse(str(year)))
        return render(request, "learning/compliance.html", context)
    unit = next((s for s in context["sections"] if str(s.pk) == request.GET.get("unit")), None)
    months = Period.parse(str(year)).children(PeriodKind.MONTH)
    result = selectors.department_compliance(user=request.user, regime=regime,
                                             windows=[*months, Period.parse(str(year))],
                                             unit=unit)
    series = result.series
    chosen = next((s for s in series if str(s.number) == request.GET.get("rule")),
                  series[0] if series else None)
    context.update(_matrix(result, chosen, year, months) if chosen else {})
    context.update({"unit": unit, "result": result, "series": series, "chosen": chosen,
                    "statuses": [(s, Status(s).label) for s in SEVERITY],
                    "summary": [(s, result.summary(s.number, Period.parse(str(year))))
                                for s in series],
                    "chart": _chart(result, series, months)})
    return render(request, "learning/compliance.html", context)


def _matrix(result, series, year, months) -> dict:
    """People × the rule's periods of the year (months, quarters or the year)."""
    kind = series.period if series.period in (PeriodKind.QUARTER, PeriodKind.HALF,
                                              PeriodKind.YEAR) else PeriodKind.MONTH
    columns = months if kind == PeriodKind.MONTH else [
        m for m in months if m.start == Period.containing(kind, m.start).start]
    rows = []
    for subject in result.subjects:
        cells = [result.cell(subject.pk, series.number, m) for m in columns]
        if any(cells):
            rows.append((subject, cells))
    labels = [Period.containing(kind, m.start).label for m in columns]
    return {"matrix_rows": rows, "matrix_labels": labels}


def _chart(result, series, months) -> dict:
    """Share of people meeting each rule per month, for the department chart (months
    that have not begun have no figure, rather than a misleading 0 %)."""
    today = timezone.localdate()
    return {
        "months": [m.label for m in months],
        "series": [{"name": f"{s.number}. {s.metric.label}",
                    "data": [result.summary(s.number, m)["met_rate"] if m.start <= today
                             else None for m in months]}
                   for s in series],
    }


@login_required
def compliance_export_view(request):
    dept = _dept(request, request.GET.get("dept"))
    regime = selectors.regime_of(dept)
    if regime is None:
        messages.error(request, _("The department has no learning regime yet."))
        return redirect("learning:compliance")
    window_key = request.GET.get("period") or str(_year(request))
    try:
        window = Period.parse(window_key)
    except ValueError:
        messages.error(request, _("The period was not understood."))
        return redirect("learning:compliance")
    result = selectors.department_compliance(user=request.user, regime=regime,
                                             windows=[window])
    return exports.compliance_xlsx(result=result, window=window, dept=dept)


# ---------------------------------------------------------------- regime


def _regime_context(request, dept, regime, *, page=None, **forms):
    sections = selectors.section_choices(dept)
    people = selectors.compliance_people(user=request.user, regime=regime) if regime else []
    exemption = forms.get("exemption_form") or ExemptionForm()
    exemption.fields["person"].queryset = people if regime else selectors.no_people()
    if page is None and regime is not None:
        # A form that failed shows the first page of exemptions.
        page = keyset_page(selectors.exemption_list(regime=regime), order=("-id",),
                           cursor=None, limit=50)
    exemption.fields["series"].choices = [("", _("all rules"))] + (
        [(s, s) for s in sorted({r.series for r in regime.rules.all()})] if regime else [])
    return {
        "dept": dept, "regime": regime, "departments": _departments(request),
        "can_manage": can_manage_regime(request.user, dept),
        "rules": list(regime.rules.prefetch_related("sections").order_by("series", "valid_from"))
        if regime else [],
        "exemptions": page.items if page else [], "page": page,
        "create_form": forms.get("create_form") or RegimeCreateForm(
            initial={"valid_from": timezone.localdate().replace(month=1, day=1)}),
        "rule_form": forms.get("rule_form") or RuleForm(
            sections=sections, initial={"valid_from": timezone.localdate(), "period": "month",
                                        "categories": ["org_cadre"]}),
        "settings_form": forms.get("settings_form") or (RegimeSettingsForm(initial={
            "version": regime.version, "count_unconfirmed": regime.count_unconfirmed,
            "remind_days": regime.remind_days, "copy_threshold": regime.copy_threshold})
            if regime else None),
        "exemption_form": exemption,
        "change_form": RuleChangeForm(initial={"effective": timezone.localdate()}),
        "retire_form": RuleRetireForm(initial={"last_day": timezone.localdate()}),
    }


@login_required
def regime_view(request):
    dept = _dept(request, request.GET.get("dept"))
    regime = selectors.regime_of(dept)
    page = None
    if regime is not None:
        try:
            page = _page(request, selectors.exemption_list(regime=regime), ("-id",))
        except PagingError as exc:
            return paging_error_response(request, exc)
    return render(request, "learning/regime.html",
                  _regime_context(request, dept, regime, page=page))


def _managed_dept(request):
    dept = _dept(request, request.POST.get("dept") or request.GET.get("dept"))
    if not can_manage_regime(request.user, dept):
        raise PermissionDenied
    return dept


def _regime_redirect(dept):
    return redirect(f"{reverse('learning:regime')}?dept={dept.pk}")


def _regime_form_failed(request, dept, regime, **forms):
    return render(request, "learning/regime.html",
                  _regime_context(request, dept, regime, **forms), status=422)


@login_required
@require_POST
def regime_create_view(request):
    dept = _managed_dept(request)
    form = RegimeCreateForm(request.POST)
    if form.is_valid():
        try:
            services.regime_create(by=request.user, department=dept, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The regime is in force."))
            return _regime_redirect(dept)
    return _regime_form_failed(request, dept, selectors.regime_of(dept), create_form=form)


def _active_regime(dept):
    regime = selectors.regime_of(dept)
    if regime is None:
        raise PermissionDenied
    return regime


@login_required
@require_POST
def rule_add_view(request):
    dept = _managed_dept(request)
    regime = _active_regime(dept)
    form = RuleForm(request.POST, sections=selectors.section_choices(dept))
    if form.is_valid():
        try:
            services.rule_add(by=request.user, regime=regime, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The rule was added."))
            return _regime_redirect(dept)
    return _regime_form_failed(request, dept, regime, rule_form=form)


def _rule(pk, dept):
    regime = _active_regime(dept)
    rule = regime.rules.filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule


def _rule_action(request, pk, form_class, service, done: str, incomplete: str):
    """Change or retire the version of a rule in force: form → service → message."""
    dept = _managed_dept(request)
    rule = _rule(pk, dept)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, incomplete)
    else:
        try:
            service(by=request.user, rule=rule, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
    return _regime_redirect(dept)


@login_required
@require_POST
def rule_change_view(request, pk):
    return _rule_action(request, pk, RuleChangeForm, services.rule_change,
                        _("The rule was changed; earlier periods keep the old threshold."),
                        _("Give the date and the new threshold."))


@login_required
@require_POST
def rule_retire_view(request, pk):
    return _rule_action(request, pk, RuleRetireForm, services.rule_retire,
                        _("The rule was retired."),
                        _("Give the last day the rule is in force."))


@login_required
@require_POST
def regime_settings_view(request):
    dept = _managed_dept(request)
    regime = _active_regime(dept)
    form = RegimeSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.regime_settings(by=request.user, regime=regime, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return _regime_redirect(dept)
    return _regime_form_failed(request, dept, regime, settings_form=form)


@login_required
@require_POST
def exemption_add_view(request):
    dept = _managed_dept(request)
    regime = _active_regime(dept)
    form = ExemptionForm(request.POST)
    form.fields["person"].queryset = selectors.compliance_people(user=request.user,
                                                                 regime=regime)
    form.fields["series"].choices = [("", "")] + [
        (s, s) for s in sorted({r.series for r in regime.rules.all()})]
    if form.is_valid():
        try:
            services.exemption_add(by=request.user, regime=regime, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The exemption was recorded."))
            return _regime_redirect(dept)
    return _regime_form_failed(request, dept, regime, exemption_form=form)


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
    try:
        page = _page(request, selectors.first_topic_list(user=request.user, department=dept),
                     ("-held_on", "-id"))
    except PagingError as exc:
        return paging_error_response(request, exc)
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
    try:
        page = _page(request, flags, ("-created_at", "-id"))
    except PagingError as exc:
        return paging_error_response(request, exc)
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
