"""Reads of supervision records; every function takes the user whose scope applies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from zugong.core.access import get_for_user
from zugong.core.memo import memo
from zugong.core.periods import add_months
from zugong.people.access import (
    person_for_filter,
    scope_q,
    subtree_q,
    unit_filter_q,
    unit_for_filter,
)
from zugong.people.models import OrgUnit, Person, PersonCategory, Role, UnitKind, User

from . import events
from .access import (
    Cap,
    configured_approvers,
    has_cap,
    may_decide_archive,
    may_manage_person,
    people_in_scope,
)
from .models import (
    AccessStatus,
    ArchiveCategory,
    ArchiveEntry,
    ArchiveRequest,
    Commitment,
    FamilyRating,
    Lead,
    LeadStatus,
    Measure,
    MeasureKind,
    Observation,
    ObservationKind,
    PackageDone,
    PackageItem,
    Partner,
    PersonalReport,
    ReportKind,
    SectionRating,
    SelfCheck,
    StudyActivity,
    report_due,
)

MEASURE_ORDER = ("-on", "-id")
REPORT_ORDER = ("-on", "-id")
STUDY_ORDER = ("-on", "-id")


def filter_unit(*, user, pk) -> OrgUnit | None:
    """The unit a list's ``?unit=`` filter names (a figure's link to its records), for the
    page to show; None without one. A unit outside the user's supervision scope is 404
    like a missing one, so the filter never confirms or names a unit the user may not
    see."""
    if not pk:
        return None
    return unit_for_filter(user, Cap.SUPERVISION_VIEW, pk)


def _unit_q(user, unit, field: str = "person__unit_path") -> Q:
    """The records of the people of the ``?unit=`` filter's subtree (404 out of scope)."""
    return unit_filter_q(user, Cap.SUPERVISION_VIEW, unit, field=field) if unit else Q()


def _dated(qs, field: str, start: dt.date | None, end: dt.date | None):
    if start:
        qs = qs.filter(**{f"{field}__gte": start})
    if end:
        qs = qs.filter(**{f"{field}__lte": end})
    return qs


@dataclass(frozen=True)
class MeasureFilters:
    kind: str = ""
    person: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    unit: str = ""


def measure_list(*, user, filters: MeasureFilters = MeasureFilters()):
    """Measures about people in the user's supervision scope (403 without the capability;
    404 for a ``person`` filter outside it)."""
    if not has_cap(user, Cap.SUPERVISION_VIEW):
        raise PermissionDenied
    qs = Measure.objects.filter(person__in=people_in_scope(user, Cap.SUPERVISION_VIEW)
                                .values("pk"))
    if filters.kind in MeasureKind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.person:
        qs = qs.filter(person=person_for_filter(user, Cap.SUPERVISION_VIEW, filters.person))
    qs = _dated(qs.filter(_unit_q(user, filters.unit)), "on", filters.start, filters.end)
    return qs.select_related("person", "person__unit").order_by(*MEASURE_ORDER)


def measure_get_for_user(user, pk, *, write: bool = False) -> Measure:
    return get_for_user(measure_list(user=user), pk, write=write,
                        may_write=lambda m: may_manage_person(user, m.person))


def report_list(*, user, person: str = "", year: int | None = None, unit: str = "",
                start: dt.date | None = None, end: dt.date | None = None):
    """One's own reports, and with ``supervision.view`` those of people in scope. A
    ``unit`` filter needs that capability over the unit (404 otherwise, one's own unit
    included: a cadre's own reports are not a unit's)."""
    if not has_cap(user, Cap.SUPERVISION_REPORT):
        raise PermissionDenied
    own = Q(person_id=user.person_id) if user.person_id else Q(pk__in=[])
    if has_cap(user, Cap.SUPERVISION_VIEW):
        own |= Q(person__in=people_in_scope(user, Cap.SUPERVISION_VIEW).values("pk"))
    qs = PersonalReport.objects.filter(own)
    if person:
        pk = user.person_id if str(person) == str(user.person_id) else \
            person_for_filter(user, Cap.SUPERVISION_VIEW, person).pk
        qs = qs.filter(person_id=pk)
    if year:
        qs = qs.filter(year=year)
    qs = _dated(qs.filter(_unit_q(user, unit)), "on", start, end)
    return qs.select_related("person", "person__unit").order_by(*REPORT_ORDER)


