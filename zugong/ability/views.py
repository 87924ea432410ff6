"""Pages of the ability app. Short: departments in selectors, rules in services."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from zugong.core.forms import apply_errors, submit
from zugong.core.paging import address_without, page_for
from zugong.core.versioning import ConflictError

from . import exports, selectors, services
from .access import (
    Cap,
    department_get_for_user,
    departments_for,
    may_manage,
    may_manage_department,
    pair_side,
    require_cap,
)
from .forms import (
    AdoptForm,
    AwardForm,
    BallotForm,
    CheckInForm,
    CodesForm,
    CommentForm,
    CompetitionForm,
    EvaluationForm,
    LectureAwardForm,
    LectureForm,
    LedgerForm,
    MilestoneDoneForm,
    PairForm,
    ReportForm,
    RotationSwapForm,
    SchemeForm,
    ScoreForm,
    SummaryForm,
    TaskForm,
    TopicForm,
    TrainingForm,
)
from .models import LEDGER_FRESH_DAYS, PairStatus, ScoringStatus, Series, Topic, TrainingKind
from .selectors import (
    COMPETITION_ORDER,
    LECTURE_ORDER,
    LEDGER_ORDER,
    PAIR_ORDER,
    TOPIC_ORDER,
    TRAINING_ORDER,
    LectureFilters,
    PairFilters,
    TrainingFilters,
)

LECTURE_PARAMS = ("series", "topic", "person", "start", "end", "unit", "part")
TRAINING_PARAMS = ("kind", "person", "start", "end", "unit")
PAIR_PARAMS = ("status", "person", "section", "start", "end", "unit")


def _day(params, name):
    return parse_day(params.get(name) or "")


def _lecture_filters(params) -> LectureFilters:
    return LectureFilters(series=params.get("series", ""), topic=params.get("topic", ""),
                          person=params.get("person", ""), start=_day(params, "start"),
                          end=_day(params, "end"), unit=params.get("unit", ""),
                          part=params.get("part", ""))


def _unit(request) -> dict:
    """The page's ``?unit=`` filter (a figure's link to its records) for the kit's banner
    (``includes/unit_filter.html``): the unit, 404 when out of scope or missing, and the
    address that clears it."""
    pk = request.GET.get("unit", "")
    if not pk:
        return {"filter_unit": None}
    return {"filter_unit": selectors.unit_for_filter(request.user, pk),
            "unit_clear": address_without(request, "unit"),
            "note": _("The counts shown are theirs.")}


def _without(data: dict, *names: str) -> dict:
    """A form's cleaned data less the fields a service does not take."""
    return {k: v for k, v in data.items() if k not in names}


def _department(request, cap=Cap.ABILITY_VIEW):
    """The department a page works in and the departments to pick from: ``?department=``
    names one of the user's departments (any other id is 404, as a missing one); without
    it, the user's own department (else the first)."""
    departments = departments_for(request.user, cap)
    return (department_get_for_user(request.user, request.GET.get("department"), cap),
            departments)


def _managed(request):
    """The department a recording page writes in (``?department=`` for a leader of
    several; 403 without ``ability.manage`` anywhere)."""
    require_cap(request.user, Cap.ABILITY_MANAGE)
    return _department(request, Cap.ABILITY_MANAGE)


@login_required
def home_view(request):
    require_cap(request.user, Cap.ABILITY_VIEW)
    return redirect("ability:lectures")


@login_required
def lectures_view(request):
    filters = _lecture_filters(request.GET)
    page = page_for(request, selectors.lecture_list(user=request.user, filters=filters),
                    order=LECTURE_ORDER)
    today = timezone.localdate()
    department, departments = _department(request)
    figures = selectors.lecture_figures(user=request.user, department=department,
                                        start=dt.date(today.year, 1, 1), end=today)
    params = {k: v for k, v in request.GET.items() if k in LECTURE_PARAMS}
    return render(request, "ability/lectures.html", {
        "rows": page.items, "page": page, "filters": filters, "params": params,
        "series": Series.choices, "topics": Topic.choices, "figures": figures,
        "department": department, "departments": departments, "year": today.year,
        "can_manage": may_manage(request.user), "section": "lectures", **_unit(request)})


@login_required
def lectures_export_view(request):
    return exports.lectures_xlsx(user=request.user, qs=selectors.lecture_list(
        user=request.user, filters=_lecture_filters(request.GET)))


