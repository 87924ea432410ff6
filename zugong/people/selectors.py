"""Reads of units and people, always for a given user and within their scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.fields.array import ArrayContains
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, F, Func, Q, Subquery, TextField, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.http import Http404
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zugong.core.crypto import provider
from zugong.core.dictionaries import attach
from zugong.core.paging import Page, keyset_page

from . import idnumber
from .access import (
    Cap,
    covers,
    has_cap,
    require_cap,
    scope_q,
    second_factor_required,
    subtree_q,
    unit_for_filter,
)
from .models import ApiToken, OrgUnit, Person, PersonCategory, Role, RoleAssignment, User


@dataclass
class PersonFilters:
    """The people-list filter bar; the same object drives the page, the API and exports."""

    q: str = ""
    unit: int | None = None
    category: str = ""
    sex: str = ""
    education: str = ""
    post_level: str = ""
    age_min: int | None = None
    age_max: int | None = None
    active: bool | None = True
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> PersonFilters:
        f = cls(q=(params.get("q") or "").strip()[:50],
                category=params.get("category") or "", sex=params.get("sex") or "",
                education=params.get("education") or "",
                post_level=params.get("post_level") or "")
        for name in ("unit", "age_min", "age_max"):
            # The API passes integers, the pages strings.
            raw = str(params.get(name) or "").strip()
            if raw:
                try:
                    value = int(raw)
                except ValueError:
                    f.errors[name] = "invalid"
                    continue
                if name != "unit" and not 0 <= value <= MAX_AGE:
                    # An age past any life would be a date before year 1 (a 500 once).
                    f.errors[name] = "invalid"
                    continue
                setattr(f, name, value)
        if f.category and f.category not in PersonCategory.values:
            f.errors["category"] = "invalid"
            f.category = ""
        active = params.get("active")
        f.active = {"1": True, "0": False, "all": None}.get(active, True)
        return f

    def as_params(self) -> dict[str, str]:
        params = {"q": self.q, "unit": self.unit, "category": self.category, "sex": self.sex,
                  "education": self.education, "post_level": self.post_level,
                  "age_min": self.age_min, "age_max": self.age_max,
                  "active": {True: "1", False: "0", None: "all"}[self.active]}
        return {k: str(v) for k, v in params.items() if v not in (None, "")}


MAX_AGE = 150


def _years_ago(years: int) -> dt.date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _characters(column: str) -> Func:
    # The exact expression of the GIN indexes of migration 0004, so the planner uses them.
    return Func(F(column), function="string_to_array",
                template="%(function)s(%(expressions)s, NULL)",
                output_field=ArrayField(TextField()))


def text_search_q(text: str) -> Q:
    """Name or post contains ``text``.

    PostgreSQL only (the one vendor-specific query of the people search, tested on both
    databases): "has every character of the text", which the character indexes of
    migration 0004 answer, comes first, so a search over a province reads the few
    candidate rows instead of all of them. The exact test is then ``strpos``, not LIKE:
    the planner would multiply LIKE's selectivity into the characters' one, as if they
    were independent, and pick a poor plan for common words such as 主任 (14 ms, not 0.3).
    """
    if connection.vendor != "postgresql":
        return Q(name__contains=text) | Q(current_post__contains=text)
    chars = sorted(set(text))
    has_chars = (Q(ArrayContains(_characters("name"), chars))
                 | Q(ArrayContains(_characters("current_post"), chars)))
    found = (Q(GreaterThan(StrIndex("name", Value(text)), 0))
             | Q(GreaterThan(StrIndex("current_post", Value(text)), 0)))
    return has_chars & found


def person_list(*, user, filters: PersonFilters | None = None):
    """People the user may see, filtered, ordered by unit then registration."""
    q = scope_q(user, Cap.PEOPLE_VIEW, kind="person")
    if q is None:
        raise PermissionDenied
    qs = Person.objects.filter(q)
    f = filters or PersonFilters()
    if f.q:
        text = f.q
        normalized = idnumber.normalize(text)
        if len(normalized) == 18:
            qs = qs.filter(id_number_index=provider().blind_index(normalized))
        elif text.isdigit() and len(text) >= 7:
            qs = qs.filter(phone_index=provider().blind_index(text))
        else:
            qs = qs.filter(text_search_q(text))
    if f.unit:
        unit = unit_for_filter(user, Cap.PEOPLE_VIEW, f.unit)
        qs = qs.filter(subtree_q("unit_path", unit.path))
    if f.category:
        qs = qs.filter(category=f.category)
    if f.sex:
        qs = qs.filter(sex__code=f.sex)
    if f.education:
        qs = qs.filter(ft_education__code=f.education)
    if f.post_level:
        qs = qs.filter(post_level__code=f.post_level)
    if f.age_min is not None:
        qs = qs.filter(birth_date__lte=_years_ago(f.age_min))
    if f.age_max is not None:
        qs = qs.filter(birth_date__gt=_years_ago(f.age_max + 1))
    if f.active is not None:
        qs = qs.filter(is_active=f.active)
    return qs.select_related("unit").order_by("unit_path", "id")


LIST_DICT_FIELDS = ("sex", "ft_education", "post_level")
DETAIL_DICT_FIELDS = ("sex", "ethnicity", "political_status", "health", "ft_education",
                      "ft_degree", "is_education", "is_degree", "post_level")


# The people list's key order: unit by unit in tree order, then by registration.
PERSON_ORDER = ("unit_path", "id")
PAGE_SIZES = (20, 50, 100)


def page_size(raw) -> int:
    """Rows per page: one of PAGE_SIZES, else the installation's default."""
    try:
        size = int(raw)
    except (TypeError, ValueError):
        return settings.ZUGONG_PAGE_SIZE
    return size if size in PAGE_SIZES else settings.ZUGONG_PAGE_SIZE