def report_get_for_user(user, pk, *, write: bool = False) -> PersonalReport:
    """A report the user may read; checking it needs the manage capability over its
    filer (403), and nobody checks their own."""
    return get_for_user(report_list(user=user), pk, write=write,
                        may_write=lambda r: r.person_id != user.person_id
                        and may_manage_person(user, r.person))


def obliged(people):
    """Who files personal-matter reports: the leading cadres the department manages
    (管理干部). Organization cadres file with their own employer's department."""
    return people.filter(category=PersonCategory.MANAGED)


@dataclass(frozen=True)
class Owed:
    person: Person
    due: dt.date
    days_late: int


def reports_owed(*, user, year: int, today: dt.date, department=None) -> list[Owed]:
    """Leading cadres in the user's scope without a yearly report for ``year``, oldest
    debt first. Before the deadline they are listed as due, not late."""
    if not has_cap(user, Cap.SUPERVISION_VIEW):
        raise PermissionDenied
    people = obliged(people_in_scope(user, Cap.SUPERVISION_VIEW))
    if department is not None:
        people = people.filter(subtree_q("unit_path", department.path))
    return owed_among(people, year=year, today=today)


def unfiled(people, *, year: int):
    """Of ``people``, those without a yearly report for ``year`` (a query).

    ``NOT EXISTS``, not ``NOT IN``: PostgreSQL cannot turn ``NOT IN`` into an anti-join (a
    NULL in the list would change its meaning), so it hashed the whole province's reports
    of the year (45,000 rows, 15.6 ms) to check a county's 800 people; each person's report
    looked up in the (person, year) index takes 1.3 ms (issue 23).
    """
    filed = PersonalReport.objects.filter(person=OuterRef("pk"), kind=ReportKind.ANNUAL,
                                          year=year)
    return people.exclude(Exists(filed))


def owed_among(people, *, year: int, today: dt.date) -> list[Owed]:
    due = report_due(ReportKind.ANNUAL, year)
    return [Owed(p, due, max((today - due).days, 0))
            for p in unfiled(people, year=year).select_related("unit").order_by(
                "unit_path", "name", "pk")]


def my_annual_due(*, user, today: dt.date) -> Owed | None:
    """The signed-in leading cadre's own unfiled yearly report, if any."""
    if not user.person_id or user.person.category != PersonCategory.MANAGED:
        return None
    owed = owed_among(Person.objects.filter(pk=user.person_id), year=today.year, today=today)
    return owed[0] if owed else None


def person_to_manage(*, user, pk) -> Person | None:
    """The person a new measure names, if in the user's manage scope; None otherwise
    (missing and out of scope alike)."""
    if not isinstance(pk, int) or not 0 < pk < 2**63:
        return None
    return people_in_scope(user, Cap.SUPERVISION_MANAGE).filter(pk=pk).first()


def person_for_tab(*, user, pk) -> Person:
    """The person whose tab is asked for, if in the user's supervision scope (404)."""
    if not has_cap(user, Cap.SUPERVISION_VIEW):
        raise PermissionDenied
    return person_for_filter(user, Cap.SUPERVISION_VIEW, pk)


def person_summary(*, user, person) -> dict:
    """The person tab: measures and reports by date and kind, no content (content is on
    the record's page, where each read is audited)."""
    measures = measure_list(user=user).filter(person=person)
    reports = PersonalReport.objects.filter(person=person).order_by(*REPORT_ORDER)
    today = timezone.localdate()
    return {"measures": list(measures), "reports": list(reports),
            "barred_until": promotion_barred_until([person.pk], today).get(person.pk)}


# ---------------------------------------------------------------- for other apps