def _people(department):
    return selectors.department_people(department)


@login_required
def lecture_add_view(request):
    department, departments = _managed(request)
    form = LectureForm(request.POST or None, people=_people(department),
                       initial={"held_on": timezone.localdate()})
    if request.method == "POST":
        lecture = submit(form,
            lambda data: services.lecture_record(by=request.user, department=department,
                                                 **_without(data, "version")))
        if lecture is not None:
            messages.success(request, _("Lecture recorded."))
            return redirect("ability:lecture", pk=lecture.pk)
    return render(request, "ability/lecture_form.html", {
        "form": form, "department": department, "departments": departments,
        "section": "lectures"},
        status=400 if form.errors else 200)


@login_required
def lecture_detail_view(request, pk):
    lecture = selectors.lecture_get_for_user(request.user, pk)
    return render(request, "ability/lecture_detail.html", {
        "lec": lecture, "seats": selectors.lecture_seats(lecture),
        "awards": selectors.lecture_awards(lecture),
        "can_edit": may_manage_department(request.user, lecture.department_id),
        "section": "lectures"})


@login_required
def lecture_edit_view(request, pk):
    lecture = selectors.lecture_get_for_user(request.user, pk, write=True)
    seats = selectors.lecture_seats(lecture)
    initial = {"version": lecture.version, "series": lecture.series, "topic": lecture.topic,
               "title": lecture.title, "held_on": lecture.held_on, "place": lecture.place,
               "summary": lecture.summary,
               **{f"{part}s" if part != "audience" else part:
                  [s.person_id for s in seats[part]] for part in seats}}
    form = LectureForm(request.POST or None, people=_people(lecture.department),
                       initial=initial)
    if request.method == "POST":
        submit(form,
            lambda data: services.lecture_update(by=request.user, lecture=lecture,
                                                 version=data.pop("version"), **data))
        if form.is_bound and not form.errors:
            messages.success(request, _("Lecture saved."))
            return redirect("ability:lecture", pk=lecture.pk)
    return render(request, "ability/lecture_form.html", {
        "form": form, "department": lecture.department, "lec": lecture,
        "section": "lectures"}, status=400 if form.errors else 200)


# ---------------------------------------------------------------- lecture scoring


def _scoring_page(request, lecture, *, forms=None, codes=None, status=200):
    result = selectors.lecture_scores(lecture)
    scoring = result["scoring"]
    is_open = scoring is not None and scoring.status == ScoringStatus.OPEN
    forms = forms or {}
    comment = next((c for c in result["comments"] if c.by_id == request.user.pk), None)
    can_comment = is_open and selectors.may_comment(request.user, lecture)
    voted = selectors.has_voted(request.user, lecture)
    can_vote = is_open and not voted and selectors.may_peer_vote(request.user, lecture)
    return render(request, "ability/scoring.html", {
        "lec": lecture, **result, "is_open": is_open,
        "can_manage": may_manage_department(request.user, lecture.department_id),
        "scheme": selectors.scheme_for(lecture.department),
        "can_comment": can_comment, "can_vote": can_vote, "voted": voted, "codes": codes,
        "comment_form": forms.get("comment") or (CommentForm(initial={
            "score": comment.score, "comment": comment.comment}) if comment else CommentForm()),
        "ballot_form": forms.get("vote") or BallotForm(),
        "codes_form": forms.get("codes") or CodesForm(initial={"count": 30}),
        "errors": forms.get("errors", []), "section": "lectures"}, status=status)


@login_required
def scoring_view(request, pk):
    """A lecture's scoring: the three parts, their weights and the weighted total; the
    forms for whoever may comment, vote or issue codes."""
    return _scoring_page(request, selectors.lecture_get_for_user(request.user, pk))