def person_page(qs, *, cursor: str | None, limit: int) -> Page:
    """One page of a person list by key on (unit_path, id), with the list's code-table
    names attached: cost does not grow with the page number."""
    page = keyset_page(qs, order=PERSON_ORDER, cursor=cursor, limit=limit)
    attach(page.items, LIST_DICT_FIELDS)
    return page


def person_get_for_user(user, pk, *, write: bool = False) -> Person:
    """One person: 404 outside the user's scope, 403 when visible but not writable."""
    q = scope_q(user, Cap.PEOPLE_VIEW, kind="person")
    if q is None:
        raise PermissionDenied
    if user.person_id:
        # 我的档案: one's own record is always readable, also for a deputy whose custom
        # scope (the sections in charge) leaves out the department's own unit.
        q |= Q(pk=user.person_id)
    try:
        person = Person.objects.filter(q).select_related("unit", "unit__department").get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    attach([person], DETAIL_DICT_FIELDS)
    if write and not person_can_write(user, person):
        raise PermissionDenied
    return person


def person_can_write(user, person: Person) -> bool:
    """Whether the user may change a person they can see."""
    if covers(user, Cap.PEOPLE_CHANGE):
        return True
    wq = scope_q(user, Cap.PEOPLE_CHANGE, kind="person")
    return wq is not None and Person.objects.filter(wq, pk=person.pk).exists()


def person_records(person: Person) -> dict:
    """The sub-records shown on the person page (four queries)."""
    family = list(person.family.all())
    assessments = list(person.assessments.all())
    attach(family, ("relation", "political_status"))
    attach(assessments, ("result",))
    return {
        "resume": list(person.resume.all()),
        "family": family,
        "rewards": list(person.rewards.all()),
        "assessments": assessments,
    }


def unit_list(*, user):
    """Units the user may see, in tree order, with the number of people in each."""
    q = scope_q(user, Cap.UNITS_VIEW, kind="unit")
    if q is None:
        raise PermissionDenied
    # Units above a visible unit are shown too, so the tree has its context.
    visible = OrgUnit.objects.filter(q).order_by("path")
    return visible.annotate(people_count=Count("people", filter=Q(people__is_active=True)))


# Units in tree order; a treebeard path is unique, so it alone is a total order.
UNIT_ORDER = ("path",)


def unit_parent(unit: OrgUnit) -> OrgUnit | None:
    """The unit above ``unit`` (None at the top)."""
    return OrgUnit.objects.get_parent(unit) if unit.depth > 1 else None


def unit_choices(*, user, cap: str = Cap.PEOPLE_VIEW):
    """Units a user may pick in a form."""
    q = scope_q(user, cap, kind="unit")
    if q is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(q).order_by("path")


FILTER_UNITS_MAX = 300


def unit_filter_choices(*, user, selected: int | None = None) -> list[OrgUnit]:
    """Units offered in the people-list filter: the top of the user's tree, not all of it.

    A province user may see thousands of units; the drop-down shows the two levels below
    the top (one when that is still too many) and deeper units are reached from the unit
    tree page, whose counts link to the filtered list. One query: the shallowest units
    first, one more than fit, so that "too many" shows without counting.
    """
    units = unit_choices(user=user).only("id", "name", "depth", "path")
    top = Subquery(units.order_by("depth").values("depth")[:1])
    shallow = list(units.filter(depth__lte=top + 2)
                   .order_by("depth", "path")[: FILTER_UNITS_MAX + 1])
    if len(shallow) > FILTER_UNITS_MAX:
        shallow = [u for u in shallow if u.depth <= shallow[0].depth + 1][:FILTER_UNITS_MAX]
    choices = sorted(shallow, key=lambda u: u.path)
    if selected and all(u.pk != selected for u in choices):
        choices += list(units.filter(pk=selected))
    return choices