def admonishments(person_ids, start: dt.date, end: dt.date) -> dict[int, list[str]]:
    """The ``supervision.admonishments`` hook assessment calls: each person's 诫勉 decided in
    [start, end], as a line that names the measure and its day, never its facts."""
    out: dict[int, list[str]] = {}
    for pid, on in Measure.objects.filter(
            person_id__in=list(person_ids), kind=MeasureKind.ADMONISHMENT,
            on__gte=start, on__lte=end).order_by("on").values_list("person_id", "on"):
        out.setdefault(pid, []).append(f"诫勉 {on:%Y-%m-%d}")
    return out


def promotion_barred_until(person_ids, today: dt.date) -> dict[int, dt.date]:
    """People a 诫勉 still bars from promotion today, with the last day of the bar."""
    out: dict[int, dt.date] = {}
    # The longest impact period bounds how far back a measure can still bar today.
    for m in Measure.objects.filter(person_id__in=list(person_ids),
                                    kind=MeasureKind.ADMONISHMENT, on__lte=today,
                                    on__gte=dt.date(today.year - 3, 1, 1)).only(
            "person_id", "on", "kind", "impact_months"):
        until = m.impact_until
        if until >= today and until > out.get(m.person_id, dt.date.min):
            out[m.person_id] = until
    return out


# ---------------------------------------------------------------- integrity


def integrity_mine(*, user, year: int) -> dict:
    """The signed-in cadre's commitment, 六个一 and self-checks of ``year``."""
    if not has_cap(user, Cap.SUPERVISION_REPORT):
        raise PermissionDenied
    me = user.person_id
    done = {d.item: d for d in PackageDone.objects.filter(person_id=me, year=year)}
    return {
        "commitment": Commitment.objects.filter(person_id=me, year=year).first(),
        "items": [(value, label, done.get(value)) for value, label in PackageItem.choices],
        "done": len(done), "total": len(PackageItem.values),
        "selfchecks": list(SelfCheck.objects.filter(person_id=me).filter(
            Q(on__year=year) | Q(closed_on__isnull=True)).order_by("closed_on", "due_on")),
    }


def selfcheck_get_for_user(user, pk, *, write: bool = False) -> SelfCheck:
    """One's own self-check item, or one of a cadre in the user's supervision scope."""
    if not has_cap(user, Cap.SUPERVISION_REPORT):
        raise PermissionDenied
    visible = Q(person_id=user.person_id) if user.person_id else Q(pk__in=[])
    if has_cap(user, Cap.SUPERVISION_VIEW):
        visible |= Q(person__in=people_in_scope(user, Cap.SUPERVISION_VIEW).values("pk"))
    return get_for_user(SelfCheck.objects.filter(visible).select_related("person"), pk,
                        write=write, may_write=lambda item: item.person_id == user.person_id
                        or may_manage_person(user, item.person))


@dataclass
class IntegrityRow:
    person: Person
    signed: bool
    items: list[bool]
    done: int
    open_checks: int
    overdue_checks: int


def integrity_overview(*, user, year: int, today: dt.date, unit: str = "") -> dict:
    """The organization cadres in the user's scope (the department's own team): who signed
    the commitment, which of the 六个一 each has done, open and overdue self-checks, and
    the completion per section. A handful of queries whatever the headcount. ``unit``
    keeps the cadres of that unit's subtree (the figures of a unit link here)."""
    if not has_cap(user, Cap.SUPERVISION_VIEW):
        raise PermissionDenied
    people = list(people_in_scope(user, Cap.SUPERVISION_VIEW).filter(
        _unit_q(user, unit, "unit_path"), category=PersonCategory.ORG_CADRE)
        .select_related("unit").order_by("unit_path", "name", "pk"))
    ids = [p.pk for p in people]
    signed = set(Commitment.objects.filter(person_id__in=ids, year=year).values_list(
        "person_id", flat=True))
    done: dict[int, set[str]] = {}
    for pid, item in PackageDone.objects.filter(person_id__in=ids, year=year).values_list(
            "person_id", "item"):
        done.setdefault(pid, set()).add(item)
    open_checks: dict[int, list[dt.date]] = {}
    for pid, due in SelfCheck.objects.filter(person_id__in=ids,
                                             closed_on__isnull=True).values_list(
            "person_id", "due_on"):
        open_checks.setdefault(pid, []).append(due)
    items = PackageItem.values
    rows = [IntegrityRow(p, p.pk in signed, [i in done.get(p.pk, ()) for i in items],
                         len(done.get(p.pk, ())), len(open_checks.get(p.pk, [])),
                         sum(1 for d in open_checks.get(p.pk, []) if d < today))
            for p in people]
    sections: dict[int, dict] = {}
    for row in rows:
        sec = sections.setdefault(row.person.unit_id, {"unit": row.person.unit, "people": 0,
                                                       "done": 0, "signed": 0})
        sec["people"] += 1
        sec["done"] += row.done
        sec["signed"] += row.signed
    for sec in sections.values():
        sec["rate"] = round(100 * sec["done"] / (sec["people"] * len(items)), 1)
    return {"rows": rows, "labels": PackageItem.choices, "sections": list(sections.values())}