@login_required
@require_POST
def scoring_action_view(request, pk, action):
    """Open or close the scoring, issue audience codes (shown once), comment, vote."""
    if action not in ("open", "close", "codes", "comment", "vote"):
        raise Http404
    manage = action in ("open", "close", "codes")
    lecture = selectors.lecture_get_for_user(request.user, pk, write=manage)
    forms_ = {"codes": CodesForm, "comment": CommentForm, "vote": BallotForm}
    form = forms_[action](request.POST) if action in forms_ else None
    if form is not None and not form.is_valid():
        return _scoring_page(request, lecture, forms={action: form}, status=400)
    data = form.cleaned_data if form is not None else {}
    try:
        if action == "open":
            services.scoring_open(by=request.user, lecture=lecture)
            messages.success(request, _("Scoring opened."))
        elif action == "close":
            services.scoring_close(by=request.user, lecture=lecture,
                                   version=request.POST.get("version"))
            messages.success(request, _("Scoring closed."))
        elif action == "codes":
            codes = services.codes_issue(by=request.user, lecture=lecture,
                                         count=data["count"])
            return render(request, "ability/scoring_codes.html", {
                "lec": lecture, "codes": codes, "section": "lectures"})
        elif action == "comment":
            services.comment_save(by=request.user, lecture=lecture, **data)
            messages.success(request, _("Comment saved."))
        else:
            services.peer_vote(by=request.user, lecture=lecture, score=data["score"])
            messages.success(request, _("Your anonymous score has been counted."))
    except (ValidationError, ConflictError) as exc:
        if form is not None and isinstance(exc, ValidationError):
            apply_errors(form, exc)
            return _scoring_page(request, lecture, forms={action: form}, status=400)
        text = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return _scoring_page(request, lecture, forms={"errors": text}, status=400)
    return redirect("ability:scoring", pk=lecture.pk)


def audience_vote_view(request):
    """效果测评 on a phone, without an account: the page shows the code box alone; only a
    valid, unused code names the lecture and opens the score."""
    errors, status, done, lecture = {}, 200, None, None
    code = request.POST.get("code", "") if request.method == "POST" else ""
    if request.method == "POST":
        lecture, problem = selectors.lecture_code_lecture(code)
        if problem:
            errors, status, lecture = {"code": [problem]}, 422, None
        elif "score" in request.POST:
            try:
                done = services.audience_vote(code=code, score=request.POST.get("score"))
                lecture = None
            except ValidationError as exc:
                errors, status = exc.message_dict, 422
                if "code" in errors:
                    lecture = None
    return render(request, "ability/vote.html", {
        "lecture": lecture, "done": done, "errors": errors, "code": code if lecture else "",
        "posted": request.POST}, status=status)


@login_required
def scheme_view(request):
    """The department's weights of the three parts of lecture scoring."""
    department, departments = _managed(request)
    scheme = selectors.scheme_for(department)
    form = SchemeForm(request.POST or None, initial={
        "version": scheme.version, **{f"{p}_weight": w for p, w in scheme.weights.items()}})
    if request.method == "POST":
        submit(form,
            lambda data: services.scheme_save(by=request.user, department=department, **data))
        if form.is_bound and not form.errors:
            messages.success(request, _("Weights saved: they apply to lectures whose scoring "
                                        "opens from now on."))
            return redirect("ability:ranking")
    return render(request, "ability/scheme.html", {
        "form": form, "department": department, "departments": departments,
        "section": "ranking"},
        status=400 if form.errors else 200)


def _term(params) -> tuple[dt.date, dt.date, list]:
    """The term of the ranking (this calendar year unless two days are given)."""
    today = timezone.localdate()
    start = _day(params, "start") or dt.date(today.year, 1, 1)
    end = _day(params, "end") or dt.date(today.year, 12, 31)
    if (params.get("start") and _day(params, "start") is None) or (
            params.get("end") and _day(params, "end") is None) or end < start:
        return (dt.date(today.year, 1, 1), dt.date(today.year, 12, 31),
                [_("Give the term as two days, the first before the last.")])
    return start, end, []


def _ranking_page(request, *, department, departments, start, end, errors=(),
                  award_form=None, status=200):
    unit = request.GET.get("unit", "")
    rows = selectors.term_ranking(user=request.user, department=department, start=start,
                                  end=end, unit=unit)
    can_award = may_manage_department(request.user, department.pk)
    if can_award and award_form is None:
        award_form = LectureAwardForm(
            lectures=selectors.term_lectures(department=department, start=start, end=end),
            initial={"start": start, "end": end})
    return render(request, "ability/ranking.html", {
        "rows": rows, "start": start, "end": end, "errors": errors,
        "department": department, "departments": departments,
        "awards": selectors.term_awards(user=request.user, department=department,
                                        start=start, end=end, unit=unit),
        "award_form": award_form if can_award else None,
        "scheme": selectors.scheme_for(department), "can_manage": may_manage(request.user),
        "section": "ranking", **_unit(request)}, status=status)


