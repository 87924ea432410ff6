"""Reads for the home page, the notices page and the administrators' pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit_labels import action_label, field_label, object_label
from zugong.core.memo import memo
from zugong.core.models import AuditEntry, DictItem, DictTable, JobRun, Notice, RecycledRecord
from zugong.core.notices import unread_scope
from zugong.people.access import has_cap, is_admin, require_cap, scope_q

from .access import Cap, may_read_values, recycled_q

AUDIT_PAGE = 100
NOTICE_PAGE = 20


def home_summary(*, user) -> dict:
    """What the home page (the workbench, 工作台) shows: every app's to-dos and my progress
    this month (through the registry, so the console imports no feature app), headline
    figures for leaders, shortcuts for administrators."""
    from zugong.core import registry
    from zugong.people.access import LEADER_ROLES, roles_of
    from zugong.people.models import Person

    data: dict = {}
    if roles_of(user) and not is_admin(user):
        items = registry.workbench_items(user=user, today=timezone.localdate())
        data["todos"] = [i for i in items if i.section == "todo" and i.count]
        data["progress"] = [i for i in items if i.section == "progress"]
        data["figures"] = [i for i in items if i.section == "figure"]
        data["workbench"] = True
    q = scope_q(user, Cap.PEOPLE_VIEW, kind="person")
    if q is not None and roles_of(user) & set(LEADER_ROLES):
        rows = (
            Person.objects.filter(q, is_active=True)
            .values("category").annotate(n=Count("id")).order_by("category")
        )
        data["people_by_category"] = {r["category"]: r["n"] for r in rows}
        data["people_total"] = sum(data["people_by_category"].values())
    data["is_auditor"] = has_cap(user, Cap.AUDIT_VIEW)
    data["is_sysadmin"] = has_cap(user, Cap.ACCOUNTS_CREATE)
    data["is_secadmin"] = has_cap(user, Cap.ROLES_GRANT)
    return data


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def audit_search(*, user, params):
    """Audit entries by user, action, object and date range, newest first, and the
    filters as read; the page pages them with ``AUDIT_ORDER``."""
    require_cap(user, Cap.AUDIT_VIEW)
    filters = {
        "user": (params.get("user") or "").strip()[:150],
        "action": (params.get("action") or "").strip()[:64],
        "object": (params.get("object") or "").strip()[:64],
        "ip": (params.get("ip") or "").strip()[:45],
        "since": _parse_date(params.get("since")),
        "until": _parse_date(params.get("until")),
    }
    qs = AuditEntry.objects.all()
    if filters["user"]:
        qs = qs.filter(actor_username=filters["user"])
    if filters["action"]:
        qs = qs.filter(action__startswith=filters["action"])
    if filters["object"]:
        qs = qs.filter(object_type=filters["object"]) if "." in filters["object"] else \
            qs.filter(object_id=filters["object"])
    if filters["ip"]:
        qs = qs.filter(ip=filters["ip"])
    tz = timezone.get_current_timezone()
    if filters["since"]:
        qs = qs.filter(at__gte=dt.datetime.combine(filters["since"], dt.time.min, tz))
    if filters["until"]:
        qs = qs.filter(at__lt=dt.datetime.combine(filters["until"] + dt.timedelta(days=1),
                                                  dt.time.min, tz))
    return qs.order_by("-seq"), filters


@dataclass(frozen=True)
class AuditRow:
    """One entry as the audit page shows it: labels in Chinese, no values."""

    entry: AuditEntry
    action: str
    object_type: str
    fields: str


def audit_rows(entries) -> list[AuditRow]:
    """What the auditor reads of each entry: who, when, where, the kind of action, the
    object and which fields; the values stay encrypted (issue 13)."""
    return [AuditRow(entry=e, action=action_label(e.action),
                     object_type=object_label(e.object_type) if e.object_type else "",
                     fields="、".join(field_label(e.object_type, name, e.action)
                                     for name in e.fields))
            for e in entries]


@dataclass(frozen=True)
class ValueRow:
    field: str
    before: str
    after: str


def _display(value) -> str:
    # Values as a person reads them: no JSON, no Python reprs.
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "、".join(_display(v) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{k}：{_display(v)}" for k, v in value.items()) or "—"
    return str(value)


def audit_values_get_for_user(user, seq) -> tuple[AuditEntry, AuditRow, list[ValueRow]]:
    """One entry with its values, for a business role entitled to them: 403 without the
    right (the auditor too), 404 for an entry out of scope or missing alike."""
    if not has_cap(user, Cap.AUDIT_VALUES):
        raise PermissionDenied
    entry = None
    if str(seq).isdigit():
        entry = AuditEntry.objects.filter(seq=int(seq)).select_related("payload").first()
    if entry is None or not may_read_values(user, entry):
        raise Http404
    before, after = entry.before or {}, entry.after or {}
    rows = [ValueRow(field=field_label(entry.object_type, name, entry.action),
                     before=_display(before.get(name)), after=_display(after.get(name)))
            for name in entry.fields]
    return entry, audit_rows([entry])[0], rows


AUDIT_ORDER = ("-seq",)
PERSON_HISTORY = 50


def person_change_history(*, user, pk) -> tuple[object, list[AuditRow]]:
    """The newest audit entries about one person, for a business role that may read their
    values (``audit.values`` with the person in scope): the way from the person's page to
    an entry's values. 403 without the right; 404 out of scope or missing alike."""
    from django.conf import settings

    from zugong.people.models import Person

    require_cap(user, Cap.AUDIT_VALUES)
    q = scope_q(user, Cap.AUDIT_VALUES, kind="person")
    person = Person.objects.filter(q, pk=pk).first() if q is not None else None
    if person is None:
        raise Http404
    entries = (AuditEntry.objects
               .filter(object_type=settings.ZUGONG_PERSON_MODEL.lower(), object_id=str(pk))
               .order_by("-seq")[:PERSON_HISTORY])
    return person, audit_rows(entries)