# ---------------------------------------------------------------- ratings and study


def sections_in_scope(user, cap: str = Cap.SUPERVISION_MANAGE):
    """The department sections (组室) within the user's unit scope for ``cap``."""
    q = scope_q(user, cap, kind="unit")
    if q is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(q, kind=UnitKind.SECTION).order_by("path")


def org_cadres_to_manage(user):
    """The department's own cadres the user may rate and list as participants."""
    return people_in_scope(user, Cap.SUPERVISION_MANAGE).filter(
        category=PersonCategory.ORG_CADRE).select_related("unit").order_by("unit_path", "name")


def ratings(*, user, year: int, unit: str = "") -> dict:
    """清廉组室 and 清廉家庭 ratings of ``year`` in the user's supervision scope, and the
    sections and families not rated yet. ``unit`` keeps the sections in that unit's subtree
    and the families of its people (404 outside the scope)."""
    if not has_cap(user, Cap.SUPERVISION_VIEW):
        raise PermissionDenied
    sections = list(sections_in_scope(user, Cap.SUPERVISION_VIEW).filter(
        _unit_q(user, unit, "path")))
    rated = {r.unit_id: r for r in SectionRating.objects.filter(
        unit__in=sections, year=year).select_related("unit")}
    families = list(FamilyRating.objects.filter(
        _unit_q(user, unit),
        person__in=people_in_scope(user, Cap.SUPERVISION_VIEW).values("pk"), year=year)
        .select_related("person", "person__unit").order_by("person__unit_path",
                                                           "person__name"))
    return {"sections": [(u, rated.get(u.pk)) for u in sections], "families": families,
            "sections_rated": len(rated)}


def study_list(*, user, unit: str = "", year: int | None = None):
    """Discipline-study activities of the sections in the user's supervision scope.

    With ``unit``, the activities its people (that unit's subtree) took part in, each
    with the number of those people only: the figure of a unit counts participations,
    so the ``people`` column adds up to it. (The unit filter comes before the count so
    that the count is of the filtered participants.)"""
    if not has_cap(user, Cap.SUPERVISION_VIEW):
        raise PermissionDenied
    qs = StudyActivity.objects.filter(unit__in=sections_in_scope(user, Cap.SUPERVISION_VIEW))
    if unit:
        qs = qs.filter(_unit_q(user, unit, "participants__unit_path"))
    if year:
        qs = qs.filter(on__year=year)
    return qs.select_related("unit").annotate(people=Count("participants")).order_by(
        *STUDY_ORDER)


def study_get_for_user(user, pk) -> StudyActivity:
    return get_for_user(study_list(user=user), pk)


# ---------------------------------------------------------------- archive viewing

ARCHIVE_ORDER = ("-on", "-id")


def _archive_visible(user) -> Q:
    """Requests one made, those one may decide (as head over the cadre), and with the
    supervision capability every request about a cadre in scope (the office's view)."""
    visible = Q(created_by=user)
    for cap in (Cap.ARCHIVE_APPROVE, Cap.SUPERVISION_VIEW):
        if has_cap(user, cap):
            visible |= Q(person__in=people_in_scope(user, cap).values("pk"))
    if user.username in configured_approvers():
        visible |= Q(person__in=people_in_scope(user, Cap.PEOPLE_VIEW).values("pk"))
    return visible