@login_required
def ranking_view(request):
    """The term's scored lectures, best first, and the awards given for the term."""
    department, departments = _department(request)
    start, end, errors = _term(request.GET)
    return _ranking_page(request, department=department, departments=departments,
                         start=start, end=end, errors=errors,
                         status=422 if errors else 200)


@login_required
@require_POST
def lecture_award_view(request):
    """Give a term's award to a ranked lecture (its lecturers), from the ranking page."""
    department, departments = _managed(request)
    start, end, errors = _term(request.POST)
    form = LectureAwardForm(request.POST, lectures=selectors.term_lectures(
        department=department, start=start, end=end))
    if errors:
        form.add_error(None, errors)
    elif submit(form, lambda data: services.lecture_award_give(
            by=request.user, department=department, **data)) is not None:
        messages.success(request, _("Award recorded."))
        query = urlencode({"department": department.pk, "start": start.isoformat(),
                           "end": end.isoformat()})
        return redirect(f"{reverse('ability:ranking')}?{query}")
    return _ranking_page(request, department=department, departments=departments,
                         start=start, end=end, award_form=form, status=400)


@login_required
def lecture_awards_export_view(request):
    """The term's awards as xlsx (the ranking page's department and term)."""
    department, _departments = _department(request)
    start, end, errors = _term(request.GET)
    if errors:
        raise Http404
    return exports.lecture_awards_xlsx(
        user=request.user, awards=selectors.term_awards(
            user=request.user, department=department, start=start, end=end,
            unit=request.GET.get("unit", "")))


# ---------------------------------------------------------------- 青蓝工程 mentoring


def _pair_filters(params) -> PairFilters:
    return PairFilters(status=params.get("status", ""), person=params.get("person", ""),
                       section=params.get("section", ""), unit=params.get("unit", ""),
                       start=_day(params, "start"), end=_day(params, "end"))


@login_required
def mentoring_view(request):
    filters = _pair_filters(request.GET)
    page = page_for(request, selectors.pair_list(user=request.user, filters=filters),
                    order=PAIR_ORDER)
    today = timezone.localdate()
    department, departments = _department(request)
    params = {k: v for k, v in request.GET.items() if k in PAIR_PARAMS}
    return render(request, "ability/mentoring.html", {
        "rows": page.items, "page": page, "filters": filters, "params": params,
        "statuses": PairStatus.choices, "sections": selectors.sections_of(department),
        "figures": selectors.mentoring_figures(user=request.user, department=department,
                                               start=dt.date(today.year, 1, 1), end=today),
        "year": today.year, "can_manage": may_manage(request.user), "section": "mentoring",
        "department": department, "departments": departments, **_unit(request)})


@login_required
def mentoring_export_view(request):
    return exports.pairs_xlsx(user=request.user, qs=selectors.pair_list(
        user=request.user, filters=_pair_filters(request.GET)))


@login_required
def pair_add_view(request):
    department, departments = _managed(request)
    sections = selectors.sections_of(department)
    form = PairForm(request.POST or None, people=_people(department),
                    sections=sections, initial={"started_on": timezone.localdate()})
    if request.method == "POST":
        pair = submit(form,
            lambda data: services.pair_create(by=request.user, department=department, **data))
        if pair is not None:
            messages.success(request, _("Mentoring pair recorded."))
            return redirect("ability:pair", pk=pair.pk)
    return render(request, "ability/pair_form.html", {
        "form": form, "department": department, "departments": departments,
        "section": "mentoring"},
        status=400 if form.errors else 200)


def _pair_page(request, pair, *, checkin_form=None, evaluation_form=None, status=200):
    side = pair_side(request.user, pair)
    active = pair.status == PairStatus.ACTIVE
    if side and active and checkin_form is None:
        checkin_form = CheckInForm(initial={"on": timezone.localdate()})
    if side and evaluation_form is None:
        evaluation_form = EvaluationForm()
    return render(request, "ability/pair_detail.html", {
        "pair": pair, **selectors.pair_detail(pair), "side": side,
        "checkin_form": checkin_form if active else None, "evaluation_form": evaluation_form,
        "can_close": active and may_manage_department(request.user, pair.department_id),
        "section": "mentoring"}, status=status)