JOB_RUN_ORDER = ("-started_at", "-id")
NOTICE_ORDER = ("-created_at", "-id")


def job_runs(*, user):
    """Every job run, newest first; the page pages them with ``JOB_RUN_ORDER``."""
    require_cap(user, Cap.JOBS_VIEW)
    return JobRun.objects.order_by(*JOB_RUN_ORDER)


def dictionary_page(*, user, table: str | None):
    require_cap(user, Cap.DICT_CHANGE)
    if table not in DictTable.values:
        table = DictTable.SEX
    return DictTable.choices, table, DictItem.objects.filter(table=table).order_by(
        "position", "code")[:5000]


def notice_list(*, user, unread_only: bool = False):
    """The user's own notices, newest first (nobody reads another person's notices)."""
    qs = Notice.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by(*NOTICE_ORDER)


# A notice written around ``core.notices`` (none is, but a repair by hand might) shows in
# the badge after this long at most.
NOTICE_COUNT_SECONDS = 600


def notice_unread_count(user) -> int:
    """The badge on every page: kept (``core.memo``) until a notice comes or is read."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return memo("console.notice_unread", [user.pk], [unread_scope(user.pk)],
                lambda: Notice.objects.filter(recipient=user, read_at__isnull=True).count(),
                timeout=NOTICE_COUNT_SECONDS)


def notice_get_for_user(user, pk) -> Notice:
    """One of the user's own notices; anyone else's is "not found" (404), not "forbidden"."""
    try:
        return Notice.objects.get(pk=pk, recipient=user)
    except (Notice.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# ---------------------------------------------------------------- recycle bin

RECYCLE_ORDER = ("-deleted_at", "-id")


def recycled_list(*, user, params):
    """The bin entries the user may restore, newest first, filtered by record type; the
    page pages them with ``RECYCLE_ORDER``. The payload is never read here."""
    require_cap(user, Cap.RECYCLE_VIEW)
    q = recycled_q(user)
    qs = RecycledRecord.objects.none() if q is None else RecycledRecord.objects.filter(q)
    types = sorted(set(qs.values_list("model", flat=True)))
    chosen = params.get("type") or ""
    if chosen in types:
        qs = qs.filter(model=chosen)
    else:
        chosen = ""
    return (qs.select_related("deleted_by").defer("payload").order_by(*RECYCLE_ORDER),
            {"type": chosen, "types": [(t, _model_name(t)) for t in types]})


def _model_name(label: str) -> str:
    from django.apps import apps

    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except LookupError:
        return label


def recycled_get_for_user(user, pk) -> RecycledRecord:
    """One bin entry the user may see (404 for any other id, as for a missing one)."""
    require_cap(user, Cap.RECYCLE_VIEW)
    q = recycled_q(user)
    entry = None
    if q is not None and str(pk).isdigit():
        entry = RecycledRecord.objects.filter(q, pk=int(pk)).first()
    if entry is None:
        raise Http404
    return entry


def job_get_for_user(user, pk) -> JobRun:
    """A background job of the user's own; anyone else's is "not found" (404): its result
    file holds personal data exported under its owner's scope, not the viewer's."""
    try:
        return JobRun.objects.get(pk=pk, owner=user, owner__isnull=False)
    except (JobRun.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def departments_for_setup(*, user) -> list:
    """Every organization department with its head accounts, for the first-run page (names
    of units and accounts only: the administrator sees no cadre record)."""
    from zugong.people.models import OrgUnit, UnitKind
    from zugong.people.selectors import department_heads

    require_cap(user, Cap.DEPARTMENTS_CREATE)
    departments = list(OrgUnit.objects.filter(kind=UnitKind.ORG_DEPT)
                       .select_related("region").order_by("path"))
    for department in departments:
        department.heads = department_heads(department)
    return departments


def department_for_setup(user, pk):
    from zugong.people.models import OrgUnit, UnitKind

    require_cap(user, Cap.DEPARTMENTS_CREATE)
    try:
        return OrgUnit.objects.get(pk=pk, kind=UnitKind.ORG_DEPT)
    except (OrgUnit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def head_candidates(*, user, department, name: str, limit: int = 20) -> list:
    """People of the department whose name contains ``name``, with their unit, to pick the
    head's own record; nothing but name and unit is read."""
    from zugong.people.access import subtree_q
    from zugong.people.models import Person

    require_cap(user, Cap.DEPARTMENTS_CREATE)
    name = name.strip()
    if not name:
        return []
    return list(Person.objects.filter(subtree_q("unit_path", department.path),
                                      name__contains=name, is_active=True)
                .select_related("unit").only("id", "name", "unit__name")
                .order_by("name", "id")[:limit])


def first_run(user) -> bool:
    """An installation with no organization department yet, seen by someone who may start one."""
    from zugong.people.models import OrgUnit, UnitKind

    return has_cap(user, Cap.DEPARTMENTS_CREATE) and not OrgUnit.objects.filter(
        kind=UnitKind.ORG_DEPT).exists()


def head_link_choice(*, account, person):
    """The account and the person a department's first-run link names (None for an id that
    is not a number or does not exist); the service checks that they fit the department."""
    from zugong.people.models import Person, User

    def find(model, pk):
        return model.objects.filter(pk=int(pk)).first() \
            if str(pk or "").isdigit() and int(pk) < 2**63 else None

    return find(User, account), find(Person, person)