def archive_requests(*, user, status: str = ""):
    if not has_cap(user, Cap.SUPERVISION_REPORT):  # the administrators hold none of it
        raise PermissionDenied
    qs = ArchiveRequest.objects.filter(_archive_visible(user))
    if status in AccessStatus.values:
        qs = qs.filter(status=status)
    return qs.select_related("person", "person__unit", "created_by", "decided_by").annotate(
        viewed=Count("views")).order_by(*ARCHIVE_ORDER)


def archive_request_get_for_user(user, pk, *, write: bool = False) -> ArchiveRequest:
    """A request the user may see (404 otherwise); deciding needs the approver (403)."""
    return get_for_user(archive_requests(user=user), pk, write=write,
                        may_write=lambda r: may_decide_archive(user, r))


def archive_to_decide(*, user) -> list[ArchiveRequest]:
    """Pending requests this user decides."""
    return [r for r in archive_requests(user=user, status=AccessStatus.PENDING)
            if may_decide_archive(user, r)]


def people_to_ask_about(*, user):
    """Cadres the user may ask to read the archive of (not themselves)."""
    if not has_cap(user, Cap.ARCHIVE_REQUEST):
        raise PermissionDenied
    return people_in_scope(user, Cap.ARCHIVE_REQUEST).exclude(pk=user.person_id or 0) \
        .select_related("unit").order_by("unit_path", "name")


def archive_open_for(*, user, pk) -> ArchiveRequest:
    """The requester's own request, whatever its state (404 for anyone else's: only the
    requester reads under it). Whether it is open is checked by the caller at read time."""
    return get_for_user(ArchiveRequest.objects.filter(created_by=user).select_related(
        "person", "person__unit"), pk)


def archive_contents(*, person) -> dict:
    """What the archive holds: the cadre's supervision records in this app (measures with
    their content, reports and their checks, commitments, the six, self-checks, the family
    rating). Called only under an open request or by a supervision reader in scope."""
    return {
        "measures": list(Measure.objects.filter(person=person).order_by(*MEASURE_ORDER)),
        "reports": list(PersonalReport.objects.filter(person=person).order_by(*REPORT_ORDER)),
        "commitments": list(Commitment.objects.filter(person=person).order_by("-year")),
        "package": list(PackageDone.objects.filter(person=person).order_by("-year", "item")),
        "selfchecks": list(SelfCheck.objects.filter(person=person).order_by("-on")),
        "families": list(FamilyRating.objects.filter(person=person).order_by("-year")),
        "observations": list(Observation.objects.filter(person=person).order_by("-on")),
        "leads": list(Lead.objects.filter(person=person, status=LeadStatus.CLOSED)
                      .select_related("partner").order_by("-on")),
        "barred_until": promotion_barred_until([person.pk], timezone.localdate()).get(
            person.pk),
    }


# The apps that file into the political-quality archive, by hook: each offers
# ``(person_id) -> [(category, day, text, url), ...]`` with ArchiveCategory keys.
ARCHIVE_HOOKS = ("learning.archive_entries", "assessment.archive_entries",
                 "talks.archive_entries", "tasks.archive_entries")


@dataclass
class ArchiveItem:
    on: dt.date
    text: str
    source: str  # the app the entry comes from, by its name
    url: str
    note: str = ""


def archive_by_category(*, person) -> list[tuple[str, str, list[ArchiveItem]]]:
    """The political-quality archive (一人一档): (category, label, entries newest first)
    for every category, empty ones included. Entries are read where they are kept (the
    hand-filed ones and the measures here, the rest from each app's hook) rather than
    copied: an edit or a deletion there shows here at once, and nothing is entered twice.
    Called only under an open request or for a supervision reader in scope."""
    from django.apps import apps

    from zugong.core.registry import hook

    here = str(apps.get_app_config("supervision").verbose_name)
    found: dict[str, list[ArchiveItem]] = {key: [] for key in ArchiveCategory.values}
    for e in ArchiveEntry.objects.filter(person=person):
        found[e.category].append(ArchiveItem(e.on, e.title, here, "", e.note))
    for m in Measure.objects.filter(person=person):
        found[ArchiveCategory.SUPERVISION].append(
            ArchiveItem(m.on, f"{m.get_kind_display()} · {m.get_form_display()}", here,
                        f"/supervision/measures/{m.pk}/"))
    for name in ARCHIVE_HOOKS:
        offered = hook(name)
        if offered is None:
            continue
        source = str(apps.get_app_config(name.split(".")[0]).verbose_name)
        for category, on, text, url in offered(person.pk):
            if category in found:
                found[category].append(ArchiveItem(on, text, source, url))
    labels = dict(ArchiveCategory.choices)
    return [(key, labels[key], sorted(items, key=lambda i: i.on, reverse=True))
            for key, items in found.items()]