@login_required
def pair_detail_view(request, pk):
    return _pair_page(request, selectors.pair_get_for_user(request.user, pk))


@login_required
@require_POST
def checkin_add_view(request, pk):
    pair = selectors.pair_get_for_user(request.user, pk, write=True)
    form = CheckInForm(request.POST)
    submit(form, lambda data: services.checkin_record(by=request.user, pair=pair, **data))
    if not form.errors:
        messages.success(request, _("Check-in recorded."))
        return redirect("ability:pair", pk=pair.pk)
    return _pair_page(request, pair, checkin_form=form, status=400)


@login_required
@require_POST
def evaluation_add_view(request, pk):
    pair = selectors.pair_get_for_user(request.user, pk, write=True)
    form = EvaluationForm(request.POST)
    submit(form, lambda data: services.evaluation_record(by=request.user, pair=pair, **data))
    if not form.errors:
        messages.success(request, _("Evaluation recorded."))
        return redirect("ability:pair", pk=pair.pk)
    return _pair_page(request, pair, evaluation_form=form, status=400)


@login_required
@require_POST
def pair_close_view(request, pk):
    pair = selectors.pair_get_for_user(request.user, pk)
    if not may_manage_department(request.user, pair.department_id):
        raise PermissionDenied
    try:
        services.pair_close(by=request.user, pair=pair, version=request.POST.get("version"))
    except ConflictError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The pair has ended."))
    return redirect("ability:pair", pk=pair.pk)


# ---------------------------------------------------------------- training


def _training_filters(params) -> TrainingFilters:
    return TrainingFilters(kind=params.get("kind", ""), person=params.get("person", ""),
                           start=_day(params, "start"), end=_day(params, "end"),
                           unit=params.get("unit", ""))


@login_required
def trainings_view(request):
    filters = _training_filters(request.GET)
    page = page_for(request, selectors.training_list(user=request.user, filters=filters),
                    order=TRAINING_ORDER)
    today = timezone.localdate()
    department, departments = _department(request)
    params = {k: v for k, v in request.GET.items() if k in TRAINING_PARAMS}
    return render(request, "ability/trainings.html", {
        "rows": page.items, "page": page, "filters": filters, "params": params,
        "kinds": TrainingKind.choices, "year": today.year,
        "figures": selectors.training_figures(user=request.user, department=department,
                                              start=dt.date(today.year, 1, 1), end=today),
        "can_manage": may_manage(request.user), "section": "trainings",
        "department": department, "departments": departments, **_unit(request)})


@login_required
def trainings_export_view(request):
    return exports.trainings_xlsx(user=request.user, qs=selectors.training_list(
        user=request.user, filters=_training_filters(request.GET)))


@login_required
def training_add_view(request):
    department, departments = _managed(request)
    form = TrainingForm(request.POST or None, people=_people(department))
    if request.method == "POST":
        training = submit(form,
            lambda data: services.training_record(by=request.user, department=department, **data))
        if training is not None:
            messages.success(request, _("Training recorded."))
            return redirect("ability:training", pk=training.pk)
    return render(request, "ability/training_form.html", {
        "form": form, "department": department, "departments": departments,
        "section": "trainings"},
        status=400 if form.errors else 200)


def _training_page(request, training, *, summary_form=None, status=200):
    trainees = selectors.trainees_of(training)
    mine = next((t for t in trainees if t.person_id == request.user.person_id), None)
    if mine is not None and not mine.writing_id and summary_form is None:
        summary_form = SummaryForm()
    return render(request, "ability/training_detail.html", {
        "training": training, "trainees": trainees, "mine": mine,
        "summary_form": summary_form if mine is not None and not mine.writing_id else None,
        "section": "trainings"}, status=status)


@login_required
def training_detail_view(request, pk):
    return _training_page(request, selectors.training_get_for_user(request.user, pk))


@login_required
@require_POST
def summary_submit_view(request, pk):
    training = selectors.training_get_for_user(request.user, pk)
    trainee = next((t for t in selectors.trainees_of(training)
                    if t.person_id == request.user.person_id), None)
    if trainee is None:
        raise PermissionDenied
    form = SummaryForm(request.POST)
    submit(form, lambda data: services.summary_submit(by=request.user, trainee=trainee, **data))
    if not form.errors:
        messages.success(request, _("Summary submitted: it is in your learning records."))
        return redirect("ability:training", pk=training.pk)
    return _training_page(request, training, summary_form=form, status=400)