def unit_get_for_user(user, pk, *, write: bool = False) -> OrgUnit:
    q = scope_q(user, Cap.UNITS_VIEW, kind="unit")
    if q is None:
        raise PermissionDenied
    try:
        unit = OrgUnit.objects.filter(q).get(pk=pk)
    except (OrgUnit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write:
        wq = scope_q(user, Cap.UNITS_CHANGE, kind="unit")
        if wq is None or not OrgUnit.objects.filter(wq, pk=unit.pk).exists():
            raise PermissionDenied
    return unit


def account_list(*, user):
    """Accounts, for the system and security administrators, with the name and unit of
    the linked person (what identifies an account; no other cadre data)."""
    if not (has_cap(user, Cap.ACCOUNTS_CREATE) or has_cap(user, Cap.ROLES_GRANT)):
        raise PermissionDenied
    return (User.objects.order_by("username").prefetch_related("roles")
            .select_related("person__unit")
            .only("username", "is_active", "last_login", "person__name", "person__unit__name"))


def locked_usernames(usernames) -> set[str]:
    """Of these usernames, those django-axes is refusing now (failures at the limit within
    the cool-off), so that 解锁 is offered only where it does something."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(AccessAttempt.objects.filter(
        username__in=list(usernames), attempt_time__gte=since,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
    ).values_list("username", flat=True))


def account_get_for_user(user, pk) -> User:
    account_list(user=user)
    try:
        return User.objects.select_related("person__unit").get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def people_for_account_link(user):
    """Whom a new account may be linked to: organization cadres in post without an account,
    read as name and unit only (the system administrator sees no other cadre data)."""
    if not has_cap(user, Cap.ACCOUNTS_CREATE):
        raise PermissionDenied
    return (Person.objects.filter(category=PersonCategory.ORG_CADRE, is_active=True,
                                  account__isnull=True)
            .select_related("unit").only("pk", "name", "unit__name", "unit__path"))


def units_for_role_grant(user):
    """Every unit, for the security administrator choosing a scope (structure, not people)."""
    if not has_cap(user, Cap.ROLES_GRANT):
        raise PermissionDenied
    return OrgUnit.objects.order_by("path").only("id", "name", "path", "depth")


def role_assignment_get_for_user(user, pk) -> RoleAssignment:
    if not has_cap(user, Cap.ROLES_GRANT):
        raise PermissionDenied
    try:
        return RoleAssignment.objects.select_related("user").get(pk=pk)
    except (RoleAssignment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def token_list(*, user):
    """The user's own tokens that are not revoked (expired ones stay listed, marked)."""
    return user.api_tokens.filter(revoked_at__isnull=True)


def account_token_list(*, user, account):
    """Another account's unrevoked tokens, for the security administrator."""
    require_cap(user, Cap.TOKENS_REVOKE)
    return account.api_tokens.filter(revoked_at__isnull=True)


def account_token_get(user, account_pk, pk):
    require_cap(user, Cap.TOKENS_REVOKE)
    try:
        return ApiToken.objects.select_related("user").get(
            pk=pk, user_id=account_pk, revoked_at__isnull=True)
    except (ApiToken.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def token_get_for_user(user, pk):
    try:
        return user.api_tokens.get(pk=pk, revoked_at__isnull=True)
    except (ApiToken.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# ---------------------------------------------------------------- second factor

def second_factor_device(user):
    """The user's confirmed authenticator (TOTP device), or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def second_factor_device_or_404(user):
    device = second_factor_device(user)
    if device is None:
        raise Http404
    return device


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@dataclass
class SecondFactorStatus:
    """What the settings and account pages show about a user's second factor."""

    device: object | None
    recovery_codes_left: int
    required: bool


def second_factor_status(account) -> SecondFactorStatus:
    device = second_factor_device(account)
    return SecondFactorStatus(
        device=device,
        recovery_codes_left=recovery_codes_left(account) if device else 0,
        required=second_factor_required(account),
    )


def department_heads(department: OrgUnit) -> list[User]:
    """Accounts holding the head role over ``department``."""
    return list(User.objects.filter(roles__role=Role.HEAD, roles__unit=department)
                .select_related("person").order_by("username"))