def archive_person_for(*, user, pk) -> Person:
    """A cadre whose archive a supervision reader opens: in their scope (404 otherwise)."""
    if not has_cap(user, Cap.SUPERVISION_VIEW):
        raise PermissionDenied
    return person_for_filter(user, Cap.SUPERVISION_VIEW, pk)


# ---------------------------------------------------------------- joint supervision

LEAD_ORDER = ("-on", "-id")
OBSERVATION_ORDER = ("-on", "-id")


def partners():
    return Partner.objects.filter(active=True).order_by("position", "code")


def lead_list(*, user, status: str = "", person: str = "", unit: str = "",
              start: dt.date | None = None, end: dt.date | None = None):
    """Leads about cadres in the user's supervision scope (no content in a list).

    ``start``/``end`` bound the day a lead was received, or for closed leads the day it
    was closed: that is what the received and closed figures count."""
    if not has_cap(user, Cap.SUPERVISION_VIEW):
        raise PermissionDenied
    qs = Lead.objects.filter(person__in=people_in_scope(user, Cap.SUPERVISION_VIEW)
                             .values("pk"))
    if status in LeadStatus.values:
        qs = qs.filter(status=status)
    if person:
        qs = qs.filter(person=person_for_filter(user, Cap.SUPERVISION_VIEW, person))
    qs = _dated(qs.filter(_unit_q(user, unit)),
                "closed_on" if status == LeadStatus.CLOSED else "on", start, end)
    return qs.select_related("person", "person__unit", "partner", "assignee").order_by(
        *LEAD_ORDER)


def lead_get_for_user(user, pk, *, write: bool = False) -> Lead:
    return get_for_user(lead_list(user=user), pk, write=write,
                        may_write=lambda lead: may_manage_person(user, lead.person))


def officers_for(person) -> list:
    """Supervision officers who may take a lead about ``person``."""
    return [u for u in User.objects.filter(roles__role=Role.SUPERVISION, is_active=True)
            .distinct().order_by("username") if may_manage_person(u, person)]


def observation_list(*, user, kind: str = "", person: str = "", unit: str = "",
                     start: dt.date | None = None, end: dt.date | None = None):
    """Observations of cadres in scope. Lists show the kind, day and concern flag; the note
    is read in the cadre's archive, where each reading is logged."""
    if not has_cap(user, Cap.SUPERVISION_VIEW):
        raise PermissionDenied
    qs = Observation.objects.filter(person__in=people_in_scope(user, Cap.SUPERVISION_VIEW)
                                    .values("pk"))
    if kind in ObservationKind.values:
        qs = qs.filter(kind=kind)
    if person:
        qs = qs.filter(person=person_for_filter(user, Cap.SUPERVISION_VIEW, person))
    qs = _dated(qs.filter(_unit_q(user, unit)), "on", start, end)
    return qs.select_related("person", "person__unit").order_by(*OBSERVATION_ORDER)


def people_to_supervise(*, user):
    """Cadres the user records measures, leads and observations about."""
    return people_in_scope(user, Cap.SUPERVISION_MANAGE).select_related("unit").order_by(
        "unit_path", "name")


# ---------------------------------------------------------------- early warning

# Hooks other apps may offer: (person_ids, start, end) -> {person_id: [(text, url), ...]}.
SIGNAL_HOOKS = {"learning": "learning.shortfall", "tasks": "tasks.overdue",
                "notes": "assessment.negative_notes"}