# ---------------------------------------------------------------- the forum's rotation

WEEKDAYS = [(0, _l("Monday")), (1, _l("Tuesday")), (2, _l("Wednesday")), (3, _l("Thursday")),
            (4, _l("Friday"))]


def _plan_params(params) -> tuple[dt.date, int, int, list]:
    """The plan asked for: first week, number of weeks and usual weekday (Friday)."""
    today = timezone.localdate()
    errors = []
    start = _day(params, "start") or today
    if params.get("start") and _day(params, "start") is None:
        errors.append(_("Give the first day as 2026-03-02."))
    try:
        weeks = int(params.get("weeks") or 12)
        weekday = int(params.get("weekday") or 4)
        if not (1 <= weeks <= 60 and 0 <= weekday <= 4):
            raise ValueError
    except ValueError:
        errors.append(_("Plan 1 to 60 weeks on a weekday."))
        weeks, weekday = 12, 4
    return start, weeks, weekday, errors


def _rotation_page(request, *, department, departments, start, weeks, weekday, errors=(),
                   swap_form=None, status=200):
    plan = selectors.rotation_plan(user=request.user, department=department, start=start,
                                   weeks=weeks, weekday=weekday)
    can_swap = may_manage_department(request.user, department.pk)
    if can_swap and swap_form is None:
        swap_form = RotationSwapForm(initial={"start": start, "weeks": weeks,
                                              "weekday": weekday})
    return render(request, "ability/rotation.html", {
        "turns": plan.turns, "swaps": plan.swaps, "start": start, "weeks": weeks,
        "weekday": weekday, "weekdays": WEEKDAYS, "errors": errors,
        "swap_form": swap_form if can_swap else None, "department": department,
        "departments": departments, "section": "rotation"}, status=status)


@login_required
def rotation_view(request):
    """The weekly rotation of the department's cadres: computed from the calendar, the
    absences and the stored swaps, so everyone sees the same published plan."""
    department, departments = _department(request)
    start, weeks, weekday, errors = _plan_params(request.GET)
    return _rotation_page(request, department=department, departments=departments,
                          start=start, weeks=weeks, weekday=weekday, errors=errors,
                          status=422 if errors else 200)


def _rotation_url(department, start, weeks, weekday) -> str:
    query = urlencode({"department": department.pk, "start": start.isoformat(),
                       "weeks": weeks, "weekday": weekday})
    return f"{reverse('ability:rotation')}?{query}"


@login_required
@require_POST
def rotation_swap_view(request):
    """A leader keeps a swap of two sessions (from the rotation page's form)."""
    department, departments = _managed(request)
    form = RotationSwapForm(request.POST)
    swap = submit(form, lambda data: services.rotation_swap_record(
        by=request.user, department=department, **data))
    if swap is not None:
        messages.success(request, _("Swap kept: the rotation shows it to everyone."))
        return redirect(_rotation_url(department, form.cleaned_data["start"],
                                      form.cleaned_data["weeks"], form.cleaned_data["weekday"]))
    start, weeks, weekday, _errors = _plan_params(request.POST)
    return _rotation_page(request, department=department, departments=departments,
                          start=start, weeks=weeks, weekday=weekday, swap_form=form,
                          status=400)


@login_required
@require_POST
def rotation_swap_cancel_view(request, pk):
    """Take back a kept swap (a leader of its department)."""
    swap = selectors.rotation_swap_get_for_user(request.user, pk, write=True)
    services.rotation_swap_cancel(by=request.user, swap=swap)
    messages.success(request, _("Swap cancelled."))
    start, weeks, weekday, errors = _plan_params(request.POST)
    return redirect(_rotation_url(swap.department, start, weeks, weekday))


def parse_day(text: str):
    try:
        return parse_date(text.strip())
    except ValueError:
        return None


# ---------------------------------------------------------------- competitions


@login_required
def competitions_view(request):
    page = page_for(request, selectors.competition_list(user=request.user,
                                                        **_competition_filters(request.GET)),
                    order=COMPETITION_ORDER)
    params = {k: v for k, v in request.GET.items() if k in COMPETITION_PARAMS}
    return render(request, "ability/competitions.html", {
        "rows": page.items, "page": page, "params": params,
        "can_manage": may_manage(request.user), "section": "competitions", **_unit(request)})


COMPETITION_PARAMS = ("person", "unit", "start", "end")


def _competition_filters(params) -> dict:
    return {"person": params.get("person", ""), "unit": params.get("unit", ""),
            "start": _day(params, "start"), "end": _day(params, "end")}


@login_required
def competitions_export_view(request):
    return exports.competitions_xlsx(user=request.user, qs=selectors.competition_list(
        user=request.user, **_competition_filters(request.GET)))


@login_required
def competition_add_view(request):
    department, departments = _managed(request)
    form = CompetitionForm(request.POST or None, people=_people(department))
    if request.method == "POST":
        competition = submit(form,
            lambda data: services.competition_create(by=request.user, department=department,
                                                     **data))
        if competition is not None:
            messages.success(request, _("Competition recorded."))
            return redirect("ability:competition", pk=competition.pk)
    return render(request, "ability/competition_form.html", {
        "form": form, "department": department, "departments": departments,
        "section": "competitions"},
        status=400 if form.errors else 200)


def _competition_page(request, competition, *, forms=None, status=200):
    can_manage = may_manage_department(request.user, competition.department_id)
    forms = forms or {}
    if can_manage:
        forms.setdefault("task", TaskForm())
        forms.setdefault("score", ScoreForm(competition=competition))
        forms.setdefault("award", AwardForm(competition=competition))
    return render(request, "ability/competition_detail.html", {
        "competition": competition, **selectors.competition_board(competition),
        "can_manage": can_manage, "forms": forms, "section": "competitions"}, status=status)


@login_required
def competition_detail_view(request, pk):
    return _competition_page(request, selectors.competition_get_for_user(request.user, pk))


@login_required
@require_POST
def competition_edit_view(request, pk, part):
    """One of the three forms of a competition's page: a task, a score or an award."""
    if part not in ("task", "score", "award"):
        raise Http404
    competition = selectors.competition_get_for_user(request.user, pk, write=True)
    if part == "task":
        form = TaskForm(request.POST)
    elif part == "score":
        form = ScoreForm(request.POST, competition=competition)
    else:
        form = AwardForm(request.POST, competition=competition)
    write = {
        "task": lambda data: services.task_add(by=request.user, competition=competition,
                                               **data),
        "score": lambda data: services.score_record(by=request.user, **data),
        "award": lambda data: services.award_set(by=request.user, entrant=data["entrant"],
                                                 award=data["award"] or "")}[part]
    submit(form, write)
    if not form.errors:
        messages.success(request, _("Saved."))
        return redirect("ability:competition", pk=competition.pk)
    return _competition_page(request, competition, forms={part: form}, status=400)


# ---------------------------------------------------------------- research topics


@login_required
def topics_view(request):
    page = page_for(request, selectors.topic_list(user=request.user,
                                                  **_topic_filters(request.GET)),
                    order=TOPIC_ORDER)
    params = {k: v for k, v in request.GET.items() if k in ("year", "person", "unit")}
    return render(request, "ability/topics.html", {
        "rows": page.items, "page": page, "year": request.GET.get("year", ""),
        "params": params, "can_manage": may_manage(request.user), "section": "topics",
        **_unit(request)})


def _topic_filters(params) -> dict:
    return {"year": params.get("year", ""), "person": params.get("person", ""),
            "unit": params.get("unit", "")}


@login_required
def topics_export_view(request):
    return exports.topics_xlsx(user=request.user, qs=selectors.topic_list(
        user=request.user, **_topic_filters(request.GET)))


@login_required
def topic_add_view(request):
    department, departments = _managed(request)
    form = TopicForm(request.POST or None, people=_people(department),
                     initial={"year": timezone.localdate().year})
    if request.method == "POST":
        topic = submit(form,
            lambda data: services.topic_create(by=request.user, department=department, **data))
        if topic is not None:
            messages.success(request, _("Research topic recorded."))
            return redirect("ability:topic", pk=topic.pk)
    return render(request, "ability/topic_form.html", {
        "form": form, "department": department, "departments": departments,
        "section": "topics"},
        status=400 if form.errors else 200)