WARNINGS_PER_PAGE = 50
# How long a computed warning list is kept (core.memo): the signals other apps offer
# (learning shortfalls, overdue tasks, negative everyday notes) and people's posts are read
# afresh at most this much later; the page says so.
WARNINGS_TIMEOUT = 300


@dataclass
class Warning:
    person: Person
    score: int
    level: str
    signals: list  # (signal label, text, url)


@dataclass(frozen=True)
class WarningPage:
    """One page of the early-warning list, and where it stands in the whole list."""

    rows: list[Warning]
    number: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def previous(self) -> int:
        return self.number - 1

    @property
    def next(self) -> int:
        return self.number + 1


def _warning_scopes(user) -> list[str]:
    """The memo scopes of the departments whose people the user may see (one query): a
    supervision service that writes a signal about a person bumps the scope of the
    person's department (``events.warnings_scope``)."""
    q = scope_q(user, Cap.SUPERVISION_VIEW, kind="unit")
    if q is None:
        return []
    ids = (OrgUnit.objects.filter(q).annotate(dept=Coalesce("department_id", "pk"))
           .order_by().values_list("dept", flat=True).distinct())
    return [events.warnings_scope(pk) for pk in sorted(set(ids))]


def _ranked_warnings(user, today: dt.date) -> list[tuple[int, int, str, tuple]]:
    """Every warned cadre in the user's scope, highest score first, as ``(person id,
    score, level, ((signal, text, url), ...))``: only ids, numbers and strings, never a
    Person nor a decrypted field, since the list is kept in the cache.

    Kept (``core.memo``) per scope, day, language and the warning rules and levels as
    they are now (read fresh: two small queries, so a change of the rules shows at
    once). Supervision's own services bump the scope of the department whose records they
    change (measures, personal reports, self-checks, observations), so those show at once
    too; the signals of other apps and changes of people are read afresh within
    ``WARNINGS_TIMEOUT`` (5 minutes).
    """
    from .models import WarningLevel, WarningRule

    rules = tuple(sorted(WarningRule.objects.values_list("signal", "weight", "months")))
    levels = tuple(sorted(WarningLevel.objects.values_list("min_score", "name")))
    scope = scope_q(user, Cap.SUPERVISION_VIEW, kind="person")
    # Not the user: the list is a function of the people the scope covers, so a
    # department's head, deputies and supervision officers, who share one scope, share one
    # computation (a county's list costs about 100 ms cold, issue 23). ``_warning_rows``
    # still filters each page by the reader's scope as it is now.
    parts = [today, get_language(), scope, rules, levels]
    return memo("supervision.warnings", parts, _warning_scopes(user),
                lambda: _compute_warnings(scope, today, rules, levels),
                timeout=WARNINGS_TIMEOUT)