def _topic_page(request, topic, *, forms=None, status=200):
    forms = forms or {}
    is_leader = request.user.person_id == topic.leader_id
    manager = may_manage_department(request.user, topic.department_id)
    if (is_leader or manager) and topic.milestones.filter(done_on__isnull=True).exists():
        forms.setdefault("milestone", MilestoneDoneForm(topic=topic,
                                                        initial={"done_on":
                                                                 timezone.localdate()}))
    if is_leader and not topic.writing_id:
        forms.setdefault("report", ReportForm())
    if manager and topic.status == "reported":
        forms.setdefault("adopt", AdoptForm(initial={"version": topic.version,
                                                     "adopted_on": timezone.localdate()}))
    return render(request, "ability/topic_detail.html", {
        "topic": topic, **selectors.topic_detail(topic), "forms": forms,
        "section": "topics"}, status=status)


@login_required
def topic_detail_view(request, pk):
    return _topic_page(request, selectors.topic_get_for_user(request.user, pk))


@login_required
@require_POST
def topic_edit_view(request, pk, part):
    """One of a topic's forms: a milestone done, the report, the leaders' adoption."""
    if part not in ("milestone", "report", "adopt"):
        raise Http404
    topic = selectors.topic_get_for_user(request.user, pk)
    if part == "milestone":
        form = MilestoneDoneForm(request.POST, topic=topic)
    elif part == "report":
        form = ReportForm(request.POST)
    else:
        form = AdoptForm(request.POST)
    write = {"milestone": lambda data: services.milestone_done(by=request.user, **data),
             "report": lambda data: services.topic_report(by=request.user, topic=topic,
                                                          **data),
             "adopt": lambda data: services.topic_adopt(by=request.user, topic=topic,
                                                        **data)}[part]
    submit(form, write)
    if not form.errors:
        messages.success(request, _("Saved."))
        return redirect("ability:topic", pk=topic.pk)
    return _topic_page(request, topic, forms={part: form}, status=400)


# ---------------------------------------------------------------- post ledgers


@login_required
def ledgers_view(request):
    page = page_for(request, selectors.ledger_list(user=request.user), order=LEDGER_ORDER)
    return render(request, "ability/ledgers.html", {
        "rows": page.items, "page": page, "fresh_days": LEDGER_FRESH_DAYS,
        "has_person": bool(request.user.person_id), "section": "ledgers"})


def _ledger_form_page(request, *, holder, ledger=None):
    initial = {"post": holder.current_post}
    if ledger is not None:
        initial = {"version": ledger.version, "post": ledger.post, "duties": ledger.duties,
                   "contacts": ledger.contacts, "open_matters": ledger.open_matters}
    form = LedgerForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = submit(form,
            lambda data: services.ledger_save(by=request.user, holder=holder, **data))
        if saved is not None:
            messages.success(request, _("Ledger saved and confirmed current."))
            return redirect("ability:ledger", pk=saved.pk)
    return render(request, "ability/ledger.html", {
        "form": form, "holder": holder, "ledger": ledger, "section": "ledgers",
        "handovers": selectors.ledger_handovers(ledger)},
        status=400 if form.errors else 200)


@login_required
def ledgers_export_view(request):
    return exports.ledgers_xlsx(user=request.user, qs=selectors.ledger_list(user=request.user))


@login_required
def ledger_mine_view(request):
    require_cap(request.user, Cap.ABILITY_VIEW)
    if not request.user.person_id:
        raise PermissionDenied
    ledger = selectors.ledger_list(user=request.user).filter(
        holder_id=request.user.person_id).first()
    if ledger is not None and request.method != "POST":
        return redirect("ability:ledger", pk=ledger.pk)
    return _ledger_form_page(request, holder=request.user.person, ledger=ledger)


@login_required
def ledger_view(request, pk):
    ledger = selectors.ledger_get_for_user(request.user, pk,
                                           write=request.method == "POST")
    writable = request.user.person_id == ledger.holder_id or may_manage_department(
        request.user, ledger.department_id)
    if not writable:
        return render(request, "ability/ledger.html", {
            "ledger": ledger, "holder": ledger.holder, "section": "ledgers",
            "handovers": selectors.ledger_handovers(ledger)})
    return _ledger_form_page(request, holder=ledger.holder, ledger=ledger)


@login_required
def person_tab_view(request, pk):
    """The person page's tab: the lecture awards of a person of the user's departments."""
    person, awards = selectors.person_awards(user=request.user, pk=pk)
    return render(request, "ability/_person_tab.html", {"person": person, "awards": awards})