def _compute_warnings(scope: Q | None, today: dt.date, rules: tuple, levels: tuple
                      ) -> list[tuple]:
    from zugong.core.registry import hook

    from .models import Signal
    from .rules import warning_level, warning_score

    months = {signal: m for signal, _weight, m in rules}
    weights = {signal: weight for signal, weight, _m in rules}
    # The people of the scope alone (``scope_q``, as ``people_in_scope`` reads it): what
    # is kept depends on nothing else of the reader.
    people = Person.objects.filter(scope) if scope is not None else Person.objects.none()
    found: dict[int, list] = {}

    def since(signal):
        return add_months(today, -months.get(signal, 12))

    def add(pid, signal, text, url):
        found.setdefault(pid, []).append((str(signal), str(text), str(url)))

    for m in Measure.objects.filter(person__in=people.values("pk"),
                                    on__gte=since(Signal.MEASURE)).only("kind", "on",
                                                                        "person_id"):
        add(m.person_id, Signal.MEASURE, str(m), f"/supervision/measures/{m.pk}/")
    # Late once the year's deadline has passed (the same day for everybody): only the
    # ids are read, not the Person rows (a county's 800 rows and their decryption were
    # a fifth of the page).
    if today > report_due(ReportKind.ANNUAL, today.year):
        for pk in unfiled(obliged(people), year=today.year).values_list("pk", flat=True):
            add(pk, Signal.REPORT_OVERDUE, f"{today.year}",
                f"/supervision/reports/?year={today.year}")
    for pk, person_id, due_on in SelfCheck.objects.filter(
            person__in=people.values("pk"), closed_on__isnull=True,
            due_on__lt=today).values_list("pk", "person_id", "due_on"):
        add(person_id, Signal.SELFCHECK_OVERDUE, f"{due_on:%Y-%m-%d}",
            f"/supervision/integrity/self-checks/{pk}/")
    for o in Observation.objects.filter(person__in=people.values("pk"), concern=True,
                                        on__gte=since(Signal.OBSERVATION)).only(
                                            "kind", "on", "person_id"):
        add(o.person_id, Signal.OBSERVATION, str(o),
            f"/supervision/observations/?person={o.person_id}")
    # The hooks take the ids as a subquery: as a list, a county's 840 ids became 840
    # parameters in each of their queries, which psycopg and Django parse one by one
    # (a third of the computation).
    ids = people.values("pk")
    for signal, name in SIGNAL_HOOKS.items():
        offered = hook(name)
        if offered is None:
            continue
        for pid, items in offered(ids, since(signal), today).items():
            for text, url in items:
                add(pid, signal, text, url)
    out = []
    for pid, items in found.items():
        counts: dict[str, int] = {}
        for signal, _text, _url in items:
            counts[signal] = counts.get(signal, 0) + 1
        score = warning_score(counts, weights)
        if score:
            out.append((pid, score, warning_level(score, levels), tuple(items)))
    # Sorted here, once: the names order the list but are not kept with it.
    order = {pk: (path, name) for pk, path, name in Person.objects.filter(
        pk__in=[row[0] for row in out]).values_list("pk", "unit_path", "name")}
    out = [row for row in out if row[0] in order]
    return sorted(out, key=lambda row: (-row[1], *order[row[0]], row[0]))


def _warning_rows(user, ranked: list[tuple]) -> list[Warning]:
    """The warnings of ``ranked`` with their Person rows (one query, select_related unit),
    still restricted to the user's scope now."""
    from .models import Signal

    labels = dict(Signal.choices)
    # Without the encrypted ID and phone, which the list does not show: decrypting them
    # was a tenth of a cold warnings page.
    people = people_in_scope(user, Cap.SUPERVISION_VIEW).filter(
        pk__in=[row[0] for row in ranked]).select_related("unit").defer(
        "id_number", "phone").in_bulk()
    return [Warning(people[pid], score, level,
                    [(labels.get(s, s), text, url) for s, text, url in signals])
            for pid, score, level, signals in ranked if pid in people]


def _page_number(raw, pages: int) -> int:
    """The page ``?page=`` asks for: the first when it is not a whole number, the last
    when it is past the end."""
    raw = str(raw or "").strip()
    # The length check comes first: int() of a 5,000-digit string raises.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        return 1
    return min(max(int(raw), 1), pages)


def warnings_page(*, user, today: dt.date, page=None,
                  per_page: int = WARNINGS_PER_PAGE) -> WarningPage:
    """One page (``?page=N``) of the cadres in the user's supervision scope with a warning
    score above nought, highest first; every signal links to its record.

    The whole list is computed in memory and sorted by score, so it is paged by number,
    not by keyset. It is kept for up to 5 minutes (see ``_ranked_warnings``): supervision
    records changed here show at once, other apps' signals within 5 minutes. The page's
    Person rows are loaded on each request, in one query, within the scope as it is now.
    """
    if not has_cap(user, Cap.SUPERVISION_VIEW):
        raise PermissionDenied
    ranked = _ranked_warnings(user, today)
    pages = max(1, -(-len(ranked) // per_page))
    number = _page_number(page, pages)
    start = (number - 1) * per_page
    return WarningPage(rows=_warning_rows(user, ranked[start:start + per_page]),
                       number=number, pages=pages, total=len(ranked))


def warnings(*, user, today: dt.date) -> list[Warning]:
    """Every cadre in the user's supervision scope with a warning score above nought,
    highest first (the whole list of ``warnings_page``, kept the same way)."""
    if not has_cap(user, Cap.SUPERVISION_VIEW):
        raise PermissionDenied
    return _warning_rows(user, _ranked_warnings(user, today))
